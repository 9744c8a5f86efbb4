/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IO page table of the machine's IOMMU (drivers/iommu/io-pgtable.c),
 * in the format of <hw/sim_iommu.h>: four levels, leaves of 4 KiB, 2 MiB
 * and 1 GiB, tables in RAM pages from the page allocator.
 *
 * The table is a data structure and nothing else: it does not lock (the
 * caller serialises every call on one table; iommu.c holds the domain's
 * lock) and it never talks to the IOMMU (the caller invalidates the IOTLB
 * for what a gather collected, then frees the gathered table pages).
 *
 * Counters may be read at any time without the caller's lock.  They have
 * a single writer at a time (the caller's lock), so they are updated with
 * plain loads and stores, never a locked instruction, and a map call adds
 * what it counted once, at its end (io_pgtable_walk_end()).
 *
 * A table page counts its present entries in page->private and, among
 * them, its table pointers in page->index.
 */
#ifndef _LINUX_IO_PGTABLE_H
#define _LINUX_IO_PGTABLE_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/mm_types.h>
#include <linux/iommu.h>
#include <hw/sim_iommu.h>

struct page;

/**
 * struct io_pgtable - one IO page table
 * @root: physical address of the root (level-4) table, for the context
 *	entry
 * @pgsize_bitmap: leaf sizes offered
 * @iova_last: the last IOVA the table can translate
 * @pte_writes: entries written, leaves and table pointers, set and cleared
 * @table_pages: table pages held, the root included
 * @leaves: present leaves by level (index 1 to 3)
 *
 * Private: @root_page.
 */
struct io_pgtable {
	phys_addr_t root;
	u64 pgsize_bitmap;
	dma_addr_t iova_last;
	atomic64_t pte_writes;
	atomic64_t table_pages;
	atomic64_t leaves[SIM_IOMMU_MAX_LEAF_LEVEL + 1];

	/* private: */
	struct page *root_page;
};

/**
 * struct io_pgtable_walk - the walk cache of one map call
 * @table: [lvl] the table holding level-@lvl entries that the call last
 *	went through, or NULL; [SIM_IOMMU_LEVELS] is the root
 * @page: [lvl] the struct page of @table[lvl]
 * @tag: [lvl] the IOVA bits above @table[lvl]'s span (IOVA >>
 *	SIM_IOMMU_LEVEL_SHIFT(@lvl + 1)): it covers an IOVA with equal bits
 * @fresh: [lvl] @table[lvl] was made by this call, so its entries at
 *	IOVA from @high up are known to be empty
 * @high: the end of the highest IOVA range this call has written
 * @new_page: a table page io_pgtable_leaf_slots() handed out, not linked
 *	yet
 * @pte_writes: entries written by the call, not yet in the table's counter
 * @leaves: leaves written by the call, by level, not yet counted
 *
 * Mapping consecutive IOVA goes through the same tables again and again:
 * with the walk cache each run of leaves inside one table is written
 * without descending from the root; the descent starts at the lowest
 * cached table that covers the IOVA and refills the cache below it.  A
 * walk lives on the caller's stack for one call, under the caller's lock
 * (nothing else may change the table meanwhile), and ends with
 * io_pgtable_walk_end(), which adds its counts to the table's counters.
 * After an error it must only be ended.
 */
struct io_pgtable_walk {
	u64 *table[SIM_IOMMU_LEVELS + 1];
	struct page *page[SIM_IOMMU_LEVELS + 1];
	u64 tag[SIM_IOMMU_LEVELS + 1];
	bool fresh[SIM_IOMMU_LEVELS + 1];
	u64 high;
	struct page *new_page;
	u64 pte_writes;
	u64 leaves[SIM_IOMMU_MAX_LEAF_LEVEL + 1];
};

struct io_pgtable *io_pgtable_alloc(gfp_t gfp);
void io_pgtable_free(struct io_pgtable *pgt);

int io_pgtable_map_pages(struct io_pgtable *pgt, dma_addr_t iova,
			 phys_addr_t paddr, u64 pgsize, u64 pgcount, int prot,
			 gfp_t gfp, u64 *mapped);
void io_pgtable_walk_init(struct io_pgtable *pgt, struct io_pgtable_walk *walk);
void io_pgtable_walk_end(struct io_pgtable *pgt, struct io_pgtable_walk *walk);
int __io_pgtable_map_walk(struct io_pgtable *pgt, struct io_pgtable_walk *walk,
			  dma_addr_t iova, phys_addr_t paddr, unsigned int lvl,
			  u64 count, u64 pte_bits, gfp_t gfp, u64 *mapped);
u64 *io_pgtable_leaf_slots(struct io_pgtable *pgt,
			   struct io_pgtable_walk *walk, dma_addr_t iova,
			   unsigned int lvl, gfp_t gfp, bool have_leaf,
			   unsigned int *room);
void io_pgtable_leaf_slots_done(struct io_pgtable *pgt,
				struct io_pgtable_walk *walk, dma_addr_t iova,
				unsigned int lvl, unsigned int n);
int io_pgtable_unmap(struct io_pgtable *pgt, dma_addr_t iova, u64 size,
		     struct iommu_iotlb_gather *gather);
phys_addr_t io_pgtable_iova_to_phys(struct io_pgtable *pgt, dma_addr_t iova);

void io_pgtable_put_pages_list(struct list_head *freelist);

/**
 * io_pgtable_level_size() - bytes a leaf at level @lvl maps
 * @lvl: 1 (4 KiB), 2 (2 MiB) or 3 (1 GiB)
 */
static inline u64 io_pgtable_level_size(unsigned int lvl)
{
	return SIM_IOMMU_LEVEL_SIZE(lvl);
}

/**
 * io_pgtable_level_shift() - log2 of the bytes a leaf at level @lvl maps
 * @lvl: 1 (4 KiB), 2 (2 MiB) or 3 (1 GiB)
 */
static inline unsigned int io_pgtable_level_shift(unsigned int lvl)
{
	return SIM_IOMMU_LEVEL_SHIFT(lvl);
}

/**
 * io_pgtable_pgsize_level() - the level whose leaves are @pgsize bytes
 * @pgsize: 4 KiB, 2 MiB or 1 GiB
 */
static inline unsigned int io_pgtable_pgsize_level(u64 pgsize)
{
	return ((unsigned int)__builtin_ctzll(pgsize) - SIM_IOMMU_PAGE_SHIFT) /
	       SIM_IOMMU_LEVEL_BITS + 1;
}

/**
 * io_pgtable_prot_bits() - the bits of a leaf for @prot, address aside
 * @prot: IOMMU_READ and/or IOMMU_WRITE
 */
static inline u64 io_pgtable_prot_bits(int prot)
{
	u64 bits = SIM_IOMMU_PTE_PRESENT | SIM_IOMMU_PTE_LEAF;

	if (prot & IOMMU_READ)
		bits |= SIM_IOMMU_PTE_READ;
	if (prot & IOMMU_WRITE)
		bits |= SIM_IOMMU_PTE_WRITE;
	return bits;
}

/**
 * io_pgtable_leaf_pte() - the leaf entry mapping @paddr
 * @paddr: the physical address, aligned to the leaf size and within the
 *	format's reach (bits 51:12)
 * @pte_bits: io_pgtable_prot_bits() of the mapping
 *
 * The entry is its address ORed with the bits, for every leaf size: what
 * a caller of io_pgtable_leaf_slots() stores in each slot.
 */
static inline u64 io_pgtable_leaf_pte(phys_addr_t paddr, u64 pte_bits)
{
	return paddr | pte_bits;
}

/**
 * io_pgtable_reaches() - can leaves map [@paddr, @paddr + @size)?
 * @paddr: first physical address
 * @size: bytes, > 0
 *
 * Return: true if the whole range is within the format's reach (bits
 * 51:12), which io_pgtable_leaf_pte() requires.
 */
static inline bool io_pgtable_reaches(phys_addr_t paddr, u64 size)
{
	return paddr <= SIM_IOMMU_PTE_ADDR_MASK &&
	       size - 1 <= SIM_IOMMU_PTE_ADDR_MASK - paddr;
}

/**
 * io_pgtable_map_walk() - map consecutive leaves of one size, walk cached
 * @pgt: the table
 * @walk: the call's walk (io_pgtable_walk_init())
 * @iova: first IOVA, aligned to the leaf size, inside the table's reach
 *	(the caller checked the whole range of its call)
 * @paddr: first physical address, aligned to the leaf size
 * @lvl: leaf level: 1 (4 KiB), 2 (2 MiB) or 3 (1 GiB)
 * @count: leaves wanted, > 0
 * @pte_bits: io_pgtable_prot_bits() of the mapping
 * @gfp: flags for table pages
 * @mapped: set to the bytes mapped
 *
 * As io_pgtable_map_pages(): maps min(@count, leaves left in the table
 * that holds @iova), all or none.  When the cached level-@lvl table holds
 * @iova this is a check and a loop of stores, inline; otherwise
 * __io_pgtable_map_walk() descends from the lowest cached table.
 *
 * Return: 0; -EINVAL for a physical address beyond the format; -EEXIST
 * if anything is mapped there already; -ENOMEM.  Nothing is written on
 * error.
 */
static __always_inline int
io_pgtable_map_walk(struct io_pgtable *pgt, struct io_pgtable_walk *walk,
		    dma_addr_t iova, phys_addr_t paddr, unsigned int lvl,
		    u64 count, u64 pte_bits, gfp_t gfp, u64 *mapped)
{
	u64 *table = walk->table[lvl];
	unsigned int idx, n, i;
	u64 pte, bytes;

	if (unlikely(!table ||
		     walk->tag[lvl] != iova >> SIM_IOMMU_LEVEL_SHIFT(lvl + 1) ||
		     paddr > SIM_IOMMU_PTE_ADDR_MASK))
		goto slow;
	idx = SIM_IOMMU_LEVEL_INDEX(iova, lvl);
	n = count < SIM_IOMMU_PTES_PER_TABLE - idx ?
	    count : SIM_IOMMU_PTES_PER_TABLE - idx;
	bytes = (u64)n << SIM_IOMMU_LEVEL_SHIFT(lvl);
	if (unlikely(paddr + bytes - 1 > SIM_IOMMU_PTE_ADDR_MASK))
		goto slow;
	for (i = 0; i < n; i++)
		if (unlikely(READ_ONCE(table[idx + i])))
			goto slow;
	pte = paddr | pte_bits;
	for (i = 0; i < n; i++, pte += SIM_IOMMU_LEVEL_SIZE(lvl))
		WRITE_ONCE(table[idx + i], pte);
	walk->page[lvl]->private += n;
	walk->leaves[lvl] += n;
	walk->pte_writes += n;
	if (iova + bytes > walk->high)
		walk->high = iova + bytes;
	*mapped = bytes;
	return 0;
slow:
	return __io_pgtable_map_walk(pgt, walk, iova, paddr, lvl, count,
				     pte_bits, gfp, mapped);
}

#endif /* _LINUX_IO_PGTABLE_H */
