// SPDX-License-Identifier: GPL-2.0-only
/*
 * The quarantine: the sources the anomaly detectors blocked, from a
 * BLOCKED_GET dump (one NGUARD_A_BLOCK nest each), sorted by address and
 * printed as a table or JSON (`nguardctl blocked`, cmd_blocked.c). An
 * IPv6 source is blocked as its prefix of the policy's "ipv6 source
 * prefix" length (NGUARD_BLOCK_A_PREFIX_LEN). Also the argument of
 * `nguardctl unblock ADDR|PREFIX|all`: an IPv6 ADDR/LEN has its host bits
 * cleared; and the arguments of `nguardctl block ADDR|PREFIX DURATION`:
 * the same address forms (IPv4 also as ADDR/32, no "all"), a duration
 * like the policy's "action block 1h" (1s..7d).
 *
 * Every entry is checked before it is shown: a missing attribute or a
 * wrong size ends the command with a message naming the attribute.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/genl/genl.h>
#include "blocked.h"
#include "exitcodes.h"
#include "format.h"
#include "lexer.h"
#include "nl.h"
#include "output.h"
#include "policy.h"

const char *ng_block_parse(const struct nlattr *nest, struct ng_block *b)
{
	struct nlattr *tb[NGUARD_BLOCK_A_MAX + 1];
	int len;

	memset(b, 0, sizeof(*b));
	if (!nest || nla_parse_nested(tb, NGUARD_BLOCK_A_MAX, (struct nlattr *)nest, NULL) < 0)
		return "NGUARD_A_BLOCK";
	len = tb[NGUARD_BLOCK_A_ADDR] ? nla_len(tb[NGUARD_BLOCK_A_ADDR]) : 0;
	if (len != 4 && len != 16)
		return "NGUARD_BLOCK_A_ADDR";
	b->family = len == 4 ? 4 : 6;
	memcpy(b->addr, nla_data(tb[NGUARD_BLOCK_A_ADDR]), len);
	if (ng_nla_u8(tb[NGUARD_BLOCK_A_KIND], &b->kind))
		return "NGUARD_BLOCK_A_KIND";
	if (ng_nla_u32(tb[NGUARD_BLOCK_A_EXPIRES_MS], &b->expires_ms))
		return "NGUARD_BLOCK_A_EXPIRES_MS";
	if (ng_nla_u32(tb[NGUARD_BLOCK_A_SECS], &b->secs))
		return "NGUARD_BLOCK_A_SECS";
	if (tb[NGUARD_BLOCK_A_HITS] && ng_nla_u32(tb[NGUARD_BLOCK_A_HITS], &b->hits))
		return "NGUARD_BLOCK_A_HITS";
	if (tb[NGUARD_BLOCK_A_PREFIX_LEN] &&
	    (b->family != 6 || ng_nla_u8(tb[NGUARD_BLOCK_A_PREFIX_LEN], &b->prefix_len) ||
	     !b->prefix_len || b->prefix_len > 128))
		return "NGUARD_BLOCK_A_PREFIX_LEN";
	return NULL;
}

static const char *ng_block_parse_v(const struct nlattr *nest, void *item)
{
	return ng_block_parse(nest, item);
}

int ng_blocked_dump_msg(struct nl_msg *msg, void *arg)
{
	struct ng_block_list *l = arg;

	return ng_dump_collect(msg, NGUARD_A_BLOCK, &l->v, &l->n, &l->cap, sizeof(*l->v),
			       &l->bad, ng_block_parse_v);
}

int ng_blocked_fetch(struct ng_nl *nl, struct ng_block_list *l)
{
	struct nl_msg *m = ng_nl_msg(nl, NGUARD_CMD_BLOCKED_GET, NLM_F_DUMP);
	int rc = m ? ng_nl_transact(nl, m, ng_blocked_dump_msg, l) : NG_EXIT_ERROR;

	if (!rc && l->bad) {
		fprintf(stderr, "nguardctl: unexpected blocked-source dump from kernel module: %s missing or malformed (version mismatch?)\n",
			l->bad);
		rc = NG_EXIT_ERROR;
	}
	return rc;
}

static int ng_block_cmp(const void *x, const void *y)
{
	const struct ng_block *a = x, *b = y;

	int c;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	c = memcmp(a->addr, b->addr, a->family == 4 ? 4 : 16);
	if (c)
		return c;
	return a->prefix_len < b->prefix_len ? -1 : a->prefix_len > b->prefix_len;
}

void ng_blocked_sort(struct ng_block_list *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), ng_block_cmp);
}

void ng_blocked_free(struct ng_block_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static const char *ng_block_addr(const struct ng_block *b, char *buf, size_t len)
{
	return inet_ntop(b->family == 6 ? AF_INET6 : AF_INET, b->addr, buf, (socklen_t)len);
}

/* The address column: "10.0.9.5", "2001:db8:1:2::/64". */
static void ng_block_source(const struct ng_block *b, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	ng_block_addr(b, a, sizeof(a));
	if (b->prefix_len)
		snprintf(buf, len, "%s/%u", a, b->prefix_len);
	else
		snprintf(buf, len, "%s", a);
}

/* The columns of one text line. */
struct ng_block_cells {
	char addr[INET6_ADDRSTRLEN + 4];
	char reason[16], left[24], secs[24], hits[16];
};

#define NG_BLOCK_COLS 5

static void ng_block_cells(struct ng_block_cells *x, const struct ng_block *b)
{
	const char *r = ng_detector_name(b->kind);

	ng_block_source(b, x->addr, sizeof(x->addr));
	if (r)
		snprintf(x->reason, sizeof(x->reason), "%s", r);
	else
		snprintf(x->reason, sizeof(x->reason), "kind %u", b->kind);
	if (b->expires_ms < 1000)
		ng_fmt_ms(x->left, sizeof(x->left), b->expires_ms);
	else
		ng_fmt_secs(x->left, sizeof(x->left), b->expires_ms / 1000);
	ng_fmt_secs(x->secs, sizeof(x->secs), b->secs);
	snprintf(x->hits, sizeof(x->hits), "%u", b->hits);
}

static const char *ng_block_col(const struct ng_block_cells *x, int i)
{
	const char *const col[NG_BLOCK_COLS] = { x->addr, x->reason, x->left, x->secs, x->hits };

	return col[i];
}

void ng_blocked_print(FILE *f, const struct ng_block_list *l)
{
	static const char *const titles[NG_BLOCK_COLS] = {
		"address", "reason", "left", "duration", "dropped",
	};
	int w[NG_BLOCK_COLS], i;
	struct ng_block_cells x;
	size_t k;

	for (i = 0; i < NG_BLOCK_COLS; i++)
		w[i] = (int)strlen(titles[i]);
	for (k = 0; k < l->n; k++) {
		ng_block_cells(&x, &l->v[k]);
		for (i = 0; i < NG_BLOCK_COLS; i++)
			if ((int)strlen(ng_block_col(&x, i)) > w[i])
				w[i] = (int)strlen(ng_block_col(&x, i));
	}
	fprintf(f, "%-*s  %-*s  %-*s  %-*s  %*s\n", w[0], titles[0], w[1], titles[1],
		w[2], titles[2], w[3], titles[3], w[4], titles[4]);
	for (k = 0; k < l->n; k++) {
		ng_block_cells(&x, &l->v[k]);
		fprintf(f, "%-*s  %-*s  %-*s  %-*s  %*s\n", w[0], x.addr, w[1], x.reason,
			w[2], x.left, w[3], x.secs, w[4], x.hits);
	}
	fprintf(f, "%zu blocked\n", l->n);
}

json_object *ng_blocked_json(const struct ng_block_list *l)
{
	json_object *arr = json_object_new_array();
	char a[INET6_ADDRSTRLEN];
	size_t k;

	for (k = 0; k < l->n; k++) {
		const struct ng_block *b = &l->v[k];
		json_object *o = json_object_new_object();
		const char *r = ng_detector_name(b->kind);

		json_object_object_add(o, "addr", json_object_new_string(ng_block_addr(b, a, sizeof(a))));
		if (b->prefix_len)
			json_object_object_add(o, "prefix_len", json_object_new_int(b->prefix_len));
		json_object_object_add(o, "reason", r ? json_object_new_string(r) :
				       json_object_new_int(b->kind));
		json_object_object_add(o, "expires_ms", json_object_new_uint64(b->expires_ms));
		json_object_object_add(o, "secs", json_object_new_uint64(b->secs));
		json_object_object_add(o, "hits", json_object_new_uint64(b->hits));
		json_object_array_add(arr, o);
	}
	return arr;
}

/* Clear the bits of @a (16 bytes) past @len. */
static void ng_clear_host_bits(uint8_t *a, unsigned int len)
{
	unsigned int i;

	for (i = len / 8; i < 16; i++)
		a[i] &= i == len / 8 ? (uint8_t)(0xff00 >> (len % 8)) : 0;
}

/* "ADDR/LEN" of command @cmd: an IPv6 prefix into @r; 0 or a usage error. */
static int ng_unblock_prefix(const char *cmd, const char *arg, const char *slash,
			     struct ng_unblock_req *r)
{
	char a[INET6_ADDRSTRLEN + 1];
	size_t alen = (size_t)(slash - arg);
	const char *p;
	unsigned int v = 0;

	if (alen && alen < sizeof(a)) {
		memcpy(a, arg, alen);
		a[alen] = '\0';
		if (inet_pton(AF_INET, a, r->addr) == 1) {
			if (!strcmp(cmd, "block") && !strcmp(slash, "/32")) {
				r->alen = 4;
				inet_ntop(AF_INET, r->addr, r->text, sizeof(r->text));
				return 0;
			}
			return ng_usage_error("%s: '%s': IPv4 sources are blocked one address at a time; give the address%s",
					      cmd, arg, strcmp(cmd, "block") ? " (or 'all')" : "");
		}
	}
	if (!alen || alen >= sizeof(a) || inet_pton(AF_INET6, a, r->addr) != 1)
		return ng_usage_error("%s: '%s' is not an IPv6 prefix ADDR/LEN", cmd, arg);
	for (p = slash + 1; *p >= '0' && *p <= '9' && v <= 128; p++)
		v = v * 10 + (unsigned int)(*p - '0');
	if (p == slash + 1 || *p || v < 1 || v > 128)
		return ng_usage_error("%s: bad prefix length in '%s' (1..128)", cmd, arg);
	ng_clear_host_bits(r->addr, v);
	r->alen = 16;
	r->prefix_len = (uint8_t)v;
	ng_fmt_prefix(r->text, sizeof(r->text), AF_INET6, r->addr, r->prefix_len);
	return 0;
}

/* An address, IPv6 prefix or (@all) "all" for command @cmd into @r. */
static int ng_addr_arg(const char *cmd, const char *arg, bool all, struct ng_unblock_req *r)
{
	const char *slash = strchr(arg, '/');

	memset(r, 0, sizeof(*r));
	if (slash)
		return ng_unblock_prefix(cmd, arg, slash, r);
	if (inet_pton(AF_INET, arg, r->addr) == 1)
		r->alen = 4;
	else if (inet_pton(AF_INET6, arg, r->addr) == 1)
		r->alen = 16;
	else if (!all || strcmp(arg, "all"))
		return ng_usage_error("%s: '%s' is not an IPv4 or IPv6 address%s",
				      cmd, arg, all ? ", an IPv6 prefix ADDR/LEN or 'all'" :
				      " or an IPv6 prefix ADDR/LEN");
	if (r->alen)
		inet_ntop(r->alen == 4 ? AF_INET : AF_INET6, r->addr, r->text, sizeof(r->text));
	else
		snprintf(r->text, sizeof(r->text), "all");
	return 0;
}

int ng_unblock_parse(const char *arg, struct ng_unblock_req *r)
{
	return ng_addr_arg("unblock", arg, true, r);
}

int ng_block_parse_args(const char *addr, const char *duration, struct ng_block_req *r)
{
	uint64_t ms = 0;
	int rc;

	memset(r, 0, sizeof(*r));
	rc = ng_addr_arg("block", addr, false, &r->src);
	if (rc)
		return rc;
	rc = ng_scan_duration(duration, strlen(duration), (uint64_t)NGUARD_MAX_BLOCK_SECS * 1000,
			      &ms);
	if (rc == NG_DUR_OK && ms < 1000)
		rc = NG_DUR_RANGE;
	switch (rc) {
	case NG_DUR_OK:
		r->secs = (uint32_t)(ms / 1000);
		return 0;
	case NG_DUR_NO_UNIT:
		return ng_usage_error("block: duration '%s' needs a unit (s, m, h or d): '%ss'?",
				      duration, duration);
	case NG_DUR_MS:
		return ng_usage_error("block: block durations are whole seconds: '%s' (units s, m, h or d)",
				      duration);
	case NG_DUR_RANGE:
		return ng_usage_error("block: duration '%s' is out of range (1s..7d, NGUARD_MAX_BLOCK_SECS)",
				      duration);
	}
	return ng_usage_error("block: bad duration '%s' (a number and a unit: s, m, h or d, like 600s or 1h)",
			      duration);
}
