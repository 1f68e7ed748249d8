/* SPDX-License-Identifier: GPL-2.0-only */
/* Output helpers shared by all commands: JSON printing, usage errors. */
#ifndef NGUARDCTL_OUTPUT_H
#define NGUARDCTL_OUTPUT_H

#include <stdbool.h>
#include <json-c/json.h>

/* Print @obj (pretty on a terminal), release it, return an exit code. */
int ng_print_json(json_object *obj);
/* Print "nguardctl: <msg>" and a hint, return NG_EXIT_USAGE. */
int ng_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * Arguments of a command whose only option is --json (-j): set *@json when
 * it is given. Anything else is a usage error "@cmd: unknown @what 'ARG'"
 * (@what is "option" or "argument", as each command has always said).
 * Returns NG_EXIT_OK, or NG_EXIT_USAGE with the message printed.
 */
int ng_parse_json_flag(int argc, char **argv, const char *cmd, const char *what, bool *json);

#endif
