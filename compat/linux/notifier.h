/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/notifier.h>: blocking notifier chains,
 * the subset the driver core's bus notifiers need.
 *
 * A chain is a list of struct notifier_block sorted by priority (higher
 * first; equal priorities in registration order), under an rwsem: calls
 * walk it for read, so callbacks may sleep and several calls may run at
 * once; registration takes it for write.  A callback must not register or
 * unregister on the chain that is calling it.
 */
#ifndef _COMPAT_LINUX_NOTIFIER_H
#define _COMPAT_LINUX_NOTIFIER_H

#include <linux/errno.h>
#include <linux/rwsem.h>

#define NOTIFY_DONE		0x0000	/* don't care */
#define NOTIFY_OK		0x0001	/* suits me */
#define NOTIFY_STOP_MASK	0x8000	/* don't call further */
#define NOTIFY_BAD		(NOTIFY_STOP_MASK | 0x0002)
#define NOTIFY_STOP		(NOTIFY_OK | NOTIFY_STOP_MASK)

struct notifier_block;

typedef int (*notifier_fn_t)(struct notifier_block *nb, unsigned long action,
			     void *data);

struct notifier_block {
	notifier_fn_t notifier_call;
	struct notifier_block *next;
	int priority;
};

struct blocking_notifier_head {
	struct rw_semaphore rwsem;
	struct notifier_block *head;
};

#define BLOCKING_NOTIFIER_INIT(name)					\
	{ .rwsem = __RWSEM_INITIALIZER((name).rwsem), .head = NULL }
#define BLOCKING_NOTIFIER_HEAD(name)					\
	struct blocking_notifier_head name = BLOCKING_NOTIFIER_INIT(name)

static inline int
blocking_notifier_chain_register(struct blocking_notifier_head *nh,
				 struct notifier_block *n)
{
	struct notifier_block **nl;
	int ret = 0;

	down_write(&nh->rwsem);
	for (nl = &nh->head; *nl; nl = &(*nl)->next) {
		if (*nl == n) {
			ret = -EEXIST;
			goto out_unlock;
		}
		if (n->priority > (*nl)->priority)
			break;
	}
	n->next = *nl;
	*nl = n;
out_unlock:
	up_write(&nh->rwsem);
	return ret;
}

static inline int
blocking_notifier_chain_unregister(struct blocking_notifier_head *nh,
				   struct notifier_block *n)
{
	struct notifier_block **nl;
	int ret = -ENOENT;

	down_write(&nh->rwsem);
	for (nl = &nh->head; *nl; nl = &(*nl)->next) {
		if (*nl == n) {
			*nl = n->next;
			ret = 0;
			break;
		}
	}
	up_write(&nh->rwsem);
	return ret;
}

static inline int
blocking_notifier_call_chain(struct blocking_notifier_head *nh,
			     unsigned long val, void *v)
{
	struct notifier_block *nb;
	int ret = NOTIFY_DONE;

	down_read(&nh->rwsem);
	for (nb = nh->head; nb; nb = nb->next) {
		ret = nb->notifier_call(nb, val, v);
		if (ret & NOTIFY_STOP_MASK)
			break;
	}
	up_read(&nh->rwsem);
	return ret;
}

#endif /* _COMPAT_LINUX_NOTIFIER_H */
