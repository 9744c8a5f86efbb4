// SPDX-License-Identifier: GPL-2.0
/*
 * Faults and CPU access to user memory.
 *
 * handle_mm_fault() gives a not-yet-present address its memory: a new
 * zeroed folio of the VMA's kind, mapped by a leaf of the matching level.
 *
 *   anonymous    an order-0 folio, by a PTE
 *   THP          an order-9 folio, by a PMD, when the 2 MiB block around
 *                the address lies inside the VMA and its PMD is empty;
 *                otherwise (block sticks out of the VMA, a PTE table is
 *                there already, or no 2 MiB folio can be had) an order-0
 *                folio by a PTE, as upstream falls back
 *   hugetlb      a folio of the VMA's page size, by a PMD or a PUD; there
 *                is no reserved pool, the folio comes from the buddy
 *                allocator at fault time and its absence is -ENOMEM
 *
 * There is no shared zero page: a read fault allocates like a write fault
 * (the folio is mapped read-only in a read-only VMA).  There is no fork,
 * hence no COW: a present entry is final, and a write fault on a present
 * read-only entry is -EFAULT.
 *
 * Concurrent faults on one address: the folio is allocated without a
 * lock, installed under page_table_lock only if the entry is still none,
 * and freed again by the loser.  The caller holds mmap_lock for reading,
 * so no table goes meanwhile, but a leaf may (MADV_DONTNEED, below).
 *
 * MADV_DONTNEED (do_madvise()) clears leaves under mmap_lock held for
 * reading, as upstream's does: each leaf is cleared under page_table_lock
 * and its folio reference dropped after; tables are never freed there
 * (only munmap, under the write lock, frees them), so lockless walkers
 * holding the read lock (pin_user_physr()) may still read them, and must
 * expect a leaf to vanish under them.
 *
 * copy_to_user()/copy_from_user() walk the page table as the process's
 * CPU would, faulting as needed, and move the bytes through the direct
 * map (RAM: holding a reference on the folio, taken as GUP-fast takes
 * one, so that a concurrent zap cannot free it under the copy, as a TLB
 * flush would wait for the CPU's access) or, for special mappings of MMIO, through ioremap() and
 * memcpy_toio()/memcpy_fromio(), as upstream's generic_access_phys().
 */
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mm_struct.h>
#include <linux/overflow.h>
#include <linux/pgtable.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/io.h>

#include "internal.h"

/*
 * Map a new zeroed folio of @order by the none entry @ptep at @level,
 * unless a concurrent fault filled it first.  Returns 0, or -ENOMEM when
 * there is no folio to be had.
 */
static int fault_fill(struct vm_area_struct *vma, pt_entry_t *ptep,
		      int level, unsigned int order)
{
	struct mm_struct *mm = vma->vm_mm;
	struct folio *folio;

	folio = folio_alloc(GFP_HIGHUSER | __GFP_ZERO |
			    (order ? __GFP_NOWARN : 0), order);
	if (!folio)
		return -ENOMEM;

	spin_lock(&mm->page_table_lock);
	if (pt_none(*ptep)) {
		if (level == PT_PTE)
			atomic_inc(&folio->_mapcount);
		else
			atomic_inc(&folio->_entire_mapcount);
		/* The folio's first reference now belongs to the mapping. */
		WRITE_ONCE(*ptep, pt_mk_leaf(folio_pfn(folio), level,
					     vma->vm_flags & VM_WRITE, false));
		folio = NULL;
	}
	spin_unlock(&mm->page_table_lock);
	if (folio)
		folio_put(folio);
	return 0;
}

/* A present leaf was found: usable for this access as it is? */
static int fault_present(pt_entry_t e, bool write)
{
	return write && !pt_write(e) ? -EFAULT : 0;
}

/* Does the 2 MiB block around @addr lie inside @vma? */
static bool thp_fits(const struct vm_area_struct *vma, unsigned long addr)
{
	unsigned long haddr = addr & PMD_MASK;

	return haddr >= vma->vm_start && vma->vm_end - haddr >= PMD_SIZE;
}

/**
 * handle_mm_fault() - make an address of a VMA present
 * @vma: the VMA containing @address; mmap_lock held for reading
 * @address: the address
 * @flags: FAULT_FLAG_WRITE for a write access
 *
 * Return: 0 (the address is mapped, for writing if asked); -EFAULT when
 * the VMA does not allow the access or is a VM_PFNMAP/VM_IO mapping;
 * -ENOMEM.  (Upstream returns vm_fault_t bits; an errno is what every
 * caller here wants.)
 */
int handle_mm_fault(struct vm_area_struct *vma, unsigned long address,
		    unsigned int flags)
{
	struct mm_struct *mm = vma->vm_mm;
	bool write = flags & FAULT_FLAG_WRITE;
	pt_entry_t *ptep, e;
	int level;

	if (WARN_ON_ONCE(address < vma->vm_start || address >= vma->vm_end))
		return -EFAULT;
	if (!(vma->vm_flags & (write ? VM_WRITE : VM_READ)))
		return -EFAULT;
	/* A driver's mapping: the driver inserts the page (pfnmap.c). */
	if (vma->vm_ops && vma->vm_ops->fault)
		return vma_do_fault(vma, address, flags);
	/* Mapped in full by vm_mmap_pfn(): nothing to fault in. */
	if (vma->vm_flags & (VM_PFNMAP | VM_IO))
		return -EFAULT;

	if (vma->vm_flags & VM_HUGETLB) {
		level = vma->vm_page_shift == PUD_SHIFT ? PT_PUD : PT_PMD;
		ptep = pt_alloc(mm, address, level);
		if (!ptep)
			return -ENOMEM;
		e = READ_ONCE(*ptep);
		if (pt_present(e))
			return fault_present(e, write);
		return fault_fill(vma, ptep, level,
				  vma->vm_page_shift - PAGE_SHIFT);
	}

	if ((vma->vm_flags & VM_HUGEPAGE) && thp_fits(vma, address)) {
		ptep = pt_alloc(mm, address, PT_PMD);
		if (!ptep)
			return -ENOMEM;
		e = READ_ONCE(*ptep);
		if (pt_present(e) && pt_leaf(e, PT_PMD))
			return fault_present(e, write);
		if (pt_none(e) &&
		    !fault_fill(vma, ptep, PT_PMD, HPAGE_PMD_ORDER))
			return 0;
		/* A PTE table is there, or no 2 MiB folio: fall back. */
	}

	ptep = pt_alloc(mm, address, PT_PTE);
	if (!ptep)
		return -ENOMEM;
	e = READ_ONCE(*ptep);
	if (pt_present(e))
		return fault_present(e, write);
	return fault_fill(vma, ptep, PT_PTE, 0);
}

/* Move @len bytes between @buf and physical memory at @pa, in one leaf. */
static int uaccess_phys(pt_entry_t e, phys_addr_t pa, void *buf, size_t len,
			bool write)
{
	if (pt_special(e) && !pfn_valid(PHYS_PFN(pa))) {
		void __iomem *io = ioremap(pa, len);

		if (!io)
			return -EFAULT;
		if (write)
			memcpy_toio(io, buf, len);
		else
			memcpy_fromio(buf, io, len);
		iounmap(io);
		return 0;
	}
	if (write)
		memcpy(phys_to_virt(pa), buf, len);
	else
		memcpy(buf, phys_to_virt(pa), len);
	return 0;
}

/* The body of copy_to_user() and copy_from_user(). */
static unsigned long uaccess(struct mm_struct *mm, unsigned long uaddr,
			     void *buf, unsigned long n, bool write)
{
	unsigned int fault_flags = write ? FAULT_FLAG_WRITE : 0;
	unsigned long end;

	if (!n || check_add_overflow(uaddr, n, &end) || end > TASK_SIZE)
		return n;

	mmap_read_lock(mm);
	while (n) {
		struct vm_area_struct *vma = vma_lookup(mm, uaddr);
		unsigned long size, off, chunk;
		struct folio *folio;
		pt_entry_t *ptep, e;
		int level, ret;

		if (!vma || !(vma->vm_flags & (write ? VM_WRITE : VM_READ)))
			break;
		ptep = pt_lookup(mm, uaddr, &level);
		e = READ_ONCE(*ptep);
		if (!pt_present(e) || (write && !pt_write(e))) {
			if (handle_mm_fault(vma, uaddr, fault_flags))
				break;
			continue;
		}
		folio = NULL;
		if (!pt_special(e)) {
			/* A zap may free it: hold it while the entry stands. */
			folio = pfn_folio(pt_pfn(e));
			if (!folio_try_get(folio))
				continue;
			if (READ_ONCE(*ptep) != e) {
				folio_put(folio);
				continue;
			}
		}
		size = pt_size(level);
		off = uaddr & (size - 1);
		chunk = min(n, size - off);
		ret = uaccess_phys(e, PFN_PHYS(pt_pfn(e)) + off, buf, chunk,
				   write);
		if (folio)
			folio_put(folio);
		if (ret)
			break;
		uaddr += chunk;
		buf = (u8 *)buf + chunk;
		n -= chunk;
	}
	mmap_read_unlock(mm);
	return n;
}

/**
 * copy_to_user() - store bytes into a process's memory
 * @mm: the process's address space
 * @to: user address
 * @from: the bytes
 * @n: how many
 *
 * Faults pages in as needed.
 *
 * Return: the number of bytes not copied (0: all were).
 */
unsigned long copy_to_user(struct mm_struct *mm, unsigned long to,
			   const void *from, unsigned long n)
{
	return uaccess(mm, to, (void *)from, n, true);
}

/**
 * copy_from_user() - load bytes from a process's memory
 * @mm: the process's address space
 * @to: where the bytes go
 * @from: user address
 * @n: how many
 *
 * Faults pages in as needed (reading never-touched memory gives zeroes).
 *
 * Return: the number of bytes not copied (0: all were).
 */
unsigned long copy_from_user(struct mm_struct *mm, void *to,
			     unsigned long from, unsigned long n)
{
	return uaccess(mm, from, to, n, false);
}

/* Zap the leaves of [@start, @end) in @vma; mmap_lock held for reading. */
static int madvise_dontneed(struct vm_area_struct *vma, unsigned long start,
			    unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long addr = start;

	while (addr < end) {
		unsigned long size, next;
		pt_entry_t *ptep, e;
		int level;

		spin_lock(&mm->page_table_lock);
		ptep = pt_lookup(mm, addr, &level);
		size = pt_size(level);
		next = min((addr | (size - 1)) + 1, end);
		e = READ_ONCE(*ptep);
		if (!pt_present(e)) {
			spin_unlock(&mm->page_table_lock);
			addr = next;
			continue;
		}
		/* This machine's madvise() does not split huge leaves. */
		if (level > PT_PTE && ((addr & (size - 1)) || next - addr < size)) {
			spin_unlock(&mm->page_table_lock);
			return -EINVAL;
		}
		WRITE_ONCE(*ptep, 0);
		spin_unlock(&mm->page_table_lock);
		pt_zap_leaf(e, level);
		addr = next;
	}
	return 0;
}

/**
 * do_madvise() - advise the kernel about a range of an address space
 * @mm: the address space
 * @start: first address, page aligned
 * @len_in: bytes; rounded up to whole pages
 * @behavior: MADV_DONTNEED: unmap the pages, so that the next access
 *	faults in zeroed memory (anonymous memory)
 *
 * Runs under mmap_lock held for reading, as upstream's: a concurrent
 * fault or pin_user_physr() meets the zap at the page-table entries.
 * Pinned folios outlive their mappings until unpinned.  Huge leaves
 * (THP, hugetlb) are zapped only whole.
 *
 * Return: 0; -EINVAL for an unaligned @start, a range that overflows or
 * passes TASK_SIZE, an unknown @behavior, a VM_PFNMAP/VM_IO mapping, or
 * part of a huge leaf; -ENOMEM if part of the range is not mapped (the
 * rest is still zapped, as upstream).
 */
int do_madvise(struct mm_struct *mm, unsigned long start, size_t len_in,
	       int behavior)
{
	unsigned long end, addr;
	int ret = 0;

	if (behavior != MADV_DONTNEED || !PAGE_ALIGNED(start))
		return -EINVAL;
	if (!len_in)
		return 0;
	if (check_add_overflow(start, ALIGN(len_in, PAGE_SIZE), &end) ||
	    end > TASK_SIZE)
		return -EINVAL;

	mmap_read_lock(mm);
	for (addr = start; addr < end;) {
		struct vm_area_struct *vma = find_vma(mm, addr);
		unsigned long vend;
		int err;

		if (!vma || vma->vm_start >= end) {
			ret = -ENOMEM;
			break;
		}
		if (vma->vm_start > addr) {
			ret = -ENOMEM;
			addr = vma->vm_start;
		}
		if (vma->vm_flags & (VM_PFNMAP | VM_IO)) {
			ret = -EINVAL;
			break;
		}
		vend = min(end, vma->vm_end);
		err = madvise_dontneed(vma, addr, vend);
		if (err) {
			ret = err;
			break;
		}
		addr = vend;
	}
	mmap_read_unlock(mm);
	return ret;
}
