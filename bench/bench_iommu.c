// SPDX-License-Identifier: GPL-2.0
/*
 * Bench cases: mapping a buffer through the IOMMU and unmapping it again,
 * a whole range list per call against the scatterlist-era path.
 *
 *   iommu-map/2m  1 GiB of 2 MiB folios, scattered (512 ranges)
 *   iommu-map/4k  1 GiB of 4 KiB pages, no two adjacent (262144 ranges)
 *
 * Ours: iommu_map_physr() of the buffer's range list at one IOVA, then
 * iommu_unmap_physr().
 *
 * The baseline is written after upstream's iommu_map_sg() (drivers/iommu/
 * iommu.c, Linux 6.12), the path dma_map_sgtable() takes through
 * dma-iommu: the buffer's sg_table (built by the kernel's own
 * lib/scatterlist.c, untimed, since a driver hands dma_map_sgtable() a
 * built table) is walked as iommu_map_sg() walks it, physically contiguous
 * entries joined (sgb_iommu_map_walk()); each run is mapped by
 * __iommu_map_nosync(), which is upstream's __iommu_map(): page sizes
 * chosen per call by iommu_pgsize(), one map_pages call of the driver per
 * piece (an indirect call, as upstream), each walking the page table from
 * the root; then one __iommu_sync_map() (upstream's iotlb_sync_map()).
 * Ours is one map_range call of the driver per list.  The unmap half is
 * ours on both sides, not upstream's __iommu_dma_unmap(): one
 * iommu_unmap() of the whole IOVA range, one unmap_pages call over leaves
 * of any size and one invalidation (docs/iommu.md lists how it differs).
 * dma-iommu's passes over the table before and after iommu_map_sg() (IOVA
 * alignment of entries, __finalise_sg()) are not counted.  Upstream's
 * io-pgtable is lockless; ours is not, so the baseline holds the domain's
 * lock across its whole walk and pays no lock per entry.
 *
 * Ablation, <case>/cached-walk: the baseline is the same iommu_map_sg()
 * loop, but each run is mapped through one walk cache kept for the whole
 * call (io_pgtable_sim_walk_map(): the tables the previous run went
 * through, leaf sizes by the iommu_pgsize() rule), the page-table walk
 * ours uses, instead of __iommu_map() walking from the root.  What is
 * left of the gain is what range lists give: no scatterlist to walk, and
 * leaves written in bulk straight from the packed list.
 *
 * Both sides map at the same IOVA of a paging domain attached to gpu1 (a
 * device alone in its IOMMU group), so every invalidation really reaches
 * the IOMMU unit.  Timed: map + unmap.  Ours, the baseline and the limit
 * below are timed in turn (as bench_time() does for two), so all three
 * meet the same caches and the same noise.
 *
 * Counters (exact, from iommu_domain_get_stats() around one untimed map +
 * unmap of each side):
 *   pte_writes, baseline_pte_writes   page-table entries written, map and
 *                                     unmap, table pointers included
 *   leaf_writes                       leaves our map wrote
 *   iotlb_invalidations, baseline_... invalidation commands sent to the
 *                                     unit for the map and the unmap
 *   limit_ns                          median CPU time to write pte_writes
 *                                     8-byte entries sequentially, one
 *                                     WRITE_ONCE() each, into pages from
 *                                     alloc_page() as the page table's
 *                                     are (allocated untimed)
 */

#include <linux/err.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/iommu.h>
#include <linux/iova.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mm_layout.h>
#include <linux/pci.h>
#include <linux/physr.h>
#include <linux/slab.h>

#include "bench/bench.h"
#include "bench/sg_baseline.h"
#include "drivers/iommu/io-pgtable-sim.h"
#include "drivers/iommu/iommu-priv.h"

#define BENCH_IOMMU_SEED	0x2545f4914f6cdd1dULL
#define BENCH_IOMMU_DEV		"gpu1"
#define BENCH_IOMMU_PROT	(IOMMU_READ | IOMMU_WRITE)

struct iommu_ctx {
	struct mm_buffer *buf;
	struct physr_list list;
	struct sgb_table sgt;
	struct iommu_domain *domain;
	struct pci_dev *pdev;
	dma_addr_t iova;
	u64 span;
	u64 sg_mapped;
	struct io_pgtable_sim_walk *walk;
	void (*baseline)(void *arg);
	int ret;

	/* the sequential-write limit */
	struct page **limit_pages;
	unsigned long limit_nr_pages;
	u64 limit_entries;
};

static void map_ours(void *arg)
{
	struct iommu_ctx *c = arg;
	int ret;

	ret = iommu_map_physr(c->domain, c->iova, &c->list, BENCH_IOMMU_PROT,
			      GFP_KERNEL);
	if (!ret)
		ret = iommu_unmap_physr(c->domain, c->iova, &c->list);
	if (ret)
		c->ret = ret;
}

/* iommu_map_sg()'s call of __iommu_map() for one run of entries. */
static int map_sg_run(void *arg, u64 offset, phys_addr_t phys, u64 len)
{
	struct iommu_ctx *c = arg;
	int ret;

	ret = __iommu_map_nosync(c->domain, c->iova + offset, phys, len,
				 BENCH_IOMMU_PROT, GFP_KERNEL);
	if (!ret)
		c->sg_mapped = offset + len;
	return ret;
}

/* The same, through the call's walk cache (<case>/cached-walk). */
static int map_sg_run_cached(void *arg, u64 offset, phys_addr_t phys, u64 len)
{
	struct iommu_ctx *c = arg;
	u64 mapped = 0;
	int ret;

	ret = io_pgtable_sim_walk_map(c->domain, c->walk, c->iova + offset,
				      phys, len, BENCH_IOMMU_PROT, GFP_KERNEL,
				      &mapped);
	if (!ret)
		c->sg_mapped = offset + len;
	return ret;
}

/*
 * iommu_map_sg(), through __iommu_map() or the walk cache, then our
 * iommu_unmap() of the whole range (not upstream's).
 */
static __always_inline void __map_sg(struct iommu_ctx *c, bool cached)
{
	struct io_pgtable_sim_walk walk;
	long long mapped;
	int ret;

	c->sg_mapped = 0;
	iommu_domain_lock(c->domain);
	if (cached) {
		c->walk = &walk;
		io_pgtable_sim_walk_start(c->domain, &walk);
		mapped = sgb_iommu_map_walk(&c->sgt, sgb_nents(&c->sgt),
					    map_sg_run_cached, c);
		io_pgtable_sim_walk_end(c->domain, &walk);
	} else {
		mapped = sgb_iommu_map_walk(&c->sgt, sgb_nents(&c->sgt),
					    map_sg_run, c);
	}
	iommu_domain_unlock(c->domain);
	if (mapped < 0) {
		/* iommu_map_sg()'s out_err: unmap what was mapped. */
		if (c->sg_mapped)
			iommu_unmap(c->domain, c->iova, c->sg_mapped);
		c->ret = mapped;
		return;
	}
	__iommu_sync_map(c->domain, c->iova, mapped);
	ret = iommu_unmap(c->domain, c->iova, mapped);
	if (ret)
		c->ret = ret;
}

static void map_sg(void *arg)
{
	__map_sg(arg, false);
}

static void map_sg_cached(void *arg)
{
	__map_sg(arg, true);
}

/* Write limit_entries 8-byte entries, page after page, as a PTE loop. */
static void write_limit(void *arg)
{
	struct iommu_ctx *c = arg;
	u64 left = c->limit_entries, v = 0x1000 | 0x83;
	unsigned long i;

	for (i = 0; i < c->limit_nr_pages && left; i++) {
		u64 *p = page_address(c->limit_pages[i]);
		unsigned int j, n = min_t(u64, left, PAGE_SIZE / sizeof(u64));

		for (j = 0; j < n; j++, v += PAGE_SIZE)
			WRITE_ONCE(p[j], v);
		left -= n;
	}
}

static void free_limit(struct iommu_ctx *c)
{
	unsigned long i;

	for (i = 0; i < c->limit_nr_pages; i++)
		if (c->limit_pages[i])
			__free_page(c->limit_pages[i]);
	kfree(c->limit_pages);
	c->limit_pages = NULL;
}

static int alloc_limit(struct iommu_ctx *c, u64 entries)
{
	unsigned long i;

	c->limit_entries = entries;
	c->limit_nr_pages = DIV_ROUND_UP(entries, PAGE_SIZE / sizeof(u64));
	c->limit_pages = kcalloc(c->limit_nr_pages, sizeof(*c->limit_pages),
				 GFP_KERNEL);
	if (!c->limit_pages)
		return -ENOMEM;
	for (i = 0; i < c->limit_nr_pages; i++) {
		c->limit_pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!c->limit_pages[i]) {
			free_limit(c);
			return -ENOMEM;
		}
	}
	return 0;
}

/*
 * bench_time() with a third operation, the limit: ours, the baseline and
 * the limit in turn, cfg->runs samples after two untimed warm-up runs
 * each (the second sets how many runs make a sample, bench_reps()), so the
 * three meet the same cache and the same noise.
 */
static int time_three(const struct bench_config *cfg, struct bench_result *res,
		      struct iommu_ctx *c, u64 *limit_ns)
{
	/* Wall clock, then CPU time, of ours, the baseline and the limit. */
	u64 *t = kcalloc(6 * cfg->runs, sizeof(*t), GFP_KERNEL);
	u64 *cpu = t + 3 * cfg->runs;
	unsigned int i, reps[3];

	if (!t)
		return -ENOMEM;
	/* A warm-up run of each, then a warm run to size the samples. */
	bench_sample(map_ours, c, 1, NULL);
	reps[0] = bench_reps(bench_sample(map_ours, c, 1, NULL));
	bench_sample(c->baseline, c, 1, NULL);
	reps[1] = bench_reps(bench_sample(c->baseline, c, 1, NULL));
	bench_sample(write_limit, c, 1, NULL);
	reps[2] = bench_reps(bench_sample(write_limit, c, 1, NULL));
	for (i = 0; i < cfg->runs; i++) {
		t[i] = bench_sample(map_ours, c, reps[0], &cpu[i]);
		t[cfg->runs + i] = bench_sample(c->baseline, c, reps[1],
						&cpu[cfg->runs + i]);
		t[2 * cfg->runs + i] = bench_sample(write_limit, c, reps[2],
						    &cpu[2 * cfg->runs + i]);
	}
	res->runs = cfg->runs;
	res->median_ns = bench_median(t, cfg->runs);
	res->baseline_median_ns = bench_median(t + cfg->runs, cfg->runs);
	res->cpu_ns = bench_median(cpu, cfg->runs);
	res->baseline_cpu_ns = bench_median(cpu + cfg->runs, cfg->runs);
	*limit_ns = bench_median(cpu + 2 * cfg->runs, cfg->runs);
	kfree(t);
	return 0;
}

static struct iommu_domain_stats dstats(struct iommu_domain *d)
{
	struct iommu_domain_stats st;

	iommu_domain_get_stats(d, &st);
	return st;
}

/* One untimed map + unmap of each side, for the exact counters. */
static int count_both(struct iommu_ctx *c, struct bench_result *res)
{
	struct iommu_domain_stats before, mapped, after;
	u64 leaves = 0, pte_writes;
	unsigned int lvl;
	int ret;

	before = dstats(c->domain);
	ret = iommu_map_physr(c->domain, c->iova, &c->list, BENCH_IOMMU_PROT,
			      GFP_KERNEL);
	if (ret)
		return ret;
	mapped = dstats(c->domain);
	ret = iommu_unmap_physr(c->domain, c->iova, &c->list);
	if (ret)
		return ret;
	after = dstats(c->domain);
	if (mapped.mapped_bytes != c->span || after.mapped_bytes)
		return -EIO;
	for (lvl = 1; lvl < ARRAY_SIZE(mapped.leaves); lvl++)
		leaves += mapped.leaves[lvl];
	pte_writes = after.pte_writes - before.pte_writes;

	bench_counter(res, "ranges", physr_list_nr_ranges(&c->list));
	bench_counter(res, "baseline_nents", sgb_nents(&c->sgt));
	bench_counter(res, "leaf_writes", leaves);
	bench_counter(res, "pte_writes", pte_writes);
	bench_counter(res, "iotlb_invalidations",
		      after.inv_cmds - before.inv_cmds);

	before = after;
	c->ret = 0;
	c->baseline(c);
	if (c->ret)
		return c->ret;
	after = dstats(c->domain);
	if (after.mapped_bytes)
		return -EIO;
	bench_counter(res, "baseline_pte_writes",
		      after.pte_writes - before.pte_writes);
	bench_counter(res, "baseline_iotlb_invalidations",
		      after.inv_cmds - before.inv_cmds);
	return alloc_limit(c, pte_writes);
}

static int bench_iommu_map(const struct bench_config *cfg,
			   struct bench_result *res, enum mm_layout layout,
			   bool cached)
{
	struct iommu_ctx c = { .baseline = cached ? map_sg_cached : map_sg };
	u64 limit_ns;
	int ret;

	physr_list_init(&c.list);
	c.pdev = pci_get_by_name(BENCH_IOMMU_DEV);
	if (!c.pdev)
		return -ENODEV;
	c.buf = mm_buffer_alloc(cfg->bytes, layout, BENCH_IOMMU_SEED,
				GFP_KERNEL);
	if (IS_ERR(c.buf)) {
		ret = PTR_ERR(c.buf);
		goto out_put;
	}
	ret = physr_list_from_pages(&c.list, c.buf->pages, c.buf->nr_pages, 0,
				    c.buf->size, GFP_KERNEL);
	if (ret)
		goto out_free_buf;
	ret = sgb_from_pages(&c.sgt, c.buf->pages, c.buf->nr_pages, 0,
			     c.buf->size);
	if (ret)
		goto out_destroy_list;
	c.domain = iommu_domain_alloc();
	if (IS_ERR(c.domain)) {
		ret = PTR_ERR(c.domain);
		goto out_free_sgt;
	}
	ret = iommu_attach_device(c.domain, &c.pdev->dev);
	if (ret)
		goto out_free_domain;
	c.span = iommu_physr_iova_len(&c.list);
	ret = iova_alloc(&c.domain->iovad, c.span, c.pdev->dev.dma_mask,
			 &c.iova);
	if (ret)
		goto out_detach;

	ret = count_both(&c, res);
	if (ret)
		goto out_free_iova;

	res->baseline = cached ? "iommu_map_sg+cached-walk" : "iommu_map_sg";
	res->baseline_how = cached ?
		"written after upstream iommu_map_sg() (6.12), each sg run "
		"mapped through one walk cache for the call (ours, "
		"io_pgtable_sim_walk_map()), one iotlb_sync_map(); unmap: "
		"ours, one iommu_unmap() of the range" :
		"written after upstream iommu_map_sg() (6.12): "
		"__iommu_map() per sg run, one iotlb_sync_map(); "
		"unmap: ours, one iommu_unmap() of the range";
	ret = time_three(cfg, res, &c, &limit_ns);
	if (!ret) {
		bench_counter(res, "limit_ns", limit_ns);
		ret = c.ret;
	}
	free_limit(&c);

out_free_iova:
	iova_free(&c.domain->iovad, c.iova, c.span);
out_detach:
	iommu_detach_device(c.domain, &c.pdev->dev);
out_free_domain:
	iommu_domain_free(c.domain);
out_free_sgt:
	sgb_free(&c.sgt);
out_destroy_list:
	physr_list_destroy(&c.list);
out_free_buf:
	mm_buffer_free(c.buf);
out_put:
	pci_dev_put(c.pdev);
	return ret;
}

static int bench_iommu_map_2m(const struct bench_config *cfg,
			      struct bench_result *res)
{
	return bench_iommu_map(cfg, res, MM_LAYOUT_FOLIO_2M, false);
}

static int bench_iommu_map_4k(const struct bench_config *cfg,
			      struct bench_result *res)
{
	return bench_iommu_map(cfg, res, MM_LAYOUT_PAGE_4K, false);
}

static int bench_iommu_map_2m_cached(const struct bench_config *cfg,
				     struct bench_result *res)
{
	return bench_iommu_map(cfg, res, MM_LAYOUT_FOLIO_2M, true);
}

static int bench_iommu_map_4k_cached(const struct bench_config *cfg,
				     struct bench_result *res)
{
	return bench_iommu_map(cfg, res, MM_LAYOUT_PAGE_4K, true);
}

const struct bench_case bench_iommu_cases[] = {
	{ "iommu-map/2m", bench_iommu_map_2m, 0 },
	{ "iommu-map/2m/cached-walk", bench_iommu_map_2m_cached, 0 },
	{ "iommu-map/4k", bench_iommu_map_4k, 0 },
	{ "iommu-map/4k/cached-walk", bench_iommu_map_4k_cached, 0 },
	{ NULL, NULL, 0 },
};
