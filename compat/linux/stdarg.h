/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/stdarg.h>: the kernel's own va_list, here
 * the compiler's.
 */
#ifndef _COMPAT_LINUX_STDARG_H
#define _COMPAT_LINUX_STDARG_H

#include <stdarg.h>

#endif /* _COMPAT_LINUX_STDARG_H */
