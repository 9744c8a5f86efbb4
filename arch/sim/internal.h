/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the platform layer: what the files of arch/sim/ share.  Nothing
 * outside arch/sim/ includes this.
 */
#ifndef _ARCH_SIM_INTERNAL_H
#define _ARCH_SIM_INTERNAL_H

#include <linux/types.h>

/* setup.c */
int setup_arch(void);
void teardown_arch(void);

/* mm.c: the memmap's address space */
int vmemmap_reserve(void);
void vmemmap_release(void);

#endif /* _ARCH_SIM_INTERNAL_H */
