/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The boot harness (arch/sim/boot.c): what tests, benchmarks and the
 * physr command use to power a machine on and boot the kernel side on
 * it.  Not for kernel code: the kernel does not boot itself.
 */
#ifndef _ARCH_SIM_BOOT_H
#define _ARCH_SIM_BOOT_H

struct sim_config;

int machine_boot(const struct sim_config *cfg);
void machine_shutdown(void);

#endif /* _ARCH_SIM_BOOT_H */
