#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# `nguardctl check` on the example policies in tests/policies: valid-*.conf
# must pass, invalid-*.conf must fail with every "# expect: MESSAGE" line
# of the file among the diagnostics (run from the policies directory, so
# messages start with the bare file name). Also stdin and usage errors.
# Usage: policies_test.sh PATH_TO_NGUARDCTL
ctl=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
dir=$(dirname "$0")/policies
fail=0
bad() {
	echo "policies_test: $*"
	fail=1
}
cd "$dir" || exit 1
for f in valid-*.conf; do
	out=$("$ctl" check "$f" 2>&1)
	rc=$?
	[ "$rc" -eq 0 ] || bad "$f: rc=$rc, want 0: $out"
	printf '%s\n' "$out" | grep -q "^$f: ok: " || bad "$f: no summary line: $out"
	printf '%s\n' "$out" | grep -q ": error: " && bad "$f: errors: $out"
done
for f in invalid-*.conf; do
	out=$("$ctl" check "$f" 2>&1)
	rc=$?
	[ "$rc" -eq 1 ] || bad "$f: rc=$rc, want 1: $out"
	printf '%s\n' "$out" | grep -q ": ok: " && bad "$f: summary printed for an invalid file"
	n=0
	while IFS= read -r want; do
		n=$((n + 1))
		printf '%s\n' "$out" | grep -qxF -- "$want" || bad "$f: missing '$want' in: $out"
	done <<-EOT
	$(sed -n 's/^# expect: //p' "$f")
	EOT
	[ "$n" -gt 0 ] || bad "$f: no '# expect:' lines"
	got=$(printf '%s\n' "$out" | grep -c ': \(error\|warning\): ')
	[ "$got" -eq "$n" ] || bad "$f: $got diagnostics, $n expected: $out"
done
# The exact summary of the example, stdin, warnings on a valid file.
out=$("$ctl" check valid-example.conf 2>&1)
[ "$out" = "valid-example.conf: ok: 3 segments, 5 prefixes, 1 interface, 6 rules" ] ||
	bad "valid-example.conf summary: $out"
out=$("$ctl" check - < valid-example.conf 2>&1) && [ "$out" = "<stdin>: ok: 3 segments, 5 prefixes, 1 interface, 6 rules" ] ||
	bad "stdin: $out"
out=$(printf 'segment a 10.0.0.1\n' | "$ctl" check - 2>/dev/null) &&
	[ "$out" = "<stdin>: ok: 1 segment, 1 prefix, 0 interfaces, 0 rules (1 warning)" ] || bad "warning summary: $out"
err=$(printf 'segment a 10.0.0.1\n' | "$ctl" check - 2>&1 >/dev/null)
[ "$err" = "<stdin>: warning: no 'default' statement; using 'default deny'" ] || bad "warning text: $err"
# limit source: FILE:LINE:COL errors that say what to do, a second one refused.
out=$(printf 'default deny\nlimit source 0\n' | "$ctl" check - 2>&1); rc=$?
[ "$rc" -eq 1 ] && [ "$out" = "<stdin>:2:14: error: source limit '0' is out of range (1..16777216 connections per source, NGUARD_MAX_CONNS); for no limit, leave 'limit source' out" ] ||
	bad "limit source 0: rc=$rc $out"
out=$(printf 'default deny\nlimit source 16777217\n' | "$ctl" check - 2>&1); rc=$?
[ "$rc" -eq 1 ] && printf '%s' "$out" | grep -q "^<stdin>:2:14: error: source limit '16777217' is out of range" ||
	bad "limit source 16777217: rc=$rc $out"
out=$(printf 'default deny\nlimit source lots\n' | "$ctl" check - 2>&1); rc=$?
[ "$rc" -eq 1 ] && [ "$out" = "<stdin>:2:14: error: bad source limit 'lots': expected a number of connections, like 'limit source 100'" ] ||
	bad "limit source lots: rc=$rc $out"
out=$(printf 'default deny\nlimit source 5\nlimit source 6\n' | "$ctl" check - 2>&1); rc=$?
[ "$rc" -eq 1 ] && [ "$out" = "<stdin>:3:1: error: 'limit source' is already set on line 2" ] ||
	bad "limit source twice: rc=$rc $out"
out=$(printf 'default deny\nlimit conn 100/s\nlimit source 16777216\n' | "$ctl" check - 2>&1) &&
	[ "$out" = "<stdin>: ok: 0 segments, 0 prefixes, 0 interfaces, 0 rules" ] || bad "limit source: $out"
# Usage and file errors.
out=$("$ctl" check 2>&1); rc=$?
[ "$rc" -eq 2 ] && printf '%s' "$out" | grep -q "missing FILE" || bad "no FILE: rc=$rc $out"
out=$("$ctl" check a b 2>&1); rc=$?
[ "$rc" -eq 2 ] || bad "two files: rc=$rc $out"
out=$("$ctl" check --frob x 2>&1); rc=$?
[ "$rc" -eq 2 ] && printf '%s' "$out" | grep -q "unknown option '--frob'" || bad "--frob: rc=$rc $out"
out=$("$ctl" check /nonexistent/policy.conf 2>&1); rc=$?
[ "$rc" -eq 1 ] && [ "$out" = "/nonexistent/policy.conf: error: cannot read: No such file or directory" ] ||
	bad "missing file: rc=$rc $out"
"$ctl" help | grep -q "^  check FILE" || bad "help does not list check"
# The default /etc/nguard/policy.conf of the Debian package: valid, monitor
# mode, default allow, and its commented examples valid once uncommented.
shipped=../../../packaging/policy.conf
out=$("$ctl" check "$shipped" 2>&1) || bad "shipped policy.conf: $out"
grep -qx 'mode monitor .*' "$shipped" && grep -qx 'default allow .*' "$shipped" ||
	bad "shipped policy.conf is not 'mode monitor' + 'default allow'"
out=$(sed 's/^#\([a-z]\)/\1/' "$shipped" | "$ctl" check - 2>&1) || bad "shipped examples: $out"
printf '%s\n' "$out" | grep -q ": ok: 3 segments, .* 5 rules, 5 detectors" ||
	bad "shipped examples: $out"
exit $fail
