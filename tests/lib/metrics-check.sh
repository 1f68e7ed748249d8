#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `promtool check metrics` (Debian package prometheus) on what `nguardctl
# metrics` writes: the exposition must parse and pass promtool's lint
# (HELP and TYPE, counter names in _total, no duplicate families, ...).
#   metrics-check.sh unit USERSPACE_DIR   the cases userspace/tests/metrics_test
#                                         renders (static tier: every family,
#                                         folded rules, no policy, nguard_up 0)
#   metrics-check.sh console CONSOLE_LOG  every block a VM scenario printed with
#                                         ng_console_metrics (tests/guest/lib.sh):
#                                         real output of the module's counters
#   metrics-check.sh rules DOC            `promtool check rules` on the ```yaml
#                                         block of DOC (monitoring.md's alert rules)
# A console block is checked against the sha256 the guest printed with it
# first, so that a console that garbled it is reported as such, not as a
# promtool failure. Fails when there is nothing to check.
set -uo pipefail

mode=${1:-} src=${2:-}
[ -n "$src" ] || { echo "usage: metrics-check.sh unit USERSPACE_DIR | console CONSOLE_LOG | rules DOC" >&2; exit 2; }
command -v promtool >/dev/null ||
	{ echo "metrics-check: promtool not found: apt-get install prometheus" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

case $mode in
rules)
	awk '/^```yaml$/ { on = 1; next } on && /^```$/ { on = 0 } on' "$src" > "$tmp/rules.yml"
	[ -s "$tmp/rules.yml" ] || { echo "metrics-check: no \`\`\`yaml block in $src"; exit 1; }
	if ! out=$(promtool check rules "$tmp/rules.yml" 2>&1); then
		printf '%s\n' "$out"
		echo "metrics-check: promtool check rules failed on the alert rules of $src"
		exit 1
	fi
	echo "metrics-check: promtool check rules: $(grep -c -- '- alert:' "$tmp/rules.yml") alert rules of $src pass"
	exit 0
	;;
unit)
	"$src/tests/metrics_test" "$tmp" >/dev/null ||
		{ echo "metrics-check: $src/tests/metrics_test failed (make -C userspace check)"; exit 1; }
	;;
console)
	# block-N.prom and block-N.sha256 for each begin/end pair.
	awk -v dir="$tmp" '
		$0 == "==== nguard-metrics begin ====" { n++; f = dir "/block-" n ".prom"; printf "" > f; on = 1; next }
		on && /^==== nguard-metrics end sha256 [0-9a-f]+ ====$/ {
			print $5 > (dir "/block-" n ".sha256"); close(f); on = 0; next }
		on { print > f }' "$src"
	for f in "$tmp"/block-*.prom; do
		[ -e "$f" ] || break
		if [ ! -s "${f%.prom}.sha256" ]; then
			echo "metrics-check: $(basename "$f"): no end marker (the VM stopped while printing?)"
			fail=1
			rm -f "$f"
		elif [ "$(sha256sum < "$f" | cut -d' ' -f1)" != "$(cat "${f%.prom}.sha256")" ]; then
			echo "metrics-check: $(basename "$f"): differs from what the guest printed (sha256): the console garbled it"
			fail=1
			rm -f "$f"
		fi
	done
	;;
*)
	echo "usage: metrics-check.sh unit USERSPACE_DIR | console CONSOLE_LOG | rules DOC" >&2
	exit 2
	;;
esac

n=0
for f in "$tmp"/*.prom; do
	[ -e "$f" ] || break
	n=$((n + 1))
	if ! out=$(promtool check metrics < "$f" 2>&1); then
		printf '%s\n' "$out"
		echo "metrics-check: $(basename "$f"): promtool check metrics failed ($(grep -c '^nguard_' "$f") samples)"
		fail=1
	fi
done
if [ "$n" -eq 0 ]; then
	echo "metrics-check: no exposition found in $src"
	exit 1
fi
[ $fail -eq 0 ] && echo "metrics-check: promtool check metrics passed on $n exposition(s) from $src"
exit $fail
