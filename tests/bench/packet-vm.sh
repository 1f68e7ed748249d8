#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `make bench-packet`: boot Debian's stock kernel (QEMU TCG) with the
# DKMS-built module and measure, in that one boot, the per-packet cost of
# forwarding with no filtering (A), nguard without policy (B), nguard with a
# 10k-prefix/200-rule policy (C) and the equivalent stateful nftables
# ruleset (D), and C with every anomaly detector on (E), rounds
# interleaved (tests/bench/packet-guest.sh). Prints
# every measurement and a summary: medians per configuration, overhead
# X-A per packet and the ratio (C-A)/(D-A), the project's goal being
# <= 0.7. Under TCG absolute times mean nothing; the ratio is the result.
# Environment (defaults in packet-guest.sh): NG_BENCH_ROUNDS (5),
# NG_BENCH_SUBS (5 runs per measurement), NG_BENCH_N1 / NG_BENCH_F /
# NG_BENCH_N2 / NG_BENCH_N3 / NG_BENCH_N4 (packets single / established
# flows / packets over them / new-flow packets / TCP SYNs),
# NG_BENCH_CONFIGS (comma-separated subset of A,B,C,D,E,O,S,F; S and F: SYNs
# into a table with room and a full one, see packet-guest.sh; E is C with every
# anomaly detector on, O is C observing flows), NGUARD_OUT (output directory),
# NG_BENCH_CLOCK: "icount" (default: QEMU -icount shift=0,sleep=off, one
# vCPU (this -smp 1 overrides vm.sh's -smp 2; with two vCPUs and
# sleep=off the guest hangs bringing up the second): the guest clock advances one nanosecond per executed guest
# instruction, so pktgen's "ns" are instructions, deterministic and
# independent of the host's load) or "wall" (multi-threaded TCG with two
# vCPUs, guest time is host wall time: it also reflects QEMU's memory
# emulation costs, but other load on the host adds noise).
set -euo pipefail
. "$(dirname "$0")/../lib/common.sh"
ng_need_pkgs nftables netsniff-ng
make -s -C "$NG_TOP/userspace"
read -r kver root < <("$NG_TOP/tests/lib/kernel-stock.sh")
ko=$("$NG_TOP/tests/lib/dkms-build.sh" "$kver" 2>/dev/null)
img=$NG_OUT/initrd-bench-packet.gz
NG_GUEST_TOOLS="nft trafgen" NG_GUEST_MODULES="nf_tables nft_ct nf_conntrack pktgen dummy" \
	"$NG_TOP/tests/lib/initramfs.sh" "$img" "$kver" "$root" "$ko"
append="ngtimeout=7000"
for v in ROUNDS:ngrounds SUBS:ngsubs N1:ngn1 F:ngf N2:ngn2 N3:ngn3 N4:ngn4 CONFIGS:ngconfigs; do
	val=$(eval echo "\${NG_BENCH_${v%%:*}:-}")
	[ -n "$val" ] && append+=" ${v#*:}=$val"
done
qargs=
clock=${NG_BENCH_CLOCK:-icount}
case $clock in
wall) ;;
icount) qargs="-icount shift=0,sleep=off -smp 1" ;;
*) ng_die "NG_BENCH_CLOCK must be wall or icount" ;;
esac
rc=0
NG_QEMU_ARGS=$qargs NG_VM_APPEND=$append "$NG_TOP/tests/lib/vm.sh" bench-packet \
	"$root/boot/vmlinuz-$kver" "$img" packet-guest 2048 7200 || rc=$?
res=$NG_OUT/bench-packet/result.log
grep -h '^BENCH' "$res" || true
echo "machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p'), qemu TCG" \
	"(clock $clock), $(qemu-system-x86_64 --version | sed -n '1s/.*version \([^ ]*\).*/qemu \1/p')," \
	"guest $kver, module $(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$NG_TOP/dkms.conf")" \
	"at $(git -C "$NG_TOP" describe --always --dirty 2>/dev/null || echo '?')"
unit="TCG ns"
[ $clock = icount ] && unit=instructions
"$(dirname "$0")/packet-summary.sh" "$res" "$unit"
exit $rc
