/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the IOMMU suites (iommu_map, iommu_ops) read the same way: a
 * domain's counters and the page allocator's, as values to compare
 * before and after an operation.
 */
#ifndef _TESTS_IOMMU_TEST_H
#define _TESTS_IOMMU_TEST_H

#include <linux/iommu.h>
#include <linux/mm.h>

static inline struct iommu_domain_stats dstats(struct iommu_domain *d)
{
	struct iommu_domain_stats st;

	iommu_domain_get_stats(d, &st);
	return st;
}

/* Pages the page allocator has handed out (page-table pages among them). */
static inline u64 allocated_pages(void)
{
	struct mm_page_stats st;

	mm_page_stats(&st);
	return st.allocated_pages;
}

#endif /* _TESTS_IOMMU_TEST_H */
