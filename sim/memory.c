// SPDX-License-Identifier: GPL-2.0
/*
 * The machine's physical memory: the physical address map, RAM, and the
 * CPU's loads and stores.
 *
 * Backing.  sim_machine_create() reserves one span of host address space,
 * PROT_NONE and MAP_NORESERVE, covering physical addresses [0, end of the
 * highest RAM region), then maps each RAM region read-write at
 * host + base inside it (MAP_FIXED, MAP_NORESERVE).  Nothing is committed
 * until touched: an untouched page reads as zero through the host's zero
 * page and costs no memory.  Because every RAM byte lives at reservation +
 * pa, the CPU's view of RAM is linear, which is what sim.h promises.  The
 * holes between regions stay PROT_NONE; an MMIO window added later inside
 * the reservation is mapped there too, one above it gets its own mapping.
 *
 * The map.  struct sim_window entries, sorted by base, non-overlapping, in
 * a fixed array (sim_windows[]); lookups binary-search it under
 * sim_phys_map_lock (read side).  Ranges here are [base, base + size):
 * "end" is exclusive everywhere in this file, and every sum of an address
 * and a length is checked for overflow before use.
 *
 * The machine side never allocates through the kernel's allocator
 * (kmalloc and friends): it is hardware, and kernel-side leak counters and
 * fault injection must not see it.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/overflow.h>
#include <linux/types.h>
#include <asm/page.h>

#include "sim/cache.h"
#include "sim/internal.h"
#include "sim/iommu.h"
#include "sim/pci_internal.h"

/**
 * struct sim_memory - the machine's memory, while one is present
 * @present: a machine exists
 * @phys_addr_bits: the CPU's physical address width (set first while a
 *	machine is being built)
 * @nr_ram: RAM regions, sorted by base
 * @ram: the firmware RAM map, as reported to the kernel side
 * @linear: the host reservation covering [0, @linear_size)
 * @linear_size: bytes reserved at @linear
 * @nr_windows: valid entries of @windows
 * @windows: the physical address map, sorted by base
 */
struct sim_memory {
	bool present;
	unsigned int phys_addr_bits;
	unsigned int nr_ram;
	struct sim_ram_region ram[SIM_MAX_RAM_REGIONS];
	u8 *linear;
	u64 linear_size;
	unsigned int nr_windows;
	struct sim_window windows[SIM_MAX_WINDOWS];
};

static struct sim_memory sim_mem;

/* Serialises create and destroy. */
static pthread_mutex_t sim_machine_lock = PTHREAD_MUTEX_INITIALIZER;

pthread_rwlock_t sim_phys_map_lock = PTHREAD_RWLOCK_INITIALIZER;

static bool sim_page_aligned(u64 x)
{
	return (x & (PAGE_SIZE - 1)) == 0;
}

/**
 * sim_default_config() - the default machine: 8 GiB of RAM laid out like a PC
 * @cfg: filled in
 *
 * RAM at [0, 3 GiB) and [4 GiB, 9 GiB); [3 GiB, 4 GiB) is the MMIO hole
 * where 32-bit PCI BARs go.  So there is RAM below 4 GiB for devices with
 * a 32-bit DMA mask and RAM above it that such devices cannot reach.  The
 * PCI fabric is sim_default_board (sim/board_default.c, docs/machine.md).
 */
void sim_default_config(struct sim_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	sim_config_add_ram(cfg, 0, 3ULL << 30);
	sim_config_add_ram(cfg, 4ULL << 30, 5ULL << 30);
	cfg->board = &sim_default_board;
}

/**
 * sim_config_add_ram() - append a RAM region to a configuration
 * @cfg: the configuration
 * @base: first physical address of the region
 * @size: its length in bytes
 *
 * Only the number of regions is checked here; sim_machine_create()
 * validates the rest.
 *
 * Return: 0, or -ENOSPC if @cfg already lists SIM_MAX_RAM_REGIONS regions.
 */
int sim_config_add_ram(struct sim_config *cfg, phys_addr_t base, u64 size)
{
	if (cfg->nr_ram >= SIM_MAX_RAM_REGIONS)
		return -ENOSPC;
	cfg->ram[cfg->nr_ram].base = base;
	cfg->ram[cfg->nr_ram].size = size;
	cfg->nr_ram++;
	return 0;
}

static int sim_region_cmp(const void *a, const void *b)
{
	const struct sim_ram_region *ra = a, *rb = b;

	if (ra->base != rb->base)
		return ra->base < rb->base ? -1 : 1;
	return 0;
}

/* @cfg's physical address width; 0 if it is out of range. */
static unsigned int sim_config_phys_addr_bits(const struct sim_config *cfg)
{
	if (!cfg->phys_addr_bits)
		return SIM_PHYS_ADDR_BITS;
	if (cfg->phys_addr_bits < SIM_FW_PHYS_ADDR_BITS_MIN ||
	    cfg->phys_addr_bits > SIM_FW_PHYS_ADDR_BITS_MAX)
		return 0;
	return cfg->phys_addr_bits;
}

/*
 * Sort @cfg's regions into @out and check them against the width @bits;
 * returns the highest end.
 */
static int sim_config_check(const struct sim_config *cfg, unsigned int bits,
			    struct sim_ram_region *out, u64 *ram_end)
{
	unsigned int i;
	u64 end = 0, prev_end = 0;

	if (!bits || !cfg->nr_ram || cfg->nr_ram > SIM_MAX_RAM_REGIONS)
		return -EINVAL;
	memcpy(out, cfg->ram, cfg->nr_ram * sizeof(*out));
	qsort(out, cfg->nr_ram, sizeof(*out), sim_region_cmp);

	for (i = 0; i < cfg->nr_ram; i++) {
		const struct sim_ram_region *r = &out[i];

		if (!r->size || !sim_page_aligned(r->base) ||
		    !sim_page_aligned(r->size))
			return -EINVAL;
		if (check_add_overflow(r->base, r->size, &end) ||
		    end > 1ULL << bits)
			return -EINVAL;
		if (i && r->base < prev_end)
			return -EINVAL;		/* overlaps its predecessor */
		prev_end = end;
	}
	*ram_end = end;
	return 0;
}

/* Index of the first window whose base is above @pa. */
static unsigned int sim_window_upper(phys_addr_t pa)
{
	unsigned int lo = 0, hi = sim_mem.nr_windows;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (sim_mem.windows[mid].base <= pa)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/**
 * __sim_window_find() - the window holding all of [pa, pa + len)
 * @pa: first byte
 * @len: length in bytes; 0 is treated as 1
 *
 * The caller holds sim_phys_map_lock.
 *
 * Return: the window, or NULL if the range is not entirely inside one.
 */
const struct sim_window *__sim_window_find(phys_addr_t pa, u64 len)
{
	const struct sim_window *w;
	unsigned int idx;
	u64 last, w_last;

	if (!len)
		len = 1;
	if (check_add_overflow(pa, len - 1, &last))
		return NULL;
	idx = sim_window_upper(pa);
	if (!idx)
		return NULL;
	w = &sim_mem.windows[idx - 1];
	w_last = w->base + (w->size - 1);
	if (last > w_last)
		return NULL;
	return w;
}

/* Does [base, base + size) overlap any window?  Caller holds the lock. */
static bool __sim_window_overlaps(phys_addr_t base, u64 size)
{
	unsigned int idx = sim_window_upper(base);
	u64 end = base + size;

	if (idx && sim_mem.windows[idx - 1].base +
		   sim_mem.windows[idx - 1].size > base)
		return true;
	if (idx < sim_mem.nr_windows && sim_mem.windows[idx].base < end)
		return true;
	return false;
}

/* Back [base, base + size) with fresh, lazily committed host memory. */
static u8 *sim_backing_map(phys_addr_t base, u64 size, bool *own_mapping)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
	void *addr = NULL;
	void *p;

	if (base + size <= sim_mem.linear_size) {
		addr = sim_mem.linear + base;
		flags |= MAP_FIXED;
	}
	p = mmap(addr, size, PROT_READ | PROT_WRITE, flags, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	*own_mapping = !addr;
	return p;
}

/* Give the bytes of @w back to the host. */
static void sim_backing_unmap(const struct sim_window *w)
{
	if (!w->host)
		return;
	if (w->own_mapping) {
		munmap(w->host, w->size);
		return;
	}
	/* Inside the reservation: back to PROT_NONE, contents dropped. */
	mmap(w->host, w->size, PROT_NONE,
	     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
}

/**
 * sim_window_add_ops() - add a window to the physical address map
 * @base: first physical address; page aligned
 * @size: length; page aligned, not zero
 * @kind: RAM, MMIO or REGS
 * @ops: what answers besides the bytes (struct sim_window_ops); REGS
 *	needs @read and @write
 * @owner: passed to @ops; NULL for RAM
 * @index: passed to @ops
 *
 * RAM and MMIO windows are backed: their bytes start as zeroes and cost
 * nothing until touched.  REGS windows have no bytes of their own.
 *
 * Return: 0; -ENODEV without a machine (present or being built); -EINVAL
 * for a bad range or REGS without @ops; -EBUSY if it overlaps a window;
 * -ENOSPC if the map is full; -ENOMEM.
 */
int sim_window_add_ops(phys_addr_t base, u64 size, enum sim_window_kind kind,
		       const struct sim_window_ops *ops, void *owner,
		       unsigned int index)
{
	struct sim_window *w;
	bool own_mapping = false;
	unsigned int idx;
	u8 *host = NULL;
	u64 end;
	int ret;

	if (!size || !sim_page_aligned(base) || !sim_page_aligned(size) ||
	    check_add_overflow(base, size, &end))
		return -EINVAL;
	if (kind == SIM_WINDOW_REGS && (!ops || !ops->read || !ops->write))
		return -EINVAL;

	pthread_rwlock_wrlock(&sim_phys_map_lock);
	if (!sim_mem.linear) {
		ret = -ENODEV;
		goto out_unlock;
	}
	if (end > sim_phys_addr_limit()) {
		ret = -EINVAL;
		goto out_unlock;
	}
	if (__sim_window_overlaps(base, size)) {
		ret = -EBUSY;
		goto out_unlock;
	}
	if (sim_mem.nr_windows >= SIM_MAX_WINDOWS) {
		ret = -ENOSPC;
		goto out_unlock;
	}
	if (kind != SIM_WINDOW_REGS) {
		host = sim_backing_map(base, size, &own_mapping);
		if (!host) {
			ret = -ENOMEM;
			goto out_unlock;
		}
	}

	idx = sim_window_upper(base);
	memmove(&sim_mem.windows[idx + 1], &sim_mem.windows[idx],
		(sim_mem.nr_windows - idx) * sizeof(sim_mem.windows[0]));
	w = &sim_mem.windows[idx];
	w->base = base;
	w->size = size;
	w->kind = kind;
	w->host = host;
	w->ops = ops;
	w->owner = owner;
	w->index = index;
	w->own_mapping = own_mapping;
	sim_mem.nr_windows++;
	ret = 0;
out_unlock:
	pthread_rwlock_unlock(&sim_phys_map_lock);
	return ret;
}

/**
 * sim_window_add() - add a backed window of plain memory
 * @base: first physical address; page aligned
 * @size: length; page aligned, not zero
 * @kind: RAM or MMIO
 * @owner: MMIO: whatever answers for the window; NULL for RAM
 *
 * Return: as sim_window_add_ops().
 */
int sim_window_add(phys_addr_t base, u64 size, enum sim_window_kind kind,
		   void *owner)
{
	if (kind == SIM_WINDOW_REGS)
		return -EINVAL;
	return sim_window_add_ops(base, size, kind, NULL, owner, 0);
}

/**
 * sim_window_zero() - drop the bytes of the window starting at @base
 * @base: the window's first physical address
 *
 * The window reads zeroes from then on, and gives its touched pages back
 * to the host (a device reset clearing its memory).  Under the write side
 * of sim_phys_map_lock, so no copy is half done across it.
 *
 * Return: 0; -ENOENT if no backed window starts at @base; -ENOMEM.
 */
int sim_window_zero(phys_addr_t base)
{
	struct sim_window *w;
	unsigned int idx;
	int ret = -ENOENT;

	pthread_rwlock_wrlock(&sim_phys_map_lock);
	idx = sim_window_upper(base);
	if (idx && sim_mem.windows[idx - 1].base == base &&
	    sim_mem.windows[idx - 1].host) {
		w = &sim_mem.windows[idx - 1];
		/* Private anonymous memory: dropped pages read zero again. */
		ret = madvise(w->host, w->size, MADV_DONTNEED) ? -ENOMEM : 0;
	}
	pthread_rwlock_unlock(&sim_phys_map_lock);
	return ret;
}

/**
 * sim_window_remove() - remove the window starting at @base
 * @base: the window's first physical address
 *
 * Its bytes are dropped.  Pointers from sim_cpu_map() into it go stale, as
 * they would on hot-unplug.
 *
 * Return: 0, or -ENOENT if no window starts at @base.
 */
int sim_window_remove(phys_addr_t base)
{
	unsigned int idx;
	int ret = -ENOENT;

	pthread_rwlock_wrlock(&sim_phys_map_lock);
	idx = sim_window_upper(base);
	if (idx && sim_mem.windows[idx - 1].base == base) {
		idx--;
		sim_backing_unmap(&sim_mem.windows[idx]);
		memmove(&sim_mem.windows[idx], &sim_mem.windows[idx + 1],
			(sim_mem.nr_windows - idx - 1) *
			sizeof(sim_mem.windows[0]));
		sim_mem.nr_windows--;
		ret = 0;
	}
	pthread_rwlock_unlock(&sim_phys_map_lock);
	return ret;
}

/* Drop every window and the reservation.  Caller holds sim_machine_lock. */
static void sim_memory_teardown(void)
{
	unsigned int i;

	pthread_rwlock_wrlock(&sim_phys_map_lock);
	for (i = 0; i < sim_mem.nr_windows; i++)
		if (sim_mem.windows[i].own_mapping)
			munmap(sim_mem.windows[i].host, sim_mem.windows[i].size);
	if (sim_mem.linear)
		munmap(sim_mem.linear, sim_mem.linear_size);
	memset(&sim_mem, 0, sizeof(sim_mem));
	pthread_rwlock_unlock(&sim_phys_map_lock);
}

/**
 * sim_machine_create() - build the machine and power it on
 * @cfg: the configuration; see struct sim_config
 *
 * RAM regions must be page aligned, non-empty, non-overlapping and below
 * 2^@phys_addr_bits.  RAM starts zeroed (real RAM would hold garbage;
 * the kernel side must not rely on either).  Then come the IOMMU units and
 * the PCI fabric the board describes (sim/iommu.c, sim/pci.c), BAR memory
 * zeroed like RAM.
 *
 * Return: 0; -EBUSY if a machine already exists; -EINVAL for a bad
 * configuration; -ENOSPC if the board's BARs or buses do not fit;
 * -ENOMEM if the host cannot reserve the address space.
 */
int sim_machine_create(const struct sim_config *cfg)
{
	struct sim_ram_region ram[SIM_MAX_RAM_REGIONS];
	unsigned int i, bits;
	u64 ram_end;
	void *p;
	int ret;

	if (!cfg)
		return -EINVAL;

	pthread_mutex_lock(&sim_machine_lock);
	if (sim_mem.present) {
		ret = -EBUSY;
		goto out_unlock;
	}
	bits = sim_config_phys_addr_bits(cfg);
	ret = sim_config_check(cfg, bits, ram, &ram_end);
	if (ret)
		goto out_unlock;

	p = mmap(NULL, ram_end, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	sim_mem.linear = p;
	sim_mem.linear_size = ram_end;
	sim_mem.phys_addr_bits = bits;

	for (i = 0; i < cfg->nr_ram; i++) {
		ret = sim_window_add(ram[i].base, ram[i].size, SIM_WINDOW_RAM,
				     NULL);
		if (ret)
			goto out_teardown;
	}
	sim_mem.nr_ram = cfg->nr_ram;
	memcpy(sim_mem.ram, ram, cfg->nr_ram * sizeof(ram[0]));

	ret = sim_iommu_create(cfg->board ? cfg->board->nr_iommu : 0);
	if (ret)
		goto out_teardown;
	ret = sim_pci_create(cfg->board, ram_end);
	if (ret)
		goto out_iommu;

	pthread_rwlock_wrlock(&sim_phys_map_lock);
	sim_mem.present = true;
	pthread_rwlock_unlock(&sim_phys_map_lock);
	pthread_mutex_unlock(&sim_machine_lock);
	return 0;

out_iommu:
	sim_iommu_destroy();
out_teardown:
	sim_memory_teardown();
out_unlock:
	pthread_mutex_unlock(&sim_machine_lock);
	return ret;
}

/**
 * sim_machine_destroy() - power the machine off and free everything it holds
 *
 * The PCI fabric and the IOMMU units go, then all of its memory, RAM and
 * MMIO, goes back to the host.  Doing this with no machine is a no-op.
 */
void sim_machine_destroy(void)
{
	pthread_mutex_lock(&sim_machine_lock);
	if (sim_mem.present) {
		sim_pci_destroy();
		sim_iommu_destroy();
		sim_memory_teardown();
		sim_cache_destroy();
		sim_dma_trace_reset();
	}
	pthread_mutex_unlock(&sim_machine_lock);
}

/**
 * sim_machine_present() - is there a machine?
 *
 * Return: true between a successful sim_machine_create() and
 * sim_machine_destroy().
 */
bool sim_machine_present(void)
{
	return __atomic_load_n(&sim_mem.present, __ATOMIC_ACQUIRE);
}

/**
 * sim_phys_addr_limit() - the first physical address beyond the machine
 *
 * Machine-internal: valid from the start of sim_machine_create(), for
 * the windows it adds.  The caller holds sim_machine_lock or
 * sim_phys_map_lock, or knows the machine is present.
 *
 * Return: 2^width; 0 without a machine.
 */
u64 sim_phys_addr_limit(void)
{
	return sim_mem.phys_addr_bits ? 1ULL << sim_mem.phys_addr_bits : 0;
}

/**
 * sim_fw_phys_addr_bits() - the CPU's physical address width, as firmware
 * reports it (<hw/sim_firmware.h>)
 *
 * Return: the number of bits; 0 without a machine.
 */
unsigned int sim_fw_phys_addr_bits(void)
{
	return sim_mem.present ? sim_mem.phys_addr_bits : 0;
}

/**
 * sim_fw_ram_count() - number of entries in the firmware RAM map
 *
 * Return: the count; 0 without a machine.
 */
unsigned int sim_fw_ram_count(void)
{
	return sim_mem.present ? sim_mem.nr_ram : 0;
}

/**
 * sim_fw_ram_region() - one entry of the firmware RAM map
 * @i: index, 0 to sim_fw_ram_count() - 1; entries are sorted by base
 * @region: filled in
 *
 * Return: 0, or -ENOENT if @i is past the end of the map.
 */
int sim_fw_ram_region(unsigned int i, struct sim_ram_region *region)
{
	if (!sim_mem.present || i >= sim_mem.nr_ram)
		return -ENOENT;
	*region = sim_mem.ram[i];
	return 0;
}

/* Host address of [pa, pa + len) if it is all inside one backed window. */
static u8 *__sim_cpu_host(phys_addr_t pa, u64 len)
{
	const struct sim_window *w = __sim_window_find(pa, len);

	if (!w || !w->host)
		return NULL;
	return w->host + (pa - w->base);
}

/**
 * sim_cpu_map() - the CPU's view of a range of RAM or of a BAR
 * @pa: first physical address
 * @len: length in bytes
 *
 * For RAM this is the linear view (sim.h).  For a BAR of plain memory it
 * is the memory behind it, whether the BAR decodes or not: a debugger's
 * view, for tests (the kernel side reaches BARs through ioremap(), which
 * sees decode).  Registers have no such view.  The pointer stays valid
 * until the machine is destroyed or the device unplugged.  Accesses
 * through it are plain loads and stores.
 *
 * Return: a pointer to the byte at @pa, or NULL unless all of
 * [@pa, @pa + @len) lies in one RAM region or one BAR of memory.
 */
void *sim_cpu_map(phys_addr_t pa, u64 len)
{
	u8 *host;

	pthread_rwlock_rdlock(&sim_phys_map_lock);
	host = __sim_cpu_host(pa, len);
	pthread_rwlock_unlock(&sim_phys_map_lock);
	return host;
}

/* A CPU access found MMIO window @w not decoding: its owner counts it. */
static void __sim_window_no_decode(const struct sim_window *w)
{
	if (w->ops && w->ops->no_decode)
		w->ops->no_decode(w->owner, w->index);
}

/*
 * One CPU access to [pa, pa + len): @rd from @buf, or @wr into @buf.
 * Memory answers under the map lock; registers are called after it is
 * dropped (struct sim_window_ops).
 */
static int sim_cpu_access(phys_addr_t pa, void *rd, const void *wr,
			  size_t len)
{
	const struct sim_window_ops *ops;
	const struct sim_window *w;
	unsigned int index;
	void *owner;
	u64 offset;

	pthread_rwlock_rdlock(&sim_phys_map_lock);
	w = __sim_window_find(pa, len);
	if (!w || (w->kind == SIM_WINDOW_MMIO && !__sim_window_decodes(w))) {
		if (w)
			__sim_window_no_decode(w);
		pthread_rwlock_unlock(&sim_phys_map_lock);
		return -EFAULT;
	}
	if (w->kind != SIM_WINDOW_REGS) {
		if (rd)
			memcpy(rd, w->host + (pa - w->base), len);
		else
			memcpy(w->host + (pa - w->base), wr, len);
		pthread_rwlock_unlock(&sim_phys_map_lock);
		return 0;
	}
	ops = w->ops;
	owner = w->owner;
	index = w->index;
	offset = pa - w->base;
	pthread_rwlock_unlock(&sim_phys_map_lock);
	return rd ? ops->read(owner, index, offset, rd, len) :
		    ops->write(owner, index, offset, wr, len);
}

/**
 * sim_cpu_read() - a CPU load from RAM, a BAR or registers
 * @pa: first physical address
 * @buf: where the bytes go
 * @len: number of bytes, one access
 *
 * BAR memory answers only while its BAR decodes; registers (config space,
 * device models) answer as their datasheets say.
 *
 * Return: 0, or -EFAULT if nothing answered: [@pa, @pa + @len) is not all
 * inside one window, or its BAR does not decode, or its registers refused
 * the access (nothing is copied then; the CPU would see all ones).
 */
int sim_cpu_read(phys_addr_t pa, void *buf, size_t len)
{
	return sim_cpu_access(pa, buf, NULL, len);
}

/**
 * sim_cpu_write() - a CPU store to RAM, a BAR or registers
 * @pa: first physical address
 * @buf: the bytes to store
 * @len: number of bytes, one access
 *
 * Return: 0, or -EFAULT if nothing took the store (as sim_cpu_read()).
 */
int sim_cpu_write(phys_addr_t pa, const void *buf, size_t len)
{
	return sim_cpu_access(pa, NULL, buf, len);
}

/**
 * sim_cpu_memset() - CPU fills RAM or a BAR with a byte
 * @pa: first physical address
 * @c: the byte value
 * @len: number of bytes
 *
 * Return: 0, or -EFAULT unless all of [@pa, @pa + @len) lies in one RAM
 * region or one BAR of memory that decodes (nothing is stored then).
 */
int sim_cpu_memset(phys_addr_t pa, int c, size_t len)
{
	const struct sim_window *w;
	int ret = -EFAULT;

	pthread_rwlock_rdlock(&sim_phys_map_lock);
	w = __sim_window_find(pa, len);
	if (w && w->host && __sim_window_decodes(w)) {
		memset(w->host + (pa - w->base), c, len);
		ret = 0;
	} else if (w && w->kind == SIM_WINDOW_MMIO) {
		__sim_window_no_decode(w);
	}
	pthread_rwlock_unlock(&sim_phys_map_lock);
	return ret;
}

/* Bytes of windows of @kind that the host has backed (mincore()). */
static u64 sim_resident_bytes(enum sim_window_kind kind)
{
	static const u64 chunk = 16384 * PAGE_SIZE;
	unsigned char vec[16384];
	u64 resident = 0;
	unsigned int i;

	pthread_rwlock_rdlock(&sim_phys_map_lock);
	for (i = 0; i < sim_mem.nr_windows; i++) {
		const struct sim_window *w = &sim_mem.windows[i];
		u64 off;

		if (w->kind != kind || !w->host)
			continue;
		for (off = 0; off < w->size; off += chunk) {
			u64 len = w->size - off < chunk ? w->size - off : chunk;
			u64 j, n = len / PAGE_SIZE;

			if (mincore(w->host + off, len, vec))
				continue;
			for (j = 0; j < n; j++)
				resident += (vec[j] & 1) * PAGE_SIZE;
		}
	}
	pthread_rwlock_unlock(&sim_phys_map_lock);
	return resident;
}

/**
 * sim_ram_resident_bytes() - host memory the machine's RAM really uses
 *
 * Counts the RAM pages the host has backed because something touched them
 * (mincore()).  This is test instrumentation, not a hardware interface.
 *
 * Return: bytes resident; 0 without a machine.
 */
u64 sim_ram_resident_bytes(void)
{
	return sim_resident_bytes(SIM_WINDOW_RAM);
}

/**
 * sim_mmio_resident_bytes() - host memory the machine's BARs really use
 *
 * As sim_ram_resident_bytes(), for MMIO windows.
 *
 * Return: bytes resident; 0 without a machine.
 */
u64 sim_mmio_resident_bytes(void)
{
	return sim_resident_bytes(SIM_WINDOW_MMIO);
}
