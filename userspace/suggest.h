/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `nguardctl suggest`: a policy that allows the observed traffic the
 * policy denied (suggest.c). Pure: a policy model and an observed-flow
 * list in, policy text out.
 */
#ifndef NGUARDCTL_SUGGEST_H
#define NGUARDCTL_SUGGEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "observed.h"
#include "policy.h"

struct ng_suggest_opts {
	uint64_t now;		/* Unix seconds, for the header */
	bool enforce;		/* print "mode enforce" instead of the policy's mode */
};

/* What ng_suggest() wrote, for the summary on standard error. */
struct ng_suggest_count {
	size_t rules;		/* allow rules added */
	size_t flows;		/* observed aggregates they cover */
	size_t world;		/* aggregates from world, left for review */
	size_t by_rule;		/* aggregates a rule of the policy denies, for review */
	size_t unknown;		/* aggregates whose segment @p does not have */
};

/*
 * Judge one observed service against @p as the module would, by segment
 * names: the index of the first rule that matches (or -1 for the
 * default) and its verdict. @src/@dst: segment names ("world" for none).
 */
enum ng_verdict ng_suggest_judge(const struct ng_policy *p, const char *src, const char *dst,
				 uint8_t proto, uint16_t port, long *rule);

/*
 * Print @p (its canonical form) followed by the suggested rules: per
 * segment pair and protocol one "allow" rule with the ports that
 * observed connections needed and @p denies by its default, each with a
 * comment giving its evidence. Flows from world and flows a rule of @p
 * denies are listed as comments for review, never allowed. Returns 0,
 * or -1 on ENOMEM.
 */
int ng_suggest(FILE *f, const struct ng_policy *p, const struct ng_observed_list *l,
	       const struct ng_suggest_opts *o, struct ng_suggest_count *c);

#endif
