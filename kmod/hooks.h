/* SPDX-License-Identifier: GPL-2.0-only */
/* The namespace's netfilter hooks and nf_defrag (hooks.c). */
#ifndef NGUARD_HOOKS_H
#define NGUARD_HOOKS_H

struct ng_net;

/*
 * Attach (idempotent) while the namespace has a policy; detach on the
 * return to pass-through. nn->lock held, process context.
 */
int ng_hooks_attach(struct ng_net *nn);
void ng_hooks_detach(struct ng_net *nn);

#endif /* NGUARD_HOOKS_H */
