// SPDX-License-Identifier: GPL-2.0-only
/*
 * Quarantine table — theory of operation.
 *
 * A tracker table (tracker.c) whose slots are NG_TRK_BLOCK entries: a
 * source (IPv4 address or IPv6 prefix, host bits cleared), its expiry in
 * jiffies, the reason and the hits. Readers (the packet path, dumps) copy
 * a slot lock-free under the tracker's seqcount; writers hold the
 * bucket's lock.
 *
 * Full behaviour: a block never displaces a live block. A source whose
 * bucket holds eight live blocks is refused (NG_BLK_FULL). Blocking an
 * already blocked source extends the block if the new one ends later.
 *
 * Expiry is exact for readers (an expired slot no longer blocks); freeing
 * the slot is left to ng_blk_expire(), which the owner runs over a slice
 * of buckets at a time.
 */
#include <linux/jiffies.h>
#include <linux/sched.h>
#include "blocktab.h"

bool ng_blk_check(struct ng_trk *t, const struct ng_trk_key *k, u32 now)
{
	struct ng_trk_slot s, *live;

	live = ng_trk_read(t, k, &s);
	if (!live || !ng_blk_live(&s, now))
		return false;
	/* Approximate: unlocked, and the slot may have been reused. */
	data_race(live->block.hits++);
	return true;
}

/*
 * Under bucket @b's lock: the slot of @k (live or not), else a slot with no
 * live block, else NULL (eight live blocks: the bucket is full).
 */
static struct ng_trk_slot *ng_blk_place(struct ng_trk *t, u32 b,
					const struct ng_trk_key *k, u32 now)
{
	struct ng_trk_slot *s = ng_trk_find(t, b, k), *slots;
	u32 i;

	if (s)
		return s;
	slots = &t->slot[(size_t)b * NG_TRK_WAYS];
	for (i = 0; i < NG_TRK_WAYS; i++)
		if (!ng_blk_live(&slots[i], now))
			return &slots[i];
	return NULL;
}

/* Make @s, which holds no live block, an empty slot counted as used. */
static void ng_blk_claim(struct ng_trk *t, u32 b, struct ng_trk_slot *s)
{
	ng_trk_free(t, b, s);
	atomic_inc(&t->used);
}

enum ng_blk_added ng_blk_add(struct ng_trk *t, const struct ng_trk_key *k,
			     u8 plen, u8 reason, u32 secs, u32 now)
{
	u32 expires = now + secs * HZ, b = ng_trk_bucket(t, k);
	enum ng_blk_added ret = NG_BLK_FULL;
	struct ng_trk_slot *s;

	ng_trk_lock(t, b);
	s = ng_blk_place(t, b, k, now);
	if (s && ng_blk_live(s, now)) {
		if ((s32)(expires - s->block.expires) > 0) {
			s->block.expires = expires;
			s->block.secs = secs;
		}
		ret = NG_BLK_KEPT;
	} else if (s) {
		ng_blk_claim(t, b, s);
		s->key = *k;
		s->last = now;
		s->block.expires = expires;
		s->block.secs = secs;
		s->block.reason = reason;
		s->block.plen = k->family == 6 ? plen : 32;
		ret = NG_BLK_NEW;
	}
	ng_trk_unlock(t, b);
	return ret;
}

u32 ng_blk_migrate(const struct ng_trk *from, struct ng_trk *to, u32 *lost)
{
	u32 now = (u32)jiffies, b, i, n = 0;
	const struct ng_trk_slot *src;
	struct ng_trk_slot *s;
	u32 tb;

	*lost = 0;
	for (b = 0; b <= from->mask; b++) {
		for (i = 0; i < NG_TRK_WAYS; i++) {
			src = &from->slot[(size_t)b * NG_TRK_WAYS + i];
			if (!ng_blk_live(src, now))
				continue;
			tb = ng_trk_bucket(to, &src->key);
			ng_trk_lock(to, tb);
			s = ng_blk_place(to, tb, &src->key, now);
			if (s && !ng_blk_live(s, now)) {
				ng_blk_claim(to, tb, s);
				*s = *src;
			} else if (s && (s32)(src->block.expires -
					      s->block.expires) > 0) {
				s->block = src->block;
			}
			ng_trk_unlock(to, tb);
			if (s)
				n++;
			else
				(*lost)++;
		}
		if (!(b & 1023))
			cond_resched();
	}
	return n;
}

static void ng_blk_gone(struct ng_blk_gone *g, const struct ng_trk_slot *s)
{
	g->family = s->key.family;
	g->reason = s->block.reason;
	g->plen = s->block.plen;
	g->secs = s->block.secs;
	memcpy(g->addr, s->key.addr, 16);
}

/*
 * In bucket @b, free the blocks of @k (any if NULL) that are live, or
 * (@expired) that have expired, into @out; how many.
 */
static u32 ng_blk_take(struct ng_trk *t, u32 b, u32 now,
		       const struct ng_trk_key *k, bool expired,
		       struct ng_blk_gone *out)
{
	struct ng_trk_slot *s;
	u32 i, n = 0;

	ng_trk_lock(t, b);
	for (i = 0; i < NG_TRK_WAYS; i++) {
		s = &t->slot[(size_t)b * NG_TRK_WAYS + i];
		if (s->key.kind != NG_TRK_BLOCK || ng_blk_live(s, now) == expired ||
		    (k && memcmp(&s->key, k, sizeof(*k))))
			continue;
		ng_blk_gone(&out[n++], s);
		ng_trk_free(t, b, s);
	}
	ng_trk_unlock(t, b);
	return n;
}

u32 ng_blk_lift(struct ng_trk *t, u32 b, const struct ng_trk_key *k,
		struct ng_blk_gone *out)
{
	return ng_blk_take(t, b, (u32)jiffies, k, false, out);
}

u32 ng_blk_expire(struct ng_trk *t, u32 b, u32 now, struct ng_blk_gone *out)
{
	return ng_blk_take(t, b, now, NULL, true, out);
}

bool ng_blk_read(struct ng_trk *t, u32 idx, u32 now, struct ng_trk_slot *out)
{
	ng_trk_read_slot(t, idx, out);
	return ng_blk_live(out, now);
}
