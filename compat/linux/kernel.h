/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/kernel.h>: the grab bag.  (The uapi header
 * of the same name comes first for glibc's <sys/sysinfo.h>.)
 */
#include_next <linux/kernel.h>

#ifndef _COMPAT_LINUX_KERNEL_H
#define _COMPAT_LINUX_KERNEL_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/stddef.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/align.h>
#include <linux/err.h>
#include <linux/overflow.h>
#include <linux/build_bug.h>
#include <linux/bug.h>
#include <linux/printk.h>
#include <linux/math64.h>
#include <linux/log2.h>
#include <linux/sched.h>
#include <linux/instruction_pointer.h>

#define round_up(x, y)		((((x) - 1) | ((typeof(x))((y) - 1))) + 1)
#define round_down(x, y)	((x) & ~((typeof(x))((y) - 1)))
#define roundup(x, y)		((((x) + ((y) - 1)) / (y)) * (y))
#define rounddown(x, y)		((x) - ((x) % (y)))
#define DIV_ROUND_UP_ULL(ll, d)	DIV_ROUND_UP((unsigned long long)(ll), (d))
#define DIV_ROUND_CLOSEST(x, d)	(((x) + ((d) / 2)) / (d))
#define upper_32_bits(n)	((u32)(((n) >> 16) >> 16))
#define lower_32_bits(n)	((u32)((n) & 0xffffffff))
#define abs_diff(a, b)		({ typeof(a) __a = (a); typeof(b) __b = (b); \
				   __a > __b ? __a - __b : __b - __a; })

#endif /* _COMPAT_LINUX_KERNEL_H */
