/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/export.h>: one binary, nothing to export. */
#ifndef _COMPAT_LINUX_EXPORT_H
#define _COMPAT_LINUX_EXPORT_H

#define EXPORT_SYMBOL(sym)		extern typeof(sym) sym
#define EXPORT_SYMBOL_GPL(sym)		extern typeof(sym) sym
#define EXPORT_SYMBOL_NS(sym, ns)	extern typeof(sym) sym
#define EXPORT_SYMBOL_NS_GPL(sym, ns)	extern typeof(sym) sym

#endif /* _COMPAT_LINUX_EXPORT_H */
