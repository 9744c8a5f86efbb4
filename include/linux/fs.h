/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Open files: struct file and the operations a driver gives it.
 *
 * A struct file is what a file descriptor refers to: a reference-counted
 * object with a driver's file_operations and private data.  uAPIs (DMABUF,
 * VFIO, IOMMUFD, RDMA) are ioctl-shaped calls on such files, so that
 * close() and process exit release whatever a file holds: ->release runs
 * exactly once, when the last reference goes (fput(), fs/file_table.c).
 * Files are made by anon_inode_getfile() (<linux/anon_inodes.h>); the
 * descriptor table is <linux/fdtable.h>.
 *
 * What is left out of upstream's struct file: paths, dentries, mounts,
 * file positions and read/write, credentials, locks, poll; the inode is
 * the one anonymous inode every file shares.  See docs/kernel-services.md.
 */
#ifndef _LINUX_FS_H
#define _LINUX_FS_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/errno.h>
#include <linux/fcntl.h>

struct file;
struct inode;
struct vm_area_struct;

typedef unsigned int fmode_t;

/* f_mode bits, upstream's values. */
#define FMODE_READ	((fmode_t)(1 << 0))
#define FMODE_WRITE	((fmode_t)(1 << 1))

/**
 * struct file_operations - what a driver does for its files
 * @unlocked_ioctl: an ioctl; returns a value for the caller or a negative
 *	errno (-ENOIOCTLCMD for a command it does not know: the caller sees
 *	-ENOTTY).  Called without any lock, possibly from several threads
 *	at once, with a reference on the file held for the call.
 * @mmap: map the file into @vma (the VFIO issue's hook; nothing calls it
 *	yet but call_mmap())
 * @read: read @count bytes at *@pos into the user buffer at @buf (an
 *	address in current->mm), advancing *@pos; returns the bytes read or
 *	a negative errno.  Called as @unlocked_ioctl is.
 * @write: write @count bytes at *@pos from the user buffer at @buf,
 *	likewise
 * @release: the last reference went; free what the file holds.  Called
 *	exactly once per file, never concurrently with an ioctl (each ioctl
 *	holds a reference); its return value is ignored, as upstream.
 *
 * Upstream has many more (read, write, poll, ...) and @owner (the module);
 * there are no modules here.
 */
struct file_operations {
	long (*unlocked_ioctl)(struct file *file, unsigned int cmd,
			       unsigned long arg);
	int (*mmap)(struct file *file, struct vm_area_struct *vma);
	int (*release)(struct inode *inode, struct file *file);
	ssize_t (*read)(struct file *file, unsigned long buf, size_t count,
			loff_t *pos);
	ssize_t (*write)(struct file *file, unsigned long buf, size_t count,
			 loff_t *pos);
};

/**
 * struct inode - the object a file is opened on
 * @i_ino: its number
 *
 * Every file here is anonymous and shares one inode (fs/anon_inodes.c),
 * as upstream's anon_inode_getfile() files do; the struct exists so that
 * ->release has upstream's signature.
 */
struct inode {
	unsigned long i_ino;
};

/**
 * struct file - an open file
 * @f_count: references: one per descriptor that refers to it, one per
 *	fget()/get_file() not yet put.  Use get_file(), fput() and
 *	file_count(), never the field.
 * @f_mode: FMODE_* (from the O_ACCMODE bits it was opened with)
 * @f_flags: the O_* flags it was opened with (O_ACCMODE, O_NONBLOCK)
 * @f_op: its operations; never NULL
 * @f_inode: its inode
 * @private_data: the driver's
 */
struct file {
	atomic_long_t f_count;
	fmode_t f_mode;
	unsigned int f_flags;
	const struct file_operations *f_op;
	struct inode *f_inode;
	void *private_data;
};

static inline struct inode *file_inode(const struct file *f)
{
	return f->f_inode;
}

/*
 * Take another reference on a file the caller already holds one on.
 * Return: @f.
 */
static inline struct file *get_file(struct file *f)
{
	atomic_long_inc(&f->f_count);
	return f;
}

/* The number of references: a snapshot, for tests and debugging. */
static inline long file_count(struct file *f)
{
	return atomic_long_read(&f->f_count);
}

/* Map @file into @vma through its driver.  Return: 0 or -errno. */
static inline int call_mmap(struct file *file, struct vm_area_struct *vma)
{
	return file->f_op->mmap ? file->f_op->mmap(file, vma) : -ENODEV;
}

/* fs/file_table.c */
void fput(struct file *file);

#endif /* _LINUX_FS_H */
