/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reading the live policy back from the kernel (show, save, trace, stats,
 * conns, monitor), and printing it as `nguardctl show` does.
 */
#ifndef NGUARDCTL_POLICY_DUMP_H
#define NGUARDCTL_POLICY_DUMP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <netlink/attr.h>
#include "nl.h"
#include "policy.h"

/* A POLICY_GET dump being collected; rule hits land in p->rules[i].hits. */
struct ng_policy_dump {
	struct ng_policy *p;
	uint64_t gen;		/* 0: no policy (the dump was empty) */
	uint64_t default_hits;	/* NGUARD_A_DEFAULT_HITS of the settings message */
	const char *bad;	/* first missing or malformed attribute, or NULL */
	bool settings_only;	/* skip segments, rules and exempt lines (trace) */
};

/* Add one dump message to @d (reply callback shape; always returns 0). */
int ng_policy_dump_msg(struct nl_msg *msg, void *d);
/* Dump the live policy into d->p (initialized here). Returns an exit code. */
int ng_policy_fetch_dump(struct ng_nl *nl, struct ng_policy_dump *d);
/* Dump the live policy into @p (initialized here); *gen = 0 if none. */
int ng_policy_fetch(struct ng_nl *nl, struct ng_policy *p, uint64_t *gen);
/*
 * Append the rule in a NGUARD_A_RULE-shaped nest to @p (with its hits);
 * -1 if an attribute is missing or has the wrong size.
 */
int ng_rule_from_attr(struct ng_policy *p, struct nlattr *nest, uint32_t *index);
/*
 * Open a netlink session and dump the live policy into @p (always
 * initialized, free it with ng_policy_free); *gen = 0 if none. Returns
 * an exit code, the message printed.
 */
int ng_show_fetch(struct ng_policy *p, uint64_t *gen);
/*
 * The text `nguardctl show` prints for a fetched policy: a comment with
 * the generation, then the policy as a file that applies to the same
 * policy (a pass-through comment when @gen is 0). Also `nguardctl save`.
 */
void ng_show_print(FILE *f, const struct ng_policy *p, uint64_t gen);
#endif
