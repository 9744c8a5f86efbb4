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
 * Counters may be read at any time without the caller's lock.
 */
#ifndef _LINUX_IO_PGTABLE_H
#define _LINUX_IO_PGTABLE_H

#include <linux/types.h>
#include <linux/atomic.h>
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

struct io_pgtable *io_pgtable_alloc(gfp_t gfp);
void io_pgtable_free(struct io_pgtable *pgt);

int io_pgtable_map_pages(struct io_pgtable *pgt, dma_addr_t iova,
			 phys_addr_t paddr, u64 pgsize, u64 pgcount, int prot,
			 gfp_t gfp, u64 *mapped);
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

#endif /* _LINUX_IO_PGTABLE_H */
