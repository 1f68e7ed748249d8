// SPDX-License-Identifier: GPL-2.0-only
/*
 * The verdict on one packet — theory of operation.
 *
 * Called from the hooks (hooks.c) under rcu_read_lock, once per packet
 * and namespace. With no policy everything passes untracked. Otherwise:
 *
 *  1. Loopback traffic and on-link ICMPv6 neighbour discovery / MLD pass:
 *     a host talking to itself is not crossing a segment, and IPv6 stops
 *     working without ND whatever the policy says. ND that is routed
 *     (not to a link-scope or own address) is judged like any packet.
 *  2. The packet's connection is looked up in the connection table; a
 *     packet of a tracked connection passes in either direction, and so
 *     does an ICMP error that quotes one and travels back to the quoted
 *     packet's sender; any other ICMP error is judged like a new packet
 *     (and never tracked). A SYN over a closed connection deletes it and
 *     is judged as a new connection.
 *  3. Anything else is judged by the policy (segments of both addresses,
 *     then the rules of that segment pair, then the default). An allowed
 *     packet creates a connection entry; when the table refuses it (full
 *     of established connections), the packet is dropped: nguard never
 *     lets through a connection it cannot track, and never evicts an
 *     established one to make room. With "limit source", the table also
 *     refuses a source that holds that many connections already.
 *  4. A denied packet is dropped and, for rules marked "log", reported. In
 *     monitor mode it passes, is reported, and its connection is tracked
 *     so that a flow produces one report, not one per packet.
 *
 * Anomaly detection hooks in twice: a quarantined source is dropped right
 * after parsing (before its connections are looked up), and the
 * detectors (detect.c) see every packet step 3 judges, before the verdict
 * is applied, so scans are noticed whether or not the policy allows them.
 * The detectors only say what fired; this file reports it (events.c) and
 * applies the actions (drop here, quarantine through quarantine.c).
 * A policy with "observe" also counts every packet step 3 judges (and a
 * detector did not drop) into its observed-flow summary (observe.c):
 * packets of tracked connections never get there.
 *
 * Every step touches only per-CPU counters, the RCU-read policy and the
 * connection table (lock-free lookup; a bucket lock only to insert or to
 * change TCP state). Reports go through the namespace's log bucket
 * (log.c), so no packet flood can flood dmesg.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/in.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <net/addrconf.h>
#include "conntab.h"
#include "detect.h"
#include "enforce.h"
#include "events.h"
#include "log.h"
#include "nguard.h"
#include "observe.h"
#include "packet.h"
#include "policy.h"
#include "quarantine.h"
#include "ratelimit.h"

/* "10.0.0.1:80", "[2001:db8::1]:80", or the bare address without ports. */
static void ng_fmt_ep(char *buf, size_t len, const struct ng_pkt *p,
		      const u8 *addr, u16 port)
{
	bool ports = ng_proto_has_ports(p->proto);

	if (p->family == 4)
		snprintf(buf, len, ports ? "%pI4:%u" : "%pI4", addr, port);
	else
		snprintf(buf, len, ports ? "[%pI6c]:%u" : "%pI6c", addr, port);
}

static void ng_report(struct ng_net *nn, const struct ng_policy *p,
		      const struct ng_pkt *pkt, const struct ng_judgement *j,
		      const char *what, const char *action)
{
	char src[48], dst[48], proto[4], rule[24];

	if (!ng_log_allow(&nn->log))
		return;
	ng_fmt_ep(src, sizeof(src), pkt, pkt->saddr, pkt->sport);
	ng_fmt_ep(dst, sizeof(dst), pkt, pkt->daddr, pkt->dport);
	if (j->rule == NG_RULE_NONE)
		strscpy(rule, "default", sizeof(rule));
	else
		snprintf(rule, sizeof(rule), "%u line=%u", j->rule,
			 p->src.lines[j->rule]);
	pr_info("%s %s src=%s dst=%s seg=%s->%s rule=%s action=%s\n", what,
		ng_proto_name(pkt->proto, proto), src, dst,
		p->src.names[j->src_seg], p->src.names[j->dst_seg], rule,
		action);
}

static unsigned int ng_pass(struct ng_net *nn, enum nguard_counter why,
			    unsigned int segs, unsigned int len)
{
	this_cpu_add(nn->stats.cpu->cnt[why], segs);
	ng_stats_count(&nn->stats, NGUARD_CNT_ALLOWED_PACKETS, segs, len);
	return NF_ACCEPT;
}

static unsigned int ng_drop(struct ng_net *nn, enum nguard_counter why,
			    unsigned int segs, unsigned int len)
{
	this_cpu_add(nn->stats.cpu->cnt[why], segs);
	ng_stats_count(&nn->stats, NGUARD_CNT_DROPPED_PACKETS, segs, len);
	return NF_DROP;
}

static bool ng_monitor(const struct ng_policy *p)
{
	return p->src.mode == NGUARD_MODE_MONITOR;
}

/*
 * ND with hop limit 255 to a global address is link plumbing only when it
 * stays on the link: arriving, it must be for one of our own addresses
 * (anything else would be forwarded to another segment); leaving, the
 * kernel's own ND socket must have sent it (a raw socket can route it).
 */
static bool ng_nd_on_link(const struct ng_pkt *pkt,
			  const struct nf_hook_state *state)
{
#if IS_ENABLED(CONFIG_IPV6)
	if (state->hook == NF_INET_LOCAL_OUT)
		return state->sk && state->sk == state->net->ipv6.ndisc_sk;
	return ipv6_chk_addr(state->net, (const struct in6_addr *)pkt->daddr,
			     NULL, 0);
#else
	return false;
#endif
}

/* Track an admitted connection; with "limit source", in a source slot. */
static int ng_track_allowed(struct ng_net *nn, const struct ng_policy *p,
			    const struct ng_pkt *pkt, u32 rule)
{
	struct ng_src_key src;
	struct ng_conn *c;

	if (!p->src.limit_source)
		return ng_conntab_insert(nn->ct, &pkt->key, rule,
					 pkt->tcp_flags, NULL, 0, &c);
	ng_policy_src_key(p, pkt->family, pkt->saddr, &src);
	return ng_conntab_insert(nn->ct, &pkt->key, rule, pkt->tcp_flags,
				 &src, p->src.limit_source, &c);
}

/* An admitted connection whose source holds "limit source" already. */
static unsigned int ng_source_limited(struct ng_net *nn,
				      const struct ng_policy *p,
				      const struct ng_pkt *pkt,
				      const struct ng_judgement *j,
				      unsigned int segs, unsigned int len)
{
	struct ng_conn *c;

	if (ng_monitor(p)) {
		/* Tracked outside the count, so the flow is reported once. */
		ng_conntab_insert(nn->ct, &pkt->key, j->rule, pkt->tcp_flags,
				  NULL, 0, &c);
		ng_report(nn, p, pkt, j, "source-limit", "monitor");
		return ng_pass(nn, NGUARD_CNT_PASS_MONITOR, segs, len);
	}
	ng_report(nn, p, pkt, j, "source-limit", "drop");
	return ng_drop(nn, NGUARD_CNT_DROP_SOURCE_LIMIT, segs, len);
}

/*
 * The detectors on a packet step 3 judged: report what fired, apply the
 * actions (quarantine through quarantine.c); true: drop the packet.
 */
static bool ng_watch(struct ng_net *nn, const struct ng_policy *p,
		     const struct ng_pkt *pkt, const struct ng_judgement *j,
		     const struct nf_hook_state *state)
{
	const struct ng_detect_fired *f;
	struct ng_detect_result r;
	char detail[48];
	u32 i;

	if (!ng_detect(nn, p, pkt, j, &r))
		return false;
	for (i = 0; i < r.n; i++) {
		f = &r.fired[i];
		if (f->first) {
			ng_detect_detail(f, pkt, detail, sizeof(detail));
			ng_anomaly_report(nn, p, pkt, j, f->d->kind,
					  ng_detect_shown_action(p, f->d),
					  f->d->block_secs, f->count, detail);
		}
		if (p->src.mode != NGUARD_MODE_MONITOR &&
		    f->d->action == NGUARD_ACTION_BLOCK && f->heavy)
			ng_quarantine_source(nn, p, pkt, j, state, r.src,
					     f->d->kind, f->d->block_secs,
					     f->first);
	}
	return ng_detect_drops(p, &r);
}

/*
 * A judged packet into the policy's observed-flow summary, if it keeps
 * one: a new connection, or a packet of a flow that is not tracked.
 */
static void ng_observe(struct ng_net *nn, const struct ng_policy *p,
		       const struct ng_pkt *pkt, const struct ng_judgement *j)
{
	struct ng_obs *t = rcu_dereference(p->obs);
	bool icmp = pkt->proto == IPPROTO_ICMP || pkt->proto == IPPROTO_ICMPV6;
	struct ng_obs_sample s = {
		.key = {
			.src_seg = j->src_seg,
			.dst_seg = j->dst_seg,
			.proto = pkt->proto,
			.port = icmp ? pkt->icmp_type : pkt->dport,
		},
		.family = pkt->family,
		.verdict = j->verdict,
		.rule = j->rule,
		.saddr = pkt->saddr,
		.daddr = pkt->daddr,
	};

	if (!t)
		return;
	if (j->verdict != NGUARD_VERDICT_ALLOW && ng_monitor(p))
		s.flags = NGUARD_OBS_F_MONITOR;
	s.now = ktime_get_real_seconds();
	if (ng_obs_record(t, &s))
		ng_stats_inc(&nn->stats, NGUARD_CNT_OBSERVE_OVERFLOW);
}

/* Step 3 and 4: a packet no tracked connection covers. */
static unsigned int ng_judge_new(struct ng_net *nn, const struct ng_policy *p,
				 struct ng_pkt *pkt,
				 const struct nf_hook_state *state,
				 unsigned int segs, unsigned int len)
{
	struct ng_judgement j;
	struct ng_conn *c;
	bool track = pkt->kind == NG_PKT_FLOW;
	int err = 0;

	ng_policy_judge(p, pkt->family, pkt->saddr, pkt->daddr, pkt->proto,
			pkt->dport, state->in, state->out, &j);
	if (p->src.ndet && ng_watch(nn, p, pkt, &j, state))
		return ng_drop(nn, NGUARD_CNT_DROP_ANOMALY, segs, len);
	ng_policy_hit(p, j.rule);
	ng_observe(nn, p, pkt, &j);

	if (j.verdict == NGUARD_VERDICT_ALLOW) {
		if (track)
			err = ng_track_allowed(nn, p, pkt, j.rule);
		if (err == -EEXIST) /* another CPU was first: same connection */
			err = 0;
		if (!err)
			return ng_pass(nn, NGUARD_CNT_PASS_NEW, segs, len);
		if (err == -EDQUOT)
			return ng_source_limited(nn, p, pkt, &j, segs, len);
		ng_report(nn, p, pkt, &j, "conns-full",
			  ng_monitor(p) ? "monitor" : "drop");
		if (ng_monitor(p))
			return ng_pass(nn, NGUARD_CNT_PASS_MONITOR, segs, len);
		return ng_drop(nn, NGUARD_CNT_DROP_CONNS_FULL, segs, len);
	}

	if (ng_monitor(p)) {
		/* Track it so that the flow is reported once. */
		if (track)
			ng_conntab_insert(nn->ct, &pkt->key, j.rule,
					  pkt->tcp_flags, NULL, 0, &c);
		ng_report(nn, p, pkt, &j, "deny", "monitor");
		return ng_pass(nn, NGUARD_CNT_PASS_MONITOR, segs, len);
	}
	if (j.rule != NG_RULE_NONE &&
	    (p->src.rules[j.rule].flags & NGUARD_RULE_LOG))
		ng_report(nn, p, pkt, &j, "deny", "drop");
	return ng_drop(nn, NGUARD_CNT_DROP_POLICY, segs, len);
}

unsigned int ng_enforce(struct ng_net *nn, struct sk_buff *skb, u8 family,
			unsigned int segs, const struct nf_hook_state *state)
{
	const struct ng_policy *p = rcu_dereference(nn->policy);
	unsigned int len = skb->len;
	struct ng_conn *c;
	struct ng_pkt pkt;
	bool reply;

	if (!p) {
		this_cpu_add(nn->stats.cpu->cnt[NGUARD_CNT_PASS_NO_POLICY], segs);
		return NF_ACCEPT;
	}
	if (state->out && (state->out->flags & IFF_LOOPBACK))
		return ng_pass(nn, NGUARD_CNT_PASS_LOCAL, segs, len);
	if (ng_pkt_parse(skb, family, &pkt)) {
		if (ng_monitor(p))
			return ng_pass(nn, NGUARD_CNT_PASS_MONITOR, segs, len);
		return ng_drop(nn, NGUARD_CNT_DROP_INVALID, segs, len);
	}
	if (pkt.kind == NG_PKT_ND_UNICAST)
		pkt.kind = ng_nd_on_link(&pkt, state) ? NG_PKT_LOCAL : NG_PKT_FLOW;
	if (pkt.kind == NG_PKT_LOCAL)
		return ng_pass(nn, NGUARD_CNT_PASS_LOCAL, segs, len);
	if (ng_quarantined(nn, p, &pkt))
		return ng_drop(nn, NGUARD_CNT_DROP_BLOCKED, segs, len);

	c = ng_conntab_lookup(nn->ct, &pkt.key, &reply);
	if (pkt.kind == NG_PKT_ICMP_ERROR) {
		/* Related only on its way back to the quoted sender. */
		if (c && ng_pkt_error_returns(&pkt))
			return ng_pass(nn, NGUARD_CNT_PASS_RELATED, segs, len);
		return ng_judge_new(nn, p, &pkt, state, segs, len);
	}
	if (c) {
		if (p->limit.on && !ng_limit_take(&p->limit, c, segs, len))
			return ng_drop(nn, NGUARD_CNT_DROP_RATELIMIT, segs, len);
		if (ng_conn_update(nn->ct, c, reply, pkt.tcp_flags) !=
		    NG_CONN_REOPEN)
			return ng_pass(nn, NGUARD_CNT_PASS_ESTABLISHED, segs,
				       len);
		ng_conntab_delete(nn->ct, c);
	}
	return ng_judge_new(nn, p, &pkt, state, segs, len);
}
