// SPDX-License-Identifier: GPL-2.0
/*
 * End-to-end tests: devices of the default board move real bytes through
 * page tables the driver built (sim/dma.c -> sim/iommu.c -> RAM or a BAR).
 *
 *  - a range list of scattered pages mapped at one IOVA: the device
 *    writes a pattern there and the test reads it at the physical pages,
 *    and the other way round;
 *  - P2P through the host bridge: a device writes into another GPU's BAR
 *    through an IOMMU mapping;
 *  - faults: unmapped IOVA, after unmap, against permissions; the DMA
 *    fails whole and the fault is logged and reported to the domain;
 *  - identity default domains pass physical addresses through;
 *  - a group of two devices attached together;
 *  - DMA default domains (a suite booted with them).
 *
 * gpu1 sits alone behind its root port: its own group.  The machine is
 * booted once per suite; every case drains the fault logs when it ends.
 */
#include <kunit/test.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/mm_layout.h>
#include <linux/pci.h>
#include <linux/physr.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "arch/sim/boot.h"
#include "sim/dma.h"
#include "sim/iommu.h"
#include "sim/sim.h"
#include "tests/pci_boards.h"

#define GiB	(1ULL << 30)
#define RW	(IOMMU_READ | IOMMU_WRITE)

static int iommu_dma_suite_init(struct kunit_suite *suite __always_unused)
{
	return machine_boot(NULL);
}

static void iommu_dma_suite_exit(struct kunit_suite *suite __always_unused)
{
	machine_shutdown();
}

static void iommu_dma_exit(struct kunit *test __always_unused)
{
	iommu_poll_faults();
}

struct attached {
	struct device *dev;
	struct iommu_domain *domain;
};

static void detach_action(void *arg)
{
	struct attached *a = arg;

	iommu_detach_device(a->domain, a->dev);
	iommu_domain_free(a->domain);
}

/* @name's device, attached to a new UNMANAGED domain until the case ends. */
static struct iommu_domain *attach_new_domain(struct kunit *test,
					      const char *name,
					      struct pci_dev **pdevp)
{
	struct pci_dev *pdev = pci_test_dev(test, name);
	struct attached *a;

	KUNIT_ASSERT_NOT_NULL(test, pdev);
	a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	a->dev = &pdev->dev;
	a->domain = iommu_domain_alloc();
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, a->domain);
	if (iommu_attach_device(a->domain, a->dev)) {
		iommu_domain_free(a->domain);
		KUNIT_ASSERT_FAILURE(test, "cannot attach %s", name);
	}
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, detach_action, a),
			0);
	*pdevp = pdev;
	return a->domain;
}

static void fill_pattern(u8 *p, size_t len, u8 seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (u8)(i * 131 + seed + (i >> 12));
}

/* A scattered buffer, mapped at one IOVA; bytes both ways. */
static void iommu_dma_ram_roundtrip(struct kunit *test)
{
	const u64 size = SZ_4M;
	struct physr_list list = PHYSR_LIST_INIT;
	struct sim_dma_stats before, after;
	struct iommu_domain *d;
	struct mm_buffer *buf;
	struct pci_dev *gpu1;
	u8 *src, *dst;
	dma_addr_t iova;

	d = attach_new_domain(test, "gpu1", &gpu1);
	src = kunit_kmalloc(test, size, GFP_KERNEL);
	dst = kunit_kmalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, src);
	KUNIT_ASSERT_NOT_NULL(test, dst);
	buf = mm_buffer_alloc(size, MM_LAYOUT_RANDOM_4K, 42, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, physr_list_from_pages(&list, buf->pages,
						    buf->nr_pages, 0, size,
						    GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iova_alloc(&d->iovad, size, gpu1->dev.dma_mask,
					 &iova), 0);
	KUNIT_ASSERT_EQ(test, iommu_map_physr(d, iova, &list, RW, GFP_KERNEL),
			0);

	/* Device -> memory. */
	fill_pattern(src, size, 1);
	sim_dma_stats_get(&before);
	KUNIT_EXPECT_EQ(test, sim_dma_write(gpu1->dev.rid, iova, src, size), 0);
	sim_dma_stats_get(&after);
	KUNIT_EXPECT_EQ(test, after.translated - before.translated,
			size / SZ_4K);
	KUNIT_ASSERT_EQ(test, mm_buffer_read(buf, 0, dst, size), 0);
	KUNIT_EXPECT_MEMEQ(test, dst, src, size);

	/* Memory -> device, from an offset not at a page boundary. */
	mm_buffer_fill(buf, 9);
	KUNIT_ASSERT_EQ(test, mm_buffer_read(buf, 0, src, size), 0);
	KUNIT_EXPECT_EQ(test, sim_dma_read(gpu1->dev.rid, iova + 1000, dst,
					   size - 1000), 0);
	KUNIT_EXPECT_MEMEQ(test, dst, src + 1000, size - 1000);

	KUNIT_EXPECT_EQ(test, iommu_unmap_physr(d, iova, &list), 0);
	/* Gone: the transfer fails whole and nothing moved. */
	KUNIT_EXPECT_EQ(test, sim_dma_write(gpu1->dev.rid, iova, src, SZ_4K),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, iommu_poll_faults(), 1U);
	KUNIT_EXPECT_EQ(test, iova_free(&d->iovad, iova, size), 0);
	physr_list_destroy(&list);
	mm_buffer_free(buf);
}

/* Device -> another GPU's BAR, through the IOMMU and the host bridge. */
static void iommu_dma_into_bar(struct kunit *test)
{
	struct pci_dev *gpu0 = pci_test_dev(test, "gpu0"), *gpu1;
	struct physr_list list = PHYSR_LIST_INIT;
	struct iommu_domain_stats st;
	struct iommu_domain *d;
	phys_addr_t bar;
	u8 *src, *dst;

	KUNIT_ASSERT_NOT_NULL(test, gpu0);
	d = attach_new_domain(test, "gpu1", &gpu1);
	bar = pci_resource_start(gpu0, 2);
	src = kunit_kmalloc(test, SZ_4M, GFP_KERNEL);
	dst = kunit_kmalloc(test, SZ_4M, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, src);
	KUNIT_ASSERT_NOT_NULL(test, dst);

	/* 2 MiB of RAM-less BAR at 1 GiB + 2 MiB into it, then 2 MiB more. */
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, bar + GiB + SZ_2M,
						SZ_2M, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, bar + 5 * SZ_2M, SZ_2M,
						GFP_KERNEL),
			0);
	KUNIT_ASSERT_EQ(test, iommu_map_physr(d, 8 * GiB, &list,
					      RW | IOMMU_MMIO, GFP_KERNEL), 0);
	iommu_domain_get_stats(d, &st);
	KUNIT_EXPECT_EQ(test, st.leaves[2], 2ULL);

	fill_pattern(src, SZ_4M, 3);
	KUNIT_EXPECT_EQ(test, sim_dma_write(gpu1->dev.rid, 8 * GiB, src,
					    SZ_4M), 0);
	KUNIT_ASSERT_EQ(test, sim_cpu_read(bar + GiB + SZ_2M, dst, SZ_2M), 0);
	KUNIT_EXPECT_MEMEQ(test, dst, src, SZ_2M);
	KUNIT_ASSERT_EQ(test, sim_cpu_read(bar + 5 * SZ_2M, dst, SZ_2M), 0);
	KUNIT_EXPECT_MEMEQ(test, dst, src + SZ_2M, SZ_2M);
	/* And back. */
	memset(dst, 0, SZ_4M);
	KUNIT_EXPECT_EQ(test, sim_dma_read(gpu1->dev.rid, 8 * GiB, dst, SZ_4M),
			0);
	KUNIT_EXPECT_MEMEQ(test, dst, src, SZ_4M);
	KUNIT_EXPECT_EQ(test, iommu_unmap_physr(d, 8 * GiB, &list), 0);
	physr_list_destroy(&list);
}

struct fault_log {
	unsigned int n;
	dma_addr_t iova[4];
	int flags[4];
};

static int log_fault(struct iommu_domain *domain __always_unused,
		     struct device *dev __always_unused, dma_addr_t iova,
		     int flags, void *token)
{
	struct fault_log *log = token;

	if (log->n < ARRAY_SIZE(log->iova)) {
		log->iova[log->n] = iova;
		log->flags[log->n] = flags;
	}
	log->n++;
	return 0;
}

static void iommu_dma_faults(struct kunit *test)
{
	struct fault_log log = { 0 };
	struct sim_dma_error err;
	struct iommu_domain *d;
	struct pci_dev *gpu1;
	struct page *page;
	u8 byte = 0x5a;

	d = attach_new_domain(test, "gpu1", &gpu1);
	iommu_set_fault_handler(d, log_fault, &log);
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, iommu_map(d, SZ_1M, page_to_phys(page), SZ_4K,
					IOMMU_READ, GFP_KERNEL), 0);

	/* Read-only: a read works, a write faults and changes nothing. */
	KUNIT_EXPECT_EQ(test, sim_dma_read(gpu1->dev.rid, SZ_1M + 7, &byte, 1),
			0);
	KUNIT_EXPECT_EQ(test, byte, 0);
	byte = 0x5a;
	KUNIT_EXPECT_EQ(test, sim_dma_write(gpu1->dev.rid, SZ_1M + 7, &byte, 1),
			-EFAULT);
	sim_dma_last_error(&err);
	KUNIT_EXPECT_EQ(test, err.reason, SIM_DMA_ERR_IOMMU);
	KUNIT_EXPECT_EQ(test, err.addr, (u64)SZ_1M + 7);
	/* A transfer running off the end of the mapping fails whole. */
	KUNIT_EXPECT_EQ(test, sim_dma_read(gpu1->dev.rid, SZ_1M + SZ_4K - 1,
					   &byte, 2), -EFAULT);
	/* Never mapped. */
	KUNIT_EXPECT_EQ(test, sim_dma_read(gpu1->dev.rid, 3 * GiB, &byte, 1),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, iommu_poll_faults(), 3U);
	KUNIT_EXPECT_EQ(test, log.n, 3U);
	KUNIT_EXPECT_EQ(test, log.iova[0], (u64)SZ_1M + 7);
	KUNIT_EXPECT_EQ(test, log.flags[0], IOMMU_FAULT_WRITE);
	KUNIT_EXPECT_EQ(test, log.iova[1], (u64)SZ_1M + SZ_4K);
	KUNIT_EXPECT_EQ(test, log.flags[1], IOMMU_FAULT_READ);
	KUNIT_EXPECT_EQ(test, log.iova[2], 3 * GiB);
	KUNIT_EXPECT_EQ(test, *(u8 *)page_address(page), 0);

	/* After unmap. */
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, SZ_1M, SZ_4K), 0);
	KUNIT_EXPECT_EQ(test, sim_dma_read(gpu1->dev.rid, SZ_1M, &byte, 1),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, iommu_poll_faults(), 1U);
	KUNIT_EXPECT_EQ(test, log.n, 4U);
	__free_page(page);
}

/* Bypass by default: the DMA address is the physical address. */
static void iommu_dma_identity_default(struct kunit *test)
{
	struct pci_dev *gpu1 = pci_test_dev(test, "gpu1");
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	u32 word = 0xfeedf00d;

	KUNIT_ASSERT_NOT_NULL(test, gpu1);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, iommu_get_domain_for_dev(&gpu1->dev)->type,
			(unsigned int)IOMMU_DOMAIN_IDENTITY);
	KUNIT_EXPECT_EQ(test, sim_dma_write(gpu1->dev.rid,
					    page_to_phys(page) + 8, &word, 4),
			0);
	KUNIT_EXPECT_EQ(test, *(u32 *)((u8 *)page_address(page) + 8),
			0xfeedf00d);
	__free_page(page);
}

/* The NIC and GPU0 share a group: attached together, both translate. */
static void iommu_dma_shared_group(struct kunit *test)
{
	struct pci_dev *nic = pci_test_dev(test, "nic");
	struct pci_dev *gpu0 = pci_test_dev(test, "gpu0");
	struct iommu_domain *d = iommu_domain_alloc();
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	u64 a = 0x1111, b = 0x2222;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, d);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, iommu_attach_group(d, nic->dev.iommu_group), 0);
	KUNIT_ASSERT_EQ(test, iommu_map(d, SZ_2M, page_to_phys(page), SZ_4K,
					RW, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, sim_dma_write(nic->dev.rid, SZ_2M, &a, 8), 0);
	KUNIT_EXPECT_EQ(test, sim_dma_write(gpu0->dev.rid, SZ_2M + 8, &b, 8),
			0);
	KUNIT_EXPECT_EQ(test, ((u64 *)page_address(page))[0], 0x1111ULL);
	KUNIT_EXPECT_EQ(test, ((u64 *)page_address(page))[1], 0x2222ULL);
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, SZ_2M, SZ_4K), 0);
	iommu_detach_group(d, nic->dev.iommu_group);
	iommu_domain_free(d);
	__free_page(page);
}

/* A 32-bit device: its domain refuses IOVA it could not emit. */
static void iommu_dma_32bit_device(struct kunit *test)
{
	struct iommu_domain *d;
	struct pci_dev *sata;
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	dma_addr_t iova;
	u32 word = 7;

	KUNIT_ASSERT_NOT_NULL(test, page);
	d = attach_new_domain(test, "sata", &sata);
	KUNIT_EXPECT_EQ(test, iommu_map(d, 4 * GiB, page_to_phys(page), SZ_4K,
					RW, GFP_KERNEL), -ERANGE);
	/* A page above 4 GiB, at an IOVA below: now the device reaches it. */
	KUNIT_ASSERT_EQ(test, iova_alloc(&d->iovad, SZ_4K, sata->dev.dma_mask,
					 &iova), 0);
	KUNIT_EXPECT_LT(test, iova, 4 * GiB);
	KUNIT_ASSERT_EQ(test, iommu_map(d, iova, page_to_phys(page), SZ_4K, RW,
					GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, sim_dma_write(sata->dev.rid, iova, &word, 4), 0);
	KUNIT_EXPECT_EQ(test, *(u32 *)page_address(page), 7U);
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, iova, SZ_4K), 0);
	KUNIT_EXPECT_EQ(test, iova_free(&d->iovad, iova, SZ_4K), 0);
	__free_page(page);
}

static struct kunit_case iommu_dma_cases[] = {
	KUNIT_CASE(iommu_dma_ram_roundtrip),
	KUNIT_CASE(iommu_dma_into_bar),
	KUNIT_CASE(iommu_dma_faults),
	KUNIT_CASE(iommu_dma_identity_default),
	KUNIT_CASE(iommu_dma_shared_group),
	KUNIT_CASE(iommu_dma_32bit_device),
	{}
};

static struct kunit_suite iommu_dma_suite = {
	.name = "iommu_dma",
	.suite_init = iommu_dma_suite_init,
	.suite_exit = iommu_dma_suite_exit,
	.exit = iommu_dma_exit,
	.test_cases = iommu_dma_cases,
};

/* ---- a machine booted with DMA default domains ----------------------- */

static int iommu_dma_default_suite_init(struct kunit_suite *suite
					__always_unused)
{
	int ret = iommu_set_default_domain_type(IOMMU_DOMAIN_DMA);

	if (!ret)
		ret = machine_boot(NULL);
	if (ret)
		iommu_set_default_domain_type(IOMMU_DOMAIN_IDENTITY);
	return ret;
}

static void iommu_dma_default_suite_exit(struct kunit_suite *suite
					 __always_unused)
{
	machine_shutdown();
	iommu_set_default_domain_type(IOMMU_DOMAIN_IDENTITY);
}

static void iommu_default_dma_domains(struct kunit *test)
{
	struct pci_dev *gpu1 = pci_test_dev(test, "gpu1");
	struct pci_dev *nic = pci_test_dev(test, "nic");
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	struct iommu_domain *d;
	dma_addr_t iova;
	u32 word = 0xabcd;

	KUNIT_ASSERT_NOT_NULL(test, page);
	d = iommu_get_domain_for_dev(&gpu1->dev);
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_EXPECT_STREQ(test, iommu_domain_type_name(d), "dma");
	KUNIT_EXPECT_PTR_EQ(test, iommu_get_default_domain(&gpu1->dev), d);
	KUNIT_EXPECT_PTR_NE(test, iommu_get_domain_for_dev(&nic->dev), d);

	/* Physical addresses no longer pass. */
	KUNIT_EXPECT_EQ(test, sim_dma_write(gpu1->dev.rid, page_to_phys(page),
					    &word, 4), -EFAULT);
	KUNIT_EXPECT_EQ(test, iommu_poll_faults(), 1U);

	KUNIT_ASSERT_EQ(test, iova_alloc(&d->iovad, SZ_4K, gpu1->dev.dma_mask,
					 &iova), 0);
	KUNIT_ASSERT_EQ(test, iommu_map(d, iova, page_to_phys(page), SZ_4K, RW,
					GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, sim_dma_write(gpu1->dev.rid, iova, &word, 4), 0);
	KUNIT_EXPECT_EQ(test, *(u32 *)page_address(page), 0xabcdU);
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, iova, SZ_4K), 0);
	KUNIT_EXPECT_EQ(test, iova_free(&d->iovad, iova, SZ_4K), 0);
	/* The domain outlives the case: give back its cached IOVA nodes. */
	iova_flush_rcache(&d->iovad);
	__free_page(page);
}

static struct kunit_case iommu_dma_default_cases[] = {
	KUNIT_CASE(iommu_default_dma_domains),
	{}
};

static struct kunit_suite iommu_dma_default_suite = {
	.name = "iommu_dma_default",
	.suite_init = iommu_dma_default_suite_init,
	.suite_exit = iommu_dma_default_suite_exit,
	.exit = iommu_dma_exit,
	.test_cases = iommu_dma_default_cases,
};

kunit_test_suites(&iommu_dma_suite, &iommu_dma_default_suite);
