// SPDX-License-Identifier: GPL-2.0-only
/*
 * "allow|deny SRC -> DST [PROTO [PORTS]]... [log]": one struct ng_rule
 * with its protocol/port terms; SRC and DST go through ng_endpoint()
 * (parse_ctx.c), whose segment names are resolved after the last line.
 */
#include <string.h>
#include "parse_ctx.h"
#include "parse_ports.h"
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

struct port_terms {
	struct ng_rule *r;
	uint8_t proto;
};

/* One item of a rule's port list: a term of the protocol being listed. */
static bool add_port_term(struct ng_parser *ps, const struct ng_tok *item, uint16_t lo,
			  uint16_t hi, void *ctx)
{
	const struct port_terms *pt = ctx;

	return add_term(ps, pt->r, item, pt->proto, 0, lo, hi);
}

/* PORTS of the protocol whose all-ports term ends @r: replace that term. */
static bool parse_ports(struct ng_parser *ps, struct ng_rule *r, const struct ng_tok *t)
{
	struct port_terms pt = { r, r->terms[r->n_terms - 1].proto };

	r->n_terms--;
	return ng_parse_port_list(ps, t, add_port_term, &pt);
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
