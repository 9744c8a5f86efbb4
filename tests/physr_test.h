/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the range list's KUnit suites share: fake providers, the naive
 * reference model expected lists are computed with, comparisons and
 * snapshots.  Built both here and inside Linux (scripts/kernel-check.sh
 * installs it next to lib/physr_list_test.c), so it uses the kernel's API
 * and <kunit/portable.h> only.
 */
#ifndef _TESTS_PHYSR_TEST_H
#define _TESTS_PHYSR_TEST_H

#include <kunit/test.h>
#include <kunit/portable.h>
#include <linux/overflow.h>
#include <linux/physr.h>
#include <linux/p2pdma_provider.h>
#include <linux/slab.h>
#include <linux/string.h>

#define KiB(x)	((u64)(x) << 10)
#define MiB(x)	((u64)(x) << 20)
#define GiB(x)	((u64)(x) << 30)
#define TiB(x)	((u64)(x) << 40)

#define PS	((u64)PAGE_SIZE)

/*
 * Storage grows in chunks: a small first one (at most 64 bytes), larger
 * ones after, never more than 4 KiB each.  The exact sizes are the
 * library's to tune; the tests measure them through heap bytes.
 */
#define CHUNK_FIRST_MAX	64
#define CHUNK_MAX	4096

/*
 * Providers are opaque to the list but for physr_list_append_p2p()'s
 * check that a range is inside its provider: these cover every address
 * but the last byte of the space, so that any range the tests append
 * fits (tests of the check itself have providers of their own).
 */
#define PHYSR_FAKE_PROVIDER	{ .base = 0, .size = U64_MAX }
static struct p2pdma_provider physr_fake_providers[4] __maybe_unused = {
	PHYSR_FAKE_PROVIDER, PHYSR_FAKE_PROVIDER,
	PHYSR_FAKE_PROVIDER, PHYSR_FAKE_PROVIDER,
};
#define PROV(i)	(&physr_fake_providers[i])

/* ---- the reference model ---------------------------------------------- */

struct ref_range {
	phys_addr_t addr;
	u64 len;
	struct p2pdma_provider *prov;
};

struct ref_list {
	struct ref_range *r;
	size_t nr;
	size_t cap;
	u64 len;
};

static inline void ref_init(struct ref_list *ref)
{
	ref->r = NULL;
	ref->nr = 0;
	ref->cap = 0;
	ref->len = 0;
}

static inline void ref_destroy(struct ref_list *ref)
{
	kvfree(ref->r);
	ref_init(ref);
}

static inline void ref_push(struct kunit *test, struct ref_list *ref,
			    struct p2pdma_provider *prov, phys_addr_t addr,
			    u64 len)
{
	if (ref->nr == ref->cap) {
		size_t cap = ref->cap ? ref->cap * 2 : 64;
		struct ref_range *r = kvmalloc_array(cap, sizeof(*r),
						     GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, r);
		if (ref->nr)
			memcpy(r, ref->r, ref->nr * sizeof(*r));
		kvfree(ref->r);
		ref->r = r;
		ref->cap = cap;
	}
	ref->r[ref->nr].addr = addr;
	ref->r[ref->nr].len = len;
	ref->r[ref->nr].prov = prov;
	ref->nr++;
}

/*
 * The specification of append: errors first (a P2P range not inside its
 * provider's memory, [base, base + size - 1], is -EINVAL before anything
 * else), then "a range that starts where the last one ends, with the same
 * provider, merges with it".
 */
static inline int ref_append(struct kunit *test, struct ref_list *ref,
			     struct p2pdma_provider *prov, phys_addr_t addr,
			     u64 len)
{
	struct ref_range *last = ref->nr ? &ref->r[ref->nr - 1] : NULL;
	u64 end, total;

	if (!len)
		return -EINVAL;
	if (prov && (addr < prov->base || addr - prov->base > prov->size - 1 ||
		     len > prov->size - (addr - prov->base)))
		return -EINVAL;
	if (len > PHYSR_MAX_LEN || check_add_overflow(addr, len, &end))
		return -EOVERFLOW;
	if (check_add_overflow(ref->len, len, &total))
		return -EOVERFLOW;
	if (last && last->prov == prov && last->addr + last->len == addr)
		last->len += len;
	else
		ref_push(test, ref, prov, addr, len);
	ref->len = total;
	return 0;
}

/* Append to both the list and the model; both must agree on the result. */
static inline int both_append(struct kunit *test, struct physr_list *list,
			      struct ref_list *ref,
			      struct p2pdma_provider *prov,
			      phys_addr_t addr, u64 len)
{
	int want = ref_append(test, ref, prov, addr, len);
	int got = prov ? physr_list_append_p2p(list, prov, addr, len,
					       GFP_KERNEL) :
			 physr_list_append(list, addr, len, GFP_KERNEL);

	KUNIT_EXPECT_EQ_MSG(test, got, want,
			    "append(%p, %#llx, %#llx)", (void *)prov,
			    (unsigned long long)addr, (unsigned long long)len);
	return got;
}

/*
 * Does iteration over @list return exactly @ref, providers included, and
 * do the counts agree?  Allocates nothing (usable from fail_nth checks).
 */
static inline bool list_matches(struct kunit *test,
				const struct physr_list *list,
				const struct ref_range *exp, size_t nr,
				u64 len)
{
	struct physr_iter it;
	struct physr r;
	size_t i = 0;

	physr_for_each(list, &it, &r) {
		if (i >= nr) {
			KUNIT_FAIL(test, "extra range #%zu [%#llx +%#llx]", i,
				   (unsigned long long)r.addr,
				   (unsigned long long)r.len);
			return false;
		}
		if (r.addr != exp[i].addr || r.len != exp[i].len ||
		    physr_iter_provider(&it) != exp[i].prov) {
			KUNIT_FAIL(test,
				   "range #%zu: got [%#llx +%#llx] prov %p, want [%#llx +%#llx] prov %p",
				   i, (unsigned long long)r.addr,
				   (unsigned long long)r.len,
				   (void *)physr_iter_provider(&it),
				   (unsigned long long)exp[i].addr,
				   (unsigned long long)exp[i].len,
				   (void *)exp[i].prov);
			return false;
		}
		i++;
	}
	if (i != nr) {
		KUNIT_FAIL(test, "iteration returned %zu ranges, want %zu", i,
			   nr);
		return false;
	}
	if (physr_list_nr_ranges(list) != nr || physr_list_len(list) != len ||
	    physr_list_empty(list) != !nr) {
		KUNIT_FAIL(test,
			   "counts: nr_ranges %llu len %#llx empty %d, want %zu %#llx %d",
			   (unsigned long long)physr_list_nr_ranges(list),
			   (unsigned long long)physr_list_len(list),
			   physr_list_empty(list), nr, (unsigned long long)len,
			   !nr);
		return false;
	}
	return true;
}

static inline bool list_matches_ref(struct kunit *test,
				    const struct physr_list *list,
				    const struct ref_list *ref)
{
	return list_matches(test, list, ref->r, ref->nr, ref->len);
}

static inline u64 ranges_len(const struct ref_range *r, size_t nr)
{
	u64 len = 0;
	size_t i;

	for (i = 0; i < nr; i++)
		len += r[i].len;
	return len;
}

#define EXPECT_RANGES(test, list, ...) do {				\
	static const struct ref_range __exp[] = { __VA_ARGS__ };	\
	list_matches(test, list, __exp, ARRAY_SIZE(__exp),		\
		     ranges_len(__exp, ARRAY_SIZE(__exp)));		\
} while (0)

#define EXPECT_EMPTY(test, list)	list_matches(test, list, NULL, 0, 0)

/* A snapshot: the ranges plus every count, to prove "unchanged". */
struct snap {
	struct ref_list ref;
	u64 nr_ranges;
	u64 len;
	size_t heap;
};

static inline void snap_take(struct kunit *test,
			     const struct physr_list *list, struct snap *s)
{
	struct physr_iter it;
	struct physr r;

	ref_init(&s->ref);
	physr_for_each(list, &it, &r) {
		ref_push(test, &s->ref, physr_iter_provider(&it), r.addr,
			 r.len);
		s->ref.len += r.len;
	}
	s->nr_ranges = physr_list_nr_ranges(list);
	s->len = physr_list_len(list);
	s->heap = physr_list_heap_bytes(list);
}

/* Allocates nothing. */
static inline bool snap_matches(struct kunit *test,
				const struct physr_list *list,
				const struct snap *s)
{
	if (!list_matches(test, list, s->ref.r, s->ref.nr, s->len))
		return false;
	if (physr_list_heap_bytes(list) != s->heap) {
		KUNIT_FAIL(test, "heap bytes %zu, want %zu",
			   physr_list_heap_bytes(list), s->heap);
		return false;
	}
	return true;
}

static inline void snap_destroy(struct snap *s)
{
	ref_destroy(&s->ref);
}

/*
 * Live kmalloc bytes and objects, to check that heap_bytes is what the
 * list holds and that nothing leaks, where the allocators count them
 * (<kunit/portable.h>: in userspace, not in the kernel).  Expectations
 * on them go inside IF_ACCOUNTED().
 */
static inline s64 live_bytes(void)
{
	s64 allocs, bytes;

	kunit_alloc_live(&allocs, &bytes);
	return bytes;
}

static inline s64 live_allocs(void)
{
	s64 allocs, bytes;

	kunit_alloc_live(&allocs, &bytes);
	return allocs;
}

static inline bool alloc_accounted(void)
{
	s64 allocs, bytes;

	return kunit_alloc_live(&allocs, &bytes);
}

#define IF_ACCOUNTED(...) do {						\
	if (alloc_accounted()) {					\
		__VA_ARGS__;						\
	}								\
} while (0)

/* Heap bytes of a list holding one small range: the first chunk. */
static inline size_t first_chunk_bytes(struct kunit *test)
{
	struct physr_list list = PHYSR_LIST_INIT;
	size_t bytes;

	KUNIT_ASSERT_EQ(test, physr_list_append(&list, 0x1000, 0x1000,
						GFP_KERNEL), 0);
	bytes = physr_list_heap_bytes(&list);
	physr_list_destroy(&list);
	return bytes;
}

/*
 * How many discontiguous one-page (compact) ranges fill the first @chunks
 * chunks exactly: one more would allocate another chunk.
 */
static inline int compact_fill(struct kunit *test, int chunks)
{
	struct physr_list list = PHYSR_LIST_INIT;
	size_t heap = 0;
	int n, grown = 0;

	for (n = 0;; n++) {
		KUNIT_ASSERT_EQ(test,
				physr_list_append(&list, (phys_addr_t)n * 2 * PS,
						  PS, GFP_KERNEL), 0);
		if (physr_list_heap_bytes(&list) != heap) {
			heap = physr_list_heap_bytes(&list);
			if (++grown > chunks)
				break;
		}
	}
	physr_list_destroy(&list);
	return n;
}


#endif /* _TESTS_PHYSR_TEST_H */
