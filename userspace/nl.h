/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Generic netlink session with the nguard family: open, build a request,
 * run it and collect replies (doit or dump), and keep the kernel's
 * extended-ACK message for the error the caller prints.
 */
#ifndef NGUARDCTL_NL_H
#define NGUARDCTL_NL_H

#include <stdint.h>
#include <netlink/msg.h>

struct ng_nl {
	struct nl_sock *sk;
	int family;
	int kerr;		/* errno reported by the kernel (negative) */
	char errmsg[256];	/* its extended-ACK text, if any */
	int quiet_errno;	/* this errno from the kernel: no message, the caller reports */
};

/* Largest request nguardctl builds; policy chunks are cut to fit. */
#define NG_NL_MSG_MAX (64 * 1024)

typedef int (*ng_nl_reply_fn)(struct nl_msg *msg, void *arg);

/* Returns 0, or an exit code (see exitcodes.h) with a message printed. */
int ng_nl_open(struct ng_nl *nl);
void ng_nl_close(struct ng_nl *nl);
struct nl_msg *ng_nl_msg(struct ng_nl *nl, uint8_t cmd, int flags);
/* Sends @msg (consumed), feeds every reply to @fn. Returns an exit code. */
int ng_nl_transact(struct ng_nl *nl, struct nl_msg *msg, ng_nl_reply_fn fn, void *arg);

/*
 * Checked attribute getters for replies: 0 and *@v set if @a carries
 * exactly the value's size, -1 otherwise (libnl's policies only check
 * minimum lengths). ng_nla_str: the string, or NULL unless @a holds a
 * NUL-terminated one.
 */
int ng_nla_u8(const struct nlattr *a, uint8_t *v);
int ng_nla_u16(const struct nlattr *a, uint16_t *v);
int ng_nla_u32(const struct nlattr *a, uint32_t *v);
int ng_nla_u64(const struct nlattr *a, uint64_t *v);
const char *ng_nla_str(const struct nlattr *a);

/*
 * Dump callbacks that collect one nest type: append every @type nest of
 * @msg to the array *@arrp (@n items of @size bytes, capacity *@cap),
 * filling each with @parse, which returns the name of the first missing
 * or malformed attribute or NULL. The first such name is kept in *@bad
 * and the rest of the dump is drained. Returns 0 or NG_EXIT_ERROR (out
 * of memory).
 */
typedef const char *(*ng_nest_parse_fn)(const struct nlattr *nest, void *item);
int ng_dump_collect(struct nl_msg *msg, int type, void *arrp, size_t *n,
		    size_t *cap, size_t size, const char **bad,
		    ng_nest_parse_fn parse);

#endif
