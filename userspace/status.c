// SPDX-License-Identifier: GPL-2.0-only
/*
 * The module's status: one NGUARD_CMD_GET_STATUS round trip (fetch and
 * parse), rendered as a table or as JSON (json-c), for `nguardctl status`
 * (cmd_status.c). The parser and the JSON pieces are shared with
 * `nguardctl stats` (stats.c).
 *
 * The reply must carry the version, the generation, every counter and the
 * connection table with their exact sizes: anything else means a module
 * built from another uapi header, and is reported as such rather than
 * shown wrong. Mode, commit time and compile time are absent when no
 * policy is loaded.
 */
#include <string.h>
#include <unistd.h>
#include <netlink/genl/genl.h>
#include "exitcodes.h"
#include "format.h"
#include "nl.h"
#include "status.h"
#include "version.h"

static const char *ng_status_check(struct nl_msg *msg, struct ng_status *st)
{
	struct nlattr *tb[NGUARD_A_MAX + 1];
	const char *ver;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, NGUARD_A_MAX, NULL) < 0)
		return "message";
	ver = ng_nla_str(tb[NGUARD_A_VERSION]);
	if (!ver || strlen(ver) >= sizeof(st->version))
		return "NGUARD_A_VERSION";
	memcpy(st->version, ver, strlen(ver) + 1);
	if (ng_nla_u64(tb[NGUARD_A_POLICY_GEN], &st->policy_gen))
		return "NGUARD_A_POLICY_GEN";
	if (!tb[NGUARD_A_STATS] || ng_counters_parse(tb[NGUARD_A_STATS], &st->counters) < 0)
		return "NGUARD_A_STATS";
	if (ng_conntab_parse(tb[NGUARD_A_CONNTAB], &st->conntab))
		return "NGUARD_A_CONNTAB";
	if (tb[NGUARD_A_MODE] && ng_nla_u8(tb[NGUARD_A_MODE], &st->mode))
		return "NGUARD_A_MODE";
	if (tb[NGUARD_A_POLICY_APPLIED]) {
		if (ng_nla_u64(tb[NGUARD_A_POLICY_APPLIED], &st->applied))
			return "NGUARD_A_POLICY_APPLIED";
		st->has_applied = true;
	}
	if (tb[NGUARD_A_POLICY_COMPILE_NS]) {
		if (ng_nla_u64(tb[NGUARD_A_POLICY_COMPILE_NS], &st->compile_ns))
			return "NGUARD_A_POLICY_COMPILE_NS";
		st->has_compile_ns = true;
	}
	return NULL;
}

int ng_status_parse(struct nl_msg *msg, struct ng_status *st)
{
	const char *bad;

	memset(st, 0, sizeof(*st));
	bad = ng_status_check(msg, st);
	if (!bad)
		return NG_EXIT_OK;
	memset(st, 0, sizeof(*st));
	fprintf(stderr, "nguardctl: unexpected status reply from kernel module: %s missing or malformed (version mismatch? nguardctl is %s)\n",
		bad, NGUARD_VERSION);
	return NG_EXIT_ERROR;
}

const char *ng_mode_name(uint8_t mode)
{
	switch (mode) {
	case NGUARD_MODE_ENFORCE:
		return "enforce";
	case NGUARD_MODE_MONITOR:
		return "monitor";
	}
	return NULL;
}

json_object *ng_counters_json(const struct ng_counters *c)
{
	json_object *o = json_object_new_object();
	unsigned int i;

	for (i = 0; i < NGUARD_CNT_MAX; i++)
		json_object_object_add(o, ng_counter_name(i), json_object_new_uint64(c->cnt[i]));
	return o;
}

json_object *ng_status_policy_json(const struct ng_status *st)
{
	json_object *pol = json_object_new_object();
	bool live = st->policy_gen != 0;
	json_object *mode = NULL;

	if (live && ng_mode_name(st->mode))
		mode = json_object_new_string(ng_mode_name(st->mode));
	else if (live && st->mode)
		mode = json_object_new_int(st->mode);	/* newer module */
	json_object_object_add(pol, "generation", json_object_new_uint64(st->policy_gen));
	json_object_object_add(pol, "mode", mode);
	json_object_object_add(pol, "applied", live && st->has_applied ?
			       json_object_new_uint64(st->applied) : NULL);
	json_object_object_add(pol, "compile_ns", live && st->has_compile_ns ?
			       json_object_new_uint64(st->compile_ns) : NULL);
	return pol;
}

json_object *ng_status_json(const struct ng_status *st)
{
	json_object *root = json_object_new_object();
	json_object *mod = json_object_new_object();
	json_object *tool = json_object_new_object();

	json_object_object_add(mod, "version", json_object_new_string(st->version));
	json_object_object_add(tool, "version", json_object_new_string(NGUARD_VERSION));
	json_object_object_add(root, "module", mod);
	json_object_object_add(root, "tool", tool);
	json_object_object_add(root, "policy", ng_status_policy_json(st));
	json_object_object_add(root, "counters", ng_counters_json(&st->counters));
	json_object_object_add(root, "conns", ng_conntab_json(&st->conntab));
	return root;
}

void ng_status_policy_print(FILE *f, const struct ng_status *st, bool compiled)
{
	char b[48];

	if (!st->policy_gen) {
		fprintf(f, "policy: none (pass-through), generation 0\n");
		return;
	}
	fprintf(f, "policy: generation %llu", (unsigned long long)st->policy_gen);
	if (ng_mode_name(st->mode))
		fprintf(f, ", mode %s", ng_mode_name(st->mode));
	else if (st->mode)
		fprintf(f, ", mode %u", st->mode);
	if (st->has_applied)
		fprintf(f, ", applied %s", ng_fmt_utc(b, sizeof(b), st->applied));
	if (compiled && st->has_compile_ns)
		fprintf(f, ", compiled in %s", ng_fmt_ns(b, sizeof(b), st->compile_ns));
	fputc('\n', f);
}

void ng_status_print(FILE *f, const struct ng_status *st)
{
	static const struct { const char *label; unsigned int pkts; } rows[] = {
		{ "ipv4 in",  NGUARD_CNT_IPV4_IN_PACKETS },
		{ "ipv4 out", NGUARD_CNT_IPV4_OUT_PACKETS },
		{ "ipv6 in",  NGUARD_CNT_IPV6_IN_PACKETS },
		{ "ipv6 out", NGUARD_CNT_IPV6_OUT_PACKETS },
		{ "allowed",  NGUARD_CNT_ALLOWED_PACKETS },
		{ "dropped",  NGUARD_CNT_DROPPED_PACKETS },
	};
	const struct ng_conntab *ct = &st->conntab;
	char b[32];
	unsigned int i;

	fprintf(f, "nguard %s (nguardctl %s)\n", st->version, NGUARD_VERSION);
	ng_status_policy_print(f, st, false);
	fprintf(f, "%-10s %15s %12s\n", "", "packets", "bytes");
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		fprintf(f, "%-10s %15llu %12s\n", rows[i].label,
			(unsigned long long)st->counters.cnt[rows[i].pkts],
			ng_fmt_bytes(b, sizeof(b), st->counters.cnt[rows[i].pkts + 1]));
	fprintf(f, "connections: %u of %u, %u established", ct->count, ct->max,
		ct->established);
	if (ct->has_sources)
		fprintf(f, ", sources %u", ct->sources);
	fputc('\n', f);
}

static int on_status(struct nl_msg *msg, void *arg)
{
	return ng_status_parse(msg, arg);
}

int ng_status_fetch(struct ng_nl *nl, struct ng_status *st)
{
	struct nl_msg *msg = ng_nl_msg(nl, NGUARD_CMD_GET_STATUS, 0);
	int rc;

	memset(st, 0, sizeof(*st));
	rc = msg ? ng_nl_transact(nl, msg, on_status, st) : NG_EXIT_ERROR;
	if (!rc && !st->version[0]) {
		fprintf(stderr, "nguardctl: the kernel module sent no status reply\n");
		rc = NG_EXIT_ERROR;
	}
	return rc;
}
