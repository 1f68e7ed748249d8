// SPDX-License-Identifier: GPL-2.0-only
/*
 * TRACE over netlink: judge a hypothetical packet (addresses, protocol,
 * port) with the live policy as the packet path would, without sending
 * anything: both segments, the deciding rule (as in a dump) or the
 * default, the verdict, whether the source is exempt from quarantine,
 * and with "limit source" the connections the source holds now.
 * Interface members cannot be traced (no interface is given).
 */
#include <net/genetlink.h>
#include "conntab.h"
#include "netlink.h"
#include "nguard.h"
#include "policy.h"
#include "policy_dump_nl.h"
#include "trace_nl.h"

static const struct nla_policy ng_trace_in_policy[NGUARD_TRACE_A_MAX + 1] = {
	[NGUARD_TRACE_A_SRC] = { .type = NLA_BINARY, .len = 16 },
	[NGUARD_TRACE_A_DST] = { .type = NLA_BINARY, .len = 16 },
	[NGUARD_TRACE_A_PROTO] = { .type = NLA_U8 },
	[NGUARD_TRACE_A_DPORT] = { .type = NLA_U16 },
};

const struct nla_policy ng_trace_policy[NGUARD_A_MAX + 1] = {
	[NGUARD_A_TRACE] = NLA_POLICY_NESTED(ng_trace_in_policy),
};

/* @held: connections the source holds against "limit source", or -1. */
static int ng_put_trace(struct sk_buff *msg, const struct ng_policy *p,
			const struct ng_judgement *j, u8 family, const u8 *src,
			s64 held)
{
	struct nlattr *nest = nla_nest_start(msg, NGUARD_A_TRACE);

	if (nest && p && ng_policy_exempt(p, family, src, j->src_seg) &&
	    nla_put_u8(msg, NGUARD_TRACE_A_SRC_EXEMPT, 1))
		return -EMSGSIZE;
	if (nest && held >= 0 &&
	    nla_put_u32(msg, NGUARD_TRACE_A_SRC_CONNS, (u32)held))
		return -EMSGSIZE;

	if (!nest ||
	    nla_put_u16(msg, NGUARD_TRACE_A_SRC_SEG, j->src_seg) ||
	    nla_put_u16(msg, NGUARD_TRACE_A_DST_SEG, j->dst_seg) ||
	    nla_put_string(msg, NGUARD_TRACE_A_SRC_NAME,
			   p ? p->src.names[j->src_seg] : "world") ||
	    nla_put_string(msg, NGUARD_TRACE_A_DST_NAME,
			   p ? p->src.names[j->dst_seg] : "world") ||
	    nla_put_u8(msg, NGUARD_TRACE_A_VERDICT, j->verdict))
		return -EMSGSIZE;
	if (p && j->rule != NG_RULE_NONE) {
		/* The deciding rule, in the same shape as a dump entry. */
		struct nlattr *r = nla_nest_start(msg, NGUARD_TRACE_A_RULE);

		if (!r)
			return -EMSGSIZE;
		if (ng_put_rule(msg, p, j->rule))
			return -EMSGSIZE;
		nla_nest_end(msg, r);
	}
	nla_nest_end(msg, nest);
	return 0;
}

int ng_cmd_trace(struct sk_buff *skb, struct genl_info *info)
{
	struct ng_net *nn = ng_net(genl_info_net(info));
	struct nlattr *tb[NGUARD_TRACE_A_MAX + 1];
	struct ng_judgement j = { .verdict = NGUARD_VERDICT_ALLOW,
				  .rule = NG_RULE_NONE };
	struct ng_src_key key;
	struct ng_policy *p;
	struct sk_buff *msg;
	s64 held = -1;
	u8 proto = 0;
	u16 dport = 0;
	void *hdr;
	int err, alen;

	if (!info->attrs[NGUARD_A_TRACE]) {
		NL_SET_ERR_MSG(info->extack, "trace needs NGUARD_A_TRACE");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, NGUARD_TRACE_A_MAX, info->attrs[NGUARD_A_TRACE],
			       ng_trace_in_policy, info->extack);
	if (err)
		return err;
	if (!tb[NGUARD_TRACE_A_SRC] || !tb[NGUARD_TRACE_A_DST]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[NGUARD_A_TRACE],
				    "trace needs SRC and DST addresses");
		return -EINVAL;
	}
	alen = nla_len(tb[NGUARD_TRACE_A_SRC]);
	if ((alen != 4 && alen != 16) || alen != nla_len(tb[NGUARD_TRACE_A_DST])) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[NGUARD_TRACE_A_DST],
				    "SRC and DST must both be IPv4 (4 bytes) or IPv6 (16 bytes)");
		return -EINVAL;
	}
	if (tb[NGUARD_TRACE_A_PROTO])
		proto = nla_get_u8(tb[NGUARD_TRACE_A_PROTO]);
	if (tb[NGUARD_TRACE_A_DPORT])
		dport = nla_get_u16(tb[NGUARD_TRACE_A_DPORT]);

	rcu_read_lock();
	p = rcu_dereference(nn->policy);
	if (p && !ng_policy_tryget(p))
		p = NULL;
	if (p && p->src.limit_source) {
		ng_policy_src_key(p, alen == 4 ? 4 : 6,
				  nla_data(tb[NGUARD_TRACE_A_SRC]), &key);
		held = ng_conntab_src_held(nn->ct, &key);
	}
	rcu_read_unlock();
	if (p)
		ng_policy_judge(p, alen == 4 ? 4 : 6, nla_data(tb[NGUARD_TRACE_A_SRC]),
				nla_data(tb[NGUARD_TRACE_A_DST]), proto, dport,
				NULL, NULL, &j);

	err = -ENOMEM;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL_ACCOUNT);
	if (!msg) {
		NL_SET_ERR_MSG(info->extack, "out of memory for the reply");
		goto out;
	}
	err = -EMSGSIZE;
	hdr = genlmsg_put_reply(msg, info, &ng_genl_family, 0, NGUARD_CMD_TRACE);
	if (!hdr || nla_put_u64_64bit(msg, NGUARD_A_POLICY_GEN, p ? p->gen : 0,
				      NGUARD_A_PAD) ||
	    ng_put_trace(msg, p, &j, alen == 4 ? 4 : 6,
			 nla_data(tb[NGUARD_TRACE_A_SRC]), held)) {
		nlmsg_free(msg);
		goto out;
	}
	genlmsg_end(msg, hdr);
	err = genlmsg_reply(msg, info);
out:
	ng_policy_put(p);
	return err;
}
