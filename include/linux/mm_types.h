/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct page and struct folio: the memmap's descriptors of RAM.
 *
 * One struct page exists for each 4 KiB page frame of RAM, in a flat,
 * virtually contiguous array indexed by PFN (see <linux/mm.h>).  A struct
 * page is exactly 64 bytes so that page_to_pfn() is a subtraction and a
 * shift.
 *
 * A folio is a naturally aligned power-of-two run of pages allocated
 * together: a head page followed by 2^order - 1 tail pages.  struct folio
 * is not an object of its own; it is a second way of reading the head
 * struct page *and the one after it*:
 *
 *   page[0]  flags, lru, mapping, index, private, _mapcount, _refcount:
 *            the same words as the head struct page, under the same names.
 *   page[1]  (large folios only, i.e. order >= 1) the first tail page.  Its
 *            word 0 (_flags_1) carries the folio order in its low byte;
 *            word 1 (_head_1) is its compound_head, as in every tail; the
 *            words after that, which a tail page does not use, hold the
 *            folio-wide counters: _entire_mapcount, _pincount and
 *            _folio_nr_pages.  The tail's own _mapcount and _refcount
 *            (bytes 48-55) are left alone and stay 0.
 *
 * Upstream spreads folio metadata over page[1] and page[2]; we need no
 * more than page[1], so every large folio, order 1 included, has room for
 * it.  A small (order-0) folio is just its page: nothing may touch
 * page[1], which belongs to someone else, hence every page[1] field is
 * read only after folio_test_large().
 *
 * A tail page finds its head in O(1): compound_head has bit 0 set and
 * holds the head's address.  compound_head shares its word with lru.next,
 * which is a pointer and so has bit 0 clear in any page that is not a
 * tail.
 *
 * Zero is a valid initial state.  All the counters are zero-based
 * (_mapcount 0 means unmapped, unlike upstream's -1 bias), so a struct
 * page that was never written — the memmap is zero-filled memory — reads
 * as "not a tail, no flags, no references".  That is what lets the page
 * allocator leave the memmap untouched until a page is actually used.
 */
#ifndef _LINUX_MM_TYPES_H
#define _LINUX_MM_TYPES_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/build_bug.h>
#include <linux/stddef.h>

struct address_space;
struct dev_pagemap;

/**
 * struct page - descriptor of one 4 KiB page frame of RAM
 * @flags: PG_* bits (<linux/page-flags.h>); for a folio, only the head's
 *	word counts
 * @lru: free list linkage while the page heads a free buddy block; owner's
 *	list linkage while allocated
 * @mapping: owner's address space (later: page cache, anon)
 * @index: offset within @mapping, in pages
 * @private: buddy allocator: order of the free block this page heads;
 *	otherwise free for the owner
 * @pgmap: in a device page (ZONE_DEVICE): its struct dev_pagemap, in the
 *	word that upstream (6.12) keeps it in, lru's first
 * @zone_device_data: in a device page: free for the pagemap's owner
 * @compound_head: in a tail page: address of the head page, plus 1
 * @_mapcount: number of page-table mappings of this page (0 = none)
 * @_refcount: references; use the folio_ref_*() helpers
 * @__reserved: keeps the struct at 64 bytes
 */
struct page {
	unsigned long flags;
	union {
		struct {
			struct list_head lru;
			struct address_space *mapping;
			pgoff_t index;
			unsigned long private;
		};
		struct {
			struct dev_pagemap *pgmap;
			void *zone_device_data;
		};
		struct {
			unsigned long compound_head;
		};
	};
	atomic_t _mapcount;
	atomic_t _refcount;
	unsigned long __reserved;
};

static_assert(sizeof(struct page) == 64);

/**
 * struct folio - a set of physically contiguous pages allocated together
 * @flags: the head page's flags
 * @lru: the head page's list linkage
 * @mapping: the head page's owner
 * @index: offset within @mapping, in pages
 * @private: owner data
 * @_mapcount: the head page's mapcount
 * @_refcount: the folio's references (the head page's counter)
 * @__reserved: as in struct page
 * @page: the head page itself
 * @_flags_1: first tail's flags word: low byte = folio order
 * @_head_1: first tail's compound_head
 * @_entire_mapcount: mappings of the folio as a whole (PMD and larger)
 * @_pincount: DMA pins (FOLL_PIN) of a large folio
 * @_folio_nr_pages: 2^order
 * @__page_1: the first tail page itself
 *
 * See the comment at the top of this file for the layout.  Only fields
 * above @page exist in a small folio.
 */
struct folio {
	union {
		struct {
			unsigned long flags;
			struct list_head lru;
			struct address_space *mapping;
			pgoff_t index;
			void *private;
			atomic_t _mapcount;
			atomic_t _refcount;
			unsigned long __reserved;
		};
		struct page page;
	};
	union {
		struct {
			unsigned long _flags_1;
			unsigned long _head_1;
			atomic_t _entire_mapcount;
			atomic_t _pincount;
			unsigned int _folio_nr_pages;
		};
		struct page __page_1;
	};
};

#define FOLIO_MATCH(pg, fl)						\
	static_assert(offsetof(struct page, pg) == offsetof(struct folio, fl))
FOLIO_MATCH(flags, flags);
FOLIO_MATCH(lru, lru);
FOLIO_MATCH(mapping, mapping);
FOLIO_MATCH(index, index);
FOLIO_MATCH(private, private);
FOLIO_MATCH(_mapcount, _mapcount);
FOLIO_MATCH(_refcount, _refcount);
FOLIO_MATCH(__reserved, __reserved);
#undef FOLIO_MATCH

#define FOLIO_MATCH_1(pg, fl)						\
	static_assert(offsetof(struct folio, fl) ==			\
		      offsetof(struct page, pg) + sizeof(struct page))
FOLIO_MATCH_1(flags, _flags_1);
FOLIO_MATCH_1(compound_head, _head_1);
#undef FOLIO_MATCH_1

/* The folio-wide counters must not reach the tail's own counters. */
static_assert(offsetofend(struct folio, _folio_nr_pages) <=
	      sizeof(struct page) + offsetof(struct page, _mapcount));
static_assert(sizeof(struct folio) == 2 * sizeof(struct page));

#endif /* _LINUX_MM_TYPES_H */
