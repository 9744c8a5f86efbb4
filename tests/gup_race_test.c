// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of do_madvise(MADV_DONTNEED) and of pin_user_physr() racing it.
 *
 * MADV_DONTNEED zaps leaves under mmap_lock held for reading, as in Linux,
 * so pin_user_physr(), which walks the page table without the page-table
 * lock, may find a leaf cleared, and its folio freed and reused, between
 * reading the entry and pinning the folio.  It must then never pin the
 * wrong page: GUP-fast's rule, pin unless the folio is being freed and
 * re-check the entry, with the locked slow path behind it.
 *
 * The race: a thread zaps a small anonymous buffer again and again and
 * writes it back page by page in a random order, each page tagged with
 * its user address; the freed pages are reused at once (the allocator
 * hands the last freed page out first), usually for another address.
 * Meanwhile the test pins the whole buffer over and over and checks every
 * pinned page: it must be pinned, not free, and hold either nothing yet
 * (faulted in, not written) or the tag of the address it was pinned for,
 * never another address's.  When the race is over every folio must hold
 * only its mapping's reference: pins and references balance.
 */
#include <pthread.h>

#include <kunit/test.h>
#include <linux/gfp.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/mm_struct.h>
#include <linux/page-flags.h>
#include <linux/pgtable.h>
#include <linux/physr.h>
#include <linux/random.h>
#include <linux/sizes.h>
#include <linux/uaccess.h>

#include "arch/sim/boot.h"
#include "tests/mmap_util.h"

#define RW		(VM_READ | VM_WRITE)
#define RACE_PAGES	64
/* At least this many pins, over at least this many zap rounds. */
#define RACE_PINS	2000
#define RACE_ROUNDS	300
#define RACE_MAX_PINS	1000000
#define RACE_TAG	0x7a6170ULL	/* "zap" */

static int gup_race_suite_init(struct kunit_suite *suite __always_unused)
{
	return machine_boot(NULL);
}

static void gup_race_suite_exit(struct kunit_suite *suite __always_unused)
{
	machine_shutdown();
}

static u64 race_tag(unsigned long addr)
{
	return ((u64)addr << 20) | RACE_TAG;
}

/* Write @addr's tag into its page, faulting it in. */
static int race_write_tag(struct mm_struct *mm, unsigned long addr)
{
	u64 tag = race_tag(addr);

	return copy_to_user(mm, addr, &tag, sizeof(tag)) ? -EFAULT : 0;
}

static void race_touch(struct kunit *test, struct mm_struct *mm,
		       unsigned long base, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		KUNIT_ASSERT_EQ(test, race_write_tag(mm, base + i * PAGE_SIZE), 0);
}

/* ---- MADV_DONTNEED -------------------------------------------------------- */

static void madvise_dontneed_zaps(struct kunit *test)
{
	struct mm_struct *mm = mm_user_alloc(test);
	unsigned long base = mm_user_map(test, mm, 0, 8 * PAGE_SIZE, RW,
					 VM_KIND_ANON);
	struct mm_page_stats st;
	u64 free_before, v = 1;

	race_touch(test, mm, base, 8);
	mm_page_stats(&st);
	free_before = st.free_pages;
	KUNIT_EXPECT_EQ(test, do_madvise(mm, base + PAGE_SIZE, 2 * PAGE_SIZE,
					 MADV_DONTNEED), 0);
	/* Two pages unmapped and freed, the others untouched. */
	KUNIT_EXPECT_EQ(test, mm_user_leaf(mm, base + PAGE_SIZE, NULL), 0);
	KUNIT_EXPECT_EQ(test, mm_user_leaf(mm, base + 2 * PAGE_SIZE, NULL), 0);
	KUNIT_EXPECT_NE(test, mm_user_leaf(mm, base, NULL), 0);
	KUNIT_EXPECT_NE(test, mm_user_leaf(mm, base + 3 * PAGE_SIZE, NULL), 0);
	mm_page_stats(&st);
	KUNIT_EXPECT_EQ(test, st.free_pages, free_before + 2);
	/* The next access faults in zeroed memory. */
	KUNIT_EXPECT_EQ(test, copy_from_user(mm, &v, base + PAGE_SIZE,
					     sizeof(v)), 0UL);
	KUNIT_EXPECT_EQ(test, v, 0ULL);
	KUNIT_EXPECT_EQ(test, copy_from_user(mm, &v, base, sizeof(v)), 0UL);
	KUNIT_EXPECT_EQ(test, v, race_tag(base));
	race_touch(test, mm, base, 8);
	mm_user_expect_pins(test, mm, base, 8 * PAGE_SIZE, 0);
}

/* A pinned folio outlives its zapped mapping, then goes at unpin. */
static void madvise_dontneed_pinned(struct kunit *test)
{
	struct mm_struct *mm = mm_user_alloc(test);
	unsigned long base = mm_user_map(test, mm, 0, 4 * PAGE_SIZE, RW,
					 VM_KIND_ANON);
	struct physr_list list;
	struct physr_iter it;
	struct folio *folio;
	struct physr r;

	race_touch(test, mm, base, 4);
	physr_list_init(&list);
	KUNIT_ASSERT_EQ(test, pin_user_physr(mm, base, PAGE_SIZE, FOLL_WRITE,
					     &list), 0);
	folio = mm_user_folio(mm, base);
	KUNIT_ASSERT_NOT_NULL(test, folio);
	KUNIT_EXPECT_EQ(test, do_madvise(mm, base, 4 * PAGE_SIZE,
					 MADV_DONTNEED), 0);
	KUNIT_EXPECT_EQ(test, mm_user_leaf(mm, base, NULL), 0);
	/* Only the pin holds it now; its bytes are still there. */
	KUNIT_EXPECT_EQ(test, folio_ref_count(folio),
			(int)GUP_PIN_COUNTING_BIAS);
	physr_iter_init(&it, &list);
	KUNIT_ASSERT_TRUE(test, physr_iter_next(&it, &r));
	KUNIT_EXPECT_EQ(test, *(u64 *)phys_to_virt(r.addr), race_tag(base));
	unpin_user_physr(&list, false);
}

static void madvise_einval(struct kunit *test)
{
	struct mm_struct *mm = mm_user_alloc(test);
	unsigned long thp = mm_user_map(test, mm, 0, SZ_4M, RW, VM_KIND_THP);
	unsigned long anon = mm_user_map(test, mm, 0, 2 * PAGE_SIZE, RW,
					 VM_KIND_ANON);

	race_touch(test, mm, thp, 1);
	KUNIT_EXPECT_EQ(test, do_madvise(mm, anon + 1, PAGE_SIZE,
					 MADV_DONTNEED), -EINVAL);
	KUNIT_EXPECT_EQ(test, do_madvise(mm, anon, PAGE_SIZE, 99), -EINVAL);
	KUNIT_EXPECT_EQ(test, do_madvise(mm, anon, 0, MADV_DONTNEED), 0);
	/* Part of a THP: this machine does not split it. */
	KUNIT_EXPECT_EQ(test, do_madvise(mm, thp, PAGE_SIZE, MADV_DONTNEED),
			-EINVAL);
	KUNIT_EXPECT_NE(test, mm_user_leaf(mm, thp, NULL), 0);
	/* A whole THP goes. */
	KUNIT_EXPECT_EQ(test, do_madvise(mm, thp, SZ_2M, MADV_DONTNEED), 0);
	KUNIT_EXPECT_EQ(test, mm_user_leaf(mm, thp, NULL), 0);
	/* A hole in the range: the rest is zapped, -ENOMEM reported. */
	race_touch(test, mm, anon, 2);
	KUNIT_EXPECT_EQ(test, do_madvise(mm, anon - PAGE_SIZE, 3 * PAGE_SIZE,
					 MADV_DONTNEED), -ENOMEM);
	KUNIT_EXPECT_EQ(test, mm_user_leaf(mm, anon, NULL), 0);
}

/* ---- the race ------------------------------------------------------------- */

struct race_zapper {
	pthread_t thread;
	struct mm_struct *mm;
	unsigned long base;
	bool stop;
	unsigned long rounds;
	int err;
};

/* Zap the buffer, then write it back in a random order, until stopped. */
static void *race_zap_fn(void *arg)
{
	struct race_zapper *z = arg;
	unsigned int order[RACE_PAGES], i, j;
	struct rnd_state rs;

	for (i = 0; i < RACE_PAGES; i++)
		order[i] = i;
	prandom_seed_state(&rs, 0x2a9);
	while (!READ_ONCE(z->stop) && !z->err) {
		z->err = do_madvise(z->mm, z->base, RACE_PAGES * PAGE_SIZE,
				    MADV_DONTNEED);
		for (i = RACE_PAGES; i > 1; i--) {
			j = prandom_u32_below_state(&rs, i);
			swap(order[i - 1], order[j]);
		}
		for (i = 0; i < RACE_PAGES && !z->err; i++)
			z->err = race_write_tag(z->mm, z->base +
						order[i] * PAGE_SIZE);
		z->rounds++;
	}
	return NULL;
}

/*
 * Check what one pin of @n pages at @base gave: every page pinned, in
 * use, and holding nothing or its own address's tag.  Returns the bad
 * pages (and 1 more if the list is not @n pages long).
 */
static unsigned int race_check_one(struct physr_list *list,
				   unsigned long base, unsigned long n)
{
	unsigned long addr = base;
	unsigned int bad = 0;
	struct physr_iter it;
	struct physr r;

	physr_for_each(list, &it, &r) {
		u64 off;

		for (off = 0; off < r.len; off += PAGE_SIZE, addr += PAGE_SIZE) {
			struct page *page = phys_to_page(r.addr + off);
			u64 v = READ_ONCE(*(u64 *)phys_to_virt(r.addr + off));

			bad += !page_maybe_dma_pinned(page) ||
			       test_bit(PG_buddy, &page->flags) ||
			       (v && v != race_tag(addr));
		}
	}
	return bad + (addr != base + n * PAGE_SIZE);
}

static void gup_race_madvise(struct kunit *test)
{
	struct mm_struct *mm = mm_user_alloc(test);
	struct race_zapper z = { .mm = mm };
	unsigned int i, bad = 0, errs = 0;
	struct physr_list list;

	z.base = mm_user_map(test, mm, 0, RACE_PAGES * PAGE_SIZE, RW,
			     VM_KIND_ANON);
	race_touch(test, mm, z.base, RACE_PAGES);
	KUNIT_ASSERT_EQ(test, pthread_create(&z.thread, NULL, race_zap_fn, &z),
			0);
	physr_list_init(&list);
	for (i = 0; i < RACE_MAX_PINS &&
		    (i < RACE_PINS || READ_ONCE(z.rounds) < RACE_ROUNDS); i++) {
		errs += pin_user_physr(mm, z.base, RACE_PAGES * PAGE_SIZE,
				       FOLL_WRITE, &list) != 0;
		bad += race_check_one(&list, z.base, RACE_PAGES);
		unpin_user_physr(&list, false);
	}
	WRITE_ONCE(z.stop, true);
	pthread_join(z.thread, NULL);
	KUNIT_EXPECT_EQ(test, z.err, 0);
	KUNIT_EXPECT_EQ(test, errs, 0U);
	KUNIT_EXPECT_EQ(test, bad, 0U);
	KUNIT_EXPECT_GE(test, z.rounds, (unsigned long)RACE_ROUNDS);
	kunit_info(test, "%u pins against %lu zap rounds", i, z.rounds);

	/* Nothing pinned is left, and each folio holds its mapping only. */
	race_touch(test, mm, z.base, RACE_PAGES);
	mm_user_expect_pins(test, mm, z.base, RACE_PAGES * PAGE_SIZE, 0);
}

/*
 * The race made certain: in the window between pin_user_physr() reading
 * the leaf of the buffer's first page and grabbing its folio, the hook
 * zaps that page and faults in the second (zapped beforehand), which gets
 * the page just freed and writes its own tag there.  The folio is in use
 * again, so a grab without the entry's re-check would pin it for the
 * first page.
 */
struct race_reuse {
	unsigned long base;
	bool reuse;
	unsigned int calls;
	int err;
};

static struct race_reuse race_reuse;

static void race_reuse_hook(struct mm_struct *mm, unsigned long addr)
{
	struct race_reuse *r = &race_reuse;

	if (addr != r->base || r->calls++)
		return;
	r->err = do_madvise(mm, r->base, PAGE_SIZE, MADV_DONTNEED);
	if (!r->err && r->reuse)
		r->err = race_write_tag(mm, r->base + PAGE_SIZE);
}

static void gup_fast_hook_reset(void *unused __always_unused)
{
	gup_fast_test_hook = NULL;
}

static void gup_race_reuse(struct kunit *test)
{
	const bool *reuse = test->param_value;
	struct mm_struct *mm = mm_user_alloc(test);
	struct race_reuse *r = &race_reuse;
	unsigned long base = mm_user_map(test, mm, 0, 2 * PAGE_SIZE, RW,
					 VM_KIND_ANON);
	struct mm_page_stats before, after;
	phys_addr_t first;
	struct physr_list list;

	race_touch(test, mm, base, 2);
	KUNIT_ASSERT_EQ(test, do_madvise(mm, base + PAGE_SIZE, PAGE_SIZE,
					 MADV_DONTNEED), 0);
	first = mm_user_phys(mm, base);
	mm_page_stats(&before);
	*r = (struct race_reuse){ .base = base, .reuse = *reuse };
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							gup_fast_hook_reset,
							NULL), 0);
	gup_fast_test_hook = race_reuse_hook;
	physr_list_init(&list);
	KUNIT_ASSERT_EQ(test, pin_user_physr(mm, base, PAGE_SIZE, FOLL_WRITE,
					     &list), 0);
	gup_fast_test_hook = NULL;
	KUNIT_EXPECT_EQ(test, r->err, 0);
	KUNIT_EXPECT_EQ(test, r->calls, 1U);
	/*
	 * Reused: the freed page went to the second address, as the test
	 * needs, and the first has a new one.  Freed: the slow path faulted
	 * the first address in again, and got that page back.
	 */
	if (*reuse) {
		KUNIT_EXPECT_EQ(test, mm_user_phys(mm, base + PAGE_SIZE), first);
		KUNIT_EXPECT_NE(test, mm_user_phys(mm, base), first);
	}
	/* The pin is of what the first address maps now, nothing else. */
	KUNIT_EXPECT_EQ(test, physr_list_nr_ranges(&list), 1ULL);
	KUNIT_EXPECT_EQ(test, race_check_one(&list, base, 1), 0U);
	mm_user_expect_pins(test, mm, base, PAGE_SIZE, 1);
	unpin_user_physr(&list, false);
	race_touch(test, mm, base, 2);
	mm_user_expect_pins(test, mm, base, 2 * PAGE_SIZE, 0);
	/* Freed once, allocated once or twice: no page lost or freed twice. */
	mm_page_stats(&after);
	KUNIT_EXPECT_EQ(test, after.free_pages + 1, before.free_pages);
}

/* The page zapped in the window is reused (true) or stays free (false). */
static const bool race_reuse_modes[] = { true, false };

static void race_reuse_desc(const bool *reuse, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s",
		 *reuse ? "reused" : "freed");
}
KUNIT_ARRAY_PARAM(race_reuse_modes, race_reuse_modes, race_reuse_desc);

static struct kunit_case gup_race_test_cases[] = {
	KUNIT_CASE(madvise_dontneed_zaps),
	KUNIT_CASE(madvise_dontneed_pinned),
	KUNIT_CASE(madvise_einval),
	KUNIT_CASE_PARAM(gup_race_reuse, race_reuse_modes_gen_params),
	KUNIT_CASE_SLOW(gup_race_madvise),
	{}
};

static struct kunit_suite gup_race_test_suite = {
	.name = "gup_race",
	.suite_init = gup_race_suite_init,
	.suite_exit = gup_race_suite_exit,
	.test_cases = gup_race_test_cases,
};
kunit_test_suite(gup_race_test_suite);
