// SPDX-License-Identifier: GPL-2.0
/*
 * VFIO's core: device registration, opening a device for a process and
 * the device file (<linux/vfio.h>, docs/vfio.md).
 *
 * Opening claims the device's IOMMU group for the process
 * (iommu_group_claim_dma_owner(), the process as the owner cookie): the
 * DMA API no longer manages the group and its devices are blocked until
 * the process gives them a domain, so a device driven from userspace
 * never DMAs through kernel mappings.  Upstream reaches the same through
 * a VFIO group or an IOMMUFD bind; here the process gets the device file
 * directly, as with upstream's /dev/vfio/devices/vfioX cdev.
 *
 * Order at open: claim, the driver's open_device, the descriptor; each
 * step undone in reverse if a later one fails, so a failed open leaves
 * the group as it was.  At close (the file's ->release): the driver's
 * close_device (which takes every access away), then the group back.
 */
#include <linux/bug.h>
#include <linux/anon_inodes.h>
#include <linux/device.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/iommu.h>
#include <linux/kernel.h>
#include <linux/mm_struct.h>
#include <linux/sched/task.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>
#include <uapi/linux/vfio.h>

/**
 * vfio_register_device() - offer a device to processes
 * @vdev: the driver's structure embedding it
 * @dev: the device
 * @ops: the bus driver's ops (release required)
 *
 * Return: 0; -EINVAL without release; -ENODEV if @dev has no IOMMU group
 * (no isolation, nothing to claim: upstream's no-IOMMU mode is left out).
 */
int vfio_register_device(struct vfio_device *vdev, struct device *dev,
			 const struct vfio_device_ops *ops)
{
	if (!vdev || !dev || !ops || !ops->release)
		return -EINVAL;
	vdev->group = iommu_group_get(dev);
	if (!vdev->group)
		return -ENODEV;
	vdev->dev = dev;
	vdev->ops = ops;
	mutex_init(&vdev->open_lock);
	vdev->open_count = 0;
	kref_init(&vdev->refs);
	return 0;
}
EXPORT_SYMBOL_GPL(vfio_register_device);

static void vfio_device_release(struct kref *kref)
{
	struct vfio_device *vdev = container_of(kref, struct vfio_device, refs);

	iommu_group_put(vdev->group);
	mutex_destroy(&vdev->open_lock);
	vdev->ops->release(vdev);
}

/**
 * vfio_device_get() - take a reference on a registered device
 * @vdev: the device, held by the caller
 */
void vfio_device_get(struct vfio_device *vdev)
{
	kref_get(&vdev->refs);
}
EXPORT_SYMBOL_GPL(vfio_device_get);

/**
 * vfio_device_put() - drop a reference; the last frees the device
 * @vdev: the device
 */
void vfio_device_put(struct vfio_device *vdev)
{
	kref_put(&vdev->refs, vfio_device_release);
}
EXPORT_SYMBOL_GPL(vfio_device_put);

/**
 * vfio_unregister_device() - stop offering a device
 * @vdev: a registered device, not open (WARN if it is: its file keeps a
 *	reference, so nothing is freed under it)
 *
 * Drops the registration's reference.
 */
void vfio_unregister_device(struct vfio_device *vdev)
{
	mutex_lock(&vdev->open_lock);
	WARN(vdev->open_count, "vfio: %s unregistered while open\n",
	     dev_name(vdev->dev));
	mutex_unlock(&vdev->open_lock);
	vfio_device_put(vdev);
}
EXPORT_SYMBOL_GPL(vfio_unregister_device);

/* ---- the device file ----------------------------------------------------- */

static int vfio_device_fops_release(struct inode *inode __always_unused,
				    struct file *file)
{
	struct vfio_device *vdev = file->private_data;

	mutex_lock(&vdev->open_lock);
	vdev->ops->close_device(vdev);
	iommu_group_release_dma_owner(vdev->group);
	vdev->open_count = 0;
	mutex_unlock(&vdev->open_lock);
	vfio_device_put(vdev);		/* the file's */
	return 0;
}

/*
 * VFIO_DEVICE_FEATURE: check the header, hand the feature to the driver.
 * Return: as the driver's device_feature; -EINVAL for a bad header,
 * -ENOTTY for a driver without features.
 */
static long vfio_ioctl_device_feature(struct vfio_device *vdev,
				      unsigned long arg)
{
	size_t minsz = offsetof(struct vfio_device_feature, flags) +
		       sizeof(u32);
	struct vfio_device_feature feature;

	if (copy_from_user(current->mm, &feature, arg, minsz))
		return -EFAULT;
	if (feature.argsz < minsz)
		return -EINVAL;
	/* Exactly one of GET, SET; PROBE may come with either. */
	if (feature.flags & ~(VFIO_DEVICE_FEATURE_MASK |
			      VFIO_DEVICE_FEATURE_GET |
			      VFIO_DEVICE_FEATURE_SET |
			      VFIO_DEVICE_FEATURE_PROBE))
		return -EINVAL;
	if (!(feature.flags & VFIO_DEVICE_FEATURE_PROBE) &&
	    (feature.flags & VFIO_DEVICE_FEATURE_SET) &&
	    (feature.flags & VFIO_DEVICE_FEATURE_GET))
		return -EINVAL;
	if (!vdev->ops->device_feature)
		return -ENOTTY;
	return vdev->ops->device_feature(vdev, feature.flags,
					 arg + sizeof(feature),
					 feature.argsz - sizeof(feature));
}

static long vfio_device_fops_unl_ioctl(struct file *file, unsigned int cmd,
				       unsigned long arg)
{
	struct vfio_device *vdev = file->private_data;

	if (cmd == VFIO_DEVICE_FEATURE)
		return vfio_ioctl_device_feature(vdev, arg);
	if (!vdev->ops->ioctl)
		return -ENOTTY;
	return vdev->ops->ioctl(vdev, cmd, arg);
}

static ssize_t vfio_device_fops_read(struct file *file, unsigned long buf,
				     size_t count, loff_t *pos)
{
	struct vfio_device *vdev = file->private_data;

	return vdev->ops->read ? vdev->ops->read(vdev, buf, count, pos) :
				 -EINVAL;
}

static ssize_t vfio_device_fops_write(struct file *file, unsigned long buf,
				      size_t count, loff_t *pos)
{
	struct vfio_device *vdev = file->private_data;

	return vdev->ops->write ? vdev->ops->write(vdev, buf, count, pos) :
				  -EINVAL;
}

static int vfio_device_fops_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct vfio_device *vdev = file->private_data;

	return vdev->ops->mmap ? vdev->ops->mmap(vdev, vma) : -EINVAL;
}

static const struct file_operations vfio_device_fops = {
	.unlocked_ioctl = vfio_device_fops_unl_ioctl,
	.mmap = vfio_device_fops_mmap,
	.release = vfio_device_fops_release,
	.read = vfio_device_fops_read,
	.write = vfio_device_fops_write,
};

/**
 * vfio_device_open_fd() - open a device for the current process
 * @vdev: a registered device
 * @flags: the descriptor's O_CLOEXEC, and O_ACCMODE
 *
 * Claims the device's IOMMU group for the process, opens the device
 * (its driver's open_device) and installs a descriptor for it.
 *
 * Return: the descriptor; -EBUSY if the device is open, or its group is
 * used by the DMA API or claimed by another process; -ENODEV if the
 * driver finds the device gone; -EMFILE, -ENOMEM, or open_device's error.
 * On error the group and the device are as they were.
 */
int vfio_device_open_fd(struct vfio_device *vdev, int flags)
{
	int fd, ret;

	mutex_lock(&vdev->open_lock);
	ret = -EBUSY;
	if (vdev->open_count)
		goto out_unlock;
	ret = iommu_group_claim_dma_owner(vdev->group, current);
	if (ret)
		goto out_unlock;
	ret = vdev->ops->open_device(vdev);
	if (ret)
		goto out_release;
	vfio_device_get(vdev);		/* the file's */
	fd = anon_inode_getfd("[vfio-device]", &vfio_device_fops, vdev,
			      flags & (O_ACCMODE | O_CLOEXEC));
	if (fd < 0) {
		ret = fd;
		goto out_close;
	}
	vdev->open_count = 1;
	mutex_unlock(&vdev->open_lock);
	return fd;

out_close:
	vfio_device_put(vdev);
	vdev->ops->close_device(vdev);
out_release:
	iommu_group_release_dma_owner(vdev->group);
out_unlock:
	mutex_unlock(&vdev->open_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(vfio_device_open_fd);

/**
 * vfio_check_feature() - validate a VFIO_DEVICE_FEATURE call for a feature
 * @flags: the call's flags
 * @argsz: the size of the feature's data
 * @supported_ops: VFIO_DEVICE_FEATURE_GET and/or _SET the feature offers
 * @minsz: the least data it needs
 *
 * As upstream's.
 *
 * Return: 1 to go on with the call; 0 for a PROBE that is supported;
 * -EINVAL for an operation not supported or data shorter than @minsz.
 */
int vfio_check_feature(u32 flags, size_t argsz, u32 supported_ops,
		       size_t minsz)
{
	if ((flags & (VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_SET)) &
	    ~supported_ops)
		return -EINVAL;
	if (flags & VFIO_DEVICE_FEATURE_PROBE)
		return 0;
	/* Without PROBE, GET or SET must be given. */
	if (!(flags & (VFIO_DEVICE_FEATURE_GET | VFIO_DEVICE_FEATURE_SET)))
		return -EINVAL;
	if (argsz < minsz)
		return -EINVAL;
	return 1;
}
EXPORT_SYMBOL_GPL(vfio_check_feature);
