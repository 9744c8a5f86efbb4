// SPDX-License-Identifier: GPL-2.0
/*
 * Bench cases: VFIO's DMA-buf export of a BAR (drivers/vfio/pci/).
 *
 *   vfio-export/4096   a process exports 4096 ranges of GPU0's BAR2 (4 KiB
 *                      each, every other page: nothing merges) with
 *                      VFIO_DEVICE_FEATURE_DMA_BUF, and closes the buffer.
 *   revoke/8importers  one buffer of those 4096 ranges mapped by 8
 *                      importers (4 attachments each of GPU1 and SATA,
 *                      behind the IOMMU): the process turns Memory Space
 *                      Enable off, which revokes the buffer before the
 *                      write: every importer told and unmapped.
 *   vfio-fault/4096    the lookup a fault on a mapping of such a buffer
 *                      makes: 4096 random page offsets of the buffer, each
 *                      turned into its PFN.
 *
 * Machine: the default board, DMA default domains, the sanitizer off (as
 * the dma-map/ cases).  The process is a task with an address space whose
 * memory holds the ioctl arguments; GPU0 is opened through vfio-pci.
 *
 * Baselines, written after Linux 6.19's drivers/vfio/pci/vfio_pci_dmabuf.c
 * step by step (no upstream code is copied):
 *
 *   vfio-export  the ranges copied in (memdup_array_user()), each checked
 *                (alignment, overflow, inside the BAR), a phys_vec array
 *                kcalloc()ed (16 bytes a range) and filled, the buffer
 *                exported (dma_buf_export() of our core, with an exporter
 *                that holds the array) and given a descriptor; closing it
 *                frees the array.  Ours goes through the ioctl (one more
 *                copy of the header) and also checks overlaps (a sort).
 *   revoke       none: both ways tell each importer and each importer
 *                unmaps its own mapping; what differs is what an unmap
 *                frees.  Reported: time, move_notify calls, IOTLB
 *                invalidations (iommu_domain_stats of the two domains).
 *   vfio-fault   a linear search of the phys_vec array for the range
 *                holding the offset.  Ours: physr_list_slice() on the
 *                buffer's range list (the chunk headers, then one chunk).
 */
#include <linux/dma-buf.h>
#include <linux/err.h>
#include <linux/fault-inject.h>
#include <linux/errno.h>
#include <linux/fcntl.h>
#include <linux/iommu.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mm_struct.h>
#include <linux/pci.h>
#include <linux/pci-p2pdma.h>
#include <linux/physr.h>
#include <linux/random.h>
#include <linux/sched/task.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/syscalls.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>
#include <uapi/linux/vfio.h>

#include "bench/bench.h"

#define BENCH_VFIO_RANGES	4096
#define BENCH_VFIO_BAR		2
#define BENCH_VFIO_IMPORTERS	8
#define BENCH_VFIO_UMEM		(SZ_1M)

struct bench_vfio_importer {
	struct dma_buf_attachment *attach;
	struct dma_buf_map *map;
	unsigned int notified;
};

/* 6.19's per-buffer array. */
struct bench_phys_vec {
	phys_addr_t paddr;
	u64 len;
};

struct bench_phys_buf {
	struct bench_phys_vec *phys_vec;
	u32 nr_ranges;
};

struct vfio_bctx {
	struct task_struct *tsk, *prev;
	struct mm_struct *mm;
	unsigned long umem;
	struct pci_dev *gpu0;
	struct vfio_device *vdev;
	int fd;
	int buf_fd;
	struct vfio_region_dma_range *ranges;
	struct dma_buf *dmabuf;
	struct bench_vfio_importer imp[BENCH_VFIO_IMPORTERS];
	struct physr_list list;
	struct bench_phys_buf pbuf;
	u64 *offsets;
	u64 sum;
	int ret;
};

static void bench_vfio_fail(struct vfio_bctx *c, int ret)
{
	if (ret && !c->ret)
		c->ret = ret;
}

/* ---- the process and the device ----------------------------------------- */

static int bench_vfio_setup(struct vfio_bctx *c)
{
	struct {
		struct vfio_device_feature f;
		struct vfio_device_feature_dma_buf d;
	} hdr = {
		.f.argsz = sizeof(hdr) + BENCH_VFIO_RANGES * sizeof(*c->ranges),
		.f.flags = VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_DMA_BUF,
		.d.region_index = BENCH_VFIO_BAR,
		.d.open_flags = O_RDWR,
		.d.nr_ranges = BENCH_VFIO_RANGES,
	};
	unsigned int i;

	c->ranges = kvmalloc_array(BENCH_VFIO_RANGES, sizeof(*c->ranges),
				   GFP_KERNEL);
	if (!c->ranges)
		return -ENOMEM;
	for (i = 0; i < BENCH_VFIO_RANGES; i++) {
		c->ranges[i].offset = (u64)i * SZ_8K;
		c->ranges[i].length = SZ_4K;
	}
	c->mm = mm_alloc();
	if (!c->mm)
		return -ENOMEM;
	c->tsk = task_create("bench_vfio", c->mm, GFP_KERNEL);
	if (IS_ERR(c->tsk)) {
		int ret = PTR_ERR(c->tsk);

		c->tsk = NULL;
		return ret;
	}
	c->umem = vm_mmap(c->mm, 0, BENCH_VFIO_UMEM, VM_READ | VM_WRITE,
			  VM_KIND_ANON);
	if (IS_ERR_VALUE(c->umem))
		return (long)c->umem;
	if (copy_to_user(c->mm, c->umem, &hdr, sizeof(hdr)) ||
	    copy_to_user(c->mm, c->umem + sizeof(hdr), c->ranges,
			 BENCH_VFIO_RANGES * sizeof(*c->ranges)))
		return -EFAULT;
	c->gpu0 = pci_get_by_name("gpu0");
	if (!c->gpu0)
		return -ENODEV;
	c->vdev = vfio_pci_core_register_device(c->gpu0);
	if (IS_ERR(c->vdev)) {
		int ret = PTR_ERR(c->vdev);

		c->vdev = NULL;
		return ret;
	}
	c->prev = compat_set_current(c->tsk);
	c->fd = vfio_device_open_fd(c->vdev, O_RDWR);
	return c->fd < 0 ? c->fd : 0;
}

static void bench_vfio_teardown(struct vfio_bctx *c)
{
	if (c->tsk) {
		compat_set_current(c->prev);
		task_exit(c->tsk);
	}
	if (c->mm)
		mmput(c->mm);
	if (c->vdev)
		vfio_pci_core_unregister_device(c->vdev);
	pci_dev_put(c->gpu0);
	kvfree(c->ranges);
}

/* ---- vfio-export ------------------------------------------------------- */

static void ours_export(void *arg)
{
	struct vfio_bctx *c = arg;

	c->buf_fd = ksys_ioctl(c->fd, VFIO_DEVICE_FEATURE, c->umem);
	bench_vfio_fail(c, c->buf_fd < 0 ? c->buf_fd : 0);
}

static void ours_unexport(void *arg)
{
	struct vfio_bctx *c = arg;

	if (c->buf_fd >= 0)
		ksys_close(c->buf_fd);
	c->buf_fd = -1;
}

static const struct physr_list *base_get_physr(struct dma_buf *dmabuf)
{
	(void)dmabuf;
	return ERR_PTR(-ENODEV);	/* never mapped here */
}

static void base_release(struct dma_buf *dmabuf)
{
	struct bench_phys_buf *b = dmabuf->priv;

	kfree(b->phys_vec);
	kfree(b);
}

static const struct dma_buf_ops base_ops = {
	.get_physr = base_get_physr,
	.release = base_release,
};

/* 6.19's validate_dmabuf_input(): each range checked, the total summed. */
static int base_validate(const struct vfio_region_dma_range *r, u32 nr,
			 u64 bar_len, u64 *total)
{
	u64 end;
	u32 i;

	*total = 0;
	for (i = 0; i < nr; i++) {
		if (!r[i].length || !PAGE_ALIGNED(r[i].offset) ||
		    !PAGE_ALIGNED(r[i].length))
			return -EINVAL;
		if (check_add_overflow(r[i].offset, r[i].length, &end) ||
		    end > bar_len)
			return -EINVAL;
		if (check_add_overflow(*total, r[i].length, total))
			return -EINVAL;
	}
	return 0;
}

static void base_export(void *arg)
{
	struct vfio_bctx *c = arg;
	struct dma_buf_export_info info = {
		.exp_name = "vfio-6.19", .ops = &base_ops, .flags = O_RDWR,
		.revocable = true,
	};
	struct vfio_region_dma_range *r;
	struct bench_phys_buf *b;
	struct dma_buf *dmabuf;
	phys_addr_t base = pci_resource_start(c->gpu0, BENCH_VFIO_BAR);
	u64 total;
	u32 i, nr = BENCH_VFIO_RANGES;
	size_t hdr = sizeof(struct vfio_device_feature) +
		     sizeof(struct vfio_device_feature_dma_buf);

	c->buf_fd = -1;
	r = kvmalloc_array(nr, sizeof(*r), GFP_KERNEL);	/* memdup_array_user() */
	if (!r || copy_from_user(c->mm, r, c->umem + hdr, nr * sizeof(*r)) ||
	    base_validate(r, nr, pci_resource_len(c->gpu0, BENCH_VFIO_BAR),
			  &total)) {
		kvfree(r);
		bench_vfio_fail(c, -EINVAL);
		return;
	}
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (b)
		b->phys_vec = kcalloc(nr, sizeof(*b->phys_vec), GFP_KERNEL);
	if (!b || !b->phys_vec) {
		kfree(b);
		kvfree(r);
		bench_vfio_fail(c, -ENOMEM);
		return;
	}
	for (i = 0; i < nr; i++) {
		b->phys_vec[i].paddr = base + r[i].offset;
		b->phys_vec[i].len = r[i].length;
	}
	b->nr_ranges = nr;
	kvfree(r);
	info.size = total;
	info.priv = b;
	dmabuf = dma_buf_export(&info);
	if (IS_ERR(dmabuf)) {
		base_release(&(struct dma_buf){ .priv = b });
		bench_vfio_fail(c, PTR_ERR(dmabuf));
		return;
	}
	c->buf_fd = dma_buf_fd(dmabuf, O_CLOEXEC);
	if (c->buf_fd < 0) {
		dma_buf_put(dmabuf);
		bench_vfio_fail(c, c->buf_fd);
	}
}

static u64 live_bytes(void)
{
	struct alloc_stats st;

	alloc_stats_get(&st);
	return st.live_bytes;
}

static int bench_vfio_export(const struct bench_config *cfg,
			     struct bench_result *res)
{
	struct bench_op ours = { ours_export, ours_unexport, NULL };
	struct bench_op base = { base_export, ours_unexport, NULL };
	struct vfio_bctx *c;
	u64 before, bytes, bbytes;
	int ret;

	ret = bench_dma_boot(cfg, IOMMU_DOMAIN_DMA);
	if (ret)
		goto out_restore;
	ret = -ENOMEM;
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		goto out_restore;
	c->buf_fd = -1;
	ret = bench_vfio_setup(c);
	if (ret)
		goto out_free;

	/* What each buffer holds, once, untimed. */
	before = live_bytes();
	ours_export(c);
	bytes = live_bytes() - before;
	ours_unexport(c);
	before = live_bytes();
	base_export(c);
	bbytes = live_bytes() - before;
	ours_unexport(c);
	ret = c->ret;
	if (ret)
		goto out_free;

	ours.arg = c;
	base.arg = c;
	res->baseline = "vfio-6.19-phys_vec";
	res->baseline_how = "VFIO 6.19's export step by step (bench/bench_vfio.c): ranges copied and checked, a phys_vec array (16 B a range) built; timed: export and close of the buffer";
	bench_time(cfg, res, &ours, &base);
	bench_counter(res, "ranges", BENCH_VFIO_RANGES);
	bench_counter(res, "bytes", bytes);
	bench_counter(res, "baseline_bytes", bbytes);
	ret = c->ret;
out_free:
	bench_vfio_teardown(c);
	kfree(c);
out_restore:
	bench_dma_restore(cfg);
	return ret;
}

/* ---- revoke/8importers -------------------------------------------------- */

static void bench_vfio_move_notify(struct dma_buf_attachment *attach)
{
	struct bench_vfio_importer *imp = attach->importer_priv;

	imp->notified++;
	if (imp->map)
		dma_buf_unmap_attachment(attach, imp->map);
	imp->map = NULL;
}

static const struct dma_buf_attach_ops bench_vfio_importer_ops = {
	.allow_peer2peer = true,
	.move_notify = bench_vfio_move_notify,
};

static const char *const bench_vfio_importer_dev[] = { "gpu1", "sata" };

static int bench_vfio_write_cmd(struct vfio_bctx *c, u16 cmd)
{
	ssize_t n;

	if (copy_to_user(c->mm, c->umem + BENCH_VFIO_UMEM - SZ_4K, &cmd,
			 sizeof(cmd)))
		return -EFAULT;
	n = ksys_pwrite64(c->fd, c->umem + BENCH_VFIO_UMEM - SZ_4K,
			  sizeof(cmd),
			  VFIO_PCI_INDEX_TO_OFFSET(VFIO_PCI_CONFIG_REGION_INDEX) +
			  PCI_COMMAND);
	return n == sizeof(cmd) ? 0 : (n < 0 ? n : -EIO);
}

/* Timed: Memory Space Enable off, i.e. the revoke of 8 mappings. */
static void ours_revoke(void *arg)
{
	struct vfio_bctx *c = arg;

	bench_vfio_fail(c, bench_vfio_write_cmd(c, PCI_COMMAND_MASTER));
}

/* Untimed: decode on again, every importer maps again. */
static void ours_remap(void *arg)
{
	struct vfio_bctx *c = arg;
	struct dma_buf_map *map;
	unsigned int i;

	bench_vfio_fail(c, bench_vfio_write_cmd(c, PCI_COMMAND_MEMORY |
						PCI_COMMAND_MASTER));
	dma_resv_lock(c->dmabuf->resv, NULL);
	for (i = 0; i < BENCH_VFIO_IMPORTERS; i++) {
		map = dma_buf_map_attachment(c->imp[i].attach, 0,
					     c->dmabuf->size,
					     DMA_BIDIRECTIONAL);
		if (IS_ERR(map)) {
			bench_vfio_fail(c, PTR_ERR(map));
			continue;
		}
		c->imp[i].map = map;
	}
	dma_resv_unlock(c->dmabuf->resv);
}

static u64 bench_vfio_flushes(void)
{
	u64 n = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bench_vfio_importer_dev); i++) {
		struct pci_dev *pdev = pci_get_by_name(bench_vfio_importer_dev[i]);
		struct iommu_domain_stats st;

		if (!pdev)
			continue;
		iommu_domain_get_stats(iommu_get_default_domain(&pdev->dev),
				       &st);
		n += st.iotlb_flushes;
		pci_dev_put(pdev);
	}
	return n;
}

static int bench_vfio_revoke(const struct bench_config *cfg,
			     struct bench_result *res)
{
	struct bench_op ours = { ours_revoke, ours_remap, NULL };
	struct pci_dev *pdev[BENCH_VFIO_IMPORTERS] = { NULL };
	struct vfio_bctx *c;
	unsigned int i, notified = 0;
	u64 flushes;
	int ret;

	ret = bench_dma_boot(cfg, IOMMU_DOMAIN_DMA);
	if (ret)
		goto out_restore;
	ret = -ENOMEM;
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		goto out_restore;
	c->buf_fd = -1;
	ret = bench_vfio_setup(c);
	if (ret)
		goto out_free;
	ours_export(c);
	ret = c->ret;
	if (ret)
		goto out_free;
	c->dmabuf = dma_buf_get(c->buf_fd);
	for (i = 0; i < BENCH_VFIO_IMPORTERS; i++) {
		pdev[i] = pci_get_by_name(bench_vfio_importer_dev[i % 2]);
		c->imp[i].attach = dma_buf_dynamic_attach(c->dmabuf,
				&pdev[i]->dev, &bench_vfio_importer_ops,
				&c->imp[i]);
		if (IS_ERR(c->imp[i].attach)) {
			ret = PTR_ERR(c->imp[i].attach);
			c->imp[i].attach = NULL;
			goto out_detach;
		}
	}
	ours.arg = c;
	ours_remap(c);

	/* One revoke, counted. */
	flushes = bench_vfio_flushes();
	ours_revoke(c);
	flushes = bench_vfio_flushes() - flushes;
	for (i = 0; i < BENCH_VFIO_IMPORTERS; i++)
		notified += c->imp[i].notified;
	ours_remap(c);
	ret = c->ret;
	if (ret)
		goto out_detach;

	bench_time(cfg, res, &ours, NULL);
	bench_counter(res, "importers", BENCH_VFIO_IMPORTERS);
	bench_counter(res, "importer_domains", 2);
	bench_counter(res, "ranges", BENCH_VFIO_RANGES);
	bench_counter(res, "move_notify", notified);
	bench_counter(res, "iotlb_invalidations", flushes);
	ret = c->ret;
out_detach:
	for (i = 0; i < BENCH_VFIO_IMPORTERS; i++) {
		if (c->imp[i].map)
			dma_buf_unmap_attachment_unlocked(c->imp[i].attach,
							  c->imp[i].map);
		if (c->imp[i].attach)
			dma_buf_detach(c->dmabuf, c->imp[i].attach);
		pci_dev_put(pdev[i]);
	}
	if (c->dmabuf)
		dma_buf_put(c->dmabuf);
	ours_unexport(c);
out_free:
	bench_vfio_teardown(c);
	kfree(c);
out_restore:
	bench_dma_restore(cfg);
	return ret;
}

/* ---- vfio-fault --------------------------------------------------------- */

static void ours_lookup(void *arg)
{
	struct vfio_bctx *c = arg;
	struct physr_view view;
	struct physr_iter it;
	struct physr r;
	unsigned int i;

	for (i = 0; i < BENCH_VFIO_RANGES; i++) {
		if (physr_list_slice(&c->list, c->offsets[i], PAGE_SIZE, &view)) {
			bench_vfio_fail(c, -EINVAL);
			return;
		}
		physr_iter_init_view(&it, &view);
		if (physr_iter_next(&it, &r))
			c->sum += PHYS_PFN(r.addr);
	}
}

static void base_lookup(void *arg)
{
	struct vfio_bctx *c = arg;
	const struct bench_phys_vec *v = c->pbuf.phys_vec;
	unsigned int i;
	u32 j;

	for (i = 0; i < BENCH_VFIO_RANGES; i++) {
		u64 off = c->offsets[i];

		for (j = 0; j < c->pbuf.nr_ranges; j++) {
			if (off < v[j].len) {
				c->sum += PHYS_PFN(v[j].paddr + off);
				break;
			}
			off -= v[j].len;
		}
	}
}

static int bench_vfio_fault(const struct bench_config *cfg,
			    struct bench_result *res)
{
	struct bench_op ours = { ours_lookup, NULL, NULL };
	struct bench_op base = { base_lookup, NULL, NULL };
	struct rnd_state rs;
	struct p2pdma_provider *p;
	struct pci_dev *gpu0;
	struct vfio_bctx *c;
	unsigned int i;
	int ret = -ENOMEM;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	physr_list_init(&c->list);
	gpu0 = pci_get_by_name("gpu0");
	if (!gpu0) {
		ret = -ENODEV;
		goto out_free;
	}
	p = pcim_p2pdma_provider(gpu0, BENCH_VFIO_BAR);
	if (IS_ERR(p)) {
		ret = PTR_ERR(p);
		goto out_put;
	}
	c->offsets = kvmalloc_array(BENCH_VFIO_RANGES, sizeof(u64), GFP_KERNEL);
	c->pbuf.phys_vec = kvmalloc_array(BENCH_VFIO_RANGES,
					  sizeof(*c->pbuf.phys_vec), GFP_KERNEL);
	if (!c->offsets || !c->pbuf.phys_vec)
		goto out_put;
	/* The buffer of vfio-export/4096, both ways. */
	prandom_seed_state(&rs, 4096);
	for (i = 0; i < BENCH_VFIO_RANGES; i++) {
		phys_addr_t pa = p->base + (u64)i * SZ_8K;

		ret = physr_list_append_p2p(&c->list, p, pa, SZ_4K, GFP_KERNEL);
		if (ret)
			goto out_put;
		c->pbuf.phys_vec[i].paddr = pa;
		c->pbuf.phys_vec[i].len = SZ_4K;
		c->offsets[i] = (u64)prandom_u32_below_state(&rs,
				BENCH_VFIO_RANGES) * SZ_4K;
	}
	c->pbuf.nr_ranges = BENCH_VFIO_RANGES;
	ours.arg = c;
	base.arg = c;
	res->baseline = "vfio-6.19-linear";
	res->baseline_how = "a linear search of the buffer's phys_vec array per fault, as 6.19 keeps it (bench/bench_vfio.c); timed: 4096 random page offsets to PFNs";
	bench_time(cfg, res, &ours, &base);
	bench_counter(res, "ranges", BENCH_VFIO_RANGES);
	bench_counter(res, "lookups", BENCH_VFIO_RANGES);
	bench_counter(res, "bytes", physr_list_heap_bytes(&c->list));
	bench_counter(res, "baseline_bytes",
		      BENCH_VFIO_RANGES * sizeof(*c->pbuf.phys_vec));
	ret = c->ret;
out_put:
	pci_dev_put(gpu0);
out_free:
	physr_list_destroy(&c->list);
	kvfree(c->offsets);
	kvfree(c->pbuf.phys_vec);
	kfree(c);
	return ret;
}

const struct bench_case bench_vfio_cases[] = {
	{ "vfio-export/4096", bench_vfio_export, 0 },
	{ "revoke/8importers", bench_vfio_revoke, 0 },
	{ "vfio-fault/4096", bench_vfio_fault, 0 },
	{}
};
