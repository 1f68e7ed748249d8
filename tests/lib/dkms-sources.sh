#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Copy exactly the files DKMS needs (Kbuild, dkms.conf, kmod/, LICENSE)
# into DIR. Shared by `make dkms-install`, the Debian package and the tests
# so all three build the same tree. Usage: dkms-sources.sh DIR
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
dst=$1
mkdir -p "$dst"
cp "$top/Kbuild" "$top/dkms.conf" "$top/LICENSE" "$dst/"
tar -C "$top" --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
	--exclude='*.mod*' -cf - kmod | tar -C "$dst" -xf -
