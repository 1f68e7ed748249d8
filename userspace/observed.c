// SPDX-License-Identifier: GPL-2.0-only
/*
 * The observed-flow summary of an OBSERVED_GET dump (a header message,
 * then one NGUARD_A_OBSERVED nest per aggregate), for `nguardctl
 * observed` (cmd_observed.c): decoded, filtered by last seen, sorted by
 * segment pair, printed as two tables (flows from named segments; flows
 * from world, the "top talkers", by connections) or as JSON.
 *
 * Every aggregate is checked before it is shown: a missing attribute, a
 * wrong size or an address that does not fit its family ends the command
 * with a message naming the attribute (a module built from another uapi).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/genl/genl.h>
#include "exitcodes.h"
#include "format.h"
#include "nl.h"
#include "observed.h"

static const char *ng_obs_example_parse(const struct nlattr *nest, struct ng_obs_example *x)
{
	struct nlattr *tb[NGUARD_OBS_EX_A_MAX + 1];
	int len;

	if (nla_parse_nested(tb, NGUARD_OBS_EX_A_MAX, (struct nlattr *)nest, NULL) < 0 ||
	    !tb[NGUARD_OBS_EX_A_SRC] || !tb[NGUARD_OBS_EX_A_DST])
		return "NGUARD_OBS_A_EXAMPLE";
	len = nla_len(tb[NGUARD_OBS_EX_A_SRC]);
	if ((len != 4 && len != 16) || nla_len(tb[NGUARD_OBS_EX_A_DST]) != len)
		return "NGUARD_OBS_A_EXAMPLE";
	memset(x, 0, sizeof(*x));
	x->family = len == 4 ? 4 : 6;
	memcpy(x->src, nla_data(tb[NGUARD_OBS_EX_A_SRC]), len);
	memcpy(x->dst, nla_data(tb[NGUARD_OBS_EX_A_DST]), len);
	return NULL;
}

static int ng_obs_name(const struct nlattr *a, char *out)
{
	const char *s = ng_nla_str(a);

	if (!s || !*s || strlen(s) >= NGUARD_SEGMENT_NAME_MAX)
		return -1;
	strcpy(out, s);
	return 0;
}

const char *ng_observed_parse(const struct nlattr *nest, struct ng_observed *o)
{
	struct nlattr *tb[NGUARD_OBS_A_MAX + 1], *a;
	const char *bad;
	int rem;

	memset(o, 0, sizeof(*o));
	if (!nest || nla_parse_nested(tb, NGUARD_OBS_A_MAX, (struct nlattr *)nest, NULL) < 0)
		return "NGUARD_A_OBSERVED";
	if (ng_nla_u16(tb[NGUARD_OBS_A_SRC_SEG], &o->src_seg))
		return "NGUARD_OBS_A_SRC_SEG";
	if (ng_nla_u16(tb[NGUARD_OBS_A_DST_SEG], &o->dst_seg))
		return "NGUARD_OBS_A_DST_SEG";
	if (ng_obs_name(tb[NGUARD_OBS_A_SRC_NAME], o->src_name))
		return "NGUARD_OBS_A_SRC_NAME";
	if (ng_obs_name(tb[NGUARD_OBS_A_DST_NAME], o->dst_name))
		return "NGUARD_OBS_A_DST_NAME";
	if (ng_nla_u8(tb[NGUARD_OBS_A_PROTO], &o->proto))
		return "NGUARD_OBS_A_PROTO";
	if (ng_nla_u16(tb[NGUARD_OBS_A_PORT], &o->port))
		return "NGUARD_OBS_A_PORT";
	if (ng_nla_u8(tb[NGUARD_OBS_A_VERDICT], &o->verdict) ||
	    (o->verdict != NGUARD_VERDICT_ALLOW && o->verdict != NGUARD_VERDICT_DENY))
		return "NGUARD_OBS_A_VERDICT";
	if (tb[NGUARD_OBS_A_RULE]) {
		if (ng_nla_u32(tb[NGUARD_OBS_A_RULE], &o->rule))
			return "NGUARD_OBS_A_RULE";
		if (ng_nla_u32(tb[NGUARD_OBS_A_RULE_LINE], &o->rule_line))
			return "NGUARD_OBS_A_RULE_LINE";
		o->has_rule = true;
	}
	if (ng_nla_u8(tb[NGUARD_OBS_A_FLAGS], &o->flags))
		return "NGUARD_OBS_A_FLAGS";
	if (ng_nla_u64(tb[NGUARD_OBS_A_CONNS], &o->conns))
		return "NGUARD_OBS_A_CONNS";
	if (ng_nla_u64(tb[NGUARD_OBS_A_FIRST], &o->first))
		return "NGUARD_OBS_A_FIRST";
	if (ng_nla_u64(tb[NGUARD_OBS_A_LAST], &o->last) || o->last < o->first)
		return "NGUARD_OBS_A_LAST";
	nla_for_each_nested(a, (struct nlattr *)nest, rem) {
		if (nla_type(a) != NGUARD_OBS_A_EXAMPLE || o->nex >= NG_OBS_EXAMPLES_MAX)
			continue;
		bad = ng_obs_example_parse(a, &o->ex[o->nex]);
		if (bad)
			return bad;
		o->nex++;
	}
	return NULL;
}

static const char *ng_observed_parse_v(const struct nlattr *nest, void *item)
{
	return ng_observed_parse(nest, item);
}

int ng_observed_dump_msg(struct nl_msg *msg, void *arg)
{
	struct ng_observed_list *l = arg;
	struct nlattr *gen, *max;

	/* The header message: no aggregate, the policy's table size. */
	gen = nlmsg_find_attr(nlmsg_hdr(msg), GENL_HDRLEN, NGUARD_A_POLICY_GEN);
	if (gen) {
		max = nlmsg_find_attr(nlmsg_hdr(msg), GENL_HDRLEN, NGUARD_A_OBSERVE_MAX);
		if (ng_nla_u64(gen, &l->gen) || (max && ng_nla_u32(max, &l->max))) {
			if (!l->bad)
				l->bad = "NGUARD_A_OBSERVE_MAX";
		}
		l->on = max != NULL;
		return NL_OK;
	}
	return ng_dump_collect(msg, NGUARD_A_OBSERVED, &l->v, &l->n, &l->cap, sizeof(*l->v),
			       &l->bad, ng_observed_parse_v);
}

void ng_observed_free(struct ng_observed_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void ng_observed_since(struct ng_observed_list *l, uint64_t since)
{
	size_t i, n = 0;

	for (i = 0; i < l->n; i++)
		if (l->v[i].last >= since)
			l->v[n++] = l->v[i];
	l->n = n;
}

static int ng_cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static int ng_observed_cmp(const void *pa, const void *pb)
{
	const struct ng_observed *a = pa, *b = pb;
	bool wa = a->src_seg == NGUARD_SEGMENT_WORLD, wb = b->src_seg == NGUARD_SEGMENT_WORLD;

	if (wa != wb)
		return wa ? 1 : -1;
	if (wa && a->conns != b->conns)
		return a->conns > b->conns ? -1 : 1;
	if (a->src_seg != b->src_seg)
		return a->src_seg < b->src_seg ? -1 : 1;
	if (a->dst_seg != b->dst_seg)
		return a->dst_seg < b->dst_seg ? -1 : 1;
	if (a->proto != b->proto)
		return a->proto < b->proto ? -1 : 1;
	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	return ng_cmp_u64(a->first, b->first);
}

void ng_observed_sort(struct ng_observed_list *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), ng_observed_cmp);
}

static bool ng_obs_icmp(uint8_t proto)
{
	return proto == 1 || proto == 58;
}

/* "tcp/22", "udp/53", "icmp type 8", "gre". */
static char *ng_obs_service(char *buf, size_t len, const struct ng_observed *o)
{
	const char *name = ng_proto_name(o->proto);
	char num[8];

	if (!name) {
		snprintf(num, sizeof(num), "%u", o->proto);
		name = num;
	}
	if (ng_obs_icmp(o->proto))
		snprintf(buf, len, "%s type %u", name, o->port);
	else if (ng_proto_has_ports(o->proto))
		snprintf(buf, len, "%s/%u", name, o->port);
	else
		snprintf(buf, len, "%s", name);
	return buf;
}

/* "allow rule 2 line 7", "deny default (monitor: passed)". */
static char *ng_obs_verdict(char *buf, size_t len, const struct ng_observed *o)
{
	const char *v = o->verdict == NGUARD_VERDICT_ALLOW ? "allow" : "deny";
	const char *mon = o->flags & NGUARD_OBS_F_MONITOR ? " (monitor: passed)" : "";

	if (o->has_rule)
		snprintf(buf, len, "%s rule %u line %u%s", v, o->rule, o->rule_line, mon);
	else
		snprintf(buf, len, "%s default%s", v, mon);
	return buf;
}

static char *ng_obs_examples(char *buf, size_t len, const struct ng_observed *o)
{
	char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];
	size_t off = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < o->nex && off < len; i++) {
		int af = o->ex[i].family == 6 ? AF_INET6 : AF_INET;

		inet_ntop(af, o->ex[i].src, s, sizeof(s));
		inet_ntop(af, o->ex[i].dst, d, sizeof(d));
		off += snprintf(buf + off, len - off, "%s%s>%s", i ? " " : "", s, d);
	}
	return buf;
}

static char *ng_obs_ago(char *buf, size_t len, uint64_t now, uint64_t t)
{
	char d[24];

	snprintf(buf, len, "%s ago", ng_fmt_secs(d, sizeof(d), now > t ? now - t : 0));
	return buf;
}

struct ng_obs_cells {
	char pair[2 * NGUARD_SEGMENT_NAME_MAX + 8];
	char service[24];
	char conns[24];
	char first[32], last[32];
	char verdict[64];
	char ex[2 * (2 * INET6_ADDRSTRLEN + 2) * NG_OBS_EXAMPLES_MAX];
};

#define NG_OBS_COLS 6	/* padded; the examples end the line */

static void ng_obs_cells(struct ng_obs_cells *x, const struct ng_observed *o, uint64_t now)
{
	snprintf(x->pair, sizeof(x->pair), "%s -> %s", o->src_name, o->dst_name);
	ng_obs_service(x->service, sizeof(x->service), o);
	snprintf(x->conns, sizeof(x->conns), "%llu", (unsigned long long)o->conns);
	ng_obs_ago(x->first, sizeof(x->first), now, o->first);
	ng_obs_ago(x->last, sizeof(x->last), now, o->last);
	ng_obs_verdict(x->verdict, sizeof(x->verdict), o);
	ng_obs_examples(x->ex, sizeof(x->ex), o);
}

static const char *ng_obs_col(const struct ng_obs_cells *x, int i)
{
	const char *const col[NG_OBS_COLS] = {
		x->pair, x->service, x->conns, x->first, x->last, x->verdict,
	};

	return col[i];
}

static void ng_obs_widen(int *w, const char *s)
{
	if ((int)strlen(s) > *w)
		*w = (int)strlen(s);
}

/* One table: rows [from, to) of @l under @title. */
static void ng_obs_table(FILE *f, const struct ng_observed_list *l, size_t from, size_t to,
			 uint64_t now)
{
	static const char *const titles[NG_OBS_COLS + 1] = {
		"segments", "service", "conns", "first seen", "last seen", "verdict", "examples",
	};
	int w[NG_OBS_COLS] = { 0 }, i;
	struct ng_obs_cells x;
	size_t k;

	for (i = 0; i < NG_OBS_COLS; i++)
		ng_obs_widen(&w[i], titles[i]);
	for (k = from; k < to; k++) {
		ng_obs_cells(&x, &l->v[k], now);
		for (i = 0; i < NG_OBS_COLS; i++)
			ng_obs_widen(&w[i], ng_obs_col(&x, i));
	}
	fprintf(f, "%-*s  %-*s  %*s  %-*s  %-*s  %-*s  %s\n", w[0], titles[0], w[1], titles[1],
		w[2], titles[2], w[3], titles[3], w[4], titles[4], w[5], titles[5], titles[6]);
	for (k = from; k < to; k++) {
		ng_obs_cells(&x, &l->v[k], now);
		fprintf(f, "%-*s  %-*s  %*s  %-*s  %-*s  %-*s  %s\n", w[0], x.pair, w[1], x.service,
			w[2], x.conns, w[3], x.first, w[4], x.last, w[5], x.verdict, x.ex);
	}
}

void ng_observed_print(FILE *f, const struct ng_observed_list *l, uint64_t now)
{
	size_t nw = 0;

	if (!l->on) {
		fprintf(f, "%s\n", l->gen ? "the live policy does not observe flows (add 'observe on' or 'observe max N')" :
			"no policy loaded: nothing is observed");
		return;
	}
	while (nw < l->n && l->v[nw].src_seg != NGUARD_SEGMENT_WORLD)
		nw++;
	if (nw)
		ng_obs_table(f, l, 0, nw, now);
	if (l->n > nw) {
		if (nw)
			fputc('\n', f);
		fprintf(f, "from world (sources in no segment; a segment may be missing), most connections first:\n");
		ng_obs_table(f, l, nw, l->n, now);
	}
	fprintf(f, "%zu flow%s observed (table: %u)\n", l->n, l->n == 1 ? "" : "s", l->max);
}

static json_object *ng_obs_one_json(const struct ng_observed *o)
{
	json_object *x = json_object_new_object(), *ex = json_object_new_array();
	char a[INET6_ADDRSTRLEN];
	const char *s = ng_proto_name(o->proto);
	unsigned int i;

	json_object_object_add(x, "src_segment", json_object_new_string(o->src_name));
	json_object_object_add(x, "dst_segment", json_object_new_string(o->dst_name));
	json_object_object_add(x, "proto", s ? json_object_new_string(s) : json_object_new_int(o->proto));
	json_object_object_add(x, "port", ng_proto_has_ports(o->proto) ?
			       json_object_new_int(o->port) : NULL);
	json_object_object_add(x, "icmp_type", ng_obs_icmp(o->proto) ?
			       json_object_new_int(o->port) : NULL);
	json_object_object_add(x, "conns", json_object_new_uint64(o->conns));
	json_object_object_add(x, "first_seen", json_object_new_uint64(o->first));
	json_object_object_add(x, "last_seen", json_object_new_uint64(o->last));
	json_object_object_add(x, "verdict", json_object_new_string(
		o->verdict == NGUARD_VERDICT_ALLOW ? "allow" : "deny"));
	json_object_object_add(x, "rule", o->has_rule ? json_object_new_uint64(o->rule) : NULL);
	json_object_object_add(x, "rule_line", o->has_rule ?
			       json_object_new_uint64(o->rule_line) : NULL);
	json_object_object_add(x, "monitor_passed",
			       json_object_new_boolean(o->flags & NGUARD_OBS_F_MONITOR));
	for (i = 0; i < o->nex; i++) {
		json_object *e = json_object_new_object();
		int af = o->ex[i].family == 6 ? AF_INET6 : AF_INET;

		json_object_object_add(e, "src", json_object_new_string(
			inet_ntop(af, o->ex[i].src, a, sizeof(a))));
		json_object_object_add(e, "dst", json_object_new_string(
			inet_ntop(af, o->ex[i].dst, a, sizeof(a))));
		json_object_array_add(ex, e);
	}
	json_object_object_add(x, "examples", ex);
	return x;
}

json_object *ng_observed_json(const struct ng_observed_list *l)
{
	json_object *root = json_object_new_object();
	json_object *flows = json_object_new_array(), *world = json_object_new_array();
	size_t k;

	json_object_object_add(root, "observe", json_object_new_boolean(l->on));
	json_object_object_add(root, "observe_max", l->on ? json_object_new_uint64(l->max) : NULL);
	json_object_object_add(root, "policy_generation", json_object_new_uint64(l->gen));
	for (k = 0; k < l->n; k++)
		json_object_array_add(l->v[k].src_seg == NGUARD_SEGMENT_WORLD ? world : flows,
				      ng_obs_one_json(&l->v[k]));
	json_object_object_add(root, "flows", flows);
	json_object_object_add(root, "from_world", world);
	return root;
}

int ng_observed_fetch(struct ng_observed_list *l)
{
	struct nl_msg *m;
	struct ng_nl nl;
	int rc, tries;

	rc = ng_nl_open(&nl);
	if (rc)
		return rc;
	nl.quiet_errno = EAGAIN;
	for (tries = 0; tries < 3; tries++) {
		ng_observed_free(l);
		m = ng_nl_msg(&nl, NGUARD_CMD_OBSERVED_GET, NLM_F_DUMP);
		rc = m ? ng_nl_transact(&nl, m, ng_observed_dump_msg, l) : NG_EXIT_ERROR;
		if (!rc || nl.kerr != -EAGAIN)
			break;
	}
	if (rc && nl.kerr == -EAGAIN)
		fprintf(stderr, "nguardctl: observed: the table was cleared or replaced during each of 3 dumps\n");
	ng_nl_close(&nl);
	return rc;
}
