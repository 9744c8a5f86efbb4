// SPDX-License-Identifier: GPL-2.0
/*
 * The memmap and the direct map, built from the firmware RAM map at boot.
 *
 * What we read.  The machine's firmware table lists RAM regions (sorted,
 * non-overlapping).  They become mm_ram_ranges[] in PFNs, which
 * pfn_valid() scans.  Partial pages at region edges are not RAM to us:
 * a range is rounded inwards to whole pages.
 *
 * The memmap.  vmemmap is a flat array of struct page indexed by PFN, like
 * the kernel's SPARSEMEM_VMEMMAP.  Its address space is reserved for the
 * machine's whole physical address space (SIM_PHYS_ADDR_BITS, 1 TiB of
 * PROT_NONE for 46 bits), as the kernel sizes its vmemmap region for
 * MAX_PHYSMEM_BITS; from PFN 0 to max_pfn (one past the highest RAM PFN)
 * it is usable from boot.  It is mapped with MAP_NORESERVE: the host backs
 * a page of it only when a struct page in it is written, so descriptors in
 * holes, and of RAM nobody has used yet, cost nothing.  Untouched memory
 * reads as zero, which is a valid initial struct page (see
 * <linux/mm_types.h>).  The default 8 GiB machine needs 2.25 Mi struct
 * pages, 144 MiB of address space; booting it touches a handful.
 *
 * Device pages.  memremap_pages() gives device memory struct pages the
 * way memory hotplug does for ZONE_DEVICE: it makes the memmap usable over
 * the range (above max_pfn, by mapping that piece; in a hole below it,
 * where it is usable already, by just writing it) and initialises every
 * struct page; memunmap_pages() gives the host memory back, so a removed
 * range leaves nothing behind.  Ranges are whole subsections (2 MiB), so
 * the memmap of two ranges never shares a host page.
 *
 * The direct map.  The machine promises that all RAM appears at one
 * constant offset in the CPU's linear view.  We check that promise for
 * every region (sim_cpu_map() of its first and last byte) and record the
 * offset; phys_to_virt() is then one addition.
 */
#include <sys/mman.h>

#include <linux/errno.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/printk.h>

#include "mm/internal.h"
#include "sim/sim.h"

struct page *vmemmap;
unsigned long max_pfn;
unsigned long mm_direct_map_offset;
unsigned int mm_nr_ram_ranges;
struct mm_ram_range mm_ram_ranges[MM_MAX_RAM_RANGES];

/* PFNs the memmap's address space covers: every physical address. */
#define MM_MEMMAP_PFNS		(SIM_PHYS_ADDR_LIMIT >> PAGE_SHIFT)

/* Usable since boot: [0, mm_memmap_boot_pfns), whole subsections. */
static unsigned long mm_memmap_boot_pfns;

/* Live pagemaps, the device pages they hold; under mm_pgmap_lock. */
static DEFINE_MUTEX(mm_pgmap_lock);
static LIST_HEAD(mm_pgmaps);
static unsigned long mm_nr_device_pages;

/* Read the firmware RAM map into mm_ram_ranges[] and find the direct map. */
static int mm_read_ram_map(void)
{
	unsigned int i, n = sim_fw_ram_count();
	unsigned long offset = 0;

	if (!n || n > MM_MAX_RAM_RANGES)
		return -EINVAL;

	mm_nr_ram_ranges = 0;
	for (i = 0; i < n; i++) {
		struct sim_ram_region r;
		unsigned long start, end;
		phys_addr_t end_pa;
		u8 *first_va, *last_va;
		int ret;

		ret = sim_fw_ram_region(i, &r);
		if (ret)
			return ret;
		if (!r.size || check_add_overflow(r.base, r.size, &end_pa))
			return -EINVAL;
		/* PFN_UP() would wrap for a base in the last page. */
		start = PFN_DOWN(r.base) + !PAGE_ALIGNED(r.base);
		end = PFN_DOWN(end_pa);
		if (start >= end)
			continue;		/* less than one whole page */
		if (mm_nr_ram_ranges &&
		    start < mm_ram_ranges[mm_nr_ram_ranges - 1].end_pfn)
			return -EINVAL;		/* unsorted or overlapping */

		first_va = sim_cpu_map(PFN_PHYS(start), 1);
		last_va = sim_cpu_map(PFN_PHYS(end) - 1, 1);
		if (!first_va || !last_va)
			return -EINVAL;
		if (!mm_nr_ram_ranges)
			offset = (unsigned long)first_va - PFN_PHYS(start);
		if ((unsigned long)first_va - PFN_PHYS(start) != offset ||
		    (unsigned long)last_va - (PFN_PHYS(end) - 1) != offset) {
			pr_err("mm: RAM at %#llx is not linearly mapped\n",
			       (unsigned long long)r.base);
			return -EINVAL;
		}

		mm_ram_ranges[mm_nr_ram_ranges].start_pfn = start;
		mm_ram_ranges[mm_nr_ram_ranges].end_pfn = end;
		mm_nr_ram_ranges++;
	}
	if (!mm_nr_ram_ranges)
		return -EINVAL;
	mm_direct_map_offset = offset;
	return 0;
}

/* Map the memmap of PFNs [@pfn, @pfn + @nr) read-write, zero-filled. */
static int mm_memmap_map(unsigned long pfn, unsigned long nr)
{
	void *p = mmap(vmemmap + pfn, nr * sizeof(struct page),
		       PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED,
		       -1, 0);

	return p == MAP_FAILED ? -ENOMEM : 0;
}

/* Give the host memory behind the memmap of [@pfn, @pfn + @nr) back. */
static void mm_memmap_unmap(unsigned long pfn, unsigned long nr)
{
	void *p;

	if (pfn < mm_memmap_boot_pfns) {
		/* Still usable (a hole below max_pfn): zero again. */
		WARN_ON(madvise(vmemmap + pfn, nr * sizeof(struct page),
				MADV_DONTNEED));
		return;
	}
	/* Back to reserved address space; the contents are dropped. */
	p = mmap(vmemmap + pfn, nr * sizeof(struct page), PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED,
		 -1, 0);
	WARN_ON(p == MAP_FAILED);
}

/**
 * mm_memmap_init() - build the memmap and the direct map
 *
 * Return: 0; -EINVAL if the firmware RAM map is unusable; -ENOMEM.
 */
int mm_memmap_init(void)
{
	void *p;
	int ret;

	ret = mm_read_ram_map();
	if (ret)
		goto out_reset;

	max_pfn = mm_ram_ranges[mm_nr_ram_ranges - 1].end_pfn;
	p = mmap(NULL, MM_MEMMAP_PFNS * sizeof(struct page), PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		ret = -ENOMEM;
		goto out_reset;
	}
	vmemmap = p;
	/*
	 * Whole subsections, so that a pagemap is either inside the part
	 * usable since boot or outside it.
	 */
	mm_memmap_boot_pfns = ALIGN(max_pfn, PAGES_PER_SUBSECTION);
	ret = mm_memmap_map(0, mm_memmap_boot_pfns);
	if (ret)
		goto out_reset;
	return 0;

out_reset:
	mm_memmap_exit();
	return ret;
}

/**
 * mm_memmap_exit() - drop the memmap and forget the RAM map
 *
 * Pagemaps still live are a bug of their owners (WARN) and are forgotten.
 */
void mm_memmap_exit(void)
{
	struct dev_pagemap *pgmap, *next;

	mutex_lock(&mm_pgmap_lock);
	WARN_ON(!list_empty(&mm_pgmaps));
	/* Unlinked, so that a late memunmap_pages() finds nothing to do. */
	list_for_each_entry_safe(pgmap, next, &mm_pgmaps, node)
		list_del_init(&pgmap->node);
	mm_nr_device_pages = 0;
	mutex_unlock(&mm_pgmap_lock);

	if (vmemmap)
		munmap(vmemmap, MM_MEMMAP_PFNS * sizeof(struct page));
	vmemmap = NULL;
	mm_memmap_boot_pfns = 0;
	max_pfn = 0;
	mm_direct_map_offset = 0;
	mm_nr_ram_ranges = 0;
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
	       end <= SIM_PHYS_ADDR_LIMIT;
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
	if (!vmemmap) {
		ret = -ENODEV;
		goto out_unlock;
	}
	if (mm_pfns_busy(pfn, nr)) {
		ret = -EBUSY;
		goto out_unlock;
	}
	if (pfn >= mm_memmap_boot_pfns) {
		ret = mm_memmap_map(pfn, nr);
		if (ret)
			goto out_unlock;
	}
	for (i = 0; i < nr; i++)
		*pfn_to_page(pfn + i) = (struct page){
			.flags = BIT(PAGE_ZONE_DEVICE_BIT),
			.private = (unsigned long)pgmap,
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
		mm_memmap_unmap(PHYS_PFN(pgmap->start), nr);
	}
	mutex_unlock(&mm_pgmap_lock);
}

/**
 * dev_pagemaps_exist() - might any page be a device page?
 *
 * For loops over page arrays that would otherwise read every struct page
 * to tell device pages from RAM: while this is false (the common case)
 * every page is RAM.  Lockless; a pagemap made concurrently with such a
 * loop is the caller's race, as it would be upstream.
 *
 * Return: true if a pagemap is live.
 */
bool dev_pagemaps_exist(void)
{
	return !list_empty(&mm_pgmaps);
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
