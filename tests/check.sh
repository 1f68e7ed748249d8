#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `make check`: every test nguard has, in order of cost.
#   static      userspace build (-Werror) + unit tests, man pages and bash
#               completion, the build matrix (nguard.ko and the KUnit
#               objects with W=1 -Werror and sparse C=2 against Debian's
#               6.1 and 6.1-rt, 6.12, 6.12-rt and 6.12-cloud headers),
#               the netlink spec, the kmod layering, checkpatch --strict, fuzzing,
#               promtool on the metrics exposition, systemd-analyze verify
#               on the units
#   stock       Debian 12's kernel (6.1): module built through DKMS, every
#               VM scenario; then the Debian packages on both lines
#   stock-6.12  Debian 13's kernel line (6.12, from Debian 12's security
#               suite): module built through DKMS, every VM scenario
#   rt-6.12     the same line's PREEMPT_RT kernel: skeleton, segments,
#               anomalies
#   debug       test kernel from linux-source-6.12 with KUnit, KASAN,
#               lockdep, PROVE_RCU, kmemleak, UBSAN: KUnit suites (parsed
#               by kunit.py) + every scenario + the short versions of the
#               stress campaigns (tests/stress/*.sh with ngshort; the full
#               counts are `make stress`)
# Kernel ABIs are resolved from the archive at run time (newest of each
# line). Select with NGUARD_TIERS="static stock stock-6.12 rt-6.12 debug"
# (default: all) and NGUARD_TESTS=skeleton,... (default: all scenarios).
# The stock tier also tests the Debian packages (tests/lib/deb-test.sh:
# installs and purges nguard and nguard-dkms on this machine; NGUARD_DEB=0
# skips it). Prints one PASS/FAIL line per check and a final "N passed, N
# failed"; exits 1 on any failure.
set -uo pipefail
. "$(dirname "$0")/lib/common.sh"

tiers=${NGUARD_TIERS:-static stock stock-6.12 rt-6.12 debug}
all_tests=$(cd "$NG_TOP/tests/integration" && ls *.sh | sed 's/\.sh$//' | grep -vx kunit | paste -sd, -)
tests=${NGUARD_TESTS:-$all_tests}
# The fail2ban scenario runs in the stock tier only: its image carries
# python and fail2ban (NG_GUEST_FAIL2BAN), which the other tiers skip.
tests_nof2b=$(echo "$tests" | tr , '\n' | grep -vx fail2ban | paste -sd, -)
# Short versions of the stress campaigns (tests/stress/*.sh) in the debug
# tier: all of them unless NGUARD_TESTS picks scenarios;
# NGUARD_STRESS_SHORT overrides (comma-separated names, or empty for none).
all_short=netlink,swaps,churn,pktfuzz,tablefull
if [ -n "${NGUARD_TESTS:-}" ]; then short=${NGUARD_STRESS_SHORT-}; else short=${NGUARD_STRESS_SHORT-$all_short}; fi
pass=0 fail=0
log=$NG_OUT/check.log
: > "$log"

result() { # result NAME STATUS
	if [ "$2" -eq 0 ]; then
		echo "PASS $1"
		pass=$((pass + 1))
	else
		echo "FAIL $1"
		fail=$((fail + 1))
	fi
}

# Run a step quietly; show its output only when it fails.
step() { # step NAME CMD...
	local name=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	printf '== %s (rc=%d)\n%s\n' "$name" "$rc" "$out" >> "$log"
	[ $rc -eq 0 ] || printf '%s\n' "$out" | tail -n 40
	result "$name" $rc
}

# Feed vm.sh's PASS/FAIL lines into the totals, echoing everything.
vm_results() {
	local line
	while IFS= read -r line; do
		case "$line" in
		"PASS "*) echo "$line"; pass=$((pass + 1)) ;;
		"FAIL "*) echo "$line"; fail=$((fail + 1)) ;;
		*) echo "$line" ;;
		esac
	done
}

# promtool on the real `nguardctl metrics` output that the anomalies
# scenario printed on the tier's console, when it ran there.
metrics_console() { # metrics_console TIER TESTS
	case ",$2," in
	*,anomalies,*)
		step "$1: promtool check metrics on nguardctl metrics (anomalies scenario)" \
			"$NG_TOP/tests/lib/metrics-check.sh" console "$NG_OUT/$1/console.log" ;;
	esac
}

t0=$(date +%s)
ng_need_pkgs

step "userspace build and unit tests" make -C "$NG_TOP/userspace" clean all check

for tier in $tiers; do
	ts=$(date +%s)
	case $tier in
	static)
		step "man pages: make man up to date, groff-clean, every command" \
			"$NG_TOP/tests/lib/docs-check.sh" "$NG_TOP/userspace/nguardctl"
		step "bash completion (COMPREPLY checks)" \
			"$NG_TOP/tests/lib/completion-test.sh" "$NG_TOP/userspace/nguardctl"
		step "metrics: promtool check metrics on nguardctl's exposition (unit test cases)" \
			"$NG_TOP/tests/lib/metrics-check.sh" unit "$NG_TOP/userspace"
		step "metrics: promtool check rules on monitoring.md's alert rules" \
			"$NG_TOP/tests/lib/metrics-check.sh" rules "$NG_TOP/Documentation/monitoring.md"
		step "systemd units: systemd-analyze verify (packaging/)" \
			"$NG_TOP/tests/lib/units-check.sh" "$NG_TOP/userspace/nguardctl"
		step "dkms.conf: DKMS skips kernels older than 5.10, only those" \
			"$NG_TOP/tests/lib/dkms-exclusive.sh"
		step "kmod layering: no upward call, one header per object" \
			python3 "$NG_TOP/tests/lib/layers-check.py" "$NG_TOP/kmod"
		# The build matrix: a failure names the kernel.
		for lf in "6.1 amd64" "6.1 rt-amd64" "6.12 amd64" "6.12 rt-amd64" "6.12 cloud-amd64"; do
			kv=$(ng_kver $lf)
			if [ -z "$kv" ]; then
				result "build matrix: Debian $lf kernel not found in the archive" 1
				continue
			fi
			step "build W=1 -Werror + sparse: nguard.ko, KUnit objects ($kv)" \
				"$NG_TOP/tests/lib/build-matrix.sh" "$kv"
		done
		# Documentation/netlink/nguard.yaml against kmod/uapi/nguard.h and
		# the module's policies, with the kernel's schemas and ynl-gen-c.py.
		if ynl=$("$NG_TOP/tests/lib/ynl-tree.sh"); then
			step "netlink YAML spec matches the uapi header" \
				"$NG_TOP/tests/netlink-spec-check.py" --kmod "$NG_TOP/kmod" \
				--kernel-tree "$ynl"
		else
			result "netlink YAML spec matches the uapi header" 1
		fi
		ktree=$("$NG_TOP/tests/lib/kernel-debug.sh") || { result "debug kernel build" 1; continue; }
		step "checkpatch --strict" "$NG_TOP/tests/lib/checkpatch.sh" "$ktree"
		step "policy parser fuzzing (libFuzzer, 30 s)" make -C "$NG_TOP/userspace" fuzz-smoke
		step "classifier vs naive reference (native)" make -C "$NG_TOP/tests/bench" check
		;;
	stock | stock-6.12 | rt-6.12)
		case $tier in
		stock) line=6.1 flavour=amd64 ttests=$tests ;;
		# 6.12: the scenarios of the kernel paths (the others, manual,
		# bruteforce, observe, discovery, also run on the debug
		# kernel, 6.12 too, and on stock 6.1; make check's budget).
		stock-6.12) line=6.12 flavour=amd64
			ttests=$(echo "$tests_nof2b" | tr , '\n' | grep -xE 'skeleton|segments|anomalies|attacks|policy' | paste -sd, -) ;;
		rt-6.12) line=6.12 flavour=rt-amd64
			# The rt tier runs the scenarios that exercise locking.
			ttests=$(echo "$tests" | tr , '\n' | grep -xE 'skeleton|segments|anomalies' | paste -sd, -) ;;
		esac
		kver=$(ng_kver "$line" "$flavour")
		read -r kver root < <(NGUARD_STOCK_KVER=$kver "$NG_TOP/tests/lib/kernel-stock.sh") ||
			{ result "$tier: kernel fetch (Debian $line $flavour)" 1; continue; }
		ko=$("$NG_TOP/tests/lib/dkms-build.sh" "$kver" 2>>"$log")
		result "$tier: dkms build -k $kver" $?
		[ -n "$ko" ] || continue
		img=$NG_OUT/initrd-$tier.gz
		f2b=
		case ,$ttests, in *,fail2ban,*) f2b=1 ;; esac
		NG_GUEST_FAIL2BAN=$f2b step "$tier: initramfs" "$NG_TOP/tests/lib/initramfs.sh" \
			"$img" "$kver" "$root" "$ko"
		if [ -n "$ttests" ]; then
			"$NG_TOP/tests/lib/vm.sh" "$tier" "$root/boot/vmlinuz-$kver" "$img" "$ttests" 768 1800 \
				> "$NG_OUT/vm-$tier.txt" 2>>"$log"
			vm_results < "$NG_OUT/vm-$tier.txt"
			metrics_console "$tier" "$ttests"
		fi
		# The Debian packages: build, install here (DKMS builds for the 6.1
		# and 6.12 lines), boot each with the module as DKMS installed it,
		# purge (NGUARD_DEB=0 skips).
		if [ "$tier" = stock ] && [ "${NGUARD_DEB:-1}" != 0 ]; then
			set -- "$kver" "$root"
			k612=$(ng_kver 6.12 amd64)
			if [ -n "$k612" ] && read -r k612 r612 < <(NGUARD_STOCK_KVER=$k612 \
					"$NG_TOP/tests/lib/kernel-stock.sh" 2>>"$log"); then
				set -- "$@" "$k612" "$r612"
			else
				result "deb: Debian 6.12 kernel fetch" 1
			fi
			"$NG_TOP/tests/lib/deb-test.sh" "$@" \
				> "$NG_OUT/deb-test.txt" 2>>"$log"
			vm_results < "$NG_OUT/deb-test.txt"
		fi
		;;
	debug)
		ktree=$("$NG_TOP/tests/lib/kernel-debug.sh" 2>>"$log") ||
			{ result "debug kernel build (linux-source-${NGUARD_DEBUG_LINE:-6.12})" 1; continue; }
		kver=$(cat "$ktree/include/config/kernel.release")
		bdir=$NG_OUT/build-debug
		rm -rf "$bdir"
		"$NG_TOP/tests/lib/dkms-sources.sh" "$bdir"
		step "debug: module + KUnit module build W=1 -Werror" \
			make -C "$ktree" M="$bdir" W=1 NGUARD_WERROR=1 modules
		img=$NG_OUT/initrd-debug.gz
		step "debug: initramfs" "$NG_TOP/tests/lib/initramfs.sh" "$img" "$kver" - \
			"$bdir/nguard.ko" "$bdir/nguard_kunit.ko"
		# The stress campaigns' short versions (ngshort) follow the
		# scenarios, as debug/CAMPAIGN.
		NG_VM_APPEND="ngtimeout=900 ngshort=1 slub_nomerge ${NG_VM_APPEND:-}" \
			"$NG_TOP/tests/lib/vm.sh" debug "$ktree/arch/x86/boot/bzImage" "$img" \
			"kunit${tests_nof2b:+,$tests_nof2b}${short:+,$short}" 1536 4500 > "$NG_OUT/vm-debug.txt" 2>>"$log"
		vm_results < "$NG_OUT/vm-debug.txt"
		metrics_console debug "$tests"
		step "debug: KUnit KTAP parsed by kunit.py" \
			"$NG_TOP/tests/lib/kunit-parse.sh" "$NG_OUT/debug/console.log" "$ktree"
		;;
	*) ng_die "unknown tier '$tier' (static, stock, stock-6.12, rt-6.12, debug)" ;;
	esac
	echo "   ($tier tier: $(($(date +%s) - ts)) s)"
done

echo "total time: $(($(date +%s) - t0)) s; log: $log"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
