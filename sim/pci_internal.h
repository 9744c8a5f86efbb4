/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PCI fabric inside the machine: shared by sim/pci.c (which builds it)
 * and sim/dma.c (which routes through it).  Never included by kernel-side
 * code.
 *
 * The fabric is built by sim_machine_create() and does not change until
 * sim_machine_destroy(), so routing reads it without a lock.
 */
#ifndef _SIM_PCI_INTERNAL_H
#define _SIM_PCI_INTERNAL_H

#include <pthread.h>

#include "sim/dma.h"
#include "sim/pci.h"

/**
 * struct sim_pci_node - one node of the running fabric
 * @fw: what the firmware reports of it
 * @parent: its parent; NULL for a host bridge
 * @host: its host bridge (itself for a host bridge)
 * @p2p_forward: host bridge: it forwards P2P (struct sim_pci_node_desc)
 */
struct sim_pci_node {
	struct sim_fw_pci_node fw;
	struct sim_pci_node *parent;
	struct sim_pci_node *host;
	bool p2p_forward;
};

/**
 * struct sim_pci_fabric - the machine's PCI fabric
 * @nr_nodes: valid entries of @nodes; 0 without a machine
 * @nodes: in board order
 * @stats: DMA counters, updated with atomics
 * @error_lock: protects @last_error
 * @last_error: the last DMA error logged
 */
struct sim_pci_fabric {
	unsigned int nr_nodes;
	struct sim_pci_node nodes[SIM_PCI_MAX_NODES];
	struct sim_dma_stats stats;
	pthread_mutex_t error_lock;
	struct sim_dma_error last_error;
};

extern struct sim_pci_fabric sim_pci;

int sim_pci_create(const struct sim_pci_board *board, u64 ram_end);
void sim_pci_destroy(void);

const struct sim_pci_node *sim_pci_find_rid(u16 rid);
bool sim_pci_is_below(const struct sim_pci_node *node,
		      const struct sim_pci_node *ancestor);
const struct sim_pci_node *sim_pci_bar_at_bus(const struct sim_pci_node *host,
					      dma_addr_t addr, u64 len,
					      phys_addr_t *cpu_addr);
const struct sim_pci_node *sim_pci_bar_at_cpu(phys_addr_t addr, u64 len);

#endif /* _SIM_PCI_INTERNAL_H */
