// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite for the address classifier (kmod/lpm.c, included below so the
 * test module carries its own copy and can force the direct table width).
 * Checks fixed corner cases, then random overlapping IPv4 and IPv6 prefix
 * sets against a naive reference (linear scan for the longest match).
 *
 * tests/bench builds this very file natively too (make -C tests/bench
 * check), with a small stand-in for the KUnit API under
 * tests/bench/kunit-native.
 */
#include <kunit/test.h>
#include <linux/random.h>
#include "../lpm.c"

/* Reference sets stay small so this runs quickly under KASAN in a VM. */
#define NG_LPM_TEST_NPFX	320

struct ng_lpm_test_pfx {
	u8 a[16];	/* v4: host-order address in a[0..3] as a u32 */
	u8 plen;
	u16 val;
};

struct ng_lpm_test_set {
	struct ng_lpm_test_pfx p[NG_LPM_TEST_NPFX];
	u32 n;
	u64 rng;
};

/* splitmix64: reproducible from the seed printed on failure */
static u64 ng_lpm_test_rnd(u64 *s)
{
	u64 z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static u32 ng_lpm_test_below(u64 *s, u32 n)
{
	return (u32)(((ng_lpm_test_rnd(s) >> 32) * n) >> 32);
}

static u64 ng_lpm_test_seed(void)
{
	u64 seed;

	get_random_bytes(&seed, sizeof(seed));
	return seed;
}

static u32 ng_lpm_test_get4(const u8 *a)
{
	u32 v;

	memcpy(&v, a, sizeof(v));
	return v;
}

static void ng_lpm_test_put4(u8 *a, u32 v)
{
	memcpy(a, &v, sizeof(v));
}

static u32 ng_lpm_test_mask4(u8 plen)
{
	return plen ? ~0U << (32 - plen) : 0;
}

/* Clear (or with @set, set) every bit of @a from bit @plen on. */
static void ng_lpm_test_host6(u8 *a, u8 plen, bool set)
{
	u32 i;

	for (i = plen; i < 128; i++) {
		if (set)
			a[i / 8] |= 0x80 >> (i % 8);
		else
			a[i / 8] &= ~(0x80 >> (i % 8));
	}
}

static bool ng_lpm_test_match6(const struct ng_lpm_test_pfx *p, const u8 *a)
{
	u32 full = p->plen / 8, rest = p->plen % 8;
	u8 m = (u8)(0xff00 >> rest);

	if (memcmp(p->a, a, full))
		return false;
	return !rest || !((p->a[full] ^ a[full]) & m);
}

static u16 ng_lpm_test_naive(const struct ng_lpm_test_set *s, bool v6,
			     const u8 *key)
{
	int best = -1;
	u16 val = 0;
	u32 i;

	for (i = 0; i < s->n; i++) {
		const struct ng_lpm_test_pfx *p = &s->p[i];
		bool hit;

		if (p->plen <= best)
			continue;
		if (v6)
			hit = ng_lpm_test_match6(p, key);
		else
			hit = !((ng_lpm_test_get4(p->a) ^ ng_lpm_test_get4(key)) &
				ng_lpm_test_mask4(p->plen));
		if (hit) {
			best = p->plen;
			val = p->val;
		}
	}
	return val;
}

static u16 ng_lpm_test_lookup(const struct ng_lpm *t, bool v6, const u8 *key)
{
	return v6 ? ng_lpm_lookup6(t, key) :
		    ng_lpm_lookup4(t, ng_lpm_test_get4(key));
}

static int ng_lpm_test_add(struct ng_lpm_builder *b, bool v6,
			   const struct ng_lpm_test_pfx *p)
{
	return v6 ? ng_lpm_builder_add6(b, p->a, p->plen, p->val) :
		    ng_lpm_builder_add4(b, ng_lpm_test_get4(p->a), p->plen,
					p->val);
}

/*
 * Random overlapping prefixes: half of them nest inside an earlier one.
 * Values come from a wide range or, for a quarter, from 1..4, so that
 * nested prefixes often repeat their parent's value. With @few, three
 * quarters nest and all values are 1..3.
 */
static void ng_lpm_test_gen(struct kunit *test, struct ng_lpm_test_set *s,
			    struct ng_lpm_builder *b, bool v6, u32 n, bool few)
{
	u32 bits = v6 ? 128 : 32, r, i, tries = 0;
	struct ng_lpm_test_pfx p;
	int err;

	s->n = 0;
	while (s->n < n && tries++ < 100 * n) {
		r = ng_lpm_test_below(&s->rng, 4);
		if (few)	/* deep nesting, values 1..3 */
			r = r ? 1 : 3;
		memset(&p, 0, sizeof(p));
		for (i = 0; i < 16; i += 8) {
			u64 x = ng_lpm_test_rnd(&s->rng);

			memcpy(p.a + i, &x, sizeof(x));
		}
		if (s->n && r < 2) {
			const struct ng_lpm_test_pfx *q =
				&s->p[ng_lpm_test_below(&s->rng, s->n)];

			p.plen = q->plen + ng_lpm_test_below(&s->rng,
							     bits - q->plen + 1);
			if (v6) {
				for (i = 0; i < q->plen; i++) {
					u8 m = 0x80 >> (i % 8);

					p.a[i / 8] = (p.a[i / 8] & ~m) |
						     (q->a[i / 8] & m);
				}
			} else {
				u32 m = ng_lpm_test_mask4(q->plen);

				ng_lpm_test_put4(p.a, (ng_lpm_test_get4(q->a) & m) |
						 (ng_lpm_test_get4(p.a) & ~m));
			}
		} else {
			p.plen = ng_lpm_test_below(&s->rng, bits + 1);
		}
		if (v6)
			ng_lpm_test_host6(p.a, p.plen, false);
		else
			ng_lpm_test_put4(p.a, ng_lpm_test_get4(p.a) &
					 ng_lpm_test_mask4(p.plen));
		p.val = 1 + ng_lpm_test_below(&s->rng, few ? 3 : r == 3 ? 4 : 65535);
		err = ng_lpm_test_add(b, v6, &p);
		if (err == -EEXIST)
			continue;
		KUNIT_ASSERT_EQ(test, err, 0);
		s->p[s->n++] = p;
	}
}

/*
 * A key: inside a random prefix (half), its first or last address or one
 * past them (a quarter), or uniformly random.
 */
static void ng_lpm_test_key(struct ng_lpm_test_set *s, bool v6, u8 *key)
{
	u32 r = ng_lpm_test_below(&s->rng, 8), i, k;
	const struct ng_lpm_test_pfx *p;
	u64 x;

	for (i = 0; i < 16; i += 8) {
		x = ng_lpm_test_rnd(&s->rng);
		memcpy(key + i, &x, sizeof(x));
	}
	if (!s->n || r < 2)
		return;
	p = &s->p[ng_lpm_test_below(&s->rng, s->n)];
	if (v6) {
		for (i = 0; i < p->plen; i++) {
			u8 m = 0x80 >> (i % 8);

			key[i / 8] = (key[i / 8] & ~m) | (p->a[i / 8] & m);
		}
		if (r == 2 || r == 3)
			ng_lpm_test_host6(key, p->plen, r == 3);
		if (r == 2) {		/* one before the first address */
			for (k = 16; k-- > 0 && !key[k]--;)
				;
		} else if (r == 3) {	/* one past the last address */
			for (k = 16; k-- > 0 && !++key[k];)
				;
		}
	} else {
		u32 m = ng_lpm_test_mask4(p->plen);
		u32 a = (ng_lpm_test_get4(p->a) & m) | (ng_lpm_test_get4(key) & ~m);

		if (r == 2)
			a = (a & m) - 1;
		else if (r == 3)
			a = (a | ~m) + 1;
		ng_lpm_test_put4(key, a);
	}
}

/* Build from @b (direct table @bits wide, 0 = auto) and compare @nkeys. */
static void ng_lpm_test_check(struct kunit *test, struct ng_lpm_test_set *s,
			      struct ng_lpm_builder *b, bool v6, u8 bits,
			      u32 nkeys, u64 seed)
{
	struct ng_lpm *t;
	u32 i, bad = 0;
	u16 got, want;
	u8 key[16];

	b->bits[v6] = bits;
	t = ng_lpm_build(b);
	KUNIT_ASSERT_NOT_NULL(test, t);
	for (i = 0; i < nkeys; i++) {
		ng_lpm_test_key(s, v6, key);
		got = ng_lpm_test_lookup(t, v6, key);
		want = ng_lpm_test_naive(s, v6, key);
		if (got != want && bad++ < 4) {
			char hex[33];
			u32 j;

			for (j = 0; j < (v6 ? 16 : 4); j++) {
				hex[2 * j] = "0123456789abcdef"[key[j] >> 4];
				hex[2 * j + 1] = "0123456789abcdef"[key[j] & 15];
			}
			hex[2 * j] = 0;
			KUNIT_FAIL(test, "v%d seed %llx bits %u key %s: got %u want %u",
				   v6 ? 6 : 4, (unsigned long long)seed, bits, hex,
				   got, want);
		}
	}
	KUNIT_EXPECT_EQ(test, bad, 0U);
	ng_lpm_free(t);
}

static void ng_lpm_test_random(struct kunit *test, bool v6, u32 nkeys)
{
	static const u8 bits[] = { 1, 5, 12, 18 };
	struct ng_lpm_test_set *s;
	struct ng_lpm_builder *b;
	u64 seed = ng_lpm_test_seed();
	u32 round, i;

	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	s->rng = seed;
	for (round = 0; round < 3; round++) {
		b = ng_lpm_builder_new();
		KUNIT_ASSERT_NOT_NULL(test, b);
		/*
		 * A big set, a small one and a small deeply nested one with
		 * few values, each with the automatic width.
		 */
		ng_lpm_test_gen(test, s, b, v6, round ? 40 : NG_LPM_TEST_NPFX,
				round == 2);
		ng_lpm_test_check(test, s, b, v6, 0, nkeys, seed);
		/* and, with fewer keys, every kind of direct table */
		for (i = 0; i < ARRAY_SIZE(bits); i++)
			ng_lpm_test_check(test, s, b, v6, bits[i], nkeys / 8,
					  seed);
		ng_lpm_builder_free(b);
	}
}

/* 3 * (24000 + 4 * 3000) = 108000 v4 lookups */
static void ng_lpm_test_random4(struct kunit *test)
{
	ng_lpm_test_random(test, false, 24000);
}

/* 3 * (16000 + 4 * 2000) = 72000 v6 lookups */
static void ng_lpm_test_random6(struct kunit *test)
{
	ng_lpm_test_random(test, true, 16000);
}

static void ng_lpm_test_empty(struct kunit *test)
{
	struct ng_lpm_builder *b = ng_lpm_builder_new();
	u8 a[16];
	struct ng_lpm *t;
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, b);
	t = ng_lpm_build(b);
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_GT(test, ng_lpm_mem(t), (size_t)0);
	KUNIT_EXPECT_EQ(test, ng_lpm_lookup4(t, 0), 0);
	KUNIT_EXPECT_EQ(test, ng_lpm_lookup4(t, 0xffffffffU), 0);
	memset(a, 0, sizeof(a));
	KUNIT_EXPECT_EQ(test, ng_lpm_lookup6(t, a), 0);
	for (i = 0; i < 1000; i++) {
		get_random_bytes(a, sizeof(a));
		KUNIT_EXPECT_EQ(test, ng_lpm_lookup4(t, ng_lpm_test_get4(a)), 0);
		KUNIT_EXPECT_EQ(test, ng_lpm_lookup6(t, a), 0);
	}
	ng_lpm_free(t);
	ng_lpm_builder_free(b);
	ng_lpm_free(NULL);
	ng_lpm_builder_free(NULL);
}

static void ng_lpm_test_default_route(struct kunit *test)
{
	struct ng_lpm_builder *b = ng_lpm_builder_new();
	static const u8 any[16];
	struct ng_lpm *t;
	u8 a[16];
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_EQ(test, ng_lpm_builder_add4(b, 0, 0, 7), 0);
	KUNIT_ASSERT_EQ(test, ng_lpm_builder_add6(b, any, 0, 9), 0);
	/* a more specific prefix punches a hole with another value */
	KUNIT_ASSERT_EQ(test, ng_lpm_builder_add4(b, 0x0a000000, 8, 3), 0);
	t = ng_lpm_build(b);
	KUNIT_ASSERT_NOT_NULL(test, t);
	for (i = 0; i < 1000; i++) {
		u32 v4;

		get_random_bytes(a, sizeof(a));
		v4 = ng_lpm_test_get4(a);
		KUNIT_EXPECT_EQ(test, ng_lpm_lookup4(t, v4),
				(v4 >> 24) == 10 ? 3 : 7);
		KUNIT_EXPECT_EQ(test, ng_lpm_lookup6(t, a), 9);
	}
	KUNIT_EXPECT_EQ(test, ng_lpm_lookup4(t, 0), 7);
	KUNIT_EXPECT_EQ(test, ng_lpm_lookup4(t, 0xffffffffU), 7);
	KUNIT_EXPECT_EQ(test, ng_lpm_lookup4(t, 0x09ffffffU), 7);
	KUNIT_EXPECT_EQ(test, ng_lpm_lookup4(t, 0x0a000000U), 3);
	KUNIT_EXPECT_EQ(test, ng_lpm_lookup4(t, 0x0affffffU), 3);
	KUNIT_EXPECT_EQ(test, ng_lpm_lookup4(t, 0x0b000000U), 7);
	ng_lpm_free(t);
	ng_lpm_builder_free(b);
}

static void ng_lpm_test_host_routes(struct kunit *test)
{
	static const u32 h4[] = { 0, 1, 0x7f000001, 0xc0a80101, 0xfffffffe,
				  0xffffffff };
	struct ng_lpm_builder *b = ng_lpm_builder_new();
	u8 a[16], z[16];
	struct ng_lpm *t;
	u32 i, k;

	KUNIT_ASSERT_NOT_NULL(test, b);
	for (i = 0; i < ARRAY_SIZE(h4); i++)
		KUNIT_ASSERT_EQ(test, ng_lpm_builder_add4(b, h4[i], 32, 100 + i), 0);
	/* ::, ::1, 2001:db8::1, ff..ff, each a /128 */
	memset(a, 0, sizeof(a));
	KUNIT_ASSERT_EQ(test, ng_lpm_builder_add6(b, a, 128, 200), 0);
	a[15] = 1;
	KUNIT_ASSERT_EQ(test, ng_lpm_builder_add6(b, a, 128, 201), 0);
	a[0] = 0x20;
	a[1] = 0x01;
	a[2] = 0x0d;
	a[3] = 0xb8;
	KUNIT_ASSERT_EQ(test, ng_lpm_builder_add6(b, a, 128, 202), 0);
	memset(a, 0xff, sizeof(a));
	KUNIT_ASSERT_EQ(test, ng_lpm_builder_add6(b, a, 128, 203), 0);
	t = ng_lpm_build(b);
	KUNIT_ASSERT_NOT_NULL(test, t);

	for (i = 0; i < ARRAY_SIZE(h4); i++)
		KUNIT_EXPECT_EQ(test, ng_lpm_lookup4(t, h4[i]), 100 + i);
	KUNIT_EXPECT_EQ(test, ng_lpm_lookup4(t, 2), 0);
	KUNIT_EXPECT_EQ(test, ng_lpm_lookup4(t, 0x7f000000), 0);
	KUNIT_EXPECT_EQ(test, ng_lpm_lookup4(t, 0x7f000002), 0);
	KUNIT_EXPECT_EQ(test, ng_lpm_lookup4(t, 0xc0a80100), 0);
	KUNIT_EXPECT_EQ(test, ng_lpm_lookup4(t, 0xfffffffd), 0);

	memset(z, 0, sizeof(z));
	KUNIT_EXPECT_EQ(test, ng_lpm_lookup6(t, z), 200);
	z[15] = 1;
	KUNIT_EXPECT_EQ(test, ng_lpm_lookup6(t, z), 201);
	z[15] = 2;
	KUNIT_EXPECT_EQ(test, ng_lpm_lookup6(t, z), 0);
	z[15] = 1;
	z[0] = 0x20;
	z[1] = 0x01;
	z[2] = 0x0d;
	z[3] = 0xb8;
	KUNIT_EXPECT_EQ(test, ng_lpm_lookup6(t, z), 202);
	/* any single flipped bit misses */
	for (k = 0; k < 128; k++) {
		z[k / 8] ^= 0x80 >> (k % 8);
		KUNIT_EXPECT_EQ(test, ng_lpm_lookup6(t, z), 0);
		z[k / 8] ^= 0x80 >> (k % 8);
	}
	memset(a, 0xff, sizeof(a));
	KUNIT_EXPECT_EQ(test, ng_lpm_lookup6(t, a), 203);
	a[15] = 0xfe;
	KUNIT_EXPECT_EQ(test, ng_lpm_lookup6(t, a), 0);
	ng_lpm_free(t);
	ng_lpm_builder_free(b);
}

/*
 * A chain of nested prefixes of every length 0..32 (0..128) around one
 * address, value length + 1: flipping bit i of the address leaves exactly
 * the prefixes of length <= i matching.
 */
static void ng_lpm_test_nested_lengths(struct kunit *test)
{
	static const u8 bits[] = { 0, 1, 6, 16, 18 };
	struct ng_lpm_builder *b;
	struct ng_lpm *t;
	u8 a[16], p[16];
	u32 round, w, i, v4;

	for (round = 0; round < 8; round++) {
		b = ng_lpm_builder_new();
		KUNIT_ASSERT_NOT_NULL(test, b);
		get_random_bytes(a, sizeof(a));
		if (round == 1)
			memset(a, 0, sizeof(a));
		if (round == 2)
			memset(a, 0xff, sizeof(a));
		v4 = ng_lpm_test_get4(a);
		for (i = 0; i <= 32; i++) {
			u32 net = v4 & ng_lpm_test_mask4(i);

			KUNIT_ASSERT_EQ(test, ng_lpm_builder_add4(b, net, i, i + 1), 0);
		}
		for (i = 0; i <= 128; i++) {
			memcpy(p, a, sizeof(p));
			ng_lpm_test_host6(p, i, false);
			KUNIT_ASSERT_EQ(test, ng_lpm_builder_add6(b, p, i, i + 1), 0);
		}
		for (w = 0; w < ARRAY_SIZE(bits); w++) {
			b->bits[NG_LPM_V4] = bits[w];
			b->bits[NG_LPM_V6] = bits[w];
			t = ng_lpm_build(b);
			KUNIT_ASSERT_NOT_NULL(test, t);
			KUNIT_EXPECT_EQ(test, ng_lpm_lookup4(t, v4), 33);
			KUNIT_EXPECT_EQ(test, ng_lpm_lookup6(t, a), 129);
			for (i = 0; i < 32; i++) {
				u32 k4 = v4 ^ (0x80000000U >> i);

				KUNIT_EXPECT_EQ(test, ng_lpm_lookup4(t, k4), i + 1);
			}
			for (i = 0; i < 128; i++) {
				a[i / 8] ^= 0x80 >> (i % 8);
				KUNIT_EXPECT_EQ(test, ng_lpm_lookup6(t, a), i + 1);
				a[i / 8] ^= 0x80 >> (i % 8);
			}
			ng_lpm_free(t);
		}
		ng_lpm_builder_free(b);
	}
}

/*
 * Prefixes repeating the value of an outer one are dropped at build time:
 * a/0 = 1, a/m = 2, a/(m + 1) = 1 must keep the innermost for every m.
 */
static void ng_lpm_test_same_values(struct kunit *test)
{
	struct ng_lpm_builder *b;
	struct ng_lpm *t;
	u8 a[16], p[16];
	u32 m, v4;

	for (m = 1; m < 128; m++) {
		b = ng_lpm_builder_new();
		KUNIT_ASSERT_NOT_NULL(test, b);
		get_random_bytes(a, sizeof(a));
		a[m / 8] |= 0x80 >> (m % 8);	/* a/(m + 1) != a/m + host bits */
		memset(p, 0, sizeof(p));
		KUNIT_ASSERT_EQ(test, ng_lpm_builder_add6(b, p, 0, 1), 0);
		memcpy(p, a, sizeof(p));
		ng_lpm_test_host6(p, m, false);
		KUNIT_ASSERT_EQ(test, ng_lpm_builder_add6(b, p, m, 2), 0);
		memcpy(p, a, sizeof(p));
		ng_lpm_test_host6(p, m + 1, false);
		KUNIT_ASSERT_EQ(test, ng_lpm_builder_add6(b, p, m + 1, 1), 0);
		v4 = ng_lpm_test_get4(a) | (m < 32 ? 0x80000000U >> m : 0);
		if (m < 32) {
			u32 outer = v4 & ng_lpm_test_mask4(m);
			u32 inner = v4 & ng_lpm_test_mask4(m + 1);

			KUNIT_ASSERT_EQ(test, ng_lpm_builder_add4(b, 0, 0, 1), 0);
			KUNIT_ASSERT_EQ(test, ng_lpm_builder_add4(b, outer, m, 2), 0);
			KUNIT_ASSERT_EQ(test, ng_lpm_builder_add4(b, inner, m + 1, 1), 0);
		}
		t = ng_lpm_build(b);
		KUNIT_ASSERT_NOT_NULL(test, t);
		KUNIT_EXPECT_EQ(test, ng_lpm_lookup6(t, a), 1);
		a[m / 8] ^= 0x80 >> (m % 8);
		KUNIT_EXPECT_EQ(test, ng_lpm_lookup6(t, a), 2);
		a[0] ^= 0x80;
		KUNIT_EXPECT_EQ(test, ng_lpm_lookup6(t, a), 1);
		if (m < 32) {
			KUNIT_EXPECT_EQ(test, ng_lpm_lookup4(t, v4), 1);
			v4 ^= 0x80000000U >> m;
			KUNIT_EXPECT_EQ(test, ng_lpm_lookup4(t, v4), 2);
			KUNIT_EXPECT_EQ(test, ng_lpm_lookup4(t, v4 ^ 0x80000000U), 1);
		}
		ng_lpm_free(t);
		ng_lpm_builder_free(b);
	}
}

/* Each prefix length alone: its first and last address match, not beyond. */
static void ng_lpm_test_single_lengths(struct kunit *test)
{
	struct ng_lpm_builder *b;
	struct ng_lpm *t;
	u32 len, v4, first, last;
	u8 a[16], k[16];
	int i;

	for (len = 0; len <= 32; len++) {
		b = ng_lpm_builder_new();
		KUNIT_ASSERT_NOT_NULL(test, b);
		get_random_bytes(&v4, sizeof(v4));
		first = v4 & ng_lpm_test_mask4(len);
		last = first | ~ng_lpm_test_mask4(len);
		KUNIT_ASSERT_EQ(test, ng_lpm_builder_add4(b, first, len, 5), 0);
		t = ng_lpm_build(b);
		KUNIT_ASSERT_NOT_NULL(test, t);
		KUNIT_EXPECT_EQ(test, ng_lpm_lookup4(t, first), 5);
		KUNIT_EXPECT_EQ(test, ng_lpm_lookup4(t, last), 5);
		KUNIT_EXPECT_EQ(test, ng_lpm_lookup4(t, first + (last - first) / 2), 5);
		if (first)
			KUNIT_EXPECT_EQ(test, ng_lpm_lookup4(t, first - 1), 0);
		if (last != 0xffffffffU)
			KUNIT_EXPECT_EQ(test, ng_lpm_lookup4(t, last + 1), 0);
		ng_lpm_free(t);
		ng_lpm_builder_free(b);
	}
	for (len = 0; len <= 128; len++) {
		b = ng_lpm_builder_new();
		KUNIT_ASSERT_NOT_NULL(test, b);
		get_random_bytes(a, sizeof(a));
		ng_lpm_test_host6(a, len, false);
		KUNIT_ASSERT_EQ(test, ng_lpm_builder_add6(b, a, len, 6), 0);
		t = ng_lpm_build(b);
		KUNIT_ASSERT_NOT_NULL(test, t);
		KUNIT_EXPECT_EQ(test, ng_lpm_lookup6(t, a), 6);
		memcpy(k, a, sizeof(k));
		for (i = 15; i >= 0 && !k[i]--; i--)	/* first - 1 */
			;
		KUNIT_EXPECT_EQ(test, ng_lpm_lookup6(t, k), len ? 0 : 6);
		memcpy(k, a, sizeof(k));
		ng_lpm_test_host6(k, len, true);
		KUNIT_EXPECT_EQ(test, ng_lpm_lookup6(t, k), 6);
		for (i = 15; i >= 0 && !++k[i]; i--)	/* last + 1 */
			;
		KUNIT_EXPECT_EQ(test, ng_lpm_lookup6(t, k), len ? 0 : 6);
		ng_lpm_free(t);
		ng_lpm_builder_free(b);
	}
}

static void ng_lpm_test_errors(struct kunit *test)
{
	struct ng_lpm_builder *b = ng_lpm_builder_new();
	struct ng_lpm *t;
	u8 a[16];

	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, ng_lpm_builder_add4(b, 0, 33, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, ng_lpm_builder_add4(b, 0x0a000001, 24, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, ng_lpm_builder_add4(b, 0x80000000U, 0, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, ng_lpm_builder_add4(b, 0x0a000000, 8, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, ng_lpm_builder_add4(b, 0x0a000000, 8, 1), 0);
	KUNIT_EXPECT_EQ(test, ng_lpm_builder_add4(b, 0x0a000000, 8, 1), -EEXIST);
	KUNIT_EXPECT_EQ(test, ng_lpm_builder_add4(b, 0x0a000000, 8, 2), -EEXIST);
	KUNIT_EXPECT_EQ(test, ng_lpm_builder_add4(b, 0x0a000000, 16, 2), 0);
	KUNIT_EXPECT_EQ(test, ng_lpm_builder_add4(b, 0x0a000000, 32, 4), 0);
	KUNIT_EXPECT_EQ(test, ng_lpm_builder_add4(b, 0x0a000001, 32, 4), 0);

	memset(a, 0, sizeof(a));
	KUNIT_EXPECT_EQ(test, ng_lpm_builder_add6(b, a, 129, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, ng_lpm_builder_add6(b, a, 0, 0), -EINVAL);
	a[0] = 0x0a;	/* same bits as 10.0.0.0/8, other family: no clash */
	KUNIT_EXPECT_EQ(test, ng_lpm_builder_add6(b, a, 8, 3), 0);
	KUNIT_EXPECT_EQ(test, ng_lpm_builder_add6(b, a, 8, 3), -EEXIST);
	a[5] = 1;	/* host bit in the upper half */
	KUNIT_EXPECT_EQ(test, ng_lpm_builder_add6(b, a, 40, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, ng_lpm_builder_add6(b, a, 48, 5), 0);
	a[8] = 0x80;	/* host bit right after a /64 */
	KUNIT_EXPECT_EQ(test, ng_lpm_builder_add6(b, a, 64, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, ng_lpm_builder_add6(b, a, 65, 6), 0);
	a[15] = 1;	/* host bit in the lower half */
	KUNIT_EXPECT_EQ(test, ng_lpm_builder_add6(b, a, 127, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, ng_lpm_builder_add6(b, a, 128, 7), 0);

	/* the failed adds left no trace */
	t = ng_lpm_build(b);
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_EQ(test, ng_lpm_lookup4(t, 0x0a0000ff), 2);
	KUNIT_EXPECT_EQ(test, ng_lpm_lookup4(t, 0x0a010000), 1);
	KUNIT_EXPECT_EQ(test, ng_lpm_lookup4(t, 0x0a000000), 4);
	KUNIT_EXPECT_EQ(test, ng_lpm_lookup4(t, 0x0a000001), 4);
	KUNIT_EXPECT_EQ(test, ng_lpm_lookup4(t, 0x0b000000), 0);
	KUNIT_EXPECT_EQ(test, ng_lpm_lookup6(t, a), 7);
	a[15] = 0;
	KUNIT_EXPECT_EQ(test, ng_lpm_lookup6(t, a), 6);
	a[8] = 0;
	KUNIT_EXPECT_EQ(test, ng_lpm_lookup6(t, a), 5);
	a[5] = 0;
	KUNIT_EXPECT_EQ(test, ng_lpm_lookup6(t, a), 3);
	a[0] = 0x0b;
	KUNIT_EXPECT_EQ(test, ng_lpm_lookup6(t, a), 0);
	ng_lpm_free(t);
	ng_lpm_builder_free(b);
}

/* The builder stays usable: build, add more, build again. */
static void ng_lpm_test_rebuild(struct kunit *test)
{
	struct ng_lpm_builder *b = ng_lpm_builder_new();
	struct ng_lpm *t1, *t2;

	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_EQ(test, ng_lpm_builder_add4(b, 0xc0a80000, 16, 1), 0);
	t1 = ng_lpm_build(b);
	KUNIT_ASSERT_NOT_NULL(test, t1);
	KUNIT_ASSERT_EQ(test, ng_lpm_builder_add4(b, 0xc0a80100, 24, 2), 0);
	t2 = ng_lpm_build(b);
	KUNIT_ASSERT_NOT_NULL(test, t2);
	KUNIT_EXPECT_EQ(test, ng_lpm_lookup4(t1, 0xc0a80101), 1);
	KUNIT_EXPECT_EQ(test, ng_lpm_lookup4(t2, 0xc0a80101), 2);
	KUNIT_EXPECT_EQ(test, ng_lpm_lookup4(t2, 0xc0a80201), 1);
	ng_lpm_free(t1);
	ng_lpm_free(t2);
	ng_lpm_builder_free(b);
}

static struct kunit_case ng_lpm_test_cases[] = {
	KUNIT_CASE(ng_lpm_test_empty),
	KUNIT_CASE(ng_lpm_test_default_route),
	KUNIT_CASE(ng_lpm_test_host_routes),
	KUNIT_CASE(ng_lpm_test_nested_lengths),
	KUNIT_CASE(ng_lpm_test_single_lengths),
	KUNIT_CASE(ng_lpm_test_same_values),
	KUNIT_CASE(ng_lpm_test_errors),
	KUNIT_CASE(ng_lpm_test_rebuild),
	KUNIT_CASE(ng_lpm_test_random4),
	KUNIT_CASE(ng_lpm_test_random6),
	{}
};

static struct kunit_suite ng_lpm_test_suite = {
	.name = "nguard_lpm",
	.test_cases = ng_lpm_test_cases,
};

kunit_test_suite(ng_lpm_test_suite);
/* MODULE_LICENSE() and MODULE_DESCRIPTION() come with stats_test.c. */
