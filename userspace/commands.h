/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The entry points of nguardctl's commands, one cmd_*.c file each (some
 * hold two or three related commands), dispatched from the command table
 * in nguardctl.c. Each takes the command's own argv (argv[0] is the
 * command name) and returns an exit code from exitcodes.h. Only
 * nguardctl.c and the cmd_*.c files include this header: the command
 * files sit on top of the library files (netlink client, policy model and
 * parser, decoders and printers), which never call back up.
 */
#ifndef NGUARDCTL_COMMANDS_H
#define NGUARDCTL_COMMANDS_H

int cmd_status(int argc, char **argv);	/* cmd_status.c */
int cmd_check(int argc, char **argv);	/* cmd_check.c */
int cmd_apply(int argc, char **argv);	/* cmd_apply.c */
int cmd_confirm(int argc, char **argv);	/* cmd_apply.c */
int cmd_flush(int argc, char **argv);	/* cmd_apply.c */
int cmd_show(int argc, char **argv);	/* cmd_show.c */
int cmd_save(int argc, char **argv);	/* cmd_show.c */
int cmd_trace(int argc, char **argv);	/* cmd_trace.c */
int cmd_stats(int argc, char **argv);	/* cmd_stats.c */
int cmd_conns(int argc, char **argv);	/* cmd_conns.c */
int cmd_observed(int argc, char **argv);	/* cmd_observed.c */
int cmd_suggest(int argc, char **argv);	/* cmd_suggest.c */
int cmd_blocked(int argc, char **argv);	/* cmd_blocked.c */
int cmd_unblock(int argc, char **argv);	/* cmd_blocked.c */
int cmd_block(int argc, char **argv);	/* cmd_blocked.c */
int cmd_monitor(int argc, char **argv);	/* cmd_monitor.c */
int cmd_metrics(int argc, char **argv);	/* cmd_metrics.c */

#endif
