// SPDX-License-Identifier: GPL-2.0
/*
 * Bench cases: pinning user memory into a list of physical ranges.
 *
 *   pin/4k   cfg->bytes of anonymous memory in 4 KiB folios
 *   pin/thp  cfg->bytes of THP memory, 2 MiB folios
 *   pin/1g   cfg->bytes of one 1 GiB hugetlb folio (the VMA is 1 GiB
 *            even when --quick pins only the first 64 MiB of it)
 *
 * Ours: pin_user_physr() appends the ranges straight to a physr_list.
 *
 * Baseline, what a driver does today, the way RDMA's ib_umem_get() does
 * it: pup_pin_user_pages_fast() (bench/pup_baseline.c, after upstream
 * pin_user_pages_fast()) into a one-page array of 512 page pointers, then
 * the kernel's own sg_alloc_append_table_from_pages() appends the batch
 * to the scatterlist, batch after batch.  The variants:
 *
 *   <case>/pgmap        a device pagemap on the machine, and the
 *                       baseline built as with CONFIG_PCI_P2PDMA=y (the
 *                       P2P test of try_grab_folio_fast() per page); ours
 *                       is the same code (bench/bench.h)
 *   <case>/slow         the baseline is the slow path, pin_user_pages()
 *                       under mmap_lock into a page array of the whole
 *                       buffer, then sg_alloc_table_from_pages_segment()
 *   pin/4k/no-prefetch  ours without its software prefetch of the struct
 *                       pages ahead (gup_prefetch off): which part of the
 *                       gain is the prefetch, which GUP could use too
 *   pin/4k/gup-prefetch the baseline's PTE loop given the same prefetch
 *                       (not upstream): what is left without it
 *
 * Both sides pin the same pre-faulted memory with FOLL_WRITE, so neither
 * pays a fault.  The memory is faulted in a random order (seeded), as a
 * long-running process's would be, so 4 KiB pages and 2 MiB folios are
 * physically scattered: one range per folio, on both sides.  Only the pin
 * and the building of the list are timed; unpinning (and freeing the sg
 * table) is the untimed reset after each run.
 *
 * "bytes" is the heap memory the range list holds; "baseline_bytes" that
 * of the sg table (plus, for /slow, the whole page array), read from the
 * same allocation counters; the fast baseline's page array is one page
 * while it runs.  "folios" is how many folios the range covers: the
 * number of pin operations of ours (the fast baseline makes one per
 * 4 KiB page, or one per huge leaf; the slow one two per huge leaf).
 */
#include <stdio.h>

#include <linux/err.h>
#include <linux/errno.h>
#include <linux/fault-inject.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mm_struct.h>
#include <linux/pgtable.h>
#include <linux/physr.h>
#include <linux/random.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "bench/bench.h"
#include "bench/pup_baseline.h"
#include "bench/sg_baseline.h"

#define BENCH_PIN_SEED	0x70696e5f75736572ULL

/* ib_umem_get()'s batch: the page pointers one page holds. */
#define PIN_BATCH	(PAGE_SIZE / sizeof(struct page *))

/* Which baseline a pin case runs. */
enum pin_base {
	PIN_FAST,		/* pin_user_pages_fast() in batches, appended */
	PIN_FAST_PREFETCH,	/* the same with our prefetch added */
	PIN_SLOW,		/* pin_user_pages(), then the whole array */
};

struct pin_ctx {
	struct mm_struct *mm;
	unsigned long addr;
	unsigned long len;
	unsigned long nr_pages;
	unsigned int pup_config;
	struct physr_list list;
	struct page **pages;
	struct sgb_table sgt;
	struct sgb_append sga;
	int ret;
};

static void pin_ours(void *arg)
{
	struct pin_ctx *c = arg;

	c->ret |= pin_user_physr(c->mm, c->addr, c->len, FOLL_WRITE, &c->list);
}

static void pin_ours_reset(void *arg)
{
	struct pin_ctx *c = arg;

	unpin_user_physr(&c->list, false);
}

/* ib_umem_get(): batches of PIN_BATCH pinned and appended, in turn. */
static void pin_fast_baseline(void *arg)
{
	struct pin_ctx *c = arg;
	unsigned long addr = c->addr, left = c->nr_pages;
	struct page **batch;

	batch = (struct page **)__get_free_page(GFP_KERNEL);
	if (!batch) {
		c->ret |= -ENOMEM;
		return;
	}
	while (left) {
		long pinned = pup_pin_user_pages_fast(c->mm, addr,
						      min(left, PIN_BATCH),
						      FOLL_WRITE, batch,
						      c->pup_config);
		int ret;

		if (pinned <= 0) {
			c->ret |= pinned ? (int)pinned : -EFAULT;
			break;
		}
		addr += pinned << PAGE_SHIFT;
		left -= pinned;
		ret = sgb_append_from_pages(&c->sga, batch, pinned, 0,
					    pinned << PAGE_SHIFT, left);
		if (ret) {
			pup_unpin_user_pages(batch, pinned);
			c->ret |= ret;
			break;
		}
	}
	free_page((unsigned long)batch);
}

/* ib_umem_release(): unpin by the table's entries, free the table. */
static void pin_fast_baseline_reset(void *arg)
{
	struct pin_ctx *c = arg;
	struct sgb_ent *e;

	for (e = sgb_first(sgb_append_table(&c->sga)); e; e = sgb_next(e))
		pup_unpin_user_page_range(sgb_ent_page(e),
					  DIV_ROUND_UP(sgb_ent_length(e),
						       PAGE_SIZE));
	sgb_append_free(&c->sga);
}

static void pin_baseline(void *arg)
{
	struct pin_ctx *c = arg;
	long pinned;

	c->pages = kvmalloc_array(c->nr_pages, sizeof(*c->pages), GFP_KERNEL);
	if (!c->pages) {
		c->ret |= -ENOMEM;
		return;
	}
	mmap_read_lock(c->mm);
	pinned = pup_pin_user_pages(c->mm, c->addr, c->nr_pages, FOLL_WRITE,
				    c->pages);
	mmap_read_unlock(c->mm);
	if (pinned != (long)c->nr_pages) {
		if (pinned > 0)
			pup_unpin_user_pages(c->pages, pinned);
		kvfree(c->pages);
		c->pages = NULL;
		c->ret |= pinned < 0 ? (int)pinned : -EFAULT;
		return;
	}
	c->ret |= sgb_from_pages(&c->sgt, c->pages, c->nr_pages, 0, c->len);
}

static void pin_baseline_reset(void *arg)
{
	struct pin_ctx *c = arg;

	if (!c->pages)
		return;
	pup_unpin_user_pages(c->pages, c->nr_pages);
	kvfree(c->pages);
	c->pages = NULL;
	sgb_free(&c->sgt);
}

static u64 live_bytes(void)
{
	struct alloc_stats st;

	alloc_stats_get(&st);
	return st.live_bytes;
}

/*
 * Touch one byte of every @step bytes of the range, in a random order, so
 * that the folios land in physical memory in that order.
 */
static int pin_prefault(struct pin_ctx *c, unsigned long step)
{
	unsigned long n = c->len / step, i, j;
	struct rnd_state rs;
	u32 *order;
	int ret = 0;
	u8 v = 1;

	order = kvmalloc_array(n, sizeof(*order), GFP_KERNEL);
	if (!order)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		order[i] = i;
	prandom_seed_state(&rs, BENCH_PIN_SEED);
	for (i = n; i > 1; i--) {
		j = prandom_u64_below_state(&rs, i);
		swap(order[i - 1], order[j]);
	}
	for (i = 0; i < n && !ret; i++) {
		unsigned long a = c->addr + (unsigned long)order[i] * step;

		if (copy_to_user(c->mm, a, &v, 1))
			ret = -ENOMEM;
	}
	kvfree(order);
	return ret;
}

/* Folios behind the list's ranges. */
static u64 pin_count_folios(const struct physr_list *list)
{
	struct folio *last = NULL;
	struct physr_iter it;
	struct physr r;
	u64 n = 0;

	physr_for_each(list, &it, &r) {
		unsigned long pfn = PHYS_PFN(r.addr);
		unsigned long end = PHYS_PFN(r.addr + r.len - 1) + 1;

		while (pfn < end) {
			struct folio *folio = pfn_folio(pfn);

			n += folio != last;
			last = folio;
			pfn = folio_pfn(folio) + folio_nr_pages(folio);
		}
	}
	return n;
}

/*
 * Run both once, untimed: check they agree and count what each holds.
 * @theirs is the baseline's op.
 */
static int pin_both(struct pin_ctx *c, struct bench_result *res,
		    const struct bench_op *theirs_op)
{
	struct sgb_table *t = theirs_op->run == pin_fast_baseline ?
			      sgb_append_table(&c->sga) : &c->sgt;
	struct sgb_ent *e;
	struct physr_iter it;
	struct physr r;
	u64 before, ours, theirs;

	before = live_bytes();
	pin_ours(c);
	ours = live_bytes() - before;
	theirs_op->run(c);
	theirs = live_bytes() - before - ours;
	if (c->ret)
		goto out_reset;

	/* The same ranges, in the same order, on both sides. */
	e = sgb_first(t);
	physr_for_each(&c->list, &it, &r) {
		if (!e || sgb_ent_phys(e) != r.addr ||
		    sgb_ent_length(e) != r.len) {
			c->ret = -EIO;
			break;
		}
		e = sgb_next(e);
	}
	if (e)
		c->ret = -EIO;

	bench_counter(res, "bytes", ours);
	bench_counter(res, "baseline_bytes", theirs);
	bench_counter(res, "ranges", physr_list_nr_ranges(&c->list));
	bench_counter(res, "baseline_nents", sgb_nents(t));
	bench_counter(res, "pages", c->nr_pages);
	bench_counter(res, "folios", pin_count_folios(&c->list));
out_reset:
	pin_ours_reset(c);
	theirs_op->reset(c);
	return c->ret;
}

static int bench_pin(const struct bench_config *cfg, struct bench_result *res,
		     enum vm_kind kind, enum pin_base base, bool prefetch)
{
	char *how = res->how;
	unsigned long map_len = cfg->bytes, step = PAGE_SIZE;
	struct pin_ctx c = { .ret = 0 };
	struct bench_op ours, theirs;
	int ret;

	if (kind == VM_KIND_THP)
		step = SZ_2M;
	if (kind == VM_KIND_HUGETLB_1G) {
		step = SZ_1G;
		map_len = ALIGN(map_len, SZ_1G);
	}
	c.mm = mm_alloc();
	if (!c.mm)
		return -ENOMEM;
	c.addr = vm_mmap(c.mm, 0, map_len, VM_READ | VM_WRITE, kind);
	if (IS_ERR_VALUE(c.addr)) {
		ret = (int)(long)c.addr;
		goto out_put;
	}
	c.len = map_len;
	ret = pin_prefault(&c, step);
	if (ret)
		goto out_put;
	c.len = cfg->bytes;
	c.nr_pages = c.len >> PAGE_SHIFT;
	c.pup_config = (cfg->pgmap ? PUP_CONFIG_P2PDMA : 0) |
		       (base == PIN_FAST_PREFETCH ? PUP_CONFIG_PREFETCH : 0);

	ours = (struct bench_op){ pin_ours, pin_ours_reset, &c };
	if (base != PIN_SLOW) {
		theirs = (struct bench_op){ pin_fast_baseline,
					    pin_fast_baseline_reset, &c };
		snprintf(how, sizeof(res->how),
			 "%s, in batches of %lu pages into a one-page array, "
			 "each appended by sg_alloc_append_table_from_pages() "
			 "from %s (as ib_umem_get()); CONFIG_PCI_P2PDMA %s%s; "
			 "both pin pre-faulted memory (FOLL_WRITE), unpin "
			 "untimed", pup_fast_describe(), PIN_BATCH,
			 sgb_describe(), cfg->pgmap ? "=y" : "unset",
			 base == PIN_FAST_PREFETCH ?
			 "; with pin_user_physr()'s prefetch added" : "");
		res->baseline = "pin_user_pages_fast+sg_alloc_append_table_from_pages";
	} else {
		theirs = (struct bench_op){ pin_baseline, pin_baseline_reset,
					    &c };
		snprintf(how, sizeof(res->how),
			 "%s, then sg_alloc_table_from_pages_segment() from %s; "
			 "both pin pre-faulted memory (FOLL_WRITE), unpin "
			 "untimed", pup_describe(), sgb_describe());
		res->baseline = "pin_user_pages+sg_alloc_table_from_pages_segment";
	}
	res->baseline_how = how;
	gup_prefetch = prefetch;
	ret = pin_both(&c, res, &theirs);
	if (!ret) {
		bench_time(cfg, res, &ours, &theirs);
		ret = c.ret;
	}
	gup_prefetch = true;
out_put:
	mmput(c.mm);
	return ret;
}

static int bench_pin_4k(const struct bench_config *cfg,
			struct bench_result *res)
{
	return bench_pin(cfg, res, VM_KIND_ANON, PIN_FAST, true);
}

static int bench_pin_thp(const struct bench_config *cfg,
			 struct bench_result *res)
{
	return bench_pin(cfg, res, VM_KIND_THP, PIN_FAST, true);
}

static int bench_pin_1g(const struct bench_config *cfg,
			struct bench_result *res)
{
	return bench_pin(cfg, res, VM_KIND_HUGETLB_1G, PIN_FAST, true);
}

static int bench_pin_4k_slow(const struct bench_config *cfg,
			     struct bench_result *res)
{
	return bench_pin(cfg, res, VM_KIND_ANON, PIN_SLOW, true);
}

static int bench_pin_thp_slow(const struct bench_config *cfg,
			      struct bench_result *res)
{
	return bench_pin(cfg, res, VM_KIND_THP, PIN_SLOW, true);
}

static int bench_pin_1g_slow(const struct bench_config *cfg,
			     struct bench_result *res)
{
	return bench_pin(cfg, res, VM_KIND_HUGETLB_1G, PIN_SLOW, true);
}

static int bench_pin_4k_gup_prefetch(const struct bench_config *cfg,
				     struct bench_result *res)
{
	return bench_pin(cfg, res, VM_KIND_ANON, PIN_FAST_PREFETCH, true);
}

static int bench_pin_4k_no_prefetch(const struct bench_config *cfg,
				    struct bench_result *res)
{
	return bench_pin(cfg, res, VM_KIND_ANON, PIN_FAST, false);
}

const struct bench_case bench_pin_cases[] = {
	{ "pin/4k", bench_pin_4k, 0 },
	{ "pin/4k/pgmap", bench_pin_4k, BENCH_PGMAP },
	{ "pin/4k/no-prefetch", bench_pin_4k_no_prefetch, 0 },
	{ "pin/4k/gup-prefetch", bench_pin_4k_gup_prefetch, 0 },
	{ "pin/4k/slow", bench_pin_4k_slow, 0 },
	{ "pin/thp", bench_pin_thp, 0 },
	{ "pin/thp/pgmap", bench_pin_thp, BENCH_PGMAP },
	{ "pin/thp/slow", bench_pin_thp_slow, 0 },
	{ "pin/1g", bench_pin_1g, 0 },
	{ "pin/1g/pgmap", bench_pin_1g, BENCH_PGMAP },
	{ "pin/1g/slow", bench_pin_1g_slow, 0 },
	{ NULL, NULL, 0 },
};
