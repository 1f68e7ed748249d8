#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The `make demo` story, run inside the VM. Each step says what it shows.
. /tests/lib.sh
say() { printf '\n### %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
g() { ip netns exec guard nguardctl "$@"; }
outcome() { # outcome DESC HOST PROTO ADDR PORT
	local d=$1
	shift
	if ng_try "$@"; then echo "  $d: connected"; else echo "  $d: blocked"; fi
}

say "Debian's stock kernel $(uname -r) is running; nguard.ko was built for it by DKMS."
run modinfo -F version nguard
dmesg -n 1
say "Loading the module hooks IPv4 and IPv6 in every network namespace; with no policy it passes everything."
run modprobe nguard
dmesg | grep 'nguard:'

say "A small network: web, db and admin hosts and an outside host 'world', all routed through 'guard', the server nguard protects."
ng_guard_topology
for p in 22 80 5432; do ng_serve db TCP $p; ng_serve web TCP $p; done
sleep 0.5
ip -n guard -br addr

cat > /tmp/site.conf <<'POL'
mode enforce
default deny
segment web    10.0.1.0/24
segment db     10.0.2.0/24
segment admin  10.0.9.0/24
allow web   -> db    tcp 5432
allow admin -> *     tcp 22
allow *     -> web   tcp 80
deny  *     -> db    log
allow *     -> *     icmp
detect portscan weight 21 window 3s action block 60s
detect sweep to db hosts 8 window 10s action block 60s
POL
say "The policy: three segments, who may talk to whom, and two detectors. 'check' validates it without touching the kernel."
cat /tmp/site.conf
run g check /tmp/site.conf
say "'apply' pushes it atomically in one netlink transaction."
run g apply /tmp/site.conf

say "Allowed and denied traffic, judged per segment pair; replies pass because connections are tracked."
outcome "web   -> db:5432  (allowed)" web TCP 10.0.2.2 5432
outcome "web   -> db:22    (denied) " web TCP 10.0.2.2 22
outcome "admin -> db:22    (allowed)" admin TCP 10.0.2.2 22
outcome "world -> web:80   (allowed)" world TCP 10.0.1.2 80
outcome "world -> db:5432  (denied, logged)" world TCP 10.0.2.2 5432
say "'trace' asks the kernel how it would judge a packet, and which rule decides."
run g trace 10.0.9.2 10.0.2.2 tcp 5432

say "An intruder on the admin host port-scans db with nmap: nguard scores the scan and quarantines the source."
ip netns exec admin nmap -n -Pn -sS --max-retries 0 -T4 -p 1-200 10.0.2.2 2>&1 | sed -n '/Nmap scan report/,$p' | head -n 6
run g blocked
outcome "admin -> db:22 while quarantined" admin TCP 10.0.2.2 22

say "The outside host sweeps the db segment with pings, looking for more machines: caught as a sweep."
for i in $(seq 3 14); do ip netns exec world ping -c 1 -W 1 10.0.2.$i > /dev/null 2>&1 & done
sleep 2
run g blocked

say "'stats' shows what happened: verdicts, drop reasons, anomalies per detector, the connection table, hits per rule."
run g stats
say "The tracked connections."
run g conns
say "Counters are also in /proc/net/nguard/stats, readable without privileges."
run ip netns exec guard head -n 30 /proc/net/nguard/stats
say "dmesg has one rate-limited line per denied-and-logged packet and per anomaly."
dmesg | grep 'nguard:' | tail -n 12

say "Policy discovery: which segment talks to which? A policy in monitor mode with 'observe on' passes everything and keeps a summary of the flows it would have dropped."
run g unblock all
cat > /tmp/learn.conf <<'POL'
mode monitor
default deny
segment web    10.0.1.0/24
segment db     10.0.2.0/24
segment admin  10.0.9.0/24
allow admin -> *     tcp 22
observe on
POL
run g apply /tmp/learn.conf
outcome "web   -> db:5432  (no rule yet)" web TCP 10.0.2.2 5432
outcome "admin -> web:80   (no rule yet)" admin TCP 10.0.1.2 80
outcome "world -> web:80   (from world) " world TCP 10.0.1.2 80
run g observed
say "'suggest' prints the policy plus the rules that traffic needed, each with its evidence; world's flow is only listed for review."
g suggest --enforce > /tmp/learned.conf
cat /tmp/learned.conf
say "Reviewed, it is applied in enforce mode with a safety net: without 'confirm' within 60 s it rolls back."
run g apply --confirm 60 /tmp/learned.conf
run g confirm
outcome "web   -> db:5432  (learned)    " web TCP 10.0.2.2 5432
outcome "web   -> db:22    (never seen) " web TCP 10.0.2.2 22
outcome "world -> web:80   (not learned)" world TCP 10.0.1.2 80

say "Unloading the module while traffic flows is safe."
ng_bg web ping -i 0.05 10.0.2.2
sleep 1
ng_cleanup
run rmmod nguard
dmesg | grep 'nguard: unloaded'
ng_done
