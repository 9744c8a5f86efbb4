/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IOVA allocator: hands out ranges of one IO address space
 * (drivers/iommu/iova.c).  docs/iommu.md describes it.
 *
 * A struct iova_domain manages [start, last] (last inclusive; it may be
 * U64_MAX) in units of a power-of-two granule.  Allocations are size
 * aligned, as the kernel's are: a block of n granules starts at a multiple
 * of roundup_pow_of_two(n) granules.  Small sizes (up to
 * IOVA_RCACHE_MAX_GRANULES granules) are rounded up to a power of two so
 * that freed blocks can be recycled from a per-size cache; iova_size()
 * says what an allocation really takes.
 *
 * All functions are thread-safe.  Fields of struct iova_domain are
 * private.
 */
#ifndef _LINUX_IOVA_H
#define _LINUX_IOVA_H

#include <linux/types.h>
#include <linux/spinlock.h>

struct iova_node;

/* Sizes of 2^0 .. 2^(IOVA_RCACHE_ORDERS - 1) granules are cached. */
#define IOVA_RCACHE_ORDERS		6
#define IOVA_RCACHE_MAX_GRANULES	(1UL << (IOVA_RCACHE_ORDERS - 1))
/* Most blocks one size's cache holds. */
#define IOVA_RCACHE_DEPTH		256

/**
 * struct iova_rcache - freed blocks of one size, kept for reuse
 * @head: most recently freed first, linked through the nodes
 * @depth: blocks held
 */
struct iova_rcache {
	struct iova_node *head;
	unsigned int depth;
};

/**
 * struct iova_domain - an IOVA space and its allocator
 * @lock: protects everything below
 * @shift: log2 of the granule
 * @start_pfn: first granule of the space
 * @last_pfn: last granule, inclusive
 * @free_root: tree of free ranges, by start
 * @alloc_root: tree of allocated, cached and reserved blocks, by start
 * @rcache: per-order caches of freed blocks
 * @allocated: granules held by users
 * @nr_allocated: blocks held by users
 * @cached: granules in @rcache
 * @reserved: granules reserved with iova_reserve()
 * @nr_free_ranges: nodes in @free_root
 * @rcache_hits: allocations served from @rcache
 * @rcache_misses: cacheable allocations that searched the tree
 */
struct iova_domain {
	spinlock_t lock;
	unsigned int shift;
	u64 start_pfn;
	u64 last_pfn;
	struct iova_node *free_root;
	struct iova_node *alloc_root;
	struct iova_rcache rcache[IOVA_RCACHE_ORDERS];
	u64 allocated;
	u64 nr_allocated;
	u64 cached;
	u64 reserved;
	u64 nr_free_ranges;
	u64 rcache_hits;
	u64 rcache_misses;
};

/**
 * struct iova_stats - what an IOVA domain holds, in bytes
 * @allocated_bytes: held by users (after iova_size() rounding)
 * @nr_allocated: blocks held by users
 * @cached_bytes: freed, kept in the per-size caches
 * @reserved_bytes: reserved with iova_reserve()
 * @free_bytes: free in the tree
 * @nr_free_ranges: separate free ranges in the tree
 * @rcache_hits: allocations served from a cache
 * @rcache_misses: cacheable allocations that had to search the tree
 *
 * allocated + cached + reserved + free is the size of the space.
 */
struct iova_stats {
	u64 allocated_bytes;
	u64 nr_allocated;
	u64 cached_bytes;
	u64 reserved_bytes;
	u64 free_bytes;
	u64 nr_free_ranges;
	u64 rcache_hits;
	u64 rcache_misses;
};

int iova_domain_init(struct iova_domain *iovad, u64 granule,
		     dma_addr_t start, dma_addr_t last);
void iova_domain_destroy(struct iova_domain *iovad);

int iova_alloc(struct iova_domain *iovad, u64 size, dma_addr_t limit,
	       dma_addr_t *iova);
int iova_free(struct iova_domain *iovad, dma_addr_t iova, u64 size);
int iova_reserve(struct iova_domain *iovad, dma_addr_t first,
		 dma_addr_t last);
void iova_flush_rcache(struct iova_domain *iovad);

u64 iova_size(const struct iova_domain *iovad, u64 size);
u64 iova_allocated_bytes(struct iova_domain *iovad);
void iova_get_stats(struct iova_domain *iovad, struct iova_stats *stats);

/**
 * iova_granule() - the allocation unit of a domain, in bytes
 * @iovad: the domain
 */
static inline u64 iova_granule(const struct iova_domain *iovad)
{
	return 1ULL << iovad->shift;
}

#endif /* _LINUX_IOVA_H */
