/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Process address spaces: struct mm_struct, its VMAs, faults.
 *
 * An mm_struct is a user address space [MMAP_MIN_ADDR, TASK_SIZE): a set
 * of non-overlapping VMAs (mm/mmap.c) and the page table that maps them
 * (<linux/pgtable.h>, mm/pgtable.c).  Memory is faulted in on first touch
 * (handle_mm_fault(), mm/memory.c) with a zeroed folio of the VMA's kind:
 *
 *   VM_KIND_ANON        4 KiB folios
 *   VM_KIND_THP         2 MiB folios mapped by a PMD wherever the 2 MiB
 *                       aligned block lies inside the VMA, 4 KiB elsewhere
 *                       (and where a 2 MiB folio cannot be had)
 *   VM_KIND_HUGETLB_2M  2 MiB folios, always; start and length 2 MiB aligned
 *   VM_KIND_HUGETLB_1G  1 GiB folios, always; start and length 1 GiB aligned
 *
 * vm_mmap_pfn() maps a caller's physical range instead (VM_PFNMAP and/or
 * VM_IO): its entries are "special", the mm takes no reference on what
 * they map, and GUP refuses to pin them.
 *
 * Locking: mmap_lock (an rwsem) held for reading lets you look up VMAs,
 * walk the page table and fault pages in; held for writing it lets you
 * add and remove VMAs and clear page-table entries.  page_table_lock
 * serialises the filling of empty entries by concurrent faults.
 *
 * Address ranges are [start, end), end exclusive, unless a name says
 * "last".
 */
#ifndef _LINUX_MM_STRUCT_H
#define _LINUX_MM_STRUCT_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <asm/page.h>

typedef unsigned long vm_flags_t;

struct vm_operations_struct;

/* VMA flags, with upstream's values. */
#define VM_NONE		0x00000000UL
#define VM_READ		0x00000001UL
#define VM_WRITE	0x00000002UL
#define VM_PFNMAP	0x00000400UL	/* maps PFNs, not struct pages */
#define VM_IO		0x00004000UL	/* memory-mapped I/O */
#define VM_HUGETLB	0x00400000UL	/* hugetlb: a folio per leaf */
#define VM_HUGEPAGE	0x20000000UL	/* transparent huge pages */

/* The user address space: 47 bits, as with 4-level paging on x86-64. */
#define TASK_SIZE		((1UL << 47) - PAGE_SIZE)
#define MMAP_MIN_ADDR		0x10000UL
/* Most VMAs one mm may have (upstream's vm.max_map_count default). */
#define DEFAULT_MAX_MAP_COUNT	65530

/* A page-table entry, of any level (see <linux/pgtable.h>). */
typedef u64 pt_entry_t;

/**
 * enum vm_kind - what backs an anonymous VMA made by vm_mmap()
 * @VM_KIND_ANON: 4 KiB folios
 * @VM_KIND_THP: 2 MiB folios where an aligned 2 MiB block fits, else 4 KiB
 * @VM_KIND_HUGETLB_2M: 2 MiB hugetlb folios
 * @VM_KIND_HUGETLB_1G: 1 GiB hugetlb folios
 * @VM_NR_KINDS: number of kinds
 */
enum vm_kind {
	VM_KIND_ANON,
	VM_KIND_THP,
	VM_KIND_HUGETLB_2M,
	VM_KIND_HUGETLB_1G,
	VM_NR_KINDS,
};

/**
 * struct vm_area_struct - one mapping of an address space
 * @vm_start: first address
 * @vm_end: address after the last one
 * @vm_mm: the address space
 * @vm_flags: VM_* flags
 * @vm_pgoff: vm_mmap_pfn(): the PFN mapped at @vm_start; a driver's
 *	mapping (@vm_ops): the file offset in pages; else 0
 * @vm_page_shift: log2 of the size every leaf of the VMA has: PAGE_SHIFT,
 *	or the hugetlb page size's (THP VMAs say PAGE_SHIFT: their 2 MiB
 *	leaves are opportunistic)
 * @vm_ops: a driver's mapping (vm_mmap_file()): its fault and close
 *	callbacks; NULL for anonymous and vm_mmap_pfn() VMAs
 * @vm_private_data: the driver's
 *
 * Read under mmap_lock; changed only under it held for writing.
 */
struct vm_area_struct {
	unsigned long vm_start;
	unsigned long vm_end;
	struct mm_struct *vm_mm;
	vm_flags_t vm_flags;
	unsigned long vm_pgoff;
	unsigned int vm_page_shift;
	const struct vm_operations_struct *vm_ops;
	void *vm_private_data;
};

/**
 * struct mm_struct - a process address space
 * @mmap_lock: see the top of this file
 * @page_table_lock: serialises filling empty page-table entries
 * @mm_users: references (mmget()/mmput())
 * @pgd: the top-level page table (a page, by direct-map address)
 * @vmas: the VMAs, sorted by address; @nr_vmas of @max_vmas slots used
 * @nr_vmas: number of VMAs
 * @max_vmas: slots in @vmas
 * @nr_pgtables: page-table pages, the PGD included
 *
 * Fields are read under mmap_lock; @nr_pgtables also changes under
 * page_table_lock.
 */
struct mm_struct {
	struct rw_semaphore mmap_lock;
	spinlock_t page_table_lock;
	atomic_t mm_users;
	pt_entry_t *pgd;
	struct vm_area_struct **vmas;
	unsigned int nr_vmas;
	unsigned int max_vmas;
	unsigned long nr_pgtables;
};

static inline void mmap_read_lock(struct mm_struct *mm)
{
	down_read(&mm->mmap_lock);
}

static inline void mmap_read_unlock(struct mm_struct *mm)
{
	up_read(&mm->mmap_lock);
}

static inline void mmap_write_lock(struct mm_struct *mm)
{
	down_write(&mm->mmap_lock);
}

static inline void mmap_write_unlock(struct mm_struct *mm)
{
	up_write(&mm->mmap_lock);
}

/**
 * vma_kernel_pagesize() - size of every leaf of a VMA
 * @vma: the VMA
 *
 * Return: PAGE_SIZE, or the hugetlb page size of a hugetlb VMA.
 */
static inline unsigned long
vma_kernel_pagesize(const struct vm_area_struct *vma)
{
	return 1UL << vma->vm_page_shift;
}

/* mm/mmap.c */
struct mm_struct *mm_alloc(void);
void mmget(struct mm_struct *mm);
void mmput(struct mm_struct *mm);
unsigned long vm_mmap(struct mm_struct *mm, unsigned long addr,
		      unsigned long len, vm_flags_t prot, enum vm_kind kind);
unsigned long vm_mmap_pfn(struct mm_struct *mm, unsigned long addr,
			  unsigned long len, vm_flags_t prot,
			  unsigned long pfn, vm_flags_t flags);
int vm_munmap(struct mm_struct *mm, unsigned long start, unsigned long len);
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
struct vm_area_struct *vma_lookup(struct mm_struct *mm, unsigned long addr);

/* mm/memory.c */
#define FAULT_FLAG_WRITE	0x01u

int handle_mm_fault(struct vm_area_struct *vma, unsigned long address,
		    unsigned int flags);

/*
 * ---- drivers' mappings (mm/pfnmap.c) -------------------------------------
 *
 * A driver maps device memory into a process as upstream's do: its
 * file's ->mmap (vm_mmap_file() calls it, as do_mmap() does) sets
 * VM_PFNMAP | VM_IO and @vm_ops; nothing is mapped then.  A touch of the
 * VMA calls @vm_ops->fault, which inserts the PFN (vmf_insert_pfn()) or
 * refuses (VM_FAULT_SIGBUS: the access fails with -EFAULT); the driver
 * takes access away with zap_vma_ptes() (mmap_lock held for writing),
 * after which the next touch faults again.  @vm_ops->close runs when the
 * VMA goes (munmap, the last mmput()).  Such a VMA cannot be split:
 * vm_munmap() takes it whole or refuses (-EINVAL).  Left out: the VMA
 * holds no reference on the file (the driver forgets its VMAs, under
 * their mmap_lock, before it frees what @vm_private_data points to),
 * page_mkwrite, huge_fault, mremap.
 */
typedef unsigned int vm_fault_t;

#define VM_FAULT_OOM		0x000001
#define VM_FAULT_SIGBUS		0x000002
#define VM_FAULT_NOPAGE		0x000100

/**
 * struct vm_fault - a fault a driver's @vm_ops->fault resolves
 * @vma: the VMA; mmap_lock held for reading
 * @address: the faulting address, page aligned
 * @pgoff: the page's offset in the file: @vma->vm_pgoff plus its index
 * @flags: FAULT_FLAG_WRITE for a write
 */
struct vm_fault {
	struct vm_area_struct *vma;
	unsigned long address;
	unsigned long pgoff;
	unsigned int flags;
};

/**
 * struct vm_operations_struct - a driver's callbacks for its VMAs
 * @close: the VMA goes (mmap_lock held for writing)
 * @fault: make @vmf->address present: VM_FAULT_NOPAGE after
 *	vmf_insert_pfn(), VM_FAULT_SIGBUS to refuse, VM_FAULT_OOM
 */
struct vm_operations_struct {
	void (*close)(struct vm_area_struct *vma);
	vm_fault_t (*fault)(struct vm_fault *vmf);
};

struct file;

unsigned long vm_mmap_file(struct mm_struct *mm, struct file *file,
			   unsigned long addr, unsigned long len,
			   vm_flags_t prot, unsigned long pgoff);
vm_fault_t vmf_insert_pfn(struct vm_area_struct *vma, unsigned long addr,
			  unsigned long pfn);
void zap_vma_ptes(struct vm_area_struct *vma, unsigned long address,
		  unsigned long size);

/**
 * mmget_not_zero() - take a reference on an address space that may be
 *	going away
 * @mm: the address space, whose struct the caller knows is not freed yet
 *
 * Return: true with a reference (mmput() it), false if its last user left.
 */
static inline bool mmget_not_zero(struct mm_struct *mm)
{
	return atomic_inc_not_zero(&mm->mm_users);
}

#endif /* _LINUX_MM_STRUCT_H */
