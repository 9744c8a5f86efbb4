// SPDX-License-Identifier: GPL-2.0
/*
 * physr demo, the DMA API part (run after the main scenario).
 *
 * Reboots on the default board plus a second host bridge without an
 * IOMMU (gpu2, and sata2 with 32 address bits), DMA domains on the first,
 * and shows:
 *
 *  - one range list of scattered pages mapped with dma_map_physr() for
 *    three devices at once, one per path: gpu1 through the IOMMU (one DMA
 *    range), gpu2 direct (the DMA list is the list itself), sata2 through
 *    swiotlb bounce slots; each device reads the buffer;
 *  - P2P through the DMA API: the NIC writes into GPU0's BAR by bus
 *    address across the switch, GPU1 into it through the host bridge
 *    (an IOVA), and the CPU reads the bytes at the BAR;
 *  - the DMA sanitizer reporting a deliberate misuse on the direct path,
 *    where no IOMMU would notice: gpu2 writes a buffer it may only read;
 *  - a process's THP-backed buffer pinned with pin_user_physr(), mapped
 *    for gpu1 behind the IOMMU, written by gpu1's DMA engine, unpinned
 *    dirty, and read back by the process;
 *  - DMA-buf (tools/physr/demo_dmabuf.c): one buffer, three importers on
 *    three paths, a move and a revoke.
 *
 * This tool plays the devices' firmware: it drives their DMA engines
 * (sim_dma_read/write()) at the DMA addresses the DMA list gives.  At the
 * end the default machine is booted again, as the caller left it.
 */
#include <stdio.h>
#include <string.h>

#include <linux/dma-debug.h>
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/iommu.h>
#include <linux/kallsyms.h>
#include <linux/mm.h>
#include <linux/mm_layout.h>
#include <linux/mm_struct.h>
#include <linux/pci.h>
#include <linux/pci-p2pdma.h>
#include <linux/physr.h>
#include <linux/printk.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/swiotlb.h>
#include <linux/uaccess.h>

#include "sim/dma.h"
#include "sim/pci.h"
#include "sim/sim.h"
#include "tools/physr/physr.h"

#define DEMO_DMA_SIZE	SZ_4M
#define DEMO_P2P_SIZE	SZ_1M
#define DEMO_PIN_SIZE	SZ_4M
#define DEMO_NODES	(SIM_PCI_MAX_NODES)

static struct sim_pci_node_desc demo_dma_nodes[DEMO_NODES];

/* The default board, and hb1 without an IOMMU: gpu2, 32-bit sata2. */
static void demo_dma_config(struct sim_config *cfg, struct sim_pci_board *b)
{
	unsigned int n = sim_default_board.nr_nodes;
	int hb, rp;

	memcpy(demo_dma_nodes, sim_default_board.nodes,
	       n * sizeof(demo_dma_nodes[0]));
	hb = n;
	demo_dma_nodes[n++] = (struct sim_pci_node_desc){
		.name = "hb1", .type = SIM_PCI_HOST_BRIDGE, .parent = -1,
		.vendor = 0x5ca1, .device = 0x0100, .bus = 0x40,
		.iommu_unit = SIM_PCI_NO_IOMMU, .p2p_forward = true };
	rp = n;
	demo_dma_nodes[n++] = (struct sim_pci_node_desc){
		.name = "rpD", .type = SIM_PCI_ROOT_PORT, .parent = hb };
	demo_dma_nodes[n++] = (struct sim_pci_node_desc){
		.name = "gpu2", .type = SIM_PCI_ENDPOINT, .parent = rp,
		.vendor = 0x5ca1, .device = 0x0300, .bar[0] = { SZ_1M, 0 } };
	rp = n;
	demo_dma_nodes[n++] = (struct sim_pci_node_desc){
		.name = "rpE", .type = SIM_PCI_ROOT_PORT, .parent = hb };
	demo_dma_nodes[n++] = (struct sim_pci_node_desc){
		.name = "sata2", .type = SIM_PCI_ENDPOINT, .parent = rp,
		.vendor = 0x5ca1, .device = 0x0106, .dma_bits = 32,
		.bar[5] = { SZ_8K, 0 } };

	sim_default_config(cfg);
	b->nr_iommu = sim_default_board.nr_iommu;
	b->nr_nodes = n;
	b->nodes = demo_dma_nodes;
	cfg->board = b;
}

static void demo_fill(u8 *p, u64 len, u8 seed)
{
	u64 i;

	for (i = 0; i < len; i++)
		p[i] = (u8)(i * 131 + seed + (i >> 12));
}

/* The device reads (or writes) a whole DMA list, segment by segment. */
static int demo_dev_io(struct device *dev, const struct dma_list *dl, u8 *buf,
		       bool write)
{
	struct dma_list_iter di;
	struct dma_range r;
	int ret;

	dma_list_for_each(dl, &di, &r) {
		ret = write ? sim_dma_write(dev->rid, r.addr, buf, r.len) :
			      sim_dma_read(dev->rid, r.addr, buf, r.len);
		if (ret)
			return ret;
		buf += r.len;
	}
	return 0;
}

/* What a mapping gave the device, in one line. */
static void demo_describe(const char *name, const char *path,
			  const struct dma_map_state *st, const char *what)
{
	printf("    %-6s %-8s at %#-14llx %5llu segment%s  %s\n", name, path,
	       (unsigned long long)dma_list_first_addr(&st->dma),
	       (unsigned long long)dma_list_nr_ranges(&st->dma),
	       dma_list_nr_ranges(&st->dma) == 1 ? " " : "s", what);
}

/* One list, three devices, three paths. */
static int demo_dma_three(u8 *src, u8 *dst)
{
	static const char *const names[] = { "gpu1", "gpu2", "sata2" };
	struct pci_dev *pdevs[3] = { NULL };
	struct dma_map_state st[3];
	struct swiotlb_stats ts;
	struct physr_list list = PHYSR_LIST_INIT;
	struct mm_buffer *buf;
	char what[96];
	int i, n = 0, ret;

	buf = mm_buffer_alloc(DEMO_DMA_SIZE, MM_LAYOUT_PAGE_4K, 7, GFP_KERNEL);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	ret = physr_list_from_pages(&list, buf->pages, buf->nr_pages, 0,
				    DEMO_DMA_SIZE, GFP_KERNEL);
	if (ret)
		goto out_free_buf;
	demo_fill(src, DEMO_DMA_SIZE, 1);
	ret = mm_buffer_write(buf, 0, src, DEMO_DMA_SIZE);
	if (ret)
		goto out_destroy;

	printf("\nThe DMA API (a second host bridge without IOMMU added: gpu2, and\n"
	       "sata2 with 32 address bits): one list of %llu scattered 4 KiB pages\n"
	       "above 4 GiB, mapped with dma_map_physr() for three devices at once:\n",
	       (unsigned long long)physr_list_nr_ranges(&list));
	for (n = 0; n < 3; n++) {
		pdevs[n] = pci_get_by_name(names[n]);
		ret = pdevs[n] ? dma_map_physr(&pdevs[n]->dev, &list,
					       DMA_TO_DEVICE, 0, &st[n]) :
				 -ENODEV;
		if (ret) {
			pci_dev_put(pdevs[n]);
			goto out_unmap;
		}
	}
	swiotlb_get_stats(&ts);
	demo_describe("gpu1", "iommu", &st[0],
		      "one IOVA range, in 64 KiB segments; no storage");
	snprintf(what, sizeof(what), "the list itself (%zu bytes more)",
		 dma_list_heap_bytes(&st[1].dma));
	demo_describe("gpu2", "direct", &st[1], what);
	snprintf(what, sizeof(what), "%llu KiB of swiotlb slots below 4 GiB",
		 (unsigned long long)(ts.used * IO_TLB_SIZE) >> 10);
	demo_describe("sata2", "bounce", &st[2], what);

	for (i = 0; i < 3; i++) {
		memset(dst, 0, DEMO_DMA_SIZE);
		ret = demo_dev_io(&pdevs[i]->dev, &st[i].dma, dst, false);
		if (ret || memcmp(dst, src, DEMO_DMA_SIZE)) {
			printf("  %s read the buffer: MISMATCH (%d)\n", names[i],
			       ret);
			ret = ret ?: -EIO;
			goto out_unmap;
		}
	}
	printf("  each device's DMA engine read the %u MiB at its DMA addresses:\n"
	       "  every byte matches, and the list was never written\n",
	       DEMO_DMA_SIZE >> 20);

out_unmap:
	while (n--) {
		dma_unmap_physr(&pdevs[n]->dev, &st[n], DMA_TO_DEVICE, 0);
		pci_dev_put(pdevs[n]);
	}
out_destroy:
	physr_list_destroy(&list);
out_free_buf:
	mm_buffer_free(buf);
	return ret;
}

/* A device writes into GPU0's BAR through the DMA API; the CPU checks. */
static int demo_p2p_one(struct p2pdma_provider *p, struct device *dev,
			u8 *src, u8 *dst, u8 seed)
{
	const char *name = to_pci_dev(dev)->name;
	struct physr_list list = PHYSR_LIST_INIT;
	struct sim_dma_stats s0, s1;
	struct dma_map_state st;
	phys_addr_t at = p->base + (seed == 2 ? 0 : SZ_8M);
	dma_addr_t dma;
	int ret;

	ret = physr_list_append_p2p(&list, p, at, DEMO_P2P_SIZE, GFP_KERNEL);
	if (ret)
		return ret;
	ret = dma_map_physr(dev, &list, DMA_FROM_DEVICE, 0, &st);
	if (ret)
		goto out_destroy;
	dma = dma_list_first_addr(&st.dma);
	demo_fill(src, DEMO_P2P_SIZE, seed);
	sim_dma_stats_get(&s0);
	ret = demo_dev_io(dev, &st.dma, src, true);
	sim_dma_stats_get(&s1);
	dma_unmap_physr(dev, &st, DMA_FROM_DEVICE, 0);
	if (!ret)
		ret = sim_cpu_read(at, dst, DEMO_P2P_SIZE);
	if (ret || memcmp(src, dst, DEMO_P2P_SIZE)) {
		printf("  %s into gpu0's BAR: MISMATCH (%d)\n", name, ret);
		ret = ret ?: -EIO;
		goto out_destroy;
	}
	printf("    %-4s %-16s at %#-14llx %llu transactions %s\n",
	       name,
	       pci_p2pdma_map_type_name(pci_p2pdma_map_type(p, dev)),
	       (unsigned long long)dma,
	       (unsigned long long)(s1.transactions - s0.transactions),
	       s1.p2p > s0.p2p ? "across the switch, never at the IOMMU" :
				 "up through the IOMMU and the host bridge");
out_destroy:
	physr_list_destroy(&list);
	return ret;
}

static int demo_dma_p2p(u8 *src, u8 *dst)
{
	struct pci_dev *gpu0 = pci_get_by_name("gpu0");
	struct pci_dev *nic = pci_get_by_name("nic");
	struct pci_dev *gpu1 = pci_get_by_name("gpu1");
	struct p2pdma_provider *p;
	int ret = -ENODEV;

	if (!gpu0 || !nic || !gpu1)
		goto out_put;
	/* The BAR's provider: gpu0's, as long as we hold gpu0. */
	p = pcim_p2pdma_provider(gpu0, 2);
	if (IS_ERR(p)) {
		ret = PTR_ERR(p);
		goto out_put;
	}
	printf("\nP2P through the DMA API: 1 MiB into gpu0's BAR2 (CPU address %#llx),\n"
	       "the CPU reads it back at the BAR: every byte matches\n",
	       (unsigned long long)p->base);
	ret = demo_p2p_one(p, &nic->dev, src, dst, 2);
	if (!ret)
		ret = demo_p2p_one(p, &gpu1->dev, src, dst, 3);
out_put:
	pci_dev_put(gpu1);
	pci_dev_put(nic);
	pci_dev_put(gpu0);
	return ret;
}

/*
 * A deliberate misuse on the direct path, and the sanitizer's report,
 * which names this function as the one that mapped: noinline, so that it
 * has an address of its own.
 */
static noinline int demo_dma_sanitizer(u8 *buf)
{
	struct pci_dev *gpu2 = pci_get_by_name("gpu2");
	struct physr_list list = PHYSR_LIST_INIT;
	struct dma_debug_report rep;
	struct dma_map_state st;
	struct mm_buffer *mb;
	unsigned long before;
	struct device *dev;
	int ret;

	if (!gpu2)
		return -ENODEV;
	dev = &gpu2->dev;
	mb = mm_buffer_alloc(SZ_64K, MM_LAYOUT_PAGE_4K, 9, GFP_KERNEL);
	if (IS_ERR(mb)) {
		ret = PTR_ERR(mb);
		goto out_put;
	}
	ret = physr_list_from_pages(&list, mb->pages, mb->nr_pages, 0, SZ_64K,
				    GFP_KERNEL);
	if (ret)
		goto out_free;
	ret = dma_map_physr(dev, &list, DMA_TO_DEVICE, 0, &st);
	if (ret)
		goto out_destroy;
	before = dma_debug_reports();
	/* The bug: the device writes what it was given to read. */
	ret = sim_dma_write(dev->rid, dma_list_first_addr(&st.dma), buf, 512);
	dma_debug_check();
	printf("\nThe DMA sanitizer: gpu2 (direct path, no IOMMU) writes 512 bytes into\n"
	       "a DMA_TO_DEVICE mapping; the machine lets it through (%s), and:\n",
	       ret ? "error" : "0");
	if (dma_debug_reports() == before + 1 && dma_debug_last_report(&rep)) {
		printf("  DMA-API: %s: %s\n", dev_name(rep.dev), rep.msg);
		if (rep.site) {
			char sym[KSYM_SYMBOL_LEN];

			sprint_symbol(sym, rep.site);
			printf("  DMA-API:   mapping made from %s\n", sym);
		}
		ret = 0;
	} else {
		printf("  no report!\n");
		ret = -EIO;
	}
	dma_unmap_physr(dev, &st, DMA_TO_DEVICE, 0);
out_destroy:
	physr_list_destroy(&list);
out_free:
	mm_buffer_free(mb);
out_put:
	pci_dev_put(gpu2);
	return ret;
}

/* Folios the list covers, and how many of them carry DMA pins. */
static void demo_count_pinned(const struct physr_list *list,
			      unsigned long *folios, unsigned long *pinned)
{
	struct folio *last = NULL;
	struct physr_iter it;
	struct physr r;
	u64 off;

	*folios = *pinned = 0;
	physr_for_each(list, &it, &r) {
		for (off = 0; off < r.len; off += PAGE_SIZE) {
			struct folio *f = pfn_folio(PHYS_PFN(r.addr + off));

			if (f == last)
				continue;
			last = f;
			(*folios)++;
			*pinned += folio_maybe_dma_pinned(f);
		}
	}
}

/* The device writes the pinned, mapped buffer; the process reads it. */
static int demo_pin_dma(struct mm_struct *mm, unsigned long uaddr,
			struct physr_list *list, u8 *src, u8 *dst)
{
	struct pci_dev *gpu1 = pci_get_by_name("gpu1");
	struct dma_map_state st;
	struct device *dev;
	int ret;

	if (!gpu1)
		return -ENODEV;
	dev = &gpu1->dev;
	ret = dma_map_physr(dev, list, DMA_FROM_DEVICE, 0, &st);
	if (ret)
		goto out_put;
	printf("  dma_map_physr() for gpu1: one IOVA range at %#llx, cut into %llu\n"
	       "  segments by the device's %u KiB max segment size\n",
	       (unsigned long long)dma_list_first_addr(&st.dma),
	       (unsigned long long)dma_list_nr_ranges(&st.dma),
	       dma_get_max_seg_size(dev) >> 10);
	demo_fill(src, DEMO_PIN_SIZE, 4);
	ret = demo_dev_io(dev, &st.dma, src, true);
	dma_unmap_physr(dev, &st, DMA_FROM_DEVICE, 0);
	pci_dev_put(gpu1);
	if (ret)
		return ret;
	unpin_user_physr(list, true);
	memset(dst, 0, DEMO_PIN_SIZE);
	if (copy_from_user(mm, dst, uaddr, DEMO_PIN_SIZE) ||
	    memcmp(src, dst, DEMO_PIN_SIZE)) {
		printf("  the process reads its buffer: MISMATCH\n");
		return -EIO;
	}
	printf("  gpu1's DMA engine wrote %llu KiB at the IOVA; after unmap and\n"
	       "  unpin_user_physr(dirty), the process reads its buffer with\n"
	       "  copy_from_user(): every byte matches\n",
	       (unsigned long long)DEMO_PIN_SIZE >> 10);
	return 0;

out_put:
	pci_dev_put(gpu1);
	return ret;
}

/*
 * A process's THP buffer, pinned straight into ranges.  It starts 64 KiB
 * into a 2 MiB folio so that the list's edges are pieces of folios.
 */
static int demo_dma_pin(u8 *src, u8 *dst)
{
	struct physr_list list = PHYSR_LIST_INIT;
	unsigned long base, uaddr, folios, pinned;
	struct mm_struct *mm;
	int ret;

	mm = mm_alloc();
	if (!mm)
		return -ENOMEM;
	base = vm_mmap(mm, 0, SZ_8M, VM_READ | VM_WRITE, VM_KIND_THP);
	if (IS_ERR_VALUE(base)) {
		ret = (int)(long)base;
		goto out_mmput;
	}
	uaddr = base + SZ_64K;
	ret = pin_user_physr(mm, uaddr, DEMO_PIN_SIZE,
			     FOLL_WRITE | FOLL_LONGTERM, &list);
	if (ret)
		goto out_mmput;
	demo_count_pinned(&list, &folios, &pinned);
	printf("\npin_user_physr(): a process's %llu KiB at %#lx in a THP mapping,\n"
	       "faulted in and pinned for write, long term, with no page array:\n"
	       "  %llu range%s, %lu folios (%lu pinned), list %zu bytes;\n"
	       "  pin_user_pages() would have written %llu page pointers\n",
	       (unsigned long long)DEMO_PIN_SIZE >> 10, uaddr,
	       (unsigned long long)physr_list_nr_ranges(&list),
	       physr_list_nr_ranges(&list) == 1 ? "" : "s", folios, pinned,
	       physr_list_heap_bytes(&list),
	       (unsigned long long)DEMO_PIN_SIZE >> PAGE_SHIFT);
	ret = demo_pin_dma(mm, uaddr, &list, src, dst);
	if (ret)
		unpin_user_physr(&list, false);
out_mmput:
	mmput(mm);
	return ret;
}

/**
 * demo_dma() - the DMA API part of `physr demo`
 *
 * Expects the default machine booted; boots its own, shows the DMA API
 * on it, and boots the default machine again.
 *
 * Return: 0, or a negative errno.
 */
int demo_dma(void)
{
	int loglevel = compat_console_loglevel;
	struct sim_pci_board board;
	struct sim_config cfg;
	u8 *src, *dst;
	int ret, ret2;

	src = kvmalloc_array(2, DEMO_DMA_SIZE, GFP_KERNEL);
	if (!src)
		return -ENOMEM;
	dst = src + DEMO_DMA_SIZE;

	machine_shutdown();
	demo_dma_config(&cfg, &board);
	ret = iommu_set_default_domain_type(IOMMU_DOMAIN_DMA);
	if (!ret)
		ret = machine_boot(&cfg);
	if (ret)
		goto out_reboot;
	/* The sanitizer's own messages: the demo prints its report itself. */
	compat_console_loglevel = 3;	/* below KERN_ERR: quiet */

	ret = demo_dma_three(src, dst);
	if (!ret)
		ret = demo_dma_p2p(src, dst);
	if (!ret)
		ret = demo_dma_sanitizer(src);
	if (!ret)
		ret = demo_dma_pin(src, dst);
	if (!ret)
		ret = demo_dmabuf(src, dst);
	if (!ret)
		ret = demo_vfio();

	compat_console_loglevel = loglevel;
	machine_shutdown();
out_reboot:
	iommu_set_default_domain_type(IOMMU_DOMAIN_IDENTITY);
	ret2 = machine_boot(NULL);
	kvfree(src);
	return ret ?: ret2;
}
