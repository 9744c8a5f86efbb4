// SPDX-License-Identifier: GPL-2.0
/*
 * Baselines: pin_user_pages_fast() and pin_user_pages() into a page
 * array, written after upstream mm/gup.c of Linux 6.12, step by step, on
 * our page tables.
 *
 * pin_user_pages_fast() (no lock held; what drivers mostly call)
 *   -> gup_fast_fallback(): argument checks, then gup_fast(): with
 *      interrupts off, gup_fast_pgd_range() walks the tables without a
 *      lock, PGD, PUD, PMD to the PTE table, each entry read once:
 *        gup_fast_pte_range(), per PTE: present, writable for FOLL_WRITE,
 *          not special; try_grab_folio_fast(page, 1): (with
 *          CONFIG_PCI_P2PDMA=y the P2P test of the page's zone),
 *          try_get_folio() (folio_ref_try_add(), then page_folio()
 *          re-checked), the pin (GUP_PIN_COUNTING_BIAS - 1 more
 *          references, or _pincount for a large folio), smp_mb; the PMD
 *          and the PTE re-read and compared; gup_fast_folio_allowed()
 *          (CONFIG_SECRETMEM=y: for a small folio it reads
 *          folio->mapping); folio_set_referenced(); the page stored;
 *        gup_fast_pmd_leaf() / gup_fast_pud_leaf(): record_subpages()
 *          writes every 4 KiB page pointer of the leaf's part, one
 *          try_grab_folio_fast(page, refs) for all, the leaf re-read.
 *      Anything it cannot take (not present, not writable, a changed
 *      entry) ends the fast walk; the rest goes to the slow path,
 *      __gup_longterm_locked() under mmap_lock: pin_user_pages() below.
 *   Differences: the mm's write_protect_seq check (fork()'s COW; there is
 *   no fork here) is left out, and our anonymous folios have no anon_vma,
 *   so folio->mapping is NULL where upstream has PAGE_MAPPING_ANON: it is
 *   read, and taken as anonymous.
 *
 * pin_user_pages() (caller holds mmap_lock for reading)
 *   -> __gup_longterm_locked() -> __get_user_pages_locked()
 *   -> __get_user_pages(): for each page still to do,
 *        look the VMA up when leaving the last one; check_vma_flags();
 *        follow_page_mask(): walk from the PGD to the entry for the
 *          address; a PTE is read under the page-table lock
 *          (pte_offset_map_lock()) and its folio grabbed with
 *          try_grab_folio(folio, 1, FOLL_PIN); a PMD or PUD leaf is read
 *          under the lock too, grabbed with one try_grab_folio(.., 1, ..)
 *          and reported with ctx.page_mask = pages per leaf - 1;
 *        nothing there: faultin_page() -> handle_mm_fault(), and retry;
 *        page_increm = the pages left in that leaf: one more
 *          try_grab_folio(folio, page_increm - 1) and page_increm
 *          pointers written into the array.
 *   Returns how many pages were pinned.
 * unpin_user_pages(): gup_folio_next() gathers the array entries of one
 *   folio, gup_put_folio() drops their pins in one go.
 *
 * Left out as they cost nothing here or do not apply: FOLL_TOUCH (not
 * set by pin_user_pages()), the zero page, ZONE_DEVICE/P2PDMA checks,
 * per-node pin statistics, FOLL_LONGTERM migration (no movable memory),
 * VM_FAULT_RETRY (our faults never drop mmap_lock).  upstream's
 * split PTE locks are our one page_table_lock; uncontended, they cost
 * the same.
 */
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mm_struct.h>
#include <linux/overflow.h>
#include <linux/pgtable.h>
#include <linux/prefetch.h>

#include "bench/pup_baseline.h"

/* pin_user_physr()'s distance (mm/gup.c GUP_PREFETCH). */
#define PUP_PREFETCH	16

/**
 * pup_describe() - what the slow-path baseline is, for the bench's output
 */
const char *pup_describe(void)
{
	return "written after upstream pin_user_pages() (Linux 6.12 "
	       "mm/gup.c: __get_user_pages(), follow_page_mask() from the "
	       "PGD for every 4 KiB page with the PTE lock held, "
	       "try_grab_folio() per page, or per huge leaf plus "
	       "page_increm - 1) into a kvmalloc'ed page array";
}

/**
 * pup_fast_describe() - what the GUP-fast baseline is, for the bench's output
 */
const char *pup_fast_describe(void)
{
	return "written after upstream pin_user_pages_fast() (Linux 6.12 "
	       "mm/gup.c: gup_fast() lockless walk, try_grab_folio_fast() "
	       "and a PTE re-check per 4 KiB page or one per huge leaf with "
	       "record_subpages(), folio_set_referenced(), slow-path "
	       "fallback)";
}

struct follow_page_context {
	unsigned int page_mask;
};

/* try_grab_folio(), FOLL_PIN */
static int pup_try_grab_folio(struct folio *folio, int refs)
{
	if (WARN_ON_ONCE(folio_ref_count(folio) <= 0))
		return -ENOMEM;
	if (folio_test_large(folio)) {
		folio_ref_add(folio, refs);
		atomic_add(refs, &folio->_pincount);
	} else {
		folio_ref_add(folio, refs * GUP_PIN_COUNTING_BIAS);
	}
	return 0;
}

/* gup_put_folio(), FOLL_PIN */
static void pup_put_folio(struct folio *folio, int refs)
{
	if (folio_test_large(folio))
		atomic_sub(refs, &folio->_pincount);
	else
		refs *= GUP_PIN_COUNTING_BIAS;
	folio_put_refs(folio, refs);
}

static struct page *pup_follow_page_pte(struct vm_area_struct *vma,
					unsigned long address,
					pt_entry_t *pmdp, unsigned int flags)
{
	struct mm_struct *mm = vma->vm_mm;
	struct page *page;
	pt_entry_t *ptep, pte;
	int ret;

	/* pte_offset_map_lock() */
	spin_lock(&mm->page_table_lock);
	ptep = pt_offset(pt_table(READ_ONCE(*pmdp)), address, PT_PTE);
	pte = READ_ONCE(*ptep);
	if (!pt_present(pte))
		goto no_page;
	/* vm_normal_page() is NULL for a special PTE */
	page = pt_special(pte) ? NULL : pfn_to_page(pt_pfn(pte));
	if ((flags & FOLL_WRITE) && !pt_write(pte)) {
		page = NULL;
		goto out;
	}
	if (!page) {
		/* follow_pfn_pte(): an entry, but no struct page */
		page = ERR_PTR(-EEXIST);
		goto out;
	}
	ret = pup_try_grab_folio(page_folio(page), 1);
	if (unlikely(ret))
		page = ERR_PTR(ret);
out:
	spin_unlock(&mm->page_table_lock);
	return page;
no_page:
	spin_unlock(&mm->page_table_lock);
	return NULL;
}

/* follow_huge_pmd() and follow_huge_pud(); the lock is held. */
static struct page *pup_follow_huge(unsigned long addr, pt_entry_t e,
				    int level, unsigned int flags,
				    struct follow_page_context *ctx)
{
	unsigned long pfn = pt_pfn(e) +
			    ((addr & (pt_size(level) - 1)) >> PAGE_SHIFT);
	struct page *page = pfn_to_page(pfn);
	int ret;

	if ((flags & FOLL_WRITE) && !pt_write(e))
		return NULL;
	ret = pup_try_grab_folio(page_folio(page), 1);
	if (ret)
		return ERR_PTR(ret);
	ctx->page_mask = (pt_size(level) >> PAGE_SHIFT) - 1;
	return page;
}

static struct page *pup_follow_page_mask(struct vm_area_struct *vma,
					 unsigned long address,
					 unsigned int flags,
					 struct follow_page_context *ctx)
{
	struct mm_struct *mm = vma->vm_mm;
	pt_entry_t *pudp, *pmdp, e;
	struct page *page;

	ctx->page_mask = 0;
	e = READ_ONCE(*pgd_offset(mm, address));
	if (pt_none(e))
		return NULL;			/* no_page_table() */

	/* follow_pud_mask() */
	pudp = pt_offset(pt_table(e), address, PT_PUD);
	e = READ_ONCE(*pudp);
	if (!pt_present(e))
		return NULL;
	if (pt_leaf(e, PT_PUD)) {
		spin_lock(&mm->page_table_lock);
		page = pup_follow_huge(address, READ_ONCE(*pudp), PT_PUD,
				       flags, ctx);
		spin_unlock(&mm->page_table_lock);
		return page;
	}

	/* follow_pmd_mask() */
	pmdp = pt_offset(pt_table(e), address, PT_PMD);
	e = READ_ONCE(*pmdp);
	if (!pt_present(e))
		return NULL;
	if (!pt_leaf(e, PT_PMD))
		return pup_follow_page_pte(vma, address, pmdp, flags);
	spin_lock(&mm->page_table_lock);
	e = READ_ONCE(*pmdp);
	if (unlikely(!pt_leaf(e, PT_PMD))) {
		spin_unlock(&mm->page_table_lock);
		return pup_follow_page_pte(vma, address, pmdp, flags);
	}
	page = pup_follow_huge(address, e, PT_PMD, flags, ctx);
	spin_unlock(&mm->page_table_lock);
	return page;
}

/* ---- GUP-fast ---------------------------------------------------------- */

/* try_get_folio() */
static __always_inline struct folio *pup_try_get_folio(struct page *page,
						       int refs)
{
	struct folio *folio;

retry:
	folio = page_folio(page);
	if (WARN_ON_ONCE(folio_ref_count(folio) < 0))
		return NULL;
	/* folio_ref_try_add() */
	if (unlikely(!atomic_add_unless(&folio->_refcount, refs, 0)))
		return NULL;
	if (unlikely(page_folio(page) != folio)) {
		folio_put_refs(folio, refs);
		goto retry;
	}
	return folio;
}

/*
 * try_grab_folio_fast(), FOLL_PIN; @p2pdma is CONFIG_PCI_P2PDMA (the
 * caller never passes FOLL_PCI_P2PDMA).  No zero page, and all our memory
 * may be pinned long term.
 */
static __always_inline struct folio *
pup_try_grab_folio_fast(struct page *page, int refs, bool p2pdma)
{
	struct folio *folio;

	if (unlikely(p2pdma && is_pci_p2pdma_page(page)))
		return NULL;
	folio = pup_try_get_folio(page, refs);
	if (!folio)
		return NULL;
	if (folio_test_large(folio))
		atomic_add(refs, &folio->_pincount);
	else
		folio_ref_add(folio, refs * (GUP_PIN_COUNTING_BIAS - 1));
	smp_mb__after_atomic();
	return folio;
}

/*
 * gup_fast_folio_allowed(): with CONFIG_SECRETMEM=y (Debian) a small
 * folio's mapping is read; NULL here is anonymous (see the top).
 */
static __always_inline bool pup_fast_folio_allowed(struct folio *folio,
						   unsigned int flags)
{
	bool reject_file_backed =
		(flags & (FOLL_PIN | FOLL_LONGTERM | FOLL_WRITE)) ==
		(FOLL_PIN | FOLL_LONGTERM | FOLL_WRITE);

	if (!reject_file_backed && folio_test_large(folio))
		return true;
	return !READ_ONCE(folio->mapping);
}

/* gup_fast_pte_range() */
static __always_inline int pup_fast_pte_range(pt_entry_t pmd,
					      pt_entry_t *pmdp,
					      unsigned long addr,
					      unsigned long end,
					      unsigned int flags,
					      struct page **pages, long *nr,
					      bool p2pdma, bool prefetch)
{
	pt_entry_t *ptep = pt_offset(pt_table(pmd), addr, PT_PTE);
	pt_entry_t *tend = ptep + PT_ENTRIES - pt_index(addr, PT_PTE);

	do {
		pt_entry_t pte = READ_ONCE(*ptep);
		struct folio *folio;
		struct page *page;

		/* Not upstream: pin_user_physr()'s prefetch, for pin/4k/gup-prefetch. */
		if (prefetch && ptep + PUP_PREFETCH < tend)
			prefetchw(pfn_to_page(pt_pfn(READ_ONCE(ptep[PUP_PREFETCH]))));

		if (!pt_present(pte) || ((flags & FOLL_WRITE) && !pt_write(pte)))
			return 0;
		if (pt_special(pte))
			return 0;
		page = pfn_to_page(pt_pfn(pte));
		folio = pup_try_grab_folio_fast(page, 1, p2pdma);
		if (!folio)
			return 0;
		if (unlikely(pmd != READ_ONCE(*pmdp)) ||
		    unlikely(pte != READ_ONCE(*ptep))) {
			pup_put_folio(folio, 1);
			return 0;
		}
		if (!pup_fast_folio_allowed(folio, flags)) {
			pup_put_folio(folio, 1);
			return 0;
		}
		folio_set_referenced(folio);
		pages[*nr] = page;
		(*nr)++;
	} while (ptep++, addr += PAGE_SIZE, addr != end);
	return 1;
}

/* record_subpages() */
static int pup_record_subpages(struct page *page, unsigned long sz,
			       unsigned long addr, unsigned long end,
			       struct page **pages)
{
	struct page *start_page = page + ((addr & (sz - 1)) >> PAGE_SHIFT);
	int nr;

	for (nr = 0; addr != end; nr++, addr += PAGE_SIZE)
		pages[nr] = start_page + nr;	/* nth_page() */
	return nr;
}

/* gup_fast_pmd_leaf() and gup_fast_pud_leaf() */
static int pup_fast_leaf(pt_entry_t orig, pt_entry_t *p, int level,
			 unsigned long addr, unsigned long end,
			 unsigned int flags, struct page **pages, long *nr,
			 bool p2pdma)
{
	struct folio *folio;
	struct page *page;
	int refs;

	if ((flags & FOLL_WRITE) && !pt_write(orig))
		return 0;
	if (pt_special(orig))
		return 0;
	page = pfn_to_page(pt_pfn(orig));
	refs = pup_record_subpages(page, pt_size(level), addr, end,
				   pages + *nr);
	folio = pup_try_grab_folio_fast(page, refs, p2pdma);
	if (!folio)
		return 0;
	if (unlikely(orig != READ_ONCE(*p))) {
		pup_put_folio(folio, refs);
		return 0;
	}
	if (!pup_fast_folio_allowed(folio, flags)) {
		pup_put_folio(folio, refs);
		return 0;
	}
	*nr += refs;
	folio_set_referenced(folio);
	return 1;
}

/* gup_fast_pmd_range() */
static __always_inline int pup_fast_pmd_range(pt_entry_t pud,
					      unsigned long addr,
					      unsigned long end,
					      unsigned int flags,
					      struct page **pages, long *nr,
					      bool p2pdma, bool prefetch)
{
	pt_entry_t *pmdp = pt_offset(pt_table(pud), addr, PT_PMD);
	unsigned long next;

	do {
		pt_entry_t pmd = READ_ONCE(*pmdp);

		next = min((addr | (PMD_SIZE - 1)) + 1, end);
		if (!pt_present(pmd))
			return 0;
		if (pt_leaf(pmd, PT_PMD)) {
			if (!pup_fast_leaf(pmd, pmdp, PT_PMD, addr, next, flags,
					   pages, nr, p2pdma))
				return 0;
		} else if (!pup_fast_pte_range(pmd, pmdp, addr, next, flags,
					       pages, nr, p2pdma, prefetch)) {
			return 0;
		}
	} while (pmdp++, addr = next, addr != end);
	return 1;
}

/* gup_fast_pgd_range() -> gup_fast_p4d_range() -> gup_fast_pud_range() */
static __always_inline void pup_fast_pgd_range(struct mm_struct *mm,
					       unsigned long addr,
					       unsigned long end,
					       unsigned int flags,
					       struct page **pages, long *nr,
					       bool p2pdma, bool prefetch)
{
	unsigned long next;

	do {
		pt_entry_t pgd = READ_ONCE(*pgd_offset(mm, addr));
		pt_entry_t *pudp, pud;

		next = min((addr | (PUD_SIZE - 1)) + 1, end);
		if (pt_none(pgd))
			return;
		pudp = pt_offset(pt_table(pgd), addr, PT_PUD);
		pud = READ_ONCE(*pudp);
		if (!pt_present(pud))
			return;
		if (pt_leaf(pud, PT_PUD)) {
			if (!pup_fast_leaf(pud, pudp, PT_PUD, addr, next, flags,
					   pages, nr, p2pdma))
				return;
		} else if (!pup_fast_pmd_range(pud, addr, next, flags, pages,
					       nr, p2pdma, prefetch)) {
			return;
		}
	} while (addr = next, addr != end);
}

/* ---- the slow path ------------------------------------------------------ */

/* check_vma_flags() */
static int pup_check_vma_flags(struct vm_area_struct *vma,
			       unsigned int gup_flags)
{
	if (vma->vm_flags & (VM_IO | VM_PFNMAP))
		return -EFAULT;
	if (!(vma->vm_flags & (gup_flags & FOLL_WRITE ? VM_WRITE : VM_READ)))
		return -EFAULT;
	return 0;
}

/* faultin_page() */
static int pup_faultin_page(struct vm_area_struct *vma, unsigned long address,
			    unsigned int flags)
{
	if (flags & FOLL_NOFAULT)
		return -EFAULT;
	return handle_mm_fault(vma, address,
			       flags & FOLL_WRITE ? FAULT_FLAG_WRITE : 0);
}

/* __get_user_pages() */
static long pup_get_user_pages(struct mm_struct *mm, unsigned long start,
			       unsigned long nr_pages, unsigned int gup_flags,
			       struct page **pages)
{
	struct follow_page_context ctx = { 0 };
	struct vm_area_struct *vma = NULL;
	long ret = 0, i = 0;

	if (!nr_pages)
		return 0;
	do {
		struct page *page;
		unsigned long page_increm, j;

		/* first iteration or cross vma bound */
		if (!vma || start >= vma->vm_end) {
			vma = vma_lookup(mm, start);
			if (!vma) {
				ret = -EFAULT;
				goto out;
			}
			ret = pup_check_vma_flags(vma, gup_flags);
			if (ret)
				goto out;
		}
retry:
		page = pup_follow_page_mask(vma, start, gup_flags, &ctx);
		if (!page) {
			ret = pup_faultin_page(vma, start, gup_flags);
			if (!ret)
				goto retry;
			goto out;
		} else if (IS_ERR(page)) {
			ret = PTR_ERR(page);
			goto out;
		}

		page_increm = 1 + (~(start >> PAGE_SHIFT) & ctx.page_mask);
		if (page_increm > nr_pages)
			page_increm = nr_pages;
		if (page_increm > 1) {
			struct folio *folio = page_folio(page);

			if (pup_try_grab_folio(folio, page_increm - 1)) {
				pup_put_folio(folio, 1);
				ret = -EFAULT;
				goto out;
			}
		}
		for (j = 0; j < page_increm; j++)
			pages[i + j] = page + j;	/* nth_page() */

		i += page_increm;
		start += page_increm * PAGE_SIZE;
		nr_pages -= page_increm;
	} while (nr_pages);
out:
	return i ? i : ret;
}

/**
 * pup_pin_user_pages() - pin_user_pages(), on a given address space
 * @mm: the address space; mmap_lock held for reading
 * @start: first user address, page aligned
 * @nr_pages: pages to pin
 * @gup_flags: FOLL_WRITE, FOLL_NOFAULT
 * @pages: receives one pointer per page
 *
 * Return: the number of pages pinned (possibly fewer than asked), or a
 * negative errno if none was.
 */
long pup_pin_user_pages(struct mm_struct *mm, unsigned long start,
			unsigned long nr_pages, unsigned int gup_flags,
			struct page **pages)
{
	if (WARN_ON_ONCE(gup_flags & ~(FOLL_WRITE | FOLL_NOFAULT)))
		return -EINVAL;
	return pup_get_user_pages(mm, start, nr_pages, gup_flags | FOLL_PIN,
				  pages);
}

/* gup_folio_next() */
static struct folio *pup_folio_next(struct page **list, unsigned long npages,
				    unsigned long i, unsigned long *ntails)
{
	struct folio *folio = page_folio(list[i]);
	unsigned long nr;

	for (nr = i + 1; nr < npages; nr++)
		if (page_folio(list[nr]) != folio)
			break;
	*ntails = nr - i;
	return folio;
}

/**
 * pup_unpin_user_pages() - unpin_user_pages()
 * @pages: pages from pup_pin_user_pages()
 * @npages: how many
 */
void pup_unpin_user_pages(struct page **pages, unsigned long npages)
{
	unsigned long i, nr;

	for (i = 0; i < npages; i += nr) {
		struct folio *folio;

		if (!pages[i]) {
			nr = 1;
			continue;
		}
		folio = pup_folio_next(pages, npages, i, &nr);
		pup_put_folio(folio, nr);
	}
}

/* gup_fast_fallback(), FOLL_PIN, with CONFIG_PCI_P2PDMA as @p2pdma */
static __always_inline long pup_fast_fallback(struct mm_struct *mm,
					      unsigned long start,
					      unsigned long nr_pages,
					      unsigned int gup_flags,
					      struct page **pages,
					      bool p2pdma, bool prefetch)
{
	unsigned long len, end;
	long nr_pinned = 0, ret;

	if (WARN_ON_ONCE(gup_flags & ~(FOLL_WRITE | FOLL_NOFAULT |
				       FOLL_LONGTERM)))
		return -EINVAL;
	if (unlikely(!nr_pages))
		return 0;
	gup_flags |= FOLL_PIN;
	start &= PAGE_MASK;
	if (nr_pages > ~0UL >> PAGE_SHIFT)
		return -EOVERFLOW;
	len = nr_pages << PAGE_SHIFT;
	if (check_add_overflow(start, len, &end))
		return -EOVERFLOW;
	if (end > TASK_SIZE)
		return -EFAULT;

	/* gup_fast(): local_irq_save() keeps the tables; here nothing frees them. */
	pup_fast_pgd_range(mm, start, end, gup_flags, pages, &nr_pinned,
			   p2pdma, prefetch);
	if (nr_pinned == (long)nr_pages)
		return nr_pinned;

	/* The slow path for the rest. */
	start += nr_pinned << PAGE_SHIFT;
	mmap_read_lock(mm);
	ret = pup_get_user_pages(mm, start, nr_pages - nr_pinned, gup_flags,
				 pages + nr_pinned);
	mmap_read_unlock(mm);
	if (ret < 0)
		return nr_pinned ? nr_pinned : ret;
	return ret + nr_pinned;
}

/**
 * pup_pin_user_pages_fast() - pin_user_pages_fast(), on a given address space
 * @mm: the address space (upstream: current->mm); no lock held
 * @start: first user address
 * @nr_pages: pages to pin
 * @gup_flags: FOLL_WRITE, FOLL_LONGTERM, FOLL_NOFAULT
 * @pages: receives one pointer per page
 * @config: PUP_P2PDMA: built as with CONFIG_PCI_P2PDMA=y (a P2P test per
 *	page), else as Debian's config, where the test compiles away;
 *	PUP_PREFETCH: not upstream, pin_user_physr()'s prefetch of the struct
 *	page PUP_PREFETCH PTEs ahead, added to the PTE loop
 *
 * Return: the number of pages pinned (possibly fewer than asked), or a
 * negative errno if none was.
 */
long pup_pin_user_pages_fast(struct mm_struct *mm, unsigned long start,
			     unsigned long nr_pages, unsigned int gup_flags,
			     struct page **pages, unsigned int config)
{
	switch (config & (PUP_CONFIG_P2PDMA | PUP_CONFIG_PREFETCH)) {
	case PUP_CONFIG_P2PDMA | PUP_CONFIG_PREFETCH:
		return pup_fast_fallback(mm, start, nr_pages, gup_flags, pages,
					 true, true);
	case PUP_CONFIG_P2PDMA:
		return pup_fast_fallback(mm, start, nr_pages, gup_flags, pages,
					 true, false);
	case PUP_CONFIG_PREFETCH:
		return pup_fast_fallback(mm, start, nr_pages, gup_flags, pages,
					 false, true);
	default:
		return pup_fast_fallback(mm, start, nr_pages, gup_flags, pages,
					 false, false);
	}
}

/**
 * pup_unpin_user_page_range() - unpin_user_page_range_dirty_lock(), not dirty
 * @page: first page of a physically contiguous range pinned page by page
 * @npages: pages in it
 */
void pup_unpin_user_page_range(struct page *page, unsigned long npages)
{
	unsigned long i, nr;

	for (i = 0; i < npages; i += nr) {
		struct folio *folio = page_folio(page + i);

		nr = min(npages - i, (unsigned long)(folio_pfn(folio) +
				folio_nr_pages(folio) - page_to_pfn(page + i)));
		pup_put_folio(folio, nr);
	}
}
