/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Quarantine: which sources get blocked (never exempt or forged ones),
 * the packet-path check, expiry and manual unblocks, per namespace, over
 * the quarantine table (blocktab.c). See quarantine.c.
 */
#ifndef NGUARD_QUARANTINE_H
#define NGUARD_QUARANTINE_H

#include <linux/rcupdate.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct nf_hook_state;
struct ng_judgement;
struct ng_net;
struct ng_pkt;
struct ng_policy;
struct ng_trk;
struct ng_trk_key;

/* Per-namespace state, part of struct ng_net. */
struct ng_quarantine {
	struct ng_trk __rcu *blk;	/* NULL unless a detector blocks */
	struct delayed_work gc;		/* frees expired blocks */
	u32 gc_cursor;
};

void ng_quarantine_net_init(struct ng_net *nn);
/* After the hooks are gone and the policy is NULL (table retired). */
void ng_quarantine_net_exit(struct ng_net *nn);

/* Packet path, under rcu_read_lock: is the packet's source blocked? */
bool ng_quarantined(struct ng_net *nn, const struct ng_policy *p,
		    const struct ng_pkt *pkt);

/*
 * A detector asks to quarantine the packet's source @src (IPv6: its
 * prefix) for @secs: refused for an exempt source and for one that fails
 * the strict reverse-path check (forged; said once per episode: @first),
 * each counted. Packet path, under rcu_read_lock.
 */
void ng_quarantine_source(struct ng_net *nn, const struct ng_policy *p,
			  const struct ng_pkt *pkt,
			  const struct ng_judgement *j,
			  const struct nf_hook_state *state, const u8 *src,
			  u8 reason, u32 secs, bool first);

/*
 * Quarantine @addr for @secs (IPv6: the prefix @addr/@plen, host bits
 * already cleared), reported like any block; false if the table is full
 * or absent. Any context, under rcu_read_lock.
 */
bool ng_block(struct ng_net *nn, u8 family, const u8 *addr, u8 plen,
	      u8 reason, u32 secs);

/* What became of a block by hand. */
enum ng_manual {
	NG_MANUAL_NEW,		/* blocked */
	NG_MANUAL_KEPT,		/* already blocked (extended if later) */
	NG_MANUAL_NO_TABLE,	/* no policy, or no block action: no table */
	NG_MANUAL_EXEMPT,	/* the address is exempt */
	NG_MANUAL_FULL,		/* its bucket holds eight live blocks */
};

/*
 * Quarantine @addr (IPv6: its prefix of the live policy's length) by hand
 * for @secs, reason manual, reported like a detector's block. nn->lock
 * held, process context.
 */
enum ng_manual ng_block_by_hand(struct ng_net *nn, u8 family,
				const u8 *addr, u32 secs);

/*
 * Lift the block of @k, or every block if @k is NULL, with the evidence
 * that led to it; how many were lifted. nn->lock held.
 */
u32 ng_unblock(struct ng_net *nn, const struct ng_trk_key *k);

/*
 * A policy was published: size the table it needs (none without a block
 * action) and return the one it replaced, which the caller frees with
 * ng_quarantine_retired_free() after a grace period (live blocks are
 * carried into the new table). nn->lock held, process context.
 */
struct ng_trk *ng_quarantine_policy_changed(struct ng_net *nn,
					    const struct ng_policy *p);
void ng_quarantine_retired_free(struct ng_net *nn, struct ng_trk *old);

#endif /* NGUARD_QUARANTINE_H */
