/* SPDX-License-Identifier: GPL-2.0-only */
/* What `nguardctl stats` prints: every counter, the connection table and rule hits. */
#ifndef NGUARDCTL_STATS_H
#define NGUARDCTL_STATS_H

#include <stdio.h>
#include <json-c/json.h>
#include "policy_dump.h"
#include "status.h"

/* @d: the POLICY_GET dump of the same generation as @st (d->gen 0: none). */
json_object *ng_stats_json(const struct ng_status *st, const struct ng_policy_dump *d);
void ng_stats_print(FILE *f, const struct ng_status *st, const struct ng_policy_dump *d);

#endif
