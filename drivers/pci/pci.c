// SPDX-License-Identifier: GPL-2.0
/*
 * The PCI core's use of configuration space: capabilities, enabling
 * memory decode and bus mastering, saving and restoring a function's
 * state, and Function Level Reset.
 *
 * Everything goes through the accessors of drivers/pci/access.c.  The
 * read-modify-writes of Command (enable, master) and the whole of
 * pci_reset_function() hold pci_cfg_access_lock(), so they are ordered
 * with each other and with user space's config accesses; a driver's own
 * config writes during its device's reset are its bug, as upstream.
 *
 * Departures from upstream, each for a reason:
 *  - pci_enable_device*() enable memory decode only on the function: the
 *    machine's ports always forward (their Command bits are storage), so
 *    enabling the bridges above is left out.
 *  - pcie_flr() does not sleep 100 ms before polling (the PCIe spec's
 *    bound for any device): the machine's datasheet promises config reads
 *    of all ones until a function is ready, so polling from the start, as
 *    pci_dev_wait() does, is safe, and resets take milliseconds.
 *  - pci_save_state() saves the header and the PCI Express capability's
 *    Device Control: the only other state the machine's functions have.
 *  - The PCI Express capability's offset is looked up when needed, not
 *    cached at enumeration (pci_dev has no pcie_cap).
 */
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/pci.h>
#include <linux/printk.h>

/* Most capabilities a list may hold (upstream's PCI_FIND_CAP_TTL). */
#define PCI_FIND_CAP_TTL	48

static u8 pci_find_next_cap_ttl(struct pci_dev *dev, u8 pos, int cap,
				int *ttl)
{
	u8 id, next;

	if (pci_read_config_byte(dev, pos, &pos))
		return 0;
	while ((*ttl)--) {
		if (pos < PCI_STD_HEADER_SIZEOF)
			break;
		pos &= ~3;
		if (pci_read_config_byte(dev, pos + PCI_CAP_LIST_ID, &id) ||
		    pci_read_config_byte(dev, pos + PCI_CAP_LIST_NEXT, &next))
			return 0;
		if (id == 0xff)		/* a function that is not there */
			break;
		if (id == cap)
			return pos;
		pos = next;
	}
	return 0;
}

/**
 * pci_find_capability() - find a capability in a function's list
 * @dev: the function
 * @cap: capability ID (PCI_CAP_ID_*)
 *
 * Walks the list from PCI_CAPABILITY_LIST, at most PCI_FIND_CAP_TTL
 * entries, so a looping list (or a function reading all ones) ends.
 *
 * Return: the capability's offset in config space, or 0 if @dev has none.
 */
u8 pci_find_capability(struct pci_dev *dev, int cap)
{
	int ttl = PCI_FIND_CAP_TTL;
	u16 status;

	if (pci_read_config_word(dev, PCI_STATUS, &status) ||
	    PCI_POSSIBLE_ERROR(status) || !(status & PCI_STATUS_CAP_LIST))
		return 0;
	return pci_find_next_cap_ttl(dev, PCI_CAPABILITY_LIST, cap, &ttl);
}
EXPORT_SYMBOL_GPL(pci_find_capability);

/* Where @dev's PCI Express capability is; 0 if it has none. */
static u8 pci_pcie_cap(struct pci_dev *dev)
{
	return pci_find_capability(dev, PCI_CAP_ID_EXP);
}

/*
 * Where register @pos (@size bytes) of @dev's PCI Express capability is
 * in its config space: > 0; 0 if @dev has no such capability; or
 * -PCIBIOS_BAD_REGISTER_NUMBER for a misaligned or out-of-range @pos.
 */
static int pcie_cap_reg(struct pci_dev *dev, int pos, int size)
{
	u8 cap;

	if (pos < 0 || pos & (size - 1) ||
	    pos >= PCI_CAP_EXP_ENDPOINT_SIZEOF_V2)
		return -PCIBIOS_BAD_REGISTER_NUMBER;
	cap = pci_pcie_cap(dev);
	return cap ? cap + pos : 0;
}

/**
 * pcie_capability_read_word() - read a register of the PCI Express capability
 * @dev: the function
 * @pos: the register's offset in the capability (PCI_EXP_*), even
 * @val: the value; 0 if @dev has no such capability or the read failed
 *
 * Return: 0; PCIBIOS_BAD_REGISTER_NUMBER if @pos is misaligned or out of
 * range; a PCIBIOS_* code of the read.
 */
int pcie_capability_read_word(struct pci_dev *dev, int pos, u16 *val)
{
	int where = pcie_cap_reg(dev, pos, 2), ret;

	*val = 0;
	if (where <= 0)
		return -where;
	ret = pci_read_config_word(dev, where, val);
	/* As upstream: a failed read leaves 0, not the all-ones error. */
	if (ret)
		*val = 0;
	return ret;
}
EXPORT_SYMBOL_GPL(pcie_capability_read_word);

/**
 * pcie_capability_read_dword() - read a 32-bit PCI Express capability
 * register
 * @dev: the function
 * @pos: the register's offset in the capability, a multiple of 4
 * @val: the value; 0 if @dev has no such capability or the read failed
 *
 * Return: as pcie_capability_read_word().
 */
int pcie_capability_read_dword(struct pci_dev *dev, int pos, u32 *val)
{
	int where = pcie_cap_reg(dev, pos, 4), ret;

	*val = 0;
	if (where <= 0)
		return -where;
	ret = pci_read_config_dword(dev, where, val);
	/* As upstream: a failed read leaves 0, not the all-ones error. */
	if (ret)
		*val = 0;
	return ret;
}
EXPORT_SYMBOL_GPL(pcie_capability_read_dword);

/**
 * pcie_capability_write_word() - write a register of the PCI Express
 * capability
 * @dev: the function
 * @pos: the register's offset in the capability, even
 * @val: the value
 *
 * Return: 0 (also when @dev has no such capability, as upstream);
 * PCIBIOS_BAD_REGISTER_NUMBER if @pos is misaligned or out of range.
 */
int pcie_capability_write_word(struct pci_dev *dev, int pos, u16 val)
{
	int where = pcie_cap_reg(dev, pos, 2);

	if (where <= 0)
		return -where;
	return pci_write_config_word(dev, where, val);
}
EXPORT_SYMBOL_GPL(pcie_capability_write_word);

/**
 * pcie_capability_clear_and_set_word() - change bits of a PCI Express
 * capability register
 * @dev: the function
 * @pos: the register's offset in the capability, even
 * @clear: bits to clear
 * @set: bits to set (after clearing)
 *
 * A read-modify-write; the caller orders it against other writers.
 *
 * Return: as pcie_capability_write_word(), or the read's error.
 */
int pcie_capability_clear_and_set_word(struct pci_dev *dev, int pos,
				       u16 clear, u16 set)
{
	u16 val;
	int ret;

	ret = pcie_capability_read_word(dev, pos, &val);
	if (ret)
		return ret;
	return pcie_capability_write_word(dev, pos, (val & ~clear) | set);
}
EXPORT_SYMBOL_GPL(pcie_capability_clear_and_set_word);

/*
 * Set and clear bits of Command, under pci_cfg_access_lock().  Return: 0,
 * or -ENODEV if the function reads all ones (not there, or in reset).
 */
static int pci_change_command(struct pci_dev *dev, u16 clear, u16 set)
{
	u16 cmd;
	int ret;

	pci_cfg_access_lock(dev);
	ret = pcibios_err_to_errno(pci_read_config_word(dev, PCI_COMMAND,
							&cmd));
	if (!ret && PCI_POSSIBLE_ERROR(cmd))
		ret = -ENODEV;
	if (!ret && ((cmd & ~clear) | set) != cmd)
		ret = pcibios_err_to_errno(pci_write_config_word(dev,
					PCI_COMMAND, (cmd & ~clear) | set));
	pci_cfg_access_unlock(dev);
	return ret;
}

/**
 * pci_enable_device_mem() - let a function's memory BARs decode
 * @dev: the function
 *
 * Sets Memory Space Enable on the first call; calls are counted, and
 * pci_disable_device() undoes one.
 *
 * Return: 0, or -ENODEV if the function does not answer.
 */
int pci_enable_device_mem(struct pci_dev *dev)
{
	int ret;

	if (atomic_inc_return(&dev->enable_cnt) > 1)
		return 0;
	ret = pci_change_command(dev, 0, PCI_COMMAND_MEMORY);
	if (ret)
		atomic_dec(&dev->enable_cnt);
	return ret;
}
EXPORT_SYMBOL_GPL(pci_enable_device_mem);

/**
 * pci_enable_device() - enable a function's BARs
 * @dev: the function
 *
 * As pci_enable_device_mem(): the machine's functions have no I/O BARs.
 *
 * Return: as pci_enable_device_mem().
 */
int pci_enable_device(struct pci_dev *dev)
{
	return pci_enable_device_mem(dev);
}
EXPORT_SYMBOL_GPL(pci_enable_device);

/**
 * pci_disable_device() - undo one pci_enable_device*()
 * @dev: the function
 *
 * When the last enable is undone, bus mastering is turned off, as
 * upstream (memory decode stays on: other users of the BARs, such as the
 * firmware's console, may rely on it).  Disabling a function that is not
 * enabled is a bug (WARN).
 */
void pci_disable_device(struct pci_dev *dev)
{
	if (WARN(atomic_read(&dev->enable_cnt) <= 0,
		 "%s: disabling a device that is not enabled\n",
		 dev_name(&dev->dev)))
		return;
	if (atomic_dec_return(&dev->enable_cnt))
		return;
	pci_change_command(dev, PCI_COMMAND_MASTER, 0);
	dev->is_busmaster = false;
}
EXPORT_SYMBOL_GPL(pci_disable_device);

/**
 * pci_set_master() - let a function's DMA engine issue requests
 * @dev: the function
 *
 * Sets Bus Master Enable.
 */
void pci_set_master(struct pci_dev *dev)
{
	if (!pci_change_command(dev, 0, PCI_COMMAND_MASTER))
		dev->is_busmaster = true;
}
EXPORT_SYMBOL_GPL(pci_set_master);

/**
 * pci_clear_master() - stop a function's DMA engine
 * @dev: the function
 *
 * Clears Bus Master Enable: from its return, the function issues no new
 * DMA request.
 */
void pci_clear_master(struct pci_dev *dev)
{
	pci_change_command(dev, PCI_COMMAND_MASTER, 0);
	dev->is_busmaster = false;
}
EXPORT_SYMBOL_GPL(pci_clear_master);

/**
 * pci_save_state() - remember a function's configuration
 * @dev: the function
 *
 * Saves the header's first 16 dwords (Command, BARs, ...) and the PCI
 * Express capability's Device Control, for pci_restore_state().  The
 * caller orders it against writers (pci_reset_function() holds
 * pci_cfg_access_lock()).
 *
 * Return: 0; -ENODEV if the function reads all ones; the errno of a
 * failed config read (-ENODEV without config space).  Nothing is saved
 * then: a later pci_restore_state() does nothing.
 */
int pci_save_state(struct pci_dev *dev)
{
	unsigned int i;
	int ret;

	dev->state_saved = false;
	for (i = 0; i < ARRAY_SIZE(dev->saved_config_space); i++) {
		ret = pci_read_config_dword(dev, i * 4,
					    &dev->saved_config_space[i]);
		if (ret)
			return pcibios_err_to_errno(ret);
	}
	if (PCI_POSSIBLE_ERROR(dev->saved_config_space[0]))
		return -ENODEV;
	ret = pcie_capability_read_word(dev, PCI_EXP_DEVCTL,
					&dev->saved_pcie_devctl);
	if (ret)
		return pcibios_err_to_errno(ret);
	dev->state_saved = true;
	return 0;
}
EXPORT_SYMBOL_GPL(pci_save_state);

/* Write dwords [@first, @last] of the saved header that differ, downwards. */
static void pci_restore_config_range(struct pci_dev *dev, int first, int last)
{
	int i;
	u32 now;

	for (i = last; i >= first; i--) {
		pci_read_config_dword(dev, i * 4, &now);
		if (now != dev->saved_config_space[i])
			pci_write_config_dword(dev, i * 4,
					       dev->saved_config_space[i]);
	}
}

/**
 * pci_restore_state() - put back what pci_save_state() saved
 * @dev: the function
 *
 * Device Control first, then the header from the top down, as upstream:
 * BARs before Command, so memory decode comes back on with the BARs at
 * their addresses.  Only registers that differ are written.  The saved
 * state is used up.  Nothing happens without one.
 */
void pci_restore_state(struct pci_dev *dev)
{
	if (!dev->state_saved)
		return;
	pcie_capability_write_word(dev, PCI_EXP_DEVCTL,
				   dev->saved_pcie_devctl & ~PCI_EXP_DEVCTL_BCR_FLR);
	pci_restore_config_range(dev, 10, 15);
	pci_restore_config_range(dev, 4, 9);		/* BARs */
	pci_restore_config_range(dev, 0, 3);		/* Command last */
	dev->state_saved = false;
}
EXPORT_SYMBOL_GPL(pci_restore_state);

/*
 * Poll until @dev answers config reads again (Command not all ones), as
 * upstream's pci_dev_wait(): 1, 2, 4, ... ms between reads.
 */
static int pci_dev_wait(struct pci_dev *dev, const char *reset_type,
			int timeout_ms)
{
	int delay = 1;
	u32 id;

	for (;;) {
		pci_read_config_dword(dev, PCI_COMMAND, &id);
		if (!PCI_POSSIBLE_ERROR(id))
			return 0;
		if (delay > timeout_ms) {
			pr_warn("%s: not ready %dms after %s; giving up\n",
				dev_name(&dev->dev), delay - 1, reset_type);
			return -ENOTTY;
		}
		msleep(delay);
		delay *= 2;
	}
}

/**
 * pcie_reset_flr() - reset a function with Function Level Reset
 * @dev: the function
 * @probe: PCI_RESET_PROBE to only ask whether it can
 *
 * Return: 0; -ENOTTY if @dev has no FLR capability (or does not answer),
 * or did not come back in time.
 */
int pcie_reset_flr(struct pci_dev *dev, bool probe)
{
	u32 devcap;

	if (pcie_capability_read_dword(dev, PCI_EXP_DEVCAP, &devcap) ||
	    PCI_POSSIBLE_ERROR(devcap) || !(devcap & PCI_EXP_DEVCAP_FLR))
		return -ENOTTY;
	if (probe)
		return 0;
	return pcie_flr(dev);
}
EXPORT_SYMBOL_GPL(pcie_reset_flr);

/**
 * pcie_flr() - initiate a Function Level Reset and wait for its end
 * @dev: a function with FLR capability (pcie_reset_flr() checks)
 *
 * Sets Initiate FLR, then waits until the function answers config reads
 * again, at most PCIE_RESET_READY_POLL_MS.  Its registers are then at
 * their reset values: the caller saves and restores what it needs.
 *
 * Return: 0, or -ENOTTY if the function did not come back.
 */
int pcie_flr(struct pci_dev *dev)
{
	int ret;

	ret = pcie_capability_set_word(dev, PCI_EXP_DEVCTL,
				       PCI_EXP_DEVCTL_BCR_FLR);
	if (ret)
		return pcibios_err_to_errno(ret);
	return pci_dev_wait(dev, "FLR", PCIE_RESET_READY_POLL_MS);
}
EXPORT_SYMBOL_GPL(pcie_flr);

/**
 * pci_reset_function() - reset a function and keep its configuration
 * @dev: the function
 *
 * Under pci_cfg_access_lock(): save the configuration, disable memory
 * decode and bus mastering, Function Level Reset, wait for the function
 * to come back, restore the configuration (BARs at their addresses,
 * decode and mastering as they were).  The device's own registers and
 * memory are at their reset values afterwards; its driver must set them
 * up again.
 *
 * Return: 0; -ENOTTY if @dev cannot be reset (no FLR capability), or did
 * not come back (its configuration is written back anyway).
 */
int pci_reset_function(struct pci_dev *dev)
{
	int ret;

	ret = pcie_reset_flr(dev, PCI_RESET_PROBE);
	if (ret)
		return ret;

	pci_cfg_access_lock(dev);
	ret = pci_save_state(dev);
	if (ret)
		goto out_unlock;
	pci_write_config_word(dev, PCI_COMMAND, 0);
	ret = pcie_flr(dev);
	pci_restore_state(dev);
out_unlock:
	pci_cfg_access_unlock(dev);
	return ret;
}
EXPORT_SYMBOL_GPL(pci_reset_function);
