#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Stress campaign 4 (issue 13): packet fuzzing through the whole path.
# trafgen (netsniff-ng) sends random and mutated frames from p into the
# guard g, addressed to g itself and routed through g to q, while g has a
# policy with every detector on (tcpflags, portscan, sweep, synflood) and
# a per-source cap, and real traffic (ping, TCP) crosses it. The
# templates (one frame each, picked at random, random fields filled at
# send time from a fixed seed):
#   IPv4 with random header length (0..15 words: options, and bad values),
#     random protocol and random options and payload;
#   IPv4 with random total length, random flags and fragment offsets
#     (DF/MF, overlapping fragments of a few datagram ids);
#   TCP flag soup: every flag byte, random data offset, bad checksums;
#   UDP with random length field, both families;
#   ICMP errors quoting garbage, and quoting headers that name g and p
#     with random ports and protocols, both families;
#   IPv6 extension-header chains: hop-by-hop, routing, fragment and
#     destination headers with random lengths and next headers, a chain of
#     four, fragments with random offsets;
#   random bytes after a bare IPv4 / IPv6 version nibble, random sources.
# (ICMPv6 is written as raw bytes: trafgen 0.6.8's icmpv6() with fields
# asserts, and checksums are random: the guard sees frames before the
# stack verifies them.)
# Afterwards: g still enforces its policy (allowed TCP and ping pass,
# denied TCP is dropped, routed and local), counters are consistent, the
# module unloads. The VM's init scans the console and kmemleak.
# Count: 1,000,000 * ngscale frames, or ngcycles * 10,000 for a quick run;
# 30,000 with ngshort (make check's debug tier).
# Prints "PKTFUZZ ..." figures.
. /tests/lib.sh

SCALE=${ngscale:-1}
N=$((1000000 * SCALE))
[ -n "${ngcycles:-}" ] && N=$((ngcycles * 10000))
[ -n "${ngshort:-}" ] && N=30000
SEED=${ngseed:-20261202}
# Paced: an unpaced trafgen starves the debug VM (TCG) of CPU and clock.
RATE=${ngrate:-3000}

cat > /tmp/pf.conf <<'POL'
mode enforce
default deny
segment inside 10.9.0.1 fd09::1
segment lan 10.8.0.0/24 fd08::/64
segment peer 10.9.0.2 fd09::2 10.7.0.2 fd07::2
allow peer -> inside tcp 80 icmp icmpv6
allow peer -> lan tcp 80 udp 53 icmp icmpv6
allow inside -> * icmp icmpv6
limit source 2000
detect tcpflags action drop
detect portscan weight 21 window 3s action log
detect sweep hosts 32 window 10s action log
detect synflood 5000/s burst 10000 action drop
POL

modprobe nguard || ng_fail "modprobe nguard"
ng_host g && ng_host p && ng_host q && ng_host r || ng_fail "namespaces"
ng_link g 10.9.0.1/24 fd09::1/64 p 10.9.0.2/24 fd09::2/64
ng_link g 10.8.0.1/24 fd08::1/64 q 10.8.0.2/24 fd08::2/64
# r: the real traffic, on its own link so that p's interface counts
# trafgen's frames only.
ng_link g 10.7.0.1/24 fd07::1/64 r 10.7.0.2/24 fd07::2/64
ip -n r route add 10.8.0.0/24 via 10.7.0.1
ip -n r -6 route add fd08::/64 via fd07::1
ip -n p route add 10.8.0.0/24 via 10.9.0.1
ip -n p -6 route add fd08::/64 via fd09::1
ip -n q route add default via 10.8.0.1
ip -n q -6 route add default via fd08::1
ng_check "apply the policy with every detector" ip netns exec g nguardctl apply /tmp/pf.conf
ng_serve g TCP 80
ng_serve q TCP 80
ng_serve q TCP 22
sleep 1
ng_check "before: allowed p -> g tcp/80" ng_try p TCP 10.9.0.1 80
ng_check "before: allowed p -> q tcp/80 (routed)" ng_try p TCP 10.8.0.2 80

gm=$(ip -n g -br link show v-p | awk '{ print $3 }')
E4="eth(da=$gm, type=0x0800)"
E6="eth(da=$gm, type=0x86dd)"
# IPv4 / IPv6 header functions toward g (local) and q (routed).
L4="ipv4(sa=10.9.0.2, da=10.9.0.1, ttl=64"
R4="ipv4(sa=10.9.0.2, da=10.8.0.2, ttl=64"
L6="ipv6(sa=fd09::2, da=fd09::1, hl=64"
R6="ipv6(sa=fd09::2, da=fd08::2, hl=64"
cat > /tmp/pf.cfg <<CFG
/* IPv4: random header length, protocol, options and payload */
{ $E4, $L4, ihl=dinc(0, 15), proto=drnd(), id=drnd()), drnd(64) }
{ $E4, $R4, ihl=dinc(5, 15), proto=dinc(0, 255)), drnd(48) }
/* IPv4: random total length; random flags and fragment offsets */
{ $E4, $L4, len=drnd(0, 120), proto=6), drnd(40) }
{ $E4, $R4, id=dinc(1, 4), flags=drnd(0, 7), frag=drnd(0, 24), proto=6), drnd(2), c16(80), drnd(36) }
{ $E4, $L4, id=dinc(1, 4), flags=drnd(0, 7), frag=drnd(0, 24), proto=17), drnd(2), c16(53), drnd(28) }
{ $E4, $L4, id=dinc(5, 6), mf, frag=dinc(0, 3), proto=1), drnd(16) }
/* TCP flag soup: every flag byte, random data offset, bad checksums */
{ $E4, $L4, proto=6), drnd(2), c16(80), drnd(8), dinc(0, 255, 16), drnd(1), drnd(6), drnd(24) }
{ $E4, $R4, proto=6), drnd(2), drnd(2), drnd(8), 0x50, dinc(0, 255), drnd(6) }
{ $E6, $L6, nh=6), drnd(2), c16(80), drnd(8), drnd(1), dinc(0, 255), drnd(6), drnd(16) }
{ $E4, $L4), tcp(sp=drnd(), dp=80, seq=drnd(), syn, fin) }
{ $E4, $L4), tcp(sp=drnd(), dp=drnd(1, 1024), aseq=drnd(), ack) }
/* UDP: random length field */
{ $E4, $R4), udp(sp=drnd(), dp=53, len=drnd()), drnd(20) }
{ $E6, $R6), udp(sp=drnd(), dp=53, len=drnd()), drnd(20) }
/* ICMP errors quoting garbage, and quoting g/p/q with random ports */
{ $E4, $L4), icmpv4(type=dinc(3, 12), code=drnd(0, 15)), drnd(4), drnd(40) }
{ $E4, $L4), icmpv4(type=3, code=dinc(0, 15)), 0, 0, 0, 0,
  0x45, 0, c16(60), drnd(4), 64, dinc(0, 17), drnd(2), 10, 9, 0, 1, 10, 9, 0, 2, drnd(2), c16(80), drnd(8) }
{ $E4, $R4), icmpv4(type=11), 0, 0, 0, 0,
  0x45, 0, c16(60), drnd(4), 64, 6, drnd(2), 10, 8, 0, 2, 10, 9, 0, 2, c16(80), drnd(2), drnd(4) }
{ $E4, $L4), icmpv4(type=3, code=4), 0, 0, c16(576), drnd(1), drnd(30) }
{ $E6, $L6, nh=58), dinc(1, 4), drnd(1), drnd(2), drnd(4), drnd(56) }
{ $E6, $L6, nh=58), 1, 4, drnd(2), 0, 0, 0, 0,
  0x60, 0, 0, 0, c16(20), drnd(1), 64,
  0xfd, 0x09, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
  0xfd, 0x09, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, drnd(2), c16(80), drnd(16) }
{ $E6, $R6, nh=58), 2, 0, drnd(2), c32(1280),
  0x60, 0, 0, 0, c16(20), 44, 64,
  0xfd, 0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
  0xfd, 0x09, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 6, 0, drnd(2), drnd(4), drnd(20) }
/* IPv6 extension headers: random lengths and next headers */
{ $E6, $L6, nh=0), dinc(0, 255), drnd(1), drnd(62) }
{ $E6, $R6, nh=43), dinc(0, 255), drnd(1), dinc(0, 5), drnd(1), drnd(60) }
{ $E6, $L6, nh=60), drnd(1), dinc(0, 8), drnd(62) }
{ $E6, $R6, nh=44), dinc(0, 60), 0, drnd(2), c32(7), drnd(48) }
{ $E6, $L6, nh=44), 6, 0, drnd(2), dinc(1, 3), drnd(2), drnd(1), c16(80), drnd(36) }
/* a chain of four: hop-by-hop, destination, routing, fragment, then random */
{ $E6, $R6, nh=0), 60, 0, 1, 4, 0, 0, 0, 0,
  43, 0, 1, 4, 0, 0, 0, 0,
  44, 0, dinc(0, 4), 0, 0, 0, 0, 0,
  drnd(1), 0, drnd(2), drnd(4), drnd(40) }
/* random bytes behind a bare version nibble; random sources */
{ $E4, 0x45, drnd(7), 64, drnd(3), drnd(4), 10, 9, 0, 1, drnd(40) }
{ $E6, 0x60, drnd(3), c16(40), drnd(1), 64, drnd(16), 0xfd, 0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, drnd(40) }
{ $E4, drnd(60) }
{ $E6, drnd(80) }
CFG

# Real traffic while the fuzz runs: pings (both families) and a TCP loop.
ng_bg r ping -q -i 0.05 10.7.0.1
ng_bg r ping -q -i 0.05 fd08::2
ng_bg r sh -c 'while :; do socat -T 1 /dev/null TCP:10.8.0.2:80,connect-timeout=1; sleep 0.2; done'
in0=$(($(ng_stat g ipv4_in_packets) + $(ng_stat g ipv6_in_packets)))
rx0=$(ip -n g -s -j link show v-p | jq '.[0].stats64.rx.packets')
t0=$(date +%s)
# Frames sent, from the sender's interface counters: trafgen 0.6.8 exits
# 1 ("xfree: NULL pointer given") after sending when some templates mix.
tx() { ip -n p -s -j link show v-g | jq '.[0].stats64.tx.packets'; }
tx0=$(tx)
ip netns exec p trafgen -C --cpus 1 --rand -E "$SEED" -n "$N" --rate "$RATE"pps \
	--dev v-g --conf /tmp/pf.cfg 2>&1 | grep -v "socket memory" | tail -n 3
t1=$(date +%s)
sent=$(($(tx) - tx0))
ng_check "trafgen sent $N frames (seed $SEED; $sent left p)" \
	test "$sent" -ge "$N" -a "$sent" -le $((N + 100))
in1=$(($(ng_stat g ipv4_in_packets) + $(ng_stat g ipv6_in_packets)))
seen=$((in1 - in0))
arrived=$(($(ip -n g -s -j link show v-p | jq '.[0].stats64.rx.packets') - rx0))
ip netns exec g cat /proc/net/nguard/stats
ip -n g -s link show v-p

# The hook counts what reaches it, from p and r: the frames the stack
# drops before netfilter (bad IP headers, backlog) are not judged.
ng_check "the guard judged most frames: $seen packets at the hook, $arrived of $N frames arrived" \
	test $((seen * 2)) -ge "$N"
ng_check "malformed frames counted as drop_invalid ($(ng_stat g drop_invalid))" \
	test "$(ng_stat g drop_invalid)" -gt 0
ng_check "impossible TCP flags were seen ($(ng_stat g anomaly_tcpflags))" \
	test "$(ng_stat g anomaly_tcpflags)" -gt 0
ng_check "after: allowed p -> g tcp/80" ng_try p TCP 10.9.0.1 80
ng_check "after: allowed p -> q tcp/80 (routed)" ng_try p TCP 10.8.0.2 80
ng_check "after: denied p -> q tcp/22 is dropped" sh -c '! /sbin/ip netns exec p socat -T 2 /dev/null TCP:10.8.0.2:22,connect-timeout=2'
ng_check "after: ping g (IPv4) and q (IPv6, routed)" \
	sh -c '/sbin/ip netns exec p ping -c 2 -W 2 10.9.0.1 && /sbin/ip netns exec p ping -c 2 -W 2 fd08::2' > /dev/null
echo "PKTFUZZ frames=$N sent=$sent arrived=$arrived seed=$SEED judged=$seen seconds=$((t1 - t0)) drop_invalid=$(ng_stat g drop_invalid) drop_policy=$(ng_stat g drop_policy) anomaly_tcpflags=$(ng_stat g anomaly_tcpflags) pass_related=$(ng_stat g pass_related)"
ng_cleanup
ng_check "rmmod" rmmod nguard
ng_done
