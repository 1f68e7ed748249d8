// SPDX-License-Identifier: GPL-2.0-only
/*
 * ng-nl-fuzz: a netlink fuzzer for the nguard generic netlink family,
 * driven by the spec table tests/lib/nl-spec-table.py makes from
 * Documentation/netlink/nguard.yaml (in the test image:
 * /tests/nguard-spec.txt), so it follows the spec as the spec grows.
 *
 * THREADS threads, each with SOCKS sockets in one namespace (the
 * namespaces of -N in turn), send MESSAGES requests in all, spread over
 * every command of the table: valid messages, boundary values (min, max,
 * min-1, max+1, 0, all-ones), wrong attribute lengths, truncated and
 * oversized attributes, unknown attribute ids, nested garbage,
 * NLA_F_NESTED misuse, zero-length and huge strings, duplicates, wrong
 * nlmsg_len, bad genl version, reserved bits, unknown commands, do/dump
 * mix-ups, huge attribute counts and out-of-order transaction steps
 * (chunks without BEGIN, COMMIT twice, COMMIT/ABORT/ADD on another socket,
 * BEGIN and ABORT while another socket commits). Every request carries
 * NLM_F_ACK (dumps NLM_F_DUMP); every reply is read and classified: ack
 * ok, error with an extack message, error without one, no reply.
 *
 * What each message must get is decided from the spec alone: a value
 * outside the spec's checks, a wrong length, an attribute the operation
 * does not take, garbage in a nest and the like must be an error with an
 * extack message; a valid message may succeed or fail (a transaction of
 * another socket, a semantic check), but a failure needs a message too;
 * a message whose nlmsg_len is longer than the datagram (or shorter than
 * a netlink header) must get no reply at all (netlink_rcv_skb drops it;
 * a probe after it shows that nothing came); the genetlink core's own
 * rejections before the family's code runs (unknown family or command,
 * do/dump mix-up, a header shorter than genlmsghdr) must be errors, with
 * or without a message (the core sets none; no module can).
 *
 * Usage: ng-nl-fuzz [-f TABLE] [-n MESSAGES] [-t THREADS] [-s SOCKS]
 *                   [-S SEED] [-N NETNS,...] [-T TIMEOUT_MS] [-u UID]
 *                   [-b BATCH] [-p] [-x EXAMPLES]
 *   -b    do requests (not dumps, not the framing errors) go up to BATCH
 *         (default 8) to a datagram, each answered on its own
 *   -p    permission check instead: every operation of the table, once,
 *         must get EPERM (run it as a user without CAP_NET_ADMIN, -u, or
 *         in a user namespace)
 *   -u    drop to this uid (and gid) first, no supplementary groups
 * Prints "NLFUZZ seed=... sent=... ok=... err_extack=... err_no_extack=...
 * timeouts=... per-errno:..." and per-class and per-command lines; exits
 * 1 on a timeout, a malformed reply, a bad message accepted, an error
 * without an extack message where one is due, or a reply to a message
 * that must get none; 2 on a usage or setup error.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXSETS		32
#define MAXATTRS	64
#define MAXOPS		64
#define MSGCAP		(160 * 1024)
#define RCVCAP		(1024 * 1024)
#define MAXERRNO	256
#define MAXSOCKS	8

typedef __int128 i128;

enum { T_U8, T_U16, T_U32, T_U64, T_S8, T_S16, T_S32, T_S64, T_STRING,
	T_BINARY, T_NEST, T_FLAG, T_PAD, T_UNUSED, T_NTYPES };
static const char *const tnames[T_NTYPES] = {
	"u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "string",
	"binary", "nest", "flag", "pad", "unused" };

struct attr {
	char name[64];
	int id, type, nest, multi;	/* nest: set index or -1 */
	int has_min, has_max, has_mask, minlen, maxlen;	/* -1: none */
	i128 min, max;
	uint64_t mask;
};

struct aset {
	char name[64];
	int maxid, n;
	struct attr a[MAXATTRS];
};

struct op {
	char name[64];
	int cmd, dump, admin, set, nreq;
	int req[MAXATTRS];		/* indexes into sets[set].a */
};

static struct aset sets[MAXSETS];
static int nsets;
static struct op ops[MAXOPS];
static int nops;
static uint16_t family;
static int spec_version = 1;
static int timeout_ms = 20000;
static int max_examples = 5;

/* What a message must get. */
enum { EXP_VALID, EXP_BAD, EXP_CORE, EXP_SILENT, EXP_NEXP };
static const char *const expnames[EXP_NEXP] = { "valid", "bad", "core", "silent" };

enum { C_VALID, C_BOUNDARY, C_WRONGLEN, C_TRUNC, C_OVERSIZE, C_UNKNOWN,
	C_NESTGARB, C_NESTFLAG, C_ZEROSTR, C_DUP, C_NLMSGLEN, C_BADVER,
	C_RESERVED, C_BADCMD, C_DUMPMIX, C_HUGE, C_TXN, C_RACE, C_NCLASS };
static const char *const cnames[C_NCLASS] = {
	"valid", "boundary", "wronglen", "truncated", "oversize", "unknown-id",
	"nest-garbage", "nest-flag", "zero-string", "duplicate", "nlmsg-len",
	"genl-version", "reserved-flags", "bad-cmd", "do-dump-mixup",
	"huge-count", "txn-order", "txn-race" };
static const int cweight[C_NCLASS] = {
	20, 14, 10, 6, 6, 8, 6, 4, 4, 5, 4, 4, 3, 3, 3, 1, 6, 1 };

struct stats {
	uint64_t sent, ok, err_ext, err_noext, timeouts, malformed, silent;
	uint64_t bad_accepted, noext_due, replied_silent;
	uint64_t cls[C_NCLASS][4];	/* sent, ok, err_ext, err_noext */
	uint64_t errnos[MAXERRNO];
	uint64_t opsent[MAXOPS + 1];	/* [nops]: no command of the table */
	uint64_t noext[MAXOPS + 1][MAXERRNO];
	uint64_t opusec[MAXOPS + 1];	/* time waiting for answers, per command */
};

struct sock {
	int fd;
	uint32_t seq;
};

struct thr {
	int idx, nsock;
	struct sock s[MAXSOCKS];
	uint64_t rng, quota;
	struct stats st;
	uint8_t *msg, *rcv, *batch;
	pthread_t tid;
	/* Requests queued in one datagram (do commands only), answered in order. */
	int nb, bsock;
	size_t blen;
	struct {
		uint32_t seq;
		int cls, opi, expect;
		char what[200];
	} bq[16];
};

/* Result of one request. */
enum { RES_OK, RES_ERR, RES_TIMEOUT, RES_MALFORMED, RES_NONE };
struct res {
	int kind, err, extack;
	char msg[160];
};

static pthread_mutex_t ex_lock = PTHREAD_MUTEX_INITIALIZER;
static int ex_count[8];

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "ng-nl-fuzz: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(2);
}

/* Print one example of a finding, at most max_examples per kind. */
static void example(int kind, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&ex_lock);
	if (ex_count[kind]++ < max_examples) {
		va_start(ap, fmt);
		printf("NLFUZZ example ");
		vprintf(fmt, ap);
		printf("\n");
		fflush(stdout);
		va_end(ap);
	}
	pthread_mutex_unlock(&ex_lock);
}

static const char *ename(int e)
{
	static __thread char buf[16];
	const char *n = e > 0 ? strerrorname_np(e) : NULL;

	if (n)
		return n;
	snprintf(buf, sizeof(buf), "E%d", e);
	return buf;
}

/* splitmix64: deterministic for a seed, cheap. */
static uint64_t rnd(struct thr *t)
{
	uint64_t z = (t->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rn(struct thr *t, uint64_t n)
{
	return n ? rnd(t) % n : 0;
}

/* ---- the table ---- */

static int find_set(const char *name)
{
	int i;

	for (i = 0; i < nsets; i++)
		if (!strcmp(sets[i].name, name))
			return i;
	return -1;
}

static int parse_num(const char *s, int *has, i128 *v)
{
	char *end;

	*has = strcmp(s, "-") != 0;
	if (!*has)
		return 0;
	errno = 0;
	if (s[0] == '-')
		*v = strtoll(s, &end, 10);
	else
		*v = strtoull(s, &end, 10);
	return errno || *end ? -1 : 0;
}

static void load_table(const char *path)
{
	char line[4096], f[12][1024];
	FILE *fp = fopen(path, "r");
	int ln = 0, i, pending_nest[MAXSETS][MAXATTRS];
	char nestname[MAXSETS][MAXATTRS][64];

	if (!fp)
		die("%s: %s", path, strerror(errno));
	memset(pending_nest, 0, sizeof(pending_nest));
	while (fgets(line, sizeof(line), fp)) {
		int n;

		ln++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		n = sscanf(line, "%1023s %1023s %1023s %1023s %1023s %1023s %1023s %1023s %1023s %1023s %1023s %1023s",
			   f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8],
			   f[9], f[10], f[11]);
		if (!strcmp(f[0], "family") && n == 3) {
			spec_version = atoi(f[2]);
		} else if (!strcmp(f[0], "set") && n == 3) {
			if (nsets == MAXSETS)
				die("%s:%d: too many sets", path, ln);
			snprintf(sets[nsets].name, sizeof(sets[0].name), "%.63s", f[1]);
			sets[nsets++].maxid = atoi(f[2]);
		} else if (!strcmp(f[0], "attr") && n == 12) {
			int s = find_set(f[1]), t, has;
			struct attr *a;
			i128 v;

			if (s < 0 || sets[s].n == MAXATTRS)
				die("%s:%d: bad set", path, ln);
			a = &sets[s].a[sets[s].n];
			memset(a, 0, sizeof(*a));
			snprintf(a->name, sizeof(a->name), "%.63s", f[2]);
			a->id = atoi(f[3]);
			for (t = 0; t < T_NTYPES && strcmp(tnames[t], f[4]); t++)
				;
			if (t == T_NTYPES)
				die("%s:%d: unknown type %s", path, ln, f[4]);
			a->type = t;
			if (parse_num(f[5], &a->has_min, &a->min) ||
			    parse_num(f[6], &a->has_max, &a->max) ||
			    parse_num(f[7], &a->has_mask, &v))
				die("%s:%d: bad number", path, ln);
			a->mask = (uint64_t)v;
			if (parse_num(f[8], &has, &v))
				die("%s:%d: bad number", path, ln);
			a->minlen = has ? (int)v : -1;
			if (parse_num(f[9], &has, &v))
				die("%s:%d: bad number", path, ln);
			a->maxlen = has ? (int)v : -1;
			a->nest = -1;
			if (strcmp(f[10], "-")) {
				pending_nest[s][sets[s].n] = 1;
				snprintf(nestname[s][sets[s].n], 64, "%.63s", f[10]);
			}
			a->multi = atoi(f[11]);
			sets[s].n++;
		} else if (!strcmp(f[0], "op") && n == 7) {
			struct op *o = &ops[nops];
			char *tok, *save;

			if (nops == MAXOPS)
				die("%s:%d: too many ops", path, ln);
			snprintf(o->name, sizeof(o->name), "%.63s", f[1]);
			o->cmd = atoi(f[2]);
			o->dump = !strcmp(f[3], "dump");
			o->admin = strstr(f[4], "admin-perm") != NULL;
			o->set = find_set(f[5]);
			if (o->set < 0)
				die("%s:%d: unknown set %s", path, ln, f[5]);
			for (tok = strtok_r(f[6], ",", &save); tok && strcmp(tok, "-");
			     tok = strtok_r(NULL, ",", &save)) {
				for (i = 0; i < sets[o->set].n; i++)
					if (!strcmp(sets[o->set].a[i].name, tok))
						break;
				if (i == sets[o->set].n)
					die("%s:%d: unknown attribute %s", path, ln, tok);
				o->req[o->nreq++] = i;
			}
			nops++;
		} else {
			die("%s:%d: cannot parse", path, ln);
		}
	}
	fclose(fp);
	for (i = 0; i < nsets; i++) {
		int j;

		for (j = 0; j < sets[i].n; j++) {
			if (!pending_nest[i][j])
				continue;
			sets[i].a[j].nest = find_set(nestname[i][j]);
			if (sets[i].a[j].nest < 0)
				die("%s: unknown nested set %s", path, nestname[i][j]);
		}
	}
	if (!nops)
		die("%s: no operations", path);
}

static int find_op(const char *name)
{
	int i;

	for (i = 0; i < nops; i++)
		if (!strcmp(ops[i].name, name) && !ops[i].dump)
			return i;
	return -1;
}

static int op_of_cmd(int cmd, int dump)
{
	int i;

	for (i = 0; i < nops; i++)
		if (ops[i].cmd == cmd && ops[i].dump == dump)
			return i;
	return -1;
}

/* ---- building messages ---- */

struct mb {
	uint8_t *buf;
	size_t len;
	size_t nest[8];
	int depth;
	size_t last;		/* offset of the last top-level attribute put */
};

static struct nlmsghdr *mb_init(struct mb *m, uint8_t *buf, uint16_t type,
				uint16_t flags, uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *nh = (struct nlmsghdr *)buf;
	struct genlmsghdr *gh = (struct genlmsghdr *)(buf + NLMSG_HDRLEN);

	memset(buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	m->buf = buf;
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
	m->depth = 0;
	m->last = 0;
	nh->nlmsg_type = type;
	nh->nlmsg_flags = flags;
	gh->cmd = cmd;
	gh->version = version;
	return nh;
}

static int mb_room(const struct mb *m, size_t len)
{
	return m->len + NLA_HDRLEN + NLA_ALIGN(len) + 64 <= MSGCAP &&
	       NLA_HDRLEN + len <= 0xffff;
}

/* Put an attribute whose header claims @hlen bytes but @len are written. */
static uint8_t *mb_put_raw(struct mb *m, uint16_t type, const void *p,
			   size_t len, size_t hlen)
{
	struct nlattr *a = (struct nlattr *)(m->buf + m->len);

	if (!mb_room(m, len))
		return NULL;
	a->nla_type = type;
	a->nla_len = (uint16_t)hlen;
	if (len && p)
		memcpy(a + 1, p, len);
	else if (len)
		memset(a + 1, 0, len);
	memset((uint8_t *)(a + 1) + len, 0, NLA_ALIGN(len) - len);
	if (!m->depth)
		m->last = m->len;
	m->len += NLA_HDRLEN + NLA_ALIGN(len);
	return (uint8_t *)(a + 1);
}

static uint8_t *mb_put(struct mb *m, uint16_t type, const void *p, size_t len)
{
	return mb_put_raw(m, type, p, len, NLA_HDRLEN + len);
}

static int mb_nest_start(struct mb *m, uint16_t type)
{
	if (m->depth == 8 || !mb_room(m, 0))
		return -1;
	if (!m->depth)
		m->last = m->len;
	m->nest[m->depth++] = m->len;
	mb_put_raw(m, type, NULL, 0, NLA_HDRLEN);
	if (m->depth == 1)
		m->last = m->nest[0];
	return 0;
}

static void mb_nest_end(struct mb *m)
{
	size_t off = m->nest[--m->depth];
	struct nlattr *a = (struct nlattr *)(m->buf + off);
	size_t len = m->len - off;

	a->nla_len = len > 0xffff ? 0xffff : (uint16_t)len;
}

static void mb_finish(struct mb *m)
{
	while (m->depth)
		mb_nest_end(m);
	((struct nlmsghdr *)m->buf)->nlmsg_len = (uint32_t)m->len;
}

static int tsize(int type)
{
	switch (type) {
	case T_U8: case T_S8: return 1;
	case T_U16: case T_S16: return 2;
	case T_U32: case T_S32: return 4;
	case T_U64: case T_S64: return 8;
	case T_FLAG: return 0;
	}
	return -1;
}

static int is_int(int type)
{
	return type <= T_S64;
}

static int is_signed(int type)
{
	return type >= T_S8 && type <= T_S64;
}

/* The type's own range. */
static void trange(int type, i128 *lo, i128 *hi)
{
	int bits = 8 * tsize(type);

	if (is_signed(type)) {
		*hi = ((i128)1 << (bits - 1)) - 1;
		*lo = -*hi - 1;
	} else {
		*lo = 0;
		*hi = ((i128)1 << bits) - 1;
	}
}

/*
 * What the attribute's bytes say when @v is put: out of the type's
 * range the value wraps (min-1 of 0 is all-ones, max+1 of all-ones 0).
 */
static i128 wrap(int type, i128 v)
{
	int bits = 8 * tsize(type);
	uint64_t bm = bits == 64 ? ~0ULL : (1ULL << bits) - 1;
	uint64_t u = (uint64_t)v & bm;

	if (is_signed(type) && (u >> (bits - 1)) & 1)
		return (i128)u - ((i128)1 << bits);
	return (i128)u;
}

static char *i128str(i128 v, char *buf)
{
	char tmp[48];
	int n = 0, neg = v < 0, i = 0;
	unsigned __int128 u = neg ? -(unsigned __int128)v : (unsigned __int128)v;

	do {
		tmp[n++] = (char)('0' + (int)(u % 10));
		u /= 10;
	} while (u);
	if (neg)
		buf[i++] = '-';
	while (n)
		buf[i++] = tmp[--n];
	buf[i] = 0;
	return buf;
}

/* Does the spec allow @v for @a? */
static int int_ok(const struct attr *a, i128 v)
{
	if (a->has_min && v < a->min)
		return 0;
	if (a->has_max && v > a->max)
		return 0;
	if (a->has_mask && ((uint64_t)v & ~a->mask))
		return 0;
	return 1;
}

static void put_int(struct mb *m, const struct attr *a, i128 v)
{
	uint64_t u = (uint64_t)v;	/* little endian: the low bytes */

	mb_put(m, a->id | 0, &u, tsize(a->type));
}

static i128 valid_int(struct thr *t, const struct attr *a)
{
	i128 lo, hi, v;

	trange(a->type, &lo, &hi);
	if (a->has_min && a->min > lo)
		lo = a->min;
	if (a->has_max && a->max < hi)
		hi = a->max;
	if (a->has_mask)
		return (i128)(rnd(t) & a->mask);
	switch (rn(t, 4)) {
	case 0:
		return lo;
	case 1:
		return hi;
	case 2:
		v = lo + (i128)rn(t, 16);
		return v > hi ? hi : v;
	}
	v = lo + (i128)(rnd(t) % (uint64_t)((hi - lo) > (i128)UINT64_MAX - 1 ?
					 UINT64_MAX : (uint64_t)(hi - lo + 1)));
	return v;
}

static void rand_bytes(struct thr *t, uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)rnd(t);
}

static void rand_str(struct thr *t, char *s, int len)
{
	int i;

	for (i = 0; i < len; i++)
		s[i] = (char)('a' + rn(t, 26));
	s[len] = 0;
}

static void gen_set(struct thr *t, struct mb *m, int set, int depth);

/* A valid attribute @a (per the spec). */
static void gen_attr(struct thr *t, struct mb *m, const struct attr *a, int depth)
{
	uint8_t b[512];
	char s[1100];
	int len;

	if (is_int(a->type)) {
		put_int(m, a, valid_int(t, a));
	} else if (a->type == T_FLAG) {
		mb_put(m, a->id, NULL, 0);
	} else if (a->type == T_STRING) {
		len = a->maxlen >= 0 ? (int)rn(t, a->maxlen) + 1 : (int)rn(t, 24) + 1;
		if (a->maxlen >= 0 && len > a->maxlen)
			len = a->maxlen;
		if (a->maxlen >= 0 && rn(t, 4) == 0)
			len = a->maxlen;	/* the longest the spec allows */
		if (len < 1)
			len = 1;
		rand_str(t, s, len);
		mb_put(m, a->id, s, len + 1);
	} else if (a->type == T_BINARY) {
		static const int lens[] = { 4, 8, 16, 20, 24, 40 };

		len = lens[rn(t, 6)];
		if (a->maxlen >= 0 && (len > a->maxlen || rn(t, 4) == 0))
			len = (int)rn(t, a->maxlen + 1);
		if (a->minlen >= 0 && len < a->minlen)
			len = a->minlen;
		if (len > (int)sizeof(b))
			len = sizeof(b);
		if (rn(t, 2))
			rand_bytes(t, b, len);
		else
			memset(b, 0, len);
		if (len >= 5 && rn(t, 2))
			b[len >= 20 ? 16 : 4] = (uint8_t)rn(t, 33);
		mb_put(m, a->id, b, len);
	} else if (a->type == T_NEST) {
		if (mb_nest_start(m, a->id | NLA_F_NESTED))
			return;
		if (depth < 3)
			gen_set(t, m, a->nest, depth + 1);
		mb_nest_end(m);
	}
}

static int usable(const struct attr *a)
{
	return a->type != T_PAD && a->type != T_UNUSED;
}

/* Valid contents of a nest of @set: a random subset of its attributes. */
static void gen_set(struct thr *t, struct mb *m, int set, int depth)
{
	const struct aset *s = &sets[set];
	int i, k;

	for (i = 0; i < s->n; i++) {
		if (!usable(&s->a[i]) || rn(t, 3))
			continue;
		k = s->a[i].multi ? 1 + (int)rn(t, 3) : 1;
		while (k--)
			gen_attr(t, m, &s->a[i], depth);
	}
}

/* Valid top-level attributes of @o, a random subset (maybe none). */
static void gen_op(struct thr *t, struct mb *m, const struct op *o, int skip)
{
	const struct aset *s = &sets[o->set];
	int i, k;

	for (i = 0; i < o->nreq; i++) {
		if (o->req[i] == skip || rn(t, 2))
			continue;
		k = s->a[o->req[i]].multi ? 1 + (int)rn(t, 2) : 1;
		while (k--)
			gen_attr(t, m, &s->a[o->req[i]], 1);
	}
}

/*
 * The attribute a mutation hits: chain[0] a top-level attribute the
 * operation takes (or, for an operation that takes none, any attribute of
 * its set: anything is then wrong), chain[i] one of the nest chain[i-1].
 * Returns the chain's length (0: nothing to hit).
 */
static int pick_chain(struct thr *t, const struct op *o, const struct attr **chain,
		      int want_type)
{
	const struct aset *s = &sets[o->set];
	const struct attr *cand[MAXATTRS];
	int n = 0, i, len, tries;

	for (tries = 0; tries < 8; tries++) {
		n = 0;
		if (o->nreq) {
			for (i = 0; i < o->nreq; i++)
				cand[n++] = &s->a[o->req[i]];
		} else {
			for (i = 0; i < s->n; i++)
				if (usable(&s->a[i]))
					cand[n++] = &s->a[i];
		}
		if (!n)
			return 0;
		chain[0] = cand[rn(t, n)];
		len = 1;
		while (chain[len - 1]->type == T_NEST && len < 3 && rn(t, 2)) {
			const struct aset *ns = &sets[chain[len - 1]->nest];

			n = 0;
			for (i = 0; i < ns->n; i++)
				if (usable(&ns->a[i]))
					cand[n++] = &ns->a[i];
			if (!n)
				break;
			chain[len++] = cand[rn(t, n)];
		}
		if (want_type < 0)
			return len;
		if (want_type == T_NTYPES ? is_int(chain[len - 1]->type) :
		    chain[len - 1]->type == want_type)
			return len;
	}
	return 0;
}

/* Open the nests of chain[0..len-2] with valid siblings around. */
static void open_chain(struct thr *t, struct mb *m, const struct op *o,
		       const struct attr **chain, int len)
{
	int i, j;

	gen_op(t, m, o, -1);
	for (i = 0; i < len - 1; i++) {
		const struct aset *ns = &sets[chain[i]->nest];

		mb_nest_start(m, chain[i]->id | NLA_F_NESTED);
		for (j = 0; j < ns->n; j++)
			if (&ns->a[j] != chain[i + 1] && usable(&ns->a[j]) &&
			    !rn(t, 3))
				gen_attr(t, m, &ns->a[j], i + 2);
	}
}

/* ---- talking ---- */

static int open_sock(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	int one = 1, big = 4 << 20;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	if (fd < 0)
		die("socket: %s", strerror(errno));
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof(big)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("bind: %s", strerror(errno));
	return fd;
}

/* The extack message among the TLVs at @p (@len bytes), if any. */
static int find_extack(const uint8_t *p, int len, char *out, size_t outsz)
{
	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)p;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			return -1;
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG) {
			snprintf(out, outsz, "%.*s", (int)(a->nla_len - NLA_HDRLEN),
				 (const char *)(a + 1));
			return 1;
		}
		len -= NLA_ALIGN(a->nla_len);
		p += NLA_ALIGN(a->nla_len);
	}
	return 0;
}

/* Attributes of a reply are well formed (lengths add up). */
static int attrs_ok(const uint8_t *p, int len)
{
	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)p;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			return 0;
		if ((int)NLA_ALIGN(a->nla_len) >= len)
			return 1;
		len -= NLA_ALIGN(a->nla_len);
		p += NLA_ALIGN(a->nla_len);
	}
	return len == 0;
}

/*
 * Read until the answer to @seq: its NLMSG_ERROR, or for a dump its
 * NLMSG_DONE (or an NLMSG_ERROR from the dump's start).
 */
static void wait_answer(struct thr *t, int fd, uint32_t seq, int dump,
			struct res *r, int tmo)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	memset(r, 0, sizeof(*r));
	for (;;) {
		struct nlmsghdr *nh;
		ssize_t n;
		int len, pr = poll(&pfd, 1, tmo);

		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0) {
			r->kind = RES_TIMEOUT;
			return;
		}
		n = recv(fd, t->rcv, RCVCAP, MSG_TRUNC);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			r->kind = RES_MALFORMED;
			snprintf(r->msg, sizeof(r->msg), "recv: %s", strerror(errno));
			return;
		}
		if (n > RCVCAP) {
			r->kind = RES_MALFORMED;
			snprintf(r->msg, sizeof(r->msg), "reply of %zd bytes truncated", n);
			return;
		}
		len = (int)n;
		for (nh = (struct nlmsghdr *)t->rcv; NLMSG_OK(nh, len);
		     nh = NLMSG_NEXT(nh, len)) {
			uint8_t *pl = NLMSG_DATA(nh);
			int plen = nh->nlmsg_len - NLMSG_HDRLEN;

			if (nh->nlmsg_seq != seq) {
				r->kind = RES_MALFORMED;
				snprintf(r->msg, sizeof(r->msg),
					 "reply type %u with seq %u, expected %u",
					 nh->nlmsg_type, nh->nlmsg_seq, seq);
				return;
			}
			if (nh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = (struct nlmsgerr *)pl;
				int off;

				if (plen < (int)sizeof(*e)) {
					r->kind = RES_MALFORMED;
					snprintf(r->msg, sizeof(r->msg), "short NLMSG_ERROR (%d bytes)", plen);
					return;
				}
				off = sizeof(*e);
				if (!(nh->nlmsg_flags & NLM_F_CAPPED))
					off += NLMSG_ALIGN(e->msg.nlmsg_len) - NLMSG_HDRLEN;
				r->err = -e->error;
				r->kind = e->error ? RES_ERR : RES_OK;
				if (e->error > 0 || r->err >= MAXERRNO) {
					r->kind = RES_MALFORMED;
					snprintf(r->msg, sizeof(r->msg), "error %d", e->error);
					return;
				}
				if ((nh->nlmsg_flags & NLM_F_ACK_TLVS) && off <= plen) {
					r->extack = find_extack(pl + off, plen - off,
								r->msg, sizeof(r->msg));
					if (r->extack < 0) {
						r->kind = RES_MALFORMED;
						snprintf(r->msg, sizeof(r->msg), "bad extack TLVs");
					}
				}
				return;
			}
			if (nh->nlmsg_type == NLMSG_DONE && dump) {
				int e = plen >= 4 ? *(int *)pl : 0;

				r->err = -e;
				r->kind = e ? RES_ERR : RES_OK;
				if (e > 0 || r->err >= MAXERRNO) {
					r->kind = RES_MALFORMED;
					snprintf(r->msg, sizeof(r->msg), "DONE error %d", e);
					return;
				}
				if ((nh->nlmsg_flags & NLM_F_ACK_TLVS) && plen > 4)
					r->extack = find_extack(pl + 4, plen - 4,
								r->msg, sizeof(r->msg));
				return;
			}
			if ((nh->nlmsg_type != family &&
			     nh->nlmsg_type != GENL_ID_CTRL) || plen < (int)GENL_HDRLEN ||
			    !attrs_ok(pl + GENL_HDRLEN, plen - GENL_HDRLEN) ||
			    (dump && !(nh->nlmsg_flags & NLM_F_MULTI))) {
				r->kind = RES_MALFORMED;
				snprintf(r->msg, sizeof(r->msg),
					 "bad reply: type %u len %u flags %#x",
					 nh->nlmsg_type, nh->nlmsg_len, nh->nlmsg_flags);
				return;
			}
		}
		if (len) {
			r->kind = RES_MALFORMED;
			snprintf(r->msg, sizeof(r->msg), "%d bytes of garbage after the replies", len);
			return;
		}
	}
}

static void xsend(int fd, const void *buf, size_t len)
{
	while (send(fd, buf, len, 0) < 0) {
		if (errno == EINTR)
			continue;
		die("send of %zu bytes: %s", len, strerror(errno));
	}
}

/* The family id (CTRL_CMD_GETFAMILY); also the probe after a silent message. */
static int ctrl_getfamily(struct thr *t, int fd, uint32_t seq, int probe)
{
	uint8_t buf[256];
	struct mb m;
	struct nlmsghdr *nh = mb_init(&m, buf, GENL_ID_CTRL,
				      NLM_F_REQUEST | NLM_F_ACK,
				      CTRL_CMD_GETFAMILY, 1);
	int len, id = -1;
	ssize_t n;

	mb_put(&m, CTRL_ATTR_FAMILY_NAME, "nguard", 7);
	mb_finish(&m);
	nh->nlmsg_seq = seq;
	xsend(fd, buf, m.len);
	if (probe)
		return 0;
	for (;;) {
		n = recv(fd, t->rcv, RCVCAP, 0);
		if (n < 0)
			die("recv: %s", strerror(errno));
		len = (int)n;
		for (nh = (struct nlmsghdr *)t->rcv; NLMSG_OK(nh, len);
		     nh = NLMSG_NEXT(nh, len)) {
			if (nh->nlmsg_type == NLMSG_ERROR) {
				int e = ((struct nlmsgerr *)NLMSG_DATA(nh))->error;

				if (e)
					die("family nguard: %s (module not loaded?)", strerror(-e));
				return id;
			}
			if (nh->nlmsg_type == GENL_ID_CTRL) {
				uint8_t *p = (uint8_t *)NLMSG_DATA(nh) + GENL_HDRLEN;
				int l = nh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;

				while (l >= NLA_HDRLEN) {
					struct nlattr *a = (struct nlattr *)p;

					if (a->nla_len < NLA_HDRLEN)
						break;
					if (a->nla_type == CTRL_ATTR_FAMILY_ID)
						id = *(uint16_t *)(a + 1);
					l -= NLA_ALIGN(a->nla_len);
					p += NLA_ALIGN(a->nla_len);
				}
			}
		}
	}
}

/* ---- judging ---- */

static void judge(struct thr *t, int cls, int opi, int expect,
		  const struct res *r, const char *what)
{
	struct stats *st = &t->st;
	const char *on = opi >= 0 ? ops[opi].name : "(none)";
	int oi = opi >= 0 ? opi : nops;

	st->cls[cls][0]++;
	switch (r->kind) {
	case RES_TIMEOUT:
		st->timeouts++;
		example(0, "timeout cmd=%s class=%s %s", on, cnames[cls], what);
		return;
	case RES_MALFORMED:
		st->malformed++;
		example(1, "malformed cmd=%s class=%s %s: %s", on, cnames[cls],
			what, r->msg);
		return;
	case RES_NONE:
		st->silent++;
		if (expect != EXP_SILENT) {
			st->timeouts++;
			example(0, "no reply cmd=%s class=%s %s", on, cnames[cls], what);
		}
		return;
	case RES_OK:
		st->ok++;
		st->cls[cls][1]++;
		if (expect == EXP_SILENT) {
			st->replied_silent++;
			example(2, "reply to a message that must get none cmd=%s class=%s %s",
				on, cnames[cls], what);
		} else if (expect == EXP_BAD || expect == EXP_CORE) {
			st->bad_accepted++;
			example(3, "accepted cmd=%s class=%s expect=%s %s", on,
				cnames[cls], expnames[expect], what);
		}
		return;
	}
	st->errnos[r->err]++;
	if (r->extack) {
		st->err_ext++;
		st->cls[cls][2]++;
	} else {
		st->err_noext++;
		st->cls[cls][3]++;
		st->noext[oi][r->err]++;
		if (expect != EXP_CORE && expect != EXP_SILENT) {
			st->noext_due++;
			example(4, "error without extack cmd=%s errno=%s class=%s expect=%s %s",
				on, ename(r->err), cnames[cls], expnames[expect], what);
		} else {
			example(5, "error without extack (genetlink core) cmd=%s errno=%s class=%s %s",
				on, ename(r->err), cnames[cls], what);
		}
	}
	if (expect == EXP_SILENT) {
		st->replied_silent++;
		example(2, "reply to a message that must get none cmd=%s class=%s %s (%s)",
			on, cnames[cls], what, ename(r->err));
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Send the message in t->msg (@sendlen bytes), read and judge the answer. */
static void request(struct thr *t, int sk, int cls, int opi, int expect,
		    int dump, size_t sendlen, const char *what, struct res *out)
{
	struct sock *s = &t->s[sk];
	struct nlmsghdr *nh = (struct nlmsghdr *)t->msg;
	struct res r;
	uint32_t seq = ++s->seq;
	double t0 = now();

	nh->nlmsg_seq = seq;
	xsend(s->fd, t->msg, sendlen);
	t->st.sent++;
	t->st.opsent[opi >= 0 ? opi : nops]++;
	if (expect == EXP_SILENT) {
		/* Nothing may come for @seq; the probe's answer comes first. */
		uint32_t pseq = ++s->seq;

		ctrl_getfamily(t, s->fd, pseq, 1);
		wait_answer(t, s->fd, pseq, 0, &r, timeout_ms);
		if (r.kind == RES_MALFORMED && strstr(r.msg, "with seq")) {
			/* Something answered the silent message. */
			r.kind = RES_OK;
		} else if (r.kind == RES_OK) {
			r.kind = RES_NONE;
		}
	} else {
		wait_answer(t, s->fd, seq, dump, &r, timeout_ms);
	}
	t->st.opusec[opi >= 0 ? opi : nops] += (uint64_t)((now() - t0) * 1e6);
	judge(t, cls, opi, expect, &r, what);
	if (out)
		*out = r;
}

/* A message of @o per @cls in t->msg; returns its expectation. */
static int build(struct thr *t, struct mb *m, int opi, int cls, int *dump,
		 size_t *sendlen, char *what, size_t wsz)
{
	const struct op *o = &ops[opi];
	const struct attr *chain[4];
	uint16_t flags = NLM_F_REQUEST | NLM_F_ACK | (o->dump ? NLM_F_DUMP : 0);
	uint8_t ver = (uint8_t)spec_version, cmd = (uint8_t)o->cmd;
	struct nlmsghdr *nh;
	uint8_t b[65536];
	int len, k, expect = EXP_VALID, i;
	const struct attr *a;
	i128 v, lo, hi;

	*dump = o->dump;
	what[0] = 0;
	switch (cls) {
	case C_BADCMD:
		/* A command the table does not have, or no such family. */
		if (rn(t, 4)) {
			do {
				cmd = (uint8_t)rnd(t);
			} while (op_of_cmd(cmd, 0) >= 0 || op_of_cmd(cmd, 1) >= 0);
			snprintf(what, wsz, "cmd %u", cmd);
			nh = mb_init(m, t->msg, family, flags, cmd, ver);
		} else {
			snprintf(what, wsz, "nlmsg_type 0xfff0");
			nh = mb_init(m, t->msg, 0xfff0, flags, cmd, ver);
		}
		mb_finish(m);
		*sendlen = m->len;
		return EXP_CORE;
	case C_DUMPMIX:
		flags ^= NLM_F_DUMP;
		*dump = !o->dump;
		if (op_of_cmd(o->cmd, *dump) >= 0)
			break;	/* both exist: a valid message */
		nh = mb_init(m, t->msg, family, flags, cmd, ver);
		mb_finish(m);
		*sendlen = m->len;
		snprintf(what, wsz, "%s as a %s", o->dump ? "dump" : "do",
			 *dump ? "dump" : "do");
		return EXP_CORE;
	case C_BADVER:
		do {
			ver = (uint8_t)rnd(t);
		} while (ver == spec_version);
		snprintf(what, wsz, "version %u", ver);
		break;
	case C_RESERVED:
		nh = mb_init(m, t->msg, family, flags, cmd, ver);
		if (rn(t, 2)) {
			((struct genlmsghdr *)NLMSG_DATA(nh))->reserved = (uint16_t)(1 + rn(t, 0xfffe));
			snprintf(what, wsz, "genlmsghdr.reserved");
		} else {
			static const uint16_t bad[] = { NLM_F_MULTI, NLM_F_ROOT,
				NLM_F_MATCH, NLM_F_ATOMIC, NLM_F_EXCL, NLM_F_CREATE,
				NLM_F_APPEND, NLM_F_DUMP_FILTERED, 0x8000 };

			if (o->dump) {
				nh->nlmsg_flags |= NLM_F_MULTI;
			} else {
				uint16_t f = bad[rn(t, 9)];

				nh->nlmsg_flags |= f;
				if ((nh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP)
					nh->nlmsg_flags |= NLM_F_EXCL;
			}
			snprintf(what, wsz, "nlmsg_flags %#x", nh->nlmsg_flags);
		}
		gen_op(t, m, o, -1);
		mb_finish(m);
		*sendlen = m->len;
		return EXP_BAD;
	}
	nh = mb_init(m, t->msg, family, flags, cmd, ver);
	switch (cls) {
	case C_VALID:
	case C_BADVER:
	case C_DUMPMIX:
		gen_op(t, m, o, -1);
		break;
	case C_BOUNDARY:
		len = pick_chain(t, o, chain, T_NTYPES);
		if (!len) {
			gen_op(t, m, o, -1);
			snprintf(what, wsz, "no integer attribute");
			break;
		}
		open_chain(t, m, o, chain, len);
		a = chain[len - 1];
		trange(a->type, &lo, &hi);
		switch (rn(t, 6)) {
		case 0: v = a->has_min ? a->min : lo; break;
		case 1: v = a->has_max ? a->max : hi; break;
		case 2: v = (a->has_min ? a->min : lo) - 1; break;
		case 3: v = (a->has_max ? a->max : hi) + 1; break;
		case 4: v = 0; break;
		default: v = is_signed(a->type) ? -1 : hi; break;
		}
		v = wrap(a->type, v);
		put_int(m, a, v);
		expect = int_ok(a, v) ? EXP_VALID : EXP_BAD;
		snprintf(what, wsz, "%s.%s=%s", sets[o->set].name, a->name,
			 i128str(v, (char[48]){ 0 }));
		break;
	case C_WRONGLEN:
	case C_OVERSIZE:
		len = pick_chain(t, o, chain, -1);
		if (!len)
			goto unknown;
		open_chain(t, m, o, chain, len);
		a = chain[len - 1];
		if (is_int(a->type) || a->type == T_FLAG) {
			do {
				k = cls == C_WRONGLEN ? (int)rn(t, 10) : 9 + (int)rn(t, 200);
			} while (k == tsize(a->type));
			rand_bytes(t, b, k);
			mb_put(m, a->id, b, k);
			expect = EXP_BAD;
		} else if (a->type == T_STRING) {
			if (cls == C_WRONGLEN) {
				/* No NUL at the end. */
				k = 1 + (int)rn(t, a->maxlen > 0 ? a->maxlen : 16);
				rand_str(t, (char *)b, k);
				mb_put(m, a->id, b, k);
				expect = EXP_BAD;
			} else {
				/* Over max-len, or huge. */
				k = a->maxlen >= 0 && rn(t, 2) ?
				    a->maxlen + 1 + (int)rn(t, 64) : 1000 + (int)rn(t, 60000);
				rand_str(t, (char *)b, k);
				mb_put(m, a->id, b, k + 1);
				expect = a->maxlen >= 0 && k > a->maxlen ? EXP_BAD : EXP_VALID;
			}
		} else if (a->type == T_BINARY) {
			if (a->maxlen >= 0)
				k = a->maxlen + 1 + (int)rn(t, cls == C_OVERSIZE ? 60000 : 8);
			else if (a->minlen > 0)
				k = (int)rn(t, a->minlen);
			else
				k = cls == C_OVERSIZE ? 1000 + (int)rn(t, 60000) : (int)rn(t, 7);
			rand_bytes(t, b, k);
			mb_put(m, a->id, b, k);
			expect = (a->maxlen >= 0 && k > a->maxlen) ||
				 (a->minlen >= 0 && k < a->minlen) ? EXP_BAD : EXP_VALID;
		} else {
			/* A nest of 1..3 bytes: no room for an attribute header. */
			k = 1 + (int)rn(t, 3);
			rand_bytes(t, b, k);
			mb_put(m, a->id | NLA_F_NESTED, b, k);
			expect = EXP_BAD;
		}
		snprintf(what, wsz, "%s.%s (%s) %d bytes", sets[o->set].name,
			 a->name, tnames[a->type], k);
		break;
	case C_TRUNC:
		gen_op(t, m, o, -1);
		len = pick_chain(t, o, chain, -1);
		if (len) {
			gen_attr(t, m, chain[0], 1);
		} else {
			k = 8;
			memset(b, 0, k);
			mb_put(m, (uint16_t)(1 + rn(t, 100)), b, k);
		}
		/* The last attribute claims more than the message holds. */
		{
			struct nlattr *last = (struct nlattr *)(m->buf + m->last);
			int extra = NLA_ALIGN(last->nla_len) - last->nla_len +
				    1 + (int)rn(t, 64);

			if (last->nla_len + extra > 0xffff)
				extra = 0xffff - last->nla_len;
			last->nla_len += extra;
			snprintf(what, wsz, "last attribute type %u nla_len +%d",
				 last->nla_type & NLA_TYPE_MASK, extra);
		}
		expect = EXP_BAD;
		break;
	case C_UNKNOWN:
unknown:
		if (rn(t, 3) || !o->nreq) {
			/* A top-level id the operation does not take. */
			uint16_t id;

			gen_op(t, m, o, -1);
			for (;;) {
				id = rn(t, 3) ? (uint16_t)rn(t, sets[o->set].maxid + 2) :
						(uint16_t)rn(t, 0x3fff);
				for (i = 0; i < o->nreq; i++)
					if (sets[o->set].a[o->req[i]].id == id)
						break;
				if (i == o->nreq)
					break;
			}
			k = (int)rn(t, 9);
			rand_bytes(t, b, k);
			mb_put(m, id, b, k);
			snprintf(what, wsz, "top-level id %u", id);
		} else {
			/* An id beyond a nest's set, or 0. */
			len = pick_chain(t, o, chain, T_NEST);
			if (!len) {
				gen_op(t, m, o, -1);
				mb_put(m, (uint16_t)(sets[o->set].maxid + 1 + rn(t, 50)), b, 4);
				snprintf(what, wsz, "top-level id beyond the set");
				expect = EXP_BAD;
				break;
			}
			chain[len] = NULL;
			open_chain(t, m, o, chain, len + 1);
			k = rn(t, 4) ? sets[chain[len - 1]->nest].maxid + 1 + (int)rn(t, 100) : 0;
			memset(b, 0, 8);
			mb_put(m, (uint16_t)k, b, 4);
			snprintf(what, wsz, "id %d in nest %s", k, chain[len - 1]->name);
		}
		expect = EXP_BAD;
		break;
	case C_NESTGARB:
		len = pick_chain(t, o, chain, T_NEST);
		if (!len)
			goto unknown;
		open_chain(t, m, o, chain, len);
		a = chain[len - 1];
		/* Garbage whose first attribute header is impossible. */
		k = 4 + (int)rn(t, 60);
		rand_bytes(t, b, k);
		switch (rn(t, 3)) {
		case 0: /* nla_len below the header size */
			b[0] = (uint8_t)rn(t, 4);
			b[1] = 0;
			break;
		case 1: /* nla_len past the nest */
			b[0] = (uint8_t)(k + 4 + rn(t, 100));
			b[1] = 0;
			break;
		default: /* type 0 */
			b[0] = 4;
			b[1] = 0;
			b[2] = 0;
			b[3] = 0;
			break;
		}
		mb_put(m, a->id | NLA_F_NESTED, b, k);
		snprintf(what, wsz, "nest %s: %d garbage bytes", a->name, k);
		expect = EXP_BAD;
		break;
	case C_NESTFLAG:
		len = pick_chain(t, o, chain, -1);
		if (!len)
			goto unknown;
		open_chain(t, m, o, chain, len);
		a = chain[len - 1];
		if (a->type == T_NEST) {
			/* A nest without NLA_F_NESTED. */
			k = (int)m->len;
			gen_attr(t, m, a, len);
			((struct nlattr *)(m->buf + k))->nla_type &= ~NLA_F_NESTED;
		} else {
			k = (int)m->len;
			gen_attr(t, m, a, len);
			((struct nlattr *)(m->buf + k))->nla_type |= NLA_F_NESTED;
		}
		snprintf(what, wsz, "%s.%s with NLA_F_NESTED %s", sets[o->set].name,
			 a->name, a->type == T_NEST ? "cleared" : "set");
		expect = EXP_BAD;
		break;
	case C_ZEROSTR:
		len = pick_chain(t, o, chain, T_STRING);
		if (!len)
			goto unknown;
		open_chain(t, m, o, chain, len);
		mb_put(m, chain[len - 1]->id, NULL, 0);
		snprintf(what, wsz, "empty string %s", chain[len - 1]->name);
		expect = EXP_BAD;
		break;
	case C_DUP:
		gen_op(t, m, o, -1);
		len = pick_chain(t, o, chain, -1);
		if (!len)
			goto unknown;
		open_chain(t, m, o, chain, len);
		k = 2 + (int)rn(t, 20);
		for (i = 0; i < k; i++)
			gen_attr(t, m, chain[len - 1], len);
		snprintf(what, wsz, "%s x%d", chain[len - 1]->name, k);
		break;
	case C_HUGE:
		len = pick_chain(t, o, chain, -1);
		if (!len)
			goto unknown;
		open_chain(t, m, o, chain, len);
		k = 200 + (int)rn(t, 3000);
		for (i = 0; i < k && m->len < MSGCAP / 2; i++)
			gen_attr(t, m, chain[len - 1], len);
		snprintf(what, wsz, "%s x%d", chain[len - 1]->name, i);
		break;
	case C_NLMSGLEN:
		gen_op(t, m, o, -1);
		mb_finish(m);
		*sendlen = m->len;
		switch (rn(t, 4)) {
		case 0: /* longer than the datagram */
			nh->nlmsg_len = (uint32_t)m->len + 1 + (uint32_t)rn(t, 1000);
			snprintf(what, wsz, "nlmsg_len %u > %zu sent", nh->nlmsg_len, m->len);
			return EXP_SILENT;
		case 1: /* shorter than a netlink header */
			nh->nlmsg_len = (uint32_t)rn(t, NLMSG_HDRLEN);
			snprintf(what, wsz, "nlmsg_len %u", nh->nlmsg_len);
			return EXP_SILENT;
		case 2: /* no room for the genetlink header */
			nh->nlmsg_len = NLMSG_HDRLEN + (uint32_t)rn(t, GENL_HDRLEN);
			*sendlen = nh->nlmsg_len;
			snprintf(what, wsz, "nlmsg_len %u", nh->nlmsg_len);
			return EXP_CORE;
		}
		/* Shorter, cutting into the last attribute (the rest < 16 bytes). */
		if (m->last) {
			struct nlattr *last = (struct nlattr *)(m->buf + m->last);
			int cut = 1 + (int)rn(t, 15);
			int pad = NLA_ALIGN(last->nla_len) - last->nla_len;
			int body = (int)(m->len - m->last);

			if (cut > body - 1)
				cut = body - 1;
			nh->nlmsg_len -= cut;
			snprintf(what, wsz, "nlmsg_len cut by %d into the last attribute", cut);
			return cut > pad ? EXP_BAD : EXP_VALID;
		}
		nh->nlmsg_len = (uint32_t)m->len + 1 + (uint32_t)rn(t, 3);
		*sendlen = nh->nlmsg_len;
		memset(t->msg + m->len, 0, 4);
		snprintf(what, wsz, "%u trailing bytes", nh->nlmsg_len - (uint32_t)m->len);
		return EXP_BAD;
	}
	mb_finish(m);
	*sendlen = m->len;
	return expect;
}

/* An empty request of @opi on socket @sk. */
static void simple(struct thr *t, int sk, int opi, int cls, int expect,
		   struct res *r, const char *what)
{
	struct mb m;

	mb_init(&m, t->msg, family, NLM_F_REQUEST | NLM_F_ACK,
		(uint8_t)ops[opi].cmd, (uint8_t)spec_version);
	if (opi >= 0 && ops[opi].nreq && rn(t, 2))
		gen_op(t, &m, &ops[opi], -1);
	mb_finish(&m);
	request(t, sk, cls, opi, expect, 0, m.len, what, r);
}

static int op_begin, op_add, op_commit, op_abort;

/* Out-of-order transaction steps; the last socket is another one. */
static void txn(struct thr *t)
{
	int other = t->nsock > 1 ? 1 : 0;
	struct res r;

	switch (rn(t, 5)) {
	case 0:
		simple(t, 0, op_abort, C_TXN, EXP_VALID, &r, "abort (clean)");
		simple(t, 0, op_add, C_TXN, EXP_BAD, &r, "add without begin");
		simple(t, 0, op_commit, C_TXN, EXP_BAD, &r, "commit without begin");
		break;
	case 1:
		simple(t, 0, op_begin, C_TXN, EXP_VALID, &r, "begin");
		if (r.kind != RES_OK)
			break;
		simple(t, 0, op_add, C_TXN, EXP_VALID, &r, "add");
		simple(t, 0, op_commit, C_TXN, EXP_VALID, &r, "commit");
		simple(t, 0, op_commit, C_TXN, EXP_BAD, &r, "commit twice");
		break;
	case 2:
		simple(t, 0, op_begin, C_TXN, EXP_VALID, &r, "begin");
		if (r.kind != RES_OK || !other)
			break;
		simple(t, other, op_add, C_TXN, EXP_BAD, &r, "add on another socket");
		simple(t, other, op_commit, C_TXN, EXP_BAD, &r, "commit on another socket");
		simple(t, other, op_abort, C_TXN, EXP_BAD, &r, "abort on another socket");
		simple(t, other, op_begin, C_TXN, EXP_BAD, &r, "begin on another socket");
		simple(t, 0, op_abort, C_TXN, EXP_VALID, &r, "abort");
		break;
	case 3:
		simple(t, 0, op_begin, C_TXN, EXP_VALID, &r, "begin");
		simple(t, 0, op_begin, C_TXN, EXP_VALID, &r, "begin again");
		simple(t, 0, op_abort, C_TXN, EXP_VALID, &r, "abort");
		if (r.kind == RES_OK)
			simple(t, 0, op_abort, C_TXN, EXP_BAD, &r, "abort twice");
		break;
	default:
		simple(t, 0, op_begin, C_TXN, EXP_VALID, &r, "begin");
		if (r.kind != RES_OK)
			break;
		simple(t, 0, op_abort, C_TXN, EXP_VALID, &r, "abort");
		simple(t, 0, op_add, C_TXN, EXP_BAD, &r, "add after abort");
		break;
	}
}

/* BEGIN and ABORT on another socket while this one commits. */
struct racer {
	struct thr t;		/* a shadow with its own buffers and stats */
	volatile int stop;
};

static void *race_fn(void *arg)
{
	struct racer *rc = arg;
	struct res r;
	int n = 0;

	while (!rc->stop || n < 2) {
		simple(&rc->t, 1, n % 2 ? op_abort : op_begin, C_RACE, EXP_VALID,
		       &r, n % 2 ? "abort during commit" : "begin during commit");
		n++;
	}
	return NULL;
}

static void merge(struct stats *d, const struct stats *s);

static void race(struct thr *t)
{
	static struct racer rc_store[64];
	struct racer *rc = &rc_store[t->idx % 64];
	struct res r;
	pthread_t tid;
	int i;

	if (t->nsock < 2) {
		txn(t);
		return;
	}
	memset(&rc->t.st, 0, sizeof(rc->t.st));
	rc->t.idx = t->idx;
	rc->t.nsock = t->nsock;
	memcpy(rc->t.s, t->s, sizeof(t->s));
	rc->t.rng = rnd(t);
	if (!rc->t.msg) {
		rc->t.msg = malloc(MSGCAP);
		rc->t.rcv = malloc(RCVCAP);
		if (!rc->t.msg || !rc->t.rcv)
			die("out of memory");
	}
	rc->stop = 0;
	simple(t, 0, op_begin, C_RACE, EXP_VALID, &r, "begin");
	if (r.kind != RES_OK)
		return;
	for (i = 0; i < 1 + (int)rn(t, 4); i++)
		simple(t, 0, op_add, C_RACE, EXP_VALID, &r, "add");
	if (pthread_create(&tid, NULL, race_fn, rc))
		die("pthread_create");
	simple(t, 0, op_commit, C_RACE, EXP_VALID, &r, "commit");
	rc->stop = 1;
	pthread_join(tid, NULL);
	/* The racer used socket 1's sequence numbers. */
	t->s[1].seq = rc->t.s[1].seq;
	merge(&t->st, &rc->t.st);
	simple(t, 1, op_abort, C_RACE, EXP_VALID, &r, "abort (clean)");
}

static int cweight_total;

static int pick_class(struct thr *t)
{
	int i, x = (int)rn(t, cweight_total);

	for (i = 0; i < C_NCLASS; i++) {
		x -= cweight[i];
		if (x < 0)
			return i;
	}
	return C_VALID;
}

static int batch_max = 8;

/* Send the queued requests as one datagram, then judge each answer. */
static void flush_batch(struct thr *t)
{
	struct sock *s = &t->s[t->bsock];
	struct res r;
	int i;

	if (!t->nb)
		return;
	xsend(s->fd, t->batch, t->blen);
	for (i = 0; i < t->nb; i++) {
		wait_answer(t, s->fd, t->bq[i].seq, 0, &r, timeout_ms);
		judge(t, t->bq[i].cls, t->bq[i].opi, t->bq[i].expect, &r,
		      t->bq[i].what);
		if (r.kind == RES_TIMEOUT || r.kind == RES_MALFORMED)
			break;	/* the rest cannot be told apart any more */
	}
	t->nb = 0;
	t->blen = 0;
}

/* Queue the message in t->msg (@len bytes) for the next datagram. */
static void queue(struct thr *t, int cls, int opi, int expect, size_t len,
		  const char *what)
{
	struct nlmsghdr *nh = (struct nlmsghdr *)t->msg;

	if (t->nb && t->blen + NLMSG_ALIGN(len) > MSGCAP)
		flush_batch(t);
	if (!t->nb)
		t->bsock = (int)rn(t, t->nsock);
	nh->nlmsg_seq = ++t->s[t->bsock].seq;
	memcpy(t->batch + t->blen, t->msg, len);
	memset(t->batch + t->blen + len, 0, NLMSG_ALIGN(len) - len);
	t->blen += NLMSG_ALIGN(len);
	t->bq[t->nb].seq = nh->nlmsg_seq;
	t->bq[t->nb].cls = cls;
	t->bq[t->nb].opi = opi;
	t->bq[t->nb].expect = expect;
	snprintf(t->bq[t->nb].what, sizeof(t->bq[0].what), "%s", what);
	t->st.sent++;
	t->st.opsent[opi]++;
	if (++t->nb >= batch_max)
		flush_batch(t);
}

static double t_start;
static uint64_t next_progress;


static void *worker(void *arg)
{
	struct thr *t = arg;
	uint64_t k = 0;
	char what[200];
	size_t sendlen;
	struct mb m;
	int opi, cls, expect, dump, txn_ok = op_begin >= 0 && op_add >= 0 &&
		op_commit >= 0 && op_abort >= 0;

	while (t->st.sent < t->quota) {
		if (!t->idx && t->st.sent >= next_progress) {
			printf("NLFUZZ progress thread0 sent=%" PRIu64 " of %" PRIu64 " seconds=%.0f\n",
			       t->st.sent, t->quota, now() - t_start);
			next_progress += t->quota / 10 + 1;
		}
		opi = (int)((k++ + (uint64_t)t->idx) % (uint64_t)nops);
		cls = pick_class(t);
		if (cls == C_TXN || cls == C_RACE || cls == C_NLMSGLEN ||
		    ops[opi].dump)
			flush_batch(t);
		if (cls == C_TXN || cls == C_RACE) {
			if (!txn_ok)
				cls = C_VALID;
			else if (cls == C_TXN)
				txn(t);
			else
				race(t);
			if (cls != C_VALID)
				continue;
		}
		expect = build(t, &m, opi, cls, &dump, &sendlen, what, sizeof(what));
		/* Framing errors and dumps go alone; the rest share datagrams. */
		if (cls != C_NLMSGLEN && !dump && !ops[opi].dump && batch_max > 1)
			queue(t, cls, opi, expect, sendlen, what);
		else
			request(t, (int)rn(t, t->nsock), cls, opi, expect, dump,
				sendlen, what, NULL);
	}
	flush_batch(t);
	return NULL;
}

static void merge(struct stats *d, const struct stats *s)
{
	const uint64_t *sp = (const uint64_t *)s;
	uint64_t *dp = (uint64_t *)d;
	size_t i;

	for (i = 0; i < sizeof(*s) / sizeof(uint64_t); i++)
		dp[i] += sp[i];
}

/* ---- the permission check ---- */

static int perm_check(struct thr *t)
{
	int i, bad = 0;

	for (i = 0; i < nops; i++) {
		struct mb m;
		struct res r;

		mb_init(&m, t->msg, family,
			NLM_F_REQUEST | NLM_F_ACK | (ops[i].dump ? NLM_F_DUMP : 0),
			(uint8_t)ops[i].cmd, (uint8_t)spec_version);
		mb_finish(&m);
		request(t, 0, C_VALID, i, EXP_CORE, ops[i].dump, m.len, "perm", &r);
		printf("NLFUZZ perm op=%s kind=%s spec=%s result=%s\n", ops[i].name,
		       ops[i].dump ? "dump" : "do", ops[i].admin ? "admin-perm" : "open",
		       r.kind == RES_OK ? "ok" : r.kind == RES_ERR ? ename(r.err) : "no-answer");
		if (r.kind != RES_ERR || r.err != EPERM)
			bad++;
	}
	printf("NLFUZZ perm uid=%u ops=%d eperm=%d other=%d\n", getuid(), nops,
	       nops - bad, bad);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *table = "/tests/nguard-spec.txt", *netns = NULL;
	uint64_t total = 10000, seed = 0;
	int nthr = 4, nsock = 2, perm = 0, c, i, j, e, fails, nns = 0, self = -1;
	int nsfd[16];
	long uid = -1;
	struct thr *thr;
	struct stats all;
	double t0, t1;

	while ((c = getopt(argc, argv, "b:f:n:t:s:S:N:T:u:px:")) != -1) {
		switch (c) {
		case 'b': batch_max = atoi(optarg); break;
		case 'f': table = optarg; break;
		case 'n': total = strtoull(optarg, NULL, 0); break;
		case 't': nthr = atoi(optarg); break;
		case 's': nsock = atoi(optarg); break;
		case 'S': seed = strtoull(optarg, NULL, 0); break;
		case 'N': netns = optarg; break;
		case 'T': timeout_ms = atoi(optarg); break;
		case 'u': uid = strtol(optarg, NULL, 0); break;
		case 'p': perm = 1; break;
		case 'x': max_examples = atoi(optarg); break;
		default:
			die("usage: ng-nl-fuzz [-f TABLE] [-n MESSAGES] [-t THREADS] [-s SOCKS] [-S SEED] [-N NETNS,...] [-T MS] [-u UID] [-b BATCH] [-p] [-x N]");
		}
	}
	if (nthr < 1 || nthr > 64 || nsock < 1 || nsock > MAXSOCKS ||
	    batch_max < 1 || batch_max > 16)
		die("1..64 threads, 1..%d sockets each, batches of 1..16", MAXSOCKS);
	if (!seed)
		seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 20);
	setvbuf(stdout, NULL, _IOLBF, 0);
	load_table(table);
	for (i = 0; i < C_NCLASS; i++)
		cweight_total += cweight[i];
	op_begin = find_op("policy-begin");
	op_add = find_op("policy-add");
	op_commit = find_op("policy-commit");
	op_abort = find_op("policy-abort");
	if (uid >= 0) {
		if (setgroups(0, NULL) || setgid((gid_t)uid) || setuid((uid_t)uid))
			die("cannot become uid %ld: %s", uid, strerror(errno));
	}
	if (netns) {
		char *list = strdup(netns), *tok, *save;

		self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		for (tok = strtok_r(list, ",", &save); tok && nns < 16;
		     tok = strtok_r(NULL, ",", &save)) {
			nsfd[nns] = open(tok, O_RDONLY | O_CLOEXEC);
			if (nsfd[nns] < 0)
				die("%s: %s", tok, strerror(errno));
			nns++;
		}
		free(list);
	}
	thr = calloc(nthr, sizeof(*thr));
	if (!thr)
		die("out of memory");
	for (i = 0; i < nthr; i++) {
		thr[i].idx = i;
		thr[i].nsock = nsock;
		thr[i].rng = seed * 0x100000001b3ULL + (uint64_t)i;
		thr[i].quota = total / nthr + (i < (int)(total % nthr));
		thr[i].msg = malloc(MSGCAP);
		thr[i].rcv = malloc(RCVCAP);
		thr[i].batch = malloc(MSGCAP);
		if (!thr[i].msg || !thr[i].rcv || !thr[i].batch)
			die("out of memory");
		if (nns && setns(nsfd[i % nns], CLONE_NEWNET))
			die("setns: %s", strerror(errno));
		for (j = 0; j < nsock; j++)
			thr[i].s[j].fd = open_sock();
	}
	if (nns && setns(self, CLONE_NEWNET))
		die("setns back: %s", strerror(errno));
	c = ctrl_getfamily(&thr[0], thr[0].s[0].fd, 1, 0);
	if (c < 0)
		die("family nguard: no id in the reply");
	family = (uint16_t)c;
	thr[0].s[0].seq = 1;
	if (perm)
		return perm_check(&thr[0]);

	printf("NLFUZZ start seed=%" PRIu64 " messages=%" PRIu64 " threads=%d sockets=%d netns=%d batch=%d ops=%d family=%u\n",
	       seed, total, nthr, nsock, nns ? nns : 1, batch_max, nops, family);
	t0 = t_start = now();
	for (i = 0; i < nthr; i++)
		if (pthread_create(&thr[i].tid, NULL, worker, &thr[i]))
			die("pthread_create");
	memset(&all, 0, sizeof(all));
	for (i = 0; i < nthr; i++) {
		pthread_join(thr[i].tid, NULL);
		merge(&all, &thr[i].st);
	}
	t1 = now();

	for (i = 0; i < C_NCLASS; i++)
		printf("NLFUZZ class=%s sent=%" PRIu64 " ok=%" PRIu64 " err_extack=%" PRIu64 " err_no_extack=%" PRIu64 "\n",
		       cnames[i], all.cls[i][0], all.cls[i][1], all.cls[i][2],
		       all.cls[i][3]);
	for (i = 0; i <= nops; i++) {
		printf("NLFUZZ cmd=%s%s sent=%" PRIu64 " wait_ms=%" PRIu64,
		       i < nops ? ops[i].name : "(none)",
		       i < nops ? (ops[i].dump ? "/dump" : "/do") : "", all.opsent[i],
		       all.opusec[i] / 1000);
		for (e = 1; e < MAXERRNO; e++)
			if (all.noext[i][e])
				printf(" no_extack:%s=%" PRIu64, ename(e), all.noext[i][e]);
		printf("\n");
	}
	printf("NLFUZZ seed=%" PRIu64 " sent=%" PRIu64 " ok=%" PRIu64 " err_extack=%" PRIu64 " err_no_extack=%" PRIu64 " silent=%" PRIu64 " timeouts=%" PRIu64 " malformed=%" PRIu64 " bad_accepted=%" PRIu64 " no_extack_due=%" PRIu64 " replied_silent=%" PRIu64 " seconds=%.1f rate=%.0f/s per-errno:",
	       seed, all.sent, all.ok, all.err_ext, all.err_noext, all.silent,
	       all.timeouts, all.malformed, all.bad_accepted, all.noext_due,
	       all.replied_silent, t1 - t0, all.sent / (t1 - t0));
	for (e = 1, c = 0; e < MAXERRNO; e++)
		if (all.errnos[e])
			printf("%s%s=%" PRIu64, c++ ? "," : "", ename(e), all.errnos[e]);
	printf("\n");
	fails = all.timeouts || all.malformed || all.bad_accepted ||
		all.noext_due || all.replied_silent;
	return fails ? 1 : 0;
}
