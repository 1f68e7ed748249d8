#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Unit test of the bash completion (completion/nguardctl): sources it into
# this shell and checks COMPREPLY for typical command lines. The live
# policy and quarantine come from a stand-in nguardctl that prints what
# `nguardctl show` and `nguardctl blocked` would. The command list must be
# offer every command of `nguardctl help` (the real binary, $1).
# Usage: completion-test.sh [PATH_TO_NGUARDCTL]
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
real=${1:-$top/userspace/nguardctl}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0

cat > "$tmp/nguardctl" <<'EOF'
#!/bin/sh
case $1 in
show) cat <<'POLICY' ;;
# nguard policy, generation 3
mode enforce
default deny
segment web 10.0.1.0/24 10.0.1.128/25 2001:db8:1::/64
segment web 10.0.4.9
segment db 10.0.2.0/24 10.0.3.7 iface eth1
segment dmz 192.0.2.0/24
allow web -> db tcp 5432
POLICY
blocked) cat <<'BLOCKED' ;;
address            reason    left   duration  dropped
10.0.9.5           portscan  9m58s  10m          1234
2001:db8::5        synflood  1h59m  2h              0
2001:db8:1:2::/64  sweep     9m1s   10m             7
3 blocked
BLOCKED
*) exit 3 ;;
esac
EOF
chmod +x "$tmp/nguardctl"
mkdir "$tmp/dir"
touch "$tmp/dir/policy.conf" "$tmp/dir/other.conf"

# shellcheck source=../../completion/nguardctl
. "$top/completion/nguardctl" || exit 1
complete -p nguardctl >/dev/null || { echo "completion-test: no 'complete' for nguardctl"; exit 1; }

# expect LINE WANT...: complete LINE (cursor at its end) with the stand-in
# nguardctl; COMPREPLY, sorted, must be WANT (sorted).
expect() {
	local line="$tmp/$1" got want
	shift
	COMP_LINE=$line COMP_POINT=${#line}
	read -ra COMP_WORDS <<<"$line"
	COMP_CWORD=${#COMP_WORDS[@]}
	[[ $line == *" " ]] || COMP_CWORD=$((COMP_CWORD - 1))
	COMPREPLY=()
	_nguardctl nguardctl "" ""
	got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | paste -sd' ')
	want=$(printf '%s\n' "$@" | sort | paste -sd' ')
	n=$((n + 1))
	if [[ $got != "$want" ]]; then
		echo "completion-test: '${line#"$tmp/"}': got [$got], want [$want]"
		fail=1
	fi
}

cmds="status check apply confirm flush show save trace stats conns observed suggest blocked block unblock monitor metrics version help"
# shellcheck disable=SC2086
expect "nguardctl " $cmds
expect "nguardctl st" status stats
expect "nguardctl un" unblock
expect "nguardctl bl" blocked block
expect "nguardctl --" --help --version
for c in status show stats conns blocked monitor; do
	expect "nguardctl $c " --json
	expect "nguardctl $c --json "
	expect "nguardctl $c -j "
done
expect "nguardctl m" monitor metrics
expect "nguardctl o" observed
expect "nguardctl observed " clear --json --since
expect "nguardctl observed c" clear
expect "nguardctl observed clear "
expect "nguardctl suggest -" --enforce
expect "nguardctl suggest --enforce -"
expect "nguardctl observed --json " --since
expect "nguardctl observed --since " 10m 1h 1d 7d
expect "nguardctl observed --since 1h " --json
expect "nguardctl observed -j --since 1h "
expect "nguardctl metrics " --output --max-rules
expect "nguardctl metrics --max-rules 10 " --output
expect "nguardctl metrics --max-rules " 0 100 1000
expect "nguardctl metrics -o x " --max-rules
expect "nguardctl confirm "
expect "nguardctl flush "
expect "nguardctl version "

cd "$tmp/dir" || exit 1
expect "nguardctl check " other.conf policy.conf -
expect "nguardctl check p" policy.conf
expect "nguardctl check policy.conf "
expect "nguardctl apply " other.conf policy.conf
expect "nguardctl apply -" --confirm
expect "nguardctl apply --confirm " 30 60 120 300 600
expect "nguardctl apply --confirm 60 p" policy.conf
expect "nguardctl apply --confirm 60 -"
expect "nguardctl apply --confirm 60 policy.conf "
expect "nguardctl save " other.conf policy.conf -
expect "nguardctl save o" other.conf
expect "nguardctl save other.conf "
cd "$top" || exit 1

# trace: segment names and addresses (prefixes as their first address,
# interfaces left out); a segment's name stands for its addresses.
expect "nguardctl trace " web db dmz 10.0.1.0 10.0.1.128 2001:db8:1:: 10.0.4.9 \
	10.0.2.0 10.0.3.7 192.0.2.0
expect "nguardctl trace d" db dmz
expect "nguardctl trace we" web
expect "nguardctl trace web" 10.0.1.0 10.0.1.128 2001:db8:1:: 10.0.4.9
expect "nguardctl trace 10.0.1" 10.0.1.0 10.0.1.128
expect "nguardctl trace 192" 192.0.2.0
# IPv6: readline's word starts after the last colon.
expect "nguardctl trace 2001:db8" db8:1::
expect "nguardctl trace 2001:db8:1:" :
expect "nguardctl trace 10.0.1.2 1" 10.0.1.0 10.0.1.128 10.0.4.9 10.0.2.0 10.0.3.7 192.0.2.0
expect "nguardctl trace --json 10.0.1.2 db" 10.0.2.0 10.0.3.7
expect "nguardctl trace 10.0.1.2 10.0.2.2 " tcp udp icmp icmpv6 sctp udplite
expect "nguardctl trace 10.0.1.2 10.0.2.2 u" udp udplite
expect "nguardctl trace 2001:db8::1 2001:db8:2::1 icmp" icmp icmpv6
expect "nguardctl trace 10.0.1.2 10.0.2.2 tcp "
expect "nguardctl trace 10.0.1.2 -" --json
expect "nguardctl trace --json 10.0.1.2 -"

# unblock: all, and the quarantined sources; an IPv6 block as its prefix
# (2001:db8::5: a module that predates prefixes, as it shows it).
expect "nguardctl unblock " all 10.0.9.5 2001:db8::5 2001:db8:1:2::/64
expect "nguardctl unblock 10" 10.0.9.5
expect "nguardctl unblock 2001:" db8::5 db8:1:2::/64
expect "nguardctl unblock 2001:db8:1" 1:2::/64
expect "nguardctl unblock 2001:db8:1:2::" /64
expect "nguardctl unblock all "

# block: no address list (any address may be blocked), then durations,
# then --json.
expect "nguardctl block "
expect "nguardctl block 10.0.9.5 " 10m 1h 1d 7d
expect "nguardctl block 10.0.9.5 1" 10m 1h 1d
expect "nguardctl block --json 10.0.9.5 " 10m 1h 1d 7d
expect "nguardctl block 10.0.9.5 1h "
expect "nguardctl block 10.0.9.5 1h -" --json
expect "nguardctl block 10.0.9.5 1h --json -"

# Without a module (the stand-in exits 3 for anything else) nothing breaks.
mv "$tmp/nguardctl" "$tmp/nguardctl.off"
printf '#!/bin/sh\nexit 3\n' > "$tmp/nguardctl"
chmod +x "$tmp/nguardctl"
expect "nguardctl trace "
expect "nguardctl unblock " all

# Every command `nguardctl help` lists is offered.
if [[ -x $real ]]; then
	for c in $("$real" help | awk '/^Commands:/ { on = 1; next } /^$/ { on = 0 }
			on && /^  [a-z]/ { print $1 }'); do
		n=$((n + 1))
		if [[ " $_nguardctl_commands " != *" $c "* ]]; then
			echo "completion-test: 'nguardctl help' lists '$c', the completion does not offer it"
			fail=1
		fi
	done
else
	echo "completion-test: $real not built; command list not compared"
	fail=1
fi

echo "completion-test: $n checks"
exit $fail
