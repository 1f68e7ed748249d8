/* SPDX-License-Identifier: GPL-2.0-only */
/* Native stand-in for <linux/random.h> (see ../kunit/test.h). */
#ifndef NG_KUNIT_NATIVE_RANDOM_H
#define NG_KUNIT_NATIVE_RANDOM_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/random.h>

/* NG_LPM_TEST_SEED=N makes every get_random_bytes() stream reproducible. */
static inline void get_random_bytes(void *buf, size_t len)
{
	static uint64_t state;
	static int init;
	unsigned char *p = buf;

	if (!init) {
		const char *env = getenv("NG_LPM_TEST_SEED");

		if (env)
			state = strtoull(env, NULL, 0);
		else if (getrandom(&state, sizeof(state), 0) != sizeof(state))
			state = 0x1234567;
		init = 1;
	}
	while (len--) {
		uint64_t z = (state += 0x9e3779b97f4a7c15ULL);

		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		*p++ = (unsigned char)(z ^ (z >> 31));
	}
}

static inline uint32_t prandom_u32_max(uint32_t n)
{
	uint32_t x;

	get_random_bytes(&x, sizeof(x));
	return (uint32_t)(((uint64_t)x * n) >> 32);
}

#endif
