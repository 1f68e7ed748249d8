/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The state of one parse, shared by the parser's files (parser.c and the
 * statement files parse_*.c; not for callers outside the parser), and the
 * helpers every statement uses: reporting at a column of the current
 * line, statements allowed once, words expected in order, and the
 * arguments several statements take (segment names, addresses and
 * prefixes, the SRC/DST of rules and detectors, "WORD max N").
 */
#ifndef NGUARDCTL_PARSE_CTX_H
#define NGUARDCTL_PARSE_CTX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "diag.h"
#include "lexer.h"
#include "policy.h"
#include "policy_check.h"

#define NG_SEG_HASH_SIZE	8192	/* > 2 * NGUARD_MAX_SEGMENTS: load <= 0.5 */

/* A segment name used in a rule or detector, resolved after the whole file is read. */
struct ng_segref {
	size_t idx;		/* rule or detector index */
	bool det;		/* a detector's scope, not a rule */
	bool dst;		/* DST / "to" */
	const char *s;
	size_t len;
	unsigned int line, col;
};

/* A segment named in an exempt line, resolved like a struct ng_segref. */
struct ng_xref {
	size_t idx;		/* exempt line */
	size_t pos;		/* index into its segs */
	const char *s;
	size_t len;
	unsigned int line, col;
};

struct ng_parser {
	struct ng_policy *p;
	struct ng_reporter rep;
	struct ng_lexer lx;	/* lx.line, lx.toks, lx.ntok: the current line */
	struct ng_srcinfo src;	/* for the checks after the last line */
	unsigned int mode_line, trackers_line, blocked_line, log_line, limit_line, ipv6_line;
	unsigned int observe_line;
	uint16_t seg_hash[NG_SEG_HASH_SIZE];	/* segment index + 1, 0 = empty */
	size_t last_seg;	/* lookup cache, index + 1 */
	struct ng_segref *refs;
	size_t nref, cap_ref;
	struct ng_xref *xrefs;
	size_t nxref, cap_xref;
	size_t n_exempt;	/* exempt members kept so far */
	bool exempt_full;	/* NGUARD_MAX_EXEMPT reported */
};

/* An error or a warning at column @col of the current line. */
void __attribute__((format(printf, 3, 4)))
ng_err(struct ng_parser *ps, unsigned int col, const char *fmt, ...);
void __attribute__((format(printf, 3, 4)))
ng_warn(struct ng_parser *ps, unsigned int col, const char *fmt, ...);
void ng_parse_oom(struct ng_parser *ps);

/* A statement set at most once: false (and an error) if *@seen already is. */
bool ng_once(struct ng_parser *ps, unsigned int *seen, const char *what);
/* Error for every token after the statement's last expected one. */
void ng_expect_end(struct ng_parser *ps, size_t i, const char *stmt);
/* Token @i is @word, which follows @stmt; else an error and false. */
bool ng_expect_word(struct ng_parser *ps, size_t i, const char *word, const char *stmt);
/* "WORD max N", N in 1..@limit, at most once; @what names N in messages. */
void ng_parse_max(struct ng_parser *ps, unsigned int *seen, const char *stmt,
		  const char *what, uint32_t limit, uint32_t *out);

/* Check a segment name's syntax; report and return false if invalid. */
bool ng_check_seg_name(struct ng_parser *ps, const struct ng_tok *t);
/* Index + 1 of the segment named @s, 0 if none (free hash slot in *@slot). */
size_t ng_seg_lookup(struct ng_parser *ps, const char *s, size_t len, size_t *slot);
/* Parse ADDR[/LEN] into @fam, @a (network order), @plen; report on error. */
bool ng_parse_prefix(struct ng_parser *ps, const struct ng_tok *t, int *fam,
		     uint8_t a[16], uint8_t *plen);
/*
 * SRC or DST of a rule, FROM or TO of a detector: "*", "world" or a name
 * resolved later into *@id (element @idx of the rules or detectors).
 */
void ng_endpoint(struct ng_parser *ps, const struct ng_tok *t, uint16_t *id, size_t idx,
		 bool det, bool dst);

#endif
