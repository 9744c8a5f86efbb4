/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/build_bug.h>. */
#ifndef _COMPAT_LINUX_BUILD_BUG_H
#define _COMPAT_LINUX_BUILD_BUG_H

#include <linux/compiler.h>

/* BUILD_BUG_ON() itself lives in <linux/compiler.h>. */
#define BUILD_BUG_ON_MSG(cond, msg)	_Static_assert(!(cond), msg)
#define BUILD_BUG_ON_ZERO(e)		((int)(sizeof(struct { int:(-!!(e)); })))
#define BUILD_BUG()			BUILD_BUG_ON_MSG(1, "BUILD_BUG")
#define static_assert(expr, ...)	_Static_assert(expr, #expr)

#endif /* _COMPAT_LINUX_BUILD_BUG_H */
