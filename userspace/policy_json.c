// SPDX-License-Identifier: GPL-2.0-only
/*
 * A policy as JSON (json-c), for `nguardctl show --json`: the settings,
 * segments, rules (with their hit counters), detectors and exempt lines;
 * the rules, detectors and exempt lines also as the text the canonical
 * printer (policy.c) writes for them.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include "format.h"
#include "policy.h"
#include "policy_json.h"

/* A segment id of a detector scope as a name ("*", "world", ...). */
static json_object *ng_scope_json(const struct ng_policy *p, uint16_t id)
{
	return json_object_new_string(ng_policy_seg_name(p, id));
}

/* What @print writes for one item of @p, as a JSON string. */
static json_object *ng_text_json(const struct ng_policy *p, const void *item,
				 void (*print)(FILE *, const struct ng_policy *,
					       const void *))
{
	char *text = NULL;
	size_t len = 0;
	json_object *o;
	FILE *f = open_memstream(&text, &len);

	if (f) {
		print(f, p, item);
		if (fclose(f)) {
			free(text);
			text = NULL;
		}
	}
	o = json_object_new_string(text ? text : "");
	free(text);
	return o;
}

static void ng_detect_print_any(FILE *f, const struct ng_policy *p,
				const void *d)
{
	ng_detect_print(f, p, d);
}

static void ng_exempt_print_any(FILE *f, const struct ng_policy *p,
				const void *e)
{
	ng_exempt_print(f, p, e);
}

/* Bruteforce: "proto" and "ports", [{ "port_lo", "port_hi" }...]. */
static void ng_service_json(json_object *o, const struct ng_detect *d)
{
	json_object *ports = json_object_new_array();
	const char *pn = ng_proto_name(d->proto);
	size_t i;

	json_object_object_add(o, "proto", pn ? json_object_new_string(pn) :
			       json_object_new_int(d->proto));
	for (i = 0; i < d->n_ports; i++) {
		json_object *t = json_object_new_object();

		json_object_object_add(t, "port_lo", json_object_new_int(d->ports[i].lo));
		json_object_object_add(t, "port_hi", json_object_new_int(d->ports[i].hi));
		json_object_array_add(ports, t);
	}
	json_object_object_add(o, "ports", ports);
	json_object_object_add(o, "hits", json_object_new_uint64(d->hits));
}

json_object *ng_detectors_json(const struct ng_policy *p)
{
	json_object *arr = json_object_new_array();
	size_t i;

	for (i = 0; i < p->n_dets; i++) {
		const struct ng_detect *d = &p->dets[i];
		json_object *o = json_object_new_object();
		const char *s;

		json_object_object_add(o, "index", json_object_new_uint64(i));
		json_object_object_add(o, "line", json_object_new_uint64(d->line));
		s = ng_detector_name(d->kind);
		json_object_object_add(o, "kind", s ? json_object_new_string(s) :
				       json_object_new_int(d->kind));
		json_object_object_add(o, "from", ng_scope_json(p, d->from));
		json_object_object_add(o, "to", ng_scope_json(p, d->to));
		s = ng_action_name(d->action);
		json_object_object_add(o, "action", s ? json_object_new_string(s) :
				       json_object_new_int(d->action));
		json_object_object_add(o, "block_secs", d->action == NG_ACT_BLOCK ?
				       json_object_new_uint64(d->block_secs) : NULL);
		if (d->kind == NG_DET_SYNFLOOD) {
			json_object_object_add(o, "rate", json_object_new_uint64(d->rate));
			json_object_object_add(o, "burst", json_object_new_uint64(d->burst));
		}
		if (d->kind == NG_DET_PORTSCAN)
			json_object_object_add(o, "weight", json_object_new_uint64(d->weight));
		if (d->kind == NG_DET_SWEEP)
			json_object_object_add(o, "hosts", json_object_new_uint64(d->hosts));
		if (d->kind == NG_DET_BRUTEFORCE)
			ng_service_json(o, d);
		if (d->kind == NG_DET_PORTSCAN || d->kind == NG_DET_SWEEP || d->kind == NG_DET_BRUTEFORCE)
			json_object_object_add(o, "window_ms", json_object_new_uint64(d->window_ms));
		json_object_object_add(o, "text", ng_text_json(p, d, ng_detect_print_any));
		json_object_array_add(arr, o);
	}
	return arr;
}

/* "ADDR/LEN" of a host or prefix, for JSON. */
static json_object *ng_prefix_json(int family, const void *addr, uint8_t len)
{
	char buf[INET6_ADDRSTRLEN + 8];

	return json_object_new_string(ng_fmt_prefix(buf, sizeof(buf), family, addr, len));
}

json_object *ng_exempt_json(const struct ng_policy *p)
{
	json_object *arr = json_object_new_array();
	size_t i, k;

	for (i = 0; i < p->n_exempts; i++) {
		const struct ng_exempt *e = &p->exempts[i];
		json_object *o = json_object_new_object(), *segs = json_object_new_array();
		json_object *pf = json_object_new_array();

		for (k = 0; k < e->n_segs; k++)
			json_object_array_add(segs, json_object_new_string(
				ng_policy_seg_name(p, e->segs[k])));
		for (k = 0; k < e->n_v4; k++) {
			uint32_t be = htonl(e->v4[k].addr);

			json_object_array_add(pf, ng_prefix_json(AF_INET, &be, e->v4[k].len));
		}
		for (k = 0; k < e->n_v6; k++)
			json_object_array_add(pf, ng_prefix_json(AF_INET6, e->v6[k].addr,
								 e->v6[k].len));
		json_object_object_add(o, "index", json_object_new_uint64(i));
		json_object_object_add(o, "line", json_object_new_uint64(e->line));
		json_object_object_add(o, "segments", segs);
		json_object_object_add(o, "prefixes", pf);
		json_object_object_add(o, "text", ng_text_json(p, e, ng_exempt_print_any));
		json_object_array_add(arr, o);
	}
	return arr;
}

json_object *ng_policy_json(const struct ng_policy *p, uint64_t gen)
{
	json_object *root = json_object_new_object(), *segs, *rules, *lg, *lim = NULL;
	size_t i, k;

	json_object_object_add(root, "generation", json_object_new_uint64(gen));
	if (!gen)
		return root;
	json_object_object_add(root, "mode", json_object_new_string(
		p->mode == NG_MODE_MONITOR ? "monitor" : "enforce"));
	json_object_object_add(root, "default", json_object_new_string(
		p->def == NG_ALLOW ? "allow" : "deny"));
	json_object_object_add(root, "conns_max", json_object_new_uint64(p->conns_max));
	json_object_object_add(root, "trackers_max", json_object_new_uint64(p->trackers_max));
	json_object_object_add(root, "blocked_max", json_object_new_uint64(p->blocked_max));
	json_object_object_add(root, "ipv6_source_prefix",
			       json_object_new_uint64(p->ipv6_src_prefix));
	lg = json_object_new_object();
	json_object_object_add(lg, "rate", json_object_new_uint64(
		p->log_rate ? p->log_rate : NG_LOG_RATE_DEFAULT));
	json_object_object_add(lg, "burst", json_object_new_uint64(
		p->log_rate ? p->log_burst : NG_LOG_BURST_DEFAULT));
	json_object_object_add(root, "log", lg);
	if (p->limit.rate || p->limit.bytes) {
		lim = json_object_new_object();
		json_object_object_add(lim, "rate", p->limit.rate ?
				       json_object_new_uint64(p->limit.rate) : NULL);
		json_object_object_add(lim, "burst", p->limit.rate ?
				       json_object_new_uint64(p->limit.burst) : NULL);
		json_object_object_add(lim, "bytes", p->limit.bytes ?
				       json_object_new_uint64(p->limit.bytes) : NULL);
		json_object_object_add(lim, "bytes_burst", p->limit.bytes ?
				       json_object_new_uint64(p->limit.bytes_burst) : NULL);
	}
	json_object_object_add(root, "limit_conn", lim);
	json_object_object_add(root, "limit_source", p->limit_source ?
			       json_object_new_uint64(p->limit_source) : NULL);
	json_object_object_add(root, "observe_max", p->observe_max ?
			       json_object_new_uint64(p->observe_max) : NULL);
	segs = json_object_new_array();
	for (i = 0; i < p->n_segs; i++) {
		const struct ng_segment *s = &p->segs[i];
		json_object *o = json_object_new_object(), *pf = json_object_new_array();
		json_object *ifs = json_object_new_array();

		for (k = 0; k < s->n_v4; k++) {
			uint32_t be = htonl(s->v4[k].addr);

			json_object_array_add(pf, ng_prefix_json(AF_INET, &be, s->v4[k].len));
		}
		for (k = 0; k < s->n_v6; k++)
			json_object_array_add(pf, ng_prefix_json(AF_INET6, s->v6[k].addr,
								 s->v6[k].len));
		for (k = 0; k < s->n_ifaces; k++)
			json_object_array_add(ifs, json_object_new_string(s->ifaces[k]));
		json_object_object_add(o, "id", json_object_new_int(s->id));
		json_object_object_add(o, "name", json_object_new_string(s->name));
		json_object_object_add(o, "prefixes", pf);
		json_object_object_add(o, "ifaces", ifs);
		json_object_array_add(segs, o);
	}
	json_object_object_add(root, "segments", segs);
	rules = json_object_new_array();
	for (i = 0; i < p->n_rules; i++) {
		const struct ng_rule *r = &p->rules[i];
		json_object *o = json_object_new_object(), *terms = json_object_new_array();

		for (k = 0; k < r->n_terms; k++) {
			json_object *t = json_object_new_object();
			const char *pn = ng_proto_name(r->terms[k].proto);

			if (r->terms[k].any_proto)
				json_object_object_add(t, "proto", json_object_new_string("any"));
			else if (pn)
				json_object_object_add(t, "proto", json_object_new_string(pn));
			else
				json_object_object_add(t, "proto", json_object_new_int(r->terms[k].proto));
			json_object_object_add(t, "port_lo", json_object_new_int(r->terms[k].port_lo));
			json_object_object_add(t, "port_hi", json_object_new_int(r->terms[k].port_hi));
			json_object_array_add(terms, t);
		}
		json_object_object_add(o, "index", json_object_new_uint64(i));
		json_object_object_add(o, "action", json_object_new_string(
			r->action == NG_ALLOW ? "allow" : "deny"));
		json_object_object_add(o, "src", json_object_new_string(ng_policy_seg_name(p, r->src)));
		json_object_object_add(o, "dst", json_object_new_string(ng_policy_seg_name(p, r->dst)));
		json_object_object_add(o, "terms", terms);
		json_object_object_add(o, "log", json_object_new_boolean(r->log));
		json_object_object_add(o, "line", json_object_new_int(r->line));
		json_object_object_add(o, "text", json_object_new_string(r->text ? r->text : ""));
		json_object_array_add(rules, o);
	}
	json_object_object_add(root, "rules", rules);
	json_object_object_add(root, "detectors", ng_detectors_json(p));
	json_object_object_add(root, "exempt", ng_exempt_json(p));
	return root;
}
