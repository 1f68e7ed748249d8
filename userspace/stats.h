/* SPDX-License-Identifier: GPL-2.0-only */
/* What `nguardctl stats` prints: every counter, the connection table and rule hits. */
#ifndef NGUARDCTL_STATS_H
#define NGUARDCTL_STATS_H

#include <stdio.h>
#include <json-c/json.h>
#include "policy_dump.h"
#include "status.h"

/*
 * GET_STATUS and a POLICY_GET dump of the same generation on an open
 * session (`stats`, `metrics`): @p is initialized here and holds the
 * rules with their hits (free it with ng_policy_free, also on error),
 * d->p points to it. The two requests are not one snapshot: if the
 * generations differ (an apply in between), both are read again, a few
 * times. Returns an exit code, the message printed.
 */
int ng_stats_fetch(struct ng_nl *nl, struct ng_status *st, struct ng_policy_dump *d,
		   struct ng_policy *p);
/* @d: the POLICY_GET dump of the same generation as @st (d->gen 0: none). */
json_object *ng_stats_json(const struct ng_status *st, const struct ng_policy_dump *d);
void ng_stats_print(FILE *f, const struct ng_status *st, const struct ng_policy_dump *d);

#endif
