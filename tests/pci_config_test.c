// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel side's configuration space (drivers/pci/access.c, pci.c) on
 * a booted machine: the accessors and their errors, BAR sizing, memory
 * decode and bus mastering as pci_enable_device()/pci_set_master() leave
 * them (checked through ioremap() and the machine's DMA engines),
 * pci_reset_function() (registers and BAR memory back to reset, config
 * state restored), and a device model's doorbell (the copy engine,
 * <hw/sim_copy_engine.h>) whose DMA moves bytes through the IOMMU.
 *
 * The default board with a copy engine ("dma0") on its own root port and
 * a SATA controller without FLR, booted with DMA default domains; every
 * case also checks that the DMA sanitizer made no report.
 */
#include <pthread.h>

#include <linux/completion.h>
#include <linux/delay.h>
#include <asm/io.h>
#include <hw/sim_copy_engine.h>

#include "tests/dma_test.h"

static void pci_cfg_board(struct pci_test_board *tb)
{
	pci_test_board_default(tb);
	pci_test_board_add_copy_engine(tb);
	pci_test_node(tb, "sata")->no_flr = true;
}

static int pci_cfg_suite_init(struct kunit_suite *suite __always_unused)
{
	/* Static: the machine runs on this board until the suite ends. */
	static struct pci_test_board tb;

	pci_cfg_board(&tb);
	return dma_test_boot(&tb, IOMMU_DOMAIN_DMA);
}

static void pci_cfg_unmap(void *io)
{
	iounmap(io);
}

/* ioremap() BAR @bar of @pdev, unmapped when the case ends. */
static void __iomem *pci_cfg_map_bar(struct kunit *test, struct pci_dev *pdev,
				     int bar)
{
	void __iomem *io = ioremap(pci_resource_start(pdev, bar),
				   min_t(u64, pci_resource_len(pdev, bar), SZ_1M));

	KUNIT_ASSERT_NOT_NULL(test, io);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, pci_cfg_unmap,
			(void __force *)io), 0);
	return io;
}

static u16 pci_cfg_command(struct pci_dev *pdev)
{
	u16 cmd = 0;

	pci_read_config_word(pdev, PCI_COMMAND, &cmd);
	return cmd;
}

static void pci_cfg_expect_error(struct kunit *test, struct pci_dev *pdev,
				 enum sim_dma_error_reason reason)
{
	struct sim_dma_error err;

	sim_dma_last_error(&err);
	KUNIT_EXPECT_EQ(test, err.reason, reason);
	KUNIT_EXPECT_EQ(test, err.rid, pdev->dev.rid);
}

/* The accessors read what the firmware reports; bad offsets are refused. */
static void pci_cfg_accessors(struct kunit *test)
{
	struct pci_dev *gpu0 = pci_test_dev(test, "gpu0");
	u16 w;
	u32 d;
	u8 b;

	KUNIT_EXPECT_EQ(test, pci_read_config_word(gpu0, PCI_VENDOR_ID, &w), 0);
	KUNIT_EXPECT_EQ(test, w, gpu0->vendor);
	KUNIT_EXPECT_EQ(test, pci_read_config_dword(gpu0, PCI_VENDOR_ID, &d), 0);
	KUNIT_EXPECT_EQ(test, d >> 16, (u32)gpu0->device);
	KUNIT_EXPECT_EQ(test, pci_read_config_byte(gpu0, PCI_HEADER_TYPE, &b), 0);
	KUNIT_EXPECT_EQ(test, b, PCI_HEADER_TYPE_NORMAL);
	KUNIT_EXPECT_EQ(test, pci_read_config_byte(pci_test_dev(test, "rpA"),
						   PCI_HEADER_TYPE, &b), 0);
	KUNIT_EXPECT_EQ(test, b, PCI_HEADER_TYPE_BRIDGE);

	/* Misaligned, beyond 4 KiB, negative: refused, and all ones. */
	KUNIT_EXPECT_EQ(test, pci_read_config_word(gpu0, 1, &w),
			PCIBIOS_BAD_REGISTER_NUMBER);
	KUNIT_EXPECT_EQ(test, w, 0xffff);
	KUNIT_EXPECT_EQ(test, pci_read_config_dword(gpu0, 2, &d),
			PCIBIOS_BAD_REGISTER_NUMBER);
	KUNIT_EXPECT_EQ(test, pci_read_config_dword(gpu0, 4096, &d),
			PCIBIOS_BAD_REGISTER_NUMBER);
	KUNIT_EXPECT_EQ(test, d, ~0U);
	KUNIT_EXPECT_EQ(test, pci_read_config_byte(gpu0, -1, &b),
			PCIBIOS_BAD_REGISTER_NUMBER);
	KUNIT_EXPECT_EQ(test, pci_write_config_word(gpu0, PCI_COMMAND + 1, 0),
			PCIBIOS_BAD_REGISTER_NUMBER);
	KUNIT_EXPECT_EQ(test, pcibios_err_to_errno(PCIBIOS_BAD_REGISTER_NUMBER),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, pci_cfg_command(gpu0),
			PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	/* The last byte and the last dword are in the space. */
	KUNIT_EXPECT_EQ(test, pci_read_config_byte(gpu0, 4095, &b), 0);
	KUNIT_EXPECT_EQ(test, pci_read_config_dword(gpu0, 4092, &d), 0);

	/* User space's accessors: errnos. */
	KUNIT_EXPECT_EQ(test, pci_user_read_config_word(gpu0, 1, &w), -EINVAL);
	KUNIT_EXPECT_EQ(test, pci_user_read_config_dword(gpu0, 4096, &d),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, pci_user_read_config_byte(gpu0, 4096, &b),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, pci_user_write_config_dword(gpu0, -4, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, pci_user_write_config_word(gpu0, 4095, 0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, pci_user_read_config_dword(gpu0, PCI_VENDOR_ID,
							 &d), 0);
	KUNIT_EXPECT_EQ(test, d & 0xffff, (u32)gpu0->vendor);

	/* Capabilities. */
	KUNIT_EXPECT_NE(test, pci_find_capability(gpu0, PCI_CAP_ID_EXP), 0);
	KUNIT_EXPECT_EQ(test, pci_find_capability(gpu0, 0x05), 0);	/* MSI */
	KUNIT_EXPECT_EQ(test, pcie_capability_read_word(gpu0, PCI_EXP_FLAGS,
							&w), 0);
	KUNIT_EXPECT_EQ(test, (w & PCI_EXP_FLAGS_TYPE) >> 4,
			PCI_EXP_TYPE_ENDPOINT);
	KUNIT_EXPECT_EQ(test, pcie_capability_read_word(gpu0, 1, &w),
			PCIBIOS_BAD_REGISTER_NUMBER);
}

/* The sizing protocol reads back each BAR's size. */
static void pci_cfg_bar_sizing(struct kunit *test)
{
	struct pci_dev *gpu0 = pci_test_dev(test, "gpu0");
	void __iomem *io = pci_cfg_map_bar(test, gpu0, 0);
	u32 lo, hi, save_lo, save_hi;
	u64 mask;

	writel(0xc0ffee, io);
	/* BAR0, 32-bit. */
	pci_read_config_dword(gpu0, PCI_BASE_ADDRESS_0, &save_lo);
	KUNIT_EXPECT_EQ(test, (u64)(save_lo & PCI_BASE_ADDRESS_MEM_MASK),
			pci_bus_address(gpu0, 0));
	pci_write_config_dword(gpu0, PCI_BASE_ADDRESS_0, ~0U);
	pci_read_config_dword(gpu0, PCI_BASE_ADDRESS_0, &lo);
	KUNIT_EXPECT_EQ(test, lo & PCI_BASE_ADDRESS_MEM_TYPE_MASK,
			(u32)PCI_BASE_ADDRESS_MEM_TYPE_32);
	KUNIT_EXPECT_EQ(test, (u64)(u32)(~(lo & PCI_BASE_ADDRESS_MEM_MASK) + 1),
			pci_resource_len(gpu0, 0));
	KUNIT_EXPECT_EQ(test, readl(io), ~0U);		/* moved away */
	pci_write_config_dword(gpu0, PCI_BASE_ADDRESS_0, save_lo);
	KUNIT_EXPECT_EQ(test, readl(io), 0xc0ffeeU);

	/* BAR2, 64-bit: two registers. */
	pci_read_config_dword(gpu0, PCI_BASE_ADDRESS_2, &save_lo);
	pci_read_config_dword(gpu0, PCI_BASE_ADDRESS_3, &save_hi);
	pci_write_config_dword(gpu0, PCI_BASE_ADDRESS_2, ~0U);
	pci_write_config_dword(gpu0, PCI_BASE_ADDRESS_3, ~0U);
	pci_read_config_dword(gpu0, PCI_BASE_ADDRESS_2, &lo);
	pci_read_config_dword(gpu0, PCI_BASE_ADDRESS_3, &hi);
	KUNIT_EXPECT_EQ(test, lo & PCI_BASE_ADDRESS_MEM_TYPE_MASK,
			(u32)PCI_BASE_ADDRESS_MEM_TYPE_64);
	KUNIT_EXPECT_TRUE(test, lo & PCI_BASE_ADDRESS_MEM_PREFETCH);
	mask = ((u64)hi << 32) | (lo & PCI_BASE_ADDRESS_MEM_MASK);
	KUNIT_EXPECT_EQ(test, ~mask + 1, pci_resource_len(gpu0, 2));
	pci_write_config_dword(gpu0, PCI_BASE_ADDRESS_2, save_lo);
	pci_write_config_dword(gpu0, PCI_BASE_ADDRESS_3, save_hi);
	KUNIT_EXPECT_EQ(test, ((u64)save_hi << 32 |
			       (save_lo & PCI_BASE_ADDRESS_MEM_MASK)),
			pci_bus_address(gpu0, 2));
}

/*
 * Memory decode off: the BAR reads all ones through ioremap(), writes are
 * dropped, a peer's DMA to it is refused and counted; pci_enable_device()
 * brings it back.
 */
static void pci_cfg_decode(struct kunit *test)
{
	struct pci_dev *gpu0 = pci_test_dev(test, "gpu0");
	struct pci_dev *nic = pci_test_dev(test, "nic");
	void __iomem *io = pci_cfg_map_bar(test, gpu0, 0);
	struct sim_dma_stats before, after;
	u8 buf[64] = { 0x42, 0x43 };

	writel(0x1234abcd, io);
	pci_write_config_word(gpu0, PCI_COMMAND, PCI_COMMAND_MASTER);
	KUNIT_EXPECT_FALSE(test, pci_cfg_command(gpu0) & PCI_COMMAND_MEMORY);
	KUNIT_EXPECT_EQ(test, readl(io), ~0U);
	KUNIT_EXPECT_EQ(test, readb(io + 1), 0xff);
	writel(0x55555555, io);				/* dropped */

	sim_dma_stats_get(&before);
	KUNIT_EXPECT_EQ(test, sim_dma_write(nic->dev.rid,
					    pci_bus_address(gpu0, 0) + 64,
					    buf, sizeof(buf)), -EIO);
	pci_cfg_expect_error(test, nic, SIM_DMA_ERR_DECODE);
	sim_dma_stats_get(&after);
	KUNIT_EXPECT_EQ(test, after.no_decode, before.no_decode + 1);

	KUNIT_ASSERT_EQ(test, pci_enable_device(gpu0), 0);
	KUNIT_EXPECT_TRUE(test, pci_is_enabled(gpu0));
	KUNIT_EXPECT_EQ(test, readl(io), 0x1234abcdU);
	KUNIT_EXPECT_EQ(test, sim_dma_write(nic->dev.rid,
					    pci_bus_address(gpu0, 0) + 64,
					    buf, sizeof(buf)), 0);
	KUNIT_EXPECT_EQ(test, readw(io + 64), 0x4342);

	/* Enables are counted; the last disable stops bus mastering only. */
	KUNIT_ASSERT_EQ(test, pci_enable_device_mem(gpu0), 0);
	pci_disable_device(gpu0);
	KUNIT_EXPECT_EQ(test, pci_cfg_command(gpu0),
			PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	pci_disable_device(gpu0);
	KUNIT_EXPECT_FALSE(test, pci_is_enabled(gpu0));
	KUNIT_EXPECT_EQ(test, pci_cfg_command(gpu0), PCI_COMMAND_MEMORY);
	pci_set_master(gpu0);
}

/* Bus master off: the device's DMA moves nothing; pci_set_master() again. */
static void pci_cfg_bus_master(struct kunit *test)
{
	struct pci_dev *nic = pci_test_dev(test, "nic");
	struct dma_test_buf *b = dma_test_buf(test, SZ_16K, MM_LAYOUT_RANDOM_4K,
					      GFP_KERNEL, 7);
	u8 *want = dma_test_alloc(test, SZ_16K);
	u8 *zero = kunit_kzalloc(test, SZ_16K, GFP_KERNEL);
	struct dma_map_state st;

	KUNIT_ASSERT_NOT_NULL(test, zero);
	dma_test_fill(want, SZ_16K, 1);
	KUNIT_ASSERT_EQ(test, dma_test_cpu_list_io(&b->list, zero, true), 0);
	KUNIT_ASSERT_EQ(test, dma_map_physr(&nic->dev, &b->list,
					    DMA_FROM_DEVICE, 0, &st), 0);

	pci_clear_master(nic);
	KUNIT_EXPECT_FALSE(test, nic->is_busmaster);
	KUNIT_EXPECT_EQ(test, dma_test_dev_io(&nic->dev, &st.dma, want, true),
			-EIO);
	pci_cfg_expect_error(test, nic, SIM_DMA_ERR_BUS_MASTER);
	dma_test_expect_cpu_reads(test, &b->list, zero);

	pci_set_master(nic);
	KUNIT_EXPECT_TRUE(test, nic->is_busmaster);
	KUNIT_EXPECT_EQ(test, pci_cfg_command(nic),
			PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	KUNIT_EXPECT_EQ(test, dma_test_dev_io(&nic->dev, &st.dma, want, true),
			0);
	dma_unmap_physr(&nic->dev, &st, DMA_FROM_DEVICE, 0);
	dma_test_expect_cpu_reads(test, &b->list, want);
}

/*
 * pci_reset_function(): the BAR's memory and the PCIe Device Control go
 * back to their reset values in the device, and the config state comes
 * back (decode on, BARs at their addresses, Device Control as it was).
 */
static void pci_cfg_reset(struct kunit *test)
{
	struct pci_dev *gpu0 = pci_test_dev(test, "gpu0");
	void __iomem *io = pci_cfg_map_bar(test, gpu0, 0);
	u32 bar0, bar3, now;
	u16 devctl, cmd = pci_cfg_command(gpu0);

	writel(0xabad1dea, io + 128);
	pcie_capability_read_word(gpu0, PCI_EXP_DEVCTL, &devctl);
	pcie_capability_write_word(gpu0, PCI_EXP_DEVCTL,
				   devctl ^ PCI_EXP_DEVCTL_PAYLOAD_256B);
	pci_read_config_dword(gpu0, PCI_BASE_ADDRESS_0, &bar0);
	pci_read_config_dword(gpu0, PCI_BASE_ADDRESS_3, &bar3);

	KUNIT_ASSERT_EQ(test, pcie_reset_flr(gpu0, PCI_RESET_PROBE), 0);
	KUNIT_ASSERT_EQ(test, pci_reset_function(gpu0), 0);

	KUNIT_EXPECT_EQ(test, readl(io + 128), 0U);	/* memory reset */
	writel(0x600dcafe, io + 128);			/* and it decodes */
	KUNIT_EXPECT_EQ(test, readl(io + 128), 0x600dcafeU);
	KUNIT_EXPECT_EQ(test, pci_cfg_command(gpu0), cmd);
	pci_read_config_dword(gpu0, PCI_BASE_ADDRESS_0, &now);
	KUNIT_EXPECT_EQ(test, now, bar0);
	pci_read_config_dword(gpu0, PCI_BASE_ADDRESS_3, &now);
	KUNIT_EXPECT_EQ(test, now, bar3);
	pcie_capability_read_word(gpu0, PCI_EXP_DEVCTL, &cmd);
	KUNIT_EXPECT_EQ(test, cmd, devctl ^ PCI_EXP_DEVCTL_PAYLOAD_256B);
	KUNIT_EXPECT_FALSE(test, gpu0->state_saved);
	pcie_capability_write_word(gpu0, PCI_EXP_DEVCTL, devctl);
}

/* During the reset window nothing answers and no DMA goes through. */
static void pci_cfg_reset_window(struct kunit *test)
{
	struct pci_dev *gpu0 = pci_test_dev(test, "gpu0");
	struct pci_dev *nic = pci_test_dev(test, "nic");
	u8 buf[64] = { 1 };
	int waited = 0;
	u32 cmd;

	KUNIT_ASSERT_EQ(test, pci_save_state(gpu0), 0);
	/* Held open while we look: a loaded host may take longer than it. */
	sim_pci_flr_hold(true);
	KUNIT_ASSERT_EQ(test, pcie_capability_set_word(gpu0, PCI_EXP_DEVCTL,
						       PCI_EXP_DEVCTL_BCR_FLR), 0);
	pci_read_config_dword(gpu0, PCI_COMMAND, &cmd);
	KUNIT_EXPECT_TRUE(test, PCI_POSSIBLE_ERROR(cmd));
	KUNIT_EXPECT_EQ(test, sim_dma_write(gpu0->dev.rid, 5 * GiB, buf,
					    sizeof(buf)), -EIO);
	pci_cfg_expect_error(test, gpu0, SIM_DMA_ERR_BUS_MASTER);
	KUNIT_EXPECT_EQ(test, sim_dma_write(nic->dev.rid,
					    pci_bus_address(gpu0, 2), buf,
					    sizeof(buf)), -EIO);
	pci_cfg_expect_error(test, nic, SIM_DMA_ERR_DECODE);

	sim_pci_flr_hold(false);
	while (waited < 1000) {
		pci_read_config_dword(gpu0, PCI_COMMAND, &cmd);
		if (!PCI_POSSIBLE_ERROR(cmd))
			break;
		msleep(1);
		waited++;
	}
	KUNIT_EXPECT_EQ(test, cmd & 0xffff, 0U);	/* reset value */
	pci_restore_state(gpu0);
	KUNIT_EXPECT_EQ(test, sim_dma_write(nic->dev.rid,
					    pci_bus_address(gpu0, 2), buf,
					    sizeof(buf)), 0);
	KUNIT_EXPECT_EQ(test, sim_dma_write(gpu0->dev.rid, 5 * GiB, buf,
					    sizeof(buf)), -EFAULT); /* IOMMU */
	/* The NIC used the DMA API before: the sanitizer saw both writes. */
	dma_test_expect_reports(test, DMA_DEBUG_ACCESS_UNMAPPED, 2, NULL);
}

/**
 * struct pci_cfg_writer - a user space config write from another thread
 * @pdev: the function
 * @started: completed just before the write takes pci_cfg_access_lock()
 * @done: the write returned
 * @ret: what it returned
 */
struct pci_cfg_writer {
	struct pci_dev *pdev;
	struct completion started;
	int done;
	int ret;
};

static void *pci_cfg_user_write(void *arg)
{
	struct pci_cfg_writer *w = arg;

	complete(&w->started);
	w->ret = pci_user_write_config_word(w->pdev, PCI_COMMAND,
					    PCI_COMMAND_MEMORY);
	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/*
 * A user config write waits while pci_cfg_access_lock() is held (as it is
 * for the whole of pci_reset_function()), then goes through.  The writer
 * says when it is about to take the lock, so no sleep guesses when it
 * has got there.
 */
static void pci_cfg_access_ordering(struct kunit *test)
{
	struct pci_cfg_writer w = { .pdev = pci_test_dev(test, "nic") };
	pthread_t thread;

	init_completion(&w.started);
	pci_cfg_access_lock(w.pdev);
	KUNIT_ASSERT_EQ(test, pthread_create(&thread, NULL, pci_cfg_user_write,
					     &w), 0);
	wait_for_completion(&w.started);
	KUNIT_EXPECT_FALSE(test, __atomic_load_n(&w.done, __ATOMIC_ACQUIRE));
	KUNIT_EXPECT_EQ(test, pci_cfg_command(w.pdev),
			PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	pci_cfg_access_unlock(w.pdev);
	pthread_join(thread, NULL);
	KUNIT_EXPECT_EQ(test, w.ret, 0);
	KUNIT_EXPECT_EQ(test, pci_cfg_command(w.pdev), PCI_COMMAND_MEMORY);
	pci_set_master(w.pdev);
}

/* A function without FLR capability cannot be reset: -ENOTTY. */
static void pci_cfg_no_flr(struct kunit *test)
{
	struct pci_dev *sata = pci_test_dev(test, "sata");
	u16 cmd = pci_cfg_command(sata);

	KUNIT_EXPECT_EQ(test, pcie_reset_flr(sata, PCI_RESET_PROBE), -ENOTTY);
	KUNIT_EXPECT_EQ(test, pci_reset_function(sata), -ENOTTY);
	KUNIT_EXPECT_EQ(test, pci_cfg_command(sata), cmd);
	/* Ports have no FLR either. */
	KUNIT_EXPECT_EQ(test, pci_reset_function(pci_test_dev(test, "rpA")),
			-ENOTTY);
}

/* Program the copy engine at @regs and ring its doorbell. */
static u32 pci_cfg_ce_copy(void __iomem *regs, dma_addr_t src, dma_addr_t dst,
			   u32 len)
{
	writeq(src, regs + SIM_CE_SRC);
	writeq(dst, regs + SIM_CE_DST);
	writel(len, regs + SIM_CE_LEN);
	writel(SIM_CE_DOORBELL_GO, regs + SIM_CE_DOORBELL);
	return readl(regs + SIM_CE_STATUS);
}

/*
 * A store to the copy engine's doorbell runs the model: its DMA reads one
 * mapping and writes the other through the IOMMU, and the bytes arrive;
 * with bus mastering off the same store moves nothing; a reset puts its
 * registers back.
 */
static void pci_cfg_copy_engine(struct kunit *test)
{
	const u64 len = 5 * PAGE_SIZE;
	struct pci_dev *ce = pci_test_dev(test, "dma0");
	struct dma_test_buf *src = dma_test_buf(test, len, MM_LAYOUT_RANDOM_4K,
						GFP_KERNEL, 3);
	struct dma_test_buf *dst = dma_test_buf(test, len, MM_LAYOUT_RANDOM_4K,
						GFP_KERNEL, 4);
	u8 *zero = kunit_kzalloc(test, len, GFP_KERNEL);
	struct dma_map_state s_st, d_st;
	void __iomem *regs;
	u8 *want;

	KUNIT_ASSERT_NOT_NULL(test, zero);
	KUNIT_ASSERT_EQ(test, pci_enable_device(ce), 0);
	pci_set_master(ce);
	regs = pci_cfg_map_bar(test, ce, SIM_CE_REGS_BAR);
	KUNIT_ASSERT_EQ(test, readl(regs + SIM_CE_ID), (u32)SIM_CE_ID_VALUE);

	want = dma_test_cpu_fill(test, &src->list, 9);
	KUNIT_ASSERT_EQ(test, dma_test_cpu_list_io(&dst->list, zero, true), 0);
	KUNIT_ASSERT_EQ(test, dma_map_physr(&ce->dev, &src->list,
					    DMA_TO_DEVICE, 0, &s_st), 0);
	KUNIT_ASSERT_EQ(test, dma_map_physr(&ce->dev, &dst->list,
					    DMA_FROM_DEVICE, 0, &d_st), 0);
	/* Through the IOMMU, each list is one contiguous IOVA range. */
	KUNIT_ASSERT_EQ(test, dma_list_len(&s_st.dma), len);

	/* Bus mastering off: the doorbell rings, nothing moves. */
	pci_clear_master(ce);
	KUNIT_EXPECT_EQ(test, pci_cfg_ce_copy(regs, dma_list_first_addr(&s_st.dma),
					      dma_list_first_addr(&d_st.dma), len),
			(u32)(SIM_CE_STATUS_ERROR |
			      SIM_CE_ERR_READ << SIM_CE_STATUS_ERR_SHIFT));
	pci_cfg_expect_error(test, ce, SIM_DMA_ERR_BUS_MASTER);
	dma_test_expect_cpu_reads(test, &dst->list, zero);

	pci_set_master(ce);
	KUNIT_EXPECT_EQ(test, pci_cfg_ce_copy(regs, dma_list_first_addr(&s_st.dma),
					      dma_list_first_addr(&d_st.dma), len),
			(u32)SIM_CE_STATUS_DONE);
	KUNIT_EXPECT_EQ(test, readl(regs + SIM_CE_COPIED), (u32)len);
	dma_unmap_physr(&ce->dev, &d_st, DMA_FROM_DEVICE, 0);
	dma_unmap_physr(&ce->dev, &s_st, DMA_TO_DEVICE, 0);
	dma_test_expect_cpu_reads(test, &dst->list, want);

	/* Unmapped, the same doorbell faults in the IOMMU: nothing moves. */
	KUNIT_ASSERT_EQ(test, dma_test_cpu_list_io(&dst->list, zero, true), 0);
	KUNIT_EXPECT_EQ(test, pci_cfg_ce_copy(regs, dma_list_first_addr(&s_st.dma),
					      dma_list_first_addr(&d_st.dma), len),
			(u32)(SIM_CE_STATUS_ERROR |
			      SIM_CE_ERR_READ << SIM_CE_STATUS_ERR_SHIFT));
	dma_test_expect_reports(test, DMA_DEBUG_ACCESS_UNMAPPED, 1, NULL);
	dma_test_expect_cpu_reads(test, &dst->list, zero);

	/* A reset puts the registers back, and the config state stays. */
	writel(0x77, regs + SIM_CE_SCRATCH);
	KUNIT_ASSERT_EQ(test, pci_reset_function(ce), 0);
	KUNIT_EXPECT_EQ(test, readl(regs + SIM_CE_SCRATCH),
			(u32)SIM_CE_SCRATCH_RESET);
	KUNIT_EXPECT_EQ(test, readl(regs + SIM_CE_COUNT), 0U);
	KUNIT_EXPECT_TRUE(test, pci_cfg_command(ce) & PCI_COMMAND_MASTER);
	pci_disable_device(ce);
}

/* What the kernel sees of a device the machine lost: all ones. */
static void pci_cfg_unplugged(struct kunit *test)
{
	struct pci_dev *gpu1 = pci_test_dev(test, "gpu1");
	void __iomem *io = pci_cfg_map_bar(test, gpu1, 0);
	u16 w;

	KUNIT_ASSERT_EQ(test, sim_pci_unplug("gpu1"), 0);
	KUNIT_EXPECT_EQ(test, pci_read_config_word(gpu1, PCI_VENDOR_ID, &w), 0);
	KUNIT_EXPECT_EQ(test, w, 0xffff);
	KUNIT_EXPECT_EQ(test, readl(io), ~0U);
	KUNIT_EXPECT_EQ(test, pci_enable_device(gpu1), -ENODEV);
	KUNIT_EXPECT_FALSE(test, pci_is_enabled(gpu1));
	KUNIT_EXPECT_EQ(test, pci_reset_function(gpu1), -ENOTTY);
	KUNIT_EXPECT_EQ(test, pci_save_state(gpu1), -ENODEV);
}

/*
 * Without config space every read fails: nothing is saved (a state saved
 * before is not left half overwritten with all ones for a restore to
 * write back), and a capability register reads 0, as upstream.
 */
static void pci_cfg_no_ecam(struct kunit *test)
{
	struct pci_dev *gpu0 = pci_test_dev(test, "gpu0");
	u32 d = 1;
	u16 w = 1;

	KUNIT_ASSERT_EQ(test, pci_save_state(gpu0), 0);
	KUNIT_ASSERT_TRUE(test, gpu0->state_saved);
	pci_ecam_exit();
	KUNIT_EXPECT_EQ(test, pci_save_state(gpu0), -ENODEV);
	KUNIT_EXPECT_FALSE(test, gpu0->state_saved);
	KUNIT_EXPECT_EQ(test, pcie_capability_read_word(gpu0, PCI_EXP_DEVCTL,
							&w), 0);
	KUNIT_EXPECT_EQ(test, w, 0);
	KUNIT_EXPECT_EQ(test, pcie_capability_read_dword(gpu0, PCI_EXP_DEVCAP,
							 &d), 0);
	KUNIT_EXPECT_EQ(test, d, 0U);
	KUNIT_EXPECT_EQ(test, pci_read_config_word(gpu0, PCI_VENDOR_ID, &w),
			PCIBIOS_DEVICE_NOT_FOUND);
	KUNIT_EXPECT_EQ(test, pci_ecam_init(), 0);
	KUNIT_EXPECT_EQ(test, pci_save_state(gpu0), 0);
}

static struct kunit_case pci_config_cases[] = {
	KUNIT_CASE(pci_cfg_no_ecam),
	KUNIT_CASE(pci_cfg_accessors),
	KUNIT_CASE(pci_cfg_bar_sizing),
	KUNIT_CASE(pci_cfg_decode),
	KUNIT_CASE(pci_cfg_bus_master),
	KUNIT_CASE(pci_cfg_reset),
	KUNIT_CASE(pci_cfg_reset_window),
	KUNIT_CASE(pci_cfg_access_ordering),
	KUNIT_CASE(pci_cfg_no_flr),
	KUNIT_CASE(pci_cfg_copy_engine),
	KUNIT_CASE(pci_cfg_unplugged),		/* last: the machine loses gpu1 */
	{}
};

DEFINE_DMA_TEST_SUITE(pci_config_suite, "pci_config", pci_cfg_suite_init,
		      pci_config_cases);
kunit_test_suite(pci_config_suite);
