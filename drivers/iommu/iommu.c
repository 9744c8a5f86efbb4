// SPDX-License-Identifier: GPL-2.0
/*
 * The IOMMU core: devices, groups, domains, attach, and mapping whole
 * ranges.  docs/iommu.md explains the rules; <linux/iommu.h> the API and
 * the interface to the driver (struct iommu_ops, iommu_domain_ops).
 *
 * The core never touches a page table or the hardware: it allocates
 * IOVA, checks arguments, picks page sizes for map_pages (iommu_pgsize()),
 * calls the driver's ops, gathers invalidations into one iotlb_sync per
 * call, and keeps devices, groups, attachment and default domains.  One
 * driver registers (iommu_device_register()); its static identity and
 * blocked domains are the core's bypass and blocked domains.
 *
 * Objects.  iommu_probe_device() gives a device a struct dev_iommu and a
 * group; a group is in exactly one domain, its default domain (bypass or
 * a DMA domain, by iommu_set_default_domain_type()) until someone attaches
 * another.  A PCI function that is removed is released (the PCI bus's
 * notifier, registered by iommu_init()).
 *
 * Groups.  Two devices share a group when the IOMMU cannot keep them
 * apart: they emit the same requester ID on one unit, or one's DMA can
 * reach the other without passing the root complex.  A PCI function's DMA
 * stays on the fabric when some port on its way up (or the function
 * itself, if it shares its link with other functions) lacks the ACS
 * isolation controls (pci_acs_enabled(), PCI_ACS_ISOLATION_FLAGS); it
 * then reaches every function below the port above the highest such one
 * (the whole host bridge if that is a root port).  iommu_init() closes
 * this relation over all PCI functions (union-find) before probing, so
 * groups never need merging.  A device probed later joins the group of
 * the first probed device it is related to.
 *
 * Locking.  iommu_lock covers the driver, devices, groups and
 * attachment.  Each paging domain's lock serialises the domain ops that
 * read or change its page table (map, unmap, iova_to_phys), which
 * therefore need no lock of their own; map and unmap take only that
 * lock.  Where a domain's invalidations go (the units it is attached
 * through) is the driver's to track, in attach_dev.
 *
 * Mapping.  iommu_map() maps one range as upstream's __iommu_map() does:
 * pieces chosen by iommu_pgsize() (the largest leaf the IOVA and physical
 * alignment and the remaining length allow, a run of small leaves stopped
 * where a larger leaf becomes possible), one map_pages call per piece.
 * iommu_map_physr() maps a whole range list at one IOVA with one
 * map_range call: the driver's format chooses the leaves (same rule),
 * walks once and writes runs of leaves in bulk.  On error the call unmaps
 * what it mapped, through unmap_pages.  Each call that changed a leaf
 * ends with exactly one iotlb_sync, whose gather covers its whole range;
 * the driver frees the page-table pages the call unlinked after the
 * invalidation.
 *
 * Conventions: (iova, size) ranges with size > 0, [first, last] with last
 * inclusive where the end may be the top of the space; every sum of an
 * address and a length is checked with check_add_overflow().
 */
#include <linux/bug.h>
#include <linux/device.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/iommu.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/pci.h>
#include <linux/physr.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "iommu-priv.h"

static DEFINE_MUTEX(iommu_lock);
static LIST_HEAD(iommu_devices);
static LIST_HEAD(iommu_groups);

static void __iommu_group_put(struct iommu_group *group);
static const struct iommu_ops *iommu_ops;
static bool iommu_ready;
static int iommu_next_group_id;
static unsigned int iommu_def_domain_type = IOMMU_DOMAIN_IDENTITY;
static atomic_t iommu_nr_paging_domains;

/* ---- drivers ---------------------------------------------------------- */

/**
 * iommu_device_register() - make a driver the one the core uses
 * @ops: its operations; it must offer probe_device, release_device,
 *	domain_alloc_paging, read_fault, the static identity and blocked
 *	domains and a page size of PAGE_SIZE
 *
 * Called before iommu_init(), which probes the devices through it.
 *
 * Return: 0; -EINVAL for incomplete @ops; -EBUSY if a driver is
 * registered already (the machine has one kind of IOMMU).
 */
int iommu_device_register(const struct iommu_ops *ops)
{
	int ret = 0;

	if (!ops || !ops->probe_device || !ops->release_device ||
	    !ops->domain_alloc_paging || !ops->read_fault ||
	    !ops->identity_domain || !ops->blocked_domain ||
	    !(ops->pgsize_bitmap & PAGE_SIZE) ||
	    (ops->pgsize_bitmap & (PAGE_SIZE - 1)) ||
	    ops->iova_bits < PAGE_SHIFT + 1 || ops->iova_bits > 64)
		return -EINVAL;
	mutex_lock(&iommu_lock);
	if (iommu_ops)
		ret = -EBUSY;
	else
		iommu_ops = ops;
	mutex_unlock(&iommu_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(iommu_device_register);

/**
 * iommu_device_unregister() - forget a driver
 * @ops: what it registered; a driver that is not registered is ignored
 *
 * Call after iommu_exit(): no device may still be probed through it.
 */
void iommu_device_unregister(const struct iommu_ops *ops)
{
	mutex_lock(&iommu_lock);
	if (iommu_ops == ops) {
		WARN(!list_empty(&iommu_devices),
		     "iommu: %s unregistered with devices probed", ops->name);
		iommu_ops = NULL;
	}
	mutex_unlock(&iommu_lock);
}
EXPORT_SYMBOL_GPL(iommu_device_unregister);

/**
 * dev_iommu_priv_get() - the driver's per-device state
 * @dev: a device being probed or probed
 *
 * Return: what the driver set with dev_iommu_priv_set(), or NULL.
 */
void *dev_iommu_priv_get(struct device *dev)
{
	return dev->iommu ? dev->iommu->priv : NULL;
}
EXPORT_SYMBOL_GPL(dev_iommu_priv_get);

/**
 * dev_iommu_priv_set() - keep the driver's per-device state
 * @dev: a device being probed or probed (the driver's probe_device has
 *	it), WARN otherwise
 * @priv: the state
 */
void dev_iommu_priv_set(struct device *dev, void *priv)
{
	if (!WARN_ON(!dev->iommu))
		dev->iommu->priv = priv;
}
EXPORT_SYMBOL_GPL(dev_iommu_priv_set);

/* ---- domains ---------------------------------------------------------- */

/*
 * Keep the bus addresses of every host bridge window out of a domain's
 * IOVA allocator: below a switch, a device's request to such an address
 * would be claimed by a peer's BAR before reaching the IOMMU.
 */
static int iommu_reserve_pci_windows(struct iova_domain *iovad)
{
	struct pci_host_bridge *host;
	unsigned int i;
	int ret;

	for_each_pci_host_bridge(host) {
		for (i = 0; i < host->nr_windows; i++) {
			const struct pci_host_window *w = &host->windows[i];

			ret = iova_reserve(iovad, w->res.start - w->offset,
					   w->res.end - w->offset);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/*
 * A new paging domain from the driver, with the core's half set up: the
 * hardware limits as the driver states them, the IOVA allocator, the
 * lock.  iommu_lock need not be held.
 */
static struct iommu_domain *iommu_paging_domain_alloc(unsigned int type)
{
	const struct iommu_ops *ops = READ_ONCE(iommu_ops);
	struct iommu_domain *domain;
	int ret;

	if (!ops)
		return ERR_PTR(-ENODEV);
	domain = ops->domain_alloc_paging(NULL);
	if (IS_ERR(domain))
		return domain;
	if (WARN_ON(!domain->ops || !domain->ops->map_pages ||
		    !domain->ops->map_range || !domain->ops->unmap_pages ||
		    !domain->ops->iova_to_phys || !domain->ops->iotlb_sync ||
		    !domain->ops->get_stats || !domain->ops->free)) {
		/* Without ->free there is no way back: leak it, loudly. */
		if (domain->ops && domain->ops->free)
			domain->ops->free(domain);
		return ERR_PTR(-EINVAL);
	}
	domain->type = type;
	if (!domain->pgsize_bitmap)
		domain->pgsize_bitmap = ops->pgsize_bitmap;
	if (!domain->geometry.aperture_end) {
		domain->geometry.aperture_start = 0;
		domain->geometry.aperture_end = ops->iova_bits == 64 ? U64_MAX :
						(1ULL << ops->iova_bits) - 1;
		domain->geometry.force_aperture = true;
	}
	domain->dma_limit = domain->geometry.aperture_end;
	ret = iova_domain_init(&domain->iovad, PAGE_SIZE,
			       max_t(u64, PAGE_SIZE,
				     domain->geometry.aperture_start),
			       domain->geometry.aperture_end);
	if (ret)
		goto out_free_domain;
	ret = iommu_reserve_pci_windows(&domain->iovad);
	if (ret)
		goto out_destroy_iovad;
	mutex_init(&domain->lock);
	kref_init(&domain->users);
	atomic_inc(&iommu_nr_paging_domains);
	return domain;

out_destroy_iovad:
	iova_domain_destroy(&domain->iovad);
out_free_domain:
	domain->ops->free(domain);
	return ERR_PTR(ret);
}

/**
 * iommu_domain_alloc() - allocate an empty UNMANAGED paging domain
 *
 * Its aperture is the page table's reach as the driver states it
 * ([0, 2^48 - 1] on this machine); its IOVA allocator (@domain->iovad)
 * covers the aperture from PAGE_SIZE up and is there for the owner's
 * convenience.  The bus addresses of the PCI host bridge windows are
 * reserved in it: a device below a switch emitting such an address would
 * reach a peer's BAR, not the IOMMU.
 *
 * Return: the domain, or ERR_PTR(-ENODEV) without an IOMMU driver,
 * ERR_PTR(-ENOMEM), or ERR_PTR(-ENOSPC) when every hardware domain ID is
 * in use.
 */
struct iommu_domain *iommu_domain_alloc(void)
{
	return iommu_paging_domain_alloc(IOMMU_DOMAIN_UNMANAGED);
}
EXPORT_SYMBOL_GPL(iommu_domain_alloc);

/* Is a group in @domain?  iommu_lock held. */
static bool iommu_domain_attached(struct iommu_domain *domain)
{
	struct iommu_group *group;

	list_for_each_entry(group, &iommu_groups, node)
		if (group->domain == domain)
			return true;
	return false;
}

static void iommu_domain_release(struct kref *kref)
{
	struct iommu_domain *domain = container_of(kref, struct iommu_domain,
						   users);

	iova_domain_destroy(&domain->iovad);
	mutex_destroy(&domain->lock);
	atomic_dec(&iommu_nr_paging_domains);
	domain->ops->free(domain);
}

/*
 * A reference on a paging domain (struct iommu_domain @users), for a DMA
 * API mapping made in it: one per map call, dropped by its unmap.
 */
void iommu_domain_get(struct iommu_domain *domain)
{
	kref_get(&domain->users);
}

/*
 * Drop a reference; the last frees the domain, which must be attached to
 * no group by then (its owner, the group or iommu_domain_free()'s
 * caller, put its reference after detaching it).
 */
void iommu_domain_put(struct iommu_domain *domain)
{
	kref_put(&domain->users, iommu_domain_release);
}

/**
 * iommu_domain_free() - free a paging domain
 * @domain: the domain; NULL, an ERR_PTR and the static domains are
 *	ignored
 *
 * Mappings still present go with it.  A domain still attached to a
 * device is not freed (WARN).
 */
void iommu_domain_free(struct iommu_domain *domain)
{
	bool attached;

	if (IS_ERR_OR_NULL(domain) || !iommu_is_paging_domain(domain))
		return;
	mutex_lock(&iommu_lock);
	attached = iommu_domain_attached(domain);
	mutex_unlock(&iommu_lock);
	if (WARN(attached, "iommu: freeing an attached %s domain",
		 iommu_domain_type_name(domain)))
		return;
	iommu_domain_put(domain);
}
EXPORT_SYMBOL_GPL(iommu_domain_free);

/**
 * iommu_set_fault_handler() - have DMA faults in a domain reported
 * @domain: the domain
 * @handler: called by iommu_poll_faults() for each fault of a device in
 *	@domain, with iommu_lock held (it must not call into the IOMMU core)
 * @token: passed to @handler
 */
void iommu_set_fault_handler(struct iommu_domain *domain,
			     iommu_fault_handler_t handler, void *token)
{
	mutex_lock(&iommu_lock);
	domain->handler = handler;
	domain->handler_token = token;
	mutex_unlock(&iommu_lock);
}
EXPORT_SYMBOL_GPL(iommu_set_fault_handler);

/**
 * iommu_domain_get_stats() - read a domain's counters
 * @domain: the domain
 * @stats: filled in; all zero for a domain that is not paging (but
 *	@faults).  The driver counts the page table and its commands, the
 *	core the flushes and faults.
 */
void iommu_domain_get_stats(struct iommu_domain *domain,
			    struct iommu_domain_stats *stats)
{
	memset(stats, 0, sizeof(*stats));
	stats->faults = atomic64_read(&domain->faults);
	if (!iommu_is_paging_domain(domain))
		return;
	domain->ops->get_stats(domain, stats);
	stats->iotlb_flushes = atomic64_read(&domain->iotlb_flushes);
}
EXPORT_SYMBOL_GPL(iommu_domain_get_stats);

/**
 * iommu_domain_type_name() - "blocked", "identity", "unmanaged" or "dma"
 * @domain: the domain
 */
const char *iommu_domain_type_name(const struct iommu_domain *domain)
{
	switch (domain->type) {
	case IOMMU_DOMAIN_BLOCKED:
		return "blocked";
	case IOMMU_DOMAIN_IDENTITY:
		return "identity";
	case IOMMU_DOMAIN_UNMANAGED:
		return "unmanaged";
	case IOMMU_DOMAIN_DMA:
		return "dma";
	}
	return "?";
}
EXPORT_SYMBOL_GPL(iommu_domain_type_name);

/* ---- attachment -------------------------------------------------------- */

/*
 * The last IOVA some device attached to @domain can emit, or the aperture
 * end when none is attached.  Caller holds iommu_lock.
 */
static void __iommu_domain_update_limit(struct iommu_domain *domain)
{
	struct dev_iommu *di;
	u64 limit = 0;
	bool any = false;

	if (!iommu_is_paging_domain(domain))
		return;
	list_for_each_entry(di, &iommu_devices, node) {
		if (di->group->domain != domain)
			continue;
		any = true;
		limit = max(limit, di->dev->dma_mask ? di->dev->dma_mask :
				   U64_MAX);
	}
	if (!any)
		limit = U64_MAX;
	WRITE_ONCE(domain->dma_limit,
		   min_t(u64, limit, domain->geometry.aperture_end));
}

/*
 * Point one device at @new: the driver writes its context entry and
 * flushes what it leaves.  iommu_lock held.
 */
static int __iommu_device_set_domain(struct dev_iommu *di,
				     struct iommu_domain *new)
{
	return new->ops->attach_dev(new, di->dev);
}

/*
 * Move every device of @group to @new, or, if the driver refuses one,
 * every device back to where the group was.  iommu_lock held.
 */
static int __iommu_group_set_domain(struct iommu_group *group,
				    struct iommu_domain *new)
{
	struct iommu_domain *old = group->domain;
	struct dev_iommu *di, *done;
	int ret = 0;

	if (old == new)
		return 0;
	list_for_each_entry(di, &group->devices, group_node) {
		ret = __iommu_device_set_domain(di, new);
		if (ret)
			goto out_restore;
	}
	group->domain = new;
	__iommu_domain_update_limit(old);
	__iommu_domain_update_limit(new);
	return 0;

out_restore:
	list_for_each_entry(done, &group->devices, group_node) {
		if (done == di)
			break;
		WARN_ON(__iommu_device_set_domain(done, old));
	}
	return ret;
}

/*
 * Where a group rests when nobody attached it elsewhere: its default
 * domain, or the blocked domain while an owner claimed its DMA.
 */
static struct iommu_domain *__iommu_group_core_domain(struct iommu_group *group)
{
	return group->owner ? iommu_ops->blocked_domain : group->default_domain;
}

static int __iommu_attach_group(struct iommu_domain *domain,
				struct iommu_group *group)
{
	int ret;

	if (group->domain == domain)
		return 0;
	if (group->domain != __iommu_group_core_domain(group))
		return -EBUSY;
	ret = __iommu_group_set_domain(group, domain);
	if (!ret)
		kref_get(&group->ref);	/* the attachment's, see detach */
	return ret;
}

/**
 * iommu_attach_group() - put a group's devices in a domain
 * @domain: any domain (paging, identity or blocked)
 * @group: the group
 *
 * The driver writes the context entry of every device of the group.
 * The caller holds a reference on @group (iommu_group_get(), as upstream
 * requires); the attachment takes one more, dropped by
 * iommu_detach_group(), so the group outlives its last device's removal
 * until the owner detaches.
 *
 * Return: 0; -EINVAL for NULL arguments; -EBUSY if the group is attached
 * to another domain than its default one (or, while an owner claimed its
 * DMA, than the blocked one: detach it first); an error of the driver's
 * attach_dev (the group then stays where it was).
 */
int iommu_attach_group(struct iommu_domain *domain, struct iommu_group *group)
{
	int ret;

	if (IS_ERR_OR_NULL(domain) || !group)
		return -EINVAL;
	mutex_lock(&iommu_lock);
	ret = __iommu_attach_group(domain, group);
	mutex_unlock(&iommu_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(iommu_attach_group);

/**
 * iommu_detach_group() - return a group to its default domain
 * @domain: the domain it is attached to (WARN if it is not)
 * @group: the group
 *
 * The group's devices are pointed at the default domain, then @domain's
 * IOTLB entries are invalidated on their units.
 */
void iommu_detach_group(struct iommu_domain *domain, struct iommu_group *group)
{
	mutex_lock(&iommu_lock);
	if (!WARN_ON(group->domain != domain) &&
	    domain != __iommu_group_core_domain(group)) {
		WARN_ON(__iommu_group_set_domain(group,
					__iommu_group_core_domain(group)));
		__iommu_group_put(group);
	}
	mutex_unlock(&iommu_lock);
}
EXPORT_SYMBOL_GPL(iommu_detach_group);

/**
 * iommu_attach_device() - put a device in a domain
 * @domain: the domain
 * @dev: a probed device, alone in its group
 *
 * Return: 0; -ENODEV if @dev has no IOMMU; -EINVAL if its group holds
 * other devices too (use iommu_attach_group()); -EBUSY if it is attached
 * to a domain other than its default one; an error of the driver's
 * attach_dev.
 */
int iommu_attach_device(struct iommu_domain *domain, struct device *dev)
{
	struct iommu_group *group;
	int ret;

	if (IS_ERR_OR_NULL(domain) || !dev)
		return -EINVAL;
	mutex_lock(&iommu_lock);
	if (!dev->iommu) {
		ret = -ENODEV;
		goto out_unlock;
	}
	group = dev->iommu->group;
	if (group->nr_devices != 1) {
		ret = -EINVAL;
		goto out_unlock;
	}
	ret = __iommu_attach_group(domain, group);
out_unlock:
	mutex_unlock(&iommu_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(iommu_attach_device);

/**
 * iommu_detach_device() - return a device to its default domain
 * @domain: the domain it is attached to (WARN if it is not)
 * @dev: the device
 */
void iommu_detach_device(struct iommu_domain *domain, struct device *dev)
{
	struct iommu_group *group;

	mutex_lock(&iommu_lock);
	if (!WARN_ON(!dev->iommu)) {
		group = dev->iommu->group;
		if (!WARN_ON(group->domain != domain) &&
		    domain != __iommu_group_core_domain(group)) {
			WARN_ON(__iommu_group_set_domain(group,
					__iommu_group_core_domain(group)));
			__iommu_group_put(group);
		}
	}
	mutex_unlock(&iommu_lock);
}
EXPORT_SYMBOL_GPL(iommu_detach_device);

/**
 * iommu_get_domain_for_dev() - the domain a device is in now
 * @dev: the device
 *
 * Return: the domain, or NULL if @dev has no IOMMU.
 */
struct iommu_domain *iommu_get_domain_for_dev(struct device *dev)
{
	struct iommu_domain *domain = NULL;

	mutex_lock(&iommu_lock);
	if (dev->iommu)
		domain = dev->iommu->group->domain;
	mutex_unlock(&iommu_lock);
	return domain;
}
EXPORT_SYMBOL_GPL(iommu_get_domain_for_dev);

/**
 * iommu_get_default_domain() - the default domain of a device's group
 * @dev: the device
 *
 * Return: the domain (identity or DMA), or NULL if @dev has no IOMMU.
 */
struct iommu_domain *iommu_get_default_domain(struct device *dev)
{
	struct iommu_domain *domain = NULL;

	mutex_lock(&iommu_lock);
	if (dev->iommu)
		domain = dev->iommu->group->default_domain;
	mutex_unlock(&iommu_lock);
	return domain;
}
EXPORT_SYMBOL_GPL(iommu_get_default_domain);

/**
 * iommu_group_id() - a group's number
 * @group: the group
 *
 * Return: its ID (>= 0), unique among live groups.
 */
int iommu_group_id(const struct iommu_group *group)
{
	return group->id;
}
EXPORT_SYMBOL_GPL(iommu_group_id);

/**
 * iommu_group_nr_devices() - how many devices a group holds
 * @group: the group
 */
unsigned int iommu_group_nr_devices(const struct iommu_group *group)
{
	return group->nr_devices;
}
EXPORT_SYMBOL_GPL(iommu_group_nr_devices);

/* ---- DMA ownership ------------------------------------------------------ */

/*
 * A group's DMA is driven either by the DMA API (its devices' drivers map
 * through the default domain) or by one owner that took it whole (VFIO
 * for a process, IOMMUFD), as upstream: iommu_group_claim_dma_owner()
 * is refused while the DMA API has users in the group (drivers that
 * called iommu_device_use_default_domain(), or live DMA API mappings in
 * its DMA domain) or another owner holds it, and moves the group to the
 * blocked domain, where no device of it reaches memory until the owner
 * attaches a domain of its own.  While owned, the DMA API refuses to map
 * through the group (iommu_get_dma_api_domain()), and a driver cannot
 * start using it.  Releasing returns the group to its default domain.
 *
 * Upstream's claim says -EPERM while owner_cnt is not zero; ours says
 * -EBUSY, the error VFIO reports for a device already in use.
 */

/**
 * iommu_device_use_default_domain() - a driver starts using the DMA API
 * @dev: its device
 *
 * Called when a driver binds to @dev (upstream's really_probe() does):
 * the group cannot be claimed until iommu_device_unuse_default_domain().
 *
 * Return: 0 (also for a device without an IOMMU); -EBUSY if an owner
 * claimed the group's DMA.
 */
int iommu_device_use_default_domain(struct device *dev)
{
	struct iommu_group *group;
	int ret = 0;

	mutex_lock(&iommu_lock);
	if (dev && dev->iommu) {
		group = dev->iommu->group;
		if (group->owner)
			ret = -EBUSY;
		else
			group->owner_cnt++;
	}
	mutex_unlock(&iommu_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(iommu_device_use_default_domain);

/**
 * iommu_device_unuse_default_domain() - undo iommu_device_use_default_domain()
 * @dev: its device
 */
void iommu_device_unuse_default_domain(struct device *dev)
{
	struct iommu_group *group;

	mutex_lock(&iommu_lock);
	if (dev && dev->iommu) {
		group = dev->iommu->group;
		if (!WARN_ON(group->owner || !group->owner_cnt))
			group->owner_cnt--;
	}
	mutex_unlock(&iommu_lock);
}
EXPORT_SYMBOL_GPL(iommu_device_unuse_default_domain);

/* Are DMA API mappings live in @group's DMA domain?  iommu_lock held. */
static bool __iommu_group_dma_api_mapped(struct iommu_group *group)
{
	struct iommu_domain *def = group->default_domain;

	/* The group's own reference, and one per mapping. */
	return def->type == IOMMU_DOMAIN_DMA && kref_read(&def->users) > 1;
}

/**
 * iommu_group_claim_dma_owner() - take a group's DMA away from the DMA API
 * @group: the group, held by the caller (iommu_group_get())
 * @owner: who takes it (a cookie compared by address; not NULL)
 *
 * The group moves to the blocked domain: from the return, none of its
 * devices reaches memory until the owner attaches a domain
 * (iommu_attach_group()), and the DMA API refuses to map for them.
 *
 * The same owner may claim again (VFIO opening a second device of the
 * group for one process, as upstream's iommu_device_claim_dma_owner()
 * allows); each claim is released once.
 *
 * Return: 0; -EINVAL for a NULL @owner; -EBUSY if the group has DMA API
 * users (a driver, or live mappings in its DMA domain), another owner, or
 * is attached elsewhere; an error of the driver's attach_dev.
 */
int iommu_group_claim_dma_owner(struct iommu_group *group, void *owner)
{
	int ret;

	if (WARN_ON(!group || !owner))
		return -EINVAL;
	mutex_lock(&iommu_lock);
	ret = 0;
	if (group->owner == owner) {
		group->owner_cnt++;	/* another device of the same owner */
		goto out_unlock;
	}
	ret = -EBUSY;
	if (group->owner_cnt || group->domain != group->default_domain ||
	    __iommu_group_dma_api_mapped(group))
		goto out_unlock;
	ret = __iommu_group_set_domain(group, iommu_ops->blocked_domain);
	if (ret)
		goto out_unlock;
	group->owner = owner;
	group->owner_cnt = 1;
out_unlock:
	mutex_unlock(&iommu_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(iommu_group_claim_dma_owner);

/**
 * iommu_group_release_dma_owner() - give a group's DMA back to the DMA API
 * @group: a group claimed by iommu_group_claim_dma_owner()
 *
 * At the owner's last claim released: the owner detached its domains
 * first (one left attached is reported and detached) and the group
 * returns to its default domain.
 */
void iommu_group_release_dma_owner(struct iommu_group *group)
{
	struct iommu_domain *blocked;

	mutex_lock(&iommu_lock);
	if (WARN_ON(!group || !group->owner))
		goto out_unlock;
	if (--group->owner_cnt)
		goto out_unlock;	/* the owner's other claims hold it */
	blocked = iommu_ops->blocked_domain;
	if (WARN(group->domain != blocked,
		 "iommu: group %d released by its owner while attached\n",
		 group->id))
		__iommu_group_put(group);	/* the attachment's */
	WARN_ON(__iommu_group_set_domain(group, group->default_domain));
	group->owner = NULL;
	group->owner_cnt = 0;
out_unlock:
	mutex_unlock(&iommu_lock);
}
EXPORT_SYMBOL_GPL(iommu_group_release_dma_owner);

/**
 * iommu_group_dma_owner_claimed() - does an owner drive a group's DMA?
 * @group: the group
 *
 * Return: true between iommu_group_claim_dma_owner() and
 * iommu_group_release_dma_owner().
 */
bool iommu_group_dma_owner_claimed(struct iommu_group *group)
{
	bool owned;

	mutex_lock(&iommu_lock);
	owned = group->owner;
	mutex_unlock(&iommu_lock);
	return owned;
}
EXPORT_SYMBOL_GPL(iommu_group_dma_owner_claimed);

/**
 * iommu_get_dma_api_domain() - the domain the DMA API maps into for @dev
 * @dev: a probed device
 *
 * For drivers/iommu/dma-iommu.c: the default domain of @dev's group,
 * unless an owner claimed the group's DMA.
 *
 * Return: the domain, NULL without an IOMMU, ERR_PTR(-EBUSY) while owned.
 */
struct iommu_domain *iommu_get_dma_api_domain(struct device *dev)
{
	struct iommu_domain *domain = NULL;

	mutex_lock(&iommu_lock);
	if (dev->iommu) {
		domain = dev->iommu->group->default_domain;
		if (dev->iommu->group->owner)
			domain = ERR_PTR(-EBUSY);
	}
	mutex_unlock(&iommu_lock);
	return domain;
}

/* ---- devices ---------------------------------------------------------- */

/*
 * The port whose subtree @pdev's DMA can reach without passing the root
 * complex, in @root (NULL: the whole host bridge).  Returns false when
 * every request of @pdev reaches the IOMMU.
 */
static bool iommu_pci_reach(struct pci_dev *pdev, struct pci_dev **root)
{
	struct pci_dev *p, *top = NULL;

	for (p = pdev; p; p = pci_upstream_bridge(p))
		if (!pci_acs_enabled(p, PCI_ACS_ISOLATION_FLAGS))
			top = p;
	if (!top)
		return false;
	*root = pci_upstream_bridge(top);
	return true;
}

/* Is @pdev below @root (NULL: anywhere under @host)? */
static bool iommu_pci_below(struct pci_dev *pdev, struct pci_dev *root,
			    struct pci_host_bridge *host)
{
	struct pci_dev *p;

	if (pdev->host != host)
		return false;
	if (!root)
		return true;
	for (p = pci_upstream_bridge(pdev); p; p = pci_upstream_bridge(p))
		if (p == root)
			return true;
	return false;
}

/* Can either function's DMA reach the other without the IOMMU? */
static bool iommu_pci_peers(struct pci_dev *a, struct pci_dev *b)
{
	struct pci_dev *root;

	if (iommu_pci_reach(a, &root) && iommu_pci_below(b, root, a->host))
		return true;
	return iommu_pci_reach(b, &root) && iommu_pci_below(a, root, b->host);
}

/* Must @a and @b share a group?  Both probed or being probed. */
static bool iommu_same_group(const struct dev_iommu *a,
			     const struct dev_iommu *b)
{
	if (a->unit != b->unit)
		return false;
	if (a->rid == b->rid)
		return true;
	return dev_is_pci(a->dev) && dev_is_pci(b->dev) &&
	       iommu_pci_peers(to_pci_dev(a->dev), to_pci_dev(b->dev));
}

/*
 * The group @di must join, or NULL for a new one: that of the first
 * probed device it must share with.  iommu_lock held.
 */
static struct iommu_group *iommu_find_group(const struct dev_iommu *di)
{
	struct dev_iommu *other;

	list_for_each_entry(other, &iommu_devices, node)
		if (iommu_same_group(di, other))
			return other->group;
	return NULL;
}

static struct iommu_group *iommu_group_alloc(void)
{
	struct iommu_group *group;
	struct iommu_domain *def;

	group = kzalloc(sizeof(*group), GFP_KERNEL);
	if (!group)
		return ERR_PTR(-ENOMEM);
	if (iommu_def_domain_type == IOMMU_DOMAIN_DMA) {
		def = iommu_paging_domain_alloc(IOMMU_DOMAIN_DMA);
		if (IS_ERR(def)) {
			kfree(group);
			return ERR_CAST(def);
		}
	} else {
		def = iommu_ops->identity_domain;
	}
	kref_init(&group->ref);		/* its first device's */
	INIT_LIST_HEAD(&group->devices);
	group->default_domain = def;
	group->domain = def;
	group->id = iommu_next_group_id++;
	list_add_tail(&group->node, &iommu_groups);
	return group;
}

/*
 * The last reference is gone: no device, no owner, no attachment.  The
 * default domain goes with the group unless a DMA API mapping still holds
 * it; it is attached to nothing, so nothing translates through it.
 */
static void iommu_group_release(struct kref *kref)
{
	struct iommu_group *group = container_of(kref, struct iommu_group, ref);

	list_del(&group->node);
	if (iommu_is_paging_domain(group->default_domain))
		iommu_domain_put(group->default_domain);
	kfree(group);
}

/* iommu_group_put() with iommu_lock held. */
static void __iommu_group_put(struct iommu_group *group)
{
	kref_put(&group->ref, iommu_group_release);
}

/**
 * iommu_group_get() - a reference on a device's group
 * @dev: the device
 *
 * As upstream: the owner of an UNMANAGED domain (VFIO, IOMMUFD) holds
 * one for as long as it uses the group, and the group outlives its
 * devices until then: iommu_detach_group() after the last device was
 * removed works.  Release with iommu_group_put().
 *
 * Return: the group, or NULL if @dev has no IOMMU.
 */
struct iommu_group *iommu_group_get(struct device *dev)
{
	struct iommu_group *group = NULL;

	mutex_lock(&iommu_lock);
	if (dev && dev->iommu) {
		group = dev->iommu->group;
		kref_get(&group->ref);
	}
	mutex_unlock(&iommu_lock);
	return group;
}
EXPORT_SYMBOL_GPL(iommu_group_get);

/**
 * iommu_group_put() - drop a reference from iommu_group_get()
 * @group: the group; NULL is ignored
 *
 * The last reference frees the group and its default domain.
 */
void iommu_group_put(struct iommu_group *group)
{
	if (!group)
		return;
	mutex_lock(&iommu_lock);
	__iommu_group_put(group);
	mutex_unlock(&iommu_lock);
}
EXPORT_SYMBOL_GPL(iommu_group_put);

/*
 * Probe @dev into @group, or into the group iommu_find_group() picks when
 * @group is NULL, or into a new group.  iommu_lock held.
 */
static int __iommu_probe_device(struct device *dev, struct iommu_group *group)
{
	struct dev_iommu *di;
	int ret;

	if (!iommu_ready || !iommu_ops)
		return -ENODEV;
	if (dev->iommu)
		return -EEXIST;
	di = kzalloc(sizeof(*di), GFP_KERNEL);
	if (!di)
		return -ENOMEM;
	di->dev = dev;
	dev->iommu = di;
	ret = iommu_ops->probe_device(dev);
	if (ret < 0)
		goto out_free_di;
	di->unit = ret;
	di->rid = dev->rid;
	if (!group)
		group = iommu_find_group(di);
	if (group) {
		kref_get(&group->ref);
	} else {
		group = iommu_group_alloc();
		if (IS_ERR(group)) {
			ret = PTR_ERR(group);
			goto out_release;
		}
	}
	di->group = group;
	list_add_tail(&di->group_node, &group->devices);
	group->nr_devices++;
	ret = __iommu_device_set_domain(di, group->domain);
	if (ret)
		goto out_leave_group;
	list_add_tail(&di->node, &iommu_devices);
	dev->iommu_group = group;
	__iommu_domain_update_limit(group->domain);
	return 0;

out_leave_group:
	list_del(&di->group_node);
	group->nr_devices--;
	__iommu_group_put(group);
out_release:
	iommu_ops->release_device(dev);
out_free_di:
	dev->iommu = NULL;
	kfree(di);
	return ret;
}

/**
 * iommu_probe_device() - bring a device under its IOMMU
 * @dev: the device; @dev->iommu_unit and @dev->rid say where it is
 *
 * Gives it a group (see the top of this file for who shares one; a new
 * group comes with a new default domain) and writes its context entry for
 * the group's current domain.  iommu_init() probes every PCI function;
 * this is for devices that appear later, or that are not PCI.
 *
 * Return: 0; -EINVAL for NULL; -ENODEV if the IOMMU core is not running
 * or no unit translates for @dev; -EEXIST if it was probed already;
 * -ENOMEM or -ENOSPC (no domain ID for its default domain); an error of
 * the driver's attach_dev.
 */
int iommu_probe_device(struct device *dev)
{
	int ret;

	if (!dev)
		return -EINVAL;
	mutex_lock(&iommu_lock);
	ret = __iommu_probe_device(dev, NULL);
	mutex_unlock(&iommu_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(iommu_probe_device);

static void __iommu_release_device(struct dev_iommu *di)
{
	struct iommu_group *group = di->group;
	struct device *dev = di->dev;

	WARN_ON(__iommu_device_set_domain(di, iommu_ops->blocked_domain));
	iommu_ops->release_device(dev);
	list_del(&di->group_node);
	list_del(&di->node);
	group->nr_devices--;
	dev->iommu = NULL;
	dev->iommu_group = NULL;
	kfree(di);
	if (group->nr_devices)
		__iommu_domain_update_limit(group->domain);
	__iommu_group_put(group);
}

/**
 * iommu_release_device() - take a device away from its IOMMU
 * @dev: the device; a no-op if it was not probed
 *
 * Its context entry is set to blocked, and its domain's IOTLB entries on
 * its unit are invalidated.  It drops its reference on its group: the
 * group goes at the last one (an UNMANAGED domain's owner and an
 * attachment hold theirs, see iommu_group_get()), its default domain
 * when no DMA API mapping holds it any more.
 */
void iommu_release_device(struct device *dev)
{
	mutex_lock(&iommu_lock);
	if (dev->iommu)
		__iommu_release_device(dev->iommu);
	mutex_unlock(&iommu_lock);
}
EXPORT_SYMBOL_GPL(iommu_release_device);

/* ---- subsystem -------------------------------------------------------- */

/**
 * iommu_set_default_domain_type() - choose what new groups start in
 * @type: IOMMU_DOMAIN_IDENTITY (bypass, the default for now, as
 *	iommu.passthrough=1) or IOMMU_DOMAIN_DMA (translated, one DMA domain
 *	per group)
 *
 * Affects groups created afterwards.
 *
 * Return: 0, or -EINVAL for another type.
 */
int iommu_set_default_domain_type(unsigned int type)
{
	if (type != IOMMU_DOMAIN_IDENTITY && type != IOMMU_DOMAIN_DMA)
		return -EINVAL;
	mutex_lock(&iommu_lock);
	iommu_def_domain_type = type;
	mutex_unlock(&iommu_lock);
	return 0;
}
EXPORT_SYMBOL_GPL(iommu_set_default_domain_type);

/* Union-find over the PCI functions being probed. */
static unsigned int iommu_uf_find(unsigned int *parent, unsigned int i)
{
	while (parent[i] != i)
		i = parent[i] = parent[parent[i]];
	return i;
}

/*
 * Probe every PCI function an IOMMU unit translates for, after working
 * out which must share a group.  iommu_lock held.
 */
static int iommu_probe_pci(void)
{
	struct iommu_group **groups = NULL;
	struct dev_iommu di_a = { 0 }, di_b = { 0 };
	struct pci_dev **devs = NULL, *pdev;
	unsigned int *parent = NULL;
	unsigned int n = 0, i, j;
	int ret = 0;

	if (!iommu_ops)
		return 0;
	for_each_pci_dev(pdev)
		n++;
	if (!n)
		return 0;
	devs = kcalloc(n, sizeof(*devs), GFP_KERNEL);
	parent = kcalloc(n, sizeof(*parent), GFP_KERNEL);
	groups = kcalloc(n, sizeof(*groups), GFP_KERNEL);
	if (!devs || !parent || !groups) {
		ret = -ENOMEM;
		goto out_free;
	}
	n = 0;
	for_each_pci_dev(pdev)
		if (pdev->dev.iommu_unit >= 0)
			devs[n++] = pdev;

	for (i = 0; i < n; i++)
		parent[i] = i;
	for (i = 0; i < n; i++) {
		for (j = i + 1; j < n; j++) {
			di_a.dev = &devs[i]->dev;
			di_a.unit = devs[i]->dev.iommu_unit;
			di_a.rid = devs[i]->dev.rid;
			di_b.dev = &devs[j]->dev;
			di_b.unit = devs[j]->dev.iommu_unit;
			di_b.rid = devs[j]->dev.rid;
			if (iommu_same_group(&di_a, &di_b))
				parent[iommu_uf_find(parent, i)] =
					iommu_uf_find(parent, j);
		}
	}

	for (i = 0; i < n; i++) {
		unsigned int root = iommu_uf_find(parent, i);

		ret = __iommu_probe_device(&devs[i]->dev, groups[root]);
		if (ret)
			break;
		groups[root] = devs[i]->dev.iommu->group;
	}
out_free:
	kfree(groups);
	kfree(parent);
	kfree(devs);
	return ret;
}

static void __iommu_release_all(void)
{
	struct dev_iommu *di, *tmp;

	list_for_each_entry_safe(di, tmp, &iommu_devices, node)
		__iommu_release_device(di);
}

/*
 * A PCI function is leaving (pci_stop_and_remove_bus_device()): once it
 * is off the bus, release it, as upstream's iommu_bus_notifier() does.
 * Its context then blocks its DMA, and its group goes with its last
 * device.
 */
static int iommu_pci_notify(struct notifier_block *nb __always_unused,
			    unsigned long action, void *data)
{
	if (action == BUS_NOTIFY_REMOVED_DEVICE)
		iommu_release_device(data);
	return NOTIFY_DONE;
}

static struct notifier_block iommu_pci_nb = {
	.notifier_call = iommu_pci_notify,
};

/**
 * iommu_init() - start the IOMMU core on the booted machine
 *
 * Probes every PCI function (pci_init() ran before) that an IOMMU unit
 * translates for, through the registered driver, grouping them as the
 * top of this file says; without a driver there is nothing to probe.
 * Devices appearing later are brought in with iommu_probe_device();
 * removed PCI functions are released (pci_bus_type's notifier).
 *
 * Return: 0; -EBUSY if it is running already; -ENOMEM or -ENOSPC, with
 * nothing left probed.
 */
int iommu_init(void)
{
	int ret;

	mutex_lock(&iommu_lock);
	if (iommu_ready) {
		ret = -EBUSY;
		goto out_unlock;
	}
	iommu_ready = true;
	ret = iommu_probe_pci();
	if (ret) {
		__iommu_release_all();
		iommu_ready = false;
		iommu_next_group_id = 0;
	}
out_unlock:
	mutex_unlock(&iommu_lock);
	if (!ret)
		WARN_ON(bus_register_notifier(&pci_bus_type, &iommu_pci_nb));
	return ret;
}
EXPORT_SYMBOL_GPL(iommu_init);

/**
 * iommu_exit() - stop the IOMMU core
 *
 * Releases every device still probed.  Paging domains their owners did
 * not free are reported (WARN) and leaked.
 */
void iommu_exit(void)
{
	/* Not under iommu_lock: a removal may be in the chain, waiting for it. */
	bus_unregister_notifier(&pci_bus_type, &iommu_pci_nb);
	mutex_lock(&iommu_lock);
	__iommu_release_all();
	WARN(atomic_read(&iommu_nr_paging_domains),
	     "iommu: %d paging domains never freed",
	     atomic_read(&iommu_nr_paging_domains));
	iommu_ready = false;
	iommu_next_group_id = 0;
	mutex_unlock(&iommu_lock);
}
EXPORT_SYMBOL_GPL(iommu_exit);

/**
 * iommu_present() - is there an IOMMU translating for someone?
 *
 * Return: true while the core runs with a driver registered (the
 * machine's driver registers only when the firmware reports IOMMU units).
 */
bool iommu_present(void)
{
	bool present;

	mutex_lock(&iommu_lock);
	present = iommu_ready && iommu_ops;
	mutex_unlock(&iommu_lock);
	return present;
}
EXPORT_SYMBOL_GPL(iommu_present);

/* ---- faults ----------------------------------------------------------- */

/**
 * iommu_poll_faults() - drain the fault logs of every unit
 *
 * The machine raises no interrupts, so the core polls the driver's
 * read_fault until every unit's log is empty.  Each fault is
 * counted against the domain of the device that emitted the requester
 * ID, and passed to the domain's handler if it has one; without a
 * handler it is logged at debug level.  Faults of unknown requester IDs
 * are dropped.
 *
 * Return: the number of fault records read.
 */
unsigned int iommu_poll_faults(void)
{
	struct iommu_fault_record f;
	struct iommu_domain *domain;
	struct dev_iommu *di;
	unsigned int nr = 0;

	mutex_lock(&iommu_lock);
	while (iommu_ops && !iommu_ops->read_fault(&f)) {
		nr++;
		list_for_each_entry(di, &iommu_devices, node)
			if (di->unit == f.unit && di->rid == f.rid)
				break;
		if (list_entry_is_head(di, &iommu_devices, node))
			continue;
		domain = di->group->domain;
		atomic64_inc(&domain->faults);
		if (domain->handler)
			domain->handler(domain, di->dev, f.iova,
					f.write ? IOMMU_FAULT_WRITE :
						  IOMMU_FAULT_READ,
					domain->handler_token);
		else
			pr_debug("iommu: %s: DMA %s fault at %#llx (%s)\n",
				 dev_name(di->dev), f.write ? "write" : "read",
				 (unsigned long long)f.iova, f.reason);
	}
	mutex_unlock(&iommu_lock);
	return nr;
}
EXPORT_SYMBOL_GPL(iommu_poll_faults);

/* ---- mapping ---------------------------------------------------------- */

/*
 * Upstream's iommu_pgsize(): the largest page size of the domain for
 * mapping @size bytes at @iova -> @paddr, and in @count how many of them
 * to map before a larger one becomes possible.
 */
static u64 iommu_pgsize(struct iommu_domain *domain, dma_addr_t iova,
			phys_addr_t paddr, u64 size, u64 *count)
{
	u64 bitmap = domain->pgsize_bitmap;
	u64 addr_merge = iova | paddr, pgsizes, pgsize, larger;

	/* Sizes that fit in @size and that both addresses are aligned to. */
	pgsizes = bitmap & GENMASK_ULL(__fls(size), 0);
	if (addr_merge)
		pgsizes &= GENMASK_ULL(__ffs64(addr_merge), 0);
	pgsize = BIT_ULL(__fls(pgsizes));

	/*
	 * If IOVA and physical address are congruent modulo the next larger
	 * size and one fits after its boundary, stop there so the next
	 * piece can use it.
	 */
	larger = bitmap & ~GENMASK_ULL(__fls(pgsize), 0);
	if (larger) {
		u64 next = BIT_ULL(__ffs64(larger));

		if (!((iova ^ paddr) & (next - 1))) {
			u64 to_boundary = next - (iova & (next - 1));

			if (to_boundary <= size && size - to_boundary >= next)
				size = to_boundary;
		}
	}
	*count = size >> __ffs64(pgsize);
	return pgsize;
}

/*
 * Upstream's __iommu_map(): map one checked range, one map_pages call
 * per piece iommu_pgsize() chooses (the driver may map less than a piece
 * and is called again for the rest).  No invalidation.  @mapped counts
 * what was mapped, even on error.  Domain lock held.
 */
static int __iommu_map(struct iommu_domain *domain, dma_addr_t iova,
		       phys_addr_t paddr, u64 size, int prot, gfp_t gfp,
		       u64 *mapped)
{
	const struct iommu_domain_ops *ops = domain->ops;

	while (size) {
		u64 count, done = 0, pgsize;
		int ret;

		pgsize = iommu_pgsize(domain, iova, paddr, size, &count);
		ret = ops->map_pages(domain, iova, paddr, pgsize, count, prot,
				     gfp, &done);
		*mapped += done;
		if (ret)
			return ret;
		/* A driver that maps nothing, or too much, would loop. */
		if (WARN_ON(!done || done > size))
			return -EIO;
		iova += done;
		paddr += done;
		size -= done;
	}
	return 0;
}

/*
 * The call's one invalidation: the driver's iotlb_sync for what @gather
 * covers, which also frees the page-table pages on its freelist.  None
 * if the call changed nothing.
 */
static void iommu_iotlb_sync(struct iommu_domain *domain,
			     struct iommu_iotlb_gather *gather)
{
	bool changed = !iommu_iotlb_gather_empty(gather);

	if (!changed && list_empty(&gather->freelist))
		return;
	if (changed)
		atomic64_inc(&domain->iotlb_flushes);
	domain->ops->iotlb_sync(domain, gather);
	iommu_iotlb_gather_init(gather);
}

/*
 * Unmap the whole checked range through the driver, in one unmap_pages
 * call of pages of PAGE_SIZE (the driver's format takes whatever leaves
 * lie inside), and make sure @gather covers it.  Domain lock held.
 */
static int __iommu_unmap(struct iommu_domain *domain, dma_addr_t iova,
			 u64 size, struct iommu_iotlb_gather *gather)
{
	u64 unmapped = 0;
	int ret;

	ret = domain->ops->unmap_pages(domain, iova, PAGE_SIZE,
				       size >> PAGE_SHIFT, gather, &unmapped);
	if (ret)
		return ret;
	WARN_ON(unmapped != size);
	iommu_iotlb_gather_add_range(gather, iova, iova + size - 1);
	return 0;
}

/*
 * Unwind a failed map of [iova, iova + mapped) through unmap_pages and
 * widen @gather to the whole range of the call, [iova, last].  Domain
 * lock held.
 */
static void iommu_map_unwind(struct iommu_domain *domain, dma_addr_t iova,
			     u64 mapped, dma_addr_t last,
			     struct iommu_iotlb_gather *gather)
{
	if (!mapped)
		return;
	WARN_ON(__iommu_unmap(domain, iova, mapped, gather));
	iommu_iotlb_gather_add_range(gather, iova, last);
}

/* Is [iova, iova + size) inside what the domain may map?  Sets @last. */
static int iommu_check_iova(struct iommu_domain *domain, dma_addr_t iova,
			    u64 size, dma_addr_t *last)
{
	if (check_add_overflow(iova, size - 1, last) ||
	    iova < domain->geometry.aperture_start ||
	    *last > domain->geometry.aperture_end ||
	    *last > READ_ONCE(domain->dma_limit))
		return -ERANGE;
	return 0;
}

/* The arguments of a map of one range: -EINVAL, -ERANGE or 0. */
static int iommu_check_map(struct iommu_domain *domain, dma_addr_t iova,
			   phys_addr_t paddr, u64 size, int prot,
			   dma_addr_t *last)
{
	phys_addr_t paddr_last;

	if (IS_ERR_OR_NULL(domain) || !iommu_is_paging_domain(domain) ||
	    !size || ((iova | paddr | size) & (PAGE_SIZE - 1)) ||
	    !(prot & (IOMMU_READ | IOMMU_WRITE)) ||
	    check_add_overflow(paddr, size - 1, &paddr_last))
		return -EINVAL;
	return iommu_check_iova(domain, iova, size, last);
}

/**
 * iommu_map() - map one physically contiguous range
 * @domain: a paging domain
 * @iova: first IOVA, 4 KiB aligned
 * @paddr: first physical address, 4 KiB aligned
 * @size: bytes, > 0, a multiple of 4 KiB
 * @prot: IOMMU_READ and/or IOMMU_WRITE (IOMMU_MMIO allowed)
 * @gfp: flags for page-table pages
 *
 * As upstream: one map_pages call per piece iommu_pgsize() chooses (the
 * largest page sizes alignment allows), then one invalidation (see
 * <linux/iommu.h>).
 *
 * Return: 0; -EINVAL for a non-paging domain, bad alignment, size or
 * @prot, or an address the page table cannot hold; -ERANGE if the range
 * leaves the aperture or goes beyond every attached device's DMA mask;
 * -EEXIST if part of it is mapped; -ENOMEM.  On error nothing stays
 * mapped.
 */
int iommu_map(struct iommu_domain *domain, dma_addr_t iova,
	      phys_addr_t paddr, u64 size, int prot, gfp_t gfp)
{
	struct iommu_iotlb_gather gather;
	dma_addr_t last;
	u64 mapped = 0;
	int ret;

	ret = iommu_check_map(domain, iova, paddr, size, prot, &last);
	if (ret)
		return ret;

	iommu_iotlb_gather_init(&gather);
	mutex_lock(&domain->lock);
	ret = __iommu_map(domain, iova, paddr, size, prot, gfp, &mapped);
	if (ret)
		iommu_map_unwind(domain, iova, mapped, last, &gather);
	else
		iommu_iotlb_gather_add_range(&gather, iova, last);
	iommu_iotlb_sync(domain, &gather);
	mutex_unlock(&domain->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(iommu_map);

/**
 * iommu_unmap() - unmap a range of IOVA
 * @domain: a paging domain
 * @iova: first IOVA, 4 KiB aligned
 * @size: bytes, > 0, a multiple of 4 KiB
 *
 * The range must be exactly covered by mappings: a hole is -ENOENT and
 * cutting through a 2 MiB or 1 GiB leaf is -EINVAL (leaves are not
 * split).  One unmap_pages call for the whole range, then one
 * invalidation; table pages left empty are freed after it.  Unlike
 * upstream's (size_t, the bytes unmapped; a loop of unmap_pages over
 * iommu_pgsize() pieces), it returns an errno, is all or nothing, and
 * unmaps leaves of any size in one call.  Takes the domain's mutex: may
 * sleep.
 *
 * Return: 0; -EINVAL (also for a non-paging domain or bad alignment);
 * -ERANGE beyond the aperture; -ENOENT.  On error nothing changed.
 */
int iommu_unmap(struct iommu_domain *domain, dma_addr_t iova, u64 size)
{
	struct iommu_iotlb_gather gather;
	dma_addr_t last;
	int ret;

	if (IS_ERR_OR_NULL(domain) || !iommu_is_paging_domain(domain) ||
	    !size || ((iova | size) & (PAGE_SIZE - 1)))
		return -EINVAL;
	if (check_add_overflow(iova, size - 1, &last) ||
	    iova < domain->geometry.aperture_start ||
	    last > domain->geometry.aperture_end)
		return -ERANGE;

	iommu_iotlb_gather_init(&gather);
	mutex_lock(&domain->lock);
	ret = __iommu_unmap(domain, iova, size, &gather);
	iommu_iotlb_sync(domain, &gather);
	mutex_unlock(&domain->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(iommu_unmap);

/**
 * iommu_flush_iotlb_all() - drop every IOTLB entry of a domain
 * @domain: a paging domain; others are ignored
 *
 * For callers that changed nothing but want the hardware to forget the
 * domain (upstream's), e.g. before reusing its IOVA with other rules.
 */
void iommu_flush_iotlb_all(struct iommu_domain *domain)
{
	if (IS_ERR_OR_NULL(domain) || !iommu_is_paging_domain(domain) ||
	    !domain->ops->flush_iotlb_all)
		return;
	domain->ops->flush_iotlb_all(domain);
}
EXPORT_SYMBOL_GPL(iommu_flush_iotlb_all);

/*
 * The scatterlist-era path, for the baseline of bench/bench_iommu.c and
 * dma-iommu.c's IOVA links (declared in iommu-priv.h).  Upstream's
 * iommu_map_sg() calls __iommu_map() once per physically contiguous run
 * of entries, each call choosing page sizes with iommu_pgsize() and
 * calling the driver's map_pages() per piece (io-pgtable walks from the
 * root for each), then issues one iotlb_sync_map() for the whole range.
 * These are the same steps, through the same ops.
 */

/**
 * iommu_domain_lock() - take a paging domain's page-table lock
 * @domain: the domain
 *
 * Upstream's io-pgtable is lockless; ours is serialised by the domain's
 * lock, which iommu_map() and friends take once per call.  The
 * baseline holds it across its whole walk, so that it pays what upstream
 * pays per entry and no lock round trip more.
 */
void iommu_domain_lock(struct iommu_domain *domain)
{
	mutex_lock(&domain->lock);
}

/**
 * iommu_domain_unlock() - release iommu_domain_lock()
 * @domain: the domain
 */
void iommu_domain_unlock(struct iommu_domain *domain)
{
	mutex_unlock(&domain->lock);
}

/**
 * __iommu_map_nosync() - upstream's __iommu_map(): map, no invalidation
 * @domain: a paging domain, locked with iommu_domain_lock()
 * @iova: first IOVA, 4 KiB aligned
 * @paddr: first physical address, 4 KiB aligned
 * @size: bytes, > 0, a multiple of 4 KiB
 * @prot: IOMMU_READ and/or IOMMU_WRITE
 * @gfp: flags for page-table pages
 *
 * Chooses page sizes as iommu_map() does and maps them with one
 * map_pages call per piece, but issues no IOTLB invalidation: the caller
 * ends its series of calls with __iommu_sync_map() (upstream's
 * iotlb_sync_map()).  On error it unmaps what it mapped, with one
 * invalidation, as upstream's does.
 *
 * Return: as iommu_map().
 */
int __iommu_map_nosync(struct iommu_domain *domain, dma_addr_t iova,
		       phys_addr_t paddr, u64 size, int prot, gfp_t gfp)
{
	struct iommu_iotlb_gather gather;
	dma_addr_t last;
	u64 mapped = 0;
	int ret;

	ret = iommu_check_map(domain, iova, paddr, size, prot, &last);
	if (ret)
		return ret;
	ret = __iommu_map(domain, iova, paddr, size, prot, gfp, &mapped);
	if (ret && mapped) {
		iommu_iotlb_gather_init(&gather);
		iommu_map_unwind(domain, iova, mapped, last, &gather);
		iommu_iotlb_sync(domain, &gather);
	}
	return ret;
}

/**
 * __iommu_sync_map() - upstream's iotlb_sync_map(): one invalidation
 * @domain: a paging domain
 * @iova: first IOVA of what a series of __iommu_map_nosync() mapped
 * @size: its bytes; 0 does nothing
 */
void __iommu_sync_map(struct iommu_domain *domain, dma_addr_t iova, u64 size)
{
	struct iommu_iotlb_gather gather;

	if (!size)
		return;
	iommu_iotlb_gather_init(&gather);
	iommu_iotlb_gather_add_range(&gather, iova, iova + size - 1);
	iommu_iotlb_sync(domain, &gather);
}

/* The first range of @it (consumed), and the IOVA bytes of the list. */
static int iommu_physr_span(struct physr_iter *it, u64 len,
			    struct physr *first, u64 *span)
{
	u64 off;

	if (!physr_iter_next(it, first))
		return -EINVAL;
	off = first->addr & (PAGE_SIZE - 1);
	if (check_add_overflow(off, len, span) ||
	    check_add_overflow(*span, PAGE_SIZE - 1, span))
		return -ERANGE;
	*span &= ~(u64)(PAGE_SIZE - 1);
	return 0;
}

/*
 * Map the ranges of @it at @iova with one map_range call.  @sync: end
 * with the call's invalidation (else the caller flushes later, and the
 * range the driver gathered is dropped; a failure still unmaps and
 * invalidates).
 */
static int __iommu_map_physr(struct iommu_domain *domain, dma_addr_t iova,
			     const struct physr_iter *it, u64 len, int prot,
			     gfp_t gfp, bool sync)
{
	struct iommu_iotlb_gather gather;
	struct physr_iter ranges = *it, span_it = *it;
	struct physr first;
	dma_addr_t last;
	u64 span, mapped = 0;
	int ret;

	if (IS_ERR_OR_NULL(domain) || !iommu_is_paging_domain(domain) ||
	    (iova & (PAGE_SIZE - 1)) || !(prot & (IOMMU_READ | IOMMU_WRITE)))
		return -EINVAL;
	ret = iommu_physr_span(&span_it, len, &first, &span);
	if (ret)
		return ret;
	ret = iommu_check_iova(domain, iova, span, &last);
	if (ret)
		return ret;

	iommu_iotlb_gather_init(&gather);
	mutex_lock(&domain->lock);
	ret = domain->ops->map_range(domain, iova, &ranges, prot, gfp,
				     &mapped, &gather);
	if (ret) {
		iommu_map_unwind(domain, iova, mapped, last, &gather);
	} else if (sync) {
		iommu_iotlb_gather_add_range(&gather, iova, last);
	} else {
		/* Map adds no tables to free: only the range is dropped. */
		WARN_ON(!list_empty(&gather.freelist));
		iommu_iotlb_gather_init(&gather);
	}
	iommu_iotlb_sync(domain, &gather);
	mutex_unlock(&domain->lock);
	return ret;
}

/**
 * iommu_map_physr() - map a whole range list at one IOVA
 * @domain: a paging domain
 * @iova: where the list's first page goes, 4 KiB aligned
 * @list: the ranges, mapped back to back in list order
 * @prot: IOMMU_READ and/or IOMMU_WRITE (IOMMU_MMIO allowed)
 * @gfp: flags for page-table pages
 *
 * The list's first byte lands at @iova + (its physical address modulo
 * 4 KiB); the IOVA range used is iommu_physr_iova_len(@list) bytes.
 * Every boundary between two ranges must be 4 KiB aligned on both sides;
 * the list may start and end inside a page, and those pages are mapped
 * whole.  Each piece gets the largest leaves its IOVA and physical
 * alignment allow.  P2P ranges are mapped like RAM (their CPU physical
 * address), which is right for P2P through the host bridge.
 *
 * One map_range call of the driver (one walk, leaves in bulk) and one
 * IOTLB invalidation for the whole call.
 *
 * Return: 0; -EINVAL for an empty list, a misaligned boundary or @iova,
 * bad @prot or a non-paging domain; -ERANGE if the range leaves the
 * aperture or every attached device's DMA mask; -EEXIST if part of it is
 * mapped already; -ENOMEM.  On error nothing stays mapped.
 */
int iommu_map_physr(struct iommu_domain *domain, dma_addr_t iova,
		    const struct physr_list *list, int prot, gfp_t gfp)
{
	struct physr_iter it;

	physr_iter_init(&it, list);
	return __iommu_map_physr(domain, iova, &it, physr_list_len(list), prot,
				 gfp, true);
}
EXPORT_SYMBOL_GPL(iommu_map_physr);

/**
 * iommu_map_physr_view() - map a slice of a range list at one IOVA
 * @domain: a paging domain
 * @iova: where the view's first page goes, 4 KiB aligned
 * @view: the slice (physr_list_slice())
 * @prot: IOMMU_READ and/or IOMMU_WRITE
 * @gfp: flags for page-table pages
 *
 * As iommu_map_physr(), over the ranges of @view as trimmed by it.
 *
 * Return: as iommu_map_physr().
 */
int iommu_map_physr_view(struct iommu_domain *domain, dma_addr_t iova,
			 const struct physr_view *view, int prot, gfp_t gfp)
{
	struct physr_iter it;

	physr_iter_init_view(&it, view);
	return __iommu_map_physr(domain, iova, &it, physr_view_len(view), prot,
				 gfp, true);
}
EXPORT_SYMBOL_GPL(iommu_map_physr_view);

/**
 * iommu_map_physr_view_nosync() - iommu_map_physr_view() without the flush
 * @domain: a paging domain
 * @iova: where the view's first page goes, 4 KiB aligned
 * @view: the slice (physr_list_slice())
 * @prot: IOMMU_READ and/or IOMMU_WRITE
 * @gfp: flags for page-table pages
 *
 * For the DMA API's IOVA links (drivers/iommu/dma-iommu.c), which end a
 * series of links with one __iommu_sync_map().  A failure still unmaps
 * what the call mapped, with one invalidation.  Takes the domain lock.
 *
 * Return: as iommu_map_physr().
 */
int iommu_map_physr_view_nosync(struct iommu_domain *domain, dma_addr_t iova,
				const struct physr_view *view, int prot,
				gfp_t gfp)
{
	struct physr_iter it;

	physr_iter_init_view(&it, view);
	return __iommu_map_physr(domain, iova, &it, physr_view_len(view), prot,
				 gfp, false);
}

/**
 * iommu_physr_iova_len() - IOVA bytes iommu_map_physr() uses for a list
 * @list: the list
 *
 * Return: the list's length plus the offset of its first byte in its
 * page, rounded up to 4 KiB; 0 for an empty list.
 */
u64 iommu_physr_iova_len(const struct physr_list *list)
{
	struct physr_iter it;
	struct physr first;
	u64 span;

	physr_iter_init(&it, list);
	if (iommu_physr_span(&it, physr_list_len(list), &first, &span))
		return 0;
	return span;
}
EXPORT_SYMBOL_GPL(iommu_physr_iova_len);

/**
 * iommu_physr_view_iova_len() - IOVA bytes iommu_map_physr_view() uses
 * @view: the view
 *
 * Return: as iommu_physr_iova_len().
 */
u64 iommu_physr_view_iova_len(const struct physr_view *view)
{
	struct physr_iter it;
	struct physr first;
	u64 span;

	physr_iter_init_view(&it, view);
	if (iommu_physr_span(&it, physr_view_len(view), &first, &span))
		return 0;
	return span;
}
EXPORT_SYMBOL_GPL(iommu_physr_view_iova_len);

/**
 * iommu_unmap_physr() - undo iommu_map_physr()
 * @domain: the domain
 * @iova: the IOVA the list was mapped at
 * @list: the same list
 *
 * Return: as iommu_unmap(); -EINVAL for an empty list.
 */
int iommu_unmap_physr(struct iommu_domain *domain, dma_addr_t iova,
		      const struct physr_list *list)
{
	u64 span = iommu_physr_iova_len(list);

	return span ? iommu_unmap(domain, iova, span) : -EINVAL;
}
EXPORT_SYMBOL_GPL(iommu_unmap_physr);

/**
 * iommu_unmap_physr_view() - undo iommu_map_physr_view()
 * @domain: the domain
 * @iova: the IOVA the view was mapped at
 * @view: the same view
 *
 * Return: as iommu_unmap(); -EINVAL for an empty view.
 */
int iommu_unmap_physr_view(struct iommu_domain *domain, dma_addr_t iova,
			   const struct physr_view *view)
{
	u64 span = iommu_physr_view_iova_len(view);

	return span ? iommu_unmap(domain, iova, span) : -EINVAL;
}
EXPORT_SYMBOL_GPL(iommu_unmap_physr_view);

/**
 * iommu_iova_to_phys() - what an IOVA translates to in a domain
 * @domain: the domain
 * @iova: the IOVA
 *
 * Return: the physical address; @iova itself in an identity domain; 0 if
 * it is not mapped (or the domain is blocked).
 */
phys_addr_t iommu_iova_to_phys(struct iommu_domain *domain, dma_addr_t iova)
{
	phys_addr_t phys;

	if (domain->type == IOMMU_DOMAIN_IDENTITY)
		return iova;
	if (!iommu_is_paging_domain(domain))
		return 0;
	mutex_lock(&domain->lock);
	phys = domain->ops->iova_to_phys(domain, iova);
	mutex_unlock(&domain->lock);
	return phys;
}
EXPORT_SYMBOL_GPL(iommu_iova_to_phys);
