/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Policy transactions (txn.c): a draft per namespace, owned by one
 * netlink port, compiled and published by COMMIT, with an optional
 * confirm-or-rollback timer. Errors carry an extack message.
 */
#ifndef NGUARD_TXN_H
#define NGUARD_TXN_H

#include <linux/types.h>

struct netlink_ext_ack;
struct ng_net;
struct ng_policy_src;

void ng_txn_net_init(struct ng_net *nn);
/* Namespace teardown: back to pass-through, after the last caller. */
void ng_txn_net_exit(struct ng_net *nn);

int ng_txn_begin(struct ng_net *nn, u32 portid, struct netlink_ext_ack *extack);
/*
 * Add to @portid's draft: @fill parses into it. A failure poisons the
 * draft (the whole apply fails).
 */
int ng_txn_add(struct ng_net *nn, u32 portid, struct netlink_ext_ack *extack,
	       int (*fill)(struct ng_policy_src *draft, void *arg), void *arg);
/*
 * Compile and publish @portid's draft; with @confirm_secs, roll back
 * unless confirmed in time. *@gen: the new policy's generation.
 */
int ng_txn_commit(struct ng_net *nn, u32 portid, u32 confirm_secs,
		  struct netlink_ext_ack *extack, u64 *gen);
int ng_txn_abort(struct ng_net *nn, u32 portid, struct netlink_ext_ack *extack);
int ng_txn_confirm(struct ng_net *nn, struct netlink_ext_ack *extack);
/* Back to pass-through; cancels a pending rollback. */
void ng_txn_flush(struct ng_net *nn);
/* @portid's socket closed: drop its draft. */
void ng_txn_release(struct ng_net *nn, u32 portid);

#endif /* NGUARD_TXN_H */
