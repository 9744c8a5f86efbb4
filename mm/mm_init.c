// SPDX-License-Identifier: GPL-2.0
/*
 * Bringing mm up and down.
 *
 * mm_init() is the kernel side's early memory setup, after the platform's
 * setup_arch() (arch/sim/setup.c) registered RAM with memblock_add(),
 * reserved the memmap's address space and set up the direct map: it
 * builds the memmap over that RAM and hands every RAM page to the buddy
 * allocator.  mm_exit() undoes it; the RAM stays registered.
 */
#include <linux/errno.h>
#include <linux/mm.h>

#include "internal.h"

static bool mm_ready;

/**
 * mm_is_up() - has mm_init() succeeded, and mm_exit() not run since?
 *
 * Return: true while mm is up.
 */
bool mm_is_up(void)
{
	return mm_ready;
}

/**
 * mm_init() - set up memory management over the registered RAM
 *
 * Return: 0; -EBUSY if already set up; -ENODEV if the platform has
 * registered no RAM (no machine set up); -ENOMEM.
 */
int mm_init(void)
{
	int ret;

	if (mm_ready)
		return -EBUSY;

	ret = mm_memmap_init();
	if (ret)
		return ret;
	ret = mm_page_alloc_init();
	if (ret)
		goto out_memmap;
	mm_ready = true;
	return 0;

out_memmap:
	mm_memmap_exit();
	return ret;
}

/**
 * mm_exit() - tear memory management down
 *
 * Every page should have been freed; leaks are reported (WARN).  A no-op
 * if mm_init() did not succeed.
 */
void mm_exit(void)
{
	if (!mm_ready)
		return;
	mm_page_alloc_exit();
	mm_memmap_exit();
	mm_ready = false;
}
