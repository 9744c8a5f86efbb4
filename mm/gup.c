// SPDX-License-Identifier: GPL-2.0
/*
 * pin_user_physr(): pinning user memory straight into a range list.
 *
 * pin_user_pages() hands its caller one struct page pointer per 4 KiB,
 * 262144 of them for 1 GiB even when that is one huge folio, and takes
 * the pins page by page; every driver then merges the array back into
 * ranges.  pin_user_physr() walks the page table and appends physically
 * contiguous runs straight to a struct physr_list, taking each folio's
 * pins with one operation for all of its pages in the run.  There is no
 * page array anywhere.
 *
 * What a pin is (upstream's FOLL_PIN accounting, exactly).  Pinning n
 * pages of a folio adds, in one go:
 *
 *   large folio   _pincount += n and _refcount += n
 *   small folio   _refcount += GUP_PIN_COUNTING_BIAS (n is 1)
 *
 * so folio_maybe_dma_pinned() is true while any pin lasts, and unpinning
 * subtracts exactly the same.  A huge folio costs two atomic additions
 * for all of its pages, a 4 KiB folio one.
 *
 * The rule that ties a list to its pins.  Each range of a list built by
 * pin_user_physr() holds one pin on every page it touches (a page it
 * touches in part counts whole).  unpin_user_physr() needs nothing but
 * the list: it walks the ranges, turns each into folios through the
 * memmap, and gives back one pin per page per range, again one operation
 * per folio (a folio whose pages lie in several consecutive ranges is
 * still put once).  Ranges merge when appended, so one case needs care:
 * when a call's first byte continues the list's last range in the middle
 * of a page (two pins of adjacent byte ranges of one page into one list),
 * that page already holds the earlier range's pin and the merged range
 * still counts it once, so the call does not pin it again.
 *
 * The walk, as upstream's GUP-fast.  Page tables here follow Linux's
 * rule: tables are freed only under mmap_lock held for writing (munmap),
 * but leaves may be cleared under it held for reading (do_madvise()
 * MADV_DONTNEED; upstream also reclaim and migration).  pin_user_physr()
 * holds mmap_lock for reading, which keeps the tables (upstream's GUP-fast
 * keeps them with interrupts off), and walks them without the page-table
 * lock: VMA by VMA, then leaf by leaf, stepping through the entries of one
 * table at a time.  For each leaf (4 KiB, 2 MiB or 1 GiB) it grabs the
 * folio as try_grab_folio_fast() does: the pins are added only if the
 * folio's refcount is not zero (it is not being freed), then the page is
 * checked to still belong to that folio and the entry re-read: if the
 * entry changed (zapped meanwhile, and the folio perhaps freed and reused)
 * the pins are dropped.  A small folio takes its pin with one atomic
 * operation (GUP_PIN_COUNTING_BIAS added unless zero), a huge leaf with
 * two for all its pages.  Whatever the lockless walk cannot take (an
 * entry missing, not writable, changed under it, a folio being freed)
 * goes to the slow path for that leaf: the entry read under
 * page_table_lock, which excludes zapping, and pinned there, or the page
 * faulted in (a write fault with FOLL_WRITE, else a read fault; -EFAULT
 * with FOLL_NOFAULT) and the slow path tried again.  Pieces that continue
 * the current run physically extend it, and a run is appended when the
 * next piece does not continue it.  Because the walk steps through a
 * table's entries in order, it prefetches the struct page of the entry
 * GUP_PREFETCH ahead: with scattered 4 KiB folios each pin is a cache
 * miss, and the atomic pin would otherwise serialise them (gup_prefetch
 * turns that off, for measuring it).

 * All or nothing.  The list is marked first.  On any error, every folio
 * pinned by the call is unpinned: the run not yet appended, and what the
 * call appended (a view from the mark's length) with the same rule; the
 * list is rolled back.  Pages faulted in stay mapped, as with upstream GUP.
 *
 * FOLL_LONGTERM.  Upstream migrates folios that must not stay pinned
 * (ZONE_MOVABLE, CMA) before a long-term pin and refuses fsdax.  All our
 * RAM is unmovable ZONE_DMA32/ZONE_NORMAL, so long-term pins of
 * anonymous, THP and hugetlb memory are simply allowed; a future kind
 * that must not be pinned long-term (fsdax-like) would be refused in
 * gup_vma_check() with -EOPNOTSUPP, as upstream does.  VM_PFNMAP/VM_IO
 * are refused for every pin.
 *
 * P2P.  Ranges are appended as system RAM.  The list's provider field is
 * ready for device memory (a FOLL_PCI_P2PDMA-like flag and
 * physr_list_append_p2p()); unpin_user_physr() already skips ranges that
 * carry a provider, which own no folios.
 *
 * Conventions: ranges are [start, end); "last" PFNs are inclusive.
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mm_struct.h>
#include <linux/overflow.h>
#include <linux/pgtable.h>
#include <linux/physr.h>
#include <linux/prefetch.h>

#define PIN_USER_PHYSR_FLAGS	(FOLL_WRITE | FOLL_LONGTERM | FOLL_NOFAULT)

/*
 * How many entries ahead the walk prefetches the struct page an entry
 * maps.  Pinning a folio reads and writes its struct page; when the
 * folios are scattered those are cache misses, and the atomic pin
 * serialises them.  Asking for them early lets them overlap.
 */
#define GUP_PREFETCH		16

/* Prefetch ahead in the walk; only `physr bench pin/4k/no-prefetch` clears it. */
bool gup_prefetch = true;
EXPORT_SYMBOL_GPL(gup_prefetch);

/*
 * Called, when set, between reading a leaf without a lock and grabbing
 * its folio: the window GUP-fast's checks close.  Tests only
 * (tests/gup_race_test.c), to zap and reuse the page there; NULL always
 * otherwise (upstream would use KUnit's static stubs).
 */
void (*gup_fast_test_hook)(struct mm_struct *mm, unsigned long addr);
EXPORT_SYMBOL_GPL(gup_fast_test_hook);

/*
 * prefetchw() of <linux/prefetch.h> for the folio of @pfn: its head page,
 * and for a large folio (@large) the first tail, which holds _pincount.
 */
static __always_inline void gup_prefetch_folio(unsigned long pfn, bool large)
{
	struct page *page = pfn_to_page(pfn);

	prefetchw(page);
	if (large)
		prefetchw(page + 1);
}

/* ... for the folio the entry @ptep at @level maps, if it is a leaf. */
static __always_inline void gup_prefetch_entry(const pt_entry_t *ptep,
					       int level)
{
	gup_prefetch_folio(pt_pfn(READ_ONCE(*ptep)), level > PT_PTE);
}

/**
 * struct gup_walk - state of one pin_user_physr() call
 * @list: where runs go
 * @write: FOLL_WRITE
 * @nofault: FOLL_NOFAULT
 * @appended: a run of this call is in @list
 * @skip_first_page: the call's first page holds no pin of the call (see
 *	the top)
 * @run_addr: physical start of the run being gathered
 * @run_len: its length; 0 before the first piece.  Its pages are pinned,
 *	one pin each, and it is not in @list yet
 */
struct gup_walk {
	struct physr_list *list;
	bool write;
	bool nofault;
	bool appended;
	bool skip_first_page;
	phys_addr_t run_addr;
	u64 run_len;
};

/* Pages of @folio from @pfn up to @last (inclusive), at least 1. */
static __always_inline unsigned long gup_folio_pages(struct folio *folio,
						     unsigned long pfn,
						     unsigned long last)
{
	if (!folio_test_large(folio))
		return 1;
	return min(folio_pfn(folio) + folio_nr_pages(folio) - 1, last) -
	       pfn + 1;
}

/* Take @refs pins on @folio: one per page (try_grab_folio(), FOLL_PIN). */
static __always_inline void gup_pin_folio(struct folio *folio,
					  unsigned long refs)
{
	VM_WARN_ON_ONCE_FOLIO(folio_ref_count(folio) <= 0, folio);
	if (folio_test_large(folio)) {
		atomic_add(refs, &folio->_pincount);
		folio_ref_add(folio, refs);
	} else {
		folio_ref_add(folio, refs * GUP_PIN_COUNTING_BIAS);
	}
}

static atomic_long_t folio_ref_underflow_count = ATOMIC_LONG_INIT(0);

/**
 * folio_ref_underflow() - report a refused drop of a folio's count
 * @folio: the folio
 * @what: the counter: "references" or "pins"
 * @nr: what the caller tried to drop
 * @have: what the counter held
 *
 * For folio_ref_sub_saturating(): the first underflow since boot WARNs
 * (as refcount_t's does), every one is printed and counted.
 */
void folio_ref_underflow(struct folio *folio, const char *what, int nr,
			 int have)
{
	long n = atomic_long_inc_return(&folio_ref_underflow_count);

	pr_err("mm: folio pfn %#lx: dropping %d %s of %d refused (underflow)\n",
	       folio_pfn(folio), nr, what, have);
	WARN(n == 1, "mm: folio %s underflow: saturated", what);
}

/**
 * folio_ref_underflows() - drops of folio counts refused since boot
 *
 * Return: how many times folio_ref_underflow() reported one.
 */
unsigned long folio_ref_underflows(void)
{
	return atomic_long_read(&folio_ref_underflow_count);
}

/*
 * Drop @refs pins from @folio (upstream's gup_put_folio(), FOLL_PIN).
 * Pins the folio does not have (a list unpinned twice, or never pinned)
 * are refused whole: a large folio's _pincount, a small folio's
 * _refcount never goes below zero (folio_ref_sub_saturating()).
 */
static void gup_unpin_folio(struct folio *folio, unsigned long refs)
{
	if (folio_test_large(folio)) {
		if (folio_ref_sub_saturating(folio, &folio->_pincount, "pins",
					     refs) < 0)
			return;
	} else {
		refs *= GUP_PIN_COUNTING_BIAS;
	}
	folio_put_refs(folio, refs);
}

/* Pin the RAM pages [@pfn, @last], folio by folio. */
static void gup_pin_pfns(unsigned long pfn, unsigned long last)
{
	while (pfn <= last) {
		struct folio *folio = pfn_folio(pfn);
		unsigned long nr = gup_folio_pages(folio, pfn, last);

		gup_pin_folio(folio, nr);
		pfn += nr;
	}
}

/**
 * struct gup_unpin - pins gathered for one folio, not yet dropped
 * @folio: the folio, or NULL
 * @refs: pins to drop
 * @dirty: mark folios dirty before unpinning
 */
struct gup_unpin {
	struct folio *folio;
	unsigned long refs;
	bool dirty;
};

static void gup_unpin_flush(struct gup_unpin *u)
{
	if (!u->folio)
		return;
	if (u->dirty && !folio_test_dirty(u->folio))
		folio_mark_dirty(u->folio);
	gup_unpin_folio(u->folio, u->refs);
	u->folio = NULL;
}

/* Unpin the pages of the RAM range [@addr, @addr + @len), @skip first. */
static void gup_unpin_range(struct gup_unpin *u, phys_addr_t addr, u64 len,
			    unsigned long skip)
{
	unsigned long pfn = PHYS_PFN(addr) + skip;
	unsigned long last = PHYS_PFN(addr + len - 1);

	if (WARN_ON_ONCE(!pfn_valid(last)))
		return;
	while (pfn <= last) {
		struct folio *folio = pfn_folio(pfn);
		unsigned long nr = gup_folio_pages(folio, pfn, last);

		if (folio != u->folio) {
			gup_unpin_flush(u);
			u->folio = folio;
			u->refs = 0;
		}
		u->refs += nr;
		pfn += nr;
	}
}

/*
 * GUP-fast's grab (try_grab_folio_fast(), FOLL_PIN) of pages
 * [@pfn, @pfn + @nr) of one folio, which the entry @ptep held as @e when
 * read without a lock: pin them unless the folio is being freed, then
 * make sure the page still belongs to the folio and the entry is still
 * @e.  A small folio is pinned with one atomic operation; its size is
 * read before the folio is held, so it is checked again afterwards.
 *
 * Return: true if the pages are pinned (one pin each); false, with
 * nothing pinned, if the slow path must take them.
 */
static __always_inline bool gup_fast_grab(unsigned long pfn, unsigned long nr,
					  pt_entry_t *ptep, pt_entry_t e)
{
	struct folio *folio = pfn_folio(pfn);

	if (folio_test_large(folio)) {
		if (unlikely(!atomic_add_unless(&folio->_refcount, nr, 0)))
			return false;
		if (unlikely(pfn_folio(pfn) != folio)) {
			folio_put_refs(folio, nr);
			return false;
		}
		atomic_add(nr, &folio->_pincount);
	} else {
		if (unlikely(!atomic_add_unless(&folio->_refcount,
						GUP_PIN_COUNTING_BIAS, 0)))
			return false;
		if (unlikely(pfn_folio(pfn) != folio ||
			     folio_test_large(folio))) {
			folio_put_refs(folio, GUP_PIN_COUNTING_BIAS);
			return false;
		}
	}
	/* The pin is visible before the entry is read again. */
	smp_mb__after_atomic();
	if (unlikely(READ_ONCE(*ptep) != e)) {
		gup_unpin_folio(folio, nr);
		return false;
	}
	return true;
}

/* Drop the pins of the run gathered in @w, which is not in the list. */
static void gup_unpin_run(struct gup_walk *w)
{
	struct gup_unpin u = { .folio = NULL };

	if (!w->run_len)
		return;
	gup_unpin_range(&u, w->run_addr, w->run_len, 0);
	gup_unpin_flush(&u);
	w->run_len = 0;
}

/*
 * Append the run gathered in @w, whose pages are pinned.  On error the
 * run stays in @w, pinned, for the caller's unwinding.
 */
static int gup_flush_run(struct gup_walk *w)
{
	phys_addr_t addr = w->run_addr;
	u64 nr_ranges = physr_list_nr_ranges(w->list);
	int ret;

	/* pin_user_physr() may sleep: it faults pages in. */
	ret = physr_list_append(w->list, addr, w->run_len, GFP_KERNEL);
	if (unlikely(ret))
		return ret;
	w->run_len = 0;
	if (unlikely(!w->appended)) {
		w->appended = true;
		/* Merged mid-page: that page holds the earlier range's pin. */
		if ((addr & ~PAGE_MASK) &&
		    physr_list_nr_ranges(w->list) == nr_ranges) {
			w->skip_first_page = true;
			gup_unpin_folio(pfn_folio(PHYS_PFN(addr)), 1);
		}
	}
	return 0;
}

/*
 * Add the pinned piece [@pa, @pa + @len) to the run, appending the run
 * first if the piece does not continue it.  On error the piece is
 * unpinned and the run stays in @w.
 */
static __always_inline int gup_add_piece(struct gup_walk *w, phys_addr_t pa,
					 u64 len)
{
	if (pa != w->run_addr + w->run_len) {
		if (w->run_len) {
			int ret = gup_flush_run(w);

			if (unlikely(ret)) {
				struct gup_unpin u = { .folio = NULL };

				gup_unpin_range(&u, pa, len, 0);
				gup_unpin_flush(&u);
				return ret;
			}
		}
		w->run_addr = pa;
	}
	w->run_len += len;
	return 0;
}

/* Is @e at @level a leaf this walk can pin as it is? */
static __always_inline bool gup_leaf_usable(const struct gup_walk *w,
					    pt_entry_t e, int level)
{
	pt_entry_t want = _PAGE_PRESENT | (w->write ? _PAGE_RW : 0) |
			  (level > PT_PTE ? _PAGE_PSE : 0);

	return (e & (want | _PAGE_SPECIAL)) == want;
}

/*
 * The slow path for the leaf at @addr: read it under page_table_lock,
 * which zapping takes, and pin it there, faulting it in first if it is
 * missing or not writable.  *@next is set to where the piece taken ends.
 */
static int gup_slow_leaf(struct gup_walk *w, struct vm_area_struct *vma,
			 unsigned long addr, unsigned long end,
			 unsigned long *next)
{
	struct mm_struct *mm = vma->vm_mm;
	int ret;

	for (;;) {
		unsigned long size, last;
		phys_addr_t pa;
		pt_entry_t *ptep, e;
		int level;

		spin_lock(&mm->page_table_lock);
		ptep = pt_lookup(mm, addr, &level);
		e = READ_ONCE(*ptep);
		if (gup_leaf_usable(w, e, level)) {
			size = pt_size(level);
			*next = min((addr | (size - 1)) + 1, end);
			pa = (e & PTE_PFN_MASK) + (addr & (size - 1));
			last = PHYS_PFN(pa + (*next - addr) - 1);
			/* The leaf holds the folio: a plain pin will do. */
			gup_pin_pfns(PHYS_PFN(pa), last);
			spin_unlock(&mm->page_table_lock);
			return gup_add_piece(w, pa, *next - addr);
		}
		spin_unlock(&mm->page_table_lock);
		if (pt_special(e) || w->nofault)
			return -EFAULT;
		ret = handle_mm_fault(vma, addr,
				      w->write ? FAULT_FLAG_WRITE : 0);
		if (ret)
			return ret;
	}
}

/*
 * Walk [@addr, @end), inside @vma, leaf by leaf without a lock, as
 * GUP-fast: grab each leaf's folio, gather runs and append them; what
 * cannot be taken so goes to gup_slow_leaf().  @prefetch is gup_prefetch.
 */
static __always_inline int __gup_walk_vma(struct gup_walk *w,
					  struct vm_area_struct *vma,
					  unsigned long addr, unsigned long end,
					  bool prefetch)
{
	struct mm_struct *mm = vma->vm_mm;
	int ret;

	while (addr < end) {
		int level;
		pt_entry_t *ptep = pt_lookup(mm, addr, &level);
		unsigned long size = pt_size(level);
		/* This table's entries from @ptep on cover up to @lim. */
		unsigned long span = size * PT_ENTRIES;
		unsigned long lim = min(end, (addr | (span - 1)) + 1);
		/* Entries of this table from @ptep on, for prefetching. */
		pt_entry_t *tend = ptep + PT_ENTRIES - pt_index(addr, level);
		unsigned long next;
		pt_entry_t e;

		for (;;) {
			unsigned long pfn, last;
			phys_addr_t pa;

			if (prefetch && ptep + GUP_PREFETCH < tend)
				gup_prefetch_entry(ptep + GUP_PREFETCH, level);
			e = READ_ONCE(*ptep);
			if (unlikely(!gup_leaf_usable(w, e, level)))
				break;
			pa = (e & PTE_PFN_MASK) + (addr & (size - 1));
			next = min((addr | (size - 1)) + 1, lim);
			pfn = PHYS_PFN(pa);
			last = PHYS_PFN(pa + (next - addr) - 1);
			if (unlikely(gup_fast_test_hook))
				gup_fast_test_hook(mm, addr);
			if (unlikely(!gup_fast_grab(pfn, last - pfn + 1, ptep, e)))
				break;
			ret = gup_add_piece(w, pa, next - addr);
			if (unlikely(ret))
				return ret;
			addr = next;
			if (addr >= lim)
				break;
			ptep++;
		}
		if (addr >= lim)
			continue;
		/* Stepped onto a table: descend. */
		if (pt_present(e) && !pt_leaf(e, level))
			continue;
		ret = gup_slow_leaf(w, vma, addr, end, &next);
		if (ret)
			return ret;
		addr = next;
	}
	return 0;
}

static int gup_walk_vma(struct gup_walk *w, struct vm_area_struct *vma,
			unsigned long addr, unsigned long end)
{
	if (likely(gup_prefetch))
		return __gup_walk_vma(w, vma, addr, end, true);
	return __gup_walk_vma(w, vma, addr, end, false);
}

/* May this VMA be pinned with these flags?  (upstream check_vma_flags()) */
static int gup_vma_check(const struct vm_area_struct *vma,
			 unsigned int gup_flags)
{
	if (vma->vm_flags & (VM_IO | VM_PFNMAP))
		return -EFAULT;
	if (!(vma->vm_flags & (gup_flags & FOLL_WRITE ? VM_WRITE : VM_READ)))
		return -EFAULT;
	return 0;
}

/*
 * Unpin what the ranges @it walks hold (not the first page if
 * @skip_first_page), marking the folios dirty if @dirty.  @ahead walks the
 * same ranges: it runs GUP_PREFETCH ranges in front to prefetch their
 * struct pages.
 */
static void gup_unpin_ranges(struct physr_iter *it, struct physr_iter *ahead,
			     bool skip_first_page, bool dirty)
{
	struct gup_unpin u = { .dirty = dirty };
	unsigned long skip = skip_first_page;
	struct physr r, next;
	unsigned int i;

	for (i = 0; i < GUP_PREFETCH; i++)
		if (!physr_iter_next(ahead, &next))
			break;
	while (physr_iter_next(it, &r)) {
		if (physr_iter_next(ahead, &next) &&
		    !physr_iter_provider(ahead))
			gup_prefetch_folio(PHYS_PFN(next.addr), false);
		/* P2P memory has no folios to pin or unpin. */
		if (!physr_iter_provider(it))
			gup_unpin_range(&u, r.addr, r.len, skip);
		skip = 0;
	}
	gup_unpin_flush(&u);
}

/* Unpin what the failed call appended to @list after its first @base bytes. */
static void gup_unpin_appended(struct physr_list *list, u64 base,
			       bool skip_first_page)
{
	struct physr_iter it, ahead;
	struct physr_view view;

	if (physr_list_len(list) == base ||
	    WARN_ON(physr_list_slice(list, base, physr_list_len(list) - base,
				     &view)))
		return;
	physr_iter_init_view(&it, &view);
	physr_iter_init_view(&ahead, &view);
	gup_unpin_ranges(&it, &ahead, skip_first_page, false);
}

/**
 * pin_user_physr() - pin user memory and append it to a range list
 * @mm: the address space
 * @start: first user address; need not be page aligned
 * @len: bytes; need not be a whole number of pages
 * @gup_flags: FOLL_WRITE if the device will write the memory,
 *	FOLL_LONGTERM for a pin of unbounded duration, FOLL_NOFAULT to fail
 *	rather than fault pages in
 * @list: the list to append to, empty or not
 *
 * Pins every folio backing [@start, @start + @len) with FOLL_PIN (see the
 * top of mm/gup.c for what a pin adds) and appends the physical ranges
 * of the bytes, in address order, merged where physically contiguous.
 * Missing pages are faulted in.  Release with unpin_user_physr().
 *
 * Return: 0; -EINVAL for unknown @gup_flags (FOLL_PIN included), a zero
 * @len, or @start + @len overflowing; -EFAULT for an address not mapped,
 * past TASK_SIZE, in a VM_PFNMAP or VM_IO mapping, not readable, not
 * writable with FOLL_WRITE, or not present with FOLL_NOFAULT; -ENOMEM;
 * -EOVERFLOW if the list would exceed its size limit.  On error nothing
 * is pinned by the call and @list is as it was.
 */
int pin_user_physr(struct mm_struct *mm, unsigned long start,
		   unsigned long len, unsigned int gup_flags,
		   struct physr_list *list)
{
	struct gup_walk w = {
		.list = list,
		.write = gup_flags & FOLL_WRITE,
		.nofault = gup_flags & FOLL_NOFAULT,
	};
	u64 base = physr_list_len(list);
	struct physr_list_mark mark;
	unsigned long addr, end;
	int ret;

	if (gup_flags & ~PIN_USER_PHYSR_FLAGS)
		return -EINVAL;
	if (!len || check_add_overflow(start, len, &end))
		return -EINVAL;
	if (end > TASK_SIZE)
		return -EFAULT;

	physr_list_mark(list, &mark);
	mmap_read_lock(mm);
	for (addr = start; addr < end;) {
		struct vm_area_struct *vma = find_vma(mm, addr);
		unsigned long vend;

		if (!vma || vma->vm_start > addr) {
			ret = -EFAULT;
			goto out_unpin;
		}
		ret = gup_vma_check(vma, gup_flags);
		if (ret)
			goto out_unpin;
		vend = min(end, vma->vm_end);
		ret = gup_walk_vma(&w, vma, addr, vend);
		if (ret)
			goto out_unpin;
		addr = vend;
	}
	ret = gup_flush_run(&w);
	if (ret)
		goto out_unpin;
	mmap_read_unlock(mm);
	return 0;

out_unpin:
	gup_unpin_run(&w);
	gup_unpin_appended(list, base, w.skip_first_page);
	physr_list_rollback(list, &mark);
	mmap_read_unlock(mm);
	return ret;
}

/**
 * unpin_user_physr() - unpin what pin_user_physr() pinned, and empty the list
 * @list: a list filled only by pin_user_physr() (any number of calls)
 * @make_dirty: mark every folio dirty first, as after a device wrote it
 *	(upstream unpin_user_pages_dirty_lock())
 *
 * Walks the ranges and drops one pin per page per range, one operation
 * per folio.  A folio whose last reference was its pin (its mapping is
 * gone) is freed.  The list is destroyed: it describes memory the caller
 * no longer holds.  Ranges of P2P providers are skipped.
 */
void unpin_user_physr(struct physr_list *list, bool make_dirty)
{
	struct physr_iter it, ahead;

	physr_iter_init(&it, list);
	physr_iter_init(&ahead, list);
	gup_unpin_ranges(&it, &ahead, false, make_dirty);
	physr_list_destroy(list);
}
