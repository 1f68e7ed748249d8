/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reports and monitor events: what nguard tells the operator about
 * anomalies, blocks and policy changes (dmesg line, ring of recent
 * anomalies, "events" multicast group). See events.c.
 */
#ifndef NGUARD_EVENTS_H
#define NGUARD_EVENTS_H

#include <linux/spinlock.h>
#include <linux/types.h>
#include "log.h"

struct genl_family;
struct ng_judgement;
struct ng_net;
struct ng_pkt;
struct ng_policy;

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

/* Per-namespace state, part of struct ng_net. */
struct ng_events {
	struct ng_log log;		/* monitor events' rate limit */
	spinlock_t ring_lock;		/* trylock'ed on the packet path */
	u32 ring_next;
	u64 ring_total;
	struct ng_anomaly ring[NG_RING_SIZE];
};

/*
 * The family whose "events" group carries the events, once registered
 * (netlink.c); NULL before and after: no event is sent.
 */
void ng_events_set_family(const struct genl_family *family);

void ng_events_net_init(struct ng_net *nn);
void ng_events_net_exit(struct ng_net *nn);
/* Events' rate follows the policy's log rate (0: the default). */
void ng_events_set_rate(struct ng_net *nn, u32 rate, u32 burst);

/* An anomaly: dmesg line, ring, event. Any context. */
void ng_anomaly_report(struct ng_net *nn, const struct ng_policy *p,
		       const struct ng_pkt *pkt, const struct ng_judgement *j,
		       u8 kind, u8 action, u32 block_secs, u32 count,
		       const char *detail);
/*
 * A block, expiry or manual unblock (@type NGUARD_EVENT_*): a dmesg line
 * for blocks and expiries, an event for each; rate-limited except what an
 * administrator did (unblocks, blocks with reason manual). Any context.
 */
void ng_event_block(struct ng_net *nn, u8 type, u8 family, const u8 *addr,
		    u8 plen, u8 reason, u32 secs);
/* Apply, rollback, flush (control plane, not rate-limited). */
void ng_event_policy(struct ng_net *nn, u8 type, u64 gen);

/*
 * The ring, oldest first, into @out (NG_RING_SIZE entries): how many it
 * holds; *@total: anomalies recorded since the namespace started.
 */
u32 ng_events_ring_copy(struct ng_net *nn, struct ng_anomaly *out,
			u64 *total);

const char *ng_detector_name(u8 kind);
const char *ng_action_name(u8 action);

#endif /* NGUARD_EVENTS_H */
