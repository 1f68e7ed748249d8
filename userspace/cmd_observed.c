// SPDX-License-Identifier: GPL-2.0-only
/*
 * `nguardctl observed [--json] [--since DURATION]`: the live policy's
 * observed-flow summary (OBSERVED_GET dump, observed.c), only what was
 * last seen within DURATION with --since. A dump that a clear or an apply
 * cut short (-EAGAIN) is run again, three times at most.
 * `nguardctl observed clear` empties the table (OBSERVED_CLEAR); a policy
 * without "observe" is an error (exit 1) with the kernel's message.
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include "commands.h"
#include "exitcodes.h"
#include "lexer.h"
#include "nl.h"
#include "observed.h"
#include "output.h"

#define NG_SINCE_MAX_MS (3650ULL * 86400 * 1000)

static int ng_observed_clear(void)
{
	struct nl_msg *m;
	struct ng_nl nl;
	int rc;

	rc = ng_nl_open(&nl);
	if (rc)
		return rc;
	m = ng_nl_msg(&nl, NGUARD_CMD_OBSERVED_CLEAR, 0);
	rc = m ? ng_nl_transact(&nl, m, NULL, NULL) : NG_EXIT_ERROR;
	ng_nl_close(&nl);
	if (!rc)
		printf("observed flows cleared\n");
	return rc;
}

static int ng_since_arg(const char *s, uint64_t *secs)
{
	uint64_t ms = 0;

	switch (ng_scan_duration(s, strlen(s), NG_SINCE_MAX_MS, &ms)) {
	case NG_DUR_OK:
		*secs = ms / 1000;
		return 0;
	case NG_DUR_NO_UNIT:
		return ng_usage_error("observed: duration '%s' needs a unit (s, m, h or d): '%ss'?",
				      s, s);
	case NG_DUR_RANGE:
		return ng_usage_error("observed: duration '%s' is out of range (up to 3650d)", s);
	}
	return ng_usage_error("observed: bad duration '%s' (a number and a unit: s, m, h or d, like 10m)",
			      s);
}

int cmd_observed(int argc, char **argv)
{
	struct ng_observed_list l = { 0 };
	uint64_t since = 0, now = (uint64_t)time(NULL);
	bool json = false, has_since = false;
	int i, rc;

	if (argc >= 2 && !strcmp(argv[1], "clear")) {
		if (argc > 2)
			return ng_usage_error("observed: unknown argument '%s' after 'clear'", argv[2]);
		return ng_observed_clear();
	}
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json") || !strcmp(argv[i], "-j")) {
			json = true;
		} else if (!strcmp(argv[i], "--since")) {
			if (i + 1 >= argc)
				return ng_usage_error("observed: --since needs a duration, like 10m");
			rc = ng_since_arg(argv[++i], &since);
			if (rc)
				return rc;
			has_since = true;
		} else {
			return ng_usage_error("observed: unknown argument '%s'", argv[i]);
		}
	}
	rc = ng_observed_fetch(&l);
	if (!rc && l.bad) {
		fprintf(stderr, "nguardctl: unexpected observed-flow dump from kernel module: %s missing or malformed (version mismatch?)\n",
			l.bad);
		rc = NG_EXIT_ERROR;
	}
	if (!rc && has_since)
		ng_observed_since(&l, now > since ? now - since : 0);
	ng_observed_sort(&l);
	if (!rc && json)
		rc = ng_print_json(ng_observed_json(&l));
	else if (!rc)
		ng_observed_print(stdout, &l, now);
	ng_observed_free(&l);
	return rc;
}
