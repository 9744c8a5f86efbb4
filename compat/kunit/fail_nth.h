/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kunit_fail_nth(): the iommufd "fail_nth" discipline for KUnit cases.
 *
 * The helper runs @op again and again, with its 1st, 2nd, 3rd, ...
 * allocation failing (fail_nth_set(), <linux/fault-inject.h>; kmalloc and
 * the page allocator share the tick), until a round in which the injected
 * failure never fired: that round ran with no failure at all, so @op must
 * succeed and the test owns what it built.  After every round whose
 * failure fired, it checks that
 *
 *  - @op returned a negative errno (not 0, not positive);
 *  - live_allocs and live_bytes are exactly what they were before @op;
 *  - @check (optional) accepts the caller's state (for example, that a list
 *    still holds exactly what it held before).
 *
 * The first violation fails the case with the round number and the helper
 * stops there.  @op must not use kunit_kmalloc() and friends (their memory
 * lives until the case ends, which would read as a leak), and it must undo
 * everything itself on error; it may use KUNIT_EXPECT/ASSERT.
 *
 * kunit_fail_nth_nowait_check() does the same failing only allocations
 * that may not sleep (GFP_ATOMIC, GFP_NOWAIT: fail_nth_set_nowait()).  An
 * operation that must work in atomic context makes as many of those as
 * it makes allocations at all.
 *
 *	static int build(void *ctx)
 *	{
 *		struct my_ctx *c = ctx;
 *
 *		return my_object_create(&c->obj);	// 0 or -errno
 *	}
 *
 *	rounds = kunit_fail_nth(test, build, &c);
 *	KUNIT_EXPECT_GT(test, rounds, 0);		// it did allocate
 *	my_object_destroy(c.obj);
 */
#ifndef _COMPAT_KUNIT_FAIL_NTH_H
#define _COMPAT_KUNIT_FAIL_NTH_H

#include <kunit/test.h>

/* Rounds after which the helper gives up and fails the case. */
#define KUNIT_FAIL_NTH_MAX_ROUNDS	100000

/* Documented at their definitions, in tests/kunit/fail_nth.c. */
int kunit_fail_nth_check(struct kunit *test, int (*op)(void *ctx),
			 bool (*check)(struct kunit *test, void *ctx),
			 void *ctx);
int kunit_fail_nth_nowait_check(struct kunit *test, int (*op)(void *ctx),
				bool (*check)(struct kunit *test, void *ctx),
				void *ctx);

/**
 * kunit_fail_nth() - kunit_fail_nth_check() without a state check
 * @test: the running case
 * @op: the operation; returns 0 on success or a negative errno
 * @ctx: passed to @op
 *
 * Return: as kunit_fail_nth_check().
 */
static inline int kunit_fail_nth(struct kunit *test, int (*op)(void *ctx),
				 void *ctx)
{
	return kunit_fail_nth_check(test, op, NULL, ctx);
}

#endif /* _COMPAT_KUNIT_FAIL_NTH_H */
