/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The platform's PCI firmware table, for enumeration (drivers/pci/probe.c):
 * what ACPI's MCFG and _CRS, or a device tree's PCI nodes, give a real
 * kernel.  The format is the datasheet's, <hw/sim_firmware.h>; the
 * decode error counters' is <hw/sim_pci.h>.
 */
#ifndef _ASM_SIM_PCI_H
#define _ASM_SIM_PCI_H

#include <linux/types.h>
#include <hw/sim_firmware.h>
#include <hw/sim_pci.h>

unsigned int arch_pci_fw_count(void);
int arch_pci_fw_node(unsigned int i, struct sim_fw_pci_node *node);
int arch_pci_fw_ecam(struct sim_fw_pci_ecam *ecam);

/*
 * The fabric monitor's decode error counters: requests that reached a
 * BAR while it did not decode (an Unsupported Request each).  What AER
 * and a switch's error counters would tell a real kernel.
 */
int arch_pci_decode_errors(u16 rid, struct sim_pci_decode_errors *errs);
void arch_pci_decode_errors_sum(struct sim_pci_decode_errors *errs);

#endif /* _ASM_SIM_PCI_H */
