#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Blocks by hand (`nguardctl block`, NGUARD_CMD_BLOCK), witnessed at the
# victim db by an nftables counter in db's own namespace, with web as the
# control host that must keep getting through. Topology of lib.sh: world
# (192.0.2.2, 2001:db8:99::2) is the attacker, the policy lives in guard.
#
#   - without a policy (no quarantine) the block is refused, cleanly;
#   - world blocked for 1m: its pings to db are dropped at guard
#     (drop_blocked grows, db's counter stays), `blocked` lists it with
#     reason manual, a monitor sees the block event and dmesg says so,
#     web still gets through; unblock: world passes again;
#   - IPv6: world's address is blocked as its /64, as a detector would
#     key it, so a fresh address of that /64 is dropped too; another
#     prefix length is refused;
#   - a 4s block expires by itself and world passes again;
#   - an exempt address (admin) is refused; user nobody gets EPERM;
#   - a full table ("blocked max 8": one bucket) refuses a ninth source.
. /tests/lib.sh

ng_check "modprobe nguard" modprobe nguard
ng_check "four hosts routed through guard" ng_guard_topology
ip -n world -6 addr add 2001:db8:99::77/64 dev v-guard nodad
ctl() { ip netns exec guard nguardctl "$@"; }
gst() { ng_stat guard "$1"; }

# db's witness: echo requests from world (v4, both v6 addresses) and web.
ip netns exec db nft add table inet w
ip netns exec db nft add chain inet w in '{ type filter hook input priority -300; }'
for r in "world4 ip saddr 192.0.2.2" "world6 ip6 saddr 2001:db8:99::/64" \
	"web4 ip saddr 10.0.1.2"; do
	# shellcheck disable=SC2086 # split into name and match
	set -- $r
	n=$1
	shift
	ip netns exec db nft add rule inet w in "$@" counter comment "\"$n\""
done
seen() {
	ip netns exec db nft -j list chain inet w in | jq -r --arg n "$1" \
		'.nftables[] | select(.rule.comment? == $n) | .rule.expr[] | select(.counter) | .counter.packets'
}
pings() { # pings HOST [OPTS] ADDR: three echo requests, answers ignored
	local h=$1
	shift
	ip netns exec "$h" ping -c 3 -i 0.2 -W 1 "$@" > /dev/null 2>&1
	return 0
}
# refused RC OUT WANT-RC PATTERN: the command exited WANT-RC saying PATTERN.
refused() { [ "$1" -eq "$3" ] && printf '%s\n' "$2" | grep -q -- "$4"; }
jqok() { printf '%s\n' "$1" | jq -e "$2" > /dev/null; }
reason() { ctl blocked --json | jq -r --arg a "$1" '.[] | select(.addr == $a) | .reason'; }

# No policy, no quarantine: refused with the kernel's reason and the way out.
out=$(ctl block 192.0.2.2 1m 2>&1)
rc=$?
echo "$out"
ng_check "no policy: block refused (exit 1), says why and what to do" \
	refused $rc "$out" 1 "no quarantine.*add a detector with 'action block"


{ ng_guard_segments; cat; } > /tmp/man.conf <<'POL'
allow * -> db icmp icmpv6
detect tcpflags action block 10m
exempt admin
POL
ng_check "apply a policy with a block action and an exempt segment" ctl apply /tmp/man.conf

# Control: before any block world reaches db.
s0=$(seen world4)
pings world 10.0.2.2
ng_check "control: world's pings reach db ($s0 -> $(seen world4))" test "$(seen world4)" -ge $((s0 + 3))

ip netns exec guard timeout 30 nguardctl monitor --json > /tmp/man-mon.json 2>&1 &
mon=$!
sleep 0.5
ng_check "block world by hand for 1m" ctl block 192.0.2.2 1m
ng_check "blocked lists world with reason manual" test "$(reason 192.0.2.2)" = manual
ng_check "blocked --json: 60 s" \
	test "$(ctl blocked --json | jq -r '.[] | select(.addr == "192.0.2.2") | .secs')" = 60
ng_check "blocks counter counts it" test "$(gst blocks)" -ge 1
ng_check "dmesg: block src=192.0.2.2 reason=manual for 60s (by hand)" \
	sh -c 'dmesg | grep -q "nguard: block src=192.0.2.2 reason=manual for 60s (by hand)"'
s0=$(seen world4) d0=$(gst drop_blocked)
pings world 10.0.2.2
ng_check "blocked: world's pings never reach db ($s0 -> $(seen world4))" test "$(seen world4)" = "$s0"
ng_check "blocked: dropped at guard as drop_blocked ($d0 -> $(gst drop_blocked))" \
	test "$(gst drop_blocked)" -ge $((d0 + 3))
w0=$(seen web4)
pings web 10.0.2.2
ng_check "another host still gets through: web's pings reach db" test "$(seen web4)" -ge $((w0 + 3))
kill "$mon" 2>/dev/null
wait "$mon" 2>/dev/null
ng_check "monitor: a block event for 192.0.2.2, kind manual, 60 s" \
	jq -s -e 'any(.[]; .type == "block" and .kind == "manual" and .src == "192.0.2.2" and .block_secs == 60)' /tmp/man-mon.json
# Blocking again with a shorter time keeps the later expiry.
ng_check "block again for 10s: accepted" ctl block 192.0.2.2 10s
ng_check "... the longer block stays (secs 60)" \
	test "$(ctl blocked --json | jq -r '.[] | select(.addr == "192.0.2.2") | .secs')" = 60
ng_check "unblock world" ctl unblock 192.0.2.2
s0=$(seen world4)
pings world 10.0.2.2
ng_check "unblocked: world's pings reach db again" test "$(seen world4)" -ge $((s0 + 3))

# IPv6: the /64, as a detector keys the source; JSON output.
out=$(ctl block 2001:db8:99::2 1m --json)
ng_check "block world's IPv6 address: JSON says manual, 60 s" jqok "$out" \
	'.reason == "manual" and .secs == 60 and .addr == "2001:db8:99::2"'

ng_check "blocked lists it as its /64" \
	test "$(ctl blocked --json | jq -r '.[] | select(.reason == "manual") | "\(.addr)/\(.prefix_len)"')" = 2001:db8:99::/64
s0=$(seen world6)
pings world -6 2001:db8:2::2
pings world -6 -I 2001:db8:99::77 2001:db8:2::2
ng_check "IPv6: neither address of world's /64 reaches db ($s0 -> $(seen world6))" test "$(seen world6)" = "$s0"
out=$(ctl block 2001:db8:99::2/48 1m 2>&1)
rc=$?
echo "$out"
ng_check "IPv6: another prefix length than the policy's is refused" \
	refused $rc "$out" 1 "ipv6 source prefix length"

ng_check "unblock world's /64" ctl unblock 2001:db8:99::/64
pings world -6 2001:db8:2::2
ng_check "IPv6 unblocked: world reaches db again" test "$(seen world6)" -ge $((s0 + 3))

# Expiry (pings take up to 2 s: a 4 s block, then 4 s more).
ng_check "block world for 4s" ctl block 192.0.2.2 4s
s0=$(seen world4)
pings world 10.0.2.2
ng_check "4s block: dropped meanwhile" test "$(seen world4)" = "$s0"
sleep 4
ng_check "4s block: gone from blocked after expiry" test -z "$(reason 192.0.2.2)"
pings world 10.0.2.2
ng_check "4s block: world passes again after expiry" test "$(seen world4)" -ge $((s0 + 3))

# Refusals: an exempt address; a user without CAP_NET_ADMIN.
out=$(ctl block 10.0.9.2 1m 2>&1)
rc=$?
echo "$out"
ng_check "exempt admin: refused (exit 1) with the reason" \
	refused $rc "$out" 1 "exempt from quarantine"

ng_check "exempt admin: not blocked" test -z "$(reason 10.0.9.2)"
out=$(ip netns exec guard su -s /bin/sh nobody -c 'nguardctl block 192.0.2.2 1m' 2>&1)
rc=$?
echo "$out"
ng_check "user nobody: permission denied (exit 4)" \
	refused $rc "$out" 4 "permission denied"

ng_check "user nobody: world not blocked" test -z "$(reason 192.0.2.2)"

# A full table: "blocked max 8" is one bucket of 8 slots; a ninth source
# is refused (a live block is never displaced) and counted.
{ cat /tmp/man.conf; echo "blocked max 8"; } > /tmp/man8.conf
ng_check "apply with blocked max 8" ctl apply /tmp/man8.conf
n=0
for i in 1 2 3 4 5 6 7 8; do ctl block 198.51.100.$i 1m > /dev/null && n=$((n + 1)); done
ng_check "blocked max 8: eight sources blocked ($n)" test "$n" = 8
f0=$(gst blocked_full)
out=$(ctl block 198.51.100.9 1m 2>&1)
rc=$?
echo "$out"
ng_check "blocked max 8: a ninth is refused (exit 1): the quarantine is full" \
	refused $rc "$out" 1 "quarantine is full"
ng_check "... counted in blocked_full ($f0 -> $(gst blocked_full))" test "$(gst blocked_full)" -gt "$f0"
ng_check "... the eight stay blocked" test "$(ctl blocked --json | jq length)" = 8
ng_done
