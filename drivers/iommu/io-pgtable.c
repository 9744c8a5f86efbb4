// SPDX-License-Identifier: GPL-2.0
/*
 * The IO page table, in the machine IOMMU's format (<hw/sim_iommu.h>).
 *
 * Tables are order-0 pages from the page allocator, zeroed, reached by the
 * CPU through the direct map (phys_to_virt()) and by the IOMMU through
 * their physical address: the driver really builds in RAM what the
 * hardware walks.  Entries are written with single 64-bit stores
 * (WRITE_ONCE), leaf by leaf in loops, never by a call per page.
 *
 * Each table page counts its present entries in page->private, so a table
 * is known to be empty in O(1).  Unmap unlinks a table that became empty
 * (clearing its parent's pointer) and queues the page on the gather's
 * freelist; the caller frees it after the IOTLB invalidation.  The root is
 * never unlinked.  Empty tables do not otherwise stay around: a map that
 * fails after installing new tables takes them out again.
 *
 * Rules this file enforces:
 *  - Mapping over anything present (a leaf, or a table that still holds
 *    something) is -EEXIST and writes nothing.
 *  - A large leaf is never split: unmapping part of a 2 MiB or 1 GiB leaf
 *    is -EINVAL.  Unmapping a range with any hole in it is -ENOENT.
 *    Unmap checks the whole range before clearing anything, so a failed
 *    unmap changes nothing.
 *
 * Conventions: level 1 holds 4 KiB leaves, level 4 is the root.  Ranges
 * inside this file are [first, last], last inclusive; the IOVA space ends
 * at SIM_IOMMU_IOVA_LAST, so last + 1 cannot overflow here, but sums of
 * caller-supplied values are checked.  The caller serialises all calls on
 * one table (see <linux/io-pgtable.h>).
 */
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/io-pgtable.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/slab.h>

#define PTES		SIM_IOMMU_PTES_PER_TABLE
#define LVL_SIZE(l)	SIM_IOMMU_LEVEL_SIZE(l)
#define LVL_INDEX(a, l)	SIM_IOMMU_LEVEL_INDEX(a, l)

static u64 *pgt_table_va(u64 pte)
{
	return phys_to_virt(pte & SIM_IOMMU_PTE_ADDR_MASK);
}

static struct page *pgt_table_page(const u64 *table)
{
	return virt_to_page(table);
}

static bool pte_present(u64 pte)
{
	return pte & SIM_IOMMU_PTE_PRESENT;
}

static bool pte_leaf(u64 pte)
{
	return pte & SIM_IOMMU_PTE_LEAF;
}

static void pte_write(u64 *slot, u64 pte)
{
	WRITE_ONCE(*slot, pte);
}

/* The level whose leaves are @pgsize bytes, or 0. */
static unsigned int pgt_pgsize_level(u64 pgsize)
{
	unsigned int lvl;

	for (lvl = 1; lvl <= SIM_IOMMU_MAX_LEAF_LEVEL; lvl++)
		if (pgsize == LVL_SIZE(lvl))
			return lvl;
	return 0;
}

static u64 *pgt_alloc_table(struct io_pgtable *pgt, gfp_t gfp)
{
	struct page *page = alloc_page(gfp | __GFP_ZERO);

	if (!page)
		return NULL;
	page->private = 0;
	atomic64_inc(&pgt->table_pages);
	return page_address(page);
}

static void pgt_free_table_page(struct io_pgtable *pgt, struct page *page)
{
	page->private = 0;
	atomic64_dec(&pgt->table_pages);
	__free_page(page);
}

/* Free @table (at @lvl) and every table below it; leaves are dropped. */
static void pgt_free_tree(struct io_pgtable *pgt, u64 *table,
			  unsigned int lvl)
{
	unsigned int i;

	for (i = 0; i < PTES; i++) {
		u64 pte = table[i];

		if (!pte_present(pte))
			continue;
		if (pte_leaf(pte))
			atomic64_dec(&pgt->leaves[lvl]);
		else
			pgt_free_tree(pgt, pgt_table_va(pte), lvl - 1);
	}
	pgt_free_table_page(pgt, pgt_table_page(table));
}

/**
 * io_pgtable_alloc() - allocate an empty IO page table
 * @gfp: allocation flags for the root table
 *
 * Return: the table, or NULL without memory.
 */
struct io_pgtable *io_pgtable_alloc(gfp_t gfp)
{
	struct io_pgtable *pgt;
	u64 *root;

	pgt = kzalloc(sizeof(*pgt), gfp);
	if (!pgt)
		return NULL;
	root = pgt_alloc_table(pgt, gfp);
	if (!root)
		goto out_free_pgt;
	pgt->root_page = pgt_table_page(root);
	pgt->root = page_to_phys(pgt->root_page);
	pgt->pgsize_bitmap = SIM_IOMMU_PGSIZE_BITMAP;
	pgt->iova_last = SIM_IOMMU_IOVA_LAST;
	return pgt;

out_free_pgt:
	kfree(pgt);
	return NULL;
}

/**
 * io_pgtable_free() - free a page table and all of its tables
 * @pgt: the table; NULL is ignored
 *
 * Mappings still present are dropped with it.  The hardware must no
 * longer walk it (no context entry points to it, and its domain's IOTLB
 * entries were invalidated).
 */
void io_pgtable_free(struct io_pgtable *pgt)
{
	if (!pgt)
		return;
	pgt_free_tree(pgt, page_address(pgt->root_page), SIM_IOMMU_LEVELS);
	WARN_ON(atomic64_read(&pgt->table_pages));
	kfree(pgt);
}

/*
 * Find the table at level @lvl that covers @iova, installing missing
 * tables on the way.  If an allocation fails, the tables installed by this
 * call (a chain hanging from one new pointer) are taken out again.
 */
static int pgt_walk_alloc(struct io_pgtable *pgt, dma_addr_t iova,
			  unsigned int lvl, gfp_t gfp, u64 **tablep)
{
	u64 *table = page_address(pgt->root_page);
	u64 *first_slot = NULL, *first_parent = NULL;
	unsigned int l, first_lvl = 0;
	u64 writes = 0;
	int ret = 0;

	for (l = SIM_IOMMU_LEVELS; l > lvl; l--) {
		u64 *slot = &table[LVL_INDEX(iova, l)];
		u64 pte = READ_ONCE(*slot);
		u64 *next;

		if (pte_present(pte)) {
			if (pte_leaf(pte)) {
				ret = -EEXIST;
				goto out;
			}
			table = pgt_table_va(pte);
			continue;
		}
		next = pgt_alloc_table(pgt, gfp);
		if (!next) {
			ret = -ENOMEM;
			goto out_unlink;
		}
		/* The table is zeroed before the hardware can see it. */
		smp_wmb();
		pte_write(slot, virt_to_phys(next) | SIM_IOMMU_PTE_PRESENT);
		writes++;
		pgt_table_page(table)->private++;
		if (!first_slot) {
			first_slot = slot;
			first_parent = table;
			first_lvl = l - 1;
		}
		table = next;
	}
	*tablep = table;
	goto out;

out_unlink:
	if (first_slot) {
		u64 *chain = pgt_table_va(*first_slot);

		pte_write(first_slot, 0);
		writes++;
		pgt_table_page(first_parent)->private--;
		/*
		 * Nothing below was ever a translation, so no IOTLB entry
		 * can depend on it; only a device racing this map on the
		 * very IOVA being mapped could be walking it.
		 */
		pgt_free_tree(pgt, chain, first_lvl);
	}
out:
	atomic64_add(writes, &pgt->pte_writes);
	return ret;
}

/**
 * io_pgtable_map_pages() - map consecutive leaves of one size
 * @pgt: the table
 * @iova: first IOVA, aligned to @pgsize
 * @paddr: first physical address, aligned to @pgsize
 * @pgsize: leaf size: 4 KiB, 2 MiB or 1 GiB
 * @pgcount: number of leaves wanted, > 0
 * @prot: IOMMU_READ and/or IOMMU_WRITE
 * @gfp: flags for table pages
 * @mapped: set to the bytes mapped
 *
 * Maps min(@pgcount, leaves left in the table that holds @iova) leaves
 * and reports how many bytes that was; the caller loops for the rest.
 * All of them or none are written.
 *
 * Return: 0; -EINVAL for bad sizes, alignment or @prot; -ERANGE if the
 * IOVA is beyond the table's reach; -EEXIST if anything is mapped there
 * already (nothing written); -ENOMEM (nothing written, no table kept).
 */
int io_pgtable_map_pages(struct io_pgtable *pgt, dma_addr_t iova,
			 phys_addr_t paddr, u64 pgsize, u64 pgcount, int prot,
			 gfp_t gfp, u64 *mapped)
{
	unsigned int lvl = pgt_pgsize_level(pgsize), idx, i, n;
	u64 *table, pte, bytes, paddr_last;
	int ret;

	*mapped = 0;
	if (!lvl || !pgcount || ((iova | paddr) & (pgsize - 1)) ||
	    !(prot & (IOMMU_READ | IOMMU_WRITE)))
		return -EINVAL;
	if (iova > SIM_IOMMU_IOVA_LAST)
		return -ERANGE;
	idx = LVL_INDEX(iova, lvl);
	n = min_t(u64, pgcount, PTES - idx);
	bytes = (u64)n * pgsize;
	if (check_add_overflow(paddr, bytes - 1, &paddr_last) ||
	    paddr_last > SIM_IOMMU_PTE_ADDR_MASK)
		return -EINVAL;

	ret = pgt_walk_alloc(pgt, iova, lvl, gfp, &table);
	if (ret)
		return ret;
	for (i = 0; i < n; i++)
		if (READ_ONCE(table[idx + i]))
			return -EEXIST;

	pte = paddr | SIM_IOMMU_PTE_PRESENT | SIM_IOMMU_PTE_LEAF;
	if (prot & IOMMU_READ)
		pte |= SIM_IOMMU_PTE_READ;
	if (prot & IOMMU_WRITE)
		pte |= SIM_IOMMU_PTE_WRITE;
	for (i = 0; i < n; i++, pte += pgsize)
		pte_write(&table[idx + i], pte);

	pgt_table_page(table)->private += n;
	atomic64_add(n, &pgt->leaves[lvl]);
	atomic64_add(n, &pgt->pte_writes);
	*mapped = bytes;
	return 0;
}

/*
 * Check that [first, last], inside the span of @table at @lvl, is mapped
 * completely by leaves that lie entirely inside it.
 */
static int pgt_check_range(const u64 *table, unsigned int lvl, u64 first,
			   u64 last)
{
	u64 size = LVL_SIZE(lvl);
	unsigned int i = LVL_INDEX(first, lvl), end = LVL_INDEX(last, lvl);
	u64 base = first & ~(size - 1);
	int ret;

	for (; i <= end; i++, base += size) {
		u64 pte = READ_ONCE(table[i]);
		u64 lo = max(first, base), hi = min(last, base + (size - 1));

		if (!pte_present(pte))
			return -ENOENT;
		if (pte_leaf(pte)) {
			if (lo != base || hi != base + (size - 1))
				return -EINVAL;
			continue;
		}
		ret = pgt_check_range(pgt_table_va(pte), lvl - 1, lo, hi);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Clear [first, last] (checked by pgt_check_range()) in @table at @lvl.
 * Tables that become empty are unlinked and queued on @gather.  Returns
 * the entries cleared in @table.
 */
static unsigned int pgt_clear_range(struct io_pgtable *pgt, u64 *table,
				    unsigned int lvl, u64 first, u64 last,
				    struct iommu_iotlb_gather *gather,
				    u64 *writes)
{
	u64 size = LVL_SIZE(lvl);
	unsigned int i = LVL_INDEX(first, lvl), end = LVL_INDEX(last, lvl);
	unsigned int cleared = 0, leaves = 0;
	u64 base = first & ~(size - 1);

	if (lvl == 1) {
		for (; i <= end; i++)
			pte_write(&table[i], 0);
		cleared = leaves = end - LVL_INDEX(first, 1) + 1;
		goto out;
	}
	for (; i <= end; i++, base += size) {
		u64 pte = table[i];
		u64 *child;
		struct page *page;

		if (pte_leaf(pte)) {
			pte_write(&table[i], 0);
			cleared++;
			leaves++;
			continue;
		}
		child = pgt_table_va(pte);
		page = pgt_table_page(child);
		page->private -= pgt_clear_range(pgt, child, lvl - 1,
						 max(first, base),
						 min(last, base + (size - 1)),
						 gather, writes);
		if (!page->private) {
			pte_write(&table[i], 0);
			cleared++;
			(*writes)++;
			atomic64_dec(&pgt->table_pages);
			list_add_tail(&page->lru, &gather->freelist);
		}
	}
out:
	*writes += leaves;
	atomic64_sub(leaves, &pgt->leaves[lvl]);
	return cleared;
}

/**
 * io_pgtable_unmap() - unmap a range of IOVA
 * @pgt: the table
 * @iova: first IOVA, 4 KiB aligned
 * @size: bytes, > 0, a multiple of 4 KiB
 * @gather: collects the range to invalidate and the table pages to free
 *
 * The range must be covered completely by leaves lying entirely inside
 * it; this is checked before anything is cleared.
 *
 * Return: 0; -EINVAL for a misaligned or empty range, or one that would
 * cut a large leaf; -ERANGE beyond the table's reach; -ENOENT if part of
 * the range is not mapped.  On error nothing changed.
 */
int io_pgtable_unmap(struct io_pgtable *pgt, dma_addr_t iova, u64 size,
		     struct iommu_iotlb_gather *gather)
{
	u64 *root = page_address(pgt->root_page);
	u64 last, writes = 0;
	unsigned int cleared;
	int ret;

	if (!size || ((iova | size) & (SIM_IOMMU_PAGE_SIZE - 1)))
		return -EINVAL;
	if (check_add_overflow(iova, size - 1, &last) ||
	    last > SIM_IOMMU_IOVA_LAST)
		return -ERANGE;
	ret = pgt_check_range(root, SIM_IOMMU_LEVELS, iova, last);
	if (ret)
		return ret;
	cleared = pgt_clear_range(pgt, root, SIM_IOMMU_LEVELS, iova, last,
				  gather, &writes);
	pgt->root_page->private -= cleared;
	atomic64_add(writes, &pgt->pte_writes);
	iommu_iotlb_gather_add_range(gather, iova, last);
	return 0;
}

/**
 * io_pgtable_iova_to_phys() - look an IOVA up in the table
 * @pgt: the table
 * @iova: the IOVA
 *
 * Return: the physical address @iova maps to, or 0 if it is not mapped.
 */
phys_addr_t io_pgtable_iova_to_phys(struct io_pgtable *pgt, dma_addr_t iova)
{
	u64 *table = page_address(pgt->root_page);
	unsigned int lvl;

	if (iova > SIM_IOMMU_IOVA_LAST)
		return 0;
	for (lvl = SIM_IOMMU_LEVELS; lvl >= 1; lvl--) {
		u64 pte = READ_ONCE(table[LVL_INDEX(iova, lvl)]);

		if (!pte_present(pte))
			return 0;
		if (pte_leaf(pte))
			return (pte & SIM_IOMMU_PTE_ADDR_MASK) +
			       (iova & (LVL_SIZE(lvl) - 1));
		table = pgt_table_va(pte);
	}
	return 0;
}

/**
 * io_pgtable_put_pages_list() - free table pages a gather collected
 * @freelist: the gather's freelist; left empty
 *
 * Call only after the IOTLB invalidation for the gather has completed.
 */
void io_pgtable_put_pages_list(struct list_head *freelist)
{
	struct page *page, *tmp;

	list_for_each_entry_safe(page, tmp, freelist, lru) {
		list_del(&page->lru);
		page->private = 0;
		__free_page(page);
	}
}
