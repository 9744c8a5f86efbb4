// SPDX-License-Identifier: GPL-2.0
/*
 * The boot harness: the bootloader of tests, benchmarks and the physr
 * command.
 *
 * machine_boot() powers on a machine (sim/), then starts the kernel side
 * on it: the platform (setup_arch()), mm, PCI enumeration, the IOMMU
 * core, the DMA API (bounce pool, sanitizer), in that order (each reads
 * what the one before set up), and machine_shutdown() stops them in
 * reverse and powers the machine off.  It lives in the platform layer
 * because it is the one place that both builds the machine and calls
 * kernel code; the machine never calls the kernel.
 */
#include <linux/dma-mapping.h>
#include <linux/errno.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/pci.h>

#include "boot.h"
#include "internal.h"
#include "sim/sim.h"

/**
 * machine_boot() - power on a machine and bring the kernel side up on it
 * @cfg: the machine; NULL for sim_default_config()
 *
 * Return: 0, or the error of sim_machine_create(), setup_arch(),
 * mm_init(), pci_init(), iommu_sim_init(), iommu_init() or
 * dma_init(); on error nothing is left running.
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
	ret = setup_arch();
	if (ret)
		goto out_destroy;
	ret = mm_init();
	if (ret)
		goto out_teardown_arch;
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
out_teardown_arch:
	teardown_arch();
out_destroy:
	sim_machine_destroy();
	return ret;
}

/**
 * machine_shutdown() - stop the kernel side and power the machine off
 *
 * Safe without a machine.
 */
void machine_shutdown(void)
{
	dma_exit();
	iommu_exit();
	iommu_sim_exit();
	pci_exit();
	mm_exit();
	teardown_arch();
	sim_machine_destroy();
}
