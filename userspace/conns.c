// SPDX-License-Identifier: GPL-2.0-only
/*
 * The connection table of a CONNS_GET dump (one NGUARD_A_CONN nest per
 * connection), for `nguardctl conns` (cmd_conns.c): decoded, printed as
 * a table or JSON. Segment ids are named through the live policy (id 0
 * is "world"); an id the policy does not know (a policy applied between
 * the two dumps) prints as its number. The dump is a snapshot of a moving table, so a
 * connection may be missing or, rarely, listed twice.
 *
 * Every entry is checked before it is shown: a missing attribute, a wrong
 * size or an address that does not fit the family ends the command with
 * a message naming the attribute (a module built from another uapi).
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/genl/genl.h>
#include "conns.h"
#include "format.h"
#include "nl.h"

/* Copy an address attribute that must be exactly the family's size. */
static int ng_conn_addr(const struct nlattr *a, uint8_t family, uint8_t *out)
{
	int len = family == 4 ? 4 : 16;

	if (!a || nla_len(a) != len)
		return -1;
	memcpy(out, nla_data(a), len);
	return 0;
}

const char *ng_conn_parse(const struct nlattr *nest, struct ng_conn *c)
{
	struct nlattr *tb[NGUARD_CONN_A_MAX + 1];

	memset(c, 0, sizeof(*c));
	if (!nest || nla_parse_nested(tb, NGUARD_CONN_A_MAX, (struct nlattr *)nest, NULL) < 0)
		return "NGUARD_A_CONN";
	if (ng_nla_u8(tb[NGUARD_CONN_A_FAMILY], &c->family) ||
	    (c->family != 4 && c->family != 6))
		return "NGUARD_CONN_A_FAMILY";
	if (ng_nla_u8(tb[NGUARD_CONN_A_PROTO], &c->proto))
		return "NGUARD_CONN_A_PROTO";
	if (ng_conn_addr(tb[NGUARD_CONN_A_SRC], c->family, c->src))
		return "NGUARD_CONN_A_SRC";
	if (ng_conn_addr(tb[NGUARD_CONN_A_DST], c->family, c->dst))
		return "NGUARD_CONN_A_DST";
	if (tb[NGUARD_CONN_A_SPORT] && ng_nla_u16(tb[NGUARD_CONN_A_SPORT], &c->sport))
		return "NGUARD_CONN_A_SPORT";
	if (tb[NGUARD_CONN_A_DPORT] && ng_nla_u16(tb[NGUARD_CONN_A_DPORT], &c->dport))
		return "NGUARD_CONN_A_DPORT";
	if (ng_nla_u16(tb[NGUARD_CONN_A_SRC_SEG], &c->src_seg))
		return "NGUARD_CONN_A_SRC_SEG";
	if (ng_nla_u16(tb[NGUARD_CONN_A_DST_SEG], &c->dst_seg))
		return "NGUARD_CONN_A_DST_SEG";
	if (ng_nla_u8(tb[NGUARD_CONN_A_STATE], &c->state))
		return "NGUARD_CONN_A_STATE";
	if (tb[NGUARD_CONN_A_FLAGS] && ng_nla_u8(tb[NGUARD_CONN_A_FLAGS], &c->flags))
		return "NGUARD_CONN_A_FLAGS";
	if (tb[NGUARD_CONN_A_RULE]) {
		if (ng_nla_u32(tb[NGUARD_CONN_A_RULE], &c->rule))
			return "NGUARD_CONN_A_RULE";
		c->has_rule = true;
	}
	if (ng_nla_u32(tb[NGUARD_CONN_A_PKTS_ORIG], &c->pkts_orig))
		return "NGUARD_CONN_A_PKTS_ORIG";
	if (ng_nla_u32(tb[NGUARD_CONN_A_PKTS_REPLY], &c->pkts_reply))
		return "NGUARD_CONN_A_PKTS_REPLY";
	if (ng_nla_u32(tb[NGUARD_CONN_A_IDLE_MS], &c->idle_ms))
		return "NGUARD_CONN_A_IDLE_MS";
	if (ng_nla_u32(tb[NGUARD_CONN_A_EXPIRES], &c->expires))
		return "NGUARD_CONN_A_EXPIRES";
	if (tb[NGUARD_CONN_A_LIMIT_PKTS]) {
		if (ng_nla_u32(tb[NGUARD_CONN_A_LIMIT_PKTS], &c->limit_pkts))
			return "NGUARD_CONN_A_LIMIT_PKTS";
		c->has_limit_pkts = true;
	}
	if (tb[NGUARD_CONN_A_LIMIT_BYTES]) {
		if (ng_nla_u32(tb[NGUARD_CONN_A_LIMIT_BYTES], &c->limit_bytes))
			return "NGUARD_CONN_A_LIMIT_BYTES";
		c->has_limit_bytes = true;
	}
	return NULL;
}

static const char *ng_conn_parse_v(const struct nlattr *nest, void *item)
{
	return ng_conn_parse(nest, item);
}

int ng_conns_dump_msg(struct nl_msg *msg, void *arg)
{
	struct ng_conn_list *l = arg;

	return ng_dump_collect(msg, NGUARD_A_CONN, &l->v, &l->n, &l->cap, sizeof(*l->v),
			       &l->bad, ng_conn_parse_v);
}

void ng_conns_free(struct ng_conn_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

const char *ng_conn_state_name(uint8_t state)
{
	static const char *const names[] = {
		[NGUARD_CONN_NONE]		= "none",
		[NGUARD_CONN_SYN_SENT]		= "syn_sent",
		[NGUARD_CONN_SYN_RECV]		= "syn_recv",
		[NGUARD_CONN_ESTABLISHED]	= "established",
		[NGUARD_CONN_FIN_WAIT]		= "fin_wait",
		[NGUARD_CONN_CLOSING]		= "closing",
		[NGUARD_CONN_CLOSE]		= "close",
	};

	return state < sizeof(names) / sizeof(names[0]) ? names[state] : NULL;
}

static bool ng_is_icmp(const struct ng_conn *c)
{
	return c->proto == 1 || c->proto == 58;
}

/* Name of segment @id in @p, or its number in @buf. */
static const char *ng_conn_seg(const struct ng_policy *p, uint16_t id, char *buf, size_t len)
{
	if (id == NGUARD_SEGMENT_WORLD)
		return "world";
	if (id >= 1 && id <= p->n_segs)
		return p->segs[id - 1].name;
	snprintf(buf, len, "%u", id);
	return buf;
}

/* The columns of one text line. */
struct ng_conn_cells {
	char proto[8];
	char src[64], dst[64];	/* "[v6]:port", "v4 id N" */
	char segs[2 * NGUARD_SEGMENT_NAME_MAX + 8];
	char state[16];
	char pkts[32], idle[32], expires[24], rule[24];
	char limit[48];		/* "limit 12 pkts 65536 bytes": tokens left */
};

#define NG_CONN_COLS 9	/* padded columns; the rule (or the limit) ends the line */

static void ng_conn_endpoint(char *buf, size_t len, const struct ng_conn *c,
			     const uint8_t *addr, uint16_t port, bool dst)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(c->family == 6 ? AF_INET6 : AF_INET, addr, a, sizeof(a));
	if (ng_proto_has_ports(c->proto))
		snprintf(buf, len, c->family == 6 ? "[%s]:%u" : "%s:%u", a, port);
	else if (dst && ng_is_icmp(c))
		snprintf(buf, len, "%s id %u", a, c->sport);
	else
		snprintf(buf, len, "%s", a);
}

static void ng_conn_cells(struct ng_conn_cells *x, const struct ng_conn *c,
			  const struct ng_policy *p)
{
	char sb[8], db[8], t[24];
	const char *s;

	s = ng_proto_name(c->proto);
	if (s)
		snprintf(x->proto, sizeof(x->proto), "%s", s);
	else
		snprintf(x->proto, sizeof(x->proto), "%u", c->proto);
	ng_conn_endpoint(x->src, sizeof(x->src), c, c->src, c->sport, false);
	ng_conn_endpoint(x->dst, sizeof(x->dst), c, c->dst, c->dport, true);
	snprintf(x->segs, sizeof(x->segs), "%s -> %s",
		 ng_conn_seg(p, c->src_seg, sb, sizeof(sb)),
		 ng_conn_seg(p, c->dst_seg, db, sizeof(db)));
	/* Non-TCP has no state: whether the responder answered says more. */
	s = ng_conn_state_name(c->state);
	if (c->state == NGUARD_CONN_NONE)
		s = c->flags & NGUARD_CONN_F_REPLIED ? "replied" : "unreplied";
	if (s)
		snprintf(x->state, sizeof(x->state), "%s", s);
	else
		snprintf(x->state, sizeof(x->state), "state %u", c->state);
	snprintf(x->pkts, sizeof(x->pkts), "pkts %u/%u", c->pkts_orig, c->pkts_reply);
	snprintf(x->idle, sizeof(x->idle), "idle %s", ng_fmt_ms(t, sizeof(t), c->idle_ms));
	snprintf(x->expires, sizeof(x->expires), "expires %us", c->expires);
	if (c->has_rule && c->rule == NGUARD_CONN_RULE_KEPT)
		snprintf(x->rule, sizeof(x->rule), "rule kept");
	else if (c->has_rule)
		snprintf(x->rule, sizeof(x->rule), "rule %u", c->rule);
	else
		snprintf(x->rule, sizeof(x->rule), "rule default");
	x->limit[0] = '\0';
	if (c->has_limit_pkts && c->has_limit_bytes)
		snprintf(x->limit, sizeof(x->limit), "limit %u pkts %u bytes", c->limit_pkts,
			 c->limit_bytes);
	else if (c->has_limit_pkts)
		snprintf(x->limit, sizeof(x->limit), "limit %u pkts", c->limit_pkts);
	else if (c->has_limit_bytes)
		snprintf(x->limit, sizeof(x->limit), "limit %u bytes", c->limit_bytes);
}

static const char *ng_conn_col(const struct ng_conn_cells *x, int i)
{
	const char *const col[NG_CONN_COLS] = {
		x->proto, x->src, x->dst, x->segs, x->state, x->pkts, x->idle, x->expires,
		x->rule,
	};

	return col[i];
}

static void ng_widen(int *w, const char *s)
{
	if ((int)strlen(s) > *w)
		*w = (int)strlen(s);
}

void ng_conns_print(FILE *f, const struct ng_conn_list *l, const struct ng_policy *p)
{
	static const char *const titles[] = { "proto", "source", "destination", "segments", "state" };
	int w[NG_CONN_COLS] = { 0 }, i;
	struct ng_conn_cells x;
	size_t k;

	for (i = 0; i < 5; i++)
		ng_widen(&w[i], titles[i]);
	for (k = 0; k < l->n; k++) {
		ng_conn_cells(&x, &l->v[k], p);
		for (i = 0; i < NG_CONN_COLS; i++)
			ng_widen(&w[i], ng_conn_col(&x, i));
	}
	fprintf(f, "%-*s  %-*s    %-*s  %-*s  %s\n", w[0], titles[0], w[1], titles[1],
		w[2], titles[2], w[3], titles[3], titles[4]);
	for (k = 0; k < l->n; k++) {
		ng_conn_cells(&x, &l->v[k], p);
		fprintf(f, "%-*s  %-*s -> %-*s  %-*s  %-*s  %-*s  %-*s  %-*s  ",
			w[0], x.proto, w[1], x.src, w[2], x.dst, w[3], x.segs,
			w[4], x.state, w[5], x.pkts, w[6], x.idle, w[7], x.expires);
		if (x.limit[0])
			fprintf(f, "%-*s  %s\n", w[8], x.rule, x.limit);
		else
			fprintf(f, "%s\n", x.rule);
	}
	fprintf(f, "%zu connection%s\n", l->n, l->n == 1 ? "" : "s");
}

static json_object *ng_conn_seg_json(const struct ng_policy *p, uint16_t id)
{
	char b[8];
	const char *s = ng_conn_seg(p, id, b, sizeof(b));

	return s == b ? json_object_new_int(id) : json_object_new_string(s);
}

json_object *ng_conns_json(const struct ng_conn_list *l, const struct ng_policy *p)
{
	json_object *arr = json_object_new_array();
	char a[INET6_ADDRSTRLEN];
	size_t k;

	for (k = 0; k < l->n; k++) {
		const struct ng_conn *c = &l->v[k];
		json_object *o = json_object_new_object();
		int af = c->family == 6 ? AF_INET6 : AF_INET;
		const char *s;

		json_object_object_add(o, "family", json_object_new_int(c->family));
		s = ng_proto_name(c->proto);
		json_object_object_add(o, "proto", s ? json_object_new_string(s) :
				       json_object_new_int(c->proto));
		json_object_object_add(o, "src", json_object_new_string(
			inet_ntop(af, c->src, a, sizeof(a))));
		json_object_object_add(o, "dst", json_object_new_string(
			inet_ntop(af, c->dst, a, sizeof(a))));
		json_object_object_add(o, "sport", json_object_new_int(c->sport));
		json_object_object_add(o, "dport", json_object_new_int(c->dport));
		json_object_object_add(o, "src_segment", ng_conn_seg_json(p, c->src_seg));
		json_object_object_add(o, "dst_segment", ng_conn_seg_json(p, c->dst_seg));
		s = ng_conn_state_name(c->state);
		json_object_object_add(o, "state", s ? json_object_new_string(s) :
				       json_object_new_int(c->state));
		json_object_object_add(o, "replied",
				       json_object_new_boolean(c->flags & NGUARD_CONN_F_REPLIED));
		json_object_object_add(o, "rule", !c->has_rule ? NULL :
				       c->rule == NGUARD_CONN_RULE_KEPT ?
				       json_object_new_string("kept") :
				       json_object_new_uint64(c->rule));
		json_object_object_add(o, "pkts_orig", json_object_new_uint64(c->pkts_orig));
		json_object_object_add(o, "pkts_reply", json_object_new_uint64(c->pkts_reply));
		json_object_object_add(o, "idle_ms", json_object_new_uint64(c->idle_ms));
		json_object_object_add(o, "expires", json_object_new_uint64(c->expires));
		json_object_object_add(o, "limit_pkts", c->has_limit_pkts ?
				       json_object_new_uint64(c->limit_pkts) : NULL);
		json_object_object_add(o, "limit_bytes", c->has_limit_bytes ?
				       json_object_new_uint64(c->limit_bytes) : NULL);
		json_object_array_add(arr, o);
	}
	return arr;
}
