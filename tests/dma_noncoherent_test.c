// SPDX-License-Identifier: GPL-2.0
/*
 * Non-coherent devices (sim/cache.h): the DMA API's sync calls do the
 * cache maintenance, and a missing one shows as wrong bytes, as on
 * hardware.
 *
 * The board is the default one with GPU1 and SATA marked non-coherent,
 * booted with identity domains (direct path; SATA bounces high memory)
 * and with DMA domains (IOMMU path, and the IOVA API).
 *
 *  - the device reads what the CPU wrote once it was cleaned (map, sync
 *    for the device); without that sync it reads stale memory, and the
 *    machine's coherency checker makes the sanitizer report it;
 *  - the CPU reads what the device wrote once its cache is invalidated
 *    (unmap, sync for the CPU); without that it reads its stale cache;
 *  - a device touching a buffer the CPU owns is a missing sync too.
 */
#include <linux/swiotlb.h>

#include "sim/cache.h"
#include "tests/dma_test.h"

static struct pci_test_board dma_nc_board;

static int dma_nc_boot(unsigned int domain_type)
{
	pci_test_board_default(&dma_nc_board);
	pci_test_node(&dma_nc_board, "gpu1")->dma_noncoherent = true;
	pci_test_node(&dma_nc_board, "sata")->dma_noncoherent = true;
	return dma_test_boot(&dma_nc_board, domain_type);
}

static int dma_nc_direct_suite_init(struct kunit_suite *suite __always_unused)
{
	return dma_nc_boot(IOMMU_DOMAIN_IDENTITY);
}

static int dma_nc_iommu_suite_init(struct kunit_suite *suite __always_unused)
{
	return dma_nc_boot(IOMMU_DOMAIN_DMA);
}

static void dma_nc_firmware(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, dev_is_dma_coherent(dma_test_dev(test, "gpu1")));
	KUNIT_EXPECT_FALSE(test, dev_is_dma_coherent(dma_test_dev(test, "sata")));
	KUNIT_EXPECT_TRUE(test, dev_is_dma_coherent(dma_test_dev(test, "gpu0")));
}

/*
 * Every sync in its place, then each one left out in turn: the bytes
 * show it, and the sanitizer reports the device's stale read.  A bounced
 * mapping (@bounced) shows the missing sync as stale bytes too, but they
 * are stale because nothing copied them to the slots, which the CPU did
 * clean: no cache line is stale, and no report is made.  noinline: the
 * report names this function as the one that mapped, which it would not
 * be once inlined into each case.
 */
static noinline void dma_nc_syncs(struct kunit *test, const char *name,
				  gfp_t gfp, bool bounced)
{
	struct device *dev = dma_test_dev(test, name);
	const u64 len = 4 * SZ_4K;
	struct dma_debug_report rep;
	struct sim_cache_stats cs0, cs1;
	struct dma_test_buf *b;
	struct dma_map_state st;
	u8 *a, *c, *chk;

	b = dma_test_buf(test, len, MM_LAYOUT_PAGE_4K, gfp, 51);
	a = dma_test_alloc(test, len);
	c = dma_test_alloc(test, len);
	chk = dma_test_alloc(test, len);

	/* The CPU writes, maps: the map cleans; the device reads it. */
	dma_test_fill(a, len, 1);
	KUNIT_ASSERT_EQ(test, dma_test_cpu_list_io(&b->list, a, true), 0);
	KUNIT_ASSERT_EQ(test, dma_map_physr(dev, &b->list, DMA_BIDIRECTIONAL, 0,
					    &st), 0);
	KUNIT_EXPECT_EQ(test, dma_test_dev_io(dev, &st.dma, chk, false), 0);
	KUNIT_EXPECT_MEMEQ(test, chk, a, len);

	/* The CPU writes again and forgets to sync: the device reads stale. */
	sim_cache_stats_get(&cs0);
	dma_test_fill(c, len, 2);
	KUNIT_ASSERT_EQ(test, dma_test_cpu_list_io(&b->list, c, true), 0);
	KUNIT_EXPECT_EQ(test, dma_test_dev_io(dev, &st.dma, chk, false), 0);
	KUNIT_EXPECT_MEMEQ(test, chk, a, len);
	sim_cache_stats_get(&cs1);
	if (!bounced) {
		KUNIT_EXPECT_EQ(test, cs1.stale_reads - cs0.stale_reads,
				len / SIM_CACHE_LINE);
		/* One checker record per page read. */
		dma_test_expect_reports(test, DMA_DEBUG_MISSING_SYNC, 4, &rep);
		dma_test_expect_caller(test, rep.site, "dma_nc_syncs");
	} else {
		KUNIT_EXPECT_EQ(test, cs1.stale_reads, cs0.stale_reads);
	}

	/* With the sync, it reads the new bytes. */
	dma_sync_physr_for_device(dev, &st, DMA_BIDIRECTIONAL);
	KUNIT_EXPECT_EQ(test, dma_test_dev_io(dev, &st.dma, chk, false), 0);
	KUNIT_EXPECT_MEMEQ(test, chk, c, len);

	/* The device writes; the CPU reads its stale cache until synced. */
	dma_test_fill(a, len, 3);
	KUNIT_EXPECT_EQ(test, dma_test_dev_io(dev, &st.dma, a, true), 0);
	KUNIT_EXPECT_EQ(test, dma_test_cpu_list_io(&b->list, chk, false), 0);
	KUNIT_EXPECT_MEMEQ(test, chk, c, len);
	dma_sync_physr_for_cpu(dev, &st, DMA_BIDIRECTIONAL);
	KUNIT_EXPECT_EQ(test, dma_test_cpu_list_io(&b->list, chk, false), 0);
	KUNIT_EXPECT_MEMEQ(test, chk, a, len);

	/* The CPU owns it now: each device access is a missing sync. */
	KUNIT_EXPECT_EQ(test, dma_test_dev_io(dev, &st.dma, chk, false), 0);
	dma_test_expect_reports(test, DMA_DEBUG_MISSING_SYNC,
				dma_list_nr_ranges(&st.dma), NULL);

	/* Back to the device; it writes; unmap hands it to the CPU. */
	dma_sync_physr_for_device(dev, &st, DMA_BIDIRECTIONAL);
	dma_test_fill(a, len, 4);
	KUNIT_EXPECT_EQ(test, dma_test_dev_io(dev, &st.dma, a, true), 0);
	dma_unmap_physr(dev, &st, DMA_BIDIRECTIONAL, 0);
	KUNIT_EXPECT_EQ(test, dma_test_cpu_list_io(&b->list, chk, false), 0);
	KUNIT_EXPECT_MEMEQ(test, chk, a, len);
}

static void dma_nc_gpu1(struct kunit *test)
{
	dma_nc_syncs(test, "gpu1", GFP_KERNEL, false);
}

/* SATA: the bounce slots are what gets cleaned and invalidated. */
static void dma_nc_sata(struct kunit *test)
{
	KUNIT_ASSERT_EQ(test, dma_dev_path(dma_test_dev(test, "sata")),
			DMA_PATH_BYPASS);
	dma_nc_syncs(test, "sata", GFP_KERNEL, true);
}

/* FROM_DEVICE: the device writes a part; the rest stays as it was. */
static void dma_nc_from_device(struct kunit *test)
{
	struct device *dev = dma_test_dev(test, "gpu1");
	struct dma_test_buf *b;
	struct dma_map_state st;
	u8 old[SZ_4K], new[256], chk[SZ_4K];

	b = dma_test_buf(test, SZ_4K, MM_LAYOUT_PAGE_4K, GFP_KERNEL, 52);
	memset(old, 0x33, sizeof(old));
	KUNIT_ASSERT_EQ(test, dma_test_cpu_list_io(&b->list, old, true), 0);
	KUNIT_ASSERT_EQ(test, dma_map_physr(dev, &b->list, DMA_FROM_DEVICE, 0,
					    &st), 0);
	memset(new, 0xcc, sizeof(new));
	KUNIT_EXPECT_EQ(test, sim_dma_write(dev->rid,
			dma_list_first_addr(&st.dma) + 512, new, sizeof(new)), 0);
	dma_unmap_physr(dev, &st, DMA_FROM_DEVICE, 0);
	KUNIT_EXPECT_EQ(test, dma_test_cpu_list_io(&b->list, chk, false), 0);
	memcpy(old + 512, new, sizeof(new));
	KUNIT_EXPECT_MEMEQ(test, chk, old, sizeof(old));
}

/*
 * A sync with no direction (DMA_NONE) does nothing: the CPU still sees
 * its stale cache, the device still owns the buffer (its accesses are
 * no missing sync).  Unmap with DMA_NONE unmaps by the mapping's own
 * direction.  Both are reported as mismatches.
 */
static void dma_nc_dma_none(struct kunit *test)
{
	struct device *dev = dma_test_dev(test, "gpu1");
	const u64 len = 2 * SZ_4K;
	struct dma_debug_report rep;
	struct dma_test_buf *b;
	struct dma_map_state st;
	u8 *old, *new, *chk;

	b = dma_test_buf(test, len, MM_LAYOUT_PAGE_4K, GFP_KERNEL, 54);
	old = dma_test_alloc(test, len);
	new = dma_test_alloc(test, len);
	chk = dma_test_alloc(test, len);
	dma_test_fill(old, len, 7);
	dma_test_fill(new, len, 8);
	KUNIT_ASSERT_EQ(test, dma_test_cpu_list_io(&b->list, old, true), 0);
	KUNIT_ASSERT_EQ(test, dma_map_physr(dev, &b->list, DMA_BIDIRECTIONAL, 0,
					    &st), 0);
	KUNIT_EXPECT_EQ(test, dma_test_dev_io(dev, &st.dma, new, true), 0);

	dma_sync_physr_for_cpu(dev, &st, DMA_NONE);
	dma_test_expect_reports(test, DMA_DEBUG_MISMATCH, 1, &rep);
	dma_test_expect_caller(test, rep.caller, "dma_nc_dma_none");
	KUNIT_EXPECT_EQ(test, dma_test_cpu_list_io(&b->list, chk, false), 0);
	KUNIT_EXPECT_MEMEQ(test, chk, old, len);	/* not invalidated */
	KUNIT_EXPECT_EQ(test, dma_test_dev_io(dev, &st.dma, chk, false), 0);
	dma_test_expect_reports(test, DMA_DEBUG_MISSING_SYNC, 0, NULL);
	KUNIT_EXPECT_MEMEQ(test, chk, new, len);

	dma_unmap_physr(dev, &st, DMA_NONE, 0);
	dma_test_expect_reports(test, DMA_DEBUG_MISMATCH, 1, NULL);
	KUNIT_EXPECT_FALSE(test, dma_map_state_mapped(&st));
	KUNIT_EXPECT_EQ(test, dma_test_cpu_list_io(&b->list, chk, false), 0);
	KUNIT_EXPECT_MEMEQ(test, chk, new, len);	/* invalidated */
}

/*
 * A range without a provider that is not RAM (the hole below 4 GiB, a
 * BAR, past the end of RAM) has no cache lines the DMA API could
 * maintain: a non-coherent device's mapping of it is refused (-EINVAL),
 * alone or after RAM, with no cache instruction issued and nothing
 * mapped; so is a link of it on the IOMMU path.
 */
static void dma_nc_not_ram(struct kunit *test)
{
	const phys_addr_t bad[] = {
		0xd0000000, pci_resource_start(pci_test_dev(test, "gpu0"), 2),
		10ULL << 30,
	};
	struct device *dev = dma_test_dev(test, "gpu1");
	struct sim_cache_stats cs0, cs1;
	struct dma_iova_state iova;
	struct dma_map_state st;
	struct dma_test_buf *b;
	struct physr_view v;
	unsigned int i;

	b = dma_test_buf(test, SZ_4K, MM_LAYOUT_PAGE_4K, GFP_KERNEL, 56);
	for (i = 0; i < 2 * ARRAY_SIZE(bad); i++) {
		struct physr_list *list = dma_test_list(test);

		if (i & 1)
			KUNIT_ASSERT_EQ(test, physr_list_append(list,
					page_to_phys(b->mb->pages[0]), SZ_4K,
								GFP_KERNEL), 0);
		KUNIT_ASSERT_EQ(test, physr_list_append(list, bad[i / 2],
							SZ_4K, GFP_KERNEL), 0);
		sim_cache_stats_get(&cs0);
		memset(&st, 0xa5, sizeof(st));
		KUNIT_EXPECT_EQ(test, dma_map_physr(dev, list, DMA_TO_DEVICE, 0,
						    &st), -EINVAL);
		sim_cache_stats_get(&cs1);
		KUNIT_EXPECT_EQ(test, cs1.cleans, cs0.cleans);
		KUNIT_EXPECT_FALSE(test, dma_map_state_mapped(&st));

		if (dma_dev_path(dev) != DMA_PATH_IOMMU)
			continue;
		KUNIT_ASSERT_EQ(test, physr_list_slice(list, 0,
				physr_list_len(list), &v), 0);
		KUNIT_ASSERT_TRUE(test, dma_iova_try_alloc(dev, &iova, 0,
							   physr_list_len(list)));
		KUNIT_EXPECT_EQ(test, dma_iova_link_physr(dev, &iova, &v, 0,
				DMA_TO_DEVICE, 0), -EINVAL);
		dma_iova_free(dev, &iova);
	}
	KUNIT_EXPECT_EQ(test, dma_debug_nr_live(dev), 0);
}

static struct kunit_case dma_nc_direct_cases[] = {
	KUNIT_CASE(dma_nc_firmware),
	KUNIT_CASE(dma_nc_gpu1),
	KUNIT_CASE(dma_nc_sata),
	KUNIT_CASE(dma_nc_from_device),
	KUNIT_CASE(dma_nc_dma_none),
	KUNIT_CASE(dma_nc_not_ram),
	{}
};

DEFINE_DMA_TEST_SUITE(dma_nc_direct_suite, "dma_noncoherent_direct",
		      dma_nc_direct_suite_init, dma_nc_direct_cases);

/* The IOVA API cleans on link and invalidates on unlink. */
static void dma_nc_iova(struct kunit *test)
{
	struct device *dev = dma_test_dev(test, "gpu1");
	struct dma_iova_state st;
	struct dma_test_buf *b;
	phys_addr_t p;
	u8 a[SZ_4K], chk[SZ_4K];

	b = dma_test_buf(test, SZ_4K, MM_LAYOUT_PAGE_4K, GFP_KERNEL, 53);
	p = page_to_phys(b->mb->pages[0]);
	dma_test_fill(a, sizeof(a), 5);
	KUNIT_ASSERT_EQ(test, sim_cpu_write(p, a, sizeof(a)), 0);
	KUNIT_ASSERT_TRUE(test, dma_iova_try_alloc(dev, &st, p, SZ_4K));
	KUNIT_ASSERT_EQ(test, dma_iova_link(dev, &st, p, 0, SZ_4K,
					    DMA_BIDIRECTIONAL, 0), 0);
	KUNIT_ASSERT_EQ(test, dma_iova_sync(dev, &st, 0, SZ_4K), 0);
	KUNIT_EXPECT_EQ(test, sim_dma_read(dev->rid, st.addr, chk, SZ_4K), 0);
	KUNIT_EXPECT_MEMEQ(test, chk, a, SZ_4K);
	dma_test_fill(a, sizeof(a), 6);
	KUNIT_EXPECT_EQ(test, sim_dma_write(dev->rid, st.addr, a, SZ_4K), 0);
	dma_iova_destroy(dev, &st, SZ_4K, DMA_BIDIRECTIONAL, 0);
	KUNIT_EXPECT_EQ(test, sim_cpu_read(p, chk, SZ_4K), 0);
	KUNIT_EXPECT_MEMEQ(test, chk, a, SZ_4K);
}

/*
 * Unlink hands a link to the CPU: it invalidates that link's lines, and
 * only those, so the CPU sees what the device wrote there.
 */
static void dma_nc_iova_unlink(struct kunit *test)
{
	struct device *dev = dma_test_dev(test, "gpu1");
	struct dma_iova_state st;
	struct dma_test_buf *b;
	phys_addr_t p0, p1;
	u8 old[SZ_4K], new[2 * SZ_4K], chk[SZ_4K];

	b = dma_test_buf(test, 2 * SZ_4K, MM_LAYOUT_PAGE_4K, GFP_KERNEL, 55);
	p0 = page_to_phys(b->mb->pages[0]);
	p1 = page_to_phys(b->mb->pages[1]);
	memset(old, 0x3c, sizeof(old));
	KUNIT_ASSERT_EQ(test, sim_cpu_write(p0, old, SZ_4K), 0);
	KUNIT_ASSERT_EQ(test, sim_cpu_write(p1, old, SZ_4K), 0);
	KUNIT_ASSERT_TRUE(test, dma_iova_try_alloc(dev, &st, p0, 2 * SZ_4K));
	KUNIT_ASSERT_EQ(test, dma_iova_link(dev, &st, p0, 0, SZ_4K,
					    DMA_FROM_DEVICE, 0), 0);
	KUNIT_ASSERT_EQ(test, dma_iova_link(dev, &st, p1, SZ_4K, SZ_4K,
					    DMA_FROM_DEVICE, 0), 0);
	KUNIT_ASSERT_EQ(test, dma_iova_sync(dev, &st, 0, 2 * SZ_4K), 0);
	dma_test_fill(new, sizeof(new), 9);
	KUNIT_EXPECT_EQ(test, sim_dma_write(dev->rid, st.addr, new,
					    sizeof(new)), 0);

	dma_iova_unlink(dev, &st, 0, SZ_4K, DMA_FROM_DEVICE, 0);
	KUNIT_EXPECT_EQ(test, sim_cpu_read(p0, chk, SZ_4K), 0);
	KUNIT_EXPECT_MEMEQ(test, chk, new, SZ_4K);
	KUNIT_EXPECT_EQ(test, sim_cpu_read(p1, chk, SZ_4K), 0);
	KUNIT_EXPECT_MEMEQ(test, chk, old, SZ_4K);	/* still the device's */

	dma_iova_unlink(dev, &st, SZ_4K, SZ_4K, DMA_FROM_DEVICE, 0);
	KUNIT_EXPECT_EQ(test, sim_cpu_read(p1, chk, SZ_4K), 0);
	KUNIT_EXPECT_MEMEQ(test, chk, new + SZ_4K, SZ_4K);
	dma_iova_free(dev, &st);
}

static struct kunit_case dma_nc_iommu_cases[] = {
	KUNIT_CASE(dma_nc_gpu1),
	KUNIT_CASE(dma_nc_from_device),
	KUNIT_CASE(dma_nc_iova),
	KUNIT_CASE(dma_nc_iova_unlink),
	KUNIT_CASE(dma_nc_not_ram),
	{}
};

DEFINE_DMA_TEST_SUITE(dma_nc_iommu_suite, "dma_noncoherent_iommu",
		      dma_nc_iommu_suite_init, dma_nc_iommu_cases);

kunit_test_suites(&dma_nc_direct_suite, &dma_nc_iommu_suite);
