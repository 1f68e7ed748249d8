// SPDX-License-Identifier: GPL-2.0-only
/*
 * `nguardctl conns [--json]`: the live policy (POLICY_GET) for the
 * segment names, then the connection table (CONNS_GET dump, conns.c).
 */
#include "commands.h"
#include "conns.h"
#include "exitcodes.h"
#include "nl.h"
#include "output.h"
#include "policy_dump.h"

int cmd_conns(int argc, char **argv)
{
	struct ng_conn_list l = { 0 };
	struct ng_policy p;
	struct nl_msg *m;
	struct ng_nl nl;
	uint64_t gen;
	bool json;
	int rc;

	rc = ng_parse_json_flag(argc, argv, "conns", "argument", &json);
	if (rc)
		return rc;
	rc = ng_nl_open(&nl);
	if (rc)
		return rc;
	rc = ng_policy_fetch(&nl, &p, &gen);
	if (!rc) {
		m = ng_nl_msg(&nl, NGUARD_CMD_CONNS_GET, NLM_F_DUMP);
		rc = m ? ng_nl_transact(&nl, m, ng_conns_dump_msg, &l) : NG_EXIT_ERROR;
	}
	ng_nl_close(&nl);
	if (!rc && l.bad) {
		fprintf(stderr, "nguardctl: unexpected connection dump from kernel module: %s missing or malformed (version mismatch?)\n",
			l.bad);
		rc = NG_EXIT_ERROR;
	}
	if (!rc && json)
		rc = ng_print_json(ng_conns_json(&l, &p));
	else if (!rc)
		ng_conns_print(stdout, &l, &p);
	ng_conns_free(&l);
	ng_policy_free(&p);
	return rc;
}
