/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Inside the connection table: what conntab.c (the table) and
 * conntab_evict.c (eviction, GC, resize) share. Nothing outside the
 * conntab files includes this; the theory of operation is atop conntab.c.
 */
#ifndef NGUARD_CONNTAB_PRIV_H
#define NGUARD_CONNTAB_PRIV_H

#include <linux/atomic.h>
#include <linux/cache.h>
#include <linux/jiffies.h>
#include <linux/log2.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/rculist.h>
#include <linux/seqlock.h>
#include <linux/siphash.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include "conntab.h"
#include "conntab_state.h"

/*
 * The KUnit module carries its own copy of the conntab files and of the
 * cache, and may define NG_CT_FAKE_CLOCK to drive time by hand.
 */
#ifndef NG_CT_CACHE_NAME
#define NG_CT_CACHE_NAME	"nguard_conn"
#endif

#define NG_CT_LOCKS		256	/* bucket lock stripes */
#define NG_CT_MIN_BUCKETS	NG_CT_LOCKS
#define NG_CT_CHAIN_MAX		32	/* entries per bucket, kept by insert */
#define NG_CT_WALK_MAX		(2 * NG_CT_CHAIN_MAX)	/* reader bound */
#define NG_CT_GC_BUCKETS	1024	/* per GC run */
#define NG_CT_GC_ENTRIES	4096	/* per GC run */
#define NG_CT_GC_SWEEP		(10 * HZ)	/* one full sweep */
#define NG_CT_EVICT_BUCKETS	8	/* buckets scanned per insert */

/* Bits of ng_conntab.flags */
#define NG_CT_GROW		0	/* an insert asks the GC work to grow */

/* Eviction classes, best victim last. */
enum { NG_CT_KEEP, NG_CT_IDLE, NG_CT_HALFOPEN, NG_CT_EXPIRED };

#ifdef __LITTLE_ENDIAN
#define NG_KEY_W4_ID	0x0000ffffffffffffULL	/* port[2], family, proto */
#else
#define NG_KEY_W4_ID	0xffffffffffff0000ULL
#endif

struct ng_ct_buckets {
	u32 mask;
	struct hlist_head b[];
};

struct ng_ct_pcpu {
	u64 cnt[NG_CT_CNT_MAX];
};

struct ng_conntab {
	/* Read by every packet. */
	struct ng_ct_buckets __rcu *tbl;
	hsiphash_key_t hkey;
	u32 max;
#ifdef NG_CT_FAKE_CLOCK
	u32 fake_now;		/* KUnit: the clock, in jiffies */
#endif
	bool gc_enabled;	/* false: the GC work is never queued (KUnit) */
	bool all_locked;	/* a resize holds every stripe */
	seqcount_spinlock_t seq;	/* bumped around a resize */
	struct ng_ct_pcpu __percpu *pcpu;

	/* Written once per connection. */
	atomic_t count ____cacheline_aligned_in_smp;
	atomic_t nprot;		/* entries for which ng_conn_protected() */
	unsigned long flags;

	/* GC and control plane, serialized by @mutex. */
	struct mutex mutex;
	u32 gc_cursor;
	struct delayed_work gc;
	struct rcu_head rcu;

	struct ng_srccount srcs;	/* "limit source" slots */
	spinlock_t all_lock;	/* resize vs. writers, see ng_ct_lock() */
	spinlock_t locks[NG_CT_LOCKS] ____cacheline_aligned_in_smp;
};

static inline u32 ng_ct_now(const struct ng_conntab *t)
{
#ifdef NG_CT_FAKE_CLOCK
	return READ_ONCE(t->fake_now);
#else
	return (u32)jiffies;
#endif
}

static inline u32 ng_ct_hash(const struct ng_conntab *t,
			     const struct ng_conn_key *k)
{
	return hsiphash(k, NG_CONN_KEY_ID_LEN, &t->hkey);
}

static inline bool ng_key_eq(const struct ng_conn_key *a,
			     const struct ng_conn_key *b)
{
	return !((a->w[0] ^ b->w[0]) | (a->w[1] ^ b->w[1]) |
		 (a->w[2] ^ b->w[2]) | (a->w[3] ^ b->w[3]) |
		 ((a->w[4] ^ b->w[4]) & NG_KEY_W4_ID));
}

static inline void ng_ct_count(struct ng_conntab *t, unsigned int id)
{
	this_cpu_inc(t->pcpu->cnt[id]);
}

/* Jiffies since the last packet; 0 if another CPU stamped it after @now. */
static inline u32 ng_ct_idle(const struct ng_conn *c, u32 now)
{
	s32 d = (s32)(now - READ_ONCE(c->last));

	return d > 0 ? d : 0;
}

static inline bool ng_ct_expired(const struct ng_conn *c, u32 now)
{
	u32 to = ng_ct_timeout(c->key.proto, READ_ONCE(c->state),
			       READ_ONCE(c->flags)) * HZ;

	return ng_ct_idle(c, now) >= to;
}

static inline struct ng_ct_buckets *ng_ct_tbl_locked(struct ng_conntab *t)
{
	return rcu_dereference_protected(t->tbl, lockdep_is_held(&t->mutex));
}

/* Most buckets for @max entries: load factor 2 when full. */
static inline u32 ng_ct_buckets_cap(u32 max)
{
	return max_t(u32, NG_CT_MIN_BUCKETS, roundup_pow_of_two(max) / 2);
}

/* conntab.c */
void ng_ct_lock(struct ng_conntab *t, u32 hash) __acquires(&t->locks[hash]);
void ng_ct_unlock(struct ng_conntab *t, u32 hash) __releases(&t->locks[hash]);
void ng_ct_all_lock(struct ng_conntab *t) __acquires(&t->all_lock);
void ng_ct_all_unlock(struct ng_conntab *t) __releases(&t->all_lock);
/*
 * Unlink @c under its bucket lock; count it in @counter unless negative.
 * False if it was already gone.
 */
bool ng_ct_unlink(struct ng_conntab *t, struct ng_conn *c, int counter);
struct ng_ct_buckets *ng_ct_buckets_alloc(u32 n, gfp_t gfp);

/* conntab_evict.c */
/* Victim preference: class first, then idleness; 0 = never. */
u64 ng_ct_score(const struct ng_conn *c, u32 now);
unsigned int ng_ct_evict_counter(unsigned int cls);
/* Evict one entry near @hash for a new one, or -ENOSPC. Under RCU. */
int ng_ct_make_room(struct ng_conntab *t, u32 hash, u32 now);
/* After an insert: ask the GC work to grow a loaded array. */
void ng_ct_maybe_grow(struct ng_conntab *t, const struct ng_ct_buckets *tbl);
void ng_ct_gc_work(struct work_struct *work);
/* One GC slice of at most @budget buckets; true at the end of a sweep. */
bool ng_ct_gc_pass(struct ng_conntab *t, u32 now, u32 budget);
/* Rehash into @n buckets. @t->mutex held. */
int ng_ct_resize(struct ng_conntab *t, u32 n);

#endif /* NGUARD_CONNTAB_PRIV_H */
