/* SPDX-License-Identifier: GPL-2.0-only */
/* The module's counters: stable names and parsing of NGUARD_A_STATS. */
#ifndef NGUARDCTL_COUNTERS_H
#define NGUARDCTL_COUNTERS_H

#include <stdint.h>
#include <netlink/attr.h>
#include "uapi/nguard.h"

struct ng_counters {
	uint64_t cnt[NGUARD_CNT_MAX];
};

/* Name of counter @id as in /proc/net/nguard/stats, e.g. "ipv4_in_bytes". */
const char *ng_counter_name(unsigned int id);
/* Parse a NGUARD_A_STATS nest; 0 on success, negative libnl error otherwise. */
int ng_counters_parse(struct nlattr *nest, struct ng_counters *out);

/*
 * The value of the line "@name VALUE" of @path, a file in the format of
 * /proc/net/nguard/stats (for the values only that file has, such as
 * transaction_port). 0 and *@v set, or -1: no such file or line.
 */
int ng_proc_counter(const char *path, const char *name, uint64_t *v);

#endif
