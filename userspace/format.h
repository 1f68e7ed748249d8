/* SPDX-License-Identifier: GPL-2.0-only */
/* Human-readable numbers for text output. */
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
/* Decimal digits of @v (1 for 0): column widths of aligned tables. */
int ng_digits(uint64_t v);

#endif
