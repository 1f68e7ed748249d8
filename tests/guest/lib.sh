# SPDX-License-Identifier: GPL-2.0-only
# Helpers for VM scenarios (sourced by tests/integration/*.sh inside the
# guest). A scenario builds "hosts" as network namespaces joined by veth
# pairs, drives traffic and asserts on nguardctl/proc output. Everything a
# scenario creates is removed on exit, pass or fail.
#
#   ng_host NAME                 new namespace (lo up, forwarding on)
#   ng_link A IP4A IP6A B IP4B IP6B   veth between two hosts; addresses
#                                with prefix length, e.g. 10.0.0.1/24
#   ng_in NAME CMD...            run CMD inside host NAME
#   ng_bg NAME CMD...            same, in the background (killed at exit)
#   ng_kill_host NAME            end every process in NAME's namespace
#   ng_stat NAME COUNTER         counter from /proc/net/nguard/stats
#   ng_json NAME JQ-FILTER       field of `nguardctl status --json`
#   ng_ok / ng_fail MSG          record a check (fail makes the test fail)
#   ng_check DESC CMD...         ng_ok if CMD succeeds, else ng_fail
#   ng_done                      end of scenario: exit 1 if any check failed
#   ng_guard_topology            web, db, admin, world routed through guard
#                                (see the function)
#   ng_guard_segments            policy head for it: enforce, deny, its segments
#   ng_serve HOST PROTO PORT     socat server (TCP/UDP, v4+v6) answering "ok";
#                                returns once it listens (ng_listening)
#   ng_try HOST PROTO ADDR PORT [OPTS]  socat request; succeeds on "ok"
#   ng_tryu HOST ADDR PORT       the same over UDP
#   allowed / denied ARGS...     ng_try as a check that must pass / fail
#   witness HOST NAME MATCH...   an nft counter in HOST's input path (the
#                                victim's own namespace); seen HOST NAME
#                                reads it
#   witness_conns HOST NAME ip|ip6 MATCH...  distinct connections (source
#                                address and port of each SYN); seen_conns
#   ng_console_metrics FILE      FILE (nguardctl metrics output) on the console
#                                between marker lines, for the host's promtool
#                                check (tests/lib/metrics-check.sh)
set -u
export PATH=/sbin:/usr/sbin:/usr/bin:/bin
# busybox ash runs its own applets before searching PATH; these real tools
# (iproute2, kmod) must win over the applets of the same name.
ip() { /sbin/ip "$@"; }
modprobe() { /sbin/modprobe "$@"; }
rmmod() { /sbin/rmmod "$@"; }
lsmod() { /sbin/lsmod "$@"; }
modinfo() { /sbin/modinfo "$@"; }
NG_HOSTS=""
NG_PIDS=""
NG_FAILED=0
NG_CHECKS=0

# ng_cleanup: end every process of the scenario's hosts, not only the ones
# ng_bg started: a `sh -c 'while :; do nc ...; done'` killed by its pid
# leaves its nc running, and that keeps the namespace and its veth alive
# (a stream from /dev/zero then ate the CPU of every later scenario).
ng_cleanup() {
	local p h left
	for p in $NG_PIDS; do kill "$p" 2>/dev/null; done
	for h in $NG_HOSTS; do ng_term_host "$h"; done
	sleep 0.2
	for h in $NG_HOSTS; do
		left=$(ip netns pids "$h" 2>/dev/null)
		# shellcheck disable=SC2086 # a list of pids
		[ -z "$left" ] || kill -9 $left 2>/dev/null
	done
	wait 2>/dev/null
	for h in $NG_HOSTS; do ip netns del "$h" 2>/dev/null; done
	NG_HOSTS=""
	NG_PIDS=""
}
trap ng_cleanup EXIT

ng_host() {
	ip netns add "$1" || return 1
	NG_HOSTS="$NG_HOSTS $1"
	ip -n "$1" link set lo up
	ip netns exec "$1" sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward;
		echo 1 > /proc/sys/net/ipv6/conf/all/forwarding' 2>/dev/null
}

ng_link() {
	local a=$1 a4=$2 a6=$3 b=$4 b4=$5 b6=$6 ia ib
	ia="v-$b"
	ib="v-$a"
	ip link add "$ia" netns "$a" type veth peer name "$ib" netns "$b" || return 1
	ip -n "$a" addr add "$a4" dev "$ia"
	ip -n "$b" addr add "$b4" dev "$ib"
	ip -n "$a" -6 addr add "$a6" dev "$ia" nodad
	ip -n "$b" -6 addr add "$b6" dev "$ib" nodad
	ip -n "$a" link set "$ia" up
	ip -n "$b" link set "$ib" up
}

ng_in() {
	local h=$1
	shift
	ip netns exec "$h" "$@"
}

ng_bg() {
	local h=$1
	shift
	# /sbin/ip, not the ip() function: a function in the background runs
	# in a forked shell, and $! would be that shell, not the command.
	/sbin/ip netns exec "$h" "$@" >/dev/null 2>&1 &
	NG_PIDS="$NG_PIDS $!"
}

# ng_term_host HOST: SIGTERM to every process in HOST's namespace.
ng_term_host() {
	local p
	for p in $(ip netns pids "$1" 2>/dev/null); do kill "$p" 2>/dev/null; done
}

# ng_kill_host HOST: the same, then a second for their connections to
# close now, not when their sleep ends in the middle of a later check.
ng_kill_host() {
	ng_term_host "$1"
	sleep 1
}

ng_stat() {
	ip netns exec "$1" awk -v k="$2" '$1 == k { print $2 }' /proc/net/nguard/stats
}

ng_json() {
	ip netns exec "$1" nguardctl status --json | jq -r "$2"
}

ng_ok() {
	NG_CHECKS=$((NG_CHECKS + 1))
	echo "  ok: $*"
}

ng_fail() {
	NG_CHECKS=$((NG_CHECKS + 1))
	NG_FAILED=$((NG_FAILED + 1))
	echo "  FAILED: $*"
}

ng_check() {
	local desc=$1
	shift
	if "$@"; then ng_ok "$desc"; else ng_fail "$desc"; fi
}

ng_done() {
	echo "  $NG_CHECKS checks, $NG_FAILED failed"
	[ "$NG_FAILED" -eq 0 ]
	exit $?
}

# Four hosts routed through a fifth, "guard", where policies live:
#   web   10.0.1.2  2001:db8:1::2  --v-web---+
#   db    10.0.2.2  2001:db8:2::2  --v-db----+-- guard (.1 / ::1 on each link)
#   admin 10.0.9.2  fd09::2        --v-admin-+
#   world 192.0.2.2 2001:db8:99::2 --v-world-+
ng_guard_topology() {
	local r h
	ng_host guard || return 1
	for h in web db admin world; do ng_host $h || return 1; done
	ng_link guard 10.0.1.1/24 2001:db8:1::1/64 web 10.0.1.2/24 2001:db8:1::2/64
	ng_link guard 10.0.2.1/24 2001:db8:2::1/64 db 10.0.2.2/24 2001:db8:2::2/64
	ng_link guard 10.0.9.1/24 fd09::1/64 admin 10.0.9.2/24 fd09::2/64
	ng_link guard 192.0.2.1/24 2001:db8:99::1/64 world 192.0.2.2/24 2001:db8:99::2/64
	for r in web:10.0.1.1:2001:db8:1::1 db:10.0.2.1:2001:db8:2::1 \
		 admin:10.0.9.1:fd09::1 world:192.0.2.1:2001:db8:99::1; do
		h=${r%%:*} r=${r#*:}
		ip -n "$h" route add default via "${r%%:*}"
		ip -n "$h" -6 route add default via "${r#*:}"
	done
}

# ng_guard_segments: the head of a policy for ng_guard_topology: enforce,
# default deny, and the segments web, db and admin (world is the rest).
ng_guard_segments() {
	printf '%s\n' "mode enforce" "default deny" \
		"segment web 10.0.1.0/24 2001:db8:1::/64" \
		"segment db 10.0.2.0/24 2001:db8:2::/64" \
		"segment admin 10.0.9.0/24 fd09::/64"
}

# ng_serve and ng_try: the client's stdin is /dev/null, so it shuts its
# sending side at once and the server sees EOF right after accepting.
# socat then waits only -t seconds (default 0.5) for the other side: the
# server for its forked shell's "ok", the client for that "ok". A debug
# kernel busy tearing down namespaces can take longer than 0.5 s to fork
# and exec the shell (found by the churn campaign at full count), so both
# wait longer; -T 2 still bounds a silent connection, and both end at
# once when the answer has come.
ng_serve() {
	ng_bg "$1" socat -t 5 "$2"6-LISTEN:"$3",fork,reuseaddr \
		SYSTEM:'echo ok; cat > /dev/null'
	ng_listening "$1" "$2" "$3"
}

# ng_listening HOST TCP|UDP PORT: wait (up to 10 s) until HOST has a
# socket listening on PORT: a loaded debug kernel can take longer to
# start a server than a fixed sleep. Never fails: a check that needs the
# server says so itself.
ng_listening() {
	local i f st hex
	hex=$(printf '%04X' "$3")
	if [ "$2" = UDP ]; then f=/proc/net/udp6; st=07; else f=/proc/net/tcp6; st=0A; fi
	for i in $(seq 100); do
		ip netns exec "$1" awk -v p=":$hex" -v st="$st" \
			'$4 == st && substr($2, length($2) - 4) == p { f = 1 } END { exit !f }' "$f" &&
			return 0
		sleep 0.1
	done
	return 0
}

ng_try() {
	ip netns exec "$1" socat -T 2 -t 2 - "$2":"$3":"$4",connect-timeout=2"${5:+,$5}" \
		< /dev/null 2>/dev/null | grep -q ok
}

# UDP may lose the first datagram (neighbour resolution, a slow debug
# kernel forking the server): one retry.
ng_tryu() {
	local i
	for i in 1 2; do
		echo q | ip netns exec "$1" socat -T 3 - UDP:"$2":"$3" 2>/dev/null |
			grep -q ok && return 0
	done
	return 1
}

# witness HOST NAME MATCH...: a counting rule in HOST's input path,
# named by its comment (anonymous counters need no nft_objref).
witness() {
	local h=$1 name=$2
	shift 2
	ip netns exec "$h" nft add table inet w 2>/dev/null
	ip netns exec "$h" nft add chain inet w in '{ type filter hook input priority -300; }' 2>/dev/null
	ip netns exec "$h" nft add rule inet w in "$@" counter comment "\"$name\""
}
# seen HOST NAME: packets the counter saw.
seen() {
	ip netns exec "$1" nft -j list chain inet w in | jq -r --arg n "$2" \
		'.nftables[] | select(.rule.comment? == $n) | .rule.expr[] | select(.counter) | .counter.packets'
}
# witness_conns HOST NAME ip|ip6 MATCH...: HOST remembers the source
# address and port of every SYN matching MATCH in set NAME, so a SYN the
# client sent again (no SYN-ACK within a second on a slow VM) counts once.
witness_conns() {
	local h=$1 name=$2 fam=$3 t=ipv4_addr
	shift 3
	[ "$fam" = ip6 ] && t=ipv6_addr
	witness "$h" "$name-syns" "$@" &&
		ip netns exec "$h" nft add set inet w "$name" "{ type $t . inet_service; flags dynamic; size 4096; }" &&
		ip netns exec "$h" nft add rule inet w in "$@" add @"$name" "{ $fam saddr . tcp sport }"
}
# seen_conns HOST NAME: distinct connections (source address and port) seen.
seen_conns() {
	ip netns exec "$1" nft -j list set inet w "$2" |
		jq -r '[.nftables[] | select(.set) | (.set.elem // []) | length] | add'
}

allowed() { ng_check "allowed: $*" ng_try "$@"; }

denied() {
	if ng_try "$@"; then ng_fail "denied: $*"; else ng_ok "denied: $*"; fi
}

# The console carries kernel messages too: the block gets its sha256 in
# the end marker (the host checks it), and console messages are held back
# (console loglevel 1) while it is printed, so that none lands inside.
ng_console_metrics() {
	local sum lvl rest
	sum=$(sha256sum < "$1" | cut -d' ' -f1)
	read -r lvl rest < /proc/sys/kernel/printk
	echo 1 > /proc/sys/kernel/printk
	echo "==== nguard-metrics begin ===="
	cat "$1"
	echo "==== nguard-metrics end sha256 $sum ===="
	echo "$lvl" > /proc/sys/kernel/printk
	: "$rest"
}
