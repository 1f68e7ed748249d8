/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-connection rate limit ("limit conn RATE/s burst N bytes SIZE/s"):
 * two token buckets that live in the connection entry itself (struct
 * ng_conn: tb_pkts, tb_bytes; the refill clock is the entry's @last), so
 * the limit costs no memory beyond the 96-byte entry.
 *
 * Packet tokens are a u16 scaled by @pkt_scale = 65535 / burst, so any
 * burst up to 65535 packets fits; byte tokens are plain bytes (a burst is
 * capped at 4 GiB). Both refill per jiffy; a rate below HZ / pkt_scale
 * packets per second rounds down. Updates take no lock: packets of one
 * connection handled by two CPUs at the same instant may both spend the
 * same token, so the limit holds per connection within the number of
 * CPUs that process it concurrently (one, for a flow that RSS keeps on a
 * queue).
 */
#ifndef NGUARD_RATELIMIT_H
#define NGUARD_RATELIMIT_H

#include <linux/jiffies.h>
#include <linux/minmax.h>
#include "conntab.h"

struct ng_limit_rt {
	bool on;
	u32 pkt_rate;		/* packets per second, 0 = none */
	u32 pkt_scale;
	u32 pkt_cap;		/* burst * scale */
	u64 byte_rate;		/* bytes per second, 0 = none */
	u32 byte_cap;
};

/* Idle gaps longer than this refill the buckets completely anyway. */
#define NG_LIMIT_MAX_GAP	(60 * HZ)

/* ng_limit_take() at time @now (jiffies); the KUnit suite drives @now. */
static inline bool __ng_limit_take(const struct ng_limit_rt *l,
				   struct ng_conn *c, unsigned int segs,
				   unsigned int len, u32 now)
{
	u32 gap = now - READ_ONCE(c->last);
	bool ok = true, full;
	u64 t, cost;

	if ((s32)gap < 0)
		gap = 0;
	/* Also keeps the products below within 64 bits. */
	full = gap > NG_LIMIT_MAX_GAP;
	if (l->pkt_rate) {
		t = full ? l->pkt_cap :
		    min_t(u64, READ_ONCE(c->tb_pkts) +
			  (u64)gap * l->pkt_rate * l->pkt_scale / HZ, l->pkt_cap);
		/* A GSO packet bigger than the burst passes on a full bucket. */
		cost = min_t(u64, (u64)segs * l->pkt_scale, l->pkt_cap);
		if (t >= cost)
			t -= cost;
		else
			ok = false;
		WRITE_ONCE(c->tb_pkts, (u16)t);
	}
	if (l->byte_rate) {
		t = full ? l->byte_cap :
		    min_t(u64, READ_ONCE(c->tb_bytes) +
			  (u64)gap * l->byte_rate / HZ, l->byte_cap);
		cost = min_t(u64, len, l->byte_cap);
		if (ok && t >= cost)
			t -= cost;
		else
			ok = false;
		WRITE_ONCE(c->tb_bytes, (u32)t);
	}
	WRITE_ONCE(c->last, now);
	return ok;
}

/* Spend the tokens of one packet; false: over the limit, drop it. */
static inline bool ng_limit_take(const struct ng_limit_rt *l,
				 struct ng_conn *c, unsigned int segs,
				 unsigned int len)
{
	return __ng_limit_take(l, c, segs, len, (u32)jiffies);
}

/* Tokens left, in packets and bytes, for dumps. */
static inline u32 ng_limit_pkts_left(const struct ng_limit_rt *l,
				     const struct ng_conn *c)
{
	return l->pkt_rate ? min_t(u32, READ_ONCE(c->tb_pkts), l->pkt_cap) /
			     l->pkt_scale : 0;
}

static inline u32 ng_limit_bytes_left(const struct ng_limit_rt *l,
				      const struct ng_conn *c)
{
	return l->byte_rate ? min_t(u32, READ_ONCE(c->tb_bytes), l->byte_cap) : 0;
}

#endif /* NGUARD_RATELIMIT_H */
