/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * In-memory model of a policy file: segments with their members, rules
 * with their protocol/port terms, anomaly detectors, exemptions from
 * quarantine, and the global statements. Built by the parser (parser.h)
 * and by policy_dump.c from a POLICY_GET dump, printed back in canonical
 * policy-file syntax by policy.c.
 */
#ifndef NGUARDCTL_POLICY_H
#define NGUARDCTL_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "uapi/nguard.h"

#define NG_SEG_WORLD	0	/* the implicit segment "world" */
#define NG_SEG_ANY	0xffff	/* "*" in a rule */
#define NG_IFNAMSIZ	16	/* Linux IFNAMSIZ: 15 bytes + NUL */

/* Values match enum nguard_mode / enum nguard_verdict of the uapi. */
enum ng_mode {
	NG_MODE_ENFORCE = 1,
	NG_MODE_MONITOR = 2,
};

enum ng_verdict {
	NG_ALLOW = 1,
	NG_DENY = 2,
};

/* Values match enum nguard_detector / enum nguard_action of the uapi. */
enum ng_detector {
	NG_DET_SYNFLOOD = 1,
	NG_DET_PORTSCAN,
	NG_DET_SWEEP,
	NG_DET_TCPFLAGS,
	NG_DET_MANUAL,		/* blocks only: added by hand */
	NG_DET_BRUTEFORCE,
};

enum ng_action {
	NG_ACT_LOG = 1,
	NG_ACT_DROP,
	NG_ACT_BLOCK,
};

/*
 * Defaults and bounds of the anomaly statements (the parser fills every
 * default in, so the model and the kernel always see explicit values).
 * Documented in Documentation/policy-language.md.
 */
#define NG_PORTSCAN_WEIGHT	21		/* like xtables psd */
#define NG_PORTSCAN_WINDOW_MS	3000
#define NG_SWEEP_HOSTS		32
#define NG_SWEEP_WINDOW_MS	10000
#define NG_BRUTE_HITS		10
#define NG_BRUTE_WINDOW_MS	60000
#define NG_WINDOW_MIN_MS	100
#define NG_WINDOW_MAX_MS	3600000		/* 1h */
#define NG_WEIGHT_MAX		100000
#define NG_SYNFLOOD_MAX		10000000	/* synflood rate and burst */
#define NG_HOSTS_MIN		2
#define NG_HOSTS_MAX		65536
/*
 * What the module's trackers can count (kmod/tracker.h): 64 hashed port
 * bits worth at most 3 each, 256 hashed host bits. Higher thresholds
 * parse, with a warning that they are never reached.
 */
#define NG_PSD_SCORE_REACH	192
#define NG_SWEEP_HOSTS_REACH	256
#define NG_LOG_RATE_DEFAULT	10		/* module default, "log" absent */
#define NG_LOG_BURST_DEFAULT	20
#define NG_LOG_RATE_MAX		10000
#define NG_LOG_BURST_MAX	100000
#define NG_BYTES_MAX		1000000000000ull	/* byte rates and bursts: 1000G */
#define NG_BYTES_BURST_MIN	65536	/* default floor; smaller bursts warn */
/*
 * "ipv6 source prefix N": the detectors and the quarantine take an IPv6
 * source as its prefix of N bits (the module's default, statement absent:
 * 64). IPv4 sources are single addresses.
 */
#define NG_IPV6_SRC_PREFIX_MIN		48
#define NG_IPV6_SRC_PREFIX_MAX		128
#define NG_IPV6_SRC_PREFIX_DEFAULT	64
/*
 * "limit source N": at most N tracked connections opened by one source
 * (an IPv4 address; an IPv6 source as its prefix above), N in
 * 1..NGUARD_MAX_CONNS. Only connections the policy admitted while a limit
 * was in force count.
 */
/*
 * "observe max N" / "observe on" (NG_OBSERVE_DEFAULT) / "observe off":
 * the kernel keeps up to N aggregates of the flows the policy judges.
 */
#define NG_OBSERVE_DEFAULT	1024
#define NG_LIMIT_SOURCE_MIN	1
#define NG_LIMIT_SOURCE_MAX	NGUARD_MAX_CONNS

struct ng_prefix4 {
	uint32_t addr;		/* host byte order, host bits clear */
	uint8_t len;		/* 0..32 */
};

struct ng_prefix6 {
	uint8_t addr[16];	/* network byte order, host bits clear */
	uint8_t len;		/* 0..128 */
};

struct ng_segment {
	uint16_t id;		/* 1..n, declaration order */
	char name[NGUARD_SEGMENT_NAME_MAX];
	unsigned int line;	/* first declaration */
	struct ng_prefix4 *v4;
	size_t n_v4, cap_v4;
	struct ng_prefix6 *v6;
	size_t n_v6, cap_v6;
	char (*ifaces)[NG_IFNAMSIZ];
	size_t n_ifaces, cap_ifaces;
};

/*
 * One protocol/port term. any_proto: the term matches every protocol
 * (proto is then 0). "All ports" is 0..65535; explicit ports are 1..65535.
 */
struct ng_term {
	uint8_t proto;
	uint8_t any_proto;
	uint16_t port_lo;
	uint16_t port_hi;
};

struct ng_rule {
	enum ng_verdict action;
	uint16_t src;		/* segment id, NG_SEG_WORLD or NG_SEG_ANY */
	uint16_t dst;
	bool log;
	struct ng_term *terms;	/* none: the rule matches every packet */
	size_t n_terms, cap_terms;
	unsigned int line;	/* source line (not part of equality) */
	char *text;		/* source text, trimmed (not part of equality) */
	uint64_t hits;		/* dumps: packets it decided (not part of equality) */
};

/* "limit conn": per-connection token buckets. All zero: no limit. */
struct ng_limit {
	uint32_t rate;		/* packets per second, 0 = no packet limit */
	uint32_t burst;		/* packets (set with rate) */
	uint64_t bytes;		/* bytes per second, 0 = no byte limit */
	uint64_t bytes_burst;	/* bytes (set with bytes) */
};

/*
 * One "detect" line. Parameters that do not apply to the kind are 0;
 * the others are always set (defaults filled in).
 */
struct ng_detect {
	uint8_t kind;		/* enum ng_detector, not NG_DET_MANUAL */
	uint8_t action;		/* enum ng_action */
	uint16_t from, to;	/* segment id, NG_SEG_WORLD or NG_SEG_ANY */
	uint32_t block_secs;	/* action block: 1..NGUARD_MAX_BLOCK_SECS */
	uint32_t rate, burst;	/* synflood: new connections/s per destination */
	uint32_t weight;	/* portscan */
	uint32_t window_ms;	/* portscan, sweep */
	uint32_t hosts;		/* sweep */
	/* bruteforce: hits within window_ms to one protocol's ports */
	uint32_t hits;
	uint8_t proto;
	uint8_t n_ports;
	struct { uint16_t lo, hi; } ports[NGUARD_MAX_DETECT_PORTS];
	unsigned int line;	/* source line (not part of equality) */
};

/*
 * One "exempt" line: sources a detector never quarantines. Members keep
 * their file order within each kind; no member is in two lines.
 */
struct ng_exempt {
	uint16_t *segs;		/* segment ids: never world or "*" */
	size_t n_segs, cap_segs;
	struct ng_prefix4 *v4;
	size_t n_v4, cap_v4;
	struct ng_prefix6 *v6;
	size_t n_v6, cap_v6;
	unsigned int line;	/* source line (not part of equality) */
};

struct ng_policy {
	enum ng_mode mode;
	enum ng_verdict def;
	uint32_t conns_max;	/* 0 = unset (module default) */
	uint32_t trackers_max;	/* "trackers max", 0 = unset (module default) */
	uint32_t blocked_max;	/* "blocked max", 0 = unset (module default) */
	uint8_t ipv6_src_prefix;	/* "ipv6 source prefix", 0 = unset (64) */
	uint32_t log_rate;	/* "log rate": 0 = unset (10/s burst 20) */
	uint32_t log_burst;	/* set with log_rate */
	struct ng_limit limit;
	uint32_t limit_source;	/* "limit source": 0 = no limit */
	uint32_t observe_max;	/* "observe": aggregates kept, 0 = off */
	struct ng_segment *segs;	/* segs[i].id == i + 1 */
	size_t n_segs, cap_segs;
	struct ng_rule *rules;	/* file order = evaluation order */
	size_t n_rules, cap_rules;
	struct ng_detect *dets;	/* file order = evaluation order */
	size_t n_dets, cap_dets;
	struct ng_exempt *exempts;	/* file order */
	size_t n_exempts, cap_exempts;
};

/*
 * Make room for @need elements of @elem bytes in the array whose pointer is
 * at @arr (capacity *@cap, doubling). 0, or -1 on overflow or ENOMEM.
 */
int ng_grow(void *arr, size_t *cap, size_t need, size_t elem);

/* An empty policy: mode enforce, default deny, no segments or rules. */
void ng_policy_init(struct ng_policy *p);
void ng_policy_free(struct ng_policy *p);

/*
 * Builders (used by the parser and the tests). No validation beyond
 * memory: callers check names, lengths and limits. Return 0 or -1 (ENOMEM).
 */
struct ng_segment *ng_policy_add_segment(struct ng_policy *p, const char *name,
					 size_t len);
int ng_segment_add_v4(struct ng_segment *s, uint32_t addr, uint8_t len);
int ng_segment_add_v6(struct ng_segment *s, const uint8_t addr[16], uint8_t len);
int ng_segment_add_iface(struct ng_segment *s, const char *name, size_t len);
/* A zeroed rule appended to @p (NULL on ENOMEM). */
struct ng_rule *ng_policy_add_rule(struct ng_policy *p);
int ng_rule_add_term(struct ng_rule *r, const struct ng_term *t);
/* A zeroed detector scoped "from * to *" appended to @p (NULL on ENOMEM). */
struct ng_detect *ng_policy_add_detect(struct ng_policy *p);
/* An empty exempt line appended to @p (NULL on ENOMEM). */
struct ng_exempt *ng_policy_add_exempt(struct ng_policy *p);
int ng_exempt_add_seg(struct ng_exempt *e, uint16_t id);
int ng_exempt_add_v4(struct ng_exempt *e, uint32_t addr, uint8_t len);
int ng_exempt_add_v6(struct ng_exempt *e, const uint8_t addr[16], uint8_t len);

/* Totals over all segments. */
size_t ng_policy_prefix_count(const struct ng_policy *p);
size_t ng_policy_iface_count(const struct ng_policy *p);
/* Exempt members (segments and prefixes) of all exempt lines. */
size_t ng_policy_exempt_count(const struct ng_policy *p);
/* "world", "*" or the segment's name; "?" for an unknown id. */
const char *ng_policy_seg_name(const struct ng_policy *p, uint16_t id);

/* Protocol name as the language spells it ("tcp", ...), NULL if none. */
const char *ng_proto_name(uint8_t proto);
/* Whether PORTS may follow this protocol (tcp, udp, sctp, udplite). */
bool ng_proto_has_ports(uint8_t proto);
/* "synflood", "portscan", "sweep", "tcpflags", "manual"; NULL if unknown. */
const char *ng_detector_name(uint8_t kind);
/* "log", "drop", "block"; NULL if unknown. */
const char *ng_action_name(uint8_t action);

/*
 * Canonical spellings used by the printer: a duration in seconds, or in
 * ms if it is not whole seconds ("3s", "600s", "1500ms"), a byte count
 * with the largest exact suffix, 1000-based first ("50M", "64Ki", "1500").
 */
char *ng_fmt_duration(char *buf, size_t len, uint64_t ms);
char *ng_fmt_size(char *buf, size_t len, uint64_t bytes);

/*
 * Print @p in canonical policy-file syntax: mode, default, conns max,
 * trackers max, blocked max, ipv6 source prefix, log rate, limit conn,
 * limit source, segments in id order
 * (at most NG_PRINT_MEMBERS_PER_LINE members per line, repeating
 * "segment NAME"), rules in order, detectors in order, exempt lines in
 * order (one line each: segments, IPv4, IPv6). Parsing the output gives a
 * policy ng_policy_equal() to @p.
 */
#define NG_PRINT_MEMBERS_PER_LINE 16
void ng_policy_print(FILE *f, const struct ng_policy *p);
void ng_rule_print(FILE *f, const struct ng_policy *p, const struct ng_rule *r);
void ng_detect_print(FILE *f, const struct ng_policy *p, const struct ng_detect *d);
/* "exempt MEMBER...", hosts without their /32 or /128. */
void ng_exempt_print(FILE *f, const struct ng_policy *p, const struct ng_exempt *e);

/* Same meaning: everything except line numbers and rule source text. */
bool ng_policy_equal(const struct ng_policy *a, const struct ng_policy *b);

#endif
