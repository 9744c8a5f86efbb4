/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct device: a DMA-capable device as the kernel side sees it.
 *
 * Bus code (drivers/pci/) creates devices from the firmware's description
 * of the machine and fills in how the device reaches memory; the IOMMU
 * driver and the DMA API read it.  Nothing here points into sim/.
 */
#ifndef _LINUX_DEVICE_H
#define _LINUX_DEVICE_H

#include <linux/types.h>
#include <linux/notifier.h>

struct dev_iommu;
struct iommu_group;

/**
 * struct device - a device that can do DMA
 * @name: for messages, e.g. "0000:02:00.0 nic"
 * @parent: the bridge or port above it, or NULL
 * @dma_mask: the addresses the device's DMA engine can emit
 * @coherent_dma_mask: the same for coherent allocations
 * @max_segment_size: longest single DMA segment the device takes
 * @seg_boundary_mask: a DMA segment may not cross a multiple of this + 1
 * @dma_coherent: DMA is coherent with the CPU caches
 * @iommu_unit: firmware: index of the IOMMU that translates for it,
 *	or -1 when none does
 * @rid: firmware: the requester ID it emits (bus << 8 | devfn)
 * @bus: the bus it sits on, for the struct's whole life (removal does
 *	not change it); NULL for a device on none
 * @iommu: per-device IOMMU state, owned by drivers/iommu/ (NULL if none)
 * @iommu_group: its IOMMU group, owned by drivers/iommu/
 */
struct bus_type;

struct device {
	const char *name;
	struct device *parent;
	struct bus_type *bus;
	u64 dma_mask;
	u64 coherent_dma_mask;
	unsigned int max_segment_size;
	unsigned long seg_boundary_mask;
	bool dma_coherent;
	int iommu_unit;
	u16 rid;
	struct dev_iommu *iommu;
	struct iommu_group *iommu_group;
};

static inline const char *dev_name(const struct device *dev)
{
	return dev->name;
}

/*
 * Buses (upstream's <linux/device/bus.h>, the part subsystems use to hear
 * of devices leaving): a bus calls its notifier chain with the device
 * when one goes away, first BUS_NOTIFY_DEL_DEVICE (it is still usable),
 * then BUS_NOTIFY_REMOVED_DEVICE (it is off the bus).  So the layers
 * above the bus (the IOMMU core, the DMA sanitizer) learn of a removal
 * without the bus calling up into them.
 */
#define BUS_NOTIFY_DEL_DEVICE		0x00000002 /* device to be removed */
#define BUS_NOTIFY_REMOVED_DEVICE	0x00000003 /* device removed */

/**
 * struct bus_type - a bus devices sit on
 * @name: "pci"
 * @notifier: private: its notifier chain (upstream keeps it in the
 *	driver core's private part)
 */
struct bus_type {
	const char *name;
	struct blocking_notifier_head notifier;
};

/**
 * bus_register_notifier() - hear of a bus's devices coming and going
 * @bus: the bus
 * @nb: called with BUS_NOTIFY_* and the struct device; may sleep
 *
 * Return: 0, or -EEXIST if @nb is registered already.
 */
static inline int bus_register_notifier(struct bus_type *bus,
					struct notifier_block *nb)
{
	return blocking_notifier_chain_register(&bus->notifier, nb);
}

/**
 * bus_unregister_notifier() - stop hearing of a bus's devices
 * @bus: the bus
 * @nb: as registered
 *
 * Return: 0, or -ENOENT if @nb was not registered.
 */
static inline int bus_unregister_notifier(struct bus_type *bus,
					  struct notifier_block *nb)
{
	return blocking_notifier_chain_unregister(&bus->notifier, nb);
}

#endif /* _LINUX_DEVICE_H */
