/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Address classifier: longest-prefix match of IPv4 and IPv6 addresses to a
 * 16-bit segment id (0 = "world", no prefix matched).
 *
 * Life cycle: collect prefixes in a builder (process context, may sleep),
 * ng_lpm_build() an immutable table from it, publish the table with RCU and
 * look addresses up lock-free from any context. A new policy builds a new
 * table; the old one is ng_lpm_free()d after a grace period by the caller.
 * See lpm.c for the design.
 */
#ifndef _NGUARD_LPM_H
#define _NGUARD_LPM_H

#include "lpm_shim.h"

struct ng_lpm_builder;
struct ng_lpm;

/* Upper bound on prefixes per address family in one builder. */
#define NG_LPM_MAX_PREFIXES	BIT(24)

struct ng_lpm_builder *ng_lpm_builder_new(void);

/*
 * Add a prefix. @addr is in host byte order (v4) or network order bytes
 * (v6). Returns 0, -EINVAL (plen too long, host bits set, value 0),
 * -EEXIST (the same address family, address and length were already added,
 * whatever the value), -ENOSPC (NG_LPM_MAX_PREFIXES reached) or -ENOMEM.
 */
int ng_lpm_builder_add4(struct ng_lpm_builder *b, u32 addr, u8 plen, u16 value);
int ng_lpm_builder_add6(struct ng_lpm_builder *b, const u8 addr[16], u8 plen,
			u16 value);

/*
 * Build a table from everything added so far. The builder is left unchanged
 * (it can be added to and built again). Returns NULL if memory ran out or
 * the table would exceed its size limits; never an ERR_PTR. An empty
 * builder gives a table in which every lookup returns 0.
 */
struct ng_lpm *ng_lpm_build(struct ng_lpm_builder *b);
void ng_lpm_builder_free(struct ng_lpm_builder *b);

/* Lock-free, any context; @t must stay alive (RCU) during the call. */
u16 ng_lpm_lookup4(const struct ng_lpm *t, u32 addr);
u16 ng_lpm_lookup6(const struct ng_lpm *t, const u8 addr[16]);

/* Bytes allocated for the built table. */
size_t ng_lpm_mem(const struct ng_lpm *t);
void ng_lpm_free(struct ng_lpm *t);

#endif /* _NGUARD_LPM_H */
