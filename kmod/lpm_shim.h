/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Platform glue for the address classifier (lpm.c), which is built both as
 * kernel code and natively (tests/bench). Everything lpm.c needs from its
 * surroundings comes from here: types, allocation, popcount, overflow checks
 * and a big-endian load.
 */
#ifndef _NGUARD_LPM_SHIM_H
#define _NGUARD_LPM_SHIM_H

#ifdef __KERNEL__

#include <linux/types.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/bitops.h>
#include <linux/sched.h>
#include "compat.h"	/* unaligned loads */

/* kvmalloc() refuses (and warns about) anything larger than INT_MAX. */
#define NG_LPM_ALLOC_MAX	((size_t)INT_MAX)

static inline void *ng_lpm_alloc(size_t size)
{
	return kvzalloc(size, GFP_KERNEL_ACCOUNT);
}

static inline void ng_lpm_free_mem(void *p)
{
	kvfree(p);
}

static inline unsigned int ng_lpm_popcount(u64 x)
{
	return hweight64(x);
}

static inline u64 ng_lpm_load_be64(const u8 *p)
{
	return get_unaligned_be64(p);
}

/* Builds of a million prefixes take a while: let others run. */
static inline void ng_lpm_resched(void)
{
	cond_resched();
}

#else /* !__KERNEL__: native build for tests/bench */

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <limits.h>

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;

#ifndef likely
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#endif
#ifndef BIT_ULL
#define BIT(nr)		(1UL << (nr))
#define BIT_ULL(nr)	(1ULL << (nr))
#endif
#ifndef check_add_overflow
#define check_add_overflow(a, b, d)	__builtin_add_overflow(a, b, d)
#define check_mul_overflow(a, b, d)	__builtin_mul_overflow(a, b, d)
#endif

#define NG_LPM_ALLOC_MAX	((size_t)INT_MAX)

static inline void *ng_lpm_alloc(size_t size)
{
	return calloc(1, size ? size : 1);
}

static inline void ng_lpm_free_mem(void *p)
{
	free(p);
}

static inline unsigned int ng_lpm_popcount(u64 x)
{
	return (unsigned int)__builtin_popcountll(x);
}

static inline u64 ng_lpm_load_be64(const u8 *p)
{
	u64 v;

	memcpy(&v, p, sizeof(v));
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

static inline void ng_lpm_resched(void)
{
}

#endif /* __KERNEL__ */

#endif /* _NGUARD_LPM_SHIM_H */
