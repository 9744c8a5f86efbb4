// SPDX-License-Identifier: GPL-2.0
/*
 * `current` for userspace builds: which process (struct task_struct) the
 * calling host thread runs as.  See <linux/sched.h> (compat/linux/).
 *
 * This is the test bench's side of a context switch: the kernel's
 * scheduler sets the per-CPU current task, here the bench sets the
 * per-thread one.  It takes no reference: the bench keeps the task alive
 * while a thread runs as it.
 */
#include <linux/sched.h>

__thread struct task_struct *compat_current_task;

/**
 * compat_set_current() - make the calling thread run as a process
 * @tsk: the process, or NULL for none
 *
 * Return: the process the thread ran as before (or NULL), so that a
 * caller can switch back.
 */
struct task_struct *compat_set_current(struct task_struct *tsk)
{
	struct task_struct *prev = compat_current_task;

	compat_current_task = tsk;
	return prev;
}
