// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for stats.c and the POLICY_GET dump parser it shares with
 * show (policy_dump.c): hits per rule and for the default, JSON and text
 * rendering with and without a policy, malformed dump messages.
 */
#include <stdlib.h>
#include <arpa/inet.h>
#include <netlink/genl/genl.h>
#include "check.h"
#include "stats.h"

static struct nl_msg *dump_msg(void)
{
	struct nl_msg *m = nlmsg_alloc();

	genlmsg_put(m, 0, 0, 20, 0, NLM_F_MULTI, NGUARD_CMD_POLICY_GET, NGUARD_GENL_VERSION);
	return m;
}

static void feed(struct ng_policy_dump *d, struct nl_msg *m)
{
	CHECK(ng_policy_dump_msg(m, d) == 0);
	nlmsg_free(m);
}

static struct nl_msg *settings(uint64_t gen, uint64_t default_hits)
{
	struct nl_msg *m = dump_msg();

	nla_put_u64(m, NGUARD_A_POLICY_GEN, gen);
	nla_put_u8(m, NGUARD_A_MODE, NGUARD_MODE_ENFORCE);
	nla_put_u8(m, NGUARD_A_DEFAULT, NGUARD_VERDICT_DENY);
	nla_put_u32(m, NGUARD_A_CONNS_MAX, 0);
	nla_put_u64(m, NGUARD_A_DEFAULT_HITS, default_hits);
	return m;
}

static struct nl_msg *segment(uint16_t id, const char *name, uint32_t v4)
{
	struct nl_msg *m = dump_msg();
	struct nlattr *nest = nla_nest_start(m, NGUARD_A_SEGMENT);
	struct nguard_prefix4 p = { .addr = htonl(v4), .plen = 24 };

	nla_put_u16(m, NGUARD_SEG_A_ID, id);
	nla_put_string(m, NGUARD_SEG_A_NAME, name);
	nla_put(m, NGUARD_SEG_A_PREFIX4, sizeof(p), &p);
	nla_nest_end(m, nest);
	return m;
}

/* How rule() bends the rule it builds. */
enum {
	RB_SHORT_HITS = 1,	/* HITS as u32 */
	RB_NO_TEXT,
	RB_UNTERMINATED,	/* TEXT without its NUL */
	RB_NO_ACTION,
	RB_ODD_MATCHES,		/* MATCHES not a multiple of the struct */
	RB_SHORT_SRC,		/* SRC as u8 */
};

static struct nl_msg *rule(uint32_t index, uint32_t line, const char *text, uint64_t hits,
			   int bend)
{
	struct nl_msg *m = dump_msg();
	struct nlattr *nest = nla_nest_start(m, NGUARD_A_RULE);
	struct nguard_match mt = { .proto = 6, .port_lo = 5432, .port_hi = 5432 };

	nla_put_u32(m, NGUARD_RULE_A_INDEX, index);
	if (bend != RB_NO_ACTION)
		nla_put_u8(m, NGUARD_RULE_A_ACTION, NGUARD_VERDICT_ALLOW);
	if (bend == RB_SHORT_SRC)
		nla_put_u8(m, NGUARD_RULE_A_SRC, 1);
	else
		nla_put_u16(m, NGUARD_RULE_A_SRC, 1);
	nla_put_u16(m, NGUARD_RULE_A_DST, 2);
	nla_put_u32(m, NGUARD_RULE_A_FLAGS, 0);
	nla_put_u32(m, NGUARD_RULE_A_LINE, line);
	if (bend == RB_UNTERMINATED)
		nla_put(m, NGUARD_RULE_A_TEXT, (int)strlen(text), text);
	else if (bend != RB_NO_TEXT)
		nla_put_string(m, NGUARD_RULE_A_TEXT, text);
	nla_put(m, NGUARD_RULE_A_MATCHES, bend == RB_ODD_MATCHES ? 7 : (int)sizeof(mt), &mt);
	if (bend == RB_SHORT_HITS)
		nla_put_u32(m, NGUARD_RULE_A_HITS, (uint32_t)hits);
	else
		nla_put_u64(m, NGUARD_RULE_A_HITS, hits);
	nla_nest_end(m, nest);
	return m;
}

/* A live policy: web, db, two rules; hits 14, 123456789 and 5 (default). */
static void load(struct ng_policy_dump *d, struct ng_policy *p)
{
	ng_policy_init(p);
	memset(d, 0, sizeof(*d));
	d->p = p;
	feed(d, settings(7, 5));
	feed(d, segment(1, "web", 0x0a000100));
	feed(d, segment(2, "db", 0x0a000200));
	feed(d, rule(0, 4, "allow web -> db tcp 5432", 14, 0));
	feed(d, rule(1, 9, "", 123456789, RB_NO_TEXT));
}

static void status(struct ng_status *st, uint64_t gen)
{
	unsigned int i;

	memset(st, 0, sizeof(*st));
	strcpy(st->version, "9.8.7");
	st->policy_gen = gen;
	for (i = 0; i < NGUARD_CNT_MAX; i++)
		st->counters.cnt[i] = 100 + i;
	st->conntab.count = 12;
	st->conntab.max = 65536;
	st->conntab.established = 3;
	st->conntab.entry_size = 192;
	st->conntab.buckets = 4096;
	for (i = 0; i < NG_CT_COUNTERS; i++)
		st->conntab.cnt[i] = 10 + i;
	if (gen) {
		st->mode = NGUARD_MODE_ENFORCE;
		st->has_applied = st->has_compile_ns = true;
		st->applied = 1714564800;
		st->compile_ns = 2500000;
	}
}

static char *render(const struct ng_status *st, const struct ng_policy_dump *d)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	ng_stats_print(f, st, d);
	fclose(f);
	return text;
}

/* The dump fed @m after a good start is rejected, blaming @attr. */
static void expect_bad(int line, struct nl_msg *m, const char *attr)
{
	struct ng_policy_dump d;
	struct ng_policy p;

	load(&d, &p);
	CHECK(d.bad == NULL);
	feed(&d, m);
	if (!d.bad || strcmp(d.bad, attr)) {
		fprintf(stderr, "%s:%d: bad = %s, want %s\n", __FILE__, line,
			d.bad ? d.bad : "NULL", attr);
		ng_test_failures++;
	}
	feed(&d, rule(9, 1, "allow * -> *", 1, 0));	/* the first error stays */
	CHECK(d.bad && !strcmp(d.bad, attr));
	ng_policy_free(&p);
}

int main(void)
{
	struct ng_policy_dump d, none = { 0 };
	struct ng_policy p, empty;
	struct ng_status st;
	json_object *j, *v, *r;
	struct nl_msg *m;
	char *text;

	/* The dump: hits per rule, the default's hits, texts. */
	load(&d, &p);
	CHECK(d.bad == NULL);
	CHECK(d.gen == 7 && d.default_hits == 5);
	CHECK(p.n_segs == 2 && p.n_rules == 2);
	CHECK(p.rules[0].hits == 14 && p.rules[1].hits == 123456789);
	CHECK_STR(p.rules[0].text, "allow web -> db tcp 5432");
	CHECK(p.rules[1].text == NULL);

	/* JSON with a policy. */
	status(&st, 7);
	j = ng_stats_json(&st, &d);
	v = json_object_object_get(j, "policy");
	CHECK(json_object_get_uint64(json_object_object_get(v, "generation")) == 7);
	CHECK_STR(json_object_get_string(json_object_object_get(v, "mode")), "enforce");
	CHECK(json_object_get_uint64(json_object_object_get(v, "applied")) == 1714564800);
	CHECK(json_object_get_uint64(json_object_object_get(v, "compile_ns")) == 2500000);
	v = json_object_object_get(j, "counters");
	CHECK(json_object_object_length(v) == NGUARD_CNT_MAX);
	CHECK(json_object_get_uint64(json_object_object_get(v, "pass_established")) ==
	      100 + NGUARD_CNT_PASS_ESTABLISHED);
	CHECK(json_object_get_uint64(json_object_object_get(v, "anomaly_portscan")) == 127);
	CHECK(json_object_get_uint64(json_object_object_get(v, "events_suppressed")) == 134);
	CHECK(json_object_get_uint64(json_object_object_get(v, "block_spoofed")) == 135);
	CHECK(json_object_get_uint64(json_object_object_get(v, "block_exempt")) == 136);
	CHECK(json_object_get_uint64(json_object_object_get(v, "drop_ratelimit")) == 125);
	CHECK(json_object_get_uint64(json_object_object_get(v, "drop_source_limit")) == 137);
	v = json_object_object_get(j, "conns");
	CHECK(json_object_object_length(v) == 6 + NG_CT_COUNTERS);
	CHECK(json_object_object_get_ex(v, "sources", &r) && r == NULL);	/* not sent */
	CHECK(json_object_get_uint64(json_object_object_get(v, "entry_size")) == 192);
	CHECK(json_object_get_uint64(json_object_object_get(v, "evict_expired")) == 11);
	v = json_object_object_get(j, "rules");
	CHECK(json_object_array_length(v) == 2);
	r = json_object_array_get_idx(v, 0);
	CHECK(json_object_object_length(r) == 4);
	CHECK(json_object_get_uint64(json_object_object_get(r, "index")) == 0);
	CHECK(json_object_get_uint64(json_object_object_get(r, "line")) == 4);
	CHECK_STR(json_object_get_string(json_object_object_get(r, "text")),
		  "allow web -> db tcp 5432");
	CHECK(json_object_get_uint64(json_object_object_get(r, "hits")) == 14);
	r = json_object_array_get_idx(v, 1);	/* no source text: canonical form */
	CHECK_STR(json_object_get_string(json_object_object_get(r, "text")),
		  "allow web -> db tcp 5432");
	CHECK(json_object_get_uint64(json_object_object_get(r, "hits")) == 123456789);
	CHECK(json_object_get_uint64(json_object_object_get(j, "default_hits")) == 5);
	json_object_put(j);

	/* Text with a policy: aligned sections and the rule table. */
	text = render(&st, &d);
	HAS(text, "policy: generation 7, mode enforce, applied 2024-05-01 12:00:00 UTC, compiled in 2.5 ms\n");
	HAS(text, "\npackets seen         packets   bytes\n"
		  "  ipv4 in                100     101\n");
	HAS(text, "  ipv6 out               106     107\n");
	HAS(text, "\nverdicts             packets   bytes\n"
		  "  allowed                108     109\n"
		  "  dropped                110     111\n");
	HAS(text, "\npass reasons         packets\n"
		  "  no_policy              112\n"
		  "  local                  113\n"
		  "  established            114\n"
		  "  related                115\n"
		  "  new                    116\n"
		  "  monitor                117\n");
	HAS(text, "\ndrop reasons         packets\n"
		  "  policy                 118\n"
		  "  conns_full             119\n"
		  "  invalid                120\n"
		  "  blocked                123\n"
		  "  anomaly                124\n"
		  "  ratelimit              125\n"
		  "  source_limit           137\n"
		  "\ndrop log               lines\n"
		  "  lines                  121\n"
		  "  suppressed             122\n"
		  "\nanomalies               seen\n"
		  "  synflood               126\n"
		  "  portscan               127\n"
		  "  sweep                  128\n"
		  "  tcpflags               129\n"
		  "  bruteforce             138\n"
		  "\nquarantine             count\n"
		  "  blocks                 130\n"
		  "  blocked_full           131\n"
		  "  block_spoofed          135\n"
		  "  block_exempt           136\n"
		  "  tracker_evictions      132\n"
		  "\nmonitor events        events\n"
		  "  events                 133\n"
		  "  suppressed             134\n"
		  "\nconnection table\n");
	HAS(text, "\nconnection table\n"
		  "  count                   12\n"
		  "  max                  65536\n"
		  "  established              3\n"
		  "  entry_size             192\n"
		  "  buckets               4096\n"
		  "  inserts                 10\n"
		  "  evict_expired           11\n");
	HAS(text, "  pruned                  18\n");
	CHECK(strstr(text, "sources") == NULL);	/* the module did not send it */
	HAS(text, "\nrules\n"
		  "  index  line       hits  rule\n"
		  "      0     4         14  allow web -> db tcp 5432\n"
		  "      1     9  123456789  allow web -> db tcp 5432\n"
		  "      -     -          5  default deny\n");
	free(text);

	/* With "limit source": the sources gauge after the buckets, in JSON too. */
	st.conntab.has_sources = true;
	st.conntab.sources = 3;
	text = render(&st, &d);
	HAS(text, "  buckets               4096\n"
		  "  sources                  3\n"
		  "  inserts                 10\n");
	free(text);
	j = ng_stats_json(&st, &d);
	v = json_object_object_get(j, "conns");
	CHECK(json_object_get_uint64(json_object_object_get(v, "sources")) == 3);
	json_object_put(j);
	st.conntab.sources = 1234567890;	/* a gauge widens the column too */
	text = render(&st, &d);
	HAS(text, "  sources            1234567890\n");
	free(text);
	st.conntab.has_sources = false;

	/* One huge counter widens every number column alike. */
	st.counters.cnt[NGUARD_CNT_IPV4_IN_BYTES] = UINT64_MAX;
	text = render(&st, &d);
	HAS(text, "\npackets seen                      packets                bytes\n"
		  "  ipv4 in                             100 18446744073709551615\n");
	HAS(text, "  local                               113\n");
	free(text);

	/* No policy: generation 0, mode null, rules [], default_hits null. */
	ng_policy_init(&empty);
	none.p = &empty;
	status(&st, 0);
	j = ng_stats_json(&st, &none);
	v = json_object_object_get(j, "policy");
	CHECK(json_object_get_uint64(json_object_object_get(v, "generation")) == 0);
	CHECK(json_object_object_get_ex(v, "mode", &r) && r == NULL);
	CHECK(json_object_object_get_ex(v, "applied", &r) && r == NULL);
	CHECK(json_object_array_length(json_object_object_get(j, "rules")) == 0);
	CHECK(json_object_object_get_ex(j, "default_hits", &r) && r == NULL);
	json_object_put(j);
	text = render(&st, &none);
	HAS(text, "policy: none (pass-through), generation 0\n");
	HAS(text, "\nrules: none (no policy loaded)\n");
	CHECK(strstr(text, "default") == NULL);
	free(text);
	ng_policy_free(&p);

	/* Malformed dumps name what is wrong and keep the first error. */
	expect_bad(__LINE__, rule(2, 1, "x", 1, RB_SHORT_HITS), "NGUARD_A_RULE");
	expect_bad(__LINE__, rule(2, 1, "x", 1, RB_UNTERMINATED), "NGUARD_A_RULE");
	expect_bad(__LINE__, rule(2, 1, "x", 1, RB_NO_ACTION), "NGUARD_A_RULE");
	expect_bad(__LINE__, rule(2, 1, "x", 1, RB_ODD_MATCHES), "NGUARD_A_RULE");
	expect_bad(__LINE__, rule(2, 1, "x", 1, RB_SHORT_SRC), "NGUARD_A_RULE");
	m = dump_msg();
	nla_put_u32(m, NGUARD_A_DEFAULT_HITS, 5);
	expect_bad(__LINE__, m, "NGUARD_A_DEFAULT_HITS");
	m = dump_msg();
	nla_put_u32(m, NGUARD_A_POLICY_GEN, 5);
	expect_bad(__LINE__, m, "NGUARD_A_POLICY_GEN");
	m = dump_msg();
	nla_put_u16(m, NGUARD_A_MODE, 1);
	expect_bad(__LINE__, m, "NGUARD_A_MODE");
	expect_bad(__LINE__, segment(5, "gap", 1), "NGUARD_A_SEGMENT");	/* id not next */
	m = dump_msg();	/* members before the segment's id */
	{
		struct nlattr *nest = nla_nest_start(m, NGUARD_A_SEGMENT);
		struct nguard_prefix4 pf = { 0 };

		nla_put(m, NGUARD_SEG_A_PREFIX4, sizeof(pf), &pf);
		nla_put_u16(m, NGUARD_SEG_A_ID, 1);
		nla_nest_end(m, nest);
	}
	expect_bad(__LINE__, m, "NGUARD_A_SEGMENT");
	m = dump_msg();	/* a prefix array with a partial element */
	{
		struct nlattr *nest = nla_nest_start(m, NGUARD_A_SEGMENT);
		struct nguard_prefix4 pf[2] = { { 0 } };

		nla_put_u16(m, NGUARD_SEG_A_ID, 1);
		nla_put(m, NGUARD_SEG_A_PREFIX4, sizeof(pf) - 3, pf);
		nla_nest_end(m, nest);
	}
	expect_bad(__LINE__, m, "NGUARD_A_SEGMENT");
	m = nlmsg_alloc();	/* no room for the genl header */
	nlmsg_put(m, 0, 0, 20, 0, 0);
	expect_bad(__LINE__, m, "message header");
	return CHECK_DONE();
}
