#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `systemd-analyze verify` on every systemd unit of packaging/ (static tier
# of make check), without installing anything: a scratch root holds this
# machine's units (for the targets ours refer to), ours, the built
# nguardctl as /usr/sbin/nguardctl and nguard-boot as the package installs
# them, so verify also finds every ExecStart= binary. Any message counts
# as a failure (verify only warns about unknown keys or sections). Man
# pages are not installed here: --man=no (tests/lib/deb-test.sh verifies
# the installed units with them).
# Usage: units-check.sh [PATH_TO_NGUARDCTL]
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
ctl=${1:-$top/userspace/nguardctl}
command -v systemd-analyze >/dev/null ||
	{ echo "units-check: systemd-analyze not found (Debian package systemd)"; exit 1; }
[ -x "$ctl" ] || { echo "units-check: $ctl not built (make -C userspace)"; exit 1; }
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/lib/systemd/system" "$root/usr/sbin" "$root/usr/lib/nguard"
cp -a /lib/systemd/system/. "$root/lib/systemd/system/"
install -m 0755 "$ctl" "$root/usr/sbin/nguardctl"
install -m 0755 "$top/packaging/nguard-boot" "$root/usr/lib/nguard/nguard-boot"
fail=0 units=()
for u in "$top"/packaging/*.service "$top"/packaging/*.timer; do
	install -m 0644 "$u" "$root/lib/systemd/system/"
	units+=("$(basename "$u")")
done
for u in "${units[@]}"; do
	out=$(systemd-analyze verify --man=no --root="$root" "$u" 2>&1)
	rc=$?
	if [ $rc -ne 0 ] || [ -n "$out" ]; then
		printf '%s\n' "$out"
		echo "units-check: systemd-analyze verify $u: rc=$rc"
		fail=1
	fi
done
[ $fail -eq 0 ] && echo "units-check: systemd-analyze verify passed: ${units[*]}"
exit $fail
