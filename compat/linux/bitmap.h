/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/bitmap.h>: the few helpers the code uses. */
#ifndef _COMPAT_LINUX_BITMAP_H
#define _COMPAT_LINUX_BITMAP_H

#include <string.h>
#include <linux/bitops.h>

static inline void bitmap_zero(unsigned long *dst, unsigned int nbits)
{
	memset(dst, 0, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}

static inline void bitmap_fill(unsigned long *dst, unsigned int nbits)
{
	memset(dst, 0xff, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}

static inline unsigned int bitmap_weight(const unsigned long *src,
					 unsigned int nbits)
{
	unsigned int i, w = 0;

	for (i = 0; i < nbits / BITS_PER_LONG; i++)
		w += hweight_long(src[i]);
	if (nbits % BITS_PER_LONG)
		w += hweight_long(src[i] & (BIT(nbits % BITS_PER_LONG) - 1));
	return w;
}

static inline bool bitmap_empty(const unsigned long *src, unsigned int nbits)
{
	return find_first_bit(src, nbits) >= nbits;
}

static inline bool bitmap_full(const unsigned long *src, unsigned int nbits)
{
	return find_first_zero_bit(src, nbits) >= nbits;
}

/* Set or clear bits [start, start + len). */
static inline void bitmap_set(unsigned long *map, unsigned int start,
			      unsigned int len)
{
	while (len--)
		__set_bit(start++, map);
}

static inline void bitmap_clear(unsigned long *map, unsigned int start,
				unsigned int len)
{
	while (len--)
		__clear_bit(start++, map);
}

#endif /* _COMPAT_LINUX_BITMAP_H */
