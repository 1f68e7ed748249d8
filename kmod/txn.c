// SPDX-License-Identifier: GPL-2.0-only
/*
 * Policy transactions and their lifetime — theory of operation.
 *
 * BEGIN opens a draft (struct ng_policy_src) in the caller's namespace,
 * owned by the caller's netlink port. ADD chunks append to it; COMMIT
 * compiles it and publishes the result with one rcu_assign_pointer();
 * ABORT, a failed COMMIT, or the owner's socket closing (NETLINK_URELEASE)
 * frees it. All of this is serialized by the per-netns mutex nn->lock; the
 * packet path never takes it. The family runs with parallel_ops: COMMIT
 * compiles outside the lock (nn->committing keeps the namespace's
 * transaction slot taken meanwhile), so one big apply does not stall the
 * control plane of other namespaces or /proc readers.
 *
 * COMMIT with CONFIRM_SECS keeps a reference to the policy that was live
 * before and arms a delayed work. CONFIRM (or a later COMMIT without
 * CONFIRM_SECS) drops that reference; if the work fires first it puts the
 * old policy back. Several unconfirmed commits in a row roll back to the
 * last confirmed one. FLUSH returns to pass-through and cancels a pending
 * rollback.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ktime.h>
#include <linux/netlink.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include "nguard.h"
#include "policy.h"

static struct ng_policy *ng_live(struct ng_net *nn)
{
	return rcu_dereference_protected(nn->policy, lockdep_is_held(&nn->lock));
}

static void ng_draft_drop(struct ng_net *nn)
{
	if (nn->draft) {
		ng_src_free(nn->draft);
		kfree(nn->draft);
		nn->draft = NULL;
		WRITE_ONCE(nn->draft_portid, 0);
	}
}

/*
 * Publish @pol (may be NULL), bring the tracked connections in line with
 * it, and return the previous policy. A policy needs the hooks attached
 * first (ng_netns_attach()); pass-through detaches them.
 */
static struct ng_policy *ng_publish(struct ng_net *nn, struct ng_policy *pol)
{
	struct ng_policy *old = ng_live(nn);

	WARN_ON_ONCE(pol && !nn->attached);
	rcu_assign_pointer(nn->policy, pol);
	ng_enforce_policy_changed(nn, pol, old);
	if (!pol)
		ng_netns_detach(nn);
	return old;
}

static void ng_rollback_disarm(struct ng_net *nn)
{
	if (nn->rollback_armed) {
		nn->rollback_armed = false;
		ng_policy_put(nn->rollback);
		nn->rollback = NULL;
	}
}

static void ng_rollback_work(struct work_struct *work)
{
	struct ng_net *nn = container_of(to_delayed_work(work), struct ng_net,
					 confirm_work);
	struct ng_policy *cur;

	mutex_lock(&nn->lock);
	/* An armed rollback implies a live policy: the hooks are attached. */
	if (nn->rollback_armed) {
		cur = ng_publish(nn, nn->rollback);
		if (nn->rollback)
			pr_warn("policy generation %llu not confirmed within %u s: restored generation %llu\n",
				cur ? cur->gen : 0, nn->confirm_secs,
				nn->rollback->gen);
		else
			pr_warn("policy generation %llu not confirmed within %u s: restored pass-through\n",
				cur ? cur->gen : 0, nn->confirm_secs);
		ng_event_policy(nn, NGUARD_EVENT_ROLLBACK,
				nn->rollback ? nn->rollback->gen : 0);
		nn->rollback = NULL;
		nn->rollback_armed = false;
		ng_policy_put(cur);
	}
	mutex_unlock(&nn->lock);
}

static int ng_need_draft(struct ng_net *nn, struct genl_info *info)
{
	if (!nn->draft) {
		NL_SET_ERR_MSG(info->extack, "no policy transaction open: send POLICY_BEGIN first");
		return -ENOENT;
	}
	if (nn->draft_portid != info->snd_portid) {
		NL_SET_ERR_MSG(info->extack, "the policy transaction belongs to another socket");
		return -EBUSY;
	}
	return 0;
}

int ng_cmd_policy_begin(struct sk_buff *skb, struct genl_info *info)
{
	struct ng_net *nn = ng_net(genl_info_net(info));
	int err = 0;

	mutex_lock(&nn->lock);
	/*
	 * Even the committing socket itself must wait: a draft opened now
	 * would outlive the commit's reset of the owner and block every
	 * later transaction of the namespace.
	 */
	if (nn->committing) {
		NL_SET_ERR_MSG(info->extack,
			       "a policy commit is in progress in this namespace: retry when it is done");
		err = -EBUSY;
		goto out;
	}
	if (nn->draft && nn->draft_portid != info->snd_portid) {
		NL_SET_ERR_MSG(info->extack,
			       "another policy transaction is in progress in this namespace");
		err = -EBUSY;
		goto out;
	}
	ng_draft_drop(nn);
	nn->draft = kmalloc(sizeof(*nn->draft), GFP_KERNEL_ACCOUNT);
	if (!nn->draft) {
		err = -ENOMEM;
		goto out;
	}
	ng_src_init(nn->draft);
	WRITE_ONCE(nn->draft_portid, info->snd_portid);
out:
	mutex_unlock(&nn->lock);
	return err;
}

int ng_cmd_policy_add(struct sk_buff *skb, struct genl_info *info)
{
	struct ng_net *nn = ng_net(genl_info_net(info));
	int err;

	mutex_lock(&nn->lock);
	err = ng_need_draft(nn, info);
	if (!err)
		err = ng_draft_add(nn->draft, info);
	/* A chunk that fails poisons the draft: the whole apply fails. */
	if (err && err != -EBUSY)
		ng_draft_drop(nn);
	mutex_unlock(&nn->lock);
	return err;
}

int ng_cmd_policy_commit(struct sk_buff *skb, struct genl_info *info)
{
	struct ng_net *nn = ng_net(genl_info_net(info));
	struct ng_policy *pol, *old;
	struct ng_policy_src *draft;
	const char *why = NULL;
	struct sk_buff *msg;
	u32 secs = 0;
	void *hdr;
	int err;

	if (info->attrs[NGUARD_A_CONFIRM_SECS])
		secs = nla_get_u32(info->attrs[NGUARD_A_CONFIRM_SECS]);
	msg = genlmsg_new(nla_total_size_64bit(sizeof(u64)), GFP_KERNEL_ACCOUNT);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&nn->lock);
	err = ng_need_draft(nn, info);
	if (err)
		goto out_unlock;
	/*
	 * Compile without the lock: a big policy takes a while, and /proc and
	 * other namespaces' callers should not wait. The port stays recorded
	 * and "committing" keeps other BEGINs out until the swap is done.
	 */
	draft = nn->draft;
	nn->draft = NULL;
	nn->committing = true;
	mutex_unlock(&nn->lock);

	pol = ng_policy_compile(draft, &why);
	ng_src_free(draft);	/* empty after a successful compile */
	kfree(draft);

	mutex_lock(&nn->lock);
	nn->committing = false;
	if (!nn->draft)
		WRITE_ONCE(nn->draft_portid, 0);
	if (IS_ERR(pol)) {
		err = PTR_ERR(pol);
		if (why)
			ng_set_err_msg(info->extack, why);
		goto out_unlock;
	}
	err = ng_netns_attach(nn);
	if (err) {
		NL_SET_ERR_MSG(info->extack,
			       "cannot register the netfilter hooks in this namespace");
		ng_policy_put(pol);
		goto out_unlock;
	}
	pol->gen = ++nn->gen_seq;
	pol->applied = ktime_get_real_seconds();
	old = ng_publish(nn, pol);
	if (secs) {
		/* Keep the oldest unconfirmed-against policy as the target. */
		if (!nn->rollback_armed) {
			nn->rollback = old;
			nn->rollback_armed = true;
			old = NULL;
		}
		nn->confirm_secs = secs;
		/*
		 * Not system_wq: deprecated from 6.17 (system_percpu_wq), and
		 * this one is in every supported kernel (compat.md).
		 */
		mod_delayed_work(system_power_efficient_wq, &nn->confirm_work,
				 secs * HZ);
	} else {
		ng_rollback_disarm(nn);
	}
	ng_policy_put(old);
	ng_event_policy(nn, NGUARD_EVENT_APPLY, pol->gen);

	hdr = genlmsg_put_reply(msg, info, &ng_genl_family, 0,
				NGUARD_CMD_POLICY_COMMIT);
	if (!hdr || nla_put_u64_64bit(msg, NGUARD_A_POLICY_GEN, pol->gen,
				      NGUARD_A_PAD)) {
		err = -EMSGSIZE;
		goto out_unlock;
	}
	genlmsg_end(msg, hdr);
	mutex_unlock(&nn->lock);
	return genlmsg_reply(msg, info);

out_unlock:
	mutex_unlock(&nn->lock);
	nlmsg_free(msg);
	return err;
}

int ng_cmd_policy_abort(struct sk_buff *skb, struct genl_info *info)
{
	struct ng_net *nn = ng_net(genl_info_net(info));
	int err;

	mutex_lock(&nn->lock);
	err = ng_need_draft(nn, info);
	if (!err)
		ng_draft_drop(nn);
	mutex_unlock(&nn->lock);
	return err;
}

int ng_cmd_policy_confirm(struct sk_buff *skb, struct genl_info *info)
{
	struct ng_net *nn = ng_net(genl_info_net(info));
	int err = 0;

	mutex_lock(&nn->lock);
	if (!nn->rollback_armed) {
		NL_SET_ERR_MSG(info->extack, "no policy is waiting for confirmation");
		err = -ENOENT;
	}
	ng_rollback_disarm(nn);
	mutex_unlock(&nn->lock);
	/* The work may still run; it finds nothing armed and does nothing. */
	return err;
}

int ng_cmd_policy_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct ng_net *nn = ng_net(genl_info_net(info));

	mutex_lock(&nn->lock);
	ng_rollback_disarm(nn);
	ng_policy_put(ng_publish(nn, NULL));
	ng_event_policy(nn, NGUARD_EVENT_FLUSH, 0);
	mutex_unlock(&nn->lock);
	return 0;
}

/* Free a draft whose owner socket closed without COMMIT or ABORT. */
static int ng_netlink_notify(struct notifier_block *nb, unsigned long event,
			     void *ptr)
{
	struct netlink_notify *n = ptr;
	struct ng_net *nn;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC)
		return NOTIFY_DONE;
	nn = ng_net(n->net);
	/* Unlocked peek: only a live, initialized namespace has a draft. */
	if (!READ_ONCE(nn->draft))
		return NOTIFY_DONE;
	mutex_lock(&nn->lock);
	if (nn->draft && nn->draft_portid == n->portid)
		ng_draft_drop(nn);
	mutex_unlock(&nn->lock);
	return NOTIFY_DONE;
}

static struct notifier_block ng_netlink_nb = {
	.notifier_call = ng_netlink_notify,
};

void ng_txn_net_init(struct ng_net *nn)
{
	mutex_init(&nn->lock);
	INIT_DELAYED_WORK(&nn->confirm_work, ng_rollback_work);
}

/* Namespace teardown, after the hooks are gone. */
void ng_txn_net_exit(struct ng_net *nn)
{
	cancel_delayed_work_sync(&nn->confirm_work);
	mutex_lock(&nn->lock);
	ng_draft_drop(nn);
	ng_rollback_disarm(nn);
	ng_policy_put(ng_publish(nn, NULL));
	mutex_unlock(&nn->lock);
}

int ng_txn_register(void)
{
	return netlink_register_notifier(&ng_netlink_nb);
}

void ng_txn_unregister(void)
{
	netlink_unregister_notifier(&ng_netlink_nb);
}
