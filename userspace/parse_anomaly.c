// SPDX-License-Identifier: GPL-2.0-only
/*
 * The statements of "Rate limits and anomaly detection" in
 * Documentation/policy-language.md: "limit conn", "limit source",
 * "log rate", "detect KIND ..." and "ipv6 source prefix" ("trackers max"
 * and "blocked max" are ng_parse_max() in parser.c, "exempt" is
 * parse_exempt.c). Every default is filled in, so the model and the
 * kernel always see explicit values. The argument helpers here read the
 * rates, counts and durations these statements take.
 */
#include <string.h>
#include "parse_anomaly.h"
#include "parse_ctx.h"
#include "parse_ports.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* "ipv6 source prefix N", N in 48..128, at most once. */
void ng_parse_ipv6(struct ng_parser *ps)
{
	const struct ng_tok *t = ps->lx.toks;
	uint64_t v;

	if (!ng_once(ps, &ps->ipv6_line, "ipv6 source prefix"))
		return;
	if (!ng_expect_word(ps, 1, "source", "ipv6") ||
	    !ng_expect_word(ps, 2, "prefix", "ipv6 source"))
		return;
	if (ps->lx.ntok < 4) {
		ng_err(ps, ng_tok_after(&t[2]), "expected a prefix length after 'ipv6 source prefix'");
		return;
	}
	if (ng_scan_uint(t[3].s, t[3].len, NG_IPV6_SRC_PREFIX_MAX, &v) ||
	    v < NG_IPV6_SRC_PREFIX_MIN) {
		ng_err(ps, t[3].col, "bad IPv6 source prefix length '%s' (%d..%d)", NG_Q(&t[3]),
		       NG_IPV6_SRC_PREFIX_MIN, NG_IPV6_SRC_PREFIX_MAX);
		return;
	}
	ps->p->ipv6_src_prefix = (uint8_t)v;
	ng_expect_end(ps, 4, "ipv6 source prefix");
}

/* The packet rate "N/s" at token @i, N in 1..@max, after @ctx. */
static bool rate_arg(struct ng_parser *ps, size_t i, const char *what, uint64_t max,
		     const char *ctx, uint64_t *v)
{
	const struct ng_tok *t = &ps->lx.toks[i];
	int rc;

	if (i >= ps->lx.ntok) {
		ng_err(ps, ng_tok_after(&ps->lx.toks[i - 1]), "expected a rate like '100/s' after '%s'", ctx);
		return false;
	}
	if (!ng_is_digit(t->s[0])) {
		ng_err(ps, t->col, "expected a rate like '100/s' after '%s', got '%s'", ctx, NG_Q(t));
		return false;
	}
	rc = ng_scan_rate(t, false, max, v);
	if (rc == -1)
		ng_err(ps, t->col, "bad rate '%s': rates are per second, like '100/s'", NG_Q(t));
	else if (rc)
		ng_err(ps, t->col, "bad %s '%s' (1/s..%llu/s)", what, NG_Q(t), (unsigned long long)max);
	return !rc;
}

/* "WORD N" at tokens @i, @i + 1 with N in @min..@max. */
static bool count_arg(struct ng_parser *ps, size_t i, const char *what, uint64_t min,
		      uint64_t max, uint64_t *v)
{
	const struct ng_tok *t = &ps->lx.toks[i];

	if (i + 1 >= ps->lx.ntok) {
		ng_err(ps, ng_tok_after(t), "expected a number after '%s'", NG_Q(t));
		return false;
	}
	t++;
	if (ng_scan_uint(t->s, t->len, max, v) || *v < min) {
		ng_err(ps, t->col, "bad %s '%s' (%llu..%llu)", what, NG_Q(t), (unsigned long long)min,
		       (unsigned long long)max);
		return false;
	}
	return true;
}

/* The duration after "window" (@window) or "block" at token @i, into *@ms. */
static bool duration_arg(struct ng_parser *ps, size_t i, bool window, uint64_t *ms)
{
	const char *units = window ? "ms, s, m, h or d" : "s, m, h or d";
	const struct ng_tok *t = &ps->lx.toks[i];
	uint64_t max = window ? NG_WINDOW_MAX_MS : (uint64_t)NGUARD_MAX_BLOCK_SECS * 1000;
	int rc;

	if (i + 1 >= ps->lx.ntok) {
		ng_err(ps, ng_tok_after(t), "expected a duration after '%s', like %s", NG_Q(t),
		       window ? "'3s' or '500ms'" : "'600s' or '1h'");
		return false;
	}
	t++;
	rc = ng_scan_duration(t->s, t->len, max, ms);
	if (rc == NG_DUR_MS && window)
		rc = NG_DUR_OK;
	if (rc == NG_DUR_OK && *ms < (window ? NG_WINDOW_MIN_MS : 1000))
		rc = NG_DUR_RANGE;
	switch (rc) {
	case NG_DUR_OK:
		return true;
	case NG_DUR_NO_UNIT:
		ng_err(ps, t->col, "duration '%s' needs a unit (%s): '%ss'?", NG_Q(t), units, NG_Q(t));
		break;
	case NG_DUR_MS:
		ng_err(ps, t->col, "block durations are whole seconds: '%s' (units s, m, h or d)", NG_Q(t));
		break;
	case NG_DUR_RANGE:
		if (window)
			ng_err(ps, t->col, "window '%s' is out of range (100ms..1h)", NG_Q(t));
		else
			ng_err(ps, t->col, "block duration '%s' is out of range (1s..7d, NGUARD_MAX_BLOCK_SECS)",
			       NG_Q(t));
		break;
	default:
		ng_err(ps, t->col, "bad duration '%s' (a number and a unit: %s)", NG_Q(t), units);
	}
	return false;
}

/*
 * "limit source N": N connections per source, 1..NGUARD_MAX_CONNS, at
 * most once. Not a rate: a rate-like N gets a pointer to "limit conn".
 */
static void parse_limit_source(struct ng_parser *ps)
{
	const struct ng_tok *t = ps->lx.toks;
	uint64_t v = 0;
	size_t i;

	if (!ng_once(ps, &ps->src.limit_source_line, "limit source"))
		return;
	if (ps->lx.ntok < 3) {
		ng_err(ps, ng_tok_after(&t[1]), "expected a number of connections after 'limit source', like 'limit source 100'");
		return;
	}
	for (i = 0; i < t[2].len && ng_is_digit(t[2].s[i]); i++)
		;
	if (i < t[2].len || !t[2].len) {
		if (memchr(t[2].s, '/', t[2].len))
			ng_err(ps, t[2].col, "bad source limit '%s': 'limit source' takes a number of connections, not a rate (per-connection rates are 'limit conn RATE/s')",
			       NG_Q(&t[2]));
		else
			ng_err(ps, t[2].col, "bad source limit '%s': expected a number of connections, like 'limit source 100'",
			       NG_Q(&t[2]));
		return;
	}
	if (ng_scan_uint(t[2].s, t[2].len, NG_LIMIT_SOURCE_MAX, &v) || v < NG_LIMIT_SOURCE_MIN) {
		ng_err(ps, t[2].col, "source limit '%s' is out of range (%d..%d connections per source, NGUARD_MAX_CONNS); for no limit, leave 'limit source' out",
		       NG_Q(&t[2]), NG_LIMIT_SOURCE_MIN, NG_LIMIT_SOURCE_MAX);
		return;
	}
	ps->p->limit_source = (uint32_t)v;
	ps->src.limit_source_col = t[2].col;
	ng_expect_end(ps, 3, "limit source");
}

/*
 * "limit conn [RATE/s [burst N]] [bytes SIZE/s [burst SIZE]]", or
 * "limit source N" (parse_limit_source).
 */
void ng_parse_limit(struct ng_parser *ps)
{
	struct ng_tok *t = ps->lx.toks;
	struct ng_limit l = { 0 };
	size_t i = 2;
	uint64_t v;

	if (ps->lx.ntok < 2 || (!ng_tok_is(&t[1], "conn") && !ng_tok_is(&t[1], "source"))) {
		if (ps->lx.ntok < 2)
			ng_err(ps, ng_tok_after(&t[0]), "expected 'conn' or 'source' after 'limit'");
		else
			ng_err(ps, t[1].col, "expected 'conn' or 'source' after 'limit', got '%s'", NG_Q(&t[1]));
		return;
	}
	if (ng_tok_is(&t[1], "source")) {
		parse_limit_source(ps);
		return;
	}
	if (!ng_once(ps, &ps->limit_line, "limit conn"))
		return;
	if (ps->lx.ntok < 3) {
		ng_err(ps, ng_tok_after(&t[1]), "expected a packet rate like '100/s' or 'bytes SIZE/s' after 'limit conn'");
		return;
	}
	if (!ng_tok_is(&t[i], "bytes")) {
		if (!rate_arg(ps, i, "packet rate", UINT32_MAX, "limit conn", &v))
			return;
		l.rate = (uint32_t)v;
		l.burst = (uint32_t)min_u64(2 * v, UINT32_MAX);
		i++;
		if (i < ps->lx.ntok && ng_tok_is(&t[i], "burst")) {
			if (!count_arg(ps, i, "burst", 1, UINT32_MAX, &v))
				return;
			l.burst = (uint32_t)v;
			i += 2;
		}
	}
	if (i < ps->lx.ntok && ng_tok_is(&t[i], "bytes")) {
		if (++i >= ps->lx.ntok) {
			ng_err(ps, ng_tok_after(&t[i - 1]), "expected a byte rate like '50M/s' after 'bytes'");
			return;
		}
		if (ng_scan_rate(&t[i], true, NG_BYTES_MAX, &v)) {
			ng_err(ps, t[i].col, "bad byte rate '%s' (1/s..1000G/s; K, M, G are 1000-based, Ki, Mi, Gi 1024-based)",
			       NG_Q(&t[i]));
			return;
		}
		l.bytes = v;
		l.bytes_burst = min_u64(2 * v, NG_BYTES_MAX);
		if (l.bytes_burst < NG_BYTES_BURST_MIN)
			l.bytes_burst = NG_BYTES_BURST_MIN;
		i++;
		if (i < ps->lx.ntok && ng_tok_is(&t[i], "burst")) {
			if (i + 1 >= ps->lx.ntok) {
				ng_err(ps, ng_tok_after(&t[i]), "expected a size after 'burst', like '100M'");
				return;
			}
			i++;
			if (ng_scan_size(t[i].s, t[i].len, NG_BYTES_MAX, &v) || !v) {
				ng_err(ps, t[i].col, "bad byte burst '%s' (1..1000G; K, M, G are 1000-based, Ki, Mi, Gi 1024-based)",
				       NG_Q(&t[i]));
				return;
			}
			if (v < NG_BYTES_BURST_MIN)
				ng_warn(ps, t[i].col, "byte burst '%s' is below 64Ki (65536): a larger packet (a GRO aggregate is up to 64 KiB) may never fit it",
					NG_Q(&t[i]));
			l.bytes_burst = v;
			i++;
		}
	}
	ps->p->limit = l;
	ng_expect_end(ps, i, "limit conn");
}

/* "log rate RATE/s [burst N]" */
void ng_parse_log(struct ng_parser *ps)
{
	struct ng_tok *t = ps->lx.toks;
	uint64_t v, b;
	size_t i = 3;

	if (!ng_once(ps, &ps->log_line, "log rate"))
		return;
	if (ps->lx.ntok < 2 || !ng_tok_is(&t[1], "rate")) {
		if (ps->lx.ntok < 2)
			ng_err(ps, ng_tok_after(&t[0]), "expected 'rate' after 'log'");
		else
			ng_err(ps, t[1].col, "expected 'rate' after 'log', got '%s'", NG_Q(&t[1]));
		return;
	}
	if (!rate_arg(ps, 2, "log rate", NG_LOG_RATE_MAX, "log rate", &v))
		return;
	b = min_u64(2 * v, NG_LOG_BURST_MAX);
	if (i < ps->lx.ntok && ng_tok_is(&t[i], "burst")) {
		if (!count_arg(ps, i, "log burst", 1, NG_LOG_BURST_MAX, &b))
			return;
		i += 2;
	}
	ps->p->log_rate = (uint32_t)v;
	ps->p->log_burst = (uint32_t)b;
	ng_expect_end(ps, i, "log rate");
}

static const struct {
	const char *name;
	uint8_t kind;
	const char *params;	/* the words that may follow, for messages */
} detectors[] = {
	{ "synflood", NG_DET_SYNFLOOD, "burst or action" },
	{ "portscan", NG_DET_PORTSCAN, "weight, window or action" },
	{ "sweep", NG_DET_SWEEP, "hosts, window or action" },
	{ "tcpflags", NG_DET_TCPFLAGS, "action" },
	{ "bruteforce", NG_DET_BRUTEFORCE, "hits, window or action" },
};

#define NG_DETECTOR_LIST	"synflood, portscan, sweep, tcpflags or bruteforce"

/* One item of a bruteforce port list. */
static bool add_service_port(struct ng_parser *ps, const struct ng_tok *item, uint16_t lo,
			     uint16_t hi, void *ctx)
{
	struct ng_detect *d = ctx;

	if (d->n_ports >= NGUARD_MAX_DETECT_PORTS) {
		ng_err(ps, item->col, "too many ports in one bruteforce detector: the limit is %d ranges (NGUARD_MAX_DETECT_PORTS)",
		       NGUARD_MAX_DETECT_PORTS);
		return false;
	}
	d->ports[d->n_ports].lo = lo;
	d->ports[d->n_ports].hi = hi;
	d->n_ports++;
	return true;
}

/*
 * Bruteforce's service at token @i: "tcp PORTS", "udp PORTS" or a
 * protocol number with ports ("132 PORTS", "proto 132 PORTS"). Tokens
 * used, 0 on error.
 */
static size_t service_arg(struct ng_parser *ps, size_t i, struct ng_detect *d)
{
	const struct ng_tok *t = ps->lx.toks;
	size_t n = 1;
	uint64_t v;

	if (i >= ps->lx.ntok || ng_tok_is(&t[i], "action") || ng_tok_is(&t[i], "hits") ||
	    ng_tok_is(&t[i], "window")) {
		ng_err(ps, i < ps->lx.ntok ? t[i].col : ng_tok_after(&t[i - 1]),
		       "expected the service after 'detect bruteforce [from SEG] [to SEG]': a protocol and its ports, e.g. 'tcp 22'");
		return 0;
	}
	if (ng_tok_is(&t[i], "tcp")) {
		d->proto = 6;
	} else if (ng_tok_is(&t[i], "udp")) {
		d->proto = 17;
	} else {
		if (ng_tok_is(&t[i], "proto") && i + 1 < ps->lx.ntok) {
			i++;
			n++;
		}
		if (ng_scan_uint(t[i].s, t[i].len, 255, &v) || !ng_proto_has_ports((uint8_t)v)) {
			ng_err(ps, t[i].col, "bad protocol '%s' for bruteforce: tcp, udp, 132 (sctp) or 136 (udplite), with ports",
			       NG_Q(&t[i]));
			return 0;
		}
		d->proto = (uint8_t)v;
	}
	if (i + 1 >= ps->lx.ntok || !ng_is_digit(t[i + 1].s[0])) {
		ng_err(ps, i + 1 < ps->lx.ntok ? t[i + 1].col : ng_tok_after(&t[i]),
		       "expected ports after '%s', e.g. 22 or 22,2222 or 8000-8100", NG_Q(&t[i]));
		return 0;
	}
	if (!ng_parse_port_list(ps, &t[i + 1], add_service_port, d))
		return 0;
	return n + 1;
}

/* "action log|drop|block DURATION" at token @i; tokens used, 0 on error. */
static size_t action_arg(struct ng_parser *ps, size_t i, struct ng_detect *d)
{
	const struct ng_tok *t = &ps->lx.toks[i];
	uint64_t ms;

	if (i + 1 >= ps->lx.ntok) {
		ng_err(ps, ng_tok_after(t), "expected log, drop or block after 'action'");
		return 0;
	}
	t++;
	if (ng_tok_is(t, "log")) {
		d->action = NG_ACT_LOG;
	} else if (ng_tok_is(t, "drop")) {
		d->action = NG_ACT_DROP;
	} else if (ng_tok_is(t, "block")) {
		if (!duration_arg(ps, i + 1, false, &ms))
			return 0;
		d->action = NG_ACT_BLOCK;
		d->block_secs = (uint32_t)(ms / 1000);
		return 3;
	} else {
		ng_err(ps, t->col, "unknown action '%s' (log, drop or block DURATION)", NG_Q(t));
		return 0;
	}
	return 2;
}

/* "detect KIND [from SEG] [to SEG] [RATE/s] PARAM... action ACTION" */
void ng_parse_detect(struct ng_parser *ps)
{
	enum { P_BURST = 1, P_WEIGHT = 2, P_WINDOW = 4, P_HOSTS = 8, P_ACTION = 16, P_HITS = 32 };
	struct ng_tok *t = ps->lx.toks;
	unsigned int seen = 0;
	struct ng_detect *d;
	size_t di, i = 2, k, n;
	uint64_t v;

	if (ps->lx.ntok < 2) {
		ng_err(ps, ng_tok_after(&t[0]), "expected a detector after 'detect' (" NG_DETECTOR_LIST ")");
		return;
	}
	for (k = 0; k < ARRAY_SIZE(detectors); k++)
		if (ng_tok_is(&t[1], detectors[k].name))
			break;
	if (k == ARRAY_SIZE(detectors)) {
		ng_err(ps, t[1].col, "unknown detector '%s' (" NG_DETECTOR_LIST ")",
		       NG_Q(&t[1]));
		return;
	}
	if (ps->p->n_dets >= NGUARD_MAX_DETECTORS) {
		ng_err(ps, t[0].col, "too many detectors: the limit is %d (NGUARD_MAX_DETECTORS)",
		       NGUARD_MAX_DETECTORS);
		return;
	}
	d = ng_policy_add_detect(ps->p);
	if (!d) {
		ng_parse_oom(ps);
		return;
	}
	di = ps->p->n_dets - 1;
	ps->src.det_col[di] = t[1].col;
	d->kind = detectors[k].kind;
	d->line = ps->lx.line;
	if (d->kind == NG_DET_PORTSCAN) {
		d->weight = NG_PORTSCAN_WEIGHT;
		d->window_ms = NG_PORTSCAN_WINDOW_MS;
	} else if (d->kind == NG_DET_SWEEP) {
		d->hosts = NG_SWEEP_HOSTS;
		d->window_ms = NG_SWEEP_WINDOW_MS;
	} else if (d->kind == NG_DET_BRUTEFORCE) {
		d->hits = NG_BRUTE_HITS;
		d->window_ms = NG_BRUTE_WINDOW_MS;
	}
	if (i < ps->lx.ntok && ng_tok_is(&t[i], "from")) {
		if (i + 1 >= ps->lx.ntok) {
			ng_err(ps, ng_tok_after(&t[i]), "expected a segment after 'from'");
			return;
		}
		ng_endpoint(ps, &t[i + 1], &d->from, di, true, false);
		i += 2;
	}
	if (i < ps->lx.ntok && ng_tok_is(&t[i], "to")) {
		if (i + 1 >= ps->lx.ntok) {
			ng_err(ps, ng_tok_after(&t[i]), "expected a segment after 'to'");
			return;
		}
		ng_endpoint(ps, &t[i + 1], &d->to, di, true, true);
		i += 2;
	}
	if (d->kind == NG_DET_SYNFLOOD) {
		if (!rate_arg(ps, i, "synflood rate", NG_SYNFLOOD_MAX, "detect synflood", &v))
			return;
		d->rate = (uint32_t)v;
		d->burst = (uint32_t)min_u64(2 * v, NG_SYNFLOOD_MAX);
		i++;
	} else if (d->kind == NG_DET_BRUTEFORCE) {
		n = service_arg(ps, i, d);
		if (!n)
			return;
		i += n;
	}
	while (i < ps->lx.ntok) {
		const struct ng_tok *w = &t[i];
		unsigned int param = 0;

		if (ng_tok_is(w, "burst") && d->kind == NG_DET_SYNFLOOD)
			param = P_BURST;
		else if (ng_tok_is(w, "weight") && d->kind == NG_DET_PORTSCAN)
			param = P_WEIGHT;
		else if (ng_tok_is(w, "window") && (d->kind == NG_DET_PORTSCAN || d->kind == NG_DET_SWEEP ||
						    d->kind == NG_DET_BRUTEFORCE))
			param = P_WINDOW;
		else if (ng_tok_is(w, "hits") && d->kind == NG_DET_BRUTEFORCE)
			param = P_HITS;
		else if (ng_tok_is(w, "hosts") && d->kind == NG_DET_SWEEP)
			param = P_HOSTS;
		else if (ng_tok_is(w, "action"))
			param = P_ACTION;
		if (!param) {
			if (ng_tok_is(w, "from") || ng_tok_is(w, "to"))
				ng_err(ps, w->col, "the scope must come right after the detector name: 'detect %s from SEG to SEG ...'",
				       detectors[k].name);
			else
				ng_err(ps, w->col, "unexpected '%s' in 'detect %s' (expected %s)", NG_Q(w),
				       detectors[k].name, detectors[k].params);
			return;
		}
		if (seen & param) {
			ng_err(ps, w->col, "'%s' is given twice", NG_Q(w));
			return;
		}
		seen |= param;
		n = 2;
		switch (param) {
		case P_BURST:
			if (!count_arg(ps, i, "burst", 1, NG_SYNFLOOD_MAX, &v))
				return;
			d->burst = (uint32_t)v;
			break;
		case P_WEIGHT:
			if (!count_arg(ps, i, "weight", 1, NG_WEIGHT_MAX, &v))
				return;
			d->weight = (uint32_t)v;
			if (v > NG_PSD_SCORE_REACH)
				ng_warn(ps, t[i + 1].col, "'weight %s' is never reached: the module remembers 64 ports per source, a score of at most %d",
					NG_Q(&t[i + 1]), NG_PSD_SCORE_REACH);
			break;
		case P_WINDOW:
			if (!duration_arg(ps, i, true, &v))
				return;
			if (d->kind == NG_DET_BRUTEFORCE && v < NGUARD_BRUTEFORCE_WINDOW_MIN_MS) {
				ng_err(ps, t[i + 1].col, "a bruteforce window is at least 1s, not '%s'",
				       NG_Q(&t[i + 1]));
				return;
			}
			d->window_ms = (uint32_t)v;
			break;
		case P_HITS:
			if (!count_arg(ps, i, "hits", NGUARD_BRUTEFORCE_HITS_MIN,
				       NGUARD_BRUTEFORCE_HITS_MAX, &v))
				return;
			d->hits = (uint32_t)v;
			break;
		case P_HOSTS:
			if (!count_arg(ps, i, "hosts", NG_HOSTS_MIN, NG_HOSTS_MAX, &v))
				return;
			d->hosts = (uint32_t)v;
			if (v > NG_SWEEP_HOSTS_REACH)
				ng_warn(ps, t[i + 1].col, "'hosts %s' is never reached: the module counts at most %d hosts per source and segment",
					NG_Q(&t[i + 1]), NG_SWEEP_HOSTS_REACH);
			break;
		case P_ACTION:
			n = action_arg(ps, i, d);
			if (!n)
				return;
			break;
		}
		i += n;
	}
	if (!d->action)
		ng_err(ps, ng_tok_after(&t[ps->lx.ntok - 1]), "missing 'action' (log, drop or block DURATION) in 'detect %s'",
		       detectors[k].name);
}
