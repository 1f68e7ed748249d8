// SPDX-License-Identifier: GPL-2.0-only
/* Output helpers shared by all commands. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "exitcodes.h"
#include "output.h"

int ng_print_json(json_object *obj)
{
	int flags = isatty(STDOUT_FILENO) ? JSON_C_TO_STRING_PRETTY : JSON_C_TO_STRING_PLAIN;

	if (!obj) {
		fprintf(stderr, "nguardctl: out of memory\n");
		return NG_EXIT_ERROR;
	}
	printf("%s\n", json_object_to_json_string_ext(obj, flags | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(obj);
	return fflush(stdout) ? NG_EXIT_ERROR : NG_EXIT_OK;
}

int ng_usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("nguardctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\ntry 'nguardctl help'\n", stderr);
	return NG_EXIT_USAGE;
}

int ng_parse_json_flag(int argc, char **argv, const char *cmd, const char *what, bool *json)
{
	int i;

	*json = false;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json") || !strcmp(argv[i], "-j"))
			*json = true;
		else
			return ng_usage_error("%s: unknown %s '%s'", cmd, what, argv[i]);
	}
	return NG_EXIT_OK;
}
