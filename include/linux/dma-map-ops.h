/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the DMA API: what kernel/dma/ and drivers/iommu/dma-iommu.c
 * share.  Not for drivers: they use <linux/dma-mapping.h>.
 *
 * The split (docs/dma.md):
 *
 *   kernel/dma/mapping.c   entry points, argument checks, the sanitizer
 *                          hooks, sync walks shared by every path
 *   kernel/dma/direct.c    the direct path
 *   arch/sim/dma.c         the CPU cache maintenance a non-coherent
 *                          device needs (arch_sync_dma_*)
 *   kernel/dma/swiotlb.c   the bounce pool
 *   kernel/dma/list.c      struct dma_list
 *   kernel/dma/debug.c     the DMA sanitizer
 *   drivers/iommu/dma-iommu.c   the IOMMU path and the IOVA API
 */
#ifndef _LINUX_DMA_MAP_OPS_H
#define _LINUX_DMA_MAP_OPS_H

#include <linux/compiler.h>
#include <linux/dma-mapping.h>
#include <linux/gfp_types.h>

/* struct dma_map_state @flags. */
#define DMA_MAP_F_NONCOHERENT	0x1	/* the device was not coherent */
#define DMA_MAP_F_REVOKED	0x2	/* dma_revoke_physr(): addresses kept */

/*
 * The DMA API's GFP for its metadata (IOVA, IO page-table pages, DMA
 * lists, bounce records): no allocation of a map may sleep.  That does not
 * make the DMA API atomic-safe: its IOMMU path (iommu_dma_map_physr(),
 * iommu_dma_unmap_physr(), the IOVA API) takes the domain's mutex and
 * may sleep (might_sleep() at its entry); the direct path takes no such
 * lock.  Upstream's IOMMU path is lockless; ours serialises the page
 * table with a mutex.
 */
#define DMA_GFP			GFP_ATOMIC

static inline bool dma_valid_direction(enum dma_data_direction dir)
{
	return dir == DMA_BIDIRECTIONAL || dir == DMA_TO_DEVICE ||
	       dir == DMA_FROM_DEVICE;
}

/*
 * Bounce record @i of a mapping: in @bounce when there are several, else
 * the one inline (so a state holds no pointer into itself).
 */
static inline struct dma_bounce *dma_state_bounce(struct dma_map_state *state,
						  u32 i)
{
	return state->bounce ? &state->bounce[i] : &state->bounce_one;
}

/*
 * Is a range of a list RAM?  A range without a P2P provider must be: it
 * is what swiotlb copies through the direct map and what cache
 * maintenance works on.  struct dma_ram_cache keeps the RAM (a run of
 * adjacent firmware RAM ranges, [@first, @last]) that held the last range
 * checked, so checking a list costs two compares a range (its ranges
 * mostly fall in one such run); DMA_RAM_CACHE_INIT holds nothing.
 */
struct dma_ram_cache {
	phys_addr_t first;
	phys_addr_t last;
};

#define DMA_RAM_CACHE_INIT \
	((struct dma_ram_cache){ .first = 1, .last = 0 })

bool __dma_phys_is_ram(struct dma_ram_cache *c, phys_addr_t first,
		       phys_addr_t last);

/* Is all of [@first, @last] RAM?  @first <= @last. */
static inline bool dma_phys_is_ram(struct dma_ram_cache *c, phys_addr_t first,
				   phys_addr_t last)
{
	if (likely(first >= c->first && last <= c->last))
		return true;
	return __dma_phys_is_ram(c, first, last);
}

int dma_view_check_ram(const struct physr_view *view);

/* ---- struct dma_list (kernel/dma/list.c) ----------------------------- */

void dma_list_init(struct dma_list *dl);
void dma_list_set_single(struct dma_list *dl, dma_addr_t addr, u64 len);
int dma_list_append(struct dma_list *dl, dma_addr_t addr, u64 len,
		    gfp_t gfp);
void dma_list_set_shared(struct dma_list *dl, const struct physr_view *view);
void dma_list_finish(struct dma_list *dl, const struct device *dev,
		     u64 nr_segs);
void dma_list_destroy(struct dma_list *dl);
u64 dma_seg_count(dma_addr_t addr, u64 len, u64 max_seg, u64 seg_mask);

/* ---- the direct path (kernel/dma/direct.c) ---------------------------- */

int dma_direct_map_physr(struct device *dev, struct dma_map_state *state);
void dma_direct_unmap_physr(struct dma_map_state *state);

/* ---- cache maintenance: the platform's (arch/sim/dma.c) --------------- */

void arch_sync_dma_for_device(phys_addr_t paddr, u64 size,
			      enum dma_data_direction dir);
void arch_sync_dma_for_cpu(phys_addr_t paddr, u64 size,
			   enum dma_data_direction dir);

/* ---- the IOMMU path (drivers/iommu/dma-iommu.c) ---------------------- */

enum dma_path iommu_dma_path(struct device *dev);
int iommu_dma_map_physr(struct device *dev, struct dma_map_state *state);
void iommu_dma_unmap_physr(struct dma_map_state *state);
void iommu_dma_revoke_physr(struct dma_map_state *state);

/*
 * The IOVA API behind its entry points (kernel/dma/mapping.c), which pass
 * their caller's return address for the sanitizer.
 */
bool __dma_iova_try_alloc(struct device *dev, struct dma_iova_state *state,
			  phys_addr_t phys, size_t size, unsigned long caller);
int __dma_iova_link(struct device *dev, struct dma_iova_state *state,
		    phys_addr_t phys, size_t offset, size_t size,
		    enum dma_data_direction dir, unsigned long attrs,
		    unsigned long caller);
int __dma_iova_link_physr(struct device *dev, struct dma_iova_state *state,
			  const struct physr_view *view, size_t offset,
			  enum dma_data_direction dir, unsigned long attrs,
			  unsigned long caller);
int __dma_iova_sync(struct device *dev, struct dma_iova_state *state,
		    size_t offset, size_t size, unsigned long caller);
void __dma_iova_unlink(struct device *dev, struct dma_iova_state *state,
		       size_t offset, size_t size, enum dma_data_direction dir,
		       unsigned long attrs, unsigned long caller);
void __dma_iova_free(struct device *dev, struct dma_iova_state *state,
		     unsigned long caller);
void __dma_iova_destroy(struct device *dev, struct dma_iova_state *state,
			size_t mapped_len, enum dma_data_direction dir,
			unsigned long attrs, unsigned long caller);

/* ---- shared by the paths (kernel/dma/mapping.c) ---------------------- */

void dma_state_sync(struct dma_map_state *state, u64 offset, u64 len,
		    enum dma_data_direction dir, bool for_cpu, bool copy,
		    bool cache);
int dma_p2p_check_range(struct device *dev, struct p2pdma_provider *provider,
			const struct physr *r);
int dma_state_hold_provider(struct dma_map_state *state,
			    struct p2pdma_provider *provider);
void dma_state_release_providers(struct dma_map_state *state);

#endif /* _LINUX_DMA_MAP_OPS_H */
