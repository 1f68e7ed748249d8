/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nguard internal interfaces: the per-network-namespace state and the
 * entry points each subsystem file exports to main.c.
 */
#ifndef NGUARD_H
#define NGUARD_H

#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include "compat.h"
#include "detect.h"
#include "log.h"
#include "stats.h"

struct ng_conntab;
struct ng_policy;
struct ng_policy_src;
struct nf_hook_state;

/* One per network namespace, allocated by the pernet core (net_generic). */
struct ng_net {
	struct ng_stats stats;
	/* Live policy (NULL = pass-through); RCU readers, writers hold lock. */
	struct ng_policy __rcu *policy;
	struct ng_conntab *ct;		/* tracked connections (conntab.c) */
	struct ng_log log;		/* drop reports (log.c) */
	struct ng_detect_net det;	/* anomaly detection (detect.h) */
	struct net *net;		/* the namespace this state belongs to */
	bool attached;			/* hooks registered (under lock) */
	bool defrag4, defrag6;		/* nf_defrag enabled by us */
	struct proc_dir_entry *proc_dir;

	/* Control plane only (txn.c), all under lock. */
	struct mutex lock;
	u64 gen_seq;			/* last generation handed out */
	struct ng_policy_src *draft;	/* open transaction, or NULL */
	u32 draft_portid;		/* its owner, also while committing */
	bool committing;		/* COMMIT compiling outside the lock */
	struct ng_policy *rollback;	/* restored if not confirmed */
	bool rollback_armed;
	u32 confirm_secs;
	struct delayed_work confirm_work;
};

struct ng_net *ng_net(const struct net *net);
/* Generation of the live policy, 0 in pass-through. */
u64 ng_policy_gen(struct ng_net *nn);

extern struct genl_family ng_genl_family;
extern const struct nla_policy ng_add_policy[NGUARD_A_MAX + 1];
extern const struct nla_policy ng_trace_policy[NGUARD_A_MAX + 1];
extern const struct nla_policy ng_unblock_policy[NGUARD_A_MAX + 1];

int ng_netns_register(void);
void ng_netns_unregister(void);
/*
 * Hooks and nf_defrag of a namespace, present only while it has a policy
 * (netns.c). nn->lock held, process context.
 */
int ng_netns_attach(struct ng_net *nn);
void ng_netns_detach(struct ng_net *nn);

int ng_hooks_register(struct net *net);
void ng_hooks_unregister(struct net *net);

/* enforce.c: the verdict on one packet, under rcu_read_lock. */
unsigned int ng_enforce(struct ng_net *nn, struct sk_buff *skb, u8 family,
			const struct nf_hook_state *state);
/*
 * enforce_ctl.c: make the tracked connections follow a newly published
 * policy (NULL: pass-through). nn->lock held, process context.
 */
void ng_enforce_policy_changed(struct ng_net *nn, struct ng_policy *pol,
			       const struct ng_policy *old);

int ng_proc_init(struct net *net, struct ng_net *nn);
void ng_proc_exit(struct net *net, struct ng_net *nn);

int ng_genl_register(void);
void ng_genl_unregister(void);

/* txn.c */
int ng_txn_register(void);
void ng_txn_unregister(void);
void ng_txn_net_init(struct ng_net *nn);
void ng_txn_net_exit(struct ng_net *nn);
int ng_cmd_policy_begin(struct sk_buff *skb, struct genl_info *info);
int ng_cmd_policy_add(struct sk_buff *skb, struct genl_info *info);
int ng_cmd_policy_commit(struct sk_buff *skb, struct genl_info *info);
int ng_cmd_policy_abort(struct sk_buff *skb, struct genl_info *info);
int ng_cmd_policy_confirm(struct sk_buff *skb, struct genl_info *info);
int ng_cmd_policy_flush(struct sk_buff *skb, struct genl_info *info);

/* conns_nl.c */
int ng_put_conntab(struct sk_buff *skb, const struct ng_net *nn);
size_t ng_conntab_nl_size(void);
int ng_conns_dumpit(struct sk_buff *skb, struct netlink_callback *cb);

/* policy_nl.c */
int ng_draft_add(struct ng_policy_src *d, struct genl_info *info);
int ng_policy_dump_start(struct netlink_callback *cb);
int ng_policy_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int ng_policy_dump_done(struct netlink_callback *cb);
int ng_cmd_trace(struct sk_buff *skb, struct genl_info *info);

#endif /* NGUARD_H */
