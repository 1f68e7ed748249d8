// SPDX-License-Identifier: GPL-2.0-only
/*
 * Observed-flow summary — theory of operation.
 *
 * Policy discovery needs to know which segment talks to which, on which
 * protocol and port, and what the policy said about it. A policy with an
 * "observe" statement owns one table of aggregates keyed by (source
 * segment, destination segment, protocol, destination port or ICMP type);
 * each holds a connection count, first and last seen (wall-clock
 * seconds), the verdict and deciding rule of its first connection,
 * whether monitor mode let a denied one pass, and the first
 * NG_OBS_EXAMPLES distinct (source, destination) address pairs.
 *
 * The packet path (enforce.c) records only packets that step 3 judges,
 * that is first packets of new connections (and each packet of a denied
 * flow, which enforce mode does not track): established traffic never
 * reaches this file.
 *
 * Memory is fixed when the table is created (at policy compile, or when
 * an operator clears it): @max entries of 112 bytes, plus a u32 bucket
 * head per entry, rounded up to a power of two buckets. A new key takes
 * the next free entry (one atomic_fetch_add_unless on the table's
 * counter, only for a key not seen before); when all @max are taken, the
 * key is not recorded and the caller counts observe_overflow. Entries are
 * never evicted or moved: the evidence the table has gathered stays until
 * it is cleared, and the dump can walk entries by index.
 *
 * Example: max 4, flows web->db tcp/5432 twice, web->db udp/53, world->web
 * tcp/443, db->web icmp type 8, world->web tcp/22. The first four keys
 * take entries 0..3 (web->db tcp/5432 counted 2); world->web tcp/22 finds
 * no room: observe_overflow = 1. A third web->db tcp/5432 connection
 * still counts (3), since its aggregate exists.
 *
 * Locking: a key hashes (hsiphash, random key per table) to a bucket,
 * whose stripe lock (spin_lock_bh) covers the bucket's chain and every
 * entry in it; no lock is shared by all buckets. Readers copy an entry
 * under its stripe lock after seeing ->valid set (release/acquire), so a
 * copy is never torn. Clearing replaces the whole table (observe_nl.c):
 * a fresh one is published with rcu_assign_pointer and the old one freed
 * after a grace period, so the packet path never waits for a clear.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "observe.h"

static atomic64_t ng_obs_ids = ATOMIC64_INIT(0);

static u32 ng_obs_buckets(u32 max)
{
	return roundup_pow_of_two(max_t(u32, max, 2));
}

size_t ng_obs_bytes(u32 max)
{
	u32 stripes = min_t(u32, ng_obs_buckets(max), NG_OBS_STRIPES);

	return struct_size((struct ng_obs *)NULL, lock, stripes) +
	       (size_t)ng_obs_buckets(max) * sizeof(u32) +
	       (size_t)max * sizeof(struct ng_obs_entry);
}

struct ng_obs *ng_obs_create(u32 max, gfp_t gfp)
{
	u32 buckets = ng_obs_buckets(max);
	u32 stripes = min_t(u32, buckets, NG_OBS_STRIPES);
	struct ng_obs *t;
	u32 i;

	BUILD_BUG_ON(sizeof(struct ng_obs_entry) != 112);
	if (!max)
		return NULL;
	t = kvzalloc(struct_size(t, lock, stripes), gfp);
	if (!t)
		return NULL;
	t->head = kvcalloc(buckets, sizeof(*t->head), gfp);
	t->ent = kvcalloc(max, sizeof(*t->ent), gfp);
	if (!t->head || !t->ent) {
		ng_obs_destroy(t);
		return NULL;
	}
	t->max = max;
	t->mask = buckets - 1;
	t->nstripes = stripes;
	atomic_set(&t->used, 0);
	t->id = atomic64_inc_return(&ng_obs_ids);
	get_random_bytes(&t->hkey, sizeof(t->hkey));
	for (i = 0; i < stripes; i++)
		spin_lock_init(&t->lock[i]);
	return t;
}

void ng_obs_destroy(struct ng_obs *t)
{
	if (!t)
		return;
	kvfree(t->ent);
	kvfree(t->head);
	kvfree(t);
}

static u32 ng_obs_bucket(const struct ng_obs *t, const struct ng_obs_key *k)
{
	u32 a = (u32)k->src_seg << 16 | k->dst_seg;
	u32 b = (u32)k->proto << 16 | k->port;

	return hsiphash_2u32(a, b, &t->hkey) & t->mask;
}

static spinlock_t *ng_obs_lock(struct ng_obs *t, u32 bucket)
{
	return &t->lock[bucket & (t->nstripes - 1)];
}

static bool ng_obs_key_eq(const struct ng_obs_key *a, const struct ng_obs_key *b)
{
	return a->src_seg == b->src_seg && a->dst_seg == b->dst_seg &&
	       a->proto == b->proto && a->port == b->port;
}

/* Keep the pair as an example unless it is one already or there are enough. */
static void ng_obs_example(struct ng_obs_entry *e, const struct ng_obs_sample *s)
{
	unsigned int alen = s->family == 4 ? 4 : 16, i;

	for (i = 0; i < e->nex; i++)
		if (e->ex_family[i] == s->family &&
		    !memcmp(e->ex_src[i], s->saddr, alen) &&
		    !memcmp(e->ex_dst[i], s->daddr, alen))
			return;
	if (e->nex >= NG_OBS_EXAMPLES)
		return;
	i = e->nex++;
	e->ex_family[i] = s->family;
	memset(e->ex_src[i], 0, 16);
	memset(e->ex_dst[i], 0, 16);
	memcpy(e->ex_src[i], s->saddr, alen);
	memcpy(e->ex_dst[i], s->daddr, alen);
}

int ng_obs_record(struct ng_obs *t, const struct ng_obs_sample *s)
{
	u32 b = ng_obs_bucket(t, &s->key), i;
	spinlock_t *lock = ng_obs_lock(t, b);
	struct ng_obs_entry *e;
	int idx, err = 0;

	spin_lock_bh(lock);
	for (i = t->head[b]; i; i = e->next) {
		e = &t->ent[i - 1];
		if (ng_obs_key_eq(&e->key, &s->key))
			goto found;
	}
	/* Full: do not touch the shared counter again (a flood of new keys). */
	if (atomic_read(&t->used) >= t->max) {
		err = -ENOSPC;
		goto out;
	}
	idx = atomic_fetch_add_unless(&t->used, 1, t->max);
	if (idx >= t->max) {
		err = -ENOSPC;
		goto out;
	}
	e = &t->ent[idx];
	e->key = s->key;
	e->key.pad = 0;
	e->rule = s->rule;
	e->verdict = s->verdict;
	e->flags = s->flags;
	e->first = s->now;
	e->next = t->head[b];
	t->head[b] = idx + 1;
	/* Readers that see valid see the key and the fields above. */
	smp_store_release(&e->valid, 1);
found:
	e->conns++;
	e->last = s->now;
	e->flags |= s->flags;
	ng_obs_example(e, s);
out:
	spin_unlock_bh(lock);
	return err;
}

bool ng_obs_read(struct ng_obs *t, u32 idx, struct ng_obs_entry *out)
{
	struct ng_obs_entry *e;
	spinlock_t *lock;	/* the stripe of the entry's bucket */

	if (idx >= ng_obs_used(t))
		return false;
	e = &t->ent[idx];
	/* Pairs with the release in ng_obs_record(): the key is written. */
	if (!smp_load_acquire(&e->valid))
		return false;
	lock = ng_obs_lock(t, ng_obs_bucket(t, &e->key));
	spin_lock_bh(lock);
	memcpy(out, e, sizeof(*out));
	spin_unlock_bh(lock);
	return true;
}
