// SPDX-License-Identifier: GPL-2.0
/*
 * The life of a struct file: made with one reference (alloc_file()),
 * shared with get_file()/fget(), released by the last fput().
 *
 * The last fput() calls ->release and frees the file at once, in the
 * caller's context.  Upstream defers it (task_work, run when the task
 * returns to userspace, or a workqueue): here nothing runs "on return to
 * userspace", so fput() behaves as upstream's __fput_sync().  Callers must
 * therefore not call fput() while holding a lock that the driver's
 * ->release takes; fs/ itself never puts a file under file_lock.
 */
#include <linux/err.h>
#include <linux/export.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/slab.h>

#include "internal.h"

/* The f_mode the O_ACCMODE bits of @flags give, as upstream's OPEN_FMODE. */
static fmode_t open_fmode(int flags)
{
	switch (flags & O_ACCMODE) {
	case O_RDONLY:
		return FMODE_READ;
	case O_WRONLY:
		return FMODE_WRITE;
	default:
		return FMODE_READ | FMODE_WRITE;
	}
}

/**
 * alloc_file() - make a file on an inode, with one reference
 * @inode: the inode
 * @flags: O_* flags; the access mode and O_NONBLOCK are kept
 * @fops: its operations
 *
 * Return: the file (the caller owns its reference), or ERR_PTR(-ENOMEM).
 */
struct file *alloc_file(struct inode *inode, int flags,
			const struct file_operations *fops)
{
	struct file *file;

	file = kzalloc(sizeof(*file), GFP_KERNEL_ACCOUNT);
	if (!file)
		return ERR_PTR(-ENOMEM);
	atomic_long_set(&file->f_count, 1);
	file->f_flags = flags & (O_ACCMODE | O_NONBLOCK);
	file->f_mode = open_fmode(flags);
	file->f_op = fops;
	file->f_inode = inode;
	return file;
}

static void __fput(struct file *file)
{
	if (file->f_op->release)
		file->f_op->release(file_inode(file), file);
	kfree(file);
}

/**
 * fput() - drop a reference on a file
 * @file: the file
 *
 * The last reference releases the file: ->release runs (once, here) and
 * the file is freed.
 *
 * Context: may sleep (->release may).  Not under a lock ->release takes.
 */
void fput(struct file *file)
{
	if (atomic_long_dec_and_test(&file->f_count))
		__fput(file);
}
EXPORT_SYMBOL_GPL(fput);
