/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The DMA copy engine: a small PCI device of the simulated machine
 * (sim/copy_engine.c) that copies bytes from one DMA address to another
 * when its doorbell is rung.  The test device of registers with side
 * effects; its driver is whatever test programs it.
 *
 * BAR0 (4 KiB, 32-bit) holds the registers below.  Accesses are 4 bytes,
 * or 8 for the 64-bit registers, naturally aligned; other accesses read
 * zero and are ignored.  Any other BAR the board gives it is plain memory.
 *
 * A copy: program SRC, DST and LEN, then write SIM_CE_DOORBELL_GO to
 * DOORBELL.  The engine reads LEN bytes at SRC and writes them at DST
 * with its own requester ID, SIM_CE_CHUNK bytes at a time (so its DMA
 * goes through the IOMMU and obeys Bus Master Enable like any other),
 * and stops at the first chunk that fails.  The copy is done when the
 * doorbell store completes (this machine's devices work in the thread
 * that rang them); STATUS then says DONE, or ERROR with the reason, and
 * COPIED how many bytes arrived.
 *
 * Reset (power on, FLR): SRC, DST, LEN, STATUS, COPIED and COUNT are 0,
 * SCRATCH is SIM_CE_SCRATCH_RESET.
 */
#ifndef _HW_SIM_COPY_ENGINE_H
#define _HW_SIM_COPY_ENGINE_H

#define SIM_CE_REGS_BAR		0	/* the BAR holding the registers */
#define SIM_CE_REGS_SIZE	4096

#define SIM_CE_ID		0x00	/* RO 32: SIM_CE_ID_VALUE */
#define  SIM_CE_ID_VALUE	0x43504543	/* "CEPC" little-endian */
#define SIM_CE_SRC		0x08	/* RW 64: source DMA address */
#define SIM_CE_DST		0x10	/* RW 64: destination DMA address */
#define SIM_CE_LEN		0x18	/* RW 32: bytes, 1 to SIM_CE_MAX_LEN */
#define SIM_CE_DOORBELL		0x1c	/* WO 32: reads 0 */
#define  SIM_CE_DOORBELL_GO	0x1
#define SIM_CE_STATUS		0x20	/* RO 32 */
#define  SIM_CE_STATUS_DONE	0x1	/* the last copy completed */
#define  SIM_CE_STATUS_ERROR	0x2	/* the last copy failed */
#define  SIM_CE_STATUS_ERR_SHIFT 8	/* bits 15:8: why, SIM_CE_ERR_* */
#define  SIM_CE_STATUS_ERR_MASK	0xff00
#define   SIM_CE_ERR_LEN	1	/* LEN is 0 or above SIM_CE_MAX_LEN */
#define   SIM_CE_ERR_READ	2	/* reading the source failed */
#define   SIM_CE_ERR_WRITE	3	/* writing the destination failed */
#define SIM_CE_COPIED		0x24	/* RO 32: bytes the last copy wrote */
#define SIM_CE_COUNT		0x28	/* RO 32: copies completed since reset */
#define SIM_CE_SCRATCH		0x2c	/* RW 32 */
#define  SIM_CE_SCRATCH_RESET	0x5ca1ab1e

#define SIM_CE_MAX_LEN		(1U << 20)
#define SIM_CE_CHUNK		4096

#endif /* _HW_SIM_COPY_ENGINE_H */
