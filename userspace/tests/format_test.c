// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for format.c: unit boundaries and extremes of bytes, durations, times. */
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

	CHECK_STR(ng_fmt_ns(b, sizeof(b), 0), "0 ns");
	CHECK_STR(ng_fmt_ns(b, sizeof(b), 999), "999 ns");
	CHECK_STR(ng_fmt_ns(b, sizeof(b), 1000), "1.0 us");
	CHECK_STR(ng_fmt_ns(b, sizeof(b), 12399), "12.3 us");
	CHECK_STR(ng_fmt_ns(b, sizeof(b), 999999), "999.9 us");
	CHECK_STR(ng_fmt_ns(b, sizeof(b), 1234567), "1.2 ms");
	CHECK_STR(ng_fmt_ns(b, sizeof(b), 3400000000ULL), "3.4 s");
	CHECK_STR(ng_fmt_ns(b, sizeof(b), UINT64_MAX), "18446744073.7 s");

	CHECK_STR(ng_fmt_ms(b, sizeof(b), 0), "0ms");
	CHECK_STR(ng_fmt_ms(b, sizeof(b), 999), "999ms");
	CHECK_STR(ng_fmt_ms(b, sizeof(b), 1000), "1.0s");
	CHECK_STR(ng_fmt_ms(b, sizeof(b), 2199), "2.1s");
	CHECK_STR(ng_fmt_ms(b, sizeof(b), 99999), "99.9s");
	CHECK_STR(ng_fmt_ms(b, sizeof(b), 100000), "100s");
	CHECK_STR(ng_fmt_ms(b, sizeof(b), UINT32_MAX), "4294967s");

	CHECK_STR(ng_fmt_utc(b, sizeof(b), 0), "1970-01-01 00:00:00 UTC");
	CHECK_STR(ng_fmt_utc(b, sizeof(b), 1714564800), "2024-05-01 12:00:00 UTC");
	CHECK_STR(ng_fmt_utc(b, sizeof(b), UINT64_MAX), "@18446744073709551615");
	CHECK_STR(ng_fmt_utc(b, 8, 1714564800), "@171456");	/* too small: truncated */

	CHECK_STR(ng_fmt_secs(b, sizeof(b), 0), "0s");
	CHECK_STR(ng_fmt_secs(b, sizeof(b), 59), "59s");
	CHECK_STR(ng_fmt_secs(b, sizeof(b), 60), "1m");
	CHECK_STR(ng_fmt_secs(b, sizeof(b), 598), "9m58s");
	CHECK_STR(ng_fmt_secs(b, sizeof(b), 600), "10m");
	CHECK_STR(ng_fmt_secs(b, sizeof(b), 3599), "59m59s");
	CHECK_STR(ng_fmt_secs(b, sizeof(b), 3600), "1h");
	CHECK_STR(ng_fmt_secs(b, sizeof(b), 7199), "1h59m");	/* seconds truncated */
	CHECK_STR(ng_fmt_secs(b, sizeof(b), 86400 + 59), "1d");
	CHECK_STR(ng_fmt_secs(b, sizeof(b), 7 * 86400 - 1), "6d23h");
	CHECK_STR(ng_fmt_secs(b, sizeof(b), UINT64_MAX), "213503982334601d7h");

	CHECK_STR(ng_fmt_iso(b, sizeof(b), 0, 0), "1970-01-01T00:00:00Z");
	CHECK_STR(ng_fmt_iso(b, sizeof(b), 1795456202123456789ull, 0), "2026-11-23T17:50:02Z");
	CHECK_STR(ng_fmt_iso(b, sizeof(b), 1795456202123456789ull, 1), "2026-11-23T17:50:02.123Z");
	CHECK_STR(ng_fmt_iso(b, sizeof(b), 999999999, 1), "1970-01-01T00:00:00.999Z");

	CHECK(ng_digits(0) == 1);
	CHECK(ng_digits(9) == 1);
	CHECK(ng_digits(10) == 2);
	CHECK(ng_digits(UINT64_MAX) == 20);
	return CHECK_DONE();
}
