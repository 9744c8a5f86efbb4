// SPDX-License-Identifier: GPL-2.0
/*
 * DMA-buf over range lists (drivers/dma-buf/): the core and the
 * physr_heap test exporter, on the default board plus a second host
 * bridge without an IOMMU, every device in a DMA domain:
 *
 *	gpu1	through the IOMMU (IOVA)
 *	gpu2	hb1, no IOMMU: the direct path (physical addresses)
 *	nic	below GPU0's switch: GPU0's BAR by bus address
 *	gpu3	hb0, a root port of its own: a case may move its group to
 *		an identity default domain (dma_buf_test_bypass())
 *
 * Importers are dynamic (struct dma_buf_test_imp): their move_notify
 * unmaps, unless the case makes them refuse.  Devices move bytes with the
 * machine's DMA engine through the DMA lists the core made; the CPU
 * checks them at the buffer's ranges (dma_buf_get_physr()).
 */
#include <pthread.h>
#include <sched.h>

#include <kunit/fail_nth.h>
#include <kunit/test.h>
#include <linux/anon_inodes.h>
#include <linux/dma-buf.h>
#include <linux/fault-inject.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/sched/task.h>
#include <linux/syscalls.h>
#include <asm/io.h>

#include "drivers/dma-buf/physr_heap.h"
#include "tests/dma_test.h"

/* ---- the board ------------------------------------------------------------- */

static struct pci_test_board dma_buf_board;

/* A root port that isolates its device: a group of its own. */
#define DMA_BUF_TEST_RP_ACS	(SIM_PCI_ACS_SV | SIM_PCI_ACS_RR | \
				 SIM_PCI_ACS_CR | SIM_PCI_ACS_UF)

static int dma_buf_suite_init(struct kunit_suite *suite __always_unused)
{
	struct pci_test_board *tb = &dma_buf_board;
	int hb, rp;

	pci_test_board_default(tb);
	rp = pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "rpE", .type = SIM_PCI_ROOT_PORT, .parent = 0,
		.acs_cap = DMA_BUF_TEST_RP_ACS, .acs_ctrl = DMA_BUF_TEST_RP_ACS });
	pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "gpu3", .type = SIM_PCI_ENDPOINT, .parent = rp,
		.bar[0] = { SZ_1M, 0 } });
	hb = pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "hb1", .type = SIM_PCI_HOST_BRIDGE, .parent = -1,
		.vendor = 0x5ca1, .device = 0x0100, .bus = 0x40,
		.iommu_unit = SIM_PCI_NO_IOMMU, .p2p_forward = true });
	rp = pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "rpD", .type = SIM_PCI_ROOT_PORT, .parent = hb });
	pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "gpu2", .type = SIM_PCI_ENDPOINT, .parent = rp,
		.bar[0] = { SZ_1M, 0 } });
	return dma_test_boot(tb, IOMMU_DOMAIN_DMA);
}

/* ---- a dynamic importer ------------------------------------------------------ */

/*
 * @map: its mapping of [@offset, @offset + @len), NULL when unmapped
 * @refuse: move_notify does nothing (a broken importer)
 * @notified: move_notify calls
 */
struct dma_buf_test_imp {
	struct dma_buf_attachment *attach;
	struct dma_buf_map *map;
	u64 offset;
	u64 len;
	bool refuse;
	unsigned int notified;
};

static void dma_buf_test_move_notify(struct dma_buf_attachment *attach)
{
	struct dma_buf_test_imp *imp = attach->importer_priv;

	imp->notified++;
	if (imp->refuse || !imp->map)
		return;
	dma_buf_unmap_attachment(attach, imp->map);
	imp->map = NULL;
}

static const struct dma_buf_attach_ops dma_buf_test_p2p_ops = {
	.allow_peer2peer = true,
	.move_notify = dma_buf_test_move_notify,
};

static const struct dma_buf_attach_ops dma_buf_test_ram_ops = {
	.move_notify = dma_buf_test_move_notify,
};

static struct dma_buf_test_imp *dma_buf_test_attach(struct kunit *test,
						    struct dma_buf *dmabuf,
						    const char *name, bool p2p)
{
	struct dma_buf_test_imp *imp = kunit_kzalloc(test, sizeof(*imp),
						     GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, imp);
	imp->attach = dma_buf_dynamic_attach(dmabuf, dma_test_dev(test, name),
			p2p ? &dma_buf_test_p2p_ops : &dma_buf_test_ram_ops,
			imp);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, imp->attach);
	return imp;
}

/* Map (again, on next use) as importers do: 0 or the map's error. */
static int dma_buf_test_map(struct dma_buf_test_imp *imp, u64 offset, u64 len)
{
	struct dma_buf_map *map;

	imp->offset = offset;
	imp->len = len;
	map = dma_buf_map_attachment_unlocked(imp->attach, offset, len,
					      DMA_BIDIRECTIONAL);
	if (IS_ERR(map))
		return PTR_ERR(map);
	imp->map = map;
	return 0;
}

static void dma_buf_test_unmap(struct dma_buf_test_imp *imp)
{
	if (imp->map)
		dma_buf_unmap_attachment_unlocked(imp->attach, imp->map);
	imp->map = NULL;
}

static void dma_buf_test_detach(struct dma_buf_test_imp *imp)
{
	dma_buf_test_unmap(imp);
	dma_buf_detach(imp->attach->dmabuf, imp->attach);
}

static struct device *dma_buf_test_imp_dev(struct dma_buf_test_imp *imp)
{
	return imp->attach->dev;
}

/* The CPU reads (writes) [@offset, @offset + @len) of the buffer. */
static void dma_buf_test_cpu_io(struct kunit *test,
				struct dma_buf_test_imp *imp, u64 offset,
				u64 len, u8 *buf, bool write)
{
	struct dma_buf *dmabuf = imp->attach->dmabuf;
	struct physr_view whole;
	struct physr_view v;
	struct physr_iter it;
	struct physr r;
	u64 skip = offset, left = len;

	dma_resv_lock(dmabuf->resv, NULL);
	KUNIT_ASSERT_EQ(test, dma_buf_get_physr(imp->attach, &whole), 0);
	/* A slice of the whole view: walk it, skipping @offset bytes. */
	v = whole;
	physr_view_for_each(&v, &it, &r) {
		u64 n;

		if (skip >= r.len) {
			skip -= r.len;
			continue;
		}
		n = min(r.len - skip, left);
		KUNIT_EXPECT_EQ(test, write ? sim_cpu_write(r.addr + skip, buf, n) :
				sim_cpu_read(r.addr + skip, buf, n), 0);
		buf += n;
		left -= n;
		skip = 0;
		if (!left)
			break;
	}
	dma_buf_put_physr(imp->attach);
	dma_resv_unlock(dmabuf->resv);
	KUNIT_EXPECT_EQ(test, left, 0);
}

/* The importer's device reads its mapping: the bytes at @want. */
static void dma_buf_test_expect_dev_reads(struct kunit *test,
					  struct dma_buf_test_imp *imp,
					  const u8 *want)
{
	KUNIT_ASSERT_NOT_NULL(test, imp->map);
	dma_test_expect_dev_reads(test, dma_buf_test_imp_dev(imp),
				  &imp->map->state.dma, want, imp->len);
}

static struct dma_buf *dma_buf_test_ram(struct kunit *test, size_t size,
					bool revocable)
{
	struct dma_buf *dmabuf = physr_heap_alloc_ram(size, revocable,
						      GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dmabuf);
	return dmabuf;
}

static struct dma_buf *dma_buf_test_vram(struct kunit *test, size_t size,
					 bool revocable)
{
	struct dma_buf *dmabuf;

	dmabuf = physr_heap_alloc_vram(pci_test_dev(test, "gpu0"), 2, 0, size,
				       revocable);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dmabuf);
	return dmabuf;
}

/* ---- cases ----------------------------------------------------------------- */

/* One RAM buffer, three importers on two paths, and bytes both ways. */
static void dma_buf_ram_three_importers(struct kunit *test)
{
	const u64 len = SZ_128K;
	struct dma_buf *dmabuf = dma_buf_test_ram(test, len, false);
	struct dma_buf_test_imp *imp[3];
	static const char * const names[] = { "gpu1", "gpu2", "nic" };
	u8 *src = dma_test_alloc(test, len), *got = dma_test_alloc(test, len);
	int i;

	for (i = 0; i < 3; i++) {
		imp[i] = dma_buf_test_attach(test, dmabuf, names[i], false);
		KUNIT_ASSERT_EQ(test, dma_buf_test_map(imp[i], 0, len), 0);
	}
	KUNIT_EXPECT_EQ(test, dma_dev_path(dma_buf_test_imp_dev(imp[0])),
			DMA_PATH_IOMMU);
	KUNIT_EXPECT_EQ(test, dma_dev_path(dma_buf_test_imp_dev(imp[1])),
			DMA_PATH_DIRECT);
	/* IOMMU: one IOVA range; direct: the pages' own addresses. */
	KUNIT_EXPECT_NE(test, dma_list_first_addr(&imp[0]->map->state.dma),
			dma_list_first_addr(&imp[1]->map->state.dma));
	KUNIT_EXPECT_EQ(test, dma_list_heap_bytes(&imp[1]->map->state.dma), 0);

	dma_test_fill(src, len, 3);
	dma_buf_test_cpu_io(test, imp[0], 0, len, src, true);
	for (i = 0; i < 3; i++)
		dma_buf_test_expect_dev_reads(test, imp[i], src);

	/* gpu2 writes, gpu1 and the nic and the CPU read it. */
	dma_test_fill(src, len, 99);
	KUNIT_EXPECT_EQ(test, dma_test_dev_io(dma_buf_test_imp_dev(imp[1]),
			&imp[1]->map->state.dma, src, true), 0);
	dma_buf_test_expect_dev_reads(test, imp[0], src);
	dma_buf_test_expect_dev_reads(test, imp[2], src);
	dma_buf_test_cpu_io(test, imp[2], 0, len, got, false);
	KUNIT_EXPECT_MEMEQ(test, got, src, len);

	for (i = 0; i < 3; i++)
		dma_buf_test_detach(imp[i]);
	dma_buf_put(dmabuf);
}

/* A VRAM buffer: the nic by bus address, gpu1 through the host bridge. */
static void dma_buf_vram_importers(struct kunit *test)
{
	const u64 len = SZ_64K;
	struct dma_buf *dmabuf = dma_buf_test_vram(test, len, false);
	struct p2pdma_provider *p = dma_test_p2p_provider(test, 2);
	struct dma_buf_test_imp *nic, *gpu1, *gpu2, *ram_only;
	u8 *src = dma_test_alloc(test, len);

	nic = dma_buf_test_attach(test, dmabuf, "nic", true);
	gpu1 = dma_buf_test_attach(test, dmabuf, "gpu1", true);
	gpu2 = dma_buf_test_attach(test, dmabuf, "gpu2", true);
	ram_only = dma_buf_test_attach(test, dmabuf, "gpu1", false);

	KUNIT_ASSERT_EQ(test, dma_buf_test_map(nic, 0, len), 0);
	KUNIT_EXPECT_EQ(test, dma_list_first_addr(&nic->map->state.dma),
			p2pdma_bus_addr(p, p->base));
	KUNIT_ASSERT_EQ(test, dma_buf_test_map(gpu1, 0, len), 0);
	/* hb1 is another host bridge; an importer without P2P. */
	KUNIT_EXPECT_EQ(test, dma_buf_test_map(gpu2, 0, len), -EREMOTEIO);
	KUNIT_EXPECT_EQ(test, dma_buf_test_map(ram_only, 0, len), -EREMOTEIO);
	KUNIT_EXPECT_NULL(test, gpu2->map);

	dma_test_fill(src, len, 5);
	KUNIT_EXPECT_EQ(test, dma_test_dev_io(dma_buf_test_imp_dev(nic),
			&nic->map->state.dma, src, true), 0);
	dma_buf_test_expect_dev_reads(test, gpu1, src);

	dma_buf_test_detach(ram_only);
	dma_buf_test_detach(gpu2);
	dma_buf_test_detach(gpu1);
	dma_buf_test_detach(nic);
	dma_buf_put(dmabuf);
}

/*
 * Give @dev's group a new default domain of @type, as a device probed
 * while the IOMMU defaults to @type: the DMA API follows the default
 * domain (dma_dev_path()), so attaching the identity domain with
 * iommu_attach_group() would leave it mapping IOVAs that the device then
 * emits untranslated.  New groups keep the suite's DMA default.
 */
static int dma_buf_test_reprobe(struct device *dev, unsigned int type)
{
	int ret;

	iommu_release_device(dev);
	ret = iommu_set_default_domain_type(type);
	if (!ret)
		ret = iommu_probe_device(dev);
	WARN_ON(iommu_set_default_domain_type(IOMMU_DOMAIN_DMA));
	return ret;
}

static void dma_buf_test_unbypass(void *dev)
{
	WARN_ON(dma_buf_test_reprobe(dev, IOMMU_DOMAIN_DMA));
}

/* @dev bypasses the IOMMU (identity) until the case ends. */
static void dma_buf_test_bypass(struct kunit *test, struct device *dev)
{
	KUNIT_ASSERT_EQ(test, dma_buf_test_reprobe(dev, IOMMU_DOMAIN_IDENTITY),
			0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
			dma_buf_test_unbypass, dev), 0);
}

/*
 * One VRAM buffer mapped at once by three importers, each on its own
 * path to GPU0's BAR:
 *
 *	nic	below GPU0's switch: the bus address
 *	gpu1	through the IOMMU, then the host bridge: an IOVA
 *	gpu3	identity domain: the BAR's CPU physical address, through the
 *		host bridge untranslated
 *
 * Each device in turn writes the whole buffer; the CPU finds its bytes in
 * the BAR, and every device reads them back through its own mapping.
 */
static void dma_buf_vram_three_paths(struct kunit *test)
{
	static const char * const names[] = { "nic", "gpu1", "gpu3" };
	const u64 len = SZ_64K;
	struct dma_buf *dmabuf = dma_buf_test_vram(test, len, false);
	struct p2pdma_provider *p = dma_test_p2p_provider(test, 2);
	struct device *gpu3 = dma_test_dev(test, "gpu3");
	struct dma_buf_test_imp *imp[3];
	u8 *src = dma_test_alloc(test, len), *got = dma_test_alloc(test, len);
	dma_addr_t bus = p2pdma_bus_addr(p, p->base), addr[3];
	struct iommu_domain *gpu1_domain;
	void __iomem *bar;
	int i, j;

	dma_buf_test_bypass(test, gpu3);
	KUNIT_ASSERT_EQ(test, dma_dev_path(gpu3), DMA_PATH_BYPASS);
	KUNIT_ASSERT_NE(test, bus, p->base);

	for (i = 0; i < 3; i++)
		imp[i] = dma_buf_test_attach(test, dmabuf, names[i], true);
	for (i = 0; i < 3; i++) {
		KUNIT_ASSERT_EQ(test, dma_buf_test_map(imp[i], 0, len), 0);
		KUNIT_EXPECT_EQ(test, dma_list_len(&imp[i]->map->state.dma),
				len);
		addr[i] = dma_list_first_addr(&imp[i]->map->state.dma);
	}
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, dma_debug_nr_live(
				dma_buf_test_imp_dev(imp[i])), 1);

	/* Which path each got. */
	KUNIT_EXPECT_EQ(test, addr[0], bus);
	KUNIT_EXPECT_EQ(test, dma_dev_path(dma_buf_test_imp_dev(imp[1])),
			DMA_PATH_IOMMU);
	KUNIT_EXPECT_NE(test, addr[1], bus);
	KUNIT_EXPECT_NE(test, addr[1], p->base);
	gpu1_domain = iommu_get_domain_for_dev(dma_buf_test_imp_dev(imp[1]));
	KUNIT_ASSERT_NOT_NULL(test, gpu1_domain);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(gpu1_domain, addr[1]),
			p->base);
	KUNIT_EXPECT_EQ(test, iommu_get_domain_for_dev(gpu3)->type,
			(unsigned int)IOMMU_DOMAIN_IDENTITY);
	KUNIT_EXPECT_EQ(test, addr[2], p->base);

	bar = ioremap(p->base, len);
	KUNIT_ASSERT_NOT_NULL(test, bar);
	for (i = 0; i < 3; i++) {
		dma_test_fill(src, len, 31 + i);
		KUNIT_EXPECT_EQ(test, dma_test_dev_io(dma_buf_test_imp_dev(imp[i]),
				&imp[i]->map->state.dma, src, true), 0);
		memcpy_fromio(got, bar, len);
		KUNIT_EXPECT_MEMEQ_MSG(test, got, src, len,
				       "%s's write is not in the BAR", names[i]);
		for (j = 0; j < 3; j++)
			dma_buf_test_expect_dev_reads(test, imp[j], src);
	}
	iounmap(bar);

	for (i = 2; i >= 0; i--)
		dma_buf_test_detach(imp[i]);
	dma_buf_put(dmabuf);
}

/* Slices map only their bytes; one beyond the buffer is -EINVAL. */
static void dma_buf_slices(struct kunit *test)
{
	const u64 len = SZ_64K, off = SZ_4K + 100, slen = 3 * SZ_4K + 17;
	struct dma_buf *dmabuf = dma_buf_test_ram(test, len, false);
	struct dma_buf_test_imp *gpu1, *gpu2;
	u8 *src = dma_test_alloc(test, len);

	gpu1 = dma_buf_test_attach(test, dmabuf, "gpu1", false);
	gpu2 = dma_buf_test_attach(test, dmabuf, "gpu2", false);
	dma_test_fill(src, len, 11);
	dma_buf_test_cpu_io(test, gpu1, 0, len, src, true);

	KUNIT_ASSERT_EQ(test, dma_buf_test_map(gpu1, off, slen), 0);
	KUNIT_ASSERT_EQ(test, dma_buf_test_map(gpu2, off, slen), 0);
	KUNIT_EXPECT_EQ(test, dma_list_len(&gpu1->map->state.dma), slen);
	KUNIT_EXPECT_EQ(test, dma_list_len(&gpu2->map->state.dma), slen);
	dma_buf_test_expect_dev_reads(test, gpu1, src + off);
	dma_buf_test_expect_dev_reads(test, gpu2, src + off);
	dma_buf_test_unmap(gpu2);

	KUNIT_EXPECT_EQ(test, dma_buf_test_map(gpu2, len - 1, 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, dma_buf_test_map(gpu2, len, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, dma_buf_test_map(gpu2, 0, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, dma_buf_test_map(gpu2, U64_MAX, 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, dma_buf_test_map(gpu2, len - 1, 1), 0);
	dma_buf_test_detach(gpu2);
	dma_buf_test_detach(gpu1);
	dma_buf_put(dmabuf);
}

/* Eviction while mapped: importers remap, DMA lands in RAM, not the BAR. */
static void dma_buf_evict(struct kunit *test)
{
	const u64 len = SZ_64K;
	struct dma_buf *dmabuf = dma_buf_test_vram(test, len, false);
	struct p2pdma_provider *p = dma_test_p2p_provider(test, 2);
	struct dma_buf_test_imp *nic, *gpu1;
	u8 *src = dma_test_alloc(test, len), *bar = dma_test_alloc(test, len);
	u8 *got = dma_test_alloc(test, len);

	nic = dma_buf_test_attach(test, dmabuf, "nic", true);
	gpu1 = dma_buf_test_attach(test, dmabuf, "gpu1", true);
	KUNIT_ASSERT_EQ(test, dma_buf_test_map(nic, 0, len), 0);
	KUNIT_ASSERT_EQ(test, dma_buf_test_map(gpu1, 0, len), 0);
	dma_test_fill(src, len, 21);
	KUNIT_EXPECT_EQ(test, dma_test_dev_io(dma_buf_test_imp_dev(nic),
			&nic->map->state.dma, src, true), 0);

	KUNIT_ASSERT_EQ(test, physr_heap_evict(dmabuf, GFP_KERNEL), 0);
	KUNIT_EXPECT_FALSE(test, physr_heap_is_vram(dmabuf));
	KUNIT_EXPECT_EQ(test, nic->notified, 1);
	KUNIT_EXPECT_EQ(test, gpu1->notified, 1);
	KUNIT_EXPECT_NULL(test, nic->map);
	KUNIT_EXPECT_NULL(test, gpu1->map);

	/* Remapped: the bytes came along, and now they are RAM. */
	KUNIT_ASSERT_EQ(test, dma_buf_test_map(nic, 0, len), 0);
	KUNIT_ASSERT_EQ(test, dma_buf_test_map(gpu1, 0, len), 0);
	KUNIT_EXPECT_NE(test, dma_list_first_addr(&nic->map->state.dma),
			p2pdma_bus_addr(p, p->base));
	dma_buf_test_expect_dev_reads(test, gpu1, src);
	dma_buf_test_expect_dev_reads(test, nic, src);

	KUNIT_ASSERT_EQ(test, sim_cpu_read(p->base, bar, len), 0);
	dma_test_fill(src, len, 77);
	KUNIT_EXPECT_EQ(test, dma_test_dev_io(dma_buf_test_imp_dev(gpu1),
			&gpu1->map->state.dma, src, true), 0);
	dma_buf_test_cpu_io(test, gpu1, 0, len, got, false);
	KUNIT_EXPECT_MEMEQ(test, got, src, len);
	KUNIT_ASSERT_EQ(test, sim_cpu_read(p->base, got, len), 0);
	KUNIT_EXPECT_MEMEQ_MSG(test, got, bar, len, "the BAR was written");

	dma_buf_test_detach(gpu1);
	dma_buf_test_detach(nic);
	dma_buf_put(dmabuf);
}

/* A pinned buffer does not move; a static importer gets no P2P. */
static void dma_buf_static_pin(struct kunit *test)
{
	struct dma_buf *dmabuf = dma_buf_test_vram(test, SZ_16K, false);
	struct dma_buf_attachment *a;
	struct dma_buf_map *map;

	a = dma_buf_attach(dmabuf, dma_test_dev(test, "nic"));
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, a);
	KUNIT_EXPECT_EQ(test, physr_heap_evict(dmabuf, GFP_KERNEL), -EBUSY);
	KUNIT_EXPECT_TRUE(test, physr_heap_is_vram(dmabuf));
	map = dma_buf_map_attachment_unlocked(a, 0, SZ_16K, DMA_TO_DEVICE);
	KUNIT_EXPECT_EQ(test, PTR_ERR(map), -EREMOTEIO);
	dma_buf_detach(dmabuf, a);
	KUNIT_EXPECT_EQ(test, physr_heap_evict(dmabuf, GFP_KERNEL), 0);
	dma_buf_put(dmabuf);
}


/*
 * An importer that maps again from within move_notify, and takes the
 * list there: both -EAGAIN, since the exporter has not installed the new
 * placement yet (before, the remap was a live mapping of the BAR the
 * exporter was about to let go of).  Mapped after the move, it gets RAM.
 */
struct dma_buf_test_eager {
	struct dma_buf_test_imp imp;
	int remap_ret;
	int physr_ret;
};

static void dma_buf_test_eager_notify(struct dma_buf_attachment *attach)
{
	struct dma_buf_test_eager *e = attach->importer_priv;
	struct dma_buf_map *map;
	struct physr_view view;

	dma_buf_test_move_notify(attach);
	map = dma_buf_map_attachment(attach, 0, e->imp.len, DMA_BIDIRECTIONAL);
	e->remap_ret = PTR_ERR_OR_ZERO(map);
	if (!IS_ERR(map))
		e->imp.map = map;
	e->physr_ret = dma_buf_get_physr(attach, &view);
	if (!e->physr_ret)
		dma_buf_put_physr(attach);
}

static const struct dma_buf_attach_ops dma_buf_test_eager_ops = {
	.allow_peer2peer = true,
	.move_notify = dma_buf_test_eager_notify,
};

static void dma_buf_remap_in_move_notify(struct kunit *test)
{
	const u64 len = SZ_16K;
	struct dma_buf *dmabuf = dma_buf_test_vram(test, len, false);
	struct p2pdma_provider *p = dma_test_p2p_provider(test, 2);
	struct dma_buf_test_eager *e = kunit_kzalloc(test, sizeof(*e),
						     GFP_KERNEL);
	struct physr_view view;
	struct physr_iter it;
	struct physr r;

	KUNIT_ASSERT_NOT_NULL(test, e);
	e->imp.attach = dma_buf_dynamic_attach(dmabuf,
			dma_test_dev(test, "nic"), &dma_buf_test_eager_ops, e);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, e->imp.attach);
	KUNIT_ASSERT_EQ(test, dma_buf_test_map(&e->imp, 0, len), 0);

	KUNIT_ASSERT_EQ(test, physr_heap_evict(dmabuf, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, e->imp.notified, 1);
	KUNIT_EXPECT_EQ(test, e->remap_ret, -EAGAIN);
	KUNIT_EXPECT_EQ(test, e->physr_ret, -EAGAIN);
	KUNIT_EXPECT_NULL(test, e->imp.map);
	KUNIT_EXPECT_EQ(test, dma_debug_nr_live(dma_buf_test_imp_dev(&e->imp)),
			0);

	/* After the move: RAM, nothing of the BAR. */
	KUNIT_ASSERT_EQ(test, dma_buf_test_map(&e->imp, 0, len), 0);
	KUNIT_EXPECT_NE(test, dma_list_first_addr(&e->imp.map->state.dma),
			p2pdma_bus_addr(p, p->base));
	dma_resv_lock(dmabuf->resv, NULL);
	KUNIT_ASSERT_EQ(test, dma_buf_get_physr(e->imp.attach, &view), 0);
	KUNIT_EXPECT_EQ(test, dma_buf_get_physr(e->imp.attach, &view), -EBUSY);
	physr_view_for_each(&view, &it, &r)
		KUNIT_EXPECT_NULL(test, physr_iter_provider(&it));
	dma_buf_put_physr(e->imp.attach);
	KUNIT_EXPECT_WARN(test, dma_buf_put_physr(e->imp.attach));
	dma_resv_unlock(dmabuf->resv);
	dma_buf_test_detach(&e->imp);
	dma_buf_put(dmabuf);
}

struct dma_buf_test_evict {
	struct dma_buf *dmabuf;
	struct dma_buf_test_imp *imp;
};

static int dma_buf_test_evict_op(void *arg)
{
	struct dma_buf_test_evict *c = arg;

	return physr_heap_evict(c->dmabuf, GFP_KERNEL);
}

/* A failed eviction: still in VRAM, the importer not told, still mapped. */
static bool dma_buf_test_evict_untold(struct kunit *test, void *arg)
{
	struct dma_buf_test_evict *c = arg;

	KUNIT_EXPECT_TRUE(test, physr_heap_is_vram(c->dmabuf));
	KUNIT_EXPECT_NOT_NULL(test, c->imp->map);
	return c->imp->notified == 0;
}

/* A revoked buffer is not evicted, and a failed eviction tells nobody. */
static void dma_buf_evict_errors(struct kunit *test)
{
	struct dma_buf *dmabuf = dma_buf_test_vram(test, SZ_16K, true);
	struct dma_buf_test_imp *nic = dma_buf_test_attach(test, dmabuf,
							   "nic", true);
	struct dma_buf_test_evict c = { .dmabuf = dmabuf, .imp = nic };

	KUNIT_ASSERT_EQ(test, dma_buf_test_map(nic, 0, SZ_16K), 0);
	KUNIT_EXPECT_GT(test, kunit_fail_nth_check(test, dma_buf_test_evict_op,
			dma_buf_test_evict_untold, &c), 0);
	KUNIT_EXPECT_EQ(test, nic->notified, 1);
	KUNIT_EXPECT_FALSE(test, physr_heap_is_vram(dmabuf));

	KUNIT_EXPECT_EQ(test, physr_heap_revoke(dmabuf), 0);
	KUNIT_EXPECT_EQ(test, nic->notified, 2);
	KUNIT_EXPECT_EQ(test, physr_heap_evict(dmabuf, GFP_KERNEL), -ENODEV);
	KUNIT_EXPECT_EQ(test, nic->notified, 2);
	dma_buf_test_detach(nic);
	dma_buf_put(dmabuf);
}

/* A pinned importer that detaches without unpinning: reported, unpinned. */
static void dma_buf_detach_pinned(struct kunit *test)
{
	struct dma_buf *dmabuf = dma_buf_test_vram(test, SZ_16K, false);
	struct dma_buf_test_imp *nic = dma_buf_test_attach(test, dmabuf,
							   "nic", true);

	dma_resv_lock(dmabuf->resv, NULL);
	KUNIT_EXPECT_EQ(test, dma_buf_pin(nic->attach), 0);
	KUNIT_EXPECT_EQ(test, dma_buf_pin(nic->attach), 0);
	dma_resv_unlock(dmabuf->resv);
	KUNIT_EXPECT_WARN(test, dma_buf_test_detach(nic));
	KUNIT_EXPECT_EQ(test, physr_heap_evict(dmabuf, GFP_KERNEL), 0);
	dma_buf_put(dmabuf);
}

/*
 * The DMA ranges of a mapping, copied: a direct mapping's DMA list is a
 * view of the exporter's list, which a revoke frees.
 */
struct dma_buf_test_ranges {
	u64 n;
	struct dma_range r[64];
};

static void dma_buf_test_save_ranges(struct kunit *test,
				     const struct dma_list *dl,
				     struct dma_buf_test_ranges *s)
{
	struct dma_list_iter di;
	struct dma_range r;

	s->n = 0;
	dma_list_for_each(dl, &di, &r) {
		KUNIT_ASSERT_LT(test, s->n, ARRAY_SIZE(s->r));
		s->r[s->n++] = r;
	}
}

/* @dev reads every saved range: 0 or the first error. */
static int dma_buf_test_read_ranges(struct device *dev,
				    const struct dma_buf_test_ranges *s,
				    u8 *buf)
{
	u64 i;
	int ret;

	for (i = 0; i < s->n; i++) {
		ret = sim_dma_read(dev->rid, s->r[i].addr, buf, s->r[i].len);
		if (ret)
			return ret;
		buf += s->r[i].len;
	}
	return 0;
}

/* Revoke: nothing mapped after it, devices cannot reach the memory. */
static void dma_buf_revoke_case(struct kunit *test)
{
	const u64 len = SZ_32K;
	struct dma_buf *dmabuf = dma_buf_test_ram(test, len, true);
	struct dma_buf_test_imp *gpu1, *gpu2;
	struct dma_buf_test_ranges *old1, *old2;
	u8 *buf = dma_test_alloc(test, len);
	struct device *gpu1_dev, *gpu2_dev;

	old1 = kunit_kzalloc(test, sizeof(*old1), GFP_KERNEL);
	old2 = kunit_kzalloc(test, sizeof(*old2), GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, old1 && old2);

	KUNIT_EXPECT_EQ(test, PTR_ERR(dma_buf_attach(dmabuf,
				dma_test_dev(test, "gpu1"))), -EOPNOTSUPP);
	gpu1 = dma_buf_test_attach(test, dmabuf, "gpu1", false);
	gpu2 = dma_buf_test_attach(test, dmabuf, "gpu2", false);
	gpu1_dev = dma_buf_test_imp_dev(gpu1);
	gpu2_dev = dma_buf_test_imp_dev(gpu2);
	KUNIT_ASSERT_EQ(test, dma_buf_test_map(gpu1, 0, len), 0);
	KUNIT_ASSERT_EQ(test, dma_buf_test_map(gpu2, 0, len), 0);
	dma_buf_test_save_ranges(test, &gpu1->map->state.dma, old1);
	dma_buf_test_save_ranges(test, &gpu2->map->state.dma, old2);
	KUNIT_EXPECT_EQ(test, dma_buf_test_read_ranges(gpu1_dev, old1, buf), 0);
	KUNIT_EXPECT_EQ(test, dma_buf_test_read_ranges(gpu2_dev, old2, buf), 0);

	KUNIT_EXPECT_EQ(test, physr_heap_revoke(dmabuf), 0);
	KUNIT_EXPECT_EQ(test, gpu1->notified, 1);
	KUNIT_EXPECT_NULL(test, gpu1->map);
	KUNIT_EXPECT_NULL(test, gpu2->map);
	KUNIT_EXPECT_EQ(test, dma_debug_nr_live(gpu1_dev), 0);
	KUNIT_EXPECT_EQ(test, dma_debug_nr_live(gpu2_dev), 0);

	/* The IOMMU faults gpu1; the sanitizer reports gpu2. */
	KUNIT_EXPECT_EQ(test, dma_buf_test_read_ranges(gpu1_dev, old1, buf),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, iommu_poll_faults(), 1U);
	dma_test_expect_reports(test, DMA_DEBUG_ACCESS_UNMAPPED, 1, NULL);
	/* One report per transfer: gpu2 reads page by page. */
	KUNIT_EXPECT_EQ(test, dma_buf_test_read_ranges(gpu2_dev, old2, buf), 0);
	dma_test_expect_reports(test, DMA_DEBUG_ACCESS_UNMAPPED, old2->n, NULL);

	KUNIT_EXPECT_EQ(test, dma_buf_test_map(gpu1, 0, len), -ENODEV);
	dma_resv_lock(dmabuf->resv, NULL);
	KUNIT_EXPECT_EQ(test, dma_buf_get_physr(gpu1->attach,
			&(struct physr_view){}), -ENODEV);
	dma_resv_unlock(dmabuf->resv);
	KUNIT_EXPECT_EQ(test, PTR_ERR(dma_buf_dynamic_attach(dmabuf, gpu1_dev,
			&dma_buf_test_ram_ops, NULL)), -ENODEV);
	KUNIT_EXPECT_EQ(test, physr_heap_revoke(dmabuf), 0);

	dma_buf_test_detach(gpu2);
	dma_buf_test_detach(gpu1);
	dma_buf_put(dmabuf);
}

/* Does any range of @a overlap one of @b? */
static bool dma_buf_test_ranges_overlap(const struct dma_buf_test_ranges *a,
					const struct dma_buf_test_ranges *b)
{
	u64 i, j;

	for (i = 0; i < a->n; i++)
		for (j = 0; j < b->n; j++)
			if (a->r[i].addr < b->r[j].addr + b->r[j].len &&
			    b->r[j].addr < a->r[i].addr + a->r[i].len)
				return true;
	return false;
}

/*
 * An importer behind the IOMMU that does not unmap is named, and its
 * device's access revoked by the core: its DMA faults, its IOVA stays
 * reserved so the device's next mapping lands elsewhere (a late DMA
 * cannot reach another buffer), and its DMA list stays intact until its
 * own unmap, which then frees the IOVA.
 */
static void dma_buf_revoke_refused(struct kunit *test)
{
	const u64 len = SZ_16K;
	struct dma_buf *dmabuf = dma_buf_test_ram(test, len, true);
	struct dma_buf *other = dma_buf_test_ram(test, len, false);
	struct dma_buf_test_imp *good, *bad, *next;
	struct dma_buf_test_ranges *old, *kept, *now;
	u8 *buf = dma_test_alloc(test, len);
	struct device *dev;
	int ret;

	old = kunit_kzalloc(test, sizeof(*old), GFP_KERNEL);
	kept = kunit_kzalloc(test, sizeof(*kept), GFP_KERNEL);
	now = kunit_kzalloc(test, sizeof(*now), GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, old && kept && now);

	good = dma_buf_test_attach(test, dmabuf, "gpu2", false);
	bad = dma_buf_test_attach(test, dmabuf, "gpu1", false);
	dev = dma_buf_test_imp_dev(bad);
	bad->refuse = true;
	KUNIT_ASSERT_EQ(test, dma_buf_test_map(good, 0, len), 0);
	KUNIT_ASSERT_EQ(test, dma_buf_test_map(bad, 0, len), 0);
	dma_buf_test_save_ranges(test, &bad->map->state.dma, old);
	dma_buf_set_unmap_timeout(dmabuf, 20);

	KUNIT_EXPECT_WARN(test, ret = physr_heap_revoke(dmabuf));
	KUNIT_EXPECT_EQ(test, ret, -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, bad->attach->forced_unmaps, 1);
	KUNIT_EXPECT_EQ(test, good->attach->forced_unmaps, 0);
	KUNIT_EXPECT_TRUE(test, dma_buf_map_is_stale(bad->map));
	/* Revoked, not unmapped: the record stays until the importer's unmap. */
	KUNIT_EXPECT_EQ(test, dma_debug_nr_live(dev), 1);
	dma_buf_test_save_ranges(test, &bad->map->state.dma, kept);
	KUNIT_EXPECT_EQ(test, kept->n, old->n);
	KUNIT_EXPECT_MEMEQ(test, kept->r, old->r, old->n * sizeof(old->r[0]));
	KUNIT_EXPECT_EQ(test, dma_buf_test_read_ranges(dev, old, buf), -EFAULT);
	KUNIT_EXPECT_EQ(test, iommu_poll_faults(), 1U);
	dma_test_expect_reports(test, DMA_DEBUG_ACCESS_UNMAPPED, 1, NULL);

	/* The device's next mapping does not reuse the revoked IOVA. */
	next = dma_buf_test_attach(test, other, "gpu1", false);
	KUNIT_ASSERT_EQ(test, dma_buf_test_map(next, 0, len), 0);
	dma_buf_test_save_ranges(test, &next->map->state.dma, now);
	KUNIT_EXPECT_FALSE(test, dma_buf_test_ranges_overlap(old, now));
	KUNIT_EXPECT_EQ(test, dma_buf_test_read_ranges(dev, old, buf), -EFAULT);
	KUNIT_EXPECT_EQ(test, iommu_poll_faults(), 1U);
	dma_test_expect_reports(test, DMA_DEBUG_ACCESS_UNMAPPED, 1, NULL);

	/* Its late unmap frees the IOVA, and unmaps nothing twice. */
	dma_buf_test_detach(bad);
	KUNIT_EXPECT_EQ(test, dma_debug_nr_live(dev), 1);
	KUNIT_EXPECT_EQ(test, iova_allocated_bytes(
			&iommu_get_domain_for_dev(dev)->iovad), (u64)SZ_16K);
	dma_buf_test_detach(next);
	dma_buf_test_detach(good);
	dma_buf_put(other);
	dma_buf_put(dmabuf);
}

/* ---- lifetime, errors -------------------------------------------------------- */

/*
 * A minimal exporter: one list, a release counter, no pin.  Its
 * get_physr() answers whatever happened (also after a revoke), so the
 * core's own checks are what a case sees; @calls counts it.
 */
struct dma_buf_test_exp {
	struct physr_list *list;
	unsigned int released;
	unsigned int calls;
	const char *refuse;
	int attached;
};

static const struct physr_list *dma_buf_test_exp_physr(struct dma_buf *dmabuf)
{
	struct dma_buf_test_exp *e = dmabuf->priv;

	e->calls++;
	return e->list;
}

static void dma_buf_test_exp_release(struct dma_buf *dmabuf)
{
	struct dma_buf_test_exp *e = dmabuf->priv;

	e->released++;
}

static const struct dma_buf_ops dma_buf_test_exp_ops = {
	.get_physr = dma_buf_test_exp_physr,
	.release = dma_buf_test_exp_release,
};

/* A 16 KiB buffer over a list of @list_len bytes. */
static struct dma_buf *dma_buf_test_exp_sized(struct kunit *test,
					      struct dma_buf_test_exp *e,
					      u64 list_len, bool revocable)
{
	struct dma_test_buf *b = dma_test_buf(test, list_len,
					      MM_LAYOUT_PAGE_4K, GFP_KERNEL, 3);
	struct dma_buf_export_info info = {
		.exp_name = "test_exp", .ops = &dma_buf_test_exp_ops,
		.size = SZ_16K, .flags = O_RDWR, .priv = e,
		.revocable = revocable,
	};
	struct dma_buf *dmabuf;

	e->list = &b->list;
	dmabuf = dma_buf_export(&info);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dmabuf);
	return dmabuf;
}

static struct dma_buf *dma_buf_test_exp(struct kunit *test,
					struct dma_buf_test_exp *e)
{
	return dma_buf_test_exp_sized(test, e, SZ_16K, false);
}

/* Closing the descriptor while attached: the buffer lives to the last put. */
static void dma_buf_fd_lifetime(struct kunit *test)
{
	struct dma_buf_test_exp e = {};
	struct task_struct *tsk, *prev;
	struct dma_buf_test_imp *imp;
	struct dma_buf *dmabuf, *got;
	int fd;

	tsk = task_create("dma_buf_test", NULL, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tsk);
	prev = compat_set_current(tsk);

	dmabuf = dma_buf_test_exp(test, &e);
	fd = dma_buf_fd(dmabuf, O_CLOEXEC);
	KUNIT_ASSERT_GE(test, fd, 0);
	got = dma_buf_get(fd);
	KUNIT_EXPECT_PTR_EQ(test, got, dmabuf);
	imp = dma_buf_test_attach(test, dmabuf, "gpu1", false);
	KUNIT_EXPECT_EQ(test, ksys_close(fd), 0);
	KUNIT_EXPECT_EQ(test, PTR_ERR(dma_buf_get(fd)), -EBADF);
	KUNIT_EXPECT_EQ(test, e.released, 0);
	KUNIT_EXPECT_EQ(test, dma_buf_test_map(imp, 0, SZ_16K), 0);
	dma_buf_test_detach(imp);
	KUNIT_EXPECT_EQ(test, e.released, 0);
	dma_buf_put(got);
	KUNIT_EXPECT_EQ(test, e.released, 1);

	compat_set_current(prev);
	task_exit(tsk);
}

/* The last put while attached, and a put too many: reported, freed once. */
static void dma_buf_put_not_held(struct kunit *test)
{
	struct dma_buf_test_exp e = {};
	struct dma_buf *dmabuf = dma_buf_test_exp(test, &e);
	struct dma_buf_attachment *a;

	a = dma_buf_dynamic_attach(dmabuf, dma_test_dev(test, "gpu1"),
				   &dma_buf_test_ram_ops, NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, a);
	KUNIT_EXPECT_WARN(test, dma_buf_put(dmabuf));
	KUNIT_EXPECT_EQ(test, e.released, 0);
	KUNIT_EXPECT_WARN(test, dma_buf_put(dmabuf));
	KUNIT_EXPECT_EQ(test, e.released, 0);
	dma_buf_detach(dmabuf, a);
	KUNIT_EXPECT_EQ(test, e.released, 1);
}

static void dma_buf_errors(struct kunit *test)
{
	struct dma_buf_test_exp e = {};
	struct dma_buf *dmabuf = dma_buf_test_exp(test, &e);
	struct device *gpu1 = dma_test_dev(test, "gpu1");
	struct dma_buf_export_info bad = {
		.ops = &dma_buf_test_exp_ops, .size = 0,
	};
	struct task_struct *tsk, *prev;
	int fd;

	KUNIT_EXPECT_EQ(test, PTR_ERR(dma_buf_export(&bad)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(dma_buf_export(NULL)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(dma_buf_attach(dmabuf, gpu1)),
			-EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, PTR_ERR(dma_buf_dynamic_attach(dmabuf, gpu1,
			&(struct dma_buf_attach_ops){}, NULL)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(dma_buf_get(-1)), -EBADF);
	KUNIT_EXPECT_EQ(test, dma_buf_revoke(dmabuf), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(physr_heap_alloc_ram(100, false,
			GFP_KERNEL)), -EINVAL);

	tsk = task_create("dma_buf_test", NULL, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tsk);
	prev = compat_set_current(tsk);
	fd = anon_inode_getfd("other", &(struct file_operations){}, NULL,
			      O_RDWR);
	KUNIT_EXPECT_GE(test, fd, 0);
	KUNIT_EXPECT_EQ(test, PTR_ERR(dma_buf_get(fd)), -EINVAL);
	compat_set_current(prev);
	task_exit(tsk);
	dma_buf_put(dmabuf);
	KUNIT_EXPECT_EQ(test, e.released, 1);
}

/*
 * The core refuses a map after a revoke by itself: this exporter's
 * get_physr() still hands out the memory, which a revoke's caller may
 * already have freed.
 */
static void dma_buf_revoked_core_refuses(struct kunit *test)
{
	struct dma_buf_test_exp e = {};
	struct dma_buf *dmabuf = dma_buf_test_exp_sized(test, &e, SZ_16K, true);
	struct dma_buf_test_imp *imp = dma_buf_test_attach(test, dmabuf,
							   "gpu2", false);
	struct physr_view view;

	KUNIT_ASSERT_EQ(test, dma_buf_test_map(imp, 0, SZ_16K), 0);
	KUNIT_EXPECT_EQ(test, dma_buf_revoke(dmabuf), 0);
	KUNIT_EXPECT_NULL(test, imp->map);
	KUNIT_EXPECT_EQ(test, dma_buf_test_map(imp, 0, SZ_16K), -ENODEV);
	KUNIT_EXPECT_NULL(test, imp->map);
	dma_resv_lock(dmabuf->resv, NULL);
	KUNIT_EXPECT_EQ(test, dma_buf_get_physr(imp->attach, &view), -ENODEV);
	dma_resv_unlock(dmabuf->resv);
	KUNIT_EXPECT_EQ(test, dma_debug_nr_live(dma_buf_test_imp_dev(imp)), 0);
	dma_buf_test_detach(imp);
	dma_buf_put(dmabuf);
	KUNIT_EXPECT_EQ(test, e.released, 1);
}


/*
 * An exporter that vets attachments (ops->attach refuses the nic) and
 * counts detaches; and a revoked buffer given back with
 * dma_buf_unrevoke(): importers still attached map again.
 */
static int dma_buf_test_vet_attach(struct dma_buf *dmabuf,
				   struct dma_buf_attachment *attach)
{
	struct dma_buf_test_exp *e = dmabuf->priv;

	if (!strcmp(dev_name(attach->dev), e->refuse))
		return -EPERM;
	e->attached++;
	return 0;
}

static void dma_buf_test_vet_detach(struct dma_buf *dmabuf,
				    struct dma_buf_attachment *attach)
{
	struct dma_buf_test_exp *e = dmabuf->priv;

	/* Only what ops->attach let in is detached. */
	if (!strcmp(dev_name(attach->dev), e->refuse))
		e->attached = -100;
	e->attached--;
}

static const struct dma_buf_ops dma_buf_test_vet_ops = {
	.attach = dma_buf_test_vet_attach,
	.detach = dma_buf_test_vet_detach,
	.get_physr = dma_buf_test_exp_physr,
	.release = dma_buf_test_exp_release,
};

struct dma_buf_test_vetted {
	struct dma_buf_test_exp *e;
	struct dma_buf *dmabuf;
	struct device *dev;
	struct dma_buf_attachment *attach;
};

static int dma_buf_test_vetted_attach(void *arg)
{
	struct dma_buf_test_vetted *c = arg;

	c->attach = dma_buf_dynamic_attach(c->dmabuf, c->dev,
					   &dma_buf_test_ram_ops, NULL);
	return PTR_ERR_OR_ZERO(c->attach);
}

static bool dma_buf_test_vetted_undone(struct kunit *test __always_unused,
				       void *arg)
{
	struct dma_buf_test_vetted *c = arg;

	return c->e->attached == 1;
}

static void dma_buf_exporter_attach_unrevoke(struct kunit *test)
{
	struct dma_buf_test_exp e = { .refuse = "0000:00:04.0 nic" };
	struct dma_buf *dmabuf = dma_buf_test_exp_sized(test, &e, SZ_16K, true);
	struct device *nic = dma_test_dev(test, "nic");
	struct dma_buf_test_vetted c = { .e = &e, .dmabuf = dmabuf,
		.dev = dma_test_dev(test, "gpu2") };
	struct dma_buf_test_imp *imp;

	e.refuse = dev_name(nic);
	dmabuf->ops = &dma_buf_test_vet_ops;
	KUNIT_EXPECT_EQ(test, PTR_ERR(dma_buf_dynamic_attach(dmabuf, nic,
			&dma_buf_test_ram_ops, NULL)), -EPERM);
	KUNIT_EXPECT_EQ(test, e.attached, 0);
	imp = dma_buf_test_attach(test, dmabuf, "gpu1", false);
	KUNIT_EXPECT_EQ(test, e.attached, 1);

	KUNIT_ASSERT_EQ(test, dma_buf_test_map(imp, 0, SZ_16K), 0);
	KUNIT_EXPECT_EQ(test, dma_buf_revoke(dmabuf), 0);
	KUNIT_EXPECT_NULL(test, imp->map);
	KUNIT_EXPECT_EQ(test, dma_buf_test_map(imp, 0, SZ_16K), -ENODEV);
	/* Revoked: an attach is refused after ops->attach, and undone. */
	KUNIT_EXPECT_EQ(test, PTR_ERR(dma_buf_dynamic_attach(dmabuf,
			dma_test_dev(test, "gpu2"), &dma_buf_test_ram_ops,
			NULL)), -ENODEV);
	KUNIT_EXPECT_EQ(test, e.attached, 1);
	dma_buf_unrevoke(dmabuf);
	KUNIT_EXPECT_EQ(test, dma_buf_test_map(imp, 0, SZ_16K), 0);
	KUNIT_EXPECT_EQ(test, dma_buf_revoke(dmabuf), 0);
	KUNIT_EXPECT_NULL(test, imp->map);
	dma_buf_unrevoke(dmabuf);

	/* A failed attach after ops->attach undoes it. */
	KUNIT_EXPECT_GT(test, kunit_fail_nth_check(test,
			dma_buf_test_vetted_attach, dma_buf_test_vetted_undone,
			&c), 0);
	KUNIT_EXPECT_EQ(test, e.attached, 2);
	dma_buf_detach(dmabuf, c.attach);
	KUNIT_EXPECT_EQ(test, e.attached, 1);

	dma_buf_test_detach(imp);
	KUNIT_EXPECT_EQ(test, e.attached, 0);
	dma_buf_put(dmabuf);
	KUNIT_EXPECT_EQ(test, e.released, 1);
}

/*
 * An importer that uses the list itself (dma_buf_get_physr()), as
 * IOMMUFD and RDMA do: a move waits for its dma_buf_put_physr() as for an
 * unmap.  One that lets go in move_notify lets the move finish at once;
 * one that does not is named, and the move says -EBUSY: the core cannot
 * take the list out of the importer's own page tables, so the exporter
 * must keep the memory.
 */
struct dma_buf_test_lister {
	struct dma_buf_attachment *attach;
	bool refuse;
	bool held;
	unsigned int notified;
};

static void dma_buf_test_lister_notify(struct dma_buf_attachment *attach)
{
	struct dma_buf_test_lister *l = attach->importer_priv;

	l->notified++;
	if (l->refuse || !l->held)
		return;
	dma_buf_put_physr(attach);
	l->held = false;
}

static const struct dma_buf_attach_ops dma_buf_test_lister_ops = {
	.move_notify = dma_buf_test_lister_notify,
};

static int dma_buf_test_lister_get(struct dma_buf_test_lister *l)
{
	struct dma_buf *dmabuf = l->attach->dmabuf;
	struct physr_view view;
	int ret;

	dma_resv_lock(dmabuf->resv, NULL);
	ret = dma_buf_get_physr(l->attach, &view);
	dma_resv_unlock(dmabuf->resv);
	l->held = !ret;
	return ret;
}

/* An exporter's move that changes nothing: notify, then wait. */
static int dma_buf_test_null_move(struct dma_buf *dmabuf)
{
	int ret;

	dma_resv_lock(dmabuf->resv, NULL);
	ret = dma_buf_move_notify(dmabuf);
	dma_resv_unlock(dmabuf->resv);
	return ret ?: dma_buf_wait_unmapped(dmabuf);
}

static void dma_buf_physr_users(struct kunit *test)
{
	struct dma_buf_test_exp e = {};
	struct dma_buf *dmabuf = dma_buf_test_exp_sized(test, &e, SZ_16K, true);
	struct dma_buf_test_lister good = {}, bad = { .refuse = true };
	int ret;

	good.attach = dma_buf_dynamic_attach(dmabuf, dma_test_dev(test, "gpu1"),
					     &dma_buf_test_lister_ops, &good);
	bad.attach = dma_buf_dynamic_attach(dmabuf, dma_test_dev(test, "gpu2"),
					    &dma_buf_test_lister_ops, &bad);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, good.attach);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, bad.attach);
	dma_buf_set_unmap_timeout(dmabuf, 10);

	KUNIT_ASSERT_EQ(test, dma_buf_test_lister_get(&good), 0);
	KUNIT_EXPECT_EQ(test, dma_buf_test_null_move(dmabuf), 0);
	KUNIT_EXPECT_EQ(test, good.notified, 1);
	KUNIT_EXPECT_FALSE(test, good.held);
	KUNIT_EXPECT_EQ(test, dma_buf_test_lister_get(&good), 0);
	dma_resv_lock(dmabuf->resv, NULL);
	dma_buf_put_physr(good.attach);
	dma_resv_unlock(dmabuf->resv);

	KUNIT_ASSERT_EQ(test, dma_buf_test_lister_get(&good), 0);
	KUNIT_ASSERT_EQ(test, dma_buf_test_lister_get(&bad), 0);
	KUNIT_EXPECT_WARN(test, ret = dma_buf_test_null_move(dmabuf));
	KUNIT_EXPECT_EQ(test, ret, -EBUSY);
	KUNIT_EXPECT_EQ(test, bad.attach->forced_unmaps, 1);
	KUNIT_EXPECT_EQ(test, good.attach->forced_unmaps, 0);

	/* Its late put counts nothing twice: the next move is at once. */
	dma_resv_lock(dmabuf->resv, NULL);
	dma_buf_put_physr(bad.attach);
	dma_resv_unlock(dmabuf->resv);
	KUNIT_EXPECT_EQ(test, dma_buf_test_null_move(dmabuf), 0);

	/* A revoke waits for it too. */
	KUNIT_ASSERT_EQ(test, dma_buf_test_lister_get(&bad), 0);
	KUNIT_EXPECT_WARN(test, ret = dma_buf_revoke(dmabuf));
	KUNIT_EXPECT_EQ(test, ret, -EBUSY);
	KUNIT_EXPECT_EQ(test, dma_buf_test_lister_get(&good), -ENODEV);
	KUNIT_EXPECT_WARN(test, dma_buf_detach(dmabuf, bad.attach));
	dma_buf_detach(dmabuf, good.attach);
	dma_buf_put(dmabuf);
	KUNIT_EXPECT_EQ(test, e.released, 1);
}

/*
 * dma_buf_pin() by a dynamic importer: the buffer does not move
 * (dma_buf_move_notify() is -EBUSY), a revoke still reaches the importer,
 * and the errors.
 */
static void dma_buf_dynamic_pin(struct kunit *test)
{
	struct dma_buf *dmabuf = dma_buf_test_vram(test, SZ_16K, true);
	struct dma_buf *ram = dma_buf_test_ram(test, SZ_16K, false);
	struct dma_buf_test_exp e = {};
	struct dma_buf *nopin = dma_buf_test_exp(test, &e);
	struct dma_buf_test_imp *nic, *other;
	struct dma_buf_attachment *stat;

	nic = dma_buf_test_attach(test, dmabuf, "nic", true);
	KUNIT_ASSERT_EQ(test, dma_buf_test_map(nic, 0, SZ_16K), 0);
	dma_resv_lock(dmabuf->resv, NULL);
	KUNIT_EXPECT_EQ(test, dma_buf_pin(nic->attach), 0);
	KUNIT_EXPECT_EQ(test, dma_buf_move_notify(dmabuf), -EBUSY);
	dma_resv_unlock(dmabuf->resv);
	KUNIT_EXPECT_EQ(test, physr_heap_evict(dmabuf, GFP_KERNEL), -EBUSY);
	KUNIT_EXPECT_EQ(test, nic->notified, 0);
	KUNIT_EXPECT_TRUE(test, physr_heap_is_vram(dmabuf));

	KUNIT_EXPECT_EQ(test, physr_heap_revoke(dmabuf), 0);
	KUNIT_EXPECT_EQ(test, nic->notified, 1);
	KUNIT_EXPECT_NULL(test, nic->map);
	dma_resv_lock(dmabuf->resv, NULL);
	KUNIT_EXPECT_EQ(test, dma_buf_pin(nic->attach), -ENODEV);
	dma_buf_unpin(nic->attach);
	KUNIT_EXPECT_WARN(test, dma_buf_unpin(nic->attach));
	dma_resv_unlock(dmabuf->resv);
	dma_buf_test_detach(nic);
	dma_buf_put(dmabuf);

	stat = dma_buf_attach(ram, dma_test_dev(test, "gpu1"));
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, stat);
	other = dma_buf_test_attach(test, nopin, "gpu1", false);
	dma_resv_lock(ram->resv, NULL);
	KUNIT_EXPECT_EQ(test, dma_buf_pin(stat), -EINVAL);
	dma_resv_unlock(ram->resv);
	dma_resv_lock(nopin->resv, NULL);
	KUNIT_EXPECT_EQ(test, dma_buf_pin(other->attach), -EOPNOTSUPP);
	dma_resv_unlock(nopin->resv);
	dma_buf_detach(ram, stat);
	dma_buf_test_detach(other);
	dma_buf_put(ram);
	dma_buf_put(nopin);
}

/*
 * A bad slice is the caller's error, told as such whatever the buffer's
 * state, and the exporter is not asked for its list: -EINVAL also after
 * a revoke, and get_physr() not called.  An exporter whose list is not
 * the buffer's size is reported and refused, also for a slice inside
 * its list.
 */
static void dma_buf_slice_checks(struct kunit *test)
{
	struct dma_buf_test_exp e = {}, shrt = {};
	struct dma_buf *dmabuf = dma_buf_test_exp_sized(test, &e, SZ_16K, true);
	struct dma_buf *bad = dma_buf_test_exp_sized(test, &shrt, SZ_8K, false);
	struct dma_buf_test_imp *imp, *imp2;
	unsigned int calls;

	imp = dma_buf_test_attach(test, dmabuf, "gpu1", false);
	calls = e.calls;
	KUNIT_EXPECT_EQ(test, dma_buf_test_map(imp, SZ_16K - 1, 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, dma_buf_test_map(imp, 0, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, dma_buf_test_map(imp, U64_MAX, 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, e.calls, calls);
	KUNIT_EXPECT_EQ(test, dma_buf_revoke(dmabuf), 0);
	KUNIT_EXPECT_EQ(test, dma_buf_test_map(imp, SZ_16K, SZ_4K), -EINVAL);
	KUNIT_EXPECT_EQ(test, dma_buf_test_map(imp, 0, SZ_4K), -ENODEV);
	KUNIT_EXPECT_EQ(test, e.calls, calls);
	dma_buf_test_detach(imp);
	dma_buf_put(dmabuf);

	imp2 = dma_buf_test_attach(test, bad, "gpu1", false);
	KUNIT_EXPECT_WARN(test, KUNIT_EXPECT_EQ(test,
			  dma_buf_test_map(imp2, 0, SZ_4K), -EINVAL));
	KUNIT_EXPECT_NULL(test, imp2->map);
	dma_buf_test_detach(imp2);
	dma_buf_put(bad);
}

/* ---- teardown, removal, moves under load ----------------------------------- */

/* The allocation counters and the free pages, to compare. */
struct dma_buf_test_usage {
	struct alloc_stats allocs;
	unsigned long free_pages;
};

static void dma_buf_test_usage(struct dma_buf_test_usage *u)
{
	/* The DMA domains keep freed IOVA cached: not the buffer's. */
	dma_test_flush_iova_caches();
	alloc_stats_get(&u->allocs);
	u->free_pages = nr_free_pages();
}

static void dma_buf_test_expect_same_usage(struct kunit *test,
					   const struct dma_buf_test_usage *a)
{
	struct dma_buf_test_usage b;

	dma_buf_test_usage(&b);
	KUNIT_EXPECT_EQ_MSG(test, b.allocs.live_allocs, a->allocs.live_allocs,
			    "allocations left at teardown");
	KUNIT_EXPECT_EQ_MSG(test, b.allocs.live_bytes, a->allocs.live_bytes,
			    "bytes left at teardown");
	KUNIT_EXPECT_EQ_MSG(test, b.free_pages, a->free_pages,
			    "pages left at teardown");
}

/*
 * An importer on the direct path that does not unmap: nothing can take
 * its device's access away, so the revoke says -EBUSY and the exporter
 * keeps the memory until the importer detaches; the device still reads
 * the buffer's bytes, not someone else's.
 */
static void dma_buf_revoke_refused_direct(struct kunit *test)
{
	const u64 len = SZ_16K;
	struct dma_buf *dmabuf = dma_buf_test_ram(test, len, true);
	struct dma_buf_test_usage before;
	struct dma_buf_test_ranges *ranges;
	struct dma_buf_test_imp *bad;
	u8 *src = dma_test_alloc(test, len), *got = dma_test_alloc(test, len);
	int ret;

	ranges = kunit_kzalloc(test, sizeof(*ranges), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ranges);

	bad = dma_buf_test_attach(test, dmabuf, "gpu2", false);
	bad->refuse = true;
	KUNIT_ASSERT_EQ(test, dma_buf_test_map(bad, 0, len), 0);
	dma_test_fill(src, len, 7);
	dma_buf_test_cpu_io(test, bad, 0, len, src, true);
	dma_buf_set_unmap_timeout(dmabuf, 10);

	dma_buf_test_usage(&before);
	KUNIT_EXPECT_WARN(test, ret = physr_heap_revoke(dmabuf));
	KUNIT_EXPECT_EQ(test, ret, -EBUSY);
	KUNIT_EXPECT_EQ(test, bad->attach->forced_unmaps, 1);
	/* The pages were not freed under the device. */
	dma_buf_test_expect_same_usage(test, &before);
	dma_buf_test_save_ranges(test, &bad->map->state.dma, ranges);
	KUNIT_EXPECT_EQ(test, dma_buf_test_read_ranges(
			dma_buf_test_imp_dev(bad), ranges, got), 0);
	KUNIT_EXPECT_MEMEQ(test, got, src, len);
	dma_test_expect_reports(test, DMA_DEBUG_ACCESS_UNMAPPED, ranges->n,
				NULL);

	dma_buf_test_detach(bad);
	dma_buf_put(dmabuf);
}

/*
 * Nothing leaked at teardown: a VRAM buffer with three importers, mapped,
 * evicted, remapped, one importer unmapped by the core after a timeout,
 * revoked; after the last detach and put, the allocation counters and
 * the free pages are what they were before the export.
 */
static void dma_buf_teardown_no_leak(struct kunit *test)
{
	static const char * const names[] = { "nic", "gpu1", "gpu2" };
	struct dma_buf_test_imp imp[3] = {};
	struct dma_buf_test_usage before;
	struct dma_buf *dmabuf;
	int i, ret;

	dma_buf_test_usage(&before);
	dmabuf = dma_buf_test_vram(test, SZ_64K, true);
	for (i = 0; i < 3; i++) {
		imp[i].attach = dma_buf_dynamic_attach(dmabuf,
				dma_test_dev(test, names[i]),
				&dma_buf_test_p2p_ops, &imp[i]);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, imp[i].attach);
	}
	KUNIT_EXPECT_EQ(test, dma_buf_test_map(&imp[0], 0, SZ_64K), 0);
	KUNIT_EXPECT_EQ(test, dma_buf_test_map(&imp[1], 0, SZ_64K), 0);
	KUNIT_ASSERT_EQ(test, physr_heap_evict(dmabuf, GFP_KERNEL), 0);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, dma_buf_test_map(&imp[i], 0, SZ_64K), 0);
	imp[1].refuse = true;
	dma_buf_set_unmap_timeout(dmabuf, 10);
	KUNIT_EXPECT_WARN(test, ret = physr_heap_revoke(dmabuf));
	KUNIT_EXPECT_EQ(test, ret, -ETIMEDOUT);
	for (i = 0; i < 3; i++) {
		struct device *dev = dma_buf_test_imp_dev(&imp[i]);

		dma_buf_test_detach(&imp[i]);
		KUNIT_EXPECT_EQ(test, dma_debug_nr_live(dev), 0);
	}
	dma_buf_put(dmabuf);
	dma_buf_test_expect_same_usage(test, &before);
}

/*
 * An exporter that moves its buffer between two sets of scattered RAM
 * pages, as often as asked: each move copies the bytes, and once every
 * importer unmapped it poisons the pages left behind, so a device that
 * reads through a mapping that survived a move reads poison.
 * @cur: which of @mem holds the buffer; @gen: moves so far.  Both under
 * the reservation lock.
 */
struct dma_buf_test_pingpong {
	struct dma_test_buf *mem[2];
	unsigned int cur;
	unsigned long gen;
	unsigned int released;
};

static const struct physr_list *dma_buf_test_pp_physr(struct dma_buf *dmabuf)
{
	struct dma_buf_test_pingpong *pp = dmabuf->priv;

	dma_resv_assert_held(dmabuf->resv);
	return &pp->mem[pp->cur]->list;
}

static void dma_buf_test_pp_release(struct dma_buf *dmabuf)
{
	struct dma_buf_test_pingpong *pp = dmabuf->priv;

	pp->released++;
}

static const struct dma_buf_ops dma_buf_test_pp_ops = {
	.get_physr = dma_buf_test_pp_physr,
	.release = dma_buf_test_pp_release,
};

/* Move to the other pages: 0, or what went wrong. */
static int dma_buf_test_pp_move(struct dma_buf *dmabuf, u8 *bytes,
				const u8 *poison)
{
	struct dma_buf_test_pingpong *pp = dmabuf->priv;
	const struct physr_list *from;
	int ret;

	dma_resv_lock(dmabuf->resv, NULL);
	dma_buf_move_notify(dmabuf);
	from = &pp->mem[pp->cur]->list;
	ret = dma_test_cpu_list_io(from, bytes, false);
	pp->cur ^= 1;
	if (!ret)
		ret = dma_test_cpu_list_io(&pp->mem[pp->cur]->list, bytes,
					   true);
	pp->gen++;
	dma_resv_unlock(dmabuf->resv);
	return dma_buf_wait_unmapped(dmabuf) ?:
	       ret ?: dma_test_cpu_list_io(from, (u8 *)poison, true);
}

/*
 * An importer's thread: maps, has its device read the buffer and checks
 * the bytes, unmaps every third round, all under the reservation lock,
 * until told to stop.  It counts what went wrong for the case to check.
 * @imp first: its move_notify finds the importer.
 * @map_gen: the exporter's moves when @imp.map was made
 * @seen_gen: the moves when it last checked bytes
 */
struct dma_buf_test_worker {
	struct dma_buf_test_imp imp;
	struct dma_buf_test_pingpong *pp;
	const u8 *want;
	u8 *got;
	pthread_t thread;
	bool *stop;
	unsigned long map_gen;
	unsigned long seen_gen;
	unsigned long rounds;
	unsigned long map_errors;
	unsigned long stale_used;
	unsigned long bad_reads;
};

static void dma_buf_test_worker_round(struct dma_buf_test_worker *w)
{
	struct dma_buf *dmabuf = w->imp.attach->dmabuf;
	struct dma_buf_map *map;

	dma_resv_lock(dmabuf->resv, NULL);
	if (!w->imp.map) {
		map = dma_buf_map_attachment(w->imp.attach, 0, w->imp.len,
					     DMA_BIDIRECTIONAL);
		if (IS_ERR(map)) {
			w->map_errors++;
			goto out_unlock;
		}
		w->imp.map = map;
		w->map_gen = w->pp->gen;
	}
	if (dma_buf_map_is_stale(w->imp.map))
		w->stale_used++;
	memset(w->got, 0, w->imp.len);
	if (dma_test_dev_io(dma_buf_test_imp_dev(&w->imp),
			    &w->imp.map->state.dma, w->got, false) ||
	    memcmp(w->got, w->want, w->imp.len))
		w->bad_reads++;
	WRITE_ONCE(w->seen_gen, w->pp->gen);
	if (!(++w->rounds % 3)) {
		dma_buf_unmap_attachment(w->imp.attach, w->imp.map);
		w->imp.map = NULL;
	}
out_unlock:
	dma_resv_unlock(dmabuf->resv);
}

static void *dma_buf_test_worker_fn(void *arg)
{
	struct dma_buf_test_worker *w = arg;

	while (!READ_ONCE(*w->stop)) {
		dma_buf_test_worker_round(w);
		sched_yield();
	}
	dma_buf_test_unmap(&w->imp);
	return NULL;
}

/* Under the lock: every live mapping is of the memory the buffer is in. */
static void dma_buf_test_expect_current(struct kunit *test,
					struct dma_buf *dmabuf,
					struct dma_buf_test_worker *w,
					unsigned int n)
{
	struct dma_buf_test_pingpong *pp = dmabuf->priv;
	unsigned int i;

	dma_resv_lock(dmabuf->resv, NULL);
	for (i = 0; i < n; i++) {
		struct device *dev = dma_buf_test_imp_dev(&w[i].imp);

		KUNIT_EXPECT_EQ(test, dma_debug_nr_live(dev),
				w[i].imp.map ? 1UL : 0UL);
		if (w[i].imp.map)
			KUNIT_EXPECT_EQ(test, w[i].map_gen, pp->gen);
	}
	dma_resv_unlock(dmabuf->resv);
}

/* Wait until every worker checked bytes since move @gen. */
static void dma_buf_test_wait_workers(struct dma_buf_test_worker *w,
				      unsigned int n, unsigned long gen)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		while (READ_ONCE(w[i].seen_gen) < gen)
			sched_yield();
}

#define DMA_BUF_TEST_MOVES	200

/*
 * Importers on gpu1 (IOMMU), gpu2 (direct) and the nic map, read and
 * unmap in threads while the exporter moves the buffer back and forth:
 * every move waits for them to have used the buffer where it is; after
 * each move no mapping of the old memory is left (none older than the
 * move, the sanitizer's count per device), no importer uses a stale one,
 * every device read finds the buffer's bytes (the old pages are
 * poisoned), and at the end nothing is left allocated.
 */
static void dma_buf_moves_under_load(struct kunit *test)
{
	static const char * const names[] = { "gpu1", "gpu2", "nic" };
	const u64 len = SZ_32K;
	struct dma_buf_test_pingpong pp = {};
	struct dma_buf_test_worker w[3] = {};
	struct dma_buf_export_info info = {
		.exp_name = "pingpong", .ops = &dma_buf_test_pp_ops,
		.size = len, .flags = O_RDWR, .priv = &pp,
	};
	u8 *want = dma_test_alloc(test, len), *bytes = dma_test_alloc(test, len);
	u8 *poison = dma_test_alloc(test, len);
	struct dma_buf_test_usage before;
	struct dma_buf *dmabuf;
	bool stop = false;
	unsigned int i, n;
	int ret;

	pp.mem[0] = dma_test_buf(test, len, MM_LAYOUT_RANDOM_4K, GFP_KERNEL, 1);
	pp.mem[1] = dma_test_buf(test, len, MM_LAYOUT_RANDOM_4K, GFP_KERNEL, 2);
	dma_test_fill(want, len, 41);
	memset(poison, 0xdb, len);
	KUNIT_ASSERT_EQ(test, dma_test_cpu_list_io(&pp.mem[0]->list, want,
						   true), 0);
	KUNIT_ASSERT_EQ(test, dma_test_cpu_list_io(&pp.mem[1]->list, poison,
						   true), 0);
	for (i = 0; i < 3; i++)
		w[i].got = dma_test_alloc(test, len);

	dma_buf_test_usage(&before);
	dmabuf = dma_buf_export(&info);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dmabuf);
	for (n = 0; n < 3; n++) {
		w[n].imp.attach = dma_buf_dynamic_attach(dmabuf,
				dma_test_dev(test, names[n]),
				&dma_buf_test_ram_ops, &w[n].imp);
		if (IS_ERR(w[n].imp.attach)) {
			KUNIT_FAIL(test, "attach: %ld", PTR_ERR(w[n].imp.attach));
			goto out_stop;
		}
		w[n].imp.len = len;
		w[n].pp = &pp;
		w[n].want = want;
		w[n].stop = &stop;
		if (pthread_create(&w[n].thread, NULL, dma_buf_test_worker_fn,
				   &w[n])) {
			dma_buf_detach(dmabuf, w[n].imp.attach);
			KUNIT_FAIL(test, "pthread_create");
			goto out_stop;
		}
	}

	for (i = 1; i <= DMA_BUF_TEST_MOVES; i++) {
		dma_buf_test_wait_workers(w, n, i - 1);
		ret = dma_buf_test_pp_move(dmabuf, bytes, poison);
		if (ret) {
			KUNIT_FAIL(test, "move %u: %d", i, ret);
			break;
		}
		dma_buf_test_expect_current(test, dmabuf, w, n);
	}
	dma_buf_test_wait_workers(w, n, i - 1);

out_stop:
	WRITE_ONCE(stop, true);
	while (n--) {
		pthread_join(w[n].thread, NULL);
		KUNIT_EXPECT_EQ(test, w[n].imp.notified, DMA_BUF_TEST_MOVES);
		KUNIT_EXPECT_GE(test, w[n].rounds, DMA_BUF_TEST_MOVES);
		KUNIT_EXPECT_EQ(test, w[n].map_errors, 0);
		KUNIT_EXPECT_EQ(test, w[n].stale_used, 0);
		KUNIT_EXPECT_EQ(test, w[n].bad_reads, 0);
		KUNIT_EXPECT_EQ(test, dma_debug_nr_live(
				dma_buf_test_imp_dev(&w[n].imp)), 0);
		dma_buf_detach(dmabuf, w[n].imp.attach);
	}
	dma_buf_put(dmabuf);
	KUNIT_EXPECT_EQ(test, pp.released, 1);
	dma_buf_test_expect_same_usage(test, &before);
}

/* ---- allocation failures ------------------------------------------------------- */

struct dma_buf_test_fail {
	struct dma_buf *dmabuf;
	struct dma_buf_attachment *attach;
	struct dma_buf_map *map;
	struct device *dev;
};

static int dma_buf_test_fail_export(void *arg)
{
	struct dma_buf_test_fail *c = arg;

	c->dmabuf = physr_heap_alloc_ram(SZ_64K, false, GFP_KERNEL);
	return PTR_ERR_OR_ZERO(c->dmabuf);
}

static int dma_buf_test_fail_attach(void *arg)
{
	struct dma_buf_test_fail *c = arg;

	c->attach = dma_buf_dynamic_attach(c->dmabuf, c->dev,
					   &dma_buf_test_ram_ops, NULL);
	return PTR_ERR_OR_ZERO(c->attach);
}

static int dma_buf_test_fail_map(void *arg)
{
	struct dma_buf_test_fail *c = arg;

	c->map = dma_buf_map_attachment_unlocked(c->attach, SZ_4K, SZ_32K,
						 DMA_TO_DEVICE);
	return PTR_ERR_OR_ZERO(c->map);
}

static bool dma_buf_test_fail_unmapped(struct kunit *test, void *arg)
{
	struct dma_buf_test_fail *c = arg;

	KUNIT_EXPECT_EQ(test, dma_debug_nr_live(c->dev), 0);
	return list_empty(&c->attach->mappings);
}

static void dma_buf_fail_nth(struct kunit *test)
{
	struct dma_buf_test_fail c = { .dev = dma_test_dev(test, "gpu1") };

	KUNIT_EXPECT_GT(test, kunit_fail_nth(test, dma_buf_test_fail_export,
					     &c), 0);
	KUNIT_EXPECT_GT(test, kunit_fail_nth(test, dma_buf_test_fail_attach,
					     &c), 0);
	/* Warm the IOVA cache so a failed round's freed block is no leak. */
	KUNIT_ASSERT_EQ(test, dma_buf_test_fail_map(&c), 0);
	dma_buf_unmap_attachment_unlocked(c.attach, c.map);
	KUNIT_EXPECT_GT(test, kunit_fail_nth_check(test, dma_buf_test_fail_map,
			dma_buf_test_fail_unmapped, &c), 0);
	dma_buf_unmap_attachment_unlocked(c.attach, c.map);
	dma_buf_detach(c.dmabuf, c.attach);
	dma_buf_put(c.dmabuf);
}

static struct kunit_case dma_buf_cases[] = {
	KUNIT_CASE(dma_buf_ram_three_importers),
	KUNIT_CASE(dma_buf_vram_importers),
	KUNIT_CASE(dma_buf_vram_three_paths),
	KUNIT_CASE(dma_buf_slices),
	KUNIT_CASE(dma_buf_evict),
	KUNIT_CASE(dma_buf_static_pin),
	KUNIT_CASE(dma_buf_remap_in_move_notify),
	KUNIT_CASE(dma_buf_evict_errors),
	KUNIT_CASE(dma_buf_dynamic_pin),
	KUNIT_CASE(dma_buf_detach_pinned),
	KUNIT_CASE(dma_buf_exporter_attach_unrevoke),
	KUNIT_CASE(dma_buf_physr_users),
	KUNIT_CASE(dma_buf_revoke_case),
	KUNIT_CASE(dma_buf_revoke_refused),
	KUNIT_CASE(dma_buf_revoke_refused_direct),
	KUNIT_CASE(dma_buf_fd_lifetime),
	KUNIT_CASE(dma_buf_put_not_held),
	KUNIT_CASE(dma_buf_errors),
	KUNIT_CASE(dma_buf_revoked_core_refuses),
	KUNIT_CASE(dma_buf_slice_checks),
	KUNIT_CASE(dma_buf_teardown_no_leak),
	KUNIT_CASE(dma_buf_moves_under_load),
	KUNIT_CASE(dma_buf_fail_nth),
	{}
};

DEFINE_DMA_TEST_SUITE(dma_buf_suite, "dma_buf", dma_buf_suite_init,
		      dma_buf_cases);

/* ---- removing the GPU of a VRAM buffer ---------------------------------------- */

/* Each case removes a device: a machine of its own, shut down after. */
static int dma_buf_remove_init(struct kunit *test)
{
	int ret = dma_buf_suite_init(NULL);

	return ret ?: dma_test_init(test);
}

static void dma_buf_remove_exit(struct kunit *test)
{
	dma_test_exit(test);
	dma_test_shutdown();
}

/*
 * gpu0 is removed while a VRAM buffer of its BAR is exported and mapped
 * by the nic (bus address) and gpu1 (host bridge).  The buffer holds
 * gpu0's struct, so nothing is freed under the mappings; the removal
 * retires the BAR's provider and reports the two live mappings; new maps
 * are -ENODEV.  Then the exporter revokes: the importers unmap, the
 * provider has no mapping left, and after the last detach and put the
 * buffer lets gpu0 go (the case's leak check: nothing left).
 */
static void dma_buf_remove_gpu_mapped(struct kunit *test)
{
	const u64 len = SZ_64K;
	struct dma_buf *dmabuf = dma_buf_test_vram(test, len, true);
	struct p2pdma_provider *p = dma_test_p2p_provider(test, 2);
	struct pci_dev *gpu0 = pci_test_dev(test, "gpu0");
	struct p2pdma_provider_stats st;
	struct dma_buf_test_imp *nic, *gpu1, *late;
	u8 *src = dma_test_alloc(test, len);

	nic = dma_buf_test_attach(test, dmabuf, "nic", true);
	gpu1 = dma_buf_test_attach(test, dmabuf, "gpu1", true);
	late = dma_buf_test_attach(test, dmabuf, "gpu1", true);
	KUNIT_ASSERT_EQ(test, dma_buf_test_map(nic, 0, len), 0);
	KUNIT_ASSERT_EQ(test, dma_buf_test_map(gpu1, 0, len), 0);
	dma_test_fill(src, len, 8);
	KUNIT_EXPECT_EQ(test, dma_test_dev_io(dma_buf_test_imp_dev(nic),
			&nic->map->state.dma, src, true), 0);
	dma_buf_test_expect_dev_reads(test, gpu1, src);

	pci_stop_and_remove_bus_device(gpu0);
	p2pdma_provider_get_stats(p, &st);
	KUNIT_EXPECT_TRUE(test, st.retired);
	KUNIT_EXPECT_EQ(test, st.mappings_at_removal, 2);
	KUNIT_EXPECT_EQ(test, st.mappings, 2);
	KUNIT_EXPECT_TRUE(test, physr_heap_is_vram(dmabuf));
	KUNIT_EXPECT_EQ(test, dma_buf_test_map(late, 0, len), -ENODEV);
	KUNIT_EXPECT_NULL(test, late->map);

	KUNIT_EXPECT_EQ(test, physr_heap_revoke(dmabuf), 0);
	KUNIT_EXPECT_NULL(test, nic->map);
	KUNIT_EXPECT_NULL(test, gpu1->map);
	KUNIT_EXPECT_FALSE(test, physr_heap_is_vram(dmabuf));
	p2pdma_provider_get_stats(p, &st);
	KUNIT_EXPECT_EQ(test, st.mappings, 0);
	KUNIT_EXPECT_EQ(test, dma_debug_nr_live(dma_buf_test_imp_dev(nic)), 0);
	KUNIT_EXPECT_EQ(test, dma_debug_nr_live(dma_buf_test_imp_dev(gpu1)), 0);
	KUNIT_EXPECT_EQ(test, dma_buf_test_map(nic, 0, len), -ENODEV);

	dma_buf_test_detach(late);
	dma_buf_test_detach(gpu1);
	dma_buf_test_detach(nic);
	dma_buf_put(dmabuf);
}

static struct kunit_case dma_buf_remove_cases[] = {
	KUNIT_CASE(dma_buf_remove_gpu_mapped),
	{}
};

static struct kunit_suite dma_buf_remove_suite = {
	.name = "dma_buf_remove",
	.init = dma_buf_remove_init,
	.exit = dma_buf_remove_exit,
	.test_cases = dma_buf_remove_cases,
};

kunit_test_suites(&dma_buf_suite, &dma_buf_remove_suite);
