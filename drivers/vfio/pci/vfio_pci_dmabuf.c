// SPDX-License-Identifier: GPL-2.0
/*
 * vfio-pci's DMA buffers: pieces of a BAR exported as a DMA-buf, so that
 * other devices (a NIC, another GPU) DMA into the device's memory peer to
 * peer, with the exporter able to take that access away (docs/vfio.md).
 *
 * VFIO_DEVICE_FEATURE_DMA_BUF (GET) takes a region index and an array of
 * (offset, length) ranges of that BAR and returns a buffer descriptor.
 * The buffer's memory is one range list built once with
 * physr_list_append_p2p() under the BAR's P2P provider: adjacent ranges
 * merge, a page-aligned range costs 8 bytes, and the DMA-buf core maps it
 * (or a slice) for each importer by the fabric's path -- a bus address
 * across a switch, or an IOVA through the host bridge.  Upstream 6.19
 * keeps an array of phys_vec per buffer instead and converts it to an
 * sg_table for each importer.
 *
 * The buffer is exported revocable: importers must be dynamic and accept
 * P2P memory (ops->attach refuses others, and there is no ->pin), so
 * vfio_pci_dma_buf_move() can always take the memory away -- before the
 * device stops decoding (Memory Space Enable off, a reset) -- and give
 * it back after.  Closing the device revokes every buffer for good and
 * unlinks it from the device; the buffer itself lives on, revoked, until
 * its importers and holders let go.
 *
 * Locking: the device's @memory_lock (held for writing) covers its list
 * of buffers and each buffer's @revoked; the reservation lock nests
 * inside it.  A buffer holds a reference on the vfio_device (hence on
 * the PCI function, whose BAR its list describes) until released.
 */
#include <linux/bug.h>
#include <linux/dma-buf.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/fcntl.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/pci.h>
#include <linux/pci-p2pdma.h>
#include <linux/physr.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <uapi/linux/vfio.h>

#include "vfio_pci_priv.h"

/**
 * struct vfio_pci_dma_buf - one exported buffer
 * @dmabuf: the DMA-buf
 * @vdev: the device, referenced until release
 * @node: in @vdev->dmabufs; empty once the device closed
 * @list: the buffer's memory, fixed at export
 * @provider: the BAR's P2P provider
 * @revoked: access taken away (@vdev->memory_lock)
 */
struct vfio_pci_dma_buf {
	struct dma_buf *dmabuf;
	struct vfio_pci_core_device *vdev;
	struct list_head node;
	struct physr_list list;
	struct p2pdma_provider *provider;
	bool revoked;
};

/*
 * Only importers that follow revokes and take P2P memory, on a path the
 * fabric offers.  -EOPNOTSUPP for the first, as upstream's; -EREMOTEIO
 * for an unreachable device, the DMA-buf core's word for it.
 */
static int vfio_pci_dma_buf_attach(struct dma_buf *dmabuf,
				   struct dma_buf_attachment *attach)
{
	struct vfio_pci_dma_buf *priv = dmabuf->priv;

	if (!attach->peer2peer)
		return -EOPNOTSUPP;
	if (pci_p2pdma_map_type(priv->provider, attach->dev) ==
	    PCI_P2PDMA_MAP_NOT_SUPPORTED)
		return -EREMOTEIO;
	return 0;
}

static const struct physr_list *vfio_pci_dma_buf_get_physr(struct dma_buf *dmabuf)
{
	struct vfio_pci_dma_buf *priv = dmabuf->priv;

	dma_resv_assert_held(dmabuf->resv);
	return &priv->list;
}

static void vfio_pci_dma_buf_release(struct dma_buf *dmabuf)
{
	struct vfio_pci_dma_buf *priv = dmabuf->priv;
	struct vfio_pci_core_device *vdev = priv->vdev;

	down_write(&vdev->memory_lock);
	list_del_init(&priv->node);
	up_write(&vdev->memory_lock);
	physr_list_destroy(&priv->list);
	kfree(priv);
	vfio_device_put(&vdev->vdev);
}

/* No ->pin: the buffer must stay revocable. */
static const struct dma_buf_ops vfio_pci_dma_buf_ops = {
	.attach = vfio_pci_dma_buf_attach,
	.get_physr = vfio_pci_dma_buf_get_physr,
	.release = vfio_pci_dma_buf_release,
};

/**
 * vfio_pci_dma_buf_move() - revoke or give back every buffer of a device
 * @vdev: the device, @memory_lock held for writing
 * @revoked: true before decode goes off; false once it is on again
 *
 * Revoking returns once no importer holds a mapping its device can use
 * (dma_buf_revoke(): each importer's move_notify, then the wait).
 *
 * Return: 0, or the first error of dma_buf_revoke(): -ETIMEDOUT (an
 * importer's access was taken away by force, reported) or -EBUSY (an
 * importer's device may still reach the BAR, reported by the core).
 */
int vfio_pci_dma_buf_move(struct vfio_pci_core_device *vdev, bool revoked)
{
	struct vfio_pci_dma_buf *priv;
	int ret = 0, err;

	list_for_each_entry(priv, &vdev->dmabufs, node) {
		if (priv->revoked == revoked)
			continue;
		if (revoked) {
			err = dma_buf_revoke(priv->dmabuf);
			if (err && !ret)
				ret = err;
		} else {
			dma_buf_unrevoke(priv->dmabuf);
		}
		priv->revoked = revoked;
	}
	return ret;
}

/**
 * vfio_pci_dma_buf_cleanup() - the device closes: revoke for good
 * @vdev: the device, @memory_lock held for writing
 *
 * Every buffer is revoked and unlinked: nothing gives it back.
 */
void vfio_pci_dma_buf_cleanup(struct vfio_pci_core_device *vdev)
{
	struct vfio_pci_dma_buf *priv, *tmp;

	vfio_pci_dma_buf_move(vdev, true);
	list_for_each_entry_safe(priv, tmp, &vdev->dmabufs, node)
		list_del_init(&priv->node);
}

/* ---- export ----------------------------------------------------------------- */

/* Heap sort of ranges by offset, for the overlap check. */
static void vfio_pci_sift(struct vfio_region_dma_range *r, size_t i, size_t n)
{
	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= n)
			return;
		if (c + 1 < n && r[c + 1].offset > r[c].offset)
			c++;
		if (r[i].offset >= r[c].offset)
			return;
		swap(r[i], r[c]);
		i = c;
	}
}

static void vfio_pci_sort_ranges(struct vfio_region_dma_range *r, size_t n)
{
	size_t i;

	for (i = n / 2; i-- > 0;)
		vfio_pci_sift(r, i, n);
	for (i = n; i-- > 1;) {
		swap(r[0], r[i]);
		vfio_pci_sift(r, 0, i);
	}
}

/* Does a range of @r (sorted by offset) overlap the next one? */
static bool vfio_pci_ranges_overlap(const struct vfio_region_dma_range *r,
				    u32 nr)
{
	u32 i;

	for (i = 1; i < nr; i++)
		if (r[i - 1].offset + r[i - 1].length > r[i].offset)
			return true;
	return false;
}

/*
 * Each range inside the BAR, page aligned, not empty; the total size in
 * *@size; no two overlapping.  Ranges given in ascending order (the
 * common case) are checked as they are; others on a sorted copy.
 */
static int vfio_pci_check_ranges(const struct vfio_region_dma_range *r,
				 u32 nr, u64 bar_len, u64 *size)
{
	struct vfio_region_dma_range *sorted;
	u64 end, total = 0;
	bool ascending = true;
	int ret = 0;
	u32 i;

	for (i = 0; i < nr; i++) {
		if (!r[i].length || !PAGE_ALIGNED(r[i].offset) ||
		    !PAGE_ALIGNED(r[i].length))
			return -EINVAL;
		if (check_add_overflow(r[i].offset, r[i].length, &end) ||
		    check_add_overflow(total, r[i].length, &total))
			return -EOVERFLOW;
		if (end > bar_len)
			return -EINVAL;
		if (i && r[i].offset < r[i - 1].offset)
			ascending = false;
	}
	if (ascending) {
		ret = vfio_pci_ranges_overlap(r, nr) ? -EINVAL : 0;
	} else {
		sorted = kvmalloc_array(nr, sizeof(*r), GFP_KERNEL);
		if (!sorted)
			return -ENOMEM;
		memcpy(sorted, r, nr * sizeof(*r));
		vfio_pci_sort_ranges(sorted, nr);
		ret = vfio_pci_ranges_overlap(sorted, nr) ? -EINVAL : 0;
		kvfree(sorted);
	}
	if (!ret)
		*size = total;
	return ret;
}

/* The ranges from the caller, checked: an array to kvfree(), or ERR_PTR. */
static struct vfio_region_dma_range *
vfio_pci_get_ranges(unsigned long uptr, u32 nr, u64 bar_len, u64 *size)
{
	struct vfio_region_dma_range *r;
	int ret;

	r = kvmalloc_array(nr, sizeof(*r), GFP_KERNEL);
	if (!r)
		return ERR_PTR(-ENOMEM);
	ret = -EFAULT;
	if (copy_from_user(current->mm, r, uptr, nr * sizeof(*r)))
		goto out_free;
	ret = vfio_pci_check_ranges(r, nr, bar_len, size);
	if (ret)
		goto out_free;
	return r;

out_free:
	kvfree(r);
	return ERR_PTR(ret);
}

/* A buffer of @r's ranges of @provider's BAR: its list built, not exported. */
static struct vfio_pci_dma_buf *
vfio_pci_dma_buf_alloc(struct p2pdma_provider *provider,
		       const struct vfio_region_dma_range *r, u32 nr)
{
	struct vfio_pci_dma_buf *priv;
	u32 i;

	priv = kzalloc(sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return NULL;
	physr_list_init(&priv->list);
	INIT_LIST_HEAD(&priv->node);
	priv->provider = provider;
	for (i = 0; i < nr; i++) {
		if (physr_list_append_p2p(&priv->list, provider,
					  provider->base + r[i].offset,
					  r[i].length, GFP_KERNEL)) {
			physr_list_destroy(&priv->list);
			kfree(priv);
			return NULL;
		}
	}
	return priv;
}

/* Export @priv under @memory_lock, unless decode is off.  Return: 0/-errno. */
static int vfio_pci_dma_buf_export(struct vfio_pci_core_device *vdev,
				   struct vfio_pci_dma_buf *priv, u64 size,
				   u32 open_flags)
{
	struct dma_buf_export_info info = {
		.exp_name = "vfio-pci",
		.ops = &vfio_pci_dma_buf_ops,
		.size = size,
		.flags = open_flags & O_ACCMODE,
		.priv = priv,
		.revocable = true,
	};
	int ret = 0;

	down_write(&vdev->memory_lock);
	if (!vdev->open)
		ret = -ENODEV;
	else if (!vdev->mem_enabled)
		ret = -EINVAL;
	if (ret)
		goto out_unlock;
	priv->dmabuf = dma_buf_export(&info);
	if (IS_ERR(priv->dmabuf)) {
		ret = PTR_ERR(priv->dmabuf);
		goto out_unlock;
	}
	priv->vdev = vdev;
	vfio_device_get(&vdev->vdev);		/* the buffer's */
	list_add_tail(&priv->node, &vdev->dmabufs);
out_unlock:
	up_write(&vdev->memory_lock);
	return ret;
}

/**
 * vfio_pci_core_feature_dma_buf() - VFIO_DEVICE_FEATURE_DMA_BUF
 * @vdev: the device
 * @flags: the feature call's flags (GET, or PROBE)
 * @arg: user address of struct vfio_device_feature_dma_buf
 * @argsz: bytes there
 *
 * Return: a descriptor of the new buffer (0 for PROBE), or -EINVAL (bad
 * flags, no or misaligned or empty or overlapping ranges, a range beyond
 * the BAR, an unknown region, memory decode off), -EOVERFLOW (a range or
 * the total wraps), -E2BIG (more than VFIO_DMA_BUF_MAX_RANGES), -ENODEV
 * (a region that is not a memory BAR; the device closing), -EFAULT,
 * -ENOMEM, -EMFILE.
 */
int vfio_pci_core_feature_dma_buf(struct vfio_pci_core_device *vdev,
				  u32 flags, unsigned long arg, size_t argsz)
{
	struct vfio_device_feature_dma_buf get;
	struct vfio_region_dma_range *ranges;
	struct p2pdma_provider *provider;
	struct vfio_pci_dma_buf *priv;
	u64 size;
	int ret, fd;

	ret = vfio_check_feature(flags, argsz, VFIO_DEVICE_FEATURE_GET,
				 sizeof(get));
	if (ret != 1)
		return ret;
	if (copy_from_user(current->mm, &get, arg, sizeof(get)))
		return -EFAULT;
	if (get.flags || !get.nr_ranges ||
	    (get.open_flags & ~(O_ACCMODE | O_CLOEXEC)))
		return -EINVAL;
	if (get.nr_ranges > VFIO_DMA_BUF_MAX_RANGES)
		return -E2BIG;
	if (struct_size(&get, dma_ranges, get.nr_ranges) > argsz)
		return -EINVAL;
	if (get.region_index >= VFIO_PCI_NUM_REGIONS)
		return -EINVAL;
	if (get.region_index >= PCI_STD_NUM_BARS ||
	    !pci_resource_len(vdev->pdev, get.region_index) ||
	    !(pci_resource_flags(vdev->pdev, get.region_index) &
	      IORESOURCE_MEM))
		return -ENODEV;
	provider = pcim_p2pdma_provider(vdev->pdev, get.region_index);
	if (IS_ERR(provider))
		return PTR_ERR(provider);

	ranges = vfio_pci_get_ranges(arg + sizeof(get), get.nr_ranges,
				     pci_resource_len(vdev->pdev,
						      get.region_index),
				     &size);
	if (IS_ERR(ranges))
		return PTR_ERR(ranges);
	priv = vfio_pci_dma_buf_alloc(provider, ranges, get.nr_ranges);
	kvfree(ranges);
	if (!priv)
		return -ENOMEM;
	ret = vfio_pci_dma_buf_export(vdev, priv, size, get.open_flags);
	if (ret) {
		physr_list_destroy(&priv->list);
		kfree(priv);
		return ret;
	}
	fd = dma_buf_fd(priv->dmabuf, get.open_flags & O_CLOEXEC);
	if (fd < 0)
		dma_buf_put(priv->dmabuf);	/* releases priv */
	return fd;
}
