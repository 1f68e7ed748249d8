// SPDX-License-Identifier: GPL-2.0-only
/*
 * `nguardctl stats [--json]`: GET_STATUS (counters, connection table,
 * policy metadata) plus a POLICY_GET dump for the per-rule hit counters,
 * printed by stats.c. The two requests are not one snapshot: if the
 * policy generation differs between them (an apply in between), both are
 * read again. Counters keep moving meanwhile, as with any `ip -s` style
 * reading.
 */
#include <string.h>
#include "commands.h"
#include "exitcodes.h"
#include "nl.h"
#include "output.h"
#include "policy_dump.h"
#include "stats.h"
#include "status.h"

#define NG_STATS_TRIES	5	/* reads until status and dump agree */

int cmd_stats(int argc, char **argv)
{
	struct ng_policy_dump d;
	struct ng_policy p;
	struct ng_status st;
	struct ng_nl nl;
	int rc, tries = 0;
	bool json;

	rc = ng_parse_json_flag(argc, argv, "stats", "argument", &json);
	if (rc)
		return rc;
	rc = ng_nl_open(&nl);
	if (rc)
		return rc;
	ng_policy_init(&p);
	memset(&d, 0, sizeof(d));
	d.p = &p;
	do {
		ng_policy_free(&p);
		rc = ng_status_fetch(&nl, &st);
		if (!rc)
			rc = ng_policy_fetch_dump(&nl, &d);
	} while (!rc && st.policy_gen != d.gen && ++tries < NG_STATS_TRIES);
	ng_nl_close(&nl);
	if (!rc && st.policy_gen != d.gen) {
		fprintf(stderr, "nguardctl: the policy kept changing while reading it (generation %llu, then %llu); try again\n",
			(unsigned long long)st.policy_gen, (unsigned long long)d.gen);
		rc = NG_EXIT_ERROR;
	}
	if (!rc && st.policy_gen && !st.mode)
		st.mode = p.mode;	/* the dump's settings carry it too */
	if (!rc && json)
		rc = ng_print_json(ng_stats_json(&st, &d));
	else if (!rc)
		ng_stats_print(stdout, &st, &d);
	ng_policy_free(&p);
	return rc;
}
