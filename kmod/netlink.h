/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The generic netlink family "nguard" (netlink.c): its registration and
 * the family object the command files build replies with.
 */
#ifndef NGUARD_NETLINK_H
#define NGUARD_NETLINK_H

#include <net/genetlink.h>

extern struct genl_family ng_genl_family;

int ng_genl_register(void);
void ng_genl_unregister(void);

#endif /* NGUARD_NETLINK_H */
