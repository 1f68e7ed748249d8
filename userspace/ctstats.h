/* SPDX-License-Identifier: GPL-2.0-only */
/* The connection table's summary (NGUARD_A_CONNTAB): parsing, names, JSON. */
#ifndef NGUARDCTL_CTSTATS_H
#define NGUARDCTL_CTSTATS_H

#include <stdint.h>
#include <json-c/json.h>
#include <netlink/attr.h>
#include "uapi/nguard.h"

/* Counters are the attributes from NGUARD_CT_A_FIRST_COUNTER on. */
#define NG_CT_COUNTERS (NGUARD_CT_A_MAX - NGUARD_CT_A_FIRST_COUNTER + 1)

struct ng_conntab {
	uint32_t count;		/* entries now */
	uint32_t max;		/* limit */
	uint32_t established;
	uint32_t entry_size;	/* bytes */
	uint32_t buckets;
	uint64_t cnt[NG_CT_COUNTERS];	/* [NGUARD_CT_A_X - FIRST_COUNTER] */
};

/* Name of counter @i (0 = inserts): the lowercase attribute suffix. */
const char *ng_conntab_counter_name(unsigned int i);
/* Parse a NGUARD_A_CONNTAB nest: every attribute, exact sizes. 0 or -1. */
int ng_conntab_parse(const struct nlattr *nest, struct ng_conntab *out);
/* {"count","max","established","entry_size","buckets", "inserts", ...} */
json_object *ng_conntab_json(const struct ng_conntab *ct);

#endif
