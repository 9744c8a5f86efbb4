// SPDX-License-Identifier: GPL-2.0
/*
 * The IDA for userspace builds: lowest-free ID allocation over 1024-bit
 * leaves and a two-level index.  The layout and its invariants are in
 * <linux/idr.h> (compat/linux/); in short:
 *
 *   ida->leaves[n]     NULL, or the bitmap of IDs [n * 1024, n * 1024 + 1023]
 *                      with at least one bit set (an empty leaf is freed)
 *   ida->full bit n    leaves[n] exists and has every bit set
 *   ida->nr_slots      0 with no leaf at all; else a power of two >= 16
 *
 * Slots at or past nr_slots hold no leaf.  Memory is never allocated
 * under ida->lock: the search reports what it lacks (-EAGAIN with a
 * struct ida_prealloc saying what), ida_alloc_range() allocates it with
 * the caller's gfp and searches again, exactly as upstream drops the
 * xarray lock to allocate.  Memory to be freed is detached under the lock
 * and freed after it.
 */
#include <linux/bitmap.h>
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/idr.h>
#include <linux/limits.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/string.h>

/*
 * The smallest index.  The largest is 2^21 slots (IDs up to INT_MAX), a
 * 16 MiB array: hence kvmalloc().
 */
#define IDA_MIN_SLOTS	16U

/**
 * struct ida_prealloc - memory a search lacked, allocated without the lock
 * @bitmap: a zeroed leaf, or NULL
 * @leaves: a zeroed index of @nr_slots slots (with its summary), or NULL
 * @nr_slots: size of @leaves
 * @want_slots: set by a search that needs an index of at least this size
 * @want_bitmap: set by a search that needs a leaf
 * @old_leaves: an index replaced under the lock, freed after it
 */
struct ida_prealloc {
	struct ida_bitmap *bitmap;
	struct ida_bitmap **leaves;
	unsigned int nr_slots;
	unsigned int want_slots;
	bool want_bitmap;
	struct ida_bitmap **old_leaves;
};

static size_t ida_index_bytes(unsigned int nr_slots)
{
	return nr_slots * sizeof(struct ida_bitmap *) +
	       BITS_TO_LONGS(nr_slots) * sizeof(unsigned long);
}

static unsigned long *ida_index_full(struct ida_bitmap **leaves,
				     unsigned int nr_slots)
{
	return (unsigned long *)(leaves + nr_slots);
}

static void ida_set_nr_bitmaps(struct ida *ida, unsigned int nr)
{
	/* ida_is_empty() reads it without the lock. */
	__atomic_store_n(&ida->nr_bitmaps, nr, __ATOMIC_RELAXED);
}

/*
 * The lowest free ID >= @min, which may be past INT_MAX (an unsigned
 * long holds it).  Leaves that do not exist are free; a leaf's free IDs
 * below @min do not count, and full leaves are skipped by the summary.
 */
static unsigned long ida_find_free(const struct ida *ida, unsigned int min)
{
	unsigned long idx = min / IDA_BITMAP_BITS;
	unsigned long bit = min % IDA_BITMAP_BITS;

	while (idx < ida->nr_slots && ida->leaves[idx]) {
		bit = find_next_zero_bit(ida->leaves[idx]->bitmap,
					 IDA_BITMAP_BITS, bit);
		if (bit < IDA_BITMAP_BITS)
			break;
		idx = find_next_zero_bit(ida->full, ida->nr_slots, idx + 1);
		bit = 0;
	}
	return idx * IDA_BITMAP_BITS + bit;
}

/* Move the index to @pre's larger one; the old one goes to @pre. */
static void ida_install_index(struct ida *ida, struct ida_prealloc *pre)
{
	unsigned long *full = ida_index_full(pre->leaves, pre->nr_slots);

	if (ida->nr_slots) {
		memcpy(pre->leaves, ida->leaves,
		       ida->nr_slots * sizeof(*ida->leaves));
		memcpy(full, ida->full,
		       BITS_TO_LONGS(ida->nr_slots) * sizeof(unsigned long));
	}
	pre->old_leaves = ida->leaves;
	ida->leaves = pre->leaves;
	ida->full = full;
	ida->nr_slots = pre->nr_slots;
	pre->leaves = NULL;
}

/*
 * Allocate the lowest free ID in [@min, @max] with @ida->lock held.
 * Return: the ID, -ENOSPC, or -EAGAIN with @pre saying what memory the
 * allocation needs first.
 */
static int __ida_alloc_range(struct ida *ida, unsigned int min,
			     unsigned int max, struct ida_prealloc *pre)
{
	unsigned long id = ida_find_free(ida, min);
	unsigned long idx = id / IDA_BITMAP_BITS;
	struct ida_bitmap *leaf;

	if (id > max)
		return -ENOSPC;
	/* Everything must be in hand before the IDA changes at all. */
	if (idx >= ida->nr_slots && (!pre->leaves || pre->nr_slots <= idx))
		pre->want_slots = max_t(unsigned int, IDA_MIN_SLOTS,
					roundup_pow_of_two(idx + 1));
	/* A slot past the index has no leaf either. */
	if ((idx >= ida->nr_slots || !ida->leaves[idx]) && !pre->bitmap)
		pre->want_bitmap = true;
	if (pre->want_slots || pre->want_bitmap)
		return -EAGAIN;

	if (idx >= ida->nr_slots)
		ida_install_index(ida, pre);
	leaf = ida->leaves[idx];
	if (!leaf) {
		leaf = pre->bitmap;
		pre->bitmap = NULL;
		ida->leaves[idx] = leaf;
		ida_set_nr_bitmaps(ida, ida->nr_bitmaps + 1);
	}
	__set_bit(id % IDA_BITMAP_BITS, leaf->bitmap);
	if (bitmap_full(leaf->bitmap, IDA_BITMAP_BITS))
		__set_bit(idx, ida->full);
	return id;
}

/* Allocate what the last search asked for.  Return: 0 or -ENOMEM. */
static int ida_prealloc_fill(struct ida_prealloc *pre, gfp_t gfp)
{
	if (pre->want_slots) {
		kvfree(pre->leaves);
		pre->nr_slots = 0;
		pre->leaves = kvzalloc(ida_index_bytes(pre->want_slots), gfp);
		if (!pre->leaves)
			return -ENOMEM;
		pre->nr_slots = pre->want_slots;
		pre->want_slots = 0;
	}
	if (pre->want_bitmap) {
		pre->bitmap = kzalloc(sizeof(*pre->bitmap), gfp);
		if (!pre->bitmap)
			return -ENOMEM;
		pre->want_bitmap = false;
	}
	return 0;
}

/**
 * ida_alloc_range() - allocate the lowest free ID in a range
 * @ida: the allocator
 * @min: the lowest ID wanted
 * @max: the highest ID wanted; anything above INT_MAX means INT_MAX
 * @gfp: how to allocate the memory the IDA may need
 *
 * Context: any; the IDA has its own lock.
 * Return: the ID, -ENOSPC if every ID in [@min, @max] is taken (or @min
 * is above INT_MAX or above @max), or -ENOMEM.
 */
int ida_alloc_range(struct ida *ida, unsigned int min, unsigned int max,
		    gfp_t gfp)
{
	struct ida_prealloc pre = {};
	int ret;

	if (min > INT_MAX)
		return -ENOSPC;
	if (max > INT_MAX)
		max = INT_MAX;

	for (;;) {
		spin_lock(&ida->lock);
		ret = __ida_alloc_range(ida, min, max, &pre);
		spin_unlock(&ida->lock);
		kvfree(pre.old_leaves);
		pre.old_leaves = NULL;
		if (ret != -EAGAIN)
			break;
		ret = ida_prealloc_fill(&pre, gfp);
		if (ret)
			break;
	}
	kvfree(pre.leaves);
	kfree(pre.bitmap);
	return ret;
}
EXPORT_SYMBOL_GPL(ida_alloc_range);

/* Detach everything with @ida->lock held; the caller frees @leaves. */
static struct ida_bitmap **__ida_detach_index(struct ida *ida)
{
	struct ida_bitmap **leaves = ida->leaves;

	ida->leaves = NULL;
	ida->full = NULL;
	ida->nr_slots = 0;
	ida_set_nr_bitmaps(ida, 0);
	return leaves;
}

/**
 * ida_free() - release an ID
 * @ida: the allocator
 * @id: an ID that ida_alloc*() returned and that is still allocated
 *
 * Freeing an ID that is not allocated WARNs and changes nothing.
 *
 * Context: any; the IDA has its own lock.
 */
void ida_free(struct ida *ida, unsigned int id)
{
	unsigned long idx = id / IDA_BITMAP_BITS;
	struct ida_bitmap **old_leaves = NULL;
	struct ida_bitmap *leaf;

	spin_lock(&ida->lock);
	if (idx >= ida->nr_slots || !ida->leaves[idx] ||
	    !test_bit(id % IDA_BITMAP_BITS, ida->leaves[idx]->bitmap)) {
		spin_unlock(&ida->lock);
		WARN(1, "ida_free called for id=%d which is not allocated.\n",
		     (int)id);
		return;
	}
	leaf = ida->leaves[idx];
	__clear_bit(id % IDA_BITMAP_BITS, leaf->bitmap);
	__clear_bit(idx, ida->full);
	if (bitmap_empty(leaf->bitmap, IDA_BITMAP_BITS)) {
		ida->leaves[idx] = NULL;
		ida_set_nr_bitmaps(ida, ida->nr_bitmaps - 1);
		if (!ida->nr_bitmaps)
			old_leaves = __ida_detach_index(ida);
	} else {
		leaf = NULL;
	}
	spin_unlock(&ida->lock);
	kfree(leaf);
	kvfree(old_leaves);
}
EXPORT_SYMBOL_GPL(ida_free);

/**
 * ida_destroy() - free every ID and all memory of an IDA
 * @ida: the allocator
 *
 * Afterwards the IDA is empty and may be used again or thrown away.  Not
 * needed on an IDA whose IDs were all freed: it holds no memory.
 *
 * Context: any; the IDA has its own lock.
 */
void ida_destroy(struct ida *ida)
{
	struct ida_bitmap **leaves;
	unsigned int nr_slots, i;

	spin_lock(&ida->lock);
	nr_slots = ida->nr_slots;
	leaves = __ida_detach_index(ida);
	spin_unlock(&ida->lock);
	for (i = 0; i < nr_slots; i++)
		kfree(leaves[i]);
	kvfree(leaves);
}
EXPORT_SYMBOL_GPL(ida_destroy);
