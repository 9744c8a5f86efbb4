/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The contract between the two worlds of the scatterlist baseline.
 *
 * lib/scatterlist.c is compiled against the shim in bench/sgshim/, never
 * against compat/ or include/; bench/sg_baseline.c is compiled against
 * ours.  The two must still agree on the few things that cross the line:
 * the layout of struct page (page_to_pfn() is pointer arithmetic on the
 * memmap), the page size and the GFP bits handed to kmalloc().  Both sides
 * check these values with BUILD_BUG_ON(), so a change on one side that the
 * other does not follow breaks the build rather than the measurement.
 *
 * This header includes nothing and may be included from either world.
 */
#ifndef _BENCH_SGB_ABI_H
#define _BENCH_SGB_ABI_H

#define SGB_PAGE_SHIFT		12
#define SGB_GFP_KERNEL		0x1eu

/*
 * struct page: ours is 64 bytes with the flags word first
 * (include/linux/mm_types.h), in the flat memmap that starts at the
 * pointer variable vmemmap (<asm/sparsemem.h>, arch/sim/mm.c), so that
 * page_to_pfn(page) == page - vmemmap on both sides.
 */
#define SGB_STRUCT_PAGE_SIZE	64

/*
 * The zone field of page->flags as the kernel lays it out on x86-64
 * (ZONES_PGSHIFT = 64 - NODES_WIDTH - ZONES_WIDTH, ZONE_DEVICE the fifth
 * zone).  Our mm has no zones and keeps its PG_* bits far below, so every
 * page reads as an ordinary zone; the kernel's loads and compares remain.
 */
#define SGB_ZONES_PGSHIFT	51
#define SGB_ZONES_MASK		0x7UL
#define SGB_ZONE_DEVICE		4

struct page;

/*
 * Defined on our side (bench/sg_baseline.c) with our mm, called by the
 * shim for the rare paths that need the direct map (sg_init_one(),
 * sg_miter_*()); never on the paths the benchmarks measure.
 */
void *sgb_hook_page_address(const struct page *page);
struct page *sgb_hook_virt_to_page(const void *addr);

#endif /* _BENCH_SGB_ABI_H */
