#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `make stress`: the stress campaigns (tests/stress/*.sh) on the stress
# kernel: make check's debug kernel (KASAN, lockdep, PROVE_RCU, kmemleak,
# UBSAN) plus fault injection (tests/kconfig/faults.config, inert until a
# campaign configures it), built and cached the same way. Each campaign is a VM scenario; the
# VM's init then scans the console and kmemleak, and any report fails the
# run. Prints "N passed, N failed" and every campaign's figures (CHURN,
# NLFUZZ, SWAPS, PKTFUZZ, TABLEFULL, FAULTS lines). At full counts a campaign may
# take up to 4 hours (the netlink fuzzer's million messages: about 2.5 h
# under TCG), the whole run up to 10 hours (times the scale). Environment: NGUARD_STRESS_SCALE (default 1: the issue's full
# counts, times this integer), NGUARD_STRESS_CYCLES (an explicit, usually
# smaller, count for every campaign's loops: quick runs, not the issue's
# figures), NGUARD_STRESS (comma-separated campaigns, default all),
# NGUARD_OUT.
# Campaigns: churn (unload and namespace churn), netlink (the
# spec-driven netlink fuzzer ng-nl-fuzz under traffic and applies, the
# permission check), swaps (policy swaps under flood), pktfuzz (trafgen
# fuzzing through the whole path), tablefull (random-source SYN floods
# against small tables, slab accounting), faults (every nguard allocation
# of every nguardctl request made to fail in turn, then random failures
# on the packet path). make check's debug tier runs
# their short versions (ngshort), all but faults (its kernel has no fault
# injection). See
# Documentation/reliability.md for what each does and what it measured.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
ng_need_pkgs
scale=${NGUARD_STRESS_SCALE:-1}
[[ $scale =~ ^[1-9][0-9]*$ ]] || ng_die "NGUARD_STRESS_SCALE must be an integer >= 1"
campaigns=${NGUARD_STRESS:-$(cd "$NG_TOP/tests/stress" && ls *.sh | sed 's/\.sh$//' | paste -sd, -)}
make -s -C "$NG_TOP/userspace"
ktree=$(NG_KCONFIG_EXTRA=faults "$NG_TOP/tests/lib/kernel-debug.sh")
kver=$(cat "$ktree/include/config/kernel.release")
bdir=$NG_OUT/build-stress
rm -rf "$bdir"
"$NG_TOP/tests/lib/dkms-sources.sh" "$bdir"
make -s -C "$ktree" M="$bdir" W=1 NGUARD_WERROR=1 modules
img=$NG_OUT/initrd-stress.gz
"$NG_TOP/tests/lib/initramfs.sh" "$img" "$kver" - "$bdir/nguard.ko"
rc=0
cycles=${NGUARD_STRESS_CYCLES:+ngcycles=$NGUARD_STRESS_CYCLES}
NG_VM_APPEND="slub_nomerge ngtimeout=$((14400 * scale)) ngscale=$scale $cycles" \
	"$NG_TOP/tests/lib/vm.sh" stress "$ktree/arch/x86/boot/bzImage" "$img" \
	"$campaigns" 1536 $((36000 * scale)) > "$NG_OUT/stress.txt" || rc=$?
cat "$NG_OUT/stress.txt"
grep -hE '^(CHURN|NLFUZZ|SWAPS|PKTFUZZ|TABLEFULL|FAULTS|STRESS) |^nguard-vm: memory ' "$NG_OUT/stress/console.log" || true
echo "$(grep -c '^PASS' "$NG_OUT/stress.txt") passed, $(grep -c '^FAIL' "$NG_OUT/stress.txt") failed"
exit $rc
