// SPDX-License-Identifier: GPL-2.0-only
/* Human-readable byte counts (IEC units, one decimal, never rounding up a unit). */
#include <stdio.h>
#include "format.h"

char *ng_fmt_bytes(char *buf, size_t len, uint64_t bytes)
{
	static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	unsigned int u = 0;
	uint64_t whole = bytes, tenths;

	if (bytes < 1024) {
		snprintf(buf, len, "%llu B", (unsigned long long)bytes);
		return buf;
	}
	/* Find the unit, then compute one truncated decimal from the remainder. */
	while (whole >= 1024 * 1024 && u < 5) {
		whole >>= 10;
		u++;
	}
	tenths = (whole % 1024) * 10 / 1024;
	snprintf(buf, len, "%llu.%llu %s", (unsigned long long)(whole / 1024),
		 (unsigned long long)tenths, unit[u]);
	return buf;
}
