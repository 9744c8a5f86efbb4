// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the devices' DMA engines (sim/dma.c): bytes a device writes or
 * reads, checked with the CPU accessors at the physical addresses they
 * must land at, and how the fabric routes them: to RAM through the root
 * complex, peer-to-peer across a switch by bus address, through the host
 * bridge by CPU address, or refused (ACS redirect without upstream
 * forwarding, a host bridge that does not forward, the device's address
 * bits, nothing at the address).
 *
 * Machine side only, on the default topology without an IOMMU unless a
 * case says otherwise (so DMA addresses are physical or bus addresses).
 * Each case builds its machine and destroys it in exit.
 */
#include <kunit/test.h>
#include <linux/sizes.h>
#include <asm/page.h>

#include "sim/dma.h"
#include "sim/iommu.h"
#include "sim/pci.h"
#include "sim/sim.h"
#include "tests/pci_boards.h"

/* Where things are on the default machine (tests/pci_fabric_test.c). */
#define NIC_BAR0	0xc0000000ULL
#define GPU0_BAR0	0xc1000000ULL
#define GPU0_BAR2_CPU	(64 * GiB)
#define GPU0_BAR2_BUS	(32 * GiB)
#define GPU1_BAR2_CPU	(80 * GiB)
#define GPU1_BAR2_BUS	(48 * GiB)

static void sim_dma_test_exit(struct kunit *test __always_unused)
{
	sim_machine_destroy();
}

/* The default topology, no IOMMU, edited by @edit (may be NULL). */
static void sim_dma_machine(struct kunit *test,
			    void (*edit)(struct pci_test_board *tb))
{
	struct pci_test_board *tb = kunit_kzalloc(test, sizeof(*tb), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, tb);
	pci_test_board_default(tb);
	pci_test_board_no_iommu(tb);
	if (edit)
		edit(tb);
	KUNIT_ASSERT_EQ(test, sim_machine_create(&tb->cfg), 0);
	kunit_kfree(test, tb);
}

static u16 sim_dma_rid(struct kunit *test, const char *name)
{
	struct sim_fw_pci_node node;

	KUNIT_ASSERT_GE_MSG(test, pci_test_fw_find(name, &node), 0, "%s", name);
	return node.rid;
}

static void *sim_dma_pattern(struct kunit *test, size_t len, u8 seed)
{
	u8 *buf = kunit_kmalloc(test, len, GFP_KERNEL);
	size_t i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < len; i++)
		buf[i] = seed + i * 7 + (i >> 12);
	return buf;
}

static void sim_dma_expect_error(struct kunit *test, u16 rid,
				 enum sim_dma_error_reason reason)
{
	struct sim_dma_error err;

	sim_dma_last_error(&err);
	KUNIT_EXPECT_EQ(test, err.reason, reason);
	KUNIT_EXPECT_EQ(test, err.rid, rid);
}

/* A device writes RAM; the CPU finds the bytes at the same addresses. */
static void sim_dma_write_ram(struct kunit *test)
{
	const size_t len = 3 * PAGE_SIZE + 1000;
	const phys_addr_t pa = 5 * GiB + 100;	/* unaligned, crosses pages */
	u8 *out, *in = kunit_kzalloc(test, len, GFP_KERNEL);
	struct sim_dma_stats st;
	u16 nic;

	sim_dma_machine(test, NULL);
	nic = sim_dma_rid(test, "nic");
	out = sim_dma_pattern(test, len, 1);
	KUNIT_ASSERT_NOT_NULL(test, in);

	KUNIT_ASSERT_EQ(test, sim_dma_write(nic, pa, out, len), 0);
	KUNIT_ASSERT_EQ(test, sim_cpu_read(pa, in, len), 0);
	KUNIT_EXPECT_MEMEQ(test, in, out, len);
	KUNIT_EXPECT_EQ(test, *(u8 *)sim_cpu_map(pa - 1, 1), 0);
	KUNIT_EXPECT_EQ(test, *(u8 *)sim_cpu_map(pa + len, 1), 0);

	sim_dma_stats_get(&st);
	KUNIT_EXPECT_EQ(test, st.transfers, 1ULL);
	KUNIT_EXPECT_EQ(test, st.transactions, 4ULL);	/* split at pages */
	KUNIT_EXPECT_EQ(test, st.bytes, (u64)len);
	KUNIT_EXPECT_EQ(test, st.root_complex, 4ULL);
	KUNIT_EXPECT_EQ(test, st.translated, 0ULL);
	KUNIT_EXPECT_EQ(test, st.p2p, 0ULL);
	KUNIT_EXPECT_EQ(test, st.errors, 0ULL);

	/* A zero-length transfer moves and counts nothing. */
	KUNIT_EXPECT_EQ(test, sim_dma_write(nic, pa, out, 0), 0);
	sim_dma_stats_get(&st);
	KUNIT_EXPECT_EQ(test, st.transfers, 1ULL);
}

/* A device reads what the CPU wrote, below and above 4 GiB. */
static void sim_dma_read_ram(struct kunit *test)
{
	const size_t len = 2 * PAGE_SIZE;
	u8 *out, *in = kunit_kzalloc(test, len, GFP_KERNEL);
	u16 gpu1;

	sim_dma_machine(test, NULL);
	gpu1 = sim_dma_rid(test, "gpu1");
	out = sim_dma_pattern(test, len, 2);
	KUNIT_ASSERT_NOT_NULL(test, in);

	KUNIT_ASSERT_EQ(test, sim_cpu_write(3 * GiB - len, out, len), 0);
	KUNIT_ASSERT_EQ(test, sim_dma_read(gpu1, 3 * GiB - len, in, len), 0);
	KUNIT_EXPECT_MEMEQ(test, in, out, len);

	KUNIT_ASSERT_EQ(test, sim_cpu_write(9 * GiB - len, out, len), 0);
	memset(in, 0, len);
	KUNIT_ASSERT_EQ(test, sim_dma_read(gpu1, 9 * GiB - len, in, len), 0);
	KUNIT_EXPECT_MEMEQ(test, in, out, len);
}

/* The NIC writes into GPU0's BAR by bus address, across the switch. */
static void sim_dma_p2p_bus_addr(struct kunit *test)
{
	const size_t len = 4 * PAGE_SIZE;
	u8 *out, *in = kunit_kzalloc(test, len, GFP_KERNEL);
	struct sim_fw_pci_node gpu0;
	struct sim_dma_stats st;
	u16 nic;

	sim_dma_machine(test, NULL);
	nic = sim_dma_rid(test, "nic");
	out = sim_dma_pattern(test, len, 3);
	KUNIT_ASSERT_NOT_NULL(test, in);
	KUNIT_ASSERT_GE(test, pci_test_fw_find("gpu0", &gpu0), 0);
	KUNIT_ASSERT_EQ(test, gpu0.bar[2].bus_addr, GPU0_BAR2_BUS);

	KUNIT_ASSERT_EQ(test, sim_dma_write(nic, GPU0_BAR2_BUS + SZ_1G, out,
					    len), 0);
	KUNIT_ASSERT_EQ(test, sim_cpu_read(GPU0_BAR2_CPU + SZ_1G, in, len), 0);
	KUNIT_EXPECT_MEMEQ(test, in, out, len);
	/* Nothing went to RAM at the bus address's value. */
	KUNIT_EXPECT_EQ(test, sim_cpu_read(GPU0_BAR2_BUS, in, 1), -EFAULT);

	sim_dma_stats_get(&st);
	KUNIT_EXPECT_EQ(test, st.p2p, 4ULL);
	KUNIT_EXPECT_EQ(test, st.root_complex, 0ULL);

	/* And reads back, still peer-to-peer. */
	memset(in, 0, len);
	KUNIT_ASSERT_EQ(test, sim_dma_read(nic, GPU0_BAR2_BUS + SZ_1G, in, len), 0);
	KUNIT_EXPECT_MEMEQ(test, in, out, len);
	/* GPU0 writes the NIC's 32-bit BAR (bus == CPU there). */
	KUNIT_ASSERT_EQ(test, sim_dma_write(sim_dma_rid(test, "gpu0"),
					    NIC_BAR0 + 8, out, 64), 0);
	KUNIT_ASSERT_EQ(test, sim_cpu_read(NIC_BAR0 + 8, in, 64), 0);
	KUNIT_EXPECT_MEMEQ(test, in, out, 64);
	sim_dma_stats_get(&st);
	KUNIT_EXPECT_EQ(test, st.p2p, 9ULL);
	KUNIT_EXPECT_EQ(test, st.root_complex, 0ULL);
	KUNIT_EXPECT_EQ(test, st.completions_redirected, 0ULL);
}

/* GPU1 is on another root port: its BAR by CPU address, via hb0. */
static void sim_dma_p2p_host_bridge(struct kunit *test)
{
	u8 *out = sim_dma_pattern(test, PAGE_SIZE, 4);
	u8 in[64];
	struct sim_dma_stats st;
	u16 nic;

	sim_dma_machine(test, NULL);
	nic = sim_dma_rid(test, "nic");
	KUNIT_ASSERT_EQ(test, sim_dma_write(nic, GPU1_BAR2_CPU + 4096, out,
					    PAGE_SIZE), 0);
	KUNIT_ASSERT_EQ(test, sim_cpu_read(GPU1_BAR2_CPU + 4096, in, 64), 0);
	KUNIT_EXPECT_MEMEQ(test, in, out, 64);
	sim_dma_stats_get(&st);
	KUNIT_EXPECT_EQ(test, st.root_complex, 1ULL);
	KUNIT_EXPECT_EQ(test, st.host_bridge_p2p, 1ULL);
	KUNIT_EXPECT_EQ(test, st.p2p, 0ULL);

	/* Its bus address means nothing above the switch: nobody answers. */
	KUNIT_EXPECT_EQ(test, sim_dma_write(nic, GPU1_BAR2_BUS, out, 64), -EIO);
	sim_dma_expect_error(test, nic, SIM_DMA_ERR_NO_TARGET);
}

static void no_p2p_forward(struct pci_test_board *tb)
{
	pci_test_node(tb, "hb0")->p2p_forward = false;
}

static void sim_dma_host_bridge_refuses(struct kunit *test)
{
	u8 out[64] = { 1, 2, 3 }, in[64];
	struct sim_dma_stats st;
	u16 nic;

	sim_dma_machine(test, no_p2p_forward);
	nic = sim_dma_rid(test, "nic");
	KUNIT_EXPECT_EQ(test, sim_dma_write(nic, GPU1_BAR2_CPU, out, 64), -EIO);
	sim_dma_expect_error(test, nic, SIM_DMA_ERR_HOST_BRIDGE);
	KUNIT_ASSERT_EQ(test, sim_cpu_read(GPU1_BAR2_CPU, in, 64), 0);
	KUNIT_EXPECT_TRUE(test, mem_is_zero(in, 64));
	memset(in, 0xee, sizeof(in));
	KUNIT_EXPECT_EQ(test, sim_dma_read(nic, GPU1_BAR2_CPU, in, 64), -EIO);
	KUNIT_EXPECT_EQ(test, in[0], 0xee);
	/* Across the switch still works: it never reaches the host bridge. */
	KUNIT_EXPECT_EQ(test, sim_dma_write(nic, GPU0_BAR2_BUS, out, 64), 0);
	sim_dma_stats_get(&st);
	KUNIT_EXPECT_EQ(test, st.errors, 2ULL);
	KUNIT_EXPECT_EQ(test, st.transfers, 1ULL);
}

static void nic_port_redirects(struct pci_test_board *tb)
{
	pci_test_node(tb, "sw0-dp0")->acs_ctrl |= SIM_PCI_ACS_RR;
}

/*
 * With Request Redirect on the NIC's port, a request for GPU0's BAR goes
 * up: the root port forwards it (Upstream Forwarding), the root complex
 * sends it back down.  So the CPU address works and the bus address of an
 * offset window does not.
 */
static void sim_dma_acs_redirect(struct kunit *test)
{
	u8 out[64] = { 9, 8, 7 }, in[64];
	struct sim_dma_stats st;
	u16 nic;

	sim_dma_machine(test, nic_port_redirects);
	nic = sim_dma_rid(test, "nic");

	KUNIT_ASSERT_EQ(test, sim_dma_write(nic, GPU0_BAR0 + 64, out, 64), 0);
	KUNIT_ASSERT_EQ(test, sim_cpu_read(GPU0_BAR0 + 64, in, 64), 0);
	KUNIT_EXPECT_MEMEQ(test, in, out, 64);
	KUNIT_ASSERT_EQ(test, sim_dma_write(nic, GPU0_BAR2_CPU, out, 64), 0);
	KUNIT_ASSERT_EQ(test, sim_cpu_read(GPU0_BAR2_CPU, in, 64), 0);
	KUNIT_EXPECT_MEMEQ(test, in, out, 64);
	sim_dma_stats_get(&st);
	KUNIT_EXPECT_EQ(test, st.p2p, 0ULL);
	KUNIT_EXPECT_EQ(test, st.root_complex, 2ULL);
	KUNIT_EXPECT_EQ(test, st.host_bridge_p2p, 2ULL);

	KUNIT_EXPECT_EQ(test, sim_dma_write(nic, GPU0_BAR2_BUS, out, 64), -EIO);
	sim_dma_expect_error(test, nic, SIM_DMA_ERR_NO_TARGET);

	/* GPU0's own port does not redirect: its way to the NIC is direct. */
	KUNIT_ASSERT_EQ(test, sim_dma_write(sim_dma_rid(test, "gpu0"),
					    NIC_BAR0, out, 64), 0);
	sim_dma_stats_get(&st);
	KUNIT_EXPECT_EQ(test, st.p2p, 1ULL);
}

static void redirect_without_uf(struct pci_test_board *tb)
{
	nic_port_redirects(tb);
	pci_test_node(tb, "rpA")->acs_ctrl &= ~SIM_PCI_ACS_UF;
}

/* Redirected up to a root port that may not send it back: refused. */
static void sim_dma_no_upstream_forwarding(struct kunit *test)
{
	u8 out[64] = { 0 };
	u16 nic;

	sim_dma_machine(test, redirect_without_uf);
	nic = sim_dma_rid(test, "nic");
	KUNIT_EXPECT_EQ(test, sim_dma_write(nic, GPU0_BAR0, out, 64), -EIO);
	sim_dma_expect_error(test, nic, SIM_DMA_ERR_UPSTREAM);
	/* RAM and other root ports are still reachable. */
	KUNIT_EXPECT_EQ(test, sim_dma_write(nic, 4 * GiB, out, 64), 0);
	KUNIT_EXPECT_EQ(test, sim_dma_write(nic, GPU1_BAR2_CPU, out, 64), 0);
}

static void gpu0_port_redirects_completions(struct pci_test_board *tb)
{
	pci_test_node(tb, "sw0-dp1")->acs_ctrl |= SIM_PCI_ACS_CR;
}

/* Completion Redirect: P2P reads still work, their completions go round. */
static void sim_dma_completion_redirect(struct kunit *test)
{
	u8 buf[64] = { 0 };
	struct sim_dma_stats st;
	u16 nic;

	sim_dma_machine(test, gpu0_port_redirects_completions);
	nic = sim_dma_rid(test, "nic");
	KUNIT_EXPECT_EQ(test, sim_dma_write(nic, GPU0_BAR2_BUS, buf, 64), 0);
	KUNIT_EXPECT_EQ(test, sim_dma_read(nic, GPU0_BAR2_BUS, buf, 64), 0);
	sim_dma_stats_get(&st);
	KUNIT_EXPECT_EQ(test, st.p2p, 2ULL);
	KUNIT_EXPECT_EQ(test, st.completions_redirected, 1ULL);
}

/* SATA's engine has 32 address bits: nothing at or above 4 GiB. */
static void sim_dma_32bit_device(struct kunit *test)
{
	u8 out[64] = { 5, 5, 5 }, in[64];
	u16 sata;

	sim_dma_machine(test, NULL);
	sata = sim_dma_rid(test, "sata");
	KUNIT_EXPECT_EQ(test, sim_dma_write(sata, 3 * GiB - 64, out, 64), 0);
	KUNIT_EXPECT_EQ(test, sim_dma_write(sata, 5 * GiB, out, 64), -EIO);
	sim_dma_expect_error(test, sata, SIM_DMA_ERR_ADDR_WIDTH);
	KUNIT_EXPECT_EQ(test, sim_dma_write(sata, 4 * GiB - 32, out, 64), -EIO);
	KUNIT_EXPECT_EQ(test, sim_dma_read(sata, 4 * GiB, in, 1), -EIO);
	KUNIT_EXPECT_EQ(test, sim_dma_write(sata, GPU0_BAR2_CPU, out, 64), -EIO);
	KUNIT_ASSERT_EQ(test, sim_cpu_read(5 * GiB, in, 64), 0);
	KUNIT_EXPECT_TRUE(test, mem_is_zero(in, 64));
	/* The BARs in the hole are below 4 GiB: reachable. */
	KUNIT_EXPECT_EQ(test, sim_dma_write(sata, GPU0_BAR0, out, 64), 0);
}

/* An address nothing answers at is an error, never a crash. */
static void sim_dma_no_target(struct kunit *test)
{
	static const dma_addr_t nowhere[] = {
		9 * GiB,		/* just past RAM */
		0xfd000000,		/* the hole, above the BARs */
		0xc0000000 + SZ_128K,	/* just past the NIC's BAR */
		1ULL << 45,		/* far away */
		U64_MAX - 63,		/* the top of the address space */
	};
	u8 buf[64];
	unsigned int i;
	u16 gpu1;

	sim_dma_machine(test, NULL);
	gpu1 = sim_dma_rid(test, "gpu1");
	for (i = 0; i < ARRAY_SIZE(nowhere); i++) {
		memset(buf, 0xab, sizeof(buf));
		KUNIT_EXPECT_EQ_MSG(test, sim_dma_write(gpu1, nowhere[i], buf, 64),
				    -EIO, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, sim_dma_read(gpu1, nowhere[i], buf, 64),
				    -EIO, "case %u", i);
		KUNIT_EXPECT_EQ(test, buf[0], 0xab);
		sim_dma_expect_error(test, gpu1, SIM_DMA_ERR_NO_TARGET);
	}
	/* The last byte of the address space, and wrapping past it. */
	KUNIT_EXPECT_EQ(test, sim_dma_write(gpu1, U64_MAX, buf, 1), -EIO);
	KUNIT_EXPECT_EQ(test, sim_dma_write(gpu1, U64_MAX, buf, 2), -EIO);
}

/* A transfer whose tail hits nothing moves nothing at all. */
static void sim_dma_all_or_nothing(struct kunit *test)
{
	const size_t len = 3 * PAGE_SIZE;
	u8 *out, in[16];
	u16 nic;

	sim_dma_machine(test, NULL);
	nic = sim_dma_rid(test, "nic");
	out = sim_dma_pattern(test, len, 6);
	KUNIT_EXPECT_EQ(test, sim_dma_write(nic, 9 * GiB - 2 * PAGE_SIZE, out,
					    len), -EIO);
	KUNIT_ASSERT_EQ(test, sim_cpu_read(9 * GiB - 2 * PAGE_SIZE, in, 16), 0);
	KUNIT_EXPECT_TRUE(test, mem_is_zero(in, 16));
	/* Same into the end of a BAR. */
	KUNIT_EXPECT_EQ(test, sim_dma_write(nic, NIC_BAR0 + SZ_128K - PAGE_SIZE,
					    out, len), -EIO);
	KUNIT_ASSERT_EQ(test, sim_cpu_read(NIC_BAR0 + SZ_128K - PAGE_SIZE, in,
					   16), 0);
	KUNIT_EXPECT_TRUE(test, mem_is_zero(in, 16));
}

/* Many pages to and from a BAR, merged into few copies. */
static void sim_dma_large(struct kunit *test)
{
	const size_t len = SZ_4M;
	u8 *out, *in = kunit_kzalloc(test, len, GFP_KERNEL);
	struct sim_dma_stats st;
	u16 nic;

	sim_dma_machine(test, NULL);
	nic = sim_dma_rid(test, "nic");
	out = sim_dma_pattern(test, len, 7);
	KUNIT_ASSERT_NOT_NULL(test, in);
	KUNIT_ASSERT_EQ(test, sim_dma_write(nic, GPU0_BAR2_BUS + SZ_16G - len,
					    out, len), 0);
	KUNIT_ASSERT_EQ(test, sim_dma_read(nic, GPU0_BAR2_BUS + SZ_16G - len,
					   in, len), 0);
	KUNIT_EXPECT_MEMEQ(test, in, out, len);
	KUNIT_ASSERT_EQ(test, sim_dma_write(nic, 6 * GiB, out, len), 0);
	KUNIT_ASSERT_EQ(test, sim_cpu_read(6 * GiB, in, len), 0);
	KUNIT_EXPECT_MEMEQ(test, in, out, len);
	sim_dma_stats_get(&st);
	KUNIT_EXPECT_EQ(test, st.p2p, 2 * len / PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, st.root_complex, len / PAGE_SIZE);
}

static void sim_dma_bad_requester(struct kunit *test)
{
	u8 buf[8] = { 0 };

	sim_dma_machine(test, NULL);
	KUNIT_EXPECT_EQ(test, sim_dma_write(0x0700, 0, buf, 8), -ENODEV);
	/* Ports have no DMA engine. */
	KUNIT_EXPECT_EQ(test, sim_dma_write(sim_dma_rid(test, "rpA"), 0, buf, 8),
			-ENODEV);
	sim_machine_destroy();
	KUNIT_EXPECT_EQ(test, sim_dma_read(0x0300, 0, buf, 8), -ENODEV);
}

static void add_functions(struct pci_test_board *tb)
{
	int rp = pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "rpD", .type = SIM_PCI_ROOT_PORT, .parent = 0,
		.acs_cap = SIM_PCI_ACS_RR | SIM_PCI_ACS_UF,
		.acs_ctrl = SIM_PCI_ACS_RR | SIM_PCI_ACS_UF });

	pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "f0", .type = SIM_PCI_ENDPOINT, .parent = rp,
		.acs_cap = SIM_PCI_ACS_RR, .acs_ctrl = SIM_PCI_ACS_RR,
		.bar[0] = { SZ_64K, 0 } });
	pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "f1", .type = SIM_PCI_ENDPOINT, .parent = rp,
		.bar[0] = { SZ_64K, 0 } });
}

/* Functions of one device: inside it, unless the source redirects. */
static void sim_dma_multifunction(struct kunit *test)
{
	struct sim_fw_pci_node f0, f1;
	struct sim_dma_stats st;
	u8 buf[64] = { 1 };

	sim_dma_machine(test, add_functions);
	KUNIT_ASSERT_GE(test, pci_test_fw_find("f0", &f0), 0);
	KUNIT_ASSERT_GE(test, pci_test_fw_find("f1", &f1), 0);

	KUNIT_EXPECT_EQ(test, sim_dma_write(f1.rid, f0.bar[0].bus_addr, buf, 64), 0);
	KUNIT_EXPECT_EQ(test, sim_dma_write(f1.rid, f1.bar[0].bus_addr, buf, 64), 0);
	sim_dma_stats_get(&st);
	KUNIT_EXPECT_EQ(test, st.p2p, 2ULL);
	/* f0 redirects: up to rpD, which forwards it to the root complex. */
	KUNIT_EXPECT_EQ(test, sim_dma_write(f0.rid, f1.bar[0].bus_addr, buf, 64), 0);
	sim_dma_stats_get(&st);
	KUNIT_EXPECT_EQ(test, st.p2p, 2ULL);
	KUNIT_EXPECT_EQ(test, st.host_bridge_p2p, 1ULL);
}

/*
 * With the default machine's IOMMU: transactions reaching the root
 * complex are translated (and refused while a context is invalid); P2P
 * across the switch never meets the IOMMU.
 */
static void sim_dma_through_iommu(struct kunit *test)
{
	struct sim_iommu_context bypass = {
		.ctrl = SIM_IOMMU_CTX_VALID |
			SIM_IOMMU_CTX_MODE_BYPASS << SIM_IOMMU_CTX_MODE_SHIFT,
	};
	struct sim_iommu_fault fault;
	struct sim_dma_stats st;
	struct sim_config cfg;
	u8 buf[64] = { 3, 1, 4 }, in[64];
	u16 nic;

	sim_default_config(&cfg);
	KUNIT_ASSERT_EQ(test, sim_machine_create(&cfg), 0);
	nic = sim_dma_rid(test, "nic");

	KUNIT_EXPECT_EQ(test, sim_dma_write(nic, 4 * GiB, buf, 64), -EFAULT);
	sim_dma_expect_error(test, nic, SIM_DMA_ERR_IOMMU);
	KUNIT_ASSERT_EQ(test, sim_iommu_read_fault(0, &fault), 0);
	KUNIT_EXPECT_EQ(test, fault.rid, nic);
	KUNIT_EXPECT_EQ(test, fault.iova, 4 * GiB);
	KUNIT_EXPECT_EQ(test, sim_dma_write(nic, GPU0_BAR2_BUS, buf, 64), 0);

	KUNIT_ASSERT_EQ(test, sim_iommu_write_context(0, nic, &bypass), 0);
	KUNIT_EXPECT_EQ(test, sim_dma_write(nic, 4 * GiB, buf, 64), 0);
	KUNIT_ASSERT_EQ(test, sim_cpu_read(4 * GiB, in, 64), 0);
	KUNIT_EXPECT_MEMEQ(test, in, buf, 64);
	sim_dma_stats_get(&st);
	KUNIT_EXPECT_EQ(test, st.translated, 1ULL);
	KUNIT_EXPECT_EQ(test, st.p2p, 1ULL);
	KUNIT_EXPECT_EQ(test, st.errors, 1ULL);
}

static struct kunit_case sim_dma_cases[] = {
	KUNIT_CASE(sim_dma_write_ram),
	KUNIT_CASE(sim_dma_read_ram),
	KUNIT_CASE(sim_dma_p2p_bus_addr),
	KUNIT_CASE(sim_dma_p2p_host_bridge),
	KUNIT_CASE(sim_dma_host_bridge_refuses),
	KUNIT_CASE(sim_dma_acs_redirect),
	KUNIT_CASE(sim_dma_no_upstream_forwarding),
	KUNIT_CASE(sim_dma_completion_redirect),
	KUNIT_CASE(sim_dma_32bit_device),
	KUNIT_CASE(sim_dma_no_target),
	KUNIT_CASE(sim_dma_all_or_nothing),
	KUNIT_CASE(sim_dma_large),
	KUNIT_CASE(sim_dma_bad_requester),
	KUNIT_CASE(sim_dma_multifunction),
	KUNIT_CASE(sim_dma_through_iommu),
	{}
};

static struct kunit_suite sim_dma_suite = {
	.name = "sim_dma",
	.exit = sim_dma_test_exit,
	.test_cases = sim_dma_cases,
};
kunit_test_suite(sim_dma_suite);
