// SPDX-License-Identifier: GPL-2.0
/*
 * Process exit: what upstream's do_exit() does for the resources a task
 * here has.  Every descriptor is closed, so every file the process held
 * is released unless someone else still holds it, and the address space
 * loses a user.  See <linux/sched/task.h>.
 */
#include <linux/export.h>
#include <linux/fdtable.h>
#include <linux/mm_struct.h>
#include <linux/sched/task.h>

/* The process lets go of its address space (upstream's exit_mm()). */
static void exit_mm(struct task_struct *tsk)
{
	struct mm_struct *mm;

	task_lock(tsk);
	mm = tsk->mm;
	tsk->mm = NULL;
	task_unlock(tsk);
	if (mm)
		mmput(mm);
}

/**
 * task_exit() - a process exits
 * @tsk: the process, from task_create()
 *
 * Closes every descriptor (exit_files()), drops the address space, and
 * drops task_create()'s reference.  Files are released in descriptor
 * order, each one now unless another holder (an fget() in progress) puts
 * it later.
 *
 * Upstream's do_exit() acts on current and never returns to the process.
 * Here any thread may end any process, even while other threads run as
 * it: those are threads still inside a system call (an fget(), an ioctl),
 * and each keeps the process's table, and so its files, until it switches
 * away (compat_set_current()), as upstream's threads each hold the table
 * until their own exit.  Files still open then are released by the last
 * thread's switch.  A thread that switches to @tsk afterwards gets no
 * table.
 */
void task_exit(struct task_struct *tsk)
{
	exit_files(tsk);
	exit_mm(tsk);
	put_task_struct(tsk);
}
EXPORT_SYMBOL_GPL(task_exit);
