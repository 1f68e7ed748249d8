// SPDX-License-Identifier: GPL-2.0-only
/*
 * A GET_STATUS reply (counters, connection table, policy metadata) and a
 * POLICY_GET dump of the same generation (the per-rule hit counters):
 * reading both (ng_stats_fetch, also for `nguardctl metrics`), and what
 * `nguardctl stats` (cmd_stats.c) prints of them, as text or JSON.
 *
 * Text output: one section per group, every number right-aligned in one
 * column whose width fits the largest value; labels are the counter
 * names without their group prefix (pass_local -> "local" under "pass
 * reasons"), so text, JSON and /proc/net/nguard/stats map one to one.
 */
#include <stdlib.h>
#include <string.h>
#include "exitcodes.h"
#include "format.h"
#include "stats.h"

#define NG_STATS_LABEL	20	/* label column, indent included */
#define NG_STATS_TRIES	5	/* reads until status and dump agree */

int ng_stats_fetch(struct ng_nl *nl, struct ng_status *st, struct ng_policy_dump *d,
		   struct ng_policy *p)
{
	int rc, tries = 0;

	ng_policy_init(p);
	memset(d, 0, sizeof(*d));
	d->p = p;
	do {
		ng_policy_free(p);
		rc = ng_status_fetch(nl, st);
		if (!rc)
			rc = ng_policy_fetch_dump(nl, d);
	} while (!rc && st->policy_gen != d->gen && ++tries < NG_STATS_TRIES);
	if (!rc && st->policy_gen != d->gen) {
		fprintf(stderr, "nguardctl: the policy kept changing while reading it (generation %llu, then %llu); try again\n",
			(unsigned long long)st->policy_gen, (unsigned long long)d->gen);
		rc = NG_EXIT_ERROR;
	}
	if (!rc && st->policy_gen && !st->mode)
		st->mode = p->mode;	/* the dump's settings carry it too */
	return rc;
}

/* The rule's source text, or its canonical form if the kernel sent none. */
static char *ng_rule_text(const struct ng_policy *p, const struct ng_rule *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if (r->text && r->text[0])
		return strdup(r->text);
	f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	ng_rule_print(f, p, r);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

json_object *ng_stats_json(const struct ng_status *st, const struct ng_policy_dump *d)
{
	json_object *root = json_object_new_object(), *rules = json_object_new_array();
	size_t i;

	json_object_object_add(root, "policy", ng_status_policy_json(st));
	json_object_object_add(root, "counters", ng_counters_json(&st->counters));
	json_object_object_add(root, "conns", ng_conntab_json(&st->conntab));
	for (i = 0; d->gen && i < d->p->n_rules; i++) {
		const struct ng_rule *r = &d->p->rules[i];
		json_object *o = json_object_new_object();
		char *text = ng_rule_text(d->p, r);

		json_object_object_add(o, "index", json_object_new_uint64(i));
		json_object_object_add(o, "line", json_object_new_uint64(r->line));
		json_object_object_add(o, "text", json_object_new_string(text ? text : ""));
		json_object_object_add(o, "hits", json_object_new_uint64(r->hits));
		json_object_array_add(rules, o);
		free(text);
	}
	json_object_object_add(root, "rules", rules);
	json_object_object_add(root, "default_hits",
			       d->gen ? json_object_new_uint64(d->default_hits) : NULL);
	return root;
}

/* Width of the number column: the widest value shown, at least "packets". */
static int ng_stats_width(const struct ng_status *st)
{
	const struct ng_conntab *ct = &st->conntab;
	const uint32_t gauges[] = {
		ct->count, ct->max, ct->established, ct->entry_size, ct->buckets, ct->sources,
	};
	int w = (int)strlen("packets");
	unsigned int i;

	for (i = 0; i < NGUARD_CNT_MAX; i++)
		if (ng_digits(st->counters.cnt[i]) > w)
			w = ng_digits(st->counters.cnt[i]);
	for (i = 0; i < NG_CT_COUNTERS; i++)
		if (ng_digits(st->conntab.cnt[i]) > w)
			w = ng_digits(st->conntab.cnt[i]);
	for (i = 0; i < sizeof(gauges) / sizeof(gauges[0]); i++)
		if (ng_digits(gauges[i]) > w)
			w = ng_digits(gauges[i]);
	return w;
}

static void ng_row(FILE *f, int w, const char *label, uint64_t v)
{
	fprintf(f, "  %-*s %*llu\n", NG_STATS_LABEL - 2, label, w, (unsigned long long)v);
}

static void ng_row2(FILE *f, int w, const char *label, uint64_t pkts, uint64_t bytes)
{
	fprintf(f, "  %-*s %*llu %*llu\n", NG_STATS_LABEL - 2, label, w,
		(unsigned long long)pkts, w, (unsigned long long)bytes);
}

/* Counters @ids under @title, labels without @prefix where they have it. */
static void ng_group(FILE *f, int w, const struct ng_status *st, const char *title,
		     const char *unit, const unsigned int *ids, size_t n, const char *prefix)
{
	size_t i, plen = strlen(prefix);

	fprintf(f, "\n%-*s %*s\n", NG_STATS_LABEL, title, w, unit);
	for (i = 0; i < n; i++) {
		const char *name = ng_counter_name(ids[i]);

		ng_row(f, w, strncmp(name, prefix, plen) ? name : name + plen,
		       st->counters.cnt[ids[i]]);
	}
}

#define NG_GROUP(f, w, st, title, unit, prefix, ...) do {			\
	static const unsigned int ids_[] = { __VA_ARGS__ };			\
	ng_group(f, w, st, title, unit, ids_, sizeof(ids_) / sizeof(ids_[0]), prefix); \
} while (0)

static void ng_stats_rules(FILE *f, const struct ng_policy_dump *d)
{
	const struct ng_policy *p = d->p;
	int wi = (int)strlen("index"), wl = (int)strlen("line"), wh = (int)strlen("hits");
	size_t i;

	if (!d->gen) {
		fprintf(f, "\nrules: none (no policy loaded)\n");
		return;
	}
	if (p->n_rules && ng_digits(p->n_rules - 1) > wi)
		wi = ng_digits(p->n_rules - 1);
	if (ng_digits(d->default_hits) > wh)
		wh = ng_digits(d->default_hits);
	for (i = 0; i < p->n_rules; i++) {
		if (ng_digits(p->rules[i].line) > wl)
			wl = ng_digits(p->rules[i].line);
		if (ng_digits(p->rules[i].hits) > wh)
			wh = ng_digits(p->rules[i].hits);
	}
	fprintf(f, "\nrules\n  %*s  %*s  %*s  %s\n", wi, "index", wl, "line", wh, "hits", "rule");
	for (i = 0; i < p->n_rules; i++) {
		const struct ng_rule *r = &p->rules[i];
		char *text = ng_rule_text(p, r);

		fprintf(f, "  %*zu  %*u  %*llu  %s\n", wi, i, wl, r->line, wh,
			(unsigned long long)r->hits, text ? text : "?");
		free(text);
	}
	fprintf(f, "  %*s  %*s  %*llu  default %s\n", wi, "-", wl, "-", wh,
		(unsigned long long)d->default_hits, p->def == NG_ALLOW ? "allow" : "deny");
}

void ng_stats_print(FILE *f, const struct ng_status *st, const struct ng_policy_dump *d)
{
	static const struct { const char *label; unsigned int pkts; } seen[] = {
		{ "ipv4 in",  NGUARD_CNT_IPV4_IN_PACKETS },
		{ "ipv4 out", NGUARD_CNT_IPV4_OUT_PACKETS },
		{ "ipv6 in",  NGUARD_CNT_IPV6_IN_PACKETS },
		{ "ipv6 out", NGUARD_CNT_IPV6_OUT_PACKETS },
	}, verdicts[] = {
		{ "allowed", NGUARD_CNT_ALLOWED_PACKETS },
		{ "dropped", NGUARD_CNT_DROPPED_PACKETS },
	};
	const struct ng_conntab *ct = &st->conntab;
	int w = ng_stats_width(st);
	unsigned int i;

	ng_status_policy_print(f, st, true);

	fprintf(f, "\n%-*s %*s %*s\n", NG_STATS_LABEL, "packets seen", w, "packets", w, "bytes");
	for (i = 0; i < sizeof(seen) / sizeof(seen[0]); i++)
		ng_row2(f, w, seen[i].label, st->counters.cnt[seen[i].pkts],
			st->counters.cnt[seen[i].pkts + 1]);
	fprintf(f, "\n%-*s %*s %*s\n", NG_STATS_LABEL, "verdicts", w, "packets", w, "bytes");
	for (i = 0; i < sizeof(verdicts) / sizeof(verdicts[0]); i++)
		ng_row2(f, w, verdicts[i].label, st->counters.cnt[verdicts[i].pkts],
			st->counters.cnt[verdicts[i].pkts + 1]);

	NG_GROUP(f, w, st, "pass reasons", "packets", "pass_", NGUARD_CNT_PASS_NO_POLICY,
		 NGUARD_CNT_PASS_LOCAL, NGUARD_CNT_PASS_ESTABLISHED, NGUARD_CNT_PASS_RELATED,
		 NGUARD_CNT_PASS_NEW, NGUARD_CNT_PASS_MONITOR);
	NG_GROUP(f, w, st, "drop reasons", "packets", "drop_", NGUARD_CNT_DROP_POLICY,
		 NGUARD_CNT_DROP_CONNS_FULL, NGUARD_CNT_DROP_INVALID, NGUARD_CNT_DROP_BLOCKED,
		 NGUARD_CNT_DROP_ANOMALY, NGUARD_CNT_DROP_RATELIMIT, NGUARD_CNT_DROP_SOURCE_LIMIT);
	NG_GROUP(f, w, st, "drop log", "lines", "log_", NGUARD_CNT_LOG_LINES,
		 NGUARD_CNT_LOG_SUPPRESSED);
	NG_GROUP(f, w, st, "anomalies", "seen", "anomaly_", NGUARD_CNT_ANOMALY_SYNFLOOD,
		 NGUARD_CNT_ANOMALY_PORTSCAN, NGUARD_CNT_ANOMALY_SWEEP,
		 NGUARD_CNT_ANOMALY_TCPFLAGS, NGUARD_CNT_ANOMALY_BRUTEFORCE);
	NG_GROUP(f, w, st, "quarantine", "count", "", NGUARD_CNT_BLOCKS,
		 NGUARD_CNT_BLOCKED_FULL, NGUARD_CNT_BLOCK_SPOOFED, NGUARD_CNT_BLOCK_EXEMPT,
		 NGUARD_CNT_TRACKER_EVICTIONS);
	NG_GROUP(f, w, st, "monitor events", "events", "events_", NGUARD_CNT_EVENTS,
		 NGUARD_CNT_EVENTS_SUPPRESSED);

	fprintf(f, "\nconnection table\n");
	ng_row(f, w, "count", ct->count);
	ng_row(f, w, "max", ct->max);
	ng_row(f, w, "established", ct->established);
	ng_row(f, w, "entry_size", ct->entry_size);
	ng_row(f, w, "buckets", ct->buckets);
	if (ct->has_sources)
		ng_row(f, w, "sources", ct->sources);
	for (i = 0; i < NG_CT_COUNTERS; i++)
		ng_row(f, w, ng_conntab_counter_name(i), ct->cnt[i]);

	ng_stats_rules(f, d);
}
