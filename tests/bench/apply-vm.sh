#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `make bench-apply`: boot Debian's stock kernel and compare the time to
# apply 100k prefixes + 10k rules with `nguardctl apply` and with the
# equivalent `nft -f`, in the same VM (ratios are meaningful under TCG,
# absolute times are not).
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
ng_need_pkgs nftables
make -s -C "$NG_TOP/userspace"
read -r kver root < <("$NG_TOP/tests/lib/kernel-stock.sh")
ko=$("$NG_TOP/tests/lib/dkms-build.sh" "$kver" 2>/dev/null)
img=$NG_OUT/initrd-bench.gz
NG_GUEST_TOOLS=nft NG_GUEST_MODULES="nf_tables" \
	"$NG_TOP/tests/lib/initramfs.sh" "$img" "$kver" "$root" "$ko"
"$NG_TOP/tests/lib/vm.sh" bench "$root/boot/vmlinuz-$kver" "$img" apply-guest 2048 1200 || true
grep -h '^BENCH' "$NG_OUT/bench/console.log"
