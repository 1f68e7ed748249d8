// SPDX-License-Identifier: GPL-2.0-only
/*
 * /proc/net/nguard/ — one directory per network namespace.
 *
 * stats: "name value" lines: policy_generation, transaction_port (the
 *   netlink port of an apply in progress, 0 when none), then every counter
 *   (names as in stats.c) summed over all CPUs at read time.
 * segments: a "# generation N" line, then "id name ipv4_prefixes
 *   ipv6_prefixes ifaces" per segment of the live policy (world is id 0).
 * policy: "# generation N mode M default D conns_max C", then
 *   "index line text" per rule, in evaluation order.
 * The list files hold rcu_read_lock from seq start to stop. A reader that
 * needs several read() calls can see a newer policy in a later chunk.
 * World-readable (like /proc/net/netstat); all writes go through netlink
 * with CAP_NET_ADMIN.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>
#include "nguard.h"
#include "policy.h"

static int ng_proc_stats_show(struct seq_file *seq, void *v)
{
	struct ng_net *nn = ng_net(seq_file_single_net(seq));
	struct ng_stats_snapshot snap;
	unsigned int i;

	ng_stats_read(&nn->stats, &snap);
	seq_printf(seq, "%-20s %llu\n", "policy_generation", ng_policy_gen(nn));
	/* Netlink port of an apply in progress, 0 when none. */
	seq_printf(seq, "%-20s %u\n", "transaction_port", READ_ONCE(nn->draft_portid));
	for (i = 0; i < NGUARD_CNT_MAX; i++)
		seq_printf(seq, "%-20s %llu\n", ng_stats_name(i), snap.cnt[i]);
	return 0;
}

static struct ng_policy *ng_proc_policy(struct seq_file *seq)
{
	return rcu_dereference(ng_net(seq_file_net(seq))->policy);
}

/*
 * Record 0 is the header (SEQ_START_TOKEN), record pos > 0 is item pos - 1,
 * encoded as pos + 1 so it never equals SEQ_START_TOKEN.
 */
static void *ng_proc_record(struct seq_file *seq, loff_t pos,
			    u32 (*count)(const struct ng_policy *p))
{
	struct ng_policy *p = ng_proc_policy(seq);

	if (!pos)
		return SEQ_START_TOKEN;
	if (!p || pos > count(p))
		return NULL;
	return (void *)(uintptr_t)(pos + 1);	/* SEQ_START_TOKEN is 1 */
}

static void ng_proc_stop(struct seq_file *seq, void *v)
	__releases(RCU)
{
	rcu_read_unlock();
}

static u32 ng_seg_count(const struct ng_policy *p)
{
	return p->src.nseg + 1;
}

static void *ng_seg_start(struct seq_file *seq, loff_t *pos)
	__acquires(RCU)
{
	rcu_read_lock();
	return ng_proc_record(seq, *pos, ng_seg_count);
}

static void *ng_seg_next(struct seq_file *seq, void *v, loff_t *pos)
{
	return ng_proc_record(seq, ++*pos, ng_seg_count);
}

static int ng_seg_show(struct seq_file *seq, void *v)
{
	struct ng_policy *p = ng_proc_policy(seq);
	u32 i;

	if (v == SEQ_START_TOKEN) {
		seq_printf(seq, "# generation %llu\n", p ? p->gen : 0);
		return 0;
	}
	i = (uintptr_t)v - 2;
	if (p && i <= p->src.nseg)
		seq_printf(seq, "%u %s %u %u %u\n", i, p->src.names[i],
			   p->counts[i].v4, p->counts[i].v6, p->counts[i].ifaces);
	return 0;
}

static const struct seq_operations ng_seg_seq_ops = {
	.start = ng_seg_start,
	.next = ng_seg_next,
	.stop = ng_proc_stop,
	.show = ng_seg_show,
};

static u32 ng_rule_count(const struct ng_policy *p)
{
	return p->src.nrules;
}

static void *ng_rule_start(struct seq_file *seq, loff_t *pos)
	__acquires(RCU)
{
	rcu_read_lock();
	return ng_proc_record(seq, *pos, ng_rule_count);
}

static void *ng_rule_next(struct seq_file *seq, void *v, loff_t *pos)
{
	return ng_proc_record(seq, ++*pos, ng_rule_count);
}

static int ng_rule_show(struct seq_file *seq, void *v)
{
	struct ng_policy *p = ng_proc_policy(seq);
	u32 i;

	if (v == SEQ_START_TOKEN) {
		if (!p)
			seq_puts(seq, "# generation 0 (no policy: pass-through)\n");
		else
			seq_printf(seq, "# generation %llu mode %s default %s conns_max %u\n",
				   p->gen,
				   p->src.mode == NGUARD_MODE_MONITOR ? "monitor" : "enforce",
				   p->src.dflt == NGUARD_VERDICT_ALLOW ? "allow" : "deny",
				   p->src.conns_max);
		return 0;
	}
	i = (uintptr_t)v - 2;
	if (p && i < p->src.nrules)
		seq_printf(seq, "%u %u %s\n", i, p->src.lines[i], p->src.texts[i]);
	return 0;
}

static const struct seq_operations ng_rule_seq_ops = {
	.start = ng_rule_start,
	.next = ng_rule_next,
	.stop = ng_proc_stop,
	.show = ng_rule_show,
};

int ng_proc_init(struct net *net, struct ng_net *nn)
{
	/* proc_net_mkdir tags the directory with @net for single_open_net. */
	nn->proc_dir = proc_net_mkdir(net, "nguard", net->proc_net);
	if (!nn->proc_dir)
		return -ENOMEM;
	if (!proc_create_net_single("stats", 0444, nn->proc_dir,
				    ng_proc_stats_show, NULL) ||
	    !proc_create_net("segments", 0444, nn->proc_dir, &ng_seg_seq_ops,
			     sizeof(struct seq_net_private)) ||
	    !proc_create_net("policy", 0444, nn->proc_dir, &ng_rule_seq_ops,
			     sizeof(struct seq_net_private))) {
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
