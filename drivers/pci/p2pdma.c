// SPDX-License-Identifier: GPL-2.0
/*
 * PCI peer-to-peer DMA: providers of BAR memory and how far a client is
 * from one.  <linux/pci-p2pdma.h> says what the map types mean.
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
 * allowlist changes, so each provider keeps a small cache of answers:
 * P2PDMA_MAP_CACHE_ENTRIES entries, replaced round robin, under a
 * spinlock, each tagged with the allowlist generation it was computed in.
 * Changing the allowlist bumps the generation, which turns every cached
 * answer stale at once.  The cache never allocates, so
 * pci_p2pdma_map_type() cannot fail.  The provider counts lookups and
 * computations (p2pdma_provider_get_stats()), so that the caching can be
 * seen to work.
 *
 * Struct pages.  A provider is struct-page-free unless made with
 * p2pdma_provider_create_with_pages(), which does what upstream's
 * pci_p2pdma_add_resource() does: a ZONE_DEVICE pagemap of type
 * MEMORY_DEVICE_PCI_P2PDMA over the piece (memremap_pages()), embedded in
 * the provider so that a page finds its provider
 * (pci_p2pdma_page_provider()).  The pages are for code that insists on
 * struct pages; range lists do not need them.
 */
#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/pci-p2pdma.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <asm/page.h>

#define P2PDMA_MAP_CACHE_ENTRIES	16
#define P2PDMA_ALLOWLIST_ENTRIES	8

/* The host bridge of physr's simulated machines. */
#define PCI_VENDOR_ID_PHYSR		0x5ca1
#define PCI_DEVICE_ID_PHYSR_HOST	0x0100

/**
 * struct p2pdma_map_cache_entry - one cached answer
 * @client: the client device; NULL for a free entry
 * @gen: allowlist generation the answer was computed in
 * @type: the answer
 */
struct p2pdma_map_cache_entry {
	const struct device *client;
	int gen;
	enum pci_p2pdma_map_type type;
};

/**
 * struct p2pdma_provider_priv - a provider and its private state
 * @pub: what users see
 * @pgmap: the struct pages of the memory, if @pub.has_pages
 * @lock: protects @next, @cache and @stats
 * @next: the entry to replace when the cache is full
 * @stats: lookups and computations of map types
 * @cache: cached map types by client
 */
struct p2pdma_provider_priv {
	struct p2pdma_provider pub;
	struct dev_pagemap pgmap;
	spinlock_t lock;
	unsigned int next;
	struct p2pdma_provider_stats stats;
	struct p2pdma_map_cache_entry cache[P2PDMA_MAP_CACHE_ENTRIES];
};

struct p2pdma_allowed_host {
	u16 vendor;
	u16 device;
};

static DEFINE_SPINLOCK(p2pdma_allowlist_lock);
static unsigned int p2pdma_allowlist_len = 1;
static struct p2pdma_allowed_host p2pdma_allowlist[P2PDMA_ALLOWLIST_ENTRIES] = {
	{ PCI_VENDOR_ID_PHYSR, PCI_DEVICE_ID_PHYSR_HOST },
};
static atomic_t p2pdma_allowlist_gen = ATOMIC_INIT(0);

static struct p2pdma_provider_priv *to_priv(struct p2pdma_provider *provider)
{
	return container_of(provider, struct p2pdma_provider_priv, pub);
}

/* Check a piece of a BAR and make a provider for it, without pages. */
static struct p2pdma_provider_priv *
p2pdma_provider_alloc(struct pci_dev *pdev, int bar, u64 offset, u64 size)
{
	struct p2pdma_provider_priv *p;
	u64 bar_len, end;

	if (!pdev || bar < 0 || bar >= PCI_STD_NUM_BARS)
		return ERR_PTR(-EINVAL);
	bar_len = pci_resource_len(pdev, bar);
	if (!size)
		size = bar_len > offset ? bar_len - offset : 0;
	if (!bar_len || !size || !PAGE_ALIGNED(offset) || !PAGE_ALIGNED(size) ||
	    check_add_overflow(offset, size, &end) || end > bar_len)
		return ERR_PTR(-EINVAL);

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return ERR_PTR(-ENOMEM);
	spin_lock_init(&p->lock);
	p->pub.owner = pdev;
	p->pub.bar = bar;
	p->pub.base = pci_resource_start(pdev, bar) + offset;
	p->pub.size = size;
	p->pub.bus_offset = pci_resource_start(pdev, bar) -
			    pci_bus_address(pdev, bar);
	p->pub.has_pages = false;
	return p;
}

/**
 * p2pdma_provider_create() - offer part of a BAR as P2P memory
 * @pdev: the device
 * @bar: BAR index
 * @offset: where the piece starts in the BAR; page aligned
 * @size: its length; page aligned; 0 for the rest of the BAR
 *
 * The provider has no struct pages: range lists carry it instead.  Any
 * number of such providers may cover the same memory.  Destroy it before
 * pci_exit().
 *
 * Return: the provider, ERR_PTR(-EINVAL) if the BAR is not implemented or
 * the piece is not inside it, or ERR_PTR(-ENOMEM).
 */
struct p2pdma_provider *p2pdma_provider_create(struct pci_dev *pdev, int bar,
					       u64 offset, u64 size)
{
	struct p2pdma_provider_priv *p;

	p = p2pdma_provider_alloc(pdev, bar, offset, size);
	if (IS_ERR(p))
		return ERR_CAST(p);
	return &p->pub;
}

/**
 * p2pdma_provider_create_with_pages() - offer part of a BAR as P2P memory
 *	with struct pages
 * @pdev: the device
 * @bar: BAR index
 * @offset: where the piece starts in the BAR
 * @size: its length; 0 for the rest of the BAR
 *
 * Like p2pdma_provider_create(), and the piece gets a struct page per
 * page, as upstream's pci_p2pdma_add_resource() gives it: pfn_to_page()
 * works on its PFNs, is_pci_p2pdma_page() is true for those pages and
 * pci_p2pdma_page_provider() returns this provider.  The memmap costs 64
 * bytes per 4 KiB of BAR, written now.  Struct pages come in whole 2 MiB
 * subsections, so the piece's CPU physical address and size must be 2 MiB
 * aligned, and a page belongs to one provider only.  Destroy it before
 * pci_exit(); that frees the pages.
 *
 * Return: the provider; ERR_PTR(-EINVAL) as p2pdma_provider_create(), or
 * if the piece is not 2 MiB aligned; ERR_PTR(-EBUSY) if part of it has
 * struct pages already (another provider with pages); ERR_PTR(-ENOMEM).
 */
struct p2pdma_provider *
p2pdma_provider_create_with_pages(struct pci_dev *pdev, int bar, u64 offset,
				  u64 size)
{
	struct p2pdma_provider_priv *p;
	int ret;

	p = p2pdma_provider_alloc(pdev, bar, offset, size);
	if (IS_ERR(p))
		return ERR_CAST(p);
	p->pgmap.start = p->pub.base;
	p->pgmap.size = p->pub.size;
	p->pgmap.type = MEMORY_DEVICE_PCI_P2PDMA;
	p->pgmap.owner = &p->pub;
	ret = memremap_pages(&p->pgmap);
	if (ret)
		goto out_free;
	p->pub.has_pages = true;
	return &p->pub;

out_free:
	kfree(p);
	return ERR_PTR(ret);
}

/**
 * p2pdma_provider_destroy() - stop offering a piece of BAR memory
 * @provider: from p2pdma_provider_create*(); NULL is ignored
 *
 * Nothing may map its memory, or use its struct pages, any more.
 */
void p2pdma_provider_destroy(struct p2pdma_provider *provider)
{
	struct p2pdma_provider_priv *p;

	if (!provider)
		return;
	p = to_priv(provider);
	if (provider->has_pages)
		memunmap_pages(&p->pgmap);
	kfree(p);
}

/**
 * pci_p2pdma_page_provider() - the provider a page of P2P memory belongs to
 * @page: any page of RAM or of device memory
 *
 * Return: the provider, or NULL if @page is not a P2PDMA page.
 */
struct p2pdma_provider *pci_p2pdma_page_provider(const struct page *page)
{
	if (!is_pci_p2pdma_page(page))
		return NULL;
	return &container_of(page_pgmap(page), struct p2pdma_provider_priv,
			     pgmap)->pub;
}

/**
 * p2pdma_provider_get_stats() - how a provider's map-type cache fared
 * @provider: the provider
 * @stats: filled in
 */
void p2pdma_provider_get_stats(struct p2pdma_provider *provider,
			       struct p2pdma_provider_stats *stats)
{
	struct p2pdma_provider_priv *p = to_priv(provider);

	spin_lock(&p->lock);
	*stats = p->stats;
	spin_unlock(&p->lock);
}

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
	atomic_inc(&p2pdma_allowlist_gen);
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
		atomic_inc(&p2pdma_allowlist_gen);
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
 * (provider, client) and cached until the allowlist changes or the entry
 * is evicted; thread-safe.
 *
 * Return: PCI_P2PDMA_MAP_BUS_ADDR, PCI_P2PDMA_MAP_THRU_HOST_BRIDGE or
 * PCI_P2PDMA_MAP_NOT_SUPPORTED.
 */
enum pci_p2pdma_map_type pci_p2pdma_map_type(struct p2pdma_provider *provider,
					     struct device *dev)
{
	struct p2pdma_provider_priv *p = to_priv(provider);
	int gen = atomic_read_acquire(&p2pdma_allowlist_gen);
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
