// SPDX-License-Identifier: GPL-2.0-only
/*
 * `nguardctl blocked [--json]`: the quarantine (BLOCKED_GET dump,
 * blocked.c). `nguardctl unblock ADDR|PREFIX|all` lifts one block or all
 * of them (NGUARD_CMD_UNBLOCK); an IPv6 ADDR/LEN is sent as the address
 * with its host bits cleared and the length, a plain IPv6 address alone
 * (the kernel takes its prefix of the live policy's length). An address
 * that is not blocked is an error (exit 1) with the kernel's message.
 */
#include <errno.h>
#include "blocked.h"
#include "commands.h"
#include "exitcodes.h"
#include "nl.h"
#include "output.h"

int cmd_blocked(int argc, char **argv)
{
	struct ng_block_list l = { 0 };
	struct ng_nl nl;
	bool json;
	int rc;

	rc = ng_parse_json_flag(argc, argv, "blocked", "argument", &json);
	if (rc)
		return rc;
	rc = ng_nl_open(&nl);
	if (rc)
		return rc;
	rc = ng_blocked_fetch(&nl, &l);
	ng_nl_close(&nl);
	ng_blocked_sort(&l);
	if (!rc && json)
		rc = ng_print_json(ng_blocked_json(&l));
	else if (!rc)
		ng_blocked_print(stdout, &l);
	ng_blocked_free(&l);
	return rc;
}

/* The UNBLOCK request for @r; NULL if out of memory. */
static struct nl_msg *ng_unblock_msg(struct ng_nl *nl, const struct ng_unblock_req *r)
{
	struct nl_msg *m = ng_nl_msg(nl, NGUARD_CMD_UNBLOCK, 0);
	struct nlattr *nest;

	if (!m || !r->alen)
		return m;
	nest = nla_nest_start(m, NGUARD_A_BLOCK);
	if (!nest || nla_put(m, NGUARD_BLOCK_A_ADDR, r->alen, r->addr) ||
	    (r->prefix_len && nla_put_u8(m, NGUARD_BLOCK_A_PREFIX_LEN, r->prefix_len))) {
		nlmsg_free(m);
		return NULL;
	}
	nla_nest_end(m, nest);
	return m;
}

int cmd_unblock(int argc, char **argv)
{
	struct ng_unblock_req r;
	struct nl_msg *m;
	struct ng_nl nl;
	int rc;

	if (argc != 2)
		return ng_usage_error("unblock: usage: nguardctl unblock ADDR|PREFIX|all");
	rc = ng_unblock_parse(argv[1], &r);
	if (rc)
		return rc;
	rc = ng_nl_open(&nl);
	if (rc)
		return rc;
	m = ng_unblock_msg(&nl, &r);
	nl.quiet_errno = ENOENT;
	rc = m ? ng_nl_transact(&nl, m, NULL, NULL) : NG_EXIT_ERROR;
	if (rc && nl.kerr == -ENOENT)
		fprintf(stderr, "nguardctl: %s: %s\n", r.text,
			nl.errmsg[0] ? nl.errmsg : r.alen ? "not blocked" : "nothing is blocked");
	ng_nl_close(&nl);
	if (!rc)
		printf(r.alen ? "unblocked %s\n" : "unblocked %s sources\n", r.text);
	return rc;
}
