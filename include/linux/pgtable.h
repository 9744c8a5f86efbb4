/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Process page tables: the format, and reading them.
 *
 * Four levels, as x86-64 with 4-level paging: a PGD entry covers 512 GiB,
 * a PUD entry 1 GiB, a PMD entry 2 MiB and a PTE 4 KiB.  Each table is one
 * 4 KiB page of 512 entries, allocated from the page allocator and reached
 * through the direct map.  The levels are numbered from the bottom
 * (PT_PTE = 0 ... PT_PGD = 3) so that one set of helpers serves all of
 * them: an entry at level l covers pt_size(l) = 4 KiB << 9 l bytes.
 *
 * Every level uses x86's entry format:
 *
 *   bit 0      _PAGE_PRESENT  the entry maps something (a none entry is 0)
 *   bit 1      _PAGE_RW       writable
 *   bit 2      _PAGE_USER     user accessible (always set here)
 *   bit 7      _PAGE_PSE      a leaf above the PTE level: a 2 MiB page
 *                             (PMD) or a 1 GiB page (PUD)
 *   bit 9      _PAGE_SPECIAL  (software) maps a PFN the mm does not own
 *                             (VM_PFNMAP/VM_IO): nobody looks at a struct
 *                             page for it
 *   bits 12-51                PFN of the page, huge page or next table
 *
 * So an entry is none, a table (present, not a leaf, above PT_PTE), or a
 * leaf.  There is no swap: a non-zero entry is present.
 *
 * Walking.  Under mmap_lock held for reading, entries change only from
 * none to present (a fault fills them under page_table_lock); they are
 * cleared or rewritten (munmap, splitting a THP leaf, exit) only with
 * mmap_lock held for writing.  So a reader holding mmap_lock for reading
 * may walk without page_table_lock, reading each entry once (READ_ONCE)
 * before acting on it; what it saw present stays so until it unlocks.
 */
#ifndef _LINUX_PGTABLE_H
#define _LINUX_PGTABLE_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/mm.h>
#include <linux/mm_struct.h>

enum pt_level {
	PT_PTE,
	PT_PMD,
	PT_PUD,
	PT_PGD,
};

#define PT_LEVELS		4
#define PT_ENTRIES_SHIFT	9
#define PT_ENTRIES		(1U << PT_ENTRIES_SHIFT)

#define PMD_SHIFT	21
#define PUD_SHIFT	30
#define PGDIR_SHIFT	39
#define PMD_SIZE	(1UL << PMD_SHIFT)
#define PUD_SIZE	(1UL << PUD_SHIFT)
#define PMD_MASK	(~(PMD_SIZE - 1))
#define PUD_MASK	(~(PUD_SIZE - 1))

/* Orders of the folios a PMD or PUD leaf maps. */
#define HPAGE_PMD_ORDER	(PMD_SHIFT - PAGE_SHIFT)
#define HPAGE_PUD_ORDER	(PUD_SHIFT - PAGE_SHIFT)
#define HPAGE_PMD_NR	(1UL << HPAGE_PMD_ORDER)
#define HPAGE_PUD_NR	(1UL << HPAGE_PUD_ORDER)

#define _PAGE_PRESENT	(1ULL << 0)
#define _PAGE_RW	(1ULL << 1)
#define _PAGE_USER	(1ULL << 2)
#define _PAGE_PSE	(1ULL << 7)
#define _PAGE_SPECIAL	(1ULL << 9)
#define PTE_PFN_MASK	(((1ULL << 52) - 1) & PAGE_MASK)
/* Highest PFN an entry can hold, plus one. */
#define PT_PFN_LIMIT	(1UL << (52 - PAGE_SHIFT))

static __always_inline unsigned int pt_shift(int level)
{
	return PAGE_SHIFT + PT_ENTRIES_SHIFT * level;
}

/* Bytes one entry at @level covers. */
static __always_inline unsigned long pt_size(int level)
{
	return 1UL << pt_shift(level);
}

static __always_inline unsigned int pt_index(unsigned long addr, int level)
{
	return (addr >> pt_shift(level)) & (PT_ENTRIES - 1);
}

static __always_inline bool pt_none(pt_entry_t e)
{
	return !e;
}

static __always_inline bool pt_present(pt_entry_t e)
{
	return e & _PAGE_PRESENT;
}

static __always_inline bool pt_write(pt_entry_t e)
{
	return e & _PAGE_RW;
}

static __always_inline bool pt_special(pt_entry_t e)
{
	return e & _PAGE_SPECIAL;
}

/* Does the present entry @e at @level map memory (rather than a table)? */
static __always_inline bool pt_leaf(pt_entry_t e, int level)
{
	return level == PT_PTE || (e & _PAGE_PSE);
}

static __always_inline unsigned long pt_pfn(pt_entry_t e)
{
	return (e & PTE_PFN_MASK) >> PAGE_SHIFT;
}

/* The next-level table a table entry points to. */
static __always_inline pt_entry_t *pt_table(pt_entry_t e)
{
	return phys_to_virt(e & PTE_PFN_MASK);
}

/* The entry of @table (at @level) that covers @addr. */
static __always_inline pt_entry_t *pt_offset(pt_entry_t *table,
					     unsigned long addr, int level)
{
	return &table[pt_index(addr, level)];
}

static __always_inline pt_entry_t *pgd_offset(struct mm_struct *mm,
					      unsigned long addr)
{
	return pt_offset(mm->pgd, addr, PT_PGD);
}

/* A leaf entry mapping @pfn at @level. */
static __always_inline pt_entry_t pt_mk_leaf(unsigned long pfn, int level,
					     bool writable, bool special)
{
	return PFN_PHYS(pfn) | _PAGE_PRESENT | _PAGE_USER |
	       (writable ? _PAGE_RW : 0) | (special ? _PAGE_SPECIAL : 0) |
	       (level > PT_PTE ? _PAGE_PSE : 0);
}

/* A table entry pointing to @table. */
static __always_inline pt_entry_t pt_mk_table(pt_entry_t *table)
{
	return virt_to_phys(table) | _PAGE_PRESENT | _PAGE_RW | _PAGE_USER;
}

/**
 * pt_lookup() - find the entry that maps an address
 * @mm: the address space; mmap_lock held
 * @addr: a user address
 * @level: set to the level of the entry returned
 *
 * Descends from the PGD while entries are tables.
 *
 * Return: the leaf that maps @addr, or the none entry where the walk
 * stopped (at the level the next table would hang from).
 */
static __always_inline pt_entry_t *pt_lookup(struct mm_struct *mm,
					     unsigned long addr, int *level)
{
	pt_entry_t *ptep = pgd_offset(mm, addr);
	int l = PT_PGD;

	for (;;) {
		pt_entry_t e = READ_ONCE(*ptep);

		if (!pt_present(e) || pt_leaf(e, l))
			break;
		l--;
		ptep = pt_offset(pt_table(e), addr, l);
	}
	*level = l;
	return ptep;
}

#endif /* _LINUX_PGTABLE_H */
