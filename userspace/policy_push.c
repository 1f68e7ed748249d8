// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sending a policy to the kernel, for `nguardctl apply` (cmd_apply.c):
 * one transaction, POLICY_BEGIN, as many POLICY_ADD chunks as
 * the policy needs (each under NG_CHUNK_BYTES; a segment's prefixes may
 * span chunks, an exempt line never does: NGUARD_MAX_EXEMPT members fit
 * one), POLICY_COMMIT. The kernel swaps the whole policy at once;
 * if nguardctl dies midway the kernel discards the draft when the socket
 * closes.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/genl/genl.h>
#include "exitcodes.h"
#include "nl.h"
#include "policy.h"
#include "policy_push.h"

#define NG_CHUNK_BYTES (NG_NL_MSG_MAX - 4096)

struct ng_sender {
	struct ng_nl *nl;
	struct nl_msg *msg;
	int rc;
};

static int ng_flush_chunk(struct ng_sender *s)
{
	int rc;

	if (!s->msg)
		return s->rc;
	rc = ng_nl_transact(s->nl, s->msg, NULL, NULL);
	s->msg = NULL;
	if (rc && !s->rc)
		s->rc = rc;
	return s->rc;
}

/* The current chunk, flushed first if fewer than @need bytes are left. */
static struct nl_msg *ng_chunk(struct ng_sender *s, size_t need)
{
	if (s->rc)
		return NULL;
	if (s->msg && nlmsg_hdr(s->msg)->nlmsg_len + need > NG_CHUNK_BYTES)
		ng_flush_chunk(s);
	if (!s->msg && !s->rc) {
		s->msg = ng_nl_msg(s->nl, NGUARD_CMD_POLICY_ADD, 0);
		if (!s->msg)
			s->rc = NG_EXIT_ERROR;
	}
	return s->msg;
}

static int ng_send_prefixes(struct ng_sender *s, const struct ng_segment *seg,
			    int family)
{
	size_t n = family == 4 ? seg->n_v4 : seg->n_v6, done = 0;
	size_t sz = family == 4 ? sizeof(struct nguard_prefix4) :
				  sizeof(struct nguard_prefix6);
	size_t per = (NG_CHUNK_BYTES - 256) / sz;

	while (done < n) {
		size_t k = n - done < per ? n - done : per, i;
		struct nl_msg *m = ng_chunk(s, 64 + k * sz);
		struct nlattr *nest, *arr;
		unsigned char *out;

		if (!m)
			return s->rc;
		nest = nla_nest_start(m, NGUARD_A_SEGMENT);
		nla_put_u16(m, NGUARD_SEG_A_ID, seg->id);
		arr = nla_reserve(m, family == 4 ? NGUARD_SEG_A_PREFIX4 :
				  NGUARD_SEG_A_PREFIX6, k * sz);
		if (!nest || !arr)
			return s->rc = NG_EXIT_ERROR;
		out = nla_data(arr);
		memset(out, 0, k * sz);
		for (i = 0; i < k; i++, out += sz) {
			if (family == 4) {
				struct nguard_prefix4 p = {
					.addr = htonl(seg->v4[done + i].addr),
					.plen = seg->v4[done + i].len,
				};
				memcpy(out, &p, sz);
			} else {
				struct nguard_prefix6 p = { .plen = seg->v6[done + i].len };

				memcpy(p.addr, seg->v6[done + i].addr, 16);
				memcpy(out, &p, sz);
			}
		}
		nla_nest_end(m, nest);
		done += k;
	}
	return s->rc;
}

static int ng_send_segment(struct ng_sender *s, const struct ng_segment *seg)
{
	struct nl_msg *m = ng_chunk(s, 256 + seg->n_ifaces * 32);
	struct nlattr *nest;
	size_t i;

	if (!m)
		return s->rc;
	nest = nla_nest_start(m, NGUARD_A_SEGMENT);
	if (!nest || nla_put_u16(m, NGUARD_SEG_A_ID, seg->id) ||
	    nla_put_string(m, NGUARD_SEG_A_NAME, seg->name))
		return s->rc = NG_EXIT_ERROR;
	for (i = 0; i < seg->n_ifaces; i++)
		if (nla_put_string(m, NGUARD_SEG_A_IFACE, seg->ifaces[i]))
			return s->rc = NG_EXIT_ERROR;
	nla_nest_end(m, nest);
	if (ng_send_prefixes(s, seg, 4))
		return s->rc;
	return ng_send_prefixes(s, seg, 6);
}

static int ng_send_rule(struct ng_sender *s, const struct ng_rule *r)
{
	size_t tlen = r->text ? strlen(r->text) : 0;
	struct nl_msg *m = ng_chunk(s, 128 + tlen + r->n_terms * sizeof(struct nguard_match));
	struct nguard_match *mt;
	struct nlattr *nest, *arr;
	char text[NGUARD_RULE_TEXT_MAX];
	size_t i;

	if (!m)
		return s->rc;
	snprintf(text, sizeof(text), "%s", r->text ? r->text : "");
	nest = nla_nest_start(m, NGUARD_A_RULE);
	if (!nest || nla_put_u8(m, NGUARD_RULE_A_ACTION, r->action) ||
	    nla_put_u16(m, NGUARD_RULE_A_SRC, r->src) ||
	    nla_put_u16(m, NGUARD_RULE_A_DST, r->dst) ||
	    nla_put_u32(m, NGUARD_RULE_A_FLAGS, r->log ? NGUARD_RULE_LOG : 0) ||
	    nla_put_u32(m, NGUARD_RULE_A_LINE, r->line) ||
	    nla_put_string(m, NGUARD_RULE_A_TEXT, text))
		return s->rc = NG_EXIT_ERROR;
	if (r->n_terms) {
		arr = nla_reserve(m, NGUARD_RULE_A_MATCHES, r->n_terms * sizeof(*mt));
		if (!arr)
			return s->rc = NG_EXIT_ERROR;
		mt = nla_data(arr);
		memset(mt, 0, r->n_terms * sizeof(*mt));
		for (i = 0; i < r->n_terms; i++) {
			mt[i].proto = r->terms[i].proto;
			mt[i].flags = r->terms[i].any_proto ? NGUARD_MATCH_ANY_PROTO : 0;
			mt[i].port_lo = r->terms[i].port_lo;
			mt[i].port_hi = r->terms[i].port_hi;
		}
	}
	nla_nest_end(m, nest);
	return 0;
}

/* NGUARD_A_LIMIT_CONN: only the buckets that are set. */
static int ng_put_limit(struct nl_msg *m, const struct ng_limit *l)
{
	struct nlattr *nest = nla_nest_start(m, NGUARD_A_LIMIT_CONN);

	if (!nest)
		return -1;
	if (l->rate && (nla_put_u32(m, NGUARD_LIMIT_A_RATE, l->rate) ||
			nla_put_u32(m, NGUARD_LIMIT_A_BURST, l->burst)))
		return -1;
	if (l->bytes && (nla_put_u64(m, NGUARD_LIMIT_A_BYTES, l->bytes) ||
			 nla_put_u64(m, NGUARD_LIMIT_A_BYTES_BURST, l->bytes_burst)))
		return -1;
	nla_nest_end(m, nest);
	return 0;
}

/* One NGUARD_A_DETECT nest: kind, action, scope, the kind's parameters. */
/* Bruteforce: its service as match terms, one per port range. */
static int put_service(struct nl_msg *m, const struct ng_detect *d)
{
	struct nguard_match t[NGUARD_MAX_DETECT_PORTS];
	size_t i;

	memset(t, 0, sizeof(t));
	for (i = 0; i < d->n_ports; i++) {
		t[i].proto = d->proto;
		t[i].port_lo = d->ports[i].lo;
		t[i].port_hi = d->ports[i].hi;
	}
	return nla_put(m, NGUARD_DETECT_A_MATCHES, (int)(d->n_ports * sizeof(t[0])), t);
}

static int ng_put_detect(struct nl_msg *m, const struct ng_detect *d)
{
	struct nlattr *nest = nla_nest_start(m, NGUARD_A_DETECT);

	if (!nest || nla_put_u8(m, NGUARD_DETECT_A_KIND, d->kind) ||
	    nla_put_u8(m, NGUARD_DETECT_A_ACTION, d->action) ||
	    nla_put_u16(m, NGUARD_DETECT_A_FROM, d->from) ||
	    nla_put_u16(m, NGUARD_DETECT_A_TO, d->to) ||
	    nla_put_u32(m, NGUARD_DETECT_A_LINE, d->line))
		return -1;
	if (d->action == NG_ACT_BLOCK &&
	    nla_put_u32(m, NGUARD_DETECT_A_BLOCK_SECS, d->block_secs))
		return -1;
	switch (d->kind) {
	case NG_DET_SYNFLOOD:
		if (nla_put_u32(m, NGUARD_DETECT_A_RATE, d->rate) ||
		    nla_put_u32(m, NGUARD_DETECT_A_BURST, d->burst))
			return -1;
		break;
	case NG_DET_PORTSCAN:
		if (nla_put_u32(m, NGUARD_DETECT_A_WEIGHT, d->weight) ||
		    nla_put_u32(m, NGUARD_DETECT_A_WINDOW_MS, d->window_ms))
			return -1;
		break;
	case NG_DET_SWEEP:
		if (nla_put_u32(m, NGUARD_DETECT_A_HOSTS, d->hosts) ||
		    nla_put_u32(m, NGUARD_DETECT_A_WINDOW_MS, d->window_ms))
			return -1;
		break;
	case NG_DET_BRUTEFORCE:
		if (put_service(m, d) ||
		    nla_put_u32(m, NGUARD_DETECT_A_HITS, d->hits) ||
		    nla_put_u32(m, NGUARD_DETECT_A_WINDOW_MS, d->window_ms))
			return -1;
		break;
	}
	nla_nest_end(m, nest);
	return 0;
}

size_t ng_exempt_size(const struct ng_exempt *e)
{
	return 64 + e->n_segs * nla_total_size(sizeof(uint16_t)) +
	       e->n_v4 * sizeof(struct nguard_prefix4) +
	       e->n_v6 * sizeof(struct nguard_prefix6);
}

int ng_put_exempt(struct nl_msg *m, const struct ng_exempt *e)
{
	struct nlattr *nest = nla_nest_start(m, NGUARD_A_EXEMPT), *arr;
	struct nguard_prefix4 *x4;
	struct nguard_prefix6 *x6;
	size_t i;

	if (!nest || nla_put_u32(m, NGUARD_EXEMPT_A_LINE, e->line))
		return -1;
	for (i = 0; i < e->n_segs; i++)
		if (nla_put_u16(m, NGUARD_EXEMPT_A_SEGMENT, e->segs[i]))
			return -1;
	if (e->n_v4) {
		arr = nla_reserve(m, NGUARD_EXEMPT_A_PREFIX4, e->n_v4 * sizeof(*x4));
		if (!arr)
			return -1;
		x4 = nla_data(arr);
		memset(x4, 0, e->n_v4 * sizeof(*x4));
		for (i = 0; i < e->n_v4; i++) {
			x4[i].addr = htonl(e->v4[i].addr);
			x4[i].plen = e->v4[i].len;
		}
	}
	if (e->n_v6) {
		arr = nla_reserve(m, NGUARD_EXEMPT_A_PREFIX6, e->n_v6 * sizeof(*x6));
		if (!arr)
			return -1;
		x6 = nla_data(arr);
		memset(x6, 0, e->n_v6 * sizeof(*x6));
		for (i = 0; i < e->n_v6; i++) {
			memcpy(x6[i].addr, e->v6[i].addr, 16);
			x6[i].plen = e->v6[i].len;
		}
	}
	nla_nest_end(m, nest);
	return 0;
}

static int ng_send_exempt(struct ng_sender *s, const struct ng_exempt *e)
{
	struct nl_msg *m = ng_chunk(s, ng_exempt_size(e));

	if (!m)
		return s->rc;
	if (ng_put_exempt(m, e))
		return s->rc = NG_EXIT_ERROR;
	return 0;
}

/*
 * The settings of the first chunk. The anomaly attributes go only when
 * the file has the statement: a policy without them still applies to a
 * module that predates them (strict validation rejects unknown ones).
 * Detectors name segment ids whose segments follow in later chunks.
 */
int ng_put_settings(struct nl_msg *m, const struct ng_policy *p)
{
	size_t i;

	if (nla_put_u8(m, NGUARD_A_MODE, p->mode) ||
	    nla_put_u8(m, NGUARD_A_DEFAULT, p->def) ||
	    nla_put_u32(m, NGUARD_A_CONNS_MAX, p->conns_max))
		return -1;
	if (p->trackers_max && nla_put_u32(m, NGUARD_A_TRACKERS_MAX, p->trackers_max))
		return -1;
	if (p->blocked_max && nla_put_u32(m, NGUARD_A_BLOCKED_MAX, p->blocked_max))
		return -1;
	if (p->ipv6_src_prefix && nla_put_u8(m, NGUARD_A_IPV6_SRC_PREFIX, p->ipv6_src_prefix))
		return -1;
	if (p->log_rate && (nla_put_u32(m, NGUARD_A_LOG_RATE, p->log_rate) ||
			    nla_put_u32(m, NGUARD_A_LOG_BURST, p->log_burst)))
		return -1;
	if ((p->limit.rate || p->limit.bytes) && ng_put_limit(m, &p->limit))
		return -1;
	if (p->limit_source && nla_put_u32(m, NGUARD_A_LIMIT_SOURCE, p->limit_source))
		return -1;
	if (p->observe_max && nla_put_u32(m, NGUARD_A_OBSERVE_MAX, p->observe_max))
		return -1;
	for (i = 0; i < p->n_dets; i++)
		if (ng_put_detect(m, &p->dets[i]))
			return -1;
	return 0;
}

static int on_commit(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[NGUARD_A_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, NGUARD_A_MAX, NULL) < 0 ||
	    !tb[NGUARD_A_POLICY_GEN])
		return NG_EXIT_ERROR;
	*(uint64_t *)arg = nla_get_u64(tb[NGUARD_A_POLICY_GEN]);
	return 0;
}

/* Push @p in one transaction; on success *gen is the new generation. */
int ng_policy_push(struct ng_nl *nl, const struct ng_policy *p, uint32_t confirm,
		   uint64_t *gen)
{
	struct ng_sender s = { .nl = nl };
	struct nl_msg *m;
	size_t i;
	int rc;

	m = ng_nl_msg(nl, NGUARD_CMD_POLICY_BEGIN, 0);
	rc = m ? ng_nl_transact(nl, m, NULL, NULL) : NG_EXIT_ERROR;
	if (rc)
		return rc;
	m = ng_chunk(&s, 256 + p->n_dets * 128);
	if (m && ng_put_settings(m, p))
		s.rc = NG_EXIT_ERROR;
	for (i = 0; i < p->n_segs && !s.rc; i++)
		ng_send_segment(&s, &p->segs[i]);
	/* After the segments they name; a policy without any sends none. */
	for (i = 0; i < p->n_exempts && !s.rc; i++)
		ng_send_exempt(&s, &p->exempts[i]);
	for (i = 0; i < p->n_rules && !s.rc; i++)
		ng_send_rule(&s, &p->rules[i]);
	if (ng_flush_chunk(&s)) {
		nlmsg_free(s.msg);
		return s.rc;	/* the kernel drops the draft with the socket */
	}
	m = ng_nl_msg(nl, NGUARD_CMD_POLICY_COMMIT, 0);
	if (!m || (confirm && nla_put_u32(m, NGUARD_A_CONFIRM_SECS, confirm)))
		return NG_EXIT_ERROR;
	return ng_nl_transact(nl, m, on_commit, gen);
}
