// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of pin_user_physr() and unpin_user_physr() (mm/gup.c): every VMA
 * kind, ranges that start and end inside folios, exact pin and reference
 * counts, dirtying, fault-in (the bytes a process writes are found at the
 * list's physical addresses, and the other way round), every error and
 * what it must leave behind (nothing pinned, the list as it was),
 * allocation failures, and pinned folios outliving munmap and mmput.
 *
 * The default machine is booted once for the suite.  Counts are checked
 * with mm_user_expect_pins(): each folio holds its mappings' references
 * plus exactly the pins the ranges explain.
 */
#include <kunit/fail_nth.h>
#include <kunit/test.h>
#include <linux/fault-inject.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/mm_struct.h>
#include <linux/pci-p2pdma.h>
#include <linux/pgtable.h>
#include <linux/physr.h>
#include <linux/sizes.h>
#include <linux/uaccess.h>

#include "arch/sim/boot.h"
#include "tests/mmap_util.h"

#define RW	(VM_READ | VM_WRITE)

static int gup_suite_init(struct kunit_suite *suite __always_unused)
{
	return machine_boot(NULL);
}

static void gup_suite_exit(struct kunit_suite *suite __always_unused)
{
	machine_shutdown();
}

/* The kinds of pinnable memory, with the size of their folios. */
struct gup_kind {
	const char *desc;
	enum vm_kind kind;
	unsigned long folio;
};

static const struct gup_kind gup_kinds[] = {
	{ "anon", VM_KIND_ANON, PAGE_SIZE },
	{ "thp", VM_KIND_THP, SZ_2M },
	{ "hugetlb_2m", VM_KIND_HUGETLB_2M, SZ_2M },
};
KUNIT_ARRAY_PARAM_DESC(gup_kinds, gup_kinds, desc);

static void gup_touch(struct kunit *test, struct mm_struct *mm,
		      unsigned long addr, unsigned long len)
{
	unsigned long a;
	u8 v = 0xee;

	for (a = addr & PAGE_MASK; a < addr + len; a += PAGE_SIZE)
		KUNIT_ASSERT_EQ(test, copy_to_user(mm, a, &v, 1), 0UL);
}

/*
 * The part of @list from byte @offset on describes exactly the user
 * bytes [start, start + len) of @mm, in order, as system RAM.
 */
static void gup_expect_maps(struct kunit *test, struct physr_list *list,
			    u64 offset, struct mm_struct *mm,
			    unsigned long start, unsigned long len)
{
	struct physr_view view;
	struct physr_iter it;
	struct physr r, prev = { 0 };
	unsigned long u = start;

	KUNIT_ASSERT_EQ(test, physr_list_len(list), offset + len);
	KUNIT_ASSERT_EQ(test, physr_list_slice(list, offset, len, &view), 0);
	physr_view_for_each(&view, &it, &r) {
		u64 done = 0;

		KUNIT_EXPECT_NULL(test, physr_iter_provider(&it));
		/* Merged: a range never starts where the previous ends. */
		if (prev.len)
			KUNIT_EXPECT_NE(test, prev.addr + prev.len, r.addr);
		while (done < r.len) {
			u64 chunk = min_t(u64, r.len - done,
					  PAGE_SIZE - (u & ~PAGE_MASK));

			KUNIT_ASSERT_EQ_MSG(test, mm_user_phys(mm, u),
					    r.addr + done, "user %#lx", u);
			u += chunk;
			done += chunk;
		}
		prev = r;
	}
	KUNIT_EXPECT_EQ(test, u, start + len);
}

/* What a list looked like, to check that a failed call left it alone. */
struct gup_list_snap {
	u64 nr_ranges;
	u64 len;
	size_t heap_bytes;
	unsigned int n;
	struct physr r[8];
};

static void gup_snap(const struct physr_list *list, struct gup_list_snap *s)
{
	struct physr_iter it;
	struct physr r;

	memset(s, 0, sizeof(*s));
	s->nr_ranges = physr_list_nr_ranges(list);
	s->len = physr_list_len(list);
	s->heap_bytes = physr_list_heap_bytes(list);
	physr_for_each(list, &it, &r)
		if (s->n < ARRAY_SIZE(s->r))
			s->r[s->n++] = r;
}

static bool gup_list_unchanged(struct kunit *test,
			       const struct physr_list *list,
			       const struct gup_list_snap *s)
{
	struct gup_list_snap now;
	unsigned int i;

	gup_snap(list, &now);
	KUNIT_EXPECT_EQ(test, now.nr_ranges, s->nr_ranges);
	KUNIT_EXPECT_EQ(test, now.len, s->len);
	KUNIT_EXPECT_EQ(test, now.heap_bytes, s->heap_bytes);
	KUNIT_EXPECT_EQ(test, now.n, s->n);
	for (i = 0; i < s->n && i < now.n; i++) {
		KUNIT_EXPECT_EQ(test, now.r[i].addr, s->r[i].addr);
		KUNIT_EXPECT_EQ(test, now.r[i].len, s->r[i].len);
	}
	return !memcmp(&now, s, sizeof(now));
}

/* Pin [start, start + len) into @list, which must succeed. */
static void gup_pin(struct kunit *test, struct mm_struct *mm,
		    unsigned long start, unsigned long len,
		    unsigned int flags, struct physr_list *list)
{
	KUNIT_ASSERT_EQ(test, pin_user_physr(mm, start, len, flags, list), 0);
}

/* Unpin @list: then nothing in [start, start + len) of @mm is pinned. */
static void gup_unpin(struct kunit *test, struct mm_struct *mm,
		      unsigned long start, unsigned long len, bool dirty,
		      struct physr_list *list)
{
	unpin_user_physr(list, dirty);
	mm_user_expect_pins(test, mm, start, len, 0);
}

/*
 * Fault in the @nr blocks of @step bytes at @addr, odd ones first, then
 * even ones.  Whether the allocator hands out rising or falling
 * addresses, no block then follows its neighbour physically (for @nr >=
 * 4), so each is a run of its own: a pin appends and pins it before it
 * walks on, and an error later in the walk has pins to undo.  Pages
 * touched in order are usually one run, which a failing call never
 * appends, so its error path would have nothing to unpin.
 */
static void gup_touch_scattered(struct kunit *test, struct mm_struct *mm,
				unsigned long addr, unsigned long nr,
				unsigned long step)
{
	unsigned long i;

	/* Allocate from the buddy lists, which hand out pages in order. */
	drain_all_pages(NULL);
	for (i = 1; i < nr; i += 2)
		gup_touch(test, mm, addr + i * step, 1);
	for (i = 0; i < nr; i += 2)
		gup_touch(test, mm, addr + i * step, 1);
}

/* Physically contiguous runs of the present pages [addr, addr + len). */
static unsigned long gup_phys_runs(struct mm_struct *mm, unsigned long addr,
				   unsigned long len)
{
	unsigned long a, runs = 1;

	for (a = (addr & PAGE_MASK) + PAGE_SIZE; a < addr + len; a += PAGE_SIZE)
		if (mm_user_phys(mm, a) !=
		    mm_user_phys(mm, a - PAGE_SIZE) + PAGE_SIZE)
			runs++;
	return runs;
}

/*
 * A pin across [addr, addr + len) appends and pins a run before it
 * walks past the range; otherwise a test of a later error proves nothing
 * about undoing pins.
 */
static void gup_assert_scattered(struct kunit *test, struct mm_struct *mm,
				 unsigned long addr, unsigned long len)
{
	KUNIT_ASSERT_GE_MSG(test, gup_phys_runs(mm, addr, len), 2UL,
			    "%#lx+%#lx is one physical run", addr, len);
}

/* ---- every kind ------------------------------------------------------- */

/* Pre-faulted memory, pinned from mid-folio to mid-folio, twice. */
static void gup_pin_kinds(struct kunit *test)
{
	const struct gup_kind *k = test->param_value;
	unsigned long size = max(4 * k->folio, 16 * PAGE_SIZE);
	struct physr_list a = PHYSR_LIST_INIT, b = PHYSR_LIST_INIT;
	struct mm_struct *mm = mm_user_alloc(test);
	unsigned long base, start, len;

	base = mm_user_map(test, mm, 0, size, RW, k->kind);
	gup_touch(test, mm, base, size);
	mm_user_expect_pins(test, mm, base, size, 0);

	start = base + k->folio / 2 + 123;
	len = size - k->folio - 200;
	gup_pin(test, mm, start, len, FOLL_WRITE, &a);
	gup_expect_maps(test, &a, 0, mm, start, len);
	mm_user_expect_pins(test, mm, start, len, 1);
	if (k->kind != VM_KIND_ANON)
		KUNIT_EXPECT_LE(test, physr_list_nr_ranges(&a), 4ULL);

	/* A second list pins the same folios again. */
	gup_pin(test, mm, start, len, FOLL_LONGTERM, &b);
	mm_user_expect_pins(test, mm, start, len, 2);
	unpin_user_physr(&b, false);
	KUNIT_EXPECT_TRUE(test, physr_list_empty(&b));
	mm_user_expect_pins(test, mm, start, len, 1);
	unpin_user_physr(&a, false);
	KUNIT_EXPECT_EQ(test, physr_list_heap_bytes(&a), 0UL);
	mm_user_expect_pins(test, mm, base, size, 0);
}

/* What one call adds, in numbers. */
static void gup_pin_counts(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;
	struct mm_struct *mm = mm_user_alloc(test);
	unsigned long anon, thp;
	struct folio *small, *large;

	anon = mm_user_map(test, mm, 0, PAGE_SIZE, RW, VM_KIND_ANON);
	thp = mm_user_map(test, mm, 0, SZ_2M, RW, VM_KIND_THP);
	gup_touch(test, mm, anon, PAGE_SIZE);
	gup_touch(test, mm, thp, SZ_2M);
	small = mm_user_folio(mm, anon);
	large = mm_user_folio(mm, thp);
	KUNIT_EXPECT_EQ(test, folio_ref_count(small), 1);
	KUNIT_EXPECT_EQ(test, folio_ref_count(large), 1);

	gup_pin(test, mm, anon + 10, 20, 0, &list);
	KUNIT_EXPECT_EQ(test, folio_ref_count(small),
			1 + (int)GUP_PIN_COUNTING_BIAS);
	KUNIT_EXPECT_EQ(test, folio_pincount(small), 1);
	KUNIT_EXPECT_TRUE(test, folio_maybe_dma_pinned(small));

	/* 1 byte of page 1, all of page 2, 1 byte of page 3: 3 pages. */
	gup_pin(test, mm, thp + 2 * PAGE_SIZE - 1, PAGE_SIZE + 2, 0, &list);
	KUNIT_EXPECT_EQ(test, atomic_read(&large->_pincount), 3);
	KUNIT_EXPECT_EQ(test, folio_ref_count(large), 1 + 3);
	KUNIT_EXPECT_EQ(test, physr_list_nr_ranges(&list), 2ULL);
	KUNIT_EXPECT_EQ(test, physr_list_len(&list), 20ULL + PAGE_SIZE + 2);

	unpin_user_physr(&list, false);
	KUNIT_EXPECT_EQ(test, folio_ref_count(small), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&large->_pincount), 0);
	KUNIT_EXPECT_EQ(test, folio_ref_count(large), 1);
	KUNIT_EXPECT_FALSE(test, folio_maybe_dma_pinned(large));
}

/* A 1 GiB hugetlb folio: one range, one pin operation, 262143 pins. */
static void gup_pin_1g(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;
	struct mm_struct *mm = mm_user_alloc(test);
	unsigned long base, start, len;
	struct folio *folio;

	base = mm_user_map(test, mm, 0, SZ_1G, RW, VM_KIND_HUGETLB_1G);
	start = base + PAGE_SIZE + 1;
	len = SZ_1G - PAGE_SIZE - 4;
	/* Never touched: the pin faults the 1 GiB folio in. */
	gup_pin(test, mm, start, len, FOLL_WRITE | FOLL_LONGTERM, &list);
	folio = mm_user_folio(mm, base);
	KUNIT_ASSERT_NOT_NULL(test, folio);
	KUNIT_EXPECT_EQ(test, folio_order(folio), HPAGE_PUD_ORDER);
	KUNIT_EXPECT_EQ(test, physr_list_nr_ranges(&list), 1ULL);
	gup_expect_maps(test, &list, 0, mm, start, len);
	KUNIT_EXPECT_EQ(test, atomic_read(&folio->_pincount),
			(int)HPAGE_PUD_NR - 1);
	KUNIT_EXPECT_EQ(test, folio_ref_count(folio), (int)HPAGE_PUD_NR);
	unpin_user_physr(&list, true);
	KUNIT_EXPECT_EQ(test, folio_ref_count(folio), 1);
	KUNIT_EXPECT_TRUE(test, folio_test_dirty(folio));
}

/* A THP VMA off 2 MiB alignment: 4 KiB folios at the edges. */
static void gup_pin_thp_fallback(struct kunit *test)
{
	const unsigned long hint = 0x300000200000UL + 3 * PAGE_SIZE;
	struct physr_list list = PHYSR_LIST_INIT;
	struct mm_struct *mm = mm_user_alloc(test);
	unsigned long a = mm_user_map(test, mm, hint, 3 * SZ_2M, RW,
				      VM_KIND_THP);

	KUNIT_ASSERT_EQ(test, a, hint);
	gup_pin(test, mm, a, 3 * SZ_2M, FOLL_WRITE, &list);
	KUNIT_EXPECT_EQ(test, folio_order(mm_user_folio(mm, a)), 0U);
	KUNIT_EXPECT_EQ(test, folio_order(mm_user_folio(mm, ALIGN(a, SZ_2M))),
			HPAGE_PMD_ORDER);
	KUNIT_EXPECT_EQ(test, folio_order(mm_user_folio(mm, a + 3 * SZ_2M - 1)),
			0U);
	gup_expect_maps(test, &list, 0, mm, a, 3 * SZ_2M);
	mm_user_expect_pins(test, mm, a, 3 * SZ_2M, 1);
	gup_unpin(test, mm, a, 3 * SZ_2M, false, &list);
}

/*
 * A THP that a partial munmap split: still one 2 MiB folio, now mapped
 * by PTEs, one reference each.  Pinned from its middle, it takes one pin
 * per page the range touches, on the folio's _pincount, not 1024 per
 * page as a small folio would.
 */
static void gup_pin_thp_pte_mapped(struct kunit *test)
{
	const int mapped = HPAGE_PMD_NR - 16;
	const int pins = 301;	/* pages 100 to 400 */
	struct physr_list list = PHYSR_LIST_INIT;
	struct mm_struct *mm = mm_user_alloc(test);
	unsigned long t, start, len;
	struct folio *folio;
	int level;

	t = mm_user_map(test, mm, 0, SZ_2M, RW, VM_KIND_THP);
	gup_touch(test, mm, t, SZ_2M);
	KUNIT_ASSERT_EQ(test, folio_order(mm_user_folio(mm, t)),
			HPAGE_PMD_ORDER);
	KUNIT_ASSERT_EQ(test, vm_munmap(mm, t, 16 * PAGE_SIZE), 0);
	folio = mm_user_folio(mm, t + SZ_1M);
	KUNIT_ASSERT_NOT_NULL(test, folio);
	KUNIT_ASSERT_NE(test, mm_user_leaf(mm, t + SZ_1M, &level), 0ULL);
	KUNIT_ASSERT_EQ(test, level, PT_PTE);
	KUNIT_ASSERT_EQ(test, folio_order(folio), HPAGE_PMD_ORDER);
	KUNIT_ASSERT_EQ(test, folio_ref_count(folio), mapped);

	start = t + 100 * PAGE_SIZE + 5;
	len = 300 * PAGE_SIZE;
	gup_pin(test, mm, start, len, FOLL_WRITE, &list);
	KUNIT_EXPECT_EQ(test, physr_list_nr_ranges(&list), 1ULL);
	gup_expect_maps(test, &list, 0, mm, start, len);
	KUNIT_EXPECT_EQ(test, atomic_read(&folio->_pincount), pins);
	KUNIT_EXPECT_EQ(test, folio_ref_count(folio), mapped + pins);
	mm_user_expect_pins(test, mm, start, len, 1);

	unpin_user_physr(&list, true);
	KUNIT_EXPECT_EQ(test, atomic_read(&folio->_pincount), 0);
	KUNIT_EXPECT_EQ(test, folio_ref_count(folio), mapped);
	KUNIT_EXPECT_TRUE(test, folio_test_dirty(folio));
	mm_user_expect_pins(test, mm, t + 16 * PAGE_SIZE,
			    SZ_2M - 16 * PAGE_SIZE, 0);
}

/* One call across adjacent VMAs of three kinds. */
static void gup_pin_across_vmas(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;
	struct mm_struct *mm = mm_user_alloc(test);
	unsigned long a, b, c, start, len;

	a = mm_user_map(test, mm, 0x40000000UL - 5 * PAGE_SIZE,
			5 * PAGE_SIZE, RW, VM_KIND_ANON);
	b = mm_user_map(test, mm, 0x40000000UL, SZ_2M, RW, VM_KIND_THP);
	c = mm_user_map(test, mm, 0x40200000UL, SZ_2M, VM_READ,
			VM_KIND_HUGETLB_2M);
	KUNIT_ASSERT_EQ(test, a + 5 * PAGE_SIZE, b);
	KUNIT_ASSERT_EQ(test, b + SZ_2M, c);

	start = a + PAGE_SIZE + 7;
	len = c + SZ_1M - start;
	/* c is read-only: a read pin works, a write pin does not. */
	KUNIT_EXPECT_EQ(test, pin_user_physr(mm, start, len, FOLL_WRITE, &list),
			-EFAULT);
	KUNIT_EXPECT_TRUE(test, physr_list_empty(&list));
	mm_user_expect_pins(test, mm, start, c - start, 0);
	gup_pin(test, mm, start, len, FOLL_LONGTERM, &list);
	gup_expect_maps(test, &list, 0, mm, start, len);
	mm_user_expect_pins(test, mm, start, len, 1);
	gup_unpin(test, mm, start, len, false, &list);
}

/* ---- dirtying and data ------------------------------------------------ */

static void gup_dirty(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;
	struct mm_struct *mm = mm_user_alloc(test);
	unsigned long a = mm_user_map(test, mm, 0, 4 * PAGE_SIZE, RW,
				      VM_KIND_ANON);
	unsigned long t = mm_user_map(test, mm, 0, SZ_2M, RW, VM_KIND_THP);
	unsigned long i;

	gup_touch(test, mm, a, 4 * PAGE_SIZE);
	gup_touch(test, mm, t, SZ_2M);
	gup_pin(test, mm, a, 4 * PAGE_SIZE, FOLL_WRITE, &list);
	unpin_user_physr(&list, false);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_FALSE(test, folio_test_dirty(
			mm_user_folio(mm, a + i * PAGE_SIZE)));

	gup_pin(test, mm, a + PAGE_SIZE, 2 * PAGE_SIZE, FOLL_WRITE, &list);
	gup_pin(test, mm, t + 5, 10, FOLL_WRITE, &list);
	unpin_user_physr(&list, true);
	KUNIT_EXPECT_FALSE(test, folio_test_dirty(mm_user_folio(mm, a)));
	KUNIT_EXPECT_TRUE(test, folio_test_dirty(mm_user_folio(mm, a + PAGE_SIZE)));
	KUNIT_EXPECT_TRUE(test,
			  folio_test_dirty(mm_user_folio(mm, a + 2 * PAGE_SIZE)));
	KUNIT_EXPECT_FALSE(test,
			   folio_test_dirty(mm_user_folio(mm, a + 3 * PAGE_SIZE)));
	KUNIT_EXPECT_TRUE(test, folio_test_dirty(mm_user_folio(mm, t)));
}

/* Copy @len bytes out of (or into) the physical ranges of @list. */
static void gup_list_copy(struct physr_list *list, u8 *buf, bool to_list)
{
	struct physr_iter it;
	struct physr r;

	physr_for_each(list, &it, &r) {
		if (to_list)
			memcpy(phys_to_virt(r.addr), buf, r.len);
		else
			memcpy(buf, phys_to_virt(r.addr), r.len);
		buf += r.len;
	}
}

/*
 * Never-touched memory pinned for writing is faulted in; what the process
 * writes is at the list's addresses, and what a "device" writes there the
 * process reads.
 */
static void gup_fault_in(struct kunit *test)
{
	const struct gup_kind *k = test->param_value;
	unsigned long size = max(2 * k->folio, 64 * PAGE_SIZE);
	struct physr_list list = PHYSR_LIST_INIT;
	struct mm_struct *mm = mm_user_alloc(test);
	struct mm_page_stats before, after;
	unsigned long base, start, len, i;
	u8 *src, *dst;

	base = mm_user_map(test, mm, 0, size, RW, k->kind);
	start = base + 1000;
	len = size - 3000;
	src = kunit_kmalloc(test, len, GFP_KERNEL);
	dst = kunit_kmalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, src);
	KUNIT_ASSERT_NOT_NULL(test, dst);

	mm_page_stats(&before);
	gup_pin(test, mm, start, len, FOLL_WRITE, &list);
	mm_page_stats(&after);
	/* The folios of the range, and some page tables. */
	KUNIT_EXPECT_GE(test, after.allocated_pages - before.allocated_pages,
			(u64)(ALIGN(start + len, k->folio) -
			      ALIGN_DOWN(start, k->folio)) / PAGE_SIZE);
	KUNIT_EXPECT_LE(test, after.allocated_pages - before.allocated_pages,
			(u64)(ALIGN(start + len, k->folio) -
			      ALIGN_DOWN(start, k->folio)) / PAGE_SIZE + 4);
	gup_expect_maps(test, &list, 0, mm, start, len);
	mm_user_expect_pins(test, mm, start, len, 1);

	for (i = 0; i < len; i++)
		src[i] = (u8)(i ^ (i >> 9) ^ 0x5a);
	KUNIT_ASSERT_EQ(test, copy_to_user(mm, start, src, len), 0UL);
	gup_list_copy(&list, dst, false);
	KUNIT_EXPECT_MEMEQ(test, dst, src, len);

	for (i = 0; i < len; i++)
		src[i] = (u8)(i * 13 + 1);
	gup_list_copy(&list, src, true);
	KUNIT_ASSERT_EQ(test, copy_from_user(mm, dst, start, len), 0UL);
	KUNIT_EXPECT_MEMEQ(test, dst, src, len);

	unpin_user_physr(&list, true);
	KUNIT_EXPECT_TRUE(test, folio_test_dirty(mm_user_folio(mm, start)));
	mm_user_expect_pins(test, mm, start, len, 0);
}

/* Read pins fault in too, also in read-only VMAs; FOLL_NOFAULT does not. */
static void gup_read_and_nofault(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;
	struct mm_struct *mm = mm_user_alloc(test);
	unsigned long ro = mm_user_map(test, mm, 0, 8 * PAGE_SIZE, VM_READ,
				       VM_KIND_ANON);
	unsigned long rw = mm_user_map(test, mm, 0, 8 * PAGE_SIZE, RW,
				       VM_KIND_ANON);
	unsigned long none = mm_user_map(test, mm, 0, PAGE_SIZE, VM_NONE,
					 VM_KIND_ANON);
	struct gup_list_snap snap;

	gup_snap(&list, &snap);
	KUNIT_EXPECT_EQ(test, pin_user_physr(mm, rw, 8 * PAGE_SIZE,
					     FOLL_NOFAULT, &list), -EFAULT);
	gup_list_unchanged(test, &list, &snap);
	KUNIT_EXPECT_EQ(test, mm_user_leaf(mm, rw, NULL), 0ULL);

	/*
	 * The present part, scattered, is appended and pinned run by run
	 * before the first missing page; all of it is unpinned again, and
	 * the rest is not faulted in.
	 */
	gup_touch_scattered(test, mm, rw, 4, PAGE_SIZE);
	gup_assert_scattered(test, mm, rw, 4 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, pin_user_physr(mm, rw, 8 * PAGE_SIZE,
					     FOLL_NOFAULT | FOLL_WRITE, &list),
			-EFAULT);
	gup_list_unchanged(test, &list, &snap);
	mm_user_expect_pins(test, mm, rw, 4 * PAGE_SIZE, 0);
	KUNIT_EXPECT_EQ(test, mm_user_leaf(mm, rw + 4 * PAGE_SIZE, NULL), 0ULL);
	gup_pin(test, mm, rw, 4 * PAGE_SIZE, FOLL_NOFAULT, &list);

	gup_pin(test, mm, ro + 1, 8 * PAGE_SIZE - 2, 0, &list);
	mm_user_expect_pins(test, mm, ro, 8 * PAGE_SIZE, 1);
	gup_snap(&list, &snap);
	KUNIT_EXPECT_EQ(test, pin_user_physr(mm, none, 1, 0, &list), -EFAULT);
	gup_list_unchanged(test, &list, &snap);
	gup_unpin(test, mm, ro, 8 * PAGE_SIZE, false, &list);
	mm_user_expect_pins(test, mm, rw, 4 * PAGE_SIZE, 0);
}

/* ---- errors ----------------------------------------------------------- */

static void gup_einval(struct kunit *test)
{
	static const unsigned int bad_flags[] = {
		FOLL_PIN, 0x2, 0x4, 0x40, 0x80000000u, FOLL_WRITE | 0x10000,
	};
	struct physr_list list = PHYSR_LIST_INIT;
	struct mm_struct *mm = mm_user_alloc(test);
	unsigned long a = mm_user_map(test, mm, 0, PAGE_SIZE, RW, VM_KIND_ANON);
	struct gup_list_snap snap;
	unsigned int i;

	gup_pin(test, mm, a, 100, 0, &list);
	gup_snap(&list, &snap);
	KUNIT_EXPECT_EQ(test, pin_user_physr(mm, a, 0, 0, &list), -EINVAL);
	KUNIT_EXPECT_EQ(test, pin_user_physr(mm, ULONG_MAX - 10, 100, 0, &list),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, pin_user_physr(mm, a, ULONG_MAX, 0, &list),
			-EINVAL);
	for (i = 0; i < ARRAY_SIZE(bad_flags); i++)
		KUNIT_EXPECT_EQ_MSG(test, pin_user_physr(mm, a, 100, bad_flags[i],
							 &list),
				    -EINVAL, "flags %#x", bad_flags[i]);
	gup_list_unchanged(test, &list, &snap);
	mm_user_expect_pins(test, mm, a, 100, 1);
	gup_unpin(test, mm, a, 100, false, &list);
}

/*
 * Every -EFAULT, into a list that holds a range: nothing stays pinned,
 * the list is as it was, the special pages were never touched.  Where
 * the error lies past memory that can be pinned (a hole, a THP before
 * VM_PFNMAP, writable before read-only memory), that memory is faulted
 * in scattered, so the call has appended and pinned runs of it before
 * it fails, and must undo them.
 */
static void gup_efault(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;
	struct mm_struct *mm = mm_user_alloc(test);
	struct page *pages = alloc_pages(GFP_KERNEL, 2);
	unsigned long pre, hole, ro, pfn, io, anon2, anon3, thp;
	struct gup_list_snap snap;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, pages);
	pre = mm_user_map(test, mm, 0, 4 * PAGE_SIZE, RW, VM_KIND_ANON);
	gup_pin(test, mm, pre + 17, 3 * PAGE_SIZE, FOLL_WRITE, &list);
	gup_snap(&list, &snap);

	/* A hole in the middle of the range. */
	hole = mm_user_map(test, mm, 0, 8 * PAGE_SIZE, RW, VM_KIND_ANON);
	gup_touch_scattered(test, mm, hole, 8, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, vm_munmap(mm, hole + 5 * PAGE_SIZE, PAGE_SIZE), 0);
	gup_assert_scattered(test, mm, hole + 1, 5 * PAGE_SIZE - 1);
	KUNIT_EXPECT_EQ(test, pin_user_physr(mm, hole + 1, 8 * PAGE_SIZE - 2,
					     FOLL_WRITE, &list), -EFAULT);
	gup_list_unchanged(test, &list, &snap);
	mm_user_expect_pins(test, mm, hole, 5 * PAGE_SIZE, 0);
	mm_user_expect_pins(test, mm, hole + 6 * PAGE_SIZE, 2 * PAGE_SIZE, 0);

	/* THPs, then VM_PFNMAP (RAM with struct pages), then VM_IO. */
	thp = mm_user_map(test, mm, 0x700000000000UL, 4 * SZ_2M, RW,
			  VM_KIND_THP);
	pfn = vm_mmap_pfn(mm, thp + 4 * SZ_2M, 2 * PAGE_SIZE, RW,
			  page_to_pfn(pages), VM_PFNMAP);
	io = vm_mmap_pfn(mm, pfn + 2 * PAGE_SIZE, 2 * PAGE_SIZE, RW,
			 page_to_pfn(pages + 2), VM_IO);
	anon2 = mm_user_map(test, mm, io + 2 * PAGE_SIZE, PAGE_SIZE, RW,
			    VM_KIND_ANON);
	KUNIT_ASSERT_EQ(test, pfn, thp + 4 * SZ_2M);
	KUNIT_ASSERT_EQ(test, io, pfn + 2 * PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, anon2, io + 2 * PAGE_SIZE);
	gup_touch_scattered(test, mm, thp, 4, SZ_2M);
	for (i = 0; i < 4; i++) {
		struct folio *folio = mm_user_folio(mm, thp + i * SZ_2M);

		KUNIT_ASSERT_EQ(test, folio_order(folio), HPAGE_PMD_ORDER);
	}
	gup_assert_scattered(test, mm, thp, 4 * SZ_2M);
	KUNIT_EXPECT_EQ(test, pin_user_physr(mm, thp, 4 * SZ_2M + 1,
					     FOLL_WRITE, &list), -EFAULT);
	gup_list_unchanged(test, &list, &snap);
	mm_user_expect_pins(test, mm, thp, 4 * SZ_2M, 0);
	/* These fail at their first VMA, before anything can be pinned. */
	KUNIT_EXPECT_EQ(test, pin_user_physr(mm, pfn, PAGE_SIZE, 0, &list),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, pin_user_physr(mm, io + 1, 1, FOLL_LONGTERM,
					     &list), -EFAULT);
	KUNIT_EXPECT_EQ(test, pin_user_physr(mm, io + PAGE_SIZE, 2 * PAGE_SIZE,
					     0, &list), -EFAULT);
	gup_list_unchanged(test, &list, &snap);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, page_ref_count(pages + i), i ? 0 : 1);

	/* Write to read-only memory, after writable memory. */
	anon3 = mm_user_map(test, mm, 0x710000000000UL, 4 * PAGE_SIZE, RW,
			    VM_KIND_ANON);
	ro = mm_user_map(test, mm, anon3 + 4 * PAGE_SIZE, PAGE_SIZE, VM_READ,
			 VM_KIND_ANON);
	KUNIT_ASSERT_EQ(test, ro, anon3 + 4 * PAGE_SIZE);
	gup_touch_scattered(test, mm, anon3, 4, PAGE_SIZE);
	gup_assert_scattered(test, mm, anon3, 4 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, pin_user_physr(mm, anon3, 5 * PAGE_SIZE,
					     FOLL_WRITE, &list), -EFAULT);
	gup_list_unchanged(test, &list, &snap);
	mm_user_expect_pins(test, mm, anon3, 4 * PAGE_SIZE, 0);

	/* Not mapped at all, and past the user address space. */
	KUNIT_EXPECT_EQ(test, pin_user_physr(mm, 0x720000000000UL, 1, 0, &list),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, pin_user_physr(mm, TASK_SIZE - 1, 2, 0, &list),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, pin_user_physr(mm, anon3 - 1, 2, 0, &list),
			-EFAULT);
	gup_list_unchanged(test, &list, &snap);

	gup_unpin(test, mm, pre, 4 * PAGE_SIZE, false, &list);
	mm_user_put(test, mm);
	__free_pages(pages, 2);
}

/* ---- how ranges and pins relate --------------------------------------- */

/*
 * Adjacent byte ranges of one page pinned into one list merge into one
 * range, which holds one pin on that page; the second call does not pin
 * it again.
 */
static void gup_merge_shared_page(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;
	struct mm_struct *mm = mm_user_alloc(test);
	unsigned long a = mm_user_map(test, mm, 0, PAGE_SIZE, RW, VM_KIND_ANON);
	unsigned long t = mm_user_map(test, mm, 0, SZ_2M, RW, VM_KIND_THP);
	struct folio *large;

	gup_pin(test, mm, a + 100, 100, FOLL_WRITE, &list);
	gup_pin(test, mm, a + 200, 300, FOLL_WRITE, &list);
	KUNIT_EXPECT_EQ(test, physr_list_nr_ranges(&list), 1ULL);
	mm_user_expect_pins(test, mm, a, PAGE_SIZE, 1);

	/*
	 * In a THP: page 0 in part; then pages 1 and 2 from a page-aligned
	 * start (merged, nothing shared); then more of page 2 (shared).
	 */
	gup_pin(test, mm, t + 100, PAGE_SIZE - 100, FOLL_WRITE, &list);
	gup_pin(test, mm, t + PAGE_SIZE, PAGE_SIZE + 50, FOLL_WRITE, &list);
	large = mm_user_folio(mm, t);
	KUNIT_EXPECT_EQ(test, physr_list_nr_ranges(&list), 2ULL);
	KUNIT_EXPECT_EQ(test, atomic_read(&large->_pincount), 3);
	gup_pin(test, mm, t + 2 * PAGE_SIZE + 50, 10, FOLL_WRITE, &list);
	KUNIT_EXPECT_EQ(test, physr_list_nr_ranges(&list), 2ULL);
	KUNIT_EXPECT_EQ(test, atomic_read(&large->_pincount), 3);
	KUNIT_EXPECT_EQ(test, folio_ref_count(large), 1 + 3);

	gup_unpin(test, mm, a, PAGE_SIZE, false, &list);
	mm_user_expect_pins(test, mm, t, SZ_2M, 0);
}

/*
 * Pin [a + 100, a + 200), then from a + 200 on into the hole at @hole:
 * the second call merges into the first page mid-page (so it did not pin
 * that page), appends and pins further runs, then fails.  Its undoing
 * must skip that page, whose one pin is the first call's, and leave the
 * list as the first call made it.
 */
static void gup_merge_then_fault(struct kunit *test, struct mm_struct *mm,
				 unsigned long a, unsigned long hole,
				 struct physr_list *list)
{
	struct gup_list_snap snap;

	gup_pin(test, mm, a + 100, 100, FOLL_WRITE, list);
	gup_snap(list, &snap);
	gup_assert_scattered(test, mm, a, hole - a);
	KUNIT_EXPECT_EQ(test, pin_user_physr(mm, a + 200, hole + 1 - (a + 200),
					     FOLL_WRITE, list), -EFAULT);
	gup_list_unchanged(test, list, &snap);
}

/* The error path of gup_merge_shared_page()'s merge, small and large. */
static void gup_merge_shared_page_error(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;
	struct mm_struct *mm = mm_user_alloc(test);
	unsigned long a = mm_user_map(test, mm, 0, 5 * PAGE_SIZE, RW,
				      VM_KIND_ANON);
	unsigned long t = mm_user_map(test, mm, 0, 5 * SZ_2M, RW, VM_KIND_THP);
	struct folio *large;

	/* Holes right after four scattered pages and four scattered THPs. */
	KUNIT_ASSERT_EQ(test, vm_munmap(mm, a + 4 * PAGE_SIZE, PAGE_SIZE), 0);
	KUNIT_ASSERT_EQ(test, vm_munmap(mm, t + 4 * SZ_2M, SZ_2M), 0);
	gup_touch_scattered(test, mm, a, 4, PAGE_SIZE);
	gup_touch_scattered(test, mm, t, 4, SZ_2M);

	gup_merge_then_fault(test, mm, a, a + 4 * PAGE_SIZE, &list);
	mm_user_expect_pins(test, mm, a, PAGE_SIZE, 1);
	mm_user_expect_pins(test, mm, a + PAGE_SIZE, 3 * PAGE_SIZE, 0);
	gup_unpin(test, mm, a, 4 * PAGE_SIZE, false, &list);

	gup_merge_then_fault(test, mm, t, t + 4 * SZ_2M, &list);
	large = mm_user_folio(mm, t);
	KUNIT_ASSERT_EQ(test, folio_order(large), HPAGE_PMD_ORDER);
	KUNIT_EXPECT_EQ(test, atomic_read(&large->_pincount), 1);
	KUNIT_EXPECT_EQ(test, folio_ref_count(large), 1 + 1);
	mm_user_expect_pins(test, mm, t + SZ_2M, 3 * SZ_2M, 0);
	gup_unpin(test, mm, t, 4 * SZ_2M, false, &list);
}

/* One folio in several ranges of a list: unpinned right. */
static void gup_folio_in_ranges(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;
	struct mm_struct *mm = mm_user_alloc(test);
	unsigned long t = mm_user_map(test, mm, 0, SZ_2M, RW, VM_KIND_THP);
	struct folio *large;

	gup_pin(test, mm, t, PAGE_SIZE, FOLL_WRITE, &list);
	gup_pin(test, mm, t + 8 * PAGE_SIZE, 3 * PAGE_SIZE, FOLL_WRITE, &list);
	gup_pin(test, mm, t, 2 * PAGE_SIZE, FOLL_WRITE, &list);
	large = mm_user_folio(mm, t);
	KUNIT_EXPECT_EQ(test, physr_list_nr_ranges(&list), 3ULL);
	KUNIT_EXPECT_EQ(test, atomic_read(&large->_pincount), 6);
	KUNIT_EXPECT_EQ(test, folio_ref_count(large), 7);
	unpin_user_physr(&list, false);
	KUNIT_EXPECT_EQ(test, atomic_read(&large->_pincount), 0);
	KUNIT_EXPECT_EQ(test, folio_ref_count(large), 1);
}

/* Ranges of a P2P provider own no folios: unpinning skips them. */
static void gup_unpin_skips_p2p(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;
	struct mm_struct *mm = mm_user_alloc(test);
	unsigned long a = mm_user_map(test, mm, 0, PAGE_SIZE, RW, VM_KIND_ANON);

	/* A provider whose memory nothing else uses: 2 MiB at 32 TiB. */
	struct p2pdma_provider bar = { .base = 1ULL << 45, .size = SZ_2M };

	gup_pin(test, mm, a, PAGE_SIZE, FOLL_WRITE, &list);
	KUNIT_ASSERT_EQ(test, physr_list_append_p2p(&list, &bar, 1ULL << 45,
						    SZ_2M, GFP_KERNEL), 0);
	gup_unpin(test, mm, a, PAGE_SIZE, false, &list);
}

/*
 * unpin_user_physr() of pins that do not exist: a list it did not pin,
 * and a list unpinned after its pins were dropped already.  The count
 * underflow is refused and reported (a WARN the first time since boot,
 * a count every time), as refcount_t saturates instead of wrapping: no
 * count goes negative, no folio is freed under its mapping or leaked.
 */
static void gup_unpin_foreign(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT, pinned = PHYSR_LIST_INIT;
	struct mm_struct *mm = mm_user_alloc(test);
	struct mm_page_stats before, after;
	struct folio *small, *large;
	unsigned long anon, thp, n0;
	u8 buf[64], back[64];

	mm_page_stats(&before);
	anon = mm_user_map(test, mm, 0, PAGE_SIZE, RW, VM_KIND_ANON);
	thp = mm_user_map(test, mm, 0, SZ_2M, RW, VM_KIND_THP);
	gup_touch(test, mm, anon, PAGE_SIZE);
	gup_touch(test, mm, thp, SZ_2M);
	small = mm_user_folio(mm, anon);
	large = mm_user_folio(mm, thp);
	memset(buf, 0x3c, sizeof(buf));
	KUNIT_ASSERT_EQ(test, copy_to_user(mm, anon, buf, sizeof(buf)), 0UL);

	/* Never pinned: both folios' drops refused. */
	KUNIT_ASSERT_EQ(test, physr_list_append(&list,
			page_to_phys(&small->page), PAGE_SIZE, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list,
			page_to_phys(&large->page) + SZ_1M, 4 * PAGE_SIZE,
			GFP_KERNEL), 0);
	n0 = folio_ref_underflows();
	kunit_expect_warn(test, n0 == 0);
	unpin_user_physr(&list, false);
	KUNIT_EXPECT_EQ(test, folio_ref_underflows(), n0 + 2);
	KUNIT_EXPECT_TRUE(test, physr_list_empty(&list));
	KUNIT_EXPECT_EQ(test, folio_ref_count(small), 1);
	KUNIT_EXPECT_EQ(test, folio_ref_count(large), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&large->_pincount), 0);
	mm_user_expect_pins(test, mm, anon, PAGE_SIZE, 0);
	mm_user_expect_pins(test, mm, thp, SZ_2M, 0);

	/* Unpinned twice: the second time is refused. */
	gup_pin(test, mm, anon, PAGE_SIZE, FOLL_WRITE, &pinned);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list,
			page_to_phys(&small->page), PAGE_SIZE, GFP_KERNEL), 0);
	unpin_user_physr(&list, false);		/* drops the real pin */
	KUNIT_EXPECT_EQ(test, folio_ref_count(small), 1);
	unpin_user_physr(&pinned, false);
	KUNIT_EXPECT_EQ(test, folio_ref_underflows(), n0 + 3);
	KUNIT_EXPECT_EQ(test, folio_ref_count(small), 1);

	/* The process still has its page and its bytes; munmap frees all. */
	KUNIT_EXPECT_PTR_EQ(test, mm_user_folio(mm, anon), small);
	KUNIT_ASSERT_EQ(test, copy_from_user(mm, back, anon, sizeof(back)),
			0UL);
	KUNIT_EXPECT_MEMEQ(test, back, buf, sizeof(buf));
	KUNIT_ASSERT_EQ(test, vm_munmap(mm, anon, PAGE_SIZE), 0);
	KUNIT_ASSERT_EQ(test, vm_munmap(mm, thp, SZ_2M), 0);
	mm_page_stats(&after);
	KUNIT_EXPECT_EQ(test, after.allocated_pages, before.allocated_pages);
}

/* ---- lifetime: pins outlive mappings ---------------------------------- */

static void gup_pinned_outlive_munmap(struct kunit *test)
{
	const unsigned long len = SZ_2M + 16 * PAGE_SIZE;
	struct physr_list list = PHYSR_LIST_INIT;
	struct mm_struct *mm = mm_user_alloc(test);
	struct mm_page_stats before, mid, after;
	struct folio *large, *small;
	unsigned long t, a, i;
	u8 *buf, *back;

	buf = kunit_kmalloc(test, len, GFP_KERNEL);
	back = kunit_kmalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, back);
	for (i = 0; i < len; i++)
		buf[i] = (u8)(i * 31);

	mm_page_stats(&before);
	t = mm_user_map(test, mm, 0, SZ_2M, RW, VM_KIND_THP);
	a = mm_user_map(test, mm, t + SZ_2M, 16 * PAGE_SIZE, RW, VM_KIND_ANON);
	KUNIT_ASSERT_EQ(test, a, t + SZ_2M);
	gup_pin(test, mm, t, len, FOLL_WRITE, &list);
	KUNIT_ASSERT_EQ(test, copy_to_user(mm, t, buf, len), 0UL);
	large = mm_user_folio(mm, t);
	small = mm_user_folio(mm, a + PAGE_SIZE);

	KUNIT_ASSERT_EQ(test, vm_munmap(mm, t, len), 0);
	KUNIT_EXPECT_EQ(test, mm->nr_vmas, 0U);
	KUNIT_EXPECT_EQ(test, mm->nr_pgtables, 1UL);
	/* Only the pins hold the folios now, and the bytes are there. */
	KUNIT_EXPECT_EQ(test, atomic_read(&large->_pincount), 512);
	KUNIT_EXPECT_EQ(test, folio_ref_count(large), 512);
	KUNIT_EXPECT_EQ(test, mm_user_mapping_refs(large), 0);
	KUNIT_EXPECT_EQ(test, folio_ref_count(small),
			(int)GUP_PIN_COUNTING_BIAS);
	gup_list_copy(&list, back, false);
	KUNIT_EXPECT_MEMEQ(test, back, buf, len);
	mm_page_stats(&mid);
	KUNIT_EXPECT_EQ(test, mid.allocated_pages - before.allocated_pages,
			(u64)len / PAGE_SIZE);

	unpin_user_physr(&list, false);
	mm_page_stats(&after);
	KUNIT_EXPECT_EQ(test, after.allocated_pages, before.allocated_pages);
}

static void gup_pinned_outlive_mmput(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;
	struct mm_page_stats before, after;
	struct mm_struct *mm;
	unsigned long h;
	struct folio *folio;

	mm_page_stats(&before);
	mm = mm_alloc();
	KUNIT_ASSERT_NOT_NULL(test, mm);
	h = vm_mmap(mm, 0, SZ_4M, RW, VM_KIND_HUGETLB_2M);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(h));
	KUNIT_ASSERT_EQ(test, pin_user_physr(mm, h + SZ_1M, SZ_2M, FOLL_WRITE,
					     &list), 0);
	folio = mm_user_folio(mm, h + SZ_2M);
	mmput(mm);
	KUNIT_EXPECT_EQ(test, atomic_read(&folio->_pincount), 256);
	KUNIT_EXPECT_EQ(test, folio_ref_count(folio), 256);
	unpin_user_physr(&list, false);
	mm_page_stats(&after);
	KUNIT_EXPECT_EQ(test, after.allocated_pages, before.allocated_pages);
}

/* ---- allocation failures ---------------------------------------------- */

struct gup_fail_ctx {
	const struct gup_kind *k;
	struct physr_list *list;
	struct gup_list_snap snap;
	struct mm_struct *mm;
	unsigned long addr;
	unsigned long len;
};

/*
 * Fault in the odd folios of the fresh mapping at @a; the pin faults in
 * the even ones.  As in gup_touch_scattered(), no folio then follows its
 * neighbour physically, so the pin appends and pins every folio as a run
 * of its own, and a failure after the first of them has pins to undo.
 */
static int gup_fault_odd(struct gup_fail_ctx *c, unsigned long a)
{
	unsigned long i;
	u8 v = 0xee;

	for (i = c->k->folio; i < c->len; i += 2 * c->k->folio)
		if (copy_to_user(c->mm, a + i, &v, 1))
			return -ENOMEM;
	return 0;
}

/*
 * Make an address space, map never-touched memory, fault half of it in
 * and pin it all for writing (faulting in the other half).  A THP that
 * fell back to 4 KiB pages (its 2 MiB folio was the allocation that
 * failed) counts as a failure here.
 */
static int gup_fault_op(void *arg)
{
	struct gup_fail_ctx *c = arg;
	unsigned long a, i;
	int ret = -ENOMEM;

	c->mm = mm_alloc();
	if (!c->mm)
		return -ENOMEM;
	a = vm_mmap(c->mm, 0, c->len, RW, c->k->kind);
	if (IS_ERR_VALUE(a)) {
		ret = (int)(long)a;
		goto out_put;
	}
	ret = gup_fault_odd(c, a);
	if (ret)
		goto out_put;
	ret = pin_user_physr(c->mm, a + 1, c->len - 2, FOLL_WRITE, c->list);
	if (ret)
		goto out_put;
	for (i = 0; c->k->kind == VM_KIND_THP && i < c->len; i += SZ_2M) {
		if (folio_order(mm_user_folio(c->mm, a + i)) != HPAGE_PMD_ORDER) {
			unpin_user_physr(c->list, false);
			ret = -ENOMEM;
			goto out_put;
		}
	}
	c->addr = a;
	return 0;

out_put:
	mmput(c->mm);
	return ret;
}

static bool gup_fail_unchanged(struct kunit *test, void *arg)
{
	struct gup_fail_ctx *c = arg;

	return gup_list_unchanged(test, c->list, &c->snap);
}

/*
 * Fault-in under allocation failures, into a list that already holds a
 * pinned range (THP: into an empty list, see gup_fault_op()).  A pin a
 * failed call left behind would keep its folio alive past mmput(), which
 * kunit_fail_nth_check() reports as a leak.
 */
static void gup_fail_nth_fault(struct kunit *test)
{
	const struct gup_kind *k = test->param_value;
	struct physr_list list = PHYSR_LIST_INIT;
	struct gup_fail_ctx c = { .k = k, .list = &list };
	struct mm_struct *mm0 = mm_user_alloc(test);
	unsigned long a0;
	int rounds;

	if (k->kind != VM_KIND_THP) {
		a0 = mm_user_map(test, mm0, 0, PAGE_SIZE, RW, VM_KIND_ANON);
		gup_pin(test, mm0, a0 + 5, 10, FOLL_WRITE, &list);
	}
	gup_snap(&list, &c.snap);
	/* At least four folios, for gup_fault_odd(). */
	c.len = max(4 * k->folio, 48 * PAGE_SIZE);

	rounds = kunit_fail_nth_check(test, gup_fault_op, gup_fail_unchanged,
				      &c);
	kunit_info(test, "%d allocation failures, each unwound\n", rounds);
	KUNIT_EXPECT_GT(test, rounds, 5);
	gup_expect_maps(test, &list, c.snap.len, c.mm, c.addr + 1, c.len - 2);
	/* Scattered: the failures after the first run had pins to undo. */
	KUNIT_EXPECT_GE(test, physr_list_nr_ranges(&list) - c.snap.nr_ranges,
			2ULL);
	mm_user_expect_pins(test, c.mm, c.addr + 1, c.len - 2, 1);
	unpin_user_physr(&list, false);
	mmput(c.mm);
}

static int gup_pin_op(void *arg)
{
	struct gup_fail_ctx *c = arg;

	return pin_user_physr(c->mm, c->addr, c->len, FOLL_WRITE, c->list);
}

static bool gup_pin_unchanged(struct kunit *test, void *arg)
{
	struct gup_fail_ctx *c = arg;

	mm_user_expect_pins(test, c->mm, c->addr, c->len, 0);
	return gup_list_unchanged(test, c->list, &c->snap);
}

/*
 * Present, scattered 4 KiB pages: the only allocations are the list's
 * chunks, the failure of each is unwound.
 */
static void gup_fail_nth_list(struct kunit *test)
{
	const unsigned long nr = 1024;
	struct physr_list list = PHYSR_LIST_INIT;
	struct gup_fail_ctx c = { .list = &list };
	unsigned long i;
	int rounds;

	c.mm = mm_user_alloc(test);
	c.len = nr * PAGE_SIZE;
	c.addr = mm_user_map(test, c.mm, 0, c.len + PAGE_SIZE, RW,
			     VM_KIND_ANON);
	/* Fault in an order that scatters the pages physically. */
	for (i = 0; i < nr + 1; i++)
		gup_touch(test, c.mm, c.addr + (i * 389 % (nr + 1)) * PAGE_SIZE,
			  1);
	gup_pin(test, c.mm, c.addr + c.len + 3, 5, FOLL_WRITE, &list);
	gup_snap(&list, &c.snap);

	rounds = kunit_fail_nth_check(test, gup_pin_op, gup_pin_unchanged, &c);
	KUNIT_EXPECT_GE(test, rounds, 3);
	KUNIT_EXPECT_GE(test, physr_list_nr_ranges(&list), nr / 2);
	gup_expect_maps(test, &list, c.snap.len, c.mm, c.addr, c.len);
	mm_user_expect_pins(test, c.mm, c.addr, c.len, 1);
	gup_unpin(test, c.mm, c.addr, c.len + PAGE_SIZE, false, &list);
}

/* Nothing of gup_fail_nth_1g()'s range is pinned. */
static bool gup_1g_unchanged(struct kunit *test, void *arg)
{
	struct gup_fail_ctx *c = arg;
	struct folio *folio = mm_user_folio(c->mm, c->addr);

	KUNIT_EXPECT_EQ(test, atomic_read(&folio->_pincount), 0);
	KUNIT_EXPECT_EQ(test, folio_ref_count(folio), 1);
	mm_user_expect_pins(test, c->mm, c->addr - 1 + SZ_1G,
			    c->len + 1 - SZ_1G, 0);
	return gup_list_unchanged(test, c->list, &c->snap);
}

/*
 * A 1 GiB hugetlb folio followed by scattered 4 KiB pages, pinned under
 * allocation failures.  The folio is the first run: the list's chunks
 * for the pages after it are allocated once it is pinned, so each of
 * their failures must undo its 262144 pins (in one operation).
 */
static void gup_fail_nth_1g(struct kunit *test)
{
	const unsigned long nr = 32;
	struct physr_list list = PHYSR_LIST_INIT;
	struct gup_fail_ctx c = { .list = &list };
	struct folio *folio;
	unsigned long h, a;
	int rounds;

	c.mm = mm_user_alloc(test);
	h = mm_user_map(test, c.mm, 0, SZ_1G, RW, VM_KIND_HUGETLB_1G);
	a = mm_user_map(test, c.mm, h + SZ_1G, nr * PAGE_SIZE, RW,
			VM_KIND_ANON);
	KUNIT_ASSERT_EQ(test, a, h + SZ_1G);
	gup_touch(test, c.mm, h, 1);
	gup_touch_scattered(test, c.mm, a, nr, PAGE_SIZE);
	folio = mm_user_folio(c.mm, h);
	KUNIT_ASSERT_EQ(test, folio_order(folio), HPAGE_PUD_ORDER);
	gup_assert_scattered(test, c.mm, h + SZ_1G - PAGE_SIZE, 2 * PAGE_SIZE);
	c.addr = h + 1;
	c.len = SZ_1G + nr * PAGE_SIZE - 2;
	gup_snap(&list, &c.snap);

	rounds = kunit_fail_nth_check(test, gup_pin_op, gup_1g_unchanged, &c);
	kunit_info(test, "%d allocation failures, each unwound\n", rounds);
	KUNIT_EXPECT_GE(test, rounds, 2);
	gup_expect_maps(test, &list, 0, c.mm, c.addr, c.len);
	KUNIT_EXPECT_EQ(test, atomic_read(&folio->_pincount),
			(int)HPAGE_PUD_NR);
	KUNIT_EXPECT_EQ(test, folio_ref_count(folio), 1 + (int)HPAGE_PUD_NR);
	mm_user_expect_pins(test, c.mm, a, nr * PAGE_SIZE - 1, 1);
	unpin_user_physr(&list, true);
	KUNIT_EXPECT_TRUE(test, folio_test_dirty(folio));
	gup_1g_unchanged(test, &c);
}

static struct kunit_case gup_test_cases[] = {
	KUNIT_CASE_PARAM(gup_pin_kinds, gup_kinds_gen_params),
	KUNIT_CASE(gup_pin_counts),
	KUNIT_CASE_SLOW(gup_pin_1g),
	KUNIT_CASE(gup_pin_thp_fallback),
	KUNIT_CASE(gup_pin_thp_pte_mapped),
	KUNIT_CASE(gup_pin_across_vmas),
	KUNIT_CASE(gup_dirty),
	KUNIT_CASE_PARAM(gup_fault_in, gup_kinds_gen_params),
	KUNIT_CASE(gup_read_and_nofault),
	KUNIT_CASE(gup_einval),
	KUNIT_CASE(gup_efault),
	KUNIT_CASE(gup_merge_shared_page),
	KUNIT_CASE(gup_merge_shared_page_error),
	KUNIT_CASE(gup_folio_in_ranges),
	KUNIT_CASE(gup_unpin_skips_p2p),
	KUNIT_CASE(gup_unpin_foreign),
	KUNIT_CASE(gup_pinned_outlive_munmap),
	KUNIT_CASE(gup_pinned_outlive_mmput),
	KUNIT_CASE_PARAM(gup_fail_nth_fault, gup_kinds_gen_params),
	KUNIT_CASE(gup_fail_nth_list),
	KUNIT_CASE_SLOW(gup_fail_nth_1g),
	{}
};

static struct kunit_suite gup_test_suite = {
	.name = "gup",
	.suite_init = gup_suite_init,
	.suite_exit = gup_suite_exit,
	.test_cases = gup_test_cases,
};
kunit_test_suite(gup_test_suite);
