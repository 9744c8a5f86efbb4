/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/jiffies.h>.
 *
 * A jiffy is one millisecond here (HZ is 1000, as in a CONFIG_HZ_1000
 * kernel), and `jiffies` reads the host's CLOCK_MONOTONIC, so it never
 * goes backwards and does not count while the machine is suspended.  It
 * is an expression, not a variable: kernel code only ever reads it.
 * Conversions round up, as the kernel's do, so a non-zero timeout never
 * becomes 0 jiffies.
 */
#ifndef _COMPAT_LINUX_JIFFIES_H
#define _COMPAT_LINUX_JIFFIES_H

#include <time.h>
#include <linux/types.h>
#include <linux/limits.h>

/* From <vdso/time64.h> upstream; here only jiffies needs them. */
#ifndef MSEC_PER_SEC
#define MSEC_PER_SEC		1000L
#define USEC_PER_SEC		1000000L
#define NSEC_PER_SEC		1000000000L
#define NSEC_PER_MSEC		1000000L
#endif

#define HZ			1000
#define MAX_JIFFY_OFFSET	((LONG_MAX >> 1) - 1)

static inline unsigned long compat_jiffies(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long)ts.tv_sec * HZ + ts.tv_nsec / (NSEC_PER_SEC / HZ);
}

#define jiffies			compat_jiffies()
#define get_jiffies_64()	((u64)compat_jiffies())

/* Wrap-safe comparisons of two jiffies values. */
#define time_after(a, b)	((long)((b) - (a)) < 0)
#define time_before(a, b)	time_after(b, a)
#define time_after_eq(a, b)	((long)((a) - (b)) >= 0)
#define time_before_eq(a, b)	time_after_eq(b, a)

/* A negative (as int) count of milliseconds means "forever", as upstream. */
static inline unsigned long msecs_to_jiffies(const unsigned int m)
{
	if ((int)m < 0)
		return MAX_JIFFY_OFFSET;
	return m;
}

static inline unsigned long usecs_to_jiffies(const unsigned int u)
{
	return (u + (USEC_PER_SEC / HZ) - 1) / (USEC_PER_SEC / HZ);
}

static inline unsigned int jiffies_to_msecs(const unsigned long j)
{
	return j;
}

static inline unsigned int jiffies_to_usecs(const unsigned long j)
{
	return j * (USEC_PER_SEC / HZ);
}

#endif /* _COMPAT_LINUX_JIFFIES_H */
