/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/align.h>. */
#ifndef _COMPAT_LINUX_ALIGN_H
#define _COMPAT_LINUX_ALIGN_H

#define __ALIGN_MASK(x, mask)	(((x) + (mask)) & ~(mask))
#define ALIGN(x, a)		__ALIGN_MASK(x, (typeof(x))(a) - 1)
#define ALIGN_DOWN(x, a)	((x) & ~((typeof(x))(a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((typeof(x))(a) - 1)) == 0)
#define PTR_ALIGN(p, a)		((typeof(p))ALIGN((unsigned long)(p), (a)))
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))

#endif /* _COMPAT_LINUX_ALIGN_H */
