// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite for compiled policies (kmod/policy.c, included below; the
 * classifier and the rule index come from the copies lpm_test.c and
 * rules_test.c include). Policies are built through the same calls the
 * netlink transaction makes, then judged: longest prefix across segments,
 * world, "*", first match, protocol and port terms, the default,
 * interface members, compile errors, rule hit counters, and random
 * policies checked against a naive reference (linear longest-prefix match,
 * linear first match) with 24,000 random packets.
 */
#include <kunit/test.h>
#include <linux/inet.h>
#include <linux/netdevice.h>
#include <linux/random.h>
#include <linux/smp.h>
#include "../policy.c"

#define ANY	NGUARD_SEGMENT_ANY
#define WORLD	NGUARD_SEGMENT_WORLD
#define ALLOW	NGUARD_VERDICT_ALLOW
#define DENY	NGUARD_VERDICT_DENY
#define NONE	NG_RULE_NONE
#define POL_MAXPOL	4
#define POL_MAXDEV	8

struct pol_ctx {
	struct ng_policy_src src;
	struct ng_policy *p[POL_MAXPOL];
	struct net_device *dev[POL_MAXDEV];
};

static int pol_init(struct kunit *test)
{
	struct pol_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	if (!c)
		return -ENOMEM;
	ng_src_init(&c->src);
	test->priv = c;
	return ng_policy_module_init();
}

static void pol_exit(struct kunit *test)
{
	struct pol_ctx *c = test->priv;
	unsigned int i;

	ng_src_free(&c->src);
	for (i = 0; i < POL_MAXPOL; i++)
		ng_policy_put(c->p[i]);
	for (i = 0; i < POL_MAXDEV; i++)
		kfree(c->dev[i]);
	/* The policies are freed by work items that live in this module. */
	ng_policy_module_exit();
}

static struct ng_policy_src *pol_src(struct kunit *test)
{
	return &((struct pol_ctx *)test->priv)->src;
}

/* Compile the context's draft; it starts empty again. */
static struct ng_policy *pol_compile(struct kunit *test)
{
	struct pol_ctx *c = test->priv;
	const char *why = NULL;
	struct ng_policy *p;
	unsigned int i;

	for (i = 0; i < POL_MAXPOL && c->p[i]; i++)
		;
	KUNIT_ASSERT_LT(test, i, POL_MAXPOL);
	p = ng_policy_compile(&c->src, &why);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(p), "compile: %d %s",
			       PTR_ERR_OR_ZERO(p), why ? why : "");
	KUNIT_EXPECT_NULL(test, why);
	KUNIT_EXPECT_EQ(test, c->src.nrules, 0U);
	c->p[i] = p;
	return p;
}

/* Drop a compiled policy early (the context would at exit). */
static void pol_put(struct kunit *test, struct ng_policy *p)
{
	struct pol_ctx *c = test->priv;
	unsigned int i;

	for (i = 0; i < POL_MAXPOL; i++)
		if (c->p[i] == p)
			c->p[i] = NULL;
	ng_policy_put(p);
}

/* A device that only has a name: all ng_policy_judge() looks at. */
static struct net_device *pol_dev(struct kunit *test, const char *name)
{
	struct pol_ctx *c = test->priv;
	unsigned int i;

	for (i = 0; i < POL_MAXDEV && c->dev[i]; i++)
		;
	KUNIT_ASSERT_LT(test, i, POL_MAXDEV);
	c->dev[i] = kzalloc(sizeof(*c->dev[i]), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c->dev[i]);
	strscpy(c->dev[i]->name, name, IFNAMSIZ);
	return c->dev[i];
}

/* "10.0.0.1" or "2001:db8::1" into @a; returns the family. */
static u8 pol_addr(struct kunit *test, const char *s, u8 a[16])
{
	memset(a, 0, 16);
	if (strchr(s, ':')) {
		KUNIT_ASSERT_EQ_MSG(test, in6_pton(s, -1, a, -1, NULL), 1, "%s", s);
		return 6;
	}
	KUNIT_ASSERT_EQ_MSG(test, in4_pton(s, -1, a, -1, NULL), 1, "%s", s);
	return 4;
}

static void pol_seg(struct kunit *test, u16 id, const char *name)
{
	KUNIT_ASSERT_EQ(test, ng_src_add_segment(pol_src(test), id, name), 0);
}

static int pol_try_pfx(struct kunit *test, u16 seg, const char *addr, u8 plen)
{
	u8 a[16];
	u8 fam = pol_addr(test, addr, a);

	return ng_src_add_prefix(pol_src(test), seg, fam, a, plen);
}

static void pol_pfx(struct kunit *test, u16 seg, const char *addr, u8 plen)
{
	KUNIT_ASSERT_EQ(test, pol_try_pfx(test, seg, addr, plen), 0);
}

static void pol_iface(struct kunit *test, u16 seg, const char *name)
{
	KUNIT_ASSERT_EQ(test, ng_src_add_iface(pol_src(test), seg, name), 0);
}

static void pol_rule(struct kunit *test, u8 action, u8 flags, u16 src, u16 dst,
		     const struct nguard_match *m, u16 n)
{
	struct ng_policy_src *s = pol_src(test);
	struct ng_rule r = { .action = action, .flags = flags, .src = src,
			     .dst = dst };

	KUNIT_ASSERT_EQ(test, ng_src_add_rule(s, &r, m, n, s->nrules + 1, NULL), 0);
}

#define PM(p, lo, hi)	{ .proto = (p), .port_lo = (lo), .port_hi = (hi) }
#define PM_ANY(lo, hi)	{ .flags = NGUARD_MATCH_ANY_PROTO, .port_lo = (lo), \
			  .port_hi = (hi) }

/* Judge one packet and check segments, rule and verdict. */
static void pol_expect(struct kunit *test, const struct ng_policy *p,
		       const char *src, const char *dst, u8 proto, u16 dport,
		       const struct net_device *in, const struct net_device *out,
		       u16 sseg, u16 dseg, u32 rule, u8 verdict)
{
	struct ng_judgement j = {};
	u8 s[16], d[16];
	u8 fam = pol_addr(test, src, s);

	KUNIT_ASSERT_EQ(test, pol_addr(test, dst, d), fam);
	ng_policy_judge(p, fam, s, d, proto, dport, in, out, &j);
	KUNIT_EXPECT_EQ_MSG(test, j.src_seg, sseg, "%s -> %s %u/%u", src, dst,
			    proto, dport);
	KUNIT_EXPECT_EQ_MSG(test, j.dst_seg, dseg, "%s -> %s %u/%u", src, dst,
			    proto, dport);
	KUNIT_EXPECT_EQ_MSG(test, j.rule, rule, "%s -> %s %u/%u", src, dst,
			    proto, dport);
	KUNIT_EXPECT_EQ_MSG(test, j.verdict, verdict, "%s -> %s %u/%u", src,
			    dst, proto, dport);
}

static void pol_test_lpm(struct kunit *test)
{
	struct ng_policy *p;

	pol_seg(test, 1, "web");
	pol_seg(test, 2, "db");
	pol_seg(test, 3, "admin");
	pol_seg(test, 4, "lan");
	pol_pfx(test, 1, "10.0.1.0", 24);
	pol_pfx(test, 1, "2001:db8:1::", 64);
	pol_pfx(test, 2, "10.0.0.0", 16);
	pol_pfx(test, 2, "10.0.1.7", 32);
	pol_pfx(test, 2, "2001:db8::", 32);
	pol_pfx(test, 3, "10.0.1.128", 25);
	pol_pfx(test, 3, "2001:db8:1::42", 128);
	pol_pfx(test, 4, "192.168.0.0", 16);
	p = pol_compile(test);
	KUNIT_EXPECT_EQ(test, p->src.nseg, 4U);
	KUNIT_EXPECT_STREQ(test, p->src.names[0], "world");
	KUNIT_EXPECT_EQ(test, p->counts[1].v4, 1U);
	KUNIT_EXPECT_EQ(test, p->counts[1].v6, 1U);
	KUNIT_EXPECT_EQ(test, p->counts[2].v4, 2U);
	KUNIT_EXPECT_EQ(test, p->counts[3].v6, 1U);
	KUNIT_EXPECT_EQ(test, p->counts[WORLD].v4, 0U);

	/* No rules, default deny: only the segments differ. */
	pol_expect(test, p, "10.0.1.5", "10.0.2.1", 6, 80, NULL, NULL, 1, 2, NONE, DENY);
	pol_expect(test, p, "10.0.1.7", "10.0.1.200", 6, 80, NULL, NULL, 2, 3, NONE, DENY);
	pol_expect(test, p, "10.0.1.127", "10.0.1.128", 6, 80, NULL, NULL, 1, 3, NONE, DENY);
	pol_expect(test, p, "10.0.255.255", "10.1.0.0", 17, 53, NULL, NULL, 2, WORLD, NONE,
		   DENY);
	pol_expect(test, p, "8.8.8.8", "192.168.77.1", 1, 0, NULL, NULL, WORLD, 4, NONE, DENY);
	pol_expect(test, p, "0.0.0.0", "255.255.255.255", 6, 1, NULL, NULL, WORLD, WORLD,
		   NONE, DENY);
	pol_expect(test, p, "2001:db8:1::9", "2001:db8:2::1", 6, 80, NULL, NULL, 1, 2, NONE,
		   DENY);
	pol_expect(test, p, "2001:db8:1::42", "2001:db9::1", 6, 80, NULL, NULL, 3, WORLD,
		   NONE, DENY);
	/* IPv6 never matches IPv4 prefixes, not even mapped addresses. */
	pol_expect(test, p, "::ffff:10.0.1.5", "::a00:105", 6, 80, NULL, NULL, WORLD, WORLD,
		   NONE, DENY);
}

static void pol_test_rules(struct kunit *test)
{
	static const struct nguard_match pg[] = { PM(6, 5432, 5432) };
	static const struct nguard_match web[] = {
		PM(6, 80, 80), PM(6, 443, 443), PM(17, 53, 53),
	};
	static const struct nguard_match ssh[] = { PM(6, 22, 22) };
	static const struct nguard_match range[] = { PM_ANY(1000, 2000) };
	static const struct nguard_match icmp[] = { PM(1, 0, 65535) };
	struct ng_policy *p;

	pol_seg(test, 1, "web");
	pol_seg(test, 2, "db");
	pol_seg(test, 3, "admin");
	pol_pfx(test, 1, "10.0.1.0", 24);
	pol_pfx(test, 2, "10.0.2.0", 24);
	pol_pfx(test, 3, "10.0.3.0", 24);
	pol_rule(test, ALLOW, 0, 1, 2, pg, 1);			/* 0 */
	pol_rule(test, DENY, NGUARD_RULE_LOG, 1, 2, NULL, 0);	/* 1 */
	pol_rule(test, ALLOW, 0, ANY, 1, web, 3);		/* 2 */
	pol_rule(test, ALLOW, 0, 3, ANY, ssh, 1);		/* 3 */
	pol_rule(test, ALLOW, 0, 3, 2, range, 1);		/* 4 */
	pol_rule(test, DENY, 0, ANY, 2, NULL, 0);		/* 5 */
	pol_rule(test, ALLOW, 0, ANY, ANY, icmp, 1);		/* 6 */
	pol_rule(test, ALLOW, 0, WORLD, WORLD, NULL, 0);	/* 7 */
	p = pol_compile(test);
	KUNIT_EXPECT_EQ(test, p->src.nrules, 8U);
	KUNIT_EXPECT_EQ(test, p->src.dflt, DENY);
	KUNIT_EXPECT_EQ(test, p->src.lines[4], 5U);
	KUNIT_EXPECT_STREQ(test, p->src.texts[4], "");
	KUNIT_EXPECT_TRUE(test, p->src.rules[1].flags & NGUARD_RULE_LOG);

	pol_expect(test, p, "10.0.1.1", "10.0.2.1", 6, 5432, NULL, NULL, 1, 2, 0, ALLOW);
	/* First match: the catch-all deny of web -> db. */
	pol_expect(test, p, "10.0.1.1", "10.0.2.1", 6, 5433, NULL, NULL, 1, 2, 1, DENY);
	pol_expect(test, p, "10.0.1.1", "10.0.2.1", 17, 5432, NULL, NULL, 1, 2, 1, DENY);
	pol_expect(test, p, "10.0.1.1", "10.0.2.1", 1, 0, NULL, NULL, 1, 2, 1, DENY);
	/* "*" sources, several terms, protocol must match. */
	pol_expect(test, p, "9.9.9.9", "10.0.1.1", 6, 443, NULL, NULL, WORLD, 1, 2, ALLOW);
	pol_expect(test, p, "10.0.2.9", "10.0.1.1", 17, 53, NULL, NULL, 2, 1, 2, ALLOW);
	pol_expect(test, p, "9.9.9.9", "10.0.1.1", 17, 443, NULL, NULL, WORLD, 1, NONE, DENY);
	pol_expect(test, p, "9.9.9.9", "10.0.1.1", 6, 81, NULL, NULL, WORLD, 1, NONE, DENY);
	/* An earlier rule wins over a later one that matches too. */
	pol_expect(test, p, "10.0.3.1", "10.0.1.1", 6, 80, NULL, NULL, 3, 1, 2, ALLOW);
	pol_expect(test, p, "10.0.3.1", "10.0.1.1", 6, 22, NULL, NULL, 3, 1, 3, ALLOW);
	pol_expect(test, p, "10.0.3.1", "10.0.2.1", 6, 22, NULL, NULL, 3, 2, 3, ALLOW);
	pol_expect(test, p, "10.0.3.1", "8.8.8.8", 6, 22, NULL, NULL, 3, WORLD, 3, ALLOW);
	/* Any protocol in a port range, up to both ends. */
	pol_expect(test, p, "10.0.3.1", "10.0.2.1", 17, 1000, NULL, NULL, 3, 2, 4, ALLOW);
	pol_expect(test, p, "10.0.3.1", "10.0.2.1", 132, 2000, NULL, NULL, 3, 2, 4, ALLOW);
	pol_expect(test, p, "10.0.3.1", "10.0.2.1", 17, 999, NULL, NULL, 3, 2, 5, DENY);
	pol_expect(test, p, "10.0.3.1", "10.0.2.1", 6, 2001, NULL, NULL, 3, 2, 5, DENY);
	/* "* -> *" terms; world -> world by name. */
	pol_expect(test, p, "10.0.1.1", "10.0.3.1", 1, 0, NULL, NULL, 1, 3, 6, ALLOW);
	pol_expect(test, p, "10.0.2.1", "10.0.1.1", 1, 0, NULL, NULL, 2, 1, 6, ALLOW);
	pol_expect(test, p, "10.0.2.1", "10.0.3.1", 6, 80, NULL, NULL, 2, 3, NONE, DENY);
	pol_expect(test, p, "8.8.8.8", "1.1.1.1", 47, 0, NULL, NULL, WORLD, WORLD, 7, ALLOW);
	pol_expect(test, p, "2001:db8::1", "2001:db8::2", 6, 1, NULL, NULL, WORLD, WORLD, 7,
		   ALLOW);
	pol_expect(test, p, "8.8.8.8", "10.0.3.1", 6, 22, NULL, NULL, WORLD, 3, NONE, DENY);

	/* Default allow; an empty policy is all world and all default. */
	pol_src(test)->dflt = ALLOW;
	pol_seg(test, 1, "web");
	pol_seg(test, 2, "db");
	pol_pfx(test, 1, "10.0.1.0", 24);
	pol_pfx(test, 2, "10.0.2.0", 24);
	pol_rule(test, DENY, 0, 1, 2, ssh, 1);
	p = pol_compile(test);
	pol_expect(test, p, "10.0.1.1", "10.0.2.1", 6, 22, NULL, NULL, 1, 2, 0, DENY);
	pol_expect(test, p, "10.0.1.1", "10.0.2.1", 6, 23, NULL, NULL, 1, 2, NONE, ALLOW);
	pol_expect(test, p, "10.0.2.1", "10.0.1.1", 6, 22, NULL, NULL, 2, 1, NONE, ALLOW);
	p = pol_compile(test);
	KUNIT_EXPECT_EQ(test, p->src.nseg, 0U);
	KUNIT_EXPECT_EQ(test, p->src.dflt, DENY);
	pol_expect(test, p, "10.0.1.1", "10.0.2.1", 6, 22, NULL, NULL, WORLD, WORLD, NONE,
		   DENY);
	pol_src(test)->dflt = ALLOW;
	pol_put(test, p);
	p = pol_compile(test);
	pol_expect(test, p, "2001:db8::1", "::1", 58, 0, NULL, NULL, WORLD, WORLD, NONE,
		   ALLOW);
}

static void pol_test_ifaces(struct kunit *test)
{
	struct net_device *eth1 = pol_dev(test, "eth1");
	struct net_device *dmz0 = pol_dev(test, "dmz0");
	struct net_device *vlan = pol_dev(test, "eth2.100");
	struct net_device *eth7 = pol_dev(test, "eth7");
	static const struct nguard_match ssh[] = { PM(6, 22, 22) };
	struct ng_policy *p;

	pol_seg(test, 1, "lan");
	pol_seg(test, 2, "dmz");
	pol_seg(test, 3, "mgmt");
	pol_iface(test, 1, "eth1");
	pol_iface(test, 2, "dmz0");
	pol_pfx(test, 2, "10.9.0.0", 16);
	pol_pfx(test, 2, "2001:db8:9::", 48);
	pol_iface(test, 3, "eth2.100");
	pol_rule(test, ALLOW, 0, 1, 2, NULL, 0);
	pol_rule(test, ALLOW, 0, 2, 1, ssh, 1);
	p = pol_compile(test);
	KUNIT_EXPECT_EQ(test, p->counts[1].ifaces, 1U);
	KUNIT_EXPECT_EQ(test, p->counts[2].ifaces, 1U);
	KUNIT_EXPECT_EQ(test, p->counts[2].v4, 1U);

	/* An address in no prefix belongs to the segment of its interface. */
	pol_expect(test, p, "192.168.1.5", "10.9.1.1", 6, 80, eth1, NULL, 1, 2, 0, ALLOW);
	pol_expect(test, p, "2001:db8::5", "2001:db8:9::1", 6, 80, eth1, NULL, 1, 2, 0,
		   ALLOW);
	pol_expect(test, p, "10.9.1.1", "172.16.0.1", 6, 22, NULL, eth1, 2, 1, 1, ALLOW);
	pol_expect(test, p, "10.9.1.1", "172.16.0.1", 6, 23, NULL, eth1, 2, 1, NONE, DENY);
	pol_expect(test, p, "1.2.3.4", "5.6.7.8", 6, 22, dmz0, eth1, 2, 1, 1, ALLOW);
	pol_expect(test, p, "1.2.3.4", "5.6.7.8", 6, 22, eth1, vlan, 1, 3, NONE, DENY);
	/* A prefix beats the interface. */
	pol_expect(test, p, "10.9.3.3", "172.16.0.1", 6, 22, eth1, dmz0, 2, 2, NONE, DENY);
	/* Unknown interfaces and no interface: world. */
	pol_expect(test, p, "192.168.1.5", "10.9.1.1", 6, 80, eth7, NULL, WORLD, 2, NONE,
		   DENY);
	pol_expect(test, p, "192.168.1.5", "10.9.1.1", 6, 80, NULL, eth1, WORLD, 2, NONE,
		   DENY);
	/* The input device classifies the source only, the output the destination. */
	pol_expect(test, p, "10.9.1.1", "1.1.1.1", 6, 22, eth1, NULL, 2, WORLD, NONE, DENY);

	/* Without interface members the devices do not matter. */
	pol_seg(test, 1, "lan");
	pol_rule(test, ALLOW, 0, WORLD, WORLD, NULL, 0);
	p = pol_compile(test);
	KUNIT_EXPECT_NULL(test, p->iface_slots);
	pol_expect(test, p, "192.168.1.5", "1.1.1.1", 6, 80, eth1, eth1, WORLD, WORLD, 0,
		   ALLOW);
}

/* Many members: the name hash with collisions and probing. */
static void pol_test_many_ifaces(struct kunit *test)
{
	struct net_device *dev = pol_dev(test, "");
	struct ng_judgement j;
	char name[IFNAMSIZ];
	struct ng_policy *p;
	u8 a[4] = { 1, 2, 3, 4 };
	unsigned int i;

	pol_seg(test, 1, "a");
	pol_seg(test, 2, "b");
	pol_seg(test, 3, "c");
	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "veth%u", i);
		pol_iface(test, i % 3 + 1, name);
	}
	pol_iface(test, 2, "abcdefghijklmno");		/* IFNAMSIZ - 1 */
	KUNIT_EXPECT_EQ(test, ng_src_add_iface(pol_src(test), 2, "abcdefghijklmnop"),
			-EINVAL);
	p = pol_compile(test);
	KUNIT_EXPECT_EQ(test, p->iface_mask, 1023U);
	for (i = 0; i < 310; i++) {
		snprintf(dev->name, IFNAMSIZ, "veth%u", i);
		ng_policy_judge(p, 4, a, a, 6, 80, dev, dev, &j);
		KUNIT_EXPECT_EQ_MSG(test, j.src_seg, i < 300 ? i % 3 + 1 : WORLD, "%s",
				    dev->name);
		KUNIT_EXPECT_EQ_MSG(test, j.dst_seg, i < 300 ? i % 3 + 1 : WORLD, "%s",
				    dev->name);
	}
	strscpy(dev->name, "abcdefghijklmno", IFNAMSIZ);
	ng_policy_judge(p, 4, a, a, 6, 80, dev, NULL, &j);
	KUNIT_EXPECT_EQ(test, j.src_seg, 2);
	KUNIT_EXPECT_EQ(test, j.dst_seg, WORLD);
	strscpy(dev->name, "veth", IFNAMSIZ);
	ng_policy_judge(p, 4, a, a, 6, 80, dev, NULL, &j);
	KUNIT_EXPECT_EQ(test, j.src_seg, WORLD);
}

static void pol_expect_error(struct kunit *test, int err, const char *why)
{
	const char *got = NULL;
	struct ng_policy *p;
	u32 nifaces = pol_src(test)->nifaces, npfx = pol_src(test)->npfx;

	p = ng_policy_compile(pol_src(test), &got);
	KUNIT_EXPECT_TRUE(test, IS_ERR(p));
	if (!IS_ERR(p)) {
		ng_policy_put(p);
		return;
	}
	KUNIT_EXPECT_EQ(test, PTR_ERR(p), (long)err);
	KUNIT_EXPECT_STREQ(test, got ? got : "(null)", why);
	/* The draft is left as it was. */
	KUNIT_EXPECT_EQ(test, pol_src(test)->nifaces, nifaces);
	KUNIT_EXPECT_EQ(test, pol_src(test)->npfx, npfx);
	ng_src_free(pol_src(test));
	ng_src_init(pol_src(test));
}

static void pol_test_errors(struct kunit *test)
{
	struct ng_policy_src *s = pol_src(test);
	static const struct nguard_match m[NGUARD_MAX_RULE_MATCHES + 1];
	struct ng_rule r = { .action = ALLOW, .src = ANY, .dst = ANY };
	u8 a[16] = {};

	/* The same interface in two segments, or twice in one. */
	pol_seg(test, 1, "a");
	pol_seg(test, 2, "b");
	pol_iface(test, 1, "eth0");
	pol_iface(test, 1, "eth1");
	pol_iface(test, 2, "eth0");
	pol_expect_error(test, -EEXIST, "the same interface is listed twice");
	pol_seg(test, 1, "a");
	pol_iface(test, 1, "eth0");
	pol_iface(test, 1, "eth0");
	pol_rule(test, ALLOW, 0, 1, ANY, NULL, 0);
	pol_expect_error(test, -EEXIST, "the same interface is listed twice");

	/* The same prefix in two segments; host bits. */
	pol_seg(test, 1, "a");
	pol_seg(test, 2, "b");
	pol_pfx(test, 1, "10.0.0.0", 8);
	pol_pfx(test, 2, "10.0.0.0", 8);
	pol_expect_error(test, -EEXIST, "the same prefix is listed in two segments");
	pol_seg(test, 1, "a");
	pol_pfx(test, 1, "10.0.0.1", 24);
	pol_expect_error(test, -EINVAL, "prefix with host bits set or bad length");
	pol_seg(test, 1, "a");
	pol_pfx(test, 1, "2001:db8::1", 64);
	pol_expect_error(test, -EINVAL, "prefix with host bits set or bad length");

	/* A rule naming a segment that does not exist. */
	pol_seg(test, 1, "a");
	pol_rule(test, ALLOW, 0, 1, 2, NULL, 0);
	pol_expect_error(test, -EINVAL, "a rule names a segment that does not exist");

	/* What the draft refuses at once. */
	KUNIT_EXPECT_EQ(test, ng_src_add_segment(s, 2, "x"), -EINVAL);
	KUNIT_EXPECT_EQ(test, ng_src_add_segment(s, 1, "world"), -EINVAL);
	KUNIT_EXPECT_EQ(test, ng_src_add_segment(s, 1, ""), -EINVAL);
	KUNIT_EXPECT_EQ(test, ng_src_add_prefix(s, 1, 4, a, 8), -EINVAL);
	pol_seg(test, 1, "a");
	KUNIT_EXPECT_EQ(test, ng_src_add_prefix(s, 0, 4, a, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, ng_src_add_prefix(s, 2, 4, a, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, ng_src_add_prefix(s, 1, 4, a, 33), -EINVAL);
	KUNIT_EXPECT_EQ(test, ng_src_add_prefix(s, 1, 6, a, 129), -EINVAL);
	KUNIT_EXPECT_EQ(test, ng_src_add_prefix(s, 1, 5, a, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, ng_src_add_iface(s, 0, "eth0"), -EINVAL);
	KUNIT_EXPECT_EQ(test, ng_src_add_iface(s, 1, ""), -EINVAL);
	KUNIT_EXPECT_EQ(test, ng_src_add_rule(s, &r, m, ARRAY_SIZE(m), 1, NULL), -E2BIG);
	KUNIT_EXPECT_EQ(test, s->npfx + s->nifaces + s->nrules, 0U);
	/* ... and a default route is a prefix like any other. */
	KUNIT_EXPECT_EQ(test, ng_src_add_prefix(s, 1, 4, a, 0), 0);
	pol_expect(test, pol_compile(test), "1.2.3.4", "10.0.0.1", 6, 1, NULL, NULL, 1, 1,
		   NONE, DENY);
}

static void pol_hit_cpu(void *arg)
{
	ng_policy_hit(arg, 1);
}

static void pol_test_hits(struct kunit *test)
{
	static const struct nguard_match ssh[] = { PM(6, 22, 22) };
	unsigned int i, cpus = 0, cpu;
	struct ng_policy *p;

	pol_seg(test, 1, "a");
	pol_rule(test, ALLOW, 0, 1, ANY, ssh, 1);
	pol_rule(test, ALLOW, 0, ANY, 1, NULL, 0);
	pol_rule(test, DENY, 0, ANY, ANY, ssh, 1);
	p = pol_compile(test);
	for (i = 0; i <= 3; i++)
		KUNIT_EXPECT_EQ(test, ng_policy_hits(p, i == 3 ? NONE : i), 0ULL);
	for (i = 0; i < 5; i++)
		ng_policy_hit(p, 0);
	for (i = 0; i < 3; i++)
		ng_policy_hit(p, 2);
	for (i = 0; i < 7; i++)
		ng_policy_hit(p, NONE);
	/* Once on every CPU: the sum folds them. */
	on_each_cpu(pol_hit_cpu, p, 1);
	for_each_online_cpu(cpu)
		cpus++;
	KUNIT_EXPECT_EQ(test, ng_policy_hits(p, 0), 5ULL);
	KUNIT_EXPECT_EQ(test, ng_policy_hits(p, 1), (u64)cpus);
	KUNIT_EXPECT_EQ(test, ng_policy_hits(p, 2), 3ULL);
	KUNIT_EXPECT_EQ(test, ng_policy_hits(p, NONE), 7ULL);
	KUNIT_EXPECT_EQ(test, p->nhit_chunks, 1U);

	/* More rules than one chunk holds: the default lands in the second. */
	for (i = 0; i < NG_HITS_CHUNK + 4; i++)
		pol_rule(test, i & 1 ? ALLOW : DENY, 0, ANY, ANY, ssh, 1);
	p = pol_compile(test);
	KUNIT_EXPECT_EQ(test, p->nhit_chunks, 2U);
	ng_policy_hit(p, 0);
	ng_policy_hit(p, NG_HITS_CHUNK - 1);
	ng_policy_hit(p, NG_HITS_CHUNK);
	ng_policy_hit(p, NG_HITS_CHUNK);
	ng_policy_hit(p, NG_HITS_CHUNK + 3);
	for (i = 0; i < 4; i++)
		ng_policy_hit(p, NONE);
	KUNIT_EXPECT_EQ(test, ng_policy_hits(p, 0), 1ULL);
	KUNIT_EXPECT_EQ(test, ng_policy_hits(p, 1), 0ULL);
	KUNIT_EXPECT_EQ(test, ng_policy_hits(p, NG_HITS_CHUNK - 1), 1ULL);
	KUNIT_EXPECT_EQ(test, ng_policy_hits(p, NG_HITS_CHUNK), 2ULL);
	KUNIT_EXPECT_EQ(test, ng_policy_hits(p, NG_HITS_CHUNK + 2), 0ULL);
	KUNIT_EXPECT_EQ(test, ng_policy_hits(p, NG_HITS_CHUNK + 3), 1ULL);
	KUNIT_EXPECT_EQ(test, ng_policy_hits(p, NONE), 4ULL);
}

/* Random policies against a naive reference. */
#define PR_NSEG		5
#define PR_NPFX		64	/* per family */
#define PR_NRULES	48
#define PR_NDEV		4	/* devices; the last one is in no segment */
#define PR_ROUNDS	3
#define PR_PACKETS	8000	/* per round */

struct pr_pfx {
	u8 a[16];
	u8 plen;
	u8 family;
	u16 seg;
};

struct pr_ref {
	struct pr_pfx pfx[2 * PR_NPFX];
	unsigned int npfx;
	struct ng_rule rules[PR_NRULES];
	struct nguard_match m[PR_NRULES * 3];
	u16 dev_seg[PR_NDEV];
	bool ifaces;
	u8 dflt;
	u64 hits[PR_NRULES + 1];
};

/* splitmix64: reproducible from the seed printed by the test. */
static u64 pr_rnd(u64 *s)
{
	u64 z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static bool pr_in(const struct pr_pfx *p, const u8 *a)
{
	unsigned int full = p->plen / 8, rest = p->plen % 8;

	if (memcmp(p->a, a, full))
		return false;
	return !rest || !((p->a[full] ^ a[full]) & (0xff << (8 - rest)));
}

static void pr_mask(u8 *a, unsigned int alen, u8 plen)
{
	unsigned int i;

	for (i = 0; i < alen; i++) {
		if (plen >= 8 * (i + 1))
			continue;
		a[i] &= plen > 8 * i ? 0xff << (8 - (plen - 8 * i)) : 0;
	}
}

/*
 * Addresses from a small space, so that prefixes nest and packets hit
 * them: 10.0.0-3.x and 2001:db8:0|1:0-7::0-1:x, one in 8 anywhere.
 */
static void pr_addr(u64 *rng, u8 family, u8 *a)
{
	u64 x = pr_rnd(rng);

	memset(a, 0, 16);
	if (!(x & 7)) {
		u64 y = pr_rnd(rng);

		memcpy(a, &x, 8);
		memcpy(a + 8, &y, 8);
		if (family == 4)
			memset(a + 4, 0, 12);
		return;
	}
	x >>= 3;
	if (family == 4) {
		a[0] = 10;
		a[2] = x & 3;
		a[3] = x >> 2;
		return;
	}
	a[0] = 0x20;
	a[1] = 0x01;
	a[2] = 0x0d;
	a[3] = 0xb8;
	a[4] = x & 1;
	a[7] = x >> 1 & 7;
	a[11] = x >> 4 & 1;
	a[15] = x >> 5;
}

static u8 pr_plen(u64 *rng, u8 family)
{
	static const u8 p4[] = { 8, 16, 22, 23, 24, 25, 26, 30, 31, 32 };
	static const u8 p6[] = { 32, 39, 40, 48, 61, 64, 95, 96, 120, 127, 128 };
	u64 x = pr_rnd(rng);

	if (family == 4)
		return x & 1 ? p4[(x >> 1) % ARRAY_SIZE(p4)] : 8 + (x >> 1) % 25;
	return x & 1 ? p6[(x >> 1) % ARRAY_SIZE(p6)] : 32 + (x >> 1) % 97;
}

static u16 pr_seg_of(const struct pr_ref *r, u8 family, const u8 *a,
		     const struct net_device *dev)
{
	int best = -1;
	u16 seg = WORLD;
	unsigned int i;

	for (i = 0; i < r->npfx; i++) {
		const struct pr_pfx *p = &r->pfx[i];

		if (p->family == family && (int)p->plen > best && pr_in(p, a)) {
			best = p->plen;
			seg = p->seg;
		}
	}
	if (seg == WORLD && r->ifaces && dev)
		seg = r->dev_seg[dev->name[2] - '0'];
	return seg;
}

static u32 pr_first(const struct pr_ref *r, u16 s, u16 d, u8 proto, u16 port)
{
	u32 i, k;

	for (i = 0; i < PR_NRULES; i++) {
		const struct ng_rule *x = &r->rules[i];

		if ((x->src != ANY && x->src != s) || (x->dst != ANY && x->dst != d))
			continue;
		if (!x->nmatch)
			return i;
		for (k = 0; k < x->nmatch; k++) {
			const struct nguard_match *t = &r->m[x->match_off + k];

			if ((t->flags & NGUARD_MATCH_ANY_PROTO || t->proto == proto) &&
			    port >= t->port_lo && port <= t->port_hi)
				return i;
		}
	}
	return NONE;
}

static u16 pr_rseg(u64 *rng)
{
	u32 x = pr_rnd(rng) % (PR_NSEG + 3);

	return x > PR_NSEG ? ANY : x;
}

static void pr_build(struct kunit *test, struct pr_ref *r, u64 *rng, bool ifaces)
{
	static const u8 protos[] = { 1, 6, 17, 58 };
	struct ng_policy_src *s = pol_src(test);
	unsigned int i, k, off = 0, tries;
	char name[8];

	memset(r, 0, sizeof(*r));
	for (i = 1; i <= PR_NSEG; i++) {
		snprintf(name, sizeof(name), "s%u", i);
		pol_seg(test, i, name);
	}
	/* Prefixes, distinct (family, address, length). */
	for (tries = 0; tries < 8 * PR_NPFX && r->npfx < 2 * PR_NPFX; tries++) {
		struct pr_pfx *p = &r->pfx[r->npfx];
		bool dup = false;

		p->family = tries & 1 ? 6 : 4;
		pr_addr(rng, p->family, p->a);
		p->plen = pr_plen(rng, p->family);
		pr_mask(p->a, p->family == 4 ? 4 : 16, p->plen);
		p->seg = 1 + pr_rnd(rng) % PR_NSEG;
		for (k = 0; k < r->npfx && !dup; k++)
			dup = r->pfx[k].family == p->family &&
			      r->pfx[k].plen == p->plen &&
			      !memcmp(r->pfx[k].a, p->a, 16);
		if (dup)
			continue;
		KUNIT_ASSERT_EQ(test, ng_src_add_prefix(s, p->seg, p->family, p->a,
							p->plen), 0);
		r->npfx++;
	}
	/* Devices ng0..ng2 in random segments, ng3 in none. */
	r->ifaces = ifaces;
	for (i = 0; ifaces && i < PR_NDEV - 1; i++) {
		r->dev_seg[i] = 1 + pr_rnd(rng) % PR_NSEG;
		snprintf(name, sizeof(name), "ng%u", i);
		pol_iface(test, r->dev_seg[i], name);
	}
	for (i = 0; i < PR_NRULES; i++) {
		struct ng_rule *x = &r->rules[i];
		u64 y = pr_rnd(rng);

		x->action = y & 1 ? ALLOW : DENY;
		x->flags = y & 2 ? NGUARD_RULE_LOG : 0;
		x->src = pr_rseg(rng);
		x->dst = pr_rseg(rng);
		x->nmatch = (y >> 2) % 4;
		x->match_off = off;
		for (k = 0; k < x->nmatch; k++) {
			struct nguard_match *t = &r->m[off + k];

			t->proto = protos[(y >> (4 + 3 * k)) % 4];
			t->flags = (y >> (20 + k)) % 8 ? 0 : NGUARD_MATCH_ANY_PROTO;
			t->port_lo = (y >> (24 + 6 * k)) % 64;
			t->port_hi = t->port_lo + (y >> (44 + 3 * k)) % 8;
		}
		pol_rule(test, x->action, x->flags, x->src, x->dst, &r->m[off],
			 x->nmatch);
		off += x->nmatch;
	}
	r->dflt = pr_rnd(rng) & 1 ? ALLOW : DENY;
	s->dflt = r->dflt;
}

static void pol_test_random(struct kunit *test)
{
	static const u8 protos[] = { 1, 6, 17, 58, 47 };
	u64 seed = get_random_u64(), rng = seed;
	struct net_device *dev[PR_NDEV];
	unsigned int round, i, bad = 0, seen[3] = {};
	char name[8];
	struct pr_ref *r;

	kunit_info(test, "seed %llu\n", seed);
	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	for (i = 0; i < PR_NDEV; i++) {
		snprintf(name, sizeof(name), "ng%u", i);
		dev[i] = pol_dev(test, name);
	}
	for (round = 0; round < PR_ROUNDS; round++) {
		struct ng_policy *p;
		u64 total = 0;

		pr_build(test, r, &rng, round > 0);
		p = pol_compile(test);
		for (i = 0; i < PR_PACKETS; i++) {
			u64 x = pr_rnd(&rng);
			u8 fam = x & 1 ? 4 : 6, proto = protos[(x >> 1) % 5];
			u16 port = (x >> 8) % 80;
			const struct net_device *in = x & 0x10000 ?
				dev[(x >> 17) % PR_NDEV] : NULL;
			const struct net_device *out = x & 0x80000 ?
				dev[(x >> 20) % PR_NDEV] : NULL;
			struct ng_judgement j;
			u16 ws, wd;
			u32 wr;
			u8 s[16], d[16];

			pr_addr(&rng, fam, s);
			pr_addr(&rng, fam, d);
			ws = pr_seg_of(r, fam, s, in);
			wd = pr_seg_of(r, fam, d, out);
			wr = pr_first(r, ws, wd, proto, port);
			ng_policy_judge(p, fam, s, d, proto, port, in, out, &j);
			ng_policy_hit(p, j.rule);
			r->hits[wr == NONE ? PR_NRULES : wr]++;
			seen[0] += ws != WORLD;
			seen[1] += wr != NONE;
			seen[2] += in && ws != WORLD && pr_seg_of(r, fam, s, NULL) == WORLD;
			if (j.src_seg != ws || j.dst_seg != wd || j.rule != wr ||
			    j.verdict != (wr == NONE ? r->dflt : r->rules[wr].action)) {
				if (bad++ < 5)
					KUNIT_FAIL(test,
						   "round %u packet %u v%u %*phN -> %*phN %u/%u in %s out %s: got %u->%u rule %d verdict %u, want %u->%u rule %d",
						   round, i, fam, fam == 4 ? 4 : 16, s,
						   fam == 4 ? 4 : 16, d, proto, port,
						   in ? in->name : "-", out ? out->name : "-",
						   j.src_seg, j.dst_seg, (int)j.rule, j.verdict,
						   ws, wd, (int)wr);
			}
		}
		for (i = 0; i <= PR_NRULES; i++) {
			u64 got = ng_policy_hits(p, i == PR_NRULES ? NONE : i);

			KUNIT_EXPECT_EQ_MSG(test, got, r->hits[i], "round %u rule %u", round, i);
			total += got;
		}
		KUNIT_EXPECT_EQ(test, total, (u64)PR_PACKETS);
		pol_put(test, p);
	}
	kunit_info(test, "%u packets: %u sources in a segment (%u by interface), %u decided by a rule\n",
		   PR_ROUNDS * PR_PACKETS, seen[0], seen[2], seen[1]);
	KUNIT_EXPECT_EQ(test, bad, 0U);
	/* The generator must exercise all three paths. */
	KUNIT_EXPECT_GT(test, seen[0], PR_ROUNDS * PR_PACKETS / 10);
	KUNIT_EXPECT_GT(test, seen[1], PR_ROUNDS * PR_PACKETS / 10);
	KUNIT_EXPECT_GT(test, seen[2], 0U);
}

static struct kunit_case pol_test_cases[] = {
	KUNIT_CASE(pol_test_lpm),
	KUNIT_CASE(pol_test_rules),
	KUNIT_CASE(pol_test_ifaces),
	KUNIT_CASE(pol_test_many_ifaces),
	KUNIT_CASE(pol_test_errors),
	KUNIT_CASE(pol_test_hits),
	KUNIT_CASE(pol_test_random),
	{}
};

static struct kunit_suite pol_test_suite = {
	.name = "nguard_policy",
	.init = pol_init,
	.exit = pol_exit,
	.test_cases = pol_test_cases,
};

kunit_test_suite(pol_test_suite);
