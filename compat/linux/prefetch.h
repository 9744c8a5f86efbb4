/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/prefetch.h>: start loading a cache line
 * the code will soon read (prefetch()) or write (prefetchw()).
 */
#ifndef _COMPAT_LINUX_PREFETCH_H
#define _COMPAT_LINUX_PREFETCH_H

#include <linux/compiler.h>

static __always_inline void prefetch(const void *x)
{
	__builtin_prefetch(x);
}

static __always_inline void prefetchw(const void *x)
{
	__builtin_prefetch(x, 1);
}

#endif /* _COMPAT_LINUX_PREFETCH_H */
