// SPDX-License-Identifier: GPL-2.0-only
/*
 * `nguardctl show [--json]`: the live policy (policy_dump.c) as a policy
 * file, or as JSON (policy_json.c).
 *
 * `nguardctl save FILE`: write the live policy to FILE in the format of
 * `nguardctl show` (a policy file that applies to the same policy), or to
 * standard output with '-'.
 *
 * The file is replaced atomically (atomicfile.c: temporary file beside
 * it, fsync, rename), so a crash or a full disk leaves either the old
 * file or the new one, never a torn one. A symlink FILE is followed. An
 * existing FILE keeps its permission bits and, when we may, its owner; a
 * new one gets 0644 less the umask (a policy is configuration, not a
 * secret: /etc/nguard/policy.conf ships 0644). With no policy loaded
 * nothing is written (exit 1): a file that applies to "pass-through" does
 * not exist.
 */
#include <errno.h>
#include <string.h>
#include "atomicfile.h"
#include "commands.h"
#include "exitcodes.h"
#include "output.h"
#include "policy.h"
#include "policy_dump.h"
#include "policy_json.h"

static int ng_show_to(FILE *f, int json)
{
	struct ng_policy p;
	uint64_t gen = 0;
	int rc = ng_show_fetch(&p, &gen);

	if (!rc && json)
		rc = ng_print_json(ng_policy_json(&p, gen));
	else if (!rc)
		ng_show_print(f, &p, gen);
	ng_policy_free(&p);
	return rc;
}

int cmd_show(int argc, char **argv)
{
	bool json;
	int rc;

	rc = ng_parse_json_flag(argc, argv, "show", "option", &json);
	if (rc)
		return rc;
	return ng_show_to(stdout, json);
}

/* ng_atomic_write's writer: the policy as `show` prints it. */
struct ng_save_arg {
	const struct ng_policy *p;
	uint64_t gen;
};

static void ng_save_write(FILE *f, const void *arg)
{
	const struct ng_save_arg *a = arg;

	ng_show_print(f, a->p, a->gen);
}

int cmd_save(int argc, char **argv)
{
	const char *path = NULL;
	struct ng_policy p;
	uint64_t gen = 0;
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1])
			return ng_usage_error("save: unknown option '%s'", argv[i]);
		if (path)
			return ng_usage_error("save: one FILE only ('%s' is extra)", argv[i]);
		path = argv[i];
	}
	if (!path)
		return ng_usage_error("save: missing FILE (use '-' for standard output)");
	rc = ng_show_fetch(&p, &gen);
	if (!rc && !gen) {
		fprintf(stderr, "nguardctl: save: no policy loaded (pass-through); %s not written\n",
			path);
		rc = NG_EXIT_ERROR;
	} else if (!rc && !strcmp(path, "-")) {
		ng_show_print(stdout, &p, gen);
		if (fflush(stdout) || ferror(stdout)) {
			fprintf(stderr, "nguardctl: save: standard output: %s\n", strerror(errno));
			rc = NG_EXIT_ERROR;
		}
	} else if (!rc) {
		struct ng_save_arg a = { .p = &p, .gen = gen };

		rc = ng_atomic_write(path, "save", ng_save_write, &a);
		if (!rc)
			printf("saved policy generation %llu to %s\n",
			       (unsigned long long)gen, path);
	}
	ng_policy_free(&p);
	return rc;
}
