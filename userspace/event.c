// SPDX-License-Identifier: GPL-2.0-only
/*
 * The events of the family's multicast group "events" (NGUARD_CMD_EVENT):
 * decoded, and printed as one text line or one JSON object each, for
 * `nguardctl monitor` (cmd_monitor.c). Segment ids are named through the
 * live policy. The kernel rate-limits events with the log's token bucket
 * and says how many it dropped (NGUARD_EVENT_A_SUPPRESSED).
 */
#include <arpa/inet.h>
#include <string.h>
#include <netlink/genl/genl.h>
#include "event.h"
#include "format.h"
#include "nl.h"
#include "policy.h"

static int ng_ev_addr(const struct nlattr *a, uint8_t *out, uint8_t *len)
{
	int n = nla_len(a);

	if (n != 4 && n != 16)
		return -1;
	memcpy(out, nla_data(a), n);
	*len = (uint8_t)n;
	return 0;
}

const char *ng_event_parse(struct nl_msg *msg, struct ng_event *ev)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[NGUARD_A_MAX + 1], *e[NGUARD_EVENT_A_MAX + 1];
	struct genlmsghdr *gh;

	memset(ev, 0, sizeof(*ev));
	if (!genlmsg_valid_hdr(nlh, 0))
		return "message header";
	gh = nlmsg_data(nlh);
	if (gh->cmd != NGUARD_CMD_EVENT)
		return "command";
	if (genlmsg_parse(nlh, 0, tb, NGUARD_A_MAX, NULL) < 0 || !tb[NGUARD_A_EVENT] ||
	    nla_parse_nested(e, NGUARD_EVENT_A_MAX, tb[NGUARD_A_EVENT], NULL) < 0)
		return "NGUARD_A_EVENT";
	if (ng_nla_u8(e[NGUARD_EVENT_A_TYPE], &ev->type))
		return "NGUARD_EVENT_A_TYPE";
#define OPT(attr, get, field, flag) do {					\
	if (e[attr]) {								\
		if (get(e[attr], &ev->field))					\
			return #attr;						\
		ev->has |= (flag);						\
	}									\
} while (0)
	OPT(NGUARD_EVENT_A_KIND, ng_nla_u8, kind, NG_EV_KIND);
	OPT(NGUARD_EVENT_A_ACTION, ng_nla_u8, action, NG_EV_ACTION);
	OPT(NGUARD_EVENT_A_PROTO, ng_nla_u8, proto, NG_EV_PROTO);
	OPT(NGUARD_EVENT_A_SPORT, ng_nla_u16, sport, NG_EV_SPORT);
	OPT(NGUARD_EVENT_A_DPORT, ng_nla_u16, dport, NG_EV_DPORT);
	OPT(NGUARD_EVENT_A_SRC_SEG, ng_nla_u16, src_seg, NG_EV_SRC_SEG);
	OPT(NGUARD_EVENT_A_DST_SEG, ng_nla_u16, dst_seg, NG_EV_DST_SEG);
	OPT(NGUARD_EVENT_A_COUNT, ng_nla_u32, count, NG_EV_COUNT);
	OPT(NGUARD_EVENT_A_BLOCK_SECS, ng_nla_u32, block_secs, NG_EV_BLOCK_SECS);
	OPT(NGUARD_EVENT_A_POLICY_GEN, ng_nla_u64, gen, NG_EV_GEN);
	OPT(NGUARD_EVENT_A_SUPPRESSED, ng_nla_u32, suppressed, 0);
	OPT(NGUARD_EVENT_A_TIME, ng_nla_u64, time_ns, NG_EV_TIME);
	OPT(NGUARD_EVENT_A_SRC_PREFIX_LEN, ng_nla_u8, src_plen, NG_EV_SRC_PLEN);
#undef OPT
	if ((ev->has & NG_EV_SRC_PLEN) && (!ev->src_plen || ev->src_plen > 128))
		return "NGUARD_EVENT_A_SRC_PREFIX_LEN";
	if (e[NGUARD_EVENT_A_SRC] && ng_ev_addr(e[NGUARD_EVENT_A_SRC], ev->src, &ev->src_len))
		return "NGUARD_EVENT_A_SRC";
	if (e[NGUARD_EVENT_A_DST] && ng_ev_addr(e[NGUARD_EVENT_A_DST], ev->dst, &ev->dst_len))
		return "NGUARD_EVENT_A_DST";
	return NULL;
}

const char *ng_event_type_name(uint8_t type)
{
	static const char *const names[] = {
		[NGUARD_EVENT_ANOMALY]	= "anomaly",
		[NGUARD_EVENT_BLOCK]	= "block",
		[NGUARD_EVENT_UNBLOCK]	= "unblock",
		[NGUARD_EVENT_EXPIRE]	= "expire",
		[NGUARD_EVENT_APPLY]	= "apply",
		[NGUARD_EVENT_ROLLBACK]	= "rollback",
		[NGUARD_EVENT_FLUSH]	= "flush",
	};

	return type < sizeof(names) / sizeof(names[0]) ? names[type] : NULL;
}

static const char *ng_ev_ntop(const uint8_t *a, uint8_t len, char *buf, size_t size)
{
	return inet_ntop(len == 16 ? AF_INET6 : AF_INET, a, buf, (socklen_t)size);
}

/* Segment @id named through @p; the number in @buf if @p does not know it. */
static const char *ng_ev_seg(const struct ng_policy *p, uint16_t id, char *buf, size_t len)
{
	if (id == NGUARD_SEGMENT_WORLD)
		return "world";
	if (id == NGUARD_SEGMENT_ANY)
		return "*";
	if (p && id >= 1 && id <= p->n_segs)
		return p->segs[id - 1].name;
	snprintf(buf, len, "%u", id);
	return buf;
}

static void ng_ev_kind(FILE *f, const struct ng_event *ev)
{
	const char *k = ng_detector_name(ev->kind);

	if (!(ev->has & NG_EV_KIND))
		return;
	if (k)
		fprintf(f, " %s", k);
	else
		fprintf(f, " kind=%u", ev->kind);
}

static void ng_ev_anomaly(FILE *f, const struct ng_event *ev, const struct ng_policy *p)
{
	char a[INET6_ADDRSTRLEN], s1[8], s2[8];
	const char *pn, *act;
	bool ports;

	ng_ev_kind(f, ev);
	if (ev->src_len)
		fprintf(f, " src=%s", ng_ev_ntop(ev->src, ev->src_len, a, sizeof(a)));
	if (ev->dst_len)
		fprintf(f, " dst=%s", ng_ev_ntop(ev->dst, ev->dst_len, a, sizeof(a)));
	if (ev->has & NG_EV_PROTO) {
		pn = ng_proto_name(ev->proto);
		if (pn)
			fprintf(f, " proto=%s", pn);
		else
			fprintf(f, " proto=%u", ev->proto);
	}
	/* Ports only where the protocol has them (ICMP: no echo id here). */
	ports = !(ev->has & NG_EV_PROTO) || ng_proto_has_ports(ev->proto);
	if (ports && (ev->has & NG_EV_SPORT))
		fprintf(f, " sport=%u", ev->sport);
	if (ports && (ev->has & NG_EV_DPORT))
		fprintf(f, " dport=%u", ev->dport);
	if (ev->has & (NG_EV_SRC_SEG | NG_EV_DST_SEG))
		fprintf(f, " seg=%s->%s",
			ev->has & NG_EV_SRC_SEG ? ng_ev_seg(p, ev->src_seg, s1, sizeof(s1)) : "?",
			ev->has & NG_EV_DST_SEG ? ng_ev_seg(p, ev->dst_seg, s2, sizeof(s2)) : "?");
	if (ev->has & NG_EV_COUNT)
		fprintf(f, " count=%u", ev->count);
	if (ev->has & NG_EV_ACTION) {
		act = ng_action_name(ev->action);
		if (act)
			fprintf(f, " action=%s", act);
		else
			fprintf(f, " action=%u", ev->action);
	}
	if (ev->has & NG_EV_BLOCK_SECS)
		fprintf(f, " %us", ev->block_secs);
}

/* The source of a block, unblock or expire event: "10.0.9.5", "2001:db8:1:2::/64". */
static const char *ng_ev_blocked_src(const struct ng_event *ev, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (!ev->src_len)
		return ev->type == NGUARD_EVENT_UNBLOCK ? "all" : "?";
	ng_ev_ntop(ev->src, ev->src_len, a, sizeof(a));
	if (ev->src_len == 16 && (ev->has & NG_EV_SRC_PLEN))
		snprintf(buf, len, "%s/%u", a, ev->src_plen);
	else
		snprintf(buf, len, "%s", a);
	return buf;
}

void ng_event_print(FILE *f, const struct ng_event *ev, const struct ng_policy *p)
{
	char t[40], a[INET6_ADDRSTRLEN + 4];

	ng_fmt_iso(t, sizeof(t), ev->time_ns, 0);
	if (ev->suppressed)
		fprintf(f, "%s (%u event%s suppressed)\n", t, ev->suppressed,
			ev->suppressed == 1 ? "" : "s");
	fputs(t, f);
	switch (ev->type) {
	case NGUARD_EVENT_ANOMALY:
		fputs(" anomaly", f);
		ng_ev_anomaly(f, ev, p);
		break;
	case NGUARD_EVENT_BLOCK:
	case NGUARD_EVENT_UNBLOCK:
	case NGUARD_EVENT_EXPIRE:
		fprintf(f, " %s %s", ng_event_type_name(ev->type),
			ng_ev_blocked_src(ev, a, sizeof(a)));
		ng_ev_kind(f, ev);
		if (ev->has & NG_EV_BLOCK_SECS)
			fprintf(f, " %us", ev->block_secs);
		break;
	case NGUARD_EVENT_APPLY:
	case NGUARD_EVENT_ROLLBACK:
	case NGUARD_EVENT_FLUSH:
		fprintf(f, " %s", ng_event_type_name(ev->type));
		if (ev->has & NG_EV_GEN)
			fprintf(f, " generation %llu", (unsigned long long)ev->gen);
		break;
	default:
		fprintf(f, " event %u", ev->type);
	}
	fputc('\n', f);
}

static json_object *ng_ev_seg_json(const struct ng_event *ev, const struct ng_policy *p,
				   unsigned int flag, uint16_t id)
{
	char b[8];
	const char *s;

	if (!(ev->has & flag))
		return NULL;
	s = ng_ev_seg(p, id, b, sizeof(b));
	return s == b ? json_object_new_int(id) : json_object_new_string(s);
}

static json_object *ng_ev_name_json(const char *name, unsigned int v, bool has)
{
	if (!has)
		return NULL;
	return name ? json_object_new_string(name) : json_object_new_int((int)v);
}

static json_object *ng_ev_u64(uint64_t v, bool has)
{
	return has ? json_object_new_uint64(v) : NULL;
}

json_object *ng_event_json(const struct ng_event *ev, const struct ng_policy *p)
{
	json_object *o = json_object_new_object();
	char a[INET6_ADDRSTRLEN], t[40];

	json_object_object_add(o, "type", ng_ev_name_json(ng_event_type_name(ev->type),
							  ev->type, true));
	json_object_object_add(o, "kind", ng_ev_name_json(ng_detector_name(ev->kind), ev->kind,
							  ev->has & NG_EV_KIND));
	json_object_object_add(o, "action", ng_ev_name_json(ng_action_name(ev->action),
							    ev->action, ev->has & NG_EV_ACTION));
	json_object_object_add(o, "src", ev->src_len ? json_object_new_string(
		ng_ev_ntop(ev->src, ev->src_len, a, sizeof(a))) : NULL);
	json_object_object_add(o, "src_prefix_len", ng_ev_u64(ev->src_plen,
							      ev->has & NG_EV_SRC_PLEN));
	json_object_object_add(o, "dst", ev->dst_len ? json_object_new_string(
		ng_ev_ntop(ev->dst, ev->dst_len, a, sizeof(a))) : NULL);
	json_object_object_add(o, "proto", ng_ev_name_json(ng_proto_name(ev->proto), ev->proto,
							   ev->has & NG_EV_PROTO));
	json_object_object_add(o, "sport", ng_ev_u64(ev->sport, ev->has & NG_EV_SPORT));
	json_object_object_add(o, "dport", ng_ev_u64(ev->dport, ev->has & NG_EV_DPORT));
	json_object_object_add(o, "src_segment", ng_ev_seg_json(ev, p, NG_EV_SRC_SEG, ev->src_seg));
	json_object_object_add(o, "dst_segment", ng_ev_seg_json(ev, p, NG_EV_DST_SEG, ev->dst_seg));
	json_object_object_add(o, "count", ng_ev_u64(ev->count, ev->has & NG_EV_COUNT));
	json_object_object_add(o, "block_secs", ng_ev_u64(ev->block_secs,
							  ev->has & NG_EV_BLOCK_SECS));
	json_object_object_add(o, "policy_generation", ng_ev_u64(ev->gen, ev->has & NG_EV_GEN));
	json_object_object_add(o, "suppressed", json_object_new_uint64(ev->suppressed));
	json_object_object_add(o, "time", json_object_new_string(
		ng_fmt_iso(t, sizeof(t), ev->time_ns, 1)));
	json_object_object_add(o, "time_ns", json_object_new_uint64(ev->time_ns));
	return o;
}
