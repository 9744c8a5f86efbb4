/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Machine-internal interfaces: shared by the files of sim/, never included
 * by kernel-side code.
 *
 * The physical address map is a sorted array of windows.  RAM windows are
 * made by sim_machine_create(); MMIO windows (device BAR memory) are added
 * and removed by the PCI model while the machine runs.  Lookups take
 * sim_phys_map_lock for reading and hold it while they copy bytes, so a
 * window cannot disappear under an access; adding or removing a window
 * takes it for writing.
 */
#ifndef _SIM_INTERNAL_H
#define _SIM_INTERNAL_H

#include <pthread.h>

#include "sim/sim.h"

/* Most windows the physical address map holds (RAM and MMIO together). */
#define SIM_MAX_WINDOWS		256

enum sim_window_kind {
	SIM_WINDOW_RAM,
	SIM_WINDOW_MMIO,
};

/**
 * struct sim_window - one backed range of the physical address map
 * @base: first physical address; page aligned
 * @size: length in bytes; page aligned
 * @kind: RAM or MMIO
 * @host: host memory holding the bytes: host[0] is the byte at @base
 * @owner: MMIO: whatever answers for the window (a BAR); RAM: NULL
 * @own_mapping: @host is a mapping of its own (munmap it on removal)
 *	rather than part of the machine's linear reservation
 */
struct sim_window {
	phys_addr_t base;
	u64 size;
	enum sim_window_kind kind;
	u8 *host;
	void *owner;
	bool own_mapping;
};

extern pthread_rwlock_t sim_phys_map_lock;

int sim_window_add(phys_addr_t base, u64 size, enum sim_window_kind kind,
		   void *owner);
int sim_window_remove(phys_addr_t base);
const struct sim_window *__sim_window_find(phys_addr_t pa, u64 len);

/* The first physical address beyond the machine's width (being built too). */
u64 sim_phys_addr_limit(void);

/* Reset by sim_machine_destroy(): the DMA trace (sim/dma.c). */
void sim_dma_trace_reset(void);

#endif /* _SIM_INTERNAL_H */
