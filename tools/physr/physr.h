/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The subcommands of the physr command.  Each boots the machine it needs
 * with the boot harness, which every file of the tool gets from here.
 */
#ifndef _PHYSR_TOOL_H
#define _PHYSR_TOOL_H

#include "arch/sim/boot.h"

int demo_main(int argc, char **argv);
int demo_dma(void);
int demo_dmabuf(u8 *src, u8 *dst);
int demo_vfio(void);
int topo_main(int argc, char **argv);

#endif /* _PHYSR_TOOL_H */
