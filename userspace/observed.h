/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `nguardctl observed`: the live policy's observed-flow summary
 * (NGUARD_CMD_OBSERVED_GET), decoded, filtered, sorted and printed.
 */
#ifndef NGUARDCTL_OBSERVED_H
#define NGUARDCTL_OBSERVED_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <json-c/json.h>
#include <netlink/msg.h>
#include "policy.h"

#define NG_OBS_EXAMPLES_MAX	4	/* kept by the decoder; the module sends 2 */

struct ng_obs_example {
	uint8_t family;		/* 4 or 6 */
	uint8_t src[16], dst[16];
};

struct ng_observed {
	uint16_t src_seg, dst_seg;
	char src_name[NGUARD_SEGMENT_NAME_MAX], dst_name[NGUARD_SEGMENT_NAME_MAX];
	uint8_t proto;
	uint16_t port;		/* destination port, ICMP type, or 0 */
	uint8_t verdict;	/* enum nguard_verdict */
	bool has_rule;		/* false: the default decided */
	uint32_t rule, rule_line;
	uint8_t flags;		/* NGUARD_OBS_F_* */
	uint64_t conns, first, last;
	struct ng_obs_example ex[NG_OBS_EXAMPLES_MAX];
	unsigned int nex;
};

struct ng_observed_list {
	bool on;		/* the live policy observes */
	uint32_t max;		/* its table size */
	uint64_t gen;		/* policy generation (0: no policy) */
	struct ng_observed *v;
	size_t n, cap;
	const char *bad;	/* first missing or malformed attribute, or NULL */
};

/* Parse one NGUARD_A_OBSERVED nest: NULL, or the bad attribute's name. */
const char *ng_observed_parse(const struct nlattr *nest, struct ng_observed *o);
/* Dump callback: the header message and every NGUARD_A_OBSERVED into @list. */
int ng_observed_dump_msg(struct nl_msg *msg, void *list);
void ng_observed_free(struct ng_observed_list *l);
/*
 * Dump the table into @l (emptied first): OBSERVED_GET, run again when a
 * clear or an apply cut it short (-EAGAIN), three times at most. Returns
 * an exit code, the message printed.
 */
int ng_observed_fetch(struct ng_observed_list *l);

/* Keep the aggregates last seen at or after @since (Unix seconds). */
void ng_observed_since(struct ng_observed_list *l, uint64_t since);
/*
 * Segment pairs in policy order (source id, destination id), then
 * protocol and port; sources in world ("top talkers") by connections,
 * most first, then like the others.
 */
void ng_observed_sort(struct ng_observed_list *l);

/*
 * Text: the aggregates between segments, then those from world under
 * their own heading; @now (Unix seconds) for "ago" columns.
 */
void ng_observed_print(FILE *f, const struct ng_observed_list *l, uint64_t now);
json_object *ng_observed_json(const struct ng_observed_list *l);

#endif
