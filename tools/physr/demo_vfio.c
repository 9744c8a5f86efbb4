// SPDX-License-Identifier: GPL-2.0
/*
 * physr demo, the VFIO part (after the DMA-buf part, on demo_dma()'s
 * board and DMA domains).
 *
 * A process opens gpu0 through vfio-pci (docs/vfio.md): its IOMMU group,
 * which the nic shares, is the process's.  The process maps gpu0's BAR2
 * and exports three ranges of it as a DMA-buf; the nic imports it by bus
 * address across the switch, gpu1 through the host bridge and its IOMMU.
 *
 *  - share: the nic and gpu1 write their halves; the process reads both
 *    through its mmap;
 *  - reset: VFIO_DEVICE_RESET revokes first (both importers told while
 *    gpu0 still decodes), then the FLR; gpu1's write at its old IOVA
 *    faults in the IOMMU, the nic's at its old bus address is reported
 *    by the DMA sanitizer, mapping again works once gpu0 decodes;
 *  - memory off: the process clears Memory Space Enable; the importers
 *    are told first, maps are -ENODEV, the process's touch faults;
 *  - close: everything revoked for good; the fabric's count of requests
 *    that reached gpu0's BAR while it did not decode is still 0.
 *
 * Every line printed is deterministic: the machine is.
 */
#include <stdio.h>
#include <string.h>

#include <linux/dma-buf.h>
#include <linux/dma-debug.h>
#include <linux/err.h>
#include <linux/fcntl.h>
#include <linux/iommu.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mm_struct.h>
#include <linux/pci.h>
#include <linux/pci-p2pdma.h>
#include <linux/sched/task.h>
#include <linux/sizes.h>
#include <linux/syscalls.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>
#include <uapi/linux/vfio.h>
#include <asm/pci.h>

#include "sim/dma.h"
#include "tools/physr/physr.h"

#define DEMO_VFIO_BAR		2
#define DEMO_VFIO_SIZE		(SZ_16K + SZ_8K + SZ_4K)

/* 16 KiB at 1 MiB, then 8 KiB at 64 KiB and the 4 KiB after it. */
static const struct vfio_region_dma_range demo_vfio_ranges[] = {
	{ .offset = SZ_1M, .length = SZ_16K },
	{ .offset = SZ_64K, .length = SZ_8K },
	{ .offset = SZ_64K + SZ_8K, .length = SZ_4K },
};

struct demo_vimp {
	const char *name;
	struct pci_dev *pdev;
	struct dma_buf *dmabuf;
	struct dma_buf_attachment *attach;
	struct dma_buf_map *map;
	unsigned int notified;
	bool decoding;		/* gpu0 decoded at every move_notify */
};

struct demo_vfio {
	struct task_struct *tsk, *prev;
	struct mm_struct *mm;
	unsigned long umem;
	struct vfio_device *vdev;
	int fd;
	unsigned long bar;	/* the process's mapping of BAR2's first 2 MiB */
	struct demo_vimp imp[2];
};

static void demo_vimp_move_notify(struct dma_buf_attachment *attach)
{
	struct demo_vimp *imp = attach->importer_priv;
	struct pci_dev *gpu0 = pci_get_by_name("gpu0");
	u16 cmd = 0xffff;

	pci_read_config_word(gpu0, PCI_COMMAND, &cmd);
	pci_dev_put(gpu0);
	if (PCI_POSSIBLE_ERROR(cmd) || !(cmd & PCI_COMMAND_MEMORY))
		imp->decoding = false;
	imp->notified++;
	if (imp->map)
		dma_buf_unmap_attachment(attach, imp->map);
	imp->map = NULL;
}

static const struct dma_buf_attach_ops demo_vimp_ops = {
	.allow_peer2peer = true,
	.move_notify = demo_vimp_move_notify,
};

static int demo_vimp_map(struct demo_vimp *imp)
{
	struct dma_buf_map *map;

	map = dma_buf_map_attachment_unlocked(imp->attach, 0, DEMO_VFIO_SIZE,
					      DMA_BIDIRECTIONAL);
	if (IS_ERR(map))
		return PTR_ERR(map);
	imp->map = map;
	return 0;
}

/* The importer's device writes @len bytes at @off of the buffer. */
static int demo_vimp_write(struct demo_vimp *imp, u64 off, const u8 *buf,
			   u64 len)
{
	struct dma_list_iter di;
	struct dma_range r;
	u64 pos = 0;
	int ret;

	dma_list_for_each(&imp->map->state.dma, &di, &r) {
		u64 a = max(pos, off), b = min(pos + r.len, off + len);

		if (a < b) {
			ret = sim_dma_write(imp->pdev->dev.rid,
					    r.addr + (a - pos), buf + (a - off),
					    b - a);
			if (ret)
				return ret;
		}
		pos += r.len;
	}
	return 0;
}

static void demo_vfio_fill(u8 *p, u64 len, u8 seed)
{
	u64 i;

	for (i = 0; i < len; i++)
		p[i] = (u8)(i * 131 + seed);
}

static u64 demo_vfio_decode_errors(void)
{
	struct sim_pci_decode_errors e;

	arch_pci_decode_errors_sum(&e);
	return e.dma + e.cpu;
}

/* The process's ioctl(fd, VFIO_DEVICE_FEATURE, DMA_BUF of the ranges). */
static int demo_vfio_export(struct demo_vfio *d)
{
	struct {
		struct vfio_device_feature f;
		struct vfio_device_feature_dma_buf b;
	} hdr = {
		.f.argsz = sizeof(hdr) + sizeof(demo_vfio_ranges),
		.f.flags = VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_DMA_BUF,
		.b.region_index = DEMO_VFIO_BAR,
		.b.open_flags = O_RDWR | O_CLOEXEC,
		.b.nr_ranges = ARRAY_SIZE(demo_vfio_ranges),
	};

	if (copy_to_user(d->mm, d->umem, &hdr, sizeof(hdr)) ||
	    copy_to_user(d->mm, d->umem + sizeof(hdr), demo_vfio_ranges,
			 sizeof(demo_vfio_ranges)))
		return -EFAULT;
	return ksys_ioctl(d->fd, VFIO_DEVICE_FEATURE, d->umem);
}

static int demo_vfio_write_cmd(struct demo_vfio *d, u16 cmd)
{
	if (copy_to_user(d->mm, d->umem, &cmd, sizeof(cmd)))
		return -EFAULT;
	return ksys_pwrite64(d->fd, d->umem, sizeof(cmd),
			     VFIO_PCI_INDEX_TO_OFFSET(VFIO_PCI_CONFIG_REGION_INDEX) +
			     PCI_COMMAND) == sizeof(cmd) ? 0 : -EIO;
}

static int demo_vfio_import(struct demo_vfio *d, int buf_fd)
{
	static const char *const names[] = { "nic", "gpu1" };
	struct p2pdma_provider *p;
	unsigned int i;
	int ret;

	p = pcim_p2pdma_provider(to_pci_dev(d->vdev->dev), DEMO_VFIO_BAR);
	if (IS_ERR(p))
		return PTR_ERR(p);

	for (i = 0; i < 2; i++) {
		struct demo_vimp *imp = &d->imp[i];

		imp->name = names[i];
		imp->decoding = true;
		imp->pdev = pci_get_by_name(names[i]);
		imp->dmabuf = dma_buf_get(buf_fd);
		if (!imp->pdev || IS_ERR(imp->dmabuf))
			return -ENODEV;
		imp->attach = dma_buf_dynamic_attach(imp->dmabuf,
						     &imp->pdev->dev,
						     &demo_vimp_ops, imp);
		if (IS_ERR(imp->attach)) {
			ret = PTR_ERR(imp->attach);
			imp->attach = NULL;
			return ret;
		}
		ret = demo_vimp_map(imp);
		if (ret)
			return ret;
		printf("    %-5s %-16s at %#-16llx %u segment(s)\n", imp->name,
		       pci_p2pdma_map_type_name(pci_p2pdma_map_type(p,
							&imp->pdev->dev)),
		       (unsigned long long)dma_list_first_addr(&imp->map->state.dma),
		       (unsigned int)dma_list_nr_ranges(&imp->map->state.dma));
	}
	return 0;
}

static void demo_vfio_unimport(struct demo_vfio *d)
{
	unsigned int i;

	for (i = 0; i < 2; i++) {
		struct demo_vimp *imp = &d->imp[i];

		if (imp->map)
			dma_buf_unmap_attachment_unlocked(imp->attach, imp->map);
		if (imp->attach)
			dma_buf_detach(imp->dmabuf, imp->attach);
		if (!IS_ERR_OR_NULL(imp->dmabuf))
			dma_buf_put(imp->dmabuf);
		pci_dev_put(imp->pdev);
	}
}

/* Share: the nic and gpu1 write, the process reads through its mmap. */
static int demo_vfio_share(struct demo_vfio *d)
{
	u8 a[SZ_16K], b[SZ_8K], got[SZ_16K];
	int ret;

	demo_vfio_fill(a, sizeof(a), 1);
	demo_vfio_fill(b, sizeof(b), 2);
	ret = demo_vimp_write(&d->imp[0], 0, a, sizeof(a));
	if (!ret)
		ret = demo_vimp_write(&d->imp[1], SZ_16K, b, sizeof(b));
	if (ret)
		return ret;
	if (copy_from_user(d->mm, got, d->bar + SZ_1M, sizeof(a)) ||
	    memcmp(got, a, sizeof(a)) ||
	    copy_from_user(d->mm, got, d->bar + SZ_64K, sizeof(b)) ||
	    memcmp(got, b, sizeof(b))) {
		printf("  the process reads its mmap: MISMATCH\n");
		return -EIO;
	}
	printf("  the nic wrote 16 KiB by bus address, gpu1 8 KiB through the\n"
	       "  IOMMU; the process reads both through its mmap of BAR2: every\n"
	       "  byte matches\n");
	return 0;
}

/* Reset: revoke first, then FLR; the old addresses refused. */
static int demo_vfio_reset(struct demo_vfio *d)
{
	dma_addr_t nic_old = dma_list_first_addr(&d->imp[0].map->state.dma);
	dma_addr_t gpu1_old = dma_list_first_addr(&d->imp[1].map->state.dma);
	unsigned long reports;
	u8 buf[64] = { 0x5a };
	int ret;

	iommu_poll_faults();
	ret = ksys_ioctl(d->fd, VFIO_DEVICE_RESET, 0);
	if (ret)
		return ret;
	printf("Reset: VFIO_DEVICE_RESET: move_notify told the nic and gpu1 while\n"
	       "  gpu0 still decoded (%s), then the FLR\n",
	       d->imp[0].decoding && d->imp[1].decoding ? "yes" : "NO");
	ret = sim_dma_write(d->imp[1].pdev->dev.rid, gpu1_old, buf, sizeof(buf));
	printf("  gpu1 writes at its old IOVA %#llx: %s, %u fault(s) logged\n",
	       (unsigned long long)gpu1_old, ret == -EFAULT ? "-EFAULT" : "?",
	       iommu_poll_faults());
	dma_debug_check();
	reports = dma_debug_reports();
	sim_dma_write(d->imp[0].pdev->dev.rid, nic_old, buf, sizeof(buf));
	dma_debug_check();
	printf("  the nic writes at its old bus address %#llx: the DMA sanitizer\n"
	       "    reports %lu access(es) to memory not mapped for it\n",
	       (unsigned long long)nic_old, dma_debug_reports() - reports);
	ret = demo_vimp_map(&d->imp[1]);
	printf("  gpu0 decodes again: gpu1 maps again: %s\n",
	       ret ? "FAILED" : "ok");
	return ret;
}

/* Memory Space Enable off and on. */
static int demo_vfio_memory(struct demo_vfio *d)
{
	u8 got[64];
	int ret;

	ret = demo_vfio_write_cmd(d, PCI_COMMAND_MASTER);
	if (ret)
		return ret;
	printf("Memory off: the process clears Memory Space Enable; move_notify\n"
	       "  told gpu1 first (gpu0 decoding: %s); gpu1 maps: %s; the process\n"
	       "  reads its mmap: %s\n",
	       d->imp[1].decoding ? "yes" : "NO",
	       demo_vimp_map(&d->imp[1]) == -ENODEV ? "-ENODEV" : "?",
	       copy_from_user(d->mm, got, d->bar + SZ_1M, sizeof(got)) ?
	       "-EFAULT (the fault refused)" : "?");
	ret = demo_vfio_write_cmd(d, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	if (!ret)
		ret = demo_vimp_map(&d->imp[0]);
	if (!ret)
		ret = copy_from_user(d->mm, got, d->bar + SZ_1M, sizeof(got)) ?
		      -EFAULT : 0;
	printf("Memory on: the nic maps again, the process reads: %s\n",
	       ret ? "FAILED" : "ok");
	return ret;
}

static int demo_vfio_run(struct demo_vfio *d)
{
	u64 errs = demo_vfio_decode_errors();
	struct pci_dev *gpu0;
	int buf_fd, ret;

	gpu0 = pci_get_by_name("gpu0");
	d->vdev = vfio_pci_core_register_device(gpu0);
	pci_dev_put(gpu0);
	if (IS_ERR(d->vdev)) {
		ret = PTR_ERR(d->vdev);
		d->vdev = NULL;
		return ret;
	}
	d->fd = vfio_device_open_fd(d->vdev, O_RDWR);
	if (d->fd < 0)
		return d->fd;
	printf("\nVFIO: a process opens gpu0 through vfio-pci: its IOMMU group is\n"
	       "  the process's (gpu0 and the nic: %s), maps 2 MiB of BAR2\n",
	       iommu_domain_type_name(iommu_get_domain_for_dev(d->vdev->dev)));
	d->bar = ksys_mmap_pgoff(0, SZ_2M, VM_READ | VM_WRITE, d->fd,
				 VFIO_PCI_INDEX_TO_OFFSET(DEMO_VFIO_BAR) >>
				 PAGE_SHIFT);
	if (IS_ERR_VALUE(d->bar))
		return (long)d->bar;
	buf_fd = demo_vfio_export(d);
	if (buf_fd < 0)
		return buf_fd;
	printf("  and exports 3 ranges of it (28 KiB; two adjacent ones merge):\n");
	ret = demo_vfio_import(d, buf_fd);
	ksys_close(buf_fd);
	if (!ret)
		ret = demo_vfio_share(d);
	if (!ret)
		ret = demo_vfio_reset(d);
	if (!ret)
		ret = demo_vfio_memory(d);
	if (ret)
		return ret;
	ksys_close(d->fd);
	d->fd = -1;
	printf("Close: move_notify told them (%u and %u calls in all); gpu1 maps:\n"
	       "  %s, for good; requests that reached gpu0's BAR while it did\n"
	       "  not decode, in all of the above: %llu\n",
	       d->imp[0].notified, d->imp[1].notified,
	       demo_vimp_map(&d->imp[1]) == -ENODEV ? "-ENODEV" : "?",
	       (unsigned long long)(demo_vfio_decode_errors() - errs));
	return 0;
}

/**
 * demo_vfio() - the VFIO part of `physr demo`
 *
 * Runs on demo_dma()'s machine, as a process of its own.
 *
 * Return: 0, or a negative errno.
 */
int demo_vfio(void)
{
	struct demo_vfio d = { .fd = -1 };
	int ret = -ENOMEM;

	d.mm = mm_alloc();
	if (!d.mm)
		return -ENOMEM;
	d.tsk = task_create("demo_vfio", d.mm, GFP_KERNEL);
	if (IS_ERR(d.tsk))
		goto out_mmput;
	d.umem = vm_mmap(d.mm, 0, SZ_64K, VM_READ | VM_WRITE, VM_KIND_ANON);
	d.prev = compat_set_current(d.tsk);
	ret = IS_ERR_VALUE(d.umem) ? (long)d.umem : demo_vfio_run(&d);
	compat_set_current(d.prev);
	task_exit(d.tsk);		/* closes what is open */
	demo_vfio_unimport(&d);
	if (d.vdev)
		vfio_pci_core_unregister_device(d.vdev);
out_mmput:
	mmput(d.mm);
	return ret;
}
