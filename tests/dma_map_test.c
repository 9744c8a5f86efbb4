// SPDX-License-Identifier: GPL-2.0
/*
 * dma_map_physr() end to end on the IOMMU path and the direct path:
 * device limits, the DMA list, bytes in every direction through the
 * machine's DMA engine, segment splitting, errors and unwinding.
 *
 *  - dma_map_iommu: the default board booted with DMA default domains,
 *    so every device maps through the IOMMU;
 *  - dma_map_bypass: the default board with identity domains (the
 *    IOMMU passes physical addresses through);
 *  - dma_map_direct: the default board without IOMMU units.
 *
 * gpu1 is alone in its group behind its root port; sata has 32 address
 * bits.  Every case also checks that the DMA sanitizer made exactly the
 * reports the case expected (none, mostly).
 */
#include "tests/dma_test.h"

#define SZ_1G_ULL	(1ULL << 30)

static const enum dma_data_direction dma_dirs[] = {
	DMA_TO_DEVICE, DMA_FROM_DEVICE, DMA_BIDIRECTIONAL,
};

static void dma_dir_desc(const enum dma_data_direction *dir, char *desc)
{
	static const char * const names[] = {
		[DMA_BIDIRECTIONAL] = "bidirectional",
		[DMA_TO_DEVICE] = "to_device",
		[DMA_FROM_DEVICE] = "from_device",
	};

	strscpy(desc, names[*dir], KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(dma_dirs, dma_dirs, dma_dir_desc);

/*
 * Move bytes both ways through a mapping of @b for @dev with @dir:
 * TO_DEVICE: the device reads what the CPU wrote; FROM_DEVICE: the CPU
 * reads, after unmap, what the device wrote; BIDIRECTIONAL: both, the
 * device writing back after reading.  A transfer the direction forbids
 * must not happen (checked separately).  Unmaps.
 */
static void dma_roundtrip(struct kunit *test, struct device *dev,
			  struct dma_test_buf *b, enum dma_data_direction dir,
			  struct dma_map_state *st)
{
	u64 len = physr_list_len(&b->list);
	u8 *src = dma_test_alloc(test, len);
	u8 *dst = dma_test_alloc(test, len);

	dma_test_fill(src, len, 3);
	KUNIT_ASSERT_EQ(test, dma_test_cpu_list_io(&b->list, src, true), 0);
	KUNIT_ASSERT_EQ(test, dma_map_physr(dev, &b->list, dir, 0, st), 0);
	KUNIT_EXPECT_EQ(test, dma_list_len(&st->dma), len);

	if (dir != DMA_FROM_DEVICE) {
		memset(dst, 0, len);
		KUNIT_EXPECT_EQ(test, dma_test_dev_io(dev, &st->dma, dst, false),
				0);
		KUNIT_EXPECT_MEMEQ(test, dst, src, len);
	}
	if (dir != DMA_TO_DEVICE) {
		dma_test_fill(src, len, 77);
		KUNIT_EXPECT_EQ(test, dma_test_dev_io(dev, &st->dma, src, true),
				0);
	}
	dma_unmap_physr(dev, st, dir, 0);
	KUNIT_EXPECT_FALSE(test, dma_map_state_mapped(st));

	KUNIT_ASSERT_EQ(test, dma_test_cpu_list_io(&b->list, dst, false), 0);
	KUNIT_EXPECT_MEMEQ(test, dst, src, len);
}

/*
 * Check the segments of @dl: each at most @max_seg bytes, none crossing
 * a multiple of @mask + 1, each as long as those two rules and its range
 * allow (so there are as few as possible), and @nr of them.
 */
static void dma_check_segments(struct kunit *test, const struct dma_list *dl,
			       u64 max_seg, u64 mask, u64 nr)
{
	struct dma_list_iter di;
	struct dma_range r, prev = { 0 };
	u64 n = 0, total = 0;

	KUNIT_EXPECT_EQ(test, dma_list_nr_ranges(dl), nr);
	dma_list_for_each(dl, &di, &r) {
		u64 last = r.addr + r.len - 1;

		KUNIT_EXPECT_LE(test, r.len, max_seg);
		KUNIT_EXPECT_EQ_MSG(test, r.addr & ~mask, last & ~mask,
				    "segment %llu crosses a boundary", (unsigned long long)n);
		/* Cut short only by the boundary or the end of its range. */
		if (n && prev.addr + prev.len == r.addr)
			KUNIT_EXPECT_TRUE_MSG(test, prev.len == max_seg ||
					      (((prev.addr + prev.len) & mask) == 0),
					      "segment %llu too short",
					      (unsigned long long)(n - 1));
		prev = r;
		total += r.len;
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, dma_list_nr_ranges(dl));
	KUNIT_EXPECT_EQ(test, total, dma_list_len(dl));
}

/*
 * Map @list for @dev with segments of at most @max_seg bytes that cross
 * no multiple of @mask + 1: @dev's limits until the case ends.
 */
static void dma_map_seg_limited(struct kunit *test, struct device *dev,
				const struct physr_list *list,
				enum dma_data_direction dir,
				unsigned int max_seg, unsigned long mask,
				struct dma_map_state *st)
{
	dma_test_save_limits(test, dev);
	KUNIT_ASSERT_EQ(test, dma_set_max_seg_size(dev, max_seg), 0);
	KUNIT_ASSERT_EQ(test, dma_set_seg_boundary(dev, mask), 0);
	KUNIT_ASSERT_EQ(test, dma_map_physr(dev, list, dir, 0, st), 0);
}

/* ---- IOMMU path -------------------------------------------------------- */

static void dma_iommu_paths(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, dma_dev_path(dma_test_dev(test, "gpu1")),
			DMA_PATH_IOMMU);
	KUNIT_EXPECT_EQ(test, dma_dev_path(dma_test_dev(test, "sata")),
			DMA_PATH_IOMMU);
	KUNIT_EXPECT_STREQ(test, dma_path_name(DMA_PATH_IOMMU), "iommu");
	KUNIT_EXPECT_EQ(test, dma_dev_path(NULL), DMA_PATH_NONE);
}

/* 4 MiB of scattered pages: one IOVA range, bytes in every direction. */
static void dma_iommu_roundtrip(struct kunit *test)
{
	const enum dma_data_direction *dir = test->param_value;
	struct device *dev = dma_test_dev(test, "gpu1");
	struct iommu_domain *d = iommu_get_domain_for_dev(dev);
	struct dma_test_buf *b;
	struct dma_map_state st;
	struct dma_list_iter di;
	struct dma_range r;
	u64 f0, m0;
	u8 byte = 0;

	dma_test_save_limits(test, dev);
	KUNIT_ASSERT_EQ(test, dma_set_max_seg_size(dev, UINT_MAX), 0);
	b = dma_test_buf(test, SZ_4M, MM_LAYOUT_PAGE_4K, GFP_KERNEL, 11);
	KUNIT_ASSERT_EQ(test, physr_list_nr_ranges(&b->list), SZ_4M / SZ_4K);

	/* The mapping itself: one range, one IOTLB flush, no heap. */
	f0 = dma_test_flushes(d);
	m0 = dma_test_mapped(d);
	KUNIT_ASSERT_EQ(test, dma_map_physr(dev, &b->list, *dir, 0, &st), 0);
	KUNIT_EXPECT_EQ(test, dma_test_flushes(d) - f0, 1);
	KUNIT_EXPECT_EQ(test, dma_test_mapped(d) - m0, (u64)SZ_4M);
	KUNIT_EXPECT_EQ(test, dma_list_nr_ranges(&st.dma), 1);
	KUNIT_EXPECT_EQ(test, dma_list_heap_bytes(&st.dma), 0);
	dma_list_for_each(&st.dma, &di, &r) {
		KUNIT_EXPECT_EQ(test, r.len, (u64)SZ_4M);
		KUNIT_EXPECT_EQ(test, r.addr & (SZ_4M - 1), 0);	/* size aligned */
		KUNIT_EXPECT_LE(test, r.addr + r.len - 1, dev->dma_mask);
	}

	/* The IOMMU enforces the direction: the other access faults. */
	if (*dir == DMA_TO_DEVICE) {
		KUNIT_EXPECT_EQ(test, sim_dma_write(dev->rid,
				dma_list_first_addr(&st.dma), &byte, 1), -EFAULT);
		dma_test_expect_reports(test, DMA_DEBUG_ACCESS_DIRECTION, 1,
					NULL);
	} else if (*dir == DMA_FROM_DEVICE) {
		KUNIT_EXPECT_EQ(test, sim_dma_read(dev->rid,
				dma_list_first_addr(&st.dma), &byte, 1), -EFAULT);
		dma_test_expect_reports(test, DMA_DEBUG_ACCESS_DIRECTION, 1,
					NULL);
	}
	f0 = dma_test_flushes(d);
	m0 = dma_test_mapped(d);
	dma_unmap_physr(dev, &st, *dir, 0);
	KUNIT_EXPECT_EQ(test, dma_test_flushes(d) - f0, 1);
	KUNIT_EXPECT_EQ(test, m0 - dma_test_mapped(d), (u64)SZ_4M);
	KUNIT_EXPECT_EQ(test, iova_allocated_bytes(&d->iovad), 0);

	/* And with bytes. */
	dma_roundtrip(test, dev, b, *dir, &st);
}

/* After unmap the IOVA faults, and the sanitizer says where. */
static void dma_iommu_use_after_unmap(struct kunit *test)
{
	struct device *dev = dma_test_dev(test, "gpu1");
	struct dma_test_buf *b;
	struct dma_map_state st;
	dma_addr_t addr;
	u8 buf[64];

	b = dma_test_buf(test, SZ_64K, MM_LAYOUT_RANDOM_4K, GFP_KERNEL, 5);
	KUNIT_ASSERT_EQ(test, dma_map_physr(dev, &b->list, DMA_BIDIRECTIONAL,
					    0, &st), 0);
	addr = dma_list_first_addr(&st.dma);
	KUNIT_EXPECT_EQ(test, sim_dma_read(dev->rid, addr, buf, sizeof(buf)),
			0);
	dma_unmap_physr(dev, &st, DMA_BIDIRECTIONAL, 0);
	KUNIT_EXPECT_EQ(test, sim_dma_read(dev->rid, addr, buf, sizeof(buf)),
			-EFAULT);
	dma_test_expect_reports(test, DMA_DEBUG_ACCESS_UNMAPPED, 1, NULL);
}

/* Splits honour the max segment size and the boundary, exactly. */
static void dma_iommu_segments(struct kunit *test)
{
	struct device *dev = dma_test_dev(test, "gpu1");
	struct dma_test_buf *b;
	struct dma_map_state st;
	u8 *buf;

	b = dma_test_buf(test, SZ_1M + SZ_64K, MM_LAYOUT_CONTIG, GFP_KERNEL, 1);

	/* 12 KiB segments, 64 KiB boundary: both cut. */
	dma_map_seg_limited(test, dev, &b->list, DMA_TO_DEVICE, 3 * SZ_4K,
			    SZ_64K - 1, &st);
	/* 17 windows of 64 KiB, each cut 12+12+12+12+12+4: 6 segments. */
	dma_check_segments(test, &st.dma, 3 * SZ_4K, SZ_64K - 1, 17 * 6);
	buf = dma_test_alloc(test, SZ_1M + SZ_64K);
	KUNIT_EXPECT_EQ(test, dma_test_dev_io(dev, &st.dma, buf, false), 0);
	dma_unmap_physr(dev, &st, DMA_TO_DEVICE, 0);

	/* The default limits of a PCI device: 64 KiB segments, 4 GiB. */
	dev->max_segment_size = 65536;
	dev->seg_boundary_mask = 0xffffffff;
	KUNIT_ASSERT_EQ(test, dma_map_physr(dev, &b->list, DMA_TO_DEVICE, 0,
					    &st), 0);
	dma_check_segments(test, &st.dma, SZ_64K, 0xffffffff, 17);
	dma_unmap_physr(dev, &st, DMA_TO_DEVICE, 0);

	/* Limits the setters refuse. */
	KUNIT_EXPECT_EQ(test, dma_set_max_seg_size(dev, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, dma_set_seg_boundary(dev, 0x1234), -EINVAL);
	KUNIT_EXPECT_EQ(test, dma_set_seg_boundary(dev, 0x7ff), -EINVAL);
	KUNIT_EXPECT_EQ(test, dma_set_mask(dev, 0xffff), -EIO);
}

/*
 * A list whose inner boundaries are not all page aligned: runs in IOVA,
 * one DMA range per run, the bytes where they belong.
 */
static void dma_iommu_unaligned(struct kunit *test)
{
	struct device *dev = dma_test_dev(test, "gpu1");
	struct physr_list list = PHYSR_LIST_INIT;
	struct dma_test_buf *b;
	struct dma_map_state st;
	struct dma_list_iter di;
	struct dma_range r;
	phys_addr_t p[4];
	u64 len = 0, n = 0;
	u8 *src, *dst;
	int i;

	dma_test_save_limits(test, dev);
	KUNIT_ASSERT_EQ(test, dma_set_max_seg_size(dev, UINT_MAX), 0);
	b = dma_test_buf(test, 4 * SZ_4K, MM_LAYOUT_PAGE_4K, GFP_KERNEL, 2);
	for (i = 0; i < 4; i++)
		p[i] = page_to_phys(b->mb->pages[i]);
	/* run 1: [p0+100, end) [p1, end);  run 2: [p2+512, +1000); run 3: p3 */
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, p[0] + 100, 3996,
						GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, p[1], SZ_4K,
						GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, p[2] + 512, 1000,
						GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, p[3], SZ_4K,
						GFP_KERNEL), 0);
	len = physr_list_len(&list);

	src = dma_test_alloc(test, len);
	dst = dma_test_alloc(test, len);
	dma_test_fill(src, len, 9);
	KUNIT_ASSERT_EQ(test, dma_test_cpu_list_io(&list, src, true), 0);
	KUNIT_ASSERT_EQ(test, dma_map_physr(dev, &list, DMA_BIDIRECTIONAL, 0,
					    &st), 0);
	dma_list_for_each(&st.dma, &di, &r) {
		static const u64 lens[] = { 3996 + SZ_4K, 1000, SZ_4K };
		static const u64 offs[] = { 100, 512, 0 };

		if (n < 3) {
			KUNIT_EXPECT_EQ(test, r.len, lens[n]);
			KUNIT_EXPECT_EQ(test, r.addr & (SZ_4K - 1), offs[n]);
		}
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, 3);
	KUNIT_EXPECT_EQ(test, dma_test_dev_io(dev, &st.dma, dst, false), 0);
	KUNIT_EXPECT_MEMEQ(test, dst, src, len);
	dma_test_fill(src, len, 99);
	KUNIT_EXPECT_EQ(test, dma_test_dev_io(dev, &st.dma, src, true), 0);
	dma_unmap_physr(dev, &st, DMA_BIDIRECTIONAL, 0);
	KUNIT_EXPECT_EQ(test, dma_test_cpu_list_io(&list, dst, false), 0);
	KUNIT_EXPECT_MEMEQ(test, dst, src, len);
	physr_list_destroy(&list);
}

/*
 * Whatever the error, the state comes back unmapped: each call gets
 * storage full of garbage, as uninitialised storage would be.
 */
#define DMA_EXPECT_REFUSED(test, call, st, err) do {			\
	memset(&(st), 0xa5, sizeof(st));				\
	KUNIT_EXPECT_EQ(test, call, err);				\
	KUNIT_EXPECT_FALSE(test, dma_map_state_mapped(&(st)));		\
} while (0)

static void dma_iommu_errors(struct kunit *test)
{
	struct device *dev = dma_test_dev(test, "gpu1");
	struct physr_list empty = PHYSR_LIST_INIT;
	struct physr_view v;
	struct dma_test_buf *b;
	struct dma_map_state st;

	dma_test_save_limits(test, dev);
	b = dma_test_buf(test, SZ_64K, MM_LAYOUT_RANDOM_4K, GFP_KERNEL, 4);
	DMA_EXPECT_REFUSED(test, dma_map_physr(dev, &empty, DMA_TO_DEVICE, 0,
			   &st), st, -EINVAL);
	DMA_EXPECT_REFUSED(test, dma_map_physr(dev, NULL, DMA_TO_DEVICE, 0,
			   &st), st, -EINVAL);
	DMA_EXPECT_REFUSED(test, dma_map_physr(NULL, &b->list, DMA_TO_DEVICE,
			   0, &st), st, -EINVAL);
	DMA_EXPECT_REFUSED(test, dma_map_physr(dev, &b->list, DMA_NONE, 0,
			   &st), st, -EINVAL);
	DMA_EXPECT_REFUSED(test, dma_map_physr(dev, &b->list, 7, 0, &st), st,
			   -EINVAL);
	DMA_EXPECT_REFUSED(test, dma_map_physr(dev, &b->list, DMA_TO_DEVICE,
			   1UL << 30, &st), st, -EINVAL);
	KUNIT_EXPECT_EQ(test, dma_map_physr(dev, &b->list, DMA_TO_DEVICE, 0,
					    NULL), -EINVAL);

	/* Views: none, of no bytes, a bad direction. */
	DMA_EXPECT_REFUSED(test, dma_map_physr_view(dev, NULL, DMA_TO_DEVICE,
			   0, &st), st, -EINVAL);
	memset(&v, 0, sizeof(v));
	DMA_EXPECT_REFUSED(test, dma_map_physr_view(dev, &v, DMA_TO_DEVICE, 0,
			   &st), st, -EINVAL);
	KUNIT_ASSERT_EQ(test, physr_list_slice(&b->list, SZ_4K, SZ_8K, &v), 0);
	DMA_EXPECT_REFUSED(test, dma_map_physr_view(dev, &v, DMA_NONE, 0, &st),
			   st, -EINVAL);

	/* A device without a DMA mask cannot DMA. */
	dev->dma_mask = 0;
	DMA_EXPECT_REFUSED(test, dma_map_physr(dev, &b->list, DMA_TO_DEVICE, 0,
			   &st), st, -EIO);
	KUNIT_EXPECT_EQ(test, dma_debug_nr_live(dev), 0);
}

/*
 * IOVA space below a 32-bit mask cannot hold 5 GiB: -ENOMEM, and nothing
 * is left allocated or mapped.  The list describes RAM nobody owns;
 * mapping reads none of it.
 */
static void dma_iommu_iova_exhausted(struct kunit *test)
{
	struct device *sata = dma_test_dev(test, "sata");
	struct iommu_domain *d = iommu_get_domain_for_dev(sata);
	struct physr_list list = PHYSR_LIST_INIT;
	struct dma_map_state st;
	u64 m0;

	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 4 * SZ_1G_ULL,
						5 * SZ_1G_ULL, GFP_KERNEL), 0);
	m0 = dma_test_mapped(d);
	KUNIT_EXPECT_EQ(test, dma_map_physr(sata, &list, DMA_TO_DEVICE, 0, &st),
			-ENOMEM);
	KUNIT_EXPECT_EQ(test, dma_test_mapped(d), m0);
	KUNIT_EXPECT_EQ(test, iova_allocated_bytes(&d->iovad), 0);
	KUNIT_EXPECT_FALSE(test, dma_map_state_mapped(&st));
	physr_list_destroy(&list);
}

/* Every allocation of a map fails in turn: each failure unwinds whole. */
static void dma_iommu_fail_nth(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;
	struct dma_test_fail c;
	struct physr_view view;
	struct dma_test_buf *b;

	/* One run: the batched map. */
	b = dma_test_buf(test, SZ_2M, MM_LAYOUT_PAGE_4K, GFP_KERNEL, 8);
	dma_test_fail_init(&c, dma_test_dev(test, "gpu1"), &b->list);
	dma_test_fail_nth(test, &c, dma_test_fail_check);
	dma_unmap_physr(c.dev, &c.st, c.dir, 0);

	/* Runs, range by range, and a DMA list of its own. */
	KUNIT_ASSERT_EQ(test, physr_list_append(&list,
			page_to_phys(b->mb->pages[0]) + 8, 4000,
						GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list,
			page_to_phys(b->mb->pages[1]) + 8, 4000,
						GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list,
			page_to_phys(b->mb->pages[2]), SZ_4K, GFP_KERNEL), 0);
	c.list = &list;
	dma_test_fail_warm(test, &c);
	dma_test_fail_nth(test, &c, dma_test_fail_check);
	/* Both inner boundaries are inside pages: three runs. */
	KUNIT_EXPECT_EQ(test, dma_list_nr_ranges(&c.st.dma), 3);
	dma_unmap_physr(c.dev, &c.st, c.dir, 0);
	physr_list_destroy(&list);

	/* A view, trimmed inside its first and last pages: one run. */
	KUNIT_ASSERT_EQ(test, physr_list_slice(&b->list, SZ_4K + 100, SZ_1M,
					       &view), 0);
	c.list = NULL;
	c.view = &view;
	dma_test_fail_nth(test, &c, dma_test_fail_check);
	KUNIT_EXPECT_EQ(test, dma_list_len(&c.st.dma), SZ_1M);
	KUNIT_EXPECT_EQ(test, dma_list_first_addr(&c.st.dma) & (SZ_4K - 1),
			100);
	dma_unmap_physr(c.dev, &c.st, c.dir, 0);
}

/*
 * A map may be called where it may not sleep, so every allocation it
 * makes (IOVA, IO page-table pages, the DMA list's own storage) is
 * atomic: failing only the allocations that may not sleep fails each of
 * them in turn, as many rounds as failing every allocation does, and each
 * failure unwinds whole.
 */
static void dma_iommu_gfp_atomic(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;
	struct dma_test_fail c;
	struct dma_test_buf *b;
	int all, nowait;

	/* Three runs: a DMA list of its own. */
	b = dma_test_buf(test, SZ_16K, MM_LAYOUT_PAGE_4K, GFP_KERNEL, 9);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list,
			page_to_phys(b->mb->pages[0]) + 8, 4000,
			GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list,
			page_to_phys(b->mb->pages[1]) + 8, 4000,
			GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list,
			page_to_phys(b->mb->pages[2]), SZ_4K, GFP_KERNEL), 0);
	dma_test_fail_init(&c, dma_test_dev(test, "gpu1"), &list);
	dma_test_fail_warm(test, &c);

	all = kunit_fail_nth_check(test, dma_test_fail_map,
				   dma_test_fail_check, &c);
	KUNIT_EXPECT_GT(test, dma_list_heap_bytes(&c.st.dma), 0);
	dma_unmap_physr(c.dev, &c.st, c.dir, 0);
	nowait = kunit_fail_nth_nowait_check(test, dma_test_fail_map,
					     dma_test_fail_check, &c);
	dma_unmap_physr(c.dev, &c.st, c.dir, 0);
	KUNIT_EXPECT_GT(test, all, 0);
	KUNIT_EXPECT_EQ(test, nowait, all);
	physr_list_destroy(&list);
}

/* One list, three devices of one IOMMU (two of them in one group). */
static void dma_iommu_shared_list(struct kunit *test)
{
	static const char * const names[] = { "nic", "gpu0", "gpu1" };
	struct dma_test_shared sh = { .names = names, .n = ARRAY_SIZE(names) };

	dma_test_shared_map(test, &sh, SZ_256K, 6, 42);
	/* nic and gpu0 share a domain: two IOVA ranges in it. */
	KUNIT_EXPECT_NE(test, dma_list_first_addr(&sh.st[0].dma),
			dma_list_first_addr(&sh.st[1].dma));
	dma_test_shared_expect_reads(test, &sh);
	dma_test_shared_unmap(test, &sh);
}

static struct kunit_case dma_iommu_cases[] = {
	KUNIT_CASE(dma_iommu_paths),
	KUNIT_CASE_PARAM(dma_iommu_roundtrip, dma_dirs_gen_params),
	KUNIT_CASE(dma_iommu_use_after_unmap),
	KUNIT_CASE(dma_iommu_segments),
	KUNIT_CASE(dma_iommu_unaligned),
	KUNIT_CASE(dma_iommu_errors),
	KUNIT_CASE(dma_iommu_iova_exhausted),
	KUNIT_CASE(dma_iommu_fail_nth),
	KUNIT_CASE(dma_iommu_gfp_atomic),
	KUNIT_CASE(dma_iommu_shared_list),
	{}
};

DEFINE_DMA_TEST_SUITE(dma_iommu_suite, "dma_map_iommu",
		      dma_test_suite_init_dma, dma_iommu_cases);

/* ---- bypass (identity domains) ------------------------------------------ */

/* DMA address == physical address; the DMA list is the list itself. */
static void dma_bypass_roundtrip(struct kunit *test)
{
	const enum dma_data_direction *dir = test->param_value;
	struct device *dev = dma_test_dev(test, "gpu1");
	struct dma_test_buf *b;
	struct dma_map_state st;
	struct dma_list_iter di;
	struct physr_iter it;
	struct dma_range r;
	struct physr p;

	KUNIT_EXPECT_EQ(test, dma_dev_path(dev), DMA_PATH_BYPASS);
	b = dma_test_buf(test, SZ_1M, MM_LAYOUT_PAGE_4K, GFP_KERNEL, 12);
	KUNIT_ASSERT_EQ(test, dma_map_physr(dev, &b->list, *dir, 0, &st), 0);
	KUNIT_EXPECT_EQ(test, dma_list_heap_bytes(&st.dma), 0);
	KUNIT_EXPECT_EQ(test, dma_list_nr_ranges(&st.dma),
			physr_list_nr_ranges(&b->list));
	physr_iter_init(&it, &b->list);
	dma_list_for_each(&st.dma, &di, &r) {
		KUNIT_ASSERT_TRUE(test, physr_iter_next(&it, &p));
		KUNIT_EXPECT_EQ(test, r.addr, p.addr);
		KUNIT_EXPECT_EQ(test, r.len, p.len);
	}
	dma_unmap_physr(dev, &st, *dir, 0);
	dma_roundtrip(test, dev, b, *dir, &st);
}

/*
 * No IOMMU checks anything here: a device writing a mapping it may only
 * read, or memory it has no mapping of, succeeds on the machine; the
 * sanitizer reports both, naming the function that mapped.
 */
static void dma_bypass_sanitizer(struct kunit *test)
{
	struct device *dev = dma_test_dev(test, "gpu1");
	struct dma_debug_report rep;
	struct dma_test_buf *b, *other;
	struct dma_map_state st;
	u8 buf[128] = { 0 };

	b = dma_test_buf(test, SZ_64K, MM_LAYOUT_RANDOM_4K, GFP_KERNEL, 3);
	other = dma_test_buf(test, SZ_4K, MM_LAYOUT_CONTIG, GFP_KERNEL, 3);
	KUNIT_ASSERT_EQ(test, dma_map_physr(dev, &b->list, DMA_TO_DEVICE, 0,
					    &st), 0);
	KUNIT_EXPECT_EQ(test, sim_dma_read(dev->rid,
			dma_list_first_addr(&st.dma), buf, sizeof(buf)), 0);
	dma_debug_check();
	dma_test_expect_reports(test, DMA_DEBUG_ACCESS_DIRECTION, 0, NULL);

	KUNIT_EXPECT_EQ(test, sim_dma_write(dev->rid,
			dma_list_first_addr(&st.dma), buf, sizeof(buf)), 0);
	dma_test_expect_reports(test, DMA_DEBUG_ACCESS_DIRECTION, 1, &rep);
	KUNIT_EXPECT_PTR_EQ(test, rep.dev, dev);
	dma_test_expect_caller(test, rep.site, "dma_bypass_sanitizer");

	KUNIT_EXPECT_EQ(test, sim_dma_read(dev->rid,
			page_to_phys(other->mb->pages[0]), buf, sizeof(buf)), 0);
	dma_test_expect_reports(test, DMA_DEBUG_ACCESS_UNMAPPED, 1, NULL);
	dma_unmap_physr(dev, &st, DMA_TO_DEVICE, 0);
}

static void dma_bypass_segments(struct kunit *test)
{
	struct device *dev = dma_test_dev(test, "gpu1");
	struct dma_test_buf *b;
	struct dma_map_state st;

	b = dma_test_buf(test, SZ_2M, MM_LAYOUT_CONTIG, GFP_KERNEL, 1);
	dma_map_seg_limited(test, dev, &b->list, DMA_FROM_DEVICE, 5 * SZ_4K,
			    SZ_256K - 1, &st);
	/* 8 windows of 256 KiB, each 12 x 20 KiB + 16 KiB. */
	dma_check_segments(test, &st.dma, 5 * SZ_4K, SZ_256K - 1, 8 * 13);
	dma_unmap_physr(dev, &st, DMA_FROM_DEVICE, 0);
}

static struct kunit_case dma_bypass_cases[] = {
	KUNIT_CASE_PARAM(dma_bypass_roundtrip, dma_dirs_gen_params),
	KUNIT_CASE(dma_bypass_sanitizer),
	KUNIT_CASE(dma_bypass_segments),
	{}
};

DEFINE_DMA_TEST_SUITE(dma_bypass_suite, "dma_map_bypass",
		      dma_test_suite_init_identity, dma_bypass_cases);

/* ---- direct (no IOMMU at all) ------------------------------------------- */

static void dma_direct_roundtrip(struct kunit *test)
{
	const enum dma_data_direction *dir = test->param_value;
	struct device *dev = dma_test_dev(test, "gpu0");
	struct dma_test_buf *b;
	struct dma_map_state st;

	KUNIT_EXPECT_EQ(test, dma_dev_path(dev), DMA_PATH_DIRECT);
	b = dma_test_buf(test, SZ_1M, MM_LAYOUT_FOLIO_2M, GFP_KERNEL, 13);
	dma_roundtrip(test, dev, b, *dir, &st);
}

static struct kunit_case dma_direct_cases[] = {
	KUNIT_CASE_PARAM(dma_direct_roundtrip, dma_dirs_gen_params),
	{}
};

DEFINE_DMA_TEST_SUITE(dma_direct_suite, "dma_map_direct",
		      dma_test_suite_init_no_iommu, dma_direct_cases);

kunit_test_suites(&dma_iommu_suite, &dma_bypass_suite, &dma_direct_suite);
