// SPDX-License-Identifier: GPL-2.0
/*
 * Configuration space access: ECAM, and the accessors drivers and the
 * PCI core use.
 *
 * The firmware reports one ECAM region (the platform's <asm/pci.h>, like
 * ACPI's MCFG); pci_ecam_init() ioremap()s the part covering its buses,
 * and a function's 4 KiB of config space are at (bus << 20 | devfn << 12)
 * from bus 0.  Each access is one MMIO load or store of 1, 2 or 4 bytes
 * (readb/w/l(), writeb/w/l()), so accesses need no lock of their own: the
 * hardware completes each whole.  (Upstream serialises them with pci_lock
 * for the sake of mechanisms that take two port accesses; ECAM does not.)
 *
 * Two families, as upstream:
 *
 *  - pci_read_config_*() / pci_write_config_*(), for the kernel: return
 *    PCIBIOS_* codes, PCIBIOS_BAD_REGISTER_NUMBER for an access that is
 *    misaligned or beyond the 4 KiB space (reads then give all ones).
 *    We refuse the latter where upstream's ECAM would silently wrap the
 *    offset into the function's space.
 *  - pci_user_*_config_*(), for requests that come from user space
 *    (sysfs, VFIO): return errnos, -EINVAL for a misaligned access or one
 *    beyond the space, and wait while pci_cfg_access_lock() is held, so
 *    a reset is never interleaved with them.
 *
 * pci_cfg_access_lock() is a mutex per device here (upstream: a flag and
 * a wait queue under pci_lock); pci_reset_function() holds it throughout,
 * and the core's read-modify-writes of Command take it.
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/printk.h>
#include <asm/io.h>
#include <asm/pci.h>

/* The offset of bus:devfn's register @where from bus 0 (PCIe's ECAM). */
#define PCIE_ECAM_OFFSET(bus, devfn, where)				\
	(((u64)(bus) << 20) | ((u64)(devfn) << 12) | (where))

/**
 * struct pci_ecam - the ioremap()ped configuration space
 * @base: cookie of the first covered bus's config space; NULL if none
 * @bus_start: first bus covered
 * @bus_end: last bus covered
 */
static struct pci_ecam {
	void __iomem *base;
	u8 bus_start;
	u8 bus_end;
} pci_ecam;

/**
 * pci_ecam_init() - map the configuration space the firmware reports
 *
 * Called by pci_init() before enumeration.  Without ECAM (no PCI, or a
 * region that cannot be mapped, which is reported) every config access
 * fails with PCIBIOS_DEVICE_NOT_FOUND, and enumeration goes on from the
 * firmware table alone, as a kernel that cannot map MMCONFIG still boots.
 *
 * Return: 0, or -EBUSY if already mapped.
 */
int pci_ecam_init(void)
{
	struct sim_fw_pci_ecam fw;
	phys_addr_t start;
	u64 size;

	if (pci_ecam.base)
		return -EBUSY;
	if (arch_pci_fw_ecam(&fw))
		return 0;
	size = PCIE_ECAM_OFFSET(fw.bus_end - fw.bus_start + 1, 0, 0);
	if (fw.bus_end >= fw.bus_start &&
	    !check_add_overflow(fw.base, PCIE_ECAM_OFFSET(fw.bus_start, 0, 0),
				&start))
		pci_ecam.base = ioremap(start, size);
	if (!pci_ecam.base) {
		pr_warn("pci: cannot map ECAM at %#llx, buses %02x-%02x: no config space\n",
			(unsigned long long)fw.base, fw.bus_start, fw.bus_end);
		return 0;
	}
	pci_ecam.bus_start = fw.bus_start;
	pci_ecam.bus_end = fw.bus_end;
	return 0;
}

/**
 * pci_ecam_exit() - unmap configuration space
 *
 * Called by pci_exit(); config accesses fail afterwards.
 */
void pci_ecam_exit(void)
{
	iounmap(pci_ecam.base);
	pci_ecam.base = NULL;
}

/* Where @dev's register @where is; NULL if ECAM does not cover its bus. */
static void __iomem *pci_cfg_addr(const struct pci_dev *dev, int where)
{
	if (!pci_ecam.base || dev->busnr < pci_ecam.bus_start ||
	    dev->busnr > pci_ecam.bus_end)
		return NULL;
	return pci_ecam.base +
	       PCIE_ECAM_OFFSET(dev->busnr - pci_ecam.bus_start, dev->devfn,
				where);
}

/* Is [where, where + len) a naturally aligned register of the space? */
static bool pci_cfg_where_ok(int where, int len)
{
	return where >= 0 && !(where & (len - 1)) &&
	       where <= PCI_CFG_SPACE_EXP_SIZE - len;
}

static int pci_cfg_read(const struct pci_dev *dev, int where, int len,
			u32 *val)
{
	void __iomem *addr;

	*val = ~0U;
	if (!pci_cfg_where_ok(where, len))
		return PCIBIOS_BAD_REGISTER_NUMBER;
	addr = pci_cfg_addr(dev, where);
	if (!addr)
		return PCIBIOS_DEVICE_NOT_FOUND;
	if (len == 1)
		*val = readb(addr);
	else if (len == 2)
		*val = readw(addr);
	else
		*val = readl(addr);
	return PCIBIOS_SUCCESSFUL;
}

static int pci_cfg_write(const struct pci_dev *dev, int where, int len,
			 u32 val)
{
	void __iomem *addr;

	if (!pci_cfg_where_ok(where, len))
		return PCIBIOS_BAD_REGISTER_NUMBER;
	addr = pci_cfg_addr(dev, where);
	if (!addr)
		return PCIBIOS_DEVICE_NOT_FOUND;
	if (len == 1)
		writeb(val, addr);
	else if (len == 2)
		writew(val, addr);
	else
		writel(val, addr);
	return PCIBIOS_SUCCESSFUL;
}

/**
 * pci_read_config_byte() - read a byte of configuration space
 * @dev: the function
 * @where: offset, 0 to 4095
 * @val: the byte; all ones on error
 *
 * Return: PCIBIOS_SUCCESSFUL, PCIBIOS_BAD_REGISTER_NUMBER beyond the
 * space, or PCIBIOS_DEVICE_NOT_FOUND without config space.
 */
int pci_read_config_byte(const struct pci_dev *dev, int where, u8 *val)
{
	u32 v;
	int ret = pci_cfg_read(dev, where, 1, &v);

	*val = v;
	return ret;
}
EXPORT_SYMBOL_GPL(pci_read_config_byte);

/**
 * pci_read_config_word() - read 16 bits of configuration space
 * @dev: the function
 * @where: offset, even, 0 to 4094
 * @val: the value; all ones on error
 *
 * Return: as pci_read_config_byte(); PCIBIOS_BAD_REGISTER_NUMBER also
 * when misaligned.
 */
int pci_read_config_word(const struct pci_dev *dev, int where, u16 *val)
{
	u32 v;
	int ret = pci_cfg_read(dev, where, 2, &v);

	*val = v;
	return ret;
}
EXPORT_SYMBOL_GPL(pci_read_config_word);

/**
 * pci_read_config_dword() - read 32 bits of configuration space
 * @dev: the function
 * @where: offset, a multiple of 4, 0 to 4092
 * @val: the value; all ones on error
 *
 * Return: as pci_read_config_word().
 */
int pci_read_config_dword(const struct pci_dev *dev, int where, u32 *val)
{
	return pci_cfg_read(dev, where, 4, val);
}
EXPORT_SYMBOL_GPL(pci_read_config_dword);

/**
 * pci_write_config_byte() - write a byte of configuration space
 * @dev: the function
 * @where: offset, 0 to 4095
 * @val: the byte
 *
 * Return: PCIBIOS_SUCCESSFUL, PCIBIOS_BAD_REGISTER_NUMBER beyond the
 * space, or PCIBIOS_DEVICE_NOT_FOUND without config space.
 */
int pci_write_config_byte(const struct pci_dev *dev, int where, u8 val)
{
	return pci_cfg_write(dev, where, 1, val);
}
EXPORT_SYMBOL_GPL(pci_write_config_byte);

/**
 * pci_write_config_word() - write 16 bits of configuration space
 * @dev: the function
 * @where: offset, even, 0 to 4094
 * @val: the value
 *
 * Return: as pci_write_config_byte(); PCIBIOS_BAD_REGISTER_NUMBER also
 * when misaligned.
 */
int pci_write_config_word(const struct pci_dev *dev, int where, u16 val)
{
	return pci_cfg_write(dev, where, 2, val);
}
EXPORT_SYMBOL_GPL(pci_write_config_word);

/**
 * pci_write_config_dword() - write 32 bits of configuration space
 * @dev: the function
 * @where: offset, a multiple of 4, 0 to 4092
 * @val: the value
 *
 * Return: as pci_write_config_word().
 */
int pci_write_config_dword(const struct pci_dev *dev, int where, u32 val)
{
	return pci_cfg_write(dev, where, 4, val);
}
EXPORT_SYMBOL_GPL(pci_write_config_dword);

/**
 * pci_cfg_access_lock() - hold off user config accesses
 * @dev: the function
 *
 * Until pci_cfg_access_unlock(), pci_user_*_config_*() on @dev wait, and
 * so do other holders (the PCI core's read-modify-writes of Command, and
 * resets).  May sleep.
 */
void pci_cfg_access_lock(struct pci_dev *dev)
{
	mutex_lock(&dev->cfg_access_lock);
}
EXPORT_SYMBOL_GPL(pci_cfg_access_lock);

/**
 * pci_cfg_access_unlock() - let user config accesses go again
 * @dev: the function, locked by pci_cfg_access_lock()
 */
void pci_cfg_access_unlock(struct pci_dev *dev)
{
	mutex_unlock(&dev->cfg_access_lock);
}
EXPORT_SYMBOL_GPL(pci_cfg_access_unlock);

static int pci_user_read(struct pci_dev *dev, int where, int len, u32 *val)
{
	int ret;

	if (!pci_cfg_where_ok(where, len))
		return -EINVAL;
	pci_cfg_access_lock(dev);
	ret = pci_cfg_read(dev, where, len, val);
	pci_cfg_access_unlock(dev);
	return pcibios_err_to_errno(ret);
}

static int pci_user_write(struct pci_dev *dev, int where, int len, u32 val)
{
	int ret;

	if (!pci_cfg_where_ok(where, len))
		return -EINVAL;
	pci_cfg_access_lock(dev);
	ret = pci_cfg_write(dev, where, len, val);
	pci_cfg_access_unlock(dev);
	return pcibios_err_to_errno(ret);
}

/**
 * pci_user_read_config_byte() - read a byte of config space for user space
 * @dev: the function
 * @where: offset, 0 to 4095
 * @val: the byte (all ones if the read failed)
 *
 * Waits while pci_cfg_access_lock() is held (a reset in progress).
 *
 * Return: 0; -EINVAL beyond the space; -ENODEV without config space.
 */
int pci_user_read_config_byte(struct pci_dev *dev, int where, u8 *val)
{
	u32 v = ~0U;
	int ret = pci_user_read(dev, where, 1, &v);

	*val = v;
	return ret;
}
EXPORT_SYMBOL_GPL(pci_user_read_config_byte);

/**
 * pci_user_read_config_word() - read 16 bits of config space for user space
 * @dev: the function
 * @where: offset, even, 0 to 4094
 * @val: the value (all ones if the read failed)
 *
 * Return: as pci_user_read_config_byte(); -EINVAL also when misaligned.
 */
int pci_user_read_config_word(struct pci_dev *dev, int where, u16 *val)
{
	u32 v = ~0U;
	int ret = pci_user_read(dev, where, 2, &v);

	*val = v;
	return ret;
}
EXPORT_SYMBOL_GPL(pci_user_read_config_word);

/**
 * pci_user_read_config_dword() - read 32 bits of config space for user space
 * @dev: the function
 * @where: offset, a multiple of 4, 0 to 4092
 * @val: the value (all ones if the read failed)
 *
 * Return: as pci_user_read_config_word().
 */
int pci_user_read_config_dword(struct pci_dev *dev, int where, u32 *val)
{
	*val = ~0U;
	return pci_user_read(dev, where, 4, val);
}
EXPORT_SYMBOL_GPL(pci_user_read_config_dword);

/**
 * pci_user_write_config_byte() - write a byte of config space for user space
 * @dev: the function
 * @where: offset, 0 to 4095
 * @val: the byte
 *
 * Waits while pci_cfg_access_lock() is held (a reset in progress).
 *
 * Return: 0; -EINVAL beyond the space; -ENODEV without config space.
 */
int pci_user_write_config_byte(struct pci_dev *dev, int where, u8 val)
{
	return pci_user_write(dev, where, 1, val);
}
EXPORT_SYMBOL_GPL(pci_user_write_config_byte);

/**
 * pci_user_write_config_word() - write 16 bits of config space for user
 * space
 * @dev: the function
 * @where: offset, even, 0 to 4094
 * @val: the value
 *
 * Return: as pci_user_write_config_byte(); -EINVAL also when misaligned.
 */
int pci_user_write_config_word(struct pci_dev *dev, int where, u16 val)
{
	return pci_user_write(dev, where, 2, val);
}
EXPORT_SYMBOL_GPL(pci_user_write_config_word);

/**
 * pci_user_write_config_dword() - write 32 bits of config space for user
 * space
 * @dev: the function
 * @where: offset, a multiple of 4, 0 to 4092
 * @val: the value
 *
 * Return: as pci_user_write_config_word().
 */
int pci_user_write_config_dword(struct pci_dev *dev, int where, u32 val)
{
	return pci_user_write(dev, where, 4, val);
}
EXPORT_SYMBOL_GPL(pci_user_write_config_dword);
