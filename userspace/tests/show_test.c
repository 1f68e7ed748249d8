// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for the anomaly settings of the policy transaction: what
 * policy_push.c puts in the first POLICY_ADD chunk, decoded by
 * policy_dump.c's POLICY_GET parser (the kernel reports them back in the
 * same attributes), must give the same policy; missing attributes take
 * the defaults, malformed ones are named. The same for exempt lines,
 * which travel in NGUARD_A_EXEMPT nests of their own. Also show --json's
 * keys (policy_json.c).
 */
#include <stdlib.h>
#include <netlink/genl/genl.h>
#include "check.h"
#include "parser.h"
#include "policy_dump.h"
#include "policy_json.h"
#include "policy_push.h"

static struct nl_msg *dump_msg(void)
{
	struct nl_msg *m = nlmsg_alloc();

	genlmsg_put(m, 0, 0, 20, 0, NLM_F_MULTI, NGUARD_CMD_POLICY_GET, NGUARD_GENL_VERSION);
	return m;
}

static void parse_text(const char *text, struct ng_policy *p)
{
	struct ng_diag d;

	ng_diag_init(&d);
	CHECK(ng_policy_parse("t.conf", text, strlen(text), p, &d) == 0);
	ng_diag_free(&d);
}

/* @p's settings as apply sends them, decoded as show would: *@q. */
static const char *settings_round_trip(const struct ng_policy *p, struct ng_policy *q)
{
	struct ng_policy_dump d = { .p = q };
	struct nl_msg *m = dump_msg();

	ng_policy_init(q);
	nla_put_u64(m, NGUARD_A_POLICY_GEN, 3);
	CHECK(ng_put_settings(m, p) == 0);
	CHECK(ng_policy_dump_msg(m, &d) == 0);
	nlmsg_free(m);
	return d.bad;
}

static char *print(const struct ng_policy *p)
{
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);

	ng_policy_print(f, p);
	fclose(f);
	return text;
}

/* Feed one message holding @a (built by the caller) to a fresh dump. */
static const char *decode(struct nl_msg *m, struct ng_policy *q)
{
	struct ng_policy_dump d = { .p = q };

	ng_policy_init(q);
	CHECK(ng_policy_dump_msg(m, &d) == 0);
	nlmsg_free(m);
	return d.bad;
}

enum { F_KIND = 1, F_ACTION = 2, F_SECS = 4, F_RATE = 8 };

/* A synflood detector nest with block action; @skip leaves attributes out, @bad mis-sizes. */
static struct nl_msg *detect_msg(unsigned int skip, unsigned int bad, uint8_t kind, uint8_t action)
{
	struct nl_msg *m = dump_msg();
	struct nlattr *n = nla_nest_start(m, NGUARD_A_DETECT);

	if (!(skip & F_KIND))
		bad & F_KIND ? nla_put_u16(m, NGUARD_DETECT_A_KIND, kind) :
			       nla_put_u8(m, NGUARD_DETECT_A_KIND, kind);
	if (!(skip & F_ACTION))
		bad & F_ACTION ? nla_put_u32(m, NGUARD_DETECT_A_ACTION, action) :
				 nla_put_u8(m, NGUARD_DETECT_A_ACTION, action);
	if (!(skip & F_SECS))
		bad & F_SECS ? nla_put_u64(m, NGUARD_DETECT_A_BLOCK_SECS, 60) :
			       nla_put_u32(m, NGUARD_DETECT_A_BLOCK_SECS, 60);
	if (!(skip & F_RATE))
		bad & F_RATE ? nla_put_u16(m, NGUARD_DETECT_A_RATE, 5) :
			       nla_put_u32(m, NGUARD_DETECT_A_RATE, 5);
	nla_nest_end(m, n);
	return m;
}

/* Every exempt line of @p as apply sends it, decoded as show would: *@q. */
static const char *exempt_round_trip(const struct ng_policy *p, struct ng_policy *q)
{
	struct ng_policy_dump d = { .p = q };
	struct nl_msg *m = nlmsg_alloc_size(NG_NL_MSG_MAX);
	size_t i, before;

	genlmsg_put(m, 0, 0, 20, 0, NLM_F_MULTI, NGUARD_CMD_POLICY_GET, NGUARD_GENL_VERSION);
	ng_policy_init(q);
	nla_put_u64(m, NGUARD_A_POLICY_GEN, 3);
	for (i = 0; i < p->n_exempts; i++) {
		before = nlmsg_hdr(m)->nlmsg_len;
		CHECK(ng_put_exempt(m, &p->exempts[i]) == 0);
		CHECK(nlmsg_hdr(m)->nlmsg_len - before <= ng_exempt_size(&p->exempts[i]));
	}
	CHECK(ng_policy_dump_msg(m, &d) == 0);
	nlmsg_free(m);
	return d.bad;
}

/* One member per nest, as the module may dump a line: @seg, else an IPv4 host. */
static void put_member(struct nl_msg *m, uint32_t line, uint16_t seg, uint32_t v4)
{
	struct nlattr *n = nla_nest_start(m, NGUARD_A_EXEMPT);
	struct nguard_prefix4 p4 = { .addr = htonl(v4), .plen = 32 };

	if (seg)
		nla_put_u16(m, NGUARD_EXEMPT_A_SEGMENT, seg);
	else
		nla_put(m, NGUARD_EXEMPT_A_PREFIX4, sizeof(p4), &p4);
	nla_put_u32(m, NGUARD_EXEMPT_A_LINE, line);
	nla_nest_end(m, n);
}

enum { X_SEG_U8 = 1, X_SEG_WORLD, X_SEG_ANY, X_ODD_V4, X_ODD_V6, X_LINE_U16, X_EMPTY };

/* A NGUARD_A_EXEMPT nest with one member, or bent as @bend says. */
static struct nl_msg *exempt_msg(int bend)
{
	struct nl_msg *m = dump_msg();
	struct nlattr *n = nla_nest_start(m, NGUARD_A_EXEMPT);
	struct nguard_prefix4 p4[2] = { { .addr = htonl(0x0a000001), .plen = 32 } };
	struct nguard_prefix6 p6[2] = { { .plen = 128 } };

	if (bend == X_LINE_U16)
		nla_put_u16(m, NGUARD_EXEMPT_A_LINE, 4);
	else
		nla_put_u32(m, NGUARD_EXEMPT_A_LINE, 4);
	switch (bend) {
	case X_SEG_U8:
		nla_put_u8(m, NGUARD_EXEMPT_A_SEGMENT, 1);
		break;
	case X_SEG_WORLD:
		nla_put_u16(m, NGUARD_EXEMPT_A_SEGMENT, NGUARD_SEGMENT_WORLD);
		break;
	case X_SEG_ANY:
		nla_put_u16(m, NGUARD_EXEMPT_A_SEGMENT, NGUARD_SEGMENT_ANY);
		break;
	case X_ODD_V4:
		nla_put(m, NGUARD_EXEMPT_A_PREFIX4, sizeof(p4) - 1, p4);
		break;
	case X_ODD_V6:
		nla_put(m, NGUARD_EXEMPT_A_PREFIX6, sizeof(p6[0]) + 4, p6);
		break;
	case X_EMPTY:
		break;
	default:
		nla_put(m, NGUARD_EXEMPT_A_PREFIX4, sizeof(p4[0]), p4);
	}
	nla_nest_end_keep_empty(m, n);
	return m;
}

int main(void)
{
	struct ng_policy p, q;
	struct nl_msg *m;
	struct nlattr *n;
	json_object *j, *v, *o;
	char *t1, *t2;
	const char *bad;

	/* Every setting and detector kind survives apply -> show. */
	parse_text("default allow\nconns max 7\ntrackers max 123\nblocked max 45\nlog rate 3/s burst 9\n"
		   "ipv6 source prefix 56\n"
		   "limit conn 10/s burst 11 bytes 5Mi/s burst 6M\n"
		   "segment a 10.0.0.0/8\n"
		   "detect synflood from a 7/s burst 8 action block 2h\n"
		   "detect portscan to world weight 5 window 250ms action drop\n"
		   "detect sweep from world to a hosts 3 window 1h action log\n"
		   "detect tcpflags action block 7d\n"
		   "limit source 321\n", &p);
	CHECK(p.limit_source == 321);
	CHECK(settings_round_trip(&p, &q) == NULL);
	CHECK(q.def == NG_ALLOW && q.conns_max == 7 && q.trackers_max == 123 && q.blocked_max == 45);
	CHECK(q.limit_source == 321);
	CHECK(q.log_rate == 3 && q.log_burst == 9 && q.ipv6_src_prefix == 56);
	CHECK(q.limit.rate == 10 && q.limit.burst == 11 && q.limit.bytes == 5u << 20 &&
	      q.limit.bytes_burst == 6000000);
	CHECK(q.n_dets == 4);
	if (q.n_dets == 4) {
		CHECK(q.dets[0].line == 9 && q.dets[3].line == 12);
		CHECK(q.dets[0].from == 1 && q.dets[0].to == NG_SEG_ANY && q.dets[0].block_secs == 7200);
		CHECK(q.dets[1].to == NG_SEG_WORLD && q.dets[1].window_ms == 250);
	}
	/* The segments travel separately: add them, then the policies match. */
	ng_policy_add_segment(&q, "a", 1);
	ng_segment_add_v4(&q.segs[0], 0x0a000000, 8);
	CHECK(ng_policy_equal(&p, &q));
	t1 = print(&p);
	t2 = print(&q);
	CHECK_STR(t2, t1);
	free(t1);
	free(t2);

	/* show --json: the new keys. */
	ng_policy_free(&q);
	ng_policy_init(&q);
	j = ng_detectors_json(&p);
	CHECK(json_object_array_length(j) == 4);
	o = json_object_array_get_idx(j, 0);
	CHECK_STR(json_object_get_string(json_object_object_get(o, "kind")), "synflood");
	CHECK_STR(json_object_get_string(json_object_object_get(o, "from")), "a");
	CHECK_STR(json_object_get_string(json_object_object_get(o, "to")), "*");
	CHECK_STR(json_object_get_string(json_object_object_get(o, "action")), "block");
	CHECK(json_object_get_int(json_object_object_get(o, "block_secs")) == 7200);
	CHECK(json_object_get_int(json_object_object_get(o, "rate")) == 7);
	CHECK(json_object_get_int(json_object_object_get(o, "burst")) == 8);
	CHECK(json_object_get_int(json_object_object_get(o, "line")) == 9);
	CHECK_STR(json_object_get_string(json_object_object_get(o, "text")),
		  "detect synflood from a 7/s burst 8 action block 7200s");
	o = json_object_array_get_idx(j, 1);
	CHECK(json_object_object_get_ex(o, "block_secs", &v) && v == NULL);
	CHECK(json_object_get_int(json_object_object_get(o, "window_ms")) == 250);
	CHECK(!json_object_object_get_ex(o, "hosts", &v));
	json_object_put(j);
	j = ng_policy_json(&p, 3);
	CHECK(json_object_get_int(json_object_object_get(j, "ipv6_source_prefix")) == 56);
	CHECK(json_object_get_int(json_object_object_get(j, "blocked_max")) == 45);
	CHECK(json_object_object_get_ex(j, "limit_source", &v) &&
	      json_object_is_type(v, json_type_int) && json_object_get_int(v) == 321);
	CHECK(json_object_get_int(json_object_object_get(
		json_object_object_get(j, "limit_conn"), "rate")) == 10);
	json_object_put(j);
	ng_policy_free(&p);
	/* Unset: 0 (the module's /64), like trackers_max and blocked_max. */
	parse_text("default deny\n", &p);
	j = ng_policy_json(&p, 1);
	CHECK(json_object_object_get_ex(j, "ipv6_source_prefix", &v) && json_object_get_int(v) == 0);
	CHECK(json_object_get_int(json_object_object_get(j, "trackers_max")) == 0);
	/* No limits: null, not 0 (which would read as "no connection at all"). */
	CHECK(json_object_object_get_ex(j, "limit_source", &v) && v == NULL);
	CHECK(json_object_object_get_ex(j, "limit_conn", &v) && v == NULL);
	json_object_put(j);
	j = ng_policy_json(&p, 0);	/* no policy: the generation alone */
	CHECK(json_object_object_length(j) == 1);
	json_object_put(j);
	ng_policy_free(&p);

	/* Nothing anomaly-related: none of the new attributes is sent. */
	parse_text("default deny\n", &p);
	m = dump_msg();
	CHECK(ng_put_settings(m, &p) == 0);
	CHECK(nlmsg_find_attr(nlmsg_hdr(m), GENL_HDRLEN, NGUARD_A_LIMIT_CONN) == NULL);
	CHECK(nlmsg_find_attr(nlmsg_hdr(m), GENL_HDRLEN, NGUARD_A_DETECT) == NULL);
	CHECK(nlmsg_find_attr(nlmsg_hdr(m), GENL_HDRLEN, NGUARD_A_LOG_RATE) == NULL);
	CHECK(nlmsg_find_attr(nlmsg_hdr(m), GENL_HDRLEN, NGUARD_A_TRACKERS_MAX) == NULL);
	CHECK(nlmsg_find_attr(nlmsg_hdr(m), GENL_HDRLEN, NGUARD_A_BLOCKED_MAX) == NULL);
	CHECK(nlmsg_find_attr(nlmsg_hdr(m), GENL_HDRLEN, NGUARD_A_IPV6_SRC_PREFIX) == NULL);
	CHECK(nlmsg_find_attr(nlmsg_hdr(m), GENL_HDRLEN, NGUARD_A_LIMIT_SOURCE) == NULL);
	CHECK(nlmsg_find_attr(nlmsg_hdr(m), GENL_HDRLEN, NGUARD_A_CONNS_MAX) != NULL);
	nlmsg_free(m);
	/* "limit source" alone: a u32 of its own, "limit conn" not sent. */
	ng_policy_free(&p);
	parse_text("default deny\nlimit source 16777216\n", &p);
	m = dump_msg();
	CHECK(ng_put_settings(m, &p) == 0);
	n = nlmsg_find_attr(nlmsg_hdr(m), GENL_HDRLEN, NGUARD_A_LIMIT_SOURCE);
	CHECK(n && nla_len(n) == 4 && nla_get_u32(n) == NGUARD_MAX_CONNS);
	CHECK(nlmsg_find_attr(nlmsg_hdr(m), GENL_HDRLEN, NGUARD_A_LIMIT_CONN) == NULL);
	nlmsg_free(m);
	/* Only the byte bucket: no packet attributes inside the nest. */
	ng_policy_free(&p);
	parse_text("default deny\nlimit conn bytes 1G/s\ndetect tcpflags action log\n", &p);
	m = dump_msg();
	CHECK(ng_put_settings(m, &p) == 0);
	n = nlmsg_find_attr(nlmsg_hdr(m), GENL_HDRLEN, NGUARD_A_LIMIT_CONN);
	CHECK(n && !nla_find(nla_data(n), nla_len(n), NGUARD_LIMIT_A_RATE) &&
	      nla_find(nla_data(n), nla_len(n), NGUARD_LIMIT_A_BYTES));
	n = nlmsg_find_attr(nlmsg_hdr(m), GENL_HDRLEN, NGUARD_A_DETECT);
	CHECK(n && !nla_find(nla_data(n), nla_len(n), NGUARD_DETECT_A_BLOCK_SECS) &&
	      !nla_find(nla_data(n), nla_len(n), NGUARD_DETECT_A_WINDOW_MS));
	nlmsg_free(m);
	ng_policy_free(&p);

	/* Missing parameters take the parser's defaults. */
	m = dump_msg();
	n = nla_nest_start(m, NGUARD_A_LIMIT_CONN);
	nla_put_u32(m, NGUARD_LIMIT_A_RATE, 100);
	nla_put_u64(m, NGUARD_LIMIT_A_BYTES, 1000);
	nla_nest_end(m, n);
	n = nla_nest_start(m, NGUARD_A_DETECT);
	nla_put_u8(m, NGUARD_DETECT_A_KIND, NG_DET_PORTSCAN);
	nla_put_u8(m, NGUARD_DETECT_A_ACTION, NG_ACT_LOG);
	nla_nest_end(m, n);
	n = nla_nest_start(m, NGUARD_A_DETECT);
	nla_put_u8(m, NGUARD_DETECT_A_KIND, NG_DET_SWEEP);
	nla_put_u8(m, NGUARD_DETECT_A_ACTION, NG_ACT_LOG);
	nla_nest_end(m, n);
	n = nla_nest_start(m, NGUARD_A_DETECT);
	nla_put_u8(m, NGUARD_DETECT_A_KIND, NG_DET_SYNFLOOD);
	nla_put_u8(m, NGUARD_DETECT_A_ACTION, NG_ACT_LOG);
	nla_put_u32(m, NGUARD_DETECT_A_RATE, 3000000000u);
	nla_nest_end(m, n);
	nla_put_u32(m, NGUARD_A_LOG_RATE, 60000);
	CHECK(decode(m, &q) == NULL);
	CHECK(q.limit.burst == 100 && q.limit.bytes_burst == 1000);	/* the module's defaults */
	CHECK(q.n_dets == 3);
	if (q.n_dets == 3) {
		CHECK(q.dets[0].weight == 21 && q.dets[0].window_ms == 3000);
		CHECK(q.dets[0].from == NG_SEG_ANY && q.dets[0].to == NG_SEG_ANY);
		CHECK(q.dets[1].hosts == 32 && q.dets[1].window_ms == 10000);
		CHECK(q.dets[2].burst == 3000000000u);
	}
	CHECK(q.log_rate == 60000 && q.log_burst == 20);
	ng_policy_free(&q);
	/* A zero rate means no bucket; a log burst alone has the default rate. */
	m = dump_msg();
	n = nla_nest_start(m, NGUARD_A_LIMIT_CONN);
	nla_put_u32(m, NGUARD_LIMIT_A_RATE, 0);
	nla_put_u32(m, NGUARD_LIMIT_A_BURST, 5);
	nla_put_u64(m, NGUARD_LIMIT_A_BYTES, 0);
	nla_nest_end(m, n);
	nla_put_u32(m, NGUARD_A_LOG_BURST, 7);
	CHECK(decode(m, &q) == NULL);
	CHECK(!q.limit.rate && !q.limit.burst && !q.limit.bytes && q.log_rate == 10 &&
	      q.log_burst == 7);
	t1 = print(&q);
	CHECK_STR(t1, "mode enforce\ndefault deny\nlog rate 10/s burst 7\n");
	free(t1);
	ng_policy_free(&q);

	/* Malformed: named, and nothing crashes. */
	CHECK_STR(decode(detect_msg(F_KIND, 0, NG_DET_SYNFLOOD, NG_ACT_BLOCK), &q), "NGUARD_A_DETECT");
	ng_policy_free(&q);
	CHECK_STR(decode(detect_msg(F_ACTION, 0, NG_DET_SYNFLOOD, NG_ACT_BLOCK), &q), "NGUARD_A_DETECT");
	ng_policy_free(&q);
	CHECK_STR(decode(detect_msg(F_SECS, 0, NG_DET_SYNFLOOD, NG_ACT_BLOCK), &q), "NGUARD_A_DETECT");
	ng_policy_free(&q);
	CHECK(decode(detect_msg(F_SECS, 0, NG_DET_SYNFLOOD, NG_ACT_DROP), &q) == NULL);
	ng_policy_free(&q);
	CHECK_STR(decode(detect_msg(F_RATE, 0, NG_DET_SYNFLOOD, NG_ACT_BLOCK), &q), "NGUARD_A_DETECT");
	ng_policy_free(&q);
	CHECK(decode(detect_msg(F_RATE, 0, NG_DET_TCPFLAGS, NG_ACT_BLOCK), &q) == NULL);
	ng_policy_free(&q);
	CHECK_STR(decode(detect_msg(0, F_KIND, NG_DET_SYNFLOOD, NG_ACT_BLOCK), &q), "NGUARD_A_DETECT");
	ng_policy_free(&q);
	CHECK_STR(decode(detect_msg(0, F_ACTION, NG_DET_SYNFLOOD, NG_ACT_BLOCK), &q), "NGUARD_A_DETECT");
	ng_policy_free(&q);
	CHECK_STR(decode(detect_msg(0, F_SECS, NG_DET_SYNFLOOD, NG_ACT_BLOCK), &q), "NGUARD_A_DETECT");
	ng_policy_free(&q);
	CHECK_STR(decode(detect_msg(0, F_RATE, NG_DET_SYNFLOOD, NG_ACT_BLOCK), &q), "NGUARD_A_DETECT");
	ng_policy_free(&q);
	CHECK_STR(decode(detect_msg(0, 0, NG_DET_MANUAL, NG_ACT_BLOCK), &q), "NGUARD_A_DETECT");
	ng_policy_free(&q);
	CHECK_STR(decode(detect_msg(0, 0, 0, NG_ACT_BLOCK), &q), "NGUARD_A_DETECT");
	ng_policy_free(&q);
	CHECK_STR(decode(detect_msg(0, 0, NG_DET_SWEEP, 4), &q), "NGUARD_A_DETECT");
	ng_policy_free(&q);
	m = dump_msg();
	n = nla_nest_start(m, NGUARD_A_LIMIT_CONN);
	nla_put_u32(m, NGUARD_LIMIT_A_BYTES, 5);	/* u64 expected */
	nla_nest_end(m, n);
	CHECK_STR(decode(m, &q), "NGUARD_A_LIMIT_CONN");
	ng_policy_free(&q);
	m = dump_msg();
	nla_put(m, NGUARD_A_LIMIT_CONN, 3, "abc");	/* not a nest */
	bad = decode(m, &q);
	CHECK(bad == NULL || !strcmp(bad, "NGUARD_A_LIMIT_CONN"));
	ng_policy_free(&q);
	m = dump_msg();
	nla_put_u16(m, NGUARD_A_LOG_RATE, 5);
	CHECK_STR(decode(m, &q), "NGUARD_A_LOG_RATE");
	ng_policy_free(&q);
	m = dump_msg();
	nla_put_u32(m, NGUARD_A_LOG_BURST, 0);
	CHECK_STR(decode(m, &q), "NGUARD_A_LOG_BURST");
	ng_policy_free(&q);
	m = dump_msg();
	nla_put_u64(m, NGUARD_A_TRACKERS_MAX, 5);
	CHECK_STR(decode(m, &q), "NGUARD_A_TRACKERS_MAX");
	ng_policy_free(&q);
	m = dump_msg();
	nla_put_u8(m, NGUARD_A_BLOCKED_MAX, 5);
	CHECK_STR(decode(m, &q), "NGUARD_A_BLOCKED_MAX");
	ng_policy_free(&q);
	m = dump_msg();
	nla_put_u16(m, NGUARD_A_IPV6_SRC_PREFIX, 64);
	CHECK_STR(decode(m, &q), "NGUARD_A_IPV6_SRC_PREFIX");
	ng_policy_free(&q);
	m = dump_msg();
	nla_put_u8(m, NGUARD_A_IPV6_SRC_PREFIX, 47);
	CHECK_STR(decode(m, &q), "NGUARD_A_IPV6_SRC_PREFIX");
	ng_policy_free(&q);
	m = dump_msg();
	nla_put_u8(m, NGUARD_A_IPV6_SRC_PREFIX, 129);
	CHECK_STR(decode(m, &q), "NGUARD_A_IPV6_SRC_PREFIX");
	ng_policy_free(&q);
	m = dump_msg();
	nla_put_u8(m, NGUARD_A_IPV6_SRC_PREFIX, 128);
	CHECK(decode(m, &q) == NULL && q.ipv6_src_prefix == 128);
	t1 = print(&q);
	CHECK_STR(t1, "mode enforce\ndefault deny\nipv6 source prefix 128\n");
	free(t1);
	ng_policy_free(&q);
	m = dump_msg();
	nla_put_u16(m, NGUARD_A_LIMIT_SOURCE, 100);
	CHECK_STR(decode(m, &q), "NGUARD_A_LIMIT_SOURCE");
	ng_policy_free(&q);
	m = dump_msg();
	nla_put_u64(m, NGUARD_A_LIMIT_SOURCE, 100);
	CHECK_STR(decode(m, &q), "NGUARD_A_LIMIT_SOURCE");
	ng_policy_free(&q);
	m = dump_msg();
	nla_put_u32(m, NGUARD_A_LIMIT_SOURCE, 0);
	CHECK_STR(decode(m, &q), "NGUARD_A_LIMIT_SOURCE");
	ng_policy_free(&q);
	m = dump_msg();
	nla_put_u32(m, NGUARD_A_LIMIT_SOURCE, NGUARD_MAX_CONNS + 1);
	CHECK_STR(decode(m, &q), "NGUARD_A_LIMIT_SOURCE");
	ng_policy_free(&q);
	m = dump_msg();
	nla_put_u32(m, NGUARD_A_LIMIT_SOURCE, 1);
	CHECK(decode(m, &q) == NULL && q.limit_source == 1);
	t1 = print(&q);
	CHECK_STR(t1, "mode enforce\ndefault deny\nlimit source 1\n");
	free(t1);
	ng_policy_free(&q);
	/* settings_only (trace): segments, rules and exempt lines are skipped. */
	parse_text("default deny\nsegment a 10.0.0.0/8\nallow a -> *\nexempt a\n"
		   "ipv6 source prefix 56\nlimit source 9\n", &p);
	m = nlmsg_alloc_size(NG_NL_MSG_MAX);
	genlmsg_put(m, 0, 0, 20, 0, NLM_F_MULTI, NGUARD_CMD_POLICY_GET, NGUARD_GENL_VERSION);
	nla_put_u64(m, NGUARD_A_POLICY_GEN, 4);
	CHECK(ng_put_settings(m, &p) == 0);
	CHECK(ng_put_exempt(m, &p.exempts[0]) == 0);
	n = nla_nest_start(m, NGUARD_A_SEGMENT);
	nla_put_u16(m, NGUARD_SEG_A_ID, 7);	/* not the next id: an error unless skipped */
	nla_put_string(m, NGUARD_SEG_A_NAME, "x");
	nla_nest_end(m, n);
	nla_nest_end(m, nla_nest_start(m, NGUARD_A_RULE));	/* empty: an error unless skipped */
	{
		struct ng_policy_dump d = { .p = &q, .settings_only = true };

		ng_policy_init(&q);
		CHECK(ng_policy_dump_msg(m, &d) == 0);
		CHECK(d.bad == NULL && d.gen == 4);
		CHECK(q.limit_source == 9 && q.ipv6_src_prefix == 56 && q.mode == NG_MODE_ENFORCE);
		CHECK(q.n_segs == 0 && q.n_rules == 0 && q.n_exempts == 0);
		ng_policy_free(&q);
		d.settings_only = false;	/* the same message in full: the segment is bad */
		d.gen = 0;
		CHECK(ng_policy_dump_msg(m, &d) == 0);
		CHECK(d.bad && !strcmp(d.bad, "NGUARD_A_SEGMENT") && q.n_exempts == 1);
		ng_policy_free(&q);
	}
	nlmsg_free(m);
	ng_policy_free(&p);
	m = dump_msg();
	n = nla_nest_start(m, NGUARD_A_DETECT);
	nla_put_u8(m, NGUARD_DETECT_A_KIND, NG_DET_SWEEP);
	nla_put_u8(m, NGUARD_DETECT_A_ACTION, NG_ACT_LOG);
	nla_put_u8(m, NGUARD_DETECT_A_FROM, 1);	/* u16 expected */
	nla_nest_end(m, n);
	CHECK_STR(decode(m, &q), "NGUARD_A_DETECT");
	ng_policy_free(&q);

	/* Exempt lines: apply -> show keeps members, order and lines. */
	parse_text("default deny\nsegment gw 10.0.0.1\nsegment dns 10.0.0.53\n"
		   "detect portscan action block 1h\n"
		   "exempt dns 192.0.2.0/24 2001:db8::1 gw 2001:db8:5::/48 198.51.100.7\n"
		   "exempt 203.0.113.9\n", &p);
	m = dump_msg();
	CHECK(ng_put_settings(m, &p) == 0);	/* not a setting: sent on its own */
	CHECK(nlmsg_find_attr(nlmsg_hdr(m), GENL_HDRLEN, NGUARD_A_EXEMPT) == NULL);
	nlmsg_free(m);
	CHECK(exempt_round_trip(&p, &q) == NULL);
	CHECK(q.n_exempts == 2);
	if (q.n_exempts == 2) {
		CHECK(q.exempts[0].line == 5 && q.exempts[1].line == 6);
		CHECK(q.exempts[0].n_segs == 2 && q.exempts[0].segs[0] == 2 &&
		      q.exempts[0].segs[1] == 1);
		CHECK(q.exempts[0].n_v4 == 2 && q.exempts[0].v4[1].addr == 0xc6336407 &&
		      q.exempts[0].v4[1].len == 32);
		CHECK(q.exempts[0].n_v6 == 2 && q.exempts[0].v6[1].len == 48);
	}
	/* The rest travels separately: add it, then the policies match. */
	ng_policy_add_segment(&q, "gw", 2);
	ng_segment_add_v4(&q.segs[0], 0x0a000001, 32);
	ng_policy_add_segment(&q, "dns", 3);
	ng_segment_add_v4(&q.segs[1], 0x0a000035, 32);
	*ng_policy_add_detect(&q) = p.dets[0];
	CHECK(ng_policy_equal(&p, &q));
	t1 = print(&p);
	t2 = print(&q);
	CHECK_STR(t2, t1);
	CHECK(strstr(t1, "\nexempt dns gw 192.0.2.0/24 198.51.100.7 2001:db8::1 2001:db8:5::/48\n"
			 "exempt 203.0.113.9\n") != NULL);
	free(t1);
	free(t2);
	/* show --json: "exempt", one object per line. */
	j = ng_exempt_json(&q);
	CHECK(json_object_array_length(j) == 2);
	o = json_object_array_get_idx(j, 0);
	CHECK(json_object_get_int(json_object_object_get(o, "index")) == 0);
	CHECK(json_object_get_int(json_object_object_get(o, "line")) == 5);
	v = json_object_object_get(o, "segments");
	CHECK(json_object_array_length(v) == 2);
	CHECK_STR(json_object_get_string(json_object_array_get_idx(v, 0)), "dns");
	v = json_object_object_get(o, "prefixes");
	CHECK(json_object_array_length(v) == 4);
	CHECK_STR(json_object_get_string(json_object_array_get_idx(v, 1)), "198.51.100.7/32");
	CHECK_STR(json_object_get_string(json_object_array_get_idx(v, 2)), "2001:db8::1/128");
	CHECK_STR(json_object_get_string(json_object_object_get(o, "text")),
		  "exempt dns gw 192.0.2.0/24 198.51.100.7 2001:db8::1 2001:db8:5::/48");
	json_object_put(j);
	ng_policy_free(&p);
	ng_policy_free(&q);

	/* NGUARD_MAX_EXEMPT IPv6 hosts on one line fit one POLICY_ADD chunk. */
	{
		char *big = NULL;
		size_t len, i;
		FILE *f = open_memstream(&big, &len);

		fputs("default deny\nexempt", f);
		for (i = 0; i < NGUARD_MAX_EXEMPT; i++)
			fprintf(f, " 2001:db8::%zx:%zx", i + 1, i);
		fputs("\n", f);
		fclose(f);
		parse_text(big, &p);
		free(big);
		CHECK(p.n_exempts == 1 && ng_exempt_size(&p.exempts[0]) < NG_NL_MSG_MAX - 8192);
		CHECK(exempt_round_trip(&p, &q) == NULL && ng_policy_equal(&p, &q));
		ng_policy_free(&p);
		ng_policy_free(&q);
	}

	/* A well-formed nest, then each malformation named. */
	CHECK(decode(exempt_msg(0), &q) == NULL);
	CHECK(q.n_exempts == 1 && q.exempts[0].n_v4 == 1 && q.exempts[0].line == 4);
	ng_policy_free(&q);
	CHECK_STR(decode(exempt_msg(X_SEG_U8), &q), "NGUARD_A_EXEMPT");
	ng_policy_free(&q);
	CHECK_STR(decode(exempt_msg(X_SEG_WORLD), &q), "NGUARD_A_EXEMPT");
	ng_policy_free(&q);
	CHECK_STR(decode(exempt_msg(X_SEG_ANY), &q), "NGUARD_A_EXEMPT");
	ng_policy_free(&q);
	CHECK_STR(decode(exempt_msg(X_ODD_V4), &q), "NGUARD_A_EXEMPT");
	ng_policy_free(&q);
	CHECK_STR(decode(exempt_msg(X_ODD_V6), &q), "NGUARD_A_EXEMPT");
	ng_policy_free(&q);
	CHECK_STR(decode(exempt_msg(X_LINE_U16), &q), "NGUARD_A_EXEMPT");
	ng_policy_free(&q);
	CHECK_STR(decode(exempt_msg(X_EMPTY), &q), "NGUARD_A_EXEMPT");
	ng_policy_free(&q);

	/* Nests of one line (even across messages) make one line; line 0 never merges. */
	{
		struct ng_policy_dump d = { .p = &q };

		ng_policy_init(&q);
		m = dump_msg();
		put_member(m, 4, 2, 0);
		put_member(m, 4, 0, 0x0a000001);
		CHECK(ng_policy_dump_msg(m, &d) == 0);
		nlmsg_free(m);
		m = dump_msg();
		put_member(m, 4, 0, 0x0a000002);
		put_member(m, 9, 1, 0);
		put_member(m, 0, 3, 0);
		put_member(m, 0, 0, 0x0a000003);
		CHECK(ng_policy_dump_msg(m, &d) == 0 && d.bad == NULL);
		nlmsg_free(m);
		CHECK(q.n_exempts == 4);
		if (q.n_exempts == 4) {
			CHECK(q.exempts[0].line == 4 && q.exempts[0].n_segs == 1 &&
			      q.exempts[0].segs[0] == 2 && q.exempts[0].n_v4 == 2 &&
			      q.exempts[0].v4[1].addr == 0x0a000002);
			CHECK(q.exempts[1].line == 9 && q.exempts[1].n_segs == 1);
			CHECK(q.exempts[2].n_segs == 1 && q.exempts[3].n_v4 == 1);
		}
		ng_policy_free(&q);
	}
	return CHECK_DONE();
}
