// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the IOVA allocator (drivers/iommu/iova.c): size alignment,
 * limits, exhaustion (with and without cached blocks in the way), the
 * per-size caches, exact accounting, checked frees, reservations,
 * allocation-failure injection and concurrent use.
 *
 * No machine is needed: the allocator is pure kernel-side data.  Each
 * case builds its own domain; the runner's leak check covers its nodes.
 */
#include <pthread.h>

#include <kunit/fail_nth.h>
#include <kunit/test.h>
#include <linux/iova.h>
#include <linux/log2.h>
#include <linux/random.h>
#include <linux/sizes.h>
#include <asm/page.h>

#define GiB	(1ULL << 30)
#define IOVA_48_LAST	((1ULL << 48) - 1)

/* allocated + cached + reserved + free must be the whole space. */
static void expect_consistent(struct kunit *test, struct iova_domain *iovad,
			      u64 space)
{
	struct iova_stats st;

	iova_get_stats(iovad, &st);
	KUNIT_EXPECT_EQ(test, st.allocated_bytes + st.cached_bytes +
			st.reserved_bytes + st.free_bytes, space);
	KUNIT_EXPECT_EQ(test, st.allocated_bytes, iova_allocated_bytes(iovad));
}

static void iova_size_rounding(struct kunit *test)
{
	struct iova_domain iovad;

	KUNIT_ASSERT_EQ(test, iova_domain_init(&iovad, SZ_4K, SZ_4K,
					       IOVA_48_LAST), 0);
	KUNIT_EXPECT_EQ(test, iova_size(&iovad, 1), (u64)SZ_4K);
	KUNIT_EXPECT_EQ(test, iova_size(&iovad, SZ_4K), (u64)SZ_4K);
	KUNIT_EXPECT_EQ(test, iova_size(&iovad, SZ_4K + 1), (u64)SZ_8K);
	KUNIT_EXPECT_EQ(test, iova_size(&iovad, 3 * SZ_4K), (u64)SZ_16K);
	KUNIT_EXPECT_EQ(test, iova_size(&iovad, 32 * SZ_4K), 32ULL * SZ_4K);
	/* Above the cached sizes: granule rounding only. */
	KUNIT_EXPECT_EQ(test, iova_size(&iovad, 33 * SZ_4K), 33ULL * SZ_4K);
	KUNIT_EXPECT_EQ(test, iova_size(&iovad, 0), 0ULL);
	KUNIT_EXPECT_EQ(test, iova_size(&iovad, U64_MAX), 0ULL);
	iova_domain_destroy(&iovad);
}

static void iova_init_checks(struct kunit *test)
{
	struct iova_domain iovad;

	KUNIT_EXPECT_EQ(test, iova_domain_init(&iovad, 3 * SZ_4K, 0,
					       GiB - 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, iova_domain_init(&iovad, SZ_2K, 0, GiB - 1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, iova_domain_init(&iovad, SZ_4K, 1, GiB - 1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, iova_domain_init(&iovad, SZ_4K, 0, GiB),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, iova_domain_init(&iovad, SZ_4K, GiB, 0),
			-EINVAL);
}

/* Every size from 1 to 70 granules: aligned, in range, disjoint. */
static void iova_alignment(struct kunit *test)
{
	struct iova_domain iovad;
	dma_addr_t iova[71];
	u64 n, sum = 0;

	KUNIT_ASSERT_EQ(test, iova_domain_init(&iovad, SZ_4K, SZ_4K,
					       GiB - 1), 0);
	for (n = 1; n <= 70; n++) {
		u64 align = roundup_pow_of_two(n) * SZ_4K;
		u64 bytes = iova_size(&iovad, n * SZ_4K);

		KUNIT_ASSERT_EQ(test, iova_alloc(&iovad, n * SZ_4K, U64_MAX,
						 &iova[n]), 0);
		KUNIT_EXPECT_EQ_MSG(test, iova[n] & (align - 1), 0ULL,
				    "%llu granules", (unsigned long long)n);
		KUNIT_EXPECT_GE(test, iova[n], (u64)SZ_4K);
		KUNIT_EXPECT_LE(test, iova[n] + bytes - 1, GiB - 1);
		sum += bytes;
	}
	/* Top-down: the first block is the highest page. */
	KUNIT_EXPECT_EQ(test, iova[1], GiB - SZ_4K);
	for (n = 1; n <= 70; n++) {
		u64 m, n_end = iova[n] + iova_size(&iovad, n * SZ_4K);

		for (m = n + 1; m <= 70; m++) {
			u64 m_end = iova[m] + iova_size(&iovad, m * SZ_4K);

			KUNIT_EXPECT_TRUE(test, n_end <= iova[m] ||
					  m_end <= iova[n]);
		}
	}
	KUNIT_EXPECT_EQ(test, iova_allocated_bytes(&iovad), sum);
	expect_consistent(test, &iovad, GiB - SZ_4K);
	for (n = 1; n <= 70; n++)
		KUNIT_EXPECT_EQ(test, iova_free(&iovad, iova[n], n * SZ_4K), 0);
	KUNIT_EXPECT_EQ(test, iova_allocated_bytes(&iovad), 0ULL);
	expect_consistent(test, &iovad, GiB - SZ_4K);
	iova_domain_destroy(&iovad);
}

/* Large blocks are aligned to their size: 1 GiB at a 1 GiB boundary. */
static void iova_large_alignment(struct kunit *test)
{
	struct iova_domain iovad;
	dma_addr_t a, b;

	KUNIT_ASSERT_EQ(test, iova_domain_init(&iovad, SZ_4K, SZ_4K,
					       IOVA_48_LAST), 0);
	KUNIT_ASSERT_EQ(test, iova_alloc(&iovad, SZ_4K, U64_MAX, &a), 0);
	KUNIT_ASSERT_EQ(test, iova_alloc(&iovad, GiB, U64_MAX, &b), 0);
	KUNIT_EXPECT_EQ(test, b & (GiB - 1), 0ULL);
	KUNIT_EXPECT_EQ(test, b, IOVA_48_LAST + 1 - 2 * GiB);
	KUNIT_EXPECT_EQ(test, iova_free(&iovad, b, GiB), 0);
	KUNIT_EXPECT_EQ(test, iova_free(&iovad, a, SZ_4K), 0);
	iova_domain_destroy(&iovad);
}

static void iova_limit(struct kunit *test)
{
	struct iova_domain iovad;
	dma_addr_t iova;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, iova_domain_init(&iovad, SZ_4K, SZ_4K,
					       IOVA_48_LAST), 0);
	for (i = 0; i < 100; i++) {
		u64 size = (i % 7 + 1) * SZ_4K;

		KUNIT_ASSERT_EQ(test, iova_alloc(&iovad, size, SZ_16M - 1,
						 &iova), 0);
		KUNIT_EXPECT_LE(test, iova + iova_size(&iovad, size) - 1,
				(u64)SZ_16M - 1);
	}
	/* A cached block above the limit is not handed out below it. */
	KUNIT_ASSERT_EQ(test, iova_alloc(&iovad, SZ_4K, U64_MAX, &iova), 0);
	KUNIT_EXPECT_GT(test, iova, (u64)SZ_16M);
	KUNIT_EXPECT_EQ(test, iova_free(&iovad, iova, SZ_4K), 0);
	KUNIT_ASSERT_EQ(test, iova_alloc(&iovad, SZ_4K, SZ_16M - 1, &iova), 0);
	KUNIT_EXPECT_LT(test, iova, (u64)SZ_16M);
	/* A limit below the space. */
	KUNIT_EXPECT_EQ(test, iova_alloc(&iovad, SZ_4K, SZ_4K - 1, &iova),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, iova_alloc(&iovad, 0, U64_MAX, &iova), -EINVAL);
	/* Destroy with live allocations: everything goes, silently. */
	iova_domain_destroy(&iovad);
}

/* 63 granules: exactly 63 singles, then 15 four-aligned blocks of 3. */
static void iova_exhaustion(struct kunit *test)
{
	struct iova_domain iovad;
	dma_addr_t iova[64];
	unsigned int n, i;

	KUNIT_ASSERT_EQ(test, iova_domain_init(&iovad, SZ_4K, SZ_4K,
					       64 * SZ_4K - 1), 0);
	for (n = 0; n < 64; n++)
		if (iova_alloc(&iovad, SZ_4K, U64_MAX, &iova[n]))
			break;
	KUNIT_EXPECT_EQ(test, n, 63U);
	KUNIT_EXPECT_EQ(test, iova_alloc(&iovad, SZ_4K, U64_MAX, &iova[63]),
			-ENOSPC);
	expect_consistent(test, &iovad, 63 * SZ_4K);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ(test, iova_free(&iovad, iova[i], SZ_4K), 0);

	/* The freed singles sit in the cache; 2-granule blocks still fit. */
	for (n = 0; n < 64; n++)
		if (iova_alloc(&iovad, SZ_8K, U64_MAX, &iova[n]))
			break;
	KUNIT_EXPECT_EQ(test, n, 31U);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ(test, iova_free(&iovad, iova[i], SZ_8K), 0);

	for (n = 0; n < 64; n++)
		if (iova_alloc(&iovad, 3 * SZ_4K, U64_MAX, &iova[n]))
			break;
	KUNIT_EXPECT_EQ(test, n, 15U);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ(test, iova[i] & (4 * SZ_4K - 1), 0ULL);
		KUNIT_EXPECT_EQ(test, iova_free(&iovad, iova[i], 3 * SZ_4K), 0);
	}
	/* Above the cached sizes the exact pass finds tight ranges too. */
	for (n = 0; n < 64; n++)
		if (iova_alloc(&iovad, 33 * SZ_4K, U64_MAX, &iova[n]))
			break;
	KUNIT_EXPECT_EQ(test, n, 0U);
	KUNIT_EXPECT_EQ(test, iova_allocated_bytes(&iovad), 0ULL);
	iova_flush_rcache(&iovad);
	expect_consistent(test, &iovad, 63 * SZ_4K);
	iova_domain_destroy(&iovad);
}

static void iova_rcache_reuse(struct kunit *test)
{
	struct iova_domain iovad;
	struct iova_stats st;
	dma_addr_t a, b, c;

	KUNIT_ASSERT_EQ(test, iova_domain_init(&iovad, SZ_4K, SZ_4K,
					       IOVA_48_LAST), 0);
	KUNIT_ASSERT_EQ(test, iova_alloc(&iovad, 3 * SZ_4K, U64_MAX, &a), 0);
	KUNIT_ASSERT_EQ(test, iova_alloc(&iovad, SZ_4K, U64_MAX, &c), 0);
	KUNIT_EXPECT_EQ(test, iova_free(&iovad, a, 3 * SZ_4K), 0);
	iova_get_stats(&iovad, &st);
	KUNIT_EXPECT_EQ(test, st.cached_bytes, 4ULL * SZ_4K);
	KUNIT_EXPECT_EQ(test, st.rcache_hits, 0ULL);
	/* Same order (3 and 4 granules round alike): the cached block. */
	KUNIT_ASSERT_EQ(test, iova_alloc(&iovad, 4 * SZ_4K, U64_MAX, &b), 0);
	KUNIT_EXPECT_EQ(test, b, a);
	iova_get_stats(&iovad, &st);
	KUNIT_EXPECT_EQ(test, st.rcache_hits, 1ULL);
	KUNIT_EXPECT_EQ(test, st.cached_bytes, 0ULL);
	KUNIT_EXPECT_EQ(test, st.allocated_bytes, 5ULL * SZ_4K);
	KUNIT_EXPECT_EQ(test, iova_free(&iovad, b, 4 * SZ_4K), 0);
	KUNIT_EXPECT_EQ(test, iova_free(&iovad, c, SZ_4K), 0);
	/* Flushing gives the space back to the tree: one free range. */
	iova_flush_rcache(&iovad);
	iova_get_stats(&iovad, &st);
	KUNIT_EXPECT_EQ(test, st.nr_free_ranges, 1ULL);
	KUNIT_EXPECT_EQ(test, st.free_bytes, IOVA_48_LAST + 1 - SZ_4K);
	iova_domain_destroy(&iovad);
}

/* Frees of anything but a live allocation of that size: WARN, no change. */
static void iova_bad_free(struct kunit *test)
{
	struct iova_stats before, after;
	struct iova_domain iovad;
	dma_addr_t a, b;

	KUNIT_ASSERT_EQ(test, iova_domain_init(&iovad, SZ_4K, SZ_4K,
					       GiB - 1), 0);
	KUNIT_ASSERT_EQ(test, iova_alloc(&iovad, 64 * SZ_4K, U64_MAX, &a), 0);
	KUNIT_ASSERT_EQ(test, iova_alloc(&iovad, SZ_4K, U64_MAX, &b), 0);
	iova_get_stats(&iovad, &before);

	KUNIT_EXPECT_WARN(test, KUNIT_EXPECT_EQ(test, iova_free(&iovad,
				a + SZ_4K, SZ_4K), -EINVAL));
	KUNIT_EXPECT_WARN(test, KUNIT_EXPECT_EQ(test, iova_free(&iovad, a,
				32 * SZ_4K), -EINVAL));
	KUNIT_EXPECT_WARN(test, KUNIT_EXPECT_EQ(test, iova_free(&iovad,
				SZ_16M, SZ_4K), -EINVAL));
	KUNIT_EXPECT_WARN(test, KUNIT_EXPECT_EQ(test, iova_free(&iovad, a, 0),
				-EINVAL));
	iova_get_stats(&iovad, &after);
	KUNIT_EXPECT_MEMEQ(test, &before, &after, sizeof(before));

	/* A double free: the first went to the cache, the second is caught. */
	KUNIT_EXPECT_EQ(test, iova_free(&iovad, b, SZ_4K), 0);
	iova_get_stats(&iovad, &before);
	KUNIT_EXPECT_WARN(test, KUNIT_EXPECT_EQ(test, iova_free(&iovad, b,
				SZ_4K), -EINVAL));
	iova_get_stats(&iovad, &after);
	KUNIT_EXPECT_MEMEQ(test, &before, &after, sizeof(before));
	KUNIT_EXPECT_EQ(test, iova_free(&iovad, a, 64 * SZ_4K), 0);
	/* ... and after it went back to the tree. */
	KUNIT_EXPECT_WARN(test, KUNIT_EXPECT_EQ(test, iova_free(&iovad, a,
				64 * SZ_4K), -EINVAL));
	KUNIT_EXPECT_EQ(test, iova_allocated_bytes(&iovad), 0ULL);
	iova_domain_destroy(&iovad);
}

static void iova_reserve_window(struct kunit *test)
{
	struct iova_domain iovad;
	struct iova_stats st;
	dma_addr_t iova;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, iova_domain_init(&iovad, SZ_4K, SZ_4K,
					       SZ_64M - 1), 0);
	/* Reserve the top half, then the bottom quarter but one page. */
	KUNIT_ASSERT_EQ(test, iova_reserve(&iovad, SZ_32M, SZ_64M - 1), 0);
	KUNIT_ASSERT_EQ(test, iova_reserve(&iovad, 0, SZ_16M - SZ_4K - 1), 0);
	KUNIT_EXPECT_EQ(test, iova_reserve(&iovad, SZ_16M, SZ_16M), 0);
	KUNIT_EXPECT_EQ(test, iova_reserve(&iovad, SZ_16M, SZ_16M), -EBUSY);
	KUNIT_EXPECT_EQ(test, iova_reserve(&iovad, SZ_64M, SZ_128M), 0);
	KUNIT_EXPECT_EQ(test, iova_reserve(&iovad, 2, 1), -EINVAL);
	iova_get_stats(&iovad, &st);
	KUNIT_EXPECT_EQ(test, st.reserved_bytes,
			(u64)SZ_32M + SZ_16M - SZ_4K - SZ_4K + SZ_4K);
	for (i = 0; i < 64; i++) {
		KUNIT_ASSERT_EQ(test, iova_alloc(&iovad, SZ_64K, U64_MAX,
						 &iova), 0);
		KUNIT_EXPECT_TRUE(test, (iova >= SZ_16M + SZ_4K &&
					 iova + SZ_64K <= SZ_32M) ||
				  (iova == SZ_16M - SZ_4K));
	}
	KUNIT_EXPECT_EQ(test, iova_alloc(&iovad, SZ_16M, U64_MAX, &iova),
			-ENOSPC);
	expect_consistent(test, &iovad, SZ_64M - SZ_4K);
	KUNIT_EXPECT_EQ(test, iova_reserve(&iovad, SZ_32M - SZ_64K, SZ_32M - 1),
			-EBUSY);
	iova_domain_destroy(&iovad);
}

/* The space may end at U64_MAX: no overflow at the top. */
static void iova_top_of_space(struct kunit *test)
{
	struct iova_domain iovad;
	dma_addr_t a, b;

	KUNIT_ASSERT_EQ(test, iova_domain_init(&iovad, SZ_4K, SZ_4K, U64_MAX),
			0);
	KUNIT_ASSERT_EQ(test, iova_alloc(&iovad, SZ_4K, U64_MAX, &a), 0);
	KUNIT_EXPECT_EQ(test, a, U64_MAX - SZ_4K + 1);
	KUNIT_ASSERT_EQ(test, iova_alloc(&iovad, SZ_2M, U64_MAX, &b), 0);
	KUNIT_EXPECT_EQ(test, b, U64_MAX - SZ_4M + 1);
	KUNIT_EXPECT_EQ(test, iova_free(&iovad, b, SZ_2M), 0);
	KUNIT_EXPECT_EQ(test, iova_free(&iovad, a, SZ_4K), 0);
	iova_flush_rcache(&iovad);
	KUNIT_EXPECT_EQ(test, iova_reserve(&iovad, U64_MAX - SZ_4K + 1,
					   U64_MAX), 0);
	KUNIT_ASSERT_EQ(test, iova_alloc(&iovad, SZ_4K, U64_MAX, &a), 0);
	KUNIT_EXPECT_EQ(test, a, U64_MAX - SZ_8K + 1);
	iova_domain_destroy(&iovad);
}

/* A model-checked random walk: accounting is exact all along. */
static void iova_random_accounting(struct kunit *test)
{
	enum { N = 512 };
	struct iova_domain iovad;
	struct rnd_state rnd;
	dma_addr_t *iova;
	u64 *size, held = 0;
	unsigned int i, step;

	iova = kunit_kcalloc(test, N, sizeof(*iova), GFP_KERNEL);
	size = kunit_kcalloc(test, N, sizeof(*size), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, iova);
	KUNIT_ASSERT_NOT_NULL(test, size);
	KUNIT_ASSERT_EQ(test, iova_domain_init(&iovad, SZ_4K, SZ_4K,
					       SZ_256M - 1), 0);
	prandom_seed_state(&rnd, 0x10a5eed);
	for (step = 0; step < 20000; step++) {
		i = prandom_u32_below_state(&rnd, N);
		if (size[i]) {
			KUNIT_ASSERT_EQ(test, iova_free(&iovad, iova[i],
							size[i]), 0);
			held -= iova_size(&iovad, size[i]);
			size[i] = 0;
		} else {
			u64 s = (prandom_u32_below_state(&rnd, 80) + 1) *
				SZ_4K - prandom_u32_below_state(&rnd, SZ_4K);
			dma_addr_t limit = prandom_u32_below_state(&rnd, 2) ?
					   U64_MAX : SZ_128M - 1;
			int ret = iova_alloc(&iovad, s, limit, &iova[i]);

			if (ret == -ENOSPC)
				continue;
			KUNIT_ASSERT_EQ(test, ret, 0);
			KUNIT_EXPECT_LE(test,
					iova[i] + iova_size(&iovad, s) - 1,
					limit);
			size[i] = s;
			held += iova_size(&iovad, s);
		}
		if (step % 1000 == 0) {
			KUNIT_ASSERT_EQ(test, iova_allocated_bytes(&iovad),
					held);
			expect_consistent(test, &iovad, SZ_256M - SZ_4K);
		}
	}
	for (i = 0; i < N; i++)
		if (size[i])
			KUNIT_EXPECT_EQ(test, iova_free(&iovad, iova[i],
							size[i]), 0);
	KUNIT_EXPECT_EQ(test, iova_allocated_bytes(&iovad), 0ULL);
	iova_flush_rcache(&iovad);
	expect_consistent(test, &iovad, SZ_256M - SZ_4K);
	iova_domain_destroy(&iovad);
}

struct iova_fail_ctx {
	struct iova_domain *iovad;
	dma_addr_t iova;
};

/* A block in the middle of a free range: two node allocations. */
static int iova_fail_op(void *ctx)
{
	struct iova_fail_ctx *c = ctx;

	return iova_alloc(c->iovad, 64 * SZ_4K, SZ_1G - 1 - SZ_4K, &c->iova);
}

static bool iova_fail_check(struct kunit *test, void *ctx)
{
	struct iova_fail_ctx *c = ctx;
	struct iova_stats st;

	iova_get_stats(c->iovad, &st);
	KUNIT_EXPECT_EQ(test, st.allocated_bytes, 0ULL);
	KUNIT_EXPECT_EQ(test, st.nr_free_ranges, 1ULL);
	return st.allocated_bytes == 0 && st.nr_free_ranges == 1;
}

static void iova_fail_nth(struct kunit *test)
{
	struct iova_domain iovad;
	struct iova_fail_ctx c = { .iovad = &iovad };
	int rounds;

	KUNIT_ASSERT_EQ(test, iova_domain_init(&iovad, SZ_4K, SZ_4K,
					       2 * GiB - 1), 0);
	rounds = kunit_fail_nth_check(test, iova_fail_op, iova_fail_check, &c);
	KUNIT_EXPECT_EQ(test, rounds, 2);
	KUNIT_EXPECT_EQ(test, iova_allocated_bytes(&iovad), 64ULL * SZ_4K);
	KUNIT_EXPECT_EQ(test, iova_free(&iovad, c.iova, 64 * SZ_4K), 0);
	iova_domain_destroy(&iovad);
}

#define IOVA_THREADS	4
#define IOVA_PER_THREAD	2000

struct iova_thread {
	pthread_t thread;
	struct iova_domain *iovad;
	unsigned int seed;
	dma_addr_t iova[IOVA_PER_THREAD];
	u64 size[IOVA_PER_THREAD];
	unsigned int errors;
};

static void *iova_thread_fn(void *arg)
{
	struct iova_thread *t = arg;
	struct rnd_state rnd;
	unsigned int round, i;

	prandom_seed_state(&rnd, t->seed);
	for (round = 0; round < 4; round++) {
		for (i = 0; i < IOVA_PER_THREAD; i++) {
			t->size[i] = (prandom_u32_below_state(&rnd, 40) + 1) *
				     SZ_4K;
			if (iova_alloc(t->iovad, t->size[i], U64_MAX,
				       &t->iova[i]))
				t->errors++;
		}
		if (round == 3)
			break;	/* keep the last round for the overlap check */
		for (i = 0; i < IOVA_PER_THREAD; i++)
			if (iova_free(t->iovad, t->iova[i], t->size[i]))
				t->errors++;
	}
	return NULL;
}

static int iova_cmp(const void *a, const void *b)
{
	const dma_addr_t *x = a, *y = b;

	return *x < *y ? -1 : *x > *y;
}

static void iova_threads(struct kunit *test)
{
	enum { TOTAL = IOVA_THREADS * IOVA_PER_THREAD };
	struct iova_domain iovad;
	struct iova_thread *t;
	dma_addr_t (*all)[2];
	u64 held = 0;
	unsigned int i, j, k = 0;

	t = kunit_kcalloc(test, IOVA_THREADS, sizeof(*t), GFP_KERNEL);
	all = kunit_kcalloc(test, TOTAL, sizeof(*all), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_ASSERT_NOT_NULL(test, all);
	KUNIT_ASSERT_EQ(test, iova_domain_init(&iovad, SZ_4K, SZ_4K,
					       4 * GiB - 1), 0);
	for (i = 0; i < IOVA_THREADS; i++) {
		t[i].iovad = &iovad;
		t[i].seed = 1000 + i;
		KUNIT_ASSERT_EQ(test, pthread_create(&t[i].thread, NULL,
						     iova_thread_fn, &t[i]), 0);
	}
	for (i = 0; i < IOVA_THREADS; i++)
		pthread_join(t[i].thread, NULL);
	for (i = 0; i < IOVA_THREADS; i++) {
		KUNIT_EXPECT_EQ(test, t[i].errors, 0U);
		for (j = 0; j < IOVA_PER_THREAD; j++, k++) {
			u64 bytes = iova_size(&iovad, t[i].size[j]);

			all[k][0] = t[i].iova[j];
			all[k][1] = t[i].iova[j] + bytes;
			held += bytes;
		}
	}
	KUNIT_EXPECT_EQ(test, iova_allocated_bytes(&iovad), held);
	expect_consistent(test, &iovad, 4 * GiB - SZ_4K);
	qsort(all, TOTAL, sizeof(*all), iova_cmp);
	for (k = 1; k < TOTAL; k++)
		KUNIT_EXPECT_LE(test, all[k - 1][1], all[k][0]);
	for (i = 0; i < IOVA_THREADS; i++)
		for (j = 0; j < IOVA_PER_THREAD; j++)
			KUNIT_EXPECT_EQ(test, iova_free(&iovad, t[i].iova[j],
							t[i].size[j]), 0);
	KUNIT_EXPECT_EQ(test, iova_allocated_bytes(&iovad), 0ULL);
	iova_domain_destroy(&iovad);
}

/*
 * A cache holds at most IOVA_RCACHE_DEPTH blocks of its size: the blocks
 * freed beyond that go back to the tree at once, so that one burst of
 * frees cannot park the whole space in a cache (which only a failed
 * search would flush).
 */
static void iova_rcache_depth(struct kunit *test)
{
	const unsigned int nr = IOVA_RCACHE_DEPTH + 16;
	struct iova_domain iovad;
	struct iova_stats st;
	dma_addr_t *iova;
	unsigned int i;

	iova = kunit_kcalloc(test, nr, sizeof(*iova), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, iova);
	KUNIT_ASSERT_EQ(test, iova_domain_init(&iovad, SZ_4K, SZ_4K,
					       IOVA_48_LAST), 0);
	for (i = 0; i < nr; i++)
		KUNIT_ASSERT_EQ(test, iova_alloc(&iovad, SZ_8K, U64_MAX,
						 &iova[i]), 0);
	for (i = 0; i < nr; i++)
		KUNIT_EXPECT_EQ(test, iova_free(&iovad, iova[i], SZ_8K), 0);
	iova_get_stats(&iovad, &st);
	KUNIT_EXPECT_EQ(test, st.cached_bytes,
			(u64)IOVA_RCACHE_DEPTH * SZ_8K);
	KUNIT_EXPECT_EQ(test, st.allocated_bytes, 0ULL);
	expect_consistent(test, &iovad, IOVA_48_LAST + 1 - SZ_4K);
	/* Another size has a cache of its own, as deep. */
	for (i = 0; i < nr; i++)
		KUNIT_ASSERT_EQ(test, iova_alloc(&iovad, SZ_4K, U64_MAX,
						 &iova[i]), 0);
	for (i = 0; i < nr; i++)
		KUNIT_EXPECT_EQ(test, iova_free(&iovad, iova[i], SZ_4K), 0);
	iova_get_stats(&iovad, &st);
	KUNIT_EXPECT_EQ(test, st.cached_bytes,
			(u64)IOVA_RCACHE_DEPTH * (SZ_8K + SZ_4K));
	iova_flush_rcache(&iovad);
	iova_get_stats(&iovad, &st);
	KUNIT_EXPECT_EQ(test, st.cached_bytes, 0ULL);
	KUNIT_EXPECT_EQ(test, st.nr_free_ranges, 1ULL);
	iova_domain_destroy(&iovad);
}

static struct kunit_case iova_cases[] = {
	KUNIT_CASE(iova_size_rounding),
	KUNIT_CASE(iova_init_checks),
	KUNIT_CASE(iova_alignment),
	KUNIT_CASE(iova_large_alignment),
	KUNIT_CASE(iova_limit),
	KUNIT_CASE(iova_exhaustion),
	KUNIT_CASE(iova_rcache_reuse),
	KUNIT_CASE(iova_rcache_depth),
	KUNIT_CASE(iova_bad_free),
	KUNIT_CASE(iova_reserve_window),
	KUNIT_CASE(iova_top_of_space),
	KUNIT_CASE(iova_random_accounting),
	KUNIT_CASE(iova_fail_nth),
	KUNIT_CASE(iova_threads),
	{}
};

static struct kunit_suite iova_suite = {
	.name = "iova",
	.test_cases = iova_cases,
};
kunit_test_suite(iova_suite);
