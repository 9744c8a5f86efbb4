/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/sched.h>: no scheduler to yield to. */
#ifndef _COMPAT_LINUX_SCHED_H
#define _COMPAT_LINUX_SCHED_H

#include <linux/types.h>

#define cond_resched()		do { } while (0)
#define need_resched()		false
#define fatal_signal_pending(p)	false
#define signal_pending(p)	false

#endif /* _COMPAT_LINUX_SCHED_H */
