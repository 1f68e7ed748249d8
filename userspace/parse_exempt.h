/* SPDX-License-Identifier: GPL-2.0-only */
/* The "exempt" statement of the policy language (parse_exempt.c). */
#ifndef NGUARDCTL_PARSE_EXEMPT_H
#define NGUARDCTL_PARSE_EXEMPT_H

struct ng_parser;

/* "exempt MEMBER...", the statement on the current line. */
void ng_parse_exempt(struct ng_parser *ps);

#endif
