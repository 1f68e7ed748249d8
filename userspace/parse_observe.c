// SPDX-License-Identifier: GPL-2.0-only
/*
 * "observe on", "observe max N", "observe off": whether the policy keeps
 * a summary of the flows it judges (`nguardctl observed`), and how many
 * aggregates at most. "on" is NG_OBSERVE_DEFAULT aggregates; "off", the
 * default, sends nothing. At most once per file.
 */
#include "parse_ctx.h"
#include "parse_observe.h"
#include "policy.h"

void ng_parse_observe(struct ng_parser *ps)
{
	const struct ng_tok *t = ps->lx.toks;

	if (ps->lx.ntok >= 2 && ng_tok_is(&t[1], "max")) {
		ng_parse_max(ps, &ps->observe_line, "observe max", "observe table size",
			     NGUARD_MAX_OBSERVE, &ps->p->observe_max);
		return;
	}
	if (!ng_once(ps, &ps->observe_line, "observe"))
		return;
	if (ps->lx.ntok < 2) {
		ng_err(ps, ng_tok_after(&t[0]), "expected 'on', 'off' or 'max N' after 'observe'");
		return;
	}
	if (ng_tok_is(&t[1], "on"))
		ps->p->observe_max = NG_OBSERVE_DEFAULT;
	else if (ng_tok_is(&t[1], "off"))
		ps->p->observe_max = 0;
	else {
		ng_err(ps, t[1].col, "expected 'on', 'off' or 'max N' after 'observe', got '%s'",
		       NG_Q(&t[1]));
		return;
	}
	ng_expect_end(ps, 2, "observe");
}
