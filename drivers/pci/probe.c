// SPDX-License-Identifier: GPL-2.0
/*
 * PCI enumeration: building struct pci_host_bridge and struct pci_dev from
 * the machine's PCI firmware table, finding them again, and their
 * lifetime.
 *
 * pci_init() reads the table (<asm/pci.h>) once, in order; the table lists
 * parents before children, so each node's parent already exists when the
 * node is made.  Objects go on two lists in table order.  Host bridges
 * stay there until pci_exit(); devices until they are removed
 * (pci_stop_and_remove_bus_device(), pci_exit() for all).
 *
 * References.  A pci_dev starts with one reference, the kernel's, dropped
 * when it is removed; each device holds one on the port above it and one
 * on its host bridge, dropped when it is freed, so a removed device that
 * somebody still holds keeps the structs its pointers lead to.  Lookups
 * return references.
 *
 * Locking.  pci_bus_sem (as upstream's) covers the device list and
 * @is_added: lookups and iteration take it for read, removal for write.
 * Notifiers run without it, since they take the IOMMU core's lock.
 * dev_is_pci() is a type test (the device's bus), so the DMA path, which
 * may run in atomic context, never takes it.
 *
 * pci_rescan_remove_lock (upstream's pci_lock_rescan_remove()) serialises
 * removals: one remover at a time, from the first child to the device's
 * last reference, so a port and its child removed concurrently still go
 * children first, and a second remover of the same device returns only
 * when the first is done.  It is taken outside pci_bus_sem and outside
 * the notifiers' locks.
 *
 * Removal, as upstream's pci_stop_and_remove_bus_device(): children first
 * (deepest, last enumerated first); then the device leaves the list, the
 * bus notifier hears BUS_NOTIFY_DEL_DEVICE, its P2P providers are retired
 * (drivers/pci/p2pdma.c), the notifier hears BUS_NOTIFY_REMOVED_DEVICE
 * (the IOMMU core releases it), and the kernel's reference goes.
 *
 * Configuration space is reached through the ECAM region the firmware
 * reports, which pci_init() maps first (drivers/pci/access.c); what a
 * function says of itself there (Header Type's multi-function bit) is
 * read from it, the machine's rule standing in only without it.
 *
 * A failed pci_init() frees whatever it made; every allocation is a
 * kzalloc() of one object, so allocation-failure injection covers each.
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/pci-p2pdma.h>
#include <linux/rwsem.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/pci.h>

static LIST_HEAD(pci_host_bridges);
static LIST_HEAD(pci_devices);
static DECLARE_RWSEM(pci_bus_sem);
static DEFINE_MUTEX(pci_rescan_remove_lock);
static u32 pci_next_seq;
static bool pci_ready;

/* The bus's notifier chain: the IOMMU core and the DMA sanitizer listen. */
struct bus_type pci_bus_type = {
	.name = "pci",
	.notifier = BLOCKING_NOTIFIER_INIT(pci_bus_type.notifier),
};

/* What each firmware node became, while enumerating. */
struct pci_fw_obj {
	struct pci_host_bridge *host;
	struct pci_dev *pdev;
};

static u64 pci_dma_bit_mask(unsigned int bits)
{
	return bits >= 64 || !bits ? U64_MAX : (1ULL << bits) - 1;
}

static struct pci_host_bridge *
pci_host_bridge_create(const struct sim_fw_pci_node *fw)
{
	struct pci_host_bridge *host;
	unsigned int i;

	host = kzalloc(sizeof(*host), GFP_KERNEL);
	if (!host)
		return NULL;
	kref_init(&host->kref);
	strscpy(host->name, fw->name, sizeof(host->name));
	host->vendor = fw->vendor;
	host->device = fw->device;
	host->busnr = fw->secondary;
	host->subordinate = fw->subordinate;
	host->iommu_unit = fw->iommu_unit;
	for (i = 0; i < ARRAY_SIZE(fw->window); i++) {
		const struct sim_fw_pci_range *w = &fw->window[i];
		struct pci_host_window *win;

		if (!w->size || host->nr_windows >= PCI_HOST_MAX_WINDOWS)
			continue;
		win = &host->windows[host->nr_windows++];
		win->res.start = w->cpu_addr;
		win->res.end = w->cpu_addr + (w->size - 1);
		win->res.flags = IORESOURCE_MEM;
		win->offset = w->cpu_addr - w->bus_addr;
	}
	list_add_tail(&host->node, &pci_host_bridges);
	return host;
}

static void pci_host_bridge_release(struct kref *kref)
{
	kfree(container_of(kref, struct pci_host_bridge, kref));
}

static void pci_host_bridge_put(struct pci_host_bridge *host)
{
	kref_put(&host->kref, pci_host_bridge_release);
}

static u8 pci_fw_pcie_type(enum sim_pci_type type)
{
	switch (type) {
	case SIM_PCI_ROOT_PORT:
		return PCI_EXP_TYPE_ROOT_PORT;
	case SIM_PCI_SWITCH_UP:
		return PCI_EXP_TYPE_UPSTREAM;
	case SIM_PCI_SWITCH_DOWN:
		return PCI_EXP_TYPE_DOWNSTREAM;
	default:
		return PCI_EXP_TYPE_ENDPOINT;
	}
}

static void pci_dev_setup_bars(struct pci_dev *pdev,
			       const struct sim_fw_pci_node *fw)
{
	unsigned int i;

	for (i = 0; i < PCI_STD_NUM_BARS; i++) {
		struct resource *res = &pdev->resource[i];

		if (!fw->bar[i].size)
			continue;
		res->start = fw->bar[i].cpu_addr;
		res->end = fw->bar[i].cpu_addr + (fw->bar[i].size - 1);
		res->flags = IORESOURCE_MEM;
		if (fw->bar_flags[i] & SIM_PCI_BAR_PREFETCH)
			res->flags |= IORESOURCE_PREFETCH;
		if (fw->bar_flags[i] & SIM_PCI_BAR_64)
			res->flags |= IORESOURCE_MEM_64;
	}
}

static struct pci_dev *pci_dev_create(const struct sim_fw_pci_node *fw,
				      struct pci_host_bridge *host,
				      struct pci_dev *bridge)
{
	struct pci_dev *pdev;

	pdev = kzalloc(sizeof(*pdev), GFP_KERNEL);
	if (!pdev)
		return NULL;
	kref_init(&pdev->kref);
	strscpy(pdev->name, fw->name, sizeof(pdev->name));
	kref_get(&host->kref);
	pdev->host = host;
	pdev->bridge = pci_dev_get(bridge);
	pdev->busnr = fw->rid >> 8;
	pdev->devfn = fw->rid & 0xff;
	pdev->secondary = fw->secondary;
	pdev->subordinate = fw->subordinate;
	pdev->vendor = fw->vendor;
	pdev->device = fw->device;
	pdev->pcie_type = pci_fw_pcie_type(fw->type);
	pdev->acs_cap = fw->acs_cap;
	pdev->acs_ctrl = fw->acs_ctrl;
	pci_dev_setup_bars(pdev, fw);

	snprintf(pdev->dev_name, sizeof(pdev->dev_name),
		 "0000:%02x:%02x.%u %s", pdev->busnr, PCI_SLOT(pdev->devfn),
		 PCI_FUNC(pdev->devfn), pdev->name);
	pdev->dev.name = pdev->dev_name;
	pdev->dev.parent = bridge ? &bridge->dev : NULL;
	pdev->dev.bus = &pci_bus_type;
	pdev->dev.dma_mask = pci_dma_bit_mask(fw->dma_bits);
	pdev->dev.coherent_dma_mask = pdev->dev.dma_mask;
	pdev->dev.max_segment_size = 65536;
	pdev->dev.seg_boundary_mask = 0xffffffff;
	pdev->dev.dma_coherent = !fw->dma_noncoherent;
	pdev->dev.iommu_unit = host->iommu_unit;
	pdev->dev.rid = fw->rid;
	mutex_init(&pdev->cfg_access_lock);

	down_write(&pci_bus_sem);
	pdev->seq = pci_next_seq++;
	pdev->is_added = true;
	list_add_tail(&pdev->node, &pci_devices);
	up_write(&pci_bus_sem);
	return pdev;
}

/*
 * Without config space: the machine's rule, endpoints that share their
 * link with another endpoint are multi-function.
 */
static bool pci_shares_link(const struct pci_dev *pdev)
{
	struct pci_dev *other;

	if (pci_pcie_type(pdev) != PCI_EXP_TYPE_ENDPOINT)
		return false;
	list_for_each_entry(other, &pci_devices, node)
		if (other != pdev && other->bridge == pdev->bridge &&
		    pci_pcie_type(other) == PCI_EXP_TYPE_ENDPOINT)
			return true;
	return false;
}

/*
 * Which functions are multi-function: Header Type's multi-function bit,
 * as upstream's pci_setup_device() reads it, once ECAM is mapped; the
 * machine's rule only for a function whose config space cannot be read
 * (no ECAM, or a bus it does not cover).
 */
static void pci_find_multifunction(void)
{
	struct pci_dev *pdev;
	u8 hdr_type;

	list_for_each_entry(pdev, &pci_devices, node) {
		if (pci_read_config_byte(pdev, PCI_HEADER_TYPE, &hdr_type) ==
		    PCIBIOS_SUCCESSFUL)
			pdev->multifunction = hdr_type & PCI_HEADER_TYPE_MFD;
		else
			pdev->multifunction = pci_shares_link(pdev);
	}
}

/* Forget the host bridges: devices still held keep theirs. */
static void pci_put_host_bridges(void)
{
	struct pci_host_bridge *host, *tmp;

	list_for_each_entry_safe_reverse(host, tmp, &pci_host_bridges, node) {
		list_del(&host->node);
		pci_host_bridge_put(host);
	}
}

/* Undo a failed pci_init(): nothing but the lists knows the objects. */
static void pci_free_all(void)
{
	struct pci_dev *pdev, *tmp;

	list_for_each_entry_safe_reverse(pdev, tmp, &pci_devices, node) {
		list_del(&pdev->node);
		pdev->is_added = false;
		pci_dev_put(pdev);
	}
	pci_put_host_bridges();
	pci_next_seq = 0;
}

/* Make the object of firmware node @i; its parent is in @objs already. */
static int pci_enumerate_node(unsigned int i, struct pci_fw_obj *objs)
{
	struct sim_fw_pci_node fw;
	struct pci_fw_obj *parent;
	int ret;

	ret = arch_pci_fw_node(i, &fw);
	if (ret)
		return ret;
	if (fw.type == SIM_PCI_HOST_BRIDGE) {
		objs[i].host = pci_host_bridge_create(&fw);
		return objs[i].host ? 0 : -ENOMEM;
	}
	if (fw.parent < 0 || (unsigned int)fw.parent >= i)
		return -EINVAL;
	parent = &objs[fw.parent];
	objs[i].host = parent->host;
	objs[i].pdev = pci_dev_create(&fw, parent->host, parent->pdev);
	return objs[i].pdev ? 0 : -ENOMEM;
}

/**
 * pci_init() - enumerate the PCI fabric from the firmware table
 *
 * Called by machine_boot() after mm_init() and before the IOMMU driver,
 * which reads the devices.  A machine without PCI has no devices.
 *
 * Return: 0; -EBUSY if already done; -EINVAL for a malformed table;
 * -ENOMEM (nothing is left allocated then).
 */
int pci_init(void)
{
	unsigned int i, n = arch_pci_fw_count();
	struct pci_fw_obj *objs;
	int ret = 0;

	if (pci_ready)
		return -EBUSY;
	ret = pci_ecam_init();
	if (ret)
		return ret;
	if (n) {
		objs = kcalloc(n, sizeof(*objs), GFP_KERNEL);
		if (!objs) {
			ret = -ENOMEM;
			goto out_ecam_exit;
		}
		for (i = 0; i < n && !ret; i++)
			ret = pci_enumerate_node(i, objs);
		kfree(objs);
		if (ret)
			goto out_free_all;
	}
	pci_find_multifunction();
	pci_ready = true;
	return 0;

out_free_all:
	pci_free_all();
out_ecam_exit:
	pci_ecam_exit();
	return ret;
}

/**
 * pci_lock_rescan_remove() - hold off every other removal
 *
 * As upstream's: whoever adds or removes PCI devices holds it;
 * pci_stop_and_remove_bus_device() and pci_exit() take it themselves.
 * May sleep.
 */
void pci_lock_rescan_remove(void)
{
	mutex_lock(&pci_rescan_remove_lock);
}
EXPORT_SYMBOL_GPL(pci_lock_rescan_remove);

/**
 * pci_unlock_rescan_remove() - let other removals go on
 */
void pci_unlock_rescan_remove(void)
{
	mutex_unlock(&pci_rescan_remove_lock);
}
EXPORT_SYMBOL_GPL(pci_unlock_rescan_remove);

static void pci_stop_and_remove_bus_device_locked(struct pci_dev *pdev);

/**
 * pci_exit() - remove every PCI device and forget the host bridges
 *
 * pci_stop_and_remove_bus_device() for each device, last enumerated
 * first.  Structs that somebody still holds a reference on (a DMA
 * mapping of a BAR, say) stay until the last pci_dev_put().  A no-op if
 * pci_init() did not succeed.
 */
void pci_exit(void)
{
	struct pci_dev *pdev;

	if (!pci_ready)
		return;
	pci_lock_rescan_remove();
	for (;;) {
		down_read(&pci_bus_sem);
		pdev = list_last_entry_or_null(&pci_devices, struct pci_dev,
					       node);
		pci_dev_get(pdev);
		up_read(&pci_bus_sem);
		if (!pdev)
			break;
		pci_stop_and_remove_bus_device_locked(pdev);
		pci_dev_put(pdev);
	}
	pci_unlock_rescan_remove();
	pci_put_host_bridges();
	pci_next_seq = 0;
	pci_ecam_exit();
	pci_ready = false;
}

static void pci_release_dev(struct kref *kref)
{
	struct pci_dev *pdev = container_of(kref, struct pci_dev, kref);

	pci_p2pdma_release(pdev);
	pci_dev_put(pdev->bridge);
	pci_host_bridge_put(pdev->host);
	mutex_destroy(&pdev->cfg_access_lock);
	kfree(pdev);
}

/**
 * pci_dev_get() - take a reference on a PCI device
 * @pdev: the device, or NULL
 *
 * The caller must hold a reference already (its own, or one it knows
 * outlives the call, such as the kernel's on a device that is not being
 * removed).  A removed device stays a valid struct for as long as a
 * reference is held; pci_dev_is_added() tells whether it is on the bus.
 *
 * Return: @pdev.
 */
struct pci_dev *pci_dev_get(struct pci_dev *pdev)
{
	if (pdev)
		kref_get(&pdev->kref);
	return pdev;
}
EXPORT_SYMBOL_GPL(pci_dev_get);

/**
 * pci_dev_put() - drop a reference on a PCI device
 * @pdev: the device, or NULL
 *
 * The last put frees it: its P2P providers' memory, then the struct, and
 * the references it held on the port above it and its host bridge.
 */
void pci_dev_put(struct pci_dev *pdev)
{
	if (pdev)
		kref_put(&pdev->kref, pci_release_dev);
}
EXPORT_SYMBOL_GPL(pci_dev_put);

/* A child of @bridge still on the bus, the last enumerated; referenced. */
static struct pci_dev *pci_get_last_child(struct pci_dev *bridge)
{
	struct pci_dev *pdev, *child = NULL;

	down_read(&pci_bus_sem);
	list_for_each_entry_reverse(pdev, &pci_devices, node) {
		if (pdev->bridge == bridge) {
			child = pci_dev_get(pdev);
			break;
		}
	}
	up_read(&pci_bus_sem);
	return child;
}

/* Take @pdev off the bus; false if somebody did already. */
static bool pci_dev_unlink(struct pci_dev *pdev)
{
	bool was_added;

	down_write(&pci_bus_sem);
	was_added = pdev->is_added;
	if (was_added) {
		list_del_init(&pdev->node);
		WRITE_ONCE(pdev->is_added, false);
	}
	up_write(&pci_bus_sem);
	return was_added;
}

/* pci_stop_and_remove_bus_device() with pci_rescan_remove_lock held. */
static void pci_stop_and_remove_bus_device_locked(struct pci_dev *pdev)
{
	struct pci_dev *child;

	lockdep_assert_held(&pci_rescan_remove_lock);
	while ((child = pci_get_last_child(pdev))) {
		pci_stop_and_remove_bus_device_locked(child);
		pci_dev_put(child);
	}
	if (!pci_dev_unlink(pdev))
		return;
	blocking_notifier_call_chain(&pci_bus_type.notifier,
				     BUS_NOTIFY_DEL_DEVICE, &pdev->dev);
	pci_p2pdma_remove(pdev);
	blocking_notifier_call_chain(&pci_bus_type.notifier,
				     BUS_NOTIFY_REMOVED_DEVICE, &pdev->dev);
	pci_dev_put(pdev);
}

/**
 * pci_stop_and_remove_bus_device() - remove a PCI device (and what is
 *	below it)
 * @pdev: the device; the caller holds a reference; NULL is ignored
 *
 * An orderly removal, as when a slot's power goes off on request: the
 * devices below a port go first, deepest first.  Each leaves the bus
 * lists (lookups and iteration no longer find it), the bus notifier
 * hears of it (the DMA sanitizer reports the device's own live
 * mappings, the IOMMU core releases it: its context blocks its DMA),
 * its P2P providers are retired (pci_p2pdma_remove(): new mappings of
 * its BARs fail, live ones are reported and keep what they use), and
 * the kernel drops its reference.  Removing a device that was removed
 * already does nothing; removing one that another thread is removing
 * waits until that removal is done (pci_rescan_remove_lock).  May sleep.
 */
void pci_stop_and_remove_bus_device(struct pci_dev *pdev)
{
	if (!pdev)
		return;
	pci_lock_rescan_remove();
	pci_stop_and_remove_bus_device_locked(pdev);
	pci_unlock_rescan_remove();
}
EXPORT_SYMBOL_GPL(pci_stop_and_remove_bus_device);

/**
 * pci_get_next_dev() - iterate over PCI functions, in firmware order
 * @from: the previous one (its reference is dropped), or NULL to start
 *
 * @from may have been removed since it was returned: the iteration goes
 * on with the first device enumerated after it that is still on the bus.
 *
 * Return: the function after @from, with a reference the caller must
 * put (the next call does), or NULL at the end.
 */
struct pci_dev *pci_get_next_dev(struct pci_dev *from)
{
	struct pci_dev *pdev, *next = NULL;

	down_read(&pci_bus_sem);
	if (!from) {
		next = list_first_entry_or_null(&pci_devices, struct pci_dev,
						node);
	} else if (from->is_added) {
		if (!list_is_last(&from->node, &pci_devices))
			next = list_next_entry(from, node);
	} else {
		list_for_each_entry(pdev, &pci_devices, node) {
			if (pdev->seq > from->seq) {
				next = pdev;
				break;
			}
		}
	}
	pci_dev_get(next);
	up_read(&pci_bus_sem);
	pci_dev_put(from);
	return next;
}
EXPORT_SYMBOL_GPL(pci_get_next_dev);

/**
 * pci_get_next_host_bridge() - iterate over host bridges, in firmware order
 * @from: the previous one, or NULL to start
 *
 * Host bridges are never removed before pci_exit(): no references.
 *
 * Return: the host bridge after @from, or NULL at the end.
 */
struct pci_host_bridge *pci_get_next_host_bridge(struct pci_host_bridge *from)
{
	struct list_head *next = from ? from->node.next : pci_host_bridges.next;

	return next == &pci_host_bridges ? NULL :
	       list_entry(next, struct pci_host_bridge, node);
}
EXPORT_SYMBOL_GPL(pci_get_next_host_bridge);

/**
 * pci_get_by_name() - find a PCI function by name
 * @name: firmware's name ("gpu0") or the device name ("0000:04:00.0 gpu0")
 *
 * Only devices on the bus are found.
 *
 * Return: the function with a reference the caller must pci_dev_put(),
 * or NULL.
 */
struct pci_dev *pci_get_by_name(const char *name)
{
	struct pci_dev *pdev, *found = NULL;

	down_read(&pci_bus_sem);
	list_for_each_entry(pdev, &pci_devices, node) {
		if (!strcmp(pdev->name, name) || !strcmp(pdev->dev_name, name)) {
			found = pci_dev_get(pdev);
			break;
		}
	}
	up_read(&pci_bus_sem);
	return found;
}
EXPORT_SYMBOL_GPL(pci_get_by_name);

/**
 * pci_bus_address() - the PCI bus address of a BAR
 * @pdev: the function
 * @bar: BAR index
 *
 * A peer below the same switch reaches the BAR at this address; the CPU
 * and the IOMMU's output use pci_resource_start() instead.
 *
 * Return: the bus address of the BAR's first byte, or 0 if the BAR is not
 * implemented.
 */
dma_addr_t pci_bus_address(const struct pci_dev *pdev, int bar)
{
	const struct resource *res = &pdev->resource[bar];
	const struct pci_host_bridge *host = pdev->host;
	unsigned int i;

	if (!res->flags)
		return 0;
	for (i = 0; i < host->nr_windows; i++) {
		const struct pci_host_window *win = &host->windows[i];

		if (res->start >= win->res.start && res->end <= win->res.end)
			return res->start - win->offset;
	}
	return res->start;
}
