// SPDX-License-Identifier: GPL-2.0
/*
 * Bouncing through swiotlb, end to end: SATA has 32 address bits, so on
 * the direct path RAM above 4 GiB (where GFP_KERNEL buffers come from)
 * bounces through the pool below 4 GiB.  The bytes the device sees are
 * the pool's; the CPU sees them in its buffer only after unmap or a sync
 * for the CPU, and the device sees what the CPU writes only after a sync
 * for the device.  Pool exhaustion fails cleanly.
 *
 * The last suite maps one list for three devices of three kinds at once:
 * GPU1 behind the IOMMU, GPU2 direct, SATA2 direct with a 32-bit mask.
 */
#include <linux/swiotlb.h>

#include "tests/dma_test.h"

static u64 dma_pool_used(void)
{
	struct swiotlb_stats s;

	swiotlb_get_stats(&s);
	return s.used;
}

/* Every DMA range of @dl in the pool, and below 4 GiB. */
static void dma_expect_bounced(struct kunit *test, const struct dma_list *dl)
{
	struct dma_list_iter di;
	struct dma_range r;

	dma_list_for_each(dl, &di, &r) {
		KUNIT_EXPECT_TRUE(test, is_swiotlb_buffer(r.addr));
		KUNIT_EXPECT_LE(test, r.addr + r.len - 1, DMA_BIT_MASK(32));
	}
}

/* Each direction; the bounce is visible until the sync. */
static void dma_bounce_roundtrip(struct kunit *test)
{
	static const enum dma_data_direction dirs[] = {
		DMA_TO_DEVICE, DMA_FROM_DEVICE, DMA_BIDIRECTIONAL,
	};
	struct device *sata = dma_test_dev(test, "sata");
	const u64 len = SZ_64K;
	struct dma_test_buf *b;
	struct dma_map_state st;
	u8 *cpu, *dev = NULL, *chk;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, dma_dev_path(sata), DMA_PATH_DIRECT);
	b = dma_test_buf(test, len, MM_LAYOUT_PAGE_4K, GFP_KERNEL, 21);
	KUNIT_ASSERT_GT(test, page_to_phys(b->mb->pages[0]), DMA_BIT_MASK(32));
	chk = dma_test_alloc(test, len);

	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		enum dma_data_direction dir = dirs[i];

		cpu = dma_test_cpu_fill(test, &b->list, i);
		KUNIT_ASSERT_EQ(test, dma_map_physr(sata, &b->list, dir, 0, &st),
				0);
		dma_expect_bounced(test, &st.dma);
		KUNIT_EXPECT_EQ(test, dma_pool_used(), len / IO_TLB_SIZE);

		if (dir != DMA_FROM_DEVICE)
			dma_test_expect_dev_reads(test, sata, &st.dma, cpu, len);

		if (dir != DMA_TO_DEVICE) {
			dev = dma_test_dev_fill(test, sata, &st.dma, 100 + i);
			/* Not in the CPU's buffer until the sync. */
			dma_test_expect_cpu_reads(test, &b->list, cpu);
			dma_sync_physr_for_cpu(sata, &st, dir);
			dma_test_expect_cpu_reads(test, &b->list, dev);
		}
		if (dir != DMA_FROM_DEVICE) {
			/* CPU writes, syncs for the device, device reads. */
			cpu = dma_test_cpu_fill(test, &b->list, 200 + i);
			KUNIT_EXPECT_EQ(test, dma_test_dev_io(sata, &st.dma, chk,
							      false), 0);
			KUNIT_EXPECT_MEMNEQ(test, chk, cpu, len);
			dma_sync_physr_for_device(sata, &st, dir);
			dma_test_expect_dev_reads(test, sata, &st.dma, cpu, len);
		}
		if (dir != DMA_TO_DEVICE)
			dev = dma_test_dev_fill(test, sata, &st.dma, 50 + i);
		dma_unmap_physr(sata, &st, dir, 0);
		KUNIT_EXPECT_EQ(test, dma_pool_used(), 0);
		dma_test_expect_cpu_reads(test, &b->list,
					  dir == DMA_TO_DEVICE ? cpu : dev);
	}
}

/*
 * A list of low and high pages: only the high ones bounce, the DMA list
 * keeps the order, a partial sync copies only its part.
 */
static void dma_bounce_partial(struct kunit *test)
{
	struct device *sata = dma_test_dev(test, "sata");
	struct physr_list list = PHYSR_LIST_INIT;
	struct dma_test_buf *lo, *hi;
	struct dma_map_state st;
	struct dma_list_iter di;
	struct dma_range r;
	u8 *src, *dst;
	u64 n = 0;
	int i;

	lo = dma_test_buf(test, 2 * SZ_4K, MM_LAYOUT_PAGE_4K, GFP_DMA32, 22);
	hi = dma_test_buf(test, 2 * SZ_4K, MM_LAYOUT_PAGE_4K, GFP_KERNEL, 23);
	for (i = 0; i < 2; i++) {
		KUNIT_ASSERT_EQ(test, physr_list_append(&list,
				page_to_phys(lo->mb->pages[i]), SZ_4K,
							GFP_KERNEL), 0);
		KUNIT_ASSERT_EQ(test, physr_list_append(&list,
				page_to_phys(hi->mb->pages[i]), SZ_4K,
							GFP_KERNEL), 0);
	}
	src = dma_test_alloc(test, 4 * SZ_4K);
	dst = dma_test_alloc(test, 4 * SZ_4K);
	memset(src, 0x11, 4 * SZ_4K);
	KUNIT_ASSERT_EQ(test, dma_test_cpu_list_io(&list, src, true), 0);

	KUNIT_ASSERT_EQ(test, dma_map_physr(sata, &list, DMA_FROM_DEVICE, 0,
					    &st), 0);
	KUNIT_EXPECT_EQ(test, dma_pool_used(), 2 * SZ_4K / IO_TLB_SIZE);
	dma_list_for_each(&st.dma, &di, &r) {
		if (n % 2 == 0)
			KUNIT_EXPECT_EQ(test, r.addr,
					page_to_phys(lo->mb->pages[n / 2]));
		else
			KUNIT_EXPECT_TRUE(test, is_swiotlb_buffer(r.addr));
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, 4);

	dma_test_fill(src, 4 * SZ_4K, 7);
	KUNIT_EXPECT_EQ(test, dma_test_dev_io(sata, &st.dma, src, true), 0);
	/* Sync only the second half of the first high page. */
	dma_sync_physr_range_for_cpu(sata, &st, SZ_4K + SZ_2K, SZ_2K,
				     DMA_FROM_DEVICE);
	KUNIT_EXPECT_EQ(test, dma_test_cpu_list_io(&list, dst, false), 0);
	KUNIT_EXPECT_MEMEQ(test, dst, src, SZ_4K);		/* low: direct */
	for (i = 0; i < SZ_2K; i++)
		if (dst[SZ_4K + i] != 0x11)
			break;
	KUNIT_EXPECT_EQ(test, i, SZ_2K);			/* not synced */
	KUNIT_EXPECT_MEMEQ(test, dst + SZ_4K + SZ_2K, src + SZ_4K + SZ_2K,
			   SZ_2K);				/* synced */
	for (i = 0; i < SZ_4K; i++)
		if (dst[3 * SZ_4K + i] != 0x11)
			break;
	KUNIT_EXPECT_EQ(test, i, SZ_4K);			/* not synced */

	dma_unmap_physr(sata, &st, DMA_FROM_DEVICE, 0);
	KUNIT_EXPECT_EQ(test, dma_test_cpu_list_io(&list, dst, false), 0);
	KUNIT_EXPECT_MEMEQ(test, dst, src, 4 * SZ_4K);
	physr_list_destroy(&list);
}

/* DMA_ATTR_SKIP_CPU_SYNC: unmap leaves the CPU's buffer alone. */
static void dma_bounce_skip_sync(struct kunit *test)
{
	struct device *sata = dma_test_dev(test, "sata");
	struct dma_test_buf *b;
	struct dma_map_state st;
	u8 src[SZ_4K], dst[SZ_4K];

	b = dma_test_buf(test, SZ_4K, MM_LAYOUT_PAGE_4K, GFP_KERNEL, 24);
	memset(src, 0x5a, sizeof(src));
	KUNIT_ASSERT_EQ(test, dma_test_cpu_list_io(&b->list, src, true), 0);
	KUNIT_ASSERT_EQ(test, dma_map_physr(sata, &b->list, DMA_FROM_DEVICE,
					    DMA_ATTR_SKIP_CPU_SYNC, &st), 0);
	memset(dst, 0xa5, sizeof(dst));
	KUNIT_EXPECT_EQ(test, dma_test_dev_io(sata, &st.dma, dst, true), 0);
	dma_unmap_physr(sata, &st, DMA_FROM_DEVICE, DMA_ATTR_SKIP_CPU_SYNC);
	KUNIT_EXPECT_EQ(test, dma_test_cpu_list_io(&b->list, dst, false), 0);
	KUNIT_EXPECT_MEMEQ(test, dst, src, sizeof(src));
}

/* More than the pool holds: -ENOMEM, and the pool is as it was. */
static void dma_bounce_exhausted(struct kunit *test)
{
	struct device *sata = dma_test_dev(test, "sata");
	struct dma_map_state st[3];
	struct swiotlb_stats s;
	struct physr_list big = PHYSR_LIST_INIT;
	struct dma_test_buf *b;
	int i;

	swiotlb_get_stats(&s);
	/* RAM above 4 GiB that nobody owns: the map copies it, no more. */
	KUNIT_ASSERT_EQ(test, physr_list_append(&big, 6ULL << 30,
						s.size + SZ_4K, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, dma_map_physr(sata, &big, DMA_TO_DEVICE, 0, &st[0]),
			-ENOMEM);
	KUNIT_EXPECT_EQ(test, dma_pool_used(), 0);
	physr_list_destroy(&big);

	/* Three quarters, three times: the third does not fit. */
	b = dma_test_buf(test, s.size / 4 * 3, MM_LAYOUT_CONTIG, GFP_KERNEL, 25);
	KUNIT_ASSERT_EQ(test, dma_map_physr(sata, &b->list, DMA_TO_DEVICE, 0,
					    &st[0]), 0);
	KUNIT_EXPECT_EQ(test, dma_map_physr(sata, &b->list, DMA_TO_DEVICE, 0,
					    &st[1]), -ENOMEM);
	dma_unmap_physr(sata, &st[0], DMA_TO_DEVICE, 0);
	for (i = 0; i < 2; i++) {
		KUNIT_EXPECT_EQ(test, dma_map_physr(sata, &b->list,
				DMA_TO_DEVICE, 0, &st[i]), 0);
		dma_unmap_physr(sata, &st[i], DMA_TO_DEVICE, 0);
	}
	KUNIT_EXPECT_EQ(test, dma_pool_used(), 0);
}

/* A device whose mask does not reach even the pool: -EIO. */
static void dma_bounce_unreachable(struct kunit *test)
{
	struct device *sata = dma_test_dev(test, "sata");
	struct swiotlb_stats s;
	struct dma_test_buf *b;
	struct dma_map_state st;

	dma_test_save_limits(test, sata);
	swiotlb_get_stats(&s);
	KUNIT_ASSERT_EQ(test, dma_set_mask(sata, DMA_BIT_MASK(24)), 0);
	KUNIT_ASSERT_GT(test, s.start, DMA_BIT_MASK(24));
	b = dma_test_buf(test, SZ_4K, MM_LAYOUT_PAGE_4K, GFP_KERNEL, 26);
	KUNIT_EXPECT_EQ(test, dma_map_physr(sata, &b->list, DMA_TO_DEVICE, 0,
					    &st), -EIO);
	KUNIT_EXPECT_EQ(test, dma_pool_used(), 0);
}

/*
 * A range without a provider that is not RAM beyond the 32-bit mask (a
 * BAR, or nothing at all past the end of RAM) would bounce: the copy in
 * would read the direct map where there is none.  Refused (-EINVAL)
 * before any slot is taken, alone or after a RAM range that bounces.
 */
static void dma_bounce_not_ram(struct kunit *test)
{
	const phys_addr_t bad[] = {
		pci_resource_start(pci_test_dev(test, "gpu1"), 2), 10ULL << 30,
	};
	struct device *sata = dma_test_dev(test, "sata");
	struct swiotlb_stats s0, s1;
	struct dma_map_state st;
	struct dma_test_buf *b;
	unsigned int i, ram;

	b = dma_test_buf(test, SZ_4K, MM_LAYOUT_PAGE_4K, GFP_KERNEL, 28);
	KUNIT_ASSERT_GT(test, page_to_phys(b->mb->pages[0]), DMA_BIT_MASK(32));
	for (i = 0; i < 2 * ARRAY_SIZE(bad); i++) {
		struct physr_list *list = dma_test_list(test);

		ram = i & 1;
		if (ram)
			KUNIT_ASSERT_EQ(test, physr_list_append(list,
					page_to_phys(b->mb->pages[0]), SZ_4K,
								GFP_KERNEL), 0);
		KUNIT_ASSERT_EQ(test, physr_list_append(list, bad[i / 2] + 64,
							SZ_8K, GFP_KERNEL), 0);
		swiotlb_get_stats(&s0);
		memset(&st, 0xa5, sizeof(st));
		KUNIT_EXPECT_EQ(test, dma_map_physr(sata, list, DMA_TO_DEVICE,
						    0, &st), -EINVAL);
		swiotlb_get_stats(&s1);
		KUNIT_EXPECT_EQ(test, s1.maps, s0.maps);
		KUNIT_EXPECT_EQ(test, s1.bounced_bytes, s0.bounced_bytes);
		KUNIT_EXPECT_EQ(test, dma_pool_used(), 0);
		KUNIT_EXPECT_FALSE(test, dma_map_state_mapped(&st));
	}
	KUNIT_EXPECT_EQ(test, dma_debug_nr_live(sata), 0);
}

/* After a failed round, also: no slot of the pool taken. */
static bool dma_bounce_fail_check(struct kunit *test, void *arg)
{
	KUNIT_EXPECT_EQ(test, dma_pool_used(), 0);
	return dma_test_fail_check(test, arg);
}

/* Every allocation of a bouncing map fails in turn. */
static void dma_bounce_fail_nth(struct kunit *test)
{
	struct dma_test_fail c;
	struct dma_test_buf *b;

	b = dma_test_buf(test, SZ_1M, MM_LAYOUT_PAGE_4K, GFP_KERNEL, 27);
	dma_test_fail_init(&c, dma_test_dev(test, "sata"), &b->list);
	dma_test_fail_nth(test, &c, dma_bounce_fail_check);
	/* The slots of consecutive pages are consecutive: ranges merge. */
	KUNIT_EXPECT_EQ(test, dma_list_len(&c.st.dma), SZ_1M);
	dma_expect_bounced(test, &c.st.dma);
	dma_unmap_physr(c.dev, &c.st, DMA_BIDIRECTIONAL, 0);
}

static struct kunit_case dma_bounce_cases[] = {
	KUNIT_CASE(dma_bounce_roundtrip),
	KUNIT_CASE(dma_bounce_partial),
	KUNIT_CASE(dma_bounce_skip_sync),
	KUNIT_CASE(dma_bounce_exhausted),
	KUNIT_CASE(dma_bounce_unreachable),
	KUNIT_CASE(dma_bounce_not_ram),
	KUNIT_CASE(dma_bounce_fail_nth),
	{}
};

DEFINE_DMA_TEST_SUITE(dma_bounce_suite, "dma_swiotlb",
		      dma_test_suite_init_no_iommu, dma_bounce_cases);

/* ---- one list, three kinds of device ---------------------------------------- */

static struct pci_test_board dma_three_board;

/* The default board, plus hb1 without an IOMMU: gpu2, and 32-bit sata2. */
static int dma_three_suite_init(struct kunit_suite *suite __always_unused)
{
	struct pci_test_board *tb = &dma_three_board;
	int hb, rp;

	pci_test_board_default(tb);
	hb = pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "hb1", .type = SIM_PCI_HOST_BRIDGE, .parent = -1,
		.vendor = 0x5ca1, .device = 0x0100, .bus = 0x40,
		.iommu_unit = SIM_PCI_NO_IOMMU, .p2p_forward = true });
	rp = pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "rpD", .type = SIM_PCI_ROOT_PORT, .parent = hb });
	pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "gpu2", .type = SIM_PCI_ENDPOINT, .parent = rp,
		.bar[0] = { SZ_1M, 0 } });
	rp = pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "rpE", .type = SIM_PCI_ROOT_PORT, .parent = hb });
	pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "sata2", .type = SIM_PCI_ENDPOINT, .parent = rp,
		.dma_bits = 32, .bar[5] = { SZ_8K, 0 } });
	return dma_test_boot(tb, IOMMU_DOMAIN_DMA);
}

static void dma_three_devices(struct kunit *test)
{
	static const char * const names[] = { "gpu1", "gpu2", "sata2" };
	static const enum dma_path paths[] = {
		DMA_PATH_IOMMU, DMA_PATH_DIRECT, DMA_PATH_DIRECT,
	};
	struct dma_test_shared sh = { .names = names, .n = ARRAY_SIZE(names) };
	const u64 len = SZ_256K;
	int i;

	for (i = 0; i < sh.n; i++)
		KUNIT_EXPECT_EQ(test, dma_dev_path(dma_test_dev(test, names[i])),
				paths[i]);
	dma_test_shared_map(test, &sh, len, 31, 17);
	/* IOMMU: one IOVA range; direct: the list itself; bounce: the pool. */
	KUNIT_EXPECT_EQ(test, dma_list_len(&sh.st[0].dma), len);
	KUNIT_EXPECT_EQ(test, dma_list_heap_bytes(&sh.st[0].dma), 0);
	KUNIT_EXPECT_EQ(test, dma_list_first_addr(&sh.st[1].dma),
			page_to_phys(sh.b->mb->pages[0]));
	KUNIT_EXPECT_EQ(test, dma_list_heap_bytes(&sh.st[1].dma), 0);
	dma_expect_bounced(test, &sh.st[2].dma);
	dma_test_shared_expect_reads(test, &sh);
	dma_test_shared_unmap(test, &sh);
	KUNIT_EXPECT_EQ(test, dma_pool_used(), 0);
}

static struct kunit_case dma_three_cases[] = {
	KUNIT_CASE(dma_three_devices),
	{}
};

DEFINE_DMA_TEST_SUITE(dma_three_suite, "dma_three_devices",
		      dma_three_suite_init, dma_three_cases);

kunit_test_suites(&dma_bounce_suite, &dma_three_suite);
