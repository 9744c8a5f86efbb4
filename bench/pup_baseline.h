/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pin_user_pages() baseline: upstream's way of pinning user memory,
 * into an array of struct page pointers, for `physr bench pin/`.
 *
 * pin_user_pages_fast() and pin_user_pages(): they exist only to be
 * measured against pin_user_physr(), so they live in bench/, not in mm/.  bench/pup_baseline.c follows Linux 6.12's
 * mm/gup.c step by step (see there) on our address spaces and page
 * tables.
 */
#ifndef _BENCH_PUP_BASELINE_H
#define _BENCH_PUP_BASELINE_H

#include <linux/types.h>

struct mm_struct;
struct page;

/* "pin_user_pages() after Linux 6.12 mm/gup.c ...", for bench output. */
const char *pup_describe(void);
const char *pup_fast_describe(void);

long pup_pin_user_pages(struct mm_struct *mm, unsigned long start,
			unsigned long nr_pages, unsigned int gup_flags,
			struct page **pages);
void pup_unpin_user_pages(struct page **pages, unsigned long npages);
/* pup_pin_user_pages_fast()'s @config */
#define PUP_CONFIG_P2PDMA	0x1u	/* CONFIG_PCI_P2PDMA=y */
#define PUP_CONFIG_PREFETCH	0x2u	/* pin_user_physr()'s prefetch added */

long pup_pin_user_pages_fast(struct mm_struct *mm, unsigned long start,
			     unsigned long nr_pages, unsigned int gup_flags,
			     struct page **pages, unsigned int config);
void pup_unpin_user_page_range(struct page *page, unsigned long npages);

#endif /* _BENCH_PUP_BASELINE_H */
