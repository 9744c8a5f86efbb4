/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shim <linux/folio_queue.h>: enough for extract_folioq_to_sg() to compile.
 * The shim has no folio queues; the accessors are never reached.
 */
#ifndef _SGSHIM_LINUX_FOLIO_QUEUE_H
#define _SGSHIM_LINUX_FOLIO_QUEUE_H

#include <linux/mm.h>

struct folio_queue {
	struct folio_queue *next;
};

static inline unsigned int folioq_nr_slots(const struct folio_queue *folioq)
{
	SGSHIM_UNSUPPORTED();
}

static inline struct folio *folioq_folio(const struct folio_queue *folioq,
					 unsigned int slot)
{
	SGSHIM_UNSUPPORTED();
}

static inline size_t folioq_folio_size(const struct folio_queue *folioq,
				       unsigned int slot)
{
	SGSHIM_UNSUPPORTED();
}

#endif /* _SGSHIM_LINUX_FOLIO_QUEUE_H */
