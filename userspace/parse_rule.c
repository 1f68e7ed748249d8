// SPDX-License-Identifier: GPL-2.0-only
/*
 * "allow|deny SRC -> DST [PROTO [PORTS]]... [log]": one struct ng_rule
 * with its protocol/port terms; SRC and DST go through ng_endpoint()
 * (parse_ctx.c), whose segment names are resolved after the last line.
 */
#include <string.h>
#include "parse_ctx.h"
#include "parse_rule.h"

static const struct {
	const char *name;
	uint8_t proto;
} proto_names[] = {
	{ "tcp", 6 }, { "udp", 17 }, { "icmp", 1 }, { "icmpv6", 58 },
};

static void rule_endpoint(struct ng_parser *ps, size_t ri, const struct ng_tok *t, bool dst)
{
	struct ng_rule *r = &ps->p->rules[ri];

	ng_endpoint(ps, t, dst ? &r->dst : &r->src, ri, false, dst);
}

static bool add_term(struct ng_parser *ps, struct ng_rule *r, const struct ng_tok *t,
		     uint8_t proto, uint8_t any, uint16_t lo, uint16_t hi)
{
	struct ng_term term = { .proto = proto, .any_proto = any, .port_lo = lo, .port_hi = hi };

	if (r->n_terms >= NGUARD_MAX_RULE_MATCHES) {
		ng_err(ps, t->col, "too many protocol/port terms in one rule: the limit is %d (NGUARD_MAX_RULE_MATCHES)",
		       NGUARD_MAX_RULE_MATCHES);
		return false;
	}
	if (ng_rule_add_term(r, &term)) {
		ng_parse_oom(ps);
		return false;
	}
	return true;
}

/* PORTS of the protocol whose all-ports term ends @r: replace that term. */
static bool parse_ports(struct ng_parser *ps, struct ng_rule *r, const struct ng_tok *t)
{
	uint8_t proto = r->terms[r->n_terms - 1].proto;
	size_t pos = 0;

	r->n_terms--;
	for (;;) {
		const char *item = t->s + pos, *comma, *dash;
		size_t len = t->len - pos;
		unsigned int col = t->col + (unsigned int)pos;
		struct ng_tok it;
		uint64_t lo, hi;

		comma = memchr(item, ',', len);
		if (comma)
			len = (size_t)(comma - item);
		it.s = item;
		it.len = len;
		it.col = col;
		if (!len) {
			ng_err(ps, col, "empty port in list '%s'", NG_Q(t));
			return false;
		}
		dash = memchr(item, '-', len);
		if (dash) {
			size_t l1 = (size_t)(dash - item);

			if (ng_scan_uint(item, l1, 65535, &lo) ||
			    ng_scan_uint(dash + 1, len - l1 - 1, 65535, &hi) || !lo || !hi) {
				ng_err(ps, col, "bad port range '%s' (ports are 1..65535)", NG_Q(&it));
				return false;
			}
			if (lo > hi) {
				ng_err(ps, col, "bad port range '%s': %u is above %u", NG_Q(&it),
				       (unsigned int)lo, (unsigned int)hi);
				return false;
			}
		} else {
			if (ng_scan_uint(item, len, 65535, &lo) || !lo) {
				ng_err(ps, col, "bad port '%s' (ports are 1..65535)", NG_Q(&it));
				return false;
			}
			hi = lo;
		}
		if (!add_term(ps, r, &it, proto, 0, (uint16_t)lo, (uint16_t)hi))
			return false;
		if (!comma)
			return true;
		pos += len + 1;
	}
}

void ng_parse_rule(struct ng_parser *ps)
{
	struct ng_tok *t = ps->lx.toks;
	bool after_proto = false;	/* previous group is a PROTO without PORTS */
	struct ng_rule *r;
	size_t ri, i, k;

	if (ps->p->n_rules >= NGUARD_MAX_RULES) {
		ng_err(ps, t[0].col, "too many rules: the limit is %d (NGUARD_MAX_RULES)",
		       NGUARD_MAX_RULES);
		return;
	}
	r = ng_policy_add_rule(ps->p);
	if (!r) {
		ng_parse_oom(ps);
		return;
	}
	ri = ps->p->n_rules - 1;
	r->action = ng_tok_is(&t[0], "deny") ? NG_DENY : NG_ALLOW;
	r->line = ps->lx.line;
	r->text = strndup(t[0].s, (size_t)(t[ps->lx.ntok - 1].s + t[ps->lx.ntok - 1].len - t[0].s));
	if (!r->text) {
		ng_parse_oom(ps);
		return;
	}
	if (ps->lx.ntok < 2) {
		ng_err(ps, ng_tok_after(&t[0]), "expected a source segment after '%s'", NG_Q(&t[0]));
		return;
	}
	if (ps->lx.ntok < 3 || !ng_tok_is(&t[2], "->")) {
		if (memmem(t[1].s, t[1].len, "->", 2))
			ng_err(ps, t[1].col, "put blanks around '->' in '%s'", NG_Q(&t[1]));
		else if (ps->lx.ntok < 3)
			ng_err(ps, ng_tok_after(&t[1]), "expected '->' after '%s'", NG_Q(&t[1]));
		else
			ng_err(ps, t[2].col, "expected '->' after '%s', got '%s'", NG_Q(&t[1]), NG_Q(&t[2]));
		return;
	}
	if (ps->lx.ntok < 4) {
		ng_err(ps, ng_tok_after(&t[2]), "expected a destination segment after '->'");
		return;
	}
	rule_endpoint(ps, ri, &t[1], false);
	rule_endpoint(ps, ri, &t[3], true);
	for (i = 4; i < ps->lx.ntok && !ps->rep.stop; i++) {
		const struct ng_tok *w = &t[i];
		uint64_t v;

		r = &ps->p->rules[ri];
		if (ng_tok_is(w, "log")) {
			if (i + 1 < ps->lx.ntok) {
				ng_err(ps, w->col, "'log' must be the last word of a rule");
				return;
			}
			r->log = true;
			continue;
		}
		if (ng_tok_is(w, "any")) {
			if (!add_term(ps, r, w, 0, 1, 0, 65535))
				return;
			after_proto = true;
			continue;
		}
		for (k = 0; k < sizeof(proto_names) / sizeof(proto_names[0]); k++)
			if (ng_tok_is(w, proto_names[k].name))
				break;
		if (k < sizeof(proto_names) / sizeof(proto_names[0])) {
			if (!add_term(ps, r, w, proto_names[k].proto, 0, 0, 65535))
				return;
			after_proto = true;
			continue;
		}
		if (ng_tok_is(w, "proto")) {
			if (i + 1 == ps->lx.ntok) {
				ng_err(ps, ng_tok_after(w), "expected a protocol number after 'proto'");
				return;
			}
			w = &t[++i];
			if (ng_scan_uint(w->s, w->len, 255, &v)) {
				ng_err(ps, w->col, "bad protocol number '%s' (0..255)", NG_Q(w));
				return;
			}
			if (!add_term(ps, r, w, (uint8_t)v, 0, 0, 65535))
				return;
			after_proto = true;
			continue;
		}
		if (after_proto && (ng_is_digit(w->s[0]) || w->s[0] == ',' || w->s[0] == '-')) {
			const struct ng_term *last = &r->terms[r->n_terms - 1];

			if (last->any_proto || !ng_proto_has_ports(last->proto)) {
				ng_err(ps, w->col, "ports are only valid after tcp, udp, 6, 17, 132 (sctp) or 136 (udplite), not after '%s'",
				       NG_Q(&t[i - 1]));
				return;
			}
			if (!parse_ports(ps, r, w))
				return;
			after_proto = false;
			continue;
		}
		if (!ng_is_digit(w->s[0])) {
			ng_err(ps, w->col, "expected a protocol, ports or 'log', got '%s'", NG_Q(w));
			return;
		}
		if (ng_scan_uint(w->s, w->len, 255, &v)) {
			ng_err(ps, w->col, "bad protocol '%s' (tcp, udp, icmp, icmpv6, any or 0..255)", NG_Q(w));
			return;
		}
		if (!add_term(ps, r, w, (uint8_t)v, 0, 0, 65535))
			return;
		after_proto = true;
	}
}
