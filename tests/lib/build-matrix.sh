#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# One cell of the static tier's build matrix: nguard.ko and the KUnit
# suites' objects against Debian's headers for KVER, with W=1 -Werror on
# our files and sparse (C=2) over every one of them, in a private copy of
# the DKMS source tree (tests/out/matrix/KVER). Installs the headers when
# missing. Fails on any compiler error or warning, and on any sparse
# report about a file of ours (reports about the kernel's own headers are
# not ours to fix and are ignored).
# Usage: build-matrix.sh KVER
set -uo pipefail
. "$(dirname "$0")/common.sh"

kver=$1
kdir=/lib/modules/$kver/build
[ -d "$kdir" ] || ng_need_pkgs "linux-headers-$kver"
[ -d "$kdir" ] || ng_die "no headers for $kver in $kdir"

src=$NG_OUT/matrix/$kver
rm -rf "$src"
mkdir -p "$src"
"$NG_TOP/tests/lib/dkms-sources.sh" "$src"
cp -r "$NG_TOP/kmod/tests" "$src/kmod/"

# The suites link only against a kernel with KUnit (the debug tier);
# here each object is compiled on its own.
kunit_objs=$(sed -n 's/^nguard_kunit-y [:+]= //p' "$NG_TOP/Kbuild" | tr -d '\\')

rc=0
out=$(make -C "$kdir" M="$src" W=1 NGUARD_WERROR=1 C=2 modules 2>&1) || rc=1
out2=$(make -C "$kdir" M="$src" W=1 NGUARD_WERROR=1 NGUARD_KUNIT_OBJS=1 C=2 \
	$kunit_objs 2>&1) || rc=1
printf '%s\n%s\n' "$out" "$out2"
[ -f "$src/nguard.ko" ] || { echo "$kver: no nguard.ko" >&2; rc=1; }
for o in $kunit_objs; do
	[ -f "$src/$o" ] || { echo "$kver: $o not built" >&2; rc=1; }
done
# PREEMPT_RT's lock primitives carry no consistent sparse context
# annotations: every lock/unlock wrapper is reported as a "context
# imbalance" there. The same code is checked for lock balance on the
# non-RT kernels of the matrix, so on RT that one report is not ours.
ignore='^$'
if grep -qs '^CONFIG_PREEMPT_RT=y' "$kdir/.config"; then
	ignore=': warning: context imbalance in '
fi
if printf '%s\n%s\n' "$out" "$out2" | grep -E "^$src/kmod/.*: (warning|error):" |
	grep -vE "$ignore"; then
	echo "$kver: sparse or compiler reports about our files (above)" >&2
	rc=1
fi
[ $rc -eq 0 ] && echo "$kver: nguard.ko and $(echo $kunit_objs | wc -w) KUnit objects built, sparse clean"
exit $rc
