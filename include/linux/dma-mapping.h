/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The DMA API over range lists (kernel/dma/, drivers/iommu/dma-iommu.c).
 * docs/dma.md teaches it.
 *
 * dma_map_physr() maps a range list (struct physr_list, or a slice of one)
 * for one device and fills a struct dma_map_state: the DMA list the device
 * is to be given (@state->dma, struct dma_list) and what unmap and sync
 * need.  The range list itself is never written, so the same list may be
 * mapped for several devices at once; it must stay unchanged (and alive)
 * until it is unmapped everywhere.  How a device reaches memory decides
 * the path (dma_dev_path()):
 *
 *  - IOMMU: the device's group is in a DMA domain.  The list gets one IOVA
 *    allocation below the device's DMA mask, and usually comes out as one
 *    DMA range.
 *  - direct: no IOMMU, or an identity (bypass) domain.  DMA address =
 *    physical address for RAM; RAM beyond the DMA mask bounces through
 *    swiotlb (<linux/swiotlb.h>).
 *  - P2P ranges (physr_iter_provider() != NULL) on either path go by
 *    pci_p2pdma_map_type(): the PCI bus address (never in the IOMMU),
 *    through the host bridge (like RAM: an IOVA, or the CPU address), or
 *    -EREMOTEIO.  A mapping holds their providers until unmapped; those
 *    of a removed device are -ENODEV (<linux/pci-p2pdma.h>).
 *
 * The two-step IOVA API (dma_iova_try_alloc(), dma_iova_link(),
 * dma_iova_sync(), dma_iova_unlink(), dma_iova_destroy()) is for drivers
 * that write DMA addresses straight into their own structures: allocate
 * IOVA once, link physical ranges into it, flush once.  It has upstream's
 * semantics.
 *
 * Ownership: after map (and dma_sync_*_for_device()) the buffer belongs
 * to the device; after dma_sync_*_for_cpu() (and unmap) to the CPU.  On a
 * non-coherent device the sync calls do the cache maintenance, on a
 * bounced range they copy; DMA_ATTR_SKIP_CPU_SYNC leaves both out of map
 * and unmap.
 *
 * Every entry point is a function that hands its caller's return address
 * (_RET_IP_) to the DMA sanitizer (<linux/dma-debug.h>), which reports
 * misuse with it, symbolised as the kernel's %pS prints it.
 */
#ifndef _LINUX_DMA_MAPPING_H
#define _LINUX_DMA_MAPPING_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/device.h>
#include <linux/dma-list.h>
#include <linux/physr.h>

enum dma_data_direction {
	DMA_BIDIRECTIONAL = 0,
	DMA_TO_DEVICE = 1,
	DMA_FROM_DEVICE = 2,
	DMA_NONE = 3,
};

/* The DMA attributes this API knows (upstream's values). */
#define DMA_ATTR_SKIP_CPU_SYNC	(1UL << 5)	/* no cache sync, no bounce copy */
#define DMA_ATTR_NO_WARN	(1UL << 8)	/* no message on failure */

#define DMA_BIT_MASK(n)	(((n) == 64) ? ~0ULL : ((1ULL << (n)) - 1))

/**
 * enum dma_path - how a device reaches memory through the DMA API
 * @DMA_PATH_NONE: it cannot: no DMA mask, or its IOMMU group is attached
 *	to a domain the DMA API does not own (UNMANAGED, BLOCKED)
 * @DMA_PATH_DIRECT: no IOMMU translates for it
 * @DMA_PATH_BYPASS: an IOMMU in identity (passthrough) mode: as direct
 * @DMA_PATH_IOMMU: its group is in a DMA domain
 */
enum dma_path {
	DMA_PATH_NONE,
	DMA_PATH_DIRECT,
	DMA_PATH_BYPASS,
	DMA_PATH_IOMMU,
};

/**
 * struct dma_iova_state - the two-step IOVA API's handle
 * @addr: the IOVA of the first byte (what dma_iova_try_alloc()'s @phys
 *	maps to); offsets passed to the API count from here
 * @__size: private: bytes allocated for; 0 when the IOVA API is not in use
 * @__linked: private: bytes the IOVA API linked and did not unlink, so
 *	that a free or destroy that leaves some behind (misuse) finds and
 *	unmaps them before the IOVA goes back; atomic, as links into
 *	disjoint parts of one state may be made from several threads
 * @__domain: private: the DMA domain the IOVA was allocated in; the state
 *	holds a reference on it from dma_iova_try_alloc() to the free, and
 *	every later call works in it, whatever became of the device
 */
struct dma_iova_state {
	dma_addr_t addr;
	u64 __size;
	atomic64_t __linked;
	/* private: the domain the IOVA is in, referenced until it is freed */
	struct iommu_domain *__domain;
};

/**
 * dma_use_iova() - did dma_iova_try_alloc() succeed on this state?
 * @state: the state
 */
static inline bool dma_use_iova(const struct dma_iova_state *state)
{
	return state->__size != 0;
}

/**
 * struct dma_bounce - one range of a mapping that bounces through swiotlb
 *
 * Private to kernel/dma/.
 */
struct dma_bounce {
	/* private: */
	phys_addr_t orig;
	phys_addr_t tlb;
	u64 len;
};

/**
 * struct dma_map_state - one range list mapped for one device
 * @dma: the result: the DMA ranges to give the device, in list order
 *	(read-only; see <linux/dma-list.h>)
 *
 * Filled by dma_map_physr(); the caller provides the storage (on its stack
 * or in its own structure) and keeps it until dma_unmap_physr().  Every
 * field but @dma is private.
 */
struct dma_map_state {
	struct dma_list dma;

	/* private: */
	struct device *dev;
	struct physr_view src;
	struct dma_iova_state iova;
	struct dma_bounce *bounce;
	struct dma_bounce bounce_one;
	u32 nr_bounce;
	u8 dir;
	u8 path;
	u16 flags;
	u32 nr_providers;
	struct p2pdma_provider *held_provider;
	unsigned long attrs;
};

/* ---- device limits (kernel/dma/mapping.c) ---------------------------- */

int dma_set_mask(struct device *dev, u64 mask);
int dma_set_coherent_mask(struct device *dev, u64 mask);
int dma_set_mask_and_coherent(struct device *dev, u64 mask);
int dma_set_max_seg_size(struct device *dev, unsigned int size);
int dma_set_seg_boundary(struct device *dev, unsigned long mask);
enum dma_path dma_dev_path(struct device *dev);
const char *dma_path_name(enum dma_path path);

/**
 * dma_get_mask() - the addresses a device can emit
 * @dev: the device
 *
 * Return: its DMA mask (dma_set_mask()); 0 if it cannot DMA at all.
 */
static inline u64 dma_get_mask(const struct device *dev)
{
	return dev->dma_mask;
}

/**
 * dma_get_max_seg_size() - longest DMA segment a device takes
 * @dev: the device
 *
 * Return: bytes (dma_set_max_seg_size()); upstream's default of 64 KiB
 * when nobody set it.
 */
static inline unsigned int dma_get_max_seg_size(const struct device *dev)
{
	return dev->max_segment_size ? dev->max_segment_size : 65536;
}

/**
 * dma_get_seg_boundary() - boundary no DMA segment of a device may cross
 * @dev: the device
 *
 * Return: the mask (dma_set_seg_boundary()): segments do not cross a
 * multiple of it plus one; ~0UL (no boundary) when nobody set it.
 */
static inline unsigned long dma_get_seg_boundary(const struct device *dev)
{
	return dev->seg_boundary_mask ? dev->seg_boundary_mask : ~0UL;
}

/**
 * dev_is_dma_coherent() - does a device's DMA snoop the CPU's caches?
 * @dev: the device
 *
 * As the firmware reports it.  A non-coherent device gets cache
 * maintenance from the DMA API at map, unmap and sync.
 *
 * Return: true if coherent.
 */
static inline bool dev_is_dma_coherent(const struct device *dev)
{
	return dev->dma_coherent;
}

/* ---- mapping range lists (kernel/dma/mapping.c) ---------------------- */

int dma_map_physr(struct device *dev, const struct physr_list *list,
		  enum dma_data_direction dir, unsigned long attrs,
		  struct dma_map_state *state);
int dma_map_physr_view(struct device *dev, const struct physr_view *view,
		       enum dma_data_direction dir, unsigned long attrs,
		       struct dma_map_state *state);
void dma_unmap_physr(struct device *dev, struct dma_map_state *state,
		     enum dma_data_direction dir, unsigned long attrs);
int dma_revoke_physr(struct device *dev, struct dma_map_state *state);
void dma_sync_physr_for_cpu(struct device *dev, struct dma_map_state *state,
			    enum dma_data_direction dir);
void dma_sync_physr_for_device(struct device *dev, struct dma_map_state *state,
			       enum dma_data_direction dir);
void dma_sync_physr_range_for_cpu(struct device *dev,
				  struct dma_map_state *state, u64 offset,
				  u64 len, enum dma_data_direction dir);
void dma_sync_physr_range_for_device(struct device *dev,
				     struct dma_map_state *state, u64 offset,
				     u64 len, enum dma_data_direction dir);

/**
 * dma_map_state_mapped() - does a state hold a live mapping?
 * @state: the state
 */
static inline bool dma_map_state_mapped(const struct dma_map_state *state)
{
	return state->dev != NULL;
}

/* ---- the two-step IOVA API (kernel/dma/mapping.c) -------------------- */

bool dma_iova_try_alloc(struct device *dev, struct dma_iova_state *state,
			phys_addr_t phys, size_t size);
int dma_iova_link(struct device *dev, struct dma_iova_state *state,
		  phys_addr_t phys, size_t offset, size_t size,
		  enum dma_data_direction dir, unsigned long attrs);
int dma_iova_link_physr(struct device *dev, struct dma_iova_state *state,
			const struct physr_view *view, size_t offset,
			enum dma_data_direction dir, unsigned long attrs);
int dma_iova_sync(struct device *dev, struct dma_iova_state *state,
		  size_t offset, size_t size);
void dma_iova_unlink(struct device *dev, struct dma_iova_state *state,
		     size_t offset, size_t size, enum dma_data_direction dir,
		     unsigned long attrs);
void dma_iova_free(struct device *dev, struct dma_iova_state *state);
void dma_iova_destroy(struct device *dev, struct dma_iova_state *state,
		      size_t mapped_len, enum dma_data_direction dir,
		      unsigned long attrs);

/* ---- boot (kernel/dma/mapping.c) ------------------------------------- */

int dma_init(void);
void dma_exit(void);

#endif /* _LINUX_DMA_MAPPING_H */
