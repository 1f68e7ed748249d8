// SPDX-License-Identifier: GPL-2.0-only
/*
 * The quarantine over generic netlink: BLOCKED_GET dumps the live blocks
 * (one message each, resumable by slot index), UNBLOCK lifts one source
 * or all, BLOCK quarantines one by hand (quarantine.c does the blocking
 * and lifting and reports them). BLOCK and UNBLOCK share the nested
 * policy of NGUARD_A_BLOCK; each refuses what it does not use.
 */
#include <linux/jiffies.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include "blocked_nl.h"
#include "blocktab.h"
#include "netlink.h"
#include "nguard.h"
#include "policy.h"
#include "quarantine.h"

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
	t = rcu_dereference(nn->quar.blk);
	for (; t && cb->args[0] < t->slots; cb->args[0]++) {
		if (!ng_blk_read(t, cb->args[0], now, &s))
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

static struct netlink_range_validation ng_block_secs_range __ro_after_init = {
	.min = 1,
	.max = NGUARD_MAX_BLOCK_SECS,
};

static const struct nla_policy ng_block_in_policy[NGUARD_BLOCK_A_MAX + 1] = {
	[NGUARD_BLOCK_A_ADDR] = { .type = NLA_BINARY, .len = 16 },
	[NGUARD_BLOCK_A_SECS] = NLA_POLICY_FULL_RANGE(NLA_U32, &ng_block_secs_range),
	[NGUARD_BLOCK_A_PREFIX_LEN] = NLA_POLICY_RANGE(NLA_U8, 1, 128),
};

const struct nla_policy ng_block_req_policy[NGUARD_A_MAX + 1] = {
	[NGUARD_A_BLOCK] = NLA_POLICY_NESTED(ng_block_in_policy),
};

int ng_cmd_unblock(struct sk_buff *skb, struct genl_info *info)
{
	struct ng_net *nn = ng_net(genl_info_net(info));
	struct nlattr *tb[NGUARD_BLOCK_A_MAX + 1];
	struct ng_trk_key k, *kp = NULL;
	const struct ng_policy *p;
	u8 plen = 0, src[16];
	int err, alen = 0;
	u32 n;

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
		if (tb[NGUARD_BLOCK_A_SECS]) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[NGUARD_BLOCK_A_SECS],
					    "UNBLOCK takes no duration");
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
	n = ng_unblock(nn, kp);
	mutex_unlock(&nn->lock);
	if (kp && !n) {
		NL_SET_ERR_MSG(info->extack, "this address is not blocked");
		return -ENOENT;
	}
	return 0;
}

/*
 * BLOCK's address and prefix length into @family and @addr: IPv4 alone
 * (a length must be 32), IPv6 as the policy's source prefix (a length
 * must be that one, or the block would not match what detectors key).
 */
static int ng_block_addr(struct ng_net *nn, struct nlattr **tb,
			 struct netlink_ext_ack *extack, u8 *family, u8 *addr)
{
	const struct ng_policy *p;
	int alen = tb[NGUARD_BLOCK_A_ADDR] ? nla_len(tb[NGUARD_BLOCK_A_ADDR]) : 0;
	u8 want;

	if (alen != 4 && alen != 16) {
		NL_SET_ERR_MSG(extack,
			       "BLOCK needs an IPv4 or IPv6 address (4 or 16 bytes)");
		return -EINVAL;
	}
	*family = alen == 4 ? 4 : 6;
	memset(addr, 0, 16);
	memcpy(addr, nla_data(tb[NGUARD_BLOCK_A_ADDR]), alen);
	if (!tb[NGUARD_BLOCK_A_PREFIX_LEN])
		return 0;
	p = rcu_dereference_protected(nn->policy, lockdep_is_held(&nn->lock));
	want = ng_policy_src_plen(p, *family);
	if (nla_get_u8(tb[NGUARD_BLOCK_A_PREFIX_LEN]) == want)
		return 0;
	if (*family == 4)
		NL_SET_ERR_MSG_ATTR(extack, tb[NGUARD_BLOCK_A_PREFIX_LEN],
				    "IPv4 sources are blocked one address at a time (/32)");
	else
		NL_SET_ERR_MSG_ATTR(extack, tb[NGUARD_BLOCK_A_PREFIX_LEN],
				    "IPv6 sources are blocked as their prefix of the policy's ipv6 source prefix length (default 64)");
	return -EINVAL;
}

int ng_cmd_block(struct sk_buff *skb, struct genl_info *info)
{
	struct ng_net *nn = ng_net(genl_info_net(info));
	struct nlattr *tb[NGUARD_BLOCK_A_MAX + 1];
	struct netlink_ext_ack *extack = info->extack;
	u8 family, addr[16];
	enum ng_manual r;
	int err;

	if (!info->attrs[NGUARD_A_BLOCK]) {
		NL_SET_ERR_MSG(extack, "BLOCK needs NGUARD_A_BLOCK");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, NGUARD_BLOCK_A_MAX, info->attrs[NGUARD_A_BLOCK],
			       ng_block_in_policy, extack);
	if (err)
		return err;
	if (!tb[NGUARD_BLOCK_A_SECS]) {
		NL_SET_ERR_MSG(extack, "BLOCK needs a duration (SECS)");
		return -EINVAL;
	}
	mutex_lock(&nn->lock);
	err = ng_block_addr(nn, tb, extack, &family, addr);
	r = err ? NG_MANUAL_NEW :
	    ng_block_by_hand(nn, family, addr, nla_get_u32(tb[NGUARD_BLOCK_A_SECS]));
	mutex_unlock(&nn->lock);
	if (err)
		return err;
	switch (r) {
	case NG_MANUAL_NEW:
	case NG_MANUAL_KEPT:
		return 0;
	case NG_MANUAL_NO_TABLE:
		NL_SET_ERR_MSG(extack,
			       "no quarantine: no live policy with a detector of action block");
		return -EOPNOTSUPP;
	case NG_MANUAL_EXEMPT:
		NL_SET_ERR_MSG(extack,
			       "this address is exempt from quarantine (the policy's exempt statement)");
		return -EINVAL;
	case NG_MANUAL_FULL:
		NL_SET_ERR_MSG(extack,
			       "the quarantine is full where this source would go (blocked max): raise blocked max or unblock sources");
		return -ENOSPC;
	}
	return -EINVAL;
}
