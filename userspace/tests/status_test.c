// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for status.c: reply parsing, JSON and text rendering. */
#include <stdlib.h>
#include <netlink/genl/genl.h>
#include "check.h"
#include "status.h"
#include "version.h"

int main(void)
{
	struct ng_status st, back;
	struct nl_msg *m;
	struct nlattr *nest;
	json_object *j, *v;
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	unsigned int i;

	/* A reply as the kernel builds it parses back to the same values. */
	m = nlmsg_alloc();
	genlmsg_put(m, 0, 0, 20, 0, 0, NGUARD_CMD_GET_STATUS, NGUARD_GENL_VERSION);
	nla_put_string(m, NGUARD_A_VERSION, "9.8.7");
	nla_put_u64(m, NGUARD_A_POLICY_GEN, 42);
	nest = nla_nest_start(m, NGUARD_A_STATS);
	for (i = 0; i < NGUARD_CNT_MAX; i++)
		nla_put_u64(m, NGUARD_STATS_A_FIRST_COUNTER + i, 1000 + i);
	nla_nest_end(m, nest);
	CHECK(ng_status_parse(m, &st) == 0);
	CHECK_STR(st.version, "9.8.7");
	CHECK(st.policy_gen == 42);
	CHECK(st.counters.cnt[NGUARD_CNT_IPV6_IN_BYTES] == 1000 + NGUARD_CNT_IPV6_IN_BYTES);
	nlmsg_free(m);

	/* A reply without counters is rejected. */
	m = nlmsg_alloc();
	genlmsg_put(m, 0, 0, 20, 0, 0, NGUARD_CMD_GET_STATUS, NGUARD_GENL_VERSION);
	nla_put_string(m, NGUARD_A_VERSION, "9.8.7");
	nla_put_u64(m, NGUARD_A_POLICY_GEN, 42);
	CHECK(ng_status_parse(m, &back) != 0);
	nlmsg_free(m);

	/* JSON: every key present with the right value and type. */
	st.counters.cnt[NGUARD_CNT_IPV4_IN_BYTES] = UINT64_MAX;
	j = ng_status_json(&st);
	CHECK(json_object_object_get_ex(j, "module", &v));
	CHECK_STR(json_object_get_string(json_object_object_get(v, "version")), "9.8.7");
	CHECK_STR(json_object_get_string(json_object_object_get(
		json_object_object_get(j, "tool"), "version")), NGUARD_VERSION);
	CHECK(json_object_get_uint64(json_object_object_get(
		json_object_object_get(j, "policy"), "generation")) == 42);
	CHECK(json_object_object_get_ex(j, "counters", &v));
	CHECK(json_object_object_length(v) == NGUARD_CNT_MAX);
	CHECK(json_object_get_uint64(json_object_object_get(v, "ipv4_in_bytes")) == UINT64_MAX);
	CHECK(json_object_get_uint64(json_object_object_get(v, "ipv6_out_packets")) ==
	      1000 + NGUARD_CNT_IPV6_OUT_PACKETS);
	json_object_put(j);

	/* Text: generation line and a human byte column. */
	f = open_memstream(&text, &len);
	ng_status_print(f, &st);
	fclose(f);
	CHECK(strstr(text, "policy: generation 42\n") != NULL);
	CHECK(strstr(text, "nguard 9.8.7 (nguardctl " NGUARD_VERSION ")") != NULL);
	CHECK(strstr(text, "15.9 EiB") != NULL);
	free(text);
	st.policy_gen = 0;
	f = open_memstream(&text, &len);
	ng_status_print(f, &st);
	fclose(f);
	CHECK(strstr(text, "none (pass-through)") != NULL);
	free(text);
	return CHECK_DONE();
}
