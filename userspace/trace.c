// SPDX-License-Identifier: GPL-2.0-only
/*
 * `nguardctl trace SRC DST [PROTO [DPORT]] [--json]`: the kernel judges a
 * hypothetical packet against the live policy with the same classifier
 * and rule index the packet path uses, and says which segments, which
 * rule (or the default) and which verdict, and whether the source is
 * exempt from quarantine.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/genl/genl.h>
#include "exitcodes.h"
#include "nl.h"
#include "output.h"
#include "policy.h"
#include "show.h"
#include "trace.h"

int ng_trace_reply(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[NGUARD_A_MAX + 1], *tt[NGUARD_TRACE_A_MAX + 1];
	struct ng_trace *t = arg;
	uint8_t exempt = 0;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, NGUARD_A_MAX, NULL) < 0 ||
	    !tb[NGUARD_A_TRACE] || !tb[NGUARD_A_POLICY_GEN] ||
	    nla_parse_nested(tt, NGUARD_TRACE_A_MAX, tb[NGUARD_A_TRACE], NULL) < 0 ||
	    !tt[NGUARD_TRACE_A_SRC_NAME] || !tt[NGUARD_TRACE_A_DST_NAME] ||
	    !tt[NGUARD_TRACE_A_VERDICT] ||
	    (tt[NGUARD_TRACE_A_SRC_EXEMPT] && ng_nla_u8(tt[NGUARD_TRACE_A_SRC_EXEMPT], &exempt)))
		goto bad;
	t->gen = nla_get_u64(tb[NGUARD_A_POLICY_GEN]);
	nla_strlcpy(t->src_name, tt[NGUARD_TRACE_A_SRC_NAME], sizeof(t->src_name));
	nla_strlcpy(t->dst_name, tt[NGUARD_TRACE_A_DST_NAME], sizeof(t->dst_name));
	t->verdict = nla_get_u8(tt[NGUARD_TRACE_A_VERDICT]);
	t->src_exempt = exempt != 0;
	if (tt[NGUARD_TRACE_A_RULE]) {
		struct nlattr *r = nla_data(tt[NGUARD_TRACE_A_RULE]);

		if (nla_type(r) != NGUARD_A_RULE ||
		    ng_rule_from_attr(&t->rule, r, &t->rule_index))
			goto bad;
		t->has_rule = true;
	}
	return 0;
bad:
	fprintf(stderr, "nguardctl: unexpected trace reply from kernel module (version mismatch?)\n");
	return NG_EXIT_ERROR;
}

json_object *ng_trace_json(const struct ng_trace *t)
{
	const struct ng_rule *r = t->has_rule ? &t->rule.rules[0] : NULL;
	json_object *o = json_object_new_object();

	json_object_object_add(o, "generation", json_object_new_uint64(t->gen));
	json_object_object_add(o, "src", json_object_new_string(t->src));
	json_object_object_add(o, "dst", json_object_new_string(t->dst));
	json_object_object_add(o, "proto", json_object_new_int(t->proto));
	json_object_object_add(o, "dport", json_object_new_int(t->dport));
	json_object_object_add(o, "src_segment", json_object_new_string(t->src_name));
	json_object_object_add(o, "dst_segment", json_object_new_string(t->dst_name));
	json_object_object_add(o, "rule", r ? json_object_new_int64(t->rule_index) : NULL);
	json_object_object_add(o, "rule_line", r ? json_object_new_int(r->line) : NULL);
	json_object_object_add(o, "rule_text", r ?
			       json_object_new_string(r->text ? r->text : "") : NULL);
	json_object_object_add(o, "verdict", json_object_new_string(
		t->verdict == NGUARD_VERDICT_ALLOW ? "allow" : "deny"));
	json_object_object_add(o, "src_exempt", json_object_new_boolean(t->src_exempt));
	return o;
}

void ng_trace_print(FILE *f, const struct ng_trace *t)
{
	const struct ng_rule *r = t->has_rule ? &t->rule.rules[0] : NULL;

	fprintf(f, "source       %s  segment %s\n", t->src, t->src_name);
	fprintf(f, "destination  %s  segment %s\n", t->dst, t->dst_name);
	if (!t->gen)
		fprintf(f, "rule         none: no policy loaded (pass-through)\n");
	else if (r)
		fprintf(f, "rule         #%u (line %u): %s\n", t->rule_index, r->line,
			r->text ? r->text : "");
	else
		fprintf(f, "rule         none matched: default\n");
	fprintf(f, "verdict      %s\n", t->verdict == NGUARD_VERDICT_ALLOW ? "allow" : "deny");
	if (t->src_exempt)
		fprintf(f, "exempt       yes (never quarantined)\n");
}

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
	unsigned char src[16], dst[16];
	const char *pos[4] = { 0 };
	struct ng_trace t = { 0 };
	struct nlattr *nest;
	int npos = 0, json = 0, alen, i, rc;
	uint8_t proto = 0;
	uint16_t dport = 0;
	struct nl_msg *m;
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
	if (inet_pton(AF_INET, pos[0], src) == 1 && inet_pton(AF_INET, pos[1], dst) == 1)
		alen = 4;
	else if (inet_pton(AF_INET6, pos[0], src) == 1 && inet_pton(AF_INET6, pos[1], dst) == 1)
		alen = 16;
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
	m = ng_nl_msg(&nl, NGUARD_CMD_TRACE, 0);
	if (!m)
		rc = NG_EXIT_ERROR;
	if (m) {
		nest = nla_nest_start(m, NGUARD_A_TRACE);
		nla_put(m, NGUARD_TRACE_A_SRC, alen, src);
		nla_put(m, NGUARD_TRACE_A_DST, alen, dst);
		nla_put_u8(m, NGUARD_TRACE_A_PROTO, proto);
		nla_put_u16(m, NGUARD_TRACE_A_DPORT, dport);
		nla_nest_end(m, nest);
		rc = ng_nl_transact(&nl, m, ng_trace_reply, &t);
	}
	ng_nl_close(&nl);
	if (!rc && json)
		rc = ng_print_json(ng_trace_json(&t));
	else if (!rc)
		ng_trace_print(stdout, &t);
	ng_policy_free(&t.rule);
	return rc;
}
