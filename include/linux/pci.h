/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI: the devices the firmware describes, as the kernel side sees them
 * (drivers/pci/).
 *
 * pci_init() enumerates the machine's PCI firmware table once at boot: a
 * struct pci_host_bridge per host bridge, a struct pci_dev per port and
 * endpoint, in firmware order (parents before children).
 *
 * Lifetime.  A struct pci_dev is reference counted (pci_dev_get(),
 * pci_dev_put()) and freed at its last put.  The kernel holds one
 * reference while the device is on the bus (pci_dev_is_added());
 * pci_stop_and_remove_bus_device() takes it off the bus (children
 * first), tells the bus's notifier chain (pci_bus_type: the IOMMU core
 * releases the device, the DMA sanitizer reports the device's live
 * mappings), retires its P2P providers (<linux/pci-p2pdma.h>) and drops
 * that reference; pci_exit() removes every device.  Whoever else holds a
 * reference (a lookup's caller, a DMA mapping of the device's BAR memory)
 * keeps the struct, and what it points to (the port above it, its host
 * bridge), valid until it puts it; nothing else of a removed device may
 * be used.  Lookups (pci_get_by_name(), for_each_pci_dev()) return
 * references, as upstream's pci_get_*() do.
 *
 * Addresses.  A BAR's resource holds CPU physical addresses (what the CPU
 * and the IOMMU output use); pci_bus_address() gives the address the same
 * byte has on the PCI bus (what a peer device emits to reach it without
 * the root complex).  They differ by the host bridge window's offset.
 *
 * Configuration space (drivers/pci/access.c) is reached through the
 * firmware's ECAM region: pci_read_config_*() and pci_write_config_*()
 * return PCIBIOS_* codes as upstream (pcibios_err_to_errno() turns them
 * into errnos), pci_user_*_config_*() return errnos (-EINVAL for an
 * access beyond the 4 KiB space or misaligned) and wait while a reset
 * holds pci_cfg_access_lock().  drivers/pci/pci.c enables memory decode
 * and bus mastering, finds capabilities, saves and restores state and
 * resets functions (pci_reset_function(): FLR).
 *
 * ACS.  @acs_cap and @acs_ctrl are the device's ACS capability and control
 * registers as firmware left them (PCI_ACS_* bits).  pci_acs_enabled() and
 * pci_acs_path_enabled() answer "is this device / path isolated for these
 * controls", with the PCIe spec's rules for which devices need ACS at all
 * (drivers/pci/acs.c).
 */
#ifndef _LINUX_PCI_H
#define _LINUX_PCI_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/device.h>
#include <linux/errno.h>
#include <linux/ioport.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <uapi/linux/pci_regs.h>

#define PCI_STD_NUM_BARS	6

struct pci_p2pdma;

#define PCI_DEVFN(slot, func)	((((slot) & 0x1f) << 3) | ((func) & 0x07))
#define PCI_SLOT(devfn)		(((devfn) >> 3) & 0x1f)
#define PCI_FUNC(devfn)		((devfn) & 0x07)

/*
 * Errors of pci_read_config_*() and pci_write_config_*(), as upstream
 * (positive, from the days of the PCI BIOS).
 */
#define PCIBIOS_SUCCESSFUL		0x00
#define PCIBIOS_FUNC_NOT_SUPPORTED	0x81
#define PCIBIOS_BAD_VENDOR_ID		0x83
#define PCIBIOS_DEVICE_NOT_FOUND	0x86
#define PCIBIOS_BAD_REGISTER_NUMBER	0x87
#define PCIBIOS_SET_FAILED		0x88
#define PCIBIOS_BUFFER_TOO_SMALL	0x89

/* What a config read of nothing returns, and how to recognise it. */
#define PCI_ERROR_RESPONSE		(~0ULL)
#define PCI_SET_ERROR_RESPONSE(val)	(*(val) = ((typeof(*(val)))PCI_ERROR_RESPONSE))
#define PCI_POSSIBLE_ERROR(val)		((val) == ((typeof(val))PCI_ERROR_RESPONSE))

/**
 * pcibios_err_to_errno() - the errno of a PCIBIOS_* code
 * @err: what pci_read_config_*() or pci_write_config_*() returned
 *
 * Return: 0, or a negative errno (upstream's mapping: a bad register
 * number is -EFAULT, a missing device -ENODEV).
 */
static inline int pcibios_err_to_errno(int err)
{
	if (err <= PCIBIOS_SUCCESSFUL)
		return err;
	switch (err) {
	case PCIBIOS_FUNC_NOT_SUPPORTED:
		return -ENOENT;
	case PCIBIOS_BAD_VENDOR_ID:
		return -ENOTTY;
	case PCIBIOS_DEVICE_NOT_FOUND:
		return -ENODEV;
	case PCIBIOS_BAD_REGISTER_NUMBER:
		return -EFAULT;
	case PCIBIOS_SET_FAILED:
		return -EIO;
	case PCIBIOS_BUFFER_TOO_SMALL:
		return -ENOSPC;
	}
	return -ERANGE;
}

/* How long pci_reset_function() waits for a function to come back. */
#define PCIE_RESET_READY_POLL_MS	60000

/* ACS capability and control bits. */
#define PCI_ACS_SV		0x0001	/* Source Validation */
#define PCI_ACS_TB		0x0002	/* Translation Blocking */
#define PCI_ACS_RR		0x0004	/* P2P Request Redirect */
#define PCI_ACS_CR		0x0008	/* P2P Completion Redirect */
#define PCI_ACS_UF		0x0010	/* Upstream Forwarding */
#define PCI_ACS_EC		0x0020	/* P2P Egress Control */
#define PCI_ACS_DT		0x0040	/* Direct Translated P2P */

/*
 * The controls that isolate a device's DMA from its peers: with all of
 * them on along the path to the root, every request reaches the IOMMU.
 * IOMMU grouping asks pci_acs_path_enabled(pdev, NULL,
 * PCI_ACS_ISOLATION_FLAGS).
 */
#define PCI_ACS_ISOLATION_FLAGS	\
	(PCI_ACS_SV | PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_UF)

/* Most host bridge MMIO windows (32-bit and 64-bit). */
#define PCI_HOST_MAX_WINDOWS	2

/**
 * struct pci_host_window - an MMIO window of a host bridge
 * @res: its CPU physical addresses
 * @offset: CPU address - bus address, for every byte of the window
 */
struct pci_host_window {
	struct resource res;
	u64 offset;
};

/**
 * struct pci_host_bridge - a host bridge: a root complex and its PCI domain
 * @name: firmware's name, e.g. "hb0"
 * @vendor: PCI vendor ID of the host bridge
 * @device: PCI device ID of the host bridge
 * @busnr: its root bus number
 * @subordinate: the highest bus number below it
 * @iommu_unit: the IOMMU unit that translates for its devices, or -1
 * @nr_windows: valid entries of @windows
 * @windows: its MMIO windows; the IOMMU must not hand out IOVAs equal to
 *	their bus addresses, which peers below a switch would claim
 * @node: in the list of host bridges (private)
 */
struct pci_host_bridge {
	char name[16];
	u16 vendor;
	u16 device;
	u8 busnr;
	u8 subordinate;
	int iommu_unit;
	unsigned int nr_windows;
	struct pci_host_window windows[PCI_HOST_MAX_WINDOWS];
	struct list_head node;

	/* private: lifetime (drivers/pci/probe.c): one per pci_dev below */
	struct kref kref;
};

/**
 * struct pci_dev - a PCI function: a root port, a switch port or an endpoint
 * @dev: the generic device (name "0000:BB:DD.F NAME", rid, DMA limits,
 *	IOMMU unit)
 * @name: firmware's name for it, e.g. "gpu0"
 * @host: its host bridge
 * @bridge: the port above it; NULL for a root port
 * @busnr: the bus it sits on
 * @devfn: its device and function number
 * @secondary: bridges: the bus below it
 * @subordinate: bridges: the highest bus below it
 * @vendor: PCI vendor ID
 * @device: PCI device ID
 * @pcie_type: PCI_EXP_TYPE_*
 * @multifunction: an endpoint sharing its link with other functions
 * @acs_cap: ACS capability (PCI_ACS_*); 0 if it has none
 * @acs_ctrl: ACS controls that are on
 * @resource: BARs, CPU physical addresses; flags 0 if not implemented
 * @dev_name: storage for @dev.name
 * @node: in the list of devices (private)
 * @cfg_access_lock: held by pci_cfg_access_lock() (a reset holds it
 *	throughout); pci_user_*_config_*() and the core's read-modify-writes
 *	of Command wait for it
 * @enable_cnt: pci_enable_device*() calls not yet disabled
 * @is_busmaster: pci_set_master() was called (and not cleared)
 * @state_saved: @saved_config_space holds a pci_save_state()
 * @saved_config_space: the header's first 16 dwords, as saved
 * @saved_pcie_devctl: the PCI Express capability's Device Control, as saved
 * @kref: private: references; the kernel's while the device is added
 * @seq: private: enumeration order, for iteration past a removed device
 * @is_added: private: on the bus (pci_dev_is_added())
 * @p2pdma: private: its P2P providers and their pages (drivers/pci/p2pdma.c);
 *	NULL until the first pcim_p2pdma_provider()
 */
struct pci_dev {
	struct device dev;
	char name[16];
	struct pci_host_bridge *host;
	struct pci_dev *bridge;
	u8 busnr;
	u8 devfn;
	u8 secondary;
	u8 subordinate;
	u16 vendor;
	u16 device;
	u8 pcie_type;
	bool multifunction;
	u16 acs_cap;
	u16 acs_ctrl;
	struct resource resource[PCI_STD_NUM_BARS];
	char dev_name[40];
	struct list_head node;

	/* Configuration space state (drivers/pci/access.c, pci.c). */
	struct mutex cfg_access_lock;
	atomic_t enable_cnt;
	bool is_busmaster;
	bool state_saved;
	u32 saved_config_space[16];
	u16 saved_pcie_devctl;
	/* Lifetime and P2P providers (drivers/pci/probe.c, p2pdma.c). */
	struct kref kref;
	u32 seq;
	bool is_added;
	struct pci_p2pdma *p2pdma;
};

/**
 * to_pci_dev() - the PCI function a generic device is
 * @d: a struct device that is a PCI function's (dev_is_pci())
 */
#define to_pci_dev(d)	container_of(d, struct pci_dev, dev)

/**
 * pci_pcie_type() - what kind of PCIe function a device is
 * @pdev: the device
 *
 * Return: PCI_EXP_TYPE_ENDPOINT, _ROOT_PORT, _UPSTREAM or _DOWNSTREAM.
 */
static inline int pci_pcie_type(const struct pci_dev *pdev)
{
	return pdev->pcie_type;
}

/**
 * pci_is_bridge() - is a device a port?
 * @pdev: the device
 *
 * Return: true for root ports and switch upstream and downstream ports,
 * false for endpoints.
 */
static inline bool pci_is_bridge(const struct pci_dev *pdev)
{
	return pdev->pcie_type != PCI_EXP_TYPE_ENDPOINT;
}

/**
 * pci_upstream_bridge() - the port a device sits below
 * @pdev: the device
 *
 * Return: the port above @pdev, or NULL for a root port (its parent is
 * the host bridge, pci_find_host_bridge()).
 */
static inline struct pci_dev *pci_upstream_bridge(struct pci_dev *pdev)
{
	return pdev->bridge;
}

/**
 * pci_find_host_bridge() - the host bridge a device is below
 * @pdev: the device
 *
 * Return: its host bridge; never NULL.
 */
static inline struct pci_host_bridge *pci_find_host_bridge(struct pci_dev *pdev)
{
	return pdev->host;
}

/**
 * pci_resource_start() - where a BAR is, for the CPU
 * @pdev: the device
 * @bar: BAR index, 0 to PCI_STD_NUM_BARS - 1
 *
 * pci_bus_address() gives the same byte's PCI bus address.
 *
 * Return: the CPU physical address of the BAR's first byte; 0 if the BAR
 * is not implemented.
 */
static inline phys_addr_t pci_resource_start(const struct pci_dev *pdev,
					     int bar)
{
	return pdev->resource[bar].start;
}

/**
 * pci_resource_len() - how large a BAR is
 * @pdev: the device
 * @bar: BAR index, 0 to PCI_STD_NUM_BARS - 1
 *
 * Return: its length in bytes; 0 if the BAR is not implemented.
 */
static inline u64 pci_resource_len(const struct pci_dev *pdev, int bar)
{
	const struct resource *res = &pdev->resource[bar];

	return res->flags ? resource_size(res) : 0;
}

/**
 * pci_resource_flags() - what kind of memory a BAR is
 * @pdev: the device
 * @bar: BAR index, 0 to PCI_STD_NUM_BARS - 1
 *
 * Return: its IORESOURCE_* flags (IORESOURCE_MEM, _MEM_64, _PREFETCH); 0
 * if the BAR is not implemented.
 */
static inline unsigned long pci_resource_flags(const struct pci_dev *pdev,
					       int bar)
{
	return pdev->resource[bar].flags;
}

int pci_init(void);
void pci_exit(void);

/* ---- lifetime (drivers/pci/probe.c) ------------------------------------ */

extern struct bus_type pci_bus_type;

struct pci_dev *pci_dev_get(struct pci_dev *pdev);
void pci_dev_put(struct pci_dev *pdev);
void pci_stop_and_remove_bus_device(struct pci_dev *pdev);
void pci_lock_rescan_remove(void);
void pci_unlock_rescan_remove(void);

/**
 * pci_dev_is_added() - is a device on the bus?
 * @pdev: the device
 *
 * Return: true from enumeration until pci_stop_and_remove_bus_device()
 * begins; a removed device never comes back.
 */
static inline bool pci_dev_is_added(const struct pci_dev *pdev)
{
	return READ_ONCE(pdev->is_added);
}

struct pci_dev *pci_get_next_dev(struct pci_dev *from);
struct pci_host_bridge *pci_get_next_host_bridge(struct pci_host_bridge *from);
struct pci_dev *pci_get_by_name(const char *name);

/**
 * dev_is_pci() - is @dev the struct device of a PCI function?
 * @dev: any device
 *
 * A type test, as upstream's: true for the struct's whole life, also
 * after the function was removed (pci_dev_is_added() says whether it is
 * on the bus).  Takes no lock, so atomic context may ask.
 *
 * Return: true if to_pci_dev(@dev) is valid.
 */
static inline bool dev_is_pci(const struct device *dev)
{
	return dev->bus == &pci_bus_type;
}

/**
 * for_each_pci_dev() - iterate over every PCI function
 * @pdev: struct pci_dev * cursor
 *
 * In firmware order, parents before children, devices on the bus only.
 * As upstream's: the body holds a reference on @pdev (and needs no lock:
 * it may sleep, and devices, @pdev too, may be removed meanwhile, the
 * iteration then goes on after it); the next step puts it.  Leaving the
 * loop early (break, return) leaves that reference to the caller, who
 * must pci_dev_put() it.
 */
#define for_each_pci_dev(pdev)						\
	for (pdev = pci_get_next_dev(NULL); pdev; pdev = pci_get_next_dev(pdev))
/**
 * for_each_pci_host_bridge() - iterate over every host bridge
 * @host: struct pci_host_bridge * cursor
 *
 * In firmware order.  Host bridges are not hot plugged: they stay until
 * pci_exit(), so this takes no references.
 */
#define for_each_pci_host_bridge(host)					\
	for (host = pci_get_next_host_bridge(NULL); host;		\
	     host = pci_get_next_host_bridge(host))

dma_addr_t pci_bus_address(const struct pci_dev *pdev, int bar);

/* Configuration space (drivers/pci/access.c). */
int pci_ecam_init(void);
void pci_ecam_exit(void);
int pci_read_config_byte(const struct pci_dev *dev, int where, u8 *val);
int pci_read_config_word(const struct pci_dev *dev, int where, u16 *val);
int pci_read_config_dword(const struct pci_dev *dev, int where, u32 *val);
int pci_write_config_byte(const struct pci_dev *dev, int where, u8 val);
int pci_write_config_word(const struct pci_dev *dev, int where, u16 val);
int pci_write_config_dword(const struct pci_dev *dev, int where, u32 val);
int pci_user_read_config_byte(struct pci_dev *dev, int where, u8 *val);
int pci_user_read_config_word(struct pci_dev *dev, int where, u16 *val);
int pci_user_read_config_dword(struct pci_dev *dev, int where, u32 *val);
int pci_user_write_config_byte(struct pci_dev *dev, int where, u8 val);
int pci_user_write_config_word(struct pci_dev *dev, int where, u16 val);
int pci_user_write_config_dword(struct pci_dev *dev, int where, u32 val);
void pci_cfg_access_lock(struct pci_dev *dev);
void pci_cfg_access_unlock(struct pci_dev *dev);

/* Capabilities, enabling, state and reset (drivers/pci/pci.c). */
u8 pci_find_capability(struct pci_dev *dev, int cap);
int pcie_capability_read_word(struct pci_dev *dev, int pos, u16 *val);
int pcie_capability_read_dword(struct pci_dev *dev, int pos, u32 *val);
int pcie_capability_write_word(struct pci_dev *dev, int pos, u16 val);
int pcie_capability_clear_and_set_word(struct pci_dev *dev, int pos,
				       u16 clear, u16 set);
int pci_enable_device(struct pci_dev *dev);
int pci_enable_device_mem(struct pci_dev *dev);
void pci_disable_device(struct pci_dev *dev);
void pci_set_master(struct pci_dev *dev);
void pci_clear_master(struct pci_dev *dev);
int pci_save_state(struct pci_dev *dev);
void pci_restore_state(struct pci_dev *dev);
int pcie_reset_flr(struct pci_dev *dev, bool probe);
int pcie_flr(struct pci_dev *dev);
int pci_reset_function(struct pci_dev *dev);

#define PCI_RESET_DO_RESET	false
#define PCI_RESET_PROBE		true

/**
 * pci_is_enabled() - has a driver enabled the device?
 * @pdev: the device
 *
 * Return: true while pci_enable_device*() calls outnumber
 * pci_disable_device() calls.
 */
static inline bool pci_is_enabled(struct pci_dev *pdev)
{
	return atomic_read(&pdev->enable_cnt) > 0;
}

/**
 * pcie_capability_set_word() - set bits of a PCI Express capability register
 * @dev: the device
 * @pos: the register's offset in the capability
 * @set: bits to set
 *
 * Return: as pcie_capability_clear_and_set_word().
 */
static inline int pcie_capability_set_word(struct pci_dev *dev, int pos,
					   u16 set)
{
	return pcie_capability_clear_and_set_word(dev, pos, 0, set);
}

/**
 * pcie_capability_clear_word() - clear bits of a PCI Express capability
 * register
 * @dev: the device
 * @pos: the register's offset in the capability
 * @clear: bits to clear
 *
 * Return: as pcie_capability_clear_and_set_word().
 */
static inline int pcie_capability_clear_word(struct pci_dev *dev, int pos,
					     u16 clear)
{
	return pcie_capability_clear_and_set_word(dev, pos, clear, 0);
}

bool pci_acs_enabled(const struct pci_dev *pdev, u16 acs_flags);
bool pci_acs_path_enabled(struct pci_dev *start, struct pci_dev *end,
			  u16 acs_flags);

#endif /* _LINUX_PCI_H */
