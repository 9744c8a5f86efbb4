// SPDX-License-Identifier: GPL-2.0
/*
 * Descriptor tables: numbers to files, per process.
 *
 * A descriptor goes through three states, as upstream:
 *
 *   free --get_unused_fd_flags()--> reserved --fd_install()--> installed
 *    ^  ^                                 |                          |
 *    |  +------put_unused_fd()------------+                          |
 *    +---------close_fd(), exit_files()-------------------------------+
 *
 * A reserved descriptor has its open_fds bit set and no file yet, so no
 * other thread can take the number, and fget() on it finds nothing.  An
 * installed descriptor owns one reference on its file; closing it drops
 * that reference, and the file is released when the last holder (a
 * concurrent fget() caller, say) puts its own.
 *
 * The table is <linux/fdtable.h>'s files_struct; all of it is guarded by
 * file_lock (see there for why fget() takes it where upstream uses RCU).
 * Growing the table allocates with file_lock dropped, then searches
 * again, since another thread may have taken or freed descriptors
 * meanwhile; a replaced table and every file to put are dealt with after
 * the lock is released.
 *
 * Users of a table: the process (task->files, dropped by exit_files())
 * and each thread running as it (compat_set_current() takes a user, as an
 * upstream thread sharing the table by CLONE_FILES holds one; see
 * <linux/sched.h>).  So a thread in fget() or an ioctl keeps the table,
 * and its files, while another thread ends the process; the last user
 * closes every descriptor, detaching each under file_lock.
 *
 * There is no exec() here, so O_CLOEXEC is accepted and has no effect;
 * there is no dup() or fork() either.
 */
#include <linux/bitmap.h>
#include <linux/bug.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>

/* Most descriptors a process may have, whatever its limit (upstream's
 * default fs.nr_open); a power of two, as table sizes are. */
static const unsigned int sysctl_nr_open = 1024 * 1024;

/* The smallest table that is not the embedded one. */
#define FDTABLE_MIN_GROWN	(2 * NR_OPEN_DEFAULT)

/**
 * alloc_files_struct() - make an empty descriptor table
 * @gfp: how to allocate it
 *
 * Return: the table, with one user (put_files_struct() drops it), or
 * ERR_PTR(-ENOMEM).
 */
struct files_struct *alloc_files_struct(gfp_t gfp)
{
	struct files_struct *files;

	files = kzalloc(sizeof(*files), gfp);
	if (!files)
		return ERR_PTR(-ENOMEM);
	atomic_set(&files->count, 1);
	spin_lock_init(&files->file_lock);
	files->fdtab.max_fds = NR_OPEN_DEFAULT;
	files->fdtab.fd = files->fd_array;
	files->fdtab.open_fds = files->open_fds_init;
	files->fdt = &files->fdtab;
	return files;
}
EXPORT_SYMBOL_GPL(alloc_files_struct);

/**
 * get_files_struct() - take a user of a process's descriptor table
 * @tsk: the process
 *
 * As upstream's (before 5.13): the table is read under task_lock(), so
 * that a concurrent exit_files() either has not detached it yet (and the
 * new user keeps it) or has (and there is none to take).
 *
 * Return: the table, with a user that put_files_struct() drops, or NULL
 * if @tsk has exited.
 */
struct files_struct *get_files_struct(struct task_struct *tsk)
{
	struct files_struct *files;

	task_lock(tsk);
	files = tsk->files;
	if (files)
		atomic_inc(&files->count);
	task_unlock(tsk);
	return files;
}
EXPORT_SYMBOL_GPL(get_files_struct);

/* A table with room for descriptor @fd, empty. */
static struct fdtable *alloc_fdtable(unsigned int fd)
{
	unsigned int nr = max_t(unsigned int, FDTABLE_MIN_GROWN,
				roundup_pow_of_two(fd + 1));
	struct fdtable *fdt;

	fdt = kmalloc(sizeof(*fdt), GFP_KERNEL_ACCOUNT);
	if (!fdt)
		goto out;
	fdt->max_fds = nr;
	fdt->fd = kvcalloc(nr, sizeof(*fdt->fd), GFP_KERNEL_ACCOUNT);
	if (!fdt->fd)
		goto out_free_fdt;
	fdt->open_fds = kvcalloc(BITS_TO_LONGS(nr), sizeof(unsigned long),
				 GFP_KERNEL_ACCOUNT);
	if (!fdt->open_fds)
		goto out_free_fd;
	return fdt;

out_free_fd:
	kvfree(fdt->fd);
out_free_fdt:
	kfree(fdt);
out:
	return ERR_PTR(-ENOMEM);
}

static void free_fdtable(struct fdtable *fdt)
{
	kvfree(fdt->open_fds);
	kvfree(fdt->fd);
	kfree(fdt);
}

/*
 * Make @new (larger) the table of @files, with file_lock held.
 * Return: the table it replaces if that one must be freed, else NULL.
 */
static struct fdtable *install_fdtable(struct files_struct *files,
				       struct fdtable *new)
{
	struct fdtable *old = files->fdt;

	memcpy(new->fd, old->fd, old->max_fds * sizeof(*old->fd));
	memcpy(new->open_fds, old->open_fds,
	       BITS_TO_LONGS(old->max_fds) * sizeof(unsigned long));
	files->fdt = new;
	return old == &files->fdtab ? NULL : old;
}

/*
 * Reserve the lowest free descriptor in [@start, @end).
 * Return: the descriptor, -EMFILE if none is free there, or -ENOMEM.
 */
static int alloc_fd(struct files_struct *files, unsigned int start,
		    unsigned int end)
{
	struct fdtable *fdt, *grown = NULL, *old = NULL;
	unsigned int fd;
	int error;

	spin_lock(&files->file_lock);
repeat:
	fdt = files->fdt;
	fd = max(start, files->next_fd);
	if (fd < fdt->max_fds)
		fd = find_next_zero_bit(fdt->open_fds, fdt->max_fds, fd);
	error = -EMFILE;
	if (fd >= end)
		goto out;

	if (fd >= fdt->max_fds) {
		if (!grown || grown->max_fds <= fd) {
			spin_unlock(&files->file_lock);
			if (grown)
				free_fdtable(grown);
			grown = alloc_fdtable(fd);
			spin_lock(&files->file_lock);
			if (IS_ERR(grown)) {
				error = PTR_ERR(grown);
				grown = NULL;
				goto out;
			}
			/* The lock was dropped: the table may have changed. */
			goto repeat;
		}
		old = install_fdtable(files, grown);
		grown = NULL;
		fdt = files->fdt;
	}

	if (start <= files->next_fd)
		files->next_fd = fd + 1;
	__set_bit(fd, fdt->open_fds);
	WARN_ON(fdt->fd[fd]);
	error = fd;
out:
	spin_unlock(&files->file_lock);
	if (grown)
		free_fdtable(grown);
	if (old)
		free_fdtable(old);
	return error;
}

/*
 * The calling thread's descriptor table (upstream: current->files).  It
 * is the thread's own user of the table, not the process's, so it stays
 * valid if another thread ends the process meanwhile; reading
 * current->files instead would race with exit_files() freeing it.  A
 * thread that runs as no process, or that switched to one after its
 * exit, has none: a test-bench bug, which WARNs; the callers then fail
 * as for a bad descriptor.
 */
static struct files_struct *current_files(void)
{
	struct task_struct *tsk = current;
	struct files_struct *files;

	if (WARN(!tsk, "descriptor call from a thread that runs as no process\n"))
		return NULL;
	files = compat_current_files();
	WARN(!files, "descriptor call from process %s after its exit\n",
	     tsk->comm);
	return files;
}

/**
 * __get_unused_fd_flags() - reserve the lowest free descriptor below a limit
 * @flags: O_CLOEXEC or 0 (there is no exec() here: it has no effect)
 * @nofile: descriptors must be below this (and below fs.nr_open)
 *
 * Return: the descriptor, reserved in current's table (install a file with
 * fd_install() or give it back with put_unused_fd()), -EMFILE if none is
 * free below the limit, or -ENOMEM.
 */
int __get_unused_fd_flags(unsigned int flags, unsigned long nofile)
{
	struct files_struct *files = current_files();

	(void)flags;
	if (!files)
		return -EMFILE;
	return alloc_fd(files, 0, min_t(unsigned long, nofile, sysctl_nr_open));
}
EXPORT_SYMBOL_GPL(__get_unused_fd_flags);

/**
 * get_unused_fd_flags() - reserve the lowest free descriptor
 * @flags: O_CLOEXEC or 0 (there is no exec() here: it has no effect)
 *
 * Return: as __get_unused_fd_flags(), below current's RLIMIT_NOFILE.
 */
int get_unused_fd_flags(unsigned int flags)
{
	struct task_struct *tsk = current;

	return __get_unused_fd_flags(flags, tsk ? tsk->rlim_nofile : 0);
}
EXPORT_SYMBOL_GPL(get_unused_fd_flags);

/* Mark @fd free, with file_lock held. */
static void __put_unused_fd(struct files_struct *files, unsigned int fd)
{
	__clear_bit(fd, files->fdt->open_fds);
	if (fd < files->next_fd)
		files->next_fd = fd;
}

/* Whether @fd is reserved and has no file yet, with file_lock held. */
static bool fd_is_reserved(struct files_struct *files, unsigned int fd)
{
	struct fdtable *fdt = files->fdt;

	return fd < fdt->max_fds && test_bit(fd, fdt->open_fds) &&
	       !fdt->fd[fd];
}

/**
 * put_unused_fd() - give back a reserved descriptor
 * @fd: a descriptor from get_unused_fd_flags() with no file installed
 *
 * Anything else (a free or an installed descriptor) WARNs and is left
 * as it is.
 */
void put_unused_fd(unsigned int fd)
{
	struct files_struct *files = current_files();

	if (!files)
		return;
	spin_lock(&files->file_lock);
	if (!WARN(!fd_is_reserved(files, fd),
		  "put_unused_fd(%u): not a reserved descriptor\n", fd))
		__put_unused_fd(files, fd);
	spin_unlock(&files->file_lock);
}
EXPORT_SYMBOL_GPL(put_unused_fd);

/**
 * fd_install() - make a reserved descriptor refer to a file
 * @fd: a descriptor from get_unused_fd_flags() with no file installed
 * @file: the file; the caller's reference passes to the table
 *
 * From here on another thread may close @fd and drop that reference at
 * any moment.  A descriptor that is not reserved WARNs (upstream BUGs);
 * the reference is then put, so the file does not leak.
 */
void fd_install(unsigned int fd, struct file *file)
{
	struct files_struct *files = current_files();
	bool reserved = false;

	if (files) {
		spin_lock(&files->file_lock);
		reserved = fd_is_reserved(files, fd);
		if (reserved)
			files->fdt->fd[fd] = file;
		spin_unlock(&files->file_lock);
	}
	if (WARN(!reserved, "fd_install(%u): not a reserved descriptor\n", fd))
		fput(file);
}
EXPORT_SYMBOL_GPL(fd_install);

static struct file *__fget_files(struct files_struct *files, unsigned int fd)
{
	struct file *file = NULL;

	spin_lock(&files->file_lock);
	if (fd < files->fdt->max_fds)
		file = files->fdt->fd[fd];
	/*
	 * The table's reference keeps an installed file above zero, since
	 * every close detaches it under file_lock before putting it; still,
	 * never raise a count that reached zero (a file being released),
	 * as upstream's lookup does not.
	 */
	if (file && !atomic_long_inc_not_zero(&file->f_count))
		file = NULL;
	spin_unlock(&files->file_lock);
	return file;
}

/**
 * fget() - the file a descriptor of current refers to, with a reference
 * @fd: the descriptor
 *
 * The file stays valid until the caller's fput(), even if another thread
 * closes @fd meanwhile.
 *
 * Return: the file, or NULL if @fd is not installed (free, reserved, or
 * out of range: a negative int passed as @fd is out of range).
 */
struct file *fget(unsigned int fd)
{
	struct files_struct *files = current_files();

	return files ? __fget_files(files, fd) : NULL;
}
EXPORT_SYMBOL_GPL(fget);

/**
 * fdget() - fget() for the length of a call
 * @fd: the descriptor
 *
 * Return: the file in a struct fd (fd_file(), fd_empty()); release it with
 * fdput().
 */
struct fd fdget(unsigned int fd)
{
	struct file *file = fget(fd);

	return file ? CLONED_FD(file) : EMPTY_FD;
}
EXPORT_SYMBOL_GPL(fdget);

/* Take @fd's file out of the table, with file_lock held. */
static struct file *file_close_fd_locked(struct files_struct *files,
					 unsigned int fd)
{
	struct fdtable *fdt = files->fdt;
	struct file *file;

	if (fd >= fdt->max_fds)
		return NULL;
	file = fdt->fd[fd];
	if (file) {
		fdt->fd[fd] = NULL;
		__put_unused_fd(files, fd);
	}
	return file;
}

/**
 * close_fd() - close a descriptor of current
 * @fd: the descriptor
 *
 * Drops the table's reference on the file; the file is released now if
 * that was the last one, else when its last holder puts it.
 *
 * Return: 0, or -EBADF if @fd is not installed.
 */
int close_fd(unsigned int fd)
{
	struct files_struct *files = current_files();
	struct file *file;

	if (!files)
		return -EBADF;
	spin_lock(&files->file_lock);
	file = file_close_fd_locked(files, fd);
	spin_unlock(&files->file_lock);
	if (!file)
		return -EBADF;
	fput(file);
	return 0;
}
EXPORT_SYMBOL_GPL(close_fd);

/*
 * Close every descriptor of a table that has lost its last user.  Each
 * file is detached under file_lock, as close_fd() does, and put with the
 * lock dropped, since ->release may run.
 */
static void close_files(struct files_struct *files)
{
	struct fdtable *fdt;
	struct file *file;
	unsigned int fd = 0;

	for (;;) {
		spin_lock(&files->file_lock);
		fdt = files->fdt;
		fd = find_next_bit(fdt->open_fds, fdt->max_fds, fd);
		if (fd >= fdt->max_fds) {
			spin_unlock(&files->file_lock);
			return;
		}
		/* NULL for a reserved descriptor: it stays reserved. */
		file = file_close_fd_locked(files, fd);
		spin_unlock(&files->file_lock);
		if (file)
			fput(file);
		fd++;
	}
}

/**
 * put_files_struct() - drop a user of a descriptor table
 * @files: the table
 *
 * The last user closes every descriptor (each file is released unless
 * someone else holds it) and frees the table.
 */
void put_files_struct(struct files_struct *files)
{
	if (!atomic_dec_and_test(&files->count))
		return;
	close_files(files);
	if (files->fdt != &files->fdtab)
		free_fdtable(files->fdt);
	kfree(files);
}
EXPORT_SYMBOL_GPL(put_files_struct);

/**
 * exit_files() - a process lets go of its descriptor table
 * @tsk: the process
 *
 * The table is detached under task_lock() and only the process's user of
 * it dropped: threads still running as @tsk keep theirs, and with it the
 * table and its files, until they switch away.  Afterwards @tsk has no
 * table (a thread switching to it gets none); whoever drops the table's
 * last user closes every descriptor.
 */
void exit_files(struct task_struct *tsk)
{
	struct files_struct *files;

	task_lock(tsk);
	files = tsk->files;
	WRITE_ONCE(tsk->files, NULL);
	task_unlock(tsk);
	if (files)
		put_files_struct(files);
}
EXPORT_SYMBOL_GPL(exit_files);
