// SPDX-License-Identifier: GPL-2.0-only
/*
 * POLICY_GET over netlink: the live policy as POLICY_ADD would send it
 * (settings, segment names, prefixes, interfaces, exemptions, rules with
 * their hits), so `nguardctl show` round-trips.
 *
 * The dump holds a reference on the policy it started with, so a
 * concurrent apply never mixes two policies in one dump. Its cursor:
 * args[0] policy, args[1] phase (settings, names, prefixes, interfaces,
 * rules), args[2] position inside the phase.
 */
#include <linux/in6.h>
#include <net/sock.h>
#include <net/genetlink.h>
#include "netlink.h"
#include "nguard.h"
#include "policy.h"
#include "policy_dump_nl.h"

/* Dump phases, in order (cb->args[1]). */
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

int ng_put_rule(struct sk_buff *skb, const struct ng_policy *p, u32 i)
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

/* Bruteforce: the service as match terms, and the threshold. */
static int ng_put_service(struct sk_buff *skb, const struct ng_detector *x)
{
	struct nguard_match m[NGUARD_MAX_DETECT_PORTS] = {};
	u32 i;

	for (i = 0; i < x->nports; i++) {
		m[i].proto = x->proto;
		m[i].port_lo = x->ports[i].lo;
		m[i].port_hi = x->ports[i].hi;
	}
	if (nla_put(skb, NGUARD_DETECT_A_MATCHES, x->nports * sizeof(m[0]), m) ||
	    nla_put_u32(skb, NGUARD_DETECT_A_HITS, x->hits))
		return -EMSGSIZE;
	return 0;
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
	     nla_put_u32(skb, NGUARD_DETECT_A_WINDOW_MS, x->window_ms)) ||
	    (x->nports && ng_put_service(skb, x)))
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
	     nla_put_u32(skb, NGUARD_A_LIMIT_SOURCE, s->limit_source)) ||
	    (s->observe_max &&
	     nla_put_u32(skb, NGUARD_A_OBSERVE_MAX, s->observe_max)))
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
