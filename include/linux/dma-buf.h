/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DMA buffer sharing over range lists (drivers/dma-buf/dma-buf.c).
 * docs/dma-buf.md teaches it.
 *
 * An exporter describes a buffer's memory once, as a range list (RAM, BAR
 * memory with its P2P provider, or both) that its ops->get_physr() hands
 * out; the core maps that list (or a slice of it) for each importer's
 * device with dma_map_physr_view(), so every importer gets a DMA list for
 * its own path: IOVA, physical address, PCI bus address, or -EREMOTEIO.
 * Upstream's names and semantics, with range lists where upstream has
 * sg_tables:
 *
 *  - A buffer is a file (dma_buf_fd(), dma_buf_get()); its last reference
 *    (fput(), dma_buf_put()) releases it through ops->release.
 *  - Static importers (dma_buf_attach()) pin the buffer at attach, as
 *    6.12's dma_buf_dynamic_attach() does for a static importer of a
 *    dynamic exporter: the exporter must offer ops->pin, and a revocable
 *    buffer refuses them.  Dynamic importers (dma_buf_dynamic_attach())
 *    are told to drop their mappings by ops->move_notify, under the
 *    reservation lock (<linux/dma-resv.h>), and map again on next use; one
 *    that cannot follow moves pins the buffer (dma_buf_pin()) but is still
 *    told of a revoke.
 *  - Maps and unmaps of dynamic importers, moves and revokes happen under
 *    the buffer's dma_resv lock; dma_buf_map_attachment_unlocked() takes
 *    it for static importers.
 *  - A move is one hold of the reservation lock: dma_buf_move_notify(),
 *    then the exporter installs the new placement (what ops->get_physr()
 *    returns) before unlocking.  After it the exporter frees the old
 *    memory only once dma_buf_wait_unmapped() returned 0 or -ETIMEDOUT;
 *    after dma_buf_revoke() returns no mapping of the buffer is left and
 *    mapping it is -ENODEV until dma_buf_unrevoke().  An importer that
 *    does not unmap in time is reported by name and its device's access
 *    taken away by the core (dma_revoke_physr()); where that cannot be
 *    done the wait says -EBUSY and the memory must stay until the
 *    importer detaches.
 *  - dma_buf_put() and dma_buf_detach() may release the buffer: never
 *    call them with the reservation lock held.
 */
#ifndef _LINUX_DMA_BUF_H
#define _LINUX_DMA_BUF_H

#include <linux/completion.h>
#include <linux/dma-mapping.h>
#include <linux/dma-resv.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/physr.h>
#include <linux/types.h>

struct device;
struct dma_buf;
struct dma_buf_attachment;
struct file;

/**
 * struct dma_buf_ops - what an exporter implements
 * @attach: optional; vet a new attachment (e.g. its device's P2P reach)
 *	before it joins the buffer; an error fails the attach.  Called
 *	without the reservation lock.
 * @detach: optional; undo @attach, without the reservation lock
 * @pin: optional; keep the memory where it is until @unpin (a static
 *	importer attaches, or a dynamic one calls dma_buf_pin()).  Called
 *	under the reservation lock.  Without it static attachments and
 *	dma_buf_pin() are -EOPNOTSUPP.
 * @unpin: undo @pin, under the reservation lock
 * @get_physr: the buffer's memory as a range list of exactly
 *	dmabuf->size bytes, or an ERR_PTR.  Called under the reservation
 *	lock; the list must stay unchanged, its memory in place and its P2P
 *	providers' devices referenced until the exporter's next
 *	dma_buf_move_notify() (and dma_buf_wait_unmapped()) or
 *	dma_buf_revoke().  Not called while the buffer is revoked.
 *	Required.
 * @release: free the exporter's part; called once, at the last reference,
 *	with no attachment left.  Required.
 */
struct dma_buf_ops {
	int (*attach)(struct dma_buf *dmabuf,
		      struct dma_buf_attachment *attach);
	void (*detach)(struct dma_buf *dmabuf,
		       struct dma_buf_attachment *attach);
	int (*pin)(struct dma_buf_attachment *attach);
	void (*unpin)(struct dma_buf_attachment *attach);
	const struct physr_list *(*get_physr)(struct dma_buf *dmabuf);
	void (*release)(struct dma_buf *dmabuf);
};

/**
 * struct dma_buf_export_info - what dma_buf_export() is given
 * @exp_name: the exporter's name, for reports
 * @ops: the exporter's ops
 * @size: bytes, at least 1
 * @flags: the file's flags (O_RDWR, O_CLOEXEC)
 * @priv: the exporter's; dmabuf->priv
 * @resv: a reservation object to share (NULL: the buffer gets its own)
 * @revocable: the exporter may dma_buf_revoke() it: static (pinned)
 *	attachments are refused
 */
struct dma_buf_export_info {
	const char *exp_name;
	const struct dma_buf_ops *ops;
	size_t size;
	int flags;
	void *priv;
	struct dma_resv *resv;
	bool revocable;
};

/**
 * struct dma_buf - a shared buffer
 * @size: bytes
 * @file: its file; NULL once released (a buffer kept by attachments)
 * @ops: the exporter's ops
 * @exp_name: the exporter's name
 * @priv: the exporter's
 * @resv: the reservation object (its own @__resv or the exporter's)
 *
 * The other fields are private to drivers/dma-buf/dma-buf.c.
 */
struct dma_buf {
	size_t size;
	struct file *file;
	const struct dma_buf_ops *ops;
	const char *exp_name;
	void *priv;
	struct dma_resv *resv;

	/* private: */
	struct dma_resv __resv;
	struct kref refs;		/* the file, and one per attachment */
	struct list_head attachments;	/* under @resv */
	bool revocable;
	bool revoked;			/* under @resv */
	bool notifying;			/* in move_notify callbacks, @resv */
	unsigned long nr_stale;		/* holds told to go, under @resv */
	struct completion stale_gone;	/* @nr_stale reached 0 */
	unsigned int unmap_timeout_ms;
};

/**
 * struct dma_buf_attach_ops - a dynamic importer's callbacks
 * @allow_peer2peer: the importer accepts P2P (BAR) memory; without it a
 *	buffer with P2P ranges is -EREMOTEIO to map
 * @move_notify: the buffer moves (or is revoked): stop the device's use
 *	of every mapping (and of the list from dma_buf_get_physr()) before
 *	returning, and unmap them (and dma_buf_put_physr()) now, the lock
 *	is held, or soon; map again on next use, after the lock was dropped
 *	(mapping from within move_notify is -EAGAIN: the new placement is
 *	not installed yet).  Called under the reservation lock.  Required.
 */
struct dma_buf_attach_ops {
	bool allow_peer2peer;
	void (*move_notify)(struct dma_buf_attachment *attach);
};

/**
 * struct dma_buf_attachment - one importer's device attached to a buffer
 * @dmabuf: the buffer
 * @dev: the importer's device, which the mappings are for
 * @importer_ops: the dynamic importer's ops; NULL for a static one
 * @importer_priv: the importer's
 * @peer2peer: P2P memory may be mapped for it
 * @forced_unmaps: mappings (and lists from dma_buf_get_physr()) the
 *	importer did not let go of in time after a move or revoke, whose
 *	access the core took away or, where it could not, left to the
 *	exporter to keep (reported)
 *
 * The other fields are private.
 */
struct dma_buf_attachment {
	struct dma_buf *dmabuf;
	struct device *dev;
	const struct dma_buf_attach_ops *importer_ops;
	void *importer_priv;
	bool peer2peer;
	unsigned int forced_unmaps;

	/* private: */
	struct list_head node;		/* in dmabuf->attachments */
	struct list_head mappings;	/* under dmabuf->resv */
	unsigned int pinned;		/* static: 1; else dma_buf_pin()s */
	bool physr_held;		/* dma_buf_get_physr() until put */
	bool physr_stale;		/* ... and told to go */
};

/**
 * struct dma_buf_map - an attachment's mapping of a slice of a buffer
 * @state: the DMA API's state; @state.dma is the DMA list to give the
 *	device (<linux/dma-list.h>)
 * @offset: first byte of the slice in the buffer
 * @len: bytes of the slice
 * @dir: the direction it was mapped for
 *
 * Made by dma_buf_map_attachment(), freed by dma_buf_unmap_attachment().
 * The other fields are private.
 */
struct dma_buf_map {
	struct dma_map_state state;
	u64 offset;
	u64 len;
	enum dma_data_direction dir;

	/* private: */
	struct dma_buf_attachment *attach;
	struct list_head node;		/* in attach->mappings */
	bool stale;			/* moved or revoked: to be unmapped */
	bool revoked;			/* the core revoked it: dma_revoke_physr() */
};

/**
 * dma_buf_attachment_is_dynamic() - does the importer take move_notify?
 * @attach: the attachment
 *
 * Return: true for dma_buf_dynamic_attach()'s attachments.
 */
static inline bool
dma_buf_attachment_is_dynamic(const struct dma_buf_attachment *attach)
{
	return attach->importer_ops != NULL;
}

/* ---- the buffer and its file --------------------------------------------- */

struct dma_buf *dma_buf_export(const struct dma_buf_export_info *exp_info);
int dma_buf_fd(struct dma_buf *dmabuf, int flags);
struct dma_buf *dma_buf_get(int fd);
void get_dma_buf(struct dma_buf *dmabuf);
void dma_buf_put(struct dma_buf *dmabuf);

/* ---- importers ------------------------------------------------------------ */

struct dma_buf_attachment *dma_buf_attach(struct dma_buf *dmabuf,
					  struct device *dev);
struct dma_buf_attachment *
dma_buf_dynamic_attach(struct dma_buf *dmabuf, struct device *dev,
		       const struct dma_buf_attach_ops *importer_ops,
		       void *importer_priv);
void dma_buf_detach(struct dma_buf *dmabuf, struct dma_buf_attachment *attach);
struct dma_buf_map *dma_buf_map_attachment(struct dma_buf_attachment *attach,
					   u64 offset, u64 len,
					   enum dma_data_direction dir);
struct dma_buf_map *
dma_buf_map_attachment_unlocked(struct dma_buf_attachment *attach,
				u64 offset, u64 len,
				enum dma_data_direction dir);
void dma_buf_unmap_attachment(struct dma_buf_attachment *attach,
			      struct dma_buf_map *map);
void dma_buf_unmap_attachment_unlocked(struct dma_buf_attachment *attach,
				       struct dma_buf_map *map);
bool dma_buf_map_is_stale(const struct dma_buf_map *map);
int dma_buf_get_physr(struct dma_buf_attachment *attach,
		      struct physr_view *view);
void dma_buf_put_physr(struct dma_buf_attachment *attach);
int dma_buf_pin(struct dma_buf_attachment *attach);
void dma_buf_unpin(struct dma_buf_attachment *attach);

/* ---- exporters ------------------------------------------------------------ */

int dma_buf_move_notify(struct dma_buf *dmabuf);
int dma_buf_wait_unmapped(struct dma_buf *dmabuf);
int dma_buf_revoke(struct dma_buf *dmabuf);
void dma_buf_unrevoke(struct dma_buf *dmabuf);
void dma_buf_set_unmap_timeout(struct dma_buf *dmabuf, unsigned int ms);

#endif /* _LINUX_DMA_BUF_H */
