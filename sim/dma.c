// SPDX-License-Identifier: GPL-2.0
/*
 * Device DMA engines: how a device's reads and writes travel the fabric.
 *
 * A transfer of device D (an endpoint, named by its requester ID) at DMA
 * address A is checked against D's address bits, then split into
 * transactions at 4 KiB boundaries of A (and shorter where an IOMMU
 * translation is), and each transaction is routed as PCIe routes a memory
 * request:
 *
 *  1. Below the root complex, addresses are bus addresses.  If A hits a
 *     BAR of an endpoint T below D's host bridge (by bus address):
 *      - T == D: the device's own memory, never leaves it;
 *      - T is another function of D's device (same link) and D has no ACS
 *        Request Redirect on: routed inside the device;
 *      - otherwise the request climbs: at each port P that receives it
 *        from below,
 *          - if T is below P, P forwards it up only with ACS Upstream
 *            Forwarding on, else it is an unsupported request;
 *          - else if P is a switch downstream port and T is below the same
 *            switch, P routes it across the switch to T (peer-to-peer),
 *            unless P has ACS P2P Request Redirect on, which sends it up;
 *          - a root port hands it to the root complex.
 *     A P2P read whose completer sits below a downstream port with ACS
 *     Completion Redirect on has its completion sent round through the
 *     root complex: same bytes, counted in completions_redirected.
 *  2. At the root complex of D's host bridge: if the host bridge has an
 *     IOMMU unit, sim_iommu_translate() turns A into a CPU physical address
 *     (a refusal fails the transfer with -EFAULT; the unit logs the fault),
 *     else A is used as the physical address.  The result must be RAM, or
 *     a BAR below the same host bridge if the host bridge forwards P2P (a
 *     BAR elsewhere, or no forwarding: unsupported request).
 *  3. A BAR that a request is delivered to (by either way) must decode,
 *     and must be memory rather than a device model's registers; else the
 *     request is an unsupported request (SIM_DMA_ERR_DECODE, counted in
 *     no_decode and in the BAR's function's decode errors, <hw/sim_pci.h>;
 *     SIM_DMA_ERR_REGISTERS).
 *
 * Before anything, D's Bus Master Enable must be on (and D not in reset):
 * else the engine issues nothing, which is logged (SIM_DMA_ERR_BUS_MASTER,
 * counted in no_bus_master) but leaves no trace record, since no
 * transaction reached the bus.  D and every BAR a transfer reaches are
 * checked again while its bytes move, under the read side of
 * sim_phys_map_lock, against which config space publishes changes
 * (sim/pci_internal.h): a transfer overlapping a change of decode, bus
 * mastering, a reset or an unplug either completes before it or fails.
 *
 * A transfer is all or nothing: every transaction is routed first, into a
 * plan of physical segments; bytes move only once the whole plan stands,
 * under the read side of sim_phys_map_lock.  Bytes to and from RAM go
 * through the cache model (sim/cache.h) when the device is not coherent,
 * or when some page's memory may differ from the CPU's view.  (Real DMA would leave the
 * transactions before a failing one done; tests are simpler without.)
 * Failures are -EIO for unsupported requests and bad addresses, -EFAULT for
 * IOMMU faults, -ENODEV for a requester that is not (or no longer)
 * there; each failure of a device that exists is logged in
 * sim_pci.last_error, like an AER header log.  Counters only count
 * transfers that completed, but for @errors, @no_decode and
 * @no_bus_master.
 *
 * The trace: while enabled (sim_dma_trace_enable()), each transfer,
 * completed or failed, leaves a record in a ring under sim_dma_trace.lock;
 * disabled, it costs one atomic load per transfer.
 *
 * Ranges: [addr, addr + len), end exclusive; the last byte of a transfer
 * may be the last byte of the 64-bit space, so sums are checked.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/overflow.h>
#include <asm/page.h>

#include "sim/cache.h"
#include "sim/internal.h"
#include "sim/iommu.h"
#include "sim/pci_internal.h"

#define SIM_DMA_INLINE_SEGS	16

/**
 * struct sim_dma_seg - a run of physical memory a transfer touches
 * @phys: first CPU physical address
 * @len: bytes
 */
struct sim_dma_seg {
	phys_addr_t phys;
	u64 len;
};

/**
 * struct sim_dma_plan - where a transfer's bytes go, worked out in advance
 * @seg: the segments, in transfer order
 * @nr: valid entries of @seg
 * @cap: room in @seg
 * @tally: counters to add if the transfer completes
 * @inline_seg: @seg's storage until it outgrows it
 */
struct sim_dma_plan {
	struct sim_dma_seg *seg;
	unsigned int nr;
	unsigned int cap;
	struct sim_dma_stats tally;
	struct sim_dma_seg inline_seg[SIM_DMA_INLINE_SEGS];
};

/* How a request leaves the hierarchy below the root complex. */
enum sim_dma_hop {
	SIM_DMA_HOP_P2P,		/* delivered to the BAR below */
	SIM_DMA_HOP_ROOT_COMPLEX,	/* reaches the root complex */
	SIM_DMA_HOP_UR,			/* unsupported request at a port */
};

/* The child of @ancestor on the way down to @node. */
static const struct sim_pci_node *
sim_dma_child_towards(const struct sim_pci_node *node,
		      const struct sim_pci_node *ancestor)
{
	while (node->parent != ancestor)
		node = node->parent;
	return node;
}

/* Route a request of @dev for a BAR of @target below the root complex. */
static enum sim_dma_hop sim_dma_route_fabric(const struct sim_pci_node *dev,
					     const struct sim_pci_node *target,
					     bool write,
					     struct sim_dma_stats *tally)
{
	const struct sim_pci_node *port, *usp;

	if (target == dev)
		return SIM_DMA_HOP_P2P;
	if (target->parent == dev->parent &&
	    !(dev->fw.acs_ctrl & SIM_PCI_ACS_RR))
		return SIM_DMA_HOP_P2P;

	for (port = dev->parent; ; port = port->parent->parent) {
		/* The request arrives at @port from below. */
		if (sim_pci_is_below(target, port)) {
			if (!(port->fw.acs_ctrl & SIM_PCI_ACS_UF))
				return SIM_DMA_HOP_UR;
		} else if (port->fw.type == SIM_PCI_SWITCH_DOWN) {
			usp = port->parent;
			if (sim_pci_is_below(target, usp) &&
			    !(port->fw.acs_ctrl & SIM_PCI_ACS_RR)) {
				if (!write &&
				    sim_dma_child_towards(target, usp)->fw.acs_ctrl &
				    SIM_PCI_ACS_CR)
					tally->completions_redirected++;
				return SIM_DMA_HOP_P2P;
			}
		}
		if (port->fw.type == SIM_PCI_ROOT_PORT)
			return SIM_DMA_HOP_ROOT_COMPLEX;
	}
}

/* May a request be delivered to BAR @bar of @target? */
static int sim_dma_deliver(const struct sim_pci_node *target, unsigned int bar,
			   enum sim_dma_error_reason *reason)
{
	if (!(sim_pci_state(target) & SIM_PCI_ST_DECODE(bar))) {
		sim_pci_count_decode_error(target, true);
		*reason = SIM_DMA_ERR_DECODE;
		return -EIO;
	}
	if (target->model && target->model->regs_bar == bar) {
		*reason = SIM_DMA_ERR_REGISTERS;
		return -EIO;
	}
	return 0;
}

/*
 * Route one transaction of @dev at @addr, at most *@len bytes within one
 * page.  Return: 0 with *@phys where it lands (and *@len possibly
 * shortened), or a negative errno with *@reason.
 */
static int sim_dma_route(const struct sim_pci_node *dev, dma_addr_t addr,
			 u64 *len, bool write, phys_addr_t *phys,
			 struct sim_dma_stats *tally,
			 enum sim_dma_error_reason *reason)
{
	const struct sim_pci_node *host = dev->host, *target;
	const struct sim_window *w;
	unsigned int bar;
	u64 contig;
	int ret;

	target = sim_pci_bar_at_bus(host, addr, *len, phys, &bar);
	if (target) {
		switch (sim_dma_route_fabric(dev, target, write, tally)) {
		case SIM_DMA_HOP_P2P:
			ret = sim_dma_deliver(target, bar, reason);
			if (ret)
				return ret;
			tally->p2p++;
			return 0;
		case SIM_DMA_HOP_UR:
			*reason = SIM_DMA_ERR_UPSTREAM;
			return -EIO;
		case SIM_DMA_HOP_ROOT_COMPLEX:
			break;
		}
	}

	tally->root_complex++;
	if (host->fw.iommu_unit != SIM_PCI_NO_IOMMU) {
		if (sim_iommu_translate(host->fw.iommu_unit, dev->fw.rid, addr,
					write, phys, &contig)) {
			*reason = SIM_DMA_ERR_IOMMU;
			return -EFAULT;
		}
		if (contig && contig < *len)
			*len = contig;
		tally->translated++;
	} else {
		*phys = addr;
	}

	target = sim_pci_bar_at_cpu(*phys, *len, &bar);
	if (target) {
		if (target->host != host || !host->p2p_forward) {
			*reason = SIM_DMA_ERR_HOST_BRIDGE;
			return -EIO;
		}
		ret = sim_dma_deliver(target, bar, reason);
		if (ret)
			return ret;
		tally->host_bridge_p2p++;
		return 0;
	}

	pthread_rwlock_rdlock(&sim_phys_map_lock);
	w = __sim_window_find(*phys, *len);
	if (!w || w->kind != SIM_WINDOW_RAM)
		w = NULL;
	pthread_rwlock_unlock(&sim_phys_map_lock);
	if (!w) {
		*reason = SIM_DMA_ERR_NO_TARGET;
		return -EIO;
	}
	return 0;
}

/* Append [phys, phys + len) to @plan, merging with the last segment. */
static int sim_dma_plan_add(struct sim_dma_plan *plan, phys_addr_t phys,
			    u64 len)
{
	struct sim_dma_seg *seg;

	if (plan->nr) {
		seg = &plan->seg[plan->nr - 1];
		if (seg->phys + seg->len == phys) {
			seg->len += len;
			return 0;
		}
	}
	if (plan->nr == plan->cap) {
		unsigned int cap = plan->cap * 2;

		if (plan->seg == plan->inline_seg) {
			seg = malloc(cap * sizeof(*seg));
			if (seg)
				memcpy(seg, plan->seg, plan->nr * sizeof(*seg));
		} else {
			seg = realloc(plan->seg, cap * sizeof(*seg));
		}
		if (!seg)
			return -ENOMEM;
		plan->seg = seg;
		plan->cap = cap;
	}
	plan->seg[plan->nr].phys = phys;
	plan->seg[plan->nr].len = len;
	plan->nr++;
	return 0;
}

static void sim_dma_log_error(const struct sim_pci_node *dev, dma_addr_t addr,
			      bool write, enum sim_dma_error_reason reason)
{
	pthread_mutex_lock(&sim_pci.error_lock);
	sim_pci.last_error.reason = reason;
	sim_pci.last_error.rid = dev->fw.rid;
	sim_pci.last_error.addr = addr;
	sim_pci.last_error.write = write;
	pthread_mutex_unlock(&sim_pci.error_lock);
	__atomic_add_fetch(&sim_pci.stats.errors, 1, __ATOMIC_RELAXED);
	if (reason == SIM_DMA_ERR_DECODE)
		__atomic_add_fetch(&sim_pci.stats.no_decode, 1,
				   __ATOMIC_RELAXED);
	else if (reason == SIM_DMA_ERR_BUS_MASTER)
		__atomic_add_fetch(&sim_pci.stats.no_bus_master, 1,
				   __ATOMIC_RELAXED);
}

/* Route every transaction of a transfer into @plan. */
static int sim_dma_plan(struct sim_dma_plan *plan,
			const struct sim_pci_node *dev, dma_addr_t addr,
			size_t len, bool write)
{
	enum sim_dma_error_reason reason = SIM_DMA_ERR_ADDR_WIDTH;
	u64 mask = dev->fw.dma_bits >= 64 ? U64_MAX :
		   (1ULL << dev->fw.dma_bits) - 1;
	phys_addr_t phys;
	int ret = -EIO;
	u64 n;

	if (addr > mask || len - 1 > mask - addr)
		goto out_error;
	while (len) {
		n = min_t(u64, len, PAGE_SIZE - (addr & (PAGE_SIZE - 1)));
		ret = sim_dma_route(dev, addr, &n, write, &phys, &plan->tally,
				    &reason);
		if (ret)
			goto out_error;
		ret = sim_dma_plan_add(plan, phys, n);
		if (ret)
			return ret;
		plan->tally.transactions++;
		plan->tally.bytes += n;
		addr += n;
		len -= n;
	}
	return 0;

out_error:
	sim_dma_log_error(dev, addr, write, reason);
	return ret;
}

/*
 * Move the bytes of a planned transfer of @dev, checking again, under the
 * map lock that config space publishes under, that @dev may master and
 * that every BAR still decodes.  Return: 0; -ENODEV if @dev was
 * unplugged meanwhile; -EIO with *@reason (nothing moved from the failing
 * segment on).
 */
static int sim_dma_copy(const struct sim_dma_plan *plan,
			const struct sim_pci_node *dev, void *buf, bool write,
			enum sim_dma_error_reason *reason)
{
	const struct sim_window *w;
	bool coherent = !dev->fw.dma_noncoherent;
	unsigned int i;
	u8 *p = buf;
	int ret = 0;

	pthread_rwlock_rdlock(&sim_phys_map_lock);
	if (!sim_pci_present(dev)) {
		ret = -ENODEV;		/* unplugged meanwhile */
	} else if (!(sim_pci_state(dev) & SIM_PCI_ST_MASTER)) {
		*reason = SIM_DMA_ERR_BUS_MASTER;
		ret = -EIO;
	}
	for (i = 0; i < plan->nr && !ret; i++) {
		const struct sim_dma_seg *seg = &plan->seg[i];
		u64 off = 0;

		/* A segment may run across touching windows. */
		while (off < seg->len) {
			u64 n;
			u8 *host;

			w = __sim_window_find(seg->phys + off, 1);
			if (!w || w->kind == SIM_WINDOW_REGS ||
			    !__sim_window_decodes(w)) {
				/* Changed since it was routed. */
				if (w && w->kind == SIM_WINDOW_MMIO)
					sim_pci_count_decode_error(w->owner,
								   true);
				*reason = !w ? SIM_DMA_ERR_NO_TARGET :
					  w->kind == SIM_WINDOW_REGS ?
					  SIM_DMA_ERR_REGISTERS :
					  SIM_DMA_ERR_DECODE;
				ret = -EIO;
				break;
			}
			n = min_t(u64, seg->len - off,
				  w->size - (seg->phys + off - w->base));
			host = w->host + (seg->phys + off - w->base);
			if (w->kind == SIM_WINDOW_RAM &&
			    (!coherent || sim_cache_active()))
				sim_cache_dma_access(dev->fw.rid, coherent,
						     seg->phys + off, host, p, n,
						     write);
			else if (write)
				memcpy(host, p, n);
			else
				memcpy(p, host, n);
			p += n;
			off += n;
		}
	}
	pthread_rwlock_unlock(&sim_phys_map_lock);
	return ret;
}

static void sim_dma_account(const struct sim_dma_stats *t)
{
	struct sim_dma_stats *s = &sim_pci.stats;

	__atomic_add_fetch(&s->transfers, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&s->transactions, t->transactions, __ATOMIC_RELAXED);
	__atomic_add_fetch(&s->bytes, t->bytes, __ATOMIC_RELAXED);
	__atomic_add_fetch(&s->p2p, t->p2p, __ATOMIC_RELAXED);
	__atomic_add_fetch(&s->root_complex, t->root_complex, __ATOMIC_RELAXED);
	__atomic_add_fetch(&s->translated, t->translated, __ATOMIC_RELAXED);
	__atomic_add_fetch(&s->host_bridge_p2p, t->host_bridge_p2p,
			   __ATOMIC_RELAXED);
	__atomic_add_fetch(&s->completions_redirected,
			   t->completions_redirected, __ATOMIC_RELAXED);
}

/* The transfer trace: a ring of the latest records. */
static struct {
	pthread_mutex_t lock;
	bool on;
	u64 seq;
	u64 dropped;
	unsigned int head;
	unsigned int count;
	struct sim_dma_trace_rec ring[SIM_DMA_TRACE_RING];
} sim_dma_trace = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void sim_dma_trace_add(u16 rid, dma_addr_t addr, u64 len, bool write,
			      int status)
{
	struct sim_dma_trace_rec *rec;

	pthread_mutex_lock(&sim_dma_trace.lock);
	sim_dma_trace.seq++;
	if (sim_dma_trace.count == SIM_DMA_TRACE_RING) {
		sim_dma_trace.dropped++;
	} else {
		rec = &sim_dma_trace.ring[(sim_dma_trace.head +
					   sim_dma_trace.count) %
					  SIM_DMA_TRACE_RING];
		rec->seq = sim_dma_trace.seq;
		rec->rid = rid;
		rec->write = write;
		rec->status = status;
		rec->addr = addr;
		rec->len = len;
		sim_dma_trace.count++;
	}
	pthread_mutex_unlock(&sim_dma_trace.lock);
}

static int sim_dma_xfer(u16 rid, dma_addr_t addr, void *buf, size_t len,
			bool write)
{
	struct sim_dma_plan plan = { .cap = SIM_DMA_INLINE_SEGS };
	enum sim_dma_error_reason reason;
	const struct sim_pci_node *dev;
	int ret;

	dev = sim_pci_find_rid(rid);
	if (!dev)
		return -ENODEV;
	if (!len)
		return 0;
	if (!(sim_pci_state(dev) & SIM_PCI_ST_MASTER)) {
		/* Nothing reaches the bus: no trace record. */
		sim_dma_log_error(dev, addr, write, SIM_DMA_ERR_BUS_MASTER);
		return -EIO;
	}

	plan.seg = plan.inline_seg;
	ret = sim_dma_plan(&plan, dev, addr, len, write);
	if (!ret) {
		ret = sim_dma_copy(&plan, dev, buf, write, &reason);
		if (ret == -EIO)	/* logged at the transfer's address */
			sim_dma_log_error(dev, addr, write, reason);
	}
	if (!ret)
		sim_dma_account(&plan.tally);
	if (__atomic_load_n(&sim_dma_trace.on, __ATOMIC_RELAXED))
		sim_dma_trace_add(rid, addr, len, write, ret);
	if (plan.seg != plan.inline_seg)
		free(plan.seg);
	return ret;
}

/**
 * sim_dma_write() - a device writes to memory
 * @rid: the device's requester ID
 * @addr: the DMA address it writes at
 * @buf: the bytes
 * @len: how many
 *
 * Routed as the top of this file says; all or nothing.
 *
 * Return: 0; -ENODEV if no endpoint present has @rid (or there is no
 * machine); -EIO for an unsupported request, an address beyond the
 * device's address bits, nothing at the address, or Bus Master Enable
 * off; -EFAULT if the IOMMU refused a translation; -ENOMEM.
 */
int sim_dma_write(u16 rid, dma_addr_t addr, const void *buf, size_t len)
{
	return sim_dma_xfer(rid, addr, (void *)buf, len, true);
}

/**
 * sim_dma_read() - a device reads from memory
 * @rid: the device's requester ID
 * @addr: the DMA address it reads at
 * @buf: where the bytes go
 * @len: how many
 *
 * Routed as the top of this file says; on failure @buf is untouched.
 *
 * Return: as sim_dma_write().
 */
int sim_dma_read(u16 rid, dma_addr_t addr, void *buf, size_t len)
{
	return sim_dma_xfer(rid, addr, buf, len, false);
}

/**
 * sim_dma_stats_get() - read the fabric's DMA counters
 * @stats: filled in; each counter is read atomically, not all at once
 */
void sim_dma_stats_get(struct sim_dma_stats *stats)
{
	const struct sim_dma_stats *s = &sim_pci.stats;

	stats->transfers = __atomic_load_n(&s->transfers, __ATOMIC_RELAXED);
	stats->transactions = __atomic_load_n(&s->transactions, __ATOMIC_RELAXED);
	stats->bytes = __atomic_load_n(&s->bytes, __ATOMIC_RELAXED);
	stats->p2p = __atomic_load_n(&s->p2p, __ATOMIC_RELAXED);
	stats->root_complex = __atomic_load_n(&s->root_complex, __ATOMIC_RELAXED);
	stats->translated = __atomic_load_n(&s->translated, __ATOMIC_RELAXED);
	stats->host_bridge_p2p = __atomic_load_n(&s->host_bridge_p2p,
						 __ATOMIC_RELAXED);
	stats->completions_redirected =
		__atomic_load_n(&s->completions_redirected, __ATOMIC_RELAXED);
	stats->errors = __atomic_load_n(&s->errors, __ATOMIC_RELAXED);
	stats->no_decode = __atomic_load_n(&s->no_decode, __ATOMIC_RELAXED);
	stats->no_bus_master = __atomic_load_n(&s->no_bus_master,
					       __ATOMIC_RELAXED);
}

/**
 * sim_dma_last_error() - the last DMA error the fabric logged
 * @err: filled in; reason SIM_DMA_ERR_NONE if there was none
 */
void sim_dma_last_error(struct sim_dma_error *err)
{
	pthread_mutex_lock(&sim_pci.error_lock);
	*err = sim_pci.last_error;
	pthread_mutex_unlock(&sim_pci.error_lock);
}

/**
 * sim_dma_trace_enable() - switch the transfer trace on or off
 * @on: trace from now on
 *
 * Switching it on or off keeps the records already in the ring.
 */
void sim_dma_trace_enable(bool on)
{
	__atomic_store_n(&sim_dma_trace.on, on, __ATOMIC_RELAXED);
}

/**
 * sim_dma_trace_read() - take the oldest record of the transfer trace
 * @rec: filled in
 *
 * Return: 0, or -ENOENT when the ring is empty.
 */
int sim_dma_trace_read(struct sim_dma_trace_rec *rec)
{
	int ret = -ENOENT;

	pthread_mutex_lock(&sim_dma_trace.lock);
	if (sim_dma_trace.count) {
		*rec = sim_dma_trace.ring[sim_dma_trace.head];
		sim_dma_trace.head = (sim_dma_trace.head + 1) %
				     SIM_DMA_TRACE_RING;
		sim_dma_trace.count--;
		ret = 0;
	}
	pthread_mutex_unlock(&sim_dma_trace.lock);
	return ret;
}

/**
 * sim_dma_trace_dropped() - records lost because the ring was full
 *
 * Return: the count since the machine was created.
 */
u64 sim_dma_trace_dropped(void)
{
	u64 n;

	pthread_mutex_lock(&sim_dma_trace.lock);
	n = sim_dma_trace.dropped;
	pthread_mutex_unlock(&sim_dma_trace.lock);
	return n;
}

/**
 * sim_dma_trace_reset() - switch the trace off and empty it
 *
 * Machine-internal: sim_machine_destroy() calls it.
 */
void sim_dma_trace_reset(void)
{
	pthread_mutex_lock(&sim_dma_trace.lock);
	sim_dma_trace.on = false;
	sim_dma_trace.seq = 0;
	sim_dma_trace.dropped = 0;
	sim_dma_trace.head = 0;
	sim_dma_trace.count = 0;
	pthread_mutex_unlock(&sim_dma_trace.lock);
}
