/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfio-pci's own: the device as vfio_pci_core.c and vfio_pci_dmabuf.c
 * share it.  vfio_pci_core.c's head comment explains the locking.
 */
#ifndef _DRIVERS_VFIO_PCI_PRIV_H
#define _DRIVERS_VFIO_PCI_PRIV_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/vfio.h>

/**
 * struct vfio_pci_core_device - a PCI function offered through VFIO
 * @vdev: the VFIO device
 * @pdev: the function, referenced until the last put
 * @memory_lock: orders config writes (Memory Space Enable), resets,
 *	exports and close against one another; held for writing by each
 * @mem_enabled: the process left Memory Space Enable on (@memory_lock)
 * @cmd_at_open: Command when opened, put back at close
 * @open: a process has the device open (@memory_lock)
 * @dmabufs: the DMA buffers exported (struct vfio_pci_dma_buf), while
 *	open and until released (@memory_lock)
 * @vma_lock: the mmaps' state below; taken inside mmap_lock
 * @mmap_live: faults may map BAR pages (@vma_lock)
 * @mmaps: VMAs of the device's BARs (struct vfio_pci_mmap_vma, @vma_lock)
 * @zap_seq: advanced at each zap, to tell zapped VMAs apart (@vma_lock)
 */
struct vfio_pci_core_device {
	struct vfio_device vdev;
	struct pci_dev *pdev;
	struct rw_semaphore memory_lock;
	bool mem_enabled;
	u16 cmd_at_open;
	bool open;
	struct list_head dmabufs;
	struct mutex vma_lock;
	bool mmap_live;
	struct list_head mmaps;
	u64 zap_seq;
};

static inline struct vfio_pci_core_device *
to_vfio_pci(struct vfio_device *vdev)
{
	return container_of(vdev, struct vfio_pci_core_device, vdev);
}

/* vfio_pci_dmabuf.c */
int vfio_pci_core_feature_dma_buf(struct vfio_pci_core_device *vdev,
				  u32 flags, unsigned long arg, size_t argsz);
int vfio_pci_dma_buf_move(struct vfio_pci_core_device *vdev, bool revoked);
void vfio_pci_dma_buf_cleanup(struct vfio_pci_core_device *vdev);

#endif /* _DRIVERS_VFIO_PCI_PRIV_H */
