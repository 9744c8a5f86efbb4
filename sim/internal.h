/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Machine-internal interfaces: shared by the files of sim/, never included
 * by kernel-side code.
 *
 * The physical address map is a sorted array of windows.  RAM windows are
 * made by sim_machine_create(); MMIO windows (device BAR memory) and
 * register windows (config space, device models' registers) are added
 * by the PCI model, and removed when a device is unplugged.  Lookups take
 * sim_phys_map_lock for reading and hold it while they copy bytes, so a
 * window cannot disappear under an access; adding or removing a window
 * takes it for writing, and so does a change of what a window answers
 * (struct sim_window_ops @decodes), so that a copy sees it stable.
 * Register windows are called without the lock: their owners live as
 * long as the machine and check themselves whether they are still there.
 */
#ifndef _SIM_INTERNAL_H
#define _SIM_INTERNAL_H

#include <pthread.h>

#include "sim/sim.h"

/* Most windows the physical address map holds (RAM and MMIO together). */
#define SIM_MAX_WINDOWS		256

enum sim_window_kind {
	SIM_WINDOW_RAM,
	SIM_WINDOW_MMIO,	/* device memory, backed like RAM */
	SIM_WINDOW_REGS,	/* registers: accesses call @ops, no backing */
};

/**
 * struct sim_window_ops - what answers in a window besides plain memory
 * @decodes: MMIO: does the window answer now?  Called with
 *	sim_phys_map_lock held (either side); NULL: always
 * @read: REGS: a CPU load of @len bytes at @offset into the window,
 *	called without sim_phys_map_lock.  Return: 0, or -EFAULT if nothing
 *	answered (the CPU then sees all ones).
 * @write: REGS: a CPU store, likewise.  Return: 0, or -EFAULT if dropped.
 * @no_decode: MMIO: a CPU access found the window not decoding (for the
 *	owner's counters); called with sim_phys_map_lock held.  May be NULL.
 */
struct sim_window_ops {
	bool (*decodes)(const void *owner, unsigned int index);
	int (*read)(void *owner, unsigned int index, u64 offset, void *buf,
		    size_t len);
	int (*write)(void *owner, unsigned int index, u64 offset,
		     const void *buf, size_t len);
	void (*no_decode)(void *owner, unsigned int index);
};

/**
 * struct sim_window - one backed range of the physical address map
 * @base: first physical address; page aligned
 * @size: length in bytes; page aligned
 * @kind: RAM, MMIO or REGS
 * @host: host memory holding the bytes: host[0] is the byte at @base;
 *	NULL for REGS
 * @ops: what answers besides the bytes; NULL for RAM and plain MMIO
 * @owner: MMIO and REGS: whatever answers for the window (a PCI node);
 *	RAM: NULL
 * @index: passed to @ops with @owner (which BAR of it)
 * @own_mapping: @host is a mapping of its own (munmap it on removal)
 *	rather than part of the machine's linear reservation
 */
struct sim_window {
	phys_addr_t base;
	u64 size;
	enum sim_window_kind kind;
	u8 *host;
	const struct sim_window_ops *ops;
	void *owner;
	unsigned int index;
	bool own_mapping;
};

extern pthread_rwlock_t sim_phys_map_lock;

int sim_window_add(phys_addr_t base, u64 size, enum sim_window_kind kind,
		   void *owner);
int sim_window_add_ops(phys_addr_t base, u64 size, enum sim_window_kind kind,
		       const struct sim_window_ops *ops, void *owner,
		       unsigned int index);
int sim_window_remove(phys_addr_t base);
int sim_window_zero(phys_addr_t base);
const struct sim_window *__sim_window_find(phys_addr_t pa, u64 len);

/* Does @w answer CPU loads and stores, and DMA, now?  Map lock held. */
static inline bool __sim_window_decodes(const struct sim_window *w)
{
	return !w->ops || !w->ops->decodes ||
	       w->ops->decodes(w->owner, w->index);
}

/* The first physical address beyond the machine's width (being built too). */
u64 sim_phys_addr_limit(void);

/* Reset by sim_machine_destroy(): the DMA trace (sim/dma.c). */
void sim_dma_trace_reset(void);

#endif /* _SIM_INTERNAL_H */
