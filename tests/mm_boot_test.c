// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of booting: machine_boot()/mm_init() on machines of unusual
 * shapes and physical address widths, memblock, error paths, and how
 * little of the memmap a boot touches.
 *
 * Each case boots (and shuts down) its own machine.
 */
#include <sys/mman.h>
#include <time.h>

#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/gfp.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/swiotlb.h>

#include "arch/sim/boot.h"
#include "sim/sim.h"

#define GiB	(1ULL << 30)
#define MiB	(1ULL << 20)

static void mm_boot_test_exit(struct kunit *test __always_unused)
{
	machine_shutdown();
}

static u64 mm_boot_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Bytes of the memmap the host has actually backed. */
static u64 memmap_resident(struct kunit *test)
{
	size_t len = ALIGN(max_pfn * sizeof(struct page), PAGE_SIZE);
	size_t n = len / PAGE_SIZE, i;
	unsigned char *vec = kunit_kzalloc(test, n, GFP_KERNEL);
	u64 resident = 0;

	KUNIT_ASSERT_NOT_NULL(test, vec);
	KUNIT_ASSERT_EQ(test, mincore(vmemmap, len, vec), 0);
	for (i = 0; i < n; i++)
		resident += (vec[i] & 1) * PAGE_SIZE;
	kunit_kfree(test, vec);
	return resident;
}

static void mm_boot_default(struct kunit *test)
{
	u64 t0, t1;

	t0 = mm_boot_now_ns();
	KUNIT_ASSERT_EQ(test, machine_boot(NULL), 0);
	t1 = mm_boot_now_ns();
	kunit_info(test, "booted 8 GiB in %llu us\n",
		   (unsigned long long)(t1 - t0) / 1000);

	/* One struct page per initial free block: a few memmap pages. */
	KUNIT_EXPECT_LE(test, memmap_resident(test), 16 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, nr_free_pages(), 8 * GiB / PAGE_SIZE);

	KUNIT_EXPECT_EQ(test, machine_boot(NULL), -EBUSY);
	KUNIT_EXPECT_EQ(test, mm_init(), -EBUSY);
	machine_shutdown();
	KUNIT_EXPECT_FALSE(test, sim_machine_present());
	KUNIT_EXPECT_EQ(test, nr_free_pages(), 0UL);

	/* Boot again on the same process: nothing left over. */
	KUNIT_ASSERT_EQ(test, machine_boot(NULL), 0);
	KUNIT_EXPECT_EQ(test, nr_free_pages(), 8 * GiB / PAGE_SIZE);
}

static void mm_boot_errors(struct kunit *test)
{
	struct sim_config cfg = { 0 };

	KUNIT_EXPECT_EQ(test, mm_init(), -ENODEV);
	KUNIT_EXPECT_EQ(test, machine_boot(&cfg), -EINVAL);
	KUNIT_EXPECT_FALSE(test, sim_machine_present());
}

/*
 * RAM that is neither GiB-aligned nor a power of two: every page is
 * handed out exactly once, then everything merges back.
 */
static void mm_boot_odd_ram(struct kunit *test)
{
	const u64 r0_base = MiB, r0_size = 100 * MiB + 3 * PAGE_SIZE;
	const u64 r1_base = 6 * GiB + 2 * PAGE_SIZE, r1_size = 64 * MiB;
	const unsigned long managed = (r0_size + r1_size) / PAGE_SIZE;
	struct mm_page_stats before, after;
	struct sim_config cfg = { 0 };
	unsigned long *seen, n = 0, pfn;
	struct page *page, *first = NULL;

	sim_config_add_ram(&cfg, r1_base, r1_size);
	sim_config_add_ram(&cfg, r0_base, r0_size);
	KUNIT_ASSERT_EQ(test, machine_boot(&cfg), 0);

	mm_page_stats(&before);
	KUNIT_EXPECT_EQ(test, before.managed_pages, (u64)managed);
	KUNIT_EXPECT_EQ(test, before.free_pages, (u64)managed);
	KUNIT_EXPECT_EQ(test, before.dma32_free_pages, r0_size / PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, max_pfn, (r1_base + r1_size) / PAGE_SIZE);

	KUNIT_EXPECT_FALSE(test, pfn_valid(r0_base / PAGE_SIZE - 1));
	KUNIT_EXPECT_TRUE(test, pfn_valid(r0_base / PAGE_SIZE));
	KUNIT_EXPECT_TRUE(test, pfn_valid((r0_base + r0_size) / PAGE_SIZE - 1));
	KUNIT_EXPECT_FALSE(test, pfn_valid((r0_base + r0_size) / PAGE_SIZE));
	KUNIT_EXPECT_FALSE(test, pfn_valid(r1_base / PAGE_SIZE - 1));
	KUNIT_EXPECT_TRUE(test, pfn_valid(r1_base / PAGE_SIZE));

	seen = kunit_kcalloc(test, BITS_TO_LONGS(max_pfn), sizeof(long),
			     GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, seen);

	/*
	 * Take every page, chaining them through their own memory (page
	 * address holds the next page), so this needs no big array.
	 */
	while ((page = alloc_page(GFP_KERNEL))) {
		pfn = page_to_pfn(page);
		KUNIT_ASSERT_TRUE_MSG(test, pfn_valid(pfn), "pfn %#lx", pfn);
		KUNIT_ASSERT_FALSE_MSG(test, test_bit(pfn, seen),
				       "pfn %#lx twice", pfn);
		__set_bit(pfn, seen);
		*(struct page **)page_address(page) = first;
		first = page;
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, managed);
	KUNIT_EXPECT_EQ(test, nr_free_pages(), 0UL);

	while (first) {
		page = first;
		first = *(struct page **)page_address(page);
		__free_page(page);
	}
	mm_page_stats(&after);
	KUNIT_EXPECT_EQ(test, after.free_pages, before.free_pages);
	KUNIT_EXPECT_EQ(test, after.allocated_pages, 0ULL);
	KUNIT_EXPECT_EQ(test, memcmp(after.free_blocks, before.free_blocks,
				     sizeof(after.free_blocks)), 0);
}

/* A machine with no RAM above 4 GiB: everything comes from DMA32. */
static void mm_boot_low_only(struct kunit *test)
{
	struct sim_config cfg = { 0 };
	struct page *page;

	sim_config_add_ram(&cfg, 0, 2 * GiB);
	KUNIT_ASSERT_EQ(test, machine_boot(&cfg), 0);
	page = alloc_pages(GFP_KERNEL, 5);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_LT(test, page_to_phys(page), 2 * GiB);
	__free_pages(page, 5);
}

/* A machine with RAM only above 4 GiB: DMA32 allocations fail. */
static void mm_boot_high_only(struct kunit *test)
{
	struct sim_config cfg = { 0 };
	struct page *page;

	sim_config_add_ram(&cfg, 16 * GiB, GiB);
	KUNIT_ASSERT_EQ(test, machine_boot(&cfg), 0);
	KUNIT_EXPECT_NULL(test, alloc_pages(GFP_DMA32, 0));
	page = alloc_pages(GFP_KERNEL, 0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_GE(test, page_to_phys(page), 16 * GiB);
	KUNIT_EXPECT_FALSE(test, pfn_valid(0));
	__free_page(page);
}

/*
 * The memmap spans the physical address width the firmware reports: a
 * device page in the last subsection below 2^bits gets a struct page, one
 * at 2^bits is refused.  With 47 bits that last subsection lies beyond
 * the default 46, with 40 bits 2^40 is refused where 46 would take it.
 */
static void mm_boot_phys_addr_bits_one(struct kunit *test, unsigned int bits)
{
	struct dev_pagemap pgmap = { .type = MEMORY_DEVICE_PCI_P2PDMA };
	struct sim_config cfg = { .phys_addr_bits = bits };

	sim_config_add_ram(&cfg, 0, GiB);
	KUNIT_ASSERT_EQ(test, machine_boot(&cfg), 0);
	KUNIT_EXPECT_EQ(test, MAX_PHYSMEM_BITS, bits);

	pgmap.start = (1ULL << bits) - SZ_2M;
	pgmap.size = SZ_2M;
	KUNIT_ASSERT_EQ(test, memremap_pages(&pgmap), 0);
	KUNIT_EXPECT_PTR_EQ(test, page_pgmap(pfn_to_page(PHYS_PFN(pgmap.start) +
							  PAGES_PER_SUBSECTION - 1)),
			    &pgmap);
	memunmap_pages(&pgmap);

	pgmap.start = 1ULL << bits;
	KUNIT_EXPECT_EQ(test, memremap_pages(&pgmap), -EINVAL);
	machine_shutdown();
}

static void mm_boot_phys_addr_bits(struct kunit *test)
{
	struct sim_config cfg = { .phys_addr_bits = 32 };

	mm_boot_phys_addr_bits_one(test, 40);
	mm_boot_phys_addr_bits_one(test, 47);

	/* RAM beyond the width, widths the firmware cannot report. */
	sim_config_add_ram(&cfg, 4 * GiB, GiB);
	KUNIT_EXPECT_EQ(test, machine_boot(&cfg), -EINVAL);
	cfg.nr_ram = 0;
	sim_config_add_ram(&cfg, 0, GiB);
	cfg.phys_addr_bits = SIM_FW_PHYS_ADDR_BITS_MIN - 1;
	KUNIT_EXPECT_EQ(test, machine_boot(&cfg), -EINVAL);
	cfg.phys_addr_bits = SIM_FW_PHYS_ADDR_BITS_MAX + 1;
	KUNIT_EXPECT_EQ(test, machine_boot(&cfg), -EINVAL);
	KUNIT_EXPECT_FALSE(test, sim_machine_present());
}

/*
 * memblock by itself, without a machine: what setup_arch() hands mm.
 * Ranges come in any order and stay sorted, partial pages are not RAM,
 * overlaps and ranges beyond the width are refused, removal splits.
 */
static void mm_boot_memblock(struct kunit *test)
{
	const unsigned long M = MiB / PAGE_SIZE;

	max_physmem_bits = 36;
	KUNIT_EXPECT_EQ(test, memblock_add(64 * MiB, 32 * MiB), 0);
	KUNIT_EXPECT_EQ(test, memblock_add(PAGE_SIZE + 1, 16 * MiB), 0);
	KUNIT_EXPECT_EQ(test, memblock_add(100, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, memblock_add(80 * MiB, PAGE_SIZE), -EINVAL);
	KUNIT_EXPECT_EQ(test, memblock_add(60 * MiB, 8 * MiB), -EINVAL);
	KUNIT_EXPECT_EQ(test, memblock_add(64 * GiB - MiB, 2 * MiB), -EINVAL);
	KUNIT_EXPECT_EQ(test, memblock_add(U64_MAX - MiB, 2 * MiB), -EINVAL);
	KUNIT_EXPECT_EQ(test, memblock_add(MiB, 0), -EINVAL);

	KUNIT_ASSERT_EQ(test, mm_nr_ram_ranges, 2U);
	KUNIT_EXPECT_EQ(test, mm_ram_ranges[0].start_pfn, 2UL);
	KUNIT_EXPECT_EQ(test, mm_ram_ranges[0].end_pfn, 16 * M + 1);
	KUNIT_EXPECT_EQ(test, mm_ram_ranges[1].start_pfn, 64 * M);
	KUNIT_EXPECT_EQ(test, mm_ram_ranges[1].end_pfn, 96 * M);

	/* A hole in the middle of the second, then its tail. */
	KUNIT_EXPECT_EQ(test, memblock_remove(70 * MiB + 1, MiB), 0);
	KUNIT_ASSERT_EQ(test, mm_nr_ram_ranges, 3U);
	KUNIT_EXPECT_EQ(test, mm_ram_ranges[1].end_pfn, 70 * M);
	KUNIT_EXPECT_EQ(test, mm_ram_ranges[2].start_pfn, 71 * M + 1);
	KUNIT_EXPECT_EQ(test, memblock_remove(90 * MiB, GiB), 0);
	KUNIT_EXPECT_EQ(test, mm_ram_ranges[2].end_pfn, 90 * M);

	KUNIT_EXPECT_EQ(test, memblock_remove(0, PHYS_ADDR_MAX), 0);
	KUNIT_EXPECT_EQ(test, mm_nr_ram_ranges, 0U);
	KUNIT_EXPECT_EQ(test, mm_init(), -ENODEV);
	max_physmem_bits = 0;
	KUNIT_EXPECT_EQ(test, memblock_add(0, MiB), -EINVAL);
}

static struct kunit_case mm_boot_cases[] = {
	KUNIT_CASE(mm_boot_default),
	KUNIT_CASE(mm_boot_errors),
	KUNIT_CASE(mm_boot_odd_ram),
	KUNIT_CASE(mm_boot_low_only),
	KUNIT_CASE(mm_boot_high_only),
	KUNIT_CASE(mm_boot_phys_addr_bits),
	KUNIT_CASE(mm_boot_memblock),
	{}
};

/* No bounce pool: a booted machine must have all of its RAM free. */
static int mm_boot_suite_init(struct kunit_suite *suite __always_unused)
{
	return swiotlb_set_default_size(0);
}

static void mm_boot_suite_exit(struct kunit_suite *suite __always_unused)
{
	swiotlb_set_default_size(SWIOTLB_DEFAULT_SIZE);
}

static struct kunit_suite mm_boot_suite = {
	.name = "mm_boot",
	.suite_init = mm_boot_suite_init,
	.suite_exit = mm_boot_suite_exit,
	.exit = mm_boot_test_exit,
	.test_cases = mm_boot_cases,
};
kunit_test_suite(mm_boot_suite);
