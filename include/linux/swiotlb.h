/* SPDX-License-Identifier: GPL-2.0 */
/*
 * swiotlb: bounce buffers in low memory for devices that cannot reach the
 * memory they are given (kernel/dma/swiotlb.c).
 *
 * One pool, allocated at boot (dma_init()) from the page allocator with
 * GFP_DMA32, divided into slots of IO_TLB_SIZE bytes.  The direct path of
 * the DMA API bounces a RAM range beyond a device's DMA mask: it takes
 * enough contiguous slots (page aligned when the range is a page or
 * more), copies the range in, and gives the device the slots' address;
 * unmap and sync copy back and forth by direction; unmap frees the slots.
 * A full pool fails the mapping with -ENOMEM.
 */
#ifndef _LINUX_SWIOTLB_H
#define _LINUX_SWIOTLB_H

#include <linux/types.h>

struct device;

#define IO_TLB_SHIFT		11
#define IO_TLB_SIZE		(1U << IO_TLB_SHIFT)

/* Pool size unless swiotlb_set_default_size() said otherwise. */
#define SWIOTLB_DEFAULT_SIZE	(8ULL << 20)

/**
 * struct swiotlb_stats - the pool and its use
 * @start: physical address of the pool; 0 without one
 * @size: bytes
 * @nslabs: slots
 * @used: slots in use now
 * @max_used: most slots ever in use at once
 * @maps: successful allocations
 * @failures: allocations that found no room
 * @bounced_bytes: bytes copied in either direction
 */
struct swiotlb_stats {
	phys_addr_t start;
	u64 size;
	u64 nslabs;
	u64 used;
	u64 max_used;
	u64 maps;
	u64 failures;
	u64 bounced_bytes;
};

int swiotlb_set_default_size(u64 bytes);
int swiotlb_init(void);
void swiotlb_exit(void);

bool swiotlb_reachable(const struct device *dev);
bool is_swiotlb_buffer(phys_addr_t paddr);
int swiotlb_alloc_slots(phys_addr_t orig, u64 len, phys_addr_t *tlb);
void swiotlb_free_slots(phys_addr_t tlb, u64 len);
void swiotlb_bounce(phys_addr_t dst, phys_addr_t src, u64 len);
void swiotlb_get_stats(struct swiotlb_stats *stats);

#endif /* _LINUX_SWIOTLB_H */
