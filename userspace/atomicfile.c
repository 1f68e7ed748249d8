// SPDX-License-Identifier: GPL-2.0-only
/*
 * Atomic file replacement (atomicfile.h), the way a configuration file or
 * a node_exporter textfile must be written: readers open either the old
 * file or the complete new one. The content goes to a temporary file in
 * the same directory (a rename across file systems is not atomic), is
 * fsync'ed, then renamed over the target, and the directory is fsync'ed
 * so that the rename itself survives a crash.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "atomicfile.h"
#include "exitcodes.h"

static int ng_atomic_error(const char *cmd, const char *path, const char *what)
{
	fprintf(stderr, "nguardctl: %s: %s: %s: %s\n", cmd, path, what, strerror(errno));
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

int ng_atomic_write(const char *arg, const char *cmd, ng_atomic_write_fn fn, const void *data)
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
			return ng_atomic_error(cmd, arg, "cannot resolve the symlink");
		path = real;
	}
	exists = !stat(path, &st);
	if (exists && !S_ISREG(st.st_mode)) {
		fprintf(stderr, "nguardctl: %s: %s: not a regular file\n", cmd, path);
		return NG_EXIT_ERROR;
	}
	if (asprintf(&tmp, "%s.XXXXXX", path) < 0) {
		fprintf(stderr, "nguardctl: out of memory\n");
		return NG_EXIT_ERROR;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		rc = ng_atomic_error(cmd, path, "cannot create a temporary file beside it");
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
	fn(f, data);
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
	rc = ng_atomic_error(cmd, path, "cannot write");
	if (f)
		fclose(f);
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return rc;
}
