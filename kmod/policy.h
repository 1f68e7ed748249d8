/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Policy objects: the draft a transaction fills, and the compiled,
 * immutable policy the packet path reads under RCU. See policy.c.
 */
#ifndef NGUARD_POLICY_H
#define NGUARD_POLICY_H

#include <linux/if.h>
#include <linux/kref.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include "ratelimit.h"
#include "rules.h"
#include "srccount.h"
#include "uapi/nguard.h"

struct ng_lpm;
struct ng_obs;
struct net_device;

/* Rule hit counters: per-CPU chunks (one percpu allocation is <= 32 KiB). */
#define NG_HITS_CHUNK	4096

struct ng_pfx {
	u8 addr[16];		/* IPv4 in the first 4 bytes, network order */
	u8 plen;
	u8 family;		/* 4 or 6 */
	u16 seg;
};

/* An "exempt" entry: a segment (seg != 0) or a prefix. */
struct ng_exempt {
	u8 addr[16];		/* IPv4 in the first 4 bytes, network order */
	u8 plen;
	u8 family;		/* 4 or 6; 0 for a segment */
	u16 seg;
	u32 line;
};

struct ng_iface {
	char name[IFNAMSIZ];
	u16 seg;
};

/* One "detect" statement (uapi enum nguard_detect_attr). */
struct ng_detector {
	u8 kind;		/* enum nguard_detector */
	u8 action;		/* enum nguard_action */
	u16 from;		/* segment or NGUARD_SEGMENT_ANY */
	u16 to;
	u32 block_secs;
	u32 rate;		/* synflood: new connections per second */
	u32 burst;
	u32 weight;		/* portscan threshold */
	u32 window_ms;		/* portscan, sweep */
	u32 hosts;		/* sweep threshold */
	u32 line;
	/* bruteforce: threshold in window_ms, the service (one protocol) */
	u32 hits;
	u8 proto;
	u8 nports;
	struct { u16 lo, hi; } ports[NGUARD_MAX_DETECT_PORTS];
};

/* "limit conn": per-connection token buckets, 0 = no limit. */
struct ng_conn_limit {
	u32 rate;		/* packets per second */
	u32 burst;
	u64 bytes;		/* bytes per second */
	u64 bytes_burst;
};

/* Everything a policy holds, as sent by nguardctl (and dumped back). */
struct ng_policy_src {
	u8 mode;
	u8 dflt;
	u32 conns_max;
	u32 nseg;
	char (*names)[NGUARD_SEGMENT_NAME_MAX];	/* [0] = "world" */
	u32 seg_cap;
	struct ng_pfx *pfx;
	u32 npfx, pfx_cap;
	struct ng_iface *ifaces;
	u32 nifaces, iface_cap;
	struct ng_rule *rules;
	u32 nrules, rule_cap;
	u32 *lines;
	char **texts;
	struct nguard_match *matches;
	u32 nmatches, match_cap;
	/* Anomaly detection. */
	struct ng_detector det[NGUARD_MAX_DETECTORS];
	u32 ndet;
	struct ng_conn_limit limit;
	u32 log_rate;		/* 0 = NG_LOG_RATE */
	u32 log_burst;
	u32 trackers_max;	/* 0 = sized from RAM */
	u32 blocked_max;	/* 0 = default */
	struct ng_exempt *exempt;	/* sources never quarantined */
	u32 nexempt, exempt_cap;
	u8 v6_src_plen;		/* "ipv6 source prefix"; 0 = NG_V6_SRC_PLEN */
	u32 limit_source;	/* "limit source": connections, 0 = none */
	u32 observe_max;	/* "observe max": aggregates, 0 = off */
};

/* An IPv6 source is its /64 unless the policy says otherwise. */
#define NG_V6_SRC_PLEN	64

struct ng_policy {
	struct kref ref;
	struct rcu_work free_work;	/* after the last put */
	u64 gen;
	struct ng_policy_src src;
	struct ng_lpm *lpm;
	struct ng_rules index;
	struct ng_seg_count *counts;	/* [nseg + 1], for /proc */
	u16 *iface_slots;	/* name hash: ifaces index + 1; 0 = empty */
	u32 iface_mask;
	u64 __percpu **hits;	/* [nrules + 1] in chunks; last = default */
	u32 nhit_chunks;
	struct ng_limit_rt limit;	/* "limit conn", compiled */
	u64 applied;		/* wall clock seconds, set at publish */
	/* observed flows (observe.c); replaced by a clear, under the netns lock */
	struct ng_obs __rcu *obs;
	u64 compile_ns;
};

/* Members per segment, counted once at compile time. */
struct ng_seg_count {
	u32 v4;
	u32 v6;
	u32 ifaces;
};

/* Outcome of judging one packet (or a trace). */
struct ng_judgement {
	u16 src_seg;
	u16 dst_seg;
	u8 verdict;		/* enum nguard_verdict */
	u32 rule;		/* index or NG_RULE_NONE (default) */
};

void ng_src_init(struct ng_policy_src *s);
void ng_src_free(struct ng_policy_src *s);
int ng_src_add_segment(struct ng_policy_src *s, u16 id, const char *name);
int ng_src_add_prefix(struct ng_policy_src *s, u16 seg, u8 family,
		      const u8 *addr, u8 plen);
int ng_src_add_iface(struct ng_policy_src *s, u16 seg, const char *name);
/* @e: a segment id (checked at compile) or a prefix (checked here). */
int ng_src_add_exempt(struct ng_policy_src *s, const struct ng_exempt *e);
int ng_src_add_rule(struct ng_policy_src *s, const struct ng_rule *rule,
		    const struct nguard_match *m, u16 nmatch, u32 line,
		    const char *text);

/*
 * Compile @src (moved into the policy on success, left intact on error);
 * the caller sets ->gen before publishing.
 */
struct ng_policy *ng_policy_compile(struct ng_policy_src *src, const char **why);
void ng_policy_put(struct ng_policy *p);
/* The free workqueue: before the first compile, after the last put. */
int ng_policy_module_init(void);
void ng_policy_module_exit(void);
bool ng_policy_tryget(struct ng_policy *p);

/*
 * Judge a packet. @in / @out: the interface it arrived on / leaves by, if
 * known (NULL otherwise); they classify an address that no prefix covers
 * when the policy has "iface" members.
 */
void ng_policy_judge(const struct ng_policy *p, u8 family, const u8 *saddr,
		     const u8 *daddr, u8 proto, u16 dport,
		     const struct net_device *in, const struct net_device *out,
		     struct ng_judgement *j);

/* Segment of @addr by prefix alone (world if none covers it). */
u16 ng_policy_classify(const struct ng_policy *p, u8 family, const u8 *addr);

/*
 * Sources as the detectors and the quarantine see them: an IPv4 address,
 * or an IPv6 address's prefix of the policy's length (@p may be NULL).
 */
static inline u8 ng_policy_src_plen(const struct ng_policy *p, u8 family)
{
	if (family == 4)
		return 32;
	return p && p->src.v6_src_plen ? p->src.v6_src_plen : NG_V6_SRC_PLEN;
}

/* @addr with the bits past @plen cleared, into @out (16 bytes). */
static inline void ng_src_mask(u8 family, const u8 *addr, u8 plen, u8 *out)
{
	u32 i;

	memset(out, 0, 16);
	memcpy(out, addr, family == 4 ? 4 : 16);
	if (family == 4)
		return;
	for (i = (plen + 7) / 8; i < 16; i++)
		out[i] = 0;
	if (plen % 8)
		out[plen / 8] &= 0xff & (0xff << (8 - plen % 8));
}

/* Generation of the policy published at @pp, 0 in pass-through. */
static inline u64 ng_policy_gen_of(struct ng_policy __rcu *const *pp)
{
	const struct ng_policy *p;
	u64 gen;

	rcu_read_lock();
	p = rcu_dereference(*pp);
	gen = p ? p->gen : 0;
	rcu_read_unlock();
	return gen;
}

/* The source @addr as "limit source" counts it. */
static inline void ng_policy_src_key(const struct ng_policy *p, u8 family,
				     const u8 *addr, struct ng_src_key *out)
{
	ng_src_mask(family, addr, ng_policy_src_plen(p, family), out->addr);
	out->family = family;
	memset(out->pad, 0, sizeof(out->pad));
}

/*
 * Is the source @addr, classified into @seg, exempt from quarantine?
 * Any context; a scan of the "exempt" entries (the block path only).
 */
bool ng_policy_exempt(const struct ng_policy *p, u8 family, const u8 *addr,
		      u16 seg);

/* Count a packet decided by rule @rule (NG_RULE_NONE: the default). */
static inline void ng_policy_hit(const struct ng_policy *p, u32 rule)
{
	u32 i = rule == NG_RULE_NONE ? p->src.nrules : rule;

	this_cpu_inc(*(p->hits[i / NG_HITS_CHUNK] + i % NG_HITS_CHUNK));
}

/* Hits of @rule (NG_RULE_NONE: the default), summed over CPUs. */
u64 ng_policy_hits(const struct ng_policy *p, u32 rule);

#endif /* NGUARD_POLICY_H */
