/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DMA lists: the device side of a mapping (kernel/dma/list.c).
 *
 * dma_map_physr() turns a range list (struct physr_list, CPU physical
 * addresses) into a struct dma_list: the (DMA address, length) ranges the
 * device must be told about, in the order of the range list.  It is the
 * DMA half of a scatterlist, kept apart from the CPU half, so one range
 * list can be mapped for many devices at once.
 *
 * A DMA list is read-only for its users, and its ranges come out of
 * iteration already cut to the device's limits: no segment is longer than
 * the device's max segment size, and none crosses a multiple of its
 * segment boundary mask + 1.  dma_list_nr_ranges() counts those segments.
 * Behind the API the list is stored in one of three ways, chosen by the
 * DMA API and invisible to users:
 *
 *  - one range held inline (the usual result of an IOMMU mapping: the
 *    whole list at one IOVA): no allocation at all;
 *  - a range list of its own, holding DMA addresses in the range-list
 *    encoding (the same engine as struct physr_list, never mixed with one:
 *    its "physical" addresses are DMA addresses);
 *  - the mapped range list itself, when every DMA address equals its
 *    physical address (direct mapping of RAM the device reaches, P2P
 *    through the host bridge without an IOMMU): nothing is copied, and
 *    the mapped list must stay unchanged while mapped, which the DMA API
 *    requires anyway.
 *
 * Everything in the structures below is private; only the accessors and
 * the iterator are API.
 */
#ifndef _LINUX_DMA_LIST_H
#define _LINUX_DMA_LIST_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/physr.h>

/**
 * struct dma_range - one range of DMA addresses
 * @addr: the first DMA address (IOVA, bus or physical address: what the
 *	device emits)
 * @len: bytes, never zero
 */
struct dma_range {
	dma_addr_t addr;
	u64 len;
};

enum dma_list_kind {
	DMA_LIST_EMPTY,
	DMA_LIST_SINGLE,	/* @single */
	DMA_LIST_OWN,		/* @own */
	DMA_LIST_SHARED,	/* @shared: the mapped list, DMA == physical */
};

/**
 * struct dma_list - the DMA ranges of a mapping
 *
 * Made by the DMA API inside struct dma_map_state; read it with
 * dma_list_for_each() and the accessors.  All fields are private.
 */
struct dma_list {
	/* private: */
	u8 kind;
	struct dma_range single;
	struct physr_list own;
	struct physr_view shared;
	u64 len;
	u64 nr_segs;
	u64 max_seg;
	u64 seg_mask;
};

/**
 * struct dma_list_iter - cursor over the segments of a DMA list
 *
 * Fields are private.
 */
struct dma_list_iter {
	/* private: */
	struct physr_iter it;
	struct dma_range rest;
	u64 max_seg;
	u64 seg_mask;
};

/**
 * dma_list_len() - bytes a DMA list maps
 * @dl: the list
 */
static inline u64 dma_list_len(const struct dma_list *dl)
{
	return dl->len;
}

/**
 * dma_list_nr_ranges() - number of segments iteration returns
 * @dl: the list
 */
static inline u64 dma_list_nr_ranges(const struct dma_list *dl)
{
	return dl->nr_segs;
}

/**
 * dma_list_heap_bytes() - heap memory the DMA list holds itself
 * @dl: the list
 *
 * 0 for one inline range and for a list that is the mapped range list.
 */
static inline size_t dma_list_heap_bytes(const struct dma_list *dl)
{
	return dl->kind == DMA_LIST_OWN ? physr_list_heap_bytes(&dl->own) : 0;
}

void dma_list_iter_init(struct dma_list_iter *di, const struct dma_list *dl);

/**
 * dma_list_iter_next() - the next segment of a DMA list
 * @di: the iterator
 * @seg: filled with the segment
 *
 * Return: false when there are no more.
 */
static __always_inline bool dma_list_iter_next(struct dma_list_iter *di,
					       struct dma_range *seg)
{
	u64 len, room;

	if (!di->rest.len) {
		struct physr r;

		if (!physr_iter_next(&di->it, &r))
			return false;
		di->rest.addr = r.addr;
		di->rest.len = r.len;
	}
	len = di->rest.len;
	if (len > di->max_seg)
		len = di->max_seg;
	/* Bytes from addr to the last byte before the next boundary, - 1. */
	room = di->seg_mask - (di->rest.addr & di->seg_mask);
	if (len - 1 > room)
		len = room + 1;
	seg->addr = di->rest.addr;
	seg->len = len;
	di->rest.addr += len;
	di->rest.len -= len;
	return true;
}

/**
 * dma_list_for_each() - iterate over the segments of a DMA list
 * @dl: the list
 * @di: a struct dma_list_iter
 * @seg: a struct dma_range, set to each segment in turn
 */
#define dma_list_for_each(dl, di, seg)					\
	for (dma_list_iter_init(di, dl); dma_list_iter_next(di, seg);)

dma_addr_t dma_list_first_addr(const struct dma_list *dl);

#endif /* _LINUX_DMA_LIST_H */
