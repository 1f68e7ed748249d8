/* SPDX-License-Identifier: GPL-2.0-only */
/* The events of the live event stream (multicast group "events"): decoded, printed. */
#ifndef NGUARDCTL_EVENT_H
#define NGUARDCTL_EVENT_H

#include <stdint.h>
#include <stdio.h>
#include <json-c/json.h>
#include <netlink/msg.h>
#include "policy.h"

/* Which optional attributes an event carried (struct ng_event.has). */
enum {
	NG_EV_KIND = 1 << 0,
	NG_EV_ACTION = 1 << 1,
	NG_EV_PROTO = 1 << 2,
	NG_EV_SPORT = 1 << 3,
	NG_EV_DPORT = 1 << 4,
	NG_EV_SRC_SEG = 1 << 5,
	NG_EV_DST_SEG = 1 << 6,
	NG_EV_COUNT = 1 << 7,
	NG_EV_BLOCK_SECS = 1 << 8,
	NG_EV_GEN = 1 << 9,
	NG_EV_TIME = 1 << 10,
	NG_EV_SRC_PLEN = 1 << 11,
};

struct ng_event {
	uint8_t type;		/* enum nguard_event_type (required) */
	unsigned int has;	/* NG_EV_* */
	uint8_t kind, action, proto;
	uint8_t src_plen;	/* IPv6: the source as a prefix of this length */
	uint8_t src_len, dst_len;	/* 0 (absent), 4 or 16 */
	uint8_t src[16], dst[16];	/* network order */
	uint16_t sport, dport, src_seg, dst_seg;
	uint32_t count, block_secs;
	uint32_t suppressed;	/* events lost before this one; 0 if absent */
	uint64_t gen;
	uint64_t time_ns;	/* wall clock */
};

/*
 * Parse one NGUARD_CMD_EVENT message into @ev: NULL on success, else what
 * is missing or malformed. Only TYPE is required; every attribute that is
 * present must have its exact size (addresses 4 or 16 bytes).
 */
const char *ng_event_parse(struct nl_msg *msg, struct ng_event *ev);
/* "event" type name ("anomaly", "block", ...), NULL if unknown. */
const char *ng_event_type_name(uint8_t type);
/*
 * One text line (two if events were suppressed before it), segment ids
 * named through @p:
 *   2026-11-23T17:50:02Z anomaly portscan src=10.0.9.5 dst=10.0.2.7 dport=23 seg=admin->db count=21 action=block 600s
 * Block, unblock and expire events of an IPv6 source show its prefix,
 * "block 2001:db8:1:2::/64 portscan 600s"; anomalies its address.
 */
void ng_event_print(FILE *f, const struct ng_event *ev, const struct ng_policy *p);
/* One JSON object: every key present, null where the event has no value. */
json_object *ng_event_json(const struct ng_event *ev, const struct ng_policy *p);

#endif
