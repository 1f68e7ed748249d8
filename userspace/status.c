// SPDX-License-Identifier: GPL-2.0-only
/*
 * `nguardctl status [--json]`: one NGUARD_CMD_GET_STATUS round trip,
 * rendered as a table or as JSON (json-c). Parsing, rendering and the
 * command are separate so the unit tests can drive the first two.
 */
#include <string.h>
#include <unistd.h>
#include <netlink/genl/genl.h>
#include "exitcodes.h"
#include "format.h"
#include "nl.h"
#include "output.h"
#include "status.h"
#include "version.h"

int ng_status_parse(struct nl_msg *msg, struct ng_status *st)
{
	struct nla_policy pol[NGUARD_A_MAX + 1] = {
		[NGUARD_A_VERSION] = { .type = NLA_STRING, .maxlen = sizeof(st->version) },
		[NGUARD_A_POLICY_GEN] = { .type = NLA_U64 },
		[NGUARD_A_STATS] = { .type = NLA_NESTED },
	};
	struct nlattr *tb[NGUARD_A_MAX + 1];

	memset(st, 0, sizeof(*st));
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, NGUARD_A_MAX, pol) < 0 ||
	    !tb[NGUARD_A_VERSION] || !tb[NGUARD_A_POLICY_GEN] || !tb[NGUARD_A_STATS] ||
	    ng_counters_parse(tb[NGUARD_A_STATS], &st->counters) < 0) {
		fprintf(stderr, "nguardctl: unexpected reply from kernel module (version mismatch? nguardctl is %s)\n",
			NGUARD_VERSION);
		return NG_EXIT_ERROR;
	}
	nla_strlcpy(st->version, tb[NGUARD_A_VERSION], sizeof(st->version));
	st->policy_gen = nla_get_u64(tb[NGUARD_A_POLICY_GEN]);
	return NG_EXIT_OK;
}

json_object *ng_status_json(const struct ng_status *st)
{
	json_object *root = json_object_new_object();
	json_object *mod = json_object_new_object();
	json_object *tool = json_object_new_object();
	json_object *pol = json_object_new_object();
	json_object *cnt = json_object_new_object();
	unsigned int i;

	json_object_object_add(mod, "version", json_object_new_string(st->version));
	json_object_object_add(tool, "version", json_object_new_string(NGUARD_VERSION));
	json_object_object_add(pol, "generation", json_object_new_uint64(st->policy_gen));
	for (i = 0; i < NGUARD_CNT_MAX; i++)
		json_object_object_add(cnt, ng_counter_name(i),
				       json_object_new_uint64(st->counters.cnt[i]));
	json_object_object_add(root, "module", mod);
	json_object_object_add(root, "tool", tool);
	json_object_object_add(root, "policy", pol);
	json_object_object_add(root, "counters", cnt);
	return root;
}

void ng_status_print(FILE *f, const struct ng_status *st)
{
	static const struct { const char *label; unsigned int pkts; } rows[] = {
		{ "ipv4 in",  NGUARD_CNT_IPV4_IN_PACKETS },
		{ "ipv4 out", NGUARD_CNT_IPV4_OUT_PACKETS },
		{ "ipv6 in",  NGUARD_CNT_IPV6_IN_PACKETS },
		{ "ipv6 out", NGUARD_CNT_IPV6_OUT_PACKETS },
	};
	char b[32];
	unsigned int i;

	fprintf(f, "nguard %s (nguardctl %s)\n", st->version, NGUARD_VERSION);
	if (st->policy_gen)
		fprintf(f, "policy: generation %llu\n", (unsigned long long)st->policy_gen);
	else
		fprintf(f, "policy: none (pass-through), generation 0\n");
	fprintf(f, "%-10s %15s %12s\n", "", "packets", "bytes");
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		fprintf(f, "%-10s %15llu %12s\n", rows[i].label,
			(unsigned long long)st->counters.cnt[rows[i].pkts],
			ng_fmt_bytes(b, sizeof(b), st->counters.cnt[rows[i].pkts + 1]));
}

static int on_status(struct nl_msg *msg, void *arg)
{
	return ng_status_parse(msg, arg);
}

int cmd_status(int argc, char **argv)
{
	struct ng_status st;
	struct nl_msg *msg;
	struct ng_nl nl;
	int json = 0, rc, i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json") || !strcmp(argv[i], "-j"))
			json = 1;
		else
			return ng_usage_error("status: unknown option '%s'", argv[i]);
	}
	rc = ng_nl_open(&nl);
	if (rc)
		return rc;
	msg = ng_nl_msg(&nl, NGUARD_CMD_GET_STATUS, 0);
	memset(&st, 0, sizeof(st));
	rc = msg ? ng_nl_transact(&nl, msg, on_status, &st) : NG_EXIT_ERROR;
	ng_nl_close(&nl);
	if (rc)
		return rc;
	if (!st.version[0]) {
		fprintf(stderr, "nguardctl: the kernel module sent no status reply\n");
		return NG_EXIT_ERROR;
	}
	if (json)
		return ng_print_json(ng_status_json(&st));
	ng_status_print(stdout, &st);
	return NG_EXIT_OK;
}
