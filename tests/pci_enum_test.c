// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of PCI enumeration (drivers/pci/probe.c, acs.c): the default
 * machine enumerates to the expected tree of struct pci_dev, BARs keep CPU
 * and bus addresses apart, lookups and iteration, the ACS helpers IOMMU
 * grouping relies on, and pci_init() under allocation failure.
 *
 * Cases boot their machine (most the default one) and shut it down in
 * exit.
 */
#include <kunit/fail_nth.h>
#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/sizes.h>

#include "arch/sim/boot.h"
#include "tests/pci_boards.h"

static void pci_enum_test_exit(struct kunit *test __always_unused)
{
	machine_shutdown();
}

static void pci_enum_default_tree(struct kunit *test)
{
	static const struct {
		const char *name;
		const char *dev_name;
		int type;
		const char *bridge;
	} want[] = {
		{ "rpA", "0000:00:01.0 rpA", PCI_EXP_TYPE_ROOT_PORT, NULL },
		{ "sw0-up", "0000:01:00.0 sw0-up", PCI_EXP_TYPE_UPSTREAM, "rpA" },
		{ "sw0-dp0", "0000:02:00.0 sw0-dp0", PCI_EXP_TYPE_DOWNSTREAM, "sw0-up" },
		{ "nic", "0000:03:00.0 nic", PCI_EXP_TYPE_ENDPOINT, "sw0-dp0" },
		{ "sw0-dp1", "0000:02:01.0 sw0-dp1", PCI_EXP_TYPE_DOWNSTREAM, "sw0-up" },
		{ "gpu0", "0000:04:00.0 gpu0", PCI_EXP_TYPE_ENDPOINT, "sw0-dp1" },
		{ "rpB", "0000:00:02.0 rpB", PCI_EXP_TYPE_ROOT_PORT, NULL },
		{ "gpu1", "0000:05:00.0 gpu1", PCI_EXP_TYPE_ENDPOINT, "rpB" },
		{ "rpC", "0000:00:03.0 rpC", PCI_EXP_TYPE_ROOT_PORT, NULL },
		{ "sata", "0000:06:00.0 sata", PCI_EXP_TYPE_ENDPOINT, "rpC" },
	};
	struct pci_host_bridge *host;
	struct pci_dev *pdev;
	unsigned int i = 0;

	KUNIT_ASSERT_EQ(test, machine_boot(NULL), 0);

	host = pci_get_next_host_bridge(NULL);
	KUNIT_ASSERT_NOT_NULL(test, host);
	KUNIT_EXPECT_STREQ(test, host->name, "hb0");
	KUNIT_EXPECT_EQ(test, host->busnr, 0);
	KUNIT_EXPECT_EQ(test, host->subordinate, 6);
	KUNIT_EXPECT_EQ(test, host->iommu_unit, 0);
	KUNIT_EXPECT_EQ(test, host->nr_windows, 2U);
	KUNIT_EXPECT_NULL(test, pci_get_next_host_bridge(host));

	for_each_pci_dev(pdev) {
		KUNIT_ASSERT_LT(test, i, ARRAY_SIZE(want));
		KUNIT_EXPECT_STREQ(test, pdev->name, want[i].name);
		KUNIT_EXPECT_STREQ(test, dev_name(&pdev->dev), want[i].dev_name);
		KUNIT_EXPECT_EQ_MSG(test, pci_pcie_type(pdev), want[i].type,
				    "%s", pdev->name);
		KUNIT_EXPECT_PTR_EQ(test, pdev->host, host);
		if (want[i].bridge) {
			KUNIT_ASSERT_NOT_NULL(test, pdev->bridge);
			KUNIT_EXPECT_STREQ(test, pdev->bridge->name, want[i].bridge);
			KUNIT_EXPECT_PTR_EQ(test, pdev->dev.parent,
					    &pdev->bridge->dev);
		} else {
			KUNIT_EXPECT_NULL(test, pdev->bridge);
			KUNIT_EXPECT_NULL(test, pdev->dev.parent);
		}
		KUNIT_EXPECT_EQ(test, pdev->dev.rid, pdev->busnr << 8 | pdev->devfn);
		KUNIT_EXPECT_EQ(test, pdev->dev.iommu_unit, 0);
		KUNIT_EXPECT_FALSE(test, pdev->multifunction);
		KUNIT_EXPECT_TRUE(test, pdev->dev.dma_coherent);
		KUNIT_EXPECT_EQ(test, pdev->dev.max_segment_size, 65536U);
		i++;
	}
	KUNIT_EXPECT_EQ(test, i, ARRAY_SIZE(want));

	/* The switch's bus numbers; sata's engine is 32-bit, the rest 64. */
	pdev = pci_test_dev(test, "sw0-up");
	KUNIT_EXPECT_EQ(test, pdev->secondary, 2);
	KUNIT_EXPECT_EQ(test, pdev->subordinate, 4);
	KUNIT_EXPECT_EQ(test, pci_test_dev(test, "sata")->dev.dma_mask,
			0xffffffffULL);
	KUNIT_EXPECT_EQ(test, pci_test_dev(test, "sata")->dev.coherent_dma_mask,
			0xffffffffULL);
	KUNIT_EXPECT_EQ(test, pci_test_dev(test, "nic")->dev.dma_mask, U64_MAX);
	KUNIT_EXPECT_EQ(test, pci_test_dev(test, "gpu0")->acs_cap & PCI_ACS_RR, 0);
	KUNIT_EXPECT_EQ(test, pci_test_dev(test, "sw0-dp1")->acs_ctrl, PCI_ACS_SV);
}

static void pci_enum_bars(struct kunit *test)
{
	struct pci_dev *gpu0, *nic;

	KUNIT_ASSERT_EQ(test, machine_boot(NULL), 0);
	gpu0 = pci_test_dev(test, "gpu0");
	nic = pci_test_dev(test, "nic");
	KUNIT_ASSERT_NOT_NULL(test, gpu0);
	KUNIT_ASSERT_NOT_NULL(test, nic);

	/* The 64-bit window is offset: CPU 64 GiB is bus 32 GiB. */
	KUNIT_EXPECT_EQ(test, pci_resource_start(gpu0, 2), 64 * GiB);
	KUNIT_EXPECT_EQ(test, pci_resource_len(gpu0, 2), SZ_16G);
	KUNIT_EXPECT_EQ(test, pci_bus_address(gpu0, 2), 32 * GiB);
	KUNIT_EXPECT_EQ(test, pci_resource_flags(gpu0, 2),
			IORESOURCE_MEM | IORESOURCE_PREFETCH | IORESOURCE_MEM_64);
	/* The 32-bit one is not. */
	KUNIT_EXPECT_EQ(test, pci_resource_start(gpu0, 0), 0xc1000000ULL);
	KUNIT_EXPECT_EQ(test, pci_bus_address(gpu0, 0), 0xc1000000ULL);
	KUNIT_EXPECT_EQ(test, pci_resource_flags(gpu0, 0), IORESOURCE_MEM);
	KUNIT_EXPECT_EQ(test, pci_resource_len(nic, 0), SZ_128K);
	/* Unimplemented BARs. */
	KUNIT_EXPECT_EQ(test, pci_resource_len(gpu0, 1), 0ULL);
	KUNIT_EXPECT_EQ(test, pci_resource_flags(nic, 5), 0UL);
	KUNIT_EXPECT_EQ(test, pci_bus_address(nic, 5), 0ULL);
	KUNIT_EXPECT_EQ(test, pci_resource_len(pci_test_dev(test, "rpA"), 0), 0ULL);

	/* The CPU reaches BAR bytes at the resource's address. */
	KUNIT_EXPECT_EQ(test, sim_cpu_memset(pci_resource_start(gpu0, 2) +
					     SZ_16G - SZ_4K, 0x42, SZ_4K), 0);
}

static void pci_enum_lookup(struct kunit *test)
{
	struct pci_dev *pdev, *gpu1;
	struct device other = { .name = "not-pci" };
	unsigned int n = 0;

	KUNIT_ASSERT_EQ(test, machine_boot(NULL), 0);
	gpu1 = pci_test_dev(test, "gpu1");
	KUNIT_ASSERT_NOT_NULL(test, gpu1);
	KUNIT_EXPECT_PTR_EQ(test, pci_test_dev(test, "0000:05:00.0 gpu1"), gpu1);
	KUNIT_EXPECT_NULL(test, pci_get_by_name("gpu2"));
	KUNIT_EXPECT_NULL(test, pci_get_by_name("hb0"));	/* not a pci_dev */
	KUNIT_EXPECT_TRUE(test, dev_is_pci(&gpu1->dev));
	KUNIT_EXPECT_PTR_EQ(test, to_pci_dev(&gpu1->dev), gpu1);
	KUNIT_EXPECT_FALSE(test, dev_is_pci(&other));

	for_each_pci_dev(pdev)
		n += !pci_is_bridge(pdev);
	KUNIT_EXPECT_EQ(test, n, 4U);

	/* pci_exit() forgets everything; pci_init() twice is refused. */
	KUNIT_EXPECT_EQ(test, pci_init(), -EBUSY);
	machine_shutdown();
	KUNIT_EXPECT_NULL(test, pci_get_next_dev(NULL));
	KUNIT_EXPECT_NULL(test, pci_get_next_host_bridge(NULL));
	KUNIT_EXPECT_NULL(test, pci_get_by_name("gpu1"));
	pci_exit();
}

/* A machine without PCI boots with no devices. */
static void pci_enum_no_board(struct kunit *test)
{
	struct sim_config cfg;

	sim_default_config(&cfg);
	cfg.board = NULL;
	KUNIT_ASSERT_EQ(test, machine_boot(&cfg), 0);
	KUNIT_EXPECT_NULL(test, pci_get_next_dev(NULL));
	KUNIT_EXPECT_NULL(test, pci_get_next_host_bridge(NULL));
}

/*
 * ACS on the default machine: the root ports isolate what is below them,
 * the switch's downstream ports do not (no Request Redirect), so the NIC
 * and GPU0 are not isolated from each other while GPU1 and SATA are.
 */
static void pci_enum_acs_default(struct kunit *test)
{
	struct pci_dev *nic, *gpu1, *sata, *rpa, *dp0, *up;

	KUNIT_ASSERT_EQ(test, machine_boot(NULL), 0);
	nic = pci_test_dev(test, "nic");
	gpu1 = pci_test_dev(test, "gpu1");
	sata = pci_test_dev(test, "sata");
	rpa = pci_test_dev(test, "rpA");
	dp0 = pci_test_dev(test, "sw0-dp0");
	up = pci_test_dev(test, "sw0-up");

	/* Single-function endpoints and upstream ports need no ACS. */
	KUNIT_EXPECT_TRUE(test, pci_acs_enabled(nic, PCI_ACS_ISOLATION_FLAGS));
	KUNIT_EXPECT_TRUE(test, pci_acs_enabled(up, PCI_ACS_ISOLATION_FLAGS));
	KUNIT_EXPECT_TRUE(test, pci_acs_enabled(rpa, PCI_ACS_ISOLATION_FLAGS));
	KUNIT_EXPECT_FALSE(test, pci_acs_enabled(dp0, PCI_ACS_ISOLATION_FLAGS));
	KUNIT_EXPECT_TRUE(test, pci_acs_enabled(dp0, PCI_ACS_SV));
	/* Egress Control is not on, though it is in the capability. */
	KUNIT_EXPECT_FALSE(test, pci_acs_enabled(rpa, PCI_ACS_EC));
	/* ... and Translation Blocking, not in it, counts as hard-wired on. */
	KUNIT_EXPECT_TRUE(test, pci_acs_enabled(rpa, PCI_ACS_TB));

	KUNIT_EXPECT_FALSE(test, pci_acs_path_enabled(nic, NULL,
						      PCI_ACS_ISOLATION_FLAGS));
	KUNIT_EXPECT_TRUE(test, pci_acs_path_enabled(gpu1, NULL,
						     PCI_ACS_ISOLATION_FLAGS));
	KUNIT_EXPECT_TRUE(test, pci_acs_path_enabled(sata, NULL,
						     PCI_ACS_ISOLATION_FLAGS));
	/* Above the switch everything is isolated; the port itself is not. */
	KUNIT_EXPECT_TRUE(test, pci_acs_path_enabled(up, NULL,
						     PCI_ACS_ISOLATION_FLAGS));
	KUNIT_EXPECT_TRUE(test, pci_acs_path_enabled(nic, nic,
						     PCI_ACS_ISOLATION_FLAGS));
	KUNIT_EXPECT_FALSE(test, pci_acs_path_enabled(nic, dp0,
						      PCI_ACS_ISOLATION_FLAGS));
	KUNIT_EXPECT_TRUE(test, pci_acs_path_enabled(nic, dp0, PCI_ACS_SV));
	/* @end must be above @start. */
	KUNIT_EXPECT_FALSE(test, pci_acs_path_enabled(nic,
						      pci_test_dev(test, "rpB"),
						      PCI_ACS_SV));
}

/* Functions sharing a link need ACS themselves; ports without it fail. */
static void pci_enum_acs_multifunction(struct kunit *test)
{
	struct pci_test_board *tb = kunit_kzalloc(test, sizeof(*tb), GFP_KERNEL);
	struct pci_dev *f0, *f1;

	KUNIT_ASSERT_NOT_NULL(test, tb);
	pci_test_board_default(tb);
	pci_test_node(tb, "rpC")->acs_cap = 0;
	pci_test_node(tb, "rpC")->acs_ctrl = 0;
	pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "f0", .type = SIM_PCI_ENDPOINT, .parent = 7,
		.acs_cap = PCI_ACS_RR | PCI_ACS_CR,
		.acs_ctrl = PCI_ACS_RR | PCI_ACS_CR });
	pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "f1", .type = SIM_PCI_ENDPOINT, .parent = 7 });
	KUNIT_ASSERT_EQ(test, machine_boot(&tb->cfg), 0);

	f0 = pci_test_dev(test, "f0");
	f1 = pci_test_dev(test, "f1");
	KUNIT_ASSERT_NOT_NULL(test, f0);
	KUNIT_ASSERT_NOT_NULL(test, f1);
	KUNIT_EXPECT_TRUE(test, f0->multifunction);
	KUNIT_EXPECT_TRUE(test, f1->multifunction);
	KUNIT_EXPECT_TRUE(test, pci_test_dev(test, "gpu1")->multifunction);
	KUNIT_EXPECT_FALSE(test, pci_test_dev(test, "sata")->multifunction);
	KUNIT_EXPECT_EQ(test, f1->devfn, PCI_DEVFN(0, 2));

	/* f0 lists SV and UF as hard-wired on; f1 has no ACS at all. */
	KUNIT_EXPECT_TRUE(test, pci_acs_enabled(f0, PCI_ACS_ISOLATION_FLAGS));
	KUNIT_EXPECT_FALSE(test, pci_acs_enabled(f1, PCI_ACS_SV));
	KUNIT_EXPECT_TRUE(test, pci_acs_path_enabled(f0, NULL,
						     PCI_ACS_ISOLATION_FLAGS));
	/* A root port without ACS isolates nothing below it. */
	KUNIT_EXPECT_FALSE(test, pci_acs_path_enabled(pci_test_dev(test, "sata"),
						      NULL, PCI_ACS_SV));
}

static int pci_enum_init_op(void *ctx __always_unused)
{
	return pci_init();
}

/* Every allocation of pci_init() may fail; each failure unwinds fully. */
static void pci_enum_fail_nth(struct kunit *test)
{
	struct pci_test_board *tb = kunit_kzalloc(test, sizeof(*tb), GFP_KERNEL);
	int rounds;

	KUNIT_ASSERT_NOT_NULL(test, tb);
	pci_test_board_default(tb);
	KUNIT_ASSERT_EQ(test, sim_machine_create(&tb->cfg), 0);
	rounds = kunit_fail_nth(test, pci_enum_init_op, NULL);
	/* The table, one host bridge and ten functions. */
	KUNIT_EXPECT_EQ(test, rounds, 12);
	KUNIT_EXPECT_NOT_NULL(test, pci_test_dev(test, "sata"));
	pci_exit();
}

static struct kunit_case pci_enum_cases[] = {
	KUNIT_CASE(pci_enum_default_tree),
	KUNIT_CASE(pci_enum_bars),
	KUNIT_CASE(pci_enum_lookup),
	KUNIT_CASE(pci_enum_no_board),
	KUNIT_CASE(pci_enum_acs_default),
	KUNIT_CASE(pci_enum_acs_multifunction),
	KUNIT_CASE(pci_enum_fail_nth),
	{}
};

static struct kunit_suite pci_enum_suite = {
	.name = "pci_enum",
	.exit = pci_enum_test_exit,
	.test_cases = pci_enum_cases,
};
kunit_test_suite(pci_enum_suite);
