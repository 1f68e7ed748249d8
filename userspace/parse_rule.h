/* SPDX-License-Identifier: GPL-2.0-only */
/* The "allow" and "deny" rules of the policy language (parse_rule.c). */
#ifndef NGUARDCTL_PARSE_RULE_H
#define NGUARDCTL_PARSE_RULE_H

struct ng_parser;

/* "allow|deny SRC -> DST [PROTO [PORTS]]... [log]", the current line. */
void ng_parse_rule(struct ng_parser *ps);

#endif
