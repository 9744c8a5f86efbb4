/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/delay.h>: sleeping and busy waits on the
 * host's clock (nanosleep(); a busy wait is a sleep too, since nothing
 * here runs with interrupts off).
 */
#ifndef _COMPAT_LINUX_DELAY_H
#define _COMPAT_LINUX_DELAY_H

#include <time.h>
#include <linux/types.h>

static inline void compat_sleep_us(unsigned long us)
{
	struct timespec ts = {
		.tv_sec = us / 1000000,
		.tv_nsec = (us % 1000000) * 1000,
	};

	while (nanosleep(&ts, &ts))
		;
}

static inline void msleep(unsigned int msecs)
{
	compat_sleep_us(msecs * 1000UL);
}

static inline void usleep_range(unsigned long min, unsigned long max)
{
	(void)max;
	compat_sleep_us(min);
}

static inline void udelay(unsigned long usecs)
{
	compat_sleep_us(usecs);
}

static inline void fsleep(unsigned long usecs)
{
	compat_sleep_us(usecs);
}

#endif /* _COMPAT_LINUX_DELAY_H */
