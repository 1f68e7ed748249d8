#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The kernel's netlink spec tooling for tests/netlink-spec-check.py: the
# JSON schemas of YNL specs (Documentation/netlink/*.yaml) and the YNL
# generator (tools/net/ynl), which linux-source-6.1 predates. Extracted
# from Debian's linux-source-6.12 into the cache, under a key derived from
# the tarball and this script. Prints the tree's path on stdout.
set -euo pipefail
. "$(dirname "$0")/common.sh"

tarball=/usr/src/linux-source-6.12.tar.xz
[ -f "$tarball" ] || ng_need_pkgs linux-source-6.12
key=$( (cat "$0"; stat -c %s "$tarball") | sha256sum | cut -c1-16)
tree=$NG_CACHE/ynl-$key

if [ -f "$tree/.nguard-done" ]; then
	echo "$tree"
	exit 0
fi

ng_log "extracting Documentation/netlink and tools/net/ynl from $tarball"
rm -rf "$tree" "$tree.tmp"
mkdir -p "$tree.tmp"
tar -xJf "$tarball" -C "$tree.tmp" --strip-components=1 --wildcards \
	'linux-source-6.12/Documentation/netlink/*' 'linux-source-6.12/tools/net/ynl/*'
[ -f "$tree.tmp/Documentation/netlink/genetlink-c.yaml" ] &&
	[ -f "$tree.tmp/tools/net/ynl/ynl-gen-c.py" ] ||
	ng_die "$tarball has no YNL schemas or generator"
mv "$tree.tmp" "$tree"
touch "$tree/.nguard-done"
echo "$tree"
