/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Buffers of RAM with a chosen physical layout, for tests, the demo and
 * the benchmarks: the page arrays that a scatterlist or a range list is
 * built from, with known fragmentation.
 *
 * A buffer is an array of struct page pointers, one per 4 KiB page, in
 * buffer order.  Its layout says how those pages sit in physical memory:
 *
 *   MM_LAYOUT_CONTIG     one physically contiguous run (made of the
 *                        largest aligned folios it holds, 1 GiB at most
 *                        each); more than 1 GiB needs adjacent free
 *                        1 GiB blocks
 *   MM_LAYOUT_FOLIO_2M   2 MiB folios in random order; the next folio in
 *                        buffer order never starts where the previous one
 *                        ends, so every folio is its own range (a size
 *                        that is not a multiple of 2 MiB uses the start
 *                        of the last folio; the buffer holds all of it)
 *   MM_LAYOUT_PAGE_4K    4 KiB pages in random order; the next page never
 *                        follows the previous one physically, so every
 *                        page is its own range
 *   MM_LAYOUT_RANDOM_4K  4 KiB pages in random order, no guarantee:
 *                        neighbours may happen to be adjacent
 *
 * "Adjacent" means: pfn(next) == pfn(last page of previous) + 1, the case
 * in which a range list or scatterlist would merge the two.  The random
 * order is a function of the seed alone (given the same allocator state),
 * so a run can be reproduced.
 */
#ifndef _LINUX_MM_LAYOUT_H
#define _LINUX_MM_LAYOUT_H

#include <linux/types.h>
#include <linux/gfp_types.h>

struct page;

enum mm_layout {
	MM_LAYOUT_CONTIG,
	MM_LAYOUT_FOLIO_2M,
	MM_LAYOUT_PAGE_4K,
	MM_LAYOUT_RANDOM_4K,
	MM_NR_LAYOUTS,
};

/**
 * struct mm_buffer - a buffer of RAM pages with a known layout
 * @size: length in bytes, as asked for
 * @nr_pages: entries in @pages: DIV_ROUND_UP(@size, PAGE_SIZE)
 * @pages: the pages, in buffer order; each is (part of) a folio the
 *	buffer holds one reference to
 * @layout: how the pages are laid out
 * @seed: the seed the order was drawn from
 *
 * Read the fields; do not change them.  Release with mm_buffer_free().
 */
struct mm_buffer {
	u64 size;
	unsigned long nr_pages;
	struct page **pages;
	enum mm_layout layout;
	u64 seed;
};

struct mm_buffer *mm_buffer_alloc(u64 size, enum mm_layout layout, u64 seed,
				  gfp_t gfp);
void mm_buffer_free(struct mm_buffer *buf);

int mm_buffer_write(const struct mm_buffer *buf, u64 offset, const void *src,
		    u64 len);
int mm_buffer_read(const struct mm_buffer *buf, u64 offset, void *dst,
		   u64 len);
void mm_buffer_fill(const struct mm_buffer *buf, u64 seed);
s64 mm_buffer_check(const struct mm_buffer *buf, u64 seed);
unsigned long mm_buffer_nr_runs(const struct mm_buffer *buf);

const char *mm_layout_name(enum mm_layout layout);
int mm_layout_parse(const char *name, enum mm_layout *layout);

#endif /* _LINUX_MM_LAYOUT_H */
