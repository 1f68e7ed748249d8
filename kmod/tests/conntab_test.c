// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite for the connection table (kmod/conntab.c and
 * kmod/conntab_evict.c, included below
 * with a clock driven by hand and a cache of its own). Covers both
 * directions of v4/v6 keys, TCP states and every timeout, GC passes and
 * the GC work, the eviction order of a full table and its window,
 * refusals, "limit source" slots, the chain
 * bound, lowering the limit, pruning for a new policy, resizes, dumps, a
 * random sequence checked against a naive reference, and concurrent
 * writers during resizes.
 * Time starts just before the u32 jiffies wrap so every case crosses it.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/random.h>

#define NG_CT_FAKE_CLOCK
#define NG_CT_CACHE_NAME "nguard_conn_kunit"
#include "../conntab.c"
#include "../conntab_evict.c"

#define CT_T0		((u32)(-20 * HZ))	/* wraps 20 s into a case */
#define CT_MAXTABLES	4

struct ct_ctx {
	struct ng_conntab *t[CT_MAXTABLES];
};

static int ct_init(struct kunit *test)
{
	test->priv = kunit_kzalloc(test, sizeof(struct ct_ctx), GFP_KERNEL);
	if (!test->priv)
		return -ENOMEM;
	return ng_conntab_module_init();
}

static void ct_exit(struct kunit *test)
{
	struct ct_ctx *ctx = test->priv;
	unsigned int i;

	for (i = 0; i < CT_MAXTABLES; i++)
		ng_conntab_destroy(ctx->t[i]);
	ng_conntab_module_exit();
}

/* A table without GC work (unless @gc), destroyed by ct_exit(). */
static struct ng_conntab *ct_new(struct kunit *test, u32 max, bool gc)
{
	struct ct_ctx *ctx = test->priv;
	struct ng_conntab *t;
	unsigned int i;

	for (i = 0; i < CT_MAXTABLES && ctx->t[i]; i++)
		;
	KUNIT_ASSERT_LT(test, i, CT_MAXTABLES);
	t = ng_ct_create(max, GFP_KERNEL, false);
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->fake_now = CT_T0;
	if (gc) {
		t->gc_enabled = true;
		queue_delayed_work(system_power_efficient_wq, &t->gc, NG_CT_GC_SWEEP);
	}
	ctx->t[i] = t;
	return t;
}

/* Set the clock to @ms milliseconds after CT_T0. */
static void ct_at(struct ng_conntab *t, u32 ms)
{
	WRITE_ONCE(t->fake_now, CT_T0 + msecs_to_jiffies(ms));
}

static u64 ct_rng(u64 *s)
{
	u64 x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

static void ct_key4(struct ng_conn_key *k, u8 proto, u32 src, u32 dst,
		    u16 sport, u16 dport)
{
	__be32 s = htonl(src), d = htonl(dst);

	ng_conn_key_init(k, 4, proto, &s, &d, htons(sport), htons(dport));
}

static void ct_key6(struct ng_conn_key *k, u8 proto, u16 src, u16 dst,
		    u16 sport, u16 dport)
{
	u8 s[16] = { 0xfd, 0x00 }, d[16] = { 0xfd, 0x00 };

	s[14] = src >> 8;
	s[15] = src;
	d[14] = dst >> 8;
	d[15] = dst;
	ng_conn_key_init(k, 6, proto, s, d, htons(sport), htons(dport));
}

/* The same connection seen in the other direction. */
static struct ng_conn_key ct_rev(const struct ng_conn_key *k)
{
	struct ng_conn_key r = *k;

	r.dir = !k->dir;
	return r;
}

static int ct_ins(struct ng_conntab *t, const struct ng_conn_key *k, u8 tf)
{
	struct ng_conn *c;
	int err;

	rcu_read_lock();
	err = ng_conntab_insert(t, k, 7, tf, NULL, 0, &c);
	rcu_read_unlock();
	return err;
}

/*
 * Step @k's originator port until its bucket is in [@lo, @hi]: the
 * eviction cases put their entries into one NG_CT_EVICT_BUCKETS window
 * (and the newcomers at its start), so every entry is a candidate.
 */
static void ct_place(struct ng_conntab *t, struct ng_conn_key *k, u32 lo,
		     u32 hi)
{
	u16 port = ntohs(k->port[k->dir]);
	u32 mask, b, i;

	rcu_read_lock();
	mask = rcu_dereference(t->tbl)->mask;
	rcu_read_unlock();
	/* Every port tried: leave it (the case's expectations then fail). */
	for (i = 0; i <= U16_MAX; i++) {
		b = ng_ct_hash(t, k) & mask;
		if (b >= lo && b <= hi)
			return;
		k->port[k->dir] = htons(++port);
	}
}

#define CT_WIN_LAST	(NG_CT_EVICT_BUCKETS - 1)

/* Source 10.0.0.@id as "limit source" counts it. */
static void ct_src4(struct ng_src_key *k, u8 id)
{
	memset(k, 0, sizeof(*k));
	k->family = 4;
	k->addr[0] = 10;
	k->addr[3] = id;
}

static struct ng_conn *ct_get(struct ng_conntab *t, const struct ng_conn_key *k,
			      bool *reply)
{
	struct ng_conn *c;
	bool r = false;

	rcu_read_lock();
	c = ng_conntab_lookup(t, k, &r);
	rcu_read_unlock();
	if (reply)
		*reply = r;
	return c;
}

/* A packet of a known connection, as the hook handles it. */
static int ct_pkt(struct ng_conntab *t, const struct ng_conn_key *k, u8 tf)
{
	struct ng_conn *c;
	bool reply;
	int ret = -ENOENT;

	rcu_read_lock();
	c = ng_conntab_lookup(t, k, &reply);
	if (c)
		ret = ng_conn_update(t, c, reply, tf);
	rcu_read_unlock();
	return ret;
}

static int ct_establish(struct ng_conntab *t, const struct ng_conn_key *k)
{
	struct ng_conn_key r = ct_rev(k);
	int err;

	err = ct_ins(t, k, NG_TCP_SYN);
	if (!err)
		err = ct_pkt(t, &r, NG_TCP_SYN | NG_TCP_ACK);
	if (!err)
		err = ct_pkt(t, k, NG_TCP_ACK);
	return err;
}

static void ct_stats(struct ng_conntab *t, struct ng_conntab_stats *s)
{
	ng_conntab_stats(t, s);
}

static void ng_ct_test_size(struct kunit *test)
{
	unsigned int size = ng_conntab_entry_size();
	u32 dflt = ng_conntab_default_max();

	kunit_info(test, "entry: kmem_cache_size %u bytes, sizeof %zu, key %zu; default max %u\n",
		   size, sizeof(struct ng_conn), sizeof(struct ng_conn_key), dflt);
	KUNIT_EXPECT_LE(test, size, 96U);
	KUNIT_EXPECT_EQ(test, size, (unsigned int)sizeof(struct ng_conn));
	KUNIT_EXPECT_GE(test, dflt, (u32)NG_CONNTAB_MIN_DEFAULT);
	KUNIT_EXPECT_LE(test, dflt, (u32)NG_CONNTAB_MAX_DEFAULT);
	KUNIT_EXPECT_NULL(test, ng_conntab_create(NG_CONNTAB_LIMIT + 1, GFP_KERNEL));
	KUNIT_EXPECT_STREQ(test, ng_conntab_counter_name(NG_CT_CNT_REFUSED_FULL),
			   "refused_full");
	KUNIT_EXPECT_STREQ(test, ng_conntab_counter_name(NG_CT_CNT_MAX), "unknown");
	KUNIT_EXPECT_STREQ(test, ng_conn_state_name(NG_TCP_ESTABLISHED), "established");
}

static void ng_ct_test_directions(struct kunit *test)
{
	struct ng_conntab *t = ct_new(test, 1024, false);
	struct ng_conn_key a, b, x;
	struct ng_conn *c, *c2;
	bool reply;

	/* v4: 10.0.0.9:40000 -> 10.0.0.1:80, canonical order swaps it. */
	ct_key4(&a, IPPROTO_TCP, 0x0a000009, 0x0a000001, 40000, 80);
	ct_key4(&b, IPPROTO_TCP, 0x0a000001, 0x0a000009, 80, 40000);
	KUNIT_EXPECT_EQ(test, a.dir, 1);
	KUNIT_EXPECT_EQ(test, b.dir, 0);
	KUNIT_EXPECT_TRUE(test, ng_key_eq(&a, &b));
	KUNIT_EXPECT_EQ(test, ng_ct_hash(t, &a), ng_ct_hash(t, &b));
	KUNIT_ASSERT_EQ(test, ct_ins(t, &a, NG_TCP_SYN), 0);
	c = ct_get(t, &a, &reply);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_FALSE(test, reply);
	c2 = ct_get(t, &b, &reply);
	KUNIT_EXPECT_PTR_EQ(test, c, c2);
	KUNIT_EXPECT_TRUE(test, reply);
	KUNIT_EXPECT_EQ(test, c->rule, 7U);
	KUNIT_EXPECT_EQ(test, c->tb_pkts, U16_MAX);	/* buckets start full */
	KUNIT_EXPECT_EQ(test, c->tb_bytes, U32_MAX);
	KUNIT_EXPECT_EQ(test, ct_ins(t, &b, NG_TCP_SYN), -EEXIST);

	/* Other port, protocol or family: other connections. */
	ct_key4(&x, IPPROTO_TCP, 0x0a000009, 0x0a000001, 40001, 80);
	KUNIT_EXPECT_NULL(test, ct_get(t, &x, NULL));
	ct_key4(&x, IPPROTO_UDP, 0x0a000009, 0x0a000001, 40000, 80);
	KUNIT_EXPECT_NULL(test, ct_get(t, &x, NULL));
	x = a;
	x.family = 6;
	KUNIT_EXPECT_NULL(test, ct_get(t, &x, NULL));

	/* v6, first packet from the smaller endpoint. */
	ct_key6(&a, IPPROTO_UDP, 1, 2, 5353, 53);
	ct_key6(&b, IPPROTO_UDP, 2, 1, 53, 5353);
	KUNIT_EXPECT_EQ(test, a.dir, 0);
	KUNIT_ASSERT_EQ(test, ct_ins(t, &a, 0), 0);
	c = ct_get(t, &b, &reply);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_TRUE(test, reply);
	KUNIT_EXPECT_EQ(test, c->key.family, 6);
	KUNIT_EXPECT_EQ(test, ct_pkt(t, &b, 0), 0);
	KUNIT_EXPECT_EQ(test, c->pkts[0], 1U);
	KUNIT_EXPECT_EQ(test, c->pkts[1], 1U);
	KUNIT_EXPECT_TRUE(test, c->flags & NG_CONN_F_REPLIED);

	/* Same addresses, ports swapped: endpoints ordered by port. */
	ct_key6(&a, IPPROTO_UDP, 3, 3, 2000, 1000);
	KUNIT_EXPECT_EQ(test, a.dir, 1);
	KUNIT_ASSERT_EQ(test, ct_ins(t, &a, 0), 0);
	ct_key6(&b, IPPROTO_UDP, 3, 3, 1000, 2000);
	KUNIT_EXPECT_PTR_EQ(test, ct_get(t, &b, &reply), ct_get(t, &a, NULL));
	KUNIT_EXPECT_TRUE(test, reply);

	/* ICMP echo: the identifier is both ports. */
	ct_key4(&a, IPPROTO_ICMP, 0xc0a80001, 0x08080808, 77, 77);
	ct_key4(&b, IPPROTO_ICMP, 0x08080808, 0xc0a80001, 77, 77);
	KUNIT_ASSERT_EQ(test, ct_ins(t, &a, 0), 0);
	KUNIT_EXPECT_NOT_NULL(test, ct_get(t, &b, &reply));
	KUNIT_EXPECT_TRUE(test, reply);
}

/* Expect @k to live exactly @secs more seconds from @ms on. */
static void ct_expect_timeout(struct kunit *test, struct ng_conntab *t,
			      const struct ng_conn_key *k, u32 ms, u32 secs)
{
	struct ng_conn *c;

	ct_at(t, ms);
	c = ct_get(t, k, NULL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, ng_conn_expires_in(t, c), secs);
	WRITE_ONCE(t->fake_now, CT_T0 + msecs_to_jiffies(ms) + secs * HZ - 1);
	KUNIT_EXPECT_NOT_NULL(test, ct_get(t, k, NULL));
	KUNIT_EXPECT_EQ(test, ng_conn_expires_in(t, c), 1U);
	WRITE_ONCE(t->fake_now, CT_T0 + msecs_to_jiffies(ms) + secs * HZ);
	KUNIT_EXPECT_NULL(test, ct_get(t, k, NULL));
}

static void ng_ct_test_tcp_states(struct kunit *test)
{
	struct ng_conntab *t = ct_new(test, 1024, false);
	struct ng_conntab_stats st;
	struct ng_conn_key k, r;
	struct ng_conn *c;

	ct_key4(&k, IPPROTO_TCP, 0x0a000001, 0x0a000002, 1234, 22);
	r = ct_rev(&k);
	KUNIT_ASSERT_EQ(test, ct_ins(t, &k, NG_TCP_SYN), 0);
	c = ct_get(t, &k, NULL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, c->state, NG_TCP_SYN_SENT);
	KUNIT_EXPECT_EQ(test, ng_conn_expires_in(t, c), 60U);
	/* Retransmitted SYN, stray ACK from the responder: no change. */
	ct_at(t, 1000);
	KUNIT_EXPECT_EQ(test, ct_pkt(t, &k, NG_TCP_SYN), 0);
	KUNIT_EXPECT_EQ(test, c->state, NG_TCP_SYN_SENT);
	KUNIT_EXPECT_EQ(test, ct_pkt(t, &r, NG_TCP_SYN | NG_TCP_ACK), 0);
	KUNIT_EXPECT_EQ(test, c->state, NG_TCP_SYN_RECV);
	KUNIT_EXPECT_FALSE(test, ng_conn_protected(c));
	KUNIT_EXPECT_EQ(test, ct_pkt(t, &r, NG_TCP_ACK), 0);
	KUNIT_EXPECT_EQ(test, c->state, NG_TCP_SYN_RECV);
	KUNIT_EXPECT_EQ(test, ct_pkt(t, &k, NG_TCP_ACK), 0);
	KUNIT_EXPECT_EQ(test, c->state, NG_TCP_ESTABLISHED);
	KUNIT_EXPECT_TRUE(test, ng_conn_protected(c));
	ct_stats(t, &st);
	KUNIT_EXPECT_EQ(test, st.established, 1U);
	ct_expect_timeout(test, t, &k, 1000, 7200);
	/* Expired: the lookup reaped it. */
	ct_stats(t, &st);
	KUNIT_EXPECT_EQ(test, st.count, 0U);
	KUNIT_EXPECT_EQ(test, st.established, 0U);
	KUNIT_EXPECT_EQ(test, st.cnt[NG_CT_CNT_GC_FREED], 1ULL);

	/* Close: FIN each way, then RST; a new SYN reopens. */
	ct_at(t, 0);
	KUNIT_ASSERT_EQ(test, ct_establish(t, &k), 0);
	c = ct_get(t, &k, NULL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, ct_pkt(t, &r, NG_TCP_FIN | NG_TCP_ACK), 0);
	KUNIT_EXPECT_EQ(test, c->state, NG_TCP_FIN_WAIT);
	KUNIT_EXPECT_FALSE(test, ng_conn_protected(c));
	ct_stats(t, &st);
	KUNIT_EXPECT_EQ(test, st.established, 0U);
	ct_expect_timeout(test, t, &k, 0, 120);

	ct_at(t, 0);
	KUNIT_ASSERT_EQ(test, ct_establish(t, &k), 0);
	c = ct_get(t, &k, NULL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, ct_pkt(t, &k, NG_TCP_FIN | NG_TCP_ACK), 0);
	KUNIT_EXPECT_EQ(test, ct_pkt(t, &r, NG_TCP_FIN | NG_TCP_ACK), 0);
	KUNIT_EXPECT_EQ(test, c->state, NG_TCP_CLOSING);
	ct_expect_timeout(test, t, &k, 0, 120);

	ct_at(t, 0);
	KUNIT_ASSERT_EQ(test, ct_establish(t, &k), 0);
	c = ct_get(t, &k, NULL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, ct_pkt(t, &r, NG_TCP_RST), 0);
	KUNIT_EXPECT_EQ(test, c->state, NG_TCP_CLOSE);
	KUNIT_EXPECT_EQ(test, ct_pkt(t, &k, NG_TCP_SYN), NG_CONN_REOPEN);
	KUNIT_EXPECT_EQ(test, ct_pkt(t, &r, NG_TCP_SYN), NG_CONN_REOPEN);
	KUNIT_EXPECT_EQ(test, c->state, NG_TCP_CLOSE);
	ct_expect_timeout(test, t, &k, 0, 10);

	/* Mid-stream pick-up: unprotected and short-lived until answered. */
	ct_at(t, 0);
	KUNIT_ASSERT_EQ(test, ct_ins(t, &k, NG_TCP_ACK), 0);
	c = ct_get(t, &k, NULL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, c->state, NG_TCP_ESTABLISHED);
	KUNIT_EXPECT_FALSE(test, ng_conn_protected(c));
	KUNIT_EXPECT_EQ(test, ng_conn_expires_in(t, c), 60U);
	KUNIT_EXPECT_EQ(test, ct_pkt(t, &r, NG_TCP_ACK), 0);
	KUNIT_EXPECT_TRUE(test, ng_conn_protected(c));
	KUNIT_EXPECT_EQ(test, ng_conn_expires_in(t, c), 7200U);
	rcu_read_lock();
	ng_conntab_delete(t, c);
	ng_conntab_delete(t, c);	/* idempotent */
	rcu_read_unlock();
	ct_stats(t, &st);
	KUNIT_EXPECT_EQ(test, st.count, 0U);
	KUNIT_EXPECT_EQ(test, st.established, 0U);

	/* First packets with RST or FIN. */
	KUNIT_ASSERT_EQ(test, ct_ins(t, &k, NG_TCP_RST | NG_TCP_ACK), 0);
	c = ct_get(t, &k, NULL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, c->state, NG_TCP_CLOSE);
	ng_conntab_flush(t);
	KUNIT_ASSERT_EQ(test, ct_ins(t, &k, NG_TCP_FIN | NG_TCP_ACK), 0);
	c = ct_get(t, &k, NULL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, c->state, NG_TCP_FIN_WAIT);
	KUNIT_EXPECT_EQ(test, c->flags, NG_CONN_F_FIN_ORIG);
	ng_conntab_flush(t);
}

static void ng_ct_test_other_timeouts(struct kunit *test)
{
	struct ng_conntab *t = ct_new(test, 1024, false);
	struct ng_conn_key k, r;

	ct_key6(&k, IPPROTO_UDP, 1, 2, 1000, 53);
	r = ct_rev(&k);
	ct_at(t, 0);
	KUNIT_ASSERT_EQ(test, ct_ins(t, &k, 0), 0);
	ct_expect_timeout(test, t, &k, 0, 30);
	ct_at(t, 0);
	KUNIT_ASSERT_EQ(test, ct_ins(t, &k, 0), 0);
	ct_at(t, 500);
	KUNIT_EXPECT_EQ(test, ct_pkt(t, &r, 0), 0);
	ct_expect_timeout(test, t, &k, 500, 180);

	ct_key4(&k, IPPROTO_ICMP, 1, 2, 9, 9);
	ct_at(t, 0);
	KUNIT_ASSERT_EQ(test, ct_ins(t, &k, 0), 0);
	ct_expect_timeout(test, t, &k, 0, 30);
	ct_key6(&k, IPPROTO_ICMPV6, 1, 2, 9, 9);
	ct_at(t, 0);
	KUNIT_ASSERT_EQ(test, ct_ins(t, &k, 0), 0);
	ct_expect_timeout(test, t, &k, 0, 30);
	ct_key4(&k, IPPROTO_GRE, 1, 2, 0, 0);
	ct_at(t, 0);
	KUNIT_ASSERT_EQ(test, ct_ins(t, &k, 0), 0);
	ct_expect_timeout(test, t, &k, 0, 600);
}

static void ng_ct_test_gc(struct kunit *test)
{
	struct ng_conntab *t = ct_new(test, 4096, false);
	struct ng_conntab_stats st;
	struct ng_conn_key k;
	unsigned int i, passes = 0;

	for (i = 0; i < 200; i++) {
		ct_key4(&k, i & 1 ? IPPROTO_UDP : IPPROTO_TCP, 0x0a000001,
			0x0a100000 + i, 5000 + i, 80);
		KUNIT_ASSERT_EQ(test, i & 1 ? ct_ins(t, &k, 0) : ct_establish(t, &k), 0);
	}
	ct_at(t, 29000);
	mutex_lock(&t->mutex);
	while (!ng_ct_gc_pass(t, ng_ct_now(t), NG_CT_GC_BUCKETS))
		;
	mutex_unlock(&t->mutex);
	ct_stats(t, &st);
	KUNIT_EXPECT_EQ(test, st.count, 200U);

	/* Bounded passes: 16 buckets each, 256 buckets in all. */
	ct_at(t, 30000);
	mutex_lock(&t->mutex);
	t->gc_cursor = 0;
	do {
		passes++;
		KUNIT_EXPECT_EQ(test, t->gc_cursor, (passes - 1) * 16);
	} while (!ng_ct_gc_pass(t, ng_ct_now(t), 16) && passes < 100);
	mutex_unlock(&t->mutex);
	KUNIT_EXPECT_EQ(test, passes, 16U);
	ct_stats(t, &st);
	KUNIT_EXPECT_EQ(test, st.count, 100U);
	KUNIT_EXPECT_EQ(test, st.established, 100U);
	KUNIT_EXPECT_EQ(test, st.cnt[NG_CT_CNT_GC_FREED], 100ULL);
	for (i = 0; i < 200; i++) {
		ct_key4(&k, i & 1 ? IPPROTO_UDP : IPPROTO_TCP, 0x0a000001,
			0x0a100000 + i, 5000 + i, 80);
		KUNIT_EXPECT_EQ(test, !ct_get(t, &k, NULL), !!(i & 1));
	}
}

/* The real deferrable work reaps too, and resizes on request. */
static void ng_ct_test_gc_work(struct kunit *test)
{
	struct ng_conntab *t = ct_new(test, 65536, true);
	struct ng_conntab_stats st;
	struct ng_conn_key k;
	unsigned int i;

	for (i = 0; i < 600; i++) {
		ct_key4(&k, IPPROTO_UDP, 0x0a000001, 0x0a200000 + i, 7, 7);
		KUNIT_ASSERT_EQ(test, ct_ins(t, &k, 0), 0);
	}
	/* 600 > 2 * 256 buckets: the insert queued the work to grow. */
	flush_delayed_work(&t->gc);
	ct_stats(t, &st);
	KUNIT_EXPECT_EQ(test, st.buckets, 1024U);
	KUNIT_EXPECT_EQ(test, st.count, 600U);
	ct_at(t, 30000);
	mod_delayed_work(system_power_efficient_wq, &t->gc, 0);
	flush_delayed_work(&t->gc);
	ct_stats(t, &st);
	KUNIT_EXPECT_EQ(test, st.count, 0U);
	KUNIT_EXPECT_EQ(test, st.cnt[NG_CT_CNT_GC_FREED], 600ULL);
}

static void ng_ct_test_evict_order(struct kunit *test)
{
	struct ng_conntab *t = ct_new(test, 48, false);
	struct ng_conn_key x, *h, *u, *e, n;
	struct ng_conntab_stats st;
	unsigned int i;

	h = kunit_kcalloc(test, 3 * 16, sizeof(*h), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h);
	u = h + 16;	/* 15 used */
	e = u + 16;

	/*
	 * All entries in buckets 0..7, newcomers in bucket 0: one eviction
	 * window sees them all, so the order below is exact.
	 */
	/* X: unreplied UDP at 0 s, expires at 30 s. */
	ct_at(t, 0);
	ct_key4(&x, IPPROTO_UDP, 0x0a000001, 0x0a000002, 1, 1);
	ct_place(t, &x, 0, CT_WIN_LAST);
	KUNIT_ASSERT_EQ(test, ct_ins(t, &x, 0), 0);
	/* H[i]: half-open TCP at 1 + i s; U[j]: replied UDP at 1 + j s. */
	for (i = 0; i < 16; i++) {
		ct_at(t, 1000 + i * 1000);
		ct_key4(&h[i], IPPROTO_TCP, 0x0a000001, 0x0a010000 + i, 1000, 80);
		ct_place(t, &h[i], 0, CT_WIN_LAST);
		KUNIT_ASSERT_EQ(test, ct_ins(t, &h[i], NG_TCP_SYN), 0);
		if (i == 15)
			break;
		ct_key4(&u[i], IPPROTO_UDP, 0x0a000001, 0x0a020000 + i, 1000, 53);
		ct_place(t, &u[i], 0, CT_WIN_LAST);
		KUNIT_ASSERT_EQ(test, ct_ins(t, &u[i], 0), 0);
		u[i].dir = !u[i].dir;
		KUNIT_ASSERT_EQ(test, ct_pkt(t, &u[i], 0), 0);
	}
	/* E[k]: established TCP at 17 s. */
	ct_at(t, 17000);
	for (i = 0; i < 16; i++) {
		ct_key6(&e[i], IPPROTO_TCP, 1, 100 + i, 2000, 443);
		ct_place(t, &e[i], 0, CT_WIN_LAST);
		KUNIT_ASSERT_EQ(test, ct_establish(t, &e[i]), 0);
	}
	ct_stats(t, &st);
	KUNIT_ASSERT_EQ(test, st.count, 48U);
	KUNIT_ASSERT_EQ(test, st.established, 16U);

	/* Full at 20 s: the idlest half-open goes first, not X or U[0]. */
	ct_at(t, 20000);
	ct_key4(&n, IPPROTO_UDP, 0x0b000000, 0x0b000001, 1, 1);
	ct_place(t, &n, 0, 0);
	KUNIT_ASSERT_EQ(test, ct_ins(t, &n, 0), 0);
	KUNIT_EXPECT_NULL(test, ct_get(t, &h[0], NULL));
	KUNIT_EXPECT_NOT_NULL(test, ct_get(t, &x, NULL));
	KUNIT_EXPECT_NOT_NULL(test, ct_get(t, &h[1], NULL));
	ct_stats(t, &st);
	KUNIT_EXPECT_EQ(test, st.count, 48U);
	KUNIT_EXPECT_EQ(test, st.cnt[NG_CT_CNT_EVICT_HALFOPEN], 1ULL);

	/* At 31 s X has expired: it goes before any half-open. */
	ct_at(t, 31000);
	ct_key4(&n, IPPROTO_UDP, 0x0b000000, 0x0b000002, 1, 1);
	ct_place(t, &n, 0, 0);
	KUNIT_ASSERT_EQ(test, ct_ins(t, &n, 0), 0);
	ct_stats(t, &st);
	KUNIT_EXPECT_EQ(test, st.cnt[NG_CT_CNT_EVICT_EXPIRED], 1ULL);
	KUNIT_EXPECT_EQ(test, st.cnt[NG_CT_CNT_EVICT_HALFOPEN], 1ULL);
	KUNIT_EXPECT_NOT_NULL(test, ct_get(t, &h[1], NULL));

	/* Then the half-open ones, idlest first. */
	ct_at(t, 32000);
	for (i = 1; i < 16; i++) {
		ct_key4(&n, IPPROTO_UDP, 0x0b000000, 0x0b000100 + i, 1, 1);
		ct_place(t, &n, 0, 0);
		KUNIT_ASSERT_EQ(test, ct_ins(t, &n, 0), 0);
		KUNIT_EXPECT_NULL(test, ct_get(t, &h[i], NULL));
		if (i < 15)
			KUNIT_EXPECT_NOT_NULL(test, ct_get(t, &h[i + 1], NULL));
	}
	ct_stats(t, &st);
	KUNIT_EXPECT_EQ(test, st.cnt[NG_CT_CNT_EVICT_HALFOPEN], 16ULL);
	KUNIT_EXPECT_EQ(test, st.cnt[NG_CT_CNT_EVICT_IDLE], 0ULL);

	/* No half-open left: the idlest UDP, U[0] (idle 32 s). */
	ct_at(t, 33000);
	ct_key4(&n, IPPROTO_UDP, 0x0b000000, 0x0b000200, 1, 1);
	ct_place(t, &n, 0, 0);
	KUNIT_ASSERT_EQ(test, ct_ins(t, &n, 0), 0);
	KUNIT_EXPECT_NULL(test, ct_get(t, &u[0], NULL));
	KUNIT_EXPECT_NOT_NULL(test, ct_get(t, &u[1], NULL));
	ct_stats(t, &st);
	KUNIT_EXPECT_EQ(test, st.cnt[NG_CT_CNT_EVICT_IDLE], 1ULL);
	KUNIT_EXPECT_EQ(test, st.cnt[NG_CT_CNT_REFUSED_FULL], 0ULL);
	KUNIT_EXPECT_EQ(test, st.count, 48U);
	for (i = 0; i < 16; i++)
		KUNIT_EXPECT_NOT_NULL(test, ct_get(t, &e[i], NULL));
}

static void ng_ct_test_refuse_established(struct kunit *test)
{
	struct ng_conntab *t = ct_new(test, 32, false);
	struct ng_conn_key *e, n, r;
	struct ng_conntab_stats st;
	unsigned int i;

	e = kunit_kcalloc(test, 32, sizeof(*e), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, e);

	for (i = 0; i < 32; i++) {
		ct_key4(&e[i], IPPROTO_TCP, 0x0a000001, 0x0a000100 + i, 3000, 22);
		ct_place(t, &e[i], 0, CT_WIN_LAST);
		KUNIT_ASSERT_EQ(test, ct_establish(t, &e[i]), 0);
	}
	ct_at(t, 3600 * 1000);
	ct_key4(&n, IPPROTO_TCP, 0x0a000002, 0x0a000003, 3000, 22);
	ct_place(t, &n, 0, 0);
	KUNIT_EXPECT_EQ(test, ct_ins(t, &n, NG_TCP_SYN), -ENOSPC);
	ct_key4(&n, IPPROTO_UDP, 0x0a000002, 0x0a000003, 3000, 22);
	ct_place(t, &n, 0, 0);
	KUNIT_EXPECT_EQ(test, ct_ins(t, &n, 0), -ENOSPC);
	KUNIT_EXPECT_EQ(test, ct_ins(t, &e[5], NG_TCP_SYN), -EEXIST);
	ct_stats(t, &st);
	KUNIT_EXPECT_EQ(test, st.count, 32U);
	KUNIT_EXPECT_EQ(test, st.cnt[NG_CT_CNT_REFUSED_FULL], 2ULL);
	KUNIT_EXPECT_EQ(test, st.cnt[NG_CT_CNT_EVICT_HALFOPEN] +
			st.cnt[NG_CT_CNT_EVICT_IDLE] + st.cnt[NG_CT_CNT_EVICT_EXPIRED], 0ULL);
	for (i = 0; i < 32; i++)
		KUNIT_EXPECT_NOT_NULL(test, ct_get(t, &e[i], NULL));

	/* One of them closes: it becomes the victim. */
	r = ct_rev(&e[9]);
	KUNIT_EXPECT_EQ(test, ct_pkt(t, &r, NG_TCP_FIN | NG_TCP_ACK), 0);
	KUNIT_EXPECT_EQ(test, ct_ins(t, &n, 0), 0);
	KUNIT_EXPECT_NULL(test, ct_get(t, &e[9], NULL));
	ct_stats(t, &st);
	KUNIT_EXPECT_EQ(test, st.cnt[NG_CT_CNT_EVICT_HALFOPEN], 1ULL);
	KUNIT_EXPECT_EQ(test, st.established, 31U);
}

/*
 * The eviction window is NG_CT_EVICT_BUCKETS buckets from the new key's:
 * a half-open entry outside it is not found (the insert is refused in
 * bounded time), one inside it is evicted.
 */
static void ng_ct_test_evict_window(struct kunit *test)
{
	struct ng_conntab *t = ct_new(test, 64, false);
	struct ng_conn_key k, half, n;
	struct ng_conntab_stats st;
	unsigned int i;

	for (i = 0; i < 63; i++) {
		ct_key4(&k, IPPROTO_TCP, 0x0a000001, 0x0a000100 + i, 3000, 22);
		ct_place(t, &k, 16, 255);
		KUNIT_ASSERT_EQ(test, ct_establish(t, &k), 0);
	}
	ct_key4(&half, IPPROTO_TCP, 0x0a000002, 0x0a000003, 3000, 22);
	ct_place(t, &half, 100, 100);
	KUNIT_ASSERT_EQ(test, ct_ins(t, &half, NG_TCP_SYN), 0);

	ct_key4(&n, IPPROTO_UDP, 0x0a000004, 0x0a000005, 53, 53);
	ct_place(t, &n, 0, 0);
	KUNIT_EXPECT_EQ(test, ct_ins(t, &n, 0), -ENOSPC);
	KUNIT_EXPECT_NOT_NULL(test, ct_get(t, &half, NULL));
	ct_place(t, &n, 100 - CT_WIN_LAST, 100 - CT_WIN_LAST);
	KUNIT_EXPECT_EQ(test, ct_ins(t, &n, 0), 0);
	KUNIT_EXPECT_NULL(test, ct_get(t, &half, NULL));
	ct_stats(t, &st);
	KUNIT_EXPECT_EQ(test, st.cnt[NG_CT_CNT_REFUSED_FULL], 1ULL);
	KUNIT_EXPECT_EQ(test, st.cnt[NG_CT_CNT_EVICT_HALFOPEN], 1ULL);
	KUNIT_EXPECT_EQ(test, st.count, 64U);
}

static int ct_ins_src(struct ng_conntab *t, const struct ng_conn_key *k,
		      const struct ng_src_key *src, u32 limit)
{
	struct ng_conn *c;
	int err;

	rcu_read_lock();
	err = ng_conntab_insert(t, k, 7, NG_TCP_SYN, src, limit, &c);
	rcu_read_unlock();
	return err;
}

static u32 ct_held(struct ng_conntab *t, const struct ng_src_key *src)
{
	u32 n;

	rcu_read_lock();
	n = ng_conntab_src_held(t, src);
	rcu_read_unlock();
	return n;
}

/* "limit source": slots taken on insert, given back however entries go. */
static void ng_ct_test_source_limit(struct kunit *test)
{
	struct ng_conntab *t = ct_new(test, 8, false);
	struct ng_conn_key k[8], other;
	struct ng_conntab_stats st;
	struct ng_src_key a, b;
	unsigned int i;

	ct_src4(&a, 1);
	ct_src4(&b, 2);
	for (i = 0; i < 8; i++) {
		ct_key4(&k[i], IPPROTO_TCP, 0x0a000001, 0x0a000100 + i, 4000, 22);
		ct_place(t, &k[i], 0, CT_WIN_LAST);
	}
	for (i = 0; i < 3; i++)
		KUNIT_ASSERT_EQ(test, ct_ins_src(t, &k[i], &a, 3), 0);
	KUNIT_EXPECT_EQ(test, ct_held(t, &a), 3U);
	/* At the limit: refused; a connection it already has: -EEXIST. */
	KUNIT_EXPECT_EQ(test, ct_ins_src(t, &k[3], &a, 3), -EDQUOT);
	KUNIT_EXPECT_NULL(test, ct_get(t, &k[3], NULL));
	KUNIT_EXPECT_EQ(test, ct_ins_src(t, &k[1], &a, 3), -EEXIST);
	KUNIT_EXPECT_EQ(test, ct_held(t, &a), 3U);
	/* Another source and uncounted entries are not affected. */
	KUNIT_EXPECT_EQ(test, ct_ins_src(t, &k[3], &b, 1), 0);
	KUNIT_EXPECT_EQ(test, ct_ins(t, &k[4], NG_TCP_SYN), 0);
	ct_stats(t, &st);
	KUNIT_EXPECT_EQ(test, st.sources, 2U);
	KUNIT_EXPECT_EQ(test, st.count, 5U);
	/* Delete, RST-close and expiry give slots back. */
	rcu_read_lock();
	ng_conntab_delete(t, ng_conntab_lookup(t, &k[0], &(bool){ false }));
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, ct_held(t, &a), 2U);
	KUNIT_EXPECT_EQ(test, ct_ins_src(t, &k[5], &a, 3), 0);
	KUNIT_EXPECT_EQ(test, ct_ins_src(t, &k[6], &a, 3), -EDQUOT);
	/* A higher limit in a new policy admits more at once. */
	KUNIT_EXPECT_EQ(test, ct_ins_src(t, &k[6], &a, 4), 0);
	KUNIT_EXPECT_EQ(test, ct_held(t, &a), 4U);
	/* The SYN entries expire after 60 s: the GC gives their slots back. */
	ct_at(t, 61000);
	mutex_lock(&t->mutex);
	t->gc_cursor = 0;
	while (!ng_ct_gc_pass(t, ng_ct_now(t), NG_CT_GC_BUCKETS))
		;
	mutex_unlock(&t->mutex);
	KUNIT_EXPECT_EQ(test, ct_held(t, &a), 0U);
	KUNIT_EXPECT_EQ(test, ct_held(t, &b), 0U);
	ct_stats(t, &st);
	KUNIT_EXPECT_EQ(test, st.sources, 0U);
	KUNIT_EXPECT_EQ(test, st.count, 0U);
	/* Eviction of a counted entry by a full table gives its slot back. */
	for (i = 0; i < 8; i++)
		KUNIT_ASSERT_EQ(test, ct_ins_src(t, &k[i], &a, 100), 0);
	ct_key4(&other, IPPROTO_UDP, 0x0a000009, 0x0a00000a, 1, 1);
	ct_place(t, &other, 0, 0);
	KUNIT_EXPECT_EQ(test, ct_ins(t, &other, 0), 0);
	KUNIT_EXPECT_EQ(test, ct_held(t, &a), 7U);
	ng_conntab_flush(t);
	KUNIT_EXPECT_EQ(test, ct_held(t, &a), 0U);
	ct_stats(t, &st);
	KUNIT_EXPECT_EQ(test, st.sources, 0U);
}

static void ng_ct_test_chain_bound(struct kunit *test)
{
	struct ng_conntab *t = ct_new(test, 4096, false);
	struct ng_conn_key *keys, k;
	struct ng_conntab_stats st;
	unsigned int n = 0, tries = 0, i;
	u64 rng = get_random_u64() | 1;

	keys = kunit_kcalloc(test, NG_CT_CHAIN_MAX + 2, sizeof(*keys), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, keys);
	/* Keys that all fall into bucket 0 of the 256. */
	while (n < NG_CT_CHAIN_MAX + 2 && tries++ < 1000000) {
		ct_key4(&k, IPPROTO_TCP, (u32)ct_rng(&rng), 0x0a000001, 1, 80);
		if (!(ng_ct_hash(t, &k) & 255))
			keys[n++] = k;
	}
	KUNIT_ASSERT_EQ(test, n, NG_CT_CHAIN_MAX + 2);
	kunit_info(test, "%u colliding keys from %u random ones\n", n, tries);
	for (i = 0; i < NG_CT_CHAIN_MAX - 1; i++)
		KUNIT_ASSERT_EQ(test, ct_establish(t, &keys[i]), 0);
	/* The last slot: a half-open one. */
	KUNIT_ASSERT_EQ(test, ct_ins(t, &keys[i], NG_TCP_SYN), 0);
	for (i = 0; i < NG_CT_CHAIN_MAX; i++)
		KUNIT_EXPECT_NOT_NULL(test, ct_get(t, &keys[i], NULL));
	/* Chain full: the half-open one makes room, then nothing can. */
	KUNIT_EXPECT_EQ(test, ct_ins(t, &keys[NG_CT_CHAIN_MAX], NG_TCP_SYN), 0);
	KUNIT_EXPECT_NULL(test, ct_get(t, &keys[NG_CT_CHAIN_MAX - 1], NULL));
	k = ct_rev(&keys[NG_CT_CHAIN_MAX]);
	KUNIT_EXPECT_EQ(test, ct_pkt(t, &k, NG_TCP_SYN | NG_TCP_ACK), 0);
	KUNIT_EXPECT_EQ(test, ct_pkt(t, &keys[NG_CT_CHAIN_MAX], NG_TCP_ACK), 0);
	KUNIT_EXPECT_EQ(test, ct_ins(t, &keys[NG_CT_CHAIN_MAX + 1], NG_TCP_SYN), -ENOSPC);
	ct_stats(t, &st);
	KUNIT_EXPECT_EQ(test, st.count, (u32)NG_CT_CHAIN_MAX);
	KUNIT_EXPECT_EQ(test, st.established, (u32)NG_CT_CHAIN_MAX);
	KUNIT_EXPECT_EQ(test, st.cnt[NG_CT_CNT_EVICT_HALFOPEN], 1ULL);
	KUNIT_EXPECT_EQ(test, st.cnt[NG_CT_CNT_REFUSED_CHAIN], 1ULL);
	KUNIT_EXPECT_EQ(test, st.cnt[NG_CT_CNT_REFUSED_FULL], 0ULL);
	/* A lookup stops after NG_CT_WALK_MAX entries, even on a long chain. */
	KUNIT_EXPECT_GE(test, NG_CT_WALK_MAX, NG_CT_CHAIN_MAX);
}

static void ng_ct_test_set_max(struct kunit *test)
{
	struct ng_conntab *t = ct_new(test, 64, false);
	struct ng_conn_key k;
	struct ng_conntab_stats st;
	unsigned int i;

	/* 8 UDP that will have expired, 16 established, 16 half-open, 16 UDP. */
	ct_at(t, 0);
	for (i = 0; i < 8; i++) {
		ct_key4(&k, IPPROTO_UDP, 0x0a000001, 0x0a030000 + i, 9, 9);
		KUNIT_ASSERT_EQ(test, ct_ins(t, &k, 0), 0);
	}
	ct_at(t, 40000);
	for (i = 0; i < 16; i++) {
		ct_key4(&k, IPPROTO_TCP, 0x0a000001, 0x0a040000 + i, 9, 9);
		KUNIT_ASSERT_EQ(test, ct_establish(t, &k), 0);
		ct_key4(&k, IPPROTO_TCP, 0x0a000001, 0x0a050000 + i, 9, 9);
		KUNIT_ASSERT_EQ(test, ct_ins(t, &k, NG_TCP_SYN), 0);
		ct_key4(&k, IPPROTO_UDP, 0x0a000001, 0x0a060000 + i, 9, 9);
		KUNIT_ASSERT_EQ(test, ct_ins(t, &k, 0), 0);
	}
	ct_at(t, 41000);
	KUNIT_EXPECT_EQ(test, ng_conntab_set_max(t, 40), 0);
	ct_stats(t, &st);
	KUNIT_EXPECT_EQ(test, st.count, 40U);
	KUNIT_EXPECT_EQ(test, st.max, 40U);
	KUNIT_EXPECT_EQ(test, st.cnt[NG_CT_CNT_EVICT_EXPIRED], 8ULL);
	KUNIT_EXPECT_EQ(test, st.cnt[NG_CT_CNT_EVICT_HALFOPEN], 8ULL);

	KUNIT_EXPECT_EQ(test, ng_conntab_set_max(t, 20), 0);
	ct_stats(t, &st);
	KUNIT_EXPECT_EQ(test, st.count, 20U);
	KUNIT_EXPECT_EQ(test, st.cnt[NG_CT_CNT_EVICT_HALFOPEN], 16ULL);
	KUNIT_EXPECT_EQ(test, st.cnt[NG_CT_CNT_EVICT_IDLE], 12ULL);

	KUNIT_EXPECT_EQ(test, ng_conntab_set_max(t, 8), 0);
	ct_stats(t, &st);
	KUNIT_EXPECT_EQ(test, st.count, 16U);	/* established stay */
	KUNIT_EXPECT_EQ(test, st.established, 16U);
	KUNIT_EXPECT_EQ(test, st.cnt[NG_CT_CNT_EVICT_IDLE], 16ULL);
	ct_key4(&k, IPPROTO_UDP, 0x0a000001, 0x0a070000, 9, 9);
	KUNIT_EXPECT_EQ(test, ct_ins(t, &k, 0), -ENOSPC);
	KUNIT_EXPECT_EQ(test, ng_conntab_set_max(t, NG_CONNTAB_LIMIT + 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, ng_conntab_set_max(t, 17), 0);
	KUNIT_EXPECT_EQ(test, ct_ins(t, &k, 0), 0);
	KUNIT_EXPECT_EQ(test, ng_conntab_set_max(t, 0), 0);
	ct_stats(t, &st);
	KUNIT_EXPECT_EQ(test, st.max, ng_conntab_default_max());
	KUNIT_EXPECT_EQ(test, st.count, 17U);
}

struct ct_prune_ctx {
	unsigned int calls;
	bool keep_all;
};

/* Keep even source ports (relabelled), drop odd ones. */
static bool ct_prune_keep(struct ng_conn *c, void *arg)
{
	struct ct_prune_ctx *p = arg;

	p->calls++;
	if (p->keep_all)
		return true;
	if (ntohs(c->key.port[c->key.dir]) & 1)
		return false;
	WRITE_ONCE(c->rule, 99);
	return true;
}

/* Source port 1000 + i: TCP established, UDP, v6 TCP half-open. */
static void ct_prune_key(struct ng_conn_key *k, unsigned int i)
{
	switch (i % 3) {
	case 0:
		ct_key4(k, IPPROTO_TCP, 0x0a000000 + i, 0x0a0a0a0a, 1000 + i, 443);
		break;
	case 1:
		ct_key4(k, IPPROTO_UDP, 0x0a0a0a0a, 0x0a000000 + i, 1000 + i, 53);
		break;
	default:
		ct_key6(k, IPPROTO_TCP, 7, i, 1000 + i, 22);
		break;
	}
}

static bool ct_prune_none(struct ng_conn *c, void *arg)
{
	return false;
}

static void ng_ct_test_prune(struct kunit *test)
{
	const unsigned int n = 900;
	struct ng_conntab *t = ct_new(test, 4096, false);
	struct ct_prune_ctx ctx = {};
	struct ng_conntab_stats st;
	unsigned int i, est = 0, est_kept = 0;
	struct ng_conn_key k;
	struct ng_conn *c;

	for (i = 0; i < n; i++) {
		ct_prune_key(&k, i);
		if (i % 3) {
			KUNIT_ASSERT_EQ(test, ct_ins(t, &k, NG_TCP_SYN), 0);
			continue;
		}
		KUNIT_ASSERT_EQ(test, ct_establish(t, &k), 0);
		est++;
		est_kept += !(i & 1);
	}
	/* More buckets than lock stripes, so the walk covers both. */
	mutex_lock(&t->mutex);
	KUNIT_EXPECT_EQ(test, ng_ct_resize(t, 1024), 0);
	mutex_unlock(&t->mutex);
	ct_stats(t, &st);
	KUNIT_ASSERT_EQ(test, st.count, n);
	KUNIT_ASSERT_EQ(test, st.established, est);

	KUNIT_EXPECT_EQ(test, ng_conntab_prune(t, ct_prune_keep, &ctx), n / 2);
	KUNIT_EXPECT_EQ(test, ctx.calls, n);
	ct_stats(t, &st);
	KUNIT_EXPECT_EQ(test, st.count, n - n / 2);
	KUNIT_EXPECT_EQ(test, st.established, est_kept);
	KUNIT_EXPECT_EQ(test, st.cnt[NG_CT_CNT_PRUNED], (u64)(n / 2));
	KUNIT_EXPECT_EQ(test, st.cnt[NG_CT_CNT_GC_FREED], 0ULL);
	for (i = 0; i < n; i++) {
		ct_prune_key(&k, i);
		c = ct_get(t, &k, NULL);
		if (i & 1) {
			KUNIT_EXPECT_NULL_MSG(test, c, "entry %u", i);
			continue;
		}
		KUNIT_EXPECT_NOT_NULL_MSG(test, c, "entry %u", i);
		if (!c)
			continue;
		KUNIT_EXPECT_EQ(test, c->rule, 99U);
		/* From either direction. */
		k.dir = !k.dir;
		KUNIT_EXPECT_PTR_EQ(test, ct_get(t, &k, NULL), c);
	}
	/* A removed connection can start again. */
	ct_prune_key(&k, 1);
	KUNIT_EXPECT_EQ(test, ct_ins(t, &k, 0), 0);

	/* Keeping everything removes nothing; then everything goes. */
	ctx = (struct ct_prune_ctx){ .keep_all = true };
	KUNIT_EXPECT_EQ(test, ng_conntab_prune(t, ct_prune_keep, &ctx), 0U);
	KUNIT_EXPECT_EQ(test, ctx.calls, n - n / 2 + 1);
	ct_stats(t, &st);
	KUNIT_EXPECT_EQ(test, st.count, n - n / 2 + 1);
	KUNIT_EXPECT_EQ(test, st.cnt[NG_CT_CNT_PRUNED], (u64)(n / 2));
	KUNIT_EXPECT_EQ(test, ng_conntab_prune(t, ct_prune_none, NULL), n - n / 2 + 1);
	ct_stats(t, &st);
	KUNIT_EXPECT_EQ(test, st.count, 0U);
	KUNIT_EXPECT_EQ(test, st.established, 0U);
	KUNIT_EXPECT_EQ(test, st.cnt[NG_CT_CNT_PRUNED], (u64)(n + 1));
	/* An empty table. */
	KUNIT_EXPECT_EQ(test, ng_conntab_prune(t, ct_prune_none, NULL), 0U);
}

struct ct_ref {
	struct ng_conn_key key;
	bool present;
	u8 dir;			/* of the packet that inserted it */
};

/* From small address and port spaces, so directions and ports collide. */
static void ct_rand_key(struct ng_conn_key *k, u64 *rng)
{
	u64 x = ct_rng(rng);
	u8 proto = x & 1 ? IPPROTO_TCP : IPPROTO_UDP;

	if (x & 2)
		ct_key4(k, proto, 0x0a000000 | (x >> 8 & 0xff),
			0x0a000000 | (x >> 16 & 0xff), x >> 24 & 3, x >> 26 & 3);
	else
		ct_key6(k, proto, x >> 8 & 0xff, x >> 16 & 0xff, x >> 24 & 3,
			x >> 26 & 3);
}

static int ct_walk_count(const struct ng_conn *c, void *arg)
{
	(*(unsigned int *)arg)++;
	return 0;
}

/* Random operations against an array of expected presence. */
static void ng_ct_test_random(struct kunit *test)
{
	const unsigned int nkeys = 512, nops = 20000;
	struct ng_conntab *t = ct_new(test, 4096, false);
	struct ng_conntab_iter it = {};
	struct ng_conntab_stats st;
	unsigned int i, live = 0, walked = 0;
	u64 seed = get_random_u64() | 1, rng = seed;
	struct ct_ref *ref;
	struct ng_conn *c;
	bool reply;
	int err;

	kunit_info(test, "seed %llu\n", seed);
	ref = kunit_kcalloc(test, nkeys, sizeof(*ref), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ref);
	/* Distinct keys: the table itself weeds out repeats. */
	for (i = 0; i < nkeys; i++) {
		do {
			ct_rand_key(&ref[i].key, &rng);
		} while (ct_get(t, &ref[i].key, NULL));
		KUNIT_ASSERT_EQ(test, ct_ins(t, &ref[i].key, NG_TCP_SYN), 0);
	}
	ng_conntab_flush(t);

	for (i = 0; i < nops; i++) {
		u64 x = ct_rng(&rng);
		struct ct_ref *r = &ref[(x >> 8) % nkeys];
		struct ng_conn_key k = r->key;

		if (x & 16)
			k.dir = !k.dir;
		switch (x & 3) {
		case 0:		/* insert */
			err = ct_ins(t, &k, NG_TCP_SYN);
			KUNIT_EXPECT_EQ(test, err, r->present ? -EEXIST : 0);
			if (!err) {
				r->present = true;
				r->dir = k.dir;
				live++;
			}
			break;
		case 1:		/* delete */
			rcu_read_lock();
			c = ng_conntab_lookup(t, &k, &reply);
			if (c)
				ng_conntab_delete(t, c);
			rcu_read_unlock();
			KUNIT_EXPECT_EQ(test, !!c, r->present);
			if (c) {
				r->present = false;
				live--;
			}
			break;
		default:	/* lookup + update */
			rcu_read_lock();
			c = ng_conntab_lookup(t, &k, &reply);
			KUNIT_EXPECT_EQ(test, !!c, r->present);
			if (c) {
				KUNIT_EXPECT_EQ(test, reply, k.dir != r->dir);
				ng_conn_update(t, c, reply, NG_TCP_ACK);
			}
			rcu_read_unlock();
			break;
		}
		if (i == nops / 2) {
			mutex_lock(&t->mutex);
			KUNIT_EXPECT_EQ(test, ng_ct_resize(t, 2048), 0);
			mutex_unlock(&t->mutex);
		}
		if (!(i % 1000)) {
			ct_stats(t, &st);
			KUNIT_ASSERT_EQ(test, st.count, live);
		}
	}
	rcu_read_lock();
	KUNIT_EXPECT_EQ(test, ng_conntab_walk(t, &it, ct_walk_count, &walked), 0);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, walked, live);
	ct_stats(t, &st);
	KUNIT_EXPECT_EQ(test, st.buckets, 2048U);
	KUNIT_EXPECT_EQ(test, st.count, live);
	for (i = 0; i < nkeys; i++)
		KUNIT_EXPECT_EQ(test, !!ct_get(t, &ref[i].key, NULL), ref[i].present);
}

struct ct_walk_ctx {
	unsigned int seen, budget;
	u8 mark[100];
};

static int ct_walk_some(const struct ng_conn *c, void *arg)
{
	struct ct_walk_ctx *w = arg;
	u32 i = ntohl(*(__be32 *)c->key.addr[1]) - 0x0a090000;

	if (!w->budget)
		return -EMSGSIZE;
	w->budget--;
	if (i < 100)
		w->mark[i]++;
	w->seen++;
	return 0;
}

static void ng_ct_test_walk(struct kunit *test)
{
	struct ng_conntab *t = ct_new(test, 1024, false);
	struct ng_conntab_iter it = {};
	struct ct_walk_ctx w = {};
	struct ng_conn_key k;
	unsigned int i, calls = 0;
	int ret;

	for (i = 0; i < 100; i++) {
		ct_key4(&k, IPPROTO_UDP, 0x0a000001, 0x0a090000 + i, 9, 9);
		KUNIT_ASSERT_EQ(test, ct_ins(t, &k, 0), 0);
	}
	/* Messages that hold 7 entries each. */
	do {
		w.budget = 7;
		rcu_read_lock();
		ret = ng_conntab_walk(t, &it, ct_walk_some, &w);
		rcu_read_unlock();
		calls++;
	} while (ret == -EMSGSIZE && calls < 100);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, it.bucket, NG_CONNTAB_ITER_END);
	KUNIT_EXPECT_EQ(test, w.seen, 100U);
	KUNIT_EXPECT_EQ(test, calls, 15U);
	for (i = 0; i < 100; i++)
		KUNIT_EXPECT_EQ(test, w.mark[i], 1);
	/* A finished cursor stays finished; expired entries are skipped. */
	rcu_read_lock();
	KUNIT_EXPECT_EQ(test, ng_conntab_walk(t, &it, ct_walk_some, &w), 0);
	rcu_read_unlock();
	it.bucket = 0;
	w.seen = 0;
	w.budget = 1000;
	ct_at(t, 30000);
	rcu_read_lock();
	KUNIT_EXPECT_EQ(test, ng_conntab_walk(t, &it, ct_walk_some, &w), 0);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, w.seen, 0U);
}

/* Two writers and the control plane racing: lockdep, KASAN, counts. */
#define CT_STRESS_SOURCES	16
#define CT_STRESS_SRC_LIMIT	200

struct ct_stress {
	struct ng_conntab *t;
	struct ng_conn_key *keys;
	unsigned int nkeys, nops;
	u64 seed;
	atomic_t errors;
	struct completion done;
};

static int ct_stress_thread(void *arg)
{
	struct ct_stress *s = arg;
	u64 rng = s->seed;
	struct ng_conn *c;
	unsigned int i;
	bool reply;
	int err;

	for (i = 0; i < s->nops; i++) {
		u64 x = ct_rng(&rng);
		u32 idx = (x >> 8) % s->nkeys;
		struct ng_conn_key k = s->keys[idx];
		struct ng_src_key src;

		if (x & 16)
			k.dir = !k.dir;
		ct_src4(&src, idx % CT_STRESS_SOURCES);
		rcu_read_lock();
		switch (x & 3) {
		case 0:
			/* Every entry holds a slot of one of 16 sources. */
			err = ng_conntab_insert(s->t, &k, 0, NG_TCP_SYN, &src,
						CT_STRESS_SRC_LIMIT, &c);
			if (err && err != -EEXIST && err != -ENOSPC &&
			    err != -EDQUOT)
				atomic_inc(&s->errors);
			break;
		case 1:
			c = ng_conntab_lookup(s->t, &k, &reply);
			if (c)
				ng_conntab_delete(s->t, c);
			break;
		default:
			c = ng_conntab_lookup(s->t, &k, &reply);
			if (c)
				ng_conn_update(s->t, c, reply, x & 4 ? NG_TCP_ACK :
					       NG_TCP_SYN | NG_TCP_ACK);
			break;
		}
		rcu_read_unlock();
		if (!(i & 255))
			cond_resched();
	}
	complete(&s->done);
	return 0;
}

static int ct_walk_prot(const struct ng_conn *c, void *arg)
{
	if (ng_conn_protected(c))
		(*(unsigned int *)arg)++;
	return 0;
}

static void ng_ct_test_concurrent(struct kunit *test)
{
	struct ng_conntab *t = ct_new(test, 3000, false);
	struct ct_stress s[2];
	struct ng_conntab_iter it = {};
	struct ng_conntab_stats st;
	struct ng_conn_key *keys;
	struct task_struct *th;
	unsigned int i, n = 0, prot = 0, size = 512, held = 0, h;
	u64 rng = get_random_u64() | 1;
	struct ng_src_key src;

	keys = kunit_kcalloc(test, 4096, sizeof(*keys), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, keys);
	for (i = 0; i < 4096; i++)
		ct_key4(&keys[i], IPPROTO_TCP, 0x0a000000 + i, 0x0a0a0a0a,
			(u16)ct_rng(&rng), 443);
	for (i = 0; i < 2; i++) {
		s[i] = (struct ct_stress){ .t = t, .keys = keys, .nkeys = 4096,
					   .nops = 20000, .seed = ct_rng(&rng) | 1 };
		init_completion(&s[i].done);
		th = kthread_run(ct_stress_thread, &s[i], "ngct_stress%u", i);
		KUNIT_EXPECT_FALSE(test, IS_ERR(th));
		if (IS_ERR(th))
			complete(&s[i].done);
	}
	/* Meanwhile: resizes, GC passes, limit changes. */
	while (!completion_done(&s[0].done) || !completion_done(&s[1].done)) {
		mutex_lock(&t->mutex);
		if (size < 4096) {
			size *= 2;
			KUNIT_EXPECT_EQ(test, ng_ct_resize(t, size), 0);
		}
		ng_ct_gc_pass(t, ng_ct_now(t), 64);
		mutex_unlock(&t->mutex);
		/* Every 8th round: a full trim is slow under KASAN and TCG. */
		if (!(n++ & 7))
			ng_conntab_set_max(t, n & 8 ? 1000 : 3000);
		WRITE_ONCE(t->fake_now, t->fake_now + HZ);
		msleep(20);
	}
	wait_for_completion(&s[0].done);
	wait_for_completion(&s[1].done);
	KUNIT_EXPECT_EQ(test, atomic_read(&s[0].errors) + atomic_read(&s[1].errors), 0);
	/* Reap what expired on the moving clock; then count three ways. */
	mutex_lock(&t->mutex);
	while (size < 4096) {
		size *= 2;
		KUNIT_EXPECT_EQ(test, ng_ct_resize(t, size), 0);
	}
	t->gc_cursor = 0;
	while (!ng_ct_gc_pass(t, ng_ct_now(t), NG_CT_GC_BUCKETS))
		;
	mutex_unlock(&t->mutex);
	n = 0;
	rcu_read_lock();
	ng_conntab_walk(t, &it, ct_walk_count, &n);
	it = (struct ng_conntab_iter){};
	ng_conntab_walk(t, &it, ct_walk_prot, &prot);
	rcu_read_unlock();
	ct_stats(t, &st);
	kunit_info(test, "%u entries (%u established) in %u buckets, %llu inserts, %llu evictions, %llu refused\n",
		   st.count, st.established, st.buckets, st.cnt[NG_CT_CNT_INSERTS],
		   st.cnt[NG_CT_CNT_EVICT_HALFOPEN] + st.cnt[NG_CT_CNT_EVICT_IDLE] +
		   st.cnt[NG_CT_CNT_EVICT_EXPIRED], st.cnt[NG_CT_CNT_REFUSED_FULL]);
	KUNIT_EXPECT_EQ(test, st.count, n);
	KUNIT_EXPECT_EQ(test, st.established, prot);
	KUNIT_EXPECT_EQ(test, st.buckets, 4096U);
	/* Slots: one per entry, none over the limit, none leaked. */
	rcu_read_lock();
	for (i = 0; i < CT_STRESS_SOURCES; i++) {
		ct_src4(&src, i);
		h = ng_conntab_src_held(t, &src);
		KUNIT_EXPECT_LE(test, h, (u32)CT_STRESS_SRC_LIMIT);
		held += h;
	}
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, held, st.count);
	KUNIT_EXPECT_LE(test, st.sources, (u32)CT_STRESS_SOURCES);
	for (i = 0; i < 4096; i++)
		if (ct_get(t, &keys[i], NULL))
			n--;
	KUNIT_EXPECT_EQ(test, n, 0U);
	ng_conntab_flush(t);
	ct_stats(t, &st);
	KUNIT_EXPECT_EQ(test, st.count, 0U);
	KUNIT_EXPECT_EQ(test, st.established, 0U);
	KUNIT_EXPECT_EQ(test, st.sources, 0U);
}

static struct kunit_case ng_ct_test_cases[] = {
	KUNIT_CASE(ng_ct_test_size),
	KUNIT_CASE(ng_ct_test_directions),
	KUNIT_CASE(ng_ct_test_tcp_states),
	KUNIT_CASE(ng_ct_test_other_timeouts),
	KUNIT_CASE(ng_ct_test_gc),
	KUNIT_CASE(ng_ct_test_gc_work),
	KUNIT_CASE(ng_ct_test_evict_order),
	KUNIT_CASE(ng_ct_test_refuse_established),
	KUNIT_CASE(ng_ct_test_evict_window),
	KUNIT_CASE(ng_ct_test_source_limit),
	KUNIT_CASE(ng_ct_test_chain_bound),
	KUNIT_CASE(ng_ct_test_set_max),
	KUNIT_CASE(ng_ct_test_prune),
	KUNIT_CASE(ng_ct_test_random),
	KUNIT_CASE(ng_ct_test_walk),
	KUNIT_CASE(ng_ct_test_concurrent),
	{}
};

static struct kunit_suite ng_ct_test_suite = {
	.name = "nguard_conntab",
	.init = ct_init,
	.exit = ct_exit,
	.test_cases = ng_ct_test_cases,
};

kunit_test_suite(ng_ct_test_suite);
