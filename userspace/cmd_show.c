// SPDX-License-Identifier: GPL-2.0-only
/*
 * `nguardctl show [--json]`: the live policy (policy_dump.c) as a policy
 * file, or as JSON (policy_json.c).
 *
 * `nguardctl save FILE`: write the live policy to FILE in the format of
 * `nguardctl show` (a policy file that applies to the same policy), or to
 * standard output with '-'.
 *
 * The file is replaced atomically: the text goes to a temporary file in
 * the same directory, which is flushed to disk and renamed over FILE, so
 * a crash or a full disk leaves either the old file or the new one, never
 * a torn one. A symlink FILE is followed (its target is replaced). An
 * existing FILE keeps its permission bits and, when we may, its owner; a
 * new one gets 0644 less the umask (a policy is configuration, not a
 * secret: /etc/nguard/policy.conf ships 0644). With no policy loaded
 * nothing is written (exit 1): a file that applies to "pass-through" does
 * not exist.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
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

static int ng_save_error(const char *path, const char *what)
{
	fprintf(stderr, "nguardctl: save: %s: %s: %s\n", path, what, strerror(errno));
	return NG_EXIT_ERROR;
}

/* fsync the directory holding @path so the rename itself is durable. */
static void ng_sync_dir(const char *path)
{
	char *copy = strdup(path);
	int fd;

	if (!copy)
		return;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(copy);
}

static int ng_save_file(const char *arg, const struct ng_policy *p, uint64_t gen)
{
	char real[PATH_MAX], *tmp = NULL;
	const char *path = arg;
	struct stat st;
	int fd = -1, rc = NG_EXIT_ERROR, exists;
	mode_t mask;
	FILE *f = NULL;

	/* Replace a symlink's target, not the link. */
	if (!lstat(arg, &st) && S_ISLNK(st.st_mode)) {
		if (!realpath(arg, real))
			return ng_save_error(arg, "cannot resolve the symlink");
		path = real;
	}
	exists = !stat(path, &st);
	if (exists && !S_ISREG(st.st_mode)) {
		fprintf(stderr, "nguardctl: save: %s: not a regular file\n", path);
		return NG_EXIT_ERROR;
	}
	if (asprintf(&tmp, "%s.XXXXXX", path) < 0) {
		fprintf(stderr, "nguardctl: out of memory\n");
		return NG_EXIT_ERROR;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		rc = ng_save_error(path, "cannot create a temporary file beside it");
		free(tmp);
		return rc;
	}
	if (exists) {
		/* Best effort: only root may give the file to another owner. */
		if (fchown(fd, st.st_uid, st.st_gid) && errno != EPERM)
			goto fail_errno;
		if (fchmod(fd, st.st_mode & 07777))
			goto fail_errno;
	} else {
		mask = umask(0);
		umask(mask);
		if (fchmod(fd, 0644 & ~mask))
			goto fail_errno;
	}
	f = fdopen(fd, "w");
	if (!f)
		goto fail_errno;
	fd = -1;
	ng_show_print(f, p, gen);
	if (fflush(f) || ferror(f) || fsync(fileno(f)))
		goto fail_errno;
	if (fclose(f)) {
		f = NULL;
		goto fail_errno;
	}
	f = NULL;
	if (rename(tmp, path))
		goto fail_errno;
	ng_sync_dir(path);
	free(tmp);
	return NG_EXIT_OK;

fail_errno:
	rc = ng_save_error(path, "cannot write");
	if (f)
		fclose(f);
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return rc;
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
		rc = ng_save_file(path, &p, gen);
		if (!rc)
			printf("saved policy generation %llu to %s\n",
			       (unsigned long long)gen, path);
	}
	ng_policy_free(&p);
	return rc;
}
