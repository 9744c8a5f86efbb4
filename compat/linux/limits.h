/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/limits.h>.  glibc's <limits.h> includes the
 * uapi <linux/limits.h> (PATH_MAX, ...), so that one comes first; the
 * kernel's fixed-width limits follow.  The casts name u8..s64, which
 * <linux/types.h> defines; macros expand late, so the order is free.
 */
#include_next <linux/limits.h>

#ifndef _COMPAT_LINUX_LIMITS_H
#define _COMPAT_LINUX_LIMITS_H

#define U8_MAX		((u8)~0U)
#define S8_MAX		((s8)(U8_MAX >> 1))
#define S8_MIN		((s8)(-S8_MAX - 1))
#define U16_MAX		((u16)~0U)
#define S16_MAX		((s16)(U16_MAX >> 1))
#define S16_MIN		((s16)(-S16_MAX - 1))
#define U32_MAX		((u32)~0U)
#define S32_MAX		((s32)(U32_MAX >> 1))
#define S32_MIN		((s32)(-S32_MAX - 1))
#define U64_MAX		((u64)~0ULL)
#define S64_MAX		((s64)(U64_MAX >> 1))
#define S64_MIN		((s64)(-S64_MAX - 1))
#define PHYS_ADDR_MAX	(~(phys_addr_t)0)

#endif /* _COMPAT_LINUX_LIMITS_H */
