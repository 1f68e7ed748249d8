/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Policy-file parser (see Documentation/policy-language.md): text into
 * struct ng_policy, errors and warnings into struct ng_diag (diag.h).
 */
#ifndef NGUARDCTL_PARSER_H
#define NGUARDCTL_PARSER_H

#include <stddef.h>
#include "diag.h"
#include "policy.h"

/*
 * Parse @len bytes of @text (need not be NUL-terminated) named @name in
 * messages. @out is initialized here; @diag must be initialized by the
 * caller and receives errors and warnings. Returns 0 and the policy, or
 * -1 on any error with @out left empty (still safe to ng_policy_free).
 */
int ng_policy_parse(const char *name, const char *text, size_t len,
		    struct ng_policy *out, struct ng_diag *diag);
/* Read and parse @path ("-" is standard input, named "<stdin>"). */
int ng_policy_parse_file(const char *path, struct ng_policy *out,
			 struct ng_diag *diag);

#endif
