// SPDX-License-Identifier: GPL-2.0-only
/*
 * suggest.c: a monitor-mode policy with missing rules and an observed
 * list of what flowed. The suggestion must parse (`nguardctl check`),
 * allow exactly the flows between segments the default denied, merge
 * ports into one rule per pair and protocol, keep world's flows and the
 * operator's explicit denies as comments only, still deny a flow never
 * seen, and leave the operator's rules as they were.
 */
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include "../parser.h"
#include "../suggest.h"
#include "check.h"

static const char policy[] =
	"mode monitor\n"
	"default deny\n"
	"segment web 10.0.1.0/24\n"
	"segment db 10.0.2.0/24\n"
	"segment admin 10.0.9.0/24\n"
	"allow admin -> * tcp 22\n"
	"deny web -> admin log\n"
	"allow * -> web tcp 80\n";

static int parse(const char *text, struct ng_policy *p)
{
	struct ng_diag d;
	int rc;

	ng_diag_init(&d);
	rc = ng_policy_parse("t.conf", text, strlen(text), p, &d);
	if (rc || d.errors)
		ng_diag_print(stderr, &d);
	rc = rc ? rc : (int)d.errors;
	ng_diag_free(&d);
	return rc;
}

static void add(struct ng_observed_list *l, const char *src, const char *dst, uint8_t proto,
		uint16_t port, uint64_t conns, const char *ex_src, const char *ex_dst)
{
	struct ng_observed *o;

	l->v = realloc(l->v, (l->n + 1) * sizeof(*o));
	o = &l->v[l->n++];
	memset(o, 0, sizeof(*o));
	snprintf(o->src_name, sizeof(o->src_name), "%s", src);
	snprintf(o->dst_name, sizeof(o->dst_name), "%s", dst);
	o->proto = proto;
	o->port = port;
	o->conns = conns;
	o->first = 1796212800;		/* 2026-12-02T12:00:00Z */
	o->last = 1796212800 + 60 * conns;
	o->verdict = NGUARD_VERDICT_DENY;
	o->nex = 1;
	o->ex[0].family = 4;
	inet_pton(AF_INET, ex_src, o->ex[0].src);
	inet_pton(AF_INET, ex_dst, o->ex[0].dst);
}

static enum ng_verdict judge(const struct ng_policy *p, const char *s, const char *d,
			     uint8_t proto, uint16_t port)
{
	long rule;

	return ng_suggest_judge(p, s, d, proto, port, &rule);
}

int main(void)
{
	struct ng_suggest_opts opts = { .now = 1796216400, .enforce = true };
	struct ng_observed_list l = { 0 };
	struct ng_suggest_count c;
	struct ng_policy p, q;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	ng_policy_init(&p);
	ng_policy_init(&q);
	CHECK(parse(policy, &p) == 0);
	/* The model's own judgement, as the module's. */
	CHECK(judge(&p, "admin", "db", 6, 22) == NG_ALLOW);
	CHECK(judge(&p, "web", "admin", 6, 22) == NG_DENY);
	CHECK(judge(&p, "db", "web", 6, 80) == NG_ALLOW);
	CHECK(judge(&p, "web", "db", 6, 5432) == NG_DENY);

	add(&l, "web", "db", 6, 5432, 12, "10.0.1.2", "10.0.2.2");
	add(&l, "web", "db", 6, 5433, 1, "10.0.1.3", "10.0.2.2");
	add(&l, "web", "db", 6, 6432, 2, "10.0.1.2", "10.0.2.3");
	add(&l, "web", "db", 17, 53, 3, "10.0.1.2", "10.0.2.2");
	add(&l, "web", "db", 1, 8, 5, "10.0.1.2", "10.0.2.2");	/* ping */
	add(&l, "db", "web", 6, 80, 4, "10.0.2.2", "10.0.1.2");	/* allowed already */
	add(&l, "admin", "db", 6, 22, 9, "10.0.9.2", "10.0.2.2");	/* allowed already */
	add(&l, "world", "db", 6, 22, 1, "192.0.2.2", "10.0.2.2");	/* review only */
	add(&l, "web", "admin", 6, 22, 7, "10.0.1.2", "10.0.9.2");	/* denied by a rule */
	add(&l, "gone", "db", 6, 1, 1, "10.7.0.1", "10.0.2.2");	/* no such segment */

	f = open_memstream(&text, &len);
	CHECK(ng_suggest(f, &p, &l, &opts, &c) == 0);
	fclose(f);
	fputs(text, stdout);
	CHECK(c.rules == 3 && c.flows == 5 && c.world == 1 && c.by_rule == 1 && c.unknown == 1);
	/* One rule per pair and protocol, adjacent ports merged, evidence. */
	CHECK(strstr(text, "\nallow web -> db tcp 5432-5433,6432\n") != NULL);
	CHECK(strstr(text, "\nallow web -> db udp 53\n") != NULL);
	CHECK(strstr(text, "\nallow web -> db icmp\n") != NULL);
	CHECK(strstr(text, "\n# 15 connections web -> db, first seen 2026-12-02T12:00:00Z, last seen 2026-12-02T12:12:00Z, e.g. 10.0.1.2 -> 10.0.2.2\n") != NULL);
	/* World and the explicit deny: comments only. */
	CHECK(strstr(text, "\n#allow world -> db tcp 22\n") != NULL);
	CHECK(strstr(text, "\n#   denied by line 7: deny web -> admin log\n#allow web -> admin tcp 22\n") != NULL);
	CHECK(strstr(text, "\nallow world") == NULL && strstr(text, "allow * -> *") == NULL);
	CHECK(strncmp(text, "mode enforce\n", 13) == 0);

	/* The suggestion is a valid policy that allows what was seen... */
	CHECK(parse(text, &q) == 0);
	CHECK(q.n_rules == p.n_rules + 3);
	CHECK(judge(&q, "web", "db", 6, 5432) == NG_ALLOW);
	CHECK(judge(&q, "web", "db", 6, 5433) == NG_ALLOW);
	CHECK(judge(&q, "web", "db", 6, 6432) == NG_ALLOW);
	CHECK(judge(&q, "web", "db", 17, 53) == NG_ALLOW);
	CHECK(judge(&q, "web", "db", 1, 0) == NG_ALLOW);
	/* ...and nothing else: unseen ports, world, the operator's deny. */
	CHECK(judge(&q, "web", "db", 6, 5434) == NG_DENY);
	CHECK(judge(&q, "web", "db", 6, 22) == NG_DENY);
	CHECK(judge(&q, "world", "db", 6, 22) == NG_DENY);
	CHECK(judge(&q, "web", "admin", 6, 22) == NG_DENY);
	CHECK(judge(&q, "db", "web", 6, 443) == NG_DENY);

	/* Nothing denied by the default: no rule, said so. */
	free(text);
	text = NULL;
	l.n = 0;
	add(&l, "db", "web", 6, 80, 4, "10.0.2.2", "10.0.1.2");
	opts.enforce = false;
	f = open_memstream(&text, &len);
	CHECK(ng_suggest(f, &p, &l, &opts, &c) == 0);
	fclose(f);
	CHECK(c.rules == 0 && strstr(text, "# No rule to add") != NULL);
	CHECK(strncmp(text, "mode monitor\n", 13) == 0);

	/* More ranges than a rule may hold: a second rule. */
	free(text);
	text = NULL;
	l.n = 0;
	for (uint16_t port = 1000; port < 1000 + 2 * (NGUARD_MAX_RULE_MATCHES + 5); port += 2)
		add(&l, "web", "db", 6, port, 1, "10.0.1.2", "10.0.2.2");
	f = open_memstream(&text, &len);
	CHECK(ng_suggest(f, &p, &l, &opts, &c) == 0);
	fclose(f);
	CHECK(c.rules == 2);
	ng_policy_free(&q);
	ng_policy_init(&q);
	CHECK(parse(text, &q) == 0);
	CHECK(judge(&q, "web", "db", 6, 1000) == NG_ALLOW);
	CHECK(judge(&q, "web", "db", 6, 1000 + 2 * (NGUARD_MAX_RULE_MATCHES + 4)) == NG_ALLOW);
	CHECK(judge(&q, "web", "db", 6, 1001) == NG_DENY);

	free(text);
	free(l.v);
	ng_policy_free(&p);
	ng_policy_free(&q);
	if (ng_test_failures)
		fprintf(stderr, "suggest_test: %d failure(s)\n", ng_test_failures);
	return ng_test_failures != 0;
}
