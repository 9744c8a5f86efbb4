/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/bug.h>.
 *
 * WARN*() prints "WARNING: file:line" (and the message) to stderr and bumps
 * a global counter, compat_warn_count().  The KUnit runner fails any test
 * case during which the counter moved, unless the case declared it with
 * kunit_expect_warn() (<kunit/test.h>).  BUG*() print and abort().
 */
#ifndef _COMPAT_LINUX_BUG_H
#define _COMPAT_LINUX_BUG_H

#include <stdlib.h>
#include <linux/compiler.h>
#include <linux/build_bug.h>

/* Documented at their definitions, in compat/bug.c. */
unsigned long compat_warn_count(void);
void __compat_warn(const char *file, int line, const char *fmt, ...)
	__printf(3, 4) __cold;
void __compat_bug(const char *file, int line) __attribute__((__noreturn__)) __cold;

#define WARN_ON(condition) ({						\
	int __ret_warn_on = !!(condition);				\
	if (unlikely(__ret_warn_on))					\
		__compat_warn(__FILE__, __LINE__,			\
			      "WARN_ON(%s)", #condition);		\
	unlikely(__ret_warn_on); })

#define WARN(condition, fmt, ...) ({					\
	int __ret_warn_on = !!(condition);				\
	if (unlikely(__ret_warn_on))					\
		__compat_warn(__FILE__, __LINE__, fmt, ##__VA_ARGS__);	\
	unlikely(__ret_warn_on); })

#define __WARN_ONCE_BODY(condition, ...) ({				\
	static bool __warned;						\
	int __ret_warn_once = !!(condition);				\
	if (unlikely(__ret_warn_once) &&				\
	    !__atomic_exchange_n(&__warned, true, __ATOMIC_RELAXED))	\
		__compat_warn(__FILE__, __LINE__, __VA_ARGS__);		\
	unlikely(__ret_warn_once); })

#define WARN_ON_ONCE(condition)						\
	__WARN_ONCE_BODY(condition, "WARN_ON_ONCE(%s)", #condition)
#define WARN_ONCE(condition, fmt, ...)					\
	__WARN_ONCE_BODY(condition, fmt, ##__VA_ARGS__)

#define BUG()		__compat_bug(__FILE__, __LINE__)
#define BUG_ON(condition) do {						\
	if (unlikely(condition))					\
		BUG();							\
} while (0)

#endif /* _COMPAT_LINUX_BUG_H */
