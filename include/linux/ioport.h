/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct resource: a range of CPU physical addresses a device decodes,
 * [start, end] with @end inclusive (so a resource may end at the last
 * address), as in the kernel.  Only memory resources exist here.
 */
#ifndef _LINUX_IOPORT_H
#define _LINUX_IOPORT_H

#include <linux/types.h>

#define IORESOURCE_MEM		0x00000200
#define IORESOURCE_PREFETCH	0x00002000
#define IORESOURCE_MEM_64	0x00100000

/**
 * struct resource - a range of physical addresses
 * @start: first address
 * @end: last address, inclusive
 * @flags: IORESOURCE_*; 0 for an unused resource
 */
struct resource {
	phys_addr_t start;
	phys_addr_t end;
	unsigned long flags;
};

static inline resource_size_t resource_size(const struct resource *res)
{
	return res->end - res->start + 1;
}

#endif /* _LINUX_IOPORT_H */
