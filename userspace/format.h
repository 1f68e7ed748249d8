/* SPDX-License-Identifier: GPL-2.0-only */
/* Human-readable numbers and addresses for text output. */
#ifndef NGUARDCTL_FORMAT_H
#define NGUARDCTL_FORMAT_H

#include <stddef.h>
#include <stdint.h>

/* IEC bytes: "0 B", "1023 B", "1.0 KiB", "1.5 MiB", ... up to EiB. */
char *ng_fmt_bytes(char *buf, size_t len, uint64_t bytes);
/* A duration in ns, one truncated decimal: "850 ns", "12.3 us", "1.2 ms", "3.4 s". */
char *ng_fmt_ns(char *buf, size_t len, uint64_t ns);
/* A short duration in ms, compact: "340ms", "2.1s", "7198s" (from 100 s on). */
char *ng_fmt_ms(char *buf, size_t len, uint64_t ms);
/* Unix seconds as UTC: "2024-05-01 12:00:00 UTC" ("@SECS" if out of range). */
char *ng_fmt_utc(char *buf, size_t len, uint64_t secs);
/*
 * Seconds in the two largest units, truncated: "6d23h", "1h59m", "9m58s",
 * "58s", "10m" (a zero second unit is left out), "0s".
 */
char *ng_fmt_secs(char *buf, size_t len, uint64_t secs);
/*
 * Wall-clock ns since the epoch as ISO 8601 UTC, "2026-11-23T17:50:02Z",
 * with @ms "2026-11-23T17:50:02.123Z" ("@NS" if out of range).
 */
char *ng_fmt_iso(char *buf, size_t len, uint64_t ns, int ms);
/* A prefix as "ADDR/LEN" (@fam AF_INET or AF_INET6, @a in network order). */
char *ng_fmt_prefix(char *buf, size_t len, int fam, const void *a, uint8_t plen);
/* Decimal digits of @v (1 for 0): column widths of aligned tables. */
int ng_digits(uint64_t v);

#endif
