// SPDX-License-Identifier: GPL-2.0
/*
 * The DMA copy engine: a device model (sim/device.h) whose doorbell makes
 * it copy bytes from one DMA address to another.  Its register map is the
 * datasheet's, <hw/sim_copy_engine.h>.
 *
 * The copy runs inside the doorbell store, in SIM_CE_CHUNK pieces through
 * a buffer in the private state: each piece is a DMA read and a DMA write
 * of the function's own requester ID, so the IOMMU, Bus Master Enable and
 * the DMA sanitizer's trace see it as any device's DMA.  The machine holds
 * the function's lock around every call here (reset included), so the
 * state needs no lock of its own.
 */
#include <string.h>

#include <linux/kernel.h>
#include <hw/sim_copy_engine.h>

#include "sim/device.h"

/**
 * struct sim_ce - a copy engine's registers and buffer
 * @src: SIM_CE_SRC
 * @dst: SIM_CE_DST
 * @len: SIM_CE_LEN
 * @status: SIM_CE_STATUS
 * @copied: SIM_CE_COPIED
 * @count: SIM_CE_COUNT
 * @scratch: SIM_CE_SCRATCH
 * @buf: one chunk on its way
 */
struct sim_ce {
	u64 src;
	u64 dst;
	u32 len;
	u32 status;
	u32 copied;
	u32 count;
	u32 scratch;
	u8 buf[SIM_CE_CHUNK];
};

static void sim_ce_reset(struct sim_dev *dev)
{
	struct sim_ce *ce = dev->priv;

	memset(ce, 0, offsetof(struct sim_ce, buf));
	ce->scratch = SIM_CE_SCRATCH_RESET;
}

static u32 sim_ce_fail(unsigned int why)
{
	return SIM_CE_STATUS_ERROR | why << SIM_CE_STATUS_ERR_SHIFT;
}

/* The doorbell: copy @len bytes from @src to @dst. */
static void sim_ce_run(struct sim_dev *dev, struct sim_ce *ce)
{
	u32 done = 0, n;

	ce->copied = 0;
	if (!ce->len || ce->len > SIM_CE_MAX_LEN) {
		ce->status = sim_ce_fail(SIM_CE_ERR_LEN);
		return;
	}
	while (done < ce->len) {
		n = min_t(u32, ce->len - done, SIM_CE_CHUNK);
		if (sim_dev_dma_read(dev, ce->src + done, ce->buf, n)) {
			ce->status = sim_ce_fail(SIM_CE_ERR_READ);
			return;
		}
		if (sim_dev_dma_write(dev, ce->dst + done, ce->buf, n)) {
			ce->status = sim_ce_fail(SIM_CE_ERR_WRITE);
			return;
		}
		done += n;
		ce->copied = done;
	}
	ce->status = SIM_CE_STATUS_DONE;
	ce->count++;
}

static u64 sim_ce_read(struct sim_dev *dev, u64 offset, unsigned int size)
{
	struct sim_ce *ce = dev->priv;

	if (size == 8) {
		if (offset == SIM_CE_SRC)
			return ce->src;
		if (offset == SIM_CE_DST)
			return ce->dst;
		return 0;
	}
	if (size != 4)
		return 0;
	switch (offset) {
	case SIM_CE_ID:
		return SIM_CE_ID_VALUE;
	case SIM_CE_SRC:
	case SIM_CE_SRC + 4:
		return (u32)(ce->src >> (offset - SIM_CE_SRC) * 8);
	case SIM_CE_DST:
	case SIM_CE_DST + 4:
		return (u32)(ce->dst >> (offset - SIM_CE_DST) * 8);
	case SIM_CE_LEN:
		return ce->len;
	case SIM_CE_STATUS:
		return ce->status;
	case SIM_CE_COPIED:
		return ce->copied;
	case SIM_CE_COUNT:
		return ce->count;
	case SIM_CE_SCRATCH:
		return ce->scratch;
	default:
		return 0;
	}
}

/* Store the 32-bit half at byte @shift of a 64-bit register. */
static void sim_ce_set_half(u64 *reg, unsigned int shift, u32 v)
{
	*reg = (*reg & ~(0xffffffffULL << shift)) | (u64)v << shift;
}

static void sim_ce_write(struct sim_dev *dev, u64 offset, u64 value,
			 unsigned int size)
{
	struct sim_ce *ce = dev->priv;

	if (size == 8) {
		if (offset == SIM_CE_SRC)
			ce->src = value;
		else if (offset == SIM_CE_DST)
			ce->dst = value;
		return;
	}
	if (size != 4)
		return;
	switch (offset) {
	case SIM_CE_SRC:
	case SIM_CE_SRC + 4:
		sim_ce_set_half(&ce->src, (offset - SIM_CE_SRC) * 8, value);
		break;
	case SIM_CE_DST:
	case SIM_CE_DST + 4:
		sim_ce_set_half(&ce->dst, (offset - SIM_CE_DST) * 8, value);
		break;
	case SIM_CE_LEN:
		ce->len = value;
		break;
	case SIM_CE_DOORBELL:
		if (value & SIM_CE_DOORBELL_GO)
			sim_ce_run(dev, ce);
		break;
	case SIM_CE_SCRATCH:
		ce->scratch = value;
		break;
	}
}

const struct sim_dev_model sim_copy_engine_model = {
	.name = "copy-engine",
	.regs_bar = SIM_CE_REGS_BAR,
	.priv_size = sizeof(struct sim_ce),
	.reset = sim_ce_reset,
	.reg_read = sim_ce_read,
	.reg_write = sim_ce_write,
};
