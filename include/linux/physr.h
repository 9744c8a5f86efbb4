/* SPDX-License-Identifier: GPL-2.0 */
/*
 * physr: lists of physical address ranges.
 *
 * A range list describes memory by physical address, not by struct page:
 * system RAM and PCI BAR memory alike.  It is what a scatterlist is for
 * the CPU side, without the DMA fields, without struct page and at about a
 * quarter of the size.  docs/physr.md teaches the API; lib/physr.c holds
 * the encoding.
 *
 * Everything below "Internals" is visible only so that iteration can be
 * inlined; users must not depend on it.
 */
#ifndef _LINUX_PHYSR_H
#define _LINUX_PHYSR_H

#include <linux/types.h>
#include <linux/bits.h>
#include <linux/cache.h>
#include <linux/compiler.h>
#include <linux/gfp_types.h>
#include <linux/prefetch.h>
#include <asm/page.h>

struct page;
struct p2pdma_provider;

/**
 * struct physr - one physical address range
 * @addr: first byte
 * @len: length in bytes, never zero in a range list
 */
struct physr {
	phys_addr_t addr;
	u64 len;
};

struct physr_chunk;

/**
 * struct physr_list - a list of physical address ranges
 *
 * Initialise with physr_list_init() or PHYSR_LIST_INIT, fill with
 * physr_list_append() and friends, release with physr_list_destroy().  All
 * fields are private.  A list is not locked: build it from one thread, then
 * read it from as many as you like.
 */
struct physr_list {
	/* private: */
	struct physr_chunk *head;
	struct physr_chunk *tail;
	u64 *last;			/* first word of the last entry */
	phys_addr_t last_end;		/* end of the last entry */
	struct p2pdma_provider *provider; /* provider of the last run */
	bool has_p2p;			/* some range has a provider */
	u64 nr_ranges;
	u64 len;
	size_t heap_bytes;
};

#define PHYSR_LIST_INIT	((struct physr_list){ 0 })

/* The longest range one append takes: 2^61 - 1 bytes. */
#define PHYSR_MAX_LEN	((1ULL << 61) - 1)

/**
 * struct physr_view - a window onto part of a range list
 *
 * Made by physr_list_slice(); iterated like the list itself.  A view
 * copies nothing and stays valid while its list is neither appended to
 * nor destroyed.  Fields are private.
 */
struct physr_view {
	/* private: */
	const struct physr_chunk *chunk;
	u32 word;
	bool has_p2p;			/* its list's, when sliced */
	struct p2pdma_provider *provider;
	u64 skip;
	u64 len;
};

/**
 * struct physr_iter - cursor over the ranges of a list or view
 *
 * Fields are private; physr_iter_provider() tells which provider the range
 * last returned belongs to.
 */
struct physr_iter {
	/* private: */
	const u64 *pos;
	const u64 *end;
	const struct physr_chunk *chunk;
	struct p2pdma_provider *provider;
	u64 skip;
	u64 remaining;
};

/**
 * struct physr_block_iter - cursor over a list in fixed-size blocks
 *
 * Fields are private.
 */
struct physr_block_iter {
	/* private: */
	struct physr_iter it;
	struct physr cur;
	u64 block_mask;
};

/**
 * struct physr_list_mark - a point a list can be rolled back to
 *
 * Taken by physr_list_mark(); see physr_list_rollback().  Fields are
 * private.
 */
struct physr_list_mark {
	/* private: */
	struct physr_list list;
	u32 tail_words;
	u64 tail_len;
	u64 last_word;
};

/**
 * physr_list_init() - make a list empty
 * @list: the list; must not hold chunks (a new or destroyed list)
 *
 * The same as assigning PHYSR_LIST_INIT.  An empty list allocates
 * nothing until its first append.
 */
static inline void physr_list_init(struct physr_list *list)
{
	*list = PHYSR_LIST_INIT;
}

/**
 * physr_list_nr_ranges() - number of ranges in a list
 * @list: the list
 *
 * Physically adjacent ranges of one provider count once: this is the
 * number of ranges iteration returns.
 *
 * Return: the number of ranges.
 */
static inline u64 physr_list_nr_ranges(const struct physr_list *list)
{
	return list->nr_ranges;
}

/**
 * physr_list_len() - total bytes described by a list
 * @list: the list
 *
 * Return: the sum of the lengths of its ranges.
 */
static inline u64 physr_list_len(const struct physr_list *list)
{
	return list->len;
}

/**
 * physr_list_heap_bytes() - heap memory the list holds
 * @list: the list
 *
 * Return: the bytes of every chunk allocated for the list, headers
 * included.
 */
static inline size_t physr_list_heap_bytes(const struct physr_list *list)
{
	return list->heap_bytes;
}

/**
 * physr_list_empty() - does the list describe no memory?
 * @list: the list
 *
 * Return: true if it holds no range.
 */
static inline bool physr_list_empty(const struct physr_list *list)
{
	return list->nr_ranges == 0;
}

/**
 * physr_list_has_p2p() - may any range of a list be P2P memory?
 * @list: the list
 *
 * Answered without reading the list: true once a range with a provider
 * was appended (and not rolled back).
 *
 * Return: false if every range is RAM.
 */
static inline bool physr_list_has_p2p(const struct physr_list *list)
{
	return list->has_p2p;
}

/**
 * physr_view_may_have_p2p() - may any range of a view be P2P memory?
 * @view: the view
 *
 * Answered without reading the list: false when the view's list had no
 * range with a provider when it was sliced, so none of the view's has
 * one; true otherwise, although the slice itself may hold only RAM
 * (iterate with physr_iter_provider() to know).
 *
 * Return: false if every range of the view is RAM.
 */
static inline bool physr_view_may_have_p2p(const struct physr_view *view)
{
	return view->has_p2p;
}

/**
 * physr_view_len() - bytes described by a view
 * @view: the view
 *
 * Return: the length the view was sliced with.
 */
static inline u64 physr_view_len(const struct physr_view *view)
{
	return view->len;
}

int physr_list_append(struct physr_list *list, phys_addr_t addr, u64 len,
		      gfp_t gfp);
int physr_list_append_p2p(struct physr_list *list,
			  struct p2pdma_provider *provider,
			  phys_addr_t addr, u64 len, gfp_t gfp);
int physr_list_from_pages(struct physr_list *list, struct page **pages,
			  unsigned long nr_pages, unsigned long offset,
			  u64 size, gfp_t gfp);
void physr_list_destroy(struct physr_list *list);
int physr_list_slice(const struct physr_list *list, u64 offset, u64 len,
		     struct physr_view *view);
void physr_list_mark(const struct physr_list *list,
		     struct physr_list_mark *mark);
void physr_list_rollback(struct physr_list *list,
			 const struct physr_list_mark *mark);

void physr_iter_init(struct physr_iter *it, const struct physr_list *list);
void physr_iter_init_view(struct physr_iter *it,
			  const struct physr_view *view);
bool __physr_iter_next(struct physr_iter *it, struct physr *range);
void physr_block_iter_init(struct physr_block_iter *bi,
			   const struct physr_list *list, u64 block_size);
void physr_block_iter_init_view(struct physr_block_iter *bi,
				const struct physr_view *view, u64 block_size);
bool physr_block_iter_next(struct physr_block_iter *bi, struct physr *block);

/*
 * Internals.  An entry is one or two 64-bit words:
 *
 *   compact  bit 63 = 0: bits 0-39 PFN, bits 40-61 page count - 1,
 *            bit 62 (MORE) set when the next entry continues this range
 *   long     bit 63 = 1, bit 61 = 0: bits 0-60 length, bit 62 MORE;
 *            the next word is the address
 *   provider bit 63 = 1, bit 61 = 1: the next word is the provider of the
 *            entries that follow
 *
 * lib/physr.c explains when each is used.
 */
#define __PHYSR_TAG_LONG	BIT_ULL(63)
#define __PHYSR_MORE		BIT_ULL(62)
#define __PHYSR_TAG_PROVIDER	BIT_ULL(61)
#define __PHYSR_PFN_BITS	40
#define __PHYSR_PFN_MASK	((1ULL << __PHYSR_PFN_BITS) - 1)
#define __PHYSR_NPAGES_BITS	22

struct physr_chunk {
	struct physr_chunk *next;
	struct p2pdma_provider *provider;	/* in force at words[0] */
	u64 len;				/* bytes of its entries */
	u32 nr_words;
	u32 capacity;				/* in words */
	u64 words[];
};

/**
 * physr_iter_next() - advance to the next range
 * @it: the iterator
 * @range: filled with the range
 *
 * Return: false when there are no more ranges.
 */
static __always_inline bool physr_iter_next(struct physr_iter *it,
					    struct physr *range)
{
	if (likely(it->pos < it->end)) {
		u64 w = *it->pos;
		u64 len = ((w >> __PHYSR_PFN_BITS) + 1) << PAGE_SHIFT;

		/*
		 * The common case: a lone compact entry well inside the
		 * window.  The first range of a view, the last one, and
		 * every other encoding take the out-of-line path.
		 */
		if (likely(!(w & (__PHYSR_TAG_LONG | __PHYSR_MORE)) &&
			   len < it->remaining)) {
			it->pos++;
			it->remaining -= len;
			range->addr = (w & __PHYSR_PFN_MASK) << PAGE_SHIFT;
			range->len = len;
			return true;
		}
	}
	return __physr_iter_next(it, range);
}

/*
 * Start reading a chunk's entries ahead of use: chunks are separate
 * allocations, which the hardware's stream prefetchers do not follow
 * from one to the next.  The first few lines are enough for them to pick
 * up the sequential stream inside the chunk.
 */
#define __PHYSR_PREFETCH_LINES	4

static inline void __physr_prefetch_chunk(const struct physr_chunk *chunk)
{
	const char *p, *end;
	unsigned int i;

	if (!chunk)
		return;
	p = (const char *)chunk->words;
	end = (const char *)(chunk->words + chunk->nr_words);
	for (i = 0; i < __PHYSR_PREFETCH_LINES && p < end;
	     i++, p += L1_CACHE_BYTES)
		prefetch(p);
}

unsigned int __physr_bulk_copy(const u64 *pos, unsigned int n, u64 *out,
			       u64 mask, u64 want, u64 bits);

/**
 * physr_iter_next_bulk() - take ranges of one size in bulk
 * @it: the iterator
 * @len: the size wanted: a power-of-two number of pages, at most 2^21
 * @out: receives, for each range taken, its address ORed with @bits
 * @max: room in @out
 * @bits: ORed into each address stored (0 for plain addresses); must not
 *	overlap an address that is a multiple of @len
 *
 * For loops that turn many small ranges into one thing each, such as
 * writing the IOMMU leaves of a list of scattered pages or folios: takes
 * the ranges ahead, in order, for as long as each is exactly @len bytes
 * at an address that is a multiple of @len, and stores them.  It stops at
 * the first other range (or encoding: a provider switch, a range of
 * several entries), and before the last range of the list or view, so
 * physr_iter_next() returns whatever it did not take.  Each entry is read
 * once and decoded with a mask and a shift; each store is a single 64-bit
 * WRITE_ONCE(), so @out may be memory that others read concurrently.  It
 * goes on from chunk to chunk, reading each next chunk ahead, since the
 * hardware's prefetchers do not follow separate allocations.
 *
 * Return: the number of ranges taken (0 is always allowed).
 */
static __always_inline unsigned int
physr_iter_next_bulk(struct physr_iter *it, u64 len, u64 *out,
		     unsigned int max, u64 bits)
{
	u64 npages = len >> PAGE_SHIFT;
	u64 want = (npages - 1) << __PHYSR_PFN_BITS;
	u64 mask = ~__PHYSR_PFN_MASK | (npages - 1);
	const struct physr_chunk *chunk = it->chunk;
	const u64 *pos = it->pos, *end = it->end;
	unsigned int taken = 0, i, n;
	u64 fit;

	if (unlikely(it->skip || !it->remaining || pos >= end ||
		     !npages || (npages & (npages - 1)) ||
		     npages > (1ULL << (__PHYSR_NPAGES_BITS - 1))))
		return 0;
	if (pos - chunk->words < 8)
		__physr_prefetch_chunk(chunk->next);
	/* Stay strictly inside the window, like the inline step. */
	fit = (it->remaining - 1) / len;
	if (fit > max)
		fit = max;
	for (;;) {
		n = fit - taken;
		if (n > (u64)(end - pos))
			n = end - pos;
		i = __physr_bulk_copy(pos, n, out + taken, mask, want, bits);
		pos += i;
		taken += i;
		if (i < n || taken == fit || !chunk->next)
			break;
		/* The next chunk goes on with the provider in force. */
		chunk = chunk->next;
		pos = chunk->words;
		end = pos + chunk->nr_words;
		__physr_prefetch_chunk(chunk->next);
	}
	it->chunk = chunk;
	it->pos = pos;
	it->end = end;
	it->remaining -= (u64)taken * len;
	return taken;
}

/**
 * physr_iter_provider() - provider of the range last returned
 * @it: the iterator
 *
 * Return: the P2P provider, or NULL for system RAM.
 */
static inline struct p2pdma_provider *
physr_iter_provider(const struct physr_iter *it)
{
	return it->provider;
}

/**
 * physr_block_iter_provider() - provider of the block last returned
 * @bi: the block iterator
 *
 * Return: the P2P provider, or NULL for system RAM.
 */
static inline struct p2pdma_provider *
physr_block_iter_provider(const struct physr_block_iter *bi)
{
	return bi->it.provider;
}

/**
 * physr_for_each() - iterate over the ranges of a list
 * @list: the list
 * @it: a struct physr_iter
 * @range: a struct physr, set to each range in turn
 */
#define physr_for_each(list, it, range)					\
	for (physr_iter_init(it, list); physr_iter_next(it, range);)

/**
 * physr_view_for_each() - iterate over the ranges of a view
 * @view: the view
 * @it: a struct physr_iter
 * @range: a struct physr, set to each range in turn, trimmed to the view
 */
#define physr_view_for_each(view, it, range)				\
	for (physr_iter_init_view(it, view); physr_iter_next(it, range);)

/**
 * physr_for_each_block() - iterate over a list in fixed-size blocks
 * @list: the list
 * @bi: a struct physr_block_iter
 * @block_size: a power of two
 * @block: a struct physr, set to each piece of each range that lies within
 *	one naturally aligned block of @block_size
 */
#define physr_for_each_block(list, bi, block_size, block)		\
	for (physr_block_iter_init(bi, list, block_size);		\
	     physr_block_iter_next(bi, block);)

#endif /* _LINUX_PHYSR_H */
