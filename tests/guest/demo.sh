#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The `make demo` story, run inside the VM. Each step says what it shows.
. /tests/lib.sh
say() { printf '\n### %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

say "Debian's stock kernel $(uname -r) is running; nguard.ko was built for it by DKMS."
run modinfo -F version nguard
dmesg -n 1
say "Loading the module: it hooks IPv4 and IPv6 in every network namespace and passes everything (no policy yet)."
run modprobe nguard
dmesg | grep 'nguard:'
say "Two hosts, 'client' and 'server', are network namespaces joined by a veth cable."
ng_host client
ng_host server
ng_link client 10.0.0.1/24 fd00::1/64 server 10.0.0.2/24 fd00::2/64
ip -n server -br addr show dev v-client
say "The client pings the server over IPv4 and IPv6."
ng_in client ping -c 3 -i 0.2 10.0.0.2 | tail -n 2
ng_in client ping -6 -c 3 -i 0.2 fd00::2 | tail -n 2
say "nguardctl status, run in the server's namespace, reads the server's own counters over generic netlink."
run ip netns exec server nguardctl status
say "The same counters as JSON, for scripts."
run ip netns exec server nguardctl status --json
say "And through /proc/net/nguard/stats, readable without privileges."
run ip netns exec server cat /proc/net/nguard/stats
say "Unloading while traffic flows is safe; dmesg shows the module's lines."
ng_bg client ping -i 0.01 10.0.0.2
sleep 1
run rmmod nguard
dmesg | grep 'nguard:'
ng_done
