// SPDX-License-Identifier: GPL-2.0
/*
 * `current` for userspace builds: which process (struct task_struct) the
 * calling host thread runs as.  See <linux/sched.h> (compat/linux/).
 *
 * This is the test bench's side of a context switch: the kernel's
 * scheduler sets the per-CPU current task, here the bench sets the
 * per-thread one.
 *
 * Upstream, every thread is a task_struct of its own, alive while it
 * runs, holding a user of its process's descriptor table (CLONE_FILES
 * shares one files_struct between the threads).  Here the threads of a
 * process share one task_struct, so the thread's part lives here: a
 * thread running as a process holds a reference on the task and a user
 * of its table, taken when it switches to the process and dropped when
 * it switches away.  Another thread may therefore end the process
 * (task_exit()) while this one is in fget() or an ioctl: the table, and
 * every file in it, stays until the last thread running as the process
 * lets go, as upstream's does until the last thread's exit_files().
 */
#include <linux/fdtable.h>
#include <linux/sched.h>
#include <linux/sched/task.h>

__thread struct task_struct *compat_current_task;

/* This thread's user of its process's table (upstream: its ->files). */
static __thread struct files_struct *compat_thread_files;

/**
 * compat_current_files() - the descriptor table of the calling thread
 *
 * Return: the table the thread took a user of when it switched to its
 * process, or NULL if it runs as no process or switched to it after the
 * process's exit.  Valid until the thread switches again.
 */
struct files_struct *compat_current_files(void)
{
	return compat_thread_files;
}

/**
 * compat_set_current() - make the calling thread run as a process
 * @tsk: the process, or NULL for none
 *
 * The thread takes a reference on @tsk and a user of its descriptor
 * table (none if @tsk has exited), and drops those it held on the
 * process it ran as before.
 *
 * Return: the process the thread ran as before (or NULL), so that a
 * caller can switch back; the caller must keep it alive to do so.
 */
struct task_struct *compat_set_current(struct task_struct *tsk)
{
	struct task_struct *prev = compat_current_task;
	struct files_struct *prev_files = compat_thread_files;

	if (tsk)
		get_task_struct(tsk);
	compat_thread_files = tsk ? get_files_struct(tsk) : NULL;
	compat_current_task = tsk;
	if (prev_files)
		put_files_struct(prev_files);
	if (prev)
		put_task_struct(prev);
	return prev;
}
