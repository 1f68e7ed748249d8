/* SPDX-License-Identifier: GPL-2.0-only */
/* The "observe" statement (parse_observe.c). */
#ifndef NGUARDCTL_PARSE_OBSERVE_H
#define NGUARDCTL_PARSE_OBSERVE_H

struct ng_parser;

/* observe on | observe max N | observe off */
void ng_parse_observe(struct ng_parser *ps);

#endif
