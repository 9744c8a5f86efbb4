/* SPDX-License-Identifier: GPL-2.0 */
/* The subcommands of the physr command. */
#ifndef _PHYSR_TOOL_H
#define _PHYSR_TOOL_H

int demo_main(int argc, char **argv);
int demo_dma(void);
int topo_main(int argc, char **argv);

#endif /* _PHYSR_TOOL_H */
