// SPDX-License-Identifier: GPL-2.0
/*
 * Anonymous files: a file for a kernel object, not in any filesystem,
 * sharing one inode with every other (upstream's anon_inode_inode).
 *
 * Ownership, as upstream: until anon_inode_getfile() succeeds, @priv is
 * the caller's, and a failure leaves it so (->release is not called).
 * Once it succeeds, the file owns what @priv stands for: ->release frees
 * it when the last reference goes, whether that is a close(), a process
 * exit, or the caller's own fput() on a later error path.
 */
#include <linux/anon_inodes.h>
#include <linux/bug.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/file.h>
#include <linux/fs.h>

#include "internal.h"

static struct inode anon_inode_inode = { .i_ino = 1 };

/**
 * anon_inode_getfile() - make an anonymous file
 * @name: the class of file ("dmabuf", "[vfio-device]", ...); upstream
 *	shows it in /proc/<pid>/fd, here it names nothing
 * @fops: its operations
 * @priv: its private_data
 * @flags: O_ACCMODE and O_NONBLOCK bits
 *
 * Return: the file, with one reference the caller owns, or
 * ERR_PTR(-ENOMEM); ERR_PTR(-EINVAL) without @fops.
 */
struct file *anon_inode_getfile(const char *name,
				const struct file_operations *fops,
				void *priv, int flags)
{
	struct file *file;

	(void)name;
	if (WARN_ON(!fops))
		return ERR_PTR(-EINVAL);
	file = alloc_file(&anon_inode_inode, flags, fops);
	if (IS_ERR(file))
		return file;
	file->private_data = priv;
	return file;
}
EXPORT_SYMBOL_GPL(anon_inode_getfile);

/**
 * anon_inode_getfd() - make an anonymous file and a descriptor for it
 * @name: as anon_inode_getfile()
 * @fops: as anon_inode_getfile()
 * @priv: as anon_inode_getfile()
 * @flags: as anon_inode_getfile(), and O_CLOEXEC for the descriptor
 *
 * The descriptor is the lowest free one in current's table and owns the
 * file's only reference: closing it (or the process's exit) releases the
 * file.  On failure nothing is left: no descriptor, no file, and ->release
 * is not called.
 *
 * Return: the descriptor, or -EMFILE, -ENOMEM, -EINVAL.
 */
int anon_inode_getfd(const char *name, const struct file_operations *fops,
		     void *priv, int flags)
{
	struct file *file;
	int fd;

	fd = get_unused_fd_flags(flags);
	if (fd < 0)
		return fd;
	file = anon_inode_getfile(name, fops, priv, flags);
	if (IS_ERR(file))
		goto out_put_fd;
	fd_install(fd, file);
	return fd;

out_put_fd:
	put_unused_fd(fd);
	return PTR_ERR(file);
}
EXPORT_SYMBOL_GPL(anon_inode_getfd);
