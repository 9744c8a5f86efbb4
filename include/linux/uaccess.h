/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPU access to a process's memory (mm/memory.c).
 *
 * There is no "current" process here, so the address space is named:
 * copy_to_user(mm, ...) is what the kernel's copy_to_user() does on
 * behalf of the process owning @mm (upstream: access_remote_vm()).  The
 * copy goes through the page table as the process's CPU would, faulting
 * pages in as needed, and honours VMA permissions.  Like upstream, both
 * return the number of bytes NOT copied: 0 on success; a fault (unmapped
 * address, no permission, memory exhausted) stops the copy there.
 */
#ifndef _LINUX_UACCESS_H
#define _LINUX_UACCESS_H

#include <linux/types.h>

struct mm_struct;

unsigned long copy_to_user(struct mm_struct *mm, unsigned long to,
			   const void *from, unsigned long n);
unsigned long copy_from_user(struct mm_struct *mm, void *to,
			     unsigned long from, unsigned long n);

#endif /* _LINUX_UACCESS_H */
