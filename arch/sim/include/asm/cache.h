/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CPU's cache line, from the cache's datasheet (<hw/sim_cache.h>):
 * the unit of cache maintenance and the stride for prefetching and
 * padding.
 */
#ifndef _ASM_SIM_CACHE_H
#define _ASM_SIM_CACHE_H

#include <hw/sim_cache.h>

#define L1_CACHE_SHIFT		SIM_CACHE_LINE_SHIFT
#define L1_CACHE_BYTES		(1 << L1_CACHE_SHIFT)

#endif /* _ASM_SIM_CACHE_H */
