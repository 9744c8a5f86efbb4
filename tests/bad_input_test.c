// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile input to the public entry points, row by row: docs/bad-input.md
 * is the table, this file walks it.  Each row is one parameterised case:
 * an entry point, one hostile input (NULL where the kernel would check,
 * zero and overflowing lengths, unaligned addresses, double and
 * mismatched unmap, sync after unmap, the wrong device, a foreign list),
 * what it must return, the sanitizer report it must cause and the WARNs.
 * A row's function makes the call and, where the call returns nothing,
 * checks what it did (the mapping gone, no translation left) and returns
 * 0 or -EBUSY.  The runner checks the rest: nothing leaked, no WARN the
 * row did not announce, no sanitizer report it did not (DMA suites).
 *
 * Two suites walk the same table on the default board with DMA default
 * domains (gpu1 and the NIC behind the IOMMU): bad_input with the DMA
 * sanitizer on, as a debug kernel runs, and bad_input_nodebug with it
 * off, where the columns "off" apply.
 */
#include <kunit/test.h>
#include <linux/mm_struct.h>
#include <linux/uaccess.h>

#include "tests/dma_test.h"
#include "tests/mmap_util.h"

#define NO_REPORT	(-1)

/**
 * struct bi_ctx - what every row may use, made fresh for each
 * @test: the case
 * @dev: gpu1, on the IOMMU path, reaching GPU0's BARs through the host
 *	bridge
 * @nic: the NIC, on the IOMMU path, reaching GPU0's BARs by bus address
 * @nodma: a device without a DMA mask (it cannot DMA at all)
 * @b: four scattered pages of RAM and their list
 * @p: @b's pages' physical addresses
 * @empty: an empty list
 * @st: a DMA mapping state
 * @iova: an IOVA API state
 */
struct bi_ctx {
	struct kunit *test;
	struct device *dev;
	struct device *nic;
	struct device nodma;
	struct dma_test_buf *b;
	phys_addr_t p[4];
	struct physr_list empty;
	struct dma_map_state st;
	struct dma_iova_state iova;
};

/**
 * struct bi_row - one row of docs/bad-input.md
 * @entry: the entry point
 * @input: the hostile input
 * @run: makes the call; returns what the entry point returned (a bool
 *	as 0 or 1), or for one that returns nothing 0 if it did what the
 *	table says and -EBUSY if not
 * @ret: what @run must return
 * @report: the sanitizer report (enum dma_debug_kind) the call causes
 *	with the sanitizer on, or NO_REPORT
 * @warn_on: WARNs with the sanitizer on
 * @warn_off: WARNs with it off
 */
struct bi_row {
	const char *entry;
	const char *input;
	int (*run)(struct bi_ctx *c);
	int ret;
	int report;
	unsigned int warn_on;
	unsigned int warn_off;
};

/* ---- helpers ------------------------------------------------------------- */

static void bi_map(struct bi_ctx *c)
{
	KUNIT_ASSERT_EQ(c->test, dma_map_physr(c->dev, &c->b->list,
					       DMA_TO_DEVICE, 0, &c->st), 0);
}

/* The mapping in @c->st is gone, with its IOVA: 0, else -EBUSY. */
static int bi_unmapped(struct bi_ctx *c)
{
	struct iommu_domain *d = iommu_get_default_domain(c->dev);

	if (dma_map_state_mapped(&c->st) || iova_allocated_bytes(&d->iovad))
		return -EBUSY;
	return 0;
}

static void bi_iova(struct bi_ctx *c, u64 size)
{
	KUNIT_ASSERT_TRUE(c->test, dma_iova_try_alloc(c->dev, &c->iova, c->p[0],
						      size));
}

static void bi_link(struct bi_ctx *c, size_t offset, int page)
{
	KUNIT_ASSERT_EQ(c->test, dma_iova_link(c->dev, &c->iova, c->p[page],
					       offset, SZ_4K, DMA_TO_DEVICE, 0),
			0);
}

/* Nothing of the IOVA @addr is translated any more: 0, else -EBUSY. */
static int bi_untranslated(struct bi_ctx *c, dma_addr_t addr, u64 size)
{
	struct iommu_domain *d = iommu_get_default_domain(c->dev);
	u64 off;

	for (off = 0; off < size; off += SZ_4K)
		if (iommu_iova_to_phys(d, addr + off))
			return -EBUSY;
	return dma_use_iova(&c->iova) ? -EBUSY : 0;
}

/* A list whose inner boundary is inside a page: 2 KiB, then a page. */
static struct physr_list *bi_unaligned_list(struct bi_ctx *c)
{
	struct physr_list *l = dma_test_list(c->test);

	KUNIT_ASSERT_EQ(c->test, physr_list_append(l, c->p[0], SZ_2K,
						   GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(c->test, physr_list_append(l, c->p[1], SZ_4K,
						   GFP_KERNEL), 0);
	return l;
}

static struct physr_list *bi_forged_list(struct bi_ctx *c)
{
	struct physr_list *l = dma_test_list(c->test);

	dma_test_append_forged(c->test, l, dma_test_p2p_provider(c->test, 2),
			       c->p[0], SZ_4K);
	return l;
}

static struct iommu_domain *bi_domain(struct bi_ctx *c)
{
	struct iommu_domain *d = iommu_domain_alloc();

	KUNIT_ASSERT_NOT_ERR_OR_NULL(c->test, d);
	return d;
}

/* ---- dma_map_physr(), dma_map_physr_view(), physr_list_slice() ----------- */

static int bi_map_null_dev(struct bi_ctx *c)
{
	return dma_map_physr(NULL, &c->b->list, DMA_TO_DEVICE, 0, &c->st);
}

static int bi_map_null_list(struct bi_ctx *c)
{
	return dma_map_physr(c->dev, NULL, DMA_TO_DEVICE, 0, &c->st);
}

static int bi_map_null_state(struct bi_ctx *c)
{
	return dma_map_physr(c->dev, &c->b->list, DMA_TO_DEVICE, 0, NULL);
}

static int bi_map_empty(struct bi_ctx *c)
{
	return dma_map_physr(c->dev, &c->empty, DMA_TO_DEVICE, 0, &c->st);
}

static int bi_map_dir_none(struct bi_ctx *c)
{
	return dma_map_physr(c->dev, &c->b->list, DMA_NONE, 0, &c->st);
}

static int bi_map_dir_bad(struct bi_ctx *c)
{
	return dma_map_physr(c->dev, &c->b->list, 7, 0, &c->st);
}

static int bi_map_attrs(struct bi_ctx *c)
{
	return dma_map_physr(c->dev, &c->b->list, DMA_TO_DEVICE, 1UL << 2,
			     &c->st);
}

static int bi_map_nodma(struct bi_ctx *c)
{
	return dma_map_physr(&c->nodma, &c->b->list, DMA_TO_DEVICE, 0, &c->st);
}

static int bi_map_forged(struct bi_ctx *c)
{
	return dma_map_physr(c->nic, bi_forged_list(c), DMA_TO_DEVICE, 0,
			     &c->st);
}

static int bi_map_garbage_state(struct bi_ctx *c)
{
	int ret;

	memset(&c->st, 0x5a, sizeof(c->st));
	ret = dma_map_physr(c->dev, NULL, DMA_TO_DEVICE, 0, &c->st);
	return ret == -EINVAL && !dma_map_state_mapped(&c->st) ? ret : -EBUSY;
}

static int bi_view_null(struct bi_ctx *c)
{
	return dma_map_physr_view(c->dev, NULL, DMA_TO_DEVICE, 0, &c->st);
}

static int bi_slice_zero(struct bi_ctx *c)
{
	struct physr_view v;

	return physr_list_slice(&c->b->list, 0, 0, &v);
}

static int bi_slice_overflow(struct bi_ctx *c)
{
	struct physr_view v;

	return physr_list_slice(&c->b->list, SZ_4K, U64_MAX, &v);
}

static int bi_slice_beyond(struct bi_ctx *c)
{
	struct physr_view v;

	return physr_list_slice(&c->b->list, SZ_4K, 4 * SZ_4K, &v);
}

/* ---- dma_unmap_physr() --------------------------------------------------- */

static int bi_unmap_null_state(struct bi_ctx *c)
{
	dma_unmap_physr(c->dev, NULL, DMA_TO_DEVICE, 0);
	return 0;
}

static int bi_unmap_never_mapped(struct bi_ctx *c)
{
	dma_unmap_physr(c->dev, &c->st, DMA_TO_DEVICE, 0);
	return bi_unmapped(c);
}

static int bi_unmap_twice(struct bi_ctx *c)
{
	bi_map(c);
	dma_unmap_physr(c->dev, &c->st, DMA_TO_DEVICE, 0);
	dma_unmap_physr(c->dev, &c->st, DMA_TO_DEVICE, 0);
	return bi_unmapped(c);
}

static int bi_unmap_wrong_dev(struct bi_ctx *c)
{
	bi_map(c);
	dma_unmap_physr(c->nic, &c->st, DMA_TO_DEVICE, 0);
	return bi_unmapped(c);
}

static int bi_unmap_wrong_dir(struct bi_ctx *c)
{
	bi_map(c);
	dma_unmap_physr(c->dev, &c->st, DMA_FROM_DEVICE, 0);
	return bi_unmapped(c);
}

static int bi_unmap_dir_none(struct bi_ctx *c)
{
	bi_map(c);
	dma_unmap_physr(c->dev, &c->st, DMA_NONE, 0);
	return bi_unmapped(c);
}

static int bi_unmap_moved(struct bi_ctx *c)
{
	struct dma_map_state *moved = dma_test_alloc(c->test, sizeof(*moved));

	bi_map(c);
	*moved = c->st;
	memset(&c->st, 0, sizeof(c->st));
	dma_unmap_physr(c->dev, moved, DMA_TO_DEVICE, 0);
	c->st = *moved;
	return bi_unmapped(c);
}

/* ---- dma_sync_physr_*() -------------------------------------------------- */

static int bi_sync_after_unmap(struct bi_ctx *c)
{
	bi_map(c);
	dma_unmap_physr(c->dev, &c->st, DMA_TO_DEVICE, 0);
	dma_sync_physr_for_cpu(c->dev, &c->st, DMA_TO_DEVICE);
	return bi_unmapped(c);
}

static int bi_sync_null_state(struct bi_ctx *c)
{
	dma_sync_physr_for_device(c->dev, NULL, DMA_TO_DEVICE);
	return 0;
}

/* Map, sync part of the mapping for the CPU as given, unmap. */
static int bi_sync_then_unmap(struct bi_ctx *c, struct device *dev,
			      u64 offset, u64 len, enum dma_data_direction dir)
{
	bi_map(c);
	dma_sync_physr_range_for_cpu(dev, &c->st, offset, len, dir);
	dma_unmap_physr(c->dev, &c->st, DMA_TO_DEVICE, 0);
	return bi_unmapped(c);
}

static int bi_sync_beyond(struct bi_ctx *c)
{
	return bi_sync_then_unmap(c, c->dev, 4 * SZ_4K, SZ_4K, DMA_TO_DEVICE);
}

static int bi_sync_overflow(struct bi_ctx *c)
{
	return bi_sync_then_unmap(c, c->dev, SZ_4K, U64_MAX - 1,
				  DMA_TO_DEVICE);
}

static int bi_sync_dir_none(struct bi_ctx *c)
{
	return bi_sync_then_unmap(c, c->dev, 0, SZ_4K, DMA_NONE);
}

static int bi_sync_wrong_dir(struct bi_ctx *c)
{
	return bi_sync_then_unmap(c, c->dev, 0, SZ_4K, DMA_FROM_DEVICE);
}

static int bi_sync_wrong_dev(struct bi_ctx *c)
{
	return bi_sync_then_unmap(c, c->nic, 0, SZ_4K, DMA_TO_DEVICE);
}

/* ---- the IOVA API -------------------------------------------------------- */

static int bi_try_alloc_null_state(struct bi_ctx *c)
{
	return dma_iova_try_alloc(c->dev, NULL, c->p[0], SZ_4K);
}

static int bi_try_alloc_null_dev(struct bi_ctx *c)
{
	return dma_iova_try_alloc(NULL, &c->iova, c->p[0], SZ_4K);
}

static int bi_try_alloc_zero(struct bi_ctx *c)
{
	return dma_iova_try_alloc(c->dev, &c->iova, c->p[0], 0);
}

static int bi_try_alloc_overflow(struct bi_ctx *c)
{
	return dma_iova_try_alloc(c->dev, &c->iova, c->p[0] + 1, SIZE_MAX);
}

static int bi_try_alloc_nodma(struct bi_ctx *c)
{
	return dma_iova_try_alloc(&c->nodma, &c->iova, c->p[0], SZ_4K);
}

/* A link as given into a fresh 4-page IOVA; then destroy. */
static int bi_link_then_free(struct bi_ctx *c, struct device *dev,
			     phys_addr_t phys, size_t offset, size_t size,
			     enum dma_data_direction dir, unsigned long attrs)
{
	int ret;

	bi_iova(c, 4 * SZ_4K);
	ret = dma_iova_link(dev, &c->iova, phys, offset, size, dir, attrs);
	dma_iova_destroy(c->dev, &c->iova, ret ? 0 : size, DMA_TO_DEVICE, 0);
	return ret;
}

static int bi_link_null_dev(struct bi_ctx *c)
{
	return bi_link_then_free(c, NULL, c->p[0], 0, SZ_4K, DMA_TO_DEVICE, 0);
}

static int bi_link_null_state(struct bi_ctx *c)
{
	return dma_iova_link(c->dev, NULL, c->p[0], 0, SZ_4K, DMA_TO_DEVICE,
			     0);
}

static int bi_link_no_iova(struct bi_ctx *c)
{
	return dma_iova_link(c->dev, &c->iova, c->p[0], 0, SZ_4K,
			     DMA_TO_DEVICE, 0);
}

static int bi_link_zero(struct bi_ctx *c)
{
	return bi_link_then_free(c, c->dev, c->p[0], 0, 0, DMA_TO_DEVICE, 0);
}

static int bi_link_overflow(struct bi_ctx *c)
{
	return bi_link_then_free(c, c->dev, c->p[0], SZ_4K, SIZE_MAX,
				 DMA_TO_DEVICE, 0);
}

static int bi_link_beyond(struct bi_ctx *c)
{
	return bi_link_then_free(c, c->dev, c->p[0], 3 * SZ_4K, 2 * SZ_4K,
				 DMA_TO_DEVICE, 0);
}

static int bi_link_unaligned(struct bi_ctx *c)
{
	return bi_link_then_free(c, c->dev, c->p[0] + 8, SZ_4K, 64,
				 DMA_TO_DEVICE, 0);
}

static int bi_link_dir_none(struct bi_ctx *c)
{
	return bi_link_then_free(c, c->dev, c->p[0], 0, SZ_4K, DMA_NONE, 0);
}

static int bi_link_attrs(struct bi_ctx *c)
{
	return bi_link_then_free(c, c->dev, c->p[0], 0, SZ_4K, DMA_TO_DEVICE,
				 1UL << 2);
}

static int bi_link_wrong_dev(struct bi_ctx *c)
{
	return bi_link_then_free(c, c->nic, c->p[0], 0, SZ_4K, DMA_TO_DEVICE,
				 0);
}

static int bi_link_twice(struct bi_ctx *c)
{
	int ret;

	bi_iova(c, 4 * SZ_4K);
	bi_link(c, 0, 0);
	ret = dma_iova_link(c->dev, &c->iova, c->p[1], 0, SZ_4K,
			    DMA_TO_DEVICE, 0);
	dma_iova_destroy(c->dev, &c->iova, SZ_4K, DMA_TO_DEVICE, 0);
	return ret;
}

/* dma_iova_link_physr() of @l into a fresh IOVA of @dev; then free. */
static int bi_link_physr(struct bi_ctx *c, struct device *dev,
			 const struct physr_list *l)
{
	struct physr_view v;
	int ret;

	KUNIT_ASSERT_EQ(c->test, physr_list_slice(l, 0, physr_list_len(l), &v),
			0);
	KUNIT_ASSERT_TRUE(c->test, dma_iova_try_alloc(dev, &c->iova, c->p[0],
						      4 * SZ_4K));
	ret = dma_iova_link_physr(dev, &c->iova, &v, 0, DMA_TO_DEVICE, 0);
	dma_iova_free(dev, &c->iova);
	return ret;
}

static int bi_link_physr_null_view(struct bi_ctx *c)
{
	int ret;

	bi_iova(c, SZ_4K);
	ret = dma_iova_link_physr(c->dev, &c->iova, NULL, 0, DMA_TO_DEVICE, 0);
	dma_iova_free(c->dev, &c->iova);
	return ret;
}

static int bi_link_physr_unaligned(struct bi_ctx *c)
{
	return bi_link_physr(c, c->dev, bi_unaligned_list(c));
}

static int bi_link_physr_bus_addr(struct bi_ctx *c)
{
	struct p2pdma_provider *p = dma_test_p2p_provider(c->test, 2);
	struct physr_list *l = dma_test_list(c->test);

	KUNIT_ASSERT_EQ(c->test, physr_list_append_p2p(l, p, p->base, SZ_4K,
						       GFP_KERNEL), 0);
	return bi_link_physr(c, c->nic, l);
}

static int bi_link_physr_forged(struct bi_ctx *c)
{
	return bi_link_physr(c, c->dev, bi_forged_list(c));
}

/* dma_iova_sync() over [@offset, @offset + @size) of a 4-page IOVA. */
static int bi_iova_sync(struct bi_ctx *c, size_t offset, size_t size)
{
	int ret;

	bi_iova(c, 4 * SZ_4K);
	ret = dma_iova_sync(c->dev, &c->iova, offset, size);
	dma_iova_free(c->dev, &c->iova);
	return ret;
}

static int bi_iova_sync_zero(struct bi_ctx *c)
{
	return bi_iova_sync(c, 0, 0);
}

static int bi_iova_sync_beyond(struct bi_ctx *c)
{
	return bi_iova_sync(c, 2 * SZ_4K, 3 * SZ_4K);
}

static int bi_iova_sync_overflow(struct bi_ctx *c)
{
	return bi_iova_sync(c, SZ_4K, SIZE_MAX);
}

static int bi_iova_sync_after_free(struct bi_ctx *c)
{
	bi_iova(c, SZ_4K);
	dma_iova_free(c->dev, &c->iova);
	return dma_iova_sync(c->dev, &c->iova, 0, SZ_4K);
}

static int bi_unlink_unlinked(struct bi_ctx *c)
{
	dma_addr_t addr;

	bi_iova(c, 4 * SZ_4K);
	addr = c->iova.addr;
	dma_iova_unlink(c->dev, &c->iova, SZ_4K, SZ_4K, DMA_TO_DEVICE, 0);
	dma_iova_free(c->dev, &c->iova);
	return bi_untranslated(c, addr, 4 * SZ_4K);
}

static int bi_unlink_part(struct bi_ctx *c)
{
	dma_addr_t addr;

	bi_iova(c, 4 * SZ_4K);
	addr = c->iova.addr;
	bi_link(c, 0, 0);
	dma_iova_unlink(c->dev, &c->iova, 0, SZ_2K, DMA_TO_DEVICE, 0);
	dma_iova_destroy(c->dev, &c->iova, SZ_4K, DMA_TO_DEVICE, 0);
	return bi_untranslated(c, addr, 4 * SZ_4K);
}

static int bi_unlink_zero(struct bi_ctx *c)
{
	dma_addr_t addr;

	bi_iova(c, 4 * SZ_4K);
	addr = c->iova.addr;
	bi_link(c, 0, 0);
	dma_iova_unlink(c->dev, &c->iova, 0, 0, DMA_TO_DEVICE, 0);
	dma_iova_destroy(c->dev, &c->iova, SZ_4K, DMA_TO_DEVICE, 0);
	return bi_untranslated(c, addr, 4 * SZ_4K);
}

static int bi_unlink_after_free(struct bi_ctx *c)
{
	bi_iova(c, SZ_4K);
	dma_iova_free(c->dev, &c->iova);
	dma_iova_unlink(c->dev, &c->iova, 0, SZ_4K, DMA_TO_DEVICE, 0);
	return 0;
}

static int bi_free_null_state(struct bi_ctx *c)
{
	dma_iova_free(c->dev, NULL);
	return 0;
}

static int bi_free_twice(struct bi_ctx *c)
{
	bi_iova(c, SZ_4K);
	dma_iova_free(c->dev, &c->iova);
	dma_iova_free(c->dev, &c->iova);
	return dma_use_iova(&c->iova) ? -EBUSY : 0;
}

static int bi_free_linked(struct bi_ctx *c)
{
	dma_addr_t addr;

	bi_iova(c, 4 * SZ_4K);
	addr = c->iova.addr;
	bi_link(c, 0, 0);
	bi_link(c, 2 * SZ_4K, 2);
	dma_iova_free(c->dev, &c->iova);
	return bi_untranslated(c, addr, 4 * SZ_4K);
}

static int bi_destroy_short(struct bi_ctx *c)
{
	dma_addr_t addr;

	bi_iova(c, 4 * SZ_4K);
	addr = c->iova.addr;
	bi_link(c, 0, 0);
	bi_link(c, SZ_4K, 1);
	dma_iova_destroy(c->dev, &c->iova, SZ_4K, DMA_TO_DEVICE, 0);
	return bi_untranslated(c, addr, 4 * SZ_4K);
}

static int bi_destroy_hole(struct bi_ctx *c)
{
	dma_addr_t addr;

	bi_iova(c, 4 * SZ_4K);
	addr = c->iova.addr;
	bi_link(c, 0, 0);
	bi_link(c, 2 * SZ_4K, 2);
	dma_iova_destroy(c->dev, &c->iova, 2 * SZ_4K, DMA_TO_DEVICE, 0);
	return bi_untranslated(c, addr, 4 * SZ_4K);
}

static int bi_destroy_too_long(struct bi_ctx *c)
{
	dma_addr_t addr;

	bi_iova(c, SZ_4K);
	addr = c->iova.addr;
	bi_link(c, 0, 0);
	dma_iova_destroy(c->dev, &c->iova, SIZE_MAX, DMA_TO_DEVICE, 0);
	return bi_untranslated(c, addr, SZ_4K);
}

static int bi_destroy_no_iova(struct bi_ctx *c)
{
	dma_iova_destroy(c->dev, &c->iova, SZ_4K, DMA_TO_DEVICE, 0);
	return 0;
}

/* ---- pin_user_physr(), unpin_user_physr() -------------------------------- */

/* pin_user_physr() of an anonymous page's mm; nothing may stay pinned. */
static int bi_pin(struct bi_ctx *c, vm_flags_t prot, long off,
		  unsigned long len, unsigned int flags)
{
	struct mm_struct *mm = mm_user_alloc(c->test);
	struct physr_list l = PHYSR_LIST_INIT;
	unsigned long a = mm_user_map(c->test, mm, 0, SZ_4K, prot,
				      VM_KIND_ANON);
	int ret;

	ret = pin_user_physr(mm, a + off, len, flags, &l);
	if (!ret)
		unpin_user_physr(&l, false);
	return physr_list_empty(&l) ? ret : -EBUSY;
}

static int bi_pin_zero(struct bi_ctx *c)
{
	return bi_pin(c, VM_READ | VM_WRITE, 0, 0, 0);
}

static int bi_pin_overflow(struct bi_ctx *c)
{
	return bi_pin(c, VM_READ | VM_WRITE, 0, ULONG_MAX, 0);
}

static int bi_pin_beyond_task(struct bi_ctx *c)
{
	struct mm_struct *mm = mm_user_alloc(c->test);
	struct physr_list l = PHYSR_LIST_INIT;

	return pin_user_physr(mm, TASK_SIZE - SZ_4K, 2 * SZ_4K, 0, &l);
}

static int bi_pin_foll_pin(struct bi_ctx *c)
{
	return bi_pin(c, VM_READ | VM_WRITE, 0, SZ_4K, FOLL_PIN);
}

static int bi_pin_unknown_flag(struct bi_ctx *c)
{
	return bi_pin(c, VM_READ | VM_WRITE, 0, SZ_4K, 0x2);
}

static int bi_pin_unmapped(struct bi_ctx *c)
{
	return bi_pin(c, VM_READ | VM_WRITE, SZ_4K, SZ_4K, 0);
}

static int bi_pin_read_only(struct bi_ctx *c)
{
	return bi_pin(c, VM_READ, 0, SZ_4K, FOLL_WRITE);
}

/*
 * Unpin of pins that do not exist (@twice: a list unpinned after its
 * pins were dropped; else a list never pinned): refused, counted, the
 * page keeps its one reference.  The first underflow since boot WARNs.
 */
static int bi_unpin_foreign(struct bi_ctx *c, bool twice)
{
	struct mm_struct *mm = mm_user_alloc(c->test);
	struct physr_list l = PHYSR_LIST_INIT, pinned = PHYSR_LIST_INIT;
	unsigned long a = mm_user_map(c->test, mm, 0, SZ_4K,
				      VM_READ | VM_WRITE, VM_KIND_ANON);
	unsigned long n0;
	struct folio *f;
	u8 v = 1;

	KUNIT_ASSERT_EQ(c->test, copy_to_user(mm, a, &v, 1), 0UL);
	f = mm_user_folio(mm, a);
	if (twice)
		KUNIT_ASSERT_EQ(c->test, pin_user_physr(mm, a, SZ_4K, 0,
							&pinned), 0);
	KUNIT_ASSERT_EQ(c->test, physr_list_append(&l, folio_phys(f), SZ_4K,
						   GFP_KERNEL), 0);
	n0 = folio_ref_underflows();
	kunit_expect_warn(c->test, n0 == 0);
	unpin_user_physr(&l, false);
	if (twice)
		unpin_user_physr(&pinned, false);
	if (folio_ref_underflows() != n0 + 1 || folio_ref_count(f) != 1)
		return -EBUSY;
	return 0;
}

static int bi_unpin_never_pinned(struct bi_ctx *c)
{
	return bi_unpin_foreign(c, false);
}

static int bi_unpin_twice(struct bi_ctx *c)
{
	return bi_unpin_foreign(c, true);
}

static int bi_unpin_empty(struct bi_ctx *c)
{
	unpin_user_physr(&c->empty, true);
	return 0;
}

/* ---- iommu_map_physr(), iommu_unmap_physr() ------------------------------ */

/* iommu_map_physr() of @l into a fresh UNMANAGED domain, then unmap. */
static int bi_iommu_map(struct bi_ctx *c, bool null_domain,
			const struct physr_list *l, dma_addr_t iova, int prot)
{
	struct iommu_domain *d = bi_domain(c);
	int ret;

	ret = iommu_map_physr(null_domain ? NULL : d, iova, l, prot,
			      GFP_KERNEL);
	if (!ret)
		KUNIT_EXPECT_EQ(c->test, iommu_unmap_physr(d, iova, l), 0);
	iommu_domain_free(d);
	return ret;
}

static int bi_iommu_map_null_domain(struct bi_ctx *c)
{
	return bi_iommu_map(c, true, &c->b->list, 0, IOMMU_READ);
}

static int bi_iommu_map_empty(struct bi_ctx *c)
{
	return bi_iommu_map(c, false, &c->empty, 0, IOMMU_READ);
}

static int bi_iommu_map_unaligned(struct bi_ctx *c)
{
	return bi_iommu_map(c, false, &c->b->list, 0x800, IOMMU_READ);
}

static int bi_iommu_map_prot(struct bi_ctx *c)
{
	return bi_iommu_map(c, false, &c->b->list, 0, 0);
}

static int bi_iommu_map_aperture(struct bi_ctx *c)
{
	return bi_iommu_map(c, false, &c->b->list, U64_MAX & PAGE_MASK,
			    IOMMU_READ);
}

static int bi_iommu_map_inner(struct bi_ctx *c)
{
	return bi_iommu_map(c, false, bi_unaligned_list(c), 0, IOMMU_READ);
}

static int bi_iommu_map_twice(struct bi_ctx *c)
{
	struct iommu_domain *d = bi_domain(c);
	int ret;

	KUNIT_EXPECT_EQ(c->test, iommu_map_physr(d, 0, &c->b->list,
						 IOMMU_READ, GFP_KERNEL), 0);
	ret = iommu_map_physr(d, SZ_4K, &c->b->list, IOMMU_READ, GFP_KERNEL);
	KUNIT_EXPECT_EQ(c->test, iommu_unmap_physr(d, 0, &c->b->list), 0);
	iommu_domain_free(d);
	return ret;
}

/* iommu_unmap_physr() of @l at @iova, mapped @maps times at 0 before. */
static int bi_iommu_unmap(struct bi_ctx *c, const struct physr_list *l,
			  dma_addr_t iova, int maps)
{
	struct iommu_domain *d = bi_domain(c);
	int ret;

	if (maps)
		KUNIT_EXPECT_EQ(c->test, iommu_map_physr(d, 0, &c->b->list,
				IOMMU_READ, GFP_KERNEL), 0);
	while (maps-- > 0)
		KUNIT_EXPECT_EQ(c->test, iommu_unmap_physr(d, 0, &c->b->list),
				0);
	ret = iommu_unmap_physr(d, iova, l);
	iommu_domain_free(d);
	return ret;
}

static int bi_iommu_unmap_unmapped(struct bi_ctx *c)
{
	return bi_iommu_unmap(c, &c->b->list, 0, 0);
}

static int bi_iommu_unmap_twice(struct bi_ctx *c)
{
	return bi_iommu_unmap(c, &c->b->list, 0, 1);
}

static int bi_iommu_unmap_empty(struct bi_ctx *c)
{
	return bi_iommu_unmap(c, &c->empty, 0, 0);
}

static int bi_iommu_unmap_unaligned(struct bi_ctx *c)
{
	return bi_iommu_unmap(c, &c->b->list, 0x800, 0);
}

static int bi_iommu_unmap_null_domain(struct bi_ctx *c)
{
	return iommu_unmap_physr(NULL, 0, &c->b->list);
}

/* ---- range lists --------------------------------------------------------- */

static int bi_append(struct bi_ctx *c, phys_addr_t addr, u64 len)
{
	struct physr_list *l = dma_test_list(c->test);
	int ret = physr_list_append(l, addr, len, GFP_KERNEL);

	return ret || physr_list_empty(l) ? ret : -EBUSY;
}

static int bi_append_zero(struct bi_ctx *c)
{
	return bi_append(c, c->p[0], 0);
}

static int bi_append_wrap(struct bi_ctx *c)
{
	return bi_append(c, U64_MAX & PAGE_MASK, 2 * SZ_4K);
}

static int bi_append_too_long(struct bi_ctx *c __always_unused)
{
	return bi_append(c, 0, PHYSR_MAX_LEN + 1);
}

static int bi_append_p2p_outside(struct bi_ctx *c)
{
	struct p2pdma_provider *p = dma_test_p2p_provider(c->test, 2);
	struct physr_list *l = dma_test_list(c->test);

	return physr_list_append_p2p(l, p, c->p[0], SZ_4K, GFP_KERNEL);
}

static int bi_append_p2p_straddle(struct bi_ctx *c)
{
	struct p2pdma_provider *p = dma_test_p2p_provider(c->test, 2);
	struct physr_list *l = dma_test_list(c->test);

	return physr_list_append_p2p(l, p, p->base + p->size - SZ_4K,
				     2 * SZ_4K, GFP_KERNEL);
}

/* physr_list_from_pages() of @c->b's pages with these arguments. */
static int bi_from_pages(struct bi_ctx *c, bool null_pages, bool hole,
			 unsigned long offset, u64 size)
{
	struct physr_list *l = dma_test_list(c->test);
	struct page *pages[4];
	int i, ret;

	for (i = 0; i < 4; i++)
		pages[i] = c->b->mb->pages[i];
	if (hole)
		pages[2] = NULL;
	ret = physr_list_from_pages(l, null_pages ? NULL : pages, 4, offset,
				    size, GFP_KERNEL);
	return ret || physr_list_empty(l) ? ret : -EBUSY;
}

static int bi_from_pages_null(struct bi_ctx *c)
{
	return bi_from_pages(c, true, false, 0, SZ_4K);
}

static int bi_from_pages_zero(struct bi_ctx *c)
{
	return bi_from_pages(c, false, false, 0, 0);
}

static int bi_from_pages_beyond(struct bi_ctx *c)
{
	return bi_from_pages(c, false, false, SZ_4K, 4 * SZ_4K);
}

static int bi_from_pages_overflow(struct bi_ctx *c)
{
	return bi_from_pages(c, false, false, SZ_4K, U64_MAX);
}

static int bi_from_pages_hole(struct bi_ctx *c)
{
	return bi_from_pages(c, false, true, 0, 4 * SZ_4K);
}

static int bi_destroy_twice(struct bi_ctx *c)
{
	struct physr_list *l = dma_test_list(c->test);

	KUNIT_ASSERT_EQ(c->test, physr_list_append(l, c->p[0], SZ_4K,
						   GFP_KERNEL), 0);
	physr_list_destroy(l);
	physr_list_destroy(l);
	return physr_list_empty(l) ? 0 : -EBUSY;
}

/* ---- the table ----------------------------------------------------------- */

#define ROW(_entry, _input, _run, _ret, _report, _won, _woff)		\
	{ .entry = _entry, .input = _input, .run = _run, .ret = _ret,	\
	  .report = _report, .warn_on = _won, .warn_off = _woff }

#define NM	DMA_DEBUG_NOT_MAPPED
#define MM	DMA_DEBUG_MISMATCH
#define P2P	DMA_DEBUG_P2P_RANGE

static const struct bi_row bi_rows[] = {
	ROW("dma_map_physr", "NULL device",
	    bi_map_null_dev, -EINVAL, NO_REPORT, 0, 0),
	ROW("dma_map_physr", "NULL list",
	    bi_map_null_list, -EINVAL, NO_REPORT, 0, 0),
	ROW("dma_map_physr", "NULL state",
	    bi_map_null_state, -EINVAL, NO_REPORT, 0, 0),
	ROW("dma_map_physr", "garbage state, bad argument",
	    bi_map_garbage_state, -EINVAL, NO_REPORT, 0, 0),
	ROW("dma_map_physr", "empty list",
	    bi_map_empty, -EINVAL, NO_REPORT, 0, 0),
	ROW("dma_map_physr", "DMA_NONE",
	    bi_map_dir_none, -EINVAL, NO_REPORT, 0, 0),
	ROW("dma_map_physr", "direction out of range",
	    bi_map_dir_bad, -EINVAL, NO_REPORT, 0, 0),
	ROW("dma_map_physr", "unknown attribute",
	    bi_map_attrs, -EINVAL, NO_REPORT, 0, 0),
	ROW("dma_map_physr", "device without DMA mask",
	    bi_map_nodma, -EIO, NO_REPORT, 0, 0),
	ROW("dma_map_physr", "P2P range outside its provider",
	    bi_map_forged, -EINVAL, P2P, 0, 0),
	ROW("dma_map_physr_view", "NULL view",
	    bi_view_null, -EINVAL, NO_REPORT, 0, 0),
	ROW("physr_list_slice", "zero length",
	    bi_slice_zero, -EINVAL, NO_REPORT, 0, 0),
	ROW("physr_list_slice", "offset + length overflows",
	    bi_slice_overflow, -EINVAL, NO_REPORT, 0, 0),
	ROW("physr_list_slice", "beyond the list",
	    bi_slice_beyond, -EINVAL, NO_REPORT, 0, 0),

	ROW("dma_unmap_physr", "NULL state", bi_unmap_null_state, 0, NM, 0, 0),
	ROW("dma_unmap_physr", "never mapped",
	    bi_unmap_never_mapped, 0, NM, 0, 1),
	ROW("dma_unmap_physr", "twice", bi_unmap_twice, 0, NM, 0, 1),
	ROW("dma_unmap_physr", "wrong device", bi_unmap_wrong_dev, 0, MM, 0, 0),
	ROW("dma_unmap_physr", "wrong direction",
	    bi_unmap_wrong_dir, 0, MM, 0, 0),
	ROW("dma_unmap_physr", "DMA_NONE", bi_unmap_dir_none, 0, MM, 0, 0),
	ROW("dma_unmap_physr", "state moved before unmap",
	    bi_unmap_moved, 0, NO_REPORT, 0, 0),

	ROW("dma_sync_physr_for_cpu", "after unmap",
	    bi_sync_after_unmap, 0, NM, 0, 1),
	ROW("dma_sync_physr_for_device", "NULL state",
	    bi_sync_null_state, 0, NM, 0, 0),
	ROW("dma_sync_physr_range_for_cpu", "offset at the end",
	    bi_sync_beyond, 0, MM, 0, 0),
	ROW("dma_sync_physr_range_for_cpu", "offset + length overflows",
	    bi_sync_overflow, 0, MM, 0, 0),
	ROW("dma_sync_physr_range_for_cpu", "DMA_NONE",
	    bi_sync_dir_none, 0, MM, 0, 0),
	ROW("dma_sync_physr_range_for_cpu", "wrong direction",
	    bi_sync_wrong_dir, 0, MM, 0, 0),
	ROW("dma_sync_physr_range_for_cpu", "wrong device",
	    bi_sync_wrong_dev, 0, MM, 0, 0),

	ROW("dma_iova_try_alloc", "NULL state",
	    bi_try_alloc_null_state, false, NO_REPORT, 0, 0),
	ROW("dma_iova_try_alloc", "NULL device",
	    bi_try_alloc_null_dev, false, NO_REPORT, 0, 0),
	ROW("dma_iova_try_alloc", "zero size",
	    bi_try_alloc_zero, false, NO_REPORT, 0, 0),
	ROW("dma_iova_try_alloc", "size overflows",
	    bi_try_alloc_overflow, false, NO_REPORT, 0, 0),
	ROW("dma_iova_try_alloc", "device without DMA mask",
	    bi_try_alloc_nodma, false, NO_REPORT, 0, 0),
	ROW("dma_iova_link", "NULL device",
	    bi_link_null_dev, -EINVAL, NO_REPORT, 0, 0),
	ROW("dma_iova_link", "NULL state",
	    bi_link_null_state, -EINVAL, NO_REPORT, 0, 0),
	ROW("dma_iova_link", "state without IOVA",
	    bi_link_no_iova, -EINVAL, NO_REPORT, 0, 0),
	ROW("dma_iova_link", "zero size",
	    bi_link_zero, -EINVAL, NO_REPORT, 0, 0),
	ROW("dma_iova_link", "offset + size overflows",
	    bi_link_overflow, -EINVAL, NO_REPORT, 0, 0),
	ROW("dma_iova_link", "beyond the allocation",
	    bi_link_beyond, -EINVAL, NO_REPORT, 0, 0),
	ROW("dma_iova_link", "unaligned at a non-zero offset",
	    bi_link_unaligned, -EIO, NO_REPORT, 0, 0),
	ROW("dma_iova_link", "DMA_NONE",
	    bi_link_dir_none, -EINVAL, NO_REPORT, 0, 0),
	ROW("dma_iova_link", "unknown attribute",
	    bi_link_attrs, -EINVAL, NO_REPORT, 0, 0),
	ROW("dma_iova_link", "wrong device", bi_link_wrong_dev, 0, MM, 0, 0),
	ROW("dma_iova_link", "twice at one offset",
	    bi_link_twice, -EEXIST, NO_REPORT, 0, 0),
	ROW("dma_iova_link_physr", "NULL view",
	    bi_link_physr_null_view, -EINVAL, NO_REPORT, 0, 0),
	ROW("dma_iova_link_physr", "inner boundary inside a page",
	    bi_link_physr_unaligned, -EINVAL, NO_REPORT, 0, 0),
	ROW("dma_iova_link_physr", "P2P reached by bus address",
	    bi_link_physr_bus_addr, -EINVAL, NO_REPORT, 0, 0),
	ROW("dma_iova_link_physr", "P2P range outside its provider",
	    bi_link_physr_forged, -EINVAL, P2P, 0, 0),
	ROW("dma_iova_sync", "zero size",
	    bi_iova_sync_zero, -EINVAL, NO_REPORT, 0, 0),
	ROW("dma_iova_sync", "beyond the allocation",
	    bi_iova_sync_beyond, -EINVAL, NO_REPORT, 0, 0),
	ROW("dma_iova_sync", "offset + size overflows",
	    bi_iova_sync_overflow, -EINVAL, NO_REPORT, 0, 0),
	ROW("dma_iova_sync", "after free",
	    bi_iova_sync_after_free, -EINVAL, NO_REPORT, 0, 0),
	ROW("dma_iova_unlink", "nothing linked there",
	    bi_unlink_unlinked, 0, NM, 0, 1),
	ROW("dma_iova_unlink", "part of a link", bi_unlink_part, 0, MM, 0, 1),
	ROW("dma_iova_unlink", "zero size", bi_unlink_zero, 0, NO_REPORT, 1, 1),
	ROW("dma_iova_unlink", "after free",
	    bi_unlink_after_free, 0, NO_REPORT, 1, 1),
	ROW("dma_iova_free", "NULL state",
	    bi_free_null_state, 0, NO_REPORT, 0, 0),
	ROW("dma_iova_free", "twice", bi_free_twice, 0, NO_REPORT, 0, 0),
	ROW("dma_iova_free", "links still live", bi_free_linked, 0, MM, 1, 1),
	ROW("dma_iova_destroy", "mapped_len short of the links",
	    bi_destroy_short, 0, MM, 1, 1),
	ROW("dma_iova_destroy", "mapped_len over a hole",
	    bi_destroy_hole, 0, MM, 1, 1),
	ROW("dma_iova_destroy", "mapped_len beyond the allocation",
	    bi_destroy_too_long, 0, MM, 0, 0),
	ROW("dma_iova_destroy", "state without IOVA",
	    bi_destroy_no_iova, 0, NO_REPORT, 0, 0),

	ROW("pin_user_physr", "zero length",
	    bi_pin_zero, -EINVAL, NO_REPORT, 0, 0),
	ROW("pin_user_physr", "start + length overflows",
	    bi_pin_overflow, -EINVAL, NO_REPORT, 0, 0),
	ROW("pin_user_physr", "beyond TASK_SIZE",
	    bi_pin_beyond_task, -EFAULT, NO_REPORT, 0, 0),
	ROW("pin_user_physr", "FOLL_PIN passed",
	    bi_pin_foll_pin, -EINVAL, NO_REPORT, 0, 0),
	ROW("pin_user_physr", "unknown flag",
	    bi_pin_unknown_flag, -EINVAL, NO_REPORT, 0, 0),
	ROW("pin_user_physr", "address not mapped",
	    bi_pin_unmapped, -EFAULT, NO_REPORT, 0, 0),
	ROW("pin_user_physr", "FOLL_WRITE of read-only memory",
	    bi_pin_read_only, -EFAULT, NO_REPORT, 0, 0),
	ROW("unpin_user_physr", "foreign list (never pinned)",
	    bi_unpin_never_pinned, 0, NO_REPORT, 0, 0),
	ROW("unpin_user_physr", "twice", bi_unpin_twice, 0, NO_REPORT, 0, 0),
	ROW("unpin_user_physr", "empty list",
	    bi_unpin_empty, 0, NO_REPORT, 0, 0),

	ROW("iommu_map_physr", "NULL domain",
	    bi_iommu_map_null_domain, -EINVAL, NO_REPORT, 0, 0),
	ROW("iommu_map_physr", "empty list",
	    bi_iommu_map_empty, -EINVAL, NO_REPORT, 0, 0),
	ROW("iommu_map_physr", "unaligned IOVA",
	    bi_iommu_map_unaligned, -EINVAL, NO_REPORT, 0, 0),
	ROW("iommu_map_physr", "no permission",
	    bi_iommu_map_prot, -EINVAL, NO_REPORT, 0, 0),
	ROW("iommu_map_physr", "IOVA + length overflows",
	    bi_iommu_map_aperture, -ERANGE, NO_REPORT, 0, 0),
	ROW("iommu_map_physr", "inner boundary inside a page",
	    bi_iommu_map_inner, -EINVAL, NO_REPORT, 0, 0),
	ROW("iommu_map_physr", "over a mapping",
	    bi_iommu_map_twice, -EEXIST, NO_REPORT, 0, 0),
	ROW("iommu_unmap_physr", "NULL domain",
	    bi_iommu_unmap_null_domain, -EINVAL, NO_REPORT, 0, 0),
	ROW("iommu_unmap_physr", "never mapped",
	    bi_iommu_unmap_unmapped, -ENOENT, NO_REPORT, 0, 0),
	ROW("iommu_unmap_physr", "twice",
	    bi_iommu_unmap_twice, -ENOENT, NO_REPORT, 0, 0),
	ROW("iommu_unmap_physr", "empty list",
	    bi_iommu_unmap_empty, -EINVAL, NO_REPORT, 0, 0),
	ROW("iommu_unmap_physr", "unaligned IOVA",
	    bi_iommu_unmap_unaligned, -EINVAL, NO_REPORT, 0, 0),

	ROW("physr_list_append", "zero length",
	    bi_append_zero, -EINVAL, NO_REPORT, 0, 0),
	ROW("physr_list_append", "address + length wraps",
	    bi_append_wrap, -EOVERFLOW, NO_REPORT, 0, 0),
	ROW("physr_list_append", "length over PHYSR_MAX_LEN",
	    bi_append_too_long, -EOVERFLOW, NO_REPORT, 0, 0),
	ROW("physr_list_append_p2p", "RAM as P2P",
	    bi_append_p2p_outside, -EINVAL, NO_REPORT, 0, 0),
	ROW("physr_list_append_p2p", "straddling the BAR's end",
	    bi_append_p2p_straddle, -EINVAL, NO_REPORT, 0, 0),
	ROW("physr_list_from_pages", "NULL pages",
	    bi_from_pages_null, -EINVAL, NO_REPORT, 0, 0),
	ROW("physr_list_from_pages", "zero size",
	    bi_from_pages_zero, -EINVAL, NO_REPORT, 0, 0),
	ROW("physr_list_from_pages", "beyond the pages",
	    bi_from_pages_beyond, -EINVAL, NO_REPORT, 0, 0),
	ROW("physr_list_from_pages", "offset + size overflows",
	    bi_from_pages_overflow, -EINVAL, NO_REPORT, 0, 0),
	ROW("physr_list_from_pages", "a NULL page inside",
	    bi_from_pages_hole, -EINVAL, NO_REPORT, 0, 0),
	ROW("physr_list_destroy", "twice",
	    bi_destroy_twice, 0, NO_REPORT, 0, 0),
};

static void bi_row_desc(const struct bi_row *row, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s: %s", row->entry,
		 row->input);
}
KUNIT_ARRAY_PARAM(bi_rows, bi_rows, bi_row_desc);

/* ---- the walk ------------------------------------------------------------ */

static void bi_walk(struct kunit *test)
{
	const struct bi_row *row = test->param_value;
	bool on = dma_debug_enabled();
	struct bi_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	int i, ret;

	KUNIT_ASSERT_NOT_NULL(test, c);
	c->test = test;
	c->dev = dma_test_dev(test, "gpu1");
	c->nic = dma_test_dev(test, "nic");
	KUNIT_ASSERT_EQ(test, dma_dev_path(c->dev), DMA_PATH_IOMMU);
	KUNIT_ASSERT_EQ(test, dma_dev_path(c->nic), DMA_PATH_IOMMU);
	c->b = dma_test_buf(test, 4 * SZ_4K, MM_LAYOUT_PAGE_4K, GFP_KERNEL, 90);
	for (i = 0; i < 4; i++)
		c->p[i] = page_to_phys(c->b->mb->pages[i]);
	physr_list_init(&c->empty);

	kunit_expect_warn(test, on ? row->warn_on : row->warn_off);
	ret = row->run(c);
	KUNIT_EXPECT_EQ_MSG(test, ret, row->ret, "%s: %s", row->entry,
			    row->input);
	if (on && row->report != NO_REPORT)
		dma_test_expect_reports(test, row->report, 1, NULL);
	else
		dma_test_expect_reports(test, DMA_DEBUG_NOT_MAPPED, 0, NULL);
}

static struct kunit_case bi_cases[] = {
	KUNIT_CASE_PARAM(bi_walk, bi_rows_gen_params),
	{}
};

DEFINE_DMA_TEST_SUITE(bi_suite, "bad_input", dma_test_suite_init_dma,
		      bi_cases);

static int bi_nodebug_suite_init(struct kunit_suite *suite)
{
	int ret;

	dma_debug_set_enabled(false);
	ret = dma_test_suite_init_dma(suite);
	dma_debug_set_enabled(true);
	return ret;
}

DEFINE_DMA_TEST_SUITE(bi_nodebug_suite, "bad_input_nodebug",
		      bi_nodebug_suite_init, bi_cases);

kunit_test_suites(&bi_suite, &bi_nodebug_suite);
