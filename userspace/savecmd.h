/* SPDX-License-Identifier: GPL-2.0-only */
/* `nguardctl save FILE`: the live policy to a file, atomically. */
#ifndef NGUARDCTL_SAVECMD_H
#define NGUARDCTL_SAVECMD_H

int cmd_save(int argc, char **argv);

#endif
