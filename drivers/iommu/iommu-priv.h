/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private to the IOMMU core (iommu.c) and its DMA API path (dma-iommu.c):
 * per-device state, groups, and the scatterlist-era map path.  Drivers
 * do not include it: what they see of the core is <linux/iommu.h>.
 */
#ifndef _DRIVERS_IOMMU_PRIV_H
#define _DRIVERS_IOMMU_PRIV_H

#include <linux/iommu.h>
#include <linux/list.h>

/**
 * struct dev_iommu - what the IOMMU core keeps per probed device
 * @dev: the device
 * @unit: the IOMMU unit in front of it
 * @rid: the requester ID it emits
 * @priv: the driver's per-device state (dev_iommu_priv_get())
 * @group: its group
 * @group_node: entry in @group->devices
 * @node: entry in the list of probed devices
 */
struct dev_iommu {
	struct device *dev;
	unsigned int unit;
	u16 rid;
	void *priv;
	struct iommu_group *group;
	struct list_head group_node;
	struct list_head node;
};

/**
 * struct iommu_group - devices that can only be isolated together
 * @id: number for messages and `physr topo`, unique while the group lives
 * @devices: its devices (struct dev_iommu)
 * @nr_devices: how many
 * @default_domain: the domain it returns to when detached
 * @domain: the domain it is in now
 * @node: entry in the list of groups
 * @ref: one per device in it, one per iommu_group_get(), one while it is
 *	attached to a domain other than its default or, when owned, the
 *	blocked one; the group and its default domain go at the last put
 * @owner: who claimed its DMA (iommu_group_claim_dma_owner()); NULL if
 *	the DMA API manages it
 * @owner_cnt: the owner's claim (1), or the DMA API users
 *	(iommu_device_use_default_domain()) while not owned
 */
struct iommu_group {
	struct kref ref;
	int id;
	struct list_head devices;
	unsigned int nr_devices;
	struct iommu_domain *default_domain;
	struct iommu_domain *domain;
	struct list_head node;
	void *owner;
	unsigned int owner_cnt;
};

void iommu_domain_get(struct iommu_domain *domain);
struct iommu_domain *iommu_get_dma_api_domain(struct device *dev);
void iommu_domain_put(struct iommu_domain *domain);

static inline bool iommu_is_paging_domain(const struct iommu_domain *domain)
{
	return domain->type == IOMMU_DOMAIN_UNMANAGED ||
	       domain->type == IOMMU_DOMAIN_DMA;
}

/*
 * The scatterlist-era path, step by step as upstream's iommu_map_sg()
 * takes it (iommu.c explains): the baseline of bench/bench_iommu.c, and
 * the DMA API's IOVA links in dma-iommu.c.
 */
void iommu_domain_lock(struct iommu_domain *domain);
void iommu_domain_unlock(struct iommu_domain *domain);
int __iommu_map_nosync(struct iommu_domain *domain, dma_addr_t iova,
		       phys_addr_t paddr, u64 size, int prot, gfp_t gfp);
void __iommu_sync_map(struct iommu_domain *domain, dma_addr_t iova, u64 size);

/* The DMA API's IOVA links (dma-iommu.c): map a list, flush later. */
int iommu_map_physr_view_nosync(struct iommu_domain *domain, dma_addr_t iova,
				const struct physr_view *view, int prot,
				gfp_t gfp);

#endif /* _DRIVERS_IOMMU_PRIV_H */
