/* SPDX-License-Identifier: GPL-2.0-only */
/* Human-readable numbers for text output. */
#ifndef NGUARDCTL_FORMAT_H
#define NGUARDCTL_FORMAT_H

#include <stddef.h>
#include <stdint.h>

/* IEC bytes: "0 B", "1023 B", "1.0 KiB", "1.5 MiB", ... up to EiB. */
char *ng_fmt_bytes(char *buf, size_t len, uint64_t bytes);

#endif
