/* SPDX-License-Identifier: GPL-2.0-only */
/* Minimal assertion helpers for nguardctl unit tests. */
#ifndef NGUARDCTL_TEST_CHECK_H
#define NGUARDCTL_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static int ng_test_failures;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n",		\
			__FILE__, __LINE__, #cond);			\
		ng_test_failures++;					\
	}								\
} while (0)

#define CHECK_STR(got, want) do {					\
	const char *g_ = (got), *w_ = (want);				\
	if (strcmp(g_, w_)) {						\
		fprintf(stderr, "%s:%d: got \"%s\", want \"%s\"\n",	\
			__FILE__, __LINE__, g_, w_);			\
		ng_test_failures++;					\
	}								\
} while (0)

/*
 * Run @stmt with stderr going to a string, stored (malloc'd) in @out, so a
 * test can check an error message and keep its own output quiet. glibc's
 * stderr is an assignable variable.
 */
#define CAPTURE_STDERR(out, stmt) do {					\
	char *b_ = NULL;						\
	size_t l_ = 0;							\
	FILE *saved_ = stderr;						\
	stderr = open_memstream(&b_, &l_);				\
	stmt;								\
	fclose(stderr);							\
	stderr = saved_;						\
	(out) = b_;							\
} while (0)

/* @s must (HAS) or must not (LACKS) be in @text; HAS shows @text if not. */
#define HAS(text, s) do {						\
	if (!strstr((text), (s))) {					\
		fprintf(stderr, "%s:%d: missing <<%s>> in:\n%s\n",	\
			__FILE__, __LINE__, (s), (text));		\
		ng_test_failures++;					\
	}								\
} while (0)

#define LACKS(text, s) do {						\
	if (strstr((text), (s))) {					\
		fprintf(stderr, "%s:%d: unexpected <<%s>>\n",		\
			__FILE__, __LINE__, (s));			\
		ng_test_failures++;					\
	}								\
} while (0)

/* Run @stmt, which writes to the FILE *@f, into a string (malloc'd) in @out. */
#define CAPTURE_FILE(out, f, stmt) do {					\
	size_t l_ = 0;							\
	FILE *f = open_memstream(&(out), &l_);				\
	stmt;								\
	fclose(f);							\
} while (0)

#define CHECK_DONE() (ng_test_failures ? 1 : 0)

#endif
