#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Build (or reuse) the debug-tier test kernel from Debian's
# linux-source-LINE (LINE: $1, else $NGUARD_DEBUG_LINE, else 6.12):
# allnoconfig + tests/kconfig/{base,debug}.config, plus the fragments named
# in NG_KCONFIG_EXTRA (space-separated names under tests/kconfig/, e.g.
# "faults": make stress's kernel). The tree is cached outside the repo
# under a key derived from the fragments, the source tarball and this
# script, so any change rebuilds and an unchanged setup costs nothing.
# Prints the build tree's path on stdout.
set -euo pipefail
. "$(dirname "$0")/common.sh"

line=${1:-${NGUARD_DEBUG_LINE:-6.12}}
frags=("$NG_TOP/tests/kconfig/base.config" "$NG_TOP/tests/kconfig/debug.config")
for f in ${NG_KCONFIG_EXTRA:-}; do frags+=("$NG_TOP/tests/kconfig/$f.config"); done
tarball=/usr/src/linux-source-$line.tar.xz
[ -f "$tarball" ] || ng_need_pkgs "linux-source-$line"
key=$( (cat "${frags[@]}" "$0"; stat -c %s "$tarball") | sha256sum | cut -c1-16)
tree=$NG_CACHE/kernel-debug-$line-$key

if [ -f "$tree/.nguard-done" ]; then
	echo "$tree"
	exit 0
fi

ng_log "building debug test kernel in $tree (takes ~10 min on 2 cores)"
rm -rf "$tree" "$tree.tmp"
mkdir -p "$tree.tmp"
tar -xf "$tarball" -C "$tree.tmp" --strip-components=1
cd "$tree.tmp"
make -s allnoconfig >&2
./scripts/kconfig/merge_config.sh -m .config "${frags[@]}" >&2
make -s olddefconfig >&2

# merge_config only warns when Kconfig drops a symbol; refuse instead, so a
# missing debug option never silently turns the debug tier into a no-op.
bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*)
		grep -qxF "$line" .config || { echo "kconfig: $line not honoured" >&2; bad=1; } ;;
	esac
done < <(cat "${frags[@]}")
[ "$bad" -eq 0 ] || ng_die "test kernel config incomplete"

make -j"$(nproc)" -s KCFLAGS=-Wno-error >&2
cd /
mv "$tree.tmp" "$tree"
touch "$tree/.nguard-done"
echo "$tree"
