/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `nguardctl metrics`: the module's state as Prometheus metrics (text
 * exposition format), for node_exporter's textfile collector.
 */
#ifndef NGUARDCTL_METRICS_H
#define NGUARDCTL_METRICS_H

#include <stddef.h>
#include <stdio.h>
#include "blocked.h"
#include "policy_dump.h"
#include "status.h"

/* Rules with their own nguard_rule_hits_total series by default (--max-rules). */
#define NG_METRICS_RULES_DEFAULT	100

struct ng_metrics {
	/* NULL: the module could not be reached; only nguard_up 0 is written. */
	const struct ng_status *st;
	const struct ng_policy_dump *d;		/* same generation as @st */
	const struct ng_block_list *blocked;	/* the quarantine */
	int txn_open;		/* an apply in progress: 1, 0; -1 unknown (not written) */
	size_t max_rules;	/* rules of index >= this are folded into rule="other" */
};

/* Every metric, HELP and TYPE first, each family's samples together. */
void ng_metrics_print(FILE *f, const struct ng_metrics *m);

#endif
