// SPDX-License-Identifier: GPL-2.0-only
/*
 * Anomaly detectors — theory of operation.
 *
 * The detectors look only at packets that no tracked connection covers
 * (enforce.c calls ng_detect() after the policy judged the packet, so the
 * segments are known): established traffic never counts and costs
 * nothing here. Each "detect" statement applies to packets whose segment
 * pair matches its from/to scope; per kind the first matching statement
 * in file order is used.
 *
 *  tcpflags  stateless: NULL, XMAS (FIN+PSH+URG), SYN+FIN, SYN+RST, FIN
 *            without ACK, and packets without SYN and without ACK that
 *            would open a connection. (A packet with ACK but no SYN is
 *            accepted: it belongs to a connection older than the table.)
 *  portscan  per source, psd-style: a destination port not seen from the
 *            source in this episode weighs 3 below 1024, 1 above; the
 *            score starts over when the source pauses longer than the
 *            window; the detector fires when the score reaches the
 *            weight. Ports are remembered in a 64-bit hashed bitmap.
 *            TCP, UDP, UDP-Lite, SCTP, DCCP.
 *  sweep     per source and destination segment: distinct destination
 *            hosts (a 256-bit hashed bitmap) within a window that starts
 *            at the first contact; fires at the host threshold.
 *  synflood  per destination host: a token bucket of new TCP connections
 *            (SYN without ACK); every SYN over it is an excess. A flood
 *            ends when the bucket has refilled completely.
 *
 * Trackers weigh their evidence (score, hosts, a drained SYN bucket), and
 * a full bucket gives up its least valuable slot; see ng_weigh().
 *
 * A detector that fires reports once per episode (tcpflags and synflood:
 * rate-limited per packet / per flood) and applies its action: log only,
 * drop the packet (and, for portscan and sweep, every further packet of
 * the source's episode), or quarantine the source. In monitor mode every
 * action is downgraded to log. Quarantine is refused (the packet is only
 * dropped) for a source the policy exempts and for a source that fails a
 * strict reverse-path check (the route back to it does not leave through
 * the interface the packet came in on): evidence from a forged address
 * must not cut that address off (block_exempt, block_spoofed).
 *
 * State lives in the namespace's tracker table (tracker.c): fixed size,
 * set-associative, random-keyed; a slot's weight for takeover is its
 * score or host count, so spoofed one-packet sources cannot push out a
 * scanner that is about to fire.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hash.h>
#include <linux/jhash.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <net/dst.h>
#include "conntab.h"
#include "detect.h"
#include "nguard.h"
#include "packet.h"
#include "policy.h"
#include "tracker.h"

/* Slots idle this long weigh nothing, whatever their score. */
#define NG_TRK_STALE	(3600 * HZ)

static bool ng_scope(const struct ng_detector *d, const struct ng_judgement *j)
{
	return (d->from == NGUARD_SEGMENT_ANY || d->from == j->src_seg) &&
	       (d->to == NGUARD_SEGMENT_ANY || d->to == j->dst_seg);
}

static const struct ng_detector *ng_find(const struct ng_policy *p, u8 kind,
					 const struct ng_judgement *j)
{
	u32 i;

	for (i = 0; i < p->src.ndet; i++)
		if (p->src.det[i].kind == kind && ng_scope(&p->src.det[i], j))
			return &p->src.det[i];
	return NULL;
}

#define NG_TCP_PSH	0x08
#define NG_TCP_URG	0x20

static const char *ng_tcp_anomaly(u8 f)
{
	f &= 0x3f;
	if (!f)
		return "null";
	if ((f & (NG_TCP_FIN | NG_TCP_PSH | NG_TCP_URG)) ==
	    (NG_TCP_FIN | NG_TCP_PSH | NG_TCP_URG))
		return "xmas";
	if ((f & (NG_TCP_SYN | NG_TCP_FIN)) == (NG_TCP_SYN | NG_TCP_FIN))
		return "syn+fin";
	if ((f & (NG_TCP_SYN | NG_TCP_RST)) == (NG_TCP_SYN | NG_TCP_RST))
		return "syn+rst";
	if ((f & (NG_TCP_FIN | NG_TCP_ACK)) == NG_TCP_FIN)
		return "fin-without-ack";
	if (!(f & (NG_TCP_SYN | NG_TCP_ACK)))
		return "no-syn";
	return NULL;
}

/*
 * How much a slot is worth keeping: its evidence of an attack in progress.
 * A destination whose SYN bucket ran dry outweighs everything else, so a
 * spoofed-source flood cannot reset the bucket that is limiting it.
 */
static u32 ng_weigh(const struct ng_trk_slot *s, u32 now)
{
	if (now - s->last > NG_TRK_STALE)
		return 0;
	switch (s->key.kind) {
	case NG_TRK_PSD:
		return s->psd.score;
	case NG_TRK_SWEEP:
		return s->sweep.count;
	case NG_TRK_SYN:
		if (s->syn.fired)
			return U16_MAX;
		fallthrough;
	case NG_TRK_SYNSRC:
		/* Connections taken from the bucket, at most the burst. */
		return s->syn.burst - min_t(u32, s->syn.tokens / 1000,
					    s->syn.burst);
	}
	return 0;
}

static void ng_key(struct ng_trk_key *k, u8 family, const u8 *addr, u8 kind,
		   u16 seg)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->addr, addr, family == 4 ? 4 : 16);
	k->family = family;
	k->kind = kind;
	k->seg = seg;
}

/* Find or take the slot of @k; @b is left locked. */
static struct ng_trk_slot *ng_slot(struct ng_net *nn, struct ng_trk *t,
				   const struct ng_trk_key *k, u32 *b,
				   u32 now, bool *fresh)
	__acquires(&t->lock)
{
	struct ng_trk_slot *s;
	bool evicted;

	*b = ng_trk_bucket(t, k);
	ng_trk_lock(t, *b);
	s = ng_trk_find(t, *b, k);
	*fresh = !s;
	if (!s) {
		s = ng_trk_claim(t, *b, k, now, ng_weigh, &evicted);
		if (evicted)
			ng_stats_inc(&nn->stats, NGUARD_CNT_TRACKER_EVICTIONS);
	}
	return s;
}

/*
 * Portscan score of the source after this packet; *@first on firing.
 * @src: the source as a key (IPv6: its prefix, see ng_src_mask()).
 */
static bool ng_psd(struct ng_net *nn, struct ng_trk *t,
		   const struct ng_detector *d, const struct ng_pkt *pkt,
		   const u8 *src, u32 now, u32 *score, bool *first)
{
	u64 bit = 1ULL << hash_32(pkt->dport, 6);
	struct ng_trk_key k;
	struct ng_trk_slot *s;
	bool fresh, fired;
	u32 b;

	ng_key(&k, pkt->family, src, NG_TRK_PSD, 0);
	s = ng_slot(nn, t, &k, &b, now, &fresh);
	if (!fresh && now - s->last > msecs_to_jiffies(d->window_ms)) {
		s->psd.score = 0;
		s->psd.ports = 0;
		s->psd.fired = 0;
	}
	if (!(s->psd.ports & bit)) {
		s->psd.ports |= bit;
		s->psd.score = min_t(u32, U16_MAX,
				     s->psd.score + (pkt->dport < 1024 ? 3 : 1));
	}
	s->last = now;
	*score = s->psd.score;
	fired = s->psd.score >= d->weight;
	*first = fired && !s->psd.fired;
	if (fired)
		s->psd.fired = 1;
	ng_trk_unlock(t, b);
	return fired;
}

static bool ng_sweep(struct ng_net *nn, struct ng_trk *t,
		     const struct ng_detector *d, const struct ng_pkt *pkt,
		     const u8 *src, u16 dst_seg, u32 now, u32 *hosts,
		     bool *first)
{
	u32 h = jhash(pkt->daddr, pkt->family == 4 ? 4 : 16, 0) & 255;
	struct ng_trk_key k;
	struct ng_trk_slot *s;
	bool fresh, fired;
	u32 b;

	ng_key(&k, pkt->family, src, NG_TRK_SWEEP, dst_seg);
	s = ng_slot(nn, t, &k, &b, now, &fresh);
	if (fresh || now - s->sweep.start > msecs_to_jiffies(d->window_ms)) {
		memset(&s->sweep, 0, sizeof(s->sweep));
		s->sweep.start = now;
	}
	if (!(s->sweep.hosts[h / 64] & (1ULL << (h % 64)))) {
		s->sweep.hosts[h / 64] |= 1ULL << (h % 64);
		s->sweep.count++;
	}
	s->last = now;
	*hosts = s->sweep.count;
	fired = s->sweep.count >= d->hosts;
	*first = fired && !s->sweep.fired;
	if (fired)
		s->sweep.fired = 1;
	ng_trk_unlock(t, b);
	return fired;
}

/*
 * Take one connection from the token bucket of slot @s (rate and burst of
 * @d); true when the bucket is empty: the SYN is an excess.
 */
static bool ng_syn_take(struct ng_trk_slot *s, const struct ng_detector *d,
			u32 now, bool fresh)
{
	u64 cap = (u64)d->burst * 1000, tokens, refill;
	bool excess;

	tokens = fresh ? cap : s->syn.tokens;
	/* gap * rate fits in 64 bits, * 1000 may not: it fills the bucket. */
	refill = (u64)(now - s->last) * d->rate;
	if (fresh || refill >= ((u64)d->burst + 1) * HZ)
		tokens = cap;
	else
		tokens = min(tokens + refill * 1000 / HZ, cap);
	excess = tokens < 1000;
	if (!excess)
		tokens -= 1000;
	s->syn.tokens = tokens;
	s->syn.burst = d->burst;
	s->last = now;
	return excess;
}

/* True when this SYN exceeds the destination's rate. */
static bool ng_synflood(struct ng_net *nn, struct ng_trk *t,
			const struct ng_detector *d, const struct ng_pkt *pkt,
			u32 now, bool *first)
{
	u64 cap = (u64)d->burst * 1000;
	struct ng_trk_key k;
	struct ng_trk_slot *s;
	bool fresh, excess;
	u32 b;

	ng_key(&k, pkt->family, pkt->daddr, NG_TRK_SYN, 0);
	s = ng_slot(nn, t, &k, &b, now, &fresh);
	excess = ng_syn_take(s, d, now, fresh);
	/* A flood lasts until the bucket is full again: one report each. */
	*first = excess && !s->syn.fired;
	if (excess)
		s->syn.fired = 1;
	else if (s->syn.tokens + 1000 >= cap)
		s->syn.fired = 0;
	ng_trk_unlock(t, b);
	return excess;
}

/*
 * During a flood, is this SYN's source itself over the rate? Its own
 * bucket (same rate and burst) is only kept while the destination is
 * flooded, so a source is "heavy" after it alone sent more than the
 * burst of excess SYNs: a forged one-packet source never is.
 */
static bool ng_syn_heavy(struct ng_net *nn, struct ng_trk *t,
			 const struct ng_detector *d, const struct ng_pkt *pkt,
			 const u8 *src, u32 now)
{
	struct ng_trk_key k;
	struct ng_trk_slot *s;
	bool fresh, heavy;
	u32 b;

	ng_key(&k, pkt->family, src, NG_TRK_SYNSRC, 0);
	s = ng_slot(nn, t, &k, &b, now, &fresh);
	heavy = ng_syn_take(s, d, now, fresh);
	ng_trk_unlock(t, b);
	return heavy;
}

/*
 * Strict reverse path: would the route back to the source leave through
 * the interface the packet arrived on? A forged source fails it (unless
 * forged from the same link). Our own packets have no input interface.
 */
static bool ng_src_routes_back(const struct ng_pkt *pkt,
			       const struct nf_hook_state *state)
{
	struct dst_entry *dst = NULL;
	struct flowi fl;
	bool ok;

	if (!state || !state->in)
		return true;
	memset(&fl, 0, sizeof(fl));
	if (pkt->family == 4) {
		memcpy(&fl.u.ip4.daddr, pkt->saddr, 4);
		if (nf_ip_route(state->net, &dst, &fl, false))
			return false;
	} else {
#if IS_ENABLED(CONFIG_IPV6)
		memcpy(&fl.u.ip6.daddr, pkt->saddr, 16);
		/* A link-local source only routes on its own link. */
		if (ipv6_addr_type(&fl.u.ip6.daddr) & IPV6_ADDR_LINKLOCAL)
			fl.u.ip6.flowi6_oif = state->in->ifindex;
		if (nf_ip6_route(state->net, &dst, &fl, false))
			return false;
#else
		return false;
#endif
	}
	ok = dst->dev == state->in;
	dst_release(dst);
	return ok;
}

/*
 * May a detector quarantine the packet's source? Never an exempt source,
 * never a forged one (counted, and said once per episode: @first).
 */
static bool ng_may_block(struct ng_net *nn, const struct ng_policy *p,
			 const struct ng_pkt *pkt, const struct ng_judgement *j,
			 const struct nf_hook_state *state, bool first)
{
	if (p->src.nexempt &&
	    ng_policy_exempt(p, pkt->family, pkt->saddr, j->src_seg)) {
		ng_stats_inc(&nn->stats, NGUARD_CNT_BLOCK_EXEMPT);
		return false;
	}
	if (!ng_src_routes_back(pkt, state)) {
		ng_stats_inc(&nn->stats, NGUARD_CNT_BLOCK_SPOOFED);
		if (first && ng_log_allow(&nn->log)) {
			if (pkt->family == 4)
				pr_info("not quarantining src=%pI4: it does not route back through %s (forged?)\n",
					pkt->saddr, state->in->name);
			else
				pr_info("not quarantining src=%pI6c: it does not route back through %s (forged?)\n",
					pkt->saddr, state->in->name);
		}
		return false;
	}
	return true;
}

/*
 * Apply @d's action to the packet's source; true: drop the packet. A
 * block falls back to a drop when the source may not be quarantined, or
 * when the detector did not single it out (@heavy false: synflood).
 */
static bool ng_act(struct ng_net *nn, const struct ng_policy *p,
		   const struct ng_detector *d, const struct ng_pkt *pkt,
		   const u8 *src, const struct ng_judgement *j,
		   const struct nf_hook_state *state, bool first, bool heavy)
{
	if (p->src.mode == NGUARD_MODE_MONITOR)
		return false;
	if (d->action == NGUARD_ACTION_BLOCK && heavy &&
	    ng_may_block(nn, p, pkt, j, state, first))
		ng_block(nn, pkt->family, src,
			 ng_policy_src_plen(p, pkt->family), d->kind,
			 d->block_secs);
	return d->action != NGUARD_ACTION_LOG;
}

static u8 ng_shown_action(const struct ng_policy *p, const struct ng_detector *d)
{
	return p->src.mode == NGUARD_MODE_MONITOR ? NGUARD_ACTION_LOG : d->action;
}

enum ng_detect_verdict ng_detect(struct ng_net *nn, const struct ng_policy *p,
				 const struct ng_pkt *pkt,
				 const struct ng_judgement *j,
				 const struct nf_hook_state *state)
{
	struct ng_trk *t = rcu_dereference(nn->det.trk);
	const struct ng_detector *d;
	u32 now = (u32)jiffies, n;
	bool drop = false, first;
	const char *why;
	char detail[48];
	u8 src[16];

	if (pkt->kind != NG_PKT_FLOW)
		return NG_DETECT_PASS;
	/* An IPv6 scanner owns its prefix: evidence is kept per prefix. */
	ng_src_mask(pkt->family, pkt->saddr,
		    ng_policy_src_plen(p, pkt->family), src);

	if (pkt->proto == IPPROTO_TCP) {
		d = ng_find(p, NGUARD_DETECT_TCPFLAGS, j);
		why = d ? ng_tcp_anomaly(pkt->tcp_flags) : NULL;
		if (why) {
			ng_stats_inc(&nn->stats, NGUARD_CNT_ANOMALY_TCPFLAGS);
			snprintf(detail, sizeof(detail), "flags=%s", why);
			ng_anomaly_report(nn, p, pkt, j, d->kind,
					  ng_shown_action(p, d), d->block_secs,
					  pkt->tcp_flags, detail);
			drop |= ng_act(nn, p, d, pkt, src, j, state, true, true);
		}
	}
	if (!t)
		return drop ? NG_DETECT_DROP : NG_DETECT_PASS;

	d = ng_proto_has_ports(pkt->proto) ?
	    ng_find(p, NGUARD_DETECT_PORTSCAN, j) : NULL;
	if (d && ng_psd(nn, t, d, pkt, src, now, &n, &first)) {
		if (first) {
			ng_stats_inc(&nn->stats, NGUARD_CNT_ANOMALY_PORTSCAN);
			snprintf(detail, sizeof(detail), "dport=%u score=%u",
				 pkt->dport, n);
			ng_anomaly_report(nn, p, pkt, j, d->kind,
					  ng_shown_action(p, d), d->block_secs,
					  n, detail);
		}
		drop |= ng_act(nn, p, d, pkt, src, j, state, first, true);
	}

	d = ng_find(p, NGUARD_DETECT_SWEEP, j);
	if (d && ng_sweep(nn, t, d, pkt, src, j->dst_seg, now, &n, &first)) {
		if (first) {
			ng_stats_inc(&nn->stats, NGUARD_CNT_ANOMALY_SWEEP);
			snprintf(detail, sizeof(detail), "hosts=%u window=%ums",
				 n, d->window_ms);
			ng_anomaly_report(nn, p, pkt, j, d->kind,
					  ng_shown_action(p, d), d->block_secs,
					  n, detail);
		}
		drop |= ng_act(nn, p, d, pkt, src, j, state, first, true);
	}

	if (pkt->proto == IPPROTO_TCP &&
	    (pkt->tcp_flags & (NG_TCP_SYN | NG_TCP_ACK)) == NG_TCP_SYN) {
		d = ng_find(p, NGUARD_DETECT_SYNFLOOD, j);
		if (d && ng_synflood(nn, t, d, pkt, now, &first)) {
			if (first) {
				ng_stats_inc(&nn->stats,
					     NGUARD_CNT_ANOMALY_SYNFLOOD);
				snprintf(detail, sizeof(detail),
					 "dport=%u rate>%u/s", pkt->dport,
					 d->rate);
				ng_anomaly_report(nn, p, pkt, j, d->kind,
						  ng_shown_action(p, d),
						  d->block_secs, d->rate,
						  detail);
			}
			/* Block only the sources that flood by themselves. */
			drop |= ng_act(nn, p, d, pkt, src, j, state, first,
				       d->action != NGUARD_ACTION_BLOCK ||
				       ng_syn_heavy(nn, t, d, pkt, src, now));
		}
	}
	return drop ? NG_DETECT_DROP : NG_DETECT_PASS;
}

/* Tracker slots when the policy does not say: RAM / 64 KiB, bounded. */
static u32 ng_trackers_default(void)
{
	u64 n = (u64)totalram_pages() * PAGE_SIZE / SZ_64K;

	return clamp_t(u64, n, 4096, 262144);
}

#define NG_BLOCKED_DEFAULT	16384

static bool ng_needs_trackers(const struct ng_policy *p)
{
	u32 i;

	for (i = 0; p && i < p->src.ndet; i++)
		if (p->src.det[i].kind != NGUARD_DETECT_TCPFLAGS)
			return true;
	return false;
}

static bool ng_needs_quarantine(const struct ng_policy *p)
{
	u32 i;

	for (i = 0; p && i < p->src.ndet; i++)
		if (p->src.det[i].action == NGUARD_ACTION_BLOCK)
			return true;
	return false;
}

/*
 * Replace the table at @slot by one of @want slots (0: none). Returns the
 * unpublished table, if any: it is freed after a grace period.
 */
static struct ng_trk *ng_table_resize(struct ng_net *nn,
				      struct ng_trk __rcu **slot, u32 want,
				      const char *what)
{
	struct ng_trk *old = rcu_dereference_protected(*slot,
					lockdep_is_held(&nn->lock));
	u32 buckets = roundup_pow_of_two(max_t(u32, DIV_ROUND_UP(want, NG_TRK_WAYS), 1));
	struct ng_trk *new = NULL;

	if (want && old && old->slots == buckets * NG_TRK_WAYS)
		return NULL;
	if (!want && !old)
		return NULL;
	if (want) {
		new = ng_trk_create(want);
		if (!new) {
			/* Keep the old table; detection goes on at its size. */
			pr_warn("no memory for %u %s slots: keeping %u\n", want,
				what, old ? old->slots : 0);
			return NULL;
		}
	}
	rcu_assign_pointer(*slot, new);
	return old;
}

void ng_detect_retired_free(struct ng_net *nn, struct ng_det_retired *old)
{
	struct ng_trk *blk = rcu_dereference_protected(nn->det.blk,
					lockdep_is_held(&nn->lock));
	u32 n;

	if (old->blk && blk) {
		n = ng_blk_migrate(nn, old->blk, blk);
		if (n)
			pr_info("quarantine resized to %u slots, %u live blocks kept\n",
				blk->slots, n);
	}
	ng_trk_destroy(old->trk);
	ng_trk_destroy(old->blk);
	old->trk = NULL;
	old->blk = NULL;
}

void ng_detect_policy_changed(struct ng_net *nn, const struct ng_policy *p,
			      struct ng_det_retired *old)
{
	u32 trk = 0, blk = 0;

	if (ng_needs_trackers(p))
		trk = p->src.trackers_max ?: ng_trackers_default();
	if (ng_needs_quarantine(p))
		blk = p->src.blocked_max ?: NG_BLOCKED_DEFAULT;
	old->trk = ng_table_resize(nn, &nn->det.trk, trk, "tracker");
	old->blk = ng_table_resize(nn, &nn->det.blk, blk, "quarantine");
	ng_log_set(&nn->log, p ? p->src.log_rate : 0, p ? p->src.log_burst : 0);
	ng_log_set(&nn->det.evlog, p ? p->src.log_rate : 0,
		   p ? p->src.log_burst : 0);
	if (blk)
		mod_delayed_work(system_power_efficient_wq, &nn->det.blk_gc, HZ);
}
