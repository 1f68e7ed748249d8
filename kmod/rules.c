// SPDX-License-Identifier: GPL-2.0-only
/*
 * Rule index — theory of operation.
 *
 * Rules are "SRC -> DST terms", first match in file order wins. A packet
 * with segments (s, d) can only match rules of four shapes: "s -> d",
 * "* -> d", "s -> *" and "* -> *". At build time every rule is appended,
 * in file order, to exactly one list according to its shape:
 *
 *   pairs[s,d]  open-addressing hash of exact pairs
 *   to[d]       wildcard source, indexed by destination segment
 *   from[s]     wildcard destination, indexed by source segment
 *   any_any     both wildcards
 *
 * so each list is sorted by rule index. Evaluation walks the four lists
 * and keeps the smallest matching index; a list walk stops at its first
 * match or as soon as its indices exceed the best match found so far.
 * The work per packet is bounded by the rules of these four lists, never
 * by the total rule count. Example: rules 0 "web -> db tcp 5432",
 * 1 "* -> web tcp 80", 2 "* -> * icmp"; a packet world -> web tcp/80
 * looks at to[web] = {1} and any_any = {2}: rule 1 decides after two term
 * checks. The index is immutable once built; readers need no locks.
 */
#include <linux/errno.h>
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include "rules.h"

static inline u32 ng_pair_key(u16 src, u16 dst)
{
	return ((u32)src << 16 | dst) + 1;
}

static struct ng_pair *ng_pair_slot(const struct ng_rules *r, u32 key)
{
	u32 i = hash_32(key, 32) & r->pair_mask;

	while (r->pairs[i].key && r->pairs[i].key != key)
		i = (i + 1) & r->pair_mask;
	return &r->pairs[i];
}

/* The list a rule belongs to (the pair slot is created if needed). */
static struct ng_span *ng_rule_span(struct ng_rules *r, const struct ng_rule *rule)
{
	struct ng_pair *p;

	if (rule->src == NGUARD_SEGMENT_ANY && rule->dst == NGUARD_SEGMENT_ANY)
		return &r->any_any;
	if (rule->src == NGUARD_SEGMENT_ANY)
		return &r->to[rule->dst];
	if (rule->dst == NGUARD_SEGMENT_ANY)
		return &r->from[rule->src];
	p = ng_pair_slot(r, ng_pair_key(rule->src, rule->dst));
	p->key = ng_pair_key(rule->src, rule->dst);
	return &p->span;
}

/* Give @s its place in idx[] after the lists before it; refill from 0. */
static void ng_span_place(struct ng_span *s, u32 *off)
{
	s->off = *off;
	*off += s->len;
	s->len = 0;
}

static bool ng_seg_ok(u16 seg, u32 nseg)
{
	return seg == NGUARD_SEGMENT_ANY || seg <= nseg;
}

int ng_rules_build(struct ng_rules *r, const struct ng_rule *rules, u32 nrules,
		   const struct nguard_match *matches, u32 nseg, gfp_t gfp)
{
	u32 i, nexact = 0, off = 0, slots;

	memset(r, 0, sizeof(*r));
	if (nseg >= NGUARD_SEGMENT_ANY || nrules > NGUARD_MAX_RULES)
		return -EINVAL;
	for (i = 0; i < nrules; i++) {
		if (!ng_seg_ok(rules[i].src, nseg) || !ng_seg_ok(rules[i].dst, nseg))
			return -EINVAL;
		if (rules[i].src != NGUARD_SEGMENT_ANY && rules[i].dst != NGUARD_SEGMENT_ANY)
			nexact++;
	}
	r->rules = rules;
	r->matches = matches;
	r->nrules = nrules;
	r->nseg = nseg;
	/* At most nexact distinct pairs: keep the load factor <= 1/2. */
	slots = roundup_pow_of_two(max_t(u32, 2 * nexact, 2));
	r->pair_mask = slots - 1;
	r->pairs = kvcalloc(slots, sizeof(*r->pairs), gfp);
	r->to = kvcalloc(nseg + 1, sizeof(*r->to), gfp);
	r->from = kvcalloc(nseg + 1, sizeof(*r->from), gfp);
	r->idx = kvcalloc(max_t(u32, nrules, 1), sizeof(*r->idx), gfp);
	if (!r->pairs || !r->to || !r->from || !r->idx) {
		ng_rules_destroy(r);
		return -ENOMEM;
	}

	/* Pass 1: list lengths. Pass 2: offsets. Pass 3: fill in order. */
	for (i = 0; i < nrules; i++)
		ng_rule_span(r, &rules[i])->len++;
	ng_span_place(&r->any_any, &off);
	for (i = 0; i <= nseg; i++) {
		ng_span_place(&r->to[i], &off);
		ng_span_place(&r->from[i], &off);
	}
	for (i = 0; i < slots; i++)
		ng_span_place(&r->pairs[i].span, &off);
	for (i = 0; i < nrules; i++) {
		struct ng_span *s = ng_rule_span(r, &rules[i]);

		r->idx[s->off + s->len++] = i;
	}
	return 0;
}

void ng_rules_destroy(struct ng_rules *r)
{
	kvfree(r->pairs);
	kvfree(r->to);
	kvfree(r->from);
	kvfree(r->idx);
	r->pairs = NULL;
	r->to = NULL;
	r->from = NULL;
	r->idx = NULL;
}

static bool ng_rule_matches(const struct ng_rules *r, const struct ng_rule *rule,
			    u8 proto, u16 dport)
{
	const struct nguard_match *m = &r->matches[rule->match_off];
	u16 i;

	if (!rule->nmatch)
		return true;
	for (i = 0; i < rule->nmatch; i++, m++)
		if (((m->flags & NGUARD_MATCH_ANY_PROTO) || m->proto == proto) &&
		    dport >= m->port_lo && dport <= m->port_hi)
			return true;
	return false;
}

static u32 ng_span_first(const struct ng_rules *r, const struct ng_span *s,
			 u32 best, u8 proto, u16 dport)
{
	u32 k;

	for (k = 0; k < s->len; k++) {
		u32 i = r->idx[s->off + k];

		if (i >= best)
			break;
		if (ng_rule_matches(r, &r->rules[i], proto, dport))
			return i;
	}
	return best;
}

u32 ng_rules_eval(const struct ng_rules *r, u16 src, u16 dst, u8 proto,
		  u16 dport)
{
	const struct ng_pair *p;
	u32 best = NG_RULE_NONE;

	if (!r->nrules)
		return best;
	if (src > r->nseg || dst > r->nseg)
		return best;
	p = ng_pair_slot(r, ng_pair_key(src, dst));
	if (p->key)
		best = ng_span_first(r, &p->span, best, proto, dport);
	best = ng_span_first(r, &r->from[src], best, proto, dport);
	best = ng_span_first(r, &r->to[dst], best, proto, dport);
	return ng_span_first(r, &r->any_any, best, proto, dport);
}
