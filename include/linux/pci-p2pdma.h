/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI peer-to-peer DMA: memory in one device's BAR that other devices DMA
 * to and from (drivers/pci/p2pdma.c).
 *
 * A struct p2pdma_provider stands for a BAR as P2P memory: one per BAR,
 * owned by its struct pci_dev, made on first use by
 * pcim_p2pdma_provider() (upstream's name, Linux 6.19).  Range lists
 * carry it beside the ranges that point into it (physr_list_append_p2p(),
 * which refuses a range outside the BAR; physr_iter_provider()), so
 * whoever maps a list for a device knows which ranges are BAR memory and
 * whose.
 *
 * How a device reaches a provider's memory is pci_p2pdma_map_type():
 *
 *  - PCI_P2PDMA_MAP_BUS_ADDR: provider and client sit below one switch
 *    (or are functions of one device) and no port on the way between them
 *    redirects P2P requests upstream (ACS Request/Completion Redirect or
 *    Egress Control).  The client emits the BAR's bus address,
 *    p2pdma_bus_addr(); the request never reaches the root complex or the
 *    IOMMU.
 *  - PCI_P2PDMA_MAP_THRU_HOST_BRIDGE: otherwise, if both are below the
 *    same host bridge and that host bridge is on the kernel's allowlist of
 *    host bridges known to forward P2P.  The client emits what it would
 *    for RAM: the CPU physical address, or an IOVA mapped to it.
 *  - PCI_P2PDMA_MAP_NOT_SUPPORTED: anything else (different host bridges,
 *    a host bridge not on the allowlist, a client that is not PCI).
 *
 * The answer depends only on the topology and the allowlist, not on
 * whether either end was removed (a removed device keeps its place in the
 * topology for as long as its struct lives; whether a provider's memory
 * may still be mapped is p2pdma_provider_get()'s question, and a removed
 * client's DMA is blocked by its IOMMU context).  So it is cached per
 * (provider, client); changing the allowlist or removing a device (whose
 * struct's address may be reused once freed) invalidates every cached
 * answer.  p2pdma_provider_get_stats()
 * counts lookups and how many of them had to compute the answer.
 *
 * Lifetime (docs/dma.md, "P2P memory and device removal"):
 *
 *  - A provider is valid while its device's struct is: as long as the
 *    caller holds a reference on the device (pci_dev_get(), or a lookup's),
 *    or holds something that does.  Range lists do not: whoever builds a
 *    list with P2P ranges keeps the device referenced for as long as the
 *    list is mapped or its providers are read; destroying a list never
 *    reads them.
 *  - Each DMA mapping of a provider's memory (dma_map_physr()) holds
 *    p2pdma_provider_get() until unmapped: the provider, and its
 *    device's struct, outlive the device's removal while it is mapped.
 *  - pci_stop_and_remove_bus_device() retires the device's providers:
 *    mappings still live are reported (and counted,
 *    p2pdma_provider_stats.mappings_at_removal), new ones fail with
 *    -ENODEV (p2pdma_provider_retired() tells), and struct pages of the
 *    BAR go.  The last unmap (or put) frees the rest.
 *
 * Struct pages.  Providers have none, which is all range lists need.
 * pci_p2pdma_add_resource() gives a piece of a BAR a ZONE_DEVICE memmap
 * (MEMORY_DEVICE_PCI_P2PDMA), as upstream's does, for code that wants
 * pages: pfn_to_page() works on its PFNs, is_pci_p2pdma_page() is true
 * for them and pci_p2pdma_page_provider() finds the BAR's provider.
 */
#ifndef _LINUX_PCI_P2PDMA_H
#define _LINUX_PCI_P2PDMA_H

#include <linux/types.h>
#include <linux/p2pdma_provider.h>	/* struct p2pdma_provider */

struct device;
struct page;
struct pci_dev;
struct pci_host_bridge;

enum pci_p2pdma_map_type {
	PCI_P2PDMA_MAP_UNKNOWN = 0,
	PCI_P2PDMA_MAP_NOT_SUPPORTED,
	PCI_P2PDMA_MAP_BUS_ADDR,
	PCI_P2PDMA_MAP_THRU_HOST_BRIDGE,
};

/**
 * struct p2pdma_provider_stats - a provider's map-type lookups and mappings
 * @lookups: pci_p2pdma_map_type() calls for it
 * @calcs: of those, how many computed the answer from the topology (no
 *	cached answer for the client, or a stale one)
 * @mappings: DMA mappings of its memory live now (p2pdma_provider_get())
 * @mappings_at_removal: how many were live when its device was removed
 *	(what removal reported)
 * @retired: its device was removed
 */
struct p2pdma_provider_stats {
	u64 lookups;
	u64 calcs;
	unsigned int mappings;
	unsigned int mappings_at_removal;
	bool retired;
};

struct p2pdma_provider *pcim_p2pdma_provider(struct pci_dev *pdev, int bar);
int pci_p2pdma_add_resource(struct pci_dev *pdev, int bar, size_t size,
			    u64 offset);
void p2pdma_provider_get_stats(struct p2pdma_provider *provider,
			       struct p2pdma_provider_stats *stats);
int p2pdma_provider_get(struct p2pdma_provider *provider);
bool p2pdma_provider_retired(struct p2pdma_provider *provider);
void p2pdma_provider_put(struct p2pdma_provider *provider);

enum pci_p2pdma_map_type pci_p2pdma_map_type(struct p2pdma_provider *provider,
					     struct device *dev);
const char *pci_p2pdma_map_type_name(enum pci_p2pdma_map_type type);

bool pci_p2pdma_host_bridge_allowed(const struct pci_host_bridge *host);
int pci_p2pdma_allowlist_add(u16 vendor, u16 device);
int pci_p2pdma_allowlist_remove(u16 vendor, u16 device);

/**
 * p2pdma_bus_addr() - the bus address a peer uses for a provider's byte
 * @provider: the provider
 * @phys: CPU physical address inside it (p2pdma_provider_contains())
 *
 * For PCI_P2PDMA_MAP_BUS_ADDR mappings.
 *
 * Return: the PCI bus address of @phys.
 */
static inline dma_addr_t p2pdma_bus_addr(const struct p2pdma_provider *provider,
					 phys_addr_t phys)
{
	return phys - provider->bus_offset;
}

/* For drivers/pci only: device removal and release (drivers/pci/probe.c). */
void pci_p2pdma_remove(struct pci_dev *pdev);
void pci_p2pdma_release(struct pci_dev *pdev);

#endif /* _LINUX_PCI_P2PDMA_H */
