/* SPDX-License-Identifier: GPL-2.0-only */
/* Replacing a file atomically: `nguardctl save` and `nguardctl metrics --output`. */
#ifndef NGUARDCTL_ATOMICFILE_H
#define NGUARDCTL_ATOMICFILE_H

#include <stdio.h>

/* Writes the file's content to @f; the caller checks @f for errors. */
typedef void (*ng_atomic_write_fn)(FILE *f, const void *arg);

/*
 * Replace @path with what @fn writes: a temporary file beside it
 * ("PATH.XXXXXX", so a reader globbing "*.prom" or "*.conf" never sees
 * it), flushed to disk, renamed over @path, the directory synced. A
 * crash or a full disk leaves the old file or the new one, never a torn
 * one. A symlink @path is followed (its target is replaced); an existing
 * file keeps its permission bits and, when we may, its owner; a new one
 * gets 0644 less the umask. On failure nothing is left behind and
 * "nguardctl: @cmd: PATH: what: errno text" is printed. Returns an exit
 * code (exitcodes.h).
 */
int ng_atomic_write(const char *path, const char *cmd, ng_atomic_write_fn fn, const void *arg);

#endif
