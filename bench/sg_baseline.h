/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The scatterlist baseline: the kernel's own lib/scatterlist.c.
 *
 * bench/baseline.mk extracts lib/scatterlist.c and
 * include/linux/scatterlist.h from Debian's linux-source-6.12 at build time
 * and compiles them, unmodified, against the shim in bench/sgshim/ with the
 * configuration of Debian's amd64 kernel (32-byte entries, SG_CHAIN
 * chaining every 128 entries, ZONE_DEVICE checks when merging pages,
 * CONFIG_PCI_P2PDMA unset; the few glue passes that test P2P pages have a
 * *_p2pdma instance built as with it set).
 * bench/sgshim/sg_glue.c, compiled with it, implements this interface, so
 * benchmark code never sees a kernel header: everything here is ours.
 *
 * Memory: the scatterlist chunks come from our kmalloc() (a full chunk is
 * the kernel's __get_free_page(), here a kmalloc() of PAGE_SIZE), so the
 * allocator counters of compat/ measure the baseline like physr.
 *
 * Struct pages: the baseline reads our memmap.  page_to_pfn() is the
 * kernel's pointer difference against the memmap base, exactly as in our
 * mm, and merging two pages reads both their flags (the zone), as the
 * kernel does.
 *
 * Iteration: sgb_iterate_sum() and sgb_iterate_dma_sum() run the kernel's
 * for_each_sgtable_sg() / for_each_sgtable_dma_sg() loops in the kernel's
 * own compilation unit; the one call per entry they make is sg_next(),
 * which is out of line in the kernel too.  The sgb_ent_*() accessors cost a
 * call each and are meant for setup and checking, not for timed loops.
 */
#ifndef _BENCH_SG_BASELINE_H
#define _BENCH_SG_BASELINE_H

#include <linux/types.h>

struct page;

/**
 * struct sgb_table - storage for one struct sg_table
 *
 * The kernel embeds its sg_table in the structure that owns it; so do we,
 * so building a table costs only what the kernel's code allocates.  The
 * contents are private.  A zeroed sgb_table is empty and may be freed.
 */
struct sgb_table {
	u64 __opaque[2];
};

/**
 * struct sgb_append - storage for one struct sg_append_table
 *
 * Its sg_table comes first: sgb_append_table() gives it as a sgb_table.
 * A zeroed sgb_append is empty and may be freed.
 */
struct sgb_append {
	u64 __opaque[4];
};

/* One entry (a struct scatterlist); only a cursor, never dereferenced. */
struct sgb_ent;

/* "lib/scatterlist.c from linux-source-6.12 <version>", for bench output. */
const char *sgb_describe(void);

/* sizeof(struct scatterlist) and SG_MAX_SINGLE_ALLOC, for reports. */
size_t sgb_entry_size(void);
unsigned int sgb_max_single_alloc(void);

/**
 * sgb_from_pages() - sg_alloc_table_from_pages()
 * @t: table to fill; overwritten
 * @pages: the pages, in order
 * @n_pages: number of pages
 * @offset: offset of the data in the first page
 * @size: bytes of data after @offset
 *
 * Physically contiguous pages merge into one entry, without a segment size
 * limit (the kernel's UINT_MAX, rounded down to a multiple of PAGE_SIZE).
 *
 * Return: 0, or a negative errno with nothing left allocated.
 */
int sgb_from_pages(struct sgb_table *t, struct page **pages,
		   unsigned int n_pages, unsigned int offset,
		   unsigned long size);

/* sg_alloc_table_from_pages_segment(): the same with a segment limit. */
int sgb_from_pages_segment(struct sgb_table *t, struct page **pages,
			   unsigned int n_pages, unsigned int offset,
			   unsigned long size, unsigned int max_segment);

/*
 * sg_alloc_append_table_from_pages(): append @n_pages to @a, merging with
 * its last entry where contiguous; @left_pages are still to come (what
 * drivers pinning in batches pass, as ib_umem_get()).  No segment limit
 * (UINT_MAX).  sgb_append_table() is the table built so far; sgb_append_free()
 * is sg_free_append_table().
 */
int sgb_append_from_pages(struct sgb_append *a, struct page **pages,
			  unsigned int n_pages, unsigned int offset,
			  unsigned long size, unsigned int left_pages);
struct sgb_table *sgb_append_table(struct sgb_append *a);
void sgb_append_free(struct sgb_append *a);

/* sg_alloc_table(): @nents zeroed entries, chained as needed. */
int sgb_alloc(struct sgb_table *t, unsigned int nents);

/*
 * sgb_from_page_array() - the table of 6.12's system_heap_allocate(): one
 *	entry of @page_len bytes per page, nothing merged.
 * sgb_dup() - the system heap's dup_sg_table() into @dst (empty): a new
 *	table of @src's orig_nents entries, each entry's page, length and
 *	offset copied.
 * Both run in the kernel's compilation unit; 0 or a negative errno, with
 * nothing left allocated on error.
 */
int sgb_from_page_array(struct sgb_table *t, struct page **pages,
			unsigned int n_pages, unsigned int page_len);
int sgb_dup(struct sgb_table *dst, struct sgb_table *src);

/* sg_free_table(); @t is empty afterwards. */
void sgb_free(struct sgb_table *t);

/* orig_nents: entries of the CPU side (what for_each_sgtable_sg walks). */
unsigned int sgb_nents(const struct sgb_table *t);

/* nents: entries of the DMA side, as dma_map_sgtable() would set it. */
unsigned int sgb_dma_nents(const struct sgb_table *t);
void sgb_set_dma_nents(struct sgb_table *t, unsigned int nents);

/* for_each_sgtable_sg(): the sum of sg->length over the table. */
u64 sgb_iterate_sum(struct sgb_table *t);

/* for_each_sgtable_dma_sg(): the sum of sg_dma_len() over nents entries. */
u64 sgb_iterate_dma_sum(struct sgb_table *t);

/* Walking entries: sgt->sgl, then sg_next() (NULL after the last). */
struct sgb_ent *sgb_first(struct sgb_table *t);
struct sgb_ent *sgb_next(struct sgb_ent *e);

/* sg_page(), page_to_pfn(sg_page()), sg_phys(), sg->offset, sg->length. */
struct page *sgb_ent_page(struct sgb_ent *e);
unsigned long sgb_ent_pfn(struct sgb_ent *e);
phys_addr_t sgb_ent_phys(struct sgb_ent *e);
unsigned int sgb_ent_offset(struct sgb_ent *e);
unsigned int sgb_ent_length(struct sgb_ent *e);

/* sg_set_page(), for tables made with sgb_alloc(). */
void sgb_ent_set_page(struct sgb_ent *e, struct page *page, unsigned int len,
		      unsigned int offset);

/* sg_dma_address(), sg_dma_len(), and setting both as a dma_map_sg() would. */
dma_addr_t sgb_ent_dma_address(struct sgb_ent *e);
unsigned int sgb_ent_dma_len(struct sgb_ent *e);
void sgb_ent_set_dma(struct sgb_ent *e, dma_addr_t addr, unsigned int len);

/* sg_dma_is_bus_address() / sg_dma_mark_bus_address() (P2P entries). */
bool sgb_ent_dma_is_bus_address(struct sgb_ent *e);
void sgb_ent_dma_mark_bus_address(struct sgb_ent *e);

/**
 * sgb_iommu_map_walk() - the walk of iommu_map_sg() over a table
 * @t: the table
 * @nents: entries to walk (what dma_map_sgtable() passes: orig_nents)
 * @map: called once per run of physically contiguous entries, with the
 *	run's offset in the IOVA range, its physical address and length, as
 *	iommu_map_sg() calls __iommu_map(); returns 0 or a negative errno
 * @arg: passed to @map
 *
 * Runs in the kernel's compilation unit (bench/sgshim/sg_glue.c) with the
 * kernel's inline sg_phys() and out-of-line sg_next().
 *
 * Return: bytes mapped, or the first error of @map (the runs before it
 * stay mapped: the caller unwinds, as iommu_map_sg() does).
 */
long long sgb_iommu_map_walk(struct sgb_table *t, unsigned int nents,
			     int (*map)(void *arg, u64 offset,
					phys_addr_t phys, u64 len),
			     void *arg);

/*
 * The passes of upstream's dma_map_sg() paths, for bench/bench_dma.c
 * (bench/sgshim/sg_glue.c says what each follows):
 *
 * sgb_iommu_dma_prepare() - iommu_dma_map_sg()'s pass before the IOVA
 *	allocation: entries aligned to 4 KiB in place, padded for the
 *	segment boundary @seg_mask.  Return: the IOVA length, or (the
 *	_p2pdma instance) -EREMOTEIO for a P2P page.
 * sgb_iommu_dma_finalise() - __finalise_sg(): entries restored, DMA
 *	segments of at most @max_len written from IOVA @dma_addr.  Return:
 *	the number of DMA segments.
 * sgb_iommu_dma_unmap_range() - iommu_dma_unmap_sg()'s search for the IOVA
 *	range: its start in *@start, its length returned.
 * sgb_direct_map() - dma_direct_map_sg() for a coherent device that needs
 *	no bounce.  Return: @nents, -EIO beyond @dma_mask, or (the _p2pdma
 *	instance) -EREMOTEIO for a P2P page.
 *
 * The plain functions are built as Debian's 6.12 config (CONFIG_PCI_P2PDMA
 * unset: no P2P test); the *_p2pdma ones as with CONFIG_PCI_P2PDMA=y
 * (is_pci_p2pdma_page() per entry), for the /pgmap configuration.
 * sgb_direct_unmap() - dma_direct_unmap_sg() for a coherent device: the
 *	per-entry swiotlb check against the pool [@tlb_start, @tlb_end).
 *	Return: entries that were bounce buffers.
 */
long long sgb_iommu_dma_prepare(struct sgb_table *t, unsigned int nents,
				unsigned long seg_mask);
int sgb_iommu_dma_finalise(struct sgb_table *t, unsigned int nents,
			   dma_addr_t dma_addr, unsigned int max_len,
			   unsigned long seg_mask);
unsigned long long sgb_iommu_dma_unmap_range(struct sgb_table *t,
					     unsigned int nents,
					     dma_addr_t *start);
long long sgb_iommu_dma_prepare_p2pdma(struct sgb_table *t,
				       unsigned int nents,
				       unsigned long seg_mask);
int sgb_direct_map(struct sgb_table *t, unsigned int nents, u64 dma_mask);
int sgb_direct_map_p2pdma(struct sgb_table *t, unsigned int nents,
			  u64 dma_mask);
unsigned int sgb_direct_unmap(struct sgb_table *t, unsigned int nents,
			      phys_addr_t tlb_start, phys_addr_t tlb_end);

#endif /* _BENCH_SG_BASELINE_H */
