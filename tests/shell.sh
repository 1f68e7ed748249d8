#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `make shell`: an interactive shell in the test VM with nguard installed.
# NGUARD_TIERS=debug selects the debug kernel (default: stock).
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
ng_need_pkgs
make -s -C "$NG_TOP/userspace"
img=$NG_OUT/initrd-shell.gz
if [ "${NGUARD_TIERS:-stock}" = debug ]; then
	ktree=$("$NG_TOP/tests/lib/kernel-debug.sh")
	kver=$(cat "$ktree/include/config/kernel.release")
	bdir=$NG_OUT/build-debug
	rm -rf "$bdir"
	"$NG_TOP/tests/lib/dkms-sources.sh" "$bdir"
	make -s -C "$ktree" M="$bdir" modules
	"$NG_TOP/tests/lib/initramfs.sh" "$img" "$kver" - "$bdir"/*.ko
	kernel=$ktree/arch/x86/boot/bzImage mem=1536
else
	read -r kver root < <("$NG_TOP/tests/lib/kernel-stock.sh")
	ko=$("$NG_TOP/tests/lib/dkms-build.sh" "$kver" 2>/dev/null)
	"$NG_TOP/tests/lib/initramfs.sh" "$img" "$kver" "$root" "$ko"
	kernel=$root/boot/vmlinuz-$kver mem=768
fi
exec qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m "$mem" -nographic -no-reboot \
	-kernel "$kernel" -initrd "$img" -append "console=ttyS0 panic=-1"
