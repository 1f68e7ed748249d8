// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-network-namespace lifetime. The pernet core allocates struct ng_net
 * for every namespace (existing ones at registration, new ones at
 * creation). Init order: counters, log, connection table (256 buckets, a
 * few KiB until traffic needs more), /proc; exit is the reverse.
 *
 * The netfilter hooks and nf_defrag are attached only while the namespace
 * has a policy: the first policy published attaches them, the return to
 * pass-through (flush, rollback to none, namespace exit) detaches them.
 * A namespace without a policy thus costs nothing per packet, as an empty
 * nftables ruleset costs nothing; its packet counters stand still.
 * nf_unregister_net_hooks() waits for in-flight hook invocations
 * (synchronize_net), so everything the hooks use can be freed right after
 * it even while traffic is flowing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>
#include <net/netns/generic.h>
#include "conntab.h"
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

/* Whole datagrams at our hooks: nf_defrag runs at priority -400. */
static int ng_defrag_enable(struct net *net, struct ng_net *nn)
{
	int err = nf_defrag_ipv4_enable(net);

	if (err)
		return err;
	nn->defrag4 = true;
#if IS_ENABLED(CONFIG_IPV6)
	err = nf_defrag_ipv6_enable(net);
	if (err)
		return err;
	nn->defrag6 = true;
#endif
	return 0;
}

static void ng_defrag_disable(struct net *net, struct ng_net *nn)
{
	if (nn->defrag4)
		nf_defrag_ipv4_disable(net);
#if IS_ENABLED(CONFIG_IPV6)
	if (nn->defrag6)
		nf_defrag_ipv6_disable(net);
#endif
	nn->defrag4 = false;
	nn->defrag6 = false;
}

int ng_netns_attach(struct ng_net *nn)
{
	int err;

	lockdep_assert_held(&nn->lock);
	if (nn->attached)
		return 0;
	err = ng_defrag_enable(nn->net, nn);
	if (!err)
		err = ng_hooks_register(nn->net);
	if (err) {
		ng_defrag_disable(nn->net, nn);
		return err;
	}
	nn->attached = true;
	return 0;
}

void ng_netns_detach(struct ng_net *nn)
{
	lockdep_assert_held(&nn->lock);
	if (!nn->attached)
		return;
	ng_hooks_unregister(nn->net);
	ng_defrag_disable(nn->net, nn);
	nn->attached = false;
}

static int __net_init ng_net_init(struct net *net)
{
	struct ng_net *nn = ng_net(net);
	int err;

	nn->net = net;
	ng_txn_net_init(nn);
	err = ng_stats_init(&nn->stats, GFP_KERNEL_ACCOUNT);
	if (err)
		return err;
	ng_log_init(&nn->log, &nn->stats, NGUARD_CNT_LOG_LINES,
		    NGUARD_CNT_LOG_SUPPRESSED, false);
	ng_detect_net_init(nn);
	err = -ENOMEM;
	nn->ct = ng_conntab_create(0, GFP_KERNEL_ACCOUNT);
	if (!nn->ct)
		goto err_ct;
	err = ng_proc_init(net, nn);
	if (err)
		goto err_proc;
	return 0;

err_proc:
	ng_conntab_destroy(nn->ct);
err_ct:
	ng_detect_net_exit(nn);
	ng_log_exit(&nn->log);
	ng_stats_destroy(&nn->stats);
	return err;
}

static void __net_exit ng_net_exit(struct net *net)
{
	struct ng_net *nn = ng_net(net);

	ng_txn_net_exit(nn);	/* back to pass-through: hooks detached */
	WARN_ON_ONCE(nn->attached);
	ng_proc_exit(net, nn);
	ng_conntab_destroy(nn->ct);
	nn->ct = NULL;
	ng_detect_net_exit(nn);
	ng_log_exit(&nn->log);
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
