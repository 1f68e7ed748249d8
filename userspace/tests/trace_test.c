// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for trace.c: the TRACE reply as the module sends it, printed
 * as text and JSON; the source's exemption from quarantine; the
 * connections it holds under "limit source"; malformed replies.
 */
#include <stdlib.h>
#include <arpa/inet.h>
#include <netlink/genl/genl.h>
#include "check.h"
#include "exitcodes.h"
#include "trace.h"

enum {
	R_RULE = 1, R_EXEMPT = 2, R_EXEMPT_U16 = 4, R_NO_VERDICT = 8,
	R_DENY = 16,		/* verdict deny */
	R_CONNS = 32,		/* SRC_CONNS = conns (the policy has "limit source") */
	R_CONNS_U16 = 64,	/* SRC_CONNS of the wrong size */
};

static uint32_t conns = 3;	/* SRC_CONNS with R_CONNS */

/* A TRACE reply: segments web -> db, verdict allow, bent by @how. */
static struct nl_msg *reply(uint64_t gen, unsigned int how)
{
	struct nl_msg *m = nlmsg_alloc();
	struct nlattr *n, *r;

	genlmsg_put(m, 0, 0, 20, 0, 0, NGUARD_CMD_TRACE, NGUARD_GENL_VERSION);
	nla_put_u64(m, NGUARD_A_POLICY_GEN, gen);
	n = nla_nest_start(m, NGUARD_A_TRACE);
	nla_put_u16(m, NGUARD_TRACE_A_SRC_SEG, 1);
	nla_put_u16(m, NGUARD_TRACE_A_DST_SEG, 2);
	nla_put_string(m, NGUARD_TRACE_A_SRC_NAME, "web");
	nla_put_string(m, NGUARD_TRACE_A_DST_NAME, "db");
	if (!(how & R_NO_VERDICT))
		nla_put_u8(m, NGUARD_TRACE_A_VERDICT, how & R_DENY ? NGUARD_VERDICT_DENY :
			   NGUARD_VERDICT_ALLOW);
	if (how & R_RULE) {
		struct nlattr *tr = nla_nest_start(m, NGUARD_TRACE_A_RULE);

		r = nla_nest_start(m, NGUARD_A_RULE);
		nla_put_u32(m, NGUARD_RULE_A_INDEX, 3);
		nla_put_u8(m, NGUARD_RULE_A_ACTION, NGUARD_VERDICT_ALLOW);
		nla_put_u16(m, NGUARD_RULE_A_SRC, 1);
		nla_put_u16(m, NGUARD_RULE_A_DST, 2);
		nla_put_u32(m, NGUARD_RULE_A_LINE, 7);
		nla_put_string(m, NGUARD_RULE_A_TEXT, "allow web -> db tcp 5432");
		nla_nest_end(m, r);
		nla_nest_end(m, tr);
	}
	if (how & R_EXEMPT)
		nla_put_u8(m, NGUARD_TRACE_A_SRC_EXEMPT, 1);
	if (how & R_EXEMPT_U16)
		nla_put_u16(m, NGUARD_TRACE_A_SRC_EXEMPT, 1);
	if (how & R_CONNS)
		nla_put_u32(m, NGUARD_TRACE_A_SRC_CONNS, conns);
	if (how & R_CONNS_U16)
		nla_put_u16(m, NGUARD_TRACE_A_SRC_CONNS, 3);
	nla_nest_end(m, n);
	return m;
}

/* Parse @m (freed) into @t, a trace of @src -> @dst tcp 5432. */
static int parse_from(struct nl_msg *m, struct ng_trace *t, const char *src, const char *dst)
{
	int rc;

	memset(t, 0, sizeof(*t));
	ng_policy_init(&t->rule);
	t->src = src;
	t->dst = dst;
	if (inet_pton(AF_INET, src, t->src_addr) == 1)
		t->src_len = 4;
	else if (inet_pton(AF_INET6, src, t->src_addr) == 1)
		t->src_len = 16;
	t->proto = 6;
	t->dport = 5432;
	rc = ng_trace_reply(m, t);
	nlmsg_free(m);
	return rc;
}

static int parse(struct nl_msg *m, struct ng_trace *t)
{
	return parse_from(m, t, "10.0.1.2", "10.0.2.2");
}

static char *text(const struct ng_trace *t)
{
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	ng_trace_print(f, t);
	fclose(f);
	return buf;
}

/* The "limit source" text lines of @t (the policy's settings set as given). */
static char *limit_text(struct ng_trace *t, uint32_t limit, uint8_t prefix, uint8_t mode)
{
	char *s, *at;

	t->src_limit = limit;
	t->src_prefix = prefix;
	t->mode = mode;
	s = text(t);
	at = strstr(s, "source limit ");
	if (at)
		memmove(s, at, strlen(at) + 1);
	else
		s[0] = '\0';
	return s;
}

int main(void)
{
	struct ng_trace t;
	json_object *j, *v;
	char *s, *err;
	int rc;

	/* Not exempt: no exempt line, "src_exempt": false. */
	CHECK(parse(reply(5, R_RULE), &t) == 0);
	CHECK(!t.src_exempt && t.has_rule && t.rule_index == 3);
	s = text(&t);
	CHECK_STR(s, "source       10.0.1.2  segment web\n"
		     "destination  10.0.2.2  segment db\n"
		     "rule         #3 (line 7): allow web -> db tcp 5432\n"
		     "verdict      allow\n");
	free(s);
	j = ng_trace_json(&t);
	CHECK(json_object_object_get_ex(j, "src_exempt", &v) &&
	      json_object_is_type(v, json_type_boolean) && !json_object_get_boolean(v));
	CHECK(json_object_get_int(json_object_object_get(j, "rule")) == 3);
	CHECK(json_object_get_int(json_object_object_get(j, "dport")) == 5432);
	json_object_put(j);
	ng_policy_free(&t.rule);

	/* Exempt: one more line, "src_exempt": true. */
	CHECK(parse(reply(5, R_EXEMPT), &t) == 0);
	CHECK(t.src_exempt && !t.has_rule);
	s = text(&t);
	CHECK_STR(s, "source       10.0.1.2  segment web\n"
		     "destination  10.0.2.2  segment db\n"
		     "rule         none matched: default\n"
		     "verdict      allow\n"
		     "exempt       yes (never quarantined)\n");
	free(s);
	j = ng_trace_json(&t);
	CHECK(json_object_get_boolean(json_object_object_get(j, "src_exempt")));
	CHECK(json_object_object_get_ex(j, "rule", &v) && v == NULL);
	CHECK_STR(json_object_get_string(json_object_object_get(j, "verdict")), "allow");
	json_object_put(j);
	ng_policy_free(&t.rule);

	/* No "limit source": no line, nulls in JSON. */
	j = ng_trace_json(&t);
	CHECK(json_object_object_get_ex(j, "source_conns", &v) && v == NULL);
	CHECK(json_object_object_get_ex(j, "source_limit", &v) && v == NULL);
	json_object_put(j);
	ng_policy_free(&t.rule);

	/* "limit source": the count, under the limit. */
	conns = 3;
	CHECK(parse(reply(5, R_RULE | R_CONNS), &t) == 0);
	CHECK(t.has_src_conns && t.src_conns == 3);
	s = limit_text(&t, 100, 0, NGUARD_MODE_ENFORCE);
	CHECK_STR(s, "source limit 3 of 100 connections held by 10.0.1.2\n");
	free(s);
	s = text(&t);
	CHECK_STR(s, "source       10.0.1.2  segment web\n"
		     "destination  10.0.2.2  segment db\n"
		     "rule         #3 (line 7): allow web -> db tcp 5432\n"
		     "verdict      allow\n"
		     "source limit 3 of 100 connections held by 10.0.1.2\n");
	free(s);
	j = ng_trace_json(&t);
	CHECK(json_object_get_int(json_object_object_get(j, "source_conns")) == 3);
	CHECK(json_object_get_int(json_object_object_get(j, "source_limit")) == 100);
	json_object_put(j);
	ng_policy_free(&t.rule);
	/* At the limit (and above it: a limit lowered by a new policy). */
	conns = 100;
	CHECK(parse(reply(5, R_CONNS | R_EXEMPT), &t) == 0);
	s = limit_text(&t, 100, 0, NGUARD_MODE_ENFORCE);
	CHECK_STR(s, "source limit 100 of 100 connections held by 10.0.1.2\n"
		     "             a new connection from 10.0.1.2 would be dropped (drop_source_limit)\n");
	free(s);
	s = limit_text(&t, 99, 0, NGUARD_MODE_ENFORCE);
	CHECK(strstr(s, "100 of 99 connections held by 10.0.1.2\n") &&
	      strstr(s, "would be dropped (drop_source_limit)\n"));
	free(s);
	s = limit_text(&t, 101, 0, NGUARD_MODE_ENFORCE);
	CHECK_STR(s, "source limit 100 of 101 connections held by 10.0.1.2\n");
	free(s);
	/* Monitor mode passes it and reports it. */
	s = limit_text(&t, 100, 0, NGUARD_MODE_MONITOR);
	CHECK_STR(s, "source limit 100 of 100 connections held by 10.0.1.2\n"
		     "             a new connection from 10.0.1.2 would be over the limit: passed and reported (mode monitor)\n");
	free(s);
	ng_policy_free(&t.rule);
	/* Denied anyway: the limit does not decide. */
	CHECK(parse(reply(5, R_CONNS | R_DENY), &t) == 0);
	s = limit_text(&t, 100, 0, NGUARD_MODE_ENFORCE);
	CHECK_STR(s, "source limit 100 of 100 connections held by 10.0.1.2\n");
	free(s);
	j = ng_trace_json(&t);
	CHECK_STR(json_object_get_string(json_object_object_get(j, "verdict")), "deny");
	CHECK(json_object_get_int(json_object_object_get(j, "source_conns")) == 100);
	json_object_put(j);
	ng_policy_free(&t.rule);
	/* No connection yet: 0, not absent. */
	conns = 0;
	CHECK(parse(reply(5, R_CONNS), &t) == 0);
	CHECK(t.has_src_conns && t.src_conns == 0);
	s = limit_text(&t, 1, 0, NGUARD_MODE_ENFORCE);
	CHECK_STR(s, "source limit 0 of 1 connections held by 10.0.1.2\n");
	free(s);
	j = ng_trace_json(&t);
	CHECK(json_object_object_get_ex(j, "source_conns", &v) && v &&
	      json_object_get_int(v) == 0);
	json_object_put(j);
	ng_policy_free(&t.rule);
	/* IPv6: the source is its prefix ("ipv6 source prefix", default /64). */
	conns = 7;
	CHECK(parse_from(reply(5, R_CONNS), &t, "2001:db8:1:2f:aaaa::5", "2001:db8:9::1") == 0);
	s = limit_text(&t, 7, 0, NGUARD_MODE_ENFORCE);
	CHECK_STR(s, "source limit 7 of 7 connections held by 2001:db8:1:2f::/64\n"
		     "             a new connection from 2001:db8:1:2f::/64 would be dropped (drop_source_limit)\n");
	free(s);
	s = limit_text(&t, 8, 56, NGUARD_MODE_ENFORCE);
	CHECK_STR(s, "source limit 7 of 8 connections held by 2001:db8:1::/56\n");
	free(s);
	s = limit_text(&t, 8, 60, NGUARD_MODE_ENFORCE);	/* not on a byte boundary */
	CHECK_STR(s, "source limit 7 of 8 connections held by 2001:db8:1:20::/60\n");
	free(s);
	s = limit_text(&t, 8, 128, NGUARD_MODE_ENFORCE);
	CHECK_STR(s, "source limit 7 of 8 connections held by 2001:db8:1:2f:aaaa::5/128\n");
	free(s);
	s = limit_text(&t, 8, 48, NGUARD_MODE_ENFORCE);
	CHECK_STR(s, "source limit 7 of 8 connections held by 2001:db8:1::/48\n");
	free(s);
	j = ng_trace_json(&t);
	CHECK(json_object_get_int(json_object_object_get(j, "source_conns")) == 7);
	CHECK(json_object_get_int(json_object_object_get(j, "source_limit")) == 8);
	CHECK_STR(json_object_get_string(json_object_object_get(j, "src")), "2001:db8:1:2f:aaaa::5");
	json_object_put(j);
	ng_policy_free(&t.rule);

	/* No policy. */
	CHECK(parse(reply(0, 0), &t) == 0);
	s = text(&t);
	CHECK(strstr(s, "rule         none: no policy loaded (pass-through)\n") != NULL);
	free(s);
	ng_policy_free(&t.rule);

	/* Malformed: an exemption of the wrong size, no verdict. */
	CAPTURE_STDERR(err, rc = parse(reply(5, R_EXEMPT_U16), &t));
	CHECK(rc == NG_EXIT_ERROR);
	CHECK_STR(err, "nguardctl: unexpected trace reply from kernel module (version mismatch?)\n");
	free(err);
	ng_policy_free(&t.rule);
	CAPTURE_STDERR(err, rc = parse(reply(5, R_CONNS_U16), &t));
	CHECK(rc == NG_EXIT_ERROR);
	CHECK_STR(err, "nguardctl: unexpected trace reply from kernel module (version mismatch?)\n");
	free(err);
	ng_policy_free(&t.rule);
	CAPTURE_STDERR(err, rc = parse(reply(5, R_NO_VERDICT), &t));
	CHECK(rc == NG_EXIT_ERROR);
	free(err);
	ng_policy_free(&t.rule);
	return CHECK_DONE();
}
