/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * In-memory model of a policy file: segments with their members, rules
 * with their protocol/port terms, and the global statements. Built by
 * parser.c, printed back in canonical policy-file syntax by policy.c.
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

struct ng_policy {
	enum ng_mode mode;
	enum ng_verdict def;
	uint32_t conns_max;	/* 0 = unset (module default) */
	struct ng_segment *segs;	/* segs[i].id == i + 1 */
	size_t n_segs, cap_segs;
	struct ng_rule *rules;	/* file order = evaluation order */
	size_t n_rules, cap_rules;
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

/* Totals over all segments. */
size_t ng_policy_prefix_count(const struct ng_policy *p);
size_t ng_policy_iface_count(const struct ng_policy *p);
/* "world", "*" or the segment's name; "?" for an unknown id. */
const char *ng_policy_seg_name(const struct ng_policy *p, uint16_t id);

/* Protocol name as the language spells it ("tcp", ...), NULL if none. */
const char *ng_proto_name(uint8_t proto);
/* Whether PORTS may follow this protocol (tcp, udp, sctp, udplite). */
bool ng_proto_has_ports(uint8_t proto);

/*
 * Print @p in canonical policy-file syntax: mode, default, conns max,
 * segments in id order (at most NG_PRINT_MEMBERS_PER_LINE members per
 * line, repeating "segment NAME"), rules in order. Parsing the output
 * gives a policy ng_policy_equal() to @p.
 */
#define NG_PRINT_MEMBERS_PER_LINE 16
void ng_policy_print(FILE *f, const struct ng_policy *p);
void ng_rule_print(FILE *f, const struct ng_policy *p, const struct ng_rule *r);

/* Same meaning: everything except rule line numbers and source text. */
bool ng_policy_equal(const struct ng_policy *a, const struct ng_policy *b);

#endif
