/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Diagnostics of a policy file: the errors and warnings a parse collects,
 * "FILE:LINE:COL: error|warning: message", kept up to a limit, sorted by
 * position and printed. The parser (parser.c and the parse_*.c statement
 * files) and the checks (policy_check.c) report through a struct
 * ng_reporter, which also says when the parse must stop.
 */
#ifndef NGUARDCTL_DIAG_H
#define NGUARDCTL_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

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
/* Messages in position order; equal positions keep their report order. */
void ng_diag_sort(struct ng_diag *d);

/* What one parse reports into, and whether it must stop. */
struct ng_reporter {
	struct ng_diag *d;
	bool stop;		/* too many errors or out of memory */
};

/* Count a message at @line:@col and keep it within the limits. */
void __attribute__((format(printf, 5, 0)))
ng_vreport(struct ng_reporter *r, enum ng_severity sev, unsigned int line,
	   unsigned int col, const char *fmt, va_list ap);
void __attribute__((format(printf, 5, 6)))
ng_report(struct ng_reporter *r, enum ng_severity sev, unsigned int line,
	  unsigned int col, const char *fmt, ...);
/* An "out of memory" error about the whole file (once), and stop. */
void ng_report_oom(struct ng_reporter *r);

#endif
