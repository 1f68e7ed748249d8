// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for the Prometheus exposition (prom.c, metrics.c): escaping
 * of label values and HELP text, every module counter in exactly one
 * sample, each family's HELP and TYPE once and before its samples, the
 * quarantine by reason, rule hits with folding beyond --max-rules, and
 * nguard_up 0 alone. `metrics_test DIR` also writes the rendered cases to
 * DIR/NAME.prom, for `promtool check metrics` (tests/lib/metrics-check.sh).
 */
#include <stdlib.h>
#include "check.h"
#include "metrics.h"
#include "prom.h"

static char *render(const struct ng_metrics *m)
{
	char *text = NULL;

	CAPTURE_FILE(text, f, ng_metrics_print(f, m));
	return text;
}

/* The status of stats_test: counter i is 1000 + i, connection table counters 10 + i. */
static void status(struct ng_status *st, uint64_t gen)
{
	unsigned int i;

	memset(st, 0, sizeof(*st));
	strcpy(st->version, "9.8\"7\\x");	/* a quote and a backslash to escape */
	st->policy_gen = gen;
	for (i = 0; i < NGUARD_CNT_MAX; i++)
		st->counters.cnt[i] = 1000 + i;
	st->conntab.count = 12;
	st->conntab.max = 65536;
	st->conntab.established = 3;
	st->conntab.entry_size = 96;
	st->conntab.buckets = 4096;
	st->conntab.has_sources = true;
	st->conntab.sources = 2;
	for (i = 0; i < NG_CT_COUNTERS; i++)
		st->conntab.cnt[i] = 10 + i;
	if (gen) {
		st->mode = NGUARD_MODE_MONITOR;
		st->has_applied = st->has_compile_ns = true;
		st->applied = 1714564800;
		st->compile_ns = 2500000;
	}
}

/* @n rules: rule i has line 10 + i, hits 100 * (i + 1), even ones allow, odd deny. */
static void policy(struct ng_policy_dump *d, struct ng_policy *p, size_t n)
{
	size_t i;

	ng_policy_init(p);
	memset(d, 0, sizeof(*d));
	d->p = p;
	d->gen = 7;
	d->default_hits = 5;
	p->def = NG_DENY;
	p->rules = calloc(n ? n : 1, sizeof(*p->rules));
	p->n_rules = p->cap_rules = n;
	for (i = 0; i < n; i++) {
		p->rules[i].action = i % 2 ? NG_DENY : NG_ALLOW;
		p->rules[i].line = (unsigned int)(10 + i);
		p->rules[i].hits = 100 * (i + 1);
	}
}

/*
 * The exposition's structure: every sample's name had its HELP and TYPE
 * (once each, TYPE right after HELP) before it, and the samples of a
 * family stand together. Returns the number of samples whose value is
 * @value; *@lines gets the number of samples.
 */
static int structure(const char *text, unsigned long long value, int *samples)
{
	char name[128], cur[128] = "", seen[8192] = " ", *dup, *line, *save = NULL;
	unsigned long long v;
	int hits = 0;

	*samples = 0;
	dup = strdup(text);
	for (line = strtok_r(dup, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "# HELP ", 7)) {
			sscanf(line + 7, "%127s", name);
			snprintf(cur, sizeof(cur), "%s", name);
			char key[132];

			snprintf(key, sizeof(key), " %s ", name);
			if (strstr(seen, key)) {
				fprintf(stderr, "family %s described twice\n", name);
				ng_test_failures++;
			}
			strncat(seen, key + 1, sizeof(seen) - strlen(seen) - 1);
			continue;
		}
		if (!strncmp(line, "# TYPE ", 7)) {
			char type[16];

			if (sscanf(line + 7, "%127s %15s", name, type) != 2 || strcmp(name, cur) ||
			    (strcmp(type, "counter") && strcmp(type, "gauge"))) {
				fprintf(stderr, "bad TYPE line: %s\n", line);
				ng_test_failures++;
			}
			if (!strcmp(type, "counter") &&
			    strcmp(name + strlen(name) - 6, "_total")) {
				fprintf(stderr, "counter %s does not end in _total\n", name);
				ng_test_failures++;
			}
			continue;
		}
		if (line[0] == '#')
			continue;
		(*samples)++;
		sscanf(line, "%127[^{ ]", name);
		if (strcmp(name, cur)) {
			fprintf(stderr, "sample of %s outside its family (in %s): %s\n", name, cur, line);
			ng_test_failures++;
		}
		if (sscanf(strrchr(line, ' ') + 1, "%llu", &v) == 1 && v == value)
			hits++;
	}
	free(dup);
	return hits;
}

static void emit(const char *dir, const char *name, const char *text)
{
	char path[4096];
	FILE *f;

	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/%s.prom", dir, name);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : NULL;
	struct ng_block blocks[4] = {
		{ .family = 4, .kind = NGUARD_DETECT_PORTSCAN },
		{ .family = 4, .kind = NGUARD_DETECT_PORTSCAN },
		{ .family = 6, .kind = NGUARD_DETECT_SYNFLOOD, .prefix_len = 64 },
		{ .family = 4, .kind = 99 },	/* from a newer module */
	};
	struct ng_block_list bl = { .v = blocks, .n = 4 };
	struct ng_policy_dump d, none = { 0 };
	struct ng_metrics m = { .txn_open = 0, .max_rules = NG_METRICS_RULES_DEFAULT };
	struct ng_policy p, empty;
	struct ng_status st;
	char *text, *e, help[] = "a\\b\nc \"q\"";
	int n, samples;
	unsigned int i;

	/* Escaping: label values \ " newline; HELP \ and newline only. */
	CAPTURE_FILE(e, f, ng_prom_label_value(f, "a\\b\"c\nd"));
	CHECK_STR(e, "a\\\\b\\\"c\\nd");
	free(e);
	CAPTURE_FILE(e, f, ng_prom_label_value(f, "plain"));
	CHECK_STR(e, "plain");
	free(e);
	CAPTURE_FILE(text, f, {
		ng_prom_family(f, "x_total", "counter", help);
		ng_prom_sample(f, "x_total", (const char *[]){ "k", "v\"1", "l", "2", NULL }, 3);
		ng_prom_sample(f, "x_total", NULL, 18446744073709551615ull);
		ng_prom_sample_f(f, "y_seconds", NULL, 0.0025);
	});
	CHECK_STR(text, "# HELP x_total a\\\\b\\nc \"q\"\n# TYPE x_total counter\n"
		  "x_total{k=\"v\\\"1\",l=\"2\"} 3\nx_total 18446744073709551615\n"
		  "y_seconds 0.0025\n");
	free(text);

	/* A live policy, 3 rules, the quarantine: every counter once. */
	status(&st, 7);
	policy(&d, &p, 3);
	m.st = &st;
	m.d = &d;
	m.blocked = &bl;
	text = render(&m);
	for (i = 0; i < NGUARD_CNT_MAX; i++) {
		n = structure(text, 1000 + i, &samples);
		if (n != 1) {
			fprintf(stderr, "counter %s (value %u) in %d samples, want 1\n",
				ng_counter_name(i), 1000 + i, n);
			ng_test_failures++;
		}
	}
	for (i = 0; i < NG_CT_COUNTERS; i++)
		CHECK(structure(text, 10 + i, &samples) == 1 || 10 + i == 12);	/* 12: count too */
	LACKS(text, " \n");	/* every family has its HELP text (metrics.c's table) */
	HAS(text, "nguard_up 1\n");
	HAS(text, "nguard_info{version=\"9.8\\\"7\\\\x\",nguardctl_version=\"");
	HAS(text, "nguard_policy_generation 7\n");
	HAS(text, "nguard_policy_mode{mode=\"enforce\"} 0\nnguard_policy_mode{mode=\"monitor\"} 1\n");
	HAS(text, "nguard_policy_applied_timestamp_seconds 1714564800\n");
	HAS(text, "nguard_policy_compile_seconds 0.0025\n");
	HAS(text, "nguard_policy_transaction_open 0\n");
	HAS(text, "# TYPE nguard_packets_total counter\n"
		  "nguard_packets_total{family=\"ipv4\",direction=\"in\"} 1000\n");
	HAS(text, "nguard_bytes_total{family=\"ipv6\",direction=\"out\"} 1007\n");
	HAS(text, "nguard_verdict_packets_total{verdict=\"dropped\"} 1010\n");
	HAS(text, "nguard_passed_packets_total{reason=\"established\"} 1014\n");
	HAS(text, "nguard_dropped_packets_total{reason=\"source_limit\"} 1037\n");
	HAS(text, "nguard_anomalies_total{detector=\"portscan\"} 1027\n");
	HAS(text, "nguard_anomalies_total{detector=\"bruteforce\"} 1038\n");
	HAS(text, "nguard_blocks_refused_total{reason=\"exempt\"} 1036\n");
	HAS(text, "# TYPE nguard_conns_entries gauge\nnguard_conns_entries 12\n");
	HAS(text, "nguard_conns_entries_limit 65536\n");
	HAS(text, "nguard_conns_sources 2\n");
	HAS(text, "nguard_conns_evictions_total{reason=\"idle\"} 13\n");
	HAS(text, "nguard_conns_pruned_total 18\n");
	HAS(text, "nguard_blocked_sources{reason=\"synflood\"} 1\n"
		  "nguard_blocked_sources{reason=\"portscan\"} 2\n"
		  "nguard_blocked_sources{reason=\"sweep\"} 0\n"
		  "nguard_blocked_sources{reason=\"tcpflags\"} 0\n"
		  "nguard_blocked_sources{reason=\"manual\"} 0\n"
		  "nguard_blocked_sources{reason=\"bruteforce\"} 0\n"
		  "nguard_blocked_sources{reason=\"unknown\"} 1\n");
	HAS(text, "\nnguard_rules 3\n");
	HAS(text, "\nnguard_rules_folded 0\n");
	HAS(text, "nguard_rule_hits_total{rule=\"0\",line=\"10\",action=\"allow\"} 100\n"
		  "nguard_rule_hits_total{rule=\"1\",line=\"11\",action=\"deny\"} 200\n"
		  "nguard_rule_hits_total{rule=\"2\",line=\"12\",action=\"allow\"} 300\n"
		  "nguard_rule_hits_total{rule=\"default\",action=\"deny\"} 5\n");
	LACKS(text, "{rule=\"other\",");
	LACKS(text, "folded into");
	emit(dir, "full", text);
	free(text);
	ng_policy_free(&p);

	/* Folding: 7 rules, 3 kept; 3..6 summed per action (allow 500 + 700, deny 400 + 600). */
	policy(&d, &p, 7);
	m.max_rules = 3;
	m.txn_open = -1;
	st.conntab.has_sources = false;
	text = render(&m);
	structure(text, 0, &samples);
	HAS(text, "\nnguard_rules 7\n");
	HAS(text, "\nnguard_rules_folded 4\n");
	HAS(text, "nguard_rule_hits_total{rule=\"2\",line=\"12\",action=\"allow\"} 300\n"
		  "nguard_rule_hits_total{rule=\"default\",action=\"deny\"} 5\n"
		  "nguard_rule_hits_total{rule=\"other\",action=\"allow\"} 1200\n"
		  "nguard_rule_hits_total{rule=\"other\",action=\"deny\"} 1000\n"
		  "# nguard: 4 rules beyond --max-rules 3 are folded into rule=\"other\"\n");
	LACKS(text, "rule=\"3\"");
	LACKS(text, "nguard_policy_transaction_open");	/* unknown: not written */
	LACKS(text, "nguard_conns_sources");		/* not reported: not written */
	emit(dir, "folded", text);
	free(text);

	/* --max-rules 0: every rule folded; the default keeps its series. */
	m.max_rules = 0;
	text = render(&m);
	HAS(text, "\nnguard_rules_folded 7\n");
	HAS(text, "nguard_rule_hits_total{rule=\"other\",action=\"allow\"} 1600\n");
	LACKS(text, "rule=\"0\"");
	HAS(text, "{rule=\"default\",action=\"deny\"} 5\n");
	free(text);
	ng_policy_free(&p);

	/* No policy: pass-through, no rule series, modes all 0, no quarantine. */
	status(&st, 0);
	ng_policy_init(&empty);
	none.p = &empty;
	m.d = &none;
	m.blocked = NULL;
	m.max_rules = NG_METRICS_RULES_DEFAULT;
	text = render(&m);
	structure(text, 0, &samples);
	HAS(text, "nguard_policy_generation 0\n");
	HAS(text, "nguard_policy_mode{mode=\"enforce\"} 0\nnguard_policy_mode{mode=\"monitor\"} 0\n");
	HAS(text, "\nnguard_rules 0\n");
	HAS(text, "\nnguard_rules_folded 0\n");
	HAS(text, "nguard_blocked_sources{reason=\"portscan\"} 0\n");
	LACKS(text, "# TYPE nguard_rule_hits_total");
	LACKS(text, "nguard_policy_applied_timestamp_seconds");
	emit(dir, "nopolicy", text);
	free(text);

	/* Unreachable module: nguard_up 0 and nothing else. */
	m.st = NULL;
	text = render(&m);
	structure(text, 0, &samples);
	CHECK(samples == 1);
	HAS(text, "\nnguard_up 0\n");
	emit(dir, "down", text);
	free(text);

	return CHECK_DONE();
}
