/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for the IDA of <linux/idr.h>: an allocator of small
 * integer IDs (0 to INT_MAX) that always hands out the lowest free one in
 * the range asked for.  Implemented in compat/idr.c.
 *
 * Upstream keeps the IDA in an xarray of 1024-bit bitmaps, with the
 * xarray's "free" mark finding a bitmap with room.  This one has the same
 * leaves (struct ida_bitmap, allocated on first use and freed when they
 * empty again) under a flat two-level index: an array of leaf pointers and
 * a summary bitmap with one bit per leaf that is full.  Finding the lowest
 * free ID reads one leaf, then skips 64 full leaves (64 Ki IDs) per word
 * of the summary.  The index doubles as IDs go higher and is freed with
 * the last ID, so an IDA whose IDs were all freed holds no memory and
 * needs no ida_destroy(), as upstream.
 *
 * Unlike upstream's sparse xarray, the index is flat: it costs about 8
 * bytes per 1024 IDs up to the highest ID held (a power of two of
 * slots), whatever the number of IDs, so a single ID near 2^30 (say
 * ida_alloc_min(ida, 1 << 30)) costs an index of 8 to 16 MiB, and one
 * near INT_MAX 16 MiB.  Fine for dense IDs from 0 (devices, domains,
 * PASIDs); a caller that takes sparse high IDs wants a two-level index.
 *
 * Allocation takes a gfp_t and goes through kmalloc()/kvmalloc(), so it
 * is counted and fault-injected like any other.  As upstream, memory is
 * allocated with the internal lock dropped and the search is retried.
 * Every function is safe to call concurrently without a lock of the
 * caller's.
 */
#ifndef _COMPAT_LINUX_IDR_H
#define _COMPAT_LINUX_IDR_H

#include <linux/types.h>
#include <linux/bitops.h>
#include <linux/compiler.h>
#include <linux/gfp_types.h>
#include <linux/spinlock.h>

#define IDA_CHUNK_SIZE		128	/* bytes in a leaf, as upstream */
#define IDA_BITMAP_LONGS	(IDA_CHUNK_SIZE / sizeof(long))
#define IDA_BITMAP_BITS		(IDA_BITMAP_LONGS * sizeof(long) * 8)

/* One leaf: IDs [n * IDA_BITMAP_BITS, (n + 1) * IDA_BITMAP_BITS). */
struct ida_bitmap {
	unsigned long bitmap[IDA_BITMAP_LONGS];
};

/**
 * struct ida - an ID allocator
 * @lock: protects everything below
 * @nr_slots: leaf slots in @leaves (a power of two), 0 when no ID is held
 * @nr_bitmaps: leaves allocated (non-NULL slots)
 * @leaves: the leaves, by index; NULL: none of its IDs is allocated
 * @full: bit n set: @leaves[n] exists and every ID in it is allocated;
 *	lives in the same allocation as @leaves
 */
struct ida {
	spinlock_t lock;
	unsigned int nr_slots;
	unsigned int nr_bitmaps;
	struct ida_bitmap **leaves;
	unsigned long *full;
};

#define IDA_INIT(name)	{ .lock = __SPIN_LOCK_UNLOCKED(name.lock) }
#define DEFINE_IDA(name)	struct ida name = IDA_INIT(name)

/* Documented at their definitions, in compat/idr.c. */
int ida_alloc_range(struct ida *ida, unsigned int min, unsigned int max,
		    gfp_t gfp);
void ida_free(struct ida *ida, unsigned int id);
void ida_destroy(struct ida *ida);

/**
 * ida_alloc() - allocate the lowest free ID
 * @ida: the allocator
 * @gfp: how to allocate memory
 *
 * Return: an ID in [0, INT_MAX], -ENOMEM or -ENOSPC.
 */
static inline int ida_alloc(struct ida *ida, gfp_t gfp)
{
	return ida_alloc_range(ida, 0, ~0U, gfp);
}

/**
 * ida_alloc_min() - allocate the lowest free ID not below @min
 * @ida: the allocator
 * @min: the lowest ID wanted
 * @gfp: how to allocate memory
 *
 * Return: an ID in [@min, INT_MAX], -ENOMEM or -ENOSPC.
 */
static inline int ida_alloc_min(struct ida *ida, unsigned int min, gfp_t gfp)
{
	return ida_alloc_range(ida, min, ~0U, gfp);
}

/**
 * ida_alloc_max() - allocate the lowest free ID not above @max
 * @ida: the allocator
 * @max: the highest ID wanted
 * @gfp: how to allocate memory
 *
 * Return: an ID in [0, @max], -ENOMEM or -ENOSPC.
 */
static inline int ida_alloc_max(struct ida *ida, unsigned int max, gfp_t gfp)
{
	return ida_alloc_range(ida, 0, max, gfp);
}

static inline void ida_init(struct ida *ida)
{
	*ida = (struct ida)IDA_INIT(*ida);
}

/* Whether no ID is allocated (a lockless snapshot, as upstream). */
static inline bool ida_is_empty(const struct ida *ida)
{
	return !__atomic_load_n(&ida->nr_bitmaps, __ATOMIC_RELAXED);
}

#endif /* _COMPAT_LINUX_IDR_H */
