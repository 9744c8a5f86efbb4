// SPDX-License-Identifier: GPL-2.0
/*
 * The boundary checker's self-test (make check): a kernel-side source
 * that uses libc and a compiler builtin directly.  Only grepped, never
 * built; check-boundary.sh must name both lines and fail.
 */
#include <string.h>

static inline unsigned int boundary_selftest_ctz(unsigned long x)
{
	return __builtin_ctzl(x);
}
