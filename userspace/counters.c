// SPDX-License-Identifier: GPL-2.0-only
/*
 * Counter names and the NGUARD_A_STATS parser. A counter's name is the
 * lowercase of its enum suffix (NGUARD_CNT_DROP_CONNS_FULL ->
 * "drop_conns_full"), exactly as the module prints it in
 * /proc/net/nguard/stats (kmod/stats.c); the VM test compares both
 * sources value by value. ng_proc_counter reads one line of that file.
 */
#include <stdio.h>
#include <string.h>
#include <netlink/attr.h>
#include "counters.h"

static const char *const names[] = {
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

_Static_assert(sizeof(names) / sizeof(names[0]) == NGUARD_CNT_MAX,
	       "every counter needs a name");
_Static_assert(NGUARD_STATS_A_MAX - NGUARD_STATS_A_FIRST_COUNTER + 1 == NGUARD_CNT_MAX,
	       "stats attributes and counters must match");

const char *ng_counter_name(unsigned int id)
{
	return id < NGUARD_CNT_MAX ? names[id] : "unknown";
}

int ng_counters_parse(struct nlattr *nest, struct ng_counters *out)
{
	struct nla_policy pol[NGUARD_STATS_A_MAX + 1] = { 0 };
	struct nlattr *tb[NGUARD_STATS_A_MAX + 1];
	unsigned int i;
	int err;

	for (i = 0; i < NGUARD_CNT_MAX; i++) {
		pol[NGUARD_STATS_A_FIRST_COUNTER + i].type = NLA_U64;
		pol[NGUARD_STATS_A_FIRST_COUNTER + i].minlen = sizeof(uint64_t);
		pol[NGUARD_STATS_A_FIRST_COUNTER + i].maxlen = sizeof(uint64_t);
	}
	err = nla_parse_nested(tb, NGUARD_STATS_A_MAX, nest, pol);
	if (err < 0)
		return err;
	for (i = 0; i < NGUARD_CNT_MAX; i++) {
		struct nlattr *a = tb[NGUARD_STATS_A_FIRST_COUNTER + i];

		/* libnl 3.7 only checks minimum lengths: insist on exactly 8. */
		if (!a || nla_len(a) != sizeof(uint64_t))
			return -NLE_INVAL;
		out->cnt[i] = nla_get_u64(a);
	}
	return 0;
}

int ng_proc_counter(const char *path, const char *name, uint64_t *v)
{
	size_t len = strlen(name);
	char line[128];
	int rc = -1;
	FILE *f = fopen(path, "re");

	if (!f)
		return -1;
	while (rc && fgets(line, sizeof(line), f)) {
		unsigned long long x;

		if (!strncmp(line, name, len) && (line[len] == ' ' || line[len] == '\t') &&
		    sscanf(line + len, "%llu", &x) == 1) {
			*v = x;
			rc = 0;
		}
	}
	fclose(f);
	return rc;
}
