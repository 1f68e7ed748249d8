// SPDX-License-Identifier: GPL-2.0-only
/*
 * `nguardctl check FILE`: parse and validate a policy file without
 * talking to the kernel. Diagnostics go to stderr, a one-line summary to
 * stdout; exit 0 if the file is valid (warnings allowed), 1 otherwise.
 */
#include <stdio.h>
#include <string.h>
#include "commands.h"
#include "exitcodes.h"
#include "output.h"
#include "parser.h"

static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

int cmd_check(int argc, char **argv)
{
	const char *path = NULL;
	struct ng_policy p;
	struct ng_diag d;
	size_t n;
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1])
			return ng_usage_error("check: unknown option '%s'", argv[i]);
		if (path)
			return ng_usage_error("check: one FILE only ('%s' is extra)", argv[i]);
		path = argv[i];
	}
	if (!path)
		return ng_usage_error("check: missing FILE (use '-' for standard input)");
	ng_diag_init(&d);
	rc = ng_policy_parse_file(path, &p, &d);
	ng_diag_print(stderr, &d);
	if (!rc) {
		printf("%s: ok: %zu %s", d.file ? d.file : path, p.n_segs, plural(p.n_segs, "segment", "segments"));
		n = ng_policy_prefix_count(&p);
		printf(", %zu %s", n, plural(n, "prefix", "prefixes"));
		n = ng_policy_iface_count(&p);
		printf(", %zu %s", n, plural(n, "interface", "interfaces"));
		printf(", %zu %s", p.n_rules, plural(p.n_rules, "rule", "rules"));
		if (p.n_dets)
			printf(", %zu %s", p.n_dets, plural(p.n_dets, "detector", "detectors"));
		n = ng_policy_exempt_count(&p);
		if (n)
			printf(", %zu %s", n, plural(n, "exemption", "exemptions"));
		if (d.warnings)
			printf(" (%u %s)", d.warnings, plural(d.warnings, "warning", "warnings"));
		putchar('\n');
	}
	ng_policy_free(&p);
	ng_diag_free(&d);
	if (fflush(stdout))
		return NG_EXIT_ERROR;
	return rc ? NG_EXIT_ERROR : NG_EXIT_OK;
}
