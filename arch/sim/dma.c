// SPDX-License-Identifier: GPL-2.0
/*
 * The platform's side of DMA: cache maintenance for devices that do not
 * snoop the CPU's caches, and the machine's DMA debug instruments for
 * the sanitizer (<asm/dma-trace.h>).
 *
 * The machine's CPU has cache maintenance instructions by physical
 * range, whole lines (sim/cache.h; L1_CACHE_BYTES in <asm/cache.h>):
 * clean writes the CPU's lines back to memory, invalidate drops them so
 * the next load reads memory, as Arm's DC CVAC and DC IVAC.  The DMA API
 * (kernel/dma/) calls these two hooks around a non-coherent device's DMA.
 */
#include <linux/bug.h>
#include <linux/dma-map-ops.h>
#include <asm/dma-trace.h>

#include "sim/cache.h"
#include "sim/dma.h"

/**
 * arch_sync_dma_for_device() - cache maintenance before a device's DMA
 * @paddr: physical address
 * @size: bytes
 * @dir: the DMA direction
 *
 * Cleans the CPU's lines whatever the direction: what the CPU wrote
 * reaches memory for the device to read, and no dirty line can later be
 * written back over what the device writes.
 */
void arch_sync_dma_for_device(phys_addr_t paddr, u64 size,
			      enum dma_data_direction dir)
{
	(void)dir;
	WARN_ON_ONCE(sim_cpu_cache_clean(paddr, size));
}

/**
 * arch_sync_dma_for_cpu() - cache maintenance before the CPU reads DMA data
 * @paddr: physical address
 * @size: bytes
 * @dir: the DMA direction; nothing to do for DMA_TO_DEVICE
 *
 * Invalidates the CPU's lines, so its next loads read what the device
 * wrote to memory.
 */
void arch_sync_dma_for_cpu(phys_addr_t paddr, u64 size,
			   enum dma_data_direction dir)
{
	if (dir == DMA_TO_DEVICE)
		return;
	WARN_ON_ONCE(sim_cpu_cache_invalidate(paddr, size));
}

/**
 * arch_dma_trace_enable() - switch the bus analyser's trace on or off
 * @on: record transfers from now on
 *
 * Records already in the ring stay.
 */
void arch_dma_trace_enable(bool on)
{
	sim_dma_trace_enable(on);
}

/**
 * arch_dma_trace_read() - take the oldest transfer record
 * @rec: filled in
 *
 * Return: 0, or -ENOENT when there is none.
 */
int arch_dma_trace_read(struct sim_dma_trace_rec *rec)
{
	return sim_dma_trace_read(rec);
}

/**
 * arch_dma_trace_dropped() - transfer records lost to a full ring
 *
 * Return: the count since the machine was powered on.
 */
u64 arch_dma_trace_dropped(void)
{
	return sim_dma_trace_dropped();
}

/**
 * arch_cache_checker_read() - take the oldest coherency checker record
 * @ev: filled in
 *
 * Return: 0, or -ENOENT when there is none.
 */
int arch_cache_checker_read(struct sim_cache_event *ev)
{
	return sim_cache_read_event(ev);
}

/**
 * arch_cache_checker_dropped() - checker records lost to a full ring
 *
 * Return: the count since the machine was powered on.
 */
u64 arch_cache_checker_dropped(void)
{
	struct sim_cache_stats stats;

	sim_cache_stats_get(&stats);
	return stats.events_dropped;
}
