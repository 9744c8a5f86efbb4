/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VFIO: a device driven by a user process (drivers/vfio/).  docs/vfio.md
 * teaches it; the process's API is <uapi/linux/vfio.h>.
 *
 * A bus driver (vfio-pci, drivers/vfio/pci/) registers a struct
 * vfio_device for each device it offers; vfio_device_open_fd() opens it
 * for the current process: the device's IOMMU group is claimed for the
 * process (iommu_group_claim_dma_owner(): the DMA API lets go of it, it
 * is blocked until the process attaches a domain), the driver's
 * open_device runs, and the process gets a descriptor whose ioctls,
 * pread/pwrite and mmap reach the driver.  Closing it (its last
 * reference, or the process's exit) runs close_device and releases the
 * group.  One open at a time: a second is -EBUSY, as is an open of a
 * device whose group another process (or a kernel driver) holds.
 *
 * Lifetime: a vfio_device is counted (vfio_device_get()/_put()); the
 * registration holds one, and so does whatever the driver hands out that
 * may outlive the open (vfio-pci's DMA buffers).  ops->release frees it
 * at the last put.
 */
#ifndef _LINUX_VFIO_H
#define _LINUX_VFIO_H

#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/types.h>

struct device;
struct iommu_group;
struct pci_dev;
struct vfio_device;
struct vm_area_struct;

/**
 * struct vfio_device_ops - what a VFIO bus driver implements
 * @name: for messages
 * @open_device: the device is opened by a process (its group claimed);
 *	0 or a negative errno
 * @close_device: its file's last reference went: take every access the
 *	process had away and leave the device quiet
 * @read: pread() of the device file (regions by offset)
 * @write: pwrite() of the device file
 * @ioctl: a command on the device file (VFIO_DEVICE_*), -ENOTTY if unknown
 * @mmap: map a region into the process
 * @device_feature: VFIO_DEVICE_FEATURE with its checked header: the
 *	feature's @flags, the user address of its data and its size
 * @release: free the device at its last reference
 */
struct vfio_device_ops {
	const char *name;
	int (*open_device)(struct vfio_device *vdev);
	void (*close_device)(struct vfio_device *vdev);
	ssize_t (*read)(struct vfio_device *vdev, unsigned long buf,
			size_t count, loff_t *pos);
	ssize_t (*write)(struct vfio_device *vdev, unsigned long buf,
			 size_t count, loff_t *pos);
	long (*ioctl)(struct vfio_device *vdev, unsigned int cmd,
		      unsigned long arg);
	int (*mmap)(struct vfio_device *vdev, struct vm_area_struct *vma);
	int (*device_feature)(struct vfio_device *vdev, u32 flags,
			      unsigned long arg, size_t argsz);
	void (*release)(struct vfio_device *vdev);
};

/**
 * struct vfio_device - a device VFIO offers to processes
 * @dev: the device
 * @ops: its bus driver
 * @group: its IOMMU group, held while registered
 * @open_lock: serialises opens and closes
 * @open_count: 1 while a process has it open
 * @refs: see the top of this file
 */
struct vfio_device {
	struct device *dev;
	const struct vfio_device_ops *ops;
	struct iommu_group *group;
	struct mutex open_lock;
	unsigned int open_count;
	struct kref refs;
};

int vfio_register_device(struct vfio_device *vdev, struct device *dev,
			 const struct vfio_device_ops *ops);
void vfio_unregister_device(struct vfio_device *vdev);
void vfio_device_get(struct vfio_device *vdev);
void vfio_device_put(struct vfio_device *vdev);
int vfio_device_open_fd(struct vfio_device *vdev, int flags);
int vfio_check_feature(u32 flags, size_t argsz, u32 supported_ops,
		       size_t minsz);

/* ---- vfio-pci (drivers/vfio/pci/) ---------------------------------------- */

struct vfio_device *vfio_pci_core_register_device(struct pci_dev *pdev);
void vfio_pci_core_unregister_device(struct vfio_device *vdev);

#endif /* _LINUX_VFIO_H */
