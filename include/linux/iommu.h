/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IOMMU API: domains, groups, mapping (drivers/iommu/iommu.c), and
 * the interface between that core and an IOMMU driver (struct iommu_ops,
 * struct iommu_domain_ops).  docs/iommu.md teaches both.
 *
 * A domain is an IO address space.  Paging domains (UNMANAGED, DMA) own
 * an IO page table (the driver's), an IOVA allocator over their aperture
 * (the core's) and a hardware domain ID (the driver's); IDENTITY (bypass)
 * and BLOCKED are static domains the driver provides.  Devices are
 * attached by group: devices the PCI fabric cannot isolate from one
 * another share a group, and a group is in exactly one domain at a time
 * (its default domain unless someone attached another).
 *
 * Layering.  The core allocates IOVA, checks arguments, picks page sizes
 * for map_pages (iommu_pgsize()), gathers invalidations and keeps groups,
 * attachment and default domains; it never reads or writes a page-table
 * entry.  The driver owns the page table and the hardware: it writes
 * entries in its domain ops and turns a gather into invalidation
 * commands.  The core serialises page-table changes of a domain (its
 * @lock), so domain ops that change the table are called with it held
 * and need no locking of their own.
 *
 * Addresses: IOVA ranges are (iova, size) with size > 0, or [first,
 * last] with last inclusive where the end could overflow.  Every mapping
 * call needs 4 KiB alignment of IOVA, physical address and size (the
 * range-list calls relax this at the two ends of a list, see
 * iommu_map_physr()).
 *
 * Invalidation rule: each iommu_map*() / iommu_unmap*() call that changed
 * a leaf ends with exactly one iotlb_sync of the driver, whose gather
 * covers the whole range of the call (the driver sends one range command
 * per IOMMU unit the domain is attached through); calls that fail
 * without changing anything issue none.
 */
#ifndef _LINUX_IOMMU_H
#define _LINUX_IOMMU_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/iova.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>

struct device;
struct iommu_domain_stats;
struct iommu_group;
struct iommu_iotlb_gather;
struct physr_iter;
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

/* Fault handler flags. */
#define IOMMU_FAULT_READ	0x0
#define IOMMU_FAULT_WRITE	0x1

struct iommu_domain;

typedef int (*iommu_fault_handler_t)(struct iommu_domain *domain,
				     struct device *dev, dma_addr_t iova,
				     int flags, void *token);

/**
 * struct iommu_domain_ops - what a driver does for one kind of domain
 * @attach_dev: point @dev's hardware context at the domain (the core has
 *	moved @dev's group here); the driver knows what @dev was in before
 *	and invalidates that domain's IOTLB entries for @dev's unit.
 *	Return: 0 or a negative errno (the context is then unchanged)
 * @map_pages: map @pgcount leaves of @pgsize (a size of the domain's
 *	pgsize_bitmap) from @iova to @paddr, both aligned to @pgsize; it may
 *	map fewer (e.g. up to the end of one table) and reports the bytes
 *	in @mapped, all of which stay mapped even when it fails; the core
 *	calls again for the rest.  No invalidation.  A descent that cannot
 *	allocate a table links none (nothing to invalidate).  Return: 0,
 *	-EINVAL for bad sizes, alignment or prot, or an address the format
 *	cannot hold, -ERANGE for an IOVA beyond the table's reach, -EEXIST
 *	if something is mapped there (nothing written), -ENOMEM
 * @map_range: map the ranges of @it back to back from @iova in one walk,
 *	choosing leaf sizes itself (the largest each piece's IOVA and
 *	physical alignment allow, by the rule of iommu_pgsize(), among the
 *	domain's pgsize_bitmap: a size a driver left out of it is never a
 *	leaf; -EINVAL without PAGE_SIZE in it), and add the IOVA it wrote
 *	to @gather.  Every boundary between two ranges is
 *	page aligned on both sides, else -EINVAL when it is reached; the
 *	first range may start and the last may end inside a page (those
 *	pages are mapped whole: the first range's page at @iova).  @mapped
 *	is the IOVA bytes mapped from @iova, even on error (the core then
 *	unmaps them).  Return: as @map_pages; -EINVAL for an empty @it
 * @unmap_pages: unmap [@iova, @iova + @pgsize * @pgcount), which must be
 *	covered exactly by leaves lying inside it: checked whole before
 *	anything is cleared.  Adds the range to @gather and queues the table
 *	pages it unlinked on @gather->freelist.  It differs from upstream
 *	in two ways: the core calls it once for the whole range with
 *	@pgsize = PAGE_SIZE, and it clears whatever leaves of any size lie
 *	inside (upstream's core loops over iommu_pgsize() pieces, each call
 *	unmapping leaves of one size); and it returns an errno and sets
 *	@unmapped (all of the range, or 0) where upstream returns the bytes
 *	unmapped (0 on failure), all or nothing.  Return: 0, -ENOENT for a
 *	hole, -EINVAL for a leaf cut in two or a bad size or alignment,
 *	-ERANGE beyond the table's reach; nothing changed on error
 * @iova_to_phys: look @iova up.  Return: its physical address, or 0
 * @iotlb_sync: invalidate what @gather covers (if anything) on every unit
 *	the domain is attached through, then free @gather->freelist
 * @flush_iotlb_all: invalidate every IOTLB entry of the domain
 * @get_stats: fill the driver's counters of @stats (entries written,
 *	table pages, leaves, mapped bytes, commands sent)
 * @free: free a paging domain allocated by the driver (table, ID)
 *
 * Paging domains implement all of them; static domains only @attach_dev.
 * Calls that read or change the page table are made with the domain's
 * @lock held.
 */
struct iommu_domain_ops {
	int (*attach_dev)(struct iommu_domain *domain, struct device *dev);
	int (*map_pages)(struct iommu_domain *domain, dma_addr_t iova,
			 phys_addr_t paddr, u64 pgsize, u64 pgcount, int prot,
			 gfp_t gfp, u64 *mapped);
	int (*map_range)(struct iommu_domain *domain, dma_addr_t iova,
			 struct physr_iter *it, int prot, gfp_t gfp,
			 u64 *mapped, struct iommu_iotlb_gather *gather);
	int (*unmap_pages)(struct iommu_domain *domain, dma_addr_t iova,
			   u64 pgsize, u64 pgcount,
			   struct iommu_iotlb_gather *gather, u64 *unmapped);
	phys_addr_t (*iova_to_phys)(struct iommu_domain *domain,
				    dma_addr_t iova);
	void (*iotlb_sync)(struct iommu_domain *domain,
			   struct iommu_iotlb_gather *gather);
	void (*flush_iotlb_all)(struct iommu_domain *domain);
	void (*get_stats)(struct iommu_domain *domain,
			  struct iommu_domain_stats *stats);
	void (*free)(struct iommu_domain *domain);
};

/**
 * struct iommu_fault_record - one DMA fault, as a driver read it
 * @unit: the IOMMU unit that logged it
 * @rid: requester ID of the device
 * @iova: the address
 * @write: the access was a write
 * @reason: why, in words (a constant string)
 */
struct iommu_fault_record {
	unsigned int unit;
	u16 rid;
	dma_addr_t iova;
	bool write;
	const char *reason;
};

/**
 * struct iommu_ops - an IOMMU driver, as the core sees it
 * @name: for messages
 * @probe_device: take @dev under the driver (firmware says which unit
 *	translates for it, @dev->iommu_unit; the driver may keep per-device
 *	state with dev_iommu_priv_set()).  Return: the unit's index (>= 0),
 *	-ENODEV if no unit translates for @dev, -ENOMEM
 * @release_device: drop what @probe_device kept (@dev is blocked by then)
 * @domain_alloc_paging: a new, empty paging domain with its ops set,
 *	for @dev (NULL: for any device of the driver).  The core sets its
 *	type, fills in pgsize_bitmap and the aperture from the limits below
 *	if the driver left them 0, and initialises the rest.  Return: the
 *	domain or an ERR_PTR
 * @read_fault: take the oldest fault record of any unit.  Return: 0, or
 *	-ENOENT when every log is empty
 * @identity_domain: the static bypass domain
 * @blocked_domain: the static domain in which every DMA faults
 * @pgsize_bitmap: the leaf sizes the hardware's page table offers
 * @iova_bits: IOVA bits its page table translates
 */
struct iommu_ops {
	const char *name;
	int (*probe_device)(struct device *dev);
	void (*release_device)(struct device *dev);
	struct iommu_domain *(*domain_alloc_paging)(struct device *dev);
	int (*read_fault)(struct iommu_fault_record *fault);
	struct iommu_domain *identity_domain;
	struct iommu_domain *blocked_domain;
	u64 pgsize_bitmap;
	unsigned int iova_bits;
};

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
 * @ops: the driver's operations on it
 * @geometry: the aperture
 * @pgsize_bitmap: leaf sizes the page table offers (0: not a paging
 *	domain); the driver's ops->pgsize_bitmap unless the driver narrowed
 *	it: iommu_map() picks pieces from it and map_range chooses leaves
 *	among it; unmap_pages clears leaves of whatever size lie inside
 * @iovad: IOVA allocator over the aperture, from PAGE_SIZE (IOVA 0 is
 *	never handed out); paging domains only
 *
 * A driver embeds it in its own domain structure.  The fields below are
 * private to the core (drivers/iommu/iommu.c and dma-iommu.c).
 *
 * @lock: serialises changes of the page table (map, unmap)
 * @dma_limit: the last IOVA every attached device can emit
 * @iotlb_flushes: invalidations issued by map and unmap calls
 * @faults: faults reported against this domain
 * @handler: fault handler, or NULL
 * @handler_token: its argument
 * @users: references of a paging domain: its owner's (the group's for a
 *	default domain, iommu_domain_alloc()'s caller's otherwise) and one
 *	per DMA API mapping made in it, so that an unmap after its device
 *	(and group) went away still finds it; freed at the last put
 */
struct iommu_domain {
	unsigned int type;
	const struct iommu_domain_ops *ops;
	struct iommu_domain_geometry geometry;
	u64 pgsize_bitmap;
	struct iova_domain iovad;

	/* private: */
	struct mutex lock;
	u64 dma_limit;
	atomic64_t iotlb_flushes;
	atomic64_t faults;
	iommu_fault_handler_t handler;
	void *handler_token;
	struct kref users;
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
 *
 * The driver counts the page table and the commands (get_stats); the
 * core counts flushes and faults.
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

/* ---- drivers ---------------------------------------------------------- */

int iommu_device_register(const struct iommu_ops *ops);
void iommu_device_unregister(const struct iommu_ops *ops);
void *dev_iommu_priv_get(struct device *dev);
void dev_iommu_priv_set(struct device *dev, void *priv);

/*
 * The machine's IOMMU driver (drivers/iommu/sim-iommu.c): the platform's
 * boot starts it before iommu_init() and stops it after iommu_exit().
 */
int iommu_sim_init(void);
void iommu_sim_exit(void);

/* ---- subsystem and devices ------------------------------------------ */

int iommu_init(void);
void iommu_exit(void);
bool iommu_present(void);
int iommu_set_default_domain_type(unsigned int type);

int iommu_probe_device(struct device *dev);
void iommu_release_device(struct device *dev);

struct iommu_group *iommu_group_get(struct device *dev);
void iommu_group_put(struct iommu_group *group);
int iommu_group_id(const struct iommu_group *group);
unsigned int iommu_group_nr_devices(const struct iommu_group *group);
struct iommu_domain *iommu_get_domain_for_dev(struct device *dev);
struct iommu_domain *iommu_get_default_domain(struct device *dev);
const char *iommu_domain_type_name(const struct iommu_domain *domain);

/* DMA ownership: who, the DMA API or one owner (VFIO), drives a group. */
int iommu_device_use_default_domain(struct device *dev);
void iommu_device_unuse_default_domain(struct device *dev);
int iommu_group_claim_dma_owner(struct iommu_group *group, void *owner);
void iommu_group_release_dma_owner(struct iommu_group *group);
bool iommu_group_dma_owner_claimed(struct iommu_group *group);

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

/*
 * ---- mapping ----------------------------------------------------------
 *
 * iommu_unmap() and iommu_unmap_physr*() differ from upstream: they
 * return 0 or a negative errno (upstream's iommu_unmap() returns size_t,
 * the bytes unmapped), they are all or nothing (a hole is -ENOENT,
 * cutting a large leaf -EINVAL, checked before anything is cleared), and
 * they make one unmap_pages call over leaves of any size rather than a
 * loop over iommu_pgsize() pieces.  Map and unmap take the domain's
 * mutex: they may sleep, whatever @gfp says.
 */

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
void iommu_flush_iotlb_all(struct iommu_domain *domain);

/* ---- faults ----------------------------------------------------------- */

unsigned int iommu_poll_faults(void);

#endif /* _LINUX_IOMMU_H */
