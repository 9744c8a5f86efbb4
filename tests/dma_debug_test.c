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

/* ---- switched off ------------------------------------------------------------ */

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

kunit_test_suites(&dma_debug_suite, &dma_debug_off_suite);
