// SPDX-License-Identifier: GPL-2.0-only
/*
 * Policy transactions and their lifetime — theory of operation.
 *
 * The transaction logic only; txn_nl.c turns the generic netlink
 * commands (and a closing socket) into these calls. BEGIN opens a draft
 * (struct ng_policy_src) in the caller's namespace, owned by the caller's
 * netlink port. ADD chunks append to it; COMMIT
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
#include "events.h"
#include "hooks.h"
#include "nguard.h"
#include "policy.h"
#include "rejudge.h"
#include "txn.h"

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
	ng_rejudge(nn, pol, old);
	if (!pol)
		ng_hooks_detach(nn);
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

static int ng_need_draft(struct ng_net *nn, u32 portid,
			 struct netlink_ext_ack *extack)
{
	if (!nn->draft) {
		NL_SET_ERR_MSG(extack, "no policy transaction open: send POLICY_BEGIN first");
		return -ENOENT;
	}
	if (nn->draft_portid != portid) {
		NL_SET_ERR_MSG(extack, "the policy transaction belongs to another socket");
		return -EBUSY;
	}
	return 0;
}

int ng_txn_begin(struct ng_net *nn, u32 portid, struct netlink_ext_ack *extack)
{
	int err = 0;

	mutex_lock(&nn->lock);
	/*
	 * Even the committing socket itself must wait: a draft opened now
	 * would outlive the commit's reset of the owner and block every
	 * later transaction of the namespace.
	 */
	if (nn->committing) {
		NL_SET_ERR_MSG(extack,
			       "a policy commit is in progress in this namespace: retry when it is done");
		err = -EBUSY;
		goto out;
	}
	if (nn->draft && nn->draft_portid != portid) {
		NL_SET_ERR_MSG(extack,
			       "another policy transaction is in progress in this namespace");
		err = -EBUSY;
		goto out;
	}
	ng_draft_drop(nn);
	nn->draft = kmalloc(sizeof(*nn->draft), GFP_KERNEL_ACCOUNT);
	if (!nn->draft) {
		NL_SET_ERR_MSG(extack, "out of memory for the policy draft");
		err = -ENOMEM;
		goto out;
	}
	ng_src_init(nn->draft);
	WRITE_ONCE(nn->draft_portid, portid);
out:
	mutex_unlock(&nn->lock);
	return err;
}

int ng_txn_add(struct ng_net *nn, u32 portid, struct netlink_ext_ack *extack,
	       int (*fill)(struct ng_policy_src *draft, void *arg), void *arg)
{
	int err;

	mutex_lock(&nn->lock);
	err = ng_need_draft(nn, portid, extack);
	if (!err)
		err = fill(nn->draft, arg);
	/* A chunk that fails poisons the draft: the whole apply fails. */
	if (err && err != -EBUSY)
		ng_draft_drop(nn);
	mutex_unlock(&nn->lock);
	return err;
}

int ng_txn_commit(struct ng_net *nn, u32 portid, u32 secs,
		  struct netlink_ext_ack *extack, u64 *gen)
{
	struct ng_policy *pol, *old;
	struct ng_policy_src *draft;
	const char *why = NULL;
	int err;

	mutex_lock(&nn->lock);
	err = ng_need_draft(nn, portid, extack);
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
			ng_set_err_msg(extack, why);
		else if (err == -ENOMEM)
			NL_SET_ERR_MSG(extack, "out of memory compiling the policy");
		else
			NL_SET_ERR_MSG(extack, "the policy could not be compiled");
		goto out_unlock;
	}
	err = ng_hooks_attach(nn);
	if (err) {
		NL_SET_ERR_MSG(extack,
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
	*gen = pol->gen;
out_unlock:
	mutex_unlock(&nn->lock);
	return err;
}

int ng_txn_abort(struct ng_net *nn, u32 portid, struct netlink_ext_ack *extack)
{
	int err;

	mutex_lock(&nn->lock);
	err = ng_need_draft(nn, portid, extack);
	if (!err)
		ng_draft_drop(nn);
	mutex_unlock(&nn->lock);
	return err;
}

int ng_txn_confirm(struct ng_net *nn, struct netlink_ext_ack *extack)
{
	int err = 0;

	mutex_lock(&nn->lock);
	if (!nn->rollback_armed) {
		NL_SET_ERR_MSG(extack, "no policy is waiting for confirmation");
		err = -ENOENT;
	}
	ng_rollback_disarm(nn);
	mutex_unlock(&nn->lock);
	/* The work may still run; it finds nothing armed and does nothing. */
	return err;
}

void ng_txn_flush(struct ng_net *nn)
{
	mutex_lock(&nn->lock);
	ng_rollback_disarm(nn);
	ng_policy_put(ng_publish(nn, NULL));
	ng_event_policy(nn, NGUARD_EVENT_FLUSH, 0);
	mutex_unlock(&nn->lock);
}

/* Free a draft whose owner socket closed without COMMIT or ABORT. */
void ng_txn_release(struct ng_net *nn, u32 portid)
{
	/* Unlocked peek: only a live, initialized namespace has a draft. */
	if (!READ_ONCE(nn->draft))
		return;
	mutex_lock(&nn->lock);
	if (nn->draft && nn->draft_portid == portid)
		ng_draft_drop(nn);
	mutex_unlock(&nn->lock);
}

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
