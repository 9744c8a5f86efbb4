// SPDX-License-Identifier: GPL-2.0
/*
 * kmalloc and friends for userspace builds, with accounting and fault
 * injection.
 *
 * Each object is preceded by a 16-byte header (struct compat_slab_hdr)
 * that records the requested size, which family allocated it (kmalloc or
 * kvmalloc), and how far the object sits from the start of the host block
 * (non-zero only for objects aligned beyond 16 bytes).  The header sits
 * right before the object, so objects keep the host's 16-byte alignment
 * or better:
 *
 *	host block: [ padding (off - 16 bytes) ][ header ][ object ... ]
 *	                                                  ^ returned pointer
 *
 * The counters are per thread and the fail_nth countdown is an atomic,
 * so any thread may allocate.  Every allocation attempt that could succeed consumes exactly
 * one tick of should_fail_alloc(); kmalloc(0) and overflowing sizes do
 * not, as they can never succeed or fail by chance.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <asm/page.h>
#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/fault-inject.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/slab.h>

#define SLAB_MAGIC_LIVE	0x51ab11feu
#define SLAB_MAGIC_DEAD	0xdeadf1abu

enum slab_kind {
	SLAB_KIND_KMALLOC = 1,
	SLAB_KIND_KVMALLOC,
};

struct compat_slab_hdr {
	u64 size;	/* requested size */
	u32 magic;
	u16 kind;	/* enum slab_kind */
	u16 off;	/* object - host block start, >= sizeof(header) */
};

_Static_assert(sizeof(struct compat_slab_hdr) == 16, "header keeps alignment");

#define KVMALLOC_MAX_SIZE	((size_t)INT_MAX)
#define SLAB_MAX_ALIGN		PAGE_SIZE

/*
 * The counters are per thread, as the kernel's would be per CPU: every
 * kmalloc() and page allocation updates them, and three locked atomic
 * additions on shared counters cost as much as a page-table page's whole
 * allocation.  A thread's block is updated by that thread alone, with
 * plain (relaxed atomic) loads and stores; readers sum every live block
 * and what exited threads left, under alloc_counters_lock.
 */
struct alloc_counters {
	u64 live_allocs;
	u64 live_bytes;
	u64 total_allocs;
	struct alloc_counters *next;
};

static pthread_mutex_t alloc_counters_lock = PTHREAD_MUTEX_INITIALIZER;
static struct alloc_counters *alloc_counters_list;
/* Exited threads' counts, and everyone's if a block cannot be had. */
static struct alloc_counters alloc_counters_shared;
static pthread_key_t alloc_counters_key;
static pthread_once_t alloc_counters_once = PTHREAD_ONCE_INIT;
static __thread struct alloc_counters *alloc_counters_mine;

static unsigned long fail_nth_countdown;
static bool fail_nth_fired;
/* Armed by fail_nth_set_nowait(): allocations that may sleep do not tick. */
static bool fail_nth_nowait_only;
static __thread gfp_t alloc_last_gfp_mine;

static void alloc_counters_shared_add(struct alloc_counters *c)
{
	__atomic_fetch_add(&alloc_counters_shared.live_allocs, c->live_allocs,
			   __ATOMIC_RELAXED);
	__atomic_fetch_add(&alloc_counters_shared.live_bytes, c->live_bytes,
			   __ATOMIC_RELAXED);
	__atomic_fetch_add(&alloc_counters_shared.total_allocs,
			   c->total_allocs, __ATOMIC_RELAXED);
}

/* Thread exit: fold the block into the shared counts and drop it. */
static void alloc_counters_exit(void *arg)
{
	struct alloc_counters *c = arg, **pp;

	pthread_mutex_lock(&alloc_counters_lock);
	for (pp = &alloc_counters_list; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	alloc_counters_shared_add(c);
	pthread_mutex_unlock(&alloc_counters_lock);
	/* A later destructor that allocates registers a new block. */
	alloc_counters_mine = NULL;
	free(c);
}

static void alloc_counters_init_key(void)
{
	if (pthread_key_create(&alloc_counters_key, alloc_counters_exit))
		alloc_counters_key = (pthread_key_t)-1;
}

/* This thread's block, made on first use; NULL: use the shared one. */
static struct alloc_counters *alloc_counters_get(void)
{
	struct alloc_counters *c = alloc_counters_mine;

	if (likely(c))
		return c;
	pthread_once(&alloc_counters_once, alloc_counters_init_key);
	if (alloc_counters_key == (pthread_key_t)-1)
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	if (pthread_setspecific(alloc_counters_key, c)) {
		free(c);
		return NULL;
	}
	pthread_mutex_lock(&alloc_counters_lock);
	c->next = alloc_counters_list;
	alloc_counters_list = c;
	pthread_mutex_unlock(&alloc_counters_lock);
	alloc_counters_mine = c;
	return c;
}

/* Add to a counter only this thread writes; readers see whole values. */
static inline void alloc_counter_add(u64 *counter, u64 n)
{
	__atomic_store_n(counter, __atomic_load_n(counter, __ATOMIC_RELAXED) + n,
			 __ATOMIC_RELAXED);
}

/**
 * alloc_stats_get() - read the allocation counters
 * @stats: filled with the current values
 *
 * The sum over every thread; under concurrent allocation it is not one
 * consistent snapshot.
 */
void alloc_stats_get(struct alloc_stats *stats)
{
	struct alloc_counters *c;

	pthread_mutex_lock(&alloc_counters_lock);
	stats->live_allocs = __atomic_load_n(&alloc_counters_shared.live_allocs,
					     __ATOMIC_RELAXED);
	stats->live_bytes = __atomic_load_n(&alloc_counters_shared.live_bytes,
					    __ATOMIC_RELAXED);
	stats->total_allocs =
		__atomic_load_n(&alloc_counters_shared.total_allocs,
				__ATOMIC_RELAXED);
	for (c = alloc_counters_list; c; c = c->next) {
		stats->live_allocs += __atomic_load_n(&c->live_allocs,
						      __ATOMIC_RELAXED);
		stats->live_bytes += __atomic_load_n(&c->live_bytes,
						     __ATOMIC_RELAXED);
		stats->total_allocs += __atomic_load_n(&c->total_allocs,
						       __ATOMIC_RELAXED);
	}
	pthread_mutex_unlock(&alloc_counters_lock);
}

/**
 * alloc_stats_add() - account objects of another allocator
 * @allocs: number of objects allocated (negative: freed)
 * @bytes: their size in bytes (negative: freed)
 *
 * A positive @allocs also counts towards the total of allocations.
 */
void alloc_stats_add(s64 allocs, s64 bytes)
{
	struct alloc_counters *c = alloc_counters_get();
	struct alloc_counters delta = {
		.live_allocs = (u64)allocs,
		.live_bytes = (u64)bytes,
		.total_allocs = allocs > 0 ? (u64)allocs : 0,
	};

	if (unlikely(!c)) {
		alloc_counters_shared_add(&delta);
		return;
	}
	alloc_counter_add(&c->live_allocs, delta.live_allocs);
	alloc_counter_add(&c->live_bytes, delta.live_bytes);
	if (delta.total_allocs)
		alloc_counter_add(&c->total_allocs, delta.total_allocs);
}

/**
 * fail_nth_set() - arm (or disarm) the injected allocation failure
 * @n: 1 fails the very next allocation, 2 the one after, ...; 0 disarms
 *
 * Also resets fail_nth_triggered().  Only one failure is injected per
 * arming: allocations after the failing one succeed again.
 */
void fail_nth_set(unsigned long n)
{
	__atomic_store_n(&fail_nth_fired, false, __ATOMIC_SEQ_CST);
	__atomic_store_n(&fail_nth_nowait_only, false, __ATOMIC_SEQ_CST);
	__atomic_store_n(&fail_nth_countdown, n, __ATOMIC_SEQ_CST);
}

/**
 * fail_nth_set_nowait() - arm a failure of an allocation that may not sleep
 * @n: 1 fails the next allocation without __GFP_DIRECT_RECLAIM, 2 the one
 *	after, ...; 0 disarms
 *
 * As fail_nth_set(), but allocations that may sleep (GFP_KERNEL and the
 * like) neither fail nor count, as with the kernel's ignore-gfp-wait.
 * fail_nth_set() arms the plain mode again.
 */
void fail_nth_set_nowait(unsigned long n)
{
	__atomic_store_n(&fail_nth_fired, false, __ATOMIC_SEQ_CST);
	__atomic_store_n(&fail_nth_nowait_only, true, __ATOMIC_SEQ_CST);
	__atomic_store_n(&fail_nth_countdown, n, __ATOMIC_SEQ_CST);
}

/**
 * fail_nth_triggered() - has the failure armed by fail_nth_set() fired?
 *
 * Return: true once the n-th allocation has been failed.
 */
bool fail_nth_triggered(void)
{
	return __atomic_load_n(&fail_nth_fired, __ATOMIC_SEQ_CST);
}

/**
 * fail_nth_remaining() - allocations left before the armed failure
 *
 * Return: 0 if disarmed (or already fired), else how many more ticks until
 * the failure; 1 means the next allocation fails.
 */
unsigned long fail_nth_remaining(void)
{
	return __atomic_load_n(&fail_nth_countdown, __ATOMIC_SEQ_CST);
}

/**
 * should_fail_alloc() - consume one allocation tick
 * @gfp: the allocation's flags
 *
 * Every allocator calls this exactly once per allocation attempt, before
 * allocating anything.  It also records @gfp for alloc_last_gfp().
 *
 * Return: true if this allocation must fail (the caller returns NULL or
 * -ENOMEM without side effects).
 */
bool should_fail_alloc(gfp_t gfp)
{
	unsigned long c = __atomic_load_n(&fail_nth_countdown, __ATOMIC_SEQ_CST);

	alloc_last_gfp_mine = gfp;
	if (likely(!c))
		return false;
	if (gfpflags_allow_blocking(gfp) &&
	    __atomic_load_n(&fail_nth_nowait_only, __ATOMIC_SEQ_CST))
		return false;
	/* Exactly one caller takes the countdown from 1 to 0. */
	while (c) {
		if (__atomic_compare_exchange_n(&fail_nth_countdown, &c, c - 1,
						false, __ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST)) {
			if (c != 1)
				return false;
			__atomic_store_n(&fail_nth_fired, true,
					 __ATOMIC_SEQ_CST);
			return true;
		}
	}
	return false;
}

/**
 * alloc_last_gfp() - flags of this thread's last allocation attempt
 *
 * Return: the gfp flags the last should_fail_alloc() call of the calling
 * thread was given (0 before its first).
 */
gfp_t alloc_last_gfp(void)
{
	return alloc_last_gfp_mine;
}

static struct compat_slab_hdr *slab_hdr(const void *p)
{
	struct compat_slab_hdr *hdr = (struct compat_slab_hdr *)p - 1;

	if (hdr->magic != SLAB_MAGIC_LIVE)
		__compat_bug(__FILE__, __LINE__);	/* bad or double free */
	return hdr;
}

/*
 * The common allocation path.  @align is a power of two; 0 picks the
 * default (natural alignment for power-of-two sizes up to a page).
 */
static void *slab_alloc(size_t size, size_t align, gfp_t flags,
			enum slab_kind kind)
{
	size_t max = kind == SLAB_KIND_KMALLOC ? KMALLOC_MAX_SIZE :
						 KVMALLOC_MAX_SIZE;
	struct compat_slab_hdr *hdr;
	size_t off;
	void *base;

	if (!size)
		return ZERO_SIZE_PTR;
	if (size > max) {
		if (!(flags & __GFP_NOWARN))
			WARN(1, "%s: %zu bytes is above the %zu-byte limit",
			     kind == SLAB_KIND_KMALLOC ? "kmalloc" : "kvmalloc",
			     size, max);
		return NULL;
	}
	if (!align && is_power_of_2(size))
		align = min_t(size_t, size, PAGE_SIZE);
	align = clamp(align, (size_t)ARCH_KMALLOC_MINALIGN, SLAB_MAX_ALIGN);
	off = max_t(size_t, align, sizeof(*hdr));

	if (should_fail_alloc(flags))
		return NULL;

	if (align > ARCH_KMALLOC_MINALIGN) {
		if (posix_memalign(&base, align, off + size))
			return NULL;
	} else {
		base = malloc(off + size);
		if (!base)
			return NULL;
	}

	hdr = (struct compat_slab_hdr *)((char *)base + off) - 1;
	hdr->size = size;
	hdr->magic = SLAB_MAGIC_LIVE;
	hdr->kind = kind;
	hdr->off = off;
	if (flags & __GFP_ZERO)
		memset(hdr + 1, 0, size);

	alloc_stats_add(1, size);
	return hdr + 1;
}

/* slab_alloc() of @n objects of @size bytes; NULL if the product overflows. */
static void *slab_alloc_array(size_t n, size_t size, size_t align, gfp_t flags,
			      enum slab_kind kind)
{
	size_t bytes;

	if (check_mul_overflow(n, size, &bytes))
		return NULL;
	return slab_alloc(bytes, align, flags, kind);
}

static void slab_free(const void *p)
{
	struct compat_slab_hdr *hdr = slab_hdr(p);

	alloc_stats_add(-1, -(s64)hdr->size);
	hdr->magic = SLAB_MAGIC_DEAD;
	free((char *)(hdr + 1) - hdr->off);
}

/**
 * kmalloc() - allocate memory
 * @size: bytes wanted
 * @flags: GFP flags; __GFP_ZERO zeroes, __GFP_NOWARN quiets the size check
 *
 * Return: the object, ZERO_SIZE_PTR for 0 bytes, or NULL on failure.
 */
void *kmalloc(size_t size, gfp_t flags)
{
	return slab_alloc(size, 0, flags, SLAB_KIND_KMALLOC);
}

/**
 * kzalloc() - allocate zeroed memory
 * @size: bytes wanted
 * @flags: GFP flags
 *
 * Return: as kmalloc().
 */
void *kzalloc(size_t size, gfp_t flags)
{
	return kmalloc(size, flags | __GFP_ZERO);
}

/**
 * kmalloc_array() - allocate memory for an array
 * @n: number of elements
 * @size: bytes per element
 * @flags: GFP flags
 *
 * Return: as kmalloc(); NULL if @n * @size overflows.
 */
void *kmalloc_array(size_t n, size_t size, gfp_t flags)
{
	return slab_alloc_array(n, size, 0, flags, SLAB_KIND_KMALLOC);
}

/**
 * kcalloc() - allocate zeroed memory for an array
 * @n: number of elements
 * @size: bytes per element
 * @flags: GFP flags
 *
 * Return: as kmalloc_array().
 */
void *kcalloc(size_t n, size_t size, gfp_t flags)
{
	return kmalloc_array(n, size, flags | __GFP_ZERO);
}

/**
 * kfree() - free memory from kmalloc() and friends
 * @p: the object, NULL or ZERO_SIZE_PTR
 */
void kfree(const void *p)
{
	if (ZERO_OR_NULL_PTR(p))
		return;
	WARN(slab_hdr(p)->kind != SLAB_KIND_KMALLOC,
	     "kfree() of kvmalloc() memory %p; use kvfree()", p);
	slab_free(p);
}

/**
 * kfree_sensitive() - zero a kmalloc() object, then free it
 * @p: the object, NULL or ZERO_SIZE_PTR
 */
void kfree_sensitive(const void *p)
{
	if (ZERO_OR_NULL_PTR(p))
		return;
	memset((void *)p, 0, slab_hdr(p)->size);
	kfree(p);
}

/**
 * ksize() - size of a kmalloc() or kvmalloc() object
 * @p: the object, NULL or ZERO_SIZE_PTR
 *
 * Return: the size that was requested; 0 for NULL and ZERO_SIZE_PTR.
 */
size_t ksize(const void *p)
{
	if (ZERO_OR_NULL_PTR(p))
		return 0;
	return slab_hdr(p)->size;
}

/**
 * krealloc() - resize a kmalloc() object
 * @p: the object, or NULL / ZERO_SIZE_PTR to allocate afresh
 * @new_size: new size; 0 frees @p and returns ZERO_SIZE_PTR
 * @flags: GFP flags; with __GFP_ZERO the grown tail is zeroed
 *
 * The contents up to the smaller size are kept.  On failure @p is left
 * untouched.  A new object is always allocated, so stale pointers to the
 * old one are caught by the sanitizers.
 *
 * Return: the new object, ZERO_SIZE_PTR for 0 bytes, or NULL on failure.
 */
void *krealloc(const void *p, size_t new_size, gfp_t flags)
{
	size_t old_size = ksize(p);
	void *q;

	if (!new_size) {
		kfree(p);
		return ZERO_SIZE_PTR;
	}
	q = kmalloc(new_size, flags & ~__GFP_ZERO);
	if (!q)
		return NULL;
	if (old_size)
		memcpy(q, p, min(old_size, new_size));
	if ((flags & __GFP_ZERO) && new_size > old_size)
		memset((char *)q + old_size, 0, new_size - old_size);
	kfree(p);
	return q;
}

/**
 * krealloc_array() - resize a kmalloc() array
 * @p: the array, or NULL / ZERO_SIZE_PTR to allocate afresh
 * @new_n: new number of elements
 * @new_size: bytes per element
 * @flags: GFP flags, as for krealloc()
 *
 * Return: as krealloc(); NULL (with @p untouched) if the size overflows.
 */
void *krealloc_array(void *p, size_t new_n, size_t new_size, gfp_t flags)
{
	size_t bytes;

	if (check_mul_overflow(new_n, new_size, &bytes))
		return NULL;
	return krealloc(p, bytes, flags);
}

/**
 * kvmalloc() - allocate memory that may be too large for kmalloc()
 * @size: bytes wanted, up to INT_MAX
 * @flags: GFP flags, as for kmalloc()
 *
 * Free it with kvfree().
 *
 * Return: the object (16-byte aligned), ZERO_SIZE_PTR for 0 bytes, or
 * NULL on failure.
 */
void *kvmalloc(size_t size, gfp_t flags)
{
	return slab_alloc(size, ARCH_KMALLOC_MINALIGN, flags,
			  SLAB_KIND_KVMALLOC);
}

/**
 * kvzalloc() - kvmalloc() zeroed memory
 * @size: bytes wanted
 * @flags: GFP flags
 *
 * Return: as kvmalloc().
 */
void *kvzalloc(size_t size, gfp_t flags)
{
	return kvmalloc(size, flags | __GFP_ZERO);
}

/**
 * kvmalloc_array() - kvmalloc() memory for an array
 * @n: number of elements
 * @size: bytes per element
 * @flags: GFP flags
 *
 * Return: as kvmalloc(); NULL if @n * @size overflows.
 */
void *kvmalloc_array(size_t n, size_t size, gfp_t flags)
{
	return slab_alloc_array(n, size, ARCH_KMALLOC_MINALIGN, flags,
				SLAB_KIND_KVMALLOC);
}

/**
 * kvcalloc() - kvmalloc() zeroed memory for an array
 * @n: number of elements
 * @size: bytes per element
 * @flags: GFP flags
 *
 * Return: as kvmalloc_array().
 */
void *kvcalloc(size_t n, size_t size, gfp_t flags)
{
	return kvmalloc_array(n, size, flags | __GFP_ZERO);
}

/**
 * kvfree() - free memory from kvmalloc() or kmalloc()
 * @p: the object, NULL or ZERO_SIZE_PTR
 */
void kvfree(const void *p)
{
	if (ZERO_OR_NULL_PTR(p))
		return;
	slab_free(p);
}

/**
 * kstrdup() - copy a string into kmalloc() memory
 * @s: the string, or NULL
 * @flags: GFP flags
 *
 * Return: the copy, or NULL if @s is NULL or on failure.
 */
char *kstrdup(const char *s, gfp_t flags)
{
	return s ? kmemdup(s, strlen(s) + 1, flags) : NULL;
}

/**
 * kmemdup() - copy bytes into kmalloc() memory
 * @src: the bytes
 * @len: how many
 * @flags: GFP flags (__GFP_ZERO is pointless and ignored)
 *
 * Return: as kmalloc().
 */
void *kmemdup(const void *src, size_t len, gfp_t flags)
{
	void *p = kmalloc(len, flags & ~__GFP_ZERO);

	if (!ZERO_OR_NULL_PTR(p))
		memcpy(p, src, len);
	return p;
}

struct kmem_cache {
	const char *name;
	unsigned int size;
	unsigned int align;
	void (*ctor)(void *);
};

/**
 * kmem_cache_create() - create a cache of same-sized objects
 * @name: for messages; must outlive the cache
 * @size: object size
 * @align: object alignment (power of two, up to PAGE_SIZE), or 0
 * @flags: SLAB_* flags (accepted, ignored)
 * @ctor: called on each new object, or NULL
 *
 * The cache itself is not counted as an allocation of the caller.
 *
 * Return: the cache, or NULL.
 */
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
				     unsigned int align, unsigned int flags,
				     void (*ctor)(void *))
{
	struct kmem_cache *s;

	(void)flags;
	if (WARN_ON(align && !is_power_of_2(align)) || WARN_ON(!size))
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->name = name;
	s->size = size;
	s->align = align;
	s->ctor = ctor;
	return s;
}

/**
 * kmem_cache_destroy() - destroy a cache
 * @s: from kmem_cache_create(), or NULL; its objects must be freed already
 */
void kmem_cache_destroy(struct kmem_cache *s)
{
	free(s);
}

/**
 * kmem_cache_alloc() - allocate an object from a cache
 * @s: the cache
 * @flags: GFP flags, as for kmalloc()
 *
 * The constructor, if any, runs on the new object (after __GFP_ZERO).
 *
 * Return: the object, or NULL.
 */
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t flags)
{
	void *p = slab_alloc(s->size, s->align, flags, SLAB_KIND_KMALLOC);

	if (p && s->ctor)
		s->ctor(p);
	return p;
}

/**
 * kmem_cache_zalloc() - allocate a zeroed object from a cache
 * @s: the cache
 * @flags: GFP flags
 *
 * Return: as kmem_cache_alloc().
 */
void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t flags)
{
	return kmem_cache_alloc(s, flags | __GFP_ZERO);
}

/**
 * kmem_cache_free() - free an object of a cache
 * @s: the cache it came from
 * @p: the object, or NULL
 */
void kmem_cache_free(struct kmem_cache *s, void *p)
{
	(void)s;
	kfree(p);
}
