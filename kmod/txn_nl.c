// SPDX-License-Identifier: GPL-2.0-only
/*
 * The policy transaction commands (BEGIN, ADD, COMMIT, ABORT, CONFIRM,
 * FLUSH) over generic netlink, and the socket-release notifier that
 * drops a closed socket's draft. Each handler names the caller's
 * namespace and port and calls txn.c; ADD's attributes are parsed by
 * policy_nl.c into the draft.
 */
#include <linux/netlink.h>
#include <net/genetlink.h>
#include "netlink.h"
#include "nguard.h"
#include "policy_nl.h"
#include "txn.h"
#include "txn_nl.h"

int ng_cmd_policy_begin(struct sk_buff *skb, struct genl_info *info)
{
	return ng_txn_begin(ng_net(genl_info_net(info)), info->snd_portid,
			    info->extack);
}

static int ng_txn_fill(struct ng_policy_src *draft, void *arg)
{
	return ng_draft_add(draft, arg);
}

int ng_cmd_policy_add(struct sk_buff *skb, struct genl_info *info)
{
	return ng_txn_add(ng_net(genl_info_net(info)), info->snd_portid,
			  info->extack, ng_txn_fill, info);
}

int ng_cmd_policy_commit(struct sk_buff *skb, struct genl_info *info)
{
	struct ng_net *nn = ng_net(genl_info_net(info));
	struct sk_buff *msg;
	u32 secs = 0;
	void *hdr;
	u64 gen;
	int err;

	if (info->attrs[NGUARD_A_CONFIRM_SECS])
		secs = nla_get_u32(info->attrs[NGUARD_A_CONFIRM_SECS]);
	/* Before the commit: once published, only the reply can fail. */
	msg = genlmsg_new(nla_total_size_64bit(sizeof(u64)), GFP_KERNEL_ACCOUNT);
	if (!msg) {
		NL_SET_ERR_MSG(info->extack, "out of memory for the reply");
		return -ENOMEM;
	}
	err = ng_txn_commit(nn, info->snd_portid, secs, info->extack, &gen);
	if (err)
		goto err_free;
	err = -EMSGSIZE;
	hdr = genlmsg_put_reply(msg, info, &ng_genl_family, 0,
				NGUARD_CMD_POLICY_COMMIT);
	if (!hdr || nla_put_u64_64bit(msg, NGUARD_A_POLICY_GEN, gen,
				      NGUARD_A_PAD))
		goto err_free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return err;
}

int ng_cmd_policy_abort(struct sk_buff *skb, struct genl_info *info)
{
	return ng_txn_abort(ng_net(genl_info_net(info)), info->snd_portid,
			    info->extack);
}

int ng_cmd_policy_confirm(struct sk_buff *skb, struct genl_info *info)
{
	return ng_txn_confirm(ng_net(genl_info_net(info)), info->extack);
}

int ng_cmd_policy_flush(struct sk_buff *skb, struct genl_info *info)
{
	ng_txn_flush(ng_net(genl_info_net(info)));
	return 0;
}

static int ng_netlink_notify(struct notifier_block *nb, unsigned long event,
			     void *ptr)
{
	struct netlink_notify *n = ptr;

	if (event == NETLINK_URELEASE && n->protocol == NETLINK_GENERIC)
		ng_txn_release(ng_net(n->net), n->portid);
	return NOTIFY_DONE;
}

static struct notifier_block ng_netlink_nb = {
	.notifier_call = ng_netlink_notify,
};

int ng_txn_nl_register(void)
{
	return netlink_register_notifier(&ng_netlink_nb);
}

void ng_txn_nl_unregister(void)
{
	netlink_unregister_notifier(&ng_netlink_nb);
}
