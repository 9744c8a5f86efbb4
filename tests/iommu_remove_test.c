// SPDX-License-Identifier: GPL-2.0
/*
 * The IOMMU core's side of a device going away while its DMA mappings,
 * or an UNMANAGED domain owner, still use its group and domains; and the
 * core's checks of a driver's domain ops.
 *
 *  - A driver's unmap after its device is removed takes the mapping out
 *    of the domain it was made in: no PTE and no IOVA stay behind for a
 *    peer in the same group to reach, and a default domain whose group
 *    went with the device is freed by that unmap, not before it.
 *  - An owner's iommu_detach_group() after the group's last device left
 *    works on the group it still holds a reference on; the group goes at
 *    its last put.
 *  - A driver whose paging domain lacks ->free is refused with a warning
 *    and the domain leaked, never called through the missing op.
 *
 * The pci_remove_iommu suite boots the default machine with DMA default
 * domains for each case (removal cannot be undone).  The iommu_core_ops
 * suite boots nothing: it registers a fake driver of its own.
 */
#include "tests/dma_test.h"

/* ---- a driver's incomplete domain ops ---------------------------------- */

static const struct iommu_domain_ops iommu_core_no_free_ops = {
	/* Nothing: not even ->free. */
};

static struct iommu_domain iommu_core_no_free_domain = {
	.ops = &iommu_core_no_free_ops,
};

static struct iommu_domain *iommu_core_alloc_no_free(struct device *dev __always_unused)
{
	return &iommu_core_no_free_domain;
}

static int iommu_core_probe(struct device *dev __always_unused)
{
	return -ENODEV;
}

static void iommu_core_release(struct device *dev __always_unused)
{
}

static int iommu_core_read_fault(struct iommu_fault_record *fault __always_unused)
{
	return -ENOENT;
}

static struct iommu_domain iommu_core_static_domain;

static const struct iommu_ops iommu_core_fake_ops = {
	.name = "fake",
	.probe_device = iommu_core_probe,
	.release_device = iommu_core_release,
	.domain_alloc_paging = iommu_core_alloc_no_free,
	.read_fault = iommu_core_read_fault,
	.identity_domain = &iommu_core_static_domain,
	.blocked_domain = &iommu_core_static_domain,
	.pgsize_bitmap = PAGE_SIZE,
	.iova_bits = 48,
};

/* A paging domain without ->free: refused, warned about, leaked. */
static void iommu_core_domain_without_free(struct kunit *test)
{
	struct iommu_domain *d;

	KUNIT_ASSERT_EQ(test, iommu_device_register(&iommu_core_fake_ops), 0);
	kunit_expect_warn(test, 1);
	d = iommu_domain_alloc();
	iommu_device_unregister(&iommu_core_fake_ops);
	KUNIT_EXPECT_PTR_EQ(test, d, ERR_PTR(-EINVAL));
}

static struct kunit_case iommu_core_ops_cases[] = {
	KUNIT_CASE(iommu_core_domain_without_free),
	{}
};

static struct kunit_suite iommu_core_ops_suite = {
	.name = "iommu_core_ops",
	.test_cases = iommu_core_ops_cases,
};
kunit_test_suite(iommu_core_ops_suite);
