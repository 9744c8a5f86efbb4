// SPDX-License-Identifier: GPL-2.0
/*
 * vfio-pci: a PCI function driven by a process (docs/vfio.md).
 *
 * What the process gets on the device file: the regions (six BARs,
 * configuration space), mmap() of a BAR, pread()/pwrite() of
 * configuration space with Command emulated (Memory Space Enable, Bus
 * Master Enable; other writes to the header are dropped, as upstream's
 * virtualised header makes them), VFIO_DEVICE_RESET (Function Level
 * Reset), and VFIO_DEVICE_FEATURE_DMA_BUF (vfio_pci_dmabuf.c): pieces of
 * a BAR as a DMA buffer other devices import.
 *
 * Access to BAR memory is revocable.  Before the device stops decoding
 * -- the process turns Memory Space Enable off, a reset, the close --
 * every process mapping of its BARs is zapped and every DMA buffer
 * revoked (dma_buf_revoke(): each importer told and unmapped), so no CPU
 * load and no DMA reaches a BAR that cannot answer.  When decode is on
 * again, faults map pages again and buffers are given back
 * (dma_buf_unrevoke()); at close they are revoked for good.
 *
 * Locking.
 *
 *  - @memory_lock (rw_semaphore), held for writing across every change
 *    of decode (Command writes, resets, close) together with the revoke
 *    before it and the restore after it, and across an export (which
 *    must not slip between the two).  Faults do not take it (upstream's
 *    do, for reading): they would nest it inside mmap_lock, and a zap,
 *    which takes mmap_lock for writing with @memory_lock held, would
 *    invert that.  Faults ask @mmap_live under @vma_lock instead.
 *  - @vma_lock (mutex) covers @mmap_live and the list of VMAs; it nests
 *    inside mmap_lock (faults, a VMA's close) and is never held while
 *    taking mmap_lock.  A zap clears @mmap_live, then, one address space
 *    at a time, takes its mmap_lock for writing and zaps each of the
 *    device's VMAs there: when the zap returns no user access is between
 *    reading a page-table entry and using it, and a later fault sees
 *    @mmap_live false.
 *  - The DMA-buf core's reservation lock nests inside @memory_lock.
 *
 * Lifetime: the vfio_device's references (<linux/vfio.h>): the
 * registration, the open file, each VMA of a BAR (until its close or the
 * device's close unlinks it) and each DMA buffer (until released).
 */
#include <linux/bug.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mm_struct.h>
#include <linux/pci.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>
#include <uapi/linux/vfio.h>

#include "vfio_pci_priv.h"

/**
 * struct vfio_pci_mmap_vma - a VMA of one of the device's BARs
 * @node: in vdev->mmaps
 * @vma: the VMA
 * @mm: its address space
 * @zap_seq: the last zap that reached it
 */
struct vfio_pci_mmap_vma {
	struct list_head node;
	struct vm_area_struct *vma;
	struct mm_struct *mm;
	u64 zap_seq;
};

/* The BAR a device-file offset (in pages) is in, and the page inside it. */
static unsigned int vfio_pci_pgoff_index(unsigned long pgoff)
{
	return pgoff >> (VFIO_PCI_OFFSET_SHIFT - PAGE_SHIFT);
}

static unsigned long vfio_pci_pgoff_in_bar(unsigned long pgoff)
{
	return pgoff & (VFIO_PCI_OFFSET_MASK >> PAGE_SHIFT);
}

static bool vfio_pci_is_mem_bar(struct pci_dev *pdev, unsigned int index)
{
	return index < PCI_STD_NUM_BARS && pci_resource_len(pdev, index) &&
	       (pci_resource_flags(pdev, index) & IORESOURCE_MEM);
}

/* ---- mmap ------------------------------------------------------------------ */

/*
 * Take one VMA's pages away (and, @final, forget it): the next zap of
 * one address space.  Return: false when none is left.
 */
static bool vfio_pci_zap_next_mm(struct vfio_pci_core_device *vdev, u64 seq,
				 bool final)
{
	struct vfio_pci_mmap_vma *m, *tmp;
	struct mm_struct *mm = NULL;

	mutex_lock(&vdev->vma_lock);
	list_for_each_entry(m, &vdev->mmaps, node) {
		if (m->zap_seq == seq)
			continue;
		if (mmget_not_zero(m->mm)) {
			mm = m->mm;
			break;
		}
		/* Its mm is going: its teardown closes the VMA. */
		m->zap_seq = seq;
	}
	mutex_unlock(&vdev->vma_lock);
	if (!mm)
		return false;

	mmap_write_lock(mm);
	mutex_lock(&vdev->vma_lock);
	list_for_each_entry_safe(m, tmp, &vdev->mmaps, node) {
		struct vm_area_struct *vma = m->vma;

		if (m->mm != mm || m->zap_seq == seq)
			continue;
		zap_vma_ptes(vma, vma->vm_start, vma->vm_end - vma->vm_start);
		m->zap_seq = seq;
		if (final) {
			/* Faults and close find nothing from now on. */
			vma->vm_private_data = NULL;
			list_del(&m->node);
			kfree(m);
			vfio_device_put(&vdev->vdev);
		}
	}
	mutex_unlock(&vdev->vma_lock);
	mmap_write_unlock(mm);
	mmput(mm);
	return true;
}

/*
 * Zap every process mapping of the device's BARs; faults refuse until
 * vfio_pci_mmap_restore().  @final (close): the VMAs are forgotten too.
 * @memory_lock held for writing.
 */
static void vfio_pci_zap_mmaps(struct vfio_pci_core_device *vdev, bool final)
{
	u64 seq;

	mutex_lock(&vdev->vma_lock);
	vdev->mmap_live = false;
	seq = ++vdev->zap_seq;
	mutex_unlock(&vdev->vma_lock);
	while (vfio_pci_zap_next_mm(vdev, seq, final))
		;
}

static void vfio_pci_mmap_restore(struct vfio_pci_core_device *vdev)
{
	mutex_lock(&vdev->vma_lock);
	vdev->mmap_live = true;
	mutex_unlock(&vdev->vma_lock);
}

static vm_fault_t vfio_pci_mmap_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct vfio_pci_core_device *vdev = vma->vm_private_data;
	unsigned int index = vfio_pci_pgoff_index(vma->vm_pgoff);
	vm_fault_t ret = VM_FAULT_SIGBUS;
	unsigned long pfn;

	if (!vdev)
		return VM_FAULT_SIGBUS;	/* the device was closed */
	pfn = PHYS_PFN(pci_resource_start(vdev->pdev, index)) +
	      vfio_pci_pgoff_in_bar(vmf->pgoff);
	mutex_lock(&vdev->vma_lock);
	if (vdev->mmap_live)
		ret = vmf_insert_pfn(vma, vmf->address, pfn);
	mutex_unlock(&vdev->vma_lock);
	return ret;
}

static void vfio_pci_mmap_close(struct vm_area_struct *vma)
{
	struct vfio_pci_core_device *vdev = vma->vm_private_data;
	struct vfio_pci_mmap_vma *m;

	if (!vdev)
		return;
	mutex_lock(&vdev->vma_lock);
	list_for_each_entry(m, &vdev->mmaps, node) {
		if (m->vma == vma) {
			list_del(&m->node);
			kfree(m);
			break;
		}
	}
	mutex_unlock(&vdev->vma_lock);
	vfio_device_put(&vdev->vdev);
}

static const struct vm_operations_struct vfio_pci_mmap_ops = {
	.close = vfio_pci_mmap_close,
	.fault = vfio_pci_mmap_fault,
};

/* ->mmap of the device file, with the mm's mmap_lock held for writing. */
static int vfio_pci_core_mmap(struct vfio_device *core_vdev,
			      struct vm_area_struct *vma)
{
	struct vfio_pci_core_device *vdev = to_vfio_pci(core_vdev);
	unsigned int index = vfio_pci_pgoff_index(vma->vm_pgoff);
	u64 start = (u64)vfio_pci_pgoff_in_bar(vma->vm_pgoff) << PAGE_SHIFT;
	u64 len = vma->vm_end - vma->vm_start;
	struct vfio_pci_mmap_vma *m;

	if (!vfio_pci_is_mem_bar(vdev->pdev, index) ||
	    start + len > pci_resource_len(vdev->pdev, index))
		return -EINVAL;
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	vma->vm_flags |= VM_IO | VM_PFNMAP;
	vma->vm_ops = &vfio_pci_mmap_ops;
	vma->vm_private_data = vdev;
	m->vma = vma;
	m->mm = vma->vm_mm;
	vfio_device_get(core_vdev);		/* the VMA's */
	mutex_lock(&vdev->vma_lock);
	m->zap_seq = vdev->zap_seq;
	list_add_tail(&m->node, &vdev->mmaps);
	mutex_unlock(&vdev->vma_lock);
	return 0;
}

/* ---- decode: revoke and restore ------------------------------------------- */

/*
 * Before the device stops decoding: no process mapping and no importer
 * reaches a BAR when this returns.  @memory_lock held for writing.
 */
static void vfio_pci_revoke_access(struct vfio_pci_core_device *vdev)
{
	vfio_pci_zap_mmaps(vdev, false);
	vfio_pci_dma_buf_move(vdev, true);
}

/* Decode is on again: faults map, buffers come back.  Same lock. */
static void vfio_pci_restore_access(struct vfio_pci_core_device *vdev)
{
	vfio_pci_mmap_restore(vdev);
	vfio_pci_dma_buf_move(vdev, false);
}

/* The process writes Command: decode goes off after the revoke. */
static int vfio_pci_write_command(struct vfio_pci_core_device *vdev, u16 cmd)
{
	bool mse = cmd & PCI_COMMAND_MEMORY;
	int ret;

	cmd &= PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	down_write(&vdev->memory_lock);
	if (vdev->mem_enabled && !mse)
		vfio_pci_revoke_access(vdev);
	ret = pci_user_write_config_word(vdev->pdev, PCI_COMMAND, cmd);
	if (!ret) {
		if (!vdev->mem_enabled && mse)
			vfio_pci_restore_access(vdev);
		vdev->mem_enabled = mse;
	} else if (vdev->mem_enabled) {
		vfio_pci_restore_access(vdev);
	}
	up_write(&vdev->memory_lock);
	return ret;
}

/* VFIO_DEVICE_RESET: revoke, Function Level Reset, restore. */
static int vfio_pci_reset(struct vfio_pci_core_device *vdev)
{
	int ret;

	down_write(&vdev->memory_lock);
	vfio_pci_revoke_access(vdev);
	ret = pci_reset_function(vdev->pdev);
	/* Command is restored as the process had it: so is access. */
	if (vdev->mem_enabled)
		vfio_pci_restore_access(vdev);
	up_write(&vdev->memory_lock);
	return ret;
}

/* ---- configuration space -------------------------------------------------- */

static int vfio_pci_cfg_read(struct pci_dev *pdev, unsigned int off,
			     size_t count, u32 *val)
{
	u16 w;
	u8 b;
	int ret;

	switch (count) {
	case 1:
		ret = pci_user_read_config_byte(pdev, off, &b);
		*val = b;
		return ret;
	case 2:
		ret = pci_user_read_config_word(pdev, off, &w);
		*val = w;
		return ret;
	default:
		return pci_user_read_config_dword(pdev, off, val);
	}
}

/*
 * pread()/pwrite() of the configuration space region: one naturally
 * aligned access of 1, 2 or 4 bytes.  Writes reach Command only.
 */
static ssize_t vfio_pci_config_rw(struct vfio_pci_core_device *vdev,
				  unsigned long buf, size_t count, loff_t *pos,
				  bool write)
{
	unsigned int off = *pos & VFIO_PCI_OFFSET_MASK;
	u32 val = 0, cmd;
	int ret;

	if ((count != 1 && count != 2 && count != 4) || (off & (count - 1)) ||
	    off + count > PCI_CFG_SPACE_EXP_SIZE)
		return -EINVAL;
	if (!write) {
		ret = vfio_pci_cfg_read(vdev->pdev, off, count, &val);
		if (ret)
			return ret;
		if (copy_to_user(current->mm, buf, &val, count))
			return -EFAULT;
		return count;
	}
	if (copy_from_user(current->mm, &val, buf, count))
		return -EFAULT;
	if (off < PCI_COMMAND + 2 && off + count > PCI_COMMAND) {
		ret = pci_user_read_config_dword(vdev->pdev, PCI_COMMAND & ~3,
						 &cmd);
		if (ret)
			return ret;
		/* Merge the bytes written into Command's dword. */
		cmd = (cmd & ~(GENMASK(count * 8 - 1, 0) << (off % 4) * 8)) |
		      val << (off % 4) * 8;
		ret = vfio_pci_write_command(vdev, cmd & 0xffff);
		if (ret)
			return ret;
	}
	*pos += count;
	return count;
}

static ssize_t vfio_pci_core_rw(struct vfio_device *core_vdev,
				unsigned long buf, size_t count, loff_t *pos,
				bool write)
{
	if (VFIO_PCI_OFFSET_TO_INDEX((u64)*pos) != VFIO_PCI_CONFIG_REGION_INDEX)
		return -EINVAL;		/* BARs: mmap them */
	return vfio_pci_config_rw(to_vfio_pci(core_vdev), buf, count, pos,
				  write);
}

static ssize_t vfio_pci_core_read(struct vfio_device *core_vdev,
				  unsigned long buf, size_t count, loff_t *pos)
{
	return vfio_pci_core_rw(core_vdev, buf, count, pos, false);
}

static ssize_t vfio_pci_core_write(struct vfio_device *core_vdev,
				   unsigned long buf, size_t count, loff_t *pos)
{
	return vfio_pci_core_rw(core_vdev, buf, count, pos, true);
}

/* ---- ioctls ---------------------------------------------------------------- */

static long vfio_pci_ioctl_get_info(struct vfio_pci_core_device *vdev,
				    unsigned long arg)
{
	size_t minsz = sizeof(struct vfio_device_info);
	struct vfio_device_info info;

	if (copy_from_user(current->mm, &info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	info.flags = VFIO_DEVICE_FLAGS_PCI;
	if (!pcie_reset_flr(vdev->pdev, PCI_RESET_PROBE))
		info.flags |= VFIO_DEVICE_FLAGS_RESET;
	info.num_regions = VFIO_PCI_NUM_REGIONS;
	info.num_irqs = 0;
	return copy_to_user(current->mm, arg, &info, minsz) ? -EFAULT : 0;
}

static long vfio_pci_ioctl_get_region_info(struct vfio_pci_core_device *vdev,
					   unsigned long arg)
{
	size_t minsz = sizeof(struct vfio_region_info);
	struct vfio_region_info info;

	if (copy_from_user(current->mm, &info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz || info.index >= VFIO_PCI_NUM_REGIONS)
		return -EINVAL;
	info.offset = VFIO_PCI_INDEX_TO_OFFSET(info.index);
	info.cap_offset = 0;
	info.size = 0;
	info.flags = 0;
	if (info.index == VFIO_PCI_CONFIG_REGION_INDEX) {
		info.size = PCI_CFG_SPACE_EXP_SIZE;
		info.flags = VFIO_REGION_INFO_FLAG_READ |
			     VFIO_REGION_INFO_FLAG_WRITE;
	} else if (vfio_pci_is_mem_bar(vdev->pdev, info.index)) {
		info.size = pci_resource_len(vdev->pdev, info.index);
		info.flags = VFIO_REGION_INFO_FLAG_READ |
			     VFIO_REGION_INFO_FLAG_WRITE |
			     VFIO_REGION_INFO_FLAG_MMAP;
	}
	return copy_to_user(current->mm, arg, &info, minsz) ? -EFAULT : 0;
}

static long vfio_pci_core_ioctl(struct vfio_device *core_vdev,
				unsigned int cmd, unsigned long arg)
{
	struct vfio_pci_core_device *vdev = to_vfio_pci(core_vdev);

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return vfio_pci_ioctl_get_info(vdev, arg);
	case VFIO_DEVICE_GET_REGION_INFO:
		return vfio_pci_ioctl_get_region_info(vdev, arg);
	case VFIO_DEVICE_RESET:
		return vfio_pci_reset(vdev);
	default:
		return -ENOTTY;
	}
}

static int vfio_pci_core_device_feature(struct vfio_device *core_vdev,
					u32 flags, unsigned long arg,
					size_t argsz)
{
	switch (flags & VFIO_DEVICE_FEATURE_MASK) {
	case VFIO_DEVICE_FEATURE_DMA_BUF:
		return vfio_pci_core_feature_dma_buf(to_vfio_pci(core_vdev),
						     flags, arg, argsz);
	default:
		return -ENOTTY;
	}
}

/* ---- open and close -------------------------------------------------------- */

static int vfio_pci_core_open_device(struct vfio_device *core_vdev)
{
	struct vfio_pci_core_device *vdev = to_vfio_pci(core_vdev);
	u16 cmd;
	int ret;

	if (!pci_dev_is_added(vdev->pdev))
		return -ENODEV;
	ret = pci_enable_device(vdev->pdev);
	if (ret)
		return ret;
	ret = pci_user_read_config_word(vdev->pdev, PCI_COMMAND, &cmd);
	if (ret) {
		pci_disable_device(vdev->pdev);
		return ret;
	}
	down_write(&vdev->memory_lock);
	vdev->cmd_at_open = cmd;
	vdev->mem_enabled = cmd & PCI_COMMAND_MEMORY;
	vdev->open = true;
	if (vdev->mem_enabled)
		vfio_pci_mmap_restore(vdev);
	up_write(&vdev->memory_lock);
	return 0;
}

/*
 * The file's last reference: every mapping and buffer revoked for good,
 * then the device stopped and reset, so that the next user finds it
 * quiet.
 */
static void vfio_pci_core_close_device(struct vfio_device *core_vdev)
{
	struct vfio_pci_core_device *vdev = to_vfio_pci(core_vdev);

	down_write(&vdev->memory_lock);
	vdev->open = false;
	vfio_pci_zap_mmaps(vdev, true);
	vfio_pci_dma_buf_cleanup(vdev);
	pci_clear_master(vdev->pdev);
	if (!pcie_reset_flr(vdev->pdev, PCI_RESET_PROBE))
		pci_reset_function(vdev->pdev);
	pci_disable_device(vdev->pdev);
	/* Decode and bus mastering as they were before the open. */
	pci_write_config_word(vdev->pdev, PCI_COMMAND, vdev->cmd_at_open);
	up_write(&vdev->memory_lock);
}

static void vfio_pci_core_release(struct vfio_device *core_vdev)
{
	struct vfio_pci_core_device *vdev = to_vfio_pci(core_vdev);

	WARN_ON(!list_empty(&vdev->mmaps) || !list_empty(&vdev->dmabufs));
	mutex_destroy(&vdev->vma_lock);
	pci_dev_put(vdev->pdev);
	kfree(vdev);
}

static const struct vfio_device_ops vfio_pci_core_ops = {
	.name = "vfio-pci",
	.open_device = vfio_pci_core_open_device,
	.close_device = vfio_pci_core_close_device,
	.read = vfio_pci_core_read,
	.write = vfio_pci_core_write,
	.ioctl = vfio_pci_core_ioctl,
	.mmap = vfio_pci_core_mmap,
	.device_feature = vfio_pci_core_device_feature,
	.release = vfio_pci_core_release,
};

/**
 * vfio_pci_core_register_device() - offer a PCI function through VFIO
 * @pdev: an endpoint, held by the caller
 *
 * What binding vfio-pci to a device does upstream.  The device holds
 * @pdev until its last reference goes.
 *
 * Return: the VFIO device (vfio_device_open_fd() opens it for a
 * process), or ERR_PTR: -EINVAL for a port or no device, -ENODEV if it
 * has no IOMMU group, -ENOMEM.
 */
struct vfio_device *vfio_pci_core_register_device(struct pci_dev *pdev)
{
	struct vfio_pci_core_device *vdev;
	int ret;

	if (!pdev || pci_is_bridge(pdev))
		return ERR_PTR(-EINVAL);
	vdev = kzalloc(sizeof(*vdev), GFP_KERNEL);
	if (!vdev)
		return ERR_PTR(-ENOMEM);
	vdev->pdev = pci_dev_get(pdev);
	init_rwsem(&vdev->memory_lock);
	INIT_LIST_HEAD(&vdev->dmabufs);
	mutex_init(&vdev->vma_lock);
	INIT_LIST_HEAD(&vdev->mmaps);
	ret = vfio_register_device(&vdev->vdev, &pdev->dev, &vfio_pci_core_ops);
	if (ret) {
		mutex_destroy(&vdev->vma_lock);
		pci_dev_put(pdev);
		kfree(vdev);
		return ERR_PTR(ret);
	}
	return &vdev->vdev;
}
EXPORT_SYMBOL_GPL(vfio_pci_core_register_device);

/**
 * vfio_pci_core_unregister_device() - stop offering a PCI function
 * @core_vdev: what vfio_pci_core_register_device() returned, not open
 *
 * The struct goes when its DMA buffers are released too.
 */
void vfio_pci_core_unregister_device(struct vfio_device *core_vdev)
{
	vfio_unregister_device(core_vdev);
}
EXPORT_SYMBOL_GPL(vfio_pci_core_unregister_device);
