// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-network-namespace lifetime. The pernet core allocates struct ng_net
 * for every namespace (existing ones at registration, new ones at
 * creation). Init order: control lock, counters, log, events, quarantine
 * work, connection table (256 buckets, a few KiB until traffic needs
 * more); exit is the reverse. The /proc files are another pernet
 * subsystem (proc.c), registered after this one.
 *
 * The netfilter hooks and nf_defrag are attached only while the namespace
 * has a policy (hooks.c): a namespace without one costs nothing per
 * packet. Exit first returns the namespace to pass-through (txn.c),
 * which detaches them; nf_unregister_net_hooks() waits for in-flight hook
 * invocations (synchronize_net), so everything the hooks use can be freed
 * right after it even while traffic is flowing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <net/netns/generic.h>
#include "conntab.h"
#include "events.h"
#include "netns.h"
#include "nguard.h"
#include "quarantine.h"
#include "txn.h"

unsigned int ng_net_id __read_mostly;

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
	ng_events_net_init(nn);
	ng_quarantine_net_init(nn);
	nn->ct = ng_conntab_create(0, GFP_KERNEL_ACCOUNT);
	if (!nn->ct) {
		ng_quarantine_net_exit(nn);
		ng_events_net_exit(nn);
		ng_log_exit(&nn->log);
		ng_stats_destroy(&nn->stats);
		return -ENOMEM;
	}
	return 0;
}

static void __net_exit ng_net_exit(struct net *net)
{
	struct ng_net *nn = ng_net(net);

	ng_txn_net_exit(nn);	/* back to pass-through: hooks detached */
	WARN_ON_ONCE(nn->attached);
	ng_conntab_destroy(nn->ct);
	nn->ct = NULL;
	ng_quarantine_net_exit(nn);
	ng_events_net_exit(nn);
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
