/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim <linux/uio.h> (with the bits of <linux/xarray.h> and
 * <linux/rcupdate.h> that come with it in the kernel): enough for
 * extract_iter_to_sg() and its helpers to compile.  The shim builds no
 * iov_iter; the operations that would touch one are never reached.
 */
#ifndef _SGSHIM_LINUX_UIO_H
#define _SGSHIM_LINUX_UIO_H

#include <linux/mm.h>
#include <linux/bvec.h>

struct folio_queue;
struct xarray;

struct kvec {
	void	*iov_base;
	size_t	iov_len;
};

enum iter_type {
	ITER_UBUF,
	ITER_IOVEC,
	ITER_BVEC,
	ITER_KVEC,
	ITER_FOLIOQ,
	ITER_XARRAY,
	ITER_DISCARD,
};

typedef unsigned int iov_iter_extraction_t;

struct iov_iter {
	u8 iter_type;
	size_t iov_offset;
	size_t count;
	union {
		const struct kvec *kvec;
		const struct bio_vec *bvec;
		const struct folio_queue *folioq;
		struct xarray *xarray;
	};
	union {
		unsigned long nr_segs;
		u8 folioq_slot;
		loff_t xarray_start;
	};
};

static inline enum iter_type iov_iter_type(const struct iov_iter *i)
{
	return i->iter_type;
}

static inline ssize_t iov_iter_extract_pages(struct iov_iter *i,
					     struct page ***pages,
					     size_t maxsize, unsigned int maxpages,
					     iov_iter_extraction_t flags,
					     size_t *offset0)
{
	SGSHIM_UNSUPPORTED();
}

static inline void iov_iter_advance(struct iov_iter *i, size_t bytes)
{
	SGSHIM_UNSUPPORTED();
}

static inline void unpin_user_page(struct page *page)
{
	SGSHIM_UNSUPPORTED();
}

static inline bool is_vmalloc_or_module_addr(const void *x)
{
	return false;
}

static inline struct page *vmalloc_to_page(const void *addr)
{
	SGSHIM_UNSUPPORTED();
}

/* <linux/rcupdate.h> */
static inline void rcu_read_lock(void)
{
}

static inline void rcu_read_unlock(void)
{
}

/* <linux/xarray.h> */
struct xa_state {
	struct xarray *xa;
	unsigned long xa_index;
};

#define XA_STATE(name, array, index)					\
	struct xa_state name = { .xa = (array), .xa_index = (index) }

static inline void *xas_find(struct xa_state *xas, unsigned long max)
{
	SGSHIM_UNSUPPORTED();
}

#define xas_for_each(xas, entry, max)					\
	for (entry = xas_find(xas, max); entry; entry = xas_find(xas, max))

static inline bool xas_retry(struct xa_state *xas, const void *entry)
{
	return false;
}

static inline bool xa_is_value(const void *entry)
{
	return (unsigned long)entry & 1;
}

#endif /* _SGSHIM_LINUX_UIO_H */
