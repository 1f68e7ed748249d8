// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-CPU counters: allocation, folding into a snapshot, and the stable
 * names used by /proc/net/nguard/stats (nguardctl uses the same names in
 * its JSON output). See stats.h for the concurrency rules.
 *
 * This file has no module init of its own so the KUnit test module can
 * include it directly (kmod/tests/stats_test.c).
 */
#include <linux/build_bug.h>
#include <linux/cpumask.h>
#include <linux/string.h>
#include "stats.h"

static const char *const ng_stats_names[NGUARD_CNT_MAX] = {
	[NGUARD_CNT_IPV4_IN_PACKETS]	= "ipv4_in_packets",
	[NGUARD_CNT_IPV4_IN_BYTES]	= "ipv4_in_bytes",
	[NGUARD_CNT_IPV4_OUT_PACKETS]	= "ipv4_out_packets",
	[NGUARD_CNT_IPV4_OUT_BYTES]	= "ipv4_out_bytes",
	[NGUARD_CNT_IPV6_IN_PACKETS]	= "ipv6_in_packets",
	[NGUARD_CNT_IPV6_IN_BYTES]	= "ipv6_in_bytes",
	[NGUARD_CNT_IPV6_OUT_PACKETS]	= "ipv6_out_packets",
	[NGUARD_CNT_IPV6_OUT_BYTES]	= "ipv6_out_bytes",
	[NGUARD_CNT_ALLOWED_PACKETS]	= "allowed_packets",
	[NGUARD_CNT_ALLOWED_BYTES]	= "allowed_bytes",
	[NGUARD_CNT_DROPPED_PACKETS]	= "dropped_packets",
	[NGUARD_CNT_DROPPED_BYTES]	= "dropped_bytes",
	[NGUARD_CNT_PASS_NO_POLICY]	= "pass_no_policy",
	[NGUARD_CNT_PASS_LOCAL]		= "pass_local",
	[NGUARD_CNT_PASS_ESTABLISHED]	= "pass_established",
	[NGUARD_CNT_PASS_RELATED]	= "pass_related",
	[NGUARD_CNT_PASS_NEW]		= "pass_new",
	[NGUARD_CNT_PASS_MONITOR]	= "pass_monitor",
	[NGUARD_CNT_DROP_POLICY]	= "drop_policy",
	[NGUARD_CNT_DROP_CONNS_FULL]	= "drop_conns_full",
	[NGUARD_CNT_DROP_INVALID]	= "drop_invalid",
	[NGUARD_CNT_LOG_LINES]		= "log_lines",
	[NGUARD_CNT_LOG_SUPPRESSED]	= "log_suppressed",
	[NGUARD_CNT_DROP_BLOCKED]	= "drop_blocked",
	[NGUARD_CNT_DROP_ANOMALY]	= "drop_anomaly",
	[NGUARD_CNT_DROP_RATELIMIT]	= "drop_ratelimit",
	[NGUARD_CNT_ANOMALY_SYNFLOOD]	= "anomaly_synflood",
	[NGUARD_CNT_ANOMALY_PORTSCAN]	= "anomaly_portscan",
	[NGUARD_CNT_ANOMALY_SWEEP]	= "anomaly_sweep",
	[NGUARD_CNT_ANOMALY_TCPFLAGS]	= "anomaly_tcpflags",
	[NGUARD_CNT_BLOCKS]		= "blocks",
	[NGUARD_CNT_BLOCKED_FULL]	= "blocked_full",
	[NGUARD_CNT_TRACKER_EVICTIONS]	= "tracker_evictions",
	[NGUARD_CNT_EVENTS]		= "events",
	[NGUARD_CNT_EVENTS_SUPPRESSED]	= "events_suppressed",
	[NGUARD_CNT_BLOCK_SPOOFED]	= "block_spoofed",
	[NGUARD_CNT_BLOCK_EXEMPT]	= "block_exempt",
	[NGUARD_CNT_DROP_SOURCE_LIMIT]	= "drop_source_limit",
	[NGUARD_CNT_ANOMALY_BRUTEFORCE]	= "anomaly_bruteforce",
	[NGUARD_CNT_OBSERVE_OVERFLOW]	= "observe_overflow",
};

int ng_stats_init(struct ng_stats *st, gfp_t gfp)
{
	st->cpu = alloc_percpu_gfp(struct ng_stats_cpu, gfp);
	return st->cpu ? 0 : -ENOMEM;
}

void ng_stats_destroy(struct ng_stats *st)
{
	free_percpu(st->cpu);
	st->cpu = NULL;
}

void ng_stats_read(const struct ng_stats *st, struct ng_stats_snapshot *out)
{
	unsigned int cpu, i;

	memset(out, 0, sizeof(*out));
	for_each_possible_cpu(cpu) {
		const struct ng_stats_cpu *c = per_cpu_ptr(st->cpu, cpu);

		for (i = 0; i < NGUARD_CNT_MAX; i++)
			out->cnt[i] += READ_ONCE(c->cnt[i]);
	}
}

const char *ng_stats_name(enum nguard_counter id)
{
	BUILD_BUG_ON(NGUARD_STATS_A_IPV6_OUT_BYTES - NGUARD_STATS_A_FIRST_COUNTER !=
		     NGUARD_CNT_IPV6_OUT_BYTES);
	BUILD_BUG_ON(NGUARD_STATS_A_EVENTS_SUPPRESSED - NGUARD_STATS_A_FIRST_COUNTER !=
		     NGUARD_CNT_EVENTS_SUPPRESSED);
	BUILD_BUG_ON(NGUARD_STATS_A_MAX - NGUARD_STATS_A_FIRST_COUNTER + 1 !=
		     NGUARD_CNT_MAX);
	if ((unsigned int)id >= NGUARD_CNT_MAX)
		return "unknown";
	return ng_stats_names[id];
}
