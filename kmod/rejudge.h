/* SPDX-License-Identifier: GPL-2.0-only */
/* Bringing a namespace in line with a newly published policy (rejudge.c). */
#ifndef NGUARD_REJUDGE_H
#define NGUARD_REJUDGE_H

struct ng_net;
struct ng_policy;

/*
 * @pol was published in place of @old (either may be NULL: pass-through):
 * size the detector and quarantine tables, set the log rates, re-judge
 * the tracked connections. nn->lock held, process context.
 */
void ng_rejudge(struct ng_net *nn, struct ng_policy *pol,
		const struct ng_policy *old);

#endif /* NGUARD_REJUDGE_H */
