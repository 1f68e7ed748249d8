// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the statement parsers share (see parse_ctx.h): messages at a
 * column of the current line, statements allowed once, the words a
 * statement expects, "WORD max N", and the arguments several statements
 * take: segment names (checked, and looked up in the open-addressing
 * table of the names declared so far), addresses and prefixes (host bits
 * must be clear), and the SRC/DST of rules and detectors, whose segment
 * names are kept in ps->refs and resolved once the whole file is read.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <string.h>
#include "parse_ctx.h"

void ng_err(struct ng_parser *ps, unsigned int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ng_vreport(&ps->rep, NG_SEV_ERROR, ps->lx.line, col, fmt, ap);
	va_end(ap);
}

void ng_warn(struct ng_parser *ps, unsigned int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ng_vreport(&ps->rep, NG_SEV_WARNING, ps->lx.line, col, fmt, ap);
	va_end(ap);
}

void ng_parse_oom(struct ng_parser *ps)
{
	ng_report_oom(&ps->rep);
}

void ng_expect_end(struct ng_parser *ps, size_t i, const char *stmt)
{
	if (i < ps->lx.ntok)
		ng_err(ps, ps->lx.toks[i].col, "unexpected '%s' at the end of '%s'",
		       NG_Q(&ps->lx.toks[i]), stmt);
}

bool ng_once(struct ng_parser *ps, unsigned int *seen, const char *what)
{
	if (*seen) {
		ng_err(ps, ps->lx.toks[0].col, "'%s' is already set on line %u", what, *seen);
		return false;
	}
	*seen = ps->lx.line;
	return true;
}

bool ng_expect_word(struct ng_parser *ps, size_t i, const char *word, const char *stmt)
{
	const struct ng_tok *t = ps->lx.toks;

	if (i >= ps->lx.ntok) {
		ng_err(ps, ng_tok_after(&t[i - 1]), "expected '%s' after '%s'", word, stmt);
		return false;
	}
	if (!ng_tok_is(&t[i], word)) {
		ng_err(ps, t[i].col, "expected '%s' after '%s', got '%s'", word, stmt, NG_Q(&t[i]));
		return false;
	}
	return true;
}

void ng_parse_max(struct ng_parser *ps, unsigned int *seen, const char *stmt,
		  const char *what, uint32_t limit, uint32_t *out)
{
	struct ng_tok *t = ps->lx.toks;
	uint64_t v;

	if (!ng_once(ps, seen, stmt))
		return;
	if (ps->lx.ntok < 2 || !ng_tok_is(&t[1], "max")) {
		if (ps->lx.ntok < 2)
			ng_err(ps, ng_tok_after(&t[0]), "expected 'max' after '%s'", NG_Q(&t[0]));
		else
			ng_err(ps, t[1].col, "expected 'max' after '%s', got '%s'", NG_Q(&t[0]), NG_Q(&t[1]));
		return;
	}
	if (ps->lx.ntok < 3) {
		ng_err(ps, ng_tok_after(&t[1]), "expected a number after '%s'", stmt);
		return;
	}
	if (ng_scan_uint(t[2].s, t[2].len, limit, &v) || v == 0) {
		ng_err(ps, t[2].col, "bad %s '%s' (1..%u)", what, NG_Q(&t[2]), (unsigned int)limit);
		return;
	}
	*out = (uint32_t)v;
	ng_expect_end(ps, 3, stmt);
}

bool ng_check_seg_name(struct ng_parser *ps, const struct ng_tok *t)
{
	size_t i;

	for (i = 0; i < t->len; i++)
		if (!ng_is_name_char(t->s[i], i == 0))
			break;
	if (i < t->len || !t->len) {
		if (t->len > 2 && memmem(t->s, t->len, "->", 2))
			ng_err(ps, t->col, "invalid segment name '%s': put blanks around '->'", NG_Q(t));
		else
			ng_err(ps, t->col, "invalid segment name '%s' (letters, digits, '_', '.' and '-', starting with a letter or '_')",
			       NG_Q(t));
		return false;
	}
	if (t->len >= NGUARD_SEGMENT_NAME_MAX) {
		ng_err(ps, t->col, "segment name '%s' is longer than %d bytes (NGUARD_SEGMENT_NAME_MAX)",
		       NG_Q(t), NGUARD_SEGMENT_NAME_MAX - 1);
		return false;
	}
	return true;
}

static uint32_t name_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

size_t ng_seg_lookup(struct ng_parser *ps, const char *s, size_t len, size_t *slot)
{
	const struct ng_segment *segs = ps->p->segs;
	size_t h = name_hash(s, len) & (NG_SEG_HASH_SIZE - 1);

	*slot = 0;
	if (len >= NGUARD_SEGMENT_NAME_MAX)
		return 0;
	if (ps->last_seg) {
		const char *n = segs[ps->last_seg - 1].name;

		if (!strncmp(n, s, len) && n[len] == '\0')
			return ps->last_seg;
	}
	for (;; h = (h + 1) & (NG_SEG_HASH_SIZE - 1)) {
		size_t i = ps->seg_hash[h];

		if (!i)
			break;
		if (!strncmp(segs[i - 1].name, s, len) && segs[i - 1].name[len] == '\0')
			return ps->last_seg = i;
	}
	*slot = h;
	return 0;
}

bool ng_parse_prefix(struct ng_parser *ps, const struct ng_tok *t, int *fam,
		     uint8_t a[16], uint8_t *plen)
{
	const char *slash = memchr(t->s, '/', t->len);
	size_t alen = slash ? (size_t)(slash - t->s) : t->len;
	uint8_t max, host = 0;
	char buf[INET6_ADDRSTRLEN + 1];
	uint64_t v;
	unsigned int i;

	*fam = memchr(t->s, ':', alen) ? AF_INET6 : AF_INET;
	max = *fam == AF_INET6 ? 128 : 32;
	memset(a, 0, 16);
	if (alen && alen < sizeof(buf)) {
		memcpy(buf, t->s, alen);
		buf[alen] = '\0';
	}
	if (!alen || alen >= sizeof(buf) || inet_pton(*fam, buf, a) != 1) {
		if (t->len < NG_IFNAMSIZ && ng_is_name_char(t->s[0], true) && !slash &&
		    !memchr(t->s, '.', t->len) && !memchr(t->s, ':', t->len))
			ng_err(ps, t->col, "'%s' is not an IPv4 or IPv6 address (for an interface write 'iface %s')",
			       NG_Q(t), NG_Q(t));
		else
			ng_err(ps, t->col, "'%s' is not an IPv4 or IPv6 address or prefix", NG_Q(t));
		return false;
	}
	*plen = max;
	if (slash) {
		int rc = ng_scan_uint(slash + 1, t->len - alen - 1, max, &v);

		if (rc) {
			ng_err(ps, t->col, "bad prefix length in '%s' (0..%u for %s)", NG_Q(t), max,
			       max == 32 ? "IPv4" : "IPv6");
			return false;
		}
		*plen = (uint8_t)v;
	}
	for (i = 0; i < max / 8u; i++) {
		uint8_t keep = i * 8 >= *plen ? 0 :
			       (i + 1) * 8 <= *plen ? 0xff : (uint8_t)(0xff << (8 - *plen % 8));

		host |= a[i] & (uint8_t)~keep;
	}
	if (host) {
		char fix[INET6_ADDRSTRLEN];

		for (i = 0; i < max / 8u; i++)
			a[i] &= i * 8 >= *plen ? 0 :
				(i + 1) * 8 <= *plen ? 0xff : (uint8_t)(0xff << (8 - *plen % 8));
		inet_ntop(*fam, a, fix, sizeof(fix));
		ng_err(ps, t->col, "host bits set in '%s'; did you mean %s/%u?", NG_Q(t), fix, *plen);
		return false;
	}
	return true;
}

void ng_endpoint(struct ng_parser *ps, const struct ng_tok *t, uint16_t *id, size_t idx,
		 bool det, bool dst)
{
	struct ng_segref *ref;

	if (ng_tok_is(t, "*")) {
		*id = NG_SEG_ANY;
		return;
	}
	if (ng_tok_is(t, "world")) {
		*id = NG_SEG_WORLD;
		return;
	}
	if (!ng_check_seg_name(ps, t))
		return;
	if (ng_grow(&ps->refs, &ps->cap_ref, ps->nref + 1, sizeof(*ref))) {
		ng_parse_oom(ps);
		return;
	}
	ref = &ps->refs[ps->nref++];
	ref->idx = idx;
	ref->det = det;
	ref->dst = dst;
	ref->s = t->s;
	ref->len = t->len;
	ref->line = ps->lx.line;
	ref->col = t->col;
}
