/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Native stand-in for the small part of the KUnit API that
 * kmod/tests/lpm_test.c uses, so that make -C tests/bench check runs the
 * very same suite (built with ASan/UBSan) without a kernel.
 */
#ifndef NG_KUNIT_NATIVE_TEST_H
#define NG_KUNIT_NATIVE_TEST_H

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct kunit {
	const char *name;
	int failed;
	jmp_buf abort;
	void *allocs[64];	/* kunit_kzalloc()ed, freed after the case */
	int nallocs;
};

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
};

struct kunit_suite {
	const char *name;
	struct kunit_case *test_cases;
};

#define KUNIT_CASE(f)	{ .run_case = (f), .name = #f }
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif
#define GFP_KERNEL	0

static inline void *kunit_kzalloc(struct kunit *test, size_t size, int gfp)
{
	void *p;

	(void)gfp;
	if (test->nallocs == 64)
		return NULL;
	p = calloc(1, size);
	test->allocs[test->nallocs++] = p;
	return p;
}

#define NG_KUNIT_CHECK(test, cond, fatal, fmt, ...)			\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: %s: " fmt "\n", __FILE__, \
				__LINE__, (test)->name, ##__VA_ARGS__);	\
			(test)->failed = 1;				\
			if (fatal)					\
				longjmp((test)->abort, 1);		\
		}							\
	} while (0)

#define NG_KUNIT_BINARY(test, a, op, b, fatal)				\
	do {								\
		long long _a = (long long)(a), _b = (long long)(b);	\
		NG_KUNIT_CHECK(test, _a op _b, fatal,			\
			       "expected %s %s %s (%lld vs %lld)", #a, #op, #b, \
			       _a, _b);					\
	} while (0)

#define KUNIT_EXPECT_EQ(t, a, b)	NG_KUNIT_BINARY(t, a, ==, b, 0)
#define KUNIT_EXPECT_GT(t, a, b)	NG_KUNIT_BINARY(t, a, >, b, 0)
#define KUNIT_ASSERT_EQ(t, a, b)	NG_KUNIT_BINARY(t, a, ==, b, 1)
#define KUNIT_EXPECT_TRUE(t, c)		NG_KUNIT_CHECK(t, c, 0, "%s", #c)
#define KUNIT_ASSERT_TRUE(t, c)		NG_KUNIT_CHECK(t, c, 1, "%s", #c)
#define KUNIT_ASSERT_NOT_NULL(t, p)	NG_KUNIT_CHECK(t, (p) != NULL, 1, "%s is NULL", #p)
#define KUNIT_FAIL(t, fmt, ...)		NG_KUNIT_CHECK(t, 0, 0, fmt, ##__VA_ARGS__)

static inline int ng_kunit_native_run(struct kunit_suite *s)
{
	struct kunit_case *c;
	volatile int failed = 0, n = 0;

	printf("# native KUnit: %s\n", s->name);
	for (c = s->test_cases; c->run_case; c++) {
		struct kunit test = { .name = c->name };

		if (!setjmp(test.abort))
			c->run_case(&test);
		while (test.nallocs)
			free(test.allocs[--test.nallocs]);
		printf("%s %d - %s\n", test.failed ? "not ok" : "ok", ++n, c->name);
		failed |= test.failed;
	}
	printf("# %s: %s\n", s->name, failed ? "FAILED" : "all passed");
	return failed;
}

#define kunit_test_suite(s)	int main(void) { return ng_kunit_native_run(&(s)); }
#define MODULE_LICENSE(x)
#define MODULE_DESCRIPTION(x)

#endif
