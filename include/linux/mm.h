/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memory management: the memmap, the direct map, folios and references.
 *
 * The memmap.  One struct page per page frame, in a flat array indexed by
 * PFN starting at vmemmap (the SPARSEMEM_VMEMMAP model, <asm/sparsemem.h>):
 * pfn_to_page() and page_to_pfn() are pointer arithmetic.  Its address
 * space spans every physical address; it is usable up to the highest RAM
 * PFN, and for device memory given struct pages (memremap_pages(),
 * below), but memory backs only what is touched, so descriptors of holes
 * cost nothing.  Never touch one for which pfn_valid() is false, unless
 * it is a device page.
 *
 * The direct map.  All RAM is visible to the CPU at one constant offset
 * (the platform's PAGE_OFFSET, <asm/page.h>), so phys_to_virt() is one
 * addition.  Only RAM has a direct-map address; MMIO is reached through
 * ioremap() (<asm/io.h>).
 *
 * References.  A folio's _refcount counts its users; the last folio_put()
 * gives it back to the page allocator.  A DMA pin (FOLL_PIN, by GUP) also
 * counts in _refcount: a large folio adds 1 per pin and counts pins in
 * _pincount; a small folio adds GUP_PIN_COUNTING_BIAS per pin, so
 * folio_maybe_dma_pinned() can guess from the refcount alone.
 */
#ifndef _LINUX_MM_H
#define _LINUX_MM_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/mmdebug.h>
#include <linux/gfp.h>
#include <linux/memremap.h>
#include <linux/mm_types.h>
#include <linux/page-flags.h>
#include <asm/page.h>
#include <asm/sparsemem.h>

/* ---- memmap ---------------------------------------------------------- */

/* Most RAM ranges mm tracks (<linux/memblock.h>). */
#define MM_MAX_RAM_RANGES	16

/**
 * struct mm_ram_range - a range of RAM page frames, [start_pfn, end_pfn)
 * @start_pfn: first PFN
 * @end_pfn: PFN after the last one
 */
struct mm_ram_range {
	unsigned long start_pfn;
	unsigned long end_pfn;
};

/* Registered by memblock_add() and set up by mm_init(); read-only after. */
extern unsigned long max_pfn;
extern unsigned int mm_nr_ram_ranges;
extern struct mm_ram_range mm_ram_ranges[MM_MAX_RAM_RANGES];

static __always_inline struct page *pfn_to_page(unsigned long pfn)
{
	return vmemmap + pfn;
}

static __always_inline unsigned long page_to_pfn(const struct page *page)
{
	return (unsigned long)(page - vmemmap);
}

/**
 * pfn_valid() - is this page frame RAM with a struct page?
 * @pfn: page frame number
 *
 * Device memory given struct pages by memremap_pages() is not pfn_valid()
 * here (upstream's says yes for it): every caller asks "is this RAM?".
 *
 * Return: true if @pfn is RAM, i.e. inside one of the RAM ranges the
 * platform registered.
 */
static inline bool pfn_valid(unsigned long pfn)
{
	unsigned int i;

	if (pfn >= max_pfn)
		return false;
	for (i = 0; i < mm_nr_ram_ranges; i++)
		if (pfn < mm_ram_ranges[i].end_pfn)
			return pfn >= mm_ram_ranges[i].start_pfn;
	return false;
}

static __always_inline phys_addr_t page_to_phys(const struct page *page)
{
	return PFN_PHYS(page_to_pfn(page));
}

static __always_inline struct page *phys_to_page(phys_addr_t pa)
{
	return pfn_to_page(PHYS_PFN(pa));
}

/* ---- direct map ------------------------------------------------------ */

/**
 * phys_to_virt() - direct-map address of a RAM byte
 * @pa: physical address; must be RAM
 *
 * Return: the CPU's address for @pa.
 */
static __always_inline void *phys_to_virt(phys_addr_t pa)
{
	return __va(pa);
}

/**
 * virt_to_phys() - physical address of a direct-map address
 * @addr: an address returned by phys_to_virt() or page_address()
 *
 * Return: the physical address @addr maps.
 */
static __always_inline phys_addr_t virt_to_phys(const void *addr)
{
	return __pa(addr);
}

static __always_inline void *page_address(const struct page *page)
{
	return phys_to_virt(page_to_phys(page));
}

static __always_inline struct page *virt_to_page(const void *addr)
{
	return phys_to_page(virt_to_phys(addr));
}

/* ---- device memory with struct pages (ZONE_DEVICE) -------------------- */

/*
 * memremap_pages() gives a range of device memory (a PCI BAR) struct pages,
 * as upstream's ZONE_DEVICE does.  The memmap's address space spans the
 * whole physical address space, and the piece describing the
 * range is backed and initialised on demand, so pfn_to_page() and
 * page_to_pfn() are the same arithmetic for device pages as for RAM.
 *
 * Device pages are not RAM: pfn_valid() is false for them, the page
 * allocator never sees them, they have no direct-map address (the CPU
 * reaches the memory through ioremap(), <asm/io.h>), and their
 * refcount is 0, as upstream's P2PDMA pages are while nobody has them.
 * Upstream keeps every page's zone in the top bits of page->flags; RAM
 * pages here find their zone from the PFN, so only device pages carry a
 * mark there, PAGE_ZONE_DEVICE_BIT, and page->pgmap points to their
 * struct dev_pagemap, as upstream's.
 */
#define PAGE_ZONE_DEVICE_BIT	(BITS_PER_LONG - 1)

/*
 * Device memory gets struct pages in whole 2 MiB subsections, as upstream's
 * memory hotplug requires; the memmap of one subsection is 32 KiB, whole
 * host pages, so two pagemaps never share a memmap page.
 */
#define PAGES_PER_SUBSECTION	(1UL << (21 - PAGE_SHIFT))

/* enum memory_type, struct dev_pagemap, memremap_pages(): <linux/memremap.h>. */

/*
 * The platform's backing of the memmap (arch/sim/mm.c), as upstream's
 * vmemmap_populate()/vmemmap_free() (without NUMA node or altmap): make
 * the memmap's virtual range [@start, @end) usable, zero-filled, or give
 * it back.  Page aligned, inside the region <asm/sparsemem.h> describes.
 */
int vmemmap_populate(unsigned long start, unsigned long end);
void vmemmap_free(unsigned long start, unsigned long end);
unsigned long nr_device_pages(void);

/**
 * is_zone_device_page() - is this the struct page of device memory?
 * @page: any page of RAM or of a live dev_pagemap
 *
 * Return: true for pages made by memremap_pages().
 */
static __always_inline bool is_zone_device_page(const struct page *page)
{
	return test_bit(PAGE_ZONE_DEVICE_BIT, &page->flags);
}

/**
 * page_pgmap() - the pagemap a device page belongs to
 * @page: a page for which is_zone_device_page() is true
 *
 * Upstream's since 6.15; 6.12 code (lib/physr.c) reads page->pgmap.
 *
 * Return: its struct dev_pagemap.
 */
static inline struct dev_pagemap *page_pgmap(const struct page *page)
{
	VM_WARN_ON_ONCE_PAGE(!is_zone_device_page(page), page);
	return page->pgmap;
}

/**
 * is_pci_p2pdma_page() - is this a page of PCI P2P memory?
 * @page: any page of RAM or of a live dev_pagemap
 *
 * pci_p2pdma_page_provider() tells whose.
 *
 * Return: true for pages of a P2PDMA provider with struct pages.
 */
static inline bool is_pci_p2pdma_page(const struct page *page)
{
	return is_zone_device_page(page) &&
	       page->pgmap->type == MEMORY_DEVICE_PCI_P2PDMA;
}

/* ---- folios ---------------------------------------------------------- */

/**
 * folio_order() - allocation order of a folio
 * @folio: the folio
 *
 * Return: 0 for a small folio, else log2 of its number of pages.
 */
static __always_inline unsigned int folio_order(const struct folio *folio)
{
	if (!folio_test_large(folio))
		return 0;
	return folio->_flags_1 & FOLIO_ORDER_MASK;
}

static __always_inline unsigned long folio_nr_pages(const struct folio *folio)
{
	if (!folio_test_large(folio))
		return 1;
	return folio->_folio_nr_pages;
}

static __always_inline u64 folio_size(const struct folio *folio)
{
	return (u64)PAGE_SIZE << folio_order(folio);
}

static __always_inline unsigned int folio_shift(const struct folio *folio)
{
	return PAGE_SHIFT + folio_order(folio);
}

static __always_inline unsigned long folio_pfn(const struct folio *folio)
{
	return page_to_pfn(&folio->page);
}

static __always_inline phys_addr_t folio_phys(const struct folio *folio)
{
	return PFN_PHYS(folio_pfn(folio));
}

static __always_inline void *folio_address(const struct folio *folio)
{
	return page_address(&folio->page);
}

static __always_inline struct folio *pfn_folio(unsigned long pfn)
{
	return page_folio(pfn_to_page(pfn));
}

static __always_inline struct folio *virt_to_folio(const void *addr)
{
	return page_folio(virt_to_page(addr));
}

/* The folio that follows @folio in physical memory. */
static __always_inline struct folio *folio_next(struct folio *folio)
{
	return (struct folio *)folio_page(folio, folio_nr_pages(folio));
}

/* ---- references ------------------------------------------------------ */

static __always_inline int page_ref_count(const struct page *page)
{
	return atomic_read(&page->_refcount);
}

static __always_inline void set_page_count(struct page *page, int v)
{
	atomic_set(&page->_refcount, v);
}

static __always_inline int folio_ref_count(const struct folio *folio)
{
	return page_ref_count(&folio->page);
}

static __always_inline void folio_ref_add(struct folio *folio, int nr)
{
	atomic_add(nr, &folio->_refcount);
}

static __always_inline void folio_ref_sub(struct folio *folio, int nr)
{
	atomic_sub(nr, &folio->_refcount);
}

static __always_inline void folio_ref_inc(struct folio *folio)
{
	folio_ref_add(folio, 1);
}

static __always_inline bool folio_ref_sub_and_test(struct folio *folio, int nr)
{
	return atomic_sub_and_test(nr, &folio->_refcount);
}

static __always_inline bool folio_ref_dec_and_test(struct folio *folio)
{
	return folio_ref_sub_and_test(folio, 1);
}

/**
 * folio_try_get() - take a reference unless the folio is being freed
 * @folio: the folio
 *
 * Return: true if a reference was taken (the count was not zero).
 */
static __always_inline bool folio_try_get(struct folio *folio)
{
	return atomic_add_unless(&folio->_refcount, 1, 0);
}

/**
 * folio_get() - take a reference on a folio
 * @folio: the folio; the caller must already hold a reference
 */
static __always_inline void folio_get(struct folio *folio)
{
	VM_WARN_ON_ONCE_FOLIO(folio_ref_count(folio) <= 0, folio);
	folio_ref_inc(folio);
}

void __folio_put(struct folio *folio);
void folio_ref_underflow(struct folio *folio, const char *what, int nr,
			 int have);
unsigned long folio_ref_underflows(void);

/**
 * folio_ref_sub_saturating() - drop @nr from a counter of a folio
 * @folio: the folio, for the report
 * @count: its _refcount or _pincount
 * @what: "references" or "pins", for the report
 * @nr: how many, > 0
 *
 * As refcount_t, a count never goes below zero: a drop of more than the
 * count holds is a bug (a put or unpin of something never taken) and is
 * refused, reported (folio_ref_underflow(): WARN the first time, counted
 * always), rather than wrapping the count negative and leaking the folio
 * or freeing it under its other users.  The check and the drop are one
 * compare-and-exchange, so a racing get or put is never lost.
 *
 * Return: the count after the drop, or -1 if it was refused (the count
 * is then as it was).
 */
static __always_inline int folio_ref_sub_saturating(struct folio *folio,
						    atomic_t *count,
						    const char *what, int nr)
{
	int old = atomic_read(count);

	do {
		if (unlikely(old < nr)) {
			folio_ref_underflow(folio, what, nr, old);
			return -1;
		}
	} while (!atomic_try_cmpxchg(count, &old, old - nr));
	return old - nr;
}

/**
 * folio_put_refs() - drop @refs references on a folio
 * @folio: the folio
 * @refs: how many
 *
 * Frees the folio (gives its pages back to the page allocator) when these
 * were the last references.  Dropping more than the folio holds is
 * refused and reported (folio_ref_sub_saturating()).
 */
static inline void folio_put_refs(struct folio *folio, int refs)
{
	if (folio_ref_sub_saturating(folio, &folio->_refcount, "references",
				     refs) == 0)
		__folio_put(folio);
}

/**
 * folio_put() - drop a reference on a folio
 * @folio: the folio
 *
 * Frees the folio when this was the last reference; a put of a folio
 * nobody holds is refused and reported.
 */
static inline void folio_put(struct folio *folio)
{
	folio_put_refs(folio, 1);
}

static inline void get_page(struct page *page)
{
	folio_get(page_folio(page));
}

static inline void put_page(struct page *page)
{
	folio_put(page_folio(page));
}

/* ---- DMA pins -------------------------------------------------------- */

/*
 * What one FOLL_PIN adds to a small folio's refcount.  Large folios count
 * pins in _pincount and add 1 per pin to _refcount.
 */
#define GUP_PIN_COUNTING_BIAS	(1U << 10)

static __always_inline int folio_pincount(const struct folio *folio)
{
	if (folio_test_large(folio))
		return atomic_read(&folio->_pincount);
	return folio_ref_count(folio) / GUP_PIN_COUNTING_BIAS;
}

/**
 * folio_maybe_dma_pinned() - might a device be writing this folio?
 * @folio: the folio
 *
 * Exact for large folios; for small ones a false positive is possible
 * when more than GUP_PIN_COUNTING_BIAS plain references are held, never a
 * false negative.
 *
 * Return: true if the folio may be pinned for DMA.
 */
static inline bool folio_maybe_dma_pinned(const struct folio *folio)
{
	if (folio_test_large(folio))
		return atomic_read(&folio->_pincount) > 0;
	return (unsigned int)folio_ref_count(folio) >= GUP_PIN_COUNTING_BIAS;
}

static inline bool page_maybe_dma_pinned(const struct page *page)
{
	return folio_maybe_dma_pinned(page_folio(page));
}

/* ---- pinning user memory (mm/gup.c) ---------------------------------- */

/*
 * gup_flags.  Callers of pin_user_physr() may pass FOLL_WRITE,
 * FOLL_LONGTERM and FOLL_NOFAULT; FOLL_PIN is what the call always does
 * and may not be passed.  Values are upstream's.
 */
#define FOLL_WRITE	0x01u		/* the device will write the memory */
#define FOLL_NOFAULT	0x20u		/* fail (-EFAULT) rather than fault in */
#define FOLL_LONGTERM	0x100u		/* pinned for an unbounded time */
#define FOLL_PIN	0x80000u	/* internal: take DMA pins */

struct mm_struct;
struct physr_list;

int pin_user_physr(struct mm_struct *mm, unsigned long start,
		   unsigned long len, unsigned int gup_flags,
		   struct physr_list *list);
void unpin_user_physr(struct physr_list *list, bool make_dirty);

/*
 * pin_user_physr() prefetches the struct pages it is about to pin; off,
 * for measuring what that is worth (`physr bench pin/4k/no-prefetch`).
 */
extern bool gup_prefetch;
/* Tests only: see mm/gup.c. */
extern void (*gup_fast_test_hook)(struct mm_struct *mm, unsigned long addr);

/* madvise(2) behaviours of do_madvise() (mm/memory.c); upstream's values. */
#define MADV_DONTNEED	4

int do_madvise(struct mm_struct *mm, unsigned long start, size_t len_in,
	       int behavior);

/* ---- dirtying -------------------------------------------------------- */

/**
 * folio_mark_dirty() - record that the folio's contents changed
 * @folio: the folio
 *
 * Return: true if it was clean before (this call dirtied it).
 */
static inline bool folio_mark_dirty(struct folio *folio)
{
	return !folio_test_set_dirty(folio);
}

static inline bool set_page_dirty(struct page *page)
{
	return folio_mark_dirty(page_folio(page));
}

/* ---- boot, teardown and statistics ---------------------------------- */

int mm_init(void);
void mm_exit(void);

/**
 * struct mm_page_stats - page allocator counters, in pages
 * @managed_pages: RAM pages the allocator manages
 * @free_pages: pages on its free lists
 * @allocated_pages: pages handed out and not yet freed
 * @dma32_free_pages: free pages below 4 GiB
 * @free_blocks: free blocks of each order
 *
 * @free_pages + @allocated_pages == @managed_pages at all times.
 */
struct mm_page_stats {
	u64 managed_pages;
	u64 free_pages;
	u64 allocated_pages;
	u64 dma32_free_pages;
	u64 free_blocks[NR_PAGE_ORDERS];
};

void mm_page_stats(struct mm_page_stats *stats);
struct zone;
void drain_all_pages(struct zone *zone);
unsigned long nr_free_pages(void);

#endif /* _LINUX_MM_H */
