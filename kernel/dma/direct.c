// SPDX-License-Identifier: GPL-2.0
/*
 * The direct path: devices that reach memory without IOMMU translation
 * (no IOMMU, or an identity domain), and the CPU cache maintenance a
 * non-coherent device needs.
 *
 * DMA addresses.  RAM: the physical address (this machine's RAM has bus
 * address == physical address).  P2P memory by pci_p2pdma_map_type(): the
 * bus address when the device reaches the BAR below a switch, the CPU
 * physical address when the request goes up through the host bridge,
 * -EREMOTEIO when it may not.  RAM beyond the device's DMA mask bounces
 * through swiotlb; P2P memory beyond it cannot be bounced (-EIO).
 *
 * What may be mapped.  A range with a provider is P2P memory; one without
 * is RAM, as a struct page would be.  That is checked (pfn_valid(), by
 * ranges of RAM) where the CPU is to touch the range: a range to bounce
 * that is not RAM is -EINVAL, not a fault in the bounce copy (mapping.c
 * checks a non-coherent device's ranges, for the cache maintenance).
 * Ranges the CPU never touches are not vetted, as upstream's
 * dma_map_phys() does not vet them: that would cost the common case,
 * RAM in reach, a test per range.
 *
 * Two passes.  The first walks the list, decides each range, fails early
 * (-EINVAL, -EREMOTEIO, -EIO) before anything is allocated, and counts
 * segments and bounces.  If every DMA address is the physical address
 * the DMA list is the mapped list itself: nothing is allocated and
 * nothing written.
 * Otherwise the second pass allocates bounce slots (copying the range in,
 * whatever the direction, as upstream does so that a partial device write
 * leaves the rest intact) and builds a DMA list of its own; a failure
 * there frees what the pass took.
 *
 * Cache maintenance for a non-coherent device is the platform's
 * (arch_sync_dma_for_device/for_cpu(), arch/sim/dma.c): clean before the
 * device reads or writes, invalidate before the CPU reads what the device
 * wrote.
 */
#include <linux/bug.h>
#include <linux/dma-map-ops.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/pci-p2pdma.h>
#include <linux/slab.h>
#include <linux/swiotlb.h>

enum dma_direct_kind {
	DMA_DIRECT_PHYS,	/* DMA address == physical address */
	DMA_DIRECT_BUS,		/* P2P by bus address */
	DMA_DIRECT_BOUNCE,	/* RAM beyond the mask */
};

/**
 * __dma_phys_is_ram() - is a physical range RAM? (dma_phys_is_ram())
 * @c: the cache of the last answer; updated when the range is RAM
 * @first: first byte
 * @last: last byte, >= @first
 *
 * RAM is what the memmap covers (pfn_valid()): the firmware's RAM ranges,
 * in whole pages.  A range may span adjacent ones.
 *
 * Return: true if every byte of [@first, @last] is RAM.
 */
bool __dma_phys_is_ram(struct dma_ram_cache *c, phys_addr_t first,
		       phys_addr_t last)
{
	unsigned long pfn = PHYS_PFN(first), last_pfn = PHYS_PFN(last);
	unsigned long start, end;
	unsigned int i;

	for (i = 0; i < mm_nr_ram_ranges; i++)
		if (pfn < mm_ram_ranges[i].end_pfn)
			break;
	if (i == mm_nr_ram_ranges || pfn < mm_ram_ranges[i].start_pfn)
		return false;
	start = mm_ram_ranges[i].start_pfn;
	end = mm_ram_ranges[i].end_pfn;
	/* Ranges are sorted: extend over those that follow without a hole. */
	while (++i < mm_nr_ram_ranges && mm_ram_ranges[i].start_pfn == end)
		end = mm_ram_ranges[i].end_pfn;
	if (last_pfn >= end)
		return false;
	c->first = PFN_PHYS(start);
	c->last = PFN_PHYS(end) - 1;
	return true;
}

/**
 * dma_view_check_ram() - are a view's ranges without a provider RAM?
 * @view: the ranges
 *
 * For what the CPU will touch by physical address: the cache
 * maintenance of a non-coherent device's mapping or link.
 *
 * Return: 0, or -EINVAL if one of them is not all RAM.
 */
int dma_view_check_ram(const struct physr_view *view)
{
	struct dma_ram_cache ram = DMA_RAM_CACHE_INIT;
	struct physr_iter it;
	struct physr r;

	physr_view_for_each(view, &it, &r)
		if (!physr_iter_provider(&it) &&
		    !dma_phys_is_ram(&ram, r.addr, r.addr + r.len - 1))
			return -EINVAL;
	return 0;
}

/* Decide one range.  Return: 0 with *@kind and *@dma, or -errno. */
static int dma_direct_range(struct device *dev, struct p2pdma_provider *p,
			    const struct physr *r, struct dma_ram_cache *ram,
			    enum dma_direct_kind *kind, dma_addr_t *dma)
{
	u64 mask = dma_get_mask(dev);
	dma_addr_t last;

	*kind = DMA_DIRECT_PHYS;
	*dma = r->addr;
	if (p) {
		switch (pci_p2pdma_map_type(p, dev)) {
		case PCI_P2PDMA_MAP_BUS_ADDR:
			*kind = DMA_DIRECT_BUS;
			*dma = p2pdma_bus_addr(p, r->addr);
			break;
		case PCI_P2PDMA_MAP_THRU_HOST_BRIDGE:
			break;
		default:
			return -EREMOTEIO;
		}
		if (check_add_overflow(*dma, r->len - 1, &last) || last > mask)
			return -EIO;
		return 0;
	}
	if (check_add_overflow(*dma, r->len - 1, &last))
		return -EIO;
	if (last > mask) {
		if (!swiotlb_reachable(dev))
			return -EIO;
		/* The bounce copies it through the direct map. */
		if (!dma_phys_is_ram(ram, r->addr, last))
			return -EINVAL;
		*kind = DMA_DIRECT_BOUNCE;
	}
	return 0;
}

static void dma_direct_free_bounces(struct dma_map_state *state)
{
	u32 i;

	for (i = 0; i < state->nr_bounce; i++) {
		struct dma_bounce *b = dma_state_bounce(state, i);

		swiotlb_free_slots(b->tlb, b->len);
	}
	kfree(state->bounce);
	state->bounce = NULL;
	state->nr_bounce = 0;
}

/* The second pass: bounce what must bounce and build the DMA list. */
static int dma_direct_build(struct device *dev, struct dma_map_state *state,
			    u32 nr_bounce)
{
	struct dma_ram_cache ram = DMA_RAM_CACHE_INIT;
	enum dma_direct_kind kind;
	struct physr_iter it;
	struct physr r;
	dma_addr_t dma;
	int ret;

	if (nr_bounce > 1) {
		state->bounce = kmalloc_array(nr_bounce, sizeof(*state->bounce),
					      DMA_GFP);
		if (!state->bounce)
			return -ENOMEM;
	}

	physr_view_for_each(&state->src, &it, &r) {
		ret = dma_direct_range(dev, physr_iter_provider(&it), &r, &ram,
				       &kind, &dma);
		if (WARN_ON(ret))	/* the first pass said otherwise */
			goto out_unwind;
		if (kind == DMA_DIRECT_BOUNCE) {
			struct dma_bounce *b;

			if (WARN_ON(state->nr_bounce == nr_bounce)) {
				ret = -EINVAL;
				goto out_unwind;
			}
			b = dma_state_bounce(state, state->nr_bounce);
			ret = swiotlb_alloc_slots(r.addr, r.len, &b->tlb);
			if (ret)
				goto out_unwind;
			b->orig = r.addr;
			b->len = r.len;
			state->nr_bounce++;
			swiotlb_bounce(b->tlb, b->orig, b->len);
			dma = b->tlb;
		}
		ret = dma_list_append(&state->dma, dma, r.len, DMA_GFP);
		if (ret)
			goto out_unwind;
	}
	dma_list_finish(&state->dma, dev, 0);
	return 0;

out_unwind:
	dma_list_destroy(&state->dma);
	dma_direct_free_bounces(state);
	return ret;
}

/**
 * dma_direct_map_physr() - map @state->src for a device without translation
 * @dev: the device
 * @state: a state being made by dma_map_physr(): @src, @dir and @attrs set
 *
 * See the top of this file.
 *
 * Return: 0; -EINVAL for a range to bounce that is not RAM; -EREMOTEIO;
 * -EIO; -ENOMEM.  On error nothing is left allocated.
 */
int dma_direct_map_physr(struct device *dev, struct dma_map_state *state)
{
	struct dma_ram_cache ram = DMA_RAM_CACHE_INIT;
	u64 max_seg = dma_get_max_seg_size(dev);
	u64 seg_mask = dma_get_seg_boundary(dev);
	u64 mask = dma_get_mask(dev);
	enum dma_direct_kind kind;
	u64 nr_segs = 0;
	u32 nr_bounce = 0;
	bool own = false;
	struct physr_iter it;
	struct physr r;
	dma_addr_t dma;
	int ret;

	physr_view_for_each(&state->src, &it, &r) {
		phys_addr_t last = r.addr + r.len - 1;	/* a list's ranges never wrap */

		/* The common case, RAM in reach and one segment, inline. */
		if (likely(!physr_iter_provider(&it) && last <= mask)) {
			if (likely(r.len <= max_seg &&
				   !((r.addr ^ last) & ~seg_mask)))
				nr_segs++;
			else
				nr_segs += dma_seg_count(r.addr, r.len, max_seg,
							 seg_mask);
			continue;
		}
		if (physr_iter_provider(&it)) {
			ret = dma_p2p_check_range(dev, physr_iter_provider(&it),
						  &r);
			if (ret)
				return ret;
			ret = dma_state_hold_provider(state,
						      physr_iter_provider(&it));
			if (ret)
				return ret;
		}
		ret = dma_direct_range(dev, physr_iter_provider(&it), &r, &ram,
				       &kind, &dma);
		if (ret)
			return ret;
		if (kind == DMA_DIRECT_PHYS) {
			nr_segs += dma_seg_count(dma, r.len, max_seg, seg_mask);
			continue;
		}
		own = true;
		if (kind == DMA_DIRECT_BOUNCE && ++nr_bounce == 0)
			return -ENOMEM;
	}

	if (!own) {
		dma_list_set_shared(&state->dma, &state->src);
		dma_list_finish(&state->dma, dev, nr_segs);
		return 0;
	}
	return dma_direct_build(dev, state, nr_bounce);
}

/**
 * dma_direct_unmap_physr() - free what dma_direct_map_physr() took
 * @state: the mapping; copies back were done by the caller
 */
void dma_direct_unmap_physr(struct dma_map_state *state)
{
	dma_direct_free_bounces(state);
	dma_list_destroy(&state->dma);
}
