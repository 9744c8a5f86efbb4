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
 * The zone field of page->flags, laid out as the kernel does (ZONES_PGSHIFT
 * below the node bits, ZONE_DEVICE the fifth zone) but placed where our mm
 * marks device pages: our RAM pages have no zone bits (they read as zone
 * 0), our device pages (memremap_pages()) have PAGE_ZONE_DEVICE_BIT, the
 * top bit, which is ZONE_DEVICE in a 3-bit field at 61.  So the baseline
 * reads and compares what the kernel would, and finds a device page where
 * there is one.  bench/sg_baseline.c checks this against <linux/mm.h>.
 */
#define SGB_ZONES_PGSHIFT	61
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
