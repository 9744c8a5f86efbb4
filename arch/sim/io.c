// SPDX-License-Identifier: GPL-2.0
/*
 * ioremap() and the two doors every MMIO access goes through
 * (<asm/io.h>).
 *
 * Cookies.  A mapping takes one of IOREMAP_SLOTS slots; its cookie is
 * IOREMAP_COOKIE_BASE + (slot << IOREMAP_SLOT_SHIFT) + the offset into
 * the mapping.  The base has bit 62 set, so a cookie is a non-canonical
 * address: dereferencing one faults instead of reaching memory.  Decoding
 * a cookie finds the slot and checks the access against the mapping's
 * size, so an access past the end of a mapping, through an unmapped
 * cookie or with a pointer that is no cookie is caught (WARN) before it
 * reaches the machine.
 *
 * Accesses.  arch_io_read() and arch_io_write() turn a checked cookie
 * into a physical address and perform the access as the CPU's load or
 * store (sim_cpu_read()/sim_cpu_write()): RAM, BAR memory, and whatever
 * the machine puts behind an address.  Where nothing answers, a load
 * returns all ones and a store is dropped (a PCIe master abort).
 *
 * Locking: ioremap_lock over the slots.  An access decodes its cookie
 * under it, then moves the bytes without it; unmapping a cookie while it
 * is being used is the caller's bug, as upstream.
 */
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/printk.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <asm/io.h>
#include <asm/sparsemem.h>

#include "sim/sim.h"

#define IOREMAP_SLOTS		256
#define IOREMAP_SLOT_SHIFT	44	/* 16 TiB per mapping at most */
#define IOREMAP_COOKIE_BASE	(1UL << 62)
#define IOREMAP_COOKIE_END						\
	(IOREMAP_COOKIE_BASE + ((unsigned long)IOREMAP_SLOTS << IOREMAP_SLOT_SHIFT))

/**
 * struct ioremap_slot - one live mapping
 * @phys: the physical address the cookie's offset 0 stands for
 * @size: bytes mapped; 0 if the slot is free
 */
struct ioremap_slot {
	phys_addr_t phys;
	u64 size;
};

static DEFINE_SPINLOCK(ioremap_lock);
static struct ioremap_slot ioremap_slots[IOREMAP_SLOTS];

/* Does [@first, @last] touch registered RAM? */
static bool ioremap_hits_ram(phys_addr_t first, phys_addr_t last)
{
	unsigned long first_pfn = PHYS_PFN(first), last_pfn = PHYS_PFN(last);
	unsigned int i;

	for (i = 0; i < mm_nr_ram_ranges; i++)
		if (first_pfn < mm_ram_ranges[i].end_pfn &&
		    last_pfn >= mm_ram_ranges[i].start_pfn)
			return true;
	return false;
}

/**
 * ioremap() - map device memory for the CPU
 * @offset: first physical address
 * @size: bytes
 *
 * As upstream, RAM may not be ioremapped (the direct map reaches it).
 *
 * Return: a cookie for the accessors of <asm/io.h>, or NULL if @size is 0
 * or beyond 16 TiB, the range wraps, leaves the physical address space,
 * touches RAM, or IOREMAP_SLOTS mappings are live.
 */
void __iomem *ioremap(phys_addr_t offset, size_t size)
{
	phys_addr_t last;
	unsigned int i;

	if (!size || size > 1ULL << IOREMAP_SLOT_SHIFT ||
	    check_add_overflow(offset, (phys_addr_t)size - 1, &last) ||
	    !MAX_PHYSMEM_BITS || last >> MAX_PHYSMEM_BITS)
		return NULL;
	if (ioremap_hits_ram(offset, last)) {
		pr_err("ioremap on RAM at %#llx - %#llx\n",
		       (unsigned long long)offset, (unsigned long long)last);
		return NULL;
	}

	spin_lock(&ioremap_lock);
	for (i = 0; i < IOREMAP_SLOTS; i++) {
		if (!ioremap_slots[i].size) {
			ioremap_slots[i].phys = offset;
			ioremap_slots[i].size = size;
			break;
		}
	}
	spin_unlock(&ioremap_lock);
	if (i == IOREMAP_SLOTS) {
		pr_err("ioremap: %u mappings live, none left\n", i);
		return NULL;
	}
	return (void __iomem *)(IOREMAP_COOKIE_BASE +
				((unsigned long)i << IOREMAP_SLOT_SHIFT));
}
EXPORT_SYMBOL_GPL(ioremap);

/* The slot of cookie @addr, or -1 if it is no cookie.  Sets *@off. */
static int ioremap_slot_of(const volatile void __iomem *addr, u64 *off)
{
	unsigned long c = (unsigned long)addr;

	if (c < IOREMAP_COOKIE_BASE || c >= IOREMAP_COOKIE_END)
		return -1;
	c -= IOREMAP_COOKIE_BASE;
	*off = c & ((1UL << IOREMAP_SLOT_SHIFT) - 1);
	return c >> IOREMAP_SLOT_SHIFT;
}

/**
 * iounmap() - drop a mapping made by ioremap()
 * @addr: its cookie (or any cookie inside it); NULL is ignored
 *
 * Unmapping what is not mapped is a caller bug (WARN).
 */
void iounmap(volatile void __iomem *addr)
{
	int slot;
	u64 off;

	if (!addr)
		return;
	slot = ioremap_slot_of(addr, &off);
	spin_lock(&ioremap_lock);
	if (!WARN(slot < 0 || off >= ioremap_slots[slot].size,
		  "iounmap of %p, which ioremap() did not return", addr))
		ioremap_slots[slot].size = 0;
	spin_unlock(&ioremap_lock);
}
EXPORT_SYMBOL_GPL(iounmap);

/*
 * The physical address of [@addr, @addr + @len), after checking that it
 * lies in one live mapping.  Returns false (after a WARN) if not.
 */
static bool ioremap_decode(const volatile void __iomem *addr, size_t len,
			   phys_addr_t *pa)
{
	bool ok;
	int slot;
	u64 off;

	slot = ioremap_slot_of(addr, &off);
	spin_lock(&ioremap_lock);
	ok = slot >= 0 && off <= ioremap_slots[slot].size &&
	     len <= ioremap_slots[slot].size - off;
	if (ok)
		*pa = ioremap_slots[slot].phys + off;
	spin_unlock(&ioremap_lock);
	WARN(!ok, "MMIO access to %p+%#zx outside any ioremap()ed range",
	     addr, len);
	return ok;
}

/**
 * arch_io_read() - the CPU's load from device memory, for <asm/io.h>
 * @addr: a cookie from ioremap(), plus an offset
 * @buf: where the bytes go
 * @len: bytes, one access
 *
 * Where nothing answers, or if the access is outside @addr's mapping,
 * @buf is filled with all ones.
 */
void arch_io_read(const volatile void __iomem *addr, void *buf, size_t len)
{
	phys_addr_t pa;

	if (!len)
		return;
	if (!ioremap_decode(addr, len, &pa) || sim_cpu_read(pa, buf, len))
		memset(buf, 0xff, len);
}
EXPORT_SYMBOL_GPL(arch_io_read);

/**
 * arch_io_write() - the CPU's store to device memory, for <asm/io.h>
 * @addr: a cookie from ioremap(), plus an offset
 * @buf: the bytes
 * @len: bytes, one access
 *
 * Where nothing answers, or if the access is outside @addr's mapping,
 * the store is dropped.
 */
void arch_io_write(volatile void __iomem *addr, const void *buf, size_t len)
{
	phys_addr_t pa;

	if (!len || !ioremap_decode(addr, len, &pa))
		return;
	sim_cpu_write(pa, buf, len);
}
EXPORT_SYMBOL_GPL(arch_io_write);

/**
 * memset_io() - fill device memory with a byte
 * @addr: a cookie from ioremap(), plus an offset
 * @value: the byte
 * @count: bytes
 *
 * Stores of up to 256 bytes each, through arch_io_write().
 */
void memset_io(volatile void __iomem *addr, int value, size_t count)
{
	u8 fill[256];

	memset(fill, value, min(count, sizeof(fill)));
	while (count) {
		size_t n = min(count, sizeof(fill));

		arch_io_write(addr, fill, n);
		addr = (volatile u8 __iomem *)addr + n;
		count -= n;
	}
}
EXPORT_SYMBOL_GPL(memset_io);
