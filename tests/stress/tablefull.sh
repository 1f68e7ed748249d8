#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Stress campaign 5 (issue 13): table-full floods. A guard with small
# tables (conns max 1024, trackers max 1024, blocked max 256) and every
# detector on is flooded with SYNs from random sources, IPv4 (hping3
# --rand-source, trafgen) and IPv6 (trafgen, random low 64 bits of an
# off-link /64),
# while long TCP transfers (iperf3, both families) that were established
# before the flood run through it.
#
# Passes when:
#   - the connection table and the tracker table were full during the
#     flood, and the counters say what was refused or evicted;
#   - every transfer finished (iperf3 exit 0) and its connection entry
#     survived: the entry's packet count only grew (an entry evicted and
#     picked up again would start from zero);
#   - nguard's connection slab (nguard_conn in /proc/slabinfo; the VM
#     boots with slub_nomerge so that the cache has its own line) never
#     held more objects than conns max plus the entries waiting for their
#     RCU grace period, and the table's documented bound (conns max *
#     entry size) held;
#   - after `nguardctl flush` the slab objects and the kernel's Slab total
#     return to their level before the flood (within 2 MiB).
# Flood length: 60 s * ngscale, or ngcycles seconds for a quick run; 10 s
# with ngshort (make check's debug tier).
# Prints "TABLEFULL ..." figures.
. /tests/lib.sh

SCALE=${ngscale:-1}
SECS=${ngcycles:-$((60 * SCALE))}
[ -n "${ngshort:-}" ] && SECS=10
[ "$SECS" -ge 5 ] || SECS=5
CMAX=1024 TMAX=1024 BMAX=256

cat > /tmp/tf.conf <<POL
mode enforce
default deny
conns max $CMAX
trackers max $TMAX
blocked max $BMAX
segment inside 10.9.0.1 fd09::1
segment peer 10.9.0.2 fd09::2
allow world -> inside tcp 80
allow peer -> inside tcp 5201-5204 icmp icmpv6
detect portscan weight 21 window 3s action log
detect sweep hosts 32 window 10s action log
detect synflood 1000000/s burst 1000000 action log
detect tcpflags action log
POL

# slab NAME: "active_objs objsize" of a cache in /proc/slabinfo, after
# shrinking the cache: that hands back what KASAN's quarantine holds of it
# (on the debug kernel freed objects wait there and still count as
# active) and flushes the per-CPU slabs, whose free objects slabinfo
# would count as active too.
slab() {
	echo 1 > "/sys/kernel/slab/$1/shrink" 2>/dev/null
	awk -v n="$1" '$1 == n { print $2, $4 }' /proc/slabinfo
}
# slabkb: the kernel's Slab total in kB.
slabkb() { awk '$1 == "Slab:" { print $2 }' /proc/meminfo; }
# shrink_all: shrink every cache, before the Slab totals that are compared
# (not during the flood): on the debug kernel this empties KASAN's
# quarantine, which holds freed objects of every cache (the flood's
# skbs) and moved the total by several MiB from one run to the next.
shrink_all() {
	local f
	for f in /sys/kernel/slab/*/shrink; do echo 1 > "$f"; done 2>/dev/null
}
st() { ng_stat g "$1"; }
# pkts N: the guard's orig packet count of transfer N (client port
# 4000N to server port 520N; empty when there is no entry).
pkts() {
	ip netns exec g nguardctl conns --json | jq -r --argjson n "$1" \
		'.[] | select(.sport == 40000 + $n and .dport == 5200 + $n) | .pkts_orig'
}

modprobe nguard || ng_fail "modprobe nguard"
ng_host g && ng_host p || ng_fail "namespaces"
ng_link g 10.9.0.1/24 fd09::1/64 p 10.9.0.2/24 fd09::2/64
ng_check "apply the small-table policy" ip netns exec g nguardctl apply /tmp/tf.conf
ng_check "slabinfo has its own nguard_conn line (slub_nomerge)" test -n "$(slab nguard_conn)"
# Transfers: two IPv4 and two IPv6 flows, each to its own iperf3 server
# (one client per server), from a fixed client port, paced so that TCG
# keeps up; they run until the checks below are done.
for n in 1 2 3 4; do ng_bg g iperf3 -s -p 520$n; done
sleep 1
for c in 1:10.9.0.1 2:10.9.0.1 3:fd09::1 4:fd09::1; do
	n=${c%%:*} a=${c#*:}
	/sbin/ip netns exec p iperf3 -c "$a" -p 520$n -t 86400 -b 100K -l 1000 --cport 4000$n \
		> /tmp/tf-iperf-$n.log 2>&1 &
	eval "ip$n=\$!"
done
sleep 3
for n in 1 2 3 4; do eval "b$n=\$(pkts $n)"; done
# The baseline: namespaces, servers and transfers up, no flood.
sync
echo 3 > /proc/sys/vm/drop_caches
shrink_all
kb0=$(slabkb)
set -- $(slab nguard_conn)
obj0=$1 osz=$2
esz=$(st conns_entry_size)
echo "before: Slab ${kb0} kB, nguard_conn objects $obj0 of $osz bytes (entry $esz bytes)"

# The floods, 500 SYNs per second from hping3 and 1000 from trafgen (a
# rate the debug kernel under TCG absorbs: an unpaced flood starves the
# VM's clock and processes; a table of 1024 fills within a second):
# hping3 --rand-source, random IPv4 sources; trafgen, random IPv4
# sources and random low 64 bits of an IPv6 source in 2001:db8:77::/64;
# all SYN to port 80, where g has no listener. The sources are off-link
# for g: its RSTs find no route, so the flood does not turn into a
# neighbour-discovery storm (which alone starves the debug kernel).
gmac=$(ip -n g -br link show v-p | awk '{ print $3 }')
cat > /tmp/tf.cfg <<CFG
{ eth(da=$gmac, type=0x86dd),
  ipv6(sa=2001:db8:77::, sa[8:4]=drnd(), sa[12:4]=drnd(), da=fd09::1, hl=64),
  tcp(sp=drnd(), dp=80, seq=drnd(), syn, win=64240) }
{ eth(da=$gmac, type=0x0800),
  ipv4(sa=drnd(), da=10.9.0.1, ttl=64),
  tcp(sp=drnd(), dp=80, seq=drnd(), syn, win=64240) }
CFG
ip netns exec p timeout $SECS hping3 -q -S -p 80 --rand-source -i u2000 10.9.0.1 > /dev/null 2>&1 &
f4=$!
# trafgen stops after a count: on SIGTERM its parent waits for its worker
# forever (only the parent gets the signal).
ip netns exec p trafgen -C --cpus 1 --dev v-g --conf /tmp/tf.cfg --rate 1000pps \
	-n $((1000 * SECS)) > /tmp/tf-trafgen.log 2>&1 &
f6=$!
maxobj=0 maxcount=0 fullseen=0 kbmax=0
t0=$(date +%s)
while [ $(($(date +%s) - t0)) -lt "$SECS" ]; do
	set -- $(slab nguard_conn)
	[ "$1" -gt "$maxobj" ] && maxobj=$1
	k=$(slabkb)
	[ "$k" -gt "$kbmax" ] && kbmax=$k
	c=$(st conns_count)
	[ "$c" -gt "$maxcount" ] && maxcount=$c
	[ "$c" -ge "$CMAX" ] && fullseen=$((fullseen + 1))
	sleep 1
done
wait $f4 $f6 2>/dev/null
grep -v "socket memory" /tmp/tf-trafgen.log
v6=$(ip netns exec g nguardctl conns --json | jq '[.[] | select(.family == 6 and .dport == 80)] | length')
ip netns exec g cat /proc/net/nguard/stats
ip netns exec g nguardctl status
ng_check "the connection table was full during the flood (max count $maxcount of $CMAX)" \
	test "$fullseen" -gt 0
ng_check "the table never held more than conns max" test "$maxcount" -le "$CMAX"
evict=$(($(st conns_evict_halfopen) + $(st conns_evict_expired) + $(st conns_evict_idle)))
refused=$(($(st conns_refused_full) + $(st conns_refused_chain)))
ng_check "evictions and refusals are counted (evicted $evict, refused $refused, drop_conns_full $(st drop_conns_full))" \
	test $((evict + refused)) -gt 0
ng_check "the tracker table was full: tracker_evictions $(st tracker_evictions)" \
	test "$(st tracker_evictions)" -gt 0
ng_check "IPv6 random sources were tracked too ($v6 entries)" test "$v6" -gt 0
# Every slab object is an entry of the table or one waiting for its RCU
# grace period after eviction; the second kind is bounded by the
# eviction rate times a grace period. Allow one table's worth.
ng_check "nguard_conn objects stayed within 2 * conns max (max $maxobj)" \
	test "$maxobj" -le $((2 * CMAX + obj0))

lost=0
for n in 1 2 3 4; do
	eval "b=\$b$n"
	a=$(pkts $n)
	echo "transfer $n: entry pkts_orig $b before the flood, ${a:-none} after"
	if [ -z "$b" ] || [ -z "$a" ] || [ "$a" -lt "$b" ]; then
		lost=$((lost + 1))
		echo "  transfer $n: entry lost or replaced"
	fi
done
for n in 1 2 3 4; do
	eval "pid=\$ip$n"
	if ! kill -0 "$pid" 2>/dev/null; then
		lost=$((lost + 1))
		echo "  transfer $n ended:"
		cat /tmp/tf-iperf-$n.log
	fi
done
tev=$(st tracker_evictions)
ng_check "established transfers survived the flood: $lost lost" test "$lost" -eq 0

ng_check "flush" ip netns exec g nguardctl flush
# The freed entries go back to the slab after an RCU grace period; the
# cache's empty slabs are released by shrinking it. Measured in the same
# state as the baseline: namespaces, servers and transfers up.
sleep 2
echo 1 > /sys/kernel/slab/nguard_conn/shrink 2>/dev/null
sync
echo 3 > /proc/sys/vm/drop_caches
sleep 1
set -- $(slab nguard_conn)
obj1=$1
shrink_all
kb1=$(slabkb)
for n in 1 2 3 4; do eval "kill \$ip$n" 2>/dev/null; done
echo "TABLEFULL seconds=$SECS conns_max=$CMAX max_count=$maxcount full_samples=$fullseen evicted=$evict refused=$refused tracker_evictions=$tev lost=$lost slab_objs_before=$obj0 slab_objs_max=$maxobj slab_objs_after=$obj1 obj_size=$osz slab_kb_before=$kb0 slab_kb_max=$kbmax slab_kb_after=$kb1"
ng_check "after flush the nguard_conn objects are back ($obj1, before $obj0)" \
	test "$obj1" -le $((obj0 + 64))
ng_check "after flush the Slab total is back within 2 MiB (${kb1} kB, before ${kb0} kB)" \
	test "$kb1" -le $((kb0 + 2048))
ng_cleanup
ng_check "rmmod" rmmod nguard
ng_done
