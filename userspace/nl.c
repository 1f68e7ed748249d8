// SPDX-License-Identifier: GPL-2.0-only
/*
 * libnl-genl-3 plumbing shared by every nguardctl command. Errors from the
 * kernel arrive in an NLMSG_ERROR; with NETLINK_EXT_ACK the kernel appends
 * a human-readable message (NLMSGERR_ATTR_MSG), which we keep and print so
 * the operator sees exactly which attribute was rejected and why.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/attr.h>
#include "exitcodes.h"
#include "nl.h"
#include "policy.h"	/* ng_grow */
#include "uapi/nguard.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static int exit_for_errno(int err)
{
	return (err == EPERM || err == EACCES) ? NG_EXIT_PERM : NG_EXIT_ERROR;
}

static void print_perm(void)
{
	fprintf(stderr, "nguardctl: permission denied: nguardctl needs CAP_NET_ADMIN (run as root)\n");
}

int ng_nl_open(struct ng_nl *nl)
{
	int one = 1, fd, err;

	memset(nl, 0, sizeof(*nl));
	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		fprintf(stderr, "nguardctl: out of memory\n");
		return NG_EXIT_ERROR;
	}
	err = genl_connect(nl->sk);
	if (err < 0) {
		fprintf(stderr, "nguardctl: cannot open a generic netlink socket: %s\n",
			nl_geterror(err));
		goto fail;
	}
	fd = nl_socket_get_fd(nl->sk);
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	nl_socket_set_buffer_size(nl->sk, 1 << 20, 1 << 20);
	nl_socket_set_msg_buf_size(nl->sk, 64 << 10);

	nl->family = genl_ctrl_resolve(nl->sk, NGUARD_GENL_NAME);
	if (nl->family < 0) {
		if (nl->family == -NLE_OBJ_NOTFOUND) {
			fprintf(stderr, "nguardctl: kernel module not loaded (generic netlink family '%s' not found); load it with: modprobe nguard\n",
				NGUARD_GENL_NAME);
			ng_nl_close(nl);
			return NG_EXIT_NOMODULE;
		}
		if (nl->family == -NLE_PERM) {
			print_perm();
			ng_nl_close(nl);
			return NG_EXIT_PERM;
		}
		fprintf(stderr, "nguardctl: cannot resolve the nguard family: %s\n",
			nl_geterror(nl->family));
		goto fail;
	}
	return NG_EXIT_OK;
fail:
	ng_nl_close(nl);
	return NG_EXIT_ERROR;
}

void ng_nl_close(struct ng_nl *nl)
{
	if (nl->sk)
		nl_socket_free(nl->sk);
	nl->sk = NULL;
}

struct nl_msg *ng_nl_msg(struct ng_nl *nl, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc_size(NG_NL_MSG_MAX);

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
			 flags | NLM_F_REQUEST | NLM_F_ACK, cmd, NGUARD_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* Pull NLMSGERR_ATTR_MSG out of the TLVs that follow struct nlmsgerr. */
static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)e - 1;
	struct ng_nl *nl = arg;
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off = sizeof(*e);
	int len;

	(void)nla;
	nl->kerr = e->error;
	nl->errmsg[0] = '\0';
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NL_STOP;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	len = (int)nlh->nlmsg_len - (int)NLMSG_HDRLEN - (int)off;
	if (len <= 0)
		return NL_STOP;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)e + off), len, NULL))
		return NL_STOP;
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(nl->errmsg, sizeof(nl->errmsg), "%s",
			 (const char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
	return NL_STOP;
}

struct reply_ctx {
	ng_nl_reply_fn fn;
	void *arg;
	int rc;
	int done;
};

/* The final ACK (doit) or NLMSG_DONE (dump) ends the exchange. */
static int on_finish(struct nl_msg *msg, void *arg)
{
	struct reply_ctx *ctx = arg;

	(void)msg;
	ctx->done = 1;
	return NL_STOP;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct reply_ctx *ctx = arg;

	if (!ctx->fn)
		return NL_OK;
	ctx->rc = ctx->fn(msg, ctx->arg);
	return ctx->rc ? NL_STOP : NL_OK;
}

int ng_nl_transact(struct ng_nl *nl, struct nl_msg *msg, ng_nl_reply_fn fn, void *arg)
{
	struct reply_ctx ctx = { .fn = fn, .arg = arg };
	struct nl_cb *cb;
	int err;

	nl->kerr = 0;
	nl->errmsg[0] = '\0';
	cb = nl_cb_clone(nl_socket_get_cb(nl->sk));
	if (!cb) {
		nlmsg_free(msg);
		return NG_EXIT_ERROR;
	}
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, nl);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &ctx);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_finish, &ctx);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, &ctx);

	err = nl_send_auto(nl->sk, msg);
	nlmsg_free(msg);
	while (err >= 0 && !ctx.done && !nl->kerr && !ctx.rc)
		err = nl_recvmsgs(nl->sk, cb);
	nl_cb_put(cb);

	if (nl->kerr) {
		if (nl->quiet_errno && -nl->kerr == nl->quiet_errno)
			return NG_EXIT_ERROR;
		if (exit_for_errno(-nl->kerr) == NG_EXIT_PERM) {
			print_perm();
			return NG_EXIT_PERM;
		}
		fprintf(stderr, "nguardctl: kernel rejected the request: %s%s%s\n",
			strerror(-nl->kerr), nl->errmsg[0] ? ": " : "", nl->errmsg);
		return NG_EXIT_ERROR;
	}
	if (err < 0) {
		fprintf(stderr, "nguardctl: netlink error: %s\n", nl_geterror(err));
		return err == -NLE_PERM ? NG_EXIT_PERM : NG_EXIT_ERROR;
	}
	return ctx.rc;
}

int ng_nla_u8(const struct nlattr *a, uint8_t *v)
{
	if (!a || nla_len(a) != sizeof(*v))
		return -1;
	*v = nla_get_u8(a);
	return 0;
}

int ng_nla_u16(const struct nlattr *a, uint16_t *v)
{
	if (!a || nla_len(a) != sizeof(*v))
		return -1;
	*v = nla_get_u16(a);
	return 0;
}

int ng_nla_u32(const struct nlattr *a, uint32_t *v)
{
	if (!a || nla_len(a) != sizeof(*v))
		return -1;
	*v = nla_get_u32(a);
	return 0;
}

int ng_nla_u64(const struct nlattr *a, uint64_t *v)
{
	if (!a || nla_len(a) != sizeof(*v))
		return -1;
	*v = nla_get_u64(a);
	return 0;
}

const char *ng_nla_str(const struct nlattr *a)
{
	const char *s;
	int len;

	if (!a)
		return NULL;
	s = nla_data(a);
	len = nla_len(a);
	return len > 0 && memchr(s, '\0', len) ? s : NULL;
}

int ng_dump_collect(struct nl_msg *msg, int type, void *arrp, size_t *n,
		    size_t *cap, size_t size, const char **bad,
		    ng_nest_parse_fn parse)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *a;
	int rem;

	if (*bad)
		return 0;	/* keep the first error; drain the dump */
	if (!genlmsg_valid_hdr(nlh, 0)) {
		*bad = "message header";
		return 0;
	}
	nla_for_each_attr(a, genlmsg_attrdata(nlmsg_data(nlh), 0),
			  genlmsg_attrlen(nlmsg_data(nlh), 0), rem) {
		if (nla_type(a) != type)
			continue;
		if (ng_grow(arrp, cap, *n + 1, size)) {
			fprintf(stderr, "nguardctl: out of memory\n");
			return NG_EXIT_ERROR;
		}
		*bad = parse(a, (char *)*(void **)arrp + *n * size);
		if (*bad)
			return 0;
		(*n)++;
	}
	return 0;
}
