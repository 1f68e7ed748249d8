// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-network-namespace lifetime. The pernet core allocates struct ng_net
 * for every namespace (existing ones at registration, new ones at
 * creation). Init order: counters, /proc, hooks; exit is the reverse.
 * nf_unregister_net_hooks() waits for in-flight hook invocations
 * (synchronize_net), so the counters can be freed right after it even
 * while traffic is flowing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <net/netns/generic.h>
#include "nguard.h"
#include "policy.h"

static unsigned int ng_net_id __read_mostly;

struct ng_net *ng_net(const struct net *net)
{
	return net_generic(net, ng_net_id);
}

u64 ng_policy_gen(struct ng_net *nn)
{
	struct ng_policy *p;
	u64 gen;

	rcu_read_lock();
	p = rcu_dereference(nn->policy);
	gen = p ? p->gen : 0;
	rcu_read_unlock();
	return gen;
}

static int __net_init ng_net_init(struct net *net)
{
	struct ng_net *nn = ng_net(net);
	int err;

	ng_txn_net_init(nn);
	err = ng_stats_init(&nn->stats, GFP_KERNEL_ACCOUNT);
	if (err)
		return err;
	err = ng_proc_init(net, nn);
	if (err)
		goto err_proc;
	err = ng_hooks_register(net);
	if (err)
		goto err_hooks;
	return 0;

err_hooks:
	ng_proc_exit(net, nn);
err_proc:
	ng_stats_destroy(&nn->stats);
	return err;
}

static void __net_exit ng_net_exit(struct net *net)
{
	struct ng_net *nn = ng_net(net);

	ng_hooks_unregister(net);
	ng_txn_net_exit(nn);
	ng_proc_exit(net, nn);
	ng_stats_destroy(&nn->stats);
}

static struct pernet_operations ng_net_ops = {
	.init = ng_net_init,
	.exit = ng_net_exit,
	.id = &ng_net_id,
	.size = sizeof(struct ng_net),
};

int ng_netns_register(void)
{
	return register_pernet_subsys(&ng_net_ops);
}

void ng_netns_unregister(void)
{
	unregister_pernet_subsys(&ng_net_ops);
}
