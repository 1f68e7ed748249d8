#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Stress campaign 2 (issue 13): policy swaps under flood. The guard g
# routes between p and q. While trafgen floods g with UDP flows of random
# ports (both families, to g and routed to q; some allowed, most denied)
# and four long TCP transfers (iperf3, both families, two to g and two
# routed to q) run, SWAPS policies are applied in g, alternating a small
# policy and a 100k-prefix one, with and without detectors, with
# `conns max`, `trackers max` and `blocked max` changing on every small
# one. Every 25th swap is an `apply --confirm 1` left unconfirmed (the
# kernel rolls it back), every 100th a `flush`. Every policy allows the
# transfers.
#
# Passes when every apply, rollback and flush succeeded, the generation
# moved as expected, every transfer is still running at the end and its
# connection entry was never replaced (its packet count only grew between
# two flushes; a flush empties the table), and afterwards a policy is
# still enforced and the module unloads.
# Count: SWAPS = 1000 * ngscale, or ngcycles for a quick run; with
# ngshort (make check's debug tier) 10 swaps, a rollback at the 5th and
# a flush at the 10th, big policies of 20k prefixes instead of 100k.
# Prints "SWAPS ..." figures.
. /tests/lib.sh

SCALE=${ngscale:-1}
SWAPS=${ngcycles:-$((1000 * SCALE))}
# Every CHECK swaps the transfers' entries are compared with the last
# look; a flush forgets the last look (it empties the table), so the short
# run looks at swap 5, before its flush at swap 10.
BIG=100000 ROLL=25 FLUSH=100 CHECK=10
[ -n "${ngshort:-}" ] && SWAPS=10 BIG=20000 ROLL=5 FLUSH=10 CHECK=5

# pol FILE CONNS TRACKERS BLOCKED DETECT PREFIXES
pol() {
	awk -v c="$2" -v t="$3" -v b="$4" -v d="$5" -v n="$6" 'BEGIN {
		print "mode enforce\ndefault deny"
		printf "conns max %d\ntrackers max %d\nblocked max %d\n", c, t, b
		print "segment inside 10.9.0.1 fd09::1"
		print "segment lan 10.8.0.0/24 fd08::/64"
		print "segment peer 10.9.0.2 fd09::2"
		for (i = 0; i < n; i++)
			printf "segment s%d %d.%d.%d.0/24\n", i % 50, 11 + int(i / 65536),
				int(i / 256) % 256, i % 256
		print "allow peer -> inside tcp 5201-5204 icmp icmpv6 udp 1000-1999"
		print "allow peer -> lan tcp 5201-5204 icmp icmpv6 udp 1000-1999"
		print "allow inside -> * icmp icmpv6"
		if (n > 0) print "allow s1 -> s2 tcp 22"
		if (d) {
			print "detect tcpflags action block 30s"
			print "detect portscan weight 21 window 3s action log"
			print "detect sweep hosts 64 window 10s action log"
			print "detect synflood 100000/s burst 100000 action drop"
		}
	}' > "$1"
}
pol /tmp/big0.conf 65536 8192 4096 0 $BIG
pol /tmp/big1.conf 65536 8192 4096 1 $BIG
n=0
for c in 4096 16384 65536; do
	for t in 1024 8192; do
		for d in 0 1; do
			pol /tmp/small$n.conf $c $t $((t / 2)) $d 0
			n=$((n + 1))
		done
	done
done
nsmall=$n
for f in /tmp/big0.conf /tmp/small0.conf; do
	nguardctl check "$f" > /dev/null || ng_fail "nguardctl check $f"
done

modprobe nguard || ng_fail "modprobe nguard"
ng_host g && ng_host p && ng_host q || ng_fail "namespaces"
ng_link g 10.9.0.1/24 fd09::1/64 p 10.9.0.2/24 fd09::2/64
ng_link g 10.8.0.1/24 fd08::1/64 q 10.8.0.2/24 fd08::2/64
ip -n p route add 10.8.0.0/24 via 10.9.0.1
ip -n p -6 route add fd08::/64 via fd09::1
ip -n q route add default via 10.8.0.1
ip -n q -6 route add default via fd08::1
ng_check "first apply" ip netns exec g nguardctl apply /tmp/small0.conf

# Transfers N=1..4: client port 4000N, server port 520N; 1, 2 to g
# (IPv4, IPv6), 3, 4 routed to q (IPv4, IPv6). Paced at 100 kbit/s each
# (the debug kernel under TCG is slow; what counts is that they never
# break).
for n in 1 2; do ng_bg g iperf3 -s -p 520$n; done
for n in 3 4; do ng_bg q iperf3 -s -p 520$n; done
sleep 1
for c in 1:10.9.0.1 2:fd09::1 3:10.8.0.2 4:fd08::2; do
	n=${c%%:*} a=${c#*:}
	/sbin/ip netns exec p iperf3 -c "$a" -p 520$n -t 86400 -b 100K -l 1000 --cport 4000$n \
		> /tmp/sw-iperf-$n.log 2>&1 &
	eval "ip$n=\$!"
done
sleep 3
# pkts N: the guard's packet count of transfer N's data connection.
pkts() {
	ip netns exec g nguardctl conns --json | jq -r --argjson n "$1" \
		'.[] | select(.sport == 40000 + $n and .dport == 5200 + $n) | .pkts_orig'
}
for n in 1 2 3 4; do eval "last$n=\$(pkts $n)"; done

# The flood: UDP flows with random ports to g and through g to q.
gm=$(ip -n g -br link show v-p | awk '{ print $3 }')
cat > /tmp/sw.cfg <<CFG
{ eth(da=$gm, type=0x0800), ipv4(sa=10.9.0.2, da=10.8.0.2, ttl=64), udp(sp=drnd(), dp=drnd(1000, 2999)), drnd(32) }
{ eth(da=$gm, type=0x0800), ipv4(sa=10.9.0.2, da=10.9.0.1, ttl=64), udp(sp=drnd(), dp=drnd(1000, 2999)), drnd(32) }
{ eth(da=$gm, type=0x86dd), ipv6(sa=fd09::2, da=fd08::2, hl=64), udp(sp=drnd(), dp=drnd(1000, 2999)), drnd(32) }
{ eth(da=$gm, type=0x86dd), ipv6(sa=fd09::2, da=fd09::1, hl=64), udp(sp=drnd(), dp=drnd(1000, 2999)), drnd(32) }
CFG
ng_bg p trafgen -C --cpus 1 --rand --rate 500pps --dev v-g --conf /tmp/sw.cfg

gen() { ip netns exec g nguardctl status --json | jq -r .policy.generation; }
bad=0 replaced=0 rollbacks=0 flushes=0 big=0
t0=$(date +%s)
i=1
while [ $i -le "$SWAPS" ]; do
	if [ $((i % FLUSH)) -eq 0 ]; then
		ip netns exec g nguardctl flush || { echo "swap $i: flush failed"; bad=$((bad + 1)); }
		[ "$(gen)" = 0 ] || { echo "swap $i: generation $(gen) after flush"; bad=$((bad + 1)); }
		flushes=$((flushes + 1))
		for n in 1 2 3 4; do eval "last$n="; done
	elif [ $((i % ROLL)) -eq 0 ]; then
		g0=$(gen)
		ip netns exec g nguardctl apply --confirm 1 /tmp/small$((i % nsmall)).conf > /dev/null ||
			{ echo "swap $i: apply --confirm failed"; bad=$((bad + 1)); }
		k=0
		while [ "$(gen)" != "$g0" ] && [ $k -lt 50 ]; do sleep 0.2; k=$((k + 1)); done
		if [ "$(gen)" = "$g0" ]; then
			rollbacks=$((rollbacks + 1))
		else
			echo "swap $i: not rolled back to $g0 (generation $(gen))"
			bad=$((bad + 1))
		fi
	else
		if [ $((i % 2)) -eq 1 ]; then
			f=/tmp/big$(((i / 2) % 2)).conf big=$((big + 1))
		else
			f=/tmp/small$(((i / 2) % nsmall)).conf
		fi
		ip netns exec g nguardctl apply "$f" > /dev/null ||
			{ echo "swap $i: apply $f failed"; bad=$((bad + 1)); }
	fi
	if [ $((i % CHECK)) -eq 0 ]; then
		for n in 1 2 3 4; do
			eval "l=\$last$n"
			c=$(pkts $n)
			if [ -n "$l" ] && { [ -z "$c" ] || [ "$c" -lt "$l" ]; }; then
				echo "swap $i: transfer $n's entry was replaced (packets $l -> ${c:-none})"
				replaced=$((replaced + 1))
			fi
			eval "last$n=\$c"
		done
		echo "swap $i: $(($(date +%s) - t0)) s, conns $(ng_stat g conns_count)"
	fi
	i=$((i + 1))
done
t1=$(date +%s)
# trafgen's worker is a child the signal to ng_bg's pid does not reach.
killall trafgen 2>/dev/null
ip netns exec g cat /proc/net/nguard/stats
alive=0
for n in 1 2 3 4; do
	eval "pid=\$ip$n"
	if kill -0 "$pid" 2>/dev/null; then
		alive=$((alive + 1))
	else
		echo "transfer $n ended:"
		cat /tmp/sw-iperf-$n.log
	fi
done
ng_check "$SWAPS swaps, rollbacks and flushes, every step succeeded ($bad failed)" test $bad -eq 0
ng_check "rollbacks by --confirm timeout happened ($rollbacks)" test $rollbacks -gt 0 -o "$SWAPS" -lt "$ROLL"
ng_check "every transfer still running ($alive of 4)" test $alive -eq 4
ng_check "no transfer's entry was replaced ($replaced)" test $replaced -eq 0
echo "SWAPS swaps=$SWAPS big=$big rollbacks=$rollbacks flushes=$flushes failed=$bad transfers_alive=$alive entries_replaced=$replaced seconds=$((t1 - t0)) drop_policy=$(ng_stat g drop_policy) pass_established=$(ng_stat g pass_established)"
for n in 1 2 3 4; do eval "kill \$ip$n" 2>/dev/null; done

# Still enforced afterwards.
ng_check "after: apply" ip netns exec g nguardctl apply /tmp/small1.conf
ng_serve q UDP 1500
ng_serve q TCP 22
sleep 1
ng_check "after: an allowed UDP exchange passes" ng_tryu p 10.8.0.2 1500
ng_check "after: a denied connection is dropped" \
	sh -c '! /sbin/ip netns exec p socat -T 2 /dev/null TCP:10.8.0.2:22,connect-timeout=2'
ng_cleanup
ng_check "rmmod" rmmod nguard
ng_done
