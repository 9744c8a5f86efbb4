/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Static keys, as <linux/jump_label.h> spells them.  The kernel patches
 * the branch into a nop or a jump; here a key is a counter read with one
 * relaxed load, which is what the kernel falls back to without
 * CONFIG_JUMP_LABEL.
 */
#ifndef _COMPAT_LINUX_JUMP_LABEL_H
#define _COMPAT_LINUX_JUMP_LABEL_H

#include <linux/atomic.h>
#include <linux/compiler.h>

struct static_key_false {
	atomic_t enabled;
};

#define DEFINE_STATIC_KEY_FALSE(name) \
	struct static_key_false name = { .enabled = ATOMIC_INIT(0) }
#define DECLARE_STATIC_KEY_FALSE(name) extern struct static_key_false name

#define static_branch_unlikely(x)	unlikely(atomic_read(&(x)->enabled) > 0)
#define static_branch_likely(x)		likely(atomic_read(&(x)->enabled) > 0)
#define static_branch_inc(x)		atomic_inc(&(x)->enabled)
#define static_branch_dec(x)		atomic_dec(&(x)->enabled)

#endif /* _COMPAT_LINUX_JUMP_LABEL_H */
