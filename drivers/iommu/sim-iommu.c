// SPDX-License-Identifier: GPL-2.0
/*
 * The driver of the machine's IOMMU: struct iommu_ops and the domain ops
 * the core calls.  docs/iommu.md ("Layering") explains the split.
 *
 * Its two halves:
 *  - the page table, in the format code (io-pgtable-sim.c), which
 *    provides map_pages, map_range, unmap_pages and iova_to_phys of a
 *    paging domain;
 *  - the hardware, here: context entries (attach), invalidation commands
 *    (iotlb_sync, flush_iotlb_all, and the flush of the domain a device
 *    leaves), domain IDs, and the fault log.
 * Only these two files read the datasheet (<hw/sim_iommu.h>).  The
 * hardware is reached through its register interface (sim/iommu.h): the
 * unit count (firmware), the context register, the invalidation command
 * register and the fault log.
 *
 * Domain IDs are a hardware fact (the context entry carries one, and the
 * IOTLB is tagged by it, 16 bits wide), so they are allocated here, not
 * by the core; upstream's drivers do the same (intel-iommu's per-unit
 * domain ID allocator).  Every unit shares one ID space, so a domain
 * keeps its ID on whichever units it is attached through.
 *
 * Where a domain's invalidations go.  Each paging domain counts, per
 * unit, the devices attached to it through that unit (@unit_users):
 * iotlb_sync sends one range command to each unit with users, and none
 * if it is attached nowhere (then no unit holds entries for it: the
 * device that left flushed them).  Attach counts the unit before writing
 * the context entry; leaving a domain writes the new context, flushes
 * the old domain on the unit, then uncounts it; so no IOTLB ever holds a
 * domain's entries while a concurrent unmap could skip that unit.
 *
 * A command the hardware refuses is a driver bug: WARN.
 */
#include <linux/bug.h>
#include <linux/device.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/idr.h>
#include <linux/iommu.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "io-pgtable-sim.h"
#include "sim/iommu.h"

/**
 * struct iommu_sim_domain - a paging domain of this driver
 * @pgt: its page table, with the core's struct iommu_domain inside
 * @did: hardware domain ID, tagging its IOTLB entries on every unit
 * @unit_users: per unit, devices attached to it through that unit
 * @inv_cmds: invalidation commands sent for it
 */
struct iommu_sim_domain {
	struct io_pgtable_sim pgt;
	u16 did;
	atomic_t unit_users[SIM_IOMMU_MAX_UNITS];
	atomic64_t inv_cmds;
};

/**
 * struct iommu_sim_dev - what the driver keeps per probed device
 * @unit: the unit translating for it
 * @rid: the requester ID it emits
 * @domain: the domain its context entry points at (NULL before the
 *	first attach)
 */
struct iommu_sim_dev {
	unsigned int unit;
	u16 rid;
	struct iommu_domain *domain;
};

static const struct iommu_domain_ops iommu_sim_paging_ops;

/* By type, as the core asks: a domain's ops may be wrapped (tests do). */
static bool iommu_sim_is_paging(const struct iommu_domain *domain)
{
	return domain->type == IOMMU_DOMAIN_UNMANAGED ||
	       domain->type == IOMMU_DOMAIN_DMA;
}

static struct iommu_sim_domain *to_iommu_sim_domain(struct iommu_domain *d)
{
	return container_of(to_io_pgtable_sim(d), struct iommu_sim_domain, pgt);
}

/* ---- domain IDs ------------------------------------------------------- */

/*
 * Hardware domain IDs, lowest free first, as upstream drivers take them
 * from an IDA.  0 is never a translate-mode ID.  Reusing an ID at once is
 * safe: a domain is freed only once detached, and detach invalidated its
 * IOTLB entries on every unit it was attached through.
 */
static DEFINE_IDA(iommu_sim_dids);

static int iommu_sim_alloc_did(void)
{
	return ida_alloc_range(&iommu_sim_dids, 1, SIM_IOMMU_NR_DIDS - 1,
			       GFP_KERNEL);
}

static void iommu_sim_free_did(u16 id)
{
	ida_free(&iommu_sim_dids, id);
}

/* ---- invalidation ----------------------------------------------------- */

static void iommu_sim_invalidate(struct iommu_sim_domain *sd,
				 unsigned int unit,
				 const struct sim_iommu_inv_cmd *cmd)
{
	WARN_ON(sim_iommu_invalidate(unit, cmd));
	atomic64_inc(&sd->inv_cmds);
}

/* Drop a domain's IOTLB entries on one unit. */
static void iommu_sim_flush_unit(struct iommu_sim_domain *sd,
				 unsigned int unit)
{
	struct sim_iommu_inv_cmd cmd = {
		.type = SIM_IOMMU_INV_DOMAIN,
		.did = sd->did,
	};

	iommu_sim_invalidate(sd, unit, &cmd);
}

/* One range command to every unit the domain is attached through. */
static void iommu_sim_flush_range(struct iommu_sim_domain *sd,
				  dma_addr_t first, dma_addr_t last)
{
	struct sim_iommu_inv_cmd cmd = {
		.type = SIM_IOMMU_INV_RANGE,
		.did = sd->did,
		.first = first,
		.last = last,
	};
	unsigned int unit;

	for (unit = 0; unit < SIM_IOMMU_MAX_UNITS; unit++)
		if (atomic_read(&sd->unit_users[unit]))
			iommu_sim_invalidate(sd, unit, &cmd);
}

/* iotlb_sync: invalidate what the gather covers, then free its tables. */
static void iommu_sim_iotlb_sync(struct iommu_domain *domain,
				 struct iommu_iotlb_gather *gather)
{
	struct iommu_sim_domain *sd = to_iommu_sim_domain(domain);

	if (!iommu_iotlb_gather_empty(gather))
		iommu_sim_flush_range(sd, gather->start, gather->last);
	io_pgtable_sim_put_pages(&gather->freelist);
}

/* flush_iotlb_all: a domain command to every unit it is attached through. */
static void iommu_sim_flush_iotlb_all(struct iommu_domain *domain)
{
	struct iommu_sim_domain *sd = to_iommu_sim_domain(domain);
	unsigned int unit;

	for (unit = 0; unit < SIM_IOMMU_MAX_UNITS; unit++)
		if (atomic_read(&sd->unit_users[unit]))
			iommu_sim_flush_unit(sd, unit);
}

/* ---- attach ----------------------------------------------------------- */

/* The context entry that points a requester ID at @domain. */
static void iommu_sim_context(struct iommu_domain *domain,
			      struct sim_iommu_context *ctx)
{
	struct iommu_sim_domain *sd;

	*ctx = (struct sim_iommu_context){ 0 };
	if (iommu_sim_is_paging(domain)) {
		sd = to_iommu_sim_domain(domain);
		ctx->ctrl = SIM_IOMMU_CTX_VALID |
			    SIM_IOMMU_CTX_MODE_TRANSLATE <<
			    SIM_IOMMU_CTX_MODE_SHIFT |
			    (u64)sd->did << SIM_IOMMU_CTX_DID_SHIFT;
		ctx->root = sd->pgt.root;
	} else if (domain->type == IOMMU_DOMAIN_IDENTITY) {
		ctx->ctrl = SIM_IOMMU_CTX_VALID | SIM_IOMMU_CTX_MODE_BYPASS <<
						  SIM_IOMMU_CTX_MODE_SHIFT;
	}
	/* BLOCKED: an invalid entry, every access faults. */
}

/*
 * attach_dev of every domain: write @dev's context entry for @domain
 * (the unit caches none, so it takes effect at once), then flush the
 * domain it leaves on its unit (see the top of this file for the order).
 */
static int iommu_sim_attach_dev(struct iommu_domain *domain,
				struct device *dev)
{
	struct iommu_sim_dev *sdev = dev_iommu_priv_get(dev);
	struct iommu_domain *old = sdev->domain;
	struct sim_iommu_context ctx;
	int ret;

	if (old == domain)
		return 0;
	iommu_sim_context(domain, &ctx);
	if (iommu_sim_is_paging(domain))
		atomic_inc(&to_iommu_sim_domain(domain)->unit_users[sdev->unit]);
	ret = sim_iommu_write_context(sdev->unit, sdev->rid, &ctx);
	if (WARN_ON(ret)) {
		if (iommu_sim_is_paging(domain))
			atomic_dec(&to_iommu_sim_domain(domain)->unit_users[sdev->unit]);
		return ret;
	}
	if (old && iommu_sim_is_paging(old)) {
		struct iommu_sim_domain *sd = to_iommu_sim_domain(old);

		iommu_sim_flush_unit(sd, sdev->unit);
		atomic_dec(&sd->unit_users[sdev->unit]);
	}
	sdev->domain = domain;
	return 0;
}

/* ---- paging domains --------------------------------------------------- */

static void iommu_sim_domain_get_stats(struct iommu_domain *domain,
				       struct iommu_domain_stats *stats)
{
	struct iommu_sim_domain *sd = to_iommu_sim_domain(domain);

	io_pgtable_sim_get_stats(&sd->pgt, stats);
	stats->inv_cmds = atomic64_read(&sd->inv_cmds);
}

static void iommu_sim_domain_free(struct iommu_domain *domain)
{
	struct iommu_sim_domain *sd = to_iommu_sim_domain(domain);

	io_pgtable_sim_destroy(&sd->pgt);
	iommu_sim_free_did(sd->did);
	kfree(sd);
}

/* Every domain suits every device of the machine: @dev is not needed. */
static struct iommu_domain *
iommu_sim_domain_alloc_paging(struct device *dev __always_unused)
{
	struct iommu_sim_domain *sd;
	int did, ret;

	sd = kzalloc(sizeof(*sd), GFP_KERNEL);
	if (!sd)
		return ERR_PTR(-ENOMEM);
	did = iommu_sim_alloc_did();
	if (did < 0) {
		ret = did;
		goto out_free_domain;
	}
	sd->did = did;
	ret = io_pgtable_sim_init(&sd->pgt, GFP_KERNEL);
	if (ret)
		goto out_free_did;
	sd->pgt.domain.ops = &iommu_sim_paging_ops;
	return &sd->pgt.domain;

out_free_did:
	iommu_sim_free_did(did);
out_free_domain:
	kfree(sd);
	return ERR_PTR(ret);
}

static const struct iommu_domain_ops iommu_sim_paging_ops = {
	.attach_dev = iommu_sim_attach_dev,
	.map_pages = io_pgtable_sim_map_pages,
	.map_range = io_pgtable_sim_map_range,
	.unmap_pages = io_pgtable_sim_unmap_pages,
	.iova_to_phys = io_pgtable_sim_iova_to_phys,
	.iotlb_sync = iommu_sim_iotlb_sync,
	.flush_iotlb_all = iommu_sim_flush_iotlb_all,
	.get_stats = iommu_sim_domain_get_stats,
	.free = iommu_sim_domain_free,
};

/* ---- static domains --------------------------------------------------- */

static const struct iommu_domain_ops iommu_sim_static_ops = {
	.attach_dev = iommu_sim_attach_dev,
};

static struct iommu_domain iommu_sim_identity_domain = {
	.type = IOMMU_DOMAIN_IDENTITY,
	.ops = &iommu_sim_static_ops,
	.geometry = { .aperture_end = U64_MAX },
};

static struct iommu_domain iommu_sim_blocked_domain = {
	.type = IOMMU_DOMAIN_BLOCKED,
	.ops = &iommu_sim_static_ops,
};

/* ---- devices and faults ----------------------------------------------- */

static int iommu_sim_probe_device(struct device *dev)
{
	struct iommu_sim_dev *sdev;

	if (dev->iommu_unit < 0 ||
	    (unsigned int)dev->iommu_unit >= sim_iommu_nr_units())
		return -ENODEV;
	sdev = kzalloc(sizeof(*sdev), GFP_KERNEL);
	if (!sdev)
		return -ENOMEM;
	sdev->unit = dev->iommu_unit;
	sdev->rid = dev->rid;
	dev_iommu_priv_set(dev, sdev);
	return sdev->unit;
}

static void iommu_sim_release_device(struct device *dev)
{
	kfree(dev_iommu_priv_get(dev));
	dev_iommu_priv_set(dev, NULL);
}

/* The oldest record of the first unit whose log is not empty. */
static int iommu_sim_read_fault(struct iommu_fault_record *fault)
{
	struct sim_iommu_fault rec;
	unsigned int unit;

	for (unit = 0; unit < sim_iommu_nr_units(); unit++) {
		if (sim_iommu_read_fault(unit, &rec))
			continue;
		fault->unit = unit;
		fault->rid = rec.rid;
		fault->iova = rec.iova;
		fault->write = rec.access == SIM_IOMMU_ACCESS_WRITE;
		fault->reason = sim_iommu_fault_reason_name(rec.reason);
		return 0;
	}
	return -ENOENT;
}

static const struct iommu_ops iommu_sim_ops = {
	.name = "sim-iommu",
	.probe_device = iommu_sim_probe_device,
	.release_device = iommu_sim_release_device,
	.domain_alloc_paging = iommu_sim_domain_alloc_paging,
	.read_fault = iommu_sim_read_fault,
	.identity_domain = &iommu_sim_identity_domain,
	.blocked_domain = &iommu_sim_blocked_domain,
	.pgsize_bitmap = IO_PGTABLE_SIM_PGSIZE_BITMAP,
	.iova_bits = IO_PGTABLE_SIM_IOVA_BITS,
};

/**
 * iommu_sim_init() - register the driver if the machine has IOMMU units
 *
 * The platform's boot calls it before iommu_init(), which then probes
 * the devices through it.
 *
 * Return: 0 (also when the firmware reports no unit: nothing to drive),
 * or -EBUSY if another IOMMU driver is registered.
 */
int iommu_sim_init(void)
{
	if (!sim_iommu_nr_units())
		return 0;
	return iommu_device_register(&iommu_sim_ops);
}
EXPORT_SYMBOL_GPL(iommu_sim_init);

/**
 * iommu_sim_exit() - unregister the driver (after iommu_exit())
 */
void iommu_sim_exit(void)
{
	iommu_device_unregister(&iommu_sim_ops);
}
EXPORT_SYMBOL_GPL(iommu_sim_exit);
