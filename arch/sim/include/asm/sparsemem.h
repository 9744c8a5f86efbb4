/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The memmap's place in the CPU's address space (SPARSEMEM_VMEMMAP).
 *
 * vmemmap is the struct page of PFN 0; the region after it has room for
 * one struct page per page frame of the whole physical address space,
 * 2^MAX_PHYSMEM_BITS bytes.  setup_arch() reserves that region (address
 * space only) once it knows the physical address width; mm/ then backs
 * the pieces it uses with vmemmap_populate() and gives them back with
 * vmemmap_free() (<linux/mm.h>).
 *
 * MAX_PHYSMEM_BITS is the width the firmware reports, not a constant: a
 * variable, as on x86 where it depends on 5-level paging at run time.
 * Both are 0 while no machine is set up.
 */
#ifndef _ASM_SIM_SPARSEMEM_H
#define _ASM_SIM_SPARSEMEM_H

struct page;

extern unsigned int max_physmem_bits;
#define MAX_PHYSMEM_BITS	max_physmem_bits

extern struct page *vmemmap;

#endif /* _ASM_SIM_SPARSEMEM_H */
