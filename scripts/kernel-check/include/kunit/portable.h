/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <kunit/portable.h>, the kernel's side (installed in the Linux tree by
 * scripts/kernel-check.sh): what physr's portable KUnit suites need
 * beyond 6.12's KUnit, over what 6.12 has.  compat/kunit/portable.h is
 * the userspace side and documents the names.
 *
 *  - Allocation failures: per-task fail_nth (CONFIG_FAULT_INJECTION),
 *    which failslab (CONFIG_FAILSLAB) consumes for each kmalloc() that may
 *    not sleep: with failslab's default ignore-gfp-wait, allocations with
 *    __GFP_DIRECT_RECLAIM never tick.  Without failslab the cases that
 *    inject failures are skipped.
 *  - Allocation accounting: 6.12 has no per-test counters; the accessors
 *    return false and cases check everything else.
 *  - KUNIT_EXPECT_WARN(): 6.12 counts no warnings, but the first WARN
 *    taints the kernel (TAINT_WARN): the first expected warning of a boot
 *    is checked, later ones only run.
 *  - kunit_seed(): the default seed, printed.
 */
#ifndef _KUNIT_PORTABLE_H
#define _KUNIT_PORTABLE_H

#include <kunit/test.h>
#include <linux/compiler.h>
#include <linux/gfp_types.h>
#include <linux/panic.h>
#include <linux/sched.h>

#define KUNIT_FAIL_NTH_MAX_ROUNDS	100000

#ifdef CONFIG_FAILSLAB
static inline void kunit_fail_nowait_set(unsigned long n)
{
	WRITE_ONCE(current->fail_nth, n);
}

/* Only right after arming: the count reaches 0 only by failing. */
static inline bool kunit_fail_triggered(void)
{
	return !READ_ONCE(current->fail_nth);
}
#else
static inline void kunit_fail_nowait_set(unsigned long n)
{
}

static inline bool kunit_fail_triggered(void)
{
	return false;
}
#endif

/* As our runner's (tests/kunit/fail_nth.c), without the leak check. */
static inline int kunit_fail_nth_nowait_check(struct kunit *test,
		int (*op)(void *ctx),
		bool (*check)(struct kunit *test, void *ctx), void *ctx)
{
	unsigned long n;
	bool fired;
	int ret;

	if (!IS_ENABLED(CONFIG_FAILSLAB))
		kunit_skip(test, "needs CONFIG_FAILSLAB");
	for (n = 1; n <= KUNIT_FAIL_NTH_MAX_ROUNDS; n++) {
		kunit_fail_nowait_set(n);
		ret = op(ctx);
		fired = kunit_fail_triggered();
		kunit_fail_nowait_set(0);

		if (!fired) {
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

static inline bool kunit_alloc_live(s64 *allocs, s64 *bytes)
{
	*allocs = 0;
	*bytes = 0;
	return false;
}

static inline bool kunit_alloc_last_gfp(gfp_t *gfp)
{
	*gfp = 0;
	return false;
}

#define KUNIT_EXPECT_WARN(test, stmt) do {				\
	bool __kunit_tainted = test_taint(TAINT_WARN);			\
									\
	stmt;								\
	if (!__kunit_tainted)						\
		KUNIT_EXPECT_TRUE_MSG(test, test_taint(TAINT_WARN),	\
				      "expected a WARN from: %s", #stmt); \
} while (0)

static inline u64 kunit_seed(struct kunit *test, u64 def)
{
	kunit_info(test, "seed %llu", (unsigned long long)def);
	return def;
}

#endif /* _KUNIT_PORTABLE_H */
