#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Boot one test VM (qemu-system-x86_64, TCG only: KVM is never used) and
# judge it. Usage: vm.sh TIER KERNEL INITRD TESTS [MEM_MB] [TIMEOUT_S]
#   TESTS  comma-separated scenario names (tests/integration/NAME.sh)
# NG_VM_APPEND adds words to the kernel command line (NAME=VALUE words
# reach the guest's init, and so the scenarios, as environment variables,
# e.g. ngtimeout=1200 for the per-scenario time limit, default 300 s);
# NG_QEMU_ARGS adds options to qemu (e.g. "-icount shift=0,sleep=off").
# Prints "PASS TIER/NAME" or "FAIL TIER/NAME" per scenario, plus
# "FAIL TIER/console" when the console shows a kernel splat or kmemleak
# report and "FAIL TIER/vm" when the VM did not finish. On failure the
# console tail is printed. Exit status: 0 only if everything passed.
set -uo pipefail
. "$(dirname "$0")/common.sh"

tier=$1 kernel=$2 initrd=$3 tests=$4 mem=${5:-768} tmo=${6:-900}
dir=$NG_OUT/$tier
mkdir -p "$dir"
con=$dir/console.log res=$dir/result.log
boot() {
	: > "$con"
	: > "$res"
	ng_log "$tier: booting $(basename "$kernel") with tests: $tests"
	timeout --foreground -k 10 "$tmo" qemu-system-x86_64 \
		-accel tcg -cpu max -smp 2 -m "$mem" ${NG_QEMU_ARGS:-} \
		-display none -monitor none -no-reboot \
		-kernel "$kernel" -initrd "$initrd" \
		-serial "file:$con" -serial "file:$res" \
		-append "console=ttyS0 panic_on_warn=1 oops=panic panic=-1 \
softlockup_panic=1 ngtests=$tests ngtier=$tier ${NG_VM_APPEND:-}" </dev/null
	qrc=$?
	# The guest's serial line ends in CRLF.
	sed -i 's/\r$//' "$res" "$con"
}
boot
# A kernel that dies while booting, before the guest's init has run
# (so before nguard or any test could be involved), is booted once more:
# QEMU's TCG has, rarely and on a loaded host, killed the early boot in
# text patching (e.g. KASAN wild-memory-access under sched_clock_init, an
# int3 in sched_clock_cpu). Said on a NOTE line; the first console is kept.
if ! grep -q "^nguard-vm: kernel " "$con" && ! grep -qx "done" "$res"; then
	cp "$con" "$dir/console-boot1.log"
	echo "NOTE $tier: the kernel died while booting, before the test init ran ($(grep -m1 -E 'BUG:|Kernel panic|Oops:|int3:' "$con" | cut -c1-120)); booting once more (that console: $dir/console-boot1.log)"
	boot
fi

fail=0
for t in ${tests//,/ }; do
	if grep -qx "ok $t" "$res"; then
		echo "PASS $tier/$t"
	else
		echo "FAIL $tier/$t"
		fail=1
	fi
done
if [ $qrc -eq 124 ] || ! grep -qx "done" "$res"; then
	echo "FAIL $tier/vm (qemu exit $qrc, did not finish: timeout or panic)"
	fail=1
fi
if "$NG_TOP/tests/lib/console-scan.sh" "$con"; then
	echo "PASS $tier/console-clean"
else
	echo "FAIL $tier/console-clean"
	fail=1
fi
if [ $fail -ne 0 ]; then
	# The failed checks with the lines leading up to them: a scenario
	# that fails early is otherwise lost behind later scenarios' output.
	if grep -q "^  FAILED: " "$con"; then
		echo "---- $tier: failed checks, with 15 lines before each ----"
		grep -B 15 "^  FAILED: " "$con" | head -n 300
	fi
	echo "---- $tier: last 60 console lines ($con) ----"
	tail -n 60 "$con"
	echo "----"
fi
exit $fail
