// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for status.c: reply parsing, JSON and text rendering, malformed replies. */
#include <stdlib.h>
#include <netlink/genl/genl.h>
#include "check.h"
#include "status.h"
#include "version.h"

/* What build_reply() leaves out or gets wrong. */
enum {
	R_POLICY = 1 << 0,	/* add mode, applied, compile_ns */
	R_NO_STATS = 1 << 1,
	R_NO_CONNTAB = 1 << 2,
	R_SHORT_MODE = 1 << 3,	/* NGUARD_A_MODE as u16 */
	R_SHORT_APPLIED = 1 << 4,	/* NGUARD_A_POLICY_APPLIED as u32 */
	R_SHORT_CT = 1 << 5,	/* a conntab counter as u32 */
	R_LONG_VERSION = 1 << 6,	/* version longer than the model holds */
	R_SHORT_GEN = 1 << 7,	/* NGUARD_A_POLICY_GEN as u32 */
	R_NO_VERSION = 1 << 8,
	R_UNTERMINATED = 1 << 9,	/* version without its NUL */
	R_SOURCES = 1 << 10,	/* add NGUARD_CT_A_SOURCES ("limit source") */
	R_LONG_SOURCES = 1 << 11,	/* NGUARD_CT_A_SOURCES as u64 */
};

/* A GET_STATUS reply as the module builds it, bent by @flags. */
static struct nl_msg *build_reply(unsigned int flags, uint64_t gen)
{
	struct nl_msg *m = nlmsg_alloc();
	struct nlattr *nest;
	unsigned int i;
	int t;

	genlmsg_put(m, 0, 0, 20, 0, 0, NGUARD_CMD_GET_STATUS, NGUARD_GENL_VERSION);
	if (flags & R_LONG_VERSION)
		nla_put_string(m, NGUARD_A_VERSION, "0123456789012345678901234567890123456789");
	else if (flags & R_UNTERMINATED)
		nla_put(m, NGUARD_A_VERSION, 5, "9.8.7");
	else if (!(flags & R_NO_VERSION))
		nla_put_string(m, NGUARD_A_VERSION, "9.8.7");
	if (flags & R_SHORT_GEN)
		nla_put_u32(m, NGUARD_A_POLICY_GEN, (uint32_t)gen);
	else
		nla_put_u64(m, NGUARD_A_POLICY_GEN, gen);
	if (!(flags & R_NO_STATS)) {
		nest = nla_nest_start(m, NGUARD_A_STATS);
		for (i = 0; i < NGUARD_CNT_MAX; i++)
			nla_put_u64(m, NGUARD_STATS_A_FIRST_COUNTER + i, 1000 + i);
		nla_nest_end(m, nest);
	}
	if (!(flags & R_NO_CONNTAB)) {
		nest = nla_nest_start(m, NGUARD_A_CONNTAB);
		nla_put_u32(m, NGUARD_CT_A_COUNT, 12);
		nla_put_u32(m, NGUARD_CT_A_MAX_ENTRIES, 65536);
		nla_put_u32(m, NGUARD_CT_A_BUCKETS, 4096);
		nla_put_u32(m, NGUARD_CT_A_ESTABLISHED, 3);
		nla_put_u32(m, NGUARD_CT_A_ENTRY_SIZE, 192);
		for (t = NGUARD_CT_A_FIRST_COUNTER; t <= NGUARD_CT_A_LAST_COUNTER; t++) {
			if (t == NGUARD_CT_A_GC_FREED && (flags & R_SHORT_CT))
				nla_put_u32(m, t, 1);
			else
				nla_put_u64(m, t, 500 + t);
		}
		if (flags & R_SOURCES)
			nla_put_u32(m, NGUARD_CT_A_SOURCES, 7);
		if (flags & R_LONG_SOURCES)
			nla_put_u64(m, NGUARD_CT_A_SOURCES, 7);
		nla_nest_end(m, nest);
	}
	if (flags & R_POLICY) {
		if (flags & R_SHORT_MODE)
			nla_put_u16(m, NGUARD_A_MODE, NGUARD_MODE_MONITOR);
		else
			nla_put_u8(m, NGUARD_A_MODE, NGUARD_MODE_MONITOR);
		if (flags & R_SHORT_APPLIED)
			nla_put_u32(m, NGUARD_A_POLICY_APPLIED, 1714564800);
		else
			nla_put_u64(m, NGUARD_A_POLICY_APPLIED, 1714564800);	/* 2024-05-01 12:00 */
		nla_put_u64(m, NGUARD_A_POLICY_COMPILE_NS, 1234567);
	}
	return m;
}

/* Parsing the reply built with @flags fails, naming @attr on stderr. */
static void expect_reject(int line, unsigned int flags, const char *attr)
{
	struct nl_msg *m = build_reply(flags, 42);
	struct ng_status st;
	char *err;
	int rc;

	CAPTURE_STDERR(err, rc = ng_status_parse(m, &st));
	if (rc == 0 || !strstr(err, attr) || !strstr(err, "unexpected status reply")) {
		fprintf(stderr, "%s:%d: malformed reply 0x%x: rc %d, message '%s'\n",
			__FILE__, line, flags, rc, err);
		ng_test_failures++;
	}
	CHECK(st.version[0] == '\0');	/* nothing half-parsed survives */
	free(err);
	nlmsg_free(m);
}

static char *render(const struct ng_status *st)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	ng_status_print(f, st);
	fclose(f);
	return text;
}

int main(void)
{
	struct ng_status st, back;
	struct nl_msg *m;
	json_object *j, *v, *p;
	char *text;

	/* A reply as the kernel builds it parses back to the same values. */
	m = build_reply(R_POLICY, 42);
	CHECK(ng_status_parse(m, &st) == 0);
	CHECK_STR(st.version, "9.8.7");
	CHECK(st.policy_gen == 42);
	CHECK(st.counters.cnt[NGUARD_CNT_IPV6_IN_BYTES] == 1000 + NGUARD_CNT_IPV6_IN_BYTES);
	CHECK(st.counters.cnt[NGUARD_CNT_LOG_SUPPRESSED] == 1000 + NGUARD_CNT_LOG_SUPPRESSED);
	CHECK(st.mode == NGUARD_MODE_MONITOR);
	CHECK(st.has_applied && st.applied == 1714564800);
	CHECK(st.has_compile_ns && st.compile_ns == 1234567);
	CHECK(st.conntab.count == 12 && st.conntab.max == 65536 && st.conntab.established == 3);
	CHECK(st.conntab.cnt[NGUARD_CT_A_PRUNED - NGUARD_CT_A_FIRST_COUNTER] ==
	      500 + NGUARD_CT_A_PRUNED);
	nlmsg_free(m);

	/* Without a policy the module sends no mode, applied or compile time. */
	m = build_reply(0, 0);
	CHECK(ng_status_parse(m, &back) == 0);
	CHECK(back.mode == 0 && !back.has_applied && !back.has_compile_ns);
	nlmsg_free(m);

	/* Missing or wrongly sized attributes are rejected, not misread. */
	expect_reject(__LINE__, R_POLICY | R_NO_STATS, "NGUARD_A_STATS");
	expect_reject(__LINE__, R_POLICY | R_NO_CONNTAB, "NGUARD_A_CONNTAB");
	expect_reject(__LINE__, R_POLICY | R_SHORT_MODE, "NGUARD_A_MODE");
	expect_reject(__LINE__, R_POLICY | R_SHORT_APPLIED, "NGUARD_A_POLICY_APPLIED");
	expect_reject(__LINE__, R_POLICY | R_SHORT_CT, "NGUARD_A_CONNTAB");
	expect_reject(__LINE__, R_LONG_VERSION, "NGUARD_A_VERSION");
	expect_reject(__LINE__, R_SHORT_GEN, "NGUARD_A_POLICY_GEN");
	expect_reject(__LINE__, R_NO_VERSION, "NGUARD_A_VERSION");
	expect_reject(__LINE__, R_UNTERMINATED, "NGUARD_A_VERSION");
	expect_reject(__LINE__, R_POLICY | R_LONG_SOURCES, "NGUARD_A_CONNTAB");

	/* JSON: every key present with the right value and type. */
	st.counters.cnt[NGUARD_CNT_IPV4_IN_BYTES] = UINT64_MAX;
	j = ng_status_json(&st);
	CHECK(json_object_object_get_ex(j, "module", &v));
	CHECK_STR(json_object_get_string(json_object_object_get(v, "version")), "9.8.7");
	CHECK_STR(json_object_get_string(json_object_object_get(
		json_object_object_get(j, "tool"), "version")), NGUARD_VERSION);
	CHECK(json_object_object_get_ex(j, "policy", &p));
	CHECK(json_object_get_uint64(json_object_object_get(p, "generation")) == 42);
	CHECK_STR(json_object_get_string(json_object_object_get(p, "mode")), "monitor");
	CHECK(json_object_get_uint64(json_object_object_get(p, "applied")) == 1714564800);
	CHECK(json_object_get_uint64(json_object_object_get(p, "compile_ns")) == 1234567);
	CHECK(json_object_object_get_ex(j, "counters", &v));
	CHECK(json_object_object_length(v) == NGUARD_CNT_MAX);
	CHECK(json_object_get_uint64(json_object_object_get(v, "ipv4_in_bytes")) == UINT64_MAX);
	CHECK(json_object_get_uint64(json_object_object_get(v, "ipv6_out_packets")) ==
	      1000 + NGUARD_CNT_IPV6_OUT_PACKETS);
	CHECK(json_object_get_uint64(json_object_object_get(v, "drop_conns_full")) ==
	      1000 + NGUARD_CNT_DROP_CONNS_FULL);
	CHECK(json_object_object_get_ex(j, "conns", &v));
	CHECK(json_object_get_uint64(json_object_object_get(v, "count")) == 12);
	CHECK(json_object_get_uint64(json_object_object_get(v, "inserts")) ==
	      500 + NGUARD_CT_A_INSERTS);
	CHECK(json_object_object_get_ex(v, "sources", &p) && p == NULL);	/* not sent */
	json_object_put(j);

	/* No policy: generation 0 and nulls, whatever else the reply said. */
	j = ng_status_json(&back);
	p = json_object_object_get(j, "policy");
	CHECK(json_object_get_uint64(json_object_object_get(p, "generation")) == 0);
	CHECK(json_object_object_get_ex(p, "mode", &v) && v == NULL);
	CHECK(json_object_object_get_ex(p, "applied", &v) && v == NULL);
	CHECK(json_object_object_get_ex(p, "compile_ns", &v) && v == NULL);
	json_object_put(j);

	/* Text: generation line, verdict rows, a human byte column, the table. */
	text = render(&st);
	CHECK(strstr(text, "policy: generation 42, mode monitor, applied 2024-05-01 12:00:00 UTC\n") != NULL);
	CHECK(strstr(text, "nguard 9.8.7 (nguardctl " NGUARD_VERSION ")") != NULL);
	CHECK(strstr(text, "15.9 EiB") != NULL);
	CHECK(strstr(text, "\nallowed               1008       1009 B\n") != NULL);
	CHECK(strstr(text, "\ndropped               1010       1011 B\n") != NULL);
	CHECK(strstr(text, "connections: 12 of 65536, 3 established\n") != NULL);
	free(text);
	text = render(&back);
	CHECK(strstr(text, "policy: none (pass-through), generation 0\n") != NULL);
	CHECK(strstr(text, "mode") == NULL);
	free(text);

	/* "limit source": the sources holding counted connections, text and JSON. */
	m = build_reply(R_POLICY | R_SOURCES, 42);
	CHECK(ng_status_parse(m, &st) == 0);
	CHECK(st.conntab.has_sources && st.conntab.sources == 7);
	CHECK(st.counters.cnt[NGUARD_CNT_DROP_SOURCE_LIMIT] == 1000 + NGUARD_CNT_DROP_SOURCE_LIMIT);
	nlmsg_free(m);
	text = render(&st);
	CHECK(strstr(text, "connections: 12 of 65536, 3 established, sources 7\n") != NULL);
	free(text);
	j = ng_status_json(&st);
	v = json_object_object_get(j, "conns");
	CHECK(json_object_get_uint64(json_object_object_get(v, "sources")) == 7);
	v = json_object_object_get(j, "counters");
	CHECK(json_object_get_uint64(json_object_object_get(v, "drop_source_limit")) ==
	      1000 + NGUARD_CNT_DROP_SOURCE_LIMIT);
	json_object_put(j);
	return CHECK_DONE();
}
