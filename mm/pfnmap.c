// SPDX-License-Identifier: GPL-2.0
/*
 * Drivers' mappings of device memory (<linux/mm_struct.h>, "drivers'
 * mappings"): the fault path that asks the driver for a PFN, the PFN
 * insertion it answers with, and the zap that takes access away again.
 * vm_mmap_file() itself lives in mmap.c with the other VMA makers.
 *
 * Entries inserted here are "special", as vm_mmap_pfn()'s: the mm takes
 * no reference on what they map, pt_zap_range() drops none, GUP refuses
 * the VMA (VM_PFNMAP | VM_IO).  A fault fills an empty entry under
 * page_table_lock, so two faults on one address insert once; a zap is
 * made with mmap_lock held for writing, so no fault or user copy is
 * between reading an entry and using it when it goes.
 */
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mm_struct.h>
#include <linux/pgtable.h>
#include <linux/sched/task.h>
#include <linux/syscalls.h>
#include <linux/spinlock.h>

#include "internal.h"

/**
 * vmf_insert_pfn() - map a page frame into a driver's VMA from its fault
 * @vma: the VMA (VM_PFNMAP), mmap_lock held
 * @addr: the page-aligned address inside it
 * @pfn: the page frame (device memory)
 *
 * A present entry is left alone (a concurrent fault inserted it).
 *
 * Return: VM_FAULT_NOPAGE; VM_FAULT_SIGBUS for an address outside @vma,
 * a VMA that is not VM_PFNMAP or a PFN an entry cannot hold;
 * VM_FAULT_OOM when a page table cannot be allocated.
 */
vm_fault_t vmf_insert_pfn(struct vm_area_struct *vma, unsigned long addr,
			  unsigned long pfn)
{
	struct mm_struct *mm = vma->vm_mm;
	pt_entry_t *ptep;

	if (WARN_ON_ONCE(!(vma->vm_flags & VM_PFNMAP) ||
			 addr < vma->vm_start || addr >= vma->vm_end ||
			 !PAGE_ALIGNED(addr)) || pfn >= PT_PFN_LIMIT)
		return VM_FAULT_SIGBUS;
	ptep = pt_alloc(mm, addr, PT_PTE);
	if (!ptep)
		return VM_FAULT_OOM;
	spin_lock(&mm->page_table_lock);
	if (pt_none(READ_ONCE(*ptep)))
		WRITE_ONCE(*ptep, pt_mk_leaf(pfn, PT_PTE,
					     vma->vm_flags & VM_WRITE, true));
	spin_unlock(&mm->page_table_lock);
	return VM_FAULT_NOPAGE;
}
EXPORT_SYMBOL_GPL(vmf_insert_pfn);

/**
 * zap_vma_ptes() - take a driver's VMA's pages away from the process
 * @vma: the VMA (VM_PFNMAP)
 * @address: first address, page aligned, inside @vma
 * @size: bytes, page aligned, inside @vma
 *
 * Called with @vma's mmap_lock held for writing: when it returns no CPU
 * access reaches the pages through @vma until a fault inserts them again.
 */
void zap_vma_ptes(struct vm_area_struct *vma, unsigned long address,
		  unsigned long size)
{
	if (WARN_ON_ONCE(!(vma->vm_flags & VM_PFNMAP) ||
			 address < vma->vm_start || !PAGE_ALIGNED(address) ||
			 !PAGE_ALIGNED(size) || size > vma->vm_end - address))
		return;
	pt_zap_range(vma->vm_mm, address, address + size);
}
EXPORT_SYMBOL_GPL(zap_vma_ptes);

/**
 * vma_do_fault() - ask a driver's VMA's @vm_ops->fault for a page
 * @vma: the VMA, mmap_lock held for reading, with a fault callback
 * @address: the faulting address
 * @flags: FAULT_FLAG_WRITE or 0
 *
 * mm-internal: handle_mm_fault()'s path for drivers' VMAs.
 *
 * Return: 0, -EFAULT if the driver refused, -ENOMEM.
 */
int vma_do_fault(struct vm_area_struct *vma, unsigned long address,
		 unsigned int flags)
{
	struct vm_fault vmf = {
		.vma = vma,
		.address = address & PAGE_MASK,
		.pgoff = vma->vm_pgoff +
			 ((address - vma->vm_start) >> PAGE_SHIFT),
		.flags = flags,
	};
	vm_fault_t ret = vma->vm_ops->fault(&vmf);

	if (ret & VM_FAULT_OOM)
		return -ENOMEM;
	if (ret & VM_FAULT_SIGBUS)
		return -EFAULT;
	return 0;
}

/**
 * vma_close() - tell a VMA's driver that the VMA goes
 * @vma: the VMA, mmap_lock held for writing (or its mm's last user gone)
 *
 * mm-internal: munmap and the last mmput() call it before freeing @vma.
 */
void vma_close(struct vm_area_struct *vma)
{
	if (vma->vm_ops && vma->vm_ops->close)
		vma->vm_ops->close(vma);
}

/**
 * ksys_mmap_pgoff() - mmap(2) of a driver's file by current
 * @addr: where to put it if free, or 0
 * @len: bytes
 * @prot: VM_READ, VM_WRITE
 * @fd: a descriptor of current
 * @pgoff: offset in the file, in pages
 *
 * Return: the address, or a negative errno cast (IS_ERR_VALUE()): -EBADF,
 * or vm_mmap_file()'s.
 */
unsigned long ksys_mmap_pgoff(unsigned long addr, unsigned long len,
			      unsigned long prot, unsigned int fd,
			      unsigned long pgoff)
{
	struct file *file = fget(fd);
	unsigned long ret;

	if (!file)
		return -EBADF;
	ret = vm_mmap_file(current->mm, file, addr, len, prot, pgoff);
	fput(file);
	return ret;
}
