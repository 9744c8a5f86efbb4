// SPDX-License-Identifier: GPL-2.0
/*
 * The PCI firmware tables, read for the PCI core's enumeration
 * (<asm/pci.h>): the machine's firmware reports the fabric as it set it
 * up, node by node, parents first, and where configuration space is
 * (ECAM, like ACPI's MCFG).
 */
#include <asm/pci.h>

#include "sim/pci.h"

/**
 * arch_pci_fw_count() - number of nodes in the PCI firmware table
 *
 * Return: the count; 0 without a machine or a fabric.
 */
unsigned int arch_pci_fw_count(void)
{
	return sim_fw_pci_count();
}

/**
 * arch_pci_fw_node() - one node of the PCI firmware table
 * @i: index, 0 to arch_pci_fw_count() - 1; parents come before children
 * @node: filled in
 *
 * Return: 0, or -ENOENT if @i is past the end.
 */
int arch_pci_fw_node(unsigned int i, struct sim_fw_pci_node *node)
{
	return sim_fw_pci_node(i, node);
}

/**
 * arch_pci_fw_ecam() - where configuration space is
 * @ecam: filled in: the ECAM base (bus 0) and the buses it covers
 *
 * Return: 0, or -ENOENT if the firmware reports none (no PCI).
 */
int arch_pci_fw_ecam(struct sim_fw_pci_ecam *ecam)
{
	return sim_fw_pci_ecam(ecam);
}

/**
 * arch_pci_decode_errors() - a function's decode error counters
 * @rid: its requester ID
 * @errs: filled in: DMA and CPU requests that reached one of its BARs
 *	while it did not decode (<hw/sim_pci.h>)
 *
 * Return: 0, or -ENOENT if no function has that requester ID.
 */
int arch_pci_decode_errors(u16 rid, struct sim_pci_decode_errors *errs)
{
	return sim_pci_decode_errors_get(rid, errs);
}

/**
 * arch_pci_decode_errors_sum() - decode error counters of every function
 * @errs: filled in with the machine's sums
 */
void arch_pci_decode_errors_sum(struct sim_pci_decode_errors *errs)
{
	sim_pci_decode_errors_sum(errs);
}
