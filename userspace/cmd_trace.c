// SPDX-License-Identifier: GPL-2.0-only
/*
 * `nguardctl trace SRC DST [PROTO [DPORT]] [--json]`: the question from
 * the command line, the kernel's answer from trace.c, printed.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "nl.h"
#include "output.h"
#include "trace.h"

static int ng_parse_proto(const char *s, uint8_t *proto)
{
	static const struct { const char *name; uint8_t num; } names[] = {
		{ "tcp", 6 }, { "udp", 17 }, { "icmp", 1 }, { "icmpv6", 58 },
		{ "sctp", 132 }, { "udplite", 136 },
	};
	char *end;
	unsigned long v;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i].name)) {
			*proto = names[i].num;
			return 0;
		}
	v = strtoul(s, &end, 10);
	if (!*s || *end || v > 255)
		return -1;
	*proto = v;
	return 0;
}


int cmd_trace(int argc, char **argv)
{
	unsigned char dst[16];
	const char *pos[4] = { 0 };
	struct ng_trace t = { 0 };
	int npos = 0, json = 0, i, rc;
	uint8_t proto = 0;
	uint16_t dport = 0;
	struct ng_nl nl;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json") || !strcmp(argv[i], "-j"))
			json = 1;
		else if (npos < 4)
			pos[npos++] = argv[i];
		else
			return ng_usage_error("trace: too many arguments");
	}
	if (npos < 2)
		return ng_usage_error("trace: usage: nguardctl trace SRC DST [PROTO [DPORT]]");
	if (inet_pton(AF_INET, pos[0], t.src_addr) == 1 && inet_pton(AF_INET, pos[1], dst) == 1)
		t.src_len = 4;
	else if (inet_pton(AF_INET6, pos[0], t.src_addr) == 1 &&
		 inet_pton(AF_INET6, pos[1], dst) == 1)
		t.src_len = 16;
	else
		return ng_usage_error("trace: SRC and DST must be two IPv4 or two IPv6 addresses");
	if (pos[2] && ng_parse_proto(pos[2], &proto))
		return ng_usage_error("trace: unknown protocol '%s' (tcp, udp, icmp, icmpv6, or 0..255)",
				      pos[2]);
	if (pos[3]) {
		char *end;
		unsigned long v = strtoul(pos[3], &end, 10);

		if (!*pos[3] || *end || v > 65535)
			return ng_usage_error("trace: bad port '%s'", pos[3]);
		dport = v;
	}

	rc = ng_nl_open(&nl);
	if (rc)
		return rc;
	ng_policy_init(&t.rule);
	t.src = pos[0];
	t.dst = pos[1];
	t.proto = proto;
	t.dport = dport;
	rc = ng_trace_run(&nl, &t, dst);
	ng_nl_close(&nl);
	if (!rc && json)
		rc = ng_print_json(ng_trace_json(&t));
	else if (!rc)
		ng_trace_print(stdout, &t);
	ng_policy_free(&t.rule);
	return rc;
}
