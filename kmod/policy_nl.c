// SPDX-License-Identifier: GPL-2.0-only
/*
 * POLICY_ADD over netlink: the attribute policies of every statement,
 * and decoding one chunk into the transaction's draft (txn_nl.c calls
 * it under the namespace lock). Every rejection carries an extack
 * message naming the attribute. The dump is policy_dump_nl.c, TRACE is
 * trace_nl.c.
 */
#include <linux/in6.h>
#include <net/sock.h>
#include <net/genetlink.h>
#include "nguard.h"
#include "packet.h"
#include "policy.h"
#include "policy_nl.h"

static const struct nla_policy ng_seg_policy[NGUARD_SEG_A_MAX + 1] = {
	[NGUARD_SEG_A_ID] = NLA_POLICY_RANGE(NLA_U16, 1, NGUARD_MAX_SEGMENTS),
	[NGUARD_SEG_A_NAME] = { .type = NLA_NUL_STRING,
				.len = NGUARD_SEGMENT_NAME_MAX - 1 },
	[NGUARD_SEG_A_PREFIX4] = { .type = NLA_BINARY },
	[NGUARD_SEG_A_PREFIX6] = { .type = NLA_BINARY },
	[NGUARD_SEG_A_IFACE] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
};

/* 0 = sized from RAM. */
static struct netlink_range_validation ng_conns_range __ro_after_init = {
	.min = 0,
	.max = NGUARD_MAX_CONNS,
};

static const struct nla_policy ng_rule_policy[NGUARD_RULE_A_MAX + 1] = {
	[NGUARD_RULE_A_ACTION] = NLA_POLICY_RANGE(NLA_U8, NGUARD_VERDICT_ALLOW,
						  NGUARD_VERDICT_DENY),
	[NGUARD_RULE_A_SRC] = { .type = NLA_U16 },
	[NGUARD_RULE_A_DST] = { .type = NLA_U16 },
	[NGUARD_RULE_A_FLAGS] = { .type = NLA_U32 },
	[NGUARD_RULE_A_LINE] = { .type = NLA_U32 },
	[NGUARD_RULE_A_TEXT] = { .type = NLA_NUL_STRING,
				 .len = NGUARD_RULE_TEXT_MAX - 1 },
	[NGUARD_RULE_A_MATCHES] = { .type = NLA_BINARY,
				    .len = NGUARD_MAX_RULE_MATCHES *
					   sizeof(struct nguard_match) },
};

static struct netlink_range_validation ng_block_range __ro_after_init = {
	.min = 1,
	.max = NGUARD_MAX_BLOCK_SECS,
};

static struct netlink_range_validation ng_det_num_range __ro_after_init = {
	.min = 1,
	.max = 10000000,
};

/* Detection windows: 100 ms .. 1 h. */
static struct netlink_range_validation ng_window_range __ro_after_init = {
	.min = 100,
	.max = 3600 * 1000,
};

static struct netlink_range_validation ng_log_rate_range __ro_after_init = {
	.min = 1,
	.max = 10000,
};

static struct netlink_range_validation ng_log_burst_range __ro_after_init = {
	.min = 1,
	.max = 100000,
};

static struct netlink_range_validation ng_trackers_range __ro_after_init = {
	.min = 0,
	.max = NGUARD_MAX_TRACKERS,
};

static struct netlink_range_validation ng_blocked_range __ro_after_init = {
	.min = 0,
	.max = NGUARD_MAX_BLOCKED,
};

/* Bruteforce thresholds: above the s16 an inline range could hold. */
static struct netlink_range_validation ng_hits_range __ro_after_init = {
	.min = NGUARD_BRUTEFORCE_HITS_MIN,
	.max = NGUARD_BRUTEFORCE_HITS_MAX,
};

static const struct nla_policy ng_detect_policy[NGUARD_DETECT_A_MAX + 1] = {
	[NGUARD_DETECT_A_KIND] = NLA_POLICY_RANGE(NLA_U8, NGUARD_DETECT_SYNFLOOD,
						  NGUARD_DETECT_BRUTEFORCE),
	[NGUARD_DETECT_A_ACTION] = NLA_POLICY_RANGE(NLA_U8, NGUARD_ACTION_LOG,
						    NGUARD_ACTION_BLOCK),
	[NGUARD_DETECT_A_BLOCK_SECS] = NLA_POLICY_FULL_RANGE(NLA_U32, &ng_block_range),
	[NGUARD_DETECT_A_FROM] = { .type = NLA_U16 },
	[NGUARD_DETECT_A_TO] = { .type = NLA_U16 },
	[NGUARD_DETECT_A_RATE] = NLA_POLICY_FULL_RANGE(NLA_U32, &ng_det_num_range),
	[NGUARD_DETECT_A_BURST] = NLA_POLICY_FULL_RANGE(NLA_U32, &ng_det_num_range),
	[NGUARD_DETECT_A_WEIGHT] = NLA_POLICY_FULL_RANGE(NLA_U32, &ng_det_num_range),
	[NGUARD_DETECT_A_WINDOW_MS] = NLA_POLICY_FULL_RANGE(NLA_U32, &ng_window_range),
	[NGUARD_DETECT_A_HOSTS] = NLA_POLICY_FULL_RANGE(NLA_U32, &ng_det_num_range),
	[NGUARD_DETECT_A_LINE] = { .type = NLA_U32 },
	[NGUARD_DETECT_A_MATCHES] = { .type = NLA_BINARY,
				      .len = NGUARD_MAX_DETECT_PORTS *
					     sizeof(struct nguard_match) },
	[NGUARD_DETECT_A_HITS] = NLA_POLICY_FULL_RANGE(NLA_U32, &ng_hits_range),
};

/* "limit conn" bytes: up to 1000G per second, as nguardctl accepts. */
static struct netlink_range_validation ng_limit_bytes_range __ro_after_init = {
	.min = 0,
	.max = 1000ULL * 1000 * 1000 * 1000,
};

static struct netlink_range_validation ng_limit_bburst_range __ro_after_init = {
	.min = 1,
	.max = 1000ULL * 1000 * 1000 * 1000,
};

static const struct nla_policy ng_limit_policy[NGUARD_LIMIT_A_MAX + 1] = {
	[NGUARD_LIMIT_A_RATE] = { .type = NLA_U32 },
	[NGUARD_LIMIT_A_BURST] = NLA_POLICY_MIN(NLA_U32, 1),
	[NGUARD_LIMIT_A_BYTES] = NLA_POLICY_FULL_RANGE(NLA_U64, &ng_limit_bytes_range),
	[NGUARD_LIMIT_A_BYTES_BURST] = NLA_POLICY_FULL_RANGE(NLA_U64,
							     &ng_limit_bburst_range),
};

static const struct nla_policy ng_exempt_policy[NGUARD_EXEMPT_A_MAX + 1] = {
	[NGUARD_EXEMPT_A_SEGMENT] = NLA_POLICY_RANGE(NLA_U16, 1, NGUARD_MAX_SEGMENTS),
	[NGUARD_EXEMPT_A_PREFIX4] = { .type = NLA_BINARY },
	[NGUARD_EXEMPT_A_PREFIX6] = { .type = NLA_BINARY },
	[NGUARD_EXEMPT_A_LINE] = { .type = NLA_U32 },
};

static struct netlink_range_validation ng_limit_source_range __ro_after_init = {
	.min = 1,
	.max = NGUARD_MAX_CONNS,
};

static struct netlink_range_validation ng_observe_range __ro_after_init = {
	.min = 1,
	.max = NGUARD_MAX_OBSERVE,
};

const struct nla_policy ng_add_policy[NGUARD_A_MAX + 1] = {
	[NGUARD_A_OBSERVE_MAX] = NLA_POLICY_FULL_RANGE(NLA_U32, &ng_observe_range),
	[NGUARD_A_LIMIT_SOURCE] = NLA_POLICY_FULL_RANGE(NLA_U32,
							&ng_limit_source_range),
	[NGUARD_A_EXEMPT] = NLA_POLICY_NESTED(ng_exempt_policy),
	[NGUARD_A_IPV6_SRC_PREFIX] = NLA_POLICY_RANGE(NLA_U8, 48, 128),
	[NGUARD_A_LIMIT_CONN] = NLA_POLICY_NESTED(ng_limit_policy),
	[NGUARD_A_DETECT] = NLA_POLICY_NESTED(ng_detect_policy),
	[NGUARD_A_LOG_RATE] = NLA_POLICY_FULL_RANGE(NLA_U32, &ng_log_rate_range),
	[NGUARD_A_LOG_BURST] = NLA_POLICY_FULL_RANGE(NLA_U32, &ng_log_burst_range),
	[NGUARD_A_TRACKERS_MAX] = NLA_POLICY_FULL_RANGE(NLA_U32, &ng_trackers_range),
	[NGUARD_A_BLOCKED_MAX] = NLA_POLICY_FULL_RANGE(NLA_U32, &ng_blocked_range),
	[NGUARD_A_MODE] = NLA_POLICY_RANGE(NLA_U8, NGUARD_MODE_ENFORCE,
					   NGUARD_MODE_MONITOR),
	[NGUARD_A_DEFAULT] = NLA_POLICY_RANGE(NLA_U8, NGUARD_VERDICT_ALLOW,
					      NGUARD_VERDICT_DENY),
	[NGUARD_A_CONNS_MAX] = NLA_POLICY_FULL_RANGE(NLA_U32, &ng_conns_range),
	[NGUARD_A_SEGMENT] = NLA_POLICY_NESTED(ng_seg_policy),
	[NGUARD_A_RULE] = NLA_POLICY_NESTED(ng_rule_policy),
};

static int ng_add_prefixes(struct ng_policy_src *d, u16 id,
			   const struct nlattr *a, u8 family,
			   struct netlink_ext_ack *extack)
{
	size_t sz = family == 4 ? sizeof(struct nguard_prefix4) :
				  sizeof(struct nguard_prefix6);
	const u8 *p = nla_data(a);
	int i, n, err;

	if (nla_len(a) % sz) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "prefix array size is not a multiple of the entry size");
		return -EINVAL;
	}
	n = nla_len(a) / sz;
	for (i = 0; i < n; i++, p += sz) {
		const struct nguard_prefix4 *p4 = (const void *)p;
		const struct nguard_prefix6 *p6 = (const void *)p;

		if (family == 4)
			err = ng_src_add_prefix(d, id, 4, (const u8 *)&p4->addr,
						p4->plen);
		else
			err = ng_src_add_prefix(d, id, 6, p6->addr, p6->plen);
		if (err == -E2BIG)
			NL_SET_ERR_MSG_ATTR(extack, a, "too many prefixes (NGUARD_MAX_PREFIXES)");
		else if (err == -ENOMEM)
			NL_SET_ERR_MSG_ATTR(extack, a, "out of memory for the prefixes");
		else if (err)
			NL_SET_ERR_MSG_ATTR(extack, a, "bad prefix length");
		if (err)
			return err;
	}
	return 0;
}

/* One "exempt" statement: segments and prefix arrays, in order. */
static int ng_add_exempt(struct ng_policy_src *d, const struct nlattr *nest,
			 struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NGUARD_EXEMPT_A_MAX + 1];
	struct ng_exempt e = {};
	const struct nlattr *a;
	int rem, i, n, err;
	size_t sz;

	err = nla_parse_nested(tb, NGUARD_EXEMPT_A_MAX, nest, ng_exempt_policy,
			       extack);
	if (err)
		return err;
	e.line = tb[NGUARD_EXEMPT_A_LINE] ?
		 nla_get_u32(tb[NGUARD_EXEMPT_A_LINE]) : 0;
	nla_for_each_nested(a, nest, rem) {
		u8 type = nla_type(a);
		const u8 *x = nla_data(a);

		if (type == NGUARD_EXEMPT_A_SEGMENT) {
			e.seg = nla_get_u16(a);
			e.family = 0;
			err = ng_src_add_exempt(d, &e);
			e.seg = 0;
		} else if (type == NGUARD_EXEMPT_A_PREFIX4 ||
			   type == NGUARD_EXEMPT_A_PREFIX6) {
			e.family = type == NGUARD_EXEMPT_A_PREFIX4 ? 4 : 6;
			sz = e.family == 4 ? sizeof(struct nguard_prefix4) :
					     sizeof(struct nguard_prefix6);
			if (nla_len(a) % sz) {
				NL_SET_ERR_MSG_ATTR(extack, a,
						    "prefix array size is not a multiple of the entry size");
				return -EINVAL;
			}
			n = nla_len(a) / sz;
			for (i = 0, err = 0; i < n && !err; i++, x += sz) {
				memset(e.addr, 0, sizeof(e.addr));
				memcpy(e.addr, x, e.family == 4 ? 4 : 16);
				e.plen = x[e.family == 4 ? 4 : 16];
				err = ng_src_add_exempt(d, &e);
			}
		} else {
			continue;
		}
		if (err == -E2BIG)
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "too many exempt entries (NGUARD_MAX_EXEMPT)");
		else if (err == -ENOMEM)
			NL_SET_ERR_MSG_ATTR(extack, a, "out of memory for the exempt entries");
		else if (err)
			NL_SET_ERR_MSG_ATTR(extack, a, "bad exempt entry (prefix length?)");
		if (err)
			return err;
	}
	return 0;
}

static int ng_add_segment(struct ng_policy_src *d, const struct nlattr *nest,
			  struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NGUARD_SEG_A_MAX + 1];
	const struct nlattr *a;
	int rem, err;
	u16 id;

	err = nla_parse_nested(tb, NGUARD_SEG_A_MAX, nest, ng_seg_policy, extack);
	if (err)
		return err;
	if (!tb[NGUARD_SEG_A_ID]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "segment without NGUARD_SEG_A_ID");
		return -EINVAL;
	}
	id = nla_get_u16(tb[NGUARD_SEG_A_ID]);
	if (id > d->nseg) {
		if (!tb[NGUARD_SEG_A_NAME]) {
			NL_SET_ERR_MSG_ATTR(extack, nest, "a new segment needs a name");
			return -EINVAL;
		}
		err = ng_src_add_segment(d, id, nla_data(tb[NGUARD_SEG_A_NAME]));
		if (err == -E2BIG)
			NL_SET_ERR_MSG_ATTR(extack, tb[NGUARD_SEG_A_ID],
					    "too many segments (NGUARD_MAX_SEGMENTS)");
		else if (err == -ENOMEM)
			NL_SET_ERR_MSG_ATTR(extack, tb[NGUARD_SEG_A_ID],
					    "out of memory for the segment");
		else if (err)
			NL_SET_ERR_MSG_ATTR(extack, tb[NGUARD_SEG_A_ID],
					    "segment ids must be consecutive from 1; 'world' is reserved");
		if (err)
			return err;
	} else if (tb[NGUARD_SEG_A_NAME] &&
		   strcmp(d->names[id], nla_data(tb[NGUARD_SEG_A_NAME]))) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NGUARD_SEG_A_NAME],
				    "segment id already has another name");
		return -EINVAL;
	}
	/* Walk members in order: prefixes and interfaces may repeat. */
	nla_for_each_nested(a, nest, rem) {
		switch (nla_type(a)) {
		case NGUARD_SEG_A_PREFIX4:
			err = ng_add_prefixes(d, id, a, 4, extack);
			break;
		case NGUARD_SEG_A_PREFIX6:
			err = ng_add_prefixes(d, id, a, 6, extack);
			break;
		case NGUARD_SEG_A_IFACE:
			err = ng_src_add_iface(d, id, nla_data(a));
			if (err == -ENOMEM)
				NL_SET_ERR_MSG_ATTR(extack, a, "out of memory for the interface");
			else if (err)
				NL_SET_ERR_MSG_ATTR(extack, a,
						    "bad interface or too many (NGUARD_MAX_IFACES)");
			break;
		default:
			err = 0;
		}
		if (err)
			return err;
	}
	return 0;
}

static int ng_add_rule(struct ng_policy_src *d, const struct nlattr *nest,
		       struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NGUARD_RULE_A_MAX + 1];
	const struct nguard_match *m = NULL;
	struct ng_rule r = {};
	u16 nmatch = 0, i;
	int err;

	err = nla_parse_nested(tb, NGUARD_RULE_A_MAX, nest, ng_rule_policy, extack);
	if (err)
		return err;
	if (!tb[NGUARD_RULE_A_ACTION] || !tb[NGUARD_RULE_A_SRC] ||
	    !tb[NGUARD_RULE_A_DST]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "rule needs ACTION, SRC and DST");
		return -EINVAL;
	}
	r.action = nla_get_u8(tb[NGUARD_RULE_A_ACTION]);
	r.src = nla_get_u16(tb[NGUARD_RULE_A_SRC]);
	r.dst = nla_get_u16(tb[NGUARD_RULE_A_DST]);
	if (tb[NGUARD_RULE_A_FLAGS]) {
		u32 flags = nla_get_u32(tb[NGUARD_RULE_A_FLAGS]);

		if (flags & ~NGUARD_RULE_LOG) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NGUARD_RULE_A_FLAGS], "unknown rule flags");
			return -EINVAL;
		}
		r.flags = flags;
	}
	if (tb[NGUARD_RULE_A_MATCHES]) {
		const struct nlattr *a = tb[NGUARD_RULE_A_MATCHES];

		if (nla_len(a) % sizeof(*m)) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "match array size is not a multiple of the entry size");
			return -EINVAL;
		}
		m = nla_data(a);
		nmatch = nla_len(a) / sizeof(*m);
		for (i = 0; i < nmatch; i++) {
			if ((m[i].flags & ~NGUARD_MATCH_ANY_PROTO) || m[i].pad ||
			    m[i].port_lo > m[i].port_hi) {
				NL_SET_ERR_MSG_ATTR(extack, a,
						    "bad match: unknown flags, pad or port_lo > port_hi");
				return -EINVAL;
			}
		}
	}
	err = ng_src_add_rule(d, &r, m, nmatch,
			      tb[NGUARD_RULE_A_LINE] ? nla_get_u32(tb[NGUARD_RULE_A_LINE]) : 0,
			      tb[NGUARD_RULE_A_TEXT] ? nla_data(tb[NGUARD_RULE_A_TEXT]) : "");
	if (err == -E2BIG)
		NL_SET_ERR_MSG_ATTR(extack, nest, "too many rules (NGUARD_MAX_RULES)");
	else if (err == -ENOMEM)
		NL_SET_ERR_MSG_ATTR(extack, nest, "out of memory for the rule");
	else if (err)
		NL_SET_ERR_MSG_ATTR(extack, nest, "bad rule");
	return err;
}

/* Defaults of the detectors' parameters (as in xtables-addons psd). */
#define NG_PSD_WEIGHT		21
#define NG_PSD_WINDOW_MS	3000
#define NG_SWEEP_HOSTS		32
#define NG_SWEEP_WINDOW_MS	10000
#define NG_BRUTE_HITS		10
#define NG_BRUTE_WINDOW_MS	60000

static u32 ng_attr_u32(struct nlattr **tb, int type, u32 dflt)
{
	return tb[type] ? nla_get_u32(tb[type]) : dflt;
}

/*
 * Bruteforce: one protocol with ports (MATCHES), HITS within WINDOW_MS;
 * the defaults are nguardctl's (10 in 60 s).
 */
static int ng_add_service(struct ng_detector *x, struct nlattr **tb,
			  struct netlink_ext_ack *extack)
{
	const struct nlattr *a = tb[NGUARD_DETECT_A_MATCHES];
	const struct nguard_match *m;
	u32 i, n;

	if (!a || !nla_len(a) || nla_len(a) % sizeof(*m)) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "bruteforce needs MATCHES: 1 to NGUARD_MAX_DETECT_PORTS port ranges");
		return -EINVAL;
	}
	m = nla_data(a);
	n = nla_len(a) / sizeof(*m);
	for (i = 0; i < n; i++) {
		if (m[i].flags || m[i].pad || m[i].proto != m[0].proto ||
		    !ng_proto_has_ports(m[i].proto) || !m[i].port_lo ||
		    m[i].port_lo > m[i].port_hi) {
			NL_SET_ERR_MSG_ATTR(extack, a,
					    "bad bruteforce match: one protocol with ports, 1 <= port_lo <= port_hi, no flags or pad");
			return -EINVAL;
		}
		x->ports[i].lo = m[i].port_lo;
		x->ports[i].hi = m[i].port_hi;
	}
	x->proto = m[0].proto;
	x->nports = n;
	x->hits = ng_attr_u32(tb, NGUARD_DETECT_A_HITS, NG_BRUTE_HITS);
	x->window_ms = ng_attr_u32(tb, NGUARD_DETECT_A_WINDOW_MS,
				   NG_BRUTE_WINDOW_MS);
	if (x->window_ms < NGUARD_BRUTEFORCE_WINDOW_MIN_MS) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NGUARD_DETECT_A_WINDOW_MS],
				    "a bruteforce window is at least 1 s");
		return -ERANGE;
	}
	return 0;
}

static int ng_add_detect(struct ng_policy_src *d, const struct nlattr *nest,
			 struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NGUARD_DETECT_A_MAX + 1];
	struct ng_detector *x;
	int err;

	err = nla_parse_nested(tb, NGUARD_DETECT_A_MAX, nest, ng_detect_policy,
			       extack);
	if (err)
		return err;
	if (d->ndet >= NGUARD_MAX_DETECTORS) {
		NL_SET_ERR_MSG(extack, "too many detect statements");
		return -E2BIG;
	}
	if (!tb[NGUARD_DETECT_A_KIND] || !tb[NGUARD_DETECT_A_ACTION]) {
		NL_SET_ERR_MSG(extack, "a detector needs KIND and ACTION");
		return -EINVAL;
	}
	x = &d->det[d->ndet];
	memset(x, 0, sizeof(*x));
	x->kind = nla_get_u8(tb[NGUARD_DETECT_A_KIND]);
	x->action = nla_get_u8(tb[NGUARD_DETECT_A_ACTION]);
	x->from = tb[NGUARD_DETECT_A_FROM] ?
		  nla_get_u16(tb[NGUARD_DETECT_A_FROM]) : NGUARD_SEGMENT_ANY;
	x->to = tb[NGUARD_DETECT_A_TO] ?
		nla_get_u16(tb[NGUARD_DETECT_A_TO]) : NGUARD_SEGMENT_ANY;
	x->line = ng_attr_u32(tb, NGUARD_DETECT_A_LINE, 0);
	if (x->action == NGUARD_ACTION_BLOCK) {
		if (!tb[NGUARD_DETECT_A_BLOCK_SECS]) {
			NL_SET_ERR_MSG(extack, "action block needs BLOCK_SECS");
			return -EINVAL;
		}
		x->block_secs = nla_get_u32(tb[NGUARD_DETECT_A_BLOCK_SECS]);
	}
	switch (x->kind) {
	case NGUARD_DETECT_SYNFLOOD:
		if (!tb[NGUARD_DETECT_A_RATE]) {
			NL_SET_ERR_MSG(extack, "synflood needs RATE");
			return -EINVAL;
		}
		x->rate = nla_get_u32(tb[NGUARD_DETECT_A_RATE]);
		x->burst = ng_attr_u32(tb, NGUARD_DETECT_A_BURST, x->rate);
		break;
	case NGUARD_DETECT_PORTSCAN:
		x->weight = ng_attr_u32(tb, NGUARD_DETECT_A_WEIGHT, NG_PSD_WEIGHT);
		x->window_ms = ng_attr_u32(tb, NGUARD_DETECT_A_WINDOW_MS,
					   NG_PSD_WINDOW_MS);
		break;
	case NGUARD_DETECT_SWEEP:
		x->hosts = ng_attr_u32(tb, NGUARD_DETECT_A_HOSTS, NG_SWEEP_HOSTS);
		x->window_ms = ng_attr_u32(tb, NGUARD_DETECT_A_WINDOW_MS,
					   NG_SWEEP_WINDOW_MS);
		break;
	case NGUARD_DETECT_BRUTEFORCE:
		err = ng_add_service(x, tb, extack);
		if (err)
			return err;
		break;
	case NGUARD_DETECT_MANUAL:
		NL_SET_ERR_MSG_ATTR(extack, tb[NGUARD_DETECT_A_KIND],
				    "manual is a block reason, not a detector");
		return -EINVAL;
	}
	d->ndet++;
	return 0;
}

static int ng_add_limit(struct ng_policy_src *d, const struct nlattr *nest,
			struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NGUARD_LIMIT_A_MAX + 1];
	int err;

	err = nla_parse_nested(tb, NGUARD_LIMIT_A_MAX, nest, ng_limit_policy,
			       extack);
	if (err)
		return err;
	d->limit.rate = ng_attr_u32(tb, NGUARD_LIMIT_A_RATE, 0);
	d->limit.burst = ng_attr_u32(tb, NGUARD_LIMIT_A_BURST, d->limit.rate);
	if (tb[NGUARD_LIMIT_A_BYTES])
		d->limit.bytes = nla_get_u64(tb[NGUARD_LIMIT_A_BYTES]);
	d->limit.bytes_burst = tb[NGUARD_LIMIT_A_BYTES_BURST] ?
			       nla_get_u64(tb[NGUARD_LIMIT_A_BYTES_BURST]) :
			       d->limit.bytes;
	return 0;
}

int ng_draft_add(struct ng_policy_src *d, struct genl_info *info)
{
	const struct nlattr *a;
	int rem, err = 0;

	if (info->attrs[NGUARD_A_LOG_RATE])
		d->log_rate = nla_get_u32(info->attrs[NGUARD_A_LOG_RATE]);
	if (info->attrs[NGUARD_A_LOG_BURST])
		d->log_burst = nla_get_u32(info->attrs[NGUARD_A_LOG_BURST]);
	if (info->attrs[NGUARD_A_TRACKERS_MAX])
		d->trackers_max = nla_get_u32(info->attrs[NGUARD_A_TRACKERS_MAX]);
	if (info->attrs[NGUARD_A_BLOCKED_MAX])
		d->blocked_max = nla_get_u32(info->attrs[NGUARD_A_BLOCKED_MAX]);
	if (info->attrs[NGUARD_A_LIMIT_CONN]) {
		err = ng_add_limit(d, info->attrs[NGUARD_A_LIMIT_CONN],
				   info->extack);
		if (err)
			return err;
	}

	if (info->attrs[NGUARD_A_MODE])
		d->mode = nla_get_u8(info->attrs[NGUARD_A_MODE]);
	if (info->attrs[NGUARD_A_DEFAULT])
		d->dflt = nla_get_u8(info->attrs[NGUARD_A_DEFAULT]);
	if (info->attrs[NGUARD_A_CONNS_MAX])
		d->conns_max = nla_get_u32(info->attrs[NGUARD_A_CONNS_MAX]);
	if (info->attrs[NGUARD_A_IPV6_SRC_PREFIX])
		d->v6_src_plen = nla_get_u8(info->attrs[NGUARD_A_IPV6_SRC_PREFIX]);
	if (info->attrs[NGUARD_A_LIMIT_SOURCE])
		d->limit_source = nla_get_u32(info->attrs[NGUARD_A_LIMIT_SOURCE]);
	if (info->attrs[NGUARD_A_OBSERVE_MAX])
		d->observe_max = nla_get_u32(info->attrs[NGUARD_A_OBSERVE_MAX]);
	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(a) == NGUARD_A_SEGMENT)
			err = ng_add_segment(d, a, info->extack);
		else if (nla_type(a) == NGUARD_A_RULE)
			err = ng_add_rule(d, a, info->extack);
		else if (nla_type(a) == NGUARD_A_DETECT)
			err = ng_add_detect(d, a, info->extack);
		else if (nla_type(a) == NGUARD_A_EXEMPT)
			err = ng_add_exempt(d, a, info->extack);
		if (err)
			return err;
	}
	return 0;
}
