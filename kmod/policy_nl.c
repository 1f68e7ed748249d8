// SPDX-License-Identifier: GPL-2.0-only
/*
 * Policy over netlink: decoding POLICY_ADD chunks into the draft, dumping
 * the live policy (POLICY_GET) and judging hypothetical packets (TRACE).
 *
 * The dump holds a reference on the policy it started with, so a
 * concurrent apply never mixes two policies in one dump. Its cursor:
 * args[0] policy, args[1] phase (settings, names, prefixes, interfaces,
 * rules), args[2] position inside the phase.
 */
#include <linux/in6.h>
#include <net/sock.h>
#include <net/genetlink.h>
#include "nguard.h"
#include "policy.h"

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

static const struct nla_policy ng_detect_policy[NGUARD_DETECT_A_MAX + 1] = {
	[NGUARD_DETECT_A_KIND] = NLA_POLICY_RANGE(NLA_U8, NGUARD_DETECT_SYNFLOOD,
						  NGUARD_DETECT_TCPFLAGS),
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

const struct nla_policy ng_add_policy[NGUARD_A_MAX + 1] = {
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

static const struct nla_policy ng_trace_in_policy[NGUARD_TRACE_A_MAX + 1] = {
	[NGUARD_TRACE_A_SRC] = { .type = NLA_BINARY, .len = 16 },
	[NGUARD_TRACE_A_DST] = { .type = NLA_BINARY, .len = 16 },
	[NGUARD_TRACE_A_PROTO] = { .type = NLA_U8 },
	[NGUARD_TRACE_A_DPORT] = { .type = NLA_U16 },
};

const struct nla_policy ng_trace_policy[NGUARD_A_MAX + 1] = {
	[NGUARD_A_TRACE] = NLA_POLICY_NESTED(ng_trace_in_policy),
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
			if (err)
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
	return err;
}

/* Defaults of the detectors' parameters (as in xtables-addons psd). */
#define NG_PSD_WEIGHT		21
#define NG_PSD_WINDOW_MS	3000
#define NG_SWEEP_HOSTS		32
#define NG_SWEEP_WINDOW_MS	10000

static u32 ng_attr_u32(struct nlattr **tb, int type, u32 dflt)
{
	return tb[type] ? nla_get_u32(tb[type]) : dflt;
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

enum {
	NG_DUMP_SETTINGS,
	NG_DUMP_NAMES,
	NG_DUMP_PREFIXES,
	NG_DUMP_IFACES,
	NG_DUMP_RULES,
	NG_DUMP_EXEMPT,
	NG_DUMP_END,
};

int ng_policy_dump_start(struct netlink_callback *cb)
{
	struct ng_net *nn = ng_net(sock_net(cb->skb->sk));
	struct ng_policy *p;

	rcu_read_lock();
	p = rcu_dereference(nn->policy);
	if (p && !ng_policy_tryget(p))
		p = NULL;
	rcu_read_unlock();
	cb->args[0] = (long)p;
	cb->args[1] = p ? NG_DUMP_SETTINGS : NG_DUMP_END;
	cb->args[2] = 0;
	return 0;
}

int ng_policy_dump_done(struct netlink_callback *cb)
{
	ng_policy_put((struct ng_policy *)cb->args[0]);
	return 0;
}

static int ng_put_rule(struct sk_buff *skb, const struct ng_policy *p, u32 i)
{
	const struct ng_rule *r = &p->src.rules[i];
	struct nlattr *nest = nla_nest_start(skb, NGUARD_A_RULE);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, NGUARD_RULE_A_INDEX, i) ||
	    nla_put_u8(skb, NGUARD_RULE_A_ACTION, r->action) ||
	    nla_put_u16(skb, NGUARD_RULE_A_SRC, r->src) ||
	    nla_put_u16(skb, NGUARD_RULE_A_DST, r->dst) ||
	    nla_put_u32(skb, NGUARD_RULE_A_FLAGS, r->flags) ||
	    nla_put_u32(skb, NGUARD_RULE_A_LINE, p->src.lines[i]) ||
	    nla_put_string(skb, NGUARD_RULE_A_TEXT, p->src.texts[i]) ||
	    nla_put_u64_64bit(skb, NGUARD_RULE_A_HITS, ng_policy_hits(p, i),
			      NGUARD_RULE_A_PAD) ||
	    (r->nmatch && nla_put(skb, NGUARD_RULE_A_MATCHES,
				  r->nmatch * sizeof(struct nguard_match),
				  &p->src.matches[r->match_off]))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* A run of prefixes of one segment and family, as much as fits. */
static int ng_put_prefix_run(struct sk_buff *skb, const struct ng_policy *p,
			     u32 *pos)
{
	const struct ng_pfx *first = &p->src.pfx[*pos];
	size_t sz = first->family == 4 ? sizeof(struct nguard_prefix4) :
					 sizeof(struct nguard_prefix6);
	int room = skb_tailroom(skb) - 64;
	u32 n = 0, max, i;
	struct nlattr *nest, *arr;
	u8 *out;

	if (room < (int)sz)
		return -EMSGSIZE;
	max = room / sz;
	while (*pos + n < p->src.npfx && n < max &&
	       p->src.pfx[*pos + n].seg == first->seg &&
	       p->src.pfx[*pos + n].family == first->family)
		n++;
	nest = nla_nest_start(skb, NGUARD_A_SEGMENT);
	if (!nest || nla_put_u16(skb, NGUARD_SEG_A_ID, first->seg))
		goto full;
	arr = nla_reserve(skb, first->family == 4 ? NGUARD_SEG_A_PREFIX4 :
			  NGUARD_SEG_A_PREFIX6, n * sz);
	if (!arr)
		goto full;
	out = nla_data(arr);
	memset(out, 0, n * sz);
	for (i = 0; i < n; i++, out += sz) {
		const struct ng_pfx *x = &p->src.pfx[*pos + i];

		memcpy(out, x->addr, x->family == 4 ? 4 : 16);
		out[x->family == 4 ? 4 : 16] = x->plen;
	}
	nla_nest_end(skb, nest);
	*pos += n;
	return 0;
full:
	if (nest)
		nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int ng_put_seg_member(struct sk_buff *skb, u16 id, int type,
			     const char *str)
{
	struct nlattr *nest = nla_nest_start(skb, NGUARD_A_SEGMENT);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u16(skb, NGUARD_SEG_A_ID, id) ||
	    nla_put_string(skb, type, str)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* One exempt entry as a nest of its own; a statement's entries share LINE. */
static int ng_put_exempt(struct sk_buff *skb, const struct ng_exempt *e)
{
	struct nlattr *nest = nla_nest_start(skb, NGUARD_A_EXEMPT);
	struct nguard_prefix6 p6 = { .plen = e->plen };
	struct nguard_prefix4 p4 = { .plen = e->plen };
	int err;

	if (!nest)
		return -EMSGSIZE;
	if (e->seg) {
		err = nla_put_u16(skb, NGUARD_EXEMPT_A_SEGMENT, e->seg);
	} else if (e->family == 4) {
		memcpy(&p4.addr, e->addr, 4);
		err = nla_put(skb, NGUARD_EXEMPT_A_PREFIX4, sizeof(p4), &p4);
	} else {
		memcpy(p6.addr, e->addr, 16);
		err = nla_put(skb, NGUARD_EXEMPT_A_PREFIX6, sizeof(p6), &p6);
	}
	if (err || nla_put_u32(skb, NGUARD_EXEMPT_A_LINE, e->line)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static u32 ng_phase_len(const struct ng_policy *p, long phase)
{
	switch (phase) {
	case NG_DUMP_NAMES:
		return p->src.nseg;
	case NG_DUMP_PREFIXES:
		return p->src.npfx;
	case NG_DUMP_IFACES:
		return p->src.nifaces;
	case NG_DUMP_RULES:
		return p->src.nrules;
	case NG_DUMP_EXEMPT:
		return p->src.nexempt;
	}
	return 0;
}

/* Put item @*pos of @phase and advance @*pos past what was put. */
static int ng_put_item(struct sk_buff *skb, const struct ng_policy *p,
		       long phase, u32 *pos)
{
	int err;

	switch (phase) {
	case NG_DUMP_NAMES:
		err = ng_put_seg_member(skb, *pos + 1, NGUARD_SEG_A_NAME,
					p->src.names[*pos + 1]);
		break;
	case NG_DUMP_PREFIXES:
		return ng_put_prefix_run(skb, p, pos);
	case NG_DUMP_IFACES:
		err = ng_put_seg_member(skb, p->src.ifaces[*pos].seg,
					NGUARD_SEG_A_IFACE,
					p->src.ifaces[*pos].name);
		break;
	case NG_DUMP_EXEMPT:
		err = ng_put_exempt(skb, &p->src.exempt[*pos]);
		break;
	default:
		err = ng_put_rule(skb, p, *pos);
	}
	if (!err)
		(*pos)++;
	return err;
}

static int ng_put_detect(struct sk_buff *skb, const struct ng_detector *x)
{
	struct nlattr *nest = nla_nest_start(skb, NGUARD_A_DETECT);

	if (!nest ||
	    nla_put_u8(skb, NGUARD_DETECT_A_KIND, x->kind) ||
	    nla_put_u8(skb, NGUARD_DETECT_A_ACTION, x->action) ||
	    nla_put_u16(skb, NGUARD_DETECT_A_FROM, x->from) ||
	    nla_put_u16(skb, NGUARD_DETECT_A_TO, x->to) ||
	    nla_put_u32(skb, NGUARD_DETECT_A_LINE, x->line) ||
	    (x->block_secs &&
	     nla_put_u32(skb, NGUARD_DETECT_A_BLOCK_SECS, x->block_secs)) ||
	    (x->rate && (nla_put_u32(skb, NGUARD_DETECT_A_RATE, x->rate) ||
			 nla_put_u32(skb, NGUARD_DETECT_A_BURST, x->burst))) ||
	    (x->weight && nla_put_u32(skb, NGUARD_DETECT_A_WEIGHT, x->weight)) ||
	    (x->hosts && nla_put_u32(skb, NGUARD_DETECT_A_HOSTS, x->hosts)) ||
	    (x->window_ms &&
	     nla_put_u32(skb, NGUARD_DETECT_A_WINDOW_MS, x->window_ms)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* Anomaly settings; only what the policy set, so show round-trips. */
static int ng_put_detection(struct sk_buff *skb, const struct ng_policy *p)
{
	const struct ng_policy_src *s = &p->src;
	const struct ng_conn_limit *l = &s->limit;
	struct nlattr *nest;
	u32 i;

	if ((s->log_rate && nla_put_u32(skb, NGUARD_A_LOG_RATE, s->log_rate)) ||
	    (s->log_burst && nla_put_u32(skb, NGUARD_A_LOG_BURST, s->log_burst)) ||
	    (s->trackers_max &&
	     nla_put_u32(skb, NGUARD_A_TRACKERS_MAX, s->trackers_max)) ||
	    (s->blocked_max &&
	     nla_put_u32(skb, NGUARD_A_BLOCKED_MAX, s->blocked_max)) ||
	    (s->v6_src_plen &&
	     nla_put_u8(skb, NGUARD_A_IPV6_SRC_PREFIX, s->v6_src_plen)) ||
	    (s->limit_source &&
	     nla_put_u32(skb, NGUARD_A_LIMIT_SOURCE, s->limit_source)))
		return -EMSGSIZE;
	if (l->rate || l->bytes) {
		nest = nla_nest_start(skb, NGUARD_A_LIMIT_CONN);
		if (!nest ||
		    (l->rate && (nla_put_u32(skb, NGUARD_LIMIT_A_RATE, l->rate) ||
				 nla_put_u32(skb, NGUARD_LIMIT_A_BURST, l->burst))) ||
		    (l->bytes &&
		     (nla_put_u64_64bit(skb, NGUARD_LIMIT_A_BYTES, l->bytes,
					NGUARD_LIMIT_A_PAD) ||
		      nla_put_u64_64bit(skb, NGUARD_LIMIT_A_BYTES_BURST,
					l->bytes_burst, NGUARD_LIMIT_A_PAD))))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	for (i = 0; i < s->ndet; i++)
		if (ng_put_detect(skb, &s->det[i]))
			return -EMSGSIZE;
	return 0;
}

static int ng_put_settings(struct sk_buff *skb, const struct ng_policy *p)
{
	if (nla_put_u64_64bit(skb, NGUARD_A_POLICY_GEN, p->gen, NGUARD_A_PAD) ||
	    nla_put_u8(skb, NGUARD_A_MODE, p->src.mode) ||
	    nla_put_u8(skb, NGUARD_A_DEFAULT, p->src.dflt) ||
	    nla_put_u32(skb, NGUARD_A_CONNS_MAX, p->src.conns_max) ||
	    nla_put_u64_64bit(skb, NGUARD_A_DEFAULT_HITS,
			      ng_policy_hits(p, NG_RULE_NONE), NGUARD_A_PAD) ||
	    ng_put_detection(skb, p))
		return -EMSGSIZE;
	return 0;
}

/* Fill one message; returns the number of items put (0 = message full). */
static int ng_dump_fill(struct sk_buff *skb, const struct ng_policy *p,
			long *phase, long *posl)
{
	u32 pos = *posl;
	int n = 0;

	while (*phase != NG_DUMP_END) {
		if (*phase == NG_DUMP_SETTINGS) {
			if (ng_put_settings(skb, p))
				break;
			(*phase)++;
			n++;
			continue;
		}
		if (pos >= ng_phase_len(p, *phase)) {
			(*phase)++;
			pos = 0;
			continue;
		}
		if (ng_put_item(skb, p, *phase, &pos))
			break;
		n++;
	}
	*posl = pos;
	return n;
}

int ng_policy_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct ng_policy *p = (const struct ng_policy *)cb->args[0];
	void *hdr;
	int n;

	if (!p || cb->args[1] == NG_DUMP_END)
		return 0;
	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &ng_genl_family, NLM_F_MULTI, NGUARD_CMD_POLICY_GET);
	if (!hdr)
		return -EMSGSIZE;
	n = ng_dump_fill(skb, p, &cb->args[1], &cb->args[2]);
	if (!n) {
		genlmsg_cancel(skb, hdr);
		return cb->args[1] == NG_DUMP_END ? 0 : -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return skb->len;
}

/* @held: connections the source holds against "limit source", or -1. */
static int ng_put_trace(struct sk_buff *msg, const struct ng_policy *p,
			const struct ng_judgement *j, u8 family, const u8 *src,
			s64 held)
{
	struct nlattr *nest = nla_nest_start(msg, NGUARD_A_TRACE);

	if (nest && p && ng_policy_exempt(p, family, src, j->src_seg) &&
	    nla_put_u8(msg, NGUARD_TRACE_A_SRC_EXEMPT, 1))
		return -EMSGSIZE;
	if (nest && held >= 0 &&
	    nla_put_u32(msg, NGUARD_TRACE_A_SRC_CONNS, (u32)held))
		return -EMSGSIZE;

	if (!nest ||
	    nla_put_u16(msg, NGUARD_TRACE_A_SRC_SEG, j->src_seg) ||
	    nla_put_u16(msg, NGUARD_TRACE_A_DST_SEG, j->dst_seg) ||
	    nla_put_string(msg, NGUARD_TRACE_A_SRC_NAME,
			   p ? p->src.names[j->src_seg] : "world") ||
	    nla_put_string(msg, NGUARD_TRACE_A_DST_NAME,
			   p ? p->src.names[j->dst_seg] : "world") ||
	    nla_put_u8(msg, NGUARD_TRACE_A_VERDICT, j->verdict))
		return -EMSGSIZE;
	if (p && j->rule != NG_RULE_NONE) {
		/* The deciding rule, in the same shape as a dump entry. */
		struct nlattr *r = nla_nest_start(msg, NGUARD_TRACE_A_RULE);

		if (!r)
			return -EMSGSIZE;
		if (ng_put_rule(msg, p, j->rule))
			return -EMSGSIZE;
		nla_nest_end(msg, r);
	}
	nla_nest_end(msg, nest);
	return 0;
}

int ng_cmd_trace(struct sk_buff *skb, struct genl_info *info)
{
	struct ng_net *nn = ng_net(genl_info_net(info));
	struct nlattr *tb[NGUARD_TRACE_A_MAX + 1];
	struct ng_judgement j = { .verdict = NGUARD_VERDICT_ALLOW,
				  .rule = NG_RULE_NONE };
	struct ng_src_key key;
	struct ng_policy *p;
	struct sk_buff *msg;
	s64 held = -1;
	u8 proto = 0;
	u16 dport = 0;
	void *hdr;
	int err, alen;

	if (!info->attrs[NGUARD_A_TRACE]) {
		NL_SET_ERR_MSG(info->extack, "trace needs NGUARD_A_TRACE");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, NGUARD_TRACE_A_MAX, info->attrs[NGUARD_A_TRACE],
			       ng_trace_in_policy, info->extack);
	if (err)
		return err;
	if (!tb[NGUARD_TRACE_A_SRC] || !tb[NGUARD_TRACE_A_DST]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[NGUARD_A_TRACE],
				    "trace needs SRC and DST addresses");
		return -EINVAL;
	}
	alen = nla_len(tb[NGUARD_TRACE_A_SRC]);
	if ((alen != 4 && alen != 16) || alen != nla_len(tb[NGUARD_TRACE_A_DST])) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[NGUARD_TRACE_A_DST],
				    "SRC and DST must both be IPv4 (4 bytes) or IPv6 (16 bytes)");
		return -EINVAL;
	}
	if (tb[NGUARD_TRACE_A_PROTO])
		proto = nla_get_u8(tb[NGUARD_TRACE_A_PROTO]);
	if (tb[NGUARD_TRACE_A_DPORT])
		dport = nla_get_u16(tb[NGUARD_TRACE_A_DPORT]);

	rcu_read_lock();
	p = rcu_dereference(nn->policy);
	if (p && !ng_policy_tryget(p))
		p = NULL;
	if (p && p->src.limit_source) {
		ng_policy_src_key(p, alen == 4 ? 4 : 6,
				  nla_data(tb[NGUARD_TRACE_A_SRC]), &key);
		held = ng_conntab_src_held(nn->ct, &key);
	}
	rcu_read_unlock();
	if (p)
		ng_policy_judge(p, alen == 4 ? 4 : 6, nla_data(tb[NGUARD_TRACE_A_SRC]),
				nla_data(tb[NGUARD_TRACE_A_DST]), proto, dport,
				NULL, NULL, &j);

	err = -ENOMEM;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL_ACCOUNT);
	if (!msg)
		goto out;
	err = -EMSGSIZE;
	hdr = genlmsg_put_reply(msg, info, &ng_genl_family, 0, NGUARD_CMD_TRACE);
	if (!hdr || nla_put_u64_64bit(msg, NGUARD_A_POLICY_GEN, p ? p->gen : 0,
				      NGUARD_A_PAD) ||
	    ng_put_trace(msg, p, &j, alen == 4 ? 4 : 6,
			 nla_data(tb[NGUARD_TRACE_A_SRC]), held)) {
		nlmsg_free(msg);
		goto out;
	}
	genlmsg_end(msg, hdr);
	err = genlmsg_reply(msg, info);
out:
	ng_policy_put(p);
	return err;
}
