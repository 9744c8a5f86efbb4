// SPDX-License-Identifier: GPL-2.0
/*
 * The boundary checker's self-test (make check): a kernel-side file that
 * reaches a machine header by climbing out of an include directory with
 * angle brackets, which the include path alone cannot stop (<../sim/...>
 * from -Iinclude).  Built as a kernel-side object under build/;
 * check-boundary.sh must name the header its dependency file lists and
 * the include line, and fail.
 */
#include <linux/types.h>
#include <../sim/sim.h>

int boundary_selftest_angle_climb(void);

int boundary_selftest_angle_climb(void)
{
	return SIM_MAX_RAM_REGIONS;
}
