// SPDX-License-Identifier: GPL-2.0
/*
 * The default machine's PCI fabric: a small server (docs/machine.md).
 *
 *   hb0 (IOMMU 0, forwards P2P)
 *    ├─ rpA ── sw0-up ─┬─ sw0-dp0 ── nic    BAR0 128 KiB
 *    │                 └─ sw0-dp1 ── gpu0   BAR0 16 MiB, BAR2 16 GiB (64-bit, pref)
 *    ├─ rpB ── gpu1    BAR0 16 MiB, BAR2 16 GiB (64-bit, prefetchable)
 *    └─ rpC ── sata    BAR5 8 KiB, 32-bit DMA only
 *
 * ACS as a typical server ships it: root ports with Source Validation,
 * Request and Completion Redirect and Upstream Forwarding on, so devices
 * on different root ports only meet through the root complex; the
 * switch's downstream ports implement ACS but leave redirect off, so the
 * NIC and GPU0 reach each other's BARs by bus address across the switch.
 * The 64-bit window is offset: a 64-bit BAR's bus address is its CPU
 * address minus 32 GiB.
 */
#include <linux/kernel.h>
#include <linux/sizes.h>

#include "sim/pci.h"

#define PHYSR_VENDOR	0x5ca1

#define RP_ACS		(SIM_PCI_ACS_SV | SIM_PCI_ACS_RR | SIM_PCI_ACS_CR | \
			 SIM_PCI_ACS_UF)
#define DSP_ACS_CAP	(RP_ACS | SIM_PCI_ACS_EC)

static const struct sim_pci_node_desc sim_default_nodes[] = {
	/* 0 */ { .name = "hb0", .type = SIM_PCI_HOST_BRIDGE, .parent = -1,
		  .vendor = PHYSR_VENDOR, .device = 0x0100, .bus = 0,
		  .iommu_unit = 0, .bus_offset = 32ULL * SZ_1G,
		  .p2p_forward = true },
	/* 1 */ { .name = "rpA", .type = SIM_PCI_ROOT_PORT, .parent = 0,
		  .vendor = PHYSR_VENDOR, .device = 0x0101,
		  .acs_cap = RP_ACS, .acs_ctrl = RP_ACS },
	/* 2 */ { .name = "sw0-up", .type = SIM_PCI_SWITCH_UP, .parent = 1,
		  .vendor = PHYSR_VENDOR, .device = 0x0102 },
	/* 3 */ { .name = "sw0-dp0", .type = SIM_PCI_SWITCH_DOWN, .parent = 2,
		  .vendor = PHYSR_VENDOR, .device = 0x0103,
		  .acs_cap = DSP_ACS_CAP, .acs_ctrl = SIM_PCI_ACS_SV },
	/* 4 */ { .name = "nic", .type = SIM_PCI_ENDPOINT, .parent = 3,
		  .vendor = PHYSR_VENDOR, .device = 0x0200,
		  .bar[0] = { .size = SZ_128K } },
	/* 5 */ { .name = "sw0-dp1", .type = SIM_PCI_SWITCH_DOWN, .parent = 2,
		  .vendor = PHYSR_VENDOR, .device = 0x0103,
		  .acs_cap = DSP_ACS_CAP, .acs_ctrl = SIM_PCI_ACS_SV },
	/* 6 */ { .name = "gpu0", .type = SIM_PCI_ENDPOINT, .parent = 5,
		  .vendor = PHYSR_VENDOR, .device = 0x0300,
		  .bar[0] = { .size = SZ_16M },
		  .bar[2] = { .size = SZ_16G,
			      .flags = SIM_PCI_BAR_64 | SIM_PCI_BAR_PREFETCH } },
	/* 7 */ { .name = "rpB", .type = SIM_PCI_ROOT_PORT, .parent = 0,
		  .vendor = PHYSR_VENDOR, .device = 0x0101,
		  .acs_cap = RP_ACS, .acs_ctrl = RP_ACS },
	/* 8 */ { .name = "gpu1", .type = SIM_PCI_ENDPOINT, .parent = 7,
		  .vendor = PHYSR_VENDOR, .device = 0x0300,
		  .bar[0] = { .size = SZ_16M },
		  .bar[2] = { .size = SZ_16G,
			      .flags = SIM_PCI_BAR_64 | SIM_PCI_BAR_PREFETCH } },
	/* 9 */ { .name = "rpC", .type = SIM_PCI_ROOT_PORT, .parent = 0,
		  .vendor = PHYSR_VENDOR, .device = 0x0101,
		  .acs_cap = RP_ACS, .acs_ctrl = RP_ACS },
	/* 10 */ { .name = "sata", .type = SIM_PCI_ENDPOINT, .parent = 9,
		  .vendor = PHYSR_VENDOR, .device = 0x0106, .dma_bits = 32,
		  .bar[5] = { .size = SZ_8K } },
};

const struct sim_pci_board sim_default_board = {
	.nr_iommu = 1,
	.nr_nodes = ARRAY_SIZE(sim_default_nodes),
	.nodes = sim_default_nodes,
};
