// SPDX-License-Identifier: GPL-2.0
/*
 * The PCI fabric: building it from a board description, the firmware
 * table that reports it, and the lookups DMA routing needs.
 *
 * sim_pci_create() plays platform firmware (sim/pci.h says what it
 * assigns and how): it checks the board, numbers buses depth first,
 * places BARs in the MMIO windows, adds one window of the physical address
 * map per BAR (lazily backed memory, or a device model's registers;
 * owner: the node, index: the BAR) and one for config space (ECAM), and
 * powers every function on with the registers firmware leaves
 * (sim/pci_config.c).  It builds into the global struct sim_pci_fabric and
 * publishes the node count last; sim_pci_destroy() forgets the nodes (the
 * windows go with the rest of the memory in sim_machine_destroy()).
 *
 * Address ranges here are [start, start + size); every sum of an address
 * and a size is checked for overflow.  The fabric lives in a fixed array
 * of SIM_PCI_MAX_NODES nodes, which stay until the machine is destroyed
 * (an unplugged node only stops being present), so a pointer to a node is
 * valid as long as the machine; the only allocations are device models'
 * private state (calloc(), never the kernel side's allocators).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/overflow.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <asm/page.h>

#include <hw/sim_pci.h>

#include "sim/internal.h"
#include "sim/pci_internal.h"

#define SIM_PCI_WINDOW_ALIGN	(1ULL << 20)
#define SIM_PCI_MMIO64_STEP	(1ULL << 30)

struct sim_pci_fabric sim_pci = {
	.error_lock = PTHREAD_MUTEX_INITIALIZER,
};

/**
 * struct sim_pci_builder - firmware's state while it walks a board
 * @board: the board
 * @next_bus: the next bus number to hand out (256: none left)
 * @mmio32: next free address of the 32-bit window (bus == CPU there)
 * @mmio64_cpu: CPU address where the next 64-bit window may start
 * @mmio64_bus: next free bus address of the current host bridge's 64-bit
 *	window
 * @mmio64_limit: the bus address the current 64-bit window may not reach
 */
struct sim_pci_builder {
	const struct sim_pci_board *board;
	unsigned int next_bus;
	u64 mmio32;
	u64 mmio64_cpu;
	u64 mmio64_bus;
	u64 mmio64_limit;
};

static bool sim_pci_is_bridge(enum sim_pci_type type)
{
	return type == SIM_PCI_ROOT_PORT || type == SIM_PCI_SWITCH_UP ||
	       type == SIM_PCI_SWITCH_DOWN;
}

/* May a node of type @type hang below one of type @parent? */
static bool sim_pci_parent_ok(enum sim_pci_type type, enum sim_pci_type parent)
{
	switch (type) {
	case SIM_PCI_ROOT_PORT:
		return parent == SIM_PCI_HOST_BRIDGE;
	case SIM_PCI_SWITCH_UP:
	case SIM_PCI_ENDPOINT:
		return parent == SIM_PCI_ROOT_PORT ||
		       parent == SIM_PCI_SWITCH_DOWN;
	case SIM_PCI_SWITCH_DOWN:
		return parent == SIM_PCI_SWITCH_UP;
	default:
		return false;
	}
}

static int sim_pci_check_bars(const struct sim_pci_node_desc *d)
{
	unsigned int i;

	for (i = 0; i < SIM_PCI_NR_BARS; i++) {
		const struct sim_pci_bar_desc *bar = &d->bar[i];

		if (!bar->size)
			continue;
		if (d->type != SIM_PCI_ENDPOINT || !is_power_of_2(bar->size) ||
		    bar->size < PAGE_SIZE ||
		    bar->flags & ~(SIM_PCI_BAR_64 | SIM_PCI_BAR_PREFETCH))
			return -EINVAL;
		/* A 64-bit BAR takes the next register for its high half. */
		if (bar->flags & SIM_PCI_BAR_64 &&
		    (i + 1 == SIM_PCI_NR_BARS || d->bar[i + 1].size))
			return -EINVAL;
		/* A 32-bit BAR's address must fit its register. */
		if (!(bar->flags & SIM_PCI_BAR_64) && bar->size > SZ_2G)
			return -EINVAL;
	}
	return 0;
}

/* Check what can be checked node by node. */
static int sim_pci_check_node(const struct sim_pci_board *board,
			      unsigned int i)
{
	const struct sim_pci_node_desc *d = &board->nodes[i];
	unsigned int j;

	if (!d->name || !d->name[0] || strlen(d->name) >= SIM_PCI_NAME_LEN)
		return -EINVAL;
	for (j = 0; j < i; j++)
		if (!strcmp(board->nodes[j].name, d->name))
			return -EINVAL;

	if (d->type == SIM_PCI_HOST_BRIDGE) {
		if (d->parent != -1 || d->acs_cap || d->acs_ctrl)
			return -EINVAL;
		if (d->iommu_unit != SIM_PCI_NO_IOMMU &&
		    (d->iommu_unit < 0 ||
		     (unsigned int)d->iommu_unit >= board->nr_iommu))
			return -EINVAL;
		if (d->bus_offset & (PAGE_SIZE - 1))
			return -EINVAL;
	} else {
		if (d->parent < 0 || (unsigned int)d->parent >= i ||
		    !sim_pci_parent_ok(d->type, board->nodes[d->parent].type))
			return -EINVAL;
	}
	if (d->acs_cap & ~SIM_PCI_ACS_ALL || d->acs_ctrl & ~d->acs_cap)
		return -EINVAL;
	if (d->dma_bits && (d->type != SIM_PCI_ENDPOINT ||
			    d->dma_bits < PAGE_SHIFT || d->dma_bits > 64))
		return -EINVAL;
	if (d->dma_noncoherent && d->type != SIM_PCI_ENDPOINT)
		return -EINVAL;
	if ((d->model || d->no_flr) && d->type != SIM_PCI_ENDPOINT)
		return -EINVAL;
	if (d->model && (d->model->regs_bar >= SIM_PCI_NR_BARS ||
			 !d->bar[d->model->regs_bar].size ||
			 !d->model->reg_read || !d->model->reg_write))
		return -EINVAL;
	return sim_pci_check_bars(d);
}

static int sim_pci_check_board(const struct sim_pci_board *board)
{
	unsigned int i;
	int ret;

	if (board->nr_nodes > SIM_PCI_MAX_NODES ||
	    (board->nr_nodes && !board->nodes))
		return -EINVAL;
	for (i = 0; i < board->nr_nodes; i++) {
		ret = sim_pci_check_node(board, i);
		if (ret)
			return ret;
	}
	return 0;
}

/* Place a naturally aligned BAR of @size at *@cursor, below @limit. */
static int sim_pci_place(u64 *cursor, u64 limit, u64 size, u64 *base)
{
	u64 start = round_up(*cursor, size), end;

	if (start < *cursor || check_add_overflow(start, size, &end) ||
	    end > limit)
		return -ENOSPC;
	*base = start;
	*cursor = end;
	return 0;
}

static int sim_pci_place_bars(struct sim_pci_builder *b,
			      struct sim_pci_node *node,
			      const struct sim_pci_node_desc *d)
{
	u64 offset = node->host->fw.window[1].cpu_addr -
		     node->host->fw.window[1].bus_addr;
	unsigned int i;
	int ret;

	for (i = 0; i < SIM_PCI_NR_BARS; i++) {
		struct sim_fw_pci_range *bar = &node->fw.bar[i];
		u64 size = d->bar[i].size;

		if (!size)
			continue;
		if (d->bar[i].flags & SIM_PCI_BAR_64) {
			ret = sim_pci_place(&b->mmio64_bus, b->mmio64_limit,
					    size, &bar->bus_addr);
			bar->cpu_addr = bar->bus_addr + offset;
		} else {
			ret = sim_pci_place(&b->mmio32, SIM_PCI_MMIO32_END,
					    size, &bar->bus_addr);
			bar->cpu_addr = bar->bus_addr;
		}
		if (ret)
			return ret;
		bar->size = size;
		node->fw.bar_flags[i] = d->bar[i].flags;
	}
	return 0;
}

/*
 * The devfn of the @k-th child of a node of type @parent: see sim/pci.h.
 * Return: the devfn, or -ENOSPC if the bus has no room for it.
 */
static int sim_pci_devfn(enum sim_pci_type parent, enum sim_pci_type type,
			 unsigned int k, bool *only_child)
{
	*only_child = false;
	switch (parent) {
	case SIM_PCI_HOST_BRIDGE:
		return k + 1 < 32 ? (int)((k + 1) << 3) : -ENOSPC;
	case SIM_PCI_SWITCH_UP:
		return k < 32 ? (int)(k << 3) : -ENOSPC;
	default:
		/* A link: one device, up to 8 functions, or one switch. */
		*only_child = type == SIM_PCI_SWITCH_UP;
		return k < 8 ? (int)k : -ENOSPC;
	}
}

/* Number and place everything below @parent, depth first. */
static int sim_pci_walk(struct sim_pci_builder *b, unsigned int parent)
{
	const struct sim_pci_board *board = b->board;
	struct sim_pci_node *p = &sim_pci.nodes[parent];
	unsigned int i, k = 0;
	bool only_child = false;
	int devfn, ret;

	for (i = parent + 1; i < board->nr_nodes; i++) {
		const struct sim_pci_node_desc *d = &board->nodes[i];
		struct sim_pci_node *node = &sim_pci.nodes[i];

		if (d->parent != (int)parent)
			continue;
		if (only_child)
			return -EINVAL;		/* a switch shares no link */
		devfn = sim_pci_devfn(board->nodes[parent].type, d->type, k,
				      &only_child);
		if (devfn < 0)
			return devfn;
		if (only_child && k)
			return -EINVAL;
		k++;

		node->parent = p;
		node->host = p->host;
		node->fw.rid = p->fw.secondary << 8 | devfn;
		node->fw.iommu_unit = p->fw.iommu_unit;
		if (sim_pci_is_bridge(d->type)) {
			if (b->next_bus > 255)
				return -ENOSPC;
			node->fw.secondary = b->next_bus++;
			ret = sim_pci_walk(b, i);
			if (ret)
				return ret;
			node->fw.subordinate = b->next_bus - 1;
		} else {
			ret = sim_pci_place_bars(b, node, d);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* Number and place one host bridge's hierarchy. */
static int sim_pci_build_host(struct sim_pci_builder *b, unsigned int i)
{
	const struct sim_pci_node_desc *d = &b->board->nodes[i];
	struct sim_pci_node *host = &sim_pci.nodes[i];
	struct sim_fw_pci_range *w32 = &host->fw.window[0];
	struct sim_fw_pci_range *w64 = &host->fw.window[1];
	u64 end;
	int ret;

	if (d->bus < b->next_bus)
		return -EINVAL;		/* root buses must not overlap */
	if (d->bus_offset > b->mmio64_cpu)
		return -EINVAL;
	host->host = host;
	host->fw.secondary = d->bus;
	host->fw.rid = d->bus << 8;
	host->fw.iommu_unit = d->iommu_unit;
	host->p2p_forward = d->p2p_forward;
	b->next_bus = d->bus + 1;

	w32->cpu_addr = w32->bus_addr = b->mmio32;
	w64->cpu_addr = b->mmio64_cpu;
	w64->bus_addr = b->mmio64_cpu - d->bus_offset;
	b->mmio64_bus = w64->bus_addr;
	b->mmio64_limit = sim_phys_addr_limit() - d->bus_offset;

	ret = sim_pci_walk(b, i);
	if (ret)
		return ret;
	host->fw.subordinate = b->next_bus - 1;

	end = round_up(b->mmio32, SIM_PCI_WINDOW_ALIGN);
	if (end > SIM_PCI_MMIO32_END)
		return -ENOSPC;
	w32->size = end - w32->cpu_addr;
	b->mmio32 = end;

	end = round_up(b->mmio64_bus, SIM_PCI_WINDOW_ALIGN);
	if (end > b->mmio64_limit)
		return -ENOSPC;
	w64->size = end - w64->bus_addr;
	b->mmio64_cpu = round_up(w64->cpu_addr + w64->size,
				 SIM_PCI_MMIO64_STEP);
	return 0;
}

/* The window of BAR @j of @node: registers if its model owns it. */
static int sim_pci_add_bar_window(struct sim_pci_node *node, unsigned int j)
{
	enum sim_window_kind kind = SIM_WINDOW_MMIO;

	if (node->model && node->model->regs_bar == j)
		kind = SIM_WINDOW_REGS;
	return sim_window_add_ops(node->fw.bar[j].cpu_addr, node->fw.bar[j].size,
				  kind, &sim_pci_bar_ops, node, j);
}

static void sim_pci_remove_windows(unsigned int nr_nodes)
{
	unsigned int i, j;

	for (i = 0; i < nr_nodes; i++)
		for (j = 0; j < SIM_PCI_NR_BARS; j++)
			if (sim_pci.nodes[i].fw.bar[j].size)
				sim_window_remove(sim_pci.nodes[i].fw.bar[j].cpu_addr);
}

static int sim_pci_add_windows(unsigned int nr_nodes)
{
	unsigned int i, j;
	int ret;

	for (i = 0; i < nr_nodes; i++) {
		struct sim_pci_node *node = &sim_pci.nodes[i];

		for (j = 0; j < SIM_PCI_NR_BARS; j++) {
			if (!node->fw.bar[j].size)
				continue;
			ret = sim_pci_add_bar_window(node, j);
			if (ret)
				goto out_remove;
		}
	}
	return 0;

out_remove:
	/* Windows of node i before BAR j, then every earlier node's. */
	while (j--)
		if (sim_pci.nodes[i].fw.bar[j].size)
			sim_window_remove(sim_pci.nodes[i].fw.bar[j].cpu_addr);
	sim_pci_remove_windows(i);
	return ret;
}

/* Endpoints sharing their link with another endpoint are multi-function. */
static bool sim_pci_is_multifunction(unsigned int i)
{
	const struct sim_pci_node *node = &sim_pci.nodes[i];
	unsigned int j;

	for (j = 0; j < sim_pci.nr_nodes_built; j++)
		if (j != i && sim_pci.nodes[j].parent == node->parent &&
		    sim_pci.nodes[j].fw.type == SIM_PCI_ENDPOINT)
			return true;
	return false;
}

/* What firmware does not report: models, FLR, functions of a device. */
static int sim_pci_setup_functions(const struct sim_pci_board *board)
{
	unsigned int i;

	for (i = 0; i < board->nr_nodes; i++) {
		const struct sim_pci_node_desc *d = &board->nodes[i];
		struct sim_pci_node *node = &sim_pci.nodes[i];

		sim_pci.rid_node[node->fw.rid] = i + 1;
		node->dev.name = node->fw.name;
		node->dev.rid = node->fw.rid;
		if (d->type != SIM_PCI_ENDPOINT)
			continue;
		node->flr = !d->no_flr;
		node->multifunction = sim_pci_is_multifunction(i);
		node->model = d->model;
		if (node->model && node->model->priv_size) {
			node->dev.priv = calloc(1, node->model->priv_size);
			if (!node->dev.priv)
				return -ENOMEM;
		}
	}
	return 0;
}

/* Forget what sim_pci_create() made of nodes [0, @nr_nodes). */
static void sim_pci_free_nodes(unsigned int nr_nodes)
{
	unsigned int i;

	for (i = 0; i < nr_nodes; i++) {
		free(sim_pci.nodes[i].dev.priv);
		pthread_mutex_destroy(&sim_pci.nodes[i].lock);
	}
	memset(sim_pci.nodes, 0, sizeof(sim_pci.nodes));
	memset(sim_pci.rid_node, 0, sizeof(sim_pci.rid_node));
	sim_pci.nr_nodes_built = 0;
}

/* Config space: buses from the lowest root bus to the last one numbered. */
static int sim_pci_add_ecam(void)
{
	struct sim_fw_pci_ecam *ecam = &sim_pci.ecam;
	unsigned int i, first = 256, last = 0;

	for (i = 0; i < sim_pci.nr_nodes_built; i++) {
		const struct sim_pci_node *node = &sim_pci.nodes[i];

		if (node->fw.type != SIM_PCI_HOST_BRIDGE)
			continue;
		first = min_t(unsigned int, first, node->fw.secondary);
		last = max_t(unsigned int, last, node->fw.subordinate);
	}
	if (first > last)
		return 0;			/* no host bridge, no PCI */
	ecam->base = SIM_PCI_ECAM_BASE;
	ecam->bus_start = first;
	ecam->bus_end = last;
	return sim_pci_config_create();
}

/**
 * sim_pci_create() - build the PCI fabric of a new machine
 * @board: its description; NULL for a machine without PCI
 * @ram_end: the end of the highest RAM region (64-bit BARs go above it)
 *
 * Called by sim_machine_create() once RAM exists.  Resets the DMA
 * counters and error log.
 *
 * Return: 0; -EINVAL for a malformed board; -ENOSPC if the bus numbers or
 * MMIO windows run out; -EBUSY if a BAR would overlap RAM; -ENOMEM.
 */
int sim_pci_create(const struct sim_pci_board *board, u64 ram_end)
{
	struct sim_pci_builder b = {
		.board = board,
		.mmio32 = SIM_PCI_MMIO32_BASE,
		.mmio64_cpu = round_up(max_t(u64, ram_end, 1ULL << 32),
				       SIM_PCI_MMIO64_ALIGN),
	};
	unsigned int i;
	int ret;

	sim_pci.nr_nodes = 0;
	sim_pci_free_nodes(0);
	memset(&sim_pci.ecam, 0, sizeof(sim_pci.ecam));
	memset(&sim_pci.stats, 0, sizeof(sim_pci.stats));
	memset(&sim_pci.last_error, 0, sizeof(sim_pci.last_error));
	memset(sim_pci.decode_errors, 0, sizeof(sim_pci.decode_errors));
	if (!board)
		return 0;
	ret = sim_pci_check_board(board);
	if (ret)
		return ret;

	sim_pci.nr_nodes_built = board->nr_nodes;
	for (i = 0; i < board->nr_nodes; i++)
		pthread_mutex_init(&sim_pci.nodes[i].lock, NULL);
	for (i = 0; i < board->nr_nodes; i++) {
		const struct sim_pci_node_desc *d = &board->nodes[i];
		struct sim_fw_pci_node *fw = &sim_pci.nodes[i].fw;

		strscpy(fw->name, d->name, sizeof(fw->name));
		fw->type = d->type;
		fw->parent = d->parent;
		fw->vendor = d->vendor;
		fw->device = d->device;
		fw->acs_cap = d->acs_cap;
		fw->acs_ctrl = d->acs_ctrl;
		if (d->type == SIM_PCI_ENDPOINT) {
			fw->dma_bits = d->dma_bits ? d->dma_bits : 64;
			fw->dma_noncoherent = d->dma_noncoherent;
		}
	}
	for (i = 0; i < board->nr_nodes; i++) {
		if (board->nodes[i].type != SIM_PCI_HOST_BRIDGE)
			continue;
		ret = sim_pci_build_host(&b, i);
		if (ret)
			goto out_free_nodes;
	}
	ret = sim_pci_setup_functions(board);
	if (ret)
		goto out_free_nodes;
	ret = sim_pci_add_windows(board->nr_nodes);
	if (ret)
		goto out_free_nodes;
	ret = sim_pci_add_ecam();
	if (ret)
		goto out_remove_windows;
	for (i = 0; i < board->nr_nodes; i++)
		sim_pci_config_power_on(&sim_pci.nodes[i]);
	__atomic_store_n(&sim_pci.nr_nodes, board->nr_nodes, __ATOMIC_RELEASE);
	return 0;

out_remove_windows:
	sim_pci_remove_windows(board->nr_nodes);
out_free_nodes:
	sim_pci_free_nodes(board->nr_nodes);
	return ret;
}

/**
 * sim_pci_destroy() - forget the fabric
 *
 * Called by sim_machine_destroy(), which drops the BAR windows with the
 * rest of the physical address map.
 */
void sim_pci_destroy(void)
{
	__atomic_store_n(&sim_pci.nr_nodes, 0, __ATOMIC_RELEASE);
	sim_pci_free_nodes(sim_pci.nr_nodes_built);
	memset(&sim_pci.ecam, 0, sizeof(sim_pci.ecam));
	sim_pci_flr_hold(false);
}

/**
 * sim_fw_pci_count() - number of nodes in the firmware's PCI table
 *
 * Return: the count; 0 without a machine or without PCI.
 */
unsigned int sim_fw_pci_count(void)
{
	return __atomic_load_n(&sim_pci.nr_nodes, __ATOMIC_ACQUIRE);
}

/**
 * sim_fw_pci_node() - one node of the firmware's PCI table
 * @i: index, 0 to sim_fw_pci_count() - 1; parents come before children
 * @node: filled in
 *
 * Return: 0, or -ENOENT if @i is past the end of the table.
 */
int sim_fw_pci_node(unsigned int i, struct sim_fw_pci_node *node)
{
	if (i >= sim_fw_pci_count())
		return -ENOENT;
	*node = sim_pci.nodes[i].fw;
	return 0;
}

/**
 * sim_fw_pci_ecam() - where the firmware says config space is
 * @ecam: filled in (the format is <hw/sim_firmware.h>'s)
 *
 * Return: 0, or -ENOENT without a machine or without PCI.
 */
int sim_fw_pci_ecam(struct sim_fw_pci_ecam *ecam)
{
	if (!sim_fw_pci_count() || !sim_pci.ecam.base)
		return -ENOENT;
	*ecam = sim_pci.ecam;
	return 0;
}

/**
 * sim_pci_find_rid() - the endpoint that emits a requester ID
 * @rid: bus << 8 | devfn
 *
 * Return: the endpoint, or NULL if no endpoint present has that ID.
 */
const struct sim_pci_node *sim_pci_find_rid(u16 rid)
{
	unsigned int i = __atomic_load_n(&sim_pci.rid_node[rid],
					 __ATOMIC_RELAXED);
	const struct sim_pci_node *node;

	if (!i || i > sim_fw_pci_count())
		return NULL;
	node = &sim_pci.nodes[i - 1];
	if (node->fw.type != SIM_PCI_ENDPOINT || !sim_pci_present(node))
		return NULL;
	return node;
}

/**
 * sim_pci_is_below() - is @node in the hierarchy below @ancestor?
 * @node: a node
 * @ancestor: a bridge or host bridge
 *
 * Return: true if @ancestor is a parent, grandparent, ... of @node.
 */
bool sim_pci_is_below(const struct sim_pci_node *node,
		      const struct sim_pci_node *ancestor)
{
	for (node = node->parent; node; node = node->parent)
		if (node == ancestor)
			return true;
	return false;
}

/*
 * Which BAR of the endpoints present below @host holds [addr, addr + len)?
 * Whether it decodes is for the caller to ask.
 */
static const struct sim_pci_node *
sim_pci_bar_at(const struct sim_pci_node *host, u64 addr, u64 len, bool bus,
	       phys_addr_t *cpu_addr, unsigned int *bar_idx)
{
	unsigned int i, j, n = sim_fw_pci_count();
	u64 last;

	if (!len || check_add_overflow(addr, len - 1, &last))
		return NULL;
	for (i = 0; i < n; i++) {
		const struct sim_pci_node *node = &sim_pci.nodes[i];

		if (node->fw.type != SIM_PCI_ENDPOINT ||
		    (host && node->host != host) || !sim_pci_present(node))
			continue;
		for (j = 0; j < SIM_PCI_NR_BARS; j++) {
			const struct sim_fw_pci_range *bar = &node->fw.bar[j];
			u64 start = bus ? bar->bus_addr : bar->cpu_addr;

			if (bar->size && addr >= start &&
			    last <= start + (bar->size - 1)) {
				*cpu_addr = bar->cpu_addr + (addr - start);
				*bar_idx = j;
				return node;
			}
		}
	}
	return NULL;
}

/**
 * sim_pci_bar_at_bus() - the endpoint whose BAR holds a bus address range
 * @host: the host bridge whose bus address space to search
 * @addr: first bus address
 * @len: bytes; the whole range must lie in one BAR
 * @cpu_addr: set to the CPU address of @addr
 * @bar: set to the BAR's index
 *
 * Return: the endpoint, or NULL if no BAR of an endpoint present below
 * @host holds the range.
 */
const struct sim_pci_node *sim_pci_bar_at_bus(const struct sim_pci_node *host,
					      dma_addr_t addr, u64 len,
					      phys_addr_t *cpu_addr,
					      unsigned int *bar)
{
	return sim_pci_bar_at(host, addr, len, true, cpu_addr, bar);
}

/**
 * sim_pci_bar_at_cpu() - the endpoint whose BAR holds a CPU address range
 * @addr: first CPU physical address
 * @len: bytes; the whole range must lie in one BAR
 * @bar: set to the BAR's index
 *
 * Return: the endpoint, or NULL if no BAR of an endpoint present holds
 * the range.
 */
const struct sim_pci_node *sim_pci_bar_at_cpu(phys_addr_t addr, u64 len,
					      unsigned int *bar)
{
	phys_addr_t cpu;

	return sim_pci_bar_at(NULL, addr, len, false, &cpu, bar);
}
