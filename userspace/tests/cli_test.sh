#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Command-line contract on a host without the nguard module (the build
# host never loads it): exit codes and messages.
# Usage: cli_test.sh PATH_TO_NGUARDCTL
ctl=$1
fail=0
expect() { # expect CODE PATTERN CMD...
	code=$1 pat=$2
	shift 2
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" -ne "$code" ] || ! printf '%s' "$out" | grep -q -- "$pat"; then
		echo "cli_test: '$*' gave rc=$rc (want $code), output: $out"
		fail=1
	fi
}
expect_exact() { # expect_exact CODE STDERR CMD...: nothing on stdout, STDERR (printf %b) to the byte
	code=$1 want=$2
	shift 2
	"$@" >"$tmpx.out" 2>"$tmpx.err"
	rc=$?
	if [ "$rc" -ne "$code" ] || [ -s "$tmpx.out" ] || ! printf '%b' "$want" | cmp -s - "$tmpx.err"; then
		echo "cli_test: '$*' gave rc=$rc (want $code), stdout: $(cat "$tmpx.out"), stderr: $(cat "$tmpx.err")"
		fail=1
	fi
}
tmpx=$(mktemp)
trap 'rm -f "$tmpx" "$tmpx.out" "$tmpx.err"' EXIT
if grep -qw nguard /proc/modules 2>/dev/null; then
	echo "cli_test: nguard is loaded on this host; skipping the not-loaded case is not allowed" >&2
	exit 1
fi
expect 3 "modprobe nguard" "$ctl" status
expect 3 "modprobe nguard" "$ctl" status --json
expect 2 "try 'nguardctl help'" "$ctl" bogus
expect 2 "unknown option '--frob'" "$ctl" status --frob
for cmd in stats conns blocked monitor; do
	expect 3 "modprobe nguard" "$ctl" $cmd
	expect 3 "modprobe nguard" "$ctl" $cmd --json
	expect 3 "modprobe nguard" "$ctl" $cmd -j
	expect 2 "$cmd: unknown argument 'extra'" "$ctl" $cmd extra
	expect 2 "$cmd: unknown argument 'extra'" "$ctl" $cmd --json extra
	expect 2 "$cmd: unknown argument '--frob'" "$ctl" $cmd --frob
	expect 0 "^  $cmd \[--json\]" "$ctl" help
	expect_exact 2 "nguardctl: $cmd: unknown argument '--bogus'\\ntry 'nguardctl help'\\n" \
		"$ctl" $cmd -j --bogus
done
# show and status say "option" where the commands above say "argument".
expect 3 "modprobe nguard" "$ctl" show
expect 3 "modprobe nguard" "$ctl" show --json
expect 3 "modprobe nguard" "$ctl" show -j
expect 2 "show: unknown option 'extra'" "$ctl" show --json extra
expect 0 "^  show \[--json\]" "$ctl" help
for cmd in status show; do
	expect_exact 2 "nguardctl: $cmd: unknown option '--bogus'\\ntry 'nguardctl help'\\n" \
		"$ctl" $cmd --bogus
done
expect 3 "modprobe nguard" "$ctl" observed
expect 3 "modprobe nguard" "$ctl" observed --json --since 10m
expect 3 "modprobe nguard" "$ctl" observed clear
expect 2 "observed: unknown argument 'extra'" "$ctl" observed extra
expect 2 "observed: unknown argument 'x' after 'clear'" "$ctl" observed clear x
expect 2 "observed: --since needs a duration" "$ctl" observed --since
expect 2 "observed: duration '10' needs a unit" "$ctl" observed --since 10
expect 2 "observed: bad duration 'soon'" "$ctl" observed --since soon
expect 0 "^  observed \[--json\] \[--since DURATION\] | clear" "$ctl" help
expect 3 "modprobe nguard" "$ctl" unblock 10.0.9.5
expect 3 "modprobe nguard" "$ctl" unblock 2001:db8::5
expect 3 "modprobe nguard" "$ctl" unblock 2001:db8:1:2::/64
expect 3 "modprobe nguard" "$ctl" unblock all
expect 2 "unblock: usage: nguardctl unblock ADDR|PREFIX|all" "$ctl" unblock
expect 2 "unblock: usage" "$ctl" unblock 10.0.9.5 10.0.9.6
expect 2 "unblock: 'bogus' is not an IPv4 or IPv6 address, an IPv6 prefix ADDR/LEN or 'all'" \
	"$ctl" unblock bogus
expect 2 "unblock: '10.0.9.0/24': IPv4 sources are blocked one address at a time" \
	"$ctl" unblock 10.0.9.0/24
expect 2 "unblock: bad prefix length in '2001:db8::/0' (1..128)" "$ctl" unblock 2001:db8::/0
expect 0 "^  unblock ADDR|PREFIX|all" "$ctl" help
expect 3 "modprobe nguard" "$ctl" block 10.0.9.5 10m
expect 3 "modprobe nguard" "$ctl" block 2001:db8:1:2::/64 1h --json
expect 2 "block: usage: nguardctl block ADDR|PREFIX DURATION" "$ctl" block
expect 2 "block: usage" "$ctl" block 10.0.9.5
expect 2 "block: usage" "$ctl" block 10.0.9.5 1h 2h
expect 2 "block: unknown option '--frob'" "$ctl" block 10.0.9.5 1h --frob
expect 2 "block: duration '600' needs a unit" "$ctl" block 10.0.9.5 600
expect 2 "block: 'all' is not an IPv4 or IPv6 address" "$ctl" block all 1h
expect 0 "^  block ADDR|PREFIX DURATION \[--json\]" "$ctl" help
# save: usage errors, and no file is created when the kernel is not asked.
tmp=$(mktemp -d)
expect 3 "modprobe nguard" "$ctl" save "$tmp/p.conf"
expect 3 "modprobe nguard" "$ctl" save -
[ ! -e "$tmp/p.conf" ] || { echo "cli_test: save without module created $tmp/p.conf"; fail=1; }
[ -z "$(ls -A "$tmp")" ] || { echo "cli_test: save left files behind: $(ls -A "$tmp")"; fail=1; }
rm -rf "$tmp"
expect 2 "save: missing FILE (use '-' for standard output)" "$ctl" save
expect 2 "save: one FILE only ('b' is extra)" "$ctl" save a b
expect 2 "save: unknown option '--json'" "$ctl" save --json
expect 0 "^  save FILE " "$ctl" help
# metrics: without the module, nguard_up 0 (and exit 3), on stdout or as
# FILE replaced atomically (mode 0644 less the umask, no temporary left).
expect 3 "^nguard_up 0$" "$ctl" metrics
expect 3 "^nguard_up 0$" "$ctl" metrics --output -
tmp=$(mktemp -d)
expect 3 "modprobe nguard" "$ctl" metrics --output "$tmp/nguard.prom"
grep -qx "nguard_up 0" "$tmp/nguard.prom" 2>/dev/null ||
	{ echo "cli_test: metrics --output did not write nguard_up 0"; fail=1; }
[ "$(ls -A "$tmp")" = nguard.prom ] || { echo "cli_test: metrics --output left: $(ls -A "$tmp")"; fail=1; }
[ "$(umask 022; "$ctl" metrics -o "$tmp/new.prom" 2>/dev/null; stat -c %a "$tmp/new.prom")" = 644 ] ||
	{ echo "cli_test: metrics --output did not create a 0644 file"; fail=1; }
expect 3 "metrics: $tmp/no/such.prom: cannot create a temporary file beside it" \
	"$ctl" metrics --output "$tmp/no/such.prom"
rm -rf "$tmp"
expect 2 "metrics: --output needs a FILE" "$ctl" metrics --output
expect 2 "metrics: --max-rules 'x': not a number of rules (0..262144)" "$ctl" metrics --max-rules x
expect 2 "metrics: --max-rules '-1'" "$ctl" metrics --max-rules -1
expect 2 "metrics: --max-rules '262145'" "$ctl" metrics --max-rules 262145
expect 2 "metrics: unknown argument '--json'" "$ctl" metrics --json
expect 0 "^  metrics \[--output FILE\] \[--max-rules N\]" "$ctl" help
expect 2 "Usage:" "$ctl"
expect 0 "^nguardctl [0-9]" "$ctl" version
expect 0 "^nguardctl [0-9]" "$ctl" --version
expect 0 "4  permission denied" "$ctl" help
exit $fail
