// SPDX-License-Identifier: GPL-2.0-only
/*
 * ng-failnth.so: an LD_PRELOAD shim that makes one kernel allocation fail
 * while the kernel handles one netlink message of a real program
 * (nguardctl), and reports what the program got back. The fault stress
 * campaign (tests/stress/faults.sh) runs every nguardctl command with it,
 * for every message the command sends and every allocation nguard makes
 * for that message.
 *
 * How: the kernel's per-task fault injection (/proc/thread-self/fail-nth,
 * Documentation/fault-injection/fault-injection.rst) fails the Nth
 * allocation the task makes from then on. The campaign restricts failslab
 * to allocations with nguard's code on the stack (its stacktrace filter),
 * so N counts nguard's allocations only, and the netlink core's own ones
 * (the request skb, the ack) never fail. The shim arms fail-nth with N just
 * before the program's Kth sendmsg() and disarms it just before the next
 * one (or at exit): the fault can only hit the handling of message K,
 * including the dump rounds that the program's recvmsg() calls run.
 *
 * Environment: NG_FAIL_MSG=K (1-based, counting every sendmsg/sendto/send
 * of the process), NG_FAIL_NTH=N, NG_FAIL_LOG=FILE (one line appended at
 * exit). Without NG_FAIL_MSG it only counts the messages.
 *
 * The line: "sends=S msg=K nth=N fired=0|1 err=E extack=0|1 reply=TEXT"
 *   fired   the Nth allocation happened and failed (0: message K made
 *           fewer than N allocations: the campaign moves to message K+1);
 *   err     the first error the kernel answered in message K's window
 *           (NLMSG_ERROR or a dump's NLMSG_DONE, as a positive errno; 0:
 *           none), extack whether that answer carried an extack message,
 *           reply the message itself.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

static ssize_t (*real_sendmsg)(int, const struct msghdr *, int);
static ssize_t (*real_sendto)(int, const void *, size_t, int,
			      const struct sockaddr *, socklen_t);
static ssize_t (*real_recvmsg)(int, struct msghdr *, int);
static ssize_t (*real_recv)(int, void *, size_t, int);
static ssize_t (*real_recvfrom)(int, void *, size_t, int, struct sockaddr *,
				socklen_t *);

static long want_msg, want_nth;
static long sends;
static int armed, window, fired, done;
static int err, extack;
static char reply[256];

static void set_nth(long n)
{
	char buf[32];
	int fd = open("/proc/thread-self/fail-nth", O_WRONLY);
	int len = snprintf(buf, sizeof(buf), "%ld", n);

	if (fd < 0 || write(fd, buf, len) != len) {
		fprintf(stderr, "ng-failnth: cannot write fail-nth: %s\n", strerror(errno));
		_exit(99);
	}
	close(fd);
}

static long get_nth(void)
{
	char buf[32] = "";
	int fd = open("/proc/thread-self/fail-nth", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	return n > 0 ? atol(buf) : -1;
}

/* End message K's window: was the fault injected? */
static void disarm(void)
{
	if (!armed)
		return;
	fired = get_nth() == 0;
	set_nth(0);
	armed = 0;
}

static void before_send(void)
{
	disarm();
	window = 0;
	if (++sends == want_msg && want_nth > 0) {
		set_nth(want_nth);
		armed = window = 1;
	}
}

/* The extack message among the TLVs at @p (@len bytes), if any. */
static void find_msg(const char *p, size_t len)
{
	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const void *)p;
		size_t al = a->nla_len, step = NLA_ALIGN(al);

		if (al < NLA_HDRLEN || al > len)
			return;
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG) {
			extack = 1;
			snprintf(reply, sizeof(reply), "%.*s", (int)(al - NLA_HDRLEN),
				 p + NLA_HDRLEN);
			return;
		}
		if (step >= len)
			return;
		p += step;
		len -= step;
	}
}

/* Record the first error answered in message K's window. */
static void scan(const void *buf, ssize_t n)
{
	const struct nlmsghdr *h;
	int len = (int)n;

	if (!window || err || n <= 0)
		return;
	for (h = buf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
		const char *pl = NLMSG_DATA(h);
		size_t plen = h->nlmsg_len - NLMSG_HDRLEN;

		if (h->nlmsg_type == NLMSG_ERROR && plen >= sizeof(struct nlmsgerr)) {
			const struct nlmsgerr *e = (const void *)pl;
			size_t off = sizeof(*e);

			if (!e->error)
				continue;
			err = -e->error;
			if (!(h->nlmsg_flags & NLM_F_CAPPED))
				off += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
			if ((h->nlmsg_flags & NLM_F_ACK_TLVS) && off < plen)
				find_msg(pl + off, plen - off);
			return;
		}
		if (h->nlmsg_type == NLMSG_DONE && plen >= sizeof(int)) {
			int e;

			memcpy(&e, pl, sizeof(e));
			if (!e)
				continue;
			err = -e;
			if ((h->nlmsg_flags & NLM_F_ACK_TLVS) && plen > sizeof(int))
				find_msg(pl + sizeof(int), plen - sizeof(int));
			return;
		}
	}
}

ssize_t sendmsg(int fd, const struct msghdr *m, int flags)
{
	before_send();
	return real_sendmsg(fd, m, flags);
}

ssize_t sendto(int fd, const void *b, size_t l, int flags,
	       const struct sockaddr *a, socklen_t al)
{
	before_send();
	return real_sendto(fd, b, l, flags, a, al);
}

ssize_t send(int fd, const void *b, size_t l, int flags)
{
	before_send();
	return real_sendto(fd, b, l, flags, NULL, 0);
}

ssize_t recvmsg(int fd, struct msghdr *m, int flags)
{
	ssize_t n = real_recvmsg(fd, m, flags);

	if (!(flags & MSG_PEEK) && n > 0 && m->msg_iovlen == 1)
		scan(m->msg_iov[0].iov_base,
		     n < (ssize_t)m->msg_iov[0].iov_len ? n : (ssize_t)m->msg_iov[0].iov_len);
	return n;
}

ssize_t recvfrom(int fd, void *b, size_t l, int flags, struct sockaddr *a,
		 socklen_t *al)
{
	ssize_t n = real_recvfrom(fd, b, l, flags, a, al);

	if (!(flags & MSG_PEEK))
		scan(b, n < (ssize_t)l ? n : (ssize_t)l);
	return n;
}

ssize_t recv(int fd, void *b, size_t l, int flags)
{
	ssize_t n = real_recv(fd, b, l, flags);

	if (!(flags & MSG_PEEK))
		scan(b, n < (ssize_t)l ? n : (ssize_t)l);
	return n;
}

__attribute__((constructor)) static void init(void)
{
	const char *m = getenv("NG_FAIL_MSG"), *n = getenv("NG_FAIL_NTH");

	real_sendmsg = dlsym(RTLD_NEXT, "sendmsg");
	real_sendto = dlsym(RTLD_NEXT, "sendto");
	real_recvmsg = dlsym(RTLD_NEXT, "recvmsg");
	real_recv = dlsym(RTLD_NEXT, "recv");
	real_recvfrom = dlsym(RTLD_NEXT, "recvfrom");
	want_msg = m ? atol(m) : 0;
	want_nth = n ? atol(n) : 0;
}

__attribute__((destructor)) static void fini(void)
{
	const char *log = getenv("NG_FAIL_LOG");
	FILE *f;
	char *c;

	if (done)
		return;
	done = 1;
	disarm();
	if (!log || !(f = fopen(log, "a")))
		return;
	for (c = reply; *c; c++)
		if (*c == '\n')
			*c = ' ';
	fprintf(f, "sends=%ld msg=%ld nth=%ld fired=%d err=%d extack=%d reply=%s\n",
		sends, want_msg, want_nth, fired, err, extack, reply);
	fclose(f);
}
