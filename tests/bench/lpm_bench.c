// SPDX-License-Identifier: GPL-2.0-only
/*
 * Native benchmark and cross-check of the address classifier (kmod/lpm.c,
 * compiled unchanged into lpm.o through the native branch of lpm_shim.h).
 *
 * Compares it with a naive reference (linear scan for the longest match)
 * and with a baseline path-compressed binary trie built like WireGuard's
 * allowedips (one node per bit run, lookups walk bits), on BGP-like prefix
 * sets of 1k, 10k, 100k and 1M prefixes per family. For 1M prefixes,
 * --check uses a per-length hash reference instead of the trie, which takes
 * seconds to build.
 *
 *   lpm_bench            verify, then print a markdown table of timings
 *   lpm_bench --check    verification only; exit status 1 on any mismatch
 *   lpm_bench --reps N   best of N timing repetitions (default 5)
 *   lpm_bench --only N   only the sets of N prefixes
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <errno.h>
#include "lpm.h"

typedef struct { u64 hi, lo; } key128;

struct pfx {
	u64 hi, lo;		/* v4: address in the top 32 bits of hi */
	u8 plen;
	u16 val;
};

/* ---------------------------------------------------------------- rng */

static u64 rng_state = 0x6e67756172642121ULL;

static u64 rnd(void)
{
	u64 z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static u32 rndn(u32 n)
{
	return (u32)(((rnd() >> 32) * n) >> 32);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void *xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n, sz);

	if (!p) {
		perror("calloc");
		exit(2);
	}
	return p;
}

/* ------------------------------------------------------ 128-bit helpers */

static inline void mask128(u8 plen, u64 *mhi, u64 *mlo)
{
	*mhi = plen == 0 ? 0 : plen >= 64 ? ~0ULL : ~0ULL << (64 - plen);
	*mlo = plen <= 64 ? 0 : plen >= 128 ? ~0ULL : ~0ULL << (128 - plen);
}

static inline int match128(u64 phi, u64 plo, u8 plen, u64 hi, u64 lo)
{
	u64 mhi, mlo;

	mask128(plen, &mhi, &mlo);
	return !((phi ^ hi) & mhi) && !((plo ^ lo) & mlo);
}

static inline unsigned int common128(u64 ahi, u64 alo, u64 bhi, u64 blo)
{
	if (ahi != bhi)
		return __builtin_clzll(ahi ^ bhi);
	if (alo != blo)
		return 64 + __builtin_clzll(alo ^ blo);
	return 128;
}

static inline unsigned int bit128(u64 hi, u64 lo, unsigned int pos)
{
	if (pos < 64)
		return (hi >> (63 - pos)) & 1;
	if (pos < 128)
		return (lo >> (127 - pos)) & 1;
	return 0;
}

static void to_bytes(u64 hi, u64 lo, u8 out[16])
{
	int i;

	for (i = 0; i < 8; i++) {
		out[i] = hi >> (56 - 8 * i);
		out[8 + i] = lo >> (56 - 8 * i);
	}
}

/* ------------------------------------------------- naive reference */

static u16 naive_lookup(const struct pfx *p, size_t n, u64 hi, u64 lo)
{
	int best = -1;
	u16 val = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if ((int)p[i].plen > best && match128(p[i].hi, p[i].lo, p[i].plen, hi, lo)) {
			best = p[i].plen;
			val = p[i].val;
		}
	return val;
}

/* ------------------- hash reference: one probe per prefix length */

/*
 * Independent of both tries and fast enough for 1M prefixes: a hash set of
 * (masked address, length), probed from the longest length present down.
 */
struct href {
	struct pfx *tab;	/* plen 255 = empty */
	size_t mask;
	u8 lens[129];
	int nlens;
};

static size_t href_hash(u64 hi, u64 lo, u8 plen)
{
	u64 x = hi * 0x9e3779b97f4a7c15ULL ^ lo * 0xc2b2ae3d27d4eb4fULL ^ plen;

	x ^= x >> 29;
	x *= 0xbf58476d1ce4e5b9ULL;
	return x ^ (x >> 32);
}

static void href_init(struct href *r, const struct pfx *p, size_t n)
{
	int present[129] = { 0 }, l;
	size_t i, h, cap = 16;

	while (cap < 2 * n)
		cap *= 2;
	r->tab = xcalloc(cap, sizeof(*r->tab));
	r->mask = cap - 1;
	for (i = 0; i <= r->mask; i++)
		r->tab[i].plen = 255;
	for (i = 0; i < n; i++) {
		for (h = href_hash(p[i].hi, p[i].lo, p[i].plen) & r->mask;
		     r->tab[h].plen != 255; h = (h + 1) & r->mask)
			;
		r->tab[h] = p[i];
		present[p[i].plen] = 1;
	}
	r->nlens = 0;
	for (l = 128; l >= 0; l--)
		if (present[l])
			r->lens[r->nlens++] = l;
}

static u16 href_lookup(const struct href *r, u64 hi, u64 lo)
{
	int i;

	for (i = 0; i < r->nlens; i++) {
		u8 l = r->lens[i];
		u64 mhi, mlo, khi, klo;
		size_t h;

		mask128(l, &mhi, &mlo);
		khi = hi & mhi;
		klo = lo & mlo;
		for (h = href_hash(khi, klo, l) & r->mask; r->tab[h].plen != 255;
		     h = (h + 1) & r->mask)
			if (r->tab[h].plen == l && r->tab[h].hi == khi && r->tab[h].lo == klo)
				return r->tab[h].val;
	}
	return 0;
}

/* ------------------------------------- baseline: allowedips-like trie */

struct bnode {
	struct bnode *bit[2];
	u64 hi, lo;
	u16 val;		/* 0: intermediate node without a prefix */
	u8 cidr;
};

struct btrie {
	struct bnode *root;
	unsigned int bits;	/* 32 or 128 */
	struct bnode **chunks;
	size_t nchunks, used, nodes;
};

#define BCHUNK 65536

static struct bnode *bnode_new(struct btrie *t, u64 hi, u64 lo, u8 cidr, u16 val)
{
	struct bnode *n;

	if (!t->nchunks || t->used == BCHUNK) {
		t->chunks = realloc(t->chunks, (t->nchunks + 1) * sizeof(*t->chunks));
		if (!t->chunks)
			exit(2);
		t->chunks[t->nchunks++] = xcalloc(BCHUNK, sizeof(struct bnode));
		t->used = 0;
	}
	n = &t->chunks[t->nchunks - 1][t->used++];
	t->nodes++;
	n->hi = hi;
	n->lo = lo;
	n->cidr = cidr;
	n->val = val;
	return n;
}

static inline unsigned int bchoose(const struct bnode *n, u64 hi, u64 lo)
{
	return bit128(hi, lo, n->cidr);
}

static void btrie_insert(struct btrie *t, u64 hi, u64 lo, u8 cidr, u16 val)
{
	struct bnode *node = NULL, *parent, *down, *newnode, *p = t->root;
	unsigned int c;

	if (!t->root) {
		t->root = bnode_new(t, hi, lo, cidr, val);
		return;
	}
	/* node_placement() */
	while (p && p->cidr <= cidr && match128(p->hi, p->lo, p->cidr, hi, lo)) {
		node = p;
		if (node->cidr == cidr) {
			node->val = val;
			return;
		}
		p = node->bit[bchoose(node, hi, lo)];
	}
	newnode = bnode_new(t, hi, lo, cidr, val);
	if (!node) {
		down = t->root;
	} else {
		down = node->bit[bchoose(node, hi, lo)];
		if (!down) {
			node->bit[bchoose(node, hi, lo)] = newnode;
			return;
		}
	}
	c = common128(down->hi, down->lo, hi, lo);
	if (c > down->cidr)
		c = down->cidr;
	if (c > cidr)
		c = cidr;
	parent = node;
	if (newnode->cidr == c) {
		newnode->bit[bchoose(newnode, down->hi, down->lo)] = down;
		if (!parent)
			t->root = newnode;
		else
			parent->bit[bchoose(parent, newnode->hi, newnode->lo)] = newnode;
		return;
	}
	{
		u64 mhi, mlo;

		mask128(c, &mhi, &mlo);
		node = bnode_new(t, hi & mhi, lo & mlo, c, 0);
	}
	node->bit[bchoose(node, down->hi, down->lo)] = down;
	node->bit[bchoose(node, newnode->hi, newnode->lo)] = newnode;
	if (!parent)
		t->root = node;
	else
		parent->bit[bchoose(parent, node->hi, node->lo)] = node;
}

/* find_node(): walk while the node's prefix matches, remember the last value */
static __attribute__((noinline)) u16 btrie_lookup(const struct btrie *t, u64 hi, u64 lo)
{
	const struct bnode *n = t->root;
	u16 found = 0;

	while (n && match128(n->hi, n->lo, n->cidr, hi, lo)) {
		if (n->val)
			found = n->val;
		if (n->cidr == t->bits)
			break;
		n = n->bit[bchoose(n, hi, lo)];
	}
	return found;
}

static void btrie_free(struct btrie *t)
{
	size_t i;

	for (i = 0; i < t->nchunks; i++)
		free(t->chunks[i]);
	free(t->chunks);
	memset(t, 0, sizeof(*t));
}

/* --------------------------------------------------- prefix sets */

static u8 pick_len4(void)
{
	/* roughly the shape of a full IPv4 BGP table */
	static const struct { u8 len; u16 per_mille; } d[] = {
		{ 8, 2 }, { 12, 3 }, { 14, 5 }, { 15, 5 }, { 16, 15 }, { 17, 8 },
		{ 18, 14 }, { 19, 25 }, { 20, 40 }, { 21, 45 }, { 22, 110 },
		{ 23, 100 }, { 24, 620 }, { 25, 3 }, { 28, 3 }, { 32, 2 },
	};
	u32 r = rndn(1000), acc = 0;
	size_t i;

	for (i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		acc += d[i].per_mille;
		if (r < acc)
			return d[i].len;
	}
	return 24;
}

static u8 pick_len6(void)
{
	/* roughly the shape of a full IPv6 BGP table */
	static const struct { u8 len; u16 per_mille; } d[] = {
		{ 20, 2 }, { 28, 5 }, { 29, 40 }, { 30, 5 }, { 32, 120 },
		{ 33, 10 }, { 34, 10 }, { 35, 5 }, { 36, 40 }, { 38, 10 },
		{ 40, 60 }, { 42, 15 }, { 44, 60 }, { 45, 10 }, { 46, 20 },
		{ 47, 20 }, { 48, 520 }, { 56, 10 }, { 64, 25 }, { 128, 3 },
	};
	u32 r = rndn(1000), acc = 0;
	size_t i;

	for (i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		acc += d[i].per_mille;
		if (r < acc)
			return d[i].len;
	}
	return 48;
}

/*
 * Prefixes are clustered like real allocations: v4 ones fall into a pool of
 * /16 blocks (1.0.0.0 - 223.255.255.255), v6 ones into a pool of /32s
 * under a handful of RIR /12s in 2000::/3.
 */
static struct pfx *gen_set(int v6, size_t n, struct ng_lpm_builder *b, double *add_ns)
{
	static const u16 rir6[] = { 0x2001, 0x2400, 0x2401, 0x2402, 0x2403, 0x2404,
				    0x2600, 0x2601, 0x2602, 0x2603, 0x2604, 0x2605,
				    0x2800, 0x2801, 0x2803, 0x2a00, 0x2a01, 0x2a02,
				    0x2a03, 0x2a04, 0x2a05, 0x2a06, 0x2a07, 0x2a09,
				    0x2a0a, 0x2a0b, 0x2a0c, 0x2a0d, 0x2a0e, 0x2a10,
				    0x2c0f, 0x2408 };
	size_t npool = n / 8 < 256 ? 256 : n / 8, i = 0;
	u64 *pool = xcalloc(npool, sizeof(u64));
	struct pfx *p = xcalloc(n, sizeof(*p));
	double t0, spent = 0;

	for (i = 0; i < npool; i++) {
		if (!v6)
			pool[i] = (u64)(1 + rndn(223)) << 56 | (u64)rndn(256) << 48;
		else
			pool[i] = (u64)rir6[rndn(sizeof(rir6) / 2)] << 48 |
				  (u64)(rndn(1 << 12)) << 36 | (u64)rndn(1 << 4) << 32;
	}
	i = 0;
	while (i < n) {
		u64 base = pool[rndn(npool)];
		u8 len = v6 ? pick_len6() : pick_len4();
		u64 hi = base | (rnd() >> (v6 ? 32 : 16) & (v6 ? 0xffffffffULL : 0xffff00000000ULL));
		u64 lo = v6 ? rnd() : 0;
		u64 mhi, mlo;
		u16 val = 1 + rndn(4096);
		u8 a[16];
		int err;

		mask128(len, &mhi, &mlo);
		hi &= mhi;
		lo &= mlo;
		t0 = now_ns();
		if (v6) {
			to_bytes(hi, lo, a);
			err = ng_lpm_builder_add6(b, a, len, val);
		} else {
			err = ng_lpm_builder_add4(b, (u32)(hi >> 32), len, val);
		}
		spent += now_ns() - t0;
		if (err == -EEXIST)
			continue;
		if (err) {
			fprintf(stderr, "add failed: %d\n", err);
			exit(2);
		}
		p[i].hi = hi;
		p[i].lo = lo;
		p[i].plen = len;
		p[i].val = val;
		i++;
	}
	free(pool);
	*add_ns = spent;
	return p;
}

/* Keys: addresses inside random prefixes of the set, or uniform ones. */
static void gen_keys(int v6, const struct pfx *p, size_t np, key128 *k, size_t nk,
		     int uniform)
{
	size_t i;

	for (i = 0; i < nk; i++) {
		u64 mhi, mlo;

		if (uniform || !np) {
			k[i].hi = v6 ? rnd() : rnd() << 32;
			k[i].lo = v6 ? rnd() : 0;
			continue;
		}
		const struct pfx *q = &p[rndn(np)];

		mask128(q->plen, &mhi, &mlo);
		k[i].hi = q->hi | (rnd() & ~mhi);
		k[i].lo = q->lo | (rnd() & ~mlo);
		if (!v6)
			k[i].hi &= 0xffffffff00000000ULL;
	}
}

static int cmp_key(const void *a, const void *b)
{
	const key128 *x = a, *y = b;

	if (x->hi != y->hi)
		return x->hi < y->hi ? -1 : 1;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return 0;
}

/* ------------------------------------------------------- verification */

static int failures;

static u16 lpm_lookup(const struct ng_lpm *t, int v6, const key128 *k)
{
	u8 a[16];

	if (!v6)
		return ng_lpm_lookup4(t, (u32)(k->hi >> 32));
	to_bytes(k->hi, k->lo, a);
	return ng_lpm_lookup6(t, a);
}

/*
 * lpm against the reference @ref: 0 the baseline trie, 1 the naive scan,
 * 2 the hash reference. The trie, where built, must agree as well.
 */
static void verify(const char *what, int v6, const struct ng_lpm *t,
		   const struct btrie *bt, const struct href *hr,
		   const struct pfx *p, size_t np,
		   const key128 *k, size_t nk, int ref)
{
	size_t i, bad = 0;

	for (i = 0; i < nk; i++) {
		u16 got = lpm_lookup(t, v6, &k[i]);
		u16 want = ref == 1 ? naive_lookup(p, np, k[i].hi, k[i].lo) :
			   ref == 2 ? href_lookup(hr, k[i].hi, k[i].lo) :
			   btrie_lookup(bt, k[i].hi, k[i].lo);
		u16 trie = bt->root ? btrie_lookup(bt, k[i].hi, k[i].lo) : want;

		if (got != want || trie != want) {
			if (bad++ < 5)
				fprintf(stderr, "MISMATCH %s key %016llx:%016llx lpm %u trie %u want %u\n",
					what, (unsigned long long)k[i].hi,
					(unsigned long long)k[i].lo, got, trie, want);
		}
	}
	if (bad) {
		fprintf(stderr, "%s: %zu of %zu keys wrong\n", what, bad, nk);
		failures++;
	}
}

/* ------------------------------------------------------------- timing */

#define BARRIER(x) __asm__ volatile("" : "+r"(x))

static double time_empty(int v6, const key128 *k, size_t n, const u8 (*k6)[16],
			 const u32 *k4)
{
	double t0 = now_ns();
	u64 s = 0;
	size_t i;

	if (v6)
		for (i = 0; i < n; i++) {
			s += k6[i][15];
			BARRIER(s);
		}
	else
		for (i = 0; i < n; i++) {
			s += k4[i];
			BARRIER(s);
		}
	(void)k;
	BARRIER(s);
	return now_ns() - t0;
}

static u64 sink;

static double time_lpm(int v6, const struct ng_lpm *t, size_t n, const u8 (*k6)[16],
		       const u32 *k4)
{
	double t0 = now_ns();
	u64 s = 0;
	size_t i;

	if (v6)
		for (i = 0; i < n; i++)
			s += ng_lpm_lookup6(t, k6[i]);
	else
		for (i = 0; i < n; i++)
			s += ng_lpm_lookup4(t, k4[i]);
	sink += s;
	return now_ns() - t0;
}

static double time_trie(const struct btrie *bt, const key128 *k, size_t n)
{
	double t0 = now_ns();
	u64 s = 0;
	size_t i;

	for (i = 0; i < n; i++)
		s += btrie_lookup(bt, k[i].hi, k[i].lo);
	sink += s;
	return now_ns() - t0;
}

struct timing { double lpm, trie; };

static struct timing measure(int v6, const struct ng_lpm *t, const struct btrie *bt,
			     const key128 *k, size_t n, int reps)
{
	u8 (*k6)[16] = xcalloc(n, 16);
	u32 *k4 = xcalloc(n, sizeof(u32));
	double be = 1e300, bl = 1e300, bb = 1e300, x;
	struct timing r;
	size_t i;
	int rep;

	for (i = 0; i < n; i++) {
		to_bytes(k[i].hi, k[i].lo, k6[i]);
		k4[i] = (u32)(k[i].hi >> 32);
	}
	for (rep = 0; rep < reps; rep++) {
		x = time_empty(v6, k, n, (const u8 (*)[16])k6, k4);
		be = x < be ? x : be;
		x = time_lpm(v6, t, n, (const u8 (*)[16])k6, k4);
		bl = x < bl ? x : bl;
		x = time_trie(bt, k, n);
		bb = x < bb ? x : bb;
	}
	/* the baseline's keys are the key128 array, just as cheap to walk */
	r.lpm = (bl - be) / n;
	r.trie = (bb - be) / n;
	free(k6);
	free(k4);
	return r;
}

/* --------------------------------------------------------------- main */

#define NKEYS 1000000

static void run_one(int v6, size_t n, int check_only, int reps)
{
	struct ng_lpm_builder *b = ng_lpm_builder_new();
	key128 *kin = xcalloc(NKEYS, sizeof(key128));
	key128 *kuni = xcalloc(NKEYS, sizeof(key128));
	key128 *kmix = xcalloc(NKEYS, sizeof(key128));
	struct btrie bt = { .bits = v6 ? 128 : 32 };
	struct href hr = { 0 };
	double add_ns, t0, build_ns;
	int big_check;
	struct ng_lpm *t;
	struct pfx *p;
	char what[64];
	size_t i, nnaive;

	if (!b)
		exit(2);
	p = gen_set(v6, n, b, &add_ns);
	t0 = now_ns();
	t = ng_lpm_build(b);
	build_ns = now_ns() - t0;
	if (!t) {
		fprintf(stderr, "build failed\n");
		exit(2);
	}
	/*
	 * The check skips the baseline trie for 1M prefixes: inserting them
	 * takes seconds. The hash reference covers every size there.
	 */
	big_check = check_only && n >= 1000000;
	if (!big_check)
		for (i = 0; i < n; i++)
			btrie_insert(&bt, p[i].hi, p[i].lo, p[i].plen, p[i].val);
	else
		href_init(&hr, p, n);

	gen_keys(v6, p, n, kin, NKEYS, 0);
	gen_keys(v6, p, n, kuni, NKEYS, 1);
	for (i = 0; i < NKEYS; i++)
		kmix[i] = i & 1 ? kuni[i] : kin[i];

	/* naive reference for the small sets (linear scan: keep it bounded) */
	snprintf(what, sizeof(what), "%s %zu", v6 ? "v6" : "v4", n);
	nnaive = n <= 1000 ? NKEYS : n <= 10000 ? NKEYS / 10 : 0;
	if (nnaive)
		verify(what, v6, t, &bt, &hr, p, n, kmix, nnaive, 1);
	/* 1M prefixes in the check: 200k keys against the hash reference */
	verify(what, v6, t, &bt, &hr, p, n, kmix, big_check ? NKEYS / 5 : NKEYS,
	       big_check ? 2 : 0);

	if (!check_only) {
		struct timing ts, tr, tu;

		tr = measure(v6, t, &bt, kin, NKEYS, reps);
		tu = measure(v6, t, &bt, kuni, NKEYS, reps);
		qsort(kin, NKEYS, sizeof(key128), cmp_key);
		ts = measure(v6, t, &bt, kin, NKEYS, reps);
		printf("| %s | %zu | %.1f | %.1f | %.1f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.1fx |\n",
		       v6 ? "IPv6" : "IPv4", n, add_ns / 1e6, build_ns / 1e6,
		       (double)ng_lpm_mem(t) / n,
		       ts.lpm, tr.lpm, tu.lpm, ts.trie, tr.trie, tu.trie,
		       tr.trie / tr.lpm);
		fflush(stdout);
	} else {
		printf("ok %s prefixes=%zu build=%.1fms mem=%zu (%.1f B/prefix)\n",
		       what, n, build_ns / 1e6, ng_lpm_mem(t),
		       (double)ng_lpm_mem(t) / n);
	}
	ng_lpm_free(t);
	ng_lpm_builder_free(b);
	btrie_free(&bt);
	free(hr.tab);
	free(p);
	free(kin);
	free(kuni);
	free(kmix);
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = { 1000, 10000, 100000, 1000000 };
	int check_only = 0, reps = 5, i, v6;
	size_t only = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--check"))
			check_only = 1;
		else if (!strcmp(argv[i], "--reps") && i + 1 < argc)
			reps = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--only") && i + 1 < argc)
			only = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			rng_state = strtoull(argv[++i], NULL, 0);
		else {
			fprintf(stderr, "usage: %s [--check] [--reps N] [--seed S] [--only PREFIXES]\n", argv[0]);
			return 2;
		}
	}
	if (!check_only) {
		printf("| family | prefixes | add ms | build ms | bytes/prefix | lpm seq ns | lpm rand ns | lpm uniform ns | trie seq ns | trie rand ns | trie uniform ns | speedup (rand) |\n");
		printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
	}
	for (v6 = 0; v6 < 2; v6++)
		for (i = 0; i < 4; i++)
			if (!only || only == sizes[i])
				run_one(v6, sizes[i], check_only, reps);
	if (failures) {
		fprintf(stderr, "FAILED: %d mismatching sets\n", failures);
		return 1;
	}
	if (check_only)
		printf("lpm check: all sets match\n");
	return 0;
}
