// SPDX-License-Identifier: GPL-2.0-only
/*
 * Policy-file parser, the entry points (parser.h): the lexer (lexer.c)
 * hands over one line of tokens at a time; the first word picks the
 * statement, parsed into struct ng_policy here (mode, default, conns)
 * or by the statement files: parse_segment.c, parse_rule.c,
 * parse_anomaly.c (limit, log, detect, ipv6, with trackers and blocked
 * through ng_parse_max), parse_exempt.c. What they share is in
 * parse_ctx.c. After the last line the segment names that rules,
 * detectors and exempt lines use are resolved, then policy_check.c runs
 * the checks across statements; the diagnostics (diag.c) come out sorted
 * by position.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "parse_anomaly.h"
#include "parse_observe.h"
#include "parse_ctx.h"
#include "parse_exempt.h"
#include "parse_rule.h"
#include "parse_segment.h"
#include "parser.h"
#include "policy_check.h"

static void parse_mode(struct ng_parser *ps)
{
	struct ng_tok *t = ps->lx.toks;

	if (!ng_once(ps, &ps->mode_line, "mode"))
		return;
	if (ps->lx.ntok < 2) {
		ng_err(ps, ng_tok_after(&t[0]), "expected 'enforce' or 'monitor' after 'mode'");
		return;
	}
	if (ng_tok_is(&t[1], "enforce"))
		ps->p->mode = NG_MODE_ENFORCE;
	else if (ng_tok_is(&t[1], "monitor"))
		ps->p->mode = NG_MODE_MONITOR;
	else
		ng_err(ps, t[1].col, "expected 'enforce' or 'monitor' after 'mode', got '%s'", NG_Q(&t[1]));
	ng_expect_end(ps, 2, "mode");
}

static void parse_default(struct ng_parser *ps)
{
	struct ng_tok *t = ps->lx.toks;

	if (!ng_once(ps, &ps->src.def_line, "default"))
		return;
	if (ps->lx.ntok < 2) {
		ng_err(ps, ng_tok_after(&t[0]), "expected 'allow' or 'deny' after 'default'");
		return;
	}
	if (ng_tok_is(&t[1], "allow"))
		ps->p->def = NG_ALLOW;
	else if (ng_tok_is(&t[1], "deny"))
		ps->p->def = NG_DENY;
	else
		ng_err(ps, t[1].col, "expected 'allow' or 'deny' after 'default', got '%s'", NG_Q(&t[1]));
	ng_expect_end(ps, 2, "default");
}

static void parse_conns(struct ng_parser *ps)
{
	ng_parse_max(ps, &ps->src.conns_line, "conns max", "connection limit", NGUARD_MAX_CONNS,
		     &ps->p->conns_max);
}

/* The statement on the current line (it has tokens): by its first word. */
static void parse_statement(struct ng_parser *ps)
{
	const struct ng_tok *t = &ps->lx.toks[0];

	if (ng_tok_is(t, "segment"))
		ng_parse_segment(ps);
	else if (ng_tok_is(t, "allow") || ng_tok_is(t, "deny"))
		ng_parse_rule(ps);
	else if (ng_tok_is(t, "mode"))
		parse_mode(ps);
	else if (ng_tok_is(t, "default"))
		parse_default(ps);
	else if (ng_tok_is(t, "conns"))
		parse_conns(ps);
	else if (ng_tok_is(t, "detect"))
		ng_parse_detect(ps);
	else if (ng_tok_is(t, "limit"))
		ng_parse_limit(ps);
	else if (ng_tok_is(t, "log"))
		ng_parse_log(ps);
	else if (ng_tok_is(t, "trackers"))
		ng_parse_max(ps, &ps->trackers_line, "trackers max", "tracker limit",
			     NGUARD_MAX_TRACKERS, &ps->p->trackers_max);
	else if (ng_tok_is(t, "blocked"))
		ng_parse_max(ps, &ps->blocked_line, "blocked max", "quarantine limit",
			     NGUARD_MAX_BLOCKED, &ps->p->blocked_max);
	else if (ng_tok_is(t, "exempt"))
		ng_parse_exempt(ps);
	else if (ng_tok_is(t, "ipv6"))
		ng_parse_ipv6(ps);
	else if (ng_tok_is(t, "observe"))
		ng_parse_observe(ps);
	else
		ng_err(ps, t->col, "unknown statement '%s' (mode, default, conns, segment, allow, deny, limit, detect, log, trackers, blocked, exempt, ipv6 or observe)",
		       NG_Q(t));
}

/* The segment names of rules, detectors and exempt lines, now all are declared. */
static void resolve_refs(struct ng_parser *ps)
{
	size_t i, slot;

	for (i = 0; i < ps->nref && !ps->rep.stop; i++) {
		const struct ng_segref *f = &ps->refs[i];
		size_t s = ng_seg_lookup(ps, f->s, f->len, &slot);
		uint16_t *id;

		if (!s) {
			const struct ng_tok t = { .s = f->s, .len = f->len };

			ng_report(&ps->rep, NG_SEV_ERROR, f->line, f->col, "unknown segment '%s'", NG_Q(&t));
			continue;
		}
		if (f->det)
			id = f->dst ? &ps->p->dets[f->idx].to : &ps->p->dets[f->idx].from;
		else
			id = f->dst ? &ps->p->rules[f->idx].dst : &ps->p->rules[f->idx].src;
		*id = (uint16_t)s;
	}
	for (i = 0; i < ps->nxref && !ps->rep.stop; i++) {
		const struct ng_xref *x = &ps->xrefs[i];
		size_t s = ng_seg_lookup(ps, x->s, x->len, &slot);

		if (!s) {
			const struct ng_tok t = { .s = x->s, .len = x->len };

			ng_report(&ps->rep, NG_SEV_ERROR, x->line, x->col, "unknown segment '%s'", NG_Q(&t));
			continue;
		}
		ps->p->exempts[x->idx].segs[x->pos] = (uint16_t)s;
	}
}

int ng_policy_parse(const char *name, const char *text, size_t len,
		    struct ng_policy *out, struct ng_diag *diag)
{
	struct ng_parser *ps;
	unsigned int errors = diag->errors;

	ng_policy_init(out);
	free(diag->file);
	diag->file = strdup(name ? name : "<input>");
	ps = calloc(1, sizeof(*ps));
	if (!ps || !diag->file) {
		free(ps);
		diag->errors++;
		return -1;
	}
	ps->p = out;
	ps->rep.d = diag;
	ng_lexer_init(&ps->lx, text, len);
	while (!ps->rep.stop) {
		enum ng_lex_rc rc = ng_lex_line(&ps->lx);

		if (rc == NG_LEX_END)
			break;
		if (rc == NG_LEX_NUL)
			ng_err(ps, ps->lx.bad_col, "NUL byte in policy text");
		else if (rc == NG_LEX_NOMEM)
			ng_parse_oom(ps);
		else if (ps->lx.ntok)
			parse_statement(ps);
	}
	if (!ps->rep.stop)
		resolve_refs(ps);
	ng_policy_check(out, &ps->src, &ps->rep, errors);
	ng_diag_sort(diag);
	ng_lexer_free(&ps->lx);
	ng_srcinfo_free(&ps->src);
	free(ps->refs);
	free(ps->xrefs);
	free(ps);
	if (diag->errors != errors) {
		ng_policy_free(out);
		return -1;
	}
	return 0;
}

int ng_policy_parse_file(const char *path, struct ng_policy *out, struct ng_diag *diag)
{
	bool std = !strcmp(path, "-");
	const char *name = std ? "<stdin>" : path;
	FILE *f = std ? stdin : fopen(path, "rb");
	size_t len = 0, cap = 0;
	char *buf = NULL;
	int rc, saved;

	ng_policy_init(out);
	if (!f)
		goto fail;
	for (;;) {
		size_t n;

		if (ng_grow(&buf, &cap, len + 65536, 1)) {
			errno = ENOMEM;
			goto fail;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0) {
			if (ferror(f))
				goto fail;
			break;
		}
	}
	if (!std)
		fclose(f);
	rc = ng_policy_parse(name, buf ? buf : "", len, out, diag);
	free(buf);
	return rc;
fail:
	saved = errno;
	if (f && !std)
		fclose(f);
	free(buf);
	free(diag->file);
	diag->file = strdup(name);
	{
		struct ng_reporter r = { .d = diag };

		ng_report(&r, NG_SEV_ERROR, 0, 0, "cannot read: %s", strerror(saved));
	}
	return -1;
}
