/* SPDX-License-Identifier: GPL-2.0-only */
/* The connection table's summary (NGUARD_A_CONNTAB): parsing, names, JSON. */
#ifndef NGUARDCTL_CTSTATS_H
#define NGUARDCTL_CTSTATS_H

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>
#include <netlink/attr.h>
#include "uapi/nguard.h"

/*
 * Counters are the attributes NGUARD_CT_A_FIRST_COUNTER..LAST_COUNTER;
 * NGUARD_CT_A_SOURCES, after them, is a gauge again.
 */
#define NG_CT_COUNTERS (NGUARD_CT_A_LAST_COUNTER - NGUARD_CT_A_FIRST_COUNTER + 1)

struct ng_conntab {
	uint32_t count;		/* entries now */
	uint32_t max;		/* limit */
	uint32_t established;
	uint32_t entry_size;	/* bytes */
	uint32_t buckets;
	bool has_sources;	/* the module sent NGUARD_CT_A_SOURCES */
	uint32_t sources;	/* sources holding connections "limit source" counts */
	uint64_t cnt[NG_CT_COUNTERS];	/* [NGUARD_CT_A_X - FIRST_COUNTER] */
};

/* Name of counter @i (0 = inserts): the lowercase attribute suffix. */
const char *ng_conntab_counter_name(unsigned int i);
/*
 * Parse a NGUARD_A_CONNTAB nest: every attribute, exact sizes, but
 * NGUARD_CT_A_SOURCES is optional (a module without "limit source"
 * support does not send it). 0 or -1.
 */
int ng_conntab_parse(const struct nlattr *nest, struct ng_conntab *out);
/*
 * {"count","max","established","entry_size","buckets","sources",
 * "inserts", ...}; "sources" is null when the module did not send it.
 */
json_object *ng_conntab_json(const struct ng_conntab *ct);

#endif
