// SPDX-License-Identifier: GPL-2.0
/*
 * pread(2) and pwrite(2): bytes at a position of a file, through its
 * driver (VFIO's configuration space region, for one).  As ioctl(2), the
 * call holds a reference on the file throughout.  Left out: read(2) and
 * write(2) with a file position, vectors, splice.
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/syscalls.h>

static ssize_t ksys_prw(unsigned int fd, unsigned long buf, size_t count,
			loff_t pos, bool write)
{
	struct fd f;
	ssize_t ret;

	if (pos < 0)
		return -EINVAL;
	f = fdget(fd);
	if (fd_empty(f))
		return -EBADF;
	if (write)
		ret = fd_file(f)->f_op->write ?
		      fd_file(f)->f_op->write(fd_file(f), buf, count, &pos) :
		      -EINVAL;
	else
		ret = fd_file(f)->f_op->read ?
		      fd_file(f)->f_op->read(fd_file(f), buf, count, &pos) :
		      -EINVAL;
	fdput(f);
	return ret;
}

/**
 * ksys_pread64() - pread(2) on a descriptor of current
 * @fd: the descriptor
 * @buf: where the bytes go, an address in current->mm
 * @count: how many
 * @pos: where in the file
 *
 * Return: the bytes read, -EBADF, -EINVAL (a negative @pos, a file that
 * cannot be read), or the driver's error.
 */
ssize_t ksys_pread64(unsigned int fd, unsigned long buf, size_t count,
		     loff_t pos)
{
	return ksys_prw(fd, buf, count, pos, false);
}
EXPORT_SYMBOL_GPL(ksys_pread64);

/**
 * ksys_pwrite64() - pwrite(2) on a descriptor of current
 * @fd: the descriptor
 * @buf: the bytes, an address in current->mm
 * @count: how many
 * @pos: where in the file
 *
 * Return: the bytes written, or as ksys_pread64().
 */
ssize_t ksys_pwrite64(unsigned int fd, unsigned long buf, size_t count,
		      loff_t pos)
{
	return ksys_prw(fd, buf, count, pos, true);
}
EXPORT_SYMBOL_GPL(ksys_pwrite64);
