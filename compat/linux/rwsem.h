/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/rwsem.h>, over a pthread rwlock.
 * downgrade_write() is not provided: pthreads cannot do it atomically.
 */
#ifndef _COMPAT_LINUX_RWSEM_H
#define _COMPAT_LINUX_RWSEM_H

#include <pthread.h>
#include <linux/types.h>
#include <linux/lockdep.h>

struct rw_semaphore {
	pthread_rwlock_t lock;
	struct compat_lock_owner dep;
};

#define __RWSEM_INITIALIZER(name)					\
	{ .lock = PTHREAD_RWLOCK_INITIALIZER, .dep = COMPAT_LOCK_OWNER_INIT }
#define DECLARE_RWSEM(name)	struct rw_semaphore name = __RWSEM_INITIALIZER(name)

static inline void init_rwsem(struct rw_semaphore *s)
{
	pthread_rwlock_init(&s->lock, NULL);
	s->dep = (struct compat_lock_owner)COMPAT_LOCK_OWNER_INIT;
}

static inline void down_read(struct rw_semaphore *s)
{
	pthread_rwlock_rdlock(&s->lock);
	__atomic_fetch_add(&s->dep.readers, 1, __ATOMIC_RELAXED);
}

static inline int down_read_trylock(struct rw_semaphore *s)
{
	if (pthread_rwlock_tryrdlock(&s->lock))
		return 0;
	__atomic_fetch_add(&s->dep.readers, 1, __ATOMIC_RELAXED);
	return 1;
}

static inline void up_read(struct rw_semaphore *s)
{
	__atomic_fetch_sub(&s->dep.readers, 1, __ATOMIC_RELAXED);
	pthread_rwlock_unlock(&s->lock);
}

static inline void down_write(struct rw_semaphore *s)
{
	pthread_rwlock_wrlock(&s->lock);
	compat_lock_acquired(&s->dep);
}

static inline int down_write_trylock(struct rw_semaphore *s)
{
	if (pthread_rwlock_trywrlock(&s->lock))
		return 0;
	compat_lock_acquired(&s->dep);
	return 1;
}

static inline void up_write(struct rw_semaphore *s)
{
	compat_lock_releasing(&s->dep);
	pthread_rwlock_unlock(&s->lock);
}

static inline int down_read_killable(struct rw_semaphore *s)
{
	down_read(s);
	return 0;
}

static inline int down_write_killable(struct rw_semaphore *s)
{
	down_write(s);
	return 0;
}

#define rwsem_assert_held(s)		lockdep_assert_held(s)
#define rwsem_assert_held_write(s)	lockdep_assert_held_write(s)

#endif /* _COMPAT_LINUX_RWSEM_H */
