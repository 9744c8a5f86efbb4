// SPDX-License-Identifier: GPL-2.0
/*
 * struct dma_list: the device side of a mapping.  <linux/dma-list.h> says
 * what users see; this file is how the DMA API builds one.
 *
 * Storage.  A DMA list is one inline range (SINGLE), a range list of its
 * own holding DMA addresses (OWN: the range-list engine of lib/physr.c,
 * so ranges cost 8 bytes when page aligned and adjacent ranges merge), or
 * a view of the mapped range list itself (SHARED) when every DMA address
 * equals its physical address.  Only the DMA API makes them.
 *
 * Segments.  Iteration cuts each stored range at the device's limits,
 * captured when the mapping is made: a segment is at most max_seg bytes
 * and does not cross a multiple of seg_mask + 1 (seg_mask is 2^n - 1).
 * A range is cut at each boundary first, then each piece into max_seg
 * runs from its start: this is the fewest segments that honour both.
 * dma_seg_count() counts them without iterating, so nr_segs is exact and
 * costs O(boundaries crossed) per range.
 *
 * Conventions: lengths in bytes, never zero; ends exclusive (addr + len),
 * which cannot wrap for a stored range.
 */
#include <linux/bug.h>
#include <linux/dma-map-ops.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/string.h>

static const struct physr_list dma_list_none = PHYSR_LIST_INIT;

/**
 * dma_seg_count() - segments a DMA range is cut into
 * @addr: first DMA address
 * @len: bytes, > 0
 * @max_seg: longest segment, > 0
 * @seg_mask: a segment may not cross a multiple of @seg_mask + 1; 2^n - 1
 *
 * Return: the number of segments dma_list_iter_next() returns for the
 * range.
 */
u64 dma_seg_count(dma_addr_t addr, u64 len, u64 max_seg, u64 seg_mask)
{
	u64 n = 0, room, piece, rem;

	/* The common case: one segment. */
	if (len <= max_seg && len - 1 <= seg_mask - (addr & seg_mask))
		return 1;
	while (len) {
		room = seg_mask - (addr & seg_mask);
		piece = len - 1 > room ? room + 1 : len;
		n += div64_u64_rem(piece, max_seg, &rem) + !!rem;
		if (piece == len)
			break;
		addr += piece;
		len -= piece;
	}
	return n;
}

/**
 * dma_list_init() - make a DMA list empty
 * @dl: the list
 */
void dma_list_init(struct dma_list *dl)
{
	memset(dl, 0, sizeof(*dl));
	dl->kind = DMA_LIST_EMPTY;
	dl->max_seg = U64_MAX;
	dl->seg_mask = U64_MAX;
}

/**
 * dma_list_set_single() - make an empty DMA list one inline range
 * @dl: the list, empty
 * @addr: first DMA address
 * @len: bytes, > 0
 */
void dma_list_set_single(struct dma_list *dl, dma_addr_t addr, u64 len)
{
	WARN_ON(dl->kind != DMA_LIST_EMPTY);
	dl->kind = DMA_LIST_SINGLE;
	dl->single.addr = addr;
	dl->single.len = len;
	dl->len = len;
}

/**
 * dma_list_append() - append a range to a DMA list of its own
 * @dl: the list, empty or built by this function
 * @addr: first DMA address
 * @len: bytes, > 0
 * @gfp: flags for the storage the list may allocate (DMA_GFP on the
 *	mapping paths)
 *
 * A range that starts where the last one ends merges with it.
 *
 * Return: 0, or the error of physr_list_append() (-ENOMEM, -EOVERFLOW)
 * with the list unchanged.
 */
int dma_list_append(struct dma_list *dl, dma_addr_t addr, u64 len, gfp_t gfp)
{
	int ret;

	if (WARN_ON(dl->kind != DMA_LIST_EMPTY && dl->kind != DMA_LIST_OWN))
		return -EINVAL;
	ret = physr_list_append(&dl->own, (phys_addr_t)addr, len, gfp);
	if (ret)
		return ret;
	dl->kind = DMA_LIST_OWN;
	dl->len += len;
	return 0;
}

/**
 * dma_list_set_shared() - make an empty DMA list the mapped list itself
 * @dl: the list, empty
 * @view: the mapped ranges, whose DMA addresses are their physical ones
 */
void dma_list_set_shared(struct dma_list *dl, const struct physr_view *view)
{
	WARN_ON(dl->kind != DMA_LIST_EMPTY);
	dl->kind = DMA_LIST_SHARED;
	dl->shared = *view;
	dl->len = physr_view_len(view);
}

/**
 * dma_list_finish() - apply a device's segment limits to a built list
 * @dl: the list
 * @dev: the device
 * @nr_segs: the segment count if the caller counted it (SHARED lists,
 *	whose ranges it walked anyway); 0 to have it counted here
 */
void dma_list_finish(struct dma_list *dl, const struct device *dev,
		     u64 nr_segs)
{
	struct dma_list_iter di;
	struct dma_range r;

	dl->max_seg = dma_get_max_seg_size(dev);
	dl->seg_mask = dma_get_seg_boundary(dev);
	if (nr_segs) {
		dl->nr_segs = nr_segs;
		return;
	}
	/* Count stored ranges, not segments: iterate without the limits. */
	dma_list_iter_init(&di, dl);
	di.max_seg = U64_MAX;
	di.seg_mask = U64_MAX;
	while (dma_list_iter_next(&di, &r))
		nr_segs += dma_seg_count(r.addr, r.len, dl->max_seg,
					 dl->seg_mask);
	dl->nr_segs = nr_segs;
}

/**
 * dma_list_destroy() - free what a DMA list holds and make it empty
 * @dl: the list
 */
void dma_list_destroy(struct dma_list *dl)
{
	if (dl->kind == DMA_LIST_OWN)
		physr_list_destroy(&dl->own);
	dma_list_init(dl);
}

/**
 * dma_list_iter_init() - start iterating over the segments of a DMA list
 * @di: the iterator
 * @dl: the list
 */
void dma_list_iter_init(struct dma_list_iter *di, const struct dma_list *dl)
{
	di->rest.addr = 0;
	di->rest.len = 0;
	di->max_seg = dl->max_seg;
	di->seg_mask = dl->seg_mask;
	switch (dl->kind) {
	case DMA_LIST_SINGLE:
		physr_iter_init(&di->it, &dma_list_none);
		di->rest = dl->single;
		break;
	case DMA_LIST_OWN:
		physr_iter_init(&di->it, &dl->own);
		break;
	case DMA_LIST_SHARED:
		physr_iter_init_view(&di->it, &dl->shared);
		break;
	default:
		physr_iter_init(&di->it, &dma_list_none);
		break;
	}
}
EXPORT_SYMBOL_GPL(dma_list_iter_init);

/**
 * dma_list_first_addr() - DMA address of a list's first byte
 * @dl: the list
 *
 * For the common case of a one-range list: tell the device this address
 * and dma_list_len().
 *
 * Return: the address, or 0 for an empty list.
 */
dma_addr_t dma_list_first_addr(const struct dma_list *dl)
{
	struct dma_list_iter di;
	struct dma_range r;

	dma_list_iter_init(&di, dl);
	return dma_list_iter_next(&di, &r) ? r.addr : 0;
}
EXPORT_SYMBOL_GPL(dma_list_first_addr);
