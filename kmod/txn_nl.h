/* SPDX-License-Identifier: GPL-2.0-only */
/* Policy transaction commands over generic netlink (txn_nl.c). */
#ifndef NGUARD_TXN_NL_H
#define NGUARD_TXN_NL_H

struct genl_info;
struct sk_buff;

int ng_cmd_policy_begin(struct sk_buff *skb, struct genl_info *info);
int ng_cmd_policy_add(struct sk_buff *skb, struct genl_info *info);
int ng_cmd_policy_commit(struct sk_buff *skb, struct genl_info *info);
int ng_cmd_policy_abort(struct sk_buff *skb, struct genl_info *info);
int ng_cmd_policy_confirm(struct sk_buff *skb, struct genl_info *info);
int ng_cmd_policy_flush(struct sk_buff *skb, struct genl_info *info);

/* The socket-release notifier. */
int ng_txn_nl_register(void);
void ng_txn_nl_unregister(void);

#endif /* NGUARD_TXN_NL_H */
