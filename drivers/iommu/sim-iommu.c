// SPDX-License-Identifier: GPL-2.0
/*
 * The hardware half of the IOMMU driver: how the core's domains become
 * context entries, how flushes become invalidation commands, how fault
 * records are read.  This file and io-pgtable.c are all that know the
 * machine's IOMMU (<hw/sim_iommu.h>); the core in iommu.c does not.
 *
 * Only the hardware interface of sim/iommu.h is used: the unit count
 * (firmware), the context register, the invalidation command register and
 * the fault log.
 *
 * A command the hardware refuses is a driver bug: WARN.
 */
#include <linux/bug.h>
#include <linux/kernel.h>
#include <linux/io-pgtable.h>
#include <linux/iommu.h>

#include "iommu-priv.h"
#include "sim/iommu.h"

static_assert(IOMMU_MAX_UNITS >= SIM_IOMMU_MAX_UNITS);


/**
 * iommu_hw_nr_units() - number of IOMMU units the firmware reports
 */
unsigned int iommu_hw_nr_units(void)
{
	return sim_iommu_nr_units();
}

/**
 * iommu_hw_set_context() - point a requester ID at a domain
 * @unit: the IOMMU unit
 * @rid: the requester ID
 * @domain: BLOCKED, IDENTITY (bypass) or a paging domain (translate)
 *
 * The unit caches no context entries, so the write takes effect at once.
 */
void iommu_hw_set_context(unsigned int unit, u16 rid,
			  const struct iommu_domain *domain)
{
	struct sim_iommu_context ctx = { 0 };

	switch (domain->type) {
	case IOMMU_DOMAIN_BLOCKED:
		break;
	case IOMMU_DOMAIN_IDENTITY:
		ctx.ctrl = SIM_IOMMU_CTX_VALID | SIM_IOMMU_CTX_MODE_BYPASS <<
						 SIM_IOMMU_CTX_MODE_SHIFT;
		break;
	default:
		ctx.ctrl = SIM_IOMMU_CTX_VALID |
			   SIM_IOMMU_CTX_MODE_TRANSLATE <<
			   SIM_IOMMU_CTX_MODE_SHIFT |
			   (u64)domain->id << SIM_IOMMU_CTX_DID_SHIFT;
		ctx.root = domain->pgtbl->root;
		break;
	}
	WARN_ON(sim_iommu_write_context(unit, rid, &ctx));
}

static void iommu_hw_invalidate(struct iommu_domain *domain,
				unsigned int unit,
				const struct sim_iommu_inv_cmd *cmd)
{
	WARN_ON(sim_iommu_invalidate(unit, cmd));
	atomic64_inc(&domain->inv_cmds);
}

/**
 * iommu_hw_flush_domain() - drop a domain's IOTLB entries on one unit
 * @domain: a paging domain
 * @unit: the unit
 */
void iommu_hw_flush_domain(struct iommu_domain *domain, unsigned int unit)
{
	struct sim_iommu_inv_cmd cmd = {
		.type = SIM_IOMMU_INV_DOMAIN,
		.did = domain->id,
	};

	iommu_hw_invalidate(domain, unit, &cmd);
}

/**
 * iommu_hw_flush_range() - invalidate an IOVA range of a domain
 * @domain: a paging domain
 * @first: first IOVA
 * @last: last IOVA, inclusive
 *
 * One range command to every unit the domain is attached through; none
 * if it is attached nowhere (then no unit holds entries for it: detach
 * flushed them).
 */
void iommu_hw_flush_range(struct iommu_domain *domain, dma_addr_t first,
			  dma_addr_t last)
{
	struct sim_iommu_inv_cmd cmd = {
		.type = SIM_IOMMU_INV_RANGE,
		.did = domain->id,
		.first = first,
		.last = last,
	};
	unsigned int unit;

	for (unit = 0; unit < IOMMU_MAX_UNITS; unit++)
		if (atomic_read(&domain->unit_users[unit]))
			iommu_hw_invalidate(domain, unit, &cmd);
}

/**
 * iommu_hw_read_fault() - take the oldest record of a unit's fault log
 * @unit: the unit
 * @fault: filled in
 *
 * Return: 0, or -ENOENT when the log is empty.
 */
int iommu_hw_read_fault(unsigned int unit, struct iommu_hw_fault *fault)
{
	struct sim_iommu_fault rec;
	int ret;

	ret = sim_iommu_read_fault(unit, &rec);
	if (ret)
		return ret;
	fault->unit = unit;
	fault->rid = rec.rid;
	fault->iova = rec.iova;
	fault->write = rec.access == SIM_IOMMU_ACCESS_WRITE;
	fault->reason = sim_iommu_fault_reason_name(rec.reason);
	return 0;
}
