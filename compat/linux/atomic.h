/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/atomic.h> over the GCC __atomic builtins.
 *
 * atomic_t (int), atomic64_t (s64) and atomic_long_t (long) share one set of
 * operations, generated below.  Plain ops and atomic_read/set are relaxed;
 * value-returning ops (*_return, fetch_*, *_and_test, cmpxchg) are fully
 * ordered, as in the kernel.
 */
#ifndef _COMPAT_LINUX_ATOMIC_H
#define _COMPAT_LINUX_ATOMIC_H

#include <linux/types.h>
#include <linux/compiler.h>

typedef struct { int counter; } atomic_t;
typedef struct { s64 counter; } atomic64_t;
typedef struct { long counter; } atomic_long_t;

#define ATOMIC_INIT(i)		{ (i) }
#define ATOMIC64_INIT(i)	{ (i) }
#define ATOMIC_LONG_INIT(i)	{ (i) }

#define smp_mb()		__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_rmb()		__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_wmb()		__atomic_thread_fence(__ATOMIC_RELEASE)
#define mb()			smp_mb()
#define rmb()			smp_rmb()
#define wmb()			smp_wmb()
#define smp_mb__before_atomic()	smp_mb()
#define smp_mb__after_atomic()	smp_mb()
#define smp_load_acquire(p)	__atomic_load_n(p, __ATOMIC_ACQUIRE)
#define smp_store_release(p, v)	__atomic_store_n(p, v, __ATOMIC_RELEASE)

/* On plain variables. */
#define xchg(ptr, v)		__atomic_exchange_n(ptr, v, __ATOMIC_SEQ_CST)
#define cmpxchg(ptr, old, new) ({					\
	typeof(*(ptr)) __old = (old);					\
	__atomic_compare_exchange_n(ptr, &__old, new, false,		\
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);\
	__old; })
#define try_cmpxchg(ptr, oldp, new)					\
	__atomic_compare_exchange_n(ptr, oldp, new, false,		\
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)

#define __COMPAT_ATOMIC_OPS(pfx, atype, t)				\
static inline t pfx##_read(const atype *v)				\
{ return __atomic_load_n(&v->counter, __ATOMIC_RELAXED); }		\
static inline void pfx##_set(atype *v, t i)				\
{ __atomic_store_n(&v->counter, i, __ATOMIC_RELAXED); }		\
static inline t pfx##_read_acquire(const atype *v)			\
{ return __atomic_load_n(&v->counter, __ATOMIC_ACQUIRE); }		\
static inline void pfx##_set_release(atype *v, t i)			\
{ __atomic_store_n(&v->counter, i, __ATOMIC_RELEASE); }		\
static inline void pfx##_add(t i, atype *v)				\
{ __atomic_fetch_add(&v->counter, i, __ATOMIC_RELAXED); }		\
static inline void pfx##_sub(t i, atype *v)				\
{ __atomic_fetch_sub(&v->counter, i, __ATOMIC_RELAXED); }		\
static inline void pfx##_inc(atype *v) { pfx##_add(1, v); }		\
static inline void pfx##_dec(atype *v) { pfx##_sub(1, v); }		\
static inline void pfx##_or(t i, atype *v)				\
{ __atomic_fetch_or(&v->counter, i, __ATOMIC_RELAXED); }		\
static inline void pfx##_and(t i, atype *v)				\
{ __atomic_fetch_and(&v->counter, i, __ATOMIC_RELAXED); }		\
static inline t pfx##_fetch_add(t i, atype *v)				\
{ return __atomic_fetch_add(&v->counter, i, __ATOMIC_SEQ_CST); }	\
static inline t pfx##_fetch_sub(t i, atype *v)				\
{ return __atomic_fetch_sub(&v->counter, i, __ATOMIC_SEQ_CST); }	\
static inline t pfx##_fetch_inc(atype *v) { return pfx##_fetch_add(1, v); } \
static inline t pfx##_fetch_dec(atype *v) { return pfx##_fetch_sub(1, v); } \
static inline t pfx##_fetch_or(t i, atype *v)				\
{ return __atomic_fetch_or(&v->counter, i, __ATOMIC_SEQ_CST); }	\
static inline t pfx##_fetch_and(t i, atype *v)				\
{ return __atomic_fetch_and(&v->counter, i, __ATOMIC_SEQ_CST); }	\
static inline t pfx##_add_return(t i, atype *v)			\
{ return __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST); }	\
static inline t pfx##_sub_return(t i, atype *v)			\
{ return __atomic_sub_fetch(&v->counter, i, __ATOMIC_SEQ_CST); }	\
static inline t pfx##_inc_return(atype *v) { return pfx##_add_return(1, v); } \
static inline t pfx##_dec_return(atype *v) { return pfx##_sub_return(1, v); } \
static inline bool pfx##_dec_and_test(atype *v)			\
{ return pfx##_dec_return(v) == 0; }					\
static inline bool pfx##_inc_and_test(atype *v)			\
{ return pfx##_inc_return(v) == 0; }					\
static inline bool pfx##_sub_and_test(t i, atype *v)			\
{ return pfx##_sub_return(i, v) == 0; }				\
static inline t pfx##_xchg(atype *v, t i)				\
{ return __atomic_exchange_n(&v->counter, i, __ATOMIC_SEQ_CST); }	\
static inline t pfx##_cmpxchg(atype *v, t old, t new)			\
{									\
	__atomic_compare_exchange_n(&v->counter, &old, new, false,	\
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);\
	return old;							\
}									\
static inline bool pfx##_try_cmpxchg(atype *v, t *old, t new)		\
{									\
	return __atomic_compare_exchange_n(&v->counter, old, new, false,\
					   __ATOMIC_SEQ_CST,		\
					   __ATOMIC_SEQ_CST);		\
}									\
/* Add @a unless the value is @u; return whether it added. */		\
static inline bool pfx##_add_unless(atype *v, t a, t u)		\
{									\
	t c = pfx##_read(v);						\
									\
	do {								\
		if (c == u)						\
			return false;					\
	} while (!pfx##_try_cmpxchg(v, &c,			\
					 (t)((unsigned long long)c + a)));			\
	return true;							\
}									\
static inline bool pfx##_inc_not_zero(atype *v)			\
{ return pfx##_add_unless(v, 1, 0); }

__COMPAT_ATOMIC_OPS(atomic, atomic_t, int)
__COMPAT_ATOMIC_OPS(atomic64, atomic64_t, s64)
__COMPAT_ATOMIC_OPS(atomic_long, atomic_long_t, long)

#undef __COMPAT_ATOMIC_OPS

#endif /* _COMPAT_LINUX_ATOMIC_H */
