/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/sched.h>: no scheduler to yield to, and
 * `current`.
 *
 * In the kernel, `current` is the task the CPU runs (a per-CPU pointer
 * that the scheduler switches).  Here it is a per-thread pointer: a host
 * thread "runs as" a process (struct task_struct, <linux/sched/task.h>)
 * once the test bench has called compat_set_current() on it, and then
 * kernel code it calls sees that process's descriptor table and address
 * space through current->files and current->mm.  Several threads may run
 * as one process at once, as the threads of a process do.  A thread that
 * runs as no process sees current == NULL.
 *
 * A thread running as a process holds a reference on it and a user of its
 * descriptor table, as an upstream thread (its own task_struct, sharing
 * the table by CLONE_FILES) does: another thread may end the process
 * while this one is inside a system call, and the table stays until the
 * thread switches away.  Kernel code reads the thread's table with
 * compat_current_files() where upstream reads current->files.
 *
 * The struct's definition is kernel-side, in <linux/sched/task.h>; code
 * that dereferences current includes that header.
 */
#ifndef _COMPAT_LINUX_SCHED_H
#define _COMPAT_LINUX_SCHED_H

#include <linux/types.h>
#include <linux/limits.h>

#define cond_resched()		do { } while (0)
#define need_resched()		false
#define fatal_signal_pending(p)	false
#define signal_pending(p)	false

#define MAX_SCHEDULE_TIMEOUT	LONG_MAX

struct files_struct;
struct task_struct;

/* The process this thread runs as; see compat_set_current(). */
extern __thread struct task_struct *compat_current_task;

static inline struct task_struct *get_current(void)
{
	return compat_current_task;
}

#define current			get_current()

/* Documented at their definitions, in compat/current.c. */
struct task_struct *compat_set_current(struct task_struct *tsk);
struct files_struct *compat_current_files(void);

#endif /* _COMPAT_LINUX_SCHED_H */
