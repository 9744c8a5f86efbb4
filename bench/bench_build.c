// SPDX-License-Identifier: GPL-2.0
/*
 * Bench cases: building a range list from a page array, and walking it,
 * against the kernel's lib/scatterlist.c doing the same.
 *
 *   build/contig  1 GiB, physically contiguous
 *   build/2m      1 GiB of 2 MiB folios, scattered (512 ranges)
 *   build/4k      1 GiB of 4 KiB pages, no two adjacent (262144 ranges)
 *   iterate/4k    walk every range of build/4k's list, summing lengths
 *
 * Each build case also runs as <case>/pgmap, with a device pagemap on the
 * machine (bench/bench.h): physr_list_from_pages() must then tell device
 * pages from RAM.  The baseline is the same code in both (scatterlist.c
 * never tests CONFIG_PCI_P2PDMA; Debian's CONFIG_ZONE_DEVICE=y has it
 * read both struct pages of every physically adjacent pair in both).
 *
 * The baseline builds with sg_alloc_table_from_pages_segment() at the
 * largest segment size and walks with for_each_sgtable_sg(); both sides
 * free untimed after each run.  "bytes" is heap memory held by the built
 * list, "baseline_bytes" that of the sg_table, both read from the same
 * allocation counters.
 */
#include <stdio.h>

#include <linux/err.h>
#include <linux/errno.h>
#include <linux/fault-inject.h>
#include <linux/mm.h>
#include <linux/mm_layout.h>
#include <linux/physr.h>

#include "bench/bench.h"
#include "bench/sg_baseline.h"

#define BENCH_SEED	0x9e3779b97f4a7c15ULL

struct build_ctx {
	struct mm_buffer *buf;
	struct physr_list list;
	struct sgb_table sgt;
	int ret;
	u64 sum;
};

static void build_ours(void *arg)
{
	struct build_ctx *c = arg;

	c->ret |= physr_list_from_pages(&c->list, c->buf->pages,
					c->buf->nr_pages, 0, c->buf->size,
					GFP_KERNEL);
}

static void build_ours_reset(void *arg)
{
	physr_list_destroy(&((struct build_ctx *)arg)->list);
}

static void build_sg(void *arg)
{
	struct build_ctx *c = arg;

	c->ret |= sgb_from_pages(&c->sgt, c->buf->pages, c->buf->nr_pages, 0,
				 c->buf->size);
}

static void build_sg_reset(void *arg)
{
	sgb_free(&((struct build_ctx *)arg)->sgt);
}

static void iterate_ours(void *arg)
{
	struct build_ctx *c = arg;
	struct physr_iter it;
	struct physr r;
	u64 sum = 0;

	physr_for_each(&c->list, &it, &r)
		sum += r.len;
	c->sum = sum;
}

static void iterate_sg(void *arg)
{
	struct build_ctx *c = arg;

	c->sum = sgb_iterate_sum(&c->sgt);
}

static u64 live_bytes(void)
{
	struct alloc_stats st;

	alloc_stats_get(&st);
	return st.live_bytes;
}

/* Build both once, untimed, to count what each holds. */
static int build_both(struct build_ctx *c, struct bench_result *res)
{
	u64 before = live_bytes();
	u64 ours, theirs;
	int ret;

	ret = physr_list_from_pages(&c->list, c->buf->pages, c->buf->nr_pages,
				    0, c->buf->size, GFP_KERNEL);
	if (ret)
		return ret;
	ours = live_bytes() - before;
	ret = sgb_from_pages(&c->sgt, c->buf->pages, c->buf->nr_pages, 0,
			     c->buf->size);
	if (ret) {
		physr_list_destroy(&c->list);
		return ret;
	}
	theirs = live_bytes() - before - ours;

	bench_counter(res, "bytes", ours);
	bench_counter(res, "baseline_bytes", theirs);
	bench_counter(res, "ranges", physr_list_nr_ranges(&c->list));
	bench_counter(res, "baseline_nents", sgb_nents(&c->sgt));
	/* bytes per range, in hundredths: the encoding's real cost */
	bench_counter(res, "bytes_per_range_x100",
		      ours * 100 / physr_list_nr_ranges(&c->list));
	return 0;
}

static void build_free_both(struct build_ctx *c)
{
	physr_list_destroy(&c->list);
	sgb_free(&c->sgt);
}

static int bench_build(const struct bench_config *cfg, struct bench_result *res,
		       enum mm_layout layout, bool iterate)
{
	struct build_ctx c = { .ret = 0 };
	struct bench_op ours, theirs;
	int ret;

	c.buf = mm_buffer_alloc(cfg->bytes, layout, BENCH_SEED, GFP_KERNEL);
	if (IS_ERR(c.buf))
		return PTR_ERR(c.buf);
	ret = build_both(&c, res);
	if (ret)
		goto out_free_buf;

	res->baseline = iterate ? "for_each_sgtable_sg" :
				  "sg_alloc_table_from_pages_segment";
	res->baseline_how = sgb_describe();
	if (iterate) {
		u64 expect = c.buf->size;

		ours = (struct bench_op){ iterate_ours, NULL, &c };
		theirs = (struct bench_op){ iterate_sg, NULL, &c };
		bench_time(cfg, res, &ours, &theirs);
		if (c.sum != expect)
			ret = -EIO;
		build_free_both(&c);
	} else {
		build_free_both(&c);
		ours = (struct bench_op){ build_ours, build_ours_reset, &c };
		theirs = (struct bench_op){ build_sg, build_sg_reset, &c };
		bench_time(cfg, res, &ours, &theirs);
		if (c.ret)
			ret = c.ret;
	}
out_free_buf:
	mm_buffer_free(c.buf);
	return ret;
}

static int bench_build_contig(const struct bench_config *cfg,
			      struct bench_result *res)
{
	return bench_build(cfg, res, MM_LAYOUT_CONTIG, false);
}

static int bench_build_2m(const struct bench_config *cfg,
			  struct bench_result *res)
{
	return bench_build(cfg, res, MM_LAYOUT_FOLIO_2M, false);
}

static int bench_build_4k(const struct bench_config *cfg,
			  struct bench_result *res)
{
	return bench_build(cfg, res, MM_LAYOUT_PAGE_4K, false);
}

static int bench_iterate_4k(const struct bench_config *cfg,
			    struct bench_result *res)
{
	return bench_build(cfg, res, MM_LAYOUT_PAGE_4K, true);
}

const struct bench_case bench_build_cases[] = {
	{ "build/contig", bench_build_contig, 0 },
	{ "build/contig/pgmap", bench_build_contig, BENCH_PGMAP },
	{ "build/2m", bench_build_2m, 0 },
	{ "build/2m/pgmap", bench_build_2m, BENCH_PGMAP },
	{ "build/4k", bench_build_4k, 0 },
	{ "build/4k/pgmap", bench_build_4k, BENCH_PGMAP },
	{ "iterate/4k", bench_iterate_4k, 0 },
	{ NULL, NULL, 0 },
};
