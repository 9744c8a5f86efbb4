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

/* ---- removal while mapped or attached ---------------------------------- */

static void iommu_remove_shutdown(void *arg __always_unused)
{
	dma_test_shutdown();
}

static int iommu_remove_init(struct kunit *test)
{
	int ret = dma_test_boot(NULL, IOMMU_DOMAIN_DMA);

	if (ret)
		return ret;
	ret = kunit_add_action_or_reset(test, iommu_remove_shutdown, NULL);
	if (ret)
		return ret;
	return dma_test_init(test);
}

/* Four KiB of RAM, filled, as a one-range list; freed when the case ends. */
static struct physr_list *iommu_remove_page(struct kunit *test)
{
	struct dma_test_buf *b = dma_test_buf(test, SZ_4K, MM_LAYOUT_CONTIG,
					      GFP_KERNEL, 3);

	return &b->list;
}

/*
 * The NIC shares its group with GPU0: unmapping after the NIC is gone
 * must still clear the PTEs, or GPU0 could read the page afterwards.
 */
static void iommu_remove_unmap_shared_group(struct kunit *test)
{
	struct pci_dev *nic = pci_get_by_name("nic");
	struct device *gpu0 = dma_test_dev(test, "gpu0");
	struct physr_list *list = iommu_remove_page(test);
	struct dma_map_state st;
	struct iommu_domain *d;
	dma_addr_t iova;
	u8 buf[64];

	KUNIT_ASSERT_NOT_NULL(test, nic);
	d = iommu_get_domain_for_dev(&nic->dev);
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_ASSERT_PTR_EQ(test, iommu_get_domain_for_dev(gpu0), d);
	KUNIT_ASSERT_EQ(test, dma_map_physr(&nic->dev, list, DMA_TO_DEVICE, 0,
					    &st), 0);
	iova = dma_list_first_addr(&st.dma);
	KUNIT_ASSERT_EQ(test, dma_test_mapped(d), (u64)SZ_4K);
	/* The peer in the group reaches the page while it is mapped. */
	KUNIT_ASSERT_EQ(test, sim_dma_read(gpu0->rid, iova, buf, sizeof(buf)),
			0);

	pci_stop_and_remove_bus_device(nic);
	dma_test_expect_reports(test, DMA_DEBUG_LEAK, 1, NULL);
	dma_unmap_physr(&nic->dev, &st, DMA_TO_DEVICE, 0);
	KUNIT_EXPECT_EQ(test, dma_test_mapped(d), 0ULL);
	KUNIT_EXPECT_NE(test, sim_dma_read(gpu0->rid, iova, buf, sizeof(buf)),
			0);
	pci_dev_put(nic);
}

/*
 * SATA is alone in its group: removal frees the group, but its default
 * domain lives until the mapping made in it is unmapped (ASan: no use
 * after free; the leak checker: nothing left).
 */
static void iommu_remove_unmap_alone_in_group(struct kunit *test)
{
	struct pci_dev *sata = pci_get_by_name("sata");
	struct physr_list *list = iommu_remove_page(test);
	struct dma_map_state st;
	struct iommu_domain *d;

	KUNIT_ASSERT_NOT_NULL(test, sata);
	KUNIT_ASSERT_EQ(test, iommu_group_nr_devices(sata->dev.iommu_group),
			1U);
	d = iommu_get_domain_for_dev(&sata->dev);
	KUNIT_ASSERT_EQ(test, dma_map_physr(&sata->dev, list, DMA_FROM_DEVICE,
					    0, &st), 0);
	KUNIT_ASSERT_EQ(test, dma_test_mapped(d), (u64)SZ_4K);

	pci_stop_and_remove_bus_device(sata);
	dma_test_expect_reports(test, DMA_DEBUG_LEAK, 1, NULL);
	/* Still mapped in the domain the mapping holds. */
	KUNIT_EXPECT_EQ(test, dma_test_mapped(d), (u64)SZ_4K);
	dma_unmap_physr(&sata->dev, &st, DMA_FROM_DEVICE, 0);
	pci_dev_put(sata);
}

/* The owner of an UNMANAGED domain detaches after the last device left. */
static void iommu_remove_detach_after_removal(struct kunit *test)
{
	struct pci_dev *sata = pci_get_by_name("sata");
	struct iommu_domain *d = iommu_domain_alloc();
	struct iommu_group *g;

	KUNIT_ASSERT_NOT_NULL(test, sata);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, d);
	g = iommu_group_get(&sata->dev);
	KUNIT_ASSERT_NOT_NULL(test, g);
	KUNIT_ASSERT_EQ(test, iommu_group_nr_devices(g), 1U);
	KUNIT_ASSERT_EQ(test, iommu_attach_group(d, g), 0);

	pci_stop_and_remove_bus_device(sata);
	pci_dev_put(sata);
	KUNIT_EXPECT_EQ(test, iommu_group_nr_devices(g), 0U);
	/* As VFIO/IOMMUFD must: detach, let go of the group, free. */
	iommu_detach_group(d, g);
	iommu_group_put(g);
	iommu_domain_free(d);
}

static struct kunit_case iommu_remove_cases[] = {
	KUNIT_CASE(iommu_remove_unmap_shared_group),
	KUNIT_CASE(iommu_remove_unmap_alone_in_group),
	KUNIT_CASE(iommu_remove_detach_after_removal),
	{}
};

static struct kunit_suite iommu_remove_suite = {
	.name = "iommu_remove",
	.init = iommu_remove_init,
	.exit = dma_test_exit,
	.test_cases = iommu_remove_cases,
};
kunit_test_suite(iommu_remove_suite);

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
