// SPDX-License-Identifier: GPL-2.0-only
/*
 * "exempt MEMBER...": sources the detectors never quarantine. A member
 * is an address or prefix, or a segment name resolved after the last
 * line like the segments of rules. A member already exempt (on any
 * exempt line) is dropped with a warning as it comes: a scan, since
 * there are at most NGUARD_MAX_EXEMPT of them; past that limit one
 * error, once.
 */
#include <arpa/inet.h>
#include <string.h>
#include "format.h"
#include "parse_ctx.h"
#include "parse_exempt.h"

/* Source line of the exempt line that has this prefix already, 0 if none. */
static unsigned int exempt_find_prefix(const struct ng_policy *p, int fam,
				       const uint8_t a[16], uint8_t len)
{
	uint32_t a4;
	size_t i, j;

	memcpy(&a4, a, 4);
	a4 = ntohl(a4);
	for (i = 0; i < p->n_exempts; i++) {
		const struct ng_exempt *e = &p->exempts[i];

		if (fam == AF_INET) {
			for (j = 0; j < e->n_v4; j++)
				if (e->v4[j].addr == a4 && e->v4[j].len == len)
					return e->line;
		} else {
			for (j = 0; j < e->n_v6; j++)
				if (!memcmp(e->v6[j].addr, a, 16) && e->v6[j].len == len)
					return e->line;
		}
	}
	return 0;
}

/* Room for one more exempt member; the limit is reported once. */
static bool exempt_room(struct ng_parser *ps, const struct ng_tok *t)
{
	if (ps->n_exempt < NGUARD_MAX_EXEMPT) {
		ps->n_exempt++;
		return true;
	}
	if (!ps->exempt_full)
		ng_err(ps, t->col, "too many exempt members: the limit is %d (NGUARD_MAX_EXEMPT)",
		       NGUARD_MAX_EXEMPT);
	ps->exempt_full = true;
	return false;
}

static void exempt_prefix(struct ng_parser *ps, size_t ei, const struct ng_tok *t, int fam,
			  const uint8_t a[16], uint8_t len)
{
	struct ng_exempt *e = &ps->p->exempts[ei];
	char text[INET6_ADDRSTRLEN + 8];
	unsigned int first;
	uint32_t a4;
	int rc;

	if (ps->exempt_full)
		return;
	ng_fmt_prefix(text, sizeof(text), fam, a, len);
	first = exempt_find_prefix(ps->p, fam, a, len);
	if (first) {
		ng_warn(ps, t->col, "%s is already exempt (line %u); ignored", text, first);
		return;
	}
	if (!exempt_room(ps, t))
		return;
	if (!len)
		ng_warn(ps, t->col, "%s exempts every %s source: none is ever quarantined", text,
			fam == AF_INET ? "IPv4" : "IPv6");
	memcpy(&a4, a, 4);
	rc = fam == AF_INET ? ng_exempt_add_v4(e, ntohl(a4), len) : ng_exempt_add_v6(e, a, len);
	if (rc)
		ng_parse_oom(ps);
}

/* A segment name: its id is filled in by resolve_refs(). */
static void exempt_segment(struct ng_parser *ps, size_t ei, const struct ng_tok *t)
{
	struct ng_exempt *e = &ps->p->exempts[ei];
	struct ng_xref *x;
	size_t i;

	if (ps->exempt_full)
		return;
	for (i = 0; i < ps->nxref; i++) {
		x = &ps->xrefs[i];
		if (x->len == t->len && !memcmp(x->s, t->s, t->len)) {
			ng_warn(ps, t->col, "segment '%s' is already exempt (line %u); ignored", NG_Q(t),
				x->line);
			return;
		}
	}
	if (!exempt_room(ps, t))
		return;
	if (ng_grow(&ps->xrefs, &ps->cap_xref, ps->nxref + 1, sizeof(*x)) ||
	    ng_exempt_add_seg(e, NG_SEG_WORLD)) {
		ng_parse_oom(ps);
		return;
	}
	x = &ps->xrefs[ps->nxref++];
	x->idx = ei;
	x->pos = e->n_segs - 1;
	x->s = t->s;
	x->len = t->len;
	x->line = ps->lx.line;
	x->col = t->col;
}

/* One MEMBER of an exempt line: an address or prefix, else a segment name. */
static void exempt_member(struct ng_parser *ps, size_t ei, const struct ng_tok *t)
{
	uint8_t a[16], len;
	int fam;

	if (ng_tok_is(t, "*")) {
		ng_err(ps, t->col, "'*' cannot be exempt: name the segments, addresses or prefixes that must never be quarantined");
		return;
	}
	if (ng_tok_is(t, "world")) {
		ng_err(ps, t->col, "'world' cannot be exempt (it is every address in no segment): name addresses or prefixes");
		return;
	}
	if (ng_is_digit(t->s[0]) || memchr(t->s, ':', t->len)) {
		if (ng_parse_prefix(ps, t, &fam, a, &len))
			exempt_prefix(ps, ei, t, fam, a, len);
		return;
	}
	if (ng_check_seg_name(ps, t))
		exempt_segment(ps, ei, t);
}

/* "exempt MEMBER...": sources that detectors never quarantine. */
void ng_parse_exempt(struct ng_parser *ps)
{
	struct ng_exempt *e;
	size_t ei, i;

	if (ps->lx.ntok < 2) {
		ng_err(ps, ng_tok_after(&ps->lx.toks[0]), "expected a segment, address or prefix after 'exempt'");
		return;
	}
	e = ng_policy_add_exempt(ps->p);
	if (!e) {
		ng_parse_oom(ps);
		return;
	}
	e->line = ps->lx.line;
	ei = ps->p->n_exempts - 1;
	for (i = 1; i < ps->lx.ntok && !ps->rep.stop; i++)
		exempt_member(ps, ei, &ps->lx.toks[i]);
}
