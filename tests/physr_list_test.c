// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the range list (lib/physr.c, <linux/physr.h>), the
 * portable suites: built and run both by our userspace runner and inside
 * Linux 6.12 under UML (make kernel-check, docs/kernel-build.md).  They
 * use the kernel's API and <kunit/portable.h> only; the suite that needs
 * the simulated machine, physr_pages, is tests/physr_test.c.
 *
 * Only the public API is used: what goes in through append and
 * append_p2p must come out of iteration, slicing and block iteration,
 * with the counts and the heap use the encoding promises.  Expected lists
 * are computed by a naive reference model (physr_test.h), never by
 * reading the list's internals.
 *
 * Suites:
 *   physr         appends, merge rules, encodings, bad input, heap use,
 *                 marks and rollback
 *   physr_view    slices (views), block iteration
 *   physr_random  seeded property test against the reference model
 *   physr_fail    allocation-failure injection (fail_nth) of the
 *                 allocations that may not sleep, which the kernel's
 *                 failslab fails too
 */
#include <kunit/test.h>
#include <kunit/portable.h>
#include <linux/align.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/overflow.h>
#include <linux/p2pdma_provider.h>
#include <linux/physr.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "physr_test.h"

/* What the failure-injection cases allocate with: see physr_fail. */
#define FAIL_GFP	GFP_NOWAIT

/* ---- physr: appends and merging --------------------------------------- */

static void physr_test_empty(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;
	struct physr_list list2;
	struct physr_block_iter bi;
	struct physr_view view;
	struct physr_iter it;
	struct physr r;
	int n = 0;

	EXPECT_EMPTY(test, &list);
	KUNIT_EXPECT_TRUE(test, physr_list_empty(&list));
	KUNIT_EXPECT_EQ(test, physr_list_heap_bytes(&list), (size_t)0);
	physr_for_each_block(&list, &bi, PS, &r)
		n++;
	KUNIT_EXPECT_EQ(test, n, 0);
	physr_for_each(&list, &it, &r)
		n++;
	KUNIT_EXPECT_EQ(test, n, 0);
	KUNIT_EXPECT_EQ(test, physr_list_slice(&list, 0, 1, &view), -EINVAL);
	KUNIT_EXPECT_EQ(test, physr_list_slice(&list, 0, 0, &view), -EINVAL);

	physr_list_init(&list2);
	EXPECT_EMPTY(test, &list2);
	physr_list_destroy(&list2);
	physr_list_destroy(&list);
	EXPECT_EMPTY(test, &list);
	KUNIT_EXPECT_EQ(test, physr_list_heap_bytes(&list), (size_t)0);
}

static void physr_test_single(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;
	s64 before = live_bytes();

	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0x10000, 0x3000,
						GFP_KERNEL), 0);
	EXPECT_RANGES(test, &list, { 0x10000, 0x3000, NULL });
	KUNIT_EXPECT_FALSE(test, physr_list_empty(&list));
	/* One small allocation, and heap bytes are what the list holds. */
	KUNIT_EXPECT_GT(test, physr_list_heap_bytes(&list), (size_t)0);
	KUNIT_EXPECT_LE(test, physr_list_heap_bytes(&list),
			(size_t)CHUNK_FIRST_MAX);
	IF_ACCOUNTED(KUNIT_EXPECT_EQ(test, live_bytes() - before,
				     (s64)physr_list_heap_bytes(&list)));

	physr_list_destroy(&list);
	EXPECT_EMPTY(test, &list);
	KUNIT_EXPECT_EQ(test, physr_list_heap_bytes(&list), (size_t)0);
	IF_ACCOUNTED(KUNIT_EXPECT_EQ(test, live_bytes(), before));

	/* A destroyed list is reusable. */
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0x1000, 1,
						GFP_KERNEL), 0);
	EXPECT_RANGES(test, &list, { 0x1000, 1, NULL });
	physr_list_destroy(&list);
	IF_ACCOUNTED(KUNIT_EXPECT_EQ(test, live_bytes(), before));
}

/*
 * Every kind of entry as the very first append, and as the first append
 * after a chunk filled up: the new chunk must hold all the words the
 * append needs (a provider switch plus a long entry is 4 words).
 */
static void physr_test_first_append_each_kind(struct kunit *test)
{
	static const struct {
		int prov;
		phys_addr_t addr;
		u64 len;
	} kinds[] = {
		{ -1, 0x1000, 0x1000 },		/* compact */
		{ -1, 0x1001, 0x1000 },		/* long */
		{ -1, 1ULL << 60, GiB(64) },	/* long */
		{ 0, 0x1000, 0x1000 },		/* provider + compact */
		{ 1, 0x1001, 0x1000 },		/* provider + long */
		{ 2, 1ULL << 60, 7 },		/* provider + long */
	};
	int k, lead, i;

	for (k = 0; k < (int)ARRAY_SIZE(kinds); k++) {
		struct p2pdma_provider *prov =
			kinds[k].prov < 0 ? NULL : PROV(kinds[k].prov);

		for (lead = 0; lead < 40; lead++) {
			struct physr_list list = PHYSR_LIST_INIT;
			struct ref_list ref;

			ref_init(&ref);
			for (i = 0; i < lead; i++)
				both_append(test, &list, &ref, NULL,
					    TiB(1) + (phys_addr_t)i * 2 * PS, PS);
			both_append(test, &list, &ref, prov, kinds[k].addr,
				    kinds[k].len);
			both_append(test, &list, &ref, prov,
				    kinds[k].addr + kinds[k].len, 0x10);
			list_matches_ref(test, &list, &ref);
			physr_list_destroy(&list);
			ref_destroy(&ref);
		}
	}
}

static void physr_test_merge_adjacent_ram(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;

	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0x10000, 0x2000,
						GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0x12000, 0x1000,
						GFP_KERNEL), 0);
	EXPECT_RANGES(test, &list, { 0x10000, 0x3000, NULL });
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0x13000, 0x5000,
						GFP_KERNEL), 0);
	EXPECT_RANGES(test, &list, { 0x10000, 0x8000, NULL });
	/* Grown in place: still one word in the first chunk. */
	KUNIT_EXPECT_EQ(test, physr_list_heap_bytes(&list),
			first_chunk_bytes(test));
	physr_list_destroy(&list);
}

static void physr_test_merge_many_in_place(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;
	int i;

	/* 1000 adjacent pages: one compact entry, never a second chunk. */
	for (i = 0; i < 1000; i++)
		KUNIT_ASSERT_EQ(test,
				physr_list_append(&list, GiB(1) + i * PS, PS,
						  GFP_KERNEL),
				0);
	EXPECT_RANGES(test, &list, { GiB(1), 1000 * PS, NULL });
	KUNIT_EXPECT_EQ(test, physr_list_heap_bytes(&list),
			first_chunk_bytes(test));
	physr_list_destroy(&list);
}

static void physr_test_gap_no_merge(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;

	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0x10000, 0x1000,
						GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0x12000, 0x1000,
						GFP_KERNEL), 0);
	/* One byte of gap is a gap. */
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0x13001, 0x10,
						GFP_KERNEL), 0);
	EXPECT_RANGES(test, &list,
		      { 0x10000, 0x1000, NULL },
		      { 0x12000, 0x1000, NULL },
		      { 0x13001, 0x10, NULL });
	physr_list_destroy(&list);
}

static void physr_test_reverse_adjacent_no_merge(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;

	/* The new range ends where the last one starts. */
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0x20000, 0x1000,
						GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0x1f000, 0x1000,
						GFP_KERNEL), 0);
	EXPECT_RANGES(test, &list,
		      { 0x20000, 0x1000, NULL },
		      { 0x1f000, 0x1000, NULL });
	/* Adjacent to the first one's end, but not to the last: no merge. */
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0x21000, 0x1000,
						GFP_KERNEL), 0);
	EXPECT_RANGES(test, &list,
		      { 0x20000, 0x1000, NULL },
		      { 0x1f000, 0x1000, NULL },
		      { 0x21000, 0x1000, NULL });
	physr_list_destroy(&list);
}

static void physr_test_same_range_twice(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;

	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0x5000, 0x1000,
						GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0x5000, 0x1000,
						GFP_KERNEL), 0);
	/* Overlapping, not adjacent. */
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0x5800, 0x1000,
						GFP_KERNEL), 0);
	EXPECT_RANGES(test, &list,
		      { 0x5000, 0x1000, NULL },
		      { 0x5000, 0x1000, NULL },
		      { 0x5800, 0x1000, NULL });
	physr_list_destroy(&list);
}

static void physr_test_merge_p2p(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;
	const phys_addr_t bar = TiB(2);

	/* Same provider, adjacent: merges. */
	size_t heap;

	KUNIT_ASSERT_EQ(test, physr_list_append_p2p(&list, PROV(0), bar, MiB(1),
						    GFP_KERNEL), 0);
	heap = physr_list_heap_bytes(&list);
	KUNIT_EXPECT_LE(test, heap, (size_t)CHUNK_FIRST_MAX);
	KUNIT_ASSERT_EQ(test,
			physr_list_append_p2p(&list, PROV(0), bar + MiB(1), MiB(1),
					      GFP_KERNEL),
			0);
	EXPECT_RANGES(test, &list, { TiB(2), MiB(2), PROV(0) });
	/* Grown in place. */
	KUNIT_EXPECT_EQ(test, physr_list_heap_bytes(&list), heap);

	/* Different provider, adjacent: no merge. */
	KUNIT_ASSERT_EQ(test,
			physr_list_append_p2p(&list, PROV(1), bar + MiB(2), MiB(1),
					      GFP_KERNEL),
			0);
	/* RAM (append) after P2P, adjacent: no merge. */
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, bar + MiB(3), MiB(1),
						GFP_KERNEL), 0);
	/* append_p2p with a NULL provider is RAM: merges with RAM. */
	KUNIT_ASSERT_EQ(test,
			physr_list_append_p2p(&list, NULL, bar + MiB(4), MiB(1),
					      GFP_KERNEL),
			0);
	/* P2P after RAM, adjacent: no merge. */
	KUNIT_ASSERT_EQ(test,
			physr_list_append_p2p(&list, PROV(1), bar + MiB(5), MiB(1),
					      GFP_KERNEL),
			0);
	/* Back to the first provider, adjacent: no merge. */
	KUNIT_ASSERT_EQ(test,
			physr_list_append_p2p(&list, PROV(0), bar + MiB(6), MiB(1),
					      GFP_KERNEL),
			0);
	EXPECT_RANGES(test, &list,
		      { TiB(2), MiB(2), PROV(0) },
		      { TiB(2) + MiB(2), MiB(1), PROV(1) },
		      { TiB(2) + MiB(3), MiB(2), NULL },
		      { TiB(2) + MiB(5), MiB(1), PROV(1) },
		      { TiB(2) + MiB(6), MiB(1), PROV(0) });
	physr_list_destroy(&list);
}

static void physr_test_p2p_first_then_ram(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;

	/* A list that starts with P2P, goes to RAM and back. */
	KUNIT_ASSERT_EQ(test, physr_list_append_p2p(&list, PROV(2), 0x1000, 0x1000,
						    GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0x2000, 0x1000,
						GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0x3000, 0x1000,
						GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append_p2p(&list, PROV(2), 0x4000, 0x1000,
						    GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append_p2p(&list, PROV(2), 0x5000, 0x1000,
						    GFP_KERNEL), 0);
	EXPECT_RANGES(test, &list,
		      { 0x1000, 0x1000, PROV(2) },
		      { 0x2000, 0x2000, NULL },
		      { 0x4000, 0x2000, PROV(2) });
	physr_list_destroy(&list);
}

static void physr_test_compact_then_unaligned(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;

	/* Compact entry, then an unaligned piece: joined through MORE. */
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0x100000, 0x2000,
						GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0x102000, 0x10,
						GFP_KERNEL), 0);
	EXPECT_RANGES(test, &list, { 0x100000, 0x2010, NULL });
	/* More unaligned, then back on a page boundary, then aligned. */
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0x102010, 0xff0,
						GFP_KERNEL), 0);
	EXPECT_RANGES(test, &list, { 0x100000, 0x3000, NULL });
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0x103000, 0x4000,
						GFP_KERNEL), 0);
	EXPECT_RANGES(test, &list, { 0x100000, 0x7000, NULL });
	/* A separate range after the joined one stays separate. */
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0x200000, 0x1000,
						GFP_KERNEL), 0);
	EXPECT_RANGES(test, &list,
		      { 0x100000, 0x7000, NULL },
		      { 0x200000, 0x1000, NULL });
	physr_list_destroy(&list);
}

static void physr_test_unaligned_then_aligned(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;

	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0x800, 0x800,
						GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0x1000, 0x1000,
						GFP_KERNEL), 0);
	EXPECT_RANGES(test, &list, { 0x800, 0x1800, NULL });
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0x2000, 0x1,
						GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0x2001, 0x1,
						GFP_KERNEL), 0);
	EXPECT_RANGES(test, &list, { 0x800, 0x1802, NULL });
	physr_list_destroy(&list);
}

static void physr_test_compact_capacity(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;
	const phys_addr_t base = GiB(4);
	int i;

	/* 20 GiB in 1 GiB pieces: a compact entry holds 16 GiB at most. */
	for (i = 0; i < 20; i++) {
		KUNIT_ASSERT_EQ(test,
				physr_list_append(&list, base + GiB(i), GiB(1),
						  GFP_KERNEL),
				0);
		KUNIT_EXPECT_EQ(test, physr_list_nr_ranges(&list), (u64)1);
		KUNIT_EXPECT_EQ(test, physr_list_len(&list), GiB(i + 1));
	}
	EXPECT_RANGES(test, &list, { GiB(4), GiB(20), NULL });
	KUNIT_EXPECT_EQ(test, physr_list_heap_bytes(&list),
			first_chunk_bytes(test));
	physr_list_destroy(&list);

	/* Exactly full, then one page more. */
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0, GiB(16),
						GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, GiB(16), PS,
						GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, GiB(16) + PS, PS,
						GFP_KERNEL), 0);
	EXPECT_RANGES(test, &list, { 0, GiB(16) + 2 * PS, NULL });
	physr_list_destroy(&list);

	/* Several full compact entries in a row, crossing chunks. */
	for (i = 0; i < 64; i++)
		KUNIT_ASSERT_EQ(test,
				physr_list_append(&list, GiB(16) * i, GiB(16),
						  GFP_KERNEL),
				0);
	EXPECT_RANGES(test, &list, { 0, GiB(16) * 64, NULL });
	KUNIT_EXPECT_GT(test, physr_list_heap_bytes(&list),
			first_chunk_bytes(test));
	physr_list_destroy(&list);
}

static void physr_test_long_chain(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;

	/* Long entries that cannot grow any more chain through MORE too. */
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0, PHYSR_MAX_LEN,
						GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test,
			physr_list_append(&list, PHYSR_MAX_LEN, PHYSR_MAX_LEN,
					  GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test,
			physr_list_append(&list, 2 * PHYSR_MAX_LEN, 5,
					  GFP_KERNEL), 0);
	EXPECT_RANGES(test, &list, { 0, 2 * PHYSR_MAX_LEN + 5, NULL });
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 1ULL << 63, 1,
						GFP_KERNEL), 0);
	EXPECT_RANGES(test, &list,
		      { 0, 2 * PHYSR_MAX_LEN + 5, NULL },
		      { 1ULL << 63, 1, NULL });
	physr_list_destroy(&list);
}

/* The same costs at scale, per range, chunk headers included. */
static void expect_cost(struct kunit *test, const char *what,
			struct p2pdma_provider *prov_a,
			struct p2pdma_provider *prov_b, phys_addr_t addr,
			u64 len, u64 n, u64 min_x2, u64 max_x2)
{
	struct physr_list list = PHYSR_LIST_INIT;
	u64 i;

	for (i = 0; i < n; i++) {
		int ret = physr_list_append_p2p(&list, i & 1 ? prov_b : prov_a,
						addr + i * 2 * len, len,
						GFP_KERNEL);
		if (ret) {
			KUNIT_FAIL(test, "%s: append %llu: %d", what,
				   (unsigned long long)i, ret);
			break;
		}
	}
	KUNIT_EXPECT_EQ_MSG(test, physr_list_nr_ranges(&list), n, "%s", what);
	/* Bytes per range in half-byte units. */
	KUNIT_EXPECT_GE_MSG(test, (u64)physr_list_heap_bytes(&list) * 2,
			    n * min_x2, "%s", what);
	KUNIT_EXPECT_LE_MSG(test, (u64)physr_list_heap_bytes(&list) * 2,
			    n * max_x2, "%s", what);
	physr_list_destroy(&list);
}

/*
 * A compact entry is one word, a long entry two, a provider switch two
 * more: per range, 8, 16 or 24 bytes plus a share of the chunk headers.
 */
static void physr_test_encoding_cost(struct kunit *test)
{
	/* Compact: page aligned, <= 16 GiB, below 2^52. */
	expect_cost(test, "compact", NULL, NULL, 0, PS, 100000, 16, 17);
	expect_cost(test, "compact 2M", NULL, NULL, GiB(4), MiB(2), 20000,
		    16, 17);
	expect_cost(test, "compact 16G", NULL, NULL, 0, GiB(16), 20000, 16, 17);
	expect_cost(test, "compact below 2^52", NULL, NULL,
		    (1ULL << 52) - 40000 * PS, PS, 20000, 16, 17);
	/* Long: unaligned start or length, > 16 GiB, at or above 2^52. */
	expect_cost(test, "long", NULL, NULL, 0x10, PS, 50000, 32, 34);
	expect_cost(test, "long unaligned len", NULL, NULL, 0, 0x800, 20000,
		    32, 34);
	expect_cost(test, "long one byte", NULL, NULL, 0, 1, 20000, 32, 34);
	expect_cost(test, "long 16G+4K", NULL, NULL, 0, GiB(16) + PS, 20000,
		    32, 34);
	expect_cost(test, "long 1T", NULL, NULL, 0, TiB(1), 20000, 32, 34);
	expect_cost(test, "long at 2^52", NULL, NULL, 1ULL << 52, PS, 20000,
		    32, 34);
	expect_cost(test, "long at 2^63", NULL, NULL, 1ULL << 63, MiB(2), 20000,
		    32, 34);
	expect_cost(test, "p2p compact", PROV(0), PROV(0), TiB(1), PS,
		    100000, 16, 17);
	/* Every range switches provider: 2 + 1 words each. */
	expect_cost(test, "p2p switch each", PROV(0), PROV(1), TiB(1), PS,
		    50000, 48, 50);
}

static void physr_test_high_and_long(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;
	struct ref_list ref;

	ref_init(&ref);
	/* Above 4 GiB, above 2^52, just under 2^64, > 4 GiB, > 16 GiB. */
	both_append(test, &list, &ref, NULL, GiB(4) + PS, PS);
	both_append(test, &list, &ref, NULL, GiB(8), GiB(5));
	both_append(test, &list, &ref, NULL, GiB(64), GiB(17));
	both_append(test, &list, &ref, NULL, GiB(64) + GiB(17), GiB(3) + 7);
	both_append(test, &list, &ref, NULL, 1ULL << 52, GiB(16));
	both_append(test, &list, &ref, NULL, (1ULL << 52) + GiB(17), GiB(40));
	both_append(test, &list, &ref, PROV(1), 1ULL << 60, GiB(20));
	both_append(test, &list, &ref, PROV(1), (1ULL << 60) + GiB(20), 3);
	both_append(test, &list, &ref, NULL, 0xfffffffffffff000ULL, 0xfff);
	both_append(test, &list, &ref, NULL, 0x123, 0x456);
	both_append(test, &list, &ref, NULL, 0x579, 0x1000);
	both_append(test, &list, &ref, NULL, 0x1579, 0xfffffff000ULL);
	both_append(test, &list, &ref, NULL, 0xfffffffffffffffeULL, 1);
	KUNIT_EXPECT_EQ(test, ref.nr, (size_t)9);
	list_matches_ref(test, &list, &ref);
	KUNIT_EXPECT_EQ(test, physr_list_len(&list),
			PS + GiB(5) + GiB(20) + 7 + GiB(16) + GiB(40) +
			GiB(20) + 3 + 0xfff + 0x456 + 0x1000 +
			0xfffffff000ULL + 1);
	physr_list_destroy(&list);
	ref_destroy(&ref);
}

/*
 * The caller's gfp flags reach the chunk allocator.  Each append below
 * starts an empty list, so it allocates once: the allocation carries the
 * flags it was given, and with failures armed only for allocations that
 * may not sleep (the kernel's ignore-gfp-wait), a GFP_KERNEL append goes
 * through while a GFP_NOWAIT or GFP_ATOMIC one fails and leaves its list
 * as it was.
 */
static void physr_test_gfp(struct kunit *test)
{
	struct physr_list a = PHYSR_LIST_INIT, b = PHYSR_LIST_INIT;
	struct physr_list c = PHYSR_LIST_INIT;
	gfp_t gfp;

	KUNIT_ASSERT_EQ(test, physr_list_append(&a, 0x10000, PS, GFP_ATOMIC),
			0);
	if (kunit_alloc_last_gfp(&gfp))
		KUNIT_EXPECT_EQ(test, gfp, GFP_ATOMIC);
	KUNIT_ASSERT_EQ(test, physr_list_append_p2p(&b, PROV(0), TiB(2), PS,
						    GFP_NOWAIT), 0);
	if (kunit_alloc_last_gfp(&gfp))
		KUNIT_EXPECT_EQ(test, gfp, GFP_NOWAIT);
	physr_list_destroy(&a);
	physr_list_destroy(&b);

	kunit_fail_nowait_set(1);
	KUNIT_EXPECT_EQ(test, physr_list_append(&a, 0x10000, PS, GFP_KERNEL),
			0);
	KUNIT_EXPECT_EQ(test, physr_list_append_p2p(&b, PROV(0), TiB(2), PS,
						    GFP_KERNEL), 0);
	KUNIT_EXPECT_FALSE(test, kunit_fail_triggered());
	KUNIT_EXPECT_EQ(test, physr_list_append(&c, 0x10000, PS, GFP_NOWAIT),
			-ENOMEM);
	KUNIT_EXPECT_TRUE(test, kunit_fail_triggered());
	kunit_fail_nowait_set(1);
	KUNIT_EXPECT_EQ(test, physr_list_append_p2p(&c, PROV(0), TiB(2), PS,
						    GFP_ATOMIC), -ENOMEM);
	KUNIT_EXPECT_TRUE(test, kunit_fail_triggered());
	kunit_fail_nowait_set(0);
	KUNIT_EXPECT_TRUE(test, physr_list_empty(&c));
	KUNIT_EXPECT_EQ(test, physr_list_heap_bytes(&c), 0);
	physr_list_destroy(&a);
	physr_list_destroy(&b);
}

static void physr_test_bad_input(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;
	struct snap s;
	int i;
	const struct {
		struct p2pdma_provider *prov;
		phys_addr_t addr;
		u64 len;
		int err;
	} bad[] = {
		{ NULL, 0x1000, 0, -EINVAL },
		{ NULL, 0x3000, 0, -EINVAL },		/* at the last end */
		{ PROV(0), 0x3000, 0, -EINVAL },
		{ PROV(1), 0, 0, -EINVAL },
		{ NULL, ~0ULL, 1, -EOVERFLOW },		/* end == 2^64 */
		{ NULL, ~0ULL - PS + 1, PS, -EOVERFLOW },
		{ NULL, 1ULL << 63, 1ULL << 63, -EOVERFLOW },
		{ PROV(0), ~0ULL - 0xfff, 0x2000, -EINVAL },	/* not in it */
		{ NULL, 0, PHYSR_MAX_LEN + 1, -EOVERFLOW },
		{ NULL, 0x3000, PHYSR_MAX_LEN + 1, -EOVERFLOW },
		{ PROV(0), 0x3000, PHYSR_MAX_LEN + 1, -EOVERFLOW },
		{ NULL, 0, ~0ULL, -EOVERFLOW },
		{ NULL, 0x3000, ~0ULL, -EOVERFLOW },
	};

	/* On an empty list, every error leaves it empty and unallocated. */
	for (i = 0; i < (int)ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_EQ_MSG(test,
				    physr_list_append_p2p(&list, bad[i].prov,
							  bad[i].addr,
							  bad[i].len,
							  GFP_KERNEL),
				    bad[i].err, "case %d", i);
		EXPECT_EMPTY(test, &list);
		KUNIT_EXPECT_EQ(test, physr_list_heap_bytes(&list), (size_t)0);
	}

	/*
	 * On a list whose tail could grow (compact, then long, then a P2P
	 * run whose chunk is full) nothing changes either.
	 */
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0x1000, 0x2000,
						GFP_KERNEL), 0);
	snap_take(test, &list, &s);
	for (i = 0; i < (int)ARRAY_SIZE(bad); i++) {
		int ret = bad[i].prov ?
			physr_list_append_p2p(&list, bad[i].prov, bad[i].addr,
					      bad[i].len, GFP_KERNEL) :
			physr_list_append(&list, bad[i].addr, bad[i].len,
					  GFP_KERNEL);

		KUNIT_EXPECT_EQ_MSG(test, ret, bad[i].err, "case %d", i);
		snap_matches(test, &list, &s);
	}
	snap_destroy(&s);
	/* Still growable as before: the errors did not touch the tail. */
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0x3000, 0x1000,
						GFP_KERNEL), 0);
	EXPECT_RANGES(test, &list, { 0x1000, 0x3000, NULL });

	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0x4000, 0x10,
						GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append_p2p(&list, PROV(0), 0x8000, 0x1000,
						    GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append_p2p(&list, PROV(0), 0xa000, 0x1000,
						    GFP_KERNEL), 0);
	snap_take(test, &list, &s);
	for (i = 0; i < (int)ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_EQ_MSG(test,
				    physr_list_append_p2p(&list, bad[i].prov,
							  bad[i].addr,
							  bad[i].len,
							  GFP_KERNEL),
				    bad[i].err, "case %d", i);
		snap_matches(test, &list, &s);
	}
	snap_destroy(&s);
	physr_list_destroy(&list);
}

/* The largest accepted values. */
static void physr_test_limits(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;

	KUNIT_EXPECT_EQ(test, physr_list_append(&list, 0, PHYSR_MAX_LEN,
						GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, physr_list_append(&list, ~0ULL - 1, 1,
						GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test,
			physr_list_append(&list, ~0ULL - PHYSR_MAX_LEN,
					  PHYSR_MAX_LEN, GFP_KERNEL), 0);
	EXPECT_RANGES(test, &list,
		      { 0, PHYSR_MAX_LEN, NULL },
		      { ~0ULL - 1, 1, NULL },
		      { ~0ULL - PHYSR_MAX_LEN, PHYSR_MAX_LEN, NULL });
	physr_list_destroy(&list);
}

/*
 * The total length of a list must not wrap.  Ranges need not be disjoint,
 * so nine appends of PHYSR_MAX_LEN bytes would describe more than 2^64
 * bytes; physr_list_len() would wrap and iteration, which stops after
 * physr_list_len() bytes, would lose ranges.  The append that would make
 * the total wrap fails with -EOVERFLOW and leaves the list unchanged.
 */
static void physr_test_total_len_overflow(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;
	struct ref_list ref;
	int i, ret = 0;

	ref_init(&ref);
	for (i = 0; i < 9; i++) {
		/* Alternate between two places so nothing merges. */
		phys_addr_t addr = (i & 1) ? 1ULL << 62 : 0;

		ret = both_append(test, &list, &ref, NULL, addr, PHYSR_MAX_LEN);
		if (ret)
			break;
	}
	KUNIT_EXPECT_EQ(test, ret, -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, i, 8);
	KUNIT_EXPECT_EQ(test, physr_list_len(&list), 8 * PHYSR_MAX_LEN);
	list_matches_ref(test, &list, &ref);
	physr_list_destroy(&list);
	ref_destroy(&ref);
}

/* Many ranges of every kind, over many chunks, with provider switches. */
static void physr_test_round_trip_chunks(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;
	struct ref_list ref;
	phys_addr_t addr = GiB(1);
	int i;

	ref_init(&ref);
	for (i = 0; i < 6000; i++) {
		struct p2pdma_provider *prov = NULL;
		u64 len = PS * (1 + i % 7);

		/* Runs of providers of varying length, so that switches
		 * fall at every position within a chunk. */
		switch ((i / (1 + i % 5)) % 4) {
		case 1:
			prov = PROV(1);
			break;
		case 2:
			prov = PROV(2);
			break;
		}
		if (i % 13 == 0)
			len += 0x123;			/* long entry */
		if (i % 11 == 0)
			addr += PS;			/* a gap */
		if (i % 17 == 0)
			addr = ALIGN(addr, PS) + TiB(8192); /* >= 2^52 */
		if (i % 19 == 0)
			addr = GiB(1) + i * MiB(1);
		both_append(test, &list, &ref, prov, addr, len);
		addr += len;
		if (i % 3 == 0)
			addr = ALIGN(addr, PS) + PS;
	}
	KUNIT_EXPECT_GT(test, ref.nr, (size_t)1000);
	KUNIT_EXPECT_GT(test, physr_list_heap_bytes(&list),
			(size_t)(4 * CHUNK_MAX));
	list_matches_ref(test, &list, &ref);
	physr_list_destroy(&list);
	ref_destroy(&ref);
}

/* A provider switch at every possible word position of a chunk. */
static void physr_test_provider_switch_positions(struct kunit *test)
{
	int lead;

	for (lead = 0; lead < 140; lead++) {
		struct physr_list list = PHYSR_LIST_INIT;
		struct ref_list ref;
		int i;

		ref_init(&ref);
		for (i = 0; i < lead; i++)
			both_append(test, &list, &ref, NULL,
				    (phys_addr_t)i * 2 * PS, PS);
		/* A switch, then a range adjacent to the last one. */
		both_append(test, &list, &ref, PROV(3),
			    (phys_addr_t)lead * 2 * PS, PS);
		both_append(test, &list, &ref, PROV(3),
			    (phys_addr_t)lead * 2 * PS + PS, 0x10);
		both_append(test, &list, &ref, NULL,
			    (phys_addr_t)lead * 2 * PS + PS + 0x10, PS);
		both_append(test, &list, &ref, NULL, 1ULL << 55, PS);
		list_matches_ref(test, &list, &ref);
		physr_list_destroy(&list);
		ref_destroy(&ref);
	}
}

/* A MORE chain at every possible position relative to a chunk end. */
static void physr_test_more_chain_positions(struct kunit *test)
{
	int lead;

	for (lead = 0; lead < 140; lead++) {
		struct physr_list list = PHYSR_LIST_INIT;
		struct ref_list ref;
		phys_addr_t a = TiB(1);
		int i;

		ref_init(&ref);
		for (i = 0; i < lead; i++)
			both_append(test, &list, &ref, NULL,
				    (phys_addr_t)i * 2 * PS, PS);
		/* compact(full) + compact + long + long(grown) + compact... */
		both_append(test, &list, &ref, NULL, a, GiB(16));
		both_append(test, &list, &ref, NULL, a + GiB(16), PS);
		both_append(test, &list, &ref, NULL, a + GiB(16) + PS, 1);
		both_append(test, &list, &ref, NULL, a + GiB(16) + PS + 1, 2);
		KUNIT_EXPECT_EQ(test, ref.nr, (size_t)lead + 1);
		both_append(test, &list, &ref, NULL, 0x42, 0x42);
		list_matches_ref(test, &list, &ref);
		physr_list_destroy(&list);
		ref_destroy(&ref);
	}
}

/*
 * heap_bytes is the sum of the chunks, as the allocator sees them: it
 * moves exactly when the list allocates, by what was allocated; chunks
 * grow from a small first one up to 4 KiB and no further.
 */
static void heap_growth(struct kunit *test, const char *what, phys_addr_t addr,
			u64 len, int n)
{
	struct physr_list list = PHYSR_LIST_INIT;
	s64 bytes0 = live_bytes(), allocs0 = live_allocs();
	size_t heap = 0, last_chunk = 0;
	s64 allocs = 0;
	int i, chunks = 0, max_chunks = 0;

	for (i = 0; i < n; i++) {
		KUNIT_ASSERT_EQ(test,
				physr_list_append(&list,
						  addr + (phys_addr_t)i * 2 * len,
						  len, GFP_KERNEL), 0);
		if (physr_list_heap_bytes(&list) != heap) {
			size_t chunk = physr_list_heap_bytes(&list) - heap;

			KUNIT_ASSERT_GT_MSG(test, physr_list_heap_bytes(&list),
					    heap, "%s: heap shrank", what);
			KUNIT_EXPECT_GE_MSG(test, chunk, last_chunk,
					    "%s: chunk %d", what, chunks);
			KUNIT_EXPECT_LE_MSG(test, chunk, (size_t)CHUNK_MAX,
					    "%s: chunk %d", what, chunks);
			if (!chunks)
				KUNIT_EXPECT_LE_MSG(test, chunk,
						    (size_t)CHUNK_FIRST_MAX,
						    "%s", what);
			if (chunk == CHUNK_MAX)
				max_chunks++;
			heap = physr_list_heap_bytes(&list);
			last_chunk = chunk;
			chunks++;
		}
		allocs = live_allocs() - allocs0;
		IF_ACCOUNTED(KUNIT_ASSERT_EQ_MSG(test, allocs, (s64)chunks,
						 "%s: after %d ranges", what,
						 i + 1));
		IF_ACCOUNTED(KUNIT_ASSERT_EQ_MSG(test, live_bytes() - bytes0,
						 (s64)heap,
						 "%s: after %d ranges", what,
						 i + 1));
	}
	kunit_info(test, "%s: %d ranges in %d chunks, %zu bytes", what, n,
		   chunks, heap);
	/* Large lists are made of 4 KiB chunks. */
	KUNIT_EXPECT_GE_MSG(test, max_chunks, 3, "%s", what);
	physr_list_destroy(&list);
	KUNIT_EXPECT_EQ(test, physr_list_heap_bytes(&list), (size_t)0);
	IF_ACCOUNTED(KUNIT_EXPECT_EQ(test, live_bytes(), bytes0));
	IF_ACCOUNTED(KUNIT_EXPECT_EQ(test, live_allocs(), allocs0));
}

static void physr_test_heap_accounting(struct kunit *test)
{
	heap_growth(test, "compact", 0, PS, 3000);
	heap_growth(test, "long", 0x100, PS, 1500);
}

/* The memory target: about 8 bytes per page-aligned range. */
static void physr_test_memory_target(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;
	const u64 n = 262144;
	s64 bytes0 = live_bytes();
	u64 i;

	for (i = 0; i < n; i++) {
		/* Discontiguous, varying lengths, all compact. */
		int ret = physr_list_append(&list, i * MiB(1),
					    PS * (1 + i % 16), GFP_KERNEL);
		if (ret) {
			KUNIT_FAIL(test, "append %llu: %d",
				   (unsigned long long)i, ret);
			break;
		}
	}
	KUNIT_EXPECT_EQ(test, physr_list_nr_ranges(&list), n);
	kunit_info(test, "%llu ranges: %zu heap bytes, %llu.%03llu per range",
		   (unsigned long long)n, physr_list_heap_bytes(&list),
		   (unsigned long long)(physr_list_heap_bytes(&list) / n),
		   (unsigned long long)(physr_list_heap_bytes(&list) % n *
					1000 / n));
	/* <= 8.5 bytes per range. */
	KUNIT_EXPECT_LE(test, (u64)physr_list_heap_bytes(&list) * 2, n * 17);
	IF_ACCOUNTED(KUNIT_EXPECT_EQ(test, live_bytes() - bytes0,
				     (s64)physr_list_heap_bytes(&list)));
	physr_list_destroy(&list);
	IF_ACCOUNTED(KUNIT_EXPECT_EQ(test, live_bytes(), bytes0));
}

/* ---- physr: mark and rollback ------------------------------------------ */

static void append_many(struct kunit *test, struct physr_list *list,
			phys_addr_t base, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		struct p2pdma_provider *prov = (i / 50) % 2 ? PROV(1) : NULL;
		u64 len = i % 3 ? PS : 0x801;

		KUNIT_ASSERT_EQ(test,
				physr_list_append_p2p(list, prov,
						      base + (phys_addr_t)i * 4 * PS,
						      len, GFP_KERNEL), 0);
	}
}

/*
 * physr_list_has_p2p() and physr_view_may_have_p2p() answer without a
 * walk: RAM alone says no, a range with a provider says yes from then
 * on, a rollback past it says no again, and a view says what its list
 * said when it was sliced.
 */
static void physr_test_has_p2p(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;
	struct physr_list_mark mark;
	struct physr_view view;

	KUNIT_EXPECT_FALSE(test, physr_list_has_p2p(&list));
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0x1000, 0x2000,
						GFP_KERNEL), 0);
	KUNIT_EXPECT_FALSE(test, physr_list_has_p2p(&list));
	KUNIT_ASSERT_EQ(test, physr_list_slice(&list, 0, 0x2000, &view), 0);
	KUNIT_EXPECT_FALSE(test, physr_view_may_have_p2p(&view));

	physr_list_mark(&list, &mark);
	KUNIT_ASSERT_EQ(test, physr_list_append_p2p(&list, PROV(0), 0x10000,
						    0x1000, GFP_KERNEL), 0);
	KUNIT_EXPECT_TRUE(test, physr_list_has_p2p(&list));
	/* RAM after P2P: still a list that holds P2P. */
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0x20000, 0x1000,
						GFP_KERNEL), 0);
	KUNIT_EXPECT_TRUE(test, physr_list_has_p2p(&list));
	KUNIT_ASSERT_EQ(test, physr_list_slice(&list, 0x2000, 0x1000, &view),
			0);
	KUNIT_EXPECT_TRUE(test, physr_view_may_have_p2p(&view));

	physr_list_rollback(&list, &mark);
	KUNIT_EXPECT_FALSE(test, physr_list_has_p2p(&list));
	physr_list_destroy(&list);
}

static void physr_test_rollback_empty(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;
	struct physr_list_mark mark;
	s64 bytes0 = live_bytes();

	physr_list_mark(&list, &mark);
	append_many(test, &list, 0, 2000);
	KUNIT_EXPECT_GT(test, physr_list_heap_bytes(&list), (size_t)CHUNK_MAX);
	physr_list_rollback(&list, &mark);
	EXPECT_EMPTY(test, &list);
	KUNIT_EXPECT_EQ(test, physr_list_heap_bytes(&list), (size_t)0);
	IF_ACCOUNTED(KUNIT_EXPECT_EQ(test, live_bytes(), bytes0));

	/* Usable afterwards, from scratch. */
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0x1000, 0x1000,
						GFP_KERNEL), 0);
	EXPECT_RANGES(test, &list, { 0x1000, 0x1000, NULL });

	/* Nothing appended since the mark. */
	physr_list_destroy(&list);
	physr_list_mark(&list, &mark);
	physr_list_rollback(&list, &mark);
	EXPECT_EMPTY(test, &list);
	IF_ACCOUNTED(KUNIT_EXPECT_EQ(test, live_bytes(), bytes0));
}

/*
 * Roll back over appends that grew or chained the tail entry: the tail
 * must be as it was, including for what the next append merges with.
 */
static void rollback_case(struct kunit *test, const char *what,
			  void (*build)(struct kunit *, struct physr_list *),
			  void (*after)(struct kunit *, struct physr_list *,
					phys_addr_t end),
			  phys_addr_t end)
{
	struct physr_list list = PHYSR_LIST_INIT;
	struct physr_list_mark mark;
	struct ref_list ref;
	struct snap s;
	s64 bytes0;
	struct physr last = { 0, 0 };
	struct physr_iter it;
	struct physr r;

	build(test, &list);
	snap_take(test, &list, &s);
	bytes0 = live_bytes();

	physr_list_mark(&list, &mark);
	after(test, &list, end);
	physr_list_rollback(&list, &mark);
	if (!snap_matches(test, &list, &s))
		KUNIT_FAIL(test, "%s: not as before", what);
	IF_ACCOUNTED(KUNIT_EXPECT_EQ_MSG(test, live_bytes(), bytes0, "%s",
					 what));

	/* Again, from the same mark (nothing since but the rollback). */
	physr_list_mark(&list, &mark);
	physr_list_rollback(&list, &mark);
	if (!snap_matches(test, &list, &s))
		KUNIT_FAIL(test, "%s: not as before (2)", what);

	/*
	 * The next appends behave as on the original: a RAM range at the
	 * old end merges (if the tail is RAM), a far one does not join.
	 */
	ref_init(&ref);
	physr_for_each(&list, &it, &r) {
		ref_push(test, &ref, physr_iter_provider(&it), r.addr, r.len);
		ref.len += r.len;
		last = r;
	}
	KUNIT_ASSERT_GT(test, ref.nr, (size_t)0);
	KUNIT_EXPECT_EQ(test, last.addr + last.len, end);
	both_append(test, &list, &ref, NULL, end, PS);
	both_append(test, &list, &ref, NULL, 1ULL << 56, PS);
	both_append(test, &list, &ref, NULL, (1ULL << 56) + PS, 1);
	if (!list_matches_ref(test, &list, &ref))
		KUNIT_FAIL(test, "%s: appends after rollback", what);
	ref_destroy(&ref);
	snap_destroy(&s);
	physr_list_destroy(&list);
	KUNIT_EXPECT_EQ(test, physr_list_heap_bytes(&list), (size_t)0);
}

static void build_compact_tail(struct kunit *test, struct physr_list *list)
{
	KUNIT_ASSERT_EQ(test, physr_list_append(list, 0x100000, 0x1000,
						GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(list, 0x200000, 0x2000,
						GFP_KERNEL), 0);
}

static void build_full_compact_tail(struct kunit *test, struct physr_list *list)
{
	KUNIT_ASSERT_EQ(test, physr_list_append(list, 0x100000, 0x1000,
						GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(list, GiB(16), GiB(16),
						GFP_KERNEL), 0);
}

static void build_long_tail(struct kunit *test, struct physr_list *list)
{
	KUNIT_ASSERT_EQ(test, physr_list_append(list, 0x100000, 0x1000,
						GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(list, 0x200000, 0x1801,
						GFP_KERNEL), 0);
}

static void build_p2p_tail(struct kunit *test, struct physr_list *list)
{
	KUNIT_ASSERT_EQ(test, physr_list_append(list, 0x100000, 0x1000,
						GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append_p2p(list, PROV(0), 0x200000, 0x2000,
						    GFP_KERNEL), 0);
}

static void build_full_chunk(struct kunit *test, struct physr_list *list)
{
	int i, n = compact_fill(test, 2);

	/* Exactly fills the first two chunks; the last range ends at 2^40 + 4K. */
	for (i = 0; i < n - 1; i++)
		KUNIT_ASSERT_EQ(test,
				physr_list_append(list, (phys_addr_t)i * 2 * PS, PS,
						  GFP_KERNEL),
				0);
	KUNIT_ASSERT_EQ(test, physr_list_append(list, 1ULL << 40, PS,
						GFP_KERNEL), 0);
}

static void build_many_chunks(struct kunit *test, struct physr_list *list)
{
	append_many(test, list, TiB(1), 1500);
	KUNIT_ASSERT_EQ(test, physr_list_append(list, 0x42000, 0x1000,
						GFP_KERNEL), 0);
}

static void after_grow(struct kunit *test, struct physr_list *list,
		       phys_addr_t end)
{
	/* Grow the tail in place, chain onto it, then many more. */
	KUNIT_ASSERT_EQ(test, physr_list_append(list, end, PS, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(list, end + PS, 3,
						GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(list, end + PS + 3, GiB(17),
						GFP_KERNEL), 0);
	append_many(test, list, TiB(4), 1000);
}

static void after_chain(struct kunit *test, struct physr_list *list,
			phys_addr_t end)
{
	/* Chain onto the tail (it is full or long), then more chunks. */
	KUNIT_ASSERT_EQ(test, physr_list_append(list, end, GiB(1),
						GFP_KERNEL), 0);
	append_many(test, list, TiB(4), 600);
}

static void after_switch(struct kunit *test, struct physr_list *list,
			 phys_addr_t end)
{
	KUNIT_ASSERT_EQ(test, physr_list_append_p2p(list, PROV(2), end, PS,
						    GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(list, end + PS, PS,
						GFP_KERNEL), 0);
}

static void after_nothing_new(struct kunit *test, struct physr_list *list,
			      phys_addr_t end)
{
	/* Only grow the tail; no new entry, no new chunk. */
	KUNIT_ASSERT_EQ(test, physr_list_append(list, end, PS, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(list, end + PS, PS,
						GFP_KERNEL), 0);
}

static void physr_test_rollback(struct kunit *test)
{
	rollback_case(test, "compact tail, grow", build_compact_tail,
		      after_grow, 0x202000);
	rollback_case(test, "compact tail, grow only", build_compact_tail,
		      after_nothing_new, 0x202000);
	rollback_case(test, "full compact tail, chain", build_full_compact_tail,
		      after_chain, GiB(32));
	rollback_case(test, "long tail, grow", build_long_tail, after_grow,
		      0x201801);
	rollback_case(test, "long tail, chain", build_long_tail, after_chain,
		      0x201801);
	rollback_case(test, "p2p tail, switch", build_p2p_tail, after_switch,
		      0x202000);
	rollback_case(test, "p2p tail, chain", build_p2p_tail, after_chain,
		      0x202000);
	rollback_case(test, "full chunk, grow", build_full_chunk, after_grow,
		      (1ULL << 40) + PS);
	rollback_case(test, "full chunk, switch", build_full_chunk,
		      after_switch, (1ULL << 40) + PS);
	rollback_case(test, "many chunks, chain", build_many_chunks,
		      after_chain, 0x43000);
	rollback_case(test, "many chunks, grow", build_many_chunks,
		      after_grow, 0x43000);
}

static void physr_test_rollback_nested(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;
	struct physr_list_mark m1, m2;
	struct snap s1, s2;

	/* Back to the inner mark, then on. */
	build_compact_tail(test, &list);
	physr_list_mark(&list, &m1);
	append_many(test, &list, TiB(1), 300);
	snap_take(test, &list, &s2);
	physr_list_mark(&list, &m2);
	append_many(test, &list, TiB(2), 300);
	physr_list_rollback(&list, &m2);
	snap_matches(test, &list, &s2);
	append_many(test, &list, TiB(3), 700);
	snap_destroy(&s2);
	physr_list_destroy(&list);

	/* Straight back to the outer mark, over the inner one. */
	build_compact_tail(test, &list);
	snap_take(test, &list, &s1);
	physr_list_mark(&list, &m1);
	append_many(test, &list, TiB(1), 300);
	physr_list_mark(&list, &m2);
	append_many(test, &list, TiB(2), 700);
	physr_list_rollback(&list, &m1);
	snap_matches(test, &list, &s1);
	snap_destroy(&s1);
	physr_list_destroy(&list);
}

/*
 * Walk @it taking ranges of @len in bulk wherever physr_iter_next_bulk()
 * takes any (in batches of at most @max), the others one by one, and
 * check the result is exactly the plain walk @want[0..@nr).
 */
static void bulk_walk(struct kunit *test, struct physr_iter *it, u64 len,
		      unsigned int max, const struct physr *want, u64 nr)
{
	u64 *out, k = 0, taken = 0;
	struct physr r;
	unsigned int n, i;

	/* 600 words: on the heap, the kernel's stack is small. */
	out = kunit_kcalloc(test, 600, sizeof(*out), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, out);
	for (;;) {
		n = physr_iter_next_bulk(it, len, out, max, 0x5);
		KUNIT_ASSERT_LE(test, n, max);
		for (i = 0; i < n; i++, k++) {
			KUNIT_ASSERT_LT(test, k, nr);
			KUNIT_EXPECT_EQ(test, want[k].len, len);
			KUNIT_EXPECT_EQ(test, want[k].addr & (len - 1), 0ULL);
			KUNIT_EXPECT_EQ(test, out[i], want[k].addr | 0x5);
		}
		taken += n;
		if (!physr_iter_next(it, &r))
			break;
		KUNIT_ASSERT_LT(test, k, nr);
		KUNIT_EXPECT_EQ(test, r.addr, want[k].addr);
		KUNIT_EXPECT_EQ(test, r.len, want[k].len);
		k++;
	}
	KUNIT_EXPECT_EQ(test, k, nr);
	/* Something was taken in bulk, but never the last range. */
	KUNIT_EXPECT_GT(test, taken, 0ULL);
	KUNIT_EXPECT_LT(test, taken, nr);
}

static u64 plain_walk(struct physr_iter *it, struct physr *want, u64 room)
{
	u64 nr = 0;

	while (nr < room && physr_iter_next(it, &want[nr]))
		nr++;
	return nr;
}

/* physr_iter_next_bulk(): exactly the plain walk, taken faster. */
static void physr_test_next_bulk(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;
	struct physr_view view;
	struct physr_iter it;
	struct physr *want;
	u64 i, nr, room = 4000;

	want = kunit_kcalloc(test, room, sizeof(*want), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, want);

	/*
	 * Lone pages over several chunks, a two-page range, a P2P switch,
	 * 2 MiB ranges aligned and not, a MORE chain, pages again.
	 */
	for (i = 0; i < 1500; i++)
		KUNIT_ASSERT_EQ(test, physr_list_append(&list,
				GiB(1) + 2 * i * PS, PS, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, GiB(2), 2 * PS,
						GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append_p2p(&list, PROV(0),
						    GiB(64), PS,
						    GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, GiB(3), PS,
						GFP_KERNEL), 0);
	for (i = 0; i < 40; i++)
		KUNIT_ASSERT_EQ(test, physr_list_append(&list,
				GiB(4) + 2 * i * MiB(2) + (i == 20 ? PS : 0),
				MiB(2), GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, TiB(1), GiB(20),
						GFP_KERNEL), 0);
	for (i = 0; i < 700; i++)
		KUNIT_ASSERT_EQ(test, physr_list_append(&list,
				GiB(5) + 2 * i * PS, PS, GFP_KERNEL), 0);

	physr_iter_init(&it, &list);
	nr = plain_walk(&it, want, room);
	KUNIT_ASSERT_LT(test, nr, room);

	physr_iter_init(&it, &list);
	bulk_walk(test, &it, PS, 600, want, nr);
	physr_iter_init(&it, &list);
	bulk_walk(test, &it, PS, 7, want, nr);
	physr_iter_init(&it, &list);
	bulk_walk(test, &it, MiB(2), 600, want, nr);

	/* A view starting inside a page and ending inside another. */
	KUNIT_ASSERT_EQ(test, physr_list_slice(&list, 100 * PS + 17,
					       1000 * PS, &view), 0);
	physr_iter_init_view(&it, &view);
	nr = plain_walk(&it, want, room);
	physr_iter_init_view(&it, &view);
	bulk_walk(test, &it, PS, 600, want, nr);

	/* Bad sizes take nothing. */
	physr_iter_init(&it, &list);
	KUNIT_EXPECT_EQ(test, physr_iter_next_bulk(&it, 3 * PS, NULL, 8, 0),
			0U);
	KUNIT_EXPECT_EQ(test, physr_iter_next_bulk(&it, 0, NULL, 8, 0), 0U);
	physr_list_destroy(&list);
}

static struct kunit_case physr_test_cases[] = {
	KUNIT_CASE(physr_test_empty),
	KUNIT_CASE(physr_test_single),
	KUNIT_CASE(physr_test_first_append_each_kind),
	KUNIT_CASE(physr_test_merge_adjacent_ram),
	KUNIT_CASE(physr_test_merge_many_in_place),
	KUNIT_CASE(physr_test_gap_no_merge),
	KUNIT_CASE(physr_test_reverse_adjacent_no_merge),
	KUNIT_CASE(physr_test_same_range_twice),
	KUNIT_CASE(physr_test_merge_p2p),
	KUNIT_CASE(physr_test_p2p_first_then_ram),
	KUNIT_CASE(physr_test_compact_then_unaligned),
	KUNIT_CASE(physr_test_unaligned_then_aligned),
	KUNIT_CASE(physr_test_compact_capacity),
	KUNIT_CASE(physr_test_long_chain),
	KUNIT_CASE(physr_test_encoding_cost),
	KUNIT_CASE(physr_test_high_and_long),
	KUNIT_CASE(physr_test_gfp),
	KUNIT_CASE(physr_test_bad_input),
	KUNIT_CASE(physr_test_limits),
	KUNIT_CASE(physr_test_total_len_overflow),
	KUNIT_CASE(physr_test_round_trip_chunks),
	KUNIT_CASE(physr_test_provider_switch_positions),
	KUNIT_CASE(physr_test_more_chain_positions),
	KUNIT_CASE(physr_test_heap_accounting),
	KUNIT_CASE(physr_test_memory_target),
	KUNIT_CASE(physr_test_has_p2p),
	KUNIT_CASE(physr_test_rollback_empty),
	KUNIT_CASE(physr_test_rollback),
	KUNIT_CASE(physr_test_rollback_nested),
	KUNIT_CASE(physr_test_next_bulk),
	{}
};

static struct kunit_suite physr_test_suite = {
	.name = "physr",
	.test_cases = physr_test_cases,
};
kunit_test_suite(physr_test_suite);

/* ---- physr_view: slices and block iteration ---------------------------- */

/*
 * A list with its reference and the offset of each range in it:
 * start[i] is where range i begins, start[nr] the list's length.
 */
struct fixture {
	struct physr_list list;
	struct ref_list ref;
	u64 *start;
};

static void fixture_init(struct fixture *f)
{
	physr_list_init(&f->list);
	ref_init(&f->ref);
	f->start = NULL;
}

static void fixture_index(struct kunit *test, struct fixture *f)
{
	size_t i;

	kvfree(f->start);
	f->start = kvmalloc_array(f->ref.nr + 1, sizeof(*f->start), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f->start);
	f->start[0] = 0;
	for (i = 0; i < f->ref.nr; i++)
		f->start[i + 1] = f->start[i] + f->ref.r[i].len;
	KUNIT_ASSERT_EQ(test, f->start[f->ref.nr], f->ref.len);
}

static void fixture_destroy(struct fixture *f)
{
	physr_list_destroy(&f->list);
	ref_destroy(&f->ref);
	kvfree(f->start);
	f->start = NULL;
}

/* The range that holds byte @off of the list (@off < length). */
static size_t fixture_find(const struct fixture *f, u64 off)
{
	size_t lo = 0, hi = f->ref.nr;	/* start[lo] <= off < start[hi] */

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (f->start[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static void fx(struct kunit *test, struct fixture *f,
	       struct p2pdma_provider *prov, phys_addr_t addr, u64 len)
{
	KUNIT_ASSERT_EQ(test, both_append(test, &f->list, &f->ref, prov, addr,
					  len), 0);
}

/*
 * Ranges of every shape: compact, long, P2P runs, a range joined from
 * several entries (MORE), huge ones (@huge), then @nr_small small ranges
 * over several chunks with provider runs crossing chunk boundaries, and a
 * last one-byte range.
 */
static void fixture_build(struct kunit *test, struct fixture *f, int nr_small,
			  bool huge)
{
	phys_addr_t a;
	int i;

	fixture_init(f);
	fx(test, f, NULL, 0x10000, 0x3000);
	fx(test, f, NULL, 0x20800, 0x1800);
	fx(test, f, PROV(0), TiB(1), MiB(2));
	fx(test, f, PROV(0), TiB(1) + MiB(2), 5);	/* joined */
	fx(test, f, PROV(1), TiB(1) + MiB(2) + 5, PS);
	if (huge) {
		/* 17 GiB + 0x123: compact (full) + compact + long. */
		for (i = 0; i < 17; i++)
			fx(test, f, NULL, GiB(4) + GiB(i), GiB(1));
		fx(test, f, NULL, GiB(21), 0x123);
		fx(test, f, NULL, 1ULL << 52, GiB(20));
	} else {
		/* The same shapes, small: compact + long + compact. */
		fx(test, f, NULL, GiB(4), MiB(1));
		fx(test, f, NULL, GiB(4) + MiB(1), 0x80);
		fx(test, f, NULL, GiB(4) + MiB(1) + 0x80, 0xf80);
		fx(test, f, NULL, GiB(4) + MiB(1) + PS, 3 * PS);
		fx(test, f, NULL, 1ULL << 52, MiB(3));
	}
	a = GiB(64);
	for (i = 0; i < nr_small; i++) {
		struct p2pdma_provider *prov = NULL;
		u64 len = PS * (1 + i % 3);

		if ((i / 37) % 3 == 1)
			prov = PROV(2);
		else if ((i / 37) % 3 == 2)
			prov = PROV(3);
		if (i % 5 == 0)
			len += 0x80;
		if (i % 7 != 3)
			a = ALIGN(a, PS) + PS;		/* else adjacent */
		fx(test, f, prov, a, len);
		a += len;
	}
	fx(test, f, NULL, ~0ULL - 1, 1);
	fixture_index(test, f);
}

/* Expected ranges of a window, trimmed, from the reference. */
struct ref_cursor {
	const struct ref_range *r;
	size_t i;
	size_t nr;
	u64 skip;
	u64 remaining;
};

static void ref_cursor_init(struct ref_cursor *c, const struct fixture *f,
			    u64 off, u64 len)
{
	c->r = f->ref.r;
	c->nr = f->ref.nr;
	c->i = len ? fixture_find(f, off) : 0;
	c->skip = len ? off - f->start[c->i] : 0;
	c->remaining = len;
}

static bool ref_cursor_next(struct ref_cursor *c, struct ref_range *out)
{
	if (!c->remaining || c->i >= c->nr)
		return false;
	*out = c->r[c->i++];
	out->addr += c->skip;
	out->len -= c->skip;
	c->skip = 0;
	if (out->len > c->remaining)
		out->len = c->remaining;
	c->remaining -= out->len;
	return true;
}

/* Pieces a block iteration over @c must return. */
static u64 ref_count_blocks(struct ref_cursor c, u64 bs)
{
	unsigned int shift = __builtin_ctzll(bs);
	struct ref_range r;
	u64 n = 0;

	while (ref_cursor_next(&c, &r))
		n += ((r.addr + r.len - 1) >> shift) - (r.addr >> shift) + 1;
	return n;
}

/* Compare an iterator (already initialised) with the reference. */
static bool check_iter(struct kunit *test, const char *what,
		       struct physr_iter *it, struct ref_cursor c)
{
	struct ref_range want;
	struct physr r;
	u64 n = 0;

	while (physr_iter_next(it, &r)) {
		if (!ref_cursor_next(&c, &want)) {
			KUNIT_FAIL(test, "%s: extra range #%llu [%#llx +%#llx]",
				   what, (unsigned long long)n,
				   (unsigned long long)r.addr,
				   (unsigned long long)r.len);
			return false;
		}
		if (r.addr != want.addr || r.len != want.len ||
		    physr_iter_provider(it) != want.prov) {
			KUNIT_FAIL(test,
				   "%s: range #%llu: got [%#llx +%#llx] prov %p, want [%#llx +%#llx] prov %p",
				   what, (unsigned long long)n,
				   (unsigned long long)r.addr,
				   (unsigned long long)r.len,
				   (void *)physr_iter_provider(it),
				   (unsigned long long)want.addr,
				   (unsigned long long)want.len,
				   (void *)want.prov);
			return false;
		}
		n++;
	}
	if (ref_cursor_next(&c, &want)) {
		KUNIT_FAIL(test, "%s: missing range #%llu [%#llx +%#llx]", what,
			   (unsigned long long)n, (unsigned long long)want.addr,
			   (unsigned long long)want.len);
		return false;
	}
	return true;
}

/*
 * Compare a block iterator (already initialised) with the reference: the
 * ranges cut at every multiple of @bs.  Each piece must lie in one block.
 */
static bool check_blocks(struct kunit *test, const char *what,
			 struct physr_block_iter *bi, struct ref_cursor c,
			 u64 bs)
{
	struct ref_range cur = { 0, 0, NULL };
	struct physr b;
	u64 n = 0;

	while (physr_block_iter_next(bi, &b)) {
		u64 piece;

		if (!cur.len && !ref_cursor_next(&c, &cur)) {
			KUNIT_FAIL(test, "%s/%#llx: extra piece [%#llx +%#llx]",
				   what, (unsigned long long)bs,
				   (unsigned long long)b.addr,
				   (unsigned long long)b.len);
			return false;
		}
		piece = bs - (cur.addr & (bs - 1));
		if (piece > cur.len)
			piece = cur.len;
		if (b.addr != cur.addr || b.len != piece || !b.len ||
		    ((b.addr ^ (b.addr + b.len - 1)) & ~(bs - 1))) {
			KUNIT_FAIL(test,
				   "%s/%#llx: piece #%llu: got [%#llx +%#llx], want [%#llx +%#llx]",
				   what, (unsigned long long)bs,
				   (unsigned long long)n,
				   (unsigned long long)b.addr,
				   (unsigned long long)b.len,
				   (unsigned long long)cur.addr,
				   (unsigned long long)piece);
			return false;
		}
		cur.addr += piece;
		cur.len -= piece;
		n++;
	}
	if (cur.len || ref_cursor_next(&c, &cur)) {
		KUNIT_FAIL(test, "%s/%#llx: missing piece #%llu at %#llx", what,
			   (unsigned long long)bs, (unsigned long long)n,
			   (unsigned long long)cur.addr);
		return false;
	}
	return true;
}

/* Most pieces a block check may walk (keeps the suites fast). */
#define BLOCK_CHECK_LIMIT	200000

/*
 * Slice [@off, @off + @len) of the fixture, iterate the view by range and
 * by blocks of @bs (0: none), compare with the reference.
 */
static bool check_slice(struct kunit *test, const struct fixture *f, u64 off,
			u64 len, u64 bs)
{
	struct physr_block_iter bi;
	struct physr_view view;
	struct physr_iter it;
	struct ref_cursor c;
	char what[80];
	int ret;

	snprintf(what, sizeof(what), "slice(%#llx, %#llx)",
		 (unsigned long long)off, (unsigned long long)len);
	ret = physr_list_slice(&f->list, off, len, &view);
	if (ret) {
		KUNIT_FAIL(test, "%s: %d", what, ret);
		return false;
	}
	if (physr_view_len(&view) != len) {
		KUNIT_FAIL(test, "%s: view len %#llx", what,
			   (unsigned long long)physr_view_len(&view));
		return false;
	}
	ref_cursor_init(&c, f, off, len);
	physr_iter_init_view(&it, &view);
	if (!check_iter(test, what, &it, c))
		return false;
	if (bs && ref_count_blocks(c, bs) <= BLOCK_CHECK_LIMIT) {
		physr_block_iter_init_view(&bi, &view, bs);
		if (!check_blocks(test, what, &bi, c, bs))
			return false;
	}
	return true;
}

static bool check_list_blocks(struct kunit *test, const struct fixture *f,
			      u64 bs)
{
	struct physr_block_iter bi;
	struct ref_cursor c;

	ref_cursor_init(&c, f, 0, f->ref.len);
	if (ref_count_blocks(c, bs) > BLOCK_CHECK_LIMIT)
		return true;
	physr_block_iter_init(&bi, &f->list, bs);
	return check_blocks(test, "list", &bi, c, bs);
}

static void physr_view_test_whole(struct kunit *test)
{
	struct physr_view view;
	struct physr_iter it;
	struct ref_cursor c;
	struct fixture f;

	fixture_build(test, &f, 700, true);
	KUNIT_EXPECT_GT(test, physr_list_heap_bytes(&f.list), (size_t)CHUNK_MAX);
	list_matches_ref(test, &f.list, &f.ref);
	/* The whole list as a view is the list. */
	KUNIT_ASSERT_EQ(test, physr_list_slice(&f.list, 0, f.ref.len, &view), 0);
	KUNIT_EXPECT_EQ(test, physr_view_len(&view), f.ref.len);
	ref_cursor_init(&c, &f, 0, f.ref.len);
	physr_iter_init_view(&it, &view);
	check_iter(test, "whole", &it, c);
	check_slice(test, &f, 0, f.ref.len, GiB(1));
	check_slice(test, &f, 0, f.ref.len, 1ULL << 63);
	/* And the list itself, through physr_iter_init(). */
	physr_iter_init(&it, &f.list);
	check_iter(test, "list", &it, c);
	fixture_destroy(&f);
}

/* Every pair of offsets at, or one byte around, the first range boundaries. */
static void physr_view_test_boundaries(struct kunit *test)
{
	struct fixture f;
	u64 offs[64];
	int n = 0, i, j;
	size_t r;

	fixture_build(test, &f, 40, false);
	for (r = 0; r <= f.ref.nr && n + 3 <= (int)ARRAY_SIZE(offs); r++) {
		/* The first 12 boundaries, then the last 4. */
		if (r >= 12 && r + 4 < f.ref.nr)
			continue;
		if (f.start[r])
			offs[n++] = f.start[r] - 1;
		offs[n++] = f.start[r];
		if (r < f.ref.nr)
			offs[n++] = f.start[r] + 1;
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			if (offs[i] < offs[j] && offs[j] <= f.ref.len)
				if (!check_slice(test, &f, offs[i],
						 offs[j] - offs[i],
						 (i + j) % 2 ? PS : 64))
					goto out;
out:
	fixture_destroy(&f);
}

/* Slices over many chunks: from every range, of several lengths. */
static void physr_view_test_chunks(struct kunit *test)
{
	static const u64 block_sizes[] = { 64, PS, MiB(2) };
	struct fixture f;
	size_t i, k;

	fixture_build(test, &f, 1500, true);
	KUNIT_EXPECT_GT(test, physr_list_heap_bytes(&f.list),
			(size_t)(2 * CHUNK_MAX));
	for (i = 0; i < f.ref.nr; i++) {
		const size_t ends[] = { i + 1, i + 2, i + 40 };
		u64 s = f.start[i];

		for (k = 0; k < ARRAY_SIZE(ends); k++) {
			u64 e = f.start[min(ends[k], f.ref.nr)];
			u64 bs = block_sizes[(i + k) % 3];

			if (!check_slice(test, &f, s, e - s, bs) ||
			    (s + 1 < f.ref.len &&
			     !check_slice(test, &f, s + 1, e - s - 1 ?: 1, bs)) ||
			    !check_slice(test, &f, s, 1, bs) ||
			    (s && !check_slice(test, &f, s - 1, e - s + 1, bs)) ||
			    (e < f.ref.len &&
			     !check_slice(test, &f, s, e - s + 1, bs)) ||
			    (e - s > 1 &&
			     !check_slice(test, &f, s, e - s - 1, bs)))
				goto out;
		}
	}
	/* From everywhere to the end, and from the start to everywhere. */
	for (i = 0; i < f.ref.nr; i += 7) {
		if (!check_slice(test, &f, f.start[i], f.ref.len - f.start[i],
				 0) ||
		    !check_slice(test, &f, 0, f.start[i + 1], 0))
			goto out;
	}
out:
	fixture_destroy(&f);
}

/*
 * Slices that start or end exactly where a chunk begins.  Where chunks
 * begin is seen through heap bytes: an append that grew the heap wrote
 * its entry at the start of a new chunk, at the list's old length.
 */
static void physr_view_test_chunk_edges(struct kunit *test)
{
	struct fixture f;
	u64 edges[64];
	int n = 0, i, k;

	fixture_init(&f);
	for (i = 0; i < 3000; i++) {
		size_t heap = physr_list_heap_bytes(&f.list);
		u64 before = f.ref.len;
		struct p2pdma_provider *prov = (i / 300) % 2 ? PROV(1) : NULL;
		phys_addr_t addr = TiB(1) + (phys_addr_t)i * 4 * PS;

		/* Some chains: an unaligned piece right after a range. */
		if (i % 9 == 8)
			addr = f.ref.r[f.ref.nr - 1].addr + f.ref.r[f.ref.nr - 1].len;
		if (i % 23 == 0)
			prov = PROV(2);
		fx(test, &f, prov, addr, i % 9 == 8 ? 0x11 : PS);
		if (heap && physr_list_heap_bytes(&f.list) != heap &&
		    n < (int)ARRAY_SIZE(edges))
			edges[n++] = before;
	}
	fixture_index(test, &f);
	KUNIT_EXPECT_GE(test, n, 5);
	for (k = 0; k < n; k++) {
		u64 e = edges[k];
		static const u64 lens[] = { 1, 2, 0x11, PS, PS + 1, 3 * PS };

		for (i = 0; i < (int)ARRAY_SIZE(lens); i++) {
			if (e + lens[i] <= f.ref.len &&
			    !check_slice(test, &f, e, lens[i], 64))
				goto out;
			if (e + 1 + lens[i] <= f.ref.len &&
			    !check_slice(test, &f, e + 1, lens[i], 64))
				goto out;
			if (e >= lens[i] &&
			    !check_slice(test, &f, e - lens[i], lens[i], 64))
				goto out;
			if (e >= lens[i] && e + lens[i] <= f.ref.len &&
			    !check_slice(test, &f, e - lens[i], 2 * lens[i], 64))
				goto out;
		}
		if (!check_slice(test, &f, e, f.ref.len - e, 0) ||
		    !check_slice(test, &f, 0, e, 0))
			goto out;
	}
out:
	fixture_destroy(&f);
}

/* Inside one range made of several entries: still one range. */
static void physr_view_test_joined(struct kunit *test)
{
	struct physr_view view;
	struct physr_iter it;
	struct physr r;
	struct fixture f;
	u64 base;
	size_t idx;
	int n;

	fixture_build(test, &f, 0, true);
	/* The 17 GiB + 0x123 range starting at 4 GiB. */
	idx = fixture_find(&f, f.start[0] + 0x3000 + 0x1800 + MiB(2) + 5 + PS);
	KUNIT_ASSERT_EQ(test, f.ref.r[idx].addr, GiB(4));
	KUNIT_ASSERT_EQ(test, f.ref.r[idx].len, GiB(17) + 0x123);
	base = f.start[idx];

	/* Across the boundary of the first (full) compact entry. */
	KUNIT_ASSERT_EQ(test, physr_list_slice(&f.list, base + GiB(16) - PS,
					       2 * PS, &view), 0);
	n = 0;
	physr_view_for_each(&view, &it, &r) {
		KUNIT_EXPECT_EQ(test, r.addr, GiB(4) + GiB(16) - PS);
		KUNIT_EXPECT_EQ(test, r.len, 2 * PS);
		KUNIT_EXPECT_NULL(test, physr_iter_provider(&it));
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, 1);

	/* From inside the second entry into the unaligned tail, and on. */
	KUNIT_ASSERT_EQ(test, physr_list_slice(&f.list, base + GiB(17) - 1,
					       0x124 + 1, &view), 0);
	n = 0;
	physr_view_for_each(&view, &it, &r) {
		if (n == 0) {
			KUNIT_EXPECT_EQ(test, r.addr, GiB(21) - 1);
			KUNIT_EXPECT_EQ(test, r.len, (u64)0x124);
		} else {
			KUNIT_EXPECT_EQ(test, r.addr, 1ULL << 52);
			KUNIT_EXPECT_EQ(test, r.len, (u64)1);
		}
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, 2);

	/* Whole entries and every entry boundary, +-1. */
	check_slice(test, &f, base, GiB(17) + 0x123, GiB(1));
	check_slice(test, &f, base + GiB(16), GiB(1), GiB(1));
	check_slice(test, &f, base + GiB(16), GiB(1) + 0x123, MiB(2));
	check_slice(test, &f, base + GiB(16) - 1, 2, 1);
	check_slice(test, &f, base + GiB(17), 0x123, 64);
	check_slice(test, &f, base + GiB(17) - 1, 0x124, 64);
	check_slice(test, &f, base + GiB(17) + 1, 0x122, 1);
	check_slice(test, &f, base + 1, GiB(17) + 0x122, GiB(2));
	/* The P2P range joined from a compact and a long entry. */
	check_slice(test, &f, f.start[2] + MiB(2) - 1, 6, 1);
	check_slice(test, &f, f.start[2] + MiB(2), 5 + 1, 1);
	fixture_destroy(&f);
}

/* Slices inside P2P runs longer than a chunk know their provider. */
static void physr_view_test_p2p(struct kunit *test)
{
	struct physr_view view;
	struct physr_iter it;
	struct physr r;
	struct fixture f;
	int i;

	fixture_init(&f);
	fx(test, &f, NULL, 0x1000, PS);
	for (i = 0; i < 1500; i++)
		fx(test, &f, PROV(1), TiB(2) + (phys_addr_t)i * 2 * PS, PS);
	for (i = 0; i < 1500; i++)
		fx(test, &f, PROV(2), TiB(3) + (phys_addr_t)i * 2 * PS, PS);
	for (i = 0; i < 10; i++)
		fx(test, &f, NULL, TiB(4) + (phys_addr_t)i * 2 * PS, PS);
	fixture_index(test, &f);
	KUNIT_EXPECT_GT(test, physr_list_heap_bytes(&f.list),
			(size_t)(3 * CHUNK_MAX));

	for (i = 0; i < (int)f.ref.nr; i++)
		if (!check_slice(test, &f, f.start[i] + i % 2, 1 + i % 3, PS))
			break;

	/* Explicitly: deep inside the PROV(2) run, many chunks in. */
	KUNIT_ASSERT_EQ(test, physr_list_slice(&f.list, f.start[1 + 1500 + 1400],
					       PS, &view), 0);
	i = 0;
	physr_view_for_each(&view, &it, &r) {
		KUNIT_EXPECT_EQ(test, r.addr, TiB(3) + 1400 * 2 * PS);
		KUNIT_EXPECT_PTR_EQ(test, physr_iter_provider(&it), PROV(2));
		i++;
	}
	KUNIT_EXPECT_EQ(test, i, 1);
	/* Across the switch from PROV(2) to RAM. */
	KUNIT_ASSERT_EQ(test, physr_list_slice(&f.list, f.start[3000] + PS - 1,
					       2, &view), 0);
	i = 0;
	physr_view_for_each(&view, &it, &r) {
		KUNIT_EXPECT_PTR_EQ(test, physr_iter_provider(&it),
				    i ? NULL : PROV(2));
		i++;
	}
	KUNIT_EXPECT_EQ(test, i, 2);
	fixture_destroy(&f);
}

static void physr_view_test_invalid(struct kunit *test)
{
	struct physr_view view;
	struct fixture f;
	struct snap s;
	u64 len;

	fixture_build(test, &f, 100, false);
	len = f.ref.len;
	snap_take(test, &f.list, &s);
	KUNIT_EXPECT_EQ(test, physr_list_slice(&f.list, 0, 0, &view), -EINVAL);
	KUNIT_EXPECT_EQ(test, physr_list_slice(&f.list, 5, 0, &view), -EINVAL);
	KUNIT_EXPECT_EQ(test, physr_list_slice(&f.list, len, 0, &view), -EINVAL);
	KUNIT_EXPECT_EQ(test, physr_list_slice(&f.list, len, 1, &view), -EINVAL);
	KUNIT_EXPECT_EQ(test, physr_list_slice(&f.list, len - 1, 2, &view),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, physr_list_slice(&f.list, 0, len + 1, &view),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, physr_list_slice(&f.list, len + 1, 1, &view),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, physr_list_slice(&f.list, ~0ULL, 1, &view),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, physr_list_slice(&f.list, ~0ULL, 2, &view),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, physr_list_slice(&f.list, 1, ~0ULL, &view),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, physr_list_slice(&f.list, 0, ~0ULL, &view),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, physr_list_slice(&f.list, 2, ~0ULL - 1, &view),
			-EINVAL);
	/* The largest valid ones. */
	check_slice(test, &f, len - 1, 1, 1);
	check_slice(test, &f, 0, len, 0);
	snap_matches(test, &f.list, &s);
	snap_destroy(&s);
	fixture_destroy(&f);
}

/* Views copy nothing, so many can be walked at once, interleaved. */
static void physr_view_test_interleaved(struct kunit *test)
{
	struct physr_view va, vb;
	struct physr_iter ia, ib, il;
	struct ref_cursor ca, cb, cl;
	struct ref_range wa, wb, wl;
	struct physr ra, rb, rl;
	struct fixture f;
	u64 a_off, a_len, b_off, b_len;
	size_t nr;
	bool more;

	fixture_build(test, &f, 900, false);
	nr = f.ref.nr;
	KUNIT_ASSERT_GT(test, nr, (size_t)600);
	/* Two overlapping windows, with unaligned edges. */
	a_off = f.start[3] + 7;
	a_len = f.start[nr - 100] - f.start[3];
	b_off = f.start[nr / 2] - 1;
	b_len = f.ref.len - b_off;
	KUNIT_ASSERT_EQ(test, physr_list_slice(&f.list, a_off, a_len, &va), 0);
	KUNIT_ASSERT_EQ(test, physr_list_slice(&f.list, b_off, b_len, &vb), 0);
	ref_cursor_init(&ca, &f, a_off, a_len);
	ref_cursor_init(&cb, &f, b_off, b_len);
	ref_cursor_init(&cl, &f, 0, f.ref.len);
	physr_iter_init_view(&ia, &va);
	physr_iter_init_view(&ib, &vb);
	physr_iter_init(&il, &f.list);
	do {
		more = false;
		if (physr_iter_next(&ia, &ra)) {
			KUNIT_ASSERT_TRUE(test, ref_cursor_next(&ca, &wa));
			KUNIT_ASSERT_EQ(test, ra.addr, wa.addr);
			KUNIT_ASSERT_EQ(test, ra.len, wa.len);
			more = true;
		}
		if (physr_iter_next(&ib, &rb)) {
			KUNIT_ASSERT_TRUE(test, ref_cursor_next(&cb, &wb));
			KUNIT_ASSERT_EQ(test, rb.addr, wb.addr);
			KUNIT_ASSERT_EQ(test, rb.len, wb.len);
			KUNIT_ASSERT_PTR_EQ(test, physr_iter_provider(&ib), wb.prov);
			more = true;
		}
		if (physr_iter_next(&il, &rl)) {
			KUNIT_ASSERT_TRUE(test, ref_cursor_next(&cl, &wl));
			KUNIT_ASSERT_EQ(test, rl.addr, wl.addr);
			KUNIT_ASSERT_EQ(test, rl.len, wl.len);
			more = true;
		}
	} while (more);
	KUNIT_EXPECT_FALSE(test, ref_cursor_next(&ca, &wa));
	KUNIT_EXPECT_FALSE(test, ref_cursor_next(&cb, &wb));
	KUNIT_EXPECT_FALSE(test, ref_cursor_next(&cl, &wl));
	/* A view made again gives the same. */
	check_slice(test, &f, a_off, a_len, PS);
	fixture_destroy(&f);
}

static void physr_block_test_basic(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;
	struct physr_block_iter bi;
	struct physr b;
	static const struct physr want[] = {
		{ 0x1000, 0x1000 }, { 0x2000, 0x1000 }, { 0x3000, 0x1000 },
		{ 0x5800, 0x800 }, { 0x6000, 0x800 },
		{ 0x8001, 0x10 },
		{ 0x9ff0, 0x10 }, { 0xa000, 0x1000 }, { 0xb000, 0x10 },
	};
	int n = 0;

	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0x1000, 0x3000,
						GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0x5800, 0x1000,
						GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0x8001, 0x10,
						GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append_p2p(&list, PROV(0), 0x9ff0, 0x1020,
						    GFP_KERNEL), 0);
	physr_for_each_block(&list, &bi, PS, &b) {
		if (n < (int)ARRAY_SIZE(want)) {
			KUNIT_EXPECT_EQ_MSG(test, b.addr, want[n].addr, "piece %d", n);
			KUNIT_EXPECT_EQ_MSG(test, b.len, want[n].len, "piece %d", n);
		}
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, (int)ARRAY_SIZE(want));

	/* A block larger than every range: pieces are the ranges. */
	n = 0;
	physr_for_each_block(&list, &bi, MiB(1), &b)
		n++;
	KUNIT_EXPECT_EQ(test, n, 4);
	/* ... unless a range crosses a block boundary. */
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, GiB(1) - PS, 2 * PS,
						GFP_KERNEL), 0);
	n = 0;
	physr_for_each_block(&list, &bi, GiB(1), &b) {
		if (n == 4) {
			KUNIT_EXPECT_EQ(test, b.addr, GiB(1) - PS);
			KUNIT_EXPECT_EQ(test, b.len, PS);
		}
		if (n == 5) {
			KUNIT_EXPECT_EQ(test, b.addr, GiB(1));
			KUNIT_EXPECT_EQ(test, b.len, PS);
		}
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, 6);
	physr_list_destroy(&list);
}

static void physr_block_test_sizes(struct kunit *test)
{
	static const u64 sizes[] = {
		1, 2, 64, 512, PS, 2 * PS, MiB(2), GiB(1), TiB(1), 1ULL << 52,
		1ULL << 62, 1ULL << 63,
	};
	struct fixture small, big;
	size_t i;

	fixture_build(test, &small, 300, false);
	fixture_build(test, &big, 300, true);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct ref_cursor c;

		/* The small fixture must be checked at every size but 1, 2. */
		ref_cursor_init(&c, &small, 0, small.ref.len);
		if (sizes[i] >= 64)
			KUNIT_EXPECT_LE(test, ref_count_blocks(c, sizes[i]),
					(u64)BLOCK_CHECK_LIMIT);
		if (!check_list_blocks(test, &small, sizes[i]) ||
		    !check_list_blocks(test, &big, sizes[i]))
			break;
	}
	/* One byte at a time over a few unaligned ranges. */
	fixture_destroy(&small);
	fixture_init(&small);
	fx(test, &small, NULL, 0xfff, 3);
	fx(test, &small, PROV(0), 0x5000, 0x41);
	fx(test, &small, NULL, ~0ULL - 0x10, 0x10);
	fixture_index(test, &small);
	check_list_blocks(test, &small, 1);
	check_list_blocks(test, &small, 2);
	check_list_blocks(test, &small, 1ULL << 63);
	check_slice(test, &small, 1, small.ref.len - 2, 1);
	fixture_destroy(&small);
	fixture_destroy(&big);
}

static void physr_block_test_bad_size(struct kunit *test)
{
	static const u64 bad[] = {
		0, 3, 3000, PS + 1, PS - 1, 3 * PS, (1ULL << 63) + 1, ~0ULL,
	};
	struct physr_list list = PHYSR_LIST_INIT;
	struct physr_block_iter bi;
	struct physr_view view;
	struct physr b;
	size_t i;

	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0x1000, 0x3000,
						GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0x8000, 0x10,
						GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_slice(&list, 0x800, 0x2000, &view), 0);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_WARN(test, physr_block_iter_init(&bi, &list, bad[i]));
		KUNIT_EXPECT_FALSE_MSG(test, physr_block_iter_next(&bi, &b),
				       "block size %#llx",
				       (unsigned long long)bad[i]);
		KUNIT_EXPECT_FALSE(test, physr_block_iter_next(&bi, &b));
		KUNIT_EXPECT_WARN(test,
				  physr_block_iter_init_view(&bi, &view, bad[i]));
		KUNIT_EXPECT_FALSE_MSG(test, physr_block_iter_next(&bi, &b),
				       "block size %#llx",
				       (unsigned long long)bad[i]);
	}
	/* The good ones after the bad ones still work, without warning. */
	i = 0;
	physr_for_each_block(&list, &bi, PS, &b)
		i++;
	KUNIT_EXPECT_EQ(test, i, (size_t)4);
	physr_list_destroy(&list);
}

static struct kunit_case physr_view_test_cases[] = {
	KUNIT_CASE(physr_view_test_whole),
	KUNIT_CASE(physr_view_test_boundaries),
	KUNIT_CASE(physr_view_test_chunks),
	KUNIT_CASE(physr_view_test_chunk_edges),
	KUNIT_CASE(physr_view_test_joined),
	KUNIT_CASE(physr_view_test_p2p),
	KUNIT_CASE(physr_view_test_invalid),
	KUNIT_CASE(physr_view_test_interleaved),
	KUNIT_CASE(physr_block_test_basic),
	KUNIT_CASE(physr_block_test_sizes),
	KUNIT_CASE(physr_block_test_bad_size),
	{}
};

static struct kunit_suite physr_view_test_suite = {
	.name = "physr_view",
	.test_cases = physr_view_test_cases,
};
kunit_test_suite(physr_view_test_suite);


/* ---- physr_random: property test against the reference model ---------- */

#define PHYSR_TEST_DEFAULT_SEED	20251123ULL

/* 6.12 has no prandom_u64_below_state(); a slight bias does no harm. */
static u64 rnd_below(struct rnd_state *rs, u64 n)
{
	u64 r = (u64)prandom_u32_state(rs) << 32 | prandom_u32_state(rs);

	return r % n;
}

static struct p2pdma_provider *rnd_provider(struct rnd_state *rs,
					    struct p2pdma_provider *last)
{
	u64 r = rnd_below(rs, 10);

	if (r < 6)
		return last;
	if (r < 8)
		return NULL;
	return PROV(rnd_below(rs, 3));
}

static u64 rnd_len(struct rnd_state *rs)
{
	switch (rnd_below(rs, 6)) {
	case 0:
	case 1:
		return (1 + rnd_below(rs, 16)) * PS;
	case 2:
		return (1 + rnd_below(rs, 1024)) * PS;
	case 3:
		return 1 + rnd_below(rs, 3 * PS);
	case 4:
		/* Around a compact entry's capacity. */
		return GiB(16) + (rnd_below(rs, 3) - 1) * PS;
	default:
		return (1 + rnd_below(rs, 1ULL << 20)) << 14;	/* <= 16 GiB */
	}
}

struct rnd_ctx {
	struct rnd_state rs;
	int max_len_budget;	/* appends of ~PHYSR_MAX_LEN still allowed */
};

/*
 * One random append: adjacent to the last range (same or other provider),
 * reverse-adjacent, overlapping, anywhere low or high, aligned or not,
 * huge, near the top of the address space, or invalid.
 */
static void rnd_range(struct rnd_ctx *rc, const struct ref_list *ref,
		      struct p2pdma_provider **prov, phys_addr_t *addr,
		      u64 *len)
{
	struct rnd_state *rs = &rc->rs;
	const struct ref_range *last = ref->nr ? &ref->r[ref->nr - 1] : NULL;
	struct p2pdma_provider *last_prov = last ? last->prov : NULL;
	u64 r = rnd_below(rs, 100);

	*prov = rnd_provider(rs, last_prov);
	*len = rnd_len(rs);
	if (last && r < 35) {
		*addr = last->addr + last->len;
		if (rnd_below(rs, 4))
			*prov = last_prov;
		return;
	}
	if (last && r < 40) {
		/* Reverse-adjacent or overlapping. */
		*addr = rnd_below(rs, 2) ? last->addr - *len : last->addr;
		return;
	}
	switch (rnd_below(rs, 8)) {
	case 0:
		*addr = rnd_below(rs, 1ULL << 20) << PAGE_SHIFT;
		*len = (1 + rnd_below(rs, 16)) * PS;
		break;
	case 1:
		*addr = rnd_below(rs, 1ULL << 40) << PAGE_SHIFT;
		break;
	case 2:
		/* At or above 2^52, aligned or not. */
		*addr = (1ULL << 52) + (rnd_below(rs, 1ULL << 50) << PAGE_SHIFT);
		if (rnd_below(rs, 2))
			*addr += rnd_below(rs, PS);
		break;
	case 3:
		*addr = rnd_below(rs, 1ULL << 48);
		*len = 1 + rnd_below(rs, 3 * PS);
		break;
	case 4:
		*addr = rnd_below(rs, 1ULL << 36) << PAGE_SHIFT;
		*len = (1 + rnd_below(rs, 1ULL << 32)) << PAGE_SHIFT; /* <= 16 TiB */
		break;
	case 5:
		/* Near the top: may wrap (-EOVERFLOW). */
		*addr = ~0ULL - rnd_below(rs, 1ULL << 24);
		*len = 1 + rnd_below(rs, 1ULL << 25);
		break;
	case 6:
		/* Invalid, or the very largest. */
		switch (rnd_below(rs, 4)) {
		case 0:
			*len = 0;
			break;
		case 1:
			*len = PHYSR_MAX_LEN + 1 + rnd_below(rs, 1ULL << 62);
			break;
		case 2:
			*addr = ~0ULL - rnd_below(rs, PS);
			*len = PS + rnd_below(rs, PS);
			return;
		default:
			if (rc->max_len_budget > 0) {
				rc->max_len_budget--;
				*len = PHYSR_MAX_LEN - rnd_below(rs, 2) * PS;
			}
			break;
		}
		*addr = rnd_below(rs, 1ULL << 40) << PAGE_SHIFT;
		break;
	default:
		*addr = GiB(4) + (rnd_below(rs, 1ULL << 20) << PAGE_SHIFT);
		break;
	}
	if (*len > PHYSR_MAX_LEN && rnd_below(rs, 4))
		*len = PS;
}

/* Blocks of the largest size that keeps the walk short, and a small one. */
static void rnd_check_blocks(struct kunit *test, struct rnd_ctx *rc,
			     const struct fixture *f)
{
	struct ref_cursor c;
	u64 bs;

	ref_cursor_init(&c, f, 0, f->ref.len);
	for (bs = 1ULL << (6 + rnd_below(&rc->rs, 10));
	     bs < (1ULL << 63) && ref_count_blocks(c, bs) > BLOCK_CHECK_LIMIT;
	     bs <<= 1)
		;
	check_list_blocks(test, f, bs);
}

/* A random slice, its edges often at or one byte around range edges. */
static bool rnd_check_slice(struct kunit *test, struct rnd_ctx *rc,
			    const struct fixture *f)
{
	struct rnd_state *rs = &rc->rs;
	struct physr_view view;
	u64 total = f->ref.len, off, len, end;
	size_t i;

	if (rnd_below(rs, 2)) {
		i = rnd_below(rs, f->ref.nr + 1);
		off = f->start[i] + rnd_below(rs, 3) - 1;
	} else {
		off = rnd_below(rs, total);
	}
	switch (rnd_below(rs, 4)) {
	case 0:
		i = rnd_below(rs, f->ref.nr + 1);
		len = f->start[i] + rnd_below(rs, 3) - 1 - off;
		break;
	case 1:
		len = 1 + rnd_below(rs, 3 * PS);
		break;
	case 2:
		len = total - off;
		break;
	default:
		len = rnd_below(rs, total - off + 2);
		break;
	}
	if (!len || check_add_overflow(off, len, &end) || end > total) {
		if (physr_list_slice(&f->list, off, len, &view) != -EINVAL) {
			KUNIT_FAIL(test, "slice(%#llx, %#llx) of %#llx accepted",
				   (unsigned long long)off,
				   (unsigned long long)len,
				   (unsigned long long)total);
			return false;
		}
		return true;
	}
	return check_slice(test, f, off, len, 1ULL << (rnd_below(rs, 40)));
}

/* Mark, append at random, roll back: the list must be as it was. */
static bool rnd_mark_rollback(struct kunit *test, struct rnd_ctx *rc,
			      struct fixture *f)
{
	struct physr_list_mark mark;
	struct ref_list scratch;
	size_t heap = physr_list_heap_bytes(&f->list);
	int n = rnd_below(&rc->rs, 600), i, budget = rc->max_len_budget;

	/* Scratch model so that the random ranges depend on the appends. */
	ref_init(&scratch);
	if (f->ref.nr)
		ref_push(test, &scratch, f->ref.r[f->ref.nr - 1].prov,
			 f->ref.r[f->ref.nr - 1].addr,
			 f->ref.r[f->ref.nr - 1].len);
	scratch.len = f->ref.len;
	physr_list_mark(&f->list, &mark);
	for (i = 0; i < n; i++) {
		struct p2pdma_provider *prov;
		phys_addr_t addr;
		u64 len;

		rnd_range(rc, &scratch, &prov, &addr, &len);
		if (ref_append(test, &scratch, prov, addr, len) !=
		    physr_list_append_p2p(&f->list, prov, addr, len,
					  GFP_KERNEL)) {
			KUNIT_FAIL(test, "append under a mark disagrees");
			break;
		}
	}
	rc->max_len_budget = budget;
	ref_destroy(&scratch);
	physr_list_rollback(&f->list, &mark);
	if (!list_matches_ref(test, &f->list, &f->ref))
		return false;
	KUNIT_EXPECT_EQ(test, physr_list_heap_bytes(&f->list), heap);
	return physr_list_heap_bytes(&f->list) == heap;
}

static void physr_random_test_model(struct kunit *test)
{
	const u64 seed = kunit_seed(test, PHYSR_TEST_DEFAULT_SEED);
	struct fixture f;
	int round, op, failures = 0;

	for (round = 0; round < 6 && !failures; round++) {
		struct rnd_ctx rc = { .max_len_budget = 2 };
		int nr_ops = 2500;

		prandom_seed_state(&rc.rs, seed + round);
		fixture_init(&f);
		for (op = 0; op < nr_ops; op++) {
			struct p2pdma_provider *prov;
			phys_addr_t addr;
			u64 len;

			int want, got;

			rnd_range(&rc, &f.ref, &prov, &addr, &len);
			want = ref_append(test, &f.ref, prov, addr, len);
			got = physr_list_append_p2p(&f.list, prov, addr, len,
						    GFP_KERNEL);
			if (got != want) {
				KUNIT_FAIL(test,
					   "op %d: append(%p, %#llx, %#llx) = %d, want %d",
					   op, (void *)prov,
					   (unsigned long long)addr,
					   (unsigned long long)len, got, want);
				failures++;
				break;
			}
			if (op % 250 == 249 || op == nr_ops - 1) {
				if (!list_matches_ref(test, &f.list, &f.ref)) {
					failures++;
					break;
				}
			}
			if (op % 300 == 150) {
				fixture_index(test, &f);
				if (f.ref.nr && !rnd_mark_rollback(test, &rc, &f)) {
					failures++;
					break;
				}
			}
		}
		if (failures)
			break;
		fixture_index(test, &f);
		kunit_info(test, "round %d: %zu ranges, %#llx bytes, %zu heap bytes",
			   round, f.ref.nr, (unsigned long long)f.ref.len,
			   physr_list_heap_bytes(&f.list));
		KUNIT_EXPECT_GT(test, f.ref.nr, (size_t)500);
		for (op = 0; op < 500; op++)
			if (!rnd_check_slice(test, &rc, &f)) {
				failures++;
				break;
			}
		rnd_check_blocks(test, &rc, &f);
		fixture_destroy(&f);
	}
	if (failures) {
		kunit_err(test, "failed with seed %llu, round %d",
			  (unsigned long long)seed, round);
		fixture_destroy(&f);
	}
}

static struct kunit_case physr_random_test_cases[] = {
	KUNIT_CASE(physr_random_test_model),
	{}
};

static struct kunit_suite physr_random_test_suite = {
	.name = "physr_random",
	.test_cases = physr_random_test_cases,
};
kunit_test_suite(physr_random_test_suite);

/* ---- physr_fail: allocation failures ----------------------------------- */

struct append_ctx {
	struct physr_list *list;
	struct snap *before;
	struct p2pdma_provider *prov;
	phys_addr_t addr;
	u64 len;
};

static int append_op(void *ctx)
{
	struct append_ctx *c = ctx;

	return physr_list_append_p2p(c->list, c->prov, c->addr, c->len,
				     FAIL_GFP);
}

static bool append_unchanged(struct kunit *test, void *ctx)
{
	struct append_ctx *c = ctx;

	return snap_matches(test, c->list, c->before);
}

/*
 * Build a list of @lead discontiguous compact RAM ranges (so that the
 * tail chunk has every possible amount of room left), then run one append
 * under fail_nth.  Return the number of allocations it made.
 */
static int fail_nth_append(struct kunit *test, int lead,
			   struct p2pdma_provider *prov, phys_addr_t addr,
			   u64 len, bool adjacent_tail_full)
{
	struct physr_list list = PHYSR_LIST_INIT;
	struct append_ctx c = { .list = &list, .prov = prov, .addr = addr,
				.len = len };
	struct ref_list ref;
	struct snap before;
	int i, rounds;

	ref_init(&ref);
	for (i = 0; i < lead; i++)
		both_append(test, &list, &ref, NULL,
			    TiB(1) + (phys_addr_t)i * 2 * PS, PS);
	if (adjacent_tail_full) {
		/* A full compact entry the append must chain onto. */
		both_append(test, &list, &ref, NULL, GiB(16), GiB(16));
		c.addr = GiB(32);
	}
	snap_take(test, &list, &before);
	c.before = &before;
	KUNIT_ASSERT_EQ(test, ref_append(test, &ref, c.prov, c.addr, c.len), 0);

	rounds = kunit_fail_nth_nowait_check(test, append_op, append_unchanged,
					     &c);
	KUNIT_EXPECT_LE(test, rounds, 1);
	if (!list_matches_ref(test, &list, &ref))
		KUNIT_FAIL(test, "lead %d", lead);
	snap_destroy(&before);
	ref_destroy(&ref);
	physr_list_destroy(&list);
	return rounds;
}

/* An append that needs a new chunk, at every fill level of the tail. */
static void physr_fail_test_append(struct kunit *test)
{
	int lead, allocating = 0;

	for (lead = 0; lead < 200; lead++) {
		allocating += fail_nth_append(test, lead, NULL, 1ULL << 50, PS,
					      false);
		allocating += fail_nth_append(test, lead, NULL, 0x123, 0x456,
					      false);
		allocating += fail_nth_append(test, lead, NULL, 0, PS, true);
		allocating += fail_nth_append(test, lead, NULL, 0, 0x10, true);
	}
	/* Chunk boundaries were hit (and the empty list allocates). */
	KUNIT_EXPECT_GE(test, allocating, 4 * 3);
}

/* An append that switches provider (2 more words) at a chunk boundary. */
static void physr_fail_test_append_p2p(struct kunit *test)
{
	int lead, allocating = 0;

	for (lead = 0; lead < 200; lead++) {
		allocating += fail_nth_append(test, lead, PROV(0), TiB(3), PS,
					      false);
		allocating += fail_nth_append(test, lead, PROV(1), TiB(3) + 1,
					      PS, false);
		/* Adjacent but another provider: a new range, not a chain. */
		allocating += fail_nth_append(test, lead, PROV(2), 0, PS, true);
	}
	KUNIT_EXPECT_GE(test, allocating, 3 * 3);
}

/*
 * A multi-range build guarded by a mark, as GUP does it: every failure,
 * whichever chunk it hits, rolls back to exactly the list before.
 */
struct bulk_ctx {
	struct physr_list *list;
	struct snap *before;
	int n;
};

static int bulk_op(void *ctx)
{
	struct bulk_ctx *c = ctx;
	struct physr_list_mark mark;
	int i, ret = 0;

	physr_list_mark(c->list, &mark);
	for (i = 0; i < c->n && !ret; i++) {
		struct p2pdma_provider *prov = (i / 97) % 3 ? PROV(i % 2) : NULL;
		phys_addr_t addr = TiB(2) + (phys_addr_t)i * 4 * PS;
		u64 len = i % 5 ? PS : PS + 7;

		if (i == 0)	/* grow the list's tail first */
			ret = physr_list_append(c->list, GiB(1) + PS, PS,
						FAIL_GFP);
		if (!ret)
			ret = physr_list_append_p2p(c->list, prov, addr, len,
						    FAIL_GFP);
		if (!ret && i % 11 == 0)	/* and chain */
			ret = physr_list_append_p2p(c->list, prov, addr + len, 3,
						    FAIL_GFP);
	}
	if (ret)
		physr_list_rollback(c->list, &mark);
	return ret;
}

static bool bulk_unchanged(struct kunit *test, void *ctx)
{
	struct bulk_ctx *c = ctx;

	return snap_matches(test, c->list, c->before);
}

static void physr_fail_test_bulk_rollback(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;
	struct bulk_ctx c = { .list = &list, .n = 3000 };
	struct snap before;
	s64 allocs0;
	int rounds;

	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0x1000, PS,
						GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(&list, GiB(1), PS,
						GFP_KERNEL), 0);
	snap_take(test, &list, &before);
	c.before = &before;
	allocs0 = live_allocs();
	rounds = kunit_fail_nth_nowait_check(test, bulk_op, bulk_unchanged, &c);
	kunit_info(test, "%d allocations", rounds);
	KUNIT_EXPECT_GE(test, rounds, 5);
	IF_ACCOUNTED(KUNIT_EXPECT_EQ(test, (s64)rounds,
				     live_allocs() - allocs0));
	/* The first append merged with the list's tail. */
	KUNIT_EXPECT_EQ(test, physr_list_nr_ranges(&list), (u64)2 + 3000);
	snap_destroy(&before);
	physr_list_destroy(&list);

	/* The same from an empty list. */
	snap_take(test, &list, &before);
	allocs0 = live_allocs();
	rounds = kunit_fail_nth_nowait_check(test, bulk_op, bulk_unchanged, &c);
	IF_ACCOUNTED(KUNIT_EXPECT_EQ(test, (s64)rounds,
				     live_allocs() - allocs0));
	KUNIT_EXPECT_EQ(test, physr_list_nr_ranges(&list), (u64)3000 + 1);
	snap_destroy(&before);
	physr_list_destroy(&list);
}

static struct kunit_case physr_fail_test_cases[] = {
	KUNIT_CASE(physr_fail_test_append),
	KUNIT_CASE(physr_fail_test_append_p2p),
	KUNIT_CASE(physr_fail_test_bulk_rollback),
	{}
};

static struct kunit_suite physr_fail_test_suite = {
	.name = "physr_fail",
	.test_cases = physr_fail_test_cases,
};
kunit_test_suite(physr_fail_test_suite);
