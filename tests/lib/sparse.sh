#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Run sparse (C=2: every file, rebuilt or not) over kmod/ against the
# given kernel build dir; fail on any sparse report about our files.
# Usage: sparse.sh KDIR
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$(make -C "$1" M="$top" C=2 modules 2>&1)
rc=$?
echo "$out"
[ $rc -eq 0 ] || exit $rc
if echo "$out" | grep -E "^$top/kmod/.*: (warning|error):"; then
	echo "sparse: reports above" >&2
	exit 1
fi
