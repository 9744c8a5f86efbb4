/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CPU's data cache, as far as DMA can tell (sim/cache.c).
 *
 * Most devices of the machine are DMA-coherent: their reads snoop the
 * CPU's caches and their writes update them, so RAM looks the same to
 * both.  A device the board marks non-coherent (struct sim_pci_node_desc
 * @dma_noncoherent) reads and writes memory behind the cache's back, and
 * the kernel must do cache maintenance around its DMA, as on many Arm
 * systems.  The model is the worst case: the CPU holds every line of RAM
 * in its cache, always.
 *
 *  - The CPU's view of RAM (the direct map, sim_cpu_read/write()) is the
 *    cache.  "Memory" is a second copy of a page, made the first time a
 *    cache maintenance instruction or a non-coherent device touches the
 *    page; until then the two are the same.
 *  - Cache maintenance instructions, by physical address range, whole
 *    lines of SIM_CACHE_LINE (64) bytes: clean (sim_cpu_cache_clean(), DC CVAC) writes the
 *    CPU's lines back to memory; invalidate (sim_cpu_cache_invalidate(),
 *    DC IVAC) drops them, so the CPU's next load reads memory.  A line a
 *    non-coherent device wrote since the last invalidate is not written
 *    back by a clean: the model assumes the CPU did not dirty a line the
 *    device owns (the DMA API's ownership rules forbid it).
 *  - A non-coherent device reads and writes memory.  A coherent device
 *    reads the CPU's view and writes both.
 *
 * So a missing dma_sync_*_for_device() leaves the device reading stale
 * memory, and a missing dma_sync_*_for_cpu() leaves the CPU reading its
 * stale cache: real bytes differ, as on hardware.  On top of that the
 * machine has a coherency checker (a debug feature, like a bus monitor):
 * a non-coherent device read of a line whose memory differs from the
 * CPU's copy, which the device did not write itself, means the CPU
 * changed the line and nobody cleaned it; the checker logs it in a ring
 * of SIM_CACHE_EVENT_RING records that the kernel side drains with
 * sim_cache_read_event().  BAR memory is uncached MMIO: maintenance of it
 * does nothing and P2P DMA never involves the cache.
 */
#ifndef _SIM_CACHE_H
#define _SIM_CACHE_H

#include <linux/types.h>
#include <hw/sim_cache.h>

/* ---- the CPU's instructions and the checker (the platform's side) ---- */

int sim_cpu_cache_clean(phys_addr_t pa, u64 len);
int sim_cpu_cache_invalidate(phys_addr_t pa, u64 len);
int sim_cache_read_event(struct sim_cache_event *ev);

/**
 * struct sim_cache_stats - the cache model's counters
 * @cleans: clean instructions (calls)
 * @invalidates: invalidate instructions (calls)
 * @lines_written_back: lines a clean copied to memory
 * @lines_dropped: lines an invalidate refreshed from memory
 * @shadow_pages: pages whose memory is kept apart from the CPU's view now
 * @stale_reads: non-coherent reads of lines the CPU changed, not cleaned
 * @events_dropped: checker records lost because the ring was full
 */
struct sim_cache_stats {
	u64 cleans;
	u64 invalidates;
	u64 lines_written_back;
	u64 lines_dropped;
	u64 shadow_pages;
	u64 stale_reads;
	u64 events_dropped;
};

void sim_cache_stats_get(struct sim_cache_stats *stats);

/* ---- machine-internal wiring ---------------------------------------- */

bool sim_cache_active(void);
void sim_cache_dma_access(u16 rid, bool coherent, phys_addr_t pa, u8 *cpu,
			  u8 *buf, u64 len, bool write);
void sim_cache_destroy(void);

#endif /* _SIM_CACHE_H */
