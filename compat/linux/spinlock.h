/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/spinlock.h>.  A spinlock_t is a pthread
 * mutex (spinning threads under a sanitizer or an overcommitted CI machine
 * cost more than they save); there are no interrupts, so the _irq, _bh and
 * _irqsave variants are the plain lock and @flags is set to 0.
 */
#ifndef _COMPAT_LINUX_SPINLOCK_H
#define _COMPAT_LINUX_SPINLOCK_H

#include <pthread.h>
#include <linux/types.h>
#include <linux/lockdep.h>

typedef struct spinlock {
	pthread_mutex_t lock;
	struct compat_lock_owner dep;
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED(name)					\
	{ .lock = PTHREAD_MUTEX_INITIALIZER, .dep = COMPAT_LOCK_OWNER_INIT }
#define DEFINE_SPINLOCK(name)	spinlock_t name = __SPIN_LOCK_UNLOCKED(name)

static inline void spin_lock_init(spinlock_t *l)
{
	pthread_mutex_init(&l->lock, NULL);
	l->dep = (struct compat_lock_owner)COMPAT_LOCK_OWNER_INIT;
}

static inline void spin_lock(spinlock_t *l)
{
	pthread_mutex_lock(&l->lock);
	compat_lock_acquired(&l->dep);
}

static inline int spin_trylock(spinlock_t *l)
{
	if (pthread_mutex_trylock(&l->lock))
		return 0;
	compat_lock_acquired(&l->dep);
	return 1;
}

static inline void spin_unlock(spinlock_t *l)
{
	compat_lock_releasing(&l->dep);
	pthread_mutex_unlock(&l->lock);
}

static inline bool spin_is_locked(spinlock_t *l)
{
	return __atomic_load_n(&l->dep.owner, __ATOMIC_RELAXED) != 0;
}

#define spin_lock_irq(l)		spin_lock(l)
#define spin_unlock_irq(l)		spin_unlock(l)
#define spin_lock_bh(l)			spin_lock(l)
#define spin_unlock_bh(l)		spin_unlock(l)
#define spin_lock_irqsave(l, flags)	do { (flags) = 0; spin_lock(l); } while (0)
#define spin_unlock_irqrestore(l, flags)				\
	do { (void)(flags); spin_unlock(l); } while (0)
#define spin_trylock_irqsave(l, flags)	({ (flags) = 0; spin_trylock(l); })
#define assert_spin_locked(l)		lockdep_assert_held(l)

#endif /* _COMPAT_LINUX_SPINLOCK_H */
