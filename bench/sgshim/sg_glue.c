// SPDX-License-Identifier: GPL-2.0
/*
 * The scatterlist baseline's side of bench/sg_baseline.h.
 *
 * Compiled by bench/baseline.mk like lib/scatterlist.c itself: against the
 * shim (bench/sgshim/) and the extracted include/linux/scatterlist.h, with
 * the kernel's -fno-strict-aliasing, never against compat/ or include/.
 * Each function is the kernel call or macro it is named after and nothing
 * more; the loops of sgb_iterate_*() are the kernel's own macros expanded
 * here, so the baseline's iteration is exactly what a driver compiles.
 *
 * The object that bench/baseline.mk makes of this file and scatterlist.c
 * keeps only the sgb_* symbols global, so the kernel's sg_* names never
 * meet ours at link time.
 */
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include "../sg_baseline.h"

#ifndef SGB_KERNEL_VERSION
#define SGB_KERNEL_VERSION "unknown"
#endif

_Static_assert(sizeof(struct sgb_table) == sizeof(struct sg_table),
	       "struct sgb_table must hold a struct sg_table");
_Static_assert(_Alignof(struct sgb_table) >= _Alignof(struct sg_table),
	       "struct sgb_table must be aligned like a struct sg_table");
_Static_assert(sizeof(struct scatterlist) == 32,
	       "Debian amd64 has 32-byte scatterlist entries");

static inline struct sg_table *sgt(struct sgb_table *t)
{
	return (struct sg_table *)t;
}

static inline const struct sg_table *csgt(const struct sgb_table *t)
{
	return (const struct sg_table *)t;
}

static inline struct scatterlist *sge(struct sgb_ent *e)
{
	return (struct scatterlist *)e;
}

const char *sgb_describe(void)
{
	return "lib/scatterlist.c from linux-source-6.12 " SGB_KERNEL_VERSION;
}

size_t sgb_entry_size(void)
{
	return sizeof(struct scatterlist);
}

unsigned int sgb_max_single_alloc(void)
{
	return SG_MAX_SINGLE_ALLOC;
}

int sgb_from_pages(struct sgb_table *t, struct page **pages,
		   unsigned int n_pages, unsigned int offset,
		   unsigned long size)
{
	return sg_alloc_table_from_pages(sgt(t), pages, n_pages, offset, size,
					 GFP_KERNEL);
}

int sgb_from_pages_segment(struct sgb_table *t, struct page **pages,
			   unsigned int n_pages, unsigned int offset,
			   unsigned long size, unsigned int max_segment)
{
	return sg_alloc_table_from_pages_segment(sgt(t), pages, n_pages, offset,
						 size, max_segment, GFP_KERNEL);
}

int sgb_alloc(struct sgb_table *t, unsigned int nents)
{
	return sg_alloc_table(sgt(t), nents, GFP_KERNEL);
}

void sgb_free(struct sgb_table *t)
{
	sg_free_table(sgt(t));
	memset(t, 0, sizeof(*t));
}

unsigned int sgb_nents(const struct sgb_table *t)
{
	return csgt(t)->orig_nents;
}

unsigned int sgb_dma_nents(const struct sgb_table *t)
{
	return csgt(t)->nents;
}

void sgb_set_dma_nents(struct sgb_table *t, unsigned int nents)
{
	sgt(t)->nents = nents;
}

u64 sgb_iterate_sum(struct sgb_table *t)
{
	struct sg_table *table = sgt(t);
	struct scatterlist *sg;
	unsigned int i;
	u64 sum = 0;

	for_each_sgtable_sg(table, sg, i)
		sum += sg->length;
	return sum;
}

u64 sgb_iterate_dma_sum(struct sgb_table *t)
{
	struct sg_table *table = sgt(t);
	struct scatterlist *sg;
	unsigned int i;
	u64 sum = 0;

	for_each_sgtable_dma_sg(table, sg, i)
		sum += sg_dma_len(sg);
	return sum;
}

struct sgb_ent *sgb_first(struct sgb_table *t)
{
	return (struct sgb_ent *)sgt(t)->sgl;
}

struct sgb_ent *sgb_next(struct sgb_ent *e)
{
	return (struct sgb_ent *)sg_next(sge(e));
}

struct page *sgb_ent_page(struct sgb_ent *e)
{
	return sg_page(sge(e));
}

unsigned long sgb_ent_pfn(struct sgb_ent *e)
{
	return page_to_pfn(sg_page(sge(e)));
}

phys_addr_t sgb_ent_phys(struct sgb_ent *e)
{
	return sg_phys(sge(e));
}

unsigned int sgb_ent_offset(struct sgb_ent *e)
{
	return sge(e)->offset;
}

unsigned int sgb_ent_length(struct sgb_ent *e)
{
	return sge(e)->length;
}

void sgb_ent_set_page(struct sgb_ent *e, struct page *page, unsigned int len,
		      unsigned int offset)
{
	sg_set_page(sge(e), page, len, offset);
}

dma_addr_t sgb_ent_dma_address(struct sgb_ent *e)
{
	return sg_dma_address(sge(e));
}

unsigned int sgb_ent_dma_len(struct sgb_ent *e)
{
	return sg_dma_len(sge(e));
}

void sgb_ent_set_dma(struct sgb_ent *e, dma_addr_t addr, unsigned int len)
{
	sg_dma_address(sge(e)) = addr;
	sg_dma_len(sge(e)) = len;
}

bool sgb_ent_dma_is_bus_address(struct sgb_ent *e)
{
	return sg_dma_is_bus_address(sge(e));
}

void sgb_ent_dma_mark_bus_address(struct sgb_ent *e)
{
	sg_dma_mark_bus_address(sge(e));
}
