// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for format.c: unit boundaries and extremes. */
#include <stdint.h>
#include "check.h"
#include "format.h"

int main(void)
{
	char b[32];

	CHECK_STR(ng_fmt_bytes(b, sizeof(b), 0), "0 B");
	CHECK_STR(ng_fmt_bytes(b, sizeof(b), 1023), "1023 B");
	CHECK_STR(ng_fmt_bytes(b, sizeof(b), 1024), "1.0 KiB");
	CHECK_STR(ng_fmt_bytes(b, sizeof(b), 1536), "1.5 KiB");
	CHECK_STR(ng_fmt_bytes(b, sizeof(b), 1024 * 1024 - 1), "1023.9 KiB");
	CHECK_STR(ng_fmt_bytes(b, sizeof(b), 1024 * 1024), "1.0 MiB");
	CHECK_STR(ng_fmt_bytes(b, sizeof(b), 5ULL << 30), "5.0 GiB");
	CHECK_STR(ng_fmt_bytes(b, sizeof(b), 1ULL << 60), "1.0 EiB");
	CHECK_STR(ng_fmt_bytes(b, sizeof(b), UINT64_MAX), "15.9 EiB");
	/* Truncation keeps the string terminated. */
	CHECK_STR(ng_fmt_bytes(b, 4, 1536), "1.5");
	return CHECK_DONE();
}
