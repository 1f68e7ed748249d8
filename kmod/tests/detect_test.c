// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite for anomaly detection and the token buckets: the tracker
 * table (kmod/tracker.c), the detectors (kmod/detect.c), the log bucket
 * (kmod/log.c), all included below, and the per-connection limit
 * (kmod/ratelimit.h). Time is driven by hand: the detectors and
 * __ng_limit_take() take `now`, the log bucket's clock is moved by
 * rewinding its `last`. Covers the takeover order of a full bucket and a
 * random sequence against a naive model of one bucket, psd scoring and its
 * reset after a pause, sweep counting and its window, the synflood bucket
 * (burst, refill, cap, 32-bit wrap, overflow), the packet and byte buckets
 * (burst, refill precision over 10 s, GSO, large rates and gaps), the log
 * bucket and its counters, and ng_detect() end to end (counters, verdicts,
 * scopes, monitor mode). Most cases start just before the jiffies wrap.
 *
 * ng_detect() only says what fired (detect.c calls nothing above the
 * tracker table): dt_detect() turns its result into the verdict and
 * counts the reports and quarantine requests enforce.c would make. The
 * .c files come before <kunit/test.h> so that their pr_fmt() is the one
 * printk.h sees.
 */
#include "../log.c"
#include "../tracker.c"
#include "../detect.c"
#include "../ratelimit.h"
#include <kunit/test.h>
#include <linux/random.h>
#include "compat.h"

#define DT_T0		((u32)(-20 * HZ))	/* wraps 20 s into a case */
#define DT_MAXT		4
#define ANY		NGUARD_SEGMENT_ANY

struct dt_ctx {
	struct ng_net *nn;
	struct ng_trk *t[DT_MAXT];
	struct ng_policy *p;
	struct ng_log *log;		/* ng_log_exit() at the end */
	struct ng_stats_snapshot snap;
};

/* What enforce.c would have done with the results so far. */
static struct {
	u32 reports, blocks;
	u8 kind, action;
	u32 count, block_secs;
} dt_calls;

/* The policy's verdict dt_detect() passes on: deny unless a case says. */
static u8 dt_verdict = NGUARD_VERDICT_DENY;

static int dt_init(struct kunit *test)
{
	struct dt_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return -ENOMEM;
	ctx->nn = kunit_kzalloc(test, sizeof(*ctx->nn), GFP_KERNEL);
	if (!ctx->nn || ng_stats_init(&ctx->nn->stats, GFP_KERNEL))
		return -ENOMEM;
	memset(&dt_calls, 0, sizeof(dt_calls));
	dt_verdict = NGUARD_VERDICT_DENY;
	test->priv = ctx;
	return 0;
}

static void dt_exit(struct kunit *test)
{
	struct dt_ctx *ctx = test->priv;
	unsigned int i;

	if (ctx->log)
		ng_log_exit(ctx->log);
	for (i = 0; i < DT_MAXT; i++)
		ng_trk_destroy(ctx->t[i]);
	kfree(ctx->p);
	ng_stats_destroy(&ctx->nn->stats);
}

static struct ng_net *dt_nn(struct kunit *test)
{
	return ((struct dt_ctx *)test->priv)->nn;
}

/* A tracker table of @slots, destroyed by dt_exit(). */
static struct ng_trk *dt_table(struct kunit *test, u32 slots)
{
	struct dt_ctx *ctx = test->priv;
	unsigned int i;

	for (i = 0; i < DT_MAXT && ctx->t[i]; i++)
		;
	KUNIT_ASSERT_LT(test, i, DT_MAXT);
	ctx->t[i] = ng_trk_create(slots);
	KUNIT_ASSERT_NOT_NULL(test, ctx->t[i]);
	return ctx->t[i];
}

static u64 dt_cnt(struct kunit *test, enum nguard_counter id)
{
	struct dt_ctx *ctx = test->priv;

	ng_stats_read(&ctx->nn->stats, &ctx->snap);
	return ctx->snap.cnt[id];
}

static u64 dt_rng(u64 *s)
{
	u64 x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

static void dt_addr(u8 *a, u8 family, u32 n)
{
	static const u8 pfx[12] = { 0x20, 0x01, 0x0d, 0xb8 };

	memset(a, 0, 16);
	if (family == 6) {
		memcpy(a, pfx, sizeof(pfx));
		put_unaligned_be32(n, a + 12);
	} else {
		put_unaligned_be32(n, a);
	}
}

static void dt_pkt(struct ng_pkt *pkt, u8 family, u32 src, u32 dst, u8 proto,
		   u16 dport, u8 tcp_flags)
{
	memset(pkt, 0, sizeof(*pkt));
	pkt->family = family;
	pkt->proto = proto;
	pkt->kind = NG_PKT_FLOW;
	pkt->tcp_flags = tcp_flags;
	pkt->sport = 40000;
	pkt->dport = dport;
	dt_addr(pkt->saddr, family, src);
	dt_addr(pkt->daddr, family, dst);
}

/* ---- tracker.c ---- */

static void dt_key(struct ng_trk_key *k, u32 id)
{
	memset(k, 0, sizeof(*k));
	put_unaligned_be32(id, k->addr);
	k->family = 4;
	k->kind = NG_TRK_PSD;
}

static u32 dt_key_id(const struct ng_trk_slot *s)
{
	return get_unaligned_be32(s->key.addr);
}

/* Weight for the tracker cases: the psd score, as set by the case. */
static u32 dt_weigh(const struct ng_trk_slot *s, u32 now)
{
	return s->psd.score;
}

/* Find or claim @id at @now in its bucket; *@evicted as ng_trk_claim(). */
static struct ng_trk_slot *dt_get(struct ng_trk *t, u32 id, u32 now,
				  bool *evicted)
{
	struct ng_trk_slot *s;
	struct ng_trk_key k;
	u32 b;

	dt_key(&k, id);
	b = ng_trk_bucket(t, &k);
	ng_trk_lock(t, b);
	*evicted = false;
	s = ng_trk_find(t, b, &k);
	if (!s)
		s = ng_trk_claim(t, b, &k, now, dt_weigh, evicted);
	ng_trk_unlock(t, b);
	return s;
}

static struct ng_trk_slot *dt_find(struct ng_trk *t, u32 id)
{
	struct ng_trk_slot *s;
	struct ng_trk_key k;
	u32 b;

	dt_key(&k, id);
	b = ng_trk_bucket(t, &k);
	ng_trk_lock(t, b);
	s = ng_trk_find(t, b, &k);
	ng_trk_unlock(t, b);
	return s;
}

static void dt_test_trk_basic(struct kunit *test)
{
	struct ng_trk *t = dt_table(test, 100), *one = dt_table(test, 0);
	struct ng_trk_slot *s, copy, *live;
	struct ng_trk_key k, k2;
	u32 i, b, b2;
	bool ev;

	/* Whole power-of-two buckets of NG_TRK_WAYS. */
	KUNIT_EXPECT_EQ(test, t->slots, 128U);
	KUNIT_EXPECT_EQ(test, t->mask, 15U);
	KUNIT_EXPECT_EQ(test, one->slots, (u32)NG_TRK_WAYS);
	KUNIT_EXPECT_EQ(test, one->mask, 0U);
	KUNIT_EXPECT_EQ(test, (u32)sizeof(struct ng_trk_slot), 64U);

	/* A key always hashes to the same bucket, inside the table. */
	for (i = 0; i < 200; i++) {
		dt_key(&k, i);
		b = ng_trk_bucket(t, &k);
		KUNIT_EXPECT_LE(test, b, t->mask);
		KUNIT_EXPECT_EQ(test, b, ng_trk_bucket(t, &k));
	}

	dt_key(&k, 7);
	KUNIT_EXPECT_NULL(test, dt_find(t, 7));
	KUNIT_EXPECT_NULL(test, ng_trk_read(t, &k, &copy));
	s = dt_get(t, 7, DT_T0, &ev);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_FALSE(test, ev);
	KUNIT_EXPECT_EQ(test, dt_key_id(s), 7U);
	KUNIT_EXPECT_EQ(test, s->key.kind, (u8)NG_TRK_PSD);
	KUNIT_EXPECT_EQ(test, s->last, DT_T0);
	KUNIT_EXPECT_EQ(test, s->psd.score, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->used), 1);
	KUNIT_EXPECT_PTR_EQ(test, dt_find(t, 7), s);
	KUNIT_EXPECT_PTR_EQ(test, dt_get(t, 7, DT_T0 + 5, &ev), s);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->used), 1);

	/* Lock-free copies. */
	s->psd.score = 42;
	live = ng_trk_read(t, &k, &copy);
	KUNIT_EXPECT_PTR_EQ(test, live, s);
	KUNIT_EXPECT_EQ(test, memcmp(&copy, s, sizeof(copy)), 0);
	memset(&copy, 0, sizeof(copy));
	ng_trk_read_slot(t, s - t->slot, &copy);
	KUNIT_EXPECT_EQ(test, memcmp(&copy, s, sizeof(copy)), 0);
	/* Same address, other kind or segment: another key. */
	k2 = k;
	k2.kind = NG_TRK_SWEEP;
	KUNIT_EXPECT_NULL(test, ng_trk_read(t, &k2, &copy));
	k2 = k;
	k2.seg = 1;
	KUNIT_EXPECT_NULL(test, ng_trk_read(t, &k2, &copy));

	/* Freed: gone, counted. */
	b2 = ng_trk_bucket(t, &k);
	ng_trk_lock(t, b2);
	ng_trk_free(t, b2, s);
	ng_trk_unlock(t, b2);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->used), 0);
	KUNIT_EXPECT_NULL(test, dt_find(t, 7));
	KUNIT_EXPECT_NULL(test, ng_trk_read(t, &k, &copy));

	/* 100 keys in 128 slots: each readable unless its bucket overflowed. */
	for (i = 0; i < 100; i++) {
		s = dt_get(t, 1000 + i, DT_T0, &ev);
		s->psd.score = 1;	/* nothing is taken over for free */
	}
	for (i = 0; i < 100; i++) {
		dt_key(&k, 1000 + i);
		live = ng_trk_read(t, &k, &copy);
		if (!live)	/* a bucket got more than 8 */
			continue;
		KUNIT_EXPECT_EQ(test, dt_key_id(&copy), 1000 + i);
	}
	KUNIT_EXPECT_LE(test, atomic_read(&t->used), 100);
}

static void dt_test_trk_takeover(struct kunit *test)
{
	static const u16 w[NG_TRK_WAYS] = { 5, 3, 7, 3, 9, 3, 4, 6 };
	struct ng_trk *t = dt_table(test, NG_TRK_WAYS);	/* one bucket */
	struct ng_trk_slot *s, *base = t->slot;
	u32 i, now;
	bool ev;

	for (i = 0; i < NG_TRK_WAYS; i++) {
		s = dt_get(t, i + 1, DT_T0 + i, &ev);
		KUNIT_EXPECT_PTR_EQ(test, s, base + i);
		KUNIT_EXPECT_FALSE(test, ev);
		s->psd.score = w[i];
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&t->used), NG_TRK_WAYS);

	/* Lowest weight 3 in slots 1, 3, 5: the oldest (1) goes. */
	now = DT_T0 + 100;
	s = dt_get(t, 100, now, &ev);
	KUNIT_EXPECT_PTR_EQ(test, s, base + 1);
	KUNIT_EXPECT_TRUE(test, ev);
	KUNIT_EXPECT_EQ(test, dt_key_id(s), 100U);
	KUNIT_EXPECT_EQ(test, s->last, now);
	KUNIT_EXPECT_EQ(test, s->psd.score, 0);	/* state cleared */
	KUNIT_EXPECT_NULL(test, dt_find(t, 2));
	KUNIT_EXPECT_EQ(test, atomic_read(&t->used), NG_TRK_WAYS);

	/* The newcomer weighs 0: taken over next, without an eviction. */
	s = dt_get(t, 101, now + 1, &ev);
	KUNIT_EXPECT_PTR_EQ(test, s, base + 1);
	KUNIT_EXPECT_FALSE(test, ev);
	s->psd.score = 3;

	/* Weight 3 everywhere the oldest: slot 3 (DT_T0 + 3). */
	s = dt_get(t, 102, now + 2, &ev);
	KUNIT_EXPECT_PTR_EQ(test, s, base + 3);
	KUNIT_EXPECT_TRUE(test, ev);
	s->psd.score = 50;

	/* Age, not the number, decides across the jiffies wrap. */
	base[5].last = (u32)-5;		/* 15 jiffies before now */
	base[1].last = 3;		/* 7 before */
	s = dt_get(t, 103, 10, &ev);
	KUNIT_EXPECT_PTR_EQ(test, s, base + 5);
	KUNIT_EXPECT_TRUE(test, ev);
	s->psd.score = 50;

	/* Same weight, same age: the first slot. */
	base[1].last = 20;
	base[6].last = 20;
	base[6].psd.score = 3;
	s = dt_get(t, 104, 30, &ev);
	KUNIT_EXPECT_PTR_EQ(test, s, base + 1);

	/* A free slot is used before anything is taken over. */
	base[0].psd.score = 0;
	ng_trk_lock(t, 0);
	ng_trk_free(t, 0, base + 6);
	ng_trk_unlock(t, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->used), NG_TRK_WAYS - 1);
	s = dt_get(t, 105, 40, &ev);
	KUNIT_EXPECT_PTR_EQ(test, s, base + 6);
	KUNIT_EXPECT_FALSE(test, ev);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->used), NG_TRK_WAYS);
	KUNIT_EXPECT_EQ(test, dt_key_id(base + 0), 1U);	/* weight 0 kept */
}

/* One bucket as a naive array, the way the header describes it. */
struct dt_model {
	bool used;
	u32 id;
	u16 w;
	u32 last;
};

static int dt_model_claim(const struct dt_model *m, u32 now, bool *evicted)
{
	u32 minw = U32_MAX, maxage = 0;
	int i;

	*evicted = false;
	for (i = 0; i < NG_TRK_WAYS; i++)
		if (!m[i].used)
			return i;
	for (i = 0; i < NG_TRK_WAYS; i++)
		minw = min_t(u32, minw, m[i].w);
	for (i = 0; i < NG_TRK_WAYS; i++)
		if (m[i].w == minw)
			maxage = max_t(u32, maxage, now - m[i].last);
	*evicted = minw > 0;
	for (i = 0; i < NG_TRK_WAYS; i++)
		if (m[i].w == minw && now - m[i].last == maxage)
			return i;
	return -1;
}

static void dt_test_trk_random(struct kunit *test)
{
	struct ng_trk *t = dt_table(test, NG_TRK_WAYS);
	struct dt_model m[NG_TRK_WAYS] = {};
	u32 now = DT_T0, id, step, evictions = 0, bad = 0;
	struct ng_trk_slot *s;
	u64 seed = 0x9e3779b97f4a7c15ULL;
	struct ng_trk_key k;
	bool ev, mev, used;
	int i, mi;

	for (step = 0; step < 20000 && !bad; step++) {
		u64 r = dt_rng(&seed);

		switch (r % 8) {
		case 0:
			break;
		case 1:
			now += (u32)(r >> 8);	/* anything, wraps included */
			break;
		default:
			now += (r >> 8) % 16;
		}
		id = 1 + (r >> 16) % 24;
		for (mi = 0; mi < NG_TRK_WAYS; mi++)
			if (m[mi].used && m[mi].id == id)
				break;
		if ((r >> 24) % 10 == 0) {
			/* Free the key if present. */
			dt_key(&k, id);
			ng_trk_lock(t, 0);
			s = ng_trk_find(t, 0, &k);
			if (s)
				ng_trk_free(t, 0, s);
			ng_trk_unlock(t, 0);
			KUNIT_EXPECT_EQ(test, !s, mi == NG_TRK_WAYS);
			if (mi < NG_TRK_WAYS)
				m[mi].used = false;
		} else {
			mev = false;
			if (mi == NG_TRK_WAYS) {
				mi = dt_model_claim(m, now, &mev);
				m[mi] = (struct dt_model){ true, id, 0, now };
			}
			s = dt_get(t, id, now, &ev);
			if (s != t->slot + mi || ev != mev)
				bad++;
			evictions += ev;
			/* An update: new weight, maybe a new time. */
			if ((r >> 32) % 3) {
				m[mi].w = (r >> 40) % 12;
				s->psd.score = m[mi].w;
			}
			if ((r >> 48) % 2) {
				m[mi].last = now;
				s->last = now;
			}
		}
		for (i = 0; i < NG_TRK_WAYS; i++) {
			s = t->slot + i;
			used = s->key.kind != NG_TRK_FREE;
			if (m[i].used != used ||
			    (used && (dt_key_id(s) != m[i].id ||
				      s->psd.score != m[i].w ||
				      s->last != m[i].last)))
				bad++;
		}
		if (bad)
			kunit_info(test, "diverged at step %u (id %u, now %u)\n",
				   step, id, now);
	}
	KUNIT_EXPECT_EQ(test, bad, 0U);
	KUNIT_EXPECT_GT(test, evictions, 1000U);
	kunit_info(test, "20000 steps, %u evictions\n", evictions);
}

/* ---- detect.c: portscan ---- */

/*
 * @n ports in [@lo, @hi) whose psd bits (hash_32(port, 6)) are all
 * different, and different from @used's; @used gets them.
 */
static void dt_ports(struct kunit *test, u16 lo, u32 hi, u32 n, u16 *out,
		     u64 *used)
{
	u32 p, got = 0;

	for (p = lo; p < hi && got < n; p++) {
		u64 bit = 1ULL << hash_32(p, 6);

		if (*used & bit)
			continue;
		*used |= bit;
		out[got++] = p;
	}
	KUNIT_ASSERT_EQ(test, got, n);
}

static bool dt_psd(struct kunit *test, struct ng_trk *t,
		   const struct ng_detector *d, u8 family, u32 src, u16 dport,
		   u32 now, u32 *score, bool *first)
{
	struct ng_pkt pkt;

	dt_pkt(&pkt, family, src, 0x0a000202, IPPROTO_TCP, dport, NG_TCP_SYN);
	return ng_psd(dt_nn(test), t, d, &pkt, pkt.saddr, now, score, first);
}

static void dt_test_psd_score(struct kunit *test)
{
	const struct ng_detector d = {
		.kind = NGUARD_DETECT_PORTSCAN, .weight = 21,
		.window_ms = 3000, .from = ANY, .to = ANY,
	};
	struct ng_trk *t = dt_table(test, 64);
	struct ng_detector d10 = d;
	u16 low[8], high[24], p1, p2;
	u32 i, score, now = DT_T0;
	u64 used = 0;
	bool fired, first;

	dt_ports(test, 1, 1024, ARRAY_SIZE(low), low, &used);
	dt_ports(test, 1024, 65536, ARRAY_SIZE(high), high, &used);

	/* Below 1024: 3 per port, fires at the 7th (21), once. */
	for (i = 0; i < 7; i++) {
		fired = dt_psd(test, t, &d, 4, 1, low[i], now++, &score, &first);
		KUNIT_EXPECT_EQ(test, score, 3 * (i + 1));
		KUNIT_EXPECT_EQ(test, fired, i == 6);
		KUNIT_EXPECT_EQ(test, first, i == 6);
	}
	/* A port seen before adds nothing; the episode goes on. */
	fired = dt_psd(test, t, &d, 4, 1, low[0], now++, &score, &first);
	KUNIT_EXPECT_EQ(test, score, 21U);
	KUNIT_EXPECT_TRUE(test, fired);
	KUNIT_EXPECT_FALSE(test, first);
	fired = dt_psd(test, t, &d, 4, 1, low[7], now++, &score, &first);
	KUNIT_EXPECT_EQ(test, score, 24U);
	KUNIT_EXPECT_TRUE(test, fired);
	KUNIT_EXPECT_FALSE(test, first);

	/* From 1024: 1 per port, fires at the 21st; repeats add nothing. */
	for (i = 0; i < 21; i++) {
		fired = dt_psd(test, t, &d, 4, 2, high[i], now, &score, &first);
		KUNIT_EXPECT_EQ(test, score, i + 1);
		KUNIT_EXPECT_EQ(test, first, i == 20);
		if (i < 20) {
			KUNIT_EXPECT_FALSE(test, fired);
			dt_psd(test, t, &d, 4, 2, high[i], now, &score, &first);
			KUNIT_EXPECT_EQ(test, score, i + 1);
		}
	}

	/* The boundary: 1023 weighs 3, 1024 weighs 1. */
	KUNIT_ASSERT_NE(test, hash_32(1023, 6), hash_32(1024, 6));
	dt_psd(test, t, &d, 4, 3, 1023, now, &score, &first);
	KUNIT_EXPECT_EQ(test, score, 3U);
	dt_psd(test, t, &d, 4, 3, 1024, now, &score, &first);
	KUNIT_EXPECT_EQ(test, score, 4U);

	/* Mixed, weight 10: three low ports and one high one. */
	d10.weight = 10;
	for (i = 0; i < 3; i++) {
		fired = dt_psd(test, t, &d10, 4, 4, low[i], now, &score, &first);
		KUNIT_EXPECT_FALSE(test, fired);
	}
	fired = dt_psd(test, t, &d10, 4, 4, high[0], now, &score, &first);
	KUNIT_EXPECT_EQ(test, score, 10U);
	KUNIT_EXPECT_TRUE(test, fired && first);

	/* Ports sharing a bit count once (the documented hash limit). */
	for (p1 = 2000, p2 = 2001; hash_32(p1, 6) != hash_32(p2, 6); p2++)
		;
	dt_psd(test, t, &d, 4, 5, p1, now, &score, &first);
	dt_psd(test, t, &d, 4, 5, p2, now, &score, &first);
	KUNIT_EXPECT_EQ(test, score, 1U);

	/*
	 * Sources are apart, and so are 32.1.13.184 and 2001:db8:: (the
	 * same first four bytes, the rest zero).
	 */
	dt_psd(test, t, &d, 4, 0x20010db8, low[0], now, &score, &first);
	KUNIT_EXPECT_EQ(test, score, 3U);
	dt_psd(test, t, &d, 6, 0, low[1], now, &score, &first);
	KUNIT_EXPECT_EQ(test, score, 3U);
	dt_psd(test, t, &d, 6, 0, low[2], now, &score, &first);
	KUNIT_EXPECT_EQ(test, score, 6U);
	dt_psd(test, t, &d, 4, 0x20010db8, low[3], now, &score, &first);
	KUNIT_EXPECT_EQ(test, score, 6U);
}

static void dt_test_psd_decay(struct kunit *test)
{
	const struct ng_detector d = {
		.kind = NGUARD_DETECT_PORTSCAN, .weight = 21,
		.window_ms = 3000, .from = ANY, .to = ANY,
	};
	u32 win = msecs_to_jiffies(d.window_ms), i, score, now = DT_T0;
	struct ng_trk *t = dt_table(test, 64);
	u16 low[8], high[4];
	bool fired, first;
	u64 used = 0;

	dt_ports(test, 1, 1024, ARRAY_SIZE(low), low, &used);
	dt_ports(test, 1024, 65536, ARRAY_SIZE(high), high, &used);

	/* Pauses shorter than the window: the score keeps growing. */
	for (i = 0; i < 6; i++) {
		dt_psd(test, t, &d, 4, 1, low[i], now, &score, &first);
		now += win / 2;
	}
	KUNIT_EXPECT_EQ(test, score, 18U);
	/* A pause of exactly the window still counts as the same episode. */
	now += win - win / 2;
	fired = dt_psd(test, t, &d, 4, 1, low[6], now, &score, &first);
	KUNIT_EXPECT_EQ(test, score, 21U);
	KUNIT_EXPECT_TRUE(test, fired && first);
	KUNIT_EXPECT_GT(test, now - DT_T0, win);	/* longer than it */

	/* One jiffy more: a new episode; old ports count again. */
	now += win + 1;
	fired = dt_psd(test, t, &d, 4, 1, low[0], now, &score, &first);
	KUNIT_EXPECT_EQ(test, score, 3U);
	KUNIT_EXPECT_FALSE(test, fired);
	KUNIT_EXPECT_FALSE(test, first);
	for (i = 1; i < 7; i++)
		fired = dt_psd(test, t, &d, 4, 1, low[i], now, &score, &first);
	KUNIT_EXPECT_EQ(test, score, 21U);
	KUNIT_EXPECT_TRUE(test, fired && first);	/* reported again */

	/* A high port after a reset weighs 1; a long pause (wrap) resets. */
	now += 0x80000000U;
	dt_psd(test, t, &d, 4, 1, high[0], now, &score, &first);
	KUNIT_EXPECT_EQ(test, score, 1U);
	now += win + 1;
	dt_psd(test, t, &d, 4, 1, high[1], now, &score, &first);
	KUNIT_EXPECT_EQ(test, score, 1U);
}

/* Portscan slots weigh their score: a real scanner survives churn. */
static void dt_test_psd_churn(struct kunit *test)
{
	const struct ng_detector d = {
		.kind = NGUARD_DETECT_PORTSCAN, .weight = 1000,
		.window_ms = 3600000, .from = ANY, .to = ANY,
	};
	struct ng_trk *t = dt_table(test, NG_TRK_WAYS);	/* one bucket */
	static const u8 src1[4] = { 0, 0, 0, 1 };
	u32 i, j, score, now = DT_T0;
	struct ng_trk_slot copy;
	struct ng_trk_key k;
	u16 high[40];
	u64 used = 0;
	bool first;

	dt_ports(test, 1024, 65536, ARRAY_SIZE(high), high, &used);
	/* Source 1 scores 40, source 2..8 score 1 each. */
	for (j = 0; j < 40; j++)
		dt_psd(test, t, &d, 4, 1, high[j], now, &score, &first);
	for (i = 2; i <= NG_TRK_WAYS; i++)
		dt_psd(test, t, &d, 4, i, high[0], now + i, &score, &first);
	KUNIT_EXPECT_EQ(test, dt_cnt(test, NGUARD_CNT_TRACKER_EVICTIONS), 0ULL);

	/* 1000 spoofed one-packet sources: churn, counted. */
	for (i = 0; i < 1000; i++)
		dt_psd(test, t, &d, 4, 100 + i, high[i % 40], now + 10 + i,
		       &score, &first);
	KUNIT_EXPECT_EQ(test, dt_cnt(test, NGUARD_CNT_TRACKER_EVICTIONS), 1000ULL);
	ng_key(&k, 4, src1, NG_TRK_PSD, 0);
	KUNIT_ASSERT_NOT_NULL(test, ng_trk_read(t, &k, &copy));
	KUNIT_EXPECT_EQ(test, copy.psd.score, 40);
	dt_psd(test, t, &d, 4, 1, high[0], now + 2000, &score, &first);
	KUNIT_EXPECT_EQ(test, score, 40U);

	/* An hour idle weighs nothing: taken over, not an eviction. */
	now += 2000 + NG_TRK_STALE + 1;
	for (i = 0; i < NG_TRK_WAYS; i++)
		dt_psd(test, t, &d, 4, 5000 + i, high[0], now, &score, &first);
	KUNIT_EXPECT_EQ(test, dt_cnt(test, NGUARD_CNT_TRACKER_EVICTIONS), 1000ULL);
	KUNIT_EXPECT_NULL(test, ng_trk_read(t, &k, &copy));
}

static void dt_test_weigh(struct kunit *test)
{
	struct ng_trk_slot s = {};

	s.last = DT_T0;
	s.key.kind = NG_TRK_PSD;
	s.psd.score = 17;
	KUNIT_EXPECT_EQ(test, ng_weigh(&s, DT_T0 + NG_TRK_STALE), 17U);
	KUNIT_EXPECT_EQ(test, ng_weigh(&s, DT_T0 + NG_TRK_STALE + 1), 0U);
	s.key.kind = NG_TRK_SWEEP;
	s.sweep.count = 9;
	KUNIT_EXPECT_EQ(test, ng_weigh(&s, DT_T0 + 30 * HZ), 9U);
	s.key.kind = NG_TRK_SYN;
	KUNIT_EXPECT_EQ(test, ng_weigh(&s, DT_T0), 0U);
}

/* ---- detect.c: sweep ---- */

/* @n IPv4 hosts from @base whose sweep bits are all different. */
static void dt_hosts(struct kunit *test, u32 base, u32 n, u32 *out)
{
	u64 used[4] = {};
	u32 a, got = 0, h;
	u8 addr[16];

	for (a = base; got < n && a < base + 4096; a++) {
		dt_addr(addr, 4, a);
		h = jhash(addr, 4, 0) & 255;
		if (used[h / 64] & (1ULL << (h % 64)))
			continue;
		used[h / 64] |= 1ULL << (h % 64);
		out[got++] = a;
	}
	KUNIT_ASSERT_EQ(test, got, n);
}

static bool dt_sweep(struct kunit *test, struct ng_trk *t,
		     const struct ng_detector *d, u32 src, u32 dst, u16 seg,
		     u32 now, u32 *hosts, bool *first)
{
	struct ng_pkt pkt;

	dt_pkt(&pkt, 4, src, dst, IPPROTO_ICMP, 0, 0);
	return ng_sweep(dt_nn(test), t, d, &pkt, pkt.saddr, seg, now, hosts, first);
}

static void dt_test_sweep(struct kunit *test)
{
	const struct ng_detector d = {
		.kind = NGUARD_DETECT_SWEEP, .hosts = 5,
		.window_ms = 10000, .from = ANY, .to = ANY,
	};
	u32 win = msecs_to_jiffies(d.window_ms), h[12], i, n, now = DT_T0;
	struct ng_trk *t = dt_table(test, 64);
	struct ng_detector d1 = d;
	bool fired, first;

	dt_hosts(test, 0x0a000200, ARRAY_SIZE(h), h);
	for (i = 0; i < 4; i++) {
		fired = dt_sweep(test, t, &d, 1, h[i], 2, now + i, &n, &first);
		KUNIT_EXPECT_EQ(test, n, i + 1);
		KUNIT_EXPECT_FALSE(test, fired);
		/* A host seen before does not count. */
		dt_sweep(test, t, &d, 1, h[0], 2, now + i, &n, &first);
		KUNIT_EXPECT_EQ(test, n, i + 1);
	}
	fired = dt_sweep(test, t, &d, 1, h[4], 2, now + 4, &n, &first);
	KUNIT_EXPECT_EQ(test, n, 5U);
	KUNIT_EXPECT_TRUE(test, fired && first);
	fired = dt_sweep(test, t, &d, 1, h[5], 2, now + 5, &n, &first);
	KUNIT_EXPECT_EQ(test, n, 6U);
	KUNIT_EXPECT_TRUE(test, fired);
	KUNIT_EXPECT_FALSE(test, first);

	/* Apart: another destination segment, another source. */
	dt_sweep(test, t, &d, 1, h[0], 3, now, &n, &first);
	KUNIT_EXPECT_EQ(test, n, 1U);
	dt_sweep(test, t, &d, 2, h[0], 2, now, &n, &first);
	KUNIT_EXPECT_EQ(test, n, 1U);

	/* The window runs from the first contact: at its end still on... */
	fired = dt_sweep(test, t, &d, 1, h[6], 2, now + win, &n, &first);
	KUNIT_EXPECT_EQ(test, n, 7U);
	KUNIT_EXPECT_TRUE(test, fired);
	/* ...one jiffy later over, though the last packet was just now. */
	fired = dt_sweep(test, t, &d, 1, h[0], 2, now + win + 1, &n, &first);
	KUNIT_EXPECT_EQ(test, n, 1U);
	KUNIT_EXPECT_FALSE(test, fired || first);
	now += win + 1;
	for (i = 1; i < 5; i++)
		fired = dt_sweep(test, t, &d, 1, h[i], 2, now + win, &n,
				 &first);
	KUNIT_EXPECT_EQ(test, n, 5U);
	KUNIT_EXPECT_TRUE(test, fired && first);	/* a new episode */

	/* Threshold 1: the first contact fires; across the wrap too. */
	d1.hosts = 1;
	fired = dt_sweep(test, t, &d1, 9, h[0], 2, (u32)-1, &n, &first);
	KUNIT_EXPECT_TRUE(test, fired && first);
	fired = dt_sweep(test, t, &d1, 9, h[1], 2, 3, &n, &first);
	KUNIT_EXPECT_EQ(test, n, 2U);
	KUNIT_EXPECT_TRUE(test, fired);
	KUNIT_EXPECT_FALSE(test, first);
}

/* ---- detect.c: synflood ---- */

static bool dt_syn(struct kunit *test, struct ng_trk *t,
		   const struct ng_detector *d, u32 dst, u32 now, bool *first)
{
	struct ng_pkt pkt;

	dt_pkt(&pkt, 4, 0xc0000202, dst, IPPROTO_TCP, 80, NG_TCP_SYN);
	return ng_synflood(dt_nn(test), t, d, &pkt, now, first);
}

/* SYNs at @now until one is an excess; how many passed. */
static u32 dt_syn_drain(struct kunit *test, struct ng_trk *t,
			const struct ng_detector *d, u32 dst, u32 now, u32 max)
{
	u32 n = 0;
	bool first;

	while (n < max && !dt_syn(test, t, d, dst, now, &first))
		n++;
	return n;
}

static struct ng_trk_slot *dt_syn_slot(struct ng_trk *t, u32 dst)
{
	struct ng_trk_key k;
	u8 addr[16];

	dt_addr(addr, 4, dst);
	ng_key(&k, 4, addr, NG_TRK_SYN, 0);
	return ng_trk_find(t, ng_trk_bucket(t, &k), &k);
}

static void dt_test_syn_burst(struct kunit *test)
{
	struct ng_detector d = {
		.kind = NGUARD_DETECT_SYNFLOOD, .rate = 50, .burst = 100,
		.from = ANY, .to = ANY,
	};
	struct ng_trk *t = dt_table(test, 64);
	u32 i, now = DT_T0;
	bool ex, first;

	/* The burst at once, then excess, reported once. */
	for (i = 0; i < 100; i++) {
		ex = dt_syn(test, t, &d, 1, now, &first);
		KUNIT_EXPECT_FALSE(test, ex || first);
	}
	ex = dt_syn(test, t, &d, 1, now, &first);
	KUNIT_EXPECT_TRUE(test, ex && first);
	ex = dt_syn(test, t, &d, 1, now, &first);
	KUNIT_EXPECT_TRUE(test, ex);
	KUNIT_EXPECT_FALSE(test, first);
	/* Another destination has its own bucket. */
	KUNIT_EXPECT_EQ(test, dt_syn_drain(test, t, &d, 2, now, 1000), 100U);

	/* One second refills RATE; half a second half of it. */
	KUNIT_EXPECT_EQ(test, dt_syn_drain(test, t, &d, 1, now + HZ, 1000), 50U);
	KUNIT_EXPECT_EQ(test, dt_syn_drain(test, t, &d, 1, now + HZ + HZ / 2, 1000),
			25U);
	/* Never beyond the burst, however long the pause (wraps too). */
	KUNIT_EXPECT_EQ(test, dt_syn_drain(test, t, &d, 1, now + 3600 * HZ, 1000),
			100U);
	KUNIT_EXPECT_EQ(test, dt_syn_drain(test, t, &d, 1, now + 3601 * HZ, 1000),
			50U);
	now += 3601 * HZ + 0x80000000U;	/* a gap of 2^31 */
	KUNIT_EXPECT_EQ(test, dt_syn_drain(test, t, &d, 1, now, 1000), 100U);
	now += 0xffffffffU;		/* and the largest one */
	KUNIT_EXPECT_EQ(test, dt_syn_drain(test, t, &d, 1, now, 1000), 100U);

	/* Burst 1. */
	d.burst = 1;
	d.rate = 1;
	KUNIT_EXPECT_EQ(test, dt_syn_drain(test, t, &d, 3, now, 1000), 1U);
	KUNIT_EXPECT_EQ(test, dt_syn_drain(test, t, &d, 3, now + HZ - 1, 1000), 0U);
	KUNIT_EXPECT_EQ(test, dt_syn_drain(test, t, &d, 3, now + HZ, 1000), 1U);
}

/*
 * A flood for 10 s: every jiffy, SYNs until one is an excess. (A bucket
 * refills once a jiffy, so RATE / HZ must not pass the burst.)
 */
static void dt_test_syn_rate(struct kunit *test)
{
	static const u32 cfg[][2] = {	/* rate/s, burst */
		{ 1, 1 }, { 7, 5 }, { 50, 100 }, { 333, 10 }, { 1000, 2000 },
		{ 5000, 100 },
	};
	struct ng_detector d = {
		.kind = NGUARD_DETECT_SYNFLOOD, .from = ANY, .to = ANY,
	};
	struct ng_trk *t = dt_table(test, 64);
	u32 i, j, now, pass;
	u64 want;

	for (i = 0; i < ARRAY_SIZE(cfg); i++) {
		d.rate = cfg[i][0];
		d.burst = cfg[i][1];
		now = (u32)(-5 * HZ);	/* crosses the wrap */
		pass = 0;
		for (j = 0; j <= 10 * HZ; j++)
			pass += dt_syn_drain(test, t, &d, 100 + i, now + j,
					     U32_MAX);
		want = (u64)d.burst + (u64)d.rate * 10;
		kunit_info(test, "synflood %u/s burst %u: %u SYNs in 10 s, ideal %llu\n",
			   d.rate, d.burst, pass, want);
		KUNIT_EXPECT_LE(test, pass, want);
		KUNIT_EXPECT_GE(test, (u64)pass * 100, want * 99);
	}
}

/* The largest accepted values (1..10M), and gaps that overflow u64. */
static void dt_test_syn_overflow(struct kunit *test)
{
	struct ng_detector d = {
		.kind = NGUARD_DETECT_SYNFLOOD, .rate = 10000000,
		.burst = 10000000, .from = ANY, .to = ANY,
	};
	struct ng_trk *t = dt_table(test, 64);
	struct ng_trk_slot *s;
	u32 now = DT_T0, gap, b;
	bool first;

	/* Burst 10M: the bucket holds 10^10 milli-tokens. */
	KUNIT_EXPECT_FALSE(test, dt_syn(test, t, &d, 1, now, &first));
	s = dt_syn_slot(t, 1);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, (u64)s->syn.tokens, 10000000ULL * 1000 - 1000);
	/* Empty it by hand, then 2^31 jiffies at 10M/s: full again. */
	s->syn.tokens = 0;
	now += 0x80000000U;
	KUNIT_EXPECT_FALSE(test, dt_syn(test, t, &d, 1, now, &first));
	KUNIT_EXPECT_EQ(test, (u64)s->syn.tokens, 10000000ULL * 1000 - 1000);

	/*
	 * rate 2^23: the smallest gap for which gap * rate * 1000 passes
	 * 2^64 makes a refill of a few thousand tokens if it wraps.
	 */
	d.rate = 1U << 23;
	d.burst = 1000000;
	KUNIT_EXPECT_FALSE(test, dt_syn(test, t, &d, 2, now, &first));
	s = dt_syn_slot(t, 2);
	KUNIT_ASSERT_NOT_NULL(test, s);
	s->syn.tokens = 0;
	gap = (u32)(div64_u64(U64_MAX, (u64)d.rate * 1000) + 1);
	KUNIT_EXPECT_GT(test, gap, 0x80000000U);
	b = dt_syn_drain(test, t, &d, 2, now + gap, 20000);
	KUNIT_EXPECT_EQ(test, b, 20000U);
	KUNIT_EXPECT_EQ(test, (u64)s->syn.tokens, 1000000ULL * 1000 - 20000 * 1000);
}

/* ---- ratelimit.h ---- */

/* policy.c's ng_limit_compile() is static there: the same, field by field. */
static void dt_limit(struct ng_limit_rt *rt, u32 rate, u32 burst, u64 bytes,
		     u64 bytes_burst)
{
	memset(rt, 0, sizeof(*rt));
	if (rate) {
		rt->pkt_rate = rate;
		rt->pkt_scale = max_t(u32, U16_MAX / max_t(u32, burst, 1), 1);
		rt->pkt_cap = min_t(u32, burst, U16_MAX) * rt->pkt_scale;
	}
	if (bytes) {
		rt->byte_rate = bytes;
		rt->byte_cap = min_t(u64, bytes_burst ?: bytes, U32_MAX);
	}
	rt->on = rt->pkt_rate || rt->byte_rate;
}

/* A new connection, as ng_conntab_insert() leaves it: full buckets. */
static void dt_conn(struct ng_conn *c, u32 now)
{
	memset(c, 0, sizeof(*c));
	c->tb_pkts = U16_MAX;
	c->tb_bytes = U32_MAX;
	c->last = now;
}

/* Packets of @segs segments, @len bytes, at @now until one is refused. */
static u32 dt_take_all(const struct ng_limit_rt *l, struct ng_conn *c,
		       unsigned int segs, unsigned int len, u32 now, u32 max)
{
	u32 n = 0;

	while (n < max && __ng_limit_take(l, c, segs, len, now))
		n++;
	return n;
}

static void dt_test_limit_burst(struct kunit *test)
{
	struct ng_limit_rt l;
	struct ng_conn c;
	u32 now = DT_T0;

	dt_limit(&l, 100, 10, 0, 0);
	KUNIT_EXPECT_TRUE(test, l.on);
	dt_conn(&c, now);
	KUNIT_EXPECT_EQ(test, ng_limit_pkts_left(&l, &c), 10U);
	KUNIT_EXPECT_EQ(test, ng_limit_bytes_left(&l, &c), 0U);
	KUNIT_EXPECT_EQ(test, dt_take_all(&l, &c, 1, 1500, now, 1000), 10U);
	KUNIT_EXPECT_EQ(test, ng_limit_pkts_left(&l, &c), 0U);
	/* A refused packet spends nothing: a second later RATE, capped. */
	KUNIT_EXPECT_FALSE(test, __ng_limit_take(&l, &c, 1, 1500, now));
	KUNIT_EXPECT_EQ(test, dt_take_all(&l, &c, 1, 1500, now + HZ, 1000), 10U);
	/* HZ / 25 jiffies bring 4 tokens at any HZ (rounding down). */
	KUNIT_EXPECT_EQ(test, dt_take_all(&l, &c, 1, 1500, now + HZ + HZ / 25,
					  1000), 4U);

	/* GSO: a packet of 4 segments spends 4 tokens. */
	now += 10 * HZ;
	KUNIT_EXPECT_EQ(test, dt_take_all(&l, &c, 4, 64000, now, 1000), 2U);
	KUNIT_EXPECT_EQ(test, ng_limit_pkts_left(&l, &c), 2U);
	KUNIT_EXPECT_TRUE(test, __ng_limit_take(&l, &c, 2, 64000, now));
	KUNIT_EXPECT_FALSE(test, __ng_limit_take(&l, &c, 1, 100, now));

	/* Bytes: 3000 B/s, burst 3000. */
	dt_limit(&l, 0, 0, 3000, 0);
	KUNIT_EXPECT_TRUE(test, l.on);
	dt_conn(&c, now);
	KUNIT_EXPECT_EQ(test, ng_limit_bytes_left(&l, &c), 3000U);
	KUNIT_EXPECT_EQ(test, dt_take_all(&l, &c, 1, 1000, now, 1000), 3U);
	KUNIT_EXPECT_EQ(test, ng_limit_bytes_left(&l, &c), 0U);
	KUNIT_EXPECT_EQ(test, dt_take_all(&l, &c, 1, 1000, now + HZ, 1000), 3U);
	KUNIT_EXPECT_EQ(test, dt_take_all(&l, &c, 1, 1, now + HZ, 1000), 0U);
	/* Larger than the burst: passes on a full bucket only, emptying it. */
	KUNIT_EXPECT_TRUE(test, __ng_limit_take(&l, &c, 1, 3001, now + 100 * HZ));
	KUNIT_EXPECT_EQ(test, ng_limit_bytes_left(&l, &c), 0U);
	KUNIT_EXPECT_FALSE(test, __ng_limit_take(&l, &c, 1, 3001, now + 100 * HZ + HZ / 2));

	/* Both: a packet short of packet tokens spends no bytes. */
	dt_limit(&l, 10, 2, 100000, 0);
	dt_conn(&c, now);
	KUNIT_EXPECT_EQ(test, dt_take_all(&l, &c, 1, 1000, now, 1000), 2U);
	KUNIT_EXPECT_EQ(test, ng_limit_bytes_left(&l, &c), 98000U);
	KUNIT_EXPECT_FALSE(test, __ng_limit_take(&l, &c, 1, 1000, now));
	KUNIT_EXPECT_EQ(test, ng_limit_bytes_left(&l, &c), 98000U);

	/* No limit compiled: off. */
	dt_limit(&l, 0, 0, 0, 0);
	KUNIT_EXPECT_FALSE(test, l.on);
}

/*
 * Refill precision: a flood (every jiffy, packets until one is refused)
 * for 10 s; the tokens per jiffy are rate * scale / HZ rounded down.
 * (A bucket refills once a jiffy, so rate / HZ must not pass the burst.)
 */
static void dt_test_limit_rate(struct kunit *test)
{
	static const u32 cfg[][2] = {	/* rate/s, burst */
		{ 10, 20 }, { 100, 200 }, { 100, 10 }, { 1000, 2000 },
		{ 1000, 8 }, { 5000, 10000 }, { 40000, 65535 },
		{ 65535, 65535 }, { 100, 1000 }, { 10, 1000 },
	};
	struct ng_limit_rt l;
	struct ng_conn c;
	u32 i, j, now, pass, per_jiffy;
	u64 want;

	for (i = 0; i < ARRAY_SIZE(cfg); i++) {
		dt_limit(&l, cfg[i][0], cfg[i][1], 0, 0);
		now = (u32)(-5 * HZ);
		dt_conn(&c, now);
		pass = 0;
		for (j = 0; j <= 10 * HZ; j++)
			pass += dt_take_all(&l, &c, 1, 100, now + j, U32_MAX);
		want = cfg[i][1] + (u64)cfg[i][0] * 10;
		per_jiffy = (u64)l.pkt_rate * l.pkt_scale / HZ;
		kunit_info(test, "limit %u/s burst %u: %u packets in 10 s, ideal %llu (%u/%u tokens a jiffy)\n",
			   cfg[i][0], cfg[i][1], pass, want, per_jiffy,
			   l.pkt_scale);
		KUNIT_EXPECT_LE(test, pass, want);
		/* Exact for the arithmetic, rounding down every jiffy... */
		KUNIT_EXPECT_EQ(test, pass, (u32)(cfg[i][1] +
			(u64)per_jiffy * 10 * HZ / l.pkt_scale));
		/* ...which is within 2 % when a jiffy brings 50 tokens. */
		if (per_jiffy >= 50)
			KUNIT_EXPECT_GE(test, (u64)pass * 100, want * 98);
	}

	/* Paced at the rate, nothing is refused. */
	dt_limit(&l, 50, 1, 0, 0);
	now = DT_T0;
	dt_conn(&c, now);
	for (j = 0, pass = 0; j < 10 * HZ; j += DIV_ROUND_UP(HZ, 50))
		pass += __ng_limit_take(&l, &c, 1, 100, now + j);
	KUNIT_EXPECT_EQ(test, pass, DIV_ROUND_UP(10 * HZ, DIV_ROUND_UP(HZ, 50)));

	/* Bytes: 1 MB/s, 1500-byte packets, every jiffy, 10 s. */
	dt_limit(&l, 0, 0, 1000000, 1000000);
	dt_conn(&c, now);
	for (j = 0, pass = 0; j <= 10 * HZ; j++)
		pass += dt_take_all(&l, &c, 1, 1500, now + j, U32_MAX);
	want = (1000000ULL * 11) / 1500;
	kunit_info(test, "bytes 1 MB/s: %u packets of 1500 in 10 s, ideal %llu\n",
		   pass, want);
	KUNIT_EXPECT_LE(test, pass, want);
	KUNIT_EXPECT_GE(test, (u64)pass * 100, want * 99);
}

static void dt_test_limit_large(struct kunit *test)
{
	struct ng_limit_rt l;
	struct ng_conn c;
	u32 j, now = DT_T0, pass;
	u64 want, bytes;

	/* Burst 65535 and beyond: a u16 of tokens, scale 1. */
	dt_limit(&l, 65535, 65535, 0, 0);
	dt_conn(&c, now);
	KUNIT_EXPECT_EQ(test, l.pkt_scale, 1U);
	KUNIT_EXPECT_EQ(test, dt_take_all(&l, &c, 1, 100, now, U32_MAX), 65535U);
	dt_limit(&l, 100, 1000000, 0, 0);
	KUNIT_EXPECT_EQ(test, l.pkt_cap, 65535U);

	/* The largest packet rate, burst 1, after the longest gap. */
	dt_limit(&l, U32_MAX, 1, 0, 0);
	KUNIT_EXPECT_EQ(test, l.pkt_scale, 65535U);
	dt_conn(&c, now);
	KUNIT_EXPECT_EQ(test, dt_take_all(&l, &c, 1, 100, now, 10), 1U);
	KUNIT_EXPECT_EQ(test, dt_take_all(&l, &c, 1, 100, now + 1, 10), 1U);
	KUNIT_EXPECT_EQ(test, dt_take_all(&l, &c, 1, 100, now + NG_LIMIT_MAX_GAP,
					  10), 1U);
	KUNIT_EXPECT_EQ(test, dt_take_all(&l, &c, 1, 100, now + 0x7fffffff,
					  10), 1U);

	/* 10 GB/s, burst capped at 4 GiB; 4 MB per (BIG TCP) packet. */
	dt_limit(&l, 0, 0, 10000000000ULL, 20000000000ULL);
	KUNIT_EXPECT_EQ(test, l.byte_cap, U32_MAX);
	dt_conn(&c, now);
	bytes = 0;
	for (j = 0; j <= 10 * HZ; j++)
		bytes += 4000000ULL * dt_take_all(&l, &c, 45, 4000000, now + j,
						  U32_MAX);
	want = U32_MAX + 10000000000ULL * 10;
	kunit_info(test, "bytes 10 GB/s: %llu bytes in 10 s, ideal %llu\n",
		   bytes, want);
	KUNIT_EXPECT_LE(test, bytes, want);
	KUNIT_EXPECT_GE(test, bytes * 100, want * 99);
	/* 1000 GB/s (nguardctl's largest) after the longest gap: full. */
	dt_limit(&l, 0, 0, 1000000000000ULL, 1000000000000ULL);
	KUNIT_EXPECT_EQ(test, dt_take_all(&l, &c, 1, 1U << 30, now + 20 * HZ, 10),
			3U);
	KUNIT_EXPECT_EQ(test, dt_take_all(&l, &c, 1, 1U << 30,
					  now + 20 * HZ + NG_LIMIT_MAX_GAP, 10), 3U);

	/* Packets of 45 segments at 10000/s, burst 100. */
	dt_limit(&l, 10000, 100, 0, 0);
	dt_conn(&c, now);
	for (j = 0, pass = 0; j <= 10 * HZ; j++)
		pass += 45 * dt_take_all(&l, &c, 45, 65000, now + j, U32_MAX);
	want = 100 + 10000 * 10;
	kunit_info(test, "limit 10000/s burst 100, 45 segments a packet: %u segments in 10 s, ideal %llu\n",
		   pass, want);
	KUNIT_EXPECT_LE(test, pass, want);
	KUNIT_EXPECT_GE(test, (u64)pass * 100, want * 98);
}

static void dt_test_limit_gap(struct kunit *test)
{
	struct ng_limit_rt l;
	struct ng_conn c;
	u32 now = (u32)-3;

	/* Across the wrap: last = -3, now = 1 s later. */
	dt_limit(&l, 10, 10, 0, 0);
	dt_conn(&c, now);
	KUNIT_EXPECT_EQ(test, dt_take_all(&l, &c, 1, 100, now, 100), 10U);
	KUNIT_EXPECT_EQ(test, dt_take_all(&l, &c, 1, 100, now + HZ, 100), 10U);
	KUNIT_EXPECT_EQ(test, c.last, now + HZ);

	/* A clock behind the entry's: no refill, nothing breaks. */
	KUNIT_EXPECT_EQ(test, dt_take_all(&l, &c, 1, 100, now + HZ - 5, 100), 0U);
	KUNIT_EXPECT_EQ(test, c.last, now + HZ - 5);

	/*
	 * Idle longer than NG_LIMIT_MAX_GAP refills completely, also when
	 * the burst takes longer than that to refill: 1/s, burst 100.
	 */
	dt_limit(&l, 1, 100, 1000, 100000);
	dt_conn(&c, now);
	KUNIT_EXPECT_EQ(test, dt_take_all(&l, &c, 1, 1000, now, 1000), 100U);
	now += 600 * HZ;
	KUNIT_EXPECT_EQ(test, dt_take_all(&l, &c, 1, 1000, now, 1000), 100U);
	KUNIT_EXPECT_EQ(test, ng_limit_bytes_left(&l, &c), 0U);
	now += 600 * HZ;
	KUNIT_EXPECT_EQ(test, ng_limit_pkts_left(&l, &c), 0U);
	KUNIT_EXPECT_TRUE(test, __ng_limit_take(&l, &c, 1, 100000, now));
	KUNIT_EXPECT_EQ(test, ng_limit_pkts_left(&l, &c), 99U);
}

/* ---- log.c ---- */

static struct ng_log *dt_log(struct kunit *test, bool quiet)
{
	struct dt_ctx *ctx = test->priv;

	ctx->log = kunit_kzalloc(test, sizeof(*ctx->log), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx->log);
	ng_log_init(ctx->log, &ctx->nn->stats, NGUARD_CNT_LOG_LINES,
		    NGUARD_CNT_LOG_SUPPRESSED, quiet);
	return ctx->log;
}

/* Lines allowed in a row until the first refusal (at most @max). */
static u32 dt_log_run(struct ng_log *l, u32 max)
{
	u32 n = 0;

	while (n < max && ng_log_allow(l))
		n++;
	return n;
}

/* Move the bucket's clock @ns into the past: that much time went by. */
static void dt_log_wait(struct ng_log *l, u64 ns)
{
	l->last -= ns;
}

static void dt_test_log(struct kunit *test)
{
	struct ng_log *l = dt_log(test, true);

	KUNIT_EXPECT_EQ(test, l->rate, (u32)NG_LOG_RATE);
	KUNIT_EXPECT_EQ(test, l->burst, (u32)NG_LOG_BURST);
	KUNIT_EXPECT_EQ(test, l->tokens,
			(u64)NG_LOG_BURST * NSEC_PER_SEC / NG_LOG_RATE);

	/* 1 line/s, burst 5: slow enough that real time does not matter. */
	ng_log_set(l, 1, 5);
	dt_log_wait(l, 100 * NSEC_PER_SEC);
	KUNIT_EXPECT_EQ(test, dt_log_run(l, 100), 5U);
	KUNIT_EXPECT_FALSE(test, ng_log_allow(l));
	KUNIT_EXPECT_EQ(test, dt_cnt(test, NGUARD_CNT_LOG_LINES), 5ULL);
	KUNIT_EXPECT_EQ(test, dt_cnt(test, NGUARD_CNT_LOG_SUPPRESSED), 2ULL);
	KUNIT_EXPECT_EQ(test, ng_log_take_suppressed(l), 2U);
	KUNIT_EXPECT_EQ(test, ng_log_take_suppressed(l), 0U);

	/* 3 s later, 3 lines. */
	dt_log_wait(l, 3 * NSEC_PER_SEC);
	KUNIT_EXPECT_EQ(test, dt_log_run(l, 100), 3U);
	KUNIT_EXPECT_EQ(test, dt_cnt(test, NGUARD_CNT_LOG_LINES), 8ULL);
	KUNIT_EXPECT_EQ(test, dt_cnt(test, NGUARD_CNT_LOG_SUPPRESSED), 3ULL);

	/* 2 lines/s: 1.5 s bring 3 lines. */
	ng_log_set(l, 2, 5);
	dt_log_wait(l, 1500 * NSEC_PER_MSEC);
	KUNIT_EXPECT_EQ(test, dt_log_run(l, 100), 3U);

	/* A lower burst cuts the credit at once; a higher one waits. */
	ng_log_set(l, 1, 5);
	dt_log_wait(l, 100 * NSEC_PER_SEC);
	KUNIT_EXPECT_TRUE(test, ng_log_allow(l));	/* 4 s of credit left */
	ng_log_set(l, 1, 2);
	KUNIT_EXPECT_EQ(test, dt_log_run(l, 100), 2U);
	ng_log_set(l, 1, 50);
	KUNIT_EXPECT_EQ(test, dt_log_run(l, 100), 0U);
	dt_log_wait(l, 1000 * NSEC_PER_SEC);
	KUNIT_EXPECT_EQ(test, dt_log_run(l, 100), 50U);

	/* 0 means the defaults; the largest accepted values do not overflow. */
	ng_log_set(l, 0, 0);
	KUNIT_EXPECT_EQ(test, l->rate, (u32)NG_LOG_RATE);
	KUNIT_EXPECT_EQ(test, l->burst, (u32)NG_LOG_BURST);
	ng_log_set(l, 1, 100000);
	dt_log_wait(l, 200000 * NSEC_PER_SEC);
	KUNIT_EXPECT_EQ(test, dt_log_run(l, 200000), 100000U);
	ng_log_set(l, 10000, 100000);
	KUNIT_EXPECT_LE(test, l->tokens, 100000ULL * (NSEC_PER_SEC / 10000));
}

/* A bucket that reports its suppressions: the summary work runs at exit. */
static void dt_test_log_report(struct kunit *test)
{
	struct ng_log *l = dt_log(test, false);

	ng_log_set(l, 1, 1);
	dt_log_wait(l, 10 * NSEC_PER_SEC);
	KUNIT_EXPECT_EQ(test, dt_log_run(l, 10), 1U);
	KUNIT_EXPECT_FALSE(test, ng_log_allow(l));
	KUNIT_EXPECT_EQ(test, atomic_read(&l->suppressed), 2);
	KUNIT_EXPECT_TRUE(test, delayed_work_pending(&l->report));
	/* dt_exit() calls ng_log_exit(): cancel, then the summary line. */
}

/* ---- ng_detect() ---- */

static struct ng_policy *dt_policy(struct kunit *test)
{
	struct dt_ctx *ctx = test->priv;

	ctx->p = kzalloc(sizeof(*ctx->p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx->p);
	ctx->p->src.mode = NGUARD_MODE_ENFORCE;
	return ctx->p;
}

static struct ng_detector *dt_add_det(struct ng_policy *p, u8 kind, u8 action)
{
	struct ng_detector *d = &p->src.det[p->src.ndet++];

	d->kind = kind;
	d->action = action;
	d->from = ANY;
	d->to = ANY;
	return d;
}

enum ng_detect_verdict {
	NG_DETECT_PASS,
	NG_DETECT_DROP,
};

/* ng_detect() as enforce.c uses it: reports, quarantine requests, verdict. */
static enum ng_detect_verdict dt_detect(struct kunit *test,
					const struct ng_policy *p,
					const struct ng_pkt *pkt, u16 src_seg,
					u16 dst_seg)
{
	struct ng_judgement j = { .src_seg = src_seg, .dst_seg = dst_seg,
				  .verdict = dt_verdict };
	const struct ng_detect_fired *f;
	struct ng_detect_result r;
	char detail[48];
	u32 i;

	rcu_read_lock();
	ng_detect(dt_nn(test), p, pkt, &j, &r);
	rcu_read_unlock();
	KUNIT_EXPECT_LE(test, r.n, (u32)NG_DETECT_FIRED_MAX);
	for (i = 0; i < r.n; i++) {
		f = &r.fired[i];
		if (f->first) {
			ng_detect_detail(f, pkt, detail, sizeof(detail));
			KUNIT_EXPECT_NE(test, detail[0], '\0');
			dt_calls.reports++;
			dt_calls.kind = f->d->kind;
			dt_calls.action = ng_detect_shown_action(p, f->d);
			dt_calls.count = f->count;
			dt_calls.block_secs = f->d->block_secs;
		}
		if (p->src.mode != NGUARD_MODE_MONITOR &&
		    f->d->action == NGUARD_ACTION_BLOCK && f->heavy) {
			dt_calls.blocks++;
			dt_calls.block_secs = f->d->block_secs;
		}
	}
	return ng_detect_drops(p, &r) ? NG_DETECT_DROP : NG_DETECT_PASS;
}

static void dt_test_tcpflags(struct kunit *test)
{
	static const struct {
		u8 flags;
		const char *why;
	} tab[] = {
		{ 0, "null" }, { 0xc0, "null" },
		{ NG_TCP_FIN | NG_TCP_PSH | NG_TCP_URG, "xmas" },
		{ 0x3f, "xmas" },
		{ NG_TCP_SYN | NG_TCP_FIN, "syn+fin" },
		{ NG_TCP_SYN | NG_TCP_FIN | NG_TCP_ACK, "syn+fin" },
		{ NG_TCP_SYN | NG_TCP_RST, "syn+rst" },
		{ NG_TCP_FIN, "fin-without-ack" },
		{ NG_TCP_FIN | NG_TCP_PSH, "fin-without-ack" },
		{ NG_TCP_RST, "no-syn" }, { NG_TCP_PSH, "no-syn" },
		{ NG_TCP_URG, "no-syn" },
		{ NG_TCP_SYN, NULL }, { NG_TCP_SYN | NG_TCP_ACK, NULL },
		{ NG_TCP_ACK, NULL }, { NG_TCP_FIN | NG_TCP_ACK, NULL },
		{ NG_TCP_RST | NG_TCP_ACK, NULL },
		{ NG_TCP_PSH | NG_TCP_ACK, NULL }, { 0xc2, NULL },
	};
	struct ng_policy *p = dt_policy(test);
	struct ng_detector *d;
	struct ng_pkt pkt;
	u32 i, bad = 0;

	for (i = 0; i < ARRAY_SIZE(tab); i++) {
		const char *got = ng_tcp_anomaly(tab[i].flags);

		if (!got != !tab[i].why ||
		    (got && strcmp(got, tab[i].why))) {
			kunit_info(test, "flags %#x: %s, want %s\n",
				   tab[i].flags, got ? got : "none",
				   tab[i].why ? tab[i].why : "none");
			bad++;
		}
	}
	KUNIT_EXPECT_EQ(test, bad, 0U);

	/* Through ng_detect(), no trackers: drop, counted, reported. */
	d = dt_add_det(p, NGUARD_DETECT_TCPFLAGS, NGUARD_ACTION_DROP);
	dt_pkt(&pkt, 4, 1, 2, IPPROTO_TCP, 80, NG_TCP_SYN | NG_TCP_FIN);
	KUNIT_EXPECT_EQ(test, dt_detect(test, p, &pkt, 1, 2), NG_DETECT_DROP);
	KUNIT_EXPECT_EQ(test, dt_cnt(test, NGUARD_CNT_ANOMALY_TCPFLAGS), 1ULL);
	KUNIT_EXPECT_EQ(test, dt_calls.reports, 1U);
	KUNIT_EXPECT_EQ(test, dt_calls.kind, (u8)NGUARD_DETECT_TCPFLAGS);
	KUNIT_EXPECT_EQ(test, dt_calls.action, (u8)NGUARD_ACTION_DROP);
	pkt.tcp_flags = NG_TCP_SYN;
	KUNIT_EXPECT_EQ(test, dt_detect(test, p, &pkt, 1, 2), NG_DETECT_PASS);
	/* UDP has no flags; ICMP errors are not looked at. */
	dt_pkt(&pkt, 4, 1, 2, IPPROTO_UDP, 53, 0);
	KUNIT_EXPECT_EQ(test, dt_detect(test, p, &pkt, 1, 2), NG_DETECT_PASS);
	dt_pkt(&pkt, 4, 1, 2, IPPROTO_TCP, 80, 0);
	pkt.kind = NG_PKT_ICMP_ERROR;
	KUNIT_EXPECT_EQ(test, dt_detect(test, p, &pkt, 1, 2), NG_DETECT_PASS);
	/* Monitor mode: reported as log, not dropped. */
	p->src.mode = NGUARD_MODE_MONITOR;
	dt_pkt(&pkt, 6, 1, 2, IPPROTO_TCP, 80, 0);
	KUNIT_EXPECT_EQ(test, dt_detect(test, p, &pkt, 1, 2), NG_DETECT_PASS);
	KUNIT_EXPECT_EQ(test, dt_calls.action, (u8)NGUARD_ACTION_LOG);
	KUNIT_EXPECT_EQ(test, dt_cnt(test, NGUARD_CNT_ANOMALY_TCPFLAGS), 2ULL);
	/* Out of scope: not looked at. */
	p->src.mode = NGUARD_MODE_ENFORCE;
	d->from = 3;
	KUNIT_EXPECT_EQ(test, dt_detect(test, p, &pkt, 1, 2), NG_DETECT_PASS);
	KUNIT_EXPECT_EQ(test, dt_detect(test, p, &pkt, 3, 2), NG_DETECT_DROP);
	KUNIT_EXPECT_EQ(test, dt_cnt(test, NGUARD_CNT_ANOMALY_TCPFLAGS), 3ULL);
}

static void dt_test_detect(struct kunit *test)
{
	struct ng_policy *p = dt_policy(test);
	struct ng_net *nn = dt_nn(test);
	struct ng_detector *ps, *sw, *sw2;
	u16 low[4];
	u64 used = 0;
	struct ng_pkt pkt;
	u32 h[4], i;

	RCU_INIT_POINTER(nn->det.trk, dt_table(test, 256));
	dt_ports(test, 1, 1024, ARRAY_SIZE(low), low, &used);
	dt_hosts(test, 0x0a000300, ARRAY_SIZE(h), h);
	ps = dt_add_det(p, NGUARD_DETECT_PORTSCAN, NGUARD_ACTION_BLOCK);
	ps->weight = 6;
	ps->window_ms = 3600000;
	ps->block_secs = 60;
	/* Sweeps into segment 2 are logged; any other, dropped. */
	sw = dt_add_det(p, NGUARD_DETECT_SWEEP, NGUARD_ACTION_LOG);
	sw->to = 2;
	sw->hosts = 3;
	sw->window_ms = 3600000;
	sw2 = dt_add_det(p, NGUARD_DETECT_SWEEP, NGUARD_ACTION_DROP);
	sw2->hosts = 2;
	sw2->window_ms = 3600000;

	/* Portscan: fires at the second low port, blocks, reports once. */
	dt_pkt(&pkt, 4, 0x0a000909, h[0], IPPROTO_TCP, low[0], NG_TCP_SYN);
	KUNIT_EXPECT_EQ(test, dt_detect(test, p, &pkt, 1, 2), NG_DETECT_PASS);
	pkt.dport = low[1];
	KUNIT_EXPECT_EQ(test, dt_detect(test, p, &pkt, 1, 2), NG_DETECT_DROP);
	KUNIT_EXPECT_EQ(test, dt_calls.blocks, 1U);
	KUNIT_EXPECT_EQ(test, dt_calls.block_secs, 60U);
	KUNIT_EXPECT_EQ(test, dt_calls.reports, 1U);
	KUNIT_EXPECT_EQ(test, dt_calls.kind, (u8)NGUARD_DETECT_PORTSCAN);
	KUNIT_EXPECT_EQ(test, dt_calls.count, 6U);
	pkt.dport = low[2];
	KUNIT_EXPECT_EQ(test, dt_detect(test, p, &pkt, 1, 2), NG_DETECT_DROP);
	KUNIT_EXPECT_EQ(test, dt_calls.reports, 1U);
	KUNIT_EXPECT_EQ(test, dt_calls.blocks, 2U);
	KUNIT_EXPECT_EQ(test, dt_cnt(test, NGUARD_CNT_ANOMALY_PORTSCAN), 1ULL);

	/* Sweep: ICMP (no ports, so no portscan), first matching scope. */
	for (i = 0; i < 3; i++) {
		dt_pkt(&pkt, 4, 0x0a000808, h[i], IPPROTO_ICMP, 0, 0);
		KUNIT_EXPECT_EQ(test, dt_detect(test, p, &pkt, 1, 2),
				NG_DETECT_PASS);
	}
	KUNIT_EXPECT_EQ(test, dt_cnt(test, NGUARD_CNT_ANOMALY_SWEEP), 1ULL);
	KUNIT_EXPECT_EQ(test, dt_calls.kind, (u8)NGUARD_DETECT_SWEEP);
	KUNIT_EXPECT_EQ(test, dt_calls.count, 3U);
	KUNIT_EXPECT_EQ(test, dt_cnt(test, NGUARD_CNT_ANOMALY_PORTSCAN), 1ULL);
	for (i = 0; i < 2; i++) {
		dt_pkt(&pkt, 4, 0x0a000808, h[i], IPPROTO_ICMP, 0, 0);
		KUNIT_EXPECT_EQ(test, dt_detect(test, p, &pkt, 1, 3),
				i ? NG_DETECT_DROP : NG_DETECT_PASS);
	}
	KUNIT_EXPECT_EQ(test, dt_cnt(test, NGUARD_CNT_ANOMALY_SWEEP), 2ULL);
	/* Monitor mode: no drop, no block. */
	p->src.mode = NGUARD_MODE_MONITOR;
	dt_pkt(&pkt, 4, 0x0a000808, h[2], IPPROTO_ICMP, 0, 0);
	KUNIT_EXPECT_EQ(test, dt_detect(test, p, &pkt, 1, 3), NG_DETECT_PASS);
	dt_pkt(&pkt, 4, 0x0a000909, h[0], IPPROTO_UDP, low[3], 0);
	KUNIT_EXPECT_EQ(test, dt_detect(test, p, &pkt, 1, 2), NG_DETECT_PASS);
	KUNIT_EXPECT_EQ(test, dt_calls.blocks, 2U);
	KUNIT_EXPECT_EQ(test, dt_cnt(test, NGUARD_CNT_TRACKER_EVICTIONS), 0ULL);
}

/*
 * IPv6 sources are their prefix: ng_src_mask() against a bit-by-bit
 * reference, then a port scan whose every probe comes from another
 * address of one /64 is caught (and the /64 blocked), unless the policy
 * keys IPv6 sources by the full address.
 */
static void dt_test_v6_prefix(struct kunit *test)
{
	struct ng_policy *p = dt_policy(test);
	struct ng_net *nn = dt_nn(test);
	struct ng_detector *ps;
	u64 seed = get_random_u64() | 1, rng = seed, used = 0;
	u8 a[16], m[16], want[16];
	u32 i, plen, bit, fired, fired64 = 0;
	struct ng_pkt pkt;
	u16 low[8];

	for (i = 0; i < 10000; i++) {
		for (bit = 0; bit < 16; bit += 8)
			put_unaligned_be64(dt_rng(&rng), a + bit);
		plen = get_random_u32_below(129);
		memset(want, 0, sizeof(want));
		for (bit = 0; bit < plen; bit++)
			want[bit / 8] |= a[bit / 8] & (0x80 >> (bit % 8));
		ng_src_mask(6, a, plen, m);
		KUNIT_ASSERT_EQ_MSG(test, memcmp(m, want, 16), 0,
				    "seed %llx plen %u", seed, plen);
	}
	ng_src_mask(4, a, 32, m);
	KUNIT_EXPECT_EQ(test, memcmp(m, a, 4), 0);

	RCU_INIT_POINTER(nn->det.trk, dt_table(test, 256));
	dt_ports(test, 1, 1024, ARRAY_SIZE(low), low, &used);
	ps = dt_add_det(p, NGUARD_DETECT_PORTSCAN, NGUARD_ACTION_BLOCK);
	ps->weight = 12;
	ps->window_ms = 3600000;
	ps->block_secs = 60;
	for (plen = 0; plen <= 128; plen += 128) {
		p->src.v6_src_plen = plen;	/* 0: the default /64 */
		fired = 0;
		for (i = 0; i < ARRAY_SIZE(low); i++) {
			/* 2001:db8::/64, another interface id per probe */
			dt_pkt(&pkt, 6, 0x100 + i + plen * 16, 0x200, IPPROTO_TCP,
			       low[i], NG_TCP_SYN);
			if (dt_detect(test, p, &pkt, 1, 2) == NG_DETECT_DROP)
				fired++;
		}
		if (plen) {
			KUNIT_EXPECT_EQ_MSG(test, fired, 0U, "/128: no source scanned");
		} else {
			KUNIT_EXPECT_GT_MSG(test, fired, 0U, "/64: the prefix scanned");
			fired64 = fired;
		}
	}
	/* Every firing probe of the /64 asked for the prefix's quarantine. */
	KUNIT_EXPECT_EQ(test, dt_calls.blocks, fired64);
}

/* ---- detect.c: bruteforce ---- */

/*
 * A random stream of connections from one source against a naive model
 * that keeps every connection's time: the window's sum never counts a
 * connection older than the window (the detector never fires early) and
 * always counts those younger than 7/8 of it (it overlooks at most an
 * eighth); it fires exactly when the sum reaches the threshold, and
 * reports once per episode. Gaps longer than the window, repeats and the
 * jiffies wrap included.
 */
#define DT_BRUTE_EVENTS	4096

static void dt_test_brute_model(struct kunit *test)
{
	struct ng_trk *t = dt_table(test, 64);
	struct ng_detector d = { .kind = NGUARD_DETECT_BRUTEFORCE };
	u64 seed = get_random_u64() | 1, rng = seed, r;
	u32 *ev = kunit_kcalloc(test, DT_BRUTE_EVENTS, sizeof(u32), GFP_KERNEL);
	u32 now = DT_T0, w, slice, n = 0, i, step, hits, lo, hi, tag = 1;
	u32 fires = 0, episodes = 0, bad = 0;
	bool fired, first, over, was = false;
	u8 src[16] = { 10, 0, 0, 1 };

	KUNIT_ASSERT_NOT_NULL(test, ev);
	d.window_ms = 2000 + get_random_u32_below(4) * 1000;
	d.hits = 3 + get_random_u32_below(10);
	w = msecs_to_jiffies(d.window_ms);
	slice = w / NG_BRUTE_SLICES;
	for (step = 0; step < DT_BRUTE_EVENTS && !bad; step++) {
		r = dt_rng(&rng);
		if (r % 64 == 0)
			now += w + (u32)(r >> 40) % (2 * w);	/* a pause */
		else
			now += (u32)(r >> 8) % (w / 4);
		/* One in eight repeats the last tag: skipped only if asked. */
		if (r % 8 != 1)
			tag++;
		fired = ng_brute(dt_nn(test), t, &d, 0, 4, src, tag,
				 r % 8 == 1, now, &hits, &first);
		if (r % 8 != 1 || step == 0)
			ev[n++] = now;	/* a repeat is the same connection */
		/* Model: connections younger than the window, than 7/8 of it. */
		for (i = n, lo = 0, hi = 0; i-- > 0 && now - ev[i] < w;) {
			hi++;
			if (now - ev[i] < NG_BRUTE_SLICES * slice - slice)
				lo++;
		}
		over = hits >= d.hits;
		if (hits < lo || hits > hi || fired != over ||
		    first != (fired && !was)) {
			kunit_info(test, "seed %llx step %u: hits %u, model %u..%u, fired %d first %d\n",
				   seed, step, hits, lo, hi, fired, first);
			bad++;
		}
		fires += fired;
		episodes += first;
		was = fired;
	}
	KUNIT_EXPECT_EQ(test, bad, 0U);
	/* The stream is dense enough that both sides of the threshold occur. */
	KUNIT_EXPECT_GT(test, episodes, 0U);
	KUNIT_EXPECT_LT(test, fires, step);
	kunit_info(test, "window %u ms, hits %u: %u steps, %u firing, %u episodes\n",
		   d.window_ms, d.hits, step, fires, episodes);
}

/*
 * ng_detect() end to end: only new connections to the statement's
 * service count (a SYN without ACK to a listed port, in the scope), the
 * Nth fires, reports once, drops and asks for the quarantine; a denied
 * SYN retransmitted counts once, an allowed one each time; UDP counts its
 * flows; the first matching statement wins.
 */
static void dt_test_brute_detect(struct kunit *test)
{
	struct ng_policy *p = dt_policy(test);
	struct ng_net *nn = dt_nn(test);
	struct ng_detector *ssh, *sip;
	struct ng_pkt pkt;
	u32 i;

	RCU_INIT_POINTER(nn->det.trk, dt_table(test, 256));
	ssh = dt_add_det(p, NGUARD_DETECT_BRUTEFORCE, NGUARD_ACTION_BLOCK);
	ssh->proto = IPPROTO_TCP;
	ssh->nports = 2;
	ssh->ports[0].lo = 22;
	ssh->ports[0].hi = 22;
	ssh->ports[1].lo = 2200;
	ssh->ports[1].hi = 2299;
	ssh->hits = 3;
	ssh->window_ms = 60000;
	ssh->block_secs = 3600;
	sip = dt_add_det(p, NGUARD_DETECT_BRUTEFORCE, NGUARD_ACTION_DROP);
	sip->to = 2;
	sip->proto = IPPROTO_UDP;
	sip->nports = 1;
	sip->ports[0].lo = 5060;
	sip->ports[0].hi = 5060;
	sip->hits = 2;
	sip->window_ms = 60000;

	/* Not the service: other ports, ACKs, another protocol. */
	dt_pkt(&pkt, 4, 0x0a000909, 0x0a000101, IPPROTO_TCP, 23, NG_TCP_SYN);
	for (i = 0; i < 5; i++) {
		pkt.sport = 40000 + i;
		KUNIT_EXPECT_EQ(test, dt_detect(test, p, &pkt, 1, 2), NG_DETECT_PASS);
	}
	dt_pkt(&pkt, 4, 0x0a000909, 0x0a000101, IPPROTO_TCP, 22, NG_TCP_ACK);
	for (i = 0; i < 5; i++)
		KUNIT_EXPECT_EQ(test, dt_detect(test, p, &pkt, 1, 2), NG_DETECT_PASS);
	dt_pkt(&pkt, 4, 0x0a000909, 0x0a000101, IPPROTO_UDP, 22, 0);
	for (i = 0; i < 5; i++) {
		pkt.sport = 40000 + i;
		KUNIT_EXPECT_EQ(test, dt_detect(test, p, &pkt, 1, 2), NG_DETECT_PASS);
	}
	KUNIT_EXPECT_EQ(test, dt_calls.reports, 0U);

	/* A denied SYN retransmitted three times is one connection... */
	dt_pkt(&pkt, 4, 0x0a000909, 0x0a000101, IPPROTO_TCP, 22, NG_TCP_SYN);
	pkt.tcp_seq = 1000;
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, dt_detect(test, p, &pkt, 1, 2), NG_DETECT_PASS);
	/* ...then a second (port 2222), and the third fires: block, drop. */
	pkt.sport++;
	pkt.dport = 2222;
	KUNIT_EXPECT_EQ(test, dt_detect(test, p, &pkt, 1, 2), NG_DETECT_PASS);
	pkt.sport++;
	pkt.dport = 22;
	KUNIT_EXPECT_EQ(test, dt_detect(test, p, &pkt, 1, 2), NG_DETECT_DROP);
	KUNIT_EXPECT_EQ(test, dt_calls.reports, 1U);
	KUNIT_EXPECT_EQ(test, dt_calls.kind, (u8)NGUARD_DETECT_BRUTEFORCE);
	KUNIT_EXPECT_EQ(test, dt_calls.count, 3U);
	KUNIT_EXPECT_EQ(test, dt_calls.blocks, 1U);
	KUNIT_EXPECT_EQ(test, dt_calls.block_secs, 3600U);
	/* The episode goes on: dropped, no second report. */
	pkt.sport++;
	KUNIT_EXPECT_EQ(test, dt_detect(test, p, &pkt, 1, 2), NG_DETECT_DROP);
	KUNIT_EXPECT_EQ(test, dt_calls.reports, 1U);
	KUNIT_EXPECT_EQ(test, dt_cnt(test, NGUARD_CNT_ANOMALY_BRUTEFORCE), 1ULL);

	/* Allowed, the same SYN again is a new connection (a reused tuple). */
	dt_verdict = NGUARD_VERDICT_ALLOW;
	dt_pkt(&pkt, 4, 0x0a000808, 0x0a000101, IPPROTO_TCP, 22, NG_TCP_SYN);
	KUNIT_EXPECT_EQ(test, dt_detect(test, p, &pkt, 1, 2), NG_DETECT_PASS);
	KUNIT_EXPECT_EQ(test, dt_detect(test, p, &pkt, 1, 2), NG_DETECT_PASS);
	KUNIT_EXPECT_EQ(test, dt_detect(test, p, &pkt, 1, 2), NG_DETECT_DROP);
	KUNIT_EXPECT_EQ(test, dt_cnt(test, NGUARD_CNT_ANOMALY_BRUTEFORCE), 2ULL);

	/* UDP to 5060: in segment 2 only; two flows fire (drop, no block). */
	dt_verdict = NGUARD_VERDICT_DENY;
	dt_calls.blocks = 0;
	dt_pkt(&pkt, 4, 0x0a000707, 0x0a000101, IPPROTO_UDP, 5060, 0);
	for (i = 0; i < 4; i++) {
		pkt.sport = 40000 + i;
		KUNIT_EXPECT_EQ(test, dt_detect(test, p, &pkt, 1, 3), NG_DETECT_PASS);
	}
	pkt.sport = 50000;
	KUNIT_EXPECT_EQ(test, dt_detect(test, p, &pkt, 1, 2), NG_DETECT_PASS);
	KUNIT_EXPECT_EQ(test, dt_detect(test, p, &pkt, 1, 2), NG_DETECT_PASS);
	pkt.sport = 50001;
	KUNIT_EXPECT_EQ(test, dt_detect(test, p, &pkt, 1, 2), NG_DETECT_DROP);
	KUNIT_EXPECT_EQ(test, dt_calls.blocks, 0U);
	KUNIT_EXPECT_EQ(test, dt_cnt(test, NGUARD_CNT_ANOMALY_BRUTEFORCE), 3ULL);

	/* Monitor mode: counted and reported, never dropped. */
	p->src.mode = NGUARD_MODE_MONITOR;
	dt_pkt(&pkt, 4, 0x0a000606, 0x0a000101, IPPROTO_TCP, 22, NG_TCP_SYN);
	for (i = 0; i < 4; i++) {
		pkt.sport = 40000 + i;
		KUNIT_EXPECT_EQ(test, dt_detect(test, p, &pkt, 1, 2), NG_DETECT_PASS);
	}
	KUNIT_EXPECT_EQ(test, dt_cnt(test, NGUARD_CNT_ANOMALY_BRUTEFORCE), 4ULL);
	KUNIT_EXPECT_EQ(test, dt_calls.action, (u8)NGUARD_ACTION_LOG);
}

static struct kunit_case dt_test_cases[] = {
	KUNIT_CASE(dt_test_trk_basic),
	KUNIT_CASE(dt_test_trk_takeover),
	KUNIT_CASE(dt_test_trk_random),
	KUNIT_CASE(dt_test_psd_score),
	KUNIT_CASE(dt_test_psd_decay),
	KUNIT_CASE(dt_test_psd_churn),
	KUNIT_CASE(dt_test_weigh),
	KUNIT_CASE(dt_test_sweep),
	KUNIT_CASE(dt_test_syn_burst),
	KUNIT_CASE(dt_test_syn_rate),
	KUNIT_CASE(dt_test_syn_overflow),
	KUNIT_CASE(dt_test_limit_burst),
	KUNIT_CASE(dt_test_limit_rate),
	KUNIT_CASE(dt_test_limit_large),
	KUNIT_CASE(dt_test_limit_gap),
	KUNIT_CASE(dt_test_log),
	KUNIT_CASE(dt_test_log_report),
	KUNIT_CASE(dt_test_tcpflags),
	KUNIT_CASE(dt_test_detect),
	KUNIT_CASE(dt_test_v6_prefix),
	KUNIT_CASE(dt_test_brute_model),
	KUNIT_CASE(dt_test_brute_detect),
	{}
};

static struct kunit_suite dt_test_suite = {
	.name = "nguard_detect",
	.init = dt_init,
	.exit = dt_exit,
	.test_cases = dt_test_cases,
};

kunit_test_suite(dt_test_suite);
