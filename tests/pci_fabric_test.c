// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the machine's PCI fabric (sim/pci.c): what firmware reports for
 * the default machine (numbering, BAR placement, CPU versus bus
 * addresses, ACS), BAR memory reached by the CPU accessors and backed
 * lazily, numbering rules on boards of other shapes, and malformed boards.
 *
 * Machine side only: nothing here boots the kernel side.  Each case
 * destroys whatever machine it made (exit).
 */
#include <kunit/test.h>
#include <linux/sizes.h>
#include <asm/page.h>

#include "sim/pci.h"
#include "sim/sim.h"
#include "tests/pci_boards.h"

static void pci_fabric_test_exit(struct kunit *test __always_unused)
{
	sim_machine_destroy();
}

static int pci_fabric_test_init(struct kunit *test __always_unused)
{
	struct sim_config cfg;

	sim_default_config(&cfg);
	return sim_machine_create(&cfg);
}

/* The default machine, node by node, as docs/machine.md draws it. */
static void pci_fabric_default_table(struct kunit *test)
{
	static const struct {
		const char *name;
		enum sim_pci_type type;
		int parent;
		u16 rid;
		u8 secondary, subordinate;
	} want[] = {
		{ "hb0", SIM_PCI_HOST_BRIDGE, -1, 0x0000, 0, 6 },
		{ "rpA", SIM_PCI_ROOT_PORT, 0, 0x0008, 1, 4 },
		{ "sw0-up", SIM_PCI_SWITCH_UP, 1, 0x0100, 2, 4 },
		{ "sw0-dp0", SIM_PCI_SWITCH_DOWN, 2, 0x0200, 3, 3 },
		{ "nic", SIM_PCI_ENDPOINT, 3, 0x0300, 0, 0 },
		{ "sw0-dp1", SIM_PCI_SWITCH_DOWN, 2, 0x0208, 4, 4 },
		{ "gpu0", SIM_PCI_ENDPOINT, 5, 0x0400, 0, 0 },
		{ "rpB", SIM_PCI_ROOT_PORT, 0, 0x0010, 5, 5 },
		{ "gpu1", SIM_PCI_ENDPOINT, 7, 0x0500, 0, 0 },
		{ "rpC", SIM_PCI_ROOT_PORT, 0, 0x0018, 6, 6 },
		{ "sata", SIM_PCI_ENDPOINT, 9, 0x0600, 0, 0 },
	};
	struct sim_fw_pci_node node;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, sim_fw_pci_count(), ARRAY_SIZE(want));
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		KUNIT_ASSERT_EQ(test, sim_fw_pci_node(i, &node), 0);
		KUNIT_EXPECT_STREQ(test, node.name, want[i].name);
		KUNIT_EXPECT_EQ_MSG(test, node.type, want[i].type, "%s", node.name);
		KUNIT_EXPECT_EQ_MSG(test, node.parent, want[i].parent, "%s", node.name);
		KUNIT_EXPECT_EQ_MSG(test, node.rid, want[i].rid, "%s", node.name);
		KUNIT_EXPECT_EQ_MSG(test, node.iommu_unit, 0, "%s", node.name);
		if (node.type == SIM_PCI_ENDPOINT)
			continue;
		KUNIT_EXPECT_EQ_MSG(test, node.secondary, want[i].secondary,
				    "%s", node.name);
		KUNIT_EXPECT_EQ_MSG(test, node.subordinate, want[i].subordinate,
				    "%s", node.name);
	}
	KUNIT_EXPECT_EQ(test, sim_fw_pci_node(i, &node), -ENOENT);

	/* Root ports isolate; the switch's downstream ports only validate. */
	KUNIT_ASSERT_EQ(test, pci_test_fw_find("rpB", &node), 7);
	KUNIT_EXPECT_EQ(test, node.acs_ctrl, SIM_PCI_ACS_SV | SIM_PCI_ACS_RR |
			SIM_PCI_ACS_CR | SIM_PCI_ACS_UF);
	KUNIT_ASSERT_EQ(test, pci_test_fw_find("sw0-dp0", &node), 3);
	KUNIT_EXPECT_EQ(test, node.acs_ctrl, SIM_PCI_ACS_SV);
	KUNIT_EXPECT_TRUE(test, node.acs_cap & SIM_PCI_ACS_RR);

	KUNIT_ASSERT_EQ(test, pci_test_fw_find("sata", &node), 10);
	KUNIT_EXPECT_EQ(test, node.dma_bits, 32U);
	KUNIT_ASSERT_EQ(test, pci_test_fw_find("nic", &node), 4);
	KUNIT_EXPECT_EQ(test, node.dma_bits, 64U);
}

/*
 * 32-bit BARs in the hole below 4 GiB with bus == CPU; 64-bit BARs above
 * RAM (from 64 GiB), their bus addresses 32 GiB lower, naturally aligned.
 */
static void pci_fabric_default_bars(struct kunit *test)
{
	static const struct {
		const char *name;
		int bar;
		phys_addr_t cpu;
		dma_addr_t bus;
		u64 size;
		unsigned int flags;
	} want[] = {
		{ "nic", 0, 0xc0000000, 0xc0000000, SZ_128K, 0 },
		{ "gpu0", 0, 0xc1000000, 0xc1000000, SZ_16M, 0 },
		{ "gpu0", 2, 64 * GiB, 32 * GiB, SZ_16G,
		  SIM_PCI_BAR_64 | SIM_PCI_BAR_PREFETCH },
		{ "gpu1", 0, 0xc2000000, 0xc2000000, SZ_16M, 0 },
		{ "gpu1", 2, 80 * GiB, 48 * GiB, SZ_16G,
		  SIM_PCI_BAR_64 | SIM_PCI_BAR_PREFETCH },
		{ "sata", 5, 0xc3000000, 0xc3000000, SZ_8K, 0 },
	};
	struct sim_fw_pci_node node;
	unsigned int i, nr_bars = 0;

	for (i = 0; i < ARRAY_SIZE(want); i++) {
		const struct sim_fw_pci_range *bar;

		KUNIT_ASSERT_GE(test, pci_test_fw_find(want[i].name, &node), 0);
		bar = &node.bar[want[i].bar];
		KUNIT_EXPECT_EQ_MSG(test, bar->cpu_addr, want[i].cpu, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, bar->bus_addr, want[i].bus, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, bar->size, want[i].size, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, node.bar_flags[want[i].bar],
				    want[i].flags, "case %u", i);
	}
	/* Nothing else has BARs. */
	for (i = 0; i < sim_fw_pci_count(); i++) {
		unsigned int j;

		KUNIT_ASSERT_EQ(test, sim_fw_pci_node(i, &node), 0);
		for (j = 0; j < SIM_PCI_NR_BARS; j++)
			nr_bars += !!node.bar[j].size;
	}
	KUNIT_EXPECT_EQ(test, nr_bars, ARRAY_SIZE(want));

	/* The host bridge's windows hold them and say the offset. */
	KUNIT_ASSERT_EQ(test, pci_test_fw_find("hb0", &node), 0);
	KUNIT_EXPECT_EQ(test, node.window[0].cpu_addr, 0xc0000000ULL);
	KUNIT_EXPECT_EQ(test, node.window[0].bus_addr, 0xc0000000ULL);
	KUNIT_EXPECT_EQ(test, node.window[0].size, 0x03100000ULL);
	KUNIT_EXPECT_EQ(test, node.window[1].cpu_addr, 64 * GiB);
	KUNIT_EXPECT_EQ(test, node.window[1].bus_addr, 32 * GiB);
	KUNIT_EXPECT_EQ(test, node.window[1].size, 32 * GiB);
}

/* BAR bytes: CPU-reachable at the CPU address, backed only where touched. */
static void pci_fabric_bar_memory(struct kunit *test)
{
	const phys_addr_t gpu0 = 64 * GiB, nic = 0xc0000000;
	u8 out[64], in[64];
	u64 before, after;
	unsigned int i;
	u8 *p;

	/* 32 GiB of BARs present, nothing touched. */
	before = sim_mmio_resident_bytes();
	KUNIT_EXPECT_LT(test, before, (u64)SZ_1M);

	for (i = 0; i < sizeof(out); i++)
		out[i] = 0xa0 + i;
	KUNIT_ASSERT_EQ(test, sim_cpu_write(gpu0 + SZ_16G - 64, out, 64), 0);
	KUNIT_ASSERT_EQ(test, sim_cpu_read(gpu0 + SZ_16G - 64, in, 64), 0);
	KUNIT_EXPECT_MEMEQ(test, in, out, 64);
	KUNIT_ASSERT_EQ(test, sim_cpu_memset(gpu0 + SZ_1G, 0x77, SZ_4M), 0);
	after = sim_mmio_resident_bytes();
	KUNIT_EXPECT_GE(test, after - before, (u64)SZ_4M);
	KUNIT_EXPECT_LT(test, after - before, (u64)SZ_4M + SZ_1M);

	/* The whole BAR maps in one piece; untouched bytes read as zero. */
	p = sim_cpu_map(gpu0, SZ_16G);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, p[SZ_1G], 0x77);
	KUNIT_EXPECT_EQ(test, p[SZ_1G + SZ_4M], 0);
	KUNIT_EXPECT_EQ(test, p[SZ_16G - 1], out[63]);

	/* A 32-bit BAR in the hole, and its edges. */
	KUNIT_EXPECT_EQ(test, sim_cpu_write(nic + SZ_128K - 4, out, 4), 0);
	KUNIT_EXPECT_EQ(test, sim_cpu_write(nic + SZ_128K - 4, out, 8), -EFAULT);
	KUNIT_EXPECT_EQ(test, sim_cpu_read(nic + SZ_128K, in, 1), -EFAULT);
	KUNIT_EXPECT_NULL(test, sim_cpu_map(gpu0 + SZ_16G - 1, 2));
	KUNIT_EXPECT_EQ(test, sim_cpu_read(0xfd000000, in, 1), -EFAULT);

	/* A new machine starts from zeroed BARs. */
	sim_machine_destroy();
	KUNIT_EXPECT_EQ(test, sim_mmio_resident_bytes(), 0ULL);
	KUNIT_ASSERT_EQ(test, pci_fabric_test_init(test), 0);
	KUNIT_ASSERT_EQ(test, sim_cpu_read(gpu0 + SZ_16G - 64, in, 64), 0);
	KUNIT_EXPECT_TRUE(test, mem_is_zero(in, 64));
}

static void pci_fabric_no_board(struct kunit *test)
{
	struct sim_fw_pci_node node;
	struct sim_config cfg;

	sim_machine_destroy();
	sim_default_config(&cfg);
	cfg.board = NULL;
	KUNIT_ASSERT_EQ(test, sim_machine_create(&cfg), 0);
	KUNIT_EXPECT_EQ(test, sim_fw_pci_count(), 0U);
	KUNIT_EXPECT_EQ(test, sim_fw_pci_node(0, &node), -ENOENT);
	KUNIT_EXPECT_EQ(test, sim_cpu_read(0xc0000000, &node, 1), -EFAULT);

	sim_machine_destroy();
	KUNIT_EXPECT_EQ(test, sim_fw_pci_count(), 0U);
}

/*
 * Numbering on a bigger board: a second host bridge with its own root bus
 * and no IOMMU, a switch below a switch, a multi-function endpoint, and a
 * host bridge whose 64-bit offset is not a multiple of its BARs' sizes.
 */
static void pci_fabric_numbering(struct kunit *test)
{
	struct pci_test_board *tb = kunit_kzalloc(test, sizeof(*tb), GFP_KERNEL);
	struct sim_fw_pci_node node, hb1;
	int hb, rp, up, dp;

	KUNIT_ASSERT_NOT_NULL(test, tb);
	sim_machine_destroy();
	pci_test_board_default(tb);
	hb = pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "hb1", .type = SIM_PCI_HOST_BRIDGE, .parent = -1,
		.bus = 0x80, .iommu_unit = SIM_PCI_NO_IOMMU,
		.bus_offset = 3 * GiB + SZ_4K });
	rp = pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "rp1", .type = SIM_PCI_ROOT_PORT, .parent = hb });
	up = pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "swA-up", .type = SIM_PCI_SWITCH_UP, .parent = rp });
	dp = pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "swA-dp0", .type = SIM_PCI_SWITCH_DOWN, .parent = up });
	up = pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "swB-up", .type = SIM_PCI_SWITCH_UP, .parent = dp });
	dp = pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "swB-dp0", .type = SIM_PCI_SWITCH_DOWN, .parent = up });
	pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "fn0", .type = SIM_PCI_ENDPOINT, .parent = dp,
		.bar[0] = { SZ_1G, SIM_PCI_BAR_64 } });
	pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "fn1", .type = SIM_PCI_ENDPOINT, .parent = dp,
		.bar[1] = { SZ_64K, 0 } });
	KUNIT_ASSERT_EQ(test, sim_machine_create(&tb->cfg), 0);

	KUNIT_ASSERT_GE(test, pci_test_fw_find("hb1", &hb1), 0);
	KUNIT_EXPECT_EQ(test, hb1.secondary, 0x80);
	KUNIT_EXPECT_EQ(test, hb1.subordinate, 0x85);
	KUNIT_EXPECT_EQ(test, hb1.iommu_unit, SIM_PCI_NO_IOMMU);
	KUNIT_ASSERT_GE(test, pci_test_fw_find("rp1", &node), 0);
	KUNIT_EXPECT_EQ(test, node.rid, 0x8008);	/* 80:01.0 */
	KUNIT_EXPECT_EQ(test, node.iommu_unit, SIM_PCI_NO_IOMMU);
	KUNIT_ASSERT_GE(test, pci_test_fw_find("swB-up", &node), 0);
	KUNIT_EXPECT_EQ(test, node.rid, 0x8300);	/* 83:00.0 */
	KUNIT_ASSERT_GE(test, pci_test_fw_find("swB-dp0", &node), 0);
	KUNIT_EXPECT_EQ(test, node.rid, 0x8400);	/* 84:00.0 */
	KUNIT_ASSERT_GE(test, pci_test_fw_find("fn1", &node), 0);
	KUNIT_EXPECT_EQ(test, node.rid, 0x8501);	/* 85:00.1 */
	/* After hb0's 32-bit window, on a 1 MiB boundary. */
	KUNIT_EXPECT_EQ(test, node.bar[1].cpu_addr, 0xc3100000ULL);
	KUNIT_EXPECT_EQ(test, hb1.window[0].cpu_addr, 0xc3100000ULL);

	/* Aligned in bus space; the CPU address is bus + offset. */
	KUNIT_ASSERT_GE(test, pci_test_fw_find("fn0", &node), 0);
	KUNIT_EXPECT_EQ(test, node.rid, 0x8500);
	KUNIT_EXPECT_EQ(test, node.bar[0].bus_addr & (SZ_1G - 1), 0ULL);
	KUNIT_EXPECT_EQ(test, node.bar[0].cpu_addr,
			node.bar[0].bus_addr + 3 * GiB + SZ_4K);
	/* hb1's 64-bit window starts on the 1 GiB boundary after hb0's. */
	KUNIT_EXPECT_EQ(test, hb1.window[1].cpu_addr, 96 * GiB);
	KUNIT_EXPECT_GE(test, node.bar[0].cpu_addr, 96 * GiB);
	KUNIT_EXPECT_EQ(test, sim_cpu_memset(node.bar[0].cpu_addr, 1, SZ_1M), 0);
}

struct pci_fabric_bad {
	const char *desc;
	int err;
	void (*edit)(struct pci_test_board *tb);
};

static void bad_parent_order(struct pci_test_board *tb)
{
	pci_test_node(tb, "rpA")->parent = 4;
}

static void bad_parent_type(struct pci_test_board *tb)
{
	pci_test_node(tb, "nic")->parent = 2;	/* endpoint on a switch bus */
}

static void bad_name_twice(struct pci_test_board *tb)
{
	pci_test_node(tb, "gpu1")->name = "gpu0";
}

static void bad_long_name(struct pci_test_board *tb)
{
	pci_test_node(tb, "gpu1")->name = "a-name-much-too-long";
}

static void bad_iommu_unit(struct pci_test_board *tb)
{
	pci_test_node(tb, "hb0")->iommu_unit = 1;
}

static void bad_acs_ctrl(struct pci_test_board *tb)
{
	pci_test_node(tb, "rpA")->acs_cap = SIM_PCI_ACS_SV;
}

static void bad_bar_size(struct pci_test_board *tb)
{
	pci_test_node(tb, "nic")->bar[0].size = 3 * SZ_64K;
}

static void bad_bar_small(struct pci_test_board *tb)
{
	pci_test_node(tb, "nic")->bar[0].size = 256;
}

static void bad_bar_on_port(struct pci_test_board *tb)
{
	pci_test_node(tb, "rpA")->bar[0].size = SZ_1M;
}

static void bad_dma_bits(struct pci_test_board *tb)
{
	pci_test_node(tb, "sata")->dma_bits = 65;
}

static void bad_offset(struct pci_test_board *tb)
{
	pci_test_node(tb, "hb0")->bus_offset = SZ_1K;
}

static void bad_offset_too_big(struct pci_test_board *tb)
{
	pci_test_node(tb, "hb0")->bus_offset = 128 * GiB;
}

static void bad_mmio32_full(struct pci_test_board *tb)
{
	pci_test_node(tb, "gpu1")->bar[0].size = SZ_1G;
}

static void bad_mmio64_full(struct pci_test_board *tb)
{
	pci_test_node(tb, "gpu1")->bar[2].size = 1ULL << 45;
}

static void bad_ram_in_hole(struct pci_test_board *tb)
{
	sim_config_add_ram(&tb->cfg, 0xc0000000, SZ_16M);
}

static void bad_switch_shares_link(struct pci_test_board *tb)
{
	pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "fn1", .type = SIM_PCI_ENDPOINT, .parent = 1 });
}

static void bad_root_bus_overlap(struct pci_test_board *tb)
{
	pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "hb1", .type = SIM_PCI_HOST_BRIDGE, .parent = -1,
		.bus = 5, .iommu_unit = SIM_PCI_NO_IOMMU });
}

static void bad_too_many_functions(struct pci_test_board *tb)
{
	int i;

	for (i = 0; i < 8; i++)
		pci_test_add(tb, &(struct sim_pci_node_desc){
			.name = (const char *[]){ "f0", "f1", "f2", "f3", "f4",
						  "f5", "f6", "f7" }[i],
			.type = SIM_PCI_ENDPOINT, .parent = 7 });
}

static const struct pci_fabric_bad pci_fabric_bad_boards[] = {
	{ "parent after child", -EINVAL, bad_parent_order },
	{ "endpoint on a switch's internal bus", -EINVAL, bad_parent_type },
	{ "two nodes with one name", -EINVAL, bad_name_twice },
	{ "name too long", -EINVAL, bad_long_name },
	{ "IOMMU unit the board lacks", -EINVAL, bad_iommu_unit },
	{ "ACS control without capability", -EINVAL, bad_acs_ctrl },
	{ "BAR size not a power of two", -EINVAL, bad_bar_size },
	{ "BAR smaller than a page", -EINVAL, bad_bar_small },
	{ "BAR on a port", -EINVAL, bad_bar_on_port },
	{ "DMA address bits over 64", -EINVAL, bad_dma_bits },
	{ "bus offset not page aligned", -EINVAL, bad_offset },
	{ "bus offset beyond the window", -EINVAL, bad_offset_too_big },
	{ "32-bit window full", -ENOSPC, bad_mmio32_full },
	{ "64-bit window past the address limit", -ENOSPC, bad_mmio64_full },
	{ "RAM where BARs go", -EBUSY, bad_ram_in_hole },
	{ "a switch sharing its link", -EINVAL, bad_switch_shares_link },
	{ "root buses overlapping", -EINVAL, bad_root_bus_overlap },
	{ "nine functions on a link", -ENOSPC, bad_too_many_functions },
};

KUNIT_ARRAY_PARAM_DESC(pci_fabric_bad, pci_fabric_bad_boards, desc);

static void pci_fabric_bad_board(struct kunit *test)
{
	const struct pci_fabric_bad *bad = test->param_value;
	struct pci_test_board *tb = kunit_kzalloc(test, sizeof(*tb), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, tb);
	sim_machine_destroy();
	pci_test_board_default(tb);
	bad->edit(tb);
	KUNIT_EXPECT_EQ(test, sim_machine_create(&tb->cfg), bad->err);
	KUNIT_EXPECT_FALSE(test, sim_machine_present());
	KUNIT_EXPECT_EQ(test, sim_fw_pci_count(), 0U);

	/* Nothing was left behind: the default machine builds. */
	pci_test_board_default(tb);
	KUNIT_EXPECT_EQ(test, sim_machine_create(&tb->cfg), 0);
}

static struct kunit_case pci_fabric_cases[] = {
	KUNIT_CASE(pci_fabric_default_table),
	KUNIT_CASE(pci_fabric_default_bars),
	KUNIT_CASE(pci_fabric_bar_memory),
	KUNIT_CASE(pci_fabric_no_board),
	KUNIT_CASE(pci_fabric_numbering),
	KUNIT_CASE_PARAM(pci_fabric_bad_board, pci_fabric_bad_gen_params),
	{}
};

static struct kunit_suite pci_fabric_suite = {
	.name = "pci_fabric",
	.init = pci_fabric_test_init,
	.exit = pci_fabric_test_exit,
	.test_cases = pci_fabric_cases,
};
kunit_test_suite(pci_fabric_suite);
