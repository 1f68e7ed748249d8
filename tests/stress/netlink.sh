#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Stress campaign 1 (issue 13): netlink fuzzing, on the debug kernel
# (KASAN, lockdep, PROVE_RCU, kmemleak: the VM's init scans the console
# and kmemleak after this script; any report fails the run).
#
#   fuzz        ng-nl-fuzz (tests/tools/nl-fuzz.c, driven by the spec table
#               /tests/nguard-spec.txt made from
#               Documentation/netlink/nguard.yaml) sends MSGS messages over
#               every command from 4 threads with 2 sockets each, in two
#               guard namespaces (g and h), while p pings g and opens TCP
#               connections to it, and nguardctl applies two alternating
#               policies in a loop in g (fuzzed: most applies meet the
#               fuzzer's transactions and get EBUSY) and in k (not fuzzed:
#               every apply must succeed, under traffic from its peer r).
#               Every message must get its answer (no timeout, no malformed
#               reply); every bad message an error with an extack message,
#               every failing valid one an extack message too. The
#               exceptions, which the fuzzer expects: the genetlink core's
#               own rejections before any nguard code runs (unknown family
#               or command, a do command sent as a dump or the reverse, a
#               message shorter than its genetlink header: -ENOENT,
#               -EOPNOTSUPP, -EINVAL without a message; no module can add
#               one), and messages whose nlmsg_len is longer than the
#               datagram or shorter than a netlink header, which
#               netlink_rcv_skb() drops without an answer (a probe after
#               each shows that none came).
#   permission  every command of the table, sent by nobody (uid 65534,
#               no capabilities), by root of a new user namespace (with
#               CAP_NET_ADMIN over its own network namespace, and in the
#               initial one) must get EPERM: every operation is
#               GENL_ADMIN_PERM, CAP_NET_ADMIN in the initial user
#               namespace.
#   after       a fresh guard applies a policy, an allowed ping passes, a
#               denied one is dropped, the module unloads.
# Counts: MSGS = 1000000 * ngscale (kernel command line words; make
# stress passes NGUARD_STRESS_SCALE), or ngnlmsgs, or 1000 * ngcycles for
# a quick try, or 3000 with ngshort (make check's debug tier). ngseed fixes the fuzzer's seed (default: from the clock,
# printed). Prints "NLFUZZ ..." figures.
. /tests/lib.sh

SCALE=${ngscale:-1}
if [ -n "${ngnlmsgs:-}" ]; then
	MSGS=$ngnlmsgs
elif [ -n "${ngcycles:-}" ]; then
	MSGS=$((1000 * ngcycles))
elif [ -n "${ngshort:-}" ]; then
	MSGS=3000
else
	MSGS=$((1000000 * SCALE))
fi
SEED=${ngseed:-$(date +%s)}

cat > /tmp/nl-a.conf <<'POL'
mode enforce
default deny
segment inside 10.9.0.1 fd09::1
segment banned 10.9.0.3
allow world -> inside icmp icmpv6 tcp 80
allow inside -> world icmp icmpv6
limit source 100
detect tcpflags action drop
detect portscan weight 21 window 3s action log
POL
cat > /tmp/nl-b.conf <<'POL'
mode enforce
default deny
segment inside 10.9.0.1 fd09::1
segment banned 10.9.0.3
allow world -> inside icmp icmpv6 tcp 80 log
allow inside -> world icmp icmpv6
limit conn 5000/s burst 10000
detect sweep hosts 32 window 10s action log
detect synflood 1000/s burst 2000 action drop
exempt 10.9.0.2
POL
for f in /tmp/nl-a.conf /tmp/nl-b.conf; do
	nguardctl check $f > /dev/null || ng_fail "nguardctl check $f"
done

# pair G P: G (10.9.0.1, segment "inside") and P (10.9.0.2, world, and
# 10.9.0.3, segment "banned") on one veth.
pair() {
	ng_host "$1" && ng_host "$2" &&
	ng_link "$1" 10.9.0.1/24 fd09::1/64 "$2" 10.9.0.2/24 fd09::2/64 &&
	ip -n "$2" addr add 10.9.0.3/24 dev "v-$1"
}

# traffic G P: P pings G and opens TCP connections to it, all the time
# (paced: under TCG a fork-and-exec loop would eat the fuzzer's CPU).
traffic() {
	ng_bg "$1" socat TCP-LISTEN:80,fork,reuseaddr SYSTEM:'echo ok'
	ng_bg "$2" ping -q -i 0.1 10.9.0.1
	ng_bg "$2" sh -c 'while :; do socat -T 1 /dev/null TCP:10.9.0.1:80,connect-timeout=1; sleep 0.3; done'
}

# applier NS: nguardctl apply of the two policies, alternating, counting
# successes and failures in /tmp/apply.NS.{ok,fail}.
applier() {
	ng_bg "$1" sh -c "ok=0 fail=0; while :; do for f in /tmp/nl-a.conf /tmp/nl-b.conf; do
		if nguardctl apply \$f > /dev/null 2>&1; then ok=\$((ok + 1)); else fail=\$((fail + 1)); fi
		echo \$ok > /tmp/apply.$1.ok; echo \$fail > /tmp/apply.$1.fail; sleep 0.5; done; done"
}

# wait_applies NS N: until NS's applier has N results (30 s at most): one
# apply can take seconds on a loaded debug kernel, longer than a short
# fuzz run.
wait_applies() {
	local i n
	for i in $(seq 300); do
		n=$(($(cat /tmp/apply.$1.ok 2>/dev/null || echo 0) + $(cat /tmp/apply.$1.fail 2>/dev/null || echo 0)))
		[ "$n" -ge "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# field NAME: NAME=VALUE of the fuzzer's summary line.
field() {
	sed -n 's/^NLFUZZ seed=.* '"$1"'=\([^ ]*\) .*/\1/p' /tmp/nlfuzz.out | head -n 1
}

modprobe nguard || ng_fail "modprobe nguard"
pair g p && pair h q && pair k r || ng_fail "namespaces"
for n in g h k; do
	ip netns exec $n nguardctl apply /tmp/nl-a.conf > /dev/null ||
		ng_fail "first apply in $n"
done
traffic g p
traffic h q
traffic k r
applier g
applier k
wait_applies g 1 || ng_fail "no apply in g within 30 s"
wait_applies k 1 || ng_fail "no apply in k within 30 s"

t0=$(date +%s)
# Streamed to the console as it runs (examples, progress), kept for the checks.
{
	ng-nl-fuzz -n "$MSGS" -t 4 -s 2 -S "$SEED" -N /run/netns/g,/run/netns/h 2>&1
	echo $? > /tmp/nlfuzz.rc
} | tee /tmp/nlfuzz.out
rc=$(cat /tmp/nlfuzz.rc)
t1=$(date +%s)
# One more apply in k after the fuzz, so one overlapped it at least.
n_k=$(($(cat /tmp/apply.k.ok) + $(cat /tmp/apply.k.fail 2>/dev/null || echo 0)))
wait_applies k $((n_k + 1)) || ng_fail "no apply in k within 30 s after the fuzz"
ng_check "fuzz: ng-nl-fuzz finished with every answer as expected (exit $rc)" \
	test $rc -eq 0
sent=$(field sent)
ng_check "fuzz: at least $MSGS messages sent ($sent)" test "${sent:-0}" -ge "$MSGS"
for f in timeouts malformed bad_accepted no_extack_due replied_silent; do
	v=$(field $f)
	ng_check "fuzz: $f=0 ($v)" test "$v" = 0
done
# Every class of message was sent and answered.
for c in $(sed -n 's/^NLFUZZ class=\([^ ]*\) sent=0 .*/\1/p' /tmp/nlfuzz.out); do
	ng_fail "fuzz: class $c was never sent"
done
ok_g=$(cat /tmp/apply.g.ok 2>/dev/null) fail_g=$(cat /tmp/apply.g.fail 2>/dev/null)
ok_k=$(cat /tmp/apply.k.ok 2>/dev/null) fail_k=$(cat /tmp/apply.k.fail 2>/dev/null)
ng_check "fuzz: applies in the namespace nobody fuzzes all succeeded ($ok_k ok, $fail_k failed)" \
	test "${ok_k:-0}" -gt 0 -a "${fail_k:-1}" = 0
echo "NLFUZZ campaign messages=$MSGS seed=$SEED seconds=$((t1 - t0)) applies_fuzzed_ns=${ok_g:-0}/$((${ok_g:-0} + ${fail_g:-0})) applies_other_ns=${ok_k:-0}/$((${ok_k:-0} + ${fail_k:-0}))"
ng_cleanup

# Permission: every command must get EPERM without CAP_NET_ADMIN in the
# initial user namespace.
ng-nl-fuzz -p -u 65534 > /tmp/perm.out 2>&1
rc=$?
cat /tmp/perm.out
ng_check "permission: nobody gets EPERM for every command" test $rc -eq 0
unshare -U -r -n ng-nl-fuzz -p > /tmp/perm.out 2>&1
rc=$?
cat /tmp/perm.out
ng_check "permission: root of a user namespace, own network namespace: EPERM for every command" \
	test $rc -eq 0
unshare -U -r ng-nl-fuzz -p > /tmp/perm.out 2>&1
rc=$?
cat /tmp/perm.out
ng_check "permission: root of a user namespace, initial network namespace: EPERM for every command" \
	test $rc -eq 0

# Still works: a policy applies, allowed traffic passes, denied is dropped.
pair gz pz || ng_fail "after the fuzzing: namespaces"
ng_check "after the fuzzing: apply" ip netns exec gz nguardctl apply /tmp/nl-a.conf
d0=$(ng_stat gz drop_policy)
ng_check "after the fuzzing: an allowed ping passes" \
	ip netns exec pz ping -c 2 -W 2 -I 10.9.0.2 10.9.0.1
ng_check "after the fuzzing: a denied ping (from segment banned) is dropped" \
	sh -c '! /sbin/ip netns exec pz ping -c 2 -W 2 -I 10.9.0.3 10.9.0.1'
d1=$(ng_stat gz drop_policy)
ng_check "after the fuzzing: the drops are counted (drop_policy $d0 -> $d1)" \
	test "${d1:-0}" -gt "${d0:-0}"
ng_cleanup
ng_check "after the fuzzing: rmmod" rmmod nguard
ng_done
