#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Load the KUnit test module: its suites run at load and print KTAP on the
# console, which the host parses with kunit.py (tests/lib/kunit-parse.sh).
# Here we only check that every suite reported success in debugfs.
. /tests/lib.sh
ng_check "nguard_kunit loads" modprobe nguard_kunit
for f in /sys/kernel/debug/kunit/nguard*/results; do
	ng_check "results in $f" grep -q "ok" "$f"
	ng_check "no failing case in $f" sh -c "! grep -q '^ *not ok' $f"
done
ng_check "nguard_kunit unloads" rmmod nguard_kunit
ng_done
