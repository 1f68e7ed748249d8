/* SPDX-License-Identifier: GPL-2.0-only */
/* `nguardctl status`: what the module reports about this namespace. */
#ifndef NGUARDCTL_STATUS_H
#define NGUARDCTL_STATUS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <json-c/json.h>
#include "ctstats.h"
#include "counters.h"
#include "nl.h"

struct ng_status {
	char version[32];
	uint64_t policy_gen;
	uint8_t mode;		/* enum nguard_mode; 0 = no policy */
	bool has_applied, has_compile_ns;
	uint64_t applied;	/* Unix seconds of the live policy's commit */
	uint64_t compile_ns;
	struct ng_counters counters;
	struct ng_conntab conntab;
};

int ng_status_parse(struct nl_msg *msg, struct ng_status *st);
/* One GET_STATUS round trip on an open session. Returns an exit code. */
int ng_status_fetch(struct ng_nl *nl, struct ng_status *st);
json_object *ng_status_json(const struct ng_status *st);
void ng_status_print(FILE *f, const struct ng_status *st);

/* Pieces shared with `nguardctl stats`. */
/* {"generation","mode","applied","compile_ns"}; null where unknown. */
json_object *ng_status_policy_json(const struct ng_status *st);
/*
 * "policy: generation N, mode M, applied TIME" (with @compiled also
 * ", compiled in DURATION"), or the pass-through line without a policy.
 */
void ng_status_policy_print(FILE *f, const struct ng_status *st, bool compiled);
/* {name: value} for every counter of NGUARD_A_STATS. */
json_object *ng_counters_json(const struct ng_counters *c);
/* "enforce", "monitor", or NULL for none / an unknown value. */
const char *ng_mode_name(uint8_t mode);

#endif
