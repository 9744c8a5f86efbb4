/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A page table as the IOMMU hardware sees it: hw_walk() reads the table
 * that a requester ID's context entry points the unit at, from RAM, as
 * the unit's walker would, and lists its leaves (not the driver's
 * counters).  For iommu_hw and for the DMA suites that check what a
 * misused API leaves behind.
 */
#ifndef _TESTS_IOMMU_HW_WALK_H
#define _TESTS_IOMMU_HW_WALK_H

#include <kunit/test.h>
#include <linux/slab.h>

#include "sim/iommu.h"
#include "sim/sim.h"

#define HW_MAX_LEAVES	2048

struct hw_leaf {
	u64 iova;
	u64 pte;
	unsigned int level;
};

/* The leaves of a page table, read from RAM as the walker would. */
struct hw_walk {
	unsigned int nr;
	unsigned long bad;		/* malformed or too many */
	u64 per_level[SIM_IOMMU_LEVELS + 1];
	struct hw_leaf leaf[HW_MAX_LEAVES];
};

static inline void hw_walk_table(struct hw_walk *w, phys_addr_t table,
			  unsigned int level, u64 iova)
{
	u64 *pte = kmalloc(SIM_IOMMU_PAGE_SIZE, GFP_KERNEL);
	unsigned int i;

	if (!pte || sim_cpu_read(table, pte, SIM_IOMMU_PAGE_SIZE)) {
		w->bad++;
		goto out;
	}
	for (i = 0; i < SIM_IOMMU_PTES_PER_TABLE; i++) {
		u64 at = iova + i * SIM_IOMMU_LEVEL_SIZE(level);
		u64 addr = pte[i] & SIM_IOMMU_PTE_ADDR_MASK;

		if (!(pte[i] & SIM_IOMMU_PTE_PRESENT))
			continue;
		if (!(pte[i] & SIM_IOMMU_PTE_LEAF) && level > 1) {
			hw_walk_table(w, addr, level - 1, at);
			continue;
		}
		w->bad += level > SIM_IOMMU_MAX_LEAF_LEVEL ||
			  !(pte[i] & SIM_IOMMU_PTE_LEAF) ||
			  (addr & (SIM_IOMMU_LEVEL_SIZE(level) - 1)) ||
			  (pte[i] & SIM_IOMMU_PTE_RESERVED);
		w->per_level[level]++;
		if (w->nr == HW_MAX_LEAVES) {
			w->bad++;
			continue;
		}
		w->leaf[w->nr++] = (struct hw_leaf){ at, pte[i], level };
	}
out:
	kfree(pte);
}

/* Walk the table that @rid's context entry points the unit at. */
static inline void hw_walk(struct kunit *test, u16 rid, struct hw_walk *w)
{
	struct sim_iommu_context ctx;

	memset(w, 0, sizeof(*w));
	KUNIT_ASSERT_EQ(test, sim_iommu_read_context(0, rid, &ctx), 0);
	KUNIT_ASSERT_TRUE(test, ctx.ctrl & SIM_IOMMU_CTX_VALID);
	KUNIT_ASSERT_NE(test, ctx.root, 0ULL);
	hw_walk_table(w, ctx.root, SIM_IOMMU_LEVELS, 0);
	KUNIT_EXPECT_EQ(test, w->bad, 0UL);
}

#endif /* _TESTS_IOMMU_HW_WALK_H */
