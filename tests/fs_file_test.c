// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of files, descriptors and processes (fs/, kernel/fork.c,
 * kernel/exit.c): ->release exactly once on the last reference, -EBADF for
 * descriptors that are not open, lowest-free reuse, table growth and the
 * RLIMIT_NOFILE limit, process exit closing everything, ioctl dispatch,
 * concurrent fget()/close() from threads of one process, misuse reports,
 * and allocation-failure injection on every constructor.
 *
 * Each case runs as a fresh process (the suite's init makes one and sets
 * current); its exit ends it, so the runner's leak check also proves that
 * exit released every file.  The fs_file suite needs no machine (its
 * processes have no address space); fs_uapi boots one, and moves an
 * ioctl's argument and result through a process's memory.
 */
#include <pthread.h>
#include <sched.h>

#include <kunit/fail_nth.h>
#include <kunit/test.h>
#include <linux/anon_inodes.h>
#include <linux/completion.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mm_struct.h>
#include <linux/sched/task.h>
#include <linux/syscalls.h>
#include <linux/uaccess.h>
#include <asm/page.h>

#include "arch/sim/boot.h"

/* What the test driver's files share: counts of what happened to them. */
struct fs_counter {
	atomic_t releases;
	atomic_t ioctls;
};

#define FS_TEST_IOC_ADD_ONE	0x4601	/* returns arg + 1 */
#define FS_TEST_IOC_UNKNOWN	0x4602	/* the driver does not know it */

static long fs_test_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	struct fs_counter *cnt = file->private_data;

	atomic_inc(&cnt->ioctls);
	if (cmd == FS_TEST_IOC_ADD_ONE)
		return arg + 1;
	return -ENOIOCTLCMD;
}

static int fs_test_release(struct inode *inode, struct file *file)
{
	struct fs_counter *cnt = file->private_data;

	(void)inode;
	atomic_inc(&cnt->releases);
	return 0;
}

static const struct file_operations fs_test_fops = {
	.unlocked_ioctl = fs_test_ioctl,
	.release = fs_test_release,
};

static const struct file_operations fs_test_noioctl_fops = {
	.release = fs_test_release,
};

/*
 * The process a case runs as, what the thread ran as before, and the
 * counters of the case's files: they must outlive the case function,
 * since the suite's exit() releases the files a case leaves open.
 */
struct fs_test_ctx {
	struct task_struct *tsk;
	struct task_struct *prev;
	struct fs_counter cnt;
};

static struct fs_counter *fs_cnt(struct kunit *test)
{
	return &((struct fs_test_ctx *)test->priv)->cnt;
}

static int fs_test_init(struct kunit *test)
{
	struct fs_test_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return -ENOMEM;
	ctx->tsk = task_create("fs_test", NULL, GFP_KERNEL);
	if (IS_ERR(ctx->tsk))
		return PTR_ERR(ctx->tsk);
	ctx->prev = compat_set_current(ctx->tsk);
	test->priv = ctx;
	return 0;
}

static void fs_test_exit(struct kunit *test)
{
	struct fs_test_ctx *ctx = test->priv;

	if (!ctx)
		return;
	compat_set_current(ctx->prev);
	if (ctx->tsk)
		task_exit(ctx->tsk);
}

/* End the case's process now (it runs as no process afterwards). */
static void fs_test_exit_process(struct kunit *test)
{
	struct fs_test_ctx *ctx = test->priv;

	compat_set_current(ctx->prev);
	task_exit(ctx->tsk);
	ctx->tsk = NULL;
}

static int fs_open(struct fs_counter *cnt)
{
	return anon_inode_getfd("fs_test", &fs_test_fops, cnt, O_RDWR);
}

static void fs_release_on_last_fput(struct kunit *test)
{
	struct fs_counter *cnt = fs_cnt(test);
	struct file *file;

	file = anon_inode_getfile("fs_test", &fs_test_fops, cnt, O_RDWR);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, file);
	KUNIT_EXPECT_PTR_EQ(test, file->private_data, (void *)cnt);
	KUNIT_EXPECT_EQ(test, file_count(file), 1L);

	KUNIT_EXPECT_PTR_EQ(test, get_file(file), file);
	KUNIT_EXPECT_EQ(test, file_count(file), 2L);
	fput(file);
	KUNIT_EXPECT_EQ(test, atomic_read(&cnt->releases), 0);
	KUNIT_EXPECT_EQ(test, file_count(file), 1L);
	fput(file);
	KUNIT_EXPECT_EQ(test, atomic_read(&cnt->releases), 1);
}

static void fs_fget_outlives_close(struct kunit *test)
{
	struct fs_counter *cnt = fs_cnt(test);
	struct file *file;
	int fd;

	fd = fs_open(cnt);
	KUNIT_ASSERT_GE(test, fd, 0);
	file = fget(fd);
	KUNIT_ASSERT_NOT_NULL(test, file);
	KUNIT_EXPECT_EQ(test, file_count(file), 2L);

	KUNIT_EXPECT_EQ(test, ksys_close(fd), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&cnt->releases), 0);
	KUNIT_EXPECT_EQ(test, file_count(file), 1L);
	/* The descriptor is gone, the file is not. */
	KUNIT_EXPECT_EQ(test, ksys_ioctl(fd, FS_TEST_IOC_ADD_ONE, 1), -EBADF);
	KUNIT_EXPECT_NULL(test, fget(fd));
	KUNIT_EXPECT_EQ(test, file->f_op->unlocked_ioctl(file,
			FS_TEST_IOC_ADD_ONE, 41), 42L);

	fput(file);
	KUNIT_EXPECT_EQ(test, atomic_read(&cnt->releases), 1);
}

static void fs_fdget_fdput(struct kunit *test)
{
	struct fs_counter *cnt = fs_cnt(test);
	struct fd f;
	int fd;

	fd = fs_open(cnt);
	KUNIT_ASSERT_GE(test, fd, 0);
	f = fdget(fd);
	KUNIT_ASSERT_FALSE(test, fd_empty(f));
	KUNIT_EXPECT_PTR_EQ(test, fd_file(f)->private_data, (void *)cnt);
	KUNIT_EXPECT_EQ(test, ksys_close(fd), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&cnt->releases), 0);
	fdput(f);
	KUNIT_EXPECT_EQ(test, atomic_read(&cnt->releases), 1);

	f = fdget(fd);
	KUNIT_EXPECT_TRUE(test, fd_empty(f));
	fdput(f);
}

static void fs_bad_descriptors(struct kunit *test)
{
	struct fs_counter *cnt = fs_cnt(test);
	int fd, reserved;

	/* Never opened, negative, far beyond the table. */
	KUNIT_EXPECT_EQ(test, ksys_ioctl(0, FS_TEST_IOC_ADD_ONE, 0), -EBADF);
	KUNIT_EXPECT_EQ(test, ksys_ioctl(5, FS_TEST_IOC_ADD_ONE, 0), -EBADF);
	KUNIT_EXPECT_EQ(test, ksys_ioctl(-1, FS_TEST_IOC_ADD_ONE, 0), -EBADF);
	KUNIT_EXPECT_EQ(test, ksys_ioctl(1 << 30, FS_TEST_IOC_ADD_ONE, 0),
			-EBADF);
	KUNIT_EXPECT_EQ(test, ksys_close(0), -EBADF);
	KUNIT_EXPECT_EQ(test, ksys_close(-1), -EBADF);
	KUNIT_EXPECT_EQ(test, ksys_close(-5), -EBADF);
	KUNIT_EXPECT_NULL(test, fget(-1));

	/* Closed: once closed, every call on it is -EBADF. */
	fd = fs_open(cnt);
	KUNIT_ASSERT_EQ(test, fd, 0);
	KUNIT_EXPECT_EQ(test, ksys_ioctl(fd, FS_TEST_IOC_ADD_ONE, 1), 2L);
	KUNIT_EXPECT_EQ(test, ksys_close(fd), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&cnt->releases), 1);
	KUNIT_EXPECT_EQ(test, ksys_ioctl(fd, FS_TEST_IOC_ADD_ONE, 1), -EBADF);
	KUNIT_EXPECT_EQ(test, ksys_close(fd), -EBADF);
	KUNIT_EXPECT_EQ(test, atomic_read(&cnt->ioctls), 1);

	/* Reserved but not installed: not open either. */
	reserved = get_unused_fd_flags(0);
	KUNIT_ASSERT_EQ(test, reserved, 0);
	KUNIT_EXPECT_NULL(test, fget(reserved));
	KUNIT_EXPECT_EQ(test, ksys_ioctl(reserved, FS_TEST_IOC_ADD_ONE, 1),
			-EBADF);
	KUNIT_EXPECT_EQ(test, ksys_close(reserved), -EBADF);
	/* ... and its number is taken until given back. */
	fd = fs_open(cnt);
	KUNIT_EXPECT_EQ(test, fd, 1);
	put_unused_fd(reserved);
	KUNIT_EXPECT_EQ(test, fs_open(cnt), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&cnt->releases), 1);
}

static void fs_ioctl_dispatch(struct kunit *test)
{
	struct fs_counter *cnt = fs_cnt(test);
	int fd, plain;

	fd = fs_open(cnt);
	KUNIT_ASSERT_GE(test, fd, 0);
	KUNIT_EXPECT_EQ(test, ksys_ioctl(fd, FS_TEST_IOC_ADD_ONE, 99), 100L);
	/* -ENOIOCTLCMD from the driver is -ENOTTY to the caller. */
	KUNIT_EXPECT_EQ(test, ksys_ioctl(fd, FS_TEST_IOC_UNKNOWN, 0), -ENOTTY);
	KUNIT_EXPECT_EQ(test, atomic_read(&cnt->ioctls), 2);

	/* A file that takes no ioctl at all. */
	plain = anon_inode_getfd("fs_test", &fs_test_noioctl_fops, cnt,
				 O_RDONLY);
	KUNIT_ASSERT_GE(test, plain, 0);
	KUNIT_EXPECT_EQ(test, ksys_ioctl(plain, FS_TEST_IOC_ADD_ONE, 0),
			-ENOTTY);
	KUNIT_EXPECT_EQ(test, atomic_read(&cnt->ioctls), 2);
	KUNIT_EXPECT_EQ(test, ksys_close(plain), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&cnt->releases), 1);
}

static void fs_open_flags(struct kunit *test)
{
	struct fs_counter *cnt = fs_cnt(test);
	struct file *file;

	file = anon_inode_getfile("fs_test", &fs_test_fops, cnt, O_RDONLY);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, file);
	KUNIT_EXPECT_EQ(test, file->f_mode, FMODE_READ);
	KUNIT_EXPECT_EQ(test, file->f_flags, (unsigned int)O_RDONLY);
	fput(file);

	file = anon_inode_getfile("fs_test", &fs_test_fops, cnt,
				  O_RDWR | O_NONBLOCK | O_CLOEXEC);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, file);
	KUNIT_EXPECT_EQ(test, file->f_mode, FMODE_READ | FMODE_WRITE);
	KUNIT_EXPECT_EQ(test, file->f_flags,
			(unsigned int)(O_RDWR | O_NONBLOCK));
	KUNIT_EXPECT_NOT_NULL(test, file_inode(file));
	fput(file);
	KUNIT_EXPECT_EQ(test, atomic_read(&cnt->releases), 2);
}

static void fs_fd_lowest_free(struct kunit *test)
{
	struct fs_counter *cnt = fs_cnt(test);
	int i;

	for (i = 0; i < 5; i++)
		KUNIT_ASSERT_EQ(test, fs_open(cnt), i);
	KUNIT_EXPECT_EQ(test, ksys_close(1), 0);
	KUNIT_EXPECT_EQ(test, ksys_close(3), 0);
	KUNIT_EXPECT_EQ(test, fs_open(cnt), 1);
	KUNIT_EXPECT_EQ(test, ksys_close(0), 0);
	KUNIT_EXPECT_EQ(test, fs_open(cnt), 0);
	KUNIT_EXPECT_EQ(test, fs_open(cnt), 3);
	KUNIT_EXPECT_EQ(test, fs_open(cnt), 5);
	KUNIT_EXPECT_EQ(test, atomic_read(&cnt->releases), 3);
}

/* Far past the embedded table, then against RLIMIT_NOFILE. */
static void fs_fd_table_grows(struct kunit *test)
{
	enum { NR = 1000 };
	struct fs_test_ctx *ctx = test->priv;
	struct fs_counter *cnt = fs_cnt(test);
	int i;

	for (i = 0; i < NR; i++)
		KUNIT_ASSERT_EQ(test, fs_open(cnt), i);
	for (i = 0; i < NR; i += 97)
		KUNIT_EXPECT_EQ(test, ksys_ioctl(i, FS_TEST_IOC_ADD_ONE, i),
				(long)i + 1);
	KUNIT_EXPECT_EQ(test, ksys_close(700), 0);
	KUNIT_EXPECT_EQ(test, ksys_close(70), 0);
	KUNIT_EXPECT_EQ(test, fs_open(cnt), 70);
	KUNIT_EXPECT_EQ(test, fs_open(cnt), 700);

	/* INR_OPEN_CUR (1024) is the default limit. */
	for (i = NR; i < INR_OPEN_CUR; i++)
		KUNIT_ASSERT_EQ(test, fs_open(cnt), i);
	KUNIT_EXPECT_EQ(test, fs_open(cnt), -EMFILE);
	KUNIT_EXPECT_EQ(test, get_unused_fd_flags(0), -EMFILE);

	/* A raised limit lets the table grow again. */
	ctx->tsk->rlim_nofile = 2 * INR_OPEN_CUR;
	KUNIT_EXPECT_EQ(test, fs_open(cnt), INR_OPEN_CUR);
	KUNIT_EXPECT_EQ(test, __get_unused_fd_flags(0, INR_OPEN_CUR), -EMFILE);
	KUNIT_EXPECT_EQ(test, atomic_read(&cnt->releases), 2);

	fs_test_exit_process(test);
	KUNIT_EXPECT_EQ(test, atomic_read(&cnt->releases), INR_OPEN_CUR + 3);
}

static void fs_exit_closes_everything(struct kunit *test)
{
	struct fs_counter *cnt = fs_cnt(test);
	struct file *held, *unattached;
	int i, fd;

	for (i = 0; i < 10; i++)
		KUNIT_ASSERT_EQ(test, fs_open(cnt), i);
	held = fget(4);
	KUNIT_ASSERT_NOT_NULL(test, held);
	/* A reserved descriptor that never got its file. */
	fd = get_unused_fd_flags(0);
	KUNIT_EXPECT_EQ(test, fd, 10);
	/* A file with no descriptor is not the process's to release. */
	unattached = anon_inode_getfile("fs_test", &fs_test_fops, cnt, O_RDWR);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, unattached);

	fs_test_exit_process(test);
	KUNIT_EXPECT_EQ(test, atomic_read(&cnt->releases), 9);
	KUNIT_EXPECT_EQ(test, file_count(held), 1L);
	KUNIT_EXPECT_EQ(test, held->f_op->unlocked_ioctl(held,
			FS_TEST_IOC_ADD_ONE, 7), 8L);
	fput(held);
	KUNIT_EXPECT_EQ(test, atomic_read(&cnt->releases), 10);
	fput(unattached);
	KUNIT_EXPECT_EQ(test, atomic_read(&cnt->releases), 11);
}

/* Two processes have separate tables; files are shared only by reference. */
static void fs_processes_are_separate(struct kunit *test)
{
	struct fs_test_ctx *ctx = test->priv;
	struct fs_counter *cnt = fs_cnt(test);
	struct task_struct *other;
	struct file *file;
	int fd;

	fd = fs_open(cnt);
	KUNIT_ASSERT_EQ(test, fd, 0);
	file = fget(fd);
	KUNIT_ASSERT_NOT_NULL(test, file);

	other = task_create("other", NULL, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, other);
	compat_set_current(other);
	KUNIT_EXPECT_STREQ(test, current->comm, "other");
	KUNIT_EXPECT_EQ(test, ksys_ioctl(0, FS_TEST_IOC_ADD_ONE, 0), -EBADF);
	/* Pass the file over, as SCM_RIGHTS would. */
	fd = get_unused_fd_flags(O_CLOEXEC);
	KUNIT_EXPECT_EQ(test, fd, 0);
	fd_install(fd, get_file(file));
	KUNIT_EXPECT_EQ(test, ksys_ioctl(0, FS_TEST_IOC_ADD_ONE, 1), 2L);
	compat_set_current(ctx->tsk);

	KUNIT_EXPECT_EQ(test, ksys_close(0), 0);
	fput(file);
	KUNIT_EXPECT_EQ(test, atomic_read(&cnt->releases), 0);
	task_exit(other);
	KUNIT_EXPECT_EQ(test, atomic_read(&cnt->releases), 1);
}

/*
 * Threads of one process racing: the opener creates and closes files; the
 * other thread looks up, calls and closes whatever descriptor it last saw
 * (which may meanwhile be closed, or reused by a newer file).  Each file's
 * object is freed by ->release, so a double release is a double free and
 * a use after release is a use after free, for ASan to see.
 */
#define FS_RACE_ITERATIONS	10000
#define FS_RACE_MAGIC		0xf11e0b1eU
#define FS_RACE_RING		4

struct fs_race_obj {
	unsigned int magic;
	struct fs_race *race;
};

/*
 * Set while the racer holds a reference (fget() to fput(), an ioctl): a
 * release then is a file the opener closed under it.
 */
static __thread bool fs_race_holding;

struct fs_race {
	struct task_struct *tsk;
	int slot;			/* the last descriptor opened */
	unsigned int seq;		/* bumped with each new @slot */
	unsigned int ack;		/* the @seq the racer has taken */
	bool racer_started;
	bool opener_done;
	atomic_t opened, releases, racer_releases, closed;
	atomic_t fget_hits, ioctl_hits, errors;
};

/*
 * Spin (briefly, then yielding) until *@p is @val: a spinning waiter sees
 * the change within nanoseconds, so the two threads really overlap; a
 * yielding one would leave the other thread done before it wakes.
 */
static void fs_race_wait(unsigned int *p, unsigned int val)
{
	unsigned int spins = 0;

	while (__atomic_load_n(p, __ATOMIC_ACQUIRE) != val)
		if (++spins % 4096 == 0)
			sched_yield();
}

/* Spin until *@p is not @old or *@done; return *@p. */
static unsigned int fs_race_wait_change(unsigned int *p, unsigned int old,
					bool *done)
{
	unsigned int spins = 0, val;

	while ((val = __atomic_load_n(p, __ATOMIC_ACQUIRE)) == old &&
	       !__atomic_load_n(done, __ATOMIC_ACQUIRE))
		if (++spins % 4096 == 0)
			sched_yield();
	return val;
}

static long fs_race_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	struct fs_race_obj *obj = file->private_data;

	(void)cmd;
	return obj->magic == FS_RACE_MAGIC ? (long)arg : -EIO;
}

static int fs_race_release(struct inode *inode, struct file *file)
{
	struct fs_race_obj *obj = file->private_data;

	(void)inode;
	atomic_inc(&obj->race->releases);
	if (fs_race_holding)
		atomic_inc(&obj->race->racer_releases);
	obj->magic = 0;
	kfree(obj);
	return 0;
}

static const struct file_operations fs_race_fops = {
	.unlocked_ioctl = fs_race_ioctl,
	.release = fs_race_release,
};

static void *fs_race_opener(void *arg)
{
	struct fs_race *r = arg;
	int ring[FS_RACE_RING], i, j, fd;
	unsigned int seq;

	compat_set_current(r->tsk);
	for (i = 0; i < FS_RACE_RING; i++)
		ring[i] = -1;
	while (!__atomic_load_n(&r->racer_started, __ATOMIC_ACQUIRE))
		sched_yield();
	for (i = 0; i < FS_RACE_ITERATIONS; i++) {
		struct fs_race_obj *obj = kmalloc(sizeof(*obj), GFP_KERNEL);
		int *oldest = &ring[i % FS_RACE_RING];

		if (!obj) {
			atomic_inc(&r->errors);
			break;
		}
		obj->magic = FS_RACE_MAGIC;
		obj->race = r;
		fd = anon_inode_getfd("fs_race", &fs_race_fops, obj, O_RDWR);
		if (fd < 0) {
			kfree(obj);
			atomic_inc(&r->errors);
			break;
		}
		atomic_inc(&r->opened);
		__atomic_store_n(&r->slot, fd, __ATOMIC_RELEASE);
		seq = __atomic_add_fetch(&r->seq, 1, __ATOMIC_RELEASE);
		/* Both threads are running from here: race on this file. */
		fs_race_wait(&r->ack, seq);
		/* Every other file: close it now, while the racer uses it. */
		if (i & 1) {
			if (ksys_close(fd) == 0)
				atomic_inc(&r->closed);
			continue;
		}
		/* Use the others while the racer may close them. */
		for (j = 0; j < 4; j++) {
			long ret = ksys_ioctl(fd, 0, j);

			if (ret != j && ret != -EBADF)
				atomic_inc(&r->errors);
		}
		/*
		 * Keep the last few open and close the oldest, unless the
		 * racer closed it first (then its number may already be a
		 * newer file's, which the racer may close too: still one
		 * close per file).
		 */
		if (*oldest >= 0 && ksys_close(*oldest) == 0)
			atomic_inc(&r->closed);
		*oldest = fd;
	}
	__atomic_store_n(&r->opener_done, true, __ATOMIC_RELEASE);
	compat_set_current(NULL);
	return NULL;
}

static void *fs_race_closer(void *arg)
{
	struct fs_race *r = arg;
	struct file *file;
	unsigned int seen = 0, seq, spin;
	unsigned long n = 0;
	long ret;
	int fd;

	compat_set_current(r->tsk);
	__atomic_store_n(&r->racer_started, true, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&r->opener_done, __ATOMIC_ACQUIRE)) {
		/*
		 * Once per new file, handed over while both threads run:
		 * spinning on the table's lock instead would starve the
		 * opener rather than race with it, on a busy machine.
		 */
		seq = fs_race_wait_change(&r->seq, seen, &r->opener_done);
		if (seq == seen)
			break;
		seen = seq;
		__atomic_store_n(&r->ack, seq, __ATOMIC_RELEASE);
		fd = __atomic_load_n(&r->slot, __ATOMIC_ACQUIRE);
		fs_race_holding = true;
		file = fget(fd);
		if (file) {
			struct fs_race_obj *obj = file->private_data;

			if (obj->magic != FS_RACE_MAGIC)
				atomic_inc(&r->errors);
			atomic_inc(&r->fget_hits);
			/* Hold it a varying while: the close lands before,
			 * during or after. */
			for (spin = n * 2654435761U % 4096; spin; spin--)
				__asm__ __volatile__("" ::: "memory");
			if (obj->magic != FS_RACE_MAGIC)
				atomic_inc(&r->errors);
			fput(file);
		}
		ret = ksys_ioctl(fd, 0, n);
		if (ret == (long)n)
			atomic_inc(&r->ioctl_hits);
		else if (ret != -EBADF)
			atomic_inc(&r->errors);
		fs_race_holding = false;
		if (++n % 3 == 0 && ksys_close(fd) == 0)
			atomic_inc(&r->closed);
	}
	compat_set_current(NULL);
	return NULL;
}

static void fs_concurrent_fget_close(struct kunit *test)
{
	struct fs_test_ctx *ctx = test->priv;
	struct fs_race r = { .tsk = ctx->tsk, .slot = -1 };
	pthread_t opener, closer;
	int fd, still_open = 0;

	KUNIT_ASSERT_EQ(test, pthread_create(&closer, NULL, fs_race_closer,
					     &r), 0);
	KUNIT_ASSERT_EQ(test, pthread_create(&opener, NULL, fs_race_opener,
					     &r), 0);
	pthread_join(opener, NULL);
	pthread_join(closer, NULL);

	KUNIT_EXPECT_EQ(test, atomic_read(&r.errors), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&r.opened), FS_RACE_ITERATIONS);
	/* Every file was closed once or is still open; none released twice. */
	for (fd = 0; fd < 64; fd++) {
		struct file *file = fget(fd);

		if (file) {
			still_open++;
			fput(file);
		}
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&r.closed) + still_open,
			atomic_read(&r.opened));
	KUNIT_EXPECT_EQ(test, atomic_read(&r.releases), atomic_read(&r.closed));
	kunit_info(test, "%d files: %d fget hits, %d ioctl hits, %d closed under the racer",
		   atomic_read(&r.opened), atomic_read(&r.fget_hits),
		   atomic_read(&r.ioctl_hits), atomic_read(&r.racer_releases));

	fs_test_exit_process(test);
	KUNIT_EXPECT_EQ(test, atomic_read(&r.releases), atomic_read(&r.opened));
}


/* ---- process exit racing the process's own threads ------------------- */

/*
 * Any thread may end any process, so a thread running as the process may
 * be inside fget() when another ends it.  The thread's own user of the
 * table keeps the table, and its files, until it switches away: its
 * lookups keep finding the file, and the file is released once, at the
 * switch.  Each round makes a process with one file at fd 0, starts a
 * racer thread running as it that looks the file up until the process's
 * exit, and ends the process from this thread.  Looking up through
 * tsk->files, which the exit frees, was a use after free that ASan
 * reported within a few hundred rounds.
 */
#define FS_EXIT_RACE_ROUNDS	1000

struct fs_exit_race {
	struct task_struct *tsk;
	struct fs_race *race;
	unsigned int go, started;
	int released_at_switch;
	atomic_t hits, bad;
};

static void *fs_exit_racer(void *arg)
{
	struct fs_exit_race *r = arg;
	unsigned int spins = 0;
	struct file *file;

	compat_set_current(r->tsk);
	fs_race_wait(&r->go, 1);
	__atomic_store_n(&r->started, 1, __ATOMIC_RELEASE);
	/* A thread of the process in fget() while another ends it. */
	while (READ_ONCE(r->tsk->files)) {
		/* Let the exiting thread in if it shares this CPU. */
		if (++spins % 1024 == 0)
			sched_yield();
		file = fget(0);
		if (!file) {
			atomic_inc(&r->bad);	/* its table lost fd 0 */
			continue;
		}
		atomic_inc(&r->hits);
		if (((struct fs_race_obj *)file->private_data)->magic !=
		    FS_RACE_MAGIC)
			atomic_inc(&r->bad);
		fput(file);
	}
	/* The process has exited; this thread still holds its table. */
	r->released_at_switch = atomic_read(&r->race->releases);
	compat_set_current(NULL);
	return NULL;
}

static void fs_fget_races_exit(struct kunit *test)
{
	struct fs_test_ctx *ctx = test->priv;
	struct fs_race race = { 0 };
	long hits = 0;
	int i, bad = 0, early = 0;

	for (i = 0; i < FS_EXIT_RACE_ROUNDS; i++) {
		struct fs_exit_race r = { .race = &race };
		struct fs_race_obj *obj = kmalloc(sizeof(*obj), GFP_KERNEL);
		pthread_t t;

		KUNIT_ASSERT_NOT_NULL(test, obj);
		obj->magic = FS_RACE_MAGIC;
		obj->race = &race;
		r.tsk = task_create("exit_race", NULL, GFP_KERNEL);
		if (IS_ERR(r.tsk))
			kfree(obj);
		KUNIT_ASSERT_FALSE(test, IS_ERR(r.tsk));
		compat_set_current(r.tsk);
		KUNIT_ASSERT_EQ(test, anon_inode_getfd("fs_race", &fs_race_fops,
						       obj, O_RDWR), 0);
		compat_set_current(ctx->tsk);
		KUNIT_ASSERT_EQ(test, pthread_create(&t, NULL, fs_exit_racer,
						     &r), 0);
		__atomic_store_n(&r.go, 1, __ATOMIC_RELEASE);
		fs_race_wait(&r.started, 1);
		/* The racer's reference keeps the task for its last look. */
		task_exit(r.tsk);
		pthread_join(t, NULL);
		bad += atomic_read(&r.bad);
		hits += atomic_read(&r.hits);
		if (r.released_at_switch != i)
			early++;
		KUNIT_ASSERT_EQ(test, atomic_read(&race.releases), i + 1);
	}
	kunit_info(test, "%d rounds: %ld fget hits", i, hits);
	KUNIT_EXPECT_EQ(test, bad, 0);
	KUNIT_EXPECT_EQ(test, early, 0);
}

/*
 * A driver's ioctl in flight while another thread ends the process: the
 * file and its private data stay valid for the whole call, and the
 * process's files are released once, after the call, when the calling
 * thread lets go of the table.  The ioctl also opens a new descriptor
 * after the exit (a driver handing out an fd, as VFIO or DMABUF export
 * do): it lands in the calling thread's table and is released with it,
 * not leaked.
 */
#define FS_EXIT_IOC_WAIT	0x4604
#define FS_EXIT_MAGIC		0xe817c0deU

struct fs_exit_ioctl {
	unsigned int magic;
	struct completion entered, exited;
	struct fs_counter cnt;		/* the new file's */
	atomic_t releases, in_flight, released_in_flight;
	long ret, ret_fd_ioctl;
	int released_at_return;
};

static long fs_exit_ioctl_wait(struct file *file, unsigned int cmd,
			       unsigned long arg)
{
	struct fs_exit_ioctl *e = file->private_data;
	long ret;

	(void)arg;
	if (cmd != FS_EXIT_IOC_WAIT)
		return -ENOIOCTLCMD;
	atomic_inc(&e->in_flight);
	complete(&e->entered);
	wait_for_completion(&e->exited);
	/* The process has exited: the file is still ours to use. */
	ret = e->magic == FS_EXIT_MAGIC ? fs_open(&e->cnt) : -EIO;
	atomic_dec(&e->in_flight);
	return ret;
}

static int fs_exit_ioctl_release(struct inode *inode, struct file *file)
{
	struct fs_exit_ioctl *e = file->private_data;

	(void)inode;
	if (atomic_read(&e->in_flight))
		atomic_inc(&e->released_in_flight);
	atomic_inc(&e->releases);
	e->magic = 0;
	return 0;
}

static const struct file_operations fs_exit_ioctl_fops = {
	.unlocked_ioctl = fs_exit_ioctl_wait,
	.release = fs_exit_ioctl_release,
};

static void *fs_exit_ioctl_caller(void *arg)
{
	struct task_struct *tsk = arg;
	struct fs_exit_ioctl *e;
	struct file *file;

	compat_set_current(tsk);
	file = fget(0);
	e = file->private_data;
	fput(file);
	e->ret = ksys_ioctl(0, FS_EXIT_IOC_WAIT, 0);
	e->released_at_return = atomic_read(&e->releases);
	/* The new descriptor works until the thread lets go. */
	if (e->ret >= 0)
		e->ret_fd_ioctl = ksys_ioctl(e->ret, FS_TEST_IOC_ADD_ONE, 1);
	compat_set_current(NULL);
	return NULL;
}

static void fs_exit_during_ioctl(struct kunit *test)
{
	struct fs_exit_ioctl e = { .magic = FS_EXIT_MAGIC };
	struct fs_test_ctx *ctx = test->priv;
	struct task_struct *tsk;
	pthread_t t;

	init_completion(&e.entered);
	init_completion(&e.exited);
	tsk = task_create("exit_ioctl", NULL, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tsk);
	compat_set_current(tsk);
	KUNIT_EXPECT_EQ(test, anon_inode_getfd("fs_exit", &fs_exit_ioctl_fops,
					       &e, O_RDWR), 0);
	compat_set_current(ctx->tsk);
	KUNIT_ASSERT_EQ(test, pthread_create(&t, NULL, fs_exit_ioctl_caller,
					     tsk), 0);

	wait_for_completion(&e.entered);
	task_exit(tsk);		/* tsk now lives on the caller's reference */
	KUNIT_EXPECT_EQ(test, atomic_read(&e.releases), 0);
	complete(&e.exited);
	pthread_join(t, NULL);

	KUNIT_EXPECT_EQ(test, e.ret, 1L);	/* fd 0 is still taken */
	KUNIT_EXPECT_EQ(test, e.ret_fd_ioctl, 2L);
	KUNIT_EXPECT_EQ(test, e.released_at_return, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&e.released_in_flight), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&e.releases), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&e.cnt.releases), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&e.cnt.ioctls), 1);
}

/* ---- allocation failures ---------------------------------------------- */

struct fs_fail_ctx {
	struct fs_counter *cnt;
	int expect_fd;
	int fd;
	struct file *file;
	struct task_struct *tsk;
};

static int fs_fail_getfd(void *arg)
{
	struct fs_fail_ctx *c = arg;

	c->fd = fs_open(c->cnt);
	return c->fd < 0 ? c->fd : 0;
}

/* After a failed round: no ->release, and the number was not consumed. */
static bool fs_fail_getfd_check(struct kunit *test, void *arg)
{
	struct fs_fail_ctx *c = arg;
	int fd;

	KUNIT_EXPECT_EQ(test, c->fd, -ENOMEM);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->cnt->releases), 0);
	fd = get_unused_fd_flags(0);
	KUNIT_EXPECT_EQ(test, fd, c->expect_fd);
	if (fd >= 0)
		put_unused_fd(fd);
	return fd == c->expect_fd && !atomic_read(&c->cnt->releases);
}

static int fs_fail_reserve(void *arg)
{
	struct fs_fail_ctx *c = arg;

	c->fd = get_unused_fd_flags(0);
	return c->fd < 0 ? c->fd : 0;
}

static void fs_getfd_fail_nth(struct kunit *test)
{
	struct fs_fail_ctx c = { .cnt = fs_cnt(test) };
	int rounds, i;

	/* A new process: the file is the only allocation. */
	rounds = kunit_fail_nth_check(test, fs_fail_getfd, fs_fail_getfd_check,
				      &c);
	KUNIT_EXPECT_EQ(test, rounds, 1);
	KUNIT_EXPECT_EQ(test, c.fd, 0);

	/*
	 * A full embedded table: reserving grows it (three allocations),
	 * and a failed growth leaves the old table as it was.
	 */
	for (i = 1; i < NR_OPEN_DEFAULT; i++)
		KUNIT_ASSERT_EQ(test, fs_open(c.cnt), i);
	rounds = kunit_fail_nth(test, fs_fail_reserve, &c);
	KUNIT_EXPECT_EQ(test, rounds, 3);
	KUNIT_EXPECT_EQ(test, c.fd, NR_OPEN_DEFAULT);
	put_unused_fd(c.fd);
	for (i = 0; i < NR_OPEN_DEFAULT; i += 9)
		KUNIT_EXPECT_EQ(test, ksys_ioctl(i, FS_TEST_IOC_ADD_ONE, i),
				(long)i + 1);

	/* In the grown table, the file is the only allocation again. */
	c.expect_fd = NR_OPEN_DEFAULT;
	rounds = kunit_fail_nth_check(test, fs_fail_getfd, fs_fail_getfd_check,
				      &c);
	KUNIT_EXPECT_EQ(test, rounds, 1);
	KUNIT_EXPECT_EQ(test, c.fd, NR_OPEN_DEFAULT);
	KUNIT_EXPECT_EQ(test, atomic_read(&c.cnt->releases), 0);
}

static int fs_fail_getfile(void *arg)
{
	struct fs_fail_ctx *c = arg;

	c->file = anon_inode_getfile("fs_test", &fs_test_fops, c->cnt, O_RDWR);
	return PTR_ERR_OR_ZERO(c->file);
}

static bool fs_fail_no_release(struct kunit *test, void *arg)
{
	struct fs_fail_ctx *c = arg;

	KUNIT_EXPECT_EQ(test, atomic_read(&c->cnt->releases), 0);
	return !atomic_read(&c->cnt->releases);
}

static void fs_getfile_fail_nth(struct kunit *test)
{
	struct fs_fail_ctx c = { .cnt = fs_cnt(test) };

	KUNIT_EXPECT_EQ(test, kunit_fail_nth_check(test, fs_fail_getfile,
						   fs_fail_no_release, &c), 1);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c.file);
	fput(c.file);
	KUNIT_EXPECT_EQ(test, atomic_read(&c.cnt->releases), 1);
}

static int fs_fail_task_create(void *arg)
{
	struct fs_fail_ctx *c = arg;

	c->tsk = task_create("fs_fail", NULL, GFP_KERNEL);
	return PTR_ERR_OR_ZERO(c->tsk);
}

static void fs_task_create_fail_nth(struct kunit *test)
{
	struct fs_fail_ctx c = {};

	KUNIT_EXPECT_EQ(test, kunit_fail_nth(test, fs_fail_task_create, &c), 2);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c.tsk);
	task_exit(c.tsk);
}

/* ---- misuse ----------------------------------------------------------- */

static void fs_misuse_warns(struct kunit *test)
{
	struct fs_test_ctx *ctx = test->priv;
	struct fs_counter *cnt = fs_cnt(test);
	struct file *file;
	int fd;

	/* Installing on a descriptor that was not reserved: the file is put. */
	file = anon_inode_getfile("fs_test", &fs_test_fops, cnt, O_RDWR);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, file);
	KUNIT_EXPECT_WARN(test, fd_install(3, file));
	KUNIT_EXPECT_EQ(test, atomic_read(&cnt->releases), 1);
	KUNIT_EXPECT_NULL(test, fget(3));

	/* ... or on one that already has a file. */
	fd = fs_open(cnt);
	KUNIT_ASSERT_EQ(test, fd, 0);
	file = anon_inode_getfile("fs_test", &fs_test_fops, cnt, O_RDWR);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, file);
	KUNIT_EXPECT_WARN(test, fd_install(fd, file));
	KUNIT_EXPECT_EQ(test, atomic_read(&cnt->releases), 2);
	KUNIT_EXPECT_EQ(test, ksys_ioctl(fd, FS_TEST_IOC_ADD_ONE, 1), 2L);

	/* Giving back a descriptor that is free or installed. */
	KUNIT_EXPECT_WARN(test, put_unused_fd(9));
	KUNIT_EXPECT_WARN(test, put_unused_fd(fd));
	KUNIT_EXPECT_EQ(test, ksys_ioctl(fd, FS_TEST_IOC_ADD_ONE, 1), 2L);

	KUNIT_EXPECT_WARN(test, KUNIT_EXPECT_TRUE(test, IS_ERR(
		anon_inode_getfile("fs_test", NULL, cnt, O_RDWR))));

	/* A thread that runs as no process has no descriptors. */
	compat_set_current(NULL);
	KUNIT_EXPECT_WARN(test, KUNIT_EXPECT_EQ(test,
		ksys_ioctl(fd, FS_TEST_IOC_ADD_ONE, 1), -EBADF));
	KUNIT_EXPECT_WARN(test, KUNIT_EXPECT_EQ(test,
		get_unused_fd_flags(0), -EMFILE));
	compat_set_current(ctx->tsk);
	KUNIT_EXPECT_EQ(test, atomic_read(&cnt->releases), 2);
}

static struct kunit_case fs_file_cases[] = {
	KUNIT_CASE(fs_release_on_last_fput),
	KUNIT_CASE(fs_fget_outlives_close),
	KUNIT_CASE(fs_fdget_fdput),
	KUNIT_CASE(fs_bad_descriptors),
	KUNIT_CASE(fs_ioctl_dispatch),
	KUNIT_CASE(fs_open_flags),
	KUNIT_CASE(fs_fd_lowest_free),
	KUNIT_CASE(fs_fd_table_grows),
	KUNIT_CASE(fs_exit_closes_everything),
	KUNIT_CASE(fs_processes_are_separate),
	KUNIT_CASE(fs_concurrent_fget_close),
	KUNIT_CASE(fs_fget_races_exit),
	KUNIT_CASE(fs_exit_during_ioctl),
	KUNIT_CASE(fs_getfd_fail_nth),
	KUNIT_CASE(fs_getfile_fail_nth),
	KUNIT_CASE(fs_task_create_fail_nth),
	KUNIT_CASE(fs_misuse_warns),
	{}
};

static struct kunit_suite fs_file_suite = {
	.name = "fs_file",
	.init = fs_test_init,
	.exit = fs_test_exit,
	.test_cases = fs_file_cases,
};
kunit_test_suite(fs_file_suite);

/* ---- an ioctl through the process's memory --------------------------- */

/* The argument of FS_TEST_IOC_SUM, in the process's memory. */
struct fs_test_sum {
	u64 a, b;
	u64 sum;	/* out */
};

#define FS_TEST_IOC_SUM		0x4603

/* As a uAPI driver does: copy in from current's memory, act, copy out. */
static long fs_uapi_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	struct fs_counter *cnt = file->private_data;
	struct fs_test_sum sum;

	atomic_inc(&cnt->ioctls);
	if (cmd != FS_TEST_IOC_SUM)
		return -ENOIOCTLCMD;
	if (copy_from_user(current->mm, &sum, arg, sizeof(sum)))
		return -EFAULT;
	sum.sum = sum.a + sum.b;
	if (copy_to_user(current->mm, arg, &sum, sizeof(sum)))
		return -EFAULT;
	return 0;
}

static const struct file_operations fs_uapi_fops = {
	.unlocked_ioctl = fs_uapi_ioctl,
	.release = fs_test_release,
};

static int fs_uapi_suite_init(struct kunit_suite *suite)
{
	(void)suite;
	return machine_boot(NULL);
}

static void fs_uapi_suite_exit(struct kunit_suite *suite)
{
	(void)suite;
	machine_shutdown();
}

static void fs_uapi_ioctl_through_memory(struct kunit *test)
{
	struct fs_test_sum in = { .a = 40, .b = 2 }, out = {};
	struct fs_counter cnt = {};
	struct task_struct *tsk, *prev;
	struct mm_struct *mm;
	unsigned long addr;
	int fd;

	mm = mm_alloc();
	KUNIT_ASSERT_NOT_NULL(test, mm);
	tsk = task_create("uapi", mm, GFP_KERNEL);
	if (IS_ERR(tsk))
		mmput(mm);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tsk);
	KUNIT_EXPECT_EQ(test, atomic_read(&mm->mm_users), 2);
	addr = vm_mmap(mm, 0, PAGE_SIZE, VM_READ | VM_WRITE, VM_KIND_ANON);
	KUNIT_EXPECT_FALSE(test, IS_ERR_VALUE(addr));
	/* The process writes its argument... */
	KUNIT_EXPECT_EQ(test, copy_to_user(mm, addr + 64, &in, sizeof(in)), 0UL);

	prev = compat_set_current(tsk);
	fd = anon_inode_getfd("fs_uapi", &fs_uapi_fops, &cnt, O_RDWR);
	KUNIT_EXPECT_EQ(test, fd, 0);
	/* ... and calls ioctl(fd, FS_TEST_IOC_SUM, &arg). */
	KUNIT_EXPECT_EQ(test, ksys_ioctl(fd, FS_TEST_IOC_SUM, addr + 64), 0L);
	KUNIT_EXPECT_EQ(test, ksys_ioctl(fd, FS_TEST_IOC_SUM,
					 addr + PAGE_SIZE), -EFAULT);
	KUNIT_EXPECT_EQ(test, ksys_ioctl(fd, FS_TEST_IOC_SUM, 0), -EFAULT);
	compat_set_current(prev);

	KUNIT_EXPECT_EQ(test, copy_from_user(mm, &out, addr + 64, sizeof(out)),
			0UL);
	KUNIT_EXPECT_EQ(test, out.a, 40ULL);
	KUNIT_EXPECT_EQ(test, out.sum, 42ULL);
	KUNIT_EXPECT_EQ(test, atomic_read(&cnt.ioctls), 3);

	/* Exit: the file is released and the process's mm user dropped. */
	task_exit(tsk);
	KUNIT_EXPECT_EQ(test, atomic_read(&cnt.releases), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&mm->mm_users), 1);
	mmput(mm);
}

static struct kunit_case fs_uapi_cases[] = {
	KUNIT_CASE(fs_uapi_ioctl_through_memory),
	{}
};

static struct kunit_suite fs_uapi_suite = {
	.name = "fs_uapi",
	.suite_init = fs_uapi_suite_init,
	.suite_exit = fs_uapi_suite_exit,
	.test_cases = fs_uapi_cases,
};
kunit_test_suite(fs_uapi_suite);
