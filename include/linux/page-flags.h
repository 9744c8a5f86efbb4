/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page and folio flags, and the compound (folio) structure of the memmap.
 *
 * Flags live in the flags word of a folio's head page; the page variants
 * (PageDirty() and friends) look up the folio first.  The atomic setters
 * (folio_set_dirty()) may race with each other; the __ variants are for a
 * folio nobody else can see yet (being allocated or freed).
 */
#ifndef _LINUX_PAGE_FLAGS_H
#define _LINUX_PAGE_FLAGS_H

#include <linux/types.h>
#include <linux/bitops.h>
#include <linux/compiler.h>
#include <linux/mm_types.h>

/**
 * enum pageflags - bits of struct page::flags
 * @PG_locked: folio locked (owner is doing I/O or changing its identity)
 * @PG_referenced: recently accessed
 * @PG_uptodate: contents are valid
 * @PG_dirty: contents changed since last written back; set by whoever
 *	wrote the memory (a CPU, or a device through a DMA pin)
 * @PG_lru: on an LRU list
 * @PG_head: head page of a large folio (order >= 1)
 * @PG_reserved: never handed to the page allocator
 * @PG_private: @private holds owner data
 * @PG_writeback: being written back
 * @PG_buddy: heads a free block in the buddy allocator; page->private is
 *	its order (upstream encodes this as a page type, we keep a flag)
 * @__NR_PAGEFLAGS: number of flags
 */
enum pageflags {
	PG_locked,
	PG_referenced,
	PG_uptodate,
	PG_dirty,
	PG_lru,
	PG_head,
	PG_reserved,
	PG_private,
	PG_writeback,
	PG_buddy,
	__NR_PAGEFLAGS,
};

/* The folio order sits in the low byte of page[1]'s flags. */
#define FOLIO_ORDER_MASK	0xffUL

/**
 * compound_head() - the head page of the folio @page belongs to
 * @page: any page
 *
 * Return: @page itself for a head or order-0 page, else its head.
 */
static __always_inline struct page *compound_head(const struct page *page)
{
	unsigned long head = READ_ONCE(page->compound_head);

	if (unlikely(head & 1))
		return (struct page *)(head - 1);
	return (struct page *)page;
}

static __always_inline bool PageTail(const struct page *page)
{
	return READ_ONCE(page->compound_head) & 1;
}

static __always_inline bool PageHead(const struct page *page)
{
	return test_bit(PG_head, &page->flags);
}

/* Part of a large folio (head or tail)? */
static __always_inline bool PageCompound(const struct page *page)
{
	return PageHead(page) || PageTail(page);
}

/**
 * page_folio() - the folio a page belongs to
 * @p: any page, head or tail
 *
 * O(1): a tail page points at its head.
 */
#define page_folio(p)	((struct folio *)compound_head(p))

/**
 * folio_page() - the @n'th page of a folio
 * @folio: the folio
 * @n: page index, 0 to folio_nr_pages() - 1
 */
#define folio_page(folio, n)	(&(folio)->page + (n))

/* Free-block marker, for the page allocator and its tests. */
static __always_inline bool PageBuddy(const struct page *page)
{
	return test_bit(PG_buddy, &page->flags);
}

static __always_inline bool PageReserved(const struct page *page)
{
	return test_bit(PG_reserved, &page->flags);
}

/*
 * FOLIO_FLAG(name, bit) defines, for a folio:
 *   folio_test_name()  folio_set_name()  folio_clear_name()  (atomic)
 *   folio_test_set_name()  folio_test_clear_name()           (atomic)
 *   __folio_set_name()  __folio_clear_name()                 (non-atomic)
 * and the page forms PageName(), SetPageName(), ClearPageName(), which act
 * on the page's folio.
 */
#define FOLIO_FLAG(lname, uname, bit)					\
static __always_inline bool folio_test_##lname(const struct folio *folio) \
{ return test_bit(bit, &folio->flags); }				\
static __always_inline void folio_set_##lname(struct folio *folio)	\
{ set_bit(bit, &folio->flags); }					\
static __always_inline void folio_clear_##lname(struct folio *folio)	\
{ clear_bit(bit, &folio->flags); }					\
static __always_inline bool folio_test_set_##lname(struct folio *folio)	\
{ return test_and_set_bit(bit, &folio->flags); }			\
static __always_inline bool folio_test_clear_##lname(struct folio *folio) \
{ return test_and_clear_bit(bit, &folio->flags); }			\
static __always_inline void __folio_set_##lname(struct folio *folio)	\
{ __set_bit(bit, &folio->flags); }					\
static __always_inline void __folio_clear_##lname(struct folio *folio)	\
{ __clear_bit(bit, &folio->flags); }					\
static __always_inline bool Page##uname(const struct page *page)	\
{ return folio_test_##lname(page_folio(page)); }			\
static __always_inline void SetPage##uname(struct page *page)		\
{ folio_set_##lname(page_folio(page)); }				\
static __always_inline void ClearPage##uname(struct page *page)	\
{ folio_clear_##lname(page_folio(page)); }

FOLIO_FLAG(locked, Locked, PG_locked)
FOLIO_FLAG(referenced, Referenced, PG_referenced)
FOLIO_FLAG(uptodate, Uptodate, PG_uptodate)
FOLIO_FLAG(dirty, Dirty, PG_dirty)
FOLIO_FLAG(lru, LRU, PG_lru)
FOLIO_FLAG(private, Private, PG_private)
FOLIO_FLAG(writeback, Writeback, PG_writeback)

#undef FOLIO_FLAG

/**
 * folio_test_large() - does the folio have more than one page?
 * @folio: the folio
 *
 * Return: true for order >= 1; only then do the page[1] fields exist.
 */
static __always_inline bool folio_test_large(const struct folio *folio)
{
	return test_bit(PG_head, &folio->flags);
}

#endif /* _LINUX_PAGE_FLAGS_H */
