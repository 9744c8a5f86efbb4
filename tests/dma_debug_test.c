// SPDX-License-Identifier: GPL-2.0
/*
 * The DMA sanitizer (kernel/dma/debug.c): deliberate misuse, each with
 * the report it must cause and the callers it names (return addresses
 * of DMA API calls, symbolised: the function that made the call), and a
 * clean run that must cause none.  Device accesses are made with the machine's DMA
 * engine, as a driver's device would; the sanitizer learns of them from
 * the machine's transfer trace.
 *
 * dma_debug runs on the default board with identity domains: on the
 * direct path no IOMMU catches anything, so only the sanitizer can.
 * dma_debug_off boots with the sanitizer switched off.
 */
#include <linux/swiotlb.h>

#include "tests/dma_test.h"

/* Everything done right: no report at all. */
static void dma_debug_clean(struct kunit *test)
{
	struct device *gpu1 = dma_test_dev(test, "gpu1");
	struct device *sata = dma_test_dev(test, "sata");
	struct dma_map_state a, b;
	struct dma_test_buf *buf;
	unsigned long before;
	u8 *io;

	before = dma_debug_reports();
	KUNIT_EXPECT_TRUE(test, dma_debug_enabled());
	buf = dma_test_buf(test, SZ_64K, MM_LAYOUT_PAGE_4K, GFP_KERNEL, 61);
	io = dma_test_alloc(test, SZ_64K);
	KUNIT_ASSERT_EQ(test, dma_map_physr(gpu1, &buf->list, DMA_TO_DEVICE, 0,
					    &a), 0);
	KUNIT_ASSERT_EQ(test, dma_map_physr(sata, &buf->list,
					    DMA_BIDIRECTIONAL, 0, &b), 0);
	KUNIT_EXPECT_EQ(test, dma_debug_nr_live(gpu1), 1);
	KUNIT_EXPECT_EQ(test, dma_test_dev_io(gpu1, &a.dma, io, false), 0);
	KUNIT_EXPECT_EQ(test, dma_test_dev_io(sata, &b.dma, io, true), 0);
	dma_sync_physr_for_cpu(sata, &b, DMA_BIDIRECTIONAL);
	dma_sync_physr_range_for_device(sata, &b, SZ_4K, SZ_8K,
					DMA_BIDIRECTIONAL);
	KUNIT_EXPECT_EQ(test, dma_test_dev_io(sata, &b.dma, io, false), 0);
	dma_unmap_physr(sata, &b, DMA_BIDIRECTIONAL, 0);
	dma_unmap_physr(gpu1, &a, DMA_TO_DEVICE, 0);
	dma_debug_device_teardown(gpu1);
	dma_debug_check();
	KUNIT_EXPECT_EQ(test, dma_debug_reports(), before);
	KUNIT_EXPECT_EQ(test, dma_debug_nr_live(NULL), 0);
}

/* Unmap of what is not mapped: reported with the caller, and skipped. */
static void dma_debug_unmap_not_mapped(struct kunit *test)
{
	struct device *dev = dma_test_dev(test, "gpu1");
	struct dma_map_state st = { 0 };
	struct dma_debug_report rep;
	struct dma_test_buf *b;
	char sym[KSYM_SYMBOL_LEN];
	unsigned long size, offset;

	dma_unmap_physr(dev, &st, DMA_TO_DEVICE, 0);
	dma_test_expect_reports(test, DMA_DEBUG_NOT_MAPPED, 1, &rep);
	dma_test_expect_caller(test, rep.caller, "dma_debug_unmap_not_mapped");
	KUNIT_EXPECT_EQ(test, rep.site, 0);
	/* As %pS prints it: function+0xoffset/0xsize. */
	KUNIT_ASSERT_TRUE(test, kallsyms_lookup_size_offset(rep.caller, &size,
							    &offset));
	KUNIT_EXPECT_GT(test, offset, 0);
	KUNIT_EXPECT_LT(test, offset, size);
	compat_snprintf(sym, sizeof(sym), "%pS", (void *)rep.caller);
	KUNIT_EXPECT_TRUE_MSG(test, str_has_prefix(sym,
				"dma_debug_unmap_not_mapped+0x"), "%s", sym);
	KUNIT_EXPECT_NOT_NULL(test, strchr(sym, '/'));

	/* Twice. */
	b = dma_test_buf(test, SZ_4K, MM_LAYOUT_PAGE_4K, GFP_KERNEL, 62);
	KUNIT_ASSERT_EQ(test, dma_map_physr(dev, &b->list, DMA_TO_DEVICE, 0,
					    &st), 0);
	dma_unmap_physr(dev, &st, DMA_TO_DEVICE, 0);
	dma_test_expect_reports(test, DMA_DEBUG_NOT_MAPPED, 0, NULL);
	dma_unmap_physr(dev, &st, DMA_TO_DEVICE, 0);
	dma_test_expect_reports(test, DMA_DEBUG_NOT_MAPPED, 1, NULL);
}

/*
 * An unmap made in a function of its own, so that a report names another
 * caller than the mapping's.  noinline: inlined, the unmap's caller would
 * be the test; and the barrier keeps the call from becoming a tail call,
 * whose return address would be the test's too.
 */
static noinline void dma_debug_unmap_elsewhere(struct device *dev,
					       struct dma_map_state *st,
					       enum dma_data_direction dir)
{
	dma_unmap_physr(dev, st, dir, 0);
	barrier();
}

/* Unmap with another direction or device: both callers in the report. */
static void dma_debug_unmap_mismatch(struct kunit *test)
{
	struct device *gpu1 = dma_test_dev(test, "gpu1");
	struct device *gpu0 = dma_test_dev(test, "gpu0");
	struct dma_debug_report rep;
	struct dma_map_state st;
	struct dma_test_buf *b;

	b = dma_test_buf(test, SZ_8K, MM_LAYOUT_PAGE_4K, GFP_KERNEL, 63);
	KUNIT_ASSERT_EQ(test, dma_map_physr(gpu1, &b->list, DMA_FROM_DEVICE, 0,
					    &st), 0);
	dma_debug_unmap_elsewhere(gpu1, &st, DMA_TO_DEVICE);
	dma_test_expect_reports(test, DMA_DEBUG_MISMATCH, 1, &rep);
	dma_test_expect_caller(test, rep.site, "dma_debug_unmap_mismatch");
	dma_test_expect_caller(test, rep.caller, "dma_debug_unmap_elsewhere");
	KUNIT_EXPECT_FALSE(test, dma_map_state_mapped(&st));

	KUNIT_ASSERT_EQ(test, dma_map_physr(gpu1, &b->list, DMA_FROM_DEVICE, 0,
					    &st), 0);
	dma_unmap_physr(gpu0, &st, DMA_FROM_DEVICE, 0);
	dma_test_expect_reports(test, DMA_DEBUG_MISMATCH, 1, &rep);
	KUNIT_EXPECT_PTR_EQ(test, rep.dev, gpu0);
	KUNIT_EXPECT_EQ(test, dma_debug_nr_live(gpu1), 0);
}

/* Sync of what is not mapped, in another direction, beyond the end. */
static void dma_debug_sync_misuse(struct kunit *test)
{
	struct device *dev = dma_test_dev(test, "gpu1");
	struct dma_map_state st = { 0 };
	struct dma_test_buf *b;

	dma_sync_physr_for_cpu(dev, &st, DMA_FROM_DEVICE);
	dma_test_expect_reports(test, DMA_DEBUG_NOT_MAPPED, 1, NULL);

	b = dma_test_buf(test, SZ_8K, MM_LAYOUT_PAGE_4K, GFP_KERNEL, 64);
	KUNIT_ASSERT_EQ(test, dma_map_physr(dev, &b->list, DMA_FROM_DEVICE, 0,
					    &st), 0);
	dma_sync_physr_for_cpu(dev, &st, DMA_TO_DEVICE);
	dma_test_expect_reports(test, DMA_DEBUG_MISMATCH, 1, NULL);
	dma_sync_physr_range_for_cpu(dev, &st, SZ_4K, SZ_8K, DMA_FROM_DEVICE);
	dma_test_expect_reports(test, DMA_DEBUG_MISMATCH, 1, NULL);
	dma_sync_physr_range_for_cpu(dev, &st, SZ_8K, 1, DMA_FROM_DEVICE);
	dma_test_expect_reports(test, DMA_DEBUG_MISMATCH, 1, NULL);
	dma_sync_physr_range_for_cpu(dev, &st, SZ_4K, SZ_4K, DMA_FROM_DEVICE);
	dma_test_expect_reports(test, DMA_DEBUG_MISMATCH, 0, NULL);
	dma_unmap_physr(dev, &st, DMA_FROM_DEVICE, 0);
}

/*
 * Device accesses on the direct path: beyond the mapping's end, after
 * unmap, against the direction.  The machine lets them all through.
 */
static void dma_debug_device_access(struct kunit *test)
{
	struct device *dev = dma_test_dev(test, "gpu1");
	struct dma_debug_report rep;
	struct dma_map_state st;
	struct dma_test_buf *b;
	struct physr_view v;
	dma_addr_t addr;
	u8 buf[SZ_4K];

	b = dma_test_buf(test, 2 * SZ_4K, MM_LAYOUT_CONTIG, GFP_KERNEL, 65);
	/* Map only the first of the two pages. */
	KUNIT_ASSERT_EQ(test, physr_list_slice(&b->list, 0, SZ_4K, &v), 0);
	KUNIT_ASSERT_EQ(test, dma_map_physr_view(dev, &v, DMA_TO_DEVICE, 0,
						 &st), 0);
	addr = dma_list_first_addr(&st.dma);

	/* Straddling the end: the first byte past it is reported. */
	KUNIT_EXPECT_EQ(test, sim_dma_read(dev->rid, addr + SZ_2K, buf, SZ_4K),
			0);
	dma_test_expect_reports(test, DMA_DEBUG_ACCESS_UNMAPPED, 1, &rep);
	KUNIT_EXPECT_PTR_EQ(test, rep.dev, dev);
	/* Writing a TO_DEVICE mapping. */
	KUNIT_EXPECT_EQ(test, sim_dma_write(dev->rid, addr, buf, 64), 0);
	dma_test_expect_reports(test, DMA_DEBUG_ACCESS_DIRECTION, 1, &rep);
	dma_test_expect_caller(test, rep.site, "dma_debug_device_access");
	KUNIT_EXPECT_EQ(test, rep.caller, 0);
	/* Reading it is fine. */
	KUNIT_EXPECT_EQ(test, sim_dma_read(dev->rid, addr, buf, SZ_4K), 0);
	dma_test_expect_reports(test, DMA_DEBUG_ACCESS_UNMAPPED, 0, NULL);
	dma_unmap_physr(dev, &st, DMA_TO_DEVICE, 0);
	/* After unmap. */
	KUNIT_EXPECT_EQ(test, sim_dma_read(dev->rid, addr, buf, 64), 0);
	dma_test_expect_reports(test, DMA_DEBUG_ACCESS_UNMAPPED, 1, NULL);
}

/*
 * A mapping made in a function of its own, for a report to name it.
 * noinline: inlined, the map's caller would be the test.
 */
static noinline int dma_debug_map_elsewhere(struct device *dev,
					    const struct physr_list *list,
					    enum dma_data_direction dir,
					    struct dma_map_state *st)
{
	int ret = dma_map_physr(dev, list, dir, 0, st);

	barrier();	/* not a tail call: see dma_debug_unmap_elsewhere() */
	return ret;
}

/* Mappings still live when the device goes: each with its caller. */
static void dma_debug_leak(struct kunit *test)
{
	struct device *dev = dma_test_dev(test, "gpu1");
	struct dma_debug_report rep;
	struct dma_map_state a, b;
	struct dma_test_buf *buf;

	buf = dma_test_buf(test, SZ_8K, MM_LAYOUT_PAGE_4K, GFP_KERNEL, 66);
	KUNIT_ASSERT_EQ(test, dma_map_physr(dev, &buf->list, DMA_TO_DEVICE, 0,
					    &a), 0);
	KUNIT_ASSERT_EQ(test, dma_debug_map_elsewhere(dev, &buf->list,
						      DMA_FROM_DEVICE, &b), 0);
	dma_debug_device_teardown(dev);
	/* The newest first: the report kept is the older one's, a's. */
	dma_test_expect_reports(test, DMA_DEBUG_LEAK, 2, &rep);
	dma_test_expect_caller(test, rep.site, "dma_debug_leak");
	KUNIT_EXPECT_EQ(test, rep.caller, 0);
	dma_unmap_physr(dev, &a, DMA_TO_DEVICE, 0);
	dma_debug_device_teardown(dev);
	dma_test_expect_reports(test, DMA_DEBUG_LEAK, 1, &rep);
	dma_test_expect_caller(test, rep.site, "dma_debug_map_elsewhere");
	/* Still recorded: the owner can still unmap them cleanly. */
	dma_unmap_physr(dev, &b, DMA_FROM_DEVICE, 0);
	dma_debug_device_teardown(dev);
	dma_test_expect_reports(test, DMA_DEBUG_LEAK, 0, NULL);
}

/* More transfers than the machine's trace holds: reported as lost. */
static void dma_debug_lost(struct kunit *test)
{
	struct device *dev = dma_test_dev(test, "gpu1");
	struct dma_map_state st;
	struct dma_test_buf *b;
	dma_addr_t addr;
	unsigned int i;
	u8 byte;

	b = dma_test_buf(test, SZ_4K, MM_LAYOUT_PAGE_4K, GFP_KERNEL, 67);
	KUNIT_ASSERT_EQ(test, dma_map_physr(dev, &b->list, DMA_TO_DEVICE, 0,
					    &st), 0);
	addr = dma_list_first_addr(&st.dma);
	for (i = 0; i < SIM_DMA_TRACE_RING + 10; i++)
		KUNIT_ASSERT_EQ(test, sim_dma_read(dev->rid, addr, &byte, 1), 0);
	dma_test_expect_reports(test, DMA_DEBUG_LOST, 1, NULL);
	dma_unmap_physr(dev, &st, DMA_TO_DEVICE, 0);
}

static struct kunit_case dma_debug_cases[] = {
	KUNIT_CASE(dma_debug_clean),
	KUNIT_CASE(dma_debug_unmap_not_mapped),
	KUNIT_CASE(dma_debug_unmap_mismatch),
	KUNIT_CASE(dma_debug_sync_misuse),
	KUNIT_CASE(dma_debug_device_access),
	KUNIT_CASE(dma_debug_leak),
	KUNIT_CASE(dma_debug_lost),
	{}
};

DEFINE_DMA_TEST_SUITE(dma_debug_suite, "dma_debug",
		      dma_test_suite_init_identity, dma_debug_cases);

/* ---- switched off -------------------------------------------------------- */

static int dma_debug_off_suite_init(struct kunit_suite *suite __always_unused)
{
	int ret;

	dma_debug_set_enabled(false);
	ret = dma_test_boot(NULL, IOMMU_DOMAIN_IDENTITY);
	dma_debug_set_enabled(true);
	return ret;
}

/* Off: no records, no reports; a bad unmap is only a WARN. */
static void dma_debug_off(struct kunit *test)
{
	struct device *dev = dma_test_dev(test, "gpu1");
	struct dma_map_state st = { 0 };
	struct dma_test_buf *b;
	u8 buf[64];

	KUNIT_EXPECT_FALSE(test, dma_debug_enabled());
	b = dma_test_buf(test, SZ_4K, MM_LAYOUT_PAGE_4K, GFP_KERNEL, 68);
	KUNIT_ASSERT_EQ(test, dma_map_physr(dev, &b->list, DMA_TO_DEVICE, 0,
					    &st), 0);
	KUNIT_EXPECT_EQ(test, dma_debug_nr_live(dev), 0);
	KUNIT_EXPECT_EQ(test, sim_dma_write(dev->rid,
			dma_list_first_addr(&st.dma), buf, sizeof(buf)), 0);
	dma_unmap_physr(dev, &st, DMA_TO_DEVICE, 0);
	KUNIT_EXPECT_WARN(test, dma_unmap_physr(dev, &st, DMA_TO_DEVICE, 0));
	dma_debug_check();
	KUNIT_EXPECT_EQ(test, dma_debug_reports(), 0);
}

static struct kunit_case dma_debug_off_cases[] = {
	KUNIT_CASE(dma_debug_off),
	{}
};

static struct kunit_suite dma_debug_off_suite = {
	.name = "dma_debug_off",
	.suite_init = dma_debug_off_suite_init,
	.suite_exit = dma_test_suite_exit,
	.test_cases = dma_debug_off_cases,
};

/* ---- a state moved before unmap ------------------------------------------ */

/*
 * The default board plus a host bridge without an IOMMU below which
 * sata2 has 32 address bits: GPU1 maps through the IOMMU (DMA domains),
 * sata2 bounces RAM above 4 GiB.
 */
static struct pci_test_board dma_moved_board;

static int dma_moved_boot(bool sanitizer)
{
	struct pci_test_board *tb = &dma_moved_board;
	int hb, rp, ret;

	pci_test_board_default(tb);
	hb = pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "hb1", .type = SIM_PCI_HOST_BRIDGE, .parent = -1,
		.vendor = 0x5ca1, .device = 0x0100, .bus = 0x40,
		.iommu_unit = SIM_PCI_NO_IOMMU, .p2p_forward = true });
	rp = pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "rpE", .type = SIM_PCI_ROOT_PORT, .parent = hb });
	pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "sata2", .type = SIM_PCI_ENDPOINT, .parent = rp,
		.dma_bits = 32, .bar[5] = { SZ_8K, 0 } });
	dma_debug_set_enabled(sanitizer);
	ret = dma_test_boot(tb, IOMMU_DOMAIN_DMA);
	dma_debug_set_enabled(true);
	return ret;
}

static int dma_moved_suite_init(struct kunit_suite *suite __always_unused)
{
	return dma_moved_boot(true);
}

/* What a mapping left behind once unmapped through a moved state. */
struct dma_moved_result {
	u64 iommu_mapped;	/* bytes GPU1's domain still maps */
	u64 iova_held;		/* IOVA bytes still allocated */
	int dev_read_after;	/* GPU1 reading the old IOVA */
	u64 pool_used;		/* swiotlb slots still used */
	bool data_back;		/* sata2's bytes reached the CPU */
	bool state_unmapped;	/* the copy says it is unmapped */
	unsigned long live;	/* sanitizer records left */
};

/*
 * Map, copy the state elsewhere, scribble over the original (its storage
 * reused), unmap through the copy.  Everything it allocates is freed
 * before it returns: the machine is rebooted between runs.
 */
static void dma_moved_run(struct kunit *test, struct dma_moved_result *res)
{
	struct device *gpu1 = dma_test_dev(test, "gpu1");
	struct device *sata2 = dma_test_dev(test, "sata2");
	struct iommu_domain *d = iommu_get_default_domain(gpu1);
	struct dma_map_state *st, *moved;
	struct swiotlb_stats pool;
	unsigned long before = dma_debug_reports();
	struct physr_list list = PHYSR_LIST_INIT;
	struct mm_buffer *mb;
	u8 *io, *dev_bytes;
	dma_addr_t iova;
	u64 mapped;

	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_ASSERT_EQ(test, dma_dev_path(sata2), DMA_PATH_DIRECT);
	st = dma_test_alloc(test, sizeof(*st));
	moved = dma_test_alloc(test, sizeof(*moved));
	io = dma_test_alloc(test, SZ_64K);
	dev_bytes = dma_test_alloc(test, SZ_64K);
	mb = mm_buffer_alloc(SZ_64K, MM_LAYOUT_PAGE_4K, 71, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, mb);
	KUNIT_ASSERT_EQ(test, physr_list_from_pages(&list, mb->pages,
			mb->nr_pages, 0, SZ_64K, GFP_KERNEL), 0);
	KUNIT_ASSERT_GT(test, page_to_phys(mb->pages[0]), DMA_BIT_MASK(32));

	/* Through the IOMMU. */
	mapped = dma_test_mapped(d);
	KUNIT_ASSERT_EQ(test, dma_map_physr(gpu1, &list, DMA_BIDIRECTIONAL, 0,
					    st), 0);
	iova = dma_list_first_addr(&st->dma);
	*moved = *st;
	memset(st, 0x5a, sizeof(*st));
	dma_unmap_physr(gpu1, moved, DMA_BIDIRECTIONAL, 0);
	res->iommu_mapped = dma_test_mapped(d) - mapped;
	res->iova_held = iova_allocated_bytes(&d->iovad);
	res->dev_read_after = sim_dma_read(gpu1->rid, iova, io, SZ_4K);
	iommu_poll_faults();
	res->state_unmapped = !dma_map_state_mapped(moved);

	/* Bounced: the device's bytes come back at unmap. */
	KUNIT_ASSERT_EQ(test, dma_map_physr(sata2, &list, DMA_FROM_DEVICE, 0,
					    st), 0);
	dma_test_fill(dev_bytes, SZ_64K, 72);
	KUNIT_EXPECT_EQ(test, dma_test_dev_io(sata2, &st->dma, dev_bytes, true),
			0);
	*moved = *st;
	memset(st, 0x5a, sizeof(*st));
	dma_unmap_physr(sata2, moved, DMA_FROM_DEVICE, 0);
	swiotlb_get_stats(&pool);
	res->pool_used = pool.used;
	res->state_unmapped &= !dma_map_state_mapped(moved);
	KUNIT_EXPECT_EQ(test, dma_test_cpu_list_io(&list, io, false), 0);
	res->data_back = !memcmp(io, dev_bytes, SZ_64K);

	dma_debug_check();
	res->live = dma_debug_nr_live(NULL);
	/* With the sanitizer: GPU1's read after unmap, nothing else. */
	KUNIT_EXPECT_EQ(test, dma_debug_reports() - before,
			dma_debug_enabled() ? 1UL : 0UL);
	physr_list_destroy(&list);
	mm_buffer_free(mb);
	dma_test_flush_iova_caches();
}

static void dma_moved_expect(struct kunit *test,
			     const struct dma_moved_result *r, const char *what)
{
	KUNIT_EXPECT_EQ_MSG(test, r->iommu_mapped, 0ULL, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, r->iova_held, 0ULL, "%s", what);
	KUNIT_EXPECT_NE_MSG(test, r->dev_read_after, 0, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, r->pool_used, 0ULL, "%s", what);
	KUNIT_EXPECT_TRUE_MSG(test, r->data_back, "%s", what);
	KUNIT_EXPECT_TRUE_MSG(test, r->state_unmapped, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, r->live, 0UL, "%s", what);
}

/*
 * A state copied before unmap unmaps the same with the sanitizer on and
 * off: the sanitizer finds the mapping by device and DMA address, as
 * upstream's dma-debug does, not by where the state lives.
 */
static void dma_debug_moved_state(struct kunit *test)
{
	struct dma_moved_result on = { 0 }, off = { 0 };

	KUNIT_ASSERT_TRUE(test, dma_debug_enabled());
	dma_moved_run(test, &on);

	dma_test_shutdown();
	KUNIT_ASSERT_EQ(test, dma_moved_boot(false), 0);
	KUNIT_EXPECT_FALSE(test, dma_debug_enabled());
	dma_moved_run(test, &off);
	dma_test_shutdown();
	KUNIT_ASSERT_EQ(test, dma_moved_boot(true), 0);
	/* The reboot started the counters again. */
	((struct dma_test_ctx *)test->priv)->reports_at_start = 0;

	dma_moved_expect(test, &on, "sanitizer on");
	dma_moved_expect(test, &off, "sanitizer off");
	KUNIT_EXPECT_MEMEQ(test, &on, &off, sizeof(on));
}

static struct kunit_case dma_moved_cases[] = {
	KUNIT_CASE(dma_debug_moved_state),
	{}
};

DEFINE_DMA_TEST_SUITE(dma_moved_suite, "dma_debug_moved",
		      dma_moved_suite_init, dma_moved_cases);

kunit_test_suites(&dma_debug_suite, &dma_debug_off_suite, &dma_moved_suite);
