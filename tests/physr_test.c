// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for physr_list_from_pages() (lib/physr.c) on a booted
 * machine's pages: the suite of the range list's tests that needs the
 * simulated machine, so it runs only here (the portable suites are
 * tests/physr_list_test.c, docs/kernel-build.md).
 *
 *   physr_pages   physr_list_from_pages() on a booted machine's pages,
 *                 with a seeded random case
 *
 * The seeded case prints its seed; PHYSR_TEST_SEED=<n> in the
 * environment overrides it, to reproduce a failure or to explore.
 */
#include <kunit/test.h>
#include <kunit/fail_nth.h>
#include <kunit/portable.h>
#include <linux/align.h>
#include <linux/fault-inject.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/physr.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "arch/sim/boot.h"
#include "tests/physr_test.h"

/* ---- physr_pages: physr_list_from_pages() ------------------------------ */

/*
 * The suite boots the default machine and takes a pool of physically
 * contiguous pages (above 4 GiB) and a few below 4 GiB, so it can lay
 * pages out in any order it likes: P(i) is the pool's i-th page.
 */
#define POOL_ORDER	12
#define POOL_PAGES	(1UL << POOL_ORDER)
#define LOW_ORDER	4
#define LOW_PAGES	(1UL << LOW_ORDER)

static struct page *physr_pool;
static struct page *physr_low;

static struct page *P(unsigned long i)
{
	return pfn_to_page(page_to_pfn(physr_pool) + i);
}

static struct page *LOW(unsigned long i)
{
	return pfn_to_page(page_to_pfn(physr_low) + i);
}

static int physr_pages_suite_init(struct kunit_suite *suite __always_unused)
{
	int ret = machine_boot(NULL);

	if (ret)
		return ret;
	physr_pool = alloc_pages(GFP_KERNEL, POOL_ORDER);
	physr_low = alloc_pages(GFP_DMA32, LOW_ORDER);
	if (!physr_pool || !physr_low) {
		if (physr_pool)
			__free_pages(physr_pool, POOL_ORDER);
		if (physr_low)
			__free_pages(physr_low, LOW_ORDER);
		machine_shutdown();
		return -ENOMEM;
	}
	return 0;
}

static void physr_pages_suite_exit(struct kunit_suite *suite __always_unused)
{
	__free_pages(physr_pool, POOL_ORDER);
	__free_pages(physr_low, LOW_ORDER);
	physr_pool = NULL;
	physr_low = NULL;
	machine_shutdown();
}

/*
 * The reference: sg_alloc_table_from_pages() semantics, one page at a
 * time through the merge rule; all or nothing.
 */
static int ref_from_pages(struct kunit *test, struct ref_list *ref,
			  struct page **pages, unsigned long nr_pages,
			  unsigned long offset, u64 size)
{
	unsigned long first, last, i;
	u64 end;

	if (!size || !pages || check_add_overflow((u64)offset, size, &end) ||
	    end > (u64)nr_pages * PS)
		return -EINVAL;
	first = offset / PS;
	last = (end - 1) / PS;
	for (i = first; i <= last; i++)
		if (!pages[i])
			return -EINVAL;
	for (i = first; i <= last; i++) {
		phys_addr_t a = page_to_phys(pages[i]);
		phys_addr_t s = a + (i == first ? offset % PS : 0);
		phys_addr_t e = a + (i == last ? (end - 1) % PS + 1 : PS);

		KUNIT_ASSERT_EQ(test, ref_append(test, ref, NULL, s, e - s), 0);
	}
	return 0;
}

/*
 * physr_list_from_pages() on @list (which @ref mirrors) must do what the
 * reference does; on error nothing may change.
 */
static bool check_from_pages(struct kunit *test, struct physr_list *list,
			     struct ref_list *ref, struct page **pages,
			     unsigned long nr_pages, unsigned long offset,
			     u64 size)
{
	struct snap s;
	int want, got;
	bool ok;

	snap_take(test, list, &s);
	want = ref_from_pages(test, ref, pages, nr_pages, offset, size);
	got = physr_list_from_pages(list, pages, nr_pages, offset, size,
				    GFP_KERNEL);
	KUNIT_EXPECT_EQ_MSG(test, got, want, "from_pages(%lu, %#lx, %#llx)",
			    nr_pages, offset, (unsigned long long)size);
	if (got)
		ok = snap_matches(test, list, &s);
	else
		ok = list_matches_ref(test, list, ref);
	snap_destroy(&s);
	return ok && got == want;
}

/* Run from_pages on a fresh list; expect exactly @exp. */
static void from_pages_expect(struct kunit *test, struct page **pages,
			      unsigned long nr, unsigned long offset, u64 size,
			      const struct ref_range *exp, size_t nr_exp)
{
	struct physr_list list = PHYSR_LIST_INIT;
	struct ref_list ref;

	ref_init(&ref);
	check_from_pages(test, &list, &ref, pages, nr, offset, size);
	/* And against the hand-written expectation, not just the model. */
	list_matches(test, &list, exp, nr_exp, ranges_len(exp, nr_exp));
	physr_list_destroy(&list);
	ref_destroy(&ref);
}

#define PA(i)	page_to_phys(P(i))

static void physr_pages_test_layouts(struct kunit *test)
{
	struct page *pages[16];
	int i;

	/* Contiguous: one range. */
	for (i = 0; i < 16; i++)
		pages[i] = P(i);
	from_pages_expect(test, pages, 16, 0, 16 * PS,
			  (struct ref_range[]){ { PA(0), 16 * PS, NULL } }, 1);

	/* Gaps: 0 1 | 3 4 | 8. */
	pages[0] = P(0);
	pages[1] = P(1);
	pages[2] = P(3);
	pages[3] = P(4);
	pages[4] = P(8);
	from_pages_expect(test, pages, 5, 0, 5 * PS,
			  (struct ref_range[]){ { PA(0), 2 * PS, NULL },
						{ PA(3), 2 * PS, NULL },
						{ PA(8), PS, NULL } }, 3);

	/* Reversed: every page its own range. */
	for (i = 0; i < 16; i++)
		pages[i] = P(15 - i);
	{
		struct ref_range exp[16];

		for (i = 0; i < 16; i++)
			exp[i] = (struct ref_range){ PA(15 - i), PS, NULL };
		from_pages_expect(test, pages, 16, 0, 16 * PS, exp, 16);
	}

	/* Pairs swapped: 2 3 0 1. */
	pages[0] = P(2);
	pages[1] = P(3);
	pages[2] = P(0);
	pages[3] = P(1);
	from_pages_expect(test, pages, 4, 0, 4 * PS,
			  (struct ref_range[]){ { PA(2), 2 * PS, NULL },
						{ PA(0), 2 * PS, NULL } }, 2);

	/* The same page twice is not contiguous with itself. */
	pages[0] = P(5);
	pages[1] = P(5);
	pages[2] = P(6);
	from_pages_expect(test, pages, 3, 0, 3 * PS,
			  (struct ref_range[]){ { PA(5), PS, NULL },
						{ PA(5), 2 * PS, NULL } }, 2);

	/* Below and above 4 GiB, and a large folio's worth. */
	pages[0] = LOW(0);
	pages[1] = LOW(1);
	pages[2] = P(0);
	pages[3] = P(1);
	pages[4] = LOW(2);
	from_pages_expect(test, pages, 5, 0, 5 * PS,
			  (struct ref_range[]){
				  { page_to_phys(LOW(0)), 2 * PS, NULL },
				  { PA(0), 2 * PS, NULL },
				  { page_to_phys(LOW(2)), PS, NULL } }, 3);
	KUNIT_EXPECT_LT(test, page_to_phys(LOW(0)), GiB(4));
	KUNIT_EXPECT_GE(test, PA(0), GiB(4));
}

static void physr_pages_test_offsets(struct kunit *test)
{
	struct page *pages[8];
	int i;

	for (i = 0; i < 8; i++)
		pages[i] = P(3 * i);	/* all discontiguous */

	/* Offset inside the first page. */
	from_pages_expect(test, pages, 3, 100, 2 * PS,
			  (struct ref_range[]){ { PA(0) + 100, PS - 100, NULL },
						{ PA(3), PS, NULL },
						{ PA(6), 100, NULL } }, 3);
	/* Offset past the first page: the first is never read. */
	pages[0] = NULL;
	from_pages_expect(test, pages, 4, PS + 904, 2 * PS,
			  (struct ref_range[]){ { PA(3) + 904, PS - 904, NULL },
						{ PA(6), PS, NULL },
						{ PA(9), 904, NULL } }, 3);
	/* Offset of several pages, landing on a page boundary. */
	from_pages_expect(test, pages, 8, 3 * PS, PS,
			  (struct ref_range[]){ { PA(9), PS, NULL } }, 1);
	pages[0] = P(0);
	/* Size ending mid-page, and one byte past a page. */
	from_pages_expect(test, pages, 8, 0, PS + 1,
			  (struct ref_range[]){ { PA(0), PS, NULL },
						{ PA(3), 1, NULL } }, 2);
	from_pages_expect(test, pages, 8, 0, PS - 1,
			  (struct ref_range[]){ { PA(0), PS - 1, NULL } }, 1);
	/* One byte: first, last of a page, first of the next, very last. */
	from_pages_expect(test, pages, 8, 0, 1,
			  (struct ref_range[]){ { PA(0), 1, NULL } }, 1);
	from_pages_expect(test, pages, 8, PS - 1, 1,
			  (struct ref_range[]){ { PA(0) + PS - 1, 1, NULL } }, 1);
	from_pages_expect(test, pages, 8, PS, 1,
			  (struct ref_range[]){ { PA(3), 1, NULL } }, 1);
	from_pages_expect(test, pages, 8, 8 * PS - 1, 1,
			  (struct ref_range[]){ { PA(21) + PS - 1, 1, NULL } }, 1);
	/* Two bytes straddling two pages. */
	from_pages_expect(test, pages, 8, PS - 1, 2,
			  (struct ref_range[]){ { PA(0) + PS - 1, 1, NULL },
						{ PA(3), 1, NULL } }, 2);
	/* Contiguous pages with both edges trimmed: one range. */
	for (i = 0; i < 8; i++)
		pages[i] = P(100 + i);
	from_pages_expect(test, pages, 8, 5, 8 * PS - 10,
			  (struct ref_range[]){ { PA(100) + 5, 8 * PS - 10,
						  NULL } }, 1);
	/* The whole array. */
	from_pages_expect(test, pages, 8, 0, 8 * PS,
			  (struct ref_range[]){ { PA(100), 8 * PS, NULL } }, 1);
}

static void physr_pages_test_errors(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;
	struct page *pages[8];
	struct ref_list ref;
	struct snap s;
	int i;

	for (i = 0; i < 8; i++)
		pages[i] = P(200 + i);
	/* A list whose tail the first page would extend. */
	ref_init(&ref);
	both_append(test, &list, &ref, NULL, 0x1000, 0x1000);
	both_append(test, &list, &ref, NULL, PA(200) - PS, PS);
	snap_take(test, &list, &s);

	KUNIT_EXPECT_EQ(test, physr_list_from_pages(&list, pages, 8, 0, 0,
						    GFP_KERNEL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, physr_list_from_pages(&list, NULL, 8, 0, PS,
						    GFP_KERNEL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, physr_list_from_pages(&list, pages, 0, 0, 1,
						    GFP_KERNEL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, physr_list_from_pages(&list, pages, 8, 0,
						    8 * PS + 1,
						    GFP_KERNEL), -EINVAL);
	KUNIT_EXPECT_EQ(test, physr_list_from_pages(&list, pages, 8, 8 * PS, 1,
						    GFP_KERNEL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, physr_list_from_pages(&list, pages, 8, 1, 8 * PS,
						    GFP_KERNEL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, physr_list_from_pages(&list, pages, 8, ~0UL, 2,
						    GFP_KERNEL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, physr_list_from_pages(&list, pages, 8, 0, ~0ULL,
						    GFP_KERNEL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, physr_list_from_pages(&list, pages, ~0UL, PS,
						    ~0ULL - 1,
						    GFP_KERNEL), -EINVAL);
	snap_matches(test, &list, &s);

	/*
	 * A NULL page the buffer touches: first, middle of a contiguous
	 * run, last.  The runs before it were appended (the first one
	 * growing the list's tail) and must be rolled back.
	 */
	for (i = 0; i < 8; i++) {
		struct page *saved = pages[i];

		pages[i] = NULL;
		KUNIT_EXPECT_EQ_MSG(test,
				    physr_list_from_pages(&list, pages, 8, 0,
							  8 * PS, GFP_KERNEL),
				    -EINVAL, "NULL at %d", i);
		snap_matches(test, &list, &s);
		/* Same with a discontiguous layout (many ranges appended). */
		pages[(i + 3) % 8] = P(900 + 2 * i);
		KUNIT_EXPECT_EQ_MSG(test,
				    physr_list_from_pages(&list, pages, 8, 17,
							  8 * PS - 20,
							  GFP_KERNEL),
				    -EINVAL, "NULL at %d", i);
		snap_matches(test, &list, &s);
		pages[(i + 3) % 8] = P(200 + (i + 3) % 8);
		pages[i] = saved;
	}
	/* A NULL just outside the touched part is fine. */
	pages[0] = NULL;
	pages[7] = NULL;
	check_from_pages(test, &list, &ref, pages, 8, PS, 6 * PS);
	check_from_pages(test, &list, &ref, pages, 8, 2 * PS - 1, 1);
	check_from_pages(test, &list, &ref, pages, 8, 7 * PS - 1, 1);
	KUNIT_EXPECT_EQ(test, physr_list_from_pages(&list, pages, 8, 7 * PS - 1,
						    2, GFP_KERNEL), -EINVAL);
	KUNIT_EXPECT_EQ(test, physr_list_from_pages(&list, pages, 8, PS - 1, 2,
						    GFP_KERNEL),
			-EINVAL);
	list_matches_ref(test, &list, &ref);
	snap_destroy(&s);
	ref_destroy(&ref);
	physr_list_destroy(&list);
}

/* Appending to a non-empty list merges with its tail when adjacent. */
static void physr_pages_test_append_to_tail(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;
	struct page *pages[4] = { P(300), P(301), P(303), P(304) };
	struct ref_list ref;

	ref_init(&ref);
	/* RAM tail ending at the first page: merges. */
	both_append(test, &list, &ref, NULL, PA(299), PS);
	check_from_pages(test, &list, &ref, pages, 4, 0, 4 * PS);
	KUNIT_EXPECT_EQ(test, physr_list_nr_ranges(&list), (u64)2);
	KUNIT_EXPECT_EQ(test, ref.r[0].addr, PA(299));
	KUNIT_EXPECT_EQ(test, ref.r[0].len, 3 * PS);

	/* Tail ends mid-page where the buffer starts: merges. */
	both_append(test, &list, &ref, NULL, PA(300), 100);
	check_from_pages(test, &list, &ref, pages, 4, 100, PS);
	KUNIT_EXPECT_EQ(test, ref.r[ref.nr - 1].addr, PA(300));
	KUNIT_EXPECT_EQ(test, ref.r[ref.nr - 1].len, PS + 100);

	/* Tail ends at the page, but the buffer starts inside it: no. */
	both_append(test, &list, &ref, NULL, PA(299), PS);
	check_from_pages(test, &list, &ref, pages, 4, 100, PS);
	KUNIT_EXPECT_EQ(test, ref.r[ref.nr - 1].addr, PA(300) + 100);

	/* A P2P tail never merges with pages. */
	both_append(test, &list, &ref, PROV(0), PA(299), PS);
	check_from_pages(test, &list, &ref, pages, 4, 0, 2 * PS);
	KUNIT_EXPECT_PTR_EQ(test, ref.r[ref.nr - 2].prov, PROV(0));
	KUNIT_EXPECT_EQ(test, ref.r[ref.nr - 1].addr, PA(300));
	list_matches_ref(test, &list, &ref);
	ref_destroy(&ref);
	physr_list_destroy(&list);
}

#define PHYSR_PAGES_DEFAULT_SEED	0x70a6e5ULL

/* Random layouts, offsets and sizes, against the reference. */
static void physr_pages_test_random(struct kunit *test)
{
	const u64 seed = kunit_seed(test, PHYSR_PAGES_DEFAULT_SEED);
	struct physr_list list = PHYSR_LIST_INIT;
	struct rnd_state rs;
	struct ref_list ref;
	struct page **pages;
	int round;

	pages = kvmalloc_array(600, sizeof(*pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	prandom_seed_state(&rs, seed);
	ref_init(&ref);
	for (round = 0; round < 400; round++) {
		unsigned long nr = 1 + prandom_u32_below_state(&rs, 600);
		unsigned long prev = prandom_u32_below_state(&rs, POOL_PAGES);
		unsigned long i, offset;
		u64 size;

		for (i = 0; i < nr; i++) {
			u32 r = prandom_u32_below_state(&rs, 100);

			if (r < 70)
				prev = (prev + 1) % POOL_PAGES;
			else if (r < 80)
				prev = prev ? prev - 1 : 0;
			else if (r < 85)
				; /* the same page again */
			else
				prev = prandom_u32_below_state(&rs, POOL_PAGES);
			pages[i] = r == 99 ? LOW(i % LOW_PAGES) : P(prev);
		}
		offset = prandom_u64_below_state(&rs, nr * PS);
		size = 1 + prandom_u64_below_state(&rs, nr * PS - offset);
		if (round % 10 == 0)
			size = nr * PS - offset;
		if (round % 17 == 0)
			size++;				/* one past: -EINVAL */
		if (round % 13 == 0)			/* a NULL somewhere */
			pages[prandom_u32_below_state(&rs, nr)] = NULL;
		if (!check_from_pages(test, &list, &ref, pages, nr, offset,
				      size)) {
			kunit_err(test, "failed with seed %llu, round %d",
				  (unsigned long long)seed, round);
			break;
		}
		/* Start over now and then; otherwise keep appending. */
		if (round % 25 == 24) {
			physr_list_destroy(&list);
			ref_destroy(&ref);
		}
	}
	physr_list_destroy(&list);
	ref_destroy(&ref);
	kvfree(pages);
}

/*
 * Allocation failures while building from a fragmented buffer (many
 * chunks): each must leave the list as it was, nothing leaked.
 */
struct from_pages_ctx {
	struct kunit *test;
	struct physr_list *list;
	struct snap *before;
	struct page **pages;
	unsigned long nr;
	unsigned long offset;
	u64 size;
};

static int from_pages_op(void *ctx)
{
	struct from_pages_ctx *c = ctx;

	return physr_list_from_pages(c->list, c->pages, c->nr, c->offset,
				     c->size, GFP_KERNEL);
}

static bool list_unchanged(struct kunit *test, void *ctx)
{
	struct from_pages_ctx *c = ctx;

	return snap_matches(test, c->list, c->before);
}

static void physr_pages_test_fail_nth(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;
	struct from_pages_ctx c = { .test = test, .list = &list };
	struct ref_list ref;
	struct snap before;
	s64 allocs0;
	unsigned long i;
	int rounds;

	c.nr = 2000;
	c.pages = kvmalloc_array(c.nr, sizeof(*c.pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c.pages);
	/* Mostly one page per range, some runs of two, one high page. */
	for (i = 0; i < c.nr; i++)
		c.pages[i] = P(i % 3 == 1 ? 2 * i - 1 : 2 * i);
	c.offset = 10;
	c.size = c.nr * PS - 20;

	/* The list's tail is extended by the first run. */
	ref_init(&ref);
	both_append(test, &list, &ref, NULL, 0x10000, PS);
	both_append(test, &list, &ref, NULL, PA(0) + 10 - PS, PS);
	snap_take(test, &list, &before);
	c.before = &before;
	KUNIT_ASSERT_EQ(test, ref_from_pages(test, &ref, c.pages, c.nr,
					     c.offset, c.size), 0);

	allocs0 = live_allocs();
	rounds = kunit_fail_nth_check(test, from_pages_op, list_unchanged, &c);
	kunit_info(test, "%d allocations", rounds);
	KUNIT_EXPECT_GE(test, rounds, 3);
	KUNIT_EXPECT_EQ(test, (s64)rounds, live_allocs() - allocs0);
	list_matches_ref(test, &list, &ref);
	KUNIT_EXPECT_GT(test, ref.nr, (size_t)1000);

	snap_destroy(&before);
	ref_destroy(&ref);
	physr_list_destroy(&list);
	kvfree(c.pages);
}

/*
 * physr_list_from_pages() hands its gfp flags to the chunk allocator:
 * with failures armed for allocations that may not sleep, GFP_KERNEL
 * builds and GFP_ATOMIC fails, leaving the list as it was.
 */
static void physr_pages_test_gfp(struct kunit *test)
{
	struct page *pages[4] = { P(0), P(2), P(4), P(6) };
	struct physr_list a = PHYSR_LIST_INIT, b = PHYSR_LIST_INIT;

	fail_nth_set_nowait(1);
	KUNIT_EXPECT_EQ(test, physr_list_from_pages(&a, pages, 4, 0, 4 * PS,
						    GFP_KERNEL), 0);
	KUNIT_EXPECT_FALSE(test, fail_nth_triggered());
	KUNIT_EXPECT_EQ(test, physr_list_nr_ranges(&a), 4);
	KUNIT_EXPECT_EQ(test, physr_list_from_pages(&b, pages, 4, 0, 4 * PS,
						    GFP_ATOMIC), -ENOMEM);
	KUNIT_EXPECT_TRUE(test, fail_nth_triggered());
	fail_nth_set(0);
	KUNIT_EXPECT_TRUE(test, physr_list_empty(&b));
	KUNIT_EXPECT_EQ(test, physr_list_heap_bytes(&b), 0);

	KUNIT_EXPECT_EQ(test, physr_list_from_pages(&b, pages, 4, 0, 4 * PS,
						    GFP_NOWAIT), 0);
	KUNIT_EXPECT_EQ(test, alloc_last_gfp(), GFP_NOWAIT);
	physr_list_destroy(&a);
	physr_list_destroy(&b);
}

static struct kunit_case physr_pages_test_cases[] = {
	KUNIT_CASE(physr_pages_test_layouts),
	KUNIT_CASE(physr_pages_test_offsets),
	KUNIT_CASE(physr_pages_test_errors),
	KUNIT_CASE(physr_pages_test_append_to_tail),
	KUNIT_CASE(physr_pages_test_random),
	KUNIT_CASE(physr_pages_test_fail_nth),
	KUNIT_CASE(physr_pages_test_gfp),
	{}
};

static struct kunit_suite physr_pages_test_suite = {
	.name = "physr_pages",
	.suite_init = physr_pages_suite_init,
	.suite_exit = physr_pages_suite_exit,
	.test_cases = physr_pages_test_cases,
};
kunit_test_suite(physr_pages_test_suite);

