/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim <linux/types.h> for lib/scatterlist.c: the kernel's types and the
 * handful of compiler and arithmetic helpers every kernel file takes for
 * granted.  The host's uapi <linux/types.h> comes first so that host
 * headers that want it still find it.
 */
#include_next <linux/types.h>

#ifndef _SGSHIM_LINUX_TYPES_H
#define _SGSHIM_LINUX_TYPES_H

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

typedef u64 phys_addr_t;
typedef u64 dma_addr_t;
typedef unsigned int gfp_t;
typedef unsigned long pgoff_t;

/* Compiler */
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#ifndef __always_inline		/* glibc's <sys/cdefs.h> may have it */
#define __always_inline		inline __attribute__((__always_inline__))
#endif
#define __must_check		__attribute__((__warn_unused_result__))
#define __maybe_unused		__attribute__((__unused__))
#define __cold			__attribute__((__cold__))
#define __printf(a, b)		__attribute__((__format__(printf, a, b)))
#ifndef __bitwise
#define __bitwise
#endif
#define __force

/* Limits */
#define U32_MAX			((u32)~0U)
#define U64_MAX			((u64)~0ULL)

/* Arithmetic (<linux/minmax.h>, <linux/align.h>, <linux/math.h>) */
#define min(a, b) ({ typeof(a) __a = (a); typeof(b) __b = (b);		\
	(void)(&__a == &__b); __a < __b ? __a : __b; })
#define max(a, b) ({ typeof(a) __a = (a); typeof(b) __b = (b);		\
	(void)(&__a == &__b); __a > __b ? __a : __b; })
#define min_t(type, a, b) ({ type __a = (a); type __b = (b);		\
	__a < __b ? __a : __b; })
#define max_t(type, a, b) ({ type __a = (a); type __b = (b);		\
	__a > __b ? __a : __b; })
#define umin(a, b)		min_t(unsigned long long, (a), (b))

#define __ALIGN_KERNEL_MASK(x, mask)	(((x) + (mask)) & ~(mask))
#define ALIGN(x, a)		__ALIGN_KERNEL_MASK(x, (typeof(x))(a) - 1)
#define ALIGN_DOWN(x, a)	((x) & ~((typeof(x))(a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((typeof(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define __round_mask(x, y)	((__typeof__(x))((y) - 1))
#define round_up(x, y)		((((x) - 1) | __round_mask(x, y)) + 1)
#define round_down(x, y)	((x) & ~__round_mask(x, y))

/* <linux/overflow.h>: array_size() saturates instead of wrapping */
static inline size_t array_size(size_t a, size_t b)
{
	size_t bytes;

	return __builtin_mul_overflow(a, b, &bytes) ? SIZE_MAX : bytes;
}

/* <linux/err.h> */
#define MAX_ERRNO		4095
#define IS_ERR_VALUE(x)		\
	unlikely((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)

static inline void *ERR_PTR(long error)
{
	return (void *)error;
}

static inline long PTR_ERR(const void *ptr)
{
	return (long)ptr;
}

static inline bool IS_ERR(const void *ptr)
{
	return IS_ERR_VALUE((unsigned long)ptr);
}

/* <linux/errno.h>: the kernel-internal codes the host lacks */
#define ENOTSUPP		524

#endif /* _SGSHIM_LINUX_TYPES_H */
