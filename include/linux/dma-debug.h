/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The DMA sanitizer (kernel/dma/debug.c): CONFIG_DMA_API_DEBUG for range
 * lists.  docs/dma.md describes what it checks and how.
 *
 * It records every live mapping (dma_map_physr(), and the IOVA API's
 * allocations and links) with the return address of the DMA API call
 * that made it, and reports, with that caller symbolised as %pS prints
 * it ("function+0xoff/0xsize"):
 *
 *  - a device access outside the device's mappings, or against their
 *    direction, on every path (also direct, where no IOMMU would fault);
 *    it learns of accesses from the machine's DMA trace, which it drains
 *    at every DMA API call and at dma_debug_check();
 *  - an unmap or sync of something not mapped, with another device,
 *    direction, or a size beyond the mapping; IOVA unlinks that match no
 *    link, frees with links still live;
 *  - a missing sync on a non-coherent device: the device touched a
 *    buffer the CPU owned (after dma_sync_*_for_cpu(), before
 *    dma_sync_*_for_device()), or the machine's coherency checker saw it
 *    read a line the CPU changed and nobody cleaned;
 *  - mappings still live when a device is torn down
 *    (dma_debug_device_teardown(), and for every device at dma_exit()).
 *
 * Mappings are found as upstream's dma-debug finds them, by device and
 * DMA address (the state's device and first DMA address; an IOVA state's
 * domain and IOVA), never by the address of the caller's state: a state
 * copied or moved before unmap behaves the same with the sanitizer on
 * and off.
 *
 * A report is a pr_err() and a count; it never changes what the DMA API
 * does, except that an unmap or sync of a state that is not mapped is
 * then skipped instead of trusted.  Mappings are recorded in a pool of
 * entries allocated at boot, so the sanitizer never allocates on a
 * mapping path (and never fails one); if the pool runs out it says so
 * and stops checking.  It is on by default, as in a debug kernel;
 * dma_debug_set_enabled() takes effect at the next boot.
 */
#ifndef _LINUX_DMA_DEBUG_H
#define _LINUX_DMA_DEBUG_H

#include <linux/types.h>
#include <linux/dma-mapping.h>

/**
 * enum dma_debug_kind - what a report is about
 * @DMA_DEBUG_ACCESS_UNMAPPED: a device accessed DMA addresses it has no
 *	mapping for
 * @DMA_DEBUG_ACCESS_DIRECTION: a device wrote a mapping it may only read,
 *	or read one it may only write
 * @DMA_DEBUG_NOT_MAPPED: unmap, sync or IOVA call on something not mapped
 * @DMA_DEBUG_MISMATCH: unmap or sync with another device, another
 *	direction, or a part beyond the mapping; IOVA unlink or destroy not
 *	matching the links
 * @DMA_DEBUG_MISSING_SYNC: a non-coherent device touched a buffer without
 *	the sync that should have come before
 * @DMA_DEBUG_LEAK: a mapping still live at device teardown
 * @DMA_DEBUG_LOST: the machine's trace or checker dropped records: some
 *	accesses went unchecked
 * @DMA_DEBUG_P2P_RANGE: a range to map carries a P2P provider but is not
 *	that provider's memory (the mapping was refused)
 * @DMA_DEBUG_NR_KINDS: number of kinds
 */
enum dma_debug_kind {
	DMA_DEBUG_ACCESS_UNMAPPED,
	DMA_DEBUG_ACCESS_DIRECTION,
	DMA_DEBUG_NOT_MAPPED,
	DMA_DEBUG_MISMATCH,
	DMA_DEBUG_MISSING_SYNC,
	DMA_DEBUG_LEAK,
	DMA_DEBUG_LOST,
	DMA_DEBUG_P2P_RANGE,
	DMA_DEBUG_NR_KINDS,
};

/**
 * struct dma_debug_report - the last report, for tests
 * @kind: enum dma_debug_kind
 * @dev: the device
 * @site: return address of the DMA API call that made the mapping
 *	concerned, in its caller (0 if none); print it with %pS
 * @caller: return address of the offending DMA API call (0 for device
 *	accesses and teardown)
 * @msg: what was printed, without the device and the callers
 */
struct dma_debug_report {
	enum dma_debug_kind kind;
	struct device *dev;
	unsigned long site;
	unsigned long caller;
	char msg[192];
};

/* ---- for users: switches, checks, counters ------------------------------ */

void dma_debug_set_enabled(bool on);
bool dma_debug_enabled(void);
void dma_debug_check(void);
void dma_debug_device_teardown(struct device *dev);
unsigned long dma_debug_reports(void);
unsigned long dma_debug_nr_reports(enum dma_debug_kind kind);
bool dma_debug_last_report(struct dma_debug_report *report);
unsigned long dma_debug_nr_live(const struct device *dev);
const char *dma_debug_kind_name(enum dma_debug_kind kind);

/* ---- for the DMA API (kernel/dma/, drivers/iommu/dma-iommu.c) ----------- */

int dma_debug_init(void);
void dma_debug_exit(void);
void dma_debug_checkpoint(void);
void debug_dma_map_physr(struct dma_map_state *state,
			 unsigned long caller);
bool debug_dma_unmap_physr(struct device *dev, struct dma_map_state *state,
			   enum dma_data_direction dir,
			   unsigned long caller);
bool debug_dma_revoke_physr(struct device *dev, struct dma_map_state *state,
			    unsigned long caller);
bool debug_dma_sync_physr(struct device *dev, struct dma_map_state *state,
			  u64 offset, u64 len, enum dma_data_direction dir,
			  bool for_cpu, unsigned long caller);
void debug_dma_iova_alloc(struct device *dev, struct dma_iova_state *state,
			  unsigned long caller);
bool debug_dma_iova_check(struct device *dev, struct dma_iova_state *state,
			  unsigned long caller);
void debug_dma_iova_link(struct device *dev, struct dma_iova_state *state,
			 phys_addr_t phys, const struct physr_view *view,
			 u64 offset, u64 size, enum dma_data_direction dir,
			 unsigned long caller);
bool debug_dma_iova_unlink(struct device *dev, struct dma_iova_state *state,
			   u64 offset, u64 size, enum dma_data_direction dir,
			   unsigned long caller);
void debug_dma_p2p_range(struct device *dev, phys_addr_t addr, u64 len);
void debug_dma_iova_free(struct device *dev, struct dma_iova_state *state,
			 u64 mapped_len, bool destroy,
			 unsigned long caller);

#endif /* _LINUX_DMA_DEBUG_H */
