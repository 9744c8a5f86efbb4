/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A process's descriptor table (fs/file.c).
 *
 * A files_struct maps descriptor numbers to struct file references.  It
 * starts with an embedded table of NR_OPEN_DEFAULT slots and grows by
 * powers of two up to the process's limit (task->rlim_nofile, at most
 * sysctl_nr_open); a new descriptor is always the lowest free number.
 *
 * Locking: file_lock guards the table.  Upstream reads it under RCU (a
 * lockless fget() that retries against a concurrent close); here fget()
 * takes file_lock, which gives the same guarantee (the file it returns
 * has a reference and cannot be released under the caller) without RCU.
 * No ->release ever runs under file_lock: closes detach the file under the
 * lock and put it after.
 *
 * Lifetime: the table's users are its process (task->files, until
 * exit_files()) and each thread running as the process (compat_set_current(),
 * <linux/sched.h>), so a thread's own descriptor calls never find it freed
 * even if another thread ends the process; the last user closes all.
 */
#ifndef _LINUX_FDTABLE_H
#define _LINUX_FDTABLE_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/gfp_types.h>
#include <linux/spinlock.h>

struct file;
struct task_struct;

#define NR_OPEN_DEFAULT	BITS_PER_LONG
/* The soft RLIMIT_NOFILE a new process gets, as upstream's INR_OPEN_CUR. */
#define INR_OPEN_CUR	1024

/**
 * struct fdtable - the slots of a descriptor table
 * @max_fds: number of slots
 * @fd: the files, NULL where no file is installed
 * @open_fds: bit n set: descriptor n is in use (installed, or reserved by
 *	get_unused_fd_flags() and not yet installed)
 */
struct fdtable {
	unsigned int max_fds;
	struct file **fd;
	unsigned long *open_fds;
};

/**
 * struct files_struct - a process's open descriptors
 * @count: users (the process, each thread running as it); the last put
 *	closes all
 * @file_lock: guards everything below, and @fdt's contents
 * @next_fd: no descriptor below this one is free (a search hint)
 * @fdt: the table, @fdtab or a larger one
 * @fdtab: the embedded table, for the first NR_OPEN_DEFAULT descriptors
 * @open_fds_init: @fdtab's bitmap
 * @fd_array: @fdtab's slots
 */
struct files_struct {
	atomic_t count;
	spinlock_t file_lock;
	unsigned int next_fd;
	struct fdtable *fdt;
	struct fdtable fdtab;
	unsigned long open_fds_init[1];
	struct file *fd_array[NR_OPEN_DEFAULT];
};

/* fs/file.c; documented there. */
struct files_struct *alloc_files_struct(gfp_t gfp);
struct files_struct *get_files_struct(struct task_struct *tsk);
void put_files_struct(struct files_struct *files);
void exit_files(struct task_struct *tsk);
int close_fd(unsigned int fd);

#endif /* _LINUX_FDTABLE_H */
