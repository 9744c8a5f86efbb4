// SPDX-License-Identifier: GPL-2.0
/*
 * kunit_fail_nth_check(): run an operation with its 1st, 2nd, ... Nth
 * allocation failing until it succeeds, checking after every failed round
 * that it reported the failure and left nothing behind; and
 * kunit_fail_nth_nowait_check(), the same over the allocations that may
 * not sleep only.  See <kunit/fail_nth.h> for the contract.
 */
#include <linux/fault-inject.h>
#include <kunit/fail_nth.h>

/* The rounds, with @arm arming the n-th failure of each. */
static int __kunit_fail_nth_check(struct kunit *test, int (*op)(void *ctx),
				  bool (*check)(struct kunit *test, void *ctx),
				  void *ctx, void (*arm)(unsigned long n))
{
	struct alloc_stats before, after;
	unsigned long n;
	bool fired;
	int ret;

	for (n = 1; n <= KUNIT_FAIL_NTH_MAX_ROUNDS; n++) {
		alloc_stats_get(&before);
		arm(n);
		ret = op(ctx);
		fired = fail_nth_triggered();
		fail_nth_set(0);

		if (!fired) {
			/* No failure was injected: this is the real run. */
			if (ret)
				KUNIT_FAIL(test, "fail_nth: op failed with %d in round %lu, where no allocation was made to fail",
					   ret, n);
			return n - 1;
		}
		if (ret >= 0) {
			KUNIT_FAIL(test, "fail_nth: op returned %d although its allocation #%lu failed (error lost?)",
				   ret, n);
			return n;
		}

		alloc_stats_get(&after);
		if (after.live_allocs != before.live_allocs ||
		    after.live_bytes != before.live_bytes) {
			KUNIT_FAIL(test, "fail_nth: allocation #%lu failed with %d and left a leak: %lld allocations, %lld bytes",
				   n, ret,
				   (long long)(after.live_allocs - before.live_allocs),
				   (long long)(after.live_bytes - before.live_bytes));
			return n;
		}
		if (check && !check(test, ctx)) {
			KUNIT_FAIL(test, "fail_nth: allocation #%lu failed with %d and the state check failed",
				   n, ret);
			return n;
		}
	}
	KUNIT_FAIL(test, "fail_nth: op still failing after %d rounds",
		   KUNIT_FAIL_NTH_MAX_ROUNDS);
	return n - 1;
}

/**
 * kunit_fail_nth_check() - run @op under each possible allocation failure
 * @test: the running case
 * @op: the operation; returns 0 on success or a negative errno
 * @check: called after each failed round; returns false (after its own
 *	KUNIT_EXPECTs, if it likes) when the caller's state is not as before.
 *	May be NULL.
 * @ctx: passed to @op and @check
 *
 * Return: the number of rounds that failed on purpose, i.e. how many
 * allocations @op made in its successful run (>= 0).  On a violation the
 * case is marked failed and the count so far is returned; @op's last
 * result is then not a success the caller owns unless @op returned 0.
 */
int kunit_fail_nth_check(struct kunit *test, int (*op)(void *ctx),
			 bool (*check)(struct kunit *test, void *ctx),
			 void *ctx)
{
	return __kunit_fail_nth_check(test, op, check, ctx, fail_nth_set);
}

/**
 * kunit_fail_nth_nowait_check() - kunit_fail_nth_check() for allocations
 *	that may not sleep
 * @test: the running case
 * @op: the operation; returns 0 on success or a negative errno
 * @check: as for kunit_fail_nth_check(); may be NULL
 * @ctx: passed to @op and @check
 *
 * Fails the 1st, 2nd, ... allocation of @op that may not sleep
 * (fail_nth_set_nowait()); allocations that may sleep always succeed.
 * Compared with kunit_fail_nth_check()'s count, it tells whether every
 * allocation of @op is atomic.
 *
 * Return: the number of rounds that failed on purpose: how many
 * allocations that may not sleep @op made in its successful run.
 */
int kunit_fail_nth_nowait_check(struct kunit *test, int (*op)(void *ctx),
				bool (*check)(struct kunit *test, void *ctx),
				void *ctx)
{
	return __kunit_fail_nth_check(test, op, check, ctx,
				      fail_nth_set_nowait);
}