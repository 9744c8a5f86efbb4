/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI peer-to-peer DMA: memory in one device's BAR that other devices DMA
 * to and from (drivers/pci/p2pdma.c).
 *
 * A struct p2pdma_provider stands for a piece of a BAR handed out as P2P
 * memory.  Range lists carry it beside the ranges that point into it
 * (physr_list_append_p2p(), physr_iter_provider()), so whoever maps a list
 * for a device knows which ranges are BAR memory and whose.
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
 * The answer depends only on the topology and the allowlist, so it is
 * cached per (provider, client); changing the allowlist invalidates every
 * cached answer.  p2pdma_provider_get_stats() counts lookups and how many
 * of them had to compute the answer.
 *
 * Struct pages.  p2pdma_provider_create() makes a provider without struct
 * pages, which is all range lists need.  p2pdma_provider_create_with_pages()
 * also gives the memory a ZONE_DEVICE memmap (MEMORY_DEVICE_PCI_P2PDMA, as
 * upstream's pci_p2pdma_add_resource()), for code that wants pages:
 * pfn_to_page() works on its PFNs, is_pci_p2pdma_page() is true for them
 * and pci_p2pdma_page_provider() finds the provider.
 */
#ifndef _LINUX_PCI_P2PDMA_H
#define _LINUX_PCI_P2PDMA_H

#include <linux/types.h>
#include <linux/overflow.h>

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
 * struct p2pdma_provider - a piece of a BAR that serves as P2P memory
 * @owner: the device whose BAR it is
 * @bar: the BAR's index
 * @base: CPU physical address of its first byte
 * @size: its length in bytes
 * @bus_offset: CPU physical address - PCI bus address, for every byte
 * @has_pages: the memory has struct pages (a ZONE_DEVICE memmap): made by
 *	p2pdma_provider_create_with_pages()
 *
 * All fields are read-only after p2pdma_provider_create*().
 */
struct p2pdma_provider {
	struct pci_dev *owner;
	int bar;
	phys_addr_t base;
	u64 size;
	u64 bus_offset;
	bool has_pages;
};

/**
 * struct p2pdma_provider_stats - a provider's map-type lookups
 * @lookups: pci_p2pdma_map_type() calls for it
 * @calcs: of those, how many computed the answer from the topology (no
 *	cached answer for the client, or a stale one)
 */
struct p2pdma_provider_stats {
	u64 lookups;
	u64 calcs;
};

struct p2pdma_provider *p2pdma_provider_create(struct pci_dev *pdev, int bar,
					       u64 offset, u64 size);
struct p2pdma_provider *
p2pdma_provider_create_with_pages(struct pci_dev *pdev, int bar, u64 offset,
				  u64 size);
void p2pdma_provider_destroy(struct p2pdma_provider *provider);
struct p2pdma_provider *pci_p2pdma_page_provider(const struct page *page);
void p2pdma_provider_get_stats(struct p2pdma_provider *provider,
			       struct p2pdma_provider_stats *stats);

enum pci_p2pdma_map_type pci_p2pdma_map_type(struct p2pdma_provider *provider,
					     struct device *dev);
const char *pci_p2pdma_map_type_name(enum pci_p2pdma_map_type type);

bool pci_p2pdma_host_bridge_allowed(const struct pci_host_bridge *host);
int pci_p2pdma_allowlist_add(u16 vendor, u16 device);
int pci_p2pdma_allowlist_remove(u16 vendor, u16 device);

/**
 * p2pdma_provider_contains() - is a physical range inside a provider?
 * @provider: the provider
 * @phys: first CPU physical address
 * @len: bytes, at least 1
 *
 * Return: true if all of [@phys, @phys + @len) is the provider's memory.
 */
static inline bool
p2pdma_provider_contains(const struct p2pdma_provider *provider,
			 phys_addr_t phys, u64 len)
{
	phys_addr_t last;

	if (!len || check_add_overflow(phys, len - 1, &last))
		return false;
	return phys >= provider->base &&
	       last <= provider->base + (provider->size - 1);
}

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

#endif /* _LINUX_PCI_P2PDMA_H */
