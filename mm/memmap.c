// SPDX-License-Identifier: GPL-2.0
/*
 * The memmap and the direct map, built from the firmware RAM map at boot.
 *
 * What we read.  The machine's firmware table lists RAM regions (sorted,
 * non-overlapping).  They become mm_ram_ranges[] in PFNs, which
 * pfn_valid() scans.  Partial pages at region edges are not RAM to us:
 * a range is rounded inwards to whole pages.
 *
 * The memmap.  vmemmap is a flat array of struct page indexed by PFN, from
 * PFN 0 to max_pfn (one past the highest RAM PFN), like the kernel's
 * SPARSEMEM_VMEMMAP.  It is reserved with MAP_NORESERVE: the host backs a
 * page of it only when a struct page in it is written, so descriptors in
 * holes, and of RAM nobody has used yet, cost nothing.  Untouched memory
 * reads as zero, which is a valid initial struct page (see
 * <linux/mm_types.h>).  The default 8 GiB machine needs 2.25 Mi struct
 * pages, 144 MiB of address space; booting it touches a handful.
 *
 * The direct map.  The machine promises that all RAM appears at one
 * constant offset in the CPU's linear view.  We check that promise for
 * every region (sim_cpu_map() of its first and last byte) and record the
 * offset; phys_to_virt() is then one addition.
 */
#include <sys/mman.h>

#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/printk.h>

#include "mm/internal.h"
#include "sim/sim.h"

struct page *vmemmap;
unsigned long max_pfn;
unsigned long mm_direct_map_offset;
unsigned int mm_nr_ram_ranges;
struct mm_ram_range mm_ram_ranges[MM_MAX_RAM_RANGES];

static size_t mm_memmap_bytes;

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
	mm_memmap_bytes = max_pfn * sizeof(struct page);
	p = mmap(NULL, mm_memmap_bytes, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		ret = -ENOMEM;
		goto out_reset;
	}
	vmemmap = p;
	return 0;

out_reset:
	mm_memmap_exit();
	return ret;
}

/**
 * mm_memmap_exit() - drop the memmap and forget the RAM map
 */
void mm_memmap_exit(void)
{
	if (vmemmap)
		munmap(vmemmap, mm_memmap_bytes);
	vmemmap = NULL;
	mm_memmap_bytes = 0;
	max_pfn = 0;
	mm_direct_map_offset = 0;
	mm_nr_ram_ranges = 0;
}
