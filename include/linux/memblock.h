/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How the platform tells mm where RAM is: a small memblock.
 *
 * Upstream's setup_arch() reads the firmware's memory map (E820, the
 * device tree) and registers each RAM range with memblock_add(); mm
 * builds the memmap and the page allocator from what was registered.
 * Here the same hand-off: arch/sim's setup_arch() calls memblock_add()
 * for each entry of the firmware RAM map, then mm_init() takes the
 * ranges as they stand.  Only the "memory" type exists (no reserved
 * ranges, no allocation from memblock: nothing here allocates before the
 * page allocator is up), and the ranges are whole pages, kept sorted in
 * mm_ram_ranges[] (<linux/mm.h>), which pfn_valid() reads.
 *
 * Boot-time only: both calls refuse (-EBUSY) while mm is up.
 */
#ifndef _LINUX_MEMBLOCK_H
#define _LINUX_MEMBLOCK_H

#include <linux/types.h>

int memblock_add(phys_addr_t base, phys_addr_t size);
int memblock_remove(phys_addr_t base, phys_addr_t size);

#endif /* _LINUX_MEMBLOCK_H */
