// SPDX-License-Identifier: GPL-2.0-only
/*
 * The policy model: growable arrays of segments, members, rules,
 * detectors and exempt lines, freeing, comparison, and printing in
 * canonical policy-file syntax.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include "policy.h"

int ng_grow(void *arr, size_t *cap, size_t need, size_t elem)
{
	void **p = arr;
	size_t n = *cap ? *cap : 4;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need) {
		if (n > SIZE_MAX / 2 / elem)
			return -1;
		n *= 2;
	}
	q = realloc(*p, n * elem);
	if (!q)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

void ng_policy_init(struct ng_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->mode = NG_MODE_ENFORCE;
	p->def = NG_DENY;
}

void ng_policy_free(struct ng_policy *p)
{
	size_t i;

	for (i = 0; i < p->n_segs; i++) {
		free(p->segs[i].v4);
		free(p->segs[i].v6);
		free(p->segs[i].ifaces);
	}
	for (i = 0; i < p->n_rules; i++) {
		free(p->rules[i].terms);
		free(p->rules[i].text);
	}
	for (i = 0; i < p->n_exempts; i++) {
		free(p->exempts[i].segs);
		free(p->exempts[i].v4);
		free(p->exempts[i].v6);
	}
	free(p->segs);
	free(p->rules);
	free(p->dets);
	free(p->exempts);
	ng_policy_init(p);
}

struct ng_segment *ng_policy_add_segment(struct ng_policy *p, const char *name,
					 size_t len)
{
	struct ng_segment *s;

	if (len >= NGUARD_SEGMENT_NAME_MAX || p->n_segs >= NG_SEG_ANY - 1 ||
	    ng_grow(&p->segs, &p->cap_segs, p->n_segs + 1, sizeof(*s)))
		return NULL;
	s = &p->segs[p->n_segs];
	memset(s, 0, sizeof(*s));
	memcpy(s->name, name, len);
	s->id = (uint16_t)++p->n_segs;
	return s;
}

int ng_segment_add_v4(struct ng_segment *s, uint32_t addr, uint8_t len)
{
	if (ng_grow(&s->v4, &s->cap_v4, s->n_v4 + 1, sizeof(*s->v4)))
		return -1;
	s->v4[s->n_v4].addr = addr;
	s->v4[s->n_v4].len = len;
	s->n_v4++;
	return 0;
}

int ng_segment_add_v6(struct ng_segment *s, const uint8_t addr[16], uint8_t len)
{
	if (ng_grow(&s->v6, &s->cap_v6, s->n_v6 + 1, sizeof(*s->v6)))
		return -1;
	memcpy(s->v6[s->n_v6].addr, addr, 16);
	s->v6[s->n_v6].len = len;
	s->n_v6++;
	return 0;
}

int ng_segment_add_iface(struct ng_segment *s, const char *name, size_t len)
{
	if (len >= NG_IFNAMSIZ ||
	    ng_grow(&s->ifaces, &s->cap_ifaces, s->n_ifaces + 1, sizeof(*s->ifaces)))
		return -1;
	memset(s->ifaces[s->n_ifaces], 0, NG_IFNAMSIZ);
	memcpy(s->ifaces[s->n_ifaces], name, len);
	s->n_ifaces++;
	return 0;
}

struct ng_rule *ng_policy_add_rule(struct ng_policy *p)
{
	struct ng_rule *r;

	if (ng_grow(&p->rules, &p->cap_rules, p->n_rules + 1, sizeof(*r)))
		return NULL;
	r = &p->rules[p->n_rules++];
	memset(r, 0, sizeof(*r));
	r->action = NG_ALLOW;
	return r;
}

int ng_rule_add_term(struct ng_rule *r, const struct ng_term *t)
{
	if (ng_grow(&r->terms, &r->cap_terms, r->n_terms + 1, sizeof(*t)))
		return -1;
	r->terms[r->n_terms++] = *t;
	return 0;
}

struct ng_detect *ng_policy_add_detect(struct ng_policy *p)
{
	struct ng_detect *d;

	if (ng_grow(&p->dets, &p->cap_dets, p->n_dets + 1, sizeof(*d)))
		return NULL;
	d = &p->dets[p->n_dets++];
	memset(d, 0, sizeof(*d));
	d->from = NG_SEG_ANY;
	d->to = NG_SEG_ANY;
	return d;
}

struct ng_exempt *ng_policy_add_exempt(struct ng_policy *p)
{
	struct ng_exempt *e;

	if (ng_grow(&p->exempts, &p->cap_exempts, p->n_exempts + 1, sizeof(*e)))
		return NULL;
	e = &p->exempts[p->n_exempts++];
	memset(e, 0, sizeof(*e));
	return e;
}

int ng_exempt_add_seg(struct ng_exempt *e, uint16_t id)
{
	if (ng_grow(&e->segs, &e->cap_segs, e->n_segs + 1, sizeof(*e->segs)))
		return -1;
	e->segs[e->n_segs++] = id;
	return 0;
}

int ng_exempt_add_v4(struct ng_exempt *e, uint32_t addr, uint8_t len)
{
	if (ng_grow(&e->v4, &e->cap_v4, e->n_v4 + 1, sizeof(*e->v4)))
		return -1;
	e->v4[e->n_v4].addr = addr;
	e->v4[e->n_v4].len = len;
	e->n_v4++;
	return 0;
}

int ng_exempt_add_v6(struct ng_exempt *e, const uint8_t addr[16], uint8_t len)
{
	if (ng_grow(&e->v6, &e->cap_v6, e->n_v6 + 1, sizeof(*e->v6)))
		return -1;
	memcpy(e->v6[e->n_v6].addr, addr, 16);
	e->v6[e->n_v6].len = len;
	e->n_v6++;
	return 0;
}

size_t ng_policy_prefix_count(const struct ng_policy *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->n_segs; i++)
		n += p->segs[i].n_v4 + p->segs[i].n_v6;
	return n;
}

size_t ng_policy_iface_count(const struct ng_policy *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->n_segs; i++)
		n += p->segs[i].n_ifaces;
	return n;
}

size_t ng_policy_exempt_count(const struct ng_policy *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->n_exempts; i++)
		n += p->exempts[i].n_segs + p->exempts[i].n_v4 + p->exempts[i].n_v6;
	return n;
}

const char *ng_policy_seg_name(const struct ng_policy *p, uint16_t id)
{
	if (id == NG_SEG_WORLD)
		return "world";
	if (id == NG_SEG_ANY)
		return "*";
	if (id > p->n_segs)
		return "?";
	return p->segs[id - 1].name;
}

const char *ng_proto_name(uint8_t proto)
{
	switch (proto) {
	case 1:
		return "icmp";
	case 6:
		return "tcp";
	case 17:
		return "udp";
	case 58:
		return "icmpv6";
	}
	return NULL;
}

bool ng_proto_has_ports(uint8_t proto)
{
	return proto == 6 || proto == 17 || proto == 132 || proto == 136;
}

const char *ng_detector_name(uint8_t kind)
{
	switch (kind) {
	case NG_DET_SYNFLOOD:
		return "synflood";
	case NG_DET_PORTSCAN:
		return "portscan";
	case NG_DET_SWEEP:
		return "sweep";
	case NG_DET_TCPFLAGS:
		return "tcpflags";
	case NG_DET_MANUAL:
		return "manual";
	case NG_DET_BRUTEFORCE:
		return "bruteforce";
	}
	return NULL;
}

const char *ng_action_name(uint8_t action)
{
	switch (action) {
	case NG_ACT_LOG:
		return "log";
	case NG_ACT_DROP:
		return "drop";
	case NG_ACT_BLOCK:
		return "block";
	}
	return NULL;
}

char *ng_fmt_duration(char *buf, size_t len, uint64_t ms)
{
	if (ms % 1000 == 0)
		snprintf(buf, len, "%llus", (unsigned long long)(ms / 1000));
	else
		snprintf(buf, len, "%llums", (unsigned long long)ms);
	return buf;
}

char *ng_fmt_size(char *buf, size_t len, uint64_t bytes)
{
	static const struct { uint64_t mul; const char *suffix; } units[] = {
		{ 1000000000, "G" }, { 1000000, "M" }, { 1000, "K" },
		{ 1u << 30, "Gi" }, { 1u << 20, "Mi" }, { 1u << 10, "Ki" },
	};
	size_t i;

	for (i = 0; bytes && i < sizeof(units) / sizeof(units[0]); i++)
		if (bytes % units[i].mul == 0) {
			snprintf(buf, len, "%llu%s", (unsigned long long)(bytes / units[i].mul),
				 units[i].suffix);
			return buf;
		}
	snprintf(buf, len, "%llu", (unsigned long long)bytes);
	return buf;
}

static bool all_ports(const struct ng_term *t)
{
	return t->port_lo == 0 && t->port_hi == 65535;
}

static void print_member_sep(FILE *f, const struct ng_segment *s, size_t *n)
{
	if (*n % NG_PRINT_MEMBERS_PER_LINE == 0)
		fprintf(f, "%ssegment %s", *n ? "\n" : "", s->name);
	(*n)++;
}

/* " ADDR" for a host, " ADDR/LEN" otherwise. */
static void print_v4(FILE *f, const struct ng_prefix4 *x)
{
	char buf[INET6_ADDRSTRLEN];
	uint32_t a = htonl(x->addr);

	inet_ntop(AF_INET, &a, buf, sizeof(buf));
	if (x->len == 32)
		fprintf(f, " %s", buf);
	else
		fprintf(f, " %s/%u", buf, x->len);
}

static void print_v6(FILE *f, const struct ng_prefix6 *x)
{
	char buf[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, x->addr, buf, sizeof(buf));
	if (x->len == 128)
		fprintf(f, " %s", buf);
	else
		fprintf(f, " %s/%u", buf, x->len);
}

static void print_segment(FILE *f, const struct ng_segment *s)
{
	size_t i, n = 0;

	for (i = 0; i < s->n_v4; i++) {
		print_member_sep(f, s, &n);
		print_v4(f, &s->v4[i]);
	}
	for (i = 0; i < s->n_v6; i++) {
		print_member_sep(f, s, &n);
		print_v6(f, &s->v6[i]);
	}
	for (i = 0; i < s->n_ifaces; i++) {
		print_member_sep(f, s, &n);
		fprintf(f, " iface %s", s->ifaces[i]);
	}
	if (!n)
		fprintf(f, "segment %s", s->name);
	fputc('\n', f);
}

/*
 * Terms print as groups "PROTO [PORTS]": consecutive terms of one
 * port-carrying protocol with explicit ports share a group. A protocol
 * number right after a group without ports would read as that group's
 * ports, so it is spelled "proto N" there.
 */
void ng_rule_print(FILE *f, const struct ng_policy *p, const struct ng_rule *r)
{
	bool prev_ports = true;
	size_t i = 0;

	fprintf(f, "%s %s -> %s", r->action == NG_DENY ? "deny" : "allow",
		ng_policy_seg_name(p, r->src), ng_policy_seg_name(p, r->dst));
	while (i < r->n_terms) {
		const struct ng_term *t = &r->terms[i];
		const char *name = ng_proto_name(t->proto);

		if (t->any_proto)
			fputs(" any", f);
		else if (name)
			fprintf(f, " %s", name);
		else
			fprintf(f, prev_ports ? " %u" : " proto %u", t->proto);
		i++;
		if (t->any_proto || all_ports(t)) {
			prev_ports = false;
			continue;
		}
		fputc(' ', f);
		for (;;) {
			if (t->port_lo == t->port_hi)
				fprintf(f, "%u", t->port_lo);
			else
				fprintf(f, "%u-%u", t->port_lo, t->port_hi);
			if (i >= r->n_terms || r->terms[i].any_proto ||
			    r->terms[i].proto != t->proto || all_ports(&r->terms[i]))
				break;
			t = &r->terms[i++];
			fputc(',', f);
		}
		prev_ports = true;
	}
	if (r->log)
		fputs(" log", f);
}

/* Bruteforce: " PROTO PORTS", e.g. " tcp 22,2200-2299". */
static void print_service(FILE *f, const struct ng_detect *d)
{
	const char *name = ng_proto_name(d->proto);
	size_t i;

	if (name)
		fprintf(f, " %s ", name);
	else
		fprintf(f, " proto %u ", d->proto);
	for (i = 0; i < d->n_ports; i++) {
		if (i)
			fputc(',', f);
		if (d->ports[i].lo == d->ports[i].hi)
			fprintf(f, "%u", d->ports[i].lo);
		else
			fprintf(f, "%u-%u", d->ports[i].lo, d->ports[i].hi);
	}
}

/*
 * "detect KIND [from SEG] [to SEG] PARAMS action ACTION": every parameter
 * of the kind spelled out, "*" scopes left out.
 */
void ng_detect_print(FILE *f, const struct ng_policy *p, const struct ng_detect *d)
{
	const char *kind = ng_detector_name(d->kind), *action = ng_action_name(d->action);
	char b[32];

	if (kind)
		fprintf(f, "detect %s", kind);
	else
		fprintf(f, "detect %u", d->kind);	/* not valid syntax: never parsed */
	if (d->from != NG_SEG_ANY)
		fprintf(f, " from %s", ng_policy_seg_name(p, d->from));
	if (d->to != NG_SEG_ANY)
		fprintf(f, " to %s", ng_policy_seg_name(p, d->to));
	switch (d->kind) {
	case NG_DET_SYNFLOOD:
		fprintf(f, " %u/s burst %u", d->rate, d->burst);
		break;
	case NG_DET_PORTSCAN:
		fprintf(f, " weight %u window %s", d->weight,
			ng_fmt_duration(b, sizeof(b), d->window_ms));
		break;
	case NG_DET_SWEEP:
		fprintf(f, " hosts %u window %s", d->hosts,
			ng_fmt_duration(b, sizeof(b), d->window_ms));
		break;
	case NG_DET_BRUTEFORCE:
		print_service(f, d);
		fprintf(f, " hits %u window %s", d->hits,
			ng_fmt_duration(b, sizeof(b), d->window_ms));
		break;
	}
	if (action)
		fprintf(f, " action %s", action);
	else
		fprintf(f, " action %u", d->action);
	if (d->action == NG_ACT_BLOCK)
		fprintf(f, " %s", ng_fmt_duration(b, sizeof(b), (uint64_t)d->block_secs * 1000));
}

void ng_exempt_print(FILE *f, const struct ng_policy *p, const struct ng_exempt *e)
{
	size_t i;

	fputs("exempt", f);
	for (i = 0; i < e->n_segs; i++)
		fprintf(f, " %s", ng_policy_seg_name(p, e->segs[i]));
	for (i = 0; i < e->n_v4; i++)
		print_v4(f, &e->v4[i]);
	for (i = 0; i < e->n_v6; i++)
		print_v6(f, &e->v6[i]);
}

void ng_policy_print(FILE *f, const struct ng_policy *p)
{
	char b1[32], b2[32];
	size_t i;

	fprintf(f, "mode %s\n", p->mode == NG_MODE_MONITOR ? "monitor" : "enforce");
	fprintf(f, "default %s\n", p->def == NG_ALLOW ? "allow" : "deny");
	if (p->conns_max)
		fprintf(f, "conns max %u\n", (unsigned int)p->conns_max);
	if (p->trackers_max)
		fprintf(f, "trackers max %u\n", (unsigned int)p->trackers_max);
	if (p->blocked_max)
		fprintf(f, "blocked max %u\n", (unsigned int)p->blocked_max);
	if (p->ipv6_src_prefix)
		fprintf(f, "ipv6 source prefix %u\n", p->ipv6_src_prefix);
	if (p->log_rate)
		fprintf(f, "log rate %u/s burst %u\n", p->log_rate, p->log_burst);
	if (p->limit.rate || p->limit.bytes) {
		fputs("limit conn", f);
		if (p->limit.rate)
			fprintf(f, " %u/s burst %u", p->limit.rate, p->limit.burst);
		if (p->limit.bytes)
			fprintf(f, " bytes %s/s burst %s",
				ng_fmt_size(b1, sizeof(b1), p->limit.bytes),
				ng_fmt_size(b2, sizeof(b2), p->limit.bytes_burst));
		fputc('\n', f);
	}
	if (p->limit_source)
		fprintf(f, "limit source %u\n", (unsigned int)p->limit_source);
	if (p->observe_max)
		fprintf(f, "observe max %u\n", (unsigned int)p->observe_max);
	for (i = 0; i < p->n_segs; i++)
		print_segment(f, &p->segs[i]);
	for (i = 0; i < p->n_rules; i++) {
		ng_rule_print(f, p, &p->rules[i]);
		fputc('\n', f);
	}
	for (i = 0; i < p->n_dets; i++) {
		ng_detect_print(f, p, &p->dets[i]);
		fputc('\n', f);
	}
	for (i = 0; i < p->n_exempts; i++) {
		ng_exempt_print(f, p, &p->exempts[i]);
		fputc('\n', f);
	}
}

static bool v4_equal(const struct ng_prefix4 *a, const struct ng_prefix4 *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i].addr != b[i].addr || a[i].len != b[i].len)
			return false;
	return true;
}

static bool v6_equal(const struct ng_prefix6 *a, const struct ng_prefix6 *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (memcmp(a[i].addr, b[i].addr, 16) || a[i].len != b[i].len)
			return false;
	return true;
}

static bool segment_equal(const struct ng_segment *a, const struct ng_segment *b)
{
	size_t i;

	if (a->id != b->id || strcmp(a->name, b->name) || a->n_v4 != b->n_v4 ||
	    a->n_v6 != b->n_v6 || a->n_ifaces != b->n_ifaces)
		return false;
	if (!v4_equal(a->v4, b->v4, a->n_v4) || !v6_equal(a->v6, b->v6, a->n_v6))
		return false;
	for (i = 0; i < a->n_ifaces; i++)
		if (strcmp(a->ifaces[i], b->ifaces[i]))
			return false;
	return true;
}

static bool rule_equal(const struct ng_rule *a, const struct ng_rule *b)
{
	size_t i;

	if (a->action != b->action || a->src != b->src || a->dst != b->dst ||
	    a->log != b->log || a->n_terms != b->n_terms)
		return false;
	for (i = 0; i < a->n_terms; i++) {
		const struct ng_term *x = &a->terms[i], *y = &b->terms[i];

		if (x->proto != y->proto || x->any_proto != y->any_proto ||
		    x->port_lo != y->port_lo || x->port_hi != y->port_hi)
			return false;
	}
	return true;
}

static bool detect_equal(const struct ng_detect *a, const struct ng_detect *b)
{
	return a->kind == b->kind && a->action == b->action && a->from == b->from &&
	       a->to == b->to && a->block_secs == b->block_secs && a->rate == b->rate &&
	       a->burst == b->burst && a->weight == b->weight &&
	       a->window_ms == b->window_ms && a->hosts == b->hosts &&
	       a->hits == b->hits && a->proto == b->proto && a->n_ports == b->n_ports &&
	       !memcmp(a->ports, b->ports, a->n_ports * sizeof(a->ports[0]));
}

static bool exempt_equal(const struct ng_exempt *a, const struct ng_exempt *b)
{
	size_t i;

	if (a->n_segs != b->n_segs || a->n_v4 != b->n_v4 || a->n_v6 != b->n_v6)
		return false;
	for (i = 0; i < a->n_segs; i++)
		if (a->segs[i] != b->segs[i])
			return false;
	return v4_equal(a->v4, b->v4, a->n_v4) && v6_equal(a->v6, b->v6, a->n_v6);
}

bool ng_policy_equal(const struct ng_policy *a, const struct ng_policy *b)
{
	size_t i;

	if (a->mode != b->mode || a->def != b->def || a->conns_max != b->conns_max ||
	    a->trackers_max != b->trackers_max || a->blocked_max != b->blocked_max ||
	    a->ipv6_src_prefix != b->ipv6_src_prefix ||
	    a->log_rate != b->log_rate || a->log_burst != b->log_burst ||
	    a->limit.rate != b->limit.rate || a->limit.burst != b->limit.burst ||
	    a->limit.bytes != b->limit.bytes || a->limit.bytes_burst != b->limit.bytes_burst ||
	    a->limit_source != b->limit_source || a->observe_max != b->observe_max ||
	    a->n_segs != b->n_segs || a->n_rules != b->n_rules || a->n_dets != b->n_dets ||
	    a->n_exempts != b->n_exempts)
		return false;
	for (i = 0; i < a->n_dets; i++)
		if (!detect_equal(&a->dets[i], &b->dets[i]))
			return false;
	for (i = 0; i < a->n_exempts; i++)
		if (!exempt_equal(&a->exempts[i], &b->exempts[i]))
			return false;
	for (i = 0; i < a->n_segs; i++)
		if (!segment_equal(&a->segs[i], &b->segs[i]))
			return false;
	for (i = 0; i < a->n_rules; i++)
		if (!rule_equal(&a->rules[i], &b->rules[i]))
			return false;
	return true;
}
