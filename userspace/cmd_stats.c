// SPDX-License-Identifier: GPL-2.0-only
/*
 * `nguardctl stats [--json]`: GET_STATUS (counters, connection table,
 * policy metadata) plus a POLICY_GET dump for the per-rule hit counters
 * (ng_stats_fetch, which reads both again if an apply came in between),
 * printed by stats.c. Counters keep moving meanwhile, as with any `ip -s`
 * style reading.
 */
#include "commands.h"
#include "exitcodes.h"
#include "nl.h"
#include "output.h"
#include "policy_dump.h"
#include "stats.h"
#include "status.h"

int cmd_stats(int argc, char **argv)
{
	struct ng_policy_dump d;
	struct ng_policy p;
	struct ng_status st;
	struct ng_nl nl;
	bool json;
	int rc;

	rc = ng_parse_json_flag(argc, argv, "stats", "argument", &json);
	if (rc)
		return rc;
	rc = ng_nl_open(&nl);
	if (rc)
		return rc;
	rc = ng_stats_fetch(&nl, &st, &d, &p);
	ng_nl_close(&nl);
	if (!rc && json)
		rc = ng_print_json(ng_stats_json(&st, &d));
	else if (!rc)
		ng_stats_print(stdout, &st, &d);
	ng_policy_free(&p);
	return rc;
}
