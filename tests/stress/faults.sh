#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Stress campaign: allocation failures (fault injection), on the stress
# kernel (the debug kernel plus CONFIG_FAILSLAB and the fault-injection
# stack filter: tests/kconfig/faults.config). An allocation can fail in
# any kernel; a module that crashes, leaks, wedges its transaction or
# answers without a reason when one does is not ready for a server under
# memory pressure. The other campaigns cannot reach those paths.
#
#   control   Every nguardctl command that talks to the kernel (apply,
#             confirm, flush, block, unblock, unblock all, status, stats,
#             show, conns, blocked, observed, observed clear, trace,
#             metrics) is run under the LD_PRELOAD shim ng-failnth.so
#             (tests/tools/preload/failnth.c) once for every message K it
#             sends and every allocation N nguard makes while handling
#             message K: failslab, restricted to allocations with nguard's
#             code on the stack (its stacktrace filter, set to the
#             module's address range), fails exactly that one allocation
#             (the task's fail-nth). N counts up until message K no longer
#             reaches an Nth allocation. Every run must end with success
#             (the allocation was optional) or with an error from the
#             kernel that carries an extack message, and a failed apply or
#             flush must leave the live policy as it was. After every run
#             a fresh apply must succeed (no transaction left behind, no
#             lock held) before the next.
#   packets   Then failslab fails 10% of nguard's allocations at random
#             while new TCP connections, a random-source SYN flood and
#             anomaly events go through the guard (GFP_ATOMIC, softirq):
#             the failures are counted (conns_alloc_failed), traffic goes
#             on, and once injection stops every connection succeeds.
#   after     a policy applies and is enforced, nguard unloads; the VM's
#             init then scans kmemleak and the console.
# Counts: every allocation of every message (the loop ends by itself);
# ngshort or ngcycles change nothing. Prints "FAULTS ..." figures.
. /tests/lib.sh

fs=/sys/kernel/debug/failslab
shim=/usr/lib/ng-failnth.so
[ -d $fs ] || { ng_fail "this kernel has no failslab (CONFIG_FAILSLAB): make stress builds it with tests/kconfig/faults.config"; ng_done; }
[ -e /proc/self/fail-nth ] || { ng_fail "no /proc/self/fail-nth (CONFIG_FAULT_INJECTION_DEBUG_FS)"; ng_done; }
[ -e $fs/require-start ] || { ng_fail "no failslab stack filter (CONFIG_FAULT_INJECTION_STACKTRACE_FILTER)"; ng_done; }

pol_common() {
	printf '%s\n' "mode enforce" "default deny" "observe on" \
		"segment inside 10.9.0.1 fd09::1" \
		"segment peer 10.9.0.2 fd09::2" \
		"segment lan 10.8.0.0/24 10.7.0.0/16 fd08::/64" \
		"segment far 11.0.0.0/8 12.1.0.0/16 2001:db8::/32" \
		"allow inside -> * icmp icmpv6" \
		"deny * -> lan log" \
		"log rate 10/s burst 20" \
		"ipv6 source prefix 64"
}
{
	pol_common
	printf '%s\n' "conns max 4096" "trackers max 1024" "blocked max 256" \
		"allow peer -> inside tcp 80,443 udp 53 icmp icmpv6" \
		"allow far -> inside tcp 22" \
		"limit conn 2000/s burst 4000" "limit source 512" \
		"detect portscan weight 21 window 3s action block 600s" \
		"detect sweep hosts 32 window 10s action log" \
		"detect synflood 1000/s burst 2000 action drop" \
		"detect tcpflags action block 60s" \
		"detect bruteforce to inside tcp 22 hits 10 window 60s action block 1h" \
		"exempt 10.9.0.2 fd09::2"
} > /tmp/fa.conf
{
	pol_common
	printf '%s\n' "conns max 2048" "trackers max 512" "blocked max 128" \
		"allow peer -> inside tcp 80 icmp icmpv6" \
		"detect tcpflags action block 60s"
} > /tmp/fb.conf
# The packet phase: every source may connect (each new source and flow
# allocates), anomalies report events.
{
	pol_common
	printf '%s\n' "conns max 4096" "allow * -> inside tcp 80 icmp icmpv6" \
		"limit source 1024" "detect synflood 200/s burst 400 action log" \
		"detect tcpflags action log"
} > /tmp/fc.conf
for f in /tmp/fa.conf /tmp/fb.conf /tmp/fc.conf; do
	nguardctl check $f > /dev/null || ng_fail "nguardctl check $f"
done

modprobe nguard || ng_fail "modprobe nguard"
ng_host g && ng_host p || ng_fail "namespaces"
ng_link g 10.9.0.1/24 fd09::1/64 p 10.9.0.2/24 fd09::2/64
ng_check "first apply" ip netns exec g nguardctl apply /tmp/fb.conf
ng_serve g TCP 80
ng_bg p ping -q -i 0.2 10.9.0.1
ng_check "before: allowed TCP passes" ng_try p TCP 10.9.0.1 80

# failslab: only nguard's allocations (an address of the module's code
# on the stack), GFP_KERNEL ones too, silently; no random failures yet.
# shellcheck disable=SC2046 # the fields of nguard's line
set -- $(grep '^nguard ' /proc/modules)
size=$2 base=$6
case $base in 0x0*|"") ng_fail "nguard's address is hidden in /proc/modules ($base)"; ng_done ;; esac
echo "FAULTS module base=$base size=$size"
echo 0 > $fs/verbose
echo 0 > $fs/probability
echo N > $fs/ignore-gfp-wait
echo -1 > $fs/times
echo 32 > $fs/stacktrace-depth
echo "$base" > $fs/require-start
# ash arithmetic is signed 64-bit: the sum wraps as the address does.
printf '0x%x\n' $((base + size)) > $fs/require-end

gen() { ip netns exec g nguardctl status --json | jq -r .policy.generation; }

# one K N CMD...: nguardctl CMD in g with allocation N of message K
# failing; sets RC, LINE (the shim's report) and OUT (what it printed).
one() {
	local k=$1 n=$2
	shift 2
	rm -f /tmp/fl
	ip netns exec g env LD_PRELOAD=$shim NG_FAIL_MSG="$k" NG_FAIL_NTH="$n" \
		NG_FAIL_LOG=/tmp/fl nguardctl "$@" > /tmp/fo 2>&1
	RC=$?
	LINE=$(cat /tmp/fl 2>/dev/null)
	OUT=$(head -c 300 /tmp/fo | tr '\n' ' ')
}
field() {
	case $1 in
	reply) echo "$LINE" | sed -n 's/.* reply=//p' ;;
	*) echo " $LINE" | sed -n "s/.* $1=\([^ ]*\).*/\1/p" ;;
	esac
}

# prep NAME: the state NAME's command starts from (besides the baseline).
prep() {
	case $1 in
	confirm) ip netns exec g nguardctl apply --confirm 120 /tmp/fa.conf > /dev/null ;;
	unblock*) ip netns exec g nguardctl block 192.0.2.61 600s > /dev/null ;;
	block) ip netns exec g nguardctl unblock 192.0.2.60 > /dev/null 2>&1; true ;;
	*) true ;;
	esac
}

# baseline: a pending confirmation settled, then policy B applied: this
# apply must work after every fault (nothing wedged). B has a block
# action, so its quarantine takes manual blocks (block, unblock).
baseline() {
	ip netns exec g nguardctl confirm > /dev/null 2>&1
	ip netns exec g nguardctl apply /tmp/fb.conf > /dev/null
}

runs=0 fired=0 absorbed=0 witherr=0 bad=0 sites=0 maxn=0
# campaign NAME CMD...: every allocation of every message of CMD.
campaign() {
	local name=$1 msgs k n g0 e x nsites=0
	shift
	prep "$name"
	one 0 0 "$@"
	msgs=$(field sends)
	[ "$RC" -eq 0 ] || { echo "$name: fails without a fault (rc $RC): $OUT"; bad=$((bad + 1)); }
	baseline || { echo "$name: baseline apply failed"; bad=$((bad + 1)); }
	k=1
	while [ "$k" -le "${msgs:-0}" ]; do
		n=1
		while [ $n -le 1000 ]; do
			prep "$name" || { echo "$name: prep failed before K=$k N=$n"; bad=$((bad + 1)); }
			case $name in apply|flush|confirm) g0=$(gen) ;; esac
			one $k $n "$@"
			runs=$((runs + 1))
			if [ "$(field fired)" != 1 ]; then
				baseline || { echo "$name: K=$k N=$n: apply after the run failed"; bad=$((bad + 1)); }
				break
			fi
			fired=$((fired + 1)) nsites=$((nsites + 1))
			e=$(field err) x=$(field extack)
			if [ "$RC" -eq 0 ]; then
				absorbed=$((absorbed + 1))
			elif [ "${e:-0}" -ne 0 ] && [ "$x" = 1 ]; then
				witherr=$((witherr + 1))
			else
				echo "$name: K=$k N=$n: rc $RC, kernel error ${e:-none} without an extack message: $OUT"
				bad=$((bad + 1))
			fi
			case $name in
			apply|flush|confirm)
				if [ "$RC" -ne 0 ] && [ "$(gen)" != "$g0" ]; then
					echo "$name: K=$k N=$n failed but the generation moved ($g0 -> $(gen))"
					bad=$((bad + 1))
				fi ;;
			esac
			[ "$n" -le 3 ] && echo "FAULTS site cmd=$name msg=$k nth=$n rc=$RC err=${e:-0} extack=$x reply=$(field reply)"
			baseline || { echo "$name: K=$k N=$n: apply after the fault failed: $(ip netns exec g nguardctl apply /tmp/fb.conf 2>&1)"; bad=$((bad + 1)); }
			n=$((n + 1))
		done
		[ $n -gt 1000 ] && { echo "$name: message $k makes more than 1000 allocations"; bad=$((bad + 1)); }
		[ $((n - 1)) -gt $maxn ] && maxn=$((n - 1))
		k=$((k + 1))
	done
	sites=$((sites + nsites))
	echo "FAULTS cmd=$name messages=$msgs allocation_sites=$nsites"
}

ip netns exec g nguardctl block 192.0.2.50 600s > /dev/null
t0=$(date +%s)
campaign apply apply /tmp/fa.conf
campaign confirm confirm
campaign flush flush
campaign block block 192.0.2.60 600s
campaign unblock unblock 192.0.2.61
campaign unblock-all unblock all
campaign status status
campaign stats stats
campaign show show
campaign conns conns
campaign blocked blocked
campaign observed observed
campaign observed-clear observed clear
campaign trace trace 10.9.0.2 10.9.0.1 tcp 80
campaign metrics metrics
t1=$(date +%s)
ng_check "control: every allocation failure ended in success or an error with an extack message, no policy changed by a failed apply, every apply afterwards worked ($bad problems)" test $bad -eq 0
ng_check "control: faults were injected ($fired of $runs runs)" test $fired -gt 0
echo "FAULTS control runs=$runs injected=$fired absorbed=$absorbed errors_with_extack=$witherr problems=$bad most_allocations_per_message=$maxn seconds=$((t1 - t0))"

# Packets: 10% of nguard's allocations fail at random.
ng_check "packets: apply" ip netns exec g nguardctl apply /tmp/fc.conf
ng_bg g nguardctl monitor
sleep 0.5
a0=$(ng_stat g conns_alloc_failed)
echo 10 > $fs/probability
echo 1 > $fs/interval
ip netns exec p hping3 -q -S -p 80 -i u2000 -c 5000 --rand-source 10.9.0.1 > /dev/null 2>&1
ok=0
for i in $(seq 40); do ng_try p TCP 10.9.0.1 80 && ok=$((ok + 1)); done
ip netns exec p hping3 -q -c 20 -p 80 -F -P -U -i u10000 10.9.0.1 > /dev/null 2>&1
echo 0 > $fs/probability
a1=$(ng_stat g conns_alloc_failed)
ng_check "packets: failed allocations counted (conns_alloc_failed $a0 -> $a1)" test "$a1" -gt "$a0"
ng_check "packets: connections went on during the faults ($ok of 40)" test $ok -ge 20
ok2=0
for i in $(seq 10); do ng_try p TCP 10.9.0.1 80 && ok2=$((ok2 + 1)); done
ng_check "packets: every connection works once injection stops ($ok2 of 10)" test $ok2 -eq 10
echo "FAULTS packets syn=5000 conns_alloc_failed=$((a1 - a0)) connections_ok=$ok/40 after=$ok2/10 conns_count=$(ng_stat g conns_count)"

# After: enforced, unloads.
ng_check "after: apply" ip netns exec g nguardctl apply /tmp/fa.conf
ng_check "after: allowed TCP passes" ng_try p TCP 10.9.0.1 80
ng_check "after: denied TCP is dropped" \
	sh -c '! /sbin/ip netns exec p socat -T 2 /dev/null TCP:10.9.0.1:22,connect-timeout=2'
ng_cleanup
ng_check "after: rmmod" rmmod nguard
ng_done
