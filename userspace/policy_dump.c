// SPDX-License-Identifier: GPL-2.0-only
/*
 * The live policy: a POLICY_GET dump decoded back into the same
 * in-memory model the parser builds (struct ng_policy, with the hit
 * counters of the rules), fetched over netlink, and printed as
 * `nguardctl show` and `save` print it: a policy file that applies to the
 * same policy. Used by show, save, stats, conns, trace and monitor.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/genl/genl.h>
#include "exitcodes.h"
#include "nl.h"
#include "policy.h"
#include "policy_dump.h"

static struct ng_segment *ng_seg_by_id(struct ng_policy *p, unsigned int id)
{
	return id >= 1 && id <= p->n_segs ? &p->segs[id - 1] : NULL;
}

/*
 * One NGUARD_A_SEGMENT chunk: ID first; NAME creates the next segment,
 * without it the members extend an existing one.
 */
static int ng_dump_segment(struct ng_policy_dump *d, struct nlattr *nest)
{
	struct ng_segment *seg = NULL;
	bool has_id = false;
	struct nlattr *a;
	const char *s;
	uint16_t id = 0;
	int rem;

	nla_for_each_nested(a, nest, rem) {
		switch (nla_type(a)) {
		case NGUARD_SEG_A_ID:
			if (ng_nla_u16(a, &id))
				return -1;
			has_id = true;
			seg = ng_seg_by_id(d->p, id);
			break;
		case NGUARD_SEG_A_NAME:
			s = ng_nla_str(a);
			if (!s || !has_id || id != d->p->n_segs + 1)
				return -1;
			seg = ng_policy_add_segment(d->p, s, strlen(s));
			if (!seg)
				return -1;
			break;
		case NGUARD_SEG_A_PREFIX4: {
			const struct nguard_prefix4 *x = nla_data(a);
			size_t i, n = nla_len(a) / sizeof(*x);

			if (!seg || nla_len(a) % sizeof(*x))
				return -1;
			for (i = 0; i < n; i++)
				if (ng_segment_add_v4(seg, ntohl(x[i].addr), x[i].plen))
					return -1;
			break;
		}
		case NGUARD_SEG_A_PREFIX6: {
			const struct nguard_prefix6 *x = nla_data(a);
			size_t i, n = nla_len(a) / sizeof(*x);

			if (!seg || nla_len(a) % sizeof(*x))
				return -1;
			for (i = 0; i < n; i++)
				if (ng_segment_add_v6(seg, x[i].addr, x[i].plen))
					return -1;
			break;
		}
		case NGUARD_SEG_A_IFACE:
			s = ng_nla_str(a);
			if (!seg || !s || ng_segment_add_iface(seg, s, strlen(s)))
				return -1;
			break;
		}
	}
	return seg ? 0 : -1;
}

int ng_rule_from_attr(struct ng_policy *p, struct nlattr *nest, uint32_t *index)
{
	struct nlattr *tb[NGUARD_RULE_A_MAX + 1];
	uint8_t action;
	uint16_t src, dst;
	uint32_t flags = 0, line = 0, idx = 0;
	uint64_t hits = 0;
	const char *text = NULL;
	const struct nguard_match *m = NULL;
	struct ng_rule *r;
	size_t i, n = 0;

	if (nla_parse_nested(tb, NGUARD_RULE_A_MAX, nest, NULL) < 0 ||
	    ng_nla_u8(tb[NGUARD_RULE_A_ACTION], &action) ||
	    ng_nla_u16(tb[NGUARD_RULE_A_SRC], &src) ||
	    ng_nla_u16(tb[NGUARD_RULE_A_DST], &dst) ||
	    (tb[NGUARD_RULE_A_FLAGS] && ng_nla_u32(tb[NGUARD_RULE_A_FLAGS], &flags)) ||
	    (tb[NGUARD_RULE_A_LINE] && ng_nla_u32(tb[NGUARD_RULE_A_LINE], &line)) ||
	    (tb[NGUARD_RULE_A_INDEX] && ng_nla_u32(tb[NGUARD_RULE_A_INDEX], &idx)) ||
	    (tb[NGUARD_RULE_A_HITS] && ng_nla_u64(tb[NGUARD_RULE_A_HITS], &hits)) ||
	    (tb[NGUARD_RULE_A_TEXT] && !(text = ng_nla_str(tb[NGUARD_RULE_A_TEXT]))))
		return -1;
	if (tb[NGUARD_RULE_A_MATCHES]) {
		if (nla_len(tb[NGUARD_RULE_A_MATCHES]) % sizeof(*m))
			return -1;
		m = nla_data(tb[NGUARD_RULE_A_MATCHES]);
		n = nla_len(tb[NGUARD_RULE_A_MATCHES]) / sizeof(*m);
	}
	r = ng_policy_add_rule(p);
	if (!r)
		return -1;
	r->action = action;
	r->src = src;
	r->dst = dst;
	r->log = flags & NGUARD_RULE_LOG;
	r->line = line;
	r->hits = hits;
	if (text && !(r->text = strdup(text)))
		return -1;
	if (index)
		*index = idx;
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
	return 0;
}

/* NGUARD_A_LIMIT_CONN: the buckets that are set. */
static int ng_limit_from_attr(struct ng_limit *l, struct nlattr *nest)
{
	struct nlattr *tb[NGUARD_LIMIT_A_MAX + 1];

	memset(l, 0, sizeof(*l));
	if (nla_parse_nested(tb, NGUARD_LIMIT_A_MAX, nest, NULL) < 0 ||
	    (tb[NGUARD_LIMIT_A_RATE] && ng_nla_u32(tb[NGUARD_LIMIT_A_RATE], &l->rate)) ||
	    (tb[NGUARD_LIMIT_A_BURST] && ng_nla_u32(tb[NGUARD_LIMIT_A_BURST], &l->burst)) ||
	    (tb[NGUARD_LIMIT_A_BYTES] && ng_nla_u64(tb[NGUARD_LIMIT_A_BYTES], &l->bytes)) ||
	    (tb[NGUARD_LIMIT_A_BYTES_BURST] &&
	     ng_nla_u64(tb[NGUARD_LIMIT_A_BYTES_BURST], &l->bytes_burst)))
		return -1;
	/* A missing burst is the module's default: the rate. */
	if (!l->rate)
		l->burst = 0;
	else if (!l->burst)
		l->burst = l->rate;
	if (!l->bytes)
		l->bytes_burst = 0;
	else if (!l->bytes_burst)
		l->bytes_burst = l->bytes;
	return 0;
}

/*
 * One NGUARD_A_DETECT: KIND and ACTION (known values), BLOCK_SECS with
 * action block, RATE for synflood are required; other parameters take
 * the module's defaults (which the parser's match), the scope "*".
 */
/* Bruteforce: the service's match terms (one protocol) into @x. */
static int dump_service(struct ng_detect *x, const struct nlattr *a)
{
	const struct nguard_match *t;
	size_t i, n;

	if (!a || !nla_len(a) || nla_len(a) % sizeof(*t))
		return -1;
	t = nla_data(a);
	n = (size_t)nla_len(a) / sizeof(*t);
	if (n > NGUARD_MAX_DETECT_PORTS)
		return -1;
	for (i = 0; i < n; i++) {
		if (t[i].proto != t[0].proto || t[i].port_lo > t[i].port_hi)
			return -1;
		x->ports[i].lo = t[i].port_lo;
		x->ports[i].hi = t[i].port_hi;
	}
	x->proto = t[0].proto;
	x->n_ports = (uint8_t)n;
	return 0;
}

static int ng_detect_from_attr(struct ng_policy *p, struct nlattr *nest)
{
	struct nlattr *tb[NGUARD_DETECT_A_MAX + 1];
	struct ng_detect x = { .from = NG_SEG_ANY, .to = NG_SEG_ANY };
	struct ng_detect *d;
	uint32_t line = 0;

	if (nla_parse_nested(tb, NGUARD_DETECT_A_MAX, nest, NULL) < 0 ||
	    ng_nla_u8(tb[NGUARD_DETECT_A_KIND], &x.kind) ||
	    ng_nla_u8(tb[NGUARD_DETECT_A_ACTION], &x.action) ||
	    (tb[NGUARD_DETECT_A_FROM] && ng_nla_u16(tb[NGUARD_DETECT_A_FROM], &x.from)) ||
	    (tb[NGUARD_DETECT_A_TO] && ng_nla_u16(tb[NGUARD_DETECT_A_TO], &x.to)) ||
	    (tb[NGUARD_DETECT_A_LINE] && ng_nla_u32(tb[NGUARD_DETECT_A_LINE], &line)))
		return -1;
	if (x.kind < NG_DET_SYNFLOOD || x.kind > NG_DET_BRUTEFORCE || x.kind == NG_DET_MANUAL ||
	    x.action < NG_ACT_LOG || x.action > NG_ACT_BLOCK)
		return -1;
	if (x.action == NG_ACT_BLOCK &&
	    (ng_nla_u32(tb[NGUARD_DETECT_A_BLOCK_SECS], &x.block_secs) || !x.block_secs))
		return -1;
	switch (x.kind) {
	case NG_DET_SYNFLOOD:
		if (ng_nla_u32(tb[NGUARD_DETECT_A_RATE], &x.rate) || !x.rate ||
		    (tb[NGUARD_DETECT_A_BURST] && ng_nla_u32(tb[NGUARD_DETECT_A_BURST], &x.burst)))
			return -1;
		if (!x.burst)
			x.burst = x.rate;	/* the module's default */
		break;
	case NG_DET_PORTSCAN:
		x.weight = NG_PORTSCAN_WEIGHT;
		x.window_ms = NG_PORTSCAN_WINDOW_MS;
		break;
	case NG_DET_SWEEP:
		x.hosts = NG_SWEEP_HOSTS;
		x.window_ms = NG_SWEEP_WINDOW_MS;
		break;
	case NG_DET_BRUTEFORCE:
		x.hits = NG_BRUTE_HITS;
		x.window_ms = NG_BRUTE_WINDOW_MS;
		if (dump_service(&x, tb[NGUARD_DETECT_A_MATCHES]) ||
		    (tb[NGUARD_DETECT_A_HITS] && ng_nla_u32(tb[NGUARD_DETECT_A_HITS], &x.hits)))
			return -1;
		break;
	}
	if (x.kind == NG_DET_PORTSCAN && tb[NGUARD_DETECT_A_WEIGHT] &&
	    ng_nla_u32(tb[NGUARD_DETECT_A_WEIGHT], &x.weight))
		return -1;
	if (x.kind == NG_DET_SWEEP && tb[NGUARD_DETECT_A_HOSTS] &&
	    ng_nla_u32(tb[NGUARD_DETECT_A_HOSTS], &x.hosts))
		return -1;
	if ((x.kind == NG_DET_PORTSCAN || x.kind == NG_DET_SWEEP || x.kind == NG_DET_BRUTEFORCE) &&
	    tb[NGUARD_DETECT_A_WINDOW_MS] &&
	    ng_nla_u32(tb[NGUARD_DETECT_A_WINDOW_MS], &x.window_ms))
		return -1;
	d = ng_policy_add_detect(p);
	if (!d)
		return -1;
	*d = x;
	d->line = line;
	return 0;
}

/* A packed prefix array attribute into @e; -1 if not whole elements. */
static int ng_exempt_prefixes(struct ng_exempt *e, const struct nlattr *a, int family)
{
	size_t i, sz = family == 4 ? sizeof(struct nguard_prefix4) :
				     sizeof(struct nguard_prefix6);
	const unsigned char *x = nla_data(a);

	if (nla_len(a) % sz)
		return -1;
	for (i = 0; i < nla_len(a) / sz; i++, x += sz) {
		struct nguard_prefix4 p4;
		struct nguard_prefix6 p6;

		if (family == 4) {
			memcpy(&p4, x, sz);
			if (ng_exempt_add_v4(e, ntohl(p4.addr), p4.plen))
				return -1;
		} else {
			memcpy(&p6, x, sz);
			if (ng_exempt_add_v6(e, p6.addr, p6.plen))
				return -1;
		}
	}
	return 0;
}

/*
 * One NGUARD_A_EXEMPT: SEGMENT ids (never world or "*"), PREFIX4/PREFIX6
 * arrays, LINE; at least one member. A nest with the line of the exempt
 * line before it extends that line: the module may send a line's members
 * in several nests.
 */
static int ng_exempt_from_attr(struct ng_policy *p, struct nlattr *nest)
{
	struct nlattr *tb[NGUARD_EXEMPT_A_MAX + 1], *a;
	struct ng_exempt *e;
	uint32_t line = 0;
	uint16_t id;
	int rem;

	if (nla_parse_nested(tb, NGUARD_EXEMPT_A_MAX, nest, NULL) < 0 ||
	    (tb[NGUARD_EXEMPT_A_LINE] && ng_nla_u32(tb[NGUARD_EXEMPT_A_LINE], &line)) ||
	    (!tb[NGUARD_EXEMPT_A_SEGMENT] && !tb[NGUARD_EXEMPT_A_PREFIX4] &&
	     !tb[NGUARD_EXEMPT_A_PREFIX6]))
		return -1;
	if (line && p->n_exempts && p->exempts[p->n_exempts - 1].line == line)
		e = &p->exempts[p->n_exempts - 1];
	else if (!(e = ng_policy_add_exempt(p)))
		return -1;
	e->line = line;
	nla_for_each_nested(a, nest, rem) {
		switch (nla_type(a)) {
		case NGUARD_EXEMPT_A_SEGMENT:
			if (ng_nla_u16(a, &id) || id == NG_SEG_WORLD || id == NG_SEG_ANY ||
			    ng_exempt_add_seg(e, id))
				return -1;
			break;
		case NGUARD_EXEMPT_A_PREFIX4:
		case NGUARD_EXEMPT_A_PREFIX6:
			if (ng_exempt_prefixes(e, a, nla_type(a) == NGUARD_EXEMPT_A_PREFIX4 ? 4 : 6))
				return -1;
			break;
		}
	}
	return e->n_segs || e->n_v4 || e->n_v6 ? 0 : -1;
}

static const char *ng_dump_attr(struct ng_policy_dump *d, struct nlattr *a)
{
	uint8_t v8;

	if (d->settings_only && (nla_type(a) == NGUARD_A_SEGMENT || nla_type(a) == NGUARD_A_RULE ||
				 nla_type(a) == NGUARD_A_EXEMPT))
		return NULL;
	switch (nla_type(a)) {
	case NGUARD_A_POLICY_GEN:
		return ng_nla_u64(a, &d->gen) ? "NGUARD_A_POLICY_GEN" : NULL;
	case NGUARD_A_MODE:
		if (ng_nla_u8(a, &v8))
			return "NGUARD_A_MODE";
		d->p->mode = v8;
		return NULL;
	case NGUARD_A_DEFAULT:
		if (ng_nla_u8(a, &v8))
			return "NGUARD_A_DEFAULT";
		d->p->def = v8;
		return NULL;
	case NGUARD_A_CONNS_MAX:
		return ng_nla_u32(a, &d->p->conns_max) ? "NGUARD_A_CONNS_MAX" : NULL;
	case NGUARD_A_TRACKERS_MAX:
		return ng_nla_u32(a, &d->p->trackers_max) ? "NGUARD_A_TRACKERS_MAX" : NULL;
	case NGUARD_A_BLOCKED_MAX:
		return ng_nla_u32(a, &d->p->blocked_max) ? "NGUARD_A_BLOCKED_MAX" : NULL;
	case NGUARD_A_IPV6_SRC_PREFIX:
		if (ng_nla_u8(a, &v8) || v8 < NG_IPV6_SRC_PREFIX_MIN || v8 > NG_IPV6_SRC_PREFIX_MAX)
			return "NGUARD_A_IPV6_SRC_PREFIX";
		d->p->ipv6_src_prefix = v8;
		return NULL;
	case NGUARD_A_LOG_RATE:
		if (ng_nla_u32(a, &d->p->log_rate))
			return "NGUARD_A_LOG_RATE";
		return NULL;
	case NGUARD_A_LOG_BURST:
		return ng_nla_u32(a, &d->p->log_burst) || !d->p->log_burst ?
		       "NGUARD_A_LOG_BURST" : NULL;
	case NGUARD_A_LIMIT_CONN:
		return ng_limit_from_attr(&d->p->limit, a) ? "NGUARD_A_LIMIT_CONN" : NULL;
	case NGUARD_A_LIMIT_SOURCE:
		return ng_nla_u32(a, &d->p->limit_source) ||
		       d->p->limit_source < NG_LIMIT_SOURCE_MIN ||
		       d->p->limit_source > NG_LIMIT_SOURCE_MAX ? "NGUARD_A_LIMIT_SOURCE" : NULL;
	case NGUARD_A_OBSERVE_MAX:
		return ng_nla_u32(a, &d->p->observe_max) || !d->p->observe_max ||
		       d->p->observe_max > NGUARD_MAX_OBSERVE ? "NGUARD_A_OBSERVE_MAX" : NULL;
	case NGUARD_A_DETECT:
		return ng_detect_from_attr(d->p, a) ? "NGUARD_A_DETECT" : NULL;
	case NGUARD_A_EXEMPT:
		return ng_exempt_from_attr(d->p, a) ? "NGUARD_A_EXEMPT" : NULL;
	case NGUARD_A_DEFAULT_HITS:
		return ng_nla_u64(a, &d->default_hits) ? "NGUARD_A_DEFAULT_HITS" : NULL;
	case NGUARD_A_SEGMENT:
		return ng_dump_segment(d, a) ? "NGUARD_A_SEGMENT" : NULL;
	case NGUARD_A_RULE:
		return ng_rule_from_attr(d->p, a, NULL) ? "NGUARD_A_RULE" : NULL;
	}
	return NULL;
}

int ng_policy_dump_msg(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct ng_policy_dump *d = arg;
	struct nlattr *a;
	const char *bad;
	int rem;

	if (d->bad)
		return 0;	/* keep the first error; drain the dump */
	if (!genlmsg_valid_hdr(nlh, 0)) {
		d->bad = "message header";
		return 0;
	}
	nla_for_each_attr(a, genlmsg_attrdata(nlmsg_data(nlh), 0),
			  genlmsg_attrlen(nlmsg_data(nlh), 0), rem) {
		bad = ng_dump_attr(d, a);
		if (bad) {
			d->bad = bad;
			break;
		}
	}
	/* One of the two alone: the module uses its default for the other. */
	if (d->p->log_rate && !d->p->log_burst)
		d->p->log_burst = NG_LOG_BURST_DEFAULT;
	else if (d->p->log_burst && !d->p->log_rate)
		d->p->log_rate = NG_LOG_RATE_DEFAULT;
	return 0;
}

int ng_policy_fetch_dump(struct ng_nl *nl, struct ng_policy_dump *d)
{
	struct nl_msg *m;
	int rc;

	ng_policy_init(d->p);
	d->gen = 0;
	d->default_hits = 0;
	d->bad = NULL;
	m = ng_nl_msg(nl, NGUARD_CMD_POLICY_GET, NLM_F_DUMP);
	rc = m ? ng_nl_transact(nl, m, ng_policy_dump_msg, d) : NG_EXIT_ERROR;
	if (!rc && !d->bad && !d->gen && (d->p->n_segs || d->p->n_rules))
		d->bad = "NGUARD_A_POLICY_GEN";
	if (!rc && d->bad) {
		fprintf(stderr, "nguardctl: unexpected policy dump from kernel module: %s missing or malformed (version mismatch?)\n",
			d->bad);
		rc = NG_EXIT_ERROR;
	}
	return rc;
}

int ng_policy_fetch(struct ng_nl *nl, struct ng_policy *p, uint64_t *gen)
{
	struct ng_policy_dump d = { .p = p };
	int rc = ng_policy_fetch_dump(nl, &d);

	*gen = d.gen;
	return rc;
}

void ng_show_print(FILE *f, const struct ng_policy *p, uint64_t gen)
{
	if (!gen) {
		fprintf(f, "# nguard: no policy loaded (pass-through)\n");
		return;
	}
	fprintf(f, "# nguard policy, generation %llu\n", (unsigned long long)gen);
	ng_policy_print(f, p);
}

int ng_show_fetch(struct ng_policy *p, uint64_t *gen)
{
	struct ng_nl nl;
	int rc = ng_nl_open(&nl);

	if (rc) {
		ng_policy_init(p);
		*gen = 0;
		return rc;
	}
	rc = ng_policy_fetch(&nl, p, gen);
	ng_nl_close(&nl);
	return rc;
}
