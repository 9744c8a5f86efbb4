// SPDX-License-Identifier: GPL-2.0
/*
 * IOMMU hardware: context tables, the page-table walker, the IOTLB,
 * invalidation commands, the fault log and performance counters.  The
 * formats are the datasheet's, <hw/sim_iommu.h>; sim/iommu.h lists who may
 * call what.
 *
 * Each unit is one struct sim_iommu_unit, under one mutex: translation,
 * invalidation and register accesses of a unit are serialised, as a real
 * unit's pipeline would order them.  Units do not share state.
 *
 * The context table is one entry per requester ID (65536), allocated when
 * the unit is created and paged in by the host only where written.
 *
 * The walker reads page-table entries from the machine's own memory, under
 * sim_phys_map_lock (read side), with 64-bit atomic loads: the driver may
 * be writing the same words from another thread.  A table must lie in RAM.
 * Host byte order is taken to be little-endian, the datasheet's.
 *
 * The IOTLB is fully associative, SIM_IOMMU_IOTLB_ENTRIES entries, least
 * recently used replaced first.  An entry caches one leaf: domain ID, the
 * leaf's first IOVA, its level, output address and permissions.  Nothing
 * but an invalidation command (or a permission miss, see the datasheet)
 * removes an entry: a stale translation is served until invalidated.
 *
 * Conventions: IOVA ranges in commands are [first, last], last inclusive;
 * the translatable IOVA space ends at SIM_IOMMU_IOVA_LAST.  The machine
 * allocates with calloc(), never through the kernel side's allocators.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <linux/limits.h>
#include <linux/types.h>

#include "sim/internal.h"
#include "sim/iommu.h"

#define SIM_IOMMU_NR_RIDS	(1U << 16)

/**
 * struct sim_iotlb_entry - one cached leaf translation
 * @valid: the entry holds a translation
 * @did: domain ID tag
 * @level: leaf level, 1 to 3
 * @perm: SIM_IOMMU_PTE_READ and/or SIM_IOMMU_PTE_WRITE
 * @iova: first IOVA of the leaf
 * @phys: output address of the leaf
 * @stamp: last use, for LRU replacement
 */
struct sim_iotlb_entry {
	bool valid;
	u16 did;
	u8 level;
	u64 perm;
	u64 iova;
	phys_addr_t phys;
	u64 stamp;
};

/**
 * struct sim_iommu_unit - one IOMMU unit
 * @lock: serialises everything below
 * @ctx: the context table, indexed by requester ID
 * @iotlb: the IOTLB
 * @iotlb_valid: entries of @iotlb holding a translation (an empty IOTLB
 *	makes invalidation a no-op, as a real unit's is cheap)
 * @clock: source of @iotlb stamps
 * @log: the fault log, a ring
 * @log_head: index of the oldest record
 * @log_count: records in the ring
 * @stats: performance counters
 */
struct sim_iommu_unit {
	pthread_mutex_t lock;
	struct sim_iommu_context *ctx;
	struct sim_iotlb_entry iotlb[SIM_IOMMU_IOTLB_ENTRIES];
	unsigned int iotlb_valid;
	u64 clock;
	struct sim_iommu_fault log[SIM_IOMMU_FAULT_LOG_LEN];
	unsigned int log_head;
	unsigned int log_count;
	struct sim_iommu_stats stats;
};

static struct sim_iommu_unit *sim_iommu_units;
static unsigned int sim_iommu_nr;

/* Serialises create and destroy. */
static pthread_mutex_t sim_iommu_create_lock = PTHREAD_MUTEX_INITIALIZER;

static struct sim_iommu_unit *sim_iommu_unit(unsigned int unit)
{
	if (unit >= __atomic_load_n(&sim_iommu_nr, __ATOMIC_ACQUIRE))
		return NULL;
	return &sim_iommu_units[unit];
}

/**
 * sim_iommu_create() - build the machine's IOMMU units
 * @nr_units: how many; 0 is a machine without an IOMMU
 *
 * Every context entry starts invalid (DMA blocked), the IOTLBs empty.
 * Called by sim_machine_create().
 *
 * Return: 0; -EBUSY if units exist; -EINVAL if @nr_units exceeds
 * SIM_IOMMU_MAX_UNITS; -ENOMEM.
 */
int sim_iommu_create(unsigned int nr_units)
{
	struct sim_iommu_unit *units;
	unsigned int i;
	int ret = 0;

	if (nr_units > SIM_IOMMU_MAX_UNITS)
		return -EINVAL;
	pthread_mutex_lock(&sim_iommu_create_lock);
	if (sim_iommu_nr) {
		ret = -EBUSY;
		goto out_unlock;
	}
	if (!nr_units)
		goto out_unlock;

	units = calloc(nr_units, sizeof(*units));
	if (!units) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	for (i = 0; i < nr_units; i++) {
		units[i].ctx = calloc(SIM_IOMMU_NR_RIDS, sizeof(*units[i].ctx));
		if (!units[i].ctx) {
			ret = -ENOMEM;
			goto out_free;
		}
		pthread_mutex_init(&units[i].lock, NULL);
	}
	sim_iommu_units = units;
	__atomic_store_n(&sim_iommu_nr, nr_units, __ATOMIC_RELEASE);
	goto out_unlock;

out_free:
	while (i--) {
		pthread_mutex_destroy(&units[i].lock);
		free(units[i].ctx);
	}
	free(units);
out_unlock:
	pthread_mutex_unlock(&sim_iommu_create_lock);
	return ret;
}

/**
 * sim_iommu_destroy() - drop the IOMMU units
 *
 * Nothing may be translating.  A no-op without units.  Called by
 * sim_machine_destroy().
 */
void sim_iommu_destroy(void)
{
	unsigned int i, nr;

	pthread_mutex_lock(&sim_iommu_create_lock);
	nr = sim_iommu_nr;
	__atomic_store_n(&sim_iommu_nr, 0, __ATOMIC_RELEASE);
	for (i = 0; i < nr; i++) {
		pthread_mutex_destroy(&sim_iommu_units[i].lock);
		free(sim_iommu_units[i].ctx);
	}
	free(sim_iommu_units);
	sim_iommu_units = NULL;
	pthread_mutex_unlock(&sim_iommu_create_lock);
}

/**
 * sim_iommu_nr_units() - the firmware's count of IOMMU units
 *
 * Return: the number of units; 0 when the machine has no IOMMU.
 */
unsigned int sim_iommu_nr_units(void)
{
	return __atomic_load_n(&sim_iommu_nr, __ATOMIC_ACQUIRE);
}

/**
 * sim_iommu_write_context() - write a unit's context register for one RID
 * @unit: the unit
 * @rid: the requester ID
 * @ctx: the new entry; see the datasheet.  All-zero blocks the RID.
 *
 * The unit stores the entry as written and checks it when it is used:
 * a malformed entry faults the device's transactions (BAD_CONTEXT).  The
 * IOTLB is not touched; the driver invalidates what needs it.
 *
 * Return: 0, or -ENODEV for a bad unit.
 */
int sim_iommu_write_context(unsigned int unit, u16 rid,
			    const struct sim_iommu_context *ctx)
{
	struct sim_iommu_unit *u = sim_iommu_unit(unit);

	if (!u)
		return -ENODEV;
	pthread_mutex_lock(&u->lock);
	u->ctx[rid] = *ctx;
	pthread_mutex_unlock(&u->lock);
	return 0;
}

/**
 * sim_iommu_read_context() - read back a unit's context entry for one RID
 * @unit: the unit
 * @rid: the requester ID
 * @ctx: filled with the entry
 *
 * Return: 0, or -ENODEV for a bad unit.
 */
int sim_iommu_read_context(unsigned int unit, u16 rid,
			   struct sim_iommu_context *ctx)
{
	struct sim_iommu_unit *u = sim_iommu_unit(unit);

	if (!u)
		return -ENODEV;
	pthread_mutex_lock(&u->lock);
	*ctx = u->ctx[rid];
	pthread_mutex_unlock(&u->lock);
	return 0;
}

/* Does IOTLB entry @e overlap [first, last]? */
static bool sim_iotlb_overlaps(const struct sim_iotlb_entry *e, u64 first,
			       u64 last)
{
	u64 e_last = e->iova + (SIM_IOMMU_LEVEL_SIZE(e->level) - 1);

	return e->iova <= last && first <= e_last;
}

/**
 * sim_iommu_invalidate() - submit an IOTLB invalidation command
 * @unit: the unit
 * @cmd: the command; see struct sim_iommu_inv_cmd
 *
 * The command has completed when this returns.
 *
 * Return: 0; -ENODEV for a bad unit; -EINVAL for a malformed command
 * (unknown type, reserved field set, @first > @last), which is ignored.
 */
int sim_iommu_invalidate(unsigned int unit,
			 const struct sim_iommu_inv_cmd *cmd)
{
	struct sim_iommu_unit *u = sim_iommu_unit(unit);
	unsigned int i;

	if (!u)
		return -ENODEV;
	if (cmd->__reserved)
		return -EINVAL;
	switch (cmd->type) {
	case SIM_IOMMU_INV_GLOBAL:
	case SIM_IOMMU_INV_DOMAIN:
		break;
	case SIM_IOMMU_INV_RANGE:
		if (cmd->first > cmd->last)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}

	pthread_mutex_lock(&u->lock);
	for (i = 0; i < SIM_IOMMU_IOTLB_ENTRIES && u->iotlb_valid; i++) {
		struct sim_iotlb_entry *e = &u->iotlb[i];

		if (!e->valid)
			continue;
		if (cmd->type != SIM_IOMMU_INV_GLOBAL && e->did != cmd->did)
			continue;
		if (cmd->type == SIM_IOMMU_INV_RANGE &&
		    !sim_iotlb_overlaps(e, cmd->first, cmd->last))
			continue;
		e->valid = false;
		u->iotlb_valid--;
		u->stats.iotlb_invalidated++;
	}
	u->stats.inv_cmds++;
	pthread_mutex_unlock(&u->lock);
	return 0;
}

/**
 * sim_iommu_read_fault() - take the oldest record from a unit's fault log
 * @unit: the unit
 * @fault: filled with the record
 *
 * Return: 0; -ENOENT when the log is empty; -ENODEV for a bad unit.
 */
int sim_iommu_read_fault(unsigned int unit, struct sim_iommu_fault *fault)
{
	struct sim_iommu_unit *u = sim_iommu_unit(unit);
	int ret = -ENOENT;

	if (!u)
		return -ENODEV;
	pthread_mutex_lock(&u->lock);
	if (u->log_count) {
		*fault = u->log[u->log_head];
		u->log_head = (u->log_head + 1) % SIM_IOMMU_FAULT_LOG_LEN;
		u->log_count--;
		ret = 0;
	}
	pthread_mutex_unlock(&u->lock);
	return ret;
}

/**
 * sim_iommu_read_stats() - read a unit's performance counters
 * @unit: the unit
 * @stats: filled with the counters
 *
 * Return: 0, or -ENODEV for a bad unit.
 */
int sim_iommu_read_stats(unsigned int unit, struct sim_iommu_stats *stats)
{
	struct sim_iommu_unit *u = sim_iommu_unit(unit);

	if (!u)
		return -ENODEV;
	pthread_mutex_lock(&u->lock);
	*stats = u->stats;
	pthread_mutex_unlock(&u->lock);
	return 0;
}

/* Record a fault; caller holds u->lock.  Always returns -EFAULT. */
static int sim_iommu_fault(struct sim_iommu_unit *u, u16 rid, u16 did,
			   u64 iova, bool write, u8 reason, u8 level)
{
	struct sim_iommu_fault *f;

	u->stats.faults++;
	if (u->log_count == SIM_IOMMU_FAULT_LOG_LEN) {
		u->stats.faults_dropped++;
		return -EFAULT;
	}
	f = &u->log[(u->log_head + u->log_count) % SIM_IOMMU_FAULT_LOG_LEN];
	memset(f, 0, sizeof(*f));
	f->iova = iova;
	f->rid = rid;
	f->did = did;
	f->access = write ? SIM_IOMMU_ACCESS_WRITE : SIM_IOMMU_ACCESS_READ;
	f->reason = reason;
	f->level = level;
	u->log_count++;
	return -EFAULT;
}

/* Host address of the 8-byte word at @pa if it is RAM.  Map lock held. */
static const u64 *sim_iommu_ram_word(phys_addr_t pa)
{
	const struct sim_window *w = __sim_window_find(pa, sizeof(u64));

	if (!w || w->kind != SIM_WINDOW_RAM)
		return NULL;
	return (const u64 *)(w->host + (pa - w->base));
}

/**
 * struct sim_iommu_leaf - what a walk found
 * @level: leaf level
 * @pte: the leaf entry
 * @fault_level: the level where a failed walk stopped
 */
struct sim_iommu_leaf {
	unsigned int level;
	u64 pte;
	unsigned int fault_level;
};

/*
 * Walk the table at @root for @iova.  Returns 0 with @leaf filled, or a
 * fault reason with @leaf->fault_level set.  Caller holds u->lock.
 */
static int sim_iommu_walk(struct sim_iommu_unit *u, phys_addr_t root,
			  u64 iova, struct sim_iommu_leaf *leaf)
{
	phys_addr_t table = root;
	unsigned int lvl;
	int reason = 0;

	pthread_rwlock_rdlock(&sim_phys_map_lock);
	for (lvl = SIM_IOMMU_LEVELS; lvl >= 1; lvl--) {
		phys_addr_t pa = table + 8 * SIM_IOMMU_LEVEL_INDEX(iova, lvl);
		const u64 *word = sim_iommu_ram_word(pa);
		u64 pte, addr;

		leaf->fault_level = lvl;
		if (!word) {
			reason = lvl == SIM_IOMMU_LEVELS ?
				 SIM_IOMMU_FAULT_BAD_CONTEXT :
				 SIM_IOMMU_FAULT_BAD_PTE;
			break;
		}
		pte = __atomic_load_n(word, __ATOMIC_ACQUIRE);
		u->stats.pte_reads++;
		if (!(pte & SIM_IOMMU_PTE_PRESENT)) {
			reason = SIM_IOMMU_FAULT_NOT_PRESENT;
			break;
		}
		addr = pte & SIM_IOMMU_PTE_ADDR_MASK;
		if ((pte & SIM_IOMMU_PTE_RESERVED) ||
		    (lvl == SIM_IOMMU_LEVELS && (pte & SIM_IOMMU_PTE_LEAF)) ||
		    (lvl == 1 && !(pte & SIM_IOMMU_PTE_LEAF))) {
			reason = SIM_IOMMU_FAULT_BAD_PTE;
			break;
		}
		if (pte & SIM_IOMMU_PTE_LEAF) {
			if (addr & (SIM_IOMMU_LEVEL_SIZE(lvl) - 1)) {
				reason = SIM_IOMMU_FAULT_BAD_PTE;
				break;
			}
			leaf->level = lvl;
			leaf->pte = pte;
			break;
		}
		table = addr;
	}
	pthread_rwlock_unlock(&sim_phys_map_lock);
	return reason;
}

/* The IOTLB entry translating (@did, @iova), or NULL.  Lock held. */
static struct sim_iotlb_entry *sim_iotlb_lookup(struct sim_iommu_unit *u,
						u16 did, u64 iova)
{
	unsigned int i;

	for (i = 0; i < SIM_IOMMU_IOTLB_ENTRIES; i++) {
		struct sim_iotlb_entry *e = &u->iotlb[i];

		if (e->valid && e->did == did &&
		    sim_iotlb_overlaps(e, iova, iova))
			return e;
	}
	return NULL;
}

/* Cache a leaf, replacing a free or the least recently used entry. */
static struct sim_iotlb_entry *sim_iotlb_fill(struct sim_iommu_unit *u,
					      u16 did, u64 iova,
					      const struct sim_iommu_leaf *leaf)
{
	struct sim_iotlb_entry *victim = &u->iotlb[0];
	u64 size = SIM_IOMMU_LEVEL_SIZE(leaf->level);
	unsigned int i;

	for (i = 0; i < SIM_IOMMU_IOTLB_ENTRIES; i++) {
		struct sim_iotlb_entry *e = &u->iotlb[i];

		if (!e->valid) {
			victim = e;
			break;
		}
		if (e->stamp < victim->stamp)
			victim = e;
	}
	if (!victim->valid)
		u->iotlb_valid++;
	victim->valid = true;
	victim->did = did;
	victim->level = leaf->level;
	victim->perm = leaf->pte & (SIM_IOMMU_PTE_READ | SIM_IOMMU_PTE_WRITE);
	victim->iova = iova & ~(size - 1);
	victim->phys = leaf->pte & SIM_IOMMU_PTE_ADDR_MASK;
	return victim;
}

/**
 * sim_iommu_translate() - translate one device transaction
 * @unit: the unit in front of the device
 * @rid: the requester ID the device emitted
 * @iova: the address it emitted
 * @write: the access is a write (else a read)
 * @phys: set to the physical address on success
 * @contig: set to how many bytes from @iova translate contiguously from
 *	@phys: to the end of the leaf, or in bypass to the end of the
 *	address space (2^64 - @iova, U64_MAX for @iova 0)
 *
 * Called by the machine's DMA engines, once per piece of a transaction
 * (a transaction crossing @contig is presented again for the rest).
 * Takes sim_phys_map_lock for reading: never call it holding it for
 * writing.
 *
 * Return: 0, or -EFAULT after recording a fault in the unit's log;
 * -ENODEV for a bad unit (nothing is recorded).
 */
int sim_iommu_translate(unsigned int unit, u16 rid, u64 iova, bool write,
			phys_addr_t *phys, u64 *contig)
{
	struct sim_iommu_unit *u = sim_iommu_unit(unit);
	u64 need = write ? SIM_IOMMU_PTE_WRITE : SIM_IOMMU_PTE_READ;
	struct sim_iommu_context ctx;
	struct sim_iommu_leaf leaf;
	struct sim_iotlb_entry *e;
	u64 mode, size, off;
	int reason, ret = 0;
	u16 did;

	if (!u)
		return -ENODEV;
	pthread_mutex_lock(&u->lock);
	u->stats.translations++;
	ctx = u->ctx[rid];
	if (!(ctx.ctrl & SIM_IOMMU_CTX_VALID)) {
		ret = sim_iommu_fault(u, rid, 0, iova, write,
				      SIM_IOMMU_FAULT_NO_CONTEXT, 0);
		goto out_unlock;
	}
	mode = (ctx.ctrl & SIM_IOMMU_CTX_MODE_MASK) >> SIM_IOMMU_CTX_MODE_SHIFT;
	did = (ctx.ctrl & SIM_IOMMU_CTX_DID_MASK) >> SIM_IOMMU_CTX_DID_SHIFT;
	if ((ctx.ctrl & SIM_IOMMU_CTX_RESERVED) ||
	    (mode != SIM_IOMMU_CTX_MODE_TRANSLATE &&
	     mode != SIM_IOMMU_CTX_MODE_BYPASS)) {
		ret = sim_iommu_fault(u, rid, 0, iova, write,
				      SIM_IOMMU_FAULT_BAD_CONTEXT, 0);
		goto out_unlock;
	}
	if (mode == SIM_IOMMU_CTX_MODE_BYPASS) {
		*phys = iova;
		*contig = iova ? 0 - iova : U64_MAX;
		goto out_unlock;
	}
	if (!did || (ctx.root & (SIM_IOMMU_PAGE_SIZE - 1))) {
		ret = sim_iommu_fault(u, rid, did, iova, write,
				      SIM_IOMMU_FAULT_BAD_CONTEXT, 0);
		goto out_unlock;
	}
	if (iova > SIM_IOMMU_IOVA_LAST) {
		ret = sim_iommu_fault(u, rid, did, iova, write,
				      SIM_IOMMU_FAULT_ADDR_SIZE, 0);
		goto out_unlock;
	}

	e = sim_iotlb_lookup(u, did, iova);
	if (e && (e->perm & need)) {
		u->stats.iotlb_hits++;
	} else {
		if (e) {	/* a permission miss: drop it and walk again */
			e->valid = false;
			u->iotlb_valid--;
		}
		u->stats.iotlb_misses++;
		u->stats.page_walks++;
		reason = sim_iommu_walk(u, ctx.root, iova, &leaf);
		if (reason) {
			ret = sim_iommu_fault(u, rid, did, iova, write, reason,
					      leaf.fault_level);
			goto out_unlock;
		}
		if (!(leaf.pte & need)) {
			ret = sim_iommu_fault(u, rid, did, iova, write,
					      SIM_IOMMU_FAULT_PERMISSION,
					      leaf.level);
			goto out_unlock;
		}
		e = sim_iotlb_fill(u, did, iova, &leaf);
	}
	e->stamp = ++u->clock;
	size = SIM_IOMMU_LEVEL_SIZE(e->level);
	off = iova - e->iova;
	*phys = e->phys + off;
	*contig = size - off;
out_unlock:
	pthread_mutex_unlock(&u->lock);
	return ret;
}
