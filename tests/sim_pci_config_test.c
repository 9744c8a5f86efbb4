// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the machine's PCI functions at run time (sim/pci_config.c):
 * configuration space through ECAM, made as the CPU's loads and stores
 * (sim_cpu_read/write at the firmware's ECAM address), and what it
 * governs: memory decode, bus mastering, Function Level Reset, a device
 * model's registers, and hot-unplug.  Bytes are checked where they land
 * (sim_cpu_map(), the debugger's view that ignores decode), errors in the
 * fabric's log and counters.
 *
 * Machine side only: the default board without an IOMMU (DMA addresses
 * are physical or bus addresses), with a copy engine ("dma0") added where
 * a case says so.  Each case builds its machine and destroys it in exit.
 */
#include <pthread.h>
#include <time.h>

#include <kunit/test.h>
#include <linux/sizes.h>
#include <uapi/linux/pci_regs.h>
#include <hw/sim_copy_engine.h>
#include <hw/sim_pci.h>
#include <asm/page.h>
#include <asm/pci.h>

#include "sim/dma.h"
#include "sim/pci.h"
#include "sim/sim.h"
#include "tests/pci_boards.h"

/* Where things are on the default machine (tests/pci_fabric_test.c). */
#define NIC_BAR0	0xc0000000ULL
#define GPU0_BAR0	0xc1000000ULL
#define GPU0_BAR2_CPU	(64 * GiB)
#define GPU0_BAR2_BUS	(32 * GiB)
#define GPU1_BAR0	0xc2000000ULL
#define RAM_PA		(5 * GiB)

static void sim_cfg_test_exit(struct kunit *test __always_unused)
{
	sim_machine_destroy();
}

/* The default board, no IOMMU, with a copy engine if @ce. */
static void sim_cfg_machine(struct kunit *test, bool ce,
			    void (*edit)(struct pci_test_board *tb))
{
	struct pci_test_board *tb = kunit_kzalloc(test, sizeof(*tb), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, tb);
	pci_test_board_default(tb);
	pci_test_board_no_iommu(tb);
	if (ce)
		pci_test_board_add_copy_engine(tb);
	if (edit)
		edit(tb);
	KUNIT_ASSERT_EQ(test, sim_machine_create(&tb->cfg), 0);
	kunit_kfree(test, tb);
}

static struct sim_fw_pci_node sim_cfg_node(struct kunit *test,
					   const char *name)
{
	struct sim_fw_pci_node node;

	KUNIT_ASSERT_GE_MSG(test, pci_test_fw_find(name, &node), 0, "%s", name);
	return node;
}

static u16 sim_cfg_rid(struct kunit *test, const char *name)
{
	return sim_cfg_node(test, name).rid;
}

/* The physical address of register @reg of requester ID @rid. */
static phys_addr_t sim_cfg_addr(u16 rid, unsigned int reg)
{
	struct sim_fw_pci_ecam ecam;

	if (sim_fw_pci_ecam(&ecam))
		return 0;
	return ecam.base + SIM_PCI_ECAM_OFFSET(rid >> 8, rid & 0xff, reg);
}

static u32 cfg_read(u16 rid, unsigned int reg, size_t len)
{
	u32 v = 0;

	if (sim_cpu_read(sim_cfg_addr(rid, reg), &v, len))
		return 0xdeadbeef;	/* the ECAM window must answer */
	return v;
}

static void cfg_write(u16 rid, unsigned int reg, u32 v, size_t len)
{
	sim_cpu_write(sim_cfg_addr(rid, reg), &v, len);
}

static void sim_cfg_expect_error(struct kunit *test, u16 rid,
				 enum sim_dma_error_reason reason)
{
	struct sim_dma_error err;

	sim_dma_last_error(&err);
	KUNIT_EXPECT_EQ(test, err.reason, reason);
	KUNIT_EXPECT_EQ(test, err.rid, rid);
}

static void sim_cfg_sleep_us(unsigned long us)
{
	struct timespec ts = { .tv_sec = us / 1000000,
			       .tv_nsec = (us % 1000000) * 1000 };

	nanosleep(&ts, NULL);
}

/* CLOCK_MONOTONIC, as the machine measures a reset, in microseconds. */
static u64 sim_cfg_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The firmware's ECAM entry, and each kind of header seen through it. */
static void sim_cfg_header(struct kunit *test)
{
	struct sim_fw_pci_ecam ecam;
	u16 gpu0, rp;

	sim_cfg_machine(test, false, NULL);
	KUNIT_ASSERT_EQ(test, sim_fw_pci_ecam(&ecam), 0);
	KUNIT_EXPECT_EQ(test, ecam.base, SIM_PCI_ECAM_BASE);
	KUNIT_EXPECT_EQ(test, ecam.bus_start, 0);
	KUNIT_EXPECT_EQ(test, ecam.bus_end, 6);
	gpu0 = sim_cfg_rid(test, "gpu0");
	rp = sim_cfg_rid(test, "sw0-dp1");

	KUNIT_EXPECT_EQ(test, cfg_read(gpu0, PCI_VENDOR_ID, 4), 0x03005ca1U);
	KUNIT_EXPECT_EQ(test, cfg_read(gpu0, PCI_DEVICE_ID, 2), 0x0300U);
	KUNIT_EXPECT_EQ(test, cfg_read(gpu0, PCI_HEADER_TYPE, 1),
			(u32)PCI_HEADER_TYPE_NORMAL);
	KUNIT_EXPECT_EQ(test, cfg_read(gpu0, PCI_COMMAND, 2),
			(u32)(PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER));
	KUNIT_EXPECT_EQ(test, cfg_read(gpu0, PCI_STATUS, 2),
			(u32)PCI_STATUS_CAP_LIST);
	KUNIT_EXPECT_EQ(test, cfg_read(gpu0, PCI_CLASS_REVISION, 4) >> 24,
			(u32)PCI_CLASS_OTHERS);
	/* BARs hold their bus addresses, with their type bits. */
	KUNIT_EXPECT_EQ(test, cfg_read(gpu0, PCI_BASE_ADDRESS_0, 4),
			(u32)GPU0_BAR0);
	KUNIT_EXPECT_EQ(test, cfg_read(gpu0, PCI_BASE_ADDRESS_2, 4),
			(u32)(PCI_BASE_ADDRESS_MEM_TYPE_64 |
			      PCI_BASE_ADDRESS_MEM_PREFETCH));
	KUNIT_EXPECT_EQ(test, cfg_read(gpu0, PCI_BASE_ADDRESS_3, 4),
			(u32)(GPU0_BAR2_BUS >> 32));
	KUNIT_EXPECT_EQ(test, cfg_read(gpu0, PCI_BASE_ADDRESS_1, 4), 0U);
	/* One capability: PCI Express, an endpoint, with FLR. */
	KUNIT_ASSERT_EQ(test, cfg_read(gpu0, PCI_CAPABILITY_LIST, 1),
			(u32)SIM_PCI_EXP_CAP_OFFSET);
	KUNIT_EXPECT_EQ(test, cfg_read(gpu0, SIM_PCI_EXP_CAP_OFFSET, 2),
			(u32)PCI_CAP_ID_EXP);
	KUNIT_EXPECT_EQ(test, cfg_read(gpu0, SIM_PCI_EXP_CAP_OFFSET +
				       PCI_EXP_DEVCAP, 4),
			(u32)PCI_EXP_DEVCAP_FLR);
	KUNIT_EXPECT_EQ(test, cfg_read(gpu0, SIM_PCI_EXP_CAP_OFFSET +
				       PCI_EXP_DEVCTL, 2),
			(u32)SIM_PCI_DEVCTL_RESET);
	KUNIT_EXPECT_EQ(test, cfg_read(gpu0, 0x100, 4), 0U);

	/* A switch port: type 1, its buses, no FLR. */
	KUNIT_EXPECT_EQ(test, cfg_read(rp, PCI_HEADER_TYPE, 1),
			(u32)PCI_HEADER_TYPE_BRIDGE);
	KUNIT_EXPECT_EQ(test, cfg_read(rp, PCI_SECONDARY_BUS, 1), 4U);
	KUNIT_EXPECT_EQ(test, (cfg_read(rp, SIM_PCI_EXP_CAP_OFFSET +
					PCI_EXP_FLAGS, 2) &
			       PCI_EXP_FLAGS_TYPE) >> 4,
			(u32)PCI_EXP_TYPE_DOWNSTREAM);
	KUNIT_EXPECT_EQ(test, cfg_read(rp, SIM_PCI_EXP_CAP_OFFSET +
				       PCI_EXP_DEVCAP, 4), 0U);
	/* The host bridge at 00:00.0. */
	KUNIT_EXPECT_EQ(test, cfg_read(0, PCI_CLASS_DEVICE, 2),
			(u32)PCI_CLASS_BRIDGE_HOST);

	/* An empty slot, and accesses ECAM does not make, read all ones. */
	KUNIT_EXPECT_EQ(test, cfg_read(gpu0 + 1, PCI_VENDOR_ID, 4), ~0U);
	KUNIT_EXPECT_EQ(test, cfg_read(gpu0, PCI_VENDOR_ID + 1, 2), 0xffffU);
	KUNIT_EXPECT_EQ(test, cfg_read(gpu0, PCI_VENDOR_ID + 2, 4), ~0U);
	/* Read-only registers ignore writes. */
	cfg_write(gpu0, PCI_VENDOR_ID, 0x12345678, 4);
	KUNIT_EXPECT_EQ(test, cfg_read(gpu0, PCI_VENDOR_ID, 4), 0x03005ca1U);
}

/* Writing all ones to a BAR reads back its size; it decodes meanwhile not. */
static void sim_cfg_bar_sizing(struct kunit *test)
{
	u32 v = 0x5a5a5a5a, got;
	u16 gpu0;

	sim_cfg_machine(test, false, NULL);
	gpu0 = sim_cfg_rid(test, "gpu0");
	KUNIT_ASSERT_EQ(test, sim_cpu_write(GPU0_BAR0, &v, 4), 0);

	cfg_write(gpu0, PCI_BASE_ADDRESS_0, ~0U, 4);
	KUNIT_EXPECT_EQ(test, cfg_read(gpu0, PCI_BASE_ADDRESS_0, 4),
			(u32)-SZ_16M);
	KUNIT_EXPECT_EQ(test, sim_cpu_read(GPU0_BAR0, &got, 4), -EFAULT);

	/* 64-bit, 16 GiB: the low register keeps no address bit. */
	cfg_write(gpu0, PCI_BASE_ADDRESS_2, ~0U, 4);
	cfg_write(gpu0, PCI_BASE_ADDRESS_3, ~0U, 4);
	KUNIT_EXPECT_EQ(test, cfg_read(gpu0, PCI_BASE_ADDRESS_2, 4),
			(u32)(PCI_BASE_ADDRESS_MEM_TYPE_64 |
			      PCI_BASE_ADDRESS_MEM_PREFETCH));
	KUNIT_EXPECT_EQ(test, cfg_read(gpu0, PCI_BASE_ADDRESS_3, 4),
			(u32)(-SZ_16G >> 32));
	/* Byte writes merge into the register. */
	cfg_write(gpu0, PCI_BASE_ADDRESS_0 + 3, 0xc1, 1);
	KUNIT_EXPECT_EQ(test, cfg_read(gpu0, PCI_BASE_ADDRESS_0, 4),
			(u32)GPU0_BAR0);

	/* Back at its address, the BAR answers again, bytes intact. */
	KUNIT_EXPECT_EQ(test, sim_cpu_read(GPU0_BAR0, &got, 4), 0);
	KUNIT_EXPECT_EQ(test, got, v);
	cfg_write(gpu0, PCI_BASE_ADDRESS_2, 0, 4);
	cfg_write(gpu0, PCI_BASE_ADDRESS_3, GPU0_BAR2_BUS >> 32, 4);
	KUNIT_EXPECT_EQ(test, sim_cpu_read(GPU0_BAR2_CPU, &got, 4), 0);
}

/*
 * Memory Space Enable off: the CPU reads nothing and writes nothing, DMA
 * to the BAR (P2P by bus address, through the host bridge by CPU address)
 * is refused, logged and counted; on again, all of it works.
 */
static void sim_cfg_decode(struct kunit *test)
{
	u32 v = 0x11223344, got;
	u8 buf[64] = { 1, 2, 3 };
	struct sim_dma_stats st;
	u16 gpu0, nic, gpu1;

	sim_cfg_machine(test, false, NULL);
	gpu0 = sim_cfg_rid(test, "gpu0");
	nic = sim_cfg_rid(test, "nic");
	gpu1 = sim_cfg_rid(test, "gpu1");
	KUNIT_ASSERT_EQ(test, sim_cpu_write(GPU0_BAR0, &v, 4), 0);

	cfg_write(gpu0, PCI_COMMAND, PCI_COMMAND_MASTER, 2);
	KUNIT_EXPECT_EQ(test, sim_cpu_read(GPU0_BAR0, &got, 4), -EFAULT);
	got = 0;
	KUNIT_EXPECT_EQ(test, sim_cpu_write(GPU0_BAR0, &got, 4), -EFAULT);
	KUNIT_EXPECT_EQ(test, *(u32 *)sim_cpu_map(GPU0_BAR0, 4), v);

	KUNIT_EXPECT_EQ(test, sim_dma_write(nic, GPU0_BAR2_BUS, buf, 64), -EIO);
	sim_cfg_expect_error(test, nic, SIM_DMA_ERR_DECODE);
	KUNIT_EXPECT_EQ(test, sim_dma_read(gpu1, GPU0_BAR0, buf, 64), -EIO);
	sim_cfg_expect_error(test, gpu1, SIM_DMA_ERR_DECODE);
	sim_dma_stats_get(&st);
	KUNIT_EXPECT_EQ(test, st.no_decode, 2ULL);
	KUNIT_EXPECT_EQ(test, st.errors, 2ULL);
	KUNIT_EXPECT_EQ(test, st.transfers, 0ULL);
	KUNIT_EXPECT_EQ(test, ((u8 *)sim_cpu_map(GPU0_BAR2_CPU, 1))[0], 0);
	/* The device's own DMA is not its BARs' business. */
	KUNIT_EXPECT_EQ(test, sim_dma_write(gpu0, RAM_PA, buf, 64), 0);

	cfg_write(gpu0, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 2);
	KUNIT_EXPECT_EQ(test, sim_cpu_read(GPU0_BAR0, &got, 4), 0);
	KUNIT_EXPECT_EQ(test, got, v);
	KUNIT_EXPECT_EQ(test, sim_dma_write(nic, GPU0_BAR2_BUS, buf, 64), 0);
	KUNIT_EXPECT_MEMEQ(test, sim_cpu_map(GPU0_BAR2_CPU, 64), buf, 64);
	KUNIT_EXPECT_EQ(test, sim_dma_read(gpu1, GPU0_BAR0, buf, 4), 0);
	KUNIT_EXPECT_EQ(test, *(u32 *)buf, v);
	sim_dma_stats_get(&st);
	KUNIT_EXPECT_EQ(test, st.no_decode, 2ULL);
}

/* Expect @rid's decode error counters, as the platform reads them. */
static void sim_cfg_expect_decode_errors(struct kunit *test, u16 rid, u64 dma,
					 u64 cpu)
{
	struct sim_pci_decode_errors e;

	KUNIT_ASSERT_EQ(test, arch_pci_decode_errors(rid, &e), 0);
	KUNIT_EXPECT_EQ_MSG(test, e.dma, dma, "rid %04x", rid);
	KUNIT_EXPECT_EQ_MSG(test, e.cpu, cpu, "rid %04x", rid);
}

/*
 * The fabric monitor: requests that reach a BAR while it does not decode
 * (Memory Space Enable off, in reset, its register not restored) are
 * counted against the BAR's function, DMA by either route and CPU
 * accesses apart; nothing else is.
 */
static void sim_cfg_decode_errors(struct kunit *test)
{
	const unsigned int devctl = SIM_PCI_EXP_CAP_OFFSET + PCI_EXP_DEVCTL;
	struct sim_pci_decode_errors sum;
	u8 buf[64] = { 1 };
	u16 gpu0, nic, gpu1;
	u32 v = 0;

	sim_cfg_machine(test, false, NULL);
	gpu0 = sim_cfg_rid(test, "gpu0");
	nic = sim_cfg_rid(test, "nic");
	gpu1 = sim_cfg_rid(test, "gpu1");

	/* Decoding: nothing counted, whoever asks. */
	KUNIT_EXPECT_EQ(test, sim_dma_write(nic, GPU0_BAR2_BUS, buf, 64), 0);
	KUNIT_EXPECT_EQ(test, sim_cpu_read(GPU0_BAR0, &v, 4), 0);
	sim_cfg_expect_decode_errors(test, gpu0, 0, 0);

	/* Memory Space Enable off. */
	cfg_write(gpu0, PCI_COMMAND, PCI_COMMAND_MASTER, 2);
	KUNIT_EXPECT_EQ(test, sim_dma_write(nic, GPU0_BAR2_BUS, buf, 64), -EIO);
	KUNIT_EXPECT_EQ(test, sim_dma_read(gpu1, GPU0_BAR0, buf, 64), -EIO);
	KUNIT_EXPECT_EQ(test, sim_cpu_read(GPU0_BAR0, &v, 4), -EFAULT);
	KUNIT_EXPECT_EQ(test, sim_cpu_write(GPU0_BAR2_CPU, &v, 4), -EFAULT);
	KUNIT_EXPECT_EQ(test, sim_cpu_memset(GPU0_BAR2_CPU, 0, 64), -EFAULT);
	/* The debugger's view is not an access. */
	KUNIT_EXPECT_NOT_NULL(test, sim_cpu_map(GPU0_BAR2_CPU, 64));
	sim_cfg_expect_decode_errors(test, gpu0, 2, 3);
	/* Errors of other kinds are not decode errors. */
	KUNIT_EXPECT_EQ(test, sim_dma_write(nic, 0xdead0000000ULL, buf, 8), -EIO);
	sim_cfg_expect_decode_errors(test, nic, 0, 0);
	sim_cfg_expect_decode_errors(test, gpu1, 0, 0);

	/* In reset, and after it until the BAR register is written back. */
	cfg_write(gpu0, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 2);
	sim_pci_flr_hold(true);
	cfg_write(gpu0, devctl, SIM_PCI_DEVCTL_RESET | PCI_EXP_DEVCTL_BCR_FLR, 2);
	KUNIT_EXPECT_EQ(test, sim_dma_write(nic, GPU0_BAR2_BUS, buf, 64), -EIO);
	KUNIT_EXPECT_EQ(test, sim_cpu_read(GPU0_BAR0, &v, 4), -EFAULT);
	sim_cfg_expect_decode_errors(test, gpu0, 3, 4);
	sim_pci_flr_hold(false);
	while (cfg_read(gpu0, PCI_VENDOR_ID, 4) == ~0U)
		sim_cfg_sleep_us(SIM_PCI_FLR_US / 4);
	cfg_write(gpu0, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 2);
	KUNIT_EXPECT_EQ(test, sim_cpu_read(GPU0_BAR0, &v, 4), -EFAULT);
	sim_cfg_expect_decode_errors(test, gpu0, 3, 5);
	cfg_write(gpu0, PCI_BASE_ADDRESS_0, GPU0_BAR0, 4);
	KUNIT_EXPECT_EQ(test, sim_cpu_read(GPU0_BAR0, &v, 4), 0);
	sim_cfg_expect_decode_errors(test, gpu0, 3, 5);

	arch_pci_decode_errors_sum(&sum);
	KUNIT_EXPECT_EQ(test, sum.dma, 3ULL);
	KUNIT_EXPECT_EQ(test, sum.cpu, 5ULL);
	KUNIT_EXPECT_EQ(test, arch_pci_decode_errors(0xfefe, &sum), -ENOENT);

	/* A new machine starts from zero. */
	sim_machine_destroy();
	sim_cfg_machine(test, false, NULL);
	sim_cfg_expect_decode_errors(test, gpu0, 0, 0);
}

/* Bus Master Enable off: the engine issues nothing, not even a trace. */
static void sim_cfg_bus_master(struct kunit *test)
{
	struct sim_dma_trace_rec rec;
	u8 buf[64] = { 9, 8, 7 };
	struct sim_dma_stats st;
	u16 nic;

	sim_cfg_machine(test, false, NULL);
	nic = sim_cfg_rid(test, "nic");
	sim_dma_trace_enable(true);

	cfg_write(nic, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
	KUNIT_EXPECT_EQ(test, sim_dma_write(nic, RAM_PA, buf, 64), -EIO);
	sim_cfg_expect_error(test, nic, SIM_DMA_ERR_BUS_MASTER);
	KUNIT_EXPECT_EQ(test, sim_dma_read(nic, RAM_PA, buf, 64), -EIO);
	KUNIT_EXPECT_EQ(test, ((u8 *)sim_cpu_map(RAM_PA, 1))[0], 0);
	KUNIT_EXPECT_EQ(test, buf[0], 9);
	KUNIT_EXPECT_EQ(test, sim_dma_trace_read(&rec), -ENOENT);
	sim_dma_stats_get(&st);
	KUNIT_EXPECT_EQ(test, st.no_bus_master, 2ULL);
	/* Its BARs still decode. */
	KUNIT_EXPECT_EQ(test, sim_cpu_write(NIC_BAR0, buf, 4), 0);

	cfg_write(nic, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 2);
	KUNIT_EXPECT_EQ(test, sim_dma_write(nic, RAM_PA, buf, 64), 0);
	KUNIT_EXPECT_MEMEQ(test, sim_cpu_map(RAM_PA, 64), buf, 64);
	KUNIT_EXPECT_EQ(test, sim_dma_trace_read(&rec), 0);
	sim_dma_trace_enable(false);
}

/*
 * Initiate FLR: at once registers and BAR memory are at their reset
 * values, and for SIM_PCI_FLR_US the function is not there for config
 * space, decode or DMA; then config space answers again.
 */
static void sim_cfg_flr(struct kunit *test)
{
	const unsigned int devctl = SIM_PCI_EXP_CAP_OFFSET + PCI_EXP_DEVCTL;
	u8 buf[64] = { 0xaa, 0xbb };
	u32 v = 0xfeedface;
	u16 gpu0, nic;
	u64 start;
	int tries;

	sim_cfg_machine(test, false, NULL);
	gpu0 = sim_cfg_rid(test, "gpu0");
	nic = sim_cfg_rid(test, "nic");
	KUNIT_ASSERT_EQ(test, sim_cpu_write(GPU0_BAR0 + SZ_1M, &v, 4), 0);
	KUNIT_ASSERT_EQ(test, sim_cpu_write(GPU0_BAR2_CPU + SZ_1G, &v, 4), 0);
	cfg_write(gpu0, devctl, SIM_PCI_DEVCTL_RESET |
		  PCI_EXP_DEVCTL_PAYLOAD_256B, 2);
	KUNIT_ASSERT_EQ(test, cfg_read(gpu0, devctl, 2),
			(u32)(SIM_PCI_DEVCTL_RESET | PCI_EXP_DEVCTL_PAYLOAD_256B));

	/* Held open while we look: a loaded host may take longer than it. */
	sim_pci_flr_hold(true);
	start = sim_cfg_now_us();
	cfg_write(gpu0, devctl, SIM_PCI_DEVCTL_RESET | PCI_EXP_DEVCTL_BCR_FLR, 2);
	/* The reset window: nothing answers. */
	KUNIT_EXPECT_EQ(test, cfg_read(gpu0, PCI_VENDOR_ID, 4), ~0U);
	KUNIT_EXPECT_EQ(test, cfg_read(gpu0, PCI_COMMAND, 2), 0xffffU);
	KUNIT_EXPECT_EQ(test, sim_dma_write(gpu0, RAM_PA, buf, 64), -EIO);
	sim_cfg_expect_error(test, gpu0, SIM_DMA_ERR_BUS_MASTER);
	KUNIT_EXPECT_EQ(test, sim_dma_write(nic, GPU0_BAR0, buf, 64), -EIO);
	sim_cfg_expect_error(test, nic, SIM_DMA_ERR_DECODE);
	/* Writes in the window are ignored. */
	cfg_write(gpu0, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);

	sim_pci_flr_hold(false);
	for (tries = 0; tries < 100 && cfg_read(gpu0, PCI_VENDOR_ID, 4) == ~0U;
	     tries++)
		sim_cfg_sleep_us(SIM_PCI_FLR_US / 4);
	KUNIT_EXPECT_EQ(test, cfg_read(gpu0, PCI_VENDOR_ID, 4), 0x03005ca1U);
	/* It lasted at least the datasheet's time, and it ended. */
	KUNIT_EXPECT_GE(test, sim_cfg_now_us() - start, (u64)SIM_PCI_FLR_US);

	/* Reset values. */
	KUNIT_EXPECT_EQ(test, cfg_read(gpu0, PCI_COMMAND, 2), 0U);
	KUNIT_EXPECT_EQ(test, cfg_read(gpu0, PCI_BASE_ADDRESS_0, 4), 0U);
	KUNIT_EXPECT_EQ(test, cfg_read(gpu0, PCI_BASE_ADDRESS_3, 4), 0U);
	KUNIT_EXPECT_EQ(test, cfg_read(gpu0, devctl, 2),
			(u32)SIM_PCI_DEVCTL_RESET);
	KUNIT_EXPECT_EQ(test, *(u32 *)sim_cpu_map(GPU0_BAR0 + SZ_1M, 4), 0U);
	KUNIT_EXPECT_EQ(test, *(u32 *)sim_cpu_map(GPU0_BAR2_CPU + SZ_1G, 4), 0U);
	KUNIT_EXPECT_EQ(test, sim_cpu_read(GPU0_BAR0, &v, 4), -EFAULT);

	/* Programmed again, it works. */
	cfg_write(gpu0, PCI_BASE_ADDRESS_0, GPU0_BAR0, 4);
	cfg_write(gpu0, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER, 2);
	KUNIT_EXPECT_EQ(test, sim_cpu_read(GPU0_BAR0 + SZ_1M, &v, 4), 0);
	KUNIT_EXPECT_EQ(test, v, 0U);
	KUNIT_EXPECT_EQ(test, sim_dma_write(gpu0, RAM_PA, buf, 64), 0);
	/* BAR2's register is still 0: it does not decode. */
	KUNIT_EXPECT_EQ(test, sim_cpu_read(GPU0_BAR2_CPU, &v, 4), -EFAULT);
}

static void sim_cfg_sata_no_flr(struct pci_test_board *tb)
{
	pci_test_node(tb, "sata")->no_flr = true;
}

/* A function without FLR ignores Initiate FLR. */
static void sim_cfg_no_flr(struct kunit *test)
{
	const unsigned int devctl = SIM_PCI_EXP_CAP_OFFSET + PCI_EXP_DEVCTL;
	struct sim_fw_pci_node sata;
	u32 v = 0x600d600d;

	sim_cfg_machine(test, false, sim_cfg_sata_no_flr);
	sata = sim_cfg_node(test, "sata");
	KUNIT_ASSERT_EQ(test, sim_cpu_write(sata.bar[5].cpu_addr, &v, 4), 0);
	KUNIT_EXPECT_EQ(test, cfg_read(sata.rid, SIM_PCI_EXP_CAP_OFFSET +
				       PCI_EXP_DEVCAP, 4), 0U);
	cfg_write(sata.rid, devctl, PCI_EXP_DEVCTL_BCR_FLR, 2);
	KUNIT_EXPECT_EQ(test, cfg_read(sata.rid, PCI_COMMAND, 2),
			(u32)(PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER));
	v = 0;
	KUNIT_EXPECT_EQ(test, sim_cpu_read(sata.bar[5].cpu_addr, &v, 4), 0);
	KUNIT_EXPECT_EQ(test, v, 0x600d600dU);
}

static u32 ce_read(phys_addr_t regs, unsigned int reg)
{
	u32 v = ~0U;

	sim_cpu_read(regs + reg, &v, 4);
	return v;
}

static void ce_write(phys_addr_t regs, unsigned int reg, u64 v, size_t len)
{
	sim_cpu_write(regs + reg, &v, len);
}

/*
 * The copy engine: stores to its registers run the model, whose DMA moves
 * bytes (RAM to RAM, and into its own BAR2 by bus address); with Bus
 * Master Enable off the doorbell fails; an FLR resets its registers.
 */
static void sim_cfg_copy_engine(struct kunit *test)
{
	const size_t len = 3 * PAGE_SIZE + 100;
	struct sim_fw_pci_node ce;
	phys_addr_t regs, src = RAM_PA + 100, dst = RAM_PA + SZ_1M;
	u8 *pattern = kunit_kmalloc(test, len, GFP_KERNEL);
	size_t i;

	KUNIT_ASSERT_NOT_NULL(test, pattern);
	sim_cfg_machine(test, true, NULL);
	ce = sim_cfg_node(test, "dma0");
	regs = ce.bar[SIM_CE_REGS_BAR].cpu_addr;
	for (i = 0; i < len; i++)
		pattern[i] = i * 13 + 1;
	KUNIT_ASSERT_EQ(test, sim_cpu_write(src, pattern, len), 0);

	KUNIT_EXPECT_EQ(test, ce_read(regs, SIM_CE_ID), (u32)SIM_CE_ID_VALUE);
	KUNIT_EXPECT_EQ(test, ce_read(regs, SIM_CE_SCRATCH),
			(u32)SIM_CE_SCRATCH_RESET);
	KUNIT_EXPECT_NULL(test, sim_cpu_map(regs, 4));	/* no bytes there */

	ce_write(regs, SIM_CE_SRC, src, 8);
	ce_write(regs, SIM_CE_DST, dst, 8);
	ce_write(regs, SIM_CE_LEN, len, 4);
	ce_write(regs, SIM_CE_SCRATCH, 0x1234, 4);
	KUNIT_EXPECT_EQ(test, ((u8 *)sim_cpu_map(dst, 1))[0], 0);
	ce_write(regs, SIM_CE_DOORBELL, SIM_CE_DOORBELL_GO, 4);
	KUNIT_EXPECT_EQ(test, ce_read(regs, SIM_CE_STATUS),
			(u32)SIM_CE_STATUS_DONE);
	KUNIT_EXPECT_EQ(test, ce_read(regs, SIM_CE_COPIED), (u32)len);
	KUNIT_EXPECT_EQ(test, ce_read(regs, SIM_CE_COUNT), 1U);
	KUNIT_EXPECT_MEMEQ(test, sim_cpu_map(dst, len), pattern, len);

	/* Into its own BAR2, by bus address. */
	ce_write(regs, SIM_CE_DST, ce.bar[2].bus_addr, 8);
	ce_write(regs, SIM_CE_DOORBELL, SIM_CE_DOORBELL_GO, 4);
	KUNIT_EXPECT_EQ(test, ce_read(regs, SIM_CE_STATUS),
			(u32)SIM_CE_STATUS_DONE);
	KUNIT_EXPECT_MEMEQ(test, sim_cpu_map(ce.bar[2].cpu_addr, len),
			   pattern, len);
	/* DMA does not reach registers. */
	ce_write(regs, SIM_CE_DST, ce.bar[0].bus_addr, 8);
	ce_write(regs, SIM_CE_DOORBELL, SIM_CE_DOORBELL_GO, 4);
	KUNIT_EXPECT_EQ(test, ce_read(regs, SIM_CE_STATUS),
			(u32)(SIM_CE_STATUS_ERROR |
			      SIM_CE_ERR_WRITE << SIM_CE_STATUS_ERR_SHIFT));
	sim_cfg_expect_error(test, ce.rid, SIM_DMA_ERR_REGISTERS);

	/* Bus Master Enable off: the doorbell runs, the DMA does not. */
	memset(sim_cpu_map(dst, len), 0, len);
	ce_write(regs, SIM_CE_DST, dst, 8);
	cfg_write(ce.rid, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
	ce_write(regs, SIM_CE_DOORBELL, SIM_CE_DOORBELL_GO, 4);
	KUNIT_EXPECT_EQ(test, ce_read(regs, SIM_CE_STATUS),
			(u32)(SIM_CE_STATUS_ERROR |
			      SIM_CE_ERR_READ << SIM_CE_STATUS_ERR_SHIFT));
	KUNIT_EXPECT_EQ(test, ce_read(regs, SIM_CE_COPIED), 0U);
	sim_cfg_expect_error(test, ce.rid, SIM_DMA_ERR_BUS_MASTER);
	KUNIT_EXPECT_EQ(test, ((u8 *)sim_cpu_map(dst, 1))[0], 0);

	/* Memory Space Enable off: the registers read all ones. */
	cfg_write(ce.rid, PCI_COMMAND, 0, 2);
	KUNIT_EXPECT_EQ(test, sim_cpu_read(regs + SIM_CE_ID, &i, 4), -EFAULT);
	cfg_write(ce.rid, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);

	/* FLR: reset values, its memory zeroed. */
	cfg_write(ce.rid, SIM_PCI_EXP_CAP_OFFSET + PCI_EXP_DEVCTL,
		  PCI_EXP_DEVCTL_BCR_FLR, 2);
	KUNIT_EXPECT_EQ(test, ((u8 *)sim_cpu_map(ce.bar[2].cpu_addr, 1))[0], 0);
	sim_cfg_sleep_us(2 * SIM_PCI_FLR_US);
	cfg_write(ce.rid, PCI_BASE_ADDRESS_0, ce.bar[0].bus_addr, 4);
	cfg_write(ce.rid, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
	KUNIT_EXPECT_EQ(test, ce_read(regs, SIM_CE_SCRATCH),
			(u32)SIM_CE_SCRATCH_RESET);
	KUNIT_EXPECT_EQ(test, ce_read(regs, SIM_CE_COUNT), 0U);
	KUNIT_EXPECT_EQ(test, ce_read(regs, SIM_CE_LEN), 0U);
}

/* Hot-unplug of an endpoint: gone for the CPU, config space and DMA. */
static void sim_cfg_unplug(struct kunit *test)
{
	u8 buf[64] = { 5, 6, 7 };
	u16 gpu0, nic, gpu1;
	u32 v = 0x12345678;

	sim_cfg_machine(test, false, NULL);
	gpu0 = sim_cfg_rid(test, "gpu0");
	nic = sim_cfg_rid(test, "nic");
	gpu1 = sim_cfg_rid(test, "gpu1");
	KUNIT_ASSERT_EQ(test, sim_cpu_write(GPU0_BAR0, &v, 4), 0);

	KUNIT_ASSERT_EQ(test, sim_pci_unplug("gpu0"), 0);
	KUNIT_EXPECT_EQ(test, sim_cpu_read(GPU0_BAR0, &v, 4), -EFAULT);
	KUNIT_EXPECT_EQ(test, sim_cpu_write(GPU0_BAR2_CPU, &v, 4), -EFAULT);
	KUNIT_EXPECT_NULL(test, sim_cpu_map(GPU0_BAR0, 4));
	KUNIT_EXPECT_EQ(test, cfg_read(gpu0, PCI_VENDOR_ID, 4), ~0U);
	KUNIT_EXPECT_EQ(test, sim_dma_write(gpu0, RAM_PA, buf, 64), -ENODEV);
	KUNIT_EXPECT_EQ(test, sim_dma_write(nic, GPU0_BAR2_BUS, buf, 64), -EIO);
	sim_cfg_expect_error(test, nic, SIM_DMA_ERR_NO_TARGET);
	KUNIT_EXPECT_EQ(test, sim_dma_read(gpu1, GPU0_BAR0, buf, 64), -EIO);
	sim_cfg_expect_error(test, gpu1, SIM_DMA_ERR_NO_TARGET);

	/* The rest of the fabric is unaffected. */
	KUNIT_EXPECT_EQ(test, sim_dma_write(nic, RAM_PA, buf, 64), 0);
	KUNIT_EXPECT_MEMEQ(test, sim_cpu_map(RAM_PA, 64), buf, 64);
	KUNIT_EXPECT_EQ(test, sim_cpu_read(NIC_BAR0, &v, 4), 0);
	KUNIT_EXPECT_EQ(test, cfg_read(sim_cfg_rid(test, "sw0-dp1"),
				       PCI_VENDOR_ID, 2), 0x5ca1U);

	KUNIT_EXPECT_EQ(test, sim_pci_unplug("gpu0"), -ENOENT);
	KUNIT_EXPECT_EQ(test, sim_pci_unplug("nothing"), -ENOENT);
	KUNIT_EXPECT_EQ(test, sim_pci_unplug("hb0"), -EINVAL);

	/* A switch takes everything below it. */
	KUNIT_ASSERT_EQ(test, sim_pci_unplug("sw0-up"), 0);
	KUNIT_EXPECT_EQ(test, sim_dma_write(nic, RAM_PA, buf, 64), -ENODEV);
	KUNIT_EXPECT_EQ(test, sim_cpu_read(NIC_BAR0, &v, 4), -EFAULT);
	KUNIT_EXPECT_EQ(test, cfg_read(sim_cfg_rid(test, "sw0-dp0"),
				       PCI_VENDOR_ID, 4), ~0U);
	KUNIT_EXPECT_EQ(test, sim_dma_write(gpu1, RAM_PA, buf, 64), 0);
}

/**
 * struct sim_cfg_racer - DMA that runs while the main thread unplugs
 * @stop: the main thread is done
 * @ok: transfers that completed
 * @failed: transfers that failed
 * @bad: transfers that failed with an unexpected error
 * @partial: transfers that left other bytes than all or nothing of theirs
 */
struct sim_cfg_racer {
	int stop;
	unsigned long ok;
	unsigned long failed;
	unsigned long bad;
	unsigned long partial;
};

/* Does the NIC read @len bytes of @fill at @addr?  False if it cannot. */
static bool sim_cfg_race_holds(u16 nic, dma_addr_t addr, u8 fill, u8 *chk,
			       size_t len)
{
	size_t i;

	if (sim_dma_read(nic, addr, chk, len))
		return false;
	for (i = 0; i < len; i++)
		if (chk[i] != fill)
			return false;
	return true;
}

/*
 * The NIC writes GPU0's BAR2 and GPU0 writes RAM, until told to stop.
 * Each round writes a new byte value; a completed write to RAM must have
 * landed whole, and a failed one must have left RAM with the last
 * completed one's bytes, all of them (the NIC reads RAM back to see).
 * A completed write to the BAR must read back whole while the BAR is
 * there.
 */
static void *sim_cfg_race_dma(void *arg)
{
	static u8 buf[2 * PAGE_SIZE], chk[2 * PAGE_SIZE];
	struct sim_cfg_racer *r = arg;
	struct sim_fw_pci_node gpu0, nic;
	u8 fill = 0, last = 0;
	int ret;

	if (pci_test_fw_find("gpu0", &gpu0) < 0 ||
	    pci_test_fw_find("nic", &nic) < 0) {
		r->bad++;
		return NULL;
	}
	memset(buf, last, sizeof(buf));
	if (sim_dma_write(nic.rid, RAM_PA, buf, sizeof(buf))) {
		r->bad++;
		return NULL;
	}
	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
		fill = fill == 0xff ? 1 : fill + 1;
		memset(buf, fill, sizeof(buf));
		ret = sim_dma_write(nic.rid, GPU0_BAR2_BUS + PAGE_SIZE / 2,
				    buf, sizeof(buf));
		if (!ret)
			r->ok++;
		else if (ret == -EIO)
			r->failed++;
		else
			r->bad++;
		if (!ret && !sim_cfg_race_holds(nic.rid,
						GPU0_BAR2_BUS + PAGE_SIZE / 2,
						fill, chk, sizeof(chk)) &&
		    !sim_dma_read(nic.rid, GPU0_BAR2_BUS, chk, 1))
			r->partial++;	/* the BAR is there but not the bytes */
		ret = sim_dma_write(gpu0.rid, RAM_PA, buf, sizeof(buf));
		if (!ret) {
			r->ok++;
			last = fill;
		} else if (ret == -ENODEV) {
			__atomic_store_n(&r->failed, r->failed + 1,
					 __ATOMIC_RELEASE);
		} else {
			r->bad++;
		}
		if (!sim_cfg_race_holds(nic.rid, RAM_PA, last, chk,
					sizeof(chk)))
			r->partial++;
	}
	return NULL;
}

/*
 * Unplugging while another thread's DMA targets the device and comes from
 * it: every transfer completes or fails cleanly, all or nothing (ASan
 * watches the bytes).  The main thread waits for the racer to see each
 * side of the unplug, however slowly it is scheduled.
 */
static void sim_cfg_unplug_racing(struct kunit *test)
{
	struct sim_cfg_racer r = { 0 };
	pthread_t thread;
	unsigned int waited;
	u16 nic;

	sim_cfg_machine(test, false, NULL);
	nic = sim_cfg_rid(test, "nic");
	KUNIT_ASSERT_EQ(test, pthread_create(&thread, NULL, sim_cfg_race_dma,
					     &r), 0);
	while (!__atomic_load_n(&r.ok, __ATOMIC_RELAXED) &&
	       !__atomic_load_n(&r.bad, __ATOMIC_RELAXED))
		sim_cfg_sleep_us(100);
	KUNIT_EXPECT_EQ(test, sim_pci_unplug("gpu0"), 0);
	/* Bounded (10 s), so a racer that never fails fails the case. */
	for (waited = 0; waited < 100000 &&
	     !__atomic_load_n(&r.failed, __ATOMIC_ACQUIRE); waited++)
		sim_cfg_sleep_us(100);
	__atomic_store_n(&r.stop, 1, __ATOMIC_RELEASE);
	pthread_join(thread, NULL);

	KUNIT_EXPECT_GT(test, r.ok, 0UL);
	KUNIT_EXPECT_GT(test, r.failed, 0UL);
	KUNIT_EXPECT_EQ(test, r.bad, 0UL);
	KUNIT_EXPECT_EQ(test, r.partial, 0UL);
	KUNIT_EXPECT_EQ(test, sim_dma_write(nic, RAM_PA, &r, 8), 0);
}

static void bad_model_on_port(struct pci_test_board *tb)
{
	pci_test_node(tb, "rpA")->model = &sim_copy_engine_model;
}

static void bad_model_bar_missing(struct pci_test_board *tb)
{
	pci_test_node(tb, "gpu1")->bar[0].size = 0;
	pci_test_node(tb, "gpu1")->model = &sim_copy_engine_model;
}

static void bad_no_flr_on_port(struct pci_test_board *tb)
{
	pci_test_node(tb, "rpB")->no_flr = true;
}

static void bad_64bit_bar_last(struct pci_test_board *tb)
{
	pci_test_node(tb, "sata")->bar[5].flags = SIM_PCI_BAR_64;
}

static void bad_64bit_bar_pair_used(struct pci_test_board *tb)
{
	pci_test_node(tb, "gpu1")->bar[3].size = SZ_4K;
}

/* Boards the machine refuses. */
static void sim_cfg_bad_boards(struct kunit *test)
{
	static void (* const edits[])(struct pci_test_board *tb) = {
		bad_model_on_port, bad_model_bar_missing, bad_no_flr_on_port,
		bad_64bit_bar_last, bad_64bit_bar_pair_used,
	};
	struct pci_test_board *tb = kunit_kzalloc(test, sizeof(*tb), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, tb);
	for (i = 0; i < ARRAY_SIZE(edits); i++) {
		pci_test_board_default(tb);
		edits[i](tb);
		KUNIT_EXPECT_EQ_MSG(test, sim_machine_create(&tb->cfg), -EINVAL,
				    "edit %u", i);
		sim_machine_destroy();
	}
}

static struct kunit_case sim_pci_config_cases[] = {
	KUNIT_CASE(sim_cfg_header),
	KUNIT_CASE(sim_cfg_bar_sizing),
	KUNIT_CASE(sim_cfg_decode),
	KUNIT_CASE(sim_cfg_decode_errors),
	KUNIT_CASE(sim_cfg_bus_master),
	KUNIT_CASE(sim_cfg_flr),
	KUNIT_CASE(sim_cfg_no_flr),
	KUNIT_CASE(sim_cfg_copy_engine),
	KUNIT_CASE(sim_cfg_unplug),
	KUNIT_CASE(sim_cfg_unplug_racing),
	KUNIT_CASE(sim_cfg_bad_boards),
	{}
};

static struct kunit_suite sim_pci_config_suite = {
	.name = "sim_pci_config",
	.exit = sim_cfg_test_exit,
	.test_cases = sim_pci_config_cases,
};
kunit_test_suite(sim_pci_config_suite);
