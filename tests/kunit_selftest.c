// SPDX-License-Identifier: GPL-2.0
/*
 * Self-tests of the userspace kernel environment: the counting allocator
 * and fault injection (compat/slab.c), the KUnit helpers (kunit_fail_nth,
 * managed memory, WARN accounting) and the compat headers that the rest of
 * physr leans on (refcount, bitops, log2, list, atomics, PRNG, locks).
 */
#include <pthread.h>

#include <asm/page.h>
#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/kallsyms.h>
#include <linux/fault-inject.h>
#include <linux/kernel.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/refcount.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <kunit/fail_nth.h>
#include <kunit/test.h>

/* ---- allocator ---------------------------------------------------------- */

static void slab_test_counters(struct kunit *test)
{
	struct alloc_stats s0, s1, s2;
	char *p;

	alloc_stats_get(&s0);
	p = kmalloc(100, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	memset(p, 0xa5, 100);
	KUNIT_EXPECT_EQ(test, ksize(p), 100);
	alloc_stats_get(&s1);
	KUNIT_EXPECT_EQ(test, s1.live_allocs, s0.live_allocs + 1);
	KUNIT_EXPECT_EQ(test, s1.live_bytes, s0.live_bytes + 100);
	KUNIT_EXPECT_EQ(test, s1.total_allocs, s0.total_allocs + 1);
	kfree(p);
	alloc_stats_get(&s2);
	KUNIT_EXPECT_EQ(test, s2.live_allocs, s0.live_allocs);
	KUNIT_EXPECT_EQ(test, s2.live_bytes, s0.live_bytes);
	KUNIT_EXPECT_EQ(test, s2.total_allocs, s0.total_allocs + 1);
}

static void slab_test_zero_and_null(struct kunit *test)
{
	struct alloc_stats s0, s1;
	u8 *p;
	int i;

	alloc_stats_get(&s0);
	KUNIT_EXPECT_PTR_EQ(test, kmalloc(0, GFP_KERNEL), ZERO_SIZE_PTR);
	kfree(ZERO_SIZE_PTR);
	kfree(NULL);
	kvfree(NULL);
	/* Overflowing array sizes fail without consuming a tick. */
	KUNIT_EXPECT_NULL(test, kmalloc_array(SIZE_MAX / 2, 3, GFP_KERNEL));
	KUNIT_EXPECT_NULL(test, kcalloc(2, SIZE_MAX / 2 + 1, GFP_KERNEL));
	KUNIT_EXPECT_NULL(test, kvmalloc_array(SIZE_MAX, 2, GFP_KERNEL));
	alloc_stats_get(&s1);
	KUNIT_EXPECT_EQ(test, s1.total_allocs, s0.total_allocs);
	KUNIT_EXPECT_EQ(test, s1.live_allocs, s0.live_allocs);

	for (i = 0; i < 16; i++) {
		p = kzalloc(1000 + i, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p);
		KUNIT_EXPECT_TRUE(test, mem_is_zero(p, 1000 + i));
		memset(p, 0xff, 1000 + i);
		kfree(p);
	}
	p = kcalloc(7, 9, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, mem_is_zero(p, 63));
	kfree(p);
}

static void slab_test_alignment(struct kunit *test)
{
	size_t sizes[] = { 1, 8, 24, 100, 4095 };
	unsigned int i;
	void *p;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		p = kmalloc(sizes[i], GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p);
		KUNIT_EXPECT_TRUE_MSG(test, IS_ALIGNED((unsigned long)p, 16),
				      "size %zu at %p", sizes[i], p);
		kfree(p);
	}
	/* Power-of-two sizes are naturally aligned, up to a page. */
	for (i = 4; i <= 14; i++) {
		p = kmalloc(1UL << i, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p);
		KUNIT_EXPECT_TRUE_MSG(test, IS_ALIGNED((unsigned long)p,
						       min(1UL << i, PAGE_SIZE)),
				      "size %lu at %p", 1UL << i, p);
		kfree(p);
	}
}

static void slab_test_krealloc(struct kunit *test)
{
	struct alloc_stats s0, s1;
	u8 *p, *q;
	int i;

	alloc_stats_get(&s0);
	p = krealloc(NULL, 10, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	for (i = 0; i < 10; i++)
		p[i] = i;
	q = krealloc(p, 50, GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, q);
	for (i = 0; i < 10; i++)
		KUNIT_EXPECT_EQ(test, q[i], i);
	KUNIT_EXPECT_TRUE(test, mem_is_zero(q + 10, 40));
	KUNIT_EXPECT_EQ(test, ksize(q), 50);

	/* A failed krealloc leaves the old object intact. */
	fail_nth_set(1);
	p = krealloc(q, 5000, GFP_KERNEL);
	KUNIT_EXPECT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, q[9], 9);
	KUNIT_EXPECT_EQ(test, ksize(q), 50);

	p = krealloc(q, 4, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, p[3], 3);
	alloc_stats_get(&s1);
	KUNIT_EXPECT_EQ(test, s1.live_allocs, s0.live_allocs + 1);
	KUNIT_EXPECT_EQ(test, s1.live_bytes, s0.live_bytes + 4);
	KUNIT_EXPECT_PTR_EQ(test, krealloc(p, 0, GFP_KERNEL), ZERO_SIZE_PTR);
}

static void slab_test_limits(struct kunit *test)
{
	void *p;

	KUNIT_EXPECT_NULL(test, kmalloc(KMALLOC_MAX_SIZE + 1,
					GFP_KERNEL | __GFP_NOWARN));
	KUNIT_EXPECT_WARN(test, p = kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL));
	KUNIT_EXPECT_NULL(test, p);

	p = kvmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	memset(p, 1, KMALLOC_MAX_SIZE + 1);
	kvfree(p);

	/* kfree() of kvmalloc() memory is a bug the allocator reports. */
	p = kvzalloc(64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_WARN(test, kfree(p));

	/* kvfree() takes kmalloc() memory too. */
	p = kmalloc(64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	kvfree(p);
}

static void slab_test_strings(struct kunit *test)
{
	static const u8 bytes[5] = { 1, 2, 3, 4, 5 };
	char *s = kstrdup("physr", GFP_KERNEL);
	u8 *m;

	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_STREQ(test, s, "physr");
	KUNIT_EXPECT_EQ(test, ksize(s), 6);
	kfree(s);
	KUNIT_EXPECT_NULL(test, kstrdup(NULL, GFP_KERNEL));

	m = kmemdup(bytes, sizeof(bytes), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_MEMEQ(test, m, bytes, sizeof(bytes));
	kfree(m);
}

static int ctor_calls;

static void slab_test_ctor(void *obj)
{
	*(u64 *)obj = 0x1234;
	ctor_calls++;
}

static void slab_test_kmem_cache(struct kunit *test)
{
	struct kmem_cache *c;
	u64 *a, *b;

	c = kmem_cache_create("selftest", 40, 64, 0, slab_test_ctor);
	KUNIT_ASSERT_NOT_NULL(test, c);
	ctor_calls = 0;
	a = kmem_cache_alloc(c, GFP_KERNEL);
	b = kmem_cache_alloc(c, GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, a);
	KUNIT_EXPECT_NOT_NULL(test, b);
	if (a && b) {
		KUNIT_EXPECT_EQ(test, *a, 0x1234);
		KUNIT_EXPECT_TRUE(test, IS_ALIGNED((unsigned long)a, 64));
		KUNIT_EXPECT_TRUE(test, IS_ALIGNED((unsigned long)b, 64));
	}
	KUNIT_EXPECT_EQ(test, ctor_calls, 2);
	kmem_cache_free(c, a);
	kmem_cache_free(c, b);
	kmem_cache_destroy(c);
}

/* ---- fail_nth ------------------------------------------------------------ */

static void fail_nth_test_semantics(struct kunit *test)
{
	struct alloc_stats s0, s1;
	void *p[4];
	int i;

	/* 1 fails the very next allocation, and only that one. */
	fail_nth_set(1);
	KUNIT_EXPECT_FALSE(test, fail_nth_triggered());
	KUNIT_EXPECT_EQ(test, fail_nth_remaining(), 1);
	alloc_stats_get(&s0);
	KUNIT_EXPECT_NULL(test, kmalloc(8, GFP_KERNEL));
	alloc_stats_get(&s1);
	KUNIT_EXPECT_TRUE(test, fail_nth_triggered());
	KUNIT_EXPECT_EQ(test, fail_nth_remaining(), 0);
	KUNIT_EXPECT_EQ(test, s1.live_allocs, s0.live_allocs);
	KUNIT_EXPECT_EQ(test, s1.total_allocs, s0.total_allocs);
	p[0] = kmalloc(8, GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, p[0]);
	kfree(p[0]);

	/* 3: the first two succeed, the third fails, the fourth succeeds. */
	fail_nth_set(3);
	for (i = 0; i < 4; i++)
		p[i] = kmalloc(16, GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, p[0]);
	KUNIT_EXPECT_NOT_NULL(test, p[1]);
	KUNIT_EXPECT_NULL(test, p[2]);
	KUNIT_EXPECT_NOT_NULL(test, p[3]);
	KUNIT_EXPECT_TRUE(test, fail_nth_triggered());
	for (i = 0; i < 4; i++)
		kfree(p[i]);

	/* Re-arming resets the trigger; 0 disarms. */
	fail_nth_set(2);
	KUNIT_EXPECT_FALSE(test, fail_nth_triggered());
	KUNIT_EXPECT_FALSE(test, should_fail_alloc(GFP_KERNEL));
	KUNIT_EXPECT_EQ(test, fail_nth_remaining(), 1);
	fail_nth_set(0);
	for (i = 0; i < 100; i++)
		KUNIT_EXPECT_FALSE(test, should_fail_alloc(GFP_KERNEL));
	KUNIT_EXPECT_FALSE(test, fail_nth_triggered());

	/* kzalloc, kvmalloc and kstrdup share the tick. */
	fail_nth_set(1);
	KUNIT_EXPECT_NULL(test, kvzalloc(10, GFP_KERNEL));
	fail_nth_set(1);
	KUNIT_EXPECT_NULL(test, kstrdup("x", GFP_KERNEL));
	fail_nth_set(1);
	KUNIT_EXPECT_TRUE(test, should_fail_alloc(GFP_KERNEL));
	KUNIT_EXPECT_TRUE(test, fail_nth_triggered());
}

/*
 * fail_nth_set_nowait(): the kernel's ignore-gfp-wait.  Allocations that
 * may sleep neither fail nor count; the n-th one that may not fails.  And
 * every attempt records its flags for alloc_last_gfp().
 */
static void fail_nth_test_nowait(struct kunit *test)
{
	void *p;

	KUNIT_EXPECT_FALSE(test, gfpflags_allow_blocking(GFP_ATOMIC));
	KUNIT_EXPECT_FALSE(test, gfpflags_allow_blocking(GFP_NOWAIT));
	KUNIT_EXPECT_TRUE(test, gfpflags_allow_blocking(GFP_KERNEL));
	KUNIT_EXPECT_TRUE(test, gfpflags_allow_blocking(GFP_NOIO));

	fail_nth_set_nowait(2);
	p = kmalloc(8, GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, p);
	kfree(p);
	KUNIT_EXPECT_EQ(test, alloc_last_gfp(), GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, fail_nth_remaining(), 2);
	p = kmalloc(8, GFP_ATOMIC);		/* tick 1 */
	KUNIT_EXPECT_NOT_NULL(test, p);
	kfree(p);
	KUNIT_EXPECT_EQ(test, alloc_last_gfp(), GFP_ATOMIC);
	p = kvmalloc(8, GFP_KERNEL);		/* no tick */
	KUNIT_EXPECT_NOT_NULL(test, p);
	kvfree(p);
	KUNIT_EXPECT_EQ(test, fail_nth_remaining(), 1);
	KUNIT_EXPECT_FALSE(test, fail_nth_triggered());
	KUNIT_EXPECT_NULL(test, kzalloc(8, GFP_NOWAIT));	/* tick 2 */
	KUNIT_EXPECT_TRUE(test, fail_nth_triggered());
	KUNIT_EXPECT_EQ(test, alloc_last_gfp(), GFP_NOWAIT | __GFP_ZERO);

	/* The page allocator ticks with its flags too. */
	fail_nth_set_nowait(1);
	KUNIT_EXPECT_FALSE(test, should_fail_alloc(GFP_KERNEL | __GFP_ZERO));
	KUNIT_EXPECT_TRUE(test, should_fail_alloc(GFP_ATOMIC | __GFP_ZERO));

	/* fail_nth_set() arms the plain mode again. */
	fail_nth_set(1);
	KUNIT_EXPECT_TRUE(test, should_fail_alloc(GFP_KERNEL));
	fail_nth_set(0);
}

#define FAIL_NTH_THREADS	4
#define FAIL_NTH_TICKS		5000

static void *fail_nth_thread(void *arg)
{
	unsigned long *fails = arg;
	int i;

	for (i = 0; i < FAIL_NTH_TICKS; i++)
		*fails += should_fail_alloc(GFP_KERNEL);
	return NULL;
}

static void fail_nth_test_threads(struct kunit *test)
{
	unsigned long fails[FAIL_NTH_THREADS] = { 0 }, total = 0;
	pthread_t th[FAIL_NTH_THREADS];
	int i;

	/* Exactly one of all concurrent ticks fails. */
	fail_nth_set(FAIL_NTH_THREADS * FAIL_NTH_TICKS / 2);
	for (i = 0; i < FAIL_NTH_THREADS; i++)
		KUNIT_ASSERT_EQ(test, pthread_create(&th[i], NULL,
						     fail_nth_thread,
						     &fails[i]), 0);
	for (i = 0; i < FAIL_NTH_THREADS; i++) {
		pthread_join(th[i], NULL);
		total += fails[i];
	}
	KUNIT_EXPECT_EQ(test, total, 1);
	KUNIT_EXPECT_TRUE(test, fail_nth_triggered());
}

/* An object built from three allocations, unwound properly on failure. */
struct three {
	struct list_head node;
	char *name;
	u64 *table;
};

struct three_ctx {
	struct list_head objs;
	unsigned int built;
	bool lose_error;	/* bug injection for the helper's own test */
	bool leak;		/* bug injection for the helper's own test */
	void *leaked;
};

static int three_build(void *arg)
{
	struct three_ctx *ctx = arg;
	struct three *t;
	int ret = -ENOMEM;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		goto out;
	t->name = kstrdup("three", GFP_KERNEL);
	if (!t->name)
		goto out_free_t;
	t->table = kcalloc(64, sizeof(*t->table), GFP_KERNEL);
	if (!t->table)
		goto out_free_name;
	list_add_tail(&t->node, &ctx->objs);
	ctx->built++;
	return 0;

out_free_name:
	if (ctx->leak) {
		ctx->leaked = t->name;
		t->name = NULL;
	}
	kfree(t->name);
out_free_t:
	kfree(t);
out:
	return ctx->lose_error ? 0 : ret;
}

static bool three_unchanged(struct kunit *test, void *arg)
{
	struct three_ctx *ctx = arg;

	KUNIT_EXPECT_EQ(test, list_count_nodes(&ctx->objs), ctx->built);
	return list_count_nodes(&ctx->objs) == ctx->built;
}

static void three_destroy_all(struct three_ctx *ctx)
{
	struct three *t, *n;

	list_for_each_entry_safe(t, n, &ctx->objs, node) {
		list_del(&t->node);
		kfree(t->table);
		kfree(t->name);
		kfree(t);
	}
}

static void fail_nth_test_helper(struct kunit *test)
{
	struct three_ctx ctx = { .objs = LIST_HEAD_INIT(ctx.objs) };
	int rounds;

	rounds = kunit_fail_nth_check(test, three_build, three_unchanged, &ctx);
	KUNIT_EXPECT_EQ(test, rounds, 3);
	KUNIT_EXPECT_EQ(test, ctx.built, 1);
	KUNIT_EXPECT_EQ(test, list_count_nodes(&ctx.objs), 1);

	/* Again, with one object already there: the check sees it stay. */
	rounds = kunit_fail_nth(test, three_build, &ctx);
	KUNIT_EXPECT_EQ(test, rounds, 3);
	KUNIT_EXPECT_EQ(test, list_count_nodes(&ctx.objs), 2);
	three_destroy_all(&ctx);
}

static int no_alloc_op(void *arg)
{
	(void)arg;
	return 0;
}

/*
 * The helper must catch buggy operations.  Run it on a stand-in case so
 * the failures it reports land there, not on this case.
 */
static void fail_nth_test_catches_bugs(struct kunit *test)
{
	struct three_ctx ctx = { .objs = LIST_HEAD_INIT(ctx.objs) };
	struct kunit fake = {
		.name = "fail_nth_test_catches_bugs(stand-in, failure expected)",
		.indent = test->indent,
	};

	INIT_LIST_HEAD(&fake.actions);
	KUNIT_EXPECT_EQ(test, kunit_fail_nth(&fake, no_alloc_op, NULL), 0);
	KUNIT_EXPECT_EQ(test, fake.status, KUNIT_SUCCESS);

	/* Leak on the third failure. */
	ctx.leak = true;
	KUNIT_EXPECT_EQ(test, kunit_fail_nth(&fake, three_build, &ctx), 3);
	KUNIT_EXPECT_EQ(test, fake.status, KUNIT_FAILURE);
	KUNIT_EXPECT_NOT_NULL(test, ctx.leaked);
	kfree(ctx.leaked);
	KUNIT_EXPECT_EQ(test, ctx.built, 0);

	/* Swallow the error: the first round already gives it away. */
	fake.status = KUNIT_SUCCESS;
	ctx.leak = false;
	ctx.lose_error = true;
	KUNIT_EXPECT_EQ(test, kunit_fail_nth(&fake, three_build, &ctx), 1);
	KUNIT_EXPECT_EQ(test, fake.status, KUNIT_FAILURE);
	three_destroy_all(&ctx);
}

/* ---- KUnit itself ---------------------------------------------------- */

static void kunit_test_int_compare(struct kunit *test)
{
	/* Values, not C conversions: -1 < 0U, and 2^64-1 != -1. */
	KUNIT_EXPECT_LT(test, -1, 0U);
	KUNIT_EXPECT_NE(test, (u64)-1, -1);
	KUNIT_EXPECT_GT(test, U64_MAX, S64_MAX);
	KUNIT_EXPECT_LE(test, S64_MIN, -1LL);
	KUNIT_EXPECT_EQ(test, (u8)255, 255);
	KUNIT_EXPECT_EQ(test, true, 1);
	KUNIT_EXPECT_GE(test, (size_t)5, 5);
	KUNIT_EXPECT_FALSE(test, kunit_int_compare(__KUNIT_INT(-1),
						   KUNIT_OP_EQ,
						   __KUNIT_INT(UINT_MAX)));
	KUNIT_EXPECT_TRUE(test, kunit_int_compare(__KUNIT_INT(-5),
						  KUNIT_OP_LT,
						  __KUNIT_INT(-4)));
	KUNIT_EXPECT_PTR_NE(test, test, NULL);
	KUNIT_EXPECT_NOT_ERR_OR_NULL(test, test);
	KUNIT_EXPECT_TRUE(test, IS_ERR(ERR_PTR(-EINVAL)));
	KUNIT_EXPECT_STRNEQ(test, "a", "b");
}

static void kunit_test_managed(struct kunit *test)
{
	struct alloc_stats s0, s1;
	u32 *a;
	char *s;

	alloc_stats_get(&s0);
	a = kunit_kcalloc(test, 8, sizeof(*a), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_TRUE(test, mem_is_zero(a, 8 * sizeof(*a)));
	s = kunit_kstrdup(test, "managed", GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	alloc_stats_get(&s1);
	KUNIT_EXPECT_EQ(test, s1.live_allocs, s0.live_allocs + 2);
	kunit_kfree(test, s);
	alloc_stats_get(&s1);
	KUNIT_EXPECT_EQ(test, s1.live_allocs, s0.live_allocs + 1);
	/* @a is freed by the runner before its leak check. */
}

static void kunit_test_count_action(void *arg)
{
	(*(int *)arg)++;
}

static void kunit_test_actions(struct kunit *test)
{
	static int count;

	count = 0;
	KUNIT_ASSERT_EQ(test, kunit_add_action(test, kunit_test_count_action,
					       &count), 0);
	kunit_release_action(test, kunit_test_count_action, &count);
	KUNIT_EXPECT_EQ(test, count, 1);
	kunit_release_action(test, kunit_test_count_action, &count);
	KUNIT_EXPECT_EQ(test, count, 1);

	KUNIT_ASSERT_EQ(test, kunit_add_action(test, kunit_test_count_action,
					       &count), 0);
	kunit_remove_action(test, kunit_test_count_action, &count);
	kunit_release_action(test, kunit_test_count_action, &count);
	KUNIT_EXPECT_EQ(test, count, 1);
}

static void kunit_test_warn(struct kunit *test)
{
	unsigned long w = compat_warn_count();
	int i;

	KUNIT_EXPECT_FALSE(test, WARN_ON(0));
	KUNIT_EXPECT_EQ(test, compat_warn_count(), w);
	KUNIT_EXPECT_WARN(test, KUNIT_EXPECT_TRUE(test, WARN_ON(1)));
	KUNIT_EXPECT_WARN(test, WARN(2 > 1, "formatted %d\n", 42));

	/* WARN_ON_ONCE: true every time, reported once. */
	kunit_expect_warn(test, 1);
	w = compat_warn_count();
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_TRUE(test, WARN_ON_ONCE(i >= 0));
	KUNIT_EXPECT_EQ(test, compat_warn_count(), w + 1);
}

static void kunit_test_skip(struct kunit *test)
{
	kunit_skip(test, "skipping works (%d)", 1);
	KUNIT_FAIL(test, "not reached after kunit_skip()");
}

struct log2_case {
	unsigned long n;
	int ilog2;
	unsigned long up, down;
	int order;
};

static const struct log2_case log2_cases[] = {
	{ 1, 0, 1, 1, 0 },
	{ 2, 1, 2, 2, 1 },
	{ 3, 1, 4, 2, 2 },
	{ 4096, 12, 4096, 4096, 12 },
	{ 4097, 12, 8192, 4096, 13 },
	{ 1UL << 63, 63, 1UL << 63, 1UL << 63, 63 },
};

static void log2_case_desc(const struct log2_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "n=%lu", c->n);
}

KUNIT_ARRAY_PARAM(log2, log2_cases, log2_case_desc);

static void log2_test_param(struct kunit *test)
{
	const struct log2_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, ilog2(c->n), c->ilog2);
	KUNIT_EXPECT_EQ(test, roundup_pow_of_two(c->n), c->up);
	KUNIT_EXPECT_EQ(test, rounddown_pow_of_two(c->n), c->down);
	KUNIT_EXPECT_EQ(test, order_base_2(c->n), c->order);
	KUNIT_EXPECT_EQ(test, is_power_of_2(c->n), c->n == c->down);
}

/* ---- compat headers ---------------------------------------------------- */

static void compat_test_refcount(struct kunit *test)
{
	refcount_t r = REFCOUNT_INIT(1);
	struct kref k;

	refcount_inc(&r);
	KUNIT_EXPECT_EQ(test, refcount_read(&r), 2);
	KUNIT_EXPECT_FALSE(test, refcount_dec_and_test(&r));
	KUNIT_EXPECT_TRUE(test, refcount_dec_and_test(&r));
	KUNIT_EXPECT_FALSE(test, refcount_inc_not_zero(&r));
	KUNIT_EXPECT_EQ(test, refcount_read(&r), 0);

	/* Increment from zero: use after free, saturates. */
	KUNIT_EXPECT_WARN(test, refcount_inc(&r));
	KUNIT_EXPECT_EQ(test, (int)refcount_read(&r), REFCOUNT_SATURATED);
	/* A saturated count never reaches zero again. */
	KUNIT_EXPECT_WARN(test,
			  KUNIT_EXPECT_FALSE(test, refcount_dec_and_test(&r)));

	refcount_set(&r, 0);
	KUNIT_EXPECT_WARN(test,
			  KUNIT_EXPECT_FALSE(test, refcount_dec_and_test(&r)));
	KUNIT_EXPECT_EQ(test, (int)refcount_read(&r), REFCOUNT_SATURATED);

	refcount_set(&r, INT_MAX);
	KUNIT_EXPECT_WARN(test, refcount_inc(&r));
	KUNIT_EXPECT_EQ(test, (int)refcount_read(&r), REFCOUNT_SATURATED);

	kref_init(&k);
	kref_get(&k);
	KUNIT_EXPECT_EQ(test, kref_read(&k), 2);
	KUNIT_EXPECT_TRUE(test, kref_get_unless_zero(&k));
	KUNIT_EXPECT_EQ(test, kref_read(&k), 3);
}

static void compat_test_bitops(struct kunit *test)
{
	DECLARE_BITMAP(map, 200);
	unsigned long bit, n = 0;

	KUNIT_EXPECT_EQ(test, BIT(5), 32);
	KUNIT_EXPECT_EQ(test, BIT_ULL(40), 1ULL << 40);
	KUNIT_EXPECT_EQ(test, GENMASK(7, 4), 0xf0);
	KUNIT_EXPECT_EQ(test, GENMASK(63, 0), ~0UL);
	KUNIT_EXPECT_EQ(test, GENMASK_ULL(51, 12), 0x000ffffffffff000ULL);
	KUNIT_EXPECT_EQ(test, __ffs(0x100UL), 8);
	KUNIT_EXPECT_EQ(test, __fls(0x100UL), 8);
	KUNIT_EXPECT_EQ(test, __fls(~0UL), 63);
	KUNIT_EXPECT_EQ(test, ffs(0), 0);
	KUNIT_EXPECT_EQ(test, ffs(0x10), 5);
	KUNIT_EXPECT_EQ(test, fls(0), 0);
	KUNIT_EXPECT_EQ(test, fls(0x80000000u), 32);
	KUNIT_EXPECT_EQ(test, fls64(0), 0);
	KUNIT_EXPECT_EQ(test, fls64(1ULL << 63), 64);
	KUNIT_EXPECT_EQ(test, hweight64(0xf0f0f0f0f0f0f0f0ULL), 32);
	KUNIT_EXPECT_EQ(test, hweight32(7), 3);

	bitmap_zero(map, 200);
	KUNIT_EXPECT_TRUE(test, bitmap_empty(map, 200));
	KUNIT_EXPECT_EQ(test, find_first_bit(map, 200), 200);
	set_bit(3, map);
	__set_bit(64, map);
	set_bit(199, map);
	KUNIT_EXPECT_TRUE(test, test_bit(64, map));
	KUNIT_EXPECT_FALSE(test, test_bit(65, map));
	KUNIT_EXPECT_EQ(test, find_first_bit(map, 200), 3);
	KUNIT_EXPECT_EQ(test, find_next_bit(map, 200, 4), 64);
	KUNIT_EXPECT_EQ(test, find_next_bit(map, 200, 65), 199);
	KUNIT_EXPECT_EQ(test, find_next_bit(map, 199, 65), 199);
	KUNIT_EXPECT_EQ(test, find_next_zero_bit(map, 200, 3), 4);
	KUNIT_EXPECT_EQ(test, bitmap_weight(map, 200), 3);
	for_each_set_bit(bit, map, 200)
		n += bit;
	KUNIT_EXPECT_EQ(test, n, 3 + 64 + 199);
	KUNIT_EXPECT_TRUE(test, test_and_clear_bit(64, map));
	KUNIT_EXPECT_FALSE(test, test_and_clear_bit(64, map));
	KUNIT_EXPECT_FALSE(test, test_and_set_bit(100, map));
	KUNIT_EXPECT_TRUE(test, test_and_set_bit(100, map));
	clear_bit(3, map);
	KUNIT_EXPECT_EQ(test, find_first_bit(map, 200), 100);

	bitmap_fill(map, 128);
	KUNIT_EXPECT_EQ(test, find_first_zero_bit(map, 128), 128);
	bitmap_clear(map, 60, 10);
	KUNIT_EXPECT_EQ(test, find_first_zero_bit(map, 128), 60);
	KUNIT_EXPECT_EQ(test, find_next_bit(map, 128, 60), 70);
	KUNIT_EXPECT_EQ(test, bitmap_weight(map, 128), 118);
}

static void compat_test_log2(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, ilog2(SZ_1G), 30);
	KUNIT_EXPECT_EQ(test, ilog2(SZ_4G), 32);
	KUNIT_EXPECT_TRUE(test, is_power_of_2(SZ_2M));
	KUNIT_EXPECT_FALSE(test, is_power_of_2(0));
	KUNIT_EXPECT_FALSE(test, is_power_of_2(SZ_2M + SZ_4K));
	KUNIT_EXPECT_EQ(test, order_base_2(0), 0);
	KUNIT_EXPECT_EQ(test, SZ_16G, 16ULL << 30);
	BUILD_BUG_ON(ilog2(SZ_2M) != 21);
}

struct item {
	int v;
	struct list_head node;
};

static void compat_test_list(struct kunit *test)
{
	struct item it[5], *pos, *n;
	LIST_HEAD(a);
	LIST_HEAD(b);
	int i, sum = 0, expect[5] = { 3, 4, 0, 1, 2 };

	KUNIT_EXPECT_TRUE(test, list_empty(&a));
	KUNIT_EXPECT_NULL(test, list_first_entry_or_null(&a, struct item, node));
	for (i = 0; i < 5; i++) {
		it[i].v = i;
		list_add_tail(&it[i].node, i < 3 ? &a : &b);
	}
	KUNIT_EXPECT_PTR_EQ(test, list_first_entry(&a, struct item, node), &it[0]);
	KUNIT_EXPECT_PTR_EQ(test, list_last_entry(&b, struct item, node), &it[4]);
	list_splice_init(&b, &a);		/* b's items go first */
	KUNIT_EXPECT_TRUE(test, list_empty(&b));
	i = 0;
	list_for_each_entry(pos, &a, node) {
		KUNIT_EXPECT_EQ(test, pos->v, expect[i]);
		i++;
	}
	KUNIT_EXPECT_EQ(test, i, 5);
	KUNIT_EXPECT_EQ(test, list_count_nodes(&a), 5);

	list_move_tail(&it[3].node, &a);
	KUNIT_EXPECT_PTR_EQ(test, list_last_entry(&a, struct item, node), &it[3]);
	list_move(&it[2].node, &b);
	KUNIT_EXPECT_TRUE(test, list_is_singular(&b));

	list_for_each_entry_safe(pos, n, &a, node) {
		sum += pos->v;
		list_del(&pos->node);
	}
	KUNIT_EXPECT_EQ(test, sum, 0 + 1 + 3 + 4);
	KUNIT_EXPECT_TRUE(test, list_empty(&a));
}

static void compat_test_atomic(struct kunit *test)
{
	atomic_t a = ATOMIC_INIT(5);
	atomic64_t b = ATOMIC64_INIT(1LL << 40);
	atomic_long_t c = ATOMIC_LONG_INIT(0);
	int old = 4;
	u64 v = 1000003;

	KUNIT_EXPECT_EQ(test, atomic_fetch_add(2, &a), 5);
	KUNIT_EXPECT_EQ(test, atomic_read(&a), 7);
	KUNIT_EXPECT_FALSE(test, atomic_try_cmpxchg(&a, &old, 9));
	KUNIT_EXPECT_EQ(test, old, 7);
	KUNIT_EXPECT_TRUE(test, atomic_try_cmpxchg(&a, &old, 9));
	KUNIT_EXPECT_EQ(test, atomic_cmpxchg(&a, 9, 1), 9);
	KUNIT_EXPECT_TRUE(test, atomic_dec_and_test(&a));
	KUNIT_EXPECT_FALSE(test, atomic_inc_not_zero(&a));
	KUNIT_EXPECT_EQ(test, atomic64_add_return(1, &b), (1LL << 40) + 1);
	KUNIT_EXPECT_EQ(test, atomic_long_dec_return(&c), -1);
	KUNIT_EXPECT_EQ(test, atomic_long_xchg(&c, 3), -1);

	KUNIT_EXPECT_EQ(test, do_div(v, 1000), 3);
	KUNIT_EXPECT_EQ(test, v, 1000);
	KUNIT_EXPECT_EQ(test, div64_u64(U64_MAX, 1ULL << 32), U32_MAX);
	KUNIT_EXPECT_EQ(test, mul_u64_u64_div_u64(1ULL << 62, 12, 8),
			(1ULL << 62) / 2 * 3);
}

/* ---- kallsyms, %pS ------------------------------------------------------- */

/*
 * Its caller's return address: noinline, so that _RET_IP_ is in the
 * caller; the barrier keeps the caller's call from being a tail call.
 */
static noinline unsigned long kallsyms_test_caller(void)
{
	unsigned long ip = _RET_IP_;

	barrier();
	return ip;
}

/*
 * The symboliser resolves static functions, at their start and inside,
 * as %pS prints them; an address in no function prints in hex; and
 * printk's formatter prints %pS and %ps among the C library's
 * conversions, which it leaves as they were.
 */
static void compat_test_kallsyms(struct kunit *test)
{
	char buf[KSYM_SYMBOL_LEN * 2], want[KSYM_SYMBOL_LEN * 2];
	unsigned long fn = (unsigned long)compat_test_kallsyms;
	unsigned long size, off, ip;
	int n;

	KUNIT_ASSERT_TRUE(test, kallsyms_lookup_size_offset(fn, &size, &off));
	KUNIT_EXPECT_EQ(test, off, 0);
	KUNIT_EXPECT_GT(test, size, 16);
	sprint_symbol_no_offset(buf, fn);
	KUNIT_EXPECT_STREQ(test, buf, "compat_test_kallsyms");
	n = sprint_symbol(buf, fn + 5);
	snprintf(want, sizeof(want), "compat_test_kallsyms+0x5/%#lx", size);
	KUNIT_EXPECT_STREQ(test, buf, want);
	KUNIT_EXPECT_EQ(test, n, (int)strlen(want));
	/* The last byte is in, the next one is not this function's. */
	KUNIT_EXPECT_TRUE(test, kallsyms_lookup_size_offset(fn + size - 1,
							    NULL, &off));
	KUNIT_EXPECT_EQ(test, off, size - 1);
	sprint_symbol_no_offset(buf, fn + size);
	KUNIT_EXPECT_STRNEQ(test, buf, "compat_test_kallsyms");

	/* _RET_IP_ of a function that is not inlined: in its caller. */
	ip = kallsyms_test_caller();
	sprint_symbol_no_offset(buf, ip);
	KUNIT_EXPECT_STREQ(test, buf, "compat_test_kallsyms");
	KUNIT_EXPECT_TRUE(test, kallsyms_lookup_size_offset(ip, NULL, &off));
	KUNIT_EXPECT_GT(test, off, 0);

	/* Nowhere: hex, as the kernel prints what kallsyms does not know. */
	KUNIT_EXPECT_FALSE(test, kallsyms_lookup_size_offset(0x10, NULL, NULL));
	sprint_symbol(buf, 0x10);
	KUNIT_EXPECT_STREQ(test, buf, "0x10");

	/* printk's formatter. */
	n = compat_snprintf(buf, sizeof(buf),
			    "%s|%5d|%-4x|%pS|%ps|%.2f|%zu|%lld|%c|%%|%*s|%hhu",
			    "str", -42, 0xab, (void *)(fn + 5), (void *)fn, 2.5,
			    (size_t)7, -9LL, 'z', 3, "ab", 257);
	snprintf(want, sizeof(want),
		 "str|  -42|ab  |compat_test_kallsyms+0x5/%#lx|compat_test_kallsyms|2.50|7|-9|z|%%| ab|1",
		 size);
	KUNIT_EXPECT_STREQ(test, buf, want);
	KUNIT_EXPECT_EQ(test, n, (int)strlen(want));
	/* Truncated: the whole length, a terminated prefix. */
	n = compat_snprintf(buf, 8, "%ps!", (void *)fn);
	KUNIT_EXPECT_EQ(test, n, (int)strlen("compat_test_kallsyms!"));
	KUNIT_EXPECT_STREQ(test, buf, "compat_");
	/* %p alone, and a %p followed by another letter, as before. */
	compat_snprintf(buf, sizeof(buf), "%p|%pa", (void *)fn, (void *)fn);
	snprintf(want, sizeof(want), "%p|%pa", (void *)fn, (void *)fn);
	KUNIT_EXPECT_STREQ(test, buf, want);
}

static void compat_test_random(struct kunit *test)
{
	struct rnd_state a, b;
	u64 x[8];
	int i, hist[10] = { 0 };

	prandom_seed_state(&a, 42);
	prandom_seed_state(&b, 42);
	for (i = 0; i < 8; i++) {
		x[i] = prandom_u64_state(&a);
		KUNIT_EXPECT_EQ(test, x[i], prandom_u64_state(&b));
	}
	KUNIT_EXPECT_NE(test, x[0], x[1]);
	prandom_seed_state(&b, 43);
	KUNIT_EXPECT_NE(test, prandom_u64_state(&b), x[0]);
	/* Seed 0 is fine too. */
	prandom_seed_state(&b, 0);
	KUNIT_EXPECT_NE(test, prandom_u64_state(&b), 0);

	for (i = 0; i < 10000; i++)
		hist[prandom_u32_below_state(&a, 10)]++;
	for (i = 0; i < 10; i++) {
		KUNIT_EXPECT_GT(test, hist[i], 800);
		KUNIT_EXPECT_LT(test, hist[i], 1200);
	}
	KUNIT_EXPECT_EQ(test, prandom_u64_below_state(&a, 1), 0);
	KUNIT_EXPECT_EQ(test, prandom_u64_below_state(&a, 0), 0);
}

static DEFINE_MUTEX(selftest_mutex);

static void compat_test_locks(struct kunit *test)
{
	DEFINE_SPINLOCK(sl);
	unsigned long flags;

	mutex_lock(&selftest_mutex);
	lockdep_assert_held(&selftest_mutex);
	KUNIT_EXPECT_TRUE(test, mutex_is_locked(&selftest_mutex));
	KUNIT_EXPECT_FALSE(test, mutex_trylock(&selftest_mutex));
	mutex_unlock(&selftest_mutex);
	KUNIT_EXPECT_WARN(test, lockdep_assert_held(&selftest_mutex));
	KUNIT_EXPECT_TRUE(test, mutex_trylock(&selftest_mutex));
	mutex_unlock(&selftest_mutex);

	spin_lock_irqsave(&sl, flags);
	assert_spin_locked(&sl);
	spin_unlock_irqrestore(&sl, flags);
	KUNIT_EXPECT_FALSE(test, spin_is_locked(&sl));
}

static struct kunit_case compat_selftest_cases[] = {
	KUNIT_CASE(slab_test_counters),
	KUNIT_CASE(slab_test_zero_and_null),
	KUNIT_CASE(slab_test_alignment),
	KUNIT_CASE(slab_test_krealloc),
	KUNIT_CASE(slab_test_limits),
	KUNIT_CASE(slab_test_strings),
	KUNIT_CASE(slab_test_kmem_cache),
	KUNIT_CASE(fail_nth_test_semantics),
	KUNIT_CASE(fail_nth_test_threads),
	KUNIT_CASE(fail_nth_test_nowait),
	KUNIT_CASE(fail_nth_test_helper),
	KUNIT_CASE(fail_nth_test_catches_bugs),
	KUNIT_CASE(kunit_test_int_compare),
	KUNIT_CASE(kunit_test_managed),
	KUNIT_CASE(kunit_test_actions),
	KUNIT_CASE(kunit_test_warn),
	KUNIT_CASE(kunit_test_skip),
	KUNIT_CASE_PARAM(log2_test_param, log2_gen_params),
	KUNIT_CASE(compat_test_refcount),
	KUNIT_CASE(compat_test_bitops),
	KUNIT_CASE(compat_test_log2),
	KUNIT_CASE(compat_test_list),
	KUNIT_CASE(compat_test_atomic),
	KUNIT_CASE(compat_test_random),
	KUNIT_CASE(compat_test_kallsyms),
	KUNIT_CASE(compat_test_locks),
	{}
};

static struct kunit_suite compat_selftest_suite = {
	.name = "compat_selftest",
	.test_cases = compat_selftest_cases,
};

kunit_test_suite(compat_selftest_suite);
