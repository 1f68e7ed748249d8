/* SPDX-License-Identifier: GPL-2.0-only */
/* Output helpers shared by all commands: JSON printing, usage errors. */
#ifndef NGUARDCTL_OUTPUT_H
#define NGUARDCTL_OUTPUT_H

#include <json-c/json.h>

/* Print @obj (pretty on a terminal), release it, return an exit code. */
int ng_print_json(json_object *obj);
/* Print "nguardctl: <msg>" and a hint, return NG_EXIT_USAGE. */
int ng_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
