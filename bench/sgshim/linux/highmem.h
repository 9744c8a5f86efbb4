/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim <linux/highmem.h>: 64-bit, no highmem, so kmap() is page_address()
 * and kunmap() does nothing, as on x86-64.
 */
#ifndef _SGSHIM_LINUX_HIGHMEM_H
#define _SGSHIM_LINUX_HIGHMEM_H

#include <linux/mm.h>

static inline void *kmap(struct page *page)
{
	return page_address(page);
}

static inline void kunmap(struct page *page)
{
}

static inline void *kmap_atomic(struct page *page)
{
	return page_address(page);
}

static inline void kunmap_atomic(void *addr)
{
}

static inline bool pagefault_disabled(void)
{
	return true;
}

static inline void flush_dcache_page(struct page *page)
{
}

#endif /* _SGSHIM_LINUX_HIGHMEM_H */
