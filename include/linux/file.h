/* SPDX-License-Identifier: GPL-2.0 */
/*
 * File descriptors of the current process (fs/file.c): reserving,
 * installing and looking them up.
 *
 * The usual way to give a process a new file (as anon_inode_getfd() does):
 *
 *	fd = get_unused_fd_flags(O_CLOEXEC);	// reserve the lowest free
 *	if (fd < 0)
 *		return fd;
 *	file = anon_inode_getfile(...);
 *	if (IS_ERR(file)) {
 *		put_unused_fd(fd);		// give the number back
 *		return PTR_ERR(file);
 *	}
 *	fd_install(fd, file);			// the table owns the reference
 *	return fd;
 *
 * Once installed, a descriptor may be closed by another thread at any
 * moment: use it through fget()/fdget(), which take a reference.
 */
#ifndef _LINUX_FILE_H
#define _LINUX_FILE_H

#include <linux/types.h>
#include <linux/fs.h>

/*
 * The result of fdget(): a file with a reference the caller holds, or
 * empty.  Upstream may "borrow" the table's reference when the table is
 * not shared (no FDPUT_FPUT); here every fdget() takes a reference, so
 * fdput() always puts it.
 */
struct fd {
	unsigned long word;
};

#define FDPUT_FPUT	1

#define fd_file(f)	((struct file *)((f).word & ~(unsigned long)FDPUT_FPUT))
#define EMPTY_FD	((struct fd){ 0 })

static inline bool fd_empty(struct fd f)
{
	return unlikely(!f.word);
}

static inline struct fd CLONED_FD(struct file *f)
{
	return (struct fd){ (unsigned long)f | FDPUT_FPUT };
}

static inline void fdput(struct fd fd)
{
	if (fd.word & FDPUT_FPUT)
		fput(fd_file(fd));
}

/* fs/file.c; documented there. */
struct file *fget(unsigned int fd);
struct fd fdget(unsigned int fd);
int __get_unused_fd_flags(unsigned int flags, unsigned long nofile);
int get_unused_fd_flags(unsigned int flags);
void put_unused_fd(unsigned int fd);
void fd_install(unsigned int fd, struct file *file);

#endif /* _LINUX_FILE_H */
