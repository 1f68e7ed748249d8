/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nguard internal interfaces: the per-network-namespace state and the
 * entry points each subsystem file exports to main.c.
 */
#ifndef NGUARD_H
#define NGUARD_H

#include <linux/types.h>
#include <net/net_namespace.h>
#include "stats.h"

/* One per network namespace, allocated by the pernet core (net_generic). */
struct ng_net {
	struct ng_stats stats;
	/* Generation of the live policy; 0 while no policy is loaded. */
	u64 policy_gen;
	struct proc_dir_entry *proc_dir;
};

struct ng_net *ng_net(const struct net *net);

int ng_netns_register(void);
void ng_netns_unregister(void);

int ng_hooks_register(struct net *net);
void ng_hooks_unregister(struct net *net);

int ng_proc_init(struct net *net, struct ng_net *nn);
void ng_proc_exit(struct net *net, struct ng_net *nn);

int ng_genl_register(void);
void ng_genl_unregister(void);

#endif /* NGUARD_H */
