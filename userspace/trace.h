/* SPDX-License-Identifier: GPL-2.0-only */
/* `nguardctl trace`: the TRACE request and reply, and how it is printed. */
#ifndef NGUARDCTL_TRACE_H
#define NGUARDCTL_TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <json-c/json.h>
#include <netlink/msg.h>
#include "nl.h"
#include "policy.h"

struct ng_trace {
	/* The question, as given. */
	const char *src, *dst;
	uint8_t src_addr[16];	/* SRC in network order: 4 or 16 bytes */
	int src_len;		/* 4 or 16 */
	uint8_t proto;
	uint16_t dport;
	/* The kernel's answer. */
	uint64_t gen;
	char src_name[NGUARD_SEGMENT_NAME_MAX], dst_name[NGUARD_SEGMENT_NAME_MAX];
	uint8_t verdict;
	bool has_rule;
	uint32_t rule_index;
	bool src_exempt;	/* the source is never quarantined */
	bool has_src_conns;	/* the policy has "limit source" */
	uint32_t src_conns;	/* connections the source holds, counted by it */
	struct ng_policy rule;	/* holds the one deciding rule (init it first) */
	/*
	 * With has_src_conns, from the same policy's settings (POLICY_GET):
	 * "limit source", "ipv6 source prefix" (0: the default /64), mode.
	 */
	uint32_t src_limit;
	uint8_t src_prefix;
	uint8_t mode;
};

/*
 * Ask the kernel how it judges @t's packet (src_addr, @dst, proto,
 * dport; t->rule initialized) and, with "limit source", read the
 * settings of the same policy generation. Returns an exit code.
 */
int ng_trace_run(struct ng_nl *nl, struct ng_trace *t, const unsigned char *dst);
/* Reply callback: fill @arg, a struct ng_trace; NG_EXIT_ERROR, with a message, if malformed. */
int ng_trace_reply(struct nl_msg *msg, void *arg);
/*
 * The source as "limit source" counts it: an IPv4 address, an IPv6
 * source as its prefix of t->src_prefix bits ("2001:db8:1:2::/64").
 */
char *ng_trace_source(char *buf, size_t len, const struct ng_trace *t);
void ng_trace_print(FILE *f, const struct ng_trace *t);
/*
 * The reply as JSON; "source_conns" and "source_limit" are null when the
 * policy has no "limit source".
 */
json_object *ng_trace_json(const struct ng_trace *t);

#endif
