#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `make demo`: build nguard through DKMS for Debian's current kernel, boot
# that kernel in a VM and show nguard at work (tests/guest/demo.sh).
set -uo pipefail
. "$(dirname "$0")/lib/common.sh"

ng_need_pkgs
make -s -C "$NG_TOP/userspace" >&2 || ng_die "building nguardctl failed"
read -r kver root < <("$NG_TOP/tests/lib/kernel-stock.sh") || ng_die "no stock kernel"
ng_log "building nguard.ko for $kver through DKMS"
ko=$("$NG_TOP/tests/lib/dkms-build.sh" "$kver" 2>/dev/null) || ng_die "dkms build failed"
img=$NG_OUT/initrd-demo.gz
"$NG_TOP/tests/lib/initramfs.sh" "$img" "$kver" "$root" "$ko" || ng_die "initramfs failed"
"$NG_TOP/tests/lib/vm.sh" demo "$root/boot/vmlinuz-$kver" "$img" demo 768 300 > "$NG_OUT/vm-demo.txt"
rc=$?
sed -n '/^nguard-vm: ==== demo ====/,/^nguard-vm: done/p' "$NG_OUT/demo/console.log" |
	sed '1d;$d'
[ $rc -eq 0 ] || { cat "$NG_OUT/vm-demo.txt"; exit 1; }
