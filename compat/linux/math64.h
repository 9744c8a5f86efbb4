/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/math64.h> (64-bit host: plain division). */
#ifndef _COMPAT_LINUX_MATH64_H
#define _COMPAT_LINUX_MATH64_H

#include <linux/types.h>

static inline u64 div64_u64(u64 dividend, u64 divisor)
{
	return dividend / divisor;
}

static inline s64 div64_s64(s64 dividend, s64 divisor)
{
	return dividend / divisor;
}

static inline u64 div_u64(u64 dividend, u32 divisor)
{
	return dividend / divisor;
}

static inline u64 div_u64_rem(u64 dividend, u32 divisor, u32 *remainder)
{
	*remainder = dividend % divisor;
	return dividend / divisor;
}

static inline u64 div64_u64_rem(u64 dividend, u64 divisor, u64 *remainder)
{
	*remainder = dividend % divisor;
	return dividend / divisor;
}

/* a * b / c without intermediate overflow (c != 0). */
static inline u64 mul_u64_u64_div_u64(u64 a, u64 b, u64 c)
{
	return (u64)((unsigned __int128)a * b / c);
}

#define DIV64_U64_ROUND_UP(ll, d)	div64_u64((ll) + (d) - 1, (d))

/* n = n / base in place; evaluates to the remainder. */
#define do_div(n, base) ({						\
	u32 __base = (base);						\
	u32 __rem = (u32)((n) % __base);				\
	(n) = (n) / __base;						\
	__rem; })

#endif /* _COMPAT_LINUX_MATH64_H */
