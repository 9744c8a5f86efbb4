// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the IDA (compat/idr.c): lowest-free allocation, ranges and
 * their limits, leaves and the index of full leaves, -ENOSPC, frees of IDs
 * that are not allocated (WARN), memory returned with the last ID and by
 * ida_destroy(), allocation-failure injection, and concurrent use.
 */
#include <pthread.h>

#include <kunit/fail_nth.h>
#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/fault-inject.h>
#include <linux/idr.h>
#include <linux/limits.h>
#include <linux/slab.h>

static void ida_lowest_free(struct kunit *test)
{
	DEFINE_IDA(ida);
	int i;

	KUNIT_EXPECT_TRUE(test, ida_is_empty(&ida));
	for (i = 0; i < 8; i++)
		KUNIT_EXPECT_EQ(test, ida_alloc(&ida, GFP_KERNEL), i);
	KUNIT_EXPECT_FALSE(test, ida_is_empty(&ida));
	ida_free(&ida, 5);
	ida_free(&ida, 2);
	KUNIT_EXPECT_EQ(test, ida_alloc(&ida, GFP_KERNEL), 2);
	KUNIT_EXPECT_EQ(test, ida_alloc(&ida, GFP_KERNEL), 5);
	KUNIT_EXPECT_EQ(test, ida_alloc(&ida, GFP_KERNEL), 8);
	for (i = 0; i <= 8; i++)
		ida_free(&ida, i);
	KUNIT_EXPECT_TRUE(test, ida_is_empty(&ida));
	KUNIT_EXPECT_EQ(test, ida_alloc(&ida, GFP_KERNEL), 0);
	ida_destroy(&ida);
	KUNIT_EXPECT_TRUE(test, ida_is_empty(&ida));
}

static void ida_ranges(struct kunit *test)
{
	struct ida ida;
	int i;

	ida_init(&ida);
	for (i = 10; i <= 12; i++)
		KUNIT_EXPECT_EQ(test, ida_alloc_range(&ida, 10, 12, GFP_KERNEL), i);
	KUNIT_EXPECT_EQ(test, ida_alloc_range(&ida, 10, 12, GFP_KERNEL), -ENOSPC);
	/* Free IDs outside the range do not count. */
	KUNIT_EXPECT_EQ(test, ida_alloc_range(&ida, 11, 13, GFP_KERNEL), 13);
	KUNIT_EXPECT_EQ(test, ida_alloc_min(&ida, 5, GFP_KERNEL), 5);
	KUNIT_EXPECT_EQ(test, ida_alloc_min(&ida, 10, GFP_KERNEL), 14);
	for (i = 0; i <= 3; i++)
		KUNIT_EXPECT_EQ(test, ida_alloc_max(&ida, 3, GFP_KERNEL), i);
	KUNIT_EXPECT_EQ(test, ida_alloc_max(&ida, 3, GFP_KERNEL), -ENOSPC);
	KUNIT_EXPECT_EQ(test, ida_alloc(&ida, GFP_KERNEL), 4);

	/* An empty range, and a minimum past INT_MAX. */
	KUNIT_EXPECT_EQ(test, ida_alloc_range(&ida, 100, 99, GFP_KERNEL), -ENOSPC);
	KUNIT_EXPECT_EQ(test, ida_alloc_min(&ida, (unsigned int)INT_MAX + 1,
					    GFP_KERNEL), -ENOSPC);
	/* A maximum past INT_MAX means INT_MAX. */
	KUNIT_EXPECT_EQ(test, ida_alloc_range(&ida, INT_MAX, UINT_MAX,
					      GFP_KERNEL), INT_MAX);
	KUNIT_EXPECT_EQ(test, ida_alloc_min(&ida, INT_MAX, GFP_KERNEL), -ENOSPC);
	KUNIT_EXPECT_EQ(test, ida_alloc_min(&ida, INT_MAX - 1, GFP_KERNEL),
			INT_MAX - 1);
	ida_free(&ida, INT_MAX);
	KUNIT_EXPECT_EQ(test, ida_alloc_min(&ida, INT_MAX - 1, GFP_KERNEL),
			INT_MAX);
	ida_destroy(&ida);
}

/* IDs on both sides of leaf boundaries, and full leaves skipped. */
static void ida_across_leaves(struct kunit *test)
{
	enum { NR = 5 * IDA_BITMAP_BITS + 7 };
	DEFINE_IDA(ida);
	int i;

	for (i = 0; i < NR; i++)
		KUNIT_ASSERT_EQ(test, ida_alloc(&ida, GFP_KERNEL), i);
	ida_free(&ida, IDA_BITMAP_BITS - 1);
	ida_free(&ida, IDA_BITMAP_BITS);
	ida_free(&ida, 4 * IDA_BITMAP_BITS + 3);
	KUNIT_EXPECT_EQ(test, ida_alloc(&ida, GFP_KERNEL), IDA_BITMAP_BITS - 1);
	KUNIT_EXPECT_EQ(test, ida_alloc(&ida, GFP_KERNEL), IDA_BITMAP_BITS);
	KUNIT_EXPECT_EQ(test, ida_alloc_min(&ida, 2 * IDA_BITMAP_BITS,
					    GFP_KERNEL), 4 * IDA_BITMAP_BITS + 3);
	KUNIT_EXPECT_EQ(test, ida_alloc_min(&ida, IDA_BITMAP_BITS + 5,
					    GFP_KERNEL), NR);
	/* A range that ends inside a full leaf. */
	KUNIT_EXPECT_EQ(test, ida_alloc_range(&ida, 2 * IDA_BITMAP_BITS,
					      3 * IDA_BITMAP_BITS + 100,
					      GFP_KERNEL), -ENOSPC);
	/* Far above everything: a leaf of its own, past the index. */
	KUNIT_EXPECT_EQ(test, ida_alloc_min(&ida, 1 << 24, GFP_KERNEL), 1 << 24);
	KUNIT_EXPECT_EQ(test, ida_alloc_min(&ida, 1 << 20, GFP_KERNEL), 1 << 20);
	ida_free(&ida, 1 << 24);
	ida_free(&ida, 1 << 20);
	KUNIT_EXPECT_EQ(test, ida_alloc(&ida, GFP_KERNEL), NR + 1);
	ida_destroy(&ida);
}

/* Every ID of a range taken, in a range of several leaves. */
static void ida_full_range(struct kunit *test)
{
	const unsigned int min = 700, max = 700 + 3 * IDA_BITMAP_BITS;
	DEFINE_IDA(ida);
	unsigned int i;

	for (i = min; i <= max; i++)
		KUNIT_ASSERT_EQ(test, ida_alloc_range(&ida, min, max, GFP_KERNEL),
				(int)i);
	KUNIT_EXPECT_EQ(test, ida_alloc_range(&ida, min, max, GFP_KERNEL),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, ida_alloc(&ida, GFP_KERNEL), 0);
	ida_free(&ida, max);
	KUNIT_EXPECT_EQ(test, ida_alloc_range(&ida, min, max, GFP_KERNEL),
			(int)max);
	ida_free(&ida, 2000);
	KUNIT_EXPECT_EQ(test, ida_alloc_range(&ida, min, max, GFP_KERNEL), 2000);
	ida_destroy(&ida);
}

static void ida_free_not_allocated_warns(struct kunit *test)
{
	DEFINE_IDA(ida);

	/* An empty IDA, an ID in an existing leaf, past the index. */
	KUNIT_EXPECT_WARN(test, ida_free(&ida, 0));
	KUNIT_EXPECT_EQ(test, ida_alloc(&ida, GFP_KERNEL), 0);
	KUNIT_EXPECT_WARN(test, ida_free(&ida, 1));
	KUNIT_EXPECT_WARN(test, ida_free(&ida, 1 << 30));
	KUNIT_EXPECT_WARN(test, ida_free(&ida, -1));
	/* A double free; the first one freed the IDA's memory. */
	ida_free(&ida, 0);
	KUNIT_EXPECT_WARN(test, ida_free(&ida, 0));
	KUNIT_EXPECT_TRUE(test, ida_is_empty(&ida));
	/* Nothing changed: the lowest ID is still free. */
	KUNIT_EXPECT_EQ(test, ida_alloc(&ida, GFP_KERNEL), 0);
	ida_destroy(&ida);
}

/* The last free, or ida_destroy(), gives every byte back. */
static void ida_memory_returned(struct kunit *test)
{
	struct alloc_stats before, during, after;
	DEFINE_IDA(ida);
	int i;

	alloc_stats_get(&before);
	for (i = 0; i < 3000; i++)
		KUNIT_ASSERT_EQ(test, ida_alloc(&ida, GFP_KERNEL), i);
	KUNIT_ASSERT_EQ(test, ida_alloc_min(&ida, 1 << 22, GFP_KERNEL), 1 << 22);
	alloc_stats_get(&during);
	/* Three leaves for 0..2999, one far up, and the index. */
	KUNIT_EXPECT_EQ(test, during.live_allocs - before.live_allocs, 5ULL);
	for (i = 2999; i >= 0; i--)
		ida_free(&ida, i);
	ida_free(&ida, 1 << 22);
	alloc_stats_get(&after);
	KUNIT_EXPECT_EQ(test, after.live_allocs, before.live_allocs);
	KUNIT_EXPECT_EQ(test, after.live_bytes, before.live_bytes);

	for (i = 0; i < 3000; i += 2)
		KUNIT_ASSERT_EQ(test, ida_alloc_min(&ida, i, GFP_KERNEL), i);
	ida_destroy(&ida);
	alloc_stats_get(&after);
	KUNIT_EXPECT_EQ(test, after.live_allocs, before.live_allocs);
	KUNIT_EXPECT_TRUE(test, ida_is_empty(&ida));
	KUNIT_EXPECT_EQ(test, ida_alloc(&ida, GFP_KERNEL), 0);
	ida_destroy(&ida);
}

struct ida_fail_ctx {
	struct ida ida;
	unsigned int min;
	int id;
	unsigned int nr_slots;
};

static int ida_fail_alloc(void *arg)
{
	struct ida_fail_ctx *c = arg;

	c->id = ida_alloc_min(&c->ida, c->min, GFP_KERNEL);
	return c->id < 0 ? c->id : 0;
}

/*
 * After a failed round the IDA is as before: the ID the round wanted is
 * still the one it hands out (taken and given back here).
 */
static bool ida_fail_unchanged(struct kunit *test, void *arg)
{
	struct ida_fail_ctx *c = arg;
	int id;

	KUNIT_EXPECT_EQ(test, c->id, -ENOMEM);
	id = ida_alloc_min(&c->ida, c->min, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, id, (int)c->min);
	if (id >= 0)
		ida_free(&c->ida, id);
	return id == (int)c->min;
}

/* As ida_fail_unchanged(), for a round whose ID would grow the index. */
static bool ida_fail_index_unchanged(struct kunit *test, void *arg)
{
	struct ida_fail_ctx *c = arg;

	KUNIT_EXPECT_EQ(test, c->id, -ENOMEM);
	KUNIT_EXPECT_EQ(test, c->ida.nr_slots, c->nr_slots);
	return c->ida.nr_slots == c->nr_slots;
}

static void ida_fail_nth(struct kunit *test)
{
	struct ida_fail_ctx c = {};

	ida_init(&c.ida);
	/* Empty: the index and a leaf. */
	KUNIT_EXPECT_EQ(test, kunit_fail_nth_check(test, ida_fail_alloc,
						   ida_fail_unchanged, &c), 2);
	KUNIT_EXPECT_EQ(test, c.id, 0);
	KUNIT_EXPECT_TRUE(test, !ida_is_empty(&c.ida));
	/* Inside the index: a leaf. */
	c.min = 3 * IDA_BITMAP_BITS;
	KUNIT_EXPECT_EQ(test, kunit_fail_nth_check(test, ida_fail_alloc,
						   ida_fail_unchanged, &c), 1);
	KUNIT_EXPECT_EQ(test, c.id, (int)c.min);
	/* Past the index: a larger index and a leaf. */
	c.min = 1 << 25;
	c.nr_slots = c.ida.nr_slots;
	KUNIT_EXPECT_EQ(test, kunit_fail_nth_check(test, ida_fail_alloc,
						   ida_fail_index_unchanged, &c), 2);
	KUNIT_EXPECT_EQ(test, c.id, (int)c.min);
	/* In an existing leaf: nothing. */
	c.min = 0;
	KUNIT_EXPECT_EQ(test, kunit_fail_nth(test, ida_fail_alloc, &c), 0);
	KUNIT_EXPECT_EQ(test, c.id, 1);
	/* The IDs survived the failed rounds. */
	KUNIT_EXPECT_EQ(test, ida_alloc_range(&c.ida, 0, 1, GFP_KERNEL), -ENOSPC);
	KUNIT_EXPECT_EQ(test, ida_alloc_range(&c.ida, 3 * IDA_BITMAP_BITS,
					      3 * IDA_BITMAP_BITS, GFP_KERNEL),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, ida_alloc_range(&c.ida, 1 << 25, 1 << 25,
					      GFP_KERNEL), -ENOSPC);
	ida_destroy(&c.ida);
}

#define IDA_THREADS		4
#define IDA_PER_THREAD		3000

struct ida_thread {
	pthread_t thread;
	struct ida *ida;
	int ids[IDA_PER_THREAD];
	int errors;
};

/* Allocate, free every other one, allocate again: keep what is held. */
static void *ida_thread_fn(void *arg)
{
	struct ida_thread *t = arg;
	int i;

	for (i = 0; i < IDA_PER_THREAD; i++) {
		t->ids[i] = ida_alloc(t->ida, GFP_KERNEL);
		if (t->ids[i] < 0)
			t->errors++;
	}
	for (i = 0; i < IDA_PER_THREAD; i += 2)
		if (t->ids[i] >= 0)
			ida_free(t->ida, t->ids[i]);
	for (i = 0; i < IDA_PER_THREAD; i += 2) {
		t->ids[i] = ida_alloc(t->ida, GFP_KERNEL);
		if (t->ids[i] < 0)
			t->errors++;
	}
	return NULL;
}

static void ida_threads(struct kunit *test)
{
	enum { TOTAL = IDA_THREADS * IDA_PER_THREAD };
	struct ida_thread *t;
	unsigned long *seen;
	DEFINE_IDA(ida);
	int i, j;

	t = kunit_kcalloc(test, IDA_THREADS, sizeof(*t), GFP_KERNEL);
	seen = kunit_kcalloc(test, BITS_TO_LONGS(TOTAL), sizeof(long),
			     GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_ASSERT_NOT_NULL(test, seen);
	for (i = 0; i < IDA_THREADS; i++) {
		t[i].ida = &ida;
		KUNIT_ASSERT_EQ(test, pthread_create(&t[i].thread, NULL,
						     ida_thread_fn, &t[i]), 0);
	}
	for (i = 0; i < IDA_THREADS; i++)
		pthread_join(t[i].thread, NULL);

	/* Exactly 0..TOTAL-1, each held by one thread. */
	for (i = 0; i < IDA_THREADS; i++) {
		KUNIT_EXPECT_EQ(test, t[i].errors, 0);
		for (j = 0; j < IDA_PER_THREAD; j++) {
			int id = t[i].ids[j];

			KUNIT_ASSERT_GE(test, id, 0);
			KUNIT_ASSERT_LT(test, id, TOTAL);
			KUNIT_EXPECT_FALSE(test, __test_and_set_bit(id, seen));
		}
	}
	KUNIT_EXPECT_EQ(test, ida_alloc(&ida, GFP_KERNEL), TOTAL);
	for (i = 0; i < IDA_THREADS; i++)
		for (j = 0; j < IDA_PER_THREAD; j++)
			ida_free(&ida, t[i].ids[j]);
	ida_free(&ida, TOTAL);
	KUNIT_EXPECT_TRUE(test, ida_is_empty(&ida));
}

static struct kunit_case ida_cases[] = {
	KUNIT_CASE(ida_lowest_free),
	KUNIT_CASE(ida_ranges),
	KUNIT_CASE(ida_across_leaves),
	KUNIT_CASE(ida_full_range),
	KUNIT_CASE(ida_free_not_allocated_warns),
	KUNIT_CASE(ida_memory_returned),
	KUNIT_CASE(ida_fail_nth),
	KUNIT_CASE(ida_threads),
	{}
};

static struct kunit_suite ida_suite = {
	.name = "ida",
	.test_cases = ida_cases,
};
kunit_test_suite(ida_suite);
