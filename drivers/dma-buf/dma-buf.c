// SPDX-License-Identifier: GPL-2.0
/*
 * DMA buffer sharing over range lists: the core (<linux/dma-buf.h>,
 * docs/dma-buf.md).
 *
 * Lifetime.  A buffer is counted by @refs: one for its file, one per
 * attachment.  The file's references are the users' (dma_buf_get(),
 * get_dma_buf(), dma_buf_put(), a descriptor); its ->release clears
 * @file and drops the file's count.  So a buffer whose last user
 * reference went while an importer is still attached (a misuse, reported)
 * stays a valid struct until that importer detaches, and a put of it then
 * is reported instead of touching a freed file.  ops->release runs at the
 * last count, with no attachment left.
 *
 * Locking.  @resv's lock covers the attachment list, each attachment's
 * mappings, @revoked and @nr_stale.  Dynamic importers map and unmap with
 * it held (the exporter moves under it and calls their move_notify with
 * it held); the _unlocked variants take it.  Attach and detach take it.
 *
 * Moves and revokes.  dma_buf_move_notify() marks every hold an
 * importer has of the memory stale -- each live mapping, and each list
 * handed out by dma_buf_get_physr() -- and counts them in @nr_stale; each
 * unmap or put of a stale hold decrements it and the last completes
 * @stale_gone.  While the importers' move_notify callbacks run
 * (@notifying) the exporter has not installed the new placement yet, so
 * a map there is -EAGAIN rather than a fresh mapping of the old memory.
 * dma_buf_wait_unmapped(), called without the lock, waits for the
 * count; at its timeout it names each importer still holding on and
 * settles its holds: a mapping is revoked with dma_revoke_physr(), which
 * removes the IOMMU translations but keeps the IOVA reserved and the DMA
 * list intact until the importer's own unmap (so a late DMA faults
 * instead of landing in the next mapping at that IOVA, and the importer
 * never reads a freed list); a mapping reached by physical or bus
 * address, or a list in the importer's own page tables, cannot be taken
 * away, and the exporter is told (-EBUSY) to keep the memory.
 */
#include <linux/anon_inodes.h>
#include <linux/bug.h>
#include <linux/dma-buf.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/overflow.h>
#include <linux/printk.h>
#include <linux/slab.h>

/* How long a move or revoke waits for importers before unmapping them. */
#define DMA_BUF_UNMAP_TIMEOUT_MS	1000

static void dma_buf_release(struct kref *kref)
{
	struct dma_buf *dmabuf = container_of(kref, struct dma_buf, refs);

	WARN_ON(!list_empty(&dmabuf->attachments));
	dmabuf->ops->release(dmabuf);
	dma_resv_fini(&dmabuf->__resv);
	kfree(dmabuf);
}

static int dma_buf_file_release(struct inode *inode __always_unused,
				struct file *file)
{
	struct dma_buf *dmabuf = file->private_data;
	bool attached;

	dma_resv_lock(dmabuf->resv, NULL);
	WRITE_ONCE(dmabuf->file, NULL);
	attached = !list_empty(&dmabuf->attachments);
	dma_resv_unlock(dmabuf->resv);
	WARN(attached,
	     "dma-buf: %s: last reference dropped while attached; the buffer lives until the last detach\n",
	     dmabuf->exp_name);
	kref_put(&dmabuf->refs, dma_buf_release);
	return 0;
}

static const struct file_operations dma_buf_fops = {
	.release = dma_buf_file_release,
};

static bool dma_buf_export_info_valid(const struct dma_buf_export_info *info)
{
	return info && info->ops && info->ops->get_physr &&
	       info->ops->release && info->size &&
	       !info->ops->pin == !info->ops->unpin;
}

/**
 * dma_buf_export() - make a shared buffer and its file
 * @exp_info: the exporter's description (ops, size, flags, priv)
 *
 * The buffer holds one reference, its file's: dma_buf_fd() hands it to a
 * descriptor, dma_buf_put() drops it.
 *
 * Return: the buffer, or ERR_PTR(-EINVAL) (no ops, no get_physr or
 * release, pin without unpin, size 0) or ERR_PTR(-ENOMEM).
 */
struct dma_buf *dma_buf_export(const struct dma_buf_export_info *exp_info)
{
	struct dma_buf *dmabuf;
	struct file *file;

	if (!dma_buf_export_info_valid(exp_info))
		return ERR_PTR(-EINVAL);
	dmabuf = kzalloc(sizeof(*dmabuf), GFP_KERNEL);
	if (!dmabuf)
		return ERR_PTR(-ENOMEM);
	dmabuf->size = exp_info->size;
	dmabuf->ops = exp_info->ops;
	dmabuf->exp_name = exp_info->exp_name ? exp_info->exp_name : "dma-buf";
	dmabuf->priv = exp_info->priv;
	dmabuf->revocable = exp_info->revocable;
	dma_resv_init(&dmabuf->__resv);
	dmabuf->resv = exp_info->resv ? exp_info->resv : &dmabuf->__resv;
	kref_init(&dmabuf->refs);
	INIT_LIST_HEAD(&dmabuf->attachments);
	init_completion(&dmabuf->stale_gone);
	dmabuf->unmap_timeout_ms = DMA_BUF_UNMAP_TIMEOUT_MS;

	file = anon_inode_getfile("dmabuf", &dma_buf_fops, dmabuf,
				  exp_info->flags & O_ACCMODE);
	if (IS_ERR(file))
		goto out_free;
	dmabuf->file = file;
	return dmabuf;

out_free:
	dma_resv_fini(&dmabuf->__resv);
	kfree(dmabuf);
	return ERR_CAST(file);
}
EXPORT_SYMBOL_GPL(dma_buf_export);

/**
 * dma_buf_fd() - give a buffer a descriptor in the current process
 * @dmabuf: the buffer
 * @flags: descriptor flags (O_CLOEXEC)
 *
 * The caller's reference passes to the descriptor on success.
 *
 * Return: the descriptor, or -EINVAL (no buffer), -EMFILE, -ENOMEM.
 */
int dma_buf_fd(struct dma_buf *dmabuf, int flags)
{
	int fd;

	if (IS_ERR_OR_NULL(dmabuf) || !READ_ONCE(dmabuf->file))
		return -EINVAL;
	fd = get_unused_fd_flags(flags);
	if (fd < 0)
		return fd;
	fd_install(fd, dmabuf->file);
	return fd;
}
EXPORT_SYMBOL_GPL(dma_buf_fd);

/**
 * dma_buf_get() - the buffer behind a descriptor, with a reference
 * @fd: a descriptor of the current process
 *
 * Return: the buffer (dma_buf_put() when done), ERR_PTR(-EBADF) if @fd is
 * not open, ERR_PTR(-EINVAL) if it is not a buffer's.
 */
struct dma_buf *dma_buf_get(int fd)
{
	struct file *file;

	if (fd < 0)
		return ERR_PTR(-EBADF);
	file = fget(fd);
	if (!file)
		return ERR_PTR(-EBADF);
	if (file->f_op != &dma_buf_fops) {
		fput(file);
		return ERR_PTR(-EINVAL);
	}
	return file->private_data;
}
EXPORT_SYMBOL_GPL(dma_buf_get);

/**
 * get_dma_buf() - take another reference on a buffer
 * @dmabuf: a buffer the caller holds
 */
void get_dma_buf(struct dma_buf *dmabuf)
{
	struct file *file = READ_ONCE(dmabuf->file);

	if (WARN(!file, "dma-buf: %s: get of a buffer not held\n",
		 dmabuf->exp_name))
		return;
	get_file(file);
}
EXPORT_SYMBOL_GPL(get_dma_buf);

/**
 * dma_buf_put() - drop a reference on a buffer
 * @dmabuf: the buffer
 *
 * The last reference releases the buffer (once every importer detached).
 * A put of a buffer whose references are all gone while an importer keeps
 * it attached is reported and changes nothing; one of a buffer already
 * freed cannot be told from a valid one (KASAN's business, as upstream).
 */
void dma_buf_put(struct dma_buf *dmabuf)
{
	struct file *file;

	if (WARN_ON(IS_ERR_OR_NULL(dmabuf)))
		return;
	file = READ_ONCE(dmabuf->file);
	if (WARN(!file, "dma-buf: %s: put of a buffer not held\n",
		 dmabuf->exp_name))
		return;
	fput(file);
}
EXPORT_SYMBOL_GPL(dma_buf_put);

/* ---- attachments ----------------------------------------------------------- */

static struct dma_buf_attachment *
__dma_buf_attach(struct dma_buf *dmabuf, struct device *dev,
		 const struct dma_buf_attach_ops *importer_ops,
		 void *importer_priv)
{
	struct dma_buf_attachment *attach;
	int ret;

	attach = kzalloc(sizeof(*attach), GFP_KERNEL);
	if (!attach)
		return ERR_PTR(-ENOMEM);
	attach->dmabuf = dmabuf;
	attach->dev = dev;
	attach->importer_ops = importer_ops;
	attach->importer_priv = importer_priv;
	attach->peer2peer = importer_ops && importer_ops->allow_peer2peer;
	INIT_LIST_HEAD(&attach->mappings);
	if (dmabuf->ops->attach) {
		ret = dmabuf->ops->attach(dmabuf, attach);
		if (ret)
			goto out_free;
	}

	dma_resv_lock(dmabuf->resv, NULL);
	ret = -ENODEV;
	if (dmabuf->revoked)
		goto out_unlock;
	if (!importer_ops) {
		ret = dmabuf->ops->pin(attach);
		if (ret)
			goto out_unlock;
		attach->pinned = 1;
	}
	list_add_tail(&attach->node, &dmabuf->attachments);
	kref_get(&dmabuf->refs);
	dma_resv_unlock(dmabuf->resv);
	return attach;

out_unlock:
	dma_resv_unlock(dmabuf->resv);
	if (dmabuf->ops->detach)
		dmabuf->ops->detach(dmabuf, attach);
out_free:
	kfree(attach);
	return ERR_PTR(ret);
}

/**
 * dma_buf_attach() - attach a static importer's device
 * @dmabuf: the buffer, held by the caller
 * @dev: the device mappings are for
 *
 * A static importer is never told of moves, so its attachment pins the
 * buffer (ops->pin) until dma_buf_detach().  It gets no P2P memory.
 *
 * Return: the attachment, or ERR_PTR: -EINVAL (no buffer or device),
 * -EOPNOTSUPP (the exporter cannot pin, or the buffer is revocable),
 * -ENODEV (revoked), -ENOMEM, or what ops->attach or ops->pin returned.
 */
struct dma_buf_attachment *dma_buf_attach(struct dma_buf *dmabuf,
					  struct device *dev)
{
	if (IS_ERR_OR_NULL(dmabuf) || !dev)
		return ERR_PTR(-EINVAL);
	if (!dmabuf->ops->pin || dmabuf->revocable)
		return ERR_PTR(-EOPNOTSUPP);
	return __dma_buf_attach(dmabuf, dev, NULL, NULL);
}
EXPORT_SYMBOL_GPL(dma_buf_attach);

/**
 * dma_buf_dynamic_attach() - attach an importer that follows moves
 * @dmabuf: the buffer, held by the caller
 * @dev: the device mappings are for
 * @importer_ops: its callbacks (move_notify required; allow_peer2peer)
 * @importer_priv: the importer's, attach->importer_priv
 *
 * Return: the attachment, or ERR_PTR: -EINVAL (no buffer, device or
 * move_notify), -ENODEV (revoked), -ENOMEM, or what ops->attach
 * returned.
 */
struct dma_buf_attachment *
dma_buf_dynamic_attach(struct dma_buf *dmabuf, struct device *dev,
		       const struct dma_buf_attach_ops *importer_ops,
		       void *importer_priv)
{
	if (IS_ERR_OR_NULL(dmabuf) || !dev || !importer_ops ||
	    !importer_ops->move_notify)
		return ERR_PTR(-EINVAL);
	return __dma_buf_attach(dmabuf, dev, importer_ops, importer_priv);
}
EXPORT_SYMBOL_GPL(dma_buf_dynamic_attach);

static void dma_buf_stale_put(struct dma_buf *dmabuf)
{
	if (!--dmabuf->nr_stale)
		complete_all(&dmabuf->stale_gone);
}

/*
 * Unmap and free @map: under the lock.  A mapping the core revoked was
 * settled then; its unmap frees the IOVA (or bounce slots) it kept.
 */
static void __dma_buf_unmap(struct dma_buf_attachment *attach,
			    struct dma_buf_map *map)
{
	dma_unmap_physr(attach->dev, &map->state, map->dir, 0);
	if (map->stale && !map->revoked)
		dma_buf_stale_put(attach->dmabuf);
	list_del(&map->node);
	kfree(map);
}

/* Let go of the list from dma_buf_get_physr(): under the lock. */
static void __dma_buf_put_physr(struct dma_buf_attachment *attach)
{
	attach->physr_held = false;
	if (attach->physr_stale) {
		attach->physr_stale = false;
		dma_buf_stale_put(attach->dmabuf);
	}
}

/**
 * dma_buf_detach() - detach an importer
 * @dmabuf: the buffer
 * @attach: its attachment
 *
 * Mappings the importer left, a list from dma_buf_get_physr() not put
 * and a dynamic importer's pins are reported and dropped; a static
 * attachment's pin is dropped.  Called without the reservation lock; may
 * drop the buffer's last count.
 */
void dma_buf_detach(struct dma_buf *dmabuf, struct dma_buf_attachment *attach)
{
	struct dma_buf_map *map, *tmp;

	if (WARN_ON(IS_ERR_OR_NULL(attach) || attach->dmabuf != dmabuf))
		return;
	dma_resv_lock(dmabuf->resv, NULL);
	WARN(!list_empty(&attach->mappings) || attach->physr_held,
	     "dma-buf: %s: %s detached with mappings or its list left; dropping them\n",
	     dmabuf->exp_name, dev_name(attach->dev));
	list_for_each_entry_safe(map, tmp, &attach->mappings, node)
		__dma_buf_unmap(attach, map);
	if (attach->physr_held)
		__dma_buf_put_physr(attach);
	WARN(attach->importer_ops && attach->pinned,
	     "dma-buf: %s: %s detached while pinned; unpinning\n",
	     dmabuf->exp_name, dev_name(attach->dev));
	for (; attach->pinned; attach->pinned--)
		dmabuf->ops->unpin(attach);
	list_del(&attach->node);
	dma_resv_unlock(dmabuf->resv);
	if (dmabuf->ops->detach)
		dmabuf->ops->detach(dmabuf, attach);
	kfree(attach);
	kref_put(&dmabuf->refs, dma_buf_release);
}
EXPORT_SYMBOL_GPL(dma_buf_detach);

/* ---- mappings -------------------------------------------------------------- */

/* Does @view hold P2P (BAR) memory? */
static bool dma_buf_view_has_p2p(const struct physr_view *view)
{
	struct physr_iter it;
	struct physr r;

	/* A buffer of RAM alone is told apart without a walk. */
	if (!physr_view_may_have_p2p(view))
		return false;
	physr_view_for_each(view, &it, &r)
		if (physr_iter_provider(&it))
			return true;
	return false;
}

/*
 * The buffer's current list, sliced to [@offset, @offset + @len): what an
 * importer may be given.  Under the lock.
 */
static int dma_buf_slice(struct dma_buf_attachment *attach, u64 offset,
			 u64 len, struct physr_view *view)
{
	struct dma_buf *dmabuf = attach->dmabuf;
	const struct physr_list *list;
	u64 end;
	int ret;

	if (!len || check_add_overflow(offset, len, &end) || end > dmabuf->size)
		return -EINVAL;
	if (dmabuf->revoked)
		return -ENODEV;
	/* The exporter installs the new placement after the callbacks. */
	if (dmabuf->notifying)
		return -EAGAIN;
	list = dmabuf->ops->get_physr(dmabuf);
	if (IS_ERR(list))
		return PTR_ERR(list);
	if (WARN(physr_list_len(list) != dmabuf->size,
		 "dma-buf: %s: exporter gave %llu bytes for a %zu-byte buffer\n",
		 dmabuf->exp_name, (unsigned long long)physr_list_len(list),
		 dmabuf->size))
		return -EINVAL;
	ret = physr_list_slice(list, offset, len, view);
	if (ret)
		return ret;
	if (!attach->peer2peer && dma_buf_view_has_p2p(view))
		return -EREMOTEIO;
	return 0;
}

/**
 * dma_buf_map_attachment() - map a slice of a buffer for an importer
 * @attach: the attachment
 * @offset: first byte of the slice
 * @len: bytes, at least 1
 * @dir: the DMA direction
 *
 * Called with the buffer's reservation lock held.  Maps the slice of the
 * exporter's range list with dma_map_physr_view() for @attach->dev: IOVA,
 * physical or bus addresses, by the device's path and the P2P topology.
 * The mapping stays valid until unmapped or, for a dynamic importer,
 * until its move_notify is called.
 *
 * Return: the mapping (its DMA list is @map->state.dma), or ERR_PTR:
 * -EINVAL (a slice beyond the buffer, a bad direction), -ENODEV (revoked,
 * or P2P memory of a removed device), -EREMOTEIO (P2P memory the importer
 * does not accept or its device cannot reach), -EAGAIN (called from a
 * move_notify callback: map after the move, once the lock was dropped),
 * -EIO, -ENOMEM.
 */
struct dma_buf_map *dma_buf_map_attachment(struct dma_buf_attachment *attach,
					   u64 offset, u64 len,
					   enum dma_data_direction dir)
{
	struct dma_buf_map *map;
	struct physr_view view;
	int ret;

	if (WARN_ON(IS_ERR_OR_NULL(attach)))
		return ERR_PTR(-EINVAL);
	dma_resv_assert_held(attach->dmabuf->resv);
	ret = dma_buf_slice(attach, offset, len, &view);
	if (ret)
		return ERR_PTR(ret);
	map = kzalloc(sizeof(*map), GFP_KERNEL);
	if (!map)
		return ERR_PTR(-ENOMEM);
	ret = dma_map_physr_view(attach->dev, &view, dir, 0, &map->state);
	if (ret)
		goto out_free;
	map->offset = offset;
	map->len = len;
	map->dir = dir;
	map->attach = attach;
	list_add_tail(&map->node, &attach->mappings);
	return map;

out_free:
	kfree(map);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(dma_buf_map_attachment);

/**
 * dma_buf_map_attachment_unlocked() - dma_buf_map_attachment(), locking
 * @attach: the attachment
 * @offset: first byte of the slice
 * @len: bytes
 * @dir: the DMA direction
 *
 * Return: as dma_buf_map_attachment().
 */
struct dma_buf_map *
dma_buf_map_attachment_unlocked(struct dma_buf_attachment *attach,
				u64 offset, u64 len,
				enum dma_data_direction dir)
{
	struct dma_buf_map *map;

	if (WARN_ON(IS_ERR_OR_NULL(attach)))
		return ERR_PTR(-EINVAL);
	dma_resv_lock(attach->dmabuf->resv, NULL);
	map = dma_buf_map_attachment(attach, offset, len, dir);
	dma_resv_unlock(attach->dmabuf->resv);
	return map;
}
EXPORT_SYMBOL_GPL(dma_buf_map_attachment_unlocked);

/**
 * dma_buf_unmap_attachment() - unmap and free an importer's mapping
 * @attach: the attachment
 * @map: a mapping dma_buf_map_attachment() gave it
 *
 * Called with the reservation lock held (a dynamic importer's
 * move_notify runs with it held and may unmap there).  A mapping the core
 * already unmapped after a timeout is only freed.
 */
void dma_buf_unmap_attachment(struct dma_buf_attachment *attach,
			      struct dma_buf_map *map)
{
	if (WARN_ON(IS_ERR_OR_NULL(attach) || IS_ERR_OR_NULL(map) ||
		    map->attach != attach))
		return;
	dma_resv_assert_held(attach->dmabuf->resv);
	__dma_buf_unmap(attach, map);
}
EXPORT_SYMBOL_GPL(dma_buf_unmap_attachment);

/**
 * dma_buf_unmap_attachment_unlocked() - dma_buf_unmap_attachment(), locking
 * @attach: the attachment
 * @map: the mapping
 */
void dma_buf_unmap_attachment_unlocked(struct dma_buf_attachment *attach,
				       struct dma_buf_map *map)
{
	if (WARN_ON(IS_ERR_OR_NULL(attach)))
		return;
	dma_resv_lock(attach->dmabuf->resv, NULL);
	dma_buf_unmap_attachment(attach, map);
	dma_resv_unlock(attach->dmabuf->resv);
}
EXPORT_SYMBOL_GPL(dma_buf_unmap_attachment_unlocked);

/**
 * dma_buf_map_is_stale() - was the buffer moved or revoked under a mapping?
 * @map: the mapping
 *
 * Under the reservation lock.  A stale mapping must not be used; unmap it
 * and map again (which is -ENODEV after a revoke).
 *
 * Return: true if stale.
 */
bool dma_buf_map_is_stale(const struct dma_buf_map *map)
{
	return map->stale;
}
EXPORT_SYMBOL_GPL(dma_buf_map_is_stale);

/**
 * dma_buf_get_physr() - the buffer's range list, for an importer that
 *	programs an IOMMU or its own page tables itself
 * @attach: a dynamic attachment
 * @view: filled with a view of the whole buffer
 *
 * Called with the reservation lock held.  The view (and the P2P
 * providers it carries) stays valid until the importer's move_notify is
 * called: the importer must stop its device's use of the memory there
 * and let go with dma_buf_put_physr(), which a move or revoke waits for
 * as it waits for unmaps.  One list at a time per attachment.
 *
 * Return: 0; -EINVAL for a static attachment, -EBUSY while the list
 * handed out before is not put, -ENODEV once revoked, -EREMOTEIO for P2P
 * memory the importer does not accept, -EAGAIN from within move_notify.
 */
int dma_buf_get_physr(struct dma_buf_attachment *attach,
		      struct physr_view *view)
{
	int ret;

	if (WARN_ON(IS_ERR_OR_NULL(attach) || !view))
		return -EINVAL;
	dma_resv_assert_held(attach->dmabuf->resv);
	if (!dma_buf_attachment_is_dynamic(attach))
		return -EINVAL;
	if (attach->physr_held)
		return -EBUSY;
	ret = dma_buf_slice(attach, 0, attach->dmabuf->size, view);
	if (!ret)
		attach->physr_held = true;
	return ret;
}
EXPORT_SYMBOL_GPL(dma_buf_get_physr);

/**
 * dma_buf_put_physr() - let go of the list from dma_buf_get_physr()
 * @attach: the attachment
 *
 * Called with the reservation lock held (from move_notify, too), once
 * the importer's device no longer uses the memory.  A put of a list not
 * held is reported.
 */
void dma_buf_put_physr(struct dma_buf_attachment *attach)
{
	if (WARN_ON(IS_ERR_OR_NULL(attach)))
		return;
	dma_resv_assert_held(attach->dmabuf->resv);
	if (WARN(!attach->physr_held,
		 "dma-buf: %s: %s put a list it does not hold\n",
		 attach->dmabuf->exp_name, dev_name(attach->dev)))
		return;
	__dma_buf_put_physr(attach);
}
EXPORT_SYMBOL_GPL(dma_buf_put_physr);

/**
 * dma_buf_pin() - keep the buffer where it is, for a dynamic importer
 * @attach: a dynamic attachment
 *
 * For an importer that cannot follow moves (an RDMA MR whose hardware
 * cannot fault): the exporter keeps the memory in place (ops->pin) until
 * dma_buf_unpin(), and dma_buf_move_notify() is -EBUSY meanwhile.  A
 * revoke still takes the memory away: the importer's move_notify is
 * called for it.  Called with the reservation lock held; pins nest.
 *
 * Return: 0; -EINVAL for a static attachment (pinned already),
 * -EOPNOTSUPP if the exporter cannot pin, -ENODEV once revoked, or what
 * ops->pin returned.
 */
int dma_buf_pin(struct dma_buf_attachment *attach)
{
	struct dma_buf *dmabuf;
	int ret;

	if (WARN_ON(IS_ERR_OR_NULL(attach)))
		return -EINVAL;
	dmabuf = attach->dmabuf;
	dma_resv_assert_held(dmabuf->resv);
	if (!dma_buf_attachment_is_dynamic(attach))
		return -EINVAL;
	if (!dmabuf->ops->pin)
		return -EOPNOTSUPP;
	if (dmabuf->revoked)
		return -ENODEV;
	ret = dmabuf->ops->pin(attach);
	if (!ret)
		attach->pinned++;
	return ret;
}
EXPORT_SYMBOL_GPL(dma_buf_pin);

/**
 * dma_buf_unpin() - undo dma_buf_pin()
 * @attach: the attachment
 *
 * Called with the reservation lock held.  An unpin without a pin is
 * reported.
 */
void dma_buf_unpin(struct dma_buf_attachment *attach)
{
	if (WARN_ON(IS_ERR_OR_NULL(attach)))
		return;
	dma_resv_assert_held(attach->dmabuf->resv);
	if (WARN(!dma_buf_attachment_is_dynamic(attach) || !attach->pinned,
		 "dma-buf: %s: %s unpins without a pin\n",
		 attach->dmabuf->exp_name, dev_name(attach->dev)))
		return;
	attach->dmabuf->ops->unpin(attach);
	attach->pinned--;
}
EXPORT_SYMBOL_GPL(dma_buf_unpin);

/* ---- moves and revokes ----------------------------------------------------- */

/*
 * Mark every hold of the memory stale and call the dynamic importers'
 * move_notify (pinned ones too: only a revoke gets here with pins).
 */
static void __dma_buf_invalidate(struct dma_buf *dmabuf)
{
	struct dma_buf_attachment *attach;
	struct dma_buf_map *map;

	if (!dmabuf->nr_stale)
		reinit_completion(&dmabuf->stale_gone);
	list_for_each_entry(attach, &dmabuf->attachments, node) {
		list_for_each_entry(map, &attach->mappings, node) {
			if (map->stale)
				continue;
			map->stale = true;
			dmabuf->nr_stale++;
		}
		if (attach->physr_held && !attach->physr_stale) {
			attach->physr_stale = true;
			dmabuf->nr_stale++;
		}
	}
	dmabuf->notifying = true;
	list_for_each_entry(attach, &dmabuf->attachments, node)
		if (attach->importer_ops)
			attach->importer_ops->move_notify(attach);
	dmabuf->notifying = false;
	if (!dmabuf->nr_stale)
		complete_all(&dmabuf->stale_gone);
}

/**
 * dma_buf_move_notify() - tell every dynamic importer the memory moves
 * @dmabuf: the buffer
 *
 * Called by the exporter with the reservation lock held, before it
 * changes what ops->get_physr() returns; it installs the new placement
 * before dropping the lock.  Every live mapping (and list handed out by
 * dma_buf_get_physr()) becomes stale and each dynamic importer's
 * move_notify is called: when it returns, the importer's device no
 * longer touches the memory, and it unmaps there or soon after.  The
 * exporter frees the old memory only after dma_buf_wait_unmapped().
 *
 * Return: 0; -EBUSY (and nobody told) while an importer pins the buffer:
 * it must not move.
 */
int dma_buf_move_notify(struct dma_buf *dmabuf)
{
	struct dma_buf_attachment *attach;

	dma_resv_assert_held(dmabuf->resv);
	list_for_each_entry(attach, &dmabuf->attachments, node)
		if (attach->pinned)
			return -EBUSY;
	__dma_buf_invalidate(dmabuf);
	return 0;
}
EXPORT_SYMBOL_GPL(dma_buf_move_notify);

/*
 * Settle the stale holds of an importer that did not let go in time.
 * Return: 0 if its device can no longer reach the memory, -EBUSY if not.
 */
static int dma_buf_settle_stale(struct dma_buf_attachment *attach,
				unsigned int *n)
{
	struct dma_buf_map *map;
	int ret = 0;

	list_for_each_entry(map, &attach->mappings, node) {
		if (!map->stale || map->revoked)
			continue;
		if (dma_revoke_physr(attach->dev, &map->state))
			ret = -EBUSY;
		map->revoked = true;
		dma_buf_stale_put(attach->dmabuf);
		(*n)++;
	}
	if (attach->physr_stale) {
		/* In the importer's own page tables: out of our reach. */
		attach->physr_stale = false;
		dma_buf_stale_put(attach->dmabuf);
		ret = -EBUSY;
		(*n)++;
	}
	return ret;
}

/*
 * Report and settle every importer still holding stale memory.
 * Return: -ETIMEDOUT, or -EBUSY if some device may still reach it.
 */
static int dma_buf_force_unmap_stale(struct dma_buf *dmabuf)
{
	struct dma_buf_attachment *attach;
	int ret = -ETIMEDOUT;

	list_for_each_entry(attach, &dmabuf->attachments, node) {
		unsigned int n = 0;
		int busy = dma_buf_settle_stale(attach, &n);

		if (!n)
			continue;
		attach->forced_unmaps += n;
		if (busy)
			ret = busy;
		WARN(1, "dma-buf: %s: importer %s did not let go of %u mapping(s) or list(s) within %u ms of a move or revoke; %s\n",
		     dmabuf->exp_name, dev_name(attach->dev), n,
		     dmabuf->unmap_timeout_ms,
		     busy ? "its device may still reach the memory, which must stay"
			  : "its device's access was revoked");
		pr_err("dma-buf:   the importer's move_notify: %ps\n",
		       attach->importer_ops->move_notify);
	}
	return ret;
}

/**
 * dma_buf_wait_unmapped() - wait until no importer reaches the old memory
 * @dmabuf: the buffer
 *
 * Called by the exporter without the reservation lock, after
 * dma_buf_move_notify().  Waits for every stale mapping to be unmapped
 * (and list to be put); at the buffer's timeout
 * (dma_buf_set_unmap_timeout()) each importer still holding on is
 * reported by name and the core takes its device's access away with
 * dma_revoke_physr(); the importer's own unmap later frees what that
 * kept reserved.
 *
 * Return: 0, or -ETIMEDOUT if an importer's access had to be taken away:
 * either way no device reaches the old memory through this buffer and
 * the exporter may free it.  -EBUSY if an importer held on to memory the
 * core cannot take away (a mapping by physical or bus address, a list in
 * its own page tables): the exporter must keep the memory until that
 * importer detaches (e.g. free it in ops->release).
 */
int dma_buf_wait_unmapped(struct dma_buf *dmabuf)
{
	unsigned long left;
	int ret = 0;

	dma_resv_lock(dmabuf->resv, NULL);
	if (!dmabuf->nr_stale)
		goto out_unlock;
	dma_resv_unlock(dmabuf->resv);

	left = wait_for_completion_timeout(&dmabuf->stale_gone,
			msecs_to_jiffies(dmabuf->unmap_timeout_ms));

	dma_resv_lock(dmabuf->resv, NULL);
	if (!left && dmabuf->nr_stale)
		ret = dma_buf_force_unmap_stale(dmabuf);
out_unlock:
	dma_resv_unlock(dmabuf->resv);
	return ret;
}
EXPORT_SYMBOL_GPL(dma_buf_wait_unmapped);

/**
 * dma_buf_revoke() - take a buffer's memory away from every importer
 * @dmabuf: a buffer exported revocable
 *
 * Called without the reservation lock.  Tells every dynamic importer,
 * pinned ones too, through move_notify, and waits for their unmaps as
 * dma_buf_wait_unmapped() does.  After it returns no importer holds a
 * mapping its device can use, and mapping, attaching or pinning is
 * -ENODEV until dma_buf_unrevoke().  A second revoke only waits again.
 *
 * Return: 0; -ETIMEDOUT if an importer's access had to be taken away
 * (reported; the guarantees above hold all the same); -EBUSY if it could
 * not be (see dma_buf_wait_unmapped(): the memory must stay); -EINVAL
 * for a buffer not exported revocable.
 */
int dma_buf_revoke(struct dma_buf *dmabuf)
{
	if (WARN_ON(IS_ERR_OR_NULL(dmabuf)) || !dmabuf->revocable)
		return -EINVAL;
	dma_resv_lock(dmabuf->resv, NULL);
	if (!dmabuf->revoked) {
		dmabuf->revoked = true;
		__dma_buf_invalidate(dmabuf);
	}
	dma_resv_unlock(dmabuf->resv);
	return dma_buf_wait_unmapped(dmabuf);
}
EXPORT_SYMBOL_GPL(dma_buf_revoke);

/**
 * dma_buf_unrevoke() - give a revoked buffer's memory back to importers
 * @dmabuf: a buffer exported revocable
 *
 * For an exporter whose memory became reachable again (a device's memory
 * decode turned back on): importers still attached map again on next
 * use, from what ops->get_physr() now returns.  Called without the
 * reservation lock.  A buffer not revoked is left alone.
 */
void dma_buf_unrevoke(struct dma_buf *dmabuf)
{
	if (WARN_ON(IS_ERR_OR_NULL(dmabuf)) || !dmabuf->revocable)
		return;
	dma_resv_lock(dmabuf->resv, NULL);
	dmabuf->revoked = false;
	dma_resv_unlock(dmabuf->resv);
}
EXPORT_SYMBOL_GPL(dma_buf_unrevoke);

/**
 * dma_buf_set_unmap_timeout() - how long moves and revokes wait
 * @dmabuf: the buffer
 * @ms: milliseconds (default 1000) before importers are unmapped by force
 */
void dma_buf_set_unmap_timeout(struct dma_buf *dmabuf, unsigned int ms)
{
	dma_resv_lock(dmabuf->resv, NULL);
	dmabuf->unmap_timeout_ms = ms;
	dma_resv_unlock(dmabuf->resv);
}
EXPORT_SYMBOL_GPL(dma_buf_set_unmap_timeout);
