/* SPDX-License-Identifier: GPL-2.0 */
/* Shim <asm/io.h>: scatterlist.h includes it but needs nothing from it. */
#ifndef _SGSHIM_ASM_IO_H
#define _SGSHIM_ASM_IO_H

#endif /* _SGSHIM_ASM_IO_H */
