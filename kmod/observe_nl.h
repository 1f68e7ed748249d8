/* SPDX-License-Identifier: GPL-2.0-only */
/* The observed-flow summary over generic netlink (observe_nl.c). */
#ifndef NGUARD_OBSERVE_NL_H
#define NGUARD_OBSERVE_NL_H

#include <net/genetlink.h>

/* OBSERVED_GET: a header message, then one message per aggregate. */
int ng_observed_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
/* OBSERVED_CLEAR: empty the live policy's table. */
int ng_cmd_observed_clear(struct sk_buff *skb, struct genl_info *info);

#endif /* NGUARD_OBSERVE_NL_H */
