/* SPDX-License-Identifier: GPL-2.0-only */
/* TRACE over netlink (trace_nl.c). */
#ifndef NGUARD_TRACE_NL_H
#define NGUARD_TRACE_NL_H

#include <net/genetlink.h>
#include "uapi/nguard.h"

extern const struct nla_policy ng_trace_policy[NGUARD_A_MAX + 1];

int ng_cmd_trace(struct sk_buff *skb, struct genl_info *info);

#endif /* NGUARD_TRACE_NL_H */
