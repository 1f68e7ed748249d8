// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for the policy parser and model: every statement, every
 * error with its position, warnings, limits, print -> parse round trips
 * (a rich policy and random ones checked against a model built in
 * parallel) and parse speed. NG_TEST_QUICK=1 skips the multi-megabyte
 * inputs (for valgrind runs).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <time.h>
#include <arpa/inet.h>
#include "check.h"
#include "parser.h"

static bool quick;

static int parse(const char *text, struct ng_policy *p, struct ng_diag *d)
{
	ng_diag_init(d);
	return ng_policy_parse("t.conf", text, strlen(text), p, d);
}

/* Whether @d holds a message of @sev at @line:@col containing @sub. */
static bool has(const struct ng_diag *d, enum ng_severity sev, unsigned int line,
		unsigned int col, const char *sub)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->msgs[i].sev == sev && d->msgs[i].line == line &&
		    d->msgs[i].col == col && strstr(d->msgs[i].text, sub))
			return true;
	return false;
}

static void dump(const struct ng_diag *d)
{
	ng_diag_print(stderr, d);
}

/* @text must fail with an error at @line:@col containing @sub. */
static void expect_error(int src_line, const char *text, unsigned int line,
			 unsigned int col, const char *sub)
{
	struct ng_policy p;
	struct ng_diag d;
	int rc = parse(text, &p, &d);

	if (rc != -1 || !has(&d, NG_SEV_ERROR, line, col, sub)) {
		fprintf(stderr, "%s:%d: want error %u:%u '%s' for <<%s>>, got rc %d:\n",
			__FILE__, src_line, line, col, sub, text, rc);
		dump(&d);
		ng_test_failures++;
	}
	CHECK(p.n_segs == 0 && p.n_rules == 0);	/* left empty on error */
	ng_policy_free(&p);
	ng_diag_free(&d);
}

#define ERR(text, line, col, sub) expect_error(__LINE__, text, line, col, sub)

/* @text must parse; returns the diagnostics' warning count. */
static unsigned int expect_ok(int src_line, const char *text, struct ng_policy *p)
{
	struct ng_diag d;
	unsigned int w;

	if (parse(text, p, &d)) {
		fprintf(stderr, "%s:%d: <<%s>> does not parse:\n", __FILE__, src_line, text);
		dump(&d);
		ng_test_failures++;
	}
	w = d.warnings;
	ng_diag_free(&d);
	return w;
}

#define OK(text, p) expect_ok(__LINE__, text, p)

static char *print(const struct ng_policy *p)
{
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);

	ng_policy_print(f, p);
	fclose(f);
	return text;
}

/* print -> parse gives an equal policy, and printing again the same text. */
static bool round_trip(const struct ng_policy *p)
{
	struct ng_policy q;
	struct ng_diag d;
	char *t1 = print(p), *t2;
	bool ok;

	ok = !parse(t1, &q, &d) && ng_policy_equal(p, &q);
	t2 = print(&q);
	ok = ok && !strcmp(t1, t2);
	if (!ok) {
		fprintf(stderr, "round trip failed:\n%s---\n%s", t1, t2);
		dump(&d);
	}
	free(t1);
	free(t2);
	ng_policy_free(&q);
	ng_diag_free(&d);
	return ok;
}

static const char example[] =
	"mode enforce                  # or: monitor\n"
	"default deny                  # verdict when no rule matches\n"
	"conns max 262144\n"
	"segment web    10.0.1.0/24 2001:db8:1::/64\n"
	"segment db     10.0.2.0/24 10.0.3.7\n"
	"segment admin  10.0.9.0/24 iface eth1\n"
	"allow web   -> db    tcp 5432\n"
	"allow admin -> *     tcp 22\n"
	"allow *     -> web   tcp 80,443 udp 53\n"
	"allow web   -> web\n"
	"deny  *     -> db    log\n"
	"allow *     -> *     icmp\n";

static bool term_is(const struct ng_term *t, int proto, int any, int lo, int hi)
{
	return t->proto == proto && t->any_proto == any && t->port_lo == lo && t->port_hi == hi;
}

static void test_statements(void)
{
	struct ng_policy p;
	const struct ng_rule *r;
	const struct ng_segment *s;
	uint8_t v6[16];

	CHECK(OK(example, &p) == 0);
	CHECK(p.mode == NG_MODE_ENFORCE && p.def == NG_DENY && p.conns_max == 262144);
	CHECK(p.n_segs == 3 && p.n_rules == 6);
	s = &p.segs[0];
	CHECK_STR(s->name, "web");
	CHECK(s->id == 1 && s->n_v4 == 1 && s->n_v6 == 1 && s->n_ifaces == 0);
	CHECK(s->v4[0].addr == 0x0a000100 && s->v4[0].len == 24);
	inet_pton(AF_INET6, "2001:db8:1::", v6);
	CHECK(!memcmp(s->v6[0].addr, v6, 16) && s->v6[0].len == 64);
	s = &p.segs[1];
	CHECK(s->id == 2 && s->n_v4 == 2 && s->v4[1].addr == 0x0a000307 && s->v4[1].len == 32);
	s = &p.segs[2];
	CHECK_STR(s->name, "admin");
	CHECK(s->n_ifaces == 1);
	CHECK_STR(s->ifaces[0], "eth1");
	CHECK(ng_policy_prefix_count(&p) == 5 && ng_policy_iface_count(&p) == 1);

	r = &p.rules[0];
	CHECK(r->action == NG_ALLOW && r->src == 1 && r->dst == 2 && !r->log);
	CHECK(r->n_terms == 1 && term_is(&r->terms[0], 6, 0, 5432, 5432));
	CHECK(r->line == 7);
	CHECK_STR(r->text, "allow web   -> db    tcp 5432");
	r = &p.rules[1];
	CHECK(r->src == 3 && r->dst == NG_SEG_ANY && term_is(&r->terms[0], 6, 0, 22, 22));
	r = &p.rules[2];
	CHECK(r->src == NG_SEG_ANY && r->dst == 1 && r->n_terms == 3);
	CHECK(term_is(&r->terms[0], 6, 0, 80, 80) && term_is(&r->terms[1], 6, 0, 443, 443) &&
	      term_is(&r->terms[2], 17, 0, 53, 53));
	r = &p.rules[3];
	CHECK(r->src == 1 && r->dst == 1 && r->n_terms == 0);
	r = &p.rules[4];
	CHECK(r->action == NG_DENY && r->log && r->n_terms == 0 && r->dst == 2);
	CHECK_STR(r->text, "deny  *     -> db    log");
	r = &p.rules[5];
	CHECK(r->n_terms == 1 && term_is(&r->terms[0], 1, 0, 0, 65535));
	CHECK(round_trip(&p));
	ng_policy_free(&p);

	/* Defaults: mode enforce, default deny (with a warning), conns unset. */
	CHECK(OK("allow * -> *\n", &p) == 1);
	CHECK(p.mode == NG_MODE_ENFORCE && p.def == NG_DENY && p.conns_max == 0);
	ng_policy_free(&p);
	{
		struct ng_diag d;

		CHECK(parse("", &p, &d) == 0);
		CHECK(d.warnings == 1 && has(&d, NG_SEV_WARNING, 0, 0, "using 'default deny'"));
		ng_diag_free(&d);
		ng_policy_free(&p);
	}
	CHECK(OK("mode monitor\ndefault allow\nconns max 16777216\n", &p) == 0);
	CHECK(p.mode == NG_MODE_MONITOR && p.def == NG_ALLOW && p.conns_max == 16777216u);
	ng_policy_free(&p);

	/* Protocols, ports, numbers, "proto N", any, log. */
	CHECK(OK("default deny\nallow world -> * tcp 1,8000-8099,65535 icmpv6 any proto 132 9 136 7-8 "
		 "6 22 17 53 0 proto 47 proto 255 proto 6 443 log\n", &p) == 0);
	r = &p.rules[0];
	CHECK(r->src == NG_SEG_WORLD && r->dst == NG_SEG_ANY && r->log);
	CHECK(r->n_terms == 13);
	if (r->n_terms == 13) {
		CHECK(term_is(&r->terms[0], 6, 0, 1, 1));
		CHECK(term_is(&r->terms[1], 6, 0, 8000, 8099));
		CHECK(term_is(&r->terms[2], 6, 0, 65535, 65535));
		CHECK(term_is(&r->terms[3], 58, 0, 0, 65535));
		CHECK(term_is(&r->terms[4], 0, 1, 0, 65535));
		CHECK(term_is(&r->terms[5], 132, 0, 9, 9));
		CHECK(term_is(&r->terms[6], 136, 0, 7, 8));
		CHECK(term_is(&r->terms[7], 6, 0, 22, 22));
		CHECK(term_is(&r->terms[8], 17, 0, 53, 53));
		CHECK(term_is(&r->terms[9], 0, 0, 0, 65535));
		CHECK(term_is(&r->terms[10], 47, 0, 0, 65535));
		CHECK(term_is(&r->terms[11], 255, 0, 0, 65535));
		CHECK(term_is(&r->terms[12], 6, 0, 443, 443));
	}
	CHECK(round_trip(&p));
	ng_policy_free(&p);

	/* A rule may name a segment declared later; segments append. */
	CHECK(OK("default deny\nallow a -> b\nsegment b 10.0.0.0/8\nsegment a 10.1.0.0/16\n"
		 "segment b iface eth0 fd00::/8 10.2.0.0/16\n", &p) == 0);
	CHECK(p.n_segs == 2 && !strcmp(p.segs[0].name, "b") && p.segs[0].n_v4 == 2 &&
	      p.segs[0].n_v6 == 1 && p.segs[0].n_ifaces == 1);
	CHECK(p.rules[0].src == 2 && p.rules[0].dst == 1);
	ng_policy_free(&p);

	/* Overlapping prefixes are fine; so is the same address with another length. */
	CHECK(OK("default deny\nsegment a 10.0.0.0/8 10.0.0.0/16\nsegment b 10.0.0.0/24 0.0.0.0/0\n"
		 "segment c ::/0 ::ffff:10.0.0.0/104\n", &p) == 0);
	CHECK(ng_policy_prefix_count(&p) == 6);
	ng_policy_free(&p);

	/* Comments anywhere, tabs, CRLF, a longest-possible name, 15-byte iface. */
	CHECK(OK("# only a comment\n\n   \t\r\ndefault allow#x\r\nsegment\ta\t10.0.0.1#c\n"
		 "segment abcdefghijklmnopqrstuvwxyz_.-12 iface 0123456789abcde\r\n", &p) == 0);
	CHECK(p.def == NG_ALLOW && p.n_segs == 2 && p.segs[0].n_v4 == 1);
	CHECK_STR(p.segs[1].name, "abcdefghijklmnopqrstuvwxyz_.-12");
	CHECK_STR(p.segs[1].ifaces[0], "0123456789abcde");
	ng_policy_free(&p);
}

static void test_errors(void)
{
	char name[64];
	char buf[256];

	ERR("frobnicate 1\n", 1, 1, "unknown statement 'frobnicate'");
	ERR("default deny\n  Allow * -> *\n", 2, 3, "unknown statement 'Allow'");
	/* addresses and prefixes */
	ERR("segment a 10.0.300.1\n", 1, 11, "'10.0.300.1' is not an IPv4 or IPv6 address");
	ERR("segment a 10.0.0.1 2001:db8:::1\n", 1, 20, "not an IPv4 or IPv6 address");
	ERR("segment a eth0\n", 1, 11, "write 'iface eth0'");
	ERR("segment a /24\n", 1, 11, "not an IPv4 or IPv6 address");
	ERR("segment a 10.0.1.5/24\n", 1, 11, "host bits set in '10.0.1.5/24'; did you mean 10.0.1.0/24?");
	ERR("segment a 2001:db8::1/64\n", 1, 11, "did you mean 2001:db8::/64?");
	ERR("segment a 10.0.0.0/33\n", 1, 11, "bad prefix length in '10.0.0.0/33' (0..32 for IPv4)");
	ERR("segment a 2001:db8::/129\n", 1, 11, "(0..128 for IPv6)");
	ERR("segment a 10.0.0.0/\n", 1, 11, "bad prefix length");
	ERR("segment a 10.0.0.0/x\n", 1, 11, "bad prefix length");
	ERR("segment a 10.0.0.0/-1\n", 1, 11, "bad prefix length");
	ERR("segment a 10.0.0.0/8/8\n", 1, 11, "bad prefix length");
	/* interfaces */
	ERR("segment a iface\n", 1, 16, "expected an interface name after 'iface'");
	ERR("segment a iface eth0/1\n", 1, 17, "invalid interface name 'eth0/1'");
	ERR("segment a iface eth0:1\n", 1, 17, "invalid interface name");
	ERR("segment a iface 0123456789abcdef\n", 1, 17, "invalid interface name");
	ERR("segment a iface ..\n", 1, 17, "invalid interface name");
	/* segment names */
	ERR("segment\n", 1, 8, "expected a segment name after 'segment'");
	ERR("segment 1abc 10.0.0.1\n", 1, 9, "invalid segment name '1abc'");
	ERR("segment a/b 10.0.0.1\n", 1, 9, "invalid segment name");
	ERR("segment world 10.0.0.1\n", 1, 9, "'world' is the implicit segment");
	memset(name, 'n', 32);
	name[32] = '\0';
	snprintf(buf, sizeof(buf), "segment %s 10.0.0.1\n", name);
	ERR(buf, 1, 9, "is longer than 31 bytes (NGUARD_SEGMENT_NAME_MAX)");
	snprintf(buf, sizeof(buf), "segment a 10.0.0.1\nallow a -> %s\n", name);
	ERR(buf, 2, 12, "is longer than 31 bytes");
	/* members of a segment with a bad name are still checked */
	ERR("segment 1a 10.0.0.1 10.0.0.500\n", 1, 21, "not an IPv4");
	/* ports */
	ERR("allow * -> * tcp 0\n", 1, 18, "bad port '0' (ports are 1..65535)");
	ERR("allow * -> * tcp 70000\n", 1, 18, "bad port '70000'");
	ERR("allow * -> * udp 80,99999999999999999999\n", 1, 21, "bad port '9999");
	ERR("allow * -> * tcp 90-80\n", 1, 18, "bad port range '90-80': 90 is above 80");
	ERR("allow * -> * tcp 22,90-80\n", 1, 21, "bad port range '90-80'");
	ERR("allow * -> * tcp 80,\n", 1, 21, "empty port in list '80,'");
	ERR("allow * -> * tcp ,80\n", 1, 18, "empty port in list");
	ERR("allow * -> * tcp 80,,81\n", 1, 21, "empty port in list");
	ERR("allow * -> * tcp 80-\n", 1, 18, "bad port range '80-'");
	ERR("allow * -> * tcp 0-80\n", 1, 18, "bad port range");
	ERR("allow * -> * tcp 1-2-3\n", 1, 18, "bad port range");
	ERR("allow * -> * tcp 8a\n", 1, 18, "bad port '8a'");
	ERR("allow * -> * icmp 8\n", 1, 19, "ports are only valid after tcp, udp, 6, 17, 132 (sctp) or 136 (udplite), not after 'icmp'");
	ERR("allow * -> * icmpv6 1-2\n", 1, 21, "not after 'icmpv6'");
	ERR("allow * -> * any 80\n", 1, 18, "not after 'any'");
	ERR("allow * -> * 1 80\n", 1, 16, "not after '1'");
	ERR("allow * -> * proto 47 80\n", 1, 23, "not after '47'");
	/* protocols */
	ERR("allow * -> * 256\n", 1, 14, "bad protocol '256'");
	ERR("allow * -> * tcp 80 443\n", 1, 21, "bad protocol '443'");
	ERR("allow * -> * 6x\n", 1, 14, "bad protocol '6x'");
	ERR("allow * -> * proto 256\n", 1, 20, "bad protocol number '256' (0..255)");
	ERR("allow * -> * proto tcp\n", 1, 20, "bad protocol number 'tcp'");
	ERR("allow * -> * proto\n", 1, 19, "expected a protocol number after 'proto'");
	ERR("allow * -> * TCP 22\n", 1, 14, "expected a protocol, ports or 'log', got 'TCP'");
	ERR("allow * -> * tcp log 80\n", 1, 18, "'log' must be the last word");
	ERR("allow * -> * log log\n", 1, 14, "'log' must be the last word");
	/* rule shape and segment references */
	ERR("default deny\nallow web -> * tcp 22\n", 2, 7, "unknown segment 'web'");
	ERR("segment web 10.0.0.0/8\nallow web -> dbs tcp 22\n", 2, 14, "unknown segment 'dbs'");
	ERR("allow * db\n", 1, 9, "expected '->' after '*', got 'db'");
	ERR("allow *\n", 1, 8, "expected '->' after '*'");
	ERR("allow web->db\n", 1, 7, "put blanks around '->'");
	ERR("allow web -> db->x\n", 1, 14, "put blanks around '->'");
	ERR("allow * ->\n", 1, 11, "expected a destination segment after '->'");
	ERR("allow\n", 1, 6, "expected a source segment after 'allow'");
	ERR("deny\n", 1, 5, "expected a source segment after 'deny'");
	ERR("allow 1x -> *\n", 1, 7, "invalid segment name '1x'");
	ERR("allow * -> ->\n", 1, 12, "invalid segment name '->'");
	/* mode, default, conns */
	ERR("mode enforce\nmode monitor\n", 2, 1, "'mode' is already set on line 1");
	ERR("default deny\n\ndefault allow\n", 3, 1, "'default' is already set on line 1");
	ERR("mode foo\n", 1, 6, "expected 'enforce' or 'monitor' after 'mode', got 'foo'");
	ERR("mode\n", 1, 5, "expected 'enforce' or 'monitor'");
	ERR("mode enforce extra\n", 1, 14, "unexpected 'extra' at the end of 'mode'");
	ERR("default maybe\n", 1, 9, "expected 'allow' or 'deny' after 'default', got 'maybe'");
	ERR("default\n", 1, 8, "expected 'allow' or 'deny'");
	ERR("default deny log\n", 1, 14, "unexpected 'log'");
	ERR("conns max 0\n", 1, 11, "bad connection limit '0'");
	ERR("conns max 16777217\n", 1, 11, "bad connection limit");
	ERR("conns max -1\n", 1, 11, "bad connection limit");
	ERR("conns min 5\n", 1, 7, "expected 'max' after 'conns', got 'min'");
	ERR("conns\n", 1, 6, "expected 'max' after 'conns'");
	ERR("conns max\n", 1, 10, "expected a number after 'conns max'");
	ERR("conns max 5 6\n", 1, 13, "unexpected '6'");
	ERR("conns max 5\nconns max 6\n", 2, 1, "'conns max' is already set on line 1");
	/* duplicates across segments */
	ERR("segment a 10.0.0.0/8\nsegment b 10.1.0.0/16 10.0.0.0/8\n", 2, 23,
	    "prefix 10.0.0.0/8 is already in segment 'a' (line 1): the same prefix in two segments is ambiguous");
	ERR("segment a 10.0.0.1\nsegment b 10.0.0.1/32\n", 2, 11, "prefix 10.0.0.1/32 is already in segment 'a'");
	ERR("segment a 2001:db8::/32\nsegment b 2001:0db8:0::/32\n", 2, 11,
	    "prefix 2001:db8::/32 is already in segment 'a' (line 1)");
	ERR("segment a iface eth0\nsegment b iface eth0\n", 2, 17,
	    "interface eth0 is already in segment 'a' (line 1): the same interface in two segments");
	/* bytes */
	ERR("\xff\xfe\n", 1, 1, "unknown statement '\\xff\\xfe'");
}

/* NUL bytes need an explicit length. */
static void test_nul(void)
{
	static const char text[] = "default deny\nsegment a 10.0.0.1 \0 10.0.0.2\n";
	struct ng_policy p;
	struct ng_diag d;

	ng_diag_init(&d);
	CHECK(ng_policy_parse("t.conf", text, sizeof(text) - 1, &p, &d) == -1);
	CHECK(d.errors == 1 && has(&d, NG_SEV_ERROR, 2, 20, "NUL byte"));
	ng_diag_free(&d);
	ng_policy_free(&p);
}

static void test_warnings(void)
{
	struct ng_policy p;
	struct ng_diag d;

	CHECK(parse("default deny\nsegment a 10.0.0.0/8 fd00::/8 10.0.0.0/8 10.1.0.0/16\n"
		    "segment a fd00:0::/8 iface e0\nsegment a iface e0\n", &p, &d) == 0);
	CHECK(d.errors == 0 && d.warnings == 3);
	CHECK(has(&d, NG_SEV_WARNING, 2, 31, "prefix 10.0.0.0/8 is already in segment 'a' (line 2); ignored"));
	CHECK(has(&d, NG_SEV_WARNING, 3, 11, "prefix fd00::/8 is already in segment 'a' (line 2); ignored"));
	CHECK(has(&d, NG_SEV_WARNING, 4, 17, "interface e0 is already in segment 'a' (line 3); ignored"));
	CHECK(p.segs[0].n_v4 == 2 && p.segs[0].v4[1].addr == 0x0a010000);
	CHECK(p.segs[0].n_v6 == 1 && p.segs[0].n_ifaces == 1);
	/* messages come sorted by position */
	CHECK(d.n == 3 && d.msgs[0].line == 2 && d.msgs[1].line == 3 && d.msgs[2].line == 4);
	CHECK(round_trip(&p));
	ng_diag_free(&d);
	ng_policy_free(&p);

	CHECK(parse("default deny\nsegment empty\n", &p, &d) == 0);
	CHECK(has(&d, NG_SEV_WARNING, 2, 9, "segment 'empty' has no members"));
	CHECK(p.n_segs == 1 && round_trip(&p));
	ng_diag_free(&d);
	ng_policy_free(&p);
}

static void test_diag_output(void)
{
	struct ng_policy p;
	struct ng_diag d;
	char *text = NULL;
	size_t len, i;
	FILE *f;
	char big[64];

	/* Errors in file order whatever phase found them; warnings too. */
	CHECK(parse("allow nope -> *\nsegment a 10.0.0.1/8\nsegment a 10.0.0.0/8 10.0.0.0/8\n",
		    &p, &d) == -1);
	f = open_memstream(&text, &len);
	ng_diag_print(f, &d);
	fclose(f);
	CHECK_STR(text,
		  "t.conf: warning: no 'default' statement; using 'default deny'\n"
		  "t.conf:1:7: error: unknown segment 'nope'\n"
		  "t.conf:2:11: error: host bits set in '10.0.0.1/8'; did you mean 10.0.0.0/8?\n"
		  "t.conf:3:22: warning: prefix 10.0.0.0/8 is already in segment 'a' (line 3); ignored\n");
	free(text);
	ng_diag_free(&d);
	ng_policy_free(&p);

	/* Stop after 20 errors. */
	f = open_memstream(&text, &len);
	for (i = 0; i < 30; i++)
		fprintf(f, "bogus%zu\n", i);
	fclose(f);
	CHECK(parse(text, &p, &d) == -1);
	CHECK(d.n == NG_DIAG_MAX_ERRORS && d.too_many);
	CHECK(has(&d, NG_SEV_ERROR, 20, 1, "bogus19"));
	free(text);
	f = open_memstream(&text, &len);
	ng_diag_print(f, &d);
	fclose(f);
	CHECK(strstr(text, "t.conf: error: too many errors; stopped after 20\n") != NULL);
	free(text);
	ng_diag_free(&d);
	ng_policy_free(&p);

	/* Exactly 20 errors is not "too many". */
	f = open_memstream(&text, &len);
	for (i = 0; i < 20; i++)
		fprintf(f, "bogus%zu\n", i);
	fclose(f);
	CHECK(parse(text, &p, &d) == -1 && d.errors == 20 && !d.too_many);
	free(text);
	ng_diag_free(&d);
	ng_policy_free(&p);

	/* More than 100 warnings: counted, the rest summarized. */
	f = open_memstream(&text, &len);
	fputs("default deny\n", f);
	for (i = 0; i < 150; i++)
		fputs("segment a 10.0.0.1\n", f);
	fclose(f);
	CHECK(parse(text, &p, &d) == 0 && d.warnings == 149 && d.n == NG_DIAG_MAX_WARNINGS);
	free(text);
	f = open_memstream(&text, &len);
	ng_diag_print(f, &d);
	fclose(f);
	CHECK(strstr(text, "t.conf: warning: 49 more warnings not shown\n") != NULL);
	free(text);
	ng_diag_free(&d);
	ng_policy_free(&p);

	/* Long tokens are cut in messages and unprintable bytes escaped. */
	memset(big, 'x', 50);
	strcpy(big + 50, "\001\n");
	CHECK(parse(big, &p, &d) == -1);
	CHECK(has(&d, NG_SEV_ERROR, 1, 1,
		  "unknown statement 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'"));
	ng_diag_free(&d);
	ng_policy_free(&p);
	CHECK(parse("a\001b\n", &p, &d) == -1 && has(&d, NG_SEV_ERROR, 1, 1, "'a\\x01b'"));
	ng_diag_free(&d);
	ng_policy_free(&p);
}

/* A 100 KiB line: prefixes 10.0.x.y, then a bad one at a known column. */
static void test_long_line(void)
{
	struct ng_policy p;
	struct ng_diag d;
	char *text = NULL;
	size_t len, i;
	long col;
	FILE *f = open_memstream(&text, &len);

	fputs("default deny\nsegment a", f);
	for (i = 0; i < 9000; i++)
		fprintf(f, " 10.0.%zu.%zu", i / 256, i % 256);
	fputc('\n', f);
	fflush(f);
	CHECK(len > 100000);
	fclose(f);
	CHECK(parse(text, &p, &d) == 0 && p.segs[0].n_v4 == 9000);
	ng_diag_free(&d);
	CHECK(round_trip(&p));
	ng_policy_free(&p);
	text[strlen(text) - 1] = '\0';
	col = (long)(strlen(text) - strlen("default deny\n")) + 2;
	text = realloc(text, strlen(text) + 32);
	strcat(text, " 10.0.0.256\n");
	CHECK(parse(text, &p, &d) == -1 && has(&d, NG_SEV_ERROR, 2, (unsigned int)col, "'10.0.0.256'"));
	ng_diag_free(&d);
	ng_policy_free(&p);
	free(text);
}

static void test_print(void)
{
	struct ng_policy p;
	char *text, *s;
	size_t n = 0;

	CHECK(OK("default allow\nsegment a 10.0.0.0/30 10.0.0.4/30 10.0.0.8/30 10.0.0.12/30 "
		 "10.0.0.16/30 10.0.0.20/30 10.0.0.24/30 10.0.0.28/30 10.0.0.32/30 10.0.0.36/30 "
		 "10.0.0.40/30 10.0.0.44/30 10.0.0.48/30 10.0.0.52/30 10.0.0.56/30 10.0.0.60/30 "
		 "10.0.0.64/30 2001:db8::1 iface lo\n"
		 "segment b\n"
		 "allow a -> b 47 proto 50 icmp proto 1 tcp udp 53 tcp 22 6 80 proto 17 log\n", &p) == 1);
	text = print(&p);
	for (s = text; (s = strstr(s, "segment a ")); s++)
		n++;
	CHECK(n == 2);	/* 19 members: 16 on the first line, 3 on the next */
	CHECK(strstr(text, "10.0.0.60/30\nsegment a 10.0.0.64/30 2001:db8::1 iface lo\n") != NULL);
	CHECK(strstr(text, "\nsegment b\n") != NULL);
	CHECK(strstr(text, "\nallow a -> b 47 proto 50 icmp icmp tcp udp 53 tcp 22,80 udp log\n") != NULL);
	s = "mode enforce\ndefault allow\nsegment a 10.0.0.0/30 ";
	CHECK(!strncmp(text, s, strlen(s)));
	CHECK(round_trip(&p));
	free(text);
	ng_policy_free(&p);
}

/* ---- anomaly detection statements ---- */

static bool det_is(const struct ng_detect *d, int kind, int action, unsigned int block,
		   uint16_t from, uint16_t to)
{
	return d->kind == kind && d->action == action && d->block_secs == block &&
	       d->from == from && d->to == to;
}

static void test_anomaly(void)
{
	struct ng_policy p;
	const struct ng_detect *d;
	char *text;

	/* The issue's example, with a scoped sweep first so nothing is shadowed. */
	CHECK(OK("default deny\n"
		 "segment web 10.0.1.0/24\nsegment db 10.0.2.0/24\nsegment admin 10.0.9.0/24\n"
		 "limit conn 2000/s burst 4000 bytes 50M/s\n"
		 "detect sweep from web to db hosts 8 window 10s action block 1h\n"
		 "detect synflood 200/s burst 400 action drop\n"
		 "detect portscan weight 21 window 3s action block 600s\n"
		 "detect sweep hosts 32 window 10s action block 600s\n"
		 "detect tcpflags action drop\n"
		 "log rate 10/s burst 20\n"
		 "trackers max 100000\nblocked max 5000\n", &p) == 0);
	CHECK(p.limit.rate == 2000 && p.limit.burst == 4000);
	CHECK(p.limit.bytes == 50000000 && p.limit.bytes_burst == 100000000);
	CHECK(p.log_rate == 10 && p.log_burst == 20);
	CHECK(p.trackers_max == 100000 && p.blocked_max == 5000);
	CHECK(p.n_dets == 5);
	if (p.n_dets == 5) {
		d = &p.dets[0];
		CHECK(det_is(d, NG_DET_SWEEP, NG_ACT_BLOCK, 3600, 1, 2));
		CHECK(d->hosts == 8 && d->window_ms == 10000 && d->line == 6);
		CHECK(d->rate == 0 && d->weight == 0);
		d = &p.dets[1];
		CHECK(det_is(d, NG_DET_SYNFLOOD, NG_ACT_DROP, 0, NG_SEG_ANY, NG_SEG_ANY));
		CHECK(d->rate == 200 && d->burst == 400 && d->window_ms == 0);
		d = &p.dets[2];
		CHECK(det_is(d, NG_DET_PORTSCAN, NG_ACT_BLOCK, 600, NG_SEG_ANY, NG_SEG_ANY));
		CHECK(d->weight == 21 && d->window_ms == 3000);
		d = &p.dets[3];
		CHECK(d->kind == NG_DET_SWEEP && d->hosts == 32 && d->window_ms == 10000);
		d = &p.dets[4];
		CHECK(det_is(d, NG_DET_TCPFLAGS, NG_ACT_DROP, 0, NG_SEG_ANY, NG_SEG_ANY));
		CHECK(d->line == 10);
	}
	text = print(&p);
	CHECK(strstr(text, "\nconns max") == NULL);
	CHECK(strstr(text, "mode enforce\ndefault deny\ntrackers max 100000\nblocked max 5000\n"
			   "log rate 10/s burst 20\nlimit conn 2000/s burst 4000 bytes 50M/s burst 100M\n"
			   "segment web 10.0.1.0/24\n") == text);
	CHECK(strstr(text, "segment admin 10.0.9.0/24\n"
			   "detect sweep from web to db hosts 8 window 10s action block 3600s\n"
			   "detect synflood 200/s burst 400 action drop\n"
			   "detect portscan weight 21 window 3s action block 600s\n"
			   "detect sweep hosts 32 window 10s action block 600s\n"
			   "detect tcpflags action drop\n") != NULL);
	CHECK(round_trip(&p));
	free(text);
	ng_policy_free(&p);

	/* Defaults: bursts twice the rate, psd-like portscan, 32 hosts in 10 s. */
	CHECK(OK("default deny\nlimit conn 100/s\nlog rate 7/s\n"
		 "detect synflood 6000000/s action log\ndetect portscan action log\n"
		 "detect sweep action drop\n", &p) == 0);
	CHECK(p.limit.rate == 100 && p.limit.burst == 200 && p.limit.bytes == 0 &&
	      p.limit.bytes_burst == 0);
	CHECK(p.log_rate == 7 && p.log_burst == 14);
	CHECK(p.dets[0].rate == 6000000 && p.dets[0].burst == NG_SYNFLOOD_MAX);
	CHECK(p.dets[1].weight == 21 && p.dets[1].window_ms == 3000);
	CHECK(p.dets[2].hosts == 32 && p.dets[2].window_ms == 10000);
	CHECK(round_trip(&p));
	ng_policy_free(&p);
	CHECK(OK("default deny\nlog rate 10000/s\n", &p) == 0);
	CHECK(p.log_burst == 20000);
	ng_policy_free(&p);
	/* ipv6 source prefix: kept, printed after blocked max, 48..128. */
	CHECK(OK("default deny\nipv6 source prefix 56\nblocked max 9\n", &p) == 0);
	CHECK(p.ipv6_src_prefix == 56);
	text = print(&p);
	CHECK_STR(text, "mode enforce\ndefault deny\nblocked max 9\nipv6 source prefix 56\n");
	CHECK(round_trip(&p));
	free(text);
	ng_policy_free(&p);
	CHECK(OK("default deny\nipv6\tsource  prefix 48 # a /48 per site\n", &p) == 0);
	CHECK(p.ipv6_src_prefix == 48 && round_trip(&p));
	ng_policy_free(&p);
	CHECK(OK("default deny\nipv6 source prefix 128\n", &p) == 0);
	CHECK(p.ipv6_src_prefix == 128 && round_trip(&p));
	ng_policy_free(&p);
	CHECK(OK("default deny\nipv6 source prefix 64\n", &p) == 0);	/* the default, explicit */
	CHECK(p.ipv6_src_prefix == 64);
	text = print(&p);
	CHECK(strstr(text, "\nipv6 source prefix 64\n") != NULL);
	free(text);
	ng_policy_free(&p);
	/* limit source: kept, printed after limit conn, 1..NGUARD_MAX_CONNS. */
	CHECK(OK("default deny\nlimit source 100\nconns max 5000\nlimit conn 10/s\n", &p) == 0);
	CHECK(p.limit_source == 100 && p.limit.rate == 10 && p.limit.burst == 20);
	text = print(&p);
	CHECK_STR(text, "mode enforce\ndefault deny\nconns max 5000\n"
			"limit conn 10/s burst 20\nlimit source 100\n");
	CHECK(round_trip(&p));
	free(text);
	ng_policy_free(&p);
	CHECK(OK("default deny\nlimit\tsource   1 # one connection per source\n", &p) == 0);
	CHECK(p.limit_source == 1 && !p.limit.rate && !p.limit.bytes && round_trip(&p));
	text = print(&p);
	CHECK_STR(text, "mode enforce\ndefault deny\nlimit source 1\n");
	free(text);
	ng_policy_free(&p);
	CHECK(OK("default deny\nlimit source 16777216\n", &p) == 0);
	CHECK(p.limit_source == NGUARD_MAX_CONNS && round_trip(&p));
	ng_policy_free(&p);
	CHECK(OK("default deny\nlimit source 0050\n", &p) == 0);	/* leading zeros */
	CHECK(p.limit_source == 50);
	ng_policy_free(&p);
	/* Either "limit" statement may come first; each once. */
	CHECK(OK("default deny\nlimit conn bytes 1M/s\nlimit source 7\nipv6 source prefix 56\n",
		 &p) == 0);
	CHECK(p.limit_source == 7 && p.limit.bytes == 1000000 && p.ipv6_src_prefix == 56);
	CHECK(round_trip(&p));
	ng_policy_free(&p);
	CHECK(OK("default deny\nlimit source 7\nlimit conn 5/s\n", &p) == 0);
	CHECK(p.limit_source == 7 && p.limit.rate == 5 && round_trip(&p));
	ng_policy_free(&p);
	/* Absent: nothing set, nothing printed. */
	CHECK(OK("default deny\n", &p) == 0);
	CHECK(!p.log_rate && !p.log_burst && !p.trackers_max && !p.blocked_max &&
	      !p.limit.rate && !p.limit.bytes && !p.n_dets && !p.ipv6_src_prefix &&
	      !p.limit_source);
	text = print(&p);
	CHECK_STR(text, "mode enforce\ndefault deny\n");
	free(text);
	ng_policy_free(&p);

	/* Sizes: K/k/M/G are 1000-based, Ki/Mi/Gi 1024-based; byte bursts. */
	CHECK(OK("default deny\nlimit conn bytes 1k/s\n", &p) == 0);
	CHECK(p.limit.rate == 0 && p.limit.bytes == 1000 && p.limit.bytes_burst == 65536);
	text = print(&p);
	CHECK(strstr(text, "\nlimit conn bytes 1K/s burst 64Ki\n") != NULL);
	free(text);
	ng_policy_free(&p);
	CHECK(OK("default deny\nlimit conn 5/s burst 1 bytes 3Gi/s burst 1000G\n", &p) == 0);
	CHECK(p.limit.rate == 5 && p.limit.burst == 1);
	CHECK(p.limit.bytes == 3ull << 30 && p.limit.bytes_burst == 1000000000000ull);
	text = print(&p);
	CHECK(strstr(text, "\nlimit conn 5/s burst 1 bytes 3Gi/s burst 1000G\n") != NULL);
	free(text);
	CHECK(round_trip(&p));
	ng_policy_free(&p);
	CHECK(OK("default deny\nlimit conn bytes 1000G/s burst 1500\n", &p) == 1);	/* warning */
	CHECK(p.limit.bytes == NG_BYTES_MAX && p.limit.bytes_burst == 1500);
	ng_policy_free(&p);
	CHECK(OK("default deny\nlimit conn bytes 600G/s\n", &p) == 0);
	CHECK(p.limit.bytes_burst == NG_BYTES_MAX);	/* twice the rate, capped */
	ng_policy_free(&p);
	CHECK(OK("default deny\nlimit conn bytes 1Mi/s burst 123457 # odd\n", &p) == 0);
	text = print(&p);
	CHECK(strstr(text, "\nlimit conn bytes 1Mi/s burst 123457\n") != NULL);
	free(text);
	ng_policy_free(&p);

	/* Scopes: from/to either or both, world, "*", later segments; any parameter order. */
	CHECK(OK("default deny\n"
		 "detect portscan from world window 500ms action log weight 9\n"
		 "detect portscan to later action block 7d\n"
		 "detect portscan from * to * action drop\n"
		 "detect tcpflags from later to world action block 90s\n"
		 "detect synflood from world to * 10/s action drop burst 1\n"
		 "detect sweep window 1h hosts 65536 action log\n"	/* warning: never reached */
		 "segment later 10.0.0.0/8\n", &p) == 1);
	CHECK(p.n_dets == 6);
	if (p.n_dets == 6) {
		CHECK(det_is(&p.dets[0], NG_DET_PORTSCAN, NG_ACT_LOG, 0, NG_SEG_WORLD, NG_SEG_ANY));
		CHECK(p.dets[0].weight == 9 && p.dets[0].window_ms == 500);
		CHECK(det_is(&p.dets[1], NG_DET_PORTSCAN, NG_ACT_BLOCK, 604800, NG_SEG_ANY, 1));
		CHECK(det_is(&p.dets[2], NG_DET_PORTSCAN, NG_ACT_DROP, 0, NG_SEG_ANY, NG_SEG_ANY));
		CHECK(det_is(&p.dets[3], NG_DET_TCPFLAGS, NG_ACT_BLOCK, 90, 1, NG_SEG_WORLD));
		CHECK(det_is(&p.dets[4], NG_DET_SYNFLOOD, NG_ACT_DROP, 0, NG_SEG_WORLD, NG_SEG_ANY));
		CHECK(p.dets[4].rate == 10 && p.dets[4].burst == 1);
		CHECK(p.dets[5].hosts == 65536 && p.dets[5].window_ms == 3600000);
	}
	text = print(&p);
	CHECK(strstr(text, "\ndetect portscan from world weight 9 window 500ms action log\n"
			   "detect portscan to later weight 21 window 3s action block 604800s\n"
			   "detect portscan weight 21 window 3s action drop\n"
			   "detect tcpflags from later to world action block 90s\n"
			   "detect synflood from world 10/s burst 1 action drop\n"
			   "detect sweep hosts 65536 window 3600s action log\n") != NULL);
	free(text);
	CHECK(round_trip(&p));
	ng_policy_free(&p);

	/* Bruteforce: the service, defaults (10 in 60s), ranges, protocol numbers. */
	CHECK(OK("default deny\nsegment admin 10.0.9.0/24\n"
		 "detect bruteforce to admin tcp 22 action block 1h\n"
		 "detect bruteforce from world udp 5060,5061,6000-6010 hits 3 window 2s action drop\n"
		 "detect bruteforce proto 132 9000 window 1m hits 65535 action log\n"
		 "detect bruteforce to admin tcp 3389 action log\n", &p) == 0);	/* another service */
	CHECK(p.n_dets == 4);
	if (p.n_dets == 4) {
		CHECK(det_is(&p.dets[0], NG_DET_BRUTEFORCE, NG_ACT_BLOCK, 3600, NG_SEG_ANY, 1));
		CHECK(p.dets[0].hits == 10 && p.dets[0].window_ms == 60000);
		CHECK(p.dets[0].proto == 6 && p.dets[0].n_ports == 1 &&
		      p.dets[0].ports[0].lo == 22 && p.dets[0].ports[0].hi == 22);
		CHECK(p.dets[1].proto == 17 && p.dets[1].n_ports == 3 && p.dets[1].hits == 3 &&
		      p.dets[1].ports[2].lo == 6000 && p.dets[1].ports[2].hi == 6010);
		CHECK(p.dets[2].proto == 132 && p.dets[2].hits == 65535);
	}
	text = print(&p);
	CHECK(strstr(text, "\ndetect bruteforce to admin tcp 22 hits 10 window 60s action block 3600s\n"
			   "detect bruteforce from world udp 5060,5061,6000-6010 hits 3 window 2s action drop\n"
			   "detect bruteforce proto 132 9000 hits 65535 window 60s action log\n"
			   "detect bruteforce to admin tcp 3389 hits 10 window 60s action log\n") != NULL);
	free(text);
	CHECK(round_trip(&p));
	ng_policy_free(&p);

	/* Durations print in seconds, or in ms if not whole seconds. */
	CHECK(OK("default deny\ndetect sweep window 60000ms action block 86400s\n"
		 "detect portscan window 100ms action block 1s\n"
		 "detect tcpflags action block 3600s\n", &p) == 0);
	text = print(&p);
	CHECK(strstr(text, "detect sweep hosts 32 window 60s action block 86400s\n") != NULL);
	CHECK(strstr(text, "detect portscan weight 21 window 100ms action block 1s\n") != NULL);
	CHECK(strstr(text, "detect tcpflags action block 3600s\n") != NULL);
	free(text);
	ng_policy_free(&p);

	/* 64 detectors (NGUARD_MAX_DETECTORS) with distinct scopes are fine. */
	{
		char *big = NULL;
		size_t len, i;
		FILE *f = open_memstream(&big, &len);

		fputs("default deny\n", f);
		for (i = 0; i < 8; i++)
			fprintf(f, "segment s%zu 10.%zu.0.0/16\n", i, i);
		for (i = 0; i < NGUARD_MAX_DETECTORS; i++)
			fprintf(f, "detect portscan from s%zu to s%zu action log\n", i / 8, i % 8);
		fclose(f);
		CHECK(OK(big, &p) == 0);
		CHECK(p.n_dets == NGUARD_MAX_DETECTORS && round_trip(&p));
		ng_policy_free(&p);
		big = realloc(big, strlen(big) + 64);
		strcat(big, "detect tcpflags action log\n");
		ERR(big, 8 + NGUARD_MAX_DETECTORS + 2, 1,
		    "too many detectors: the limit is 64 (NGUARD_MAX_DETECTORS)");
		free(big);
	}
}

static void test_anomaly_warnings(void)
{
	struct ng_policy p;
	struct ng_diag d;

	/* A scope inside an earlier one of the same kind never applies. */
	CHECK(parse("default deny\nsegment a 10.0.0.0/8\nsegment b 11.0.0.0/8\n"
		    "detect sweep action log\n"
		    "detect sweep from a to b action drop\n"
		    "detect portscan from a action log\n"
		    "detect portscan from a to b action log\n"
		    "detect portscan to b action log\n"		/* not covered by "from a" */
		    "detect synflood to b 1/s action log\n"
		    "detect synflood from world to b 1/s action log\n"
		    "detect tcpflags from b action log\n"
		    "detect tcpflags to b action log\n", &p, &d) == 0);
	CHECK(d.errors == 0 && d.warnings == 3);
	CHECK(has(&d, NG_SEV_WARNING, 5, 8, "never applies: 'detect sweep' on line 4 comes first and covers this scope"));
	CHECK(has(&d, NG_SEV_WARNING, 7, 8, "never applies: 'detect portscan' on line 6"));
	CHECK(has(&d, NG_SEV_WARNING, 10, 8, "never applies: 'detect synflood' on line 9"));
	CHECK(p.n_dets == 9 && round_trip(&p));
	ng_diag_free(&d);
	ng_policy_free(&p);

	/* Thresholds the module's trackers cannot count up to. */
	CHECK(parse("default deny\ndetect portscan from world weight 193 action log\n"
		    "detect sweep from world hosts 257 action log\n"
		    "detect portscan weight 192 action log\n"
		    "detect sweep hosts 256 action log\n", &p, &d) == 0);
	CHECK(d.warnings == 2);
	CHECK(has(&d, NG_SEV_WARNING, 2, 35, "'weight 193' is never reached: the module remembers 64 ports per source, a score of at most 192"));
	CHECK(has(&d, NG_SEV_WARNING, 3, 31, "'hosts 257' is never reached: the module counts at most 256 hosts per source and segment"));
	ng_diag_free(&d);
	ng_policy_free(&p);

	/* A source limit the connection table never lets a source reach. */
	CHECK(parse("default deny\nconns max 1000\nlimit source 1001\n", &p, &d) == 0);
	CHECK(d.warnings == 1 && has(&d, NG_SEV_WARNING, 3, 14,
				     "source limit 1001 is above 'conns max 1000' (line 2): the connection table fills before a source reaches it"));
	CHECK(p.limit_source == 1001);
	ng_diag_free(&d);
	ng_policy_free(&p);
	CHECK(parse("default deny\nlimit source 1000\nconns max 1000\n", &p, &d) == 0 && !d.warnings);
	ng_diag_free(&d);
	ng_policy_free(&p);
	CHECK(parse("default deny\nlimit source 16777216\n", &p, &d) == 0 && !d.warnings);
	ng_diag_free(&d);
	ng_policy_free(&p);

	/* A byte burst below 64Ki. */
	CHECK(parse("default deny\nlimit conn bytes 10K/s burst 1500\n", &p, &d) == 0);
	CHECK(d.warnings == 1 && has(&d, NG_SEV_WARNING, 2, 30,
				     "byte burst '1500' is below 64Ki (65536): a larger packet"));
	ng_diag_free(&d);
	ng_policy_free(&p);
	CHECK(parse("default deny\nlimit conn bytes 10K/s burst 64Ki\n", &p, &d) == 0 && !d.warnings);
	ng_diag_free(&d);
	ng_policy_free(&p);
}

/* exempt: members, order, repetitions, print and errors. */
static void test_exempt(void)
{
	struct ng_policy p;
	struct ng_diag d;
	const struct ng_exempt *e;
	uint8_t v6[16];
	char *text;

	/* Segments (also declared later), hosts and prefixes of both families. */
	CHECK(OK("default deny\nsegment gw 10.0.0.1\n"
		 "exempt gw 192.0.2.53 2001:db8::/64 10.9.0.0/16 resolvers 2001:db8:1::7\n"
		 "detect portscan action block 1h\n"
		 "exempt 2001:db8:1::/128 admins\t198.51.100.0/24 # comment\n"
		 "segment resolvers 10.0.0.53\nsegment admins 10.0.9.0/24\n", &p) == 0);
	CHECK(p.n_exempts == 2 && ng_policy_exempt_count(&p) == 9);
	if (p.n_exempts == 2) {
		e = &p.exempts[0];
		CHECK(e->line == 3 && e->n_segs == 2 && e->n_v4 == 2 && e->n_v6 == 2);
		CHECK(e->segs[0] == 1 && e->segs[1] == 2);
		CHECK(e->v4[0].addr == 0xc0000235 && e->v4[0].len == 32);
		CHECK(e->v4[1].addr == 0x0a090000 && e->v4[1].len == 16);
		inet_pton(AF_INET6, "2001:db8::", v6);
		CHECK(!memcmp(e->v6[0].addr, v6, 16) && e->v6[0].len == 64);
		CHECK(e->v6[1].len == 128);
		e = &p.exempts[1];
		CHECK(e->line == 5 && e->n_segs == 1 && e->segs[0] == 3 && e->n_v4 == 1 &&
		      e->n_v6 == 1 && e->v6[0].len == 128);
	}
	text = print(&p);	/* after the detectors; segments, IPv4, IPv6; hosts bare */
	CHECK(strstr(text, "\ndetect portscan weight 21 window 3s action block 3600s\n"
			   "exempt gw resolvers 192.0.2.53 10.9.0.0/16 2001:db8::/64 2001:db8:1::7\n"
			   "exempt admins 198.51.100.0/24 2001:db8:1::\n") != NULL);
	free(text);
	CHECK(round_trip(&p));
	ng_policy_free(&p);

	/* Repetitions are dropped with a warning; a line left empty goes. */
	CHECK(parse("default deny\nsegment gw 10.0.0.1\n"
		    "exempt gw 10.0.0.1 10.0.0.1/32 gw\n"
		    "exempt 10.0.0.1 gw\n"
		    "exempt 0.0.0.0/0 ::/0 10.0.0.0/8\n", &p, &d) == 0);
	CHECK(d.errors == 0 && d.warnings == 6);
	CHECK(has(&d, NG_SEV_WARNING, 3, 20, "10.0.0.1/32 is already exempt (line 3); ignored"));
	CHECK(has(&d, NG_SEV_WARNING, 3, 32, "segment 'gw' is already exempt (line 3); ignored"));
	CHECK(has(&d, NG_SEV_WARNING, 4, 8, "10.0.0.1/32 is already exempt (line 3); ignored"));
	CHECK(has(&d, NG_SEV_WARNING, 4, 17, "segment 'gw' is already exempt (line 3); ignored"));
	CHECK(has(&d, NG_SEV_WARNING, 5, 8, "0.0.0.0/0 exempts every IPv4 source: none is ever quarantined"));
	CHECK(has(&d, NG_SEV_WARNING, 5, 18, "::/0 exempts every IPv6 source: none is ever quarantined"));
	CHECK(p.n_exempts == 2 && ng_policy_exempt_count(&p) == 5);
	CHECK(p.n_exempts == 2 && p.exempts[1].line == 5);
	CHECK(round_trip(&p));
	ng_diag_free(&d);
	ng_policy_free(&p);

	/* Keywords are valid segment names here as everywhere. */
	CHECK(OK("default deny\nsegment iface 10.0.0.1\nexempt iface\n", &p) == 0);
	CHECK(p.n_exempts == 1 && p.exempts[0].segs[0] == 1 && round_trip(&p));
	ng_policy_free(&p);

	ERR("exempt\n", 1, 7, "expected a segment, address or prefix after 'exempt'");
	ERR("exempt   \n", 1, 7, "expected a segment, address or prefix after 'exempt'");
	ERR("exempt world\n", 1, 8, "'world' cannot be exempt (it is every address in no segment): name addresses or prefixes");
	ERR("exempt 10.0.0.1 *\n", 1, 17, "'*' cannot be exempt: name the segments, addresses or prefixes that must never be quarantined");
	ERR("exempt gw\n", 1, 8, "unknown segment 'gw'");
	ERR("segment gw 10.0.0.1\nexempt gw wg\n", 2, 11, "unknown segment 'wg'");
	ERR("exempt 10.0.0.5/24\n", 1, 8, "host bits set in '10.0.0.5/24'; did you mean 10.0.0.0/24?");
	ERR("exempt 2001:db8::1/64\n", 1, 8, "host bits set in '2001:db8::1/64'; did you mean 2001:db8::/64?");
	ERR("exempt 10.0.0.256\n", 1, 8, "'10.0.0.256' is not an IPv4 or IPv6 address or prefix");
	ERR("exempt 10.0.0.0/33\n", 1, 8, "bad prefix length in '10.0.0.0/33' (0..32 for IPv4)");
	ERR("exempt fe80::1%eth0\n", 1, 8, "'fe80::1%eth0' is not an IPv4 or IPv6 address or prefix");
	ERR("exempt -gw\n", 1, 8, "invalid segment name '-gw'");
	ERR("exempt a->b\n", 1, 8, "invalid segment name 'a->b': put blanks around '->'");
	ERR("frob 1\n", 1, 1, "(mode, default, conns, segment, allow, deny, limit, detect, log, trackers, blocked, exempt, ipv6 or observe)");

	/* NGUARD_MAX_EXEMPT members in all; repetitions do not count. */
	{
		size_t len, i, k;
		FILE *f;

		for (k = 0; k < 2; k++) {
			f = open_memstream(&text, &len);
			fputs("default deny\nsegment a 10.0.0.1\nsegment b 10.0.0.2\nexempt a 10.0.0.0/8", f);
			for (i = 0; i < NGUARD_MAX_EXEMPT - 3 + k; i++)
				fprintf(f, "%s192.0.%zu.%zu", i % 100 ? " " : "\nexempt ", i >> 8, i & 255);
			fputs(" a 192.0.0.0\nexempt b\n", f);
			fclose(f);
			if (k == 0) {
				CHECK(parse(text, &p, &d) == 0 && d.errors == 0 && d.warnings == 2);
				CHECK(ng_policy_exempt_count(&p) == NGUARD_MAX_EXEMPT);
				CHECK(round_trip(&p));
			} else {
				CHECK(parse(text, &p, &d) == -1 && d.errors == 1 && d.warnings == 2);
				CHECK(has(&d, NG_SEV_ERROR, 16, 8,
					  "too many exempt members: the limit is 1024 (NGUARD_MAX_EXEMPT)"));
			}
			ng_diag_free(&d);
			ng_policy_free(&p);
			free(text);
		}
	}
}

static void test_anomaly_errors(void)
{
	/* trackers max, blocked max */
	ERR("trackers max 0\n", 1, 14, "bad tracker limit '0' (1..16777216)");
	ERR("trackers max 16777217\n", 1, 14, "bad tracker limit");
	ERR("trackers max 1k\n", 1, 14, "bad tracker limit '1k'");
	ERR("trackers\n", 1, 9, "expected 'max' after 'trackers'");
	ERR("trackers min 5\n", 1, 10, "expected 'max' after 'trackers', got 'min'");
	ERR("trackers max\n", 1, 13, "expected a number after 'trackers max'");
	ERR("trackers max 5 6\n", 1, 16, "unexpected '6' at the end of 'trackers max'");
	ERR("trackers max 5\ntrackers max 6\n", 2, 1, "'trackers max' is already set on line 1");
	ERR("blocked max 0\n", 1, 13, "bad quarantine limit '0' (1..1048576)");
	ERR("blocked max 1048577\n", 1, 13, "bad quarantine limit");
	ERR("blocked\n", 1, 8, "expected 'max' after 'blocked'");
	ERR("blocked size 5\n", 1, 9, "expected 'max' after 'blocked', got 'size'");
	ERR("blocked max\n", 1, 12, "expected a number after 'blocked max'");
	ERR("blocked max 1 x\n", 1, 15, "unexpected 'x' at the end of 'blocked max'");
	ERR("blocked max 1\n\nblocked max 2\n", 3, 1, "'blocked max' is already set on line 1");
	/* ipv6 source prefix */
	ERR("ipv6 source prefix 47\n", 1, 20, "bad IPv6 source prefix length '47' (48..128)");
	ERR("ipv6 source prefix 129\n", 1, 20, "bad IPv6 source prefix length '129' (48..128)");
	ERR("ipv6 source prefix 0\n", 1, 20, "bad IPv6 source prefix length '0'");
	ERR("ipv6 source prefix /64\n", 1, 20, "bad IPv6 source prefix length '/64'");
	ERR("ipv6 source prefix 64x\n", 1, 20, "bad IPv6 source prefix length '64x'");
	ERR("ipv6 source prefix 99999999999999999999\n", 1, 20, "bad IPv6 source prefix length");
	ERR("ipv6\n", 1, 5, "expected 'source' after 'ipv6'");
	ERR("ipv6 src prefix 64\n", 1, 6, "expected 'source' after 'ipv6', got 'src'");
	ERR("ipv6 source\n", 1, 12, "expected 'prefix' after 'ipv6 source'");
	ERR("ipv6 source length 64\n", 1, 13, "expected 'prefix' after 'ipv6 source', got 'length'");
	ERR("ipv6 source prefix\n", 1, 19, "expected a prefix length after 'ipv6 source prefix'");
	ERR("ipv6 source prefix 64 56\n", 1, 23, "unexpected '56' at the end of 'ipv6 source prefix'");
	ERR("ipv6 source prefix 64\nipv6 source prefix 56\n", 2, 1,
	    "'ipv6 source prefix' is already set on line 1");
	ERR("IPv6 source prefix 64\n", 1, 1, "unknown statement 'IPv6'");
	/* log rate */
	ERR("log\n", 1, 4, "expected 'rate' after 'log'");
	ERR("log burst 5\n", 1, 5, "expected 'rate' after 'log', got 'burst'");
	ERR("log rate\n", 1, 9, "expected a rate like '100/s' after 'log rate'");
	ERR("log rate burst 5\n", 1, 10, "expected a rate like '100/s' after 'log rate', got 'burst'");
	ERR("log rate 10\n", 1, 10, "bad rate '10': rates are per second, like '100/s'");
	ERR("log rate 10/m\n", 1, 10, "bad rate '10/m'");
	ERR("log rate 10/ s\n", 1, 10, "bad rate '10/'");
	ERR("log rate 0/s\n", 1, 10, "bad log rate '0/s' (1/s..10000/s)");
	ERR("log rate 10001/s\n", 1, 10, "bad log rate '10001/s'");
	ERR("log rate 1k/s\n", 1, 10, "bad log rate '1k/s'");
	ERR("log rate 10/s burst\n", 1, 20, "expected a number after 'burst'");
	ERR("log rate 10/s burst 0\n", 1, 21, "bad log burst '0' (1..100000)");
	ERR("log rate 10/s burst 100001\n", 1, 21, "bad log burst '100001'");
	ERR("log rate 10/s 20\n", 1, 15, "unexpected '20' at the end of 'log rate'");
	ERR("log rate 10/s burst 5 burst 6\n", 1, 23, "unexpected 'burst' at the end of 'log rate'");
	ERR("log rate 1/s\nlog rate 2/s\n", 2, 1, "'log rate' is already set on line 1");
	/* limit conn */
	ERR("limit\n", 1, 6, "expected 'conn' or 'source' after 'limit'");
	ERR("limit host 5/s\n", 1, 7, "expected 'conn' or 'source' after 'limit', got 'host'");
	ERR("limit conns 5/s\n", 1, 7, "expected 'conn' or 'source' after 'limit', got 'conns'");
	ERR("limit conn\n", 1, 11, "expected a packet rate like '100/s' or 'bytes SIZE/s' after 'limit conn'");
	ERR("limit conn burst 5\n", 1, 12, "expected a rate like '100/s' after 'limit conn', got 'burst'");
	ERR("limit conn 100\n", 1, 12, "bad rate '100': rates are per second");
	ERR("limit conn 0/s\n", 1, 12, "bad packet rate '0/s' (1/s..4294967295/s)");
	ERR("limit conn 4294967296/s\n", 1, 12, "bad packet rate '4294967296/s'");
	ERR("limit conn 5M/s\n", 1, 12, "bad packet rate '5M/s'");
	ERR("limit conn 5/s burst\n", 1, 21, "expected a number after 'burst'");
	ERR("limit conn 5/s burst 0\n", 1, 22, "bad burst '0' (1..4294967295)");
	ERR("limit conn 5/s burst 5M\n", 1, 22, "bad burst '5M'");
	ERR("limit conn 5/s bytes\n", 1, 21, "expected a byte rate like '50M/s' after 'bytes'");
	ERR("limit conn bytes 50X/s\n", 1, 18, "bad byte rate '50X/s' (1/s..1000G/s; K, M, G are 1000-based, Ki, Mi, Gi 1024-based)");
	ERR("limit conn bytes 50M\n", 1, 18, "bad byte rate '50M'");
	ERR("limit conn bytes 0/s\n", 1, 18, "bad byte rate '0/s'");
	ERR("limit conn bytes 0K/s\n", 1, 18, "bad byte rate '0K/s'");
	ERR("limit conn bytes 1001G/s\n", 1, 18, "bad byte rate '1001G/s'");
	ERR("limit conn bytes 932Gi/s\n", 1, 18, "bad byte rate '932Gi/s'");
	ERR("limit conn bytes M/s\n", 1, 18, "bad byte rate 'M/s'");
	ERR("limit conn bytes 5m/s\n", 1, 18, "bad byte rate '5m/s'");
	ERR("limit conn bytes 5KB/s\n", 1, 18, "bad byte rate '5KB/s'");
	ERR("limit conn bytes 1M/s burst\n", 1, 28, "expected a size after 'burst', like '100M'");
	ERR("limit conn bytes 1M/s burst 0\n", 1, 29, "bad byte burst '0' (1..1000G;");
	ERR("limit conn bytes 1M/s burst 2T\n", 1, 29, "bad byte burst '2T'");
	ERR("limit conn bytes 1M/s burst 1001G\n", 1, 29, "bad byte burst '1001G'");
	ERR("limit conn bytes 1M/s 5/s\n", 1, 23, "unexpected '5/s' at the end of 'limit conn'");
	ERR("limit conn bytes 1M/s burst 2M burst 3M\n", 1, 32, "unexpected 'burst' at the end of 'limit conn'");
	ERR("limit conn 5/s burst 1 burst 2\n", 1, 24, "unexpected 'burst' at the end of 'limit conn'");
	ERR("limit conn 5/s\nlimit conn 6/s\n", 2, 1, "'limit conn' is already set on line 1");
	/* limit source */
	ERR("limit source 0\n", 1, 14,
	    "source limit '0' is out of range (1..16777216 connections per source, NGUARD_MAX_CONNS); for no limit, leave 'limit source' out");
	ERR("limit source 16777217\n", 1, 14,
	    "source limit '16777217' is out of range (1..16777216 connections per source, NGUARD_MAX_CONNS)");
	ERR("limit source 99999999999999999999999\n", 1, 14,
	    "source limit '99999999999999999999999' is out of range");
	ERR("limit source many\n", 1, 14,
	    "bad source limit 'many': expected a number of connections, like 'limit source 100'");
	ERR("limit source -1\n", 1, 14, "bad source limit '-1': expected a number of connections");
	ERR("limit source 1e3\n", 1, 14, "bad source limit '1e3'");
	ERR("limit source 20000000x\n", 1, 14, "bad source limit '20000000x'");
	ERR("limit source 100/s\n", 1, 14,
	    "bad source limit '100/s': 'limit source' takes a number of connections, not a rate (per-connection rates are 'limit conn RATE/s')");
	ERR("limit source\n", 1, 13,
	    "expected a number of connections after 'limit source', like 'limit source 100'");
	ERR("limit source 10 burst 20\n", 1, 17, "unexpected 'burst' at the end of 'limit source'");
	ERR("limit source 10\nlimit source 10\n", 2, 1, "'limit source' is already set on line 1");
	ERR("limit source 10\n\nlimit source 20\n", 3, 1, "'limit source' is already set on line 1");
	ERR("limit conn 5/s\nlimit source 10\nlimit source 20\n", 3, 1,
	    "'limit source' is already set on line 2");
	ERR("limit source 10\nlimit conn 5/s\nlimit conn 6/s\n", 3, 1,
	    "'limit conn' is already set on line 2");
	ERR("limit Source 10\n", 1, 7, "expected 'conn' or 'source' after 'limit', got 'Source'");
	/* detect: kind, count, scope */
	ERR("detect\n", 1, 7, "expected a detector after 'detect' (synflood, portscan, sweep, tcpflags or bruteforce)");
	ERR("detect portscans action log\n", 1, 8, "unknown detector 'portscans' (synflood, portscan, sweep, tcpflags or bruteforce)");
	ERR("detect tcpflags from\n", 1, 21, "expected a segment after 'from'");
	ERR("detect tcpflags to\n", 1, 19, "expected a segment after 'to'");
	ERR("detect tcpflags from * to\n", 1, 26, "expected a segment after 'to'");
	ERR("detect tcpflags from nowhere action log\n", 1, 22, "unknown segment 'nowhere'");
	ERR("segment a 10.0.0.0/8\ndetect tcpflags from a to b action log\n", 2, 27, "unknown segment 'b'");
	ERR("detect tcpflags from 1a action log\n", 1, 22, "invalid segment name '1a'");
	ERR("detect tcpflags to * from * action log\n", 1, 22,
	    "the scope must come right after the detector name: 'detect tcpflags from SEG to SEG ...'");
	ERR("detect synflood 5/s from * action log\n", 1, 21, "the scope must come right after");
	ERR("detect portscan action log to *\n", 1, 28, "the scope must come right after");
	/* detect: parameters */
	ERR("detect synflood action drop\n", 1, 17, "expected a rate like '100/s' after 'detect synflood', got 'action'");
	ERR("detect synflood\n", 1, 16, "expected a rate like '100/s' after 'detect synflood'");
	ERR("detect synflood from *\n", 1, 23, "expected a rate like '100/s' after 'detect synflood'");
	ERR("detect synflood 200 action drop\n", 1, 17, "bad rate '200': rates are per second");
	ERR("detect synflood 0/s action drop\n", 1, 17, "bad synflood rate '0/s' (1/s..10000000/s)");
	ERR("detect synflood 10000001/s action drop\n", 1, 17, "bad synflood rate '10000001/s'");
	ERR("detect synflood 200/s burst 0 action drop\n", 1, 29, "bad burst '0' (1..10000000)");
	ERR("detect synflood 200/s burst 10000001 action drop\n", 1, 29, "bad burst '10000001'");
	ERR("detect synflood 200/s burst action drop\n", 1, 29, "bad burst 'action'");
	ERR("detect synflood 200/s burst\n", 1, 28, "expected a number after 'burst'");
	ERR("detect synflood 200/s burst 5 burst 6 action drop\n", 1, 31, "'burst' is given twice");
	ERR("detect synflood 200/s weight 5 action drop\n", 1, 23,
	    "unexpected 'weight' in 'detect synflood' (expected burst or action)");
	ERR("detect portscan hosts 5 action drop\n", 1, 17,
	    "unexpected 'hosts' in 'detect portscan' (expected weight, window or action)");
	ERR("detect sweep weight 5 action drop\n", 1, 14,
	    "unexpected 'weight' in 'detect sweep' (expected hosts, window or action)");
	ERR("detect tcpflags window 3s action drop\n", 1, 17,
	    "unexpected 'window' in 'detect tcpflags' (expected action)");
	ERR("detect portscan 21 action drop\n", 1, 17, "unexpected '21' in 'detect portscan'");
	ERR("detect portscan weight 0 action log\n", 1, 24, "bad weight '0' (1..100000)");
	ERR("detect portscan weight 100001 action log\n", 1, 24, "bad weight '100001'");
	ERR("detect portscan weight\n", 1, 23, "expected a number after 'weight'");
	ERR("detect portscan weight 5 weight 6 action log\n", 1, 26, "'weight' is given twice");
	ERR("detect sweep hosts 1 action log\n", 1, 20, "bad hosts '1' (2..65536)");
	ERR("detect sweep hosts 65537 action log\n", 1, 20, "bad hosts '65537'");
	ERR("detect sweep hosts 9 hosts 9 action log\n", 1, 22, "'hosts' is given twice");
	ERR("detect sweep window 5s window 6s action log\n", 1, 24, "'window' is given twice");
	ERR("detect sweep window\n", 1, 20, "expected a duration after 'window', like '3s' or '500ms'");
	ERR("detect sweep window 10 action log\n", 1, 21, "duration '10' needs a unit (ms, s, m, h or d): '10s'?");
	ERR("detect sweep window 10x action log\n", 1, 21, "bad duration '10x' (a number and a unit: ms, s, m, h or d)");
	ERR("detect sweep window s action log\n", 1, 21, "bad duration 's'");
	ERR("detect sweep window 1.5s action log\n", 1, 21, "bad duration '1.5s'");
	ERR("detect sweep window 10S action log\n", 1, 21, "bad duration '10S'");
	ERR("detect sweep window 99ms action log\n", 1, 21, "window '99ms' is out of range (100ms..1h)");
	ERR("detect sweep window 0s action log\n", 1, 21, "window '0s' is out of range");
	ERR("detect sweep window 61m action log\n", 1, 21, "window '61m' is out of range");
	ERR("detect sweep window 2h action log\n", 1, 21, "window '2h' is out of range");
	ERR("detect sweep window 99999999999999999999999ms action log\n", 1, 21, "window '9");
	/* detect: actions */
	ERR("detect tcpflags\n", 1, 16, "missing 'action' (log, drop or block DURATION) in 'detect tcpflags'");
	ERR("detect portscan weight 5 # no action\n", 1, 25, "missing 'action' (log, drop or block DURATION) in 'detect portscan'");
	ERR("detect tcpflags action\n", 1, 23, "expected log, drop or block after 'action'");
	ERR("detect tcpflags action reject\n", 1, 24, "unknown action 'reject' (log, drop or block DURATION)");
	ERR("detect tcpflags action log action drop\n", 1, 28, "'action' is given twice");
	ERR("detect tcpflags action log extra\n", 1, 28, "unexpected 'extra' in 'detect tcpflags' (expected action)");
	ERR("detect tcpflags action block\n", 1, 29, "expected a duration after 'block', like '600s' or '1h'");
	ERR("detect tcpflags action block 600\n", 1, 30, "duration '600' needs a unit (s, m, h or d): '600s'?");
	ERR("detect tcpflags action block 1500ms\n", 1, 30, "block durations are whole seconds: '1500ms' (units s, m, h or d)");
	ERR("detect tcpflags action block 2000ms\n", 1, 30, "block durations are whole seconds");
	ERR("detect tcpflags action block 0s\n", 1, 30, "block duration '0s' is out of range (1s..7d, NGUARD_MAX_BLOCK_SECS)");
	ERR("detect tcpflags action block 8d\n", 1, 30, "block duration '8d' is out of range");
	ERR("detect tcpflags action block 604801s\n", 1, 30, "block duration '604801s' is out of range");
	ERR("detect tcpflags action block 10y\n", 1, 30, "bad duration '10y' (a number and a unit: s, m, h or d)");
	ERR("detect tcpflags action block log\n", 1, 30, "bad duration 'log'");
	/* detect: the same kind and scope twice */
	ERR("default deny\ndetect portscan action log\ndetect portscan action drop\n", 3, 8,
	    "'detect portscan' with the same scope is already on line 2");
	ERR("segment a 10.0.0.0/8\ndetect tcpflags from a action log\ndetect tcpflags from a to * action log\n",
	    3, 8, "'detect tcpflags' with the same scope is already on line 2");
	ERR("segment a 10.0.0.0/8\ndetect sweep from world to a action log\n"
	    "detect sweep from world to a hosts 5 action log\n", 3, 8, "'detect sweep' with the same scope");
	/* bruteforce: the same scope and a service an earlier line covers */
	ERR("default deny\ndetect bruteforce tcp 22,3389 action log\n"
	    "detect bruteforce tcp 3389 hits 3 action drop\n", 3, 8,
	    "'detect bruteforce' with the same scope is already on line 2");
}

/* Every valid example file parses and round-trips. */
static void test_policy_files(void)
{
	static const char *const files[] = {
		"tests/policies/valid-example.conf", "tests/policies/valid-rich.conf",
		"tests/policies/valid-anomaly.conf",
	};
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct ng_policy p;
		struct ng_diag d;

		ng_diag_init(&d);
		if (ng_policy_parse_file(files[i], &p, &d)) {
			fprintf(stderr, "%s does not parse:\n", files[i]);
			dump(&d);
			ng_test_failures++;
		} else {
			CHECK(round_trip(&p));
		}
		ng_diag_free(&d);
		ng_policy_free(&p);
	}
}

/* ---- random policies: text and the expected model built side by side ---- */

static uint64_t rng;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)((rng >> 11) % n);
}

static const char *blank(void)
{
	static const char *const b[] = { " ", " ", " ", "\t", "  ", " \t " };

	return b[rnd(6)];
}

static void end_line(FILE *f, unsigned int *line)
{
	switch (rnd(6)) {
	case 0:
		fprintf(f, "%s# comment -> * tcp 1", blank());
		break;
	case 1:
		fputs(" \r", f);
		break;
	case 2:
		fputs("#", f);
		break;
	}
	fputc('\n', f);
	(*line)++;
}

struct gseg {
	char name[NGUARD_SEGMENT_NAME_MAX];
	uint32_t v4[20];
	uint8_t v4len[20];
	size_t n4;
	uint8_t v6[20][16];
	uint8_t v6len[20];
	size_t n6;
	char ifaces[4][NG_IFNAMSIZ];
	size_t nif;
	int id;			/* 0 until its first line */
};

static void mask6(uint8_t *a, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < 16; i++)
		a[i] &= i * 8 >= len ? 0 : (i + 1) * 8 <= len ? 0xff : (uint8_t)(0xff << (8 - len % 8));
}

/* Whether the expected model already has this prefix (the parser drops it). */
static bool has_v4(const struct ng_segment *s, uint32_t a, unsigned int len)
{
	size_t i;

	for (i = 0; i < s->n_v4; i++)
		if (s->v4[i].addr == a && s->v4[i].len == len)
			return true;
	return false;
}

static bool has_v6(const struct ng_segment *s, const uint8_t *a, unsigned int len)
{
	size_t i;

	for (i = 0; i < s->n_v6; i++)
		if (!memcmp(s->v6[i].addr, a, 16) && s->v6[i].len == len)
			return true;
	return false;
}

/* One "segment" line with a few members of @g, some repeated. */
static void gen_segment_line(FILE *f, struct ng_policy *exp, struct gseg *g, int idx,
			     unsigned int *line)
{
	struct ng_segment *s;
	unsigned int k, n = rnd(6);

	if (!g->id) {
		s = ng_policy_add_segment(exp, g->name, strlen(g->name));
		g->id = s->id;
	}
	s = &exp->segs[g->id - 1];
	fprintf(f, "%ssegment%s%s", rnd(3) ? "" : " ", blank(), g->name);
	for (k = 0; k < n; k++) {
		unsigned int kind = rnd(7);
		char buf[INET6_ADDRSTRLEN];

		fputs(blank(), f);
		if (kind < 3) {
			uint32_t a, be;
			uint8_t len;

			if (g->n4 && rnd(5) == 0) {	/* repeat: dropped */
				size_t j = rnd((uint32_t)g->n4);

				a = g->v4[j];
				len = g->v4len[j];
			} else {
				len = (uint8_t)(8 + rnd(25));
				a = (uint32_t)(idx + 1) << 24 | rnd(1u << 24);
				a &= len == 32 ? 0xffffffffu : ~(0xffffffffu >> len);
				if (g->n4 < 20) {
					g->v4[g->n4] = a;
					g->v4len[g->n4++] = len;
				}
				if (!has_v4(s, a, len))
					ng_segment_add_v4(s, a, len);
			}
			be = htonl(a);
			inet_ntop(AF_INET, &be, buf, sizeof(buf));
			if (len == 32 && rnd(2))
				fputs(buf, f);
			else
				fprintf(f, "%s/%u", buf, len);
		} else if (kind < 6) {
			uint8_t a[16];
			unsigned int len, i;

			if (g->n6 && rnd(5) == 0) {
				size_t j = rnd((uint32_t)g->n6);

				memcpy(a, g->v6[j], 16);
				len = g->v6len[j];
			} else {
				len = 16 + rnd(113);
				a[0] = 0x20;
				a[1] = (uint8_t)(idx + 1);
				for (i = 2; i < 16; i++)
					a[i] = rnd(4) ? 0 : (uint8_t)rnd(256);
				mask6(a, len);
				if (g->n6 < 20) {
					memcpy(g->v6[g->n6], a, 16);
					g->v6len[g->n6++] = (uint8_t)len;
				}
				if (!has_v6(s, a, len))
					ng_segment_add_v6(s, a, (uint8_t)len);
			}
			if (rnd(4) == 0) {	/* the long form */
				for (i = 0; i < 16; i += 2)
					fprintf(f, "%s%x", i ? ":" : "", a[i] << 8 | a[i + 1]);
			} else {
				inet_ntop(AF_INET6, a, buf, sizeof(buf));
				fputs(buf, f);
			}
			if (len != 128 || rnd(2))
				fprintf(f, "/%u", len);
		} else {
			char name[NG_IFNAMSIZ];

			if (g->nif && rnd(3) == 0) {
				strcpy(name, g->ifaces[rnd((uint32_t)g->nif)]);
			} else {
				snprintf(name, sizeof(name), "e%d.%u-x", idx, rnd(1000));
				if (g->nif < 4)
					strcpy(g->ifaces[g->nif++], name);
				ng_segment_add_iface(s, name, strlen(name));
			}
			/* a fresh random name may repeat an older one: undo */
			{
				size_t j, hits = 0;

				for (j = 0; j < s->n_ifaces; j++)
					hits += !strcmp(s->ifaces[j], name);
				if (hits > 1)
					s->n_ifaces--;
			}
			fprintf(f, "iface%s%s", blank(), name);
		}
	}
	end_line(f, line);
}

static void gen_endpoint(FILE *f, struct gseg *segs, int nseg, uint16_t *id,
			 int *pending)
{
	int k = (int)rnd((uint32_t)nseg + 2);

	if (k == nseg) {
		fputs("*", f);
		*id = NG_SEG_ANY;
	} else if (k == nseg + 1) {
		fputs("world", f);
		*id = NG_SEG_WORLD;
	} else {
		fputs(segs[k].name, f);
		*pending = k;	/* id known once every segment is declared */
	}
}

struct grule {
	int src, dst;		/* gseg index, or -1 */
};

static void gen_rule(FILE *f, struct ng_policy *exp, struct gseg *segs, int nseg,
		     struct grule *gr, unsigned int *line)
{
	static const uint8_t port_protos[] = { 6, 17, 132, 136 };
	struct ng_rule *r = ng_policy_add_rule(exp);
	unsigned int groups = rnd(7), k;
	bool prev_ports = true;

	r->action = rnd(2) ? NG_ALLOW : NG_DENY;
	r->line = *line;
	gr->src = gr->dst = -1;
	fprintf(f, "%s%s", r->action == NG_ALLOW ? "allow" : "deny", blank());
	gen_endpoint(f, segs, nseg, &r->src, &gr->src);
	fprintf(f, "%s->%s", blank(), blank());
	gen_endpoint(f, segs, nseg, &r->dst, &gr->dst);
	for (k = 0; k < groups; k++) {
		struct ng_term t = { 0, 0, 0, 65535 };
		unsigned int kind = rnd(6), nports, j;
		const char *name;

		fputs(blank(), f);
		if (kind == 0) {
			t.any_proto = 1;
			fputs("any", f);
		} else {
			t.proto = kind == 1 ? (uint8_t)rnd(256) : port_protos[rnd(4)];
			if (kind == 2)
				t.proto = rnd(2) ? 1 : 58;
			name = ng_proto_name(t.proto);
			if (name && rnd(4))
				fputs(name, f);
			else if (prev_ports && rnd(2))
				fprintf(f, "%u", t.proto);
			else
				fprintf(f, "proto%s%u", blank(), t.proto);
		}
		nports = !t.any_proto && ng_proto_has_ports(t.proto) ? rnd(5) : 0;
		prev_ports = nports > 0;
		if (!nports) {
			ng_rule_add_term(r, &t);
			continue;
		}
		fputs(blank(), f);
		for (j = 0; j < nports; j++) {
			t.port_lo = (uint16_t)(1 + rnd(65535));
			t.port_hi = t.port_lo;
			if (rnd(2))
				t.port_hi = (uint16_t)(t.port_lo + rnd(65536 - t.port_lo));
			if (t.port_lo == t.port_hi && rnd(2))
				fprintf(f, "%s%u", j ? "," : "", t.port_lo);
			else
				fprintf(f, "%s%u-%u", j ? "," : "", t.port_lo, t.port_hi);
			ng_rule_add_term(r, &t);
		}
	}
	if (rnd(3) == 0) {
		r->log = true;
		fprintf(f, "%slog", blank());
	}
	end_line(f, line);
}

/* A duration of @ms in a random unit that holds it exactly. */
static void put_duration(FILE *f, uint64_t ms, bool ms_ok)
{
	static const struct { uint64_t ms; const char *unit; } units[] = {
		{ 1, "ms" }, { 1000, "s" }, { 60000, "m" }, { 3600000, "h" }, { 86400000, "d" },
	};
	size_t k;

	do
		k = rnd(5);
	while (ms % units[k].ms || (k == 0 && !ms_ok));
	fprintf(f, "%llu%s", (unsigned long long)(ms / units[k].ms), units[k].unit);
}

/* A random duration in @lo..@hi ms, often a round number of a unit. */
static uint64_t rnd_duration(uint64_t lo, uint64_t hi)
{
	static const uint64_t round[] = { 1000, 60000, 3600000, 86400000 };
	uint64_t v, u;

	for (;;) {
		if (rnd(2)) {
			v = lo + (uint64_t)rnd((uint32_t)(hi - lo + 1 > UINT32_MAX ? UINT32_MAX : hi - lo + 1));
		} else {
			u = round[rnd(4)];
			v = u * (1 + rnd(60));
		}
		if (v >= lo && v <= hi)
			return v;
	}
}

/* A byte count up to NG_BYTES_MAX spelled with a random suffix. */
static uint64_t put_size(FILE *f)
{
	static const struct { uint64_t mul; const char *s; } sfx[] = {
		{ 1, "" }, { 1000, "k" }, { 1000, "K" }, { 1000000, "M" }, { 1000000000, "G" },
		{ 1024, "Ki" }, { 1u << 20, "Mi" }, { 1u << 30, "Gi" },
	};
	size_t k = rnd(8);
	uint64_t max = NG_BYTES_MAX / sfx[k].mul, n;

	n = 1 + (rnd(3) ? rnd(max < 5000 ? (uint32_t)max : 5000) : rnd((uint32_t)(max > UINT32_MAX ? UINT32_MAX : max)));
	if (n > max)
		n = max;
	fprintf(f, "%llu%s", (unsigned long long)n, sfx[k].s);
	return n * sfx[k].mul;
}

struct gdet {
	int from, to;		/* gseg index, -1 "*", -2 world */
	int kind;
};

static void gen_scope_end(FILE *f, struct gseg *segs, int nseg, const char *word,
			  uint16_t *id, int *g)
{
	int k = (int)rnd((uint32_t)nseg + 3);

	*id = NG_SEG_ANY;
	*g = -1;
	if (k == nseg + 2)
		return;		/* left out */
	fprintf(f, "%s%s%s", blank(), word, blank());
	if (k == nseg) {
		fputs("*", f);
	} else if (k == nseg + 1) {
		fputs("world", f);
		*id = NG_SEG_WORLD;
		*g = -2;
	} else {
		fputs(segs[k].name, f);
		*g = k;
	}
}

/* One "detect" line whose kind and scope no earlier one has; false if none found. */
static bool gen_detect(FILE *f, struct ng_policy *exp, struct gseg *segs, int nseg,
		       struct gdet *gd, size_t ndone, unsigned int *line)
{
	static const char *const kinds[] = { "synflood", "portscan", "sweep", "tcpflags" };
	struct ng_detect *d;
	char *buf = NULL, *head = NULL;
	size_t len, hlen, i, tries;
	int perm[4], n = 0, j;
	FILE *h;

	for (tries = 0; tries < 20; tries++) {
		gd->kind = 1 + (int)rnd(4);
		h = open_memstream(&head, &hlen);
		fprintf(h, "detect%s%s", blank(), kinds[gd->kind - 1]);
		{
			uint16_t dummy;

			gen_scope_end(h, segs, nseg, "from", &dummy, &gd->from);
			gen_scope_end(h, segs, nseg, "to", &dummy, &gd->to);
		}
		fclose(h);
		for (i = 0; i < ndone; i++)
			if (gd[-(long)(ndone - i)].kind == gd->kind &&
			    gd[-(long)(ndone - i)].from == gd->from && gd[-(long)(ndone - i)].to == gd->to)
				break;
		if (i == ndone)
			break;
		free(head);
		head = NULL;
	}
	if (!head)
		return false;
	d = ng_policy_add_detect(exp);
	d->kind = (uint8_t)gd->kind;
	d->line = *line;
	d->from = gd->from == -2 ? NG_SEG_WORLD : NG_SEG_ANY;	/* segments: later */
	d->to = gd->to == -2 ? NG_SEG_WORLD : NG_SEG_ANY;
	fputs(head, f);
	free(head);
	if (d->kind == NG_DET_SYNFLOOD) {
		d->rate = 1 + rnd(rnd(2) ? 100000 : NG_SYNFLOOD_MAX);
		d->burst = 2 * d->rate > NG_SYNFLOOD_MAX ? NG_SYNFLOOD_MAX : 2 * d->rate;
		fprintf(f, "%s%u/s", blank(), d->rate);
	} else if (d->kind == NG_DET_PORTSCAN) {
		d->weight = NG_PORTSCAN_WEIGHT;
		d->window_ms = NG_PORTSCAN_WINDOW_MS;
	} else if (d->kind == NG_DET_SWEEP) {
		d->hosts = NG_SWEEP_HOSTS;
		d->window_ms = NG_SWEEP_WINDOW_MS;
	}
	/* The optional parameters of the kind, each maybe, in a random order. */
	if (d->kind == NG_DET_SYNFLOOD)
		perm[n++] = 0;
	if (d->kind == NG_DET_PORTSCAN)
		perm[n++] = 1;
	if (d->kind == NG_DET_PORTSCAN || d->kind == NG_DET_SWEEP)
		perm[n++] = 2;
	if (d->kind == NG_DET_SWEEP)
		perm[n++] = 3;
	perm[n++] = 4;	/* action */
	for (j = n - 1; j > 0; j--) {
		int k = (int)rnd((uint32_t)j + 1), t = perm[j];

		perm[j] = perm[k];
		perm[k] = t;
	}
	h = open_memstream(&buf, &len);
	for (j = 0; j < n; j++) {
		if (perm[j] != 4 && rnd(2))
			continue;
		fputs(blank(), h);
		switch (perm[j]) {
		case 0:
			d->burst = 1 + rnd(NG_SYNFLOOD_MAX);
			fprintf(h, "burst%s%u", blank(), d->burst);
			break;
		case 1:
			d->weight = 1 + rnd(NG_WEIGHT_MAX);
			fprintf(h, "weight%s%u", blank(), d->weight);
			break;
		case 2:
			d->window_ms = (uint32_t)rnd_duration(NG_WINDOW_MIN_MS, NG_WINDOW_MAX_MS);
			fprintf(h, "window%s", blank());
			put_duration(h, d->window_ms, true);
			break;
		case 3:
			d->hosts = NG_HOSTS_MIN + rnd(NG_HOSTS_MAX - NG_HOSTS_MIN + 1);
			fprintf(h, "hosts%s%u", blank(), d->hosts);
			break;
		case 4:
			d->action = (uint8_t)(1 + rnd(3));
			fprintf(h, "action%s%s", blank(), ng_action_name(d->action));
			if (d->action == NG_ACT_BLOCK) {
				d->block_secs = (uint32_t)(rnd_duration(1000, NGUARD_MAX_BLOCK_SECS * 1000ull) / 1000);
				fputs(blank(), h);
				put_duration(h, (uint64_t)d->block_secs * 1000, false);
			}
			break;
		}
	}
	fclose(h);
	fputs(buf, f);
	free(buf);
	end_line(f, line);
	return true;
}

/* "limit conn ..." with the parser's defaults for what is left out. */
static void gen_limit(FILE *f, struct ng_policy *exp)
{
	struct ng_limit *l = &exp->limit;
	unsigned int k = rnd(3);	/* 0 packets, 1 bytes, 2 both */

	fprintf(f, "limit%sconn", blank());
	if (k != 1) {
		l->rate = 1 + rnd(rnd(2) ? 10000 : UINT32_MAX);
		l->burst = (uint32_t)(2ull * l->rate > UINT32_MAX ? UINT32_MAX : 2 * l->rate);
		fprintf(f, "%s%u/s", blank(), l->rate);
		if (rnd(2)) {
			l->burst = 1 + rnd(UINT32_MAX);
			fprintf(f, "%sburst%s%u", blank(), blank(), l->burst);
		}
	}
	if (k != 0) {
		fprintf(f, "%sbytes%s", blank(), blank());
		l->bytes = put_size(f);
		fputs("/s", f);
		l->bytes_burst = 2 * l->bytes > NG_BYTES_MAX ? NG_BYTES_MAX : 2 * l->bytes;
		if (l->bytes_burst < NG_BYTES_BURST_MIN)
			l->bytes_burst = NG_BYTES_BURST_MIN;
		if (rnd(2)) {
			fprintf(f, "%sburst%s", blank(), blank());
			l->bytes_burst = put_size(f);	/* may warn: fine */
		}
	}
}

/* Segment indices of an exempt line, in the order its ids are expected. */
struct gexempt {
	int seg[8];
	size_t n;
};

static bool exempt_has(const struct ng_policy *p, int fam, uint32_t a4, const uint8_t *a6,
		       unsigned int len)
{
	size_t i, j;

	for (i = 0; i < p->n_exempts; i++) {
		const struct ng_exempt *e = &p->exempts[i];

		for (j = 0; fam == 4 && j < e->n_v4; j++)
			if (e->v4[j].addr == a4 && e->v4[j].len == len)
				return true;
		for (j = 0; fam == 6 && j < e->n_v6; j++)
			if (!memcmp(e->v6[j].addr, a6, 16) && e->v6[j].len == len)
				return true;
	}
	return false;
}

/*
 * One "exempt" line: segments and prefixes from small pools, so that
 * repetitions (dropped by the parser) are frequent; @used marks the
 * segments already exempt. A line left without members is not expected.
 */
static void gen_exempt(FILE *f, struct ng_policy *exp, struct gseg *segs, int nseg,
		       bool *used, struct gexempt *g, unsigned int *line)
{
	struct ng_exempt *e = ng_policy_add_exempt(exp);
	unsigned int k, n = 1 + rnd(6);
	char buf[INET6_ADDRSTRLEN];
	uint8_t a6[16];

	e->line = *line;
	g->n = 0;
	fputs("exempt", f);
	for (k = 0; k < n; k++) {
		int s = (int)rnd((uint32_t)nseg);
		uint32_t a4 = 0xc0000200 | rnd(4);
		unsigned int len = rnd(4) ? 32 : 24;

		fputs(blank(), f);
		switch (rnd(3)) {
		case 0:
			fputs(segs[s].name, f);
			if (!used[s]) {
				used[s] = true;
				g->seg[g->n++] = s;
				ng_exempt_add_seg(e, 0);
			}
			break;
		case 1:
			a4 &= len == 32 ? ~0u : 0xffffff00;
			fprintf(f, "192.0.2.%u%s", a4 & 255, len == 32 && rnd(2) ? "" :
				len == 32 ? "/32" : "/24");
			if (!exempt_has(exp, 4, a4, NULL, len))
				ng_exempt_add_v4(e, a4, (uint8_t)len);
			break;
		default:
			len = rnd(4) ? 128 : 48;
			snprintf(buf, sizeof(buf), "2001:db8:%u::%u", rnd(2),
				 len == 128 ? rnd(3) : 0);
			inet_pton(AF_INET6, buf, a6);
			fprintf(f, "%s%s", buf, len == 128 ? "" : "/48");
			if (!exempt_has(exp, 6, 0, a6, len))
				ng_exempt_add_v6(e, a6, (uint8_t)len);
		}
	}
	end_line(f, line);
	if (!e->n_segs && !e->n_v4 && !e->n_v6) {
		free(e->segs);
		free(e->v4);
		free(e->v6);
		exp->n_exempts--;
		g->n = 0;
	}
}

/* A random valid policy as text, and the policy it must parse to. */
static char *gen_policy(struct ng_policy *exp)
{
	struct gseg segs[8];
	struct grule grules[12];
	struct gdet gdets[12];
	struct gexempt gex[3];
	bool seg_used[8] = { false };
	int nseg = 1 + (int)rnd(8), nrules = (int)rnd(12), ndets = (int)rnd(12), i, seg_lines[8];
	size_t nex = 0, k;
	unsigned int line = 1;
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);
	bool mode = false, def = false, conns = false, trackers = false, blocked = false;
	bool logr = false, limit = false, ipv6 = false, limit_src = false;
	int rules_done = 0, dets_done = 0, total_lines;

	ng_policy_init(exp);
	memset(segs, 0, sizeof(segs));
	for (i = 0; i < nseg; i++) {
		static const char *const pat[] = { "s%d", "Seg_%d", "_x.%d-y", "net%d.a-b_c" };

		snprintf(segs[i].name, sizeof(segs[i].name), pat[rnd(4)], i);
		seg_lines[i] = 1 + (int)rnd(3);
	}
	total_lines = nrules + ndets;
	for (i = 0; i < nseg; i++)
		total_lines += seg_lines[i];
	while (total_lines > 0) {
		int pick = (int)rnd((uint32_t)total_lines + 11);

		if (pick == total_lines && !mode) {
			mode = true;
			exp->mode = rnd(2) ? NG_MODE_MONITOR : NG_MODE_ENFORCE;
			fprintf(f, "mode%s%s", blank(), exp->mode == NG_MODE_MONITOR ? "monitor" : "enforce");
			end_line(f, &line);
		} else if (pick == total_lines + 1 && !def) {
			def = true;
			exp->def = rnd(2) ? NG_ALLOW : NG_DENY;
			fprintf(f, "default%s%s", blank(), exp->def == NG_ALLOW ? "allow" : "deny");
			end_line(f, &line);
		} else if (pick == total_lines + 2 && !conns) {
			conns = true;
			exp->conns_max = 1 + rnd(NGUARD_MAX_CONNS);
			fprintf(f, "conns%smax%s%u", blank(), blank(), (unsigned int)exp->conns_max);
			end_line(f, &line);
		} else if (pick == total_lines + 3) {
			end_line(f, &line);	/* blank or comment line */
		} else if (pick == total_lines + 4 && !trackers) {
			trackers = true;
			exp->trackers_max = 1 + rnd(NGUARD_MAX_TRACKERS);
			fprintf(f, "trackers%smax%s%u", blank(), blank(), exp->trackers_max);
			end_line(f, &line);
		} else if (pick == total_lines + 5 && !blocked) {
			blocked = true;
			exp->blocked_max = 1 + rnd(NGUARD_MAX_BLOCKED);
			fprintf(f, "blocked%smax%s%u", blank(), blank(), exp->blocked_max);
			end_line(f, &line);
		} else if (pick == total_lines + 6 && !logr) {
			logr = true;
			exp->log_rate = 1 + rnd(NG_LOG_RATE_MAX);
			exp->log_burst = 2 * exp->log_rate > NG_LOG_BURST_MAX ? NG_LOG_BURST_MAX :
					 2 * exp->log_rate;
			fprintf(f, "log%srate%s%u/s", blank(), blank(), exp->log_rate);
			if (rnd(2)) {
				exp->log_burst = 1 + rnd(NG_LOG_BURST_MAX);
				fprintf(f, "%sburst%s%u", blank(), blank(), exp->log_burst);
			}
			end_line(f, &line);
		} else if (pick == total_lines + 7 && !limit) {
			limit = true;
			gen_limit(f, exp);
			end_line(f, &line);
		} else if (pick == total_lines + 9 && !ipv6) {
			ipv6 = true;
			exp->ipv6_src_prefix = (uint8_t)(NG_IPV6_SRC_PREFIX_MIN +
				rnd(NG_IPV6_SRC_PREFIX_MAX - NG_IPV6_SRC_PREFIX_MIN + 1));
			fprintf(f, "ipv6%ssource%sprefix%s%u", blank(), blank(), blank(),
				exp->ipv6_src_prefix);
			end_line(f, &line);
		} else if (pick == total_lines + 10 && !limit_src) {
			limit_src = true;
			exp->limit_source = rnd(2) ? 1 + rnd(1000) : 1 + rnd(NG_LIMIT_SOURCE_MAX);
			fprintf(f, "limit%ssource%s%u", blank(), blank(),
				(unsigned int)exp->limit_source);
			end_line(f, &line);
		} else if (pick == total_lines + 8 && nex < 3) {
			gen_exempt(f, exp, segs, nseg, seg_used, &gex[exp->n_exempts], &line);
			nex++;
		} else if (pick < total_lines) {
			int s;

			if (pick < ndets - dets_done) {
				if (gen_detect(f, exp, segs, nseg, &gdets[dets_done], (size_t)dets_done, &line))
					dets_done++;
				else
					ndets--;	/* every kind and scope taken */
			} else if (pick < nrules - rules_done + ndets - dets_done) {
				gen_rule(f, exp, segs, nseg, &grules[rules_done], &line);
				rules_done++;
			} else {
				do
					s = (int)rnd((uint32_t)nseg);
				while (!seg_lines[s]);
				seg_lines[s]--;
				gen_segment_line(f, exp, &segs[s], s, &line);
			}
			total_lines--;
		}
	}
	fclose(f);
	for (i = 0; i < rules_done; i++) {
		if (grules[i].src >= 0)
			exp->rules[i].src = (uint16_t)segs[grules[i].src].id;
		if (grules[i].dst >= 0)
			exp->rules[i].dst = (uint16_t)segs[grules[i].dst].id;
	}
	for (i = 0; i < dets_done; i++) {
		if (gdets[i].from >= 0)
			exp->dets[i].from = (uint16_t)segs[gdets[i].from].id;
		if (gdets[i].to >= 0)
			exp->dets[i].to = (uint16_t)segs[gdets[i].to].id;
	}
	for (k = 0; k < exp->n_exempts; k++)
		for (i = 0; i < (int)gex[k].n; i++)
			exp->exempts[k].segs[i] = (uint16_t)segs[gex[k].seg[i]].id;
	return text;
}

static void test_random(unsigned int seeds)
{
	unsigned int seed, fails = 0;
	size_t exempt_lines = 0;

	for (seed = 1; seed <= seeds && fails < 3; seed++) {
		struct ng_policy exp, p;
		struct ng_diag d;
		char *text;
		size_t i;
		bool ok;

		rng = 0x9e3779b97f4a7c15ull * seed;
		text = gen_policy(&exp);
		ok = !parse(text, &p, &d) && d.errors == 0 && ng_policy_equal(&p, &exp);
		for (i = 0; ok && i < p.n_rules; i++)
			ok = p.rules[i].line == exp.rules[i].line;
		for (i = 0; ok && i < p.n_dets; i++)
			ok = p.dets[i].line == exp.dets[i].line;
		for (i = 0; ok && i < p.n_exempts; i++)
			ok = p.exempts[i].line == exp.exempts[i].line;
		exempt_lines += p.n_exempts;
		ok = ok && round_trip(&p);
		if (!ok) {
			char *want = print(&exp);

			fprintf(stderr, "random policy, seed %u:\n%s--- parsed to:\n", seed, text);
			dump(&d);
			ng_policy_print(stderr, &p);
			fprintf(stderr, "--- want:\n%s", want);
			free(want);
			ng_test_failures++;
			fails++;
		}
		free(text);
		ng_diag_free(&d);
		ng_policy_free(&p);
		ng_policy_free(&exp);
	}
	CHECK(exempt_lines > 0);	/* the generator makes them */
}

/* ---- limits and speed ---- */

static char *lines(size_t n, const char *fmt, ...)
{
	char *text = NULL;
	size_t len, i;
	FILE *f = open_memstream(&text, &len);
	va_list ap;

	fputs("default deny\n", f);
	for (i = 0; i < n; i++) {
		va_start(ap, fmt);
		vfprintf(f, fmt, ap);
		va_end(ap);
		fprintf(f, "%zu\n", i + 1);
	}
	fclose(f);
	return text;
}

static void expect_limit(int src_line, char *text, int ok, unsigned int line,
			 unsigned int col, const char *sub)
{
	struct ng_policy p;
	struct ng_diag d;
	int rc = parse(text, &p, &d);

	if (ok ? rc != 0 : (rc != -1 || d.errors != 1 || !has(&d, NG_SEV_ERROR, line, col, sub))) {
		fprintf(stderr, "%s:%d: limit check failed (rc %d)\n", __FILE__, src_line, rc);
		dump(&d);
		ng_test_failures++;
	}
	ng_diag_free(&d);
	ng_policy_free(&p);
	free(text);
}

static void test_limits(void)
{
	char *text = NULL;
	size_t len, i;
	FILE *f;

	/* segments: one line each, "segment sN" */
	expect_limit(__LINE__, lines(NGUARD_MAX_SEGMENTS, "segment s"), 1, 0, 0, "");
	expect_limit(__LINE__, lines(NGUARD_MAX_SEGMENTS + 1, "segment s"), 0,
		     NGUARD_MAX_SEGMENTS + 2, 9, "too many segments: the limit is 4096 (NGUARD_MAX_SEGMENTS)");
	/* rules */
	expect_limit(__LINE__, lines(NGUARD_MAX_RULES, "allow * -> * # "), 1, 0, 0, "");
	expect_limit(__LINE__, lines(NGUARD_MAX_RULES + 1, "allow * -> * # "), 0,
		     NGUARD_MAX_RULES + 2, 1, "too many rules: the limit is 262144 (NGUARD_MAX_RULES)");
	/* interfaces, all in one segment; a repeated one does not count */
	text = lines(NGUARD_MAX_IFACES, "segment s iface e");
	text = realloc(text, strlen(text) + 32);
	strcat(text, "segment s iface e7\n");
	expect_limit(__LINE__, text, 1, 0, 0, "");
	text = lines(NGUARD_MAX_IFACES + 1, "segment s iface e");
	expect_limit(__LINE__, text, 0, NGUARD_MAX_IFACES + 2, 17,
		     "too many interfaces: the limit is 1024 (NGUARD_MAX_IFACES)");
	/* terms per rule: ports and protocols count alike */
	for (i = 64; i <= 65; i++) {
		size_t k;

		f = open_memstream(&text, &len);
		fputs("default deny\nallow * -> * tcp 1", f);
		for (k = 2; k <= i; k++)
			fprintf(f, ",%zu", k);
		fputs("\n", f);
		fclose(f);
		expect_limit(__LINE__, text, i == 64, 2, 18 + 9 * 2 + 55 * 3,
			     "too many protocol/port terms in one rule: the limit is 64 (NGUARD_MAX_RULE_MATCHES)");
	}
	f = open_memstream(&text, &len);
	fputs("default deny\nallow * -> * tcp 80", f);
	for (i = 0; i < 64; i++)
		fputs(" icmp", f);
	fputs("\n", f);
	fclose(f);
	expect_limit(__LINE__, text, 0, 2, 20 + 5 * 63 + 1, "NGUARD_MAX_RULE_MATCHES");

	if (quick)
		return;
	/*
	 * Prefixes: NGUARD_MAX_PREFIXES distinct /32s, 256 per line, plus a
	 * repeated one (dropped, not counted) is fine; one more is not.
	 */
	for (i = 0; i < 2; i++) {
		size_t n = NGUARD_MAX_PREFIXES + i, k;

		f = open_memstream(&text, &len);
		fputs("default deny\nsegment s 1.0.0.0\n", f);
		for (k = 0; k < n; k++)
			fprintf(f, "%s%zu.%zu.%zu.%zu%s", k % 256 ? " " : "segment s ",
				1 + (k >> 24), (k >> 16) & 255, (k >> 8) & 255, k & 255,
				k % 256 == 255 || k + 1 == n ? "\n" : "");
		fclose(f);
		expect_limit(__LINE__, text, i == 0, 3 + (unsigned int)(n - 1) / 256, 11,
			     "too many prefixes: the limit is 4194304 (NGUARD_MAX_PREFIXES)");
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 1,000,000 prefixes on 1,000,000 lines over 1000 segments. */
/* "observe on | off | max N": once, printed as "observe max N". */
static void test_observe(void)
{
	struct ng_policy p;
	char *text;

	CHECK(OK("default deny\nobserve on\n", &p) == 0);
	CHECK(p.observe_max == NG_OBSERVE_DEFAULT && round_trip(&p));
	text = print(&p);
	CHECK_STR(text, "mode enforce\ndefault deny\nobserve max 1024\n");
	free(text);
	ng_policy_free(&p);
	CHECK(OK("default deny\nlimit source 5\nobserve max 7 # small\n", &p) == 0);
	CHECK(p.observe_max == 7 && round_trip(&p));
	text = print(&p);
	CHECK_STR(text, "mode enforce\ndefault deny\nlimit source 5\nobserve max 7\n");
	free(text);
	ng_policy_free(&p);
	CHECK(OK("default deny\nobserve max 1048576\n", &p) == 0);
	CHECK(p.observe_max == NGUARD_MAX_OBSERVE && round_trip(&p));
	ng_policy_free(&p);
	CHECK(OK("default deny\nobserve off\n", &p) == 0);
	CHECK(p.observe_max == 0);
	text = print(&p);
	CHECK_STR(text, "mode enforce\ndefault deny\n");
	free(text);
	ng_policy_free(&p);
	ERR("observe\n", 1, 8, "expected 'on', 'off' or 'max N' after 'observe'");
	ERR("observe yes\n", 1, 9, "expected 'on', 'off' or 'max N' after 'observe', got 'yes'");
	ERR("observe on extra\n", 1, 12, "");
	ERR("observe max 0\n", 1, 13, "bad observe table size '0' (1..1048576)");
	ERR("observe max 1048577\n", 1, 13, "bad observe table size '1048577' (1..1048576)");
	ERR("observe max\n", 1, 12, "expected a number after 'observe max'");
	ERR("observe on\nobserve max 5\n", 2, 1, "already set on line 1");
	ERR("observe max 5\nobserve off\n", 2, 1, "already set on line 1");
}

static void test_speed(void)
{
	struct ng_policy p;
	struct ng_diag d;
	char *text = NULL;
	size_t len, i;
	double t0, dt;
	FILE *f;

	if (quick)
		return;
	f = open_memstream(&text, &len);
	fputs("default deny\n", f);
	for (i = 0; i < 1000000; i++)
		fprintf(f, "segment s%zu 10.%zu.%zu.%zu/32\n", i % 1000, i >> 16,
			(i >> 8) & 255, i & 255);
	fputs("allow s1 -> s999 tcp 22\n", f);
	fclose(f);
	ng_diag_init(&d);
	t0 = now();
	CHECK(ng_policy_parse("speed.conf", text, len, &p, &d) == 0);
	dt = now() - t0;
	CHECK(p.n_segs == 1000 && ng_policy_prefix_count(&p) == 1000000);
	printf("parser_test: 1000000 prefixes (%zu bytes) parsed in %.3f s\n", len, dt);
	CHECK(dt < 5.0);
	ng_diag_free(&d);
	ng_policy_free(&p);
	free(text);
}

int main(void)
{
	const char *q = getenv("NG_TEST_QUICK");

	quick = q && *q && strcmp(q, "0");
	test_statements();
	test_errors();
	test_nul();
	test_warnings();
	test_diag_output();
	test_long_line();
	test_print();
	test_anomaly();
	test_anomaly_warnings();
	test_anomaly_errors();
	test_exempt();
	test_observe();
	test_policy_files();
	test_random(500);
	test_limits();
	test_speed();
	return CHECK_DONE();
}
