/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The machine's PCI fabric: the board description a machine is built
 * from, and the firmware table the kernel side enumerates it with.
 *
 * The board (struct sim_pci_board) is data: a flat array of nodes, each
 * naming its parent by index, parents before children.  A node is a host
 * bridge, a root port, the upstream or a downstream port of a switch, or
 * an endpoint (a function with BARs and a DMA engine):
 *
 *	host bridge ── root port ─┬─ endpoint (and its sibling functions)
 *	                          └─ switch upstream port ── switch downstream
 *	                                 port ── endpoint, or another switch
 *
 * From the board, sim_machine_create() does what platform firmware does:
 *
 *  - Bus numbers, depth first in table order.  A host bridge's root bus is
 *    the board's @bus; each root port and switch port gets the next free
 *    bus as its secondary bus.  Device numbers: on a root bus the k-th
 *    root port is device k + 1 (device 0 is the host bridge itself); on a
 *    switch's internal bus the k-th downstream port is device k; below a
 *    port (a point-to-point link) the k-th endpoint is function k of
 *    device 0.  A node's requester ID is bus << 8 | devfn.
 *  - BARs, in the same order, naturally aligned: BARs without
 *    SIM_PCI_BAR_64 in the 32-bit window [SIM_PCI_MMIO32_BASE,
 *    SIM_PCI_MMIO32_END) of the hole below 4 GiB, the others in a 64-bit
 *    window above RAM (from the first multiple of SIM_PCI_MMIO64_ALIGN at
 *    or above both the end of RAM and 4 GiB; each host bridge's window
 *    starts on a 1 GiB boundary after the previous one's).  In the 32-bit
 *    window bus address == CPU address; in a host bridge's 64-bit window
 *    bus address == CPU address - @bus_offset, and alignment is in bus
 *    address space (what the BAR register holds).
 *  - BAR memory: each BAR is a window of the physical address map, backed
 *    lazily like RAM (a 16 GiB BAR costs what is touched), reachable by
 *    the CPU accessors of sim/sim.h at its CPU address and by DMA.
 *
 * The firmware table (sim_fw_pci_count(), sim_fw_pci_node(); its format
 * is in <hw/sim_firmware.h>) reports the result, node by node in board
 * order, the way ACPI or a device tree would: read-only, valid while the
 * machine exists.  Like real firmware it does
 * not say whether a host bridge forwards P2P: the kernel has to know its
 * host bridges (by PCI ID) or not trust them.
 *
 * Configuration space (sim/pci_config.c; what it implements is the
 * datasheet's, <hw/sim_pci.h>) is reached through one ECAM region at
 * SIM_PCI_ECAM_BASE covering the buses firmware numbered, reported by
 * sim_fw_pci_ecam().  Firmware leaves Memory Space Enable and Bus Master
 * Enable on in every function, BAR registers at the addresses it
 * assigned, so a machine works as soon as it is built; the kernel side
 * may turn them off and on, size BARs and reset functions.
 *
 * Device models.  An endpoint may name a model (sim/device.h) that owns
 * one of its BARs: loads and stores there call the model.  Endpoints
 * have Function Level Reset unless the board says @no_flr.
 *
 * Hot-unplug.  sim_pci_unplug() removes a node and everything below it
 * while the machine runs, as a surprise link down would: BAR windows
 * leave the physical address map, config space reads all ones, DMA
 * engines are gone.  The firmware table still lists the node (tables
 * describe the machine as booted); config space tells the truth.
 *
 * ACS.  Root ports and switch downstream ports may have an ACS capability
 * (@acs_cap, which controls exist) and its control register (@acs_ctrl,
 * which are on; a subset of @acs_cap).  The bits are the PCIe spec's.  What
 * the machine models (see sim/dma.c): P2P Request Redirect, P2P Completion
 * Redirect and Upstream Forwarding.  Source Validation, Translation
 * Blocking, Egress Control and Direct Translated P2P are reported but have
 * no effect: a DMA engine always emits its own requester ID and untranslated
 * addresses.  Functions of a multi-function endpoint may have ACS too
 * (Request Redirect between the functions).
 */
#ifndef _SIM_PCI_H
#define _SIM_PCI_H

#include <linux/types.h>
#include <hw/sim_firmware.h>
#include <hw/sim_pci.h>

#define SIM_PCI_MAX_NODES	64

/* Where BARs go; see the top of this file. */
#define SIM_PCI_MMIO32_BASE	0xc0000000ULL
#define SIM_PCI_MMIO32_END	0xf0000000ULL
#define SIM_PCI_MMIO64_ALIGN	(64ULL << 30)

/* Configuration space: up to 256 buses of 1 MiB, ending at 4 GiB. */
#define SIM_PCI_ECAM_BASE	0xf0000000ULL

struct sim_dev_model;

/**
 * struct sim_pci_bar_desc - a BAR as the board describes it
 * @size: bytes; 0 if the BAR is not implemented, else a power of two of
 *	at least 4 KiB
 * @flags: SIM_PCI_BAR_*
 */
struct sim_pci_bar_desc {
	u64 size;
	unsigned int flags;
};

/**
 * struct sim_pci_node_desc - one node of a board
 * @name: unique, shorter than SIM_PCI_NAME_LEN, e.g. "gpu0"
 * @type: what it is
 * @parent: index of its parent in the board; -1 for a host bridge
 * @vendor: PCI vendor ID (reported, never interpreted by the machine)
 * @device: PCI device ID (likewise)
 * @bus: host bridge: its root bus number
 * @iommu_unit: host bridge: the IOMMU unit that translates for every
 *	device below it, or SIM_PCI_NO_IOMMU
 * @bus_offset: host bridge: CPU address - bus address in its 64-bit MMIO
 *	window; page aligned
 * @p2p_forward: host bridge: it forwards DMA that reaches it addressed to a
 *	BAR below it (P2P through the host bridge); without it such DMA is
 *	an unsupported request
 * @acs_cap: ports and functions of multi-function endpoints: ACS
 *	capability (SIM_PCI_ACS_*); 0 if none
 * @acs_ctrl: the ACS controls that are on; a subset of @acs_cap
 * @dma_bits: endpoint: address bits its DMA engine emits; 0 means 64
 * @dma_noncoherent: endpoint: its DMA does not snoop the CPU's caches
 *	(sim/cache.h): the kernel must clean and invalidate around it
 * @bar: endpoint: its BARs
 * @model: endpoint: the device model behind its registers (sim/device.h),
 *	or NULL for a function whose BARs are all plain memory
 * @no_flr: endpoint: it has no Function Level Reset capability
 */
struct sim_pci_node_desc {
	const char *name;
	enum sim_pci_type type;
	int parent;
	u16 vendor;
	u16 device;
	u8 bus;
	int iommu_unit;
	u64 bus_offset;
	bool p2p_forward;
	u16 acs_cap;
	u16 acs_ctrl;
	unsigned int dma_bits;
	bool dma_noncoherent;
	struct sim_pci_bar_desc bar[SIM_PCI_NR_BARS];
	const struct sim_dev_model *model;
	bool no_flr;
};

/**
 * struct sim_pci_board - the PCI side of a machine
 * @nr_iommu: IOMMU units the machine has (numbered from 0)
 * @nr_nodes: entries of @nodes, at most SIM_PCI_MAX_NODES
 * @nodes: the nodes, parents before children
 */
struct sim_pci_board {
	unsigned int nr_iommu;
	unsigned int nr_nodes;
	const struct sim_pci_node_desc *nodes;
};

/* The default machine's board; see docs/machine.md. */
extern const struct sim_pci_board sim_default_board;

/* ---- firmware table (formats: <hw/sim_firmware.h>) ---------------- */

unsigned int sim_fw_pci_count(void);
int sim_fw_pci_node(unsigned int i, struct sim_fw_pci_node *node);
int sim_fw_pci_ecam(struct sim_fw_pci_ecam *ecam);

/* ---- the fabric monitor (format: <hw/sim_pci.h>) ------------------ */

int sim_pci_decode_errors_get(u16 rid, struct sim_pci_decode_errors *errs);
void sim_pci_decode_errors_sum(struct sim_pci_decode_errors *errs);

/* ---- instrumentation (a slot's attention button, a link going down) - */

int sim_pci_unplug(const char *name);
void sim_pci_flr_hold(bool hold);

#endif /* _SIM_PCI_H */
