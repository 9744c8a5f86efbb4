/* SPDX-License-Identifier: GPL-2.0 */
/*
 * System calls, as the kernel side's entry points for "userspace": a test
 * or the physr tool, running as a process (current, <linux/sched.h>),
 * calls ksys_ioctl() where a program would call ioctl(2).  They act on
 * current's descriptor table and return what the system call would
 * (a value or a negative errno), so uAPI code is exercised exactly as a
 * process would exercise it.
 */
#ifndef _LINUX_SYSCALLS_H
#define _LINUX_SYSCALLS_H

#include <linux/types.h>

/* fs/ioctl.c, fs/open.c; documented there. */
long ksys_ioctl(unsigned int fd, unsigned int cmd, unsigned long arg);
int ksys_close(unsigned int fd);

/* fs/read_write.c: pread(2)/pwrite(2), @buf an address in current->mm. */
ssize_t ksys_pread64(unsigned int fd, unsigned long buf, size_t count,
		     loff_t pos);
ssize_t ksys_pwrite64(unsigned int fd, unsigned long buf, size_t count,
		      loff_t pos);

/* mm/pfnmap.c: mmap(2) of a driver's file, @prot VM_READ | VM_WRITE. */
unsigned long ksys_mmap_pgoff(unsigned long addr, unsigned long len,
			      unsigned long prot, unsigned int fd,
			      unsigned long pgoff);

#endif /* _LINUX_SYSCALLS_H */
