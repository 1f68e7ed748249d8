/* SPDX-License-Identifier: GPL-2.0-only */
/* `nguardctl stats`: every counter, the connection table and rule hits. */
#ifndef NGUARDCTL_STATSCMD_H
#define NGUARDCTL_STATSCMD_H

#include <stdio.h>
#include <json-c/json.h>
#include "show.h"
#include "status.h"

/* @d: the POLICY_GET dump of the same generation as @st (d->gen 0: none). */
json_object *ng_stats_json(const struct ng_status *st, const struct ng_policy_dump *d);
void ng_stats_print(FILE *f, const struct ng_status *st, const struct ng_policy_dump *d);
int cmd_stats(int argc, char **argv);

#endif
