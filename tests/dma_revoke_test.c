// SPDX-License-Identifier: GPL-2.0
/*
 * dma_revoke_physr(): a mapping's memory taken away from its device while
 * its user still holds the state (docs/dma.md).  Through the IOMMU the
 * translations go and the IOVA stays reserved; bounced ranges keep their
 * slots and are never copied back; ranges reached by physical or bus
 * address cannot be taken away (-EBUSY).  The default board: in DMA
 * domains, and without an IOMMU.
 */
#include <linux/swiotlb.h>

#include "tests/dma_test.h"

/* The first DMA range of a mapping. */
static struct dma_range dma_revoke_first(const struct dma_map_state *st)
{
	struct dma_list_iter di;
	struct dma_range r = {};

	dma_list_for_each(&st->dma, &di, &r)
		break;
	return r;
}

/*
 * Through the IOMMU: the device faults, the page table maps what it did
 * before the mapping, the IOVA and the DMA list stay until the unmap,
 * which frees the IOVA and unmaps nothing twice.
 */
static void dma_revoke_iommu(struct kunit *test)
{
	struct device *gpu1 = dma_test_dev(test, "gpu1");
	struct iommu_domain *d = iommu_get_domain_for_dev(gpu1);
	struct dma_test_buf *b = dma_test_buf(test, SZ_64K, MM_LAYOUT_PAGE_4K,
					      GFP_KERNEL, 5);
	u64 mapped = dma_test_mapped(d), iova = iova_allocated_bytes(&d->iovad);
	u8 *cpu = dma_test_cpu_fill(test, &b->list, 5);
	u8 *got = dma_test_alloc(test, SZ_64K);
	struct dma_map_state st;
	struct dma_range first;

	KUNIT_ASSERT_EQ(test, dma_map_physr(gpu1, &b->list, DMA_BIDIRECTIONAL,
					    0, &st), 0);
	dma_test_expect_dev_reads(test, gpu1, &st.dma, cpu, SZ_64K);
	first = dma_revoke_first(&st);

	KUNIT_EXPECT_EQ(test, dma_revoke_physr(gpu1, &st), 0);
	KUNIT_EXPECT_EQ(test, dma_test_mapped(d), mapped);
	KUNIT_EXPECT_EQ(test, iova_allocated_bytes(&d->iovad), iova + SZ_64K);
	KUNIT_EXPECT_EQ(test, dma_revoke_first(&st).addr, first.addr);
	KUNIT_EXPECT_EQ(test, dma_list_len(&st.dma), SZ_64K);
	KUNIT_EXPECT_EQ(test, dma_test_dev_io(gpu1, &st.dma, got, false),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, iommu_poll_faults(), 1U);
	dma_test_expect_reports(test, DMA_DEBUG_ACCESS_UNMAPPED, 1, NULL);
	/* Syncs do nothing; a second revoke is refused. */
	dma_sync_physr_for_cpu(gpu1, &st, DMA_BIDIRECTIONAL);
	KUNIT_EXPECT_EQ(test, dma_revoke_physr(gpu1, &st), -EINVAL);

	dma_unmap_physr(gpu1, &st, DMA_BIDIRECTIONAL, 0);
	dma_test_flush_iova_caches();
	KUNIT_EXPECT_EQ(test, iova_allocated_bytes(&d->iovad), iova);
	KUNIT_EXPECT_EQ(test, dma_test_mapped(d), mapped);
	KUNIT_EXPECT_EQ(test, dma_debug_nr_live(gpu1), 0);
}

static u64 dma_revoke_provider_mappings(struct p2pdma_provider *p)
{
	struct p2pdma_provider_stats s;

	p2pdma_provider_get_stats(p, &s);
	return s.mappings;
}

/*
 * P2P memory by bus address: no translation to remove.  The provider is
 * let go of at the revoke (its device may be removed), not at the unmap.
 */
static void dma_revoke_bus_addr(struct kunit *test)
{
	struct device *nic = dma_test_dev(test, "nic");
	struct p2pdma_provider *p = dma_test_p2p_provider(test, 2);
	struct physr_list *list = dma_test_list(test);
	struct dma_map_state st;
	u64 held;

	KUNIT_ASSERT_EQ(test, physr_list_append_p2p(list, p, p->base, SZ_16K,
						    GFP_KERNEL), 0);
	held = dma_revoke_provider_mappings(p);
	KUNIT_ASSERT_EQ(test, dma_map_physr(nic, list, DMA_TO_DEVICE, 0, &st),
			0);
	KUNIT_EXPECT_EQ(test, dma_revoke_provider_mappings(p), held + 1);
	KUNIT_EXPECT_EQ(test, dma_revoke_first(&st).addr,
			p2pdma_bus_addr(p, p->base));
	KUNIT_EXPECT_EQ(test, dma_revoke_physr(nic, &st), -EBUSY);
	KUNIT_EXPECT_EQ(test, dma_revoke_provider_mappings(p), held);
	dma_unmap_physr(nic, &st, DMA_TO_DEVICE, 0);
	KUNIT_EXPECT_EQ(test, dma_revoke_provider_mappings(p), held);
	KUNIT_EXPECT_EQ(test, dma_debug_nr_live(nic), 0);
}

/* A state that is not mapped: -EINVAL, reported. */
static void dma_revoke_not_mapped(struct kunit *test)
{
	struct device *gpu1 = dma_test_dev(test, "gpu1");
	struct dma_map_state st = {};

	KUNIT_EXPECT_EQ(test, dma_revoke_physr(gpu1, &st), -EINVAL);
	dma_test_expect_reports(test, DMA_DEBUG_NOT_MAPPED, 1, NULL);
}

static struct kunit_case dma_revoke_iommu_cases[] = {
	KUNIT_CASE(dma_revoke_iommu),
	KUNIT_CASE(dma_revoke_bus_addr),
	KUNIT_CASE(dma_revoke_not_mapped),
	{}
};

DEFINE_DMA_TEST_SUITE(dma_revoke_iommu_suite, "dma_revoke_iommu",
		      dma_test_suite_init_dma, dma_revoke_iommu_cases);

/*
 * Bounced: the device reaches only the slots, which stay reserved; what
 * it writes after the revoke never reaches the CPU's buffer, at sync or
 * at unmap (its memory may belong to someone else by then).
 */
static void dma_revoke_bounced(struct kunit *test)
{
	struct device *sata = dma_test_dev(test, "sata");
	struct dma_test_buf *b = dma_test_buf(test, SZ_16K, MM_LAYOUT_PAGE_4K,
					      GFP_KERNEL, 9);
	u8 *cpu = dma_test_cpu_fill(test, &b->list, 9);
	struct swiotlb_stats s;
	struct dma_map_state st;

	KUNIT_ASSERT_GT(test, page_to_phys(b->mb->pages[0]), DMA_BIT_MASK(32));
	KUNIT_ASSERT_EQ(test, dma_map_physr(sata, &b->list, DMA_FROM_DEVICE, 0,
					    &st), 0);
	KUNIT_EXPECT_TRUE(test, is_swiotlb_buffer(dma_revoke_first(&st).addr));

	KUNIT_EXPECT_EQ(test, dma_revoke_physr(sata, &st), 0);
	dma_test_dev_fill(test, sata, &st.dma, 77);
	dma_test_expect_reports(test, DMA_DEBUG_ACCESS_UNMAPPED,
				dma_list_nr_ranges(&st.dma), NULL);
	dma_sync_physr_for_cpu(sata, &st, DMA_FROM_DEVICE);
	dma_test_expect_cpu_reads(test, &b->list, cpu);
	swiotlb_get_stats(&s);
	KUNIT_EXPECT_EQ(test, s.used, SZ_16K / IO_TLB_SIZE);

	dma_unmap_physr(sata, &st, DMA_FROM_DEVICE, 0);
	dma_test_expect_cpu_reads(test, &b->list, cpu);
	swiotlb_get_stats(&s);
	KUNIT_EXPECT_EQ(test, s.used, 0);
}

/* RAM by physical address: nothing can be taken away. */
static void dma_revoke_direct_ram(struct kunit *test)
{
	struct device *gpu1 = dma_test_dev(test, "gpu1");
	struct dma_test_buf *b = dma_test_buf(test, SZ_16K, MM_LAYOUT_PAGE_4K,
					      GFP_KERNEL, 4);
	struct dma_map_state st;

	KUNIT_ASSERT_EQ(test, dma_dev_path(gpu1), DMA_PATH_DIRECT);
	KUNIT_ASSERT_EQ(test, dma_map_physr(gpu1, &b->list, DMA_TO_DEVICE, 0,
					    &st), 0);
	KUNIT_EXPECT_EQ(test, dma_revoke_physr(gpu1, &st), -EBUSY);
	dma_unmap_physr(gpu1, &st, DMA_TO_DEVICE, 0);
	KUNIT_EXPECT_EQ(test, dma_debug_nr_live(gpu1), 0);
}

static struct kunit_case dma_revoke_direct_cases[] = {
	KUNIT_CASE(dma_revoke_bounced),
	KUNIT_CASE(dma_revoke_direct_ram),
	{}
};

DEFINE_DMA_TEST_SUITE(dma_revoke_direct_suite, "dma_revoke_direct",
		      dma_test_suite_init_no_iommu, dma_revoke_direct_cases);

kunit_test_suites(&dma_revoke_iommu_suite, &dma_revoke_direct_suite);
