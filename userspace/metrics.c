// SPDX-License-Identifier: GPL-2.0-only
/*
 * nguard's metrics in the Prometheus text format (metrics.h), from what
 * `nguardctl stats` and `blocked` read: GET_STATUS (every counter of
 * /proc/net/nguard/stats, the connection table), a POLICY_GET dump of
 * the same generation (hits per rule and of the default) and the
 * BLOCKED_GET dump (live blocks per reason).
 *
 * Naming follows Prometheus' conventions: an "nguard_" prefix, "_total"
 * on counters, base units (bytes, seconds), and one family per quantity
 * with labels where counters are the same quantity split several ways
 * (family and direction of packets, reason of drops and passes, detector
 * of anomalies). The tables below map each module counter to its family
 * and labels; a _Static_assert and the unit test make sure every counter
 * has exactly one row. Label values are fixed words, so the series count
 * is fixed, except for rules: one series per rule up to max_rules, the
 * rest folded into rule="other" per action, which nguard_rules_folded
 * reports.
 */
#include <inttypes.h>
#include <string.h>
#include "metrics.h"
#include "policy.h"
#include "prom.h"
#include "version.h"

struct ng_family {
	const char *name, *type, *help;
};

static const struct ng_family families[] = {
	{ "nguard_packets_total", "counter",
	  "Packets seen by nguard's hooks (counted while the namespace has a policy), by address family and direction (in: arriving, local and forwarded; out: sent by the host)." },
	{ "nguard_bytes_total", "counter",
	  "Bytes (IP length) seen by nguard's hooks, by address family and direction." },
	{ "nguard_verdict_packets_total", "counter",
	  "Packets let through (allowed) or dropped by a verdict." },
	{ "nguard_verdict_bytes_total", "counter",
	  "Bytes let through (allowed) or dropped by a verdict." },
	{ "nguard_passed_packets_total", "counter",
	  "Packets passed, by reason (pass_* counters of /proc/net/nguard/stats)." },
	{ "nguard_dropped_packets_total", "counter",
	  "Packets dropped, by reason (drop_* counters of /proc/net/nguard/stats)." },
	{ "nguard_log_lines_total", "counter",
	  "Kernel log lines written through the namespace's log rate limit." },
	{ "nguard_log_lines_suppressed_total", "counter",
	  "Kernel log lines held back by the log rate limit." },
	{ "nguard_anomalies_total", "counter",
	  "Anomalies detected, by detector, whatever the action." },
	{ "nguard_blocks_total", "counter",
	  "Sources put in quarantine." },
	{ "nguard_blocks_refused_total", "counter",
	  "Quarantines not done, by reason: full (the source's bucket held 8 blocks), spoofed (fails the reverse-path check), exempt." },
	{ "nguard_tracker_evictions_total", "counter",
	  "Detector tracker slots taken over from another source or destination." },
	{ "nguard_events_total", "counter",
	  "Anomaly, block and expiry events sent to monitor listeners." },
	{ "nguard_events_suppressed_total", "counter",
	  "Anomaly, block and expiry events held back by the event rate limit." },
	{ "nguard_observe_overflow_total", "counter",
	  "New flows the observe table had no room for." },
	{ "nguard_conns_inserts_total", "counter",
	  "Connection table entries created." },
	{ "nguard_conns_evictions_total", "counter",
	  "Connection table entries evicted to make room, by kind (expired, halfopen: TCP not established, idle: UDP/ICMP/other)." },
	{ "nguard_conns_refused_total", "counter",
	  "Connection table inserts refused, by reason (full: nothing evictable, chain: the bucket chain was full)." },
	{ "nguard_conns_gc_freed_total", "counter",
	  "Expired connection table entries reaped." },
	{ "nguard_conns_alloc_failures_total", "counter",
	  "Connection table entry allocations that failed." },
	{ "nguard_conns_pruned_total", "counter",
	  "Connection table entries removed because a new policy denies them." },
};

/* One module counter: its family and up to two labels. */
struct ng_row {
	unsigned int idx;	/* NGUARD_CNT_*, or the connection-table counter index */
	const char *family;
	const char *labels[5];	/* key, value, key, value, NULL */
};

#define ROW(id, fam, ...) { NGUARD_CNT_##id, fam, { __VA_ARGS__ } }
#define PKT(id, fa, dir) \
	ROW(id##_PACKETS, "nguard_packets_total", "family", fa, "direction", dir)
#define BYT(id, fa, dir) \
	ROW(id##_BYTES, "nguard_bytes_total", "family", fa, "direction", dir)

/* In family order: a family's rows stand together. */
static const struct ng_row cnt_rows[] = {
	PKT(IPV4_IN, "ipv4", "in"), PKT(IPV4_OUT, "ipv4", "out"),
	PKT(IPV6_IN, "ipv6", "in"), PKT(IPV6_OUT, "ipv6", "out"),
	BYT(IPV4_IN, "ipv4", "in"), BYT(IPV4_OUT, "ipv4", "out"),
	BYT(IPV6_IN, "ipv6", "in"), BYT(IPV6_OUT, "ipv6", "out"),
	ROW(ALLOWED_PACKETS, "nguard_verdict_packets_total", "verdict", "allowed"),
	ROW(DROPPED_PACKETS, "nguard_verdict_packets_total", "verdict", "dropped"),
	ROW(ALLOWED_BYTES, "nguard_verdict_bytes_total", "verdict", "allowed"),
	ROW(DROPPED_BYTES, "nguard_verdict_bytes_total", "verdict", "dropped"),
	ROW(PASS_NO_POLICY, "nguard_passed_packets_total", "reason", "no_policy"),
	ROW(PASS_LOCAL, "nguard_passed_packets_total", "reason", "local"),
	ROW(PASS_ESTABLISHED, "nguard_passed_packets_total", "reason", "established"),
	ROW(PASS_RELATED, "nguard_passed_packets_total", "reason", "related"),
	ROW(PASS_NEW, "nguard_passed_packets_total", "reason", "new"),
	ROW(PASS_MONITOR, "nguard_passed_packets_total", "reason", "monitor"),
	ROW(DROP_POLICY, "nguard_dropped_packets_total", "reason", "policy"),
	ROW(DROP_CONNS_FULL, "nguard_dropped_packets_total", "reason", "conns_full"),
	ROW(DROP_INVALID, "nguard_dropped_packets_total", "reason", "invalid"),
	ROW(DROP_BLOCKED, "nguard_dropped_packets_total", "reason", "blocked"),
	ROW(DROP_ANOMALY, "nguard_dropped_packets_total", "reason", "anomaly"),
	ROW(DROP_RATELIMIT, "nguard_dropped_packets_total", "reason", "ratelimit"),
	ROW(DROP_SOURCE_LIMIT, "nguard_dropped_packets_total", "reason", "source_limit"),
	ROW(LOG_LINES, "nguard_log_lines_total", NULL),
	ROW(LOG_SUPPRESSED, "nguard_log_lines_suppressed_total", NULL),
	ROW(ANOMALY_SYNFLOOD, "nguard_anomalies_total", "detector", "synflood"),
	ROW(ANOMALY_PORTSCAN, "nguard_anomalies_total", "detector", "portscan"),
	ROW(ANOMALY_SWEEP, "nguard_anomalies_total", "detector", "sweep"),
	ROW(ANOMALY_TCPFLAGS, "nguard_anomalies_total", "detector", "tcpflags"),
	ROW(ANOMALY_BRUTEFORCE, "nguard_anomalies_total", "detector", "bruteforce"),
	ROW(BLOCKS, "nguard_blocks_total", NULL),
	ROW(BLOCKED_FULL, "nguard_blocks_refused_total", "reason", "full"),
	ROW(BLOCK_SPOOFED, "nguard_blocks_refused_total", "reason", "spoofed"),
	ROW(BLOCK_EXEMPT, "nguard_blocks_refused_total", "reason", "exempt"),
	ROW(TRACKER_EVICTIONS, "nguard_tracker_evictions_total", NULL),
	ROW(EVENTS, "nguard_events_total", NULL),
	ROW(EVENTS_SUPPRESSED, "nguard_events_suppressed_total", NULL),
	ROW(OBSERVE_OVERFLOW, "nguard_observe_overflow_total", NULL),
};

#undef ROW
#define ROW(id, fam, ...) { NGUARD_CT_A_##id - NGUARD_CT_A_FIRST_COUNTER, fam, { __VA_ARGS__ } }

static const struct ng_row ct_rows[] = {
	ROW(INSERTS, "nguard_conns_inserts_total", NULL),
	ROW(EVICT_EXPIRED, "nguard_conns_evictions_total", "reason", "expired"),
	ROW(EVICT_HALFOPEN, "nguard_conns_evictions_total", "reason", "halfopen"),
	ROW(EVICT_IDLE, "nguard_conns_evictions_total", "reason", "idle"),
	ROW(REFUSED_FULL, "nguard_conns_refused_total", "reason", "full"),
	ROW(REFUSED_CHAIN, "nguard_conns_refused_total", "reason", "chain"),
	ROW(GC_FREED, "nguard_conns_gc_freed_total", NULL),
	ROW(ALLOC_FAILED, "nguard_conns_alloc_failures_total", NULL),
	ROW(PRUNED, "nguard_conns_pruned_total", NULL),
};

#undef ROW
#undef PKT
#undef BYT

_Static_assert(sizeof(cnt_rows) / sizeof(cnt_rows[0]) == NGUARD_CNT_MAX,
	       "every module counter needs a metric row");
_Static_assert(sizeof(ct_rows) / sizeof(ct_rows[0]) == NG_CT_COUNTERS,
	       "every connection-table counter needs a metric row");

static const struct ng_family *ng_family(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		if (!strcmp(families[i].name, name))
			return &families[i];
	return NULL;	/* not reached: the unit test checks every row */
}

/* The rows' samples, each family's HELP and TYPE before its first row. */
static void ng_rows(FILE *f, const struct ng_row *rows, size_t n, const uint64_t *v)
{
	const char *prev = "";
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(rows[i].family, prev)) {
			const struct ng_family *fam = ng_family(rows[i].family);

			ng_prom_family(f, rows[i].family, fam ? fam->type : "counter",
				       fam ? fam->help : "");
			prev = rows[i].family;
		}
		ng_prom_sample(f, rows[i].family, rows[i].labels, v[rows[i].idx]);
	}
}

/* A family of one unlabelled gauge. */
static void ng_gauge(FILE *f, const char *name, const char *help, uint64_t v)
{
	ng_prom_family(f, name, "gauge", help);
	ng_prom_sample(f, name, NULL, v);
}

static void ng_metrics_policy(FILE *f, const struct ng_status *st, int txn_open)
{
	static const uint8_t modes[] = { NGUARD_MODE_ENFORCE, NGUARD_MODE_MONITOR };
	char num[8];
	size_t i;

	ng_gauge(f, "nguard_policy_generation",
		 "Generation of the live policy; 0: none (pass-through, nothing enforced).",
		 st->policy_gen);
	ng_prom_family(f, "nguard_policy_mode", "gauge",
		       "1 for the live policy's mode (enforce or monitor), 0 for the others; all 0 without a policy.");
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		ng_prom_sample(f, "nguard_policy_mode",
			       (const char *[]){ "mode", ng_mode_name(modes[i]), NULL },
			       st->policy_gen && st->mode == modes[i]);
	if (st->policy_gen && st->mode && !ng_mode_name(st->mode)) {	/* newer module */
		snprintf(num, sizeof(num), "%u", st->mode);
		ng_prom_sample(f, "nguard_policy_mode", (const char *[]){ "mode", num, NULL }, 1);
	}
	if (st->policy_gen && st->has_applied)
		ng_gauge(f, "nguard_policy_applied_timestamp_seconds",
			 "When the live policy was applied, Unix time.", st->applied);
	if (st->policy_gen && st->has_compile_ns) {
		ng_prom_family(f, "nguard_policy_compile_seconds", "gauge",
			       "How long the kernel took to compile the live policy.");
		ng_prom_sample_f(f, "nguard_policy_compile_seconds", NULL, st->compile_ns / 1e9);
	}
	if (txn_open >= 0)
		ng_gauge(f, "nguard_policy_transaction_open",
			 "1 while a policy apply is in progress in the namespace (transaction_port is not 0).",
			 (uint64_t)txn_open);
}

static void ng_metrics_conntab(FILE *f, const struct ng_conntab *ct)
{
	ng_gauge(f, "nguard_conns_entries", "Connections in the connection table.", ct->count);
	ng_gauge(f, "nguard_conns_entries_limit",
		 "The connection table's limit (conns max, or the module default).", ct->max);
	ng_gauge(f, "nguard_conns_established_entries",
		 "Protected entries: established TCP that has seen a reply.", ct->established);
	ng_gauge(f, "nguard_conns_hash_buckets", "Hash buckets of the connection table.",
		 ct->buckets);
	ng_gauge(f, "nguard_conns_entry_size_bytes", "Bytes per connection table entry.",
		 ct->entry_size);
	if (ct->has_sources)
		ng_gauge(f, "nguard_conns_sources",
			 "Sources holding connections that limit source counts.", ct->sources);
	ng_rows(f, ct_rows, sizeof(ct_rows) / sizeof(ct_rows[0]), ct->cnt);
}

/* Live blocks per reason: every detector's name, 0 when it has none. */
#define NG_KIND_LAST	NGUARD_DETECT_BRUTEFORCE
static void ng_metrics_blocked(FILE *f, const struct ng_block_list *l)
{
	uint64_t n[NG_KIND_LAST + 2] = { 0 };	/* [last + 1]: unknown kinds */
	unsigned int k;
	size_t i;

	for (i = 0; l && i < l->n; i++)
		n[ng_detector_name(l->v[i].kind) ? l->v[i].kind : NG_KIND_LAST + 1]++;
	ng_prom_family(f, "nguard_blocked_sources", "gauge",
		       "Sources in quarantine now, by the detector that blocked them.");
	for (k = NGUARD_DETECT_SYNFLOOD; k <= NG_KIND_LAST + 1; k++)
		ng_prom_sample(f, "nguard_blocked_sources",
			       (const char *[]){ "reason", k <= NG_KIND_LAST ?
						 ng_detector_name(k) : "unknown", NULL }, n[k]);
}

static const char *ng_action_label(enum ng_verdict v)
{
	return v == NG_ALLOW ? "allow" : "deny";
}

/* Hits per rule (index, line, action), the default's, the folded rest. */
static void ng_metrics_rules(FILE *f, const struct ng_policy_dump *d, size_t max_rules)
{
	static const char name[] = "nguard_rule_hits_total";
	const struct ng_policy *p = d->p;
	size_t n = d->gen ? p->n_rules : 0, i, folded = n > max_rules ? n - max_rules : 0;
	uint64_t other[2] = { 0, 0 };	/* folded hits: [0] allow, [1] deny */
	char idx[24], line[16];

	ng_gauge(f, "nguard_rules", "Rules in the live policy.", n);
	ng_gauge(f, "nguard_rules_folded",
		 "Rules beyond nguardctl metrics --max-rules, whose hits are summed in nguard_rule_hits_total{rule=\"other\"}.",
		 folded);
	if (!d->gen)
		return;	/* no rules, no default: no series */
	ng_prom_family(f, name, "counter",
		       "Packets whose verdict the rule decided (first packets of connections and dropped packets), by rule index, line and action; rule=\"default\" is the policy's default, rule=\"other\" the folded rules. Starts at 0 with every apply.");
	for (i = 0; i < n; i++) {
		const struct ng_rule *r = &p->rules[i];

		if (i >= max_rules) {
			other[r->action != NG_ALLOW] += r->hits;
			continue;
		}
		snprintf(idx, sizeof(idx), "%zu", i);
		snprintf(line, sizeof(line), "%u", r->line);
		ng_prom_sample(f, name, (const char *[]){ "rule", idx, "line", line, "action",
				ng_action_label(r->action), NULL }, r->hits);
	}
	ng_prom_sample(f, name, (const char *[]){ "rule", "default", "action",
			ng_action_label(p->def), NULL }, d->default_hits);
	for (i = 0; folded && i < 2; i++)
		ng_prom_sample(f, name, (const char *[]){ "rule", "other", "action",
				i ? "deny" : "allow", NULL }, other[i]);
	if (folded)
		fprintf(f, "# nguard: %zu rules beyond --max-rules %zu are folded into rule=\"other\"\n",
			folded, max_rules);
}

void ng_metrics_print(FILE *f, const struct ng_metrics *m)
{
	const struct ng_status *st = m->st;

	ng_gauge(f, "nguard_up",
		 "1 if nguardctl read the module's state; 0 if it could not (module not loaded, no permission, version mismatch: nguardctl's message says which), and then nothing else is written.",
		 st != NULL);
	if (!st)
		return;
	ng_prom_family(f, "nguard_info", "gauge",
		       "Versions of the loaded module and of nguardctl; always 1.");
	ng_prom_sample(f, "nguard_info", (const char *[]){ "version", st->version,
			"nguardctl_version", NGUARD_VERSION, NULL }, 1);
	ng_metrics_policy(f, st, m->txn_open);
	ng_rows(f, cnt_rows, sizeof(cnt_rows) / sizeof(cnt_rows[0]), st->counters.cnt);
	ng_metrics_conntab(f, &st->conntab);
	ng_metrics_blocked(f, m->blocked);
	ng_metrics_rules(f, m->d, m->max_rules);
}
