/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The page allocator's interface (mm/page_alloc.c).
 *
 * Flags that matter here:
 *   __GFP_COMP   make a high-order allocation a large folio (compound)
 *   __GFP_ZERO   zero the memory (through the direct map)
 *   __GFP_DMA32  take pages below 4 GiB only
 *   __GFP_NOWARN no warning for an impossible order
 * Without __GFP_DMA32 the allocator prefers RAM above 4 GiB and falls back
 * to low RAM when there is none, as ZONE_NORMAL falls back to ZONE_DMA32.
 *
 * Every allocation call consults should_fail_alloc() (fault injection)
 * exactly once and fails with no side effect when told to.
 */
#ifndef _LINUX_GFP_H
#define _LINUX_GFP_H

#include <linux/types.h>
#include <linux/gfp_types.h>

struct page;
struct folio;

/* Largest allocation order: 2^18 pages = 1 GiB. */
#define MAX_PAGE_ORDER		18
#define NR_PAGE_ORDERS		(MAX_PAGE_ORDER + 1)
#define MAX_ORDER_NR_PAGES	(1UL << MAX_PAGE_ORDER)

struct page *alloc_pages(gfp_t gfp, unsigned int order);
struct folio *folio_alloc(gfp_t gfp, unsigned int order);
void __free_pages(struct page *page, unsigned int order);
void split_page(struct page *page, unsigned int order);

unsigned long __get_free_pages(gfp_t gfp, unsigned int order);
unsigned long get_zeroed_page(gfp_t gfp);
void free_pages(unsigned long addr, unsigned int order);

struct page *alloc_contig_folios(gfp_t gfp, unsigned long nr_pages);
void free_contig_folios(struct page *page, unsigned long nr_pages);

#define alloc_page(gfp)			alloc_pages(gfp, 0)
#define __free_page(page)		__free_pages((page), 0)
#define __get_free_page(gfp)		__get_free_pages((gfp), 0)
#define free_page(addr)			free_pages((addr), 0)

#endif /* _LINUX_GFP_H */
