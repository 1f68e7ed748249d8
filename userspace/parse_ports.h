/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Port lists of the policy language, "22", "80,443", "8000-8100,9000"
 * (parse_ports.c): shared by rules and the bruteforce detector.
 */
#ifndef NGUARDCTL_PARSE_PORTS_H
#define NGUARDCTL_PARSE_PORTS_H

#include <stdbool.h>
#include <stdint.h>

struct ng_parser;
struct ng_tok;

/* One item of the list, @item its text; false stops (error reported). */
typedef bool (*ng_port_range_fn)(struct ng_parser *ps, const struct ng_tok *item,
				 uint16_t lo, uint16_t hi, void *ctx);

/*
 * Split the token @t at commas and hand each port or range (1..65535,
 * lo <= hi) to @add. Reports the first bad item; false on any error.
 */
bool ng_parse_port_list(struct ng_parser *ps, const struct ng_tok *t, ng_port_range_fn add,
			void *ctx);

#endif
