/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/gfp_types.h>: allocation flags.
 *
 * The GFP_* types are built from the kernel's modifier bits, so what a
 * type means can be asked of it as in the kernel: an allocation may sleep
 * exactly when it has __GFP_DIRECT_RECLAIM (gfpflags_allow_blocking()).
 * GFP_ATOMIC and GFP_NOWAIT may not; GFP_KERNEL, GFP_NOIO and GFP_USER
 * may.  Fault injection can tell them apart (fail_nth_set_nowait(),
 * <linux/fault-inject.h>).  The bit values are ours.
 */
#ifndef _COMPAT_LINUX_GFP_TYPES_H
#define _COMPAT_LINUX_GFP_TYPES_H

#include <linux/types.h>

#define __GFP_HIGH		0x1u	/* may use the emergency reserves */
#define __GFP_IO		0x2u	/* may start physical IO */
#define __GFP_FS		0x4u	/* may call into the filesystems */
#define __GFP_DIRECT_RECLAIM	0x8u	/* may sleep to reclaim */
#define __GFP_KSWAPD_RECLAIM	0x10u	/* may wake kswapd */
#define __GFP_HARDWALL		0x20u	/* cpuset memory policy */
#define __GFP_RECLAIM		(__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)

#define __GFP_ZERO		0x100u
#define __GFP_NOWARN		0x200u
#define __GFP_COMP		0x400u
#define __GFP_NORETRY		0x800u
#define __GFP_DMA32		0x1000u
#define __GFP_HIGHMEM		0x2000u

#define GFP_ATOMIC		(__GFP_HIGH | __GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL		(__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_KERNEL_ACCOUNT	GFP_KERNEL
#define GFP_NOWAIT		(__GFP_KSWAPD_RECLAIM | __GFP_NOWARN)
#define GFP_NOIO		(__GFP_RECLAIM)
#define GFP_NOFS		(__GFP_RECLAIM | __GFP_IO)
#define GFP_USER		(__GFP_RECLAIM | __GFP_IO | __GFP_FS | \
				 __GFP_HARDWALL)
#define GFP_HIGHUSER		(GFP_USER | __GFP_HIGHMEM)
/* A whole type here (the kernel's is the bit alone): callers use it bare. */
#define GFP_DMA32		(GFP_KERNEL | __GFP_DMA32)

/**
 * gfpflags_allow_blocking() - may an allocation with these flags sleep?
 * @gfp_flags: the flags
 *
 * Return: true if they hold __GFP_DIRECT_RECLAIM.
 */
static inline bool gfpflags_allow_blocking(const gfp_t gfp_flags)
{
	return !!(gfp_flags & __GFP_DIRECT_RECLAIM);
}

#endif /* _COMPAT_LINUX_GFP_TYPES_H */
