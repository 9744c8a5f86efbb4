// SPDX-License-Identifier: GPL-2.0
/*
 * Access Control Services: can a device's DMA reach a peer without going
 * through the root complex (and so the IOMMU)?
 *
 * ACS controls live in root ports and switch downstream ports, and in
 * functions of multi-function devices.  The PCIe spec says which devices
 * need them at all, and these helpers follow it:
 *
 *  - root ports and switch downstream ports must have the controls asked
 *    for turned on;
 *  - endpoints and switch upstream ports need them only if they are part
 *    of a multi-function device (a single function has no peer it could
 *    reach internally); here only endpoints can be multi-function;
 *  - a control the device's capability does not list is taken as
 *    hard-wired on (the spec requires controls to be implemented only
 *    where the behaviour is configurable), except Egress Control, which
 *    must really be on when asked for.
 */
#include <linux/pci.h>

/**
 * pci_acs_enabled() - are the ACS controls @acs_flags in effect at @pdev?
 * @pdev: the function
 * @acs_flags: PCI_ACS_* controls that must be on
 *
 * Return: true if @pdev has them on, or does not need them (see the top of
 * this file); false if it needs them and has no ACS capability.
 */
bool pci_acs_enabled(const struct pci_dev *pdev, u16 acs_flags)
{
	switch (pci_pcie_type(pdev)) {
	case PCI_EXP_TYPE_ROOT_PORT:
	case PCI_EXP_TYPE_DOWNSTREAM:
		break;
	default:
		if (!pdev->multifunction)
			return true;
		break;
	}
	if (!pdev->acs_cap)
		return false;
	acs_flags &= pdev->acs_cap | PCI_ACS_EC;
	return (pdev->acs_ctrl & acs_flags) == acs_flags;
}

/**
 * pci_acs_path_enabled() - are ACS controls on all the way up a path?
 * @start: the function to start from
 * @end: the last port to check, an upstream bridge of @start; NULL to go
 *	up to the root port
 * @acs_flags: PCI_ACS_* controls that must be on
 *
 * Checks @start, then each port above it, up to and including @end.  With
 * @end NULL and PCI_ACS_ISOLATION_FLAGS, true means every DMA request of
 * @start reaches the root complex: the IOMMU sees it, no peer can take
 * it on the way.  That is what IOMMU groups are made of.
 *
 * Return: true if every device on the path has the controls on (or does
 * not need them); false otherwise, or if @end is not above @start.
 */
bool pci_acs_path_enabled(struct pci_dev *start, struct pci_dev *end,
			  u16 acs_flags)
{
	struct pci_dev *pdev;

	for (pdev = start; pdev; pdev = pci_upstream_bridge(pdev)) {
		if (!pci_acs_enabled(pdev, acs_flags))
			return false;
		if (pdev == end)
			return true;
	}
	return !end;
}
