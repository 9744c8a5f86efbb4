/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/gfp_types.h>: allocation flags. */
#ifndef _COMPAT_LINUX_GFP_TYPES_H
#define _COMPAT_LINUX_GFP_TYPES_H

#include <linux/types.h>

#define __GFP_ZERO		0x100u
#define __GFP_NOWARN		0x200u
#define __GFP_COMP		0x400u
#define __GFP_NORETRY		0x800u
#define __GFP_DMA32		0x1000u
#define __GFP_HIGHMEM		0x2000u

#define GFP_KERNEL		0x1u
#define GFP_ATOMIC		0x2u
#define GFP_NOWAIT		0x4u
#define GFP_NOIO		0x8u
#define GFP_USER		0x10u
#define GFP_HIGHUSER		(GFP_USER | __GFP_HIGHMEM)
#define GFP_DMA32		(GFP_KERNEL | __GFP_DMA32)
#define GFP_KERNEL_ACCOUNT	GFP_KERNEL

#endif /* _COMPAT_LINUX_GFP_TYPES_H */
