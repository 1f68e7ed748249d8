// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite for the rule index (kmod/rules.c, included below): the
 * example policy of the documentation, build errors, and random rule sets
 * checked against a naive first-match scan with 100,000 random packets.
 */
#include <kunit/test.h>
#include <linux/random.h>
#include "../compat.h"
#include "../rules.c"

#define ANY NGUARD_SEGMENT_ANY
#define ALLOW NGUARD_VERDICT_ALLOW
#define DENY NGUARD_VERDICT_DENY

/* Segments: 0 world, 1 web, 2 db, 3 admin. */
static const struct nguard_match ex_matches[] = {
	{ .proto = 6, .port_lo = 5432, .port_hi = 5432 },	/* 0: tcp 5432 */
	{ .proto = 6, .port_lo = 22, .port_hi = 22 },		/* 1: tcp 22 */
	{ .proto = 6, .port_lo = 80, .port_hi = 80 },		/* 2: tcp 80,443 udp 53 */
	{ .proto = 6, .port_lo = 443, .port_hi = 443 },
	{ .proto = 17, .port_lo = 53, .port_hi = 53 },
	{ .proto = 1, .port_lo = 0, .port_hi = 65535 },		/* 5: icmp */
};

static const struct ng_rule ex_rules[] = {
	{ ALLOW, 0, 1, 2, 1, 0 },	/* 0 allow web -> db tcp 5432 */
	{ ALLOW, 0, 3, ANY, 1, 1 },	/* 1 allow admin -> * tcp 22 */
	{ ALLOW, 0, ANY, 1, 3, 2 },	/* 2 allow * -> web tcp 80,443 udp 53 */
	{ ALLOW, 0, 1, 1, 0, 0 },	/* 3 allow web -> web */
	{ DENY, NGUARD_RULE_LOG, ANY, 2, 0, 0 },	/* 4 deny * -> db log */
	{ ALLOW, 0, ANY, ANY, 1, 5 },	/* 5 allow * -> * icmp */
};

static void ng_rules_test_example(struct kunit *test)
{
	struct ng_rules r;

	KUNIT_ASSERT_EQ(test, ng_rules_build(&r, ex_rules, ARRAY_SIZE(ex_rules),
					     ex_matches, 3, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, ng_rules_eval(&r, 1, 2, 6, 5432), 0U);
	KUNIT_EXPECT_EQ(test, ng_rules_eval(&r, 1, 2, 6, 5433), 4U);
	KUNIT_EXPECT_EQ(test, ng_rules_eval(&r, 1, 2, 1, 0), 4U);	/* deny before icmp */
	KUNIT_EXPECT_EQ(test, ng_rules_eval(&r, 3, 2, 6, 22), 1U);
	KUNIT_EXPECT_EQ(test, ng_rules_eval(&r, 3, 0, 6, 22), 1U);
	KUNIT_EXPECT_EQ(test, ng_rules_eval(&r, 0, 1, 6, 443), 2U);
	KUNIT_EXPECT_EQ(test, ng_rules_eval(&r, 0, 1, 17, 53), 2U);
	KUNIT_EXPECT_EQ(test, ng_rules_eval(&r, 0, 1, 17, 443), NG_RULE_NONE);
	KUNIT_EXPECT_EQ(test, ng_rules_eval(&r, 1, 1, 47, 0), 3U);
	KUNIT_EXPECT_EQ(test, ng_rules_eval(&r, 0, 0, 1, 0), 5U);
	KUNIT_EXPECT_EQ(test, ng_rules_eval(&r, 0, 0, 6, 80), NG_RULE_NONE);
	ng_rules_destroy(&r);
}

static void ng_rules_test_errors(struct kunit *test)
{
	struct ng_rule bad = { ALLOW, 0, 4, 1, 0, 0 };
	struct ng_rules r;

	KUNIT_EXPECT_EQ(test, ng_rules_build(&r, &bad, 1, ex_matches, 3, GFP_KERNEL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ng_rules_build(&r, NULL, 0, NULL, 3, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, ng_rules_eval(&r, 1, 2, 6, 80), NG_RULE_NONE);
	ng_rules_destroy(&r);
}

static u32 naive_eval(const struct ng_rule *rules, u32 n,
		      const struct nguard_match *m, u16 s, u16 d, u8 p, u16 port)
{
	u32 i, k;

	for (i = 0; i < n; i++) {
		const struct ng_rule *x = &rules[i];

		if (x->src != ANY && x->src != s)
			continue;
		if (x->dst != ANY && x->dst != d)
			continue;
		if (!x->nmatch)
			return i;
		for (k = 0; k < x->nmatch; k++) {
			const struct nguard_match *t = &m[x->match_off + k];

			if ((t->flags & NGUARD_MATCH_ANY_PROTO || t->proto == p) &&
			    port >= t->port_lo && port <= t->port_hi)
				return i;
		}
	}
	return NG_RULE_NONE;
}

static u16 rnd_seg(u32 nseg)
{
	u32 x = get_random_u32_below(nseg + 3);

	return x > nseg ? ANY : x;
}

static void ng_rules_test_random(struct kunit *test)
{
	const u32 nseg = 7, nrules = 300, nmatch = 900;
	static const u8 protos[] = { 1, 6, 17, 58 };
	struct nguard_match *m;
	struct ng_rule *rules;
	struct ng_rules r;
	u32 i, off = 0, round;

	rules = kunit_kcalloc(test, nrules, sizeof(*rules), GFP_KERNEL);
	m = kunit_kcalloc(test, nmatch, sizeof(*m), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rules);
	KUNIT_ASSERT_NOT_NULL(test, m);
	for (round = 0; round < 10; round++) {
		off = 0;
		for (i = 0; i < nrules; i++) {
			u32 k, n = get_random_u32_below(4);

			rules[i].action = get_random_u32_below(2) ? ALLOW : DENY;
			rules[i].src = rnd_seg(nseg);
			rules[i].dst = rnd_seg(nseg);
			rules[i].nmatch = n;
			rules[i].match_off = off;
			for (k = 0; k < n; k++, off++) {
				u16 lo = get_random_u32_below(64);

				m[off].proto = protos[get_random_u32_below(4)];
				m[off].flags = get_random_u32_below(8) ? 0 : NGUARD_MATCH_ANY_PROTO;
				m[off].port_lo = lo;
				m[off].port_hi = lo + get_random_u32_below(8);
			}
		}
		KUNIT_ASSERT_EQ(test, ng_rules_build(&r, rules, nrules, m, nseg,
						     GFP_KERNEL), 0);
		for (i = 0; i < 10000; i++) {
			u16 s = get_random_u32_below(nseg + 1), d = get_random_u32_below(nseg + 1);
			u8 p = protos[get_random_u32_below(4)];
			u16 port = get_random_u32_below(80);
			u32 want = naive_eval(rules, nrules, m, s, d, p, port);
			u32 got = ng_rules_eval(&r, s, d, p, port);

			if (got != want) {
				KUNIT_FAIL(test, "s=%u d=%u p=%u port=%u: got %u want %u",
					   s, d, p, port, got, want);
				break;
			}
		}
		ng_rules_destroy(&r);
	}
}

static struct kunit_case ng_rules_test_cases[] = {
	KUNIT_CASE(ng_rules_test_example),
	KUNIT_CASE(ng_rules_test_errors),
	KUNIT_CASE(ng_rules_test_random),
	{}
};

static struct kunit_suite ng_rules_test_suite = {
	.name = "nguard_rules",
	.test_cases = ng_rules_test_cases,
};

kunit_test_suite(ng_rules_test_suite);
