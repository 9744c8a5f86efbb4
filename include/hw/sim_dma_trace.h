/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The DMA trace's datasheet: the record format of the machine's bus
 * analyser.  Constants and structures only; the machine (sim/dma.c) fills
 * the trace and the platform layer (arch/sim/) reads it for the kernel's
 * DMA sanitizer.
 *
 * While enabled, the analyser records every transfer a device's DMA
 * engine makes, completed or failed, in a ring of SIM_DMA_TRACE_RING;
 * when the ring is full, new records are only counted as dropped.  A
 * record names the device by the requester ID it emitted and the address
 * as it emitted it (an IOVA, a physical address, a bus address), before
 * any translation.
 */
#ifndef _HW_SIM_DMA_TRACE_H
#define _HW_SIM_DMA_TRACE_H

#include <linux/types.h>

#define SIM_DMA_TRACE_RING	8192

/**
 * struct sim_dma_trace_rec - one traced transfer
 * @seq: sequence number, from 1, counting dropped records too
 * @rid: requester ID of the device
 * @write: the device wrote memory
 * @status: 0, or the transfer's error (-EIO, -EFAULT)
 * @addr: the DMA address it emitted
 * @len: bytes
 */
struct sim_dma_trace_rec {
	u64 seq;
	u16 rid;
	bool write;
	int status;
	dma_addr_t addr;
	u64 len;
};

#endif /* _HW_SIM_DMA_TRACE_H */
