/* SPDX-License-Identifier: GPL-2.0-only */
/* Rate limits and anomaly detection statements (parse_anomaly.c). */
#ifndef NGUARDCTL_PARSE_ANOMALY_H
#define NGUARDCTL_PARSE_ANOMALY_H

struct ng_parser;

/* Each parses the statement on the current line. */
void ng_parse_limit(struct ng_parser *ps);	/* limit conn ..., limit source N */
void ng_parse_log(struct ng_parser *ps);	/* log rate RATE/s [burst N] */
void ng_parse_detect(struct ng_parser *ps);	/* detect KIND ... action ACTION */
void ng_parse_ipv6(struct ng_parser *ps);	/* ipv6 source prefix N */

#endif
