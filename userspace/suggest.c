// SPDX-License-Identifier: GPL-2.0-only
/*
 * The suggested policy — theory of operation.
 *
 * Input: a policy model (the live one, dumped, or a file) and the
 * observed-flow summary (observed.c): per segment pair, protocol and
 * destination port (ICMP: type) the connections the module saw, with
 * examples. Each aggregate is judged again against the model, in
 * userspace and by segment names, the way the module judges a new
 * connection (first matching rule, else the default). What it allows
 * needs nothing. What it denies falls in one of three groups:
 *
 *  - denied by the default, between two segments: the policy misses a
 *    rule. Such aggregates are merged per (source, destination,
 *    protocol) into one "allow" rule with a port list (adjacent ports
 *    become ranges; at most NGUARD_MAX_RULE_MATCHES terms a rule, more
 *    make a second rule). The rules are appended after the policy's own,
 *    so they only see connections no rule of the operator matched: an
 *    operator's rule is never widened or overridden.
 *  - from world (a source in no segment): listed as commented-out rules
 *    for review. One client on the internet is never a reason to allow
 *    every address; usually a segment is missing.
 *  - denied by a rule the operator wrote: listed as comments naming the
 *    rule. An explicit deny is a decision, not a gap.
 *
 * Every added rule carries a comment with its evidence: connections,
 * first and last seen, an example. The output is the model in canonical
 * form (ng_policy_print) plus these lines, so it passes `nguardctl
 * check` whenever the model does. Nothing here talks to the kernel.
 */
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include "format.h"
#include "suggest.h"

/* One aggregate, judged against the model. */
struct sg_item {
	const struct ng_observed *o;
	uint16_t src, dst;	/* model ids (NG_SEG_WORLD for world) */
	long rule;		/* the rule that denies it, -1: the default */
};

/* NG_SEG_WORLD, a segment id of @p, or -1 if @p has no such segment. */
static int sg_seg(const struct ng_policy *p, const char *name)
{
	size_t i;

	if (!strcmp(name, "world"))
		return NG_SEG_WORLD;
	for (i = 0; i < p->n_segs; i++)
		if (!strcmp(p->segs[i].name, name))
			return p->segs[i].id;
	return -1;
}

static bool sg_term_matches(const struct ng_term *t, uint8_t proto, uint16_t port)
{
	if (!t->any_proto && t->proto != proto)
		return false;
	return port >= t->port_lo && port <= t->port_hi;
}

enum ng_verdict ng_suggest_judge(const struct ng_policy *p, const char *src, const char *dst,
				 uint8_t proto, uint16_t port, long *rule)
{
	int s = sg_seg(p, src), d = sg_seg(p, dst);
	size_t i, k;

	/* The module matches protocols without ports as port 0. */
	if (!ng_proto_has_ports(proto))
		port = 0;
	for (i = 0; i < p->n_rules; i++) {
		const struct ng_rule *r = &p->rules[i];

		if ((r->src != NG_SEG_ANY && (int)r->src != s) ||
		    (r->dst != NG_SEG_ANY && (int)r->dst != d))
			continue;
		for (k = 0; k < r->n_terms; k++)
			if (sg_term_matches(&r->terms[k], proto, port))
				break;
		if (r->n_terms && k == r->n_terms)
			continue;
		*rule = (long)i;
		return r->action;
	}
	*rule = -1;
	return p->def;
}

/* Group order: source, destination, protocol, port. */
static int sg_cmp(const void *x, const void *y)
{
	const struct sg_item *a = x, *b = y;

	if (a->src != b->src)
		return a->src < b->src ? -1 : 1;
	if (a->dst != b->dst)
		return a->dst < b->dst ? -1 : 1;
	if (a->o->proto != b->o->proto)
		return a->o->proto < b->o->proto ? -1 : 1;
	if (a->o->port != b->o->port)
		return a->o->port < b->o->port ? -1 : 1;
	return 0;
}

static void sg_proto(FILE *f, uint8_t proto)
{
	const char *n = ng_proto_name(proto);

	if (n)
		fprintf(f, " %s", n);
	else
		fprintf(f, " proto %u", proto);
}

static void sg_iso(char *buf, size_t len, uint64_t secs)
{
	ng_fmt_iso(buf, len, secs * 1000000000ULL, 0);
}

/* "10.0.1.2 -> 10.0.2.2" of @o's first example, or "". */
static void sg_example(char *buf, size_t len, const struct ng_observed *o)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	int fam;

	buf[0] = '\0';
	if (!o->nex)
		return;
	fam = o->ex[0].family == 4 ? AF_INET : AF_INET6;
	if (inet_ntop(fam, o->ex[0].src, a, sizeof(a)) &&
	    inet_ntop(fam, o->ex[0].dst, b, sizeof(b)))
		snprintf(buf, len, ", e.g. %s -> %s", a, b);
}

/*
 * The evidence of items [@i, @j): "# 12 connections (web -> db tcp 5432,
 * 6432), first seen ..., last seen ..., e.g. ...".
 */
static void sg_evidence(FILE *f, const struct ng_policy *p, const struct sg_item *it,
			size_t i, size_t j, const char *lead)
{
	uint64_t conns = 0, first = UINT64_MAX, last = 0;
	char t1[40], t2[40], ex[2 * INET6_ADDRSTRLEN + 16];
	size_t k;

	for (k = i; k < j; k++) {
		conns += it[k].o->conns;
		if (it[k].o->first < first)
			first = it[k].o->first;
		if (it[k].o->last > last)
			last = it[k].o->last;
	}
	sg_iso(t1, sizeof(t1), first);
	sg_iso(t2, sizeof(t2), last);
	sg_example(ex, sizeof(ex), it[i].o);
	fprintf(f, "%s%llu connection%s %s -> %s, first seen %s, last seen %s%s\n", lead,
		(unsigned long long)conns, conns == 1 ? "" : "s",
		ng_policy_seg_name(p, it[i].src), ng_policy_seg_name(p, it[i].dst), t1, t2, ex);
}

/*
 * One rule (prefixed by @lead: "" or "#") for items [@i, @j) of one
 * segment pair and protocol: ports merged into ranges, at most
 * NGUARD_MAX_RULE_MATCHES terms; returns where it stopped.
 */
static size_t sg_rule(FILE *f, const struct ng_policy *p, const struct sg_item *it, size_t i,
		      size_t j, const char *lead)
{
	uint8_t proto = it[i].o->proto;
	size_t k = i, terms = 0;

	fprintf(f, "%sallow %s -> %s", lead, ng_policy_seg_name(p, it[i].src),
		ng_policy_seg_name(p, it[i].dst));
	sg_proto(f, proto);
	if (!ng_proto_has_ports(proto) || !it[i].o->port) {
		/* ICMP types, or a protocol without ports: the whole protocol. */
		while (k < j && it[k].o->proto == proto)
			k++;
		fputc('\n', f);
		return k;
	}
	fputc(' ', f);
	while (k < j && terms < NGUARD_MAX_RULE_MATCHES) {
		uint16_t lo = it[k].o->port, hi = lo;

		for (k++; k < j && it[k].o->port <= (uint32_t)hi + 1; k++)
			hi = it[k].o->port;
		if (terms++)
			fputc(',', f);
		if (lo == hi)
			fprintf(f, "%u", lo);
		else
			fprintf(f, "%u-%u", lo, hi);
	}
	fputc('\n', f);
	return k;
}

/* Items [@i, @j) grouped per pair and protocol: evidence, then rules. */
static size_t sg_rules(FILE *f, const struct ng_policy *p, const struct sg_item *it, size_t n,
		       const char *lead)
{
	size_t i = 0, j, k, rules = 0;

	while (i < n) {
		for (j = i; j < n && it[j].src == it[i].src && it[j].dst == it[i].dst &&
			    it[j].o->proto == it[i].o->proto; j++)
			;
		sg_evidence(f, p, it, i, j, "# ");
		for (k = i; k < j; rules++)
			k = sg_rule(f, p, it, k, j, lead);
		i = j;
	}
	return rules;
}

int ng_suggest(FILE *f, const struct ng_policy *p, const struct ng_observed_list *l,
	       const struct ng_suggest_opts *o, struct ng_suggest_count *c)
{
	struct sg_item *add, *world, *denied;
	struct ng_policy shown = *p;
	size_t i, na = 0, nw = 0, nd = 0;
	char when[40];

	memset(c, 0, sizeof(*c));
	add = calloc(l->n + 1, sizeof(*add));
	world = calloc(l->n + 1, sizeof(*world));
	denied = calloc(l->n + 1, sizeof(*denied));
	if (!add || !world || !denied) {
		free(add);
		free(world);
		free(denied);
		return -1;
	}
	for (i = 0; i < l->n; i++) {
		const struct ng_observed *ob = &l->v[i];
		struct sg_item x = { .o = ob };
		int s = sg_seg(p, ob->src_name), d = sg_seg(p, ob->dst_name);

		if (s < 0 || d < 0) {
			c->unknown++;
			continue;
		}
		x.src = (uint16_t)s;
		x.dst = (uint16_t)d;
		if (ng_suggest_judge(p, ob->src_name, ob->dst_name, ob->proto, ob->port,
				     &x.rule) == NG_ALLOW)
			continue;
		if (x.rule >= 0)
			denied[nd++] = x;
		else if (x.src == NG_SEG_WORLD)
			world[nw++] = x;
		else
			add[na++] = x;
	}
	qsort(add, na, sizeof(*add), sg_cmp);
	qsort(world, nw, sizeof(*world), sg_cmp);
	qsort(denied, nd, sizeof(*denied), sg_cmp);

	if (o->enforce)
		shown.mode = NG_MODE_ENFORCE;
	ng_policy_print(f, &shown);
	sg_iso(when, sizeof(when), o->now);
	fprintf(f, "\n# ---- nguardctl suggest, %s ----\n", when);
	if (!na)
		fprintf(f, "# No rule to add: the policy allows every observed flow between segments.\n");
	c->rules = sg_rules(f, p, add, na, "");
	c->flows = na;
	if (nw) {
		fprintf(f, "\n# For review, not allowed: flows from world (addresses in no segment).\n"
			   "# Allowing them would allow every address; a segment may be missing.\n");
		sg_rules(f, p, world, nw, "#");
	}
	if (nd) {
		fprintf(f, "\n# For review, not allowed: flows a rule of this policy denies.\n");
		for (i = 0; i < nd; i++) {
			const struct ng_rule *r = &p->rules[denied[i].rule];

			sg_evidence(f, p, denied, i, i + 1, "# ");
			fprintf(f, "#   denied by line %u: ", r->line);
			ng_rule_print(f, p, r);
			fputc('\n', f);
			sg_rule(f, p, denied, i, i + 1, "#");
		}
	}
	c->world = nw;
	c->by_rule = nd;
	free(add);
	free(world);
	free(denied);
	return 0;
}
