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
	libnl-3-dev libnl-genl-3-dev libjson-c-dev linux-source-6.1 python3
	linux-headers-amd64 jq clang libclang-rt-14-dev socat
	nmap hping3 iperf3 pandoc man-db python3-yaml python3-jsonschema shellcheck"

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
	apt-get update -qq >&2 || true
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >&2 ||
		ng_die "apt-get install failed for: ${missing[*]}"
}

# The Debian kernel ABI that linux-headers-amd64 currently points at, e.g.
# 6.1.0-56-amd64. Resolved from the archive so security updates that retire
# an ABI do not break the harness.
ng_stock_kver() {
	apt-cache depends linux-headers-amd64 2>/dev/null |
		sed -n 's/.*Depends: linux-headers-\(.*\)$/\1/p' | head -n 1
}
