/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Anomaly detection: detectors on the packet path (detect.c), the
 * quarantine (quarantine.c) and the reports they produce (anomaly.c).
 */
#ifndef NGUARD_DETECT_H
#define NGUARD_DETECT_H

#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include "log.h"
#include "uapi/nguard.h"

struct ng_net;
struct nf_hook_state;
struct ng_pkt;
struct ng_policy;
struct ng_judgement;
struct ng_trk;
struct net;
struct sk_buff;
struct netlink_callback;
struct genl_info;
struct seq_file;

/* Recent anomalies, for /proc/net/nguard/anomalies. */
#define NG_RING_SIZE	128

struct ng_anomaly {
	u64 time_ms;		/* ktime_get_real, ms */
	u8 family;
	u8 kind;		/* enum nguard_detector */
	u8 action;		/* enum nguard_action */
	u8 proto;
	u8 src[16];
	u8 dst[16];
	u16 sport, dport;
	u16 src_seg, dst_seg;
	u32 count;
	u32 block_secs;
};

/* Per-namespace detection state, part of struct ng_net. */
struct ng_detect_net {
	struct ng_trk __rcu *trk;	/* trackers (detect.c) */
	struct ng_trk __rcu *blk;	/* quarantine (quarantine.c) */
	struct ng_log evlog;		/* monitor events' rate limit */
	struct delayed_work blk_gc;
	u32 blk_cursor;
	spinlock_t ring_lock;		/* trylock'ed on the packet path */
	u32 ring_next;
	u64 ring_total;
	struct ng_anomaly ring[NG_RING_SIZE];
};

/* Verdict of the detectors on one packet. */
enum ng_detect_verdict {
	NG_DETECT_PASS,
	NG_DETECT_DROP,
};

void ng_detect_net_init(struct ng_net *nn);
void ng_detect_net_exit(struct ng_net *nn);
/* Tables a policy change unpublished, to free after a grace period. */
struct ng_det_retired {
	struct ng_trk *trk;
	struct ng_trk *blk;
};

/*
 * A policy was published (NULL: pass-through): size the tables it needs
 * and unpublish what it does not; the caller waits for a grace period
 * (one for everything the change retired) before
 * ng_detect_retired_free(), which carries live blocks into a resized
 * quarantine. nn->lock held, process context.
 */
void ng_detect_policy_changed(struct ng_net *nn, const struct ng_policy *p,
			      struct ng_det_retired *old);
void ng_detect_retired_free(struct ng_net *nn, struct ng_det_retired *old);
/* Live blocks of a retired quarantine into the new one (quarantine.c). */
u32 ng_blk_migrate(struct ng_net *nn, const struct ng_trk *from,
		   struct ng_trk *to);

/* Packet path, under rcu_read_lock. */
bool ng_quarantined(struct ng_net *nn, const struct ng_policy *p,
		    const struct ng_pkt *pkt);
enum ng_detect_verdict ng_detect(struct ng_net *nn, const struct ng_policy *p,
				 const struct ng_pkt *pkt,
				 const struct ng_judgement *j,
				 const struct nf_hook_state *state);
/*
 * Quarantine @addr for @secs (IPv6: the prefix @addr/@plen, host bits
 * already cleared); false if the table is full.
 */
bool ng_block(struct ng_net *nn, u8 family, const u8 *addr, u8 plen,
	      u8 reason, u32 secs);

/* Reports: dmesg line, ring, monitor event (anomaly.c). */
void ng_anomaly_report(struct ng_net *nn, const struct ng_policy *p,
		       const struct ng_pkt *pkt, const struct ng_judgement *j,
		       u8 kind, u8 action, u32 block_secs, u32 count,
		       const char *detail);
void ng_event_block(struct ng_net *nn, u8 type, u8 family, const u8 *addr,
		    u8 plen, u8 reason, u32 secs);
void ng_event_policy(struct ng_net *nn, u8 type, u64 gen);
const char *ng_detector_name(u8 kind);

/* Netlink and /proc. */
int ng_blocked_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int ng_cmd_unblock(struct sk_buff *skb, struct genl_info *info);
int ng_proc_blocked_show(struct seq_file *seq, void *v);
int ng_proc_anomalies_show(struct seq_file *seq, void *v);

#endif /* NGUARD_DETECT_H */
