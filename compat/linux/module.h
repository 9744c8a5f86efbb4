/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/module.h>: module metadata is dropped. */
#ifndef _COMPAT_LINUX_MODULE_H
#define _COMPAT_LINUX_MODULE_H

#include <linux/export.h>

#define MODULE_LICENSE(x)	_Static_assert(1, "")
#define MODULE_DESCRIPTION(x)	_Static_assert(1, "")
#define MODULE_AUTHOR(x)	_Static_assert(1, "")
#define MODULE_IMPORT_NS(x)	_Static_assert(1, "")

#endif /* _COMPAT_LINUX_MODULE_H */
