/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PCI fabric inside the machine: shared by sim/pci.c (which builds
 * it), sim/pci_config.c (config space, resets, device registers,
 * hot-unplug) and sim/dma.c (which routes through it).  Never included by
 * kernel-side code.
 *
 * What never changes while the machine runs: the nodes' topology, their
 * firmware description (@fw: bus numbers, requester IDs, where firmware
 * put each BAR), so routing reads it without a lock.
 *
 * What changes at run time, per node, and how it is locked:
 *
 *  - @lock (a mutex per node) serialises the node's configuration
 *    registers (@cfg), its reset, its device model's calls and its
 *    unplugging.
 *  - @state is what the rest of the machine needs of that, folded into
 *    one word the DMA path reads with a single atomic load: present or
 *    unplugged, may its engine issue, which BARs decode.  It is
 *    recomputed under @lock after every change and, when it changes,
 *    stored under the write side of sim_phys_map_lock.  So a DMA transfer,
 *    which moves its bytes under the read side, checks the states it
 *    depends on again there and sees them stable to its end: a transfer
 *    either completes before a BAR stops decoding (or a function resets,
 *    or is unplugged) or is refused, never half of each.
 *
 * Lock order: a node's @lock, then sim_phys_map_lock, then the IOMMU
 * units' and the cache's locks.  Nothing takes a node's lock while holding
 * sim_phys_map_lock, so a device model may issue DMA from a register
 * store (with its node's lock held).  One node's lock at a time, except
 * sim_pci_unplug(), which takes a subtree's in board order.
 */
#ifndef _SIM_PCI_INTERNAL_H
#define _SIM_PCI_INTERNAL_H

#include <pthread.h>

#include "sim/device.h"
#include "sim/dma.h"
#include "sim/pci.h"

/* Bits of struct sim_pci_node @state. */
#define SIM_PCI_ST_PRESENT	0x1	/* plugged in */
#define SIM_PCI_ST_MASTER	0x2	/* its DMA engine may issue requests */
#define SIM_PCI_ST_DECODE(bar)	(0x100U << (bar))	/* the BAR answers */

/**
 * struct sim_pci_cfg - a function's writable configuration registers
 * @command: PCI_COMMAND (only the implemented bits)
 * @bar: BAR registers as written, address bits only (type bits are
 *	added when read); for a 64-bit BAR, @bar[i + 1] holds the high half
 * @devctl: the PCI Express capability's Device Control
 * @ready_at_ns: CLOCK_MONOTONIC time a Function Level Reset ends; 0 when
 *	none is in progress
 */
struct sim_pci_cfg {
	u16 command;
	u32 bar[SIM_PCI_NR_BARS];
	u16 devctl;
	u64 ready_at_ns;
};

/**
 * struct sim_pci_node - one node of the running fabric
 * @fw: what the firmware reports of it
 * @parent: its parent; NULL for a host bridge
 * @host: its host bridge (itself for a host bridge)
 * @p2p_forward: host bridge: it forwards P2P (struct sim_pci_node_desc)
 * @flr: endpoint: has Function Level Reset capability
 * @multifunction: endpoint: shares its link with other functions
 * @model: the device model behind its register BAR, or NULL
 * @dev: what @model sees of the function
 * @state: SIM_PCI_ST_*; see the top of this file
 * @lock: serialises @cfg, resets, @model's calls and unplugging
 * @unplugged: sim_pci_unplug() took it away (under @lock)
 * @cfg: its configuration registers
 */
struct sim_pci_node {
	struct sim_fw_pci_node fw;
	struct sim_pci_node *parent;
	struct sim_pci_node *host;
	bool p2p_forward;
	bool flr;
	bool multifunction;
	const struct sim_dev_model *model;
	struct sim_dev dev;
	u32 state;
	pthread_mutex_t lock;
	bool unplugged;
	struct sim_pci_cfg cfg;
};

/**
 * struct sim_pci_fabric - the machine's PCI fabric
 * @nr_nodes: valid entries of @nodes; 0 without a machine.  Published
 *	last: readers that see a node see it built and powered on.
 * @nr_nodes_built: entries sim_pci_create() set up (locks initialised),
 *	published or not
 * @nodes: in board order
 * @ecam: where config space is
 * @rid_node: index + 1 in @nodes of the node with each requester ID
 *	(host bridges: root bus << 8); 0 for none
 * @stats: DMA counters, updated with atomics
 * @error_lock: protects @last_error
 * @last_error: the last DMA error logged
 * @decode_errors: per node (same index as @nodes), requests that reached
 *	one of its BARs while it did not decode; updated with atomics
 */
struct sim_pci_fabric {
	unsigned int nr_nodes;
	unsigned int nr_nodes_built;
	struct sim_pci_node nodes[SIM_PCI_MAX_NODES];
	struct sim_fw_pci_ecam ecam;
	u8 rid_node[1U << 16];
	struct sim_dma_stats stats;
	pthread_mutex_t error_lock;
	struct sim_dma_error last_error;
	struct sim_pci_decode_errors decode_errors[SIM_PCI_MAX_NODES];
};

extern struct sim_pci_fabric sim_pci;

int sim_pci_create(const struct sim_pci_board *board, u64 ram_end);
void sim_pci_destroy(void);

/* sim/pci_config.c */
int sim_pci_config_create(void);
void sim_pci_config_power_on(struct sim_pci_node *node);
extern const struct sim_window_ops sim_pci_bar_ops;

static inline u32 sim_pci_state(const struct sim_pci_node *node)
{
	return __atomic_load_n(&node->state, __ATOMIC_ACQUIRE);
}

static inline bool sim_pci_present(const struct sim_pci_node *node)
{
	return sim_pci_state(node) & SIM_PCI_ST_PRESENT;
}

const struct sim_pci_node *sim_pci_find_rid(u16 rid);
void sim_pci_count_decode_error(const struct sim_pci_node *node, bool dma);
bool sim_pci_is_below(const struct sim_pci_node *node,
		      const struct sim_pci_node *ancestor);
const struct sim_pci_node *sim_pci_bar_at_bus(const struct sim_pci_node *host,
					      dma_addr_t addr, u64 len,
					      phys_addr_t *cpu_addr,
					      unsigned int *bar);
const struct sim_pci_node *sim_pci_bar_at_cpu(phys_addr_t addr, u64 len,
					      unsigned int *bar);

#endif /* _SIM_PCI_INTERNAL_H */
