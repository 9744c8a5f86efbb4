/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/slab.h> and the kvmalloc family.
 *
 * Every allocation is counted (live allocations and live bytes) and any one
 * of them can be made to fail on purpose; <linux/fault-inject.h> has the
 * controls.  These are real functions, not inlines, so code built against
 * other headers (the scatterlist baseline's shim) allocates through the same
 * counters.
 *
 * Kernel behaviour kept on purpose:
 *  - kmalloc(0) returns ZERO_SIZE_PTR (not NULL, not dereferenceable);
 *    kfree(NULL) and kfree(ZERO_SIZE_PTR) do nothing.
 *  - A power-of-two kmalloc() size up to PAGE_SIZE is naturally aligned;
 *    everything else is 16-byte aligned.
 *  - kmalloc() above KMALLOC_MAX_SIZE fails (and WARNs unless __GFP_NOWARN):
 *    large tables must be built from chunks or with kvmalloc(), whose
 *    limit is INT_MAX bytes.
 *  - kfree() of kvmalloc() memory WARNs (use kvfree()); kvfree() takes both.
 *  - Array sizes that overflow return NULL.
 *  - ksize() returns the size that was requested.
 */
#ifndef _COMPAT_LINUX_SLAB_H
#define _COMPAT_LINUX_SLAB_H

#include <linux/types.h>
#include <linux/gfp_types.h>
#include <linux/overflow.h>

#define ZERO_SIZE_PTR		((void *)16)
#define ZERO_OR_NULL_PTR(x)	((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

#define KMALLOC_MAX_SIZE	(4UL << 20)
#define ARCH_KMALLOC_MINALIGN	16

void *kmalloc(size_t size, gfp_t flags);
void *kzalloc(size_t size, gfp_t flags);
void *kmalloc_array(size_t n, size_t size, gfp_t flags);
void *kcalloc(size_t n, size_t size, gfp_t flags);
void *krealloc(const void *p, size_t new_size, gfp_t flags);
void kfree(const void *p);
void *kvmalloc(size_t size, gfp_t flags);
void *kvzalloc(size_t size, gfp_t flags);
void *kvmalloc_array(size_t n, size_t size, gfp_t flags);
void *kvcalloc(size_t n, size_t size, gfp_t flags);
void kvfree(const void *p);
char *kstrdup(const char *s, gfp_t flags);
size_t ksize(const void *p);

void *kmemdup(const void *src, size_t len, gfp_t flags);
void *krealloc_array(void *p, size_t new_n, size_t new_size, gfp_t flags);
void kfree_sensitive(const void *p);

#define kmalloc_node(size, flags, node)	kmalloc(size, flags)
#define kzalloc_node(size, flags, node)	kzalloc(size, flags)
#define kvmalloc_node(size, flags, node)	kvmalloc(size, flags)
#define kvzalloc_node(size, flags, node)	kvzalloc(size, flags)

/*
 * A kmem_cache is a named object size; objects come from kmalloc() (so
 * they are counted and fault-injected the same way) with the cache's
 * alignment and optional constructor.
 */
struct kmem_cache;

#define SLAB_HWCACHE_ALIGN	0x1u
#define SLAB_PANIC		0x2u
#define SLAB_ACCOUNT		0x4u

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
				     unsigned int align, unsigned int flags,
				     void (*ctor)(void *));
void kmem_cache_destroy(struct kmem_cache *s);
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t flags);
void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t flags);
void kmem_cache_free(struct kmem_cache *s, void *p);

#define KMEM_CACHE(type, flags)						\
	kmem_cache_create(#type, sizeof(struct type),			\
			  __alignof__(struct type), (flags), NULL)

#endif /* _COMPAT_LINUX_SLAB_H */
