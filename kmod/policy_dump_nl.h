/* SPDX-License-Identifier: GPL-2.0-only */
/* POLICY_GET over netlink (policy_dump_nl.c). */
#ifndef NGUARD_POLICY_DUMP_NL_H
#define NGUARD_POLICY_DUMP_NL_H

#include <net/genetlink.h>

struct ng_policy;

int ng_policy_dump_start(struct netlink_callback *cb);
int ng_policy_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int ng_policy_dump_done(struct netlink_callback *cb);
/* Rule @i of @p as the attributes of a dump entry (also used by TRACE). */
int ng_put_rule(struct sk_buff *skb, const struct ng_policy *p, u32 i);

#endif /* NGUARD_POLICY_DUMP_NL_H */
