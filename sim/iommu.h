/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IOMMU units of the machine (sim/iommu.c).  The formats are in the
 * datasheet, <hw/sim_iommu.h>.
 *
 * Two audiences:
 *
 *  - The kernel side's IOMMU driver reaches a unit only through what real
 *    hardware offers: the number of units (a firmware table), the context
 *    register, the invalidation command register, the fault log and the
 *    performance counters.
 *  - The rest of the machine (sim/): sim_machine_create() and
 *    sim_machine_destroy() build and drop the units, and a DMA engine
 *    presents each device transaction that reaches the root complex to
 *    sim_iommu_translate().  Kernel code never calls these; tests may.
 *
 * Every function is thread-safe.  Unit numbers run from 0 to
 * sim_iommu_nr_units() - 1; a bad unit number is -ENODEV.
 */
#ifndef _SIM_IOMMU_H
#define _SIM_IOMMU_H

#include <linux/types.h>
#include <hw/sim_firmware.h>
#include <hw/sim_iommu.h>

/* ---- the hardware interface (the driver's side) -------------------- */

unsigned int sim_iommu_nr_units(void);
int sim_iommu_write_context(unsigned int unit, u16 rid,
			    const struct sim_iommu_context *ctx);
int sim_iommu_read_context(unsigned int unit, u16 rid,
			   struct sim_iommu_context *ctx);
int sim_iommu_invalidate(unsigned int unit,
			 const struct sim_iommu_inv_cmd *cmd);
int sim_iommu_read_fault(unsigned int unit, struct sim_iommu_fault *fault);
int sim_iommu_read_stats(unsigned int unit, struct sim_iommu_stats *stats);

/* ---- machine-internal wiring ---------------------------------------- */

int sim_iommu_create(unsigned int nr_units);
void sim_iommu_destroy(void);
int sim_iommu_translate(unsigned int unit, u16 rid, u64 iova, bool write,
			phys_addr_t *phys, u64 *contig);

#endif /* _SIM_IOMMU_H */
