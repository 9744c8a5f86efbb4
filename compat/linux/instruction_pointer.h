/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/instruction_pointer.h>.
 *
 * _RET_IP_ is the return address of the function it is used in: the
 * instruction after the call that entered it, in its caller.  Used in a
 * function that was inlined, it is the return address of the function
 * it was inlined into, so a function that reports its caller with it is
 * marked noinline.  _THIS_IP_ is an address inside the function that
 * uses it.
 */
#ifndef _COMPAT_LINUX_INSTRUCTION_POINTER_H
#define _COMPAT_LINUX_INSTRUCTION_POINTER_H

#define _RET_IP_	(unsigned long)__builtin_return_address(0)
#define _THIS_IP_	({ __label__ __here; __here: (unsigned long)&&__here; })

#endif /* _COMPAT_LINUX_INSTRUCTION_POINTER_H */
