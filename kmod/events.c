// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reports and monitor events — theory of operation.
 *
 * Every anomaly a detector reports, every block, unblock and expiry goes
 * three ways, none of which an attacker can flood:
 *  - one dmesg line, through the namespace's log bucket (log.c), e.g.
 *    nguard: portscan src=10.0.9.5 dst=10.0.2.7 seg=admin->db dport=23 score=21 action=block 600s
 *  - a slot in a ring of the last NG_RING_SIZE anomalies
 *    (/proc/net/nguard/anomalies); the ring's lock is only trylock'ed,
 *    so a busy ring skips an entry rather than making a CPU wait;
 *  - a monitor event on the family's "events" multicast group, only when
 *    someone listens, through a second bucket of the same rate; the number
 *    of events it held back rides in the next event (SUPPRESSED).
 * Policy applies, rollbacks and flushes send events too (control plane,
 * not rate-limited).
 *
 * This file only formats and sends: the detectors, the quarantine and the
 * control plane decide, and call it. It knows the generic netlink family
 * only through the pointer netlink.c hands it once the family is
 * registered (no event goes out before, or after unregistration).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ktime.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include "events.h"
#include "nguard.h"
#include "packet.h"
#include "policy.h"

static const struct genl_family *ng_events_family;

void ng_events_set_family(const struct genl_family *family)
{
	WRITE_ONCE(ng_events_family, family);
}

void ng_events_net_init(struct ng_net *nn)
{
	spin_lock_init(&nn->ev.ring_lock);
	ng_log_init(&nn->ev.log, &nn->stats, NGUARD_CNT_EVENTS,
		    NGUARD_CNT_EVENTS_SUPPRESSED, true);
}

void ng_events_net_exit(struct ng_net *nn)
{
	ng_log_exit(&nn->ev.log);
}

void ng_events_set_rate(struct ng_net *nn, u32 rate, u32 burst)
{
	ng_log_set(&nn->ev.log, rate, burst);
}

const char *ng_detector_name(u8 kind)
{
	switch (kind) {
	case NGUARD_DETECT_SYNFLOOD:
		return "synflood";
	case NGUARD_DETECT_PORTSCAN:
		return "portscan";
	case NGUARD_DETECT_SWEEP:
		return "sweep";
	case NGUARD_DETECT_TCPFLAGS:
		return "tcpflags";
	case NGUARD_DETECT_MANUAL:
		return "manual";
	case NGUARD_DETECT_BRUTEFORCE:
		return "bruteforce";
	}
	return "unknown";
}

const char *ng_action_name(u8 action)
{
	switch (action) {
	case NGUARD_ACTION_DROP:
		return "drop";
	case NGUARD_ACTION_BLOCK:
		return "block";
	}
	return "log";
}

static void ng_fmt_addr(char *buf, size_t len, u8 family, const u8 *addr)
{
	if (family == 4)
		snprintf(buf, len, "%pI4", addr);
	else
		snprintf(buf, len, "%pI6c", addr);
}

/* An IPv6 prefix as "2001:db8:1:2::/64" (a /128 as the address). */
static void ng_fmt_src(char *buf, size_t len, u8 family, const u8 *addr,
		       u8 plen)
{
	if (family == 6 && plen && plen < 128)
		snprintf(buf, len, "%pI6c/%u", addr, plen);
	else
		ng_fmt_addr(buf, len, family, addr);
}

static void ng_ring_add(struct ng_events *ev, const struct ng_anomaly *a)
{
	if (!spin_trylock_bh(&ev->ring_lock))
		return;
	ev->ring[ev->ring_next] = *a;
	ev->ring_next = (ev->ring_next + 1) % NG_RING_SIZE;
	ev->ring_total++;
	spin_unlock_bh(&ev->ring_lock);
}

/* Start an event message; NULL when nobody listens or over the rate. */
static struct sk_buff *ng_event_start(struct ng_net *nn, u8 type, bool limited,
				      struct nlattr **nest, void **hdr)
{
	const struct genl_family *family = READ_ONCE(ng_events_family);
	struct sk_buff *skb;
	u32 lost;

#ifdef NG_NO_EVENTS_GROUP
	return NULL;	/* no group on this kernel: see compat.h */
#endif
	if (!family || !genl_has_listeners(family, nn->net, 0))
		return NULL;
	if (limited && !ng_log_allow(&nn->ev.log))
		return NULL;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!skb)
		return NULL;
	*hdr = genlmsg_put(skb, 0, 0, family, 0, NGUARD_CMD_EVENT);
	*nest = *hdr ? nla_nest_start(skb, NGUARD_A_EVENT) : NULL;
	lost = ng_log_take_suppressed(&nn->ev.log);
	if (!*nest || nla_put_u8(skb, NGUARD_EVENT_A_TYPE, type) ||
	    nla_put_u64_64bit(skb, NGUARD_EVENT_A_TIME, ktime_get_real_ns(),
			      NGUARD_EVENT_A_PAD) ||
	    (lost && nla_put_u32(skb, NGUARD_EVENT_A_SUPPRESSED, lost))) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

static void ng_event_send(struct ng_net *nn, struct sk_buff *skb,
			  struct nlattr *nest, void *hdr)
{
	const struct genl_family *family = READ_ONCE(ng_events_family);

	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	if (family)
		genlmsg_multicast_netns(family, nn->net, skb, 0, 0, GFP_ATOMIC);
	else
		nlmsg_free(skb);
}

void ng_anomaly_report(struct ng_net *nn, const struct ng_policy *p,
		       const struct ng_pkt *pkt, const struct ng_judgement *j,
		       u8 kind, u8 action, u32 block_secs, u32 count,
		       const char *detail)
{
	struct ng_anomaly a = {
		.time_ms = ktime_get_real_ns() / NSEC_PER_MSEC,
		.family = pkt->family, .kind = kind, .action = action,
		.proto = pkt->proto, .sport = pkt->sport, .dport = pkt->dport,
		.src_seg = j->src_seg, .dst_seg = j->dst_seg, .count = count,
		.block_secs = action == NGUARD_ACTION_BLOCK ? block_secs : 0,
	};
	char src[48], dst[48], secs[16] = "";
	struct nlattr *nest;
	struct sk_buff *skb;
	int alen = pkt->family == 4 ? 4 : 16;
	void *hdr;

	memcpy(a.src, pkt->saddr, 16);
	memcpy(a.dst, pkt->daddr, 16);
	ng_ring_add(&nn->ev, &a);

	if (ng_log_allow(&nn->log)) {
		ng_fmt_addr(src, sizeof(src), pkt->family, pkt->saddr);
		ng_fmt_addr(dst, sizeof(dst), pkt->family, pkt->daddr);
		if (a.block_secs)
			snprintf(secs, sizeof(secs), " %us", block_secs);
		pr_info("%s src=%s dst=%s seg=%s->%s %s action=%s%s\n",
			ng_detector_name(kind), src, dst,
			p->src.names[j->src_seg], p->src.names[j->dst_seg],
			detail, ng_action_name(action), secs);
	}

	skb = ng_event_start(nn, NGUARD_EVENT_ANOMALY, true, &nest, &hdr);
	if (!skb)
		return;
	if (nla_put_u8(skb, NGUARD_EVENT_A_KIND, kind) ||
	    nla_put_u8(skb, NGUARD_EVENT_A_ACTION, action) ||
	    nla_put(skb, NGUARD_EVENT_A_SRC, alen, pkt->saddr) ||
	    nla_put(skb, NGUARD_EVENT_A_DST, alen, pkt->daddr) ||
	    nla_put_u8(skb, NGUARD_EVENT_A_PROTO, pkt->proto) ||
	    nla_put_u16(skb, NGUARD_EVENT_A_SPORT, pkt->sport) ||
	    nla_put_u16(skb, NGUARD_EVENT_A_DPORT, pkt->dport) ||
	    nla_put_u16(skb, NGUARD_EVENT_A_SRC_SEG, j->src_seg) ||
	    nla_put_u16(skb, NGUARD_EVENT_A_DST_SEG, j->dst_seg) ||
	    nla_put_u32(skb, NGUARD_EVENT_A_COUNT, count) ||
	    (pkt->family == 6 &&
	     nla_put_u8(skb, NGUARD_EVENT_A_SRC_PREFIX_LEN,
			ng_policy_src_plen(p, 6))) ||
	    (a.block_secs &&
	     nla_put_u32(skb, NGUARD_EVENT_A_BLOCK_SECS, block_secs)) ||
	    nla_put_u64_64bit(skb, NGUARD_EVENT_A_POLICY_GEN, p->gen,
			      NGUARD_EVENT_A_PAD)) {
		nlmsg_free(skb);
		return;
	}
	ng_event_send(nn, skb, nest, hdr);
}

void ng_event_block(struct ng_net *nn, u8 type, u8 family, const u8 *addr,
		    u8 plen, u8 reason, u32 secs)
{
	const char *what = type == NGUARD_EVENT_BLOCK ? "block" :
			   type == NGUARD_EVENT_EXPIRE ? "unblock" : NULL;
	/* An administrator's own block: said every time, like an unblock. */
	bool by_hand = type == NGUARD_EVENT_UNBLOCK ||
		       (type == NGUARD_EVENT_BLOCK &&
			reason == NGUARD_DETECT_MANUAL);
	struct nlattr *nest;
	struct sk_buff *skb;
	char a[48];
	void *hdr;

	/* Blocks and expiries follow traffic: rate-limited. */
	if (what && (by_hand || ng_log_allow(&nn->log))) {
		ng_fmt_src(a, sizeof(a), family, addr, plen);
		if (type == NGUARD_EVENT_BLOCK)
			pr_info("block src=%s reason=%s for %us%s\n", a,
				ng_detector_name(reason), secs,
				by_hand ? " (by hand)" : "");
		else
			pr_info("unblock src=%s reason=%s expired\n", a,
				ng_detector_name(reason));
	}
	skb = ng_event_start(nn, type, !by_hand, &nest, &hdr);
	if (!skb)
		return;
	if (nla_put_u8(skb, NGUARD_EVENT_A_KIND, reason) ||
	    nla_put(skb, NGUARD_EVENT_A_SRC, family == 4 ? 4 : 16, addr) ||
	    (family == 6 && plen &&
	     nla_put_u8(skb, NGUARD_EVENT_A_SRC_PREFIX_LEN, plen)) ||
	    (secs && nla_put_u32(skb, NGUARD_EVENT_A_BLOCK_SECS, secs))) {
		nlmsg_free(skb);
		return;
	}
	ng_event_send(nn, skb, nest, hdr);
}

void ng_event_policy(struct ng_net *nn, u8 type, u64 gen)
{
	struct nlattr *nest;
	struct sk_buff *skb;
	void *hdr;

	skb = ng_event_start(nn, type, false, &nest, &hdr);
	if (!skb)
		return;
	if (nla_put_u64_64bit(skb, NGUARD_EVENT_A_POLICY_GEN, gen,
			      NGUARD_EVENT_A_PAD)) {
		nlmsg_free(skb);
		return;
	}
	ng_event_send(nn, skb, nest, hdr);
}

u32 ng_events_ring_copy(struct ng_net *nn, struct ng_anomaly *out,
			u64 *total)
{
	struct ng_events *ev = &nn->ev;
	u32 next, n, i;

	spin_lock_bh(&ev->ring_lock);
	next = ev->ring_next;
	*total = ev->ring_total;
	n = min_t(u64, *total, NG_RING_SIZE);
	for (i = 0; i < n; i++)
		out[i] = ev->ring[(next + NG_RING_SIZE - n + i) % NG_RING_SIZE];
	spin_unlock_bh(&ev->ring_lock);
	return n;
}
