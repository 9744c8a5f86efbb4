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

static const enum dma_data_direction dma_p2p_dirs[] = {
	DMA_TO_DEVICE, DMA_FROM_DEVICE,
};

static void dma_p2p_dir_desc(const enum dma_data_direction *dir, char *desc)
{
	static const char * const names[] = {
		[DMA_TO_DEVICE] = "to_device",
		[DMA_FROM_DEVICE] = "from_device",
	};

	strscpy(desc, names[*dir], KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(dma_p2p_dirs, dma_p2p_dirs, dma_p2p_dir_desc);

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

/*
 * One direction end to end through @st, a mapping of @list made with
 * @dir: DMA_TO_DEVICE, the CPU writes the bytes at the physical ranges
 * (RAM and BAR alike) and the device reads them; DMA_FROM_DEVICE, the
 * device writes them and the CPU, after the sync, reads them there.
 */
static void dma_p2p_dir_bytes(struct kunit *test, struct device *dev,
			      const struct physr_list *list,
			      struct dma_map_state *st,
			      enum dma_data_direction dir, u8 seed)
{
	u64 len = physr_list_len(list);
	u8 *src = dma_test_alloc(test, len), *dst = dma_test_alloc(test, len);

	dma_test_fill(src, len, seed);
	if (dir == DMA_TO_DEVICE) {
		memset(dst, 0, len);
		dma_sync_physr_for_cpu(dev, st, dir);
		KUNIT_EXPECT_EQ(test, dma_test_cpu_list_io(list, src, true), 0);
		dma_sync_physr_for_device(dev, st, dir);
		KUNIT_EXPECT_EQ(test, dma_test_dev_io(dev, &st->dma, dst, false),
				0);
	} else {
		/* What the CPU sees must be the device's, not left over. */
		memset(dst, 0, len);
		KUNIT_EXPECT_EQ(test, dma_test_cpu_list_io(list, dst, true), 0);
		KUNIT_EXPECT_EQ(test, dma_test_dev_io(dev, &st->dma, src, true),
				0);
		dma_sync_physr_for_cpu(dev, st, dir);
		KUNIT_EXPECT_EQ(test, dma_test_cpu_list_io(list, dst, false), 0);
		dma_sync_physr_for_device(dev, st, dir);
	}
	KUNIT_EXPECT_MEMEQ(test, dst, src, len);
}

/* RAM, RAM, 16 KiB of GPU0's BAR2, RAM, RAM. */
static struct physr_list *dma_p2p_mixed_list(struct kunit *test,
					     struct p2pdma_provider *p,
					     gfp_t gfp, u64 seed)
{
	struct physr_list *list = dma_test_list(test);
	struct dma_test_buf *b;
	int i;

	b = dma_test_buf(test, 4 * SZ_4K, MM_LAYOUT_PAGE_4K, gfp, seed);
	for (i = 0; i < 2; i++)
		KUNIT_ASSERT_EQ(test, physr_list_append(list,
				page_to_phys(b->mb->pages[i]), SZ_4K,
							GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append_p2p(list, p, p->base + SZ_1M,
						    4 * SZ_4K, GFP_KERNEL), 0);
	for (i = 2; i < 4; i++)
		KUNIT_ASSERT_EQ(test, physr_list_append(list,
				page_to_phys(b->mb->pages[i]), SZ_4K,
							GFP_KERNEL), 0);
	return list;
}

/*
 * One list mapped at once by the NIC (below the switch) and by GPU1
 * (beyond the host bridge).
 */
struct dma_p2p_pair {
	struct device *nic;
	struct device *gpu1;
	struct dma_map_state st_nic;
	struct dma_map_state st_gpu;
};

static void dma_p2p_map_pair(struct kunit *test, struct dma_p2p_pair *m,
			     const struct physr_list *list,
			     enum dma_data_direction dir)
{
	m->nic = dma_test_dev(test, "nic");
	m->gpu1 = dma_test_dev(test, "gpu1");
	KUNIT_ASSERT_EQ(test, dma_map_physr(m->nic, list, dir, 0, &m->st_nic),
			0);
	KUNIT_ASSERT_EQ(test, dma_map_physr(m->gpu1, list, dir, 0, &m->st_gpu),
			0);
}

/* In the reverse order of the map. */
static void dma_p2p_unmap_pair(struct dma_p2p_pair *m,
			       enum dma_data_direction dir)
{
	dma_unmap_physr(m->gpu1, &m->st_gpu, dir, 0);
	dma_unmap_physr(m->nic, &m->st_nic, dir, 0);
}

/*
 * @len bytes at @off in GPU0's BAR2, alone in a list, mapped in @dir for
 * one device; @mapped and @flushes are its domain @d's before the map,
 * @dma0 the machine's DMA counters after it.
 */
struct dma_p2p_bar_map {
	struct p2pdma_provider *p;
	struct physr_list *list;
	struct iommu_domain *d;
	u64 mapped;
	u64 flushes;
	struct dma_map_state st;
	struct sim_dma_stats dma0;
};

static void dma_p2p_map_bar(struct kunit *test, struct dma_p2p_bar_map *m,
			    struct device *dev, u64 off, u64 len,
			    enum dma_data_direction dir)
{
	m->p = dma_test_p2p_provider(test, 2);
	m->list = dma_test_list(test);
	KUNIT_ASSERT_EQ(test, physr_list_append_p2p(m->list, m->p,
						    m->p->base + off, len,
						    GFP_KERNEL), 0);
	m->d = iommu_get_domain_for_dev(dev);
	m->mapped = dma_test_mapped(m->d);
	m->flushes = dma_test_flushes(m->d);
	KUNIT_ASSERT_EQ(test, dma_map_physr(dev, m->list, dir, 0, &m->st), 0);
	sim_dma_stats_get(&m->dma0);
}

/* The ways from a device to GPU0's BARs (see the top of the file). */
enum dma_p2p_route {
	DMA_P2P_VIA_SWITCH,		/* bus address, not the root complex */
	DMA_P2P_VIA_HOST_BRIDGE,	/* up through the host bridge */
};

/* Since @m was mapped, @pages pages went by @route, none the other way. */
static void dma_p2p_expect_route(struct kunit *test,
				 const struct dma_p2p_bar_map *m,
				 enum dma_p2p_route route, u64 pages)
{
	const struct sim_dma_stats *s0 = &m->dma0;
	struct sim_dma_stats s1;

	sim_dma_stats_get(&s1);
	if (route == DMA_P2P_VIA_SWITCH) {
		KUNIT_EXPECT_EQ(test, s1.p2p - s0->p2p, pages);
		KUNIT_EXPECT_EQ(test, s1.root_complex, s0->root_complex);
	} else {
		KUNIT_EXPECT_EQ(test, s1.host_bridge_p2p - s0->host_bridge_p2p,
				pages);
		KUNIT_EXPECT_EQ(test, s1.p2p, s0->p2p);
	}
}

/*
 * Every allocation of a map of a mixed list for the NIC fails in turn:
 * on the IOMMU path the pieces around the bus address, on the direct path
 * the DMA list of its own.  Then the mapping that succeeded moves bytes.
 */
static void dma_p2p_fail_nth(struct kunit *test)
{
	struct p2pdma_provider *p = dma_test_p2p_provider(test, 2);
	struct dma_test_fail c;

	dma_test_fail_init(&c, dma_test_dev(test, "nic"),
			   dma_p2p_mixed_list(test, p, GFP_DMA32, 7));
	c.snap = dma_test_snapshot(test, c.list);
	/* Only the IOMMU path has an IOVA cache to warm. */
	if (c.domain)
		dma_test_fail_warm(test, &c);
	dma_test_fail_nth(test, &c, dma_test_fail_check);
	KUNIT_EXPECT_GT(test, dma_list_heap_bytes(&c.st.dma), 0);
	dma_p2p_bytes(test, c.dev, c.list, &c.st, 90);
	dma_unmap_physr(c.dev, &c.st, DMA_BIDIRECTIONAL, 0);
	dma_test_expect_unchanged(test, c.list, c.snap);
}

/* ---- with an IOMMU -------------------------------------------------------- */

/* NIC -> GPU0's BAR: the bus address, never the IOMMU. */
static void dma_p2p_bus_addr(struct kunit *test)
{
	struct device *nic = dma_test_dev(test, "nic");
	struct dma_p2p_bar_map m;

	dma_p2p_map_bar(test, &m, nic, SZ_64K, SZ_128K, DMA_BIDIRECTIONAL);
	KUNIT_EXPECT_EQ(test, dma_test_mapped(m.d), m.mapped);
	KUNIT_EXPECT_EQ(test, dma_test_flushes(m.d), m.flushes);
	KUNIT_EXPECT_EQ(test, iova_allocated_bytes(&m.d->iovad), 0);
	KUNIT_EXPECT_EQ(test, dma_list_first_addr(&m.st.dma),
			pci_bus_address(pci_test_dev(test, "gpu0"), 2) + SZ_64K);
	KUNIT_EXPECT_EQ(test, dma_list_len(&m.st.dma), SZ_128K);

	dma_p2p_bytes(test, nic, m.list, &m.st, 5);
	dma_p2p_expect_route(test, &m, DMA_P2P_VIA_SWITCH,
			     2 * SZ_128K / SZ_4K);
	dma_unmap_physr(nic, &m.st, DMA_BIDIRECTIONAL, 0);
}

/* GPU1 -> GPU0's BAR: up through the host bridge, an IOVA like RAM. */
static void dma_p2p_host_bridge(struct kunit *test)
{
	struct device *gpu1 = dma_test_dev(test, "gpu1");
	struct dma_p2p_bar_map m;

	dma_p2p_map_bar(test, &m, gpu1, 0, SZ_64K, DMA_BIDIRECTIONAL);
	KUNIT_EXPECT_EQ(test, dma_test_mapped(m.d) - m.mapped, SZ_64K);
	KUNIT_EXPECT_EQ(test,
			iommu_iova_to_phys(m.d, dma_list_first_addr(&m.st.dma)),
			m.p->base);

	dma_p2p_bytes(test, gpu1, m.list, &m.st, 9);
	dma_p2p_expect_route(test, &m, DMA_P2P_VIA_HOST_BRIDGE,
			     2 * SZ_64K / SZ_4K);
	dma_unmap_physr(gpu1, &m.st, DMA_BIDIRECTIONAL, 0);
}

/* Off the allowlist the host bridge is not trusted: -EREMOTEIO. */
static void dma_p2p_refused(struct kunit *test)
{
	struct p2pdma_provider *p = dma_test_p2p_provider(test, 2);
	struct physr_list *list = dma_test_ram_p2p_list(test, p, 0, SZ_4K, 1);
	struct device *gpu1 = dma_test_dev(test, "gpu1");
	struct device *nic = dma_test_dev(test, "nic");
	struct iommu_domain *d = iommu_get_domain_for_dev(gpu1);
	struct dma_map_state st;
	u64 m0;

	dma_test_hb_untrust(test);

	m0 = dma_test_mapped(d);
	KUNIT_EXPECT_EQ(test, dma_map_physr(gpu1, list, DMA_TO_DEVICE, 0, &st),
			-EREMOTEIO);
	dma_test_expect_unwound(test, gpu1, d, m0);

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
	struct p2pdma_provider *p = dma_test_p2p_provider(test, 2);
	struct device *gpu1 = dma_test_dev(test, "gpu1");
	struct device *nic = dma_test_dev(test, "nic");
	struct physr_list *list;
	struct dma_p2p_pair m;
	struct dma_range r[4];
	struct dma_list_iter di;
	int n = 0;

	dma_test_save_limits(test, nic);
	dma_test_save_limits(test, gpu1);
	KUNIT_ASSERT_EQ(test, dma_set_max_seg_size(nic, UINT_MAX), 0);
	KUNIT_ASSERT_EQ(test, dma_set_max_seg_size(gpu1, UINT_MAX), 0);
	list = dma_p2p_mixed_list(test, p, GFP_KERNEL, 4);
	dma_p2p_map_pair(test, &m, list, DMA_BIDIRECTIONAL);

	dma_list_for_each(&m.st_nic.dma, &di, &r[n])
		if (++n == 4)
			break;
	KUNIT_ASSERT_EQ(test, n, 3);
	KUNIT_EXPECT_EQ(test, r[0].len, 2 * SZ_4K);
	KUNIT_EXPECT_EQ(test, r[1].addr, p2pdma_bus_addr(p, p->base + SZ_1M));
	KUNIT_EXPECT_EQ(test, r[1].len, 4 * SZ_4K);
	KUNIT_EXPECT_EQ(test, r[2].addr, r[0].addr + 2 * SZ_4K);
	KUNIT_EXPECT_EQ(test, r[2].len, 2 * SZ_4K);
	KUNIT_EXPECT_EQ(test, dma_list_nr_ranges(&m.st_gpu.dma), 1);
	KUNIT_EXPECT_EQ(test, dma_list_len(&m.st_gpu.dma), 8 * SZ_4K);

	dma_p2p_bytes(test, nic, list, &m.st_nic, 20);
	dma_p2p_bytes(test, gpu1, list, &m.st_gpu, 40);
	dma_p2p_unmap_pair(&m, DMA_BIDIRECTIONAL);
}

/* NIC -> GPU0's BAR, one direction: the bus address, never the IOMMU. */
static void dma_p2p_dir_bus_addr(struct kunit *test)
{
	const enum dma_data_direction *dir = test->param_value;
	struct device *nic = dma_test_dev(test, "nic");
	struct dma_p2p_bar_map m;
	dma_addr_t addr;
	u8 byte = 0;

	dma_p2p_map_bar(test, &m, nic, SZ_64K, SZ_128K, *dir);
	addr = dma_list_first_addr(&m.st.dma);
	KUNIT_EXPECT_EQ(test, addr, p2pdma_bus_addr(m.p, m.p->base + SZ_64K));
	dma_p2p_dir_bytes(test, nic, m.list, &m.st, *dir, 11);
	dma_p2p_expect_route(test, &m, DMA_P2P_VIA_SWITCH, SZ_128K / SZ_4K);

	/* Below the switch nothing stops the other access: the sanitizer. */
	if (*dir == DMA_TO_DEVICE)
		KUNIT_EXPECT_EQ(test, sim_dma_write(nic->rid, addr, &byte, 1),
				0);
	else
		KUNIT_EXPECT_EQ(test, sim_dma_read(nic->rid, addr, &byte, 1), 0);
	dma_test_expect_reports(test, DMA_DEBUG_ACCESS_DIRECTION, 1, NULL);
	dma_unmap_physr(nic, &m.st, *dir, 0);
}

/*
 * GPU1 -> GPU0's BAR through the host bridge, one direction: an IOVA
 * with the direction's permission, so the other access faults at the
 * IOMMU and leaves the BAR alone.
 */
static void dma_p2p_dir_host_bridge(struct kunit *test)
{
	const enum dma_data_direction *dir = test->param_value;
	struct device *gpu1 = dma_test_dev(test, "gpu1");
	struct iommu_domain_stats f0, f1;
	struct dma_p2p_bar_map m;
	u8 before, after, byte;
	phys_addr_t bar;
	dma_addr_t addr;

	dma_p2p_map_bar(test, &m, gpu1, SZ_2M, SZ_64K, *dir);
	bar = m.p->base + SZ_2M;
	addr = dma_list_first_addr(&m.st.dma);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(m.d, addr), bar);
	dma_p2p_dir_bytes(test, gpu1, m.list, &m.st, *dir, 13);
	dma_p2p_expect_route(test, &m, DMA_P2P_VIA_HOST_BRIDGE,
			     SZ_64K / SZ_4K);

	iommu_poll_faults();
	iommu_domain_get_stats(m.d, &f0);
	KUNIT_ASSERT_EQ(test, sim_cpu_read(bar, &before, 1), 0);
	byte = ~before;
	if (*dir == DMA_TO_DEVICE)
		KUNIT_EXPECT_EQ(test, sim_dma_write(gpu1->rid, addr, &byte, 1),
				-EFAULT);
	else
		KUNIT_EXPECT_EQ(test, sim_dma_read(gpu1->rid, addr, &byte, 1),
				-EFAULT);
	KUNIT_EXPECT_EQ(test, iommu_poll_faults(), 1U);
	iommu_domain_get_stats(m.d, &f1);
	KUNIT_EXPECT_EQ(test, f1.faults - f0.faults, 1);
	KUNIT_ASSERT_EQ(test, sim_cpu_read(bar, &after, 1), 0);
	KUNIT_EXPECT_EQ(test, after, before);
	dma_test_expect_reports(test, DMA_DEBUG_ACCESS_DIRECTION, 1, NULL);
	dma_unmap_physr(gpu1, &m.st, *dir, 0);
}

/* RAM and BAR in one list, one direction, for the NIC and GPU1 at once. */
static void dma_p2p_dir_mixed(struct kunit *test)
{
	const enum dma_data_direction *dir = test->param_value;
	struct p2pdma_provider *p = dma_test_p2p_provider(test, 2);
	struct physr_list *list = dma_p2p_mixed_list(test, p, GFP_KERNEL, 14);
	struct dma_p2p_pair m;

	dma_p2p_map_pair(test, &m, list, *dir);
	KUNIT_EXPECT_EQ(test, dma_list_nr_ranges(&m.st_gpu.dma), 1);
	dma_p2p_dir_bytes(test, m.nic, list, &m.st_nic, *dir, 15);
	dma_p2p_dir_bytes(test, m.gpu1, list, &m.st_gpu, *dir, 16);
	dma_p2p_unmap_pair(&m, *dir);
}

/*
 * Ranges that carry a provider but are not its memory: a RAM page, the
 * bytes just past the BAR, and a RAM page as P2P after a real RAM page.
 * Every path refuses them (-EINVAL, reported) before it maps anything or
 * holds the provider: the RAM page is never given a bus address or
 * mapped as MMIO.
 */
static void dma_p2p_outside_provider(struct kunit *test)
{
	static const char * const names[] = { "nic", "gpu1" };
	struct p2pdma_provider *p = dma_test_p2p_provider(test, 2);
	struct p2pdma_provider_stats ps;
	struct physr_list *lists[3];
	struct dma_test_buf *b;
	struct dma_map_state st;
	phys_addr_t ram;
	unsigned int i, j;

	b = dma_test_buf(test, SZ_8K, MM_LAYOUT_PAGE_4K, GFP_KERNEL, 81);
	ram = page_to_phys(b->mb->pages[0]);
	for (j = 0; j < ARRAY_SIZE(lists); j++)
		lists[j] = dma_test_list(test);
	dma_test_append_forged(test, lists[0], p, ram, SZ_4K);
	dma_test_append_forged(test, lists[1], p, p->base + p->size, SZ_4K);
	KUNIT_ASSERT_EQ(test, physr_list_append(lists[2],
			page_to_phys(b->mb->pages[1]), SZ_4K, GFP_KERNEL), 0);
	dma_test_append_forged(test, lists[2], p, ram, SZ_4K);

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		struct device *dev = dma_test_dev(test, names[i]);
		struct iommu_domain *d = NULL;
		u64 m0 = 0;

		if (dma_dev_path(dev) == DMA_PATH_IOMMU) {
			d = iommu_get_domain_for_dev(dev);
			m0 = dma_test_mapped(d);
		}
		for (j = 0; j < ARRAY_SIZE(lists); j++) {
			KUNIT_EXPECT_EQ_MSG(test, dma_map_physr(dev, lists[j],
					DMA_BIDIRECTIONAL, 0, &st), -EINVAL,
					"%s, list %u", names[i], j);
			KUNIT_EXPECT_FALSE(test, dma_map_state_mapped(&st));
			dma_test_expect_unwound(test, dev, d, m0);
			dma_test_expect_reports(test, DMA_DEBUG_P2P_RANGE, 1,
						NULL);
		}
	}
	p2pdma_provider_get_stats(p, &ps);
	KUNIT_EXPECT_EQ(test, ps.mappings, 0U);
}

static struct kunit_case dma_p2p_iommu_cases[] = {
	KUNIT_CASE(dma_p2p_bus_addr),
	KUNIT_CASE(dma_p2p_host_bridge),
	KUNIT_CASE(dma_p2p_refused),
	KUNIT_CASE(dma_p2p_mixed),
	KUNIT_CASE(dma_p2p_outside_provider),
	KUNIT_CASE_PARAM(dma_p2p_dir_bus_addr, dma_p2p_dirs_gen_params),
	KUNIT_CASE_PARAM(dma_p2p_dir_host_bridge, dma_p2p_dirs_gen_params),
	KUNIT_CASE_PARAM(dma_p2p_dir_mixed, dma_p2p_dirs_gen_params),
	KUNIT_CASE(dma_p2p_fail_nth),
	{}
};

DEFINE_DMA_TEST_SUITE(dma_p2p_iommu_suite, "dma_p2p_iommu",
		      dma_test_suite_init_dma, dma_p2p_iommu_cases);

/* ---- without an IOMMU ----------------------------------------------------- */

/*
 * The NIC uses the bus address, GPU1 the CPU address (the host bridge
 * forwards it), SATA cannot reach a 64-bit BAR with 32 bits (P2P memory
 * is not bounced) but reaches a 32-bit one.
 */
static void dma_p2p_direct(struct kunit *test)
{
	struct p2pdma_provider *p = dma_test_p2p_provider(test, 2);
	struct p2pdma_provider *p32 = dma_test_p2p_provider(test, 0);
	struct device *sata = dma_test_dev(test, "sata");
	struct physr_list *list = dma_test_list(test);
	struct physr_list *list32 = dma_test_list(test);
	struct dma_map_state st_sata;
	struct dma_p2p_pair m;
	struct dma_test_buf *b;

	b = dma_test_buf(test, SZ_8K, MM_LAYOUT_PAGE_4K, GFP_DMA32, 1);
	KUNIT_ASSERT_EQ(test, physr_list_append(list,
			page_to_phys(b->mb->pages[0]), SZ_4K, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append_p2p(list, p, p->base, SZ_32K,
						    GFP_KERNEL),
			0);
	KUNIT_ASSERT_EQ(test, physr_list_append(list,
			page_to_phys(b->mb->pages[1]), SZ_4K, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append_p2p(list32, p32, p32->base,
						    SZ_16K, GFP_KERNEL), 0);

	dma_p2p_map_pair(test, &m, list, DMA_BIDIRECTIONAL);
	/* The NIC's list has a bus address: a DMA list of its own. */
	KUNIT_EXPECT_GT(test, dma_list_heap_bytes(&m.st_nic.dma), 0);
	KUNIT_EXPECT_EQ(test, dma_list_heap_bytes(&m.st_gpu.dma), 0);
	KUNIT_EXPECT_EQ(test, dma_list_nr_ranges(&m.st_nic.dma), 3);
	dma_p2p_bytes(test, m.nic, list, &m.st_nic, 60);
	dma_p2p_bytes(test, m.gpu1, list, &m.st_gpu, 70);

	KUNIT_EXPECT_EQ(test, dma_map_physr(sata, list, DMA_TO_DEVICE, 0,
					    &st_sata), -EIO);
	KUNIT_ASSERT_EQ(test, dma_map_physr(sata, list32, DMA_BIDIRECTIONAL, 0,
					    &st_sata), 0);
	KUNIT_EXPECT_EQ(test, dma_list_first_addr(&st_sata.dma), p32->base);
	dma_p2p_bytes(test, sata, list32, &st_sata, 80);

	dma_unmap_physr(sata, &st_sata, DMA_BIDIRECTIONAL, 0);
	dma_p2p_unmap_pair(&m, DMA_BIDIRECTIONAL);

	/* Off the allowlist, GPU1 may not; the NIC still may. */
	dma_test_hb_untrust(test);
	KUNIT_EXPECT_EQ(test, dma_map_physr(m.gpu1, list, DMA_TO_DEVICE, 0,
					    &m.st_gpu), -EREMOTEIO);
	KUNIT_ASSERT_EQ(test, dma_map_physr(m.nic, list, DMA_TO_DEVICE, 0,
					    &m.st_nic), 0);
	dma_unmap_physr(m.nic, &m.st_nic, DMA_TO_DEVICE, 0);
}

/* Mixed lists, one direction: bus address for the NIC, CPU for GPU1. */
static void dma_p2p_dir_direct(struct kunit *test)
{
	const enum dma_data_direction *dir = test->param_value;
	struct p2pdma_provider *p = dma_test_p2p_provider(test, 2);
	struct physr_list *list = dma_p2p_mixed_list(test, p, GFP_KERNEL, 17);
	struct sim_dma_stats s0, s1;
	struct dma_p2p_pair m;

	dma_p2p_map_pair(test, &m, list, *dir);
	KUNIT_EXPECT_EQ(test, dma_list_nr_ranges(&m.st_nic.dma),
			physr_list_nr_ranges(list));
	KUNIT_EXPECT_GT(test, dma_list_heap_bytes(&m.st_nic.dma), 0);
	KUNIT_EXPECT_EQ(test, dma_list_heap_bytes(&m.st_gpu.dma), 0);
	sim_dma_stats_get(&s0);
	dma_p2p_dir_bytes(test, m.nic, list, &m.st_nic, *dir, 18);
	sim_dma_stats_get(&s1);
	KUNIT_EXPECT_EQ(test, s1.p2p - s0.p2p, 4);	/* the BAR's pages */
	dma_p2p_dir_bytes(test, m.gpu1, list, &m.st_gpu, *dir, 19);
	dma_p2p_unmap_pair(&m, *dir);
}

static struct kunit_case dma_p2p_direct_cases[] = {
	KUNIT_CASE(dma_p2p_direct),
	KUNIT_CASE(dma_p2p_outside_provider),
	KUNIT_CASE_PARAM(dma_p2p_dir_direct, dma_p2p_dirs_gen_params),
	KUNIT_CASE(dma_p2p_fail_nth),
	{}
};

DEFINE_DMA_TEST_SUITE(dma_p2p_direct_suite, "dma_p2p_direct",
		      dma_test_suite_init_no_iommu, dma_p2p_direct_cases);

kunit_test_suites(&dma_p2p_iommu_suite, &dma_p2p_direct_suite);
