// SPDX-License-Identifier: GPL-2.0
/*
 * PCI enumeration: building struct pci_host_bridge and struct pci_dev from
 * the machine's PCI firmware table, and finding them again.
 *
 * pci_init() reads the table (<asm/pci.h>) once, in order; the table lists
 * parents before children, so each node's parent already exists when the
 * node is made.  Objects go on two lists in table order and stay there
 * until pci_exit(): no hotplug, no reference counts.  The lists are
 * written only by pci_init()/pci_exit(), which run at boot and shutdown
 * with nothing else using PCI, so readers take no lock.
 *
 * Configuration space is reached through the ECAM region the firmware
 * reports, which pci_init() maps first (drivers/pci/access.c).
 *
 * A failed pci_init() frees whatever it made; every allocation is a
 * kzalloc() of one object, so allocation-failure injection covers each.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/pci.h>


static LIST_HEAD(pci_host_bridges);
static LIST_HEAD(pci_devices);
static bool pci_ready;

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
	strscpy(pdev->name, fw->name, sizeof(pdev->name));
	pdev->host = host;
	pdev->bridge = bridge;
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
	pdev->dev.dma_mask = pci_dma_bit_mask(fw->dma_bits);
	pdev->dev.coherent_dma_mask = pdev->dev.dma_mask;
	pdev->dev.max_segment_size = 65536;
	pdev->dev.seg_boundary_mask = 0xffffffff;
	pdev->dev.dma_coherent = !fw->dma_noncoherent;
	pdev->dev.iommu_unit = host->iommu_unit;
	pdev->dev.rid = fw->rid;
	mutex_init(&pdev->cfg_access_lock);

	list_add_tail(&pdev->node, &pci_devices);
	return pdev;
}

/* Endpoints that share their link with others are multi-function. */
static void pci_find_multifunction(void)
{
	struct pci_dev *a, *b;

	list_for_each_entry(a, &pci_devices, node)
		list_for_each_entry(b, &pci_devices, node)
			if (a != b && a->bridge == b->bridge &&
			    pci_pcie_type(a) == PCI_EXP_TYPE_ENDPOINT &&
			    pci_pcie_type(b) == PCI_EXP_TYPE_ENDPOINT)
				a->multifunction = true;
}

static void pci_free_all(void)
{
	struct pci_host_bridge *host, *host_tmp;
	struct pci_dev *pdev, *tmp;

	list_for_each_entry_safe_reverse(pdev, tmp, &pci_devices, node) {
		list_del(&pdev->node);
		mutex_destroy(&pdev->cfg_access_lock);
		kfree(pdev);
	}
	list_for_each_entry_safe_reverse(host, host_tmp, &pci_host_bridges,
					 node) {
		list_del(&host->node);
		kfree(host);
	}
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
 * pci_exit() - forget every PCI device and host bridge
 *
 * Nothing may use them afterwards (P2P providers must be gone).  A no-op
 * if pci_init() did not succeed.
 */
void pci_exit(void)
{
	if (!pci_ready)
		return;
	pci_free_all();
	pci_ecam_exit();
	pci_ready = false;
}

/**
 * pci_get_next_dev() - iterate over PCI functions, in firmware order
 * @from: the previous one, or NULL to start
 *
 * Return: the function after @from, or NULL at the end.
 */
struct pci_dev *pci_get_next_dev(struct pci_dev *from)
{
	struct list_head *next = from ? from->node.next : pci_devices.next;

	return next == &pci_devices ? NULL :
	       list_entry(next, struct pci_dev, node);
}

/**
 * pci_get_next_host_bridge() - iterate over host bridges, in firmware order
 * @from: the previous one, or NULL to start
 *
 * Return: the host bridge after @from, or NULL at the end.
 */
struct pci_host_bridge *pci_get_next_host_bridge(struct pci_host_bridge *from)
{
	struct list_head *next = from ? from->node.next : pci_host_bridges.next;

	return next == &pci_host_bridges ? NULL :
	       list_entry(next, struct pci_host_bridge, node);
}

/**
 * pci_get_by_name() - find a PCI function by name
 * @name: firmware's name ("gpu0") or the device name ("0000:04:00.0 gpu0")
 *
 * Return: the function, or NULL.  No reference is taken: it lives until
 * pci_exit().
 */
struct pci_dev *pci_get_by_name(const char *name)
{
	struct pci_dev *pdev;

	list_for_each_entry(pdev, &pci_devices, node)
		if (!strcmp(pdev->name, name) || !strcmp(pdev->dev_name, name))
			return pdev;
	return NULL;
}

/**
 * dev_is_pci() - is @dev the struct device of a PCI function?
 * @dev: any device
 *
 * Return: true if to_pci_dev(@dev) is valid.
 */
bool dev_is_pci(const struct device *dev)
{
	struct pci_dev *pdev;

	list_for_each_entry(pdev, &pci_devices, node)
		if (&pdev->dev == dev)
			return true;
	return false;
}

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
