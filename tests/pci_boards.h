/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Boards for the PCI, P2PDMA and DMA-engine tests: the default board
 * copied into writable memory so a test can change a detail (no IOMMU, a
 * redirecting port), helpers to find nodes by name, and a case's
 * reference on a device (pci_test_dev()).
 */
#ifndef _TESTS_PCI_BOARDS_H
#define _TESTS_PCI_BOARDS_H

#include <string.h>

#include <kunit/test.h>
#include <linux/pci.h>
#include <linux/sizes.h>

#include <hw/sim_copy_engine.h>

#include "sim/device.h"
#include "sim/pci.h"
#include "sim/sim.h"

#define GiB	(1ULL << 30)

/**
 * struct pci_test_board - a machine configuration a test may edit
 * @cfg: RAM as the default machine's, @cfg.board = &@board
 * @board: @nodes, with the IOMMU unit count
 * @nodes: the nodes
 */
struct pci_test_board {
	struct sim_config cfg;
	struct sim_pci_board board;
	struct sim_pci_node_desc nodes[SIM_PCI_MAX_NODES];
};

/* @tb becomes a copy of the default machine. */
static inline void pci_test_board_default(struct pci_test_board *tb)
{
	memset(tb, 0, sizeof(*tb));
	sim_default_config(&tb->cfg);
	memcpy(tb->nodes, sim_default_board.nodes,
	       sim_default_board.nr_nodes * sizeof(tb->nodes[0]));
	tb->board.nr_iommu = sim_default_board.nr_iommu;
	tb->board.nr_nodes = sim_default_board.nr_nodes;
	tb->board.nodes = tb->nodes;
	tb->cfg.board = &tb->board;
}

/* The node of @tb named @name; NULL if none. */
static inline struct sim_pci_node_desc *pci_test_node(struct pci_test_board *tb,
						      const char *name)
{
	unsigned int i;

	for (i = 0; i < tb->board.nr_nodes; i++)
		if (!strcmp(tb->nodes[i].name, name))
			return &tb->nodes[i];
	return NULL;
}

/* Append a node to @tb. Return: its index. */
static inline int pci_test_add(struct pci_test_board *tb,
			       const struct sim_pci_node_desc *node)
{
	tb->nodes[tb->board.nr_nodes] = *node;
	return tb->board.nr_nodes++;
}

/* @tb without IOMMU units: DMA reaches memory untranslated. */
static inline void pci_test_board_no_iommu(struct pci_test_board *tb)
{
	unsigned int i;

	tb->board.nr_iommu = 0;
	for (i = 0; i < tb->board.nr_nodes; i++)
		if (tb->nodes[i].type == SIM_PCI_HOST_BRIDGE)
			tb->nodes[i].iommu_unit = SIM_PCI_NO_IOMMU;
}

/*
 * Add a DMA copy engine, "dma0", on a root port "rpD" of hb0: registers
 * in BAR0 (<hw/sim_copy_engine.h>), 64 KiB of plain memory in BAR2.
 */
static inline void pci_test_board_add_copy_engine(struct pci_test_board *tb)
{
	int rp = pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "rpD", .type = SIM_PCI_ROOT_PORT, .parent = 0,
		.vendor = 0x5ca1, .device = 0x0101,
		.acs_cap = SIM_PCI_ACS_SV | SIM_PCI_ACS_RR | SIM_PCI_ACS_CR |
			   SIM_PCI_ACS_UF,
		.acs_ctrl = SIM_PCI_ACS_SV | SIM_PCI_ACS_RR | SIM_PCI_ACS_CR |
			    SIM_PCI_ACS_UF });

	pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "dma0", .type = SIM_PCI_ENDPOINT, .parent = rp,
		.vendor = 0x5ca1, .device = 0x0400,
		.bar[SIM_CE_REGS_BAR] = { .size = SIM_CE_REGS_SIZE },
		.bar[2] = { .size = SZ_64K },
		.model = &sim_copy_engine_model });
}

/* Index of the firmware node named @name; -1 if none. */
static inline int pci_test_fw_find(const char *name,
				   struct sim_fw_pci_node *node)
{
	unsigned int i, n = sim_fw_pci_count();

	for (i = 0; i < n; i++) {
		if (sim_fw_pci_node(i, node))
			break;
		if (!strcmp(node->name, name))
			return i;
	}
	return -1;
}

static inline void pci_test_dev_put(void *pdev)
{
	pci_dev_put(pdev);
}

/*
 * The device named @name, referenced until the case ends (a deferred
 * pci_dev_put(), which runs after the suite's exit(): the struct outlives
 * a machine the exit shut down).  The case fails if there is none.
 */
static inline struct pci_dev *pci_test_dev(struct kunit *test,
					   const char *name)
{
	struct pci_dev *pdev = pci_get_by_name(name);

	KUNIT_ASSERT_NOT_NULL_MSG(test, pdev, "no device %s", name);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, pci_test_dev_put,
							pdev), 0);
	return pdev;
}

#endif /* _TESTS_PCI_BOARDS_H */
