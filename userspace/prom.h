/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Prometheus text exposition format (version 0.0.4), as node_exporter's
 * textfile collector and `promtool check metrics` read it: the pieces
 * `nguardctl metrics` (metrics.c) writes with.
 */
#ifndef NGUARDCTL_PROM_H
#define NGUARDCTL_PROM_H

#include <stdint.h>
#include <stdio.h>

/*
 * A metric family's "# HELP NAME TEXT" and "# TYPE NAME TYPE" lines
 * (@type "counter" or "gauge"); @help is escaped (backslash, newline).
 * All samples of the family must follow before the next family starts.
 */
void ng_prom_family(FILE *f, const char *name, const char *type, const char *help);
/*
 * One sample "NAME{K="V",...} VALUE". @labels is NULL or a NULL-terminated
 * list of key, value, key, value, ...; keys are written as they are (the
 * caller's constants), values escaped (backslash, double quote, newline).
 */
void ng_prom_sample(FILE *f, const char *name, const char *const *labels, uint64_t v);
/* The same with a floating-point value ("%.9g"). */
void ng_prom_sample_f(FILE *f, const char *name, const char *const *labels, double v);
/* @s as a label value (without the quotes): \ -> \\, " -> \", newline -> \n. */
void ng_prom_label_value(FILE *f, const char *s);

#endif
