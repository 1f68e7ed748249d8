// SPDX-License-Identifier: GPL-2.0-only
/*
 * `nguardctl monitor [--json]`: join the family's multicast group
 * "events" and print every NGUARD_CMD_EVENT (event.c) until SIGINT or
 * SIGTERM (exit 0): one text line per event, or one JSON object per line
 * (JSON Lines). stdout is flushed after each event, so a pipe sees it at
 * once.
 *
 * Two sockets: the multicast one only receives (sequence checks off:
 * events are unsolicited), the other dumps the live policy to name the
 * segments, at start (after joining, so no apply goes unseen) and again
 * after every apply, rollback or flush event. A receive-buffer overrun on
 * our side is reported as such. A malformed event is reported on stderr
 * and skipped.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include "commands.h"
#include "event.h"
#include "exitcodes.h"
#include "nl.h"
#include "output.h"
#include "policy_dump.h"

static volatile sig_atomic_t ng_stop;

static void ng_on_signal(int sig)
{
	(void)sig;
	ng_stop = 1;
}

struct ng_monitor {
	bool json;
	int rc;			/* set by the callback: stop with this exit code */
	int refetch;		/* the policy changed: name segments anew */
	struct ng_policy pol;
};

static uint64_t ng_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int on_event(struct nl_msg *msg, void *arg)
{
	struct ng_monitor *mon = arg;
	struct ng_event ev;
	const char *bad = ng_event_parse(msg, &ev);

	if (bad) {
		fprintf(stderr, "nguardctl: skipped a malformed event from the kernel module: %s missing or malformed (version mismatch?)\n",
			bad);
		return NL_OK;
	}
	if (!(ev.has & NG_EV_TIME))
		ev.time_ns = ng_now_ns();
	if (mon->json) {
		json_object *o = ng_event_json(&ev, &mon->pol);

		printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
							       JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	} else {
		ng_event_print(stdout, &ev, &mon->pol);
	}
	if (fflush(stdout) || ferror(stdout)) {
		mon->rc = NG_EXIT_ERROR;
		return NL_STOP;
	}
	if (ev.type == NGUARD_EVENT_APPLY || ev.type == NGUARD_EVENT_ROLLBACK ||
	    ev.type == NGUARD_EVENT_FLUSH)
		mon->refetch = 1;
	return NL_OK;
}

/* The live policy's segment names; on failure the old names stay. */
static int ng_monitor_names(struct ng_nl *nl, struct ng_monitor *mon)
{
	struct ng_policy p;
	uint64_t gen;
	int rc = ng_policy_fetch(nl, &p, &gen);

	if (rc) {
		ng_policy_free(&p);
		return rc;
	}
	ng_policy_free(&mon->pol);
	mon->pol = p;
	return 0;
}

/* The multicast socket, joined to the "events" group of the family. */
static int ng_monitor_join(struct ng_nl *nl, struct ng_monitor *mon, struct nl_sock **out)
{
	struct nl_sock *sk;
	int grp, err;

	grp = genl_ctrl_resolve_grp(nl->sk, NGUARD_GENL_NAME, NGUARD_MCGRP_EVENTS);
	if (grp < 0) {
		if (grp == -NLE_OBJ_NOTFOUND)
			fprintf(stderr, "nguardctl: the nguard module has no '%s' multicast group (a module older than nguardctl?)\n",
				NGUARD_MCGRP_EVENTS);
		else
			fprintf(stderr, "nguardctl: cannot resolve the '%s' multicast group: %s\n",
				NGUARD_MCGRP_EVENTS, nl_geterror(grp));
		return grp == -NLE_PERM ? NG_EXIT_PERM : NG_EXIT_ERROR;
	}
	sk = nl_socket_alloc();
	if (!sk) {
		fprintf(stderr, "nguardctl: out of memory\n");
		return NG_EXIT_ERROR;
	}
	nl_socket_disable_seq_check(sk);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_event, mon);
	err = genl_connect(sk);
	if (!err)
		err = nl_socket_add_membership(sk, grp);
	if (err < 0) {
		if (err == -NLE_PERM)
			fprintf(stderr, "nguardctl: permission denied: the event stream needs CAP_NET_ADMIN (run as root)\n");
		else
			fprintf(stderr, "nguardctl: cannot join the '%s' multicast group: %s\n",
				NGUARD_MCGRP_EVENTS, nl_geterror(err));
		nl_socket_free(sk);
		return err == -NLE_PERM ? NG_EXIT_PERM : NG_EXIT_ERROR;
	}
	nl_socket_set_buffer_size(sk, 4 << 20, 0);
	nl_socket_set_msg_buf_size(sk, 64 << 10);
	*out = sk;
	return 0;
}

int cmd_monitor(int argc, char **argv)
{
	struct ng_monitor mon = { 0 };
	struct sigaction sa = { 0 };
	sigset_t block, orig;
	struct nl_sock *sk = NULL;
	struct pollfd pfd;
	struct ng_nl nl;
	int rc, err;

	rc = ng_parse_json_flag(argc, argv, "monitor", "argument", &mon.json);
	if (rc)
		return rc;
	ng_policy_init(&mon.pol);
	rc = ng_nl_open(&nl);
	if (rc)
		return rc;
	rc = ng_monitor_join(&nl, &mon, &sk);
	if (!rc)	/* after joining: an apply from now on is seen */
		rc = ng_monitor_names(&nl, &mon);
	if (rc)
		goto out;

	/* SIGINT/SIGTERM only get through inside ppoll(): no lost wakeup. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &orig);
	sa.sa_handler = ng_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigdelset(&orig, SIGINT);
	sigdelset(&orig, SIGTERM);

	pfd.fd = nl_socket_get_fd(sk);
	pfd.events = POLLIN;
	while (!ng_stop && !rc) {
		if (ppoll(&pfd, 1, NULL, &orig) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "nguardctl: poll: %s\n", strerror(errno));
			rc = NG_EXIT_ERROR;
			break;
		}
		err = nl_recvmsgs_default(sk);
		if (err == -NLE_NOMEM) {	/* ENOBUFS: the socket overran */
			if (mon.json)
				printf("{\"type\":\"overrun\"}\n");
			else
				printf("(events lost: nguardctl's receive buffer overran)\n");
			if (fflush(stdout))
				rc = NG_EXIT_ERROR;
		} else if (err < 0 && !mon.rc) {
			fprintf(stderr, "nguardctl: netlink error: %s\n", nl_geterror(err));
			rc = NG_EXIT_ERROR;
		}
		if (mon.rc)
			rc = mon.rc;
		if (!rc && mon.refetch) {
			mon.refetch = 0;
			if (ng_monitor_names(&nl, &mon))
				fprintf(stderr, "nguardctl: keeping the old segment names\n");
		}
	}
out:
	if (sk)
		nl_socket_free(sk);
	ng_nl_close(&nl);
	ng_policy_free(&mon.pol);
	return rc;
}
