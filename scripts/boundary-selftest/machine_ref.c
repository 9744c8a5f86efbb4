// SPDX-License-Identifier: GPL-2.0
/*
 * The boundary checker's self-test (make check): a kernel-side file that
 * reaches the machine by declaring one of its functions itself, which the
 * include path cannot stop.  Built as a kernel-side object under build/;
 * check-boundary.sh must name it and the symbol, and fail.
 */
#include <linux/types.h>

int sim_cpu_read(phys_addr_t pa, void *buf, size_t len);
int boundary_selftest_machine_ref(void);

int boundary_selftest_machine_ref(void)
{
	u32 v;

	return sim_cpu_read(0, &v, sizeof(v));
}
