#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Fetch (or reuse) Debian's stock kernel image for the current ABI without
# installing it, and make sure the matching linux-headers are installed so
# DKMS can build against them. Prints "KVER ROOT" where ROOT holds the
# extracted package (boot/vmlinuz-KVER, lib/modules/KVER with modules.dep).
set -euo pipefail
. "$(dirname "$0")/common.sh"

ng_need_pkgs
kver=${NGUARD_STOCK_KVER:-$(ng_stock_kver)}
[ -n "$kver" ] || ng_die "cannot resolve the Debian kernel ABI (apt-cache depends linux-headers-amd64)"
[ -d "/lib/modules/$kver/build" ] || ng_need_pkgs "linux-headers-$kver"

root=$NG_CACHE/stock-$kver
if [ ! -f "$root/.nguard-done" ]; then
	ng_log "fetching linux-image-$kver"
	rm -rf "$root" "$root.dl"
	mkdir -p "$root.dl"
	(cd "$root.dl" && apt-get download "linux-image-$kver" >&2 2>/dev/null) ||
		(cd "$root.dl" && apt-get download "linux-image-$kver-unsigned" >&2) ||
		ng_die "apt-get download linux-image-$kver failed"
	mkdir -p "$root"
	dpkg-deb -x "$root.dl"/*.deb "$root"
	rm -rf "$root.dl"
	depmod -b "$root" "$kver"
	touch "$root/.nguard-done"
fi
echo "$kver $root"
