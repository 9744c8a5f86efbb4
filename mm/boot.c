// SPDX-License-Identifier: GPL-2.0
/*
 * Bringing mm up and down, and the boot loader for tests and tools.
 *
 * mm_init() is the kernel side's early memory setup: it reads the
 * firmware RAM map of the machine it runs on, builds the memmap and the
 * direct map, and hands every RAM page to the buddy allocator.
 *
 * machine_boot() plays bootloader: power on a machine (sim/), then start
 * the kernel side on it: mm, PCI enumeration, the IOMMU core, the DMA API
 * (bounce pool, sanitizer), in that order (each reads what the one before
 * set up), and machine_shutdown() stops them in reverse.  It sits on the
 * kernel side of the boundary because it calls kernel code; the machine
 * never does.
 */
#include <linux/dma-mapping.h>
#include <linux/errno.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/pci.h>

#include "mm/internal.h"
#include "sim/sim.h"

static bool mm_ready;

/**
 * mm_init() - set up memory management on the booted machine
 *
 * Return: 0; -EBUSY if already set up; -ENODEV without a machine;
 * -EINVAL if the firmware RAM map is unusable; -ENOMEM.
 */
int mm_init(void)
{
	int ret;

	if (mm_ready)
		return -EBUSY;
	if (!sim_machine_present())
		return -ENODEV;

	ret = mm_memmap_init();
	if (ret)
		return ret;
	ret = mm_page_alloc_init();
	if (ret)
		goto out_memmap;
	mm_ready = true;
	return 0;

out_memmap:
	mm_memmap_exit();
	return ret;
}

/**
 * mm_exit() - tear memory management down
 *
 * Every page should have been freed; leaks are reported (WARN).  A no-op
 * if mm_init() did not succeed.
 */
void mm_exit(void)
{
	if (!mm_ready)
		return;
	mm_page_alloc_exit();
	mm_memmap_exit();
	mm_ready = false;
}

/**
 * machine_boot() - power on a machine and bring the kernel side up on it
 * @cfg: the machine; NULL for sim_default_config()
 *
 * Return: 0, or the error of sim_machine_create(), mm_init(), pci_init(),
 * iommu_sim_init(), iommu_init() or dma_init(); on error nothing is left
 * running.
 */
int machine_boot(const struct sim_config *cfg)
{
	struct sim_config def;
	int ret;

	if (!cfg) {
		sim_default_config(&def);
		cfg = &def;
	}
	ret = sim_machine_create(cfg);
	if (ret)
		return ret;
	ret = mm_init();
	if (ret)
		goto out_destroy;
	ret = pci_init();
	if (ret)
		goto out_mm_exit;
	ret = iommu_sim_init();
	if (ret)
		goto out_pci_exit;
	ret = iommu_init();
	if (ret)
		goto out_iommu_sim_exit;
	ret = dma_init();
	if (ret)
		goto out_iommu_exit;
	return 0;

out_iommu_exit:
	iommu_exit();
out_iommu_sim_exit:
	iommu_sim_exit();
out_pci_exit:
	pci_exit();
out_mm_exit:
	mm_exit();
out_destroy:
	sim_machine_destroy();
	return ret;
}

/**
 * machine_shutdown() - stop the kernel side and power the machine off
 */
void machine_shutdown(void)
{
	dma_exit();
	iommu_exit();
	iommu_sim_exit();
	pci_exit();
	mm_exit();
	sim_machine_destroy();
}
