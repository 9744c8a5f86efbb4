/* SPDX-License-Identifier: GPL-2.0 */
/*
 * physr_heap: the test exporter of drivers/dma-buf/ (physr_heap.c).
 * RAM buffers of scattered pages, and "VRAM" buffers in a GPU's BAR that
 * it can evict to RAM with a move.
 */
#ifndef _DRIVERS_DMA_BUF_PHYSR_HEAP_H
#define _DRIVERS_DMA_BUF_PHYSR_HEAP_H

#include <linux/dma-buf.h>
#include <linux/gfp_types.h>
#include <linux/types.h>

struct pci_dev;

struct dma_buf *physr_heap_alloc_ram(size_t size, bool revocable, gfp_t gfp);
struct dma_buf *physr_heap_alloc_vram(struct pci_dev *gpu, int bar,
				      u64 offset, size_t size, bool revocable);
int physr_heap_evict(struct dma_buf *dmabuf, gfp_t gfp);
int physr_heap_revoke(struct dma_buf *dmabuf);
bool physr_heap_is_vram(struct dma_buf *dmabuf);

#endif /* _DRIVERS_DMA_BUF_PHYSR_HEAP_H */
