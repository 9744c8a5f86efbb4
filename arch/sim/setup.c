// SPDX-License-Identifier: GPL-2.0
/*
 * Boot-time setup of the simulated platform: what setup_arch() does on a
 * real architecture, read from the machine's firmware tables
 * (<hw/sim_firmware.h>).
 *
 *  - The physical address width becomes MAX_PHYSMEM_BITS (<asm/sparsemem.h>).
 *  - Each entry of the RAM map is registered with memblock_add(), which
 *    is all mm learns about RAM (mm_init() then builds on it).
 *  - The direct map: the machine shows all RAM to the CPU at one constant
 *    offset (sim/sim.h).  We check that promise for every region (the
 *    CPU address of its first and last byte) and make the offset
 *    PAGE_OFFSET, so __va() is one addition.
 *  - The memmap's address space is reserved for 2^MAX_PHYSMEM_BITS bytes.
 *
 * teardown_arch() undoes it, after mm_exit().
 */
#include <linux/errno.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/printk.h>
#include <asm/page.h>
#include <asm/sparsemem.h>

#include "internal.h"
#include "sim/sim.h"

/* Is RAM byte @pa at CPU address @pa + @offset? */
static bool sim_direct_mapped(phys_addr_t pa, unsigned long offset)
{
	u8 *va = sim_cpu_map(pa, 1);

	return va && (unsigned long)va - (unsigned long)pa == offset;
}

/* Register the firmware's RAM map, and find the direct map's offset. */
static int sim_setup_ram(void)
{
	unsigned int i, n = sim_fw_ram_count();
	unsigned long offset = 0;

	if (!n)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		struct sim_ram_region r;
		phys_addr_t last;
		int ret;

		ret = sim_fw_ram_region(i, &r);
		if (ret)
			return ret;
		if (!r.size || check_add_overflow(r.base, r.size - 1, &last))
			return -EINVAL;
		if (!i && sim_cpu_map(r.base, 1))
			offset = (unsigned long)sim_cpu_map(r.base, 1) -
				 (unsigned long)r.base;
		if (!sim_direct_mapped(r.base, offset) ||
		    !sim_direct_mapped(last, offset)) {
			pr_err("setup: RAM at %#llx is not linearly mapped\n",
			       (unsigned long long)r.base);
			return -EINVAL;
		}
		ret = memblock_add(r.base, r.size);
		if (ret)
			return ret;
	}
	page_offset_base = offset;
	return 0;
}

/**
 * setup_arch() - take over the machine from its firmware
 *
 * Return: 0; -ENODEV without a machine; -EINVAL if a firmware table is
 * unusable; -ENOSPC if the RAM map has more entries than mm tracks;
 * -ENOMEM.  On error nothing is left set up.
 */
int setup_arch(void)
{
	unsigned int bits;
	int ret;

	if (!sim_machine_present())
		return -ENODEV;
	bits = sim_fw_phys_addr_bits();
	if (bits < SIM_FW_PHYS_ADDR_BITS_MIN ||
	    bits > SIM_FW_PHYS_ADDR_BITS_MAX)
		return -EINVAL;
	max_physmem_bits = bits;

	ret = sim_setup_ram();
	if (ret)
		goto out_forget;
	ret = vmemmap_reserve();
	if (ret)
		goto out_forget;
	return 0;

out_forget:
	teardown_arch();
	return ret;
}

/**
 * teardown_arch() - forget the machine (after mm_exit())
 *
 * The memmap's address space goes, RAM is unregistered, the direct map
 * and the width are forgotten.  Safe to call when nothing is set up.
 */
void teardown_arch(void)
{
	vmemmap_release();
	memblock_remove(0, PHYS_ADDR_MAX);
	page_offset_base = 0;
	max_physmem_bits = 0;
}
