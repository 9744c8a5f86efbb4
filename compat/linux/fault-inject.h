/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace fault injection and allocation accounting.
 *
 * One process-wide "allocation tick" counter is shared by every allocator
 * of the kernel side: kmalloc() and friends (compat/slab.c) and the page
 * allocator (mm/) each call should_fail_alloc() once per allocation
 * attempt, before allocating.  fail_nth_set(n) arms it so that the n-th tick
 * from now fails -- exactly one allocation, then it disarms itself.  This is
 * the iommufd "fail_nth" discipline: run an operation with its 1st, 2nd,
 * ... allocation failing until it succeeds (see <kunit/fail_nth.h>).
 *
 * Each tick carries the allocation's gfp flags.  fail_nth_set_nowait(n)
 * arms the injector like the kernel's fail_page_alloc and failslab with
 * ignore-gfp-wait: only allocations that may not sleep (without
 * __GFP_DIRECT_RECLAIM: GFP_ATOMIC, GFP_NOWAIT) tick and fail.  And
 * alloc_last_gfp() tells the flags of the calling thread's last
 * allocation attempt.  Together they let a test check that the flags a
 * caller passes really reach the allocator.
 *
 * Allocators also keep live/total counters here, so a test can check that
 * a failed operation left nothing behind.  kmalloc() accounts itself;
 * another allocator (pages, IOVA, ...) may account its objects with
 * alloc_stats_add() so its leaks show up in the same numbers.
 *
 * Everything here is thread-safe (atomics), and costs one atomic load per
 * allocation when no failure is armed.
 */
#ifndef _COMPAT_LINUX_FAULT_INJECT_H
#define _COMPAT_LINUX_FAULT_INJECT_H

#include <linux/types.h>
#include <linux/gfp_types.h>

/**
 * struct alloc_stats - a snapshot of the allocation counters
 * @live_allocs: objects allocated and not yet freed
 * @live_bytes: bytes (as requested) allocated and not yet freed
 * @total_allocs: successful allocations since the process started
 */
struct alloc_stats {
	u64 live_allocs;
	u64 live_bytes;
	u64 total_allocs;
};

/* Documented at their definitions, in compat/slab.c. */
void alloc_stats_get(struct alloc_stats *stats);
void alloc_stats_add(s64 allocs, s64 bytes);
void fail_nth_set(unsigned long n);
void fail_nth_set_nowait(unsigned long n);
bool fail_nth_triggered(void);
unsigned long fail_nth_remaining(void);
bool should_fail_alloc(gfp_t gfp);
gfp_t alloc_last_gfp(void);

#endif /* _COMPAT_LINUX_FAULT_INJECT_H */
