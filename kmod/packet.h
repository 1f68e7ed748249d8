/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the packet path needs to know about one packet: its addresses, the
 * transport header fields policy and connection tracking use, and the key
 * of the connection it belongs to. See packet.c.
 */
#ifndef NGUARD_PACKET_H
#define NGUARD_PACKET_H

#include <linux/in.h>
#include <linux/skbuff.h>
#include <linux/types.h>
#include "conntab.h"

enum ng_pkt_kind {
	NG_PKT_FLOW,		/* key: the packet's own connection */
	NG_PKT_ICMP_ERROR,	/* key: the connection the quoted packet is of */
	NG_PKT_LOCAL,		/* ICMPv6 ND / MLD: link-local plumbing */
	/*
	 * ND (hop limit 255) to a wider-scope address: on-link only if that
	 * address is ours or the kernel's ND sent it (the caller decides);
	 * key: as NG_PKT_FLOW.
	 */
	NG_PKT_ND_UNICAST,
};

struct ng_pkt {
	u8 family;		/* 4 or 6 */
	u8 proto;		/* transport protocol after IPv6 ext. headers */
	u8 kind;		/* enum ng_pkt_kind */
	u8 tcp_flags;		/* byte 13 of the TCP header, else 0 */
	u8 icmp_type;		/* ICMP / ICMPv6 type and code, else 0 */
	u8 icmp_code;
	u32 tcp_seq;		/* TCP sequence number, else 0 */
	u16 sport;		/* host order; ICMP echo: identifier */
	u16 dport;		/* host order; the policy's port (0: none) */
	u8 saddr[16];		/* IPv4 in the first 4 bytes */
	u8 daddr[16];
	u8 qsaddr[16];		/* NG_PKT_ICMP_ERROR: the quoted packet's source */
	struct ng_conn_key key;
};

/*
 * An ICMP error is related to the connection it quotes only on its way
 * back to the sender of the quoted packet (nf_conntrack's rule: the outer
 * destination is the quoted source; the error's own source may be any
 * router on the path). Anything else is an ordinary packet.
 */
static inline bool ng_pkt_error_returns(const struct ng_pkt *p)
{
	return !memcmp(p->daddr, p->qsaddr, p->family == 4 ? 4 : 16);
}

/* Protocols whose first 4 transport bytes are source and dest. port. */
static inline bool ng_proto_has_ports(u8 proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP ||
	       proto == IPPROTO_UDPLITE || proto == IPPROTO_SCTP ||
	       proto == IPPROTO_DCCP;
}

/*
 * Parse @skb (network header at skb_network_offset) of @family into @p.
 * Returns 0, or -EINVAL for a truncated or malformed packet and for a
 * fragment that is not the first (defragmentation runs before nguard, so
 * only a broken datagram gets here in pieces).
 */
int ng_pkt_parse(const struct sk_buff *skb, u8 family, struct ng_pkt *p);

/* "tcp", "udp", ... or the number, formatted into @buf. */
const char *ng_proto_name(u8 proto, char buf[4]);

/*
 * Packets a (GSO) skb stands for. gso_segs is 0 in GSO packets from
 * tun/virtio until the stack computes it: count at least one, or such
 * packets would pass packet-rate limits and counters for free.
 */
static inline unsigned int ng_skb_segs(const struct sk_buff *skb)
{
	return skb_is_gso(skb) ? max_t(unsigned int, skb_shinfo(skb)->gso_segs, 1) : 1;
}

#endif /* NGUARD_PACKET_H */
