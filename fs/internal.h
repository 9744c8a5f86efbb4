/* SPDX-License-Identifier: GPL-2.0 */
/* What fs/ files share and nobody else sees. */
#ifndef _FS_INTERNAL_H
#define _FS_INTERNAL_H

struct file;
struct file_operations;
struct inode;

/* fs/file_table.c */
struct file *alloc_file(struct inode *inode, int flags,
			const struct file_operations *fops);

#endif /* _FS_INTERNAL_H */
