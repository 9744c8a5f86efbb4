/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim <linux/mm.h> (with the parts of <linux/mm_types.h>, <linux/mmzone.h>
 * and <asm-generic/memory_model.h> that scatterlist.c uses).
 *
 * The pages handed to the baseline are ours: struct pages of our memmap.
 * So page_to_pfn() is the kernel's CONFIG_SPARSEMEM_VMEMMAP pointer
 * difference against vmemmap, which here is our mm's memmap base (the
 * same variable), and struct page has the size of ours (checked on both
 * sides, sgb_abi.h).  The shim reads one field of it: flags, for
 * page_zonenum().  page_address() and virt_to_page() ask our side.
 */
#ifndef _SGSHIM_LINUX_MM_H
#define _SGSHIM_LINUX_MM_H

#include <linux/types.h>
#include <linux/bug.h>
#include <sgb_abi.h>

#define PAGE_SHIFT		SGB_PAGE_SHIFT
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define PAGE_MASK		(~(PAGE_SIZE - 1))
#define PAGE_ALIGN(addr)	ALIGN(addr, PAGE_SIZE)
#define offset_in_page(p)	((unsigned long)(p) & ~PAGE_MASK)

struct dev_pagemap;

struct page {
	unsigned long flags;
	unsigned char __rest[SGB_STRUCT_PAGE_SIZE - sizeof(unsigned long)];
};

struct folio {
	struct page page;
};

/* <asm-generic/memory_model.h>, CONFIG_SPARSEMEM_VMEMMAP */
extern struct page *vmemmap;		/* ours: arch/sim/mm.c */
#define page_to_pfn(page)	((unsigned long)((page) - vmemmap))
#define pfn_to_page(pfn)	(vmemmap + (pfn))
#define nth_page(page, n)	((page) + (n))
#define page_to_phys(page)	((phys_addr_t)page_to_pfn(page) << PAGE_SHIFT)

/* <linux/mmzone.h>, CONFIG_ZONE_DEVICE */
#define ZONES_PGSHIFT		SGB_ZONES_PGSHIFT
#define ZONES_MASK		SGB_ZONES_MASK
#define ZONE_DEVICE		SGB_ZONE_DEVICE

static inline unsigned int page_zonenum(const struct page *page)
{
	return (page->flags >> ZONES_PGSHIFT) & ZONES_MASK;
}

static inline bool is_zone_device_page(const struct page *page)
{
	return page_zonenum(page) == ZONE_DEVICE;
}

/*
 * The kernel's last step compares a->pgmap with b->pgmap.  The benchmarks
 * hand the baseline RAM pages only, so no page ever reaches it.
 */
static inline bool zone_device_pages_have_same_pgmap(const struct page *a,
						     const struct page *b)
{
	if (is_zone_device_page(a) != is_zone_device_page(b))
		return false;
	if (!is_zone_device_page(a))
		return true;
	SGSHIM_UNSUPPORTED();
}

/* The direct map is ours: see sgb_abi.h. */
static inline void *page_address(const struct page *page)
{
	return sgb_hook_page_address(page);
}

static inline struct page *virt_to_page(const void *addr)
{
	return sgb_hook_virt_to_page(addr);
}

/* Folios: only extract_xarray_to_sg() and sg_set_folio() use them. */
#define folio_page(folio, n)	nth_page(&(folio)->page, n)

static inline size_t folio_size(const struct folio *folio)
{
	SGSHIM_UNSUPPORTED();
}

static inline bool folio_test_hugetlb(const struct folio *folio)
{
	return false;
}

static inline size_t offset_in_folio(const struct folio *folio, loff_t pos)
{
	return pos & (folio_size(folio) - 1);
}

#endif /* _SGSHIM_LINUX_MM_H */
