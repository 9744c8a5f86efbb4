/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Files that are not in any filesystem (fs/anon_inodes.c): what a driver
 * hands userspace for an object (a DMABUF, a VFIO device, an IOMMUFD
 * context).  They all share one inode.
 */
#ifndef _LINUX_ANON_INODES_H
#define _LINUX_ANON_INODES_H

struct file;
struct file_operations;

/* fs/anon_inodes.c; documented there. */
struct file *anon_inode_getfile(const char *name,
				const struct file_operations *fops,
				void *priv, int flags);
int anon_inode_getfd(const char *name, const struct file_operations *fops,
		     void *priv, int flags);

#endif /* _LINUX_ANON_INODES_H */
