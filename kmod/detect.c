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
 *  bruteforce per source and statement: new connections to the
 *            statement's service (one protocol, its ports) in any host
 *            of the scope, allowed or not: a TCP SYN without ACK, for
 *            other protocols a packet no connection covers. Counted in
 *            eight slices of the window (a ring, each slice one eighth
 *            long): the sum covers less than one window, so the detector
 *            never fires before N connections came within the window; it
 *            may overlook up to an eighth of a window's worth of older
 *            ones. A denied connection that repeats itself (the same SYN
 *            retransmitted: port and sequence number; UDP: the same
 *            source port) counts once. The episode lasts while the sum
 *            stays at N or above; each counted connection of it fires.
 *
 * Trackers weigh their evidence (score, hosts, connections, a drained SYN
 * bucket), and
 * a full bucket gives up its least valuable slot; see ng_weigh().
 *
 * What fired goes back to the caller (enforce.c): which detector, its
 * measure, whether this is the first firing of the episode (reported
 * once; tcpflags: every packet, rate-limited by the reports) and, for
 * synflood, whether the source floods by itself (only such a source may be
 * quarantined; a forged one-packet source never is). The caller reports,
 * then applies the action: log only, drop the packet (and, for portscan
 * and sweep, every further packet of the source's episode), or
 * quarantine the source (quarantine.c, which refuses exempt and forged
 * sources). In monitor mode every action is downgraded to log. This file
 * calls nothing above the tracker table and the policy.
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
#include "conntab.h"
#include "detect.h"
#include "nguard.h"
#include "packet.h"
#include "policy.h"
#include "tracker.h"

/* Connections in a bruteforce slot's window. */
static u32 ng_brute_sum(const struct ng_trk_slot *s)
{
	u32 i, n = 0;

	for (i = 0; i < NG_BRUTE_SLICES; i++)
		n += s->brute.count[i];
	return n;
}

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
	case NG_TRK_BRUTE:
		return ng_brute_sum(s);
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

/* The first bruteforce statement whose scope and service match @pkt. */
static const struct ng_detector *ng_find_brute(const struct ng_policy *p,
					       const struct ng_pkt *pkt,
					       const struct ng_judgement *j)
{
	const struct ng_detector *d;
	u32 i, k;

	for (i = 0; i < p->src.ndet; i++) {
		d = &p->src.det[i];
		if (d->kind != NGUARD_DETECT_BRUTEFORCE ||
		    d->proto != pkt->proto || !ng_scope(d, j))
			continue;
		for (k = 0; k < d->nports; k++)
			if (pkt->dport >= d->ports[k].lo &&
			    pkt->dport <= d->ports[k].hi)
				return d;
	}
	return NULL;
}

/*
 * Is @pkt a new connection for bruteforce? TCP: a SYN without ACK;
 * other protocols with ports: any packet that reached the detectors.
 * *@tag identifies it (never 0) so that a repeat is counted once.
 */
static bool ng_brute_conn(const struct ng_pkt *pkt, u32 *tag)
{
	if (pkt->proto == IPPROTO_TCP) {
		*tag = jhash_2words(pkt->sport, pkt->tcp_seq, 0) | 1;
		return (pkt->tcp_flags & (NG_TCP_SYN | NG_TCP_ACK)) ==
		       NG_TCP_SYN;
	}
	*tag = pkt->sport | 0x10000;
	return true;
}

/*
 * Count one new connection of @src to @d's service at @now: the ring of
 * eighths moves on first (slices older than the window are emptied), a
 * repeat of the last counted one is skipped when @repeat_skips (the
 * policy denied it: a retransmission, not a new attempt). True while the
 * window holds at least d->hits; *@hits is the window's sum, *@first
 * marks the first firing of the episode.
 */
static bool ng_brute(struct ng_net *nn, struct ng_trk *t,
		     const struct ng_detector *d, u16 idx, u8 family,
		     const u8 *src, u32 tag, bool repeat_skips, u32 now,
		     u32 *hits, bool *first)
{
	u32 slice = max_t(u32, msecs_to_jiffies(d->window_ms) / NG_BRUTE_SLICES,
			  1);
	struct ng_trk_key k;
	struct ng_trk_slot *s;
	bool fresh, fired;
	u32 b, shift, n;

	ng_key(&k, family, src, NG_TRK_BRUTE, idx);
	s = ng_slot(nn, t, &k, &b, now, &fresh);
	shift = fresh ? NG_BRUTE_SLICES : (now - s->brute.start) / slice;
	if (shift >= NG_BRUTE_SLICES) {
		u32 last = fresh ? 0 : s->brute.tag;

		memset(&s->brute, 0, sizeof(s->brute));
		s->brute.start = now;
		s->brute.tag = last;
	} else if (shift) {
		s->brute.start += shift * slice;
		while (shift--) {
			s->brute.head = (s->brute.head + 1) % NG_BRUTE_SLICES;
			s->brute.count[s->brute.head] = 0;
		}
	}
	if (!(repeat_skips && tag == s->brute.tag)) {
		if (s->brute.count[s->brute.head] < U16_MAX)
			s->brute.count[s->brute.head]++;
		s->brute.tag = tag;
	}
	s->last = now;
	n = ng_brute_sum(s);
	*hits = n;
	fired = n >= d->hits;
	*first = fired && !s->brute.fired;
	s->brute.fired = fired;
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

bool ng_detect_drops(const struct ng_policy *p,
		     const struct ng_detect_result *r)
{
	u32 i;

	if (p->src.mode == NGUARD_MODE_MONITOR)
		return false;
	for (i = 0; i < r->n; i++)
		if (r->fired[i].d->action != NGUARD_ACTION_LOG)
			return true;
	return false;
}

u8 ng_detect_shown_action(const struct ng_policy *p,
			  const struct ng_detector *d)
{
	return p->src.mode == NGUARD_MODE_MONITOR ? NGUARD_ACTION_LOG : d->action;
}

void ng_detect_detail(const struct ng_detect_fired *f,
		      const struct ng_pkt *pkt, char *buf, size_t len)
{
	switch (f->d->kind) {
	case NGUARD_DETECT_TCPFLAGS:
		snprintf(buf, len, "flags=%s", f->why);
		break;
	case NGUARD_DETECT_PORTSCAN:
		snprintf(buf, len, "dport=%u score=%u", pkt->dport, f->count);
		break;
	case NGUARD_DETECT_SWEEP:
		snprintf(buf, len, "hosts=%u window=%ums", f->count,
			 f->d->window_ms);
		break;
	case NGUARD_DETECT_SYNFLOOD:
		snprintf(buf, len, "dport=%u rate>%u/s", pkt->dport,
			 f->d->rate);
		break;
	case NGUARD_DETECT_BRUTEFORCE:
		snprintf(buf, len, "dport=%u hits=%u window=%ums", pkt->dport,
			 f->count, f->d->window_ms);
		break;
	default:
		buf[0] = '\0';
	}
}

static void ng_fired(struct ng_detect_result *r, const struct ng_detector *d,
		     u32 count, const char *why, bool first, bool heavy)
{
	struct ng_detect_fired *f = &r->fired[r->n++];

	f->d = d;
	f->count = count;
	f->why = why;
	f->first = first;
	f->heavy = heavy;
}

u32 ng_detect(struct ng_net *nn, const struct ng_policy *p,
	      const struct ng_pkt *pkt, const struct ng_judgement *j,
	      struct ng_detect_result *r)
{
	struct ng_trk *t = rcu_dereference(nn->det.trk);
	const struct ng_detector *d;
	u32 now = (u32)jiffies, n, tag;
	const char *why;
	bool first;

	r->n = 0;
	if (pkt->kind != NG_PKT_FLOW)
		return 0;
	/* An IPv6 scanner owns its prefix: evidence is kept per prefix. */
	ng_src_mask(pkt->family, pkt->saddr,
		    ng_policy_src_plen(p, pkt->family), r->src);

	if (pkt->proto == IPPROTO_TCP) {
		d = ng_find(p, NGUARD_DETECT_TCPFLAGS, j);
		why = d ? ng_tcp_anomaly(pkt->tcp_flags) : NULL;
		if (why) {
			ng_stats_inc(&nn->stats, NGUARD_CNT_ANOMALY_TCPFLAGS);
			ng_fired(r, d, pkt->tcp_flags, why, true, true);
		}
	}
	if (!t)
		return r->n;

	d = ng_proto_has_ports(pkt->proto) ?
	    ng_find(p, NGUARD_DETECT_PORTSCAN, j) : NULL;
	if (d && ng_psd(nn, t, d, pkt, r->src, now, &n, &first)) {
		if (first)
			ng_stats_inc(&nn->stats, NGUARD_CNT_ANOMALY_PORTSCAN);
		ng_fired(r, d, n, NULL, first, true);
	}

	d = ng_find(p, NGUARD_DETECT_SWEEP, j);
	if (d && ng_sweep(nn, t, d, pkt, r->src, j->dst_seg, now, &n, &first)) {
		if (first)
			ng_stats_inc(&nn->stats, NGUARD_CNT_ANOMALY_SWEEP);
		ng_fired(r, d, n, NULL, first, true);
	}

	d = ng_proto_has_ports(pkt->proto) ? ng_find_brute(p, pkt, j) : NULL;
	if (d && ng_brute_conn(pkt, &tag) &&
	    ng_brute(nn, t, d, d - p->src.det, pkt->family, r->src, tag,
		     j->verdict != NGUARD_VERDICT_ALLOW, now, &n, &first)) {
		if (first)
			ng_stats_inc(&nn->stats, NGUARD_CNT_ANOMALY_BRUTEFORCE);
		ng_fired(r, d, n, NULL, first, true);
	}

	if (pkt->proto == IPPROTO_TCP &&
	    (pkt->tcp_flags & (NG_TCP_SYN | NG_TCP_ACK)) == NG_TCP_SYN) {
		d = ng_find(p, NGUARD_DETECT_SYNFLOOD, j);
		if (d && ng_synflood(nn, t, d, pkt, now, &first)) {
			if (first)
				ng_stats_inc(&nn->stats,
					     NGUARD_CNT_ANOMALY_SYNFLOOD);
			/* Only a source that floods by itself may be blocked. */
			ng_fired(r, d, d->rate, NULL, first,
				 d->action == NGUARD_ACTION_BLOCK &&
				 ng_syn_heavy(nn, t, d, pkt, r->src, now));
		}
	}
	return r->n;
}

/* Tracker slots when the policy does not say: RAM / 64 KiB, bounded. */
static u32 ng_trackers_default(void)
{
	u64 n = (u64)totalram_pages() * PAGE_SIZE / SZ_64K;

	return clamp_t(u64, n, 4096, 262144);
}

static bool ng_needs_trackers(const struct ng_policy *p)
{
	u32 i;

	for (i = 0; p && i < p->src.ndet; i++)
		if (p->src.det[i].kind != NGUARD_DETECT_TCPFLAGS)
			return true;
	return false;
}

struct ng_trk *ng_detect_policy_changed(struct ng_net *nn,
					const struct ng_policy *p)
{
	u32 want = 0;

	if (ng_needs_trackers(p))
		want = p->src.trackers_max ?: ng_trackers_default();
	return ng_trk_swap(&nn->det.trk, &nn->lock, want, "tracker");
}
