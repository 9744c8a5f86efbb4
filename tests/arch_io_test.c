// SPDX-License-Identifier: GPL-2.0
/*
 * The platform's MMIO accessors (<asm/io.h>, arch/sim/io.c): stores made
 * with writeX()/iowriteX()/memcpy_toio()/memset_io() arrive in BAR memory
 * as the machine sees it (its CPU view and a device's DMA), and what the
 * machine puts there is what readX()/memcpy_fromio() load; misuse is
 * reported, holes read all ones, RAM is refused, as upstream.
 *
 * On the default machine: GPU0's BAR0 (16 MiB, 32-bit, so its bus address
 * is its CPU address) and the NIC, which reaches it across their switch.
 */
#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/io.h>

#include "arch/sim/boot.h"
#include "sim/dma.h"
#include "sim/sim.h"
#include "tests/mmap_util.h"
#include "tests/pci_boards.h"

static int arch_io_suite_init(struct kunit_suite *suite __always_unused)
{
	return machine_boot(NULL);
}

static void arch_io_suite_exit(struct kunit_suite *suite __always_unused)
{
	machine_shutdown();
}

static phys_addr_t arch_io_gpu0_bar0(struct kunit *test)
{
	struct pci_dev *gpu0 = pci_test_dev(test, "gpu0");

	KUNIT_ASSERT_NOT_NULL(test, gpu0);
	KUNIT_ASSERT_EQ(test, pci_resource_len(gpu0, 0), (u64)SZ_16M);
	return pci_resource_start(gpu0, 0);
}

static void arch_io_unmap(void *io)
{
	iounmap(io);
}

/* ioremap() @len bytes at @pa, unmapped when the case ends. */
static void __iomem *arch_io_map(struct kunit *test, phys_addr_t pa, size_t len)
{
	void __iomem *io = ioremap(pa, len);

	KUNIT_ASSERT_NOT_NULL(test, io);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, arch_io_unmap,
			(void __force *)io), 0);
	return io;
}

static void arch_io_fill(u8 *buf, size_t len, u8 seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (u8)(seed + i * 7);
}

/* Stores of each width land in the BAR, little-endian. */
static void arch_io_store_widths(struct kunit *test)
{
	phys_addr_t bar = arch_io_gpu0_bar0(test) + SZ_64K;
	void __iomem *io = arch_io_map(test, bar, SZ_4K);
	u8 got[16];

	writeb(0x11, io);
	writew(0x2233, io + 2);
	iowrite32(0xdeadbeef, io + 4);
	writeq(0x0102030405060708ULL, io + 8);
	KUNIT_ASSERT_EQ(test, sim_cpu_read(bar, got, sizeof(got)), 0);
	KUNIT_EXPECT_EQ(test, got[0], 0x11);
	KUNIT_EXPECT_EQ(test, got[1], 0);
	KUNIT_EXPECT_EQ(test, got[2] | got[3] << 8, 0x2233);
	KUNIT_EXPECT_EQ(test, got[4] | got[5] << 8 | got[6] << 16 |
			(u32)got[7] << 24, 0xdeadbeefU);
	KUNIT_EXPECT_EQ(test, got[8], 0x08);
	KUNIT_EXPECT_EQ(test, got[15], 0x01);

	KUNIT_EXPECT_EQ(test, readb(io), 0x11);
	KUNIT_EXPECT_EQ(test, ioread16(io + 2), 0x2233);
	KUNIT_EXPECT_EQ(test, readl(io + 4), 0xdeadbeefU);
	KUNIT_EXPECT_EQ(test, ioread64(io + 8), 0x0102030405060708ULL);
}

/*
 * Bulk both ways: memcpy_toio() read back by the machine's CPU view and
 * by the NIC's DMA engine; a machine store and a NIC DMA write read with
 * memcpy_fromio(); memset_io() stops where it should.
 */
static void arch_io_bulk(struct kunit *test)
{
	const size_t len = 3 * SZ_4K + 123;
	phys_addr_t bar = arch_io_gpu0_bar0(test) + SZ_1M;
	void __iomem *io = arch_io_map(test, bar, SZ_64K);
	struct pci_dev *nic = pci_test_dev(test, "nic");
	u8 *out = kunit_kzalloc(test, len, GFP_KERNEL);
	u8 *in = kunit_kzalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, nic);
	KUNIT_ASSERT_NOT_NULL(test, out);
	KUNIT_ASSERT_NOT_NULL(test, in);

	arch_io_fill(out, len, 3);
	memcpy_toio(io + 5, out, len);
	KUNIT_ASSERT_EQ(test, sim_cpu_read(bar + 5, in, len), 0);
	KUNIT_EXPECT_EQ(test, memcmp(in, out, len), 0);
	memset(in, 0, len);
	KUNIT_ASSERT_EQ(test, sim_dma_read(nic->dev.rid, bar + 5, in, len), 0);
	KUNIT_EXPECT_EQ(test, memcmp(in, out, len), 0);

	arch_io_fill(out, len, 99);
	KUNIT_ASSERT_EQ(test, sim_cpu_write(bar + SZ_32K, out, len), 0);
	memcpy_fromio(in, io + SZ_32K, len);
	KUNIT_EXPECT_EQ(test, memcmp(in, out, len), 0);
	KUNIT_EXPECT_EQ(test, readl(io + SZ_32K), out[0] | out[1] << 8 |
			out[2] << 16 | (u32)out[3] << 24);

	arch_io_fill(out, len, 42);
	KUNIT_ASSERT_EQ(test, sim_dma_write(nic->dev.rid, bar + SZ_16K, out,
					    len), 0);
	memcpy_fromio(in, io + SZ_16K, len);
	KUNIT_EXPECT_EQ(test, memcmp(in, out, len), 0);

	memset_io(io + 1, 0xa5, 1000);
	KUNIT_ASSERT_EQ(test, sim_cpu_read(bar, in, 1002), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(in + 1, 0xa5, 1000));
	KUNIT_EXPECT_NE(test, in[0], 0xa5);
	KUNIT_EXPECT_NE(test, in[1001], 0xa5);
}

/* Nothing answers: loads are all ones, stores vanish, nothing warns. */
static void arch_io_hole(struct kunit *test)
{
	phys_addr_t hole = 1ULL << (MAX_PHYSMEM_BITS - 1);
	void __iomem *io = arch_io_map(test, hole, SZ_4K);
	u8 buf[8];

	KUNIT_EXPECT_EQ(test, readl(io), 0xffffffffU);
	writel(0x12345678, io);
	KUNIT_EXPECT_EQ(test, readq(io), ~0ULL);
	memcpy_fromio(buf, io + 100, sizeof(buf));
	KUNIT_EXPECT_NULL(test, memchr_inv(buf, 0xff, sizeof(buf)));
}

/* What ioremap() refuses, and accesses outside a mapping. */
static void arch_io_misuse(struct kunit *test)
{
	phys_addr_t bar = arch_io_gpu0_bar0(test);
	phys_addr_t limit = 1ULL << MAX_PHYSMEM_BITS;
	void __iomem *io = arch_io_map(test, bar, 64);
	u8 canary = 0x5a;
	void __iomem *io2;

	KUNIT_EXPECT_NULL(test, ioremap(bar, 0));
	KUNIT_EXPECT_NULL(test, ioremap(limit - SZ_4K, SZ_8K));
	KUNIT_EXPECT_NULL(test, ioremap(PHYS_ADDR_MAX - 10, 20));
	/* RAM has the direct map; upstream refuses to ioremap it too. */
	KUNIT_EXPECT_NULL(test, ioremap(SZ_1M, SZ_4K));
	KUNIT_EXPECT_NULL(test, ioremap(3ULL * SZ_1G - SZ_4K, SZ_8K));

	KUNIT_ASSERT_EQ(test, sim_cpu_write(bar + 64, &canary, 1), 0);
	KUNIT_EXPECT_WARN(test, writel(0, io + 62));	/* crosses the end */
	KUNIT_EXPECT_WARN(test, KUNIT_EXPECT_EQ(test, readb(io + 64), 0xff));
	KUNIT_ASSERT_EQ(test, sim_cpu_read(bar + 64, &canary, 1), 0);
	KUNIT_EXPECT_EQ(test, canary, 0x5a);
	KUNIT_EXPECT_WARN(test, readl((void __iomem *)&canary));

	io2 = ioremap(bar + SZ_4K, SZ_4K);
	KUNIT_ASSERT_NOT_NULL(test, io2);
	iounmap(io2);
	KUNIT_EXPECT_WARN(test, iounmap(io2));
	KUNIT_EXPECT_WARN(test, writeb(1, io2));
	iounmap(NULL);
}

/*
 * A process's VM_IO mapping of the BAR: copy_to_user()/copy_from_user()
 * reach it through ioremap() and memcpy_toio()/memcpy_fromio(), across a
 * page boundary, and the machine sees the bytes.
 */
static void arch_io_user_pfnmap(struct kunit *test)
{
	phys_addr_t bar = arch_io_gpu0_bar0(test) + SZ_2M;
	struct mm_struct *mm = mm_user_alloc(test);
	u8 out[300], in[300];
	unsigned long uaddr;

	uaddr = vm_mmap_pfn(mm, 0, 2 * PAGE_SIZE, VM_READ | VM_WRITE,
			    PHYS_PFN(bar), VM_IO | VM_PFNMAP);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(uaddr));

	arch_io_fill(out, sizeof(out), 17);
	KUNIT_EXPECT_EQ(test, copy_to_user(mm, uaddr + PAGE_SIZE - 100, out,
					   sizeof(out)), 0UL);
	KUNIT_ASSERT_EQ(test, sim_cpu_read(bar + PAGE_SIZE - 100, in,
					   sizeof(in)), 0);
	KUNIT_EXPECT_EQ(test, memcmp(in, out, sizeof(in)), 0);

	arch_io_fill(out, sizeof(out), 71);
	KUNIT_ASSERT_EQ(test, sim_cpu_write(bar + 7, out, sizeof(out)), 0);
	KUNIT_EXPECT_EQ(test, copy_from_user(mm, in, uaddr + 7, sizeof(in)),
			0UL);
	KUNIT_EXPECT_EQ(test, memcmp(in, out, sizeof(in)), 0);
}

/* The mappings are a bounded table: it fills, and frees again. */
static void arch_io_many(struct kunit *test)
{
	phys_addr_t bar = arch_io_gpu0_bar0(test);
	void __iomem *io[300];
	unsigned int n, i;

	for (n = 0; n < ARRAY_SIZE(io); n++) {
		io[n] = ioremap(bar + n * SZ_4K, SZ_4K);
		if (!io[n])
			break;
	}
	KUNIT_EXPECT_GT(test, n, 0U);
	KUNIT_EXPECT_LT(test, n, (unsigned int)ARRAY_SIZE(io));
	for (i = 0; i < n; i++) {
		writel(i, io[i]);
		KUNIT_EXPECT_EQ(test, readl(io[i]), i);
	}
	for (i = 0; i < n; i++)
		iounmap(io[i]);
	io[0] = ioremap(bar, SZ_4K);
	KUNIT_EXPECT_NOT_NULL(test, io[0]);
	iounmap(io[0]);
}

static struct kunit_case arch_io_cases[] = {
	KUNIT_CASE(arch_io_store_widths),
	KUNIT_CASE(arch_io_bulk),
	KUNIT_CASE(arch_io_hole),
	KUNIT_CASE(arch_io_misuse),
	KUNIT_CASE(arch_io_user_pfnmap),
	KUNIT_CASE(arch_io_many),
	{}
};

static struct kunit_suite arch_io_suite = {
	.name = "arch_io",
	.suite_init = arch_io_suite_init,
	.suite_exit = arch_io_suite_exit,
	.test_cases = arch_io_cases,
};
kunit_test_suite(arch_io_suite);
