// SPDX-License-Identifier: GPL-2.0
/*
 * The DMA sanitizer.  <linux/dma-debug.h> says what it reports; this file
 * is how.
 *
 * Entries.  Every live mapping is an entry on one list: a range-list
 * mapping (PHYSR: a copy of its DMA list and of the view of its CPU
 * ranges), an IOVA allocation of the two-step API (IOVA) and each link
 * into one (LINK: its IOVA range and CPU range).  As upstream's
 * dma-debug, a mapping is found by what it is, never by where the
 * caller keeps its state: PHYSR and IOVA entries are hashed on a device
 * and a DMA address (a PHYSR on its device and first DMA address, an
 * IOVA on its domain and IOVA), which the caller's state holds, so a
 * state copied or moved before unmap finds its mapping as the original
 * would, and the sanitizer never changes what a call does.  A LINK
 * belongs to its IOVA entry.  Each entry keeps the return address of the
 * DMA API call that made it: an address in the driver's function, which
 * reports print symbolised (%pS) as the kernel's do.  Entries come from a
 * pool allocated at boot (DMA_DEBUG_ENTRIES), so recording never
 * allocates and never fails a mapping; when the pool is empty the
 * sanitizer says so and switches itself off rather than report mappings
 * it could not record.
 *
 * Device accesses.  The machine never calls the kernel, so the sanitizer
 * reads what devices did from the fabric's transfer trace (a ring a bus
 * analyser would fill, <hw/sim_dma_trace.h>) and the coherency checker's
 * log (<hw/sim_cache.h>), through the platform (<asm/dma-trace.h>).  It drains both at every DMA API call, before the call
 * changes any entry, so each access is judged against the mappings that
 * were live when it happened (in a single-threaded driver; with threads
 * an access racing a map or unmap may be judged a call late), and at
 * dma_debug_check().  An access is checked only for devices that used
 * the DMA API since boot (tracked devices): others (tests driving an
 * UNMANAGED domain, say) are none of its business.  A transfer must be
 * covered, byte by byte, by the device's live mappings, each allowing the
 * access's direction; a transfer to a non-coherent mapping the CPU owns
 * (after a sync for the CPU) is a missing sync for the device.  Records
 * the machine dropped are reported once per batch as lost.
 *
 * Locking: dd.lock (a spinlock) over everything; reports are printed
 * under it.
 */
#include <linux/bug.h>
#include <linux/dma-debug.h>
#include <linux/dma-map-ops.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/overflow.h>
#include <linux/pci.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/stdarg.h>
#include <linux/string.h>
#include <linux/swiotlb.h>
#include <asm/dma-trace.h>

#define DMA_DEBUG_ENTRIES	4096
#define DMA_DEBUG_DEVS		64
#define DMA_DEBUG_HASH_BITS	10

enum dma_debug_type {
	DMA_DEBUG_TYPE_PHYSR,
	DMA_DEBUG_TYPE_IOVA,
	DMA_DEBUG_TYPE_LINK,
};

/**
 * struct dma_debug_entry - one live mapping
 * @node: on dd.live or dd.free
 * @hnode: PHYSR, IOVA: in its hash bucket (dd.hash)
 * @type: enum dma_debug_type
 * @dir: DMA direction (PHYSR, LINK)
 * @noncoherent: the device is not coherent
 * @cpu_owned: synced for the CPU and not yet back for the device
 * @revoked: dma_revoke_physr(): kept until unmap, but maps nothing
 * @has_src: @src holds the CPU ranges (else @phys, for a LINK)
 * @dev: the device
 * @key: what the entry is hashed on with @addr: the device (PHYSR) or
 *	the domain (IOVA)
 * @iova: LINK: the IOVA entry it links into
 * @site: return address of the DMA API call that made it
 * @dma: PHYSR: the DMA ranges
 * @src: the CPU ranges (PHYSR; LINK of a view)
 * @phys: LINK of one range: its CPU address
 * @addr: first DMA address (PHYSR: of its DMA list)
 * @len: bytes
 * @offset: LINK: offset in its IOVA state
 */
struct dma_debug_entry {
	struct list_head node;
	struct list_head hnode;
	u8 type;
	u8 dir;
	bool noncoherent;
	bool cpu_owned;
	bool revoked;
	bool has_src;
	struct device *dev;
	const void *key;
	struct dma_debug_entry *iova;
	unsigned long site;
	struct dma_list dma;
	struct physr_view src;
	phys_addr_t phys;
	dma_addr_t addr;
	u64 len;
	u64 offset;
};

struct dma_debug_dev {
	struct device *dev;
	u16 rid;
};

static bool dma_debug_want = true;

static struct {
	spinlock_t lock;
	bool on;
	struct dma_debug_entry *pool;
	struct list_head free;
	struct list_head live;
	struct list_head hash[1 << DMA_DEBUG_HASH_BITS];
	struct dma_debug_dev devs[DMA_DEBUG_DEVS];
	unsigned int nr_devs;
	u64 lost_seen;
	unsigned long total;
	unsigned long reports[DMA_DEBUG_NR_KINDS];
	struct dma_debug_report last;
} dd = {
	.lock = __SPIN_LOCK_UNLOCKED(dd.lock),
	.free = LIST_HEAD_INIT(dd.free),
	.live = LIST_HEAD_INIT(dd.live),
};

static const char * const dma_debug_dir_names[] = {
	[DMA_BIDIRECTIONAL] = "DMA_BIDIRECTIONAL",
	[DMA_TO_DEVICE] = "DMA_TO_DEVICE",
	[DMA_FROM_DEVICE] = "DMA_FROM_DEVICE",
	[DMA_NONE] = "DMA_NONE",
};

static const char *dma_debug_dir(unsigned int dir)
{
	return dir <= DMA_NONE ? dma_debug_dir_names[dir] : "invalid";
}

/**
 * dma_debug_kind_name() - a report kind for messages
 * @kind: the kind
 */
const char *dma_debug_kind_name(enum dma_debug_kind kind)
{
	static const char * const names[] = {
		[DMA_DEBUG_ACCESS_UNMAPPED] = "access outside mappings",
		[DMA_DEBUG_ACCESS_DIRECTION] = "access against direction",
		[DMA_DEBUG_NOT_MAPPED] = "not mapped",
		[DMA_DEBUG_MISMATCH] = "mismatch",
		[DMA_DEBUG_MISSING_SYNC] = "missing sync",
		[DMA_DEBUG_LEAK] = "leak",
		[DMA_DEBUG_LOST] = "lost records",
		[DMA_DEBUG_P2P_RANGE] = "P2P range outside its provider",
	};

	return kind < DMA_DEBUG_NR_KINDS ? names[kind] : "?";
}

/* ---- reports -------------------------------------------------------------- */

/*
 * Count and print a report; dd.lock held.  @site made the mapping
 * concerned, @caller is the offending call: return addresses, 0 for none,
 * printed as their symbols.
 */
static void __printf(5, 6)
__dma_debug_report(enum dma_debug_kind kind, struct device *dev,
		   unsigned long site, unsigned long caller,
		   const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	dd.total++;
	dd.reports[kind]++;
	dd.last.kind = kind;
	dd.last.dev = dev;
	dd.last.site = site;
	dd.last.caller = caller;
	strscpy(dd.last.msg, msg, sizeof(dd.last.msg));

	pr_err("DMA-API: %s: %s\n", dev ? dev_name(dev) : "?", msg);
	if (caller)
		pr_err("DMA-API:   called from %pS\n", (void *)caller);
	if (site)
		pr_err("DMA-API:   mapping made from %pS\n", (void *)site);
}

/**
 * dma_debug_reports() - reports made since boot
 *
 * Return: the total of every kind.
 */
unsigned long dma_debug_reports(void)
{
	unsigned long n;

	spin_lock(&dd.lock);
	n = dd.total;
	spin_unlock(&dd.lock);
	return n;
}

/**
 * dma_debug_nr_reports() - reports of one kind since boot
 * @kind: the kind
 *
 * Return: the count.
 */
unsigned long dma_debug_nr_reports(enum dma_debug_kind kind)
{
	unsigned long n = 0;

	spin_lock(&dd.lock);
	if (kind < DMA_DEBUG_NR_KINDS)
		n = dd.reports[kind];
	spin_unlock(&dd.lock);
	return n;
}

/**
 * dma_debug_last_report() - the last report
 * @report: filled in
 *
 * Return: false if there was none since boot.
 */
bool dma_debug_last_report(struct dma_debug_report *report)
{
	bool any;

	spin_lock(&dd.lock);
	any = dd.total != 0;
	*report = dd.last;
	spin_unlock(&dd.lock);
	return any;
}

/* ---- entries and devices ---------------------------------------------------- */

/*
 * A cleared entry from the pool, with what every kind records: its type,
 * device, direction and the return address of the call that made it; or
 * NULL (and the sanitizer off) when the pool is empty.  dd.lock held.
 */
static struct dma_debug_entry *__dma_debug_get(enum dma_debug_type type,
					       struct device *dev,
					       enum dma_data_direction dir,
					       unsigned long site)
{
	struct dma_debug_entry *e;

	if (list_empty(&dd.free)) {
		pr_err("DMA-API: out of entries (%d): sanitizer disabled\n",
		       DMA_DEBUG_ENTRIES);
		dd.on = false;
		return NULL;
	}
	e = list_first_entry(&dd.free, struct dma_debug_entry, node);
	list_del(&e->node);
	memset(e, 0, sizeof(*e));
	INIT_LIST_HEAD(&e->hnode);
	e->type = type;
	e->dev = dev;
	e->dir = dir;
	e->site = site;
	return e;
}

static void __dma_debug_put(struct dma_debug_entry *e)
{
	list_del_init(&e->hnode);
	list_move(&e->node, &dd.free);
}

/* The bucket of (@key, @addr): a multiplicative hash of both. */
static struct list_head *__dma_debug_bucket(const void *key, dma_addr_t addr)
{
	u64 h = ((u64)(uintptr_t)key ^ (addr >> PAGE_SHIFT) ^ addr) *
		0x61c8864680b583ebULL;

	return &dd.hash[h >> (64 - DMA_DEBUG_HASH_BITS)];
}

/* Make a new PHYSR or IOVA entry live, hashed on (@key, @e->addr). */
static void __dma_debug_add(struct dma_debug_entry *e, const void *key)
{
	e->key = key;
	list_add(&e->node, &dd.live);
	list_add(&e->hnode, __dma_debug_bucket(key, e->addr));
}

static bool __dma_debug_tracked(const struct device *dev)
{
	unsigned int i;

	for (i = 0; i < dd.nr_devs; i++)
		if (dd.devs[i].dev == dev)
			return true;
	return false;
}

/* Track @dev's accesses from now on.  dd.lock held. */
static void __dma_debug_track(struct device *dev)
{
	if (__dma_debug_tracked(dev))
		return;
	if (dd.nr_devs == DMA_DEBUG_DEVS) {
		pr_err("DMA-API: too many devices: %s not tracked\n",
		       dev_name(dev));
		return;
	}
	dd.devs[dd.nr_devs].dev = dev;
	dd.devs[dd.nr_devs].rid = dev->rid;
	dd.nr_devs++;
}

static struct device *__dma_debug_dev_by_rid(u16 rid)
{
	unsigned int i;

	for (i = 0; i < dd.nr_devs; i++)
		if (dd.devs[i].rid == rid)
			return dd.devs[i].dev;
	return NULL;
}

/*
 * The live mapping a range-list state names: the PHYSR entry of its
 * device at its first DMA address.  Upstream's dma-debug looks up
 * (device, DMA address) alike.  Of several (one list mapped twice for
 * one device on the direct path) the one of the same ranges, length and
 * direction; failing that, any at that address, *@exact false.  The DMA
 * list is read only once the device is known to have mappings, so a
 * state that was never mapped (zeroed, or garbage) is not walked.  dd.lock
 * held.
 */
static struct dma_debug_entry *
__dma_debug_find_physr(const struct dma_map_state *state, bool *exact)
{
	struct dma_debug_entry *e, *any = NULL;
	dma_addr_t addr;

	*exact = false;
	if (!state || !state->dev || !__dma_debug_tracked(state->dev))
		return NULL;
	addr = dma_list_first_addr(&state->dma);
	list_for_each_entry(e, __dma_debug_bucket(state->dev, addr), hnode) {
		if (e->type != DMA_DEBUG_TYPE_PHYSR || e->key != state->dev ||
		    e->addr != addr)
			continue;
		if (e->src.chunk == state->src.chunk &&
		    e->src.word == state->src.word &&
		    e->src.skip == state->src.skip &&
		    e->src.len == state->src.len &&
		    e->len == dma_list_len(&state->dma) &&
		    e->dir == state->dir) {
			*exact = true;
			return e;
		}
		if (!any)
			any = e;
	}
	return any;
}

/* The IOVA entry of an IOVA state: its domain and IOVA.  dd.lock held. */
static struct dma_debug_entry *
__dma_debug_find_iova(const struct dma_iova_state *state)
{
	struct dma_debug_entry *e;

	if (!state || !state->__domain)
		return NULL;
	list_for_each_entry(e, __dma_debug_bucket(state->__domain, state->addr),
			    hnode)
		if (e->type == DMA_DEBUG_TYPE_IOVA &&
		    e->key == state->__domain && e->addr == state->addr &&
		    e->len == state->__size)
			return e;
	return NULL;
}

/* ---- device accesses -------------------------------------------------------- */

static bool dma_debug_dir_allows(unsigned int dir, bool write)
{
	return write ? dir != DMA_TO_DEVICE : dir != DMA_FROM_DEVICE;
}

/*
 * The end of the range of @e that holds @pos, or 0 if none does.
 * Only PHYSR and LINK entries map anything.
 */
static dma_addr_t dma_debug_entry_covers(const struct dma_debug_entry *e,
					 dma_addr_t pos)
{
	struct dma_list_iter di;
	struct dma_range r;

	if (e->type == DMA_DEBUG_TYPE_LINK)
		return pos >= e->addr && pos - e->addr < e->len ?
		       e->addr + e->len : 0;
	if (e->type != DMA_DEBUG_TYPE_PHYSR)
		return 0;
	dma_list_iter_init(&di, &e->dma);
	di.max_seg = U64_MAX;
	di.seg_mask = U64_MAX;
	while (dma_list_iter_next(&di, &r))
		if (pos >= r.addr && pos - r.addr < r.len)
			return r.addr + r.len;
	return 0;
}

/* Judge one traced transfer.  dd.lock held. */
static void __dma_debug_access(const struct sim_dma_trace_rec *rec)
{
	struct device *dev = __dma_debug_dev_by_rid(rec->rid);
	const char *what = rec->write ? "write" : "read";
	dma_addr_t pos = rec->addr, end;

	if (!dev || !rec->len)
		return;
	if (check_add_overflow(rec->addr, rec->len, &end))
		end = U64_MAX;

	while (pos < end) {
		struct dma_debug_entry *e, *wrong_dir = NULL, *found = NULL;
		dma_addr_t stop = 0;

		list_for_each_entry(e, &dd.live, node) {
			if (e->dev != dev || e->revoked)
				continue;
			stop = dma_debug_entry_covers(e, pos);
			if (!stop)
				continue;
			if (!dma_debug_dir_allows(e->dir, rec->write)) {
				wrong_dir = e;
				continue;
			}
			found = e;
			break;
		}
		if (!found) {
			if (wrong_dir)
				__dma_debug_report(DMA_DEBUG_ACCESS_DIRECTION, dev,
						   wrong_dir->site, 0,
						   "device %s of %#llx+%#llx against the mapping's direction (%s)",
						   what, (unsigned long long)rec->addr,
						   (unsigned long long)rec->len,
						   dma_debug_dir(wrong_dir->dir));
			else
				__dma_debug_report(DMA_DEBUG_ACCESS_UNMAPPED, dev,
						   0, 0,
						   "device %s of %#llx+%#llx outside its mappings (first unmapped byte %#llx)%s",
						   what, (unsigned long long)rec->addr,
						   (unsigned long long)rec->len,
						   (unsigned long long)pos,
						   rec->status ? ", and it failed" : "");
			return;
		}
		if (found->noncoherent && found->cpu_owned) {
			__dma_debug_report(DMA_DEBUG_MISSING_SYNC, dev,
					   found->site, 0,
					   "device %s of %#llx+%#llx while the CPU owns the buffer (missing dma_sync_*_for_device)",
					   what, (unsigned long long)rec->addr,
					   (unsigned long long)rec->len);
			return;
		}
		pos = stop;
	}
}

/* Does @e's CPU side hold physical address @pa? */
static bool dma_debug_entry_holds(const struct dma_debug_entry *e,
				  phys_addr_t pa)
{
	struct physr_iter it;
	struct physr r;

	if (e->type == DMA_DEBUG_TYPE_LINK && !e->has_src)
		return pa >= e->phys && pa - e->phys < e->len;
	if (!e->has_src)
		return false;
	physr_view_for_each(&e->src, &it, &r)
		if (pa >= r.addr && pa - r.addr < r.len)
			return true;
	return false;
}

/* Judge one coherency checker record.  dd.lock held. */
static void __dma_debug_cache_event(const struct sim_cache_event *ev)
{
	struct device *dev = __dma_debug_dev_by_rid(ev->rid);
	unsigned long site = 0;
	struct dma_debug_entry *e;

	if (!dev)
		return;
	list_for_each_entry(e, &dd.live, node) {
		if (e->dev == dev && dma_debug_entry_holds(e, ev->pa)) {
			site = e->site;
			break;
		}
	}
	__dma_debug_report(DMA_DEBUG_MISSING_SYNC, dev, site, 0,
			   "device read %u stale cache line(s) from %#llx%s: the CPU wrote them and did not clean (missing dma_sync_*_for_device)",
			   ev->lines, (unsigned long long)ev->pa,
			   is_swiotlb_buffer(ev->pa) ? " (a bounce buffer)" : "");
}

/* Drain the machine's trace and checker.  dd.lock held. */
static void __dma_debug_drain(void)
{
	struct sim_dma_trace_rec rec;
	struct sim_cache_event ev;
	u64 lost;

	while (!arch_dma_trace_read(&rec))
		__dma_debug_access(&rec);
	while (!arch_cache_checker_read(&ev))
		__dma_debug_cache_event(&ev);
	lost = arch_dma_trace_dropped() + arch_cache_checker_dropped();
	if (lost > dd.lost_seen) {
		__dma_debug_report(DMA_DEBUG_LOST, NULL, 0, 0,
				   "the machine dropped %llu trace records: some device accesses went unchecked",
				   (unsigned long long)(lost - dd.lost_seen));
		dd.lost_seen = lost;
	}
}

/*
 * Take the sanitizer's lock if it is on.  Return: false, lock not taken,
 * if it is off.
 */
static bool dma_debug_lock(void)
{
	if (!READ_ONCE(dd.on))
		return false;
	spin_lock(&dd.lock);
	if (dd.on)
		return true;
	spin_unlock(&dd.lock);
	return false;
}

/**
 * dma_debug_checkpoint() - judge every device access since the last call
 *
 * Called by the DMA API at the start of every call, before it changes a
 * mapping.
 */
void dma_debug_checkpoint(void)
{
	if (!dma_debug_lock())
		return;
	__dma_debug_drain();
	spin_unlock(&dd.lock);
}

/**
 * dma_debug_check() - judge every device access made so far
 *
 * For tests and drivers that want the verdict now rather than at the
 * next DMA API call.
 */
void dma_debug_check(void)
{
	dma_debug_checkpoint();
}

/* ---- hooks: range-list mappings ------------------------------------------- */

/*
 * The live mapping @state, checked against the device and direction the
 * caller of @what ("unmap", "sync") names; NULL, reported, if @state is
 * not mapped.  Lock held.
 */
static struct dma_debug_entry *
__dma_debug_check_physr(struct device *dev, struct dma_map_state *state,
			enum dma_data_direction dir,
			unsigned long caller, const char *what)
{
	struct dma_debug_entry *e;
	bool exact;

	e = __dma_debug_find_physr(state, &exact);
	if (!e) {
		__dma_debug_report(DMA_DEBUG_NOT_MAPPED, dev, 0, caller,
				   "%s of a state that is not mapped", what);
		return NULL;
	}
	if (!exact)
		__dma_debug_report(DMA_DEBUG_MISMATCH, dev, e->site, caller,
				   "%s of a state that is not the mapping at %#llx (%#llx bytes %s)",
				   what, (unsigned long long)e->addr,
				   (unsigned long long)e->len,
				   dma_debug_dir(e->dir));
	if (e->dev != dev)
		__dma_debug_report(DMA_DEBUG_MISMATCH, dev, e->site, caller,
				   "%s names another device than the mapping's (%s)",
				   what, dev_name(e->dev));
	if (e->dir != dir)
		__dma_debug_report(DMA_DEBUG_MISMATCH, e->dev, e->site, caller,
				   "%s with %s of a mapping made with %s", what,
				   dma_debug_dir(dir), dma_debug_dir(e->dir));
	return e;
}

/**
 * debug_dma_map_physr() - record a new mapping
 * @state: the mapping (mapped: @state->dev set)
 * @caller: return address of the DMA API call
 */
void debug_dma_map_physr(struct dma_map_state *state,
			 unsigned long caller)
{
	struct dma_debug_entry *e;

	if (!dma_debug_lock())
		return;
	e = __dma_debug_get(DMA_DEBUG_TYPE_PHYSR, state->dev, state->dir,
			    caller);
	if (!e)
		goto out_unlock;
	e->noncoherent = state->flags & DMA_MAP_F_NONCOHERENT;
	e->dma = state->dma;
	e->src = state->src;
	e->has_src = true;
	e->len = dma_list_len(&state->dma);
	e->addr = dma_list_first_addr(&state->dma);
	__dma_debug_add(e, state->dev);
	__dma_debug_track(state->dev);
out_unlock:
	spin_unlock(&dd.lock);
}

/**
 * debug_dma_unmap_physr() - check and forget a mapping being unmapped
 * @dev: the device the caller names
 * @state: the state the caller names
 * @dir: the direction the caller names
 * @caller: return address of the DMA API call
 *
 * Return: false if @state is not a live mapping: the caller must leave
 * it alone.  Always true with the sanitizer off.
 */
bool debug_dma_unmap_physr(struct device *dev, struct dma_map_state *state,
			   enum dma_data_direction dir,
			   unsigned long caller)
{
	struct dma_debug_entry *e;

	if (!dma_debug_lock())
		return true;
	__dma_debug_drain();
	e = __dma_debug_check_physr(dev, state, dir, caller, "unmap");
	if (e)
		__dma_debug_put(e);
	spin_unlock(&dd.lock);
	return e;
}

/**
 * debug_dma_revoke_physr() - check a revoke; from now on the device's
 *	accesses to the mapping are reported
 * @dev: the device the caller names
 * @state: the state the caller names
 * @caller: return address of the DMA API call
 *
 * The device's transfers traced so far are judged first, against the
 * mapping as it was.
 *
 * Return: false if @state is not a live mapping: the caller must leave
 * it alone.  Always true with the sanitizer off.
 */
bool debug_dma_revoke_physr(struct device *dev, struct dma_map_state *state,
			    unsigned long caller)
{
	struct dma_debug_entry *e;

	if (!dma_debug_lock())
		return true;
	__dma_debug_drain();
	e = __dma_debug_check_physr(dev, state, state ? state->dir : DMA_NONE,
				    caller, "revoke");
	if (e)
		e->revoked = true;
	spin_unlock(&dd.lock);
	return e;
}

/**
 * debug_dma_sync_physr() - check a sync and note who owns the buffer
 * @dev: the device the caller names
 * @state: the state the caller names
 * @offset: first byte synced
 * @len: bytes (U64_MAX: to the end)
 * @dir: the direction the caller names
 * @for_cpu: a sync for the CPU (else for the device)
 * @caller: return address of the DMA API call
 *
 * Return: false if @state is not a live mapping: the caller must leave
 * it alone.
 */
bool debug_dma_sync_physr(struct device *dev, struct dma_map_state *state,
			  u64 offset, u64 len, enum dma_data_direction dir,
			  bool for_cpu, unsigned long caller)
{
	struct dma_debug_entry *e;
	bool ok = true;

	if (!dma_debug_lock())
		return true;
	__dma_debug_drain();
	e = __dma_debug_check_physr(dev, state, dir, caller, "sync");
	if (!e) {
		ok = false;
		goto out_unlock;
	}
	if (offset >= e->len || (len != U64_MAX && len > e->len - offset))
		__dma_debug_report(DMA_DEBUG_MISMATCH, e->dev, e->site, caller,
				   "sync of %#llx+%#llx beyond the mapping's %#llx bytes",
				   (unsigned long long)offset,
				   (unsigned long long)len,
				   (unsigned long long)e->len);
	/* A sync with no valid direction is not done: ownership stays. */
	if (dma_valid_direction(dir))
		e->cpu_owned = for_cpu;
out_unlock:
	spin_unlock(&dd.lock);
	return ok;
}

/* ---- hooks: the IOVA API ---------------------------------------------------- */

/**
 * debug_dma_iova_alloc() - record an IOVA allocation
 * @dev: the device
 * @state: the state dma_iova_try_alloc() filled
 * @caller: return address of the DMA API call
 */
void debug_dma_iova_alloc(struct device *dev, struct dma_iova_state *state,
			  unsigned long caller)
{
	struct dma_debug_entry *e;

	if (!dma_debug_lock())
		return;
	e = __dma_debug_get(DMA_DEBUG_TYPE_IOVA, dev, DMA_NONE, caller);
	if (!e)
		goto out_unlock;
	e->addr = state->addr;
	e->len = state->__size;
	__dma_debug_add(e, state->__domain);
	__dma_debug_track(dev);
out_unlock:
	spin_unlock(&dd.lock);
}

/**
 * debug_dma_iova_check() - is an IOVA state live, and the device its own?
 * @dev: the device the caller names
 * @state: the state
 * @caller: return address of the DMA API call
 *
 * Return: false if @state holds no live allocation (reported).
 */
bool debug_dma_iova_check(struct device *dev, struct dma_iova_state *state,
			  unsigned long caller)
{
	struct dma_debug_entry *e;
	bool ok = true;

	if (!dma_debug_lock())
		return true;
	__dma_debug_drain();
	e = __dma_debug_find_iova(state);
	if (!e) {
		__dma_debug_report(DMA_DEBUG_NOT_MAPPED, dev, 0, caller,
				   "IOVA state that holds no allocation");
		ok = false;
	} else if (e->dev != dev) {
		__dma_debug_report(DMA_DEBUG_MISMATCH, dev, e->site, caller,
				   "IOVA state of another device (%s)",
				   dev_name(e->dev));
	}
	spin_unlock(&dd.lock);
	return ok;
}

/**
 * debug_dma_iova_link() - record a link
 * @dev: the device
 * @state: the IOVA state
 * @phys: first CPU address (when @view is NULL)
 * @view: the CPU ranges (dma_iova_link_physr()), or NULL
 * @offset: where in the IOVA state
 * @size: bytes
 * @dir: direction
 * @caller: return address of the DMA API call
 */
void debug_dma_iova_link(struct device *dev, struct dma_iova_state *state,
			 phys_addr_t phys, const struct physr_view *view,
			 u64 offset, u64 size, enum dma_data_direction dir,
			 unsigned long caller)
{
	struct dma_debug_entry *e, *iova;

	if (!dma_debug_lock())
		return;
	iova = __dma_debug_find_iova(state);
	if (!iova)	/* refused by debug_dma_iova_check() */
		goto out_unlock;
	e = __dma_debug_get(DMA_DEBUG_TYPE_LINK, dev, dir, caller);
	if (!e)
		goto out_unlock;
	e->iova = iova;
	e->noncoherent = !dev_is_dma_coherent(dev);
	e->addr = state->addr + offset;
	e->len = size;
	e->offset = offset;
	e->phys = phys;
	if (view) {
		e->src = *view;
		e->has_src = true;
	}
	list_add(&e->node, &dd.live);
out_unlock:
	spin_unlock(&dd.lock);
}

/*
 * Links into @iova inside [offset, offset + size): their bytes in *@inside;
 * returns true if some link straddles an end.  dd.lock held.
 */
static bool __dma_debug_links(const struct dma_debug_entry *iova, u64 offset,
			      u64 size, u64 *inside, struct dma_debug_entry **any)
{
	struct dma_debug_entry *e;
	bool straddles = false;
	u64 end = offset + size;

	*inside = 0;
	*any = NULL;
	list_for_each_entry(e, &dd.live, node) {
		if (e->type != DMA_DEBUG_TYPE_LINK || e->iova != iova)
			continue;
		if (e->offset >= end || e->offset + e->len <= offset)
			continue;
		if (e->offset < offset || e->offset + e->len > end) {
			straddles = true;
			continue;
		}
		*inside += e->len;
		*any = e;
	}
	return straddles;
}

/* Forget the links into @iova inside [offset, offset + size).  Lock held. */
static void __dma_debug_drop_links(const struct dma_debug_entry *iova,
				   u64 offset, u64 size)
{
	struct dma_debug_entry *e, *tmp;

	list_for_each_entry_safe(e, tmp, &dd.live, node)
		if (e->type == DMA_DEBUG_TYPE_LINK && e->iova == iova &&
		    e->offset >= offset && e->offset + e->len <= offset + size)
			__dma_debug_put(e);
}

/**
 * debug_dma_iova_unlink() - check an unlink against the links
 * @dev: the device
 * @state: the IOVA state
 * @offset: start
 * @size: bytes
 * @dir: direction the caller names
 * @caller: return address of the DMA API call
 *
 * The range must be exactly what some links mapped.
 *
 * Return: false if it is not (reported): the caller must not unmap.
 */
bool debug_dma_iova_unlink(struct device *dev, struct dma_iova_state *state,
			   u64 offset, u64 size, enum dma_data_direction dir,
			   unsigned long caller)
{
	struct dma_debug_entry *iova, *any;
	bool ok = true, straddles;
	u64 inside;

	if (!dma_debug_lock())
		return true;
	__dma_debug_drain();
	iova = __dma_debug_find_iova(state);
	if (!iova) {
		__dma_debug_report(DMA_DEBUG_NOT_MAPPED, dev, 0, caller,
				   "unlink in an IOVA state that holds no allocation");
		ok = false;
		goto out_unlock;
	}
	straddles = __dma_debug_links(iova, offset, size, &inside, &any);
	if (!any && !straddles) {
		__dma_debug_report(DMA_DEBUG_NOT_MAPPED, dev, 0, caller,
				   "unlink of %#llx+%#llx, which nothing linked",
				   (unsigned long long)offset,
				   (unsigned long long)size);
		ok = false;
	} else if (straddles || inside != size) {
		__dma_debug_report(DMA_DEBUG_MISMATCH, dev,
				   any ? any->site : 0, caller,
				   "unlink of %#llx+%#llx does not match the links (%#llx bytes linked inside%s)",
				   (unsigned long long)offset,
				   (unsigned long long)size,
				   (unsigned long long)inside,
				   straddles ? ", one crossing an end" : "");
		ok = false;
	} else {
		if (any->dir != dir)
			__dma_debug_report(DMA_DEBUG_MISMATCH, dev, any->site,
					   caller,
					   "unlink with %s of a link made with %s",
					   dma_debug_dir(dir),
					   dma_debug_dir(any->dir));
		__dma_debug_drop_links(iova, offset, size);
	}
out_unlock:
	spin_unlock(&dd.lock);
	return ok;
}

/**
 * debug_dma_iova_free() - check and forget an IOVA state being freed
 * @dev: the device
 * @state: the IOVA state
 * @mapped_len: destroy: bytes the caller says are linked from offset 0
 * @destroy: dma_iova_destroy() (else dma_iova_free(): nothing may be
 *	linked)
 * @caller: return address of the DMA API call
 */
void debug_dma_iova_free(struct device *dev, struct dma_iova_state *state,
			 u64 mapped_len, bool destroy,
			 unsigned long caller)
{
	struct dma_debug_entry *e, *any;
	u64 inside, total;

	if (!dma_debug_lock())
		return;
	__dma_debug_drain();
	e = __dma_debug_find_iova(state);
	if (!e) {
		__dma_debug_report(DMA_DEBUG_NOT_MAPPED, dev, 0, caller,
				   "freeing an IOVA state that holds no allocation");
		goto out_unlock;
	}
	__dma_debug_links(e, 0, U64_MAX - 1, &total, &any);
	if (!destroy && total) {
		__dma_debug_report(DMA_DEBUG_MISMATCH, dev, any->site, caller,
				   "IOVA freed with %#llx bytes still linked",
				   (unsigned long long)total);
	} else if (destroy) {
		__dma_debug_links(e, 0, mapped_len, &inside, &any);
		if (inside != mapped_len || total != inside)
			__dma_debug_report(DMA_DEBUG_MISMATCH, dev, e->site,
					   caller,
					   "IOVA destroyed with mapped_len %#llx but %#llx bytes linked",
					   (unsigned long long)mapped_len,
					   (unsigned long long)total);
	}
	__dma_debug_drop_links(e, 0, U64_MAX - 1);
	__dma_debug_put(e);
out_unlock:
	spin_unlock(&dd.lock);
}

/**
 * debug_dma_p2p_range() - count a range refused for not being its
 *	provider's memory
 * @dev: the device it was to be mapped for
 * @addr: the range's CPU physical address
 * @len: its bytes
 *
 * The DMA API refused the mapping and printed why (dma_p2p_check_range());
 * the sanitizer counts it as a report, so tests and debug kernels see it.
 */
void debug_dma_p2p_range(struct device *dev, phys_addr_t addr, u64 len)
{
	if (!dma_debug_lock())
		return;
	__dma_debug_report(DMA_DEBUG_P2P_RANGE, dev, 0, 0,
			   "P2P range %#llx+%#llx is not its provider's memory",
			   (unsigned long long)addr, (unsigned long long)len);
	spin_unlock(&dd.lock);
}

/* ---- teardown, boot --------------------------------------------------------- */

/* Report @dev's live entries; forget the device if it has none. */
static void __dma_debug_teardown(struct device *dev)
{
	struct dma_debug_entry *e;
	unsigned int i, live = 0;

	list_for_each_entry(e, &dd.live, node) {
		if (e->dev != dev || e->type == DMA_DEBUG_TYPE_LINK)
			continue;
		live++;
		__dma_debug_report(DMA_DEBUG_LEAK, dev, e->site, 0,
				   "%s of %#llx bytes still live at teardown",
				   e->type == DMA_DEBUG_TYPE_PHYSR ?
				   "mapping" : "IOVA allocation",
				   (unsigned long long)e->len);
	}
	if (live)
		return;
	for (i = 0; i < dd.nr_devs; i++) {
		if (dd.devs[i].dev == dev) {
			dd.devs[i] = dd.devs[--dd.nr_devs];
			break;
		}
	}
}

/**
 * dma_debug_device_teardown() - a device is going away: report leaks
 * @dev: the device
 *
 * Every mapping and IOVA allocation of @dev still live is reported with
 * the site that made it (and stays recorded: its owner may still unmap
 * it).  A device with nothing live is no longer tracked.
 */
void dma_debug_device_teardown(struct device *dev)
{
	if (!dma_debug_lock())
		return;
	__dma_debug_drain();
	__dma_debug_teardown(dev);
	spin_unlock(&dd.lock);
}

/**
 * dma_debug_nr_live() - live mappings of a device
 * @dev: the device; NULL for all devices
 *
 * Return: range-list mappings, IOVA allocations and links recorded now.
 */
unsigned long dma_debug_nr_live(const struct device *dev)
{
	struct dma_debug_entry *e;
	unsigned long n = 0;

	spin_lock(&dd.lock);
	list_for_each_entry(e, &dd.live, node)
		if (!dev || e->dev == dev)
			n++;
	spin_unlock(&dd.lock);
	return n;
}

/*
 * A PCI function is being removed: what it still has mapped is a leak of
 * its driver's, reported now, as upstream's dma-debug reports a driver
 * unbinding with mappings live.  A device with nothing live is forgotten,
 * so that its struct, freed soon, is never looked at again.
 */
static int dma_debug_pci_notify(struct notifier_block *nb __always_unused,
				unsigned long action, void *data)
{
	if (action == BUS_NOTIFY_DEL_DEVICE)
		dma_debug_device_teardown(data);
	return NOTIFY_DONE;
}

static struct notifier_block dma_debug_pci_nb = {
	.notifier_call = dma_debug_pci_notify,
};

/**
 * dma_debug_set_enabled() - switch the sanitizer on or off from next boot
 * @on: enable
 *
 * Like the dma_debug= kernel parameter; on by default.  Benchmarks turn
 * it off.
 */
void dma_debug_set_enabled(bool on)
{
	WRITE_ONCE(dma_debug_want, on);
}

/**
 * dma_debug_enabled() - is the sanitizer checking now?
 */
bool dma_debug_enabled(void)
{
	return READ_ONCE(dd.on);
}

/**
 * dma_debug_init() - start the sanitizer (at boot, from dma_init())
 *
 * Allocates the entry pool, switches the machine's DMA trace on and
 * listens for removed PCI functions (whose leaks it reports), if the
 * sanitizer is enabled.  Counters start from zero.
 *
 * Return: 0, or -ENOMEM.
 */
int dma_debug_init(void)
{
	struct dma_debug_entry *pool;
	unsigned int i;

	spin_lock(&dd.lock);
	dd.total = 0;
	memset(dd.reports, 0, sizeof(dd.reports));
	memset(&dd.last, 0, sizeof(dd.last));
	dd.nr_devs = 0;
	dd.lost_seen = 0;
	spin_unlock(&dd.lock);
	if (!READ_ONCE(dma_debug_want))
		return 0;

	pool = kvmalloc_array(DMA_DEBUG_ENTRIES, sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return -ENOMEM;
	spin_lock(&dd.lock);
	dd.pool = pool;
	INIT_LIST_HEAD(&dd.free);
	INIT_LIST_HEAD(&dd.live);
	for (i = 0; i < ARRAY_SIZE(dd.hash); i++)
		INIT_LIST_HEAD(&dd.hash[i]);
	for (i = 0; i < DMA_DEBUG_ENTRIES; i++)
		list_add_tail(&pool[i].node, &dd.free);
	/* What the trace holds from before boot is not ours to judge. */
	arch_dma_trace_enable(true);
	dd.on = true;
	spin_unlock(&dd.lock);
	WARN_ON(bus_register_notifier(&pci_bus_type, &dma_debug_pci_nb));
	return 0;
}

/**
 * dma_debug_exit() - stop the sanitizer (at shutdown, from dma_exit())
 *
 * Reports every mapping still live, device by device, then frees the
 * pool and switches the trace off.
 */
void dma_debug_exit(void)
{
	struct dma_debug_entry *pool;

	/* Not under dd.lock: a removal may be in the chain, waiting for it. */
	bus_unregister_notifier(&pci_bus_type, &dma_debug_pci_nb);
	spin_lock(&dd.lock);
	if (dd.on) {
		__dma_debug_drain();
		while (dd.nr_devs) {
			unsigned int n = dd.nr_devs;

			__dma_debug_teardown(dd.devs[n - 1].dev);
			if (dd.nr_devs == n)	/* leaks: reported, go on */
				dd.devs[n - 1] = dd.devs[--dd.nr_devs];
		}
	}
	dd.on = false;
	pool = dd.pool;
	dd.pool = NULL;
	INIT_LIST_HEAD(&dd.free);
	INIT_LIST_HEAD(&dd.live);
	arch_dma_trace_enable(false);
	spin_unlock(&dd.lock);
	kvfree(pool);
}
