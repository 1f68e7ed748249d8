// SPDX-License-Identifier: GPL-2.0-only
/*
 * Quarantine — theory of operation.
 *
 * A detector with "action block DURATION" asks to quarantine the source
 * that fired it (enforce.c passes the request on): every packet from it
 * is then dropped (drop_blocked) until the block expires, whatever the
 * policy says. The table (blocktab.c) is sized by "blocked max" and
 * exists only while the policy has a block action; the packet path checks
 * it first, lock-free, and only when it holds anything.
 *
 * Who is never quarantined: an exempt source ("exempt", block_exempt),
 * and a source that fails a strict reverse-path check — the route back
 * to it does not leave through the interface the packet came in on, so
 * the address is forged (block_spoofed, said once per episode). An
 * exempt host inside a blocked IPv6 prefix stays reachable.
 *
 * A full table refuses new blocks (blocked_full); the detector's report
 * still goes out and its packet is still dropped when the action says
 * so. Blocks, expiries and manual unblocks are reported (events.c).
 * Expired blocks are freed by a deferrable work, at most
 * NG_BLK_GC_SLOTS per second. A policy that resizes the table carries
 * the live blocks into the new one.
 *
 * An administrator (nguardctl block, fail2ban) quarantines a source by
 * hand into the same table: reason manual, keyed like a detector's block
 * (an IPv6 source as its prefix of the policy's length), refused for an
 * exempt address, for a full table, and while there is no table (the
 * policy has no block action). No reverse-path check: nothing is forged.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <net/addrconf.h>
#include <net/dst.h>
#include "blocktab.h"
#include "events.h"
#include "nguard.h"
#include "packet.h"
#include "policy.h"
#include "quarantine.h"

#define NG_BLK_GC_SLOTS		4096
#define NG_BLOCKED_DEFAULT	16384

bool ng_quarantined(struct ng_net *nn, const struct ng_policy *p,
		    const struct ng_pkt *pkt)
{
	struct ng_trk *t = rcu_dereference(nn->quar.blk);
	struct ng_trk_key k;
	u8 src[16];

	if (!t || !atomic_read(&t->used))
		return false;
	ng_src_mask(pkt->family, pkt->saddr, ng_policy_src_plen(p, pkt->family),
		    src);
	ng_blk_key(&k, pkt->family, src);
	if (!ng_blk_check(t, &k, (u32)jiffies))
		return false;
	/* An exempt host inside a blocked IPv6 prefix stays reachable. */
	return !(p && p->src.nexempt &&
		 ng_policy_exempt(p, pkt->family, pkt->saddr,
				  ng_policy_classify(p, pkt->family, pkt->saddr)));
}

/* Block @addr in @t; reports a new block. */
static enum ng_blk_added ng_block_in(struct ng_net *nn, struct ng_trk *t,
				     u8 family, const u8 *addr, u8 plen,
				     u8 reason, u32 secs)
{
	enum ng_blk_added ret;
	struct ng_trk_key k;

	ng_blk_key(&k, family, addr);
	ret = ng_blk_add(t, &k, plen, reason, secs, (u32)jiffies);
	if (ret == NG_BLK_FULL) {
		ng_stats_inc(&nn->stats, NGUARD_CNT_BLOCKED_FULL);
	} else if (ret == NG_BLK_NEW) {
		ng_stats_inc(&nn->stats, NGUARD_CNT_BLOCKS);
		ng_event_block(nn, NGUARD_EVENT_BLOCK, family, addr, plen,
			       reason, secs);
	}
	return ret;
}

bool ng_block(struct ng_net *nn, u8 family, const u8 *addr, u8 plen,
	      u8 reason, u32 secs)
{
	struct ng_trk *t = rcu_dereference(nn->quar.blk);

	return t && ng_block_in(nn, t, family, addr, plen, reason,
				secs) != NG_BLK_FULL;
}

enum ng_manual ng_block_by_hand(struct ng_net *nn, u8 family,
				const u8 *addr, u32 secs)
{
	const struct ng_policy *p;
	struct ng_trk *t;
	u8 src[16], plen;

	lockdep_assert_held(&nn->lock);
	p = rcu_dereference_protected(nn->policy, lockdep_is_held(&nn->lock));
	t = rcu_dereference_protected(nn->quar.blk, lockdep_is_held(&nn->lock));
	/* No table while the live policy has no block action. */
	if (!p || !t)
		return NG_MANUAL_NO_TABLE;
	if (p->src.nexempt &&
	    ng_policy_exempt(p, family, addr,
			     ng_policy_classify(p, family, addr)))
		return NG_MANUAL_EXEMPT;
	/* Keyed as a detector keys the source: IPv6 as its prefix. */
	plen = ng_policy_src_plen(p, family);
	ng_src_mask(family, addr, plen, src);
	switch (ng_block_in(nn, t, family, src, plen, NGUARD_DETECT_MANUAL,
			    secs)) {
	case NG_BLK_FULL:
		return NG_MANUAL_FULL;
	case NG_BLK_KEPT:
		return NG_MANUAL_KEPT;
	case NG_BLK_NEW:
		break;
	}
	return NG_MANUAL_NEW;
}

/*
 * Strict reverse path: would the route back to the source leave through
 * the interface the packet arrived on? A forged source fails it (unless
 * forged from the same link). Our own packets have no input interface.
 */
static bool ng_src_routes_back(const struct ng_pkt *pkt,
			       const struct nf_hook_state *state)
{
	struct dst_entry *dst = NULL;
	struct flowi fl;
	bool ok;

	if (!state || !state->in)
		return true;
	memset(&fl, 0, sizeof(fl));
	if (pkt->family == 4) {
		memcpy(&fl.u.ip4.daddr, pkt->saddr, 4);
		if (nf_ip_route(state->net, &dst, &fl, false))
			return false;
	} else {
#if IS_ENABLED(CONFIG_IPV6)
		memcpy(&fl.u.ip6.daddr, pkt->saddr, 16);
		/* A link-local source only routes on its own link. */
		if (ipv6_addr_type(&fl.u.ip6.daddr) & IPV6_ADDR_LINKLOCAL)
			fl.u.ip6.flowi6_oif = state->in->ifindex;
		if (nf_ip6_route(state->net, &dst, &fl, false))
			return false;
#else
		return false;
#endif
	}
	ok = dst->dev == state->in;
	dst_release(dst);
	return ok;
}

void ng_quarantine_source(struct ng_net *nn, const struct ng_policy *p,
			  const struct ng_pkt *pkt,
			  const struct ng_judgement *j,
			  const struct nf_hook_state *state, const u8 *src,
			  u8 reason, u32 secs, bool first)
{
	if (p->src.nexempt &&
	    ng_policy_exempt(p, pkt->family, pkt->saddr, j->src_seg)) {
		ng_stats_inc(&nn->stats, NGUARD_CNT_BLOCK_EXEMPT);
		return;
	}
	if (!ng_src_routes_back(pkt, state)) {
		ng_stats_inc(&nn->stats, NGUARD_CNT_BLOCK_SPOOFED);
		if (first && ng_log_allow(&nn->log)) {
			if (pkt->family == 4)
				pr_info("not quarantining src=%pI4: it does not route back through %s (forged?)\n",
					pkt->saddr, state->in->name);
			else
				pr_info("not quarantining src=%pI6c: it does not route back through %s (forged?)\n",
					pkt->saddr, state->in->name);
		}
		return;
	}
	ng_block(nn, pkt->family, src, ng_policy_src_plen(p, pkt->family),
		 reason, secs);
}

/* Report lifted or expired blocks (after their bucket is unlocked). */
static void ng_blk_report(struct ng_net *nn, u8 type,
			  const struct ng_blk_gone *g, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++, g++) {
		if (type == NGUARD_EVENT_UNBLOCK) {
			if (g->family == 4)
				pr_info("unblock src=%pI4 reason=%s (by hand)\n",
					g->addr, ng_detector_name(g->reason));
			else
				pr_info("unblock src=%pI6c/%u reason=%s (by hand)\n",
					g->addr, g->plen,
					ng_detector_name(g->reason));
		}
		ng_event_block(nn, type, g->family, g->addr, g->plen, g->reason,
			       type == NGUARD_EVENT_UNBLOCK ? 0 : g->secs);
	}
}

/* Free expired blocks, a slice of the table per run. */
static void ng_quarantine_gc(struct work_struct *work)
{
	struct ng_quarantine *q = container_of(to_delayed_work(work),
					       struct ng_quarantine, gc);
	struct ng_net *nn = container_of(q, struct ng_net, quar);
	struct ng_blk_gone gone[NG_TRK_WAYS];
	u32 now = (u32)jiffies, n, i;
	struct ng_trk *t;

	rcu_read_lock();
	t = rcu_dereference(q->blk);
	if (!t) {
		rcu_read_unlock();
		return;
	}
	for (i = 0; i < NG_BLK_GC_SLOTS / NG_TRK_WAYS; i++) {
		n = ng_blk_expire(t, q->gc_cursor++ & t->mask, now, gone);
		ng_blk_report(nn, NGUARD_EVENT_EXPIRE, gone, n);
	}
	rcu_read_unlock();
	queue_delayed_work(system_power_efficient_wq, &q->gc, HZ);
}

u32 ng_unblock(struct ng_net *nn, const struct ng_trk_key *k)
{
	struct ng_blk_gone gone[NG_TRK_WAYS];
	struct ng_trk *t;
	u32 b, n = 0, lifted;

	lockdep_assert_held(&nn->lock);
	t = rcu_dereference_protected(nn->quar.blk, lockdep_is_held(&nn->lock));
	/* No table while the live policy has no block action: nothing to lift. */
	for (b = t && k ? ng_trk_bucket(t, k) : 0; t && b <= t->mask; b++) {
		lifted = ng_blk_lift(t, b, k, gone);
		ng_blk_report(nn, NGUARD_EVENT_UNBLOCK, gone, lifted);
		n += lifted;
		if (k)
			break;
		if (!(b & 255))
			cond_resched();
	}
	/* A fresh start: forget the evidence too, or it would fire again. */
	t = rcu_dereference_protected(nn->det.trk, lockdep_is_held(&nn->lock));
	if (t && (n || !k))
		ng_trk_forget(t, k ? k->family : 0, k ? k->addr : NULL);
	return n;
}

static bool ng_needs_quarantine(const struct ng_policy *p)
{
	u32 i;

	for (i = 0; p && i < p->src.ndet; i++)
		if (p->src.det[i].action == NGUARD_ACTION_BLOCK)
			return true;
	return false;
}

struct ng_trk *ng_quarantine_policy_changed(struct ng_net *nn,
					    const struct ng_policy *p)
{
	u32 want = 0;
	struct ng_trk *old;

	if (ng_needs_quarantine(p))
		want = p->src.blocked_max ?: NG_BLOCKED_DEFAULT;
	old = ng_trk_swap(&nn->quar.blk, &nn->lock, want, "quarantine");
	if (want)
		mod_delayed_work(system_power_efficient_wq, &nn->quar.gc, HZ);
	return old;
}

void ng_quarantine_retired_free(struct ng_net *nn, struct ng_trk *old)
{
	struct ng_trk *blk = rcu_dereference_protected(nn->quar.blk,
					lockdep_is_held(&nn->lock));
	u32 n, lost;

	if (old && blk) {
		n = ng_blk_migrate(old, blk, &lost);
		ng_stats_add(&nn->stats, NGUARD_CNT_BLOCKED_FULL, lost);
		if (n)
			pr_info("quarantine resized to %u slots, %u live blocks kept\n",
				blk->slots, n);
	}
	ng_trk_destroy(old);
}

void ng_quarantine_net_init(struct ng_net *nn)
{
	INIT_DEFERRABLE_WORK(&nn->quar.gc, ng_quarantine_gc);
}

void ng_quarantine_net_exit(struct ng_net *nn)
{
	cancel_delayed_work_sync(&nn->quar.gc);
}
