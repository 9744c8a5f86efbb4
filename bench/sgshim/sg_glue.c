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

_Static_assert(sizeof(struct sgb_append) == sizeof(struct sg_append_table),
	       "struct sgb_append must hold a struct sg_append_table");
_Static_assert(__builtin_offsetof(struct sg_append_table, sgt) == 0,
	       "sgb_append_table() needs the sg_table first");

int sgb_append_from_pages(struct sgb_append *a, struct page **pages,
			  unsigned int n_pages, unsigned int offset,
			  unsigned long size, unsigned int left_pages)
{
	return sg_alloc_append_table_from_pages((struct sg_append_table *)a,
						pages, n_pages, offset, size,
						UINT_MAX, left_pages,
						GFP_KERNEL);
}

struct sgb_table *sgb_append_table(struct sgb_append *a)
{
	return (struct sgb_table *)&((struct sg_append_table *)a)->sgt;
}

void sgb_append_free(struct sgb_append *a)
{
	sg_free_append_table((struct sg_append_table *)a);
	memset(a, 0, sizeof(*a));
}

int sgb_alloc(struct sgb_table *t, unsigned int nents)
{
	return sg_alloc_table(sgt(t), nents, GFP_KERNEL);
}

/*
 * system_heap_allocate()'s table (drivers/dma-buf/heaps/system_heap.c):
 * sg_alloc_table() for one entry per page, then sg_set_page() on each.
 */
int sgb_from_page_array(struct sgb_table *t, struct page **pages,
			unsigned int n_pages, unsigned int page_len)
{
	struct scatterlist *sg;
	unsigned int i;
	int ret;

	ret = sg_alloc_table(sgt(t), n_pages, GFP_KERNEL);
	if (ret)
		return ret;
	sg = sgt(t)->sgl;
	for (i = 0; i < n_pages; i++) {
		sg_set_page(sg, pages[i], page_len, 0);
		sg = sg_next(sg);
	}
	return 0;
}

/*
 * The system heap's dup_sg_table() without its kzalloc() of the struct
 * (the caller's): sg_alloc_table() for orig_nents, then each entry's page,
 * length and offset copied.
 */
int sgb_dup(struct sgb_table *dst, struct sgb_table *src)
{
	struct sg_table *table = sgt(src);
	struct scatterlist *sg, *new_sg;
	unsigned int i;
	int ret;

	ret = sg_alloc_table(sgt(dst), table->orig_nents, GFP_KERNEL);
	if (ret)
		return ret;
	new_sg = sgt(dst)->sgl;
	for_each_sgtable_sg(table, sg, i) {
		sg_set_page(new_sg, sg_page(sg), sg->length, sg->offset);
		new_sg = sg_next(new_sg);
	}
	return 0;
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

/*
 * The walk of iommu_map_sg() (drivers/iommu/iommu.c), written after its
 * algorithm: entries whose physical addresses follow on are joined into
 * one run, entries marked as bus addresses are skipped, and each run is
 * handed to @map (upstream: __iommu_map()) at the next IOVA offset.  The
 * loop runs here, in the kernel's compilation unit, so sg_phys(),
 * sg->length and sg_dma_is_bus_address() are the inlines a kernel build
 * compiles; sg_next() is out of line, as in the kernel.
 */
long long sgb_iommu_map_walk(struct sgb_table *t, unsigned int nents,
			     int (*map)(void *arg, u64 offset,
					phys_addr_t phys, u64 len),
			     void *arg)
{
	struct scatterlist *sg = sgt(t)->sgl;
	phys_addr_t start = 0;
	u64 len = 0, mapped = 0;
	unsigned int i;
	int ret;

	for (i = 0; i < nents; i++, sg = sg_next(sg)) {
		phys_addr_t phys = sg_phys(sg);

		if (len && phys != start + len) {
			ret = map(arg, mapped, start, len);
			if (ret)
				return ret;
			mapped += len;
			len = 0;
		}
		if (sg_dma_is_bus_address(sg))
			continue;
		if (!len)
			start = phys;
		len += sg->length;
	}
	if (len) {
		ret = map(arg, mapped, start, len);
		if (ret)
			return ret;
		mapped += len;
	}
	return mapped;
}

/*
 * The passes of upstream's dma_map_sg() paths around the mapping itself,
 * for bench/bench_dma.c, written after Linux 6.12's algorithms and run
 * here, in the kernel's compilation unit, with the kernel's inline field
 * accessors (sg_phys(), sg_dma_address(), ...) and its out-of-line
 * sg_next().  Only what a coherent device with a 4 KiB IOVA granule and no
 * bouncing needs is kept.
 *
 * P2P.  The passes that test is_pci_p2pdma_page() per entry exist twice,
 * instances of one always-inline body with the option a constant: as
 * Debian's config builds them (CONFIG_PCI_P2PDMA unset: the test compiles
 * away) and, named *_p2pdma, as a CONFIG_PCI_P2PDMA=y kernel does (the
 * zone read from each entry's page->flags).  A P2P page is refused with
 * -EREMOTEIO: the benchmarks map RAM, so upstream's next step (reading
 * page->pgmap and pci_p2pdma_map_segment()) is never reached.
 */

/* <linux/memremap.h> is_pci_p2pdma_page(), up to the pgmap's type. */
static __always_inline bool sgb_p2pdma_page(struct page *page, bool p2pdma)
{
	return p2pdma && is_zone_device_page(page);
}

/* <linux/dma-mapping.h> */
#define SGB_DMA_MAPPING_ERROR	(~(dma_addr_t)0)

/*
 * iommu_dma_map_sg()'s first pass (drivers/iommu/dma-iommu.c): stash each
 * entry's offset in its IOVA granule and its length in the DMA fields,
 * align the entry to the granule in place, pad before an entry that would
 * cross the segment boundary, and add up the IOVA length.
 */
static __always_inline long long
__sgb_iommu_dma_prepare(struct sgb_table *t, unsigned int nents,
			unsigned long seg_mask, bool p2pdma)
{
	struct scatterlist *s, *prev = NULL;
	unsigned long long iova_len = 0;
	unsigned int i;

	for_each_sg(sgt(t)->sgl, s, nents, i) {
		unsigned int s_iova_off = s->offset & (PAGE_SIZE - 1);
		unsigned long long s_length = s->length;
		unsigned long long pad_len = (seg_mask - iova_len + 1) & seg_mask;

		if (sgb_p2pdma_page(sg_page(s), p2pdma))
			return -EREMOTEIO;
		sg_dma_address(s) = s_iova_off;
		sg_dma_len(s) = s_length;
		s->offset -= s_iova_off;
		s_length = ALIGN(s_length + s_iova_off, PAGE_SIZE);
		s->length = s_length;
		if (pad_len && pad_len < s_length - 1) {
			prev->length += pad_len;
			iova_len += pad_len;
		}
		iova_len += s_length;
		prev = s;
	}
	return iova_len;
}

long long sgb_iommu_dma_prepare(struct sgb_table *t, unsigned int nents,
				unsigned long seg_mask)
{
	return __sgb_iommu_dma_prepare(t, nents, seg_mask, false);
}

long long sgb_iommu_dma_prepare_p2pdma(struct sgb_table *t,
				       unsigned int nents,
				       unsigned long seg_mask)
{
	return __sgb_iommu_dma_prepare(t, nents, seg_mask, true);
}

/*
 * __finalise_sg() (drivers/iommu/dma-iommu.c): restore each entry, and
 * write the DMA segments into the leading entries, joining entries that
 * follow on in IOVA up to @max_len and not across the boundary.
 */
int sgb_iommu_dma_finalise(struct sgb_table *t, unsigned int nents,
			   dma_addr_t dma_addr, unsigned int max_len,
			   unsigned long seg_mask)
{
	struct scatterlist *s, *cur = sgt(t)->sgl;
	unsigned int cur_len = 0, i;
	int count = 0;

	for_each_sg(sgt(t)->sgl, s, nents, i) {
		unsigned int s_iova_off = sg_dma_address(s);
		unsigned int s_length = sg_dma_len(s);
		unsigned int s_iova_len = s->length;

		sg_dma_address(s) = SGB_DMA_MAPPING_ERROR;
		sg_dma_len(s) = 0;
		s->offset += s_iova_off;
		s->length = s_length;
		if (cur_len && !s_iova_off && (dma_addr & seg_mask) &&
		    (max_len - cur_len >= s_length)) {
			cur_len += s_length;
		} else {
			if (i > 0)
				cur = sg_next(cur);
			cur_len = s_length;
			count++;
			sg_dma_address(cur) = dma_addr + s_iova_off;
		}
		sg_dma_len(cur) = cur_len;
		dma_addr += s_iova_len;
		if (s_length + s_iova_off < s_iova_len)
			cur_len = 0;
	}
	return count;
}

/*
 * iommu_dma_unmap_sg()'s search for the IOVA range to unmap: from the
 * first DMA segment to the end of the last one.  Returns its length.
 */
unsigned long long sgb_iommu_dma_unmap_range(struct sgb_table *t,
					     unsigned int nents,
					     dma_addr_t *start)
{
	struct scatterlist *tmp;
	dma_addr_t end = 0;
	unsigned int i;

	*start = 0;
	for_each_sg(sgt(t)->sgl, tmp, nents, i) {
		if (sg_dma_is_bus_address(tmp)) {
			sg_dma_unmark_bus_address(tmp);
			continue;
		}
		if (sg_dma_len(tmp) == 0)
			break;
		*start = sg_dma_address(tmp);
		break;
	}
	nents -= i;
	for_each_sg(tmp, tmp, nents, i) {
		if (sg_dma_is_bus_address(tmp)) {
			sg_dma_unmark_bus_address(tmp);
			continue;
		}
		if (sg_dma_len(tmp) == 0)
			break;
		end = sg_dma_address(tmp) + sg_dma_len(tmp);
	}
	return end - *start;
}

/*
 * dma_direct_map_sg() (kernel/dma/direct.c) for a coherent device that
 * needs no bounce: each entry's DMA address is its physical address,
 * checked against the mask (dma_capable()).  Returns nents, or -EIO when
 * an entry is beyond the mask (upstream would bounce it).
 */
static __always_inline int __sgb_direct_map(struct sgb_table *t,
					    unsigned int nents, u64 dma_mask,
					    bool p2pdma)
{
	struct scatterlist *sg;
	unsigned int i;

	for_each_sg(sgt(t)->sgl, sg, nents, i) {
		dma_addr_t dma;

		if (sgb_p2pdma_page(sg_page(sg), p2pdma))
			return -EREMOTEIO;
		dma = sg_phys(sg);
		if (dma + sg->length - 1 > dma_mask)
			return -EIO;
		sg->dma_address = dma;
		sg_dma_len(sg) = sg->length;
	}
	return nents;
}

int sgb_direct_map(struct sgb_table *t, unsigned int nents, u64 dma_mask)
{
	return __sgb_direct_map(t, nents, dma_mask, false);
}

int sgb_direct_map_p2pdma(struct sgb_table *t, unsigned int nents,
			  u64 dma_mask)
{
	return __sgb_direct_map(t, nents, dma_mask, true);
}

/*
 * dma_direct_unmap_sg(): for each entry, dma_direct_unmap_page(), which
 * for a coherent device is the swiotlb check (is_swiotlb_buffer(): the
 * pool's range [@tlb_start, @tlb_end)) and, never here, a slot release.
 * Returns the entries that were bounce buffers.
 */
unsigned int sgb_direct_unmap(struct sgb_table *t, unsigned int nents,
			      phys_addr_t tlb_start, phys_addr_t tlb_end)
{
	struct scatterlist *sg;
	unsigned int i, bounced = 0;

	for_each_sg(sgt(t)->sgl, sg, nents, i) {
		if (sg_dma_is_bus_address(sg)) {
			sg_dma_unmark_bus_address(sg);
		} else {
			phys_addr_t phys = sg->dma_address;

			if (phys >= tlb_start && phys < tlb_end)
				bounced++;
		}
	}
	return bounced;
}
