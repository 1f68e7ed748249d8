// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests for trace.c: the TRACE reply as the module sends it, printed
 * as text and JSON; the source's exemption from quarantine; malformed
 * replies.
 */
#include <stdlib.h>
#include <netlink/genl/genl.h>
#include "check.h"
#include "exitcodes.h"
#include "trace.h"

enum { R_RULE = 1, R_EXEMPT = 2, R_EXEMPT_U16 = 4, R_NO_VERDICT = 8 };

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
		nla_put_u8(m, NGUARD_TRACE_A_VERDICT, NGUARD_VERDICT_ALLOW);
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
	nla_nest_end(m, n);
	return m;
}

/* Parse @m (freed) into @t, a trace of 10.0.1.2 -> 10.0.2.2 tcp 5432. */
static int parse(struct nl_msg *m, struct ng_trace *t)
{
	int rc;

	memset(t, 0, sizeof(*t));
	ng_policy_init(&t->rule);
	t->src = "10.0.1.2";
	t->dst = "10.0.2.2";
	t->proto = 6;
	t->dport = 5432;
	rc = ng_trace_reply(m, t);
	nlmsg_free(m);
	return rc;
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
	CAPTURE_STDERR(err, rc = parse(reply(5, R_NO_VERDICT), &t));
	CHECK(rc == NG_EXIT_ERROR);
	free(err);
	ng_policy_free(&t.rule);
	return CHECK_DONE();
}
