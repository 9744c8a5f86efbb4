// SPDX-License-Identifier: GPL-2.0
/*
 * The buddy page allocator.
 *
 * RAM is managed in naturally aligned blocks of 2^order pages, order 0 to
 * MAX_PAGE_ORDER (18, 1 GiB).  Each zone keeps one free list per order.
 * Allocating order n takes the first block of the smallest order >= n
 * that has one and splits it, putting the unused upper halves back on the
 * lower lists.  Freeing a block merges it with its buddy (the block whose
 * PFN differs only in bit "order") while the buddy is free and of the same
 * order, then puts the result on its list.
 *
 * Zones.  ZONE_DMA32 holds RAM below 4 GiB, ZONE_NORMAL the rest.  4 GiB
 * is a multiple of the largest block, so no block straddles the two and
 * buddies are always in the same zone.  __GFP_DMA32 allocates from
 * ZONE_DMA32 only; anything else tries ZONE_NORMAL first, then ZONE_DMA32,
 * which keeps low RAM for devices that need it.  Each zone has its own
 * lock, which covers its free lists and counters and the buddy fields of
 * its free blocks' head pages.
 *
 * What a free block looks like.  Its head page has PG_buddy set,
 * page->private = order and page->lru on the free list.  Every other page
 * of the block is in the zero state: no flags, not a tail, no references.
 * Because the memmap starts zero-filled, booting only writes the head page
 * of each initial (mostly 1 GiB) block; the struct pages inside are first
 * written when a split or an allocation reaches them.  The free path
 * restores the zero state (clears flags, compound_head, folio fields) so
 * that a later allocation of any shape can rely on it.
 *
 * Allocated blocks.  The head page gets _refcount 1.  With __GFP_COMP and
 * order >= 1 the block becomes a large folio: PG_head on the head, every
 * tail's compound_head pointing at it, the order and counters in page[1].
 * Without __GFP_COMP the tails stay untouched: such a block is freed whole
 * with __free_pages(page, order), or split_page() first and freed page by
 * page.
 *
 * Accounting.  Per zone, under the lock: managed_pages (RAM in the zone),
 * free_pages (on the lists) and allocated_pages (handed out); free +
 * allocated == managed always.  Each allocated object (block, folio, or
 * page after split_page()) is also reported to the process-wide counters
 * of <linux/fault-inject.h> (alloc_stats_add()), so a test that checks
 * "nothing leaked" sees pages as well as kmalloc memory.  Every allocation
 * call ticks should_fail_alloc() exactly once and, when told to fail,
 * returns NULL having changed nothing.
 *
 * Conventions: PFN ranges are [start, end), end exclusive.
 */
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/fault-inject.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/mmdebug.h>
#include <linux/printk.h>
#include <linux/string.h>

#include "internal.h"

static_assert(MM_DMA32_END_PFN % MAX_ORDER_NR_PAGES == 0);

static struct zone zones[MAX_NR_ZONES];
static bool page_alloc_ready;

static const char *const zone_names[MAX_NR_ZONES] = {
	[ZONE_DMA32] = "DMA32",
	[ZONE_NORMAL] = "Normal",
};

static inline struct zone *pfn_zone(unsigned long pfn)
{
	return &zones[pfn < MM_DMA32_END_PFN ? ZONE_DMA32 : ZONE_NORMAL];
}

/* ---- free lists (zone->lock held) ----------------------------------- */

static inline void __add_to_free_list(struct page *page, struct zone *zone,
				      unsigned int order)
{
	struct free_area *area = &zone->free_area[order];

	page->private = order;
	__set_bit(PG_buddy, &page->flags);
	list_add(&page->lru, &area->free_list);
	area->nr_free++;
}

/* Take a free block's head off its list and back to the zero state. */
static inline void __del_from_free_list(struct page *page, struct zone *zone,
					unsigned int order)
{
	list_del(&page->lru);
	page->lru.next = NULL;
	page->lru.prev = NULL;
	page->private = 0;
	__clear_bit(PG_buddy, &page->flags);
	zone->free_area[order].nr_free--;
}

/* Is the block at @pfn free with exactly @order, in @zone? */
static inline bool __page_is_buddy(struct zone *zone, unsigned long pfn,
				   unsigned int order)
{
	struct page *page;

	if (pfn < zone->start_pfn || pfn >= zone->end_pfn || !pfn_valid(pfn))
		return false;
	page = pfn_to_page(pfn);
	return PageBuddy(page) && page->private == order;
}

/*
 * Put the block [pfn, pfn + 2^order) on the free lists, merging it with
 * free buddies.  Every struct page of the block must be in the zero state.
 */
static void __free_one_page(struct zone *zone, unsigned long pfn,
			    unsigned int order)
{
	zone->free_pages += 1UL << order;

	while (order < MAX_PAGE_ORDER) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);

		if (!__page_is_buddy(zone, buddy_pfn, order))
			break;
		__del_from_free_list(pfn_to_page(buddy_pfn), zone, order);
		pfn &= ~(1UL << order);
		order++;
	}
	__add_to_free_list(pfn_to_page(pfn), zone, order);
}

/*
 * The order of the largest naturally aligned block that starts at @pfn
 * and ends by @end (> @pfn).  Walking [start, end) in such blocks cuts it
 * into as few blocks as possible.
 */
static unsigned int pfn_range_block_order(unsigned long pfn, unsigned long end)
{
	unsigned int order = min_t(unsigned int, MAX_PAGE_ORDER,
				   ilog2(end - pfn));

	if (pfn)
		order = min_t(unsigned int, order, __ffs(pfn));
	return order;
}

/* Free [start, end) as the largest naturally aligned blocks it holds. */
static void __free_pfn_range(struct zone *zone, unsigned long start,
			     unsigned long end)
{
	while (start < end) {
		unsigned int order = pfn_range_block_order(start, end);

		__free_one_page(zone, start, order);
		start += 1UL << order;
	}
}

/* Split the free block @page of order @high to hand out order @low. */
static inline void __expand(struct zone *zone, struct page *page,
			    unsigned int low, unsigned int high)
{
	while (high > low) {
		high--;
		__add_to_free_list(page + (1UL << high), zone, high);
	}
}

/* Take a block of @order off @zone's lists, or return NULL. */
static struct page *__rmqueue(struct zone *zone, unsigned int order)
{
	unsigned int o;

	for (o = order; o < NR_PAGE_ORDERS; o++) {
		struct free_area *area = &zone->free_area[o];
		struct page *page;

		page = list_first_entry_or_null(&area->free_list, struct page,
						lru);
		if (!page)
			continue;
		__del_from_free_list(page, zone, o);
		__expand(zone, page, order, o);
		zone->free_pages -= 1UL << order;
		return page;
	}
	return NULL;
}

/*
 * Take @nr (> MAX_ORDER_NR_PAGES) physically contiguous free pages off
 * @zone's lists: a run of adjacent free max-order blocks.  The excess of
 * the last block goes back.  Returns false, having taken nothing, if there
 * is no such run.
 */
static bool __rmqueue_max_run(struct zone *zone, unsigned long nr,
			      unsigned long *start_pfn)
{
	struct free_area *area = &zone->free_area[MAX_PAGE_ORDER];
	/* Not DIV_ROUND_UP(): @nr may come from a caller near ULONG_MAX. */
	unsigned long blocks = nr / MAX_ORDER_NR_PAGES +
			       !!(nr % MAX_ORDER_NR_PAGES);
	struct page *page;
	unsigned long i;

	if (area->nr_free < blocks)
		return false;
	list_for_each_entry(page, &area->free_list, lru) {
		unsigned long pfn = page_to_pfn(page);

		for (i = 1; i < blocks; i++)
			if (!__page_is_buddy(zone, pfn + i * MAX_ORDER_NR_PAGES,
					     MAX_PAGE_ORDER))
				break;
		if (i < blocks)
			continue;

		for (i = 0; i < blocks; i++)
			__del_from_free_list(pfn_to_page(pfn + i *
							 MAX_ORDER_NR_PAGES),
					     zone, MAX_PAGE_ORDER);
		zone->free_pages -= blocks * MAX_ORDER_NR_PAGES;
		__free_pfn_range(zone, pfn + nr,
				 pfn + blocks * MAX_ORDER_NR_PAGES);
		*start_pfn = pfn;
		return true;
	}
	return false;
}

/*
 * Take @nr_pages physically contiguous pages off @zone's lists and count
 * them as allocated.  The run starts at a multiple of the smallest power
 * of two >= @nr_pages (of 1 GiB above that); the rest of its block goes
 * back.  Returns the first page, or NULL having taken nothing.
 */
static struct page *__rmqueue_contig(struct zone *zone, unsigned long nr_pages)
{
	struct page *page;
	unsigned long pfn;

	if (nr_pages == 1 && zone->nr_hot) {
		page = zone->hot[--zone->nr_hot];
		zone->free_pages--;
		zone->allocated_pages++;
		return page;
	}
	if (nr_pages > MAX_ORDER_NR_PAGES) {
		if (!__rmqueue_max_run(zone, nr_pages, &pfn))
			return NULL;
		page = pfn_to_page(pfn);
	} else {
		unsigned int order = order_base_2(nr_pages);

		page = __rmqueue(zone, order);
		if (!page)
			return NULL;
		pfn = page_to_pfn(page);
		__free_pfn_range(zone, pfn + nr_pages, pfn + (1UL << order));
	}
	zone->allocated_pages += nr_pages;
	return page;
}

/* Give @zone's hot pages back to the free lists, merged. */
static void __drain_hot_pages(struct zone *zone)
{
	while (zone->nr_hot) {
		zone->free_pages--;
		__free_one_page(zone, page_to_pfn(zone->hot[--zone->nr_hot]), 0);
	}
}

/**
 * drain_all_pages() - give the zones' hot pages back to the free lists
 * @zone: the zone, or NULL for every zone
 *
 * Afterwards every free page is on the buddy lists, merged with its
 * buddies, and the next allocations come from there, in the lists'
 * order.
 */
void drain_all_pages(struct zone *zone)
{
	unsigned int z;

	for (z = 0; z < MAX_NR_ZONES; z++) {
		if (zone && zone != &zones[z])
			continue;
		spin_lock(&zones[z].lock);
		__drain_hot_pages(&zones[z]);
		spin_unlock(&zones[z].lock);
	}
}

/* ---- allocation ------------------------------------------------------ */

/* The zones to try for @gfp, best first; returns how many. */
static unsigned int gfp_zonelist(gfp_t gfp, struct zone **list)
{
	unsigned int n = 0;

	if (!(gfp & __GFP_DMA32) && zones[ZONE_NORMAL].managed_pages)
		list[n++] = &zones[ZONE_NORMAL];
	if (zones[ZONE_DMA32].managed_pages)
		list[n++] = &zones[ZONE_DMA32];
	return n;
}

/*
 * The one allocation path: tick the fault injector, then take @nr_pages
 * contiguous pages (__rmqueue_contig()) from the first zone of @gfp's
 * list that has them.  Their struct pages are not prepared yet.
 */
static struct page *rmqueue(gfp_t gfp, unsigned long nr_pages)
{
	struct zone *zonelist[MAX_NR_ZONES];
	struct page *page = NULL;
	unsigned int i, n;

	if (should_fail_alloc(gfp))
		return NULL;
	if (WARN_ON_ONCE(!page_alloc_ready))
		return NULL;

	n = gfp_zonelist(gfp, zonelist);
	for (i = 0; i < n && !page; i++) {
		struct zone *zone = zonelist[i];

		spin_lock(&zone->lock);
		page = __rmqueue_contig(zone, nr_pages);
		if (!page && zone->nr_hot) {
			/* The hot pages may be what a larger block lacks. */
			__drain_hot_pages(zone);
			page = __rmqueue_contig(zone, nr_pages);
		}
		spin_unlock(&zone->lock);
	}
	return page;
}

static void prep_compound_page(struct page *page, unsigned int order)
{
	struct folio *folio = (struct folio *)page;
	unsigned long i, nr = 1UL << order;

	__set_bit(PG_head, &page->flags);
	for (i = 1; i < nr; i++)
		WRITE_ONCE(page[i].compound_head, (unsigned long)page + 1);
	folio->_flags_1 = order;
	folio->_folio_nr_pages = nr;
	atomic_set(&folio->_entire_mapcount, 0);
	atomic_set(&folio->_pincount, 0);
}

/* Make a block just taken off the free lists ready for its owner. */
static void prep_new_page(struct page *page, unsigned int order, gfp_t gfp)
{
	page->flags = 0;
	set_page_count(page, 1);
	if (gfp & __GFP_ZERO)
		memset(page_address(page), 0, PAGE_SIZE << order);
	if ((gfp & __GFP_COMP) && order)
		prep_compound_page(page, order);
}

/**
 * alloc_pages() - allocate a naturally aligned block of 2^order pages
 * @gfp: GFP flags (see <linux/gfp.h>)
 * @order: 0 to MAX_PAGE_ORDER
 *
 * With __GFP_COMP and @order >= 1 the block is a large folio (use
 * page_folio() and folio_put()); otherwise free it with
 * __free_pages(page, order).
 *
 * Return: the first page, with a reference count of 1; NULL if no block
 * is free, on injected failure, or for an impossible @order (which
 * warns unless __GFP_NOWARN).
 */
struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	struct page *page;

	if (unlikely(order > MAX_PAGE_ORDER)) {
		WARN_ON_ONCE(!(gfp & __GFP_NOWARN));
		return NULL;
	}
	page = rmqueue(gfp, 1UL << order);
	if (!page)
		return NULL;

	prep_new_page(page, order, gfp);
	alloc_stats_add(1, (s64)(PAGE_SIZE << order));
	return page;
}

/**
 * folio_alloc() - allocate a folio
 * @gfp: GFP flags; __GFP_COMP is implied
 * @order: 0 to MAX_PAGE_ORDER
 *
 * Return: the folio with one reference, or NULL.
 */
struct folio *folio_alloc(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(gfp | __GFP_COMP, order);

	return page ? page_folio(page) : NULL;
}

/**
 * alloc_contig_folios() - allocate physically contiguous pages as folios
 * @gfp: GFP flags (__GFP_COMP is implied)
 * @nr_pages: how many pages; may exceed MAX_ORDER_NR_PAGES if enough
 *	adjacent 1 GiB blocks are free
 *
 * The range is carved into the largest naturally aligned folios it holds,
 * each with one reference; free it with free_contig_folios() or by
 * putting each folio.  The start is aligned to the smallest power of two
 * >= @nr_pages (or to 1 GiB above that).
 *
 * Return: the first page, or NULL.
 */
struct page *alloc_contig_folios(gfp_t gfp, unsigned long nr_pages)
{
	unsigned long pfn, end, nr_folios = 0;
	struct page *page;

	if (WARN_ON_ONCE(!nr_pages))
		return NULL;
	page = rmqueue(gfp, nr_pages);
	if (!page)
		return NULL;

	pfn = page_to_pfn(page);
	for (end = pfn + nr_pages; pfn < end; nr_folios++) {
		unsigned int order = pfn_range_block_order(pfn, end);

		prep_new_page(pfn_to_page(pfn), order, gfp | __GFP_COMP);
		pfn += 1UL << order;
	}
	alloc_stats_add(nr_folios, (s64)(nr_pages * PAGE_SIZE));
	return page;
}

/**
 * split_page() - turn a non-compound block into independent pages
 * @page: head of a block from alloc_pages() without __GFP_COMP
 * @order: its order
 *
 * Each page then has its own reference and is freed with __free_page().
 */
void split_page(struct page *page, unsigned int order)
{
	unsigned long i, nr = 1UL << order;

	VM_BUG_ON_PAGE(PageCompound(page), page);
	VM_BUG_ON_PAGE(!page_ref_count(page), page);
	for (i = 1; i < nr; i++)
		set_page_count(page + i, 1);
	alloc_stats_add((s64)nr - 1, 0);
}

/**
 * __get_free_pages() - allocate pages and return their direct-map address
 * @gfp: GFP flags (__GFP_COMP is not allowed)
 * @order: 0 to MAX_PAGE_ORDER
 *
 * Return: the address, or 0.
 */
unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *page;

	if (WARN_ON_ONCE(gfp & __GFP_COMP))
		return 0;
	page = alloc_pages(gfp, order);
	return page ? (unsigned long)page_address(page) : 0;
}

/**
 * get_zeroed_page() - allocate one zeroed page, by direct-map address
 * @gfp: GFP flags
 *
 * Return: the address, or 0.
 */
unsigned long get_zeroed_page(gfp_t gfp)
{
	return __get_free_pages(gfp | __GFP_ZERO, 0);
}

/* ---- freeing --------------------------------------------------------- */

/*
 * Check a block being freed and return its struct pages to the zero
 * state.  Returns false (and leaks the block) if it is in no state to be
 * freed.
 */
static bool free_pages_prepare(struct page *page, unsigned int order)
{
	unsigned long i, nr = 1UL << order;
	bool bad = false;

	bad |= WARN_ONCE(PageBuddy(page) || PageTail(page),
			 "mm: freeing a free or tail page, pfn %#lx\n",
			 page_to_pfn(page));
	bad |= WARN_ONCE(page->mapping || atomic_read(&page->_mapcount),
			 "mm: freeing a mapped page, pfn %#lx\n",
			 page_to_pfn(page));
	if (PageHead(page)) {
		struct folio *folio = (struct folio *)page;

		bad |= WARN_ONCE(folio_order(folio) != order,
				 "mm: freeing an order-%u folio as order %u\n",
				 folio_order(folio), order);
		bad |= WARN_ONCE(atomic_read(&folio->_pincount),
				 "mm: freeing a pinned folio, pfn %#lx\n",
				 page_to_pfn(page));
		if (bad)
			return false;
		for (i = 1; i < nr; i++) {
			if (WARN_ONCE(page[i].compound_head !=
				      (unsigned long)page + 1,
				      "mm: bad tail page, pfn %#lx\n",
				      page_to_pfn(page + i)))
				return false;
		}
		for (i = 1; i < nr; i++)
			page[i].compound_head = 0;
		folio->_flags_1 = 0;
		folio->_folio_nr_pages = 0;
		atomic_set(&folio->_entire_mapcount, 0);
	}
	if (bad)
		return false;
	if (!PageHead(page)) {
		/* Tails of a plain block: their flags are their own. */
		for (i = 1; i < nr; i++) {
			if (WARN_ONCE(page_ref_count(page + i),
				      "mm: freeing a block whose page %#lx is still referenced\n",
				      page_to_pfn(page + i)))
				return false;
			if (unlikely(page[i].flags))
				page[i].flags = 0;
		}
	}

	page->flags = 0;
	page->lru.next = NULL;
	page->lru.prev = NULL;
	page->index = 0;
	page->private = 0;
	return true;
}

/* Give a block with no references back to the free lists. */
static void free_block(struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page);
	struct zone *zone = pfn_zone(pfn);

	if (!free_pages_prepare(page, order))
		return;
	spin_lock(&zone->lock);
	zone->allocated_pages -= 1UL << order;
	if (!order && zone->nr_hot < ZONE_HOT_PAGES) {
		zone->hot[zone->nr_hot++] = page;
		zone->free_pages++;
	} else {
		__free_one_page(zone, pfn, order);
	}
	spin_unlock(&zone->lock);
}

/**
 * __folio_put() - free a folio whose last reference was just dropped
 * @folio: the folio
 *
 * Called by folio_put(); not for direct use.
 */
void __folio_put(struct folio *folio)
{
	unsigned int order = folio_order(folio);

	free_block(&folio->page, order);
	alloc_stats_add(-1, -(s64)(PAGE_SIZE << order));
}

/**
 * __free_pages() - drop a reference to a block from alloc_pages()
 * @page: its first page
 * @order: the order it was allocated with
 *
 * The block goes back to the allocator when this was the last reference.
 * For a non-compound block still referenced elsewhere (a get_page() on
 * the first page), the rest of the block is freed now and the first page
 * when that reference is dropped.
 */
void __free_pages(struct page *page, unsigned int order)
{
	bool head = PageHead(page);
	int old = atomic_fetch_sub(1, &page->_refcount);

	if (WARN_ONCE(old <= 0, "mm: page %#lx freed with refcount %d\n",
		      page_to_pfn(page), old)) {
		/* Double free: keep the page out of the free lists. */
		atomic_set(&page->_refcount, 0);
		return;
	}
	if (old == 1) {
		free_block(page, order);
		alloc_stats_add(-1, -(s64)(PAGE_SIZE << order));
	} else if (!head) {
		s64 bytes = 0;

		while (order-- > 0) {
			free_block(page + (1UL << order), order);
			bytes += PAGE_SIZE << order;
		}
		alloc_stats_add(0, -bytes);
	}
}

/**
 * free_pages() - free pages by direct-map address
 * @addr: from __get_free_pages(); 0 is ignored
 * @order: the order they were allocated with
 */
void free_pages(unsigned long addr, unsigned int order)
{
	if (addr)
		__free_pages(virt_to_page((void *)addr), order);
}

/**
 * free_contig_folios() - free a range from alloc_contig_folios()
 * @page: its first page
 * @nr_pages: its length, as allocated
 *
 * Drops one reference on each folio of the range.
 */
void free_contig_folios(struct page *page, unsigned long nr_pages)
{
	unsigned long i = 0;

	while (i < nr_pages) {
		struct folio *folio = page_folio(page + i);

		VM_BUG_ON_FOLIO(&folio->page != page + i, folio);
		i += folio_nr_pages(folio);
		folio_put(folio);
	}
}

/* ---- boot and statistics -------------------------------------------- */

/**
 * mm_page_alloc_init() - hand all RAM to the allocator
 *
 * Needs the memmap (mm_memmap_init()).  Touches one struct page per free
 * block: eight for the default machine.
 *
 * Return: 0.
 */
int mm_page_alloc_init(void)
{
	unsigned int i, o, z;

	for (z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &zones[z];

		memset(zone, 0, sizeof(*zone));
		spin_lock_init(&zone->lock);
		zone->name = zone_names[z];
		for (o = 0; o < NR_PAGE_ORDERS; o++)
			INIT_LIST_HEAD(&zone->free_area[o].free_list);
	}
	zones[ZONE_DMA32].start_pfn = 0;
	zones[ZONE_DMA32].end_pfn = min(max_pfn, MM_DMA32_END_PFN);
	zones[ZONE_NORMAL].start_pfn = MM_DMA32_END_PFN;
	zones[ZONE_NORMAL].end_pfn = max(max_pfn, MM_DMA32_END_PFN);

	for (i = 0; i < mm_nr_ram_ranges; i++) {
		unsigned long start = mm_ram_ranges[i].start_pfn;
		unsigned long end = mm_ram_ranges[i].end_pfn;

		while (start < end) {
			struct zone *zone = pfn_zone(start);
			unsigned long piece_end = min(end, zone->end_pfn);

			spin_lock(&zone->lock);
			zone->managed_pages += piece_end - start;
			__free_pfn_range(zone, start, piece_end);
			spin_unlock(&zone->lock);
			start = piece_end;
		}
	}
	page_alloc_ready = true;
	return 0;
}

/**
 * mm_page_alloc_exit() - stop the allocator
 *
 * Warns about pages that were never freed.
 */
void mm_page_alloc_exit(void)
{
	struct mm_page_stats st;

	if (!page_alloc_ready)
		return;
	mm_page_stats(&st);
	WARN(st.allocated_pages, "mm: %llu pages leaked at shutdown\n",
	     (unsigned long long)st.allocated_pages);
	page_alloc_ready = false;
	memset(zones, 0, sizeof(zones));
}

/**
 * mm_page_stats() - read the allocator's counters
 * @stats: filled in; see struct mm_page_stats
 *
 * Each zone is read under its lock; across zones the snapshot is not
 * atomic while other threads allocate.  The zones' hot pages are given
 * back to the free lists first (as drain_all_pages() would), so
 * @stats->free_blocks describes the buddy lists exactly.
 */
void mm_page_stats(struct mm_page_stats *stats)
{
	unsigned int z, o;

	memset(stats, 0, sizeof(*stats));
	if (!page_alloc_ready)
		return;
	for (z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &zones[z];

		spin_lock(&zone->lock);
		/* Count blocks as the buddy lists would hold them. */
		__drain_hot_pages(zone);
		stats->managed_pages += zone->managed_pages;
		stats->free_pages += zone->free_pages;
		stats->allocated_pages += zone->allocated_pages;
		if (z == ZONE_DMA32)
			stats->dma32_free_pages = zone->free_pages;
		for (o = 0; o < NR_PAGE_ORDERS; o++)
			stats->free_blocks[o] += zone->free_area[o].nr_free;
		spin_unlock(&zone->lock);
	}
}

/**
 * nr_free_pages() - free pages in all zones
 *
 * Return: the count.
 */
unsigned long nr_free_pages(void)
{
	struct mm_page_stats st;

	mm_page_stats(&st);
	return st.free_pages;
}
