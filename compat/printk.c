// SPDX-License-Identifier: GPL-2.0
/*
 * printk() for userspace builds: strip the "<N>" level prefix, filter by
 * compat_console_loglevel, print to stderr.  A KERN_CONT continuation
 * takes the level of the message it continues.
 */
#include <stdarg.h>
#include <stdio.h>

#include <linux/printk.h>

int compat_console_loglevel = 7;

static int printk_last_level = 4;

/**
 * printk() - print a kernel message to stderr
 * @fmt: optional KERN_* level prefix, then a printf format
 *
 * Return: the number of characters printed (0 if filtered).
 */
int printk(const char *fmt, ...)
{
	int level = 4;
	va_list ap;
	int ret;

	if (fmt[0] == '<' && fmt[1] && fmt[2] == '>') {
		if (fmt[1] == 'c')
			level = __atomic_load_n(&printk_last_level,
						__ATOMIC_RELAXED);
		else if (fmt[1] >= '0' && fmt[1] <= '7')
			level = fmt[1] - '0';
		fmt += 3;
	}
	__atomic_store_n(&printk_last_level, level, __ATOMIC_RELAXED);
	if (level >= __atomic_load_n(&compat_console_loglevel, __ATOMIC_RELAXED))
		return 0;
	va_start(ap, fmt);
	ret = vfprintf(stderr, fmt, ap);
	va_end(ap);
	return ret;
}
