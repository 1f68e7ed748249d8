#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Segmentation enforced on real packets. Four hosts (web, db, admin,
# world), each in its own namespace, routed through a fifth, "guard",
# where the policy lives; guard also runs services of its own (local-in)
# and opens connections itself (local-out).
#
#   web   10.0.1.2  2001:db8:1::2  --v-web--+
#   db    10.0.2.2  2001:db8:2::2  --v-db---+-- guard (.1 on each link)
#   admin 10.0.9.2  fd09::2        --v-admin+   segment "admin" = iface v-admin
#   world 192.0.2.2 2001:db8:99::2 --v-world+
#
# Every rule kind of the language is exercised (segment pairs, "*", port
# lists, udp, icmp, deny+log, default), plus stateful replies, ICMP errors
# related to a connection, monitor mode, --confirm rollback of a policy
# that cuts the admin's path, a 100k-prefix apply under live traffic,
# per-namespace isolation, IPv6, trace, stats, /proc/net/nguard/conns.
. /tests/lib.sh

ng_check "modprobe nguard" modprobe nguard
ng_check "four hosts routed through guard" ng_guard_topology

# Services: "ok" from every TCP port the tests use, "ok" on udp/53.
for p in 22 80 5432 8080; do ng_serve db TCP $p; ng_serve web TCP $p; done
ng_serve guard TCP 22
ng_serve web UDP 53
sleep 0.5
ctl() { ip netns exec guard nguardctl "$@"; }
gst() { ng_stat guard "$1"; }

ng_check "pass-through before any policy: web -> db tcp/22" ng_try web TCP 10.0.2.2 22

cat > /tmp/seg.conf <<'POL'
mode enforce
default deny
segment web    10.0.1.0/24 2001:db8:1::/64
segment db     10.0.2.0/24 2001:db8:2::/64
segment admin  iface v-admin
segment guard  10.0.1.1 10.0.2.1 10.0.9.1 192.0.2.1
allow web   -> db    tcp 5432
allow admin -> *     tcp 22
allow *     -> web   tcp 80,443 udp 53
allow web   -> db    udp 7777
allow web   -> *     icmp icmpv6
deny  *     -> db    log
POL
ng_check "apply the segment policy" ctl apply /tmp/seg.conf
dmesg -c > /dev/null
p0=$(gst pass_no_policy)

# Segment pairs, ports and protocols, forwarded through guard.
allowed web TCP 10.0.2.2 5432
denied web TCP 10.0.2.2 22
denied web TCP 10.0.2.2 80
allowed admin TCP 10.0.2.2 22
denied admin TCP 10.0.2.2 5432
allowed world TCP 10.0.1.2 80
denied world TCP 10.0.1.2 8080
allowed db TCP 10.0.1.2 80
ng_check "allowed: world -> web udp/53" ng_tryu world 10.0.1.2 53
ng_check "allowed: web pings db (icmp)" ng_in web ping -c 1 -W 2 10.0.2.2
ng_check "denied: db pings web (icmp is web -> * only)" sh -c '! /sbin/ip netns exec db ping -c 1 -W 2 10.0.1.2'

# Stateful: db's replies to web's connection passed above although no
# rule allows db -> web on those ports; a fresh packet from db:5432 to a
# web port is not a reply and is dropped.
denied db TCP 10.0.1.2 8080 sourceport=5432

# Local-in and local-out on guard itself.
allowed admin TCP 10.0.9.1 22
denied web TCP 10.0.1.1 22
denied guard TCP 10.0.2.2 5432

# IPv6 through the same rules.
allowed web TCP6 [2001:db8:2::2] 5432
denied web TCP6 [2001:db8:2::2] 22
allowed world TCP6 [2001:db8:1::2] 80
denied world TCP6 [2001:db8:2::2] 5432

# deny ... log: one rate-limited line per dropped packet.
denied world TCP 10.0.2.2 5432
ng_check "the logged deny is in dmesg" sh -c \
	'dmesg | grep -Eq "nguard: deny tcp src=192.0.2.2:[0-9]+ dst=10.0.2.2:5432 seg=world->db rule=5 line=[0-9]+ action=drop"'
ng_check "default denies are not logged" sh -c '! dmesg | grep -q "seg=web->db rule=default"'

# ICMP error about a tracked connection: web -> db udp/7777 is allowed,
# nothing listens there, db answers port unreachable, which no rule
# allows db -> web: it passes as related.
r0=$(gst pass_related)
echo q | ip netns exec web socat -T 1 - UDP:10.0.2.2:7777 > /dev/null 2>&1
ng_check "ICMP port unreachable passed as related" test "$(gst pass_related)" -gt "$r0"

# Counters. Loopback traffic of guard passes whatever the policy says.
ng_check "loopback passes" ng_in guard ping -c 1 -W 2 127.0.0.1
ip netns exec guard cat /proc/net/nguard/stats
for c in pass_new pass_established drop_policy dropped_packets allowed_packets pass_local; do
	ng_check "counter $c counts" test "$(gst $c)" -gt 0
done
ng_check "no pass-through in guard once a policy is loaded" test "$(gst pass_no_policy)" = "$p0"
# web's namespace has no policy, hence no hooks: it counts nothing.
ng_check "isolation: web's namespace (no policy) counted nothing" \
	test "$(ng_stat web ipv4_in_packets)" = 0
ng_check "isolation: web's namespace dropped nothing" test "$(ng_stat web dropped_packets)" = 0

# Tracked connections: a live one shows up in /proc and in conns.
ng_bg web sh -c 'while :; do echo x; sleep 0.2; done | socat - TCP:10.0.2.2:5432'
sleep 1
ip netns exec guard cat /proc/net/nguard/conns
ng_check "/proc conns: web -> db tcp/5432 established, replied" \
	sh -c '/sbin/ip netns exec guard grep -Eq "^ipv4 tcp src=10.0.1.2 dst=10.0.2.2 sport=[0-9]+ dport=5432 seg=web->db state=established replied=1 rule=0 " /proc/net/nguard/conns'
ng_check "conns_count in /proc stats" test "$(gst conns_count)" -gt 0
ctl conns
ng_check "conns --json: the stream, established web -> db by rule 0" test "$(ctl conns --json |
	jq -r '[.[] | select(.dport == 5432 and .state == "established" and .replied)
		| .src_segment + ">" + .dst_segment + ":" + (.rule|tostring)] | first')" = "web>db:0"
ng_check "conns text output names the segments" sh -c \
	'/sbin/ip netns exec guard nguardctl conns | grep -Eq "^tcp +10.0.1.2:[0-9]+ +-> +10.0.2.2:5432 +web -> db +established"'
ctl stats
ng_check "stats --json agrees with /proc on drop_policy" \
	test "$(ctl stats --json | jq .counters.drop_policy)" = "$(gst drop_policy)"
ng_check "stats --json: rule 0 has hits, the deny rule 5 too" \
	test "$(ctl stats --json | jq '[.rules[0].hits > 0, .rules[5].hits > 0] | all')" = true
ng_check "stats --json: default hits counted" test "$(ctl stats --json | jq '.default_hits > 0')" = true
ng_check "stats --json: mode and entry size" \
	test "$(ctl stats --json | jq -r '.policy.mode + " " + (.conns.entry_size|tostring)')" = "enforce 96"
ng_check "entry size is at most 96 bytes" test "$(gst conns_entry_size)" -le 96

# trace asks the kernel.
ng_check "trace web -> db tcp/5432: allow by rule 0" \
	test "$(ctl trace --json 10.0.1.2 10.0.2.2 tcp 5432 | jq -r '[.rule,.verdict]|join(" ")')" = "0 allow"

# 100k prefixes applied while the web -> db connection streams: the new
# policy allows it, so it must survive (no pruning, no drop).
{
	grep -v '^allow\|^deny' /tmp/seg.conf
	awk 'BEGIN { for (i = 0; i < 100000; i++)
		printf "segment s%d %d.%d.%d.0/24\n", i % 40, 20 + int(i / 65536),
			int(i / 256) % 256, i % 256 }'
	grep '^allow\|^deny' /tmp/seg.conf
} > /tmp/big.conf
d0=$(gst drop_policy)
ng_check "apply 100k prefixes under traffic" ctl apply /tmp/big.conf
sleep 1
ng_check "the streaming connection is still tracked" \
	sh -c '/sbin/ip netns exec guard grep -q "dport=5432 seg=web->db state=established" /proc/net/nguard/conns'
ng_check "nothing was dropped by the policy swap" test "$(gst drop_policy)" = "$d0"
ng_check "no tracked connection removed" test "$(gst conns_pruned)" = 0
allowed web TCP 10.0.2.2 5432

# A policy that denies web -> db removes the tracked connection.
grep -v "^allow web   -> db    tcp 5432" /tmp/seg.conf > /tmp/cut.conf
ng_check "apply a policy without web -> db" ctl apply /tmp/cut.conf
ng_check "the connection it denies was removed" test "$(gst conns_pruned)" -gt 0
ng_check "removal logged" sh -c 'dmesg | grep -q "nguard: policy generation [0-9]*: removed [0-9]* tracked connections it denies"'
denied web TCP 10.0.2.2 5432
ng_check "apply the segment policy again" ctl apply /tmp/seg.conf

# A connection of an interface member is kept across a policy change
# without a verdict (its entry does not record the interface): it must
# not show a rule index that now means another rule.
ng_bg admin sh -c 'while :; do echo x; sleep 0.2; done | socat - TCP:10.0.2.2:22'
sleep 1
admconn() { /sbin/ip netns exec guard grep -E "^ipv4 tcp src=10.0.9.2 dst=10.0.2.2 sport=[0-9]+ dport=22 .* rule=$1 " /proc/net/nguard/conns; }
ng_check "/proc conns: admin -> db tcp/22 admitted by rule 1" admconn 1
{
	grep -v '^allow\|^deny' /tmp/seg.conf
	echo "allow web -> db tcp 9999"
	grep '^allow\|^deny' /tmp/seg.conf
} > /tmp/shift.conf
ng_check "apply a policy whose rules moved by one" ctl apply /tmp/shift.conf
ng_check "/proc conns: the admin connection is kept, rule=kept" admconn kept
ng_check "conns --json: rule \"kept\"" test "$(ctl conns --json |
	jq -r '[.[] | select(.src == "10.0.9.2" and .dport == 22) | .rule] | first')" = kept
ng_check "conns text: rule kept" sh -c '/sbin/ip netns exec guard nguardctl conns | grep -Eq "10.0.9.2:[0-9]+ +-> +10.0.2.2:22 .*rule kept"'
ng_check "apply the segment policy again" ctl apply /tmp/seg.conf

# --confirm: a policy that cuts the admin's own path is rolled back.
printf 'default deny\nsegment admin iface v-admin\n' > /tmp/lockout.conf
# (10 s: the denied connect must end before the rollback, even on a
# debug kernel under TCG.)
ng_check "apply --confirm 10 a lock-out policy" ctl apply --confirm 10 /tmp/lockout.conf
denied admin TCP 10.0.9.1 22
for i in $(seq 24); do
	dmesg | grep -q "not confirmed within 10 s: restored generation" && break
	sleep 0.5
done
ng_check "rollback logged" sh -c 'dmesg | grep -q "not confirmed within 10 s: restored generation"'
allowed admin TCP 10.0.9.1 22

# Monitor mode: would-drops pass, are counted and reported once per flow.
sed 's/^mode enforce/mode monitor/' /tmp/seg.conf > /tmp/mon.conf
ng_check "apply in monitor mode" ctl apply /tmp/mon.conf
m0=$(gst pass_monitor)
allowed web TCP 10.0.2.2 22
ng_check "monitor: would-drop counted" test "$(gst pass_monitor)" -gt "$m0"
ng_check "monitor: reported in dmesg" sh -c \
	'dmesg | grep -Eq "nguard: deny tcp src=10.0.1.2:[0-9]+ dst=10.0.2.2:22 seg=web->db rule=5 line=[0-9]+ action=monitor"'
ng_check "monitor: one report for the flow, not per packet" \
	test "$(dmesg | grep -c 'dst=10.0.2.2:22 seg=web->db.*action=monitor')" = 1
ng_check "back to enforce prunes the monitored flows" ctl apply /tmp/seg.conf
denied web TCP 10.0.2.2 22

# Log rate limit: a burst of logged drops prints at most the bucket.
dmesg -c > /dev/null
sleep 2	# let the bucket fill up again
l0=$(gst log_lines)
t0=$(date +%s)
# 300 SYNs to a logged deny in a second or two: hping3, not 300 clients.
ip netns exec world hping3 -q -S -p 5432 -i u3000 -c 300 10.0.2.2 > /dev/null 2>&1
t=$(( $(date +%s) - t0 + 1 ))
sleep 1.5
n=$(dmesg | grep -c "nguard: deny")
echo "  $n deny lines in ${t}s for 300 logged drops, log_lines +$(( $(gst log_lines) - l0 )), suppressed $(gst log_suppressed)"
ng_check "at most burst 20 + 10/s lines" test "$n" -le $((20 + 10 * t))
ng_check "suppressed lines counted" test "$(gst log_suppressed)" -gt 0
ng_check "suppressed summary line" sh -c 'dmesg | grep -q "nguard: [0-9]* messages suppressed"'

ng_check "flush: back to pass-through" ctl flush
allowed web TCP 10.0.2.2 22
ng_check "flush empties the connection table" test "$(gst conns_count)" = 0
ng_cleanup
ng_check "rmmod" rmmod nguard
ng_done
