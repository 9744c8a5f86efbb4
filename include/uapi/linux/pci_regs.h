/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI configuration space: the standard register offsets and bits, as the
 * PCI Local Bus and PCI Express specifications define them.  Both sides
 * read this header: the kernel side (drivers/pci/) to program functions,
 * the machine (sim/pci_config.c) to implement them, as a driver and a
 * device agree on a specification.  Only what we use is listed; names and
 * values are the specification's (and so the same as Linux's).
 *
 * What the simulated machine implements of it, and how it reaches the
 * kernel (ECAM), is in <hw/sim_pci.h>.
 */
#ifndef _UAPI_LINUX_PCI_REGS_H
#define _UAPI_LINUX_PCI_REGS_H

#define PCI_CFG_SPACE_SIZE	256	/* conventional config space */
#define PCI_CFG_SPACE_EXP_SIZE	4096	/* PCI Express: extended config space */
#define PCI_STD_HEADER_SIZEOF	64

/* ---- the header, common to both types -------------------------------- */

#define PCI_VENDOR_ID		0x00	/* 16 bits */
#define PCI_DEVICE_ID		0x02	/* 16 bits */
#define PCI_COMMAND		0x04	/* 16 bits */
#define  PCI_COMMAND_IO		0x0001	/* respond to I/O space accesses */
#define  PCI_COMMAND_MEMORY	0x0002	/* Memory Space Enable */
#define  PCI_COMMAND_MASTER	0x0004	/* Bus Master Enable */
#define  PCI_COMMAND_INTX_DISABLE 0x0400
#define PCI_STATUS		0x06	/* 16 bits */
#define  PCI_STATUS_CAP_LIST	0x0010	/* has a capability list */
#define PCI_CLASS_REVISION	0x08	/* class code (24 bits), revision (8) */
#define PCI_REVISION_ID		0x08
#define PCI_CLASS_PROG		0x09
#define PCI_CLASS_DEVICE	0x0a	/* class and subclass */
#define PCI_CACHE_LINE_SIZE	0x0c
#define PCI_LATENCY_TIMER	0x0d
#define PCI_HEADER_TYPE		0x0e	/* 8 bits */
#define  PCI_HEADER_TYPE_MASK	0x7f
#define  PCI_HEADER_TYPE_NORMAL	0	/* type 0: endpoints */
#define  PCI_HEADER_TYPE_BRIDGE	1	/* type 1: bridges and ports */
#define  PCI_HEADER_TYPE_MFD	0x80	/* multi-function device */

/* Class codes (PCI_CLASS_DEVICE). */
#define PCI_CLASS_BRIDGE_HOST	0x0600
#define PCI_CLASS_BRIDGE_PCI	0x0604
#define PCI_CLASS_OTHERS	0xff	/* base class: fits no other */

/* Base address registers: type 0 has six, type 1 two. */
#define PCI_BASE_ADDRESS_0	0x10	/* 32 bits */
#define PCI_BASE_ADDRESS_1	0x14
#define PCI_BASE_ADDRESS_2	0x18
#define PCI_BASE_ADDRESS_3	0x1c
#define PCI_BASE_ADDRESS_4	0x20
#define PCI_BASE_ADDRESS_5	0x24
#define  PCI_BASE_ADDRESS_SPACE		0x01	/* 0 = memory, 1 = I/O */
#define  PCI_BASE_ADDRESS_SPACE_IO	0x01
#define  PCI_BASE_ADDRESS_SPACE_MEMORY	0x00
#define  PCI_BASE_ADDRESS_MEM_TYPE_MASK	0x06
#define  PCI_BASE_ADDRESS_MEM_TYPE_32	0x00	/* 32-bit address */
#define  PCI_BASE_ADDRESS_MEM_TYPE_64	0x04	/* 64-bit: two registers */
#define  PCI_BASE_ADDRESS_MEM_PREFETCH	0x08
#define  PCI_BASE_ADDRESS_MEM_MASK	(~0x0fUL)

/* Type 0. */
#define PCI_SUBSYSTEM_VENDOR_ID	0x2c
#define PCI_SUBSYSTEM_ID	0x2e
#define PCI_ROM_ADDRESS		0x30
#define PCI_CAPABILITY_LIST	0x34	/* first capability's offset (8 bits) */
#define PCI_INTERRUPT_LINE	0x3c
#define PCI_INTERRUPT_PIN	0x3d

/* Type 1. */
#define PCI_PRIMARY_BUS		0x18
#define PCI_SECONDARY_BUS	0x19
#define PCI_SUBORDINATE_BUS	0x1a
#define PCI_ROM_ADDRESS1	0x38

/* ---- capabilities ---------------------------------------------------- */

#define PCI_CAP_LIST_ID		0	/* capability ID */
#define PCI_CAP_LIST_NEXT	1	/* next capability's offset, 0 at the end */
#define  PCI_CAP_ID_EXP		0x10	/* PCI Express */

/* The PCI Express capability. */
#define PCI_EXP_FLAGS		0x02	/* capabilities register */
#define  PCI_EXP_FLAGS_VERS	0x000f	/* capability version */
#define  PCI_EXP_FLAGS_TYPE	0x00f0	/* device/port type, PCI_EXP_TYPE_* */
#define   PCI_EXP_TYPE_ENDPOINT	0x0
#define   PCI_EXP_TYPE_ROOT_PORT 0x4
#define   PCI_EXP_TYPE_UPSTREAM	0x5	/* switch upstream port */
#define   PCI_EXP_TYPE_DOWNSTREAM 0x6	/* switch downstream port */
#define PCI_EXP_DEVCAP		0x04	/* Device Capabilities (32 bits) */
#define  PCI_EXP_DEVCAP_FLR	0x10000000 /* Function Level Reset */
#define PCI_EXP_DEVCTL		0x08	/* Device Control (16 bits) */
#define  PCI_EXP_DEVCTL_RELAX_EN 0x0010	/* relaxed ordering */
#define  PCI_EXP_DEVCTL_PAYLOAD	0x00e0	/* Max_Payload_Size */
#define  PCI_EXP_DEVCTL_PAYLOAD_256B 0x0020
#define  PCI_EXP_DEVCTL_NOSNOOP_EN 0x0800
#define  PCI_EXP_DEVCTL_READRQ	0x7000	/* Max_Read_Request_Size */
#define  PCI_EXP_DEVCTL_READRQ_512B 0x2000
#define  PCI_EXP_DEVCTL_BCR_FLR	0x8000	/* endpoints: Initiate FLR */
#define PCI_EXP_DEVSTA		0x0a	/* Device Status (16 bits) */
#define  PCI_EXP_DEVSTA_TRPND	0x0020	/* transactions pending */
#define PCI_CAP_EXP_ENDPOINT_SIZEOF_V2 0x3c

#endif /* _UAPI_LINUX_PCI_REGS_H */
