// SPDX-License-Identifier: GPL-2.0
/*
 * Our side of the scatterlist baseline (see bench/sg_baseline.h).
 *
 * The kernel's lib/scatterlist.c is built against the shim in bench/sgshim/
 * and cannot see our headers; what it needs from us it reaches through the
 * symbols and values listed in bench/sgshim/sgb_abi.h.  This file, built
 * with our headers, checks those values against the real definitions and
 * provides the two direct-map hooks.
 */
#include <linux/gfp_types.h>
#include <linux/mm.h>
#include <linux/page-flags.h>

#include "bench/sg_baseline.h"
#include "bench/sgshim/sgb_abi.h"

/* The shim computes page_to_pfn() as page - vmemmap with this stride. */
static_assert(sizeof(struct page) == SGB_STRUCT_PAGE_SIZE);
static_assert(__builtin_types_compatible_p(typeof(vmemmap), struct page *));
static_assert(PAGE_SHIFT == SGB_PAGE_SHIFT);

/*
 * The shim reads the zone from page->flags, where our PG_* bits never go;
 * ZONE_DEVICE there is our device-page mark.
 */
static_assert(offsetof(struct page, flags) == 0);
static_assert(__NR_PAGEFLAGS <= SGB_ZONES_PGSHIFT);
static_assert(PAGE_ZONE_DEVICE_BIT == SGB_ZONES_PGSHIFT + 2 &&
	      SGB_ZONE_DEVICE == 4 && SGB_ZONES_MASK == 0x7);

/* The shim hands kmalloc() this for GFP_KERNEL. */
static_assert(GFP_KERNEL == SGB_GFP_KERNEL);

void *sgb_hook_page_address(const struct page *page)
{
	return page_address(page);
}

struct page *sgb_hook_virt_to_page(const void *addr)
{
	return virt_to_page(addr);
}
