// SPDX-License-Identifier: GPL-2.0
/*
 * Making processes.  Upstream, a process is forked from another and then
 * execs; here the test bench makes one from nothing with task_create(): a
 * name, an address space (or none) and an empty descriptor table.  See
 * <linux/sched/task.h>.
 */
#include <linux/err.h>
#include <linux/export.h>
#include <linux/fdtable.h>
#include <linux/mm_struct.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>

/**
 * task_create() - make a process
 * @comm: its name (cut to TASK_COMM_LEN - 1 characters)
 * @mm: its address space, or NULL for none; the process takes a user
 *	(mmget()) and task_exit() drops it
 * @gfp: how to allocate it
 *
 * The process has no descriptor open, RLIMIT_NOFILE INR_OPEN_CUR, and no
 * thread runs as it yet (compat_set_current()).
 *
 * Return: the process, with one reference that task_exit() drops, or
 * ERR_PTR(-ENOMEM).
 */
struct task_struct *task_create(const char *comm, struct mm_struct *mm,
				gfp_t gfp)
{
	struct files_struct *files;
	struct task_struct *tsk;

	tsk = kzalloc(sizeof(*tsk), gfp);
	if (!tsk)
		return ERR_PTR(-ENOMEM);
	files = alloc_files_struct(gfp);
	if (IS_ERR(files))
		goto out_free_task;

	refcount_set(&tsk->usage, 1);
	spin_lock_init(&tsk->alloc_lock);
	strscpy(tsk->comm, comm, sizeof(tsk->comm));
	tsk->rlim_nofile = INR_OPEN_CUR;
	tsk->files = files;
	if (mm)
		mmget(mm);
	tsk->mm = mm;
	return tsk;

out_free_task:
	kfree(tsk);
	return ERR_CAST(files);
}
EXPORT_SYMBOL_GPL(task_create);

/**
 * put_task_struct() - drop a reference on a process
 * @t: the process
 *
 * The last reference frees the struct; the process must have exited
 * (task_exit()) by then, else its descriptors and address space would be
 * lost: that WARNs, and they are released here.
 */
void put_task_struct(struct task_struct *t)
{
	if (!refcount_dec_and_test(&t->usage))
		return;
	if (WARN(t->files || t->mm, "process %s freed before its exit\n",
		 t->comm)) {
		exit_files(t);
		if (t->mm)
			mmput(t->mm);
	}
	kfree(t);
}
EXPORT_SYMBOL_GPL(put_task_struct);
