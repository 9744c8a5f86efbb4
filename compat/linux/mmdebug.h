/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/mmdebug.h>: CONFIG_DEBUG_VM is always on in
 * userspace builds, so the checks are live.
 */
#ifndef _COMPAT_LINUX_MMDEBUG_H
#define _COMPAT_LINUX_MMDEBUG_H

#include <linux/bug.h>

#define CONFIG_DEBUG_VM 1

#define VM_BUG_ON(cond)			BUG_ON(cond)
#define VM_BUG_ON_PAGE(cond, page)	BUG_ON(cond)
#define VM_BUG_ON_FOLIO(cond, folio)	BUG_ON(cond)
#define VM_WARN_ON(cond)		(void)WARN_ON(cond)
#define VM_WARN_ON_ONCE(cond)		(void)WARN_ON_ONCE(cond)
#define VM_WARN_ON_FOLIO(cond, folio)	(void)WARN_ON(cond)
#define VM_WARN_ON_ONCE_PAGE(cond, page)	(void)WARN_ON_ONCE(cond)
#define VM_WARN_ON_ONCE_FOLIO(cond, folio)	(void)WARN_ON_ONCE(cond)
#define VM_WARN_ONCE(cond, fmt, ...)	(void)WARN_ONCE(cond, fmt, ##__VA_ARGS__)

#endif /* _COMPAT_LINUX_MMDEBUG_H */
