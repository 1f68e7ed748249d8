// SPDX-License-Identifier: GPL-2.0-only
/*
 * Diagnostics: struct ng_diag collects the errors and warnings of one
 * parse (at most NG_DIAG_MAX_ERRORS errors, then the parse stops; at most
 * NG_DIAG_MAX_WARNINGS warnings kept, the rest counted), ng_diag_sort()
 * puts them in file order once the parse is done, ng_diag_print() writes
 * them as "FILE:LINE:COL: error|warning: message". Nothing here knows the
 * policy language: the parser and the checks format the messages.
 */
#include <stdlib.h>
#include <string.h>
#include "diag.h"
#include "policy.h"	/* ng_grow */

void ng_diag_init(struct ng_diag *d)
{
	memset(d, 0, sizeof(*d));
}

void ng_diag_free(struct ng_diag *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		free(d->msgs[i].text);
	free(d->msgs);
	free(d->file);
	ng_diag_init(d);
}

static const char *diag_file(const struct ng_diag *d)
{
	return d->file ? d->file : "<input>";
}

void ng_diag_print(FILE *f, const struct ng_diag *d)
{
	unsigned int kept_warn = 0;
	size_t i;

	for (i = 0; i < d->n; i++) {
		const struct ng_diag_msg *m = &d->msgs[i];
		const char *sev = m->sev == NG_SEV_ERROR ? "error" : "warning";

		if (m->sev == NG_SEV_WARNING)
			kept_warn++;
		if (m->line)
			fprintf(f, "%s:%u:%u: %s: %s\n", diag_file(d), m->line, m->col,
				sev, m->text);
		else
			fprintf(f, "%s: %s: %s\n", diag_file(d), sev, m->text);
	}
	if (d->warnings > kept_warn)
		fprintf(f, "%s: warning: %u more warnings not shown\n", diag_file(d),
			d->warnings - kept_warn);
	if (d->too_many)
		fprintf(f, "%s: error: too many errors; stopped after %d\n",
			diag_file(d), NG_DIAG_MAX_ERRORS);
}

void ng_vreport(struct ng_reporter *r, enum ng_severity sev, unsigned int line,
		unsigned int col, const char *fmt, va_list ap)
{
	struct ng_diag *d = r->d;
	struct ng_diag_msg *m;
	char *text = NULL;

	if (sev == NG_SEV_ERROR) {
		if (d->errors++ >= NG_DIAG_MAX_ERRORS) {
			d->too_many = true;
			r->stop = true;
			return;
		}
	} else if (d->warnings++ >= NG_DIAG_MAX_WARNINGS) {
		return;
	}
	if (vasprintf(&text, fmt, ap) < 0) {
		ng_report_oom(r);
		return;
	}
	if (ng_grow(&d->msgs, &d->cap, d->n + 1, sizeof(*m))) {
		free(text);
		ng_report_oom(r);
		return;
	}
	m = &d->msgs[d->n++];
	m->sev = sev;
	m->line = line;
	m->col = col;
	m->text = text;
}

void ng_report(struct ng_reporter *r, enum ng_severity sev, unsigned int line,
	       unsigned int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ng_vreport(r, sev, line, col, fmt, ap);
	va_end(ap);
}

void ng_report_oom(struct ng_reporter *r)
{
	struct ng_diag *d = r->d;

	if (r->stop && d->n && !strcmp(d->msgs[d->n - 1].text, "out of memory"))
		return;
	r->stop = true;
	d->errors++;
	/* Reuse the last slot if even that cannot grow. */
	if (!ng_grow(&d->msgs, &d->cap, d->n + 1, sizeof(*d->msgs))) {
		d->msgs[d->n].sev = NG_SEV_ERROR;
		d->msgs[d->n].line = 0;
		d->msgs[d->n].col = 0;
		d->msgs[d->n].text = strdup("out of memory");
		if (d->msgs[d->n].text)
			d->n++;
	}
}

struct msg_at {
	struct ng_diag_msg m;
	size_t i;		/* report order */
};

/* Messages in position order; equal positions keep their report order. */
static int msg_cmp(const void *a, const void *b)
{
	const struct msg_at *x = a, *y = b;

	if (x->m.line != y->m.line)
		return x->m.line < y->m.line ? -1 : 1;
	if (x->m.col != y->m.col)
		return x->m.col < y->m.col ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

void ng_diag_sort(struct ng_diag *d)
{
	struct msg_at *tmp;
	size_t i;

	if (d->n < 2)
		return;
	tmp = malloc(d->n * sizeof(*tmp));
	if (!tmp)
		return;
	for (i = 0; i < d->n; i++) {
		tmp[i].m = d->msgs[i];
		tmp[i].i = i;
	}
	qsort(tmp, d->n, sizeof(*tmp), msg_cmp);
	for (i = 0; i < d->n; i++)
		d->msgs[i] = tmp[i].m;
	free(tmp);
}
