// SPDX-License-Identifier: GPL-2.0-only
/*
 * The TRACE request of `nguardctl trace` (cmd_trace.c), its reply, and how
 * it is printed: the kernel judges a hypothetical packet against the live policy with the same classifier
 * and rule index the packet path uses, and says which segments, which
 * rule (or the default) and which verdict, and whether the source is
 * exempt from quarantine.
 *
 * With "limit source" in the policy the reply also counts the
 * connections the source holds; the limit itself, the IPv6 source prefix
 * length that names the source and the mode come from the policy's
 * settings, read with a POLICY_GET dump (segments, rules and exempt lines
 * skipped). Both requests must see the same policy generation: if an
 * apply comes in between, both are asked again.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/genl/genl.h>
#include "exitcodes.h"
#include "format.h"
#include "nl.h"
#include "policy.h"
#include "policy_dump.h"
#include "trace.h"

#define NG_TRACE_TRIES	5	/* rounds until the trace and the dump agree */

int ng_trace_reply(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[NGUARD_A_MAX + 1], *tt[NGUARD_TRACE_A_MAX + 1];
	struct ng_trace *t = arg;
	uint8_t exempt = 0;
	uint32_t conns = 0;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, NGUARD_A_MAX, NULL) < 0 ||
	    !tb[NGUARD_A_TRACE] || !tb[NGUARD_A_POLICY_GEN] ||
	    nla_parse_nested(tt, NGUARD_TRACE_A_MAX, tb[NGUARD_A_TRACE], NULL) < 0 ||
	    !tt[NGUARD_TRACE_A_SRC_NAME] || !tt[NGUARD_TRACE_A_DST_NAME] ||
	    !tt[NGUARD_TRACE_A_VERDICT] ||
	    (tt[NGUARD_TRACE_A_SRC_EXEMPT] && ng_nla_u8(tt[NGUARD_TRACE_A_SRC_EXEMPT], &exempt)) ||
	    (tt[NGUARD_TRACE_A_SRC_CONNS] && ng_nla_u32(tt[NGUARD_TRACE_A_SRC_CONNS], &conns)))
		goto bad;
	t->gen = nla_get_u64(tb[NGUARD_A_POLICY_GEN]);
	nla_strlcpy(t->src_name, tt[NGUARD_TRACE_A_SRC_NAME], sizeof(t->src_name));
	nla_strlcpy(t->dst_name, tt[NGUARD_TRACE_A_DST_NAME], sizeof(t->dst_name));
	t->verdict = nla_get_u8(tt[NGUARD_TRACE_A_VERDICT]);
	t->src_exempt = exempt != 0;
	t->has_src_conns = tt[NGUARD_TRACE_A_SRC_CONNS] != NULL;
	t->src_conns = conns;
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
	json_object_object_add(o, "source_conns", t->has_src_conns ?
			       json_object_new_uint64(t->src_conns) : NULL);
	json_object_object_add(o, "source_limit", t->has_src_conns ?
			       json_object_new_uint64(t->src_limit) : NULL);
	return o;
}

char *ng_trace_source(char *buf, size_t len, const struct ng_trace *t)
{
	unsigned int plen = t->src_prefix ? t->src_prefix : NG_IPV6_SRC_PREFIX_DEFAULT;
	uint8_t a[16] = { 0 };
	unsigned int i;

	if (t->src_len != 16) {
		snprintf(buf, len, "%s", t->src);
		return buf;
	}
	for (i = 0; i < 16; i++) {
		unsigned int bits = plen > i * 8 ? plen - i * 8 : 0;

		a[i] = bits >= 8 ? t->src_addr[i] :
		       (uint8_t)(t->src_addr[i] & (0xff00u >> bits));
	}
	return ng_fmt_prefix(buf, len, AF_INET6, a, plen);
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
	if (t->has_src_conns) {
		char who[INET6_ADDRSTRLEN + 8];

		ng_trace_source(who, sizeof(who), t);
		fprintf(f, "source limit %u of %u connections held by %s\n", t->src_conns,
			t->src_limit, who);
		if (t->verdict == NGUARD_VERDICT_ALLOW && t->src_conns >= t->src_limit) {
			if (t->mode == NGUARD_MODE_MONITOR)
				fprintf(f, "             a new connection from %s would be over the limit: passed and reported (mode monitor)\n",
					who);
			else
				fprintf(f, "             a new connection from %s would be dropped (drop_source_limit)\n",
					who);
		}
	}
}

/* One TRACE request for @t's question; the reply fills @t (rule reset first). */
static int ng_trace_ask(struct ng_nl *nl, struct ng_trace *t, const unsigned char *dst)
{
	struct nlattr *nest;
	struct nl_msg *m;

	ng_policy_free(&t->rule);
	ng_policy_init(&t->rule);
	t->has_rule = false;
	m = ng_nl_msg(nl, NGUARD_CMD_TRACE, 0);
	if (!m)
		return NG_EXIT_ERROR;
	nest = nla_nest_start(m, NGUARD_A_TRACE);
	nla_put(m, NGUARD_TRACE_A_SRC, t->src_len, t->src_addr);
	nla_put(m, NGUARD_TRACE_A_DST, t->src_len, dst);
	nla_put_u8(m, NGUARD_TRACE_A_PROTO, t->proto);
	nla_put_u16(m, NGUARD_TRACE_A_DPORT, t->dport);
	nla_nest_end(m, nest);
	return ng_nl_transact(nl, m, ng_trace_reply, t);
}

/*
 * The trace, and with "limit source" the settings of the same policy
 * generation (the limit, the IPv6 source prefix length, the mode).
 */
int ng_trace_run(struct ng_nl *nl, struct ng_trace *t, const unsigned char *dst)
{
	struct ng_policy p;
	struct ng_policy_dump d = { .p = &p, .settings_only = true };
	int rc, tries = 0;

	ng_policy_init(&p);
	do {
		ng_policy_free(&p);
		rc = ng_trace_ask(nl, t, dst);
		if (rc || !t->has_src_conns)
			return rc;
		rc = ng_policy_fetch_dump(nl, &d);
	} while (!rc && d.gen != t->gen && ++tries < NG_TRACE_TRIES);
	if (!rc && d.gen != t->gen) {
		fprintf(stderr, "nguardctl: the policy kept changing while tracing (generation %llu, then %llu); try again\n",
			(unsigned long long)t->gen, (unsigned long long)d.gen);
		rc = NG_EXIT_ERROR;
	} else if (!rc && !p.limit_source) {
		fprintf(stderr, "nguardctl: unexpected trace reply from kernel module: connections per source counted, but the policy has no 'limit source' (version mismatch?)\n");
		rc = NG_EXIT_ERROR;
	}
	t->src_limit = p.limit_source;
	t->src_prefix = p.ipv6_src_prefix;
	t->mode = p.mode;
	ng_policy_free(&p);
	return rc;
}
