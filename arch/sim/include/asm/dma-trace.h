/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The machine's DMA debug instruments, for the DMA sanitizer
 * (kernel/dma/debug.c): the bus analyser's transfer trace
 * (<hw/sim_dma_trace.h>) and the cache's coherency checker
 * (<hw/sim_cache.h>).  A platform without them would have neither, and
 * the sanitizer would judge only the DMA API calls it sees.
 *
 * Records come out oldest first, in the datasheets' formats; each
 * instrument counts the records it had to drop because its ring was full.
 */
#ifndef _ASM_SIM_DMA_TRACE_H
#define _ASM_SIM_DMA_TRACE_H

#include <linux/types.h>
#include <hw/sim_cache.h>
#include <hw/sim_dma_trace.h>

void arch_dma_trace_enable(bool on);
int arch_dma_trace_read(struct sim_dma_trace_rec *rec);
u64 arch_dma_trace_dropped(void);

int arch_cache_checker_read(struct sim_cache_event *ev);
u64 arch_cache_checker_dropped(void);

#endif /* _ASM_SIM_DMA_TRACE_H */
