#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The observed-flow summary (policy "observe", `nguardctl observed`), on
# the topology of lib.sh with the policy in guard: mode monitor, default
# deny, one allow rule, so most of the traffic is what a missing rule
# would have dropped.
#
#   - real TCP (IPv4 and IPv6), UDP and ICMP between web, db, admin and
#     world: `observed --json` lists exactly these flows, with their
#     connection counts, verdicts (rule 0, or the default passed by
#     monitor mode) and examples; world's flow under from_world;
#   - an established connection's thousands of packets add one
#     connection, not one per packet; three pings of one ping, one;
#   - user nobody cannot clear it (exit 4) and the table stays;
#     `observed clear` empties it and new flows count again;
#   - "observe max 2": two flows are kept, the next new ones count in
#     observe_overflow, a kept flow still counts its connections;
#   - without "observe": the summary is off, clear is refused (exit 1).
. /tests/lib.sh

ng_check "modprobe nguard" modprobe nguard
ng_check "four hosts routed through guard" ng_guard_topology
ctl() { ip netns exec guard nguardctl "$@"; }
gst() { ng_stat guard "$1"; }
refused() { [ "$1" -eq "$3" ] && printf '%s\n' "$2" | grep -q -- "$4"; }
# Every observed flow as "SRC>DST PROTO/PORT CONNS", sorted, one line.
flows() {
	ctl observed --json | jq -r '[(.flows + .from_world)[] |
		"\(.src_segment)>\(.dst_segment) \(.proto)/\(.port // .icmp_type) \(.conns)"] |
		sort | join(",")'
}
# conns SRC DST PROTO PORT: the connections of one aggregate (0: none).
conns() {
	ctl observed --json | jq -r --arg s "$1" --arg d "$2" --arg p "$3" --argjson n "$4" \
		'[(.flows + .from_world)[] | select(.src_segment == $s and .dst_segment == $d and
		  .proto == $p and (.port // .icmp_type) == $n)] | (.[0].conns // 0)'
}
flow() { # flow SRC DST PROTO PORT: the aggregate's JSON object
	ctl observed --json | jq -c --arg s "$1" --arg d "$2" --arg p "$3" --argjson n "$4" \
		'[(.flows + .from_world)[] | select(.src_segment == $s and .dst_segment == $d and
		  .proto == $p and (.port // .icmp_type) == $n)] | .[0]'
}
jqok() { printf '%s\n' "$1" | jq -e "$2" > /dev/null; }
udp1() { # udp1 HOST ADDR PORT SPORT: one UDP exchange from a fixed source port
	local i
	for i in 1 2 3; do
		echo q | ip netns exec "$1" socat -T 2 - UDP:"$2":"$3",sourceport="$4",reuseaddr \
			2>/dev/null | grep -q ok && return 0
	done
	return 1
}

ng_serve db TCP 5432
ng_serve db TCP 80
ng_serve db UDP 53

cat > /tmp/obs.conf <<'POL'
mode monitor
default deny
segment web 10.0.1.0/24 2001:db8:1::/64
segment db 10.0.2.0/24 2001:db8:2::/64
segment admin 10.0.9.0/24 fd09::/64
allow web -> db tcp 5432
observe on
POL
ng_check "apply a monitor-mode policy with 'observe on'" ctl apply /tmp/obs.conf
has() { printf '%s\n' "$1" | grep -q -- "$2"; }
ng_check "show: observe max 1024" has "$(ctl show)" '^observe max 1024$'
out=$(ctl observed --json)
echo "$out"
ng_check "observed: on, 1024 entries, nothing yet" \
	jqok "$out" '.observe == true and .observe_max == 1024 and .flows == [] and .from_world == []'

# The traffic: web->db tcp/5432 twice over IPv4 and once over IPv6 (rule
# 0), web->db udp/53 once (default deny, passed), one ping admin->web,
# world->db tcp/80 once (default deny, from world).
allowed web TCP 10.0.2.2 5432
allowed web TCP 10.0.2.2 5432
allowed web TCP6 "[2001:db8:2::2]" 5432
ng_check "udp web->db:53 answered (monitor mode passes it)" udp1 web 10.0.2.2 53 40053
ng_check "ping admin->web answered" ip netns exec admin ping -c 3 -i 0.2 -W 2 -q 10.0.1.2
allowed world TCP 10.0.2.2 80

want="admin>web icmp/8 1,web>db tcp/5432 3,web>db udp/53 1,world>db tcp/80 1"
got=$(flows)
echo "observed: $got"
ng_check "observed lists exactly the flows that happened, with counts" test "$got" = "$want"
f=$(flow web db tcp 5432)
echo "$f"
ng_check "web->db tcp/5432: allowed by rule 0 (line 6), not a monitor pass" \
	jqok "$f" '.verdict == "allow" and .rule == 0 and .rule_line == 6 and .monitor_passed == false'
ng_check "web->db tcp/5432: two examples, IPv4 and IPv6" \
	jqok "$f" '.examples == [{"src": "10.0.1.2", "dst": "10.0.2.2"}, {"src": "2001:db8:1::2", "dst": "2001:db8:2::2"}]'
ng_check "web->db tcp/5432: first and last seen are recent" \
	jqok "$f" ".first_seen <= .last_seen and .last_seen >= $(($(date +%s) - 300))"
f=$(flow web db udp 53)
ng_check "web->db udp/53: denied by the default, passed by monitor mode" \
	jqok "$f" '.verdict == "deny" and .rule == null and .monitor_passed == true'
f=$(ctl observed --json | jq -c '.from_world')
ng_check "world->db tcp/80 is listed under from_world" \
	jqok "$f" 'length == 1 and .[0].src_segment == "world" and .[0].examples[0].src == "192.0.2.2"'
out=$(ctl observed)
echo "$out"
ng_check "text: world's flows under their own heading" has "$out" '^from world (sources in no segment'
ng_check "text: 4 flows observed (table: 1024)" has "$out" '^4 flows observed (table: 1024)$'

# An established connection's packets: one connection, not one per packet.
e0=$(gst pass_established) c0=$(conns web db tcp 5432)
seq 1 20000 | ip netns exec web socat -T 3 - TCP:10.0.2.2:5432 > /dev/null 2>&1
e1=$(gst pass_established) c1=$(conns web db tcp 5432)
ng_check "a bulk connection: many established packets ($e0 -> $e1)" test "$e1" -ge $((e0 + 20))
ng_check "... counted once ($c0 -> $c1)" test "$c1" = $((c0 + 1))
p0=$(conns admin web icmp 8)
ip netns exec admin ping -c 5 -i 0.2 -W 2 -q 10.0.1.2 > /dev/null
ng_check "five pings of one ping: one more connection ($p0 -> $(conns admin web icmp 8))" \
	test "$(conns admin web icmp 8)" = $((p0 + 1))

# Clearing is for admins only.
out=$(ip netns exec guard su -s /bin/sh nobody -c 'nguardctl observed clear' 2>&1)
rc=$?
echo "$out"
ng_check "user nobody: observed clear refused, permission denied (exit 4)" \
	refused $rc "$out" 4 "permission denied"
ng_check "... the table is untouched (4 flows)" test "$(ctl observed --json | jq '.flows + .from_world | length')" = 4
ng_check "observed clear" ctl observed clear
ng_check "cleared: no flows" test "$(flows)" = ""
allowed web TCP 10.0.2.2 5432
ng_check "after the clear new flows count again" test "$(flows)" = "web>db tcp/5432 1"

# A full table: observe max 2.
sed 's/^observe on$/observe max 2/' /tmp/obs.conf > /tmp/obs2.conf
ng_check "apply with observe max 2 (a new apply starts an empty table)" ctl apply /tmp/obs2.conf
ng_check "the new table is empty" test "$(flows)" = ""
o0=$(gst observe_overflow)
allowed web TCP 10.0.2.2 5432
ng_check "udp web->db:53" udp1 web 10.0.2.2 53 40054
ng_check "table full: two flows" test "$(flows)" = "web>db tcp/5432 1,web>db udp/53 1"
allowed world TCP 10.0.2.2 80
ip netns exec admin ping -c 2 -i 0.2 -W 2 -q 10.0.1.2 > /dev/null
o1=$(gst observe_overflow)
ng_check "two new flows found no room: observe_overflow $o0 -> $o1" test "$o1" -eq $((o0 + 2))
ng_check "... and were not recorded" test "$(flows)" = "web>db tcp/5432 1,web>db udp/53 1"
allowed web TCP 10.0.2.2 5432
ng_check "a kept flow still counts while full" test "$(conns web db tcp 5432)" = 2
ng_check "a kept flow does not overflow" test "$(gst observe_overflow)" = "$o1"

# Without "observe": off, and clear says so.
grep -v '^observe' /tmp/obs.conf > /tmp/obs0.conf
ng_check "apply without observe" ctl apply /tmp/obs0.conf
ng_check "observed --json: off" jqok "$(ctl observed --json)" '.observe == false and .flows == []'
ng_check "observed: says the policy does not observe" has "$(ctl observed)" "does not observe flows"
out=$(ctl observed clear 2>&1)
rc=$?
echo "$out"
ng_check "observed clear without observe: refused (exit 1) with the reason" \
	refused $rc "$out" 1 "does not observe flows"
ng_done
