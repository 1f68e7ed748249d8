// SPDX-License-Identifier: GPL-2.0-only
/*
 * Observed flows over netlink: the NGUARD_CMD_OBSERVED_GET dump and
 * NGUARD_CMD_OBSERVED_CLEAR (contract: uapi/nguard.h).
 *
 * The dump reads the live policy's table under rcu_read_lock, one call at
 * a time, with its cursor in cb->args: [0] the next entry index, [1] the
 * table's id (0 until the header message went out), [2] set when the
 * walk is over. Entries are never moved or removed in a table, so an
 * index cursor is stable; a table that is cleared or replaced by a new
 * apply between two calls has another id, and the dump then ends with
 * -EAGAIN rather than mixing two tables.
 *
 * A clear does not empty the table in place (that would race the packet
 * path's unlocked counter): under the namespace lock it publishes an
 * empty table of the same size in the live policy and frees the old one
 * after a grace period. It allocates in process context, never on the
 * packet path.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <net/genetlink.h>
#include <net/sock.h>
#include "netlink.h"
#include "nguard.h"
#include "observe.h"
#include "observe_nl.h"
#include "policy.h"
#include "rules.h"

static const char *ng_obs_seg_name(const struct ng_policy *p, u16 seg)
{
	return seg <= p->src.nseg ? p->src.names[seg] : "?";
}

static int ng_put_obs_examples(struct sk_buff *skb, const struct ng_obs_entry *e)
{
	struct nlattr *nest;
	unsigned int i, alen;

	for (i = 0; i < e->nex && i < NG_OBS_EXAMPLES; i++) {
		alen = e->ex_family[i] == 4 ? 4 : 16;
		nest = nla_nest_start(skb, NGUARD_OBS_A_EXAMPLE);
		if (!nest ||
		    nla_put(skb, NGUARD_OBS_EX_A_SRC, alen, e->ex_src[i]) ||
		    nla_put(skb, NGUARD_OBS_EX_A_DST, alen, e->ex_dst[i]))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	return 0;
}

static int ng_put_obs_entry(struct sk_buff *skb, struct netlink_callback *cb,
			    const struct ng_policy *p,
			    const struct ng_obs_entry *e)
{
	bool rule = e->rule != NG_RULE_NONE && e->rule < p->src.nrules;
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &ng_genl_family, NLM_F_MULTI, NGUARD_CMD_OBSERVED_GET);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, NGUARD_A_OBSERVED);
	if (!nest ||
	    nla_put_u16(skb, NGUARD_OBS_A_SRC_SEG, e->key.src_seg) ||
	    nla_put_u16(skb, NGUARD_OBS_A_DST_SEG, e->key.dst_seg) ||
	    nla_put_string(skb, NGUARD_OBS_A_SRC_NAME,
			   ng_obs_seg_name(p, e->key.src_seg)) ||
	    nla_put_string(skb, NGUARD_OBS_A_DST_NAME,
			   ng_obs_seg_name(p, e->key.dst_seg)) ||
	    nla_put_u8(skb, NGUARD_OBS_A_PROTO, e->key.proto) ||
	    nla_put_u16(skb, NGUARD_OBS_A_PORT, e->key.port) ||
	    nla_put_u8(skb, NGUARD_OBS_A_VERDICT, e->verdict) ||
	    (rule && (nla_put_u32(skb, NGUARD_OBS_A_RULE, e->rule) ||
		      nla_put_u32(skb, NGUARD_OBS_A_RULE_LINE,
				  p->src.lines[e->rule]))) ||
	    nla_put_u8(skb, NGUARD_OBS_A_FLAGS, e->flags) ||
	    nla_put_u64_64bit(skb, NGUARD_OBS_A_CONNS, e->conns,
			      NGUARD_OBS_A_PAD) ||
	    nla_put_u64_64bit(skb, NGUARD_OBS_A_FIRST, e->first,
			      NGUARD_OBS_A_PAD) ||
	    nla_put_u64_64bit(skb, NGUARD_OBS_A_LAST, e->last,
			      NGUARD_OBS_A_PAD) ||
	    ng_put_obs_examples(skb, e)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
}

/* The first message: the policy generation and the table's size. */
static int ng_put_obs_header(struct sk_buff *skb, struct netlink_callback *cb,
			     const struct ng_policy *p, const struct ng_obs *t)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &ng_genl_family, NLM_F_MULTI, NGUARD_CMD_OBSERVED_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, NGUARD_A_POLICY_GEN, p ? p->gen : 0,
			      NGUARD_A_PAD) ||
	    (t && nla_put_u32(skb, NGUARD_A_OBSERVE_MAX, t->max))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int ng_observed_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ng_net *nn = ng_net(sock_net(cb->skb->sk));
	const struct ng_policy *p;
	struct ng_obs_entry e;
	struct ng_obs *t;
	u32 idx = cb->args[0], n;
	int err = 0;

	if (cb->args[2])
		return 0;
	rcu_read_lock();
	p = rcu_dereference(nn->policy);
	t = p ? rcu_dereference(p->obs) : NULL;
	if (!cb->args[1]) {
		err = ng_put_obs_header(skb, cb, p, t);
		if (err)
			goto out;
		if (!t) {
			cb->args[2] = 1;
			goto out;
		}
		cb->args[1] = (unsigned long)t->id;
	} else if (!t || cb->args[1] != (unsigned long)t->id) {
		err = -EAGAIN;
		goto out;
	}
	n = ng_obs_used(t);
	for (; idx < n; idx++) {
		if (!ng_obs_read(t, idx, &e))
			continue;
		if (ng_put_obs_entry(skb, cb, p, &e))
			break;
	}
	cb->args[0] = idx;
	if (idx >= n)
		cb->args[2] = 1;
out:
	rcu_read_unlock();
	if (err == -EAGAIN)
		return err;
	/* A header or an entry always fits an empty message. */
	if (err && !skb->len)
		return err;
	return skb->len;
}

int ng_cmd_observed_clear(struct sk_buff *skb, struct genl_info *info)
{
	struct ng_net *nn = ng_net(genl_info_net(info));
	struct ng_obs *old, *new;
	struct ng_policy *p;

	mutex_lock(&nn->lock);
	p = rcu_dereference_protected(nn->policy, lockdep_is_held(&nn->lock));
	old = p ? rcu_dereference_protected(p->obs, lockdep_is_held(&nn->lock)) : NULL;
	if (!old) {
		mutex_unlock(&nn->lock);
		NL_SET_ERR_MSG(info->extack,
			       "nguard: the live policy does not observe flows (no 'observe' statement)");
		return -EOPNOTSUPP;
	}
	new = ng_obs_create(old->max, GFP_KERNEL_ACCOUNT);
	if (!new) {
		mutex_unlock(&nn->lock);
		NL_SET_ERR_MSG(info->extack, "nguard: no memory for an empty table");
		return -ENOMEM;
	}
	rcu_assign_pointer(p->obs, new);
	mutex_unlock(&nn->lock);
	synchronize_rcu();	/* no packet or dump uses the old table now */
	ng_obs_destroy(old);
	return 0;
}
