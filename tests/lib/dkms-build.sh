#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Build nguard.ko for KVER exactly the way a server does, through DKMS
# (dkms add + dkms build -k KVER), but in private DKMS trees under the
# output directory (tests/out, or $NGUARD_OUT) so the host's /var/lib/dkms and /usr/src stay untouched.
# Usage: dkms-build.sh KVER   Prints the path of the built nguard.ko.
set -euo pipefail
. "$(dirname "$0")/common.sh"

kver=$1
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$NG_TOP/dkms.conf")
base=$NG_OUT/dkms
rm -rf "$base"
mkdir -p "$base/src/nguard-$ver" "$base/tree" "$base/install"
"$NG_TOP/tests/lib/dkms-sources.sh" "$base/src/nguard-$ver"

opts=(--sourcetree "$base/src" --dkmstree "$base/tree" --installtree "$base/install")
dkms add "${opts[@]}" -m nguard -v "$ver" >&2
if ! dkms build "${opts[@]}" -m nguard -v "$ver" -k "$kver" >&2; then
	cat "$base/tree/nguard/$ver/build/make.log" >&2 || true
	ng_die "dkms build failed for $kver"
fi
ko=$(find "$base/tree/nguard/$ver/$kver" -name 'nguard.ko*' | head -n 1)
[ -n "$ko" ] || ng_die "dkms build produced no nguard.ko"
echo "$ko"
