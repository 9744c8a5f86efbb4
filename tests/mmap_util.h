/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the address-space and GUP suites (tests/mmap_test.c,
 * tests/gup_test.c): making an mm that the case releases even when it
 * aborts, looking at what the page table maps, and checking reference
 * and pin counts against what the mappings alone explain.
 */
#ifndef _TESTS_MMAP_UTIL_H
#define _TESTS_MMAP_UTIL_H

#include <kunit/test.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/mm_struct.h>
#include <linux/pgtable.h>
#include <linux/sizes.h>

static void mm_user_put_action(void *mm)
{
	mmput(mm);
}

/* An mm released when the case ends. */
static inline struct mm_struct *mm_user_alloc(struct kunit *test)
{
	struct mm_struct *mm = mm_alloc();

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, mm_user_put_action,
							mm), 0);
	return mm;
}

/* Release @mm now rather than at the end of the case. */
static inline void mm_user_put(struct kunit *test, struct mm_struct *mm)
{
	kunit_release_action(test, mm_user_put_action, mm);
}

/* vm_mmap() that must succeed. */
static inline unsigned long mm_user_map(struct kunit *test,
					struct mm_struct *mm,
					unsigned long hint, unsigned long len,
					vm_flags_t prot, enum vm_kind kind)
{
	unsigned long addr = vm_mmap(mm, hint, len, prot, kind);

	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR_VALUE(addr), "vm_mmap: %ld",
			       (long)addr);
	return addr;
}

/* The leaf mapping @addr: its entry (0 if none) and level. */
static inline pt_entry_t mm_user_leaf(struct mm_struct *mm,
				      unsigned long addr, int *level)
{
	pt_entry_t e;
	int l;

	mmap_read_lock(mm);
	e = READ_ONCE(*pt_lookup(mm, addr, &l));
	mmap_read_unlock(mm);
	if (level)
		*level = l;
	return pt_present(e) ? e : 0;
}

/* Physical address of user byte @addr, or ~0 if not present. */
static inline phys_addr_t mm_user_phys(struct mm_struct *mm,
				       unsigned long addr)
{
	int level;
	pt_entry_t e = mm_user_leaf(mm, addr, &level);

	if (!e)
		return ~0ULL;
	return PFN_PHYS(pt_pfn(e)) + (addr & (pt_size(level) - 1));
}

/* The folio backing user byte @addr, or NULL (none, or special). */
static inline struct folio *mm_user_folio(struct mm_struct *mm,
					  unsigned long addr)
{
	int level;
	pt_entry_t e = mm_user_leaf(mm, addr, &level);

	if (!e || pt_special(e))
		return NULL;
	return pfn_folio(PHYS_PFN(mm_user_phys(mm, addr)));
}

/* References the page-table mappings of @folio hold on it. */
static inline int mm_user_mapping_refs(struct folio *folio)
{
	unsigned long i;
	int refs;

	if (!folio_test_large(folio))
		return atomic_read(&folio->_mapcount);
	refs = atomic_read(&folio->_entire_mapcount);
	for (i = 0; i < folio_nr_pages(folio); i++)
		refs += atomic_read(&folio_page(folio, i)->_mapcount);
	return refs;
}

/*
 * Check every folio backing the user range [start, start + len): it
 * holds exactly @pins pins for each of its pages the range touches, and
 * no other reference than those and its mappings'.  @pins 0 checks that
 * nothing is pinned.  Every page of the range must be present.
 */
static inline void mm_user_expect_pins(struct kunit *test,
				       struct mm_struct *mm,
				       unsigned long start, unsigned long len,
				       unsigned int pins)
{
	unsigned long addr = start & PAGE_MASK;
	unsigned long end = start + len;

	while (addr < end) {
		struct folio *folio = mm_user_folio(mm, addr);
		unsigned long n = 0;
		int refs;

		KUNIT_ASSERT_NOT_NULL_MSG(test, folio, "no folio at %#lx", addr);
		/* Pages of this folio the range touches, from @addr on. */
		while (addr < end && mm_user_folio(mm, addr) == folio) {
			n++;
			addr += PAGE_SIZE;
		}
		refs = mm_user_mapping_refs(folio);
		if (folio_test_large(folio)) {
			KUNIT_EXPECT_EQ_MSG(test, atomic_read(&folio->_pincount),
					    (int)(n * pins), "folio at %#lx",
					    addr - n * PAGE_SIZE);
			KUNIT_EXPECT_EQ_MSG(test, folio_ref_count(folio),
					    refs + (int)(n * pins),
					    "folio at %#lx",
					    addr - n * PAGE_SIZE);
		} else {
			KUNIT_EXPECT_EQ_MSG(test, folio_ref_count(folio),
					    refs + (int)(pins *
							 GUP_PIN_COUNTING_BIAS),
					    "page at %#lx", addr - PAGE_SIZE);
		}
		KUNIT_EXPECT_EQ(test, folio_maybe_dma_pinned(folio), pins > 0);
	}
}

#endif /* _TESTS_MMAP_UTIL_H */
