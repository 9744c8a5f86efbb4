// SPDX-License-Identifier: GPL-2.0
/*
 * The boundary checker's self-test (make check): a kernel-side file that
 * talks to the machine only through the platform layer.  Built as a
 * kernel-side object under build/; check-boundary.sh must pass it.
 */
#include <linux/string.h>
#include <asm/io.h>

int boundary_selftest_clean(phys_addr_t pa);

int boundary_selftest_clean(phys_addr_t pa)
{
	void __iomem *io = ioremap(pa, 4);
	u32 v;

	if (!io)
		return -ENOMEM;
	v = readl(io);
	iounmap(io);
	return memchr_inv(&v, 0xff, sizeof(v)) ? 0 : -EIO;
}
