/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/prandom.h> / <linux/random.h>: a seeded,
 * reproducible PRNG for tests, demos and benchmarks (never for secrets).
 *
 * The generator is xoshiro256** (Blackman and Vigna), seeded through
 * splitmix64 so that any u64 seed, 0 included, gives a good state.  The
 * same seed always yields the same sequence, on every host.
 *
 *	struct rnd_state rs;
 *
 *	prandom_seed_state(&rs, 42);
 *	x = prandom_u64_state(&rs);
 *	y = prandom_u32_below_state(&rs, 10);	// 0..9, unbiased
 */
#ifndef _COMPAT_LINUX_RANDOM_H
#define _COMPAT_LINUX_RANDOM_H

#include <linux/types.h>

struct rnd_state {
	u64 s[4];
};

static inline u64 __compat_rol64(u64 x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline u64 __compat_splitmix64(u64 *x)
{
	u64 z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/**
 * prandom_seed_state() - (re)seed a generator
 * @state: the generator
 * @seed: any value; equal seeds give equal sequences
 */
static inline void prandom_seed_state(struct rnd_state *state, u64 seed)
{
	int i;

	for (i = 0; i < 4; i++)
		state->s[i] = __compat_splitmix64(&seed);
}

/**
 * prandom_u64_state() - next 64 random bits
 * @state: a seeded generator
 *
 * Return: a uniformly distributed u64.
 */
static inline u64 prandom_u64_state(struct rnd_state *state)
{
	u64 *s = state->s;
	u64 result = __compat_rol64(s[1] * 5, 7) * 9;
	u64 t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = __compat_rol64(s[3], 45);
	return result;
}

static inline u32 prandom_u32_state(struct rnd_state *state)
{
	return prandom_u64_state(state) >> 32;
}

/**
 * prandom_u64_below_state() - uniform value in [0, @ceil)
 * @state: a seeded generator
 * @ceil: exclusive bound; 0 returns 0
 *
 * Return: an unbiased value below @ceil (rejection sampling).
 */
static inline u64 prandom_u64_below_state(struct rnd_state *state, u64 ceil)
{
	u64 limit, x;

	if (!ceil)
		return 0;
	/* Largest multiple of @ceil representable, minus one. */
	limit = U64_MAX - (U64_MAX % ceil + 1) % ceil;
	do {
		x = prandom_u64_state(state);
	} while (x > limit);
	return x % ceil;
}

static inline u32 prandom_u32_below_state(struct rnd_state *state, u32 ceil)
{
	return prandom_u64_below_state(state, ceil);
}

/* Fill @buf with @len random bytes. */
static inline void prandom_bytes_state(struct rnd_state *state, void *buf,
				       size_t len)
{
	u8 *p = buf;
	u64 x;

	while (len >= sizeof(x)) {
		x = prandom_u64_state(state);
		__builtin_memcpy(p, &x, sizeof(x));
		p += sizeof(x);
		len -= sizeof(x);
	}
	if (len) {
		x = prandom_u64_state(state);
		__builtin_memcpy(p, &x, len);
	}
}

#endif /* _COMPAT_LINUX_RANDOM_H */
