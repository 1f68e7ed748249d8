/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What is module-wide: the per-network-namespace state every layer works
 * on, and its accessor. Each object's functions are declared in its own
 * header; the layers are drawn in Documentation/theory-of-operation.md.
 */
#ifndef NGUARD_H
#define NGUARD_H

#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include "compat.h"
#include "detect.h"
#include "events.h"
#include "log.h"
#include "quarantine.h"
#include "stats.h"

struct ng_conntab;
struct ng_policy;
struct ng_policy_src;

/* One per network namespace, allocated by the pernet core (netns.c). */
struct ng_net {
	struct ng_stats stats;
	/* Live policy (NULL = pass-through); RCU readers, writers hold lock. */
	struct ng_policy __rcu *policy;
	struct ng_conntab *ct;		/* tracked connections (conntab.c) */
	struct ng_log log;		/* drop reports (log.c) */
	struct ng_detect_state det;	/* detectors' evidence (detect.c) */
	struct ng_quarantine quar;	/* blocked sources (quarantine.c) */
	struct ng_events ev;		/* event rate, anomaly ring (events.c) */
	struct net *net;		/* the namespace this state belongs to */
	bool attached;			/* hooks registered (under lock) */
	bool defrag4, defrag6;		/* nf_defrag enabled by us */
	struct proc_dir_entry *proc_dir;	/* proc.c */

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

extern unsigned int ng_net_id;	/* netns.c */

static inline struct ng_net *ng_net(const struct net *net)
{
	return net_generic(net, ng_net_id);
}

#endif /* NGUARD_H */
