/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reservation object of a DMA buffer (upstream's <linux/dma-resv.h>,
 * reduced to its lock).
 *
 * A struct dma_resv serialises everything that changes where a buffer's
 * memory is or who may reach it: the exporter moves and revokes under it,
 * dynamic importers map and unmap under it, and a range list handed out
 * by dma_buf_get_physr() is valid for as long as the holder keeps it.
 *
 * Different from upstream: a plain mutex, not a ww_mutex, so there is no
 * acquire context and no -EDEADLK back-off (take one buffer's lock at a
 * time); fences are left out (nothing here runs asynchronously: a move
 * waits for unmaps, not for fences).
 */
#ifndef _LINUX_DMA_RESV_H
#define _LINUX_DMA_RESV_H

#include <linux/lockdep.h>
#include <linux/mutex.h>

/**
 * struct dma_resv - a buffer's reservation object
 * @lock: held by whoever moves, revokes, maps or unmaps the buffer
 */
struct dma_resv {
	struct mutex lock;
};

/* Upstream's acquire context; always NULL here (no ww_mutex). */
struct ww_acquire_ctx;

/**
 * dma_resv_init() - initialise a reservation object
 * @obj: the object
 */
static inline void dma_resv_init(struct dma_resv *obj)
{
	mutex_init(&obj->lock);
}

/**
 * dma_resv_fini() - destroy a reservation object, which must be unlocked
 * @obj: the object
 */
static inline void dma_resv_fini(struct dma_resv *obj)
{
	mutex_destroy(&obj->lock);
}

/**
 * dma_resv_lock() - take a reservation object's lock
 * @obj: the object
 * @ctx: upstream's ww acquire context; must be NULL here
 *
 * May sleep.
 *
 * Return: 0 (upstream may return -EDEADLK or -EALREADY with a context).
 */
static inline int dma_resv_lock(struct dma_resv *obj,
				struct ww_acquire_ctx *ctx)
{
	WARN_ON(ctx);
	mutex_lock(&obj->lock);
	return 0;
}

/**
 * dma_resv_unlock() - release a reservation object's lock
 * @obj: the object
 */
static inline void dma_resv_unlock(struct dma_resv *obj)
{
	mutex_unlock(&obj->lock);
}

/**
 * dma_resv_held() - is the lock held (by anyone)?
 * @obj: the object
 *
 * Return: true if it is locked.
 */
static inline bool dma_resv_held(struct dma_resv *obj)
{
	return mutex_is_locked(&obj->lock);
}

/* WARN unless the calling thread holds @obj's lock. */
#define dma_resv_assert_held(obj)	lockdep_assert_held(&(obj)->lock)

#endif /* _LINUX_DMA_RESV_H */
