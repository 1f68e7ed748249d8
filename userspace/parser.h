/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Policy-file parser (see Documentation/policy-language.md) and the
 * diagnostics it collects: "FILE:LINE:COL: error|warning: message".
 */
#ifndef NGUARDCTL_PARSER_H
#define NGUARDCTL_PARSER_H

#include <stddef.h>
#include <stdio.h>
#include "policy.h"

#define NG_DIAG_MAX_ERRORS	20	/* then "too many errors", stop */
#define NG_DIAG_MAX_WARNINGS	100	/* more are counted, not kept */

enum ng_severity {
	NG_SEV_ERROR,
	NG_SEV_WARNING,
};

struct ng_diag_msg {
	enum ng_severity sev;
	unsigned int line;	/* 1-based; 0 = about the whole file */
	unsigned int col;	/* 1-based byte column */
	char *text;
};

struct ng_diag {
	char *file;		/* name used in messages */
	unsigned int errors;	/* all errors found (kept: at most MAX) */
	unsigned int warnings;	/* all warnings found */
	bool too_many;		/* parsing stopped after MAX errors */
	struct ng_diag_msg *msgs;	/* sorted by position after a parse */
	size_t n, cap;
};

void ng_diag_init(struct ng_diag *d);
void ng_diag_free(struct ng_diag *d);
/* Print every kept message, one per line, in position order. */
void ng_diag_print(FILE *f, const struct ng_diag *d);

/*
 * Parse @len bytes of @text (need not be NUL-terminated) named @name in
 * messages. @out is initialized here; @diag must be initialized by the
 * caller and receives errors and warnings. Returns 0 and the policy, or
 * -1 on any error with @out left empty (still safe to ng_policy_free).
 */
int ng_policy_parse(const char *name, const char *text, size_t len,
		    struct ng_policy *out, struct ng_diag *diag);
/* Read and parse @path ("-" is standard input, named "<stdin>"). */
int ng_policy_parse_file(const char *path, struct ng_policy *out,
			 struct ng_diag *diag);

#endif
