/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Connection table: the TCP state machine and the timeouts, as pure
 * functions of an entry's protocol, state and flags. Inline: the packet
 * path runs them for every packet of a tracked connection. Minimal, per
 * packet flags, no window tracking:
 *   SYN (no ACK) from the originator          -> SYN_SENT (at insert)
 *   SYN+ACK in the reply direction, SYN_SENT   -> SYN_RECV
 *   ACK from the originator, SYN_RECV          -> ESTABLISHED
 *   FIN in SYN_RECV, ESTABLISHED, FIN_WAIT     -> FIN_WAIT, or CLOSING once
 *                                                 both sides sent one
 *   RST in any state                           -> CLOSE
 *   SYN (no ACK) in CLOSE or CLOSING           -> NG_CONN_REOPEN returned
 * A first packet without SYN (a connection older than the table) creates
 * an ESTABLISHED entry that is protected only once the responder answers;
 * until then it has the 60 s timeout of a handshake. Timeouts: conntab.h.
 */
#ifndef NGUARD_CONNTAB_STATE_H
#define NGUARD_CONNTAB_STATE_H

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/types.h>
#include "conntab.h"

/* Established TCP that has seen a reply: never evicted. */
static inline bool ng_ct_prot(u8 proto, u8 state, u8 flags)
{
	return proto == IPPROTO_TCP && state == NG_TCP_ESTABLISHED &&
	       (flags & NG_CONN_F_REPLIED);
}

/* Timeout in seconds of an entry in @state with @flags. */
static inline u32 ng_ct_timeout(u8 proto, u8 state, u8 flags)
{
	switch (proto) {
	case IPPROTO_TCP:
		switch (state) {
		case NG_TCP_SYN_SENT:
		case NG_TCP_SYN_RECV:
			return NG_CT_TIMEOUT_SYN;
		case NG_TCP_ESTABLISHED:
			return flags & NG_CONN_F_REPLIED ? NG_CT_TIMEOUT_ESTABLISHED :
							   NG_CT_TIMEOUT_UNREPLIED_TCP;
		case NG_TCP_FIN_WAIT:
		case NG_TCP_CLOSING:
			return NG_CT_TIMEOUT_FIN;
		default:
			return NG_CT_TIMEOUT_CLOSE;
		}
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
		return flags & NG_CONN_F_REPLIED ? NG_CT_TIMEOUT_UDP_REPLIED :
						   NG_CT_TIMEOUT_UDP;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		return NG_CT_TIMEOUT_ICMP;
	default:
		return NG_CT_TIMEOUT_OTHER;
	}
}

static inline void ng_ct_init_state(struct ng_conn *c, u8 tf)
{
	c->state = NG_TCP_NONE;
	c->flags = 0;
	if (c->key.proto != IPPROTO_TCP)
		return;
	if (tf & NG_TCP_RST) {
		c->state = NG_TCP_CLOSE;
	} else if ((tf & (NG_TCP_SYN | NG_TCP_ACK)) == NG_TCP_SYN) {
		c->state = NG_TCP_SYN_SENT;
	} else if (tf & NG_TCP_FIN) {
		c->state = NG_TCP_FIN_WAIT;
		c->flags = NG_CONN_F_FIN_ORIG;
	} else {
		/* Mid-stream pick-up: protected once the responder answers. */
		c->state = NG_TCP_ESTABLISHED;
	}
}

/* Next TCP state and flags for a packet; see the theory of operation. */
static inline int ng_ct_next(u8 proto, u8 *state, u8 *flags, bool reply, u8 tf)
{
	const u8 fins = NG_CONN_F_FIN_ORIG | NG_CONN_F_FIN_REPLY;
	u8 st = *state, fl = *flags;

	if (proto == IPPROTO_TCP) {
		if (tf & NG_TCP_RST) {
			st = NG_TCP_CLOSE;
		} else if (tf & NG_TCP_SYN) {
			if (!(tf & NG_TCP_ACK)) {
				if (st == NG_TCP_CLOSE || st == NG_TCP_CLOSING)
					return NG_CONN_REOPEN;
			} else if (reply && st == NG_TCP_SYN_SENT) {
				st = NG_TCP_SYN_RECV;
			}
		} else if (tf & NG_TCP_FIN) {
			if (st == NG_TCP_SYN_RECV || st == NG_TCP_ESTABLISHED ||
			    st == NG_TCP_FIN_WAIT) {
				fl |= reply ? NG_CONN_F_FIN_REPLY : NG_CONN_F_FIN_ORIG;
				st = (fl & fins) == fins ? NG_TCP_CLOSING :
							   NG_TCP_FIN_WAIT;
			}
		} else if ((tf & NG_TCP_ACK) && !reply && st == NG_TCP_SYN_RECV) {
			st = NG_TCP_ESTABLISHED;
		}
	}
	if (reply)
		fl |= NG_CONN_F_REPLIED;
	*state = st;
	*flags = fl;
	return 0;
}

#endif /* NGUARD_CONNTAB_STATE_H */
