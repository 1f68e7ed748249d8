// SPDX-License-Identifier: GPL-2.0-only
/*
 * Set-associative trackers — theory of operation.
 *
 * The anomaly detectors keep state per source address (portscan score,
 * hosts swept per destination segment), per destination address (SYN
 * rate) and per quarantined source. All of it lives in fixed arrays
 * allocated when a policy that needs them is applied: a power-of-two
 * number of buckets of NG_TRK_WAYS 64-byte slots. Nothing is allocated on
 * the packet path, so memory is bounded by construction, whatever an
 * attacker sends.
 *
 * A key hashes (hsiphash with a random per-table key, so an attacker
 * cannot aim at a bucket) to one bucket and lives in one of its slots.
 * When the bucket is full, a new key takes over the slot its owner's
 * weigh() rates lowest, ties broken by the oldest update: a detector
 * weighs a slot by how close it is to firing, so a flood of spoofed
 * sources, each of which has a score of 1 or 3, churns through the
 * low-weight slots and cannot push out the state of a real scanner that
 * is about to reach its threshold. Takeovers are counted
 * (tracker_evictions). There is no chain to grow and no GC: stale slots
 * are simply reused.
 *
 * Writers take the bucket's stripe lock with BH disabled and bump the
 * stripe's seqcount around changes; the quarantine check on every packet
 * (ng_trk_read) reads without a lock and retries when the seqcount moved.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "tracker.h"

struct ng_trk *ng_trk_create(u32 slots)
{
	u32 buckets = roundup_pow_of_two(max_t(u32, DIV_ROUND_UP(slots, NG_TRK_WAYS), 1));
	struct ng_trk *t;
	unsigned int i;

	BUILD_BUG_ON(sizeof(struct ng_trk_slot) != 64);
	t = kvzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t)
		return NULL;
	t->slot = kvcalloc((size_t)buckets * NG_TRK_WAYS, sizeof(*t->slot),
			   GFP_KERNEL_ACCOUNT);
	if (!t->slot) {
		kvfree(t);
		return NULL;
	}
	t->mask = buckets - 1;
	t->slots = buckets * NG_TRK_WAYS;
	get_random_bytes(&t->hkey, sizeof(t->hkey));
	for (i = 0; i < NG_TRK_STRIPES; i++) {
		spin_lock_init(&t->lock[i]);
		seqcount_spinlock_init(&t->seq[i], &t->lock[i]);
	}
	atomic_set(&t->used, 0);
	return t;
}

void ng_trk_destroy(struct ng_trk *t)
{
	if (!t)
		return;
	kvfree(t->slot);
	kvfree(t);
}

u32 ng_trk_bucket(const struct ng_trk *t, const struct ng_trk_key *k)
{
	BUILD_BUG_ON(sizeof(*k) % sizeof(u32));
	return hsiphash(k, sizeof(*k), &t->hkey) & t->mask;
}

void ng_trk_lock(struct ng_trk *t, u32 bucket)
	__acquires(&t->lock)
{
	spin_lock_bh(&t->lock[bucket % NG_TRK_STRIPES]);
	write_seqcount_begin(&t->seq[bucket % NG_TRK_STRIPES]);
}

void ng_trk_unlock(struct ng_trk *t, u32 bucket)
	__releases(&t->lock)
{
	write_seqcount_end(&t->seq[bucket % NG_TRK_STRIPES]);
	spin_unlock_bh(&t->lock[bucket % NG_TRK_STRIPES]);
}

static inline bool ng_trk_key_eq(const struct ng_trk_key *a,
				 const struct ng_trk_key *b)
{
	return !memcmp(a, b, sizeof(*a));
}

struct ng_trk_slot *ng_trk_find(struct ng_trk *t, u32 bucket,
				const struct ng_trk_key *k)
{
	struct ng_trk_slot *s = &t->slot[(size_t)bucket * NG_TRK_WAYS];
	unsigned int i;

	for (i = 0; i < NG_TRK_WAYS; i++)
		if (s[i].key.kind != NG_TRK_FREE && ng_trk_key_eq(&s[i].key, k))
			return &s[i];
	return NULL;
}

struct ng_trk_slot *ng_trk_claim(struct ng_trk *t, u32 bucket,
				 const struct ng_trk_key *k, u32 now,
				 u32 (*weigh)(const struct ng_trk_slot *s, u32 now),
				 bool *evicted)
{
	struct ng_trk_slot *s = &t->slot[(size_t)bucket * NG_TRK_WAYS];
	struct ng_trk_slot *victim = NULL;
	u32 best_w = U32_MAX, best_age = 0, w, age;
	unsigned int i;

	*evicted = false;
	for (i = 0; i < NG_TRK_WAYS; i++) {
		if (s[i].key.kind == NG_TRK_FREE) {
			victim = &s[i];
			atomic_inc(&t->used);
			goto claim;
		}
		w = weigh(&s[i], now);
		age = now - s[i].last;
		if (!victim || w < best_w || (w == best_w && age > best_age)) {
			victim = &s[i];
			best_w = w;
			best_age = age;
		}
	}
	*evicted = best_w > 0;
claim:
	memset(victim, 0, sizeof(*victim));
	victim->key = *k;
	victim->last = now;
	return victim;
}

void ng_trk_free(struct ng_trk *t, u32 bucket, struct ng_trk_slot *s)
{
	if (s->key.kind != NG_TRK_FREE)
		atomic_dec(&t->used);
	memset(s, 0, sizeof(*s));
}

struct ng_trk_slot *ng_trk_read(struct ng_trk *t, const struct ng_trk_key *k,
				struct ng_trk_slot *out)
{
	u32 b = ng_trk_bucket(t, k);
	struct ng_trk_slot *s = &t->slot[(size_t)b * NG_TRK_WAYS], *found;
	seqcount_spinlock_t *seq = &t->seq[b % NG_TRK_STRIPES];
	unsigned int i, start;

	do {
		start = read_seqcount_begin(seq);
		found = NULL;
		for (i = 0; i < NG_TRK_WAYS; i++) {
			if (READ_ONCE(s[i].key.kind) != NG_TRK_FREE &&
			    ng_trk_key_eq(&s[i].key, k)) {
				memcpy(out, &s[i], sizeof(*out));
				found = &s[i];
				break;
			}
		}
	} while (read_seqcount_retry(seq, start));
	return found;
}

void ng_trk_read_slot(struct ng_trk *t, u32 idx, struct ng_trk_slot *out)
{
	seqcount_spinlock_t *seq = &t->seq[(idx / NG_TRK_WAYS) % NG_TRK_STRIPES];
	unsigned int start;

	do {
		start = read_seqcount_begin(seq);
		memcpy(out, &t->slot[idx], sizeof(*out));
	} while (read_seqcount_retry(seq, start));
}

u32 ng_trk_forget(struct ng_trk *t, u8 family, const u8 *addr)
{
	u32 b, i, n = 0;
	struct ng_trk_slot *s;

	for (b = 0; b <= t->mask; b++) {
		ng_trk_lock(t, b);
		for (i = 0; i < NG_TRK_WAYS; i++) {
			s = &t->slot[(size_t)b * NG_TRK_WAYS + i];
			if (s->key.kind == NG_TRK_FREE ||
			    (addr && (s->key.family != family ||
				      memcmp(s->key.addr, addr,
					     family == 4 ? 4 : 16))))
				continue;
			ng_trk_free(t, b, s);
			n++;
		}
		ng_trk_unlock(t, b);
		if (!(b & 1023))
			cond_resched();
	}
	return n;
}

struct ng_trk *ng_trk_swap(struct ng_trk __rcu **slot, struct mutex *lock,
			   u32 want, const char *what)
{
	struct ng_trk *old = rcu_dereference_protected(*slot, lockdep_is_held(lock));
	u32 buckets = roundup_pow_of_two(max_t(u32, DIV_ROUND_UP(want, NG_TRK_WAYS), 1));
	struct ng_trk *new = NULL;

	if (want && old && old->slots == buckets * NG_TRK_WAYS)
		return NULL;
	if (!want && !old)
		return NULL;
	if (want) {
		new = ng_trk_create(want);
		if (!new) {
			/* Keep the old table; it goes on at its size. */
			pr_warn("no memory for %u %s slots: keeping %u\n", want,
				what, old ? old->slots : 0);
			return NULL;
		}
	}
	rcu_assign_pointer(*slot, new);
	return old;
}
