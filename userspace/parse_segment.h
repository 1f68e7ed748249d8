/* SPDX-License-Identifier: GPL-2.0-only */
/* The "segment" statement of the policy language (parse_segment.c). */
#ifndef NGUARDCTL_PARSE_SEGMENT_H
#define NGUARDCTL_PARSE_SEGMENT_H

struct ng_parser;

/* "segment NAME MEMBER...", the statement on the current line. */
void ng_parse_segment(struct ng_parser *ps);

#endif
