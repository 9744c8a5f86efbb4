/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <asm/page.h>: the simulated machine uses 4 KiB pages. */
#ifndef _COMPAT_ASM_PAGE_H
#define _COMPAT_ASM_PAGE_H

#include <linux/align.h>	/* PAGE_ALIGNED() */

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))

#define PHYS_PFN(x)	((unsigned long)((x) >> PAGE_SHIFT))
#define PFN_PHYS(x)	((phys_addr_t)(x) << PAGE_SHIFT)
#define PFN_UP(x)	(((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_DOWN(x)	((x) >> PAGE_SHIFT)
#define PAGE_ALIGNED(x)	IS_ALIGNED((unsigned long)(x), PAGE_SIZE)

#endif /* _COMPAT_ASM_PAGE_H */
