/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The simulated machine: building one, and its memory.
 *
 * One machine exists at a time, like the one we are booted on.  Its
 * hardware-shaped interfaces, which only the platform layer (arch/sim/)
 * and the drivers of simulated devices call, are:
 *
 *  - firmware tables (formats in <hw/sim_firmware.h>): the physical
 *    address width (sim_fw_phys_addr_bits()), the RAM map
 *    (sim_fw_ram_*()), read once at boot, and the PCI table (sim/pci.h);
 *  - CPU loads and stores to physical memory: sim_cpu_map() hands out the
 *    CPU's linear view of a RAM range (what the kernel's direct map is
 *    built from) or a BAR's memory, sim_cpu_read()/sim_cpu_write()/
 *    sim_cpu_memset() copy bytes;
 *  - the CPU's cache maintenance instructions (sim/cache.h);
 *  - device DMA engines (sim/dma.h), IOMMU registers (sim/iommu.h).
 *
 * The machine never calls kernel code.
 *
 * Physical address map.  Every byte of the physical address space is
 * either in one "window" or in a hole.  A window is RAM (from the
 * configuration) or MMIO (a PCI BAR, sim/pci.h); both are backed by
 * host memory reserved lazily (MAP_NORESERVE), so an 8 GiB machine costs
 * only the pages that something touched.  Windows never overlap.
 *
 * All RAM appears at one constant offset in the CPU's linear view: for any
 * RAM address pa, sim_cpu_map(pa, 1) == sim_cpu_map(base, 1) + (pa - base)
 * for every RAM base.  This is the property a kernel's direct map has, so
 * the kernel side may compute phys_to_virt() as one addition.  A stray
 * access through that view into a hole faults (the host pages there are
 * PROT_NONE), as an access to nothing would on real hardware.
 */
#ifndef _SIM_SIM_H
#define _SIM_SIM_H

#include <linux/types.h>
#include <hw/sim_firmware.h>

/* Most RAM regions a configuration may list. */
#define SIM_MAX_RAM_REGIONS	SIM_FW_MAX_RAM_REGIONS

/*
 * The default physical address width (struct sim_config @phys_addr_bits
 * 0): no window of such a machine may reach 2^46.
 */
#define SIM_PHYS_ADDR_BITS	46
#define SIM_PHYS_ADDR_LIMIT	(1ULL << SIM_PHYS_ADDR_BITS)

struct sim_pci_board;

/**
 * struct sim_config - what machine to build
 * @nr_ram: number of valid entries in @ram
 * @ram: RAM regions, in any order; they must not overlap
 * @board: the PCI fabric and IOMMU units (sim/pci.h); NULL for none.
 *	Read by sim_machine_create() only: it may live on the stack.
 * @phys_addr_bits: the CPU's physical address width, from
 *	SIM_FW_PHYS_ADDR_BITS_MIN to _MAX; 0 for SIM_PHYS_ADDR_BITS
 */
struct sim_config {
	unsigned int nr_ram;
	struct sim_ram_region ram[SIM_MAX_RAM_REGIONS];
	const struct sim_pci_board *board;
	unsigned int phys_addr_bits;
};

void sim_default_config(struct sim_config *cfg);
int sim_config_add_ram(struct sim_config *cfg, phys_addr_t base, u64 size);

int sim_machine_create(const struct sim_config *cfg);
void sim_machine_destroy(void);
bool sim_machine_present(void);

/* Firmware tables (<hw/sim_firmware.h>). */
unsigned int sim_fw_phys_addr_bits(void);
unsigned int sim_fw_ram_count(void);
int sim_fw_ram_region(unsigned int i, struct sim_ram_region *region);

/* The CPU's view of physical memory. */
void *sim_cpu_map(phys_addr_t pa, u64 len);
int sim_cpu_read(phys_addr_t pa, void *buf, size_t len);
int sim_cpu_write(phys_addr_t pa, const void *buf, size_t len);
int sim_cpu_memset(phys_addr_t pa, int c, size_t len);

/* Instrumentation for tests and tools (not something a kernel could ask). */
u64 sim_ram_resident_bytes(void);
u64 sim_mmio_resident_bytes(void);

#endif /* _SIM_SIM_H */
