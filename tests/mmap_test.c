// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of address spaces (mm/mmap.c, mm/pgtable.c, mm/memory.c): VMA
 * placement and kinds, faults of each kind, the THP fallback, CPU access
 * through copy_to_user()/copy_from_user(), VM_PFNMAP/VM_IO mappings,
 * munmap (splitting VMAs and THP leaves, freeing pages and tables), and
 * allocation failures.  The default machine is booted once for the suite;
 * every case gives back all it allocated (the runner checks).
 */
#include <kunit/fail_nth.h>
#include <kunit/test.h>
#include <linux/fault-inject.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/mm_struct.h>
#include <linux/pgtable.h>
#include <linux/sizes.h>
#include <linux/uaccess.h>

#include "arch/sim/boot.h"
#include "tests/mmap_util.h"

#define RW	(VM_READ | VM_WRITE)

static int mmap_suite_init(struct kunit_suite *suite __always_unused)
{
	return machine_boot(NULL);
}

static void mmap_suite_exit(struct kunit_suite *suite __always_unused)
{
	machine_shutdown();
}

/* Touch one byte per @step in [addr, addr + len), for writing. */
static void touch(struct kunit *test, struct mm_struct *mm,
		  unsigned long addr, unsigned long len, unsigned long step)
{
	unsigned long a;
	u8 b = 0x5a;

	for (a = addr; a < addr + len; a += step)
		KUNIT_ASSERT_EQ(test, copy_to_user(mm, a, &b, 1), 0UL);
}

static void mmap_alloc_free(struct kunit *test)
{
	struct mm_page_stats before, after;
	struct mm_struct *mm;

	mm_page_stats(&before);
	mm = mm_alloc();
	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_EXPECT_EQ(test, mm->nr_vmas, 0U);
	KUNIT_EXPECT_EQ(test, mm->nr_pgtables, 1UL);
	KUNIT_EXPECT_EQ(test, atomic_read(&mm->mm_users), 1);
	mmget(mm);
	mmput(mm);
	KUNIT_EXPECT_EQ(test, atomic_read(&mm->mm_users), 1);
	mmput(mm);
	mm_page_stats(&after);
	KUNIT_EXPECT_EQ(test, after.allocated_pages, before.allocated_pages);
}

static void mmap_placement(struct kunit *test)
{
	struct mm_struct *mm = mm_user_alloc(test);
	struct vm_area_struct *vma;
	unsigned long a, b, c, d, e;

	/* 4 KiB kind: length rounded to pages. */
	a = mm_user_map(test, mm, 0, 1, RW, VM_KIND_ANON);
	KUNIT_EXPECT_EQ(test, a, MMAP_MIN_ADDR);
	vma = vma_lookup(mm, a);
	KUNIT_ASSERT_NOT_NULL(test, vma);
	KUNIT_EXPECT_EQ(test, vma->vm_end - vma->vm_start, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, vma->vm_flags, RW);
	KUNIT_EXPECT_EQ(test, vma_kernel_pagesize(vma), PAGE_SIZE);

	/* THP without a hint: 2 MiB aligned. */
	b = mm_user_map(test, mm, 0, 3 * PAGE_SIZE, RW, VM_KIND_THP);
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(b, SZ_2M));
	KUNIT_EXPECT_TRUE(test, vma_lookup(mm, b)->vm_flags & VM_HUGEPAGE);

	/* Hugetlb: aligned, length rounded up to the page size. */
	c = mm_user_map(test, mm, 0, 1, RW, VM_KIND_HUGETLB_2M);
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(c, SZ_2M));
	vma = vma_lookup(mm, c);
	KUNIT_EXPECT_EQ(test, vma->vm_end - vma->vm_start, (unsigned long)SZ_2M);
	KUNIT_EXPECT_EQ(test, vma_kernel_pagesize(vma), (unsigned long)SZ_2M);
	KUNIT_EXPECT_TRUE(test, vma->vm_flags & VM_HUGETLB);
	d = mm_user_map(test, mm, 0, SZ_1G + 1, VM_READ, VM_KIND_HUGETLB_1G);
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(d, SZ_1G));
	vma = vma_lookup(mm, d);
	KUNIT_EXPECT_EQ(test, vma->vm_end - vma->vm_start, 2UL * SZ_1G);
	KUNIT_EXPECT_EQ(test, vma_kernel_pagesize(vma), (unsigned long)SZ_1G);

	/* A free hint is taken (rounded up); a used one is not. */
	e = mm_user_map(test, mm, 0x500000001000UL + 1, PAGE_SIZE, VM_WRITE,
			VM_KIND_ANON);
	KUNIT_EXPECT_EQ(test, e, 0x500000002000UL);
	KUNIT_EXPECT_EQ(test, vma_lookup(mm, e)->vm_flags, RW);
	/* ... first fit instead: right after @a. */
	KUNIT_EXPECT_EQ(test, mm_user_map(test, mm, e, PAGE_SIZE, RW,
					  VM_KIND_ANON), a + PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, mm_user_map(test, mm, 0x600000100000UL, SZ_2M,
					  RW, VM_KIND_HUGETLB_2M),
			0x600000200000UL);

	/* Sorted, and find_vma() finds the next one above a hole. */
	KUNIT_EXPECT_EQ(test, mm->nr_vmas, 7U);
	KUNIT_EXPECT_NULL(test, vma_lookup(mm, a + 2 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, find_vma(mm, e - 1)->vm_start, e);
	KUNIT_EXPECT_NULL(test, find_vma(mm, TASK_SIZE - 1));
}

static void mmap_errors(struct kunit *test)
{
	struct mm_struct *mm = mm_user_alloc(test);
	unsigned long r;

	KUNIT_EXPECT_EQ(test, (long)vm_mmap(mm, 0, 0, RW, VM_KIND_ANON),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, (long)vm_mmap(mm, 0, 1, 0x4, VM_KIND_ANON),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, (long)vm_mmap(mm, 0, 1, RW, VM_NR_KINDS),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, (long)vm_mmap(mm, 0, TASK_SIZE + 1, RW,
					    VM_KIND_ANON), -ENOMEM);
	/* The whole space minus the low guard does not hold TASK_SIZE. */
	KUNIT_EXPECT_EQ(test, (long)vm_mmap(mm, 0, TASK_SIZE, RW,
					    VM_KIND_ANON), -ENOMEM);
	KUNIT_EXPECT_EQ(test, (long)vm_mmap_pfn(mm, 0, PAGE_SIZE, RW, 0, 0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, (long)vm_mmap_pfn(mm, 0, PAGE_SIZE, RW, 0,
						VM_HUGETLB), -EINVAL);
	KUNIT_EXPECT_EQ(test, (long)vm_mmap_pfn(mm, 0, 2 * PAGE_SIZE, RW,
						PT_PFN_LIMIT - 1, VM_PFNMAP),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vm_munmap(mm, 1, PAGE_SIZE), -EINVAL);
	KUNIT_EXPECT_EQ(test, vm_munmap(mm, 0, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, vm_munmap(mm, TASK_SIZE, PAGE_SIZE), -EINVAL);
	KUNIT_EXPECT_EQ(test, vm_munmap(mm, PAGE_SIZE, ULONG_MAX), -EINVAL);
	/* Unmapping nothing is fine. */
	KUNIT_EXPECT_EQ(test, vm_munmap(mm, SZ_1G, SZ_1G), 0);

	r = vm_mmap(mm, 0, TASK_SIZE - MMAP_MIN_ADDR, RW, VM_KIND_ANON);
	KUNIT_EXPECT_EQ(test, r, MMAP_MIN_ADDR);
	KUNIT_EXPECT_EQ(test, (long)vm_mmap(mm, 0, PAGE_SIZE, RW,
					    VM_KIND_ANON), -ENOMEM);
}

/* Where each kind's first fault lands: level, folio order, counts. */
static void mmap_fault_kinds(struct kunit *test)
{
	static const struct {
		enum vm_kind kind;
		unsigned long len;
		int level;
		unsigned int order;
	} k[] = {
		{ VM_KIND_ANON, SZ_2M, PT_PTE, 0 },
		{ VM_KIND_THP, SZ_2M, PT_PMD, HPAGE_PMD_ORDER },
		{ VM_KIND_HUGETLB_2M, SZ_2M, PT_PMD, HPAGE_PMD_ORDER },
		{ VM_KIND_HUGETLB_1G, SZ_1G, PT_PUD, HPAGE_PUD_ORDER },
	};
	struct mm_struct *mm = mm_user_alloc(test);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(k); i++) {
		unsigned long a = mm_user_map(test, mm, 0, k[i].len, RW,
					      k[i].kind);
		unsigned long at = a + k[i].len / 2 + 123;
		struct folio *folio;
		int level;
		u8 v = 0xa5, r = 0;

		KUNIT_EXPECT_EQ(test, mm_user_leaf(mm, at, NULL), 0ULL);
		KUNIT_ASSERT_EQ(test, copy_to_user(mm, at, &v, 1), 0UL);
		KUNIT_EXPECT_NE(test, mm_user_leaf(mm, at, &level), 0ULL);
		KUNIT_EXPECT_EQ_MSG(test, level, k[i].level, "kind %u", i);
		folio = mm_user_folio(mm, at);
		KUNIT_ASSERT_NOT_NULL(test, folio);
		KUNIT_EXPECT_EQ(test, folio_order(folio), k[i].order);
		KUNIT_EXPECT_EQ(test, folio_ref_count(folio), 1);
		KUNIT_EXPECT_EQ(test, mm_user_mapping_refs(folio), 1);
		KUNIT_EXPECT_FALSE(test, folio_maybe_dma_pinned(folio));
		/* The byte is where the page table says; the rest is zero. */
		KUNIT_EXPECT_EQ(test, *(u8 *)phys_to_virt(mm_user_phys(mm, at)),
				v);
		KUNIT_ASSERT_EQ(test, copy_from_user(mm, &r, at - 1, 1), 0UL);
		KUNIT_EXPECT_EQ(test, r, 0);
	}
}

/* A THP VMA that is not 2 MiB aligned: 4 KiB at the edges. */
static void mmap_thp_fallback(struct kunit *test)
{
	const unsigned long hint = 0x100000200000UL + PAGE_SIZE;
	struct mm_struct *mm = mm_user_alloc(test);
	unsigned long a, addr;
	int level;

	a = mm_user_map(test, mm, hint, 3 * SZ_2M, RW, VM_KIND_THP);
	KUNIT_ASSERT_EQ(test, a, hint);
	touch(test, mm, a, 3 * SZ_2M, PAGE_SIZE);
	for (addr = a; addr < a + 3 * SZ_2M; addr += PAGE_SIZE) {
		bool huge = addr >= ALIGN(a, SZ_2M) &&
			    addr < ALIGN_DOWN(a + 3 * SZ_2M, SZ_2M);

		mm_user_leaf(mm, addr, &level);
		KUNIT_ASSERT_EQ_MSG(test, level, huge ? PT_PMD : PT_PTE,
				    "at %#lx", addr);
		KUNIT_ASSERT_EQ(test, folio_order(mm_user_folio(mm, addr)),
				huge ? HPAGE_PMD_ORDER : 0U);
	}
}

/*
 * No 2 MiB folio to be had: the fault falls back to 4 KiB, and the PTE
 * table it leaves keeps the rest of that block 4 KiB too.
 */
static void mmap_thp_alloc_fallback(struct kunit *test)
{
	struct mm_struct *mm = mm_user_alloc(test);
	unsigned long a = mm_user_map(test, mm, 0, SZ_4M, RW, VM_KIND_THP);
	int level;
	u8 v = 1;

	/* The fault allocates the PUD table, the PMD table, the THP. */
	fail_nth_set(3);
	KUNIT_ASSERT_EQ(test, copy_to_user(mm, a + PAGE_SIZE, &v, 1), 0UL);
	KUNIT_EXPECT_TRUE(test, fail_nth_triggered());
	mm_user_leaf(mm, a + PAGE_SIZE, &level);
	KUNIT_EXPECT_EQ(test, level, PT_PTE);
	KUNIT_EXPECT_EQ(test, folio_order(mm_user_folio(mm, a + PAGE_SIZE)), 0U);

	touch(test, mm, a, SZ_4M, PAGE_SIZE);
	mm_user_leaf(mm, a + SZ_1M, &level);
	KUNIT_EXPECT_EQ(test, level, PT_PTE);
	mm_user_leaf(mm, a + SZ_2M + SZ_1M, &level);
	KUNIT_EXPECT_EQ(test, level, PT_PMD);
}

/* Bytes written through copy_to_user() are where the page table says. */
static void mmap_copy_roundtrip(struct kunit *test)
{
	const unsigned long len = 3 * PAGE_SIZE + 3 * SZ_1M;
	struct mm_struct *mm = mm_user_alloc(test);
	unsigned long a, b, c, off, start, n;
	u8 *src, *dst;

	/* Three adjacent VMAs of different kinds. */
	a = mm_user_map(test, mm, 0x10000000UL - 3 * PAGE_SIZE, 3 * PAGE_SIZE,
			RW, VM_KIND_ANON);
	b = mm_user_map(test, mm, 0x10000000UL, SZ_2M, RW, VM_KIND_THP);
	c = mm_user_map(test, mm, 0x10200000UL, SZ_2M, RW, VM_KIND_HUGETLB_2M);
	KUNIT_ASSERT_EQ(test, a + 3 * PAGE_SIZE, b);
	KUNIT_ASSERT_EQ(test, b + SZ_2M, c);

	src = kunit_kmalloc(test, len, GFP_KERNEL);
	dst = kunit_kzalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, src);
	KUNIT_ASSERT_NOT_NULL(test, dst);
	for (off = 0; off < len; off++)
		src[off] = (u8)(off * 7 + (off >> 12));

	start = a + 5;
	n = len - 12;
	KUNIT_ASSERT_EQ(test, copy_to_user(mm, start, src, n), 0UL);
	KUNIT_ASSERT_EQ(test, copy_from_user(mm, dst, start, n), 0UL);
	KUNIT_EXPECT_MEMEQ(test, dst, src, n);
	for (off = 0; off < n; off += 997)
		KUNIT_ASSERT_EQ(test,
				*(u8 *)phys_to_virt(mm_user_phys(mm, start + off)),
				src[off]);

	/* A copy running past the last VMA stops there. */
	KUNIT_EXPECT_EQ(test, copy_to_user(mm, c + SZ_2M - 10, src, 30), 20UL);
	KUNIT_EXPECT_EQ(test, copy_from_user(mm, dst, c + SZ_2M - 10, 30),
			20UL);
	KUNIT_EXPECT_EQ(test, copy_to_user(mm, TASK_SIZE - 1, src, 2), 2UL);
	KUNIT_EXPECT_EQ(test, copy_to_user(mm, ULONG_MAX, src, 2), 2UL);
	KUNIT_EXPECT_EQ(test, copy_to_user(mm, a, src, 0), 0UL);
}

static void mmap_readonly(struct kunit *test)
{
	struct mm_struct *mm = mm_user_alloc(test);
	unsigned long ro = mm_user_map(test, mm, 0, 2 * PAGE_SIZE, VM_READ,
				       VM_KIND_ANON);
	unsigned long none = mm_user_map(test, mm, 0, PAGE_SIZE, VM_NONE,
					 VM_KIND_ANON);
	u8 buf[16] = { 1 };

	KUNIT_EXPECT_EQ(test, copy_to_user(mm, ro, buf, 16), 16UL);
	KUNIT_EXPECT_EQ(test, copy_from_user(mm, buf, ro + PAGE_SIZE - 8, 16),
			0UL);
	KUNIT_EXPECT_EQ(test, buf[0], 0);
	/* Read-faulted pages are mapped read-only. */
	KUNIT_EXPECT_FALSE(test, pt_write(mm_user_leaf(mm, ro, NULL)));
	KUNIT_EXPECT_EQ(test, copy_to_user(mm, ro, buf, 1), 1UL);
	KUNIT_EXPECT_EQ(test, copy_from_user(mm, buf, none, 1), 1UL);
	KUNIT_EXPECT_EQ(test, copy_to_user(mm, none, buf, 1), 1UL);
}

/* VM_PFNMAP and VM_IO: the caller's pages, mapped at once, not owned. */
static void mmap_pfnmap(struct kunit *test)
{
	struct mm_struct *mm = mm_user_alloc(test);
	struct page *pages = alloc_pages(GFP_KERNEL | __GFP_ZERO, 2);
	struct mm_page_stats before, after;
	unsigned long pfn, a, b;
	u8 v = 0x3c, r = 0;

	KUNIT_ASSERT_NOT_NULL(test, pages);
	pfn = page_to_pfn(pages);
	memset(page_address(pages + 2), 0x77, PAGE_SIZE);

	mm_page_stats(&before);
	a = vm_mmap_pfn(mm, 0, 4 * PAGE_SIZE, RW, pfn, VM_PFNMAP);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(a));
	KUNIT_EXPECT_EQ(test, vma_lookup(mm, a)->vm_flags, RW | VM_PFNMAP);
	KUNIT_EXPECT_TRUE(test, pt_special(mm_user_leaf(mm, a + 3 * PAGE_SIZE,
						       NULL)));
	KUNIT_EXPECT_EQ(test, mm_user_phys(mm, a + 3 * PAGE_SIZE + 9),
			PFN_PHYS(pfn + 3) + 9);
	KUNIT_EXPECT_EQ(test, copy_to_user(mm, a + PAGE_SIZE + 1, &v, 1), 0UL);
	KUNIT_EXPECT_EQ(test, ((u8 *)page_address(pages + 1))[1], v);
	KUNIT_EXPECT_EQ(test, copy_from_user(mm, &r, a + 2 * PAGE_SIZE, 1),
			0UL);
	KUNIT_EXPECT_EQ(test, r, 0x77);
	/* No reference on the pages; unmapping frees only tables. */
	KUNIT_EXPECT_EQ(test, page_ref_count(pages), 1);

	b = vm_mmap_pfn(mm, 0, PAGE_SIZE, VM_READ, pfn + 2, VM_IO);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(b));
	KUNIT_EXPECT_EQ(test, vma_lookup(mm, b)->vm_flags, VM_READ | VM_IO);
	KUNIT_EXPECT_EQ(test, copy_from_user(mm, &r, b + 5, 1), 0UL);
	KUNIT_EXPECT_EQ(test, r, 0x77);
	KUNIT_EXPECT_EQ(test, copy_to_user(mm, b, &v, 1), 1UL);

	/* Trimming the front keeps the rest mapped to the same frames. */
	KUNIT_EXPECT_EQ(test, vm_munmap(mm, a, 2 * PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, vma_lookup(mm, a + 2 * PAGE_SIZE)->vm_pgoff,
			pfn + 2);
	KUNIT_EXPECT_EQ(test, copy_from_user(mm, &r, a + 2 * PAGE_SIZE, 1),
			0UL);
	KUNIT_EXPECT_EQ(test, r, 0x77);
	KUNIT_EXPECT_EQ(test, vm_munmap(mm, a + 2 * PAGE_SIZE, 2 * PAGE_SIZE),
			0);
	KUNIT_EXPECT_EQ(test, vm_munmap(mm, b, PAGE_SIZE), 0);
	mm_page_stats(&after);
	KUNIT_EXPECT_EQ(test, after.allocated_pages, before.allocated_pages);
	KUNIT_EXPECT_EQ(test, mm->nr_pgtables, 1UL);
	KUNIT_EXPECT_EQ(test, page_ref_count(pages), 1);
	__free_pages(pages, 2);
}

/* munmap splits, trims and removes VMAs, and frees pages and tables. */
static void mmap_munmap_split(struct kunit *test)
{
	struct mm_struct *mm = mm_user_alloc(test);
	struct mm_page_stats before, mid, after;
	unsigned long a, b;
	u8 v = 0;

	mm_page_stats(&before);
	a = mm_user_map(test, mm, 0, 16 * PAGE_SIZE, RW, VM_KIND_ANON);
	b = mm_user_map(test, mm, a + 16 * PAGE_SIZE, 4 * PAGE_SIZE, RW,
			VM_KIND_ANON);
	touch(test, mm, a, 20 * PAGE_SIZE, PAGE_SIZE);
	mm_page_stats(&mid);

	/* A hole in the middle of one VMA: two VMAs. */
	KUNIT_ASSERT_EQ(test, vm_munmap(mm, a + 4 * PAGE_SIZE, 4 * PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, mm->nr_vmas, 3U);
	KUNIT_EXPECT_EQ(test, vma_lookup(mm, a)->vm_end, a + 4 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, vma_lookup(mm, a + 8 * PAGE_SIZE)->vm_start,
			a + 8 * PAGE_SIZE);
	KUNIT_EXPECT_NULL(test, vma_lookup(mm, a + 5 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, mm_user_leaf(mm, a + 5 * PAGE_SIZE, NULL), 0ULL);
	KUNIT_EXPECT_EQ(test, copy_from_user(mm, &v, a + 5 * PAGE_SIZE, 1), 1UL);
	mm_page_stats(&after);
	KUNIT_EXPECT_EQ(test, after.allocated_pages, mid.allocated_pages - 4);

	/* Across two VMAs: trims the end of one and the start of the next. */
	KUNIT_ASSERT_EQ(test, vm_munmap(mm, a + 14 * PAGE_SIZE, 4 * PAGE_SIZE),
			0);
	KUNIT_EXPECT_EQ(test, mm->nr_vmas, 3U);
	KUNIT_EXPECT_EQ(test, vma_lookup(mm, b + 2 * PAGE_SIZE)->vm_start,
			b + 2 * PAGE_SIZE);
	/* Covering several VMAs and holes: all gone, tables too. */
	KUNIT_ASSERT_EQ(test, vm_munmap(mm, 0, SZ_4M), 0);
	KUNIT_EXPECT_EQ(test, mm->nr_vmas, 0U);
	KUNIT_EXPECT_EQ(test, mm->nr_pgtables, 1UL);
	mm_page_stats(&after);
	KUNIT_EXPECT_EQ(test, after.allocated_pages, before.allocated_pages);
}

/* Cutting into a THP splits its PMD; the folio lives on for the rest. */
static void mmap_munmap_thp(struct kunit *test)
{
	struct mm_struct *mm = mm_user_alloc(test);
	struct mm_page_stats before, after;
	unsigned long a, i;
	struct folio *folio;
	int level;
	u8 v;

	mm_page_stats(&before);
	a = mm_user_map(test, mm, 0, SZ_4M, RW, VM_KIND_THP);
	for (i = 0; i < SZ_4M; i += PAGE_SIZE) {
		v = (u8)(i >> PAGE_SHIFT);
		KUNIT_ASSERT_EQ(test, copy_to_user(mm, a + i, &v, 1), 0UL);
	}
	folio = mm_user_folio(mm, a);
	KUNIT_ASSERT_EQ(test, folio_order(folio), HPAGE_PMD_ORDER);

	/* Both ends inside one THP. */
	KUNIT_ASSERT_EQ(test, vm_munmap(mm, a + PAGE_SIZE, 2 * PAGE_SIZE), 0);
	mm_user_leaf(mm, a, &level);
	KUNIT_EXPECT_EQ(test, level, PT_PTE);
	KUNIT_EXPECT_PTR_EQ(test, mm_user_folio(mm, a + 3 * PAGE_SIZE), folio);
	KUNIT_EXPECT_EQ(test, folio_ref_count(folio), 510);
	KUNIT_EXPECT_EQ(test, mm_user_mapping_refs(folio), 510);
	KUNIT_EXPECT_EQ(test, atomic_read(&folio_page(folio, 1)->_mapcount), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&folio->_entire_mapcount), 0);
	for (i = 0; i < SZ_4M; i += PAGE_SIZE) {
		if (i == PAGE_SIZE || i == 2 * PAGE_SIZE)
			continue;
		KUNIT_ASSERT_EQ(test, copy_from_user(mm, &v, a + i, 1), 0UL);
		KUNIT_ASSERT_EQ(test, v, (u8)(i >> PAGE_SHIFT));
	}
	/* Across the boundary of two THPs: both split. */
	KUNIT_ASSERT_EQ(test, vm_munmap(mm, a + SZ_2M - PAGE_SIZE,
					2 * PAGE_SIZE), 0);
	mm_user_leaf(mm, a + SZ_2M + SZ_1M, &level);
	KUNIT_EXPECT_EQ(test, level, PT_PTE);
	KUNIT_EXPECT_EQ(test, mm->nr_vmas, 3U);

	KUNIT_ASSERT_EQ(test, vm_munmap(mm, a, SZ_4M), 0);
	mm_page_stats(&after);
	KUNIT_EXPECT_EQ(test, after.allocated_pages, before.allocated_pages);
	KUNIT_EXPECT_EQ(test, mm->nr_pgtables, 1UL);
}

static void mmap_munmap_hugetlb(struct kunit *test)
{
	struct mm_struct *mm = mm_user_alloc(test);
	unsigned long a = mm_user_map(test, mm, 0, SZ_4M, RW,
				      VM_KIND_HUGETLB_2M);

	touch(test, mm, a, SZ_4M, SZ_2M);
	KUNIT_EXPECT_EQ(test, vm_munmap(mm, a + PAGE_SIZE, PAGE_SIZE), -EINVAL);
	KUNIT_EXPECT_EQ(test, vm_munmap(mm, a, SZ_2M + PAGE_SIZE), -EINVAL);
	KUNIT_EXPECT_EQ(test, mm->nr_vmas, 1U);
	KUNIT_EXPECT_NOT_NULL(test, mm_user_folio(mm, a + PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, vm_munmap(mm, a + SZ_2M, SZ_2M), 0);
	KUNIT_EXPECT_EQ(test, vma_lookup(mm, a)->vm_end, a + SZ_2M);
	/* Rounded up to a page, not to the huge page: still an error. */
	KUNIT_EXPECT_EQ(test, vm_munmap(mm, a, 1), -EINVAL);
}

/* ---- allocation failures ---------------------------------------------- */

struct mmap_fail_ctx {
	enum vm_kind kind;
	unsigned long pfn;
	unsigned long len;
	struct mm_struct *mm;
	unsigned long addr;
};

/* Make an address space, map, and write every page. */
static int mmap_fault_op(void *arg)
{
	struct mmap_fail_ctx *c = arg;
	unsigned long a, i;
	u8 v = 1;

	c->mm = mm_alloc();
	if (!c->mm)
		return -ENOMEM;
	a = vm_mmap(c->mm, 0, c->len, RW, c->kind);
	if (IS_ERR_VALUE(a))
		goto out_put;
	for (i = 0; i < c->len; i += PAGE_SIZE)
		if (copy_to_user(c->mm, a + i, &v, 1))
			goto out_put;
	c->addr = a;
	return 0;

out_put:
	mmput(c->mm);
	return IS_ERR_VALUE(a) ? (int)(long)a : -ENOMEM;
}

static void mmap_fail_nth_fault(struct kunit *test)
{
	struct mmap_fail_ctx c = { .kind = VM_KIND_ANON, .len = 64 * PAGE_SIZE };

	/* mm, PGD, VMA, array, PUD/PMD/PTE tables, then one page each. */
	KUNIT_EXPECT_EQ(test, kunit_fail_nth(test, mmap_fault_op, &c), 71);
	mmput(c.mm);

	c.kind = VM_KIND_HUGETLB_2M;
	c.len = SZ_4M;
	KUNIT_EXPECT_EQ(test, kunit_fail_nth(test, mmap_fault_op, &c), 8);
	mmput(c.mm);
}

static int mmap_pfn_op(void *arg)
{
	struct mmap_fail_ctx *c = arg;
	unsigned long a;

	/* Crosses a PMD boundary: two PTE tables. */
	a = vm_mmap_pfn(c->mm, 0x7f00001ff000UL, 2 * PAGE_SIZE, RW,
			c->pfn, VM_PFNMAP);
	if (IS_ERR_VALUE(a))
		return (int)(long)a;
	c->addr = a;
	return 0;
}

static bool mmap_unchanged(struct kunit *test, void *arg)
{
	struct mmap_fail_ctx *c = arg;

	KUNIT_EXPECT_EQ(test, c->mm->nr_vmas, 0U);
	KUNIT_EXPECT_EQ(test, c->mm->nr_pgtables, 1UL);
	return c->mm->nr_vmas == 0 && c->mm->nr_pgtables == 1;
}

static void mmap_fail_nth_pfnmap(struct kunit *test)
{
	struct mmap_fail_ctx c = { .mm = mm_user_alloc(test) };
	struct page *pages = alloc_pages(GFP_KERNEL, 1);

	KUNIT_ASSERT_NOT_NULL(test, pages);
	c.pfn = page_to_pfn(pages);
	/* VMA, PUD, PMD, two PTE tables, array. */
	KUNIT_EXPECT_EQ(test, kunit_fail_nth_check(test, mmap_pfn_op,
						   mmap_unchanged, &c), 6);
	KUNIT_EXPECT_EQ(test, c.addr, 0x7f00001ff000UL);
	KUNIT_EXPECT_EQ(test, c.mm->nr_pgtables, 5UL);
	mm_user_put(test, c.mm);
	__free_pages(pages, 1);
}

static int mmap_munmap_op(void *arg)
{
	struct mmap_fail_ctx *c = arg;

	/* Inside one VMA, cutting two THPs: tail VMA, two tables, array. */
	return vm_munmap(c->mm, c->addr + SZ_2M - PAGE_SIZE, 2 * PAGE_SIZE);
}

static bool mmap_munmap_unchanged(struct kunit *test, void *arg)
{
	struct mmap_fail_ctx *c = arg;
	int level;

	KUNIT_EXPECT_EQ(test, c->mm->nr_vmas, 1U);
	mm_user_leaf(c->mm, c->addr, &level);
	KUNIT_EXPECT_EQ(test, level, PT_PMD);
	mm_user_leaf(c->mm, c->addr + SZ_2M, &level);
	KUNIT_EXPECT_EQ(test, level, PT_PMD);
	return c->mm->nr_vmas == 1 && level == PT_PMD;
}

static void mmap_fail_nth_munmap(struct kunit *test)
{
	struct mmap_fail_ctx c = { .mm = mm_user_alloc(test) };

	c.addr = mm_user_map(test, c.mm, 0, SZ_4M, RW, VM_KIND_THP);
	touch(test, c.mm, c.addr, SZ_4M, SZ_2M);
	/* The array has room already: the tail VMA and two tables. */
	KUNIT_EXPECT_EQ(test, kunit_fail_nth_check(test, mmap_munmap_op,
						   mmap_munmap_unchanged, &c),
			3);
	KUNIT_EXPECT_EQ(test, c.mm->nr_vmas, 2U);
}

static struct kunit_case mmap_test_cases[] = {
	KUNIT_CASE(mmap_alloc_free),
	KUNIT_CASE(mmap_placement),
	KUNIT_CASE(mmap_errors),
	KUNIT_CASE(mmap_fault_kinds),
	KUNIT_CASE(mmap_thp_fallback),
	KUNIT_CASE(mmap_thp_alloc_fallback),
	KUNIT_CASE(mmap_copy_roundtrip),
	KUNIT_CASE(mmap_readonly),
	KUNIT_CASE(mmap_pfnmap),
	KUNIT_CASE(mmap_munmap_split),
	KUNIT_CASE(mmap_munmap_thp),
	KUNIT_CASE(mmap_munmap_hugetlb),
	KUNIT_CASE(mmap_fail_nth_fault),
	KUNIT_CASE(mmap_fail_nth_pfnmap),
	KUNIT_CASE(mmap_fail_nth_munmap),
	{}
};

static struct kunit_suite mmap_test_suite = {
	.name = "mmap",
	.suite_init = mmap_suite_init,
	.suite_exit = mmap_suite_exit,
	.test_cases = mmap_test_cases,
};
kunit_test_suite(mmap_test_suite);
