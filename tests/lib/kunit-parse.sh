#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Extract the KTAP that nguard_kunit.ko printed on the guest console and
# feed it to the kernel's own parser (tools/testing/kunit/kunit.py parse),
# which exits non-zero on any failed or crashed case. A module prints its
# suites without the top-level header before 6.6 or so, with one (its own
# "KTAP version 1" and "1..N") after: drop whatever top-level header there
# is and add ours, "KTAP version 1" and "1..N".
# Usage: kunit-parse.sh CONSOLE_LOG KERNEL_TREE
set -euo pipefail
con=$1 tree=$2
ktap=$(mktemp)
trap 'rm -f "$ktap"' EXIT

body=$(sed -E 's/^\[ *[0-9]+\.[0-9]+\] //' "$con" |
	awk '/^nguard-vm: ==== kunit ====/ { on = 1; next }
	     /^nguard-vm: / { on = 0 }
	     on' |
	grep -E '^ *(KTAP version|# |ok [0-9]|not ok [0-9]|[0-9]+\.\.[0-9]+)' |
	grep -vE '^(KTAP version|[0-9]+\.\.[0-9]+$)' || true)
n=$(printf '%s\n' "$body" | grep -cE '^(ok|not ok) [0-9]+' || true)
if [ "$n" -eq 0 ]; then
	echo "kunit-parse: no KUnit suite results found on the console" >&2
	exit 1
fi
printf 'KTAP version 1\n1..%s\n%s\n' "$n" "$body" > "$ktap"
python3 "$tree/tools/testing/kunit/kunit.py" parse "$ktap"
