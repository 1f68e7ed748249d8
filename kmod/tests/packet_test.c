// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite for packet parsing (kmod/packet.c, included below). Builds
 * real skbs, linear and with the headers split into a page fragment, for
 * IPv4 and IPv6: TCP and UDP in both directions, ICMP and ICMPv6 echo,
 * ICMP errors quoting the packet they are about, IPv6 extension headers,
 * neighbour discovery and MLD, fragments and truncated headers. Then
 * feeds random bytes behind valid-looking headers to the parser, which
 * must answer 0 or -EINVAL and never read outside the packet (KASAN).
 */
#include <kunit/test.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/random.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ipv6.h>
#include "../packet.c"

#define PT_MAX		160	/* bytes of a hand-built packet */
#define PT_A4		0x0a000001	/* 10.0.0.1 */
#define PT_B4		0x0a000002
#define PT_R4		0xc0a80001	/* 192.168.0.1, a router */
#define PT_FRAG_OFF	100	/* page offset of the nonlinear part */

static const u8 pt_a6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const u8 pt_b6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
static const u8 pt_r6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0xff, [15] = 0xfe };

/* A packet under construction; @over: a header did not fit. */
struct pt_buf {
	u8 b[PT_MAX] __aligned(8);
	u8 junk[64] __aligned(8);
	unsigned int len;
	bool over;
};

/* Append @n zeroed bytes (8-byte multiples keep the headers aligned). */
static void *pt_put(struct pt_buf *pb, unsigned int n)
{
	void *h;

	if (pb->len + n > PT_MAX || n > sizeof(pb->junk)) {
		pb->over = true;
		return memset(pb->junk, 0, sizeof(pb->junk));
	}
	h = pb->b + pb->len;
	pb->len += n;
	return memset(h, 0, n);
}

static struct iphdr *pt_ip4(struct pt_buf *pb, u8 proto, u32 saddr, u32 daddr)
{
	struct iphdr *ih = pt_put(pb, sizeof(*ih));

	ih->version = 4;
	ih->ihl = 5;
	ih->ttl = 64;
	ih->protocol = proto;
	ih->saddr = htonl(saddr);
	ih->daddr = htonl(daddr);
	return ih;
}

static struct ipv6hdr *pt_ip6(struct pt_buf *pb, u8 nexthdr, const u8 *saddr,
			      const u8 *daddr)
{
	struct ipv6hdr *ih = pt_put(pb, sizeof(*ih));

	ih->version = 6;
	ih->nexthdr = nexthdr;
	ih->hop_limit = 64;
	memcpy(ih->saddr.s6_addr, saddr, 16);
	memcpy(ih->daddr.s6_addr, daddr, 16);
	return ih;
}

/* Hop-by-hop or destination options: 8 bytes, one PadN option. */
static void pt_opts6(struct pt_buf *pb, u8 nexthdr)
{
	u8 *h = pt_put(pb, 8);

	h[0] = nexthdr;
	h[1] = 0;		/* (hdrlen + 1) * 8 bytes */
	h[2] = IPV6_TLV_PADN;
	h[3] = 4;
}

static void pt_frag6(struct pt_buf *pb, u8 nexthdr, u16 offset, bool more)
{
	struct frag_hdr *fh = pt_put(pb, sizeof(*fh));

	fh->nexthdr = nexthdr;
	fh->frag_off = htons(offset << 3 | (more ? IP6_MF : 0));
	fh->identification = htonl(0x1234);
}

static struct tcphdr *pt_tcp(struct pt_buf *pb, u16 sport, u16 dport, u8 flags)
{
	struct tcphdr *th = pt_put(pb, sizeof(*th));

	th->source = htons(sport);
	th->dest = htons(dport);
	th->doff = sizeof(*th) / 4;
	th->window = htons(65535);
	((u8 *)th)[13] = flags;
	return th;
}

static void pt_udp(struct pt_buf *pb, u16 sport, u16 dport)
{
	struct udphdr *uh = pt_put(pb, sizeof(*uh));

	uh->source = htons(sport);
	uh->dest = htons(dport);
	uh->len = htons(sizeof(*uh));
}

/* ICMP and ICMPv6 share the layout of their first 8 bytes. */
static void pt_icmp(struct pt_buf *pb, u8 type, u8 code, u16 id, u16 seq)
{
	struct icmphdr *ih = pt_put(pb, sizeof(*ih));

	ih->type = type;
	ih->code = code;
	ih->un.echo.id = htons(id);
	ih->un.echo.sequence = htons(seq);
}

/*
 * An skb holding @len bytes of @data, the first @linear of them in the
 * head (the network header there), the rest in a page fragment.
 */
static struct sk_buff *pt_skb(const u8 *data, unsigned int len, u8 family,
			      unsigned int linear)
{
	struct sk_buff *skb;
	struct page *page;

	linear = min(linear, len);
	skb = alloc_skb(NET_SKB_PAD + linear, GFP_KERNEL);
	if (!skb)
		return NULL;
	skb_reserve(skb, NET_SKB_PAD);
	skb_reset_network_header(skb);
	skb_put_data(skb, data, linear);
	skb->protocol = htons(family == 4 ? ETH_P_IP : ETH_P_IPV6);
	if (linear == len)
		return skb;
	page = alloc_page(GFP_KERNEL);
	if (!page) {
		kfree_skb(skb);
		return NULL;
	}
	memcpy(page_address(page) + PT_FRAG_OFF, data + linear, len - linear);
	skb_add_rx_frag(skb, 0, page, PT_FRAG_OFF, len - linear, PAGE_SIZE);
	return skb;
}

/* Parse @pb as an skb whose head holds @linear bytes (all if larger). */
static int pt_parse_split(struct kunit *test, struct pt_buf *pb, u8 family,
			  unsigned int linear, struct ng_pkt *p)
{
	struct sk_buff *skb;
	int ret;

	KUNIT_ASSERT_FALSE(test, pb->over);
	if (family == 4) {
		struct iphdr *ih = (struct iphdr *)pb->b;

		ih->tot_len = htons(pb->len);
	} else {
		struct ipv6hdr *ih = (struct ipv6hdr *)pb->b;

		ih->payload_len = htons(pb->len - sizeof(*ih));
	}
	skb = pt_skb(pb->b, pb->len, family, linear);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_EQ(test, skb->len, pb->len);
	KUNIT_EXPECT_EQ(test, skb_headlen(skb), min(linear, pb->len));
	memset(p, 0, sizeof(*p));
	ret = ng_pkt_parse(skb, family, p);
	consume_skb(skb);
	return ret;
}

static int pt_parse(struct kunit *test, struct pt_buf *pb, u8 family,
		    struct ng_pkt *p)
{
	return pt_parse_split(test, pb, family, PT_MAX, p);
}

/* Same connection: the identity bytes of the keys are equal. */
static bool pt_same_conn(const struct ng_pkt *a, const struct ng_pkt *b)
{
	return !memcmp(&a->key, &b->key, NG_CONN_KEY_ID_LEN);
}

static void pt_test_tcp4(struct kunit *test)
{
	struct ng_pkt p, r, x;
	struct ng_conn_key k;
	struct pt_buf pb = {};
	__be32 a = htonl(PT_A4), b = htonl(PT_B4);

	pt_ip4(&pb, IPPROTO_TCP, PT_A4, PT_B4);
	pt_tcp(&pb, 40000, 80, NG_TCP_SYN);
	KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 4, &p), 0);
	KUNIT_EXPECT_EQ(test, p.family, 4);
	KUNIT_EXPECT_EQ(test, p.proto, IPPROTO_TCP);
	KUNIT_EXPECT_EQ(test, p.kind, NG_PKT_FLOW);
	KUNIT_EXPECT_EQ(test, p.sport, 40000);
	KUNIT_EXPECT_EQ(test, p.dport, 80);
	KUNIT_EXPECT_EQ(test, p.tcp_flags, NG_TCP_SYN);
	KUNIT_EXPECT_EQ(test, memcmp(p.saddr, &a, 4), 0);
	KUNIT_EXPECT_EQ(test, memcmp(p.daddr, &b, 4), 0);
	ng_conn_key_init(&k, 4, IPPROTO_TCP, &a, &b, htons(40000), htons(80));
	KUNIT_EXPECT_EQ(test, memcmp(&p.key, &k, sizeof(k)), 0);

	/* The SYN+ACK back: same connection, other direction. */
	pb = (struct pt_buf){};
	pt_ip4(&pb, IPPROTO_TCP, PT_B4, PT_A4);
	pt_tcp(&pb, 80, 40000, NG_TCP_SYN | NG_TCP_ACK);
	KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 4, &r), 0);
	KUNIT_EXPECT_EQ(test, r.sport, 80);
	KUNIT_EXPECT_EQ(test, r.dport, 40000);
	KUNIT_EXPECT_EQ(test, r.tcp_flags, NG_TCP_SYN | NG_TCP_ACK);
	KUNIT_EXPECT_TRUE(test, pt_same_conn(&p, &r));
	KUNIT_EXPECT_NE(test, p.key.dir, r.key.dir);

	/* Another source port: another connection. */
	pb = (struct pt_buf){};
	pt_ip4(&pb, IPPROTO_TCP, PT_A4, PT_B4);
	pt_tcp(&pb, 40001, 80, NG_TCP_SYN);
	KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 4, &x), 0);
	KUNIT_EXPECT_FALSE(test, pt_same_conn(&p, &x));
}

static void pt_test_udp_other4(struct kunit *test)
{
	struct ng_pkt p, r;
	struct pt_buf pb = {};

	pt_ip4(&pb, IPPROTO_UDP, PT_A4, PT_B4);
	pt_udp(&pb, 5353, 53);
	KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 4, &p), 0);
	KUNIT_EXPECT_EQ(test, p.proto, IPPROTO_UDP);
	KUNIT_EXPECT_EQ(test, p.kind, NG_PKT_FLOW);
	KUNIT_EXPECT_EQ(test, p.sport, 5353);
	KUNIT_EXPECT_EQ(test, p.dport, 53);
	KUNIT_EXPECT_EQ(test, p.tcp_flags, 0);
	KUNIT_EXPECT_EQ(test, p.key.proto, IPPROTO_UDP);
	pb = (struct pt_buf){};
	pt_ip4(&pb, IPPROTO_UDP, PT_B4, PT_A4);
	pt_udp(&pb, 53, 5353);
	KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 4, &r), 0);
	KUNIT_EXPECT_TRUE(test, pt_same_conn(&p, &r));
	KUNIT_EXPECT_NE(test, p.key.dir, r.key.dir);

	/* No ports (GRE): 0, even with bytes that look like ports. */
	pb = (struct pt_buf){};
	pt_ip4(&pb, IPPROTO_GRE, PT_A4, PT_B4);
	pt_udp(&pb, 1111, 2222);
	KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 4, &p), 0);
	KUNIT_EXPECT_EQ(test, p.proto, IPPROTO_GRE);
	KUNIT_EXPECT_EQ(test, p.sport, 0);
	KUNIT_EXPECT_EQ(test, p.dport, 0);
	KUNIT_EXPECT_EQ(test, ntohs(p.key.port[0]), 0);
	KUNIT_EXPECT_EQ(test, ntohs(p.key.port[1]), 0);
	/* A GRE packet without any payload is fine too. */
	pb.len = sizeof(struct iphdr);
	KUNIT_EXPECT_EQ(test, pt_parse(test, &pb, 4, &p), 0);
}

static void pt_test_icmp_echo(struct kunit *test)
{
	struct ng_pkt p, r, x;
	struct pt_buf pb = {};

	pt_ip4(&pb, IPPROTO_ICMP, PT_A4, PT_B4);
	pt_icmp(&pb, ICMP_ECHO, 0, 0x1234, 1);
	KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 4, &p), 0);
	KUNIT_EXPECT_EQ(test, p.kind, NG_PKT_FLOW);
	KUNIT_EXPECT_EQ(test, p.proto, IPPROTO_ICMP);
	KUNIT_EXPECT_EQ(test, p.sport, 0x1234);
	KUNIT_EXPECT_EQ(test, p.dport, 0);
	KUNIT_EXPECT_EQ(test, p.icmp_type, ICMP_ECHO);
	pb = (struct pt_buf){};
	pt_ip4(&pb, IPPROTO_ICMP, PT_B4, PT_A4);
	pt_icmp(&pb, ICMP_ECHOREPLY, 0, 0x1234, 1);
	KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 4, &r), 0);
	KUNIT_EXPECT_EQ(test, r.kind, NG_PKT_FLOW);
	KUNIT_EXPECT_TRUE(test, pt_same_conn(&p, &r));
	KUNIT_EXPECT_NE(test, p.key.dir, r.key.dir);
	/* Another identifier: another "connection". */
	pb = (struct pt_buf){};
	pt_ip4(&pb, IPPROTO_ICMP, PT_B4, PT_A4);
	pt_icmp(&pb, ICMP_ECHOREPLY, 0, 0x1235, 1);
	KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 4, &x), 0);
	KUNIT_EXPECT_FALSE(test, pt_same_conn(&p, &x));
	/* A request in the reply's direction is not the reply. */
	pb = (struct pt_buf){};
	pt_ip4(&pb, IPPROTO_ICMP, PT_B4, PT_A4);
	pt_icmp(&pb, ICMP_ECHO, 0, 0x1234, 1);
	KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 4, &x), 0);
	KUNIT_EXPECT_FALSE(test, pt_same_conn(&p, &x));
	/*
	 * Other types between the same hosts are not part of the exchange,
	 * whatever their bytes 4-5 say (timestamp, redirect-like info, and
	 * a type whose code and id mimic the echo key).
	 */
	pb = (struct pt_buf){};
	pt_ip4(&pb, IPPROTO_ICMP, PT_B4, PT_A4);
	pt_icmp(&pb, ICMP_TIMESTAMP, 0, 0x1234, 1);
	KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 4, &x), 0);
	KUNIT_EXPECT_FALSE(test, pt_same_conn(&p, &x));
	pb = (struct pt_buf){};
	pt_ip4(&pb, IPPROTO_ICMP, PT_B4, PT_A4);
	pt_icmp(&pb, 0x12, 0x34, 0x0800, 1);
	KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 4, &x), 0);
	KUNIT_EXPECT_FALSE(test, pt_same_conn(&p, &x));
	/* An echo with identifier 0 opens no other type either. */
	pb = (struct pt_buf){};
	pt_ip4(&pb, IPPROTO_ICMP, PT_A4, PT_B4);
	pt_icmp(&pb, ICMP_ECHO, 0, 0, 1);
	KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 4, &r), 0);
	pb = (struct pt_buf){};
	pt_ip4(&pb, IPPROTO_ICMP, PT_B4, PT_A4);
	pt_icmp(&pb, ICMP_ADDRESSREPLY, 0, 0, 0);
	KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 4, &x), 0);
	KUNIT_EXPECT_FALSE(test, pt_same_conn(&r, &x));

	/* ICMPv6 echo. */
	pb = (struct pt_buf){};
	pt_ip6(&pb, IPPROTO_ICMPV6, pt_a6, pt_b6);
	pt_icmp(&pb, ICMPV6_ECHO_REQUEST, 0, 77, 9);
	KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 6, &p), 0);
	KUNIT_EXPECT_EQ(test, p.kind, NG_PKT_FLOW);
	KUNIT_EXPECT_EQ(test, p.family, 6);
	KUNIT_EXPECT_EQ(test, p.proto, IPPROTO_ICMPV6);
	KUNIT_EXPECT_EQ(test, p.sport, 77);
	KUNIT_EXPECT_EQ(test, p.dport, 0);
	KUNIT_EXPECT_EQ(test, memcmp(p.saddr, pt_a6, 16), 0);
	KUNIT_EXPECT_EQ(test, memcmp(p.daddr, pt_b6, 16), 0);
	pb = (struct pt_buf){};
	pt_ip6(&pb, IPPROTO_ICMPV6, pt_b6, pt_a6);
	pt_icmp(&pb, ICMPV6_ECHO_REPLY, 0, 77, 9);
	KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 6, &r), 0);
	KUNIT_EXPECT_TRUE(test, pt_same_conn(&p, &r));
	KUNIT_EXPECT_NE(test, p.key.dir, r.key.dir);
}

/* The TCP SYN A:40000 -> B:80 as @pb, for quoting. */
static void pt_syn4(struct pt_buf *pb)
{
	pt_ip4(pb, IPPROTO_TCP, PT_A4, PT_B4);
	pt_tcp(pb, 40000, 80, NG_TCP_SYN);
}

static void pt_test_icmp_error4(struct kunit *test)
{
	struct ng_pkt p, e;
	struct pt_buf pb = {};
	struct iphdr *ih;
	__be32 r = htonl(PT_R4), a = htonl(PT_A4);
	u8 *opt;

	pt_syn4(&pb);
	KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 4, &p), 0);

	/* A router tells A that B is unreachable, quoting the SYN. */
	pb = (struct pt_buf){};
	pt_ip4(&pb, IPPROTO_ICMP, PT_R4, PT_A4);
	pt_icmp(&pb, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0, 0);
	pt_ip4(&pb, IPPROTO_TCP, PT_A4, PT_B4);
	pt_udp(&pb, 40000, 80);		/* the 8 quoted TCP bytes */
	KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 4, &e), 0);
	KUNIT_EXPECT_EQ(test, e.kind, NG_PKT_ICMP_ERROR);
	KUNIT_EXPECT_EQ(test, e.proto, IPPROTO_ICMP);
	KUNIT_EXPECT_EQ(test, memcmp(e.saddr, &r, 4), 0);
	KUNIT_EXPECT_EQ(test, memcmp(e.daddr, &a, 4), 0);
	KUNIT_EXPECT_EQ(test, e.tcp_flags, 0);
	KUNIT_EXPECT_TRUE(test, pt_same_conn(&p, &e));
	KUNIT_EXPECT_EQ(test, e.key.proto, IPPROTO_TCP);
	KUNIT_EXPECT_EQ(test, e.key.dir, p.key.dir);
	/* It travels back to the SYN's sender: related. */
	KUNIT_EXPECT_EQ(test, memcmp(e.qsaddr, &a, 4), 0);
	KUNIT_EXPECT_TRUE(test, ng_pkt_error_returns(&e));

	/*
	 * The same quote sent to a third host (B's segment smuggling errors
	 * to another one): same connection key, but not on its way back.
	 */
	pb = (struct pt_buf){};
	pt_ip4(&pb, IPPROTO_ICMP, PT_B4, PT_R4);
	pt_icmp(&pb, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0, 0);
	pt_ip4(&pb, IPPROTO_TCP, PT_A4, PT_B4);
	pt_udp(&pb, 40000, 80);
	KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 4, &e), 0);
	KUNIT_EXPECT_EQ(test, e.kind, NG_PKT_ICMP_ERROR);
	KUNIT_EXPECT_TRUE(test, pt_same_conn(&p, &e));
	KUNIT_EXPECT_FALSE(test, ng_pkt_error_returns(&e));
	/* Quoting B's reply and sent to B: back to the reply's sender. */
	pb = (struct pt_buf){};
	pt_ip4(&pb, IPPROTO_ICMP, PT_R4, PT_B4);
	pt_icmp(&pb, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0, 0);
	pt_ip4(&pb, IPPROTO_TCP, PT_B4, PT_A4);
	pt_udp(&pb, 80, 40000);
	KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 4, &e), 0);
	KUNIT_EXPECT_TRUE(test, pt_same_conn(&p, &e));
	KUNIT_EXPECT_TRUE(test, ng_pkt_error_returns(&e));

	/* The quoted header with 4 bytes of options. */
	pb = (struct pt_buf){};
	pt_ip4(&pb, IPPROTO_ICMP, PT_R4, PT_A4);
	pt_icmp(&pb, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0, 0);
	ih = pt_ip4(&pb, IPPROTO_TCP, PT_A4, PT_B4);
	ih->ihl = 6;
	opt = pt_put(&pb, 4);
	opt[0] = IPOPT_NOOP;
	opt[1] = IPOPT_NOOP;
	opt[2] = IPOPT_NOOP;
	opt[3] = IPOPT_END;
	pt_udp(&pb, 40000, 80);
	KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 4, &e), 0);
	KUNIT_EXPECT_EQ(test, e.kind, NG_PKT_ICMP_ERROR);
	KUNIT_EXPECT_TRUE(test, pt_same_conn(&p, &e));

	/* Quoting an echo request: the echo's key. */
	pb = (struct pt_buf){};
	pt_ip4(&pb, IPPROTO_ICMP, PT_A4, PT_B4);
	pt_icmp(&pb, ICMP_ECHO, 0, 0x4242, 3);
	KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 4, &p), 0);
	pb = (struct pt_buf){};
	pt_ip4(&pb, IPPROTO_ICMP, PT_R4, PT_A4);
	pt_icmp(&pb, ICMP_DEST_UNREACH, ICMP_NET_UNREACH, 0, 0);
	pt_ip4(&pb, IPPROTO_ICMP, PT_A4, PT_B4);
	pt_icmp(&pb, ICMP_ECHO, 0, 0x4242, 3);
	KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 4, &e), 0);
	KUNIT_EXPECT_EQ(test, e.kind, NG_PKT_ICMP_ERROR);
	KUNIT_EXPECT_TRUE(test, pt_same_conn(&p, &e));

	/* Truncated quotes: no IP header, or fewer than 8 L4 bytes. */
	pb = (struct pt_buf){};
	pt_ip4(&pb, IPPROTO_ICMP, PT_R4, PT_A4);
	pt_icmp(&pb, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0, 0);
	pt_put(&pb, 16);
	KUNIT_EXPECT_EQ(test, pt_parse(test, &pb, 4, &e), -EINVAL);
	pb.len = 8 + sizeof(struct iphdr);
	pt_ip4(&pb, IPPROTO_UDP, PT_A4, PT_B4);
	pt_put(&pb, 4);
	KUNIT_EXPECT_EQ(test, pt_parse(test, &pb, 4, &e), -EINVAL);
	/* A quoted header that is not IPv4. */
	pb.len -= 4;
	pt_put(&pb, 8);
	((struct iphdr *)(pb.b + 28))->version = 6;
	KUNIT_EXPECT_EQ(test, pt_parse(test, &pb, 4, &e), -EINVAL);
}

static void pt_test_truncated(struct kunit *test)
{
	struct ng_pkt p;
	struct pt_buf pb = {};

	pt_syn4(&pb);
	pb.len = sizeof(struct iphdr) + 10;
	KUNIT_EXPECT_EQ(test, pt_parse(test, &pb, 4, &p), -EINVAL);
	/* The flags byte (13) is the last one needed. */
	pb.len = sizeof(struct iphdr) + 13;
	KUNIT_EXPECT_EQ(test, pt_parse(test, &pb, 4, &p), -EINVAL);
	pb.len = sizeof(struct iphdr) + 14;
	KUNIT_EXPECT_EQ(test, pt_parse(test, &pb, 4, &p), 0);
	KUNIT_EXPECT_EQ(test, p.tcp_flags, NG_TCP_SYN);
	pb.len = sizeof(struct iphdr);
	KUNIT_EXPECT_EQ(test, pt_parse(test, &pb, 4, &p), -EINVAL);

	pb = (struct pt_buf){};
	pt_ip4(&pb, IPPROTO_UDP, PT_A4, PT_B4);
	pt_udp(&pb, 1, 2);
	pb.len -= 1;
	KUNIT_EXPECT_EQ(test, pt_parse(test, &pb, 4, &p), -EINVAL);
	pb = (struct pt_buf){};
	pt_ip4(&pb, IPPROTO_ICMP, PT_A4, PT_B4);
	pt_icmp(&pb, ICMP_ECHO, 0, 1, 1);
	pb.len -= 2;
	KUNIT_EXPECT_EQ(test, pt_parse(test, &pb, 4, &p), -EINVAL);

	/* IPv6: TCP cut inside the header, ext. header cut short. */
	pb = (struct pt_buf){};
	pt_ip6(&pb, IPPROTO_TCP, pt_a6, pt_b6);
	pt_tcp(&pb, 1, 2, NG_TCP_SYN);
	pb.len = sizeof(struct ipv6hdr) + 12;
	KUNIT_EXPECT_EQ(test, pt_parse(test, &pb, 6, &p), -EINVAL);
	pb = (struct pt_buf){};
	pt_ip6(&pb, NEXTHDR_HOP, pt_a6, pt_b6);
	pt_opts6(&pb, IPPROTO_UDP);
	pb.len = sizeof(struct ipv6hdr) + 1;
	KUNIT_EXPECT_EQ(test, pt_parse(test, &pb, 6, &p), -EINVAL);
	/* No next header: nothing to judge. */
	pb = (struct pt_buf){};
	pt_ip6(&pb, NEXTHDR_NONE, pt_a6, pt_b6);
	KUNIT_EXPECT_EQ(test, pt_parse(test, &pb, 6, &p), -EINVAL);
}

static void pt_test_frag4(struct kunit *test)
{
	struct ng_pkt p;
	struct pt_buf pb = {};
	struct iphdr *ih;

	ih = pt_ip4(&pb, IPPROTO_UDP, PT_A4, PT_B4);
	pt_udp(&pb, 1000, 53);
	ih->frag_off = htons(185);		/* offset 1480, last */
	KUNIT_EXPECT_EQ(test, pt_parse(test, &pb, 4, &p), -EINVAL);
	ih->frag_off = htons(IP_MF | 1);
	KUNIT_EXPECT_EQ(test, pt_parse(test, &pb, 4, &p), -EINVAL);
	/* A first fragment and a DF packet carry their ports. */
	ih->frag_off = htons(IP_MF);
	KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 4, &p), 0);
	KUNIT_EXPECT_EQ(test, p.sport, 1000);
	KUNIT_EXPECT_EQ(test, p.dport, 53);
	ih->frag_off = htons(IP_DF);
	KUNIT_EXPECT_EQ(test, pt_parse(test, &pb, 4, &p), 0);
}

static void pt_test_exthdr6(struct kunit *test)
{
	struct ng_pkt p, r, s;
	struct ng_conn_key k;
	struct pt_buf pb = {};
	unsigned int split;

	pt_ip6(&pb, NEXTHDR_HOP, pt_a6, pt_b6);
	pt_opts6(&pb, NEXTHDR_DEST);
	pt_opts6(&pb, IPPROTO_TCP);
	pt_tcp(&pb, 50000, 443, NG_TCP_SYN);
	KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 6, &p), 0);
	KUNIT_EXPECT_EQ(test, p.family, 6);
	KUNIT_EXPECT_EQ(test, p.proto, IPPROTO_TCP);
	KUNIT_EXPECT_EQ(test, p.kind, NG_PKT_FLOW);
	KUNIT_EXPECT_EQ(test, p.sport, 50000);
	KUNIT_EXPECT_EQ(test, p.dport, 443);
	KUNIT_EXPECT_EQ(test, p.tcp_flags, NG_TCP_SYN);
	ng_conn_key_init(&k, 6, IPPROTO_TCP, pt_a6, pt_b6, htons(50000),
			 htons(443));
	KUNIT_EXPECT_EQ(test, memcmp(&p.key, &k, sizeof(k)), 0);

	/* Headers cut anywhere between the head and a page fragment. */
	for (split = sizeof(struct ipv6hdr); split < pb.len; split++) {
		KUNIT_ASSERT_EQ(test, pt_parse_split(test, &pb, 6, split, &s), 0);
		KUNIT_EXPECT_EQ_MSG(test, memcmp(&p, &s, sizeof(p)), 0,
				    "split at %u", split);
	}

	/* The answer without extension headers is the same connection. */
	pb = (struct pt_buf){};
	pt_ip6(&pb, IPPROTO_TCP, pt_b6, pt_a6);
	pt_tcp(&pb, 443, 50000, NG_TCP_SYN | NG_TCP_ACK);
	KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 6, &r), 0);
	KUNIT_EXPECT_TRUE(test, pt_same_conn(&p, &r));
	KUNIT_EXPECT_NE(test, p.key.dir, r.key.dir);
}

static void pt_test_local6(struct kunit *test)
{
	static const u8 local[] = {
		ICMPV6_MGM_QUERY, ICMPV6_MGM_REPORT, ICMPV6_MGM_REDUCTION,
		NDISC_ROUTER_SOLICITATION, NDISC_ROUTER_ADVERTISEMENT,
		NDISC_NEIGHBOUR_SOLICITATION, NDISC_NEIGHBOUR_ADVERTISEMENT,
		NDISC_REDIRECT, ICMPV6_MLD2_REPORT,
	};
	static const u8 other[] = {
		ICMPV6_MGM_QUERY - 2, ICMPV6_ECHO_REPLY, NDISC_REDIRECT + 1,
		ICMPV6_MLD2_REPORT - 1, ICMPV6_MLD2_REPORT + 1, 255,
	};
	static const u8 ll[16] = { 0xfe, 0x80, [15] = 1 };
	static const u8 sn[16] = { 0xff, 0x02, [11] = 1, 0xff, 0, 0, 2 };
	struct ng_pkt p;
	struct pt_buf pb = {};
	unsigned int i;

	/* Neighbour solicitation for 2001:db8::2: 8 bytes + target. */
	pt_ip6(&pb, IPPROTO_ICMPV6, ll, sn);
	((struct ipv6hdr *)pb.b)->hop_limit = 255;
	pt_icmp(&pb, NDISC_NEIGHBOUR_SOLICITATION, 0, 0, 0);
	memcpy(pt_put(&pb, 16), pt_b6, 16);
	KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 6, &p), 0);
	KUNIT_EXPECT_EQ(test, p.kind, NG_PKT_LOCAL);
	KUNIT_EXPECT_EQ(test, p.proto, IPPROTO_ICMPV6);

	for (i = 0; i < ARRAY_SIZE(local); i++) {
		pb.b[sizeof(struct ipv6hdr)] = local[i];
		KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 6, &p), 0);
		KUNIT_EXPECT_EQ_MSG(test, p.kind, NG_PKT_LOCAL, "type %u", local[i]);
	}
	/* The types around them are ordinary packets. */
	for (i = 0; i < ARRAY_SIZE(other); i++) {
		pb.b[sizeof(struct ipv6hdr)] = other[i];
		KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 6, &p), 0);
		KUNIT_EXPECT_EQ_MSG(test, p.kind, NG_PKT_FLOW, "type %u", other[i]);
	}
	/* ND behind a hop-by-hop header (as MLD always is). */
	pb = (struct pt_buf){};
	pt_ip6(&pb, NEXTHDR_HOP, ll, sn);
	pt_opts6(&pb, IPPROTO_ICMPV6);
	pt_icmp(&pb, ICMPV6_MLD2_REPORT, 0, 0, 1);
	KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 6, &p), 0);
	KUNIT_EXPECT_EQ(test, p.kind, NG_PKT_LOCAL);

	/*
	 * ND with hop limit 255 to a global address: a NUD probe if that
	 * address is the receiver's own, routed ND otherwise; the hook
	 * decides (enforce.c), so it carries a flow key.
	 */
	pb = (struct pt_buf){};
	pt_ip6(&pb, IPPROTO_ICMPV6, pt_a6, pt_b6);
	((struct ipv6hdr *)pb.b)->hop_limit = 255;
	pt_icmp(&pb, NDISC_NEIGHBOUR_SOLICITATION, 0, 0, 0);
	memcpy(pt_put(&pb, 16), pt_b6, 16);
	KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 6, &p), 0);
	KUNIT_EXPECT_EQ(test, p.kind, NG_PKT_ND_UNICAST);
	KUNIT_EXPECT_EQ(test, p.key.family, 6);
	KUNIT_EXPECT_EQ(test, p.key.proto, IPPROTO_ICMPV6);
	/* ... and so does an NA to a global address. */
	pb.b[sizeof(struct ipv6hdr)] = NDISC_NEIGHBOUR_ADVERTISEMENT;
	KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 6, &p), 0);
	KUNIT_EXPECT_EQ(test, p.kind, NG_PKT_ND_UNICAST);

	/* Not link-scoped: routed ND (hop limit < 255), MLD from a global. */
	pb = (struct pt_buf){};
	pt_ip6(&pb, IPPROTO_ICMPV6, ll, sn);
	((struct ipv6hdr *)pb.b)->hop_limit = 254;
	pt_icmp(&pb, NDISC_NEIGHBOUR_SOLICITATION, 0, 0, 0);
	memcpy(pt_put(&pb, 16), pt_b6, 16);
	KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 6, &p), 0);
	KUNIT_EXPECT_EQ(test, p.kind, NG_PKT_FLOW);
	pb = (struct pt_buf){};
	pt_ip6(&pb, IPPROTO_ICMPV6, pt_a6, sn);
	pt_icmp(&pb, ICMPV6_MLD2_REPORT, 0, 0, 1);
	KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 6, &p), 0);
	KUNIT_EXPECT_EQ(test, p.kind, NG_PKT_FLOW);
}

static void pt_test_error6(struct kunit *test)
{
	struct ng_pkt p, e;
	struct pt_buf pb = {};
	struct icmp6hdr *ih;

	/* B:5000 -> A:53 over UDP; a router answers "packet too big". */
	pt_ip6(&pb, IPPROTO_UDP, pt_b6, pt_a6);
	pt_udp(&pb, 5000, 53);
	KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 6, &p), 0);
	pb = (struct pt_buf){};
	pt_ip6(&pb, IPPROTO_ICMPV6, pt_r6, pt_b6);
	ih = pt_put(&pb, sizeof(*ih));
	ih->icmp6_type = ICMPV6_PKT_TOOBIG;
	ih->icmp6_mtu = htonl(1280);
	pt_ip6(&pb, IPPROTO_UDP, pt_b6, pt_a6);
	pt_udp(&pb, 5000, 53);
	KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 6, &e), 0);
	KUNIT_EXPECT_EQ(test, e.kind, NG_PKT_ICMP_ERROR);
	KUNIT_EXPECT_EQ(test, e.proto, IPPROTO_ICMPV6);
	KUNIT_EXPECT_EQ(test, memcmp(e.saddr, pt_r6, 16), 0);
	KUNIT_EXPECT_EQ(test, memcmp(e.daddr, pt_b6, 16), 0);
	KUNIT_EXPECT_TRUE(test, pt_same_conn(&p, &e));
	KUNIT_EXPECT_EQ(test, e.key.family, 6);
	KUNIT_EXPECT_EQ(test, e.key.proto, IPPROTO_UDP);

	/* The quoted packet with a destination options header. */
	pb = (struct pt_buf){};
	pt_ip6(&pb, IPPROTO_ICMPV6, pt_r6, pt_b6);
	pt_icmp(&pb, ICMPV6_DEST_UNREACH, ICMPV6_ADDR_UNREACH, 0, 0);
	pt_ip6(&pb, NEXTHDR_DEST, pt_b6, pt_a6);
	pt_opts6(&pb, IPPROTO_UDP);
	pt_udp(&pb, 5000, 53);
	KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 6, &e), 0);
	KUNIT_EXPECT_EQ(test, e.kind, NG_PKT_ICMP_ERROR);
	KUNIT_EXPECT_TRUE(test, pt_same_conn(&p, &e));
	/* Split in the middle of the quoted ports. */
	KUNIT_ASSERT_EQ(test, pt_parse_split(test, &pb, 6, pb.len - 6, &e), 0);
	KUNIT_EXPECT_TRUE(test, pt_same_conn(&p, &e));
	/* Quoted ports cut short. */
	pb.len -= 2;
	KUNIT_EXPECT_EQ(test, pt_parse(test, &pb, 6, &e), -EINVAL);
}

static void pt_test_frag6(struct kunit *test)
{
	struct ng_pkt p;
	struct pt_buf pb = {};

	pt_ip6(&pb, NEXTHDR_FRAGMENT, pt_a6, pt_b6);
	pt_frag6(&pb, IPPROTO_UDP, 185, false);
	pt_udp(&pb, 1000, 53);
	KUNIT_EXPECT_EQ(test, pt_parse(test, &pb, 6, &p), -EINVAL);
	pb = (struct pt_buf){};
	pt_ip6(&pb, NEXTHDR_HOP, pt_a6, pt_b6);
	pt_opts6(&pb, NEXTHDR_FRAGMENT);
	pt_frag6(&pb, IPPROTO_UDP, 1, true);
	pt_udp(&pb, 1000, 53);
	KUNIT_EXPECT_EQ(test, pt_parse(test, &pb, 6, &p), -EINVAL);
	/* The first fragment carries the ports. */
	pb = (struct pt_buf){};
	pt_ip6(&pb, NEXTHDR_FRAGMENT, pt_a6, pt_b6);
	pt_frag6(&pb, IPPROTO_UDP, 0, true);
	pt_udp(&pb, 1000, 53);
	KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 6, &p), 0);
	KUNIT_EXPECT_EQ(test, p.proto, IPPROTO_UDP);
	KUNIT_EXPECT_EQ(test, p.sport, 1000);
	KUNIT_EXPECT_EQ(test, p.dport, 53);
}

/* Headers partly in a page fragment give what the linear skb gives. */
static void pt_test_nonlinear(struct kunit *test)
{
	struct ng_pkt p, s;
	struct pt_buf pb = {};
	unsigned int split;

	pt_syn4(&pb);
	KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 4, &p), 0);
	for (split = sizeof(struct iphdr); split < pb.len; split++) {
		KUNIT_ASSERT_EQ(test, pt_parse_split(test, &pb, 4, split, &s), 0);
		KUNIT_EXPECT_EQ_MSG(test, memcmp(&p, &s, sizeof(p)), 0,
				    "split at %u", split);
	}
	/* An ICMP error cut anywhere. */
	pb = (struct pt_buf){};
	pt_ip4(&pb, IPPROTO_ICMP, PT_R4, PT_A4);
	pt_icmp(&pb, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0, 0);
	pt_syn4(&pb);
	pb.len -= 12;		/* 8 bytes of TCP quoted */
	KUNIT_ASSERT_EQ(test, pt_parse(test, &pb, 4, &p), 0);
	KUNIT_EXPECT_EQ(test, p.kind, NG_PKT_ICMP_ERROR);
	for (split = sizeof(struct iphdr); split < pb.len; split++) {
		KUNIT_ASSERT_EQ(test, pt_parse_split(test, &pb, 4, split, &s), 0);
		KUNIT_EXPECT_EQ_MSG(test, memcmp(&p, &s, sizeof(p)), 0,
				    "split at %u", split);
	}
	/* Truncated in the fragment as in the head. */
	pb = (struct pt_buf){};
	pt_syn4(&pb);
	pb.len -= 7;
	KUNIT_EXPECT_EQ(test, pt_parse_split(test, &pb, 4, 22, &s), -EINVAL);
}

/* xorshift64: reproducible from the seed printed by the test. */
static u64 pt_rng(u64 *s)
{
	u64 x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

#define PT_RAND_RUNS	10000U
#define PT_RAND_PAYLOAD	200

static void pt_test_random(struct kunit *test)
{
	static const u8 protos4[] = {
		IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP, IPPROTO_SCTP,
		IPPROTO_UDPLITE, IPPROTO_DCCP, IPPROTO_GRE, IPPROTO_ICMPV6,
	};
	static const u8 protos6[] = {
		IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMPV6, NEXTHDR_HOP,
		NEXTHDR_ROUTING, NEXTHDR_FRAGMENT, NEXTHDR_DEST, NEXTHDR_AUTH,
		NEXTHDR_ESP, NEXTHDR_NONE, IPPROTO_ICMP, IPPROTO_SCTP,
	};
	u64 seed = get_random_u64() | 1, rng = seed;
	unsigned int i, k, ok = 0, bad = 0, errors = 0, kinds[4] = {};
	struct ng_pkt p;
	u8 *buf;

	kunit_info(test, "seed %llu\n", seed);
	buf = kunit_kzalloc(test, sizeof(struct ipv6hdr) + PT_RAND_PAYLOAD,
			    GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < PT_RAND_RUNS; i++) {
		u64 x = pt_rng(&rng);
		u8 family = x & 1 ? 4 : 6;
		unsigned int hlen = family == 4 ? sizeof(struct iphdr) :
				    sizeof(struct ipv6hdr);
		unsigned int len = hlen + (x >> 8) % (PT_RAND_PAYLOAD + 1);
		unsigned int linear = x & 2 ? len : hlen + (x >> 24) % (len - hlen + 1);
		struct sk_buff *skb;
		u8 proto;
		int ret;

		for (k = 0; k < len; k += 8) {
			u64 r = pt_rng(&rng);

			memcpy(buf + k, &r, min(8U, len - k));
		}
		if (family == 4) {
			struct iphdr *ih = (struct iphdr *)buf;

			ih->version = 4;
			ih->ihl = x & 0x700 ? 5 : 5 + (x >> 32) % 11;
			if (x & 0x3800)
				ih->frag_off &= htons(~IP_OFFSET);
			ih->tot_len = htons(len);
			proto = x & 0xc000 ? protos4[(x >> 40) % ARRAY_SIZE(protos4)] :
				(u8)(x >> 40);
			ih->protocol = proto;
		} else {
			struct ipv6hdr *ih = (struct ipv6hdr *)buf;

			ih->version = 6;
			ih->payload_len = htons(len - hlen);
			proto = x & 0xc000 ? protos6[(x >> 40) % ARRAY_SIZE(protos6)] :
				(u8)(x >> 40);
			ih->nexthdr = proto;
		}
		/* Often an ICMP error quoting something that looks like IP. */
		if ((proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6) &&
		    (x & BIT_ULL(50)) && len >= hlen + 9) {
			buf[hlen] = family == 4 ? ICMP_DEST_UNREACH : ICMPV6_PKT_TOOBIG;
			buf[hlen + 8] = family == 4 ? 0x45 : 0x60;
		}
		skb = pt_skb(buf, len, family, linear);
		KUNIT_ASSERT_NOT_NULL(test, skb);
		ret = ng_pkt_parse(skb, family, &p);
		consume_skb(skb);
		if (!ret) {
			ok++;
			if (p.kind < ARRAY_SIZE(kinds))
				kinds[p.kind]++;
			else
				errors++;
			if (p.family != family ||
			    (p.kind != NG_PKT_LOCAL && p.key.family != family))
				errors++;
		} else if (ret == -EINVAL) {
			bad++;
		} else {
			errors++;
		}
		if (!(i & 1023))
			cond_resched();
	}
	kunit_info(test, "%u parsed (%u flow, %u icmp error, %u local), %u invalid\n",
		   ok, kinds[NG_PKT_FLOW], kinds[NG_PKT_ICMP_ERROR],
		   kinds[NG_PKT_LOCAL], bad);
	KUNIT_EXPECT_EQ(test, errors, 0U);
	KUNIT_EXPECT_EQ(test, ok + bad, PT_RAND_RUNS);
	/* The generator reaches every outcome. */
	KUNIT_EXPECT_GT(test, kinds[NG_PKT_FLOW], 0U);
	KUNIT_EXPECT_GT(test, kinds[NG_PKT_ICMP_ERROR], 0U);
	KUNIT_EXPECT_GT(test, bad, 0U);
}

static void pt_test_proto_name(struct kunit *test)
{
	char buf[4];

	KUNIT_EXPECT_STREQ(test, ng_proto_name(IPPROTO_TCP, buf), "tcp");
	KUNIT_EXPECT_STREQ(test, ng_proto_name(IPPROTO_ICMPV6, buf), "icmpv6");
	KUNIT_EXPECT_STREQ(test, ng_proto_name(47, buf), "47");
	KUNIT_EXPECT_STREQ(test, ng_proto_name(255, buf), "255");
}

static struct kunit_case pt_test_cases[] = {
	KUNIT_CASE(pt_test_tcp4),
	KUNIT_CASE(pt_test_udp_other4),
	KUNIT_CASE(pt_test_icmp_echo),
	KUNIT_CASE(pt_test_icmp_error4),
	KUNIT_CASE(pt_test_truncated),
	KUNIT_CASE(pt_test_frag4),
	KUNIT_CASE(pt_test_exthdr6),
	KUNIT_CASE(pt_test_local6),
	KUNIT_CASE(pt_test_error6),
	KUNIT_CASE(pt_test_frag6),
	KUNIT_CASE(pt_test_nonlinear),
	KUNIT_CASE(pt_test_random),
	KUNIT_CASE(pt_test_proto_name),
	{}
};

static struct kunit_suite pt_test_suite = {
	.name = "nguard_packet",
	.test_cases = pt_test_cases,
};

kunit_test_suite(pt_test_suite);
