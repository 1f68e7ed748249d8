// SPDX-License-Identifier: GPL-2.0-only
/*
 * Address classifier: longest-prefix match of IPv4/IPv6 addresses to
 * segment ids.
 *
 * Theory of operation
 * ===================
 *
 * The table is a poptrie (Asai & Ohara, "Poptrie: A Compressed Trie with
 * Population Count for Fast and Scalable Software IP Routing Table Lookup",
 * SIGCOMM 2015), one per address family, sharing one node and one leaf
 * array in a single allocation:
 *
 *  - A direct table indexed by the top T bits of the address (T chosen per
 *    family at build time from the number of prefixes, 1..NG_LPM_MAX_BITS).
 *    An entry is either a leaf (NG_LPM_LEAF | segment id) when no prefix
 *    longer than T starts under it, or the index of a node.
 *
 *  - Nodes consume 6 address bits each (64 children) and are 24 bytes:
 *    @vec has bit i set when child i is an internal node; those children are
 *    stored contiguously at nodes[@base1 ...] in child order, so child i is
 *    nodes[base1 + popcount(vec & mask(i)) - 1], with mask(i) the bits 0..i.
 *    The other children are leaves. Runs of equal leaves are stored once
 *    (@leafvec marks the first child of every run, ignoring internal
 *    children), at leaves[@base0 ...], so leaf i is
 *    leaves[base0 + popcount(leafvec & mask(i)) - 1]. Deep nodes with no
 *    internal children and up to 4 runs keep their leaves inline instead,
 *    which saves a cache miss at the end of long IPv6 walks.
 *
 *  - Leaves are u16 segment ids, already resolved: every leaf holds the value
 *    of the longest prefix covering it (controlled prefix expansion), so a
 *    lookup never backtracks. It is a walk of dependent loads: one direct
 *    entry, one node per 6 bits below T that more specific prefixes need,
 *    one leaf; each step a shift, a test, a popcount and an add.
 *
 * Why this and not the alternatives (see Documentation/performance.md for
 * numbers): DIR-24-8 needs 32 MiB per table; a tree bitmap needs more
 * memory accesses per level; DXR (range tables below a 16-bit direct
 * table) is about as fast for IPv4 but its binary search does not carry
 * over to IPv6, whereas the poptrie gives one code path for both families,
 * some 10-60 bytes per prefix, and a simple bottom-up build from a sorted
 * list. The popcount-compressed arrays keep the working set small, which is
 * what bounds lookup speed once the table no longer fits in the L1/L2
 * caches. The stride of 6 lets a 64-bit popcount cover a node.
 *
 * The direct table has at most 18 bits (1 MiB): with 6-bit strides an
 * IPv4 /24 then resolves in the first node and an IPv6 /48 in the fifth
 * (16 bits would need one node more for both). T shrinks with the number
 * of prefixes (to 12 or 6 bits, see ng_lpm_auto_bits()), so that small
 * policies stay small. The IPv6 lookup keeps a 128-bit window of the key bits not yet
 * consumed. Addresses are conceptually padded with zero bits at the end,
 * so the last node of a family may cover fewer than 6 real bits; a /32 (or
 * /128) then simply fills 4 children.
 *
 * Build: prefixes are kept in the builder (duplicates caught by a hash
 * table at add time), copied, sorted by (address, length) with a bottom-up
 * merge sort, and prefixes that carry the same value as their closest
 * enclosing prefix are dropped (they cannot change any answer). In that
 * order a prefix comes right before everything it contains, so one node is
 * built from a contiguous slice of the list in two linear scans: the first
 * paints the 64 children with the prefixes ending in this node (nested ones
 * later, so they win) and marks the children that need a sub-node, the
 * second builds the sub-nodes from their slices, depth first, after all
 * siblings got contiguous slots. The same code runs twice: once only to
 * count nodes and leaves, once to fill an allocation of exactly that size.
 * Recursion depth is bounded by the address bits (at most 22 levels, tiny
 * frames; the per-level scratch lives in the heap). Build time is linear in
 * the prefixes times their depth, plus the sort.
 *
 * Concurrency: a built table is never written again. Lookups take no lock;
 * the caller publishes the table with rcu_assign_pointer() and frees an old
 * one after a grace period. Builders are single threaded.
 */
#include "lpm_shim.h"
#include "lpm.h"

#define NG_LPM_STRIDE		6
#define NG_LPM_LEAF		0x80000000U
/* Largest direct table: 2^18 entries, 1 MiB. */
#define NG_LPM_MAX_BITS		18
#define NG_LPM_V4_BITS		18
#define NG_LPM_V6_BITS		18
/* Node levels below the smallest direct table (T = 1): (128 - 1) / 6. */
#define NG_LPM_MAX_LEVELS	22

enum { NG_LPM_V4, NG_LPM_V6, NG_LPM_NFAM };

/* One prefix, either family: v4 addresses sit in the top 32 bits of @hi. */
struct ng_lpm_pfx {
	u64 hi;
	u64 lo;
	u16 val;
	u8 plen;
};

struct ng_lpm_node {
	u64 vec;
	u64 leafvec;
	union {
		struct {
			u32 base0;
			u32 base1;
		};
		u16 inl[4];	/* leaves of an inline node, see below */
	};
};

/*
 * Bit 0 of @leafvec tells where the leaves are. Set: in leaves[@base0 ...]
 * (a node whose child 0 is internal stores a dummy leaf for it). Clear:
 * the node has no internal children and at most 4 runs of leaves, kept in
 * @inl[] in place of the bases, and @leafvec marks only runs 2 .. 4.
 *
 * Only nodes below the first node level are made inline. Those right below
 * the direct table are the dense, shallow ones (IPv4 /19 - /24), where a
 * lookup would otherwise branch unpredictably between both kinds; deeper
 * down (an IPv6 /48 below its /32) saving the access to the leaf array
 * wins: measured, about 15% off IPv6 lookups, IPv4 unchanged.
 */
#define NG_LPM_INLINE_MAX	4

struct ng_lpm {
	struct ng_lpm_node *nodes;
	u16 *leaves;
	u32 *dir[NG_LPM_NFAM];
	u8 bits[NG_LPM_NFAM];
	size_t size;
};

struct ng_lpm_builder {
	struct ng_lpm_pfx *pfx[NG_LPM_NFAM];
	u32 n[NG_LPM_NFAM];
	u32 cap[NG_LPM_NFAM];
	/* open addressing; slot = family << 31 | (index + 1), 0 = empty */
	u32 *hash;
	u32 hash_cap;		/* power of two */
	u32 hash_n;
	/* direct table bits per family, 0 = automatic; for tests */
	u8 bits[NG_LPM_NFAM];
};

/* Build state shared by the counting and the filling pass. */
struct ng_lpm_bctx {
	const struct ng_lpm_pfx *pfx;
	struct ng_lpm_node *nodes;	/* NULL while counting */
	u16 *leaves;
	u64 nnodes;
	u64 nleaves;
	u16 *topval;			/* 2^NG_LPM_MAX_BITS scratch */
	u64 *topmap;
	u16 val[NG_LPM_MAX_LEVELS][1 << NG_LPM_STRIDE];
};

/* Bits @off .. @off + @w - 1 (0 = most significant) of a prefix address. */
static inline u32 ng_lpm_bits(const struct ng_lpm_pfx *p, u32 off, u32 w)
{
	u64 x;

	if (off >= 128)
		return 0;
	if (off >= 64)
		x = p->lo << (off - 64);
	else if (!off)
		x = p->hi;
	else
		x = (p->hi << off) | (p->lo >> (64 - off));
	return (u32)(x >> (64 - w));
}

static int ng_lpm_cmp(const struct ng_lpm_pfx *a, const struct ng_lpm_pfx *b)
{
	if (a->hi != b->hi)
		return a->hi < b->hi ? -1 : 1;
	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	return (int)a->plen - (int)b->plen;
}

/* Does @a contain @b (or equal it)? */
static bool ng_lpm_contains(const struct ng_lpm_pfx *a,
			    const struct ng_lpm_pfx *b)
{
	u64 mhi, mlo;

	if (a->plen > b->plen)
		return false;
	if (!a->plen)
		return true;
	if (a->plen <= 64) {
		mhi = ~0ULL << (64 - a->plen);
		mlo = 0;
	} else {
		mhi = ~0ULL;
		mlo = ~0ULL << (128 - a->plen);
	}
	return !((a->hi ^ b->hi) & mhi) && !((a->lo ^ b->lo) & mlo);
}

static u32 ng_lpm_hash(const struct ng_lpm_pfx *p, u32 fam)
{
	u64 x = p->hi ^ (p->lo * 0x9e3779b97f4a7c15ULL) ^
		((u64)p->plen << 1) ^ fam;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return (u32)x;
}

struct ng_lpm_builder *ng_lpm_builder_new(void)
{
	return ng_lpm_alloc(sizeof(struct ng_lpm_builder));
}

void ng_lpm_builder_free(struct ng_lpm_builder *b)
{
	u32 f;

	if (!b)
		return;
	for (f = 0; f < NG_LPM_NFAM; f++)
		ng_lpm_free_mem(b->pfx[f]);
	ng_lpm_free_mem(b->hash);
	ng_lpm_free_mem(b);
}

/* Returns the slot holding an equal prefix, or the empty slot for it. */
static u32 ng_lpm_hash_find(const struct ng_lpm_builder *b,
			    const struct ng_lpm_pfx *p, u32 fam)
{
	u32 mask = b->hash_cap - 1;
	u32 h = ng_lpm_hash(p, fam) & mask;
	const struct ng_lpm_pfx *q;
	u32 s;

	for (;; h = (h + 1) & mask) {
		s = b->hash[h];
		if (!s)
			return h;
		if (s >> 31 != fam)
			continue;
		q = &b->pfx[fam][(s & 0x7fffffffU) - 1];
		if (q->hi == p->hi && q->lo == p->lo && q->plen == p->plen)
			return h;
	}
}

static int ng_lpm_hash_grow(struct ng_lpm_builder *b)
{
	u32 ncap = b->hash_cap ? b->hash_cap * 2 : 64;
	u32 *old = b->hash, ocap = b->hash_cap;
	u32 i, s, f;
	size_t sz;

	if (check_mul_overflow((size_t)ncap, sizeof(u32), &sz))
		return -ENOMEM;
	b->hash = ng_lpm_alloc(sz);
	if (!b->hash) {
		b->hash = old;
		return -ENOMEM;
	}
	b->hash_cap = ncap;
	for (i = 0; i < ocap; i++) {
		s = old[i];
		if (!s)
			continue;
		f = s >> 31;
		b->hash[ng_lpm_hash_find(b, &b->pfx[f][(s & 0x7fffffffU) - 1],
					 f)] = s;
	}
	ng_lpm_free_mem(old);
	return 0;
}

static int ng_lpm_add(struct ng_lpm_builder *b, u32 fam,
		      const struct ng_lpm_pfx *p)
{
	struct ng_lpm_pfx *arr;
	u32 ncap, slot;
	size_t sz;
	int err;

	if (b->n[fam] >= NG_LPM_MAX_PREFIXES)
		return -ENOSPC;
	/* hash_n < 2^25 here, so neither of these can overflow */
	if ((b->hash_n + 1) * 2 > b->hash_cap) {
		err = ng_lpm_hash_grow(b);
		if (err)
			return err;
	}
	slot = ng_lpm_hash_find(b, p, fam);
	if (b->hash[slot])
		return -EEXIST;
	if (b->n[fam] == b->cap[fam]) {
		ncap = b->cap[fam] ? b->cap[fam] * 2 : 16;
		if (check_mul_overflow((size_t)ncap, sizeof(*arr), &sz))
			return -ENOMEM;
		arr = ng_lpm_alloc(sz);
		if (!arr)
			return -ENOMEM;
		if (b->n[fam])
			memcpy(arr, b->pfx[fam], b->n[fam] * sizeof(*arr));
		ng_lpm_free_mem(b->pfx[fam]);
		b->pfx[fam] = arr;
		b->cap[fam] = ncap;
	}
	b->pfx[fam][b->n[fam]++] = *p;
	b->hash[slot] = (fam << 31) | b->n[fam];
	b->hash_n++;
	return 0;
}

int ng_lpm_builder_add4(struct ng_lpm_builder *b, u32 addr, u8 plen, u16 value)
{
	struct ng_lpm_pfx p = {
		.hi = (u64)addr << 32,
		.val = value,
		.plen = plen,
	};

	if (plen > 32 || !value)
		return -EINVAL;
	if (plen < 32 && (addr & (0xffffffffU >> plen)))
		return -EINVAL;
	return ng_lpm_add(b, NG_LPM_V4, &p);
}

int ng_lpm_builder_add6(struct ng_lpm_builder *b, const u8 addr[16], u8 plen,
			u16 value)
{
	struct ng_lpm_pfx p = {
		.hi = ng_lpm_load_be64(addr),
		.lo = ng_lpm_load_be64(addr + 8),
		.val = value,
		.plen = plen,
	};
	u64 mhi, mlo;

	if (plen > 128 || !value)
		return -EINVAL;
	if (plen < 64) {
		mhi = ~0ULL >> plen;
		mlo = ~0ULL;
	} else if (plen == 64) {
		mhi = 0;
		mlo = ~0ULL;
	} else {
		mhi = 0;
		mlo = plen < 128 ? ~0ULL >> (plen - 64) : 0;
	}
	if ((p.hi & mhi) || (p.lo & mlo))
		return -EINVAL;
	return ng_lpm_add(b, NG_LPM_V6, &p);
}

/* Bottom-up merge sort of @n prefixes; @tmp has room for @n. */
static struct ng_lpm_pfx *ng_lpm_sort(struct ng_lpm_pfx *a,
				      struct ng_lpm_pfx *tmp, u32 n)
{
	struct ng_lpm_pfx *src = a, *dst = tmp, *t;
	u32 w, lo, mid, hi, i, j, k;

	for (w = 1; w < n; w = w > n / 2 ? n : w * 2) {
		for (lo = 0; lo < n; lo = hi) {
			mid = lo + w < n ? lo + w : n;
			hi = mid + w < n ? mid + w : n;
			i = lo;
			j = mid;
			k = lo;
			while (i < mid && j < hi) {
				if (ng_lpm_cmp(&src[j], &src[i]) < 0)
					dst[k++] = src[j++];
				else
					dst[k++] = src[i++];
			}
			while (i < mid)
				dst[k++] = src[i++];
			while (j < hi)
				dst[k++] = src[j++];
		}
		t = src;
		src = dst;
		dst = t;
		ng_lpm_resched();
	}
	return src;
}

/*
 * Drop prefixes whose value equals that of their closest enclosing prefix
 * (0 if none, which no prefix has): they change no lookup. @a is sorted.
 * Returns the new count.
 */
static u32 ng_lpm_compact(struct ng_lpm_pfx *a, u32 n)
{
	/* a chain of nested prefixes has strictly growing lengths 0..128 */
	u32 stack[129];
	u32 depth = 0, i, out = 0;
	u16 outer;

	for (i = 0; i < n; i++) {
		while (depth && !ng_lpm_contains(&a[stack[depth - 1]], &a[i]))
			depth--;
		outer = depth ? a[stack[depth - 1]].val : 0;
		if (a[i].val == outer)
			continue;
		a[out] = a[i];
		stack[depth++] = out++;
	}
	return out;
}

/*
 * One node covering address bits @off .. @off + 5 below the prefix of
 * length @off shared by @pfx[@lo .. @hi), all longer than @off. @def is the
 * value of the longest prefix of length <= @off covering it. The node goes
 * to slot @slot, its children get slots from c->nnodes on.
 */
static void ng_lpm_build_node(struct ng_lpm_bctx *c, u32 lo, u32 hi, u32 off,
			      u16 def, u32 depth, u64 slot)
{
	u16 *val = c->val[depth];
	u64 vec = 0, leafvec = 0, base0, base1, cnt;
	u32 i, j, k, end, nrun = 0;
	int prev = -1;
	bool inl;

	for (k = 0; k < (1U << NG_LPM_STRIDE); k++)
		val[k] = def;
	for (i = lo; i < hi; i = j) {
		const struct ng_lpm_pfx *p = &c->pfx[i];

		k = ng_lpm_bits(p, off, NG_LPM_STRIDE);
		j = i + 1;
		if (p->plen <= off + NG_LPM_STRIDE) {
			end = k + (1U << (off + NG_LPM_STRIDE - p->plen));
			for (; k < end; k++)
				val[k] = p->val;
			continue;
		}
		vec |= BIT_ULL(k);
		while (j < hi && ng_lpm_bits(&c->pfx[j], off, NG_LPM_STRIDE) == k)
			j++;
	}

	/* runs of equal leaves, internal children being transparent */
	for (k = 0; k < (1U << NG_LPM_STRIDE); k++) {
		if (vec & BIT_ULL(k) || val[k] == prev)
			continue;
		prev = val[k];
		leafvec |= BIT_ULL(k);
		nrun++;
	}
	inl = depth && !vec && nrun <= NG_LPM_INLINE_MAX;
	if (!inl && (vec & 1)) {	/* dummy leaf for internal child 0 */
		leafvec |= 1;
		nrun++;
	}
	base0 = c->nleaves;
	if (!inl)
		c->nleaves += nrun;
	base1 = c->nnodes;
	c->nnodes += ng_lpm_popcount(vec);
	if (c->nodes) {
		struct ng_lpm_node *n = &c->nodes[slot];
		u16 *leaf = inl ? n->inl : &c->leaves[base0];

		if (!inl) {
			n->base0 = (u32)base0;
			n->base1 = (u32)base1;
		}
		for (k = 0, nrun = 0; k < (1U << NG_LPM_STRIDE); k++)
			if (leafvec & BIT_ULL(k))
				leaf[nrun++] = val[k];
		n->vec = vec;
		n->leafvec = inl ? leafvec & ~1ULL : leafvec;
	}
	if (!vec)
		return;

	cnt = 0;
	for (i = lo; i < hi; i = j) {
		const struct ng_lpm_pfx *p = &c->pfx[i];

		k = ng_lpm_bits(p, off, NG_LPM_STRIDE);
		j = i + 1;
		if (p->plen <= off + NG_LPM_STRIDE)
			continue;
		while (j < hi && ng_lpm_bits(&c->pfx[j], off, NG_LPM_STRIDE) == k)
			j++;
		ng_lpm_build_node(c, i, j, off + NG_LPM_STRIDE, val[k],
				  depth + 1, base1 + cnt++);
	}
}

/* The direct table of one family from its sorted prefixes @lo .. @hi. */
static void ng_lpm_build_top(struct ng_lpm_bctx *c, u32 lo, u32 hi,
			     u32 bits, u32 *dir)
{
	u32 n = 1U << bits, i, j, k, end;
	u64 base, cnt = 0;

	for (k = 0; k < n; k++)
		c->topval[k] = 0;
	memset(c->topmap, 0, ((n + 63) / 64) * sizeof(u64));
	for (i = lo; i < hi; i = j) {
		const struct ng_lpm_pfx *p = &c->pfx[i];

		k = ng_lpm_bits(p, 0, bits);
		j = i + 1;
		if (p->plen <= bits) {
			end = k + (1U << (bits - p->plen));
			for (; k < end; k++)
				c->topval[k] = p->val;
			continue;
		}
		c->topmap[k / 64] |= BIT_ULL(k % 64);
		cnt++;
		while (j < hi && ng_lpm_bits(&c->pfx[j], 0, bits) == k)
			j++;
	}

	base = c->nnodes;
	c->nnodes += cnt;
	if (dir) {
		cnt = 0;
		for (k = 0; k < n; k++) {
			if (c->topmap[k / 64] & BIT_ULL(k % 64))
				dir[k] = (u32)(base + cnt++);
			else
				dir[k] = NG_LPM_LEAF | c->topval[k];
		}
	}

	cnt = 0;
	for (i = lo; i < hi; i = j) {
		const struct ng_lpm_pfx *p = &c->pfx[i];

		k = ng_lpm_bits(p, 0, bits);
		j = i + 1;
		if (p->plen <= bits)
			continue;
		while (j < hi && ng_lpm_bits(&c->pfx[j], 0, bits) == k)
			j++;
		ng_lpm_build_node(c, i, j, bits, c->topval[k], 0, base + cnt++);
		ng_lpm_resched();
	}
}

/*
 * Direct table bits for @n prefixes: at most 8 entries per prefix, and
 * below @max (18) a multiple of the stride. Nodes then start at multiples
 * of 6, where /24 and /48 boundaries fall at the end of a node: 12 bits
 * need as many nodes for those as 17 bits do, with 1/32 of the memory.
 */
static u32 ng_lpm_auto_bits(u32 n, u32 max)
{
	u32 bits = 1;

	while (bits < max && (1U << bits) < n * 8)
		bits++;
	if (bits < max && bits >= NG_LPM_STRIDE)
		bits -= bits % NG_LPM_STRIDE;
	return bits;
}

/* Lay out and allocate a table for the counted sizes. */
static struct ng_lpm *ng_lpm_alloc_table(const struct ng_lpm_bctx *c,
					 const u8 *bits)
{
	size_t off_nodes, off_dir[NG_LPM_NFAM], off_leaves, size, sz;
	struct ng_lpm *t;
	u32 f;

	if (c->nnodes >= NG_LPM_LEAF || c->nleaves >= NG_LPM_LEAF)
		return NULL;
	off_nodes = sizeof(struct ng_lpm);
	if (check_mul_overflow((size_t)c->nnodes, sizeof(struct ng_lpm_node),
			       &sz) ||
	    check_add_overflow(off_nodes, sz, &size))
		return NULL;
	for (f = 0; f < NG_LPM_NFAM; f++) {
		off_dir[f] = size;
		if (check_mul_overflow((size_t)1 << bits[f], sizeof(u32), &sz) ||
		    check_add_overflow(size, sz, &size))
			return NULL;
	}
	off_leaves = size;
	if (check_mul_overflow((size_t)c->nleaves, sizeof(u16), &sz) ||
	    check_add_overflow(size, sz, &size) || size > NG_LPM_ALLOC_MAX)
		return NULL;

	t = ng_lpm_alloc(size);
	if (!t)
		return NULL;
	t->size = size;
	t->nodes = (struct ng_lpm_node *)((u8 *)t + off_nodes);
	for (f = 0; f < NG_LPM_NFAM; f++) {
		t->dir[f] = (u32 *)((u8 *)t + off_dir[f]);
		t->bits[f] = (u8)bits[f];
	}
	t->leaves = (u16 *)((u8 *)t + off_leaves);
	return t;
}

struct ng_lpm *ng_lpm_build(struct ng_lpm_builder *b)
{
	static const u32 maxbits[NG_LPM_NFAM] = { NG_LPM_V4_BITS, NG_LPM_V6_BITS };
	struct ng_lpm_pfx *work = NULL, *tmp = NULL, *sorted[NG_LPM_NFAM];
	struct ng_lpm_bctx *c = NULL;
	struct ng_lpm *t = NULL;
	u32 n[NG_LPM_NFAM], start[NG_LPM_NFAM], f, total;
	u8 bits[NG_LPM_NFAM];
	size_t sz;

	total = b->n[NG_LPM_V4] + b->n[NG_LPM_V6];	/* < 2^25 */
	if (check_mul_overflow((size_t)total, sizeof(struct ng_lpm_pfx), &sz) ||
	    sz > NG_LPM_ALLOC_MAX)
		return NULL;
	work = ng_lpm_alloc(sz);
	tmp = ng_lpm_alloc(sz);
	c = ng_lpm_alloc(sizeof(*c));
	if (!work || !tmp || !c)
		goto out;
	c->topval = ng_lpm_alloc(sizeof(u16) << NG_LPM_MAX_BITS);
	c->topmap = ng_lpm_alloc(sizeof(u64) << (NG_LPM_MAX_BITS - 6));
	if (!c->topval || !c->topmap)
		goto out;

	/* both families in one array: v4 at 0, v6 right after */
	for (f = 0; f < NG_LPM_NFAM; f++) {
		start[f] = f ? n[0] : 0;
		if (b->n[f])
			memcpy(work + start[f], b->pfx[f],
			       b->n[f] * sizeof(*work));
		sorted[f] = ng_lpm_sort(work + start[f], tmp + start[f],
					b->n[f]);
		n[f] = ng_lpm_compact(sorted[f], b->n[f]);
		if (sorted[f] != work + start[f] && n[f])
			memcpy(work + start[f], sorted[f],
			       n[f] * sizeof(*work));
		bits[f] = b->bits[f] ? b->bits[f] :
			  ng_lpm_auto_bits(n[f], maxbits[f]);
		if (bits[f] > NG_LPM_MAX_BITS)
			bits[f] = NG_LPM_MAX_BITS;
	}
	c->pfx = work;

	/* pass 1: count */
	for (f = 0; f < NG_LPM_NFAM; f++)
		ng_lpm_build_top(c, start[f], start[f] + n[f], bits[f], NULL);
	t = ng_lpm_alloc_table(c, bits);
	if (!t)
		goto out;

	/* pass 2: fill */
	c->nodes = t->nodes;
	c->leaves = t->leaves;
	c->nnodes = 0;
	c->nleaves = 0;
	for (f = 0; f < NG_LPM_NFAM; f++)
		ng_lpm_build_top(c, start[f], start[f] + n[f], bits[f],
				 t->dir[f]);
out:
	if (c) {
		ng_lpm_free_mem(c->topval);
		ng_lpm_free_mem(c->topmap);
	}
	ng_lpm_free_mem(c);
	ng_lpm_free_mem(tmp);
	ng_lpm_free_mem(work);
	return t;
}

/* The leaf for child @bit of the node a lookup ended in. */
static inline u16 ng_lpm_leaf(const struct ng_lpm *t,
			      const struct ng_lpm_node *n, u64 bit)
{
	u32 i = ng_lpm_popcount(n->leafvec & ((bit << 1) - 1));

	if (!(n->leafvec & 1))
		return n->inl[i];
	return t->leaves[n->base0 + i - 1];
}

u16 ng_lpm_lookup4(const struct ng_lpm *t, u32 addr)
{
	u32 bits = t->bits[NG_LPM_V4];
	u32 d = t->dir[NG_LPM_V4][addr >> (32 - bits)];
	const struct ng_lpm_node *n;
	u64 k, bit;

	if (d & NG_LPM_LEAF)
		return (u16)d;
	n = &t->nodes[d];
	k = (u64)addr << (32 + bits);
	for (;;) {
		bit = BIT_ULL(k >> 58);
		if (!(n->vec & bit))
			break;
		n = &t->nodes[n->base1 + ng_lpm_popcount(n->vec & ((bit << 1) - 1)) - 1];
		k <<= NG_LPM_STRIDE;
	}
	return ng_lpm_leaf(t, n, bit);
}

u16 ng_lpm_lookup6(const struct ng_lpm *t, const u8 addr[16])
{
	u64 hi = ng_lpm_load_be64(addr), lo = ng_lpm_load_be64(addr + 8);
	u32 bits = t->bits[NG_LPM_V6];
	u32 d = t->dir[NG_LPM_V6][hi >> (64 - bits)];
	const struct ng_lpm_node *n;
	u64 bit;

	if (d & NG_LPM_LEAF)
		return (u16)d;
	n = &t->nodes[d];
	/* 128-bit window of the bits not consumed yet, zeros shifted in */
	hi = (hi << bits) | (lo >> (64 - bits));
	lo <<= bits;
	for (;;) {
		bit = BIT_ULL(hi >> 58);
		if (!(n->vec & bit))
			break;
		n = &t->nodes[n->base1 + ng_lpm_popcount(n->vec & ((bit << 1) - 1)) - 1];
		hi = (hi << NG_LPM_STRIDE) | (lo >> (64 - NG_LPM_STRIDE));
		lo <<= NG_LPM_STRIDE;
	}
	return ng_lpm_leaf(t, n, bit);
}

size_t ng_lpm_mem(const struct ng_lpm *t)
{
	return t ? t->size : 0;
}

void ng_lpm_free(struct ng_lpm *t)
{
	ng_lpm_free_mem(t);
}
