// SPDX-License-Identifier: GPL-2.0-only
/*
 * Quarantine — theory of operation.
 *
 * A detector with "action block DURATION" puts the offending source in
 * the namespace's quarantine: every packet from it is dropped
 * (drop_blocked) until the block expires, whatever the policy says. The
 * quarantine is a tracker table (tracker.c) of NG_TRK_BLOCK slots, sized
 * by "blocked max" and allocated only while the policy has a block
 * action. The packet path checks it first, lock-free (seqcount retry),
 * and only when it holds anything.
 *
 * Full behaviour: a block never displaces a live block. A new source whose
 * bucket holds eight live blocks is not quarantined (blocked_full counts
 * it; the detector's report still goes out and its packet is dropped when
 * the action says so). Blocking an already blocked source extends the
 * block if the new one ends later.
 *
 * Expiry is exact on the packet path (an expired slot no longer blocks);
 * a deferrable work frees expired slots, at most NG_BLK_GC_SLOTS per
 * second, and reports them (rate-limited line, monitor event).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/seq_file.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include "detect.h"
#include "nguard.h"
#include "packet.h"
#include "policy.h"
#include "tracker.h"

#define NG_BLK_GC_SLOTS	4096

static bool ng_blk_live(const struct ng_trk_slot *s, u32 now)
{
	return s->key.kind == NG_TRK_BLOCK && (s32)(s->block.expires - now) > 0;
}

static void ng_blk_key(struct ng_trk_key *k, u8 family, const u8 *addr)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->addr, addr, family == 4 ? 4 : 16);
	k->family = family;
	k->kind = NG_TRK_BLOCK;
}

bool ng_quarantined(struct ng_net *nn, const struct ng_policy *p,
		    const struct ng_pkt *pkt)
{
	struct ng_trk *t = rcu_dereference(nn->det.blk);
	struct ng_trk_slot s, *live;
	struct ng_trk_key k;
	u8 src[16];

	if (!t || !atomic_read(&t->used))
		return false;
	ng_src_mask(pkt->family, pkt->saddr, ng_policy_src_plen(p, pkt->family),
		    src);
	ng_blk_key(&k, pkt->family, src);
	live = ng_trk_read(t, &k, &s);
	if (!live || !ng_blk_live(&s, (u32)jiffies))
		return false;
	/* An exempt host inside a blocked IPv6 prefix stays reachable. */
	if (p && p->src.nexempt &&
	    ng_policy_exempt(p, pkt->family, pkt->saddr,
			     ng_policy_classify(p, pkt->family, pkt->saddr)))
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

bool ng_block(struct ng_net *nn, u8 family, const u8 *addr, u8 plen,
	      u8 reason, u32 secs)
{
	struct ng_trk *t = rcu_dereference(nn->det.blk);
	u32 now = (u32)jiffies, expires = now + secs * HZ, b;
	struct ng_trk_slot *s;
	struct ng_trk_key k;
	bool added = false;

	if (!t)
		return false;
	ng_blk_key(&k, family, addr);
	b = ng_trk_bucket(t, &k);
	ng_trk_lock(t, b);
	s = ng_blk_place(t, b, &k, now);
	if (s && ng_blk_live(s, now)) {
		if ((s32)(expires - s->block.expires) > 0) {
			s->block.expires = expires;
			s->block.secs = secs;
		}
		ng_trk_unlock(t, b);
		return true;
	}
	if (s) {
		ng_blk_claim(t, b, s);
		s->key = k;
		s->last = now;
		s->block.expires = expires;
		s->block.secs = secs;
		s->block.reason = reason;
		s->block.plen = family == 6 ? plen : 32;
		added = true;
	}
	ng_trk_unlock(t, b);
	if (!added) {
		ng_stats_inc(&nn->stats, NGUARD_CNT_BLOCKED_FULL);
		return false;
	}
	ng_stats_inc(&nn->stats, NGUARD_CNT_BLOCKS);
	ng_event_block(nn, NGUARD_EVENT_BLOCK, family, addr, plen, reason,
		       secs);
	return true;
}

/*
 * The quarantine was resized (a policy changed "blocked max"): carry the
 * live blocks of @from, which nobody writes any more (a grace period has
 * passed since it was unpublished), into @to. A source blocked in both
 * keeps the later expiry. A block whose bucket in @to holds eight live
 * blocks is lost and counted in blocked_full. Returns the blocks carried.
 */
u32 ng_blk_migrate(struct ng_net *nn, const struct ng_trk *from,
		   struct ng_trk *to)
{
	u32 now = (u32)jiffies, b, i, n = 0;
	const struct ng_trk_slot *src;
	struct ng_trk_slot *s;
	u32 tb;

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
				ng_stats_inc(&nn->stats, NGUARD_CNT_BLOCKED_FULL);
		}
		if (!(b & 1023))
			cond_resched();
	}
	return n;
}

/* Free expired blocks, a slice of the table per run. */
static void ng_blk_gc(struct work_struct *work)
{
	struct ng_detect_net *dn = container_of(to_delayed_work(work),
						struct ng_detect_net, blk_gc);
	struct ng_net *nn = container_of(dn, struct ng_net, det);
	u32 now = (u32)jiffies, n, b, i;
	struct ng_trk_slot *s, old;
	struct ng_trk *t;

	rcu_read_lock();
	t = rcu_dereference(dn->blk);
	if (!t) {
		rcu_read_unlock();
		return;
	}
	for (n = 0; n < NG_BLK_GC_SLOTS / NG_TRK_WAYS; n++) {
		b = dn->blk_cursor++ & t->mask;
		ng_trk_lock(t, b);
		for (i = 0; i < NG_TRK_WAYS; i++) {
			s = &t->slot[(size_t)b * NG_TRK_WAYS + i];
			if (s->key.kind != NG_TRK_BLOCK || ng_blk_live(s, now))
				continue;
			old = *s;
			ng_trk_free(t, b, s);
			ng_trk_unlock(t, b);
			ng_event_block(nn, NGUARD_EVENT_EXPIRE, old.key.family,
				       old.key.addr, old.block.plen,
				       old.block.reason, old.block.secs);
			ng_trk_lock(t, b);
		}
		ng_trk_unlock(t, b);
	}
	rcu_read_unlock();
	queue_delayed_work(system_power_efficient_wq, &dn->blk_gc, HZ);
}

void ng_detect_net_init(struct ng_net *nn)
{
	spin_lock_init(&nn->det.ring_lock);
	ng_log_init(&nn->det.evlog, &nn->stats, NGUARD_CNT_EVENTS,
		    NGUARD_CNT_EVENTS_SUPPRESSED, true);
	INIT_DEFERRABLE_WORK(&nn->det.blk_gc, ng_blk_gc);
}

/* After the hooks are gone and the policy is NULL (tables freed). */
void ng_detect_net_exit(struct ng_net *nn)
{
	cancel_delayed_work_sync(&nn->det.blk_gc);
	ng_log_exit(&nn->det.evlog);
}

/* Netlink: NGUARD_CMD_BLOCKED_GET, one message per live block. */
static int ng_put_block(struct sk_buff *skb, struct netlink_callback *cb,
			const struct ng_trk_slot *s, u32 now)
{
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &ng_genl_family, NLM_F_MULTI, NGUARD_CMD_BLOCKED_GET);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, NGUARD_A_BLOCK);
	if (!nest ||
	    nla_put(skb, NGUARD_BLOCK_A_ADDR, s->key.family == 4 ? 4 : 16,
		    s->key.addr) ||
	    nla_put_u8(skb, NGUARD_BLOCK_A_KIND, s->block.reason) ||
	    nla_put_u32(skb, NGUARD_BLOCK_A_EXPIRES_MS,
			jiffies_to_msecs(s->block.expires - now)) ||
	    nla_put_u32(skb, NGUARD_BLOCK_A_SECS, s->block.secs) ||
	    nla_put_u32(skb, NGUARD_BLOCK_A_HITS, s->block.hits) ||
	    (s->key.family == 6 &&
	     nla_put_u8(skb, NGUARD_BLOCK_A_PREFIX_LEN, s->block.plen))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
}

int ng_blocked_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ng_net *nn = ng_net(sock_net(cb->skb->sk));
	u32 now = (u32)jiffies;
	struct ng_trk_slot s;
	struct ng_trk *t;
	int err = 0;

	rcu_read_lock();
	t = rcu_dereference(nn->det.blk);
	for (; t && cb->args[0] < t->slots; cb->args[0]++) {
		ng_trk_read_slot(t, cb->args[0], &s);
		if (!ng_blk_live(&s, now))
			continue;
		err = ng_put_block(skb, cb, &s, now);
		if (err)
			break;
	}
	rcu_read_unlock();
	if (err && !skb->len)
		return err;
	return skb->len;
}

static const struct nla_policy ng_block_in_policy[NGUARD_BLOCK_A_MAX + 1] = {
	[NGUARD_BLOCK_A_ADDR] = { .type = NLA_BINARY, .len = 16 },
	[NGUARD_BLOCK_A_PREFIX_LEN] = NLA_POLICY_RANGE(NLA_U8, 1, 128),
};

const struct nla_policy ng_unblock_policy[NGUARD_A_MAX + 1] = {
	[NGUARD_A_BLOCK] = NLA_POLICY_NESTED(ng_block_in_policy),
};

/*
 * Lift the block of @k, or every block when @k is NULL; how many. The
 * log line and the event of each lifted block come after the bucket is
 * unlocked: packet-path readers retry while a writer holds it.
 */
static u32 ng_unblock(struct ng_net *nn, struct ng_trk *t,
		      const struct ng_trk_key *k)
{
	u32 now = (u32)jiffies, b, i, n = 0, lifted;
	struct {
		u8 family, reason, plen, addr[16];
	} old[NG_TRK_WAYS];
	struct ng_trk_slot *s;

	for (b = k ? ng_trk_bucket(t, k) : 0; b <= t->mask; b++) {
		lifted = 0;
		ng_trk_lock(t, b);
		for (i = 0; i < NG_TRK_WAYS; i++) {
			s = &t->slot[(size_t)b * NG_TRK_WAYS + i];
			if (!ng_blk_live(s, now) ||
			    (k && memcmp(&s->key, k, sizeof(*k))))
				continue;
			old[lifted].family = s->key.family;
			old[lifted].reason = s->block.reason;
			old[lifted].plen = s->block.plen;
			memcpy(old[lifted++].addr, s->key.addr, 16);
			ng_trk_free(t, b, s);
		}
		ng_trk_unlock(t, b);
		for (i = 0; i < lifted; i++) {
			if (old[i].family == 4)
				pr_info("unblock src=%pI4 reason=%s (by hand)\n",
					old[i].addr, ng_detector_name(old[i].reason));
			else
				pr_info("unblock src=%pI6c/%u reason=%s (by hand)\n",
					old[i].addr, old[i].plen,
					ng_detector_name(old[i].reason));
			ng_event_block(nn, NGUARD_EVENT_UNBLOCK, old[i].family,
				       old[i].addr, old[i].plen, old[i].reason, 0);
		}
		n += lifted;
		if (k)
			break;
		if (!(b & 255))
			cond_resched();
	}
	return n;
}

int ng_cmd_unblock(struct sk_buff *skb, struct genl_info *info)
{
	struct ng_net *nn = ng_net(genl_info_net(info));
	struct nlattr *tb[NGUARD_BLOCK_A_MAX + 1];
	struct ng_trk_key k, *kp = NULL;
	const struct ng_policy *p;
	u8 plen = 0, src[16];
	struct ng_trk *t;
	int err, alen;
	u32 n = 0;

	if (info->attrs[NGUARD_A_BLOCK]) {
		err = nla_parse_nested(tb, NGUARD_BLOCK_A_MAX,
				       info->attrs[NGUARD_A_BLOCK],
				       ng_block_in_policy, info->extack);
		if (err)
			return err;
		alen = tb[NGUARD_BLOCK_A_ADDR] ? nla_len(tb[NGUARD_BLOCK_A_ADDR]) : 0;
		if (alen != 4 && alen != 16) {
			NL_SET_ERR_MSG(info->extack,
				       "UNBLOCK needs an IPv4 or IPv6 address (4 or 16 bytes)");
			return -EINVAL;
		}
		if (tb[NGUARD_BLOCK_A_PREFIX_LEN])
			plen = nla_get_u8(tb[NGUARD_BLOCK_A_PREFIX_LEN]);
		kp = &k;
	}
	mutex_lock(&nn->lock);
	if (kp) {
		/* An IPv6 address stands for its prefix (the policy's length). */
		p = rcu_dereference_protected(nn->policy,
					      lockdep_is_held(&nn->lock));
		if (!plen)
			plen = ng_policy_src_plen(p, alen == 4 ? 4 : 6);
		ng_src_mask(alen == 4 ? 4 : 6, nla_data(tb[NGUARD_BLOCK_A_ADDR]),
			    plen, src);
		ng_blk_key(&k, alen == 4 ? 4 : 6, src);
	}
	t = rcu_dereference_protected(nn->det.blk, lockdep_is_held(&nn->lock));
	if (t)
		n = ng_unblock(nn, t, kp);
	/* A fresh start: forget the evidence too, or it would fire again. */
	t = rcu_dereference_protected(nn->det.trk, lockdep_is_held(&nn->lock));
	if (t && (n || !kp))
		ng_trk_forget(t, kp ? kp->family : 0, kp ? kp->addr : NULL);
	mutex_unlock(&nn->lock);
	if (kp && !n) {
		NL_SET_ERR_MSG(info->extack, "this address is not blocked");
		return -ENOENT;
	}
	return 0;
}

/* /proc/net/nguard/blocked: one line per live block. */
int ng_proc_blocked_show(struct seq_file *seq, void *v)
{
	struct ng_net *nn = ng_net(seq_file_single_net(seq));
	u32 now = (u32)jiffies, i;
	struct ng_trk_slot s;
	struct ng_trk *t;

	rcu_read_lock();
	t = rcu_dereference(nn->det.blk);
	for (i = 0; t && i < t->slots; i++) {
		ng_trk_read_slot(t, i, &s);
		if (!ng_blk_live(&s, now))
			continue;
		if (s.key.family == 4)
			seq_printf(seq, "%pI4", s.key.addr);
		else
			seq_printf(seq, "%pI6c/%u", s.key.addr, s.block.plen);
		seq_printf(seq, " reason=%s expires_ms=%u secs=%u hits=%u\n",
			   ng_detector_name(s.block.reason),
			   jiffies_to_msecs(s.block.expires - now),
			   s.block.secs, s.block.hits);
		if (!(i & 1023)) {
			/* Big tables: stay preemptible in long reads. */
			rcu_read_unlock();
			cond_resched();
			rcu_read_lock();
			t = rcu_dereference(nn->det.blk);
		}
	}
	rcu_read_unlock();
	return 0;
}
