/* SPDX-License-Identifier: GPL-2.0-only */
/* `nguardctl check FILE`: parse and validate a policy file offline. */
#ifndef NGUARDCTL_CHECKCMD_H
#define NGUARDCTL_CHECKCMD_H

int cmd_check(int argc, char **argv);

#endif
