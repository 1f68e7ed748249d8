// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for counters.c and ctstats.c: names, nest parsing, malformed input, ng_proc_counter. */
#include <ctype.h>
#include <netlink/msg.h>
#include <stdlib.h>
#include <unistd.h>
#include "check.h"
#include "ctstats.h"
#include "counters.h"

/* Every counter with its enum suffix: names are the lowercase suffixes. */
#define C(x) { NGUARD_CNT_##x, #x }
static const struct { unsigned int id; const char *suffix; } suffixes[] = {
	C(IPV4_IN_PACKETS), C(IPV4_IN_BYTES), C(IPV4_OUT_PACKETS), C(IPV4_OUT_BYTES),
	C(IPV6_IN_PACKETS), C(IPV6_IN_BYTES), C(IPV6_OUT_PACKETS), C(IPV6_OUT_BYTES),
	C(ALLOWED_PACKETS), C(ALLOWED_BYTES), C(DROPPED_PACKETS), C(DROPPED_BYTES),
	C(PASS_NO_POLICY), C(PASS_LOCAL), C(PASS_ESTABLISHED), C(PASS_RELATED),
	C(PASS_NEW), C(PASS_MONITOR), C(DROP_POLICY), C(DROP_CONNS_FULL),
	C(DROP_INVALID), C(LOG_LINES), C(LOG_SUPPRESSED), C(DROP_BLOCKED), C(DROP_ANOMALY),
	C(DROP_RATELIMIT), C(ANOMALY_SYNFLOOD), C(ANOMALY_PORTSCAN), C(ANOMALY_SWEEP),
	C(ANOMALY_TCPFLAGS), C(BLOCKS), C(BLOCKED_FULL), C(TRACKER_EVICTIONS), C(EVENTS),
	C(EVENTS_SUPPRESSED), C(BLOCK_SPOOFED), C(BLOCK_EXEMPT), C(DROP_SOURCE_LIMIT),
	C(ANOMALY_BRUTEFORCE),
	C(OBSERVE_OVERFLOW),
};
#undef C
#define C(x) { NGUARD_CT_A_##x - NGUARD_CT_A_FIRST_COUNTER, #x }
static const struct { unsigned int id; const char *suffix; } ct_suffixes[] = {
	C(INSERTS), C(EVICT_EXPIRED), C(EVICT_HALFOPEN), C(EVICT_IDLE), C(REFUSED_FULL),
	C(REFUSED_CHAIN), C(GC_FREED), C(ALLOC_FAILED), C(PRUNED),
};
#undef C

static void check_lower(const char *name, const char *suffix)
{
	char want[64];
	size_t i;

	for (i = 0; suffix[i] && i < sizeof(want) - 1; i++)
		want[i] = (char)tolower((unsigned char)suffix[i]);
	want[i] = '\0';
	CHECK_STR(name, want);
}

/*
 * A NGUARD_A_CONNTAB nest as the module builds it; @bad_type gets a wrong
 * size (4 bytes for a counter, 8 for a gauge), @skip is left out.
 */
static struct nlattr *build_ct(struct nl_msg *m, int bad_type, int skip)
{
	struct nlattr *nest = nla_nest_start(m, NGUARD_A_CONNTAB);
	int t;

	for (t = NGUARD_CT_A_COUNT; t <= NGUARD_CT_A_MAX; t++) {
		int counter = t >= NGUARD_CT_A_FIRST_COUNTER && t <= NGUARD_CT_A_LAST_COUNTER;

		if (t == skip)
			continue;
		if (counter != (t == bad_type))
			nla_put_u64(m, t, 1000000000000ULL + t);
		else
			nla_put_u32(m, t, 100 + t);
	}
	nla_nest_end(m, nest);
	return nest;
}

static struct nlattr *build(struct nl_msg *m, int short_attr, int skip)
{
	struct nlattr *nest = nla_nest_start(m, NGUARD_A_STATS);
	unsigned int i;

	for (i = 0; i < NGUARD_CNT_MAX; i++) {
		if ((int)i == skip)
			continue;
		if ((int)i == short_attr)
			nla_put_u32(m, NGUARD_STATS_A_FIRST_COUNTER + i, 7);
		else
			nla_put_u64(m, NGUARD_STATS_A_FIRST_COUNTER + i,
				    (1ULL << 40) * (i + 1) + i);
	}
	nla_nest_end(m, nest);
	return nest;
}

/* ng_proc_counter on a file laid out as /proc/net/nguard/stats. */
static void proc_counter(void)
{
	char path[] = "/tmp/counters_test.XXXXXX";
	uint64_t v = 7;
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	CHECK(f != NULL);
	if (!f)
		return;
	fputs("policy_generation    3\ntransaction_port     0\n"
	      "transaction_port_x   9\nconns_pruned         18446744073709551615\n", f);
	fclose(f);
	CHECK(ng_proc_counter(path, "transaction_port", &v) == 0 && v == 0);
	CHECK(ng_proc_counter(path, "policy_generation", &v) == 0 && v == 3);
	CHECK(ng_proc_counter(path, "conns_pruned", &v) == 0 && v == UINT64_MAX);
	CHECK(ng_proc_counter(path, "transaction", &v) == -1);	/* a prefix is not a name */
	CHECK(ng_proc_counter(path, "missing", &v) == -1);
	unlink(path);
	CHECK(ng_proc_counter(path, "policy_generation", &v) == -1);	/* no file */
}

int main(void)
{
	struct ng_counters c;
	struct ng_conntab ct;
	struct nl_msg *m;
	json_object *j, *v;
	unsigned int i;
	int t;

	CHECK_STR(ng_counter_name(NGUARD_CNT_IPV4_IN_PACKETS), "ipv4_in_packets");
	CHECK_STR(ng_counter_name(NGUARD_CNT_IPV6_OUT_BYTES), "ipv6_out_bytes");
	CHECK_STR(ng_counter_name(NGUARD_CNT_MAX), "unknown");
	CHECK_STR(ng_counter_name(NGUARD_CNT_PASS_NO_POLICY), "pass_no_policy");
	CHECK_STR(ng_counter_name(NGUARD_CNT_DROP_CONNS_FULL), "drop_conns_full");
	CHECK_STR(ng_counter_name(NGUARD_CNT_ALLOWED_PACKETS), "allowed_packets");
	CHECK_STR(ng_counter_name(NGUARD_CNT_LOG_SUPPRESSED), "log_suppressed");
	CHECK_STR(ng_counter_name(NGUARD_CNT_BLOCK_SPOOFED), "block_spoofed");
	CHECK_STR(ng_counter_name(NGUARD_CNT_BLOCK_EXEMPT), "block_exempt");
	CHECK_STR(ng_counter_name(NGUARD_CNT_DROP_SOURCE_LIMIT), "drop_source_limit");
	CHECK(sizeof(suffixes) / sizeof(suffixes[0]) == NGUARD_CNT_MAX);
	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
		check_lower(ng_counter_name(suffixes[i].id), suffixes[i].suffix);
	CHECK(sizeof(ct_suffixes) / sizeof(ct_suffixes[0]) == NG_CT_COUNTERS);
	for (i = 0; i < sizeof(ct_suffixes) / sizeof(ct_suffixes[0]); i++)
		check_lower(ng_conntab_counter_name(ct_suffixes[i].id), ct_suffixes[i].suffix);
	CHECK_STR(ng_conntab_counter_name(NG_CT_COUNTERS), "unknown");

	m = nlmsg_alloc();
	CHECK(ng_counters_parse(build(m, -1, -1), &c) == 0);
	for (i = 0; i < NGUARD_CNT_MAX; i++)
		CHECK(c.cnt[i] == (1ULL << 40) * (i + 1) + i);
	nlmsg_free(m);

	m = nlmsg_alloc();
	CHECK(ng_counters_parse(build(m, 3, -1), &c) < 0);	/* 4-byte value */
	nlmsg_free(m);

	m = nlmsg_alloc();
	CHECK(ng_counters_parse(build(m, -1, 5), &c) < 0);	/* missing counter */
	nlmsg_free(m);

	/* The last (newest) counters are required too. */
	m = nlmsg_alloc();
	CHECK(ng_counters_parse(build(m, -1, NGUARD_CNT_LOG_SUPPRESSED), &c) < 0);
	nlmsg_free(m);
	m = nlmsg_alloc();
	CHECK(ng_counters_parse(build(m, -1, NGUARD_CNT_BLOCK_EXEMPT), &c) < 0);
	nlmsg_free(m);
	m = nlmsg_alloc();
	CHECK(ng_counters_parse(build(m, NGUARD_CNT_BLOCK_SPOOFED, -1), &c) < 0);
	nlmsg_free(m);
	m = nlmsg_alloc();
	CHECK(ng_counters_parse(build(m, -1, NGUARD_CNT_DROP_SOURCE_LIMIT), &c) < 0);
	nlmsg_free(m);
	m = nlmsg_alloc();
	CHECK(ng_counters_parse(build(m, NGUARD_CNT_DROP_SOURCE_LIMIT, -1), &c) < 0);
	nlmsg_free(m);

	/* Connection table: all values, and every malformation rejected. */
	m = nlmsg_alloc();
	CHECK(ng_conntab_parse(build_ct(m, -1, -1), &ct) == 0);
	CHECK(ct.count == 100 + NGUARD_CT_A_COUNT);
	CHECK(ct.max == 100 + NGUARD_CT_A_MAX_ENTRIES);
	CHECK(ct.buckets == 100 + NGUARD_CT_A_BUCKETS);
	CHECK(ct.established == 100 + NGUARD_CT_A_ESTABLISHED);
	CHECK(ct.entry_size == 100 + NGUARD_CT_A_ENTRY_SIZE);
	for (i = 0; i < NG_CT_COUNTERS; i++)
		CHECK(ct.cnt[i] == 1000000000000ULL + NGUARD_CT_A_FIRST_COUNTER + i);
	CHECK(ct.has_sources && ct.sources == 100 + NGUARD_CT_A_SOURCES);
	j = ng_conntab_json(&ct);
	CHECK(json_object_object_length(j) == 6 + NG_CT_COUNTERS);
	CHECK(json_object_get_uint64(json_object_object_get(j, "sources")) ==
	      100 + NGUARD_CT_A_SOURCES);
	CHECK(json_object_get_uint64(json_object_object_get(j, "max")) ==
	      100 + NGUARD_CT_A_MAX_ENTRIES);
	CHECK(json_object_get_uint64(json_object_object_get(j, "evict_halfopen")) ==
	      1000000000000ULL + NGUARD_CT_A_EVICT_HALFOPEN);
	CHECK(json_object_get_uint64(json_object_object_get(j, "pruned")) ==
	      1000000000000ULL + NGUARD_CT_A_PRUNED);
	json_object_put(j);
	nlmsg_free(m);
	for (t = NGUARD_CT_A_COUNT; t <= NGUARD_CT_A_MAX; t++) {
		m = nlmsg_alloc();
		if (ng_conntab_parse(build_ct(m, t, -1), &ct) == 0)
			fprintf(stderr, "conntab attribute %d: wrong size accepted\n", t), ng_test_failures++;
		nlmsg_free(m);
		if (t == NGUARD_CT_A_SOURCES)
			continue;	/* optional, below */
		m = nlmsg_alloc();
		if (ng_conntab_parse(build_ct(m, -1, t), &ct) == 0)
			fprintf(stderr, "conntab attribute %d: missing, accepted\n", t), ng_test_failures++;
		nlmsg_free(m);
	}
	/* SOURCES may be missing (a module before "limit source"): JSON null. */
	m = nlmsg_alloc();
	CHECK(ng_conntab_parse(build_ct(m, -1, NGUARD_CT_A_SOURCES), &ct) == 0);
	CHECK(!ct.has_sources && ct.sources == 0 && ct.count == 100 + NGUARD_CT_A_COUNT);
	CHECK(ct.cnt[NG_CT_COUNTERS - 1] == 1000000000000ULL + NGUARD_CT_A_PRUNED);
	j = ng_conntab_json(&ct);
	CHECK(json_object_object_length(j) == 6 + NG_CT_COUNTERS);
	CHECK(json_object_object_get_ex(j, "sources", &v) && v == NULL);
	json_object_put(j);
	nlmsg_free(m);
	CHECK(ng_conntab_parse(NULL, &ct) < 0);
	m = nlmsg_alloc();	/* an empty nest */
	nla_nest_end_keep_empty(m, nla_nest_start(m, NGUARD_A_CONNTAB));
	CHECK(nla_type(nlmsg_attrdata(nlmsg_hdr(m), 0)) == NGUARD_A_CONNTAB);
	CHECK(ng_conntab_parse(nlmsg_attrdata(nlmsg_hdr(m), 0), &ct) < 0);
	nlmsg_free(m);
	proc_counter();
	return CHECK_DONE();
}
