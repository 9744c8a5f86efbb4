// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl(2): a command on a descriptor, passed to the file's driver.
 *
 * The call holds a reference on the file for its whole length, so a
 * concurrent close() of the descriptor cannot release the file under the
 * driver: ->release waits for the last ioctl to return.  Upstream's
 * generic commands (FIOCLEX, FIONBIO, FIONREAD, ...) are left out.
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/syscalls.h>

/*
 * The driver's ioctl.
 * Return: its result; -ENOTTY if it has none or does not know @cmd.
 */
static long vfs_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	long error;

	if (!file->f_op->unlocked_ioctl)
		return -ENOTTY;
	error = file->f_op->unlocked_ioctl(file, cmd, arg);
	if (error == -ENOIOCTLCMD)
		error = -ENOTTY;
	return error;
}

/**
 * ksys_ioctl() - ioctl(2) on a descriptor of current
 * @fd: the descriptor
 * @cmd: the command
 * @arg: its argument (often a user address in current->mm)
 *
 * Return: what the driver returns, -EBADF if @fd is not an open
 * descriptor (a negative int passed as @fd is not), or -ENOTTY if the
 * file takes no ioctl or not this one.
 */
long ksys_ioctl(unsigned int fd, unsigned int cmd, unsigned long arg)
{
	struct fd f = fdget(fd);
	long error;

	if (fd_empty(f))
		return -EBADF;
	error = vfs_ioctl(fd_file(f), cmd, arg);
	fdput(f);
	return error;
}
EXPORT_SYMBOL_GPL(ksys_ioctl);
