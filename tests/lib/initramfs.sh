#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Build a gzip'd cpio initramfs for a test VM.
# Usage: initramfs.sh OUT KVER MODROOT KO...
#   MODROOT  tree with lib/modules/KVER of the booted kernel (stock tier;
#            "-" when everything the tests need is built in)
#   KO...    our modules, installed under lib/modules/KVER/updates/
# NG_GUEST_FAIL2BAN=1 adds fail2ban (tests/lib/fail2ban-guest.sh).
# NG_GUEST_OVERLAY=DIR is copied over the image root last (the Debian
# package test puts the installed package's files and its scenario there).
# The image holds busybox, real iproute2/kmod/jq binaries with their
# libraries, nguardctl, the guest init and the test scripts.
set -euo pipefail
. "$(dirname "$0")/common.sh"

out=$1 kver=$2 modroot=$3
shift 3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
r=$work/root
mkdir -p "$r"/{bin,sbin,etc,proc,sys,dev,run,tmp,root,lib64,usr/bin,usr/sbin,usr/lib}
mkdir -p "$r/lib/modules/$kver/updates"

cp /bin/busybox "$r/bin/busybox"

# Copy a binary and every shared library it needs (same paths as the host).
copy_bin() {
	local src=$1 dst=${2:-$1} lib
	mkdir -p "$r$(dirname "$dst")"
	cp -L "$src" "$r$dst"
	for lib in $(ldd "$src" | grep -o '/[^ ]*'); do
		[ -e "$r$lib" ] && continue
		mkdir -p "$r$(dirname "$lib")"
		cp -L "$lib" "$r$lib"
	done
}

copy_bin "$(command -v ip)" /sbin/ip
copy_bin "$(command -v kmod)" /sbin/kmod
for t in insmod rmmod modprobe lsmod modinfo depmod; do ln -sf kmod "$r/sbin/$t"; done
copy_bin "$(command -v jq)" /usr/bin/jq
copy_bin "${NGUARD_CTL:-$NG_TOP/userspace/nguardctl}" /usr/sbin/nguardctl
# socat: the scenarios' TCP/UDP clients and servers; nmap, hping3,
# iperf3: the attack and load tools of the anomaly scenarios; trafgen
# (netsniff-ng): the stress campaigns' packet floods and fuzzing; nft: the
# victims' witness counters.
for extra in socat nmap hping3 iperf3 trafgen nft ${NG_GUEST_TOOLS:-}; do
	p=$(command -v "$extra") && copy_bin "$p"
done
# Our own small attack tools (tests/tools/*.c), static.
for src in "$NG_TOP"/tests/tools/*.c; do
	cc -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O2 -static \
		-o "$r/usr/bin/ng-$(basename "$src" .c)" "$src"
done
# The fault campaign's LD_PRELOAD shim (tests/tools/preload/failnth.c):
# shared, for the dynamic nguardctl.
cc -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O2 -shared -fPIC \
	-o "$r/usr/lib/ng-failnth.so" "$NG_TOP/tests/tools/preload/failnth.c"
# nmap's small data files (not its scripts).
mkdir -p "$r/usr/share/nmap"
for f in nmap-services nmap-protocols nmap-payloads nmap-mac-prefixes nmap-rpc; do
	[ -e "/usr/share/nmap/$f" ] && cp "/usr/share/nmap/$f" "$r/usr/share/nmap/"
done

# Kernel modules the scenarios need from the booted kernel's own tree.
if [ "$modroot" != "-" ]; then
	# nf_defrag_*: nguard.ko depends on them.
	# nf_tables: the witnesses' counters.
	for m in veth nf_defrag_ipv4 nf_defrag_ipv6 nf_tables ${NG_GUEST_MODULES:-}; do
		modprobe -d "$modroot" -S "$kver" --show-depends "$m" 2>/dev/null |
			sed -n 's/^insmod \([^ ]*\).*/\1/p' | while read -r f; do
				rel=${f#"$modroot"}
				mkdir -p "$r$(dirname "$rel")"
				cp "$f" "$r$rel"
			done
	done
	cp "$modroot/lib/modules/$kver"/modules.{order,builtin,builtin.modinfo} "$r/lib/modules/$kver/"
fi
for ko in "$@"; do
	cp "$ko" "$r/lib/modules/$kver/updates/"
done
for f in modules.order modules.builtin modules.builtin.modinfo; do
	[ -e "$r/lib/modules/$kver/$f" ] || : > "$r/lib/modules/$kver/$f"
done
depmod -b "$r" "$kver"

cp "$NG_TOP/tests/guest/init" "$r/init"
chmod +x "$r/init"
mkdir -p "$r/tests"
cp "$NG_TOP"/tests/guest/lib.sh "$NG_TOP"/tests/guest/demo.sh "$r/tests/"
cp "$NG_TOP"/tests/integration/*.sh "$r/tests/"
cp "$NG_TOP"/tests/bench/*.sh "$r/tests/" 2>/dev/null || true
cp "$NG_TOP"/tests/stress/*.sh "$r/tests/" 2>/dev/null || true
# The netlink spec as the table ng-nl-fuzz reads (tests/lib/nl-spec-table.py).
python3 "$NG_TOP/tests/lib/nl-spec-table.py" \
	"$NG_TOP/Documentation/netlink/nguard.yaml" > "$r/tests/nguard-spec.txt"
# NG_GUEST_FAIL2BAN=1: Debian's fail2ban and the python it uses (the
# fail2ban scenario; tests/lib/fail2ban-guest.sh).
if [ -n "${NG_GUEST_FAIL2BAN:-}" ]; then
	"$NG_TOP/tests/lib/fail2ban-guest.sh" "$r"
fi
if [ -n "${NG_GUEST_OVERLAY:-}" ]; then
	cp -a "$NG_GUEST_OVERLAY/." "$r/"
fi
# nobody: the unprivileged local user of the least-privilege checks.
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' > "$r/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$r/etc/group"
printf '127.0.0.1 localhost\n::1 localhost\n' > "$r/etc/hosts"

(cd "$r" && find . | cpio -o -H newc --quiet | gzip -1) > "$out"
