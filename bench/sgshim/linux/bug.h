/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim <linux/bug.h> and <linux/printk.h>.  WARN*(), BUG*() and pr_err()
 * report through the same real functions as ours (compat/bug.c,
 * compat/printk.c), so a warning in the baseline is counted like any
 * other: BUG() ends the process, WARN() prints where it fired and goes on,
 * as in the kernel.
 */
#ifndef _SGSHIM_LINUX_BUG_H
#define _SGSHIM_LINUX_BUG_H

#include <linux/types.h>

/* Declared as in compat/linux/bug.h; defined in compat/bug.c. */
void __compat_warn(const char *file, int line, const char *fmt, ...)
	__printf(3, 4) __cold;
void __compat_bug(const char *file, int line) __attribute__((__noreturn__)) __cold;
/* Declared as in compat/linux/printk.h; defined in compat/printk.c. */
int printk(const char *fmt, ...) __printf(1, 2);

#define BUG()		__compat_bug(__FILE__, __LINE__)
#define BUG_ON(cond)	do {						\
	if (unlikely(cond))						\
		BUG();							\
} while (0)

#define WARN_ON(cond) ({						\
	int __ret_warn_on = !!(cond);					\
	if (unlikely(__ret_warn_on))					\
		__compat_warn(__FILE__, __LINE__, "WARN_ON(%s)", #cond);\
	unlikely(__ret_warn_on);					\
})

#define __SGSHIM_WARN_ONCE(cond, ...) ({				\
	static bool __warned;						\
	int __ret_warn_once = !!(cond);					\
	if (unlikely(__ret_warn_once) &&				\
	    !__atomic_exchange_n(&__warned, true, __ATOMIC_RELAXED))	\
		__compat_warn(__FILE__, __LINE__, __VA_ARGS__);		\
	unlikely(__ret_warn_once);					\
})

#define WARN_ON_ONCE(cond)						\
	__SGSHIM_WARN_ONCE(cond, "WARN_ON_ONCE(%s)", #cond)
#define WARN_ONCE(cond, fmt, ...)					\
	__SGSHIM_WARN_ONCE(cond, fmt, ##__VA_ARGS__)

#define KERN_ERR		"<3>"
#define pr_err(fmt, ...)	printk(KERN_ERR fmt, ##__VA_ARGS__)

/*
 * For the functions of scatterlist.c that the shim compiles but does not
 * back (iov_iter extraction, xarray walks, folio queues): reaching one is
 * a bug of whoever called them.
 */
#define SGSHIM_UNSUPPORTED()						\
	__compat_bug(__FILE__, __LINE__)

#endif /* _SGSHIM_LINUX_BUG_H */
