#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Policy control plane end to end: check, apply, show round trip, trace
# (the kernel's judgement), generations, --confirm rollback and confirm,
# flush, per-namespace isolation, rejected files leave the kernel alone,
# an apply killed midway leaves no transaction behind, a 100k-prefix
# apply, BEGIN racing its own socket's COMMIT (tests/tools/txn-race.c). Packet enforcement itself is covered by segments.sh; the policies
# here keep the test traffic allowed.
. /tests/lib.sh

ng_check "modprobe nguard" modprobe nguard
ng_host g
ng_host peer
ng_link g 10.0.1.1/24 fd01::1/64 peer 10.0.1.2/24 fd01::2/64
gen() { ng_json g .policy.generation; }
ctl() { ip netns exec g nguardctl "$@"; }

cat > /tmp/p1.conf <<'POL'
mode enforce
default deny
segment web    10.0.1.0/24 2001:db8:1::/64
segment db     10.0.2.0/24 10.0.3.7
segment admin  10.0.9.0/24 iface eth1
allow web   -> db    tcp 5432
allow admin -> *     tcp 22
allow *     -> web   tcp 80,443 udp 53
allow web   -> web
deny  *     -> db    log
allow *     -> *     icmp
POL

ng_check "check accepts the example policy" ctl check /tmp/p1.conf
ng_check "fresh namespace has generation 0" test "$(gen)" = 0
ng_check "show without policy says pass-through" sh -c '/sbin/ip netns exec g nguardctl show | grep -q pass-through'
ng_check "apply" ctl apply /tmp/p1.conf
ng_check "generation 1 after apply" test "$(gen)" = 1
ng_check "/proc agrees on the generation" test "$(ng_stat g policy_generation)" = 1
# Regression (found by the netlink fuzzer, tests/stress/netlink.sh): an
# UNBLOCK while the live policy has no block action, so no quarantine
# table, dereferenced NULL in the kernel.
ctl unblock 10.0.1.5
ctl unblock all
ng_check "unblock without a block action: the kernel survives, status answers" ctl status
ip netns exec g cat /proc/net/nguard/segments /proc/net/nguard/policy
ng_check "/proc segments: web has one v4 and one v6 prefix" \
	ip netns exec g grep -qx "1 web 1 1 0" /proc/net/nguard/segments
ng_check "/proc segments: admin has one interface" \
	ip netns exec g grep -qx "3 admin 1 0 1" /proc/net/nguard/segments
ng_check "/proc policy: header and 6 rules" \
	test "$(ip netns exec g grep -c . /proc/net/nguard/policy)" = 7
ng_check "/proc policy: rule 4 with its line" \
	ip netns exec g grep -Eqx "4 10 deny +\* +-> +db +log" /proc/net/nguard/policy

# show prints a policy file that applies to the same policy.
ctl show > /tmp/show1.conf
cat /tmp/show1.conf
ng_check "show output passes check" ctl check /tmp/show1.conf
ng_check "re-apply of show output" ctl apply /tmp/show1.conf
ctl show > /tmp/show2.conf
ng_check "show round trip is stable" sh -c 'grep -v "^#" /tmp/show1.conf > /tmp/a; grep -v "^#" /tmp/show2.conf > /tmp/b; cmp /tmp/a /tmp/b'
ng_check "show --json has 3 segments and 6 rules" \
	test "$(ctl show --json | jq '(.segments|length)*10 + (.rules|length)')" = 36

# trace: the kernel judges with the live policy.
tr() { ctl trace --json "$@"; }
t=$(tr 10.0.1.5 10.0.2.7 tcp 5432)
echo "$t"
ng_check "trace web->db tcp/5432: rule 0 allows" \
	test "$(echo "$t" | jq -r '[.src_segment,.dst_segment,.rule,.verdict]|join(" ")')" = "web db 0 allow"
ng_check "trace web->db tcp/22: deny rule 4" \
	test "$(tr 10.0.1.5 10.0.3.7 tcp 22 | jq -r '[.rule,.verdict]|join(" ")')" = "4 deny"
ng_check "trace admin->db tcp/22: rule 1 (first match beats deny)" \
	test "$(tr 10.0.9.9 10.0.2.1 tcp 22 | jq -r '[.rule,.verdict]|join(" ")')" = "1 allow"
ng_check "trace world->web udp/53: rule 2" \
	test "$(tr 192.0.2.1 10.0.1.9 udp 53 | jq -r '[.src_segment,.rule]|join(" ")')" = "world 2"
ng_check "trace world->world tcp/80: default deny" \
	test "$(tr 192.0.2.1 198.51.100.1 tcp 80 | jq -r '[.rule,.verdict]|join(" ")')" = " deny"
ng_check "trace IPv6 web->web: rule 3" \
	test "$(tr 2001:db8:1::1 2001:db8:1::2 tcp 9 | jq -r '[.src_segment,.rule]|join(" ")')" = "web 3"
ng_check "trace text output names the rule line" \
	sh -c '/sbin/ip netns exec g nguardctl trace 10.0.1.5 10.0.2.7 tcp 5432 | grep -Eq "#0 \(line [0-9]+\): allow web +-> +db"'
ng_check "trace of mixed families is a usage error" sh -c '/sbin/ip netns exec g nguardctl trace 10.0.0.1 ::1; test $? = 2'

# Other namespaces are untouched.
ng_check "peer namespace still has no policy" test "$(ng_json peer .policy.generation)" = 0
ng_check "peer trace is pass-through" \
	test "$(ip netns exec peer nguardctl trace --json 10.0.1.5 10.0.2.7 tcp 1 | jq -r .verdict)" = allow

# Only CAP_NET_ADMIN in the initial user namespace reaches the family:
# root inside a fresh user namespace (with its own netns) is refused.
ng_check "user-namespace root cannot apply (exit 4)" \
	sh -c 'unshare -U -r -n nguardctl apply /tmp/p1.conf; test $? = 4'
ng_check "user-namespace root cannot read status (exit 4)" \
	sh -c 'unshare -U -r nguardctl status 2>&1 | grep -q CAP_NET_ADMIN'

# A broken file never reaches the kernel.
printf 'segment web 10.0.1.5/24\nallow web -> nowhere\n' > /tmp/bad.conf
ng_check "apply of a broken file fails with exit 1" sh -c '/sbin/ip netns exec g nguardctl apply /tmp/bad.conf; test $? = 1'
ng_check "generation unchanged after rejected apply" test "$(gen)" = 2

# --confirm: not confirmed -> the previous policy comes back by itself.
printf 'default allow\n' > /tmp/open.conf
ng_check "apply --confirm 2" ctl apply --confirm 2 /tmp/open.conf
ng_check "new policy live (generation 3)" test "$(gen)" = 3
sleep 4
ng_check "rolled back to generation 2 after 2 s" test "$(gen)" = 2
ng_check "rollback logged" sh -c 'dmesg | grep -q "nguard: policy generation 3 not confirmed within 2 s: restored generation 2"'
ng_check "confirm with nothing pending fails" sh -c '/sbin/ip netns exec g nguardctl confirm; test $? = 1'
ng_check "apply --confirm 2 again" ctl apply --confirm 2 /tmp/open.conf
ng_check "confirm" ctl confirm
sleep 3
ng_check "confirmed policy stays (generation 4)" test "$(gen)" = 4

# One apply at a time per namespace; an apply killed inside its
# transaction leaves nothing behind (the kernel frees the draft when the
# socket closes). The big file (300k prefixes, 100k rules) keeps nguardctl
# inside its transaction for a second or more under TCG; /proc shows the
# transaction's netlink port while one is open.
big() { # big N FILE [RULES]
	awk -v n="$1" -v r="${3:-0}" 'BEGIN { print "default allow"
		for (i = 0; i < n; i++)
			printf "segment s%d %d.%d.%d.0/24\n", i % 50, 10 + int(i / 65536),
				int(i / 256) % 256, i % 256
		for (i = 0; i < r; i++)
			printf "allow s%d -> s%d tcp %d\n", i % 50, (i * 7) % 50, 1 + i % 60000 }' > "$2"
}
big 300000 /tmp/huge.conf 100000
# Start the big apply in the background and wait until /proc shows its
# transaction; sets $huge to its pid.
start_huge() {
	/sbin/ip netns exec g nguardctl apply /tmp/huge.conf > /dev/null 2>&1 &
	huge=$!
	for i in $(seq 400); do
		[ "$(ng_stat g transaction_port)" != 0 ] && return 0
		sleep 0.02
	done
	return 1
}
ng_check "no transaction open" test "$(ng_stat g transaction_port)" = 0
# freeze_huge: start the big apply and freeze it (SIGSTOP takes effect
# between two netlink requests) inside its transaction; if the freeze came
# after its COMMIT, let it finish and try again (5 attempts). On success
# $huge is stopped with its draft open and $g0 is the generation before.
freeze_huge() {
	for attempt in 1 2 3 4 5; do
		g0=$(gen)
		start_huge || continue
		kill -STOP $huge
		sleep 0.5
		[ "$(ng_stat g transaction_port)" != 0 ] && [ "$(gen)" = "$g0" ] && return 0
		kill -CONT $huge
		wait $huge
	done
	return 1
}
# Frozen, so that the second apply meets the open transaction however
# fast the machine is.
caught=0
freeze_huge && caught=1
ng_check "transaction visible while a big apply runs (frozen inside it, attempt $attempt)" test $caught = 1
ng_check "a second apply is refused meanwhile" \
	sh -c '/sbin/ip netns exec g nguardctl apply /tmp/open.conf 2>&1 | grep -q "another policy transaction"'
kill -CONT $huge
wait $huge
ng_check "the big apply completes (generation +1)" test "$(gen)" = $((g0 + 1))

# Killed inside its transaction: the draft must disappear.
midway=0
if freeze_huge; then
	kill -9 $huge
	wait $huge 2>/dev/null
	sleep 0.2
	echo "  attempt $attempt: stopped inside the transaction, killed"
	ng_check "transaction gone after killing the apply" \
		test "$(ng_stat g transaction_port)" = 0
	ng_check "the killed apply published nothing" test "$(gen)" = "$g0"
	midway=1
fi
ng_check "an apply was caught and killed inside its transaction" test $midway = 1
ng_check "apply after a killed apply succeeds" ctl apply /tmp/p1.conf
big 100000 /tmp/big.conf

# 100k prefixes while traffic flows.
ng_bg peer ping -i 0.01 10.0.1.1
ng_check "apply 100k prefixes" sh -c '/sbin/ip netns exec g nguardctl apply /tmp/big.conf'
ng_check "/proc segments count all 100k prefixes" test "$(ip netns exec g \
	awk '!/^#/ { n += $3 } END { print n }' /proc/net/nguard/segments)" = 100000
ng_check "trace in the big policy" \
	test "$(tr 10.3.7.9 10.0.0.1 tcp 1 | jq -r .src_segment)" = "s$(( (3 * 256 + 7) % 50 ))"
ng_check "traffic still flows" ng_in peer ping -c 2 -W 2 10.0.1.1

# BEGIN on the socket whose own COMMIT compiles (300k prefixes): every
# such BEGIN is refused, and no orphan draft blocks later transactions.
out=$(ip netns exec g ng-txn-race 300000)
ng_check "BEGIN during its own socket's COMMIT is refused ($out)" test $? -eq 0
ng_check "... and at least one BEGIN raced the commit" \
	sh -c "echo '$out' | grep -Eq 'begins_during_commit=[1-9]'"
ng_check "a transaction from another socket works afterwards" ctl apply /tmp/p1.conf

ng_check "flush" ctl flush
ng_check "generation 0 after flush" test "$(gen)" = 0
ng_cleanup
ng_check "rmmod" rmmod nguard
ng_done
