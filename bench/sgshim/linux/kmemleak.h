/* SPDX-License-Identifier: GPL-2.0 */
/* Shim <linux/kmemleak.h>: CONFIG_DEBUG_KMEMLEAK is off, as in Debian. */
#ifndef _SGSHIM_LINUX_KMEMLEAK_H
#define _SGSHIM_LINUX_KMEMLEAK_H

#include <linux/types.h>

static inline void kmemleak_alloc(const void *ptr, size_t size, int min_count,
				  gfp_t gfp)
{
}

static inline void kmemleak_free(const void *ptr)
{
}

#endif /* _SGSHIM_LINUX_KMEMLEAK_H */
