/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim <linux/slab.h> (and <linux/gfp.h>): the declarations of our counting
 * allocator (compat/linux/slab.h, implemented in compat/slab.c), so the
 * baseline's memory goes through the same kmalloc() and the same counters
 * as physr's.
 */
#ifndef _SGSHIM_LINUX_SLAB_H
#define _SGSHIM_LINUX_SLAB_H

#include <linux/types.h>
#include <sgb_abi.h>

#define GFP_KERNEL	SGB_GFP_KERNEL

void *kmalloc(size_t size, gfp_t flags);
void *kmalloc_array(size_t n, size_t size, gfp_t flags);
void kfree(const void *p);

/*
 * <linux/gfp.h>: a full scatterlist chunk is a page from the page
 * allocator in the kernel.  Here it is kmalloc(PAGE_SIZE), which our
 * allocator aligns to the page, so that it is counted with the rest.
 */
static inline unsigned long __get_free_page(gfp_t gfp)
{
	return (unsigned long)kmalloc(1UL << SGB_PAGE_SHIFT, gfp);
}

static inline void free_page(unsigned long addr)
{
	kfree((void *)addr);
}

#endif /* _SGSHIM_LINUX_SLAB_H */
