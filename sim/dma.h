/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Device DMA engines (sim/dma.c): what a device does when its driver has
 * told it to read or write memory.
 *
 * Every endpoint of the fabric has a DMA engine, named by the requester
 * ID the function emits (struct device's @rid on the kernel side).  It
 * moves bytes between a buffer (standing for the device's own memory or
 * queue) and a DMA address, the address the driver programmed: an IOVA, a
 * physical address of RAM, or a bus or CPU address of another device's
 * BAR.  The machine routes each transaction as PCIe would; see sim/dma.c
 * for the rules and docs/machine.md for the picture.
 *
 * A transfer either completes whole or fails having moved nothing: it is
 * routed page by page first, and bytes move only when every page has a
 * target.  A failure is logged like a PCIe error (an IOMMU fault is also
 * in the IOMMU's own fault log).
 *
 * The function's config space governs its engine and its BARs
 * (<hw/sim_pci.h>): with Bus Master Enable off, or during a reset, the
 * engine issues nothing; a BAR answers DMA only while it decodes.  A
 * device model's register BAR is not reachable by DMA.
 */
#ifndef _SIM_DMA_H
#define _SIM_DMA_H

#include <linux/types.h>
#include <hw/sim_dma_trace.h>

int sim_dma_write(u16 rid, dma_addr_t addr, const void *buf, size_t len);
int sim_dma_read(u16 rid, dma_addr_t addr, void *buf, size_t len);

/**
 * enum sim_dma_error_reason - why a DMA transfer failed
 * @SIM_DMA_ERR_NONE: no error logged
 * @SIM_DMA_ERR_ADDR_WIDTH: the address does not fit the engine's
 *	address bits; nothing was emitted
 * @SIM_DMA_ERR_UPSTREAM: a port received a request for an address below
 *	itself and has no ACS Upstream Forwarding: unsupported request
 * @SIM_DMA_ERR_IOMMU: the IOMMU refused the translation (see its fault log)
 * @SIM_DMA_ERR_HOST_BRIDGE: the address reached a BAR through a host
 *	bridge that does not forward P2P, or a BAR below another host bridge
 * @SIM_DMA_ERR_NO_TARGET: nothing answers at the address (master abort)
 * @SIM_DMA_ERR_DECODE: the address reached a BAR that does not decode
 *	(Memory Space Enable off, its register moved, or its function in
 *	reset): unsupported request
 * @SIM_DMA_ERR_BUS_MASTER: the device's Bus Master Enable is off (or it
 *	is in reset): its engine issued nothing
 * @SIM_DMA_ERR_REGISTERS: the address reached a BAR of device registers,
 *	which DMA does not reach in this machine: unsupported request
 */
enum sim_dma_error_reason {
	SIM_DMA_ERR_NONE,
	SIM_DMA_ERR_ADDR_WIDTH,
	SIM_DMA_ERR_UPSTREAM,
	SIM_DMA_ERR_IOMMU,
	SIM_DMA_ERR_HOST_BRIDGE,
	SIM_DMA_ERR_NO_TARGET,
	SIM_DMA_ERR_DECODE,
	SIM_DMA_ERR_BUS_MASTER,
	SIM_DMA_ERR_REGISTERS,
};

/**
 * struct sim_dma_error - the last DMA error the fabric logged
 * @reason: enum sim_dma_error_reason
 * @rid: requester ID of the device
 * @addr: the DMA address of the transaction that failed
 * @write: it was a write
 */
struct sim_dma_error {
	enum sim_dma_error_reason reason;
	u16 rid;
	dma_addr_t addr;
	bool write;
};

/**
 * struct sim_dma_stats - the fabric's DMA counters (since machine creation)
 * @transfers: sim_dma_read()/sim_dma_write() calls that completed
 * @transactions: page-sized (or smaller) transactions they were split into
 * @bytes: bytes moved
 * @p2p: transactions routed peer-to-peer below a root port (switch or
 *	multi-function device): no root complex, no IOMMU
 * @root_complex: transactions that reached a root complex
 * @translated: ... of which an IOMMU translated
 * @host_bridge_p2p: ... of which went on to a BAR (P2P through the host
 *	bridge)
 * @completions_redirected: P2P reads whose completions ACS Completion
 *	Redirect sent up through the root complex
 * @errors: transfers that failed
 * @no_decode: ... of which reached a BAR that could not decode
 * @no_bus_master: ... of which were not issued: Bus Master Enable off
 */
struct sim_dma_stats {
	u64 transfers;
	u64 transactions;
	u64 bytes;
	u64 p2p;
	u64 root_complex;
	u64 translated;
	u64 host_bridge_p2p;
	u64 completions_redirected;
	u64 errors;
	u64 no_decode;
	u64 no_bus_master;
};

/* Instrumentation for tests and tools. */
void sim_dma_stats_get(struct sim_dma_stats *stats);
void sim_dma_last_error(struct sim_dma_error *err);

/*
 * The fabric's transfer trace: a debug feature, like a PCIe bus analyser
 * left plugged in; its record format is <hw/sim_dma_trace.h>.  The kernel
 * side's DMA sanitizer drains it through the platform layer.
 */
void sim_dma_trace_enable(bool on);
int sim_dma_trace_read(struct sim_dma_trace_rec *rec);
u64 sim_dma_trace_dropped(void);

#endif /* _SIM_DMA_H */
