// SPDX-License-Identifier: GPL-2.0-only
/*
 * The quarantine over generic netlink: BLOCKED_GET dumps the live blocks
 * (one message each, resumable by slot index), UNBLOCK lifts one source
 * or all (quarantine.c does the lifting and reports it).
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

static const struct nla_policy ng_block_in_policy[NGUARD_BLOCK_A_MAX + 1] = {
	[NGUARD_BLOCK_A_ADDR] = { .type = NLA_BINARY, .len = 16 },
	[NGUARD_BLOCK_A_PREFIX_LEN] = NLA_POLICY_RANGE(NLA_U8, 1, 128),
};

const struct nla_policy ng_unblock_policy[NGUARD_A_MAX + 1] = {
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
