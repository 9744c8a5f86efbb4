// SPDX-License-Identifier: GPL-2.0
/*
 * physr demo: the default scenario.
 *
 * Boots the simulated machine, allocates a fragmented 1 GiB buffer, builds
 * a range list of it from its page array, writes a pattern into the buffer
 * through the list (CPU stores at the list's physical addresses) and reads
 * it back through the page array, then prints what the list holds next to
 * what the kernel's own scatterlist code builds for the same pages.
 *
 * Then the IOMMU: the list is mapped into a paging domain of a device
 * behind the IOMMU with one iommu_map_physr() call, the device writes a
 * pattern at the IOVA (this tool plays the device's firmware and drives
 * its DMA engine, sim_dma_write()), the CPU reads it back through the
 * list's physical ranges, and after iommu_unmap_physr() the same device
 * write faults, as the IOMMU's fault log shows.
 *
 * Last the DMA API (tools/physr/demo_dma.c): one list mapped for three
 * devices on three paths, P2P into a GPU's BAR, and a sanitizer report;
 * and DMA-buf (tools/physr/demo_dmabuf.c): one buffer, three importers,
 * a move and a revoke.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/err.h>
#include <linux/fault-inject.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mm_layout.h>
#include <linux/physr.h>
#include <linux/sizes.h>

#include <linux/iommu.h>
#include <linux/iova.h>
#include <linux/pci.h>

#include "bench/sg_baseline.h"
#include "sim/dma.h"
#include "sim/iommu.h"
#include "tools/physr/physr.h"

#define DEMO_SEED	0x5eed0f9a51ce2026ULL
#define DEMO_SHOW	6
/* The device of the IOMMU step: alone in its IOMMU group. */
#define DEMO_DEV	"gpu1"
/* What the device writes per DMA transfer. */
#define DEMO_DMA_CHUNK	SZ_4M

struct demo_sizes {
	u64 ranges;
	u64 list_bytes;
	u64 sg_nents;
	u64 sg_bytes;
};

static u64 demo_live_bytes(void)
{
	struct alloc_stats st;

	alloc_stats_get(&st);
	return st.live_bytes;
}

static u64 demo_word(u64 seed, u64 off)
{
	u64 x = (seed ^ off) * 0x9e3779b97f4a7c15ULL;

	return x ^ (x >> 31);
}

/* CPU stores through the list: each range via the direct map. */
static void demo_write_through_list(const struct physr_list *list, u64 seed)
{
	struct physr_iter it;
	struct physr r;
	u64 off = 0;

	physr_for_each(list, &it, &r) {
		u64 *p = phys_to_virt(r.addr);
		u64 i;

		for (i = 0; i < r.len / 8; i++, off += 8)
			p[i] = demo_word(seed, off);
	}
}

/* Read the buffer back by its pages. Return: bad offset or -1. */
static s64 demo_check_pages(const struct mm_buffer *buf, u64 seed)
{
	unsigned long i;
	u64 off = 0;

	for (i = 0; i < buf->nr_pages; i++) {
		const u64 *p = page_address(buf->pages[i]);
		unsigned int w;

		for (w = 0; w < PAGE_SIZE / 8; w++, off += 8)
			if (p[w] != demo_word(seed, off))
				return off;
	}
	return -1;
}

static int demo_measure(const struct mm_buffer *buf, struct physr_list *list,
			struct demo_sizes *sz)
{
	struct sgb_table sgt = { 0 };
	u64 before = demo_live_bytes();
	int ret;

	ret = physr_list_from_pages(list, buf->pages, buf->nr_pages, 0,
				    buf->size, GFP_KERNEL);
	if (ret)
		return ret;
	sz->ranges = physr_list_nr_ranges(list);
	sz->list_bytes = demo_live_bytes() - before;

	before = demo_live_bytes();
	ret = sgb_from_pages(&sgt, buf->pages, buf->nr_pages, 0, buf->size);
	if (ret) {
		physr_list_destroy(list);
		return ret;
	}
	sz->sg_nents = sgb_nents(&sgt);
	sz->sg_bytes = demo_live_bytes() - before;
	sgb_free(&sgt);
	return 0;
}

static void demo_print_ranges(const struct physr_list *list)
{
	struct physr_iter it;
	struct physr r;
	u64 i = 0;

	physr_for_each(list, &it, &r) {
		if (i < DEMO_SHOW)
			printf("    [%llu] %#014llx + %llu\n",
			       (unsigned long long)i,
			       (unsigned long long)r.addr,
			       (unsigned long long)r.len);
		i++;
	}
	if (i > DEMO_SHOW)
		printf("    ... %llu more\n", (unsigned long long)(i - DEMO_SHOW));
}

static void demo_print_row(const char *name, const struct demo_sizes *sz)
{
	printf("  %-8s %8llu ranges %10llu B (%5.2f B/range)   "
	       "%8llu entries %10llu B (%5.2f B/entry)   %5.1fx\n",
	       name, (unsigned long long)sz->ranges,
	       (unsigned long long)sz->list_bytes,
	       (double)sz->list_bytes / sz->ranges,
	       (unsigned long long)sz->sg_nents,
	       (unsigned long long)sz->sg_bytes,
	       (double)sz->sg_bytes / sz->sg_nents,
	       (double)sz->sg_bytes / sz->list_bytes);
}

/* The device writes the pattern of @seed over @len bytes at @iova. */
static int demo_dma_write(u16 rid, dma_addr_t iova, u64 len, u64 seed)
{
	u64 *chunk = malloc(DEMO_DMA_CHUNK), off, i;
	int ret = 0;

	if (!chunk)
		return -ENOMEM;
	for (off = 0; off < len && !ret; off += DEMO_DMA_CHUNK) {
		u64 n = min_t(u64, DEMO_DMA_CHUNK, len - off);

		for (i = 0; i < n / 8; i++)
			chunk[i] = demo_word(seed, off + 8 * i);
		ret = sim_dma_write(rid, iova + off, chunk, n);
	}
	free(chunk);
	return ret;
}

/* Read the pattern of @seed back through the list's ranges. */
static s64 demo_check_list(const struct physr_list *list, u64 seed)
{
	struct physr_iter it;
	struct physr r;
	u64 off = 0;

	physr_for_each(list, &it, &r) {
		const u64 *p = phys_to_virt(r.addr);
		u64 i;

		for (i = 0; i < r.len / 8; i++, off += 8)
			if (p[i] != demo_word(seed, off))
				return off;
	}
	return -1;
}

static u64 demo_unit_inv_cmds(unsigned int unit)
{
	struct sim_iommu_stats st;

	return sim_iommu_read_stats(unit, &st) ? 0 : st.inv_cmds;
}

/*
 * The list through the IOMMU: mapped with one call into a domain of
 * DEMO_DEV's own, written by the device, read back by the CPU through the
 * list, unmapped with one call; then the device's write faults.
 */
static int demo_iommu(const struct physr_list *list, u64 seed)
{
	struct iommu_domain_stats st0, st1, st2;
	struct sim_iommu_fault fault;
	struct iommu_domain *domain;
	struct pci_dev *pdev;
	u64 inv0, inv1, inv2, span;
	unsigned int unit;
	dma_addr_t iova;
	s64 bad;
	int ret;

	seed = ~seed;
	pdev = pci_get_by_name(DEMO_DEV);
	if (!pdev)
		return -ENODEV;
	if (pdev->dev.iommu_unit < 0) {
		ret = -ENODEV;
		goto out_put;
	}
	unit = pdev->dev.iommu_unit;
	domain = iommu_domain_alloc();
	if (IS_ERR(domain)) {
		ret = PTR_ERR(domain);
		goto out_put;
	}
	ret = iommu_attach_device(domain, &pdev->dev);
	if (ret)
		goto out_free_domain;
	span = iommu_physr_iova_len(list);
	ret = iova_alloc(&domain->iovad, span, pdev->dev.dma_mask, &iova);
	if (ret)
		goto out_detach;

	iommu_domain_get_stats(domain, &st0);
	inv0 = demo_unit_inv_cmds(unit);
	ret = iommu_map_physr(domain, iova, list,
			      IOMMU_READ | IOMMU_WRITE, GFP_KERNEL);
	if (ret)
		goto out_free_iova;
	iommu_domain_get_stats(domain, &st1);
	inv1 = demo_unit_inv_cmds(unit);
	printf("\nThrough the IOMMU: %s, attached to a paging domain of its own\n"
	       "  iommu_map_physr() of the list at IOVA %#llx, one call:\n"
	       "    leaves %llu x 4 KiB, %llu x 2 MiB, %llu x 1 GiB; %llu PTE writes; "
	       "%llu IOTLB invalidation\n",
	       dev_name(&pdev->dev), (unsigned long long)iova,
	       (unsigned long long)st1.leaves[1],
	       (unsigned long long)st1.leaves[2],
	       (unsigned long long)st1.leaves[3],
	       (unsigned long long)(st1.pte_writes - st0.pte_writes),
	       (unsigned long long)(inv1 - inv0));

	ret = demo_dma_write(pdev->dev.rid, iova, physr_list_len(list), seed);
	if (ret) {
		printf("  device write FAILED: %s\n", strerror(-ret));
		goto out_unmap;
	}
	bad = demo_check_list(list, seed);
	if (bad >= 0) {
		printf("  pattern MISMATCH at byte %lld\n", (long long)bad);
		ret = -EIO;
		goto out_unmap;
	}
	printf("  %s's DMA engine wrote %llu MiB at the IOVA; read back through the\n"
	       "    list's physical ranges: every byte matches\n",
	       pdev->name, (unsigned long long)(physr_list_len(list) >> 20));

out_unmap:
	if (iommu_unmap_physr(domain, iova, list)) {
		ret = ret ?: -EIO;
		goto out_free_iova;
	}
	if (ret)
		goto out_free_iova;
	iommu_domain_get_stats(domain, &st2);
	inv2 = demo_unit_inv_cmds(unit);
	printf("  iommu_unmap_physr(): %llu PTE writes; %llu IOTLB invalidation\n",
	       (unsigned long long)(st2.pte_writes - st1.pte_writes),
	       (unsigned long long)(inv2 - inv1));

	/* The same device write again: now the IOMMU refuses it. */
	while (!sim_iommu_read_fault(unit, &fault))
		;
	ret = demo_dma_write(pdev->dev.rid, iova, SZ_4K, seed);
	if (ret != -EFAULT || sim_iommu_read_fault(unit, &fault)) {
		printf("  device write after unmap: %s, no fault logged\n",
		       ret ? strerror(-ret) : "succeeded");
		ret = -EIO;
		goto out_free_iova;
	}
	printf("  %s writes at the IOVA again: -EFAULT, and the IOMMU's fault log has\n"
	       "    %s at IOVA %#llx, RID %02x:%02x.%x, domain %u: %s (level %u)\n",
	       pdev->name,
	       fault.access == SIM_IOMMU_ACCESS_WRITE ? "write" : "read",
	       (unsigned long long)fault.iova, fault.rid >> 8,
	       (fault.rid >> 3) & 0x1f, fault.rid & 7, fault.did,
	       sim_iommu_fault_reason_name(fault.reason), fault.level);
	ret = 0;

out_free_iova:
	iova_free(&domain->iovad, iova, span);
out_detach:
	iommu_detach_device(domain, &pdev->dev);
out_free_domain:
	iommu_domain_free(domain);
out_put:
	pci_dev_put(pdev);
	return ret;
}

/* The main scenario: one buffer, written through its list. */
static int demo_scenario(enum mm_layout layout, u64 size, u64 seed)
{
	struct physr_list list = PHYSR_LIST_INIT;
	struct demo_sizes sz;
	struct mm_buffer *buf;
	s64 bad;
	int ret;

	buf = mm_buffer_alloc(size, layout, seed, GFP_KERNEL);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	printf("A %llu MiB buffer in simulated RAM, layout %s (seed %#llx):\n"
	       "  %lu pages of 4 KiB in %lu physically contiguous runs\n\n",
	       (unsigned long long)(size >> 20), mm_layout_name(layout),
	       (unsigned long long)seed, buf->nr_pages, mm_buffer_nr_runs(buf));

	ret = demo_measure(buf, &list, &sz);
	if (ret)
		goto out_free_buf;

	printf("physr_list_from_pages() describes it with %llu ranges, %llu bytes:\n",
	       (unsigned long long)physr_list_nr_ranges(&list),
	       (unsigned long long)physr_list_len(&list));
	demo_print_ranges(&list);

	demo_write_through_list(&list, seed);
	bad = demo_check_pages(buf, seed);
	if (bad >= 0) {
		printf("\n  pattern MISMATCH at byte %lld\n", (long long)bad);
		ret = -EIO;
		goto out_destroy;
	}
	printf("\n  wrote %llu MiB through the list's physical ranges and read it\n"
	       "  back through the page array: every byte matches\n\n",
	       (unsigned long long)(size >> 20));

	printf("Memory held:\n"
	       "  range list   %10llu bytes  (%.2f bytes per range)\n"
	       "  scatterlist  %10llu bytes  (%llu entries, %.2f bytes each;\n"
	       "               %s)\n"
	       "  the scatterlist holds %.1fx more\n",
	       (unsigned long long)sz.list_bytes,
	       (double)sz.list_bytes / sz.ranges,
	       (unsigned long long)sz.sg_bytes,
	       (unsigned long long)sz.sg_nents,
	       (double)sz.sg_bytes / sz.sg_nents, sgb_describe(),
	       (double)sz.sg_bytes / sz.list_bytes);

	ret = demo_iommu(&list, seed);

out_destroy:
	physr_list_destroy(&list);
out_free_buf:
	mm_buffer_free(buf);
	return ret;
}

/* The same size in every layout, for comparison. */
static int demo_layouts(u64 size, u64 seed)
{
	enum mm_layout layout;

	printf("\nEvery layout, %llu MiB (range list vs. scatterlist):\n",
	       (unsigned long long)(size >> 20));
	for (layout = 0; layout < MM_NR_LAYOUTS; layout++) {
		struct physr_list list = PHYSR_LIST_INIT;
		struct demo_sizes sz;
		struct mm_buffer *buf;
		int ret;

		buf = mm_buffer_alloc(size, layout, seed, GFP_KERNEL);
		if (IS_ERR(buf))
			return PTR_ERR(buf);
		ret = demo_measure(buf, &list, &sz);
		if (!ret) {
			demo_print_row(mm_layout_name(layout), &sz);
			physr_list_destroy(&list);
		}
		mm_buffer_free(buf);
		if (ret)
			return ret;
	}
	return 0;
}

static void demo_usage(FILE *f)
{
	fprintf(f,
		"usage: physr demo [--layout contig|2m|4k|random] [--size MiB] [--seed N]\n"
		"\n"
		"Builds a fragmented buffer (default: 1 GiB of randomly scattered\n"
		"4 KiB pages) in simulated RAM, describes it with a range list,\n"
		"writes a pattern through the list and checks it through the\n"
		"pages, and compares the list's memory with a scatterlist's.\n");
}

/**
 * demo_main() - the `physr demo` command
 * @argc: argument count, argv[0] being "demo"
 * @argv: arguments
 *
 * Return: the process exit status.
 */
int demo_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "layout", required_argument, NULL, 'l' },
		{ "size", required_argument, NULL, 's' },
		{ "seed", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum mm_layout layout = MM_LAYOUT_RANDOM_4K;
	u64 size = SZ_1G, seed = DEMO_SEED;
	int opt, ret;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "l:s:S:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'l':
			if (mm_layout_parse(optarg, &layout)) {
				fprintf(stderr, "physr demo: unknown layout '%s'\n", optarg);
				return 2;
			}
			break;
		case 's':
			size = strtoull(optarg, NULL, 0) << 20;
			if (!size || size > 4ULL * SZ_1G) {
				fprintf(stderr, "physr demo: --size takes 1 to 4096 (MiB)\n");
				return 2;
			}
			break;
		case 'S':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'h':
			demo_usage(stdout);
			return 0;
		default:
			demo_usage(stderr);
			return 2;
		}
	}

	ret = machine_boot(NULL);
	if (ret) {
		fprintf(stderr, "physr demo: cannot boot the machine: %s\n",
			strerror(-ret));
		return 1;
	}
	ret = demo_scenario(layout, size, seed);
	if (!ret)
		ret = demo_layouts(size, seed);
	if (!ret)
		ret = demo_dma();
	machine_shutdown();
	if (ret) {
		fprintf(stderr, "physr demo: %s\n", strerror(-ret));
		return 1;
	}
	return 0;
}
