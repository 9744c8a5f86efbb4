/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/printk.h>: messages go to stderr, without
 * their level prefix, when their level is below compat_console_loglevel
 * (default 7: everything but debug; a quiet tool may set 4 to keep only
 * warnings and worse).  Messages without a level count as level 4, like
 * the kernel's default message loglevel.  pr_debug() is
 * compiled out (its arguments are still type-checked).
 */
#ifndef _COMPAT_LINUX_PRINTK_H
#define _COMPAT_LINUX_PRINTK_H

#include <stdarg.h>
#include <stdio.h>
#include <linux/compiler.h>

#define KERN_EMERG	"<0>"
#define KERN_ALERT	"<1>"
#define KERN_CRIT	"<2>"
#define KERN_ERR	"<3>"
#define KERN_WARNING	"<4>"
#define KERN_NOTICE	"<5>"
#define KERN_INFO	"<6>"
#define KERN_DEBUG	"<7>"
#define KERN_CONT	"<c>"

#ifndef pr_fmt
#define pr_fmt(fmt)	fmt
#endif

extern int compat_console_loglevel;

/*
 * Documented at their definitions, in compat/printk.c.  printk() knows
 * the kernel's %pS and %ps (a code address as its symbol); so do
 * compat_snprintf() and compat_vsnprintf(), which userspace code (tests,
 * the tool) may call to format one into a buffer.
 */
int printk(const char *fmt, ...) __printf(1, 2);
int compat_snprintf(char *buf, size_t size, const char *fmt, ...)
	__printf(3, 4);
int compat_vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
	__printf(3, 0);
#define no_printk(fmt, ...) ({						\
	if (0)								\
		fprintf(stderr, fmt, ##__VA_ARGS__);			\
	0; })

#define pr_emerg(fmt, ...)	printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert(fmt, ...)	printk(KERN_ALERT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...)	printk(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...)	printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...)	printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)	printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...)	printk(KERN_CONT fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...)	no_printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_devel(fmt, ...)	no_printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)

#define pr_err_once(fmt, ...)	pr_err(fmt, ##__VA_ARGS__)
#define pr_warn_once(fmt, ...)	pr_warn(fmt, ##__VA_ARGS__)
#define pr_info_once(fmt, ...)	pr_info(fmt, ##__VA_ARGS__)
#define pr_warn_ratelimited(fmt, ...)	pr_warn(fmt, ##__VA_ARGS__)
#define pr_err_ratelimited(fmt, ...)	pr_err(fmt, ##__VA_ARGS__)

#endif /* _COMPAT_LINUX_PRINTK_H */
