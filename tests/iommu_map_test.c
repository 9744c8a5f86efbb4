// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of IOMMU mapping (drivers/iommu/iommu.c, io-pgtable-sim.c): which leaf
 * sizes a map picks, counted per level; table pages freed when empty;
 * the error cases; whole range lists and views at one IOVA; one
 * invalidation per call; allocation-failure injection; concurrent maps,
 * at fixed IOVA and at IOVA from the domain's allocator.
 *
 * The domains here are not attached to any device, so nothing is sent to
 * the hardware (iommu_hw_test.c and iommu_dma_test.c cover that); mapped
 * physical addresses need not be allocated memory, since nothing reads
 * through them.  The exception is iommu_map_iova_threads, whose domain is
 * attached to gpu1 so that its DMA really goes through the mappings.  The
 * default machine is booted once for the suite.
 */
#include <pthread.h>

#include <kunit/fail_nth.h>
#include <kunit/test.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/mm_layout.h>
#include <linux/pci.h>
#include <linux/physr.h>
#include <linux/random.h>
#include <linux/sizes.h>

#include "arch/sim/boot.h"
#include "sim/dma.h"
#include "tests/pci_boards.h"
#include "tests/iommu_test.h"

#define GiB		(1ULL << 30)
#define RW		(IOMMU_READ | IOMMU_WRITE)
#define IOVA_LAST	((1ULL << 48) - 1)

static int iommu_map_suite_init(struct kunit_suite *suite __always_unused)
{
	return machine_boot(NULL);
}

static void iommu_map_suite_exit(struct kunit_suite *suite __always_unused)
{
	machine_shutdown();
}

static void domain_free_action(void *d)
{
	iommu_domain_free(d);
}

/* An unattached UNMANAGED domain, freed when the case ends. */
static struct iommu_domain *test_domain(struct kunit *test)
{
	struct iommu_domain *d = iommu_domain_alloc();

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, d);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
				domain_free_action, d), 0);
	return d;
}

#define EXPECT_LEAVES(test, d, l1, l2, l3) do {				\
	struct iommu_domain_stats __st = dstats(d);			\
									\
	KUNIT_EXPECT_EQ(test, __st.leaves[1], (u64)(l1));		\
	KUNIT_EXPECT_EQ(test, __st.leaves[2], (u64)(l2));		\
	KUNIT_EXPECT_EQ(test, __st.leaves[3], (u64)(l3));		\
} while (0)

/* Nothing mapped, only the root table left. */
static void expect_empty(struct kunit *test, struct iommu_domain *d)
{
	struct iommu_domain_stats st = dstats(d);

	EXPECT_LEAVES(test, d, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, st.mapped_bytes, 0ULL);
	KUNIT_EXPECT_EQ(test, st.table_pages, 1ULL);
}

static void iommu_map_1g_leaf(struct kunit *test)
{
	struct iommu_domain *d = test_domain(test);
	u64 pages = allocated_pages();
	struct iommu_domain_stats st;

	KUNIT_ASSERT_EQ(test, iommu_map(d, 3 * GiB, 5 * GiB, GiB, RW,
					GFP_KERNEL), 0);
	EXPECT_LEAVES(test, d, 0, 0, 1);
	st = dstats(d);
	KUNIT_EXPECT_EQ(test, st.table_pages, 2ULL);	/* root + level 3 */
	KUNIT_EXPECT_EQ(test, st.pte_writes, 2ULL);	/* pointer + leaf */
	KUNIT_EXPECT_EQ(test, st.mapped_bytes, GiB);
	KUNIT_EXPECT_EQ(test, allocated_pages(), pages + 1);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(d, 3 * GiB + 12345),
			5 * GiB + 12345);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(d, 4 * GiB), 0ULL);

	KUNIT_EXPECT_EQ(test, iommu_unmap(d, 3 * GiB, GiB), 0);
	expect_empty(test, d);
	KUNIT_EXPECT_EQ(test, dstats(d).pte_writes, 4ULL);
	KUNIT_EXPECT_EQ(test, allocated_pages(), pages);
}

static void iommu_map_2m_leaves(struct kunit *test)
{
	struct iommu_domain *d = test_domain(test);

	KUNIT_ASSERT_EQ(test, iommu_map(d, 6 * SZ_2M, 40 * SZ_2M, 3 * SZ_2M,
					IOMMU_READ, GFP_KERNEL), 0);
	EXPECT_LEAVES(test, d, 0, 3, 0);
	KUNIT_EXPECT_EQ(test, dstats(d).table_pages, 3ULL);
	KUNIT_EXPECT_EQ(test, dstats(d).pte_writes, 5ULL);
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, 6 * SZ_2M, 3 * SZ_2M), 0);
	expect_empty(test, d);
}

/*
 * IOVA and physical address congruent modulo 1 GiB: 4 KiB leaves up to
 * the first 2 MiB boundary, 2 MiB up to the 1 GiB boundary, a 1 GiB leaf,
 * then smaller again at the end.
 */
static void iommu_map_mixed_sizes(struct kunit *test)
{
	struct iommu_domain *d = test_domain(test);
	dma_addr_t iova = GiB - 2 * SZ_2M - 2 * SZ_4K;
	u64 size = 2 * SZ_4K + 2 * SZ_2M + GiB + SZ_2M + SZ_4K;

	KUNIT_ASSERT_EQ(test, iommu_map(d, iova, iova + 4 * GiB, size, RW,
					GFP_KERNEL), 0);
	EXPECT_LEAVES(test, d, 3, 3, 1);
	KUNIT_EXPECT_EQ(test, dstats(d).mapped_bytes, size);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(d, iova + size - 1),
			iova + 4 * GiB + size - 1);
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, iova, size), 0);
	expect_empty(test, d);
}

/* Alignment that does not agree between IOVA and PA caps the leaf size. */
static void iommu_map_misaligned_phys(struct kunit *test)
{
	struct iommu_domain *d = test_domain(test);

	/* 2 MiB-aligned IOVA, PA off by 4 KiB: 4 KiB leaves only. */
	KUNIT_ASSERT_EQ(test, iommu_map(d, SZ_1G, 8 * GiB + SZ_4K, SZ_4M, RW,
					GFP_KERNEL), 0);
	EXPECT_LEAVES(test, d, 1024, 0, 0);
	/* 1 GiB-aligned IOVA, PA only 2 MiB-aligned: 2 MiB leaves. */
	KUNIT_ASSERT_EQ(test, iommu_map(d, 4 * GiB, 6 * GiB + SZ_2M, GiB, RW,
					GFP_KERNEL), 0);
	EXPECT_LEAVES(test, d, 1024, 512, 0);
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, SZ_1G, SZ_4M), 0);
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, 4 * GiB, GiB), 0);
	expect_empty(test, d);
}

/* One range, [@paddr, @paddr + @len), as a list; destroyed by the caller. */
static void one_range(struct kunit *test, struct physr_list *list,
		      phys_addr_t paddr, u64 len)
{
	KUNIT_ASSERT_EQ(test, physr_list_append(list, paddr, len, GFP_KERNEL),
			0);
}

/*
 * A driver may narrow a domain's pgsize_bitmap after allocation: a size
 * it lacks is then never a leaf, whether a list is mapped
 * (iommu_map_physr(), the format's own choice) or a range
 * (iommu_map(), the core's iommu_pgsize()), and both agree.
 */
static void iommu_map_narrow_pgsizes(struct kunit *test)
{
	struct iommu_domain *d = test_domain(test);
	struct physr_list list = PHYSR_LIST_INIT;
	u64 i;

	/* Without 1 GiB: an aligned GiB is 512 leaves of 2 MiB. */
	d->pgsize_bitmap = SZ_4K | SZ_2M;
	one_range(test, &list, 5 * GiB, GiB);
	KUNIT_ASSERT_EQ(test, iommu_map_physr(d, 3 * GiB, &list, RW,
					      GFP_KERNEL), 0);
	EXPECT_LEAVES(test, d, 0, 512, 0);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(d, 4 * GiB - 1), 6 * GiB - 1);
	KUNIT_EXPECT_EQ(test, iommu_unmap_physr(d, 3 * GiB, &list), 0);
	expect_empty(test, d);
	KUNIT_ASSERT_EQ(test, iommu_map(d, 3 * GiB, 5 * GiB, GiB, RW,
					GFP_KERNEL), 0);
	EXPECT_LEAVES(test, d, 0, 512, 0);
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, 3 * GiB, GiB), 0);
	expect_empty(test, d);
	physr_list_destroy(&list);

	/*
	 * Without 2 MiB: 2 MiB folios (one leaf each, the bulk path) are
	 * 4 KiB leaves, and a range reaching past a 1 GiB boundary takes
	 * 4 KiB leaves up to it, then a 1 GiB leaf.
	 */
	d->pgsize_bitmap = SZ_4K | SZ_1G;
	for (i = 0; i < 3; i++)
		one_range(test, &list, 5 * GiB + (2 * i + 1) * SZ_2M, SZ_2M);
	KUNIT_ASSERT_EQ(test, iommu_map_physr(d, GiB, &list, RW, GFP_KERNEL),
			0);
	EXPECT_LEAVES(test, d, 3 * 512, 0, 0);
	KUNIT_EXPECT_EQ(test, iommu_unmap_physr(d, GiB, &list), 0);
	physr_list_destroy(&list);
	one_range(test, &list, 6 * GiB - 3 * SZ_2M, GiB + 3 * SZ_2M);
	KUNIT_ASSERT_EQ(test, iommu_map_physr(d, 2 * GiB - 3 * SZ_2M, &list,
					      RW, GFP_KERNEL), 0);
	EXPECT_LEAVES(test, d, 3 * 512, 0, 1);
	KUNIT_EXPECT_EQ(test, iommu_unmap_physr(d, 2 * GiB - 3 * SZ_2M, &list),
			0);
	KUNIT_ASSERT_EQ(test, iommu_map(d, 2 * GiB - 3 * SZ_2M,
					6 * GiB - 3 * SZ_2M, GiB + 3 * SZ_2M,
					RW, GFP_KERNEL), 0);
	EXPECT_LEAVES(test, d, 3 * 512, 0, 1);
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, 2 * GiB - 3 * SZ_2M,
					  GiB + 3 * SZ_2M), 0);
	expect_empty(test, d);

	/* Without 4 KiB, ranges meeting at page boundaries cannot be mapped. */
	d->pgsize_bitmap = SZ_2M | SZ_1G;
	KUNIT_EXPECT_EQ(test, iommu_map_physr(d, 2 * GiB - 3 * SZ_2M, &list,
					      RW, GFP_KERNEL), -EINVAL);
	expect_empty(test, d);
	physr_list_destroy(&list);
}

/* A range list of each buffer layout, mapped in one call. */
struct layout_case {
	enum mm_layout layout;
	u64 size;
	u64 l1, l2, l3;
	const char *desc;
};

static const struct layout_case layout_cases[] = {
	{ MM_LAYOUT_CONTIG, GiB, 0, 0, 1, "contig-1g" },
	{ MM_LAYOUT_FOLIO_2M, 64 * SZ_2M, 0, 64, 0, "2m" },
	{ MM_LAYOUT_PAGE_4K, SZ_4M, 1024, 0, 0, "4k" },
};

KUNIT_ARRAY_PARAM_DESC(layout_cases, layout_cases, desc);

static void iommu_map_physr_layouts(struct kunit *test)
{
	const struct layout_case *lc = test->param_value;
	struct iommu_domain *d = test_domain(test);
	struct physr_list list = PHYSR_LIST_INIT;
	struct mm_buffer *buf;
	struct physr_iter it;
	struct physr r;
	dma_addr_t iova, pos;
	u64 flushes;

	buf = mm_buffer_alloc(lc->size, lc->layout, 7, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, physr_list_from_pages(&list, buf->pages,
						    buf->nr_pages, 0,
						    lc->size, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iommu_physr_iova_len(&list), lc->size);
	KUNIT_ASSERT_EQ(test, iova_alloc(&d->iovad, lc->size, U64_MAX, &iova),
			0);
	flushes = dstats(d).iotlb_flushes;
	KUNIT_ASSERT_EQ(test, iommu_map_physr(d, iova, &list, RW, GFP_KERNEL),
			0);
	KUNIT_EXPECT_EQ(test, dstats(d).iotlb_flushes, flushes + 1);
	EXPECT_LEAVES(test, d, lc->l1, lc->l2, lc->l3);

	/* Every range is where the list says, back to back. */
	pos = iova;
	physr_for_each(&list, &it, &r) {
		KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(d, pos), r.addr);
		KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(d, pos + r.len - 1),
				r.addr + r.len - 1);
		pos += r.len;
	}
	KUNIT_EXPECT_EQ(test, iommu_unmap_physr(d, iova, &list), 0);
	KUNIT_EXPECT_EQ(test, dstats(d).iotlb_flushes, flushes + 2);
	expect_empty(test, d);
	KUNIT_EXPECT_EQ(test, iova_free(&d->iovad, iova, lc->size), 0);
	physr_list_destroy(&list);
	mm_buffer_free(buf);
}

/* Every range of @list is where it should be, back to back from @iova. */
static void expect_list_at(struct kunit *test, struct iommu_domain *d,
			   dma_addr_t iova, const struct physr_list *list)
{
	struct physr_iter it;
	struct physr r;
	u64 bad = 0;

	physr_for_each(list, &it, &r) {
		if (iommu_iova_to_phys(d, iova) != r.addr ||
		    iommu_iova_to_phys(d, iova + r.len - 1) !=
		    r.addr + r.len - 1)
			bad++;
		iova += r.len;
	}
	KUNIT_EXPECT_EQ(test, bad, 0ULL);
}

/*
 * Lists of pages and folios are written in bulk, straight from the list
 * into the page table: across list chunks, table and 1 GiB boundaries,
 * into tables partly in use, and around ranges that are not one leaf.
 */
static void iommu_map_physr_bulk(struct kunit *test)
{
	struct iommu_domain *d = test_domain(test);
	struct physr_list list = PHYSR_LIST_INIT;
	/* Starts inside a table, ends past a 1 GiB boundary. */
	dma_addr_t iova = 2 * GiB - 700 * SZ_4K;
	struct iommu_domain_stats before;
	u64 i, pages = allocated_pages();

	/* 1500 scattered pages, a 2 MiB folio, 300 more pages, a 4 MiB run. */
	for (i = 0; i < 1500; i++)
		KUNIT_ASSERT_EQ(test, physr_list_append(&list,
				8 * GiB - (i + 1) * SZ_8K, SZ_4K,
							GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 5 * GiB, SZ_2M,
						GFP_KERNEL), 0);
	for (i = 0; i < 300; i++)
		KUNIT_ASSERT_EQ(test, physr_list_append(&list,
				6 * GiB + (i + 1) * SZ_8K, SZ_4K,
							GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 5 * GiB + SZ_4M,
						SZ_4M, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iommu_map_physr(d, iova, &list, RW, GFP_KERNEL),
			0);
	/* The folio and the run sit at IOVA only 4 KiB aligned. */
	EXPECT_LEAVES(test, d, 1500 + 512 + 300 + 1024, 0, 0);
	expect_list_at(test, d, iova, &list);
	KUNIT_EXPECT_EQ(test, iommu_unmap_physr(d, iova, &list), 0);
	expect_empty(test, d);
	physr_list_destroy(&list);

	/*
	 * A table partly in use: the free slots before a taken one are
	 * filled, the taken one is found, and everything is undone.
	 */
	for (i = 0; i < 600; i++)
		KUNIT_ASSERT_EQ(test, physr_list_append(&list,
				4 * GiB + (i + 1) * SZ_8K, SZ_4K,
							GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iommu_map(d, GiB + 1000 * SZ_4K, 9 * GiB, SZ_4K,
					RW, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iommu_map(d, GiB + 500 * SZ_4K, 9 * GiB, SZ_4K,
					RW, GFP_KERNEL), 0);
	before = dstats(d);
	KUNIT_EXPECT_EQ(test, iommu_map_physr(d, GiB, &list, RW, GFP_KERNEL),
			-EEXIST);
	EXPECT_LEAVES(test, d, 2, 0, 0);
	KUNIT_EXPECT_EQ(test, dstats(d).table_pages, before.table_pages);
	KUNIT_EXPECT_EQ(test, dstats(d).iotlb_flushes,
			before.iotlb_flushes + 1);
	/* Without the one in the way it fits around the other. */
	KUNIT_ASSERT_EQ(test, iommu_unmap(d, GiB + 500 * SZ_4K, SZ_4K), 0);
	KUNIT_ASSERT_EQ(test, iommu_map_physr(d, GiB, &list, RW, GFP_KERNEL),
			0);
	EXPECT_LEAVES(test, d, 601, 0, 0);
	expect_list_at(test, d, GiB, &list);
	KUNIT_EXPECT_EQ(test, iommu_unmap_physr(d, GiB, &list), 0);
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, GiB + 1000 * SZ_4K, SZ_4K), 0);
	expect_empty(test, d);
	physr_list_destroy(&list);
	KUNIT_EXPECT_EQ(test, allocated_pages(), pages);
}

/*
 * Unmapping whole tables: one pointer store each, the leaves left in the
 * unlinked pages; a hole anywhere below is still found first.
 */
static void iommu_unmap_whole_tables(struct kunit *test)
{
	struct iommu_domain *d = test_domain(test);
	struct iommu_domain_stats before;
	u64 pages = allocated_pages();

	/* 4 MiB at 2 MiB-aligned IOVA, PA off by 4 KiB: two full tables. */
	KUNIT_ASSERT_EQ(test, iommu_map(d, GiB, 8 * GiB + SZ_4K, SZ_4M, RW,
					GFP_KERNEL), 0);
	EXPECT_LEAVES(test, d, 1024, 0, 0);
	KUNIT_ASSERT_EQ(test, iommu_unmap(d, GiB + SZ_2M + 77 * SZ_4K, SZ_4K),
			0);
	before = dstats(d);
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, GiB, SZ_4M), -ENOENT);
	KUNIT_EXPECT_EQ(test, dstats(d).pte_writes, before.pte_writes);
	KUNIT_EXPECT_EQ(test, dstats(d).iotlb_flushes, before.iotlb_flushes);
	KUNIT_ASSERT_EQ(test, iommu_map(d, GiB + SZ_2M + 77 * SZ_4K,
					8 * GiB + SZ_2M + 78 * SZ_4K, SZ_4K,
					RW, GFP_KERNEL), 0);

	/* Two level-2 pointers, then the level-3 and root pointers. */
	before = dstats(d);
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, GiB, SZ_4M), 0);
	KUNIT_EXPECT_EQ(test, dstats(d).pte_writes - before.pte_writes, 4ULL);
	expect_empty(test, d);
	KUNIT_EXPECT_EQ(test, allocated_pages(), pages);
}

/*
 * Map a range of @first_len bytes followed by one that starts inside a
 * page: -EINVAL, nothing left mapped, and the domain's flush count is
 * @flushes afterwards.
 */
static void expect_bad_second_start(struct kunit *test, struct iommu_domain *d,
				    u64 first_len, u64 flushes)
{
	struct physr_list list = PHYSR_LIST_INIT;

	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 8 * GiB, first_len,
						GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 16 * GiB + 512, SZ_4K,
						GFP_KERNEL),
			0);
	KUNIT_EXPECT_EQ(test, iommu_map_physr(d, SZ_1G, &list, RW,
					      GFP_KERNEL), -EINVAL);
	expect_empty(test, d);
	KUNIT_EXPECT_EQ(test, dstats(d).iotlb_flushes, flushes);
	physr_list_destroy(&list);
}

/* Ends of a list may be inside a page; boundaries inside may not. */
static void iommu_map_physr_alignment(struct kunit *test)
{
	struct iommu_domain *d = test_domain(test);
	struct physr_list list = PHYSR_LIST_INIT;
	u64 flushes, pages = allocated_pages();

	/* [8G + 100, 8G + 8K) [16G, 16G + 4K + 1): 4 pages of IOVA. */
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 8 * GiB + 100,
						SZ_8K - 100, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 16 * GiB, SZ_4K + 1,
						GFP_KERNEL),
			0);
	KUNIT_EXPECT_EQ(test, iommu_physr_iova_len(&list), 4ULL * SZ_4K);
	KUNIT_ASSERT_EQ(test, iommu_map_physr(d, SZ_1M, &list, RW,
					      GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(d, SZ_1M + 100),
			8 * GiB + 100);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(d, SZ_1M + SZ_8K),
			16 * GiB);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(d, SZ_1M + 3 * SZ_4K + 5),
			16 * GiB + SZ_4K + 5);
	EXPECT_LEAVES(test, d, 4, 0, 0);
	KUNIT_EXPECT_EQ(test, iommu_map_physr(d, SZ_1M + 1, &list, RW,
					      GFP_KERNEL), -EINVAL);
	KUNIT_EXPECT_EQ(test, iommu_unmap_physr(d, SZ_1M, &list), 0);
	physr_list_destroy(&list);

	/*
	 * An inner boundary inside a page: the first range was mapped
	 * before the second showed the problem, and is taken out again.
	 */
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 8 * GiB, SZ_2M,
						GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 16 * GiB, SZ_4K + 512,
						GFP_KERNEL),
			0);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 20 * GiB, SZ_4K,
						GFP_KERNEL), 0);
	flushes = dstats(d).iotlb_flushes;
	KUNIT_EXPECT_EQ(test, iommu_map_physr(d, SZ_1G, &list, RW,
					      GFP_KERNEL), -EINVAL);
	expect_empty(test, d);
	KUNIT_EXPECT_EQ(test, dstats(d).iotlb_flushes, flushes + 1);
	physr_list_destroy(&list);

	/*
	 * A range starting inside a page after one that is a leaf: the
	 * leaf goes in with the leaves behind it before the range after
	 * them is looked at, and is taken out again (one invalidation).
	 */
	expect_bad_second_start(test, d, SZ_2M, flushes + 2);
	/* After a range that is not a leaf: found before anything is mapped. */
	expect_bad_second_start(test, d, SZ_2M + SZ_4K, flushes + 2);

	/* An empty list. */
	KUNIT_EXPECT_EQ(test, iommu_map_physr(d, SZ_1G, &list, RW,
					      GFP_KERNEL), -EINVAL);
	KUNIT_EXPECT_EQ(test, iommu_physr_iova_len(&list), 0ULL);
	KUNIT_EXPECT_EQ(test, allocated_pages(), pages);
}

/* A slice of a list: trimmed ends, mapped like a list. */
static void iommu_map_view(struct kunit *test)
{
	struct iommu_domain *d = test_domain(test);
	struct physr_list list = PHYSR_LIST_INIT;
	struct physr_view view;
	unsigned int i;

	for (i = 0; i < 8; i++)
		KUNIT_ASSERT_EQ(test, physr_list_append(&list,
				(u64)(16 - i) * GiB, SZ_2M, GFP_KERNEL), 0);
	/* From 1 MiB into range 1 to 4 KiB into range 5. */
	KUNIT_ASSERT_EQ(test, physr_list_slice(&list, SZ_2M + SZ_1M,
					       4 * SZ_2M - SZ_1M + SZ_4K,
					       &view), 0);
	KUNIT_EXPECT_EQ(test, iommu_physr_view_iova_len(&view),
			4ULL * SZ_2M - SZ_1M + SZ_4K);
	KUNIT_ASSERT_EQ(test, iommu_map_physr_view(d, SZ_1G + SZ_1M, &view, RW,
						   GFP_KERNEL), 0);
	/* 256 x 4 KiB, 3 x 2 MiB, 1 x 4 KiB */
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(d, SZ_1G + SZ_1M),
			15 * GiB + SZ_1M);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(d, SZ_1G + SZ_2M),
			14 * GiB);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(d, SZ_1G + 4 * SZ_2M),
			11 * GiB);
	KUNIT_EXPECT_EQ(test, dstats(d).mapped_bytes,
			4ULL * SZ_2M - SZ_1M + SZ_4K);
	EXPECT_LEAVES(test, d, 257, 3, 0);
	KUNIT_EXPECT_EQ(test, iommu_unmap_physr_view(d, SZ_1G + SZ_1M, &view),
			0);
	expect_empty(test, d);

	/* At a 2 MiB-aligned IOVA, the whole ranges get 2 MiB leaves. */
	KUNIT_ASSERT_EQ(test, physr_list_slice(&list, SZ_2M, 3 * SZ_2M, &view),
			0);
	KUNIT_ASSERT_EQ(test, iommu_map_physr_view(d, SZ_1G, &view, RW,
						   GFP_KERNEL), 0);
	EXPECT_LEAVES(test, d, 0, 3, 0);
	KUNIT_EXPECT_EQ(test, iommu_unmap_physr_view(d, SZ_1G, &view), 0);
	expect_empty(test, d);
	physr_list_destroy(&list);
}

static void iommu_map_errors(struct kunit *test)
{
	struct iommu_domain *d = test_domain(test);
	struct iommu_domain_stats before, after;
	u64 pages;

	/* Bad arguments. */
	KUNIT_EXPECT_EQ(test, iommu_map(d, SZ_4K + 1, 0, SZ_4K, RW, GFP_KERNEL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, iommu_map(d, SZ_4K, 1, SZ_4K, RW, GFP_KERNEL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, iommu_map(d, SZ_4K, 0, 1, RW, GFP_KERNEL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, iommu_map(d, SZ_4K, 0, 0, RW, GFP_KERNEL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, iommu_map(d, SZ_4K, 0, SZ_4K, 0, GFP_KERNEL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, iommu_map(d, SZ_4K, U64_MAX - SZ_4K + 1, SZ_8K,
					RW, GFP_KERNEL), -EINVAL);
	/* Outside the aperture, or wrapping. */
	KUNIT_EXPECT_EQ(test, iommu_map(d, IOVA_LAST + 1 - SZ_4K, 0, SZ_8K, RW,
					GFP_KERNEL), -ERANGE);
	KUNIT_EXPECT_EQ(test, iommu_map(d, U64_MAX - SZ_4K + 1, 0, SZ_8K, RW,
					GFP_KERNEL), -ERANGE);
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, IOVA_LAST + 1, SZ_4K), -ERANGE);
	/* The very top of the aperture maps. */
	KUNIT_EXPECT_EQ(test, iommu_map(d, IOVA_LAST + 1 - SZ_4K, 0, SZ_4K, RW,
					GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, IOVA_LAST + 1 - SZ_4K, SZ_4K), 0);
	expect_empty(test, d);

	/* Not a paging domain. */
	KUNIT_EXPECT_EQ(test, iommu_map(NULL, 0, 0, SZ_4K, RW, GFP_KERNEL),
			-EINVAL);

	/* Mapping over a mapping: -EEXIST, nothing changed. */
	KUNIT_ASSERT_EQ(test, iommu_map(d, SZ_2M, 4 * GiB, SZ_2M, RW,
					GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iommu_map(d, 5 * SZ_2M, 4 * GiB, SZ_4K, RW,
					GFP_KERNEL), 0);
	pages = allocated_pages();
	before = dstats(d);
	KUNIT_EXPECT_EQ(test, iommu_map(d, SZ_2M, 8 * GiB, SZ_4K, RW,
					GFP_KERNEL), -EEXIST);
	/* Found while checking a table's worth of leaves: none written. */
	KUNIT_EXPECT_EQ(test, iommu_map(d, 4 * SZ_2M, 8 * GiB, 2 * SZ_2M, RW,
					GFP_KERNEL), -EEXIST);
	/* Partly new: the new part is mapped, then taken out again. */
	KUNIT_EXPECT_EQ(test, iommu_map(d, 0, 8 * GiB + SZ_4K, 2 * SZ_2M, RW,
					GFP_KERNEL), -EEXIST);
	after = dstats(d);
	KUNIT_EXPECT_EQ(test, after.mapped_bytes, before.mapped_bytes);
	KUNIT_EXPECT_EQ(test, after.table_pages, before.table_pages);
	KUNIT_EXPECT_EQ(test, after.leaves[1], before.leaves[1]);
	KUNIT_EXPECT_EQ(test, after.leaves[2], before.leaves[2]);
	/* Only the last changed something, and flushed once. */
	KUNIT_EXPECT_EQ(test, after.iotlb_flushes, before.iotlb_flushes + 1);
	KUNIT_EXPECT_EQ(test, allocated_pages(), pages);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(d, SZ_2M), 4 * GiB);

	/* Unmapping holes, cutting a large leaf: refused, nothing changed. */
	before = dstats(d);
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, 3 * SZ_2M, SZ_4K), -ENOENT);
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, SZ_2M, SZ_4K), -EINVAL);
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, SZ_2M, 2 * SZ_2M), -ENOENT);
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, 5 * SZ_2M, SZ_8K), -ENOENT);
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, 0, 3 * SZ_2M), -ENOENT);
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, SZ_4K, SZ_4K + 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, SZ_4K, 0), -EINVAL);
	after = dstats(d);
	KUNIT_EXPECT_EQ(test, after.pte_writes, before.pte_writes);
	KUNIT_EXPECT_EQ(test, after.iotlb_flushes, before.iotlb_flushes);
	KUNIT_EXPECT_EQ(test, after.mapped_bytes, before.mapped_bytes);

	KUNIT_EXPECT_EQ(test, iommu_unmap(d, SZ_2M, SZ_2M), 0);
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, 5 * SZ_2M, SZ_4K), 0);
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, 5 * SZ_2M, SZ_4K), -ENOENT);
	expect_empty(test, d);
}

/* IOVA space handed out by the domain's allocator runs out: -ENOSPC. */
static void iommu_iova_exhaustion(struct kunit *test)
{
	struct iommu_domain *d = test_domain(test);
	struct pci_host_bridge *host = pci_get_next_host_bridge(NULL);
	struct iova_stats st;
	dma_addr_t a, b;
	unsigned int i;
	u64 windows = 0;

	/* The host bridge windows' bus addresses are never handed out. */
	KUNIT_ASSERT_NOT_NULL(test, host);
	for (i = 0; i < host->nr_windows; i++) {
		const struct pci_host_window *w = &host->windows[i];

		windows += resource_size(&w->res);
		KUNIT_EXPECT_EQ(test, iova_reserve(&d->iovad,
						   w->res.start - w->offset,
						   w->res.start - w->offset),
				-EBUSY);
	}
	iova_get_stats(&d->iovad, &st);
	KUNIT_EXPECT_EQ(test, st.reserved_bytes, windows);

	KUNIT_ASSERT_EQ(test, iova_alloc(&d->iovad, 1ULL << 47, U64_MAX, &a),
			0);
	KUNIT_EXPECT_EQ(test, a, 1ULL << 47);
	KUNIT_EXPECT_EQ(test, iova_alloc(&d->iovad, 1ULL << 47, U64_MAX, &b),
			-ENOSPC);
	KUNIT_ASSERT_EQ(test, iova_alloc(&d->iovad, 1ULL << 46, U64_MAX, &b),
			0);
	KUNIT_EXPECT_EQ(test, iova_alloc(&d->iovad, 1ULL << 46, U64_MAX, &b),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, iova_free(&d->iovad, a, 1ULL << 47), 0);
}

/* Exactly one IOTLB invalidation per successful map or unmap call. */
static void iommu_one_flush_per_call(struct kunit *test)
{
	struct iommu_domain *d = test_domain(test);
	struct physr_list list = PHYSR_LIST_INIT;
	unsigned int i;
	u64 flushes;

	for (i = 0; i < 1000; i++)
		KUNIT_ASSERT_EQ(test, physr_list_append(&list,
				(u64)(1000 - i) * SZ_2M * 2, SZ_2M,
							GFP_KERNEL), 0);
	flushes = dstats(d).iotlb_flushes;
	KUNIT_ASSERT_EQ(test, iommu_map_physr(d, SZ_1G, &list, RW, GFP_KERNEL),
			0);
	KUNIT_EXPECT_EQ(test, dstats(d).iotlb_flushes, flushes + 1);
	KUNIT_ASSERT_EQ(test, iommu_map(d, 3 * GiB, 0, GiB + SZ_4K, RW,
					GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, dstats(d).iotlb_flushes, flushes + 2);
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, 3 * GiB, GiB + SZ_4K), 0);
	KUNIT_EXPECT_EQ(test, iommu_unmap_physr(d, SZ_1G, &list), 0);
	KUNIT_EXPECT_EQ(test, dstats(d).iotlb_flushes, flushes + 4);
	/* Not attached anywhere: no command reached the hardware. */
	KUNIT_EXPECT_EQ(test, dstats(d).inv_cmds, 0ULL);
	expect_empty(test, d);
	physr_list_destroy(&list);
}

/* ---- allocation-failure injection ---------------------------------- */

struct map_fail_ctx {
	struct iommu_domain *d;
	const struct physr_list *list;
	dma_addr_t iova;
	u64 size;
	u64 pages;
};

static int map_fail_op(void *ctx)
{
	struct map_fail_ctx *c = ctx;

	return iommu_map(c->d, c->iova, 4 * GiB + SZ_4K, c->size, RW,
			 GFP_KERNEL);
}

static int map_physr_fail_op(void *ctx)
{
	struct map_fail_ctx *c = ctx;

	return iommu_map_physr(c->d, c->iova, c->list, RW, GFP_KERNEL);
}

static bool map_fail_check(struct kunit *test, void *ctx)
{
	struct map_fail_ctx *c = ctx;
	struct iommu_domain_stats st = dstats(c->d);

	KUNIT_EXPECT_EQ(test, st.mapped_bytes, 0ULL);
	KUNIT_EXPECT_EQ(test, st.table_pages, 1ULL);
	KUNIT_EXPECT_EQ(test, allocated_pages(), c->pages);
	return !st.mapped_bytes && st.table_pages == 1 &&
	       allocated_pages() == c->pages;
}

static void iommu_map_fail_nth(struct kunit *test)
{
	struct iommu_domain *d = test_domain(test);
	struct map_fail_ctx c = {
		.d = d,
		/* Straddles two 512 GiB and two 1 GiB regions. */
		.iova = (1ULL << 39) - SZ_2M,
		.size = SZ_4M,
		.pages = allocated_pages(),
	};
	int rounds;

	rounds = kunit_fail_nth_check(test, map_fail_op, map_fail_check, &c);
	/* Two level-3, two level-2 and two level-1 tables. */
	KUNIT_EXPECT_EQ(test, rounds, 6);
	EXPECT_LEAVES(test, d, 1024, 0, 0);
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, c.iova, c.size), 0);
	expect_empty(test, d);
	KUNIT_EXPECT_EQ(test, allocated_pages(), c.pages);
}

static void iommu_map_physr_fail_nth(struct kunit *test)
{
	struct iommu_domain *d = test_domain(test);
	struct physr_list list = PHYSR_LIST_INIT;
	struct map_fail_ctx c = { .d = d, .list = &list, .iova = 3 * GiB };
	unsigned int i;
	int rounds;

	/* 3 MiB of IOVA: a level-3, a level-2 and two level-1 tables. */
	for (i = 0; i < 768; i++)
		KUNIT_ASSERT_EQ(test, physr_list_append(&list,
				(u64)(2000 - i) * SZ_8K, SZ_4K, GFP_KERNEL), 0);
	c.pages = allocated_pages();
	rounds = kunit_fail_nth_check(test, map_physr_fail_op, map_fail_check,
				      &c);
	KUNIT_EXPECT_EQ(test, rounds, 4);
	EXPECT_LEAVES(test, d, 768, 0, 0);
	KUNIT_EXPECT_EQ(test, iommu_unmap_physr(d, c.iova, &list), 0);
	expect_empty(test, d);
	KUNIT_EXPECT_EQ(test, allocated_pages(), c.pages);
	physr_list_destroy(&list);
}

/*
 * A table the bulk fills is followed by a range that needs no new table
 * at that level (a 2 MiB leaf after 512 scattered 4 KiB pages): the map
 * allocates exactly the three tables it uses, so failing a fourth
 * allocation is never what fails it.
 */
static void iommu_map_physr_fail_nth_exact(struct kunit *test)
{
	struct iommu_domain *d = test_domain(test);
	struct physr_list list = PHYSR_LIST_INIT;
	struct map_fail_ctx c = { .d = d, .list = &list, .iova = GiB };
	unsigned int i;
	int rounds;

	for (i = 0; i < 512; i++)
		KUNIT_ASSERT_EQ(test, physr_list_append(&list,
				(u64)(4000 - i) * SZ_8K, SZ_4K, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 64 * SZ_2M, SZ_2M,
						GFP_KERNEL), 0);
	c.pages = allocated_pages();
	rounds = kunit_fail_nth_check(test, map_physr_fail_op, map_fail_check,
				      &c);
	/* A level-3, a level-2 and a level-1 table. */
	KUNIT_EXPECT_EQ(test, rounds, 3);
	EXPECT_LEAVES(test, d, 512, 1, 0);
	KUNIT_EXPECT_EQ(test, iommu_unmap_physr(d, c.iova, &list), 0);
	expect_empty(test, d);
	physr_list_destroy(&list);
}

/* ---- a failed descent links nothing --------------------------------- */

struct descent_fail_ctx {
	struct iommu_domain *d;
	struct physr_list *list;	/* NULL: iommu_map() */
	u64 pte_writes;
	u64 flushes;
	u64 pages;
};

static int descent_fail_op(void *ctx)
{
	struct descent_fail_ctx *c = ctx;

	if (c->list)
		return iommu_map_physr(c->d, 5 * GiB, c->list, RW, GFP_KERNEL);
	return iommu_map(c->d, 5 * GiB, 4 * GiB, SZ_4K, RW, GFP_KERNEL);
}

/*
 * A descent whose allocation failed wrote no PTE: no table was ever
 * reachable by the hardware, so none can be walked after it is freed
 * (the datasheet's rule), and no invalidation was needed or issued.
 */
static bool descent_fail_check(struct kunit *test, void *ctx)
{
	struct descent_fail_ctx *c = ctx;
	struct iommu_domain_stats st = dstats(c->d);
	u64 flushes = atomic64_read(&c->d->iotlb_flushes);

	KUNIT_EXPECT_EQ(test, st.pte_writes, c->pte_writes);
	KUNIT_EXPECT_EQ(test, st.table_pages, 1ULL);
	KUNIT_EXPECT_EQ(test, flushes, c->flushes);
	KUNIT_EXPECT_EQ(test, allocated_pages(), c->pages);
	return st.pte_writes == c->pte_writes && st.table_pages == 1 &&
	       flushes == c->flushes && allocated_pages() == c->pages;
}

static void descent_fail_run(struct kunit *test, struct physr_list *list)
{
	struct iommu_domain *d = test_domain(test);
	struct descent_fail_ctx c = { .d = d, .list = list };
	int rounds;

	c.pte_writes = dstats(d).pte_writes;
	c.flushes = atomic64_read(&d->iotlb_flushes);
	c.pages = allocated_pages();
	rounds = kunit_fail_nth_check(test, descent_fail_op,
				      descent_fail_check, &c);
	/* A level-3, a level-2 and a level-1 table: two fail mid-descent. */
	KUNIT_EXPECT_EQ(test, rounds, 3);
	EXPECT_LEAVES(test, d, 1, 0, 0);
	/* Three table pointers and the leaf. */
	KUNIT_EXPECT_EQ(test, dstats(d).pte_writes, c.pte_writes + 4);
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, 5 * GiB, SZ_4K), 0);
	expect_empty(test, d);
}

/* map_pages (iommu_map()) and map_range (iommu_map_physr()) descents. */
static void iommu_map_descent_fail_nth(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;

	descent_fail_run(test, NULL);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 4 * GiB, SZ_4K,
						GFP_KERNEL), 0);
	descent_fail_run(test, &list);
	physr_list_destroy(&list);
}

/* A physical address the IO page table cannot hold is refused, as by iommu_map(). */
static void iommu_map_physr_beyond_format(struct kunit *test)
{
	struct iommu_domain *d = test_domain(test);
	struct physr_list list = PHYSR_LIST_INIT;
	phys_addr_t beyond = 1ULL << 52;

	KUNIT_EXPECT_EQ(test, iommu_map(d, SZ_2M, beyond, SZ_4K, RW,
					GFP_KERNEL), -EINVAL);
	/* Alone, as one leaf, and as a leaf after leaves of its size. */
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, beyond, SZ_4K,
						GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, iommu_map_physr(d, SZ_2M, &list, RW, GFP_KERNEL),
			-EINVAL);
	expect_empty(test, d);
	physr_list_destroy(&list);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 8 * GiB, SZ_4K,
						GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 9 * GiB, SZ_4K,
						GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, beyond, SZ_4K,
						GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, iommu_map_physr(d, SZ_2M, &list, RW, GFP_KERNEL),
			-EINVAL);
	expect_empty(test, d);
	physr_list_destroy(&list);
}

static int unmap_fail_op(void *ctx)
{
	struct map_fail_ctx *c = ctx;

	return iommu_unmap(c->d, c->iova, c->size);
}

/* Unmap allocates nothing, so it cannot fail for lack of memory. */
static void iommu_unmap_fail_nth(struct kunit *test)
{
	struct iommu_domain *d = test_domain(test);
	struct map_fail_ctx c = { .d = d, .iova = GiB, .size = GiB + SZ_4M };

	KUNIT_ASSERT_EQ(test, iommu_map(d, c.iova, 0, c.size, RW, GFP_KERNEL),
			0);
	KUNIT_EXPECT_EQ(test, kunit_fail_nth(test, unmap_fail_op, &c), 0);
	expect_empty(test, d);
}

/* Domain allocation unwinds too. */
static int domain_alloc_op(void *ctx)
{
	struct iommu_domain **d = ctx;

	*d = iommu_domain_alloc();
	return PTR_ERR_OR_ZERO(*d);
}

static void iommu_domain_alloc_fail_nth(struct kunit *test)
{
	struct iommu_domain *d;

	/*
	 * The driver's domain (its page table inside), the domain-ID IDA's
	 * index and leaf (no other domain holds an ID, so the IDA is empty
	 * and holds no memory), the root page, the IOVA tree's node, and two
	 * nodes for each of the host bridge's two windows reserved.
	 */
	KUNIT_EXPECT_EQ(test, kunit_fail_nth(test, domain_alloc_op, &d), 9);
	iommu_domain_free(d);
}

/* ---- concurrency ----------------------------------------------------- */

#define MAP_THREADS	4

struct map_thread {
	pthread_t thread;
	struct iommu_domain *d;
	unsigned int id;
	unsigned int errors;
};

/* Each thread owns 1 GiB of IOVA and maps, checks and unmaps in it. */
static void *map_thread_fn(void *arg)
{
	struct map_thread *t = arg;
	dma_addr_t base = (u64)(t->id + 1) * GiB;
	struct rnd_state rnd;
	unsigned int round;

	prandom_seed_state(&rnd, 77 + t->id);
	for (round = 0; round < 300; round++) {
		u64 off = prandom_u32_below_state(&rnd, 256) * SZ_2M;
		u64 size = (prandom_u32_below_state(&rnd, 600) + 1) * SZ_4K;
		phys_addr_t pa = (prandom_u32_below_state(&rnd, 1 << 20) +
				  (round & 1 ? 0 : 1)) * SZ_4K;

		if (iommu_map(t->d, base + off, pa, size, RW, GFP_KERNEL))
			t->errors++;
		if (iommu_iova_to_phys(t->d, base + off + size - 1) !=
		    pa + size - 1)
			t->errors++;
		if (iommu_unmap(t->d, base + off, size))
			t->errors++;
	}
	return NULL;
}

static void iommu_map_threads(struct kunit *test)
{
	struct iommu_domain *d = test_domain(test);
	struct map_thread t[MAP_THREADS];
	u64 pages = allocated_pages();
	unsigned int i;

	/* Something that stays mapped among them all along. */
	KUNIT_ASSERT_EQ(test, iommu_map(d, SZ_2M, 0, SZ_4K, RW, GFP_KERNEL), 0);
	for (i = 0; i < MAP_THREADS; i++) {
		t[i] = (struct map_thread){ .d = d, .id = i };
		KUNIT_ASSERT_EQ(test, pthread_create(&t[i].thread, NULL,
						     map_thread_fn, &t[i]), 0);
	}
	for (i = 0; i < MAP_THREADS; i++) {
		pthread_join(t[i].thread, NULL);
		KUNIT_EXPECT_EQ(test, t[i].errors, 0U);
	}
	EXPECT_LEAVES(test, d, 1, 0, 0);
	KUNIT_EXPECT_EQ(test, dstats(d).iotlb_flushes,
			1ULL + 2 * 300 * MAP_THREADS);
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, SZ_2M, SZ_4K), 0);
	expect_empty(test, d);
	KUNIT_EXPECT_EQ(test, allocated_pages(), pages);
}

/*
 * Threads that each take IOVA from the domain's allocator, map a range
 * list of pages of their own there, let gpu1 write and read it by DMA,
 * and give everything back.
 */
#define IOVA_THREADS		4
#define IOVA_ROUNDS		150
#define IOVA_MAX_CHUNKS		6

struct iova_chunk {
	struct page *page;
	unsigned int order;
};

struct iova_thread {
	pthread_t thread;
	struct iommu_domain *d;
	struct pci_dev *gpu1;
	unsigned int id;
	unsigned int errors;
	u8 *buf;			/* what the device writes and reads */
	struct iova_chunk chunk[IOVA_MAX_CHUNKS];
	unsigned int nr_chunks;
	struct physr_list list;
};

/* Mostly small folios, now and then a 2 MiB one, for a 2 MiB leaf. */
static unsigned int iova_thread_order(struct rnd_state *rnd, unsigned int i,
				      unsigned int round)
{
	static const unsigned int orders[] = { 0, 0, 0, 1, 2, 3 };

	if (i == 0 && round % 25 == 7)
		return 9;
	return orders[prandom_u32_below_state(rnd, ARRAY_SIZE(orders))];
}

/* Allocate a few folios and list them; 0 or -ENOMEM (all freed). */
static int iova_thread_build(struct iova_thread *t, struct rnd_state *rnd,
			     unsigned int round)
{
	unsigned int i, n = 1 + prandom_u32_below_state(rnd, IOVA_MAX_CHUNKS);

	t->nr_chunks = 0;
	for (i = 0; i < n; i++) {
		struct iova_chunk *c = &t->chunk[i];

		c->order = iova_thread_order(rnd, i, round);
		c->page = alloc_pages(GFP_KERNEL, c->order);
		if (!c->page)
			return -ENOMEM;
		t->nr_chunks++;
		if (physr_list_append(&t->list, page_to_phys(c->page),
				      PAGE_SIZE << c->order, GFP_KERNEL))
			return -ENOMEM;
	}
	return 0;
}

static void iova_thread_release(struct iova_thread *t)
{
	while (t->nr_chunks) {
		struct iova_chunk *c = &t->chunk[--t->nr_chunks];

		__free_pages(c->page, c->order);
	}
	physr_list_destroy(&t->list);
}

/* The device writes @len bytes at @iova, then reads them back. */
static unsigned int iova_thread_dma(struct iova_thread *t, dma_addr_t iova,
				    u64 len, u8 seed)
{
	unsigned int i, errors = 0;
	u64 off = 0, j;

	for (j = 0; j < len; j++)
		t->buf[j] = (u8)(j * 13 + seed + (j >> 12));
	errors += sim_dma_write(t->gpu1->dev.rid, iova, t->buf, len) != 0;
	for (i = 0; i < t->nr_chunks; i++) {
		const struct iova_chunk *c = &t->chunk[i];
		u64 size = PAGE_SIZE << c->order;

		errors += memcmp(page_address(c->page), t->buf + off, size) != 0;
		errors += iommu_iova_to_phys(t->d, iova + off + size - 1) !=
			  page_to_phys(c->page) + size - 1;
		/* Now the CPU changes it, and the device must read that. */
		memset(page_address(c->page), seed ^ i, size);
		off += size;
	}
	memset(t->buf, 0, len);
	errors += sim_dma_read(t->gpu1->dev.rid, iova, t->buf, len) != 0;
	for (i = 0, off = 0; i < t->nr_chunks; i++) {
		u64 size = PAGE_SIZE << t->chunk[i].order;

		errors += memchr_inv(t->buf + off, seed ^ i, size) != NULL;
		off += size;
	}
	return errors;
}

/* One round: IOVA, map, DMA both ways, unmap, free. */
static void iova_thread_round(struct iova_thread *t, struct rnd_state *rnd,
			      unsigned int round)
{
	dma_addr_t iova;
	u64 len;

	if (iova_thread_build(t, rnd, round))
		goto out_errors;
	len = iommu_physr_iova_len(&t->list);
	if (iova_alloc(&t->d->iovad, len, t->gpu1->dev.dma_mask, &iova))
		goto out_errors;
	if (iommu_map_physr(t->d, iova, &t->list, RW, GFP_KERNEL))
		goto out_free_iova;
	t->errors += iova_thread_dma(t, iova, len, (u8)(t->id * 64 + round));
	t->errors += iommu_unmap_physr(t->d, iova, &t->list) != 0;
	/* Still ours until freed: nobody else can have mapped it since. */
	t->errors += iommu_iova_to_phys(t->d, iova) != 0;
	t->errors += iova_free(&t->d->iovad, iova, len) != 0;
	iova_thread_release(t);
	return;

out_free_iova:
	iova_free(&t->d->iovad, iova, len);
out_errors:
	t->errors++;
	iova_thread_release(t);
}

static void *iova_thread_fn(void *arg)
{
	struct iova_thread *t = arg;
	struct rnd_state rnd;
	unsigned int round;

	prandom_seed_state(&rnd, 991 + t->id);
	for (round = 0; round < IOVA_ROUNDS; round++)
		iova_thread_round(t, &rnd, round);
	return NULL;
}

static void detach_gpu1_action(void *d)
{
	struct pci_dev *gpu1 = pci_get_by_name("gpu1");

	iommu_detach_device(d, &gpu1->dev);
	pci_dev_put(gpu1);
}

/* Allocator and domain stats with the per-size caches flushed. */
static struct iova_stats iova_settled(struct iommu_domain *d)
{
	struct iova_stats st;

	iova_flush_rcache(&d->iovad);
	iova_get_stats(&d->iovad, &st);
	st.rcache_hits = 0;
	st.rcache_misses = 0;
	return st;
}

static void iommu_map_iova_threads(struct kunit *test)
{
	struct iommu_domain *d = test_domain(test);
	struct pci_dev *gpu1 = pci_test_dev(test, "gpu1");
	struct iova_thread *t;
	struct iommu_domain_stats st0, st1;
	struct sim_dma_stats ds0, ds1;
	struct iova_stats is0, is1;
	u64 pages;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, gpu1);
	KUNIT_ASSERT_EQ(test, iommu_attach_device(d, &gpu1->dev), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
				detach_gpu1_action, d), 0);
	t = kunit_kcalloc(test, IOVA_THREADS, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	pages = allocated_pages();
	is0 = iova_settled(d);
	st0 = dstats(d);
	sim_dma_stats_get(&ds0);

	for (i = 0; i < IOVA_THREADS; i++) {
		t[i].d = d;
		t[i].gpu1 = gpu1;
		t[i].id = i;
		t[i].list = PHYSR_LIST_INIT;
		/* One 2 MiB folio at most, and five of 32 KiB. */
		t[i].buf = kunit_kmalloc(test, SZ_4M, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, t[i].buf);
	}
	for (i = 0; i < IOVA_THREADS; i++)
		KUNIT_ASSERT_EQ(test, pthread_create(&t[i].thread, NULL,
						     iova_thread_fn, &t[i]), 0);
	for (i = 0; i < IOVA_THREADS; i++) {
		pthread_join(t[i].thread, NULL);
		KUNIT_EXPECT_EQ_MSG(test, t[i].errors, 0U, "thread %u", i);
	}
	/* Every round's DMA went through the IOMMU, both ways. */
	sim_dma_stats_get(&ds1);
	KUNIT_EXPECT_EQ(test, ds1.transfers - ds0.transfers,
			2ULL * IOVA_ROUNDS * IOVA_THREADS);
	KUNIT_EXPECT_EQ(test, ds1.translated - ds0.translated,
			ds1.transactions - ds0.transactions);
	kunit_info(test, "%llu bytes moved by DMA",
		   (unsigned long long)(ds1.bytes - ds0.bytes));

	/* The allocator is back where it was, node for node. */
	is1 = iova_settled(d);
	KUNIT_EXPECT_MEMEQ(test, &is1, &is0, sizeof(is0));
	KUNIT_EXPECT_EQ(test, is1.allocated_bytes, 0ULL);
	/* So is the domain: nothing mapped, only the root, one flush a call. */
	st1 = dstats(d);
	expect_empty(test, d);
	KUNIT_EXPECT_EQ(test, st1.table_pages, st0.table_pages);
	KUNIT_EXPECT_EQ(test, st1.iotlb_flushes - st0.iotlb_flushes,
			2ULL * IOVA_ROUNDS * IOVA_THREADS);
	KUNIT_EXPECT_EQ(test, st1.inv_cmds - st0.inv_cmds,
			2ULL * IOVA_ROUNDS * IOVA_THREADS);
	KUNIT_EXPECT_EQ(test, st1.faults, st0.faults);
	KUNIT_EXPECT_EQ(test, allocated_pages(), pages);
}

static struct kunit_case iommu_map_cases[] = {
	KUNIT_CASE(iommu_map_1g_leaf),
	KUNIT_CASE(iommu_map_2m_leaves),
	KUNIT_CASE(iommu_map_mixed_sizes),
	KUNIT_CASE(iommu_map_misaligned_phys),
	KUNIT_CASE(iommu_map_narrow_pgsizes),
	KUNIT_CASE_PARAM(iommu_map_physr_layouts, layout_cases_gen_params),
	KUNIT_CASE(iommu_map_physr_alignment),
	KUNIT_CASE(iommu_map_physr_bulk),
	KUNIT_CASE(iommu_unmap_whole_tables),
	KUNIT_CASE(iommu_map_view),
	KUNIT_CASE(iommu_map_errors),
	KUNIT_CASE(iommu_iova_exhaustion),
	KUNIT_CASE(iommu_one_flush_per_call),
	KUNIT_CASE(iommu_map_fail_nth),
	KUNIT_CASE(iommu_map_physr_fail_nth),
	KUNIT_CASE(iommu_map_physr_fail_nth_exact),
	KUNIT_CASE(iommu_map_descent_fail_nth),
	KUNIT_CASE(iommu_map_physr_beyond_format),
	KUNIT_CASE(iommu_unmap_fail_nth),
	KUNIT_CASE(iommu_domain_alloc_fail_nth),
	KUNIT_CASE(iommu_map_threads),
	KUNIT_CASE(iommu_map_iova_threads),
	{}
};

static struct kunit_suite iommu_map_suite = {
	.name = "iommu_map",
	.suite_init = iommu_map_suite_init,
	.suite_exit = iommu_map_suite_exit,
	.test_cases = iommu_map_cases,
};
kunit_test_suite(iommu_map_suite);
