// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for event.c: NGUARD_CMD_EVENT parsing (each attribute
 * mis-sized, missing type, wrong command, random bytes), text lines and
 * JSON objects of every event type, segment names through a policy,
 * IPv6 sources as prefixes.
 */
#include <stdlib.h>
#include <arpa/inet.h>
#include <netlink/genl/genl.h>
#include "check.h"
#include "event.h"

/* Specs start from NONE and override some of its fields. */
#pragma GCC diagnostic ignored "-Woverride-init"

#define T0 1795456202123456789ull	/* 2026-11-23T17:50:02.123Z */

/* An event as the module sends it; @bad is put with a wrong size. */
struct spec {
	uint8_t cmd, type, kind, action, proto;
	const char *src, *dst;
	int sport, dport, src_seg, dst_seg;	/* -1: absent */
	int64_t count, block_secs, gen, suppressed, time;	/* -1: absent */
	int src_plen;		/* -1: absent */
	int bad;
	int no_nest;
};

static void put_addr(struct nl_msg *m, int t, const char *a, int bad)
{
	unsigned char buf[16] = { 0 };
	int len = strchr(a, ':') ? 16 : 4;

	inet_pton(len == 16 ? AF_INET6 : AF_INET, a, buf);
	nla_put(m, t, bad ? 8 : len, buf);
}

static struct nl_msg *build(const struct spec *s)
{
	struct nl_msg *m = nlmsg_alloc();
	struct nlattr *n;
	int b = s->bad;

	genlmsg_put(m, 0, 0, 20, 0, 0, s->cmd ? s->cmd : NGUARD_CMD_EVENT, NGUARD_GENL_VERSION);
	if (s->no_nest)
		return m;
	n = nla_nest_start(m, NGUARD_A_EVENT);
	if (s->type)
		b == NGUARD_EVENT_A_TYPE ? nla_put_u16(m, NGUARD_EVENT_A_TYPE, s->type) :
					   nla_put_u8(m, NGUARD_EVENT_A_TYPE, s->type);
	if (s->kind)
		b == NGUARD_EVENT_A_KIND ? nla_put_u32(m, NGUARD_EVENT_A_KIND, s->kind) :
					   nla_put_u8(m, NGUARD_EVENT_A_KIND, s->kind);
	if (s->action)
		b == NGUARD_EVENT_A_ACTION ? nla_put_u16(m, NGUARD_EVENT_A_ACTION, s->action) :
					     nla_put_u8(m, NGUARD_EVENT_A_ACTION, s->action);
	if (s->src)
		put_addr(m, NGUARD_EVENT_A_SRC, s->src, b == NGUARD_EVENT_A_SRC);
	if (s->dst)
		put_addr(m, NGUARD_EVENT_A_DST, s->dst, b == NGUARD_EVENT_A_DST);
	if (s->proto)
		b == NGUARD_EVENT_A_PROTO ? nla_put_u16(m, NGUARD_EVENT_A_PROTO, s->proto) :
					    nla_put_u8(m, NGUARD_EVENT_A_PROTO, s->proto);
#define U16(attr, v) if ((v) >= 0) { b == attr ? nla_put_u32(m, attr, (uint32_t)(v)) : \
					       nla_put_u16(m, attr, (uint16_t)(v)); }
#define U32(attr, v) if ((v) >= 0) { b == attr ? nla_put_u64(m, attr, (uint64_t)(v)) : \
					       nla_put_u32(m, attr, (uint32_t)(v)); }
#define U64(attr, v) if ((v) >= 0) { b == attr ? nla_put_u32(m, attr, (uint32_t)(v)) : \
					       nla_put_u64(m, attr, (uint64_t)(v)); }
	U16(NGUARD_EVENT_A_SPORT, s->sport);
	U16(NGUARD_EVENT_A_DPORT, s->dport);
	U16(NGUARD_EVENT_A_SRC_SEG, s->src_seg);
	U16(NGUARD_EVENT_A_DST_SEG, s->dst_seg);
	U32(NGUARD_EVENT_A_COUNT, s->count);
	U32(NGUARD_EVENT_A_BLOCK_SECS, s->block_secs);
	U64(NGUARD_EVENT_A_POLICY_GEN, s->gen);
	U32(NGUARD_EVENT_A_SUPPRESSED, s->suppressed);
	U64(NGUARD_EVENT_A_TIME, s->time);
	if (s->src_plen >= 0)
		b == NGUARD_EVENT_A_SRC_PREFIX_LEN ?
			nla_put_u16(m, NGUARD_EVENT_A_SRC_PREFIX_LEN, (uint16_t)s->src_plen) :
			nla_put_u8(m, NGUARD_EVENT_A_SRC_PREFIX_LEN, (uint8_t)s->src_plen);
#undef U16
#undef U32
#undef U64
	nla_nest_end(m, n);
	return m;
}

#define NONE .sport = -1, .dport = -1, .src_seg = -1, .dst_seg = -1, .count = -1, \
	     .block_secs = -1, .gen = -1, .suppressed = -1, .time = (int64_t)T0, .src_plen = -1

static const struct spec scan = {
	.type = NGUARD_EVENT_ANOMALY, .kind = NGUARD_DETECT_PORTSCAN,
	.action = NGUARD_ACTION_BLOCK, .src = "10.0.9.5", .dst = "10.0.2.7",
	NONE, .dport = 23, .src_seg = 3, .dst_seg = 2, .count = 21, .block_secs = 600,
};

static struct ng_policy pol;

static char *text_of(const struct spec *s, const char **bad)
{
	struct nl_msg *m = build(s);
	struct ng_event ev;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	*bad = ng_event_parse(m, &ev);
	nlmsg_free(m);
	if (*bad)
		return NULL;
	f = open_memstream(&text, &len);
	ng_event_print(f, &ev, &pol);
	fclose(f);
	return text;
}

static void expect_text(int line, const struct spec *s, const char *want)
{
	const char *bad;
	char *got = text_of(s, &bad);

	if (!got || strcmp(got, want)) {
		fprintf(stderr, "%s:%d: got <<%s>> (bad %s), want <<%s>>\n", __FILE__, line,
			got ? got : "", bad ? bad : "-", want);
		ng_test_failures++;
	}
	free(got);
}

static void expect_bad(int line, const struct spec *s, const char *want)
{
	const char *bad;
	char *got = text_of(s, &bad);

	if (!bad || strcmp(bad, want)) {
		fprintf(stderr, "%s:%d: bad = %s, want %s\n", __FILE__, line, bad ? bad : "NULL", want);
		ng_test_failures++;
	}
	free(got);
}

static json_object *json_of(const struct spec *s)
{
	struct nl_msg *m = build(s);
	struct ng_event ev;
	json_object *o = NULL;

	if (!ng_event_parse(m, &ev))
		o = ng_event_json(&ev, &pol);
	nlmsg_free(m);
	return o;
}

#define JSTR(o, k, v) CHECK_STR(json_object_get_string(json_object_object_get(o, k)) ?: "(null)", v)
#define JINT(o, k, v) CHECK(json_object_get_int64(json_object_object_get(o, k)) == (v))
#define JNULL(o, k) do { json_object *v_; CHECK(json_object_object_get_ex(o, k, &v_) && !v_); } while (0)

int main(void)
{
	static const int attrs[] = {
		NGUARD_EVENT_A_TYPE, NGUARD_EVENT_A_KIND, NGUARD_EVENT_A_ACTION, NGUARD_EVENT_A_SRC,
		NGUARD_EVENT_A_DST, NGUARD_EVENT_A_PROTO, NGUARD_EVENT_A_SPORT, NGUARD_EVENT_A_DPORT,
		NGUARD_EVENT_A_SRC_SEG, NGUARD_EVENT_A_DST_SEG, NGUARD_EVENT_A_COUNT,
		NGUARD_EVENT_A_BLOCK_SECS, NGUARD_EVENT_A_POLICY_GEN, NGUARD_EVENT_A_SUPPRESSED,
		NGUARD_EVENT_A_TIME, NGUARD_EVENT_A_SRC_PREFIX_LEN,
	};
	static const char *const names[] = {
		"NGUARD_EVENT_A_TYPE", "NGUARD_EVENT_A_KIND", "NGUARD_EVENT_A_ACTION",
		"NGUARD_EVENT_A_SRC", "NGUARD_EVENT_A_DST", "NGUARD_EVENT_A_PROTO",
		"NGUARD_EVENT_A_SPORT", "NGUARD_EVENT_A_DPORT", "NGUARD_EVENT_A_SRC_SEG",
		"NGUARD_EVENT_A_DST_SEG", "NGUARD_EVENT_A_COUNT", "NGUARD_EVENT_A_BLOCK_SECS",
		"NGUARD_EVENT_A_POLICY_GEN", "NGUARD_EVENT_A_SUPPRESSED", "NGUARD_EVENT_A_TIME",
		"NGUARD_EVENT_A_SRC_PREFIX_LEN",
	};
	struct spec s;
	struct nl_msg *m;
	struct ng_event ev;
	json_object *o;
	unsigned int i, seed;

	ng_policy_init(&pol);
	ng_policy_add_segment(&pol, "web", 3);
	ng_policy_add_segment(&pol, "db", 2);
	ng_policy_add_segment(&pol, "admin", 5);

	/* Text, one line per event type. */
	expect_text(__LINE__, &scan, "2026-11-23T17:50:02Z anomaly portscan src=10.0.9.5 dst=10.0.2.7 "
		    "dport=23 seg=admin->db count=21 action=block 600s\n");
	s = scan;
	s.kind = NGUARD_DETECT_SYNFLOOD;
	s.action = NGUARD_ACTION_DROP;
	s.block_secs = -1;
	s.proto = 6;
	s.sport = 40000;
	s.src_seg = 0;
	s.dst_seg = 9;		/* not in the policy: its number */
	s.count = 250;
	s.src = "2001:db8::1";
	s.dst = "2001:db8:2::7";
	s.suppressed = 12;
	expect_text(__LINE__, &s, "2026-11-23T17:50:02Z (12 events suppressed)\n"
		    "2026-11-23T17:50:02Z anomaly synflood src=2001:db8::1 dst=2001:db8:2::7 proto=tcp "
		    "sport=40000 dport=23 seg=world->9 count=250 action=drop\n");
	s = (struct spec){ .type = NGUARD_EVENT_ANOMALY, NONE, .kind = 9, .action = 7, .proto = 47,
			   .dst_seg = 1, .suppressed = 1 };
	expect_text(__LINE__, &s, "2026-11-23T17:50:02Z (1 event suppressed)\n"
		    "2026-11-23T17:50:02Z anomaly kind=9 proto=47 seg=?->web action=7\n");
	/* What the module sends for a ping sweep: ICMP "ports" are left out. */
	s = (struct spec){ .type = NGUARD_EVENT_ANOMALY, NONE, .kind = NGUARD_DETECT_SWEEP,
			   .action = NGUARD_ACTION_LOG, .src = "192.0.2.2", .dst = "10.0.2.18",
			   .proto = 1, .sport = 4711, .dport = 0, .src_seg = 0, .dst_seg = 2,
			   .count = 16, .gen = 3 };
	expect_text(__LINE__, &s, "2026-11-23T17:50:02Z anomaly sweep src=192.0.2.2 dst=10.0.2.18 "
		    "proto=icmp seg=world->db count=16 action=log\n");
	o = json_of(&s);
	JINT(o, "sport", 4711);
	JINT(o, "dport", 0);
	JINT(o, "policy_generation", 3);
	json_object_put(o);
	s = (struct spec){ .type = NGUARD_EVENT_BLOCK, NONE, .kind = NGUARD_DETECT_PORTSCAN,
			   .src = "10.0.9.5", .block_secs = 600 };
	expect_text(__LINE__, &s, "2026-11-23T17:50:02Z block 10.0.9.5 portscan 600s\n");
	s = (struct spec){ .type = NGUARD_EVENT_UNBLOCK, NONE, .src = "10.0.9.5",
			   .kind = NGUARD_DETECT_MANUAL };
	expect_text(__LINE__, &s, "2026-11-23T17:50:02Z unblock 10.0.9.5 manual\n");
	s = (struct spec){ .type = NGUARD_EVENT_UNBLOCK, NONE };
	expect_text(__LINE__, &s, "2026-11-23T17:50:02Z unblock all\n");
	s = (struct spec){ .type = NGUARD_EVENT_EXPIRE, NONE, .src = "2001:db8::9",
			   .kind = NGUARD_DETECT_SWEEP };
	expect_text(__LINE__, &s, "2026-11-23T17:50:02Z expire 2001:db8::9 sweep\n");
	/* IPv6 sources: blocks are prefixes, anomalies keep the address. */
	s = (struct spec){ .type = NGUARD_EVENT_BLOCK, NONE, .kind = NGUARD_DETECT_PORTSCAN,
			   .src = "2001:db8:1:2::", .src_plen = 64, .block_secs = 600 };
	expect_text(__LINE__, &s, "2026-11-23T17:50:02Z block 2001:db8:1:2::/64 portscan 600s\n");
	o = json_of(&s);
	JSTR(o, "src", "2001:db8:1:2::");
	JINT(o, "src_prefix_len", 64);
	json_object_put(o);
	s.type = NGUARD_EVENT_UNBLOCK;
	s.kind = NGUARD_DETECT_MANUAL;
	s.block_secs = -1;
	s.src_plen = 56;
	s.src = "2001:db8:1::";
	expect_text(__LINE__, &s, "2026-11-23T17:50:02Z unblock 2001:db8:1::/56 manual\n");
	s.type = NGUARD_EVENT_EXPIRE;
	s.kind = NGUARD_DETECT_SWEEP;
	s.src_plen = 128;
	s.src = "2001:db8::9";
	expect_text(__LINE__, &s, "2026-11-23T17:50:02Z expire 2001:db8::9/128 sweep\n");
	s.src = "10.0.9.5";	/* IPv4 is a single address, whatever comes with it */
	s.src_plen = 32;
	expect_text(__LINE__, &s, "2026-11-23T17:50:02Z expire 10.0.9.5 sweep\n");
	s = scan;
	s.src = "2001:db8:1:2:aa::5";
	s.dst = "2001:db8:2::7";
	s.src_plen = 64;
	expect_text(__LINE__, &s, "2026-11-23T17:50:02Z anomaly portscan src=2001:db8:1:2:aa::5 "
		    "dst=2001:db8:2::7 dport=23 seg=admin->db count=21 action=block 600s\n");
	o = json_of(&s);
	JSTR(o, "src", "2001:db8:1:2:aa::5");
	JINT(o, "src_prefix_len", 64);
	json_object_put(o);
	s.src_plen = 0;
	expect_bad(__LINE__, &s, "NGUARD_EVENT_A_SRC_PREFIX_LEN");
	s.src_plen = 129;
	expect_bad(__LINE__, &s, "NGUARD_EVENT_A_SRC_PREFIX_LEN");
	s = (struct spec){ .type = NGUARD_EVENT_APPLY, NONE, .gen = 5 };
	expect_text(__LINE__, &s, "2026-11-23T17:50:02Z apply generation 5\n");
	s = (struct spec){ .type = NGUARD_EVENT_ROLLBACK, NONE, .gen = 4 };
	expect_text(__LINE__, &s, "2026-11-23T17:50:02Z rollback generation 4\n");
	s = (struct spec){ .type = NGUARD_EVENT_FLUSH, NONE, .gen = 0 };
	expect_text(__LINE__, &s, "2026-11-23T17:50:02Z flush generation 0\n");
	s = (struct spec){ .type = NGUARD_EVENT_FLUSH, NONE };
	expect_text(__LINE__, &s, "2026-11-23T17:50:02Z flush\n");
	s = (struct spec){ .type = 200, NONE };
	expect_text(__LINE__, &s, "2026-11-23T17:50:02Z event 200\n");
	s = (struct spec){ .type = NGUARD_EVENT_APPLY, NONE, .time = -1, .gen = 1 };
	expect_text(__LINE__, &s, "1970-01-01T00:00:00Z apply generation 1\n");	/* cmd_monitor fills it */

	/* JSON: every key, null where absent. */
	o = json_of(&scan);
	CHECK(o && json_object_object_length(o) == 17);
	JSTR(o, "type", "anomaly");
	JSTR(o, "kind", "portscan");
	JSTR(o, "action", "block");
	JSTR(o, "src", "10.0.9.5");
	JSTR(o, "dst", "10.0.2.7");
	JNULL(o, "src_prefix_len");
	JNULL(o, "proto");
	JNULL(o, "sport");
	JINT(o, "dport", 23);
	JSTR(o, "src_segment", "admin");
	JSTR(o, "dst_segment", "db");
	JINT(o, "count", 21);
	JINT(o, "block_secs", 600);
	JNULL(o, "policy_generation");
	JINT(o, "suppressed", 0);
	JSTR(o, "time", "2026-11-23T17:50:02.123Z");
	CHECK(json_object_get_uint64(json_object_object_get(o, "time_ns")) == T0);
	json_object_put(o);
	s = (struct spec){ .type = NGUARD_EVENT_ANOMALY, NONE, .kind = 9, .action = 7, .proto = 17,
			   .src_seg = 0, .dst_seg = 77, .suppressed = 3 };
	o = json_of(&s);
	CHECK(o != NULL);
	JINT(o, "kind", 9);
	JINT(o, "action", 7);
	JSTR(o, "proto", "udp");
	JSTR(o, "src_segment", "world");
	JINT(o, "dst_segment", 77);
	JINT(o, "suppressed", 3);
	JNULL(o, "src");
	json_object_put(o);
	s = (struct spec){ .type = 99, NONE, .gen = 8 };
	o = json_of(&s);
	JINT(o, "type", 99);
	JINT(o, "policy_generation", 8);
	JNULL(o, "kind");
	JNULL(o, "action");
	json_object_put(o);

	/* Malformed events are named, not misread. */
	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		s = scan;
		s.proto = 6;
		s.sport = 1;
		s.gen = 1;
		s.suppressed = 1;
		s.src_plen = 64;
		s.bad = attrs[i];
		expect_bad(__LINE__, &s, names[i]);
	}
	s = scan;
	s.type = 0;
	expect_bad(__LINE__, &s, "NGUARD_EVENT_A_TYPE");
	s = scan;
	s.cmd = NGUARD_CMD_CONNS_GET;
	expect_bad(__LINE__, &s, "command");
	s = scan;
	s.no_nest = 1;
	expect_bad(__LINE__, &s, "NGUARD_A_EVENT");
	m = nlmsg_alloc();
	nlmsg_put(m, 0, 0, 20, 0, 0);
	CHECK_STR(ng_event_parse(m, &ev), "message header");
	nlmsg_free(m);

	/* Random attribute bytes inside the nest never crash the parser. */
	for (seed = 1; seed <= 20000; seed++) {
		unsigned char junk[96];
		unsigned int r = seed * 2654435761u, n = 4 + seed % 90, k;
		struct nlattr *nest;

		for (k = 0; k < n; k++) {
			r ^= r << 13;
			r ^= r >> 17;
			r ^= r << 5;
			junk[k] = (unsigned char)r;
		}
		m = nlmsg_alloc();
		genlmsg_put(m, 0, 0, 20, 0, 0, NGUARD_CMD_EVENT, NGUARD_GENL_VERSION);
		nest = nla_nest_start(m, NGUARD_A_EVENT);
		nla_put(m, NGUARD_EVENT_A_TYPE, 1, "\001");
		memcpy(nlmsg_reserve(m, n, 4), junk, n);
		nla_nest_end(m, nest);
		if (!ng_event_parse(m, &ev)) {
			char *text = NULL;
			size_t len;
			FILE *f = open_memstream(&text, &len);

			ng_event_print(f, &ev, &pol);
			fclose(f);
			CHECK(text && strchr(text, '\n'));
			free(text);
			json_object_put(ng_event_json(&ev, &pol));
		}
		nlmsg_free(m);
	}
	ng_policy_free(&pol);
	return CHECK_DONE();
}
