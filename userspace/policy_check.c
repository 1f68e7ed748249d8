// SPDX-License-Identifier: GPL-2.0-only
/*
 * Checks across statements (policy_check.h), after the parser has read
 * the whole file and resolved the segment names. Duplicate members are
 * found by sorting the members as written (struct ng_srcinfo, filled by
 * parse_segment.c) by value, then position: O(n log n) for the 1M
 * prefixes a policy may have. The checks report at the positions the
 * parser kept; they stop as the parser does (too many errors, out of
 * memory) and skip the checks whose findings would likely be
 * consequences of an earlier error.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include "format.h"
#include "policy_check.h"

#define DEAD_LEN	0xff	/* marks a dropped duplicate prefix */

struct checker {
	struct ng_policy *p;
	struct ng_srcinfo *src;
	struct ng_reporter *rep;
};

static int pos_cmp(unsigned int l1, unsigned int c1, unsigned int l2, unsigned int c2)
{
	if (l1 != l2)
		return l1 < l2 ? -1 : 1;
	return c1 < c2 ? -1 : c1 > c2;
}

static int rec4_cmp(const void *a, const void *b)
{
	const struct ng_member4 *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return pos_cmp(x->line, x->col, y->line, y->col);
}

static int rec6_cmp(const void *a, const void *b)
{
	const struct ng_member6 *x = a, *y = b;
	int c = memcmp(x->addr, y->addr, 16);

	if (c)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return pos_cmp(x->line, x->col, y->line, y->col);
}

static int recif_cmp(const void *a, const void *b)
{
	const struct ng_member_if *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : pos_cmp(x->line, x->col, y->line, y->col);
}

/*
 * A later copy of a member (same prefix or interface) in the same
 * segment is dropped with a warning; in another segment it is an error.
 * Returns true if @later was dropped.
 */
static bool dup_member(struct checker *ck, const char *what, const char *text,
		       uint16_t first_seg, unsigned int first_line,
		       uint16_t seg, unsigned int line, unsigned int col)
{
	const char *name = ck->p->segs[first_seg].name;

	if (seg == first_seg) {
		ng_report(ck->rep, NG_SEV_WARNING, line, col,
			  "%s %s is already in segment '%s' (line %u); ignored",
			  what, text, name, first_line);
		return true;
	}
	ng_report(ck->rep, NG_SEV_ERROR, line, col,
		  "%s %s is already in segment '%s' (line %u): the same %s in two segments is ambiguous",
		  what, text, name, first_line, what);
	return false;
}

static void dedupe(struct checker *ck)
{
	char text[INET6_ADDRSTRLEN + 8];
	size_t i, j;

	if (ck->src->n4 > 1)
		qsort(ck->src->r4, ck->src->n4, sizeof(*ck->src->r4), rec4_cmp);
	for (i = 0; i < ck->src->n4 && !ck->rep->stop; i = j) {
		const struct ng_member4 *f = &ck->src->r4[i];

		for (j = i + 1; j < ck->src->n4 && ck->src->r4[j].addr == f->addr &&
		     ck->src->r4[j].len == f->len && !ck->rep->stop; j++) {
			struct ng_member4 *r = &ck->src->r4[j];
			uint32_t a = htonl(r->addr);

			ng_fmt_prefix(text, sizeof(text), AF_INET, &a, r->len);
			if (dup_member(ck, "prefix", text, f->seg, f->line, r->seg, r->line, r->col)) {
				r->dead = 1;
				ck->p->segs[r->seg].v4[r->idx].len = DEAD_LEN;
			}
		}
	}
	if (ck->src->n6 > 1)
		qsort(ck->src->r6, ck->src->n6, sizeof(*ck->src->r6), rec6_cmp);
	for (i = 0; i < ck->src->n6 && !ck->rep->stop; i = j) {
		const struct ng_member6 *f = &ck->src->r6[i];

		for (j = i + 1; j < ck->src->n6 && !memcmp(ck->src->r6[j].addr, f->addr, 16) &&
		     ck->src->r6[j].len == f->len && !ck->rep->stop; j++) {
			struct ng_member6 *r = &ck->src->r6[j];

			ng_fmt_prefix(text, sizeof(text), AF_INET6, r->addr, r->len);
			if (dup_member(ck, "prefix", text, f->seg, f->line, r->seg, r->line, r->col)) {
				r->dead = 1;
				ck->p->segs[r->seg].v6[r->idx].len = DEAD_LEN;
			}
		}
	}
	if (ck->src->nif > 1)
		qsort(ck->src->rif, ck->src->nif, sizeof(*ck->src->rif), recif_cmp);
	for (i = 0; i < ck->src->nif && !ck->rep->stop; i = j) {
		const struct ng_member_if *f = &ck->src->rif[i];

		for (j = i + 1; j < ck->src->nif && !strcmp(ck->src->rif[j].name, f->name) &&
		     !ck->rep->stop; j++) {
			struct ng_member_if *r = &ck->src->rif[j];

			if (dup_member(ck, "interface", r->name, f->seg, f->line, r->seg,
				       r->line, r->col)) {
				r->dead = 1;
				ck->p->segs[r->seg].ifaces[r->idx][0] = '\0';
			}
		}
	}
}

/* Remove the members dedupe() marked, keeping the order of the rest. */
static void compact(struct ng_policy *p)
{
	size_t i, j, n;

	for (i = 0; i < p->n_segs; i++) {
		struct ng_segment *s = &p->segs[i];

		for (j = n = 0; j < s->n_v4; j++)
			if (s->v4[j].len != DEAD_LEN)
				s->v4[n++] = s->v4[j];
		s->n_v4 = n;
		for (j = n = 0; j < s->n_v6; j++)
			if (s->v6[j].len != DEAD_LEN)
				s->v6[n++] = s->v6[j];
		s->n_v6 = n;
		for (j = n = 0; j < s->n_ifaces; j++)
			if (s->ifaces[j][0])
				memcpy(s->ifaces[n++], s->ifaces[j], NG_IFNAMSIZ);
		s->n_ifaces = n;
	}
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Report the first kept member past @limit, in file order. */
static void limit_error(struct checker *ck, uint64_t *pos, size_t n, size_t limit,
			const char *what, const char *macro)
{
	qsort(pos, n, sizeof(*pos), u64_cmp);
	ng_report(ck->rep, NG_SEV_ERROR, (unsigned int)(pos[limit] >> 32), (unsigned int)pos[limit],
		  "too many %s: the limit is %zu (%s)", what, limit, macro);
}

#define POS(r) ((uint64_t)(r)->line << 32 | (r)->col)

static void check_member_limits(struct checker *ck)
{
	size_t i, n = 0, kept = 0;
	uint64_t *pos;

	for (i = 0; i < ck->src->n4; i++)
		kept += !ck->src->r4[i].dead;
	for (i = 0; i < ck->src->n6; i++)
		kept += !ck->src->r6[i].dead;
	if (kept > NGUARD_MAX_PREFIXES) {
		pos = malloc(kept * sizeof(*pos));
		if (!pos) {
			ng_report_oom(ck->rep);
			return;
		}
		for (i = 0; i < ck->src->n4; i++)
			if (!ck->src->r4[i].dead)
				pos[n++] = POS(&ck->src->r4[i]);
		for (i = 0; i < ck->src->n6; i++)
			if (!ck->src->r6[i].dead)
				pos[n++] = POS(&ck->src->r6[i]);
		limit_error(ck, pos, n, NGUARD_MAX_PREFIXES, "prefixes", "NGUARD_MAX_PREFIXES");
		free(pos);
	}
	for (i = kept = 0; i < ck->src->nif; i++)
		kept += !ck->src->rif[i].dead;
	if (kept > NGUARD_MAX_IFACES) {
		pos = malloc(kept * sizeof(*pos));
		if (!pos) {
			ng_report_oom(ck->rep);
			return;
		}
		for (i = n = 0; i < ck->src->nif; i++)
			if (!ck->src->rif[i].dead)
				pos[n++] = POS(&ck->src->rif[i]);
		limit_error(ck, pos, n, NGUARD_MAX_IFACES, "interfaces", "NGUARD_MAX_IFACES");
		free(pos);
	}
}

static void check_empty_segments(struct checker *ck)
{
	size_t i;

	for (i = 0; i < ck->p->n_segs; i++) {
		const struct ng_segment *s = &ck->p->segs[i];

		if (!s->n_v4 && !s->n_v6 && !s->n_ifaces)
			ng_report(ck->rep, NG_SEV_WARNING, s->line, ck->src->seg_col[i],
				  "segment '%s' has no members and matches nothing", s->name);
	}
}

static bool scope_covers(uint16_t a, uint16_t b)
{
	return a == NG_SEG_ANY || a == b;
}

/*
 * Bruteforce: does @a's service take every packet of @b's (the same
 * protocol, each of @b's port ranges inside one of @a's)? Other kinds
 * have no service: always.
 */
static bool service_covers(const struct ng_detect *a, const struct ng_detect *b)
{
	size_t i, k;

	if (a->kind != NG_DET_BRUTEFORCE)
		return true;
	if (a->proto != b->proto)
		return false;
	for (i = 0; i < b->n_ports; i++) {
		for (k = 0; k < a->n_ports; k++)
			if (a->ports[k].lo <= b->ports[i].lo && b->ports[i].hi <= a->ports[k].hi)
				break;
		if (k == a->n_ports)
			return false;
	}
	return true;
}

/*
 * For each kind the first detector whose scope (and, for bruteforce,
 * service) matches a packet applies: a later one with the same scope is
 * an error, one inside an earlier scope ("from *" covers "from web") is
 * never used: a warning. Bruteforce lines whose services differ are
 * apart: the same scope with another port is a detector of its own.
 */
static void check_detectors(struct checker *ck)
{
	const struct ng_detect *dets = ck->p->dets;
	size_t i, j;

	for (j = 1; j < ck->p->n_dets; j++) {
		const struct ng_detect *b = &dets[j];
		const char *name = ng_detector_name(b->kind);

		for (i = 0; i < j; i++) {
			const struct ng_detect *a = &dets[i];

			if (a->kind != b->kind || !service_covers(a, b))
				continue;
			if (a->from == b->from && a->to == b->to) {
				ng_report(ck->rep, NG_SEV_ERROR, b->line, ck->src->det_col[j],
					  "'detect %s' with the same scope is already on line %u",
					  name, a->line);
				break;
			}
			if (scope_covers(a->from, b->from) && scope_covers(a->to, b->to)) {
				ng_report(ck->rep, NG_SEV_WARNING, b->line, ck->src->det_col[j],
					  "never applies: 'detect %s' on line %u comes first and covers this scope",
					  name, a->line);
				break;
			}
		}
	}
}

/* Lines left without members (all repetitions) are dropped. */
static void compact_exempts(struct ng_policy *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->n_exempts; i++) {
		struct ng_exempt *e = &p->exempts[i];

		if (e->n_segs || e->n_v4 || e->n_v6) {
			p->exempts[n++] = *e;
			continue;
		}
		free(e->segs);
		free(e->v4);
		free(e->v6);
	}
	p->n_exempts = n;
}

void ng_srcinfo_free(struct ng_srcinfo *src)
{
	free(src->r4);
	free(src->r6);
	free(src->rif);
	free(src->seg_col);
	memset(src, 0, sizeof(*src));
}

void ng_policy_check(struct ng_policy *p, struct ng_srcinfo *src,
		     struct ng_reporter *rep, unsigned int errors)
{
	struct checker c = { .p = p, .src = src, .rep = rep }, *ck = &c;
	struct ng_diag *diag = rep->d;

	if (!ck->rep->stop)
		dedupe(ck);
	if (!ck->rep->stop)
		check_member_limits(ck);
	if (!ck->rep->stop) {
		compact(p);
		compact_exempts(p);
	}
	if (!ck->rep->stop && diag->errors == errors)	/* else likely a consequence */
		check_empty_segments(ck);
	if (!ck->rep->stop && diag->errors == errors)
		check_detectors(ck);
	if (!ck->rep->stop && p->limit_source && p->conns_max && p->limit_source > p->conns_max)
		ng_report(rep, NG_SEV_WARNING, src->limit_source_line, src->limit_source_col,
			  "source limit %u is above 'conns max %u' (line %u): the connection table fills before a source reaches it",
			  (unsigned int)p->limit_source, (unsigned int)p->conns_max, src->conns_line);
	if (!src->def_line && !ck->rep->stop)
		ng_report(rep, NG_SEV_WARNING, 0, 0, "no 'default' statement; using 'default deny'");
}
