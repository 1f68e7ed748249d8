/* SPDX-License-Identifier: GPL-2.0-only */
/* `nguardctl trace`: the TRACE reply, and how it is printed. */
#ifndef NGUARDCTL_TRACE_H
#define NGUARDCTL_TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <json-c/json.h>
#include <netlink/msg.h>
#include "policy.h"

struct ng_trace {
	/* The question, as given. */
	const char *src, *dst;
	uint8_t proto;
	uint16_t dport;
	/* The kernel's answer. */
	uint64_t gen;
	char src_name[NGUARD_SEGMENT_NAME_MAX], dst_name[NGUARD_SEGMENT_NAME_MAX];
	uint8_t verdict;
	bool has_rule;
	uint32_t rule_index;
	bool src_exempt;	/* the source is never quarantined */
	struct ng_policy rule;	/* holds the one deciding rule (init it first) */
};

/* Reply callback: fill @arg, a struct ng_trace; NG_EXIT_ERROR, with a message, if malformed. */
int ng_trace_reply(struct nl_msg *msg, void *arg);
void ng_trace_print(FILE *f, const struct ng_trace *t);
json_object *ng_trace_json(const struct ng_trace *t);

#endif
