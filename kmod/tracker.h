/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Bounded set-associative tables of per-address state: the anomaly
 * detectors' per-source and per-destination trackers and the quarantine.
 * See tracker.c.
 */
#ifndef NGUARD_TRACKER_H
#define NGUARD_TRACKER_H

#include <linux/seqlock.h>
#include <linux/siphash.h>
#include <linux/spinlock.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

#define NG_TRK_WAYS	8	/* slots per bucket */
#define NG_TRK_STRIPES	256	/* lock + seqcount stripes */
#define NG_BRUTE_SLICES	8	/* bruteforce: eighths of the window */

enum ng_trk_kind {
	NG_TRK_FREE,
	NG_TRK_PSD,		/* portscan score of a source */
	NG_TRK_SWEEP,		/* hosts a source reached in one segment */
	NG_TRK_SYN,		/* new-connection bucket of a destination */
	NG_TRK_BLOCK,		/* a quarantined source */
	NG_TRK_SYNSRC,		/* new-connection bucket of a flooding source */
	NG_TRK_BRUTE,		/* new connections of a source to a service */
};

struct ng_trk_key {
	u8 addr[16];		/* IPv4 in the first 4 bytes */
	u8 family;		/* 4 or 6 */
	u8 kind;		/* enum ng_trk_kind; NG_TRK_FREE = empty slot */
	u16 seg;		/* NG_TRK_SWEEP: destination segment; */
				/* NG_TRK_BRUTE: the detector's index */
};

/* One slot: 64 bytes, a cache line. */
struct ng_trk_slot {
	struct ng_trk_key key;
	u32 last;		/* jiffies of the last update */
	union {
		struct {
			u16 score;
			u8 fired;	/* reported in this episode */
			u8 pad;
			u32 pad2;
			u64 ports;	/* bitmap of hash(port) & 63 */
		} psd;
		struct {
			u16 count;
			u8 fired;
			u8 pad;
			u32 start;	/* jiffies the window began */
			u64 hosts[4];	/* bitmap of hash(host) & 255 */
		} sweep;
		struct {
			u64 tokens;	/* in 1/1000 of a connection */
			u32 burst;	/* the bucket's size, connections */
			u8 fired;
		} syn;
		struct {
			/* connections per eighth of the window, ring */
			u16 count[NG_BRUTE_SLICES];
			u32 start;	/* jiffies the newest eighth began */
			u32 tag;	/* the last counted SYN: port, seq */
			u8 head;	/* index of the newest eighth */
			u8 fired;	/* reported in this episode */
		} brute;
		struct {
			u32 expires;	/* jiffies */
			u32 secs;
			u32 hits;	/* packets dropped, approximate */
			u8 reason;	/* enum nguard_detector */
			u8 plen;	/* IPv6: the blocked prefix's length */
		} block;
	};
};

struct ng_trk {
	u32 mask;		/* buckets - 1 */
	u32 slots;
	hsiphash_key_t hkey;
	struct ng_trk_slot *slot;	/* [buckets * NG_TRK_WAYS] */
	spinlock_t lock[NG_TRK_STRIPES];
	/* tied to lock[]: on PREEMPT_RT a reader waits on the lock, never spins */
	seqcount_spinlock_t seq[NG_TRK_STRIPES];
	atomic_t used;		/* slots not free (approximate) */
};

/* @slots rounded up to whole power-of-two buckets. Process context. */
struct ng_trk *ng_trk_create(u32 slots);
void ng_trk_destroy(struct ng_trk *t);

u32 ng_trk_bucket(const struct ng_trk *t, const struct ng_trk_key *k);

/*
 * Writers: lock the key's bucket, then find or claim its slot. Claiming in
 * a full bucket takes over the slot @weigh() rates lowest (ties: least
 * recently updated) and sets *@evicted. BH is disabled while locked.
 */
void ng_trk_lock(struct ng_trk *t, u32 bucket) __acquires(&t->lock);
void ng_trk_unlock(struct ng_trk *t, u32 bucket) __releases(&t->lock);
struct ng_trk_slot *ng_trk_find(struct ng_trk *t, u32 bucket,
				const struct ng_trk_key *k);
struct ng_trk_slot *ng_trk_claim(struct ng_trk *t, u32 bucket,
				 const struct ng_trk_key *k, u32 now,
				 u32 (*weigh)(const struct ng_trk_slot *s, u32 now),
				 bool *evicted);
/* Empty a slot (bucket locked). */
void ng_trk_free(struct ng_trk *t, u32 bucket, struct ng_trk_slot *s);

/*
 * Empty every slot whose address is @addr (NULL: every slot). Process
 * context; walks the whole table. Returns how many were emptied.
 */
u32 ng_trk_forget(struct ng_trk *t, u8 family, const u8 *addr);

/*
 * Lock-free read: copy the slot of @k into @out and return the live slot
 * (for approximate counters only: it may be reused at any time), or NULL.
 * Any context; retries while a writer changes the bucket.
 */
struct ng_trk_slot *ng_trk_read(struct ng_trk *t, const struct ng_trk_key *k,
				struct ng_trk_slot *out);

/* Copy slot @idx (a consistent snapshot). Any context. */
void ng_trk_read_slot(struct ng_trk *t, u32 idx, struct ng_trk_slot *out);

/*
 * Publish a table of @want slots (0: none) at @slot, unless the one there
 * has that size; writers of @slot hold @lock. Returns
 * the unpublished table, to destroy after a grace period (NULL if none,
 * or if no memory: the old table then stays, with a warning naming
 * @what). Process context.
 */
struct ng_trk *ng_trk_swap(struct ng_trk __rcu **slot, struct mutex *lock,
			   u32 want, const char *what);

#endif /* NGUARD_TRACKER_H */
