// SPDX-License-Identifier: GPL-2.0-only
/*
 * Packet parsing — theory of operation.
 *
 * Headers are read with skb_header_pointer(), which copies into a stack
 * buffer when the bytes are not in the linear area, so nothing here
 * changes the skb. IPv6 extension headers are skipped with
 * ipv6_skip_exthdr(). nf_defrag (enabled in every namespace nguard
 * watches) reassembles fragments at priority -400, before our hooks, so a
 * non-first fragment only reaches us when reassembly is impossible; it is
 * treated as malformed.
 *
 * The connection key of a packet (conntab.h) is built from its addresses
 * and ports. Protocols without ports use 0; ICMP and ICMPv6 use the echo
 * identifier and the message type so that a request and its reply share
 * a key and nothing else does (ng_pkt_key()).
 * An ICMP error (destination unreachable, time exceeded, parameter
 * problem, source quench, packet too big) carries the start of the packet
 * that caused it: its key is built from that quoted packet, as that packet
 * travelled, so the error finds the connection it is about; the quoted
 * source is kept so that the caller can check the error travels back to
 * it (ng_pkt_error_returns()). ICMPv6 neighbour discovery (hop limit 255)
 * to a link-local or link-scope multicast address and MLD (link-local
 * source) are link plumbing, passed by the caller whatever the policy
 * says. ND to a wider address (NUD probes a neighbour's global address)
 * is plumbing only when it does not cross a router, which depends on the
 * hook: the caller decides (NG_PKT_ND_UNICAST).
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/ndisc.h>
#include "packet.h"

/* Quoted transport header bytes an ICMP error must carry (RFC 792). */
#define NG_QUOTE_L4	8

/* Big-endian 16 bits at any alignment. */
static inline u16 ng_be16(const u8 *b)
{
	return (u16)(b[0] << 8 | b[1]);
}

static bool ng_icmp4_is_error(u8 type)
{
	return type == ICMP_DEST_UNREACH || type == ICMP_SOURCE_QUENCH ||
	       type == ICMP_REDIRECT || type == ICMP_TIME_EXCEEDED ||
	       type == ICMP_PARAMETERPROB;
}

static bool ng_icmp6_is_error(u8 type)
{
	return type == ICMPV6_DEST_UNREACH || type == ICMPV6_PKT_TOOBIG ||
	       type == ICMPV6_TIME_EXCEED || type == ICMPV6_PARAMPROB;
}

/* Neighbour discovery and multicast listener messages (RFC 4861, 3810). */
static bool ng_icmp6_is_local(u8 type)
{
	return (type >= ICMPV6_MGM_QUERY && type <= ICMPV6_MGM_REDUCTION) ||
	       (type >= NDISC_ROUTER_SOLICITATION && type <= NDISC_REDIRECT) ||
	       type == ICMPV6_MLD2_REPORT;
}

static bool ng_icmp6_is_nd(u8 type)
{
	return type >= NDISC_ROUTER_SOLICITATION && type <= NDISC_REDIRECT;
}

/*
 * ND must arrive with hop limit 255 (RFC 4861 7.1), MLD from a link-local
 * source (RFC 3810 5): anything else is not link plumbing but a packet
 * crossing segments, and the policy judges it.
 */
static bool ng_icmp6_link_scoped(const struct ipv6hdr *ip6, u8 type)
{
	if (ng_icmp6_is_nd(type))
		return ip6->hop_limit == 255;
	return ipv6_addr_type(&ip6->saddr) & IPV6_ADDR_LINKLOCAL ||
	       ipv6_addr_any(&ip6->saddr);
}

/*
 * Transport fields at @off. @quoted: inside an ICMP error, where only the
 * first 8 bytes are guaranteed. Returns the ICMP type for ICMP and
 * ICMPv6 (or 0), -EINVAL when truncated.
 */
static int ng_parse_l4(const struct sk_buff *skb, unsigned int off, u8 proto,
		       bool quoted, struct ng_pkt *p)
{
	u8 buf[14];
	const u8 *h;
	unsigned int need = NG_QUOTE_L4;

	p->sport = 0;
	p->dport = 0;
	if (proto == IPPROTO_TCP && !quoted)
		need = 14;	/* through the flags byte */
	else if (!ng_proto_has_ports(proto) && proto != IPPROTO_ICMP &&
		 proto != IPPROTO_ICMPV6)
		return 0;
	h = skb_header_pointer(skb, off, need, buf);
	if (!h)
		return -EINVAL;
	if (ng_proto_has_ports(proto)) {
		p->sport = ng_be16(h);
		p->dport = ng_be16(h + 2);
		if (proto == IPPROTO_TCP && !quoted) {
			p->tcp_seq = (u32)ng_be16(h + 4) << 16 | ng_be16(h + 6);
			p->tcp_flags = h[13];
		}
		return 0;
	}
	/* ICMP / ICMPv6: type, code, checksum, then id and sequence. */
	p->icmp_type = h[0];
	p->icmp_code = h[1];
	if ((proto == IPPROTO_ICMP &&
	     (h[0] == ICMP_ECHO || h[0] == ICMP_ECHOREPLY)) ||
	    (proto == IPPROTO_ICMPV6 &&
	     (h[0] == ICMPV6_ECHO_REQUEST || h[0] == ICMPV6_ECHO_REPLY)))
		p->sport = ng_be16(h + 4);
	return h[0];
}

/*
 * The key's ports. ICMP has none; its "connection" must match only its
 * own answer: an echo request is (id, TAG), the reply (TAG, id), so that
 * the reply is the request's reverse, but a request in the reply's
 * direction is not; TAG is the request's type << 8, which no other
 * message's (type << 8 | code) can be. Any other message type is
 * (type.code, type.code): an allowed echo exchange opens no other type.
 */
static void ng_pkt_key(struct ng_pkt *p, const u8 *saddr, const u8 *daddr)
{
	__be16 sport = htons(p->sport);
	__be16 dport = htons(p->dport);
	u8 req, rep;

	if (p->proto == IPPROTO_ICMP || p->proto == IPPROTO_ICMPV6) {
		req = p->proto == IPPROTO_ICMP ? ICMP_ECHO : ICMPV6_ECHO_REQUEST;
		rep = p->proto == IPPROTO_ICMP ? ICMP_ECHOREPLY : ICMPV6_ECHO_REPLY;
		if (p->icmp_type == req) {
			dport = htons(req << 8);
		} else if (p->icmp_type == rep) {
			dport = sport;
			sport = htons(req << 8);
		} else {
			sport = htons(p->icmp_type << 8 | p->icmp_code);
			dport = sport;
		}
	}
	ng_conn_key_init(&p->key, p->family, p->proto, saddr, daddr,
			 sport, dport);
}

/* The packet quoted by an ICMPv4 error at @off. */
static int ng_parse_quoted4(const struct sk_buff *skb, unsigned int off,
			    struct ng_pkt *p)
{
	struct ng_pkt q = { .family = 4 };
	struct iphdr buf;
	const struct iphdr *ih;

	ih = skb_header_pointer(skb, off, sizeof(buf), &buf);
	if (!ih || ih->ihl < 5 || ih->version != 4)
		return -EINVAL;
	q.proto = ih->protocol;
	if (ng_parse_l4(skb, off + ih->ihl * 4, q.proto, true, &q) < 0)
		return -EINVAL;
	ng_pkt_key(&q, (const u8 *)&ih->saddr, (const u8 *)&ih->daddr);
	memcpy(p->qsaddr, &ih->saddr, 4);
	p->key = q.key;
	p->kind = NG_PKT_ICMP_ERROR;
	return 0;
}

static int ng_parse_quoted6(const struct sk_buff *skb, unsigned int off,
			    struct ng_pkt *p)
{
	struct ng_pkt q = { .family = 6 };
	struct ipv6hdr buf;
	const struct ipv6hdr *ih;
	__be16 frag_off;
	u8 nexthdr;
	int l4;

	ih = skb_header_pointer(skb, off, sizeof(buf), &buf);
	if (!ih || ih->version != 6)
		return -EINVAL;
	nexthdr = ih->nexthdr;
	l4 = ipv6_skip_exthdr(skb, off + sizeof(buf), &nexthdr, &frag_off);
	if (l4 < 0)
		return -EINVAL;
	q.proto = nexthdr;
	if (ng_parse_l4(skb, l4, q.proto, true, &q) < 0)
		return -EINVAL;
	ng_pkt_key(&q, ih->saddr.s6_addr, ih->daddr.s6_addr);
	memcpy(p->qsaddr, ih->saddr.s6_addr, 16);
	p->key = q.key;
	p->kind = NG_PKT_ICMP_ERROR;
	return 0;
}

static int ng_parse4(const struct sk_buff *skb, struct ng_pkt *p)
{
	const struct iphdr *iph = ip_hdr(skb);
	unsigned int off = skb_network_offset(skb) + iph->ihl * 4;
	int type;

	if (iph->frag_off & htons(IP_OFFSET))
		return -EINVAL;
	memcpy(p->saddr, &iph->saddr, 4);
	memcpy(p->daddr, &iph->daddr, 4);
	p->proto = iph->protocol;
	type = ng_parse_l4(skb, off, p->proto, false, p);
	if (type < 0)
		return type;
	if (p->proto == IPPROTO_ICMP && ng_icmp4_is_error(type))
		return ng_parse_quoted4(skb, off + 8, p);
	ng_pkt_key(p, p->saddr, p->daddr);
	if (!ng_proto_has_ports(p->proto))
		p->dport = 0;
	return 0;
}

static int ng_parse6(const struct sk_buff *skb, struct ng_pkt *p)
{
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);
	__be16 frag_off;
	u8 nexthdr = ip6->nexthdr;
	int off, type;

	off = ipv6_skip_exthdr(skb, skb_network_offset(skb) + sizeof(*ip6),
			       &nexthdr, &frag_off);
	if (off < 0 || (frag_off & htons(IP6_OFFSET)))
		return -EINVAL;
	memcpy(p->saddr, ip6->saddr.s6_addr, 16);
	memcpy(p->daddr, ip6->daddr.s6_addr, 16);
	p->proto = nexthdr;
	type = ng_parse_l4(skb, off, p->proto, false, p);
	if (type < 0)
		return type;
	if (p->proto == IPPROTO_ICMPV6) {
		if (ng_icmp6_is_error(type))
			return ng_parse_quoted6(skb, off + 8, p);
		if (ng_icmp6_is_local(type) && ng_icmp6_link_scoped(ip6, type)) {
			if (!ng_icmp6_is_nd(type) ||
			    ipv6_addr_src_scope(&ip6->daddr) <= IPV6_ADDR_SCOPE_LINKLOCAL) {
				p->kind = NG_PKT_LOCAL;
				return 0;
			}
			p->kind = NG_PKT_ND_UNICAST;
		}
	}
	ng_pkt_key(p, p->saddr, p->daddr);
	if (!ng_proto_has_ports(p->proto))
		p->dport = 0;
	return 0;
}

int ng_pkt_parse(const struct sk_buff *skb, u8 family, struct ng_pkt *p)
{
	p->family = family;
	p->kind = NG_PKT_FLOW;
	p->tcp_flags = 0;
	p->tcp_seq = 0;
	p->icmp_type = 0;
	p->icmp_code = 0;
	return family == 4 ? ng_parse4(skb, p) : ng_parse6(skb, p);
}

const char *ng_proto_name(u8 proto, char buf[4])
{
	switch (proto) {
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	case IPPROTO_ICMP:
		return "icmp";
	case IPPROTO_ICMPV6:
		return "icmpv6";
	case IPPROTO_UDPLITE:
		return "udplite";
	case IPPROTO_SCTP:
		return "sctp";
	case IPPROTO_DCCP:
		return "dccp";
	}
	snprintf(buf, 4, "%u", proto);
	return buf;
}
