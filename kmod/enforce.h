/* SPDX-License-Identifier: GPL-2.0-only */
/* The verdict on one packet (enforce.c). */
#ifndef NGUARD_ENFORCE_H
#define NGUARD_ENFORCE_H

#include <linux/types.h>

struct nf_hook_state;
struct ng_net;
struct sk_buff;

/*
 * NF_ACCEPT or NF_DROP for @skb (@family 4 or 6), which stands for @segs
 * packets (ng_skb_segs(), counted once by the hook). Under rcu_read_lock.
 */
unsigned int ng_enforce(struct ng_net *nn, struct sk_buff *skb, u8 family,
			unsigned int segs, const struct nf_hook_state *state);

#endif /* NGUARD_ENFORCE_H */
