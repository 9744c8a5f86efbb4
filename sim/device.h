/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Device models: the behaviour behind a PCI function's registers.
 *
 * A board endpoint may name a model (struct sim_pci_node_desc @model).
 * The model owns one of the function's BARs, @regs_bar, whole: CPU loads
 * and stores there are not memory but calls into the model (doorbells,
 * command mailboxes), the way config space is a call into the machine's
 * PCI code.  The function's other BARs stay plain memory.
 *
 * What the machine guarantees a model:
 *
 *  - @reg_read and @reg_write only see accesses of 1, 2, 4 or 8 bytes,
 *    naturally aligned, inside the BAR, made while the BAR decodes
 *    (Memory Space Enable on, not in reset, BAR register at its
 *    address); other accesses read all ones and are dropped before.
 *  - Calls for one function are serialised with each other, with its
 *    config space and with its reset (the function's lock is held), and
 *    never made after it is unplugged.
 *  - @reset runs at power on, with the private state zeroed, and at each
 *    Function Level Reset.
 *  - No machine lock but the function's is held: a model may issue DMA
 *    (sim_dev_dma_read()/_write(), with its function's requester ID, under
 *    Bus Master Enable and through the IOMMU like any device) from a
 *    register store.  It must not make CPU accesses (sim_cpu_*()) to
 *    its own registers from there.
 *
 * Private state: @priv_size bytes per function, zeroed, allocated when
 * the machine is built and freed when it is destroyed.
 */
#ifndef _SIM_DEVICE_H
#define _SIM_DEVICE_H

#include <linux/types.h>

/**
 * struct sim_dev - a function as its model sees it
 * @name: the board's name for it
 * @rid: its requester ID
 * @priv: the model's private state
 */
struct sim_dev {
	const char *name;
	u16 rid;
	void *priv;
};

/**
 * struct sim_dev_model - a device model
 * @name: what it is, e.g. "copy-engine"
 * @regs_bar: index of the BAR whose accesses call the model
 * @priv_size: bytes of private state per function
 * @reset: return the device's registers to their reset values
 * @reg_read: a load of @size bytes at @offset into the register BAR
 * @reg_write: a store of @size bytes (@value's low bytes) at @offset
 */
struct sim_dev_model {
	const char *name;
	unsigned int regs_bar;
	size_t priv_size;
	void (*reset)(struct sim_dev *dev);
	u64 (*reg_read)(struct sim_dev *dev, u64 offset, unsigned int size);
	void (*reg_write)(struct sim_dev *dev, u64 offset, u64 value,
			  unsigned int size);
};

int sim_dev_dma_read(struct sim_dev *dev, dma_addr_t addr, void *buf,
		     size_t len);
int sim_dev_dma_write(struct sim_dev *dev, dma_addr_t addr, const void *buf,
		      size_t len);

/* The DMA copy engine, <hw/sim_copy_engine.h>. */
extern const struct sim_dev_model sim_copy_engine_model;

#endif /* _SIM_DEVICE_H */
