/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/mutex.h>, over a pthread mutex. */
#ifndef _COMPAT_LINUX_MUTEX_H
#define _COMPAT_LINUX_MUTEX_H

#include <pthread.h>
#include <linux/types.h>
#include <linux/lockdep.h>

struct mutex {
	pthread_mutex_t lock;
	struct compat_lock_owner dep;
};

#define __MUTEX_INITIALIZER(name)					\
	{ .lock = PTHREAD_MUTEX_INITIALIZER, .dep = COMPAT_LOCK_OWNER_INIT }
#define DEFINE_MUTEX(name)	struct mutex name = __MUTEX_INITIALIZER(name)

static inline void mutex_init(struct mutex *m)
{
	pthread_mutex_init(&m->lock, NULL);
	m->dep = (struct compat_lock_owner)COMPAT_LOCK_OWNER_INIT;
}

static inline void mutex_destroy(struct mutex *m)
{
	WARN_ON(m->dep.owner);
	pthread_mutex_destroy(&m->lock);
}

static inline void mutex_lock(struct mutex *m)
{
	pthread_mutex_lock(&m->lock);
	compat_lock_acquired(&m->dep);
}

/* No signals to interrupt us: always acquires, returns 0. */
static inline int mutex_lock_interruptible(struct mutex *m)
{
	mutex_lock(m);
	return 0;
}

static inline int mutex_lock_killable(struct mutex *m)
{
	mutex_lock(m);
	return 0;
}

/* Return: 1 if acquired, 0 if contended (as in the kernel). */
static inline int mutex_trylock(struct mutex *m)
{
	if (pthread_mutex_trylock(&m->lock))
		return 0;
	compat_lock_acquired(&m->dep);
	return 1;
}

static inline void mutex_unlock(struct mutex *m)
{
	compat_lock_releasing(&m->dep);
	pthread_mutex_unlock(&m->lock);
}

static inline bool mutex_is_locked(struct mutex *m)
{
	return __atomic_load_n(&m->dep.owner, __ATOMIC_RELAXED) != 0;
}

#define mutex_lock_nested(m, subclass)	mutex_lock(m)

#endif /* _COMPAT_LINUX_MUTEX_H */
