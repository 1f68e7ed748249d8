// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for observed.c: the header message (observe on or off), the
 * NGUARD_A_OBSERVED nest (every attribute, each required one missing or
 * mis-sized, examples), the --since filter, sorting by segment pair with
 * world's flows apart by connections, text columns and JSON.
 */
#include <stdlib.h>
#include <arpa/inet.h>
#include <netlink/genl/genl.h>
#include "check.h"
#include "observed.h"

struct spec {
	uint16_t src_seg, dst_seg;
	const char *src_name, *dst_name;
	uint8_t proto;
	uint16_t port;
	uint8_t verdict;
	int rule;		/* -1: default */
	uint8_t flags;
	uint64_t conns, first, last;
	const char *ex[2][2];	/* example pairs, NULL: none */
	int skip;		/* attribute left out */
	int bad;		/* attribute with a wrong size */
};

static struct nl_msg *new_msg(void)
{
	struct nl_msg *m = nlmsg_alloc();

	genlmsg_put(m, 0, 0, 20, 0, NLM_F_MULTI, NGUARD_CMD_OBSERVED_GET, NGUARD_GENL_VERSION);
	return m;
}

static void put_ex(struct nl_msg *m, const char *s, const char *d)
{
	struct nlattr *n = nla_nest_start(m, NGUARD_OBS_A_EXAMPLE);
	unsigned char a[16], b[16];
	int v6 = strchr(s, ':') != NULL;

	inet_pton(v6 ? AF_INET6 : AF_INET, s, a);
	inet_pton(v6 ? AF_INET6 : AF_INET, d, b);
	nla_put(m, NGUARD_OBS_EX_A_SRC, v6 ? 16 : 4, a);
	nla_put(m, NGUARD_OBS_EX_A_DST, v6 ? 16 : 4, b);
	nla_nest_end(m, n);
}

static struct nl_msg *obs_msg(const struct spec *s)
{
	struct nl_msg *m = new_msg();
	struct nlattr *nest = nla_nest_start(m, NGUARD_A_OBSERVED);
	int t, i;

	for (t = NGUARD_OBS_A_SRC_SEG; t <= NGUARD_OBS_A_LAST; t++) {
		int bad = t == s->bad;

		if (t == s->skip)
			continue;
		switch (t) {
		case NGUARD_OBS_A_SRC_SEG:
			bad ? nla_put_u8(m, t, 1) : nla_put_u16(m, t, s->src_seg);
			break;
		case NGUARD_OBS_A_DST_SEG:
			bad ? nla_put_u32(m, t, 1) : nla_put_u16(m, t, s->dst_seg);
			break;
		case NGUARD_OBS_A_SRC_NAME:
			bad ? nla_put(m, t, 3, "abc") : nla_put_string(m, t, s->src_name);
			break;
		case NGUARD_OBS_A_DST_NAME:
			bad ? nla_put_string(m, t, "") : nla_put_string(m, t, s->dst_name);
			break;
		case NGUARD_OBS_A_PROTO:
			bad ? nla_put_u16(m, t, 6) : nla_put_u8(m, t, s->proto);
			break;
		case NGUARD_OBS_A_PORT:
			bad ? nla_put_u32(m, t, 1) : nla_put_u16(m, t, s->port);
			break;
		case NGUARD_OBS_A_VERDICT:
			nla_put_u8(m, t, bad ? 7 : s->verdict);
			break;
		case NGUARD_OBS_A_RULE:
			if (s->rule >= 0)
				bad ? nla_put_u16(m, t, 1) : nla_put_u32(m, t, s->rule);
			break;
		case NGUARD_OBS_A_RULE_LINE:
			if (s->rule >= 0)
				nla_put_u32(m, t, 10 + s->rule);
			break;
		case NGUARD_OBS_A_FLAGS:
			bad ? nla_put_u16(m, t, 1) : nla_put_u8(m, t, s->flags);
			break;
		case NGUARD_OBS_A_CONNS:
			bad ? nla_put_u32(m, t, 1) : nla_put_u64(m, t, s->conns);
			break;
		case NGUARD_OBS_A_FIRST:
			bad ? nla_put_u32(m, t, 1) : nla_put_u64(m, t, s->first);
			break;
		case NGUARD_OBS_A_LAST:
			/* bad: before first */
			nla_put_u64(m, t, bad ? s->first - 1 : s->last);
			break;
		}
	}
	for (i = 0; i < 2; i++)
		if (s->ex[i][0])
			put_ex(m, s->ex[i][0], s->ex[i][1]);
	nla_nest_end(m, nest);
	return m;
}

static struct nl_msg *header(uint64_t gen, int max)
{
	struct nl_msg *m = new_msg();

	nla_put_u64(m, NGUARD_A_POLICY_GEN, gen);
	if (max >= 0)
		nla_put_u32(m, NGUARD_A_OBSERVE_MAX, max);
	return m;
}

static void feed(struct ng_observed_list *l, struct nl_msg *m)
{
	CHECK(ng_observed_dump_msg(m, l) == 0);
	nlmsg_free(m);
}

static const struct spec base = {
	.src_seg = 1, .dst_seg = 2, .src_name = "web", .dst_name = "db",
	.proto = 6, .port = 5432, .verdict = NGUARD_VERDICT_DENY, .rule = -1,
	.flags = NGUARD_OBS_F_MONITOR, .conns = 3, .first = 1000, .last = 1900,
	.ex = { { "10.0.1.2", "10.0.2.3" }, { "2001:db8::1", "2001:db8::2" } },
};

static void test_parse(void)
{
	struct ng_observed_list l = { 0 };
	const struct ng_observed *o;
	struct spec s;
	int t;

	feed(&l, header(7, 1024));
	CHECK(l.on && l.max == 1024 && l.gen == 7);
	feed(&l, obs_msg(&base));
	CHECK(l.n == 1 && !l.bad);
	o = &l.v[0];
	CHECK(o->src_seg == 1 && o->dst_seg == 2 && o->proto == 6 && o->port == 5432);
	CHECK_STR(o->src_name, "web");
	CHECK_STR(o->dst_name, "db");
	CHECK(!o->has_rule && o->verdict == NGUARD_VERDICT_DENY && o->flags == NGUARD_OBS_F_MONITOR);
	CHECK(o->conns == 3 && o->first == 1000 && o->last == 1900);
	CHECK(o->nex == 2 && o->ex[0].family == 4 && o->ex[1].family == 6);
	CHECK(o->ex[0].src[3] == 2 && o->ex[1].dst[15] == 2);
	ng_observed_free(&l);

	/* Each required attribute missing, then mis-sized. */
	for (t = NGUARD_OBS_A_SRC_SEG; t <= NGUARD_OBS_A_LAST; t++) {
		if (t == NGUARD_OBS_A_RULE || t == NGUARD_OBS_A_RULE_LINE)
			continue;
		s = base;
		s.skip = t;
		feed(&l, obs_msg(&s));
		CHECK(l.bad != NULL);
		ng_observed_free(&l);
		s = base;
		s.bad = t;
		feed(&l, obs_msg(&s));
		CHECK(l.bad != NULL);
		ng_observed_free(&l);
	}
	/* A rule needs its line; a mis-sized rule is refused. */
	s = base;
	s.rule = 2;
	feed(&l, obs_msg(&s));
	CHECK(!l.bad && l.v[0].has_rule && l.v[0].rule == 2 && l.v[0].rule_line == 12);
	ng_observed_free(&l);
	s.skip = NGUARD_OBS_A_RULE_LINE;
	feed(&l, obs_msg(&s));
	CHECK_STR(l.bad ? l.bad : "", "NGUARD_OBS_A_RULE_LINE");
	ng_observed_free(&l);
	s = base;
	s.rule = 2;
	s.bad = NGUARD_OBS_A_RULE;
	feed(&l, obs_msg(&s));
	CHECK_STR(l.bad ? l.bad : "", "NGUARD_OBS_A_RULE");
	ng_observed_free(&l);
	/* Observation off: a header without a size. */
	feed(&l, header(3, -1));
	CHECK(!l.on && l.gen == 3 && l.n == 0);
	ng_observed_free(&l);
}

static char *print(const struct ng_observed_list *l, uint64_t now)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	ng_observed_print(f, l, now);
	fclose(f);
	return text;
}

static void test_sort_print_json(void)
{
	struct ng_observed_list l = { 0 };
	struct spec s[5];
	json_object *j, *a, *o, *v;
	char *text;
	int i;

	for (i = 0; i < 5; i++)
		s[i] = base;
	s[0].src_seg = 2; s[0].src_name = "db"; s[0].dst_seg = 1; s[0].dst_name = "web";
	s[0].proto = 1; s[0].port = 8; s[0].ex[1][0] = NULL;
	s[1].port = 22; s[1].verdict = NGUARD_VERDICT_ALLOW; s[1].rule = 0; s[1].flags = 0;
	s[2].src_seg = 0; s[2].src_name = "world"; s[2].conns = 2; s[2].port = 443;
	s[3].src_seg = 0; s[3].src_name = "world"; s[3].conns = 50; s[3].port = 80;
	s[3].last = 1100;
	s[4].proto = 17; s[4].port = 53; s[4].first = 1950; s[4].last = 1990;
	feed(&l, header(9, 16));
	for (i = 0; i < 5; i++)
		feed(&l, obs_msg(&s[i]));
	CHECK(l.n == 5 && !l.bad);
	ng_observed_sort(&l);
	/* web->db tcp/22, udp/53; db->web icmp; world by conns. */
	CHECK(l.v[0].port == 22 && l.v[1].port == 53 && l.v[1].proto == 17);
	CHECK(l.v[2].src_seg == 2 && l.v[2].proto == 1);
	CHECK(l.v[3].port == 80 && l.v[3].conns == 50 && l.v[4].port == 443);

	text = print(&l, 2000);
	HAS(text, "web -> db  tcp/22");
	HAS(text, "allow rule 0 line 10");
	HAS(text, "deny default (monitor: passed)");
	HAS(text, "icmp type 8");
	HAS(text, "10.0.1.2>10.0.2.3 2001:db8::1>2001:db8::2");
	HAS(text, "16m40s ago");	/* first seen 1000 s before 2000 */
	HAS(text, "from world (sources in no segment");
	HAS(text, "5 flows observed (table: 16)");
	/* world's flows come after the heading, most connections first */
	CHECK(strstr(text, "world -> db  tcp/80") > strstr(text, "from world"));
	CHECK(strstr(text, "world -> db  tcp/80") < strstr(text, "world -> db  tcp/443"));
	free(text);

	j = ng_observed_json(&l);
	CHECK(json_object_object_get_ex(j, "observe", &v) && json_object_get_boolean(v));
	CHECK(json_object_object_get_ex(j, "observe_max", &v) && json_object_get_int(v) == 16);
	CHECK(json_object_object_get_ex(j, "flows", &a) && json_object_array_length(a) == 3);
	o = json_object_array_get_idx(a, 0);
	CHECK(json_object_object_get_ex(o, "port", &v) && json_object_get_int(v) == 22);
	CHECK(json_object_object_get_ex(o, "rule", &v) && json_object_get_int(v) == 0);
	CHECK(json_object_object_get_ex(o, "monitor_passed", &v) && !json_object_get_boolean(v));
	o = json_object_array_get_idx(a, 2);
	CHECK(json_object_object_get_ex(o, "icmp_type", &v) && json_object_get_int(v) == 8);
	CHECK(json_object_object_get_ex(o, "port", &v) && v == NULL);
	CHECK(json_object_object_get_ex(o, "examples", &v) && json_object_array_length(v) == 1);
	CHECK(json_object_object_get_ex(j, "from_world", &a) && json_object_array_length(a) == 2);
	o = json_object_array_get_idx(a, 0);
	CHECK(json_object_object_get_ex(o, "conns", &v) && json_object_get_int(v) == 50);
	CHECK(json_object_object_get_ex(o, "src_segment", &v) &&
	      !strcmp(json_object_get_string(v), "world"));
	json_object_put(j);

	/* --since 100s at 2000: only what was last seen at 1900 or later. */
	ng_observed_since(&l, 1900);
	CHECK(l.n == 4);
	for (i = 0; i < (int)l.n; i++)
		CHECK(l.v[i].last >= 1900);
	ng_observed_free(&l);

	feed(&l, header(0, -1));
	text = print(&l, 0);
	HAS(text, "no policy loaded");
	free(text);
	ng_observed_free(&l);
	feed(&l, header(4, -1));
	text = print(&l, 0);
	HAS(text, "does not observe flows");
	free(text);
	ng_observed_free(&l);
}

int main(void)
{
	test_parse();
	test_sort_print_json();
	return ng_test_failures ? 1 : 0;
}
