/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <kunit/portable.h>: what KUnit suites that run both here and inside
 * Linux 6.12 need beyond 6.12's KUnit, under one set of names.  This is
 * the userspace side, over our runner; the kernel side is
 * scripts/kernel-check/include/kunit/portable.h, which
 * scripts/kernel-check.sh installs in the Linux tree.  docs/kernel-build.md
 * says which case uses what.
 *
 *  - Allocation-failure injection of allocations that may not sleep
 *    (GFP_NOWAIT, GFP_ATOMIC): kunit_fail_nth_nowait_check() runs an
 *    operation with its 1st, 2nd, ... such allocation failing
 *    (<kunit/fail_nth.h>); kunit_fail_nowait_set() arms one failure by
 *    hand.  The kernel's side is per-task fail_nth with failslab, which
 *    ignores allocations that may sleep, as ours does in this mode.
 *  - Allocation accounting: kunit_alloc_live() and kunit_alloc_last_gfp()
 *    tell what the allocators know, where they know it: here always; in
 *    the kernel never (they return false and the case checks the rest).
 *  - Expected warnings: KUNIT_EXPECT_WARN() (<kunit/test.h> here).
 *  - Seeds: kunit_seed() (PHYSR_TEST_SEED here, to reproduce a run).
 */
#ifndef _COMPAT_KUNIT_PORTABLE_H
#define _COMPAT_KUNIT_PORTABLE_H

#include <stdlib.h>		/* getenv(), strtoull() */

#include <kunit/test.h>
#include <kunit/fail_nth.h>
#include <linux/fault-inject.h>

/**
 * kunit_fail_nowait_set() - fail the @n-th allocation that may not sleep
 * @n: 1 for the next one; 0 disarms
 */
static inline void kunit_fail_nowait_set(unsigned long n)
{
	if (n)
		fail_nth_set_nowait(n);
	else
		fail_nth_set(0);
}

/**
 * kunit_fail_triggered() - did the failure armed last fire?
 *
 * Return: true once the allocation kunit_fail_nowait_set() chose failed.
 */
static inline bool kunit_fail_triggered(void)
{
	return fail_nth_triggered();
}

/**
 * kunit_alloc_live() - objects and bytes allocated and not yet freed
 * @allocs: set to the live allocations
 * @bytes: set to their bytes, as requested
 *
 * Return: true if the counts are known (always, here).
 */
static inline bool kunit_alloc_live(s64 *allocs, s64 *bytes)
{
	struct alloc_stats st;

	alloc_stats_get(&st);
	*allocs = st.live_allocs;
	*bytes = st.live_bytes;
	return true;
}

/**
 * kunit_alloc_last_gfp() - the flags of this thread's last allocation
 * @gfp: set to them
 *
 * Return: true if they are known (always, here).
 */
static inline bool kunit_alloc_last_gfp(gfp_t *gfp)
{
	*gfp = alloc_last_gfp();
	return true;
}

/**
 * kunit_seed() - the seed of a seeded case
 * @test: the case
 * @def: its default
 *
 * PHYSR_TEST_SEED from the environment overrides @def.  Printed, so that
 * any run can be repeated.
 *
 * Return: the seed.
 */
static inline u64 kunit_seed(struct kunit *test, u64 def)
{
	const char *env = getenv("PHYSR_TEST_SEED");
	u64 seed = def;

	if (env && *env)
		seed = strtoull(env, NULL, 0);
	kunit_info(test, "seed %llu (set PHYSR_TEST_SEED to reproduce)",
		   (unsigned long long)seed);
	return seed;
}

#endif /* _COMPAT_KUNIT_PORTABLE_H */
