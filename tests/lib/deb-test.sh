#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The Debian packages end to end, on this machine and in a VM (stock tier
# of `make check`):
#   1. build nguard-dkms and nguard (tests/lib/deb-build.sh), lintian
#   2. apt-get install both .deb files here: DKMS builds the module for
#      every installed kernel with headers, among them each KVER given
#      (the 6.1 and the 6.12 line in make check)
#   3. check what was installed (DKMS tree == dkms-sources.sh output, for
#      each KVER the module under /lib/modules/KVER/updates/dkms, unit
#      enabled, the metrics timer and events service not, policy ok,
#      systemd-analyze verify of every unit)
#   4. boot each KVER (extracted in its ROOT) with nguard.ko exactly as DKMS
#      installed it and the nguard package's files as installed, running the
#      scenarios skeleton and pkgboot (tests/guest/pkgboot.sh: the unit's
#      boot helper, save, fail-open and fail-closed)
#   5. apt-get purge both: module, DKMS tree, unit, configuration gone
# Usage: deb-test.sh KVER ROOT [KVER ROOT]...   Prints PASS/FAIL lines
# ("deb: ..." for the host checks, "PASS deb-KVER/NAME" for the VMs);
# exits 1 on any failure.
set -uo pipefail
. "$(dirname "$0")/common.sh"

[ $# -ge 2 ] && [ $(($# % 2)) -eq 0 ] || ng_die "usage: deb-test.sh KVER ROOT [KVER ROOT]..."
pairs=("$@")
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$NG_TOP/dkms.conf")
arch=$(dpkg --print-architecture)
dir=$NG_OUT/debs
fail=0
export DEBIAN_FRONTEND=noninteractive

res() { # res STATUS NAME
	if [ "$1" -eq 0 ]; then echo "PASS deb: $2"; else echo "FAIL deb: $2"; fail=1; fi
}
# Run a check quietly; its output goes to stderr (the check log) on failure.
chk() { # chk NAME CMD...
	local name=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	[ $rc -eq 0 ] || printf '== deb: %s (rc=%d)\n%s\n' "$name" "$rc" "$out" >&2
	res $rc "$name"
}
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }
purge() {
	apt-get -o DPkg::Lock::Timeout=900 purge -y -q nguard nguard-dkms >&2
}

[ "$(id -u)" -eq 0 ] || ng_die "deb-test.sh installs packages: run as root"
ng_need_pkgs lintian

# A previous run that died before its purge: keep its configuration, then
# start from a clean machine.
if installed nguard || installed nguard-dkms; then
	bak=$NG_OUT/etc-nguard-backup-$(date +%s)
	ng_log "nguard packages already installed; saving /etc/nguard to $bak and purging them"
	mkdir -p "$bak"
	cp -a /etc/nguard /etc/default/nguard "$bak/" 2>/dev/null
	purge
fi

debs=$("$NG_TOP/tests/lib/deb-build.sh" "$dir")
res $? "make deb: nguard-dkms_${ver}_all.deb, nguard_${ver}_${arch}.deb"
dkms_deb=$dir/nguard-dkms_${ver}_all.deb
ctl_deb=$dir/nguard_${ver}_${arch}.deb
[ -n "$debs" ] && [ -f "$dkms_deb" ] && [ -f "$ctl_deb" ] || exit 1

# Lintian: errors and warnings fail (overrides in debian/*.lintian-overrides
# say why each is accepted); info and pedantic tags are only logged.
lintian --fail-on error,warning -I --pedantic "$dir/nguard_${ver}_${arch}.changes" \
	> "$dir/lintian.txt" 2>&1
res $? "lintian: no errors or warnings ($(grep -c '^[EWIP]: ' "$dir/lintian.txt") tags, $dir/lintian.txt)"

# Install: apt resolves the dependencies (dkms) and runs the DKMS build.
apt-get -o DPkg::Lock::Timeout=900 install -y -q "$dkms_deb" "$ctl_deb" >&2
res $? "apt-get install ./nguard-dkms_${ver}_all.deb ./nguard_${ver}_${arch}.deb"
trap 'installed nguard-dkms && purge' EXIT

ref=$NG_OUT/deb-dkms-ref
rm -rf "$ref"
"$NG_TOP/tests/lib/dkms-sources.sh" "$ref"
chk "/usr/src/nguard-$ver is exactly dkms-sources.sh's tree" diff -r "$ref" "/usr/src/nguard-$ver"
chk "nguard.service enabled (sysinit.target.wants)" \
	test -L /etc/systemd/system/sysinit.target.wants/nguard.service
chk "shipped /etc/nguard/policy.conf passes nguardctl check" \
	/usr/sbin/nguardctl check /etc/nguard/policy.conf
chk "shipped policy is monitor mode, default allow" \
	sh -c 'grep -qx "mode monitor.*" /etc/nguard/policy.conf && grep -qx "default allow.*" /etc/nguard/policy.conf'
chk "policy.conf and /etc/default/nguard are conffiles" \
	sh -c 'dpkg-query -W -f="\${Conffiles}" nguard | grep -q /etc/nguard/policy.conf &&
		dpkg-query -W -f="\${Conffiles}" nguard | grep -q /etc/default/nguard'
chk "nguard-metrics.timer and nguard-events.service installed, not enabled" sh -c \
	'for u in nguard-metrics.service nguard-metrics.timer nguard-events.service; do
		test -f /lib/systemd/system/$u || exit 1
	done
	! ls /etc/systemd/system/*.wants/nguard-metrics.* /etc/systemd/system/*.wants/nguard-events.* 2>/dev/null | grep -q .'
chk "monitoring.md installed (uncompressed: the units point at it)" test -f /usr/share/doc/nguard/monitoring.md
chk "the fail2ban action is installed as a conffile" \
	sh -c 'dpkg-query -W -f="\${Conffiles}" nguard | grep -q /etc/fail2ban/action.d/nguard.conf &&
		cmp /etc/fail2ban/action.d/nguard.conf "$0/contrib/fail2ban/action.d/nguard.conf"' "$NG_TOP"
if command -v systemd-analyze >/dev/null; then
	for u in nguard.service nguard-metrics.service nguard-metrics.timer nguard-events.service; do
		chk "systemd-analyze verify $u" sh -c \
			"out=\$(systemd-analyze verify /lib/systemd/system/$u 2>&1); rc=\$?; echo \"\$out\"; [ \$rc -eq 0 ] && [ -z \"\$out\" ]"
	done
fi
chk "nguard-boot is shellcheck-clean" sh -c 'command -v shellcheck >/dev/null || exit 1
	shellcheck -s sh /usr/lib/nguard/nguard-boot'

# Each kernel: DKMS built and installed the module for it; boot it with
# that module and the package's files.
for ((i = 0; i < ${#pairs[@]}; i += 2)); do
	kver=${pairs[i]} root=${pairs[i + 1]}
	# The postinst builds for the running kernel and the newest installed one
	# (or, in a container whose kernel is not installed, for all of them). If
	# KVER was not among them, do what installing its headers does
	# (/etc/kernel/header_postinst.d/dkms).
	if ! dkms status -m nguard -v "$ver" -k "$kver" | grep -q ': installed'; then
		ng_log "postinst did not build for $kver; dkms autoinstall -k $kver"
		dkms autoinstall -k "$kver" >&2
	fi
	chk "dkms status: nguard/$ver installed for $kver" \
		sh -c "dkms status -m nguard -v $ver -k $kver | grep -q ': installed'"
	ko=$(find "/lib/modules/$kver/updates/dkms" -name 'nguard.ko*' 2>/dev/null | head -n 1)
	chk "module installed: /lib/modules/$kver/updates/dkms/nguard.ko" test -n "$ko"
	[ -n "$ko" ] && chk "installed module's vermagic is $kver" \
		sh -c "modinfo -F vermagic '$ko' | grep -q '^$kver '"
	chk "modules.dep of $kver lists nguard" grep -q 'updates/dkms/nguard.ko' "/lib/modules/$kver/modules.dep"
	# The VM: stock kernel, the installed module, the installed package files.
	if [ -n "$ko" ]; then
		ovl=$NG_OUT/deb-overlay-$kver
		rm -rf "$ovl"
		mkdir -p "$ovl/tests" "$ovl/usr/lib/nguard" "$ovl/etc/nguard" "$ovl/etc/default"
		cp /usr/lib/nguard/nguard-boot "$ovl/usr/lib/nguard/"
		cp /etc/nguard/policy.conf "$ovl/etc/nguard/"
		cp /etc/default/nguard "$ovl/etc/default/"
		cp "$NG_TOP/tests/guest/pkgboot.sh" "$ovl/tests/"
		sha256sum "$ko" | cut -d' ' -f1 > "$ovl/tests/nguard.ko.sha256"
		img=$NG_OUT/initrd-deb-$kver.gz
		chk "initramfs with the installed nguard.ko ($kver) and package files" \
			env NG_GUEST_OVERLAY="$ovl" NGUARD_CTL=/usr/sbin/nguardctl NG_GUEST_TOOLS=dash \
			"$NG_TOP/tests/lib/initramfs.sh" "$img" "$kver" "$root" "$ko"
		"$NG_TOP/tests/lib/vm.sh" "deb-$kver" "$root/boot/vmlinuz-$kver" "$img" skeleton,pkgboot 768 ||
			fail=1
	fi
done

# Purge: nothing of either package may remain.
trap - EXIT
purge
res $? "apt-get purge -y nguard nguard-dkms"
left=$(find /lib/modules -name 'nguard.ko*' 2>/dev/null
	ls -d /usr/src/nguard-* /var/lib/dkms/nguard /lib/systemd/system/nguard*.service \
		/lib/systemd/system/nguard-metrics.timer \
		/etc/systemd/system/sysinit.target.wants/nguard.service /etc/nguard \
		/etc/default/nguard /usr/lib/nguard /usr/sbin/nguardctl 2>/dev/null)
[ -z "$left" ] || printf '== deb: left after purge:\n%s\n' "$left" >&2
res "$([ -z "$left" ]; echo $?)" "purge removed module, DKMS tree, unit, configuration, nguardctl"
exit $fail
