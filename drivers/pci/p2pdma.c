// SPDX-License-Identifier: GPL-2.0
/*
 * PCI peer-to-peer DMA: the providers of BAR memory, their lifetime, and
 * how far a client is from one.  <linux/pci-p2pdma.h> says what the map
 * types mean and what the lifetime rules are.
 *
 * Providers.  A device's P2P state, struct pci_p2pdma, is made on the
 * first pcim_p2pdma_provider() of any of its BARs: one allocation holding
 * a provider for each implemented memory BAR, covering the whole BAR (as
 * upstream's pcim_p2pdma_init() makes them, in the direction of 6.19).
 * It is installed under pci_p2pdma_install_lock, which also orders it
 * against removal: a device that is no longer added never gets one, so
 * pci_p2pdma_remove() sees every state there will be.  Readers find it
 * with one acquire load.
 *
 * Lifetime.  The state lives as long as the struct pci_dev (it is freed
 * by pci_p2pdma_release() at the last pci_dev_put()).  A DMA mapping of a
 * provider's memory takes p2pdma_provider_get(): a reference on the
 * owner and one on the provider's mapping count, whose top bit
 * (P2PDMA_RETIRED) says the device was removed.  Removal sets that bit
 * with one atomic OR, so it reads exactly the mappings that got in before
 * it (and reports them), and every later get sees the bit and fails.
 * Map types stay the topology's, also for a removed provider or client
 * (dev_is_pci() is a type test, and the struct's upstream pointers live
 * as long as it does): a map in progress asks more than once and must get
 * the same answer each time.  The struct pages of pci_p2pdma_add_resource() go at removal, as
 * upstream's go when the driver unbinds.
 *
 * Distance.  Walk up from provider and client to their lowest common
 * upstream device (a switch upstream port, the port above two functions of
 * one device, or the device itself).  If there is one and no device on
 * either way up to it, the two ends included, has a redirecting ACS
 * control on (Request Redirect, Completion Redirect, Egress Control),
 * requests are routed below it: bus address.  The common device's own
 * controls do not matter: traffic between its children does not pass
 * through its ingress logic.  Otherwise the traffic crosses the root
 * complex, which the kernel trusts only for host bridges on its
 * allowlist (the firmware cannot tell us; upstream keys its list by PCI
 * IDs of known-good root complexes, and so do we), and never between two
 * host bridges.
 *
 * Cache.  The answer is fixed for a (provider, client) pair until the
 * allowlist changes, so each provider keeps a small cache of answers: P2PDMA_MAP_CACHE_ENTRIES entries, replaced round
 * robin, under a spinlock, each tagged with the topology generation it
 * was computed in.  Changing the allowlist bumps the generation, which
 * turns every cached answer stale at once; so does removing a device, not
 * because its answers change but because its struct, once freed, could
 * be reused by a new device at the same address.  The cache never allocates, so pci_p2pdma_map_type()
 * cannot fail.  The provider counts lookups and computations
 * (p2pdma_provider_get_stats()), so that the caching can be seen to work.
 *
 * Struct pages.  Providers are struct-page-free: range lists carry them
 * instead.  pci_p2pdma_add_resource() gives a piece of a BAR a ZONE_DEVICE
 * pagemap of type MEMORY_DEVICE_PCI_P2PDMA (memremap_pages()), in a
 * struct pci_p2pdma_pagemap that names the BAR's provider, so that a page
 * finds it (pci_p2pdma_page_provider(), <linux/p2pdma_provider.h>).
 */
#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/pci-p2pdma.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <asm/page.h>

/* P2PDMA pagemaps live, and the PFNs they span: <linux/p2pdma_provider.h>. */
DEFINE_STATIC_KEY_FALSE(pci_p2pdma_pages_key);
struct pci_p2pdma_pfn_span pci_p2pdma_span;
static DEFINE_MUTEX(pci_p2pdma_span_lock);
static unsigned long pci_p2pdma_nr_pagemaps;	/* under the span lock */

/*
 * A pagemap of [@start, @end) PFNs comes: widen the span before the key
 * says pages exist.  Readers test the key first, so a span read while
 * it changes only ever errs towards reading the struct page.
 */
static void pci_p2pdma_span_add(unsigned long start, unsigned long end)
{
	mutex_lock(&pci_p2pdma_span_lock);
	if (!pci_p2pdma_nr_pagemaps++ || start < pci_p2pdma_span.lo)
		WRITE_ONCE(pci_p2pdma_span.lo, start);
	if (pci_p2pdma_nr_pagemaps == 1 || end > pci_p2pdma_span.hi)
		WRITE_ONCE(pci_p2pdma_span.hi, end);
	static_branch_inc(&pci_p2pdma_pages_key);
	mutex_unlock(&pci_p2pdma_span_lock);
}

/* A pagemap went; the last one empties the span. */
static void pci_p2pdma_span_del(void)
{
	mutex_lock(&pci_p2pdma_span_lock);
	static_branch_dec(&pci_p2pdma_pages_key);
	if (!--pci_p2pdma_nr_pagemaps) {
		WRITE_ONCE(pci_p2pdma_span.lo, 0);
		WRITE_ONCE(pci_p2pdma_span.hi, 0);
	}
	mutex_unlock(&pci_p2pdma_span_lock);
}

#define P2PDMA_MAP_CACHE_ENTRIES	16
#define P2PDMA_ALLOWLIST_ENTRIES	8

/* In a provider's mapping count: its device was removed. */
#define P2PDMA_RETIRED			(1 << 30)

/* The host bridge of physr's simulated machines. */
#define PCI_VENDOR_ID_PHYSR		0x5ca1
#define PCI_DEVICE_ID_PHYSR_HOST	0x0100

/**
 * struct p2pdma_map_cache_entry - one cached answer
 * @client: the client device; NULL for a free entry
 * @gen: topology generation the answer was computed in
 * @type: the answer
 */
struct p2pdma_map_cache_entry {
	const struct device *client;
	int gen;
	enum pci_p2pdma_map_type type;
};

/**
 * struct p2pdma_provider_priv - a BAR's provider and its private state
 * @pub: what users see
 * @maps: live DMA mappings (p2pdma_provider_get()), | P2PDMA_RETIRED once
 *	the device is removed
 * @maps_at_removal: the mappings removal found live (and reported)
 * @lock: protects @next, @cache and @stats
 * @next: the entry to replace when the cache is full
 * @stats: lookups and computations of map types
 * @cache: cached map types by client
 */
struct p2pdma_provider_priv {
	struct p2pdma_provider pub;
	atomic_t maps;
	unsigned int maps_at_removal;
	spinlock_t lock;
	unsigned int next;
	struct p2pdma_provider_stats stats;
	struct p2pdma_map_cache_entry cache[P2PDMA_MAP_CACHE_ENTRIES];
};

/**
 * struct pci_p2pdma - a device's P2P state (pdev->p2pdma)
 * @lock: protects @retired and @pagemaps
 * @retired: the device was removed: no more pages
 * @pagemaps: struct pci_p2pdma_piece of pci_p2pdma_add_resource()
 * @mem: one provider per BAR; valid where the BAR is memory
 */
struct pci_p2pdma {
	struct mutex lock;
	bool retired;
	struct list_head pagemaps;
	struct p2pdma_provider_priv mem[PCI_STD_NUM_BARS];
};

/* Struct pages for a piece of a BAR, on its device's list of pieces. */
struct pci_p2pdma_piece {
	struct pci_p2pdma_pagemap pm;
	struct list_head node;
};

struct p2pdma_allowed_host {
	u16 vendor;
	u16 device;
};

static DEFINE_MUTEX(pci_p2pdma_install_lock);
static DEFINE_SPINLOCK(p2pdma_allowlist_lock);
static unsigned int p2pdma_allowlist_len = 1;
static struct p2pdma_allowed_host p2pdma_allowlist[P2PDMA_ALLOWLIST_ENTRIES] = {
	{ PCI_VENDOR_ID_PHYSR, PCI_DEVICE_ID_PHYSR_HOST },
};
static atomic_t p2pdma_topology_gen = ATOMIC_INIT(0);

static struct p2pdma_provider_priv *to_priv(struct p2pdma_provider *provider)
{
	return container_of(provider, struct p2pdma_provider_priv, pub);
}

static bool pci_p2pdma_bar_is_mem(struct pci_dev *pdev, int bar)
{
	return bar >= 0 && bar < PCI_STD_NUM_BARS &&
	       (pci_resource_flags(pdev, bar) & IORESOURCE_MEM) &&
	       pci_resource_len(pdev, bar);
}

static struct pci_p2pdma *pci_p2pdma_alloc(struct pci_dev *pdev)
{
	struct pci_p2pdma *p2p;
	int bar;

	p2p = kzalloc(sizeof(*p2p), GFP_KERNEL);
	if (!p2p)
		return NULL;
	mutex_init(&p2p->lock);
	INIT_LIST_HEAD(&p2p->pagemaps);
	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		struct p2pdma_provider_priv *p = &p2p->mem[bar];

		spin_lock_init(&p->lock);
		if (!pci_p2pdma_bar_is_mem(pdev, bar))
			continue;
		p->pub.owner = pdev;
		p->pub.bar = bar;
		p->pub.base = pci_resource_start(pdev, bar);
		p->pub.size = pci_resource_len(pdev, bar);
		p->pub.bus_offset = pci_resource_start(pdev, bar) -
				    pci_bus_address(pdev, bar);
	}
	return p2p;
}

static void pci_p2pdma_free(struct pci_p2pdma *p2p)
{
	mutex_destroy(&p2p->lock);
	kfree(p2p);
}

/* @pdev's P2P state, made now if it has none; ERR_PTR() if it cannot. */
static struct pci_p2pdma *pci_p2pdma_setup(struct pci_dev *pdev)
{
	struct pci_p2pdma *p2p, *new;

	p2p = smp_load_acquire(&pdev->p2pdma);
	if (p2p)
		return p2p;
	new = pci_p2pdma_alloc(pdev);
	if (!new)
		return ERR_PTR(-ENOMEM);
	mutex_lock(&pci_p2pdma_install_lock);
	p2p = pdev->p2pdma;
	if (!p2p && !pci_dev_is_added(pdev))
		p2p = ERR_PTR(-ENODEV);
	else if (!p2p)
		smp_store_release(&pdev->p2pdma, new);
	mutex_unlock(&pci_p2pdma_install_lock);
	if (p2p) {
		/* Another first user won, or the device is gone. */
		pci_p2pdma_free(new);
		return p2p;
	}
	return new;
}

/**
 * pcim_p2pdma_provider() - the P2P provider of a BAR
 * @pdev: the device; the caller holds a reference
 * @bar: BAR index
 *
 * The provider covers the whole BAR and is the same object on every call
 * for that BAR; the first call for any BAR of the device makes the
 * providers of all its BARs (thread-safe: concurrent first calls agree).
 * It is valid for as long as the caller's reference on @pdev: a removed
 * device's providers are retired (new mappings fail) but stay valid
 * structs until the device is freed.  Upstream returns NULL for every
 * error; ours can fail to allocate, so it says why with an ERR_PTR.
 *
 * Return: the provider; ERR_PTR(-EINVAL) for a NULL device, a BAR index
 * out of range, or a BAR that is not implemented or not memory;
 * ERR_PTR(-ENODEV) if @pdev was removed; ERR_PTR(-ENOMEM).
 */
struct p2pdma_provider *pcim_p2pdma_provider(struct pci_dev *pdev, int bar)
{
	struct pci_p2pdma *p2p;

	if (!pdev || !pci_p2pdma_bar_is_mem(pdev, bar))
		return ERR_PTR(-EINVAL);
	if (!pci_dev_is_added(pdev))
		return ERR_PTR(-ENODEV);
	p2p = pci_p2pdma_setup(pdev);
	if (IS_ERR(p2p))
		return ERR_CAST(p2p);
	return &p2p->mem[bar].pub;
}
EXPORT_SYMBOL_GPL(pcim_p2pdma_provider);

/**
 * pci_p2pdma_add_resource() - give a piece of a BAR struct pages
 * @pdev: the device; the caller holds a reference
 * @bar: BAR index
 * @size: bytes; 0 for the rest of the BAR from @offset
 * @offset: where the piece starts in the BAR
 *
 * As upstream's: the piece gets a ZONE_DEVICE memmap
 * (MEMORY_DEVICE_PCI_P2PDMA), for code that insists on struct pages:
 * pfn_to_page() works on its PFNs, is_pci_p2pdma_page() is true for
 * them and pci_p2pdma_page_provider() returns the BAR's provider
 * (pcim_p2pdma_provider()).  The memmap costs 64 bytes per 4 KiB, written
 * now.  Struct pages come in whole 2 MiB subsections, so the piece's CPU
 * physical address and size must be 2 MiB aligned, and a page belongs to
 * one piece only.  The pages live until the device is removed; nobody
 * may use them afterwards.
 *
 * Return: 0; -EINVAL as pcim_p2pdma_provider(), or for a piece not
 * inside the BAR or not 2 MiB aligned; -EBUSY if part of it has struct
 * pages already; -ENODEV if @pdev was removed; -ENOMEM.
 */
int pci_p2pdma_add_resource(struct pci_dev *pdev, int bar, size_t size,
			    u64 offset)
{
	struct p2pdma_provider *provider;
	struct pci_p2pdma_piece *piece;
	struct pci_p2pdma *p2p;
	u64 end;
	int ret;

	provider = pcim_p2pdma_provider(pdev, bar);
	if (IS_ERR(provider))
		return PTR_ERR(provider);
	if (!size && offset < provider->size)
		size = provider->size - offset;
	if (!size || check_add_overflow(offset, (u64)size, &end) ||
	    end > provider->size)
		return -EINVAL;

	piece = kzalloc(sizeof(*piece), GFP_KERNEL);
	if (!piece)
		return -ENOMEM;
	piece->pm.pgmap.start = provider->base + offset;
	piece->pm.pgmap.size = size;
	piece->pm.pgmap.type = MEMORY_DEVICE_PCI_P2PDMA;
	piece->pm.mem = provider;

	p2p = pdev->p2pdma;
	mutex_lock(&p2p->lock);
	/* Before the pages exist: no reader may skip them. */
	pci_p2pdma_span_add(PHYS_PFN(piece->pm.pgmap.start),
			    PHYS_PFN(piece->pm.pgmap.start + size));
	ret = p2p->retired ? -ENODEV : memremap_pages(&piece->pm.pgmap);
	if (!ret)
		list_add_tail(&piece->node, &p2p->pagemaps);
	else
		pci_p2pdma_span_del();
	mutex_unlock(&p2p->lock);
	if (ret)
		kfree(piece);
	return ret;
}
EXPORT_SYMBOL_GPL(pci_p2pdma_add_resource);

/**
 * p2pdma_provider_get() - hold a provider for a DMA mapping of its memory
 * @provider: the provider; valid (the caller holds its device, directly
 *	or through the range list's builder)
 *
 * The DMA API takes one per run of the provider's ranges in a list it
 * maps, and drops it at unmap.  It keeps the provider and its device's
 * struct alive, and is what removal counts and reports.
 *
 * Return: 0, or -ENODEV if the device was removed (nothing is held then).
 */
int p2pdma_provider_get(struct p2pdma_provider *provider)
{
	struct p2pdma_provider_priv *p = to_priv(provider);

	if (atomic_fetch_inc(&p->maps) & P2PDMA_RETIRED) {
		atomic_dec(&p->maps);
		return -ENODEV;
	}
	pci_dev_get(provider->owner);
	return 0;
}
EXPORT_SYMBOL_GPL(p2pdma_provider_get);

/**
 * p2pdma_provider_put() - let go of what p2pdma_provider_get() held
 * @provider: the provider
 *
 * The last put of a removed device frees it, and its providers.
 */
void p2pdma_provider_put(struct p2pdma_provider *provider)
{
	struct pci_dev *owner = provider->owner;

	atomic_dec(&to_priv(provider)->maps);
	pci_dev_put(owner);
}
EXPORT_SYMBOL_GPL(p2pdma_provider_put);

/**
 * p2pdma_provider_retired() - was a provider's device removed?
 * @provider: the provider
 *
 * For code that maps a provider's memory without holding it (the IOVA
 * API checks before it links); the DMA API's mappings learn it from
 * p2pdma_provider_get().
 *
 * Return: true once pci_stop_and_remove_bus_device() retired it.
 */
bool p2pdma_provider_retired(struct p2pdma_provider *provider)
{
	return atomic_read(&to_priv(provider)->maps) & P2PDMA_RETIRED;
}
EXPORT_SYMBOL_GPL(p2pdma_provider_retired);

/* Retire one BAR's provider; report the mappings it still has. */
static void p2pdma_provider_retire(struct pci_dev *pdev,
				   struct p2pdma_provider_priv *p)
{
	unsigned int live;

	live = atomic_fetch_or(P2PDMA_RETIRED, &p->maps) & ~P2PDMA_RETIRED;
	p->maps_at_removal = live;
	if (live)
		pr_warn("p2pdma: %s removed while BAR%d is mapped for DMA (%u mapping%s); they keep its provider until they are unmapped\n",
			dev_name(&pdev->dev), p->pub.bar, live,
			live == 1 ? "" : "s");
}

/**
 * pci_p2pdma_remove() - retire a device's providers (drivers/pci only)
 * @pdev: a device being removed, no longer added
 *
 * Called by pci_stop_and_remove_bus_device().  Every provider of the
 * device is retired: pcim_p2pdma_provider() and p2pdma_provider_get()
 * fail from now on (p2pdma_provider_retired()), and the DMA mappings
 * still live are reported (they keep the structs until unmapped).  The
 * struct pages of pci_p2pdma_add_resource() go, and every cached map type
 * turns stale (recomputed to the same answer while the struct lives).
 */
void pci_p2pdma_remove(struct pci_dev *pdev)
{
	struct pci_p2pdma_piece *piece, *tmp;
	struct pci_p2pdma *p2p;
	LIST_HEAD(pagemaps);
	int bar;

	atomic_inc(&p2pdma_topology_gen);
	mutex_lock(&pci_p2pdma_install_lock);
	p2p = pdev->p2pdma;
	mutex_unlock(&pci_p2pdma_install_lock);
	if (!p2p)
		return;
	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++)
		if (p2p->mem[bar].pub.owner)
			p2pdma_provider_retire(pdev, &p2p->mem[bar]);

	mutex_lock(&p2p->lock);
	p2p->retired = true;
	list_splice_init(&p2p->pagemaps, &pagemaps);
	mutex_unlock(&p2p->lock);
	list_for_each_entry_safe(piece, tmp, &pagemaps, node) {
		memunmap_pages(&piece->pm.pgmap);
		pci_p2pdma_span_del();
		kfree(piece);
	}
}

/**
 * pci_p2pdma_release() - free a device's P2P state (drivers/pci only)
 * @pdev: a device whose last reference is gone
 *
 * Called when the struct pci_dev is freed; every mapping is gone (each
 * held a reference).
 */
void pci_p2pdma_release(struct pci_dev *pdev)
{
	struct pci_p2pdma *p2p = pdev->p2pdma;

	if (!p2p)
		return;
	WARN_ON(!list_empty(&p2p->pagemaps));
	pdev->p2pdma = NULL;
	pci_p2pdma_free(p2p);
}

/**
 * p2pdma_provider_get_stats() - how a provider's map-type cache fared,
 *	and its mappings
 * @provider: the provider
 * @stats: filled in
 */
void p2pdma_provider_get_stats(struct p2pdma_provider *provider,
			       struct p2pdma_provider_stats *stats)
{
	struct p2pdma_provider_priv *p = to_priv(provider);
	int maps = atomic_read(&p->maps);

	spin_lock(&p->lock);
	*stats = p->stats;
	spin_unlock(&p->lock);
	stats->mappings = maps & ~P2PDMA_RETIRED;
	stats->retired = maps & P2PDMA_RETIRED;
	stats->mappings_at_removal = READ_ONCE(p->maps_at_removal);
}
EXPORT_SYMBOL_GPL(p2pdma_provider_get_stats);

/**
 * pci_p2pdma_host_bridge_allowed() - does the kernel trust a host bridge
 *	to forward P2P between its root ports?
 * @host: the host bridge
 *
 * Return: true if its vendor and device IDs are on the allowlist.
 */
bool pci_p2pdma_host_bridge_allowed(const struct pci_host_bridge *host)
{
	bool allowed = false;
	unsigned int i;

	spin_lock(&p2pdma_allowlist_lock);
	for (i = 0; i < p2pdma_allowlist_len && !allowed; i++)
		allowed = p2pdma_allowlist[i].vendor == host->vendor &&
			  p2pdma_allowlist[i].device == host->device;
	spin_unlock(&p2pdma_allowlist_lock);
	return allowed;
}

/**
 * pci_p2pdma_allowlist_add() - trust a host bridge model to forward P2P
 * @vendor: its PCI vendor ID
 * @device: its PCI device ID
 *
 * Invalidates every cached map type.
 *
 * Return: 0; -EEXIST if it is on the list; -ENOSPC if the list is full.
 */
int pci_p2pdma_allowlist_add(u16 vendor, u16 device)
{
	unsigned int i;
	int ret = 0;

	spin_lock(&p2pdma_allowlist_lock);
	for (i = 0; i < p2pdma_allowlist_len; i++) {
		if (p2pdma_allowlist[i].vendor == vendor &&
		    p2pdma_allowlist[i].device == device) {
			ret = -EEXIST;
			goto out_unlock;
		}
	}
	if (p2pdma_allowlist_len == P2PDMA_ALLOWLIST_ENTRIES) {
		ret = -ENOSPC;
		goto out_unlock;
	}
	p2pdma_allowlist[p2pdma_allowlist_len].vendor = vendor;
	p2pdma_allowlist[p2pdma_allowlist_len].device = device;
	p2pdma_allowlist_len++;
	atomic_inc(&p2pdma_topology_gen);
out_unlock:
	spin_unlock(&p2pdma_allowlist_lock);
	return ret;
}

/**
 * pci_p2pdma_allowlist_remove() - stop trusting a host bridge model
 * @vendor: its PCI vendor ID
 * @device: its PCI device ID
 *
 * Invalidates every cached map type.  Mappings made through such host
 * bridges earlier are their owners' business.
 *
 * Return: 0, or -ENOENT if it is not on the list.
 */
int pci_p2pdma_allowlist_remove(u16 vendor, u16 device)
{
	unsigned int i;
	int ret = -ENOENT;

	spin_lock(&p2pdma_allowlist_lock);
	for (i = 0; i < p2pdma_allowlist_len; i++) {
		if (p2pdma_allowlist[i].vendor != vendor ||
		    p2pdma_allowlist[i].device != device)
			continue;
		p2pdma_allowlist[i] = p2pdma_allowlist[--p2pdma_allowlist_len];
		atomic_inc(&p2pdma_topology_gen);
		ret = 0;
		break;
	}
	spin_unlock(&p2pdma_allowlist_lock);
	return ret;
}

/* The lowest device that is, or is above, both @a and @b; NULL if none. */
static struct pci_dev *pci_p2pdma_common_upstream(struct pci_dev *a,
						  struct pci_dev *b)
{
	struct pci_dev *x, *y;

	for (x = a; x; x = pci_upstream_bridge(x))
		for (y = b; y; y = pci_upstream_bridge(y))
			if (x == y)
				return x;
	return NULL;
}

/* Does a device from @pdev up to, not including, @top redirect P2P? */
static bool pci_p2pdma_path_redirects(struct pci_dev *pdev,
				      struct pci_dev *top)
{
	for (; pdev != top; pdev = pci_upstream_bridge(pdev))
		if (pdev->acs_ctrl & (PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_EC))
			return true;
	return false;
}

static enum pci_p2pdma_map_type pci_p2pdma_calc(struct pci_dev *provider,
						struct device *dev)
{
	struct pci_dev *client, *common;

	if (!dev_is_pci(dev))
		return PCI_P2PDMA_MAP_NOT_SUPPORTED;
	client = to_pci_dev(dev);

	common = pci_p2pdma_common_upstream(provider, client);
	if (common && !pci_p2pdma_path_redirects(provider, common) &&
	    !pci_p2pdma_path_redirects(client, common))
		return PCI_P2PDMA_MAP_BUS_ADDR;
	if (provider->host == client->host &&
	    pci_p2pdma_host_bridge_allowed(provider->host))
		return PCI_P2PDMA_MAP_THRU_HOST_BRIDGE;
	return PCI_P2PDMA_MAP_NOT_SUPPORTED;
}

static enum pci_p2pdma_map_type
p2pdma_cache_lookup(struct p2pdma_provider_priv *p, const struct device *dev,
		    int gen)
{
	enum pci_p2pdma_map_type type = PCI_P2PDMA_MAP_UNKNOWN;
	unsigned int i;

	spin_lock(&p->lock);
	p->stats.lookups++;
	for (i = 0; i < P2PDMA_MAP_CACHE_ENTRIES; i++) {
		if (p->cache[i].client != dev)
			continue;
		if (p->cache[i].gen == gen)
			type = p->cache[i].type;
		break;
	}
	spin_unlock(&p->lock);
	return type;
}

static void p2pdma_cache_store(struct p2pdma_provider_priv *p,
			       const struct device *dev, int gen,
			       enum pci_p2pdma_map_type type)
{
	struct p2pdma_map_cache_entry *e = NULL;
	unsigned int i;

	spin_lock(&p->lock);
	/* Every computed answer is stored: count it here, under the lock. */
	p->stats.calcs++;
	for (i = 0; i < P2PDMA_MAP_CACHE_ENTRIES && !e; i++)
		if (p->cache[i].client == dev || !p->cache[i].client)
			e = &p->cache[i];
	if (!e) {
		e = &p->cache[p->next];
		p->next = (p->next + 1) % P2PDMA_MAP_CACHE_ENTRIES;
	}
	e->client = dev;
	e->gen = gen;
	e->type = type;
	spin_unlock(&p->lock);
}

/**
 * pci_p2pdma_map_type() - how a device reaches a provider's memory
 * @provider: the provider
 * @dev: the client device
 *
 * See <linux/pci-p2pdma.h>.  Computed from the topology once per
 * (provider, client) and cached until the allowlist or the set of
 * devices changes or the entry is evicted; thread-safe.
 *
 * The answer is the topology's, also for a provider or a client whose
 * device was removed: a mapping being made holds the provider and asks again in a
 * later pass, and must get the same answer.  Whether the memory may
 * still be mapped is p2pdma_provider_get()'s question (and
 * p2pdma_provider_retired()'s).
 *
 * Return: PCI_P2PDMA_MAP_BUS_ADDR, PCI_P2PDMA_MAP_THRU_HOST_BRIDGE or
 * PCI_P2PDMA_MAP_NOT_SUPPORTED; a removed client gets the same answer
 * as before its removal.  Takes only spinlocks: atomic context may ask.
 */
enum pci_p2pdma_map_type pci_p2pdma_map_type(struct p2pdma_provider *provider,
					     struct device *dev)
{
	struct p2pdma_provider_priv *p = to_priv(provider);
	int gen = atomic_read_acquire(&p2pdma_topology_gen);
	enum pci_p2pdma_map_type type;

	type = p2pdma_cache_lookup(p, dev, gen);
	if (type != PCI_P2PDMA_MAP_UNKNOWN)
		return type;
	type = pci_p2pdma_calc(provider->owner, dev);
	p2pdma_cache_store(p, dev, gen, type);
	return type;
}

/**
 * pci_p2pdma_map_type_name() - a map type for messages
 * @type: the map type
 *
 * Return: "bus-addr", "thru-host-bridge", "not-supported" or "unknown".
 */
const char *pci_p2pdma_map_type_name(enum pci_p2pdma_map_type type)
{
	switch (type) {
	case PCI_P2PDMA_MAP_BUS_ADDR:
		return "bus-addr";
	case PCI_P2PDMA_MAP_THRU_HOST_BRIDGE:
		return "thru-host-bridge";
	case PCI_P2PDMA_MAP_NOT_SUPPORTED:
		return "not-supported";
	default:
		return "unknown";
	}
}
