// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the layering between the IOMMU core (drivers/iommu/iommu.c)
 * and its driver (sim-iommu.c, io-pgtable-sim.c): that the core reaches
 * the page table only through the domain ops, with the calls upstream's
 * core makes, and that the driver's map_range maps whole range lists.
 *
 * A spy stands between the core and the driver: the domain's ops are
 * replaced by copies that record each call and forward it to the
 * driver's (so the page table is real), and can make map_pages fail
 * mid-way.  The cases check what the core asked for:
 *
 *  - map_pages gets iommu_pgsize()'s pieces, and is called again for the
 *    rest when the driver maps less (the end of a table);
 *  - exactly one iotlb_sync per call that changed something, none for a
 *    call that changed nothing, its gather covering the call's range;
 *  - unmap is one unmap_pages of the whole range;
 *  - a map failing mid-way (map_pages or map_range) is unwound through
 *    unmap_pages, of exactly what was mapped, then one iotlb_sync;
 *  - map_range over a list of scattered pages, folios and huge runs puts
 *    each range where it belongs, with the leaves its alignment allows,
 *    as the hardware's own walker reads the tables; and with every
 *    allocation failing in turn it unwinds completely.
 *
 * The default machine is booted once for the suite.  Physical addresses
 * mapped need not be allocated memory: nothing reads through them.
 */
#include <kunit/fail_nth.h>
#include <kunit/test.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/physr.h>
#include <linux/sizes.h>

#include "arch/sim/boot.h"
#include "sim/iommu.h"
#include "tests/iommu_test.h"
#include "tests/pci_boards.h"

#define GiB		(1ULL << 30)
#define RW		(IOMMU_READ | IOMMU_WRITE)
#define SPY_MAX_CALLS	64

/* ---- the spy ----------------------------------------------------------- */

struct spy_map_call {
	dma_addr_t iova;
	phys_addr_t paddr;
	u64 pgsize;
	u64 pgcount;
};

struct spy_unmap_call {
	dma_addr_t iova;
	u64 pgsize;
	u64 pgcount;
};

struct spy_sync_call {
	dma_addr_t start;
	dma_addr_t last;
};

/**
 * struct spy - recorded calls of the core into one domain's ops
 * @domain: the domain spied on
 * @real: the driver's ops, restored when the case ends
 * @ops: the recording copies, installed in @domain
 * @fail_map_pages_at: make the Nth map_pages call (1-based) map one leaf
 *	and then fail with -ENOMEM; 0: never
 * @map: map_pages calls; @nr_map counts them (even beyond the array)
 * @nr_map_range: map_range calls
 * @range_gather: what the driver's last map_range left in the gather
 * @unmap: unmap_pages calls, @nr_unmap
 * @sync: iotlb_sync calls and their gathers, @nr_sync
 */
struct spy {
	struct iommu_domain *domain;
	const struct iommu_domain_ops *real;
	struct iommu_domain_ops ops;
	unsigned int fail_map_pages_at;
	struct spy_map_call map[SPY_MAX_CALLS];
	unsigned int nr_map;
	unsigned int nr_map_range;
	struct spy_sync_call range_gather;
	struct spy_unmap_call unmap[SPY_MAX_CALLS];
	unsigned int nr_unmap;
	struct spy_sync_call sync[SPY_MAX_CALLS];
	unsigned int nr_sync;
};

/* The ops get the domain only; one spy at a time, cases are serial. */
static struct spy *the_spy;

static int spy_map_pages(struct iommu_domain *domain, dma_addr_t iova,
			 phys_addr_t paddr, u64 pgsize, u64 pgcount, int prot,
			 gfp_t gfp, u64 *mapped)
{
	struct spy *s = the_spy;
	unsigned int n = s->nr_map++;
	int ret;

	if (n < SPY_MAX_CALLS)
		s->map[n] = (struct spy_map_call){ iova, paddr, pgsize,
						   pgcount };
	if (s->fail_map_pages_at && n + 1 == s->fail_map_pages_at) {
		/* Part of the piece goes in, then the driver fails. */
		ret = s->real->map_pages(domain, iova, paddr, pgsize, 1, prot,
					 gfp, mapped);
		return ret ?: -ENOMEM;
	}
	return s->real->map_pages(domain, iova, paddr, pgsize, pgcount, prot,
				  gfp, mapped);
}

static int spy_map_range(struct iommu_domain *domain, dma_addr_t iova,
			 struct physr_iter *it, int prot, gfp_t gfp,
			 u64 *mapped, struct iommu_iotlb_gather *gather)
{
	struct spy *s = the_spy;
	int ret;

	s->nr_map_range++;
	ret = s->real->map_range(domain, iova, it, prot, gfp, mapped, gather);
	s->range_gather = (struct spy_sync_call){ gather->start, gather->last };
	return ret;
}

static int spy_unmap_pages(struct iommu_domain *domain, dma_addr_t iova,
			   u64 pgsize, u64 pgcount,
			   struct iommu_iotlb_gather *gather, u64 *unmapped)
{
	struct spy *s = the_spy;
	unsigned int n = s->nr_unmap++;

	if (n < SPY_MAX_CALLS)
		s->unmap[n] = (struct spy_unmap_call){ iova, pgsize, pgcount };
	return s->real->unmap_pages(domain, iova, pgsize, pgcount, gather,
				    unmapped);
}

static void spy_iotlb_sync(struct iommu_domain *domain,
			   struct iommu_iotlb_gather *gather)
{
	struct spy *s = the_spy;
	unsigned int n = s->nr_sync++;

	if (n < SPY_MAX_CALLS)
		s->sync[n] = (struct spy_sync_call){ gather->start,
						     gather->last };
	s->real->iotlb_sync(domain, gather);
}

static void spy_reset(struct spy *s)
{
	s->nr_map = 0;
	s->nr_map_range = 0;
	s->nr_unmap = 0;
	s->nr_sync = 0;
	s->fail_map_pages_at = 0;
}

static void spy_remove(void *arg)
{
	struct spy *s = arg;

	s->domain->ops = s->real;
	the_spy = NULL;
}

static void domain_free_action(void *d)
{
	iommu_domain_free(d);
}

/* An unattached UNMANAGED domain with a spy on its ops until the case ends. */
static struct spy *spied_domain(struct kunit *test)
{
	struct iommu_domain *d = iommu_domain_alloc();
	struct spy *s;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, d);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
				domain_free_action, d), 0);
	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	s->domain = d;
	s->real = d->ops;
	s->ops = *d->ops;
	s->ops.map_pages = spy_map_pages;
	s->ops.map_range = spy_map_range;
	s->ops.unmap_pages = spy_unmap_pages;
	s->ops.iotlb_sync = spy_iotlb_sync;
	d->ops = &s->ops;
	the_spy = s;
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, spy_remove, s),
			0);
	return s;
}

static void expect_map_call(struct kunit *test, const struct spy *s,
			    unsigned int i, dma_addr_t iova, phys_addr_t paddr,
			    u64 pgsize, u64 pgcount)
{
	KUNIT_ASSERT_LT(test, i, s->nr_map);
	KUNIT_EXPECT_EQ_MSG(test, s->map[i].iova, iova, "call %u", i);
	KUNIT_EXPECT_EQ_MSG(test, s->map[i].paddr, paddr, "call %u", i);
	KUNIT_EXPECT_EQ_MSG(test, s->map[i].pgsize, pgsize, "call %u", i);
	KUNIT_EXPECT_EQ_MSG(test, s->map[i].pgcount, pgcount, "call %u", i);
}

/* Exactly one iotlb_sync since the last reset, over [start, last]. */
static void expect_one_sync(struct kunit *test, const struct spy *s,
			    dma_addr_t start, dma_addr_t last)
{
	KUNIT_ASSERT_EQ(test, s->nr_sync, 1U);
	KUNIT_EXPECT_EQ(test, s->sync[0].start, start);
	KUNIT_EXPECT_EQ(test, s->sync[0].last, last);
}

/* Nothing mapped, only the root table left. */
static void expect_empty(struct kunit *test, struct iommu_domain *d)
{
	struct iommu_domain_stats st = dstats(d);

	KUNIT_EXPECT_EQ(test, st.mapped_bytes, 0ULL);
	KUNIT_EXPECT_EQ(test, st.table_pages, 1ULL);
}

/* ---- map_pages, unmap_pages and iotlb_sync --------------------------- */

/*
 * iommu_map() calls map_pages once per piece iommu_pgsize() picks: with
 * IOVA and physical address congruent modulo 1 GiB, 4 KiB leaves up to
 * the 2 MiB boundary, 2 MiB up to the 1 GiB boundary, a 1 GiB leaf, then
 * smaller again; then one iotlb_sync over the whole range.
 */
static void iommu_ops_map_pages_pieces(struct kunit *test)
{
	struct spy *s = spied_domain(test);
	struct iommu_domain *d = s->domain;
	dma_addr_t iova = GiB - 2 * SZ_2M - 2 * SZ_4K;
	phys_addr_t pa = iova + 4 * GiB;
	u64 size = 2 * SZ_4K + 2 * SZ_2M + GiB + SZ_2M + SZ_4K;

	KUNIT_ASSERT_EQ(test, iommu_map(d, iova, pa, size, RW, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, s->nr_map, 5U);
	expect_map_call(test, s, 0, iova, pa, SZ_4K, 2);
	expect_map_call(test, s, 1, iova + SZ_8K, pa + SZ_8K, SZ_2M, 2);
	expect_map_call(test, s, 2, GiB, GiB + 4 * GiB, GiB, 1);
	expect_map_call(test, s, 3, 2 * GiB, 6 * GiB, SZ_2M, 1);
	expect_map_call(test, s, 4, 2 * GiB + SZ_2M, 6 * GiB + SZ_2M, SZ_4K,
			1);
	KUNIT_EXPECT_EQ(test, s->nr_map_range, 0U);
	KUNIT_EXPECT_EQ(test, s->nr_unmap, 0U);
	expect_one_sync(test, s, iova, iova + size - 1);
	KUNIT_EXPECT_EQ(test, dstats(d).leaves[1], 3ULL);
	KUNIT_EXPECT_EQ(test, dstats(d).leaves[2], 3ULL);
	KUNIT_EXPECT_EQ(test, dstats(d).leaves[3], 1ULL);

	/* Unmap: one unmap_pages of the whole range, one sync. */
	spy_reset(s);
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, iova, size), 0);
	KUNIT_ASSERT_EQ(test, s->nr_unmap, 1U);
	KUNIT_EXPECT_EQ(test, s->unmap[0].iova, iova);
	KUNIT_EXPECT_EQ(test, s->unmap[0].pgsize * s->unmap[0].pgcount, size);
	expect_one_sync(test, s, iova, iova + size - 1);
	expect_empty(test, d);

	/*
	 * Alignment that never allows a larger leaf: one piece of 4 KiB
	 * leaves, which the driver maps up to the end of its table; the
	 * core asks again for the rest.
	 */
	spy_reset(s);
	iova = SZ_2M - 3 * SZ_4K;
	KUNIT_ASSERT_EQ(test, iommu_map(d, iova, 8 * GiB + SZ_4K, 6 * SZ_4K,
					RW, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, s->nr_map, 2U);
	expect_map_call(test, s, 0, iova, 8 * GiB + SZ_4K, SZ_4K, 6);
	expect_map_call(test, s, 1, SZ_2M, 8 * GiB + 4 * SZ_4K, SZ_4K, 3);
	expect_one_sync(test, s, iova, iova + 6 * SZ_4K - 1);
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, iova, 6 * SZ_4K), 0);
	expect_empty(test, d);
}

/* One iotlb_sync per call that changed something; none otherwise. */
static void iommu_ops_one_sync_per_call(struct kunit *test)
{
	struct spy *s = spied_domain(test);
	struct iommu_domain *d = s->domain;
	struct physr_list list = PHYSR_LIST_INIT;
	u64 span;

	/* Starting inside a page: two 2 MiB leaves. */
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 8 * GiB + 100,
						SZ_2M - 100, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 9 * GiB, SZ_2M,
						GFP_KERNEL), 0);
	span = iommu_physr_iova_len(&list);
	KUNIT_ASSERT_EQ(test, span, 2ULL * SZ_2M);

	/*
	 * A list: one map_range, which gathers what it wrote, no map_pages,
	 * one sync over the span.
	 */
	KUNIT_ASSERT_EQ(test, iommu_map_physr(d, SZ_1G, &list, RW,
					      GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, s->nr_map_range, 1U);
	KUNIT_EXPECT_EQ(test, s->range_gather.start, SZ_1G);
	KUNIT_EXPECT_EQ(test, s->range_gather.last, SZ_1G + span - 1);
	KUNIT_EXPECT_EQ(test, s->nr_map, 0U);
	expect_one_sync(test, s, SZ_1G, SZ_1G + span - 1);
	KUNIT_EXPECT_EQ(test, dstats(d).leaves[2], 2ULL);

	/* Calls that change nothing send nothing. */
	spy_reset(s);
	KUNIT_EXPECT_EQ(test, iommu_map(d, SZ_1G, GiB, SZ_4K, RW, GFP_KERNEL),
			-EEXIST);
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, 2 * GiB, SZ_4K), -ENOENT);
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, SZ_1G, SZ_4K), -EINVAL);
	KUNIT_EXPECT_EQ(test, iommu_map(d, SZ_4K, 0, SZ_4K, 0, GFP_KERNEL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, s->nr_sync, 0U);
	KUNIT_EXPECT_EQ(test, s->nr_unmap, 2U);	/* asked, refused */

	spy_reset(s);
	KUNIT_EXPECT_EQ(test, iommu_unmap_physr(d, SZ_1G, &list), 0);
	KUNIT_EXPECT_EQ(test, s->nr_unmap, 1U);
	expect_one_sync(test, s, SZ_1G, SZ_1G + span - 1);
	expect_empty(test, d);
	physr_list_destroy(&list);
}

/*
 * A map_pages failing mid-way (after it mapped one leaf of its piece) is
 * unwound through unmap_pages of exactly what was mapped, then one
 * iotlb_sync over the whole range of the call; nothing stays mapped.
 */
static void iommu_ops_map_unwind(struct kunit *test)
{
	struct spy *s = spied_domain(test);
	struct iommu_domain *d = s->domain;
	dma_addr_t iova = GiB - 2 * SZ_2M - 2 * SZ_4K;
	u64 size = 2 * SZ_4K + 2 * SZ_2M + 2 * GiB, mapped;
	u64 pages = allocated_pages();

	s->fail_map_pages_at = 3;
	KUNIT_EXPECT_EQ(test, iommu_map(d, iova, iova + 4 * GiB, size, RW,
					GFP_KERNEL), -ENOMEM);
	KUNIT_EXPECT_EQ(test, s->nr_map, 3U);
	expect_map_call(test, s, 2, GiB, 5 * GiB, GiB, 2);
	/* Two 4 KiB and two 2 MiB leaves, then one 1 GiB leaf of the two. */
	mapped = 2 * SZ_4K + 2 * SZ_2M + GiB;
	KUNIT_ASSERT_EQ(test, s->nr_unmap, 1U);
	KUNIT_EXPECT_EQ(test, s->unmap[0].iova, iova);
	KUNIT_EXPECT_EQ(test, s->unmap[0].pgsize * s->unmap[0].pgcount,
			mapped);
	expect_one_sync(test, s, iova, iova + size - 1);
	expect_empty(test, d);
	KUNIT_EXPECT_EQ(test, allocated_pages(), pages);

	/*
	 * Failing the first call, which mapped one of its two leaves: the
	 * core counts what a failing call reports as mapped, and undoes it.
	 */
	spy_reset(s);
	s->fail_map_pages_at = 1;
	KUNIT_EXPECT_EQ(test, iommu_map(d, SZ_1G, 4 * GiB, SZ_8K, RW,
					GFP_KERNEL), -ENOMEM);
	KUNIT_ASSERT_EQ(test, s->nr_unmap, 1U);
	KUNIT_EXPECT_EQ(test, s->unmap[0].pgsize * s->unmap[0].pgcount,
			(u64)SZ_4K);
	expect_one_sync(test, s, SZ_1G, SZ_1G + SZ_8K - 1);
	expect_empty(test, d);
}

/* map_range stopped by a mapping in its way: unwound the same way. */
static void iommu_ops_map_range_unwind(struct kunit *test)
{
	struct spy *s = spied_domain(test);
	struct iommu_domain *d = s->domain;
	struct physr_list list = PHYSR_LIST_INIT;
	unsigned int i;

	/* 100 scattered pages; the 61st's IOVA is taken. */
	for (i = 0; i < 100; i++)
		KUNIT_ASSERT_EQ(test, physr_list_append(&list,
				(u64)(900 - i) * SZ_8K, SZ_4K, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iommu_map(d, GiB + 60 * SZ_4K, 0, SZ_4K, RW,
					GFP_KERNEL), 0);
	spy_reset(s);
	KUNIT_EXPECT_EQ(test, iommu_map_physr(d, GiB, &list, RW, GFP_KERNEL),
			-EEXIST);
	KUNIT_EXPECT_EQ(test, s->nr_map_range, 1U);
	/* The driver gathered what it wrote before it stopped. */
	KUNIT_EXPECT_EQ(test, s->range_gather.start, GiB);
	KUNIT_EXPECT_EQ(test, s->range_gather.last, GiB + 60 * SZ_4K - 1);
	KUNIT_ASSERT_EQ(test, s->nr_unmap, 1U);
	KUNIT_EXPECT_EQ(test, s->unmap[0].iova, GiB);
	KUNIT_EXPECT_EQ(test, s->unmap[0].pgsize * s->unmap[0].pgcount,
			60ULL * SZ_4K);
	expect_one_sync(test, s, GiB, GiB + 100 * SZ_4K - 1);
	KUNIT_EXPECT_EQ(test, dstats(d).leaves[1], 1ULL);
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, GiB + 60 * SZ_4K, SZ_4K), 0);
	expect_empty(test, d);
	physr_list_destroy(&list);
}

/* ---- map_range over a mixed list -------------------------------------- */

/*
 * At a 1 GiB-aligned IOVA: a 1 GiB run (one 1 GiB leaf), 512 scattered
 * pages (a table of 4 KiB leaves, in bulk), three scattered 2 MiB folios
 * (2 MiB leaves, in bulk), a run of two 2 MiB leaves and three pages
 * (congruent modulo 2 MiB), seven more scattered pages, and a last page
 * of which only 100 bytes are in the list.
 */
#define MIXED_L1	(512 + 3 + 7 + 1)
#define MIXED_L2	(3 + 2)
#define MIXED_L3	1

static void mixed_append(struct kunit *test, struct physr_list *list,
			 phys_addr_t addr, u64 len)
{
	KUNIT_ASSERT_EQ(test, physr_list_append(list, addr, len, GFP_KERNEL),
			0);
}

static void build_mixed_list(struct kunit *test, struct physr_list *list)
{
	unsigned int i;

	mixed_append(test, list, 5 * GiB, GiB);
	for (i = 0; i < 512; i++)
		mixed_append(test, list, 8 * GiB - (i + 1) * SZ_8K, SZ_4K);
	for (i = 0; i < 3; i++)
		mixed_append(test, list, 9 * GiB + (5 - 2 * i) * SZ_2M, SZ_2M);
	mixed_append(test, list, 10 * GiB, 2 * SZ_2M + 3 * SZ_4K);
	for (i = 0; i < 7; i++)
		mixed_append(test, list, 11 * GiB + (i + 1) * SZ_8K, SZ_4K);
	mixed_append(test, list, 12 * GiB, 100);
}

static void gpu1_detach_action(void *d)
{
	struct pci_dev *gpu1 = pci_get_by_name("gpu1");

	iommu_detach_device(d, &gpu1->dev);
	pci_dev_put(gpu1);
}

/* The hardware's walk of @dev's context: where @iova goes, or ~0. */
static phys_addr_t hw_translate(struct device *dev, dma_addr_t iova)
{
	phys_addr_t pa;
	u64 contig;

	if (sim_iommu_translate(dev->iommu_unit, dev->rid, iova, false, &pa,
				&contig))
		return ~0ULL;
	return pa;
}

static void iommu_ops_map_range_mixed(struct kunit *test)
{
	struct spy *s = spied_domain(test);
	struct iommu_domain *d = s->domain;
	struct pci_dev *gpu1 = pci_test_dev(test, "gpu1");
	struct physr_list list = PHYSR_LIST_INIT;
	struct iommu_domain_stats st;
	struct physr_iter it;
	struct physr r;
	dma_addr_t iova = 2 * GiB, pos;
	u64 span, bad = 0;

	KUNIT_ASSERT_NOT_NULL(test, gpu1);
	KUNIT_ASSERT_EQ(test, iommu_attach_device(d, &gpu1->dev), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
				gpu1_detach_action, d), 0);
	build_mixed_list(test, &list);
	span = iommu_physr_iova_len(&list);
	KUNIT_EXPECT_EQ(test, span, GiB + (u64)MIXED_L1 * SZ_4K +
			MIXED_L2 * SZ_2M);

	spy_reset(s);
	KUNIT_ASSERT_EQ(test, iommu_map_physr(d, iova, &list, RW, GFP_KERNEL),
			0);
	KUNIT_EXPECT_EQ(test, s->nr_map_range, 1U);
	KUNIT_EXPECT_EQ(test, s->nr_map, 0U);
	expect_one_sync(test, s, iova, iova + span - 1);
	st = dstats(d);
	KUNIT_EXPECT_EQ(test, st.leaves[1], (u64)MIXED_L1);
	KUNIT_EXPECT_EQ(test, st.leaves[2], (u64)MIXED_L2);
	KUNIT_EXPECT_EQ(test, st.leaves[3], (u64)MIXED_L3);
	KUNIT_EXPECT_EQ(test, st.mapped_bytes, span);

	/* Each range's first and last byte, as the IOMMU walks the tables. */
	pos = iova;
	physr_for_each(&list, &it, &r) {
		if (hw_translate(&gpu1->dev, pos) != r.addr ||
		    hw_translate(&gpu1->dev, pos + r.len - 1) !=
		    r.addr + r.len - 1)
			bad++;
		pos += r.len;
	}
	KUNIT_EXPECT_EQ(test, bad, 0ULL);
	/* Nothing beyond the list's last page. */
	KUNIT_EXPECT_EQ(test, hw_translate(&gpu1->dev, iova + span), ~0ULL);
	iommu_poll_faults();

	spy_reset(s);
	KUNIT_EXPECT_EQ(test, iommu_unmap_physr(d, iova, &list), 0);
	expect_one_sync(test, s, iova, iova + span - 1);
	expect_empty(test, d);
	KUNIT_EXPECT_EQ(test, hw_translate(&gpu1->dev, iova), ~0ULL);
	iommu_poll_faults();
	physr_list_destroy(&list);
}

/* ---- allocation-failure injection over map_range --------------------- */

struct mixed_fail_ctx {
	struct kunit *test;
	struct spy *spy;
	struct physr_list list;
	dma_addr_t iova;
	u64 pages;
};

static int map_range_fail_op(void *arg)
{
	struct mixed_fail_ctx *c = arg;

	spy_reset(c->spy);
	return iommu_map_physr(c->spy->domain, c->iova, &c->list, RW,
			       GFP_KERNEL);
}

/*
 * After each failed round: nothing mapped, every table page returned,
 * and at most one iotlb_sync, there exactly when something had to be
 * undone (one unmap_pages).
 */
static bool map_range_fail_check(struct kunit *test, void *arg)
{
	struct mixed_fail_ctx *c = arg;
	struct iommu_domain_stats st = dstats(c->spy->domain);
	struct spy *s = c->spy;

	KUNIT_EXPECT_EQ(test, st.mapped_bytes, 0ULL);
	KUNIT_EXPECT_EQ(test, st.table_pages, 1ULL);
	KUNIT_EXPECT_EQ(test, allocated_pages(), c->pages);
	KUNIT_EXPECT_LE(test, s->nr_unmap, 1U);
	KUNIT_EXPECT_EQ(test, s->nr_sync, s->nr_unmap);
	return !st.mapped_bytes && st.table_pages == 1 &&
	       allocated_pages() == c->pages && s->nr_unmap <= 1 &&
	       s->nr_sync == s->nr_unmap;
}

static void iommu_ops_map_range_fail_nth(struct kunit *test)
{
	struct mixed_fail_ctx c = {
		.test = test,
		.spy = spied_domain(test),
		.list = PHYSR_LIST_INIT,
		/* Straddles a 512 GiB boundary: tables at every level. */
		.iova = (1ULL << 39) - GiB,
	};
	struct iommu_domain *d = c.spy->domain;
	int rounds;

	build_mixed_list(test, &c.list);
	c.pages = allocated_pages();
	rounds = kunit_fail_nth_check(test, map_range_fail_op,
				      map_range_fail_check, &c);
	/* It allocated exactly the tables it kept, one at a time. */
	KUNIT_EXPECT_GT(test, rounds, 0);
	KUNIT_EXPECT_EQ(test, (u64)rounds, dstats(d).table_pages - 1);
	KUNIT_EXPECT_EQ(test, dstats(d).leaves[3], (u64)MIXED_L3);
	KUNIT_EXPECT_EQ(test, dstats(d).leaves[2], (u64)MIXED_L2);
	KUNIT_EXPECT_EQ(test, dstats(d).leaves[1], (u64)MIXED_L1);
	KUNIT_EXPECT_EQ(test, iommu_unmap_physr(d, c.iova, &c.list), 0);
	expect_empty(test, d);
	KUNIT_EXPECT_EQ(test, allocated_pages(), c.pages);
	physr_list_destroy(&c.list);
}

static int iommu_ops_suite_init(struct kunit_suite *suite __always_unused)
{
	return machine_boot(NULL);
}

static void iommu_ops_suite_exit(struct kunit_suite *suite __always_unused)
{
	machine_shutdown();
}

static struct kunit_case iommu_ops_cases[] = {
	KUNIT_CASE(iommu_ops_map_pages_pieces),
	KUNIT_CASE(iommu_ops_one_sync_per_call),
	KUNIT_CASE(iommu_ops_map_unwind),
	KUNIT_CASE(iommu_ops_map_range_unwind),
	KUNIT_CASE(iommu_ops_map_range_mixed),
	KUNIT_CASE(iommu_ops_map_range_fail_nth),
	{}
};

static struct kunit_suite iommu_ops_suite = {
	.name = "iommu_ops",
	.suite_init = iommu_ops_suite_init,
	.suite_exit = iommu_ops_suite_exit,
	.test_cases = iommu_ops_cases,
};
kunit_test_suite(iommu_ops_suite);
