// SPDX-License-Identifier: GPL-2.0
/* close(2).  No open(2) family here: files come from drivers. */
#include <linux/export.h>
#include <linux/fdtable.h>
#include <linux/syscalls.h>

/**
 * ksys_close() - close(2) of a descriptor of current
 * @fd: the descriptor
 *
 * Return: 0, or -EBADF if @fd is not an open descriptor.
 */
int ksys_close(unsigned int fd)
{
	return close_fd(fd);
}
EXPORT_SYMBOL_GPL(ksys_close);
