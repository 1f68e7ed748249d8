/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel API drift between 5.10 and today, absorbed in one place. Macros
 * are tested with #ifndef; functions and struct members are probed from
 * the target kernel's headers by Kbuild (NG_HAVE_* flags), never by
 * LINUX_VERSION_CODE, because distributions backport.
 */
#ifndef NGUARD_COMPAT_H
#define NGUARD_COMPAT_H

#include <net/genetlink.h>

/*
 * NL_SET_ERR_MSG only takes literals; this takes a pointer to a string
 * with static storage (a literal chosen at run time).
 */
static inline void ng_set_err_msg(struct netlink_ext_ack *extack,
				  const char *static_msg)
{
	if (extack)
		extack->_msg = static_msg;
}

/*
 * nf_defrag_ipv{4,6}_disable() exist since 5.13; before, enabling
 * defragmentation in a namespace lasted as long as the namespace.
 */
#ifndef NG_HAVE_DEFRAG_DISABLE
static inline void nf_defrag_ipv4_disable(struct net *net) { }
static inline void nf_defrag_ipv6_disable(struct net *net) { }
#endif

/*
 * <asm/unaligned.h> moved to <linux/unaligned.h> in 6.12 (the old path is
 * gone there). Probed by file: include/linux/unaligned/ (a directory of
 * helpers) exists before, the file linux/unaligned.h only after the move.
 */
#ifdef NG_HAVE_LINUX_UNALIGNED
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/*
 * get_random_u32_below() replaced prandom_u32_max() in 6.2 (Debian's 6.1
 * has both; 6.12 only the new one).
 */
#ifndef NG_HAVE_GET_RANDOM_U32_BELOW
#include <linux/prandom.h>
#define get_random_u32_below(ceil) prandom_u32_max(ceil)
#endif

/*
 * Who may join the "events" multicast group. 6.8 (and stable backports,
 * e.g. Debian 6.1.176+) check GENL_MCAST_CAP_NET_ADMIN; 5.12 to 6.7 check
 * GENL_UNS_ADMIN_PERM in genl_multicast_group.flags (also backported to
 * 5.10.204+; both: CAP_NET_ADMIN in the user namespace owning the network
 * namespace). Kernels with neither (5.10.0-5.10.203, 5.11) cannot refuse
 * anyone: there nguard registers no
 * group at all, so monitor events are unavailable rather than public.
 */
#if defined(NG_HAVE_GENL_MCAST_CAP)
#define NG_EVENTS_GROUP_FLAGS GENL_MCAST_CAP_NET_ADMIN
#elif defined(NG_HAVE_GENL_MCGRP_FLAGS)
#define NG_EVENTS_GROUP_FLAGS GENL_UNS_ADMIN_PERM
#else
#define NG_NO_EVENTS_GROUP
#endif

#endif /* NGUARD_COMPAT_H */
