// SPDX-License-Identifier: GPL-2.0-only
/*
 * ng-txn-race: POLICY_BEGIN on the socket whose own COMMIT is compiling.
 *
 * One generic netlink socket, two threads. The main thread opens a
 * transaction, adds PREFIXES host prefixes (so that the compile takes a
 * while) and sends COMMIT; a second thread keeps sending BEGIN on the
 * same socket (so with the same port), from 20 ms after the COMMIT left
 * until the COMMIT's answer arrives.
 * Every BEGIN while the commit compiles must be refused with EBUSY (a
 * draft opened then would outlive the commit's reset of the owner and
 * block every later transaction of the namespace); once the commit is
 * done, a BEGIN from the same socket must succeed (no orphan draft), and
 * is aborted. The second thread reads every answer and sorts them by
 * sequence number; the main thread never reads after sending COMMIT.
 *
 * Usage: ng-txn-race [PREFIXES]   (default 300000)
 * Prints "commit=ERR begins_during_commit=N busy=B ok=K after=ERR" and
 * exits 0 only if the commit succeeded, at least one BEGIN raced it, all
 * of those were EBUSY, and the BEGIN after it succeeded.
 */
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "../../kmod/uapi/nguard.h"

#define BUFSZ	(1 << 16)

static int fd;
static uint16_t family;
static uint32_t seq_next = 1;
static atomic_int commit_done, commit_sent;
static atomic_uint commit_seq;
static int commit_err = 1;	/* 1: no answer yet */

struct msg {
	struct nlmsghdr nh;
	struct genlmsghdr gh;
	char data[BUFSZ];
};

static struct nlattr *put(struct msg *m, uint16_t type, const void *p, size_t len)
{
	struct nlattr *a = (struct nlattr *)((char *)m + NLMSG_ALIGN(m->nh.nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy((char *)a + NLA_HDRLEN, p, len);
	m->nh.nlmsg_len = NLMSG_ALIGN(m->nh.nlmsg_len) + NLA_ALIGN(a->nla_len);
	return a;
}

static void init(struct msg *m, uint16_t type, uint8_t cmd)
{
	memset(&m->nh, 0, sizeof(m->nh) + sizeof(m->gh));
	m->nh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	m->nh.nlmsg_type = type;
	m->nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	m->nh.nlmsg_seq = __atomic_fetch_add(&seq_next, 1, __ATOMIC_SEQ_CST);
	m->gh.cmd = cmd;
	m->gh.version = 1;
}

static void xsend(struct msg *m)
{
	if (send(fd, m, m->nh.nlmsg_len, 0) < 0) {
		perror("send");
		exit(2);
	}
}

/* Read answers until the one for @seq; its error (0 = ok). Single reader. */
static int answer(uint32_t seq, struct msg *reply)
{
	static char buf[BUFSZ];
	struct nlmsghdr *nh;
	ssize_t n;
	int len, err;

	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0) {
			perror("recv");
			exit(2);
		}
		len = n;
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, len); nh = NLMSG_NEXT(nh, len)) {
			err = 0;
			if (nh->nlmsg_type == NLMSG_ERROR)
				err = ((struct nlmsgerr *)NLMSG_DATA(nh))->error;
			else if (reply)
				memcpy(reply, nh, nh->nlmsg_len < sizeof(*reply) ? nh->nlmsg_len : sizeof(*reply));
			if (nh->nlmsg_seq == atomic_load(&commit_seq) && nh->nlmsg_type == NLMSG_ERROR) {
				commit_err = err;
				atomic_store(&commit_done, 1);
			}
			if (nh->nlmsg_seq == seq && nh->nlmsg_type == NLMSG_ERROR)
				return err;
		}
	}
}

static int request(uint8_t cmd)
{
	struct msg m;

	init(&m, family, cmd);
	xsend(&m);
	return answer(m.nh.nlmsg_seq, NULL);
}

static int begins, busy, ok;

static void *racer(void *arg)
{
	int err;

	(void)arg;
	/*
	 * A BEGIN before the COMMIT reaches the module would restart the
	 * draft: start once the COMMIT is on its way and compiling.
	 */
	while (!atomic_load(&commit_sent))
		usleep(100);
	usleep(20000);
	while (!atomic_load(&commit_done)) {
		struct msg m;

		init(&m, family, NGUARD_CMD_POLICY_BEGIN);
		xsend(&m);
		err = answer(m.nh.nlmsg_seq, NULL);
		if (atomic_load(&commit_done))
			break;	/* answered after the commit: not a race */
		begins++;
		if (err == -EBUSY)
			busy++;
		else if (!err)
			ok++;
	}
	/* Drain the commit's own answer if the last BEGIN beat it. */
	while (!atomic_load(&commit_done))
		answer(0, NULL);
	return NULL;
}

static void resolve_family(void)
{
	struct msg m, r;
	struct nlattr *a;
	int len;

	init(&m, GENL_ID_CTRL, CTRL_CMD_GETFAMILY);
	m.nh.nlmsg_flags = NLM_F_REQUEST;
	put(&m, CTRL_ATTR_FAMILY_NAME, NGUARD_GENL_NAME, sizeof(NGUARD_GENL_NAME));
	xsend(&m);
	memset(&r, 0, sizeof(r));
	if (recv(fd, &r, sizeof(r), 0) < 0 || r.nh.nlmsg_type == NLMSG_ERROR) {
		fprintf(stderr, "ng-txn-race: family %s not found (module loaded?)\n",
			NGUARD_GENL_NAME);
		exit(2);
	}
	len = r.nh.nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	for (a = (struct nlattr *)r.data; len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN;
	     len -= NLA_ALIGN(a->nla_len), a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len)))
		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			memcpy(&family, (char *)a + NLA_HDRLEN, sizeof(family));
	if (!family) {
		fprintf(stderr, "ng-txn-race: no family id in the answer\n");
		exit(2);
	}
}

int main(int argc, char **argv)
{
	long total = argc > 1 ? atol(argv[1]) : 300000, done = 0, i, n;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	static struct nguard_prefix4 pfx[1000];
	struct nlattr *seg;
	uint16_t id = 1;
	pthread_t th;
	struct msg *m = malloc(sizeof(*m));
	int err, after, rcvbuf = 1 << 20;

	fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || !m) {
		perror("netlink socket");
		return 2;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	resolve_family();
	err = request(NGUARD_CMD_POLICY_BEGIN);
	if (err) {
		fprintf(stderr, "ng-txn-race: BEGIN: %s\n", strerror(-err));
		return 2;
	}
	/* Segment 1 "big": host routes 10.0.0.0 upwards, 1000 per chunk. */
	while (done < total) {
		n = total - done < 1000 ? total - done : 1000;
		for (i = 0; i < n; i++) {
			uint32_t a = 0x0a000000 + done + i;

			pfx[i].addr = __builtin_bswap32(a);
			pfx[i].plen = 32;
		}
		init(m, family, NGUARD_CMD_POLICY_ADD);
		seg = put(m, NGUARD_A_SEGMENT | NLA_F_NESTED, NULL, 0);
		put(m, NGUARD_SEG_A_ID, &id, sizeof(id));
		if (!done)
			put(m, NGUARD_SEG_A_NAME, "big", 4);
		put(m, NGUARD_SEG_A_PREFIX4, pfx, n * sizeof(pfx[0]));
		seg->nla_len = (char *)m + m->nh.nlmsg_len - (char *)seg;
		xsend(m);
		err = answer(m->nh.nlmsg_seq, NULL);
		if (err) {
			fprintf(stderr, "ng-txn-race: ADD: %s\n", strerror(-err));
			return 2;
		}
		done += n;
	}
	init(m, family, NGUARD_CMD_POLICY_COMMIT);
	atomic_store(&commit_seq, m->nh.nlmsg_seq);
	if (pthread_create(&th, NULL, racer, NULL)) {
		perror("pthread_create");
		return 2;
	}
	atomic_store(&commit_sent, 1);
	xsend(m);	/* returns when the kernel has answered it */
	pthread_join(th, NULL);
	after = request(NGUARD_CMD_POLICY_BEGIN);
	if (!after)
		request(NGUARD_CMD_POLICY_ABORT);
	printf("commit=%d begins_during_commit=%d busy=%d ok=%d after=%d\n",
	       commit_err, begins, busy, ok, after);
	return !(commit_err == 0 && begins > 0 && busy == begins && after == 0);
}
