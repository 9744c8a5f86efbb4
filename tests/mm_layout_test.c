// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the fragmented-buffer helper (mm/layout.c): each layout's
 * physical guarantee, checked on the PFNs; seeded reproducibility; CPU
 * access through the buffer; unwinding under allocation failure.
 *
 * Each case boots a fresh default machine (init/exit), so that the same
 * seed meets the same allocator state.
 */
#include <time.h>

#include <kunit/fail_nth.h>
#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/fault-inject.h>
#include <linux/mm.h>
#include <linux/mm_layout.h>
#include <linux/sizes.h>
#include <linux/swiotlb.h>

#include "arch/sim/boot.h"
#include "sim/sim.h"

#define GiB	(1ULL << 30)
#define MiB	(1ULL << 20)

static int mm_layout_test_init(struct kunit *test __always_unused)
{
	return machine_boot(NULL);
}

static void mm_layout_test_exit(struct kunit *test __always_unused)
{
	machine_shutdown();
}

static const enum mm_layout all_layouts[] = {
	MM_LAYOUT_CONTIG, MM_LAYOUT_FOLIO_2M, MM_LAYOUT_PAGE_4K,
	MM_LAYOUT_RANDOM_4K,
};

static void layout_desc(const enum mm_layout *l, char *desc)
{
	strscpy(desc, mm_layout_name(*l), KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(mm_layouts, all_layouts, layout_desc);

static unsigned long pfn_of(const struct mm_buffer *buf, unsigned long i)
{
	return page_to_pfn(buf->pages[i]);
}

/* Is the buffer in ascending physical order, piece by piece? */
static bool ascending(const struct mm_buffer *buf, unsigned long step)
{
	unsigned long i;

	for (i = step; i < buf->nr_pages; i += step)
		if (pfn_of(buf, i) < pfn_of(buf, i - step))
			return false;
	return true;
}

/* Check what every layout promises, and what this one promises. */
static void check_layout(struct kunit *test, const struct mm_buffer *buf)
{
	unsigned long i, nr = buf->nr_pages;
	unsigned long *seen;

	KUNIT_ASSERT_EQ(test, nr, (unsigned long)DIV_ROUND_UP(buf->size, PAGE_SIZE));
	seen = kunit_kcalloc(test, BITS_TO_LONGS(max_pfn), sizeof(long),
			     GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, seen);

	/* Distinct RAM pages, each held by the buffer. */
	for (i = 0; i < nr; i++) {
		unsigned long pfn = pfn_of(buf, i);

		KUNIT_ASSERT_TRUE(test, pfn_valid(pfn));
		KUNIT_ASSERT_FALSE_MSG(test, test_bit(pfn, seen),
				       "pfn %#lx twice", pfn);
		__set_bit(pfn, seen);
		KUNIT_ASSERT_GE(test, folio_ref_count(page_folio(buf->pages[i])),
				1);
	}
	kunit_kfree(test, seen);

	switch (buf->layout) {
	case MM_LAYOUT_CONTIG:
		KUNIT_EXPECT_EQ(test, mm_buffer_nr_runs(buf), 1UL);
		for (i = 1; i < nr; i++)
			KUNIT_ASSERT_EQ(test, pfn_of(buf, i), pfn_of(buf, 0) + i);
		break;
	case MM_LAYOUT_FOLIO_2M:
		for (i = 0; i < nr; i++) {
			struct folio *folio = page_folio(buf->pages[i]);

			KUNIT_ASSERT_EQ(test, folio_order(folio), 9U);
			KUNIT_ASSERT_PTR_EQ(test, buf->pages[i],
					    folio_page(folio, i % 512));
			if (i % 512 == 0 && i)
				KUNIT_ASSERT_NE_MSG(test, pfn_of(buf, i),
						    pfn_of(buf, i - 1) + 1,
						    "folio at page %lu follows its predecessor",
						    i);
		}
		KUNIT_EXPECT_EQ(test, mm_buffer_nr_runs(buf),
				DIV_ROUND_UP(nr, 512));
		if (nr > 8 * 512)
			KUNIT_EXPECT_FALSE(test, ascending(buf, 512));
		break;
	case MM_LAYOUT_PAGE_4K:
		for (i = 1; i < nr; i++)
			KUNIT_ASSERT_NE_MSG(test, pfn_of(buf, i),
					    pfn_of(buf, i - 1) + 1,
					    "page %lu follows its predecessor", i);
		KUNIT_EXPECT_EQ(test, mm_buffer_nr_runs(buf), nr);
		fallthrough;
	case MM_LAYOUT_RANDOM_4K:
		for (i = 0; i < nr; i++)
			KUNIT_ASSERT_FALSE(test,
					   folio_test_large(page_folio(buf->pages[i])));
		if (nr > 8)
			KUNIT_EXPECT_FALSE(test, ascending(buf, 1));
		break;
	default:
		KUNIT_FAIL(test, "bad layout %d", buf->layout);
	}
}

static void mm_layout_guarantees(struct kunit *test)
{
	const enum mm_layout *layout = test->param_value;
	static const u64 sizes[] = {
		PAGE_SIZE, 3 * PAGE_SIZE, SZ_2M, 5 * MiB + 100, 64 * MiB,
	};
	struct mm_page_stats before, st;
	unsigned int i;

	mm_page_stats(&before);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct mm_buffer *buf;
		u64 expect_pages;

		buf = mm_buffer_alloc(sizes[i], *layout, 42 + i, GFP_KERNEL);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
		KUNIT_EXPECT_EQ(test, buf->size, sizes[i]);
		KUNIT_EXPECT_EQ(test, buf->layout, *layout);
		check_layout(test, buf);

		/* The buffer holds what it needs and no more. */
		expect_pages = buf->nr_pages;
		if (*layout == MM_LAYOUT_FOLIO_2M)
			expect_pages = ALIGN(expect_pages, 512);
		mm_page_stats(&st);
		KUNIT_EXPECT_EQ(test, st.allocated_pages, expect_pages);

		mm_buffer_free(buf);
		mm_page_stats(&st);
		KUNIT_EXPECT_EQ(test, st.free_pages, before.free_pages);
		KUNIT_EXPECT_EQ(test, st.allocated_pages, 0ULL);
	}
	KUNIT_EXPECT_EQ(test, memcmp(st.free_blocks, before.free_blocks,
				     sizeof(st.free_blocks)), 0);
}

/* Same seed, same allocator state: the same pages in the same order. */
static void mm_layout_reproducible(struct kunit *test)
{
	const enum mm_layout *layout = test->param_value;
	const u64 size = 16 * MiB + 3 * PAGE_SIZE;
	unsigned long *first, i, differ = 0;
	struct mm_buffer *buf;

	first = kunit_kcalloc(test, size / PAGE_SIZE + 1, sizeof(*first),
			      GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, first);

	buf = mm_buffer_alloc(size, *layout, 7, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	for (i = 0; i < buf->nr_pages; i++)
		first[i] = pfn_of(buf, i);
	mm_buffer_free(buf);

	/* A fresh machine, the same seed. */
	machine_shutdown();
	KUNIT_ASSERT_EQ(test, machine_boot(NULL), 0);
	buf = mm_buffer_alloc(size, *layout, 7, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	for (i = 0; i < buf->nr_pages; i++)
		KUNIT_ASSERT_EQ_MSG(test, pfn_of(buf, i), first[i], "page %lu", i);
	mm_buffer_free(buf);

	/* Another seed: another order (CONTIG has none to change). */
	machine_shutdown();
	KUNIT_ASSERT_EQ(test, machine_boot(NULL), 0);
	buf = mm_buffer_alloc(size, *layout, 8, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	for (i = 0; i < buf->nr_pages; i++)
		differ += pfn_of(buf, i) != first[i];
	if (*layout == MM_LAYOUT_CONTIG)
		KUNIT_EXPECT_EQ(test, differ, 0UL);
	else
		KUNIT_EXPECT_GT(test, differ, buf->nr_pages / 2);
	mm_buffer_free(buf);
}

/* Bytes go where the page array says, and come back. */
static void mm_layout_cpu_access(struct kunit *test)
{
	const enum mm_layout *layout = test->param_value;
	const u64 size = 4 * MiB + 123;
	struct mm_buffer *buf;
	u8 tmp[64], back[64];
	unsigned int i;
	u64 off;

	buf = mm_buffer_alloc(size, *layout, 3, GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	KUNIT_EXPECT_EQ(test, mm_buffer_check(buf, 0) >= 0, true);

	mm_buffer_fill(buf, 99);
	KUNIT_EXPECT_EQ(test, mm_buffer_check(buf, 99), -1LL);
	KUNIT_EXPECT_GE(test, mm_buffer_check(buf, 98), 0LL);

	/* A write straddling a page boundary lands on two pages. */
	for (i = 0; i < sizeof(tmp); i++)
		tmp[i] = i ^ 0x5a;
	off = 5 * PAGE_SIZE - 20;
	KUNIT_ASSERT_EQ(test, mm_buffer_write(buf, off, tmp, sizeof(tmp)), 0);
	KUNIT_ASSERT_EQ(test, sim_cpu_read(page_to_phys(buf->pages[4]) +
					   PAGE_SIZE - 20, back, 20), 0);
	KUNIT_EXPECT_EQ(test, memcmp(back, tmp, 20), 0);
	KUNIT_ASSERT_EQ(test, sim_cpu_read(page_to_phys(buf->pages[5]),
					   back, 44), 0);
	KUNIT_EXPECT_EQ(test, memcmp(back, tmp + 20, 44), 0);
	memset(back, 0, sizeof(back));
	KUNIT_ASSERT_EQ(test, mm_buffer_read(buf, off, back, sizeof(back)), 0);
	KUNIT_EXPECT_EQ(test, memcmp(back, tmp, sizeof(tmp)), 0);
	KUNIT_EXPECT_EQ(test, mm_buffer_check(buf, 99), (s64)off);

	/* The last byte is in; one past it is not. */
	KUNIT_EXPECT_EQ(test, mm_buffer_write(buf, size - 1, tmp, 1), 0);
	KUNIT_EXPECT_EQ(test, mm_buffer_write(buf, size - 1, tmp, 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, mm_buffer_read(buf, size, back, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, mm_buffer_read(buf, ~0ULL, back, 2), -EINVAL);
	mm_buffer_free(buf);
}

static void mm_layout_dma32(struct kunit *test)
{
	const enum mm_layout *layout = test->param_value;
	struct mm_buffer *buf;
	unsigned long i;

	buf = mm_buffer_alloc(8 * MiB, *layout, 1, GFP_DMA32);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	for (i = 0; i < buf->nr_pages; i++)
		KUNIT_ASSERT_LT(test, page_to_phys(buf->pages[i]), 4 * GiB);
	check_layout(test, buf);
	mm_buffer_free(buf);
}

struct mm_layout_fail_ctx {
	enum mm_layout layout;
	struct mm_buffer *buf;
};

static int mm_layout_fail_op(void *ctx)
{
	struct mm_layout_fail_ctx *c = ctx;

	c->buf = mm_buffer_alloc(6 * MiB + PAGE_SIZE, c->layout, 5, GFP_KERNEL);
	return PTR_ERR_OR_ZERO(c->buf);
}

static bool mm_layout_fail_check(struct kunit *test, void *ctx)
{
	struct mm_page_stats st;

	(void)ctx;
	mm_page_stats(&st);
	KUNIT_EXPECT_EQ(test, st.allocated_pages, 0ULL);
	return st.allocated_pages == 0;
}

/* Every allocation failure unwinds completely. */
static void mm_layout_fail_nth(struct kunit *test)
{
	const enum mm_layout *layout = test->param_value;
	struct mm_layout_fail_ctx c = { .layout = *layout };
	int rounds;

	rounds = kunit_fail_nth_check(test, mm_layout_fail_op,
				      mm_layout_fail_check, &c);
	KUNIT_EXPECT_GT(test, rounds, 1);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c.buf);
	check_layout(test, c.buf);
	mm_buffer_free(c.buf);
}

static void mm_layout_errors(struct kunit *test)
{
	struct mm_page_stats before, st;
	struct alloc_stats as0, as1;
	enum mm_layout l;
	unsigned int i;

	KUNIT_EXPECT_EQ(test, PTR_ERR(mm_buffer_alloc(0, MM_LAYOUT_CONTIG, 0,
						      GFP_KERNEL)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(mm_buffer_alloc(SZ_1M, MM_NR_LAYOUTS, 0,
						      GFP_KERNEL)), -EINVAL);
	mm_buffer_free(NULL);
	mm_buffer_free(ERR_PTR(-ENOMEM));

	/* More than the machine has: fails with nothing left behind. */
	mm_page_stats(&before);
	alloc_stats_get(&as0);
	for (i = 0; i < ARRAY_SIZE(all_layouts); i++)
		KUNIT_EXPECT_EQ(test, PTR_ERR(mm_buffer_alloc(9 * GiB,
							      all_layouts[i],
							      0, GFP_KERNEL)),
				-ENOMEM);
	/* Contiguous beyond the largest run of free 1 GiB blocks. */
	KUNIT_EXPECT_EQ(test, PTR_ERR(mm_buffer_alloc(6 * GiB, MM_LAYOUT_CONTIG,
						      0, GFP_KERNEL)), -ENOMEM);
	mm_page_stats(&st);
	KUNIT_EXPECT_EQ(test, st.free_pages, before.free_pages);
	KUNIT_EXPECT_EQ(test, memcmp(st.free_blocks, before.free_blocks,
				     sizeof(st.free_blocks)), 0);
	alloc_stats_get(&as1);
	KUNIT_EXPECT_EQ(test, as1.live_allocs, as0.live_allocs);

	for (i = 0; i < ARRAY_SIZE(all_layouts); i++) {
		KUNIT_EXPECT_EQ(test, mm_layout_parse(mm_layout_name(all_layouts[i]),
						      &l), 0);
		KUNIT_EXPECT_EQ(test, l, all_layouts[i]);
	}
	KUNIT_EXPECT_EQ(test, mm_layout_parse("5m", &l), -EINVAL);
	KUNIT_EXPECT_STREQ(test, mm_layout_name(MM_NR_LAYOUTS), "?");
}

/* 1 GiB in every layout: the guarantees hold at scale; times logged. */
static void mm_layout_1g(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(all_layouts); i++) {
		struct mm_buffer *buf;
		struct timespec t0, t1;
		unsigned long runs;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		buf = mm_buffer_alloc(GiB, all_layouts[i], 1, GFP_KERNEL);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
		check_layout(test, buf);
		runs = mm_buffer_nr_runs(buf);
		mm_buffer_free(buf);
		kunit_info(test, "1 GiB %-6s: alloc %lld us, %lu runs\n",
			   mm_layout_name(all_layouts[i]),
			   ((t1.tv_sec - t0.tv_sec) * 1000000000LL +
			    (t1.tv_nsec - t0.tv_nsec)) / 1000, runs);
	}
	/* Contiguous beyond 1 GiB: adjacent free 1 GiB blocks. */
	{
		struct mm_buffer *buf = mm_buffer_alloc(2 * GiB + SZ_2M,
							MM_LAYOUT_CONTIG, 0,
							GFP_KERNEL);

		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
		check_layout(test, buf);
		mm_buffer_free(buf);
	}
}

static struct kunit_case mm_layout_cases[] = {
	KUNIT_CASE_PARAM(mm_layout_guarantees, mm_layouts_gen_params),
	KUNIT_CASE_PARAM(mm_layout_reproducible, mm_layouts_gen_params),
	KUNIT_CASE_PARAM(mm_layout_cpu_access, mm_layouts_gen_params),
	KUNIT_CASE_PARAM(mm_layout_dma32, mm_layouts_gen_params),
	KUNIT_CASE_PARAM(mm_layout_fail_nth, mm_layouts_gen_params),
	KUNIT_CASE(mm_layout_errors),
	KUNIT_CASE_SLOW(mm_layout_1g),
	{}
};

/* No bounce pool: the allocator must be empty after each case. */
static int mm_layout_suite_init(struct kunit_suite *suite __always_unused)
{
	return swiotlb_set_default_size(0);
}

static void mm_layout_suite_exit(struct kunit_suite *suite __always_unused)
{
	swiotlb_set_default_size(SWIOTLB_DEFAULT_SIZE);
}

static struct kunit_suite mm_layout_suite = {
	.name = "mm_layout",
	.suite_init = mm_layout_suite_init,
	.suite_exit = mm_layout_suite_exit,
	.init = mm_layout_test_init,
	.exit = mm_layout_test_exit,
	.test_cases = mm_layout_cases,
};
kunit_test_suite(mm_layout_suite);
