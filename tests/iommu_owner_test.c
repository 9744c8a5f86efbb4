// SPDX-License-Identifier: GPL-2.0
/*
 * DMA ownership of IOMMU groups (drivers/iommu/iommu.c): an owner (VFIO
 * for a process) takes a group's DMA away from the DMA API with
 * iommu_group_claim_dma_owner() and gives it back with
 * iommu_group_release_dma_owner().
 *
 *  - The claim moves the group to the blocked domain: DMA through the
 *    IOVAs the DMA API had handed out faults in the IOMMU.
 *  - It is refused (-EBUSY) while the DMA API has users in the group (a
 *    driver, live mappings) or another owner holds it; a driver cannot
 *    start using the DMA API while it is owned.  The same owner's claims
 *    are counted.
 *  - While owned the DMA API maps nothing that would go through the
 *    group's IOMMU context; P2P by bus address (the NIC into GPU0's BAR
 *    across their switch, in the same group) never meets it and maps.
 *  - The owner attaches a domain of its own and detaches it back to
 *    blocked; releasing returns the group to its default domain.
 *
 * The default board with DMA default domains: the NIC and GPU0 share a
 * group (their switch does not redirect P2P), GPU1 and SATA are alone.
 */
#include "tests/dma_test.h"
#include "tests/iommu_test.h"

static int owner_a, owner_b;

/* A page of RAM with a pattern, as a list. */
static struct physr_list *iommu_owner_page(struct kunit *test)
{
	return &dma_test_buf(test, SZ_4K, MM_LAYOUT_CONTIG, GFP_KERNEL, 5)->list;
}

static struct iommu_group *iommu_owner_group(struct kunit *test,
					     struct device *dev)
{
	struct iommu_group *g = iommu_group_get(dev);

	KUNIT_ASSERT_NOT_NULL(test, g);
	return g;
}

/* Claim and release: blocked in between, the DMA API refused. */
static void iommu_owner_claim_release(struct kunit *test)
{
	struct device *gpu1 = dma_test_dev(test, "gpu1");
	struct physr_list *list = iommu_owner_page(test);
	struct iommu_group *g = iommu_owner_group(test, gpu1);
	struct iommu_domain *def = iommu_get_default_domain(gpu1);
	struct dma_map_state st;
	struct dma_iova_state iova;
	dma_addr_t addr;
	u8 buf[64];

	KUNIT_ASSERT_EQ(test, dma_map_physr(gpu1, list, DMA_TO_DEVICE, 0, &st),
			0);
	addr = dma_list_first_addr(&st.dma);
	KUNIT_EXPECT_EQ(test, sim_dma_read(gpu1->rid, addr, buf, 64), 0);
	dma_unmap_physr(gpu1, &st, DMA_TO_DEVICE, 0);
	dma_test_flush_iova_caches();

	KUNIT_EXPECT_FALSE(test, iommu_group_dma_owner_claimed(g));
	KUNIT_ASSERT_EQ(test, iommu_group_claim_dma_owner(g, &owner_a), 0);
	KUNIT_EXPECT_TRUE(test, iommu_group_dma_owner_claimed(g));
	KUNIT_EXPECT_STREQ(test,
			   iommu_domain_type_name(iommu_get_domain_for_dev(gpu1)),
			   "blocked");
	/* Whatever the DMA API left behind is out of the device's reach. */
	KUNIT_EXPECT_EQ(test, sim_dma_read(gpu1->rid, addr, buf, 64), -EFAULT);
	KUNIT_EXPECT_GE(test, iommu_poll_faults(), 1U);
	dma_test_expect_reports(test, DMA_DEBUG_ACCESS_UNMAPPED, 1, NULL);
	KUNIT_EXPECT_EQ(test, dma_map_physr(gpu1, list, DMA_TO_DEVICE,
					    DMA_ATTR_NO_WARN, &st), -EBUSY);
	KUNIT_EXPECT_FALSE(test, dma_iova_try_alloc(gpu1, &iova, 0, SZ_4K));
	/* Nobody else, nor a driver; the owner again, counted. */
	KUNIT_EXPECT_EQ(test, iommu_group_claim_dma_owner(g, &owner_b), -EBUSY);
	KUNIT_EXPECT_EQ(test, iommu_device_use_default_domain(gpu1), -EBUSY);
	KUNIT_EXPECT_EQ(test, iommu_group_claim_dma_owner(g, &owner_a), 0);
	iommu_group_release_dma_owner(g);
	KUNIT_EXPECT_TRUE(test, iommu_group_dma_owner_claimed(g));
	KUNIT_EXPECT_EQ(test, iommu_group_claim_dma_owner(g, &owner_b), -EBUSY);

	iommu_group_release_dma_owner(g);
	KUNIT_EXPECT_FALSE(test, iommu_group_dma_owner_claimed(g));
	KUNIT_EXPECT_PTR_EQ(test, iommu_get_domain_for_dev(gpu1), def);
	KUNIT_ASSERT_EQ(test, dma_map_physr(gpu1, list, DMA_TO_DEVICE, 0, &st),
			0);
	KUNIT_EXPECT_EQ(test, sim_dma_read(gpu1->rid, dma_list_first_addr(&st.dma),
					   buf, 64), 0);
	dma_unmap_physr(gpu1, &st, DMA_TO_DEVICE, 0);
	iommu_group_put(g);
}

/* DMA API users keep the group: a driver, or a live mapping. */
static void iommu_owner_dma_api_users(struct kunit *test)
{
	struct device *gpu1 = dma_test_dev(test, "gpu1");
	struct physr_list *list = iommu_owner_page(test);
	struct iommu_group *g = iommu_owner_group(test, gpu1);
	struct dma_map_state st;

	KUNIT_ASSERT_EQ(test, iommu_device_use_default_domain(gpu1), 0);
	KUNIT_EXPECT_EQ(test, iommu_group_claim_dma_owner(g, &owner_a), -EBUSY);
	iommu_device_unuse_default_domain(gpu1);

	KUNIT_ASSERT_EQ(test, dma_map_physr(gpu1, list, DMA_TO_DEVICE, 0, &st),
			0);
	KUNIT_EXPECT_EQ(test, iommu_group_claim_dma_owner(g, &owner_a), -EBUSY);
	dma_unmap_physr(gpu1, &st, DMA_TO_DEVICE, 0);

	KUNIT_ASSERT_EQ(test, iommu_group_claim_dma_owner(g, &owner_a), 0);
	iommu_group_release_dma_owner(g);
	iommu_group_put(g);
}

/*
 * GPU0 claimed: the NIC, in its group, is blocked too; its P2P into
 * GPU0's BAR by bus address never meets the IOMMU and still maps.
 */
static void iommu_owner_shared_group(struct kunit *test)
{
	struct device *nic = dma_test_dev(test, "nic");
	struct device *gpu0 = dma_test_dev(test, "gpu0");
	struct p2pdma_provider *p = dma_test_p2p_provider(test, 2);
	struct physr_list *ram = iommu_owner_page(test);
	struct physr_list *bar = dma_test_list(test);
	struct iommu_group *g = iommu_owner_group(test, gpu0);
	struct dma_map_state st;
	u8 *buf = dma_test_alloc(test, SZ_4K);

	KUNIT_ASSERT_PTR_EQ(test, nic->iommu_group, gpu0->iommu_group);
	KUNIT_ASSERT_EQ(test, physr_list_append_p2p(bar, p, p->base + SZ_64K,
						    SZ_4K, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iommu_group_claim_dma_owner(g, &owner_a), 0);

	KUNIT_EXPECT_EQ(test, dma_map_physr(nic, ram, DMA_TO_DEVICE,
					    DMA_ATTR_NO_WARN, &st), -EBUSY);
	KUNIT_ASSERT_EQ(test, dma_map_physr(nic, bar, DMA_FROM_DEVICE, 0, &st),
			0);
	KUNIT_EXPECT_EQ(test, dma_list_first_addr(&st.dma),
			p2pdma_bus_addr(p, p->base + SZ_64K));
	KUNIT_EXPECT_EQ(test, dma_test_dev_io(nic, &st.dma, buf, true), 0);
	dma_unmap_physr(nic, &st, DMA_FROM_DEVICE, 0);

	iommu_group_release_dma_owner(g);
	KUNIT_ASSERT_EQ(test, dma_map_physr(nic, ram, DMA_TO_DEVICE, 0, &st), 0);
	dma_unmap_physr(nic, &st, DMA_TO_DEVICE, 0);
	iommu_group_put(g);
}

/* The owner's own domain: attached over blocked, detached back to it. */
static void iommu_owner_attach(struct kunit *test)
{
	struct device *sata = dma_test_dev(test, "sata");
	struct iommu_group *g = iommu_owner_group(test, sata);
	struct iommu_domain *d = iommu_domain_alloc();
	phys_addr_t pa = page_to_phys(dma_test_buf(test, SZ_4K, MM_LAYOUT_CONTIG,
						   GFP_KERNEL, 9)->mb->pages[0]);
	u8 buf[64];

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, d);
	/* Not owned: someone else's domain is in the way of a claim. */
	KUNIT_ASSERT_EQ(test, iommu_attach_group(d, g), 0);
	KUNIT_EXPECT_EQ(test, iommu_group_claim_dma_owner(g, &owner_a), -EBUSY);
	iommu_detach_group(d, g);

	KUNIT_ASSERT_EQ(test, iommu_group_claim_dma_owner(g, &owner_a), 0);
	KUNIT_ASSERT_EQ(test, iommu_attach_group(d, g), 0);
	KUNIT_ASSERT_EQ(test, iommu_map(d, SZ_1M, pa, SZ_4K, IOMMU_READ,
					GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, sim_dma_read(sata->rid, SZ_1M, buf, 64), 0);
	iommu_detach_group(d, g);
	KUNIT_EXPECT_STREQ(test,
			   iommu_domain_type_name(iommu_get_domain_for_dev(sata)),
			   "blocked");
	KUNIT_EXPECT_EQ(test, sim_dma_read(sata->rid, SZ_1M, buf, 64), -EFAULT);
	iommu_poll_faults();
	iommu_group_release_dma_owner(g);
	KUNIT_EXPECT_PTR_EQ(test, iommu_get_domain_for_dev(sata),
			    iommu_get_default_domain(sata));
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, SZ_1M, SZ_4K), 0);
	iommu_domain_free(d);
	iommu_group_put(g);
}

static struct kunit_case iommu_owner_cases[] = {
	KUNIT_CASE(iommu_owner_claim_release),
	KUNIT_CASE(iommu_owner_dma_api_users),
	KUNIT_CASE(iommu_owner_shared_group),
	KUNIT_CASE(iommu_owner_attach),
	{}
};

DEFINE_DMA_TEST_SUITE(iommu_owner_suite, "iommu_owner",
		      dma_test_suite_init_dma, iommu_owner_cases);
kunit_test_suite(iommu_owner_suite);

/* An owned group's identity domain is no DMA API path either. */
static void iommu_owner_identity(struct kunit *test)
{
	struct device *gpu1 = dma_test_dev(test, "gpu1");
	struct physr_list *list = iommu_owner_page(test);
	struct iommu_group *g = iommu_owner_group(test, gpu1);
	struct dma_map_state st;

	KUNIT_ASSERT_EQ(test, dma_dev_path(gpu1), DMA_PATH_BYPASS);
	KUNIT_ASSERT_EQ(test, iommu_group_claim_dma_owner(g, &owner_a), 0);
	KUNIT_EXPECT_EQ(test, dma_dev_path(gpu1), DMA_PATH_NONE);
	KUNIT_EXPECT_EQ(test, dma_map_physr(gpu1, list, DMA_TO_DEVICE,
					    DMA_ATTR_NO_WARN, &st), -EIO);
	iommu_group_release_dma_owner(g);
	KUNIT_EXPECT_EQ(test, dma_dev_path(gpu1), DMA_PATH_BYPASS);
	KUNIT_ASSERT_EQ(test, dma_map_physr(gpu1, list, DMA_TO_DEVICE, 0, &st),
			0);
	dma_unmap_physr(gpu1, &st, DMA_TO_DEVICE, 0);
	iommu_group_put(g);
}

static struct kunit_case iommu_owner_identity_cases[] = {
	KUNIT_CASE(iommu_owner_identity),
	{}
};

DEFINE_DMA_TEST_SUITE(iommu_owner_identity_suite, "iommu_owner_identity",
		      dma_test_suite_init_identity, iommu_owner_identity_cases);
kunit_test_suite(iommu_owner_identity_suite);
