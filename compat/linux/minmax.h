/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/minmax.h>. */
#ifndef _COMPAT_LINUX_MINMAX_H
#define _COMPAT_LINUX_MINMAX_H

#define min(a, b) ({ typeof(a) __a = (a); typeof(b) __b = (b);		\
	(void)(&__a == &__b); __a < __b ? __a : __b; })
#define max(a, b) ({ typeof(a) __a = (a); typeof(b) __b = (b);		\
	(void)(&__a == &__b); __a > __b ? __a : __b; })
#define min_t(type, a, b) ({ type __a = (a); type __b = (b); __a < __b ? __a : __b; })
#define max_t(type, a, b) ({ type __a = (a); type __b = (b); __a > __b ? __a : __b; })
#define clamp(val, lo, hi)	min(max(val, lo), hi)
#define clamp_t(type, val, lo, hi)	min_t(type, max_t(type, val, lo), hi)
#define swap(a, b) do { typeof(a) __tmp = (a); (a) = (b); (b) = __tmp; } while (0)

#endif /* _COMPAT_LINUX_MINMAX_H */
