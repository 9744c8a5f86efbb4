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

#endif /* _HW_SIM_FIRMWARE_H */
