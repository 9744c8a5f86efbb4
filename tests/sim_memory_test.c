// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the machine's memory (sim/memory.c): configuration checks,
 * the firmware RAM map, lazy backing, and CPU access through the linear
 * view, including faults in the MMIO hole and past the end of RAM.
 *
 * Each case creates and destroys its own machine (init/exit), since some
 * cases need a machine of their own shape.  The machines have RAM only (no
 * PCI board), so the hole below 4 GiB is empty; BARs are tested in
 * tests/pci_fabric_test.c.
 */
#include <kunit/test.h>
#include <linux/sizes.h>
#include <asm/page.h>

#include "sim/internal.h"
#include "sim/sim.h"

#define GiB	(1ULL << 30)
#define MiB	(1ULL << 20)

static int sim_memory_test_init(struct kunit *test __always_unused)
{
	struct sim_config cfg;

	sim_default_config(&cfg);
	cfg.board = NULL;
	return sim_machine_create(&cfg);
}

static void sim_memory_test_exit(struct kunit *test __always_unused)
{
	sim_machine_destroy();
}

static void sim_default_map(struct kunit *test)
{
	struct sim_ram_region r;

	KUNIT_ASSERT_TRUE(test, sim_machine_present());
	KUNIT_ASSERT_EQ(test, sim_fw_ram_count(), 2U);
	KUNIT_ASSERT_EQ(test, sim_fw_ram_region(0, &r), 0);
	KUNIT_EXPECT_EQ(test, r.base, 0ULL);
	KUNIT_EXPECT_EQ(test, r.size, 3 * GiB);
	KUNIT_ASSERT_EQ(test, sim_fw_ram_region(1, &r), 0);
	KUNIT_EXPECT_EQ(test, r.base, 4 * GiB);
	KUNIT_EXPECT_EQ(test, r.size, 5 * GiB);
	KUNIT_EXPECT_EQ(test, sim_fw_ram_region(2, &r), -ENOENT);
}

static void sim_create_twice(struct kunit *test)
{
	struct sim_config cfg;

	sim_default_config(&cfg);
	KUNIT_EXPECT_EQ(test, sim_machine_create(&cfg), -EBUSY);
	/* The running machine is untouched. */
	KUNIT_EXPECT_EQ(test, sim_fw_ram_count(), 2U);
	sim_machine_destroy();
	KUNIT_EXPECT_FALSE(test, sim_machine_present());
	KUNIT_EXPECT_EQ(test, sim_fw_ram_count(), 0U);
	KUNIT_EXPECT_NULL(test, sim_cpu_map(0, 1));
	KUNIT_EXPECT_EQ(test, sim_machine_create(&cfg), 0);
}

static void sim_bad_configs(struct kunit *test)
{
	static const struct {
		phys_addr_t base;
		u64 size;
	} bad[] = {
		{ 0, 0 },			/* empty */
		{ 0x800, SZ_1M },		/* unaligned base */
		{ 0, SZ_1M + 1 },		/* unaligned size */
		{ SIM_PHYS_ADDR_LIMIT - SZ_1M, SZ_2M },	/* past the limit */
		{ ~0ULL & PAGE_MASK, SZ_1M },	/* wraps */
	};
	struct sim_config cfg = { 0 };
	unsigned int i;

	sim_machine_destroy();
	KUNIT_EXPECT_EQ(test, sim_machine_create(&cfg), -EINVAL);
	KUNIT_EXPECT_EQ(test, sim_machine_create(NULL), -EINVAL);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(&cfg, 0, sizeof(cfg));
		sim_config_add_ram(&cfg, bad[i].base, bad[i].size);
		KUNIT_EXPECT_EQ_MSG(test, sim_machine_create(&cfg), -EINVAL,
				    "case %u", i);
		KUNIT_EXPECT_FALSE(test, sim_machine_present());
	}

	/* Overlapping regions, given out of order. */
	memset(&cfg, 0, sizeof(cfg));
	sim_config_add_ram(&cfg, 2 * GiB, GiB);
	sim_config_add_ram(&cfg, GiB, GiB + PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, sim_machine_create(&cfg), -EINVAL);

	memset(&cfg, 0, sizeof(cfg));
	for (i = 0; i < SIM_MAX_RAM_REGIONS; i++)
		KUNIT_EXPECT_EQ(test, sim_config_add_ram(&cfg, i * GiB, SZ_1M), 0);
	KUNIT_EXPECT_EQ(test, sim_config_add_ram(&cfg, 100 * GiB, SZ_1M),
			-ENOSPC);
}

static void sim_unsorted_config(struct kunit *test)
{
	struct sim_config cfg = { 0 };
	struct sim_ram_region r;

	sim_machine_destroy();
	sim_config_add_ram(&cfg, 8 * GiB, SZ_64M);
	sim_config_add_ram(&cfg, SZ_1M, SZ_16M);	/* not GiB aligned */
	sim_config_add_ram(&cfg, SZ_1M + SZ_16M, SZ_4K); /* touches the last */
	KUNIT_ASSERT_EQ(test, sim_machine_create(&cfg), 0);
	KUNIT_ASSERT_EQ(test, sim_fw_ram_count(), 3U);
	KUNIT_ASSERT_EQ(test, sim_fw_ram_region(0, &r), 0);
	KUNIT_EXPECT_EQ(test, r.base, (u64)SZ_1M);
	KUNIT_ASSERT_EQ(test, sim_fw_ram_region(1, &r), 0);
	KUNIT_EXPECT_EQ(test, r.base, (u64)SZ_1M + SZ_16M);
	KUNIT_ASSERT_EQ(test, sim_fw_ram_region(2, &r), 0);
	KUNIT_EXPECT_EQ(test, r.base, 8 * GiB);

	/* Below the first region there is nothing. */
	KUNIT_EXPECT_NULL(test, sim_cpu_map(0, 1));
	/* Two touching regions are still two: no access spans them. */
	KUNIT_EXPECT_NOT_NULL(test, sim_cpu_map(SZ_1M, SZ_16M));
	KUNIT_EXPECT_NULL(test, sim_cpu_map(SZ_1M, SZ_16M + 1));
}

static void sim_lazy_backing(struct kunit *test)
{
	u64 before, after;
	u8 *p;

	/* 8 GiB of RAM, nothing touched: (almost) nothing resident. */
	before = sim_ram_resident_bytes();
	KUNIT_EXPECT_LT(test, before, 1 * MiB);

	KUNIT_ASSERT_EQ(test, sim_cpu_memset(5 * GiB, 0x5a, 4 * MiB), 0);
	after = sim_ram_resident_bytes();
	KUNIT_EXPECT_GE(test, after - before, 4 * MiB);
	KUNIT_EXPECT_LT(test, after - before, 5 * MiB);

	p = sim_cpu_map(5 * GiB, 4 * MiB);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, p[0], 0x5a);
	KUNIT_EXPECT_EQ(test, p[4 * MiB - 1], 0x5a);
	/* Untouched RAM reads as zero. */
	KUNIT_EXPECT_EQ(test, p[4 * MiB], 0);

	/* A new machine starts from scratch. */
	sim_machine_destroy();
	KUNIT_EXPECT_EQ(test, sim_ram_resident_bytes(), 0ULL);
	KUNIT_ASSERT_EQ(test, sim_memory_test_init(test), 0);
	p = sim_cpu_map(5 * GiB, 1);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, p[0], 0);
}

static void sim_cpu_access(struct kunit *test)
{
	static const phys_addr_t where[] = {
		0, PAGE_SIZE - 3, 3 * GiB - 16, 4 * GiB, 4 * GiB + 12345,
		9 * GiB - 16,
	};
	u8 out[16], in[16];
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(where); i++) {
		for (j = 0; j < sizeof(out); j++)
			out[j] = i * 16 + j;
		KUNIT_ASSERT_EQ(test, sim_cpu_write(where[i], out, 16), 0);
		memset(in, 0, sizeof(in));
		KUNIT_ASSERT_EQ(test, sim_cpu_read(where[i], in, 16), 0);
		KUNIT_EXPECT_EQ(test, memcmp(in, out, 16), 0);
		KUNIT_EXPECT_EQ(test, memcmp(sim_cpu_map(where[i], 16), out, 16), 0);
	}

	KUNIT_EXPECT_EQ(test, sim_cpu_memset(4 * GiB + 1, 0xee, 3), 0);
	KUNIT_ASSERT_EQ(test, sim_cpu_read(4 * GiB, in, 5), 0);
	/* Bytes 0 and 4 keep what the write to where[3] (4 GiB) stored. */
	KUNIT_EXPECT_EQ(test, in[0], 3 * 16 + 0);
	KUNIT_EXPECT_EQ(test, in[1], 0xee);
	KUNIT_EXPECT_EQ(test, in[3], 0xee);
	KUNIT_EXPECT_EQ(test, in[4], 3 * 16 + 4);
}

static void sim_cpu_faults(struct kunit *test)
{
	static const struct {
		phys_addr_t pa;
		u64 len;
	} bad[] = {
		{ 3 * GiB, 1 },			/* first byte of the hole */
		{ 3 * GiB + 12345, 8 },		/* inside the hole */
		{ 4 * GiB - 1, 1 },		/* last byte of the hole */
		{ 3 * GiB - 8, 16 },		/* RAM into the hole */
		{ 4 * GiB - 8, 16 },		/* hole into RAM */
		{ 9 * GiB, 1 },			/* just past RAM */
		{ 9 * GiB - 8, 16 },		/* runs past RAM */
		{ 100 * GiB, 1 },		/* far away */
		{ ~0ULL - 3, 8 },		/* wraps around */
	};
	u8 buf[16] = { 0 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_EQ_MSG(test, sim_cpu_read(bad[i].pa, buf, bad[i].len),
				    -EFAULT, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, sim_cpu_write(bad[i].pa, buf, bad[i].len),
				    -EFAULT, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, sim_cpu_memset(bad[i].pa, 0, bad[i].len),
				    -EFAULT, "case %u", i);
		KUNIT_EXPECT_NULL_MSG(test, sim_cpu_map(bad[i].pa, bad[i].len),
				      "case %u", i);
	}
	/* A failed write stores nothing, even the part inside RAM. */
	KUNIT_ASSERT_EQ(test, sim_cpu_memset(3 * GiB - 8, 0x11, 8), 0);
	memset(buf, 0x22, sizeof(buf));
	KUNIT_EXPECT_EQ(test, sim_cpu_write(3 * GiB - 8, buf, 16), -EFAULT);
	KUNIT_ASSERT_EQ(test, sim_cpu_read(3 * GiB - 8, buf, 8), 0);
	KUNIT_EXPECT_EQ(test, buf[0], 0x11);
	KUNIT_EXPECT_EQ(test, buf[7], 0x11);
}

/* The CPU's view of RAM is linear: one offset for all of it. */
static void sim_cpu_view_linear(struct kunit *test)
{
	u8 *base = sim_cpu_map(0, 1);

	KUNIT_ASSERT_NOT_NULL(test, base);
	KUNIT_EXPECT_PTR_EQ(test, sim_cpu_map(3 * GiB - 1, 1), base + 3 * GiB - 1);
	KUNIT_EXPECT_PTR_EQ(test, sim_cpu_map(4 * GiB, 1), base + 4 * GiB);
	KUNIT_EXPECT_PTR_EQ(test, sim_cpu_map(9 * GiB - 1, 1), base + 9 * GiB - 1);
	/* Whole regions map in one piece. */
	KUNIT_EXPECT_PTR_EQ(test, sim_cpu_map(4 * GiB, 5 * GiB), base + 4 * GiB);
	KUNIT_EXPECT_NULL(test, sim_cpu_map(0, 4 * GiB));
}

/* The map has room for MMIO windows beside RAM (used by later models). */
static void sim_mmio_windows(struct kunit *test)
{
	u8 buf[4];
	int dummy;

	KUNIT_EXPECT_EQ(test, sim_window_add(3 * GiB - PAGE_SIZE, 2 * PAGE_SIZE,
					     SIM_WINDOW_MMIO, &dummy), -EBUSY);
	KUNIT_EXPECT_EQ(test, sim_window_add(3 * GiB + 1, PAGE_SIZE,
					     SIM_WINDOW_MMIO, &dummy), -EINVAL);
	KUNIT_ASSERT_EQ(test, sim_window_add(3 * GiB, SZ_16M, SIM_WINDOW_MMIO,
					     &dummy), 0);
	KUNIT_ASSERT_EQ(test, sim_window_add(64 * GiB, SZ_16M, SIM_WINDOW_MMIO,
					     &dummy), 0);
	KUNIT_EXPECT_EQ(test, sim_window_add(3 * GiB + SZ_1M, PAGE_SIZE,
					     SIM_WINDOW_MMIO, &dummy), -EBUSY);

	pthread_rwlock_rdlock(&sim_phys_map_lock);
	KUNIT_EXPECT_NOT_NULL(test, __sim_window_find(3 * GiB, SZ_16M));
	KUNIT_EXPECT_NOT_NULL(test, __sim_window_find(64 * GiB + 5, 100));
	KUNIT_EXPECT_NULL(test, __sim_window_find(64 * GiB + SZ_16M - 1, 2));
	pthread_rwlock_unlock(&sim_phys_map_lock);

	/* The CPU's accessors reach MMIO too, one window at a time. */
	KUNIT_EXPECT_EQ(test, sim_cpu_read(3 * GiB, buf, 4), 0);
	KUNIT_EXPECT_NOT_NULL(test, sim_cpu_map(64 * GiB, 4));
	KUNIT_EXPECT_EQ(test, sim_cpu_read(3 * GiB - 2, buf, 4), -EFAULT);

	KUNIT_EXPECT_EQ(test, sim_window_remove(3 * GiB), 0);
	KUNIT_EXPECT_EQ(test, sim_window_remove(3 * GiB), -ENOENT);
	KUNIT_EXPECT_EQ(test, sim_window_remove(64 * GiB), 0);
	/* RAM is still there. */
	KUNIT_EXPECT_NOT_NULL(test, sim_cpu_map(3 * GiB - 1, 1));
}

static struct kunit_case sim_memory_cases[] = {
	KUNIT_CASE(sim_default_map),
	KUNIT_CASE(sim_create_twice),
	KUNIT_CASE(sim_bad_configs),
	KUNIT_CASE(sim_unsorted_config),
	KUNIT_CASE(sim_lazy_backing),
	KUNIT_CASE(sim_cpu_access),
	KUNIT_CASE(sim_cpu_faults),
	KUNIT_CASE(sim_cpu_view_linear),
	KUNIT_CASE(sim_mmio_windows),
	{}
};

static struct kunit_suite sim_memory_suite = {
	.name = "sim_memory",
	.init = sim_memory_test_init,
	.exit = sim_memory_test_exit,
	.test_cases = sim_memory_cases,
};
kunit_test_suite(sim_memory_suite);
