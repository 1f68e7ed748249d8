// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-source connection counts — theory of operation.
 *
 * "limit source N" caps the connections one source may hold in the
 * connection table. The counts live in a resizable RCU hash table (the
 * kernel's rhashtable) keyed by the source as the policy sees it: an IPv4
 * address, or an IPv6 address masked to the policy's source prefix. An
 * entry holds the number of slots taken; every counted connection points
 * to its entry and gives its slot back when it leaves the table, so the
 * count is exact, whatever the policy's prefix length became since.
 *
 * Taking a slot is lock-free: a lookup under RCU, then a compare-and-swap
 * loop that refuses at the limit and never raises a count of 0. Only the
 * first connection of a source inserts an entry (GFP_ATOMIC); when two
 * CPUs race, the loser frees its copy and takes a slot in the winner's.
 * The put that drops a count to 0 unlinks the entry and frees it after a
 * grace period. An entry at 0 is dead: the compare function treats it as
 * a different key, so lookups skip it and a new entry for the same source
 * can be inserted while the dead one is being unlinked.
 *
 * Bound: every live entry holds at least one connection, so there are
 * never more entries than connections ("conns max"); the hash table grows
 * and shrinks with them in its own worker. An entry is 48 bytes (a 64-byte
 * allocation). When no
 * entry can be made (allocation failure), the caller refuses the
 * connection rather than admit one it cannot count.
 */
#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "srccount.h"

struct ng_src {
	struct rhash_head node;
	struct ng_src_key key;
	atomic_t count;		/* slots held; 0 = dead */
	struct rcu_head rcu;
};

static int ng_src_cmp(struct rhashtable_compare_arg *arg, const void *obj)
{
	const struct ng_src *s = obj;

	return atomic_read(&s->count) <= 0 ||
	       memcmp(&s->key, arg->key, sizeof(s->key));
}

static const struct rhashtable_params ng_src_params = {
	.head_offset = offsetof(struct ng_src, node),
	.key_offset = offsetof(struct ng_src, key),
	.key_len = sizeof(struct ng_src_key),
	.obj_cmpfn = ng_src_cmp,
	.automatic_shrinking = true,
};

int ng_srccount_init(struct ng_srccount *sc)
{
	return rhashtable_init(&sc->ht, &ng_src_params);
}

void ng_srccount_destroy(struct ng_srccount *sc)
{
	WARN_ON_ONCE(atomic_read(&sc->ht.nelems));
	rhashtable_destroy(&sc->ht);
}

/* One more slot unless dead (false) or at @limit (-EDQUOT). */
static int ng_src_take(struct ng_src *s, u32 limit)
{
	int c = atomic_read(&s->count);

	do {
		if (c <= 0)
			return -ENOENT;
		if ((u32)c >= limit)
			return -EDQUOT;
	} while (!atomic_try_cmpxchg(&s->count, &c, c + 1));
	return 0;
}

struct ng_src *ng_src_get(struct ng_srccount *sc, const struct ng_src_key *key,
			  u32 limit)
{
	struct ng_src *s, *old;
	int tries, err;

	for (tries = 0; tries < 4; tries++) {
		s = rhashtable_lookup(&sc->ht, key, ng_src_params);
		if (s) {
			err = ng_src_take(s, limit);
			if (err != -ENOENT)
				return err ? ERR_PTR(err) : s;
		}
		s = kmalloc(sizeof(*s), GFP_ATOMIC | __GFP_NOWARN);
		if (!s)
			return ERR_PTR(-ENOMEM);
		s->key = *key;
		atomic_set(&s->count, 1);
		old = rhashtable_lookup_get_insert_fast(&sc->ht, &s->node,
							ng_src_params);
		if (!old)
			return s;
		kfree(s);
		if (IS_ERR(old))
			return old;
		/* Another CPU inserted it first: take a slot in that one. */
		err = ng_src_take(old, limit);
		if (err != -ENOENT)
			return err ? ERR_PTR(err) : old;
	}
	/* Its entry died under us four times: give up on this packet. */
	return ERR_PTR(-EAGAIN);
}

void ng_src_put(struct ng_srccount *sc, struct ng_src *s)
{
	if (!atomic_dec_and_test(&s->count))
		return;
	rhashtable_remove_fast(&sc->ht, &s->node, ng_src_params);
	kfree_rcu(s, rcu);
}

u32 ng_srccount_held(struct ng_srccount *sc, const struct ng_src_key *key)
{
	struct ng_src *s = rhashtable_lookup(&sc->ht, key, ng_src_params);

	return s ? max(atomic_read(&s->count), 0) : 0;
}

u32 ng_srccount_sources(const struct ng_srccount *sc)
{
	return max(atomic_read(&sc->ht.nelems), 0);
}
