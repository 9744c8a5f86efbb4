/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The simulated machine's PCI functions: how their configuration space is
 * reached and what it implements.  The register layout itself is the
 * specification's, <uapi/linux/pci_regs.h>; this sheet says what of it
 * the machine's functions have, and the machine-specific facts.
 *
 * ECAM.  Configuration space is memory mapped, PCI Express's enhanced
 * configuration access mechanism: the firmware table reports one region
 * (struct sim_fw_pci_ecam in <hw/sim_firmware.h>, like an ACPI MCFG
 * entry) whose @base is the address of bus 0, and the buses it covers.
 * Function bus:devfn's 4 KiB of config space are at
 * base + SIM_PCI_ECAM_OFFSET(bus, devfn, 0).  Loads and stores there are
 * register accesses of 1, 2 or 4 bytes, naturally aligned; any other
 * access reads all ones and writes nothing.  A function that does not
 * exist (an empty slot, an unplugged device), or that is in reset, reads
 * all ones and ignores writes.
 *
 * Every function (host bridges at devfn 0 of their root bus, ports,
 * endpoints) has:
 *
 *  - Vendor and Device ID, the board's.  Revision 0.
 *  - Command: Memory Space Enable and Bus Master Enable are read-write,
 *    every other bit reads zero.  An endpoint's BARs decode only while
 *    Memory Space Enable is set, and its DMA engine issues requests only
 *    while Bus Master Enable is set.  (A port stores both bits and always
 *    forwards.)  Firmware leaves both on in every function it configured.
 *  - Status: Capabilities List (except host bridges); nothing else.
 *  - Class code: host bridge 06/00, ports 06/04, endpoints ff/00.
 *  - Header Type: 0 for endpoints and host bridges, 1 for ports; the
 *    multi-function bit on endpoints that share their link.
 *  - Type 0: six BAR registers.  An implemented BAR has the standard
 *    sizing behaviour: its address bits below its size read zero, so
 *    writing all ones and reading back gives -size (with the type bits);
 *    a 64-bit BAR takes two registers, the second holding the high half.
 *    Unimplemented BARs read zero and ignore writes.  Subsystem IDs are
 *    the Vendor and Device IDs.  No expansion ROM, no interrupt pin.
 *  - Type 1: bus numbers (read only: firmware's), no BARs, no windows.
 *  - Ports and endpoints: a capability list holding one PCI Express
 *    capability (version 2) at SIM_PCI_EXP_CAP_OFFSET (software should
 *    walk the list): the port type, Device Capabilities with Function
 *    Level Reset on endpoints the board gives it, Device Control with
 *    the standard read-write fields (reset value SIM_PCI_DEVCTL_RESET)
 *    and Initiate FLR, which reads zero.  No extended capabilities: the
 *    extended space reads zero.
 *
 * BAR decode.  The machine's address decoders are set up by firmware: a
 * BAR answers at the address firmware assigned it (the firmware table's)
 * and only while its register holds that address.  Written with another
 * value, the register keeps it (sizing works) but the BAR decodes
 * nowhere until written back: BARs are not moved at run time.  A BAR that
 * does not decode reads all ones, drops writes, and DMA that reaches it
 * is an unsupported request.
 *
 * Function Level Reset.  Writing Initiate FLR to an endpoint with FLR
 * capability resets it at once: Command, BAR registers and Device
 * Control return to their reset values (0, 0, SIM_PCI_DEVCTL_RESET), the
 * device's registers to their reset values and its BAR memory is zeroed
 * (what the device defines otherwise, its datasheet says).  For
 * SIM_PCI_FLR_US microseconds after that write the function is not ready:
 * config reads return all ones, writes are ignored, BARs do not decode
 * and its DMA engine issues nothing.  Requests in flight when the write
 * arrives complete first.  Without FLR capability the bit is ignored.
 *
 * Decode errors.  The fabric monitor counts, per function, the requests
 * that reached one of its BARs while that BAR could not decode (Memory
 * Space Enable off, the function in reset, or its BAR register not
 * holding firmware's address, as after a reset until it is restored):
 * DMA transactions delivered to the BAR by either route (across a switch
 * or through the host bridge), and CPU loads and stores to it.  Each is
 * an Unsupported Request on real hardware, which a driver taking access
 * away before it turns decode off or resets must never cause.  The
 * counters start at zero when the machine is powered on and only grow;
 * the platform reads them by requester ID (struct
 * sim_pci_decode_errors).
 */
#ifndef _HW_SIM_PCI_H
#define _HW_SIM_PCI_H

#include <linux/types.h>

/* Config space of bus:devfn, register @reg, relative to the ECAM base. */
#define SIM_PCI_ECAM_BUS_SHIFT		20
#define SIM_PCI_ECAM_DEVFN_SHIFT	12
#define SIM_PCI_ECAM_OFFSET(bus, devfn, reg)			\
	(((u64)(bus) << SIM_PCI_ECAM_BUS_SHIFT) |		\
	 ((u64)(devfn) << SIM_PCI_ECAM_DEVFN_SHIFT) | (reg))

/* Where the machine puts the PCI Express capability. */
#define SIM_PCI_EXP_CAP_OFFSET		0x40

/* Device Control after reset: 512-byte reads, relaxed ordering, no snoop. */
#define SIM_PCI_DEVCTL_RESET		0x2810

/* How long a Function Level Reset keeps a function not ready. */
#define SIM_PCI_FLR_US			1000

/**
 * struct sim_pci_decode_errors - the fabric monitor's decode error counters
 * @dma: DMA transactions that reached a BAR of the function (or, in a
 *	machine-wide sum, of any function) while it did not decode
 * @cpu: CPU loads and stores that did
 */
struct sim_pci_decode_errors {
	u64 dma;
	u64 cpu;
};

#endif /* _HW_SIM_PCI_H */
