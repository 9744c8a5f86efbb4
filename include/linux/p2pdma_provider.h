/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A P2P provider as the bottom layer sees it: a range of CPU physical
 * addresses that is some device's memory, and the offset its peers add
 * to reach it on their bus.  Range lists (lib/physr.c) carry providers
 * and check ranges against them with this alone; who makes providers and
 * what their owner is (a PCI BAR, drivers/pci/p2pdma.c) is
 * <linux/pci-p2pdma.h>'s business, which includes this.  In the direction
 * of upstream 6.19's struct p2pdma_provider.
 *
 * This header is what a patch series would add to Linux 6.12 for range
 * lists, and the only such place: 6.12 has no struct p2pdma_provider, and
 * its P2PDMA pagemaps leave dev_pagemap.owner NULL, keeping what they
 * belong to in drivers/pci/p2pdma.c's private struct pci_p2pdma_pagemap.
 * The series moves that struct here, with the provider in it (upstream
 * 6.19 names the field @mem), so that code below drivers/pci can find a
 * P2P page's provider: pci_p2pdma_page_provider().
 */
#ifndef _LINUX_P2PDMA_PROVIDER_H
#define _LINUX_P2PDMA_PROVIDER_H

#include <linux/types.h>
#include <linux/container_of.h>
#include <linux/jump_label.h>
#include <linux/kconfig.h>
#include <linux/mm.h>
#include <linux/overflow.h>

struct pci_dev;

/**
 * struct p2pdma_provider - device memory that serves as P2P memory
 * @owner: the device whose memory it is; opaque here (a PCI function for
 *	<linux/pci-p2pdma.h>'s providers)
 * @bar: the BAR's index
 * @base: CPU physical address of its first byte
 * @size: its length in bytes
 * @bus_offset: CPU physical address - bus address, for every byte
 *
 * All fields are read-only; they stay valid after the owner's removal
 * for as long as the struct does (<linux/pci-p2pdma.h>).
 */
struct p2pdma_provider {
	struct pci_dev *owner;
	int bar;
	phys_addr_t base;
	u64 size;
	u64 bus_offset;
};

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
 * struct pci_p2pdma_pagemap - struct pages for a piece of a P2P provider
 * @pgmap: the pagemap (MEMORY_DEVICE_PCI_P2PDMA), which page->pgmap of
 *	each of its pages points to
 * @mem: the provider whose memory the pages are
 *
 * Made by pci_p2pdma_add_resource(); private to drivers/pci/p2pdma.c but
 * for pci_p2pdma_page_provider().
 */
struct pci_p2pdma_pagemap {
	struct dev_pagemap pgmap;
	struct p2pdma_provider *mem;
};

/*
 * Do P2PDMA pages exist at all?  pci_p2pdma_add_resource() counts its
 * pagemaps in this key, so that code sorting pages by provider reads no
 * struct page on a machine without any -- which is most machines, and
 * every kernel built without CONFIG_PCI_P2PDMA.
 */
#ifdef CONFIG_PCI_P2PDMA
DECLARE_STATIC_KEY_FALSE(pci_p2pdma_pages_key);
#define pci_p2pdma_pages_exist() static_branch_unlikely(&pci_p2pdma_pages_key)
#else
#define pci_p2pdma_pages_exist() false
#endif

/*
 * The PFNs P2PDMA pagemaps have ever covered while any existed: [@lo,
 * @hi).  It only grows while pagemaps exist, so a PFN outside it is not a
 * P2PDMA page and its struct page need not be read -- the RAM pages of a
 * machine that also has P2PDMA pages, which is where the read would cost.
 */
struct pci_p2pdma_pfn_span {
	unsigned long lo;
	unsigned long hi;
};

extern struct pci_p2pdma_pfn_span pci_p2pdma_span;

static inline bool pci_p2pdma_pfn_in_span(unsigned long pfn)
{
	return pfn >= READ_ONCE(pci_p2pdma_span.lo) &&
	       pfn < READ_ONCE(pci_p2pdma_span.hi);
}

/**
 * pci_p2pdma_page_provider() - the provider a page of P2P memory belongs to
 * @page: any page of RAM or of device memory
 *
 * Reads @page's struct page, unless no P2PDMA pages exist at all
 * (pci_p2pdma_pages_exist()) or none ever had @page's PFN.  Every page of one memory subsection
 * (PAGES_PER_SUBSECTION) has the same answer: pagemaps are whole
 * subsections.
 *
 * Return: the provider of the BAR the page is in, or NULL if @page is not
 * a P2PDMA page.
 */
static inline struct p2pdma_provider *
pci_p2pdma_page_provider(const struct page *page)
{
	if (!pci_p2pdma_pages_exist() ||
	    !pci_p2pdma_pfn_in_span(page_to_pfn(page)) ||
	    !is_pci_p2pdma_page(page))
		return NULL;
	return container_of(page->pgmap, struct pci_p2pdma_pagemap, pgmap)->mem;
}

#endif /* _LINUX_P2PDMA_PROVIDER_H */
