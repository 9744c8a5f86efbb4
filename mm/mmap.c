// SPDX-License-Identifier: GPL-2.0
/*
 * Address spaces and their VMAs: mm_alloc()/mmput(), vm_mmap(),
 * vm_mmap_pfn(), vm_munmap(), find_vma().
 *
 * The VMA set is a sorted array of pointers (mm->vmas), not a tree.  A
 * lookup is a binary search, O(log n); walking VMAs in address order is
 * stepping through the array; inserting or removing one moves the
 * pointers after it, O(n).  Upstream's maple tree is the scalable form of
 * the same idea (a B-tree of ranges); for the tens of VMAs of a test or a
 * benchmark process a flat array is smaller, faster and obviously right.
 * Adjacent VMAs are never merged.
 *
 * Placement.  vm_mmap() takes an address hint: it is used (rounded up to
 * the VMA's alignment) if that range is free, otherwise the lowest free
 * range that fits is taken, first fit from MMAP_MIN_ADDR.  Hugetlb VMAs
 * are aligned to their page size; THP VMAs placed without a hint are
 * 2 MiB aligned, as upstream aligns large anonymous mappings, so that
 * every whole 2 MiB of them can take a huge page.
 *
 * Nothing is mapped by vm_mmap(): pages come on first touch
 * (handle_mm_fault()).  vm_mmap_pfn() is remap_pfn_range(): every page is
 * mapped at once, with special entries.
 *
 * vm_munmap() either succeeds completely or changes nothing: everything
 * it may need (a VMA for the tail of a split, a table for each THP leaf
 * that the range cuts, room in the array) is allocated first, and only
 * then is anything unmapped.  Unmapping drops the mapping's references;
 * a pinned folio lives on until it is unpinned.
 *
 * Errors are returned as upstream does: vm_mmap() returns the address or
 * a negative errno cast to unsigned long (test with IS_ERR_VALUE()).
 */
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mm_struct.h>
#include <linux/overflow.h>
#include <linux/pgtable.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"

#define VMA_ARRAY_MIN	16

/* What each kind of anonymous VMA is made of. */
static const struct {
	vm_flags_t flags;
	unsigned int page_shift;
} vm_kinds[VM_NR_KINDS] = {
	[VM_KIND_ANON] = { 0, PAGE_SHIFT },
	[VM_KIND_THP] = { VM_HUGEPAGE, PAGE_SHIFT },
	[VM_KIND_HUGETLB_2M] = { VM_HUGETLB, PMD_SHIFT },
	[VM_KIND_HUGETLB_1G] = { VM_HUGETLB, PUD_SHIFT },
};

/**
 * mm_alloc() - make an empty address space
 *
 * Return: the address space, with one user (drop it with mmput()), or
 * NULL if memory ran out.
 */
struct mm_struct *mm_alloc(void)
{
	struct mm_struct *mm = kzalloc(sizeof(*mm), GFP_KERNEL);

	if (!mm)
		return NULL;
	init_rwsem(&mm->mmap_lock);
	spin_lock_init(&mm->page_table_lock);
	atomic_set(&mm->mm_users, 1);
	if (pt_pgd_alloc(mm))
		goto out_free_mm;
	return mm;

out_free_mm:
	kfree(mm);
	return NULL;
}

/**
 * mmget() - take a reference on an address space
 * @mm: the address space; the caller holds a reference already
 */
void mmget(struct mm_struct *mm)
{
	atomic_inc(&mm->mm_users);
}

/**
 * mmput() - drop a reference on an address space
 * @mm: the address space
 *
 * The last reference unmaps everything (pinned folios survive until they
 * are unpinned) and frees the page tables, the VMAs and @mm.
 */
void mmput(struct mm_struct *mm)
{
	unsigned int i;

	if (!atomic_dec_and_test(&mm->mm_users))
		return;
	pt_free_all(mm);
	for (i = 0; i < mm->nr_vmas; i++) {
		vma_close(mm->vmas[i]);
		kfree(mm->vmas[i]);
	}
	kfree(mm->vmas);
	kfree(mm);
}

/* Index of the first VMA that ends after @addr; nr_vmas if there is none. */
static unsigned int vma_index(const struct mm_struct *mm, unsigned long addr)
{
	unsigned int lo = 0, hi = mm->nr_vmas;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (mm->vmas[mid]->vm_end > addr)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/**
 * find_vma() - the first VMA that ends after an address
 * @mm: the address space; mmap_lock held
 * @addr: a user address
 *
 * Return: the VMA containing @addr, or else the first one above it, or
 * NULL.
 */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	unsigned int i = vma_index(mm, addr);

	return i < mm->nr_vmas ? mm->vmas[i] : NULL;
}

/**
 * vma_lookup() - the VMA containing an address
 * @mm: the address space; mmap_lock held
 * @addr: a user address
 *
 * Return: the VMA, or NULL if @addr is not mapped.
 */
struct vm_area_struct *vma_lookup(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	return vma && vma->vm_start <= addr ? vma : NULL;
}

/* Make room for @extra more VMAs in the array. */
static int vma_array_reserve(struct mm_struct *mm, unsigned int extra)
{
	unsigned int need = mm->nr_vmas + extra;
	unsigned int cap;
	void *p;

	if (need <= mm->max_vmas)
		return 0;
	if (need > DEFAULT_MAX_MAP_COUNT)
		return -ENOMEM;
	cap = max(need, max(mm->max_vmas * 2, (unsigned int)VMA_ARRAY_MIN));
	cap = min_t(unsigned int, cap, DEFAULT_MAX_MAP_COUNT);
	p = krealloc_array(mm->vmas, cap, sizeof(*mm->vmas), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	mm->vmas = p;
	mm->max_vmas = cap;
	return 0;
}

/* Put @vma at index @i; the array has room (vma_array_reserve()). */
static void vma_insert(struct mm_struct *mm, unsigned int i,
		       struct vm_area_struct *vma)
{
	memmove(&mm->vmas[i + 1], &mm->vmas[i],
		(mm->nr_vmas - i) * sizeof(*mm->vmas));
	mm->vmas[i] = vma;
	mm->nr_vmas++;
}

/* Free the VMAs at [@i, @i + @n) and close the gap. */
static void vma_remove(struct mm_struct *mm, unsigned int i, unsigned int n)
{
	unsigned int k;

	for (k = i; k < i + n; k++) {
		vma_close(mm->vmas[k]);
		kfree(mm->vmas[k]);
	}
	memmove(&mm->vmas[i], &mm->vmas[i + n],
		(mm->nr_vmas - i - n) * sizeof(*mm->vmas));
	mm->nr_vmas -= n;
}

static bool vma_range_free(struct mm_struct *mm, unsigned long start,
			   unsigned long end)
{
	unsigned int i = vma_index(mm, start);

	return i == mm->nr_vmas || mm->vmas[i]->vm_start >= end;
}

/*
 * A free range of @len bytes (at most TASK_SIZE) aligned to @align: at
 * @hint if possible, else the lowest.  Returns it or -ENOMEM.
 */
static unsigned long get_unmapped_area(struct mm_struct *mm,
				       unsigned long hint, unsigned long len,
				       unsigned long align)
{
	unsigned long addr, gap = MMAP_MIN_ADDR;
	unsigned int i;

	if (hint) {
		addr = ALIGN(hint, align);
		if (addr >= hint && addr >= MMAP_MIN_ADDR &&
		    addr <= TASK_SIZE - len &&
		    vma_range_free(mm, addr, addr + len))
			return addr;
	}
	for (i = 0; i <= mm->nr_vmas; i++) {
		unsigned long limit = i < mm->nr_vmas ?
				      mm->vmas[i]->vm_start : TASK_SIZE;

		addr = ALIGN(gap, align);
		if (addr <= limit && limit - addr >= len)
			return addr;
		if (i < mm->nr_vmas)
			gap = mm->vmas[i]->vm_end;
	}
	return -ENOMEM;
}

/*
 * Map every page of the new VMA @vma (not yet in the array) with special
 * entries: the mm owns none of these pages, whatever the flags say.
 */
static int vma_map_pfns(struct mm_struct *mm, struct vm_area_struct *vma)
{
	unsigned long addr, pfn = vma->vm_pgoff;

	for (addr = vma->vm_start; addr < vma->vm_end; addr += PAGE_SIZE) {
		pt_entry_t *ptep = pt_alloc(mm, addr, PT_PTE);

		if (!ptep) {
			/* The range was free: all its tables are ours. */
			pt_zap_range(mm, vma->vm_start, vma->vm_end);
			return -ENOMEM;
		}
		WRITE_ONCE(*ptep, pt_mk_leaf(pfn++, PT_PTE,
					     vma->vm_flags & VM_WRITE, true));
	}
	return 0;
}

/*
 * Make and insert a VMA: the part vm_mmap() and vm_mmap_pfn() share.
 * @len is a multiple of @page_shift's size and at most TASK_SIZE.
 */
static unsigned long mmap_region(struct mm_struct *mm, unsigned long hint,
				 unsigned long len, unsigned long align,
				 vm_flags_t vm_flags, unsigned int page_shift,
				 unsigned long pfn)
{
	struct vm_area_struct *vma;
	unsigned long addr;
	int ret;

	vma = kzalloc(sizeof(*vma), GFP_KERNEL);
	if (!vma)
		return -ENOMEM;

	mmap_write_lock(mm);
	addr = get_unmapped_area(mm, hint, len, align);
	if (IS_ERR_VALUE(addr)) {
		ret = (long)addr;
		goto out_unlock;
	}
	vma->vm_start = addr;
	vma->vm_end = addr + len;
	vma->vm_mm = mm;
	vma->vm_flags = vm_flags;
	vma->vm_pgoff = pfn;
	vma->vm_page_shift = page_shift;

	if (vm_flags & (VM_PFNMAP | VM_IO)) {
		ret = vma_map_pfns(mm, vma);
		if (ret)
			goto out_unlock;
	}
	/* Last, so that no failure can follow a grown array. */
	ret = vma_array_reserve(mm, 1);
	if (ret)
		goto out_unmap;
	vma_insert(mm, vma_index(mm, addr), vma);
	mmap_write_unlock(mm);
	return addr;

out_unmap:
	pt_zap_range(mm, vma->vm_start, vma->vm_end);
out_unlock:
	mmap_write_unlock(mm);
	kfree(vma);
	return ret;
}

/* Check and normalise the protection of a new VMA. */
static int vm_prot_check(vm_flags_t *prot)
{
	if (*prot & ~(VM_READ | VM_WRITE))
		return -EINVAL;
	/* As on x86: what can be written can be read. */
	if (*prot & VM_WRITE)
		*prot |= VM_READ;
	return 0;
}

/**
 * vm_mmap() - map anonymous memory
 * @mm: the address space
 * @addr: where to put it if free (rounded up to the alignment), or 0
 * @len: bytes; rounded up to the VMA's page size
 * @prot: VM_READ, VM_WRITE (which implies VM_READ), both, or VM_NONE
 * @kind: what backs it (enum vm_kind)
 *
 * Nothing is allocated for the memory itself until it is touched.
 *
 * Return: the address of the new VMA; -EINVAL for a zero @len, unknown
 * @prot bits or @kind; -ENOMEM when no free range fits or memory ran out.
 */
unsigned long vm_mmap(struct mm_struct *mm, unsigned long addr,
		      unsigned long len, vm_flags_t prot, enum vm_kind kind)
{
	unsigned long size, align;
	unsigned int shift;

	if ((unsigned int)kind >= VM_NR_KINDS || !len || vm_prot_check(&prot))
		return -EINVAL;
	shift = vm_kinds[kind].page_shift;
	size = 1UL << shift;
	if (len > TASK_SIZE)
		return -ENOMEM;
	len = ALIGN(len, size);
	align = kind == VM_KIND_THP && !addr ? PMD_SIZE : size;
	return mmap_region(mm, addr, len, align, prot | vm_kinds[kind].flags,
			   shift, 0);
}

/**
 * vm_mmap_pfn() - map a physical range given by the caller
 * @mm: the address space
 * @addr: where to put it if free (rounded up to a page), or 0
 * @len: bytes; rounded up to a page
 * @prot: as for vm_mmap()
 * @pfn: first page frame to map
 * @flags: VM_PFNMAP, VM_IO or both
 *
 * remap_pfn_range() into a new VMA: every page is mapped now, by special
 * entries that take no reference on anything; the caller keeps the memory
 * alive (RAM) or it is a device's (MMIO) while the mapping lasts.  GUP
 * refuses such VMAs.  CPU access through copy_to_user() and friends
 * works on RAM and on MMIO alike.
 *
 * Return: the address of the new VMA; -EINVAL for bad @flags, @prot, a
 * zero @len or a range past what a page-table entry can hold; -ENOMEM.
 */
unsigned long vm_mmap_pfn(struct mm_struct *mm, unsigned long addr,
			  unsigned long len, vm_flags_t prot,
			  unsigned long pfn, vm_flags_t flags)
{
	if (!flags || (flags & ~(VM_PFNMAP | VM_IO)) || !len ||
	    vm_prot_check(&prot))
		return -EINVAL;
	if (len > TASK_SIZE)
		return -ENOMEM;
	len = ALIGN(len, PAGE_SIZE);
	if (pfn >= PT_PFN_LIMIT || (len >> PAGE_SHIFT) > PT_PFN_LIMIT - pfn)
		return -EINVAL;
	return mmap_region(mm, addr, len, PAGE_SIZE, prot | flags, PAGE_SHIFT,
			   pfn);
}

/* Make @vma start at @addr, inside it. */
static void vma_trim_front(struct vm_area_struct *vma, unsigned long addr)
{
	if (vma->vm_flags & (VM_PFNMAP | VM_IO))
		vma->vm_pgoff += (addr - vma->vm_start) >> PAGE_SHIFT;
	vma->vm_start = addr;
}

/**
 * vm_munmap() - unmap a range of an address space
 * @mm: the address space
 * @start: first address, page aligned
 * @len: bytes; rounded up to a page
 *
 * VMAs inside the range go; a VMA the range covers in part is trimmed, or
 * split in two when the range lies inside it.  A THP leaf the range cuts
 * is first split into PTEs; hugetlb VMAs may only be cut at their page
 * size.  Unmapping a hole is no error.  Pinned folios outlive their
 * mappings until they are unpinned.
 *
 * Return: 0; -EINVAL for an unaligned @start, a zero @len, a range past
 * TASK_SIZE, or a hugetlb VMA cut off its page size; -ENOMEM.  On error
 * nothing has changed.
 */
int vm_munmap(struct mm_struct *mm, unsigned long start, unsigned long len)
{
	struct vm_area_struct *first, *last, *tail = NULL;
	pt_entry_t *split[2] = { NULL, NULL };
	unsigned long split_addr[2], end;
	unsigned int i, j, k, nr_split = 0;
	int ret = 0;

	if (!PAGE_ALIGNED(start) || !len || len > TASK_SIZE)
		return -EINVAL;
	len = ALIGN(len, PAGE_SIZE);
	if (check_add_overflow(start, len, &end) || end > TASK_SIZE)
		return -EINVAL;

	mmap_write_lock(mm);
	/* The VMAs that overlap the range are [i, j). */
	i = vma_index(mm, start);
	for (j = i; j < mm->nr_vmas && mm->vmas[j]->vm_start < end; j++)
		;
	if (i == j)
		goto out_unlock;
	first = mm->vmas[i];
	last = mm->vmas[j - 1];
	if ((first->vm_start < start &&
	     (!IS_ALIGNED(start, vma_kernel_pagesize(first)) ||
	      first->vm_ops)) ||
	    (last->vm_end > end &&
	     (!IS_ALIGNED(end, vma_kernel_pagesize(last)) || last->vm_ops))) {
		ret = -EINVAL;
		goto out_unlock;
	}

	/* Everything that may be needed, before anything changes. */
	if (first == last && first->vm_start < start && last->vm_end > end) {
		tail = kmalloc(sizeof(*tail), GFP_KERNEL);
		if (!tail) {
			ret = -ENOMEM;
			goto out_unlock;
		}
	}
	if (pt_huge_pmd_needs_split(mm, start, start, end))
		split_addr[nr_split++] = start;
	if ((!nr_split || ((start ^ (end - 1)) & PMD_MASK)) &&
	    pt_huge_pmd_needs_split(mm, end - 1, start, end))
		split_addr[nr_split++] = end - 1;
	for (k = 0; k < nr_split; k++) {
		split[k] = (pt_entry_t *)get_zeroed_page(GFP_KERNEL);
		if (!split[k]) {
			ret = -ENOMEM;
			goto out_free;
		}
	}
	if (tail) {
		ret = vma_array_reserve(mm, 1);
		if (ret)
			goto out_free;
	}

	/* Nothing fails from here on. */
	for (k = 0; k < nr_split; k++) {
		pt_split_huge_pmd(mm, split_addr[k], split[k]);
		split[k] = NULL;
	}
	pt_zap_range(mm, start, end);
	if (tail) {
		*tail = *first;
		vma_trim_front(tail, end);
		first->vm_end = start;
		vma_insert(mm, i + 1, tail);
		tail = NULL;
	} else {
		if (first->vm_start < start) {
			first->vm_end = start;
			i++;
		}
		if (last->vm_end > end && j > i) {
			vma_trim_front(last, end);
			j--;
		}
		vma_remove(mm, i, j - i);
	}

out_free:
	for (k = 0; k < nr_split; k++)
		if (split[k])
			free_page((unsigned long)split[k]);
	kfree(tail);
out_unlock:
	mmap_write_unlock(mm);
	return ret;
}

/* ---- drivers' mappings --------------------------------------------------- */

/**
 * vm_mmap_file() - map a driver's file into an address space
 * @mm: the address space
 * @file: the file; its ->mmap sets up the VMA (flags, @vm_ops)
 * @addr: where to put it if free (rounded up to a page), or 0
 * @len: bytes; rounded up to a page
 * @prot: as for vm_mmap()
 * @pgoff: offset in the file, in pages (@vm_pgoff)
 *
 * do_mmap() of a file, reduced: the driver's ->mmap runs with mmap_lock
 * held for writing, after everything that can fail here, so a VMA it
 * accepted is always inserted.  Nothing is mapped: faults call the
 * driver (<linux/mm_struct.h>, "drivers' mappings").
 *
 * Return: the address; -EINVAL for a zero @len or bad @prot; -ENODEV if
 * the file cannot be mapped; -ENOMEM; or ->mmap's error.
 */
unsigned long vm_mmap_file(struct mm_struct *mm, struct file *file,
			   unsigned long addr, unsigned long len,
			   vm_flags_t prot, unsigned long pgoff)
{
	struct vm_area_struct *vma;
	unsigned long ret;

	if (!file || !len || vm_prot_check(&prot))
		return -EINVAL;
	if (!file->f_op->mmap)
		return -ENODEV;
	if (len > TASK_SIZE)
		return -ENOMEM;
	len = ALIGN(len, PAGE_SIZE);
	vma = kzalloc(sizeof(*vma), GFP_KERNEL);
	if (!vma)
		return -ENOMEM;

	mmap_write_lock(mm);
	ret = get_unmapped_area(mm, addr, len, PAGE_SIZE);
	if (IS_ERR_VALUE(ret))
		goto out_unlock;
	vma->vm_start = ret;
	vma->vm_end = ret + len;
	vma->vm_mm = mm;
	vma->vm_flags = prot;
	vma->vm_pgoff = pgoff;
	vma->vm_page_shift = PAGE_SHIFT;
	ret = vma_array_reserve(mm, 1);
	if (ret)
		goto out_unlock;
	ret = call_mmap(file, vma);
	if (ret)
		goto out_unlock;
	vma_insert(mm, vma_index(mm, vma->vm_start), vma);
	mmap_write_unlock(mm);
	return vma->vm_start;

out_unlock:
	mmap_write_unlock(mm);
	kfree(vma);
	return ret;
}
EXPORT_SYMBOL_GPL(vm_mmap_file);
