# SPDX-License-Identifier: GPL-2.0-only
# Shared settings for the host-side test harness: paths, cache location,
# logging helpers and dependency installation. Sourced, never executed.

NG_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# Kernels, extracted images and build trees live outside the repository so
# a fresh clone stays clean and warm runs reuse them.
NG_CACHE=${NGUARD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nguard}
NG_OUT=${NGUARD_OUT:-$NG_TOP/tests/out}
mkdir -p "$NG_CACHE" "$NG_OUT"

ng_log()  { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
ng_die()  { printf 'error: %s\n' "$*" >&2; exit 1; }

# Debian packages the harness needs. Installed only when missing.
NG_PKGS="build-essential bc bison flex libelf-dev libssl-dev cpio kmod xz-utils
	qemu-system-x86 busybox-static iproute2 dkms sparse pkg-config
	libnl-3-dev libnl-genl-3-dev libjson-c-dev linux-source-6.12 python3
	linux-headers-amd64 jq clang libclang-rt-14-dev socat
	nmap hping3 iperf3 netsniff-ng nftables pandoc man-db python3-yaml python3-jsonschema shellcheck
	prometheus systemd fail2ban"

ng_need_pkgs() {
	local missing=() p
	for p in $NG_PKGS "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		ng_die "missing Debian packages; run as root: apt-get install ${missing[*]}"
	fi
	ng_log "installing: ${missing[*]}"
	# A fresh server runs unattended-upgrades at first boot: wait for the
	# dpkg lock instead of failing. 6.12 headers depend on their kernel
	# image; INITRD=No skips building an initramfs for it (minutes each,
	# and nothing here boots it from /boot).
	apt-get -o DPkg::Lock::Timeout=900 update -qq >&2 || true
	INITRD=No DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 \
		install -y -qq --no-install-recommends "${missing[@]}" >&2 ||
		ng_die "apt-get install failed for: ${missing[*]}"
}

# The Debian kernel ABI that linux-headers-amd64 currently points at, e.g.
# 6.1.0-56-amd64. Resolved from the archive so security updates that retire
# an ABI do not break the harness.
ng_stock_kver() {
	ng_kver 6.1 amd64
}

# ng_kver LINE FLAVOUR: the newest ABI of a Debian kernel line in the
# archive, e.g. "ng_kver 6.12 rt-amd64" -> 6.12.115+deb12-rt-amd64.
#   6.1   Debian 12's own line: what the linux-headers-FLAVOUR
#         metapackage depends on (amd64, rt-amd64, cloud-amd64)
#   6.12  the 6.12 line in Debian 12's security suite (Debian 13's kernel):
#         the newest ABI that has both an unsigned image and headers
# Prints nothing when the archive has no such kernel.
ng_kver() {
	local line=$1 flavour=$2 v
	case $line in
	6.1)
		apt-cache depends "linux-headers-$flavour" 2>/dev/null |
			sed -n 's/.*Depends: linux-headers-\(6\.1\..*\)$/\1/p' | head -n 1 ;;
	*)
		for v in $(apt-cache search --names-only \
				"^linux-image-${line//./\\.}\.[0-9]+\+deb[0-9]+-$flavour-unsigned\$" 2>/dev/null |
				sed -n 's/^linux-image-\([^ ]*\)-unsigned .*/\1/p' | sort -rV); do
			apt-cache show "linux-headers-$v" >/dev/null 2>&1 && { echo "$v"; return; }
		done ;;
	esac
}
