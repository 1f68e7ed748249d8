/* SPDX-License-Identifier: GPL-2.0-only */
/* `nguardctl blocked` and `unblock`: the quarantined sources (BLOCKED_GET, UNBLOCK). */
#ifndef NGUARDCTL_BLOCKED_H
#define NGUARDCTL_BLOCKED_H

#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <json-c/json.h>
#include <netlink/msg.h>
#include "nl.h"
#include "uapi/nguard.h"

struct ng_block {
	uint8_t family;		/* 4 or 6, from the address length */
	uint8_t addr[16];	/* network order */
	uint8_t kind;		/* enum nguard_detector: why */
	uint32_t expires_ms;	/* time left */
	uint32_t secs;		/* the block's duration */
	uint32_t hits;		/* packets dropped since */
	uint8_t prefix_len;	/* IPv6: the block covers addr/prefix_len; 0: not sent */
};

struct ng_block_list {
	struct ng_block *v;
	size_t n, cap;
	const char *bad;	/* first missing or malformed attribute, or NULL */
};

/*
 * Parse one NGUARD_A_BLOCK nest into @b: NULL on success, else the name
 * of the missing or malformed attribute. HITS may be absent (0), and so
 * may PREFIX_LEN (1..128, IPv6 only; a module that predates it).
 */
const char *ng_block_parse(const struct nlattr *nest, struct ng_block *b);
/* Reply callback of the dump: every NGUARD_A_BLOCK of @msg into @list. */
int ng_blocked_dump_msg(struct nl_msg *msg, void *list);
/*
 * The BLOCKED_GET dump on an open session into @l (zeroed by the
 * caller; free it with ng_blocked_free, also on error). Returns an exit
 * code, the message printed (a malformed dump is NG_EXIT_ERROR).
 */
int ng_blocked_fetch(struct ng_nl *nl, struct ng_block_list *l);
/* IPv4 before IPv6, then by address: stable output for a hash-ordered dump. */
void ng_blocked_sort(struct ng_block_list *l);
void ng_blocked_free(struct ng_block_list *l);

/*
 * Header, one aligned line per source, "N blocked". An IPv6 block with a
 * prefix length shows as "2001:db8:1:2::/64".
 */
void ng_blocked_print(FILE *f, const struct ng_block_list *l);
/* [{"addr","reason","expires_ms","secs","hits"}], "prefix_len" added for IPv6 */
json_object *ng_blocked_json(const struct ng_block_list *l);

/* What `nguardctl unblock ARG` asks the kernel to lift. */
struct ng_unblock_req {
	int alen;		/* 0: all, 4 or 16 */
	uint8_t addr[16];	/* network order; a prefix's host bits cleared */
	uint8_t prefix_len;	/* IPv6 ADDR/LEN: LEN (1..128); 0: not sent */
	char text[INET6_ADDRSTRLEN + 4];	/* for messages: ARG, a prefix canonical */
};

/*
 * ARG of `unblock`: an IPv4 or IPv6 address, an IPv6 prefix ADDR/LEN, or
 * "all". Returns 0, or NG_EXIT_USAGE with the message printed.
 */
int ng_unblock_parse(const char *arg, struct ng_unblock_req *r);

/* What `nguardctl block ADDR|PREFIX DURATION` asks the kernel to block. */
struct ng_block_req {
	struct ng_unblock_req src;	/* alen 4 or 16, never "all" */
	uint32_t secs;			/* 1..NGUARD_MAX_BLOCK_SECS */
};

/*
 * The arguments of `block`: an IPv4 address (or ADDR/32), an IPv6 address
 * or prefix ADDR/LEN (the kernel takes only the policy's source prefix
 * length), and a duration like the policy's "action block 1h" (whole
 * seconds, units s, m, h, d; 1s..7d). Returns 0, or NG_EXIT_USAGE with
 * the message printed.
 */
int ng_block_parse_args(const char *addr, const char *duration, struct ng_block_req *r);

#endif
