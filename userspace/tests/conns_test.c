// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for conns.c: NGUARD_A_CONN parsing (every attribute, each
 * one missing or mis-sized), the dump callback, segment names through a
 * policy, text columns and JSON.
 */
#include <stdlib.h>
#include <arpa/inet.h>
#include <netlink/genl/genl.h>
#include "check.h"
#include "conns.h"

/* One connection as the module describes it. */
struct spec {
	uint8_t family, proto, state, flags;
	const char *src, *dst;
	uint16_t sport, dport, src_seg, dst_seg;
	int rule;		/* -1: absent (default) */
	uint32_t pkts_orig, pkts_reply, idle_ms, expires;
	int limit;		/* with LIMIT_PKTS and LIMIT_BYTES */
	uint32_t limit_pkts, limit_bytes;
	int skip;		/* attribute left out */
	int bad;		/* attribute put with a wrong size */
};

static void put_addr(struct nl_msg *m, int type, const struct spec *s, const char *a, int bad)
{
	unsigned char buf[16];
	int len = s->family == 6 ? 16 : 4;

	inet_pton(s->family == 6 ? AF_INET6 : AF_INET, a, buf);
	nla_put(m, type, bad ? (len == 4 ? 16 : 4) : len, buf);
}

/* Put the NGUARD_A_CONN nest of @s into @m. */
static void put_conn(struct nl_msg *m, const struct spec *s)
{
	struct nlattr *nest = nla_nest_start(m, NGUARD_A_CONN);
	int t;

	for (t = NGUARD_CONN_A_FAMILY; t <= NGUARD_CONN_A_MAX; t++) {
		int bad = t == s->bad;

		if (t == s->skip)
			continue;
		switch (t) {
		case NGUARD_CONN_A_FAMILY:
			bad ? nla_put_u16(m, t, s->family) : nla_put_u8(m, t, s->family);
			break;
		case NGUARD_CONN_A_PROTO:
			bad ? nla_put_u32(m, t, s->proto) : nla_put_u8(m, t, s->proto);
			break;
		case NGUARD_CONN_A_SRC:
			put_addr(m, t, s, s->src, bad);
			break;
		case NGUARD_CONN_A_DST:
			put_addr(m, t, s, s->dst, bad);
			break;
		case NGUARD_CONN_A_SPORT:
			bad ? nla_put_u32(m, t, s->sport) : nla_put_u16(m, t, s->sport);
			break;
		case NGUARD_CONN_A_DPORT:
			bad ? nla_put_u8(m, t, 1) : nla_put_u16(m, t, s->dport);
			break;
		case NGUARD_CONN_A_SRC_SEG:
			bad ? nla_put_u32(m, t, s->src_seg) : nla_put_u16(m, t, s->src_seg);
			break;
		case NGUARD_CONN_A_DST_SEG:
			bad ? nla_put_u8(m, t, 1) : nla_put_u16(m, t, s->dst_seg);
			break;
		case NGUARD_CONN_A_STATE:
			bad ? nla_put_u16(m, t, s->state) : nla_put_u8(m, t, s->state);
			break;
		case NGUARD_CONN_A_FLAGS:
			bad ? nla_put_u32(m, t, s->flags) : nla_put_u8(m, t, s->flags);
			break;
		case NGUARD_CONN_A_RULE:
			if (s->rule >= 0)
				bad ? nla_put_u64(m, t, s->rule) : nla_put_u32(m, t, s->rule);
			break;
		case NGUARD_CONN_A_PKTS_ORIG:
			bad ? nla_put_u64(m, t, 1) : nla_put_u32(m, t, s->pkts_orig);
			break;
		case NGUARD_CONN_A_PKTS_REPLY:
			bad ? nla_put_u16(m, t, 1) : nla_put_u32(m, t, s->pkts_reply);
			break;
		case NGUARD_CONN_A_IDLE_MS:
			bad ? nla_put_u8(m, t, 1) : nla_put_u32(m, t, s->idle_ms);
			break;
		case NGUARD_CONN_A_EXPIRES:
			bad ? nla_put_u64(m, t, 1) : nla_put_u32(m, t, s->expires);
			break;
		case NGUARD_CONN_A_LIMIT_PKTS:
			if (s->limit)
				bad ? nla_put_u16(m, t, 1) : nla_put_u32(m, t, s->limit_pkts);
			break;
		case NGUARD_CONN_A_LIMIT_BYTES:
			if (s->limit)
				bad ? nla_put_u64(m, t, 1) : nla_put_u32(m, t, s->limit_bytes);
			break;
		}
	}
	nla_nest_end(m, nest);
}

static struct nl_msg *dump_msg(void)
{
	struct nl_msg *m = nlmsg_alloc();

	genlmsg_put(m, 0, 0, 20, 0, NLM_F_MULTI, NGUARD_CMD_CONNS_GET, NGUARD_GENL_VERSION);
	return m;
}

static const struct spec tcp4 = {
	.family = 4, .proto = 6, .state = NGUARD_CONN_ESTABLISHED,
	.flags = NGUARD_CONN_F_REPLIED, .src = "10.0.1.2", .dst = "10.0.2.2",
	.sport = 41234, .dport = 5432, .src_seg = 1, .dst_seg = 2, .rule = 3,
	.pkts_orig = 10, .pkts_reply = 9, .idle_ms = 2100, .expires = 7198,
	.limit = 1, .limit_pkts = 150, .limit_bytes = 65536,
};
static const struct spec udp6 = {
	.family = 6, .proto = 17, .state = NGUARD_CONN_NONE, .flags = 0,
	.src = "2001:db8:1::5", .dst = "2001:db8:2::53", .sport = 5353, .dport = 53,
	.src_seg = 1, .dst_seg = 0, .rule = -1,
	.pkts_orig = 1, .pkts_reply = 0, .idle_ms = 340, .expires = 29,
};
static const struct spec icmp4 = {
	.family = 4, .proto = 1, .state = NGUARD_CONN_NONE, .flags = NGUARD_CONN_F_REPLIED,
	.src = "10.0.1.2", .dst = "192.0.2.1", .sport = 77, .dport = 0,
	.src_seg = 1, .dst_seg = 9, .rule = 0,
	.pkts_orig = 4, .pkts_reply = 4, .idle_ms = 150000, .expires = 15,
};
static const struct spec gre4 = {
	.family = 4, .proto = 47, .state = 9, .flags = 0,
	.src = "10.0.1.2", .dst = "10.0.2.2", .sport = 0, .dport = 0,
	.src_seg = 1, .dst_seg = 2, .rule = 1,
	.pkts_orig = 4294967295u, .pkts_reply = 0, .idle_ms = 0, .expires = 0,
};

/* @s parses to NULL, or (with skip/bad) to the error naming @attr. */
static void expect_parse(int line, const struct spec *s, const char *attr)
{
	struct nl_msg *m = nlmsg_alloc();
	struct ng_conn c;
	const char *bad;

	put_conn(m, s);
	bad = ng_conn_parse(nlmsg_attrdata(nlmsg_hdr(m), 0), &c);
	if (attr ? !bad || strcmp(bad, attr) : bad != NULL) {
		fprintf(stderr, "%s:%d: skip %d bad %d: got %s, want %s\n", __FILE__, line,
			s->skip, s->bad, bad ? bad : "NULL", attr ? attr : "NULL");
		ng_test_failures++;
	}
	nlmsg_free(m);
}

static const char *const attr_names[] = {
	[NGUARD_CONN_A_FAMILY] = "NGUARD_CONN_A_FAMILY",
	[NGUARD_CONN_A_PROTO] = "NGUARD_CONN_A_PROTO",
	[NGUARD_CONN_A_SRC] = "NGUARD_CONN_A_SRC",
	[NGUARD_CONN_A_DST] = "NGUARD_CONN_A_DST",
	[NGUARD_CONN_A_SPORT] = "NGUARD_CONN_A_SPORT",
	[NGUARD_CONN_A_DPORT] = "NGUARD_CONN_A_DPORT",
	[NGUARD_CONN_A_SRC_SEG] = "NGUARD_CONN_A_SRC_SEG",
	[NGUARD_CONN_A_DST_SEG] = "NGUARD_CONN_A_DST_SEG",
	[NGUARD_CONN_A_STATE] = "NGUARD_CONN_A_STATE",
	[NGUARD_CONN_A_FLAGS] = "NGUARD_CONN_A_FLAGS",
	[NGUARD_CONN_A_RULE] = "NGUARD_CONN_A_RULE",
	[NGUARD_CONN_A_PKTS_ORIG] = "NGUARD_CONN_A_PKTS_ORIG",
	[NGUARD_CONN_A_PKTS_REPLY] = "NGUARD_CONN_A_PKTS_REPLY",
	[NGUARD_CONN_A_IDLE_MS] = "NGUARD_CONN_A_IDLE_MS",
	[NGUARD_CONN_A_EXPIRES] = "NGUARD_CONN_A_EXPIRES",
	[NGUARD_CONN_A_LIMIT_PKTS] = "NGUARD_CONN_A_LIMIT_PKTS",
	[NGUARD_CONN_A_LIMIT_BYTES] = "NGUARD_CONN_A_LIMIT_BYTES",
};

static char *render(const struct ng_conn_list *l, const struct ng_policy *p)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	ng_conns_print(f, l, p);
	fclose(f);
	return text;
}

static const char *jstr(json_object *o, const char *key)
{
	return json_object_get_string(json_object_object_get(o, key));
}

static int64_t jint(json_object *o, const char *key)
{
	return json_object_get_int64(json_object_object_get(o, key));
}

int main(void)
{
	struct ng_conn_list l = { 0 };
	struct ng_policy p, empty;
	struct spec s;
	struct nl_msg *m;
	json_object *j, *o, *v;
	char *text;
	int t;

	/* Every attribute: good, missing (required ones), mis-sized. */
	expect_parse(__LINE__, &tcp4, NULL);
	expect_parse(__LINE__, &udp6, NULL);
	for (t = NGUARD_CONN_A_FAMILY; t <= NGUARD_CONN_A_MAX; t++) {
		int limit = t == NGUARD_CONN_A_LIMIT_PKTS || t == NGUARD_CONN_A_LIMIT_BYTES;
		int optional = t == NGUARD_CONN_A_SPORT || t == NGUARD_CONN_A_DPORT ||
			       t == NGUARD_CONN_A_FLAGS || t == NGUARD_CONN_A_RULE || limit;

		s = tcp4;
		s.skip = t;
		expect_parse(__LINE__, &s, optional ? NULL : attr_names[t]);
		s = tcp4;
		s.bad = t;
		expect_parse(__LINE__, &s, attr_names[t]);
		s = udp6;
		s.bad = t;
		expect_parse(__LINE__, &s, t == NGUARD_CONN_A_RULE || limit ? NULL : attr_names[t]);
	}
	s = tcp4;
	s.family = 5;	/* neither 4 nor 6 */
	expect_parse(__LINE__, &s, "NGUARD_CONN_A_FAMILY");
	CHECK(ng_conn_parse(NULL, &(struct ng_conn){ 0 }) != NULL);

	/* The dump callback collects every entry, across messages. */
	m = dump_msg();
	put_conn(m, &tcp4);
	put_conn(m, &udp6);
	CHECK(ng_conns_dump_msg(m, &l) == 0);
	nlmsg_free(m);
	m = dump_msg();
	put_conn(m, &icmp4);
	nla_put_u32(m, NGUARD_A_CONNS_MAX, 1);	/* other attributes are ignored */
	put_conn(m, &gre4);
	CHECK(ng_conns_dump_msg(m, &l) == 0);
	nlmsg_free(m);
	CHECK(l.bad == NULL && l.n == 4);
	CHECK(l.v[0].family == 4 && l.v[0].proto == 6 && l.v[0].sport == 41234);
	CHECK(l.v[0].has_rule && l.v[0].rule == 3 && l.v[0].pkts_reply == 9);
	CHECK(l.v[1].family == 6 && !l.v[1].has_rule && l.v[1].src[15] == 5);
	CHECK(l.v[0].has_limit_pkts && l.v[0].limit_pkts == 150 && l.v[0].has_limit_bytes &&
	      l.v[0].limit_bytes == 65536);
	CHECK(!l.v[1].has_limit_pkts && !l.v[1].has_limit_bytes);

	/* Text, names through a policy: web (1), db (2); 9 is unknown. */
	ng_policy_init(&p);
	ng_policy_add_segment(&p, "web", 3);
	ng_policy_add_segment(&p, "db", 2);
	text = render(&l, &p);
	HAS(text,
	    "proto  source                  destination          segments      state\n"
	    "tcp    10.0.1.2:41234       -> 10.0.2.2:5432        web -> db     established  pkts 10/9          idle 2.1s   expires 7198s  rule 3        limit 150 pkts 65536 bytes\n"
	    "udp    [2001:db8:1::5]:5353 -> [2001:db8:2::53]:53  web -> world  unreplied    pkts 1/0           idle 340ms  expires 29s    rule default\n"
	    "icmp   10.0.1.2             -> 192.0.2.1 id 77      web -> 9      replied      pkts 4/4           idle 150s   expires 15s    rule 0\n"
	    "47     10.0.1.2             -> 10.0.2.2             web -> db     state 9      pkts 4294967295/0  idle 0ms    expires 0s     rule 1\n");
	HAS(text, "\n4 connections\n");
	free(text);
	/* One bucket only: just its tokens. */
	l.v[0].has_limit_bytes = false;
	text = render(&l, &p);
	HAS(text, "rule 3        limit 150 pkts\n");
	free(text);
	l.v[0].has_limit_pkts = false;
	l.v[0].has_limit_bytes = true;
	text = render(&l, &p);
	HAS(text, "rule 3        limit 65536 bytes\n");
	free(text);
	l.v[0].has_limit_pkts = true;

	/* JSON. */
	j = ng_conns_json(&l, &p);
	CHECK(json_object_array_length(j) == 4);
	o = json_object_array_get_idx(j, 0);
	CHECK(json_object_object_length(o) == 17);
	CHECK(jint(o, "limit_pkts") == 150 && jint(o, "limit_bytes") == 65536);
	CHECK(jint(o, "family") == 4);
	CHECK_STR(jstr(o, "proto"), "tcp");
	CHECK_STR(jstr(o, "src"), "10.0.1.2");
	CHECK_STR(jstr(o, "dst"), "10.0.2.2");
	CHECK(jint(o, "sport") == 41234 && jint(o, "dport") == 5432);
	CHECK_STR(jstr(o, "src_segment"), "web");
	CHECK_STR(jstr(o, "dst_segment"), "db");
	CHECK_STR(jstr(o, "state"), "established");
	CHECK(json_object_get_boolean(json_object_object_get(o, "replied")));
	CHECK(jint(o, "rule") == 3);
	CHECK(jint(o, "pkts_orig") == 10 && jint(o, "pkts_reply") == 9);
	CHECK(jint(o, "idle_ms") == 2100 && jint(o, "expires") == 7198);
	o = json_object_array_get_idx(j, 1);
	CHECK(jint(o, "family") == 6);
	CHECK_STR(jstr(o, "proto"), "udp");
	CHECK_STR(jstr(o, "src"), "2001:db8:1::5");
	CHECK_STR(jstr(o, "dst_segment"), "world");
	CHECK_STR(jstr(o, "state"), "none");
	CHECK(!json_object_get_boolean(json_object_object_get(o, "replied")));
	CHECK(json_object_object_get_ex(o, "rule", &v) && v == NULL);
	CHECK(json_object_object_get_ex(o, "limit_pkts", &v) && v == NULL);
	CHECK(json_object_object_get_ex(o, "limit_bytes", &v) && v == NULL);
	o = json_object_array_get_idx(j, 2);
	CHECK_STR(jstr(o, "proto"), "icmp");
	CHECK(json_object_is_type(json_object_object_get(o, "dst_segment"), json_type_int));
	CHECK(jint(o, "dst_segment") == 9);
	CHECK(jint(o, "sport") == 77);
	o = json_object_array_get_idx(j, 3);
	CHECK(json_object_is_type(json_object_object_get(o, "proto"), json_type_int));
	CHECK(jint(o, "proto") == 47);
	CHECK(json_object_is_type(json_object_object_get(o, "state"), json_type_int));
	CHECK(jint(o, "pkts_orig") == 4294967295LL);
	json_object_put(j);

	/* Without a policy only world has a name. */
	ng_policy_init(&empty);
	j = ng_conns_json(&l, &empty);
	CHECK(jint(json_object_array_get_idx(j, 0), "src_segment") == 1);
	json_object_put(j);
	ng_conns_free(&l);

	/* An empty table still has its header and count. */
	text = render(&l, &p);
	HAS(text, "proto  source    destination  segments  state\n0 connections\n");
	free(text);

	/* A bad entry stops collection, names the attribute, sticks. */
	m = dump_msg();
	put_conn(m, &tcp4);
	s = udp6;
	s.bad = NGUARD_CONN_A_SRC;	/* a 4-byte address in a v6 entry */
	put_conn(m, &s);
	put_conn(m, &icmp4);
	CHECK(ng_conns_dump_msg(m, &l) == 0);
	nlmsg_free(m);
	CHECK(l.bad && !strcmp(l.bad, "NGUARD_CONN_A_SRC") && l.n == 1);
	m = dump_msg();
	put_conn(m, &tcp4);
	CHECK(ng_conns_dump_msg(m, &l) == 0);
	nlmsg_free(m);
	CHECK(l.bad && !strcmp(l.bad, "NGUARD_CONN_A_SRC") && l.n == 1);
	ng_conns_free(&l);
	m = nlmsg_alloc();	/* a message too short for the genl header */
	nlmsg_put(m, 0, 0, 20, 0, 0);
	CHECK(ng_conns_dump_msg(m, &l) == 0);
	CHECK(l.bad && !strcmp(l.bad, "message header") && l.n == 0);
	nlmsg_free(m);
	ng_conns_free(&l);
	m = dump_msg();	/* an empty nest */
	nla_nest_end_keep_empty(m, nla_nest_start(m, NGUARD_A_CONN));
	CHECK(ng_conns_dump_msg(m, &l) == 0);
	CHECK(l.bad && !strcmp(l.bad, "NGUARD_CONN_A_FAMILY"));
	nlmsg_free(m);
	ng_conns_free(&l);

	CHECK_STR(ng_conn_state_name(NGUARD_CONN_SYN_RECV), "syn_recv");
	CHECK_STR(ng_conn_state_name(NGUARD_CONN_CLOSE), "close");
	CHECK(ng_conn_state_name(NGUARD_CONN_CLOSE + 1) == NULL);
	ng_policy_free(&p);
	return CHECK_DONE();
}
