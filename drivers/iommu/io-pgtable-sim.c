// SPDX-License-Identifier: GPL-2.0
/*
 * The simulated IOMMU's page-table format (<hw/sim_iommu.h>), and the
 * page-table half of its driver's paging domain ops: map_pages,
 * map_range, unmap_pages, iova_to_phys (io-pgtable-sim.h).  The IOMMU
 * core reaches the table only through these; only this file and
 * sim-iommu.c read the datasheet.
 *
 * Tables are order-0 pages from the page allocator, reached by the CPU
 * through the direct map (phys_to_virt()) and by the IOMMU through their
 * physical address: the driver really builds in RAM what the hardware
 * walks.  A table is complete before it is linked: zeroed, or, when a
 * bulk write fills it (pgt_leaf_slots()), written and zeroed around what
 * was written.  Entries of linked tables are written with single 64-bit
 * stores (WRITE_ONCE), in loops, never by a call per page.
 *
 * Each table page counts its present entries in page->private and, among
 * them, its table pointers in page->index, so a table is known to be
 * empty, or full of leaves, in O(1).  Unmap unlinks a table that became
 * empty (clearing its parent's pointer) and queues the page on the
 * gather's freelist; the driver frees it after the IOTLB invalidation.  A
 * table whose whole span is unmapped is unlinked the same way, its
 * entries left as they are (upstream's io-pgtable-arm does the same): one
 * pointer store instead of 512 leaf stores, and the hardware walking it
 * until the invalidation still finds what its IOTLB may hold.  A table
 * page is made complete again before it is next linked (above), so a
 * freed one carries nothing over.  The root is never unlinked.  Empty
 * tables do not otherwise stay around: a descent allocates every table
 * it lacks before it links any, so a failed allocation leaves nothing
 * linked (and owes no invalidation), and a bulk write that wrote nothing
 * into a new table frees it unlinked.
 *
 * Two ways to map.  io_pgtable_sim_map_pages() is upstream's map_pages():
 * leaves of one size chosen by the core (iommu_pgsize()), a walk from the
 * root per call; the scatterlist-era path of the core uses it.
 * io_pgtable_sim_map_range() maps a whole range list in one call, which
 * is where the speed is:
 *  - a walk cache (struct pgt_walk): the table it last used at each
 *    level, so a run of consecutive IOVA is written table by table with
 *    stores in a loop, descending only when it crosses into another
 *    table, and from the lowest cached table that covers it, not the root;
 *  - leaf sizes chosen here (pgt_leaf_level(), the rule of the core's
 *    iommu_pgsize()) among the domain's pgsize_bitmap (a driver may
 *    narrow it; a size it lacks is never a leaf), a range shorter than
 *    2 MiB taking 4 KiB leaves without asking;
 *  - a list of scattered pages or folios is a run of ranges that are one
 *    leaf each: their leaves go straight from the list's entries
 *    (physr_iter_next_bulk()) into the free slots pgt_leaf_slots() hands
 *    out, a few instructions and one store per range; a table made by
 *    the same call is known to be free above what the call wrote and is
 *    not read;
 *  - counters are added once per call (pgt_walk_end()).
 * Unmap checks a table whose whole span lies in the range by its counts
 * (full of leaves: 512 present, no pointers) without reading its entries.
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
 * caller-supplied values are checked.  The core serialises all calls on
 * one table (the domain's lock), which is also why the counters need no
 * locked instructions.
 */
#include <linux/bug.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/iommu.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/physr.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "io-pgtable-sim.h"

#define PTES		SIM_IOMMU_PTES_PER_TABLE
#define LVL_SIZE(l)	SIM_IOMMU_LEVEL_SIZE(l)
#define LVL_SHIFT(l)	SIM_IOMMU_LEVEL_SHIFT(l)
#define LVL_INDEX(a, l)	SIM_IOMMU_LEVEL_INDEX(a, l)
#define MAX_LEAF_LVL	SIM_IOMMU_MAX_LEAF_LEVEL

/**
 * struct pgt_walk - the walk cache of one map_range call
 * @table: [lvl] the table holding level-@lvl entries that the call last
 *	went through, or NULL; [SIM_IOMMU_LEVELS] is the root
 * @page: [lvl] the struct page of @table[lvl]
 * @tag: [lvl] the IOVA bits above @table[lvl]'s span (IOVA >>
 *	LVL_SHIFT(@lvl + 1)): it covers an IOVA with equal bits
 * @fresh: [lvl] @table[lvl] was made by this call, so its entries at
 *	IOVA from @high up are known to be empty
 * @high: the end of the highest IOVA range this call has written
 * @pgsizes: the leaf sizes the call may use: the domain's pgsize_bitmap
 *	within the format's (4 KiB is always among them)
 * @new_page: a table page pgt_leaf_slots() handed out, not linked yet
 * @pte_writes: entries written by the call, not yet in the table's counter
 * @leaves: leaves written by the call, by level, not yet counted
 *
 * Mapping consecutive IOVA goes through the same tables again and again:
 * with the walk cache each run of leaves inside one table is written
 * without descending from the root; the descent starts at the lowest
 * cached table that covers the IOVA and refills the cache below it.  A
 * walk lives on the stack for one call, under the domain's lock (nothing
 * else may change the table meanwhile), and ends with pgt_walk_end(),
 * which adds its counts to the table's counters.  After an error it
 * must only be ended.
 */
struct pgt_walk {
	u64 *table[SIM_IOMMU_LEVELS + 1];
	struct page *page[SIM_IOMMU_LEVELS + 1];
	u64 tag[SIM_IOMMU_LEVELS + 1];
	bool fresh[SIM_IOMMU_LEVELS + 1];
	u64 high;
	u64 pgsizes;
	struct page *new_page;
	u64 pte_writes;
	u64 leaves[MAX_LEAF_LVL + 1];
};

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

/* The bits of a leaf for @prot, address aside. */
static u64 pgt_prot_bits(int prot)
{
	u64 bits = SIM_IOMMU_PTE_PRESENT | SIM_IOMMU_PTE_LEAF;

	if (prot & IOMMU_READ)
		bits |= SIM_IOMMU_PTE_READ;
	if (prot & IOMMU_WRITE)
		bits |= SIM_IOMMU_PTE_WRITE;
	return bits;
}

/*
 * Can leaves map [@paddr, @paddr + @size)?  The whole range must be
 * within the format's reach (bits 51:12): a leaf is its address ORed
 * with its bits, for every leaf size.
 */
static bool pgt_reaches(phys_addr_t paddr, u64 size)
{
	return paddr <= SIM_IOMMU_PTE_ADDR_MASK &&
	       size - 1 <= SIM_IOMMU_PTE_ADDR_MASK - paddr;
}

/*
 * Add @n to a counter.  Writers are serialised by the domain's lock, so
 * a plain load and store suffice; readers without the lock see whole
 * values.
 */
static void pgt_count(atomic64_t *counter, s64 n)
{
	atomic64_set(counter, atomic64_read(counter) + n);
}

/* The level whose leaves are @pgsize bytes, or 0. */
static unsigned int pgt_pgsize_level(u64 pgsize)
{
	unsigned int lvl;

	for (lvl = 1; lvl <= MAX_LEAF_LVL; lvl++)
		if (pgsize == LVL_SIZE(lvl))
			return lvl;
	return 0;
}

static u64 *pgt_alloc_table(struct io_pgtable_sim *pgt, gfp_t gfp)
{
	struct page *page = alloc_page(gfp | __GFP_ZERO);

	if (!page)
		return NULL;
	page->private = 0;
	page->index = 0;
	pgt_count(&pgt->table_pages, 1);
	return page_address(page);
}

static void pgt_release_table_page(struct page *page)
{
	page->private = 0;
	page->index = 0;
	__free_page(page);
}

/* Free @table (at @lvl) and every table below it; leaves are dropped. */
static void pgt_free_tree(struct io_pgtable_sim *pgt, u64 *table,
			  unsigned int lvl)
{
	struct page *page = pgt_table_page(table);
	unsigned int i;

	if (lvl <= MAX_LEAF_LVL)
		pgt_count(&pgt->leaves[lvl],
			  -(s64)(page->private - page->index));
	for (i = 0; page->index && i < PTES; i++) {
		u64 pte = table[i];

		if (pte_present(pte) && !pte_leaf(pte))
			pgt_free_tree(pgt, pgt_table_va(pte), lvl - 1);
	}
	pgt_count(&pgt->table_pages, -1);
	pgt_release_table_page(page);
}

/**
 * io_pgtable_sim_init() - give a table its empty root
 * @pgt: the table, zeroed (inside the driver's new domain)
 * @gfp: allocation flags for the root table
 *
 * Return: 0, or -ENOMEM.
 */
int io_pgtable_sim_init(struct io_pgtable_sim *pgt, gfp_t gfp)
{
	u64 *root = pgt_alloc_table(pgt, gfp);

	if (!root)
		return -ENOMEM;
	pgt->root_page = pgt_table_page(root);
	pgt->root = page_to_phys(pgt->root_page);
	return 0;
}

/**
 * io_pgtable_sim_destroy() - free all of a table's pages
 * @pgt: the table (io_pgtable_sim_init() succeeded)
 *
 * Mappings still present are dropped with it.  The hardware must no
 * longer walk it (no context entry points to it, and its domain's IOTLB
 * entries were invalidated).
 */
void io_pgtable_sim_destroy(struct io_pgtable_sim *pgt)
{
	pgt_free_tree(pgt, page_address(pgt->root_page), SIM_IOMMU_LEVELS);
	WARN_ON(atomic64_read(&pgt->table_pages));
	pgt->root_page = NULL;
	pgt->root = 0;
}

/**
 * io_pgtable_sim_get_stats() - the table's counters
 * @pgt: the table
 * @stats: its pte_writes, table_pages, leaves and mapped_bytes are set
 */
void io_pgtable_sim_get_stats(struct io_pgtable_sim *pgt,
			      struct iommu_domain_stats *stats)
{
	unsigned int lvl;

	stats->pte_writes = atomic64_read(&pgt->pte_writes);
	stats->table_pages = atomic64_read(&pgt->table_pages);
	stats->mapped_bytes = 0;
	for (lvl = 1; lvl <= MAX_LEAF_LVL; lvl++) {
		stats->leaves[lvl] = atomic64_read(&pgt->leaves[lvl]);
		stats->mapped_bytes += stats->leaves[lvl] * LVL_SIZE(lvl);
	}
}

/* Cache @table as the walk's table at @lvl, for @iova. */
static void pgt_walk_set(struct pgt_walk *walk, unsigned int lvl,
			 u64 *table, dma_addr_t iova, bool fresh)
{
	walk->table[lvl] = table;
	walk->page[lvl] = pgt_table_page(table);
	walk->tag[lvl] = iova >> LVL_SHIFT(lvl + 1);
	walk->fresh[lvl] = fresh;
}

/* Free tables from pgt_alloc_table() that were never linked. */
static void pgt_free_unlinked(struct io_pgtable_sim *pgt, u64 **tables,
			      unsigned int n)
{
	while (n--) {
		pgt_count(&pgt->table_pages, -1);
		pgt_release_table_page(pgt_table_page(tables[n]));
	}
}

/* Write the pointer to @child into @slot of @table, and count it. */
static void pgt_link_table(u64 *table, u64 *slot, u64 *child, u64 *writes)
{
	struct page *page = pgt_table_page(table);

	pte_write(slot, virt_to_phys(child) | SIM_IOMMU_PTE_PRESENT);
	(*writes)++;
	page->private++;
	page->index++;
}

/*
 * Descend from @table at level @from to the table at level @lvl that
 * covers @iova, installing missing tables on the way, and filling @walk
 * (if any) with the tables passed.  Table pointers written are added to
 * *@writes.
 *
 * The missing tables are all allocated before any is linked, linked to
 * one another while the hardware cannot reach them, and then hung from
 * the existing table with one store.  So a failed allocation leaves
 * nothing linked and its pages go straight back: the datasheet's rule
 * that a table unlinked may be walked until the invalidation after it
 * (<hw/sim_iommu.h>) never comes up, and no invalidation is owed.
 */
static int pgt_descend(struct io_pgtable_sim *pgt, u64 *table,
		       unsigned int from, dma_addr_t iova, unsigned int lvl,
		       gfp_t gfp, struct pgt_walk *walk, u64 **tablep,
		       u64 *writes)
{
	u64 *chain[SIM_IOMMU_LEVELS];	/* chain[i] holds level l - 1 - i */
	unsigned int l, i, n;
	u64 pte;

	for (l = from; l > lvl; l--) {
		pte = READ_ONCE(table[LVL_INDEX(iova, l)]);
		if (!pte_present(pte))
			break;
		if (pte_leaf(pte))
			return -EEXIST;
		table = pgt_table_va(pte);
		if (walk)
			pgt_walk_set(walk, l - 1, table, iova, false);
	}
	n = l - lvl;
	for (i = 0; i < n; i++) {
		chain[i] = pgt_alloc_table(pgt, gfp);
		if (!chain[i]) {
			pgt_free_unlinked(pgt, chain, i);
			return -ENOMEM;
		}
	}
	for (i = 1; i < n; i++)
		pgt_link_table(chain[i - 1],
			       &chain[i - 1][LVL_INDEX(iova, l - i)],
			       chain[i], writes);
	if (n) {
		/* The chain is complete before the hardware can see it. */
		smp_wmb();
		pgt_link_table(table, &table[LVL_INDEX(iova, l)], chain[0],
			       writes);
		table = chain[n - 1];
	}
	for (i = 0; walk && i < n; i++)
		pgt_walk_set(walk, l - 1 - i, chain[i], iova, true);
	*tablep = table;
	return 0;
}

/* Check @n entries from @idx are free, then write @n leaves. */
static int pgt_write_leaves(u64 *table, unsigned int idx, unsigned int n,
			    u64 pte, u64 pgsize)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (READ_ONCE(table[idx + i]))
			return -EEXIST;
	for (i = 0; i < n; i++, pte += pgsize)
		pte_write(&table[idx + i], pte);
	pgt_table_page(table)->private += n;
	return 0;
}

/* Leaves of the run at @idx that fit in one table, and their bytes. */
static int pgt_run(u64 iova, phys_addr_t paddr, unsigned int lvl, u64 count,
		   unsigned int *n, u64 *bytes)
{
	u64 paddr_last;

	*n = min_t(u64, count, PTES - LVL_INDEX(iova, lvl));
	*bytes = (u64)*n << LVL_SHIFT(lvl);
	if (check_add_overflow(paddr, *bytes - 1, &paddr_last) ||
	    paddr_last > SIM_IOMMU_PTE_ADDR_MASK)
		return -EINVAL;
	return 0;
}

/**
 * io_pgtable_sim_map_pages() - the map_pages domain op
 * @domain: a paging domain of the driver
 * @iova: first IOVA, aligned to @pgsize
 * @paddr: first physical address, aligned to @pgsize
 * @pgsize: leaf size: 4 KiB, 2 MiB or 1 GiB, and in the domain's
 *	pgsize_bitmap
 * @pgcount: number of leaves wanted, > 0
 * @prot: IOMMU_READ and/or IOMMU_WRITE
 * @gfp: flags for table pages
 * @mapped: set to the bytes mapped
 *
 * Maps min(@pgcount, leaves left in the table that holds @iova) leaves
 * and reports how many bytes that was; the core loops for the rest.
 * All of them or none are written.  Each call walks from the root, as
 * upstream's map_pages() does.  Domain lock held.
 *
 * Return: 0; -EINVAL for bad sizes, alignment or @prot, or a physical
 * address beyond the format; -ERANGE if the IOVA is beyond the table's
 * reach; -EEXIST if anything is mapped there already (nothing written);
 * -ENOMEM (nothing written, no table kept).
 */
int io_pgtable_sim_map_pages(struct iommu_domain *domain, dma_addr_t iova,
			     phys_addr_t paddr, u64 pgsize, u64 pgcount,
			     int prot, gfp_t gfp, u64 *mapped)
{
	struct io_pgtable_sim *pgt = to_io_pgtable_sim(domain);
	unsigned int lvl = pgt_pgsize_level(pgsize), n;
	u64 *table, bytes, writes = 0;
	int ret;

	*mapped = 0;
	if (!lvl || !(pgsize & domain->pgsize_bitmap) || !pgcount ||
	    ((iova | paddr) & (pgsize - 1)) ||
	    !(prot & (IOMMU_READ | IOMMU_WRITE)))
		return -EINVAL;
	if (iova > SIM_IOMMU_IOVA_LAST)
		return -ERANGE;
	ret = pgt_run(iova, paddr, lvl, pgcount, &n, &bytes);
	if (ret)
		return ret;

	ret = pgt_descend(pgt, page_address(pgt->root_page), SIM_IOMMU_LEVELS,
			  iova, lvl, gfp, NULL, &table, &writes);
	if (!ret)
		ret = pgt_write_leaves(table, LVL_INDEX(iova, lvl), n,
				       paddr | pgt_prot_bits(prot), pgsize);
	if (!ret) {
		pgt_count(&pgt->leaves[lvl], n);
		writes += n;
		*mapped = bytes;
	}
	if (writes)
		pgt_count(&pgt->pte_writes, writes);
	return ret;
}

/* ---- map_range: the walk cache and the bulk path ---------------------- */

/*
 * Start the walk cache of a call: only the root is known; the leaf sizes
 * are the domain's @pgsizes, which must include 4 KiB.
 */
static void pgt_walk_init(struct io_pgtable_sim *pgt, struct pgt_walk *walk,
			  u64 pgsizes)
{
	memset(walk, 0, sizeof(*walk));
	walk->table[SIM_IOMMU_LEVELS] = page_address(pgt->root_page);
	walk->page[SIM_IOMMU_LEVELS] = pgt->root_page;
	walk->tag[SIM_IOMMU_LEVELS] = 0;	/* every IOVA of the table */
	walk->pgsizes = pgsizes;
}

/* Add what a walk counted to the table's counters. */
static void pgt_walk_end(struct io_pgtable_sim *pgt, struct pgt_walk *walk)
{
	unsigned int lvl;

	if (walk->pte_writes)
		pgt_count(&pgt->pte_writes, walk->pte_writes);
	for (lvl = 1; lvl <= MAX_LEAF_LVL; lvl++)
		if (walk->leaves[lvl])
			pgt_count(&pgt->leaves[lvl], walk->leaves[lvl]);
}

/*
 * The table holding level-@lvl entries for @iova: from the cache, or by
 * descending from the lowest cached table that covers @iova (the root's
 * tag is 0, which every IOVA of the table matches).
 */
static int pgt_walk_find(struct io_pgtable_sim *pgt, struct pgt_walk *walk,
			 dma_addr_t iova, unsigned int lvl, gfp_t gfp,
			 u64 **tablep)
{
	unsigned int from;

	for (from = lvl; from < SIM_IOMMU_LEVELS; from++)
		if (walk->table[from] &&
		    walk->tag[from] == iova >> LVL_SHIFT(from + 1))
			break;
	if (from == lvl) {
		*tablep = walk->table[lvl];
		return 0;
	}
	return pgt_descend(pgt, walk->table[from], from, iova, lvl, gfp, walk,
			   tablep, &walk->pte_writes);
}

/*
 * pgt_map_walk() past its cache: descend to the table holding @iova from
 * the lowest cached table that covers it, then write the leaves that fit
 * in that table.
 */
static noinline int __pgt_map_walk(struct io_pgtable_sim *pgt,
				   struct pgt_walk *walk, dma_addr_t iova,
				   phys_addr_t paddr, unsigned int lvl,
				   u64 count, u64 pte_bits, gfp_t gfp,
				   u64 *mapped)
{
	unsigned int n;
	u64 *table, bytes;
	int ret;

	*mapped = 0;
	if (WARN_ON(!lvl || lvl > MAX_LEAF_LVL || !count ||
		    iova > SIM_IOMMU_IOVA_LAST ||
		    ((iova | paddr) & (LVL_SIZE(lvl) - 1))))
		return -EINVAL;
	ret = pgt_run(iova, paddr, lvl, count, &n, &bytes);
	if (ret)
		return ret;
	ret = pgt_walk_find(pgt, walk, iova, lvl, gfp, &table);
	if (ret)
		return ret;
	ret = pgt_write_leaves(table, LVL_INDEX(iova, lvl), n,
			       paddr | pte_bits, LVL_SIZE(lvl));
	if (ret)
		return ret;
	walk->leaves[lvl] += n;
	walk->pte_writes += n;
	walk->high = max(walk->high, iova + bytes);
	*mapped = bytes;
	return 0;
}

/*
 * Map consecutive leaves of one size through the walk cache: maps
 * min(@count, leaves left in the table that holds @iova), all or none,
 * and sets *@mapped to the bytes.  When the cached level-@lvl table holds
 * @iova this is a check and a loop of stores, inline; otherwise
 * __pgt_map_walk() descends from the lowest cached table.  @iova and
 * @paddr are aligned to the leaf size, @iova within the table's reach
 * (the core checked the call's whole range).  Return: 0; -EINVAL for a
 * physical address beyond the format; -EEXIST if anything is mapped
 * there already; -ENOMEM.  Nothing is written on error.
 */
static __always_inline int
pgt_map_walk(struct io_pgtable_sim *pgt, struct pgt_walk *walk,
	     dma_addr_t iova, phys_addr_t paddr, unsigned int lvl, u64 count,
	     u64 pte_bits, gfp_t gfp, u64 *mapped)
{
	u64 *table = walk->table[lvl];
	unsigned int idx, n, i;
	u64 pte, bytes;

	if (unlikely(!table ||
		     walk->tag[lvl] != iova >> LVL_SHIFT(lvl + 1) ||
		     paddr > SIM_IOMMU_PTE_ADDR_MASK))
		goto slow;
	idx = LVL_INDEX(iova, lvl);
	n = count < PTES - idx ? count : PTES - idx;
	bytes = (u64)n << LVL_SHIFT(lvl);
	if (unlikely(paddr + bytes - 1 > SIM_IOMMU_PTE_ADDR_MASK))
		goto slow;
	for (i = 0; i < n; i++)
		if (unlikely(READ_ONCE(table[idx + i])))
			goto slow;
	pte = paddr | pte_bits;
	for (i = 0; i < n; i++, pte += LVL_SIZE(lvl))
		WRITE_ONCE(table[idx + i], pte);
	walk->page[lvl]->private += n;
	walk->leaves[lvl] += n;
	walk->pte_writes += n;
	if (iova + bytes > walk->high)
		walk->high = iova + bytes;
	*mapped = bytes;
	return 0;
slow:
	return __pgt_map_walk(pgt, walk, iova, paddr, lvl, count, pte_bits,
			      gfp, mapped);
}

/* A new, unzeroed table page for pgt_leaf_slots(). */
static u64 *pgt_leaf_slots_new(struct pgt_walk *walk, struct page *page,
			       unsigned int idx, unsigned int *room)
{
	walk->new_page = page;
	*room = PTES - idx;
	return (u64 *)page_address(page) + idx;
}

/*
 * pgt_leaf_slots() for a table the walk has not cached, when the caller
 * holds a leaf: make the tables above it (zeroed, linked: they will not
 * be empty once the leaf is in), then hand out a new page.
 */
static u64 *pgt_leaf_slots_descend(struct io_pgtable_sim *pgt,
				   struct pgt_walk *walk, dma_addr_t iova,
				   unsigned int lvl, gfp_t gfp,
				   unsigned int *room)
{
	struct page *page;
	u64 *upper;
	int ret;

	/* First the page, so that nothing fails after the descent. */
	page = alloc_page(gfp);
	if (!page)
		return ERR_PTR(-ENOMEM);
	ret = pgt_walk_find(pgt, walk, iova, lvl + 1, gfp, &upper);
	if (ret || READ_ONCE(upper[LVL_INDEX(iova, lvl + 1)])) {
		__free_page(page);
		/* -EEXIST and a table in the way: the ordinary path says. */
		return ret == -ENOMEM ? ERR_PTR(-ENOMEM) : NULL;
	}
	return pgt_leaf_slots_new(walk, page, LVL_INDEX(iova, lvl), room);
}

/*
 * Free slots for leaves, for writing in bulk: from @iova's slot (IOVA
 * aligned to the leaf size of level @lvl) on, in its table, *@room of
 * them.  The caller stores (address | pte bits) into each slot with
 * single 64-bit stores, then calls pgt_leaf_slots_done() with how many
 * it wrote (which may be fewer than @room, even none unless @have_leaf:
 * the caller will write at least one, so tables above may be made for
 * it).
 *
 * The slots are in the walk's cached table for @iova, or, when that table
 * does not exist yet and @have_leaf, in a new table page that
 * pgt_leaf_slots_done() zeroes around what was written and links: a
 * table filled whole is never zeroed, and no empty table is ever linked.
 * For it the walk descends to the table above, making what is missing.
 * Otherwise (no table and no leaf in hand, a taken slot, a table in the
 * way) @room is 0 and the caller maps one leaf the ordinary way, which
 * walks and reports what is in the way.  A table this call made is known
 * to be empty above what it wrote; any other is checked.
 *
 * Return: the slot for @iova (meaningful when @room is not 0), or
 * ERR_PTR(-ENOMEM).
 */
static u64 *pgt_leaf_slots(struct io_pgtable_sim *pgt, struct pgt_walk *walk,
			   dma_addr_t iova, unsigned int lvl, gfp_t gfp,
			   bool have_leaf, unsigned int *room)
{
	unsigned int idx = LVL_INDEX(iova, lvl), i;
	u64 *table = walk->table[lvl], *upper, busy = 0;
	struct page *page;

	*room = 0;
	if (WARN_ON(lvl > MAX_LEAF_LVL || walk->new_page))
		return NULL;
	if (!table || walk->tag[lvl] != iova >> LVL_SHIFT(lvl + 1)) {
		upper = walk->table[lvl + 1];
		if (!upper || walk->tag[lvl + 1] != iova >> LVL_SHIFT(lvl + 2))
			return have_leaf ? pgt_leaf_slots_descend(pgt, walk,
						iova, lvl, gfp, room) : NULL;
		/*
		 * No new table for leaves that may not come: the next range
		 * may be no leaf of this size, and a failed allocation
		 * would fail a map that needed no table here.
		 */
		if (!have_leaf || READ_ONCE(upper[LVL_INDEX(iova, lvl + 1)]))
			return NULL;
		/* Filled before it is linked: no need to zero it first. */
		page = alloc_page(gfp);
		if (!page)
			return ERR_PTR(-ENOMEM);
		return pgt_leaf_slots_new(walk, page, idx, room);
	}
	if (walk->fresh[lvl] && iova >= walk->high) {
		*room = PTES - idx;
		return &table[idx];
	}
	/* Plain loads (only we write the table): the compiler vectorises. */
	for (i = idx; i < PTES; i++)
		busy |= table[i];
	if (busy)
		for (i = idx; i < PTES && !table[i]; i++)
			;
	*room = i - idx;
	return &table[idx];
}

/*
 * Account for @n leaves written in bulk at the slots pgt_leaf_slots()
 * gave for @iova at @lvl.  A new table page is zeroed where nothing was
 * written and linked into the table above, or freed if @n is 0.
 */
static void pgt_leaf_slots_done(struct io_pgtable_sim *pgt,
				struct pgt_walk *walk, dma_addr_t iova,
				unsigned int lvl, unsigned int n)
{
	unsigned int idx = LVL_INDEX(iova, lvl);
	struct page *page = walk->new_page, *upage;
	u64 *table, *upper;

	if (page) {
		walk->new_page = NULL;
		if (!n) {
			__free_page(page);
			return;
		}
		table = page_address(page);
		memset(table, 0, idx * sizeof(*table));
		memset(table + idx + n, 0, (PTES - idx - n) * sizeof(*table));
		page->private = n;
		page->index = 0;
		pgt_count(&pgt->table_pages, 1);
		/* The entries are in place before the hardware can see them. */
		smp_wmb();
		upper = walk->table[lvl + 1];
		pte_write(&upper[LVL_INDEX(iova, lvl + 1)],
			  virt_to_phys(table) | SIM_IOMMU_PTE_PRESENT);
		upage = walk->page[lvl + 1];
		upage->private++;
		upage->index++;
		walk->pte_writes++;
		pgt_walk_set(walk, lvl, table, iova, true);
	} else {
		walk->page[lvl]->private += n;
	}
	walk->leaves[lvl] += n;
	walk->pte_writes += n;
	walk->high = max(walk->high, iova + ((u64)n << LVL_SHIFT(lvl)));
}

/*
 * The leaf level for mapping @size bytes at @iova -> @paddr, and in
 * @count how many such leaves to map before a larger one becomes
 * possible: the largest leaf of @pgsizes that both addresses are aligned
 * to and @size holds; if the two addresses are congruent modulo the next
 * larger leaf of @pgsizes and one fits after its boundary, stop there so
 * the next piece can use it.  The rule of the core's iommu_pgsize(), on
 * this format's sizes that the domain offers (@pgsizes holds 4 KiB).
 */
static unsigned int pgt_leaf_level(dma_addr_t iova, phys_addr_t paddr,
				   u64 size, u64 pgsizes, u64 *count)
{
	unsigned int lvl = MAX_LEAF_LVL, up;
	u64 merge = iova | paddr, next, to_boundary;

	while (lvl > 1 && (!(pgsizes & LVL_SIZE(lvl)) ||
			   (merge & (LVL_SIZE(lvl) - 1)) ||
			   size < LVL_SIZE(lvl)))
		lvl--;
	for (up = lvl + 1; up <= MAX_LEAF_LVL; up++)
		if (pgsizes & LVL_SIZE(up))
			break;
	if (up <= MAX_LEAF_LVL) {
		next = LVL_SIZE(up);
		if (!((iova ^ paddr) & (next - 1))) {
			to_boundary = next - (iova & (next - 1));
			if (to_boundary <= size && size - to_boundary >= next)
				size = to_boundary;
		}
	}
	*count = size >> LVL_SHIFT(lvl);
	return lvl;
}

/*
 * Map one range, [@iova, @iova + @size) -> @paddr, page aligned, through
 * the walk cache, leaf sizes by pgt_leaf_level().  A range shorter than
 * 2 MiB can only take 4 KiB leaves, so the choice is skipped for it.
 * @mapped counts the bytes mapped, even on error.
 */
static __always_inline int pgt_map_one(struct io_pgtable_sim *pgt,
				       struct pgt_walk *walk, dma_addr_t iova,
				       phys_addr_t paddr, u64 size,
				       u64 pte_bits, gfp_t gfp, u64 *mapped)
{
	unsigned int lvl;
	u64 count, done;
	int ret;

	if (likely(size < LVL_SIZE(2))) {
		ret = pgt_map_walk(pgt, walk, iova, paddr, 1,
				   size >> LVL_SHIFT(1), pte_bits, gfp, &done);
		*mapped += done;
		if (likely(ret || done == size))
			return ret;
		iova += done;
		paddr += done;
		size -= done;
	}
	while (size) {
		lvl = pgt_leaf_level(iova, paddr, size, walk->pgsizes,
				     &count);
		ret = pgt_map_walk(pgt, walk, iova, paddr, lvl, count,
				   pte_bits, gfp, &done);
		*mapped += done;
		if (ret)
			return ret;
		iova += done;
		paddr += done;
		size -= done;
	}
	return 0;
}

/*
 * Does one leaf of a size in @pgsizes map @len bytes at @iova -> @paddr?
 * Asked once per run of such leaves, not per leaf.
 */
static __always_inline bool pgt_single_leaf(dma_addr_t iova,
					    phys_addr_t paddr, u64 len,
					    u64 pgsizes)
{
	return !(len & (len - 1)) && (len & pgsizes) &&
	       !((iova | paddr) & (len - 1)) && pgt_reaches(paddr, len);
}

/*
 * Write one leaf of @size at IOVA *@pos -> @paddr, and the leaves of the
 * ranges ahead in @it that are one leaf of @size each, straight from the
 * list into free page-table slots (pgt_leaf_slots()), table after table:
 * a table they fill is written once and never zeroed.  Stops, having
 * written what it could, where a range is not such a leaf or where the
 * slots run out (a taken slot, a table in the way): the caller maps the
 * next range the ordinary way, which walks, makes tables and reports
 * what is in the way.  If no slot can be had for the first leaf, it is
 * mapped the ordinary way.  Return: 0, or as pgt_map_one().
 */
static int pgt_map_leaves(struct io_pgtable_sim *pgt, struct pgt_walk *walk,
			  struct physr_iter *it, dma_addr_t *pos,
			  phys_addr_t paddr, u64 size, u64 pte_bits,
			  gfp_t gfp, u64 *mapped)
{
	unsigned int lvl = pgt_pgsize_level(size), room, n;
	bool have_leaf = true;
	u64 *slots;
	int ret;

	for (;;) {
		slots = pgt_leaf_slots(pgt, walk, *pos, lvl, gfp, have_leaf,
				       &room);
		if (IS_ERR(slots))
			return PTR_ERR(slots);
		if (!room && !have_leaf)
			return 0;
		if (!room) {
			ret = pgt_map_one(pgt, walk, *pos, paddr, size,
					  pte_bits, gfp, mapped);
			if (ret)
				return ret;
			*pos += size;
			have_leaf = false;
			continue;
		}
		/*
		 * The bulk leaves are written unchecked: every address a
		 * range list can encode (a PFN of __PHYSR_PFN_BITS) must fit
		 * the format's address field, bits 51:12.
		 */
		BUILD_BUG_ON(GENMASK_ULL(__PHYSR_PFN_BITS + PAGE_SHIFT - 1,
					 PAGE_SHIFT) & ~SIM_IOMMU_PTE_ADDR_MASK);
		n = 0;
		if (have_leaf)
			WRITE_ONCE(slots[n++], paddr | pte_bits);
		have_leaf = false;
		n += physr_iter_next_bulk(it, size, slots + n, room - n,
					  pte_bits);
		pgt_leaf_slots_done(pgt, walk, *pos, lvl, n);
		*pos += n * size;
		*mapped += n * size;
		if (n < room)
			return 0;
	}
}

/*
 * Map the ranges of @it back to back from @iova, the first being
 * (@addr, @len), already page aligned at its start.  Every boundary
 * between two ranges must be page aligned on both sides; the last range
 * may end inside a page (that page is mapped whole).  A bad boundary is
 * found before the range ahead of it is mapped.  @mapped counts the
 * bytes mapped from @iova, even on error.
 *
 * A list of scattered pages or folios is a run of ranges that are one
 * leaf each: such a range and the ranges behind it that are leaves of
 * the same size go from the list's entries into the page table in bulk
 * (pgt_map_leaves()), a few instructions and one store each.
 */
static int pgt_map_ranges(struct io_pgtable_sim *pgt, struct pgt_walk *walk,
			  struct physr_iter *it, dma_addr_t iova,
			  phys_addr_t addr, u64 len, u64 pte_bits, gfp_t gfp,
			  u64 *mapped)
{
	/*
	 * A private copy of the iterator: the compiler keeps its fields in
	 * registers instead of reloading them after every store that might
	 * go through a pointer.
	 */
	struct physr_iter lit = *it;
	struct physr next;
	dma_addr_t pos = iova;
	bool more;
	int ret;

	for (;;) {
		/* (addr, len) is the next range to map, at IOVA @pos. */
		if (pgt_single_leaf(pos, addr, len, walk->pgsizes)) {
			/*
			 * One leaf: it and those behind it in bulk.  Its end
			 * is page aligned, and so is every range the bulk
			 * takes; the range after them has its start checked
			 * here.
			 */
			ret = pgt_map_leaves(pgt, walk, &lit, &pos, addr, len,
					     pte_bits, gfp, mapped);
			if (unlikely(ret))
				return ret;
			if (!physr_iter_next(&lit, &next))
				return 0;
			if (unlikely(next.addr & (PAGE_SIZE - 1)))
				return -EINVAL;
			addr = next.addr;
			len = next.len;
			continue;
		}
		more = physr_iter_next(&lit, &next);
		if (likely(more)) {
			if (unlikely((len | next.addr) & (PAGE_SIZE - 1)))
				return -EINVAL;
		} else {
			len = ALIGN(len, PAGE_SIZE);
		}
		ret = pgt_map_one(pgt, walk, pos, addr, len, pte_bits, gfp,
				  mapped);
		if (unlikely(ret))
			return ret;
		pos += len;
		if (!more)
			return 0;
		addr = next.addr;
		len = next.len;
	}
}

/**
 * io_pgtable_sim_map_range() - the map_range domain op
 * @domain: a paging domain of the driver
 * @iova: where the first range's page goes, page aligned; the core
 *	checked that the whole IOVA range of the list is in the aperture
 * @it: the ranges, from the first (struct iommu_domain_ops says how they
 *	may be aligned); consumed
 * @prot: IOMMU_READ and/or IOMMU_WRITE
 * @gfp: flags for table pages
 * @mapped: set to the IOVA bytes mapped from @iova, even on error
 * @gather: receives the IOVA range written
 *
 * One walk for the whole list: leaf sizes chosen here among the
 * domain's pgsize_bitmap (a size it lacks is never a leaf), leaves
 * written in loops through the walk cache, runs of one-leaf ranges in
 * bulk from the list (see the top of this file).  Counters are added
 * once, at the end.  Domain lock held.
 *
 * Return: 0; -EINVAL for an empty list, a misaligned inner boundary, a
 * physical address beyond the format or a domain without 4 KiB leaves;
 * -EEXIST if something is mapped in the way; -ENOMEM.  What was mapped stays mapped on error: the core
 * unmaps it.
 */
int io_pgtable_sim_map_range(struct iommu_domain *domain, dma_addr_t iova,
			     struct physr_iter *it, int prot, gfp_t gfp,
			     u64 *mapped, struct iommu_iotlb_gather *gather)
{
	struct io_pgtable_sim *pgt = to_io_pgtable_sim(domain);
	u64 pgsizes = domain->pgsize_bitmap & SIM_IOMMU_PGSIZE_BITMAP;
	struct pgt_walk walk;
	struct physr first;
	u64 off;
	int ret;

	*mapped = 0;
	/* Ranges meet at page boundaries: without 4 KiB leaves, no map. */
	if (!(pgsizes & PAGE_SIZE) || !physr_iter_next(it, &first) ||
	    !(prot & (IOMMU_READ | IOMMU_WRITE)) || (iova & (PAGE_SIZE - 1)))
		return -EINVAL;
	off = first.addr & (PAGE_SIZE - 1);
	pgt_walk_init(pgt, &walk, pgsizes);
	ret = pgt_map_ranges(pgt, &walk, it, iova, first.addr - off,
			     first.len + off, pgt_prot_bits(prot), gfp, mapped);
	pgt_walk_end(pgt, &walk);
	if (*mapped)
		iommu_iotlb_gather_add_range(gather, iova, iova + *mapped - 1);
	return ret;
}

/*
 * Is @table, at @lvl, mapped over its whole span by leaves?  Its counts
 * say so at once when it holds no table pointers; otherwise each table
 * below must be full too.
 */
static bool pgt_table_full(const u64 *table, unsigned int lvl)
{
	const struct page *page = pgt_table_page(table);
	unsigned int i;

	if (page->private != PTES)
		return false;
	for (i = 0; page->index && i < PTES; i++) {
		u64 pte = READ_ONCE(table[i]);

		if (!pte_leaf(pte) &&
		    !pgt_table_full(pgt_table_va(pte), lvl - 1))
			return false;
	}
	return true;
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
		bool whole = lo == base && hi == base + (size - 1);

		if (!pte_present(pte))
			return -ENOENT;
		if (pte_leaf(pte)) {
			if (!whole)
				return -EINVAL;
			continue;
		}
		/* Every leaf below lies inside: only a hole can fail. */
		if (whole) {
			if (!pgt_table_full(pgt_table_va(pte), lvl - 1))
				return -ENOENT;
			continue;
		}
		ret = pgt_check_range(pgt_table_va(pte), lvl - 1, lo, hi);
		if (ret)
			return ret;
	}
	return 0;
}

/* What an unmap changed, added to the counters at its end. */
struct pgt_unmap_counts {
	u64 writes;
	u64 tables;
	u64 leaves[MAX_LEAF_LVL + 1];
};

/* Queue @table (at @lvl) and the tables below it on @gather, as they are. */
static void pgt_drop_tree(u64 *table, unsigned int lvl,
			  struct iommu_iotlb_gather *gather,
			  struct pgt_unmap_counts *cnt)
{
	struct page *page = pgt_table_page(table);
	unsigned int i;

	cnt->leaves[lvl] += page->private - page->index;
	for (i = 0; page->index && i < PTES; i++) {
		u64 pte = READ_ONCE(table[i]);

		if (pte_present(pte) && !pte_leaf(pte))
			pgt_drop_tree(pgt_table_va(pte), lvl - 1, gather, cnt);
	}
	cnt->tables++;
	list_add_tail(&page->lru, &gather->freelist);
}

/*
 * Clear [first, last] (checked by pgt_check_range()) in @table at @lvl,
 * updating its counts.  Tables whose span lies in the range are unlinked
 * whole; tables that become empty are unlinked too.  Both go on @gather.
 */
static void pgt_clear_range(u64 *table, unsigned int lvl, u64 first,
			    u64 last, struct iommu_iotlb_gather *gather,
			    struct pgt_unmap_counts *cnt)
{
	struct page *page = pgt_table_page(table);
	unsigned int i = LVL_INDEX(first, lvl), end = LVL_INDEX(last, lvl);
	unsigned int cleared = 0, unlinked = 0;
	u64 size = LVL_SIZE(lvl);
	u64 base = first & ~(size - 1);

	if (lvl == 1) {
		for (; i <= end; i++)
			pte_write(&table[i], 0);
		cleared = end - LVL_INDEX(first, 1) + 1;
		cnt->leaves[1] += cleared;
		goto out;
	}
	for (; i <= end; i++, base += size) {
		u64 pte = table[i];
		u64 lo = max(first, base), hi = min(last, base + (size - 1));
		u64 *child;

		if (pte_leaf(pte)) {
			cnt->leaves[lvl]++;
		} else {
			child = pgt_table_va(pte);
			if (lo == base && hi == base + (size - 1)) {
				pgt_drop_tree(child, lvl - 1, gather, cnt);
			} else {
				pgt_clear_range(child, lvl - 1, lo, hi, gather,
						cnt);
				if (pgt_table_page(child)->private)
					continue;
				cnt->tables++;
				list_add_tail(&pgt_table_page(child)->lru,
					      &gather->freelist);
			}
			unlinked++;
		}
		pte_write(&table[i], 0);
		cleared++;
	}
out:
	cnt->writes += cleared;
	page->private -= cleared;
	page->index -= unlinked;
}

/**
 * io_pgtable_sim_unmap_pages() - the unmap_pages domain op
 * @domain: a paging domain of the driver
 * @iova: first IOVA, aligned to @pgsize
 * @pgsize: a leaf size of the format (the core passes the smallest)
 * @pgcount: how many, > 0: the range is @pgsize * @pgcount bytes
 * @gather: collects the range to invalidate and the table pages to free
 * @unmapped: set to the bytes unmapped (all of the range, or 0)
 *
 * The range must be covered completely by leaves lying entirely inside
 * it; this is checked before anything is cleared.  A table whose whole
 * span lies in the range is unlinked with one store and queued on
 * @gather with its entries untouched.  Domain lock held.
 *
 * Return: 0; -EINVAL for a bad size or alignment, or a range that would
 * cut a large leaf; -ERANGE beyond the table's reach; -ENOENT if part of
 * the range is not mapped.  On error nothing changed.
 */
int io_pgtable_sim_unmap_pages(struct iommu_domain *domain, dma_addr_t iova,
			       u64 pgsize, u64 pgcount,
			       struct iommu_iotlb_gather *gather,
			       u64 *unmapped)
{
	struct io_pgtable_sim *pgt = to_io_pgtable_sim(domain);
	u64 *root = page_address(pgt->root_page);
	struct pgt_unmap_counts cnt = { 0 };
	unsigned int lvl;
	u64 size, last;
	int ret;

	*unmapped = 0;
	if (!pgt_pgsize_level(pgsize) || !pgcount || (iova & (pgsize - 1)))
		return -EINVAL;
	if (check_mul_overflow(pgsize, pgcount, &size) ||
	    check_add_overflow(iova, size - 1, &last) ||
	    last > SIM_IOMMU_IOVA_LAST)
		return -ERANGE;
	ret = pgt_check_range(root, SIM_IOMMU_LEVELS, iova, last);
	if (ret)
		return ret;
	pgt_clear_range(root, SIM_IOMMU_LEVELS, iova, last, gather, &cnt);
	pgt_count(&pgt->pte_writes, cnt.writes);
	if (cnt.tables)
		pgt_count(&pgt->table_pages, -(s64)cnt.tables);
	for (lvl = 1; lvl <= MAX_LEAF_LVL; lvl++)
		if (cnt.leaves[lvl])
			pgt_count(&pgt->leaves[lvl], -(s64)cnt.leaves[lvl]);
	iommu_iotlb_gather_add_range(gather, iova, last);
	*unmapped = size;
	return 0;
}

/**
 * io_pgtable_sim_iova_to_phys() - the iova_to_phys domain op
 * @domain: a paging domain of the driver
 * @iova: the IOVA
 *
 * Return: the physical address @iova maps to, or 0 if it is not mapped.
 */
phys_addr_t io_pgtable_sim_iova_to_phys(struct iommu_domain *domain,
					dma_addr_t iova)
{
	struct io_pgtable_sim *pgt = to_io_pgtable_sim(domain);
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
 * io_pgtable_sim_put_pages() - free table pages a gather collected
 * @freelist: the gather's freelist; left empty
 *
 * Call only after the IOTLB invalidation for the gather has completed.
 */
void io_pgtable_sim_put_pages(struct list_head *freelist)
{
	struct page *page, *tmp;

	list_for_each_entry_safe(page, tmp, freelist, lru) {
		list_del(&page->lru);
		pgt_release_table_page(page);
	}
}

/* ---- the walk cache, one run at a time (io-pgtable-sim.h) ------------- */

static_assert(sizeof(struct pgt_walk) <= sizeof(struct io_pgtable_sim_walk));

/**
 * io_pgtable_sim_walk_start() - start a walk cache for io_pgtable_sim_walk_map()
 * @domain: a paging domain of the driver; its lock held until the end
 * @w: the walk, on the caller's stack
 */
void io_pgtable_sim_walk_start(struct iommu_domain *domain,
			       struct io_pgtable_sim_walk *w)
{
	pgt_walk_init(to_io_pgtable_sim(domain), (struct pgt_walk *)w,
		      domain->pgsize_bitmap & SIM_IOMMU_PGSIZE_BITMAP);
}

/**
 * io_pgtable_sim_walk_map() - map one run through a walk cache
 * @domain: the domain of io_pgtable_sim_walk_start()
 * @w: the walk
 * @iova: where the run goes, page aligned, in the domain's aperture
 * @paddr: its physical address, page aligned
 * @size: its length, a whole number of pages
 * @prot: IOMMU_READ and/or IOMMU_WRITE
 * @gfp: flags for table pages
 * @mapped: bytes mapped are added to it, even on error
 *
 * As map_range maps one range: leaves by the iommu_pgsize() rule, written
 * in loops through the walk cache.  Nothing is sent to the IOTLB: the
 * caller syncs the mapped range afterwards.
 *
 * Return: 0; -EINVAL for a misaligned run or a domain without 4 KiB
 * leaves; -EEXIST; -ENOMEM.  What was mapped stays mapped on error.
 */
int io_pgtable_sim_walk_map(struct iommu_domain *domain,
			    struct io_pgtable_sim_walk *w, dma_addr_t iova,
			    phys_addr_t paddr, u64 size, int prot, gfp_t gfp,
			    u64 *mapped)
{
	struct pgt_walk *walk = (struct pgt_walk *)w;

	if (!(walk->pgsizes & PAGE_SIZE) || !size ||
	    ((iova | paddr | size) & (PAGE_SIZE - 1)) ||
	    !(prot & (IOMMU_READ | IOMMU_WRITE)))
		return -EINVAL;
	return pgt_map_one(to_io_pgtable_sim(domain), walk, iova, paddr, size,
			   pgt_prot_bits(prot), gfp, mapped);
}

/**
 * io_pgtable_sim_walk_end() - end a walk, adding its counts to the table's
 * @domain: the domain of io_pgtable_sim_walk_start()
 * @w: the walk
 */
void io_pgtable_sim_walk_end(struct iommu_domain *domain,
			     struct io_pgtable_sim_walk *w)
{
	pgt_walk_end(to_io_pgtable_sim(domain), (struct pgt_walk *)w);
}
