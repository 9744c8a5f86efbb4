/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/prandom.h>: see <linux/random.h>. */
#include <linux/random.h>
