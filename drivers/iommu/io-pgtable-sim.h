/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The simulated IOMMU's page-table format (io-pgtable-sim.c), private to
 * its driver (sim-iommu.c): four levels, leaves of 4 KiB, 2 MiB and
 * 1 GiB, tables in RAM pages from the page allocator, in the format of
 * the datasheet <hw/sim_iommu.h>.
 *
 * The format provides the page-table half of a paging domain's ops
 * (map_pages, map_range, unmap_pages, iova_to_phys) on a struct
 * io_pgtable_sim, which embeds the core's struct iommu_domain; the
 * driver embeds the io_pgtable_sim in its own domain and adds the
 * hardware half (attach, invalidation, the domain ID).  In the direction
 * of upstream's generic page table (drivers/iommu/generic_pt/), whose
 * struct pt_iommu sits between the driver's domain and iommu_domain.
 *
 * The table is a data structure and nothing else: it does not lock (the
 * core holds the domain's lock around every op that reads or changes it)
 * and it never talks to the IOMMU (the driver's iotlb_sync invalidates
 * what a gather collected, then calls io_pgtable_sim_put_pages()).
 *
 * Counters may be read at any time without the lock.  They have a
 * single writer at a time (the lock), so they are updated with plain
 * loads and stores, never a locked instruction, and a map call adds
 * what it counted once, at its end.
 */
#ifndef _DRIVERS_IOMMU_IO_PGTABLE_SIM_H
#define _DRIVERS_IOMMU_IO_PGTABLE_SIM_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/iommu.h>
#include <linux/kernel.h>
#include <hw/sim_iommu.h>

struct page;
struct physr_iter;

/**
 * struct io_pgtable_sim - one IO page table, with the domain it backs
 * @domain: the core's view; the format's ops find the table from it
 * @root: physical address of the root (level-4) table, for the context
 *	entry
 * @pte_writes: entries written, leaves and table pointers, set and cleared
 * @table_pages: table pages held, the root included
 * @leaves: present leaves by level (index 1 to 3)
 *
 * Private: @root_page.
 */
struct io_pgtable_sim {
	struct iommu_domain domain;
	phys_addr_t root;
	atomic64_t pte_writes;
	atomic64_t table_pages;
	atomic64_t leaves[SIM_IOMMU_MAX_LEAF_LEVEL + 1];

	/* private: */
	struct page *root_page;
};

static inline struct io_pgtable_sim *
to_io_pgtable_sim(struct iommu_domain *domain)
{
	return container_of(domain, struct io_pgtable_sim, domain);
}

/* The hardware limits the format gives the core (struct iommu_ops). */
#define IO_PGTABLE_SIM_PGSIZE_BITMAP	SIM_IOMMU_PGSIZE_BITMAP
#define IO_PGTABLE_SIM_IOVA_BITS	SIM_IOMMU_IOVA_BITS

int io_pgtable_sim_init(struct io_pgtable_sim *pgt, gfp_t gfp);
void io_pgtable_sim_destroy(struct io_pgtable_sim *pgt);
void io_pgtable_sim_put_pages(struct list_head *freelist);
void io_pgtable_sim_get_stats(struct io_pgtable_sim *pgt,
			      struct iommu_domain_stats *stats);

/* Domain ops (struct iommu_domain_ops says what each does). */
int io_pgtable_sim_map_pages(struct iommu_domain *domain, dma_addr_t iova,
			     phys_addr_t paddr, u64 pgsize, u64 pgcount,
			     int prot, gfp_t gfp, u64 *mapped);
int io_pgtable_sim_map_range(struct iommu_domain *domain, dma_addr_t iova,
			     struct physr_iter *it, int prot, gfp_t gfp,
			     u64 *mapped, struct iommu_iotlb_gather *gather);
int io_pgtable_sim_unmap_pages(struct iommu_domain *domain, dma_addr_t iova,
			       u64 pgsize, u64 pgcount,
			       struct iommu_iotlb_gather *gather,
			       u64 *unmapped);
phys_addr_t io_pgtable_sim_iova_to_phys(struct iommu_domain *domain,
					dma_addr_t iova);

/*
 * map_range's walk cache for a caller that maps one run at a time, as
 * iommu_map_sg() does: runs mapped through it reuse the tables the
 * previous run went through, with leaf sizes by the iommu_pgsize() rule,
 * but without map_range's bulk writes from a list.  For measuring which
 * part of map_range's speed is the cache (`physr bench
 * iommu-map/4k/cached-walk`).  Domain lock held from start to end.
 */
struct io_pgtable_sim_walk {
	u64 __opaque[32];
};

void io_pgtable_sim_walk_start(struct iommu_domain *domain,
			       struct io_pgtable_sim_walk *w);
int io_pgtable_sim_walk_map(struct iommu_domain *domain,
			    struct io_pgtable_sim_walk *w, dma_addr_t iova,
			    phys_addr_t paddr, u64 size, int prot, gfp_t gfp,
			    u64 *mapped);
void io_pgtable_sim_walk_end(struct iommu_domain *domain,
			     struct io_pgtable_sim_walk *w);

#endif /* _DRIVERS_IOMMU_IO_PGTABLE_SIM_H */
