// SPDX-License-Identifier: GPL-2.0-only
/*
 * "segment NAME MEMBER...": declares NAME on first use (the name table in
 * parse_ctx.c) and adds its members, addresses, prefixes and "iface
 * NAME". Each member is also recorded with its position in ps->src, for
 * the duplicate and limit checks of policy_check.c.
 */
#include <arpa/inet.h>
#include <string.h>
#include "parse_ctx.h"
#include "parse_segment.h"

static bool check_iface(struct ng_parser *ps, const struct ng_tok *t)
{
	if (!t->len || t->len >= NG_IFNAMSIZ || memchr(t->s, '/', t->len) ||
	    memchr(t->s, ':', t->len) || ng_tok_is(t, ".") || ng_tok_is(t, "..")) {
		ng_err(ps, t->col, "invalid interface name '%s' (1..%d bytes, no '/' or ':', not '.' or '..')",
		       NG_Q(t), NG_IFNAMSIZ - 1);
		return false;
	}
	return true;
}

static void add_prefix(struct ng_parser *ps, size_t si, const struct ng_tok *t, int fam,
		       const uint8_t a[16], uint8_t len)
{
	struct ng_segment *s = &ps->p->segs[si];
	uint32_t a4;

	if (fam == AF_INET) {
		struct ng_member4 *r;

		memcpy(&a4, a, 4);
		a4 = ntohl(a4);
		if (ng_grow(&ps->src.r4, &ps->src.cap4, ps->src.n4 + 1, sizeof(*r)) ||
		    ng_segment_add_v4(s, a4, len)) {
			ng_parse_oom(ps);
			return;
		}
		r = &ps->src.r4[ps->src.n4++];
		r->addr = a4;
		r->len = len;
		r->dead = 0;
		r->seg = (uint16_t)si;
		r->idx = (uint32_t)(s->n_v4 - 1);
		r->line = ps->lx.line;
		r->col = t->col;
	} else {
		struct ng_member6 *r;

		if (ng_grow(&ps->src.r6, &ps->src.cap6, ps->src.n6 + 1, sizeof(*r)) ||
		    ng_segment_add_v6(s, a, len)) {
			ng_parse_oom(ps);
			return;
		}
		r = &ps->src.r6[ps->src.n6++];
		memcpy(r->addr, a, 16);
		r->len = len;
		r->dead = 0;
		r->seg = (uint16_t)si;
		r->idx = (uint32_t)(s->n_v6 - 1);
		r->line = ps->lx.line;
		r->col = t->col;
	}
}

static void add_iface(struct ng_parser *ps, size_t si, const struct ng_tok *t)
{
	struct ng_segment *s = &ps->p->segs[si];
	struct ng_member_if *r;

	if (ng_grow(&ps->src.rif, &ps->src.capif, ps->src.nif + 1, sizeof(*r)) ||
	    ng_segment_add_iface(s, t->s, t->len)) {
		ng_parse_oom(ps);
		return;
	}
	r = &ps->src.rif[ps->src.nif++];
	memset(r->name, 0, sizeof(r->name));
	memcpy(r->name, t->s, t->len);
	r->dead = 0;
	r->seg = (uint16_t)si;
	r->idx = (uint32_t)(s->n_ifaces - 1);
	r->line = ps->lx.line;
	r->col = t->col;
}

/* Index + 1 of the segment @t names, created if new; 0 if unusable. */
static size_t seg_declare(struct ng_parser *ps, const struct ng_tok *t)
{
	struct ng_segment *s;
	size_t i, slot = 0;

	if (!ng_check_seg_name(ps, t))
		return 0;
	if (ng_tok_is(t, "world")) {
		ng_err(ps, t->col, "'world' is the implicit segment of all addresses in no segment; it cannot be declared");
		return 0;
	}
	i = ng_seg_lookup(ps, t->s, t->len, &slot);
	if (i)
		return i;
	if (ps->p->n_segs >= NGUARD_MAX_SEGMENTS) {
		ng_err(ps, t->col, "too many segments: the limit is %d (NGUARD_MAX_SEGMENTS)",
		       NGUARD_MAX_SEGMENTS);
		return 0;
	}
	if (ng_grow(&ps->src.seg_col, &ps->src.cap_seg_col, ps->p->n_segs + 1, sizeof(*ps->src.seg_col))) {
		ng_parse_oom(ps);
		return 0;
	}
	s = ng_policy_add_segment(ps->p, t->s, t->len);
	if (!s) {
		ng_parse_oom(ps);
		return 0;
	}
	s->line = ps->lx.line;
	ps->src.seg_col[s->id - 1] = t->col;
	ps->seg_hash[slot] = s->id;
	return ps->last_seg = s->id;
}

void ng_parse_segment(struct ng_parser *ps)
{
	struct ng_tok *t = ps->lx.toks;
	size_t seg, i;

	if (ps->lx.ntok < 2) {
		ng_err(ps, ng_tok_after(&t[0]), "expected a segment name after 'segment'");
		return;
	}
	seg = seg_declare(ps, &t[1]);	/* 0: still check the members */
	for (i = 2; i < ps->lx.ntok && !ps->rep.stop; i++) {
		uint8_t a[16], len;
		int fam;

		if (ng_tok_is(&t[i], "iface")) {
			if (i + 1 == ps->lx.ntok) {
				ng_err(ps, ng_tok_after(&t[i]), "expected an interface name after 'iface'");
				break;
			}
			i++;
			if (check_iface(ps, &t[i]) && seg)
				add_iface(ps, seg - 1, &t[i]);
		} else if (ng_parse_prefix(ps, &t[i], &fam, a, &len) && seg) {
			add_prefix(ps, seg - 1, &t[i], fam, a, len);
		}
	}
}
