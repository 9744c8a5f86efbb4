// SPDX-License-Identifier: GPL-2.0
/*
 * VFIO (drivers/vfio/): a process opens GPU0 through vfio-pci, maps its
 * BAR, exports pieces of it as a DMA buffer that the NIC (below the same
 * switch: bus addresses) and GPU1 (another root port: through the host
 * bridge and its IOMMU) import; then resets it, turns its memory decode
 * off and on, and closes it with importers live.
 *
 * What every case checks besides its own point: the machine's fabric
 * monitor counts no request that reached a BAR while it did not decode
 * (arch_pci_decode_errors_sum(): the revoke always comes first), and the
 * DMA sanitizer reports exactly what the case announces (the suite's
 * checks, tests/dma_test.h).  The runner's leak check proves that closing
 * (or the process's exit) released everything.
 *
 * Each case runs as a fresh process with an address space; its memory
 * holds the ioctl arguments, as a program's would.  The default board,
 * DMA default domains.
 */
#include <pthread.h>

#include <linux/dma-buf.h>
#include <linux/fcntl.h>
#include <linux/mm_struct.h>
#include <linux/sched/task.h>
#include <linux/syscalls.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>
#include <uapi/linux/vfio.h>
#include <asm/pci.h>

#include "tests/dma_test.h"

#define VFIO_TEST_UMEM		(256 * SZ_1K)	/* the process's argument memory */
#define VFIO_TEST_BAR		2		/* GPU0's 16 GiB BAR */

/**
 * struct vfio_test - a case's process and device
 * @tsk: the process the case runs as
 * @prev: what current was before
 * @mm: its address space
 * @umem: its argument memory
 * @vdev: GPU0 registered with vfio-pci
 * @errs: the decode error counters when the case began
 */
struct vfio_test {
	struct task_struct *tsk;
	struct task_struct *prev;
	struct mm_struct *mm;
	unsigned long umem;
	struct vfio_device *vdev;
	struct sim_pci_decode_errors errs;
};

static void vfio_test_end(void *arg)
{
	struct vfio_test *vt = arg;
	struct sim_pci_decode_errors now;

	if (vt->tsk) {
		compat_set_current(vt->prev);
		task_exit(vt->tsk);	/* closes what the case left open */
	}
	mmput(vt->mm);
	vfio_pci_core_unregister_device(vt->vdev);
	arch_pci_decode_errors_sum(&now);
	WARN(now.dma != vt->errs.dma || now.cpu != vt->errs.cpu,
	     "vfio_test: %llu DMA and %llu CPU requests reached a BAR that did not decode\n",
	     (unsigned long long)(now.dma - vt->errs.dma),
	     (unsigned long long)(now.cpu - vt->errs.cpu));
}

/* A process with argument memory, running as current; GPU0 registered. */
static struct vfio_test *vfio_test_start(struct kunit *test)
{
	struct vfio_test *vt = kunit_kzalloc(test, sizeof(*vt), GFP_KERNEL);
	struct pci_dev *gpu0 = pci_test_dev(test, "gpu0");

	KUNIT_ASSERT_NOT_NULL(test, vt);
	arch_pci_decode_errors_sum(&vt->errs);
	vt->mm = mm_alloc();
	KUNIT_ASSERT_NOT_NULL(test, vt->mm);
	vt->tsk = task_create("vfio_test", vt->mm, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, vt->tsk);
	vt->umem = vm_mmap(vt->mm, 0, VFIO_TEST_UMEM, VM_READ | VM_WRITE,
			   VM_KIND_ANON);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(vt->umem));
	vt->vdev = vfio_pci_core_register_device(gpu0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, vt->vdev);
	vt->prev = compat_set_current(vt->tsk);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, vfio_test_end,
							vt), 0);
	return vt;
}

static int vfio_test_open(struct kunit *test, struct vfio_test *vt)
{
	int fd = vfio_device_open_fd(vt->vdev, O_RDWR);

	KUNIT_ASSERT_GE(test, fd, 0);
	return fd;
}

/* The process's ioctl(fd, VFIO_DEVICE_FEATURE, {DMA_BUF, ranges}). */
static long vfio_test_export_raw(struct vfio_test *vt, int fd, u32 fflags,
				 u32 index, u32 oflags, u32 flags,
				 const struct vfio_region_dma_range *r, u32 nr,
				 u32 nr_copy)
{
	struct {
		struct vfio_device_feature f;
		struct vfio_device_feature_dma_buf d;
	} hdr = {
		.f.argsz = sizeof(hdr) + nr_copy * sizeof(*r),
		.f.flags = fflags | VFIO_DEVICE_FEATURE_DMA_BUF,
		.d.region_index = index,
		.d.open_flags = oflags,
		.d.flags = flags,
		.d.nr_ranges = nr,
	};

	if (sizeof(hdr) + nr_copy * sizeof(*r) > VFIO_TEST_UMEM ||
	    copy_to_user(vt->mm, vt->umem, &hdr, sizeof(hdr)) ||
	    (nr_copy && copy_to_user(vt->mm, vt->umem + sizeof(hdr), r,
				     nr_copy * sizeof(*r))))
		return -E2BIG;
	return ksys_ioctl(fd, VFIO_DEVICE_FEATURE, vt->umem);
}

static long vfio_test_export(struct vfio_test *vt, int fd,
			     const struct vfio_region_dma_range *r, u32 nr)
{
	return vfio_test_export_raw(vt, fd, VFIO_DEVICE_FEATURE_GET,
				    VFIO_TEST_BAR, O_RDWR | O_CLOEXEC, 0, r,
				    nr, nr);
}

/* The process writes Command through the config region. */
static ssize_t vfio_test_write_cmd(struct vfio_test *vt, int fd, u16 cmd)
{
	if (copy_to_user(vt->mm, vt->umem, &cmd, sizeof(cmd)))
		return -EFAULT;
	return ksys_pwrite64(fd, vt->umem, sizeof(cmd),
			     VFIO_PCI_INDEX_TO_OFFSET(VFIO_PCI_CONFIG_REGION_INDEX) +
			     PCI_COMMAND);
}

/* mmap() of @len bytes of GPU0's BAR2 from @off. */
static unsigned long vfio_test_mmap(struct kunit *test, int fd, u64 off,
				    u64 len)
{
	unsigned long addr;

	addr = ksys_mmap_pgoff(0, len, VM_READ | VM_WRITE, fd,
			       (VFIO_PCI_INDEX_TO_OFFSET(VFIO_TEST_BAR) + off) >>
			       PAGE_SHIFT);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(addr));
	return addr;
}

/* ---- importers ----------------------------------------------------------- */

/**
 * struct vfio_test_importer - a device importing the buffer dynamically
 * @dev: its device
 * @dmabuf: the buffer
 * @attach: its attachment
 * @map: its mapping of the whole buffer, NULL when unmapped
 * @notified: move_notify calls
 * @decode_at_notify: GPU0's Command had Memory Space Enable (and GPU0
 *	was not in reset) at every move_notify
 * @write_at_notify: the device finishes a write of 64 bytes of 0x77 at
 *	the buffer's start in move_notify, as DMA in flight would
 * @notify_write_ret: how that write went
 */
struct vfio_test_importer {
	struct device *dev;
	struct dma_buf *dmabuf;
	struct dma_buf_attachment *attach;
	struct dma_buf_map *map;
	unsigned int notified;
	bool decode_at_notify;
	bool write_at_notify;
	int notify_write_ret;
};

static int vfio_test_dev_write(struct vfio_test_importer *imp, u64 off,
			       const u8 *buf, u64 len);

static void vfio_test_move_notify(struct dma_buf_attachment *attach)
{
	struct vfio_test_importer *imp = attach->importer_priv;
	struct pci_dev *gpu0 = pci_get_by_name("gpu0");
	u16 cmd = 0xffff;

	/* The exporter tells us before the BAR stops decoding. */
	pci_read_config_word(gpu0, PCI_COMMAND, &cmd);
	pci_dev_put(gpu0);
	if (PCI_POSSIBLE_ERROR(cmd) || !(cmd & PCI_COMMAND_MEMORY))
		imp->decode_at_notify = false;
	imp->notified++;
	if (imp->map && imp->write_at_notify) {
		u8 last[64];

		memset(last, 0x77, sizeof(last));
		imp->notify_write_ret = vfio_test_dev_write(imp, 0, last,
							    sizeof(last));
	}
	if (imp->map)
		dma_buf_unmap_attachment(attach, imp->map);
	imp->map = NULL;
}

static const struct dma_buf_attach_ops vfio_test_importer_ops = {
	.allow_peer2peer = true,
	.move_notify = vfio_test_move_notify,
};

static void vfio_test_importer_end(void *arg)
{
	struct vfio_test_importer *imp = arg;

	if (imp->map)
		dma_buf_unmap_attachment_unlocked(imp->attach, imp->map);
	dma_buf_detach(imp->dmabuf, imp->attach);
	dma_buf_put(imp->dmabuf);
}

/* @name imports the buffer of descriptor @fd. */
static struct vfio_test_importer *vfio_test_import(struct kunit *test, int fd,
						   const char *name)
{
	struct vfio_test_importer *imp = kunit_kzalloc(test, sizeof(*imp),
						       GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, imp);
	imp->dev = dma_test_dev(test, name);
	imp->decode_at_notify = true;
	imp->dmabuf = dma_buf_get(fd);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, imp->dmabuf);
	imp->attach = dma_buf_dynamic_attach(imp->dmabuf, imp->dev,
					     &vfio_test_importer_ops, imp);
	if (IS_ERR(imp->attach))
		dma_buf_put(imp->dmabuf);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, imp->attach);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
			vfio_test_importer_end, imp), 0);
	return imp;
}

/* Map the whole buffer.  Return: 0 or the map's error. */
static int vfio_test_map(struct vfio_test_importer *imp)
{
	struct dma_buf_map *map;

	dma_resv_lock(imp->dmabuf->resv, NULL);
	map = dma_buf_map_attachment(imp->attach, 0, imp->dmabuf->size,
				     DMA_BIDIRECTIONAL);
	if (!IS_ERR(map))
		imp->map = map;
	dma_resv_unlock(imp->dmabuf->resv);
	return PTR_ERR_OR_ZERO(map);
}

/* The importer's device writes @len bytes at @off of the buffer. */
static int vfio_test_dev_write(struct vfio_test_importer *imp, u64 off,
			       const u8 *buf, u64 len)
{
	struct dma_list_iter di;
	struct dma_range r;
	u64 pos = 0;
	int ret;

	dma_list_for_each(&imp->map->state.dma, &di, &r) {
		u64 a = max(pos, off), b = min(pos + r.len, off + len);

		if (a < b) {
			ret = sim_dma_write(imp->dev->rid, r.addr + (a - pos),
					    buf + (a - off), b - a);
			if (ret)
				return ret;
		}
		pos += r.len;
	}
	return 0;
}

/* ---- the three ranges ---------------------------------------------------- */

/*
 * Three ranges of BAR2, in this order: 16 KiB at 1 MiB, then 8 KiB at
 * 64 KiB and the 4 KiB right after it (adjacent: they merge).  The
 * buffer is 28 KiB.
 */
static const struct vfio_region_dma_range vfio_test_ranges[] = {
	{ .offset = SZ_1M, .length = SZ_16K },
	{ .offset = SZ_64K, .length = SZ_8K },
	{ .offset = SZ_64K + SZ_8K, .length = SZ_4K },
};

#define VFIO_TEST_BUF_SIZE	(SZ_16K + SZ_8K + SZ_4K)

/* Buffer offset @off is at this BAR offset. */
static u64 vfio_test_bar_off(u64 off)
{
	return off < SZ_16K ? SZ_1M + off : SZ_64K + (off - SZ_16K);
}

/* The process reads @len bytes of BAR2 at @bar_off through its mmap. */
static unsigned long vfio_test_proc_read(struct vfio_test *vt,
					 unsigned long map, u64 bar_off,
					 void *buf, u64 len)
{
	return copy_from_user(vt->mm, buf, map + bar_off, len);
}

/* ---- cases ----------------------------------------------------------------- */

/* Open claims the group; one process at a time; close gives it back. */
static void vfio_open_close(struct kunit *test)
{
	struct vfio_test *vt = vfio_test_start(test);
	struct device *gpu0 = dma_test_dev(test, "gpu0");
	struct device *nic = dma_test_dev(test, "nic");
	struct iommu_domain *def = iommu_get_default_domain(gpu0);
	struct vfio_region_info info = { .argsz = sizeof(info) };
	struct vfio_device_info dinfo = { .argsz = sizeof(dinfo) };
	struct vfio_device *vnic;
	struct task_struct *other;
	int fd, fd2;

	fd = vfio_test_open(test, vt);
	KUNIT_EXPECT_STREQ(test,
			   iommu_domain_type_name(iommu_get_domain_for_dev(gpu0)),
			   "blocked");
	/* The NIC shares GPU0's group: blocked too. */
	KUNIT_EXPECT_STREQ(test,
			   iommu_domain_type_name(iommu_get_domain_for_dev(nic)),
			   "blocked");
	KUNIT_EXPECT_EQ(test, vfio_device_open_fd(vt->vdev, O_RDWR), -EBUSY);

	/* Another process may not have the NIC; this one may. */
	vnic = vfio_pci_core_register_device(to_pci_dev(nic));
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, vnic);
	other = task_create("other", NULL, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, other);
	compat_set_current(other);
	KUNIT_EXPECT_EQ(test, vfio_device_open_fd(vnic, O_RDWR), -EBUSY);
	compat_set_current(vt->tsk);
	task_exit(other);
	fd2 = vfio_device_open_fd(vnic, O_RDWR);
	KUNIT_EXPECT_GE(test, fd2, 0);
	KUNIT_EXPECT_EQ(test, ksys_close(fd2), 0);
	vfio_pci_core_unregister_device(vnic);

	/* Regions. */
	KUNIT_ASSERT_EQ(test, copy_to_user(vt->mm, vt->umem, &dinfo,
					   sizeof(dinfo)), 0UL);
	KUNIT_EXPECT_EQ(test, ksys_ioctl(fd, VFIO_DEVICE_GET_INFO, vt->umem), 0L);
	KUNIT_ASSERT_EQ(test, copy_from_user(vt->mm, &dinfo, vt->umem,
					     sizeof(dinfo)), 0UL);
	KUNIT_EXPECT_EQ(test, dinfo.num_regions, (u32)VFIO_PCI_NUM_REGIONS);
	KUNIT_EXPECT_TRUE(test, dinfo.flags & VFIO_DEVICE_FLAGS_RESET);

	info.index = VFIO_TEST_BAR;
	KUNIT_ASSERT_EQ(test, copy_to_user(vt->mm, vt->umem, &info,
					   sizeof(info)), 0UL);
	KUNIT_EXPECT_EQ(test, ksys_ioctl(fd, VFIO_DEVICE_GET_REGION_INFO,
					 vt->umem), 0L);
	KUNIT_ASSERT_EQ(test, copy_from_user(vt->mm, &info, vt->umem,
					     sizeof(info)), 0UL);
	KUNIT_EXPECT_EQ(test, info.size, 16ULL * SZ_1G);
	KUNIT_EXPECT_EQ(test, info.offset,
			VFIO_PCI_INDEX_TO_OFFSET(VFIO_TEST_BAR));
	KUNIT_EXPECT_TRUE(test, info.flags & VFIO_REGION_INFO_FLAG_MMAP);
	info.index = 1;		/* the high half of BAR0? no: BAR1 is empty */
	KUNIT_ASSERT_EQ(test, copy_to_user(vt->mm, vt->umem, &info,
					   sizeof(info)), 0UL);
	KUNIT_EXPECT_EQ(test, ksys_ioctl(fd, VFIO_DEVICE_GET_REGION_INFO,
					 vt->umem), 0L);
	KUNIT_ASSERT_EQ(test, copy_from_user(vt->mm, &info, vt->umem,
					     sizeof(info)), 0UL);
	KUNIT_EXPECT_EQ(test, info.size, 0ULL);
	info.index = VFIO_PCI_NUM_REGIONS;
	KUNIT_ASSERT_EQ(test, copy_to_user(vt->mm, vt->umem, &info,
					   sizeof(info)), 0UL);
	KUNIT_EXPECT_EQ(test, ksys_ioctl(fd, VFIO_DEVICE_GET_REGION_INFO,
					 vt->umem), -EINVAL);

	KUNIT_EXPECT_EQ(test, ksys_close(fd), 0);
	KUNIT_EXPECT_PTR_EQ(test, iommu_get_domain_for_dev(gpu0), def);
	/* Open again after close. */
	fd = vfio_test_open(test, vt);
	KUNIT_EXPECT_EQ(test, ksys_close(fd), 0);
}

/*
 * The picture: three ranges exported; the NIC writes by bus
 * address, GPU1 through the host bridge and its IOMMU; the process reads
 * both through its mmap of the BAR.
 */
static void vfio_export_three_ranges(struct kunit *test)
{
	struct vfio_test *vt = vfio_test_start(test);
	int fd = vfio_test_open(test, vt), buf_fd;
	struct vfio_test_importer *nic, *gpu1;
	struct p2pdma_provider *p = dma_test_p2p_provider(test, VFIO_TEST_BAR);
	u8 *a = dma_test_alloc(test, SZ_16K), *b = dma_test_alloc(test, SZ_8K);
	u8 *got = dma_test_alloc(test, SZ_16K);
	struct physr_view view;
	struct physr_iter it;
	struct physr r;
	unsigned long map;
	unsigned int n = 0;

	buf_fd = vfio_test_export(vt, fd, vfio_test_ranges, 3);
	KUNIT_ASSERT_GE(test, buf_fd, 0);
	nic = vfio_test_import(test, buf_fd, "nic");
	gpu1 = vfio_test_import(test, buf_fd, "gpu1");
	KUNIT_EXPECT_EQ(test, nic->dmabuf->size, (size_t)VFIO_TEST_BUF_SIZE);
	KUNIT_EXPECT_EQ(test, ksys_close(buf_fd), 0);	/* importers hold it */

	/* One list, adjacent ranges merged: two ranges of the BAR. */
	dma_resv_lock(nic->dmabuf->resv, NULL);
	KUNIT_ASSERT_EQ(test, dma_buf_get_physr(nic->attach, &view), 0);
	physr_view_for_each(&view, &it, &r) {
		KUNIT_EXPECT_PTR_EQ(test, physr_iter_provider(&it), p);
		n++;
	}
	dma_buf_put_physr(nic->attach);
	dma_resv_unlock(nic->dmabuf->resv);
	KUNIT_EXPECT_EQ(test, n, 2U);

	KUNIT_ASSERT_EQ(test, vfio_test_map(nic), 0);
	KUNIT_ASSERT_EQ(test, vfio_test_map(gpu1), 0);
	/* The NIC by bus address, GPU1 by IOVA. */
	KUNIT_EXPECT_EQ(test, dma_list_first_addr(&nic->map->state.dma),
			p2pdma_bus_addr(p, p->base + SZ_1M));
	KUNIT_EXPECT_EQ(test, nic->map->state.path, DMA_PATH_IOMMU);
	KUNIT_EXPECT_NE(test, dma_list_first_addr(&gpu1->map->state.dma),
			(dma_addr_t)(p->base + SZ_1M));

	dma_test_fill(a, SZ_16K, 1);
	dma_test_fill(b, SZ_8K, 2);
	KUNIT_EXPECT_EQ(test, vfio_test_dev_write(nic, 0, a, SZ_16K), 0);
	KUNIT_EXPECT_EQ(test, vfio_test_dev_write(gpu1, SZ_16K, b, SZ_8K), 0);

	map = vfio_test_mmap(test, fd, 0, SZ_2M);
	KUNIT_EXPECT_EQ(test, vfio_test_proc_read(vt, map, vfio_test_bar_off(0),
						  got, SZ_16K), 0UL);
	KUNIT_EXPECT_MEMEQ(test, got, a, SZ_16K);
	KUNIT_EXPECT_EQ(test, vfio_test_proc_read(vt, map,
						  vfio_test_bar_off(SZ_16K),
						  got, SZ_8K), 0UL);
	KUNIT_EXPECT_MEMEQ(test, got, b, SZ_8K);
	/* The process writes, the NIC reads it. */
	KUNIT_EXPECT_EQ(test, copy_to_user(vt->mm, map + SZ_1M, b, SZ_8K), 0UL);
	KUNIT_EXPECT_EQ(test, sim_dma_read(nic->dev->rid,
					   dma_list_first_addr(&nic->map->state.dma),
					   got, SZ_8K), 0);
	KUNIT_EXPECT_MEMEQ(test, got, b, SZ_8K);
	KUNIT_EXPECT_EQ(test, nic->notified, 0U);
	KUNIT_EXPECT_EQ(test, ksys_close(fd), 0);
}

/*
 * mmap of the device file: BARs only, inside them; a mapping is unmapped
 * whole or not at all; a write through it reaches the BAR.
 */
static void vfio_mmap_munmap(struct kunit *test)
{
	struct vfio_test *vt = vfio_test_start(test);
	int fd = vfio_test_open(test, vt);
	u64 bar_pgoff = VFIO_PCI_INDEX_TO_OFFSET(VFIO_TEST_BAR) >> PAGE_SHIFT;
	u32 v = 0x12345678, got = 0;
	unsigned long map, bad;

	/* Not a memory BAR, beyond the BAR, config space. */
	bad = ksys_mmap_pgoff(0, SZ_4K, VM_READ, fd,
			      VFIO_PCI_INDEX_TO_OFFSET(1) >> PAGE_SHIFT);
	KUNIT_EXPECT_EQ(test, (long)bad, -EINVAL);
	bad = ksys_mmap_pgoff(0, SZ_8K, VM_READ, fd,
			      bar_pgoff + ((16ULL * SZ_1G - SZ_4K) >> PAGE_SHIFT));
	KUNIT_EXPECT_EQ(test, (long)bad, -EINVAL);
	bad = ksys_mmap_pgoff(0, SZ_4K, VM_READ, fd,
			      VFIO_PCI_INDEX_TO_OFFSET(VFIO_PCI_CONFIG_REGION_INDEX) >>
			      PAGE_SHIFT);
	KUNIT_EXPECT_EQ(test, (long)bad, -EINVAL);
	KUNIT_EXPECT_EQ(test, (long)ksys_mmap_pgoff(0, SZ_4K, VM_READ, 999, 0),
			-EBADF);

	/* 64 KiB at 16 MiB into the BAR: the CPU's store lands there. */
	map = ksys_mmap_pgoff(0, SZ_64K, VM_READ | VM_WRITE, fd,
			      bar_pgoff + (SZ_16M >> PAGE_SHIFT));
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(map));
	KUNIT_EXPECT_EQ(test, copy_to_user(vt->mm, map + SZ_4K, &v, 4), 0UL);
	KUNIT_EXPECT_EQ(test, *(u32 *)sim_cpu_map(pci_resource_start(
				to_pci_dev(vt->vdev->dev), VFIO_TEST_BAR) +
				SZ_16M + SZ_4K, 4), v);
	KUNIT_EXPECT_EQ(test, copy_from_user(vt->mm, &got, map + SZ_4K, 4), 0UL);
	KUNIT_EXPECT_EQ(test, got, v);
	/* Half of it: refused, nothing changed; all of it: gone. */
	KUNIT_EXPECT_EQ(test, vm_munmap(vt->mm, map, SZ_32K), -EINVAL);
	KUNIT_EXPECT_EQ(test, vm_munmap(vt->mm, map + SZ_32K, SZ_32K), -EINVAL);
	KUNIT_EXPECT_EQ(test, vm_munmap(vt->mm, map + SZ_4K, SZ_4K), -EINVAL);
	KUNIT_EXPECT_EQ(test, copy_from_user(vt->mm, &got, map + SZ_4K, 4), 0UL);
	KUNIT_EXPECT_EQ(test, vm_munmap(vt->mm, map, SZ_64K), 0);
	KUNIT_EXPECT_EQ(test, copy_from_user(vt->mm, &got, map + SZ_4K, 4), 4UL);
	KUNIT_EXPECT_EQ(test, ksys_close(fd), 0);
}

/* Map both importers and fault the process's mapping in. */
static unsigned long vfio_test_all_live(struct kunit *test,
					struct vfio_test *vt, int fd,
					struct vfio_test_importer *nic,
					struct vfio_test_importer *gpu1)
{
	unsigned long map = vfio_test_mmap(test, fd, 0, SZ_2M);
	u8 got[64];

	KUNIT_ASSERT_EQ(test, vfio_test_map(nic), 0);
	KUNIT_ASSERT_EQ(test, vfio_test_map(gpu1), 0);
	KUNIT_ASSERT_EQ(test, vfio_test_proc_read(vt, map, SZ_1M, got, 64), 0UL);
	return map;
}

/*
 * A reset with importers live: they are told (and unmap) while GPU0 still
 * decodes, before the FLR; afterwards GPU1's old IOVA faults in its
 * IOMMU, the NIC's old bus address is reported by the sanitizer, and no
 * request reached the BAR while it was in reset.  Then they map again.
 */
static void vfio_reset_revokes(struct kunit *test)
{
	struct vfio_test *vt = vfio_test_start(test);
	int fd = vfio_test_open(test, vt), buf_fd;
	struct vfio_test_importer *nic, *gpu1;
	dma_addr_t nic_addr, gpu1_addr;
	u8 buf[64] = { 0x5a }, got[64];
	unsigned long map;

	buf_fd = vfio_test_export(vt, fd, vfio_test_ranges, 3);
	KUNIT_ASSERT_GE(test, buf_fd, 0);
	nic = vfio_test_import(test, buf_fd, "nic");
	gpu1 = vfio_test_import(test, buf_fd, "gpu1");
	map = vfio_test_all_live(test, vt, fd, nic, gpu1);
	nic_addr = dma_list_first_addr(&nic->map->state.dma);
	gpu1_addr = dma_list_first_addr(&gpu1->map->state.dma);
	iommu_poll_faults();
	nic->write_at_notify = true;
	nic->notify_write_ret = -1;

	KUNIT_ASSERT_EQ(test, ksys_ioctl(fd, VFIO_DEVICE_RESET, 0), 0L);
	KUNIT_EXPECT_EQ(test, nic->notified, 1U);
	KUNIT_EXPECT_EQ(test, gpu1->notified, 1U);
	KUNIT_EXPECT_TRUE(test, nic->decode_at_notify);
	KUNIT_EXPECT_TRUE(test, gpu1->decode_at_notify);
	KUNIT_EXPECT_NULL(test, nic->map);
	/*
	 * The NIC's last write, in its move_notify, landed before the FLR:
	 * the reset zeroed it.
	 */
	KUNIT_EXPECT_EQ(test, nic->notify_write_ret, 0);
	KUNIT_EXPECT_EQ(test, vfio_test_proc_read(vt, map, SZ_1M, got, 64), 0UL);
	KUNIT_EXPECT_EQ(test, got[0], 0);
	KUNIT_EXPECT_EQ(test, got[63], 0);

	/* Late DMA through the old mappings. */
	KUNIT_EXPECT_EQ(test, sim_dma_write(gpu1->dev->rid, gpu1_addr, buf, 64),
			-EFAULT);
	KUNIT_EXPECT_GE(test, iommu_poll_faults(), 1U);
	KUNIT_EXPECT_EQ(test, sim_dma_write(nic->dev->rid, nic_addr, buf, 64), 0);
	dma_test_expect_reports(test, DMA_DEBUG_ACCESS_UNMAPPED, 2, NULL);

	/* Memory decode is back on: map again; the reset zeroed the BAR. */
	KUNIT_ASSERT_EQ(test, vfio_test_map(gpu1), 0);
	KUNIT_EXPECT_EQ(test, vfio_test_dev_write(gpu1, 0, buf, 64), 0);
	KUNIT_EXPECT_EQ(test, vfio_test_proc_read(vt, map, SZ_1M, got, 64), 0UL);
	KUNIT_EXPECT_MEMEQ(test, got, buf, 64);
	KUNIT_EXPECT_EQ(test, ksys_close(fd), 0);
}

/* Memory Space Enable off: everything revoked first; on: back. */
static void vfio_mse_off_on(struct kunit *test)
{
	struct vfio_test *vt = vfio_test_start(test);
	int fd = vfio_test_open(test, vt), buf_fd;
	struct vfio_test_importer *nic, *gpu1;
	u8 buf[64] = { 0xa5 }, got[64];
	unsigned long map;

	buf_fd = vfio_test_export(vt, fd, vfio_test_ranges, 3);
	KUNIT_ASSERT_GE(test, buf_fd, 0);
	nic = vfio_test_import(test, buf_fd, "nic");
	gpu1 = vfio_test_import(test, buf_fd, "gpu1");
	map = vfio_test_all_live(test, vt, fd, nic, gpu1);

	KUNIT_ASSERT_EQ(test, vfio_test_write_cmd(vt, fd, PCI_COMMAND_MASTER),
			(ssize_t)2);
	KUNIT_EXPECT_EQ(test, nic->notified, 1U);
	KUNIT_EXPECT_TRUE(test, nic->decode_at_notify);
	KUNIT_EXPECT_TRUE(test, gpu1->decode_at_notify);
	KUNIT_EXPECT_EQ(test, vfio_test_map(nic), -ENODEV);
	KUNIT_EXPECT_EQ(test, vfio_test_map(gpu1), -ENODEV);
	/* The process's touch faults, without reaching the BAR. */
	KUNIT_EXPECT_EQ(test, vfio_test_proc_read(vt, map, SZ_1M, got, 64), 64UL);
	/* No export while decode is off. */
	KUNIT_EXPECT_EQ(test, vfio_test_export(vt, fd, vfio_test_ranges, 1),
			-EINVAL);
	/* Writing it off again changes nothing. */
	KUNIT_ASSERT_EQ(test, vfio_test_write_cmd(vt, fd, PCI_COMMAND_MASTER),
			(ssize_t)2);
	KUNIT_EXPECT_EQ(test, nic->notified, 1U);

	KUNIT_ASSERT_EQ(test, vfio_test_write_cmd(vt, fd, PCI_COMMAND_MEMORY |
						  PCI_COMMAND_MASTER),
			(ssize_t)2);
	KUNIT_ASSERT_EQ(test, vfio_test_map(nic), 0);
	KUNIT_EXPECT_EQ(test, vfio_test_dev_write(nic, 0, buf, 64), 0);
	KUNIT_EXPECT_EQ(test, vfio_test_proc_read(vt, map, SZ_1M, got, 64), 0UL);
	KUNIT_EXPECT_MEMEQ(test, got, buf, 64);
	KUNIT_EXPECT_EQ(test, ksys_close(fd), 0);
}

/*
 * Close with importers live: revoked for good before the device is
 * reset; the buffers live on until their importers let go; the
 * process's mapping faults.
 */
static void vfio_close_with_importers(struct kunit *test)
{
	struct vfio_test *vt = vfio_test_start(test);
	int fd = vfio_test_open(test, vt), buf_fd;
	struct vfio_test_importer *nic, *gpu1;
	unsigned long map;
	u8 got[64];

	buf_fd = vfio_test_export(vt, fd, vfio_test_ranges, 3);
	KUNIT_ASSERT_GE(test, buf_fd, 0);
	nic = vfio_test_import(test, buf_fd, "nic");
	gpu1 = vfio_test_import(test, buf_fd, "gpu1");
	map = vfio_test_all_live(test, vt, fd, nic, gpu1);

	KUNIT_ASSERT_EQ(test, ksys_close(fd), 0);
	KUNIT_EXPECT_EQ(test, nic->notified, 1U);
	KUNIT_EXPECT_EQ(test, gpu1->notified, 1U);
	KUNIT_EXPECT_TRUE(test, nic->decode_at_notify);
	KUNIT_EXPECT_TRUE(test, gpu1->decode_at_notify);
	KUNIT_EXPECT_EQ(test, vfio_test_map(nic), -ENODEV);
	KUNIT_EXPECT_EQ(test, vfio_test_proc_read(vt, map, SZ_1M, got, 64), 64UL);
	/* A new open, even a reset after it, does not bring it back. */
	fd = vfio_test_open(test, vt);
	KUNIT_EXPECT_EQ(test, vfio_test_map(gpu1), -ENODEV);
	KUNIT_EXPECT_EQ(test, ksys_ioctl(fd, VFIO_DEVICE_RESET, 0), 0L);
	KUNIT_EXPECT_EQ(test, vfio_test_map(gpu1), -ENODEV);
	KUNIT_EXPECT_EQ(test, vfio_test_proc_read(vt, map, SZ_1M, got, 64), 64UL);
	KUNIT_EXPECT_EQ(test, ksys_close(buf_fd), 0);
	KUNIT_EXPECT_EQ(test, ksys_close(fd), 0);
}

/* Importers the exporter refuses, and pins. */
static void vfio_attach_refused(struct kunit *test)
{
	static const struct dma_buf_attach_ops no_p2p = {
		.move_notify = vfio_test_move_notify,
	};
	struct vfio_test *vt = vfio_test_start(test);
	int fd = vfio_test_open(test, vt), buf_fd;
	struct dma_buf_attachment *attach;
	struct vfio_test_importer *nic;
	struct dma_buf *dmabuf;

	buf_fd = vfio_test_export(vt, fd, vfio_test_ranges, 1);
	KUNIT_ASSERT_GE(test, buf_fd, 0);
	dmabuf = dma_buf_get(buf_fd);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dmabuf);
	KUNIT_EXPECT_PTR_EQ(test, dma_buf_attach(dmabuf,
						 dma_test_dev(test, "nic")),
			    ERR_PTR(-EOPNOTSUPP));
	attach = dma_buf_dynamic_attach(dmabuf, dma_test_dev(test, "nic"),
					&no_p2p, NULL);
	KUNIT_EXPECT_PTR_EQ(test, attach, ERR_PTR(-EOPNOTSUPP));
	if (!IS_ERR(attach))
		dma_buf_detach(dmabuf, attach);
	dma_buf_put(dmabuf);
	nic = vfio_test_import(test, buf_fd, "nic");
	dma_resv_lock(nic->dmabuf->resv, NULL);
	KUNIT_EXPECT_EQ(test, dma_buf_pin(nic->attach), -EOPNOTSUPP);
	dma_resv_unlock(nic->dmabuf->resv);
	KUNIT_EXPECT_EQ(test, ksys_close(buf_fd), 0);
	KUNIT_EXPECT_EQ(test, ksys_close(fd), 0);
}

/* Bad input, each alone. */
static void vfio_export_errors(struct kunit *test)
{
	struct vfio_test *vt = vfio_test_start(test);
	int fd = vfio_test_open(test, vt);
	const u32 get = VFIO_DEVICE_FEATURE_GET;
	struct vfio_region_dma_range r[2] = {
		{ .offset = 0, .length = SZ_4K },
		{ .offset = SZ_8K, .length = SZ_4K },
	};
	struct vfio_region_dma_range bad;

	/* Regions: not a region, not a memory BAR. */
	KUNIT_EXPECT_EQ(test, vfio_test_export_raw(vt, fd, get, VFIO_PCI_NUM_REGIONS,
						   O_RDWR, 0, r, 1, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_test_export_raw(vt, fd, get, 1, O_RDWR, 0,
						   r, 1, 1), -ENODEV);
	KUNIT_EXPECT_EQ(test, vfio_test_export_raw(vt, fd, get,
						   VFIO_PCI_CONFIG_REGION_INDEX,
						   O_RDWR, 0, r, 1, 1), -ENODEV);
	/* The header. */
	KUNIT_EXPECT_EQ(test, vfio_test_export_raw(vt, fd, get, VFIO_TEST_BAR,
						   O_RDWR, 1, r, 1, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_test_export_raw(vt, fd, get, VFIO_TEST_BAR,
						   O_RDWR, 0, r, 0, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_test_export_raw(vt, fd, get, VFIO_TEST_BAR,
						   0x400, 0, r, 1, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_test_export_raw(vt, fd, VFIO_DEVICE_FEATURE_SET,
						   VFIO_TEST_BAR, O_RDWR, 0, r,
						   1, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_test_export_raw(vt, fd, get, VFIO_TEST_BAR,
						   O_RDWR, 0, r, 2, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfio_test_export_raw(vt, fd, get, VFIO_TEST_BAR,
						   O_RDWR, 0, r,
						   VFIO_DMA_BUF_MAX_RANGES + 1,
						   0), -E2BIG);
	KUNIT_EXPECT_EQ(test, vfio_test_export_raw(vt, fd,
			get | VFIO_DEVICE_FEATURE_PROBE, VFIO_TEST_BAR, O_RDWR,
			0, r, 1, 1), 0L);
	/* Ranges: empty, misaligned, beyond the BAR, wrapping, overlapping. */
	bad = (struct vfio_region_dma_range){ .offset = 0, .length = 0 };
	KUNIT_EXPECT_EQ(test, vfio_test_export(vt, fd, &bad, 1), -EINVAL);
	bad = (struct vfio_region_dma_range){ .offset = 16, .length = SZ_4K };
	KUNIT_EXPECT_EQ(test, vfio_test_export(vt, fd, &bad, 1), -EINVAL);
	bad = (struct vfio_region_dma_range){ .offset = 0, .length = 100 };
	KUNIT_EXPECT_EQ(test, vfio_test_export(vt, fd, &bad, 1), -EINVAL);
	bad = (struct vfio_region_dma_range){ .offset = 16ULL * SZ_1G - SZ_4K,
					       .length = SZ_8K };
	KUNIT_EXPECT_EQ(test, vfio_test_export(vt, fd, &bad, 1), -EINVAL);
	bad = (struct vfio_region_dma_range){ .offset = -(u64)SZ_4K,
					       .length = SZ_8K };
	KUNIT_EXPECT_EQ(test, vfio_test_export(vt, fd, &bad, 1), -EOVERFLOW);
	r[1].offset = SZ_4K;		/* adjacent: fine */
	KUNIT_EXPECT_GE(test, vfio_test_export(vt, fd, r, 2), 0L);
	r[1].offset = 0;		/* the same page twice */
	KUNIT_EXPECT_EQ(test, vfio_test_export(vt, fd, r, 2), -EINVAL);
	r[0] = (struct vfio_region_dma_range){ .offset = SZ_4K, .length = SZ_8K };
	r[1] = (struct vfio_region_dma_range){ .offset = 0, .length = SZ_8K };
	KUNIT_EXPECT_EQ(test, vfio_test_export(vt, fd, r, 2), -EINVAL);
	/* A user address that is not mapped. */
	KUNIT_EXPECT_EQ(test, ksys_ioctl(fd, VFIO_DEVICE_FEATURE, 16), -EFAULT);
	/* The buffer exported above is closed with the process. */
}

/* ---- allocation failures ------------------------------------------------- */

struct vfio_fail_ctx {
	struct vfio_test *vt;
	int fd;
};

static int vfio_fail_open(void *arg)
{
	struct vfio_fail_ctx *c = arg;
	int fd = vfio_device_open_fd(c->vt->vdev, O_RDWR);

	if (fd < 0)
		return fd;
	c->fd = fd;
	return 0;
}

static int vfio_fail_export(void *arg)
{
	struct vfio_fail_ctx *c = arg;
	long fd = vfio_test_export(c->vt, c->fd, vfio_test_ranges, 3);

	if (fd < 0)
		return fd;
	return ksys_close(fd);
}

/* Open and export with each allocation failing in turn: nothing left. */
static void vfio_fail_nth(struct kunit *test)
{
	struct vfio_test *vt = vfio_test_start(test);
	struct device *gpu0 = dma_test_dev(test, "gpu0");
	struct vfio_fail_ctx c = { .vt = vt };

	/* The process's argument page, faulted in before counting. */
	KUNIT_ASSERT_EQ(test, copy_to_user(vt->mm, vt->umem, &c, sizeof(c)),
			0UL);
	KUNIT_EXPECT_GT(test, kunit_fail_nth(test, vfio_fail_open, &c), 0);
	KUNIT_EXPECT_STREQ(test,
			   iommu_domain_type_name(iommu_get_domain_for_dev(gpu0)),
			   "blocked");
	KUNIT_EXPECT_GT(test, kunit_fail_nth(test, vfio_fail_export, &c), 0);
	KUNIT_EXPECT_EQ(test, ksys_close(c.fd), 0);
	KUNIT_EXPECT_PTR_EQ(test, iommu_get_domain_for_dev(gpu0),
			    iommu_get_default_domain(gpu0));
}

/*
 * The process exits with the device open, its BAR mapped and a buffer
 * imported: exit closes everything (the runner's leak check).
 */
static void vfio_exit_releases(struct kunit *test)
{
	struct vfio_test *vt = vfio_test_start(test);
	int fd = vfio_test_open(test, vt), buf_fd;
	struct vfio_test_importer *gpu1;
	u8 got[64];

	buf_fd = vfio_test_export(vt, fd, vfio_test_ranges, 3);
	KUNIT_ASSERT_GE(test, buf_fd, 0);
	gpu1 = vfio_test_import(test, buf_fd, "gpu1");
	KUNIT_ASSERT_EQ(test, vfio_test_map(gpu1), 0);
	KUNIT_ASSERT_EQ(test, vfio_test_proc_read(vt, vfio_test_mmap(test, fd, 0,
								      SZ_4K),
						  0, got, 64), 0UL);

	compat_set_current(vt->prev);
	task_exit(vt->tsk);
	vt->tsk = NULL;
	/* The close at exit revoked the buffer; the importer holds it still. */
	KUNIT_EXPECT_EQ(test, gpu1->notified, 1U);
	KUNIT_EXPECT_NULL(test, gpu1->map);
	KUNIT_EXPECT_EQ(test, vfio_test_map(gpu1), -ENODEV);
	KUNIT_EXPECT_EQ(test, atomic_read(&vt->mm->mm_users), 1);
}

/* ---- racing ------------------------------------------------------------------ */

/**
 * struct vfio_race - importer and process access racing decode changes
 * @vt: the case's process
 * @nic: the importer whose device writes
 * @map: the process's mapping of BAR2
 * @stop: set to end the threads
 * @writes: DMA writes made through a live mapping
 * @failed_writes: of those, how many the fabric refused (must be none)
 * @reads: process reads that reached the BAR
 * @refused_reads: process reads that faulted (revoked at the time)
 */
struct vfio_race {
	struct vfio_test *vt;
	struct vfio_test_importer *nic;
	unsigned long map;
	bool stop;
	unsigned long writes, failed_writes, reads, refused_reads;
};

/* The NIC maps when it can and writes, under the reservation lock. */
static void *vfio_race_dma(void *arg)
{
	struct vfio_race *r = arg;
	struct vfio_test_importer *imp = r->nic;
	u8 buf[64] = { 0x3c };

	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
		struct dma_buf_map *map;

		dma_resv_lock(imp->dmabuf->resv, NULL);
		if (!imp->map) {
			map = dma_buf_map_attachment(imp->attach, 0,
						     imp->dmabuf->size,
						     DMA_BIDIRECTIONAL);
			if (!IS_ERR(map))
				imp->map = map;
		}
		if (imp->map) {
			r->writes++;
			if (vfio_test_dev_write(imp, 0, buf, sizeof(buf)))
				r->failed_writes++;
		}
		dma_resv_unlock(imp->dmabuf->resv);
		/* Let the sanitizer judge them before its trace ring fills. */
		if (!(r->writes % 1024))
			dma_debug_check();
	}
	return NULL;
}

/* The process reads its mapping of the BAR, as the process. */
static void *vfio_race_cpu(void *arg)
{
	struct vfio_race *r = arg;
	u8 got[64];

	compat_set_current(r->vt->tsk);
	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
		if (vfio_test_proc_read(r->vt, r->map, SZ_1M, got, sizeof(got)))
			r->refused_reads++;
		else
			r->reads++;
	}
	compat_set_current(NULL);
	return NULL;
}

/*
 * Resets and Memory Space Enable off and on, again and again, while the
 * NIC writes through the buffer and the process reads its mapping: no
 * write through a live mapping fails, and nothing ever reaches the BAR
 * while it does not decode (the decode error counters).
 */
static void vfio_race_decode_changes(struct kunit *test)
{
	struct vfio_test *vt = vfio_test_start(test);
	int fd = vfio_test_open(test, vt), buf_fd, i;
	struct vfio_race r = { .vt = vt };
	struct sim_pci_decode_errors before, after;
	pthread_t dma, cpu;

	buf_fd = vfio_test_export(vt, fd, vfio_test_ranges, 3);
	KUNIT_ASSERT_GE(test, buf_fd, 0);
	r.nic = vfio_test_import(test, buf_fd, "nic");
	r.map = vfio_test_mmap(test, fd, 0, SZ_2M);
	arch_pci_decode_errors_sum(&before);

	KUNIT_ASSERT_EQ(test, pthread_create(&dma, NULL, vfio_race_dma, &r), 0);
	KUNIT_ASSERT_EQ(test, pthread_create(&cpu, NULL, vfio_race_cpu, &r), 0);
	for (i = 0; i < 20; i++) {
		KUNIT_EXPECT_EQ(test, ksys_ioctl(fd, VFIO_DEVICE_RESET, 0), 0L);
		KUNIT_EXPECT_EQ(test, vfio_test_write_cmd(vt, fd,
							  PCI_COMMAND_MASTER),
				(ssize_t)2);
		KUNIT_EXPECT_EQ(test, vfio_test_write_cmd(vt, fd,
				PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER),
				(ssize_t)2);
	}
	__atomic_store_n(&r.stop, true, __ATOMIC_RELEASE);
	pthread_join(dma, NULL);
	pthread_join(cpu, NULL);

	arch_pci_decode_errors_sum(&after);
	KUNIT_EXPECT_EQ(test, after.dma, before.dma);
	KUNIT_EXPECT_EQ(test, after.cpu, before.cpu);
	KUNIT_EXPECT_EQ(test, r.failed_writes, 0UL);
	KUNIT_EXPECT_GT(test, r.writes, 0UL);
	KUNIT_EXPECT_GE(test, r.nic->notified, 40U);
	kunit_info(test, "%lu writes, %lu reads, %lu reads refused",
		   r.writes, r.reads, r.refused_reads);
	KUNIT_EXPECT_EQ(test, ksys_close(buf_fd), 0);
	KUNIT_EXPECT_EQ(test, ksys_close(fd), 0);
}

static struct kunit_case vfio_cases[] = {
	KUNIT_CASE(vfio_open_close),
	KUNIT_CASE(vfio_export_three_ranges),
	KUNIT_CASE(vfio_mmap_munmap),
	KUNIT_CASE(vfio_reset_revokes),
	KUNIT_CASE(vfio_mse_off_on),
	KUNIT_CASE(vfio_close_with_importers),
	KUNIT_CASE(vfio_attach_refused),
	KUNIT_CASE(vfio_export_errors),
	KUNIT_CASE(vfio_fail_nth),
	KUNIT_CASE(vfio_exit_releases),
	KUNIT_CASE(vfio_race_decode_changes),
	{}
};

DEFINE_DMA_TEST_SUITE(vfio_suite, "vfio", dma_test_suite_init_dma, vfio_cases);
kunit_test_suite(vfio_suite);
