// SPDX-License-Identifier: GPL-2.0-only
/*
 * `nguardctl apply [--confirm SECONDS] FILE`: parse the file (nothing
 * reaches the kernel if it has errors), then send it in one transaction
 * (policy_push.c). `nguardctl confirm` keeps a policy applied with
 * --confirm; `nguardctl flush` removes the policy.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "commands.h"
#include "exitcodes.h"
#include "nl.h"
#include "output.h"
#include "parser.h"
#include "policy.h"
#include "policy_push.h"

static double ng_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int cmd_apply(int argc, char **argv)
{
	const char *file = NULL;
	struct ng_policy pol;
	struct ng_diag diag;
	uint32_t confirm = 0;
	uint64_t gen = 0;
	struct ng_nl nl;
	double t0, t1;
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--confirm") && i + 1 < argc) {
			char *end;
			unsigned long v = strtoul(argv[++i], &end, 10);

			if (*end || !v || v > 86400)
				return ng_usage_error("apply: --confirm takes 1..86400 seconds, not '%s'",
						      argv[i]);
			confirm = v;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return ng_usage_error("apply: unknown option '%s'", argv[i]);
		} else if (!file) {
			file = argv[i];
		} else {
			return ng_usage_error("apply: only one FILE");
		}
	}
	if (!file)
		return ng_usage_error("apply: missing FILE");

	t0 = ng_now_ms();
	ng_diag_init(&diag);
	rc = ng_policy_parse_file(file, &pol, &diag);
	ng_diag_print(stderr, &diag);
	ng_diag_free(&diag);
	if (rc) {
		ng_policy_free(&pol);
		fprintf(stderr, "nguardctl: %s: not applied; fix the errors above (nguardctl check %s)\n",
			file, file);
		return NG_EXIT_ERROR;
	}
	t1 = ng_now_ms();
	rc = ng_nl_open(&nl);
	if (!rc)
		rc = ng_policy_push(&nl, &pol, confirm, &gen);
	ng_nl_close(&nl);
	if (!rc) {
		printf("applied %s: generation %llu, %zu segments, %zu prefixes, %zu rules (parse %.1f ms, kernel %.1f ms)\n",
		       file, (unsigned long long)gen, pol.n_segs,
		       ng_policy_prefix_count(&pol), pol.n_rules, t1 - t0,
		       ng_now_ms() - t1);
		if (confirm)
			printf("will roll back in %u s unless confirmed: nguardctl confirm\n",
			       confirm);
	}
	ng_policy_free(&pol);
	return rc;
}

/* A command without arguments or reply: confirm, flush. */
static int ng_simple(int argc, char **argv, uint8_t cmd, const char *done)
{
	struct nl_msg *m;
	struct ng_nl nl;
	int rc;

	if (argc > 1)
		return ng_usage_error("%s: unexpected argument '%s'", argv[0], argv[1]);
	rc = ng_nl_open(&nl);
	if (rc)
		return rc;
	m = ng_nl_msg(&nl, cmd, 0);
	rc = m ? ng_nl_transact(&nl, m, NULL, NULL) : NG_EXIT_ERROR;
	ng_nl_close(&nl);
	if (!rc)
		printf("%s\n", done);
	return rc;
}

int cmd_confirm(int argc, char **argv)
{
	return ng_simple(argc, argv, NGUARD_CMD_POLICY_CONFIRM,
			 "confirmed: the policy stays");
}

int cmd_flush(int argc, char **argv)
{
	return ng_simple(argc, argv, NGUARD_CMD_POLICY_FLUSH,
			 "flushed: no policy, all traffic passes");
}
