// SPDX-License-Identifier: GPL-2.0-only
/*
 * Generic netlink family "nguard" (contract: uapi/nguard.h).
 *
 * Every operation carries its own strict policy; the core rejects unknown
 * attributes, bad lengths and out-of-range values with an extack message
 * before our handler runs. Every operation is GENL_ADMIN_PERM:
 * CAP_NET_ADMIN in the initial user namespace, so unprivileged user
 * namespaces cannot reach the control plane. The family is netnsok and
 * each request acts on the sender's namespace.
 */
#include <linux/module.h>
#include <net/genetlink.h>
#include "blocked_nl.h"
#include "conns_nl.h"
#include "events.h"
#include "netlink.h"
#include "nguard.h"
#include "observe_nl.h"
#include "policy.h"
#include "policy_dump_nl.h"
#include "policy_nl.h"
#include "trace_nl.h"
#include "txn_nl.h"
#include "version.h"

/* Commands without attributes: an all-NLA_UNSPEC policy rejects any. */
static const struct nla_policy ng_empty_policy[NGUARD_A_MAX + 1];

static struct netlink_range_validation ng_confirm_range __ro_after_init = {
	.min = 1,
	.max = 86400,
};

static const struct nla_policy ng_commit_policy[NGUARD_A_MAX + 1] = {
	[NGUARD_A_CONFIRM_SECS] = NLA_POLICY_FULL_RANGE(NLA_U32, &ng_confirm_range),
};

static size_t ng_status_size(void)
{
	return nla_total_size(sizeof(NGUARD_VERSION)) +
	       3 * nla_total_size_64bit(sizeof(u64)) +
	       nla_total_size(sizeof(u8)) +
	       nla_total_size(0) +
	       NGUARD_CNT_MAX * nla_total_size_64bit(sizeof(u64)) +
	       ng_conntab_nl_size();
}

/* Mode, apply time and compile time of the live policy, if any. */
static int ng_put_policy_info(struct sk_buff *skb, struct ng_net *nn)
{
	struct ng_policy *p;
	int err = 0;

	rcu_read_lock();
	p = rcu_dereference(nn->policy);
	if (p && (nla_put_u8(skb, NGUARD_A_MODE, p->src.mode) ||
		  nla_put_u64_64bit(skb, NGUARD_A_POLICY_APPLIED, p->applied,
				    NGUARD_A_PAD) ||
		  nla_put_u64_64bit(skb, NGUARD_A_POLICY_COMPILE_NS,
				    p->compile_ns, NGUARD_A_PAD)))
		err = -EMSGSIZE;
	rcu_read_unlock();
	return err;
}

static int ng_put_stats(struct sk_buff *skb, const struct ng_net *nn)
{
	struct ng_stats_snapshot snap;
	struct nlattr *nest;
	unsigned int i;

	ng_stats_read(&nn->stats, &snap);
	nest = nla_nest_start(skb, NGUARD_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < NGUARD_CNT_MAX; i++) {
		if (nla_put_u64_64bit(skb, NGUARD_STATS_A_FIRST_COUNTER + i,
				      snap.cnt[i], NGUARD_STATS_A_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int ng_cmd_get_status(struct sk_buff *skb, struct genl_info *info)
{
	struct ng_net *nn = ng_net(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(ng_status_size(), GFP_KERNEL_ACCOUNT);
	if (!msg) {
		NL_SET_ERR_MSG(info->extack, "nguard: out of memory for the status reply");
		return -ENOMEM;
	}
	hdr = genlmsg_put_reply(msg, info, &ng_genl_family, 0,
				NGUARD_CMD_GET_STATUS);
	if (!hdr) {
		err = -EMSGSIZE;
		goto err_free;
	}
	err = -EMSGSIZE;
	if (nla_put_string(msg, NGUARD_A_VERSION, NGUARD_VERSION) ||
	    nla_put_u64_64bit(msg, NGUARD_A_POLICY_GEN,
			      ng_policy_gen_of(&nn->policy), NGUARD_A_PAD))
		goto err_free;
	err = ng_put_stats(msg, nn);
	if (!err)
		err = ng_put_conntab(msg, nn);
	if (!err)
		err = ng_put_policy_info(msg, nn);
	if (err)
		goto err_free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	NL_SET_ERR_MSG(info->extack, "nguard: status reply does not fit");
	return err;
}

#define NG_DOIT(cmd_, fn_, pol_) {		\
	.cmd = (cmd_),				\
	.doit = (fn_),				\
	.policy = (pol_),			\
	.maxattr = NGUARD_A_MAX,		\
	.flags = GENL_ADMIN_PERM,		\
}

static const struct genl_ops ng_genl_ops[] = {
	NG_DOIT(NGUARD_CMD_GET_STATUS, ng_cmd_get_status, ng_empty_policy),
	NG_DOIT(NGUARD_CMD_POLICY_BEGIN, ng_cmd_policy_begin, ng_empty_policy),
	NG_DOIT(NGUARD_CMD_POLICY_ADD, ng_cmd_policy_add, ng_add_policy),
	NG_DOIT(NGUARD_CMD_POLICY_COMMIT, ng_cmd_policy_commit, ng_commit_policy),
	NG_DOIT(NGUARD_CMD_POLICY_ABORT, ng_cmd_policy_abort, ng_empty_policy),
	NG_DOIT(NGUARD_CMD_POLICY_CONFIRM, ng_cmd_policy_confirm, ng_empty_policy),
	NG_DOIT(NGUARD_CMD_POLICY_FLUSH, ng_cmd_policy_flush, ng_empty_policy),
	NG_DOIT(NGUARD_CMD_TRACE, ng_cmd_trace, ng_trace_policy),
	{
		.cmd = NGUARD_CMD_POLICY_GET,
		.start = ng_policy_dump_start,
		.dumpit = ng_policy_dumpit,
		.done = ng_policy_dump_done,
		.policy = ng_empty_policy,
		.maxattr = NGUARD_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	NG_DOIT(NGUARD_CMD_UNBLOCK, ng_cmd_unblock, ng_block_req_policy),
	NG_DOIT(NGUARD_CMD_BLOCK, ng_cmd_block, ng_block_req_policy),
	{
		.cmd = NGUARD_CMD_BLOCKED_GET,
		.dumpit = ng_blocked_dumpit,
		.policy = ng_empty_policy,
		.maxattr = NGUARD_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = NGUARD_CMD_CONNS_GET,
		.dumpit = ng_conns_dumpit,
		.policy = ng_empty_policy,
		.maxattr = NGUARD_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = NGUARD_CMD_OBSERVED_GET,
		.dumpit = ng_observed_dumpit,
		.policy = ng_empty_policy,
		.maxattr = NGUARD_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	NG_DOIT(NGUARD_CMD_OBSERVED_CLEAR, ng_cmd_observed_clear, ng_empty_policy),
};

/* Monitor events; listening needs CAP_NET_ADMIN where the kernel can say so. */
#ifndef NG_NO_EVENTS_GROUP
static const struct genl_multicast_group ng_mcgrps[] = {
	{
		.name = NGUARD_MCGRP_EVENTS,
		.flags = NG_EVENTS_GROUP_FLAGS,
	},
};
#endif

struct genl_family ng_genl_family __ro_after_init = {
	.name = NGUARD_GENL_NAME,
	.version = NGUARD_GENL_VERSION,
	.maxattr = NGUARD_A_MAX,
	.netnsok = true,
	/* Handlers lock per namespace (txn.c); see the theory there. */
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = ng_genl_ops,
	.n_ops = ARRAY_SIZE(ng_genl_ops),
#ifndef NG_NO_EVENTS_GROUP
	.mcgrps = ng_mcgrps,
	.n_mcgrps = ARRAY_SIZE(ng_mcgrps),
#endif
};

int __init ng_genl_register(void)
{
	int err = genl_register_family(&ng_genl_family);

	if (!err)
		ng_events_set_family(&ng_genl_family);
	return err;
}

void ng_genl_unregister(void)
{
	ng_events_set_family(NULL);
	genl_unregister_family(&ng_genl_family);
}
