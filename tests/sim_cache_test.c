// SPDX-License-Identifier: GPL-2.0
/*
 * The machine's cache model (sim/cache.c), driven directly: CPU stores
 * through sim_cpu_write(), the two cache instructions, and DMA by a
 * non-coherent device (GPU1) and a coherent one (GPU0), on the default
 * board without an IOMMU, so DMA addresses are physical.
 */
#include <kunit/test.h>
#include <linux/gfp.h>
#include <linux/mm.h>

#include "arch/sim/boot.h"
#include "sim/cache.h"
#include "sim/dma.h"
#include "tests/pci_boards.h"

static struct pci_test_board sim_cache_board;

static int sim_cache_suite_init(struct kunit_suite *suite __always_unused)
{
	pci_test_board_default(&sim_cache_board);
	pci_test_board_no_iommu(&sim_cache_board);
	pci_test_node(&sim_cache_board, "gpu1")->dma_noncoherent = true;
	return machine_boot(&sim_cache_board.cfg);
}

static void sim_cache_suite_exit(struct kunit_suite *suite __always_unused)
{
	machine_shutdown();
}

static void sim_cache_put_page(void *page)
{
	__free_page(page);
}

static phys_addr_t sim_cache_page(struct kunit *test)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);

	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
			sim_cache_put_page, page), 0);
	return page_to_phys(page);
}

static u16 sim_cache_rid(struct kunit *test, const char *name)
{
	struct sim_fw_pci_node fw;

	KUNIT_ASSERT_GE(test, pci_test_fw_find(name, &fw), 0);
	KUNIT_EXPECT_EQ(test, fw.dma_noncoherent, !strcmp(name, "gpu1"));
	return fw.rid;
}

static void sim_cache_drain(void)
{
	struct sim_cache_event ev;

	while (!sim_cache_read_event(&ev))
		;
}

/* Stale reads and stale cache: the two missing syncs, byte for byte. */
static void sim_cache_stale(struct kunit *test)
{
	u16 nc = sim_cache_rid(test, "gpu1");
	phys_addr_t pa = sim_cache_page(test);
	struct sim_cache_stats s0, s1;
	struct sim_cache_event ev;
	u8 a[256], b[256], got[256];

	sim_cache_drain();
	memset(a, 0xaa, sizeof(a));
	memset(b, 0xbb, sizeof(b));

	/* No copy of memory yet: memory and cache agree. */
	KUNIT_ASSERT_EQ(test, sim_cpu_write(pa, a, sizeof(a)), 0);
	KUNIT_EXPECT_EQ(test, sim_dma_read(nc, pa, got, sizeof(got)), 0);
	KUNIT_EXPECT_MEMEQ(test, got, a, sizeof(a));

	/* Cleaned, then written by the CPU: the device reads stale memory. */
	sim_cache_stats_get(&s0);
	KUNIT_EXPECT_EQ(test, sim_cpu_cache_clean(pa, sizeof(a)), 0);
	KUNIT_ASSERT_EQ(test, sim_cpu_write(pa + 64, b, 64), 0);
	KUNIT_EXPECT_EQ(test, sim_dma_read(nc, pa, got, sizeof(got)), 0);
	KUNIT_EXPECT_MEMEQ(test, got, a, sizeof(a));
	sim_cache_stats_get(&s1);
	KUNIT_EXPECT_EQ(test, s1.stale_reads - s0.stale_reads, 1);
	KUNIT_EXPECT_EQ(test, s1.lines_written_back - s0.lines_written_back,
			sizeof(a) / SIM_CACHE_LINE);
	KUNIT_ASSERT_EQ(test, sim_cache_read_event(&ev), 0);
	KUNIT_EXPECT_EQ(test, ev.rid, nc);
	KUNIT_EXPECT_EQ(test, ev.pa, pa + 64);
	KUNIT_EXPECT_EQ(test, ev.lines, 1);
	KUNIT_EXPECT_EQ(test, sim_cache_read_event(&ev), -ENOENT);

	/* Clean it: the device reads the CPU's bytes. */
	KUNIT_EXPECT_EQ(test, sim_cpu_cache_clean(pa + 64, 1), 0);
	KUNIT_EXPECT_EQ(test, sim_dma_read(nc, pa + 64, got, 64), 0);
	KUNIT_EXPECT_MEMEQ(test, got, b, 64);

	/* The device writes memory: the CPU sees it after an invalidate. */
	KUNIT_EXPECT_EQ(test, sim_dma_write(nc, pa, b, sizeof(b)), 0);
	KUNIT_EXPECT_EQ(test, sim_cpu_read(pa, got, 64), 0);
	KUNIT_EXPECT_MEMEQ(test, got, a, 64);
	/* A clean does not write the CPU's stale lines over them... */
	KUNIT_EXPECT_EQ(test, sim_cpu_cache_clean(pa, sizeof(b)), 0);
	/* ... and the device's own read of them is not stale. */
	KUNIT_EXPECT_EQ(test, sim_dma_read(nc, pa, got, sizeof(got)), 0);
	KUNIT_EXPECT_MEMEQ(test, got, b, sizeof(b));
	KUNIT_EXPECT_EQ(test, sim_cache_read_event(&ev), -ENOENT);
	KUNIT_EXPECT_EQ(test, sim_cpu_cache_invalidate(pa, sizeof(b)), 0);
	KUNIT_EXPECT_EQ(test, sim_cpu_read(pa, got, sizeof(got)), 0);
	KUNIT_EXPECT_MEMEQ(test, got, b, sizeof(b));
}

/* A coherent device sees the CPU's view and updates memory too. */
static void sim_cache_coherent(struct kunit *test)
{
	u16 nc = sim_cache_rid(test, "gpu1");
	u16 co = sim_cache_rid(test, "gpu0");
	phys_addr_t pa = sim_cache_page(test);
	struct sim_cache_event ev;
	u8 a[128], b[128], got[128];

	sim_cache_drain();
	memset(a, 0x11, sizeof(a));
	memset(b, 0x22, sizeof(b));
	KUNIT_EXPECT_EQ(test, sim_cpu_cache_clean(pa, PAGE_SIZE), 0);
	KUNIT_ASSERT_EQ(test, sim_cpu_write(pa, a, sizeof(a)), 0);
	/* Snooped: the CPU's new bytes, though memory is stale. */
	KUNIT_EXPECT_EQ(test, sim_dma_read(co, pa, got, sizeof(got)), 0);
	KUNIT_EXPECT_MEMEQ(test, got, a, sizeof(a));
	/* A coherent write reaches both. */
	KUNIT_EXPECT_EQ(test, sim_dma_write(co, pa, b, sizeof(b)), 0);
	KUNIT_EXPECT_EQ(test, sim_cpu_read(pa, got, sizeof(got)), 0);
	KUNIT_EXPECT_MEMEQ(test, got, b, sizeof(b));
	KUNIT_EXPECT_EQ(test, sim_dma_read(nc, pa, got, sizeof(got)), 0);
	KUNIT_EXPECT_MEMEQ(test, got, b, sizeof(b));
	KUNIT_EXPECT_EQ(test, sim_cache_read_event(&ev), -ENOENT);
}

/* Instructions on MMIO do nothing; on a hole they are refused. */
static void sim_cache_not_ram(struct kunit *test)
{
	struct sim_fw_pci_node fw;

	KUNIT_ASSERT_GE(test, pci_test_fw_find("gpu0", &fw), 0);
	KUNIT_EXPECT_EQ(test, sim_cpu_cache_clean(fw.bar[2].cpu_addr, SZ_8K), 0);
	KUNIT_EXPECT_EQ(test, sim_cpu_cache_invalidate(fw.bar[2].cpu_addr, 64),
			0);
	KUNIT_EXPECT_EQ(test, sim_cpu_cache_clean(3 * GiB + SZ_1G / 2, 64),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, sim_cpu_cache_clean(~0ULL - 8, 64), -EINVAL);
	KUNIT_EXPECT_EQ(test, sim_cpu_cache_clean(0, 0), 0);
}

static struct kunit_case sim_cache_cases[] = {
	KUNIT_CASE(sim_cache_stale),
	KUNIT_CASE(sim_cache_coherent),
	KUNIT_CASE(sim_cache_not_ram),
	{}
};

static struct kunit_suite sim_cache_suite = {
	.name = "sim_cache",
	.suite_init = sim_cache_suite_init,
	.suite_exit = sim_cache_suite_exit,
	.test_cases = sim_cache_cases,
};
kunit_test_suite(sim_cache_suite);
