#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Scan a guest console log for anything the kernel's checkers report:
# WARN/BUG/oops/panic, KASAN, UBSAN, lockdep, RCU, kmemleak, hung tasks.
# Prints the offending lines and exits 1 if any are found.
# Usage: console-scan.sh CONSOLE_LOG
set -u
pat='WARNING:|BUG:|Oops|Kernel panic|KASAN|UBSAN|kernel BUG|general protection'
pat+='|possible circular locking|possible recursive locking|inconsistent lock state'
pat+='|suspicious RCU usage|lock held when returning|bad unlock balance'
pat+='|unreferenced object|new suspected memory leaks|blocked for more than'
pat+='|Call Trace:|refcount_t:|list_add corruption|list_del corruption'
pat+='|ODEBUG:|segfault at'
if grep -nE "$pat" "$1"; then
	echo "console-scan: kernel reported problems in $1" >&2
	exit 1
fi
exit 0
