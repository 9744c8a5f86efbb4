/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The simulated machine's firmware tables: what platform firmware (ACPI,
 * a device tree, E820) reports to the kernel at boot.  Constants and
 * structures only; the machine fills the tables (sim/memory.c,
 * sim/pci.c) and the platform layer (arch/sim/) reads them.
 *
 * The tables are read-only and valid while the machine exists.
 *
 * Physical address width.  The number of physical address bits the CPU
 * implements (x86's CPUID leaf 0x80000008, a device tree's address cells):
 * no RAM region, BAR or other window reaches 2^width.  The kernel sizes
 * what spans the physical address space (the memmap) from it, never from
 * a constant.
 *
 * RAM map.  Entries sorted by base, not overlapping, each page aligned
 * and not empty (like E820 type 1 entries after firmware sanitised them).
 *
 * PCI table.  One struct sim_fw_pci_node per node of the fabric (host
 * bridges, root ports, switch ports, endpoints), parents before children,
 * as platform firmware enumerated it: bus numbers, requester IDs, the
 * host bridges' MMIO windows, each BAR's CPU and bus address, ACS
 * capability and control, each endpoint's DMA address width and
 * coherency.  Like real firmware it does not say whether a host bridge
 * forwards P2P: the kernel has to know its host bridges (by PCI ID) or
 * not trust them.
 *
 * PCI configuration space (like ACPI's MCFG).  One ECAM region, struct
 * sim_fw_pci_ecam: the address of bus 0's configuration space and the
 * buses the region covers; its layout is <hw/sim_pci.h>'s.
 *
 * IOMMU units.  The firmware reports how many units there are (numbered
 * from 0, at most SIM_IOMMU_MAX_UNITS; the units' own interface is
 * <hw/sim_iommu.h>), and each PCI node names the unit that translates for
 * it, or SIM_PCI_NO_IOMMU.
 */
#ifndef _HW_SIM_FIRMWARE_H
#define _HW_SIM_FIRMWARE_H

#include <linux/types.h>

/* The widths a machine may report. */
#define SIM_FW_PHYS_ADDR_BITS_MIN	32
#define SIM_FW_PHYS_ADDR_BITS_MAX	48

/* Most entries the RAM map holds. */
#define SIM_FW_MAX_RAM_REGIONS		16

/**
 * struct sim_ram_region - one entry of the RAM map
 * @base: first physical address; page aligned
 * @size: length in bytes; page aligned, not zero
 */
struct sim_ram_region {
	phys_addr_t base;
	u64 size;
};

/* ---- IOMMU units ---------------------------------------------------- */

#define SIM_IOMMU_MAX_UNITS	8

/* ---- PCI table ------------------------------------------------------- */

#define SIM_PCI_NR_BARS		6
#define SIM_PCI_NAME_LEN	16

enum sim_pci_type {
	SIM_PCI_HOST_BRIDGE,
	SIM_PCI_ROOT_PORT,
	SIM_PCI_SWITCH_UP,
	SIM_PCI_SWITCH_DOWN,
	SIM_PCI_ENDPOINT,
};

/* BAR flags. */
#define SIM_PCI_BAR_64		0x1	/* 64-bit BAR: placed above RAM */
#define SIM_PCI_BAR_PREFETCH	0x2	/* prefetchable */

/* ACS capability and control bits (PCIe spec values). */
#define SIM_PCI_ACS_SV		0x0001	/* Source Validation */
#define SIM_PCI_ACS_TB		0x0002	/* Translation Blocking */
#define SIM_PCI_ACS_RR		0x0004	/* P2P Request Redirect */
#define SIM_PCI_ACS_CR		0x0008	/* P2P Completion Redirect */
#define SIM_PCI_ACS_UF		0x0010	/* Upstream Forwarding */
#define SIM_PCI_ACS_EC		0x0020	/* P2P Egress Control */
#define SIM_PCI_ACS_DT		0x0040	/* Direct Translated P2P */
#define SIM_PCI_ACS_ALL		0x007f

/* No IOMMU translates for a host bridge. */
#define SIM_PCI_NO_IOMMU	(-1)

/**
 * struct sim_fw_pci_range - a range of MMIO as seen from both sides
 * @cpu_addr: first CPU physical address
 * @bus_addr: the same byte's PCI bus address
 * @size: bytes; 0 if the range is empty
 */
struct sim_fw_pci_range {
	phys_addr_t cpu_addr;
	dma_addr_t bus_addr;
	u64 size;
};

/**
 * struct sim_fw_pci_ecam - where configuration space is (an MCFG entry)
 * @base: physical address of bus 0, function 0's configuration space;
 *	the region itself starts at @base + (@bus_start << 20)
 * @bus_start: first bus the region covers
 * @bus_end: last bus it covers (inclusive)
 */
struct sim_fw_pci_ecam {
	phys_addr_t base;
	u8 bus_start;
	u8 bus_end;
};

/**
 * struct sim_fw_pci_node - one node as the firmware reports it
 * @name: the board's name for it
 * @type: what it is
 * @parent: index of the parent node; -1 for a host bridge
 * @vendor: PCI vendor ID
 * @device: PCI device ID
 * @rid: its requester ID, bus << 8 | devfn (host bridge: root bus << 8)
 * @secondary: bridges (host bridge: its root bus): the bus below it
 * @subordinate: bridges and host bridges: the highest bus below it
 * @iommu_unit: the IOMMU unit that translates for it (its host bridge's),
 *	or SIM_PCI_NO_IOMMU
 * @window: host bridge: its 32-bit ([0]) and 64-bit ([1]) MMIO windows,
 *	the smallest ranges (in 1 MiB steps) holding its BARs
 * @acs_cap: ACS capability bits
 * @acs_ctrl: ACS control bits
 * @dma_bits: endpoint: address bits its DMA engine emits
 * @dma_noncoherent: endpoint: its DMA is not coherent with the CPU's
 *	caches (like the DT's absent "dma-coherent" or ACPI's _CCA = 0)
 * @bar_flags: endpoint: SIM_PCI_BAR_* of each BAR
 * @bar: endpoint: each BAR's addresses; size 0 if not implemented
 */
struct sim_fw_pci_node {
	char name[SIM_PCI_NAME_LEN];
	enum sim_pci_type type;
	int parent;
	u16 vendor;
	u16 device;
	u16 rid;
	u8 secondary;
	u8 subordinate;
	int iommu_unit;
	struct sim_fw_pci_range window[2];
	u16 acs_cap;
	u16 acs_ctrl;
	unsigned int dma_bits;
	bool dma_noncoherent;
	unsigned int bar_flags[SIM_PCI_NR_BARS];
	struct sim_fw_pci_range bar[SIM_PCI_NR_BARS];
};

#endif /* _HW_SIM_FIRMWARE_H */
