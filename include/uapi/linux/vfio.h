/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * VFIO's user API: the ioctls a process makes on a VFIO device file, and
 * their structures, in upstream's shape (include/uapi/linux/vfio.h),
 * reduced to what drivers/vfio/ implements.  docs/vfio.md teaches it.
 *
 * Every structure starts with @argsz, the size the caller passes in: the
 * kernel reads no more than that and refuses less than the fields it
 * needs (-EINVAL).  Arguments are user addresses in the process's memory.
 *
 * Regions.  A PCI device's regions are its six BARs, then (index 7) its
 * configuration space.  Region i is reached at file offset
 * VFIO_PCI_INDEX_TO_OFFSET(i): mmap() a BAR there, pread()/pwrite()
 * configuration space there.
 */
#ifndef _UAPI_LINUX_VFIO_H
#define _UAPI_LINUX_VFIO_H

#include <linux/types.h>

#define VFIO_TYPE	(';')
#define VFIO_BASE	100

/* _IO(VFIO_TYPE, VFIO_BASE + nr): no size or direction bits, as upstream. */
#define VFIO_IO(nr)	((VFIO_TYPE << 8) | (VFIO_BASE + (nr)))

/**
 * struct vfio_device_info - VFIO_DEVICE_GET_INFO
 * @argsz: in: sizeof(struct vfio_device_info)
 * @flags: out: VFIO_DEVICE_FLAGS_*
 * @num_regions: out: VFIO_PCI_NUM_REGIONS
 * @num_irqs: out: 0 (no interrupts here)
 */
struct vfio_device_info {
	__u32 argsz;
	__u32 flags;
#define VFIO_DEVICE_FLAGS_RESET	(1 << 0)	/* VFIO_DEVICE_RESET works */
#define VFIO_DEVICE_FLAGS_PCI	(1 << 1)
	__u32 num_regions;
	__u32 num_irqs;
};
#define VFIO_DEVICE_GET_INFO		VFIO_IO(7)

/**
 * struct vfio_region_info - VFIO_DEVICE_GET_REGION_INFO
 * @argsz: in: sizeof(struct vfio_region_info)
 * @flags: out: VFIO_REGION_INFO_FLAG_*; 0 for a region the device lacks
 * @index: in: the region
 * @cap_offset: out: 0 (no capabilities)
 * @size: out: bytes; 0 for a region the device lacks
 * @offset: out: where it is in the device file
 */
struct vfio_region_info {
	__u32 argsz;
	__u32 flags;
#define VFIO_REGION_INFO_FLAG_READ	(1 << 0)
#define VFIO_REGION_INFO_FLAG_WRITE	(1 << 1)
#define VFIO_REGION_INFO_FLAG_MMAP	(1 << 2)
	__u32 index;
	__u32 cap_offset;
	__u64 size;
	__u64 offset;
};
#define VFIO_DEVICE_GET_REGION_INFO	VFIO_IO(8)

/* VFIO_DEVICE_RESET: Function Level Reset; revokes BAR access first. */
#define VFIO_DEVICE_RESET		VFIO_IO(11)

/**
 * struct vfio_device_feature - VFIO_DEVICE_FEATURE
 * @argsz: in: the size of this header plus @data
 * @flags: in: the feature (VFIO_DEVICE_FEATURE_MASK) and what to do
 *	with it: GET, SET, or PROBE (is it supported for GET/SET?)
 * @data: the feature's own structure
 */
struct vfio_device_feature {
	__u32 argsz;
	__u32 flags;
#define VFIO_DEVICE_FEATURE_MASK	(0xffff)
#define VFIO_DEVICE_FEATURE_GET		(1 << 16)
#define VFIO_DEVICE_FEATURE_SET		(1 << 17)
#define VFIO_DEVICE_FEATURE_PROBE	(1 << 18)
	__u8 data[];
};
#define VFIO_DEVICE_FEATURE		VFIO_IO(17)

/**
 * struct vfio_region_dma_range - a piece of a region for a DMA buffer
 * @offset: first byte in the region; page aligned
 * @length: bytes; page aligned, not 0
 */
struct vfio_region_dma_range {
	__u64 offset;
	__u64 length;
};

/**
 * struct vfio_device_feature_dma_buf - VFIO_DEVICE_FEATURE_DMA_BUF (GET)
 * @region_index: a memory BAR
 * @open_flags: the buffer file's O_ACCMODE and O_CLOEXEC
 * @flags: 0
 * @nr_ranges: entries of @dma_ranges, 1 to VFIO_DMA_BUF_MAX_RANGES
 * @dma_ranges: the pieces of the BAR the buffer is made of, in order;
 *	they may not overlap
 *
 * The ioctl returns a DMA-buf descriptor: the ranges back to back, a
 * buffer importers attach to and map through the DMA-buf core.  It is
 * revoked (importers unmapped, maps refused) while the device's memory
 * decode is off or it is being reset, and for good when the device file
 * is closed.
 */
struct vfio_device_feature_dma_buf {
	__u32 region_index;
	__u32 open_flags;
	__u32 flags;
	__u32 nr_ranges;
	struct vfio_region_dma_range dma_ranges[];
};
#define VFIO_DEVICE_FEATURE_DMA_BUF	11

/* The most ranges one buffer may have. */
#define VFIO_DMA_BUF_MAX_RANGES		(1U << 16)

/* PCI regions. */
enum {
	VFIO_PCI_BAR0_REGION_INDEX,
	VFIO_PCI_BAR1_REGION_INDEX,
	VFIO_PCI_BAR2_REGION_INDEX,
	VFIO_PCI_BAR3_REGION_INDEX,
	VFIO_PCI_BAR4_REGION_INDEX,
	VFIO_PCI_BAR5_REGION_INDEX,
	VFIO_PCI_ROM_REGION_INDEX,
	VFIO_PCI_CONFIG_REGION_INDEX,
	VFIO_PCI_NUM_REGIONS,
};

/* Where region @index is in the device file. */
#define VFIO_PCI_OFFSET_SHIFT		40
#define VFIO_PCI_INDEX_TO_OFFSET(index)	((__u64)(index) << VFIO_PCI_OFFSET_SHIFT)
#define VFIO_PCI_OFFSET_TO_INDEX(off)	((off) >> VFIO_PCI_OFFSET_SHIFT)
#define VFIO_PCI_OFFSET_MASK		((1ULL << VFIO_PCI_OFFSET_SHIFT) - 1)

#endif /* _UAPI_LINUX_VFIO_H */
