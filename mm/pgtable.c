// SPDX-License-Identifier: GPL-2.0
/*
 * Process page tables: making, splitting and tearing them down.
 *
 * <linux/pgtable.h> has the format and the lock-free reader (pt_lookup()).
 * This file changes tables:
 *
 *  - pt_alloc() descends to an entry of a given level, creating the tables
 *    on the way.  A table is allocated before page_table_lock is taken and
 *    installed under it only if the entry is still none (another fault
 *    may have won: the loser frees its page), as upstream's __pte_alloc().
 *  - pt_zap_range() clears every leaf in a range, dropping the reference
 *    and the mapcount each leaf held on its folio, and frees every table
 *    the range leaves empty.  The caller holds mmap_lock for writing.
 *  - pt_split_huge_pmd() turns a PMD leaf (a THP) into a table of 512
 *    PTEs mapping the same folio, so that part of it can be unmapped.  It
 *    cannot fail: the caller allocated the table beforehand.
 *
 * What a mapping holds.  Each leaf that maps a folio holds one reference
 * on it, and counts in its mapcount: a PTE in the page's _mapcount, a PMD
 * or PUD leaf in the folio's _entire_mapcount (zero-based counters, see
 * <linux/mm_types.h>).  Special leaves (VM_PFNMAP/VM_IO) hold nothing.  A
 * folio that is still pinned when its last mapping goes survives on its
 * pin references until unpinned.
 *
 * Conventions: ranges are [start, end); "base" is the first address a
 * table maps.  The address space stops at 2^48, so no end overflows.
 */
#include <linux/bug.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/pgtable.h>

#include "internal.h"

/* End of what the PGD maps: the top of the 48-bit address space. */
#define PT_VA_END	(1UL << (PGDIR_SHIFT + PT_ENTRIES_SHIFT))

static pt_entry_t *pt_table_alloc(void)
{
	return (pt_entry_t *)get_zeroed_page(GFP_KERNEL);
}

static void pt_table_free(struct mm_struct *mm, pt_entry_t *table)
{
	free_page((unsigned long)table);
	mm->nr_pgtables--;
}

/**
 * pt_pgd_alloc() - give a new address space its top-level table
 * @mm: the address space
 *
 * Return: 0 or -ENOMEM.
 */
int pt_pgd_alloc(struct mm_struct *mm)
{
	mm->pgd = pt_table_alloc();
	if (!mm->pgd)
		return -ENOMEM;
	mm->nr_pgtables = 1;
	return 0;
}

/* Hang a new, empty table from the none entry @ptep. */
static int pt_populate(struct mm_struct *mm, pt_entry_t *ptep)
{
	pt_entry_t *table = pt_table_alloc();

	if (!table)
		return -ENOMEM;
	spin_lock(&mm->page_table_lock);
	if (pt_none(*ptep)) {
		mm->nr_pgtables++;
		WRITE_ONCE(*ptep, pt_mk_table(table));
		table = NULL;
	}
	spin_unlock(&mm->page_table_lock);
	if (table)
		free_page((unsigned long)table);
	return 0;
}

/**
 * pt_alloc() - find or make the entry of a level that covers an address
 * @mm: the address space; mmap_lock held
 * @addr: a user address
 * @level: PT_PTE, PT_PMD or PT_PUD
 *
 * Creates missing tables above @level.
 *
 * Return: the entry at @level covering @addr, or the leaf above @level
 * that already maps @addr (a huge page); NULL if a table could not be
 * allocated.
 */
pt_entry_t *pt_alloc(struct mm_struct *mm, unsigned long addr, int level)
{
	pt_entry_t *ptep = pgd_offset(mm, addr);
	int l;

	for (l = PT_PGD; l > level; l--) {
		pt_entry_t e = READ_ONCE(*ptep);

		if (pt_none(e)) {
			if (pt_populate(mm, ptep))
				return NULL;
			e = READ_ONCE(*ptep);
		}
		if (pt_leaf(e, l))
			return ptep;
		ptep = pt_offset(pt_table(e), addr, l - 1);
	}
	return ptep;
}

/* Drop what the leaf @e at @level held on its folio (also do_madvise()). */
void pt_zap_leaf(pt_entry_t e, int level)
{
	struct page *page;
	struct folio *folio;

	if (pt_special(e))
		return;
	page = pfn_to_page(pt_pfn(e));
	folio = page_folio(page);
	if (level == PT_PTE)
		atomic_dec(&page->_mapcount);
	else
		atomic_dec(&folio->_entire_mapcount);
	folio_put(folio);
}

static bool pt_table_empty(const pt_entry_t *table)
{
	unsigned int i;

	for (i = 0; i < PT_ENTRIES; i++)
		if (!pt_none(table[i]))
			return false;
	return true;
}

/*
 * Zap [start, end), which lies inside what @table (at @level, mapping
 * from @base) covers.  Returns true if @table is left empty.
 */
static bool pt_zap_table(struct mm_struct *mm, pt_entry_t *table, int level,
			 unsigned long base, unsigned long start,
			 unsigned long end)
{
	unsigned long size = pt_size(level);
	unsigned int i, last = pt_index(end - 1, level);

	for (i = pt_index(start, level); i <= last; i++) {
		unsigned long estart = base + i * size;
		unsigned long eend = estart + size;
		pt_entry_t e = table[i];
		pt_entry_t *sub;

		if (pt_none(e))
			continue;
		if (pt_leaf(e, level)) {
			/* Huge leaves are split (THP) or aligned (hugetlb). */
			if (WARN_ON(estart < start || eend > end))
				continue;
			WRITE_ONCE(table[i], 0);
			pt_zap_leaf(e, level);
			continue;
		}
		sub = pt_table(e);
		if (pt_zap_table(mm, sub, level - 1, estart, max(start, estart),
				 min(end, eend))) {
			WRITE_ONCE(table[i], 0);
			pt_table_free(mm, sub);
		}
	}
	return pt_table_empty(table);
}

/**
 * pt_zap_range() - unmap a range and free the tables it empties
 * @mm: the address space; mmap_lock held for writing
 * @start: first address, page aligned
 * @end: address after the last, page aligned
 *
 * No huge leaf may straddle @start or @end: split THP leaves first
 * (pt_split_huge_pmd()); hugetlb VMAs are only ever cut at their page
 * size.  The PGD is never freed here.
 */
void pt_zap_range(struct mm_struct *mm, unsigned long start,
		  unsigned long end)
{
	if (start < end)
		pt_zap_table(mm, mm->pgd, PT_PGD, 0, start, end);
}

/**
 * pt_free_all() - unmap everything and free every table, the PGD too
 * @mm: the address space, no longer used by anyone
 */
void pt_free_all(struct mm_struct *mm)
{
	if (!mm->pgd)
		return;
	pt_zap_range(mm, 0, PT_VA_END);
	pt_table_free(mm, mm->pgd);
	mm->pgd = NULL;
	WARN_ON(mm->nr_pgtables);
}

/**
 * pt_huge_pmd_needs_split() - would unmapping a range cut a PMD leaf?
 * @mm: the address space; mmap_lock held
 * @addr: an address in the range's first or last 2 MiB block
 * @start: first address of the range
 * @end: address after its last
 *
 * Return: true if a PMD leaf maps @addr and [@start, @end) covers only
 * part of it.
 */
bool pt_huge_pmd_needs_split(struct mm_struct *mm, unsigned long addr,
			     unsigned long start, unsigned long end)
{
	unsigned long base = addr & PMD_MASK;
	int level;
	pt_entry_t *ptep = pt_lookup(mm, addr, &level);

	if (level != PT_PMD || !pt_present(READ_ONCE(*ptep)))
		return false;
	return base < start || base + PMD_SIZE > end;
}

/**
 * pt_split_huge_pmd() - map a THP by 512 PTEs instead of one PMD leaf
 * @mm: the address space; mmap_lock held for writing
 * @addr: an address the PMD leaf maps
 * @table: a zeroed page-table page, which the PMD takes
 *
 * The folio stays one large folio; its mapping by one PMD (one
 * reference, _entire_mapcount 1) becomes 512 PTE mappings (512
 * references, each page's _mapcount 1).  Pins are not affected.
 */
void pt_split_huge_pmd(struct mm_struct *mm, unsigned long addr,
		       pt_entry_t *table)
{
	int level;
	pt_entry_t *pmdp = pt_lookup(mm, addr, &level);
	pt_entry_t e = *pmdp;
	unsigned long pfn = pt_pfn(e);
	struct folio *folio = pfn_folio(pfn);
	unsigned int i;

	VM_BUG_ON(level != PT_PMD || !pt_present(e) || pt_special(e));
	for (i = 0; i < PT_ENTRIES; i++) {
		table[i] = pt_mk_leaf(pfn + i, PT_PTE, pt_write(e), false);
		atomic_inc(&folio_page(folio, i)->_mapcount);
	}
	atomic_dec(&folio->_entire_mapcount);
	folio_ref_add(folio, PT_ENTRIES - 1);

	spin_lock(&mm->page_table_lock);
	mm->nr_pgtables++;
	WRITE_ONCE(*pmdp, pt_mk_table(table));
	spin_unlock(&mm->page_table_lock);
}
