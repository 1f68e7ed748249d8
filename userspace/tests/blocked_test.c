// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for blocked.c: NGUARD_A_BLOCK parsing (every attribute,
 * each one missing or mis-sized), the dump callback, sorting, text
 * columns and JSON.
 */
#include <stdlib.h>
#include <arpa/inet.h>
#include <netlink/genl/genl.h>
#include "blocked.h"
#include "check.h"

struct spec {
	const char *addr;
	uint8_t kind;
	uint32_t expires_ms, secs, hits;
	int skip;		/* attribute left out */
	int bad;		/* attribute put with a wrong size */
};

static void put_block(struct nl_msg *m, const struct spec *s)
{
	struct nlattr *nest = nla_nest_start(m, NGUARD_A_BLOCK);
	unsigned char a[16];
	int t, len = strchr(s->addr, ':') ? 16 : 4;

	inet_pton(len == 16 ? AF_INET6 : AF_INET, s->addr, a);
	for (t = NGUARD_BLOCK_A_ADDR; t <= NGUARD_BLOCK_A_MAX; t++) {
		int bad = t == s->bad;

		if (t == s->skip)
			continue;
		switch (t) {
		case NGUARD_BLOCK_A_ADDR:
			nla_put(m, t, bad ? 5 : len, a);
			break;
		case NGUARD_BLOCK_A_KIND:
			bad ? nla_put_u32(m, t, s->kind) : nla_put_u8(m, t, s->kind);
			break;
		case NGUARD_BLOCK_A_EXPIRES_MS:
			bad ? nla_put_u64(m, t, s->expires_ms) : nla_put_u32(m, t, s->expires_ms);
			break;
		case NGUARD_BLOCK_A_SECS:
			bad ? nla_put_u16(m, t, 1) : nla_put_u32(m, t, s->secs);
			break;
		case NGUARD_BLOCK_A_HITS:
			bad ? nla_put_u8(m, t, 1) : nla_put_u32(m, t, s->hits);
			break;
		}
	}
	nla_nest_end(m, nest);
}

static struct nl_msg *dump_msg(void)
{
	struct nl_msg *m = nlmsg_alloc();

	genlmsg_put(m, 0, 0, 20, 0, NLM_F_MULTI, NGUARD_CMD_BLOCKED_GET, NGUARD_GENL_VERSION);
	return m;
}

static const struct spec scan = {
	.addr = "10.0.9.5", .kind = NGUARD_DETECT_PORTSCAN,
	.expires_ms = 598400, .secs = 600, .hits = 1234,
};
static const struct spec flood6 = {
	.addr = "2001:db8::5", .kind = NGUARD_DETECT_SYNFLOOD,
	.expires_ms = 7199999, .secs = 7200, .hits = 0,
};
static const struct spec manual = {
	.addr = "10.0.0.200", .kind = NGUARD_DETECT_MANUAL,
	.expires_ms = 340, .secs = 604800, .hits = 4294967295u,
};
static const struct spec odd = {
	.addr = "192.0.2.1", .kind = 77, .expires_ms = 0, .secs = 1, .hits = 5,
};

static void expect_parse(int line, const struct spec *s, const char *attr)
{
	struct nl_msg *m = nlmsg_alloc();
	struct ng_block b;
	const char *bad;

	put_block(m, s);
	bad = ng_block_parse(nlmsg_attrdata(nlmsg_hdr(m), 0), &b);
	if (attr ? !bad || strcmp(bad, attr) : bad != NULL) {
		fprintf(stderr, "%s:%d: skip %d bad %d: got %s, want %s\n", __FILE__, line,
			s->skip, s->bad, bad ? bad : "NULL", attr ? attr : "NULL");
		ng_test_failures++;
	}
	nlmsg_free(m);
}

static char *render(const struct ng_block_list *l)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	ng_blocked_print(f, l);
	fclose(f);
	return text;
}

int main(void)
{
	static const struct { int t; const char *name; } attrs[] = {
		{ NGUARD_BLOCK_A_ADDR, "NGUARD_BLOCK_A_ADDR" },
		{ NGUARD_BLOCK_A_KIND, "NGUARD_BLOCK_A_KIND" },
		{ NGUARD_BLOCK_A_EXPIRES_MS, "NGUARD_BLOCK_A_EXPIRES_MS" },
		{ NGUARD_BLOCK_A_SECS, "NGUARD_BLOCK_A_SECS" },
		{ NGUARD_BLOCK_A_HITS, "NGUARD_BLOCK_A_HITS" },
	};
	struct ng_block_list l = { 0 };
	struct ng_block b;
	struct nl_msg *m;
	json_object *j, *o;
	struct spec s;
	char *text;
	size_t i;

	/* Every attribute parses; each one missing or mis-sized is named. */
	expect_parse(__LINE__, &scan, NULL);
	expect_parse(__LINE__, &flood6, NULL);
	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		s = scan;
		s.skip = attrs[i].t;
		expect_parse(__LINE__, &s, attrs[i].t == NGUARD_BLOCK_A_HITS ? NULL : attrs[i].name);
		s = flood6;
		s.bad = attrs[i].t;
		expect_parse(__LINE__, &s, attrs[i].name);
	}
	CHECK_STR(ng_block_parse(NULL, &b), "NGUARD_A_BLOCK");

	/* The dump: entries over two messages, sorted v4 then v6 by address. */
	m = dump_msg();
	put_block(m, &flood6);
	put_block(m, &scan);
	nla_put_u32(m, NGUARD_A_POLICY_GEN, 1);	/* other attributes are skipped */
	CHECK(ng_blocked_dump_msg(m, &l) == 0);
	nlmsg_free(m);
	m = dump_msg();
	put_block(m, &manual);
	put_block(m, &odd);
	CHECK(ng_blocked_dump_msg(m, &l) == 0);
	nlmsg_free(m);
	CHECK(l.bad == NULL && l.n == 4);
	ng_blocked_sort(&l);
	CHECK(l.v[0].family == 4 && l.v[0].addr[3] == 200);
	CHECK(l.v[1].family == 4 && l.v[1].addr[3] == 5);
	CHECK(l.v[2].family == 4 && l.v[2].addr[0] == 192);
	CHECK(l.v[3].family == 6 && l.v[3].secs == 7200);
	CHECK(l.v[1].kind == NGUARD_DETECT_PORTSCAN && l.v[1].expires_ms == 598400 &&
	      l.v[1].secs == 600 && l.v[1].hits == 1234);

	text = render(&l);
	CHECK_STR(text,
		  "address      reason    left   duration     dropped\n"
		  "10.0.0.200   manual    340ms  7d        4294967295\n"
		  "10.0.9.5     portscan  9m58s  10m             1234\n"
		  "192.0.2.1    kind 77   0ms    1s                 5\n"
		  "2001:db8::5  synflood  1h59m  2h                 0\n"
		  "4 blocked\n");
	free(text);

	j = ng_blocked_json(&l);
	CHECK(json_object_array_length(j) == 4);
	o = json_object_array_get_idx(j, 1);
	CHECK(json_object_object_length(o) == 5);
	CHECK_STR(json_object_get_string(json_object_object_get(o, "addr")), "10.0.9.5");
	CHECK_STR(json_object_get_string(json_object_object_get(o, "reason")), "portscan");
	CHECK(json_object_get_int64(json_object_object_get(o, "expires_ms")) == 598400);
	CHECK(json_object_get_int64(json_object_object_get(o, "secs")) == 600);
	CHECK(json_object_get_int64(json_object_object_get(o, "hits")) == 1234);
	o = json_object_array_get_idx(j, 2);
	CHECK(json_object_get_int(json_object_object_get(o, "reason")) == 77);	/* unknown: the number */
	o = json_object_array_get_idx(j, 3);
	CHECK_STR(json_object_get_string(json_object_object_get(o, "addr")), "2001:db8::5");
	json_object_put(j);

	/* A bad entry stops the dump at the first error, which stays. */
	m = dump_msg();
	s = scan;
	s.bad = NGUARD_BLOCK_A_SECS;
	put_block(m, &s);
	CHECK(ng_blocked_dump_msg(m, &l) == 0);
	nlmsg_free(m);
	CHECK(l.bad && !strcmp(l.bad, "NGUARD_BLOCK_A_SECS") && l.n == 4);
	m = dump_msg();
	put_block(m, &scan);
	CHECK(ng_blocked_dump_msg(m, &l) == 0);
	nlmsg_free(m);
	CHECK(l.n == 4 && !strcmp(l.bad, "NGUARD_BLOCK_A_SECS"));
	ng_blocked_free(&l);

	/* No room for the genl header. */
	m = nlmsg_alloc();
	nlmsg_put(m, 0, 0, 20, 0, 0);
	CHECK(ng_blocked_dump_msg(m, &l) == 0 && l.bad && !strcmp(l.bad, "message header"));
	nlmsg_free(m);
	ng_blocked_free(&l);

	/* Nothing blocked. */
	text = render(&l);
	CHECK_STR(text, "address  reason  left  duration  dropped\n0 blocked\n");
	free(text);
	j = ng_blocked_json(&l);
	CHECK(json_object_array_length(j) == 0);
	json_object_put(j);
	return CHECK_DONE();
}
