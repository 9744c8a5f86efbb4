// SPDX-License-Identifier: GPL-2.0
/*
 * The CPU's data cache as non-coherent DMA sees it: sim/cache.h says what
 * the model is.  This file keeps "memory" for the pages where it may
 * differ from the CPU's view.
 *
 * Shadows.  A page's memory is a struct sim_shadow: a copy of its 4 KiB
 * and one bit per 64-byte line saying "a non-coherent device wrote this
 * line since the CPU last invalidated it".  A shadow is made, as a copy of
 * the CPU's view, by the first clean of the page or the first non-coherent
 * device write to it; until then memory and cache agree, and a
 * non-coherent read of the page reads the CPU's view.  Shadows live until
 * the machine is destroyed: dropping one when it matches the cache would
 * hide the next missing clean.
 *
 * Locking: one mutex over the shadow table, the counters and the event
 * ring.  Callers that hold sim_phys_map_lock (the DMA engine) take it
 * inside; clean and invalidate take the phys map lock (read) first, so
 * the order is always phys map, then cache.
 *
 * Ranges are [pa, pa + len), end exclusive, checked for overflow; lines
 * are whole 64-byte lines, a partial line counting as touched.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/overflow.h>
#include <asm/page.h>

#include "sim/cache.h"
#include "sim/internal.h"

#define SIM_CACHE_BUCKETS	1024
#define SIM_LINES_PER_PAGE	(PAGE_SIZE / SIM_CACHE_LINE)

static_assert(SIM_LINES_PER_PAGE == 64);

/**
 * struct sim_shadow - the memory behind one page of the CPU's cache
 * @next: next shadow in the same hash bucket
 * @pfn: the page
 * @dev_wrote: bit n: line n was written by a non-coherent device and not
 *	invalidated since
 * @mem: the page's bytes in memory
 */
struct sim_shadow {
	struct sim_shadow *next;
	u64 pfn;
	u64 dev_wrote;
	u8 mem[PAGE_SIZE];
};

static struct {
	pthread_mutex_t lock;
	struct sim_shadow *bucket[SIM_CACHE_BUCKETS];
	u64 nr_shadows;
	struct sim_cache_stats stats;
	struct sim_cache_event ring[SIM_CACHE_EVENT_RING];
	unsigned int head;
	unsigned int count;
} sim_cache = { .lock = PTHREAD_MUTEX_INITIALIZER };

static unsigned int sim_cache_hash(u64 pfn)
{
	return (pfn * 0x9e3779b97f4a7c15ULL) >> 54;
}

static struct sim_shadow *__sim_cache_find(u64 pfn)
{
	struct sim_shadow *s;

	for (s = sim_cache.bucket[sim_cache_hash(pfn)]; s; s = s->next)
		if (s->pfn == pfn)
			return s;
	return NULL;
}

/* The shadow of @pfn, made from the CPU's view @cpu_page if it has none. */
static struct sim_shadow *__sim_cache_get(u64 pfn, const u8 *cpu_page)
{
	struct sim_shadow *s = __sim_cache_find(pfn);
	unsigned int b;

	if (s)
		return s;
	s = malloc(sizeof(*s));
	if (!s) {
		/* The host is out of memory: nothing a machine can report. */
		fprintf(stderr, "sim: cache: out of host memory\n");
		abort();
	}
	b = sim_cache_hash(pfn);
	s->pfn = pfn;
	s->dev_wrote = 0;
	memcpy(s->mem, cpu_page, PAGE_SIZE);
	s->next = sim_cache.bucket[b];
	sim_cache.bucket[b] = s;
	__atomic_store_n(&sim_cache.nr_shadows, sim_cache.nr_shadows + 1,
			 __ATOMIC_RELEASE);
	sim_cache.stats.shadow_pages++;
	return s;
}

/* Bits of the lines [off, off + n) of a page touches; n > 0. */
static u64 sim_cache_line_bits(u64 off, u64 n)
{
	unsigned int first = off / SIM_CACHE_LINE;
	unsigned int last = (off + n - 1) / SIM_CACHE_LINE;

	return GENMASK_ULL(last, first);
}

enum sim_cache_op { SIM_CACHE_CLEAN, SIM_CACHE_INVALIDATE };

static void __sim_cache_op_page(enum sim_cache_op op, u64 pfn, u8 *cpu_page,
				u64 bits)
{
	struct sim_shadow *s;
	unsigned int line;

	if (op == SIM_CACHE_INVALIDATE) {
		s = __sim_cache_find(pfn);
		if (!s)
			return;		/* memory == cache: nothing to drop */
		for (line = 0; line < SIM_LINES_PER_PAGE; line++) {
			if (!(bits & BIT_ULL(line)))
				continue;
			memcpy(cpu_page + line * SIM_CACHE_LINE,
			       s->mem + line * SIM_CACHE_LINE, SIM_CACHE_LINE);
			sim_cache.stats.lines_dropped++;
		}
		s->dev_wrote &= ~bits;
		return;
	}

	s = __sim_cache_get(pfn, cpu_page);
	for (line = 0; line < SIM_LINES_PER_PAGE; line++) {
		if (!(bits & BIT_ULL(line)) || (s->dev_wrote & BIT_ULL(line)))
			continue;
		memcpy(s->mem + line * SIM_CACHE_LINE,
		       cpu_page + line * SIM_CACHE_LINE, SIM_CACHE_LINE);
		sim_cache.stats.lines_written_back++;
	}
}

static int sim_cache_op(enum sim_cache_op op, phys_addr_t pa, u64 len)
{
	const struct sim_window *w;
	phys_addr_t end;
	int ret = 0;

	if (!len)
		return 0;
	if (check_add_overflow(pa, len, &end))
		return -EINVAL;

	pthread_rwlock_rdlock(&sim_phys_map_lock);
	pthread_mutex_lock(&sim_cache.lock);
	if (op == SIM_CACHE_CLEAN)
		sim_cache.stats.cleans++;
	else
		sim_cache.stats.invalidates++;
	while (pa < end) {
		u64 off = pa & (PAGE_SIZE - 1);
		u64 n = min_t(u64, end - pa, PAGE_SIZE - off);

		w = __sim_window_find(pa, n);
		if (!w) {
			ret = -EINVAL;
			break;
		}
		/* MMIO is not cached: nothing to do for BAR memory. */
		if (w->kind == SIM_WINDOW_RAM)
			__sim_cache_op_page(op, pa >> PAGE_SHIFT,
					    w->host + (pa - off - w->base),
					    sim_cache_line_bits(off, n));
		pa += n;
	}
	pthread_mutex_unlock(&sim_cache.lock);
	pthread_rwlock_unlock(&sim_phys_map_lock);
	return ret;
}

/**
 * sim_cpu_cache_clean() - write the CPU's cache lines back to memory
 * @pa: first physical address
 * @len: bytes; every line they touch is cleaned
 *
 * The instruction a kernel issues before a non-coherent device reads
 * memory the CPU wrote (DC CVAC by range).  Lines a non-coherent device
 * wrote since their last invalidate are not written back.  BAR memory is
 * uncached: nothing happens there.
 *
 * Return: 0, or -EINVAL if part of the range is not memory (or wraps).
 */
int sim_cpu_cache_clean(phys_addr_t pa, u64 len)
{
	return sim_cache_op(SIM_CACHE_CLEAN, pa, len);
}

/**
 * sim_cpu_cache_invalidate() - drop the CPU's cache lines
 * @pa: first physical address
 * @len: bytes; every line they touch is invalidated
 *
 * The instruction a kernel issues before the CPU reads memory a
 * non-coherent device wrote (DC IVAC by range): the CPU's view of the
 * lines becomes what memory holds, and whatever the CPU wrote to them
 * since their last clean is lost, as on hardware.
 *
 * Return: 0, or -EINVAL if part of the range is not memory (or wraps).
 */
int sim_cpu_cache_invalidate(phys_addr_t pa, u64 len)
{
	return sim_cache_op(SIM_CACHE_INVALIDATE, pa, len);
}

static void __sim_cache_log(u16 rid, phys_addr_t pa, unsigned int lines)
{
	struct sim_cache_event *ev;

	sim_cache.stats.stale_reads += lines;
	if (sim_cache.count == SIM_CACHE_EVENT_RING) {
		sim_cache.stats.events_dropped++;
		return;
	}
	ev = &sim_cache.ring[(sim_cache.head + sim_cache.count) %
			     SIM_CACHE_EVENT_RING];
	ev->kind = SIM_CACHE_STALE_READ;
	ev->rid = rid;
	ev->pa = pa;
	ev->lines = lines;
	sim_cache.count++;
}

/* A non-coherent read of [off, off + n) of one page. */
static void __sim_cache_read_page(u16 rid, phys_addr_t pa, u8 *cpu, u8 *buf,
				  u64 off, u64 n)
{
	struct sim_shadow *s = __sim_cache_find(pa >> PAGE_SHIFT);
	u8 *cpu_page = cpu - off;
	unsigned int line, stale = 0;
	phys_addr_t first = 0;
	u64 bits;

	if (!s) {
		memcpy(buf, cpu, n);
		return;
	}
	memcpy(buf, s->mem + off, n);
	bits = sim_cache_line_bits(off, n) & ~s->dev_wrote;
	for (line = 0; line < SIM_LINES_PER_PAGE; line++) {
		if (!(bits & BIT_ULL(line)) ||
		    !memcmp(cpu_page + line * SIM_CACHE_LINE,
			    s->mem + line * SIM_CACHE_LINE, SIM_CACHE_LINE))
			continue;
		if (!stale++)
			first = (pa - off) + line * SIM_CACHE_LINE;
	}
	if (stale)
		__sim_cache_log(rid, first, stale);
}

/**
 * sim_cache_active() - might any page's memory differ from the CPU's view?
 *
 * Machine-internal: the DMA engine skips the model for coherent devices
 * while there is no shadow at all.
 */
bool sim_cache_active(void)
{
	return __atomic_load_n(&sim_cache.nr_shadows, __ATOMIC_ACQUIRE) != 0;
}

/**
 * sim_cache_dma_access() - a device's DMA to RAM, through the cache model
 * @rid: the device
 * @coherent: the device snoops the CPU's caches
 * @pa: physical address of the first byte; the access stays in one RAM
 *	window
 * @cpu: the CPU's view of @pa (the window's host memory)
 * @buf: the device's side of the transfer
 * @len: bytes
 * @write: the device writes memory
 *
 * Machine-internal (sim/dma.c), called with sim_phys_map_lock held for
 * reading.
 */
void sim_cache_dma_access(u16 rid, bool coherent, phys_addr_t pa, u8 *cpu,
			  u8 *buf, u64 len, bool write)
{
	pthread_mutex_lock(&sim_cache.lock);
	while (len) {
		u64 off = pa & (PAGE_SIZE - 1);
		u64 n = min_t(u64, len, PAGE_SIZE - off);
		u64 bits = sim_cache_line_bits(off, n);
		struct sim_shadow *s;
		unsigned int line;

		if (!write) {
			if (coherent)
				memcpy(buf, cpu, n);
			else
				__sim_cache_read_page(rid, pa, cpu, buf, off, n);
		} else if (!coherent) {
			s = __sim_cache_get(pa >> PAGE_SHIFT, cpu - off);
			memcpy(s->mem + off, buf, n);
			s->dev_wrote |= bits;
		} else {
			/* Snooped: cache and memory both end up current. */
			memcpy(cpu, buf, n);
			s = __sim_cache_find(pa >> PAGE_SHIFT);
			if (s) {
				for (line = 0; line < SIM_LINES_PER_PAGE; line++)
					if (bits & BIT_ULL(line))
						memcpy(s->mem + line * SIM_CACHE_LINE,
						       cpu - off + line * SIM_CACHE_LINE,
						       SIM_CACHE_LINE);
				s->dev_wrote &= ~bits;
			}
		}
		pa += n;
		cpu += n;
		buf += n;
		len -= n;
	}
	pthread_mutex_unlock(&sim_cache.lock);
}

/**
 * sim_cache_read_event() - take the oldest record of the coherency checker
 * @ev: filled in
 *
 * Return: 0, or -ENOENT when the ring is empty.
 */
int sim_cache_read_event(struct sim_cache_event *ev)
{
	int ret = -ENOENT;

	pthread_mutex_lock(&sim_cache.lock);
	if (sim_cache.count) {
		*ev = sim_cache.ring[sim_cache.head];
		sim_cache.head = (sim_cache.head + 1) % SIM_CACHE_EVENT_RING;
		sim_cache.count--;
		ret = 0;
	}
	pthread_mutex_unlock(&sim_cache.lock);
	return ret;
}

/**
 * sim_cache_stats_get() - read the cache model's counters
 * @stats: filled in
 */
void sim_cache_stats_get(struct sim_cache_stats *stats)
{
	pthread_mutex_lock(&sim_cache.lock);
	*stats = sim_cache.stats;
	pthread_mutex_unlock(&sim_cache.lock);
}

/**
 * sim_cache_destroy() - forget every shadow, counter and record
 *
 * Machine-internal: sim_machine_destroy() calls it with the machine gone.
 */
void sim_cache_destroy(void)
{
	struct sim_shadow *s, *next;
	unsigned int b;

	pthread_mutex_lock(&sim_cache.lock);
	for (b = 0; b < SIM_CACHE_BUCKETS; b++) {
		for (s = sim_cache.bucket[b]; s; s = next) {
			next = s->next;
			free(s);
		}
		sim_cache.bucket[b] = NULL;
	}
	__atomic_store_n(&sim_cache.nr_shadows, 0, __ATOMIC_RELEASE);
	memset(&sim_cache.stats, 0, sizeof(sim_cache.stats));
	sim_cache.head = 0;
	sim_cache.count = 0;
	pthread_mutex_unlock(&sim_cache.lock);
}
