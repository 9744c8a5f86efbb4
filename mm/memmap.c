// SPDX-License-Identifier: GPL-2.0
/*
 * The memmap, built from the RAM the platform registered at boot
 * (<linux/memblock.h>), and device pages.
 *
 * The memmap.  vmemmap is a flat array of struct page indexed by PFN, like
 * the kernel's SPARSEMEM_VMEMMAP.  The platform reserved its address
 * space for the whole physical address space the firmware reports
 * (MAX_PHYSMEM_BITS: 1 TiB for 46 bits), as the kernel sizes its vmemmap
 * region; mm makes pieces of it usable with vmemmap_populate() and gives
 * them back with vmemmap_free().  From PFN 0 to max_pfn (one past the
 * highest RAM PFN) it is populated at boot.  The platform backs a
 * populated page of it only when a struct page in it is written, so
 * descriptors in holes, and of RAM nobody has used yet, cost nothing.
 * Untouched memory reads as zero, which is a valid initial struct page
 * (see <linux/mm_types.h>).  The default 8 GiB machine needs 2.25 Mi
 * struct pages, 144 MiB of address space; booting it touches a handful.
 *
 * Device pages.  memremap_pages() gives device memory struct pages the
 * way memory hotplug does for ZONE_DEVICE: it makes the memmap usable over
 * the range (above max_pfn, by populating that piece; in a hole below it,
 * where it is usable already, by just writing it) and initialises every
 * struct page; memunmap_pages() gives the memory back, so a removed
 * range leaves nothing behind.  Ranges are whole subsections (2 MiB), as
 * upstream's memory hotplug requires (check_pfn_span()), so the memmap of
 * two ranges never shares a page, and code reading page arrays may take
 * one struct page per subsection as telling for all of it
 * (physr_list_from_pages()).
 *
 * The direct map is the platform's (<asm/page.h>): phys_to_virt() is one
 * addition.
 */
#include <linux/errno.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/printk.h>
#include <asm/sparsemem.h>

#include "internal.h"

unsigned long max_pfn;

/* Populated since boot: [0, mm_memmap_boot_pfns), whole subsections. */
static unsigned long mm_memmap_boot_pfns;

/* Live pagemaps, the device pages they hold; under mm_pgmap_lock. */
static DEFINE_MUTEX(mm_pgmap_lock);
static LIST_HEAD(mm_pgmaps);
static unsigned long mm_nr_device_pages;

/* Make the memmap of PFNs [@pfn, @pfn + @nr) usable, zero-filled. */
static int mm_memmap_populate(unsigned long pfn, unsigned long nr)
{
	return vmemmap_populate((unsigned long)pfn_to_page(pfn),
				(unsigned long)pfn_to_page(pfn + nr));
}

/* Give the memory behind the memmap of [@pfn, @pfn + @nr) back. */
static void mm_memmap_depopulate(unsigned long pfn, unsigned long nr)
{
	vmemmap_free((unsigned long)pfn_to_page(pfn),
		     (unsigned long)pfn_to_page(pfn + nr));
}

/*
 * Device pages are gone from [@pfn, @pfn + @nr): give their memmap back,
 * except that a hole below max_pfn stays usable (populated again, zero).
 */
static void mm_memmap_release(unsigned long pfn, unsigned long nr)
{
	mm_memmap_depopulate(pfn, nr);
	if (pfn < mm_memmap_boot_pfns)
		WARN_ON(mm_memmap_populate(pfn, nr));
}

/**
 * mm_memmap_init() - build the memmap over the registered RAM
 *
 * Return: 0; -ENODEV if the platform registered no RAM or reserved no
 * memmap; -ENOMEM.
 */
int mm_memmap_init(void)
{
	int ret;

	if (!mm_nr_ram_ranges || !vmemmap)
		return -ENODEV;
	max_pfn = mm_ram_ranges[mm_nr_ram_ranges - 1].end_pfn;
	/*
	 * Whole subsections, so that a pagemap is either inside the part
	 * populated since boot or outside it.  memblock_add() kept RAM
	 * below 2^MAX_PHYSMEM_BITS, which is 2 MiB aligned.
	 */
	mm_memmap_boot_pfns = ALIGN(max_pfn, PAGES_PER_SUBSECTION);
	ret = mm_memmap_populate(0, mm_memmap_boot_pfns);
	if (ret) {
		mm_memmap_boot_pfns = 0;
		max_pfn = 0;
	}
	return ret;
}

/**
 * mm_memmap_exit() - give the memmap back
 *
 * Pagemaps still live are a bug of their owners (WARN) and are forgotten.
 * The registered RAM stays registered (the platform removes it).
 */
void mm_memmap_exit(void)
{
	struct dev_pagemap *pgmap, *next;

	mutex_lock(&mm_pgmap_lock);
	WARN_ON(!list_empty(&mm_pgmaps));
	/* Unlinked, so that a late memunmap_pages() finds nothing to do. */
	list_for_each_entry_safe(pgmap, next, &mm_pgmaps, node) {
		unsigned long pfn = PHYS_PFN(pgmap->start);

		list_del_init(&pgmap->node);
		if (pfn >= mm_memmap_boot_pfns)
			mm_memmap_depopulate(pfn, PHYS_PFN(pgmap->size));
	}
	mm_nr_device_pages = 0;
	mutex_unlock(&mm_pgmap_lock);

	if (mm_memmap_boot_pfns)
		mm_memmap_depopulate(0, mm_memmap_boot_pfns);
	mm_memmap_boot_pfns = 0;
	max_pfn = 0;
}

/* Does [@pfn, @pfn + @nr) overlap RAM or a live pagemap? */
static bool mm_pfns_busy(unsigned long pfn, unsigned long nr)
{
	const struct dev_pagemap *pgmap;
	unsigned int i;

	for (i = 0; i < mm_nr_ram_ranges; i++)
		if (pfn < mm_ram_ranges[i].end_pfn &&
		    mm_ram_ranges[i].start_pfn < pfn + nr)
			return true;
	list_for_each_entry(pgmap, &mm_pgmaps, node)
		if (pfn < PHYS_PFN(pgmap->start + pgmap->size) &&
		    PHYS_PFN(pgmap->start) < pfn + nr)
			return true;
	return false;
}

/* Is @pgmap well formed: a type, whole subsections, inside the memmap? */
static bool mm_pgmap_valid(const struct dev_pagemap *pgmap)
{
	const u64 sub = PAGES_PER_SUBSECTION * PAGE_SIZE;
	phys_addr_t end;

	return pgmap->type == MEMORY_DEVICE_PCI_P2PDMA && pgmap->size &&
	       IS_ALIGNED(pgmap->start, sub) && IS_ALIGNED(pgmap->size, sub) &&
	       !check_add_overflow(pgmap->start, pgmap->size, &end) &&
	       end <= 1ULL << MAX_PHYSMEM_BITS;
}

/**
 * memremap_pages() - give device memory struct pages
 * @pgmap: the memory (@start, @size, @type set by the caller)
 *
 * Makes the memmap usable over the range and initialises each struct
 * page there as a device page of @pgmap (see <linux/mm.h>).  Upstream's
 * also returns a kernel mapping of the memory; nothing here needs one,
 * since the CPU reaches device memory by physical address.  Thread-safe.
 *
 * Return: 0; -EINVAL if @pgmap is malformed (no type, not whole 2 MiB
 * subsections, beyond the physical address space); -ENODEV before
 * mm_init(); -EBUSY if the range overlaps RAM or another pagemap;
 * -ENOMEM.
 */
int memremap_pages(struct dev_pagemap *pgmap)
{
	unsigned long pfn, nr, i;
	int ret = 0;

	/* Unlinked until it succeeds: see memunmap_pages(). */
	INIT_LIST_HEAD(&pgmap->node);
	if (!mm_pgmap_valid(pgmap))
		return -EINVAL;
	pfn = PHYS_PFN(pgmap->start);
	nr = PHYS_PFN(pgmap->size);

	mutex_lock(&mm_pgmap_lock);
	if (!mm_memmap_boot_pfns) {
		ret = -ENODEV;
		goto out_unlock;
	}
	if (mm_pfns_busy(pfn, nr)) {
		ret = -EBUSY;
		goto out_unlock;
	}
	if (pfn >= mm_memmap_boot_pfns) {
		ret = mm_memmap_populate(pfn, nr);
		if (ret)
			goto out_unlock;
	}
	for (i = 0; i < nr; i++)
		*pfn_to_page(pfn + i) = (struct page){
			.flags = BIT(PAGE_ZONE_DEVICE_BIT),
			.pgmap = pgmap,
		};
	list_add_tail(&pgmap->node, &mm_pgmaps);
	mm_nr_device_pages += nr;
out_unlock:
	mutex_unlock(&mm_pgmap_lock);
	return ret;
}

/**
 * memunmap_pages() - take device memory's struct pages away
 * @pgmap: from a successful memremap_pages()
 *
 * The struct pages are gone afterwards, and so is the host memory that
 * held them.  Nobody may use them any more; upstream waits for their
 * references to drop, and nothing here takes any yet.  A pagemap that
 * mm_exit() already forgot is left alone.  Thread-safe.
 */
void memunmap_pages(struct dev_pagemap *pgmap)
{
	unsigned long nr = PHYS_PFN(pgmap->size);

	mutex_lock(&mm_pgmap_lock);
	if (!list_empty(&pgmap->node)) {
		list_del_init(&pgmap->node);
		mm_nr_device_pages -= nr;
		mm_memmap_release(PHYS_PFN(pgmap->start), nr);
	}
	mutex_unlock(&mm_pgmap_lock);
}

/**
 * nr_device_pages() - struct pages of device memory that exist now
 *
 * Return: the pages of every live pagemap.
 */
unsigned long nr_device_pages(void)
{
	unsigned long nr;

	mutex_lock(&mm_pgmap_lock);
	nr = mm_nr_device_pages;
	mutex_unlock(&mm_pgmap_lock);
	return nr;
}
