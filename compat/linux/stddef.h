/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/stddef.h> (uapi part first, see types.h). */
#include_next <linux/stddef.h>

#ifndef _COMPAT_LINUX_STDDEF_H
#define _COMPAT_LINUX_STDDEF_H

#include <stddef.h>
#include <stdbool.h>

#define sizeof_field(TYPE, MEMBER)	sizeof((((TYPE *)0)->MEMBER))
#define offsetofend(TYPE, MEMBER)	\
	(offsetof(TYPE, MEMBER) + sizeof_field(TYPE, MEMBER))

#endif /* _COMPAT_LINUX_STDDEF_H */
