#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Debian's fail2ban bans through nguard with the shipped action
# (contrib/fail2ban/action.d/nguard.conf, in the image where the package
# installs it). Stock tier only: the image needs python
# (tests/lib/fail2ban-guest.sh). fail2ban runs in guard's namespace with
# one jail (tests/guest/fail2ban/): three "auth failure from ADDR" lines
# in /run/f2b/auth.log ban ADDR for 60 s. Witness: an nftables counter in
# the victim db's namespace; control: world's pings reach db before the
# ban and after the unban, web's during it.
. /tests/lib.sh

cfg=/etc/f2b-test
ng_check "fail2ban and python are in the image" test -x /usr/bin/fail2ban-server -a -x /usr/bin/python3
ng_check "modprobe nguard" modprobe nguard
ng_check "four hosts routed through guard" ng_guard_topology
ctl() { ip netns exec guard nguardctl "$@"; }
f2b() { ip netns exec guard fail2ban-client -c "$cfg" "$@"; }
gst() { ng_stat guard "$1"; }

ip netns exec db nft add table inet w
ip netns exec db nft add chain inet w in '{ type filter hook input priority -300; }'
ip netns exec db nft add rule inet w in ip saddr 192.0.2.2 counter comment '"world"'
ip netns exec db nft add rule inet w in ip saddr 10.0.1.2 counter comment '"web"'
seen() {
	ip netns exec db nft -j list chain inet w in | jq -r --arg n "$1" \
		'.nftables[] | select(.rule.comment? == $n) | .rule.expr[] | select(.counter) | .counter.packets'
}
pings() { ip netns exec "$1" ping -c 3 -i 0.2 -W 1 "$2" > /dev/null 2>&1; return 0; }
reason() { ctl blocked --json | jq -r --arg a "$1" '.[] | select(.addr == $a) | .reason'; }
# until SECONDS CMD...: CMD succeeds within SECONDS (checked twice a second).
until_ok() {
	local n=$(($1 * 2))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.5
		n=$((n - 1))
	done
	return 1
}
failed() { f2b status nguardtest 2>/dev/null | grep -q "Total failed:[[:space:]]*$1\$"; }
listed() { [ "$(reason 192.0.2.2)" = manual ]; }
unlisted() { [ -z "$(reason 192.0.2.2)" ]; }

cat > /tmp/f2b.conf <<'POL'
mode enforce
default deny
segment web 10.0.1.0/24 2001:db8:1::/64
segment db 10.0.2.0/24 2001:db8:2::/64
allow * -> db icmp icmpv6
detect tcpflags action block 10m
POL
ng_check "apply a policy with a block action" ctl apply /tmp/f2b.conf

mkdir -p /run/f2b
: > /run/f2b/auth.log
ng_bg guard fail2ban-server -c "$cfg" -f -x
ng_check "fail2ban-server answers (jail nguardtest)" until_ok 60 failed 0

s0=$(seen world)
pings world 10.0.2.2
ng_check "control: world's pings reach db ($s0 -> $(seen world))" test "$(seen world)" -ge $((s0 + 3))

for _ in 1 2; do echo "auth failure from 192.0.2.2" >> /run/f2b/auth.log; done
ng_check "two failures seen by the jail" until_ok 20 failed 2
ng_check "two failures (maxretry 3): not banned" unlisted
echo "auth failure from 192.0.2.2" >> /run/f2b/auth.log
ng_check "third failure: fail2ban bans world through nguard (blocked, reason manual)" \
	until_ok 30 listed
ng_check "the ban lasts the jail's bantime (60 s)" \
	test "$(ctl blocked --json | jq -r '.[] | select(.addr == "192.0.2.2") | .secs')" = 60
ng_check "fail2ban lists world as banned" \
	sh -c "/sbin/ip netns exec guard fail2ban-client -c $cfg status nguardtest | grep -q 'Banned IP list:.*192.0.2.2'"
s0=$(seen world) d0=$(gst drop_blocked)
pings world 10.0.2.2
ng_check "banned: world's pings never reach db ($s0 -> $(seen world))" test "$(seen world)" = "$s0"
ng_check "banned: dropped at guard as drop_blocked ($d0 -> $(gst drop_blocked))" \
	test "$(gst drop_blocked)" -ge $((d0 + 3))
w0=$(seen web)
pings web 10.0.2.2
ng_check "banned: web still reaches db" test "$(seen web)" -ge $((w0 + 3))

ng_check "fail2ban-client unbanip" sh -c "/sbin/ip netns exec guard fail2ban-client -c $cfg set nguardtest unbanip 192.0.2.2 > /dev/null"
ng_check "unbanned: nguard lifted the block" until_ok 20 unlisted
s0=$(seen world)
pings world 10.0.2.2
ng_check "unbanned: world's pings reach db again" test "$(seen world)" -ge $((s0 + 3))
ng_check "fail2ban ran both actions without an error" \
	sh -c '! grep -E "ERROR|Failed to execute" /run/f2b/fail2ban.log'
grep -E "Ban|Unban|ERROR" /run/f2b/fail2ban.log
f2b stop > /dev/null 2>&1
ng_done
