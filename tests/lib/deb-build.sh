#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `make deb`: build the Debian packages nguard-dkms and nguard with
# dpkg-buildpackage in a copy of the tree (the checkout stays clean).
# Usage: deb-build.sh OUTDIR   Prints the paths of the two .deb files.
# Installs the build dependencies (apt-get, as root) when missing. The man
# pages are the committed man/ (`make man`), the bash completion
# completion/nguardctl.
set -euo pipefail
. "$(dirname "$0")/common.sh"

out=$(mkdir -p "$1" && cd "$1" && pwd)
ng_need_pkgs build-essential debhelper dh-dkms bash-completion dpkg-dev \
	pkg-config libnl-genl-3-dev libjson-c-dev

ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$NG_TOP/dkms.conf")
deb_ver=$(dpkg-parsechangelog -l "$NG_TOP/debian/changelog" -S Version)
h_ver=$(sed -n 's/^#define NGUARD_VERSION "\(.*\)"/\1/p' "$NG_TOP/kmod/version.h")
[ "$deb_ver" = "$ver" ] && [ "$h_ver" = "$ver" ] ||
	ng_die "versions differ: dkms.conf $ver, debian/changelog $deb_ver, kmod/version.h $h_ver"

# The tree as git sees it (tracked and new files, not ignored ones), so
# build products of the checkout never reach the package; a tree without
# git is copied whole, minus build products.
stage=$out/src
src=$stage/nguard-$ver
rm -rf "$stage"
mkdir -p "$src"
if git -C "$NG_TOP" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	(cd "$NG_TOP" && git ls-files -z --cached --others --exclude-standard |
		while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
		tar --null -T - -cf -) | tar -C "$src" -xf -
else
	tar -C "$NG_TOP" --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
		--exclude=./tests/out --exclude=./debs -cf - . | tar -C "$src" -xf -
fi

for f in man/nguardctl.8 man/nguard.conf.5 completion/nguardctl; do
	[ -e "$src/$f" ] || ng_die "$f is missing (man pages: make man)"
done

rm -f "$out"/nguard*.deb "$out"/nguard_*.changes "$out"/nguard_*.buildinfo
(cd "$src" && dpkg-buildpackage -b -us -uc -j"$(nproc)") >&2 ||
	ng_die "dpkg-buildpackage failed"
mv "$stage"/*.deb "$stage"/*.changes "$stage"/*.buildinfo "$out/"
ls "$out/nguard-dkms_${ver}_all.deb" "$out/nguard_${ver}_$(dpkg --print-architecture).deb"
