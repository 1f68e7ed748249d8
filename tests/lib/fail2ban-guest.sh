#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Put Debian's fail2ban into a guest image root, for the fail2ban scenario
# (tests/integration/fail2ban.sh; the stock tier only: python costs image
# size). Usage: fail2ban-guest.sh ROOT
#
# Not all of python: the files fail2ban really uses. The scenario's jail
# (tests/guest/fail2ban/, paths moved to a private directory) is rehearsed
# here under `python3 -v`: server start, three failures, a ban (the action
# runs `true` instead of nguardctl), status, unban, stop. Every module file
# the interpreter reports (.py, its __pycache__ .pyc, extension .so) is
# copied with the libraries it needs, then fail2ban's scripts, the
# scenario's configuration under /etc/f2b-test and the shipped action as
# /etc/fail2ban/action.d/nguard.conf (where the nguard package puts it).
set -euo pipefail
. "$(dirname "$0")/common.sh"

r=$1
py=/usr/bin/python3
[ -x /usr/bin/fail2ban-server ] || ng_die "fail2ban is not installed (apt-get install fail2ban)"
work=$(mktemp -d)
server=
cleanup() {
	[ -n "$server" ] && kill "$server" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

# The rehearsal, in $work/cfg with the scenario's files.
cp -r "$NG_TOP/tests/guest/fail2ban" "$work/cfg"
mkdir -p "$work/cfg/action.d"
cp "$NG_TOP/contrib/fail2ban/action.d/nguard.conf" "$work/cfg/action.d/"
printf '\n[Init]\nnguardctl = true\n' > "$work/cfg/action.d/nguard.local"
sed -i "s|/run/f2b|$work|g" "$work/cfg/fail2ban.conf" "$work/cfg/jail.conf"
: > "$work/auth.log"
client() { "$py" -v /usr/bin/fail2ban-client -c "$work/cfg" "$@" >/dev/null 2>>"$work/trace"; }
"$py" -v /usr/bin/fail2ban-server -c "$work/cfg" -f -x > /dev/null 2> "$work/trace.server" &
server=$!
for _ in $(seq 50); do [ -S "$work/f2b.sock" ] && break; sleep 0.2; done
client status nguardtest
for _ in 1 2 3; do echo "auth failure from 192.0.2.2" >> "$work/auth.log"; done
for _ in $(seq 50); do
	grep -q 'Ban 192.0.2.2' "$work/fail2ban.log" 2>/dev/null && break
	sleep 0.2
done
grep -q 'Ban 192.0.2.2' "$work/fail2ban.log" || ng_die "fail2ban rehearsal: no ban ($work/fail2ban.log)"
client set nguardtest unbanip 192.0.2.2
client status nguardtest
client stop
wait "$server" 2>/dev/null || true
server=

# Every file python reported, and what the shared objects need.
copy() {
	local f=$1 lib
	[ -e "$r$f" ] && return 0
	mkdir -p "$r$(dirname "$f")"
	cp -a "$f" "$r$f"
	case $f in
	*.so | /usr/bin/python3.*)
		for lib in $(ldd "$f" | grep -o '/[^ ]*'); do
			[ -e "$r$lib" ] && continue
			mkdir -p "$r$(dirname "$lib")"
			cp -L "$lib" "$r$lib"
		done ;;
	esac
}
real=$(readlink -f "$py")
copy "$real"
ln -sf "$(basename "$real")" "$r/usr/bin/python3"
cat "$work/trace" "$work/trace.server" |
	sed -n -e "s/^# code object from '\(.*\)'$/\1/p" \
		-e "s/^# .* matches \(\/.*\)$/\1/p" \
		-e "s/^# extension module .* loaded from '\(.*\)'$/\1/p" | sort -u |
	while read -r f; do copy "$f"; done
# The interpreter finds its prefix by its landmark, os.py.
copy "$(dirname "$(readlink -f "$("$py" -c 'import os; print(os.__file__)')")")/os.py"
for s in fail2ban-server fail2ban-client; do copy "/usr/bin/$s"; done
mkdir -p "$r/etc/f2b-test/action.d" "$r/etc/fail2ban/action.d"
cp -r "$NG_TOP/tests/guest/fail2ban/." "$r/etc/f2b-test/"
cp "$NG_TOP/contrib/fail2ban/action.d/nguard.conf" "$r/etc/fail2ban/action.d/"
ln -sf /etc/fail2ban/action.d/nguard.conf "$r/etc/f2b-test/action.d/nguard.conf"
n=$(cat "$work/trace" "$work/trace.server" | grep -c "^# code object from" || true)
ng_log "fail2ban for the guest: $n python modules, $(du -sk "$r/usr/lib/python3" "$r/usr/lib/python3."* 2>/dev/null | awk '{ s += $1 } END { print s }') KiB"
