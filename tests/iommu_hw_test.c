// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the IOMMU hardware (sim/iommu.c) and of the driver's use of it
 * (drivers/iommu/iommu.c, sim-iommu.c): context entries, the page-table
 * walker on tables the driver built and on tables built by hand, the
 * leaves a range list really gets (read from the tables in RAM and
 * translated by the unit, not taken from the driver's counters), faults
 * and the fault log, the IOTLB serving stale translations until
 * invalidated, invalidation commands, groups and attach.
 *
 * Translations are requested the way a DMA engine does, through
 * sim_iommu_translate().  Requester IDs from 0xf000 up are not used by
 * the default board: "fake" devices use them.  The default machine is
 * booted once; every case drains the fault logs when it ends.
 */
#include <kunit/test.h>
#include <linux/device.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/physr.h>
#include <linux/sizes.h>

#include "arch/sim/boot.h"
#include "sim/iommu.h"
#include "sim/sim.h"
#include "tests/iommu_hw_walk.h"
#include "tests/pci_boards.h"

#define GiB		(1ULL << 30)
#define RW		(IOMMU_READ | IOMMU_WRITE)
#define FAKE_RID	0xf001
#define RAW_RID		0xf100

static int iommu_hw_suite_init(struct kunit_suite *suite __always_unused)
{
	return machine_boot(NULL);
}

static void iommu_hw_suite_exit(struct kunit_suite *suite __always_unused)
{
	machine_shutdown();
}

static void iommu_hw_exit(struct kunit *test __always_unused)
{
	struct sim_iommu_context zero = { 0 };

	sim_iommu_write_context(0, RAW_RID, &zero);
	iommu_poll_faults();
}

static struct sim_iommu_stats hw_stats(void)
{
	struct sim_iommu_stats st;

	sim_iommu_read_stats(0, &st);
	return st;
}

/* Take one fault record and check it. */
static void expect_fault(struct kunit *test, u16 rid, u64 iova, bool write,
			 unsigned int reason, unsigned int level)
{
	struct sim_iommu_fault f;

	KUNIT_ASSERT_EQ(test, sim_iommu_read_fault(0, &f), 0);
	KUNIT_EXPECT_EQ(test, f.rid, rid);
	KUNIT_EXPECT_EQ(test, f.iova, iova);
	KUNIT_EXPECT_EQ(test, f.access, write ? SIM_IOMMU_ACCESS_WRITE :
						SIM_IOMMU_ACCESS_READ);
	KUNIT_EXPECT_EQ(test, f.reason, reason);
	KUNIT_EXPECT_EQ(test, f.level, level);
}

static int translate(u16 rid, u64 iova, bool write, phys_addr_t *pa,
		     u64 *contig)
{
	phys_addr_t p;
	u64 c;

	return sim_iommu_translate(0, rid, iova, write, pa ? pa : &p,
				   contig ? contig : &c);
}

/* ---- fake devices in their own domain -------------------------------- */

struct fake_dev {
	struct device dev;
	struct iommu_domain *domain;
	u16 did;
};

/*
 * The domain ID the driver gave a device's domain, as the hardware sees
 * it: from the device's context entry (the IDs are the driver's own).
 */
static u16 context_did(u16 rid)
{
	struct sim_iommu_context ctx;

	if (sim_iommu_read_context(0, rid, &ctx))
		return 0;
	return (ctx.ctrl & SIM_IOMMU_CTX_DID_MASK) >> SIM_IOMMU_CTX_DID_SHIFT;
}

static void fake_dev_release(void *arg)
{
	struct fake_dev *f = arg;

	if (f->domain) {
		iommu_detach_device(f->domain, &f->dev);
		iommu_domain_free(f->domain);
	}
	iommu_release_device(&f->dev);
}

/* A probed device at @rid, attached to a new UNMANAGED domain. */
static struct fake_dev *fake_dev_create(struct kunit *test, u16 rid,
					u64 dma_mask)
{
	struct fake_dev *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	f->dev.name = "fake";
	f->dev.iommu_unit = 0;
	f->dev.rid = rid;
	f->dev.dma_mask = dma_mask;
	KUNIT_ASSERT_EQ(test, iommu_probe_device(&f->dev), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, fake_dev_release,
							f), 0);
	f->domain = iommu_domain_alloc();
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, f->domain);
	KUNIT_ASSERT_EQ(test, iommu_attach_device(f->domain, &f->dev), 0);
	f->did = context_did(rid);
	KUNIT_ASSERT_NE(test, f->did, 0);
	return f;
}

/* ---- context entries -------------------------------------------------- */

static void sim_iommu_contexts(struct kunit *test)
{
	struct sim_iommu_context ctx = { 0 }, back;
	struct sim_iommu_fault f;
	phys_addr_t pa;
	u64 contig;

	KUNIT_EXPECT_EQ(test, sim_iommu_nr_units(), 1U);
	KUNIT_EXPECT_EQ(test, sim_iommu_read_fault(0, &f), -ENOENT);
	KUNIT_EXPECT_EQ(test, sim_iommu_read_context(0, RAW_RID, &back), 0);
	KUNIT_EXPECT_EQ(test, back.ctrl, 0ULL);

	/* Invalid: blocked. */
	KUNIT_EXPECT_EQ(test, translate(RAW_RID, 0x1234, true, NULL, NULL),
			-EFAULT);
	expect_fault(test, RAW_RID, 0x1234, true, SIM_IOMMU_FAULT_NO_CONTEXT,
		     0);
	KUNIT_EXPECT_EQ(test, sim_iommu_read_fault(0, &f), -ENOENT);

	/* Bypass. */
	ctx.ctrl = SIM_IOMMU_CTX_VALID |
		   SIM_IOMMU_CTX_MODE_BYPASS << SIM_IOMMU_CTX_MODE_SHIFT;
	KUNIT_ASSERT_EQ(test, sim_iommu_write_context(0, RAW_RID, &ctx), 0);
	KUNIT_EXPECT_EQ(test, translate(RAW_RID, 5 * GiB + 7, false, &pa,
					&contig), 0);
	KUNIT_EXPECT_EQ(test, pa, 5 * GiB + 7);
	KUNIT_EXPECT_EQ(test, contig, 0 - (5 * GiB + 7));
	KUNIT_EXPECT_EQ(test, translate(RAW_RID, 0, false, &pa, &contig), 0);
	KUNIT_EXPECT_EQ(test, contig, U64_MAX);

	/* Malformed: reserved bits, a reserved mode, DID 0, root not RAM. */
	ctx.ctrl |= BIT_ULL(40);
	sim_iommu_write_context(0, RAW_RID, &ctx);
	KUNIT_EXPECT_EQ(test, translate(RAW_RID, 0, false, NULL, NULL),
			-EFAULT);
	expect_fault(test, RAW_RID, 0, false, SIM_IOMMU_FAULT_BAD_CONTEXT, 0);
	ctx.ctrl = SIM_IOMMU_CTX_VALID | 3ULL << SIM_IOMMU_CTX_MODE_SHIFT;
	sim_iommu_write_context(0, RAW_RID, &ctx);
	KUNIT_EXPECT_EQ(test, translate(RAW_RID, 0, false, NULL, NULL),
			-EFAULT);
	expect_fault(test, RAW_RID, 0, false, SIM_IOMMU_FAULT_BAD_CONTEXT, 0);
	ctx.ctrl = SIM_IOMMU_CTX_VALID;
	ctx.root = SZ_1M;
	sim_iommu_write_context(0, RAW_RID, &ctx);
	KUNIT_EXPECT_EQ(test, translate(RAW_RID, 0, false, NULL, NULL),
			-EFAULT);
	expect_fault(test, RAW_RID, 0, false, SIM_IOMMU_FAULT_BAD_CONTEXT, 0);
	ctx.ctrl |= 0x77ULL << SIM_IOMMU_CTX_DID_SHIFT;
	ctx.root = 0xff000000;		/* the hole above the 32-bit window */
	sim_iommu_write_context(0, RAW_RID, &ctx);
	KUNIT_EXPECT_EQ(test, translate(RAW_RID, 0, false, NULL, NULL),
			-EFAULT);
	expect_fault(test, RAW_RID, 0, false, SIM_IOMMU_FAULT_BAD_CONTEXT, 4);

	/* Bad unit numbers. */
	KUNIT_EXPECT_EQ(test, sim_iommu_write_context(1, RAW_RID, &ctx),
			-ENODEV);
	KUNIT_EXPECT_EQ(test, sim_iommu_translate(1, RAW_RID, 0, false, &pa,
						  &contig), -ENODEV);
	KUNIT_EXPECT_EQ(test, sim_iommu_read_fault(1, &f), -ENODEV);
}

/* A table built by hand, with every kind of malformed entry. */
static void sim_iommu_bad_ptes(struct kunit *test)
{
	struct sim_iommu_inv_cmd inv = { .type = SIM_IOMMU_INV_DOMAIN,
					 .did = 0x77 };
	struct sim_iommu_context ctx = { 0 };
	struct page *pages[4];
	u64 *root, *l3, *l2, *l1;
	phys_addr_t pa;
	unsigned int i;
	u64 contig;

	for (i = 0; i < ARRAY_SIZE(pages); i++) {
		pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
	}
	root = page_address(pages[0]);
	l3 = page_address(pages[1]);
	l2 = page_address(pages[2]);
	l1 = page_address(pages[3]);

	root[0] = SIM_IOMMU_PTE_PRESENT | SIM_IOMMU_PTE_LEAF;	/* leaf at 4 */
	root[1] = page_to_phys(pages[1]) | SIM_IOMMU_PTE_PRESENT;
	l3[0] = SZ_2M | SIM_IOMMU_PTE_PRESENT | SIM_IOMMU_PTE_LEAF |
		SIM_IOMMU_PTE_READ;				/* misaligned */
	l3[1] = 0xff000000 | SIM_IOMMU_PTE_PRESENT;		/* not RAM */
	l3[2] = page_to_phys(pages[2]) | SIM_IOMMU_PTE_PRESENT | BIT_ULL(60);
	l3[3] = page_to_phys(pages[2]) | SIM_IOMMU_PTE_PRESENT;
	l2[0] = page_to_phys(pages[3]) | SIM_IOMMU_PTE_PRESENT;
	l2[1] = 6 * GiB | SIM_IOMMU_PTE_PRESENT | SIM_IOMMU_PTE_LEAF |
		SIM_IOMMU_PTE_READ;				/* a good 2M */
	l1[0] = 8 * GiB | SIM_IOMMU_PTE_PRESENT | SIM_IOMMU_PTE_READ;
	l1[1] = 8 * GiB | SIM_IOMMU_PTE_PRESENT | SIM_IOMMU_PTE_LEAF |
		SIM_IOMMU_PTE_READ;				/* a good 4K */

	ctx.ctrl = SIM_IOMMU_CTX_VALID | 0x77ULL << SIM_IOMMU_CTX_DID_SHIFT;
	ctx.root = page_to_phys(pages[0]);
	sim_iommu_write_context(0, RAW_RID, &ctx);

#define L4(i)	((u64)(i) << 39)
#define L3(i)	((u64)(i) << 30)
	KUNIT_EXPECT_EQ(test, translate(RAW_RID, 0, false, NULL, NULL),
			-EFAULT);
	expect_fault(test, RAW_RID, 0, false, SIM_IOMMU_FAULT_BAD_PTE, 4);
	KUNIT_EXPECT_EQ(test, translate(RAW_RID, L4(1), false, NULL, NULL),
			-EFAULT);
	expect_fault(test, RAW_RID, L4(1), false, SIM_IOMMU_FAULT_BAD_PTE, 3);
	KUNIT_EXPECT_EQ(test, translate(RAW_RID, L4(1) + L3(1), false, NULL,
					NULL), -EFAULT);
	expect_fault(test, RAW_RID, L4(1) + L3(1), false,
		     SIM_IOMMU_FAULT_BAD_PTE, 2);
	KUNIT_EXPECT_EQ(test, translate(RAW_RID, L4(1) + L3(2), false, NULL,
					NULL), -EFAULT);
	expect_fault(test, RAW_RID, L4(1) + L3(2), false,
		     SIM_IOMMU_FAULT_BAD_PTE, 3);
	KUNIT_EXPECT_EQ(test, translate(RAW_RID, L4(1) + L3(3), false, NULL,
					NULL), -EFAULT);
	expect_fault(test, RAW_RID, L4(1) + L3(3), false,
		     SIM_IOMMU_FAULT_BAD_PTE, 1);
	KUNIT_EXPECT_EQ(test, translate(RAW_RID, L4(1) + L3(3) + SZ_4K + 9,
					false, &pa, &contig), 0);
	KUNIT_EXPECT_EQ(test, pa, 8 * GiB + 9);
	KUNIT_EXPECT_EQ(test, contig, SZ_4K - 9ULL);
	KUNIT_EXPECT_EQ(test, translate(RAW_RID, L4(1) + L3(3) + SZ_2M + SZ_1M,
					false, &pa, &contig), 0);
	KUNIT_EXPECT_EQ(test, pa, 6 * GiB + SZ_1M);
	KUNIT_EXPECT_EQ(test, contig, (u64)SZ_1M);
	/* Not present, and beyond 48 bits. */
	KUNIT_EXPECT_EQ(test, translate(RAW_RID, L4(2), true, NULL, NULL),
			-EFAULT);
	expect_fault(test, RAW_RID, L4(2), true, SIM_IOMMU_FAULT_NOT_PRESENT,
		     4);
	KUNIT_EXPECT_EQ(test, translate(RAW_RID, 1ULL << 48, true, NULL, NULL),
			-EFAULT);
	expect_fault(test, RAW_RID, 1ULL << 48, true,
		     SIM_IOMMU_FAULT_ADDR_SIZE, 0);
#undef L4
#undef L3

	/* Leave no IOTLB entries tagged with a DID the driver may use. */
	ctx = (struct sim_iommu_context){ 0 };
	sim_iommu_write_context(0, RAW_RID, &ctx);
	KUNIT_EXPECT_EQ(test, sim_iommu_invalidate(0, &inv), 0);
	for (i = 0; i < ARRAY_SIZE(pages); i++)
		__free_page(pages[i]);
}

static void sim_iommu_fault_log_overflow(struct kunit *test)
{
	struct sim_iommu_stats before = hw_stats(), after;
	struct sim_iommu_fault f;
	unsigned int i;

	for (i = 0; i < SIM_IOMMU_FAULT_LOG_LEN + 6; i++)
		KUNIT_EXPECT_EQ(test, translate(RAW_RID, i * SZ_4K, false, NULL,
						NULL), -EFAULT);
	after = hw_stats();
	KUNIT_EXPECT_EQ(test, after.faults - before.faults,
			(u64)SIM_IOMMU_FAULT_LOG_LEN + 6);
	KUNIT_EXPECT_EQ(test, after.faults_dropped - before.faults_dropped,
			6ULL);
	/* The oldest are kept. */
	for (i = 0; i < SIM_IOMMU_FAULT_LOG_LEN; i++) {
		KUNIT_ASSERT_EQ(test, sim_iommu_read_fault(0, &f), 0);
		KUNIT_EXPECT_EQ(test, f.iova, (u64)i * SZ_4K);
	}
	KUNIT_EXPECT_EQ(test, sim_iommu_read_fault(0, &f), -ENOENT);
}

/* ---- translating the driver's tables ----------------------------------- */

struct fault_seen {
	unsigned int count;
	dma_addr_t iova;
	int flags;
	struct device *dev;
};

static int record_fault(struct iommu_domain *domain __always_unused,
			struct device *dev, dma_addr_t iova, int flags,
			void *token)
{
	struct fault_seen *seen = token;

	seen->count++;
	seen->iova = iova;
	seen->flags = flags;
	seen->dev = dev;
	return 0;
}

static void sim_iommu_translate_leaves(struct kunit *test)
{
	struct fake_dev *f = fake_dev_create(test, FAKE_RID, U64_MAX);
	struct iommu_domain *d = f->domain;
	struct fault_seen seen = { 0 };
	struct iommu_domain_stats st;
	phys_addr_t pa;
	u64 contig;

	KUNIT_ASSERT_EQ(test, iommu_map(d, SZ_4K, 5 * GiB, SZ_4K, RW,
					GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iommu_map(d, SZ_2M, 6 * GiB, SZ_2M, IOMMU_READ,
					GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iommu_map(d, GiB, 2 * GiB, GiB, IOMMU_WRITE,
					GFP_KERNEL), 0);

	KUNIT_EXPECT_EQ(test, translate(FAKE_RID, SZ_4K + 5, true, &pa,
					&contig), 0);
	KUNIT_EXPECT_EQ(test, pa, 5 * GiB + 5);
	KUNIT_EXPECT_EQ(test, contig, SZ_4K - 5ULL);
	KUNIT_EXPECT_EQ(test, translate(FAKE_RID, SZ_2M + SZ_1M, false, &pa,
					&contig), 0);
	KUNIT_EXPECT_EQ(test, pa, 6 * GiB + SZ_1M);
	KUNIT_EXPECT_EQ(test, contig, (u64)SZ_1M);
	KUNIT_EXPECT_EQ(test, translate(FAKE_RID, GiB + 3, true, &pa, &contig),
			0);
	KUNIT_EXPECT_EQ(test, pa, 2 * GiB + 3);
	KUNIT_EXPECT_EQ(test, contig, GiB - 3);

	iommu_set_fault_handler(d, record_fault, &seen);
	KUNIT_EXPECT_EQ(test, translate(FAKE_RID, SZ_2M, true, NULL, NULL),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, translate(FAKE_RID, GiB, false, NULL, NULL),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, translate(FAKE_RID, 8 * GiB, false, NULL, NULL),
			-EFAULT);
	expect_fault(test, FAKE_RID, SZ_2M, true, SIM_IOMMU_FAULT_PERMISSION,
		     2);
	expect_fault(test, FAKE_RID, GiB, false, SIM_IOMMU_FAULT_PERMISSION,
		     3);
	expect_fault(test, FAKE_RID, 8 * GiB, false,
		     SIM_IOMMU_FAULT_NOT_PRESENT, 3);

	/* The driver's view: polled, counted, handed to the handler. */
	KUNIT_EXPECT_EQ(test, translate(FAKE_RID, 3 * SZ_4K, true, NULL, NULL),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, iommu_poll_faults(), 1U);
	KUNIT_EXPECT_EQ(test, seen.count, 1U);
	KUNIT_EXPECT_EQ(test, seen.iova, 3ULL * SZ_4K);
	KUNIT_EXPECT_EQ(test, seen.flags, IOMMU_FAULT_WRITE);
	KUNIT_EXPECT_PTR_EQ(test, seen.dev, &f->dev);
	iommu_domain_get_stats(d, &st);
	KUNIT_EXPECT_EQ(test, st.faults, 1ULL);

	KUNIT_EXPECT_EQ(test, iommu_unmap(d, SZ_4K, SZ_4K), 0);
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, SZ_2M, SZ_2M), 0);
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, GiB, GiB), 0);
}

/* ---- the leaves a range list gets, as the hardware sees them --------- */

/* struct hw_walk, hw_walk(): tests/iommu_hw_walk.h */

/* Where byte @off of @list is; 0 if it is past the end. */
static phys_addr_t list_phys_at(const struct physr_list *list, u64 off,
				u64 *left)
{
	struct physr_iter it;
	struct physr r;

	physr_for_each(list, &it, &r) {
		if (off < r.len) {
			*left = r.len - off;
			return r.addr + off;
		}
		off -= r.len;
	}
	*left = 0;
	return 0;
}

/*
 * Each leaf maps what the list has at its offset, within one range, with
 * the permissions asked for; and the unit, asked to translate the leaf's
 * first byte, walks down to that level (one PTE read per level: an IOTLB
 * miss, since the map invalidated the range) and reports the leaf's size.
 */
static void expect_leaves_translate(struct kunit *test, struct hw_walk *w,
				    const struct physr_list *list,
				    dma_addr_t base)
{
	unsigned long bad_map = 0, bad_hw = 0;
	u64 bytes = 0, contig, left;
	unsigned int i;

	for (i = 0; i < w->nr; i++) {
		const struct hw_leaf *l = &w->leaf[i];
		u64 size = SIM_IOMMU_LEVEL_SIZE(l->level);
		struct sim_iommu_stats before, after;
		phys_addr_t want, pa;

		want = list_phys_at(list, l->iova - base, &left);
		bad_map += l->iova < base || left < size ||
			   (l->pte & SIM_IOMMU_PTE_ADDR_MASK) != want ||
			   !(l->pte & SIM_IOMMU_PTE_READ) ||
			   !(l->pte & SIM_IOMMU_PTE_WRITE);
		bytes += size;

		before = hw_stats();
		bad_hw += translate(FAKE_RID, l->iova, true, &pa, &contig) ||
			  pa != want || contig != size;
		after = hw_stats();
		bad_hw += after.iotlb_misses - before.iotlb_misses != 1 ||
			  after.pte_reads - before.pte_reads !=
			  SIM_IOMMU_LEVELS + 1 - l->level;
	}
	KUNIT_EXPECT_EQ(test, bad_map, 0UL);
	KUNIT_EXPECT_EQ(test, bad_hw, 0UL);
	KUNIT_EXPECT_EQ(test, bytes, physr_list_len(list));
}

/*
 * A list with 1 GiB-, 2 MiB- and 4 KiB-alignable pieces, mapped by
 * iommu_map_physr() at a 1 GiB aligned IOVA, as the hardware sees it:
 *
 *   4G + 2M, 1G         phys only 2 MiB aligned:     512 x 2M
 *   6G, 1G + 2M + 8K    1G, then 2M, then 2 x 4K
 *   7G + 4M + 8K, 4M    congruent with its IOVA mod 2M: 4K up to the
 *                       IOVA's 2 MiB boundary (510), 2M, 2 x 4K
 *   8G + 4K, 2M         not congruent:               512 x 4K
 *   3 single pages                                   3 x 4K
 */
static void sim_iommu_physr_leaves(struct kunit *test)
{
	static const struct physr ranges[] = {
		{ 4 * GiB + SZ_2M, GiB },
		{ 6 * GiB, GiB + SZ_2M + SZ_8K },
		{ 7 * GiB + SZ_4M + SZ_8K, SZ_4M },
		{ 8 * GiB + SZ_4K, SZ_2M },
		{ 100 * SZ_1M, SZ_4K },
		{ 200 * SZ_1M + SZ_4K, SZ_4K },
		{ 300 * SZ_1M, SZ_4K },
	};
	struct fake_dev *f = fake_dev_create(test, FAKE_RID, U64_MAX);
	struct physr_list list = PHYSR_LIST_INIT;
	const dma_addr_t base = 4 * GiB;
	struct iommu_domain_stats st;
	struct hw_walk *w;
	unsigned int i;

	w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	for (i = 0; i < ARRAY_SIZE(ranges); i++)
		KUNIT_ASSERT_EQ(test, physr_list_append(&list, ranges[i].addr,
							ranges[i].len,
							GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_nr_ranges(&list),
			(u64)ARRAY_SIZE(ranges));
	KUNIT_ASSERT_EQ(test, iommu_map_physr(f->domain, base, &list, RW,
					      GFP_KERNEL), 0);

	hw_walk(test, FAKE_RID, w);
	KUNIT_EXPECT_EQ(test, w->per_level[3], 1ULL);
	KUNIT_EXPECT_EQ(test, w->per_level[2], 512ULL + 1 + 1);
	KUNIT_EXPECT_EQ(test, w->per_level[1], 2ULL + 510 + 2 + 512 + 3);
	KUNIT_EXPECT_EQ(test, w->per_level[4], 0ULL);
	expect_leaves_translate(test, w, &list, base);
	/* The driver's counters agree with what is in the table. */
	iommu_domain_get_stats(f->domain, &st);
	for (i = 1; i <= SIM_IOMMU_MAX_LEAF_LEVEL; i++)
		KUNIT_EXPECT_EQ_MSG(test, st.leaves[i], w->per_level[i],
				    "level %u", i);

	/* Unmapped, the table the unit walks is empty again. */
	KUNIT_ASSERT_EQ(test, iommu_unmap_physr(f->domain, base, &list), 0);
	hw_walk(test, FAKE_RID, w);
	KUNIT_EXPECT_EQ(test, w->nr, 0U);
	KUNIT_EXPECT_EQ(test, translate(FAKE_RID, base, false, NULL, NULL),
			-EFAULT);
	expect_fault(test, FAKE_RID, base, false, SIM_IOMMU_FAULT_NOT_PRESENT,
		     4);
	physr_list_destroy(&list);
}

/*
 * The IOTLB keeps serving a translation whose PTE is gone until it is
 * invalidated; the driver's unmap invalidates, once per call.
 */
static void sim_iommu_iotlb_stale(struct kunit *test)
{
	struct fake_dev *f = fake_dev_create(test, FAKE_RID, U64_MAX);
	struct iommu_domain *d = f->domain;
	struct sim_iommu_stats before, after;
	struct iommu_iotlb_gather gather;
	struct sim_iommu_inv_cmd cmd = {
		.type = SIM_IOMMU_INV_RANGE,
		.did = f->did,
	};
	phys_addr_t pa;
	u64 mapped;

	before = hw_stats();
	KUNIT_ASSERT_EQ(test, iommu_map(d, SZ_1M, 5 * GiB, SZ_4K, RW,
					GFP_KERNEL), 0);
	after = hw_stats();
	KUNIT_EXPECT_EQ(test, after.inv_cmds - before.inv_cmds, 1ULL);

	before = hw_stats();
	KUNIT_EXPECT_EQ(test, translate(FAKE_RID, SZ_1M, false, &pa, NULL), 0);
	KUNIT_EXPECT_EQ(test, translate(FAKE_RID, SZ_1M + 8, true, &pa, NULL),
			0);
	after = hw_stats();
	KUNIT_EXPECT_EQ(test, after.iotlb_misses - before.iotlb_misses, 1ULL);
	KUNIT_EXPECT_EQ(test, after.iotlb_hits - before.iotlb_hits, 1ULL);
	KUNIT_EXPECT_EQ(test, after.pte_reads - before.pte_reads, 4ULL);

	/*
	 * Clear the PTE and even map elsewhere, without invalidating: the
	 * driver's domain ops, called past the core that would sync.
	 */
	iommu_iotlb_gather_init(&gather);
	KUNIT_ASSERT_EQ(test, d->ops->unmap_pages(d, SZ_1M, SZ_4K, 1, &gather,
						  &mapped), 0);
	KUNIT_ASSERT_EQ(test, d->ops->map_pages(d, SZ_1M, 7 * GiB, SZ_4K, 1, RW,
						GFP_KERNEL, &mapped), 0);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(d, SZ_1M), 7 * GiB);
	KUNIT_EXPECT_EQ(test, translate(FAKE_RID, SZ_1M, true, &pa, NULL), 0);
	KUNIT_EXPECT_EQ(test, pa, 5 * GiB);		/* stale */

	/* A range that misses it, another domain: still stale. */
	cmd.first = SZ_1M + SZ_4K;
	cmd.last = SZ_2M;
	KUNIT_EXPECT_EQ(test, sim_iommu_invalidate(0, &cmd), 0);
	cmd.type = SIM_IOMMU_INV_DOMAIN;
	cmd.did = f->did + 1;
	KUNIT_EXPECT_EQ(test, sim_iommu_invalidate(0, &cmd), 0);
	KUNIT_EXPECT_EQ(test, translate(FAKE_RID, SZ_1M, true, &pa, NULL), 0);
	KUNIT_EXPECT_EQ(test, pa, 5 * GiB);
	/* One that covers it. */
	cmd.type = SIM_IOMMU_INV_RANGE;
	cmd.did = f->did;
	cmd.first = 0;
	cmd.last = SZ_1M;
	KUNIT_EXPECT_EQ(test, sim_iommu_invalidate(0, &cmd), 0);
	KUNIT_EXPECT_EQ(test, translate(FAKE_RID, SZ_1M, true, &pa, NULL), 0);
	KUNIT_EXPECT_EQ(test, pa, 7 * GiB);
	/*
	 * The driver's sync of that gather: one range command (the tables
	 * the unmap unlinked are freed after it); the translation is read
	 * again from the new tables.
	 */
	before = hw_stats();
	d->ops->iotlb_sync(d, &gather);
	KUNIT_EXPECT_EQ(test, hw_stats().inv_cmds - before.inv_cmds, 1ULL);
	KUNIT_EXPECT_EQ(test, hw_stats().iotlb_invalidated -
			before.iotlb_invalidated, 1ULL);
	KUNIT_EXPECT_EQ(test, translate(FAKE_RID, SZ_1M, true, &pa, NULL), 0);
	KUNIT_EXPECT_EQ(test, pa, 7 * GiB);

	/* The driver's unmap: one command, and the translation is gone. */
	before = hw_stats();
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, SZ_1M, SZ_4K), 0);
	after = hw_stats();
	KUNIT_EXPECT_EQ(test, after.inv_cmds - before.inv_cmds, 1ULL);
	KUNIT_EXPECT_EQ(test, after.iotlb_invalidated -
			before.iotlb_invalidated, 1ULL);
	KUNIT_EXPECT_EQ(test, translate(FAKE_RID, SZ_1M, true, NULL, NULL),
			-EFAULT);
	expect_fault(test, FAKE_RID, SZ_1M, true, SIM_IOMMU_FAULT_NOT_PRESENT,
		     4);
}

/* 64 entries, least recently used goes first. */
static void sim_iommu_iotlb_lru(struct kunit *test)
{
	struct fake_dev *f = fake_dev_create(test, FAKE_RID, U64_MAX);
	struct sim_iommu_inv_cmd all = { .type = SIM_IOMMU_INV_GLOBAL };
	struct sim_iommu_stats before, after;
	unsigned int i, n = SIM_IOMMU_IOTLB_ENTRIES;

	KUNIT_ASSERT_EQ(test, sim_iommu_invalidate(0, &all), 0);
	KUNIT_ASSERT_EQ(test, iommu_map(f->domain, 0, 4 * GiB, (n + 1) * SZ_4K,
					RW, GFP_KERNEL), 0);
	before = hw_stats();
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ(test, translate(FAKE_RID, i * SZ_4K, false,
						NULL, NULL), 0);
	/* Touch page 0 so that page 1 is the oldest, then bring in page n. */
	KUNIT_EXPECT_EQ(test, translate(FAKE_RID, 0, false, NULL, NULL), 0);
	KUNIT_EXPECT_EQ(test, translate(FAKE_RID, n * SZ_4K, false, NULL, NULL),
			0);
	KUNIT_EXPECT_EQ(test, translate(FAKE_RID, 0, false, NULL, NULL), 0);
	after = hw_stats();
	KUNIT_EXPECT_EQ(test, after.iotlb_misses - before.iotlb_misses,
			(u64)n + 1);
	KUNIT_EXPECT_EQ(test, after.iotlb_hits - before.iotlb_hits, 2ULL);
	KUNIT_EXPECT_EQ(test, translate(FAKE_RID, SZ_4K, false, NULL, NULL),
			0);
	KUNIT_EXPECT_EQ(test, hw_stats().iotlb_misses - after.iotlb_misses,
			1ULL);
	KUNIT_EXPECT_EQ(test, iommu_unmap(f->domain, 0, (n + 1) * SZ_4K), 0);
}

/*
 * iommu_flush_iotlb_all(): one domain command per unit the domain is
 * attached through, which drops a translation whose PTE changed behind
 * the core; none for a domain attached nowhere.
 */
static void iommu_flush_all(struct kunit *test)
{
	struct fake_dev *f = fake_dev_create(test, FAKE_RID, U64_MAX);
	struct iommu_domain *d = f->domain, *alone;
	struct sim_iommu_stats before;
	struct iommu_iotlb_gather gather;
	phys_addr_t pa;
	u64 done;

	KUNIT_ASSERT_EQ(test, iommu_map(d, 0, 5 * GiB, SZ_2M, RW, GFP_KERNEL),
			0);
	KUNIT_EXPECT_EQ(test, translate(FAKE_RID, SZ_4K, false, &pa, NULL), 0);
	iommu_iotlb_gather_init(&gather);
	KUNIT_ASSERT_EQ(test, d->ops->unmap_pages(d, 0, SZ_2M, 1, &gather,
						  &done), 0);
	KUNIT_ASSERT_EQ(test, d->ops->map_pages(d, 0, 7 * GiB, SZ_2M, 1, RW,
						GFP_KERNEL, &done), 0);
	KUNIT_EXPECT_EQ(test, translate(FAKE_RID, SZ_4K, false, &pa, NULL), 0);
	KUNIT_EXPECT_EQ(test, pa, 5 * GiB + SZ_4K);	/* stale */

	before = hw_stats();
	iommu_flush_iotlb_all(d);
	KUNIT_EXPECT_EQ(test, hw_stats().inv_cmds - before.inv_cmds, 1ULL);
	KUNIT_EXPECT_EQ(test, translate(FAKE_RID, SZ_4K, false, &pa, NULL), 0);
	KUNIT_EXPECT_EQ(test, pa, 7 * GiB + SZ_4K);
	/* The unlinked tables are freed by the driver's sync. */
	d->ops->iotlb_sync(d, &gather);

	alone = iommu_domain_alloc();
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, alone);
	before = hw_stats();
	iommu_flush_iotlb_all(alone);
	iommu_flush_iotlb_all(NULL);
	KUNIT_EXPECT_EQ(test, hw_stats().inv_cmds, before.inv_cmds);
	iommu_domain_free(alone);
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, 0, SZ_2M), 0);
}

static void sim_iommu_invalidate_cmds(struct kunit *test)
{
	struct fake_dev *a = fake_dev_create(test, FAKE_RID, U64_MAX);
	struct fake_dev *b = fake_dev_create(test, FAKE_RID + 1, U64_MAX);
	struct sim_iommu_inv_cmd cmd = { .type = 0 };
	struct sim_iommu_stats before, after;

	KUNIT_EXPECT_EQ(test, sim_iommu_invalidate(0, &cmd), -EINVAL);
	cmd = (struct sim_iommu_inv_cmd){ .type = SIM_IOMMU_INV_RANGE,
					  .first = 2, .last = 1 };
	KUNIT_EXPECT_EQ(test, sim_iommu_invalidate(0, &cmd), -EINVAL);
	cmd = (struct sim_iommu_inv_cmd){ .type = SIM_IOMMU_INV_GLOBAL,
					  .__reserved = 1 };
	KUNIT_EXPECT_EQ(test, sim_iommu_invalidate(0, &cmd), -EINVAL);
	KUNIT_EXPECT_EQ(test, sim_iommu_invalidate(3, &cmd), -ENODEV);

	KUNIT_ASSERT_NE(test, a->did, b->did);
	KUNIT_ASSERT_EQ(test, iommu_map(a->domain, 0, 4 * GiB, SZ_2M, RW,
					GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, iommu_map(b->domain, 0, 5 * GiB, SZ_2M, RW,
					GFP_KERNEL), 0);
	translate(FAKE_RID, 0, false, NULL, NULL);
	translate(FAKE_RID + 1, 0, false, NULL, NULL);

	/* Domain A only. */
	before = hw_stats();
	cmd = (struct sim_iommu_inv_cmd){ .type = SIM_IOMMU_INV_DOMAIN,
					  .did = a->did };
	KUNIT_EXPECT_EQ(test, sim_iommu_invalidate(0, &cmd), 0);
	translate(FAKE_RID, 0, false, NULL, NULL);
	translate(FAKE_RID + 1, 0, false, NULL, NULL);
	after = hw_stats();
	KUNIT_EXPECT_EQ(test, after.iotlb_invalidated -
			before.iotlb_invalidated, 1ULL);
	KUNIT_EXPECT_EQ(test, after.iotlb_misses - before.iotlb_misses, 1ULL);
	KUNIT_EXPECT_EQ(test, after.iotlb_hits - before.iotlb_hits, 1ULL);

	/* Global: both. */
	cmd = (struct sim_iommu_inv_cmd){ .type = SIM_IOMMU_INV_GLOBAL };
	KUNIT_EXPECT_EQ(test, sim_iommu_invalidate(0, &cmd), 0);
	before = hw_stats();
	translate(FAKE_RID, 0, false, NULL, NULL);
	translate(FAKE_RID + 1, 0, false, NULL, NULL);
	after = hw_stats();
	KUNIT_EXPECT_EQ(test, after.iotlb_misses - before.iotlb_misses, 2ULL);

	/* A range inside a 2 MiB leaf drops the whole leaf. */
	cmd = (struct sim_iommu_inv_cmd){ .type = SIM_IOMMU_INV_RANGE,
					  .did = b->did,
					  .first = SZ_1M, .last = SZ_1M };
	KUNIT_EXPECT_EQ(test, sim_iommu_invalidate(0, &cmd), 0);
	before = hw_stats();
	translate(FAKE_RID + 1, 0, false, NULL, NULL);
	KUNIT_EXPECT_EQ(test, hw_stats().iotlb_misses - before.iotlb_misses,
			1ULL);

	KUNIT_EXPECT_EQ(test, iommu_unmap(a->domain, 0, SZ_2M), 0);
	KUNIT_EXPECT_EQ(test, iommu_unmap(b->domain, 0, SZ_2M), 0);
}

/* Detach returns the device to bypass and flushes the old domain. */
static void iommu_attach_detach(struct kunit *test)
{
	struct fake_dev *f = fake_dev_create(test, FAKE_RID, U64_MAX);
	struct iommu_domain *d = f->domain, *other;
	struct sim_iommu_context ctx;
	struct sim_iommu_stats before;
	phys_addr_t pa;

	KUNIT_EXPECT_PTR_EQ(test, iommu_get_domain_for_dev(&f->dev), d);
	KUNIT_EXPECT_STREQ(test, iommu_domain_type_name(d), "unmanaged");
	KUNIT_EXPECT_STREQ(test, iommu_domain_type_name(
				iommu_get_default_domain(&f->dev)), "identity");
	/* Translating, through the page table the driver allocated. */
	sim_iommu_read_context(0, FAKE_RID, &ctx);
	KUNIT_EXPECT_EQ(test, ctx.ctrl & SIM_IOMMU_CTX_MODE_MASK,
			SIM_IOMMU_CTX_MODE_TRANSLATE << SIM_IOMMU_CTX_MODE_SHIFT);
	KUNIT_EXPECT_EQ(test, context_did(FAKE_RID), f->did);
	KUNIT_EXPECT_NE(test, ctx.root, 0ULL);
	KUNIT_EXPECT_EQ(test, ctx.root & (SZ_4K - 1), 0ULL);

	other = iommu_domain_alloc();
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, other);
	KUNIT_EXPECT_EQ(test, iommu_attach_device(other, &f->dev), -EBUSY);
	/* Still attached: not freed. */
	KUNIT_EXPECT_WARN(test, iommu_domain_free(d));

	KUNIT_ASSERT_EQ(test, iommu_map(d, 0, 4 * GiB, SZ_4K, RW, GFP_KERNEL),
			0);
	KUNIT_EXPECT_EQ(test, translate(FAKE_RID, 0, false, &pa, NULL), 0);
	before = hw_stats();
	iommu_detach_device(d, &f->dev);
	KUNIT_EXPECT_EQ(test, hw_stats().iotlb_invalidated -
			before.iotlb_invalidated, 1ULL);
	KUNIT_EXPECT_EQ(test, translate(FAKE_RID, SZ_8K, false, &pa, NULL), 0);
	KUNIT_EXPECT_EQ(test, pa, (u64)SZ_8K);		/* bypass */

	/* Unattached: map and unmap send nothing to the hardware. */
	before = hw_stats();
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, 0, SZ_4K), 0);
	KUNIT_EXPECT_EQ(test, hw_stats().inv_cmds, before.inv_cmds);

	KUNIT_EXPECT_EQ(test, iommu_attach_device(other, &f->dev), 0);
	KUNIT_EXPECT_EQ(test, translate(FAKE_RID, 0, false, NULL, NULL),
			-EFAULT);
	expect_fault(test, FAKE_RID, 0, false, SIM_IOMMU_FAULT_NOT_PRESENT, 4);
	iommu_detach_device(other, &f->dev);
	iommu_domain_free(other);
	KUNIT_EXPECT_EQ(test, iommu_attach_device(d, &f->dev), 0);
}

/* A device's DMA mask bounds what its domain may map. */
static void iommu_dma_limit(struct kunit *test)
{
	struct fake_dev *f = fake_dev_create(test, FAKE_RID, 0xffffffffULL);
	struct iommu_domain *d = f->domain;

	KUNIT_EXPECT_EQ(test, iommu_map(d, 4 * GiB - SZ_4K, 0, SZ_8K, RW,
					GFP_KERNEL), -ERANGE);
	KUNIT_EXPECT_EQ(test, iommu_map(d, 4 * GiB - SZ_4K, 0, SZ_4K, RW,
					GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, 4 * GiB - SZ_4K, SZ_4K), 0);
	iommu_detach_device(d, &f->dev);
	KUNIT_EXPECT_EQ(test, iommu_map(d, 4 * GiB, 0, SZ_4K, RW, GFP_KERNEL),
			0);
	KUNIT_EXPECT_EQ(test, iommu_unmap(d, 4 * GiB, SZ_4K), 0);
	KUNIT_EXPECT_EQ(test, iommu_attach_device(d, &f->dev), 0);
}

/* The default board's groups: the switch's NIC and GPU share one. */
static void iommu_groups_default_board(struct kunit *test)
{
	struct pci_dev *nic = pci_test_dev(test, "nic");
	struct pci_dev *gpu0 = pci_test_dev(test, "gpu0");
	struct pci_dev *gpu1 = pci_test_dev(test, "gpu1");
	struct pci_dev *sata = pci_test_dev(test, "sata");
	struct pci_dev *dp0 = pci_test_dev(test, "sw0-dp0");
	struct pci_dev *up = pci_test_dev(test, "sw0-up");
	struct iommu_group *g;
	struct iommu_domain *d;

	KUNIT_ASSERT_NOT_NULL(test, nic);
	KUNIT_ASSERT_NOT_NULL(test, gpu0);
	KUNIT_ASSERT_NOT_NULL(test, gpu1);
	KUNIT_ASSERT_NOT_NULL(test, sata);
	KUNIT_ASSERT_NOT_NULL(test, nic->dev.iommu_group);
	g = nic->dev.iommu_group;
	KUNIT_EXPECT_PTR_EQ(test, gpu0->dev.iommu_group, g);
	KUNIT_EXPECT_PTR_EQ(test, dp0->dev.iommu_group, g);
	KUNIT_EXPECT_PTR_NE(test, up->dev.iommu_group, g);
	KUNIT_EXPECT_EQ(test, iommu_group_nr_devices(g), 4U);
	KUNIT_EXPECT_PTR_NE(test, gpu1->dev.iommu_group, g);
	KUNIT_EXPECT_PTR_NE(test, sata->dev.iommu_group, g);
	KUNIT_EXPECT_PTR_NE(test, sata->dev.iommu_group,
			    gpu1->dev.iommu_group);
	KUNIT_EXPECT_EQ(test, iommu_group_nr_devices(gpu1->dev.iommu_group),
			1U);
	KUNIT_EXPECT_NE(test, iommu_group_id(g),
			iommu_group_id(gpu1->dev.iommu_group));
	KUNIT_EXPECT_STREQ(test, iommu_domain_type_name(
				iommu_get_domain_for_dev(&gpu1->dev)),
			   "identity");

	d = iommu_domain_alloc();
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, d);
	KUNIT_EXPECT_EQ(test, iommu_attach_device(d, &nic->dev), -EINVAL);
	KUNIT_EXPECT_EQ(test, iommu_attach_group(d, g), 0);
	KUNIT_EXPECT_PTR_EQ(test, iommu_get_domain_for_dev(&gpu0->dev), d);
	iommu_detach_group(d, g);
	KUNIT_EXPECT_PTR_EQ(test, iommu_get_domain_for_dev(&gpu0->dev),
			    iommu_get_default_domain(&gpu0->dev));
	iommu_domain_free(d);
}

/* Probing: errors, and devices sharing a requester ID share a group. */
static void iommu_probe_rules(struct kunit *test)
{
	struct device a = { .name = "a", .iommu_unit = 0, .rid = FAKE_RID };
	struct device b = { .name = "b", .iommu_unit = 0, .rid = FAKE_RID };
	struct device none = { .name = "none", .iommu_unit = -1 };
	struct device far = { .name = "far", .iommu_unit = 5 };

	KUNIT_EXPECT_EQ(test, iommu_probe_device(&none), -ENODEV);
	KUNIT_EXPECT_EQ(test, iommu_probe_device(&far), -ENODEV);
	KUNIT_EXPECT_EQ(test, iommu_probe_device(NULL), -EINVAL);
	KUNIT_ASSERT_EQ(test, iommu_probe_device(&a), 0);
	KUNIT_EXPECT_EQ(test, iommu_probe_device(&a), -EEXIST);
	KUNIT_ASSERT_EQ(test, iommu_probe_device(&b), 0);
	KUNIT_EXPECT_PTR_EQ(test, a.iommu_group, b.iommu_group);
	KUNIT_EXPECT_EQ(test, iommu_group_nr_devices(a.iommu_group), 2U);
	iommu_release_device(&a);
	KUNIT_EXPECT_NULL(test, a.iommu);
	KUNIT_EXPECT_EQ(test, iommu_group_nr_devices(b.iommu_group), 1U);
	iommu_release_device(&b);
	iommu_release_device(&b);
	KUNIT_EXPECT_NULL(test, b.iommu_group);
	KUNIT_EXPECT_TRUE(test, iommu_present());
}

static struct kunit_case iommu_hw_cases[] = {
	KUNIT_CASE(sim_iommu_contexts),
	KUNIT_CASE(sim_iommu_bad_ptes),
	KUNIT_CASE(sim_iommu_fault_log_overflow),
	KUNIT_CASE(sim_iommu_translate_leaves),
	KUNIT_CASE(sim_iommu_physr_leaves),
	KUNIT_CASE(sim_iommu_iotlb_stale),
	KUNIT_CASE(iommu_flush_all),
	KUNIT_CASE(sim_iommu_iotlb_lru),
	KUNIT_CASE(sim_iommu_invalidate_cmds),
	KUNIT_CASE(iommu_attach_detach),
	KUNIT_CASE(iommu_dma_limit),
	KUNIT_CASE(iommu_groups_default_board),
	KUNIT_CASE(iommu_probe_rules),
	{}
};

static struct kunit_suite iommu_hw_suite = {
	.name = "iommu_hw",
	.suite_init = iommu_hw_suite_init,
	.suite_exit = iommu_hw_suite_exit,
	.exit = iommu_hw_exit,
	.test_cases = iommu_hw_cases,
};
kunit_test_suite(iommu_hw_suite);
