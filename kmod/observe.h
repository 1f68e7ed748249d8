/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The observed-flow summary: a fixed-size table of per-(segment pair,
 * protocol, port) aggregates of the connections a policy judged. See
 * observe.c.
 */
#ifndef NGUARD_OBSERVE_H
#define NGUARD_OBSERVE_H

#include <linux/siphash.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#define NG_OBS_EXAMPLES	2	/* example (source, destination) pairs kept */
#define NG_OBS_STRIPES	256	/* bucket lock stripes, at most */

struct ng_obs_key {
	u16 src_seg;
	u16 dst_seg;
	u8 proto;
	u8 pad;			/* zero */
	u16 port;		/* destination port, ICMP type, or 0 */
};

/* One aggregate: 112 bytes. */
struct ng_obs_entry {
	struct ng_obs_key key;
	u32 next;		/* next entry of the bucket + 1; 0 = end */
	u32 rule;		/* deciding rule of the first one, or NG_RULE_NONE */
	u8 verdict;		/* enum nguard_verdict */
	u8 flags;		/* NGUARD_OBS_F_* */
	u8 valid;		/* filled (set last, read with acquire) */
	u8 nex;			/* examples kept */
	u8 ex_family[NG_OBS_EXAMPLES];
	u8 pad[2];
	u64 conns;		/* connections (first packets) counted */
	u64 first;		/* wall-clock seconds */
	u64 last;
	u8 ex_src[NG_OBS_EXAMPLES][16];
	u8 ex_dst[NG_OBS_EXAMPLES][16];
};

struct ng_obs {
	u32 max;		/* entries, fixed */
	u32 mask;		/* buckets - 1 */
	u32 nstripes;		/* power of two, <= NG_OBS_STRIPES */
	atomic_t used;		/* entries handed out, never above max */
	u64 id;			/* unique per table: a dump notices a swap */
	hsiphash_key_t hkey;
	u32 *head;		/* [buckets]: first entry + 1; 0 = empty */
	struct ng_obs_entry *ent;	/* [max] */
	spinlock_t lock[];	/* [nstripes] */
};

/* What one judged packet adds (ng_obs_record). */
struct ng_obs_sample {
	struct ng_obs_key key;
	u8 family;		/* 4 or 6 */
	u8 verdict;
	u8 flags;
	u32 rule;
	const u8 *saddr;
	const u8 *daddr;
	u64 now;		/* wall-clock seconds */
};

/* A table of @max entries (1..NGUARD_MAX_OBSERVE); process context. */
struct ng_obs *ng_obs_create(u32 max, gfp_t gfp);
void ng_obs_destroy(struct ng_obs *t);
/* Bytes the table of @max entries takes (documented, reported). */
size_t ng_obs_bytes(u32 max);

/*
 * Packet path (any context, BH-safe): count @s into its aggregate,
 * creating it if there is room. -ENOSPC: the table is full and has no
 * aggregate for the key (nothing recorded).
 */
int ng_obs_record(struct ng_obs *t, const struct ng_obs_sample *s);

/*
 * Copy entry @idx into @out if it is filled; false otherwise (or past the
 * entries handed out). Any context.
 */
bool ng_obs_read(struct ng_obs *t, u32 idx, struct ng_obs_entry *out);

/* Entries handed out (an upper bound for ng_obs_read's @idx). */
static inline u32 ng_obs_used(const struct ng_obs *t)
{
	return min_t(u32, atomic_read(&t->used), t->max);
}

#endif /* NGUARD_OBSERVE_H */
