// SPDX-License-Identifier: GPL-2.0-only
/*
 * `nguardctl blocked [--json]`: the quarantine (BLOCKED_GET dump,
 * blocked.c). `nguardctl unblock ADDR|PREFIX|all` lifts one block or all
 * of them (NGUARD_CMD_UNBLOCK); an IPv6 ADDR/LEN is sent as the address
 * with its host bits cleared and the length, a plain IPv6 address alone
 * (the kernel takes its prefix of the live policy's length). An address
 * that is not blocked is an error (exit 1) with the kernel's message.
 * `nguardctl block ADDR|PREFIX DURATION [--json]` quarantines a source by
 * hand (NGUARD_CMD_BLOCK, reason manual); the kernel refuses an exempt
 * address, a full table, or a policy without a quarantine (exit 1, its
 * message and what to do).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include "blocked.h"
#include "commands.h"
#include "exitcodes.h"
#include "format.h"
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

/* The BLOCK request for @r; NULL if out of memory. */
static struct nl_msg *ng_block_msg(struct ng_nl *nl, const struct ng_block_req *r)
{
	struct nl_msg *m = ng_nl_msg(nl, NGUARD_CMD_BLOCK, 0);
	struct nlattr *nest;

	if (!m)
		return NULL;
	nest = nla_nest_start(m, NGUARD_A_BLOCK);
	if (!nest || nla_put(m, NGUARD_BLOCK_A_ADDR, r->src.alen, r->src.addr) ||
	    nla_put_u32(m, NGUARD_BLOCK_A_SECS, r->secs) ||
	    (r->src.prefix_len && nla_put_u8(m, NGUARD_BLOCK_A_PREFIX_LEN, r->src.prefix_len))) {
		nlmsg_free(m);
		return NULL;
	}
	nla_nest_end(m, nest);
	return m;
}

static json_object *ng_block_json(const struct ng_block_req *r)
{
	json_object *o = json_object_new_object();
	char a[INET6_ADDRSTRLEN];

	inet_ntop(r->src.alen == 4 ? AF_INET : AF_INET6, r->src.addr, a, sizeof(a));
	json_object_object_add(o, "addr", json_object_new_string(a));
	if (r->src.prefix_len)
		json_object_object_add(o, "prefix_len", json_object_new_int(r->src.prefix_len));
	json_object_object_add(o, "reason", json_object_new_string("manual"));
	json_object_object_add(o, "secs", json_object_new_uint64(r->secs));
	return o;
}

int cmd_block(int argc, char **argv)
{
	const char *pos[2] = { NULL, NULL };
	struct ng_block_req r;
	bool json = false;
	struct nl_msg *m;
	struct ng_nl nl;
	char dur[24];
	int i, n = 0, rc;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json") || !strcmp(argv[i], "-j"))
			json = true;
		else if (argv[i][0] == '-' && argv[i][1] == '-')
			return ng_usage_error("block: unknown option '%s'", argv[i]);
		else if (n < 2)
			pos[n++] = argv[i];
		else
			n++;
	}
	if (n != 2)
		return ng_usage_error("block: usage: nguardctl block ADDR|PREFIX DURATION [--json] (DURATION like 600s, 1h, 7d)");
	rc = ng_block_parse_args(pos[0], pos[1], &r);
	if (rc)
		return rc;
	rc = ng_nl_open(&nl);
	if (rc)
		return rc;
	m = ng_block_msg(&nl, &r);
	nl.quiet_errno = EOPNOTSUPP;
	rc = m ? ng_nl_transact(&nl, m, NULL, NULL) : NG_EXIT_ERROR;
	if (rc && nl.kerr == -EOPNOTSUPP && nl.errmsg[0])
		fprintf(stderr, "nguardctl: block %s: %s; add a detector with 'action block DURATION' to the policy (nguard.conf(5)) and apply it\n",
			r.src.text, nl.errmsg);
	else if (rc && nl.kerr == -EOPNOTSUPP)
		fprintf(stderr, "nguardctl: block: the loaded nguard module does not know this command (older than nguardctl?): reload it (rmmod nguard; modprobe nguard)\n");
	ng_nl_close(&nl);
	if (rc)
		return rc;
	if (json)
		return ng_print_json(ng_block_json(&r));
	ng_fmt_secs(dur, sizeof(dur), r.secs);
	/* A plain IPv6 address stands for its prefix of the policy's length. */
	printf("blocked %s%s for %s\n", r.src.text,
	       r.src.alen == 16 && !r.src.prefix_len ? " (its source prefix: see 'nguardctl blocked')" : "",
	       dur);
	return 0;
}
