/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel configuration this userspace build stands for.  A kernel
 * build force-includes its own <linux/kconfig.h> with the generated
 * autoconf.h; a header that tests an option includes this one, which in
 * the kernel is a no-op.  Options are listed here only once something
 * tests them.
 */
#ifndef _COMPAT_LINUX_KCONFIG_H
#define _COMPAT_LINUX_KCONFIG_H

/* P2P DMA between PCI devices, with struct pages for BAR memory. */
#define CONFIG_PCI_P2PDMA 1

#endif /* _COMPAT_LINUX_KCONFIG_H */
