// SPDX-License-Identifier: GPL-2.0-only
/*
 * nguardctl: command-line front end of the nguard kernel module.
 *
 * The command table below is the one list of commands: main() dispatches
 * through it to the cmd_*() functions (commands.h), and `nguardctl help`
 * prints its usage and description columns. Each command returns an exit
 * code from exitcodes.h.
 */
#include <stdio.h>
#include <string.h>
#include "commands.h"
#include "exitcodes.h"
#include "output.h"
#include "version.h"

#define NG_HELP_INDENT	20	/* column of the descriptions in `help` */

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);

static const struct ng_command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;	/* `help`: the command and its arguments; NULL: an alias, not listed */
	const char *help;	/* `help`: what it does, lines separated by '\n' */
} commands[] = {
	{ "status", cmd_status, "status [--json]",
	  "module version, policy generation and mode, packet/byte\n"
	  "counters and connections of the current network namespace" },
	{ "check", cmd_check, "check FILE",
	  "parse and validate a policy file ('-' = stdin); never\n"
	  "touches the kernel" },
	{ "apply", cmd_apply, "apply [--confirm SECONDS] FILE",
	  "replace the live policy atomically; with --confirm the\n"
	  "kernel restores the previous policy after SECONDS unless\n"
	  "'nguardctl confirm' arrives" },
	{ "confirm", cmd_confirm, "confirm", "keep a policy applied with --confirm" },
	{ "flush", cmd_flush, "flush", "remove the policy: pass everything, as after loading" },
	{ "show", cmd_show, "show [--json]",
	  "the live policy (as a policy file that applies as is)" },
	{ "save", cmd_save, "save FILE",
	  "write the live policy to FILE ('-' = stdout) as show prints\n"
	  "it; FILE is replaced atomically, keeping its permissions" },
	{ "trace", cmd_trace, "trace SRC DST [PROTO [DPORT]] [--json]",
	  "ask the kernel how it judges such a packet" },
	{ "stats", cmd_stats, "stats [--json]",
	  "every counter: traffic, verdicts, pass and drop reasons,\n"
	  "drop log, connection table, hits per rule and default" },
	{ "conns", cmd_conns, "conns [--json]",
	  "the tracked connections: addresses, segments, state,\n"
	  "packets, idle time and the rule that decided each" },
	{ "observed", cmd_observed, "observed [--json] [--since DURATION] | clear",
	  "the flows the policy judged, by segment pair, protocol and\n"
	  "port (policy 'observe'): connections, first and last seen,\n"
	  "verdict and rule, examples; sources in world apart;\n"
	  "'observed clear' empties the table" },
	{ "suggest", cmd_suggest, "suggest [FILE] [--enforce]",
	  "the live policy (or FILE) plus the allow rules the observed\n"
	  "flows needed, each with its evidence; flows from world and\n"
	  "flows a rule denies only as comments for review" },
	{ "blocked", cmd_blocked, "blocked [--json]",
	  "the sources in quarantine: address, reason, time left,\n"
	  "duration, packets dropped" },
	{ "block", cmd_block, "block ADDR|PREFIX DURATION [--json]",
	  "quarantine a source by hand (reason manual) for DURATION\n"
	  "(like 600s, 1h, 7d); an IPv6 source is blocked as its\n"
	  "prefix of the policy's 'ipv6 source prefix' length" },
	{ "unblock", cmd_unblock, "unblock ADDR|PREFIX|all",
	  "lift the quarantine of one source (an IPv6 source is\n"
	  "blocked as a prefix: ADDR/LEN as 'blocked' shows it), or\n"
	  "of every source" },
	{ "monitor", cmd_monitor, "monitor [--json]",
	  "print anomalies, blocks and policy changes as they happen\n"
	  "(one line or JSON object per event) until Ctrl-C" },
	{ "metrics", cmd_metrics, "metrics [--output FILE] [--max-rules N]",
	  "counters, connection table, quarantine and rule hits in\n"
	  "the Prometheus text format; --output replaces FILE\n"
	  "atomically (node_exporter textfile collector)" },
	{ "version", cmd_version, "version", "print the nguardctl version" },
	{ "--version", cmd_version, NULL, NULL },
	{ "-V", cmd_version, NULL, NULL },
	{ "help", cmd_help, "help", "this text" },
	{ "--help", cmd_help, NULL, NULL },
	{ "-h", cmd_help, NULL, NULL },
};

#define NG_N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

/* "  USAGE  DESCRIPTION", the description's lines at NG_HELP_INDENT. */
static void print_command(const struct ng_command *c)
{
	const char *s = c->help, *nl;
	int col = printf("  %s", c->usage);
	size_t n;

	if (col > NG_HELP_INDENT - 2) {
		putchar('\n');
		col = 0;
	}
	for (;;) {
		nl = strchr(s, '\n');
		n = nl ? (size_t)(nl - s) : strlen(s);
		printf("%*s%.*s\n", NG_HELP_INDENT - col, "", (int)n, s);
		if (!nl)
			break;
		s = nl + 1;
		col = 0;
	}
}

static int cmd_help(int argc, char **argv)
{
	size_t i;

	(void)argc;
	(void)argv;
	printf("Usage: nguardctl COMMAND [OPTIONS]\n"
	       "\n"
	       "Commands:\n");
	for (i = 0; i < NG_N_COMMANDS; i++)
		if (commands[i].usage)
			print_command(&commands[i]);
	printf("\n"
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

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		cmd_help(0, NULL);
		return NG_EXIT_USAGE;
	}
	for (i = 0; i < NG_N_COMMANDS; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	return ng_usage_error("unknown command '%s'", argv[1]);
}
