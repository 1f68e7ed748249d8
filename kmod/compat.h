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

#endif /* NGUARD_COMPAT_H */
