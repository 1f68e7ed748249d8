/* SPDX-License-Identifier: GPL-2.0-only */
/* /proc/net/nguard/, per namespace (proc.c). */
#ifndef NGUARD_PROC_H
#define NGUARD_PROC_H

/* A pernet subsystem of its own; after netns.c's, before its users. */
int ng_proc_register(void);
void ng_proc_unregister(void);

#endif /* NGUARD_PROC_H */
