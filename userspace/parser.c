// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hand-written policy-file parser: splits lines into blank-separated
 * tokens, parses one statement per line into struct ng_policy, then
 * resolves the segment names of rules, detectors and exempt lines, drops
 * or rejects duplicate members (sort + scan, O(n log n); exempt members,
 * at most NGUARD_MAX_EXEMPT, by a scan as they come), checks detector
 * scopes and the uapi limits. Every problem is collected in struct
 * ng_diag with its line and column.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "parser.h"

#define SEG_HASH_SIZE	8192	/* > 2 * NGUARD_MAX_SEGMENTS: load <= 0.5 */
#define DEAD_LEN	0xff	/* marks a dropped duplicate prefix */
#define QBUF		200	/* quoted token in a message */

struct tok {
	const char *s;
	size_t len;
	unsigned int col;
};

/* A segment name used in a rule or detector, resolved after the whole file is read. */
struct ref {
	size_t idx;		/* rule or detector index */
	bool det;		/* a detector's scope, not a rule */
	bool dst;		/* DST / "to" */
	const char *s;
	size_t len;
	unsigned int line, col;
};

/* A segment named in an exempt line, resolved like a struct ref. */
struct xref {
	size_t idx;		/* exempt line */
	size_t pos;		/* index into its segs */
	const char *s;
	size_t len;
	unsigned int line, col;
};

/* One member as written, for duplicate detection and limit checks. */
struct rec4 {
	uint32_t addr;
	uint8_t len;
	uint8_t dead;
	uint16_t seg;		/* index into policy segs */
	uint32_t idx;		/* index into the segment's array */
	unsigned int line, col;
};

struct rec6 {
	uint8_t addr[16];
	uint8_t len;
	uint8_t dead;
	uint16_t seg;
	uint32_t idx;
	unsigned int line, col;
};

struct recif {
	char name[NG_IFNAMSIZ];
	uint8_t dead;
	uint16_t seg;
	uint32_t idx;
	unsigned int line, col;
};

struct parser {
	struct ng_policy *p;
	struct ng_diag *d;
	bool stop;		/* too many errors or out of memory */
	unsigned int line;
	const char *line_start;
	struct tok *toks;
	size_t ntok, cap_tok;
	unsigned int mode_line, def_line, conns_line;
	unsigned int trackers_line, blocked_line, log_line, limit_line, ipv6_line;
	unsigned int limit_source_line, limit_source_col;
	unsigned int det_col[NGUARD_MAX_DETECTORS];	/* column of each detector's kind */
	uint16_t seg_hash[SEG_HASH_SIZE];	/* segment index + 1, 0 = empty */
	unsigned int *seg_col;	/* column of each segment's first name */
	size_t cap_seg_col;
	size_t last_seg;	/* lookup cache, index + 1 */
	struct ref *refs;
	size_t nref, cap_ref;
	struct rec4 *r4;
	size_t n4, cap4;
	struct rec6 *r6;
	size_t n6, cap6;
	struct recif *rif;
	size_t nif, capif;
	struct xref *xrefs;
	size_t nxref, cap_xref;
	size_t n_exempt;	/* exempt members kept so far */
	bool exempt_full;	/* NGUARD_MAX_EXEMPT reported */
};

/* ---- diagnostics ---- */

void ng_diag_init(struct ng_diag *d)
{
	memset(d, 0, sizeof(*d));
}

void ng_diag_free(struct ng_diag *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		free(d->msgs[i].text);
	free(d->msgs);
	free(d->file);
	ng_diag_init(d);
}

static const char *diag_file(const struct ng_diag *d)
{
	return d->file ? d->file : "<input>";
}

void ng_diag_print(FILE *f, const struct ng_diag *d)
{
	unsigned int kept_warn = 0;
	size_t i;

	for (i = 0; i < d->n; i++) {
		const struct ng_diag_msg *m = &d->msgs[i];
		const char *sev = m->sev == NG_SEV_ERROR ? "error" : "warning";

		if (m->sev == NG_SEV_WARNING)
			kept_warn++;
		if (m->line)
			fprintf(f, "%s:%u:%u: %s: %s\n", diag_file(d), m->line, m->col,
				sev, m->text);
		else
			fprintf(f, "%s: %s: %s\n", diag_file(d), sev, m->text);
	}
	if (d->warnings > kept_warn)
		fprintf(f, "%s: warning: %u more warnings not shown\n", diag_file(d),
			d->warnings - kept_warn);
	if (d->too_many)
		fprintf(f, "%s: error: too many errors; stopped after %d\n",
			diag_file(d), NG_DIAG_MAX_ERRORS);
}

static void oom(struct parser *ps);

static void __attribute__((format(printf, 5, 0)))
vreport(struct parser *ps, enum ng_severity sev, unsigned int line,
	unsigned int col, const char *fmt, va_list ap)
{
	struct ng_diag *d = ps->d;
	struct ng_diag_msg *m;
	char *text = NULL;

	if (sev == NG_SEV_ERROR) {
		if (d->errors++ >= NG_DIAG_MAX_ERRORS) {
			d->too_many = true;
			ps->stop = true;
			return;
		}
	} else if (d->warnings++ >= NG_DIAG_MAX_WARNINGS) {
		return;
	}
	if (vasprintf(&text, fmt, ap) < 0) {
		oom(ps);
		return;
	}
	if (ng_grow(&d->msgs, &d->cap, d->n + 1, sizeof(*m))) {
		free(text);
		oom(ps);
		return;
	}
	m = &d->msgs[d->n++];
	m->sev = sev;
	m->line = line;
	m->col = col;
	m->text = text;
}

static void __attribute__((format(printf, 5, 6)))
report(struct parser *ps, enum ng_severity sev, unsigned int line, unsigned int col,
       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(ps, sev, line, col, fmt, ap);
	va_end(ap);
}

/* An error at column @col of the current line. */
static void __attribute__((format(printf, 3, 4)))
err(struct parser *ps, unsigned int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(ps, NG_SEV_ERROR, ps->line, col, fmt, ap);
	va_end(ap);
}

static void oom(struct parser *ps)
{
	struct ng_diag *d = ps->d;

	if (ps->stop && d->n && !strcmp(d->msgs[d->n - 1].text, "out of memory"))
		return;
	ps->stop = true;
	d->errors++;
	/* Reuse the last slot if even that cannot grow. */
	if (!ng_grow(&d->msgs, &d->cap, d->n + 1, sizeof(*d->msgs))) {
		d->msgs[d->n].sev = NG_SEV_ERROR;
		d->msgs[d->n].line = 0;
		d->msgs[d->n].col = 0;
		d->msgs[d->n].text = strdup("out of memory");
		if (d->msgs[d->n].text)
			d->n++;
	}
}

struct msg_at {
	struct ng_diag_msg m;
	size_t i;		/* report order */
};

/* Messages in position order; equal positions keep their report order. */
static int msg_cmp(const void *a, const void *b)
{
	const struct msg_at *x = a, *y = b;

	if (x->m.line != y->m.line)
		return x->m.line < y->m.line ? -1 : 1;
	if (x->m.col != y->m.col)
		return x->m.col < y->m.col ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static void diag_sort(struct ng_diag *d)
{
	struct msg_at *tmp;
	size_t i;

	if (d->n < 2)
		return;
	tmp = malloc(d->n * sizeof(*tmp));
	if (!tmp)
		return;
	for (i = 0; i < d->n; i++) {
		tmp[i].m = d->msgs[i];
		tmp[i].i = i;
	}
	qsort(tmp, d->n, sizeof(*tmp), msg_cmp);
	for (i = 0; i < d->n; i++)
		d->msgs[i] = tmp[i].m;
	free(tmp);
}

/* ---- tokens ---- */

/* A token for a message: at most 40 bytes, unprintable bytes escaped. */
static const char *quote(char *buf, const char *s, size_t len)
{
	size_t i, o = 0;

	for (i = 0; i < len && i < 40; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			buf[o++] = (char)c;
		else
			o += (size_t)snprintf(buf + o, QBUF - o, "\\x%02x", c);
	}
	if (len > 40) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

#define Q(t) quote((char[QBUF]){ 0 }, (t)->s, (t)->len)

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static bool tok_is(const struct tok *t, const char *word)
{
	size_t n = strlen(word);

	return t->len == n && !memcmp(t->s, word, n);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Column just after token @t: where a missing next token would be. */
static unsigned int after(const struct tok *t)
{
	return t->col + (unsigned int)t->len;
}

/* Decimal digits only; 0 and *out on success, -1 if not a number <= @max. */
static int parse_uint(const char *s, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (!len)
		return -1;
	for (i = 0; i < len; i++) {
		if (!is_digit(s[i]))
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
		if (v > max)
			return -2;
	}
	*out = v;
	return 0;
}

/* Split one line into tokens; false (and an error) on a NUL byte. */
static bool tokenize(struct parser *ps, const char *s, size_t len)
{
	size_t i = 0;

	ps->ntok = 0;
	while (i < len) {
		size_t start;

		if (is_blank(s[i])) {
			i++;
			continue;
		}
		if (s[i] == '#')
			break;
		start = i;
		while (i < len && !is_blank(s[i]) && s[i] != '#' && s[i] != '\0')
			i++;
		if (i < len && s[i] == '\0') {
			err(ps, (unsigned int)(i + 1), "NUL byte in policy text");
			return false;
		}
		if (ng_grow(&ps->toks, &ps->cap_tok, ps->ntok + 1, sizeof(*ps->toks))) {
			oom(ps);
			return false;
		}
		ps->toks[ps->ntok].s = s + start;
		ps->toks[ps->ntok].len = i - start;
		ps->toks[ps->ntok].col = (unsigned int)(start + 1);
		ps->ntok++;
	}
	return true;
}

/* Error for every token after the statement's last expected one. */
static void expect_end(struct parser *ps, size_t i, const char *stmt)
{
	if (i < ps->ntok)
		err(ps, ps->toks[i].col, "unexpected '%s' at the end of '%s'",
		    Q(&ps->toks[i]), stmt);
}

/* ---- mode, default, conns ---- */

static bool once(struct parser *ps, unsigned int *seen, const char *what)
{
	if (*seen) {
		err(ps, ps->toks[0].col, "'%s' is already set on line %u", what, *seen);
		return false;
	}
	*seen = ps->line;
	return true;
}

static void parse_mode(struct parser *ps)
{
	struct tok *t = ps->toks;

	if (!once(ps, &ps->mode_line, "mode"))
		return;
	if (ps->ntok < 2) {
		err(ps, after(&t[0]), "expected 'enforce' or 'monitor' after 'mode'");
		return;
	}
	if (tok_is(&t[1], "enforce"))
		ps->p->mode = NG_MODE_ENFORCE;
	else if (tok_is(&t[1], "monitor"))
		ps->p->mode = NG_MODE_MONITOR;
	else
		err(ps, t[1].col, "expected 'enforce' or 'monitor' after 'mode', got '%s'", Q(&t[1]));
	expect_end(ps, 2, "mode");
}

static void parse_default(struct parser *ps)
{
	struct tok *t = ps->toks;

	if (!once(ps, &ps->def_line, "default"))
		return;
	if (ps->ntok < 2) {
		err(ps, after(&t[0]), "expected 'allow' or 'deny' after 'default'");
		return;
	}
	if (tok_is(&t[1], "allow"))
		ps->p->def = NG_ALLOW;
	else if (tok_is(&t[1], "deny"))
		ps->p->def = NG_DENY;
	else
		err(ps, t[1].col, "expected 'allow' or 'deny' after 'default', got '%s'", Q(&t[1]));
	expect_end(ps, 2, "default");
}

/* "WORD max N", N in 1..@limit, at most once; @what names N in messages. */
static void parse_max(struct parser *ps, unsigned int *seen, const char *stmt,
		      const char *what, uint32_t limit, uint32_t *out)
{
	struct tok *t = ps->toks;
	uint64_t v;

	if (!once(ps, seen, stmt))
		return;
	if (ps->ntok < 2 || !tok_is(&t[1], "max")) {
		if (ps->ntok < 2)
			err(ps, after(&t[0]), "expected 'max' after '%s'", Q(&t[0]));
		else
			err(ps, t[1].col, "expected 'max' after '%s', got '%s'", Q(&t[0]), Q(&t[1]));
		return;
	}
	if (ps->ntok < 3) {
		err(ps, after(&t[1]), "expected a number after '%s'", stmt);
		return;
	}
	if (parse_uint(t[2].s, t[2].len, limit, &v) || v == 0) {
		err(ps, t[2].col, "bad %s '%s' (1..%u)", what, Q(&t[2]), (unsigned int)limit);
		return;
	}
	*out = (uint32_t)v;
	expect_end(ps, 3, stmt);
}

static void parse_conns(struct parser *ps)
{
	parse_max(ps, &ps->conns_line, "conns max", "connection limit", NGUARD_MAX_CONNS,
		  &ps->p->conns_max);
}

/* Token @i is @word, which follows @stmt; else an error and false. */
static bool expect_word(struct parser *ps, size_t i, const char *word, const char *stmt)
{
	const struct tok *t = ps->toks;

	if (i >= ps->ntok) {
		err(ps, after(&t[i - 1]), "expected '%s' after '%s'", word, stmt);
		return false;
	}
	if (!tok_is(&t[i], word)) {
		err(ps, t[i].col, "expected '%s' after '%s', got '%s'", word, stmt, Q(&t[i]));
		return false;
	}
	return true;
}

/* "ipv6 source prefix N", N in 48..128, at most once. */
static void parse_ipv6(struct parser *ps)
{
	const struct tok *t = ps->toks;
	uint64_t v;

	if (!once(ps, &ps->ipv6_line, "ipv6 source prefix"))
		return;
	if (!expect_word(ps, 1, "source", "ipv6") ||
	    !expect_word(ps, 2, "prefix", "ipv6 source"))
		return;
	if (ps->ntok < 4) {
		err(ps, after(&t[2]), "expected a prefix length after 'ipv6 source prefix'");
		return;
	}
	if (parse_uint(t[3].s, t[3].len, NG_IPV6_SRC_PREFIX_MAX, &v) ||
	    v < NG_IPV6_SRC_PREFIX_MIN) {
		err(ps, t[3].col, "bad IPv6 source prefix length '%s' (%d..%d)", Q(&t[3]),
		    NG_IPV6_SRC_PREFIX_MIN, NG_IPV6_SRC_PREFIX_MAX);
		return;
	}
	ps->p->ipv6_src_prefix = (uint8_t)v;
	expect_end(ps, 4, "ipv6 source prefix");
}

/* ---- segments ---- */

static bool name_char(char c, bool first)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')
		return true;
	return !first && (is_digit(c) || c == '.' || c == '-');
}

/* Check a segment name's syntax; report and return false if invalid. */
static bool check_seg_name(struct parser *ps, const struct tok *t)
{
	size_t i;

	for (i = 0; i < t->len; i++)
		if (!name_char(t->s[i], i == 0))
			break;
	if (i < t->len || !t->len) {
		if (t->len > 2 && memmem(t->s, t->len, "->", 2))
			err(ps, t->col, "invalid segment name '%s': put blanks around '->'", Q(t));
		else
			err(ps, t->col, "invalid segment name '%s' (letters, digits, '_', '.' and '-', starting with a letter or '_')",
			    Q(t));
		return false;
	}
	if (t->len >= NGUARD_SEGMENT_NAME_MAX) {
		err(ps, t->col, "segment name '%s' is longer than %d bytes (NGUARD_SEGMENT_NAME_MAX)",
		    Q(t), NGUARD_SEGMENT_NAME_MAX - 1);
		return false;
	}
	return true;
}

static uint32_t name_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* Index + 1 of the segment named @s, 0 if none (free hash slot in *@slot). */
static size_t seg_lookup(struct parser *ps, const char *s, size_t len, size_t *slot)
{
	const struct ng_segment *segs = ps->p->segs;
	size_t h = name_hash(s, len) & (SEG_HASH_SIZE - 1);

	*slot = 0;
	if (len >= NGUARD_SEGMENT_NAME_MAX)
		return 0;
	if (ps->last_seg) {
		const char *n = segs[ps->last_seg - 1].name;

		if (!strncmp(n, s, len) && n[len] == '\0')
			return ps->last_seg;
	}
	for (;; h = (h + 1) & (SEG_HASH_SIZE - 1)) {
		size_t i = ps->seg_hash[h];

		if (!i)
			break;
		if (!strncmp(segs[i - 1].name, s, len) && segs[i - 1].name[len] == '\0')
			return ps->last_seg = i;
	}
	*slot = h;
	return 0;
}

/* Parse ADDR[/LEN] into @fam, @a (network order), @plen; report on error. */
static bool parse_prefix(struct parser *ps, const struct tok *t, int *fam,
			 uint8_t a[16], uint8_t *plen)
{
	const char *slash = memchr(t->s, '/', t->len);
	size_t alen = slash ? (size_t)(slash - t->s) : t->len;
	uint8_t max, host = 0;
	char buf[INET6_ADDRSTRLEN + 1];
	uint64_t v;
	unsigned int i;

	*fam = memchr(t->s, ':', alen) ? AF_INET6 : AF_INET;
	max = *fam == AF_INET6 ? 128 : 32;
	memset(a, 0, 16);
	if (alen && alen < sizeof(buf)) {
		memcpy(buf, t->s, alen);
		buf[alen] = '\0';
	}
	if (!alen || alen >= sizeof(buf) || inet_pton(*fam, buf, a) != 1) {
		if (t->len < NG_IFNAMSIZ && name_char(t->s[0], true) && !slash &&
		    !memchr(t->s, '.', t->len) && !memchr(t->s, ':', t->len))
			err(ps, t->col, "'%s' is not an IPv4 or IPv6 address (for an interface write 'iface %s')",
			    Q(t), Q(t));
		else
			err(ps, t->col, "'%s' is not an IPv4 or IPv6 address or prefix", Q(t));
		return false;
	}
	*plen = max;
	if (slash) {
		int rc = parse_uint(slash + 1, t->len - alen - 1, max, &v);

		if (rc) {
			err(ps, t->col, "bad prefix length in '%s' (0..%u for %s)", Q(t), max,
			    max == 32 ? "IPv4" : "IPv6");
			return false;
		}
		*plen = (uint8_t)v;
	}
	for (i = 0; i < max / 8u; i++) {
		uint8_t keep = i * 8 >= *plen ? 0 :
			       (i + 1) * 8 <= *plen ? 0xff : (uint8_t)(0xff << (8 - *plen % 8));

		host |= a[i] & (uint8_t)~keep;
	}
	if (host) {
		char fix[INET6_ADDRSTRLEN];

		for (i = 0; i < max / 8u; i++)
			a[i] &= i * 8 >= *plen ? 0 :
				(i + 1) * 8 <= *plen ? 0xff : (uint8_t)(0xff << (8 - *plen % 8));
		inet_ntop(*fam, a, fix, sizeof(fix));
		err(ps, t->col, "host bits set in '%s'; did you mean %s/%u?", Q(t), fix, *plen);
		return false;
	}
	return true;
}

static void fmt_prefix(char *buf, size_t size, int fam, const void *a, uint8_t len)
{
	char s[INET6_ADDRSTRLEN];

	inet_ntop(fam, a, s, sizeof(s));
	snprintf(buf, size, "%s/%u", s, len);
}

static bool check_iface(struct parser *ps, const struct tok *t)
{
	if (!t->len || t->len >= NG_IFNAMSIZ || memchr(t->s, '/', t->len) ||
	    memchr(t->s, ':', t->len) || tok_is(t, ".") || tok_is(t, "..")) {
		err(ps, t->col, "invalid interface name '%s' (1..%d bytes, no '/' or ':', not '.' or '..')",
		    Q(t), NG_IFNAMSIZ - 1);
		return false;
	}
	return true;
}

static void add_prefix(struct parser *ps, size_t si, const struct tok *t, int fam,
		       const uint8_t a[16], uint8_t len)
{
	struct ng_segment *s = &ps->p->segs[si];
	uint32_t a4;

	if (fam == AF_INET) {
		struct rec4 *r;

		memcpy(&a4, a, 4);
		a4 = ntohl(a4);
		if (ng_grow(&ps->r4, &ps->cap4, ps->n4 + 1, sizeof(*r)) ||
		    ng_segment_add_v4(s, a4, len)) {
			oom(ps);
			return;
		}
		r = &ps->r4[ps->n4++];
		r->addr = a4;
		r->len = len;
		r->dead = 0;
		r->seg = (uint16_t)si;
		r->idx = (uint32_t)(s->n_v4 - 1);
		r->line = ps->line;
		r->col = t->col;
	} else {
		struct rec6 *r;

		if (ng_grow(&ps->r6, &ps->cap6, ps->n6 + 1, sizeof(*r)) ||
		    ng_segment_add_v6(s, a, len)) {
			oom(ps);
			return;
		}
		r = &ps->r6[ps->n6++];
		memcpy(r->addr, a, 16);
		r->len = len;
		r->dead = 0;
		r->seg = (uint16_t)si;
		r->idx = (uint32_t)(s->n_v6 - 1);
		r->line = ps->line;
		r->col = t->col;
	}
}

static void add_iface(struct parser *ps, size_t si, const struct tok *t)
{
	struct ng_segment *s = &ps->p->segs[si];
	struct recif *r;

	if (ng_grow(&ps->rif, &ps->capif, ps->nif + 1, sizeof(*r)) ||
	    ng_segment_add_iface(s, t->s, t->len)) {
		oom(ps);
		return;
	}
	r = &ps->rif[ps->nif++];
	memset(r->name, 0, sizeof(r->name));
	memcpy(r->name, t->s, t->len);
	r->dead = 0;
	r->seg = (uint16_t)si;
	r->idx = (uint32_t)(s->n_ifaces - 1);
	r->line = ps->line;
	r->col = t->col;
}

/* Index + 1 of the segment @t names, created if new; 0 if unusable. */
static size_t seg_declare(struct parser *ps, const struct tok *t)
{
	struct ng_segment *s;
	size_t i, slot = 0;

	if (!check_seg_name(ps, t))
		return 0;
	if (tok_is(t, "world")) {
		err(ps, t->col, "'world' is the implicit segment of all addresses in no segment; it cannot be declared");
		return 0;
	}
	i = seg_lookup(ps, t->s, t->len, &slot);
	if (i)
		return i;
	if (ps->p->n_segs >= NGUARD_MAX_SEGMENTS) {
		err(ps, t->col, "too many segments: the limit is %d (NGUARD_MAX_SEGMENTS)",
		    NGUARD_MAX_SEGMENTS);
		return 0;
	}
	if (ng_grow(&ps->seg_col, &ps->cap_seg_col, ps->p->n_segs + 1, sizeof(*ps->seg_col))) {
		oom(ps);
		return 0;
	}
	s = ng_policy_add_segment(ps->p, t->s, t->len);
	if (!s) {
		oom(ps);
		return 0;
	}
	s->line = ps->line;
	ps->seg_col[s->id - 1] = t->col;
	ps->seg_hash[slot] = s->id;
	return ps->last_seg = s->id;
}

static void parse_segment(struct parser *ps)
{
	struct tok *t = ps->toks;
	size_t seg, i;

	if (ps->ntok < 2) {
		err(ps, after(&t[0]), "expected a segment name after 'segment'");
		return;
	}
	seg = seg_declare(ps, &t[1]);	/* 0: still check the members */
	for (i = 2; i < ps->ntok && !ps->stop; i++) {
		uint8_t a[16], len;
		int fam;

		if (tok_is(&t[i], "iface")) {
			if (i + 1 == ps->ntok) {
				err(ps, after(&t[i]), "expected an interface name after 'iface'");
				break;
			}
			i++;
			if (check_iface(ps, &t[i]) && seg)
				add_iface(ps, seg - 1, &t[i]);
		} else if (parse_prefix(ps, &t[i], &fam, a, &len) && seg) {
			add_prefix(ps, seg - 1, &t[i], fam, a, len);
		}
	}
}

/* ---- rules ---- */

static const struct {
	const char *name;
	uint8_t proto;
} proto_names[] = {
	{ "tcp", 6 }, { "udp", 17 }, { "icmp", 1 }, { "icmpv6", 58 },
};

/*
 * SRC or DST of a rule, FROM or TO of a detector: "*", "world" or a name
 * resolved later into *@id (element @idx of the rules or detectors).
 */
static void endpoint(struct parser *ps, const struct tok *t, uint16_t *id, size_t idx,
		     bool det, bool dst)
{
	struct ref *ref;

	if (tok_is(t, "*")) {
		*id = NG_SEG_ANY;
		return;
	}
	if (tok_is(t, "world")) {
		*id = NG_SEG_WORLD;
		return;
	}
	if (!check_seg_name(ps, t))
		return;
	if (ng_grow(&ps->refs, &ps->cap_ref, ps->nref + 1, sizeof(*ref))) {
		oom(ps);
		return;
	}
	ref = &ps->refs[ps->nref++];
	ref->idx = idx;
	ref->det = det;
	ref->dst = dst;
	ref->s = t->s;
	ref->len = t->len;
	ref->line = ps->line;
	ref->col = t->col;
}

static void rule_endpoint(struct parser *ps, size_t ri, const struct tok *t, bool dst)
{
	struct ng_rule *r = &ps->p->rules[ri];

	endpoint(ps, t, dst ? &r->dst : &r->src, ri, false, dst);
}

static bool add_term(struct parser *ps, struct ng_rule *r, const struct tok *t,
		     uint8_t proto, uint8_t any, uint16_t lo, uint16_t hi)
{
	struct ng_term term = { .proto = proto, .any_proto = any, .port_lo = lo, .port_hi = hi };

	if (r->n_terms >= NGUARD_MAX_RULE_MATCHES) {
		err(ps, t->col, "too many protocol/port terms in one rule: the limit is %d (NGUARD_MAX_RULE_MATCHES)",
		    NGUARD_MAX_RULE_MATCHES);
		return false;
	}
	if (ng_rule_add_term(r, &term)) {
		oom(ps);
		return false;
	}
	return true;
}

/* PORTS of the protocol whose all-ports term ends @r: replace that term. */
static bool parse_ports(struct parser *ps, struct ng_rule *r, const struct tok *t)
{
	uint8_t proto = r->terms[r->n_terms - 1].proto;
	size_t pos = 0;

	r->n_terms--;
	for (;;) {
		const char *item = t->s + pos, *comma, *dash;
		size_t len = t->len - pos;
		unsigned int col = t->col + (unsigned int)pos;
		struct tok it;
		uint64_t lo, hi;

		comma = memchr(item, ',', len);
		if (comma)
			len = (size_t)(comma - item);
		it.s = item;
		it.len = len;
		it.col = col;
		if (!len) {
			err(ps, col, "empty port in list '%s'", Q(t));
			return false;
		}
		dash = memchr(item, '-', len);
		if (dash) {
			size_t l1 = (size_t)(dash - item);

			if (parse_uint(item, l1, 65535, &lo) ||
			    parse_uint(dash + 1, len - l1 - 1, 65535, &hi) || !lo || !hi) {
				err(ps, col, "bad port range '%s' (ports are 1..65535)", Q(&it));
				return false;
			}
			if (lo > hi) {
				err(ps, col, "bad port range '%s': %u is above %u", Q(&it),
				    (unsigned int)lo, (unsigned int)hi);
				return false;
			}
		} else {
			if (parse_uint(item, len, 65535, &lo) || !lo) {
				err(ps, col, "bad port '%s' (ports are 1..65535)", Q(&it));
				return false;
			}
			hi = lo;
		}
		if (!add_term(ps, r, &it, proto, 0, (uint16_t)lo, (uint16_t)hi))
			return false;
		if (!comma)
			return true;
		pos += len + 1;
	}
}

static void parse_rule(struct parser *ps)
{
	struct tok *t = ps->toks;
	bool after_proto = false;	/* previous group is a PROTO without PORTS */
	struct ng_rule *r;
	size_t ri, i, k;

	if (ps->p->n_rules >= NGUARD_MAX_RULES) {
		err(ps, t[0].col, "too many rules: the limit is %d (NGUARD_MAX_RULES)",
		    NGUARD_MAX_RULES);
		return;
	}
	r = ng_policy_add_rule(ps->p);
	if (!r) {
		oom(ps);
		return;
	}
	ri = ps->p->n_rules - 1;
	r->action = tok_is(&t[0], "deny") ? NG_DENY : NG_ALLOW;
	r->line = ps->line;
	r->text = strndup(t[0].s, (size_t)(t[ps->ntok - 1].s + t[ps->ntok - 1].len - t[0].s));
	if (!r->text) {
		oom(ps);
		return;
	}
	if (ps->ntok < 2) {
		err(ps, after(&t[0]), "expected a source segment after '%s'", Q(&t[0]));
		return;
	}
	if (ps->ntok < 3 || !tok_is(&t[2], "->")) {
		if (memmem(t[1].s, t[1].len, "->", 2))
			err(ps, t[1].col, "put blanks around '->' in '%s'", Q(&t[1]));
		else if (ps->ntok < 3)
			err(ps, after(&t[1]), "expected '->' after '%s'", Q(&t[1]));
		else
			err(ps, t[2].col, "expected '->' after '%s', got '%s'", Q(&t[1]), Q(&t[2]));
		return;
	}
	if (ps->ntok < 4) {
		err(ps, after(&t[2]), "expected a destination segment after '->'");
		return;
	}
	rule_endpoint(ps, ri, &t[1], false);
	rule_endpoint(ps, ri, &t[3], true);
	for (i = 4; i < ps->ntok && !ps->stop; i++) {
		const struct tok *w = &t[i];
		uint64_t v;

		r = &ps->p->rules[ri];
		if (tok_is(w, "log")) {
			if (i + 1 < ps->ntok) {
				err(ps, w->col, "'log' must be the last word of a rule");
				return;
			}
			r->log = true;
			continue;
		}
		if (tok_is(w, "any")) {
			if (!add_term(ps, r, w, 0, 1, 0, 65535))
				return;
			after_proto = true;
			continue;
		}
		for (k = 0; k < sizeof(proto_names) / sizeof(proto_names[0]); k++)
			if (tok_is(w, proto_names[k].name))
				break;
		if (k < sizeof(proto_names) / sizeof(proto_names[0])) {
			if (!add_term(ps, r, w, proto_names[k].proto, 0, 0, 65535))
				return;
			after_proto = true;
			continue;
		}
		if (tok_is(w, "proto")) {
			if (i + 1 == ps->ntok) {
				err(ps, after(w), "expected a protocol number after 'proto'");
				return;
			}
			w = &t[++i];
			if (parse_uint(w->s, w->len, 255, &v)) {
				err(ps, w->col, "bad protocol number '%s' (0..255)", Q(w));
				return;
			}
			if (!add_term(ps, r, w, (uint8_t)v, 0, 0, 65535))
				return;
			after_proto = true;
			continue;
		}
		if (after_proto && (is_digit(w->s[0]) || w->s[0] == ',' || w->s[0] == '-')) {
			const struct ng_term *last = &r->terms[r->n_terms - 1];

			if (last->any_proto || !ng_proto_has_ports(last->proto)) {
				err(ps, w->col, "ports are only valid after tcp, udp, 6, 17, 132 (sctp) or 136 (udplite), not after '%s'",
				    Q(&t[i - 1]));
				return;
			}
			if (!parse_ports(ps, r, w))
				return;
			after_proto = false;
			continue;
		}
		if (!is_digit(w->s[0])) {
			err(ps, w->col, "expected a protocol, ports or 'log', got '%s'", Q(w));
			return;
		}
		if (parse_uint(w->s, w->len, 255, &v)) {
			err(ps, w->col, "bad protocol '%s' (tcp, udp, icmp, icmpv6, any or 0..255)", Q(w));
			return;
		}
		if (!add_term(ps, r, w, (uint8_t)v, 0, 0, 65535))
			return;
		after_proto = true;
	}
}

/* ---- anomaly detection: limit, detect, log, trackers, blocked ---- */

static void __attribute__((format(printf, 3, 4)))
warn(struct parser *ps, unsigned int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(ps, NG_SEV_WARNING, ps->line, col, fmt, ap);
	va_end(ap);
}

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/*
 * A byte count: digits and an optional suffix, K (or k), M, G = 1000,
 * 1000^2, 1000^3; Ki, Mi, Gi = 1024, 1024^2, 1024^3. 0 and *out if it is
 * at most @max, -1 otherwise.
 */
static int parse_size(const char *s, size_t len, uint64_t max, uint64_t *out)
{
	static const struct { const char *suffix; uint64_t mul; } sfx[] = {
		{ "k", 1000 }, { "K", 1000 }, { "M", 1000000 }, { "G", 1000000000 },
		{ "Ki", 1024 }, { "Mi", 1u << 20 }, { "Gi", 1u << 30 },
	};
	uint64_t v, mul = 1;
	size_t n = 0, i;

	while (n < len && is_digit(s[n]))
		n++;
	if (!n)
		return -1;
	if (n < len) {
		for (i = 0; i < ARRAY_SIZE(sfx); i++)
			if (len - n == strlen(sfx[i].suffix) &&
			    !memcmp(s + n, sfx[i].suffix, len - n))
				break;
		if (i == ARRAY_SIZE(sfx))
			return -1;
		mul = sfx[i].mul;
	}
	if (parse_uint(s, n, max / mul, &v))
		return -1;
	*out = v * mul;
	return 0;
}

/* "N/s" (N a byte count if @size): 0, -1 if not of that form, -2 if N is 0 or above @max. */
static int parse_rate(const struct tok *t, bool size, uint64_t max, uint64_t *out)
{
	size_t n = t->len - 2;

	if (t->len < 3 || memcmp(t->s + n, "/s", 2) || !is_digit(t->s[0]))
		return -1;
	if ((size ? parse_size(t->s, n, max, out) : parse_uint(t->s, n, max, out)) || !*out)
		return -2;
	return 0;
}

enum { DUR_OK, DUR_BAD, DUR_NO_UNIT, DUR_MS, DUR_RANGE };

/* Digits and a unit (ms, s, m, h, d) into *@ms; DUR_RANGE above @max_ms. */
static int parse_duration(const char *s, size_t len, uint64_t max_ms, uint64_t *ms)
{
	static const struct { const char *unit; uint64_t ms; } units[] = {
		{ "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 }, { "d", 86400000 },
	};
	size_t n = 0, i;
	uint64_t v;
	int rc;

	while (n < len && is_digit(s[n]))
		n++;
	if (!n)
		return DUR_BAD;
	if (n == len)
		return DUR_NO_UNIT;
	for (i = 0; i < ARRAY_SIZE(units); i++)
		if (len - n == strlen(units[i].unit) && !memcmp(s + n, units[i].unit, len - n))
			break;
	if (i == ARRAY_SIZE(units))
		return DUR_BAD;
	rc = parse_uint(s, n, max_ms / units[i].ms, &v);
	if (rc)
		return rc == -2 ? DUR_RANGE : DUR_BAD;
	*ms = v * units[i].ms;
	return i == 0 ? DUR_MS : DUR_OK;
}

/* The packet rate "N/s" at token @i, N in 1..@max, after @ctx. */
static bool rate_arg(struct parser *ps, size_t i, const char *what, uint64_t max,
		     const char *ctx, uint64_t *v)
{
	const struct tok *t = &ps->toks[i];
	int rc;

	if (i >= ps->ntok) {
		err(ps, after(&ps->toks[i - 1]), "expected a rate like '100/s' after '%s'", ctx);
		return false;
	}
	if (!is_digit(t->s[0])) {
		err(ps, t->col, "expected a rate like '100/s' after '%s', got '%s'", ctx, Q(t));
		return false;
	}
	rc = parse_rate(t, false, max, v);
	if (rc == -1)
		err(ps, t->col, "bad rate '%s': rates are per second, like '100/s'", Q(t));
	else if (rc)
		err(ps, t->col, "bad %s '%s' (1/s..%llu/s)", what, Q(t), (unsigned long long)max);
	return !rc;
}

/* "WORD N" at tokens @i, @i + 1 with N in @min..@max. */
static bool count_arg(struct parser *ps, size_t i, const char *what, uint64_t min,
		      uint64_t max, uint64_t *v)
{
	const struct tok *t = &ps->toks[i];

	if (i + 1 >= ps->ntok) {
		err(ps, after(t), "expected a number after '%s'", Q(t));
		return false;
	}
	t++;
	if (parse_uint(t->s, t->len, max, v) || *v < min) {
		err(ps, t->col, "bad %s '%s' (%llu..%llu)", what, Q(t), (unsigned long long)min,
		    (unsigned long long)max);
		return false;
	}
	return true;
}

/* The duration after "window" (@window) or "block" at token @i, into *@ms. */
static bool duration_arg(struct parser *ps, size_t i, bool window, uint64_t *ms)
{
	const char *units = window ? "ms, s, m, h or d" : "s, m, h or d";
	const struct tok *t = &ps->toks[i];
	uint64_t max = window ? NG_WINDOW_MAX_MS : (uint64_t)NGUARD_MAX_BLOCK_SECS * 1000;
	int rc;

	if (i + 1 >= ps->ntok) {
		err(ps, after(t), "expected a duration after '%s', like %s", Q(t),
		    window ? "'3s' or '500ms'" : "'600s' or '1h'");
		return false;
	}
	t++;
	rc = parse_duration(t->s, t->len, max, ms);
	if (rc == DUR_MS && window)
		rc = DUR_OK;
	if (rc == DUR_OK && *ms < (window ? NG_WINDOW_MIN_MS : 1000))
		rc = DUR_RANGE;
	switch (rc) {
	case DUR_OK:
		return true;
	case DUR_NO_UNIT:
		err(ps, t->col, "duration '%s' needs a unit (%s): '%ss'?", Q(t), units, Q(t));
		break;
	case DUR_MS:
		err(ps, t->col, "block durations are whole seconds: '%s' (units s, m, h or d)", Q(t));
		break;
	case DUR_RANGE:
		if (window)
			err(ps, t->col, "window '%s' is out of range (100ms..1h)", Q(t));
		else
			err(ps, t->col, "block duration '%s' is out of range (1s..7d, NGUARD_MAX_BLOCK_SECS)",
			    Q(t));
		break;
	default:
		err(ps, t->col, "bad duration '%s' (a number and a unit: %s)", Q(t), units);
	}
	return false;
}

/*
 * "limit source N": N connections per source, 1..NGUARD_MAX_CONNS, at
 * most once. Not a rate: a rate-like N gets a pointer to "limit conn".
 */
static void parse_limit_source(struct parser *ps)
{
	const struct tok *t = ps->toks;
	uint64_t v = 0;
	size_t i;

	if (!once(ps, &ps->limit_source_line, "limit source"))
		return;
	if (ps->ntok < 3) {
		err(ps, after(&t[1]), "expected a number of connections after 'limit source', like 'limit source 100'");
		return;
	}
	for (i = 0; i < t[2].len && is_digit(t[2].s[i]); i++)
		;
	if (i < t[2].len || !t[2].len) {
		if (memchr(t[2].s, '/', t[2].len))
			err(ps, t[2].col, "bad source limit '%s': 'limit source' takes a number of connections, not a rate (per-connection rates are 'limit conn RATE/s')",
			    Q(&t[2]));
		else
			err(ps, t[2].col, "bad source limit '%s': expected a number of connections, like 'limit source 100'",
			    Q(&t[2]));
		return;
	}
	if (parse_uint(t[2].s, t[2].len, NG_LIMIT_SOURCE_MAX, &v) || v < NG_LIMIT_SOURCE_MIN) {
		err(ps, t[2].col, "source limit '%s' is out of range (%d..%d connections per source, NGUARD_MAX_CONNS); for no limit, leave 'limit source' out",
		    Q(&t[2]), NG_LIMIT_SOURCE_MIN, NG_LIMIT_SOURCE_MAX);
		return;
	}
	ps->p->limit_source = (uint32_t)v;
	ps->limit_source_col = t[2].col;
	expect_end(ps, 3, "limit source");
}

/*
 * "limit conn [RATE/s [burst N]] [bytes SIZE/s [burst SIZE]]", or
 * "limit source N" (parse_limit_source).
 */
static void parse_limit(struct parser *ps)
{
	struct tok *t = ps->toks;
	struct ng_limit l = { 0 };
	size_t i = 2;
	uint64_t v;

	if (ps->ntok < 2 || (!tok_is(&t[1], "conn") && !tok_is(&t[1], "source"))) {
		if (ps->ntok < 2)
			err(ps, after(&t[0]), "expected 'conn' or 'source' after 'limit'");
		else
			err(ps, t[1].col, "expected 'conn' or 'source' after 'limit', got '%s'", Q(&t[1]));
		return;
	}
	if (tok_is(&t[1], "source")) {
		parse_limit_source(ps);
		return;
	}
	if (!once(ps, &ps->limit_line, "limit conn"))
		return;
	if (ps->ntok < 3) {
		err(ps, after(&t[1]), "expected a packet rate like '100/s' or 'bytes SIZE/s' after 'limit conn'");
		return;
	}
	if (!tok_is(&t[i], "bytes")) {
		if (!rate_arg(ps, i, "packet rate", UINT32_MAX, "limit conn", &v))
			return;
		l.rate = (uint32_t)v;
		l.burst = (uint32_t)min_u64(2 * v, UINT32_MAX);
		i++;
		if (i < ps->ntok && tok_is(&t[i], "burst")) {
			if (!count_arg(ps, i, "burst", 1, UINT32_MAX, &v))
				return;
			l.burst = (uint32_t)v;
			i += 2;
		}
	}
	if (i < ps->ntok && tok_is(&t[i], "bytes")) {
		if (++i >= ps->ntok) {
			err(ps, after(&t[i - 1]), "expected a byte rate like '50M/s' after 'bytes'");
			return;
		}
		if (parse_rate(&t[i], true, NG_BYTES_MAX, &v)) {
			err(ps, t[i].col, "bad byte rate '%s' (1/s..1000G/s; K, M, G are 1000-based, Ki, Mi, Gi 1024-based)",
			    Q(&t[i]));
			return;
		}
		l.bytes = v;
		l.bytes_burst = min_u64(2 * v, NG_BYTES_MAX);
		if (l.bytes_burst < NG_BYTES_BURST_MIN)
			l.bytes_burst = NG_BYTES_BURST_MIN;
		i++;
		if (i < ps->ntok && tok_is(&t[i], "burst")) {
			if (i + 1 >= ps->ntok) {
				err(ps, after(&t[i]), "expected a size after 'burst', like '100M'");
				return;
			}
			i++;
			if (parse_size(t[i].s, t[i].len, NG_BYTES_MAX, &v) || !v) {
				err(ps, t[i].col, "bad byte burst '%s' (1..1000G; K, M, G are 1000-based, Ki, Mi, Gi 1024-based)",
				    Q(&t[i]));
				return;
			}
			if (v < NG_BYTES_BURST_MIN)
				warn(ps, t[i].col, "byte burst '%s' is below 64Ki (65536): a larger packet (a GRO aggregate is up to 64 KiB) may never fit it",
				     Q(&t[i]));
			l.bytes_burst = v;
			i++;
		}
	}
	ps->p->limit = l;
	expect_end(ps, i, "limit conn");
}

/* "log rate RATE/s [burst N]" */
static void parse_log(struct parser *ps)
{
	struct tok *t = ps->toks;
	uint64_t v, b;
	size_t i = 3;

	if (!once(ps, &ps->log_line, "log rate"))
		return;
	if (ps->ntok < 2 || !tok_is(&t[1], "rate")) {
		if (ps->ntok < 2)
			err(ps, after(&t[0]), "expected 'rate' after 'log'");
		else
			err(ps, t[1].col, "expected 'rate' after 'log', got '%s'", Q(&t[1]));
		return;
	}
	if (!rate_arg(ps, 2, "log rate", NG_LOG_RATE_MAX, "log rate", &v))
		return;
	b = min_u64(2 * v, NG_LOG_BURST_MAX);
	if (i < ps->ntok && tok_is(&t[i], "burst")) {
		if (!count_arg(ps, i, "log burst", 1, NG_LOG_BURST_MAX, &b))
			return;
		i += 2;
	}
	ps->p->log_rate = (uint32_t)v;
	ps->p->log_burst = (uint32_t)b;
	expect_end(ps, i, "log rate");
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
};

/* "action log|drop|block DURATION" at token @i; tokens used, 0 on error. */
static size_t action_arg(struct parser *ps, size_t i, struct ng_detect *d)
{
	const struct tok *t = &ps->toks[i];
	uint64_t ms;

	if (i + 1 >= ps->ntok) {
		err(ps, after(t), "expected log, drop or block after 'action'");
		return 0;
	}
	t++;
	if (tok_is(t, "log")) {
		d->action = NG_ACT_LOG;
	} else if (tok_is(t, "drop")) {
		d->action = NG_ACT_DROP;
	} else if (tok_is(t, "block")) {
		if (!duration_arg(ps, i + 1, false, &ms))
			return 0;
		d->action = NG_ACT_BLOCK;
		d->block_secs = (uint32_t)(ms / 1000);
		return 3;
	} else {
		err(ps, t->col, "unknown action '%s' (log, drop or block DURATION)", Q(t));
		return 0;
	}
	return 2;
}

/* "detect KIND [from SEG] [to SEG] [RATE/s] PARAM... action ACTION" */
static void parse_detect(struct parser *ps)
{
	enum { P_BURST = 1, P_WEIGHT = 2, P_WINDOW = 4, P_HOSTS = 8, P_ACTION = 16 };
	struct tok *t = ps->toks;
	unsigned int seen = 0;
	struct ng_detect *d;
	size_t di, i = 2, k, n;
	uint64_t v;

	if (ps->ntok < 2) {
		err(ps, after(&t[0]), "expected a detector after 'detect' (synflood, portscan, sweep or tcpflags)");
		return;
	}
	for (k = 0; k < ARRAY_SIZE(detectors); k++)
		if (tok_is(&t[1], detectors[k].name))
			break;
	if (k == ARRAY_SIZE(detectors)) {
		err(ps, t[1].col, "unknown detector '%s' (synflood, portscan, sweep or tcpflags)",
		    Q(&t[1]));
		return;
	}
	if (ps->p->n_dets >= NGUARD_MAX_DETECTORS) {
		err(ps, t[0].col, "too many detectors: the limit is %d (NGUARD_MAX_DETECTORS)",
		    NGUARD_MAX_DETECTORS);
		return;
	}
	d = ng_policy_add_detect(ps->p);
	if (!d) {
		oom(ps);
		return;
	}
	di = ps->p->n_dets - 1;
	ps->det_col[di] = t[1].col;
	d->kind = detectors[k].kind;
	d->line = ps->line;
	if (d->kind == NG_DET_PORTSCAN) {
		d->weight = NG_PORTSCAN_WEIGHT;
		d->window_ms = NG_PORTSCAN_WINDOW_MS;
	} else if (d->kind == NG_DET_SWEEP) {
		d->hosts = NG_SWEEP_HOSTS;
		d->window_ms = NG_SWEEP_WINDOW_MS;
	}
	if (i < ps->ntok && tok_is(&t[i], "from")) {
		if (i + 1 >= ps->ntok) {
			err(ps, after(&t[i]), "expected a segment after 'from'");
			return;
		}
		endpoint(ps, &t[i + 1], &d->from, di, true, false);
		i += 2;
	}
	if (i < ps->ntok && tok_is(&t[i], "to")) {
		if (i + 1 >= ps->ntok) {
			err(ps, after(&t[i]), "expected a segment after 'to'");
			return;
		}
		endpoint(ps, &t[i + 1], &d->to, di, true, true);
		i += 2;
	}
	if (d->kind == NG_DET_SYNFLOOD) {
		if (!rate_arg(ps, i, "synflood rate", NG_SYNFLOOD_MAX, "detect synflood", &v))
			return;
		d->rate = (uint32_t)v;
		d->burst = (uint32_t)min_u64(2 * v, NG_SYNFLOOD_MAX);
		i++;
	}
	while (i < ps->ntok) {
		const struct tok *w = &t[i];
		unsigned int param = 0;

		if (tok_is(w, "burst") && d->kind == NG_DET_SYNFLOOD)
			param = P_BURST;
		else if (tok_is(w, "weight") && d->kind == NG_DET_PORTSCAN)
			param = P_WEIGHT;
		else if (tok_is(w, "window") && (d->kind == NG_DET_PORTSCAN || d->kind == NG_DET_SWEEP))
			param = P_WINDOW;
		else if (tok_is(w, "hosts") && d->kind == NG_DET_SWEEP)
			param = P_HOSTS;
		else if (tok_is(w, "action"))
			param = P_ACTION;
		if (!param) {
			if (tok_is(w, "from") || tok_is(w, "to"))
				err(ps, w->col, "the scope must come right after the detector name: 'detect %s from SEG to SEG ...'",
				    detectors[k].name);
			else
				err(ps, w->col, "unexpected '%s' in 'detect %s' (expected %s)", Q(w),
				    detectors[k].name, detectors[k].params);
			return;
		}
		if (seen & param) {
			err(ps, w->col, "'%s' is given twice", Q(w));
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
				warn(ps, t[i + 1].col, "'weight %s' is never reached: the module remembers 64 ports per source, a score of at most %d",
				     Q(&t[i + 1]), NG_PSD_SCORE_REACH);
			break;
		case P_WINDOW:
			if (!duration_arg(ps, i, true, &v))
				return;
			d->window_ms = (uint32_t)v;
			break;
		case P_HOSTS:
			if (!count_arg(ps, i, "hosts", NG_HOSTS_MIN, NG_HOSTS_MAX, &v))
				return;
			d->hosts = (uint32_t)v;
			if (v > NG_SWEEP_HOSTS_REACH)
				warn(ps, t[i + 1].col, "'hosts %s' is never reached: the module counts at most %d hosts per source and segment",
				     Q(&t[i + 1]), NG_SWEEP_HOSTS_REACH);
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
		err(ps, after(&t[ps->ntok - 1]), "missing 'action' (log, drop or block DURATION) in 'detect %s'",
		    detectors[k].name);
}

static bool scope_covers(uint16_t a, uint16_t b)
{
	return a == NG_SEG_ANY || a == b;
}

/*
 * For each kind the first detector whose scope matches a packet applies:
 * a later one with the same scope is an error, one inside an earlier
 * scope ("from *" covers "from web") is never used: a warning.
 */
static void check_detectors(struct parser *ps)
{
	const struct ng_detect *dets = ps->p->dets;
	size_t i, j;

	for (j = 1; j < ps->p->n_dets; j++) {
		const struct ng_detect *b = &dets[j];
		const char *name = ng_detector_name(b->kind);

		for (i = 0; i < j; i++) {
			const struct ng_detect *a = &dets[i];

			if (a->kind != b->kind)
				continue;
			if (a->from == b->from && a->to == b->to) {
				report(ps, NG_SEV_ERROR, b->line, ps->det_col[j],
				       "'detect %s' with the same scope is already on line %u",
				       name, a->line);
				break;
			}
			if (scope_covers(a->from, b->from) && scope_covers(a->to, b->to)) {
				report(ps, NG_SEV_WARNING, b->line, ps->det_col[j],
				       "never applies: 'detect %s' on line %u comes first and covers this scope",
				       name, a->line);
				break;
			}
		}
	}
}

/* ---- exempt ---- */

/* Source line of the exempt line that has this prefix already, 0 if none. */
static unsigned int exempt_find_prefix(const struct ng_policy *p, int fam,
				       const uint8_t a[16], uint8_t len)
{
	uint32_t a4;
	size_t i, j;

	memcpy(&a4, a, 4);
	a4 = ntohl(a4);
	for (i = 0; i < p->n_exempts; i++) {
		const struct ng_exempt *e = &p->exempts[i];

		if (fam == AF_INET) {
			for (j = 0; j < e->n_v4; j++)
				if (e->v4[j].addr == a4 && e->v4[j].len == len)
					return e->line;
		} else {
			for (j = 0; j < e->n_v6; j++)
				if (!memcmp(e->v6[j].addr, a, 16) && e->v6[j].len == len)
					return e->line;
		}
	}
	return 0;
}

/* Room for one more exempt member; the limit is reported once. */
static bool exempt_room(struct parser *ps, const struct tok *t)
{
	if (ps->n_exempt < NGUARD_MAX_EXEMPT) {
		ps->n_exempt++;
		return true;
	}
	if (!ps->exempt_full)
		err(ps, t->col, "too many exempt members: the limit is %d (NGUARD_MAX_EXEMPT)",
		    NGUARD_MAX_EXEMPT);
	ps->exempt_full = true;
	return false;
}

static void exempt_prefix(struct parser *ps, size_t ei, const struct tok *t, int fam,
			  const uint8_t a[16], uint8_t len)
{
	struct ng_exempt *e = &ps->p->exempts[ei];
	char text[INET6_ADDRSTRLEN + 8];
	unsigned int first;
	uint32_t a4;
	int rc;

	if (ps->exempt_full)
		return;
	fmt_prefix(text, sizeof(text), fam, a, len);
	first = exempt_find_prefix(ps->p, fam, a, len);
	if (first) {
		warn(ps, t->col, "%s is already exempt (line %u); ignored", text, first);
		return;
	}
	if (!exempt_room(ps, t))
		return;
	if (!len)
		warn(ps, t->col, "%s exempts every %s source: none is ever quarantined", text,
		     fam == AF_INET ? "IPv4" : "IPv6");
	memcpy(&a4, a, 4);
	rc = fam == AF_INET ? ng_exempt_add_v4(e, ntohl(a4), len) : ng_exempt_add_v6(e, a, len);
	if (rc)
		oom(ps);
}

/* A segment name: its id is filled in by resolve_refs(). */
static void exempt_segment(struct parser *ps, size_t ei, const struct tok *t)
{
	struct ng_exempt *e = &ps->p->exempts[ei];
	struct xref *x;
	size_t i;

	if (ps->exempt_full)
		return;
	for (i = 0; i < ps->nxref; i++) {
		x = &ps->xrefs[i];
		if (x->len == t->len && !memcmp(x->s, t->s, t->len)) {
			warn(ps, t->col, "segment '%s' is already exempt (line %u); ignored", Q(t),
			     x->line);
			return;
		}
	}
	if (!exempt_room(ps, t))
		return;
	if (ng_grow(&ps->xrefs, &ps->cap_xref, ps->nxref + 1, sizeof(*x)) ||
	    ng_exempt_add_seg(e, NG_SEG_WORLD)) {
		oom(ps);
		return;
	}
	x = &ps->xrefs[ps->nxref++];
	x->idx = ei;
	x->pos = e->n_segs - 1;
	x->s = t->s;
	x->len = t->len;
	x->line = ps->line;
	x->col = t->col;
}

/* One MEMBER of an exempt line: an address or prefix, else a segment name. */
static void exempt_member(struct parser *ps, size_t ei, const struct tok *t)
{
	uint8_t a[16], len;
	int fam;

	if (tok_is(t, "*")) {
		err(ps, t->col, "'*' cannot be exempt: name the segments, addresses or prefixes that must never be quarantined");
		return;
	}
	if (tok_is(t, "world")) {
		err(ps, t->col, "'world' cannot be exempt (it is every address in no segment): name addresses or prefixes");
		return;
	}
	if (is_digit(t->s[0]) || memchr(t->s, ':', t->len)) {
		if (parse_prefix(ps, t, &fam, a, &len))
			exempt_prefix(ps, ei, t, fam, a, len);
		return;
	}
	if (check_seg_name(ps, t))
		exempt_segment(ps, ei, t);
}

/* "exempt MEMBER...": sources that detectors never quarantine. */
static void parse_exempt(struct parser *ps)
{
	struct ng_exempt *e;
	size_t ei, i;

	if (ps->ntok < 2) {
		err(ps, after(&ps->toks[0]), "expected a segment, address or prefix after 'exempt'");
		return;
	}
	e = ng_policy_add_exempt(ps->p);
	if (!e) {
		oom(ps);
		return;
	}
	e->line = ps->line;
	ei = ps->p->n_exempts - 1;
	for (i = 1; i < ps->ntok && !ps->stop; i++)
		exempt_member(ps, ei, &ps->toks[i]);
}

/* Lines left without members (all repetitions) are dropped. */
static void compact_exempts(struct ng_policy *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->n_exempts; i++) {
		struct ng_exempt *e = &p->exempts[i];

		if (e->n_segs || e->n_v4 || e->n_v6) {
			p->exempts[n++] = *e;
			continue;
		}
		free(e->segs);
		free(e->v4);
		free(e->v6);
	}
	p->n_exempts = n;
}

/* ---- whole file ---- */

static void parse_line(struct parser *ps, const char *s, size_t len)
{
	const struct tok *t;

	if (!tokenize(ps, s, len) || !ps->ntok)
		return;
	t = &ps->toks[0];
	if (tok_is(t, "segment"))
		parse_segment(ps);
	else if (tok_is(t, "allow") || tok_is(t, "deny"))
		parse_rule(ps);
	else if (tok_is(t, "mode"))
		parse_mode(ps);
	else if (tok_is(t, "default"))
		parse_default(ps);
	else if (tok_is(t, "conns"))
		parse_conns(ps);
	else if (tok_is(t, "detect"))
		parse_detect(ps);
	else if (tok_is(t, "limit"))
		parse_limit(ps);
	else if (tok_is(t, "log"))
		parse_log(ps);
	else if (tok_is(t, "trackers"))
		parse_max(ps, &ps->trackers_line, "trackers max", "tracker limit",
			  NGUARD_MAX_TRACKERS, &ps->p->trackers_max);
	else if (tok_is(t, "blocked"))
		parse_max(ps, &ps->blocked_line, "blocked max", "quarantine limit",
			  NGUARD_MAX_BLOCKED, &ps->p->blocked_max);
	else if (tok_is(t, "exempt"))
		parse_exempt(ps);
	else if (tok_is(t, "ipv6"))
		parse_ipv6(ps);
	else
		err(ps, t->col, "unknown statement '%s' (mode, default, conns, segment, allow, deny, limit, detect, log, trackers, blocked, exempt or ipv6)",
		    Q(t));
}

static void resolve_refs(struct parser *ps)
{
	size_t i, slot;

	for (i = 0; i < ps->nref && !ps->stop; i++) {
		const struct ref *f = &ps->refs[i];
		size_t s = seg_lookup(ps, f->s, f->len, &slot);
		uint16_t *id;

		if (!s) {
			const struct tok t = { .s = f->s, .len = f->len };

			report(ps, NG_SEV_ERROR, f->line, f->col, "unknown segment '%s'", Q(&t));
			continue;
		}
		if (f->det)
			id = f->dst ? &ps->p->dets[f->idx].to : &ps->p->dets[f->idx].from;
		else
			id = f->dst ? &ps->p->rules[f->idx].dst : &ps->p->rules[f->idx].src;
		*id = (uint16_t)s;
	}
	for (i = 0; i < ps->nxref && !ps->stop; i++) {
		const struct xref *x = &ps->xrefs[i];
		size_t s = seg_lookup(ps, x->s, x->len, &slot);

		if (!s) {
			const struct tok t = { .s = x->s, .len = x->len };

			report(ps, NG_SEV_ERROR, x->line, x->col, "unknown segment '%s'", Q(&t));
			continue;
		}
		ps->p->exempts[x->idx].segs[x->pos] = (uint16_t)s;
	}
}

static int pos_cmp(unsigned int l1, unsigned int c1, unsigned int l2, unsigned int c2)
{
	if (l1 != l2)
		return l1 < l2 ? -1 : 1;
	return c1 < c2 ? -1 : c1 > c2;
}

static int rec4_cmp(const void *a, const void *b)
{
	const struct rec4 *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return pos_cmp(x->line, x->col, y->line, y->col);
}

static int rec6_cmp(const void *a, const void *b)
{
	const struct rec6 *x = a, *y = b;
	int c = memcmp(x->addr, y->addr, 16);

	if (c)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return pos_cmp(x->line, x->col, y->line, y->col);
}

static int recif_cmp(const void *a, const void *b)
{
	const struct recif *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : pos_cmp(x->line, x->col, y->line, y->col);
}

/*
 * A later copy of a member (same prefix or interface) in the same
 * segment is dropped with a warning; in another segment it is an error.
 * Returns true if @later was dropped.
 */
static bool dup_member(struct parser *ps, const char *what, const char *text,
		       uint16_t first_seg, unsigned int first_line,
		       uint16_t seg, unsigned int line, unsigned int col)
{
	const char *name = ps->p->segs[first_seg].name;

	if (seg == first_seg) {
		report(ps, NG_SEV_WARNING, line, col,
		       "%s %s is already in segment '%s' (line %u); ignored",
		       what, text, name, first_line);
		return true;
	}
	report(ps, NG_SEV_ERROR, line, col,
	       "%s %s is already in segment '%s' (line %u): the same %s in two segments is ambiguous",
	       what, text, name, first_line, what);
	return false;
}

static void dedupe(struct parser *ps)
{
	char text[INET6_ADDRSTRLEN + 8];
	size_t i, j;

	if (ps->n4 > 1)
		qsort(ps->r4, ps->n4, sizeof(*ps->r4), rec4_cmp);
	for (i = 0; i < ps->n4 && !ps->stop; i = j) {
		const struct rec4 *f = &ps->r4[i];

		for (j = i + 1; j < ps->n4 && ps->r4[j].addr == f->addr &&
		     ps->r4[j].len == f->len && !ps->stop; j++) {
			struct rec4 *r = &ps->r4[j];
			uint32_t a = htonl(r->addr);

			fmt_prefix(text, sizeof(text), AF_INET, &a, r->len);
			if (dup_member(ps, "prefix", text, f->seg, f->line, r->seg, r->line, r->col)) {
				r->dead = 1;
				ps->p->segs[r->seg].v4[r->idx].len = DEAD_LEN;
			}
		}
	}
	if (ps->n6 > 1)
		qsort(ps->r6, ps->n6, sizeof(*ps->r6), rec6_cmp);
	for (i = 0; i < ps->n6 && !ps->stop; i = j) {
		const struct rec6 *f = &ps->r6[i];

		for (j = i + 1; j < ps->n6 && !memcmp(ps->r6[j].addr, f->addr, 16) &&
		     ps->r6[j].len == f->len && !ps->stop; j++) {
			struct rec6 *r = &ps->r6[j];

			fmt_prefix(text, sizeof(text), AF_INET6, r->addr, r->len);
			if (dup_member(ps, "prefix", text, f->seg, f->line, r->seg, r->line, r->col)) {
				r->dead = 1;
				ps->p->segs[r->seg].v6[r->idx].len = DEAD_LEN;
			}
		}
	}
	if (ps->nif > 1)
		qsort(ps->rif, ps->nif, sizeof(*ps->rif), recif_cmp);
	for (i = 0; i < ps->nif && !ps->stop; i = j) {
		const struct recif *f = &ps->rif[i];

		for (j = i + 1; j < ps->nif && !strcmp(ps->rif[j].name, f->name) &&
		     !ps->stop; j++) {
			struct recif *r = &ps->rif[j];

			if (dup_member(ps, "interface", r->name, f->seg, f->line, r->seg,
				       r->line, r->col)) {
				r->dead = 1;
				ps->p->segs[r->seg].ifaces[r->idx][0] = '\0';
			}
		}
	}
}

/* Remove the members dedupe() marked, keeping the order of the rest. */
static void compact(struct ng_policy *p)
{
	size_t i, j, n;

	for (i = 0; i < p->n_segs; i++) {
		struct ng_segment *s = &p->segs[i];

		for (j = n = 0; j < s->n_v4; j++)
			if (s->v4[j].len != DEAD_LEN)
				s->v4[n++] = s->v4[j];
		s->n_v4 = n;
		for (j = n = 0; j < s->n_v6; j++)
			if (s->v6[j].len != DEAD_LEN)
				s->v6[n++] = s->v6[j];
		s->n_v6 = n;
		for (j = n = 0; j < s->n_ifaces; j++)
			if (s->ifaces[j][0])
				memcpy(s->ifaces[n++], s->ifaces[j], NG_IFNAMSIZ);
		s->n_ifaces = n;
	}
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Report the first kept member past @limit, in file order. */
static void limit_error(struct parser *ps, uint64_t *pos, size_t n, size_t limit,
			const char *what, const char *macro)
{
	qsort(pos, n, sizeof(*pos), u64_cmp);
	report(ps, NG_SEV_ERROR, (unsigned int)(pos[limit] >> 32), (unsigned int)pos[limit],
	       "too many %s: the limit is %zu (%s)", what, limit, macro);
}

#define POS(r) ((uint64_t)(r)->line << 32 | (r)->col)

static void check_member_limits(struct parser *ps)
{
	size_t i, n = 0, kept = 0;
	uint64_t *pos;

	for (i = 0; i < ps->n4; i++)
		kept += !ps->r4[i].dead;
	for (i = 0; i < ps->n6; i++)
		kept += !ps->r6[i].dead;
	if (kept > NGUARD_MAX_PREFIXES) {
		pos = malloc(kept * sizeof(*pos));
		if (!pos) {
			oom(ps);
			return;
		}
		for (i = 0; i < ps->n4; i++)
			if (!ps->r4[i].dead)
				pos[n++] = POS(&ps->r4[i]);
		for (i = 0; i < ps->n6; i++)
			if (!ps->r6[i].dead)
				pos[n++] = POS(&ps->r6[i]);
		limit_error(ps, pos, n, NGUARD_MAX_PREFIXES, "prefixes", "NGUARD_MAX_PREFIXES");
		free(pos);
	}
	for (i = kept = 0; i < ps->nif; i++)
		kept += !ps->rif[i].dead;
	if (kept > NGUARD_MAX_IFACES) {
		pos = malloc(kept * sizeof(*pos));
		if (!pos) {
			oom(ps);
			return;
		}
		for (i = n = 0; i < ps->nif; i++)
			if (!ps->rif[i].dead)
				pos[n++] = POS(&ps->rif[i]);
		limit_error(ps, pos, n, NGUARD_MAX_IFACES, "interfaces", "NGUARD_MAX_IFACES");
		free(pos);
	}
}

static void check_empty_segments(struct parser *ps)
{
	size_t i;

	for (i = 0; i < ps->p->n_segs; i++) {
		const struct ng_segment *s = &ps->p->segs[i];

		if (!s->n_v4 && !s->n_v6 && !s->n_ifaces)
			report(ps, NG_SEV_WARNING, s->line, ps->seg_col[i],
			       "segment '%s' has no members and matches nothing", s->name);
	}
}

int ng_policy_parse(const char *name, const char *text, size_t len,
		    struct ng_policy *out, struct ng_diag *diag)
{
	struct parser *ps;
	unsigned int errors = diag->errors;
	size_t off = 0;

	ng_policy_init(out);
	free(diag->file);
	diag->file = strdup(name ? name : "<input>");
	ps = calloc(1, sizeof(*ps));
	if (!ps || !diag->file) {
		free(ps);
		diag->errors++;
		return -1;
	}
	ps->p = out;
	ps->d = diag;
	while (off < len && !ps->stop) {
		const char *s = text + off, *nl = memchr(s, '\n', len - off);
		size_t n = nl ? (size_t)(nl - s) : len - off;

		ps->line++;
		parse_line(ps, s, n);
		off += n + 1;
	}
	if (!ps->stop)
		resolve_refs(ps);
	if (!ps->stop)
		dedupe(ps);
	if (!ps->stop)
		check_member_limits(ps);
	if (!ps->stop) {
		compact(out);
		compact_exempts(out);
	}
	if (!ps->stop && diag->errors == errors)	/* else likely a consequence */
		check_empty_segments(ps);
	if (!ps->stop && diag->errors == errors)
		check_detectors(ps);
	if (!ps->stop && out->limit_source && out->conns_max && out->limit_source > out->conns_max)
		report(ps, NG_SEV_WARNING, ps->limit_source_line, ps->limit_source_col,
		       "source limit %u is above 'conns max %u' (line %u): the connection table fills before a source reaches it",
		       (unsigned int)out->limit_source, (unsigned int)out->conns_max, ps->conns_line);
	if (!ps->def_line && !ps->stop)
		report(ps, NG_SEV_WARNING, 0, 0, "no 'default' statement; using 'default deny'");
	diag_sort(diag);
	free(ps->toks);
	free(ps->seg_col);
	free(ps->refs);
	free(ps->r4);
	free(ps->r6);
	free(ps->rif);
	free(ps->xrefs);
	free(ps);
	if (diag->errors != errors) {
		ng_policy_free(out);
		return -1;
	}
	return 0;
}

int ng_policy_parse_file(const char *path, struct ng_policy *out, struct ng_diag *diag)
{
	bool std = !strcmp(path, "-");
	const char *name = std ? "<stdin>" : path;
	FILE *f = std ? stdin : fopen(path, "rb");
	size_t len = 0, cap = 0;
	char *buf = NULL;
	int rc, saved;

	ng_policy_init(out);
	if (!f)
		goto fail;
	for (;;) {
		size_t n;

		if (ng_grow(&buf, &cap, len + 65536, 1)) {
			errno = ENOMEM;
			goto fail;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0) {
			if (ferror(f))
				goto fail;
			break;
		}
	}
	if (!std)
		fclose(f);
	rc = ng_policy_parse(name, buf ? buf : "", len, out, diag);
	free(buf);
	return rc;
fail:
	saved = errno;
	if (f && !std)
		fclose(f);
	free(buf);
	free(diag->file);
	diag->file = strdup(name);
	{
		struct parser ps = { .d = diag };

		report(&ps, NG_SEV_ERROR, 0, 0, "cannot read: %s", strerror(saved));
	}
	return -1;
}
