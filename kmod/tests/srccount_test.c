// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite for the per-source connection counts (kmod/srccount.c,
 * included below): the limit, dead entries, and a long random sequence of
 * takes and gives checked against a plain array of counts. Concurrency
 * is covered by the connection table's concurrent case, whose entries
 * all hold slots.
 */
#include <kunit/test.h>
#include <linux/random.h>

#include "../srccount.c"

#define SC_KEYS		24
#define SC_SLOTS	4096

static void sc_key(struct ng_src_key *k, unsigned int i)
{
	memset(k, 0, sizeof(*k));
	k->family = i & 1 ? 6 : 4;
	k->addr[0] = k->family == 4 ? 192 : 0x20;
	k->addr[1] = i;		/* IPv4 192.i.0.0, IPv6 20i::/64 */
}

/* The table holds a work item: not on the stack. */
static struct ng_srccount *sc_new(struct kunit *test)
{
	struct ng_srccount *sc = kunit_kzalloc(test, sizeof(*sc), GFP_KERNEL);

	if (sc && ng_srccount_init(sc))
		return NULL;
	return sc;
}

static void ng_sc_test_limit(struct kunit *test)
{
	struct ng_srccount *sc = sc_new(test);
	struct ng_src *s[3], *e;
	struct ng_src_key a, b;

	KUNIT_ASSERT_NOT_NULL(test, sc);
	sc_key(&a, 1);
	sc_key(&b, 2);
	rcu_read_lock();
	s[0] = ng_src_get(sc, &a, 2);
	s[1] = ng_src_get(sc, &a, 2);
	e = ng_src_get(sc, &a, 2);
	s[2] = ng_src_get(sc, &b, 1);
	KUNIT_EXPECT_FALSE(test, IS_ERR(s[0]));
	KUNIT_EXPECT_PTR_EQ(test, s[0], s[1]);
	KUNIT_EXPECT_EQ(test, PTR_ERR(e), -EDQUOT);
	KUNIT_EXPECT_FALSE(test, IS_ERR(s[2]));
	KUNIT_EXPECT_EQ(test, ng_srccount_held(sc, &a), 2U);
	KUNIT_EXPECT_EQ(test, ng_srccount_sources(sc), 2U);
	/* The last give frees the entry; the next take makes a new one. */
	ng_src_put(sc, s[0]);
	ng_src_put(sc, s[1]);
	KUNIT_EXPECT_EQ(test, ng_srccount_held(sc, &a), 0U);
	KUNIT_EXPECT_EQ(test, ng_srccount_sources(sc), 1U);
	s[0] = ng_src_get(sc, &a, 1);
	KUNIT_EXPECT_FALSE(test, IS_ERR(s[0]));
	KUNIT_EXPECT_EQ(test, ng_srccount_held(sc, &a), 1U);
	ng_src_put(sc, s[0]);
	ng_src_put(sc, s[2]);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, ng_srccount_sources(sc), 0U);
	ng_srccount_destroy(sc);
}

/* A dead entry (count 0, not yet unlinked) is skipped, never revived. */
static void ng_sc_test_dead(struct kunit *test)
{
	struct ng_srccount *sc = sc_new(test);
	struct ng_src *s, *n;
	struct ng_src_key a;

	KUNIT_ASSERT_NOT_NULL(test, sc);
	sc_key(&a, 3);
	rcu_read_lock();
	s = ng_src_get(sc, &a, 5);
	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	/* What a racing ng_src_put() leaves for a moment. */
	atomic_set(&s->count, 0);
	KUNIT_EXPECT_EQ(test, ng_srccount_held(sc, &a), 0U);
	n = ng_src_get(sc, &a, 5);
	KUNIT_ASSERT_FALSE(test, IS_ERR(n));
	KUNIT_EXPECT_PTR_NE(test, s, n);
	KUNIT_EXPECT_EQ(test, atomic_read(&s->count), 0);
	KUNIT_EXPECT_EQ(test, ng_srccount_held(sc, &a), 1U);
	KUNIT_EXPECT_EQ(test, ng_srccount_sources(sc), 2U);
	/* Finish the racing put by hand. */
	rhashtable_remove_fast(&sc->ht, &s->node, ng_src_params);
	kfree_rcu(s, rcu);
	ng_src_put(sc, n);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, ng_srccount_sources(sc), 0U);
	ng_srccount_destroy(sc);
}

/* Random takes and gives over 24 sources against an array of counts. */
static void ng_sc_test_random(struct kunit *test)
{
	struct ng_src **slot = kunit_kcalloc(test, SC_SLOTS, sizeof(*slot),
					     GFP_KERNEL);
	u8 *owner = kunit_kzalloc(test, SC_SLOTS, GFP_KERNEL);
	u32 ref[SC_KEYS] = {}, limit[SC_KEYS], held, live, i, op, k;
	struct ng_src_key key;
	struct ng_srccount *sc = sc_new(test);
	struct ng_src *s;
	unsigned int bad = 0;

	KUNIT_ASSERT_NOT_NULL(test, slot);
	KUNIT_ASSERT_NOT_NULL(test, owner);
	KUNIT_ASSERT_NOT_NULL(test, sc);
	for (k = 0; k < SC_KEYS; k++)
		limit[k] = 1 + get_random_u32() % 300;
	for (op = 0; op < 200000; op++) {
		i = get_random_u32() % SC_SLOTS;
		rcu_read_lock();
		if (slot[i]) {
			ng_src_put(sc, slot[i]);
			slot[i] = NULL;
			ref[owner[i]]--;
		} else {
			k = get_random_u32() % SC_KEYS;
			sc_key(&key, k);
			s = ng_src_get(sc, &key, limit[k]);
			if (ref[k] < limit[k]) {
				bad += IS_ERR(s);
				if (!IS_ERR(s)) {
					slot[i] = s;
					owner[i] = k;
					ref[k]++;
				}
			} else {
				bad += PTR_ERR_OR_ZERO(s) != -EDQUOT;
				if (!IS_ERR(s))
					ng_src_put(sc, s);
			}
		}
		if (!(op & 1023)) {
			live = 0;
			for (k = 0; k < SC_KEYS; k++) {
				sc_key(&key, k);
				held = ng_srccount_held(sc, &key);
				bad += held != ref[k];
				live += !!ref[k];
			}
			bad += ng_srccount_sources(sc) != live;
		}
		rcu_read_unlock();
		if (!(op & 4095))
			cond_resched();
	}
	KUNIT_EXPECT_EQ(test, bad, 0U);
	rcu_read_lock();
	for (i = 0; i < SC_SLOTS; i++)
		if (slot[i])
			ng_src_put(sc, slot[i]);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, ng_srccount_sources(sc), 0U);
	ng_srccount_destroy(sc);
}

static struct kunit_case ng_sc_test_cases[] = {
	KUNIT_CASE(ng_sc_test_limit),
	KUNIT_CASE(ng_sc_test_dead),
	KUNIT_CASE(ng_sc_test_random),
	{}
};

static struct kunit_suite ng_sc_test_suite = {
	.name = "nguard_srccount",
	.test_cases = ng_sc_test_cases,
};

kunit_test_suite(ng_sc_test_suite);
