/* SPDX-License-Identifier: GPL-2.0 */
/* Shim <linux/bvec.h>: the type extract_bvec_to_sg() reads. */
#ifndef _SGSHIM_LINUX_BVEC_H
#define _SGSHIM_LINUX_BVEC_H

#include <linux/types.h>

struct page;

struct bio_vec {
	struct page	*bv_page;
	unsigned int	bv_len;
	unsigned int	bv_offset;
};

#endif /* _SGSHIM_LINUX_BVEC_H */
