/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CPU cache's datasheet: its line size, and the record format of its
 * coherency checker.  Constants and structures only; the machine
 * (sim/cache.c) and the platform layer (arch/sim/) include it.
 *
 * Lines.  The data cache works in lines of SIM_CACHE_LINE bytes, naturally
 * aligned; cache maintenance by physical range (clean: write the CPU's
 * lines back to memory; invalidate: drop them) acts on every line the
 * range touches.
 *
 * Coherency checker.  A debug feature, like a bus monitor: when a device
 * whose DMA does not snoop the cache reads a line that the CPU changed
 * and nobody cleaned, the checker logs a record in a ring of
 * SIM_CACHE_EVENT_RING; when the ring is full, new records are only
 * counted as dropped.
 */
#ifndef _HW_SIM_CACHE_H
#define _HW_SIM_CACHE_H

#include <linux/types.h>

#define SIM_CACHE_LINE_SHIFT	6
#define SIM_CACHE_LINE		(1U << SIM_CACHE_LINE_SHIFT)	/* 64 bytes */

#define SIM_CACHE_EVENT_RING	64

enum sim_cache_event_kind {
	SIM_CACHE_STALE_READ,	/* device read a line the CPU changed, not cleaned */
};

/**
 * struct sim_cache_event - one coherency checker record
 * @kind: enum sim_cache_event_kind
 * @rid: requester ID of the device
 * @pa: physical address of the first offending line of the access
 * @lines: offending lines in the access (one record per page touched)
 */
struct sim_cache_event {
	enum sim_cache_event_kind kind;
	u16 rid;
	phys_addr_t pa;
	unsigned int lines;
};

#endif /* _HW_SIM_CACHE_H */
