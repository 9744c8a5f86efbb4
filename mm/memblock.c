// SPDX-License-Identifier: GPL-2.0
/*
 * The RAM ranges the platform registered at boot (<linux/memblock.h>).
 *
 * mm_ram_ranges[] holds them in PFNs, [start_pfn, end_pfn), sorted and
 * disjoint; pfn_valid() scans it.  A byte range is rounded inwards to
 * whole pages when added (a partial page at an edge is not RAM to us)
 * and outwards when removed.  Ranges that touch are kept apart, as the
 * firmware listed them.
 *
 * Nothing locks: the ranges change only at boot and teardown, while mm is
 * down (mm_init() has not run or mm_exit() has), and are read-only in
 * between.
 */
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/string.h>
#include <asm/sparsemem.h>

#include "internal.h"

unsigned int mm_nr_ram_ranges;
struct mm_ram_range mm_ram_ranges[MM_MAX_RAM_RANGES];

/* Insert [@start, @end) at index @i.  There is room. */
static void memblock_insert(unsigned int i, unsigned long start,
			    unsigned long end)
{
	memmove(&mm_ram_ranges[i + 1], &mm_ram_ranges[i],
		(mm_nr_ram_ranges - i) * sizeof(mm_ram_ranges[0]));
	mm_ram_ranges[i].start_pfn = start;
	mm_ram_ranges[i].end_pfn = end;
	mm_nr_ram_ranges++;
}

/**
 * memblock_add() - register a range of RAM
 * @base: first physical address
 * @size: bytes
 *
 * For the platform's setup code, after it has set MAX_PHYSMEM_BITS and
 * before mm_init().  Ranges may come in any order.
 *
 * Return: 0 (also when the range holds no whole page: nothing is added);
 * -EINVAL if it is empty, wraps, reaches beyond MAX_PHYSMEM_BITS or
 * overlaps a range registered before (a firmware bug upstream would
 * merge away; here it is refused); -ENOSPC after MM_MAX_RAM_RANGES
 * ranges; -EBUSY while mm is up.
 */
int memblock_add(phys_addr_t base, phys_addr_t size)
{
	unsigned long start, end;
	phys_addr_t end_pa;
	unsigned int i;

	if (WARN_ON(mm_is_up()))
		return -EBUSY;
	if (!size || check_add_overflow(base, size, &end_pa) ||
	    !MAX_PHYSMEM_BITS || end_pa > 1ULL << MAX_PHYSMEM_BITS)
		return -EINVAL;
	/* PFN_UP() would wrap for a base in the last page. */
	start = PFN_DOWN(base) + !PAGE_ALIGNED(base);
	end = PFN_DOWN(end_pa);
	if (start >= end)
		return 0;

	for (i = 0; i < mm_nr_ram_ranges; i++)
		if (start < mm_ram_ranges[i].end_pfn)
			break;
	if (i < mm_nr_ram_ranges && mm_ram_ranges[i].start_pfn < end)
		return -EINVAL;
	if (mm_nr_ram_ranges == MM_MAX_RAM_RANGES)
		return -ENOSPC;
	memblock_insert(i, start, end);
	return 0;
}

/**
 * memblock_remove() - unregister RAM
 * @base: first physical address
 * @size: bytes; every page the range touches stops being RAM
 *
 * For the platform's teardown (memblock_remove(0, PHYS_ADDR_MAX) forgets
 * everything) or setup code that registered too much.  A range that
 * punches a hole into a registered one splits it.
 *
 * Return: 0; -EINVAL if @size is 0; -ENOSPC if a split needs a slot
 * there is not (nothing is removed then); -EBUSY while mm is up.
 */
int memblock_remove(phys_addr_t base, phys_addr_t size)
{
	unsigned long start = PFN_DOWN(base), end;
	phys_addr_t last;
	unsigned int i;

	if (WARN_ON(mm_is_up()))
		return -EBUSY;
	if (!size)
		return -EINVAL;
	if (check_add_overflow(base, size - 1, &last))
		last = PHYS_ADDR_MAX;
	end = PFN_DOWN(last) + 1;
	if (!end)			/* the last PFN of the space */
		end = ULONG_MAX;

	for (i = 0; i < mm_nr_ram_ranges; i++) {
		struct mm_ram_range *r = &mm_ram_ranges[i];

		if (r->start_pfn >= end || r->end_pfn <= start)
			continue;
		if (r->start_pfn < start && r->end_pfn > end) {
			if (mm_nr_ram_ranges == MM_MAX_RAM_RANGES)
				return -ENOSPC;
			memblock_insert(i + 1, end, r->end_pfn);
			r->end_pfn = start;
			return 0;
		}
		if (r->start_pfn < start) {
			r->end_pfn = start;
		} else if (r->end_pfn > end) {
			r->start_pfn = end;
		} else {
			memmove(r, r + 1, (mm_nr_ram_ranges - i - 1) *
			       sizeof(*r));
			mm_nr_ram_ranges--;
			i--;
		}
	}
	return 0;
}
