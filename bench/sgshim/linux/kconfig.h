/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim: the kernel configuration lib/scatterlist.c is built with, forced in
 * with -include by bench/baseline.mk.  These are the values of Debian's
 * amd64 config for 6.12 (config.amd64_none_amd64) for every option that
 * scatterlist.c or scatterlist.h tests:
 *
 *   CONFIG_NEED_SG_DMA_LENGTH=y  dma_length is a field of its own
 *   CONFIG_NEED_SG_DMA_FLAGS=y   dma_flags fills the padding: 32-byte entries
 *   CONFIG_ZONE_DEVICE=y         pages merge only within one pgmap
 *   CONFIG_DEBUG_SG, CONFIG_ARCH_NO_SG_CHAIN: not set
 *
 * CONFIG_PCI_P2PDMA is not set in Debian's config.  scatterlist.c never
 * tests it; the DMA paths of bench/sgshim/sg_glue.c that do
 * (is_pci_p2pdma_page() per entry) come in two builds: as Debian's, and
 * with the option on, for the benchmarks' /pgmap configuration.
 *
 * One departure: CONFIG_SGL_ALLOC (=y in Debian) is left unset, as
 * sgl_alloc*() allocate the pages themselves and no benchmark uses them.
 */
#ifndef _SGSHIM_LINUX_KCONFIG_H
#define _SGSHIM_LINUX_KCONFIG_H

#define CONFIG_NEED_SG_DMA_LENGTH	1
#define CONFIG_NEED_SG_DMA_FLAGS	1
#define CONFIG_ZONE_DEVICE		1
#define CONFIG_SPARSEMEM_VMEMMAP	1
#define CONFIG_64BIT			1

/* IS_ENABLED(CONFIG_FOO): 1 when CONFIG_FOO is defined to 1, else 0. */
#define __SGSHIM_ARG_PLACEHOLDER_1	0,
#define __sgshim_take_second(ignored, val, ...) val
#define __sgshim_is_defined(x)		___sgshim_is_defined(x)
#define ___sgshim_is_defined(val)	\
	____sgshim_is_defined(__SGSHIM_ARG_PLACEHOLDER_##val)
#define ____sgshim_is_defined(arg1_or_junk) \
	__sgshim_take_second(arg1_or_junk 1, 0)
#define IS_ENABLED(option)		__sgshim_is_defined(option)

#endif /* _SGSHIM_LINUX_KCONFIG_H */
