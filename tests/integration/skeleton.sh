#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Walking skeleton end to end: load, no hooks (no cost, no counting)
# without a policy, count IPv4/IPv6 traffic per netns with one, netlink
# status agrees with /proc, flush detaches, unload and reload under
# traffic, and delete a namespace under traffic. The console scan catches
# any splat.
. /tests/lib.sh

ng_check "modprobe nguard" modprobe nguard
ng_check "dmesg announces load" sh -c 'dmesg | grep -q "nguard: loaded, version"'

ng_host a
ng_host b
ng_host idle
ng_link a 10.0.0.1/24 fd00::1/64 b 10.0.0.2/24 fd00::2/64

# No policy: the module has no hooks in the namespace and counts nothing.
ng_check "no policy: ping a->b v4" ng_in a ping -c 2 -i 0.2 -W 2 10.0.0.2
ng_check "no policy: b has no hooks, counted nothing" test "$(ng_stat b ipv4_in_packets)" = 0
ng_check "policy generation 0 without policy" test "$(ng_json b .policy.generation)" = 0
ng_check "status text output" sh -c '/sbin/ip netns exec b nguardctl status | grep -q "pass-through"'

# An allow-all policy attaches the hooks.
printf 'mode enforce\ndefault allow\n' > /tmp/allow.conf
allow_all() { ng_in "$1" nguardctl apply /tmp/allow.conf > /dev/null; }
ng_check "apply allow-all in a" allow_all a
ng_check "apply allow-all in b" allow_all b

v4in0=$(ng_stat b ipv4_in_packets)
v6in0=$(ng_stat b ipv6_in_packets)
ng_check "ping a->b v4" ng_in a ping -c 5 -i 0.2 -W 2 10.0.0.2
ng_check "ping b->a v4" ng_in b ping -c 5 -i 0.2 -W 2 10.0.0.1
ng_check "ping a->b v6" ng_in a ping -6 -c 5 -i 0.2 -W 2 fd00::2
ng_check "ping b->a v6" ng_in b ping -6 -c 5 -i 0.2 -W 2 fd00::1

# b received 5 echo requests and 5 echo replies per family (at least).
v4in=$(ng_stat b ipv4_in_packets)
v6in=$(ng_stat b ipv6_in_packets)
ng_check "ipv4_in_packets grew by >= 10 ($v4in0 -> $v4in)" test $((v4in - v4in0)) -ge 10
ng_check "ipv6_in_packets grew by >= 10 ($v6in0 -> $v6in)" test $((v6in - v6in0)) -ge 10
ng_check "ipv4_in_bytes >= 10 * 84" test "$(ng_stat b ipv4_in_bytes)" -ge 840
ng_check "ipv4_out_packets >= 10" test "$(ng_stat b ipv4_out_packets)" -ge 10
ng_check "ipv6_out_packets >= 10" test "$(ng_stat b ipv6_out_packets)" -ge 10

# netlink and /proc read the same per-CPU counters: the netlink value must
# lie between two /proc reads taken around it.
for c in ipv4_in_packets ipv4_in_bytes ipv6_in_packets ipv6_out_bytes; do
	p1=$(ng_stat b $c)
	j=$(ng_json b ".counters.$c")
	p2=$(ng_stat b $c)
	ng_check "status --json $c=$j within /proc [$p1,$p2]" \
		test "$j" -ge "$p1" -a "$j" -le "$p2"
done
ng_check "status --json module version" test "$(ng_json b .module.version)" = "0.1.0"
ng_check "allowed_packets counts with the policy" test "$(ng_stat b allowed_packets)" -ge 10

# Flush: back to pass-through, hooks detached, counters stand still.
ng_check "flush b" ng_in b nguardctl flush
v4f=$(ng_stat b ipv4_in_packets)
ng_check "after flush: ping a->b v4" ng_in a ping -c 3 -i 0.2 -W 2 10.0.0.2
ng_check "after flush: b counted nothing more ($v4f)" test "$(ng_stat b ipv4_in_packets)" = "$v4f"
ng_check "re-apply allow-all in b" allow_all b

# Namespaces are isolated: the idle one saw nothing.
ng_check "idle netns counted nothing" test "$(ng_stat idle ipv4_in_packets)" = 0
ng_check "idle netns json agrees" test "$(ng_json idle .counters.ipv4_in_packets)" = 0

# Least privilege: a local user and the root of an unprivileged user
# namespace can neither use the control plane nor join the events group
# (the group's flag is probed per kernel: kmod/compat.h). The control
# shows root can, so the refusals are the kernel's, not a broken tool.
refused() { # refused WHAT CMD...: nguardctl's permission exit (4) and message
	local what=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	echo "$out" | tail -n 2
	[ $rc -eq 4 ] && echo "$out" | grep -q "permission denied: $what"
}
ng_check "local user: status refused" \
	refused "nguardctl needs" su -s /bin/sh nobody -c 'nguardctl status'
ng_check "local user: joining the events group refused" \
	refused "the event stream" su -s /bin/sh nobody -c 'timeout 5 nguardctl monitor'
ng_check "user-namespace root: status refused" \
	refused "nguardctl needs" unshare -r nguardctl status
ng_check "user-namespace root: joining the events group refused" \
	refused "the event stream" unshare -r timeout 5 nguardctl monitor
ng_check "control: root joins the events group (monitor runs until stopped)" \
	sh -c 'out=$(timeout 2 nguardctl monitor 2>&1); rc=$?
		[ $rc -eq 0 ] || [ $rc -eq 124 ] || [ $rc -eq 143 ] || exit 1
		! echo "$out" | grep -q "permission denied"'
# /proc/net/nguard: only the counters are public (as nf_conntrack's table
# is 0440, who talks to whom is root's business).
ng_check "local user reads /proc/net/nguard/stats" \
	su -s /bin/sh nobody -c 'cat /proc/net/nguard/stats > /dev/null'
for f in conns policy segments blocked anomalies; do
	ng_check "local user cannot read /proc/net/nguard/$f" \
		su -s /bin/sh nobody -c "! cat /proc/net/nguard/$f"
	ng_check "control: root reads /proc/net/nguard/$f" cat /proc/net/nguard/$f
done

# Unload while TCP and ICMP traffic flows, then reload.
ng_bg b sh -c 'while :; do nc -l -p 5001 > /dev/null; done'
sleep 0.5
ng_bg a sh -c 'while :; do nc 10.0.0.2 5001 < /dev/zero; sleep 0.1; done'
ng_bg a ping -6 -i 0.01 fd00::2
ng_bg b ping -i 0.01 10.0.0.1
sleep 1
b1=$(ng_stat b ipv4_in_bytes)
sleep 1
b2=$(ng_stat b ipv4_in_bytes)
ng_check "TCP stream flows before unload ($b1 -> $b2 bytes)" test "$b2" -gt $((b1 + 10000))
ng_check "rmmod nguard under traffic" rmmod nguard
ng_check "dmesg announces unload" sh -c 'dmesg | grep -q "nguard: unloaded"'
ng_check "/proc/net/nguard gone after unload" test ! -e /proc/net/nguard
sleep 1
ng_check "traffic still flows without module" ng_in a ping -c 2 -W 2 10.0.0.2
ng_check "modprobe nguard under traffic" modprobe nguard
ng_check "after reload: no policy, no counting" test "$(ng_stat b ipv4_in_bytes)" = 0
ng_check "apply allow-all in b under traffic" allow_all b
sleep 2
b1=$(ng_stat b ipv4_in_bytes)
sleep 1
b2=$(ng_stat b ipv4_in_bytes)
ng_check "counters grow after reload ($b1 -> $b2)" test "$b2" -gt "$b1"

# Delete a namespace while traffic flows through it and the module is live.
ng_host c
ng_link a 10.0.1.1/24 fd01::1/64 c 10.0.1.2/24 fd01::2/64
ng_check "apply allow-all in c" allow_all c
ng_bg c ping -i 0.01 10.0.1.1
ng_bg a ping -6 -i 0.01 fd01::2
sleep 1
ng_check "netns c counted traffic" test "$(ng_stat c ipv4_out_packets)" -gt 0
ng_check "ip netns del c under traffic" ip netns del c
sleep 1

# With the module unloaded, status autoloads it through the genl alias.
ng_check "rmmod nguard again" rmmod nguard
ng_check "nguardctl status autoloads the module" ng_in b nguardctl status
ng_check "module is back" sh -c 'lsmod | grep -q "^nguard "'
ng_cleanup
ng_check "final rmmod" rmmod nguard
ng_done
