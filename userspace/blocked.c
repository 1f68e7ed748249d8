// SPDX-License-Identifier: GPL-2.0-only
/*
 * `nguardctl blocked [--json]`: the sources the anomaly detectors put in
 * quarantine, from a BLOCKED_GET dump (one NGUARD_A_BLOCK nest each),
 * sorted by address. `nguardctl unblock ADDR|all` lifts one block or all
 * of them (NGUARD_CMD_UNBLOCK); an address that is not blocked is an
 * error (exit 1) with the kernel's message.
 *
 * Every entry is checked before it is shown: a missing attribute or a
 * wrong size ends the command with a message naming the attribute.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/genl/genl.h>
#include "blocked.h"
#include "exitcodes.h"
#include "format.h"
#include "nl.h"
#include "output.h"
#include "policy.h"

const char *ng_block_parse(const struct nlattr *nest, struct ng_block *b)
{
	struct nlattr *tb[NGUARD_BLOCK_A_MAX + 1];
	int len;

	memset(b, 0, sizeof(*b));
	if (!nest || nla_parse_nested(tb, NGUARD_BLOCK_A_MAX, (struct nlattr *)nest, NULL) < 0)
		return "NGUARD_A_BLOCK";
	len = tb[NGUARD_BLOCK_A_ADDR] ? nla_len(tb[NGUARD_BLOCK_A_ADDR]) : 0;
	if (len != 4 && len != 16)
		return "NGUARD_BLOCK_A_ADDR";
	b->family = len == 4 ? 4 : 6;
	memcpy(b->addr, nla_data(tb[NGUARD_BLOCK_A_ADDR]), len);
	if (ng_nla_u8(tb[NGUARD_BLOCK_A_KIND], &b->kind))
		return "NGUARD_BLOCK_A_KIND";
	if (ng_nla_u32(tb[NGUARD_BLOCK_A_EXPIRES_MS], &b->expires_ms))
		return "NGUARD_BLOCK_A_EXPIRES_MS";
	if (ng_nla_u32(tb[NGUARD_BLOCK_A_SECS], &b->secs))
		return "NGUARD_BLOCK_A_SECS";
	if (tb[NGUARD_BLOCK_A_HITS] && ng_nla_u32(tb[NGUARD_BLOCK_A_HITS], &b->hits))
		return "NGUARD_BLOCK_A_HITS";
	return NULL;
}

static const char *ng_block_parse_v(const struct nlattr *nest, void *item)
{
	return ng_block_parse(nest, item);
}

int ng_blocked_dump_msg(struct nl_msg *msg, void *arg)
{
	struct ng_block_list *l = arg;

	return ng_dump_collect(msg, NGUARD_A_BLOCK, &l->v, &l->n, &l->cap, sizeof(*l->v),
			       &l->bad, ng_block_parse_v);
}

static int ng_block_cmp(const void *x, const void *y)
{
	const struct ng_block *a = x, *b = y;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->addr, b->addr, a->family == 4 ? 4 : 16);
}

void ng_blocked_sort(struct ng_block_list *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), ng_block_cmp);
}

void ng_blocked_free(struct ng_block_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static const char *ng_block_addr(const struct ng_block *b, char *buf, size_t len)
{
	return inet_ntop(b->family == 6 ? AF_INET6 : AF_INET, b->addr, buf, (socklen_t)len);
}

/* The columns of one text line. */
struct ng_block_cells {
	char addr[INET6_ADDRSTRLEN];
	char reason[16], left[24], secs[24], hits[16];
};

#define NG_BLOCK_COLS 5

static void ng_block_cells(struct ng_block_cells *x, const struct ng_block *b)
{
	const char *r = ng_detector_name(b->kind);

	ng_block_addr(b, x->addr, sizeof(x->addr));
	if (r)
		snprintf(x->reason, sizeof(x->reason), "%s", r);
	else
		snprintf(x->reason, sizeof(x->reason), "kind %u", b->kind);
	if (b->expires_ms < 1000)
		ng_fmt_ms(x->left, sizeof(x->left), b->expires_ms);
	else
		ng_fmt_secs(x->left, sizeof(x->left), b->expires_ms / 1000);
	ng_fmt_secs(x->secs, sizeof(x->secs), b->secs);
	snprintf(x->hits, sizeof(x->hits), "%u", b->hits);
}

static const char *ng_block_col(const struct ng_block_cells *x, int i)
{
	const char *const col[NG_BLOCK_COLS] = { x->addr, x->reason, x->left, x->secs, x->hits };

	return col[i];
}

void ng_blocked_print(FILE *f, const struct ng_block_list *l)
{
	static const char *const titles[NG_BLOCK_COLS] = {
		"address", "reason", "left", "duration", "dropped",
	};
	int w[NG_BLOCK_COLS], i;
	struct ng_block_cells x;
	size_t k;

	for (i = 0; i < NG_BLOCK_COLS; i++)
		w[i] = (int)strlen(titles[i]);
	for (k = 0; k < l->n; k++) {
		ng_block_cells(&x, &l->v[k]);
		for (i = 0; i < NG_BLOCK_COLS; i++)
			if ((int)strlen(ng_block_col(&x, i)) > w[i])
				w[i] = (int)strlen(ng_block_col(&x, i));
	}
	fprintf(f, "%-*s  %-*s  %-*s  %-*s  %*s\n", w[0], titles[0], w[1], titles[1],
		w[2], titles[2], w[3], titles[3], w[4], titles[4]);
	for (k = 0; k < l->n; k++) {
		ng_block_cells(&x, &l->v[k]);
		fprintf(f, "%-*s  %-*s  %-*s  %-*s  %*s\n", w[0], x.addr, w[1], x.reason,
			w[2], x.left, w[3], x.secs, w[4], x.hits);
	}
	fprintf(f, "%zu blocked\n", l->n);
}

json_object *ng_blocked_json(const struct ng_block_list *l)
{
	json_object *arr = json_object_new_array();
	char a[INET6_ADDRSTRLEN];
	size_t k;

	for (k = 0; k < l->n; k++) {
		const struct ng_block *b = &l->v[k];
		json_object *o = json_object_new_object();
		const char *r = ng_detector_name(b->kind);

		json_object_object_add(o, "addr", json_object_new_string(ng_block_addr(b, a, sizeof(a))));
		json_object_object_add(o, "reason", r ? json_object_new_string(r) :
				       json_object_new_int(b->kind));
		json_object_object_add(o, "expires_ms", json_object_new_uint64(b->expires_ms));
		json_object_object_add(o, "secs", json_object_new_uint64(b->secs));
		json_object_object_add(o, "hits", json_object_new_uint64(b->hits));
		json_object_array_add(arr, o);
	}
	return arr;
}

int cmd_blocked(int argc, char **argv)
{
	struct ng_block_list l = { 0 };
	struct nl_msg *m;
	struct ng_nl nl;
	bool json;
	int rc;

	rc = ng_parse_json_flag(argc, argv, "blocked", "argument", &json);
	if (rc)
		return rc;
	rc = ng_nl_open(&nl);
	if (rc)
		return rc;
	m = ng_nl_msg(&nl, NGUARD_CMD_BLOCKED_GET, NLM_F_DUMP);
	rc = m ? ng_nl_transact(&nl, m, ng_blocked_dump_msg, &l) : NG_EXIT_ERROR;
	ng_nl_close(&nl);
	if (!rc && l.bad) {
		fprintf(stderr, "nguardctl: unexpected blocked-source dump from kernel module: %s missing or malformed (version mismatch?)\n",
			l.bad);
		rc = NG_EXIT_ERROR;
	}
	ng_blocked_sort(&l);
	if (!rc && json)
		rc = ng_print_json(ng_blocked_json(&l));
	else if (!rc)
		ng_blocked_print(stdout, &l);
	ng_blocked_free(&l);
	return rc;
}

int cmd_unblock(int argc, char **argv)
{
	unsigned char addr[16];
	struct nlattr *nest;
	struct nl_msg *m;
	struct ng_nl nl;
	int alen = 0, rc;

	if (argc != 2)
		return ng_usage_error("unblock: usage: nguardctl unblock ADDR|all");
	if (inet_pton(AF_INET, argv[1], addr) == 1)
		alen = 4;
	else if (inet_pton(AF_INET6, argv[1], addr) == 1)
		alen = 16;
	else if (strcmp(argv[1], "all"))
		return ng_usage_error("unblock: '%s' is not an IPv4 or IPv6 address (or 'all')",
				      argv[1]);
	rc = ng_nl_open(&nl);
	if (rc)
		return rc;
	m = ng_nl_msg(&nl, NGUARD_CMD_UNBLOCK, 0);
	if (m && alen) {
		nest = nla_nest_start(m, NGUARD_A_BLOCK);
		if (!nest || nla_put(m, NGUARD_BLOCK_A_ADDR, alen, addr)) {
			nlmsg_free(m);
			m = NULL;
		} else {
			nla_nest_end(m, nest);
		}
	}
	nl.quiet_errno = ENOENT;
	rc = m ? ng_nl_transact(&nl, m, NULL, NULL) : NG_EXIT_ERROR;
	if (rc && nl.kerr == -ENOENT)
		fprintf(stderr, "nguardctl: %s: %s\n", argv[1],
			nl.errmsg[0] ? nl.errmsg : alen ? "not blocked" : "nothing is blocked");
	ng_nl_close(&nl);
	if (!rc)
		printf(alen ? "unblocked %s\n" : "unblocked %s sources\n", argv[1]);
	return rc;
}
