#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# "detect bruteforce", tried as the attack: real TCP connections (socat)
# to an SSH-like service on admin:22, witnessed at the victim admin by an
# nftables set of distinct connections in admin's own namespace. Topology
# of lib.sh: world (192.0.2.2, 2001:db8:99::2) is the attacker, web a
# legitimate client, the policy lives in guard.
#
#   - a legitimate client (web) below the threshold: every connection gets
#     through, it is never blocked;
#   - world's 10 connections within the window: exactly hits - 1 reach
#     admin (the witness counts them: the control), the next fires,
#     world is quarantined (reason bruteforce), the rest never arrive;
#     one report in dmesg, one monitor event, anomaly_bruteforce counts;
#   - IPv6 source rotation: one connection from each of 5 addresses of
#     one /64 is one source; its /64 is blocked;
#   - denied connections count too (a statement with action log on a
#     port no rule allows), but a SYN the client retransmits counts once:
#     2 attempts of hits 3 never fire, the third does.
. /tests/lib.sh

ng_check "modprobe nguard" modprobe nguard
ng_check "four hosts routed through guard" ng_guard_topology
ctl() { ip netns exec guard nguardctl "$@"; }
# shown LINE: `nguardctl show` prints LINE.
shown() { ctl show | grep -qxF -- "$1"; }
# reports N PATTERN: dmesg holds exactly N lines matching PATTERN.
reports() { test "$(dmesg | grep -c -- "$2")" -eq "$1"; }
# event JQ-CONDITION: the monitor printed an event that meets it.
# (jq 1.6's -e looks at the last input only: slurp, then any.)
event() { jq -s -e "any(.[]; $1)" /tmp/bf-mon.json > /dev/null; }
# sample LINE: `nguardctl metrics` prints LINE.
sample() { ctl metrics | grep -qxF -- "$1"; }
# refused6 ADDR: a connection from ADDR (world's /64) gets no answer.
refused6() { ! ng_try world TCP6 "[fd09::2]" 22 "bind=[$1],connect-timeout=2"; }
gst() { ng_stat guard "$1"; }
for i in 10 11 12 13 14; do ip -n world -6 addr add 2001:db8:99::$i/64 dev v-guard nodad; done
ng_serve admin TCP 22

{ ng_guard_segments; cat; } > /tmp/bf.conf <<'POL'
allow * -> admin tcp 22
detect bruteforce to admin tcp 22 hits 5 window 60s action block 1h
detect bruteforce from web to db tcp 3306 hits 3 window 60s action log
POL
ng_check "apply a policy with two bruteforce detectors" ctl apply /tmp/bf.conf
ng_check "show prints the detector back with its defaults spelled out" \
	shown "detect bruteforce to admin tcp 22 hits 5 window 60s action block 3600s"
ng_check "witness: admin counts world's connections to port 22" \
	witness_conns admin world4 ip ip saddr 192.0.2.2 tcp dport 22 tcp flags syn
ng_check "witness: admin counts world's IPv6 connections to port 22" \
	witness_conns admin world6 ip6 ip6 saddr 2001:db8:99::/64 tcp dport 22 tcp flags syn
ng_check "witness: admin counts web's connections to port 22" \
	witness_conns admin web4 ip ip saddr 10.0.1.2 tcp dport 22 tcp flags syn

ip netns exec guard timeout 60 nguardctl monitor --json > /tmp/bf-mon.json 2>&1 &
mon=$!
sleep 0.5

# The legitimate client: 4 logins in the window, one below the threshold.
ok=0
for i in 1 2 3 4; do ng_try web TCP 10.0.9.2 22 && ok=$((ok + 1)); done
ng_check "web: 4 connections below the threshold all get through ($ok)" test $ok -eq 4
ng_check "... admin saw all 4 ($(seen_conns admin web4))" test "$(seen_conns admin web4)" -eq 4
ng_check "... no anomaly, nothing blocked" \
	test "$(gst anomaly_bruteforce)" -eq 0 -a "$(ctl blocked --json | jq length)" -eq 0

# The attack: 10 connections from world, as fast as socat goes.
ok=0
for i in $(seq 10); do ng_try world TCP 10.0.9.2 22 "connect-timeout=1" && ok=$((ok + 1)); done
ng_check "world: admin saw exactly 4 of world's 10 connections ($(seen_conns admin world4)); the control: the witness counts" \
	test "$(seen_conns admin world4)" -eq 4
ng_check "... world got 4 answers ($ok)" test $ok -eq 4
ng_check "... quarantined with reason bruteforce for 3600 s" \
	test "$(ctl blocked --json | jq -r '.[] | select(.addr == "192.0.2.2") | "\(.reason) \(.secs)"')" = "bruteforce 3600"
ng_check "... anomaly_bruteforce counts one episode" test "$(gst anomaly_bruteforce)" -eq 1
ng_check "... the rest dropped as drop_blocked ($(gst drop_blocked))" test "$(gst drop_blocked)" -gt 0
ng_check "dmesg: one report, bruteforce src=192.0.2.2 ... dport=22 hits=5 ... action=block 3600s" \
	reports 1 "nguard: bruteforce src=192.0.2.2 dst=10.0.9.2 seg=world->admin dport=22 hits=5 window=60000ms action=block 3600s"
ng_check "another client (db) still gets through" ng_try db TCP 10.0.9.2 22

# IPv6: 5 addresses of world's /64, one connection each: one source.
ok=0
for i in 10 11 12 13 14; do
	ng_try world TCP6 "[fd09::2]" 22 "bind=[2001:db8:99::$i],connect-timeout=1" && ok=$((ok + 1))
done
ng_check "IPv6 rotation: admin saw 4 connections from the /64 ($(seen_conns admin world6)), $ok answered" \
	test "$(seen_conns admin world6)" -eq 4 -a $ok -eq 4
ng_check "... the /64 is blocked as one source" \
	test "$(ctl blocked --json | jq -r '.[] | select(.reason == "bruteforce" and .prefix_len == 64) | .addr')" = 2001:db8:99::
ng_check "... a sixth address of the /64 is dropped" refused6 2001:db8:99::2

# Denied connections count (action log), a retransmitted SYN once.
a0=$(gst anomaly_bruteforce)
for i in 1 2; do ng_try web TCP 10.0.2.2 3306 "connect-timeout=3"; done
ng_check "2 denied attempts (each SYN sent again while waiting 3 s): no anomaly yet" \
	test "$(gst anomaly_bruteforce)" -eq "$a0"
ng_try web TCP 10.0.2.2 3306 "connect-timeout=1"
ng_check "the third denied attempt fires (counted although denied)" \
	test "$(gst anomaly_bruteforce)" -eq $((a0 + 1))
ng_check "... action log: web is not blocked" \
	test "$(ctl blocked --json | jq '[.[] | select(.addr == "10.0.1.2")] | length')" -eq 0

kill "$mon" 2>/dev/null
wait "$mon" 2>/dev/null
ng_check "monitor: an anomaly event, kind bruteforce, world, dport 22, count 5, action block" \
	event '.type == "anomaly" and .kind == "bruteforce" and .src == "192.0.2.2" and .dport == 22 and .count == 5 and .action == "block"'
ng_check "monitor: a block event, kind bruteforce, for world" \
	event '.type == "block" and .kind == "bruteforce" and .src == "192.0.2.2"'
ng_check "metrics: nguard_anomalies_total{detector=\"bruteforce\"} is 3" \
	sample 'nguard_anomalies_total{detector="bruteforce"} 3'

ng_cleanup
ng_check "flush" nguardctl flush
ng_check "rmmod" rmmod nguard
ng_done
