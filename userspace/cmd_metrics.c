// SPDX-License-Identifier: GPL-2.0-only
/*
 * `nguardctl metrics [--output FILE] [--max-rules N]`: the namespace's
 * counters, connection table, quarantine and rule hits in the Prometheus
 * text format (metrics.c), read the way `stats` and `blocked` read them:
 * GET_STATUS with a POLICY_GET dump of the same generation
 * (ng_stats_fetch), the BLOCKED_GET dump, and transaction_port, the one
 * value only /proc/net/nguard/stats has (read through /proc/self/net, so
 * a service with ProcSubset=pid still finds it).
 *
 * With --output FILE ('-': standard output) the file is replaced atomically (atomicfile.c), as
 * node_exporter's textfile collector needs: it reads every *.prom file of
 * its directory at each scrape and must never see half a file. When the
 * module's state cannot be read (not loaded, no permission, version
 * mismatch), the output is nguard_up 0 alone, so a collector reports the
 * failure instead of serving old numbers, and the exit code says why
 * (exitcodes.h) after nguardctl's usual message.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "atomicfile.h"
#include "blocked.h"
#include "commands.h"
#include "exitcodes.h"
#include "metrics.h"
#include "nl.h"
#include "output.h"
#include "stats.h"

#define NG_PROC_STATS	"/proc/self/net/nguard/stats"

static void ng_metrics_write(FILE *f, const void *m)
{
	ng_metrics_print(f, m);
}

static int ng_metrics_args(int argc, char **argv, const char **out, size_t *max_rules)
{
	unsigned long long n;
	char *end;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--output") || !strcmp(argv[i], "-o")) {
			if (++i == argc)
				return ng_usage_error("metrics: %s needs a FILE", argv[i - 1]);
			*out = strcmp(argv[i], "-") ? argv[i] : NULL;	/* '-': stdout */
		} else if (!strcmp(argv[i], "--max-rules")) {
			if (++i == argc)
				return ng_usage_error("metrics: --max-rules needs a number");
			errno = 0;
			n = strtoull(argv[i], &end, 10);
			if (errno || end == argv[i] || *end || argv[i][0] == '-' ||
			    n > NGUARD_MAX_RULES)
				return ng_usage_error("metrics: --max-rules '%s': not a number of rules (0..%u)",
						      argv[i], NGUARD_MAX_RULES);
			*max_rules = (size_t)n;
		} else {
			return ng_usage_error("metrics: unknown argument '%s'", argv[i]);
		}
	}
	return NG_EXIT_OK;
}

int cmd_metrics(int argc, char **argv)
{
	struct ng_metrics m = { .txn_open = -1, .max_rules = NG_METRICS_RULES_DEFAULT };
	struct ng_block_list bl = { 0 };
	struct ng_policy_dump d;
	const char *out = NULL;
	struct ng_policy p;
	struct ng_status st;
	struct ng_nl nl;
	uint64_t port;
	int rc, wrc;

	rc = ng_metrics_args(argc, argv, &out, &m.max_rules);
	if (rc)
		return rc;
	ng_policy_init(&p);
	rc = ng_nl_open(&nl);
	if (!rc) {
		rc = ng_stats_fetch(&nl, &st, &d, &p);
		if (!rc)
			rc = ng_blocked_fetch(&nl, &bl);
		ng_nl_close(&nl);
	}
	if (!rc) {
		m.st = &st;
		m.d = &d;
		m.blocked = &bl;
		if (!ng_proc_counter(NG_PROC_STATS, "transaction_port", &port))
			m.txn_open = port != 0;
	}
	if (out) {
		wrc = ng_atomic_write(out, "metrics", ng_metrics_write, &m);
	} else {
		ng_metrics_print(stdout, &m);
		wrc = fflush(stdout) || ferror(stdout) ? NG_EXIT_ERROR : NG_EXIT_OK;
		if (wrc)
			fprintf(stderr, "nguardctl: metrics: standard output: %s\n", strerror(errno));
	}
	ng_blocked_free(&bl);
	ng_policy_free(&p);
	return rc ? rc : wrc;
}
