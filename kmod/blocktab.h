/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The quarantine table: blocked sources in a tracker table (tracker.c) of
 * NG_TRK_BLOCK slots, with their expiry. A data structure only: who gets
 * blocked, reports and the per-namespace lifetime are quarantine.c's.
 * See blocktab.c.
 */
#ifndef NGUARD_BLOCKTAB_H
#define NGUARD_BLOCKTAB_H

#include <linux/string.h>
#include <linux/types.h>
#include "tracker.h"

/* A block that was lifted or expired, as the reports need it. */
struct ng_blk_gone {
	u8 family;
	u8 reason;		/* enum nguard_detector */
	u8 plen;
	u32 secs;
	u8 addr[16];
};

enum ng_blk_added {
	NG_BLK_NEW,		/* a new block */
	NG_BLK_KEPT,		/* already blocked (extended if later) */
	NG_BLK_FULL,		/* its bucket holds eight live blocks */
};

static inline bool ng_blk_live(const struct ng_trk_slot *s, u32 now)
{
	return s->key.kind == NG_TRK_BLOCK && (s32)(s->block.expires - now) > 0;
}

static inline void ng_blk_key(struct ng_trk_key *k, u8 family, const u8 *addr)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->addr, addr, family == 4 ? 4 : 16);
	k->family = family;
	k->kind = NG_TRK_BLOCK;
}

/*
 * Is the source @k (IPv6: its prefix) blocked at @now? Counts a hit.
 * Lock-free, any context.
 */
bool ng_blk_check(struct ng_trk *t, const struct ng_trk_key *k, u32 now);

/* Block @k (prefix length @plen) for @secs from @now. Any context. */
enum ng_blk_added ng_blk_add(struct ng_trk *t, const struct ng_trk_key *k,
			     u8 plen, u8 reason, u32 secs, u32 now);

/*
 * Carry the live blocks of @from, which nobody writes any more, into @to;
 * a source blocked in both keeps the later expiry. Returns the blocks
 * carried; *@lost: those whose bucket in @to was full. Process context.
 */
u32 ng_blk_migrate(const struct ng_trk *from, struct ng_trk *to, u32 *lost);

/*
 * In bucket @b: lift the live block of @k (every live block if @k is
 * NULL) into @out (NG_TRK_WAYS entries); how many. Any context.
 */
u32 ng_blk_lift(struct ng_trk *t, u32 b, const struct ng_trk_key *k,
		struct ng_blk_gone *out);

/* In bucket @b: free the expired blocks into @out; how many. */
u32 ng_blk_expire(struct ng_trk *t, u32 b, u32 now, struct ng_blk_gone *out);

/* Slot @idx if it holds a live block at @now (a snapshot in @out). */
bool ng_blk_read(struct ng_trk *t, u32 idx, u32 now, struct ng_trk_slot *out);

#endif /* NGUARD_BLOCKTAB_H */
