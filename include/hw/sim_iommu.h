/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The simulated IOMMU's datasheet: the formats the hardware and its driver
 * agree on.  Constants and structures only; both sides include it (the
 * machine in sim/iommu.c, the driver in drivers/iommu/).
 *
 * Units.  A machine has one or more IOMMU units (the firmware says how
 * many, and which unit translates for which device).  A unit sees every
 * DMA transaction of the devices behind it, tagged with the requester ID
 * (RID, bus << 8 | devfn) the device emits.
 *
 * Context table.  Per unit, one context entry per RID, written through
 * the unit's context register (sim_iommu_write_context()).  An entry is
 * either invalid (DMA blocked: every access faults), in bypass (the IOVA
 * is the physical address), or in translate mode, naming a domain ID and
 * the physical address of the root of an IO page table.  A write takes
 * effect for the next transaction: the unit caches no context entries.
 *
 * IO page table.  48-bit IOVA, 4 KiB granule, four levels of 512 64-bit
 * entries, each table one 4 KiB page of RAM, naturally aligned.  Levels
 * are numbered from the leaves up:
 *
 *   level 4 (root)  IOVA bits 47:39   entries point to level-3 tables
 *   level 3         IOVA bits 38:30   table pointer, or a 1 GiB leaf
 *   level 2         IOVA bits 29:21   table pointer, or a 2 MiB leaf
 *   level 1         IOVA bits 20:12   4 KiB leaves only
 *
 * An IOVA with any of bits 63:48 set cannot be translated (address size
 * fault).  A PTE is read as one little-endian 64-bit word:
 *
 *   bit 0      PRESENT  the entry is valid
 *   bit 1      READ     leaf: the device may read
 *   bit 2      WRITE    leaf: the device may write
 *   bit 7      LEAF     the entry maps memory; must be set in every leaf
 *                       (levels 1 to 3), must be clear at level 4
 *   bits 51:12 ADDR     leaf: output address (aligned to the leaf size);
 *                       table pointer: physical address of the next table
 *   other bits reserved, must be zero
 *
 * READ and WRITE are ignored in table pointers; permissions are the
 * leaf's alone.  A malformed entry (reserved bits, LEAF at level 4, no
 * LEAF at level 1, a leaf address not aligned to the leaf size, a table
 * not in RAM) faults as SIM_IOMMU_FAULT_BAD_PTE.
 *
 * IOTLB.  Each unit caches leaf translations (only present, permitted
 * ones), tagged by domain ID and the IOVA of the leaf.  A cached
 * translation is used without reading memory again until an invalidation
 * command drops it: the driver must invalidate after changing or clearing
 * a PTE that may be cached.  Table pointers are not cached, but a table
 * page may still be being walked until the invalidation that follows its
 * unlinking completes; free it only afterwards.  A permission check that
 * fails against a cached entry drops it and walks again.
 *
 * Invalidation.  Commands are submitted to a unit one at a time
 * (sim_iommu_invalidate()) and complete before submission returns.
 *
 * Faults.  A translation that fails is refused and recorded in the
 * unit's fault log, a ring of SIM_IOMMU_FAULT_LOG_LEN records that the
 * driver drains (sim_iommu_read_fault()).  When the ring is full, new
 * faults are counted as dropped and not recorded.
 */
#ifndef _HW_SIM_IOMMU_H
#define _HW_SIM_IOMMU_H

#include <linux/types.h>
#include <linux/bits.h>

/* ---- IO page table -------------------------------------------------- */

#define SIM_IOMMU_PAGE_SHIFT		12
#define SIM_IOMMU_PAGE_SIZE		(1ULL << SIM_IOMMU_PAGE_SHIFT)
#define SIM_IOMMU_LEVELS		4
#define SIM_IOMMU_LEVEL_BITS		9
#define SIM_IOMMU_PTES_PER_TABLE	(1U << SIM_IOMMU_LEVEL_BITS)
#define SIM_IOMMU_IOVA_BITS		48
/* The last IOVA a page table can translate. */
#define SIM_IOMMU_IOVA_LAST		((1ULL << SIM_IOMMU_IOVA_BITS) - 1)

/* Bit position of the lowest IOVA bit that level @lvl (1..4) indexes. */
#define SIM_IOMMU_LEVEL_SHIFT(lvl)					\
	(SIM_IOMMU_PAGE_SHIFT + ((lvl) - 1) * SIM_IOMMU_LEVEL_BITS)
/* Bytes one entry at level @lvl covers: 4 KiB, 2 MiB, 1 GiB, 512 GiB. */
#define SIM_IOMMU_LEVEL_SIZE(lvl)	(1ULL << SIM_IOMMU_LEVEL_SHIFT(lvl))
/* Index of @iova's entry in a table at level @lvl. */
#define SIM_IOMMU_LEVEL_INDEX(iova, lvl)				\
	((unsigned int)(((iova) >> SIM_IOMMU_LEVEL_SHIFT(lvl)) &	\
			(SIM_IOMMU_PTES_PER_TABLE - 1)))

/* The leaf sizes the format supports: 4 KiB, 2 MiB and 1 GiB. */
#define SIM_IOMMU_PGSIZE_BITMAP						\
	(SIM_IOMMU_LEVEL_SIZE(1) | SIM_IOMMU_LEVEL_SIZE(2) |		\
	 SIM_IOMMU_LEVEL_SIZE(3))
/* The highest level that may hold a leaf. */
#define SIM_IOMMU_MAX_LEAF_LEVEL	3

#define SIM_IOMMU_PTE_PRESENT		BIT_ULL(0)
#define SIM_IOMMU_PTE_READ		BIT_ULL(1)
#define SIM_IOMMU_PTE_WRITE		BIT_ULL(2)
#define SIM_IOMMU_PTE_LEAF		BIT_ULL(7)
#define SIM_IOMMU_PTE_ADDR_MASK		GENMASK_ULL(51, 12)
#define SIM_IOMMU_PTE_RESERVED						\
	(~(SIM_IOMMU_PTE_PRESENT | SIM_IOMMU_PTE_READ |			\
	   SIM_IOMMU_PTE_WRITE | SIM_IOMMU_PTE_LEAF |			\
	   SIM_IOMMU_PTE_ADDR_MASK))

/* ---- context entries ------------------------------------------------ */

/*
 * struct sim_iommu_context - one context entry, as written to the unit
 * @ctrl: SIM_IOMMU_CTX_* bits; all zero is "invalid: DMA blocked"
 * @root: translate mode: physical address of the level-4 table, 4 KiB
 *	aligned, in RAM; otherwise zero
 *
 * ctrl:
 *   bit 0      VALID
 *   bits 2:1   MODE: 0 translate, 1 bypass (2 and 3 are reserved)
 *   bits 31:16 DID, the domain ID tagging the unit's IOTLB entries;
 *              translate mode only, must not be 0 there
 *   other bits reserved, must be zero
 */
struct sim_iommu_context {
	u64 ctrl;
	u64 root;
};

#define SIM_IOMMU_CTX_VALID		BIT_ULL(0)
#define SIM_IOMMU_CTX_MODE_SHIFT	1
#define SIM_IOMMU_CTX_MODE_MASK		GENMASK_ULL(2, 1)
#define SIM_IOMMU_CTX_MODE_TRANSLATE	0ULL
#define SIM_IOMMU_CTX_MODE_BYPASS	1ULL
#define SIM_IOMMU_CTX_DID_SHIFT		16
#define SIM_IOMMU_CTX_DID_MASK		GENMASK_ULL(31, 16)
#define SIM_IOMMU_CTX_RESERVED						\
	(~(SIM_IOMMU_CTX_VALID | SIM_IOMMU_CTX_MODE_MASK |		\
	   SIM_IOMMU_CTX_DID_MASK))

/* Domain IDs are 16 bits; 0 is never a translate-mode domain. */
#define SIM_IOMMU_NR_DIDS		(1U << 16)

/* ---- invalidation commands ----------------------------------------- */

enum sim_iommu_inv_type {
	SIM_IOMMU_INV_GLOBAL = 1,	/* every IOTLB entry of the unit */
	SIM_IOMMU_INV_DOMAIN = 2,	/* every entry tagged @did */
	SIM_IOMMU_INV_RANGE = 3,	/* entries tagged @did that overlap
					 * [@first, @last] */
};

/*
 * struct sim_iommu_inv_cmd - an IOTLB invalidation command
 * @type: enum sim_iommu_inv_type
 * @did: domain ID (DOMAIN and RANGE)
 * @first: RANGE: first IOVA byte
 * @last: RANGE: last IOVA byte, inclusive, >= @first
 *
 * A RANGE command drops every entry whose leaf overlaps the range, so a
 * range inside a 2 MiB leaf drops that leaf's entry.
 */
struct sim_iommu_inv_cmd {
	u32 type;
	u16 did;
	u16 __reserved;
	u64 first;
	u64 last;
};

/* ---- fault records -------------------------------------------------- */

enum sim_iommu_fault_reason {
	SIM_IOMMU_FAULT_NO_CONTEXT = 1,	/* context entry invalid: blocked */
	SIM_IOMMU_FAULT_BAD_CONTEXT,	/* reserved bits or mode, DID 0, or a
					 * root not in RAM */
	SIM_IOMMU_FAULT_ADDR_SIZE,	/* IOVA beyond SIM_IOMMU_IOVA_BITS */
	SIM_IOMMU_FAULT_NOT_PRESENT,	/* a PTE on the walk is not present */
	SIM_IOMMU_FAULT_PERMISSION,	/* the leaf forbids the access */
	SIM_IOMMU_FAULT_BAD_PTE,	/* a malformed PTE; see the top */
};

/*
 * sim_iommu_fault_reason_name() - a fault reason in a few words
 * @reason: enum sim_iommu_fault_reason
 *
 * Return: a constant string; "unknown" for anything else.
 */
static inline const char *sim_iommu_fault_reason_name(unsigned int reason)
{
	switch (reason) {
	case SIM_IOMMU_FAULT_NO_CONTEXT:	return "blocked";
	case SIM_IOMMU_FAULT_BAD_CONTEXT:	return "bad context";
	case SIM_IOMMU_FAULT_ADDR_SIZE:		return "address size";
	case SIM_IOMMU_FAULT_NOT_PRESENT:	return "not present";
	case SIM_IOMMU_FAULT_PERMISSION:	return "permission";
	case SIM_IOMMU_FAULT_BAD_PTE:		return "bad PTE";
	}
	return "unknown";
}

#define SIM_IOMMU_ACCESS_READ		0
#define SIM_IOMMU_ACCESS_WRITE		1

/*
 * struct sim_iommu_fault - one record of the fault log
 * @iova: the address the device emitted
 * @rid: the requester ID it emitted it with
 * @did: the context's domain ID (0 when the context is not translating)
 * @access: SIM_IOMMU_ACCESS_READ or _WRITE
 * @reason: enum sim_iommu_fault_reason
 * @level: the page-table level where the walk stopped (0 if none)
 */
struct sim_iommu_fault {
	u64 iova;
	u16 rid;
	u16 did;
	u8 access;
	u8 reason;
	u8 level;
	u8 __reserved;
};

#define SIM_IOMMU_FAULT_LOG_LEN		64

/* ---- counters ------------------------------------------------------- */

/* Entries in each unit's IOTLB. */
#define SIM_IOMMU_IOTLB_ENTRIES		64

/*
 * struct sim_iommu_stats - a unit's performance counters (they only grow)
 * @translations: transactions presented for translation
 * @iotlb_hits: translated from the IOTLB
 * @iotlb_misses: translate-mode transactions not found in the IOTLB
 * @page_walks: walks of the page table (one per miss)
 * @pte_reads: page-table entries read from memory
 * @inv_cmds: invalidation commands completed
 * @iotlb_invalidated: IOTLB entries the commands dropped
 * @faults: faulting transactions
 * @faults_dropped: faults not recorded because the log was full
 */
struct sim_iommu_stats {
	u64 translations;
	u64 iotlb_hits;
	u64 iotlb_misses;
	u64 page_walks;
	u64 pte_reads;
	u64 inv_cmds;
	u64 iotlb_invalidated;
	u64 faults;
	u64 faults_dropped;
};

#endif /* _HW_SIM_IOMMU_H */
