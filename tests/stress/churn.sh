#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Stress campaign 3 (issue 13): unload and namespace churn, on the debug
# kernel (KASAN, lockdep, PROVE_RCU, kmemleak: the VM's init scans the
# console and kmemleak after this script; any report fails the run).
#
#   namespaces  NS cycles: a guard namespace and its peer are made,
#               the guard gets a policy with every detector, a
#               per-source cap and a block action; p pings g (0.01 s) and
#               opens TCP connections; readers run in the guard (nguardctl
#               monitor, a loop of conns and blocked dumps, a loop over
#               every /proc/net/nguard file); the peer sends one NULL-flag packet
#               so that the guard quarantines it (a live block); then both
#               are deleted with all of that still running, and the processes killed,
#               so that the namespace's exit runs while its hooks see
#               traffic.
#   module      MOD cycles: two guard namespaces (kept) get live policies
#               with detectors and blocks, traffic and readers run, and
#               nguard is unloaded under them, then loaded again. After
#               the last cycle a policy still applies and is enforced.
# Counts: NS = MOD = 100 * ngscale (kernel command line word, default 1;
# make stress passes NGUARD_STRESS_SCALE), or ngcycles for a quick try;
# ngshort (make check's debug tier): NS = MOD = 1.
# Prints "CHURN ..." figures.
. /tests/lib.sh

SCALE=${ngscale:-1}
NS=${ngcycles:-$((100 * SCALE))}
MOD=$NS
# make check's short version: one namespace cycle, one module cycle.
[ -n "${ngshort:-}" ] && NS=1 MOD=1

cat > /tmp/churn.conf <<'POL'
mode enforce
default deny
segment inside 10.9.0.1 fd09::1
allow world -> inside icmp icmpv6 tcp 80
allow inside -> world icmp icmpv6
limit source 50
detect tcpflags action block 60s
detect portscan weight 21 window 3s action block 60s
detect sweep hosts 32 window 10s action log
detect synflood 1000/s burst 2000 action drop
POL
nguardctl check /tmp/churn.conf || ng_fail "nguardctl check"

# pair G P: fresh namespaces G (10.9.0.1, segment "inside") and P
# (10.9.0.2 and 192.0.2.9, both "world") on one veth. Names are never
# reused: a deleted namespace (and its veth) goes away asynchronously.
pair() {
	ng_host "$1" && ng_host "$2" &&
	ng_link "$1" 10.9.0.1/24 fd09::1/64 "$2" 10.9.0.2/24 fd09::2/64 &&
	ip -n "$2" addr add 192.0.2.9/32 dev "v-$1" &&
	ip -n "$1" route add 192.0.2.9/32 dev "v-$2"
}

# busy G P: traffic and readers, all in the background (NG_PIDS).
busy() {
	ng_bg "$1" socat TCP-LISTEN:80,fork,reuseaddr SYSTEM:'echo ok'
	ng_bg "$2" ping -q -i 0.01 10.9.0.1
	ng_bg "$2" sh -c 'while :; do socat -T 1 /dev/null TCP:10.9.0.1:80,connect-timeout=1; done'
	ng_bg "$1" nguardctl monitor
	ng_bg "$1" sh -c 'while :; do nguardctl conns > /dev/null; nguardctl blocked > /dev/null; done'
	ng_bg "$1" sh -c 'while :; do cat /proc/net/nguard/* > /dev/null; done'
}

# block G P: one NULL-flag packet from P's routed address: P is blocked.
block() {
	ip netns exec "$2" hping3 -q -c 1 -p 80 -a 192.0.2.9 10.9.0.1 > /dev/null 2>&1
}

# unload: rmmod nguard while busy() runs. A netlink dump in progress
# (nguardctl conns, blocked) holds a reference on the module until it
# ends, and rmmod refuses at once ("in use") rather than waiting: retry
# for up to 10 s, as an operator would; a reference that is never put
# (a leak) still fails. RETRIES counts the refusals.
RETRIES=0
unload() {
	local n=0
	while ! rmmod nguard 2>/dev/null; do
		n=$((n + 1))
		[ $n -ge 50 ] && { rmmod nguard; return 1; }
		sleep 0.2
	done
	RETRIES=$((RETRIES + n))
}

# up: seconds since boot, to the hundredth (the figures' step times).
up() {
	local u _
	read -r u _ < /proc/uptime
	echo "$u"
}

# lap NAME: append NAME=seconds since the last lap to LAPS.
lap() {
	local t
	t=$(up)
	LAPS="$LAPS $1=$(echo "$t $LAST" | awk '{ printf "%.1f", $1 - $2 }')"
	LAST=$t
}

# stop: kill what busy() started (the namespaces may be gone already).
stop() {
	local p
	for p in $NG_PIDS; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	NG_PIDS=""
}

modprobe nguard || ng_fail "modprobe nguard"
t0=$(date +%s) i=0 blocked=0 bad=0
while [ $i -lt $NS ]; do
	g=g$i p=p$i LAPS="" LAST=$(up)
	if ! pair $g $p; then
		echo "cycle $i: namespaces not made"
		bad=$((bad + 1))
	elif lap make && ip netns exec $g nguardctl apply /tmp/churn.conf > /dev/null; then
		lap apply
		busy $g $p
		sleep 0.3
		block $g $p
		sleep 0.2
		[ -n "$(ip netns exec $g nguardctl blocked --json | jq -r '.[].addr')" ] &&
			blocked=$((blocked + 1))
		lap busy
	else
		echo "cycle $i: apply failed"
		bad=$((bad + 1))
	fi
	# g goes with its policy, block, hooks, traffic and readers.
	ip netns del $g
	ip netns del $p
	lap del
	stop
	lap stop
	echo "CHURN ns cycle=$i$LAPS"
	NG_HOSTS=
	i=$((i + 1))
done
t1=$(date +%s)
ng_check "namespace churn: $NS cycles, every policy applied" test $bad -eq 0
ng_check "namespace churn: a live block in $blocked of $NS cycles (at least 90%)" \
	test $((blocked * 10)) -ge $((NS * 9))
echo "CHURN namespaces cycles=$NS applied=$((NS - bad)) with_block=$blocked seconds=$((t1 - t0))"

# Module: two guards with live policies under traffic, unloaded and
# reloaded; the namespaces stay, the module comes and goes.
i=0 bad=0
pair g p && pair h q || { echo "module churn: namespaces not made"; bad=$((bad + 1)); }
NG_HOSTS="g p h q"
while [ $i -lt $MOD ]; do
	LAPS="" LAST=$(up)
	lsmod | grep -q '^nguard ' || modprobe nguard ||
		{ echo "cycle $i: modprobe failed"; bad=$((bad + 1)); }
	lap load
	for n in g h; do
		ip netns exec $n nguardctl apply /tmp/churn.conf > /dev/null ||
			{ echo "cycle $i: apply in $n failed"; bad=$((bad + 1)); }
	done
	lap apply
	busy g p
	busy h q
	sleep 0.3
	block g p
	lap busy
	unload || { echo "cycle $i: rmmod failed for 10 s"; bad=$((bad + 1)); }
	lap unload
	stop
	lap stop
	echo "CHURN module cycle=$i$LAPS"
	i=$((i + 1))
done
t2=$(date +%s)
ng_check "module churn: $MOD unloads under traffic, every step succeeded" test $bad -eq 0
echo "CHURN module cycles=$MOD failed_steps=$bad rmmod_retries=$RETRIES seconds=$((t2 - t1))"
ng_cleanup

# Still works: a policy applies, is enforced, the module unloads.
modprobe nguard
pair gz pz || ng_fail "after the churn: namespaces"
ng_check "after the churn: apply" ip netns exec gz nguardctl apply /tmp/churn.conf
ng_serve gz TCP 80
sleep 0.5
if ng_try pz TCP 10.9.0.1 80; then
	ng_ok "after the churn: allowed traffic passes"
else
	# Still a failure; what the guard saw, and whether a later try
	# passes (a slow server start) or not (a drop), for the record.
	ng_fail "after the churn: allowed traffic passes"
	ip netns exec gz awk '$2 != 0' /proc/net/nguard/stats
	ip netns exec gz nguardctl blocked
	ip netns exec gz nguardctl conns
	ip netns exec gz cat /proc/net/tcp6 | awk '$4 == "0A"'
	sleep 5
	ng_try pz TCP 10.9.0.1 80 && r=passes || r=fails
	echo "CHURN after: allowed traffic $r 5 s later"
fi
ng_check "after the churn: denied traffic is dropped" \
	sh -c '! /sbin/ip netns exec pz socat -T 2 /dev/null TCP:10.9.0.1:22,connect-timeout=2'
ng_cleanup
ng_check "after the churn: rmmod" rmmod nguard
ng_done
