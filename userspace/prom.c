// SPDX-License-Identifier: GPL-2.0-only
/*
 * Prometheus text exposition format writer (prom.h). The format is line
 * based: "# HELP" and "# TYPE" once per metric family, before its
 * samples, then one "name{labels} value" line per sample. Label values
 * escape backslash, double quote and newline; HELP text escapes
 * backslash and newline. Nothing here knows nguard's metrics
 * (metrics.c does); the unit test checks the escaping byte by byte.
 */
#include "prom.h"

static void ng_prom_escaped(FILE *f, const char *s, int quote)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else if (quote && *s == '"')
			fputs("\\\"", f);
		else
			fputc(*s, f);
	}
}

void ng_prom_label_value(FILE *f, const char *s)
{
	ng_prom_escaped(f, s, 1);
}

void ng_prom_family(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s ", name);
	ng_prom_escaped(f, help, 0);
	fprintf(f, "\n# TYPE %s %s\n", name, type);
}

static void ng_prom_name(FILE *f, const char *name, const char *const *labels)
{
	const char *sep = "{";

	fputs(name, f);
	for (; labels && labels[0] && labels[1]; labels += 2) {
		fprintf(f, "%s%s=\"", sep, labels[0]);
		ng_prom_label_value(f, labels[1]);
		fputc('"', f);
		sep = ",";
	}
	if (sep[0] == ',')
		fputc('}', f);
}

void ng_prom_sample(FILE *f, const char *name, const char *const *labels, uint64_t v)
{
	ng_prom_name(f, name, labels);
	fprintf(f, " %llu\n", (unsigned long long)v);
}

void ng_prom_sample_f(FILE *f, const char *name, const char *const *labels, double v)
{
	ng_prom_name(f, name, labels);
	fprintf(f, " %.9g\n", v);
}
