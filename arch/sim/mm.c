// SPDX-License-Identifier: GPL-2.0
/*
 * The platform's part of memory management: the direct map's offset, the
 * physical address width, and the memmap's address space and backing
 * (what arch/x86/mm/init_64.c is for x86).
 *
 * The memmap region.  vmemmap_reserve() reserves host address space for
 * one struct page per page frame of 2^MAX_PHYSMEM_BITS bytes, PROT_NONE
 * and MAP_NORESERVE: it costs nothing, and a stray access faults, as an
 * unmapped kernel address would.  vmemmap_populate() maps a piece of it
 * read-write (MAP_FIXED, MAP_NORESERVE): the host commits a page of it
 * only when a struct page there is written, and an untouched page reads
 * as zero.  vmemmap_free() puts a piece back to PROT_NONE and drops its
 * contents.  Ranges are [start, end), end exclusive, page aligned.
 */
#include <sys/mman.h>

#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <asm/page.h>
#include <asm/sparsemem.h>

#include "internal.h"

unsigned long page_offset_base;
unsigned int max_physmem_bits;
struct page *vmemmap;

/* Bytes reserved at vmemmap. */
static size_t vmemmap_bytes;

/**
 * vmemmap_reserve() - reserve the memmap's address space
 *
 * For setup_arch(), once MAX_PHYSMEM_BITS is known.
 *
 * Return: 0, or -ENOMEM if the host cannot reserve it.
 */
int vmemmap_reserve(void)
{
	size_t bytes = (1UL << (MAX_PHYSMEM_BITS - PAGE_SHIFT)) *
		       sizeof(struct page);
	void *p;

	p = mmap(NULL, bytes, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -ENOMEM;
	vmemmap = p;
	vmemmap_bytes = bytes;
	return 0;
}

/**
 * vmemmap_release() - give the memmap's address space back
 *
 * Whatever mm left populated goes with it.  A no-op without a
 * reservation.
 */
void vmemmap_release(void)
{
	if (vmemmap)
		munmap(vmemmap, vmemmap_bytes);
	vmemmap = NULL;
	vmemmap_bytes = 0;
}

/* Is [@start, @end) a page-aligned piece of the memmap region? */
static bool vmemmap_range_valid(unsigned long start, unsigned long end)
{
	unsigned long base = (unsigned long)vmemmap;

	return vmemmap && start < end && PAGE_ALIGNED(start) &&
	       PAGE_ALIGNED(end) && start >= base &&
	       end - base <= vmemmap_bytes;
}

/**
 * vmemmap_populate() - make a piece of the memmap usable
 * @start: first byte, page aligned
 * @end: the byte after the last, page aligned
 *
 * The piece reads as zero (a valid initial struct page) and costs host
 * memory only where written.  Populating a populated piece zeroes it.
 *
 * Return: 0; -EINVAL if the range is not a page-aligned piece of the
 * region; -ENOMEM.
 */
int vmemmap_populate(unsigned long start, unsigned long end)
{
	void *p;

	if (!vmemmap_range_valid(start, end))
		return -EINVAL;
	p = mmap((void *)start, end - start, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED,
		 -1, 0);
	return p == MAP_FAILED ? -ENOMEM : 0;
}

/**
 * vmemmap_free() - give a piece of the memmap back
 * @start: first byte, page aligned
 * @end: the byte after the last, page aligned
 *
 * Its contents are dropped and any access to it faults afterwards.  A
 * range that is not a piece of the region is a caller bug (WARN).
 */
void vmemmap_free(unsigned long start, unsigned long end)
{
	void *p;

	if (WARN_ON(!vmemmap_range_valid(start, end)))
		return;
	p = mmap((void *)start, end - start, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED,
		 -1, 0);
	WARN_ON(p == MAP_FAILED);
}
