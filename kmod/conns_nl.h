/* SPDX-License-Identifier: GPL-2.0-only */
/* The connection table over generic netlink (conns_nl.c). */
#ifndef NGUARD_CONNS_NL_H
#define NGUARD_CONNS_NL_H

#include <net/genetlink.h>

struct ng_net;

/* The NGUARD_A_CONNTAB nest of GET_STATUS, and its size. */
int ng_put_conntab(struct sk_buff *skb, const struct ng_net *nn);
size_t ng_conntab_nl_size(void);
/* CONNS_GET: one message per tracked connection. */
int ng_conns_dumpit(struct sk_buff *skb, struct netlink_callback *cb);

#endif /* NGUARD_CONNS_NL_H */
