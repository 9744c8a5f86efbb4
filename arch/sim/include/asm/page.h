/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The platform's pages and its direct map.
 *
 * The simulated CPU has 4 KiB pages.  The direct map is linear: all RAM
 * appears at one constant offset in the CPU's address space, PAGE_OFFSET
 * (the address of physical 0), so __va() and __pa() are one addition.
 * PAGE_OFFSET is a variable, set by setup_arch() from where the machine
 * put RAM, as x86's page_offset_base is under KASLR; it is 0 while no
 * machine is set up.  Only RAM has a direct-map address: device memory
 * is reached through ioremap() (<asm/io.h>).
 */
#ifndef _ASM_SIM_PAGE_H
#define _ASM_SIM_PAGE_H

#include <linux/types.h>
#include <linux/align.h>	/* PAGE_ALIGNED() */

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))

#define PHYS_PFN(x)	((unsigned long)((x) >> PAGE_SHIFT))
#define PFN_PHYS(x)	((phys_addr_t)(x) << PAGE_SHIFT)
#define PFN_UP(x)	(((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_DOWN(x)	((x) >> PAGE_SHIFT)
#define PAGE_ALIGNED(x)	IS_ALIGNED((unsigned long)(x), PAGE_SIZE)

extern unsigned long page_offset_base;
#define PAGE_OFFSET	page_offset_base

#define __va(pa)	((void *)((unsigned long)(pa) + PAGE_OFFSET))
#define __pa(va)	((phys_addr_t)((unsigned long)(va) - PAGE_OFFSET))

#endif /* _ASM_SIM_PAGE_H */
