/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-CPU packet and byte counters.
 *
 * The packet path only ever touches its own CPU's copy with this_cpu_add(),
 * which is a single preemption-safe instruction on x86-64 and arm64: no
 * shared cache line, no lock, no atomic. Readers (netlink, /proc) fold all
 * possible CPUs into one snapshot. On 64-bit architectures each 64-bit
 * counter is read without tearing; counters only ever grow.
 */
#ifndef NGUARD_STATS_H
#define NGUARD_STATS_H

#include <linux/percpu.h>
#include <linux/types.h>
#include "uapi/nguard.h"

struct ng_stats_cpu {
	u64 cnt[NGUARD_CNT_MAX];
};

struct ng_stats {
	struct ng_stats_cpu __percpu *cpu;
};

struct ng_stats_snapshot {
	u64 cnt[NGUARD_CNT_MAX];
};

int ng_stats_init(struct ng_stats *st, gfp_t gfp);
void ng_stats_destroy(struct ng_stats *st);
void ng_stats_read(const struct ng_stats *st, struct ng_stats_snapshot *out);
const char *ng_stats_name(enum nguard_counter id);

/*
 * Packet path: add @npkts packets and @len bytes to the counter pair whose
 * packet counter is @pkts (the byte counter always follows it).
 */
static inline void ng_stats_count(struct ng_stats *st, enum nguard_counter pkts,
				  unsigned int npkts, unsigned int len)
{
	this_cpu_add(st->cpu->cnt[pkts], npkts);
	this_cpu_add(st->cpu->cnt[pkts + 1], len);
}

/* Packet path: one more event in single counter @id. */
static inline void ng_stats_inc(struct ng_stats *st, enum nguard_counter id)
{
	this_cpu_inc(st->cpu->cnt[id]);
}

/* @n more events in single counter @id. */
static inline void ng_stats_add(struct ng_stats *st, enum nguard_counter id,
				unsigned int n)
{
	this_cpu_add(st->cpu->cnt[id], n);
}

#endif /* NGUARD_STATS_H */
