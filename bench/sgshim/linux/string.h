/* SPDX-License-Identifier: GPL-2.0 */
/* Shim <linux/string.h>: the C library's memset() and memcpy(). */
#ifndef _SGSHIM_LINUX_STRING_H
#define _SGSHIM_LINUX_STRING_H

#include <string.h>

#endif /* _SGSHIM_LINUX_STRING_H */
