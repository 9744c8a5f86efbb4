// SPDX-License-Identifier: GPL-2.0
/*
 * Bench case: one DMA buffer shared by four importers.
 *
 *   dmabuf-map/4dev/4k  1 GiB of 4 KiB pages, no two adjacent (the
 *                       MM_LAYOUT_PAGE_4K buffer of dma-map/4dev/4k),
 *                       exported once, attached and mapped by nic, gpu0,
 *                       gpu1 and sata behind the IOMMU (DMA domains): the
 *                       system heap on a fragmented machine, where every
 *                       allocation falls back to order 0
 *   dmabuf-map/4dev/1m  the same, but the memory the system heap gets on a
 *                       machine with free high-order blocks: its largest
 *                       order, 8 (1 MiB), throughout.  2 MiB folios in
 *                       random order (MM_LAYOUT_FOLIO_2M), each given to
 *                       the baseline as two order-8 pages: one sg entry
 *                       per 1 MiB, which system_heap_allocate() never
 *                       merges; the range list merges what is physically
 *                       contiguous, so 2 MiB a range.
 *
 * Timed, per run: for each importer attach and map the whole buffer, then
 * for each unmap and detach.  Both sides are static importers
 * (dma_buf_attach(), the _unlocked map and unmap), as the system heap's
 * importers are.  The buffer itself is built once, untimed, on both
 * sides (its own construction is measured apart: export_cpu_ns and
 * baseline_export_cpu_ns, export then release, in a second interleaved
 * series).  The pages are the mm_buffer's on both sides and counted in
 * neither.
 *
 * Ours: the DMA-buf core of drivers/dma-buf/dma-buf.c.  The exporter's
 * range list is built once from the pages (physr_list_from_pages()) and
 * handed to dma_buf_export(); each dma_buf_map_attachment_unlocked()
 * maps it for the importer's device with dma_map_physr_view().
 *
 * Baseline: 6.12's system heap (drivers/dma-buf/heaps/system_heap.c)
 * under 6.12's dma-buf core, step by step, without CONFIG_DMA_API_DEBUG
 * or CONFIG_DMABUF_DEBUG (as Debian builds it):
 *
 *   export  system_heap_allocate()'s table: sg_alloc_table() of one entry
 *           per page, sg_set_page() on each (the kernel's
 *           lib/scatterlist.c through bench/sg_baseline.h).
 *   attach  dma_buf_dynamic_attach(): the attachment kzalloc()ed, then
 *           system_heap_attach(): its dma_heap_attachment, and
 *           dup_sg_table() (a struct sg_table kzalloc()ed, sg_alloc_table()
 *           and each entry's page, length and offset copied), added to the
 *           heap buffer's list under its mutex; then the attachment added
 *           to the buffer's list under the reservation lock.
 *   map     dma_buf_map_attachment_unlocked(): under the reservation lock,
 *           system_heap_map_dma_buf(): dma_map_sgtable() of the copy, i.e.
 *           bench/bench_dma.c's iommu_dma_map_sg() (no fences to wait for).
 *   unmap   dma_unmap_sgtable() under the lock (iommu_dma_unmap_sg()).
 *   detach  the attachment off the list under the lock, then
 *           system_heap_detach(): off the heap's list, sg_free_table(),
 *           both structs freed.
 *
 * Both sides run on the machine of the dma-map/ cases: DMA default
 * domains, the DMA sanitizer off, the same four devices.
 *
 * Memory (exact, from the allocation counters): "bytes" and
 * "baseline_bytes" are the heap each side holds while all four are
 * mapped: the buffer (ours: the exporter's struct and range list, the
 * struct dma_buf and its file; the baseline: its buffer structs and the
 * exporter's sg_table), each attachment (the baseline's with its copied
 * table), and each mapping (ours: struct dma_buf_map and its DMA list's
 * storage; the baseline's dma_map_sgtable() allocates none).  IOVA and
 * page-table pages are the same on both sides and counted in neither.
 * "buffer_bytes" and "baseline_buffer_bytes" are the buffers' part.
 */
#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/dma-resv.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/fault-inject.h>
#include <linux/fcntl.h>
#include <linux/iommu.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mm_layout.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/physr.h>
#include <linux/slab.h>

#include "bench/bench.h"
#include "bench/sg_baseline.h"

#define BENCH_DMABUF_SEED	0x6a09e667f3bcc909ULL
#define BENCH_DMABUF_NR_DEVS	BENCH_DMA_NR_FOUR

/* ---- the baseline's structures, after 6.12 ------------------------------------ */

/* The part of 6.12's struct dma_buf that the attach and map paths use. */
struct sg_dma_buf {
	struct dma_resv resv;
	struct list_head attachments;	/* under @resv */
	struct system_heap_buffer *priv;
};

/* 6.12's struct dma_buf_attachment. */
struct sg_dma_buf_attachment {
	struct sg_dma_buf *dmabuf;
	struct device *dev;
	struct list_head node;
	struct sgb_table *sgt;		/* the core's cache: NULL here */
	enum dma_data_direction dir;
	bool peer2peer;
	const void *importer_ops;
	void *importer_priv;
	struct dma_heap_attachment *priv;
};

/* system_heap.c's buffer and attachment. */
struct system_heap_buffer {
	struct list_head attachments;	/* under @lock */
	struct mutex lock;
	unsigned long len;
	struct sgb_table sg_table;
};

struct dma_heap_attachment {
	struct device *dev;
	struct sgb_table *table;
	struct list_head list;
	bool mapped;
};

/* ---- the context ---------------------------------------------------------------- */

/* Ours: the test bench's exporter, the range list of the pages. */
struct bench_exporter {
	struct physr_list list;
	unsigned int pins;
};

struct dmabuf_bctx {
	struct mm_buffer *buf;
	/* The system heap's pages: every @heap_page_len bytes of @buf. */
	struct page **heap_pages;
	unsigned long nr_heap_pages;
	unsigned int heap_page_len;
	struct device *dev[BENCH_DMABUF_NR_DEVS];
	struct dma_buf *dmabuf;
	struct dma_buf_attachment *attach[BENCH_DMABUF_NR_DEVS];
	struct dma_buf_map *map[BENCH_DMABUF_NR_DEVS];
	struct sg_dma_buf *sg_buf;
	struct sg_dma_buf_attachment *sg_attach[BENCH_DMABUF_NR_DEVS];
	/* What iommu_dma_unmap_sg() finds from the entries. */
	dma_addr_t sg_iova[BENCH_DMABUF_NR_DEVS];
	u64 sg_iova_len[BENCH_DMABUF_NR_DEVS];
	int ret;
};

static void bench_dmabuf_fail(struct dmabuf_bctx *c, int ret)
{
	if (ret && !c->ret)
		c->ret = ret;
}

/* ---- ours ------------------------------------------------------------------------ */

static int bench_exporter_pin(struct dma_buf_attachment *attach)
{
	struct bench_exporter *exp = attach->dmabuf->priv;

	exp->pins++;
	return 0;
}

static void bench_exporter_unpin(struct dma_buf_attachment *attach)
{
	struct bench_exporter *exp = attach->dmabuf->priv;

	WARN_ON(!exp->pins--);
}

static const struct physr_list *bench_exporter_get_physr(struct dma_buf *dmabuf)
{
	struct bench_exporter *exp = dmabuf->priv;

	return &exp->list;
}

static void bench_exporter_release(struct dma_buf *dmabuf)
{
	struct bench_exporter *exp = dmabuf->priv;

	physr_list_destroy(&exp->list);
	kfree(exp);
}

static const struct dma_buf_ops bench_exporter_ops = {
	.pin = bench_exporter_pin,
	.unpin = bench_exporter_unpin,
	.get_physr = bench_exporter_get_physr,
	.release = bench_exporter_release,
};

/* The buffer's range list, built once, and its export. */
/*
 * The exporter's list of the heap's pages: from the page array for
 * order-0 pages, as a heap would, else one append per high-order page
 * (adjacent ones merge).
 */
static int ours_list(struct dmabuf_bctx *c, struct physr_list *list)
{
	unsigned long i;
	int ret;

	if (c->heap_page_len == PAGE_SIZE)
		return physr_list_from_pages(list, c->buf->pages,
					     c->buf->nr_pages, 0, c->buf->size,
					     GFP_KERNEL);
	for (i = 0; i < c->nr_heap_pages; i++) {
		ret = physr_list_append(list, page_to_phys(c->heap_pages[i]),
					c->heap_page_len, GFP_KERNEL);
		if (ret) {
			physr_list_destroy(list);
			return ret;
		}
	}
	return 0;
}

static int ours_export(struct dmabuf_bctx *c)
{
	struct dma_buf_export_info info = {
		.exp_name = "bench",
		.ops = &bench_exporter_ops,
		.size = c->buf->size,
		.flags = O_RDWR,
	};
	struct bench_exporter *exp;
	int ret;

	exp = kzalloc(sizeof(*exp), GFP_KERNEL);
	if (!exp)
		return -ENOMEM;
	physr_list_init(&exp->list);
	ret = ours_list(c, &exp->list);
	if (ret)
		goto out_free;
	info.priv = exp;
	c->dmabuf = dma_buf_export(&info);
	if (IS_ERR(c->dmabuf)) {
		ret = PTR_ERR(c->dmabuf);
		c->dmabuf = NULL;
		goto out_destroy;
	}
	return 0;

out_destroy:
	physr_list_destroy(&exp->list);
out_free:
	kfree(exp);
	return ret;
}

static void ours_unexport(struct dmabuf_bctx *c)
{
	if (c->dmabuf)
		dma_buf_put(c->dmabuf);
	c->dmabuf = NULL;
}

static void ours_attach(struct dmabuf_bctx *c, unsigned int i)
{
	c->attach[i] = dma_buf_attach(c->dmabuf, c->dev[i]);
	if (IS_ERR(c->attach[i])) {
		bench_dmabuf_fail(c, PTR_ERR(c->attach[i]));
		c->attach[i] = NULL;
	}
}

static void ours_map(struct dmabuf_bctx *c, unsigned int i)
{
	if (!c->attach[i])
		return;
	c->map[i] = dma_buf_map_attachment_unlocked(c->attach[i], 0,
						    c->dmabuf->size,
						    DMA_BIDIRECTIONAL);
	if (IS_ERR(c->map[i])) {
		bench_dmabuf_fail(c, PTR_ERR(c->map[i]));
		c->map[i] = NULL;
	}
}

static void ours_unmap_detach(struct dmabuf_bctx *c)
{
	unsigned int i;

	for (i = 0; i < BENCH_DMABUF_NR_DEVS; i++) {
		if (!c->attach[i])
			continue;
		if (c->map[i])
			dma_buf_unmap_attachment_unlocked(c->attach[i],
							  c->map[i]);
		c->map[i] = NULL;
		dma_buf_detach(c->dmabuf, c->attach[i]);
		c->attach[i] = NULL;
	}
}

static void ours_run(void *arg)
{
	struct dmabuf_bctx *c = arg;
	unsigned int i;

	for (i = 0; i < BENCH_DMABUF_NR_DEVS; i++) {
		ours_attach(c, i);
		ours_map(c, i);
	}
	ours_unmap_detach(c);
}

static void ours_export_release(void *arg)
{
	struct dmabuf_bctx *c = arg;

	bench_dmabuf_fail(c, ours_export(c));
	ours_unexport(c);
}

/* ---- the baseline ------------------------------------------------------------------ */

/* system_heap_allocate() with the pages given, and its export's part. */
static int sg_export(struct dmabuf_bctx *c)
{
	struct system_heap_buffer *buffer;
	struct sg_dma_buf *dmabuf;
	int ret = -ENOMEM;

	buffer = kzalloc(sizeof(*buffer), GFP_KERNEL);
	if (!buffer)
		return -ENOMEM;
	INIT_LIST_HEAD(&buffer->attachments);
	mutex_init(&buffer->lock);
	buffer->len = c->buf->size;
	ret = sgb_from_page_array(&buffer->sg_table, c->heap_pages,
				  c->nr_heap_pages, c->heap_page_len);
	if (ret)
		goto out_free_buffer;
	dmabuf = kzalloc(sizeof(*dmabuf), GFP_KERNEL);
	if (!dmabuf) {
		ret = -ENOMEM;
		goto out_free_table;
	}
	dma_resv_init(&dmabuf->resv);
	INIT_LIST_HEAD(&dmabuf->attachments);
	dmabuf->priv = buffer;
	c->sg_buf = dmabuf;
	return 0;

out_free_table:
	sgb_free(&buffer->sg_table);
out_free_buffer:
	mutex_destroy(&buffer->lock);
	kfree(buffer);
	return ret;
}

/* The buffer's release: system_heap_dma_buf_release() without the pages. */
static void sg_unexport(struct dmabuf_bctx *c)
{
	struct sg_dma_buf *dmabuf = c->sg_buf;

	if (!dmabuf)
		return;
	sgb_free(&dmabuf->priv->sg_table);
	mutex_destroy(&dmabuf->priv->lock);
	kfree(dmabuf->priv);
	dma_resv_fini(&dmabuf->resv);
	kfree(dmabuf);
	c->sg_buf = NULL;
}

/* system_heap_attach(): dup_sg_table() for this attachment. */
static int system_heap_attach(struct sg_dma_buf *dmabuf,
			      struct sg_dma_buf_attachment *attachment)
{
	struct system_heap_buffer *buffer = dmabuf->priv;
	struct dma_heap_attachment *a;
	struct sgb_table *table;
	int ret;

	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	table = kzalloc(sizeof(*table), GFP_KERNEL);
	if (!table) {
		ret = -ENOMEM;
		goto out_free_a;
	}
	ret = sgb_dup(table, &buffer->sg_table);
	if (ret)
		goto out_free_table;
	a->table = table;
	a->dev = attachment->dev;
	INIT_LIST_HEAD(&a->list);
	attachment->priv = a;

	mutex_lock(&buffer->lock);
	list_add(&a->list, &buffer->attachments);
	mutex_unlock(&buffer->lock);
	return 0;

out_free_table:
	kfree(table);
out_free_a:
	kfree(a);
	return ret;
}

static void system_heap_detach(struct sg_dma_buf *dmabuf,
			       struct sg_dma_buf_attachment *attachment)
{
	struct system_heap_buffer *buffer = dmabuf->priv;
	struct dma_heap_attachment *a = attachment->priv;

	mutex_lock(&buffer->lock);
	list_del(&a->list);
	mutex_unlock(&buffer->lock);
	sgb_free(a->table);
	kfree(a->table);
	kfree(a);
}

/* 6.12's dma_buf_attach() of a static importer to the system heap. */
static void sg_attach(struct dmabuf_bctx *c, unsigned int i)
{
	struct sg_dma_buf *dmabuf = c->sg_buf;
	struct sg_dma_buf_attachment *attach;
	int ret;

	attach = kzalloc(sizeof(*attach), GFP_KERNEL);
	if (!attach) {
		bench_dmabuf_fail(c, -ENOMEM);
		return;
	}
	attach->dev = c->dev[i];
	attach->dmabuf = dmabuf;
	ret = system_heap_attach(dmabuf, attach);
	if (ret) {
		kfree(attach);
		bench_dmabuf_fail(c, ret);
		return;
	}
	dma_resv_lock(&dmabuf->resv, NULL);
	list_add(&attach->node, &dmabuf->attachments);
	dma_resv_unlock(&dmabuf->resv);
	c->sg_attach[i] = attach;
}

/* dma_buf_map_attachment_unlocked(): system_heap_map_dma_buf(). */
static void sg_map(struct dmabuf_bctx *c, unsigned int i)
{
	struct sg_dma_buf_attachment *attach = c->sg_attach[i];
	struct dma_heap_attachment *a;
	int ret;

	if (!attach)
		return;
	a = attach->priv;
	dma_resv_lock(&c->sg_buf->resv, NULL);
	ret = bench_sg_iommu_map(attach->dev, a->table, false, &c->sg_iova[i],
				 &c->sg_iova_len[i]);
	if (!ret)
		a->mapped = true;
	dma_resv_unlock(&c->sg_buf->resv);
	bench_dmabuf_fail(c, ret);
}

/* Unmap (system_heap_unmap_dma_buf()) and dma_buf_detach(), each. */
static void sg_unmap_detach(struct dmabuf_bctx *c)
{
	struct sg_dma_buf *dmabuf = c->sg_buf;
	unsigned int i;

	for (i = 0; i < BENCH_DMABUF_NR_DEVS; i++) {
		struct sg_dma_buf_attachment *attach = c->sg_attach[i];
		struct dma_heap_attachment *a;

		if (!attach)
			continue;
		a = attach->priv;
		if (a->mapped) {
			dma_resv_lock(&dmabuf->resv, NULL);
			a->mapped = false;
			bench_dmabuf_fail(c, bench_sg_iommu_unmap(attach->dev,
					a->table, c->sg_iova_len[i]));
			dma_resv_unlock(&dmabuf->resv);
		}
		dma_resv_lock(&dmabuf->resv, NULL);
		list_del(&attach->node);
		dma_resv_unlock(&dmabuf->resv);
		system_heap_detach(dmabuf, attach);
		kfree(attach);
		c->sg_attach[i] = NULL;
	}
}

static void sg_run(void *arg)
{
	struct dmabuf_bctx *c = arg;
	unsigned int i;

	for (i = 0; i < BENCH_DMABUF_NR_DEVS; i++) {
		sg_attach(c, i);
		sg_map(c, i);
	}
	sg_unmap_detach(c);
}

static void sg_export_release(void *arg)
{
	struct dmabuf_bctx *c = arg;

	bench_dmabuf_fail(c, sg_export(c));
	sg_unexport(c);
}

/* ---- the case ------------------------------------------------------------------------ */

static u64 live_bytes(void)
{
	struct alloc_stats st;

	alloc_stats_get(&st);
	return st.live_bytes;
}

/*
 * Both sides exported, attached and mapped once, untimed: what each
 * holds.  The heap used by mapping (IOVA, page tables) is the same on
 * both sides and left out by measuring attach apart from map.
 */
static int bench_dmabuf_measure(struct dmabuf_bctx *c, struct bench_result *res)
{
	u64 before, ours_buf, ours = 0, theirs_buf, theirs = 0, segs = 0;
	unsigned int i;

	before = live_bytes();
	bench_dmabuf_fail(c, ours_export(c));
	ours_buf = live_bytes() - before;
	for (i = 0; i < BENCH_DMABUF_NR_DEVS && !c->ret; i++) {
		before = live_bytes();
		ours_attach(c, i);
		ours += live_bytes() - before;
		ours_map(c, i);
		if (!c->map[i])
			continue;
		ours += sizeof(*c->map[i]) +
			dma_list_heap_bytes(&c->map[i]->state.dma);
		segs += dma_list_nr_ranges(&c->map[i]->state.dma);
	}

	before = live_bytes();
	if (!c->ret)
		bench_dmabuf_fail(c, sg_export(c));
	theirs_buf = live_bytes() - before;
	for (i = 0; i < BENCH_DMABUF_NR_DEVS && !c->ret; i++) {
		before = live_bytes();
		sg_attach(c, i);
		theirs += live_bytes() - before;
		sg_map(c, i);
	}

	if (!c->ret) {
		bench_counter(res, "bytes", ours_buf + ours);
		bench_counter(res, "baseline_bytes", theirs_buf + theirs);
		bench_counter(res, "buffer_bytes", ours_buf);
		bench_counter(res, "baseline_buffer_bytes", theirs_buf);
		bench_counter(res, "ranges", physr_list_nr_ranges(
			&((struct bench_exporter *)c->dmabuf->priv)->list));
		bench_counter(res, "sg_entries",
			      sgb_nents(&c->sg_buf->priv->sg_table));
		bench_counter(res, "dma_segments", segs);
	}
	sg_unmap_detach(c);
	sg_unexport(c);
	ours_unmap_detach(c);
	ours_unexport(c);
	return c->ret;
}

/*
 * The system heap's pages of @c->buf: order-@order pages, each the head
 * of 2^@order physically contiguous pages of the buffer.
 */
static int bench_dmabuf_heap_pages(struct dmabuf_bctx *c, unsigned int order)
{
	unsigned long i;

	c->heap_page_len = PAGE_SIZE << order;
	c->nr_heap_pages = c->buf->nr_pages >> order;
	c->heap_pages = kvmalloc_array(c->nr_heap_pages,
				       sizeof(*c->heap_pages), GFP_KERNEL);
	if (!c->heap_pages)
		return -ENOMEM;
	for (i = 0; i < c->nr_heap_pages; i++)
		c->heap_pages[i] = c->buf->pages[i << order];
	return 0;
}

static int bench_dmabuf_4dev(const struct bench_config *cfg,
			     struct bench_result *res, enum mm_layout layout,
			     unsigned int heap_order)
{
	struct bench_result export = { .name = res->name };
	struct bench_op ours, theirs;
	struct dmabuf_bctx *c;
	unsigned int i;
	int ret;

	ret = bench_dma_boot(cfg, IOMMU_DOMAIN_DMA);
	if (ret)
		goto out_restore;
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c) {
		ret = -ENOMEM;
		goto out_restore;
	}
	for (i = 0; i < BENCH_DMABUF_NR_DEVS; i++) {
		struct pci_dev *pdev = pci_get_by_name(bench_dma_four[i]);

		if (!pdev) {
			ret = -ENODEV;
			goto out_put_devs;
		}
		c->dev[i] = &pdev->dev;
	}
	c->buf = mm_buffer_alloc(cfg->bytes, layout, BENCH_DMABUF_SEED,
				 GFP_KERNEL);
	if (IS_ERR(c->buf)) {
		ret = PTR_ERR(c->buf);
		goto out_put_devs;
	}
	ret = bench_dmabuf_heap_pages(c, heap_order);
	if (ret)
		goto out_free_buf;
	ret = bench_dmabuf_measure(c, res);
	if (ret)
		goto out_free_buf;

	res->baseline = "system_heap+dup_sg_table+iommu_dma_map_sg";
	res->baseline_how =
		"6.12's system heap under its dma-buf core (bench/bench_dmabuf.c): per importer dma_buf_attach() with dup_sg_table() (lib/scatterlist.c), dma_map_sgtable() as bench_dma.c's iommu_dma_map_sg(); timed: attach, map, unmap, detach x4 (the exporter's table built once, untimed)";

	/* Attach + map x4, unmap + detach x4: the buffers built beforehand. */
	ret = ours_export(c);
	if (!ret)
		ret = sg_export(c);
	if (!ret) {
		ours = (struct bench_op){ ours_run, NULL, c };
		theirs = (struct bench_op){ sg_run, NULL, c };
		bench_time(cfg, res, &ours, &theirs);
	}
	sg_unexport(c);
	ours_unexport(c);

	/* The buffer's own construction and release, apart. */
	if (!ret) {
		ours = (struct bench_op){ ours_export_release, NULL, c };
		theirs = (struct bench_op){ sg_export_release, NULL, c };
		bench_time(cfg, &export, &ours, &theirs);
		bench_counter(res, "export_cpu_ns", export.cpu_ns);
		bench_counter(res, "baseline_export_cpu_ns",
			      export.baseline_cpu_ns);
	}
	if (!ret)
		ret = c->ret;

out_free_buf:
	kvfree(c->heap_pages);
	mm_buffer_free(c->buf);
out_put_devs:
	for (i = 0; i < BENCH_DMABUF_NR_DEVS; i++)
		if (c->dev[i])
			pci_dev_put(to_pci_dev(c->dev[i]));
	kfree(c);
out_restore:
	bench_dma_restore(cfg);
	return ret;
}

static int bench_dmabuf_4dev_4k(const struct bench_config *cfg,
				struct bench_result *res)
{
	return bench_dmabuf_4dev(cfg, res, MM_LAYOUT_PAGE_4K, 0);
}

/* Order 8 is the system heap's largest (orders[] = { 8, 4, 0 }). */
static int bench_dmabuf_4dev_1m(const struct bench_config *cfg,
				struct bench_result *res)
{
	return bench_dmabuf_4dev(cfg, res, MM_LAYOUT_FOLIO_2M, 8);
}

const struct bench_case bench_dmabuf_cases[] = {
	{ "dmabuf-map/4dev/4k", bench_dmabuf_4dev_4k, 0 },
	{ "dmabuf-map/4dev/1m", bench_dmabuf_4dev_1m, 0 },
	{ NULL, NULL, 0 },
};
