#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The Debian package's boot path in the VM (tests/lib/deb-test.sh puts it
# at /tests/pkgboot.sh, next to the nguard package's files as installed:
# /usr/sbin/nguardctl, /usr/lib/nguard/nguard-boot, /etc/nguard/policy.conf,
# and nguard.ko as DKMS installed it). There is no systemd here, so the
# helper runs as nguard.service's ExecStart/ExecReload/ExecStop would run
# it, under dash (Debian's /bin/sh): the shipped policy, reload, save, a
# broken file at start (fail-open: pass-through) and at reload (live policy
# kept), fail-closed (deny-all), stop (flush, module stays).
. /tests/lib.sh

def=/tmp/nguard-default
export NGUARD_DEFAULTS=$def
out=/tmp/boot.out
boot() { dash /usr/lib/nguard/nguard-boot "$@" > $out 2>&1; }
said() { grep -qF -- "$1" $out; }
gen() { nguardctl status --json | jq -r .policy.generation; }
mode() { nguardctl status --json | jq -r .policy.mode; }
loaded() { grep -q '^nguard ' /proc/modules; }
ping_peer() { ping -c 1 -W 2 10.0.0.2 > /dev/null 2>&1; }
tcp_peer() {
	socat -T 2 -t 2 - TCP:10.0.0.2:5001,connect-timeout=2 < /dev/null 2>/dev/null | grep -q ok
}
pw() { echo "$1" > $def; }

# The module under test is the one DKMS installed on the build host.
ko=$(find /lib/modules/"$(uname -r)"/updates -name 'nguard.ko*' | head -n 1)
ng_check "nguard.ko is the DKMS-installed one (sha256)" \
	test "$(sha256sum "$ko" | cut -d' ' -f1)" = "$(cat /tests/nguard.ko.sha256)"
ng_check "shipped /etc/nguard/policy.conf passes check" nguardctl check /etc/nguard/policy.conf
ng_check "shipped /etc/default/nguard is a valid shell fragment" dash -n /etc/default/nguard
ng_check "module not loaded before start" sh -c '! grep -q "^nguard " /proc/modules'

# This host (init namespace) <-> peer namespace; the policies live here.
ng_host peer
ip link add v0 type veth peer name v1 netns peer
ip addr add 10.0.0.1/24 dev v0
ip link set v0 up
ip -n peer addr add 10.0.0.2/24 dev v1
ip -n peer link set v1 up
ng_serve peer TCP 5001
sleep 1

cat > /tmp/p1.conf <<'POL'
mode enforce
default deny
segment host 10.0.0.1
segment peer 10.0.0.2
allow host -> peer icmp
POL
cat > /tmp/broken.conf <<'POL'
mode enforce
default deny
segment host 10.0.0.1/33
allow host -> peer icmp
POL

echo "-- start with the shipped policy"
: > $def
ng_check "start succeeds" boot start
cat $out
ng_check "start loaded the module" loaded
ng_check "module vermagic is the booted kernel" \
	sh -c 'modinfo -F vermagic nguard | grep -q "^$(uname -r) "'
ng_check "shipped policy live: generation 1" test "$(gen)" = 1
ng_check "shipped policy live: monitor mode" test "$(mode)" = monitor
ng_check "shipped policy: ping passes" ping_peer
ng_check "shipped policy: tcp passes" tcp_peer

echo "-- reload with an enforcing policy (NGUARD_POLICY)"
pw "NGUARD_POLICY=/tmp/p1.conf"
ng_check "reload succeeds" boot reload
cat $out
ng_check "reload: generation 2, enforce" test "$(gen) $(mode)" = "2 enforce"
ng_check "enforce: ping allowed" ping_peer
if tcp_peer; then ng_fail "enforce: tcp denied"; else ng_ok "enforce: tcp denied"; fi

echo "-- save"
ng_check "save FILE" nguardctl save /tmp/saved.conf
ng_check "save: new file is 0644" test "$(stat -c %a /tmp/saved.conf)" = 644
nguardctl show > /tmp/show.conf
ng_check "save writes what show prints" cmp /tmp/saved.conf /tmp/show.conf
ng_check "save - writes it to stdout" sh -c 'nguardctl save - | cmp - /tmp/show.conf'
ng_check "saved file passes check" nguardctl check /tmp/saved.conf
ng_check "saved file applies" nguardctl apply /tmp/saved.conf
nguardctl show > /tmp/show2.conf
ng_check "re-applied saved policy is the same policy" \
	sh -c 'grep -v "^#" /tmp/show.conf > /tmp/a; grep -v "^#" /tmp/show2.conf > /tmp/b; cmp /tmp/a /tmp/b'
echo "# old" > /tmp/secret.conf
chmod 600 /tmp/secret.conf
ng_check "save over a 0600 file" nguardctl save /tmp/secret.conf
ng_check "save keeps the mode of an existing file" test "$(stat -c %a /tmp/secret.conf)" = 600
ln -s /tmp/secret.conf /tmp/link.conf
ng_check "save through a symlink" nguardctl save /tmp/link.conf
ng_check "the symlink stays a symlink" test -L /tmp/link.conf
ng_check "no temporary files left" sh -c '! ls /tmp | grep -q "\.conf\."'
g=$(gen)

echo "-- reload with a broken file: fails, live policy kept"
pw "NGUARD_POLICY=/tmp/broken.conf"
if boot reload; then ng_fail "reload of a broken file fails"; else ng_ok "reload of a broken file fails"; fi
cat $out
ng_check "reload error has file:line:col" said "/tmp/broken.conf:3:14: error: bad prefix length"
ng_check "reload says the live policy is unchanged" said "the live policy is unchanged"
ng_check "live policy kept (generation $g)" test "$(gen)" = "$g"
if tcp_peer; then ng_fail "still enforcing: tcp denied"; else ng_ok "still enforcing: tcp denied"; fi

echo "-- stop: flush, the module stays"
ng_check "stop succeeds" boot stop
cat $out
ng_check "stop: pass-through (generation 0)" test "$(gen)" = 0
ng_check "stop: module still loaded" loaded
ng_check "stop: tcp passes" tcp_peer
echo "# kept" > /tmp/kept.conf
if nguardctl save /tmp/kept.conf > $out 2>&1; then
	ng_fail "save without a policy fails"
else
	ng_ok "save without a policy fails"
fi
ng_check "save without a policy says so" said "no policy loaded (pass-through)"
ng_check "save without a policy leaves the file alone" grep -qx "# kept" /tmp/kept.conf

echo "-- boot with a broken file, fail-open (default)"
rmmod nguard
if boot start; then ng_fail "start with a broken file fails"; else ng_ok "start with a broken file fails"; fi
cat $out
ng_check "start error has file:line:col" said "/tmp/broken.conf:3:14: error: bad prefix length"
ng_check "start says pass-through" said "the module passes all traffic"
ng_check "fail-open: module loaded" loaded
ng_check "fail-open: pass-through (generation 0)" test "$(gen)" = 0
ng_check "fail-open: tcp passes" tcp_peer

echo "-- boot with a missing file"
rmmod nguard
pw "NGUARD_POLICY=/tmp/missing.conf"
if boot start; then ng_fail "start with a missing file fails"; else ng_ok "start with a missing file fails"; fi
cat $out
ng_check "missing file: cannot read" said "/tmp/missing.conf: error: cannot read"
ng_check "missing file: pass-through" test "$(gen)" = 0

echo "-- boot with a broken file, NGUARD_FAIL_CLOSED=yes"
rmmod nguard
printf 'NGUARD_POLICY=/tmp/broken.conf\nNGUARD_FAIL_CLOSED=yes\n' > $def
if boot start; then ng_fail "fail-closed start fails"; else ng_ok "fail-closed start fails"; fi
cat $out
ng_check "fail-closed: error has file:line:col" said "/tmp/broken.conf:3:14: error: bad prefix length"
ng_check "fail-closed: says deny-all" said "applied the deny-all policy"
ng_check "fail-closed: enforce, default deny" \
	test "$(nguardctl show --json | jq -r '.mode + " " + .default')" = "enforce deny"
ng_check "fail-closed: no segments or rules" \
	test "$(nguardctl show --json | jq '(.segments|length) + (.rules|length)')" = 0
if ping_peer; then ng_fail "fail-closed: ping denied"; else ng_ok "fail-closed: ping denied"; fi
if tcp_peer; then ng_fail "fail-closed: tcp denied"; else ng_ok "fail-closed: tcp denied"; fi
ng_check "fail-closed: loopback passes" ping -c 1 -W 2 127.0.0.1
printf 'NGUARD_POLICY=/tmp/p1.conf\nNGUARD_FAIL_CLOSED=yes\n' > $def
ng_check "fixed file: start succeeds" boot start
ng_check "fixed file: ping allowed again" ping_peer

echo "-- stop without the module"
boot stop
rmmod nguard
ng_check "stop succeeds when the module is not loaded" boot stop
ng_check "unknown action is a usage error" sh -c '! dash /usr/lib/nguard/nguard-boot frob 2>/dev/null'
ng_done
