/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Device memory with struct pages (ZONE_DEVICE): the pagemap, as
 * upstream's <linux/memremap.h>, which <linux/mm.h> includes.  Struct
 * pages come in whole memory subsections (PAGES_PER_SUBSECTION, 2 MiB),
 * as upstream's memory hotplug requires, so within one subsection every
 * PFN is RAM (or a hole), or of one pagemap.
 */
#ifndef _LINUX_MEMREMAP_H
#define _LINUX_MEMREMAP_H

#include <linux/types.h>
#include <linux/list.h>

/**
 * enum memory_type - what a struct dev_pagemap describes
 * @MEMORY_DEVICE_PCI_P2PDMA: PCI BAR memory offered for peer-to-peer DMA
 *	(drivers/pci/p2pdma.c)
 *
 * 0 is not a type, as upstream, so an uninitialised pagemap is refused.
 */
enum memory_type {
	MEMORY_DEVICE_PCI_P2PDMA = 1,
};

/**
 * struct dev_pagemap - device memory with struct pages
 * @start: first physical address; PAGES_PER_SUBSECTION pages aligned
 * @size: length in bytes; a multiple of PAGES_PER_SUBSECTION pages
 * @type: what the memory is
 * @owner: an owner tag, as upstream's (device-private memory); P2PDMA
 *	pagemaps leave it NULL, as in 6.12: their provider is found through
 *	the struct pci_p2pdma_pagemap that embeds them
 *	(<linux/p2pdma_provider.h>)
 * @node: in the list of live pagemaps (private to mm/memmap.c)
 *
 * The owner sets @start, @size and @type and embeds the structure in
 * its own, which container_of() on page->pgmap then finds.
 */
struct dev_pagemap {
	phys_addr_t start;
	u64 size;
	enum memory_type type;
	void *owner;
	struct list_head node;
};

int memremap_pages(struct dev_pagemap *pgmap);
void memunmap_pages(struct dev_pagemap *pgmap);

#endif /* _LINUX_MEMREMAP_H */
