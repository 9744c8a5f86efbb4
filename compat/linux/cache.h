/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/cache.h>: the architecture's cache line
 * (<asm/cache.h>), for strides and alignment.
 */
#ifndef _COMPAT_LINUX_CACHE_H
#define _COMPAT_LINUX_CACHE_H

#include <asm/cache.h>

#define SMP_CACHE_BYTES		L1_CACHE_BYTES

#endif /* _COMPAT_LINUX_CACHE_H */
