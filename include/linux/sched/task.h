/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Processes: struct task_struct, its creation and exit (kernel/fork.c,
 * kernel/exit.c).
 *
 * A task here is a process reduced to what the kernel side's uAPIs use:
 * an address space (mm, for copy_from_user() on ioctl arguments and for
 * pin_user_physr()), a descriptor table (files) and a name.  The test
 * bench makes one with task_create(), lets host threads run as it with
 * compat_set_current() (<linux/sched.h>), and ends it with task_exit(),
 * which closes every descriptor, so that process exit releases
 * everything, as upstream's do_exit() does through exit_files().
 *
 * Upstream defines struct task_struct in <linux/sched.h>; here that
 * header is a userspace stand-in, so the definition lives in this one.
 */
#ifndef _LINUX_SCHED_TASK_H
#define _LINUX_SCHED_TASK_H

#include <linux/types.h>
#include <linux/gfp_types.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/spinlock.h>

struct files_struct;
struct mm_struct;

#define TASK_COMM_LEN	16

/**
 * struct task_struct - a process
 * @usage: references (get_task_struct()/put_task_struct())
 * @alloc_lock: task_lock(): guards @mm and @files against exit
 * @mm: its address space, or NULL (a kernel thread's, or after exit)
 * @files: its descriptor table, or NULL after exit
 * @rlim_nofile: its RLIMIT_NOFILE: descriptors are below this (upstream:
 *	signal->rlim[RLIMIT_NOFILE].rlim_cur)
 * @comm: its name
 */
struct task_struct {
	refcount_t usage;
	spinlock_t alloc_lock;
	struct mm_struct *mm;
	struct files_struct *files;
	unsigned long rlim_nofile;
	char comm[TASK_COMM_LEN];
};

static inline void task_lock(struct task_struct *p)
{
	spin_lock(&p->alloc_lock);
}

static inline void task_unlock(struct task_struct *p)
{
	spin_unlock(&p->alloc_lock);
}

static inline struct task_struct *get_task_struct(struct task_struct *t)
{
	refcount_inc(&t->usage);
	return t;
}

/* kernel/fork.c, kernel/exit.c; documented there. */
struct task_struct *task_create(const char *comm, struct mm_struct *mm,
				gfp_t gfp);
void put_task_struct(struct task_struct *t);
void task_exit(struct task_struct *tsk);

#endif /* _LINUX_SCHED_TASK_H */
