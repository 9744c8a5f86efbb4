/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IOMMU API: domains, groups, mapping (drivers/iommu/iommu.c).
 * docs/iommu.md teaches it.
 *
 * A domain is an IO address space.  Paging domains (UNMANAGED, DMA) own
 * an IO page table, an IOVA allocator over their aperture and a hardware
 * domain ID; IDENTITY (bypass) and BLOCKED are the two static domains.
 * Devices are attached by group: devices the PCI fabric cannot isolate
 * from one another share a group, and a group is in exactly one domain at
 * a time (its default domain unless someone attached another).
 *
 * Addresses: IOVA ranges are (iova, size) with size > 0, or [first,
 * last] with last inclusive where the end could overflow.  Every mapping
 * call needs 4 KiB alignment of IOVA, physical address and size (the
 * range-list calls relax this at the two ends of a list, see
 * iommu_map_physr()).
 *
 * Invalidation rule: each iommu_map*() / iommu_unmap*() call that changed
 * a leaf issues exactly one IOTLB invalidation (one range command per
 * IOMMU unit the domain is attached to), covering the whole range of the
 * call; calls that fail without changing anything issue none.
 */
#ifndef _LINUX_IOMMU_H
#define _LINUX_IOMMU_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/iova.h>
#include <linux/list.h>
#include <linux/mutex.h>

struct device;
struct io_pgtable;
struct iommu_group;
struct physr_list;
struct physr_view;

/* Mapping permissions (prot). */
#define IOMMU_READ	(1 << 0)
#define IOMMU_WRITE	(1 << 1)
#define IOMMU_MMIO	(1 << 4)	/* accepted; no effect on this IOMMU */

/* Domain types. */
#define IOMMU_DOMAIN_BLOCKED	0	/* all DMA faults */
#define IOMMU_DOMAIN_IDENTITY	1	/* DMA address == physical address */
#define IOMMU_DOMAIN_UNMANAGED	2	/* paging, IOVA managed by the owner */
#define IOMMU_DOMAIN_DMA	3	/* paging, used by the DMA API */

/* Most IOMMU units the driver handles. */
#define IOMMU_MAX_UNITS		8

/* Fault handler flags. */
#define IOMMU_FAULT_READ	0x0
#define IOMMU_FAULT_WRITE	0x1

struct iommu_domain;

typedef int (*iommu_fault_handler_t)(struct iommu_domain *domain,
				     struct device *dev, dma_addr_t iova,
				     int flags, void *token);

/**
 * struct iommu_domain_geometry - the IOVA a domain can translate
 * @aperture_start: first IOVA
 * @aperture_end: last IOVA, inclusive
 * @force_aperture: DMA outside the aperture is never translated
 */
struct iommu_domain_geometry {
	dma_addr_t aperture_start;
	dma_addr_t aperture_end;
	bool force_aperture;
};

/**
 * struct iommu_domain - an IO address space
 * @type: IOMMU_DOMAIN_*
 * @id: hardware domain ID (paging domains), 0 otherwise
 * @geometry: the aperture
 * @pgsize_bitmap: leaf sizes the page table offers (0: not a paging domain)
 * @iovad: IOVA allocator over the aperture, from PAGE_SIZE (IOVA 0 is
 *	never handed out); paging domains only
 *
 * The fields below are private to drivers/iommu/.
 *
 * @pgtbl: the IO page table
 * @lock: serialises changes of the page table (map, unmap)
 * @dma_limit: the last IOVA every attached device can emit
 * @unit_users: per IOMMU unit, devices attached through it
 * @iotlb_flushes: invalidations issued by map and unmap calls
 * @inv_cmds: invalidation commands sent to the hardware
 * @faults: faults reported against this domain
 * @handler: fault handler, or NULL
 * @handler_token: its argument
 */
struct iommu_domain {
	unsigned int type;
	u16 id;
	struct iommu_domain_geometry geometry;
	u64 pgsize_bitmap;
	struct iova_domain iovad;

	/* private: */
	struct io_pgtable *pgtbl;
	struct mutex lock;
	u64 dma_limit;
	atomic_t unit_users[IOMMU_MAX_UNITS];
	atomic64_t iotlb_flushes;
	atomic64_t inv_cmds;
	atomic64_t faults;
	iommu_fault_handler_t handler;
	void *handler_token;
};

/**
 * struct iommu_domain_stats - counters of a paging domain
 * @pte_writes: page-table entries written (leaves and table pointers,
 *	set and cleared), since the domain was allocated
 * @table_pages: page-table pages held now, the root included
 * @leaves: leaves present now, by level: [1] 4 KiB, [2] 2 MiB, [3] 1 GiB
 * @mapped_bytes: bytes mapped now
 * @iotlb_flushes: IOTLB invalidations issued by map and unmap calls
 *	(at most one per call)
 * @inv_cmds: invalidation commands sent to IOMMU units for this domain
 *	(map/unmap flushes on every unit it is attached to, plus those of
 *	attach and detach)
 * @faults: DMA faults reported against the domain (iommu_poll_faults())
 */
struct iommu_domain_stats {
	u64 pte_writes;
	u64 table_pages;
	u64 leaves[4];
	u64 mapped_bytes;
	u64 iotlb_flushes;
	u64 inv_cmds;
	u64 faults;
};

/**
 * struct iommu_iotlb_gather - IOVA and page-table pages to flush and free
 * @start: first IOVA changed
 * @last: last IOVA changed, inclusive; @start > @last when empty
 * @freelist: page-table pages unlinked from the table, linked by lru;
 *	freed only after the invalidation, since the hardware may still be
 *	walking them until then
 */
struct iommu_iotlb_gather {
	dma_addr_t start;
	dma_addr_t last;
	struct list_head freelist;
};

/**
 * iommu_iotlb_gather_init() - start an empty gather
 * @gather: the gather, usually on the caller's stack
 *
 * Empty means @start above @last (so the first
 * iommu_iotlb_gather_add_range() sets both) and no pages to free.
 */
static inline void iommu_iotlb_gather_init(struct iommu_iotlb_gather *gather)
{
	gather->start = U64_MAX;
	gather->last = 0;
	INIT_LIST_HEAD(&gather->freelist);
}

/**
 * iommu_iotlb_gather_empty() - did nothing change?
 * @gather: the gather
 *
 * Return: true if no IOVA range was added, i.e. there is nothing to
 * invalidate (pages to free may still be on @gather->freelist).
 */
static inline bool
iommu_iotlb_gather_empty(const struct iommu_iotlb_gather *gather)
{
	return gather->start > gather->last;
}

/**
 * iommu_iotlb_gather_add_range() - widen a gather to cover a range
 * @gather: the gather
 * @first: first IOVA
 * @last: last IOVA, inclusive
 */
static inline void
iommu_iotlb_gather_add_range(struct iommu_iotlb_gather *gather,
			     dma_addr_t first, dma_addr_t last)
{
	if (first < gather->start)
		gather->start = first;
	if (last > gather->last)
		gather->last = last;
}

/* ---- subsystem and devices ------------------------------------------ */

int iommu_init(void);
void iommu_exit(void);
bool iommu_present(void);
int iommu_set_default_domain_type(unsigned int type);

int iommu_probe_device(struct device *dev);
void iommu_release_device(struct device *dev);

int iommu_group_id(const struct iommu_group *group);
unsigned int iommu_group_nr_devices(const struct iommu_group *group);
struct iommu_domain *iommu_get_domain_for_dev(struct device *dev);
struct iommu_domain *iommu_get_default_domain(struct device *dev);
const char *iommu_domain_type_name(const struct iommu_domain *domain);

/* ---- domains ---------------------------------------------------------- */

struct iommu_domain *iommu_domain_alloc(void);
void iommu_domain_free(struct iommu_domain *domain);
int iommu_attach_device(struct iommu_domain *domain, struct device *dev);
void iommu_detach_device(struct iommu_domain *domain, struct device *dev);
int iommu_attach_group(struct iommu_domain *domain, struct iommu_group *group);
void iommu_detach_group(struct iommu_domain *domain,
			struct iommu_group *group);
void iommu_set_fault_handler(struct iommu_domain *domain,
			     iommu_fault_handler_t handler, void *token);
void iommu_domain_get_stats(struct iommu_domain *domain,
			    struct iommu_domain_stats *stats);

/* ---- mapping ---------------------------------------------------------- */

int iommu_map(struct iommu_domain *domain, dma_addr_t iova,
	      phys_addr_t paddr, u64 size, int prot, gfp_t gfp);
int iommu_unmap(struct iommu_domain *domain, dma_addr_t iova, u64 size);
int iommu_map_physr(struct iommu_domain *domain, dma_addr_t iova,
		    const struct physr_list *list, int prot, gfp_t gfp);
int iommu_map_physr_view(struct iommu_domain *domain, dma_addr_t iova,
			 const struct physr_view *view, int prot, gfp_t gfp);
int iommu_unmap_physr(struct iommu_domain *domain, dma_addr_t iova,
		      const struct physr_list *list);
int iommu_unmap_physr_view(struct iommu_domain *domain, dma_addr_t iova,
			   const struct physr_view *view);
u64 iommu_physr_iova_len(const struct physr_list *list);
u64 iommu_physr_view_iova_len(const struct physr_view *view);
phys_addr_t iommu_iova_to_phys(struct iommu_domain *domain, dma_addr_t iova);

/* ---- faults ----------------------------------------------------------- */

unsigned int iommu_poll_faults(void);

#endif /* _LINUX_IOMMU_H */
