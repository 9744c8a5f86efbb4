/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/container_of.h>: see <linux/compiler.h>. */
#ifndef _COMPAT_LINUX_CONTAINER_OF_H
#define _COMPAT_LINUX_CONTAINER_OF_H

#include <linux/compiler.h>

#endif /* _COMPAT_LINUX_CONTAINER_OF_H */
