/* SPDX-License-Identifier: GPL-2.0-only */
/* Per-namespace state's lifetime (netns.c); the state is in nguard.h. */
#ifndef NGUARD_NETNS_H
#define NGUARD_NETNS_H

int ng_netns_register(void);
void ng_netns_unregister(void);

#endif /* NGUARD_NETNS_H */
