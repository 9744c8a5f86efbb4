/* SPDX-License-Identifier: GPL-2.0 */
/* Shim <linux/export.h>: there are no modules to export to. */
#ifndef _SGSHIM_LINUX_EXPORT_H
#define _SGSHIM_LINUX_EXPORT_H

#define EXPORT_SYMBOL(sym)
#define EXPORT_SYMBOL_GPL(sym)

#endif /* _SGSHIM_LINUX_EXPORT_H */
