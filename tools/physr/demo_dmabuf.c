// SPDX-License-Identifier: GPL-2.0
/*
 * physr demo, the DMA-buf part (the last step, on demo_dma()'s board:
 * the default one plus hb1 without an IOMMU, gpu2 below it).
 *
 * One buffer, exported revocable by physr_heap (drivers/dma-buf/) in
 * gpu0's BAR2 ("VRAM"), and three dynamic importers that accept P2P
 * memory, whose move_notify unmaps.  The buffer reaches them on three
 * paths: the nic by bus address across the switch and gpu1 through the
 * IOMMU and the host bridge while it is VRAM; gpu2, behind another host
 * bridge, cannot reach the BAR (-EREMOTEIO) and maps it directly once
 * the buffer is evicted to RAM.  So the three paths are shown on one
 * buffer across its move; no heap buffer is VRAM and RAM at once.
 *
 *  - share: the nic writes by bus address, gpu1 reads through the host
 *    bridge, the CPU reads at the BAR;
 *  - move: physr_heap_evict(); the two mapped importers are told and
 *    unmap, all three map again, gpu2 reads the bytes that came along,
 *    gpu1 writes new ones that the others and the CPU read in RAM, and
 *    the BAR still holds the old bytes;
 *  - revoke: physr_heap_revoke(); no DMA mapping is left, gpu1's read at
 *    its old IOVA faults in the IOMMU, gpu2's at its old address is
 *    reported by the DMA sanitizer, mapping again is -ENODEV; after the
 *    last detach and put the allocation counters and the free pages are
 *    what they were before the export.
 *
 * Every line printed is deterministic: the machine is.
 */
#include <stdio.h>
#include <string.h>

#include <linux/dma-buf.h>
#include <linux/dma-debug.h>
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/fault-inject.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/pci-p2pdma.h>
#include <linux/physr.h>
#include <linux/sizes.h>

#include "drivers/dma-buf/physr_heap.h"
#include "sim/dma.h"
#include "sim/iommu.h"
#include "sim/sim.h"
#include "tools/physr/physr.h"

#define DEMO_BUF_SIZE	SZ_1M
/* Where in gpu0's BAR2 the buffer lies: clear of the P2P step's bytes. */
#define DEMO_BUF_OFFSET	SZ_32M
#define DEMO_NR_IMP	3

/*
 * A dynamic importer of the demo.
 * @map: its mapping of the whole buffer, NULL when it has none
 * @notified: move_notify calls
 */
struct demo_imp {
	const char *name;
	struct pci_dev *pdev;
	struct dma_buf_attachment *attach;
	struct dma_buf_map *map;
	unsigned int notified;
};

/* Under the reservation lock: drop the mapping, map again on next use. */
static void demo_imp_move_notify(struct dma_buf_attachment *attach)
{
	struct demo_imp *imp = attach->importer_priv;

	imp->notified++;
	if (!imp->map)
		return;
	dma_buf_unmap_attachment(attach, imp->map);
	imp->map = NULL;
}

static const struct dma_buf_attach_ops demo_imp_ops = {
	.allow_peer2peer = true,
	.move_notify = demo_imp_move_notify,
};

static int demo_imp_map(struct demo_imp *imp)
{
	struct dma_buf_map *map;

	map = dma_buf_map_attachment_unlocked(imp->attach, 0, DEMO_BUF_SIZE,
					      DMA_BIDIRECTIONAL);
	if (IS_ERR(map))
		return PTR_ERR(map);
	imp->map = map;
	return 0;
}

static void demo_imp_unmap(struct demo_imp *imp)
{
	if (imp->map)
		dma_buf_unmap_attachment_unlocked(imp->attach, imp->map);
	imp->map = NULL;
}

static void demo_fill(u8 *p, u64 len, u8 seed)
{
	u64 i;

	for (i = 0; i < len; i++)
		p[i] = (u8)(i * 151 + seed + (i >> 12));
}

/* The importer's device reads (writes) its whole mapping. */
static int demo_imp_io(struct demo_imp *imp, u8 *buf, bool write)
{
	struct dma_list_iter di;
	struct dma_range r;
	int ret;

	dma_list_for_each(&imp->map->state.dma, &di, &r) {
		ret = write ? sim_dma_write(imp->pdev->dev.rid, r.addr, buf, r.len) :
			      sim_dma_read(imp->pdev->dev.rid, r.addr, buf, r.len);
		if (ret)
			return ret;
		buf += r.len;
	}
	return 0;
}

/* The device reads the buffer: 0 if it holds @want. */
static int demo_imp_check(struct demo_imp *imp, const u8 *want, u8 *got)
{
	int ret;

	memset(got, 0, DEMO_BUF_SIZE);
	ret = demo_imp_io(imp, got, false);
	if (!ret && memcmp(got, want, DEMO_BUF_SIZE))
		ret = -EIO;
	if (ret)
		printf("  %s reads the buffer: MISMATCH (%d)\n", imp->name, ret);
	return ret;
}

/* The CPU reads the buffer where it is now (dma_buf_get_physr()). */
static int demo_cpu_read(struct demo_imp *imp, u8 *got)
{
	struct dma_buf *dmabuf = imp->attach->dmabuf;
	struct physr_view view;
	struct physr_iter it;
	struct physr r;
	int ret;

	dma_resv_lock(dmabuf->resv, NULL);
	ret = dma_buf_get_physr(imp->attach, &view);
	if (!ret) {
		physr_view_for_each(&view, &it, &r) {
			ret = sim_cpu_read(r.addr, got, r.len);
			if (ret)
				break;
			got += r.len;
		}
		dma_buf_put_physr(imp->attach);
	}
	dma_resv_unlock(dmabuf->resv);
	return ret;
}

/* One line per importer: its path and what its DMA list starts with. */
static void demo_imp_describe(struct demo_imp *imp, const char *path)
{
	const struct dma_list *dl = &imp->map->state.dma;

	printf("    %-5s %-16s at %#-14llx %4llu segment%s\n", imp->name, path,
	       (unsigned long long)dma_list_first_addr(dl),
	       (unsigned long long)dma_list_nr_ranges(dl),
	       dma_list_nr_ranges(dl) == 1 ? "" : "s");
}

static const char *demo_path_name(struct device *dev)
{
	switch (dma_dev_path(dev)) {
	case DMA_PATH_IOMMU:
		return "iommu";
	case DMA_PATH_DIRECT:
		return "direct";
	case DMA_PATH_BYPASS:
		return "bypass";
	default:
		return "none";
	}
}

/* In VRAM: the nic writes by bus address, gpu1 and the CPU read. */
static int demo_dmabuf_share(struct demo_imp *imp, struct p2pdma_provider *p,
			     u8 *src, u8 *dst)
{
	struct demo_imp *nic = &imp[0], *gpu1 = &imp[1], *gpu2 = &imp[2];
	int i, ret;

	printf("\nDMA-buf: one %u KiB buffer exported revocable by physr_heap in gpu0's\n"
	       "BAR2 (\"VRAM\" at %#llx); three dynamic importers attach and map it:\n",
	       DEMO_BUF_SIZE >> 10,
	       (unsigned long long)(p->base + DEMO_BUF_OFFSET));
	for (i = 0; i < 2; i++) {
		ret = demo_imp_map(&imp[i]);
		if (ret) {
			printf("  %s: map FAILED (%d)\n", imp[i].name, ret);
			return ret;
		}
		demo_imp_describe(&imp[i], pci_p2pdma_map_type_name(
				  pci_p2pdma_map_type(p, &imp[i].pdev->dev)));
	}
	ret = demo_imp_map(gpu2);
	if (ret != -EREMOTEIO) {
		printf("  gpu2: map of the BAR gave %d, not -EREMOTEIO\n", ret);
		return -EIO;
	}
	printf("    %-5s -EREMOTEIO: behind hb1, another host bridge, it cannot reach the BAR\n",
	       gpu2->name);

	demo_fill(src, DEMO_BUF_SIZE, 5);
	ret = demo_imp_io(nic, src, true);
	if (!ret)
		ret = demo_imp_check(gpu1, src, dst);
	if (!ret)
		ret = sim_cpu_read(p->base + DEMO_BUF_OFFSET, dst, DEMO_BUF_SIZE);
	if (!ret && memcmp(src, dst, DEMO_BUF_SIZE))
		ret = -EIO;
	if (ret)
		return ret;
	printf("  the nic's DMA engine wrote it by bus address; gpu1 read it through\n"
	       "  the IOMMU and the host bridge, the CPU at the BAR: every byte matches\n");
	return 0;
}

/* Evict to RAM: importers told, remapped; DMA lands in RAM, not the BAR. */
static int demo_dmabuf_move(struct dma_buf *dmabuf, struct demo_imp *imp,
			    struct p2pdma_provider *p, u8 *src, u8 *dst)
{
	struct demo_imp *nic = &imp[0], *gpu1 = &imp[1], *gpu2 = &imp[2];
	u8 *old = dst + DEMO_BUF_SIZE, *bar = old + DEMO_BUF_SIZE;
	int i, ret;

	memcpy(old, src, DEMO_BUF_SIZE);
	ret = physr_heap_evict(dmabuf, GFP_KERNEL);
	if (ret || physr_heap_is_vram(dmabuf) || nic->map || gpu1->map ||
	    nic->notified != 1 || gpu1->notified != 1) {
		printf("  the move FAILED (%d)\n", ret);
		return ret ?: -EIO;
	}
	printf("Move: physr_heap_evict() copies it to %u RAM pages; move_notify\n"
	       "told the nic and gpu1, which unmapped; all three map it again:\n",
	       DEMO_BUF_SIZE >> PAGE_SHIFT);
	for (i = 0; i < DEMO_NR_IMP; i++) {
		ret = demo_imp_map(&imp[i]);
		if (ret) {
			printf("  %s: map FAILED (%d)\n", imp[i].name, ret);
			return ret;
		}
		demo_imp_describe(&imp[i], demo_path_name(&imp[i].pdev->dev));
	}
	ret = demo_imp_check(gpu2, old, dst);
	if (ret)
		return ret;
	printf("  gpu2 read the nic's bytes in RAM, directly: every byte came along\n");

	demo_fill(src, DEMO_BUF_SIZE, 6);
	ret = demo_imp_io(gpu1, src, true);
	if (!ret)
		ret = demo_imp_check(nic, src, dst);
	if (!ret)
		ret = demo_imp_check(gpu2, src, dst);
	if (!ret)
		ret = demo_cpu_read(gpu1, dst);
	if (!ret && memcmp(src, dst, DEMO_BUF_SIZE))
		ret = -EIO;
	if (!ret)
		ret = sim_cpu_read(p->base + DEMO_BUF_OFFSET, bar, DEMO_BUF_SIZE);
	if (!ret && memcmp(bar, old, DEMO_BUF_SIZE)) {
		printf("  the BAR was written after the move\n");
		ret = -EIO;
	}
	if (ret)
		return ret;
	printf("  gpu1 wrote new bytes through the IOMMU; the nic, gpu2 and the CPU read\n"
	       "  them in the RAM pages: every byte matches; the BAR still holds the\n"
	       "  old bytes: untouched\n");
	return 0;
}

/* gpu1 reads at its old IOVA: 0 if the IOMMU refused it and logged it. */
static int demo_dmabuf_gpu1_faults(struct demo_imp *gpu1, dma_addr_t iova,
				   u8 *buf)
{
	struct sim_iommu_fault fault;
	unsigned int unit = gpu1->pdev->dev.iommu_unit;
	int ret;

	while (!sim_iommu_read_fault(unit, &fault))
		;
	ret = sim_dma_read(gpu1->pdev->dev.rid, iova, buf, SZ_4K);
	if (ret != -EFAULT || sim_iommu_read_fault(unit, &fault)) {
		printf("  gpu1 reads at its old IOVA: %d, no fault logged\n",
		       ret);
		return -EIO;
	}
	iommu_poll_faults();
	printf("  gpu1 reads at its old IOVA %#llx: -EFAULT, the IOMMU logged a\n"
	       "    %s fault: %s (level %u)\n",
	       (unsigned long long)iova,
	       fault.access == SIM_IOMMU_ACCESS_WRITE ? "write" : "read",
	       sim_iommu_fault_reason_name(fault.reason), fault.level);
	return 0;
}

/* Revoke: nothing mapped, devices refused or reported, map -ENODEV. */
static int demo_dmabuf_revoke(struct dma_buf *dmabuf, struct demo_imp *imp,
			      u8 *buf)
{
	struct demo_imp *gpu1 = &imp[1], *gpu2 = &imp[2];
	dma_addr_t iova = dma_list_first_addr(&gpu1->map->state.dma);
	/* gpu2's DMA list is a view of the heap's list: keep the address. */
	dma_addr_t phys = dma_list_first_addr(&gpu2->map->state.dma);
	unsigned long live = 0, reports;
	int i, ret;

	ret = physr_heap_revoke(dmabuf);
	for (i = 0; i < DEMO_NR_IMP; i++) {
		live += dma_debug_nr_live(&imp[i].pdev->dev);
		if (imp[i].map || imp[i].notified != 2)
			ret = ret ?: -EIO;
	}
	if (ret || live) {
		printf("  the revoke FAILED (%d, %lu live mappings)\n", ret, live);
		return ret ?: -EIO;
	}
	printf("Revoke: physr_heap_revoke(): move_notify told all three, which unmapped;\n"
	       "  live DMA mappings left on nic, gpu1, gpu2: 0, and the pages are freed\n");

	ret = demo_dmabuf_gpu1_faults(gpu1, iova, buf);
	if (ret)
		return ret;
	/* Judge gpu1's read (the sanitizer sees it too) before gpu2's. */
	dma_debug_check();
	reports = dma_debug_reports();
	sim_dma_read(gpu2->pdev->dev.rid, phys, buf, SZ_4K);
	dma_debug_check();
	if (dma_debug_reports() != reports + 1) {
		printf("  gpu2's read at its old address: no report\n");
		return -EIO;
	}
	printf("  gpu2 reads at its old address %#llx (no IOMMU): the DMA sanitizer\n"
	       "    reports an access to memory not mapped for it\n",
	       (unsigned long long)phys);
	ret = demo_imp_map(gpu1);
	if (ret != -ENODEV) {
		demo_imp_unmap(gpu1);
		printf("  gpu1 maps again: %d, not -ENODEV\n", ret);
		return -EIO;
	}
	printf("  gpu1 maps again: -ENODEV\n");
	return 0;
}

/* After the last detach and put: nothing of the buffer is left. */
static int demo_dmabuf_check_freed(const struct alloc_stats *before,
				   unsigned long free_before)
{
	struct alloc_stats after;

	alloc_stats_get(&after);
	if (after.live_allocs != before->live_allocs ||
	    after.live_bytes != before->live_bytes ||
	    nr_free_pages() != free_before) {
		printf("  after the last detach and put: %lld allocations, %lld bytes, %ld pages not freed\n",
		       (long long)(after.live_allocs - before->live_allocs),
		       (long long)(after.live_bytes - before->live_bytes),
		       (long)(free_before - nr_free_pages()));
		return -EIO;
	}
	printf("  after the last detach and put: allocations and free pages are\n"
	       "    what they were before the export\n");
	return 0;
}

static int demo_dmabuf_run(struct demo_imp *imp, struct pci_dev *gpu0,
			   u8 *src, u8 *dst)
{
	struct p2pdma_provider *p = pcim_p2pdma_provider(gpu0, 2);
	unsigned long free_before = nr_free_pages();
	struct alloc_stats before;
	struct dma_buf *dmabuf;
	int n, ret;

	if (IS_ERR(p))
		return PTR_ERR(p);
	alloc_stats_get(&before);
	dmabuf = physr_heap_alloc_vram(gpu0, 2, DEMO_BUF_OFFSET, DEMO_BUF_SIZE,
				       true);
	if (IS_ERR(dmabuf))
		return PTR_ERR(dmabuf);
	for (n = 0; n < DEMO_NR_IMP; n++) {
		imp[n].attach = dma_buf_dynamic_attach(dmabuf, &imp[n].pdev->dev,
						       &demo_imp_ops, &imp[n]);
		if (IS_ERR(imp[n].attach)) {
			ret = PTR_ERR(imp[n].attach);
			goto out_detach;
		}
	}
	ret = demo_dmabuf_share(imp, p, src, dst);
	if (!ret)
		ret = demo_dmabuf_move(dmabuf, imp, p, src, dst);
	if (!ret)
		ret = demo_dmabuf_revoke(dmabuf, imp, dst);

out_detach:
	while (n--) {
		demo_imp_unmap(&imp[n]);
		dma_buf_detach(dmabuf, imp[n].attach);
	}
	dma_buf_put(dmabuf);
	return ret ?: demo_dmabuf_check_freed(&before, free_before);
}

/**
 * demo_dmabuf() - the DMA-buf part of `physr demo`
 * @src: a scratch buffer of at least 1 MiB
 * @dst: a scratch buffer of at least 3 MiB
 *
 * Expects demo_dma()'s machine (gpu2 behind a host bridge without IOMMU).
 *
 * Return: 0, or a negative errno.
 */
int demo_dmabuf(u8 *src, u8 *dst)
{
	static const char *const names[DEMO_NR_IMP] = { "nic", "gpu1", "gpu2" };
	struct demo_imp imp[DEMO_NR_IMP] = { 0 };
	struct pci_dev *gpu0 = pci_get_by_name("gpu0");
	int i, ret = -ENODEV;

	for (i = 0; i < DEMO_NR_IMP; i++) {
		imp[i].name = names[i];
		imp[i].pdev = pci_get_by_name(names[i]);
		if (!imp[i].pdev)
			goto out_put;
	}
	if (gpu0)
		ret = demo_dmabuf_run(imp, gpu0, src, dst);
out_put:
	for (i = 0; i < DEMO_NR_IMP; i++)
		pci_dev_put(imp[i].pdev);
	pci_dev_put(gpu0);
	return ret;
}
