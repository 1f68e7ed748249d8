// SPDX-License-Identifier: GPL-2.0-only
/*
 * /proc/net/nguard/ — one directory per network namespace.
 *
 * stats: one "name value" line per counter, names as in stats.c, values
 * summed over all CPUs at read time. World-readable (like
 * /proc/net/netstat); all writes go through netlink with CAP_NET_ADMIN.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>
#include "nguard.h"

static int ng_proc_stats_show(struct seq_file *seq, void *v)
{
	struct ng_net *nn = ng_net(seq_file_single_net(seq));
	struct ng_stats_snapshot snap;
	unsigned int i;

	ng_stats_read(&nn->stats, &snap);
	seq_printf(seq, "%-20s %llu\n", "policy_generation", ng_policy_gen(nn));
	for (i = 0; i < NGUARD_CNT_MAX; i++)
		seq_printf(seq, "%-20s %llu\n", ng_stats_name(i), snap.cnt[i]);
	return 0;
}

int ng_proc_init(struct net *net, struct ng_net *nn)
{
	/* proc_net_mkdir tags the directory with @net for single_open_net. */
	nn->proc_dir = proc_net_mkdir(net, "nguard", net->proc_net);
	if (!nn->proc_dir)
		return -ENOMEM;
	if (!proc_create_net_single("stats", 0444, nn->proc_dir,
				    ng_proc_stats_show, NULL)) {
		proc_remove(nn->proc_dir);
		nn->proc_dir = NULL;
		return -ENOMEM;
	}
	return 0;
}

void ng_proc_exit(struct net *net, struct ng_net *nn)
{
	proc_remove(nn->proc_dir);
	nn->proc_dir = NULL;
}
