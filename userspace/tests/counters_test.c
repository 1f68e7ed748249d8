// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for counters.c: names, nest parsing, malformed input. */
#include <netlink/msg.h>
#include "check.h"
#include "counters.h"

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

int main(void)
{
	struct ng_counters c;
	struct nl_msg *m;
	unsigned int i;

	CHECK_STR(ng_counter_name(NGUARD_CNT_IPV4_IN_PACKETS), "ipv4_in_packets");
	CHECK_STR(ng_counter_name(NGUARD_CNT_IPV6_OUT_BYTES), "ipv6_out_bytes");
	CHECK_STR(ng_counter_name(NGUARD_CNT_MAX), "unknown");

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
	return CHECK_DONE();
}
