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
 *   Then the connection table: conns_count, conns_max, conns_established,
 *   conns_buckets, conns_entry_size, conns_sources and conns_<counter>
 *   (conntab.c names).
 * conns: one line per tracked connection, key=value fields:
 *   "ipv4 tcp src=A dst=B sport=P dport=Q seg=S->D state=established
 *   replied=1 rule=R|default pkts=O/R idle_ms=I expires=E", addresses and
 *   ports as the originator sent its first packet.
 * blocked: one line per quarantined source, "ADDR reason=R expires_ms=N
 *   secs=S hits=H".
 * anomalies: "# N anomalies recorded, last M:", then the last (at most
 *   128) anomalies, oldest first: "TIME_MS KIND src=A dst=B proto=P
 *   sport=S dport=D seg=I->J count=C action=X [SECSs]".
 * The list files hold rcu_read_lock from seq start to stop. A reader that
 * needs several read() calls can see a newer policy in a later chunk.
 * Only stats is world-readable (like /proc/net/netstat); the others are
 * root's (like /proc/net/nf_conntrack). All writes go through netlink
 * with CAP_NET_ADMIN. The files are a pernet subsystem of their own,
 * registered after the namespace state (netns.c) and removed before it.
 */
#include <linux/jiffies.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <net/net_namespace.h>
#include "blocktab.h"
#include "conntab.h"
#include "events.h"
#include "nguard.h"
#include "packet.h"
#include "policy.h"
#include "proc.h"

static int ng_proc_stats_show(struct seq_file *seq, void *v)
{
	struct ng_net *nn = ng_net(seq_file_single_net(seq));
	struct ng_stats_snapshot snap;
	struct ng_conntab_stats ct;
	unsigned int i;

	ng_stats_read(&nn->stats, &snap);
	seq_printf(seq, "%-20s %llu\n", "policy_generation", ng_policy_gen_of(&nn->policy));
	/* Netlink port of an apply in progress, 0 when none. */
	seq_printf(seq, "%-20s %u\n", "transaction_port", READ_ONCE(nn->draft_portid));
	for (i = 0; i < NGUARD_CNT_MAX; i++)
		seq_printf(seq, "%-20s %llu\n", ng_stats_name(i), snap.cnt[i]);
	ng_conntab_stats(nn->ct, &ct);
	seq_printf(seq, "%-20s %u\n", "conns_count", ct.count);
	seq_printf(seq, "%-20s %u\n", "conns_max", ct.max);
	seq_printf(seq, "%-20s %u\n", "conns_established", ct.established);
	seq_printf(seq, "%-20s %u\n", "conns_buckets", ct.buckets);
	seq_printf(seq, "%-20s %u\n", "conns_entry_size", ng_conntab_entry_size());
	seq_printf(seq, "%-20s %u\n", "conns_sources", ct.sources);
	for (i = 0; i < NG_CT_CNT_MAX; i++)
		seq_printf(seq, "conns_%-14s %llu\n", ng_conntab_counter_name(i),
			   ct.cnt[i]);
	return 0;
}

static struct ng_policy *ng_proc_policy(struct seq_file *seq)
{
	return rcu_dereference(ng_net(seq_file_net(seq))->policy);
}

/* conns: a resumable walk; the entry to show is copied into the state. */
struct ng_conns_seq {
	struct seq_net_private net;	/* first: seq_file_net() */
	struct ng_conntab_iter it;
	struct ng_conn cur;
};

static int ng_conns_grab(const struct ng_conn *c, void *arg)
{
	memcpy(arg, c, sizeof(*c));
	return 1;
}

/* The entry at the cursor, or NULL at the end. */
static void *ng_conns_at(struct seq_file *seq)
{
	struct ng_conns_seq *s = seq->private;
	struct ng_net *nn = ng_net(seq_file_net(seq));

	if (s->it.bucket == NG_CONNTAB_ITER_END)
		return NULL;
	return ng_conntab_walk(nn->ct, &s->it, ng_conns_grab, &s->cur) ?
	       &s->cur : NULL;
}

static void *ng_conns_start(struct seq_file *seq, loff_t *pos)
	__acquires(RCU)
{
	struct ng_conns_seq *s = seq->private;

	rcu_read_lock();
	if (!*pos)
		memset(&s->it, 0, sizeof(s->it));
	return ng_conns_at(seq);
}

static void *ng_conns_next(struct seq_file *seq, void *v, loff_t *pos)
{
	struct ng_conns_seq *s = seq->private;

	++*pos;
	s->it.skip++;	/* past the entry just shown */
	return ng_conns_at(seq);
}

static const char *ng_proc_seg(const struct ng_policy *p, u16 seg, char *buf)
{
	if (p && seg <= p->src.nseg)
		return p->src.names[seg];
	snprintf(buf, 8, "%u", seg);
	return buf;
}

static int ng_conns_show(struct seq_file *seq, void *v)
{
	struct ng_net *nn = ng_net(seq_file_net(seq));
	struct ng_policy *p = ng_proc_policy(seq);
	const struct ng_conn *c = v;
	const struct ng_conn_key *k = &c->key;
	u8 o = k->dir, r = !k->dir;
	char b1[8], b2[8], pb[4];
	const char *proto = ng_proto_name(k->proto, pb);

	if (k->family == 4)
		seq_printf(seq, "ipv4 %s src=%pI4 dst=%pI4", proto,
			   k->addr[o], k->addr[r]);
	else
		seq_printf(seq, "ipv6 %s src=%pI6c dst=%pI6c", proto,
			   k->addr[o], k->addr[r]);
	seq_printf(seq, " sport=%u dport=%u seg=%s->%s state=%s replied=%u",
		   ntohs(k->port[o]), ntohs(k->port[r]),
		   ng_proc_seg(p, p ? ng_policy_classify(p, k->family, k->addr[o]) : 0, b1),
		   ng_proc_seg(p, p ? ng_policy_classify(p, k->family, k->addr[r]) : 0, b2),
		   ng_conn_state_name(c->state), !!(c->flags & NG_CONN_F_REPLIED));
	if (c->rule == NG_RULE_NONE)
		seq_puts(seq, " rule=default");
	else if (c->rule == NG_RULE_KEPT)
		seq_puts(seq, " rule=kept");
	else
		seq_printf(seq, " rule=%u", c->rule);
	seq_printf(seq, " pkts=%u/%u idle_ms=%u expires=%u\n", c->pkts[0],
		   c->pkts[1], ng_conn_idle_ms(nn->ct, c),
		   ng_conn_expires_in(nn->ct, c));
	return 0;
}

static void ng_conns_stop(struct seq_file *seq, void *v)
	__releases(RCU)
{
	rcu_read_unlock();
}

static const struct seq_operations ng_conns_seq_ops = {
	.start = ng_conns_start,
	.next = ng_conns_next,
	.stop = ng_conns_stop,
	.show = ng_conns_show,
};

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

/* blocked: one line per live block. */
static int ng_proc_blocked_show(struct seq_file *seq, void *v)
{
	struct ng_net *nn = ng_net(seq_file_single_net(seq));
	u32 now = (u32)jiffies, i;
	struct ng_trk_slot s;
	struct ng_trk *t;

	rcu_read_lock();
	t = rcu_dereference(nn->quar.blk);
	for (i = 0; t && i < t->slots; i++) {
		if (ng_blk_read(t, i, now, &s)) {
			if (s.key.family == 4)
				seq_printf(seq, "%pI4", s.key.addr);
			else
				seq_printf(seq, "%pI6c/%u", s.key.addr,
					   s.block.plen);
			seq_printf(seq, " reason=%s expires_ms=%u secs=%u hits=%u\n",
				   ng_detector_name(s.block.reason),
				   jiffies_to_msecs(s.block.expires - now),
				   s.block.secs, s.block.hits);
		}
		if (!(i & 1023)) {
			/* Big tables: stay preemptible in long reads. */
			rcu_read_unlock();
			cond_resched();
			rcu_read_lock();
			t = rcu_dereference(nn->quar.blk);
		}
	}
	rcu_read_unlock();
	return 0;
}

/* anomalies: the ring, oldest first. */
static int ng_proc_anomalies_show(struct seq_file *seq, void *v)
{
	struct ng_net *nn = ng_net(seq_file_single_net(seq));
	struct ng_anomaly *ring, *a;
	u64 total;
	u32 n, i;

	ring = kmalloc_array(NG_RING_SIZE, sizeof(*ring), GFP_KERNEL);
	if (!ring)
		return -ENOMEM;
	n = ng_events_ring_copy(nn, ring, &total);
	seq_printf(seq, "# %llu anomalies recorded, last %u:\n", total, n);
	for (i = 0; i < n; i++) {
		a = &ring[i];
		seq_printf(seq, "%llu %s", a->time_ms, ng_detector_name(a->kind));
		if (a->family == 4)
			seq_printf(seq, " src=%pI4 dst=%pI4", a->src, a->dst);
		else
			seq_printf(seq, " src=%pI6c dst=%pI6c", a->src, a->dst);
		seq_printf(seq, " proto=%u sport=%u dport=%u seg=%u->%u count=%u action=%s",
			   a->proto, a->sport, a->dport, a->src_seg,
			   a->dst_seg, a->count, ng_action_name(a->action));
		if (a->block_secs)
			seq_printf(seq, " %us", a->block_secs);
		seq_putc(seq, '\n');
	}
	kfree(ring);
	return 0;
}

/*
 * Who talks to whom, the policy and who is blocked are for root only (as
 * /proc/net/nf_conntrack is 0440); the aggregate counters stay public.
 */
#define NG_PROC_PUBLIC	0444
#define NG_PROC_PRIVATE	0440

static int __net_init ng_proc_net_init(struct net *net)
{
	struct ng_net *nn = ng_net(net);

	/* proc_net_mkdir tags the directory with @net for single_open_net. */
	nn->proc_dir = proc_net_mkdir(net, "nguard", net->proc_net);
	if (!nn->proc_dir)
		return -ENOMEM;
	if (!proc_create_net_single("stats", NG_PROC_PUBLIC, nn->proc_dir,
				    ng_proc_stats_show, NULL) ||
	    !proc_create_net("segments", NG_PROC_PRIVATE, nn->proc_dir, &ng_seg_seq_ops,
			     sizeof(struct seq_net_private)) ||
	    !proc_create_net("policy", NG_PROC_PRIVATE, nn->proc_dir, &ng_rule_seq_ops,
			     sizeof(struct seq_net_private)) ||
	    !proc_create_net("conns", NG_PROC_PRIVATE, nn->proc_dir, &ng_conns_seq_ops,
			     sizeof(struct ng_conns_seq)) ||
	    !proc_create_net_single("blocked", NG_PROC_PRIVATE, nn->proc_dir,
				    ng_proc_blocked_show, NULL) ||
	    !proc_create_net_single("anomalies", NG_PROC_PRIVATE, nn->proc_dir,
				    ng_proc_anomalies_show, NULL)) {
		proc_remove(nn->proc_dir);
		nn->proc_dir = NULL;
		return -ENOMEM;
	}
	return 0;
}

static void __net_exit ng_proc_net_exit(struct net *net)
{
	struct ng_net *nn = ng_net(net);

	proc_remove(nn->proc_dir);
	nn->proc_dir = NULL;
}

static struct pernet_operations ng_proc_ops = {
	.init = ng_proc_net_init,
	.exit = ng_proc_net_exit,
};

int ng_proc_register(void)
{
	return register_pernet_subsys(&ng_proc_ops);
}

void ng_proc_unregister(void)
{
	unregister_pernet_subsys(&ng_proc_ops);
}
