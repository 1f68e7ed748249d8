// SPDX-License-Identifier: GPL-2.0-only
/*
 * Connection table — theory of operation.
 *
 * Layout. One table per network namespace: a power-of-two array of hlist
 * buckets (struct ng_ct_buckets, published with rcu_assign_pointer) and
 * 256 bucket-lock stripes. Bucket b uses lock b % 256; since the array
 * never has fewer than 256 buckets, that equals hash % 256, so the lock of
 * an entry does not depend on the array size. The bucket of a key is
 * hsiphash(key) & mask, with a random per-table hsiphash key: an attacker
 * who does not know it cannot aim at one bucket. Both directions of a
 * connection build the same key (endpoints in canonical order), and
 * @key.dir of the entry remembers which endpoint opened it.
 *
 * Readers (lookup, dumps, victim search) walk chains under RCU without any
 * lock and stop after NG_CT_WALK_MAX entries. Writers (insert, delete,
 * state changes, GC) take the entry's bucket lock with BH disabled; inserts
 * keep every chain at most NG_CT_CHAIN_MAX long (with the random key and a
 * load factor of at most 2 a full chain never happens by chance). Entries
 * are freed with call_rcu() into a module-wide kmem_cache; an unlinked
 * entry is marked NG_CONN_F_DEAD under its lock, which makes every unlink
 * path idempotent. The count of entries and the count of "protected"
 * entries (established TCP with a reply seen) are atomics touched once per
 * connection, never per packet; per-packet work is a hash, a chain walk, a
 * timestamp and a packet counter. The event counters are per CPU.
 *
 * Resize. The array starts at 256 buckets (2 KiB) and doubles, in the GC
 * work, when the entries exceed twice the buckets, up to half the limit
 * rounded up to a power of two (4 MiB of buckets for a million entries).
 * An idle namespace thus costs a few KiB whatever its limit. The resize
 * follows nf_conntrack: it sets @all_locked under @all_lock and takes and
 * drops every stripe once, so every writer that comes later queues on
 * @all_lock; it then moves all entries to the new array inside a seqcount
 * write section, with BH disabled (a million entries take a few tens of
 * milliseconds). Readers that miss retry when the seqcount moved, so a
 * concurrent resize never hides an entry; writers recheck it after taking
 * their lock. The array never shrinks.
 *
 * Timeouts. @last is the jiffies of the last packet (u32, compared as a
 * signed difference, so wrapping is harmless while the GC sweeps far more
 * often than every 24 days). An entry is expired when idle for longer than
 * the timeout of its protocol and state (see conntab.h). Expired entries
 * are reaped by the GC, by a lookup that finds one, and by an insert of
 * the same key.
 *
 * GC. A deferrable delayed work visits at most NG_CT_GC_BUCKETS buckets
 * (and NG_CT_GC_ENTRIES entries) per run, one bucket lock at a time, then
 * requeues itself so that a full sweep takes NG_CT_GC_SWEEP whatever the
 * size. It also performs the resizes inserts ask for.
 *
 * Full table. An insert first reserves its slot in @count. Above the
 * limit it must evict one entry, chosen by class, then idleness:
 *   1. expired entries (evict_expired);
 *   2. TCP that is not established-and-replied: SYN_SENT, SYN_RECV,
 *      unanswered mid-stream pick-ups, FIN_WAIT, CLOSING, CLOSE
 *      (evict_halfopen), idlest first;
 *   3. UDP, ICMP and other protocols (evict_idle), idlest first.
 * Established TCP connections that have seen a reply are never evicted to
 * admit another connection: when every entry is one (known in O(1) from
 * the protected count), the insert is refused at once (refused_full)
 * without scanning. Otherwise the victim is the best candidate among the
 * entries of the NG_CT_EVICT_BUCKETS buckets that start at the new key's
 * bucket, scanned under RCU and rechecked under its lock. The window is a
 * constant (8 buckets: 16 entries at the full table's load factor of 2,
 * never more than 8 * NG_CT_CHAIN_MAX), so an insert into a full table
 * costs about the same whatever the table's size and contents, as in
 * nf_conntrack's early drop; the order above holds within the window. The
 * price: when evictable entries are rare (one in tens), most inserts find
 * none nearby and are refused (refused_full) — the same answer as a table
 * of established connections, reached in bounded time. Established
 * entries that expired are only reaped by the GC once all entries are
 * protected. Lowering the limit evicts in the same order, over the whole
 * table, at once (ng_conntab_set_max).
 *
 * Per-source slots. With "limit source", an insert first takes a slot of
 * its source (srccount.c); the entry keeps the slot in the storage of its
 * rcu_head (unused until it is unlinked) and gives it back when unlinked,
 * whatever the reason.
 *
 * TCP states and timeouts: conntab_state.h. Eviction, GC and resizing
 * live in conntab_evict.c; what the two .c files share, in conntab_priv.h.
 */
#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/cache.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/percpu.h>
#include <linux/random.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/seqlock.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include "conntab_priv.h"

static struct kmem_cache *ng_ct_cache;

static const char *const ng_ct_counter_names[NG_CT_CNT_MAX] = {
	[NG_CT_CNT_INSERTS]		= "inserts",
	[NG_CT_CNT_EVICT_EXPIRED]	= "evict_expired",
	[NG_CT_CNT_EVICT_HALFOPEN]	= "evict_halfopen",
	[NG_CT_CNT_EVICT_IDLE]		= "evict_idle",
	[NG_CT_CNT_REFUSED_FULL]	= "refused_full",
	[NG_CT_CNT_REFUSED_CHAIN]	= "refused_chain",
	[NG_CT_CNT_GC_FREED]		= "gc_freed",
	[NG_CT_CNT_ALLOC_FAILED]	= "alloc_failed",
	[NG_CT_CNT_PRUNED]		= "pruned",
};

static const char *const ng_ct_state_names[NG_TCP_NSTATES] = {
	[NG_TCP_NONE]		= "none",
	[NG_TCP_SYN_SENT]	= "syn_sent",
	[NG_TCP_SYN_RECV]	= "syn_recv",
	[NG_TCP_ESTABLISHED]	= "established",
	[NG_TCP_FIN_WAIT]	= "fin_wait",
	[NG_TCP_CLOSING]	= "closing",
	[NG_TCP_CLOSE]		= "close",
};

int ng_conntab_module_init(void)
{
	BUILD_BUG_ON(NG_CONN_KEY_ID_LEN != 38);
	BUILD_BUG_ON(sizeof(struct ng_conn_key) != 40);
	BUILD_BUG_ON(IS_ENABLED(CONFIG_64BIT) && sizeof(struct ng_conn) > 96);
	BUILD_BUG_ON(!is_power_of_2(NG_CT_LOCKS));
	ng_ct_cache = kmem_cache_create(NG_CT_CACHE_NAME, sizeof(struct ng_conn),
					0, SLAB_ACCOUNT, NULL);
	return ng_ct_cache ? 0 : -ENOMEM;
}

void ng_conntab_module_exit(void)
{
	/* Entries and tables are freed by RCU callbacks of this module. */
	rcu_barrier();
	kmem_cache_destroy(ng_ct_cache);
	ng_ct_cache = NULL;
}

unsigned int ng_conntab_entry_size(void)
{
	return kmem_cache_size(ng_ct_cache);
}

u32 ng_conntab_default_max(void)
{
	u64 n = ((u64)totalram_pages() << PAGE_SHIFT) >> 14;

	return clamp_t(u64, n, NG_CONNTAB_MIN_DEFAULT, NG_CONNTAB_MAX_DEFAULT);
}

const char *ng_conntab_counter_name(unsigned int id)
{
	return id < NG_CT_CNT_MAX ? ng_ct_counter_names[id] : "unknown";
}

const char *ng_conn_state_name(unsigned int state)
{
	return state < NG_TCP_NSTATES ? ng_ct_state_names[state] : "unknown";
}

void ng_conn_key_init(struct ng_conn_key *k, u8 family, u8 proto,
		      const void *saddr, const void *daddr,
		      __be16 sport, __be16 dport)
{
	unsigned int alen = family == 4 ? 4 : 16;
	int cmp;

	memset(k, 0, sizeof(*k));
	k->family = family;
	k->proto = proto;
	cmp = memcmp(saddr, daddr, alen);
	if (!cmp)
		cmp = memcmp(&sport, &dport, sizeof(sport));
	k->dir = cmp > 0;
	memcpy(k->addr[k->dir], saddr, alen);
	memcpy(k->addr[!k->dir], daddr, alen);
	k->port[k->dir] = sport;
	k->port[!k->dir] = dport;
}

bool ng_conn_protected(const struct ng_conn *c)
{
	return ng_ct_prot(c->key.proto, READ_ONCE(c->state), READ_ONCE(c->flags));
}

u32 ng_conn_expires_in(const struct ng_conntab *t, const struct ng_conn *c)
{
	u32 to = ng_ct_timeout(c->key.proto, READ_ONCE(c->state),
			       READ_ONCE(c->flags)) * HZ;
	u32 idle = ng_ct_idle(c, ng_ct_now(t));

	return idle >= to ? 0 : DIV_ROUND_UP(to - idle, HZ);
}

/*
 * Bucket locks. @hash is the key's hash or its bucket index: both give
 * the same stripe. The slow path waits for a resize to finish (see the
 * theory of operation and nf_conntrack_lock()).
 */
void ng_ct_lock(struct ng_conntab *t, u32 hash)
	__acquires(&t->locks[hash])
{
	spinlock_t *lock = &t->locks[hash & (NG_CT_LOCKS - 1)];

	spin_lock_bh(lock);
	/* Pairs with smp_store_release() in ng_ct_all_unlock(). */
	if (likely(!smp_load_acquire(&t->all_locked)))
		return;
	spin_unlock(lock);
	spin_lock(&t->all_lock);
	spin_lock(lock);
	spin_unlock(&t->all_lock);
}

void ng_ct_unlock(struct ng_conntab *t, u32 hash)
	__releases(&t->locks[hash])
{
	spin_unlock_bh(&t->locks[hash & (NG_CT_LOCKS - 1)]);
}

void ng_ct_all_lock(struct ng_conntab *t)
	__acquires(&t->all_lock)
{
	unsigned int i;

	spin_lock_bh(&t->all_lock);
	WRITE_ONCE(t->all_locked, true);
	/* Wait for current holders; later ones see @all_locked. */
	for (i = 0; i < NG_CT_LOCKS; i++) {
		spin_lock(&t->locks[i]);
		spin_unlock(&t->locks[i]);
	}
}

void ng_ct_all_unlock(struct ng_conntab *t)
	__releases(&t->all_lock)
{
	/* The moves are visible to whoever sees false (ng_ct_lock()). */
	smp_store_release(&t->all_locked, false);
	spin_unlock_bh(&t->all_lock);
}

static void ng_ct_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(ng_ct_cache, container_of(head, struct ng_conn, rcu));
}

/*
 * Unlink @c under its bucket lock; count it in @counter unless negative.
 * False if it was already gone.
 */
bool ng_ct_unlink(struct ng_conntab *t, struct ng_conn *c, int counter)
{
	u8 flags = c->flags;

	if (flags & NG_CONN_F_DEAD)
		return false;
	WRITE_ONCE(c->flags, flags | NG_CONN_F_DEAD);
	hlist_del_rcu(&c->node);
	if (ng_ct_prot(c->key.proto, c->state, flags))
		atomic_dec(&t->nprot);
	atomic_dec(&t->count);
	if (counter >= 0)
		ng_ct_count(t, counter);
	if (c->src)	/* shares its storage with @c->rcu */
		ng_src_put(&t->srcs, c->src);
	call_rcu(&c->rcu, ng_ct_free_rcu);
	return true;
}

struct ng_ct_buckets *ng_ct_buckets_alloc(u32 n, gfp_t gfp)
{
	struct ng_ct_buckets *b = kvzalloc(struct_size(b, b, n), gfp);

	if (b)
		b->mask = n - 1;
	return b;
}

static struct ng_conntab *ng_ct_create(u32 max, gfp_t gfp, bool gc)
{
	struct ng_conntab *t;
	struct ng_ct_buckets *tbl;
	unsigned int i;

	if (!max)
		max = ng_conntab_default_max();
	if (max > NG_CONNTAB_LIMIT)
		return NULL;
	t = kvzalloc(sizeof(*t), gfp);
	if (!t)
		return NULL;
	tbl = ng_ct_buckets_alloc(NG_CT_MIN_BUCKETS, gfp);
	t->pcpu = alloc_percpu_gfp(struct ng_ct_pcpu, gfp);
	if (!tbl || !t->pcpu || ng_srccount_init(&t->srcs)) {
		kvfree(tbl);
		free_percpu(t->pcpu);
		kvfree(t);
		return NULL;
	}
	RCU_INIT_POINTER(t->tbl, tbl);
	get_random_bytes(&t->hkey, sizeof(t->hkey));
	t->max = max;
	atomic_set(&t->count, 0);
	atomic_set(&t->nprot, 0);
	spin_lock_init(&t->all_lock);
	seqcount_spinlock_init(&t->seq, &t->all_lock);
	for (i = 0; i < NG_CT_LOCKS; i++)
		spin_lock_init(&t->locks[i]);
	mutex_init(&t->mutex);
	INIT_DEFERRABLE_WORK(&t->gc, ng_ct_gc_work);
	t->gc_enabled = gc;
	if (gc)
		queue_delayed_work(system_power_efficient_wq, &t->gc,
				   NG_CT_GC_SWEEP);
	return t;
}

struct ng_conntab *ng_conntab_create(u32 max, gfp_t gfp)
{
	return ng_ct_create(max, gfp, true);
}

/* Unlink every entry. @t->mutex held. */
static void ng_ct_flush_locked(struct ng_conntab *t)
{
	struct ng_ct_buckets *tbl = ng_ct_tbl_locked(t);
	struct hlist_node *tmp;
	struct ng_conn *c;
	u32 b;

	for (b = 0; b <= tbl->mask; b++) {
		ng_ct_lock(t, b);
		hlist_for_each_entry_safe(c, tmp, &tbl->b[b], node)
			ng_ct_unlink(t, c, -1);
		ng_ct_unlock(t, b);
		if (!(b & 255))
			cond_resched();
	}
}

u32 ng_conntab_prune(struct ng_conntab *t,
		     bool (*keep)(struct ng_conn *c, void *arg), void *arg)
{
	struct ng_ct_buckets *tbl;
	struct hlist_node *tmp;
	struct ng_conn *c;
	u32 b, n = 0;

	mutex_lock(&t->mutex);
	tbl = ng_ct_tbl_locked(t);
	for (b = 0; b <= tbl->mask; b++) {
		ng_ct_lock(t, b);
		hlist_for_each_entry_safe(c, tmp, &tbl->b[b], node) {
			if (!keep(c, arg) && ng_ct_unlink(t, c, NG_CT_CNT_PRUNED))
				n++;
		}
		ng_ct_unlock(t, b);
		if (!(b & 255))
			cond_resched();
	}
	mutex_unlock(&t->mutex);
	return n;
}

void ng_conntab_flush(struct ng_conntab *t)
{
	mutex_lock(&t->mutex);
	ng_ct_flush_locked(t);
	mutex_unlock(&t->mutex);
}

static void ng_ct_table_free_rcu(struct rcu_head *head)
{
	struct ng_conntab *t = container_of(head, struct ng_conntab, rcu);

	kvfree(rcu_dereference_protected(t->tbl, true));
	free_percpu(t->pcpu);
	mutex_destroy(&t->mutex);
	kvfree(t);
}

void ng_conntab_destroy(struct ng_conntab *t)
{
	if (!t)
		return;
	WRITE_ONCE(t->gc_enabled, false);
	cancel_delayed_work_sync(&t->gc);
	ng_conntab_flush(t);
	ng_srccount_destroy(&t->srcs);
	/* Late RCU readers may still walk the buckets: free after them. */
	call_rcu(&t->rcu, ng_ct_table_free_rcu);
}

u32 ng_conn_idle_ms(const struct ng_conntab *t, const struct ng_conn *c)
{
	return jiffies_to_msecs(ng_ct_idle(c, ng_ct_now(t)));
}

static struct ng_conn *ng_ct_find(struct ng_conntab *t,
				  const struct ng_conn_key *k, u32 hash)
{
	const struct ng_ct_buckets *tbl;
	struct ng_conn *c;
	unsigned int seq, n;

	do {
		seq = read_seqcount_begin(&t->seq);
		tbl = rcu_dereference(t->tbl);
		n = 0;
		hlist_for_each_entry_rcu(c, &tbl->b[hash & tbl->mask], node) {
			if (ng_key_eq(&c->key, k) &&
			    !(READ_ONCE(c->flags) & NG_CONN_F_DEAD))
				return c;
			if (++n >= NG_CT_WALK_MAX)
				break;
		}
	} while (read_seqcount_retry(&t->seq, seq));
	return NULL;
}

struct ng_conn *ng_conntab_lookup(struct ng_conntab *t,
				  const struct ng_conn_key *k, bool *reply)
{
	u32 hash = ng_ct_hash(t, k), now;
	struct ng_conn *c = ng_ct_find(t, k, hash);
	bool expired;

	if (!c)
		return NULL;
	now = ng_ct_now(t);
	if (unlikely(ng_ct_expired(c, now))) {
		ng_ct_lock(t, hash);
		expired = ng_ct_expired(c, now);
		if (expired)
			ng_ct_unlink(t, c, NG_CT_CNT_GC_FREED);
		ng_ct_unlock(t, hash);
		if (expired)
			return NULL;
	}
	*reply = k->dir != c->key.dir;
	return c;
}

/* A live entry with key @k, for an insert that lost a race; or NULL. */
static struct ng_conn *ng_ct_existing(struct ng_conntab *t,
				      const struct ng_conn_key *k, u32 hash,
				      u32 now)
{
	struct ng_conn *old = ng_ct_find(t, k, hash);

	return old && !ng_ct_expired(old, now) ? old : NULL;
}

/* Take @src's slot for a new entry: NULL (not counted), or the slot. */
static struct ng_src *ng_ct_src_get(struct ng_conntab *t,
				    const struct ng_conn_key *k, u32 hash,
				    const struct ng_src_key *src, u32 limit,
				    struct ng_conn **out)
{
	struct ng_src *s;

	if (!src)
		return NULL;
	s = ng_src_get(&t->srcs, src, limit);
	if (PTR_ERR_OR_ZERO(s) == -EDQUOT) {
		/* Not a new connection if another CPU just tracked it. */
		*out = ng_ct_existing(t, k, hash, ng_ct_now(t));
		if (*out)
			return ERR_PTR(-EEXIST);
	} else if (IS_ERR(s)) {
		ng_ct_count(t, NG_CT_CNT_ALLOC_FAILED);
	}
	return s;
}

u32 ng_conntab_src_held(struct ng_conntab *t, const struct ng_src_key *src)
{
	return ng_srccount_held(&t->srcs, src);
}

int ng_conntab_insert(struct ng_conntab *t, const struct ng_conn_key *k,
		      u32 rule, u8 tcp_flags, const struct ng_src_key *src,
		      u32 src_limit, struct ng_conn **out)
{
	u32 now = ng_ct_now(t), hash = ng_ct_hash(t, k);
	struct ng_conn *c, *old, *victim = NULL;
	struct ng_ct_buckets *tbl;
	struct hlist_head *head;
	struct hlist_node *tmp;
	struct ng_src *slot;
	unsigned int seq, n = 0;
	u64 best = 0, s;
	int err;

	slot = ng_ct_src_get(t, k, hash, src, src_limit, out);
	if (IS_ERR(slot))
		return PTR_ERR(slot);
	c = kmem_cache_alloc(ng_ct_cache, GFP_ATOMIC | __GFP_NOWARN);
	if (!c) {
		if (slot)
			ng_src_put(&t->srcs, slot);
		ng_ct_count(t, NG_CT_CNT_ALLOC_FAILED);
		return -ENOMEM;
	}
	c->src = slot;
	c->key = *k;
	c->key.zero = 0;
	ng_ct_init_state(c, tcp_flags);
	c->tb_pkts = U16_MAX;
	c->tb_bytes = U32_MAX;
	c->rule = rule;
	c->last = now;
	c->pkts[0] = 1;
	c->pkts[1] = 0;

	if (atomic_inc_return(&t->count) > (int)READ_ONCE(t->max)) {
		/* Lost a race for an existing connection: not a refusal. */
		old = ng_ct_existing(t, k, hash, now);
		if (old) {
			atomic_dec(&t->count);
			*out = old;
			err = -EEXIST;
			goto free;
		}
		if (ng_ct_make_room(t, hash, now)) {
			atomic_dec(&t->count);
			ng_ct_count(t, NG_CT_CNT_REFUSED_FULL);
			err = -ENOSPC;
			goto free;
		}
	}
retry:
	seq = read_seqcount_begin(&t->seq);
	tbl = rcu_dereference(t->tbl);
	head = &tbl->b[hash & tbl->mask];
	ng_ct_lock(t, hash);
	if (read_seqcount_retry(&t->seq, seq)) {
		ng_ct_unlock(t, hash);
		goto retry;
	}
	hlist_for_each_entry_safe(old, tmp, head, node) {
		if (ng_key_eq(&old->key, k)) {
			if (!ng_ct_expired(old, now)) {
				ng_ct_unlock(t, hash);
				atomic_dec(&t->count);
				*out = old;
				err = -EEXIST;
				goto free;
			}
			ng_ct_unlink(t, old, NG_CT_CNT_GC_FREED);
			continue;
		}
		n++;
		s = ng_ct_score(old, now);
		if (s > best) {
			best = s;
			victim = old;
		}
	}
	if (n >= NG_CT_CHAIN_MAX) {
		if (!victim) {
			ng_ct_unlock(t, hash);
			atomic_dec(&t->count);
			ng_ct_count(t, NG_CT_CNT_REFUSED_CHAIN);
			err = -ENOSPC;
			goto free;
		}
		ng_ct_unlink(t, victim, ng_ct_evict_counter(best >> 32));
	}
	hlist_add_head_rcu(&c->node, head);
	ng_ct_unlock(t, hash);
	ng_ct_count(t, NG_CT_CNT_INSERTS);
	ng_ct_maybe_grow(t, tbl);
	*out = c;
	return 0;

free:
	if (c->src)
		ng_src_put(&t->srcs, c->src);
	kmem_cache_free(ng_ct_cache, c);
	return err;
}

int ng_conn_update(struct ng_conntab *t, struct ng_conn *c, bool reply,
		   u8 tcp_flags)
{
	u8 st = READ_ONCE(c->state), fl = READ_ONCE(c->flags);
	u8 nst = st, nfl = fl, proto = c->key.proto;
	u32 now = ng_ct_now(t), hash;
	bool was, is;
	int ret;

	if (READ_ONCE(c->last) != now)
		WRITE_ONCE(c->last, now);
	/* Concurrent packets of one direction may lose a count. */
	WRITE_ONCE(c->pkts[reply], READ_ONCE(c->pkts[reply]) + 1);
	ret = ng_ct_next(proto, &nst, &nfl, reply, tcp_flags);
	if (ret || (nst == st && nfl == fl))
		return ret;

	/* State change: redo it under the bucket lock. */
	hash = ng_ct_hash(t, &c->key);
	ng_ct_lock(t, hash);
	st = c->state;
	fl = c->flags;
	if (!(fl & NG_CONN_F_DEAD)) {
		nst = st;
		nfl = fl;
		ng_ct_next(proto, &nst, &nfl, reply, tcp_flags);
		was = ng_ct_prot(proto, st, fl);
		is = ng_ct_prot(proto, nst, nfl);
		WRITE_ONCE(c->state, nst);
		WRITE_ONCE(c->flags, nfl);
		if (is && !was)
			atomic_inc(&t->nprot);
		else if (was && !is)
			atomic_dec(&t->nprot);
	}
	ng_ct_unlock(t, hash);
	return 0;
}

void ng_conntab_delete(struct ng_conntab *t, struct ng_conn *c)
{
	u32 hash = ng_ct_hash(t, &c->key);

	ng_ct_lock(t, hash);
	ng_ct_unlink(t, c, -1);
	ng_ct_unlock(t, hash);
}

void ng_conntab_stats(const struct ng_conntab *t, struct ng_conntab_stats *out)
{
	unsigned int cpu, i;

	memset(out, 0, sizeof(*out));
	out->count = max(atomic_read(&t->count), 0);
	out->max = READ_ONCE(t->max);
	out->established = max(atomic_read(&t->nprot), 0);
	out->sources = ng_srccount_sources(&t->srcs);
	rcu_read_lock();
	out->buckets = rcu_dereference(t->tbl)->mask + 1;
	rcu_read_unlock();
	for_each_possible_cpu(cpu) {
		const struct ng_ct_pcpu *p = per_cpu_ptr(t->pcpu, cpu);

		for (i = 0; i < NG_CT_CNT_MAX; i++)
			out->cnt[i] += READ_ONCE(p->cnt[i]);
	}
}

int ng_conntab_walk(struct ng_conntab *t, struct ng_conntab_iter *it,
		    int (*fn)(const struct ng_conn *c, void *arg), void *arg)
{
	const struct ng_ct_buckets *tbl = rcu_dereference(t->tbl);
	u32 now = ng_ct_now(t), pos;
	struct ng_conn *c;
	int ret;

	for (; it->bucket <= tbl->mask; it->bucket++, it->skip = 0) {
		pos = 0;
		hlist_for_each_entry_rcu(c, &tbl->b[it->bucket], node) {
			if (pos++ < it->skip)
				continue;
			if (pos > NG_CT_WALK_MAX)
				break;
			if (!(READ_ONCE(c->flags) & NG_CONN_F_DEAD) &&
			    !ng_ct_expired(c, now)) {
				ret = fn(c, arg);
				if (ret)
					return ret;
			}
			it->skip = pos;
		}
	}
	it->bucket = NG_CONNTAB_ITER_END;
	it->skip = 0;
	return 0;
}
