/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The platform's PCI firmware table, for enumeration (drivers/pci/probe.c):
 * what ACPI's MCFG and _CRS, or a device tree's PCI nodes, give a real
 * kernel.  The format is the datasheet's, <hw/sim_firmware.h>.
 */
#ifndef _ASM_SIM_PCI_H
#define _ASM_SIM_PCI_H

#include <linux/types.h>
#include <hw/sim_firmware.h>

unsigned int arch_pci_fw_count(void);
int arch_pci_fw_node(unsigned int i, struct sim_fw_pci_node *node);
int arch_pci_fw_ecam(struct sim_fw_pci_ecam *ecam);

#endif /* _ASM_SIM_PCI_H */
