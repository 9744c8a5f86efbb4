/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for the lockdep assertions.  Every compat lock
 * (spinlock_t, struct mutex, struct rw_semaphore) carries a struct
 * compat_lock_owner recording which thread holds it exclusively (and how
 * many readers hold an rwsem), so lockdep_assert_held() is a real check:
 * it WARNs when the calling thread does not hold the lock.  For an rwsem
 * held for read we can only check that *someone* reads.
 */
#ifndef _COMPAT_LINUX_LOCKDEP_H
#define _COMPAT_LINUX_LOCKDEP_H

#include <pthread.h>
#include <linux/types.h>
#include <linux/bug.h>

struct compat_lock_owner {
	unsigned long owner;	/* pthread_self() of the exclusive holder, or 0 */
	long readers;		/* rwsem readers */
};

#define COMPAT_LOCK_OWNER_INIT	{ .owner = 0, .readers = 0 }

static inline void compat_lock_acquired(struct compat_lock_owner *o)
{
	__atomic_store_n(&o->owner, (unsigned long)pthread_self(),
			 __ATOMIC_RELAXED);
}

static inline void compat_lock_releasing(struct compat_lock_owner *o)
{
	__atomic_store_n(&o->owner, 0UL, __ATOMIC_RELAXED);
}

static inline bool compat_lock_held_by_me(const struct compat_lock_owner *o)
{
	return __atomic_load_n(&o->owner, __ATOMIC_RELAXED) ==
	       (unsigned long)pthread_self();
}

static inline bool compat_lock_held_read(const struct compat_lock_owner *o)
{
	return __atomic_load_n(&o->readers, __ATOMIC_RELAXED) > 0;
}

#define lockdep_is_held(l)	(compat_lock_held_by_me(&(l)->dep) ||	\
				 compat_lock_held_read(&(l)->dep))
#define lockdep_assert_held(l)	(void)WARN_ON(!lockdep_is_held(l))
#define lockdep_assert_held_write(l)					\
	(void)WARN_ON(!compat_lock_held_by_me(&(l)->dep))
#define lockdep_assert_held_read(l)					\
	(void)WARN_ON(!compat_lock_held_read(&(l)->dep))
#define lockdep_assert_not_held(l)					\
	(void)WARN_ON(compat_lock_held_by_me(&(l)->dep))

#define might_sleep()		do { } while (0)
#define might_lock(l)		do { (void)(l); } while (0)
#define lockdep_assert_irqs_disabled()	do { } while (0)

#endif /* _COMPAT_LINUX_LOCKDEP_H */
