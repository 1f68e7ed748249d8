// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of ng_parse_json_flag(), the argument parsing of status, stats,
 * conns, blocked, monitor and show: what it accepts, and the exact usage
 * error (message, hint, exit code 2) for anything else.
 */
#include <stdbool.h>
#include <stdlib.h>
#include "check.h"
#include "exitcodes.h"
#include "output.h"

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void check_ok(int line, int argc, char **argv, bool want)
{
	bool json = !want;
	char *err;
	int rc;

	CAPTURE_STDERR(err, rc = ng_parse_json_flag(argc, argv, "stats", "argument", &json));
	if (rc != NG_EXIT_OK || json != want || *err) {
		fprintf(stderr, "%s:%d: rc %d json %d stderr <<%s>>, want rc 0 json %d, no stderr\n",
			__FILE__, line, rc, json, err, want);
		ng_test_failures++;
	}
	free(err);
}

static void check_usage(int line, int argc, char **argv, const char *cmd, const char *what,
			const char *want)
{
	bool json;
	char *err;
	int rc;

	CAPTURE_STDERR(err, rc = ng_parse_json_flag(argc, argv, cmd, what, &json));
	if (rc != NG_EXIT_USAGE || strcmp(err, want)) {
		fprintf(stderr, "%s:%d: rc %d stderr <<%s>>, want rc %d stderr <<%s>>\n",
			__FILE__, line, rc, err, NG_EXIT_USAGE, want);
		ng_test_failures++;
	}
	free(err);
}

int main(void)
{
	char *none[] = { "stats" };
	char *lng[] = { "stats", "--json" };
	char *shrt[] = { "stats", "-j" };
	char *both[] = { "stats", "-j", "--json" };
	char *bogus[] = { "stats", "--bogus" };
	char *extra[] = { "stats", "--json", "extra", "--frob" };
	char *upper[] = { "stats", "--JSON" };
	char *eq[] = { "stats", "--json=1" };
	char *jj[] = { "stats", "-jj" };
	char *empty[] = { "stats", "" };

	check_ok(__LINE__, ARGC(none), none, false);
	check_ok(__LINE__, ARGC(lng), lng, true);
	check_ok(__LINE__, ARGC(shrt), shrt, true);
	check_ok(__LINE__, ARGC(both), both, true);

	check_usage(__LINE__, ARGC(bogus), bogus, "stats", "argument",
		    "nguardctl: stats: unknown argument '--bogus'\ntry 'nguardctl help'\n");
	/* the first bad argument is named, even after a good one */
	check_usage(__LINE__, ARGC(extra), extra, "conns", "argument",
		    "nguardctl: conns: unknown argument 'extra'\ntry 'nguardctl help'\n");
	check_usage(__LINE__, ARGC(bogus), bogus, "status", "option",
		    "nguardctl: status: unknown option '--bogus'\ntry 'nguardctl help'\n");
	/* only the exact spellings: no case folding, values or bundling */
	check_usage(__LINE__, ARGC(upper), upper, "show", "option",
		    "nguardctl: show: unknown option '--JSON'\ntry 'nguardctl help'\n");
	check_usage(__LINE__, ARGC(eq), eq, "blocked", "argument",
		    "nguardctl: blocked: unknown argument '--json=1'\ntry 'nguardctl help'\n");
	check_usage(__LINE__, ARGC(jj), jj, "monitor", "argument",
		    "nguardctl: monitor: unknown argument '-jj'\ntry 'nguardctl help'\n");
	check_usage(__LINE__, ARGC(empty), empty, "stats", "argument",
		    "nguardctl: stats: unknown argument ''\ntry 'nguardctl help'\n");
	return CHECK_DONE();
}
