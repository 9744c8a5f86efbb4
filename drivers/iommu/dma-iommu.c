// SPDX-License-Identifier: GPL-2.0
/*
 * The DMA API's IOMMU path: devices whose IOMMU group has a DMA domain as
 * its default domain.  Two interfaces share the code here:
 *
 *  - dma_map_physr() (kernel/dma/mapping.c) calls iommu_dma_map_physr():
 *    a whole range list in one IOVA allocation;
 *  - the two-step IOVA API: dma_iova_try_alloc() reserves IOVA for a
 *    transfer, dma_iova_link() maps a physical range at an offset in it
 *    without flushing, dma_iova_sync() flushes once for all links,
 *    dma_iova_unlink() unmaps part, dma_iova_free() / dma_iova_destroy()
 *    end it.  Upstream's semantics, plus dma_iova_link_physr() to link a
 *    whole range list (view) at once.
 *
 * Both go through the same steps, __iommu_dma_iova_*() below: allocate
 * IOVA below the device's DMA mask and every attached device's (size
 * aligned, so a list gets the largest leaves its layout allows); link
 * without invalidating, a run of ranges with the batched, walk-cached
 * iommu_map_physr_view_nosync(), one range with __iommu_map_nosync();
 * sync with one __iommu_sync_map(); destroy with one iommu_unmap() and
 * the IOVA freed.  dma_map_physr() is the IOVA API used from the inside
 * (without the sanitizer's per-link records: it records the mapping).
 *
 * Layout of a list in its IOVA.  Ranges the device reaches through the
 * IOMMU (RAM, and P2P memory through the host bridge) are laid out back
 * to back.  A run of them continues while each boundary is page aligned
 * on both sides; a range that starts inside a page, or follows one that
 * ended inside a page, starts a new run at the next IOVA page plus its
 * own page offset (upstream iommu_dma_map_sg() pads the same way).  P2P
 * ranges the device reaches by bus address are not in the IOVA at all;
 * they appear in the DMA list at their bus address, in list order,
 * between the IOVA pieces around them.  So a list of page-aligned RAM
 * gives one DMA range, and the IOVA span is always one contiguous,
 * fully mapped range: unmap is one iommu_unmap() and one invalidation.
 *
 * Conventions: IOVA spans are page aligned; (addr, len) ranges, end
 * exclusive, sums checked.  The domain is the group's default domain,
 * looked up when IOVA is allocated (upstream's iommu_get_dma_domain()),
 * then recorded in the IOVA state with a reference on it (one atomic per
 * map call): every later call on the state, unmap among them, works in
 * that domain, even after the device was removed and its group freed.
 *
 * Sleeping.  The IOMMU calls take the domain's mutex (its page-table
 * lock), and the last put of a domain takes iommu_lock: every entry here
 * that maps, unmaps, syncs or frees may sleep (might_sleep()), although
 * what it allocates is DMA_GFP (GFP_ATOMIC).  Upstream's io-pgtable is
 * lockless and its DMA API callable from atomic context; ours is not,
 * until the page table gets a lockless update scheme.
 */
#include <linux/bug.h>
#include <linux/dma-debug.h>
#include <linux/dma-map-ops.h>
#include <linux/errno.h>
#include <linux/iommu.h>
#include <linux/iova.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/pci-p2pdma.h>
#include <linux/string.h>

#include "iommu-priv.h"

#define DMA_IOVA_ATTRS	(DMA_ATTR_SKIP_CPU_SYNC | DMA_ATTR_NO_WARN)

static inline u64 dma_page_off(u64 addr)
{
	return addr & (PAGE_SIZE - 1);
}

/*
 * The DMA domain a device's DMA API mappings go to, NULL if none, or
 * ERR_PTR(-EBUSY) while an owner (VFIO) claimed the group's DMA: then
 * only P2P ranges reached by bus address, which never meet the IOMMU,
 * can be mapped.
 */
static struct iommu_domain *iommu_dma_domain(struct device *dev)
{
	struct iommu_domain *domain = iommu_get_dma_api_domain(dev);

	if (IS_ERR(domain))
		return domain;
	return domain && domain->type == IOMMU_DOMAIN_DMA ? domain : NULL;
}

/**
 * iommu_dma_path() - the DMA API path of a device with an IOMMU
 * @dev: a probed device
 *
 * Return: DMA_PATH_IOMMU for a DMA default domain, DMA_PATH_BYPASS for
 * identity (DMA_PATH_NONE while an owner claimed the group), DMA_PATH_DIRECT
 * if it has no IOMMU after all.
 */
enum dma_path iommu_dma_path(struct device *dev)
{
	struct iommu_domain *domain = iommu_get_default_domain(dev);

	/* An owned group's identity domain is not in use: no path. */
	if (domain && domain->type == IOMMU_DOMAIN_IDENTITY &&
	    IS_ERR(iommu_get_dma_api_domain(dev)))
		return DMA_PATH_NONE;
	if (!domain)
		return DMA_PATH_DIRECT;
	switch (domain->type) {
	case IOMMU_DOMAIN_DMA:
		return DMA_PATH_IOMMU;
	case IOMMU_DOMAIN_IDENTITY:
		return DMA_PATH_BYPASS;
	default:
		return DMA_PATH_NONE;
	}
}

static int iommu_dma_prot(enum dma_data_direction dir)
{
	switch (dir) {
	case DMA_TO_DEVICE:
		return IOMMU_READ;
	case DMA_FROM_DEVICE:
		return IOMMU_WRITE;
	default:
		return IOMMU_READ | IOMMU_WRITE;
	}
}

/* Page-aligned IOVA span of an IOVA state. */
static u64 dma_iova_span(const struct dma_iova_state *state)
{
	return ALIGN(dma_page_off(state->addr) + state->__size, PAGE_SIZE);
}

/*
 * try_alloc: IOVA for @size bytes whose first byte sits @off bytes into a
 * page, below what the device can emit.  Fills @state.
 */
static int __iommu_dma_iova_alloc(struct device *dev,
				  struct iommu_domain *domain, u64 off,
				  u64 size, struct dma_iova_state *state)
{
	u64 limit = min_t(u64, dma_get_mask(dev), READ_ONCE(domain->dma_limit));
	dma_addr_t base;
	u64 span;
	int ret;

	if (check_add_overflow(size, off + PAGE_SIZE - 1, &span))
		return -ENOMEM;
	span = ALIGN_DOWN(span, PAGE_SIZE);
	ret = iova_alloc(&domain->iovad, span, limit, &base);
	if (ret)
		return ret == -ENOSPC ? -ENOMEM : ret;
	state->addr = base + off;
	state->__size = size;
	/* The one atomic of a map call: unmap works in this domain. */
	iommu_domain_get(domain);
	state->__domain = domain;
	return 0;
}

/* link: one range's pages at @iova (page aligned), no invalidation. */
static int __iommu_dma_iova_link(struct iommu_domain *domain, dma_addr_t iova,
				 phys_addr_t phys, u64 len, int prot)
{
	u64 pad = dma_page_off(phys);
	int ret;

	iommu_domain_lock(domain);
	ret = __iommu_map_nosync(domain, iova, phys - pad,
				 ALIGN(len + pad, PAGE_SIZE), prot, DMA_GFP);
	iommu_domain_unlock(domain);
	return ret;
}

/* link: a view's ranges back to back at @iova (page aligned), no flush. */
static int __iommu_dma_iova_link_view(struct iommu_domain *domain,
				      dma_addr_t iova,
				      const struct physr_view *view, int prot)
{
	return iommu_map_physr_view_nosync(domain, iova, view, prot, DMA_GFP);
}

/* sync: one invalidation over what links mapped in [iova, iova + len). */
static void __iommu_dma_iova_sync(struct iommu_domain *domain, dma_addr_t iova,
				  u64 len)
{
	u64 pad = dma_page_off(iova);

	iommu_domain_lock(domain);
	__iommu_sync_map(domain, iova - pad, ALIGN(len + pad, PAGE_SIZE));
	iommu_domain_unlock(domain);
}

/*
 * destroy: unmap the first @mapped bytes of the span (one invalidation)
 * and free the IOVA.  @state is empty afterwards.
 */
static void __iommu_dma_iova_destroy(struct dma_iova_state *state,
				     u64 mapped)
{
	struct iommu_domain *domain = state->__domain;
	dma_addr_t base = ALIGN_DOWN(state->addr, PAGE_SIZE);

	if (mapped)
		WARN_ON(iommu_unmap(domain, base, ALIGN(mapped, PAGE_SIZE)));
	WARN_ON(iova_free(&domain->iovad, base, dma_iova_span(state)));
	memset(state, 0, sizeof(*state));
	/* May free a default domain whose group went with its device. */
	iommu_domain_put(domain);
}

/*
 * Unmap every page still mapped in [base, base + span), a page-aligned
 * IOVA span being freed: the runs between holes, each with one
 * iommu_unmap() (a run never cuts a leaf, which lies whole inside the
 * span that was linked).  For misuse only, so a walk page by page is
 * fine.  Return: the bytes unmapped.
 */
static u64 dma_iova_unmap_leftovers(struct iommu_domain *domain,
				    dma_addr_t base, u64 span)
{
	dma_addr_t pos = base, end = base + span, run;
	u64 unmapped = 0;

	while (pos < end) {
		if (!iommu_iova_to_phys(domain, pos)) {
			pos += PAGE_SIZE;
			continue;
		}
		for (run = pos; pos < end && iommu_iova_to_phys(domain, pos);)
			pos += PAGE_SIZE;
		if (!WARN_ON(iommu_unmap(domain, run, pos - run)))
			unmapped += pos - run;
	}
	return unmapped;
}

/*
 * The IOVA API's free or destroy left links behind (@what says which):
 * WARN and unmap them, so that freed IOVA never translates, its
 * page-table pages go, and whoever gets the block next can map it.
 */
static void dma_iova_misuse_cleanup(struct device *dev,
				    struct dma_iova_state *state,
				    const char *what)
{
	u64 n = dma_iova_unmap_leftovers(state->__domain,
					 ALIGN_DOWN(state->addr, PAGE_SIZE),
					 dma_iova_span(state));

	/* A caller bug whatever the sanitizer says: WARN, every time. */
	WARN(1, "dma: %s: %s of IOVA %#llx with %lld bytes still linked: unmapped %#llx bytes\n",
	     dev_name(dev), what, (unsigned long long)state->addr,
	     (long long)atomic64_read(&state->__linked), (unsigned long long)n);
}

/* ---- dma_map_physr() ------------------------------------------------------ */

/*
 * The IOVA layout of a list (see the top of this file).  A cursor over
 * the IOVA span: where the next range goes, in bytes from its start.
 */
struct iommu_dma_layout {
	u64 cursor;
	bool in_run;
	bool end_aligned;
};

/*
 * Place a range reached through the IOMMU: *@offset is where it goes in
 * the span, *@new_run whether it starts a run.  Return: false if the
 * layout overflows.
 */
static bool iommu_dma_place(struct iommu_dma_layout *lo, const struct physr *r,
			    u64 *offset, bool *new_run)
{
	u64 off = dma_page_off(r->addr);

	*new_run = !lo->in_run || !lo->end_aligned || off;
	if (*new_run) {
		if (check_add_overflow(lo->cursor, PAGE_SIZE - 1, &lo->cursor))
			return false;
		lo->cursor = ALIGN_DOWN(lo->cursor, PAGE_SIZE) + off;
	}
	*offset = lo->cursor;
	if (check_add_overflow(lo->cursor, r->len, &lo->cursor))
		return false;
	lo->in_run = true;
	lo->end_aligned = !dma_page_off(r->addr + r->len);
	return true;
}

/*
 * The general case: link range by range, P2P bus addresses in between,
 * then one invalidation.  Builds the DMA list; unwinds on error.  Pass 1
 * (iommu_dma_map_physr()) sized @span; a piece that would go beyond it
 * is a bug: WARN, -EIO, everything undone.
 */
static int iommu_dma_map_pieces(struct device *dev,
				struct iommu_domain *domain,
				struct dma_map_state *state, dma_addr_t base,
				u64 span, int prot)
{
	struct iommu_dma_layout lo = { 0 };
	u64 mapped = 0, offset, end;
	struct physr_iter it;
	struct physr r;
	bool new_run;
	int ret = 0;

	physr_view_for_each(&state->src, &it, &r) {
		struct p2pdma_provider *p = physr_iter_provider(&it);
		dma_addr_t dma;
		u64 pad;

		if (p && pci_p2pdma_map_type(p, dev) == PCI_P2PDMA_MAP_BUS_ADDR) {
			lo.in_run = false;
			ret = dma_list_append(&state->dma,
					      p2pdma_bus_addr(p, r.addr), r.len,
					      DMA_GFP);
			if (ret)
				break;
			continue;
		}
		if (WARN_ON(!iommu_dma_place(&lo, &r, &offset, &new_run))) {
			ret = -EINVAL;
			break;
		}
		dma = base + offset;
		pad = dma_page_off(r.addr);
		/*
		 * Pass 1 sized the span from the same decisions: a piece
		 * beyond it would map IOVA that is not this mapping's.
		 */
		if (WARN_ON(check_add_overflow(offset, r.len, &end) ||
			    ALIGN(end, PAGE_SIZE) > span)) {
			ret = -EIO;
			break;
		}
		ret = __iommu_dma_iova_link(domain, dma - pad, r.addr, r.len,
					    prot);
		if (ret)
			break;
		mapped = ALIGN(end, PAGE_SIZE);
		ret = dma_list_append(&state->dma, dma, r.len, DMA_GFP);
		if (ret)
			break;
	}
	if (ret) {
		if (mapped)
			WARN_ON(iommu_unmap(domain, base, mapped));
		dma_list_destroy(&state->dma);
		return ret;
	}
	if (span)
		__iommu_dma_iova_sync(domain, base, span);
	return 0;
}

/*
 * Pass 1 for a P2P range: check it is its provider's memory, hold the
 * provider for the mapping, then decide.  Out of line, so that the loop
 * over RAM keeps its registers.  Return: 1 for a bus address (not in the
 * IOVA), 0 for the host bridge (in the IOVA like RAM), or -EINVAL (not
 * the provider's memory), -ENODEV, -EIO (a bus address beyond the mask),
 * -EREMOTEIO.
 */
static noinline int iommu_dma_decide_p2p(struct device *dev,
					 struct dma_map_state *state,
					 struct p2pdma_provider *p,
					 const struct physr *r)
{
	dma_addr_t bus, last;
	int ret;

	ret = dma_p2p_check_range(dev, p, r);
	if (ret)
		return ret;
	ret = dma_state_hold_provider(state, p);
	if (ret)
		return ret;
	switch (pci_p2pdma_map_type(p, dev)) {
	case PCI_P2PDMA_MAP_BUS_ADDR:
		bus = p2pdma_bus_addr(p, r->addr);
		if (check_add_overflow(bus, r->len - 1, &last) ||
		    last > dma_get_mask(dev))
			return -EIO;
		return 1;
	case PCI_P2PDMA_MAP_THRU_HOST_BRIDGE:
		return 0;
	default:
		return -EREMOTEIO;
	}
}

/**
 * iommu_dma_map_physr() - map @state->src for a device behind an IOMMU
 * @dev: the device, on DMA_PATH_IOMMU
 * @state: a state being made by dma_map_physr(): @src, @dir, @attrs set
 *
 * See the top of this file.  The IOVA span is kept in @state->iova.
 * Context: may sleep (the domain's mutex), although it allocates with
 * DMA_GFP.
 *
 * Return: 0; -EREMOTEIO for P2P the device may not reach; -EIO for a bus
 * address beyond its mask or no DMA domain; -EBUSY for ranges that need
 * the IOMMU while an owner claimed the device's group; -ENOMEM when IOVA
 * space or memory runs out.  On error nothing stays mapped or allocated.
 */
int iommu_dma_map_physr(struct device *dev, struct dma_map_state *state)
{
	struct iommu_domain *domain = iommu_dma_domain(dev);
	int prot = iommu_dma_prot(state->dir);
	struct iommu_dma_layout lo = { 0 };
	u64 span, offset, first_off = 0, runs = 0;
	bool has_bus = false, new_run;
	struct physr_iter it;
	struct physr r;
	dma_addr_t base = 0;
	int ret;

	might_sleep();
	if (!domain)
		return -EIO;

	/* Pass 1: decide every range, and lay the IOVA out. */
	physr_view_for_each(&state->src, &it, &r) {
		struct p2pdma_provider *p = physr_iter_provider(&it);

		if (unlikely(p)) {
			ret = iommu_dma_decide_p2p(dev, state, p, &r);
			if (ret < 0)
				return ret;
			if (ret) {
				has_bus = true;
				lo.in_run = false;
				continue;
			}
		}
		if (!iommu_dma_place(&lo, &r, &offset, &new_run))
			return -ENOMEM;
		if (!runs)
			first_off = offset;
		runs += new_run;
	}
	/* An owned group: bus addresses only, nothing through the IOMMU. */
	if (IS_ERR(domain) && runs)
		return PTR_ERR(domain);
	if (check_add_overflow(lo.cursor, PAGE_SIZE - 1, &span))
		return -ENOMEM;
	span = ALIGN_DOWN(span, PAGE_SIZE);

	if (runs == 1 && !has_bus) {
		/* One run: try_alloc, one batched link, sync. */
		u64 len = physr_view_len(&state->src);

		ret = __iommu_dma_iova_alloc(dev, domain, first_off, len,
					     &state->iova);
		if (ret)
			return ret;
		base = ALIGN_DOWN(state->iova.addr, PAGE_SIZE);
		ret = __iommu_dma_iova_link_view(domain, base, &state->src,
						 prot);
		if (ret)
			goto out_free_iova;
		__iommu_dma_iova_sync(domain, state->iova.addr, len);
		dma_list_set_single(&state->dma, state->iova.addr, len);
	} else {
		/*
		 * Runs and bus addresses: the whole span (none if there are
		 * only bus addresses), linked piece by piece.
		 */
		if (span) {
			ret = __iommu_dma_iova_alloc(dev, domain, 0, span,
						     &state->iova);
			if (ret)
				return ret;
			base = state->iova.addr;
		}
		ret = iommu_dma_map_pieces(dev, domain, state, base, span,
					   prot);
		if (ret)
			goto out_free_iova;
	}
	dma_list_finish(&state->dma, dev, 0);
	return 0;

out_free_iova:
	if (dma_use_iova(&state->iova))
		__iommu_dma_iova_destroy(&state->iova, 0);
	return ret;
}

/**
 * iommu_dma_unmap_physr() - undo iommu_dma_map_physr()
 * @state: the mapping; copies and cache maintenance were done by the
 *	caller
 *
 * dma_iova_destroy() of the whole span: one iommu_unmap() (one
 * invalidation), then the IOVA is freed.
 */
void iommu_dma_unmap_physr(struct dma_map_state *state)
{
	might_sleep();
	/* A revoked mapping's translations are gone already: free only. */
	if (dma_use_iova(&state->iova))
		__iommu_dma_iova_destroy(&state->iova,
					 state->flags & DMA_MAP_F_REVOKED ?
					 0 : dma_iova_span(&state->iova));
	memset(&state->iova, 0, sizeof(state->iova));
	dma_list_destroy(&state->dma);
}

/**
 * iommu_dma_revoke_physr() - remove a mapping's translations, keep its IOVA
 * @state: the mapping (dma_revoke_physr())
 *
 * One iommu_unmap() of the whole span (one invalidation): the device's
 * DMA to it faults from now on.  The IOVA stays allocated, so nothing
 * else is mapped there, until iommu_dma_unmap_physr() frees it.
 */
void iommu_dma_revoke_physr(struct dma_map_state *state)
{
	struct dma_iova_state *iova = &state->iova;

	might_sleep();
	if (dma_use_iova(iova))
		WARN_ON(iommu_unmap(iova->__domain,
				    ALIGN_DOWN(iova->addr, PAGE_SIZE),
				    dma_iova_span(iova)));
}

/* ---- the two-step IOVA API ----------------------------------------------- */

/**
 * __dma_iova_try_alloc() - reserve IOVA for a transfer (dma_iova_try_alloc())
 * @dev: the device
 * @state: filled in; zeroed when this fails
 * @phys: physical address of the first byte that will be linked (only
 *	its offset in the page matters: @state->addr gets the same)
 * @size: bytes that will be linked
 * @caller: the caller's return address, for the sanitizer
 *
 * Fails when the device cannot use the IOVA API: it is not behind an
 * IOMMU in a DMA domain (direct path: the caller falls back to
 * dma_map_physr()), @size is 0, or IOVA space runs out.  P2P memory the
 * device reaches by bus address never goes into an IOVA: callers check
 * pci_p2pdma_map_type() first, as upstream's do.
 *
 * Return: true if @state now holds IOVA (dma_use_iova()).
 */
bool __dma_iova_try_alloc(struct device *dev, struct dma_iova_state *state,
			  phys_addr_t phys, size_t size,
			  unsigned long caller)
{
	struct iommu_domain *domain;

	if (!state)
		return false;
	memset(state, 0, sizeof(*state));
	if (!dev || !size || dma_dev_path(dev) != DMA_PATH_IOMMU)
		return false;
	domain = iommu_dma_domain(dev);
	if (IS_ERR_OR_NULL(domain))
		return false;
	dma_debug_checkpoint();
	if (__iommu_dma_iova_alloc(dev, domain, dma_page_off(phys), size, state))
		return false;
	debug_dma_iova_alloc(dev, state, caller);
	return true;
}

/*
 * The DMA domain an IOVA state of @dev is in, for a call on @state that
 * the sanitizer (if on) agrees is live and @dev's.  Return: 0, -EIO
 * without a DMA domain, -EINVAL for a state the sanitizer refuses.
 */
static int dma_iova_domain(struct device *dev, struct dma_iova_state *state,
			   unsigned long caller,
			   struct iommu_domain **domain)
{
	*domain = state->__domain;
	if (!*domain)
		return -EIO;
	if (!debug_dma_iova_check(dev, state, caller))
		return -EINVAL;
	return 0;
}

/* Check a link's arguments; set the page-aligned IOVA it maps at. */
static int dma_iova_link_check(struct device *dev, struct dma_iova_state *state,
			       phys_addr_t phys, size_t offset, u64 size,
			       enum dma_data_direction dir, unsigned long attrs,
			       dma_addr_t *iova)
{
	u64 pad = dma_page_off(phys), end;

	if (!dev || !state || !dma_use_iova(state) || !size ||
	    !dma_valid_direction(dir) || (attrs & ~DMA_IOVA_ATTRS) ||
	    check_add_overflow((u64)offset, size, &end) || end > state->__size)
		return -EINVAL;
	/* Upstream's rule: only the first link may start inside a page. */
	if (pad && offset)
		return -EIO;
	*iova = state->addr + offset - pad;
	if (dma_page_off(*iova))
		return -EINVAL;
	return 0;
}

/**
 * __dma_iova_link() - map a physical range into an IOVA (dma_iova_link())
 * @dev: the device
 * @state: from dma_iova_try_alloc()
 * @phys: first physical address (RAM, or P2P memory the device reaches
 *	through the host bridge: the caller checks pci_p2pdma_map_type(),
 *	memory reached by bus address never goes into an IOVA)
 * @offset: where it goes, in bytes from @state->addr
 * @size: bytes
 * @dir: DMA direction (the IOMMU permission follows it)
 * @attrs: DMA_ATTR_SKIP_CPU_SYNC: no cache maintenance
 * @caller: the caller's return address, for the sanitizer
 *
 * No IOTLB invalidation: call dma_iova_sync() once after the last link.
 * Only the first link (offset 0) may start inside a page, at the page
 * offset @state->addr has; every link's IOVA is page aligned otherwise.
 * On a non-coherent device RAM is cleaned from the CPU's cache first;
 * anything else (MMIO) is uncached and gets no maintenance.
 *
 * Return: 0; -EINVAL for bad arguments or a range outside the
 * allocation; -EIO for an unaligned start at a non-zero offset; -EEXIST
 * if part of it is linked; -ENOMEM.  On error nothing was linked.
 */
int __dma_iova_link(struct device *dev, struct dma_iova_state *state,
		    phys_addr_t phys, size_t offset, size_t size,
		    enum dma_data_direction dir, unsigned long attrs,
		    unsigned long caller)
{
	struct dma_ram_cache ram = DMA_RAM_CACHE_INIT;
	struct iommu_domain *domain;
	dma_addr_t iova;
	int ret;

	might_sleep();
	ret = dma_iova_link_check(dev, state, phys, offset, size, dir, attrs,
				  &iova);
	if (ret)
		return ret;
	ret = dma_iova_domain(dev, state, caller, &domain);
	if (ret)
		return ret;
	if (!dev_is_dma_coherent(dev) && !(attrs & DMA_ATTR_SKIP_CPU_SYNC) &&
	    dma_phys_is_ram(&ram, phys, phys + size - 1))
		arch_sync_dma_for_device(phys, size, dir);
	ret = __iommu_dma_iova_link(domain, iova, phys, size,
				    iommu_dma_prot(dir));
	if (ret)
		return ret;
	atomic64_add(size, &state->__linked);
	debug_dma_iova_link(dev, state, phys, NULL, offset, size, dir, caller);
	return 0;
}

/*
 * What dma_iova_link_physr() may link, checked whole before anything is:
 * RAM, and P2P memory the device reaches through the host bridge (an
 * IOVA maps its CPU address, as for RAM); every inner boundary page
 * aligned.  P2P memory the device reaches by bus address never goes into
 * an IOVA (upstream's dma_iova_link() takes RAM and host-bridge P2P
 * only; the caller gives the device the bus address instead).  Ranges
 * without a provider are checked to be RAM where the CPU is to touch
 * them: a non-coherent device's cache maintenance.
 */
static int dma_iova_link_physr_check(struct device *dev,
				     const struct physr_view *view)
{
	struct dma_ram_cache ram = DMA_RAM_CACHE_INIT;
	bool need_ram = !dev_is_dma_coherent(dev);
	bool first = true, end_aligned = true;
	struct physr_iter it;
	struct physr r;

	physr_view_for_each(view, &it, &r) {
		struct p2pdma_provider *p = physr_iter_provider(&it);

		if (!first && (!end_aligned || dma_page_off(r.addr)))
			return -EINVAL;
		first = false;
		end_aligned = !dma_page_off(r.addr + r.len);
		if (!p) {
			if (need_ram &&
			    !dma_phys_is_ram(&ram, r.addr, r.addr + r.len - 1))
				return -EINVAL;
			continue;
		}
		if (dma_p2p_check_range(dev, p, &r))
			return -EINVAL;
		if (p2pdma_provider_retired(p))
			return -ENODEV;
		switch (pci_p2pdma_map_type(p, dev)) {
		case PCI_P2PDMA_MAP_THRU_HOST_BRIDGE:
			break;
		case PCI_P2PDMA_MAP_BUS_ADDR:
			return -EINVAL;
		default:
			return -EREMOTEIO;
		}
	}
	return 0;
}

/**
 * __dma_iova_link_physr() - map a range list into an IOVA
 *	(dma_iova_link_physr())
 * @dev: the device
 * @state: from dma_iova_try_alloc()
 * @view: the ranges (a slice of a list), linked back to back; every
 *	boundary between two of them must be page aligned, and every one
 *	reached through the IOMMU: RAM, or P2P memory the device reaches
 *	through the host bridge
 * @offset: where the first byte goes, in bytes from @state->addr
 * @dir: DMA direction
 * @attrs: DMA_ATTR_SKIP_CPU_SYNC: no cache maintenance
 * @caller: the caller's return address, for the sanitizer
 *
 * dma_iova_link() for a whole view, in one batched page-table pass.  Its
 * first range follows dma_iova_link()'s rule for @phys.  The whole view
 * is checked before anything is linked.
 *
 * Return: as __dma_iova_link(); -EINVAL also for an inner boundary
 * inside a page, P2P memory the device reaches by bus address (which
 * never goes into an IOVA), or, on a non-coherent device, a range
 * without a provider that is not RAM; -EREMOTEIO for P2P memory the
 * device may not reach at all; -ENODEV for P2P memory of a removed
 * device (the IOVA API holds no provider: the caller keeps the device
 * referenced while linked).  On error nothing was linked.
 */
int __dma_iova_link_physr(struct device *dev, struct dma_iova_state *state,
			  const struct physr_view *view, size_t offset,
			  enum dma_data_direction dir, unsigned long attrs,
			  unsigned long caller)
{
	struct iommu_domain *domain;
	struct physr_iter it;
	struct physr first, r;
	dma_addr_t iova;
	int ret;

	might_sleep();
	if (!view || !physr_view_len(view))
		return -EINVAL;
	physr_iter_init_view(&it, view);
	if (!physr_iter_next(&it, &first))
		return -EINVAL;
	ret = dma_iova_link_check(dev, state, first.addr, offset,
				  physr_view_len(view), dir, attrs, &iova);
	if (ret)
		return ret;
	ret = dma_iova_link_physr_check(dev, view);
	if (ret)
		return ret;
	ret = dma_iova_domain(dev, state, caller, &domain);
	if (ret)
		return ret;
	/* Clean first, as dma_iova_link(): the PTEs are usable once written. */
	if (!dev_is_dma_coherent(dev) && !(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		physr_view_for_each(view, &it, &r)
			if (!physr_iter_provider(&it))
				arch_sync_dma_for_device(r.addr, r.len, dir);
	ret = __iommu_dma_iova_link_view(domain, iova, view,
					 iommu_dma_prot(dir));
	if (ret)
		return ret;
	atomic64_add(physr_view_len(view), &state->__linked);
	debug_dma_iova_link(dev, state, 0, view, offset, physr_view_len(view),
			    dir, caller);
	return 0;
}

/**
 * __dma_iova_sync() - make links visible to the device (dma_iova_sync())
 * @dev: the device
 * @state: the IOVA state
 * @offset: first byte linked since the last sync
 * @size: bytes
 * @caller: the caller's return address, for the sanitizer
 *
 * One IOTLB invalidation over the range, whatever the number of links in
 * it.
 *
 * Return: 0, or -EINVAL for a range outside the allocation.
 */
int __dma_iova_sync(struct device *dev, struct dma_iova_state *state,
		    size_t offset, size_t size,
		    unsigned long caller)
{
	struct iommu_domain *domain;
	u64 end;
	int ret;

	might_sleep();
	if (!dev || !state || !dma_use_iova(state) || !size ||
	    check_add_overflow((u64)offset, (u64)size, &end) ||
	    end > state->__size)
		return -EINVAL;
	ret = dma_iova_domain(dev, state, caller, &domain);
	if (ret)
		return ret;
	__iommu_dma_iova_sync(domain, state->addr + offset, size);
	return 0;
}

/* Cache maintenance for the CPU over linked IOVA, page by page. */
static void dma_iova_sync_for_cpu(struct iommu_domain *domain, dma_addr_t iova,
				  u64 size, enum dma_data_direction dir)
{
	while (size) {
		u64 n = min_t(u64, size, PAGE_SIZE - dma_page_off(iova));
		phys_addr_t phys = iommu_iova_to_phys(domain, iova);

		/* MMIO (host-bridge P2P) is uncached: RAM only. */
		if (phys && pfn_valid(PHYS_PFN(phys)))
			arch_sync_dma_for_cpu(phys, n, dir);
		iova += n;
		size -= n;
	}
}

/*
 * Unmap [offset, offset + size) of an IOVA state: one invalidation.
 * Return: false (with a WARN) if it was not all mapped: nothing changed.
 */
static bool dma_iova_unmap(struct device *dev, struct iommu_domain *domain,
			   struct dma_iova_state *state, u64 offset, u64 size,
			   enum dma_data_direction dir, unsigned long attrs)
{
	dma_addr_t iova = state->addr + offset;
	u64 pad = dma_page_off(iova);

	if (!dev_is_dma_coherent(dev) && !(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		dma_iova_sync_for_cpu(domain, iova, size, dir);
	return !WARN_ON(iommu_unmap(domain, iova - pad,
				    ALIGN(size + pad, PAGE_SIZE)));
}

/**
 * __dma_iova_unlink() - unmap part of an IOVA (dma_iova_unlink())
 * @dev: the device
 * @state: the IOVA state
 * @offset: start of what was linked
 * @size: its bytes: exactly what one or more links mapped
 * @dir: the links' direction
 * @attrs: DMA_ATTR_SKIP_CPU_SYNC: no cache maintenance
 * @caller: the caller's return address, for the sanitizer
 *
 * Hands the memory to the CPU (cache maintenance on a non-coherent
 * device), unmaps with one IOTLB invalidation, keeps the IOVA allocated.
 * The sanitizer reports an unlink that matches no links (and skips it).
 */
void __dma_iova_unlink(struct device *dev, struct dma_iova_state *state,
		       size_t offset, size_t size, enum dma_data_direction dir,
		       unsigned long attrs, unsigned long caller)
{
	struct iommu_domain *domain;
	u64 end;

	might_sleep();
	/*
	 * It returns nothing, so a caller bug is a WARN every time, not
	 * once per boot: the next one may be another driver's.
	 */
	if (WARN(!dev || !state || !dma_use_iova(state) || !size ||
		 check_add_overflow((u64)offset, (u64)size, &end) ||
		 end > (state ? state->__size : 0),
		 "dma_iova_unlink(%#zx, %#zx): no such IOVA or range",
		 offset, size))
		return;
	domain = state->__domain;
	if (WARN_ON(!domain))
		return;
	if (!debug_dma_iova_unlink(dev, state, offset, size, dir, caller))
		return;
	if (dma_iova_unmap(dev, domain, state, offset, size, dir, attrs))
		atomic64_sub(size, &state->__linked);
}

/**
 * __dma_iova_free() - give the IOVA of a state back (dma_iova_free())
 * @dev: the device
 * @state: the IOVA state; everything linked must have been unlinked
 * @caller: the caller's return address, for the sanitizer
 *
 * Links still live are misuse: reported (a WARN, and by the sanitizer),
 * and unmapped before the IOVA is freed, so freed IOVA never translates.
 * The state is empty afterwards.
 */
void __dma_iova_free(struct device *dev, struct dma_iova_state *state,
		     unsigned long caller)
{
	struct iommu_domain *domain;

	might_sleep();
	if (!dev || !state || !dma_use_iova(state))
		return;
	domain = state->__domain;
	if (WARN_ON(!domain))
		return;
	debug_dma_iova_free(dev, state, 0, false, caller);
	if (unlikely(atomic64_read(&state->__linked)))
		dma_iova_misuse_cleanup(dev, state, "free");
	__iommu_dma_iova_destroy(state, 0);
}

/**
 * __dma_iova_destroy() - unlink everything and free (dma_iova_destroy())
 * @dev: the device
 * @state: the IOVA state
 * @mapped_len: bytes linked from offset 0, without holes (0: nothing)
 * @dir: the links' direction
 * @attrs: DMA_ATTR_SKIP_CPU_SYNC: no cache maintenance
 * @caller: the caller's return address, for the sanitizer
 *
 * One unmap and one invalidation for [0, @mapped_len), then the IOVA is
 * freed.  A @mapped_len that is not what was linked (short of it, or over
 * a hole) is misuse: reported (a WARN, and by the sanitizer), and what
 * is still mapped anywhere in the IOVA is unmapped before it is freed.
 */
void __dma_iova_destroy(struct device *dev, struct dma_iova_state *state,
			size_t mapped_len, enum dma_data_direction dir,
			unsigned long attrs, unsigned long caller)
{
	struct iommu_domain *domain;

	might_sleep();
	if (!dev || !state || !dma_use_iova(state))
		return;
	domain = state->__domain;
	if (WARN_ON(!domain))
		return;
	/* The sanitizer sees the length the caller gave, beyond or not. */
	debug_dma_iova_free(dev, state, mapped_len, true, caller);
	if (mapped_len > state->__size)
		mapped_len = state->__size;
	if (mapped_len && !dev_is_dma_coherent(dev) &&
	    !(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		dma_iova_sync_for_cpu(domain, state->addr, mapped_len, dir);
	/*
	 * The one unmap, all or nothing: it fails on a hole in what the
	 * caller says it linked, and leaves out what lies beyond.
	 */
	if (mapped_len && (u64)atomic64_read(&state->__linked) == mapped_len &&
	    !iommu_unmap(domain, ALIGN_DOWN(state->addr, PAGE_SIZE),
			 ALIGN(dma_page_off(state->addr) + mapped_len,
			       PAGE_SIZE)))
		atomic64_set(&state->__linked, 0);
	if (unlikely(atomic64_read(&state->__linked)))
		dma_iova_misuse_cleanup(dev, state, "destroy");
	__iommu_dma_iova_destroy(state, 0);
}
