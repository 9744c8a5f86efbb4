/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm-internal declarations: zones and the hooks between mm_init.c,
 * memblock.c, memmap.c, page_alloc.c and layout.c, and the page-table
 * helpers (pgtable.c) that mmap.c and memory.c share.  Nothing outside mm/ includes this.
 */
#ifndef _MM_INTERNAL_H
#define _MM_INTERNAL_H

#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mm_struct.h>
#include <linux/spinlock.h>

/* PFN where ZONE_NORMAL starts: everything below is reachable by DMA32. */
#define MM_DMA32_END_PFN	(1UL << (32 - PAGE_SHIFT))

enum zone_type {
	ZONE_DMA32,
	ZONE_NORMAL,
	MAX_NR_ZONES,
};

/**
 * struct free_area - free blocks of one order in one zone
 * @free_list: head pages of the free blocks, linked through page->lru
 * @nr_free: number of blocks on @free_list
 */
struct free_area {
	struct list_head free_list;
	unsigned long nr_free;
};

/**
 * struct zone - a range of PFNs the allocator manages as one pool
 * @lock: protects everything below, and the PG_buddy/private/lru fields of
 *	every free block's head page in the zone
 * @name: "DMA32" or "Normal"
 * @start_pfn: first PFN of the span (the span may contain holes)
 * @end_pfn: PFN after the span
 * @managed_pages: RAM pages in the zone
 * @free_pages: pages on the free lists
 * @allocated_pages: pages handed out and not yet freed
 * @free_area: the free lists, by order
 */
/*
 * Order-0 pages a zone keeps unmerged after they are freed, handed out
 * again first (last freed, first allocated): the kernel's per-CPU page
 * lists.  A page-table page freed by an unmap is still in the cache when
 * the next map takes it, and neither pays for merging with its buddies
 * up to 1 GiB and splitting down again.
 */
#define ZONE_HOT_PAGES	32

struct zone {
	spinlock_t lock;
	const char *name;
	unsigned long start_pfn;
	unsigned long end_pfn;
	unsigned long managed_pages;
	unsigned long free_pages;
	unsigned long allocated_pages;
	struct free_area free_area[NR_PAGE_ORDERS];
	unsigned int nr_hot;
	struct page *hot[ZONE_HOT_PAGES];
};

/* mm_init.c */
bool mm_is_up(void);

/* memmap.c */
int mm_memmap_init(void);
void mm_memmap_exit(void);

/* page_alloc.c */
int mm_page_alloc_init(void);
void mm_page_alloc_exit(void);

/* pgtable.c: process page tables (see <linux/pgtable.h>) */
struct mm_struct;
int pt_pgd_alloc(struct mm_struct *mm);
void pt_free_all(struct mm_struct *mm);
pt_entry_t *pt_alloc(struct mm_struct *mm, unsigned long addr, int level);
void pt_zap_range(struct mm_struct *mm, unsigned long start,
		  unsigned long end);
void pt_zap_leaf(pt_entry_t e, int level);
bool pt_huge_pmd_needs_split(struct mm_struct *mm, unsigned long addr,
			     unsigned long start, unsigned long end);
void pt_split_huge_pmd(struct mm_struct *mm, unsigned long addr,
		       pt_entry_t *table);

/* pfnmap.c: drivers' VMAs */
int vma_do_fault(struct vm_area_struct *vma, unsigned long address,
		 unsigned int flags);
void vma_close(struct vm_area_struct *vma);

#endif /* _MM_INTERNAL_H */
