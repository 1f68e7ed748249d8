#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Static checks of the man pages (make check, static tier):
#  - man/ is what `make man` makes of its sources (Documentation/man/*.md,
#    Documentation/policy-language.md) with this pandoc: edit the sources
#    and run `make man`, never the pages;
#  - `man --warnings` (groff) has nothing to say about them at 80 columns;
#  - every command `nguardctl help` lists has its entry in nguardctl(8).
# Usage: docs-check.sh [PATH_TO_NGUARDCTL]
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
ctl=${1:-$top/userspace/nguardctl}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

if ! make -s -C "$top" man MAN_OUT="$tmp/man" >"$tmp/make.log" 2>&1; then
	cat "$tmp/make.log"
	echo "docs-check: make man failed"
	exit 1
fi
for page in nguardctl.8 nguard.conf.5; do
	if ! diff -u "$top/man/$page" "$tmp/man/$page" >"$tmp/diff"; then
		head -n 40 "$tmp/diff"
		echo "docs-check: man/$page is not up to date with its sources: run 'make man' and commit man/"
		fail=1
	fi
	warn=$(MANWIDTH=80 man --warnings -l "$top/man/$page" 2>&1 >/dev/null)
	if [ -n "$warn" ]; then
		printf '%s\n' "$warn"
		echo "docs-check: man/$page: groff warnings (MANWIDTH=80 man --warnings -l man/$page)"
		fail=1
	fi
	if ! lexgrog "$top/man/$page" >/dev/null 2>&1; then
		echo "docs-check: man/$page: lexgrog finds no NAME section (whatis entry)"
		fail=1
	fi
done

# A command's entry in COMMANDS is a tagged paragraph (.TP) whose tag
# starts with the command in bold.
if [ ! -x "$ctl" ]; then
	echo "docs-check: $ctl not built"
	exit 1
fi
cmds=$("$ctl" help | awk '/^Commands:/ { on = 1; next } /^$/ { on = 0 }
	on && /^  [a-z]/ { print $1 }')
[ -n "$cmds" ] || { echo "docs-check: no commands in 'nguardctl help'"; exit 1; }
for c in $cmds; do
	if ! tag="\\f[B]$c\\f[R]" awk 'tp && index($0, ENVIRON["tag"]) == 1 { found = 1 }
			{ tp = $0 == ".TP" } END { exit !found }' "$top/man/nguardctl.8"; then
		echo "docs-check: 'nguardctl help' lists '$c'; man/nguardctl.8 has no entry for it (Documentation/man/nguardctl.8.md, COMMANDS)"
		fail=1
	fi
	if ! grep -q "^\\*\\*nguardctl $c\\*\\*" "$top/Documentation/man/nguardctl.8.md"; then
		echo "docs-check: '$c' is missing from the SYNOPSIS of Documentation/man/nguardctl.8.md"
		fail=1
	fi
done
[ $fail -eq 0 ] && echo "docs-check: man pages up to date, no groff warnings, commands: $(echo $cmds)"
exit $fail
