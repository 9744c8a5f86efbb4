// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the memmap, the direct map, folios and the buddy allocator
 * (mm/memmap.c, mm/page_alloc.c) on the default 8 GiB machine, booted
 * once for the suite.
 *
 * Every case gives back everything it allocated, and most check that the
 * allocator's counters and free lists are then exactly as before: the
 * buddy system is canonical, so "everything free" has one shape (eight
 * free 1 GiB blocks on the default machine).
 */
#include <pthread.h>

#include <kunit/test.h>
#include <linux/fault-inject.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/sizes.h>
#include <linux/swiotlb.h>

#include "arch/sim/boot.h"
#include "sim/sim.h"

#define GiB		(1ULL << 30)
#define PFN_4G		(4 * GiB / PAGE_SIZE)
#define PFN_3G		(3 * GiB / PAGE_SIZE)
#define PFN_9G		(9 * GiB / PAGE_SIZE)

/* No bounce pool: "everything free" must mean all of RAM. */
static int mm_suite_init(struct kunit_suite *suite __always_unused)
{
	swiotlb_set_default_size(0);
	return machine_boot(NULL);
}

static void mm_suite_exit(struct kunit_suite *suite __always_unused)
{
	machine_shutdown();
	swiotlb_set_default_size(SWIOTLB_DEFAULT_SIZE);
}

static void expect_stats_eq(struct kunit *test, const struct mm_page_stats *a,
			    const struct mm_page_stats *b)
{
	unsigned int o;

	KUNIT_EXPECT_EQ(test, a->managed_pages, b->managed_pages);
	KUNIT_EXPECT_EQ(test, a->free_pages, b->free_pages);
	KUNIT_EXPECT_EQ(test, a->allocated_pages, b->allocated_pages);
	KUNIT_EXPECT_EQ(test, a->dma32_free_pages, b->dma32_free_pages);
	for (o = 0; o < NR_PAGE_ORDERS; o++)
		KUNIT_EXPECT_EQ_MSG(test, a->free_blocks[o], b->free_blocks[o],
				    "order %u", o);
}

static void mm_boot_state(struct kunit *test)
{
	struct mm_page_stats st;
	unsigned int o;

	mm_page_stats(&st);
	KUNIT_EXPECT_EQ(test, st.managed_pages, 8 * GiB / PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, st.free_pages, st.managed_pages);
	KUNIT_EXPECT_EQ(test, st.allocated_pages, 0ULL);
	KUNIT_EXPECT_EQ(test, st.dma32_free_pages, 3 * GiB / PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, nr_free_pages(), st.free_pages);
	for (o = 0; o < MAX_PAGE_ORDER; o++)
		KUNIT_EXPECT_EQ(test, st.free_blocks[o], 0ULL);
	KUNIT_EXPECT_EQ(test, st.free_blocks[MAX_PAGE_ORDER], 8ULL);
	KUNIT_EXPECT_EQ(test, max_pfn, PFN_9G);
}

static void mm_pfn_roundtrip(struct kunit *test)
{
	static const unsigned long pfns[] = {
		0, 1, 511, 512, PFN_3G - 1, PFN_4G, PFN_4G + 1, PFN_4G + 262143,
		PFN_4G + 262144, PFN_9G - 1,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pfns); i++) {
		unsigned long pfn = pfns[i];
		struct page *page = pfn_to_page(pfn);
		phys_addr_t pa = PFN_PHYS(pfn);

		KUNIT_EXPECT_TRUE_MSG(test, pfn_valid(pfn), "pfn %#lx", pfn);
		KUNIT_EXPECT_EQ(test, page_to_pfn(page), pfn);
		KUNIT_EXPECT_EQ(test, page_to_phys(page), pa);
		KUNIT_EXPECT_PTR_EQ(test, phys_to_page(pa + 123), page);
		KUNIT_EXPECT_PTR_EQ(test, page_address(page),
				    sim_cpu_map(pa, PAGE_SIZE));
		KUNIT_EXPECT_EQ(test, virt_to_phys((u8 *)page_address(page) + 5),
				pa + 5);
		KUNIT_EXPECT_PTR_EQ(test, virt_to_page((u8 *)page_address(page) +
						       PAGE_SIZE - 1), page);
		KUNIT_EXPECT_PTR_EQ(test, phys_to_virt(pa), page_address(page));
	}

	KUNIT_EXPECT_FALSE(test, pfn_valid(PFN_3G));
	KUNIT_EXPECT_FALSE(test, pfn_valid(PFN_3G + 1000));
	KUNIT_EXPECT_FALSE(test, pfn_valid(PFN_4G - 1));
	KUNIT_EXPECT_FALSE(test, pfn_valid(PFN_9G));
	KUNIT_EXPECT_FALSE(test, pfn_valid(~0UL));
}

/* Stores through the kernel's direct map are the machine's RAM. */
static void mm_direct_map_is_ram(struct kunit *test)
{
	struct page *page = alloc_page(GFP_KERNEL);
	u64 magic = 0x0123456789abcdefULL, got = 0;
	phys_addr_t pa;

	KUNIT_ASSERT_NOT_NULL(test, page);
	pa = page_to_phys(page);
	KUNIT_EXPECT_GE(test, pa, 4 * GiB);	/* prefers RAM above 4 GiB */
	memcpy((u8 *)page_address(page) + 40, &magic, sizeof(magic));
	KUNIT_EXPECT_EQ(test, sim_cpu_read(pa + 40, &got, sizeof(got)), 0);
	KUNIT_EXPECT_EQ(test, got, magic);
	magic = ~magic;
	KUNIT_EXPECT_EQ(test, sim_cpu_write(pa + 8, &magic, sizeof(magic)), 0);
	KUNIT_EXPECT_EQ(test, memcmp((u8 *)page_address(page) + 8, &magic,
				     sizeof(magic)), 0);
	__free_page(page);
}

static void mm_buddy_split_merge(struct kunit *test)
{
	struct mm_page_stats before, mid, after;
	struct page *page, *page2;
	unsigned int o;

	mm_page_stats(&before);
	page = alloc_pages(GFP_KERNEL, 0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, page_ref_count(page), 1);
	KUNIT_EXPECT_FALSE(test, PageBuddy(page));

	/* One 1 GiB block was split all the way down. */
	mm_page_stats(&mid);
	KUNIT_EXPECT_EQ(test, mid.free_pages, before.free_pages - 1);
	KUNIT_EXPECT_EQ(test, mid.allocated_pages, 1ULL);
	for (o = 0; o < MAX_PAGE_ORDER; o++)
		KUNIT_EXPECT_EQ_MSG(test, mid.free_blocks[o], 1ULL, "order %u", o);
	KUNIT_EXPECT_EQ(test, mid.free_blocks[MAX_PAGE_ORDER],
			before.free_blocks[MAX_PAGE_ORDER] - 1);

	/* Its buddy is the next page, free with order 0. */
	page2 = pfn_to_page(page_to_pfn(page) ^ 1);
	KUNIT_EXPECT_TRUE(test, PageBuddy(page2));
	KUNIT_EXPECT_EQ(test, page2->private, 0UL);

	/* The next order-0 allocation takes exactly that buddy. */
	KUNIT_EXPECT_PTR_EQ(test, alloc_pages(GFP_KERNEL, 0), page2);
	KUNIT_EXPECT_FALSE(test, PageBuddy(page2));
	__free_pages(page, 0);
	__free_pages(page2, 0);

	mm_page_stats(&after);
	expect_stats_eq(test, &after, &before);
}

/* Many small blocks freed in random order merge back completely. */
static void mm_buddy_random_free(struct kunit *test)
{
	enum { N = 4096 };
	struct mm_page_stats before, after;
	struct page **pages;
	unsigned int *orders;
	struct rnd_state rs;
	unsigned long i, j, total = 0;

	pages = kunit_kcalloc(test, N, sizeof(*pages), GFP_KERNEL);
	orders = kunit_kcalloc(test, N, sizeof(*orders), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	KUNIT_ASSERT_NOT_NULL(test, orders);

	prandom_seed_state(&rs, 1);
	mm_page_stats(&before);
	for (i = 0; i < N; i++) {
		orders[i] = prandom_u32_below_state(&rs, 6);
		pages[i] = alloc_pages(GFP_KERNEL | (i & 1 ? __GFP_DMA32 : 0),
				       orders[i]);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
		KUNIT_ASSERT_EQ(test, page_to_pfn(pages[i]) % (1UL << orders[i]),
				0UL);
		total += 1UL << orders[i];
	}
	mm_page_stats(&after);
	KUNIT_EXPECT_EQ(test, after.allocated_pages, total);
	KUNIT_EXPECT_EQ(test, after.free_pages, before.free_pages - total);

	for (i = N; i > 1; i--) {
		j = prandom_u64_below_state(&rs, i);
		swap(pages[i - 1], pages[j]);
		swap(orders[i - 1], orders[j]);
	}
	for (i = 0; i < N; i++)
		__free_pages(pages[i], orders[i]);

	mm_page_stats(&after);
	expect_stats_eq(test, &after, &before);
}

/* All of RAM as 1 GiB blocks: eight, no ninth, and eight again. */
static void mm_max_order_blocks(struct kunit *test)
{
	struct mm_page_stats before, after;
	struct page *blocks[8];
	unsigned int round, i;

	mm_page_stats(&before);
	for (round = 0; round < 2; round++) {
		for (i = 0; i < 8; i++) {
			blocks[i] = alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER);
			KUNIT_ASSERT_NOT_NULL(test, blocks[i]);
			KUNIT_EXPECT_EQ(test, page_to_phys(blocks[i]) % GiB, 0ULL);
		}
		KUNIT_EXPECT_NULL(test, alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER));
		KUNIT_EXPECT_NULL(test, alloc_pages(GFP_KERNEL, 0));
		KUNIT_EXPECT_EQ(test, nr_free_pages(), 0UL);
		for (i = 0; i < 8; i++)
			__free_pages(blocks[i], MAX_PAGE_ORDER);
		mm_page_stats(&after);
		expect_stats_eq(test, &after, &before);
	}
}

static void mm_folio_fields(struct kunit *test)
{
	struct folio *folio = folio_alloc(GFP_KERNEL, 9);
	unsigned long i;

	KUNIT_ASSERT_NOT_NULL(test, folio);
	KUNIT_EXPECT_TRUE(test, folio_test_large(folio));
	KUNIT_EXPECT_EQ(test, folio_order(folio), 9U);
	KUNIT_EXPECT_EQ(test, folio_nr_pages(folio), 512UL);
	KUNIT_EXPECT_EQ(test, folio_size(folio), (u64)SZ_2M);
	KUNIT_EXPECT_EQ(test, folio_shift(folio), 21U);
	KUNIT_EXPECT_EQ(test, folio_pfn(folio) % 512, 0UL);
	KUNIT_EXPECT_EQ(test, folio_phys(folio), PFN_PHYS(folio_pfn(folio)));
	KUNIT_EXPECT_PTR_EQ(test, folio_address(folio),
			    page_address(&folio->page));
	KUNIT_EXPECT_EQ(test, folio_ref_count(folio), 1);
	KUNIT_EXPECT_TRUE(test, PageHead(&folio->page));
	KUNIT_EXPECT_FALSE(test, PageTail(&folio->page));

	for (i = 0; i < 512; i++) {
		struct page *page = folio_page(folio, i);

		KUNIT_EXPECT_PTR_EQ(test, page_folio(page), folio);
		KUNIT_EXPECT_EQ(test, page_to_pfn(page), folio_pfn(folio) + i);
		KUNIT_EXPECT_EQ(test, PageTail(page), i != 0);
		KUNIT_EXPECT_TRUE(test, PageCompound(page));
		KUNIT_EXPECT_PTR_EQ(test, pfn_folio(folio_pfn(folio) + i), folio);
		if (i)
			KUNIT_EXPECT_EQ(test, page_ref_count(page), 0);
	}
	KUNIT_EXPECT_PTR_EQ(test, virt_to_folio((u8 *)folio_address(folio) +
						SZ_1M), folio);
	KUNIT_EXPECT_PTR_EQ(test, &folio_next(folio)->page, folio_page(folio, 512));

	/* References. */
	folio_get(folio);
	KUNIT_EXPECT_EQ(test, folio_ref_count(folio), 2);
	get_page(folio_page(folio, 100));	/* a tail's ref is the folio's */
	KUNIT_EXPECT_EQ(test, folio_ref_count(folio), 3);
	put_page(folio_page(folio, 100));
	folio_put(folio);
	KUNIT_EXPECT_EQ(test, folio_ref_count(folio), 1);
	KUNIT_EXPECT_TRUE(test, folio_try_get(folio));
	folio_put_refs(folio, 1);

	/* Pins of a large folio: _pincount, plus 1 reference each. */
	KUNIT_EXPECT_FALSE(test, folio_maybe_dma_pinned(folio));
	KUNIT_EXPECT_EQ(test, folio_pincount(folio), 0);
	atomic_add(2, &folio->_pincount);
	folio_ref_add(folio, 2);
	KUNIT_EXPECT_TRUE(test, folio_maybe_dma_pinned(folio));
	KUNIT_EXPECT_TRUE(test, page_maybe_dma_pinned(folio_page(folio, 7)));
	KUNIT_EXPECT_EQ(test, folio_pincount(folio), 2);
	atomic_sub(2, &folio->_pincount);
	folio_ref_sub(folio, 2);
	KUNIT_EXPECT_FALSE(test, folio_maybe_dma_pinned(folio));

	/* Dirty, through the folio or any of its pages. */
	KUNIT_EXPECT_FALSE(test, folio_test_dirty(folio));
	KUNIT_EXPECT_TRUE(test, folio_mark_dirty(folio));
	KUNIT_EXPECT_FALSE(test, folio_mark_dirty(folio));
	KUNIT_EXPECT_TRUE(test, folio_test_dirty(folio));
	KUNIT_EXPECT_TRUE(test, PageDirty(folio_page(folio, 300)));
	folio_clear_dirty(folio);
	KUNIT_EXPECT_FALSE(test, folio_test_dirty(folio));
	KUNIT_EXPECT_TRUE(test, set_page_dirty(folio_page(folio, 511)));
	KUNIT_EXPECT_TRUE(test, folio_test_dirty(folio));

	/* Freed dirty: the flag does not survive into the next user. */
	folio_put(folio);
	folio = folio_alloc(GFP_KERNEL, 9);
	KUNIT_ASSERT_NOT_NULL(test, folio);
	KUNIT_EXPECT_FALSE(test, folio_test_dirty(folio));
	folio_put(folio);
}

static void mm_small_folio(struct kunit *test)
{
	struct folio *folio = folio_alloc(GFP_KERNEL, 0);

	KUNIT_ASSERT_NOT_NULL(test, folio);
	KUNIT_EXPECT_FALSE(test, folio_test_large(folio));
	KUNIT_EXPECT_EQ(test, folio_order(folio), 0U);
	KUNIT_EXPECT_EQ(test, folio_nr_pages(folio), 1UL);
	KUNIT_EXPECT_EQ(test, folio_size(folio), (u64)PAGE_SIZE);
	KUNIT_EXPECT_PTR_EQ(test, page_folio(&folio->page), folio);

	/* Pins of a small folio: GUP_PIN_COUNTING_BIAS references each. */
	KUNIT_EXPECT_FALSE(test, folio_maybe_dma_pinned(folio));
	folio_ref_add(folio, GUP_PIN_COUNTING_BIAS);
	KUNIT_EXPECT_TRUE(test, folio_maybe_dma_pinned(folio));
	KUNIT_EXPECT_EQ(test, folio_pincount(folio), 1);
	folio_ref_sub(folio, GUP_PIN_COUNTING_BIAS);
	KUNIT_EXPECT_FALSE(test, folio_maybe_dma_pinned(folio));
	folio_put(folio);
}

/* Whoever drops the last reference frees; the folio is gone then. */
static void mm_folio_last_put_frees(struct kunit *test)
{
	struct mm_page_stats before, st;
	struct folio *folio;
	struct page *tail;

	mm_page_stats(&before);
	folio = folio_alloc(GFP_KERNEL, 4);
	KUNIT_ASSERT_NOT_NULL(test, folio);
	tail = folio_page(folio, 5);
	folio_get(folio);
	folio_put(folio);
	mm_page_stats(&st);
	KUNIT_EXPECT_EQ(test, st.allocated_pages, 16ULL);
	put_page(tail);			/* the last reference */
	mm_page_stats(&st);
	expect_stats_eq(test, &st, &before);
	/* Its tails are plain pages again, not pointing at a head. */
	KUNIT_EXPECT_FALSE(test, PageTail(tail));
	KUNIT_EXPECT_FALSE(test, PageHead(&folio->page));
}

static void mm_gfp_zero(struct kunit *test)
{
	struct page *page, *again;
	unsigned long pfn;
	u8 *va;

	page = alloc_pages(GFP_KERNEL, 4);
	KUNIT_ASSERT_NOT_NULL(test, page);
	pfn = page_to_pfn(page);
	memset(page_address(page), 0xa5, 16 * PAGE_SIZE);
	__free_pages(page, 4);

	/* The same block comes back (LIFO), now zeroed. */
	again = alloc_pages(GFP_KERNEL | __GFP_ZERO, 4);
	KUNIT_ASSERT_NOT_NULL(test, again);
	KUNIT_EXPECT_EQ(test, page_to_pfn(again), pfn);
	va = page_address(again);
	KUNIT_EXPECT_TRUE(test, mem_is_zero(va, 16 * PAGE_SIZE));
	__free_pages(again, 4);

	va = (u8 *)get_zeroed_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, va);
	KUNIT_EXPECT_TRUE(test, mem_is_zero(va, PAGE_SIZE));
	free_page((unsigned long)va);
}

static void mm_gfp_dma32(struct kunit *test)
{
	struct mm_page_stats before, after;
	struct page *high[5], *low[3], *page;
	unsigned int i;

	mm_page_stats(&before);
	page = alloc_pages(GFP_DMA32, 0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_LT(test, page_to_phys(page), 4 * GiB);
	__free_page(page);

	/* Plain allocations take the 5 GiB above 4 GiB first ... */
	for (i = 0; i < 5; i++) {
		high[i] = alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER);
		KUNIT_ASSERT_NOT_NULL(test, high[i]);
		KUNIT_EXPECT_GE(test, page_to_phys(high[i]), 4 * GiB);
	}
	/* ... then fall back to low RAM; DMA32 gets the rest of it. */
	low[0] = alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER);
	low[1] = alloc_pages(GFP_DMA32, MAX_PAGE_ORDER);
	low[2] = alloc_pages(GFP_DMA32, MAX_PAGE_ORDER);
	for (i = 0; i < 3; i++) {
		KUNIT_ASSERT_NOT_NULL(test, low[i]);
		KUNIT_EXPECT_LT(test, page_to_phys(low[i]), 4 * GiB);
	}
	KUNIT_EXPECT_NULL(test, alloc_pages(GFP_DMA32, 0));
	__free_pages(high[0], MAX_PAGE_ORDER);
	/* Free high RAM does not help a DMA32 allocation. */
	KUNIT_EXPECT_NULL(test, alloc_pages(GFP_DMA32, 0));
	__free_pages(low[2], MAX_PAGE_ORDER);
	page = alloc_pages(GFP_DMA32 | __GFP_COMP, 3);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_LT(test, page_to_phys(page), 4 * GiB);
	folio_put(page_folio(page));

	for (i = 1; i < 5; i++)
		__free_pages(high[i], MAX_PAGE_ORDER);
	__free_pages(low[0], MAX_PAGE_ORDER);
	__free_pages(low[1], MAX_PAGE_ORDER);
	mm_page_stats(&after);
	expect_stats_eq(test, &after, &before);
}

static void mm_fault_injection(struct kunit *test)
{
	struct mm_page_stats before, after;
	struct alloc_stats as0, as1;
	struct page *page;

	mm_page_stats(&before);
	alloc_stats_get(&as0);

	fail_nth_set(1);
	KUNIT_EXPECT_NULL(test, alloc_pages(GFP_KERNEL, 0));
	KUNIT_EXPECT_TRUE(test, fail_nth_triggered());
	fail_nth_set(1);
	KUNIT_EXPECT_NULL(test, folio_alloc(GFP_KERNEL, 9));
	fail_nth_set(1);
	KUNIT_EXPECT_NULL(test, alloc_contig_folios(GFP_KERNEL, 1000));
	fail_nth_set(1);
	KUNIT_EXPECT_EQ(test, get_zeroed_page(GFP_KERNEL), 0UL);

	mm_page_stats(&after);
	expect_stats_eq(test, &after, &before);
	alloc_stats_get(&as1);
	KUNIT_EXPECT_EQ(test, as1.live_allocs, as0.live_allocs);
	KUNIT_EXPECT_EQ(test, as1.total_allocs, as0.total_allocs);

	/* One tick per call: the second allocation fails, not the first. */
	fail_nth_set(2);
	page = alloc_pages(GFP_KERNEL, 0);
	KUNIT_EXPECT_NOT_NULL(test, page);
	KUNIT_EXPECT_FALSE(test, fail_nth_triggered());
	KUNIT_EXPECT_NULL(test, alloc_pages(GFP_KERNEL, 0));
	KUNIT_EXPECT_TRUE(test, fail_nth_triggered());
	alloc_stats_get(&as1);
	KUNIT_EXPECT_EQ(test, as1.live_allocs, as0.live_allocs + 1);
	KUNIT_EXPECT_EQ(test, as1.live_bytes, as0.live_bytes + PAGE_SIZE);
	if (page)
		__free_page(page);
	alloc_stats_get(&as1);
	KUNIT_EXPECT_EQ(test, as1.live_allocs, as0.live_allocs);
	KUNIT_EXPECT_EQ(test, as1.live_bytes, as0.live_bytes);
}

static void mm_bad_order(struct kunit *test)
{
	struct mm_page_stats before, after;

	mm_page_stats(&before);
	KUNIT_EXPECT_NULL(test, alloc_pages(GFP_KERNEL | __GFP_NOWARN,
					    MAX_PAGE_ORDER + 1));
	KUNIT_EXPECT_NULL(test, folio_alloc(GFP_KERNEL | __GFP_NOWARN, 40));
	mm_page_stats(&after);
	expect_stats_eq(test, &after, &before);
}

/* A double free is caught and ignored, not merged into the free lists. */
static void mm_double_free_warns(struct kunit *test)
{
	struct mm_page_stats before, after;
	struct page *page;

	mm_page_stats(&before);
	page = alloc_pages(GFP_KERNEL, 2);
	KUNIT_ASSERT_NOT_NULL(test, page);
	__free_pages(page, 2);
	KUNIT_EXPECT_WARN(test, __free_pages(page, 2));
	KUNIT_EXPECT_EQ(test, page_ref_count(page), 0);
	mm_page_stats(&after);
	expect_stats_eq(test, &after, &before);
}

static void mm_split_page_test(struct kunit *test)
{
	struct mm_page_stats before, after;
	struct alloc_stats as0, as1;
	struct page *page;
	unsigned int i;

	mm_page_stats(&before);
	alloc_stats_get(&as0);
	page = alloc_pages(GFP_KERNEL, 3);
	KUNIT_ASSERT_NOT_NULL(test, page);
	split_page(page, 3);
	alloc_stats_get(&as1);
	KUNIT_EXPECT_EQ(test, as1.live_allocs, as0.live_allocs + 8);
	for (i = 0; i < 8; i++)
		KUNIT_EXPECT_EQ(test, page_ref_count(page + i), 1);
	/* Free every other page, then the rest: all merge back. */
	for (i = 0; i < 8; i += 2)
		__free_page(page + i);
	mm_page_stats(&after);
	KUNIT_EXPECT_EQ(test, after.allocated_pages, 4ULL);
	for (i = 1; i < 8; i += 2)
		__free_page(page + i);
	mm_page_stats(&after);
	expect_stats_eq(test, &after, &before);
}

/* __free_pages() of a non-compound block someone else still references. */
static void mm_free_pages_extra_ref(struct kunit *test)
{
	struct mm_page_stats before, st;
	struct page *page;

	mm_page_stats(&before);
	page = alloc_pages(GFP_KERNEL, 3);
	KUNIT_ASSERT_NOT_NULL(test, page);
	get_page(page);
	__free_pages(page, 3);
	mm_page_stats(&st);
	KUNIT_EXPECT_EQ(test, st.allocated_pages, 1ULL);
	KUNIT_EXPECT_EQ(test, page_ref_count(page), 1);
	put_page(page);
	mm_page_stats(&st);
	expect_stats_eq(test, &st, &before);
}

static void check_contig(struct kunit *test, struct page *page,
			 unsigned long nr)
{
	unsigned long i = 0;

	while (i < nr) {
		struct folio *folio = page_folio(page + i);

		KUNIT_ASSERT_PTR_EQ(test, &folio->page, page + i);
		KUNIT_EXPECT_EQ(test, folio_ref_count(folio), 1);
		KUNIT_EXPECT_EQ(test, folio_pfn(folio) % folio_nr_pages(folio),
				0UL);
		i += folio_nr_pages(folio);
	}
	KUNIT_EXPECT_EQ(test, i, nr);
}

static void mm_contig_folios(struct kunit *test)
{
	static const unsigned long sizes[] = {
		1, 3, 768, 4096 + 7, MAX_ORDER_NR_PAGES,
		MAX_ORDER_NR_PAGES + MAX_ORDER_NR_PAGES / 2,
		4 * MAX_ORDER_NR_PAGES,
	};
	struct mm_page_stats before, st;
	struct alloc_stats as0, as1;
	unsigned int i;

	mm_page_stats(&before);
	alloc_stats_get(&as0);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		unsigned long nr = sizes[i];
		struct page *page = alloc_contig_folios(GFP_KERNEL, nr);

		KUNIT_ASSERT_NOT_NULL_MSG(test, page, "%lu pages", nr);
		check_contig(test, page, nr);
		mm_page_stats(&st);
		KUNIT_EXPECT_EQ(test, st.allocated_pages, (u64)nr);
		free_contig_folios(page, nr);
		mm_page_stats(&st);
		expect_stats_eq(test, &st, &before);
	}
	/* 768 pages: a 2 MiB folio then a 1 MiB one. */
	{
		struct page *page = alloc_contig_folios(GFP_DMA32, 768);

		KUNIT_ASSERT_NOT_NULL(test, page);
		KUNIT_EXPECT_LT(test, page_to_phys(page), 4 * GiB);
		KUNIT_EXPECT_EQ(test, folio_order(page_folio(page)), 9U);
		KUNIT_EXPECT_EQ(test, folio_order(page_folio(page + 512)), 8U);
		free_contig_folios(page, 768);
	}
	/* More than the largest run of adjacent free 1 GiB blocks. */
	KUNIT_EXPECT_NULL(test, alloc_contig_folios(GFP_KERNEL,
						    6 * MAX_ORDER_NR_PAGES));
	/* Counts whose round-up to 1 GiB blocks would wrap around. */
	KUNIT_EXPECT_NULL(test, alloc_contig_folios(GFP_KERNEL, ULONG_MAX));
	KUNIT_EXPECT_NULL(test, alloc_contig_folios(GFP_KERNEL, ULONG_MAX -
						    MAX_ORDER_NR_PAGES + 2));
	mm_page_stats(&st);
	expect_stats_eq(test, &st, &before);
	alloc_stats_get(&as1);
	KUNIT_EXPECT_EQ(test, as1.live_allocs, as0.live_allocs);
	KUNIT_EXPECT_EQ(test, as1.live_bytes, as0.live_bytes);
}

struct mm_thread {
	pthread_t tid;
	unsigned int id;
	unsigned long allocs;
	unsigned long errors;
};

/* Allocate and free at random; tag each block and check the tag. */
static void *mm_thread_fn(void *arg)
{
	enum { LIVE = 64, ITERS = 20000 };
	struct mm_thread *t = arg;
	struct page *live[LIVE] = { NULL };
	unsigned int order[LIVE] = { 0 };
	struct rnd_state rs;
	unsigned int i, slot;

	prandom_seed_state(&rs, 1000 + t->id);
	for (i = 0; i < ITERS; i++) {
		slot = prandom_u32_below_state(&rs, LIVE);
		if (live[slot]) {
			u64 *tag = page_address(live[slot]);

			if (tag[0] != ((u64)t->id << 32 | slot))
				t->errors++;
			__free_pages(live[slot], order[slot]);
			live[slot] = NULL;
			continue;
		}
		order[slot] = prandom_u32_below_state(&rs, 5);
		live[slot] = alloc_pages(GFP_KERNEL |
					 (i & 1 ? __GFP_DMA32 : 0), order[slot]);
		if (!live[slot]) {
			t->errors++;
			continue;
		}
		*(u64 *)page_address(live[slot]) = (u64)t->id << 32 | slot;
		t->allocs++;
	}
	for (slot = 0; slot < LIVE; slot++)
		if (live[slot])
			__free_pages(live[slot], order[slot]);
	return NULL;
}

static void mm_concurrent(struct kunit *test)
{
	struct mm_page_stats before, after;
	struct mm_thread t[4];
	unsigned int i;

	mm_page_stats(&before);
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		t[i] = (struct mm_thread){ .id = i };
		KUNIT_ASSERT_EQ(test, pthread_create(&t[i].tid, NULL,
						     mm_thread_fn, &t[i]), 0);
	}
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		pthread_join(t[i].tid, NULL);
		KUNIT_EXPECT_EQ(test, t[i].errors, 0UL);
		KUNIT_EXPECT_GT(test, t[i].allocs, 1000UL);
	}
	mm_page_stats(&after);
	expect_stats_eq(test, &after, &before);
}

static struct kunit_case mm_page_alloc_cases[] = {
	KUNIT_CASE(mm_boot_state),
	KUNIT_CASE(mm_pfn_roundtrip),
	KUNIT_CASE(mm_direct_map_is_ram),
	KUNIT_CASE(mm_buddy_split_merge),
	KUNIT_CASE(mm_buddy_random_free),
	KUNIT_CASE(mm_max_order_blocks),
	KUNIT_CASE(mm_folio_fields),
	KUNIT_CASE(mm_small_folio),
	KUNIT_CASE(mm_folio_last_put_frees),
	KUNIT_CASE(mm_gfp_zero),
	KUNIT_CASE(mm_gfp_dma32),
	KUNIT_CASE(mm_fault_injection),
	KUNIT_CASE(mm_bad_order),
	KUNIT_CASE(mm_double_free_warns),
	KUNIT_CASE(mm_split_page_test),
	KUNIT_CASE(mm_free_pages_extra_ref),
	KUNIT_CASE(mm_contig_folios),
	KUNIT_CASE(mm_concurrent),
	{}
};

static struct kunit_suite mm_page_alloc_suite = {
	.name = "mm_page_alloc",
	.suite_init = mm_suite_init,
	.suite_exit = mm_suite_exit,
	.test_cases = mm_page_alloc_cases,
};
kunit_test_suite(mm_page_alloc_suite);
