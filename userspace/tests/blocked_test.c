// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for blocked.c: NGUARD_A_BLOCK parsing (every attribute,
 * each one missing or mis-sized), the dump callback, sorting, text
 * columns and JSON, IPv6 prefixes, the argument of `unblock` and the
 * arguments of `block` (address forms and durations).
 */
#include <stdlib.h>
#include <arpa/inet.h>
#include <netlink/genl/genl.h>
#include "blocked.h"
#include "check.h"
#include "exitcodes.h"

struct spec {
	const char *addr;
	uint8_t kind;
	uint32_t expires_ms, secs, hits;
	uint8_t plen;		/* NGUARD_BLOCK_A_PREFIX_LEN; 0: not sent */
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
		case NGUARD_BLOCK_A_PREFIX_LEN:
			if (bad)
				nla_put_u16(m, t, 64);
			else if (s->plen)
				nla_put_u8(m, t, s->plen);
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
static const struct spec scan6 = {
	.addr = "2001:db8:1:2::", .kind = NGUARD_DETECT_PORTSCAN,
	.expires_ms = 3599000, .secs = 3600, .hits = 17, .plen = 64,
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

/* `unblock ARG` parses to @alen bytes, @plen, and prints as @text. */
static void expect_unblock(int line, const char *arg, int alen, uint8_t plen, const char *text)
{
	struct ng_unblock_req r;
	int rc = ng_unblock_parse(arg, &r);

	if (rc || r.alen != alen || r.prefix_len != plen || strcmp(r.text, text)) {
		fprintf(stderr, "%s:%d: unblock '%s': rc %d alen %d plen %u text '%s'\n", __FILE__,
			line, arg, rc, r.alen, r.prefix_len, r.text);
		ng_test_failures++;
	}
}

/* `unblock ARG` is a usage error whose message contains @msg. */
static void expect_unblock_error(int line, const char *arg, const char *msg)
{
	struct ng_unblock_req r;
	char *err;
	int rc;

	CAPTURE_STDERR(err, rc = ng_unblock_parse(arg, &r));
	if (rc != NG_EXIT_USAGE || !err || !strstr(err, msg)) {
		fprintf(stderr, "%s:%d: unblock '%s': rc %d, stderr '%s', want '%s'\n", __FILE__,
			line, arg, rc, err ? err : "", msg);
		ng_test_failures++;
	}
	free(err);
}

static void test_unblock_args(void)
{
	struct ng_unblock_req r;
	uint8_t want[16];

	expect_unblock(__LINE__, "all", 0, 0, "all");
	expect_unblock(__LINE__, "10.0.9.5", 4, 0, "10.0.9.5");
	/* A plain IPv6 address goes alone: the kernel applies the live prefix length. */
	expect_unblock(__LINE__, "2001:db8:1:2::5", 16, 0, "2001:db8:1:2::5");
	expect_unblock(__LINE__, "2001:DB8:0:0::5", 16, 0, "2001:db8::5");
	/* A prefix: host bits cleared, the length sent. */
	expect_unblock(__LINE__, "2001:db8:1:2::/64", 16, 64, "2001:db8:1:2::/64");
	expect_unblock(__LINE__, "2001:db8:1:2:aa::5/64", 16, 64, "2001:db8:1:2::/64");
	expect_unblock(__LINE__, "2001:db8:1:2fff::1/52", 16, 52, "2001:db8:1:2000::/52");
	expect_unblock(__LINE__, "2001:db8::1/128", 16, 128, "2001:db8::1/128");
	expect_unblock(__LINE__, "2001:db8::1/1", 16, 1, "::/1");
	expect_unblock(__LINE__, "2001:db8:1:2::/064", 16, 64, "2001:db8:1:2::/64");
	CHECK(ng_unblock_parse("2001:db8:1:2ff::9/56", &r) == 0);
	inet_pton(AF_INET6, "2001:db8:1:200::", want);
	CHECK(!memcmp(r.addr, want, 16) && r.prefix_len == 56);

	expect_unblock_error(__LINE__, "10.0.9.0/24",
			     "unblock: '10.0.9.0/24': IPv4 sources are blocked one address at a time; give the address (or 'all')");
	expect_unblock_error(__LINE__, "10.0.9.5/32", "IPv4 sources are blocked one address at a time");
	expect_unblock_error(__LINE__, "2001:db8::/0", "unblock: bad prefix length in '2001:db8::/0' (1..128)");
	expect_unblock_error(__LINE__, "2001:db8::/129", "bad prefix length in '2001:db8::/129'");
	expect_unblock_error(__LINE__, "2001:db8::/", "bad prefix length");
	expect_unblock_error(__LINE__, "2001:db8::/6x", "bad prefix length");
	expect_unblock_error(__LINE__, "2001:db8::/-1", "bad prefix length");
	expect_unblock_error(__LINE__, "2001:db8::/64/64", "bad prefix length");
	expect_unblock_error(__LINE__, "2001:db8::/99999999999", "bad prefix length");
	expect_unblock_error(__LINE__, "bogus/64", "unblock: 'bogus/64' is not an IPv6 prefix ADDR/LEN");
	expect_unblock_error(__LINE__, "/64", "is not an IPv6 prefix");
	expect_unblock_error(__LINE__, "bogus",
			     "unblock: 'bogus' is not an IPv4 or IPv6 address, an IPv6 prefix ADDR/LEN or 'all'");
	expect_unblock_error(__LINE__, "", "is not an IPv4 or IPv6 address");
	expect_unblock_error(__LINE__, "ALL", "is not an IPv4 or IPv6 address");
}

static void expect_block(int line, const char *addr, const char *dur, int alen, uint8_t plen,
			 const char *text, uint32_t secs)
{
	struct ng_block_req r;
	int rc = ng_block_parse_args(addr, dur, &r);

	if (rc || r.src.alen != alen || r.src.prefix_len != plen || strcmp(r.src.text, text) ||
	    r.secs != secs) {
		fprintf(stderr, "%s:%d: block '%s' '%s': rc %d alen %d plen %u text '%s' secs %u\n",
			__FILE__, line, addr, dur, rc, r.src.alen, r.src.prefix_len, r.src.text, r.secs);
		ng_test_failures++;
	}
}

static void expect_block_error(int line, const char *addr, const char *dur, const char *msg)
{
	struct ng_block_req r;
	char *err;
	int rc;

	CAPTURE_STDERR(err, rc = ng_block_parse_args(addr, dur, &r));
	if (rc != NG_EXIT_USAGE || !err || !strstr(err, msg)) {
		fprintf(stderr, "%s:%d: block '%s' '%s': rc %d, stderr '%s', want '%s'\n", __FILE__,
			line, addr, dur, rc, err ? err : "", msg);
		ng_test_failures++;
	}
	free(err);
}

static void test_block_args(void)
{
	/* Addresses as unblock takes them; IPv4 also as ADDR/32; never "all". */
	expect_block(__LINE__, "10.0.9.5", "600s", 4, 0, "10.0.9.5", 600);
	expect_block(__LINE__, "10.0.9.5/32", "1s", 4, 0, "10.0.9.5", 1);
	expect_block(__LINE__, "2001:db8:1:2::5", "1h", 16, 0, "2001:db8:1:2::5", 3600);
	expect_block(__LINE__, "2001:db8:1:2:aa::5/64", "10m", 16, 64, "2001:db8:1:2::/64", 600);
	expect_block(__LINE__, "::ffff:10.0.0.1", "7d", 16, 0, "::ffff:10.0.0.1", 604800);
	expect_block(__LINE__, "10.0.9.5", "168h", 4, 0, "10.0.9.5", 604800);
	expect_block(__LINE__, "10.0.9.5", "604800s", 4, 0, "10.0.9.5", 604800);
	expect_block_error(__LINE__, "all", "1h", "block: 'all' is not an IPv4 or IPv6 address or an IPv6 prefix ADDR/LEN");
	expect_block_error(__LINE__, "bogus", "1h", "block: 'bogus' is not an IPv4 or IPv6 address");
	expect_block_error(__LINE__, "10.0.9.0/24", "1h",
			   "block: '10.0.9.0/24': IPv4 sources are blocked one address at a time; give the address");
	expect_block_error(__LINE__, "10.0.9.5/33", "1h", "IPv4 sources are blocked one address at a time");
	expect_block_error(__LINE__, "2001:db8::/0", "1h", "block: bad prefix length in '2001:db8::/0' (1..128)");
	expect_block_error(__LINE__, "bogus/64", "1h", "block: 'bogus/64' is not an IPv6 prefix ADDR/LEN");
	/* Durations as the policy's "action block": whole seconds, 1s..7d. */
	expect_block_error(__LINE__, "10.0.9.5", "600", "block: duration '600' needs a unit (s, m, h or d): '600s'?");
	expect_block_error(__LINE__, "10.0.9.5", "0s", "block: duration '0s' is out of range (1s..7d");
	expect_block_error(__LINE__, "10.0.9.5", "8d", "block: duration '8d' is out of range (1s..7d");
	expect_block_error(__LINE__, "10.0.9.5", "604801s", "is out of range");
	expect_block_error(__LINE__, "10.0.9.5", "99999999999999999999s", "is out of range");
	expect_block_error(__LINE__, "10.0.9.5", "500ms", "block: block durations are whole seconds: '500ms'");
	expect_block_error(__LINE__, "10.0.9.5", "1500ms", "whole seconds");
	expect_block_error(__LINE__, "10.0.9.5", "1x", "block: bad duration '1x' (a number and a unit");
	expect_block_error(__LINE__, "10.0.9.5", "", "block: bad duration ''");
	expect_block_error(__LINE__, "10.0.9.5", "-1s", "bad duration");
	expect_block_error(__LINE__, "10.0.9.5", "1 h", "bad duration");
}

int main(void)
{
	static const struct { int t; const char *name; } attrs[] = {
		{ NGUARD_BLOCK_A_ADDR, "NGUARD_BLOCK_A_ADDR" },
		{ NGUARD_BLOCK_A_KIND, "NGUARD_BLOCK_A_KIND" },
		{ NGUARD_BLOCK_A_EXPIRES_MS, "NGUARD_BLOCK_A_EXPIRES_MS" },
		{ NGUARD_BLOCK_A_SECS, "NGUARD_BLOCK_A_SECS" },
		{ NGUARD_BLOCK_A_HITS, "NGUARD_BLOCK_A_HITS" },
		{ NGUARD_BLOCK_A_PREFIX_LEN, "NGUARD_BLOCK_A_PREFIX_LEN" },
	};
	struct ng_block_list l = { 0 };
	struct ng_block b;
	struct nlattr *n;
	struct nl_msg *m;
	json_object *j, *o;
	struct spec s;
	char *text;
	size_t i;

	/* Every attribute parses; each one missing or mis-sized is named. */
	test_block_args();
	expect_parse(__LINE__, &scan, NULL);
	expect_parse(__LINE__, &flood6, NULL);
	expect_parse(__LINE__, &scan6, NULL);
	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		s = scan6;
		s.skip = attrs[i].t;
		expect_parse(__LINE__, &s, attrs[i].t == NGUARD_BLOCK_A_HITS ||
				     attrs[i].t == NGUARD_BLOCK_A_PREFIX_LEN ? NULL : attrs[i].name);
		s = flood6;
		s.bad = attrs[i].t;
		expect_parse(__LINE__, &s, attrs[i].name);
	}
	CHECK_STR(ng_block_parse(NULL, &b), "NGUARD_A_BLOCK");
	/* A prefix length: IPv6 only, 1..128. */
	s = scan6;
	s.plen = 129;
	expect_parse(__LINE__, &s, "NGUARD_BLOCK_A_PREFIX_LEN");
	s.plen = 128;
	expect_parse(__LINE__, &s, NULL);
	s = scan;
	s.plen = 32;
	expect_parse(__LINE__, &s, "NGUARD_BLOCK_A_PREFIX_LEN");
	m = nlmsg_alloc();
	n = nla_nest_start(m, NGUARD_A_BLOCK);
	nla_put(m, NGUARD_BLOCK_A_ADDR, 16, b.addr);
	nla_put_u8(m, NGUARD_BLOCK_A_KIND, NGUARD_DETECT_SWEEP);
	nla_put_u32(m, NGUARD_BLOCK_A_EXPIRES_MS, 1);
	nla_put_u32(m, NGUARD_BLOCK_A_SECS, 1);
	nla_put_u8(m, NGUARD_BLOCK_A_PREFIX_LEN, 0);
	nla_nest_end(m, n);
	CHECK_STR(ng_block_parse(nlmsg_attrdata(nlmsg_hdr(m), 0), &b) ?: "NULL",
		  "NGUARD_BLOCK_A_PREFIX_LEN");
	nlmsg_free(m);
	{
		struct nl_msg *m6 = nlmsg_alloc();

		put_block(m6, &scan6);
		CHECK(ng_block_parse(nlmsg_attrdata(nlmsg_hdr(m6), 0), &b) == NULL);
		CHECK(b.family == 6 && b.prefix_len == 64 && b.addr[7] == 2 && b.hits == 17);
		nlmsg_free(m6);
	}

	/* The dump: entries over two messages, sorted v4 then v6 by address. */
	m = dump_msg();
	put_block(m, &flood6);
	put_block(m, &scan);
	nla_put_u32(m, NGUARD_A_POLICY_GEN, 1);	/* other attributes are skipped */
	CHECK(ng_blocked_dump_msg(m, &l) == 0);
	nlmsg_free(m);
	m = dump_msg();
	put_block(m, &scan6);
	put_block(m, &manual);
	put_block(m, &odd);
	CHECK(ng_blocked_dump_msg(m, &l) == 0);
	nlmsg_free(m);
	CHECK(l.bad == NULL && l.n == 5);
	ng_blocked_sort(&l);
	CHECK(l.v[0].family == 4 && l.v[0].addr[3] == 200);
	CHECK(l.v[1].family == 4 && l.v[1].addr[3] == 5);
	CHECK(l.v[2].family == 4 && l.v[2].addr[0] == 192);
	CHECK(l.v[3].family == 6 && l.v[3].secs == 7200 && l.v[3].prefix_len == 0);
	CHECK(l.v[4].family == 6 && l.v[4].prefix_len == 64);
	CHECK(l.v[1].kind == NGUARD_DETECT_PORTSCAN && l.v[1].expires_ms == 598400 &&
	      l.v[1].secs == 600 && l.v[1].hits == 1234);

	text = render(&l);
	CHECK_STR(text,
		  "address            reason    left    duration     dropped\n"
		  "10.0.0.200         manual    340ms   7d        4294967295\n"
		  "10.0.9.5           portscan  9m58s   10m             1234\n"
		  "192.0.2.1          kind 77   0ms     1s                 5\n"
		  "2001:db8::5        synflood  1h59m   2h                 0\n"
		  "2001:db8:1:2::/64  portscan  59m59s  1h                17\n"
		  "5 blocked\n");
	free(text);

	j = ng_blocked_json(&l);
	CHECK(json_object_array_length(j) == 5);
	o = json_object_array_get_idx(j, 1);
	CHECK(json_object_object_length(o) == 5);
	CHECK(!json_object_object_get_ex(o, "prefix_len", NULL));	/* IPv4: none */
	CHECK_STR(json_object_get_string(json_object_object_get(o, "addr")), "10.0.9.5");
	CHECK_STR(json_object_get_string(json_object_object_get(o, "reason")), "portscan");
	CHECK(json_object_get_int64(json_object_object_get(o, "expires_ms")) == 598400);
	CHECK(json_object_get_int64(json_object_object_get(o, "secs")) == 600);
	CHECK(json_object_get_int64(json_object_object_get(o, "hits")) == 1234);
	o = json_object_array_get_idx(j, 2);
	CHECK(json_object_get_int(json_object_object_get(o, "reason")) == 77);	/* unknown: the number */
	o = json_object_array_get_idx(j, 3);
	CHECK_STR(json_object_get_string(json_object_object_get(o, "addr")), "2001:db8::5");
	CHECK(json_object_object_length(o) == 5);	/* a module without prefix lengths */
	o = json_object_array_get_idx(j, 4);
	CHECK(json_object_object_length(o) == 6);
	CHECK_STR(json_object_get_string(json_object_object_get(o, "addr")), "2001:db8:1:2::");
	CHECK(json_object_get_int(json_object_object_get(o, "prefix_len")) == 64);
	json_object_put(j);

	/* A bad entry stops the dump at the first error, which stays. */
	m = dump_msg();
	s = scan;
	s.bad = NGUARD_BLOCK_A_SECS;
	put_block(m, &s);
	CHECK(ng_blocked_dump_msg(m, &l) == 0);
	nlmsg_free(m);
	CHECK(l.bad && !strcmp(l.bad, "NGUARD_BLOCK_A_SECS") && l.n == 5);
	m = dump_msg();
	put_block(m, &scan);
	CHECK(ng_blocked_dump_msg(m, &l) == 0);
	nlmsg_free(m);
	CHECK(l.n == 5 && !strcmp(l.bad, "NGUARD_BLOCK_A_SECS"));
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
	test_unblock_args();
	return CHECK_DONE();
}
