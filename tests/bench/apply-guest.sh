#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Inside the VM: apply time of nguard vs nft -f for the same ruleset:
# 100k prefixes in 50 segments (IPv4 /24s) and 10k rules, each rule a
# segment pair with a TCP port. nft gets the equivalent: one interval set
# per segment and one rule per nguard rule matching both sets and the port.
. /tests/lib.sh
modprobe nguard
modprobe nf_tables

N=${NG_BENCH_PREFIXES:-100000} R=${NG_BENCH_RULES:-10000} S=50
awk -v n=$N -v r=$R -v s=$S 'BEGIN {
	print "default deny"
	for (i = 0; i < n; i++)
		printf "segment s%d %d.%d.%d.0/24\n", i % s, 10 + int(i / 65536),
			int(i / 256) % 256, i % 256
	for (i = 0; i < r; i++)
		printf "allow s%d -> s%d tcp %d\n", i % s, (i * 7 + 1) % s, 1 + i % 60000
}' > /tmp/bench.conf
awk -v n=$N -v r=$R -v s=$S 'BEGIN {
	print "table ip ng {"
	for (k = 0; k < s; k++) {
		printf "  set s%d { type ipv4_addr; flags interval; elements = { ", k
		sep = ""
		for (i = k; i < n; i += s) {
			printf "%s%d.%d.%d.0/24", sep, 10 + int(i / 65536), int(i / 256) % 256, i % 256
			sep = ", "
		}
		print " } }"
	}
	print "  chain pre { type filter hook prerouting priority -250; policy drop;"
	for (i = 0; i < r; i++)
		printf "    ip saddr @s%d ip daddr @s%d tcp dport %d accept\n", i % s, (i * 7 + 1) % s, 1 + i % 60000
	print "  }"
	print "}"
}' > /tmp/bench.nft

ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }
# Each tool applies three times into a fresh namespace; report the best.
for tool in nguard nft; do
	best=999999999
	for run in 1 2 3; do
		ip netns add bench
		t0=$(ms)
		if [ $tool = nguard ]; then
			ip netns exec bench nguardctl apply /tmp/bench.conf > /tmp/out.txt || echo "nguard apply failed"
		else
			ip netns exec bench nft -f /tmp/bench.nft || echo "nft -f failed"
		fi
		t1=$(ms)
		ip netns del bench
		[ $((t1 - t0)) -lt $best ] && best=$((t1 - t0))
	done
	echo "BENCH apply $tool prefixes=$N rules=$R best_ms=$best"
	[ $tool = nguard ] && echo "BENCH nguardctl said: $(cat /tmp/out.txt)"
done
ng_done
