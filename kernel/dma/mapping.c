// SPDX-License-Identifier: GPL-2.0
/*
 * The DMA API's entry points: device limits, mapping and unmapping range
 * lists, sync, and DMA bring-up at boot.  <linux/dma-mapping.h> is the
 * API; docs/dma.md explains it; <linux/dma-map-ops.h> lists the files
 * behind it.
 *
 * A mapping in four steps:
 *
 *  1. Check the arguments (-EINVAL) and decide the path from how the
 *     device reaches memory (dma_dev_path()).
 *  2. The path maps: drivers/iommu/dma-iommu.c (IOVA) or direct.c
 *     (physical or bus addresses, swiotlb bounces).  Each path unwinds
 *     everything it did when it fails, so a failed map leaves nothing.
 *     In its first walk it holds the P2P providers of the list
 *     (dma_state_hold_provider(): one reference per run), which unmap,
 *     or a failure, puts back; a provider whose device was removed is
 *     -ENODEV there, before anything is allocated.
 *  3. Cache maintenance for a non-coherent device (dma_state_sync()).
 *  4. The sanitizer records the mapping with its caller.
 *
 * The state.  struct dma_map_state keeps what unmap and sync need and
 * nothing per page: the device, the direction, the mapped ranges as a
 * view of the caller's list (never copied, never written), the IOVA of an
 * IOMMU mapping, and one record per range that bounces.  What a range's
 * "kind" is (RAM, P2P, bounced) is found again by walking the view: a P2P
 * range carries its provider, a bounced one matches the next bounce
 * record, in order.
 *
 * Sync.  dma_state_sync() walks the mapped ranges that intersect
 * [offset, offset + len) (bytes into the mapped list): bounced ranges
 * copy between the range and its slots by direction, RAM ranges of a
 * non-coherent device get cache maintenance (of the slots when bounced),
 * and P2P ranges (MMIO: uncached, never bounced) nothing.  A coherent
 * mapping with nothing bounced returns at once.
 *
 * Callers.  Every entry point (mapping, unmapping, sync, and the IOVA
 * API, whose work is in drivers/iommu/dma-iommu.c) takes its caller's
 * return address (_RET_IP_) itself and hands it down to the sanitizer,
 * which symbolises it in reports (%pS).  So the entry points are
 * noinline: inlined, _RET_IP_ would name their caller's caller.  The
 * helpers below them take the address as an argument, never read it.
 *
 * Conventions: offsets and lengths in bytes; ranges [offset, offset +
 * len), end exclusive, sums checked.
 */
#include <linux/bug.h>
#include <linux/dma-debug.h>
#include <linux/dma-map-ops.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/pci-p2pdma.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/swiotlb.h>

#define DMA_ATTR_KNOWN	(DMA_ATTR_SKIP_CPU_SYNC | DMA_ATTR_NO_WARN)

/* ---- device limits ------------------------------------------------------ */

/**
 * dma_set_mask() - tell the DMA API what addresses a device can emit
 * @dev: the device
 * @mask: DMA_BIT_MASK(n) for a device with n address bits
 *
 * The mask set by PCI enumeration is what the firmware reports; a driver
 * may narrow it (or widen it, if it knows better).  IOVA is allocated
 * below it, and on the direct path RAM beyond it bounces.
 *
 * Return: 0, or -EIO for a mask below 24 bits, which the DMA API cannot
 * serve.
 */
int dma_set_mask(struct device *dev, u64 mask)
{
	if (!dev || mask < DMA_BIT_MASK(24))
		return -EIO;
	WRITE_ONCE(dev->dma_mask, mask);
	return 0;
}
EXPORT_SYMBOL_GPL(dma_set_mask);

/**
 * dma_set_coherent_mask() - the same for coherent allocations
 * @dev: the device
 * @mask: DMA_BIT_MASK(n)
 *
 * Return: 0, or -EIO for a mask below 24 bits.
 */
int dma_set_coherent_mask(struct device *dev, u64 mask)
{
	if (!dev || mask < DMA_BIT_MASK(24))
		return -EIO;
	WRITE_ONCE(dev->coherent_dma_mask, mask);
	return 0;
}
EXPORT_SYMBOL_GPL(dma_set_coherent_mask);

/**
 * dma_set_mask_and_coherent() - set both masks
 * @dev: the device
 * @mask: DMA_BIT_MASK(n)
 *
 * Return: 0, or -EIO for a mask below 24 bits (neither is changed).
 */
int dma_set_mask_and_coherent(struct device *dev, u64 mask)
{
	int ret = dma_set_mask(dev, mask);

	if (!ret)
		ret = dma_set_coherent_mask(dev, mask);
	return ret;
}
EXPORT_SYMBOL_GPL(dma_set_mask_and_coherent);

/**
 * dma_set_max_seg_size() - longest DMA segment the device takes
 * @dev: the device
 * @size: bytes, > 0
 *
 * Applies to mappings made afterwards: their DMA lists iterate in
 * segments of at most @size bytes.
 *
 * Return: 0, or -EINVAL for 0.
 */
int dma_set_max_seg_size(struct device *dev, unsigned int size)
{
	if (!dev || !size)
		return -EINVAL;
	WRITE_ONCE(dev->max_segment_size, size);
	return 0;
}
EXPORT_SYMBOL_GPL(dma_set_max_seg_size);

/**
 * dma_set_seg_boundary() - boundary no DMA segment may cross
 * @dev: the device
 * @mask: 2^n - 1 for a boundary every 2^n bytes, n >= PAGE_SHIFT
 *
 * Applies to mappings made afterwards.
 *
 * Return: 0, or -EINVAL if @mask + 1 is not a power of two of at least a
 * page.
 */
int dma_set_seg_boundary(struct device *dev, unsigned long mask)
{
	if (!dev || mask < PAGE_SIZE - 1 || (mask & (mask + 1)))
		return -EINVAL;
	WRITE_ONCE(dev->seg_boundary_mask, mask);
	return 0;
}
EXPORT_SYMBOL_GPL(dma_set_seg_boundary);

/**
 * dma_dev_path() - how a device reaches memory through the DMA API
 * @dev: the device
 *
 * Decided, as upstream does, by the default domain of the device's IOMMU
 * group: a DMA domain means the IOMMU path, identity means bypass (direct
 * addresses through the IOMMU).  A group temporarily attached to another
 * domain keeps its DMA API path; its DMA works again once it is back.
 *
 * Return: enum dma_path; DMA_PATH_NONE without a DMA mask.
 */
enum dma_path dma_dev_path(struct device *dev)
{
	if (!dev || !READ_ONCE(dev->dma_mask))
		return DMA_PATH_NONE;
	if (dev->iommu)
		return iommu_dma_path(dev);
	return DMA_PATH_DIRECT;
}
EXPORT_SYMBOL_GPL(dma_dev_path);

/**
 * dma_path_name() - "none", "direct", "bypass" or "iommu"
 * @path: the path
 */
const char *dma_path_name(enum dma_path path)
{
	switch (path) {
	case DMA_PATH_DIRECT:
		return "direct";
	case DMA_PATH_BYPASS:
		return "bypass";
	case DMA_PATH_IOMMU:
		return "iommu";
	default:
		return "none";
	}
}
EXPORT_SYMBOL_GPL(dma_path_name);

/* ---- sync walks ---------------------------------------------------------- */

/* Sync one piece of a mapped range; @tlb is its bounce slots or 0. */
static void dma_sync_piece(phys_addr_t phys, phys_addr_t tlb, u64 len,
			   enum dma_data_direction dir, bool for_cpu,
			   bool copy, bool cache)
{
	if (!for_cpu) {
		if (tlb && copy && dir != DMA_FROM_DEVICE)
			swiotlb_bounce(tlb, phys, len);
		if (cache)
			arch_sync_dma_for_device(tlb ? tlb : phys, len, dir);
	} else {
		if (cache)
			arch_sync_dma_for_cpu(tlb ? tlb : phys, len, dir);
		if (tlb && copy && dir != DMA_TO_DEVICE)
			swiotlb_bounce(phys, tlb, len);
	}
}

/**
 * dma_state_sync() - copies and cache maintenance over part of a mapping
 * @state: the mapping
 * @offset: first byte, into the mapped list
 * @len: bytes; clamped to the end of the mapping
 * @dir: direction that decides the copies and the maintenance
 * @for_cpu: hand the bytes to the CPU (else to the device)
 * @copy: copy between bounced ranges and their slots
 * @cache: do cache maintenance (the device is not coherent)
 *
 * See the top of this file.
 */
void dma_state_sync(struct dma_map_state *state, u64 offset, u64 len,
		    enum dma_data_direction dir, bool for_cpu, bool copy,
		    bool cache)
{
	u64 pos = 0, end, first, last;
	struct physr_iter it;
	struct physr r;
	u32 bi = 0;

	if (!state->nr_bounce && !cache)
		return;
	if (check_add_overflow(offset, len, &end))
		end = U64_MAX;
	physr_view_for_each(&state->src, &it, &r) {
		struct dma_bounce *b = NULL;
		u64 start = pos;

		pos += r.len;
		if (physr_iter_provider(&it))
			continue;	/* MMIO: uncached, never bounced */
		if (bi < state->nr_bounce) {
			b = dma_state_bounce(state, bi);
			if (b->orig == r.addr && b->len == r.len)
				bi++;
			else
				b = NULL;
		}
		if (pos <= offset)
			continue;
		if (start >= end)
			break;
		first = max(start, offset);
		last = min(pos, end);
		dma_sync_piece(r.addr + (first - start),
			       b ? b->tlb + (first - start) : 0, last - first,
			       dir, for_cpu, copy, cache);
	}
}

/* ---- P2P providers -------------------------------------------------------- */

/**
 * dma_state_hold_provider() - a mapping being made holds a P2P provider
 * @state: the mapping, being made
 * @provider: the provider of the range the path is deciding
 *
 * Paths call it in their first walk over the list, for every range with
 * a provider, before deciding the range: one p2pdma_provider_get() per
 * run of a provider (ranges of RAM in between do not end a run), so a
 * list of one BAR's memory holds one reference however many ranges it
 * has.  dma_state_release_providers() walks the list the same way.
 *
 * Return: 0, or -ENODEV if the provider's device was removed.
 */
int dma_state_hold_provider(struct dma_map_state *state,
			    struct p2pdma_provider *provider)
{
	int ret;

	if (provider == state->held_provider)
		return 0;
	ret = p2pdma_provider_get(provider);
	if (ret)
		return ret;
	state->held_provider = provider;
	state->nr_providers++;
	return 0;
}

/**
 * dma_state_release_providers() - put what dma_state_hold_provider() held
 * @state: the mapping (or the failed attempt): its list is still there
 *
 * The same walk as the holds, stopping after as many puts as there were
 * holds: a map that failed half way put exactly what it took.
 */
void dma_state_release_providers(struct dma_map_state *state)
{
	struct p2pdma_provider *p, *last = NULL;
	struct physr_iter it;
	struct physr r;

	physr_view_for_each(&state->src, &it, &r) {
		if (!state->nr_providers)
			break;
		p = physr_iter_provider(&it);
		if (!p || p == last)
			continue;
		last = p;
		p2pdma_provider_put(p);
		state->nr_providers--;
	}
	WARN_ON(state->nr_providers);
	state->held_provider = NULL;
}

/**
 * dma_p2p_check_range() - is a P2P range its provider's memory?
 * @dev: the device it is to be mapped for
 * @provider: the provider the list records for it
 * @r: the range
 *
 * physr_list_append_p2p() refuses a range outside its provider; every DMA
 * path checks again with the same test (p2pdma_provider_contains()), as
 * it does not trust a list blindly: a list built by a buggy path, or
 * corrupted, would otherwise give a RAM page a bus address or map it as
 * BAR memory, skipping the RAM, bounce and cache rules.  Paths call it in
 * their first walk, before they hold the provider or map anything.
 *
 * Return: 0, or -EINVAL (printed, and reported by the sanitizer).
 */
int dma_p2p_check_range(struct device *dev, struct p2pdma_provider *provider,
			const struct physr *r)
{
	if (likely(p2pdma_provider_contains(provider, r->addr, r->len)))
		return 0;
	pr_err("dma: %s: range %#llx+%#llx is not the memory of its P2P provider (BAR%d %#llx+%#llx): not mapped\n",
	       dev_name(dev), (unsigned long long)r->addr,
	       (unsigned long long)r->len, provider->bar,
	       (unsigned long long)provider->base,
	       (unsigned long long)provider->size);
	debug_dma_p2p_range(dev, r->addr, r->len);
	return -EINVAL;
}

/* ---- mapping ------------------------------------------------------------- */

/*
 * A state not mapped: what the map entry points make of the caller's
 * storage before they look at any other argument, so that every error,
 * an argument error too, leaves it unmapped rather than uninitialised.
 */
static void dma_map_state_reset(struct dma_map_state *state)
{
	if (!state)
		return;
	memset(state, 0, sizeof(*state));
	dma_list_init(&state->dma);
}

/* @state was reset by the caller. */
static int dma_map_view(struct device *dev, const struct physr_view *view,
			enum dma_data_direction dir, unsigned long attrs,
			struct dma_map_state *state, unsigned long caller)
{
	int ret;

	if (!dev || !state || !dma_valid_direction(dir) ||
	    (attrs & ~DMA_ATTR_KNOWN))
		return -EINVAL;
	dma_debug_checkpoint();

	state->src = *view;
	state->dir = dir;
	state->attrs = attrs;
	if (!dev_is_dma_coherent(dev)) {
		/* Its cache maintenance, now or at sync, needs RAM. */
		ret = dma_view_check_ram(view);
		if (ret)
			return ret;
		state->flags |= DMA_MAP_F_NONCOHERENT;
	}
	state->path = dma_dev_path(dev);

	switch (state->path) {
	case DMA_PATH_IOMMU:
		ret = iommu_dma_map_physr(dev, state);
		break;
	case DMA_PATH_DIRECT:
	case DMA_PATH_BYPASS:
		ret = dma_direct_map_physr(dev, state);
		break;
	default:
		ret = -EIO;
		break;
	}
	if (ret) {
		if (state->nr_providers)
			dma_state_release_providers(state);
		if (!(attrs & DMA_ATTR_NO_WARN))
			pr_debug("dma: %s: mapping %llu bytes failed: %d\n",
				 dev_name(dev),
				 (unsigned long long)physr_view_len(view), ret);
		return ret;
	}

	if ((state->flags & DMA_MAP_F_NONCOHERENT) &&
	    !(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		dma_state_sync(state, 0, U64_MAX, dir, false, false, true);
	state->dev = dev;
	debug_dma_map_physr(state, caller);
	return 0;
}

/**
 * dma_map_physr() - map a range list for a device
 * @dev: the device
 * @list: the ranges; not written, and must stay unchanged until unmapped
 * @dir: DMA_TO_DEVICE (the device reads), DMA_FROM_DEVICE (it writes) or
 *	DMA_BIDIRECTIONAL
 * @attrs: DMA_ATTR_SKIP_CPU_SYNC, DMA_ATTR_NO_WARN
 * @state: filled in; @state->dma is the DMA list to give the device
 *
 * On the IOMMU path the list gets one IOVA allocation below the device's
 * DMA mask and maps into it back to back (P2P ranges the device reaches
 * by bus address excepted): one DMA range when every inner boundary of
 * the list is page aligned.  On the direct path each range maps to its
 * physical address (P2P: by pci_p2pdma_map_type()), and RAM beyond the
 * DMA mask bounces through swiotlb.  Either way the DMA list iterates in
 * segments that honour the device's max segment size and segment
 * boundary.
 *
 * A range without a P2P provider must be RAM.  Where the CPU is to touch
 * it (a bounce; cache maintenance for a non-coherent device) that is
 * checked; elsewhere it is not, as upstream does not vet a physical
 * address it only hands to the device.
 *
 * Return: 0; -EINVAL for a NULL device or state, a NULL or empty list,
 * a bad direction, unknown attributes, a range with a P2P provider that
 * is not that provider's memory (reported), or a range without a P2P
 * provider that is not RAM and is to be bounced or belongs to a
 * non-coherent device's mapping; -EIO when the device cannot reach a
 * range and it cannot be bounced (P2P beyond the mask, no bounce pool
 * within it, no DMA path); -EREMOTEIO for P2P memory the device may not
 * reach; -ENODEV for P2P memory of a device that was removed
 * (docs/dma.md: the mapping holds the providers of its P2P ranges until
 * unmapped, so the device may be removed under it, but not before it);
 * -ENOMEM when IOVA space, bounce slots or memory run out.  On error
 * nothing stays mapped or allocated and @state (if not NULL) is not a
 * mapping (dma_map_state_mapped() is false), whatever it held before.
 */
noinline int dma_map_physr(struct device *dev, const struct physr_list *list,
			   enum dma_data_direction dir, unsigned long attrs,
			   struct dma_map_state *state)
{
	struct physr_view view;

	dma_map_state_reset(state);
	if (!list || physr_list_empty(list))
		return -EINVAL;
	if (physr_list_slice(list, 0, physr_list_len(list), &view))
		return -EINVAL;
	return dma_map_view(dev, &view, dir, attrs, state, _RET_IP_);
}
EXPORT_SYMBOL_GPL(dma_map_physr);

/**
 * dma_map_physr_view() - map a slice of a range list
 * @dev: the device
 * @view: the slice (physr_list_slice()); its list must stay unchanged
 *	until unmapped
 * @dir: DMA direction
 * @attrs: DMA_ATTR_*
 * @state: filled in
 *
 * As dma_map_physr(), for the ranges of @view as trimmed by it.
 *
 * Return: as dma_map_physr().
 */
noinline int dma_map_physr_view(struct device *dev,
				const struct physr_view *view,
				enum dma_data_direction dir,
				unsigned long attrs,
				struct dma_map_state *state)
{
	dma_map_state_reset(state);
	if (!view || !physr_view_len(view))
		return -EINVAL;
	return dma_map_view(dev, view, dir, attrs, state, _RET_IP_);
}
EXPORT_SYMBOL_GPL(dma_map_physr_view);

/**
 * dma_unmap_physr() - undo a mapping
 * @dev: the device it was mapped for
 * @state: the mapping
 * @dir: the direction it was mapped with
 * @attrs: DMA_ATTR_SKIP_CPU_SYNC leaves out the copies back from bounce
 *	slots and the cache maintenance
 *
 * Hands the memory back to the CPU (copies bounced ranges back and
 * invalidates the caches of a non-coherent device, by direction), then
 * unmaps: IOVA unmapped with one IOTLB invalidation and freed, bounce
 * slots freed; then the P2P providers the mapping held are put (the last
 * put of a removed device frees it).  The sanitizer reports a state that is not mapped (which
 * is then left alone) and a device or direction other than the mapping's
 * (the mapping's own are used, so an invalid @dir such as DMA_NONE still
 * unmaps, by the mapping's direction).
 */
noinline void dma_unmap_physr(struct device *dev, struct dma_map_state *state,
			      enum dma_data_direction dir, unsigned long attrs)
{
	bool cache;

	if (!debug_dma_unmap_physr(dev, state, dir, _RET_IP_))
		return;
	if (!state || WARN_ON(!state->dev))
		return;
	cache = state->flags & DMA_MAP_F_NONCOHERENT;
	/* A revoked mapping's memory may be gone: nothing is copied back. */
	if (!(attrs & DMA_ATTR_SKIP_CPU_SYNC) &&
	    !(state->flags & DMA_MAP_F_REVOKED))
		dma_state_sync(state, 0, U64_MAX, state->dir, true, true,
			       cache);
	if (state->path == DMA_PATH_IOMMU)
		iommu_dma_unmap_physr(state);
	else
		dma_direct_unmap_physr(state);
	/* Last: the provider (and its removed device) may go with it. */
	if (state->nr_providers)
		dma_state_release_providers(state);
	state->dev = NULL;
}
EXPORT_SYMBOL_GPL(dma_unmap_physr);

/*
 * Is the DMA range @r reached only through what the mapping keeps
 * reserved after a revoke: its IOVA, or its bounce slots?
 */
static bool dma_state_range_fenced(const struct dma_map_state *state,
				   const struct dma_range *r)
{
	const struct dma_iova_state *iova = &state->iova;
	dma_addr_t pos = r->addr, end = r->addr + r->len;
	u32 i;

	if (dma_use_iova(iova))
		return r->addr >= iova->addr &&
		       r->addr - iova->addr + r->len <= iova->__size;
	/* Adjacent slots may make one DMA range: cover it slot by slot. */
	while (pos < end) {
		for (i = 0; i < state->nr_bounce; i++) {
			const struct dma_bounce *b = &state->bounce[i];

			if (pos >= b->tlb && pos - b->tlb < b->len)
				break;
		}
		if (i == state->nr_bounce)
			return false;
		pos = state->bounce[i].tlb + state->bounce[i].len;
	}
	return true;
}

/* Does every range of @state go through what a revoke fences? */
static bool dma_state_all_fenced(const struct dma_map_state *state)
{
	struct dma_list_iter di;
	struct dma_range r;

	dma_list_iter_init(&di, &state->dma);
	di.max_seg = U64_MAX;
	di.seg_mask = U64_MAX;
	while (dma_list_iter_next(&di, &r))
		if (!dma_state_range_fenced(state, &r))
			return false;
	return true;
}

/**
 * dma_revoke_physr() - take a mapping's memory away from its device now,
 *	keeping its DMA addresses reserved until it is unmapped
 * @dev: the device it was mapped for
 * @state: the mapping
 *
 * For the owner of memory that someone else mapped and does not unmap in
 * time (the DMA-buf core after a move or revoke): the device must stop
 * reaching the memory now, while the mapping's user still holds @state
 * (and may read @state->dma) and a late DMA must not land in whatever
 * the addresses would map next.  So the IOMMU translations go (one
 * invalidation: the device's DMA to them faults), the P2P providers are
 * put, and nothing is copied back from bounce slots any more; the IOVA,
 * the bounce slots and @state->dma stay until dma_unmap_physr(), which
 * then only frees them.  Syncs of a revoked mapping do nothing.  The
 * sanitizer reports the device's accesses to it.
 *
 * Ranges reached without a translation (RAM by physical address on the
 * direct path, P2P memory by bus address) cannot be taken away: the
 * memory must then stay allocated until dma_unmap_physr().
 *
 * Return: 0 if the device can no longer reach the memory; -EBUSY if some
 * of it is still reached without a translation; -EINVAL if @state is
 * not a live mapping, or one revoked already.
 */
noinline int dma_revoke_physr(struct device *dev, struct dma_map_state *state)
{
	if (!debug_dma_revoke_physr(dev, state, _RET_IP_))
		return -EINVAL;
	if (!state || WARN_ON(!state->dev) ||
	    (state->flags & DMA_MAP_F_REVOKED))
		return -EINVAL;
	if (state->path == DMA_PATH_IOMMU)
		iommu_dma_revoke_physr(state);
	state->flags |= DMA_MAP_F_REVOKED;
	if (state->nr_providers)
		dma_state_release_providers(state);
	return dma_state_all_fenced(state) ? 0 : -EBUSY;
}
EXPORT_SYMBOL_GPL(dma_revoke_physr);

/* Common to both directions of sync. */
static void dma_sync(struct device *dev, struct dma_map_state *state,
		     u64 offset, u64 len, enum dma_data_direction dir,
		     bool for_cpu, unsigned long caller)
{
	if (!debug_dma_sync_physr(dev, state, offset, len, dir, for_cpu,
				  caller))
		return;
	if (!state || WARN_ON(!state->dev) || !dma_valid_direction(dir) ||
	    (state->flags & DMA_MAP_F_REVOKED))
		return;
	dma_state_sync(state, offset, len, dir, for_cpu, true,
		       state->flags & DMA_MAP_F_NONCOHERENT);
}

/**
 * dma_sync_physr_range_for_cpu() - give part of a mapping to the CPU
 * @dev: the device it is mapped for
 * @state: the mapping
 * @offset: first byte, into the mapped list
 * @len: bytes (U64_MAX: to the end)
 * @dir: the mapping's direction
 *
 * After the device wrote: bounced ranges are copied back from their
 * slots, a non-coherent device's ranges invalidated in the CPU's cache,
 * both unless @dir is DMA_TO_DEVICE.  The sanitizer reports a state not
 * mapped, a direction other than the mapping's and a part beyond its
 * end.  A @dir that is no direction at all (DMA_NONE) does nothing, not
 * even change who owns the buffer: like upstream's the sync calls return
 * nothing, so the sanitizer's mismatch report is what tells.
 */
noinline void dma_sync_physr_range_for_cpu(struct device *dev,
					   struct dma_map_state *state,
					   u64 offset, u64 len,
					   enum dma_data_direction dir)
{
	dma_sync(dev, state, offset, len, dir, true, _RET_IP_);
}
EXPORT_SYMBOL_GPL(dma_sync_physr_range_for_cpu);

/**
 * dma_sync_physr_for_cpu() - give a whole mapping to the CPU
 * @dev: the device it is mapped for
 * @state: the mapping
 * @dir: the mapping's direction
 *
 * dma_sync_physr_range_for_cpu() over all of the mapping.
 */
noinline void dma_sync_physr_for_cpu(struct device *dev,
				     struct dma_map_state *state,
				     enum dma_data_direction dir)
{
	dma_sync(dev, state, 0, U64_MAX, dir, true, _RET_IP_);
}
EXPORT_SYMBOL_GPL(dma_sync_physr_for_cpu);

/**
 * dma_sync_physr_range_for_device() - give part of a mapping back to the
 *	device
 * @dev: the device it is mapped for
 * @state: the mapping
 * @offset: first byte, into the mapped list
 * @len: bytes (U64_MAX: to the end)
 * @dir: the mapping's direction
 *
 * After the CPU wrote: bounced ranges are copied to their slots unless
 * @dir is DMA_FROM_DEVICE, and a non-coherent device's ranges cleaned
 * from the CPU's cache.  Reports as dma_sync_physr_range_for_cpu().
 */
noinline void dma_sync_physr_range_for_device(struct device *dev,
					      struct dma_map_state *state,
					      u64 offset, u64 len,
					      enum dma_data_direction dir)
{
	dma_sync(dev, state, offset, len, dir, false, _RET_IP_);
}
EXPORT_SYMBOL_GPL(dma_sync_physr_range_for_device);

/**
 * dma_sync_physr_for_device() - give a whole mapping back to the device
 * @dev: the device it is mapped for
 * @state: the mapping
 * @dir: the mapping's direction
 *
 * dma_sync_physr_range_for_device() over all of the mapping.
 */
noinline void dma_sync_physr_for_device(struct device *dev,
					struct dma_map_state *state,
					enum dma_data_direction dir)
{
	dma_sync(dev, state, 0, U64_MAX, dir, false, _RET_IP_);
}
EXPORT_SYMBOL_GPL(dma_sync_physr_for_device);

/* ---- the two-step IOVA API ------------------------------------------------ */

/**
 * dma_iova_try_alloc() - reserve IOVA for a transfer
 * @dev: the device
 * @state: filled in; zeroed when this fails
 * @phys: physical address of the first byte that will be linked (only
 *	its offset in the page matters)
 * @size: bytes that will be linked
 *
 * Only for a device behind an IOMMU in a DMA domain; the others fall back
 * to dma_map_physr().  __dma_iova_try_alloc() (drivers/iommu/dma-iommu.c)
 * does the work and says more.
 *
 * Return: true if @state now holds IOVA (dma_use_iova()).
 */
noinline bool dma_iova_try_alloc(struct device *dev,
				 struct dma_iova_state *state,
				 phys_addr_t phys, size_t size)
{
	return __dma_iova_try_alloc(dev, state, phys, size, _RET_IP_);
}
EXPORT_SYMBOL_GPL(dma_iova_try_alloc);

/**
 * dma_iova_link() - map a physical range into an IOVA
 * @dev: the device
 * @state: from dma_iova_try_alloc()
 * @phys: first physical address (RAM, or P2P memory the device reaches
 *	through the host bridge)
 * @offset: where it goes, in bytes from @state->addr
 * @size: bytes
 * @dir: DMA direction
 * @attrs: DMA_ATTR_SKIP_CPU_SYNC: no cache maintenance
 *
 * No IOTLB invalidation: call dma_iova_sync() after the last link.  See
 * __dma_iova_link() for the rules.
 *
 * Return: 0; -EINVAL for bad arguments or a range outside the
 * allocation; -EIO for an unaligned start at a non-zero offset; -EEXIST
 * if part of it is linked; -ENOMEM.  On error nothing was linked.
 */
noinline int dma_iova_link(struct device *dev, struct dma_iova_state *state,
			   phys_addr_t phys, size_t offset, size_t size,
			   enum dma_data_direction dir, unsigned long attrs)
{
	return __dma_iova_link(dev, state, phys, offset, size, dir, attrs,
			       _RET_IP_);
}
EXPORT_SYMBOL_GPL(dma_iova_link);

/**
 * dma_iova_link_physr() - map a range list into an IOVA
 * @dev: the device
 * @state: from dma_iova_try_alloc()
 * @view: the ranges, linked back to back; every inner boundary page
 *	aligned, every range reached through the IOMMU
 * @offset: where the first byte goes, in bytes from @state->addr
 * @dir: DMA direction
 * @attrs: DMA_ATTR_SKIP_CPU_SYNC: no cache maintenance
 *
 * dma_iova_link() for a whole view, in one batched page-table pass; see
 * __dma_iova_link_physr().
 *
 * Return: as dma_iova_link(); -EINVAL also for an inner boundary inside
 * a page or P2P memory the device reaches by bus address; -EREMOTEIO for
 * P2P memory it may not reach; -ENODEV for P2P memory of a removed
 * device.  On error nothing was linked.
 */
noinline int dma_iova_link_physr(struct device *dev,
				 struct dma_iova_state *state,
				 const struct physr_view *view, size_t offset,
				 enum dma_data_direction dir,
				 unsigned long attrs)
{
	return __dma_iova_link_physr(dev, state, view, offset, dir, attrs,
				     _RET_IP_);
}
EXPORT_SYMBOL_GPL(dma_iova_link_physr);

/**
 * dma_iova_sync() - make links visible to the device
 * @dev: the device
 * @state: the IOVA state
 * @offset: first byte linked since the last sync
 * @size: bytes
 *
 * One IOTLB invalidation over the range, whatever the number of links.
 *
 * Return: 0, or -EINVAL for a range outside the allocation.
 */
noinline int dma_iova_sync(struct device *dev, struct dma_iova_state *state,
			   size_t offset, size_t size)
{
	return __dma_iova_sync(dev, state, offset, size, _RET_IP_);
}
EXPORT_SYMBOL_GPL(dma_iova_sync);

/**
 * dma_iova_unlink() - unmap part of an IOVA
 * @dev: the device
 * @state: the IOVA state
 * @offset: start of what was linked
 * @size: its bytes: exactly what one or more links mapped
 * @dir: the links' direction
 * @attrs: DMA_ATTR_SKIP_CPU_SYNC: no cache maintenance
 *
 * Hands the memory to the CPU, unmaps with one IOTLB invalidation, keeps
 * the IOVA allocated.  The sanitizer reports an unlink that matches no
 * links (and skips it); a state without IOVA, a zero size or a range
 * outside the allocation WARNs every time and does nothing.
 */
noinline void dma_iova_unlink(struct device *dev, struct dma_iova_state *state,
			      size_t offset, size_t size,
			      enum dma_data_direction dir, unsigned long attrs)
{
	__dma_iova_unlink(dev, state, offset, size, dir, attrs, _RET_IP_);
}
EXPORT_SYMBOL_GPL(dma_iova_unlink);

/**
 * dma_iova_free() - give the IOVA of a state back
 * @dev: the device
 * @state: the IOVA state; everything linked must have been unlinked
 *
 * Links still live are a caller bug: a WARN (and a sanitizer report),
 * and every page still mapped in the IOVA is unmapped before the IOVA is
 * freed, so freed IOVA never translates.  The state is empty afterwards.
 */
noinline void dma_iova_free(struct device *dev, struct dma_iova_state *state)
{
	__dma_iova_free(dev, state, _RET_IP_);
}
EXPORT_SYMBOL_GPL(dma_iova_free);

/**
 * dma_iova_destroy() - unlink everything and free
 * @dev: the device
 * @state: the IOVA state
 * @mapped_len: bytes linked from offset 0, without holes (0: nothing)
 * @dir: the links' direction
 * @attrs: DMA_ATTR_SKIP_CPU_SYNC: no cache maintenance
 *
 * One unmap and one invalidation for [0, @mapped_len), then the IOVA is
 * freed.  A @mapped_len that is not what was linked (short of it, over a
 * hole) is a WARN (and a sanitizer report), and all that is still mapped
 * in the IOVA is unmapped before it is freed.
 */
noinline void dma_iova_destroy(struct device *dev,
			       struct dma_iova_state *state,
			       size_t mapped_len, enum dma_data_direction dir,
			       unsigned long attrs)
{
	__dma_iova_destroy(dev, state, mapped_len, dir, attrs, _RET_IP_);
}
EXPORT_SYMBOL_GPL(dma_iova_destroy);

/* ---- boot ---------------------------------------------------------------- */

/**
 * dma_init() - bring the DMA API up
 *
 * Called by machine_boot() after the IOMMU core: allocates the bounce
 * pool and starts the sanitizer (if it is enabled).
 *
 * Return: 0, or -ENOMEM (nothing left allocated).
 */
int dma_init(void)
{
	int ret;

	ret = swiotlb_init();
	if (ret)
		return ret;
	ret = dma_debug_init();
	if (ret)
		goto out_swiotlb;
	return 0;

out_swiotlb:
	swiotlb_exit();
	return ret;
}

/**
 * dma_exit() - take the DMA API down
 *
 * The sanitizer reports mappings still live (every device's teardown),
 * then the bounce pool is freed.
 */
void dma_exit(void)
{
	dma_debug_exit();
	swiotlb_exit();
}
