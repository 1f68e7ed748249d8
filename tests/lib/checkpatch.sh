#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# checkpatch.pl --strict over every kernel source file of ours.
# Usage: checkpatch.sh KERNEL_SOURCE_TREE
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
"$1/scripts/checkpatch.pl" --strict --no-tree --quiet --show-types \
	-f $(find kmod -name '*.[ch]' | sort)
