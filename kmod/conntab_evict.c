// SPDX-License-Identifier: GPL-2.0-only
/*
 * Connection table: eviction, garbage collection, resizing and the limit
 * (see "Full table", "GC" and "Resize" in the theory atop conntab.c).
 *
 * An insert into a full table asks ng_ct_make_room() for a victim: the
 * best entry by class, then idleness, among the NG_CT_EVICT_BUCKETS
 * buckets from the new key's, rechecked under its lock; established,
 * replied TCP is never a victim. The GC work visits a slice of buckets
 * per run, reaps expired entries and performs the resizes inserts ask
 * for. Lowering the limit evicts in class order over the whole table.
 */
#include <linux/in.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include "conntab_priv.h"

static unsigned int ng_ct_class(const struct ng_conn *c, u32 now)
{
	u8 flags = READ_ONCE(c->flags);

	if (flags & NG_CONN_F_DEAD)
		return NG_CT_KEEP;
	if (ng_ct_expired(c, now))
		return NG_CT_EXPIRED;
	if (c->key.proto != IPPROTO_TCP)
		return NG_CT_IDLE;
	return ng_conn_protected(c) ? NG_CT_KEEP : NG_CT_HALFOPEN;
}

/* Victim preference: class first, then idleness; 0 = never. */
u64 ng_ct_score(const struct ng_conn *c, u32 now)
{
	unsigned int cls = ng_ct_class(c, now);

	return cls == NG_CT_KEEP ? 0 : (u64)cls << 32 | ng_ct_idle(c, now);
}

unsigned int ng_ct_evict_counter(unsigned int cls)
{
	switch (cls) {
	case NG_CT_EXPIRED:
		return NG_CT_CNT_EVICT_EXPIRED;
	case NG_CT_HALFOPEN:
		return NG_CT_CNT_EVICT_HALFOPEN;
	default:
		return NG_CT_CNT_EVICT_IDLE;
	}
}

/*
 * Rehash into @n buckets. @t->mutex held, process context. Every writer
 * is held off (all stripes), readers retry on the seqcount.
 */
int ng_ct_resize(struct ng_conntab *t, u32 n)
{
	struct ng_ct_buckets *old = ng_ct_tbl_locked(t), *new;
	struct hlist_node *tmp;
	struct ng_conn *c;
	u32 b;

	new = ng_ct_buckets_alloc(n, GFP_KERNEL_ACCOUNT);
	if (!new)
		return -ENOMEM;
	ng_ct_all_lock(t);
	write_seqcount_begin(&t->seq);
	for (b = 0; b <= old->mask; b++) {
		hlist_for_each_entry_safe(c, tmp, &old->b[b], node) {
			hlist_del_rcu(&c->node);
			hlist_add_head_rcu(&c->node,
					   &new->b[ng_ct_hash(t, &c->key) & new->mask]);
		}
	}
	rcu_assign_pointer(t->tbl, new);
	write_seqcount_end(&t->seq);
	ng_ct_all_unlock(t);
	synchronize_rcu();
	kvfree(old);
	return 0;
}

/* Grow to fit the current count (load factor 1), within the cap. */
static int ng_ct_grow(struct ng_conntab *t)
{
	u32 nb = ng_ct_tbl_locked(t)->mask + 1;
	u32 want = roundup_pow_of_two(max(atomic_read(&t->count), 1));

	want = min(want, ng_ct_buckets_cap(READ_ONCE(t->max)));
	return want > nb ? ng_ct_resize(t, want) : 0;
}

/* Packet path: ask the GC work for a bigger array when overloaded. */
void ng_ct_maybe_grow(struct ng_conntab *t, const struct ng_ct_buckets *tbl)
{
	u32 nb = tbl->mask + 1;

	if (atomic_read(&t->count) <= 2 * nb ||
	    nb >= ng_ct_buckets_cap(READ_ONCE(t->max)))
		return;
	if (READ_ONCE(t->gc_enabled) && !test_and_set_bit(NG_CT_GROW, &t->flags))
		mod_delayed_work(system_power_efficient_wq, &t->gc, 0);
}

/*
 * Reap expired entries from at most @budget buckets from the cursor on.
 * @t->mutex held. True when the cursor wrapped around.
 */
bool ng_ct_gc_pass(struct ng_conntab *t, u32 now, u32 budget)
{
	struct ng_ct_buckets *tbl = ng_ct_tbl_locked(t);
	u32 b = t->gc_cursor & tbl->mask, seen = 0, i;
	struct hlist_node *tmp;
	struct ng_conn *c;
	bool wrapped = false;

	for (i = 0; i < budget && seen < NG_CT_GC_ENTRIES; i++) {
		ng_ct_lock(t, b);
		hlist_for_each_entry_safe(c, tmp, &tbl->b[b], node) {
			seen++;
			if (ng_ct_expired(c, now))
				ng_ct_unlink(t, c, NG_CT_CNT_GC_FREED);
		}
		ng_ct_unlock(t, b);
		b = (b + 1) & tbl->mask;
		if (!b) {
			wrapped = true;
			break;
		}
	}
	t->gc_cursor = b;
	return wrapped;
}

/*
 * Entries of class @cls idle for at least @min_idle jiffies are evicted
 * until the count is within the limit (NG_CT_EXPIRED: all of them).
 */
static void ng_ct_sweep(struct ng_conntab *t, u32 now, unsigned int cls,
			u32 min_idle)
{
	struct ng_ct_buckets *tbl = ng_ct_tbl_locked(t);
	struct hlist_node *tmp;
	struct ng_conn *c;
	u32 b;

	for (b = 0; b <= tbl->mask; b++) {
		if (cls != NG_CT_EXPIRED &&
		    atomic_read(&t->count) <= (int)READ_ONCE(t->max))
			return;
		ng_ct_lock(t, b);
		hlist_for_each_entry_safe(c, tmp, &tbl->b[b], node) {
			if (cls != NG_CT_EXPIRED &&
			    atomic_read(&t->count) <= (int)READ_ONCE(t->max))
				break;
			if (ng_ct_class(c, now) == cls &&
			    ng_ct_idle(c, now) >= min_idle)
				ng_ct_unlink(t, c, ng_ct_evict_counter(cls));
		}
		ng_ct_unlock(t, b);
		if (!(b & 255))
			cond_resched();
	}
}

/*
 * Bring the count within a lowered limit, in eviction order. Within a
 * class, decreasing idleness thresholds approximate "idlest first".
 */
static void ng_ct_trim(struct ng_conntab *t)
{
	static const u32 ages[] = { 600, 120, 30, 10, 0 };
	static const unsigned int classes[] = { NG_CT_HALFOPEN, NG_CT_IDLE };
	u32 now = ng_ct_now(t);
	unsigned int i, j;

	ng_ct_sweep(t, now, NG_CT_EXPIRED, 0);
	for (i = 0; i < ARRAY_SIZE(classes); i++)
		for (j = 0; j < ARRAY_SIZE(ages); j++)
			ng_ct_sweep(t, now, classes[i], ages[j] * HZ);
}

int ng_conntab_set_max(struct ng_conntab *t, u32 max)
{
	if (!max)
		max = ng_conntab_default_max();
	if (max > NG_CONNTAB_LIMIT)
		return -EINVAL;
	mutex_lock(&t->mutex);
	WRITE_ONCE(t->max, max);
	if (atomic_read(&t->count) > (int)max)
		ng_ct_trim(t);
	mutex_unlock(&t->mutex);
	return 0;
}

/*
 * Find the best victim near @hash's bucket under RCU (see the theory of
 * operation). Only a candidate: recheck under its lock.
 */
static struct ng_conn *ng_ct_pick(struct ng_conntab *t, u32 hash, u32 now)
{
	const struct ng_ct_buckets *tbl = rcu_dereference(t->tbl);
	u32 b = hash & tbl->mask, i, n;
	u32 limit = min_t(u32, tbl->mask + 1, NG_CT_EVICT_BUCKETS);
	struct ng_conn *c, *victim = NULL;
	u64 best = 0, s;

	for (i = 0; i < limit; i++, b = (b + 1) & tbl->mask) {
		n = 0;
		hlist_for_each_entry_rcu(c, &tbl->b[b], node) {
			s = ng_ct_score(c, now);
			if (s > best) {
				best = s;
				victim = c;
			}
			if (++n >= NG_CT_WALK_MAX)
				break;
		}
	}
	return victim;
}

/* Evict one entry for a new one, or -ENOSPC. Under RCU. */
int ng_ct_make_room(struct ng_conntab *t, u32 hash, u32 now)
{
	struct ng_conn *v;
	unsigned int cls;
	int tries;
	u32 vh;

	/* @count includes the caller's reservation. */
	if (atomic_read(&t->nprot) >= atomic_read(&t->count) - 1)
		return -ENOSPC;
	for (tries = 0; tries < 2; tries++) {
		v = ng_ct_pick(t, hash, now);
		if (!v)
			return -ENOSPC;
		vh = ng_ct_hash(t, &v->key);
		ng_ct_lock(t, vh);
		cls = ng_ct_class(v, now);
		if (cls != NG_CT_KEEP)
			ng_ct_unlink(t, v, ng_ct_evict_counter(cls));
		ng_ct_unlock(t, vh);
		if (cls != NG_CT_KEEP)
			return 0;
	}
	return -ENOSPC;
}

void ng_ct_gc_work(struct work_struct *work)
{
	struct ng_conntab *t = container_of(to_delayed_work(work),
					    struct ng_conntab, gc);
	unsigned long delay;
	u32 nb;

	mutex_lock(&t->mutex);
	if (test_and_clear_bit(NG_CT_GROW, &t->flags))
		ng_ct_grow(t);
	ng_ct_gc_pass(t, ng_ct_now(t), NG_CT_GC_BUCKETS);
	nb = ng_ct_tbl_locked(t)->mask + 1;
	mutex_unlock(&t->mutex);

	/* Spread one sweep of all buckets over NG_CT_GC_SWEEP. */
	delay = NG_CT_GC_SWEEP / DIV_ROUND_UP(nb, NG_CT_GC_BUCKETS);
	if (READ_ONCE(t->gc_enabled))
		queue_delayed_work(system_power_efficient_wq, &t->gc,
				   max(delay, 1UL));
}
