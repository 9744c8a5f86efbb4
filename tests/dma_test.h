/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the DMA API suites (tests/dma_*_test.c).
 *
 *  - Machines: dma_test_boot() boots the default board, or a copy with an
 *    edit, with identity or DMA default domains.
 *  - Buffers: a range list over an mm_buffer of a given layout, and the
 *    CPU's view of a list's bytes (sim_cpu_read/write at its ranges: RAM
 *    or BAR alike).
 *  - Devices move bytes through the DMA list, segment by segment, with
 *    the machine's DMA engine (sim_dma_read/write), which routes them
 *    through the IOMMU, the switch or the host bridge.
 *  - Lists: a snapshot of every range, to check mapping never wrote it;
 *    P2P memory in GPU0's BARs, and the host bridge off the allowlist;
 *    one list mapped by several devices at once (struct dma_test_shared).
 *  - The sanitizer: each case starts with its report count; a case that
 *    expects reports says how many of which kind (dma_test_expect_reports())
 *    and the suite's exit checks that no other report was made.
 *  - Suites: DEFINE_DMA_TEST_SUITE() wires those checks into every case.
 *  - Failures: a map whose allocations fail one by one, and what a failed
 *    map must leave behind (struct dma_test_fail).
 */
#ifndef _TESTS_DMA_TEST_H
#define _TESTS_DMA_TEST_H

#include <kunit/fail_nth.h>
#include <kunit/test.h>
#include <linux/dma-debug.h>
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/iommu.h>
#include <linux/kallsyms.h>
#include <linux/mm.h>
#include <linux/mm_layout.h>
#include <linux/pci.h>
#include <linux/pci-p2pdma.h>
#include <linux/physr.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "arch/sim/boot.h"
#include "sim/dma.h"
#include "sim/sim.h"
#include "tests/pci_boards.h"

/**
 * struct dma_test_ctx - per-case state of the DMA suites (test->priv)
 * @reports_at_start: dma_debug_reports() when the case began
 * @expected_reports: reports the case announced
 */
struct dma_test_ctx {
	unsigned long reports_at_start;
	unsigned long expected_reports;
};

/*
 * Make every device's P2P providers now: they live as long as the
 * machine, and a case that made them first would be counted as leaking
 * them.
 */
static inline int dma_test_make_providers(void)
{
	struct p2pdma_provider *p;
	struct pci_dev *pdev;
	int bar;

	for_each_pci_dev(pdev) {
		for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
			if (!pci_resource_len(pdev, bar))
				continue;
			p = pcim_p2pdma_provider(pdev, bar);
			if (IS_ERR(p)) {
				pci_dev_put(pdev);
				return PTR_ERR(p);
			}
			break;	/* one makes them all */
		}
	}
	return 0;
}

/* Boot @tb's machine (NULL: the default) with @domain_type defaults. */
static inline int dma_test_boot(struct pci_test_board *tb,
				unsigned int domain_type)
{
	int ret = iommu_set_default_domain_type(domain_type);

	if (!ret)
		ret = machine_boot(tb ? &tb->cfg : NULL);
	if (!ret) {
		ret = dma_test_make_providers();
		if (ret)
			machine_shutdown();
	}
	if (ret)
		iommu_set_default_domain_type(IOMMU_DOMAIN_IDENTITY);
	return ret;
}

static inline void dma_test_shutdown(void)
{
	machine_shutdown();
	iommu_set_default_domain_type(IOMMU_DOMAIN_IDENTITY);
}

static inline int dma_test_init(struct kunit *test)
{
	struct dma_test_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return -ENOMEM;
	dma_debug_check();
	ctx->reports_at_start = dma_debug_reports();
	test->priv = ctx;
	return 0;
}

/*
 * Give back the IOVA the DMA domains keep cached for reuse: the runner
 * would count it as leaked by the case.
 */
static inline void dma_test_flush_iova_caches(void)
{
	struct iommu_domain *d;
	struct pci_dev *pdev;

	for_each_pci_dev(pdev) {
		d = iommu_get_default_domain(&pdev->dev);
		if (d && d->type == IOMMU_DOMAIN_DMA)
			iova_flush_rcache(&d->iovad);
	}
}

/* The case's sanitizer reports must be exactly those it announced. */
static inline void dma_test_exit(struct kunit *test)
{
	struct dma_test_ctx *ctx = test->priv;

	iommu_poll_faults();
	dma_test_flush_iova_caches();
	if (!ctx)
		return;
	dma_debug_check();
	KUNIT_EXPECT_EQ_MSG(test, dma_debug_reports() - ctx->reports_at_start,
			    ctx->expected_reports,
			    "unexpected DMA sanitizer reports");
}

/* ---- suites --------------------------------------------------------------- */

/* suite_init: the default board, every device with a DMA default domain. */
static inline int
dma_test_suite_init_dma(struct kunit_suite *suite __always_unused)
{
	return dma_test_boot(NULL, IOMMU_DOMAIN_DMA);
}

/* suite_init: the default board with identity domains (IOMMU bypass). */
static inline int
dma_test_suite_init_identity(struct kunit_suite *suite __always_unused)
{
	return dma_test_boot(NULL, IOMMU_DOMAIN_IDENTITY);
}

/* suite_init: the default board without IOMMU units (the direct path). */
static inline int
dma_test_suite_init_no_iommu(struct kunit_suite *suite __always_unused)
{
	/* Static: the machine runs on this board until the suite ends. */
	static struct pci_test_board tb;

	pci_test_board_default(&tb);
	pci_test_board_no_iommu(&tb);
	return dma_test_boot(&tb, IOMMU_DOMAIN_IDENTITY);
}

static inline void
dma_test_suite_exit(struct kunit_suite *suite __always_unused)
{
	dma_test_shutdown();
}

/*
 * A suite of DMA cases booted by @init: every case gets the sanitizer's
 * checks (dma_test_init(), dma_test_exit()), which a suite written out by
 * hand could leave out without anything failing.
 */
#define DEFINE_DMA_TEST_SUITE(_suite, _name, _init, _cases)		\
	static struct kunit_suite _suite = {				\
		.name = _name,						\
		.suite_init = _init,					\
		.suite_exit = dma_test_suite_exit,			\
		.init = dma_test_init,					\
		.exit = dma_test_exit,					\
		.test_cases = _cases,					\
	}

/*
 * Check that @n more reports of @kind were made since the last call (or
 * the case's start) and announce them.  Returns the last report.
 */
static inline void dma_test_expect_reports(struct kunit *test,
					   enum dma_debug_kind kind,
					   unsigned long n,
					   struct dma_debug_report *last)
{
	struct dma_test_ctx *ctx = test->priv;
	unsigned long before = ctx->reports_at_start + ctx->expected_reports;

	dma_debug_check();
	KUNIT_EXPECT_EQ_MSG(test, dma_debug_reports() - before, n,
			    "expected %lu report(s) of %s", n,
			    dma_debug_kind_name(kind));
	ctx->expected_reports += dma_debug_reports() - before;
	if (n) {
		struct dma_debug_report r;

		KUNIT_EXPECT_TRUE(test, dma_debug_last_report(&r));
		KUNIT_EXPECT_EQ(test, r.kind, kind);
		if (last)
			*last = r;
	}
}

/*
 * Expect @addr, a return address the sanitizer recorded (a report's @site
 * or @caller), to be in the function @func: the report names the
 * function that made the DMA API call.  Compared as %ps prints it, up to
 * the '.' of a part GCC split off or cloned (func.part.0, func.cold).
 * Only a function that is not inlined has a name of its own: a helper
 * whose name a test expects is noinline.
 */
static inline void dma_test_expect_caller(struct kunit *test,
					  unsigned long addr, const char *func)
{
	char sym[KSYM_SYMBOL_LEN];

	KUNIT_ASSERT_NE_MSG(test, addr, 0, "no caller recorded");
	sprint_symbol_no_offset(sym, addr);
	sym[strcspn(sym, ".")] = '\0';
	KUNIT_EXPECT_STREQ(test, sym, func);
}

static inline struct device *dma_test_dev(struct kunit *test, const char *name)
{
	struct pci_dev *pdev = pci_test_dev(test, name);

	KUNIT_ASSERT_NOT_NULL_MSG(test, pdev, "no device %s", name);
	return &pdev->dev;
}

/* What @d maps and how often it flushed the IOTLB: to compare over a call. */
static inline u64 dma_test_mapped(struct iommu_domain *d)
{
	struct iommu_domain_stats s;

	iommu_domain_get_stats(d, &s);
	return s.mapped_bytes;
}

static inline u64 dma_test_flushes(struct iommu_domain *d)
{
	struct iommu_domain_stats s;

	iommu_domain_get_stats(d, &s);
	return s.iotlb_flushes;
}

/*
 * Nothing of a refused or failed map is left: @d (NULL on a path without
 * one) maps the @mapped bytes it mapped before and holds no IOVA, and
 * @dev has no live mapping.
 */
static inline void dma_test_expect_unwound(struct kunit *test,
					   struct device *dev,
					   struct iommu_domain *d, u64 mapped)
{
	if (d) {
		KUNIT_EXPECT_EQ(test, dma_test_mapped(d), mapped);
		KUNIT_EXPECT_EQ(test, iova_allocated_bytes(&d->iovad), 0);
	}
	KUNIT_EXPECT_EQ(test, dma_debug_nr_live(dev), 0);
}

/* Restore a device's DMA limits when the case ends. */
struct dma_test_limits {
	struct device *dev;
	u64 dma_mask;
	unsigned int max_segment_size;
	unsigned long seg_boundary_mask;
};

static inline void dma_test_restore_limits(void *arg)
{
	struct dma_test_limits *l = arg;

	l->dev->dma_mask = l->dma_mask;
	l->dev->max_segment_size = l->max_segment_size;
	l->dev->seg_boundary_mask = l->seg_boundary_mask;
}

static inline void dma_test_save_limits(struct kunit *test, struct device *dev)
{
	struct dma_test_limits *l = kunit_kzalloc(test, sizeof(*l), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, l);
	l->dev = dev;
	l->dma_mask = dev->dma_mask;
	l->max_segment_size = dev->max_segment_size;
	l->seg_boundary_mask = dev->seg_boundary_mask;
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
			dma_test_restore_limits, l), 0);
}

/* A buffer and the range list over it, freed when the case ends. */
struct dma_test_buf {
	struct mm_buffer *mb;
	struct physr_list list;
};

static inline void dma_test_buf_free(void *arg)
{
	struct dma_test_buf *b = arg;

	physr_list_destroy(&b->list);
	mm_buffer_free(b->mb);
}

static inline struct dma_test_buf *dma_test_buf(struct kunit *test, u64 size,
						enum mm_layout layout,
						gfp_t gfp, u64 seed)
{
	struct dma_test_buf *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, b);
	b->mb = mm_buffer_alloc(size, layout, seed, gfp);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b->mb);
	physr_list_init(&b->list);
	if (physr_list_from_pages(&b->list, b->mb->pages, b->mb->nr_pages, 0,
				  size, GFP_KERNEL)) {
		mm_buffer_free(b->mb);
		KUNIT_ASSERT_FAILURE(test, "physr_list_from_pages failed");
	}
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
			dma_test_buf_free, b), 0);
	return b;
}

static inline void dma_test_fill(u8 *p, size_t len, u8 seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (u8)(i * 131 + seed + (i >> 12));
}

static inline void *dma_test_alloc(struct kunit *test, size_t len)
{
	void *p = kunit_kmalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	return p;
}

/* The CPU reads (writes) the bytes of a view's ranges, in order. */
static inline int dma_test_cpu_io(const struct physr_view *v, u8 *buf,
				  bool write)
{
	struct physr_iter it;
	struct physr r;
	int ret;

	physr_view_for_each(v, &it, &r) {
		ret = write ? sim_cpu_write(r.addr, buf, r.len) :
			      sim_cpu_read(r.addr, buf, r.len);
		if (ret)
			return ret;
		buf += r.len;
	}
	return 0;
}

static inline int dma_test_cpu_list_io(const struct physr_list *l, u8 *buf,
				       bool write)
{
	struct physr_view v;
	int ret = physr_list_slice(l, 0, physr_list_len(l), &v);

	return ret ? ret : dma_test_cpu_io(&v, buf, write);
}

/* The CPU writes @seed's pattern over the bytes of @l: returns a copy. */
static inline u8 *dma_test_cpu_fill(struct kunit *test,
				    const struct physr_list *l, u8 seed)
{
	u64 len = physr_list_len(l);
	u8 *p = dma_test_alloc(test, len);

	dma_test_fill(p, len, seed);
	KUNIT_ASSERT_EQ(test, dma_test_cpu_list_io(l, p, true), 0);
	return p;
}

/* What the CPU reads at the ranges of @l must be the bytes at @want. */
static inline void dma_test_expect_cpu_reads(struct kunit *test,
					     const struct physr_list *l,
					     const u8 *want)
{
	u64 len = physr_list_len(l);
	u8 *got = kunit_kzalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, got);
	KUNIT_EXPECT_EQ(test, dma_test_cpu_list_io(l, got, false), 0);
	KUNIT_EXPECT_MEMEQ(test, got, want, len);
	kunit_kfree(test, got);
}

/*
 * "Mapping never writes the list": a copy of every range of a list
 * (address, length, provider) taken before mapping, compared after.
 */
struct dma_test_snap {
	u64 nr;
	u64 len;
	size_t heap;
	struct physr *r;
	struct p2pdma_provider **p;
};

static inline struct dma_test_snap *dma_test_snapshot(struct kunit *test,
						      const struct physr_list *l)
{
	struct dma_test_snap *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	struct physr_iter it;
	struct physr r;
	u64 i = 0;

	KUNIT_ASSERT_NOT_NULL(test, s);
	s->nr = physr_list_nr_ranges(l);
	s->len = physr_list_len(l);
	s->heap = physr_list_heap_bytes(l);
	s->r = kunit_kcalloc(test, s->nr, sizeof(*s->r), GFP_KERNEL);
	s->p = kunit_kcalloc(test, s->nr, sizeof(*s->p), GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, s->r && s->p);
	physr_for_each(l, &it, &r) {
		KUNIT_ASSERT_LT(test, i, s->nr);
		s->r[i] = r;
		s->p[i++] = physr_iter_provider(&it);
	}
	KUNIT_ASSERT_EQ(test, i, s->nr);
	return s;
}

static inline void dma_test_expect_unchanged(struct kunit *test,
					     const struct physr_list *l,
					     const struct dma_test_snap *s)
{
	struct physr_iter it;
	struct physr r;
	u64 i = 0;

	KUNIT_EXPECT_EQ(test, physr_list_nr_ranges(l), s->nr);
	KUNIT_EXPECT_EQ(test, physr_list_len(l), s->len);
	KUNIT_EXPECT_EQ(test, physr_list_heap_bytes(l), s->heap);
	physr_for_each(l, &it, &r) {
		if (i == s->nr) {
			KUNIT_FAIL(test, "list has more ranges than before");
			return;
		}
		KUNIT_EXPECT_EQ_MSG(test, r.addr, s->r[i].addr, "range %llu",
				    (unsigned long long)i);
		KUNIT_EXPECT_EQ_MSG(test, r.len, s->r[i].len, "range %llu",
				    (unsigned long long)i);
		KUNIT_EXPECT_PTR_EQ_MSG(test, physr_iter_provider(&it), s->p[i],
					"range %llu", (unsigned long long)i);
		i++;
	}
	KUNIT_EXPECT_EQ(test, i, s->nr);
}

/* ---- P2P ------------------------------------------------------------------ */

/* The host bridge of the default board, on the P2P allowlist at boot. */
#define DMA_TEST_HB_VENDOR	0x5ca1
#define DMA_TEST_HB_DEVICE	0x0100

/*
 * GPU0's BAR @bar as P2P memory: its provider, valid until the case ends
 * (the case holds GPU0).  Tests use its first 16 MiB.
 */
static inline struct p2pdma_provider *dma_test_p2p_provider(struct kunit *test,
							    int bar)
{
	struct p2pdma_provider *p;

	p = pcim_p2pdma_provider(pci_test_dev(test, "gpu0"), bar);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p);
	return p;
}

static inline void dma_test_hb_trust(void *arg __always_unused)
{
	pci_p2pdma_allowlist_add(DMA_TEST_HB_VENDOR, DMA_TEST_HB_DEVICE);
}

/* Take the host bridge off the P2P allowlist until the case ends. */
static inline void dma_test_hb_untrust(struct kunit *test)
{
	KUNIT_ASSERT_EQ(test, pci_p2pdma_allowlist_remove(DMA_TEST_HB_VENDOR,
							  DMA_TEST_HB_DEVICE),
			0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, dma_test_hb_trust,
							NULL), 0);
}

static inline void dma_test_list_free(void *arg)
{
	physr_list_destroy(arg);
}

/* An empty range list, destroyed when the case ends. */
static inline struct physr_list *dma_test_list(struct kunit *test)
{
	struct physr_list *l = kunit_kzalloc(test, sizeof(*l), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, l);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, dma_test_list_free,
							l), 0);
	return l;
}

/* A page of RAM, then @len bytes of @p's memory @off into it: a list. */
static inline struct physr_list *dma_test_ram_p2p_list(struct kunit *test,
						       struct p2pdma_provider *p,
						       u64 off, u64 len,
						       u64 seed)
{
	struct physr_list *l = dma_test_list(test);
	struct dma_test_buf *b;

	b = dma_test_buf(test, SZ_4K, MM_LAYOUT_PAGE_4K, GFP_KERNEL, seed);
	KUNIT_ASSERT_EQ(test, physr_list_append(l,
			page_to_phys(b->mb->pages[0]), SZ_4K, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append_p2p(l, p, p->base + off, len,
						    GFP_KERNEL),
			0);
	return l;
}

/*
 * Append to @l a range that carries @p as its provider but lies at @addr,
 * outside @p's BAR (RAM, or past its end): what a buggy builder or a
 * corrupted list would hand the DMA API.  physr_list_append_p2p() refuses
 * it, so the provider is widened over @addr for the append and restored.
 */
static inline void dma_test_append_forged(struct kunit *test,
					  struct physr_list *l,
					  struct p2pdma_provider *p,
					  phys_addr_t addr, u64 len)
{
	struct p2pdma_provider saved = *p;
	int ret;

	KUNIT_ASSERT_EQ(test, physr_list_append_p2p(l, p, addr, len,
						    GFP_KERNEL), -EINVAL);
	p->base = addr;
	p->size = len;
	ret = physr_list_append_p2p(l, p, addr, len, GFP_KERNEL);
	*p = saved;
	KUNIT_ASSERT_EQ(test, ret, 0);
}

/* The device moves the bytes of a whole DMA list, segment by segment. */
static inline int dma_test_dev_io(struct device *dev, const struct dma_list *dl,
				  u8 *buf, bool write)
{
	struct dma_list_iter di;
	struct dma_range r;
	int ret;

	dma_list_for_each(dl, &di, &r) {
		ret = write ? sim_dma_write(dev->rid, r.addr, buf, r.len) :
			      sim_dma_read(dev->rid, r.addr, buf, r.len);
		if (ret)
			return ret;
		buf += r.len;
	}
	return 0;
}

/* What @dev reads through @dl must be the @len bytes at @want. */
static inline void dma_test_expect_dev_reads(struct kunit *test,
					     struct device *dev,
					     const struct dma_list *dl,
					     const u8 *want, u64 len)
{
	u8 *got = kunit_kzalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, got);
	KUNIT_EXPECT_EQ(test, dma_test_dev_io(dev, dl, got, false), 0);
	KUNIT_EXPECT_MEMEQ_MSG(test, got, want, len, "as %s reads it",
			       dev_name(dev));
	kunit_kfree(test, got);
}

/* @dev writes @seed's pattern over the bytes of @dl: returns a copy. */
static inline u8 *dma_test_dev_fill(struct kunit *test, struct device *dev,
				    const struct dma_list *dl, u8 seed)
{
	u64 len = dma_list_len(dl);
	u8 *p = dma_test_alloc(test, len);

	dma_test_fill(p, len, seed);
	KUNIT_EXPECT_EQ(test, dma_test_dev_io(dev, dl, p, true), 0);
	return p;
}

/* ---- one list, several devices -------------------------------------------- */

#define DMA_TEST_SHARED_MAX	3

/*
 * One list of scattered pages, written by the CPU (@src), mapped
 * DMA_TO_DEVICE by the @n devices @names at once; @snap is the list
 * before any mapping, which no mapping may change.
 */
struct dma_test_shared {
	const char * const *names;
	int n;
	struct dma_test_buf *b;
	struct dma_test_snap *snap;
	u8 *src;
	struct dma_map_state st[DMA_TEST_SHARED_MAX];
};

static inline void dma_test_shared_map(struct kunit *test,
				       struct dma_test_shared *sh, u64 len,
				       u64 layout_seed, u8 fill_seed)
{
	int i;

	KUNIT_ASSERT_LE(test, sh->n, DMA_TEST_SHARED_MAX);
	sh->b = dma_test_buf(test, len, MM_LAYOUT_PAGE_4K, GFP_KERNEL,
			     layout_seed);
	sh->snap = dma_test_snapshot(test, &sh->b->list);
	sh->src = dma_test_cpu_fill(test, &sh->b->list, fill_seed);
	for (i = 0; i < sh->n; i++) {
		struct device *dev = dma_test_dev(test, sh->names[i]);

		KUNIT_ASSERT_EQ(test, dma_map_physr(dev, &sh->b->list,
				DMA_TO_DEVICE, 0, &sh->st[i]), 0);
	}
}

/* Each device reads the CPU's bytes; mapping never wrote the list. */
static inline void dma_test_shared_expect_reads(struct kunit *test,
						const struct dma_test_shared *sh)
{
	u64 len = physr_list_len(&sh->b->list);
	int i;

	for (i = 0; i < sh->n; i++)
		dma_test_expect_dev_reads(test, dma_test_dev(test, sh->names[i]),
					  &sh->st[i].dma, sh->src, len);
	dma_test_expect_unchanged(test, &sh->b->list, sh->snap);
}

/* Unmap for each device, in the reverse order; the list is unchanged. */
static inline void dma_test_shared_unmap(struct kunit *test,
					 struct dma_test_shared *sh)
{
	int i;

	for (i = sh->n - 1; i >= 0; i--)
		dma_unmap_physr(dma_test_dev(test, sh->names[i]), &sh->st[i],
				DMA_TO_DEVICE, 0);
	dma_test_expect_unchanged(test, &sh->b->list, sh->snap);
}

/* ---- allocation failures -------------------------------------------------- */

/*
 * A map whose allocations kunit_fail_nth_check() fails one by one: of
 * @view if set, else of @list, for @dev in @dir.  @domain (NULL off the
 * IOMMU path) mapped @mapped bytes before; @snap, if set, is @list as
 * every round must leave it.
 */
struct dma_test_fail {
	struct device *dev;
	const struct physr_list *list;
	const struct physr_view *view;
	enum dma_data_direction dir;
	struct iommu_domain *domain;
	u64 mapped;
	const struct dma_test_snap *snap;
	struct dma_map_state st;
};

/* @c maps @list for @dev both ways, measured against @dev's domain now. */
static inline void dma_test_fail_init(struct dma_test_fail *c,
				      struct device *dev,
				      const struct physr_list *list)
{
	memset(c, 0, sizeof(*c));
	c->dev = dev;
	c->list = list;
	c->dir = DMA_BIDIRECTIONAL;
	if (dma_dev_path(dev) == DMA_PATH_IOMMU) {
		c->domain = iommu_get_domain_for_dev(dev);
		c->mapped = dma_test_mapped(c->domain);
	}
}

static inline int dma_test_fail_map(void *arg)
{
	struct dma_test_fail *c = arg;

	if (c->view)
		return dma_map_physr_view(c->dev, c->view, c->dir, 0, &c->st);
	return dma_map_physr(c->dev, c->list, c->dir, 0, &c->st);
}

/* After a failed round: nothing mapped, allocated or live; list intact. */
static inline bool dma_test_fail_check(struct kunit *test, void *arg)
{
	struct dma_test_fail *c = arg;

	dma_test_expect_unwound(test, c->dev, c->domain, c->mapped);
	if (c->snap)
		dma_test_expect_unchanged(test, c->list, c->snap);
	return !dma_map_state_mapped(&c->st);
}

/*
 * Warm the IOVA cache: map and unmap once.  A small freed block is kept,
 * not freed, which would read as a leak of the first failed round that
 * freed one; warm, every round takes the cached block and gives it back.
 */
static inline void dma_test_fail_warm(struct kunit *test,
				      struct dma_test_fail *c)
{
	KUNIT_ASSERT_EQ(test, dma_test_fail_map(c), 0);
	dma_unmap_physr(c->dev, &c->st, c->dir, 0);
}

/*
 * Fail each allocation of @c's map in turn, @check after each failed
 * round; the last round, which nothing failed, leaves @c->st mapped.
 */
static inline void dma_test_fail_nth(struct kunit *test,
				     struct dma_test_fail *c,
				     bool (*check)(struct kunit *test, void *arg))
{
	KUNIT_EXPECT_GT(test, kunit_fail_nth_check(test, dma_test_fail_map,
						   check, c), 0);
}

#endif /* _TESTS_DMA_TEST_H */
