// SPDX-License-Identifier: GPL-2.0
/*
 * dma_map_physr() of P2P memory and of mixed lists, end to end: a device
 * writes into another device's BAR through the DMA API, and the bytes are
 * read back by the CPU at the BAR.
 *
 * On the default board (docs/machine.md): the NIC reaches GPU0's BARs by
 * bus address across the switch (the IOMMU never sees it); GPU1 reaches
 * them through the host bridge (an IOVA on the IOMMU path, the CPU
 * address without an IOMMU); with the host bridge off the P2P allowlist
 * GPU1 may not reach them at all (-EREMOTEIO).  Mixed lists of RAM and
 * BAR memory keep their order in the DMA list.
 */
#include "tests/dma_test.h"

#define HB_VENDOR	0x5ca1
#define HB_DEVICE	0x0100

static void dma_p2p_put(void *p)
{
	p2pdma_provider_destroy(p);
}

/* The first 16 MiB of GPU0's BAR2, as P2P memory, until the case ends. */
static struct p2pdma_provider *dma_p2p_provider(struct kunit *test, int bar)
{
	struct p2pdma_provider *p;

	p = p2pdma_provider_create(pci_get_by_name("gpu0"), bar, 0, SZ_16M);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, dma_p2p_put, p),
			0);
	return p;
}

static void dma_p2p_list_free(void *arg)
{
	physr_list_destroy(arg);
}

static struct physr_list *dma_p2p_list(struct kunit *test)
{
	struct physr_list *l = kunit_kzalloc(test, sizeof(*l), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, l);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, dma_p2p_list_free,
							l), 0);
	return l;
}

static void dma_p2p_allowlist_restore(void *arg __always_unused)
{
	pci_p2pdma_allowlist_add(HB_VENDOR, HB_DEVICE);
}

/*
 * @dev writes a pattern through its mapping of @list, the CPU checks it
 * at the physical ranges; then the CPU writes and the device reads.
 */
static void dma_p2p_bytes(struct kunit *test, struct device *dev,
			  const struct physr_list *list,
			  struct dma_map_state *st, u8 seed)
{
	u64 len = physr_list_len(list);
	u8 *src = dma_test_alloc(test, len), *dst = dma_test_alloc(test, len);

	dma_test_fill(src, len, seed);
	KUNIT_EXPECT_EQ(test, dma_test_dev_io(dev, &st->dma, src, true), 0);
	dma_sync_physr_for_cpu(dev, st, DMA_BIDIRECTIONAL);
	KUNIT_EXPECT_EQ(test, dma_test_cpu_list_io(list, dst, false), 0);
	KUNIT_EXPECT_MEMEQ(test, dst, src, len);

	dma_test_fill(src, len, seed + 1);
	KUNIT_EXPECT_EQ(test, dma_test_cpu_list_io(list, src, true), 0);
	dma_sync_physr_for_device(dev, st, DMA_BIDIRECTIONAL);
	KUNIT_EXPECT_EQ(test, dma_test_dev_io(dev, &st->dma, dst, false), 0);
	KUNIT_EXPECT_MEMEQ(test, dst, src, len);
}

/* ---- with an IOMMU -------------------------------------------------------- */

static int dma_p2p_iommu_suite_init(struct kunit_suite *suite __always_unused)
{
	return dma_test_boot(NULL, IOMMU_DOMAIN_DMA);
}

static void dma_p2p_suite_exit(struct kunit_suite *suite __always_unused)
{
	dma_test_shutdown();
}

/* NIC -> GPU0's BAR: the bus address, never the IOMMU. */
static void dma_p2p_bus_addr(struct kunit *test)
{
	struct p2pdma_provider *p = dma_p2p_provider(test, 2);
	struct device *nic = dma_test_dev(test, "nic");
	struct iommu_domain *d = iommu_get_domain_for_dev(nic);
	struct physr_list *list = dma_p2p_list(test);
	struct iommu_domain_stats before, after;
	struct sim_dma_stats s0, s1;
	struct dma_map_state st;

	KUNIT_ASSERT_EQ(test, physr_list_append_p2p(list, p, p->base + SZ_64K,
						    SZ_128K), 0);
	iommu_domain_get_stats(d, &before);
	KUNIT_ASSERT_EQ(test, dma_map_physr(nic, list, DMA_BIDIRECTIONAL, 0,
					    &st), 0);
	iommu_domain_get_stats(d, &after);
	KUNIT_EXPECT_EQ(test, after.mapped_bytes, before.mapped_bytes);
	KUNIT_EXPECT_EQ(test, after.iotlb_flushes, before.iotlb_flushes);
	KUNIT_EXPECT_EQ(test, iova_allocated_bytes(&d->iovad), 0);
	KUNIT_EXPECT_EQ(test, dma_list_first_addr(&st.dma),
			pci_bus_address(pci_get_by_name("gpu0"), 2) + SZ_64K);
	KUNIT_EXPECT_EQ(test, dma_list_len(&st.dma), SZ_128K);

	sim_dma_stats_get(&s0);
	dma_p2p_bytes(test, nic, list, &st, 5);
	sim_dma_stats_get(&s1);
	KUNIT_EXPECT_EQ(test, s1.p2p - s0.p2p, 2 * SZ_128K / SZ_4K);
	KUNIT_EXPECT_EQ(test, s1.root_complex, s0.root_complex);
	dma_unmap_physr(nic, &st, DMA_BIDIRECTIONAL, 0);
}

/* GPU1 -> GPU0's BAR: up through the host bridge, an IOVA like RAM. */
static void dma_p2p_host_bridge(struct kunit *test)
{
	struct p2pdma_provider *p = dma_p2p_provider(test, 2);
	struct device *gpu1 = dma_test_dev(test, "gpu1");
	struct iommu_domain *d = iommu_get_domain_for_dev(gpu1);
	struct physr_list *list = dma_p2p_list(test);
	struct iommu_domain_stats before, after;
	struct sim_dma_stats s0, s1;
	struct dma_map_state st;

	KUNIT_ASSERT_EQ(test, physr_list_append_p2p(list, p, p->base, SZ_64K),
			0);
	iommu_domain_get_stats(d, &before);
	KUNIT_ASSERT_EQ(test, dma_map_physr(gpu1, list, DMA_BIDIRECTIONAL, 0,
					    &st), 0);
	iommu_domain_get_stats(d, &after);
	KUNIT_EXPECT_EQ(test, after.mapped_bytes - before.mapped_bytes,
			SZ_64K);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(d, dma_list_first_addr(&st.dma)),
			p->base);

	sim_dma_stats_get(&s0);
	dma_p2p_bytes(test, gpu1, list, &st, 9);
	sim_dma_stats_get(&s1);
	KUNIT_EXPECT_EQ(test, s1.host_bridge_p2p - s0.host_bridge_p2p,
			2 * SZ_64K / SZ_4K);
	KUNIT_EXPECT_EQ(test, s1.p2p, s0.p2p);
	dma_unmap_physr(gpu1, &st, DMA_BIDIRECTIONAL, 0);
}

/* Off the allowlist the host bridge is not trusted: -EREMOTEIO. */
static void dma_p2p_refused(struct kunit *test)
{
	struct p2pdma_provider *p = dma_p2p_provider(test, 2);
	struct device *gpu1 = dma_test_dev(test, "gpu1");
	struct device *nic = dma_test_dev(test, "nic");
	struct iommu_domain *d = iommu_get_domain_for_dev(gpu1);
	struct physr_list *list = dma_p2p_list(test);
	struct iommu_domain_stats before, after;
	struct dma_test_buf *b;
	struct dma_map_state st;

	b = dma_test_buf(test, SZ_8K, MM_LAYOUT_PAGE_4K, GFP_KERNEL, 1);
	KUNIT_ASSERT_EQ(test, physr_list_append(list,
			page_to_phys(b->mb->pages[0]), SZ_4K), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append_p2p(list, p, p->base, SZ_4K),
			0);
	KUNIT_ASSERT_EQ(test, pci_p2pdma_allowlist_remove(HB_VENDOR, HB_DEVICE),
			0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
			dma_p2p_allowlist_restore, NULL), 0);

	iommu_domain_get_stats(d, &before);
	KUNIT_EXPECT_EQ(test, dma_map_physr(gpu1, list, DMA_TO_DEVICE, 0, &st),
			-EREMOTEIO);
	iommu_domain_get_stats(d, &after);
	KUNIT_EXPECT_EQ(test, after.mapped_bytes, before.mapped_bytes);
	KUNIT_EXPECT_EQ(test, iova_allocated_bytes(&d->iovad), 0);
	KUNIT_EXPECT_EQ(test, dma_debug_nr_live(gpu1), 0);

	/* Below the switch, the allowlist does not matter. */
	KUNIT_ASSERT_EQ(test, dma_map_physr(nic, list, DMA_TO_DEVICE, 0, &st),
			0);
	KUNIT_EXPECT_EQ(test, dma_list_nr_ranges(&st.dma), 2);
	dma_unmap_physr(nic, &st, DMA_TO_DEVICE, 0);
}

/*
 * RAM, BAR, RAM, mapped for the NIC (BAR by bus address: the IOVA is cut
 * around it) and for GPU1 (everything through the IOMMU: one range), at
 * the same time; bytes both ways for both.
 */
static void dma_p2p_mixed(struct kunit *test)
{
	struct p2pdma_provider *p = dma_p2p_provider(test, 2);
	struct device *gpu1 = dma_test_dev(test, "gpu1");
	struct device *nic = dma_test_dev(test, "nic");
	struct physr_list *list = dma_p2p_list(test);
	struct dma_map_state st_nic, st_gpu;
	struct dma_range r[4];
	struct dma_list_iter di;
	struct dma_test_buf *b;
	dma_addr_t bar_bus;
	int n = 0, i;

	dma_test_save_limits(test, nic);
	dma_test_save_limits(test, gpu1);
	KUNIT_ASSERT_EQ(test, dma_set_max_seg_size(nic, UINT_MAX), 0);
	KUNIT_ASSERT_EQ(test, dma_set_max_seg_size(gpu1, UINT_MAX), 0);
	b = dma_test_buf(test, 4 * SZ_4K, MM_LAYOUT_PAGE_4K, GFP_KERNEL, 4);
	for (i = 0; i < 2; i++)
		KUNIT_ASSERT_EQ(test, physr_list_append(list,
				page_to_phys(b->mb->pages[i]), SZ_4K), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append_p2p(list, p, p->base + SZ_1M,
						    4 * SZ_4K), 0);
	for (i = 2; i < 4; i++)
		KUNIT_ASSERT_EQ(test, physr_list_append(list,
				page_to_phys(b->mb->pages[i]), SZ_4K), 0);
	bar_bus = p2pdma_bus_addr(p, p->base + SZ_1M);

	KUNIT_ASSERT_EQ(test, dma_map_physr(nic, list, DMA_BIDIRECTIONAL, 0,
					    &st_nic), 0);
	KUNIT_ASSERT_EQ(test, dma_map_physr(gpu1, list, DMA_BIDIRECTIONAL, 0,
					    &st_gpu), 0);

	dma_list_for_each(&st_nic.dma, &di, &r[n])
		if (++n == 4)
			break;
	KUNIT_ASSERT_EQ(test, n, 3);
	KUNIT_EXPECT_EQ(test, r[0].len, 2 * SZ_4K);
	KUNIT_EXPECT_EQ(test, r[1].addr, bar_bus);
	KUNIT_EXPECT_EQ(test, r[1].len, 4 * SZ_4K);
	KUNIT_EXPECT_EQ(test, r[2].addr, r[0].addr + 2 * SZ_4K);
	KUNIT_EXPECT_EQ(test, r[2].len, 2 * SZ_4K);
	KUNIT_EXPECT_EQ(test, dma_list_nr_ranges(&st_gpu.dma), 1);
	KUNIT_EXPECT_EQ(test, dma_list_len(&st_gpu.dma), 8 * SZ_4K);

	dma_p2p_bytes(test, nic, list, &st_nic, 20);
	dma_p2p_bytes(test, gpu1, list, &st_gpu, 40);
	dma_unmap_physr(gpu1, &st_gpu, DMA_BIDIRECTIONAL, 0);
	dma_unmap_physr(nic, &st_nic, DMA_BIDIRECTIONAL, 0);
}

static struct kunit_case dma_p2p_iommu_cases[] = {
	KUNIT_CASE(dma_p2p_bus_addr),
	KUNIT_CASE(dma_p2p_host_bridge),
	KUNIT_CASE(dma_p2p_refused),
	KUNIT_CASE(dma_p2p_mixed),
	{}
};

static struct kunit_suite dma_p2p_iommu_suite = {
	.name = "dma_p2p_iommu",
	.suite_init = dma_p2p_iommu_suite_init,
	.suite_exit = dma_p2p_suite_exit,
	.init = dma_test_init,
	.exit = dma_test_exit,
	.test_cases = dma_p2p_iommu_cases,
};

/* ---- without an IOMMU ----------------------------------------------------- */

static struct pci_test_board dma_p2p_board;

static int dma_p2p_direct_suite_init(struct kunit_suite *suite __always_unused)
{
	pci_test_board_default(&dma_p2p_board);
	pci_test_board_no_iommu(&dma_p2p_board);
	return dma_test_boot(&dma_p2p_board, IOMMU_DOMAIN_IDENTITY);
}

/*
 * The NIC uses the bus address, GPU1 the CPU address (the host bridge
 * forwards it), SATA cannot reach a 64-bit BAR with 32 bits (P2P memory
 * is not bounced) but reaches a 32-bit one.
 */
static void dma_p2p_direct(struct kunit *test)
{
	struct p2pdma_provider *p = dma_p2p_provider(test, 2);
	struct p2pdma_provider *p32 = dma_p2p_provider(test, 0);
	struct device *gpu1 = dma_test_dev(test, "gpu1");
	struct device *sata = dma_test_dev(test, "sata");
	struct device *nic = dma_test_dev(test, "nic");
	struct physr_list *list = dma_p2p_list(test);
	struct physr_list *list32 = dma_p2p_list(test);
	struct dma_map_state st_nic, st_gpu, st_sata;
	struct dma_test_buf *b;

	b = dma_test_buf(test, SZ_8K, MM_LAYOUT_PAGE_4K, GFP_DMA32, 1);
	KUNIT_ASSERT_EQ(test, physr_list_append(list,
			page_to_phys(b->mb->pages[0]), SZ_4K), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append_p2p(list, p, p->base, SZ_32K),
			0);
	KUNIT_ASSERT_EQ(test, physr_list_append(list,
			page_to_phys(b->mb->pages[1]), SZ_4K), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append_p2p(list32, p32, p32->base,
						    SZ_16K), 0);

	KUNIT_ASSERT_EQ(test, dma_map_physr(nic, list, DMA_BIDIRECTIONAL, 0,
					    &st_nic), 0);
	KUNIT_ASSERT_EQ(test, dma_map_physr(gpu1, list, DMA_BIDIRECTIONAL, 0,
					    &st_gpu), 0);
	/* The NIC's list has a bus address: a DMA list of its own. */
	KUNIT_EXPECT_GT(test, dma_list_heap_bytes(&st_nic.dma), 0);
	KUNIT_EXPECT_EQ(test, dma_list_heap_bytes(&st_gpu.dma), 0);
	KUNIT_EXPECT_EQ(test, dma_list_nr_ranges(&st_nic.dma), 3);
	dma_p2p_bytes(test, nic, list, &st_nic, 60);
	dma_p2p_bytes(test, gpu1, list, &st_gpu, 70);

	KUNIT_EXPECT_EQ(test, dma_map_physr(sata, list, DMA_TO_DEVICE, 0,
					    &st_sata), -EIO);
	KUNIT_ASSERT_EQ(test, dma_map_physr(sata, list32, DMA_BIDIRECTIONAL, 0,
					    &st_sata), 0);
	KUNIT_EXPECT_EQ(test, dma_list_first_addr(&st_sata.dma), p32->base);
	dma_p2p_bytes(test, sata, list32, &st_sata, 80);

	dma_unmap_physr(sata, &st_sata, DMA_BIDIRECTIONAL, 0);
	dma_unmap_physr(gpu1, &st_gpu, DMA_BIDIRECTIONAL, 0);
	dma_unmap_physr(nic, &st_nic, DMA_BIDIRECTIONAL, 0);

	/* Off the allowlist, GPU1 may not; the NIC still may. */
	KUNIT_ASSERT_EQ(test, pci_p2pdma_allowlist_remove(HB_VENDOR, HB_DEVICE),
			0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
			dma_p2p_allowlist_restore, NULL), 0);
	KUNIT_EXPECT_EQ(test, dma_map_physr(gpu1, list, DMA_TO_DEVICE, 0,
					    &st_gpu), -EREMOTEIO);
	KUNIT_ASSERT_EQ(test, dma_map_physr(nic, list, DMA_TO_DEVICE, 0,
					    &st_nic), 0);
	dma_unmap_physr(nic, &st_nic, DMA_TO_DEVICE, 0);
}

static struct kunit_case dma_p2p_direct_cases[] = {
	KUNIT_CASE(dma_p2p_direct),
	{}
};

static struct kunit_suite dma_p2p_direct_suite = {
	.name = "dma_p2p_direct",
	.suite_init = dma_p2p_direct_suite_init,
	.suite_exit = dma_p2p_suite_exit,
	.init = dma_test_init,
	.exit = dma_test_exit,
	.test_cases = dma_p2p_direct_cases,
};

kunit_test_suites(&dma_p2p_iommu_suite, &dma_p2p_direct_suite);
