/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPU access to device memory: ioremap() and the MMIO accessors.
 *
 * ioremap() hands out a cookie (void __iomem *) for a range of the
 * physical address space that is not RAM: a BAR, device registers.  The
 * cookie is not a pointer to the bytes and must never be dereferenced; it
 * is not even a canonical address, so a stray dereference faults.  Every
 * accessor below goes through one of two functions, arch_io_read() and
 * arch_io_write() (arch/sim/io.c), which check the access against its
 * mapping and perform it as the machine's CPU loads and stores: to BAR
 * memory, and to whatever else answers at the address (registers with
 * side effects, where a device model has them).  Where nothing answers,
 * loads return all ones and stores are dropped, as a PCIe master abort
 * does.
 *
 * The CPU is little-endian, so readl() and friends need no byte swap.
 * Each readX()/writeX() is one access of its width; memcpy_toio() and
 * memcpy_fromio() are one access of their length.  Access outside the
 * cookie's mapping is a driver bug: WARN, and the access is not made
 * (loads return all ones).
 */
#ifndef _ASM_SIM_IO_H
#define _ASM_SIM_IO_H

#include <linux/compiler.h>
#include <linux/types.h>

void __iomem *ioremap(phys_addr_t offset, size_t size);
void iounmap(volatile void __iomem *addr);

void arch_io_read(const volatile void __iomem *addr, void *buf, size_t len);
void arch_io_write(volatile void __iomem *addr, const void *buf, size_t len);
void memset_io(volatile void __iomem *addr, int value, size_t count);

static inline void memcpy_fromio(void *buf, const volatile void __iomem *addr,
				 size_t count)
{
	arch_io_read(addr, buf, count);
}

static inline void memcpy_toio(volatile void __iomem *addr, const void *buf,
			       size_t count)
{
	arch_io_write(addr, buf, count);
}

#define __SIM_IO_ACCESSORS(bits, rd, wr)				\
static inline u##bits rd(const volatile void __iomem *addr)		\
{									\
	u##bits v;							\
									\
	arch_io_read(addr, &v, sizeof(v));				\
	return v;							\
}									\
									\
static inline void wr(u##bits value, volatile void __iomem *addr)	\
{									\
	arch_io_write(addr, &value, sizeof(value));			\
}

__SIM_IO_ACCESSORS(8, readb, writeb)
__SIM_IO_ACCESSORS(16, readw, writew)
__SIM_IO_ACCESSORS(32, readl, writel)
__SIM_IO_ACCESSORS(64, readq, writeq)
#undef __SIM_IO_ACCESSORS

/* The iomap flavour: the same accesses (there is no port I/O here). */
#define ioread8(addr)		readb(addr)
#define ioread16(addr)		readw(addr)
#define ioread32(addr)		readl(addr)
#define ioread64(addr)		readq(addr)
#define iowrite8(v, addr)	writeb(v, addr)
#define iowrite16(v, addr)	writew(v, addr)
#define iowrite32(v, addr)	writel(v, addr)
#define iowrite64(v, addr)	writeq(v, addr)

#endif /* _ASM_SIM_IO_H */
