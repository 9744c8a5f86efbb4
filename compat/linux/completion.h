/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/completion.h>, over a pthread mutex and
 * condition variable.
 *
 * Semantics as upstream (kernel/sched/completion.c):
 *  - @done counts complete() calls not yet consumed by a waiter; each
 *    complete() lets exactly one wait through (now or later), so a
 *    complete() that comes before the wait is not lost;
 *  - complete_all() sets @done to UINT_MAX, which no wait consumes: every
 *    waiter, present and future, passes until reinit_completion();
 *  - the timed waits return 0 on timeout, else the jiffies left (at least
 *    1); timeouts are in jiffies (<linux/jiffies.h>: one jiffy is 1 ms)
 *    and measured on CLOCK_MONOTONIC;
 *  - there are no signals here, so the _interruptible and _killable
 *    waits behave as the plain ones and never return -ERESTARTSYS.
 *
 * complete() wakes the waiter while holding the lock, and a woken waiter
 * must take the lock before it returns, so a completion on the waiter's
 * stack may go away as soon as the wait returns (the usual
 * DECLARE_COMPLETION_ONSTACK pattern), as upstream.  Completions have no
 * destructor: the mutex and condvar hold no host resources (glibc).
 */
#ifndef _COMPAT_LINUX_COMPLETION_H
#define _COMPAT_LINUX_COMPLETION_H

#include <errno.h>
#include <pthread.h>
#include <time.h>
#include <linux/types.h>
#include <linux/limits.h>
#include <linux/jiffies.h>
#include <linux/sched.h>

/**
 * struct completion - a one-shot (or counted) event threads can wait for
 * @done: complete() calls not yet consumed; UINT_MAX after complete_all()
 * @lock: protects @done
 * @wait: where waiters sleep
 */
struct completion {
	unsigned int done;
	pthread_mutex_t lock;
	pthread_cond_t wait;
};

#define COMPLETION_INITIALIZER(work)					\
	{ .done = 0, .lock = PTHREAD_MUTEX_INITIALIZER,			\
	  .wait = PTHREAD_COND_INITIALIZER }
#define COMPLETION_INITIALIZER_ONSTACK(work)	COMPLETION_INITIALIZER(work)
#define DECLARE_COMPLETION(work)					\
	struct completion work = COMPLETION_INITIALIZER(work)
#define DECLARE_COMPLETION_ONSTACK(work)				\
	struct completion work = COMPLETION_INITIALIZER_ONSTACK(work)

static inline void init_completion(struct completion *x)
{
	*x = (struct completion)COMPLETION_INITIALIZER(*x);
}

/* Make a completed completion waitable again; no one may be waiting. */
static inline void reinit_completion(struct completion *x)
{
	__atomic_store_n(&x->done, 0, __ATOMIC_RELAXED);
}

/*
 * @done is written under @lock, but read without it by completion_done()
 * and try_wait_for_completion(): the writes are atomic stores so those
 * reads are not data races.
 */
static inline void __completion_set_done(struct completion *x,
					 unsigned int done)
{
	__atomic_store_n(&x->done, done, __ATOMIC_RELEASE);
}

/* Let one waiter through: the longest waiting, or the next to wait. */
static inline void complete(struct completion *x)
{
	pthread_mutex_lock(&x->lock);
	if (x->done != UINT_MAX)
		__completion_set_done(x, x->done + 1);
	pthread_cond_signal(&x->wait);
	pthread_mutex_unlock(&x->lock);
}

/* Let every waiter through, now and until reinit_completion(). */
static inline void complete_all(struct completion *x)
{
	pthread_mutex_lock(&x->lock);
	__completion_set_done(x, UINT_MAX);
	pthread_cond_broadcast(&x->wait);
	pthread_mutex_unlock(&x->lock);
}

/* Consume one completion; called with @x->lock held and @x->done set. */
static inline void __completion_consume(struct completion *x)
{
	if (x->done != UINT_MAX)
		__completion_set_done(x, x->done - 1);
}

/*
 * Wait at most @timeout jiffies (MAX_SCHEDULE_TIMEOUT: forever).
 * Return: 0 on timeout, else the jiffies left, at least 1.
 */
static inline long __wait_for_common(struct completion *x, long timeout)
{
	struct timespec deadline, now;
	long left = timeout;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	if (timeout != MAX_SCHEDULE_TIMEOUT && timeout > 0) {
		deadline.tv_sec += timeout / HZ;
		deadline.tv_nsec += (timeout % HZ) * (NSEC_PER_SEC / HZ);
		if (deadline.tv_nsec >= NSEC_PER_SEC) {
			deadline.tv_sec++;
			deadline.tv_nsec -= NSEC_PER_SEC;
		}
	}

	pthread_mutex_lock(&x->lock);
	while (!x->done && left > 0) {
		if (timeout == MAX_SCHEDULE_TIMEOUT) {
			pthread_cond_wait(&x->wait, &x->lock);
			continue;
		}
		if (pthread_cond_clockwait(&x->wait, &x->lock, CLOCK_MONOTONIC,
					   &deadline) == ETIMEDOUT)
			left = 0;
	}
	if (!x->done) {
		pthread_mutex_unlock(&x->lock);
		return 0;
	}
	__completion_consume(x);
	pthread_mutex_unlock(&x->lock);

	if (timeout == MAX_SCHEDULE_TIMEOUT)
		return MAX_SCHEDULE_TIMEOUT;
	clock_gettime(CLOCK_MONOTONIC, &now);
	left = (deadline.tv_sec - now.tv_sec) * HZ +
	       (deadline.tv_nsec - now.tv_nsec) / (NSEC_PER_SEC / HZ);
	return left > 0 ? left : 1;
}

static inline void wait_for_completion(struct completion *x)
{
	__wait_for_common(x, MAX_SCHEDULE_TIMEOUT);
}

static inline void wait_for_completion_io(struct completion *x)
{
	wait_for_completion(x);
}

/* Return: 0 if @timeout jiffies passed first, else the jiffies left. */
static inline unsigned long
wait_for_completion_timeout(struct completion *x, unsigned long timeout)
{
	if (timeout > MAX_SCHEDULE_TIMEOUT)
		timeout = MAX_SCHEDULE_TIMEOUT;
	return __wait_for_common(x, timeout);
}

/* No signals here: always 0, never -ERESTARTSYS. */
static inline int wait_for_completion_interruptible(struct completion *x)
{
	wait_for_completion(x);
	return 0;
}

static inline int wait_for_completion_killable(struct completion *x)
{
	wait_for_completion(x);
	return 0;
}

static inline long
wait_for_completion_interruptible_timeout(struct completion *x,
					  unsigned long timeout)
{
	return wait_for_completion_timeout(x, timeout);
}

static inline long
wait_for_completion_killable_timeout(struct completion *x,
				     unsigned long timeout)
{
	return wait_for_completion_timeout(x, timeout);
}

/* Consume a completion if one is there, without waiting. */
static inline bool try_wait_for_completion(struct completion *x)
{
	bool ret = false;

	if (!__atomic_load_n(&x->done, __ATOMIC_ACQUIRE))
		return false;
	pthread_mutex_lock(&x->lock);
	if (x->done) {
		__completion_consume(x);
		ret = true;
	}
	pthread_mutex_unlock(&x->lock);
	return ret;
}

/*
 * Whether a wait would pass now.  Taking the lock once makes sure a
 * complete() that set @done has also finished with @x, so the caller may
 * free it (as upstream).
 */
static inline bool completion_done(struct completion *x)
{
	if (!__atomic_load_n(&x->done, __ATOMIC_ACQUIRE))
		return false;
	pthread_mutex_lock(&x->lock);
	pthread_mutex_unlock(&x->lock);
	return true;
}

#endif /* _COMPAT_LINUX_COMPLETION_H */
