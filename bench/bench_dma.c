// SPDX-License-Identifier: GPL-2.0
/*
 * Bench cases: the DMA API, a range list against a scatterlist, from the
 * page array a driver holds after pinning to a mapped buffer and back.
 *
 *   dma-map/iommu/4k  1 GiB of 4 KiB pages, no two adjacent, for gpu1
 *                     behind the IOMMU (DMA default domains)
 *   dma-map/iommu/2m  1 GiB of scattered 2 MiB folios, the same
 *   dma-map/direct/4k 1 GiB of 4 KiB pages for gpu1 without translation
 *                     (identity domains: the direct path)
 *   dma-map/4dev/4k   1 GiB of 4 KiB pages for nic, gpu0, gpu1 and sata
 *                     at once (DMA domains)
 *
 * Timed, per run: build the list from the page array, map it for each
 * device, unmap, free.  Ours: physr_list_from_pages(), dma_map_physr(),
 * dma_unmap_physr(), physr_list_destroy().  Baseline: what a driver does
 * with a scatterlist, one table per device since a table maps once:
 * sg_alloc_table_from_pages_segment() (the kernel's lib/scatterlist.c),
 * dma_map_sgtable(), dma_unmap_sgtable(), sg_free_table().  Its DMA
 * paths are written after Linux 6.12, their loops over the table run in
 * the kernel's compilation unit (bench/sgshim/sg_glue.c):
 *
 *   IOMMU   iommu_dma_map_sg(): the pass that aligns entries and sums the
 *           IOVA length, the IOVA allocation (our allocator, as ours
 *           does), iommu_map_sg() (each physically contiguous run mapped
 *           by __iommu_map(): page sizes by iommu_pgsize(), one map_pages
 *           call of the driver per piece, each walking the page table from
 *           the root) and one iotlb_sync_map(),
 *           then __finalise_sg(); unmap is iommu_dma_unmap_sg(): the
 *           search for the IOVA range, one iommu_unmap() (ours, as on our
 *           side: not upstream's __iommu_dma_unmap()), the IOVA freed.
 *   direct  dma_direct_map_sg() (DMA address = physical, checked against
 *           the mask) and dma_direct_unmap_sg() (the swiotlb check per
 *           entry).
 *
 * Configurations: each case also runs as <case>/pgmap, with a device
 * pagemap on the machine (bench/bench.h) and the baseline's passes built as
 * with CONFIG_PCI_P2PDMA=y (is_pci_p2pdma_page() per entry); the plain case
 * has no pagemap and the baseline as Debian's config, where the test
 * compiles away.  Our side is the same code in both: it tests the list,
 * which knows whether it holds P2P ranges, not each page.
 *
 * Both sides run with the DMA sanitizer off (machine rebooted for these
 * cases) on a coherent device, with the PCI default segment limits (64
 * KiB segments, 4 GiB boundary).  map_ns and baseline_map_ns (wall
 * clock), map_cpu_ns and baseline_map_cpu_ns (thread CPU time) are the
 * medians of map + unmap alone, with the list and the tables built
 * beforehand (untimed), measured in a second interleaved series.
 *
 * Memory (exact): "bytes" is what our side holds while mapped: the range
 * list, every DMA list's own storage, and each struct dma_map_state (the
 * caller's, counted anyway); "baseline_bytes" is the heap of the sg
 * tables, from the allocation counters as in the build/ cases.  Page-table pages
 * and IOVA are the same on both sides and counted in neither.
 */
#include <stdio.h>

#include <linux/dma-debug.h>
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/fault-inject.h>
#include <linux/iommu.h>
#include <linux/iova.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mm_layout.h>
#include <linux/pci.h>
#include <linux/physr.h>
#include <linux/slab.h>
#include <linux/swiotlb.h>

#include "arch/sim/boot.h"
#include "bench/bench.h"
#include "bench/sg_baseline.h"
#include "drivers/iommu/iommu-priv.h"

#define BENCH_DMA_SEED		0x6a09e667f3bcc909ULL
#define BENCH_DMA_MAX_DEVS	4

struct dma_bctx {
	struct mm_buffer *buf;
	struct device *dev[BENCH_DMA_MAX_DEVS];
	unsigned int nr_devs;
	bool iommu;
	bool p2pdma;
	struct physr_list list;
	struct dma_map_state st[BENCH_DMA_MAX_DEVS];
	struct sgb_table sgt[BENCH_DMA_MAX_DEVS];
	u64 sg_iova_len[BENCH_DMA_MAX_DEVS];
	dma_addr_t sg_iova[BENCH_DMA_MAX_DEVS];
	phys_addr_t tlb_start, tlb_end;
	int ret;
};

static void bench_dma_fail(struct dma_bctx *c, int ret)
{
	if (ret && !c->ret)
		c->ret = ret;
}

/* ---- ours ---------------------------------------------------------------- */

static void ours_map_unmap(struct dma_bctx *c)
{
	unsigned int i;

	for (i = 0; i < c->nr_devs; i++)
		bench_dma_fail(c, dma_map_physr(c->dev[i], &c->list,
						DMA_BIDIRECTIONAL, 0, &c->st[i]));
	for (i = 0; i < c->nr_devs; i++)
		if (dma_map_state_mapped(&c->st[i]))
			dma_unmap_physr(c->dev[i], &c->st[i], DMA_BIDIRECTIONAL,
					0);
}

static void ours_full(void *arg)
{
	struct dma_bctx *c = arg;

	bench_dma_fail(c, physr_list_from_pages(&c->list, c->buf->pages,
						c->buf->nr_pages, 0,
						c->buf->size, GFP_KERNEL));
	ours_map_unmap(c);
	physr_list_destroy(&c->list);
}

static void ours_map_only(void *arg)
{
	ours_map_unmap(arg);
}

/* ---- the baseline ---------------------------------------------------------- */

/* iommu_map_sg()'s walk: where the run goes and how far it got. */
struct sg_map_walk {
	struct iommu_domain *domain;
	dma_addr_t iova;
	u64 mapped;
};

/* iommu_map_sg()'s call of __iommu_map() for one run of entries. */
static int sg_map_run(void *arg, u64 offset, phys_addr_t phys, u64 len)
{
	struct sg_map_walk *w = arg;
	int ret;

	ret = __iommu_map_nosync(w->domain, w->iova + offset, phys, len,
				 IOMMU_READ | IOMMU_WRITE, GFP_ATOMIC);
	if (!ret)
		w->mapped = offset + len;
	return ret;
}

/**
 * bench_sg_iommu_map() - the baseline's iommu_dma_map_sg() of a table
 * @dev: the device, in a DMA domain
 * @t: the table (all orig_nents entries are mapped)
 * @p2pdma: built as with CONFIG_PCI_P2PDMA=y (a P2P test per entry)
 * @iova: receives the IOVA range's start
 * @iova_len: receives its length, for bench_sg_iommu_unmap()
 *
 * Written after Linux 6.12 (this file's head comment says how).
 *
 * Return: 0, or a negative errno with nothing left mapped.
 */
int bench_sg_iommu_map(struct device *dev, struct sgb_table *t, bool p2pdma,
		       dma_addr_t *iova, u64 *iova_len)
{
	struct iommu_domain *d = iommu_get_default_domain(dev);
	unsigned int nents = sgb_nents(t);
	struct sg_map_walk w = { .domain = d };
	long long len, mapped;
	int ret, count;

	len = p2pdma ?
	      sgb_iommu_dma_prepare_p2pdma(t, nents, dma_get_seg_boundary(dev)) :
	      sgb_iommu_dma_prepare(t, nents, dma_get_seg_boundary(dev));
	if (len < 0)
		return len;
	ret = iova_alloc(&d->iovad, len,
			 min_t(u64, dma_get_mask(dev), d->dma_limit), iova);
	if (ret)
		return ret;
	*iova_len = len;

	w.iova = *iova;
	iommu_domain_lock(d);
	mapped = sgb_iommu_map_walk(t, nents, sg_map_run, &w);
	iommu_domain_unlock(d);
	if (mapped < len) {
		/* iommu_map_sg()'s out_err, then the IOVA freed. */
		if (w.mapped)
			iommu_unmap(d, *iova, w.mapped);
		iova_free(&d->iovad, *iova, len);
		return mapped < 0 ? mapped : -EIO;
	}
	__iommu_sync_map(d, *iova, len);
	count = sgb_iommu_dma_finalise(t, nents, *iova,
				       dma_get_max_seg_size(dev),
				       dma_get_seg_boundary(dev));
	sgb_set_dma_nents(t, count);
	return 0;
}

/**
 * bench_sg_iommu_unmap() - the baseline's iommu_dma_unmap_sg() of a table
 * @dev: the device
 * @t: a table bench_sg_iommu_map() mapped
 * @iova_len: the length it returned
 *
 * Return: 0, or a negative errno from the unmap or the IOVA free.
 */
int bench_sg_iommu_unmap(struct device *dev, struct sgb_table *t,
			 u64 iova_len)
{
	struct iommu_domain *d = iommu_get_default_domain(dev);
	dma_addr_t start;
	u64 len, off;
	int ret;

	len = sgb_iommu_dma_unmap_range(t, sgb_nents(t), &start);
	off = start & (PAGE_SIZE - 1);
	ret = iommu_unmap(d, start - off, ALIGN(len + off, PAGE_SIZE));
	if (!ret)
		ret = iova_free(&d->iovad, start - off, iova_len);
	return ret;
}

/* iommu_dma_map_sg() for table @i. */
static int sg_iommu_map(struct dma_bctx *c, unsigned int i)
{
	return bench_sg_iommu_map(c->dev[i], &c->sgt[i], c->p2pdma,
				  &c->sg_iova[i], &c->sg_iova_len[i]);
}

/* iommu_dma_unmap_sg() for table @i. */
static int sg_iommu_unmap(struct dma_bctx *c, unsigned int i)
{
	return bench_sg_iommu_unmap(c->dev[i], &c->sgt[i], c->sg_iova_len[i]);
}

static void sg_map_unmap(struct dma_bctx *c)
{
	unsigned int i;

	for (i = 0; i < c->nr_devs; i++) {
		struct sgb_table *t = &c->sgt[i];

		if (c->iommu) {
			bench_dma_fail(c, sg_iommu_map(c, i));
		} else {
			u64 mask = dma_get_mask(c->dev[i]);
			int n = c->p2pdma ?
				sgb_direct_map_p2pdma(t, sgb_nents(t), mask) :
				sgb_direct_map(t, sgb_nents(t), mask);

			if (n < 0)
				bench_dma_fail(c, n);
			else
				sgb_set_dma_nents(t, n);
		}
	}
	for (i = 0; i < c->nr_devs; i++) {
		struct sgb_table *t = &c->sgt[i];

		if (c->iommu)
			bench_dma_fail(c, sg_iommu_unmap(c, i));
		else if (sgb_direct_unmap(t, sgb_nents(t), c->tlb_start,
					  c->tlb_end))
			bench_dma_fail(c, -EIO);
	}
}

static int sg_build(struct dma_bctx *c, unsigned int i)
{
	return sgb_from_pages(&c->sgt[i], c->buf->pages, c->buf->nr_pages, 0,
			      c->buf->size);
}

static void sg_full(void *arg)
{
	struct dma_bctx *c = arg;
	unsigned int i;

	for (i = 0; i < c->nr_devs; i++)
		bench_dma_fail(c, sg_build(c, i));
	sg_map_unmap(c);
	for (i = 0; i < c->nr_devs; i++)
		sgb_free(&c->sgt[i]);
}

static void sg_map_only(void *arg)
{
	sg_map_unmap(arg);
}

/* ---- the cases --------------------------------------------------------------- */

static u64 live_bytes(void)
{
	struct alloc_stats st;

	alloc_stats_get(&st);
	return st.live_bytes;
}

/**
 * bench_dma_boot() - reboot for the DMA cases
 * @cfg: the case's configuration (with or without a device pagemap)
 * @type: the default domain type (IOMMU_DOMAIN_DMA or _IDENTITY)
 *
 * The sanitizer is off, as in production, on both sides of a case.
 * bench_dma_restore() goes back to the other cases' machine.
 *
 * Return: 0, or bench_machine_boot()'s negative errno.
 */
int bench_dma_boot(const struct bench_config *cfg, unsigned int type)
{
	machine_shutdown();
	dma_debug_set_enabled(false);
	iommu_set_default_domain_type(type);
	return bench_machine_boot(cfg);
}

/**
 * bench_dma_restore() - back to the machine the other cases run on
 * @cfg: the case's configuration
 */
void bench_dma_restore(const struct bench_config *cfg)
{
	machine_shutdown();
	iommu_set_default_domain_type(IOMMU_DOMAIN_IDENTITY);
	dma_debug_set_enabled(true);
	if (bench_machine_boot(cfg))
		fprintf(stderr, "physr bench: cannot boot the machine again\n");
}

/* Build and map both sides once, untimed: what each holds, and checks. */
static int bench_dma_measure(struct dma_bctx *c, struct bench_result *res)
{
	u64 before, ours = 0, theirs, segs = 0;
	unsigned int i;
	int ret;

	ret = physr_list_from_pages(&c->list, c->buf->pages, c->buf->nr_pages,
				    0, c->buf->size, GFP_KERNEL);
	if (ret)
		return ret;
	for (i = 0; i < c->nr_devs; i++) {
		ret = dma_map_physr(c->dev[i], &c->list, DMA_BIDIRECTIONAL, 0,
				    &c->st[i]);
		if (ret)
			goto out_unmap;
		ours += dma_list_heap_bytes(&c->st[i].dma) + sizeof(c->st[i]);
		segs += dma_list_nr_ranges(&c->st[i].dma);
	}
	ours += physr_list_heap_bytes(&c->list);

	before = live_bytes();
	for (i = 0; i < c->nr_devs; i++) {
		ret = sg_build(c, i);
		if (ret)
			goto out_free_sg;
	}
	theirs = live_bytes() - before;

	bench_counter(res, "bytes", ours);
	bench_counter(res, "baseline_bytes", theirs);
	bench_counter(res, "ranges", physr_list_nr_ranges(&c->list));
	bench_counter(res, "dma_segments", segs);
	bench_counter(res, "state_bytes", sizeof(struct dma_map_state));

out_free_sg:
	while (i--)
		sgb_free(&c->sgt[i]);
	i = c->nr_devs;
out_unmap:
	while (i--)
		if (dma_map_state_mapped(&c->st[i]))
			dma_unmap_physr(c->dev[i], &c->st[i], DMA_BIDIRECTIONAL,
					0);
	physr_list_destroy(&c->list);
	return ret;
}

static int bench_dma(const struct bench_config *cfg, struct bench_result *res,
		     enum mm_layout layout, bool iommu,
		     const char *const *names, unsigned int nr_devs)
{
	struct bench_result map_only = { .name = res->name };
	struct dma_bctx *c;
	struct swiotlb_stats ts;
	struct bench_op ours, theirs;
	unsigned int i;
	int ret;

	ret = bench_dma_boot(cfg, iommu ? IOMMU_DOMAIN_DMA :
					  IOMMU_DOMAIN_IDENTITY);
	if (ret)
		goto out_restore;
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c) {
		ret = -ENOMEM;
		goto out_restore;
	}
	c->iommu = iommu;
	c->p2pdma = cfg->pgmap;
	c->nr_devs = nr_devs;
	for (i = 0; i < nr_devs; i++) {
		struct pci_dev *pdev = pci_get_by_name(names[i]);

		if (!pdev) {
			ret = -ENODEV;
			goto out_free_ctx;
		}
		c->dev[i] = &pdev->dev;
	}
	swiotlb_get_stats(&ts);
	c->tlb_start = ts.start;
	c->tlb_end = ts.start + ts.size;
	c->buf = mm_buffer_alloc(cfg->bytes, layout, BENCH_DMA_SEED, GFP_KERNEL);
	if (IS_ERR(c->buf)) {
		ret = PTR_ERR(c->buf);
		goto out_free_ctx;
	}
	ret = bench_dma_measure(c, res);
	if (ret)
		goto out_free_buf;

	res->baseline = iommu ? "sg_alloc_table_from_pages+iommu_dma_map_sg" :
				"sg_alloc_table_from_pages+dma_direct_map_sg";
	res->baseline_how = iommu ?
		"lib/scatterlist.c for the table; iommu_dma_map_sg()/iommu_dma_unmap_sg() written after Linux 6.12 (bench/bench_dma.c); timed: build, map, unmap, free" :
		"lib/scatterlist.c for the table; dma_direct_map_sg()/dma_direct_unmap_sg() written after Linux 6.12 (bench/bench_dma.c); timed: build, map, unmap, free";

	/* The whole path, from the page array. */
	ours = (struct bench_op){ ours_full, NULL, c };
	theirs = (struct bench_op){ sg_full, NULL, c };
	bench_time(cfg, res, &ours, &theirs);

	/* Map + unmap alone, list and tables built beforehand. */
	ret = physr_list_from_pages(&c->list, c->buf->pages, c->buf->nr_pages,
				    0, c->buf->size, GFP_KERNEL);
	for (i = 0; i < nr_devs && !ret; i++)
		ret = sg_build(c, i);
	if (!ret) {
		ours = (struct bench_op){ ours_map_only, NULL, c };
		theirs = (struct bench_op){ sg_map_only, NULL, c };
		bench_time(cfg, &map_only, &ours, &theirs);
		bench_counter(res, "map_ns", map_only.median_ns);
		bench_counter(res, "baseline_map_ns",
			      map_only.baseline_median_ns);
		bench_counter(res, "map_cpu_ns", map_only.cpu_ns);
		bench_counter(res, "baseline_map_cpu_ns",
			      map_only.baseline_cpu_ns);
	}
	while (i--)
		sgb_free(&c->sgt[i]);
	physr_list_destroy(&c->list);
	if (!ret)
		ret = c->ret;

out_free_buf:
	mm_buffer_free(c->buf);
out_free_ctx:
	for (i = 0; i < nr_devs; i++)
		if (c->dev[i])
			pci_dev_put(to_pci_dev(c->dev[i]));
	kfree(c);
out_restore:
	bench_dma_restore(cfg);
	return ret;
}

static const char *const bench_dma_one[] = { "gpu1" };
/* The four importers of dma-map/4dev/4k, also dmabuf-map/4dev/4k's. */
const char *const bench_dma_four[BENCH_DMA_NR_FOUR] = {
	"nic", "gpu0", "gpu1", "sata"
};

static int bench_dma_iommu_4k(const struct bench_config *cfg,
			      struct bench_result *res)
{
	return bench_dma(cfg, res, MM_LAYOUT_PAGE_4K, true, bench_dma_one, 1);
}

static int bench_dma_iommu_2m(const struct bench_config *cfg,
			      struct bench_result *res)
{
	return bench_dma(cfg, res, MM_LAYOUT_FOLIO_2M, true, bench_dma_one, 1);
}

static int bench_dma_direct_4k(const struct bench_config *cfg,
			       struct bench_result *res)
{
	return bench_dma(cfg, res, MM_LAYOUT_PAGE_4K, false, bench_dma_one, 1);
}

static int bench_dma_4dev_4k(const struct bench_config *cfg,
			     struct bench_result *res)
{
	return bench_dma(cfg, res, MM_LAYOUT_PAGE_4K, true, bench_dma_four, 4);
}

const struct bench_case bench_dma_cases[] = {
	{ "dma-map/iommu/4k", bench_dma_iommu_4k, 0 },
	{ "dma-map/iommu/4k/pgmap", bench_dma_iommu_4k, BENCH_PGMAP },
	{ "dma-map/iommu/2m", bench_dma_iommu_2m, 0 },
	{ "dma-map/iommu/2m/pgmap", bench_dma_iommu_2m, BENCH_PGMAP },
	{ "dma-map/direct/4k", bench_dma_direct_4k, 0 },
	{ "dma-map/direct/4k/pgmap", bench_dma_direct_4k, BENCH_PGMAP },
	{ "dma-map/4dev/4k", bench_dma_4dev_4k, 0 },
	{ "dma-map/4dev/4k/pgmap", bench_dma_4dev_4k, BENCH_PGMAP },
	{ NULL, NULL, 0 },
};
