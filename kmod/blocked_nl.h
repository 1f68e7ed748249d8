/* SPDX-License-Identifier: GPL-2.0-only */
/* The quarantine over generic netlink (blocked_nl.c). */
#ifndef NGUARD_BLOCKED_NL_H
#define NGUARD_BLOCKED_NL_H

#include <net/genetlink.h>
#include "uapi/nguard.h"

/* UNBLOCK's and BLOCK's: NGUARD_A_BLOCK. */
extern const struct nla_policy ng_block_req_policy[NGUARD_A_MAX + 1];

/* BLOCKED_GET: one message per live block. */
int ng_blocked_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
/* UNBLOCK: one source (an IPv6 address stands for its prefix) or all. */
int ng_cmd_unblock(struct sk_buff *skb, struct genl_info *info);
/* BLOCK: quarantine one source by hand (reason manual). */
int ng_cmd_block(struct sk_buff *skb, struct genl_info *info);

#endif /* NGUARD_BLOCKED_NL_H */
