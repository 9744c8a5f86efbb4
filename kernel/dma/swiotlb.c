// SPDX-License-Identifier: GPL-2.0
/*
 * swiotlb: the bounce pool.  <linux/swiotlb.h> says what it is for.
 *
 * The pool.  One naturally aligned block of pages from the page allocator
 * (GFP_DMA32: below 4 GiB, so every device of at least 32 address bits
 * reaches it), allocated by swiotlb_init() at boot and freed by
 * swiotlb_exit().  Its size is a boot parameter
 * (swiotlb_set_default_size(), like swiotlb=), rounded up to a power of
 * two of pages; 0 means no pool.
 *
 * Slots.  The pool is cut into IO_TLB_SIZE (2 KiB) slots with one bit
 * each in a bitmap.  An allocation takes DIV_ROUND_UP(len, IO_TLB_SIZE)
 * contiguous free slots, next fit from where the last allocation ended
 * (wrapping once), starting on a page boundary when it is a page or more
 * (upstream's rule, so page-sized DMA stays page aligned).  Unlike
 * upstream there are no areas and no 128-slot segment limit: one
 * allocation may take any contiguous run, so a mapping of a range fails
 * only when no run that long is free.  The DMA address is the slot's
 * physical address (RAM: bus == physical on this machine).
 *
 * What is bounced where is the caller's business (struct dma_map_state
 * keeps orig, tlb and length per bounced range); this file allocates,
 * frees and copies.  Copies are CPU copies through the direct map.
 *
 * Locking: one spinlock over the bitmap and the counters.  Conventions:
 * [start, start + size) end exclusive, sums checked.
 */
#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/dma-map-ops.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/swiotlb.h>

#define IO_TLB_PAGE_SLOTS	(PAGE_SIZE / IO_TLB_SIZE)

static u64 swiotlb_default_size = SWIOTLB_DEFAULT_SIZE;

static struct {
	spinlock_t lock;
	struct page *page;
	unsigned int order;
	phys_addr_t start;
	u64 nslabs;
	unsigned long *used;
	u64 next;
	struct swiotlb_stats stats;
} io_tlb = { .lock = __SPIN_LOCK_UNLOCKED(io_tlb.lock) };

/**
 * swiotlb_set_default_size() - choose the bounce pool size for next boot
 * @bytes: pool size; rounded up to a power of two of pages; 0 for no pool
 *
 * Like the swiotlb= kernel parameter: it takes effect at the next
 * swiotlb_init() (machine_boot()).
 *
 * Return: 0, or -EINVAL above 1 GiB.
 */
int swiotlb_set_default_size(u64 bytes)
{
	if (bytes > (1ULL << 30))
		return -EINVAL;
	WRITE_ONCE(swiotlb_default_size, bytes);
	return 0;
}

/**
 * swiotlb_init() - allocate the bounce pool
 *
 * Called by dma_init() at boot, after mm.
 *
 * Return: 0 (also when the configured size is 0: no pool); -EBUSY if
 * there is a pool already; -ENOMEM.
 */
int swiotlb_init(void)
{
	u64 size = READ_ONCE(swiotlb_default_size);
	unsigned int order;
	unsigned long *used;
	struct page *page;

	if (io_tlb.page)
		return -EBUSY;
	if (!size)
		return 0;
	order = order_base_2(DIV_ROUND_UP(size, PAGE_SIZE));
	size = PAGE_SIZE << order;

	used = kcalloc(BITS_TO_LONGS(size / IO_TLB_SIZE), sizeof(long),
		       GFP_KERNEL);
	if (!used)
		return -ENOMEM;
	page = alloc_pages(GFP_DMA32 | __GFP_NOWARN, order);
	if (!page) {
		kfree(used);
		return -ENOMEM;
	}

	spin_lock(&io_tlb.lock);
	io_tlb.page = page;
	io_tlb.order = order;
	io_tlb.start = page_to_phys(page);
	io_tlb.nslabs = size / IO_TLB_SIZE;
	io_tlb.used = used;
	io_tlb.next = 0;
	memset(&io_tlb.stats, 0, sizeof(io_tlb.stats));
	io_tlb.stats.start = io_tlb.start;
	io_tlb.stats.size = size;
	io_tlb.stats.nslabs = io_tlb.nslabs;
	spin_unlock(&io_tlb.lock);
	return 0;
}

/**
 * swiotlb_exit() - free the bounce pool
 *
 * Slots still in use are reported (WARN): someone did not unmap.
 */
void swiotlb_exit(void)
{
	struct page *page;
	unsigned long *used;
	unsigned int order;

	spin_lock(&io_tlb.lock);
	page = io_tlb.page;
	used = io_tlb.used;
	order = io_tlb.order;
	WARN(page && io_tlb.stats.used, "swiotlb: %llu slots still in use",
	     (unsigned long long)io_tlb.stats.used);
	io_tlb.page = NULL;
	io_tlb.used = NULL;
	io_tlb.start = 0;
	io_tlb.nslabs = 0;
	memset(&io_tlb.stats, 0, sizeof(io_tlb.stats));
	spin_unlock(&io_tlb.lock);
	if (page)
		__free_pages(page, order);
	kfree(used);
}

/**
 * swiotlb_reachable() - can a device reach the whole bounce pool?
 * @dev: the device
 *
 * Return: true if there is a pool and its last byte is within the
 * device's DMA mask.
 */
bool swiotlb_reachable(const struct device *dev)
{
	phys_addr_t last;

	if (!io_tlb.page)
		return false;
	last = io_tlb.start + io_tlb.nslabs * IO_TLB_SIZE - 1;
	return last <= dma_get_mask(dev);
}

/**
 * is_swiotlb_buffer() - is a physical address in the bounce pool?
 * @paddr: the address
 */
bool is_swiotlb_buffer(phys_addr_t paddr)
{
	return io_tlb.page && paddr >= io_tlb.start &&
	       paddr - io_tlb.start < io_tlb.nslabs * IO_TLB_SIZE;
}

/* First free aligned run of @n slots in [from, to); caller holds lock. */
static u64 swiotlb_find(u64 from, u64 to, u64 n, u64 align)
{
	u64 i = ALIGN(from, align), busy;

	while (i + n <= to) {
		busy = find_next_bit(io_tlb.used, i + n, i);
		if (busy >= i + n)
			return i;
		i = ALIGN(busy + 1, align);
	}
	return U64_MAX;
}

/**
 * swiotlb_alloc_slots() - take bounce slots for a range
 * @orig: the range's physical address (for the record; not read)
 * @len: bytes, > 0
 * @tlb: set to the physical (and DMA) address of the slots
 *
 * Return: 0; -ENODEV without a pool; -ENOMEM if no run of free slots is
 * long enough.
 */
int swiotlb_alloc_slots(phys_addr_t orig, u64 len, phys_addr_t *tlb)
{
	u64 n, align, i;
	int ret = 0;

	(void)orig;
	if (!io_tlb.page)
		return -ENODEV;
	if (!len || len > io_tlb.nslabs * IO_TLB_SIZE)
		return len ? -ENOMEM : -EINVAL;
	n = DIV_ROUND_UP(len, IO_TLB_SIZE);
	align = len >= PAGE_SIZE ? IO_TLB_PAGE_SLOTS : 1;

	spin_lock(&io_tlb.lock);
	i = swiotlb_find(io_tlb.next, io_tlb.nslabs, n, align);
	if (i == U64_MAX)
		i = swiotlb_find(0, min(io_tlb.next + n, io_tlb.nslabs), n,
				 align);
	if (i == U64_MAX) {
		io_tlb.stats.failures++;
		ret = -ENOMEM;
		goto out_unlock;
	}
	bitmap_set(io_tlb.used, i, n);
	io_tlb.next = i + n < io_tlb.nslabs ? i + n : 0;
	io_tlb.stats.used += n;
	io_tlb.stats.maps++;
	if (io_tlb.stats.used > io_tlb.stats.max_used)
		io_tlb.stats.max_used = io_tlb.stats.used;
	*tlb = io_tlb.start + i * IO_TLB_SIZE;
out_unlock:
	spin_unlock(&io_tlb.lock);
	return ret;
}

/**
 * swiotlb_free_slots() - give back the slots of swiotlb_alloc_slots()
 * @tlb: the address it returned
 * @len: the length it was given
 *
 * Freeing slots that are not in use WARNs and changes nothing.
 */
void swiotlb_free_slots(phys_addr_t tlb, u64 len)
{
	u64 i, n;

	if (WARN_ON(!is_swiotlb_buffer(tlb) || !len))
		return;
	i = (tlb - io_tlb.start) / IO_TLB_SIZE;
	n = DIV_ROUND_UP(len, IO_TLB_SIZE);
	spin_lock(&io_tlb.lock);
	if (WARN_ON(i + n > io_tlb.nslabs ||
		    find_next_zero_bit(io_tlb.used, i + n, i) < i + n))
		goto out_unlock;
	bitmap_clear(io_tlb.used, i, n);
	io_tlb.stats.used -= n;
out_unlock:
	spin_unlock(&io_tlb.lock);
}

/**
 * swiotlb_bounce() - copy between a range and its bounce slots
 * @dst: physical address to copy to (RAM)
 * @src: physical address to copy from (RAM)
 * @len: bytes
 *
 * A CPU copy through the direct map.  The DMA API bounces only ranges it
 * checked are RAM; anything else here is a kernel bug, which WARNs and
 * copies nothing rather than fault in the direct map.
 */
void swiotlb_bounce(phys_addr_t dst, phys_addr_t src, u64 len)
{
	struct dma_ram_cache ram = DMA_RAM_CACHE_INIT;

	if (!len)
		return;
	if (WARN_ON_ONCE(!dma_phys_is_ram(&ram, dst, dst + len - 1) ||
			 !dma_phys_is_ram(&ram, src, src + len - 1)))
		return;
	memcpy(phys_to_virt(dst), phys_to_virt(src), len);
	spin_lock(&io_tlb.lock);
	io_tlb.stats.bounced_bytes += len;
	spin_unlock(&io_tlb.lock);
}

/**
 * swiotlb_get_stats() - read the pool's counters
 * @stats: filled in; all zero without a pool
 */
void swiotlb_get_stats(struct swiotlb_stats *stats)
{
	spin_lock(&io_tlb.lock);
	*stats = io_tlb.stats;
	spin_unlock(&io_tlb.lock);
}
