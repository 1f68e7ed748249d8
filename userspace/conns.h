/* SPDX-License-Identifier: GPL-2.0-only */
/* `nguardctl conns`: the tracked connections (NGUARD_CMD_CONNS_GET). */
#ifndef NGUARDCTL_CONNS_H
#define NGUARDCTL_CONNS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <json-c/json.h>
#include <netlink/msg.h>
#include "policy.h"

struct ng_conn {
	uint8_t family;		/* 4 or 6 */
	uint8_t proto;
	uint8_t state;		/* enum nguard_conn_state */
	uint8_t flags;		/* NGUARD_CONN_F_* */
	uint8_t src[16], dst[16];	/* network order, 4 or 16 bytes used */
	uint16_t sport, dport;	/* ICMP: sport is the echo id */
	uint16_t src_seg, dst_seg;
	bool has_rule;		/* false: the default decided */
	uint32_t rule;
	uint32_t pkts_orig, pkts_reply;
	uint32_t idle_ms, expires;
	bool has_limit_pkts, has_limit_bytes;	/* "limit conn": tokens left */
	uint32_t limit_pkts, limit_bytes;
};

struct ng_conn_list {
	struct ng_conn *v;
	size_t n, cap;
	const char *bad;	/* first missing or malformed attribute, or NULL */
};

/*
 * Parse one NGUARD_A_CONN nest into @c: NULL on success, else the name of
 * the missing or malformed attribute. SPORT, DPORT and FLAGS may be
 * absent (0), RULE too (the default decided), LIMIT_PKTS and LIMIT_BYTES
 * (no such bucket); the rest is required.
 */
const char *ng_conn_parse(const struct nlattr *nest, struct ng_conn *c);
/* Reply callback of the dump: every NGUARD_A_CONN of @msg into @list. */
int ng_conns_dump_msg(struct nl_msg *msg, void *list);
void ng_conns_free(struct ng_conn_list *l);

/* "established", ..., or NULL for an unknown state. */
const char *ng_conn_state_name(uint8_t state);
/* Header, one aligned line per connection, "N connections". */
void ng_conns_print(FILE *f, const struct ng_conn_list *l, const struct ng_policy *p);
json_object *ng_conns_json(const struct ng_conn_list *l, const struct ng_policy *p);

#endif
