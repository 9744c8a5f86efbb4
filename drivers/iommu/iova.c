// SPDX-License-Identifier: GPL-2.0
/*
 * IOVA allocator.
 *
 * An iova_domain manages the granules [start_pfn, last_pfn] ("pfn" here is
 * an IOVA divided by the granule).  Two AVL trees of struct iova_node,
 * both keyed by first granule, hold it all:
 *
 *  - the free tree: maximal free ranges (two free ranges never touch),
 *    each node augmented with the longest range in its subtree, so a
 *    search can skip subtrees with nothing long enough;
 *  - the allocation tree: every block handed out (ALLOCATED), sitting in
 *    a per-size cache (CACHED), or reserved (RESERVED).  iova_free() looks
 *    the block up here, so freeing anything but a live allocation of that
 *    exact size is caught (WARN, -EINVAL) and changes nothing.
 *
 * Allocation is top-down from the limit, like the kernel's: the block of
 * n granules goes at the highest multiple of roundup_pow_of_two(n) that
 * fits below min(limit, last).  A first search asks for a free range of
 * n + align - 1 granules, which always fits an aligned block: O(log n).
 * Only if that fails does a second search accept tighter ranges whose
 * alignment may or may not work out (worst case linear in the number of
 * such ranges); so the allocator fails only when no aligned block is free.
 *
 * The per-size caches play the part of the kernel's rcache: sizes up to
 * IOVA_RCACHE_MAX_GRANULES are rounded up to a power of two, a freed
 * block of such a size goes onto its order's stack (still in the
 * allocation tree, state CACHED), and the next allocation of that order
 * below the caller's limit pops it without searching or allocating.  When
 * the tree has no room, the caches are flushed back into it and the
 * search runs again, so caching never causes a spurious -ENOSPC.
 *
 * Conventions: ranges are [first, last] with last inclusive, in granules
 * inside the file and in bytes at the API; the space may end at U64_MAX
 * (granule arithmetic cannot overflow because a granule is at least
 * 4 KiB); every byte sum is checked with check_add_overflow().  One
 * spinlock covers a domain; tree nodes are allocated with GFP_ATOMIC
 * under it, before anything is changed, so a failed call leaves the
 * domain as it was.
 */
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/iova.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/spinlock.h>
#include <asm/page.h>

enum iova_state {
	IOVA_FREE,
	IOVA_ALLOCATED,
	IOVA_CACHED,
	IOVA_RESERVED,
};

/**
 * struct iova_node - a range in one of a domain's trees
 * @left: subtree of lower ranges
 * @right: subtree of higher ranges
 * @pfn_lo: first granule
 * @pfn_last: last granule, inclusive
 * @max_len: free tree: the longest range in this subtree, in granules
 * @height: AVL height, 1 for a leaf
 * @state: enum iova_state
 * @cache_next: next block on an rcache stack
 */
struct iova_node {
	struct iova_node *left;
	struct iova_node *right;
	u64 pfn_lo;
	u64 pfn_last;
	u64 max_len;
	int height;
	int state;
	struct iova_node *cache_next;
};

/* ---- AVL tree --------------------------------------------------------- */

static u64 iova_node_len(const struct iova_node *n)
{
	return n->pfn_last - n->pfn_lo + 1;
}

static int avl_height(const struct iova_node *n)
{
	return n ? n->height : 0;
}

static u64 avl_max_len(const struct iova_node *n)
{
	return n ? n->max_len : 0;
}

static void avl_update(struct iova_node *n)
{
	n->height = 1 + max(avl_height(n->left), avl_height(n->right));
	n->max_len = max(iova_node_len(n),
			 max(avl_max_len(n->left), avl_max_len(n->right)));
}

static struct iova_node *avl_rotate_right(struct iova_node *n)
{
	struct iova_node *l = n->left;

	n->left = l->right;
	l->right = n;
	avl_update(n);
	avl_update(l);
	return l;
}

static struct iova_node *avl_rotate_left(struct iova_node *n)
{
	struct iova_node *r = n->right;

	n->right = r->left;
	r->left = n;
	avl_update(n);
	avl_update(r);
	return r;
}

/* Restore the AVL property at @n (children balanced); returns the root. */
static struct iova_node *avl_balance(struct iova_node *n)
{
	int bal;

	avl_update(n);
	bal = avl_height(n->left) - avl_height(n->right);
	if (bal > 1) {
		if (avl_height(n->left->left) < avl_height(n->left->right))
			n->left = avl_rotate_left(n->left);
		return avl_rotate_right(n);
	}
	if (bal < -1) {
		if (avl_height(n->right->right) < avl_height(n->right->left))
			n->right = avl_rotate_right(n->right);
		return avl_rotate_left(n);
	}
	return n;
}

static struct iova_node *avl_insert(struct iova_node *root,
				    struct iova_node *n)
{
	if (!root) {
		n->left = NULL;
		n->right = NULL;
		avl_update(n);
		return n;
	}
	if (n->pfn_lo < root->pfn_lo)
		root->left = avl_insert(root->left, n);
	else
		root->right = avl_insert(root->right, n);
	return avl_balance(root);
}

static struct iova_node *avl_remove_min(struct iova_node *n,
					struct iova_node **min)
{
	if (!n->left) {
		*min = n;
		return n->right;
	}
	n->left = avl_remove_min(n->left, min);
	return avl_balance(n);
}

/* Remove the node starting at @pfn_lo, which must be in the tree. */
static struct iova_node *avl_remove(struct iova_node *n, u64 pfn_lo)
{
	struct iova_node *l, *r, *m;

	if (WARN_ON(!n))
		return NULL;
	if (pfn_lo < n->pfn_lo) {
		n->left = avl_remove(n->left, pfn_lo);
	} else if (pfn_lo > n->pfn_lo) {
		n->right = avl_remove(n->right, pfn_lo);
	} else {
		l = n->left;
		r = n->right;
		if (!r)
			return l;
		r = avl_remove_min(r, &m);
		m->left = l;
		m->right = r;
		return avl_balance(m);
	}
	return avl_balance(n);
}

/* The node starting at @pfn_lo, or NULL. */
static struct iova_node *avl_find(struct iova_node *n, u64 pfn_lo)
{
	while (n && n->pfn_lo != pfn_lo)
		n = pfn_lo < n->pfn_lo ? n->left : n->right;
	return n;
}

/* The node with the highest start <= @pfn, or NULL. */
static struct iova_node *avl_floor(struct iova_node *n, u64 pfn)
{
	struct iova_node *best = NULL;

	while (n) {
		if (n->pfn_lo <= pfn) {
			best = n;
			n = n->right;
		} else {
			n = n->left;
		}
	}
	return best;
}

/* Granules in the ranges of a tree; O(n), for statistics. */
static u64 avl_sum_len(const struct iova_node *n)
{
	return n ? iova_node_len(n) + avl_sum_len(n->left) +
		   avl_sum_len(n->right) : 0;
}

static void avl_destroy(struct iova_node *n)
{
	if (!n)
		return;
	avl_destroy(n->left);
	avl_destroy(n->right);
	kfree(n);
}

/* ---- free space ------------------------------------------------------- */

/*
 * Where an aligned block of @size granules fits in free range @n below
 * @limit: the highest such start, or false.  @n->pfn_lo <= @limit.
 */
static bool iova_fits(const struct iova_node *n, u64 size, u64 align_mask,
		      u64 limit, u64 *pfn)
{
	u64 top = min(n->pfn_last, limit);
	u64 cand;

	if (top - n->pfn_lo + 1 < size)
		return false;
	cand = (top - (size - 1)) & ~align_mask;
	if (cand < n->pfn_lo)
		return false;
	*pfn = cand;
	return true;
}

/*
 * The highest free range holding an aligned block of @size granules below
 * @limit, looking only at subtrees with a range of at least @need.
 */
static struct iova_node *iova_find_fit(struct iova_node *n, u64 need,
				       u64 size, u64 align_mask, u64 limit,
				       u64 *pfn)
{
	struct iova_node *found;

	if (!n || n->max_len < need)
		return NULL;
	if (n->pfn_lo <= limit) {
		found = iova_find_fit(n->right, need, size, align_mask, limit,
				      pfn);
		if (found)
			return found;
		if (iova_node_len(n) >= need &&
		    iova_fits(n, size, align_mask, limit, pfn))
			return n;
	}
	return iova_find_fit(n->left, need, size, align_mask, limit, pfn);
}

/*
 * Take [lo, last] out of free range @f.  What is left of @f on either
 * side goes back as @f itself and, if both sides remain, @spare.
 * Returns whether @spare was used.  The caller holds the lock.
 */
static bool iova_carve(struct iova_domain *iovad, struct iova_node *f,
		       u64 lo, u64 last, struct iova_node *spare)
{
	bool below = f->pfn_lo < lo, above = last < f->pfn_last;
	u64 f_last = f->pfn_last;

	iovad->free_root = avl_remove(iovad->free_root, f->pfn_lo);
	iovad->nr_free_ranges--;
	if (below) {
		f->pfn_last = lo - 1;
		iovad->free_root = avl_insert(iovad->free_root, f);
		iovad->nr_free_ranges++;
	}
	if (above) {
		struct iova_node *n = below ? spare : f;

		n->state = IOVA_FREE;
		n->pfn_lo = last + 1;
		n->pfn_last = f_last;
		iovad->free_root = avl_insert(iovad->free_root, n);
		iovad->nr_free_ranges++;
	}
	if (!below && !above)
		kfree(f);
	return below && above;
}

/* Give block @n back to the free tree, merging with its neighbours. */
static void iova_release(struct iova_domain *iovad, struct iova_node *n)
{
	struct iova_node *prev, *next;

	iovad->alloc_root = avl_remove(iovad->alloc_root, n->pfn_lo);
	n->state = IOVA_FREE;
	n->cache_next = NULL;

	prev = n->pfn_lo ? avl_floor(iovad->free_root, n->pfn_lo - 1) : NULL;
	if (prev && prev->pfn_last + 1 == n->pfn_lo) {
		iovad->free_root = avl_remove(iovad->free_root, prev->pfn_lo);
		iovad->nr_free_ranges--;
		n->pfn_lo = prev->pfn_lo;
		kfree(prev);
	}
	next = n->pfn_last < iovad->last_pfn ?
	       avl_find(iovad->free_root, n->pfn_last + 1) : NULL;
	if (next) {
		iovad->free_root = avl_remove(iovad->free_root, next->pfn_lo);
		iovad->nr_free_ranges--;
		n->pfn_last = next->pfn_last;
		kfree(next);
	}
	iovad->free_root = avl_insert(iovad->free_root, n);
	iovad->nr_free_ranges++;
}

/* ---- per-size caches -------------------------------------------------- */

/* Order of the cache for @size granules, or -1 if it is not cached. */
static int iova_rcache_order(u64 size)
{
	if (size > IOVA_RCACHE_MAX_GRANULES)
		return -1;
	return order_base_2(size);
}

/* Pop a cached block of @order that ends at or below @limit. */
static struct iova_node *iova_rcache_get(struct iova_domain *iovad,
					 int order, u64 limit)
{
	struct iova_rcache *rc = &iovad->rcache[order];
	struct iova_node **link, *n;

	for (link = &rc->head; (n = *link); link = &n->cache_next) {
		if (n->pfn_last <= limit) {
			*link = n->cache_next;
			n->cache_next = NULL;
			rc->depth--;
			iovad->cached -= iova_node_len(n);
			return n;
		}
	}
	return NULL;
}

/* Empty every cache into the free tree.  Returns whether any was held. */
static bool __iova_flush_rcache(struct iova_domain *iovad)
{
	bool flushed = false;
	unsigned int i;

	for (i = 0; i < IOVA_RCACHE_ORDERS; i++) {
		struct iova_rcache *rc = &iovad->rcache[i];
		struct iova_node *n;

		while ((n = rc->head)) {
			rc->head = n->cache_next;
			iovad->cached -= iova_node_len(n);
			iova_release(iovad, n);
			flushed = true;
		}
		rc->depth = 0;
	}
	return flushed;
}

/* ---- the API ---------------------------------------------------------- */

/**
 * iova_domain_init() - set up an IOVA space
 * @iovad: the domain to initialise
 * @granule: allocation unit in bytes: a power of two, at least PAGE_SIZE
 * @start: first IOVA, aligned to @granule
 * @last: last IOVA, inclusive; @last + 1 aligned to @granule (or @last is
 *	U64_MAX); >= @start
 *
 * Return: 0; -EINVAL for bad arguments; -ENOMEM.
 */
int iova_domain_init(struct iova_domain *iovad, u64 granule,
		     dma_addr_t start, dma_addr_t last)
{
	struct iova_node *n;

	memset(iovad, 0, sizeof(*iovad));
	if (!is_power_of_2(granule) || granule < PAGE_SIZE ||
	    start & (granule - 1) || (last & (granule - 1)) != granule - 1 ||
	    last < start)
		return -EINVAL;

	n = kzalloc(sizeof(*n), GFP_KERNEL);
	if (!n)
		return -ENOMEM;
	spin_lock_init(&iovad->lock);
	iovad->shift = ilog2(granule);
	iovad->start_pfn = start >> iovad->shift;
	iovad->last_pfn = last >> iovad->shift;
	n->state = IOVA_FREE;
	n->pfn_lo = iovad->start_pfn;
	n->pfn_last = iovad->last_pfn;
	iovad->free_root = avl_insert(NULL, n);
	iovad->nr_free_ranges = 1;
	return 0;
}

/**
 * iova_domain_destroy() - free everything an IOVA space holds
 * @iovad: the domain
 *
 * Outstanding allocations simply disappear with it, as with the kernel's
 * put_iova_domain(): the owner is expected to have torn its mappings down.
 */
void iova_domain_destroy(struct iova_domain *iovad)
{
	avl_destroy(iovad->free_root);
	avl_destroy(iovad->alloc_root);
	memset(iovad, 0, sizeof(*iovad));
}

/**
 * iova_size() - the bytes an allocation of @size really takes
 * @iovad: the domain
 * @size: bytes asked for, > 0
 *
 * @size rounded up to the granule and, for sizes the caches serve (up to
 * IOVA_RCACHE_MAX_GRANULES granules), up to a power of two granules.
 *
 * Return: the size in bytes, or 0 if @size is 0 or too large to round.
 */
u64 iova_size(const struct iova_domain *iovad, u64 size)
{
	u64 granule = 1ULL << iovad->shift, pages;

	if (!size || check_add_overflow(size, granule - 1, &pages))
		return 0;
	pages >>= iovad->shift;
	if (pages <= IOVA_RCACHE_MAX_GRANULES)
		pages = roundup_pow_of_two(pages);
	return pages << iovad->shift;
}

/**
 * iova_alloc() - allocate a range of IOVA
 * @iovad: the domain
 * @size: bytes, > 0; see iova_size() for the rounding
 * @limit: the highest IOVA the caller can use (a DMA mask), inclusive
 * @iova: set to the first IOVA of the block
 *
 * The block is aligned to its size rounded up to a power of two granules
 * and lies within the domain and at or below @limit.
 *
 * Return: 0; -EINVAL for a zero or absurd @size; -ENOSPC if no aligned
 * block is free below @limit; -ENOMEM.
 */
int iova_alloc(struct iova_domain *iovad, u64 size, dma_addr_t limit,
	       dma_addr_t *iova)
{
	struct iova_node *n, *f, *spare = NULL;
	u64 bytes = iova_size(iovad, size);
	u64 pages, align_mask, limit_pfn, need, pfn = 0;
	int order, ret;

	if (!bytes)
		return -EINVAL;
	pages = bytes >> iovad->shift;
	align_mask = roundup_pow_of_two(pages) - 1;
	limit_pfn = min(limit >> iovad->shift, iovad->last_pfn);
	order = iova_rcache_order(pages);

	spin_lock(&iovad->lock);
	if (limit_pfn < iovad->start_pfn) {
		ret = -ENOSPC;
		goto out_unlock;
	}
	if (order >= 0) {
		n = iova_rcache_get(iovad, order, limit_pfn);
		if (n) {
			iovad->rcache_hits++;
			goto out_allocated;
		}
		iovad->rcache_misses++;
	}

	/* pages <= 2^52 (granule >= 4 KiB): need cannot overflow. */
	need = pages + align_mask;
	for (;;) {
		f = iova_find_fit(iovad->free_root, need, pages, align_mask,
				  limit_pfn, &pfn);
		if (!f && need != pages)
			f = iova_find_fit(iovad->free_root, pages, pages,
					  align_mask, limit_pfn, &pfn);
		if (f || !__iova_flush_rcache(iovad))
			break;
	}
	if (!f) {
		ret = -ENOSPC;
		goto out_unlock;
	}

	/* The block's own node, and one more if @f splits in two. */
	n = kzalloc(sizeof(*n), GFP_ATOMIC);
	if (!n) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	if (f->pfn_lo < pfn && pfn + pages - 1 < f->pfn_last) {
		spare = kzalloc(sizeof(*spare), GFP_ATOMIC);
		if (!spare) {
			kfree(n);
			ret = -ENOMEM;
			goto out_unlock;
		}
	}
	iova_carve(iovad, f, pfn, pfn + pages - 1, spare);
	n->pfn_lo = pfn;
	n->pfn_last = pfn + pages - 1;
	iovad->alloc_root = avl_insert(iovad->alloc_root, n);

out_allocated:
	n->state = IOVA_ALLOCATED;
	iovad->allocated += pages;
	iovad->nr_allocated++;
	*iova = n->pfn_lo << iovad->shift;
	ret = 0;
out_unlock:
	spin_unlock(&iovad->lock);
	return ret;
}

/**
 * iova_free() - give back a block from iova_alloc()
 * @iovad: the domain
 * @iova: the block's first IOVA, as iova_alloc() returned it
 * @size: the size passed to iova_alloc()
 *
 * Small blocks go to a per-size cache, the rest back to the free tree.
 *
 * Return: 0, or -EINVAL (with a WARN) if [@iova, @size) is not a live
 * allocation of that size; the domain is then left untouched.
 */
int iova_free(struct iova_domain *iovad, dma_addr_t iova, u64 size)
{
	u64 bytes = iova_size(iovad, size), pages;
	struct iova_rcache *rc;
	struct iova_node *n;
	int order, ret = 0;

	spin_lock(&iovad->lock);
	n = avl_find(iovad->alloc_root, iova >> iovad->shift);
	pages = bytes >> iovad->shift;
	if (WARN(!bytes || !n || n->state != IOVA_ALLOCATED ||
		 (iova & ((1ULL << iovad->shift) - 1)) ||
		 iova_node_len(n) != pages,
		 "iova_free(%#llx, %#llx): not a live allocation of that size",
		 (unsigned long long)iova, (unsigned long long)size)) {
		ret = -EINVAL;
		goto out_unlock;
	}
	iovad->allocated -= pages;
	iovad->nr_allocated--;
	order = iova_rcache_order(pages);
	rc = order >= 0 ? &iovad->rcache[order] : NULL;
	if (rc && rc->depth < IOVA_RCACHE_DEPTH) {
		n->state = IOVA_CACHED;
		n->cache_next = rc->head;
		rc->head = n;
		rc->depth++;
		iovad->cached += pages;
	} else {
		iova_release(iovad, n);
	}
out_unlock:
	spin_unlock(&iovad->lock);
	return ret;
}

/**
 * iova_reserve() - take a range out of the allocator for good
 * @iovad: the domain
 * @first: first IOVA
 * @last: last IOVA, inclusive
 *
 * For windows a device must never be given as IOVA (a PCI window routed
 * peer to peer, an MSI doorbell).  The range is widened to whole granules
 * and clipped to the domain; what remains must be entirely free.  Reserved
 * space is released only by iova_domain_destroy().
 *
 * Return: 0 (also when nothing of it lies in the domain); -EINVAL if
 * @first > @last; -EBUSY if part of it is allocated, cached or reserved;
 * -ENOMEM.
 */
int iova_reserve(struct iova_domain *iovad, dma_addr_t first,
		 dma_addr_t last)
{
	struct iova_node *n, *f, *spare = NULL;
	u64 lo, hi;
	int ret = 0;

	if (first > last)
		return -EINVAL;
	lo = max(first >> iovad->shift, iovad->start_pfn);
	hi = min(last >> iovad->shift, iovad->last_pfn);
	if (lo > hi)
		return 0;

	spin_lock(&iovad->lock);
	__iova_flush_rcache(iovad);
	f = avl_floor(iovad->free_root, lo);
	if (!f || f->pfn_last < hi) {
		ret = -EBUSY;
		goto out_unlock;
	}
	n = kzalloc(sizeof(*n), GFP_ATOMIC);
	if (!n) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	if (f->pfn_lo < lo && hi < f->pfn_last) {
		spare = kzalloc(sizeof(*spare), GFP_ATOMIC);
		if (!spare) {
			kfree(n);
			ret = -ENOMEM;
			goto out_unlock;
		}
	}
	iova_carve(iovad, f, lo, hi, spare);
	n->pfn_lo = lo;
	n->pfn_last = hi;
	n->state = IOVA_RESERVED;
	iovad->alloc_root = avl_insert(iovad->alloc_root, n);
	iovad->reserved += hi - lo + 1;
out_unlock:
	spin_unlock(&iovad->lock);
	return ret;
}

/**
 * iova_flush_rcache() - return every cached block to the free tree
 * @iovad: the domain
 */
void iova_flush_rcache(struct iova_domain *iovad)
{
	spin_lock(&iovad->lock);
	__iova_flush_rcache(iovad);
	spin_unlock(&iovad->lock);
}

/**
 * iova_allocated_bytes() - bytes users hold
 * @iovad: the domain
 *
 * Return: the sum of iova_size() of every live allocation.
 */
u64 iova_allocated_bytes(struct iova_domain *iovad)
{
	u64 pages;

	spin_lock(&iovad->lock);
	pages = iovad->allocated;
	spin_unlock(&iovad->lock);
	return pages << iovad->shift;
}

/**
 * iova_get_stats() - a consistent snapshot of a domain's accounting
 * @iovad: the domain
 * @stats: filled in
 *
 * @stats->free_bytes is counted from the free tree itself (O(number of
 * free ranges)), so allocated + cached + reserved + free adding up to the
 * size of the space checks the trees against the counters.  (A space of
 * the full 2^64 bytes reports free_bytes modulo 2^64.)
 */
void iova_get_stats(struct iova_domain *iovad, struct iova_stats *stats)
{
	spin_lock(&iovad->lock);
	stats->allocated_bytes = iovad->allocated << iovad->shift;
	stats->nr_allocated = iovad->nr_allocated;
	stats->cached_bytes = iovad->cached << iovad->shift;
	stats->reserved_bytes = iovad->reserved << iovad->shift;
	stats->free_bytes = avl_sum_len(iovad->free_root) << iovad->shift;
	stats->nr_free_ranges = iovad->nr_free_ranges;
	stats->rcache_hits = iovad->rcache_hits;
	stats->rcache_misses = iovad->rcache_misses;
	spin_unlock(&iovad->lock);
}
