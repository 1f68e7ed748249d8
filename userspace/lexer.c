// SPDX-License-Identifier: GPL-2.0-only
/*
 * Lexer of the policy language: lines (split at '\n'), tokens (runs of
 * non-blank bytes up to a '#' comment, each with its 1-based byte
 * column), and the values single tokens spell: decimal numbers, byte
 * counts with K/M/G/Ki/Mi/Gi, "N/s" rates, durations with a unit. Errors
 * here are return codes: the parser turns them into messages, since only
 * it knows what the token was meant to be.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lexer.h"
#include "policy.h"	/* ng_grow */

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const char *ng_quote(char *buf, const char *s, size_t len)
{
	size_t i, o = 0;

	for (i = 0; i < len && i < 40; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			buf[o++] = (char)c;
		else
			o += (size_t)snprintf(buf + o, NG_QBUF - o, "\\x%02x", c);
	}
	if (len > 40) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

int ng_scan_uint(const char *s, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (!len)
		return -1;
	for (i = 0; i < len; i++) {
		if (!ng_is_digit(s[i]))
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
		if (v > max)
			return -2;
	}
	*out = v;
	return 0;
}

bool ng_is_name_char(char c, bool first)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')
		return true;
	return !first && (ng_is_digit(c) || c == '.' || c == '-');
}

int ng_scan_size(const char *s, size_t len, uint64_t max, uint64_t *out)
{
	static const struct { const char *suffix; uint64_t mul; } sfx[] = {
		{ "k", 1000 }, { "K", 1000 }, { "M", 1000000 }, { "G", 1000000000 },
		{ "Ki", 1024 }, { "Mi", 1u << 20 }, { "Gi", 1u << 30 },
	};
	uint64_t v, mul = 1;
	size_t n = 0, i;

	while (n < len && ng_is_digit(s[n]))
		n++;
	if (!n)
		return -1;
	if (n < len) {
		for (i = 0; i < ARRAY_SIZE(sfx); i++)
			if (len - n == strlen(sfx[i].suffix) &&
			    !memcmp(s + n, sfx[i].suffix, len - n))
				break;
		if (i == ARRAY_SIZE(sfx))
			return -1;
		mul = sfx[i].mul;
	}
	if (ng_scan_uint(s, n, max / mul, &v))
		return -1;
	*out = v * mul;
	return 0;
}

int ng_scan_rate(const struct ng_tok *t, bool size, uint64_t max, uint64_t *out)
{
	size_t n = t->len - 2;

	if (t->len < 3 || memcmp(t->s + n, "/s", 2) || !ng_is_digit(t->s[0]))
		return -1;
	if ((size ? ng_scan_size(t->s, n, max, out) : ng_scan_uint(t->s, n, max, out)) || !*out)
		return -2;
	return 0;
}

int ng_scan_duration(const char *s, size_t len, uint64_t max_ms, uint64_t *ms)
{
	static const struct { const char *unit; uint64_t ms; } units[] = {
		{ "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 }, { "d", 86400000 },
	};
	size_t n = 0, i;
	uint64_t v;
	int rc;

	while (n < len && ng_is_digit(s[n]))
		n++;
	if (!n)
		return NG_DUR_BAD;
	if (n == len)
		return NG_DUR_NO_UNIT;
	for (i = 0; i < ARRAY_SIZE(units); i++)
		if (len - n == strlen(units[i].unit) && !memcmp(s + n, units[i].unit, len - n))
			break;
	if (i == ARRAY_SIZE(units))
		return NG_DUR_BAD;
	rc = ng_scan_uint(s, n, max_ms / units[i].ms, &v);
	if (rc)
		return rc == -2 ? NG_DUR_RANGE : NG_DUR_BAD;
	*ms = v * units[i].ms;
	return i == 0 ? NG_DUR_MS : NG_DUR_OK;
}

/* Split one line into tokens; NG_LEX_NUL at a NUL byte. */
static enum ng_lex_rc tokenize(struct ng_lexer *lx, const char *s, size_t len)
{
	size_t i = 0;

	lx->ntok = 0;
	while (i < len) {
		size_t start;

		if (is_blank(s[i])) {
			i++;
			continue;
		}
		if (s[i] == '#')
			break;
		start = i;
		while (i < len && !is_blank(s[i]) && s[i] != '#' && s[i] != '\0')
			i++;
		if (i < len && s[i] == '\0') {
			lx->bad_col = (unsigned int)(i + 1);
			return NG_LEX_NUL;
		}
		if (ng_grow(&lx->toks, &lx->cap_tok, lx->ntok + 1, sizeof(*lx->toks)))
			return NG_LEX_NOMEM;
		lx->toks[lx->ntok].s = s + start;
		lx->toks[lx->ntok].len = i - start;
		lx->toks[lx->ntok].col = (unsigned int)(start + 1);
		lx->ntok++;
	}
	return NG_LEX_OK;
}

void ng_lexer_init(struct ng_lexer *lx, const char *text, size_t len)
{
	memset(lx, 0, sizeof(*lx));
	lx->text = text;
	lx->len = len;
}

void ng_lexer_free(struct ng_lexer *lx)
{
	free(lx->toks);
	lx->toks = NULL;
	lx->ntok = lx->cap_tok = 0;
}

enum ng_lex_rc ng_lex_line(struct ng_lexer *lx)
{
	const char *s = lx->text + lx->off, *nl;
	size_t n;

	if (lx->off >= lx->len)
		return NG_LEX_END;
	nl = memchr(s, '\n', lx->len - lx->off);
	n = nl ? (size_t)(nl - s) : lx->len - lx->off;
	lx->line++;
	lx->off += n + 1;
	return tokenize(lx, s, n);
}
