// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite for the observed-flow table (kmod/observe.c, included
 * below): the worked example of the theory comment, examples kept
 * distinct and bounded, and 200,000 random samples against a naive
 * reference (a linear array of aggregates with the same capacity), for
 * several sizes, most of them filled past capacity so the full-table
 * behaviour (new keys refused, existing aggregates still counted) is
 * exercised throughout.
 */
#include "../observe.c"
#include <kunit/test.h>
#include <linux/in.h>
#include <linux/random.h>
#include <linux/vmalloc.h>
#include "../uapi/nguard.h"

static struct ng_obs_sample obs_sample(u16 src, u16 dst, u8 proto, u16 port,
				       const u8 *sa, const u8 *da, u64 now)
{
	struct ng_obs_sample s = {
		.key = { .src_seg = src, .dst_seg = dst, .proto = proto,
			 .port = port },
		.family = 4,
		.verdict = NGUARD_VERDICT_ALLOW,
		.rule = 3,
		.saddr = sa,
		.daddr = da,
		.now = now,
	};

	return s;
}

/* Find @k among the table's entries (a linear walk of ng_obs_read). */
static bool obs_find(struct ng_obs *t, const struct ng_obs_key *k,
		     struct ng_obs_entry *out)
{
	u32 i;

	for (i = 0; i < ng_obs_used(t); i++)
		if (ng_obs_read(t, i, out) && ng_obs_key_eq(&out->key, k))
			return true;
	return false;
}

static void ng_obs_test_example(struct kunit *test)
{
	static const u8 a[4] = { 10, 0, 1, 1 }, b[4] = { 10, 0, 2, 1 };
	struct ng_obs *t = ng_obs_create(4, GFP_KERNEL);
	struct ng_obs_sample s;
	struct ng_obs_entry e;

	KUNIT_ASSERT_NOT_NULL(test, t);
	s = obs_sample(1, 2, IPPROTO_TCP, 5432, a, b, 100);
	KUNIT_EXPECT_EQ(test, ng_obs_record(t, &s), 0);
	s.now = 101;
	KUNIT_EXPECT_EQ(test, ng_obs_record(t, &s), 0);
	s = obs_sample(1, 2, IPPROTO_UDP, 53, a, b, 102);
	KUNIT_EXPECT_EQ(test, ng_obs_record(t, &s), 0);
	s = obs_sample(0, 1, IPPROTO_TCP, 443, b, a, 103);
	KUNIT_EXPECT_EQ(test, ng_obs_record(t, &s), 0);
	s = obs_sample(2, 1, IPPROTO_ICMP, 8, b, a, 104);
	s.verdict = NGUARD_VERDICT_DENY;
	s.flags = NGUARD_OBS_F_MONITOR;
	KUNIT_EXPECT_EQ(test, ng_obs_record(t, &s), 0);
	/* Full: a fifth key is refused, an existing one still counts. */
	s = obs_sample(0, 1, IPPROTO_TCP, 22, b, a, 105);
	KUNIT_EXPECT_EQ(test, ng_obs_record(t, &s), -ENOSPC);
	s = obs_sample(1, 2, IPPROTO_TCP, 5432, a, b, 106);
	KUNIT_EXPECT_EQ(test, ng_obs_record(t, &s), 0);
	KUNIT_EXPECT_EQ(test, ng_obs_used(t), 4U);

	KUNIT_ASSERT_TRUE(test, obs_find(t, &s.key, &e));
	KUNIT_EXPECT_EQ(test, e.conns, 3ULL);
	KUNIT_EXPECT_EQ(test, e.first, 100ULL);
	KUNIT_EXPECT_EQ(test, e.last, 106ULL);
	KUNIT_EXPECT_EQ(test, e.nex, 1);
	KUNIT_EXPECT_EQ(test, e.rule, 3U);
	s = obs_sample(2, 1, IPPROTO_ICMP, 8, b, a, 0);
	KUNIT_ASSERT_TRUE(test, obs_find(t, &s.key, &e));
	KUNIT_EXPECT_EQ(test, e.verdict, NGUARD_VERDICT_DENY);
	KUNIT_EXPECT_EQ(test, e.flags, NGUARD_OBS_F_MONITOR);
	s = obs_sample(0, 1, IPPROTO_TCP, 22, b, a, 0);
	KUNIT_EXPECT_FALSE(test, obs_find(t, &s.key, &e));
	KUNIT_EXPECT_FALSE(test, ng_obs_read(t, 4, &e));
	ng_obs_destroy(t);
}

static void ng_obs_test_examples(struct kunit *test)
{
	struct ng_obs *t = ng_obs_create(8, GFP_KERNEL);
	u8 sa[4] = { 10, 0, 0, 0 }, da[4] = { 10, 1, 0, 1 };
	struct ng_obs_sample s;
	struct ng_obs_entry e;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, t);
	for (i = 0; i < 10; i++) {
		sa[3] = i % 3;	/* 0, 1, 2, 0, 1, ...: two kept, in order */
		s = obs_sample(1, 2, IPPROTO_TCP, 80, sa, da, i);
		KUNIT_EXPECT_EQ(test, ng_obs_record(t, &s), 0);
	}
	KUNIT_ASSERT_TRUE(test, obs_find(t, &s.key, &e));
	KUNIT_EXPECT_EQ(test, e.conns, 10ULL);
	KUNIT_EXPECT_EQ(test, e.nex, NG_OBS_EXAMPLES);
	KUNIT_EXPECT_EQ(test, e.ex_src[0][3], 0);
	KUNIT_EXPECT_EQ(test, e.ex_src[1][3], 1);
	KUNIT_EXPECT_EQ(test, e.ex_family[1], 4);
	KUNIT_EXPECT_EQ(test, e.ex_dst[1][0], 10);
	KUNIT_EXPECT_EQ(test, e.ex_src[1][4], 0);	/* IPv4: rest zeroed */
	ng_obs_destroy(t);
}

/* The naive reference: aggregates in insertion order. */
struct obs_ref {
	struct ng_obs_key key;
	u64 conns, first, last;
	u8 flags;
	bool seen;		/* matched by an entry of the table */
	u32 rule;
};

static void obs_random(struct kunit *test, u32 max, u32 nkeys_seg, u32 ops)
{
	struct ng_obs *t = ng_obs_create(max, GFP_KERNEL);
	struct obs_ref *ref = vzalloc(array_size(max, sizeof(*ref)));
	u32 nref = 0, refused = 0, got = 0, bad = 0, i, j;
	static const u8 protos[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP };
	u8 sa[16] = { 0 }, da[16] = { 0 };
	struct ng_obs_sample s;
	struct ng_obs_entry e;
	int err, want;

	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_ASSERT_NOT_NULL(test, ref);
	for (i = 0; i < ops; i++) {
		get_random_bytes(sa, 4);
		get_random_bytes(da, 4);
		s = obs_sample(get_random_u32() % nkeys_seg,
			       get_random_u32() % nkeys_seg,
			       protos[get_random_u32() % 3],
			       get_random_u32() % 16, sa, da, 1000 + i);
		s.rule = s.key.port % 4;
		s.flags = (s.key.port & 1) ? NGUARD_OBS_F_MONITOR : 0;
		for (j = 0; j < nref; j++)
			if (ng_obs_key_eq(&ref[j].key, &s.key))
				break;
		want = 0;
		if (j == nref && nref == max) {
			want = -ENOSPC;
			refused++;
		} else if (j == nref) {
			ref[nref].key = s.key;
			ref[nref].first = s.now;
			ref[nref].rule = s.rule;
			nref++;
		}
		if (!want) {
			ref[j].conns++;
			ref[j].last = s.now;
			ref[j].flags |= s.flags;
		}
		err = ng_obs_record(t, &s);
		bad += err != want;
		if (!(i & 4095))
			cond_resched();
	}
	KUNIT_EXPECT_EQ(test, bad, 0U);
	KUNIT_EXPECT_EQ(test, ng_obs_used(t), nref);
	/* Every entry of the table is in the reference, with its numbers. */
	for (i = 0; i < ng_obs_used(t); i++) {
		if (!ng_obs_read(t, i, &e)) {
			bad++;
			continue;
		}
		got++;
		for (j = 0; j < nref; j++)
			if (ng_obs_key_eq(&ref[j].key, &e.key))
				break;
		if (j == nref || ref[j].seen || ref[j].conns != e.conns ||
		    ref[j].first != e.first || ref[j].last != e.last ||
		    ref[j].flags != e.flags || ref[j].rule != e.rule ||
		    e.nex < 1 || e.nex > NG_OBS_EXAMPLES)
			bad++;
		else
			ref[j].seen = true;
	}
	/* Each entry matched another aggregate: together, all of them. */
	KUNIT_EXPECT_EQ(test, got, nref);
	KUNIT_EXPECT_EQ(test, bad, 0U);
	kunit_info(test, "max %u: %u aggregates, %u refused of %u samples\n",
		   max, nref, refused, ops);
	vfree(ref);
	ng_obs_destroy(t);
}

static void ng_obs_test_random(struct kunit *test)
{
	/* 8 x 8 segments x 3 protocols x 16 ports = 3072 keys. */
	obs_random(test, 1, 8, 20000);
	obs_random(test, 3, 8, 20000);
	obs_random(test, 64, 8, 40000);
	obs_random(test, 1000, 8, 60000);
	obs_random(test, 4096, 8, 60000);	/* never full */
}

static struct kunit_case ng_obs_test_cases[] = {
	KUNIT_CASE(ng_obs_test_example),
	KUNIT_CASE(ng_obs_test_examples),
	KUNIT_CASE(ng_obs_test_random),
	{}
};

static struct kunit_suite ng_obs_test_suite = {
	.name = "nguard_observe",
	.test_cases = ng_obs_test_cases,
};

kunit_test_suite(ng_obs_test_suite);
