#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# dkms.conf refuses kernels older than 5.10, and only those: the real DKMS
# (private trees under the output directory) is asked to build nguard for
# fake kernel versions with an empty kernel source directory. Below 5.10
# it must skip with its BUILD_EXCLUSIVE message (exit 77); from 5.10 on it
# must get past that check (and then fail for want of headers).
set -uo pipefail
. "$(dirname "$0")/common.sh"

ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$NG_TOP/dkms.conf")
base=$NG_OUT/dkms-exclusive
rm -rf "$base"
mkdir -p "$base/src/nguard-$ver" "$base/tree" "$base/install" "$base/fake-kdir"
"$NG_TOP/tests/lib/dkms-sources.sh" "$base/src/nguard-$ver"
opts=(--sourcetree "$base/src" --dkmstree "$base/tree" --installtree "$base/install")
dkms add "${opts[@]}" -m nguard -v "$ver" > /dev/null || ng_die "dkms add failed"
fail=0
for k in 4.19.0-99-amd64 5.4.0-99-amd64 5.9.16-1-amd64 5.10.0-99-amd64 6.1.0-99-amd64 6.12.99+deb13-amd64 7.0.0-1-amd64; do
	out=$(dkms build "${opts[@]}" -m nguard -v "$ver" -k "$k" \
		--kernelsourcedir "$base/fake-kdir" 2>&1)
	rc=$?
	skipped=0
	[ $rc -eq 77 ] && echo "$out" | grep -q 'BUILD_EXCLUSIVE' && skipped=1
	case $k in
	4.* | 5.[0-9].*) want=1 ;;
	*) want=0 ;;
	esac
	if [ $skipped -eq $want ]; then
		echo "ok: $k $([ $want -eq 1 ] && echo skipped || echo not excluded)"
	else
		echo "FAILED: $k: dkms exit $rc, skipped=$skipped, expected $want"
		echo "$out" | tail -n 3
		fail=1
	fi
done
exit $fail
