/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Anomaly detectors on the packet path: they keep evidence in the
 * namespace's tracker table and say what fired; the caller (enforce.c)
 * reports it and applies the actions. See detect.c.
 */
#ifndef NGUARD_DETECT_H
#define NGUARD_DETECT_H

#include <linux/rcupdate.h>
#include <linux/types.h>

struct ng_detector;
struct ng_judgement;
struct ng_net;
struct ng_pkt;
struct ng_policy;
struct ng_trk;

/* Per-namespace state, part of struct ng_net. */
struct ng_detect_state {
	struct ng_trk __rcu *trk;	/* NULL unless a detector needs it */
};

/* One detector that fired on a packet. */
struct ng_detect_fired {
	const struct ng_detector *d;
	u32 count;		/* its measure: score, hosts, flags, rate, hits */
	const char *why;	/* tcpflags: which anomaly */
	bool first;		/* first of its episode: report it */
	bool heavy;		/* the source alone earned it: may be blocked */
};

#define NG_DETECT_FIRED_MAX	5	/* one per kind */

struct ng_detect_result {
	u8 src[16];		/* the source as evidence is keyed (IPv6: prefix) */
	u32 n;
	struct ng_detect_fired fired[NG_DETECT_FIRED_MAX];
};

/*
 * Run the policy's detectors on a packet the policy judged (@j); counts
 * each anomaly's first firing. Returns how many fired (in @r).
 * Under rcu_read_lock.
 */
u32 ng_detect(struct ng_net *nn, const struct ng_policy *p,
	      const struct ng_pkt *pkt, const struct ng_judgement *j,
	      struct ng_detect_result *r);
/* Does what fired drop the packet (an action other than log, enforcing)? */
bool ng_detect_drops(const struct ng_policy *p,
		     const struct ng_detect_result *r);
/* The action reports show: "log" for every detector in monitor mode. */
u8 ng_detect_shown_action(const struct ng_policy *p,
			  const struct ng_detector *d);
/* The detail of a report, e.g. "dport=23 score=21". */
void ng_detect_detail(const struct ng_detect_fired *f,
		      const struct ng_pkt *pkt, char *buf, size_t len);

/*
 * A policy was published: size the tracker table it needs and return the
 * one it replaced, to destroy after a grace period. nn->lock held,
 * process context.
 */
struct ng_trk *ng_detect_policy_changed(struct ng_net *nn,
					const struct ng_policy *p);

#endif /* NGUARD_DETECT_H */
