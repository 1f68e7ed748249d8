#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Policy discovery end to end: map, then enforce. On the topology of
# lib.sh with the policy in guard:
#
#   - a policy in mode monitor with "observe on", one allow rule and one
#     explicit deny, lets real TCP, UDP and ICMP flow between web, db,
#     admin and world;
#   - `nguardctl suggest --enforce` prints a policy that `nguardctl check`
#     accepts: one allow rule for each missing segment pair and protocol,
#     the operator's rules unchanged, world's flow and the flow the
#     operator denies only as comments for review;
#   - applied in enforce mode (apply --confirm, confirm), every flow seen
#     between segments passes, and a flow never seen, world's flow and
#     the operator's denied flow are dropped (the control: the same
#     flows passed in monitor mode).
. /tests/lib.sh

ng_check "modprobe nguard" modprobe nguard
ng_check "four hosts routed through guard" ng_guard_topology
ctl() { ip netns exec guard nguardctl "$@"; }
has() { grep -qxF -- "$1" /tmp/new.conf; }
lacks() { ! grep -q -- "$1" /tmp/new.conf; }
pings() { ip netns exec "$1" ping -c 2 -i 0.3 -W 2 "$2" > /dev/null 2>&1; }

ng_serve db TCP 5432
ng_serve db TCP 80
ng_serve db UDP 53
ng_serve admin TCP 22
ng_serve web TCP 80

{ ng_guard_segments | sed 's/^mode enforce$/mode monitor/'; cat; } > /tmp/disc.conf <<'POL'
allow web -> db tcp 5432
deny web -> admin log
observe on
POL
ng_check "apply a monitor-mode policy with 'observe on' and missing rules" \
	ctl apply /tmp/disc.conf

# The traffic, all of it passing in monitor mode (the control).
allowed web TCP 10.0.2.2 5432
ng_check "monitor: web -> db udp/53 (no rule)" ng_tryu web 10.0.2.2 53
allowed admin TCP 10.0.1.2 80
allowed admin TCP6 "[2001:db8:1::2]" 80
ng_check "monitor: admin pings db (no rule)" pings admin 10.0.2.2
allowed world TCP 10.0.2.2 5432
allowed web TCP 10.0.9.2 22
ctl observed

ctl suggest --enforce > /tmp/new.conf 2> /tmp/new.err
rc=$?
cat /tmp/new.conf /tmp/new.err
ng_check "suggest --enforce exits 0" test $rc -eq 0
ng_check "the suggestion passes nguardctl check" nguardctl check /tmp/new.conf
ng_check "... mode enforce" has "mode enforce"
ng_check "... the operator's rules as they were" \
	sh -c 'grep -qxF "allow web -> db tcp 5432" /tmp/new.conf && grep -qxF "deny web -> admin log" /tmp/new.conf'
ng_check "... allow web -> db udp 53" has "allow web -> db udp 53"
ng_check "... allow admin -> web tcp 80 (IPv4 and IPv6 in one rule)" has "allow admin -> web tcp 80"
ng_check "... allow admin -> db icmp" has "allow admin -> db icmp"
ng_check "... three rules added, said on standard error" \
	grep -q "suggest: 3 rules added for 3 observed flows; 1 from world and 1 denied by a rule left for review" /tmp/new.err
ng_check "... world's flow only for review (#allow world -> db tcp 5432)" \
	has "#allow world -> db tcp 5432"
ng_check "... the flow a rule denies only for review (#allow web -> admin tcp 22)" \
	has "#allow web -> admin tcp 22"
ng_check "... no rule for world, none for * -> *" lacks "^allow world\|^allow \* -> \*"
ng_check "... each added rule has its evidence" \
	grep -q "^# 1 connection admin -> db, first seen .*, e.g. 10.0.9.2 -> 10.0.2.2$" /tmp/new.conf

ng_check "apply the suggestion in enforce mode, with --confirm 60" \
	ctl apply --confirm 60 /tmp/new.conf
ng_check "confirm it" ctl confirm
allowed web TCP 10.0.2.2 5432
ng_check "enforce: web -> db udp/53 passes" ng_tryu web 10.0.2.2 53
allowed admin TCP 10.0.1.2 80
allowed admin TCP6 "[2001:db8:1::2]" 80
ng_check "enforce: admin pings db" pings admin 10.0.2.2
denied web TCP 10.0.2.2 80
denied admin TCP 10.0.2.2 5432
denied world TCP 10.0.2.2 5432
denied web TCP 10.0.9.2 22

ng_cleanup
ng_check "flush" nguardctl flush
ng_check "rmmod" rmmod nguard
ng_done
