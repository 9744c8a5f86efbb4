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

/**
 * alloc_stats_get() - read the allocation counters
 * @stats: filled with the current values
 *
 * The three values are read one by one; under concurrent allocation they
 * are not one consistent snapshot.
 */
void alloc_stats_get(struct alloc_stats *stats);

/**
 * alloc_stats_add() - account objects of another allocator
 * @allocs: number of objects allocated (negative: freed)
 * @bytes: their size in bytes (negative: freed)
 *
 * A positive @allocs also counts towards @total_allocs.
 */
void alloc_stats_add(s64 allocs, s64 bytes);

/**
 * fail_nth_set() - arm (or disarm) the injected allocation failure
 * @n: 1 fails the very next allocation, 2 the one after, ...; 0 disarms
 *
 * Also resets fail_nth_triggered().  Only one failure is injected per
 * arming: allocations after the failing one succeed again.
 */
void fail_nth_set(unsigned long n);

/**
 * fail_nth_triggered() - whether the failure armed by fail_nth_set() fired
 *
 * Return: true once the n-th allocation has been failed.
 */
bool fail_nth_triggered(void);

/**
 * fail_nth_remaining() - allocations left before the armed failure
 *
 * Return: 0 if disarmed (or already fired), else how many more ticks until
 * the failure; 1 means the next allocation fails.
 */
unsigned long fail_nth_remaining(void);

/**
 * should_fail_alloc() - consume one allocation tick
 *
 * Every allocator calls this exactly once per allocation attempt, before
 * allocating anything.
 *
 * Return: true if this allocation must fail (the caller returns NULL or
 * -ENOMEM without side effects).
 */
bool should_fail_alloc(void);

#endif /* _COMPAT_LINUX_FAULT_INJECT_H */
