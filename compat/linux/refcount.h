/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/refcount.h>.
 *
 * A refcount_t never wraps: an increment from 0 (use after free), an
 * overflow past INT_MAX, or a decrement below 0 WARNs and leaves the
 * counter saturated at REFCOUNT_SATURATED, so the object leaks instead of
 * being freed twice.
 */
#ifndef _COMPAT_LINUX_REFCOUNT_H
#define _COMPAT_LINUX_REFCOUNT_H

#include <linux/types.h>
#include <linux/bug.h>
#include <linux/atomic.h>

typedef struct refcount_struct {
	atomic_t refs;
} refcount_t;

#define REFCOUNT_INIT(n)	{ .refs = ATOMIC_INIT(n) }
#define REFCOUNT_MAX		INT_MAX
#define REFCOUNT_SATURATED	(INT_MIN / 2)

static inline void refcount_set(refcount_t *r, int n)
{
	atomic_set(&r->refs, n);
}

static inline unsigned int refcount_read(const refcount_t *r)
{
	return atomic_read(&r->refs);
}

static inline void __refcount_saturate(refcount_t *r, const char *what)
{
	atomic_set(&r->refs, REFCOUNT_SATURATED);
	WARN(1, "refcount_t: %s", what);
}

/* Add @i unless the count is 0; return whether it added. */
static inline __must_check bool refcount_add_not_zero(int i, refcount_t *r)
{
	int old = atomic_read(&r->refs);
	int new;

	do {
		if (!old)
			return false;
		if (unlikely(old < 0 || __builtin_add_overflow(old, i, &new))) {
			__refcount_saturate(r, "saturated; leaking memory");
			return true;
		}
	} while (!atomic_try_cmpxchg(&r->refs, &old, new));
	return true;
}

static inline __must_check bool refcount_inc_not_zero(refcount_t *r)
{
	return refcount_add_not_zero(1, r);
}

static inline void refcount_add(int i, refcount_t *r)
{
	int old = atomic_fetch_add(i, &r->refs);
	int new;

	if (unlikely(!old))
		__refcount_saturate(r, "addition on 0; use-after-free");
	else if (unlikely(old < 0 || __builtin_add_overflow(old, i, &new)))
		__refcount_saturate(r, "saturated; leaking memory");
}

static inline void refcount_inc(refcount_t *r)
{
	refcount_add(1, r);
}

/* Subtract @i; return true if the count reached 0 (caller frees). */
static inline __must_check bool refcount_sub_and_test(int i, refcount_t *r)
{
	int old = atomic_fetch_sub(i, &r->refs);

	if (old == i)
		return true;
	if (unlikely(old < 0 || old - i < 0))
		__refcount_saturate(r, "underflow; use-after-free");
	return false;
}

static inline __must_check bool refcount_dec_and_test(refcount_t *r)
{
	return refcount_sub_and_test(1, r);
}

static inline void refcount_dec(refcount_t *r)
{
	if (unlikely(atomic_fetch_sub(1, &r->refs) <= 1))
		__refcount_saturate(r, "decrement hit 0; leaking memory");
}

#endif /* _COMPAT_LINUX_REFCOUNT_H */
