// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for the policy parser: parse arbitrary bytes; if they
 * form a valid policy, print it, parse the output again and require the
 * same model and the same printed text. Built by `make fuzz`.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "parser.h"

static char *print(const struct ng_policy *p, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);

	if (!f)
		abort();
	ng_policy_print(f, p);
	if (fclose(f))
		abort();
	return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ng_policy p, q;
	struct ng_diag d, e;
	char *t1, *t2;
	size_t l1, l2;

	ng_diag_init(&d);
	if (ng_policy_parse("fuzz", (const char *)data, size, &p, &d)) {
		if (!d.errors || !d.n)
			abort();	/* failure without a message */
		ng_policy_free(&p);
		ng_diag_free(&d);
		return 0;
	}
	t1 = print(&p, &l1);
	ng_diag_init(&e);
	if (ng_policy_parse("printed", t1, l1, &q, &e)) {
		fprintf(stderr, "printed policy does not parse:\n%s\n", t1);
		ng_diag_print(stderr, &e);
		abort();
	}
	if (!ng_policy_equal(&p, &q)) {
		fprintf(stderr, "round trip changed the policy:\n%s\n", t1);
		abort();
	}
	t2 = print(&q, &l2);
	if (l1 != l2 || memcmp(t1, t2, l1)) {
		fprintf(stderr, "printing is not stable:\n%s\n---\n%s\n", t1, t2);
		abort();
	}
	free(t1);
	free(t2);
	ng_policy_free(&p);
	ng_policy_free(&q);
	ng_diag_free(&d);
	ng_diag_free(&e);
	return 0;
}
