// SPDX-License-Identifier: GPL-2.0
/*
 * PCI functions at run time: configuration space behind ECAM, memory
 * decode and bus mastering, Function Level Reset, registers that call a
 * device model, and hot-unplug.
 *
 * What a function implements is the datasheet's (<hw/sim_pci.h>, the
 * register layout <uapi/linux/pci_regs.h>).  Config space is computed on
 * each read from the board (IDs, types, capabilities) and the few
 * registers software may write (struct sim_pci_cfg); a write is a
 * read-modify-write of the dword under the byte enables, then each
 * register keeps only its writable bits.
 *
 * Every change of a function's registers ends in sim_pci_publish(), which
 * folds what the rest of the machine needs into the node's @state word
 * (sim/pci_internal.h: present, bus master, which BARs decode) and stores
 * it under the write side of sim_phys_map_lock when it changes.  The DMA
 * engines and the CPU's accessors read that word with one atomic load and
 * check it again under the read side while they move bytes, so turning
 * decode or bus mastering off, a reset and an unplug all wait for the
 * copies in flight and stop every later one.
 *
 * Register windows (config space, model-owned BARs) are called by
 * sim/memory.c without sim_phys_map_lock; we take the node's lock, so a
 * model's store may start DMA (which takes the map lock) without a cycle.
 *
 * Time: a reset lasts SIM_PCI_FLR_US of CLOCK_MONOTONIC.  Its end is
 * noticed lazily, by the next config access, since by then Command and
 * the BARs are at their reset values and nothing decodes or masters
 * anyway.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include <linux/kernel.h>
#include <uapi/linux/pci_regs.h>
#include <hw/sim_pci.h>

#include "sim/internal.h"
#include "sim/pci_internal.h"

/* Command bits a function implements. */
#define SIM_PCI_COMMAND_MASK	(PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER)
/* Device Control bits that are read-write storage (not Initiate FLR). */
#define SIM_PCI_DEVCTL_MASK	0x7fff
#define SIM_PCI_EXP_CAP		SIM_PCI_EXP_CAP_OFFSET

static u64 sim_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static bool sim_pci_is_endpoint(const struct sim_pci_node *node)
{
	return node->fw.type == SIM_PCI_ENDPOINT;
}

/* Ports and endpoints have the PCI Express capability; host bridges not. */
static bool sim_pci_has_exp_cap(const struct sim_pci_node *node)
{
	return node->fw.type != SIM_PCI_HOST_BRIDGE;
}

/* Type 1 header: root and switch ports. */
static bool sim_pci_is_port(const struct sim_pci_node *node)
{
	return !sim_pci_is_endpoint(node) &&
	       node->fw.type != SIM_PCI_HOST_BRIDGE;
}

/* The address BAR @j's registers hold (both halves for a 64-bit BAR). */
static u64 sim_pci_bar_reg_addr(const struct sim_pci_node *node,
				unsigned int j)
{
	u64 addr = node->cfg.bar[j];

	if (node->fw.bar_flags[j] & SIM_PCI_BAR_64)
		addr |= (u64)node->cfg.bar[j + 1] << 32;
	return addr;
}

/* sim_pci_flr_hold(): resets in progress last until released. */
static bool sim_pci_flr_held;

/* Is a reset in progress?  Notices its end.  Lock held. */
static bool __sim_pci_in_reset(struct sim_pci_node *node)
{
	if (!node->cfg.ready_at_ns)
		return false;
	if (sim_now_ns() < node->cfg.ready_at_ns ||
	    __atomic_load_n(&sim_pci_flr_held, __ATOMIC_ACQUIRE))
		return true;
	node->cfg.ready_at_ns = 0;
	return false;
}

static u32 sim_pci_compute_state(const struct sim_pci_node *node)
{
	u32 state = SIM_PCI_ST_PRESENT;
	unsigned int j;

	if (node->unplugged)
		return 0;
	if (node->cfg.ready_at_ns)
		return state;
	if (node->cfg.command & PCI_COMMAND_MASTER)
		state |= SIM_PCI_ST_MASTER;
	if (!(node->cfg.command & PCI_COMMAND_MEMORY))
		return state;
	for (j = 0; j < SIM_PCI_NR_BARS; j++)
		if (node->fw.bar[j].size &&
		    sim_pci_bar_reg_addr(node, j) == node->fw.bar[j].bus_addr)
			state |= SIM_PCI_ST_DECODE(j);
	return state;
}

/*
 * Make @node's @state what its registers say.  Lock held.  A change is
 * stored under the map's write lock: copies in flight finish first, later
 * ones see it.
 */
static void __sim_pci_publish(struct sim_pci_node *node)
{
	u32 state = sim_pci_compute_state(node);

	if (state == sim_pci_state(node))
		return;
	pthread_rwlock_wrlock(&sim_phys_map_lock);
	__atomic_store_n(&node->state, state, __ATOMIC_RELEASE);
	pthread_rwlock_unlock(&sim_phys_map_lock);
}

/* ---- config registers ------------------------------------------------ */

/* The writable bits of BAR register @j (0 if not implemented). */
static u32 sim_pci_bar_reg_mask(const struct sim_pci_node *node,
				unsigned int j)
{
	u64 mask;

	if (!sim_pci_is_endpoint(node))
		return 0;
	if (!node->fw.bar[j].size) {
		/* The high half of a 64-bit BAR? */
		if (j && node->fw.bar[j - 1].size &&
		    node->fw.bar_flags[j - 1] & SIM_PCI_BAR_64) {
			mask = ~(node->fw.bar[j - 1].size - 1);
			return mask >> 32;
		}
		return 0;
	}
	mask = ~(node->fw.bar[j].size - 1);
	return (u32)mask & PCI_BASE_ADDRESS_MEM_MASK;
}

/* BAR register @j as read: the address bits it keeps, and its type. */
static u32 sim_pci_bar_reg_read(const struct sim_pci_node *node,
				unsigned int j)
{
	u32 val = node->cfg.bar[j] & sim_pci_bar_reg_mask(node, j);

	if (!node->fw.bar[j].size)
		return val;
	if (node->fw.bar_flags[j] & SIM_PCI_BAR_64)
		val |= PCI_BASE_ADDRESS_MEM_TYPE_64;
	if (node->fw.bar_flags[j] & SIM_PCI_BAR_PREFETCH)
		val |= PCI_BASE_ADDRESS_MEM_PREFETCH;
	return val;
}

static u32 sim_pci_class(const struct sim_pci_node *node)
{
	if (node->fw.type == SIM_PCI_HOST_BRIDGE)
		return PCI_CLASS_BRIDGE_HOST << 8;
	if (sim_pci_is_port(node))
		return PCI_CLASS_BRIDGE_PCI << 8;
	return PCI_CLASS_OTHERS << 16;
}

static u8 sim_pci_header_type(const struct sim_pci_node *node)
{
	if (sim_pci_is_port(node))
		return PCI_HEADER_TYPE_BRIDGE;
	return PCI_HEADER_TYPE_NORMAL |
	       (node->multifunction ? PCI_HEADER_TYPE_MFD : 0);
}

static u16 sim_pci_exp_type(const struct sim_pci_node *node)
{
	switch (node->fw.type) {
	case SIM_PCI_ROOT_PORT:
		return PCI_EXP_TYPE_ROOT_PORT;
	case SIM_PCI_SWITCH_UP:
		return PCI_EXP_TYPE_UPSTREAM;
	case SIM_PCI_SWITCH_DOWN:
		return PCI_EXP_TYPE_DOWNSTREAM;
	default:
		return PCI_EXP_TYPE_ENDPOINT;
	}
}

/* The PCI Express capability's dword at @off from its start. */
static u32 sim_pci_exp_cap_read(const struct sim_pci_node *node,
				unsigned int off)
{
	switch (off) {
	case 0:
		return PCI_CAP_ID_EXP | 0 << 8 |
		       (u32)(2 | sim_pci_exp_type(node) << 4) << 16;
	case PCI_EXP_DEVCAP:
		return sim_pci_is_endpoint(node) && node->flr ?
		       PCI_EXP_DEVCAP_FLR : 0;
	case PCI_EXP_DEVCTL:
		return node->cfg.devctl;	/* Device Status reads 0 */
	default:
		return 0;
	}
}

/* Config dword at @reg (dword aligned) of a ready function.  Lock held. */
static u32 sim_pci_cfg_read(const struct sim_pci_node *node, unsigned int reg)
{
	bool port = sim_pci_is_port(node);

	if (sim_pci_has_exp_cap(node) && reg >= SIM_PCI_EXP_CAP &&
	    reg < SIM_PCI_EXP_CAP + PCI_CAP_EXP_ENDPOINT_SIZEOF_V2)
		return sim_pci_exp_cap_read(node, reg - SIM_PCI_EXP_CAP);

	switch (reg) {
	case PCI_VENDOR_ID:
		return node->fw.vendor | (u32)node->fw.device << 16;
	case PCI_COMMAND:
		return node->cfg.command |
		       (u32)(sim_pci_has_exp_cap(node) ?
			     PCI_STATUS_CAP_LIST : 0) << 16;
	case PCI_CLASS_REVISION:
		return sim_pci_class(node) << 8;
	case PCI_CACHE_LINE_SIZE:
		return (u32)sim_pci_header_type(node) << 16;
	case PCI_CAPABILITY_LIST:
		return sim_pci_has_exp_cap(node) ? SIM_PCI_EXP_CAP : 0;
	}
	if (port) {
		if (reg == PCI_PRIMARY_BUS)
			return (node->fw.rid >> 8) |
			       (u32)node->fw.secondary << 8 |
			       (u32)node->fw.subordinate << 16;
		return 0;
	}
	if (reg >= PCI_BASE_ADDRESS_0 && reg <= PCI_BASE_ADDRESS_5)
		return sim_pci_bar_reg_read(node, (reg - PCI_BASE_ADDRESS_0) / 4);
	if (reg == PCI_SUBSYSTEM_VENDOR_ID)
		return node->fw.vendor | (u32)node->fw.device << 16;
	return 0;
}

static void __sim_pci_flr(struct sim_pci_node *node);

/* Write Device Control; Initiate FLR resets the function.  Lock held. */
static void __sim_pci_write_devctl(struct sim_pci_node *node, u16 devctl)
{
	node->cfg.devctl = devctl & SIM_PCI_DEVCTL_MASK;
	if (devctl & PCI_EXP_DEVCTL_BCR_FLR && sim_pci_is_endpoint(node) &&
	    node->flr)
		__sim_pci_flr(node);
}

/*
 * Write @val under byte enables @bytes to the config dword at @reg (dword
 * aligned) of a ready function.  Lock held.
 */
static void __sim_pci_cfg_write(struct sim_pci_node *node, unsigned int reg,
				u32 val, u32 bytes)
{
	u32 v = (sim_pci_cfg_read(node, reg) & ~bytes) | (val & bytes);
	unsigned int j;

	if (reg == PCI_COMMAND && bytes & 0xffff) {
		node->cfg.command = v & SIM_PCI_COMMAND_MASK;
	} else if (reg == SIM_PCI_EXP_CAP + PCI_EXP_DEVCTL && bytes & 0xffff &&
		   sim_pci_has_exp_cap(node)) {
		__sim_pci_write_devctl(node, v);
	} else if (!sim_pci_is_port(node) && reg >= PCI_BASE_ADDRESS_0 &&
		   reg <= PCI_BASE_ADDRESS_5) {
		j = (reg - PCI_BASE_ADDRESS_0) / 4;
		node->cfg.bar[j] = v & sim_pci_bar_reg_mask(node, j);
	}
	__sim_pci_publish(node);
}

/*
 * Function Level Reset: registers to their reset values, memory zeroed,
 * not ready for SIM_PCI_FLR_US.  Lock held.
 */
static void __sim_pci_flr(struct sim_pci_node *node)
{
	unsigned int j;

	node->cfg.command = 0;
	memset(node->cfg.bar, 0, sizeof(node->cfg.bar));
	node->cfg.devctl = SIM_PCI_DEVCTL_RESET;
	node->cfg.ready_at_ns = sim_now_ns() + SIM_PCI_FLR_US * 1000ULL;
	/* Nothing decodes or masters from here: copies in flight are done. */
	__sim_pci_publish(node);

	for (j = 0; j < SIM_PCI_NR_BARS; j++)
		if (node->fw.bar[j].size &&
		    !(node->model && node->model->regs_bar == j))
			sim_window_zero(node->fw.bar[j].cpu_addr);
	if (node->model && node->model->reset)
		node->model->reset(&node->dev);
}

/**
 * sim_pci_config_power_on() - a function as firmware leaves it
 * @node: a node of the fabric being built
 *
 * BAR registers hold the addresses firmware assigned, Memory Space and
 * Bus Master Enable are on, Device Control is at its reset value and the
 * device model (if any) has been reset.
 */
void sim_pci_config_power_on(struct sim_pci_node *node)
{
	unsigned int j;

	pthread_mutex_lock(&node->lock);
	memset(&node->cfg, 0, sizeof(node->cfg));
	node->unplugged = false;
	node->cfg.command = PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	node->cfg.devctl = SIM_PCI_DEVCTL_RESET;
	for (j = 0; j < SIM_PCI_NR_BARS; j++) {
		u64 addr = node->fw.bar[j].bus_addr;

		if (!node->fw.bar[j].size)
			continue;
		node->cfg.bar[j] = (u32)addr;
		if (node->fw.bar_flags[j] & SIM_PCI_BAR_64)
			node->cfg.bar[j + 1] = addr >> 32;
	}
	if (node->model && node->model->reset)
		node->model->reset(&node->dev);
	__sim_pci_publish(node);
	pthread_mutex_unlock(&node->lock);
}

/* ---- ECAM ------------------------------------------------------------ */

/* The node at bus:devfn, present or not; NULL for an empty slot. */
static struct sim_pci_node *sim_pci_node_at(unsigned int bus,
					    unsigned int devfn)
{
	unsigned int i = sim_pci.rid_node[(bus << 8 | devfn) & 0xffff];

	return i && i <= sim_pci.nr_nodes_built ? &sim_pci.nodes[i - 1] : NULL;
}

static bool sim_pci_access_ok(u64 offset, size_t len, size_t max)
{
	return len && len <= max && !(len & (len - 1)) &&
	       !(offset & (len - 1));
}

/* One config access at @offset into the ECAM window: @rd or @wr. */
static int sim_ecam_access(u64 offset, void *rd, const void *wr, size_t len)
{
	unsigned int bus = sim_pci.ecam.bus_start +
			   (offset >> SIM_PCI_ECAM_BUS_SHIFT);
	unsigned int reg = offset & (PCI_CFG_SPACE_EXP_SIZE - 1);
	unsigned int shift = (reg & 3) * 8;
	struct sim_pci_node *node;
	u32 dword, bytes;

	node = sim_pci_node_at(bus, (offset >> SIM_PCI_ECAM_DEVFN_SHIFT) & 0xff);
	if (!node || !sim_pci_access_ok(offset, len, 4))
		goto out_none;

	pthread_mutex_lock(&node->lock);
	if (node->unplugged || __sim_pci_in_reset(node)) {
		pthread_mutex_unlock(&node->lock);
		goto out_none;
	}
	/* The reset may just have ended: publish what it left. */
	__sim_pci_publish(node);
	if (rd) {
		dword = sim_pci_cfg_read(node, reg & ~3U) >> shift;
		memcpy(rd, &dword, len);
	} else {
		dword = 0;
		memcpy(&dword, wr, len);
		bytes = (len == 4 ? ~0U : (1U << (len * 8)) - 1) << shift;
		__sim_pci_cfg_write(node, reg & ~3U, dword << shift, bytes);
	}
	pthread_mutex_unlock(&node->lock);
	return 0;

out_none:
	/* The root complex completes a config read of nothing with ones. */
	if (rd)
		memset(rd, 0xff, len);
	return 0;
}

static int sim_ecam_read(void *owner __always_unused,
			 unsigned int index __always_unused, u64 offset,
			 void *buf, size_t len)
{
	return sim_ecam_access(offset, buf, NULL, len);
}

static int sim_ecam_write(void *owner __always_unused,
			  unsigned int index __always_unused, u64 offset,
			  const void *buf, size_t len)
{
	return sim_ecam_access(offset, NULL, buf, len);
}

static const struct sim_window_ops sim_ecam_ops = {
	.read = sim_ecam_read,
	.write = sim_ecam_write,
};

/**
 * sim_pci_config_create() - put config space into the physical address map
 *
 * Called by sim_pci_create() once sim_pci.ecam says where; the window goes
 * with the rest of the map when the machine is destroyed.
 *
 * Return: 0, or the error of sim_window_add_ops().
 */
int sim_pci_config_create(void)
{
	const struct sim_fw_pci_ecam *ecam = &sim_pci.ecam;

	return sim_window_add_ops(ecam->base + SIM_PCI_ECAM_OFFSET(ecam->bus_start, 0, 0),
				  SIM_PCI_ECAM_OFFSET(ecam->bus_end -
						      ecam->bus_start + 1, 0, 0),
				  SIM_WINDOW_REGS, &sim_ecam_ops, NULL, 0);
}

/* ---- BARs: decode, and registers that call a model ------------------- */

static bool sim_pci_bar_decodes(const void *owner, unsigned int bar)
{
	return sim_pci_state(owner) & SIM_PCI_ST_DECODE(bar);
}

/* One access to the model-owned BAR @bar of @owner: @rd or @wr. */
static int sim_pci_regs_access(void *owner, unsigned int bar, u64 offset,
			       void *rd, const void *wr, size_t len)
{
	struct sim_pci_node *node = owner;
	int ret = -EFAULT;
	u64 v = 0;

	if (!sim_pci_access_ok(offset, len, 8))
		return -EFAULT;
	pthread_mutex_lock(&node->lock);
	if (node->unplugged)
		goto out_unlock;
	if (!(sim_pci_state(node) & SIM_PCI_ST_DECODE(bar))) {
		sim_pci_count_decode_error(node, false);
		goto out_unlock;
	}
	if (rd) {
		v = node->model->reg_read(&node->dev, offset, len);
		memcpy(rd, &v, len);		/* little-endian */
	} else {
		memcpy(&v, wr, len);
		node->model->reg_write(&node->dev, offset, v, len);
	}
	ret = 0;
out_unlock:
	pthread_mutex_unlock(&node->lock);
	return ret;
}

static int sim_pci_regs_read(void *owner, unsigned int bar, u64 offset,
			     void *buf, size_t len)
{
	return sim_pci_regs_access(owner, bar, offset, buf, NULL, len);
}

static int sim_pci_regs_write(void *owner, unsigned int bar, u64 offset,
			      const void *buf, size_t len)
{
	return sim_pci_regs_access(owner, bar, offset, NULL, buf, len);
}

/* A CPU access to memory BAR @bar of @owner that did not decode. */
static void sim_pci_bar_no_decode(void *owner, unsigned int bar __always_unused)
{
	sim_pci_count_decode_error(owner, false);
}

/* The windows of every BAR: memory (decodes) or a model's registers. */
const struct sim_window_ops sim_pci_bar_ops = {
	.decodes = sim_pci_bar_decodes,
	.no_decode = sim_pci_bar_no_decode,
	.read = sim_pci_regs_read,
	.write = sim_pci_regs_write,
};

/**
 * sim_dev_dma_read() - a device model's DMA engine reads memory
 * @dev: the function
 * @addr: DMA address
 * @buf: where the bytes go
 * @len: bytes
 *
 * As sim_dma_read() with the function's requester ID.
 *
 * Return: as sim_dma_read().
 */
int sim_dev_dma_read(struct sim_dev *dev, dma_addr_t addr, void *buf,
		     size_t len)
{
	return sim_dma_read(dev->rid, addr, buf, len);
}

/**
 * sim_dev_dma_write() - a device model's DMA engine writes memory
 * @dev: the function
 * @addr: DMA address
 * @buf: the bytes
 * @len: bytes
 *
 * As sim_dma_write() with the function's requester ID.
 *
 * Return: as sim_dma_write().
 */
int sim_dev_dma_write(struct sim_dev *dev, dma_addr_t addr, const void *buf,
		      size_t len)
{
	return sim_dma_write(dev->rid, addr, buf, len);
}

/* ---- hot-unplug ------------------------------------------------------ */

static void sim_pci_unplug_node(struct sim_pci_node *node)
{
	unsigned int j;

	pthread_mutex_lock(&node->lock);
	node->unplugged = true;
	__sim_pci_publish(node);
	pthread_mutex_unlock(&node->lock);
	for (j = 0; j < SIM_PCI_NR_BARS; j++)
		if (node->fw.bar[j].size)
			sim_window_remove(node->fw.bar[j].cpu_addr);
}

/**
 * sim_pci_unplug() - pull a device out of the running machine
 * @name: the board's name of an endpoint or a port
 *
 * A surprise removal: the node and everything below it are gone at once.
 * Their BAR windows leave the physical address map (the CPU reads all
 * ones there, stores are dropped, DMA aimed there finds no target), their
 * config space reads all ones, and their DMA engines are gone
 * (sim_dma_*() with their requester IDs fail with -ENODEV).  Transfers in
 * flight complete first.  Nothing tells the kernel side: it finds out as
 * a kernel does, from all ones.  Not to be called concurrently with
 * sim_machine_destroy().
 *
 * Return: 0; -ENOENT if no node present has that name; -EINVAL for a
 * host bridge.
 */
int sim_pci_unplug(const char *name)
{
	unsigned int i, n = sim_fw_pci_count();
	struct sim_pci_node *top = NULL;

	for (i = 0; i < n && !top; i++)
		if (!strcmp(sim_pci.nodes[i].fw.name, name) &&
		    sim_pci_present(&sim_pci.nodes[i]))
			top = &sim_pci.nodes[i];
	if (!top)
		return -ENOENT;
	if (top->fw.type == SIM_PCI_HOST_BRIDGE)
		return -EINVAL;
	/* Children follow their parents in the table. */
	for (i = top - sim_pci.nodes; i < n; i++)
		if (&sim_pci.nodes[i] == top ||
		    sim_pci_is_below(&sim_pci.nodes[i], top))
			sim_pci_unplug_node(&sim_pci.nodes[i]);
	return 0;
}

/**
 * sim_pci_flr_hold() - keep Function Level Resets in progress
 * @hold: true: a reset in progress (or started from now on) does not end,
 *	however long it takes; false: resets end SIM_PCI_FLR_US after they
 *	started, as the datasheet says (at once, if that time has passed)
 *
 * Instrumentation, like a logic analyser holding a function's reset
 * line: tests that check what a function in reset does hold the window
 * open, so that a slow or loaded host cannot close it under them.
 * sim_machine_destroy() releases it.
 */
void sim_pci_flr_hold(bool hold)
{
	__atomic_store_n(&sim_pci_flr_held, hold, __ATOMIC_RELEASE);
}

/* ---- the fabric monitor ---------------------------------------------- */

/**
 * sim_pci_count_decode_error() - a request reached a BAR that did not decode
 * @node: the function whose BAR it reached
 * @dma: a DMA transaction (else a CPU load or store)
 *
 * Machine-internal: the DMA engines (sim/dma.c) and the CPU's accessors
 * count what they refused for that reason.
 */
void sim_pci_count_decode_error(const struct sim_pci_node *node, bool dma)
{
	struct sim_pci_decode_errors *e =
		&sim_pci.decode_errors[node - sim_pci.nodes];

	__atomic_add_fetch(dma ? &e->dma : &e->cpu, 1, __ATOMIC_RELAXED);
}

/**
 * sim_pci_decode_errors_get() - a function's decode error counters
 * @rid: its requester ID (bus << 8 | devfn)
 * @errs: filled in (format: <hw/sim_pci.h>)
 *
 * Return: 0, or -ENOENT if no function of the machine has that
 * requester ID.
 */
int sim_pci_decode_errors_get(u16 rid, struct sim_pci_decode_errors *errs)
{
	unsigned int i = __atomic_load_n(&sim_pci.rid_node[rid],
					 __ATOMIC_RELAXED);
	const struct sim_pci_decode_errors *e;

	/* Unplugged functions keep their counts. */
	if (!i || i > sim_fw_pci_count())
		return -ENOENT;
	e = &sim_pci.decode_errors[i - 1];
	errs->dma = __atomic_load_n(&e->dma, __ATOMIC_RELAXED);
	errs->cpu = __atomic_load_n(&e->cpu, __ATOMIC_RELAXED);
	return 0;
}

/**
 * sim_pci_decode_errors_sum() - the decode error counters of every function
 * @errs: filled in with the sums
 */
void sim_pci_decode_errors_sum(struct sim_pci_decode_errors *errs)
{
	unsigned int i, n = sim_fw_pci_count();

	errs->dma = 0;
	errs->cpu = 0;
	for (i = 0; i < n; i++) {
		errs->dma += __atomic_load_n(&sim_pci.decode_errors[i].dma,
					     __ATOMIC_RELAXED);
		errs->cpu += __atomic_load_n(&sim_pci.decode_errors[i].cpu,
					     __ATOMIC_RELAXED);
	}
}
