// SPDX-License-Identifier: GPL-2.0-only
/*
 * `nguardctl show [--json]` and `nguardctl save FILE`: dump the live
 * policy (POLICY_GET) back into the same in-memory model the parser
 * builds, then print it as a policy file (which applies to the same
 * policy) or as JSON.
 */
#include <arpa/inet.h>
#include <string.h>
#include <netlink/genl/genl.h>
#include "exitcodes.h"
#include "nl.h"
#include "output.h"
#include "policy.h"
#include "show.h"

struct ng_dump {
	struct ng_policy *p;
	uint64_t gen;
	int bad;
};

static struct ng_segment *ng_seg_by_id(struct ng_policy *p, unsigned int id)
{
	return id >= 1 && id <= p->n_segs ? &p->segs[id - 1] : NULL;
}

static int ng_dump_segment(struct ng_dump *d, struct nlattr *nest)
{
	struct nlattr *a, *id_attr = NULL;
	struct ng_segment *seg = NULL;
	int rem;

	nla_for_each_nested(a, nest, rem) {
		switch (nla_type(a)) {
		case NGUARD_SEG_A_ID:
			id_attr = a;
			seg = ng_seg_by_id(d->p, nla_get_u16(a));
			break;
		case NGUARD_SEG_A_NAME:
			if (!id_attr || nla_get_u16(id_attr) != d->p->n_segs + 1)
				return -1;
			seg = ng_policy_add_segment(d->p, nla_data(a), strlen(nla_data(a)));
			if (!seg)
				return -1;
			break;
		case NGUARD_SEG_A_PREFIX4: {
			const struct nguard_prefix4 *x = nla_data(a);
			int i, n = nla_len(a) / sizeof(*x);

			for (i = 0; seg && i < n; i++)
				if (ng_segment_add_v4(seg, ntohl(x[i].addr), x[i].plen))
					return -1;
			break;
		}
		case NGUARD_SEG_A_PREFIX6: {
			const struct nguard_prefix6 *x = nla_data(a);
			int i, n = nla_len(a) / sizeof(*x);

			for (i = 0; seg && i < n; i++)
				if (ng_segment_add_v6(seg, x[i].addr, x[i].plen))
					return -1;
			break;
		}
		case NGUARD_SEG_A_IFACE:
			if (seg && ng_segment_add_iface(seg, nla_data(a), strlen(nla_data(a))))
				return -1;
			break;
		}
	}
	return seg ? 0 : -1;
}

int ng_rule_from_attr(struct ng_policy *p, struct nlattr *nest, uint32_t *index)
{
	struct nlattr *tb[NGUARD_RULE_A_MAX + 1];
	struct ng_rule *r;
	size_t i, n;

	if (nla_parse_nested(tb, NGUARD_RULE_A_MAX, nest, NULL) < 0 ||
	    !tb[NGUARD_RULE_A_ACTION] || !tb[NGUARD_RULE_A_SRC] || !tb[NGUARD_RULE_A_DST])
		return -1;
	r = ng_policy_add_rule(p);
	if (!r)
		return -1;
	r->action = nla_get_u8(tb[NGUARD_RULE_A_ACTION]);
	r->src = nla_get_u16(tb[NGUARD_RULE_A_SRC]);
	r->dst = nla_get_u16(tb[NGUARD_RULE_A_DST]);
	r->log = tb[NGUARD_RULE_A_FLAGS] &&
		 (nla_get_u32(tb[NGUARD_RULE_A_FLAGS]) & NGUARD_RULE_LOG);
	r->line = tb[NGUARD_RULE_A_LINE] ? nla_get_u32(tb[NGUARD_RULE_A_LINE]) : 0;
	if (tb[NGUARD_RULE_A_TEXT])
		r->text = strdup(nla_data(tb[NGUARD_RULE_A_TEXT]));
	if (index)
		*index = tb[NGUARD_RULE_A_INDEX] ? nla_get_u32(tb[NGUARD_RULE_A_INDEX]) : 0;
	if (tb[NGUARD_RULE_A_MATCHES]) {
		const struct nguard_match *m = nla_data(tb[NGUARD_RULE_A_MATCHES]);

		n = nla_len(tb[NGUARD_RULE_A_MATCHES]) / sizeof(*m);
		for (i = 0; i < n; i++) {
			struct ng_term t = {
				.proto = m[i].proto,
				.any_proto = !!(m[i].flags & NGUARD_MATCH_ANY_PROTO),
				.port_lo = m[i].port_lo,
				.port_hi = m[i].port_hi,
			};
			if (ng_rule_add_term(r, &t))
				return -1;
		}
	}
	return 0;
}

static int on_dump(struct nl_msg *msg, void *arg)
{
	struct ng_dump *d = arg;
	struct nlattr *a;
	int rem;

	nla_for_each_attr(a, genlmsg_attrdata(nlmsg_data(nlmsg_hdr(msg)), 0),
			  genlmsg_attrlen(nlmsg_data(nlmsg_hdr(msg)), 0), rem) {
		switch (nla_type(a)) {
		case NGUARD_A_POLICY_GEN:
			d->gen = nla_get_u64(a);
			break;
		case NGUARD_A_MODE:
			d->p->mode = nla_get_u8(a);
			break;
		case NGUARD_A_DEFAULT:
			d->p->def = nla_get_u8(a);
			break;
		case NGUARD_A_CONNS_MAX:
			d->p->conns_max = nla_get_u32(a);
			break;
		case NGUARD_A_SEGMENT:
			d->bad |= ng_dump_segment(d, a);
			break;
		case NGUARD_A_RULE:
			d->bad |= ng_rule_from_attr(d->p, a, NULL);
			break;
		}
	}
	return 0;
}

int ng_policy_fetch(struct ng_nl *nl, struct ng_policy *p, uint64_t *gen)
{
	struct ng_dump d = { .p = p };
	struct nl_msg *m;
	int rc;

	ng_policy_init(p);
	m = ng_nl_msg(nl, NGUARD_CMD_POLICY_GET, NLM_F_DUMP);
	rc = m ? ng_nl_transact(nl, m, on_dump, &d) : NG_EXIT_ERROR;
	if (!rc && d.bad) {
		fprintf(stderr, "nguardctl: unexpected policy dump from kernel module (version mismatch?)\n");
		rc = NG_EXIT_ERROR;
	}
	*gen = d.gen;
	return rc;
}

static json_object *ng_policy_json(const struct ng_policy *p, uint64_t gen)
{
	json_object *root = json_object_new_object(), *segs, *rules;
	char buf[INET6_ADDRSTRLEN + 8], a[INET6_ADDRSTRLEN];
	size_t i, k;

	json_object_object_add(root, "generation", json_object_new_uint64(gen));
	if (!gen)
		return root;
	json_object_object_add(root, "mode", json_object_new_string(
		p->mode == NG_MODE_MONITOR ? "monitor" : "enforce"));
	json_object_object_add(root, "default", json_object_new_string(
		p->def == NG_ALLOW ? "allow" : "deny"));
	json_object_object_add(root, "conns_max", json_object_new_uint64(p->conns_max));
	segs = json_object_new_array();
	for (i = 0; i < p->n_segs; i++) {
		const struct ng_segment *s = &p->segs[i];
		json_object *o = json_object_new_object(), *pf = json_object_new_array();
		json_object *ifs = json_object_new_array();

		for (k = 0; k < s->n_v4; k++) {
			uint32_t be = htonl(s->v4[k].addr);

			inet_ntop(AF_INET, &be, a, sizeof(a));
			snprintf(buf, sizeof(buf), "%s/%u", a, s->v4[k].len);
			json_object_array_add(pf, json_object_new_string(buf));
		}
		for (k = 0; k < s->n_v6; k++) {
			inet_ntop(AF_INET6, s->v6[k].addr, a, sizeof(a));
			snprintf(buf, sizeof(buf), "%s/%u", a, s->v6[k].len);
			json_object_array_add(pf, json_object_new_string(buf));
		}
		for (k = 0; k < s->n_ifaces; k++)
			json_object_array_add(ifs, json_object_new_string(s->ifaces[k]));
		json_object_object_add(o, "id", json_object_new_int(s->id));
		json_object_object_add(o, "name", json_object_new_string(s->name));
		json_object_object_add(o, "prefixes", pf);
		json_object_object_add(o, "ifaces", ifs);
		json_object_array_add(segs, o);
	}
	json_object_object_add(root, "segments", segs);
	rules = json_object_new_array();
	for (i = 0; i < p->n_rules; i++) {
		const struct ng_rule *r = &p->rules[i];
		json_object *o = json_object_new_object(), *terms = json_object_new_array();

		for (k = 0; k < r->n_terms; k++) {
			json_object *t = json_object_new_object();
			const char *pn = ng_proto_name(r->terms[k].proto);

			if (r->terms[k].any_proto)
				json_object_object_add(t, "proto", json_object_new_string("any"));
			else if (pn)
				json_object_object_add(t, "proto", json_object_new_string(pn));
			else
				json_object_object_add(t, "proto", json_object_new_int(r->terms[k].proto));
			json_object_object_add(t, "port_lo", json_object_new_int(r->terms[k].port_lo));
			json_object_object_add(t, "port_hi", json_object_new_int(r->terms[k].port_hi));
			json_object_array_add(terms, t);
		}
		json_object_object_add(o, "index", json_object_new_uint64(i));
		json_object_object_add(o, "action", json_object_new_string(
			r->action == NG_ALLOW ? "allow" : "deny"));
		json_object_object_add(o, "src", json_object_new_string(ng_policy_seg_name(p, r->src)));
		json_object_object_add(o, "dst", json_object_new_string(ng_policy_seg_name(p, r->dst)));
		json_object_object_add(o, "terms", terms);
		json_object_object_add(o, "log", json_object_new_boolean(r->log));
		json_object_object_add(o, "line", json_object_new_int(r->line));
		json_object_object_add(o, "text", json_object_new_string(r->text ? r->text : ""));
		json_object_array_add(rules, o);
	}
	json_object_object_add(root, "rules", rules);
	return root;
}

static int ng_show_to(FILE *f, int json)
{
	struct ng_policy p;
	uint64_t gen = 0;
	struct ng_nl nl;
	int rc = ng_nl_open(&nl);

	if (rc)
		return rc;
	rc = ng_policy_fetch(&nl, &p, &gen);
	ng_nl_close(&nl);
	if (!rc && json) {
		rc = ng_print_json(ng_policy_json(&p, gen));
	} else if (!rc && !gen) {
		fprintf(f, "# nguard: no policy loaded (pass-through)\n");
	} else if (!rc) {
		fprintf(f, "# nguard policy, generation %llu\n", (unsigned long long)gen);
		ng_policy_print(f, &p);
	}
	ng_policy_free(&p);
	return rc;
}

int cmd_show(int argc, char **argv)
{
	int json = 0, i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json") || !strcmp(argv[i], "-j"))
			json = 1;
		else
			return ng_usage_error("show: unknown option '%s'", argv[i]);
	}
	return ng_show_to(stdout, json);
}
