/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/errno.h>: the host's errno values (the uapi
 * header, which glibc's <errno.h> itself includes, so it must stay
 * reachable through #include_next) plus the kernel-internal codes.
 */
#include_next <linux/errno.h>

#ifndef _COMPAT_LINUX_ERRNO_H
#define _COMPAT_LINUX_ERRNO_H

#define ERESTARTSYS	512
#define ENOIOCTLCMD	515
#define EPROBE_DEFER	517
#define ENOTSUPP	524

#endif /* _COMPAT_LINUX_ERRNO_H */
