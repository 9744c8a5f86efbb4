// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of struct completion (<linux/completion.h>, compat/linux/) and of
 * jiffies: a complete() before the wait is not lost, a wait blocks until
 * complete(), each complete() lets exactly one waiter through,
 * complete_all() lets every waiter through until reinit_completion(),
 * timeouts return 0 (and the jiffies left otherwise), and an on-stack
 * completion may go away as soon as the wait returns.
 *
 * Waiter threads never wait forever on a broken completion: the case
 * joins them with a deadline, and past it fails, then releases them with
 * complete_all() so that the case can end.
 */
#include <pthread.h>
#include <time.h>

#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/jiffies.h>

/* Long enough for a loaded machine; only a broken completion waits it. */
#define COMPLETION_DEADLINE_MS	5000
/* Long enough for a waiter to block before the case acts. */
#define COMPLETION_SETTLE_MS	30

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
			       .tv_nsec = (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

struct waiter {
	pthread_t thread;
	struct completion *x;
	struct completion started;
	atomic_t *passed;
	long timeout;		/* jiffies, or MAX_SCHEDULE_TIMEOUT */
	long ret;
	unsigned long waited;	/* jiffies the wait took */
};

static void *waiter_fn(void *arg)
{
	struct waiter *w = arg;

	unsigned long start;

	complete(&w->started);
	start = jiffies;
	if (w->timeout == MAX_SCHEDULE_TIMEOUT) {
		wait_for_completion(w->x);
		w->ret = 1;
	} else {
		w->ret = wait_for_completion_timeout(w->x, w->timeout);
	}
	w->waited = jiffies - start;
	if (w->ret)
		atomic_inc(w->passed);
	return NULL;
}

static void waiter_start(struct kunit *test, struct waiter *w,
			 struct completion *x, atomic_t *passed, long timeout)
{
	w->x = x;
	w->passed = passed;
	w->timeout = timeout;
	init_completion(&w->started);
	KUNIT_ASSERT_EQ(test, pthread_create(&w->thread, NULL, waiter_fn, w), 0);
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&w->started,
			msecs_to_jiffies(COMPLETION_DEADLINE_MS)), 0UL);
}

/* Join @w, or fail and release it with complete_all() past the deadline. */
static void waiter_join(struct kunit *test, struct waiter *w)
{
	struct timespec deadline;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += COMPLETION_DEADLINE_MS / 1000;
	if (pthread_timedjoin_np(w->thread, NULL, &deadline)) {
		KUNIT_FAIL(test, "a waiter was still waiting after %d ms",
			   COMPLETION_DEADLINE_MS);
		/* Whichever of the two is broken, the other may work. */
		complete_all(w->x);
		complete(w->x);
		pthread_join(w->thread, NULL);
	}
}

/* Wait until @passed reaches @n, at most the deadline. */
static bool passed_reaches(atomic_t *passed, int n)
{
	unsigned long end = jiffies + msecs_to_jiffies(COMPLETION_DEADLINE_MS);

	while (atomic_read(passed) < n && time_before(jiffies, end))
		sleep_ms(1);
	return atomic_read(passed) >= n;
}

static void completion_before_wait(struct kunit *test)
{
	DECLARE_COMPLETION_ONSTACK(done);

	KUNIT_EXPECT_FALSE(test, completion_done(&done));
	KUNIT_EXPECT_FALSE(test, try_wait_for_completion(&done));
	complete(&done);
	KUNIT_EXPECT_TRUE(test, completion_done(&done));
	/* The wait consumes it and does not block. */
	KUNIT_EXPECT_NE(test, wait_for_completion_timeout(&done,
			msecs_to_jiffies(COMPLETION_DEADLINE_MS)), 0UL);
	KUNIT_EXPECT_FALSE(test, completion_done(&done));
	KUNIT_EXPECT_FALSE(test, try_wait_for_completion(&done));
}

static void completion_counts(struct kunit *test)
{
	struct completion x;
	int i;

	init_completion(&x);
	for (i = 0; i < 3; i++)
		complete(&x);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_TRUE(test, try_wait_for_completion(&x));
	KUNIT_EXPECT_FALSE(test, try_wait_for_completion(&x));
	KUNIT_EXPECT_FALSE(test, completion_done(&x));
}

static void completion_wait_then_complete(struct kunit *test)
{
	DECLARE_COMPLETION_ONSTACK(x);
	atomic_t passed = ATOMIC_INIT(0);
	struct waiter w;

	waiter_start(test, &w, &x, &passed, MAX_SCHEDULE_TIMEOUT);
	sleep_ms(COMPLETION_SETTLE_MS);
	KUNIT_EXPECT_EQ(test, atomic_read(&passed), 0);
	complete(&x);
	waiter_join(test, &w);
	KUNIT_EXPECT_EQ(test, atomic_read(&passed), 1);
	/* The waiter consumed it. */
	KUNIT_EXPECT_FALSE(test, completion_done(&x));
}

/* One complete(), two waiters: exactly one passes, then the other. */
static void completion_wakes_one(struct kunit *test)
{
	DECLARE_COMPLETION_ONSTACK(x);
	atomic_t passed = ATOMIC_INIT(0);
	struct waiter w[2];
	int i;

	for (i = 0; i < 2; i++)
		waiter_start(test, &w[i], &x, &passed, MAX_SCHEDULE_TIMEOUT);
	sleep_ms(COMPLETION_SETTLE_MS);
	complete(&x);
	KUNIT_EXPECT_TRUE(test, passed_reaches(&passed, 1));
	sleep_ms(COMPLETION_SETTLE_MS);
	KUNIT_EXPECT_EQ(test, atomic_read(&passed), 1);
	complete(&x);
	for (i = 0; i < 2; i++)
		waiter_join(test, &w[i]);
	KUNIT_EXPECT_EQ(test, atomic_read(&passed), 2);
	KUNIT_EXPECT_FALSE(test, completion_done(&x));
}

static void completion_all_wakes_every_waiter(struct kunit *test)
{
	enum { NR = 4 };
	DECLARE_COMPLETION_ONSTACK(x);
	atomic_t passed = ATOMIC_INIT(0);
	struct waiter w[NR];
	int i;

	for (i = 0; i < NR; i++)
		waiter_start(test, &w[i], &x, &passed,
			     i & 1 ? MAX_SCHEDULE_TIMEOUT :
			     (long)msecs_to_jiffies(COMPLETION_DEADLINE_MS));
	sleep_ms(COMPLETION_SETTLE_MS);
	KUNIT_EXPECT_EQ(test, atomic_read(&passed), 0);
	complete_all(&x);
	for (i = 0; i < NR; i++)
		waiter_join(test, &w[i]);
	KUNIT_EXPECT_EQ(test, atomic_read(&passed), NR);

	/* It stays done for later waits, until reinit_completion(). */
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_TRUE(test, try_wait_for_completion(&x));
	KUNIT_EXPECT_TRUE(test, completion_done(&x));
	KUNIT_EXPECT_NE(test, wait_for_completion_timeout(&x,
			msecs_to_jiffies(COMPLETION_DEADLINE_MS)), 0UL);
	reinit_completion(&x);
	KUNIT_EXPECT_FALSE(test, completion_done(&x));
	KUNIT_EXPECT_FALSE(test, try_wait_for_completion(&x));
}

static void completion_timeout(struct kunit *test)
{
	DECLARE_COMPLETION_ONSTACK(x);
	atomic_t passed = ATOMIC_INIT(0);
	unsigned long start, left;
	struct waiter w;

	/* Nobody completes: 0, after the timeout and not before. */
	waiter_start(test, &w, &x, &passed, msecs_to_jiffies(20));
	waiter_join(test, &w);
	KUNIT_EXPECT_EQ(test, w.ret, 0L);
	KUNIT_EXPECT_GE(test, w.waited, msecs_to_jiffies(20));
	KUNIT_EXPECT_EQ(test, atomic_read(&passed), 0);
	start = jiffies;
	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&x, 0), 0UL);
	/* It does not wait (the bound only allows for a busy machine). */
	KUNIT_EXPECT_LT(test, jiffies - start, msecs_to_jiffies(1000));

	/* Completed meanwhile: the jiffies left, at least 1. */
	waiter_start(test, &w, &x, &passed,
		     msecs_to_jiffies(COMPLETION_DEADLINE_MS));
	sleep_ms(COMPLETION_SETTLE_MS);
	complete(&x);
	waiter_join(test, &w);
	KUNIT_EXPECT_GE(test, w.ret, 1L);
	KUNIT_EXPECT_LE(test, w.ret,
			(long)msecs_to_jiffies(COMPLETION_DEADLINE_MS));

	/* Completed before: no wait at all, nearly the whole timeout left. */
	complete(&x);
	left = wait_for_completion_timeout(&x, msecs_to_jiffies(1000));
	KUNIT_EXPECT_GT(test, left, 0UL);
	KUNIT_EXPECT_LE(test, left, msecs_to_jiffies(1000));
	/* Less than a jiffy left still reads as success. */
	complete(&x);
	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&x, 1), 1UL);
	KUNIT_EXPECT_FALSE(test, completion_done(&x));
	KUNIT_EXPECT_EQ(test, atomic_read(&passed), 1);
}

/*
 * The waiter frees its completion as soon as the wait returns (it lives
 * in a heap object here, so ASan sees a late touch by complete()).
 */
struct onstack_ctx {
	struct completion *x;
	atomic_t ready;
};

static void *onstack_completer(void *arg)
{
	struct onstack_ctx *c = arg;

	while (!atomic_read_acquire(&c->ready))
		sleep_ms(1);
	complete(c->x);
	return NULL;
}

static void completion_freed_after_wait(struct kunit *test)
{
	struct onstack_ctx c = {};
	pthread_t thread;
	int i;

	for (i = 0; i < 50; i++) {
		c.x = kmalloc(sizeof(*c.x), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, c.x);
		init_completion(c.x);
		atomic_set(&c.ready, 0);
		KUNIT_ASSERT_EQ(test, pthread_create(&thread, NULL,
						     onstack_completer, &c), 0);
		atomic_set_release(&c.ready, 1);
		if (!wait_for_completion_timeout(c.x,
				msecs_to_jiffies(COMPLETION_DEADLINE_MS))) {
			KUNIT_FAIL(test, "no completion after %d ms",
				   COMPLETION_DEADLINE_MS);
			pthread_join(thread, NULL);
			kfree(c.x);
			break;
		}
		kfree(c.x);
		pthread_join(thread, NULL);
	}
}

static void completion_jiffies(struct kunit *test)
{
	unsigned long a = jiffies, b;

	KUNIT_EXPECT_EQ(test, msecs_to_jiffies(1000), (unsigned long)HZ);
	KUNIT_EXPECT_EQ(test, jiffies_to_msecs(HZ), 1000U);
	KUNIT_EXPECT_EQ(test, usecs_to_jiffies(1), 1UL);
	KUNIT_EXPECT_EQ(test, msecs_to_jiffies(-1),
			(unsigned long)MAX_JIFFY_OFFSET);
	sleep_ms(5);
	b = jiffies;
	KUNIT_EXPECT_TRUE(test, time_after(b, a));
	KUNIT_EXPECT_TRUE(test, time_before(a, b));
	KUNIT_EXPECT_GE(test, b - a, 5UL);
	/* Wrap-safe. */
	KUNIT_EXPECT_TRUE(test, time_after(3UL, ULONG_MAX - 2));
}

static struct kunit_case completion_cases[] = {
	KUNIT_CASE(completion_before_wait),
	KUNIT_CASE(completion_counts),
	KUNIT_CASE(completion_wait_then_complete),
	KUNIT_CASE(completion_wakes_one),
	KUNIT_CASE(completion_all_wakes_every_waiter),
	KUNIT_CASE(completion_timeout),
	KUNIT_CASE(completion_freed_after_wait),
	KUNIT_CASE(completion_jiffies),
	{}
};

static struct kunit_suite completion_suite = {
	.name = "completion",
	.test_cases = completion_cases,
};
kunit_test_suite(completion_suite);
