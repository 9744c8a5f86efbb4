/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/log2.h>.  ilog2(0) and roundup_pow_of_two(0)
 * are undefined, as in the kernel; ilog2() of a constant folds at compile
 * time (the builtins do).
 */
#ifndef _COMPAT_LINUX_LOG2_H
#define _COMPAT_LINUX_LOG2_H

#include <linux/types.h>
#include <linux/bitops.h>

#define ilog2(n)	((int)(63 - __builtin_clzll((unsigned long long)(n))))

static inline __attribute__((const)) bool is_power_of_2(unsigned long n)
{
	return n != 0 && (n & (n - 1)) == 0;
}

/* Round up to the next power of two; n > 2^63 is undefined. */
static inline __attribute__((const))
unsigned long __roundup_pow_of_two(unsigned long n)
{
	return n <= 1 ? 1 : 1UL << fls_long(n - 1);
}

static inline __attribute__((const))
unsigned long __rounddown_pow_of_two(unsigned long n)
{
	return 1UL << (fls_long(n) - 1);
}

#define roundup_pow_of_two(n)	__roundup_pow_of_two(n)
#define rounddown_pow_of_two(n)	__rounddown_pow_of_two(n)

/* Smallest order with 2^order >= n; order_base_2(0) and (1) are 0. */
#define order_base_2(n)	((n) > 1 ? ilog2((n) - 1) + 1 : 0)

#endif /* _COMPAT_LINUX_LOG2_H */
