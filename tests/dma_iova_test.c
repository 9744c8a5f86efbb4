// SPDX-License-Identifier: GPL-2.0
/*
 * The two-step IOVA API, end to end on DMA default domains: allocate
 * IOVA, link ranges without a flush, one flush for all of them, bytes
 * through the result, unlink, free; upstream's rules for unaligned links;
 * allocation failure at every step; the sanitizer on misuse; and the
 * fallback (try_alloc fails) on a device without translation.
 */
#include "tests/dma_test.h"
#include "tests/iommu_hw_walk.h"

/*
 * Links into the IOVA @st of @dev were refused: none mapped anything (the
 * domain maps the @m0 bytes it mapped before), only the IOVA itself is
 * live, and freeing it gives all of it back.
 */
static void dma_iova_expect_nothing_linked(struct kunit *test,
					   struct device *dev,
					   struct dma_iova_state *st, u64 m0)
{
	struct iommu_domain *d = iommu_get_domain_for_dev(dev);

	KUNIT_EXPECT_EQ(test, dma_test_mapped(d), m0);
	KUNIT_EXPECT_EQ(test, dma_debug_nr_live(dev), 1);	/* the IOVA */
	dma_iova_free(dev, st);
	KUNIT_EXPECT_EQ(test, iova_allocated_bytes(&d->iovad), 0);
}

/* Three scattered pages linked one by one: no flush until the sync. */
static void dma_iova_link_pages(struct kunit *test)
{
	struct device *dev = dma_test_dev(test, "gpu1");
	struct iommu_domain *d = iommu_get_domain_for_dev(dev);
	struct dma_iova_state st;
	struct dma_test_buf *b;
	u64 f0, len = 3 * SZ_4K;
	u8 *src, *dst;
	int i;

	b = dma_test_buf(test, len, MM_LAYOUT_PAGE_4K, GFP_KERNEL, 41);
	src = dma_test_cpu_fill(test, &b->list, 1);
	dst = dma_test_alloc(test, len);

	KUNIT_ASSERT_TRUE(test, dma_iova_try_alloc(dev, &st,
			page_to_phys(b->mb->pages[0]), len));
	KUNIT_EXPECT_TRUE(test, dma_use_iova(&st));
	KUNIT_EXPECT_EQ(test, st.addr & (SZ_4K - 1), 0);
	f0 = dma_test_flushes(d);
	for (i = 0; i < 3; i++)
		KUNIT_ASSERT_EQ(test, dma_iova_link(dev, &st,
				page_to_phys(b->mb->pages[i]), i * SZ_4K, SZ_4K,
				DMA_BIDIRECTIONAL, 0), 0);
	KUNIT_EXPECT_EQ(test, dma_test_flushes(d), f0);
	KUNIT_EXPECT_EQ(test, dma_iova_sync(dev, &st, 0, len), 0);
	KUNIT_EXPECT_EQ(test, dma_test_flushes(d), f0 + 1);

	/* One contiguous IOVA range over three scattered pages. */
	KUNIT_EXPECT_EQ(test, sim_dma_read(dev->rid, st.addr, dst, len), 0);
	KUNIT_EXPECT_MEMEQ(test, dst, src, len);
	dma_test_fill(src, len, 2);
	KUNIT_EXPECT_EQ(test, sim_dma_write(dev->rid, st.addr, src, len), 0);
	KUNIT_EXPECT_EQ(test, dma_test_cpu_list_io(&b->list, dst, false), 0);
	KUNIT_EXPECT_MEMEQ(test, dst, src, len);

	/* Unlink two links at once: one flush; then the rest. */
	dma_iova_unlink(dev, &st, 0, 2 * SZ_4K, DMA_BIDIRECTIONAL, 0);
	KUNIT_EXPECT_EQ(test, dma_test_flushes(d), f0 + 2);
	KUNIT_EXPECT_EQ(test, sim_dma_read(dev->rid, st.addr, dst, 16), -EFAULT);
	dma_test_expect_reports(test, DMA_DEBUG_ACCESS_UNMAPPED, 1, NULL);
	dma_iova_unlink(dev, &st, 2 * SZ_4K, SZ_4K, DMA_BIDIRECTIONAL, 0);
	dma_iova_free(dev, &st);
	KUNIT_EXPECT_FALSE(test, dma_use_iova(&st));
	KUNIT_EXPECT_EQ(test, iova_allocated_bytes(&d->iovad), 0);
}

/* A whole list in one link; destroy is one unmap and one flush. */
static void dma_iova_link_list(struct kunit *test)
{
	struct device *dev = dma_test_dev(test, "gpu1");
	struct iommu_domain *d = iommu_get_domain_for_dev(dev);
	struct dma_iova_state st;
	struct physr_view v;
	struct dma_test_buf *b;
	u64 f0, m0, len = SZ_256K;
	u8 *src, *dst;

	b = dma_test_buf(test, len, MM_LAYOUT_PAGE_4K, GFP_KERNEL, 42);
	src = dma_test_cpu_fill(test, &b->list, 3);
	dst = dma_test_alloc(test, len);
	KUNIT_ASSERT_EQ(test, physr_list_slice(&b->list, 0, len, &v), 0);

	m0 = dma_test_mapped(d);
	KUNIT_ASSERT_TRUE(test, dma_iova_try_alloc(dev, &st, 0, len));
	f0 = dma_test_flushes(d);
	KUNIT_ASSERT_EQ(test, dma_iova_link_physr(dev, &st, &v, 0,
						  DMA_TO_DEVICE, 0), 0);
	KUNIT_EXPECT_EQ(test, dma_test_flushes(d), f0);
	KUNIT_EXPECT_EQ(test, dma_iova_sync(dev, &st, 0, len), 0);
	KUNIT_EXPECT_EQ(test, dma_test_flushes(d), f0 + 1);
	KUNIT_EXPECT_EQ(test, dma_test_mapped(d) - m0, len);
	KUNIT_EXPECT_EQ(test, sim_dma_read(dev->rid, st.addr, dst, len), 0);
	KUNIT_EXPECT_MEMEQ(test, dst, src, len);

	dma_iova_destroy(dev, &st, len, DMA_TO_DEVICE, 0);
	KUNIT_EXPECT_EQ(test, dma_test_flushes(d), f0 + 2);
	KUNIT_EXPECT_EQ(test, dma_test_mapped(d), m0);
	KUNIT_EXPECT_EQ(test, iova_allocated_bytes(&d->iovad), 0);
}

/* Upstream's rules for where a link may start. */
static void dma_iova_alignment(struct kunit *test)
{
	struct device *dev = dma_test_dev(test, "gpu1");
	struct dma_iova_state st;
	struct dma_test_buf *b;
	phys_addr_t p0, p1;
	u8 src[64], dst[64];

	b = dma_test_buf(test, 2 * SZ_4K, MM_LAYOUT_PAGE_4K, GFP_KERNEL, 43);
	p0 = page_to_phys(b->mb->pages[0]);
	p1 = page_to_phys(b->mb->pages[1]);

	KUNIT_ASSERT_TRUE(test, dma_iova_try_alloc(dev, &st, p0 + 0x100,
						   2 * SZ_4K - 0x100));
	KUNIT_EXPECT_EQ(test, st.addr & (SZ_4K - 1), 0x100);
	/* Only the first link may start inside a page. */
	KUNIT_EXPECT_EQ(test, dma_iova_link(dev, &st, p1 + 0x100, SZ_4K - 0x100,
					    0x100, DMA_TO_DEVICE, 0), -EIO);
	KUNIT_ASSERT_EQ(test, dma_iova_link(dev, &st, p0 + 0x100, 0,
					    SZ_4K - 0x100, DMA_TO_DEVICE, 0), 0);
	/* The next link's IOVA must then be page aligned. */
	KUNIT_EXPECT_EQ(test, dma_iova_link(dev, &st, p1, SZ_4K, SZ_4K - 0x100,
					    DMA_TO_DEVICE, 0), -EINVAL);
	KUNIT_ASSERT_EQ(test, dma_iova_link(dev, &st, p1, SZ_4K - 0x100, SZ_4K,
					    DMA_TO_DEVICE, 0), 0);
	/* Out of the allocation; linked twice. */
	KUNIT_EXPECT_EQ(test, dma_iova_link(dev, &st, p1, 2 * SZ_4K - 0x100,
					    SZ_4K, DMA_TO_DEVICE, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, dma_iova_link(dev, &st, p1, SZ_4K - 0x100, SZ_4K,
					    DMA_TO_DEVICE, 0), -EEXIST);
	KUNIT_EXPECT_EQ(test, dma_iova_sync(dev, &st, 0, 2 * SZ_4K - 0x100), 0);

	/* The bytes across the page boundary are where they belong. */
	dma_test_fill(src, sizeof(src), 4);
	KUNIT_ASSERT_EQ(test, sim_cpu_write(p0 + SZ_4K - 32, src, 32), 0);
	KUNIT_ASSERT_EQ(test, sim_cpu_write(p1, src + 32, 32), 0);
	KUNIT_EXPECT_EQ(test, sim_dma_read(dev->rid,
			st.addr + SZ_4K - 0x100 - 32, dst, 64), 0);
	KUNIT_EXPECT_MEMEQ(test, dst, src, 64);
	dma_iova_destroy(dev, &st, 2 * SZ_4K - 0x100, DMA_TO_DEVICE, 0);
}

struct dma_iova_fail {
	struct device *dev;
	struct iommu_domain *domain;
	struct dma_iova_state st;
	struct physr_view view;
	u64 len;
	u64 mapped;
};

static int dma_iova_fail_op(void *arg)
{
	struct dma_iova_fail *c = arg;
	int ret;

	if (!dma_iova_try_alloc(c->dev, &c->st, 0, c->len))
		return -ENOMEM;
	ret = dma_iova_link_physr(c->dev, &c->st, &c->view, 0,
				  DMA_BIDIRECTIONAL, 0);
	if (ret) {
		dma_iova_free(c->dev, &c->st);
		return ret;
	}
	return dma_iova_sync(c->dev, &c->st, 0, c->len);
}

static bool dma_iova_fail_check(struct kunit *test, void *arg)
{
	struct dma_iova_fail *c = arg;

	dma_test_expect_unwound(test, c->dev, c->domain, c->mapped);
	return !dma_use_iova(&c->st);
}

/*
 * Fail each allocation of @op in turn, on @c: GPU1 and a view of all of a
 * new buffer of @len bytes in @layout, which is returned.
 */
static struct dma_test_buf *dma_iova_fail_each_alloc(struct kunit *test,
						     struct dma_iova_fail *c,
						     int (*op)(void *arg),
						     u64 len,
						     enum mm_layout layout,
						     u64 seed)
{
	struct dma_test_buf *b;

	c->dev = dma_test_dev(test, "gpu1");
	c->domain = iommu_get_domain_for_dev(c->dev);
	c->len = len;
	c->mapped = dma_test_mapped(c->domain);
	b = dma_test_buf(test, len, layout, GFP_KERNEL, seed);
	KUNIT_ASSERT_EQ(test, physr_list_slice(&b->list, 0, len, &c->view), 0);
	KUNIT_EXPECT_GT(test, kunit_fail_nth_check(test, op,
						   dma_iova_fail_check, c), 0);
	return b;
}

static void dma_iova_fail_nth(struct kunit *test)
{
	struct dma_iova_fail c;

	dma_iova_fail_each_alloc(test, &c, dma_iova_fail_op, SZ_2M,
				 MM_LAYOUT_PAGE_4K, 44);
	dma_iova_destroy(c.dev, &c.st, c.len, DMA_BIDIRECTIONAL, 0);
}

/* Every allocation of a single dma_iova_link() fails in turn. */
static int dma_iova_fail_link_op(void *arg)
{
	struct dma_iova_fail *c = arg;
	struct physr first;
	struct physr_iter it;
	int ret;

	physr_iter_init_view(&it, &c->view);
	if (!physr_iter_next(&it, &first))
		return -EINVAL;
	if (!dma_iova_try_alloc(c->dev, &c->st, first.addr, c->len))
		return -ENOMEM;
	ret = dma_iova_link(c->dev, &c->st, first.addr, 0, c->len,
			    DMA_TO_DEVICE, 0);
	if (ret) {
		dma_iova_free(c->dev, &c->st);
		return ret;
	}
	return dma_iova_sync(c->dev, &c->st, 0, c->len);
}

static void dma_iova_fail_nth_link(struct kunit *test)
{
	struct dma_iova_fail c;
	struct dma_test_buf *b;
	u8 *src, *dst;

	/* One range, shorter than a 2 MiB leaf: page tables of 4 KiB PTEs. */
	b = dma_iova_fail_each_alloc(test, &c, dma_iova_fail_link_op, SZ_1M,
				     MM_LAYOUT_CONTIG, 46);
	KUNIT_ASSERT_EQ(test, physr_list_nr_ranges(&b->list), 1);
	KUNIT_EXPECT_EQ(test, dma_test_mapped(c.domain) - c.mapped, c.len);

	src = dma_test_cpu_fill(test, &b->list, 47);
	dst = dma_test_alloc(test, c.len);
	KUNIT_EXPECT_EQ(test, sim_dma_read(c.dev->rid, c.st.addr, dst, c.len),
			0);
	KUNIT_EXPECT_MEMEQ(test, dst, src, c.len);
	dma_iova_destroy(c.dev, &c.st, c.len, DMA_TO_DEVICE, 0);
}

/*
 * P2P memory in dma_iova_link_physr(): GPU1 reaches GPU0's BAR through
 * the host bridge, so it links like RAM; the NIC reaches it by bus
 * address, which never goes into an IOVA; off the allowlist GPU1 may not
 * reach it at all.  A refused view links nothing, its RAM neither.
 */
static void dma_iova_p2p(struct kunit *test)
{
	struct p2pdma_provider *p = dma_test_p2p_provider(test, 2);
	struct device *gpu1 = dma_test_dev(test, "gpu1");
	struct device *nic = dma_test_dev(test, "nic");
	struct iommu_domain *dg = iommu_get_domain_for_dev(gpu1);
	struct iommu_domain *dn = iommu_get_domain_for_dev(nic);
	struct physr_list *bar = dma_test_list(test);
	struct physr_list *mixed;
	struct dma_iova_state st;
	struct physr_view vb, vm;
	u64 m0, len = 2 * SZ_4K;
	u8 src[SZ_4K], dst[SZ_4K];

	KUNIT_ASSERT_EQ(test, physr_list_append_p2p(bar, p, p->base + SZ_4M,
						    len, GFP_KERNEL), 0);
	mixed = dma_test_ram_p2p_list(test, p, SZ_4M, len, 48);
	KUNIT_ASSERT_EQ(test, physr_list_slice(bar, 0, len, &vb), 0);
	KUNIT_ASSERT_EQ(test, physr_list_slice(mixed, 0, SZ_4K + len, &vm), 0);

	/* Through the host bridge: linked, and bytes reach the BAR. */
	KUNIT_ASSERT_TRUE(test, dma_iova_try_alloc(gpu1, &st, p->base + SZ_4M,
						   len));
	KUNIT_ASSERT_EQ(test, dma_iova_link_physr(gpu1, &st, &vb, 0,
						  DMA_FROM_DEVICE, 0), 0);
	KUNIT_ASSERT_EQ(test, dma_iova_sync(gpu1, &st, 0, len), 0);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(dg, st.addr), p->base + SZ_4M);
	dma_test_fill(src, sizeof(src), 49);
	KUNIT_EXPECT_EQ(test, sim_dma_write(gpu1->rid, st.addr + SZ_4K, src,
					    sizeof(src)), 0);
	KUNIT_EXPECT_EQ(test, sim_cpu_read(p->base + SZ_4M + SZ_4K, dst,
					   sizeof(dst)), 0);
	KUNIT_EXPECT_MEMEQ(test, dst, src, sizeof(src));
	dma_iova_destroy(gpu1, &st, len, DMA_FROM_DEVICE, 0);

	/* By bus address: refused, alone or after RAM; nothing linked. */
	m0 = dma_test_mapped(dn);
	KUNIT_ASSERT_TRUE(test, dma_iova_try_alloc(nic, &st, 0, SZ_4K + len));
	KUNIT_EXPECT_EQ(test, dma_iova_link_physr(nic, &st, &vb, 0,
						  DMA_TO_DEVICE, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, dma_iova_link_physr(nic, &st, &vm, 0,
						  DMA_TO_DEVICE, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, dma_test_mapped(dn), m0);
	KUNIT_EXPECT_EQ(test, dma_debug_nr_live(nic), 1);	/* the IOVA */
	dma_iova_free(nic, &st);

	/* Off the allowlist: not reachable at all. */
	dma_test_hb_untrust(test);
	m0 = dma_test_mapped(dg);
	KUNIT_ASSERT_TRUE(test, dma_iova_try_alloc(gpu1, &st, 0, SZ_4K + len));
	KUNIT_EXPECT_EQ(test, dma_iova_link_physr(gpu1, &st, &vm, 0,
						  DMA_TO_DEVICE, 0), -EREMOTEIO);
	dma_iova_expect_nothing_linked(test, gpu1, &st, m0);
}

/* Arguments the IOVA API refuses, each before it maps anything. */
static void dma_iova_bad_args(struct kunit *test)
{
	struct device *dev = dma_test_dev(test, "gpu1");
	struct iommu_domain *d = iommu_get_domain_for_dev(dev);
	struct physr_list *list = dma_test_list(test);
	struct dma_iova_state st;
	struct physr_view v, empty;
	struct dma_test_buf *b;
	phys_addr_t p0, p1;
	u64 m0 = dma_test_mapped(d);

	b = dma_test_buf(test, 2 * SZ_4K, MM_LAYOUT_PAGE_4K, GFP_KERNEL, 50);
	p0 = page_to_phys(b->mb->pages[0]);
	p1 = page_to_phys(b->mb->pages[1]);

	KUNIT_EXPECT_FALSE(test, dma_iova_try_alloc(dev, &st, p0, 0));
	KUNIT_EXPECT_FALSE(test, dma_use_iova(&st));
	KUNIT_ASSERT_TRUE(test, dma_iova_try_alloc(dev, &st, p0, 2 * SZ_4K));

	/* No direction, a made-up one, no bytes. */
	KUNIT_EXPECT_EQ(test, dma_iova_link(dev, &st, p0, 0, SZ_4K, DMA_NONE,
					    0), -EINVAL);
	KUNIT_EXPECT_EQ(test, dma_iova_link(dev, &st, p0, 0, SZ_4K, 7, 0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, dma_iova_link(dev, &st, p0, 0, 0, DMA_TO_DEVICE,
					    0), -EINVAL);
	KUNIT_EXPECT_EQ(test, dma_iova_link(dev, &st, p0, 0, SZ_4K,
					    DMA_TO_DEVICE, 1UL << 30), -EINVAL);
	KUNIT_EXPECT_EQ(test, dma_iova_sync(dev, &st, 0, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, dma_iova_sync(dev, &st, SZ_4K, 2 * SZ_4K),
			-EINVAL);

	/* A view: none, empty, no direction. */
	KUNIT_ASSERT_EQ(test, physr_list_slice(&b->list, 0, 2 * SZ_4K, &v), 0);
	memset(&empty, 0, sizeof(empty));
	KUNIT_EXPECT_EQ(test, dma_iova_link_physr(dev, &st, NULL, 0,
						  DMA_TO_DEVICE, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, dma_iova_link_physr(dev, &st, &empty, 0,
						  DMA_TO_DEVICE, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, dma_iova_link_physr(dev, &st, &v, 0, DMA_NONE, 0),
			-EINVAL);

	/* An inner boundary inside a page: the end of the first range. */
	KUNIT_ASSERT_EQ(test, physr_list_append(list, p0, SZ_2K,
						GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(list, p1, SZ_4K,
						GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_slice(list, 0, SZ_2K + SZ_4K, &v), 0);
	KUNIT_EXPECT_EQ(test, dma_iova_link_physr(dev, &st, &v, 0,
						  DMA_TO_DEVICE, 0), -EINVAL);
	/* And the start of the second. */
	physr_list_destroy(list);
	KUNIT_ASSERT_EQ(test, physr_list_append(list, p0, SZ_4K,
						GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(list, p1 + SZ_2K, SZ_2K,
						GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_slice(list, 0, SZ_4K + SZ_2K, &v), 0);
	KUNIT_EXPECT_EQ(test, dma_iova_link_physr(dev, &st, &v, 0,
						  DMA_TO_DEVICE, 0), -EINVAL);
	dma_iova_expect_nothing_linked(test, dev, &st, m0);
}

/*
 * A link made in a function of its own, for a report to name it.
 * noinline: inlined, the link's caller would be the test; the barrier
 * keeps the call from becoming a tail call, which returns to the test.
 */
static noinline int dma_iova_link_elsewhere(struct device *dev,
					    struct dma_iova_state *st,
					    phys_addr_t phys, size_t offset)
{
	int ret = dma_iova_link(dev, st, phys, offset, SZ_4K, DMA_TO_DEVICE,
				0);

	barrier();
	return ret;
}

/* The sanitizer on IOVA misuse, with the callers. */
static void dma_iova_misuse(struct kunit *test)
{
	struct device *dev = dma_test_dev(test, "gpu1");
	struct iommu_domain *d = iommu_get_domain_for_dev(dev);
	struct dma_iova_state st, none = { 0 };
	struct dma_debug_report rep;
	struct dma_test_buf *b;
	phys_addr_t p0, p1;
	dma_addr_t addr;

	b = dma_test_buf(test, 2 * SZ_4K, MM_LAYOUT_PAGE_4K, GFP_KERNEL, 45);
	p0 = page_to_phys(b->mb->pages[0]);
	p1 = page_to_phys(b->mb->pages[1]);
	KUNIT_ASSERT_TRUE(test, dma_iova_try_alloc(dev, &st, p0, 4 * SZ_4K));
	KUNIT_ASSERT_EQ(test, dma_iova_link(dev, &st, p0, 0, SZ_4K,
					    DMA_TO_DEVICE, 0), 0);
	KUNIT_ASSERT_EQ(test, dma_iova_link_elsewhere(dev, &st, p1, SZ_4K), 0);
	KUNIT_EXPECT_EQ(test, dma_iova_sync(dev, &st, 0, 2 * SZ_4K), 0);

	/* Unlink of what nothing linked: reported, skipped. */
	dma_iova_unlink(dev, &st, 2 * SZ_4K, SZ_4K, DMA_TO_DEVICE, 0);
	dma_test_expect_reports(test, DMA_DEBUG_NOT_MAPPED, 1, &rep);
	dma_test_expect_caller(test, rep.caller, "dma_iova_misuse");
	/* Half a link: reported, skipped. */
	dma_iova_unlink(dev, &st, 0, SZ_2K, DMA_TO_DEVICE, 0);
	dma_test_expect_reports(test, DMA_DEBUG_MISMATCH, 1, NULL);
	/* The wrong direction: reported, done. */
	dma_iova_unlink(dev, &st, SZ_4K, SZ_4K, DMA_FROM_DEVICE, 0);
	dma_test_expect_reports(test, DMA_DEBUG_MISMATCH, 1, &rep);
	/* The report names the link's maker: the second link's. */
	dma_test_expect_caller(test, rep.site, "dma_iova_link_elsewhere");
	dma_test_expect_caller(test, rep.caller, "dma_iova_misuse");
	/* Destroy saying less than what is linked: reported. */
	KUNIT_ASSERT_EQ(test, dma_iova_link(dev, &st, p1, SZ_4K, SZ_4K,
					    DMA_TO_DEVICE, 0), 0);
	addr = st.addr;
	kunit_expect_warn(test, 1);	/* and what it left is unmapped */
	dma_iova_destroy(dev, &st, SZ_4K, DMA_TO_DEVICE, 0);
	dma_test_expect_reports(test, DMA_DEBUG_MISMATCH, 1, NULL);
	/* Nothing of it is left mapped (dma_iova_misuse_unmaps). */
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(d, addr + SZ_4K), 0);

	/* Free with a link still live: reported. */
	KUNIT_ASSERT_TRUE(test, dma_iova_try_alloc(dev, &st, p0, SZ_4K));
	KUNIT_ASSERT_EQ(test, dma_iova_link(dev, &st, p0, 0, SZ_4K,
					    DMA_TO_DEVICE, 0), 0);
	addr = st.addr;
	kunit_expect_warn(test, 1);
	dma_iova_free(dev, &st);
	dma_test_expect_reports(test, DMA_DEBUG_MISMATCH, 1, NULL);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(d, addr), 0);

	/* A link into a state that holds nothing. */
	KUNIT_EXPECT_EQ(test, dma_iova_link(dev, &none, p0, 0, SZ_4K,
					    DMA_TO_DEVICE, 0), -EINVAL);
	dma_test_expect_reports(test, DMA_DEBUG_NOT_MAPPED, 0, NULL);
}

/* ---- misuse leaves no translation ---------------------------------------- */

/*
 * What a misused IOVA state must leave behind once freed: no leaf of the
 * page table the unit walks (read from RAM, as the hardware does) maps
 * any of [@base, @base + @span), the device faults there, and the
 * domain holds the page-table pages and bytes it held before (@st0).
 */
static void dma_iova_expect_untranslated(struct kunit *test,
					 struct device *dev, dma_addr_t base,
					 u64 span,
					 const struct iommu_domain_stats *st0)
{
	struct iommu_domain *d = iommu_get_domain_for_dev(dev);
	struct iommu_domain_stats st;
	struct hw_walk *w;
	unsigned int i;
	dma_addr_t pos;
	u8 buf[16];

	KUNIT_ASSERT_EQ(test, dev->iommu_unit, 0);
	w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	hw_walk(test, dev->rid, w);
	for (i = 0; i < w->nr; i++) {
		u64 size = SIM_IOMMU_LEVEL_SIZE(w->leaf[i].level);

		KUNIT_EXPECT_TRUE_MSG(test, w->leaf[i].iova + size <= base ||
				      w->leaf[i].iova >= base + span,
				      "leaf at %#llx maps freed IOVA",
				      (unsigned long long)w->leaf[i].iova);
	}
	for (pos = base; pos < base + span; pos += SZ_4K)
		KUNIT_EXPECT_EQ(test, sim_dma_read(dev->rid, pos, buf,
						   sizeof(buf)), -EFAULT);
	iommu_poll_faults();
	dma_test_expect_reports(test, DMA_DEBUG_ACCESS_UNMAPPED,
				dma_debug_enabled() ? span / SZ_4K : 0, NULL);
	iommu_domain_get_stats(d, &st);
	KUNIT_EXPECT_EQ(test, st.table_pages, st0->table_pages);
	KUNIT_EXPECT_EQ(test, st.mapped_bytes, st0->mapped_bytes);
	KUNIT_EXPECT_EQ(test, iova_allocated_bytes(&d->iovad), 0);
}

/* The block comes back from the cache, and links into it map fine. */
static void dma_iova_expect_reusable(struct kunit *test, struct device *dev,
				     phys_addr_t p0, dma_addr_t addr, u64 size)
{
	struct dma_iova_state st;
	u8 buf[16];

	KUNIT_ASSERT_TRUE(test, dma_iova_try_alloc(dev, &st, p0, size));
	KUNIT_EXPECT_EQ(test, st.addr, addr);
	KUNIT_ASSERT_EQ(test, dma_iova_link(dev, &st, p0, 0, size,
					    DMA_TO_DEVICE, 0), 0);
	KUNIT_EXPECT_EQ(test, dma_iova_sync(dev, &st, 0, size), 0);
	KUNIT_EXPECT_EQ(test, sim_dma_read(dev->rid, st.addr + size - SZ_4K,
					   buf, sizeof(buf)), 0);
	dma_iova_destroy(dev, &st, size, DMA_TO_DEVICE, 0);
}

/*
 * dma_iova_free() with links live, dma_iova_destroy() with a mapped_len
 * short of the links or over a hole: a WARN (and a sanitizer report),
 * and whatever is still mapped in the IOVA is unmapped before the IOVA
 * is freed.
 */
static void dma_iova_misuse_unmaps(struct kunit *test)
{
	struct device *dev = dma_test_dev(test, "gpu1");
	struct iommu_domain *d = iommu_get_domain_for_dev(dev);
	unsigned long n = dma_debug_enabled() ? 1 : 0;
	struct iommu_domain_stats st0;
	struct dma_iova_state st;
	struct dma_test_buf *b;
	const u64 size = 4 * SZ_4K;
	phys_addr_t p[4];
	dma_addr_t addr;
	int i, round;

	b = dma_test_buf(test, size, MM_LAYOUT_PAGE_4K, GFP_KERNEL, 47);
	for (i = 0; i < 4; i++)
		p[i] = page_to_phys(b->mb->pages[i]);
	iommu_domain_get_stats(d, &st0);

	for (round = 0; round < 3; round++) {
		KUNIT_ASSERT_TRUE(test, dma_iova_try_alloc(dev, &st, p[0],
							   size));
		addr = st.addr;
		/* Pages 0, 1 and 3: a hole at 2. */
		KUNIT_ASSERT_EQ(test, dma_iova_link(dev, &st, p[0], 0,
				2 * SZ_4K, DMA_TO_DEVICE, 0), 0);
		KUNIT_ASSERT_EQ(test, dma_iova_link(dev, &st, p[3],
				3 * SZ_4K, SZ_4K, DMA_TO_DEVICE, 0), 0);
		KUNIT_EXPECT_EQ(test, dma_iova_sync(dev, &st, 0, size), 0);
		kunit_expect_warn(test, 1);	/* sanitizer on or off */
		switch (round) {
		case 0:
			dma_iova_free(dev, &st);
			break;
		case 1:		/* short: page 3 beyond it */
			dma_iova_destroy(dev, &st, 2 * SZ_4K, DMA_TO_DEVICE, 0);
			break;
		default:	/* over the hole */
			dma_iova_destroy(dev, &st, size, DMA_TO_DEVICE, 0);
			break;
		}
		dma_test_expect_reports(test, DMA_DEBUG_MISMATCH, n, NULL);
		KUNIT_EXPECT_FALSE(test, dma_use_iova(&st));
		dma_iova_expect_untranslated(test, dev, addr, size, &st0);
		dma_iova_expect_reusable(test, dev, p[0], addr, size);
		dma_test_flush_iova_caches();
	}
}

/* A range not inside its provider is never linked (as in dma_p2p). */
static void dma_iova_p2p_outside_provider(struct kunit *test)
{
	struct p2pdma_provider *p = dma_test_p2p_provider(test, 2);
	struct device *gpu1 = dma_test_dev(test, "gpu1");
	struct iommu_domain *d = iommu_get_domain_for_dev(gpu1);
	struct physr_list *l = dma_test_list(test);
	struct dma_iova_state st;
	struct dma_test_buf *b;
	struct physr_view v;
	phys_addr_t ram;
	u64 m0 = dma_test_mapped(d);

	b = dma_test_buf(test, SZ_4K, MM_LAYOUT_PAGE_4K, GFP_KERNEL, 82);
	ram = page_to_phys(b->mb->pages[0]);
	dma_test_append_forged(test, l, p, ram, SZ_4K);
	KUNIT_ASSERT_EQ(test, physr_list_slice(l, 0, SZ_4K, &v), 0);
	KUNIT_ASSERT_TRUE(test, dma_iova_try_alloc(gpu1, &st, ram, SZ_4K));
	KUNIT_EXPECT_EQ(test, dma_iova_link_physr(gpu1, &st, &v, 0,
						  DMA_TO_DEVICE, 0), -EINVAL);
	dma_test_expect_reports(test, DMA_DEBUG_P2P_RANGE, 1, NULL);
	dma_iova_expect_nothing_linked(test, gpu1, &st, m0);
}

static struct kunit_case dma_iova_cases[] = {
	KUNIT_CASE(dma_iova_link_pages),
	KUNIT_CASE(dma_iova_link_list),
	KUNIT_CASE(dma_iova_alignment),
	KUNIT_CASE(dma_iova_fail_nth),
	KUNIT_CASE(dma_iova_fail_nth_link),
	KUNIT_CASE(dma_iova_p2p),
	KUNIT_CASE(dma_iova_p2p_outside_provider),
	KUNIT_CASE(dma_iova_bad_args),
	KUNIT_CASE(dma_iova_misuse),
	KUNIT_CASE(dma_iova_misuse_unmaps),
	{}
};

DEFINE_DMA_TEST_SUITE(dma_iova_suite, "dma_iova", dma_test_suite_init_dma,
		      dma_iova_cases);

/* ---- no translation: the caller falls back ------------------------------- */

static void dma_iova_fallback(struct kunit *test)
{
	struct device *dev = dma_test_dev(test, "gpu1");
	struct dma_iova_state st;

	KUNIT_EXPECT_FALSE(test, dma_iova_try_alloc(dev, &st, 0, SZ_64K));
	KUNIT_EXPECT_FALSE(test, dma_use_iova(&st));
	KUNIT_EXPECT_EQ(test, dma_iova_link(dev, &st, 0, 0, SZ_4K,
					    DMA_TO_DEVICE, 0), -EINVAL);
}

static struct kunit_case dma_iova_bypass_cases[] = {
	KUNIT_CASE(dma_iova_fallback),
	{}
};

DEFINE_DMA_TEST_SUITE(dma_iova_bypass_suite, "dma_iova_bypass",
		      dma_test_suite_init_identity, dma_iova_bypass_cases);

/* ---- the sanitizer off: misuse is cleaned up all the same ---------------- */

static int dma_iova_nodebug_suite_init(struct kunit_suite *suite)
{
	int ret;

	dma_debug_set_enabled(false);
	ret = dma_test_suite_init_dma(suite);
	dma_debug_set_enabled(true);
	return ret;
}

static struct kunit_case dma_iova_nodebug_cases[] = {
	KUNIT_CASE(dma_iova_misuse_unmaps),
	{}
};

DEFINE_DMA_TEST_SUITE(dma_iova_nodebug_suite, "dma_iova_nodebug",
		      dma_iova_nodebug_suite_init, dma_iova_nodebug_cases);

kunit_test_suites(&dma_iova_suite, &dma_iova_bypass_suite,
		  &dma_iova_nodebug_suite);
