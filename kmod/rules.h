/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Compiled rule index: first-match evaluation whose cost depends only on
 * the rules that can apply to a (source segment, destination segment)
 * pair, not on the total number of rules. See rules.c.
 */
#ifndef NGUARD_RULES_H
#define NGUARD_RULES_H

#include <linux/types.h>
#include "uapi/nguard.h"

#define NG_RULE_NONE U32_MAX	/* no rule matched: the default decides */
/* A connection kept across a policy change without a verdict (uapi). */
#define NG_RULE_KEPT NGUARD_CONN_RULE_KEPT

/* A rule as the control plane hands it over (file order = index order). */
struct ng_rule {
	u8 action;		/* enum nguard_verdict */
	u8 flags;		/* NGUARD_RULE_* */
	u16 src;		/* segment id or NGUARD_SEGMENT_ANY */
	u16 dst;
	u16 nmatch;		/* terms in matches[match_off ...] */
	u32 match_off;
};

struct ng_span {
	u32 off;
	u32 len;
};

struct ng_pair {
	u32 key;		/* (src << 16 | dst) + 1; 0 = empty slot */
	struct ng_span span;
};

struct ng_rules {
	u32 nrules;
	u32 nseg;		/* highest segment id */
	const struct ng_rule *rules;
	const struct nguard_match *matches;
	u32 *idx;		/* all span contents: ascending rule indices */
	struct ng_span any_any;	/* rules "* -> *" */
	struct ng_span *to;	/* [dst]: rules "* -> dst" */
	struct ng_span *from;	/* [src]: rules "src -> *" */
	struct ng_pair *pairs;	/* open addressing, power-of-two size */
	u32 pair_mask;
};

/*
 * Build the index over @rules (kept by reference, must outlive @r).
 * Segment ids in rules must be <= @nseg or NGUARD_SEGMENT_ANY.
 */
int ng_rules_build(struct ng_rules *r, const struct ng_rule *rules, u32 nrules,
		   const struct nguard_match *matches, u32 nseg, gfp_t gfp);
void ng_rules_destroy(struct ng_rules *r);
/* Index of the first rule matching the packet, or NG_RULE_NONE. */
u32 ng_rules_eval(const struct ng_rules *r, u16 src, u16 dst, u8 proto,
		  u16 dport);

#endif /* NGUARD_RULES_H */
