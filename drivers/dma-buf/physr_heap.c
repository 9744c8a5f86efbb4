// SPDX-License-Identifier: GPL-2.0
/*
 * physr_heap: a DMA-buf exporter for tests and the demo.
 *
 * Two kinds of buffer, each described by one range list:
 *
 *  - RAM: pages from the page allocator, one at a time (so scattered),
 *    listed with physr_list_from_pages().
 *  - VRAM: a window of a GPU's BAR, listed with physr_list_append_p2p()
 *    under the BAR's provider.  The buffer holds the GPU's struct
 *    (pci_dev_get()) for as long as its list has the BAR's ranges
 *    (docs/dma.md: lists hold no provider references).  The caller picks
 *    the window; the heap does not manage VRAM.
 *
 * Eviction moves a VRAM buffer to RAM: under the reservation lock it
 * allocates the pages, tells the importers (dma_buf_move_notify(): when
 * it returns their devices no longer touch the BAR), copies the bytes
 * with the CPU (ioremap()), installs the RAM list, then, unlocked, waits
 * for the importers' unmaps (dma_buf_wait_unmapped()) before it drops the
 * BAR's list and the GPU.  A pinned buffer does not move (-EBUSY).
 *
 * The move is one hold of the lock from the notify to the new list, so
 * no importer maps between them (dma_buf_map_attachment() is -EAGAIN
 * from within move_notify).  Everything that can fail is done before the
 * importers are told: the window stays ioremap()ed while in VRAM.
 *
 * physr_heap_revoke() revokes a buffer exported revocable and frees its
 * memory at once, nobody can reach it any more -- unless the revoke says
 * an importer's device still may (-EBUSY): then the memory stays until
 * the buffer is released, after every importer detached.
 */
#include <asm/io.h>
#include <linux/dma-buf.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/fcntl.h>
#include <linux/gfp.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/pci-p2pdma.h>
#include <linux/physr.h>
#include <linux/slab.h>

#include "physr_heap.h"

/*
 * @list: where the buffer is now; empty once revoked
 * @pages, @nr_pages: its RAM, when in RAM
 * @gpu: its BAR's device, referenced while @list holds the BAR
 * @vram: the window, ioremap()ed while in VRAM: an eviction's copy
 *	allocates nothing once the importers were told
 * @pins: static attachments and dma_buf_pin()s
 * @revoked: physr_heap_revoke() was called
 */
struct physr_heap_buf {
	struct physr_list list;
	struct page **pages;
	unsigned long nr_pages;
	struct pci_dev *gpu;
	void __iomem *vram;
	unsigned int pins;
	bool revoked;
};

static void physr_heap_free_pages(struct page **pages, unsigned long nr)
{
	unsigned long i;

	if (!pages)
		return;
	for (i = 0; i < nr; i++)
		if (pages[i])
			__free_page(pages[i]);
	kfree(pages);
}

/* @nr pages and their list into @list: all or nothing. */
static struct page **physr_heap_get_pages(unsigned long nr,
					  struct physr_list *list, gfp_t gfp)
{
	struct page **pages;
	unsigned long i;

	pages = kcalloc(nr, sizeof(*pages), gfp);
	if (!pages)
		return NULL;
	for (i = 0; i < nr; i++) {
		pages[i] = alloc_page(gfp);
		if (!pages[i])
			goto out_free;
	}
	if (physr_list_from_pages(list, pages, nr, 0, (u64)nr << PAGE_SHIFT,
				  gfp))
		goto out_free;
	return pages;

out_free:
	physr_heap_free_pages(pages, nr);
	return NULL;
}

/* Drop the buffer's memory: RAM pages, or the BAR's list and the GPU. */
static void physr_heap_drop(struct physr_heap_buf *hb)
{
	physr_list_destroy(&hb->list);
	physr_heap_free_pages(hb->pages, hb->nr_pages);
	hb->pages = NULL;
	hb->nr_pages = 0;
	if (hb->vram)
		iounmap(hb->vram);
	hb->vram = NULL;
	if (hb->gpu)
		pci_dev_put(hb->gpu);
	hb->gpu = NULL;
}

static int physr_heap_pin(struct dma_buf_attachment *attach)
{
	struct physr_heap_buf *hb = attach->dmabuf->priv;

	hb->pins++;
	return 0;
}

static void physr_heap_unpin(struct dma_buf_attachment *attach)
{
	struct physr_heap_buf *hb = attach->dmabuf->priv;

	WARN_ON(!hb->pins--);
}

static const struct physr_list *physr_heap_get_physr(struct dma_buf *dmabuf)
{
	struct physr_heap_buf *hb = dmabuf->priv;

	dma_resv_assert_held(dmabuf->resv);
	if (physr_list_empty(&hb->list))
		return ERR_PTR(-ENODEV);
	return &hb->list;
}

static void physr_heap_release(struct dma_buf *dmabuf)
{
	struct physr_heap_buf *hb = dmabuf->priv;

	physr_heap_drop(hb);
	kfree(hb);
}

static const struct dma_buf_ops physr_heap_ops = {
	.pin = physr_heap_pin,
	.unpin = physr_heap_unpin,
	.get_physr = physr_heap_get_physr,
	.release = physr_heap_release,
};

static struct dma_buf *physr_heap_export(struct physr_heap_buf *hb,
					 size_t size, bool revocable)
{
	struct dma_buf_export_info info = {
		.exp_name = "physr_heap",
		.ops = &physr_heap_ops,
		.size = size,
		.flags = O_RDWR,
		.priv = hb,
		.revocable = revocable,
	};
	struct dma_buf *dmabuf = dma_buf_export(&info);

	if (IS_ERR(dmabuf)) {
		physr_heap_drop(hb);
		kfree(hb);
	}
	return dmabuf;
}

/**
 * physr_heap_alloc_ram() - a buffer of RAM pages
 * @size: bytes, a multiple of PAGE_SIZE
 * @revocable: export it revocable (no static attachments)
 * @gfp: for the pages and the list
 *
 * Return: the buffer, or ERR_PTR(-EINVAL) for a size that is 0 or not a
 * page multiple, ERR_PTR(-ENOMEM).
 */
struct dma_buf *physr_heap_alloc_ram(size_t size, bool revocable, gfp_t gfp)
{
	struct physr_heap_buf *hb;

	if (!size || !PAGE_ALIGNED(size))
		return ERR_PTR(-EINVAL);
	hb = kzalloc(sizeof(*hb), GFP_KERNEL);
	if (!hb)
		return ERR_PTR(-ENOMEM);
	physr_list_init(&hb->list);
	hb->nr_pages = size >> PAGE_SHIFT;
	hb->pages = physr_heap_get_pages(hb->nr_pages, &hb->list, gfp);
	if (!hb->pages) {
		kfree(hb);
		return ERR_PTR(-ENOMEM);
	}
	return physr_heap_export(hb, size, revocable);
}
EXPORT_SYMBOL_GPL(physr_heap_alloc_ram);

/**
 * physr_heap_alloc_vram() - a buffer in a GPU's BAR
 * @gpu: the GPU, held by the caller
 * @bar: the BAR
 * @offset: first byte of the window in the BAR
 * @size: bytes, a multiple of PAGE_SIZE
 * @revocable: export it revocable
 *
 * Return: the buffer (which holds @gpu while in VRAM), or ERR_PTR:
 * -EINVAL (bad size, a window not inside the BAR), -ENODEV (the GPU was
 * removed), -ENOMEM.
 */
struct dma_buf *physr_heap_alloc_vram(struct pci_dev *gpu, int bar,
				      u64 offset, size_t size, bool revocable)
{
	struct p2pdma_provider *provider;
	struct physr_heap_buf *hb;
	phys_addr_t start;
	int ret;

	if (!gpu || !size || !PAGE_ALIGNED(size))
		return ERR_PTR(-EINVAL);
	provider = pcim_p2pdma_provider(gpu, bar);
	if (IS_ERR(provider))
		return ERR_CAST(provider);
	if (check_add_overflow(provider->base, offset, &start))
		return ERR_PTR(-EINVAL);
	hb = kzalloc(sizeof(*hb), GFP_KERNEL);
	if (!hb)
		return ERR_PTR(-ENOMEM);
	physr_list_init(&hb->list);
	ret = physr_list_append_p2p(&hb->list, provider, start, size,
				    GFP_KERNEL);
	if (ret)
		goto out_free;
	ret = -ENOMEM;
	hb->vram = ioremap(start, size);
	if (!hb->vram)
		goto out_destroy;
	hb->gpu = pci_dev_get(gpu);
	return physr_heap_export(hb, size, revocable);

out_destroy:
	physr_list_destroy(&hb->list);
out_free:
	kfree(hb);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(physr_heap_alloc_vram);

/**
 * physr_heap_is_vram() - is a heap buffer in its GPU's BAR?
 * @dmabuf: a physr_heap buffer
 *
 * Return: true while in VRAM.
 */
bool physr_heap_is_vram(struct dma_buf *dmabuf)
{
	struct physr_heap_buf *hb = dmabuf->priv;
	bool vram;

	dma_resv_lock(dmabuf->resv, NULL);
	vram = hb->gpu != NULL;
	dma_resv_unlock(dmabuf->resv);
	return vram;
}
EXPORT_SYMBOL_GPL(physr_heap_is_vram);

/* The CPU copies the VRAM window into the pages of @to. */
static void physr_heap_copy(const void __iomem *vram, struct page **to,
			    u64 size)
{
	u64 done;

	for (done = 0; done < size; done += PAGE_SIZE)
		memcpy_fromio(page_address(to[done >> PAGE_SHIFT]),
			      vram + done, PAGE_SIZE);
}

/**
 * physr_heap_evict() - move a VRAM buffer to RAM
 * @dmabuf: a physr_heap buffer
 * @gfp: for the pages and the list
 *
 * Importers are told (move_notify), the bytes copied, and the BAR let go
 * of once every importer unmapped (or was unmapped after the timeout).
 * Called without the reservation lock.
 *
 * Return: 0 (also for a buffer already in RAM); -EBUSY while pinned,
 * -ENODEV once revoked, -ENOMEM (nothing moved, importers not told).
 */
int physr_heap_evict(struct dma_buf *dmabuf, gfp_t gfp)
{
	struct physr_heap_buf *hb = dmabuf->priv;
	struct physr_list ram = PHYSR_LIST_INIT, old;
	unsigned long nr = dmabuf->size >> PAGE_SHIFT;
	struct pci_dev *gpu;
	void __iomem *vram;
	struct page **pages;
	int ret;

	dma_resv_lock(dmabuf->resv, NULL);
	ret = -ENODEV;
	if (hb->revoked)
		goto out_unlock;
	ret = 0;
	if (!hb->gpu)
		goto out_unlock;
	ret = -EBUSY;
	if (hb->pins)
		goto out_unlock;
	ret = -ENOMEM;
	pages = physr_heap_get_pages(nr, &ram, gfp);
	if (!pages)
		goto out_unlock;
	ret = dma_buf_move_notify(dmabuf);
	if (ret)
		goto out_free;
	physr_heap_copy(hb->vram, pages, dmabuf->size);
	old = hb->list;
	gpu = hb->gpu;
	vram = hb->vram;
	hb->list = ram;
	hb->pages = pages;
	hb->nr_pages = nr;
	hb->gpu = NULL;
	hb->vram = NULL;
	dma_resv_unlock(dmabuf->resv);

	/*
	 * The stale mappings still read @old: it goes when they do.  Even
	 * if the wait says a device may still reach it (-EBUSY), what goes
	 * is only the list and the GPU reference: the BAR is not memory
	 * anyone else is given.
	 */
	dma_buf_wait_unmapped(dmabuf);
	physr_list_destroy(&old);
	iounmap(vram);
	pci_dev_put(gpu);
	return 0;

out_free:
	physr_list_destroy(&ram);
	physr_heap_free_pages(pages, nr);
out_unlock:
	dma_resv_unlock(dmabuf->resv);
	return ret;
}
EXPORT_SYMBOL_GPL(physr_heap_evict);

/**
 * physr_heap_revoke() - revoke a buffer and free its memory
 * @dmabuf: a physr_heap buffer exported revocable
 *
 * Return: as dma_buf_revoke().  The memory is freed on 0 and -ETIMEDOUT;
 * on -EBUSY an importer's device may still reach it, and it stays until
 * the buffer is released.
 */
int physr_heap_revoke(struct dma_buf *dmabuf)
{
	struct physr_heap_buf *hb = dmabuf->priv;
	int ret = dma_buf_revoke(dmabuf);

	if (ret == -EINVAL)
		return ret;
	dma_resv_lock(dmabuf->resv, NULL);
	hb->revoked = true;
	if (ret != -EBUSY)
		physr_heap_drop(hb);
	dma_resv_unlock(dmabuf->resv);
	return ret;
}
EXPORT_SYMBOL_GPL(physr_heap_revoke);
