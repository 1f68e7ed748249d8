// SPDX-License-Identifier: GPL-2.0-only
/*
 * nguardctl: command-line front end of the nguard kernel module.
 * Dispatches to one function per command; each returns an exit code
 * from exitcodes.h.
 */
#include <stdio.h>
#include <string.h>
#include "blocked.h"
#include "checkcmd.h"
#include "conns.h"
#include "exitcodes.h"
#include "monitor.h"
#include "output.h"
#include "policycmds.h"
#include "savecmd.h"
#include "statscmd.h"
#include "status.h"
#include "version.h"

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("Usage: nguardctl COMMAND [OPTIONS]\n"
	       "\n"
	       "Commands:\n"
	       "  status [--json]   module version, policy generation and mode, packet/byte\n"
	       "                    counters and connections of the current network namespace\n"
	       "  check FILE        parse and validate a policy file ('-' = stdin); never\n"
	       "                    touches the kernel\n"
	       "  apply [--confirm SECONDS] FILE\n"
	       "                    replace the live policy atomically; with --confirm the\n"
	       "                    kernel restores the previous policy after SECONDS unless\n"
	       "                    'nguardctl confirm' arrives\n"
	       "  confirm           keep a policy applied with --confirm\n"
	       "  flush             remove the policy: pass everything, as after loading\n"
	       "  show [--json]     the live policy (as a policy file that applies as is)\n"
	       "  save FILE         write the live policy to FILE ('-' = stdout) as show prints\n"
	       "                    it; FILE is replaced atomically, keeping its permissions\n"
	       "  trace SRC DST [PROTO [DPORT]] [--json]\n"
	       "                    ask the kernel how it judges such a packet\n"
	       "  stats [--json]    every counter: traffic, verdicts, pass and drop reasons,\n"
	       "                    drop log, connection table, hits per rule and default\n"
	       "  conns [--json]    the tracked connections: addresses, segments, state,\n"
	       "                    packets, idle time and the rule that decided each\n"
	       "  blocked [--json]  the sources in quarantine: address, reason, time left,\n"
	       "                    duration, packets dropped\n"
	       "  unblock ADDR|PREFIX|all\n"
	       "                    lift the quarantine of one source (an IPv6 source is\n"
	       "                    blocked as a prefix: ADDR/LEN as 'blocked' shows it), or\n"
	       "                    of every source\n"
	       "  monitor [--json]  print anomalies, blocks and policy changes as they happen\n"
	       "                    (one line or JSON object per event) until Ctrl-C\n"
	       "  version           print the nguardctl version\n"
	       "  help              this text\n"
	       "\n"
	       "Run inside another network namespace with: ip netns exec NS nguardctl ...\n"
	       "Commands that talk to the kernel use generic netlink (family 'nguard')\n"
	       "and need CAP_NET_ADMIN.\n"
	       "\n"
	       "Exit codes:\n"
	       "  0  success\n"
	       "  1  error: the kernel rejected the request or netlink failed (message says why),\n"
	       "     or the policy file is invalid\n"
	       "  2  usage error: unknown command or option\n"
	       "  3  the nguard kernel module is not loaded (modprobe nguard)\n"
	       "  4  permission denied: CAP_NET_ADMIN is needed (run as root)\n");
	return NG_EXIT_OK;
}

static int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("nguardctl %s\n", NGUARD_VERSION);
	return NG_EXIT_OK;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{ "status", cmd_status },
	{ "check", cmd_check },
	{ "apply", cmd_apply },
	{ "confirm", cmd_confirm },
	{ "flush", cmd_flush },
	{ "show", cmd_show },
	{ "save", cmd_save },
	{ "trace", cmd_trace },
	{ "stats", cmd_stats },
	{ "conns", cmd_conns },
	{ "blocked", cmd_blocked },
	{ "unblock", cmd_unblock },
	{ "monitor", cmd_monitor },
	{ "version", cmd_version },
	{ "--version", cmd_version },
	{ "-V", cmd_version },
	{ "help", cmd_help },
	{ "--help", cmd_help },
	{ "-h", cmd_help },
};

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		cmd_help(0, NULL);
		return NG_EXIT_USAGE;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	return ng_usage_error("unknown command '%s'", argv[1]);
}
