/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Lexical layer of the policy language (Documentation/policy-language.md,
 * "Lexical structure"): a policy file is lines of blank-separated tokens,
 * '#' starts a comment. struct ng_lexer hands the parser one line at a
 * time as tokens with their 1-based byte columns; the ng_scan_*()
 * functions read the value of one token (numbers, sizes, rates,
 * durations); NG_Q() quotes a token for a message.
 */
#ifndef NGUARDCTL_LEXER_H
#define NGUARDCTL_LEXER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct ng_tok {
	const char *s;
	size_t len;
	unsigned int col;	/* 1-based byte column */
};

struct ng_lexer {
	const char *text;
	size_t len;
	size_t off;		/* start of the next line */
	unsigned int line;	/* 1-based number of the current line */
	unsigned int bad_col;	/* NG_LEX_NUL: column of the NUL byte */
	struct ng_tok *toks;	/* the current line's tokens */
	size_t ntok, cap_tok;
};

enum ng_lex_rc {
	NG_LEX_END,		/* no more lines */
	NG_LEX_OK,		/* toks and ntok hold the next line (ntok 0: blank) */
	NG_LEX_NUL,		/* the next line has a NUL byte at bad_col */
	NG_LEX_NOMEM,
};

/* Lex the @len bytes of @text (need not be NUL-terminated). */
void ng_lexer_init(struct ng_lexer *lx, const char *text, size_t len);
void ng_lexer_free(struct ng_lexer *lx);
/* Move to the next line and split it into tokens. */
enum ng_lex_rc ng_lex_line(struct ng_lexer *lx);

static inline bool ng_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool ng_tok_is(const struct ng_tok *t, const char *word)
{
	size_t n = strlen(word);

	return t->len == n && !memcmp(t->s, word, n);
}

/* Column just after token @t: where a missing next token would be. */
static inline unsigned int ng_tok_after(const struct ng_tok *t)
{
	return t->col + (unsigned int)t->len;
}

/* A character of a segment name (letters, '_'; then digits, '.', '-'). */
bool ng_is_name_char(char c, bool first);

/* A token for a message: at most 40 bytes, unprintable bytes escaped. */
#define NG_QBUF 200
const char *ng_quote(char *buf, const char *s, size_t len);
#define NG_Q(t) ng_quote((char[NG_QBUF]){ 0 }, (t)->s, (t)->len)

/* Decimal digits only; 0 and *out on success, -1 (-2 past @max) if not a number <= @max. */
int ng_scan_uint(const char *s, size_t len, uint64_t max, uint64_t *out);
/*
 * A byte count: digits and an optional suffix, K (or k), M, G = 1000,
 * 1000^2, 1000^3; Ki, Mi, Gi = 1024, 1024^2, 1024^3. 0 and *out if it is
 * at most @max, -1 otherwise.
 */
int ng_scan_size(const char *s, size_t len, uint64_t max, uint64_t *out);
/* "N/s" (N a byte count if @size): 0, -1 if not of that form, -2 if N is 0 or above @max. */
int ng_scan_rate(const struct ng_tok *t, bool size, uint64_t max, uint64_t *out);

enum { NG_DUR_OK, NG_DUR_BAD, NG_DUR_NO_UNIT, NG_DUR_MS, NG_DUR_RANGE };
/* Digits and a unit (ms, s, m, h, d) into *@ms; NG_DUR_RANGE above @max_ms. */
int ng_scan_duration(const char *s, size_t len, uint64_t max_ms, uint64_t *ms);

#endif
