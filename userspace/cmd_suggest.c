// SPDX-License-Identifier: GPL-2.0-only
/*
 * `nguardctl suggest [FILE] [--enforce]`: the live policy (or FILE) plus
 * the "allow" rules the observed traffic needed (suggest.c), on standard
 * output; a one-line summary on standard error. The observed flows come
 * from the live policy's "observe" table (observed.c): without it there
 * is nothing to suggest from, an error (exit 1) that says how to turn it
 * on. --enforce prints "mode enforce", the usual next step after a
 * policy watched in monitor mode.
 */
#include <string.h>
#include <time.h>
#include "commands.h"
#include "exitcodes.h"
#include "observed.h"
#include "output.h"
#include "parser.h"
#include "policy_dump.h"
#include "suggest.h"

static int ng_suggest_model(const char *file, struct ng_policy *p)
{
	struct ng_diag d;
	uint64_t gen;
	int rc;

	if (!file) {
		rc = ng_show_fetch(p, &gen);
		if (!rc && !gen) {
			fprintf(stderr, "nguardctl: suggest: no policy is loaded; apply one in 'mode monitor' with 'observe' first (nguardctl apply FILE)\n");
			rc = NG_EXIT_ERROR;
		}
		return rc;
	}
	ng_diag_init(&d);
	rc = ng_policy_parse_file(file, p, &d);
	ng_diag_print(stderr, &d);
	if (rc || d.errors) {
		fprintf(stderr, "nguardctl: suggest: %s has errors (above); fix them or leave FILE out to start from the live policy\n",
			file);
		rc = NG_EXIT_ERROR;
	}
	ng_diag_free(&d);
	return rc;
}

int cmd_suggest(int argc, char **argv)
{
	struct ng_suggest_opts o = { .now = (uint64_t)time(NULL) };
	struct ng_observed_list l = { 0 };
	struct ng_suggest_count c;
	const char *file = NULL;
	struct ng_policy p;
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--enforce"))
			o.enforce = true;
		else if (argv[i][0] == '-' && argv[i][1])
			return ng_usage_error("suggest: unknown option '%s'", argv[i]);
		else if (file)
			return ng_usage_error("suggest: one FILE at most, got '%s' too", argv[i]);
		else
			file = argv[i];
	}
	ng_policy_init(&p);
	rc = ng_suggest_model(file, &p);
	if (!rc)
		rc = ng_observed_fetch(&l);
	if (!rc && l.bad) {
		fprintf(stderr, "nguardctl: unexpected observed-flow dump from kernel module: %s missing or malformed (version mismatch?)\n",
			l.bad);
		rc = NG_EXIT_ERROR;
	}
	if (!rc && !l.on) {
		fprintf(stderr, "nguardctl: suggest: the live policy does not observe flows; add 'observe' to it (nguard.conf(5)), apply, let traffic flow, then run suggest again\n");
		rc = NG_EXIT_ERROR;
	}
	if (!rc && ng_suggest(stdout, &p, &l, &o, &c)) {
		fprintf(stderr, "nguardctl: suggest: out of memory\n");
		rc = NG_EXIT_ERROR;
	}
	if (!rc) {
		fprintf(stderr, "nguardctl: suggest: %zu rule%s added for %zu observed flow%s; %zu from world and %zu denied by a rule left for review",
			c.rules, c.rules == 1 ? "" : "s", c.flows, c.flows == 1 ? "" : "s",
			c.world, c.by_rule);
		if (c.unknown)
			fprintf(stderr, "; %zu in segments %s lacks", c.unknown,
				file ? file : "the policy");
		fputc('\n', stderr);
	}
	ng_observed_free(&l);
	ng_policy_free(&p);
	return rc;
}
