// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite for the per-CPU counters (kmod/stats.c, included below so
 * the test module carries its own copy and needs no exported symbols).
 * Checks the fold against a naive reference under many random per-CPU
 * updates, the packet-path helper, and the counter name table.
 */
#include <kunit/test.h>
#include <linux/random.h>
#include "../compat.h"
#include "../stats.c"

static void ng_stats_test_fold_random(struct kunit *test)
{
	struct ng_stats_snapshot ref = {}, got;
	struct ng_stats st;
	unsigned int cpu, id, i, ncpus = 0;

	KUNIT_ASSERT_EQ(test, ng_stats_init(&st, GFP_KERNEL), 0);
	for_each_possible_cpu(cpu)
		ncpus++;

	for (i = 0; i < 100000; i++) {
		unsigned int nth = get_random_u32_below(ncpus);
		u64 add = get_random_u32_below(1U << 16);

		id = get_random_u32_below(NGUARD_CNT_MAX);
		for_each_possible_cpu(cpu)
			if (!nth--)
				break;
		per_cpu_ptr(st.cpu, cpu)->cnt[id] += add;
		ref.cnt[id] += add;
	}
	ng_stats_read(&st, &got);
	for (id = 0; id < NGUARD_CNT_MAX; id++)
		KUNIT_EXPECT_EQ_MSG(test, got.cnt[id], ref.cnt[id],
				    "counter %s", ng_stats_name(id));
	ng_stats_destroy(&st);
	KUNIT_EXPECT_TRUE(test, !st.cpu);
}

static void ng_stats_test_count_pair(struct kunit *test)
{
	struct ng_stats_snapshot snap;
	struct ng_stats st;

	KUNIT_ASSERT_EQ(test, ng_stats_init(&st, GFP_KERNEL), 0);
	ng_stats_count(&st, NGUARD_CNT_IPV6_IN_PACKETS, 1, 1500);
	ng_stats_count(&st, NGUARD_CNT_IPV6_IN_PACKETS, 44, 64000);
	ng_stats_read(&st, &snap);
	KUNIT_EXPECT_EQ(test, snap.cnt[NGUARD_CNT_IPV6_IN_PACKETS], 45ULL);
	KUNIT_EXPECT_EQ(test, snap.cnt[NGUARD_CNT_IPV6_IN_BYTES], 65500ULL);
	KUNIT_EXPECT_EQ(test, snap.cnt[NGUARD_CNT_IPV4_IN_PACKETS], 0ULL);
	KUNIT_EXPECT_EQ(test, snap.cnt[NGUARD_CNT_IPV6_OUT_PACKETS], 0ULL);
	ng_stats_destroy(&st);
}

static void ng_stats_test_names(struct kunit *test)
{
	unsigned int i, j;

	for (i = 0; i < NGUARD_CNT_MAX; i++) {
		KUNIT_ASSERT_NOT_NULL(test, ng_stats_names[i]);
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_STRNEQ(test, ng_stats_name(i), ng_stats_name(j));
	}
	KUNIT_EXPECT_STREQ(test, ng_stats_name(NGUARD_CNT_IPV4_OUT_BYTES),
			   "ipv4_out_bytes");
	KUNIT_EXPECT_STREQ(test, ng_stats_name(NGUARD_CNT_MAX), "unknown");
}

static struct kunit_case ng_stats_test_cases[] = {
	KUNIT_CASE(ng_stats_test_fold_random),
	KUNIT_CASE(ng_stats_test_count_pair),
	KUNIT_CASE(ng_stats_test_names),
	{}
};

static struct kunit_suite ng_stats_test_suite = {
	.name = "nguard_stats",
	.test_cases = ng_stats_test_cases,
};

kunit_test_suite(ng_stats_test_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for nguard");
