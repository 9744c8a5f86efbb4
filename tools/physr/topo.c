// SPDX-License-Identifier: GPL-2.0
/*
 * physr topo: the PCI fabric of the default machine as the kernel side
 * sees it after boot.
 *
 * Everything printed comes from kernel-side objects (struct pci_dev and
 * friends, P2P providers, IOMMU groups), not from the machine's own
 * tables: it shows what enumeration made of the firmware.  Three parts:
 * the tree (host bridges, ports, endpoints with their requester IDs, BARs
 * with CPU and bus addresses, ACS; for endpoints, memory decode and bus
 * mastering as their Command registers say, and FLR capability, in
 * lspci's words), the IOMMU groups if the IOMMU driver
 * has probed the devices, and the P2P map type of every provider (every
 * BAR of every endpoint: any BAR can be offered as P2P memory) for every
 * client.  --dot prints the same as a Graphviz digraph.  Nothing is
 * limited in number: the tables are as large as the machine.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <linux/err.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/pci-p2pdma.h>
#include <linux/slab.h>

#include "tools/physr/physr.h"

/**
 * struct topo - the P2P providers and clients shown
 * @nr_prov: entries of @prov
 * @nr_clients: entries of @clients
 * @prov: a provider for each BAR of each endpoint, in firmware order
 * @clients: every endpoint, in firmware order
 */
struct topo {
	unsigned int nr_prov;
	unsigned int nr_clients;
	struct p2pdma_provider **prov;
	struct pci_dev **clients;
};

static const char *topo_type_name(const struct pci_dev *pdev)
{
	switch (pci_pcie_type(pdev)) {
	case PCI_EXP_TYPE_ROOT_PORT:
		return "root port";
	case PCI_EXP_TYPE_UPSTREAM:
		return "switch upstream port";
	case PCI_EXP_TYPE_DOWNSTREAM:
		return "switch downstream port";
	default:
		return "endpoint";
	}
}

/* "16G", "128K", ...: the largest unit that divides @size. */
static const char *topo_size(u64 size, char *buf, size_t len)
{
	static const char units[] = "KMGT";
	unsigned int i = 0;
	u64 div = 1024;

	while (i + 1 < sizeof(units) - 1 && size % (div * 1024) == 0)
		div *= 1024, i++;
	if (size % div)
		snprintf(buf, len, "%llu", (unsigned long long)size);
	else
		snprintf(buf, len, "%llu%c", (unsigned long long)(size / div),
			 units[i]);
	return buf;
}

/* "SV+ RR- ..." for the capability's controls; "" without ACS. */
static const char *topo_acs(const struct pci_dev *pdev, char *buf, size_t len)
{
	static const struct { u16 bit; const char *name; } bits[] = {
		{ PCI_ACS_SV, "SV" }, { PCI_ACS_TB, "TB" },
		{ PCI_ACS_RR, "RR" }, { PCI_ACS_CR, "CR" },
		{ PCI_ACS_UF, "UF" }, { PCI_ACS_EC, "EC" },
		{ PCI_ACS_DT, "DT" },
	};
	size_t off = 0;
	unsigned int i;

	buf[0] = 0;
	for (i = 0; i < ARRAY_SIZE(bits) && off < len; i++)
		if (pdev->acs_cap & bits[i].bit)
			off += snprintf(buf + off, len - off, "%s%s%c",
					off ? " " : "", bits[i].name,
					pdev->acs_ctrl & bits[i].bit ? '+' : '-');
	return buf;
}

static void topo_print_bars(const struct pci_dev *pdev, int indent)
{
	char size[24];
	int bar;

	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		unsigned long flags = pci_resource_flags(pdev, bar);

		if (!flags)
			continue;
		printf("%*sBAR%d  cpu 0x%012llx  bus 0x%012llx  %5s  %s%s\n",
		       indent, "", bar,
		       (unsigned long long)pci_resource_start(pdev, bar),
		       (unsigned long long)pci_bus_address(pdev, bar),
		       topo_size(pci_resource_len(pdev, bar), size, sizeof(size)),
		       flags & IORESOURCE_MEM_64 ? "64-bit" : "32-bit",
		       flags & IORESOURCE_PREFETCH ? ", prefetchable" : "");
	}
}

/* An endpoint's Command register and FLR capability, as lspci says them. */
static void topo_print_control(struct pci_dev *pdev)
{
	u32 devcap = 0;
	u16 cmd;

	if (pci_read_config_word(pdev, PCI_COMMAND, &cmd) ||
	    PCI_POSSIBLE_ERROR(cmd)) {
		printf("  (config space not answering)");
		return;
	}
	pcie_capability_read_dword(pdev, PCI_EXP_DEVCAP, &devcap);
	printf("  Mem%c BusMaster%c FLReset%c",
	       cmd & PCI_COMMAND_MEMORY ? '+' : '-',
	       cmd & PCI_COMMAND_MASTER ? '+' : '-',
	       devcap & PCI_EXP_DEVCAP_FLR ? '+' : '-');
}

static void topo_print_dev(struct pci_dev *pdev, int indent)
{
	char acs[64];
	struct pci_dev *child;

	printf("%*s%02x:%02x.%u %-8s %s [%04x:%04x]", indent, "", pdev->busnr,
	       PCI_SLOT(pdev->devfn), PCI_FUNC(pdev->devfn), pdev->name,
	       topo_type_name(pdev), pdev->vendor, pdev->device);
	if (pci_is_bridge(pdev))
		printf("  buses %02x-%02x", pdev->secondary, pdev->subordinate);
	else if (pdev->dev.dma_mask != U64_MAX)
		printf("  DMA %d-bit", 64 - __builtin_clzll(pdev->dev.dma_mask));
	if (pdev->acs_cap)
		printf("  ACS %s", topo_acs(pdev, acs, sizeof(acs)));
	if (!pci_is_bridge(pdev))
		topo_print_control(pdev);
	if (pdev->dev.iommu_group)
		printf("  group %d", iommu_group_id(pdev->dev.iommu_group));
	printf("\n");
	topo_print_bars(pdev, indent + 4);

	for_each_pci_dev(child)
		if (child->bridge == pdev)
			topo_print_dev(child, indent + 2);
}

static void topo_print_tree(void)
{
	struct pci_host_bridge *host;
	struct pci_dev *pdev;
	unsigned int i;

	for_each_pci_host_bridge(host) {
		printf("%s host bridge [%04x:%04x]  buses %02x-%02x  ", host->name,
		       host->vendor, host->device, host->busnr,
		       host->subordinate);
		if (host->iommu_unit >= 0)
			printf("IOMMU unit %d", host->iommu_unit);
		else
			printf("no IOMMU");
		printf("  P2P %s\n", pci_p2pdma_host_bridge_allowed(host) ?
		       "allowlisted" : "not allowlisted");
		for (i = 0; i < host->nr_windows; i++) {
			const struct pci_host_window *w = &host->windows[i];

			printf("    window cpu 0x%012llx-0x%012llx  bus 0x%012llx\n",
			       (unsigned long long)w->res.start,
			       (unsigned long long)w->res.end,
			       (unsigned long long)(w->res.start - w->offset));
		}
		for_each_pci_dev(pdev)
			if (pdev->host == host && !pdev->bridge)
				topo_print_dev(pdev, 2);
	}
}

static void topo_print_groups(void)
{
	struct pci_dev *pdev, *other;
	bool any = false;

	for_each_pci_dev(pdev) {
		struct iommu_group *group = pdev->dev.iommu_group;
		bool first = true;

		if (!group)
			continue;
		for_each_pci_dev(other) {
			if (other == pdev) {
				pci_dev_put(other);	/* the loop's, kept by break */
				break;
			}
			if (other->dev.iommu_group == group)
				first = false;
		}
		if (!first)
			continue;
		if (!any)
			printf("\nIOMMU groups:\n");
		any = true;
		printf("  group %d:", iommu_group_id(group));
		for_each_pci_dev(other)
			if (other->dev.iommu_group == group)
				printf(" %s", other->name);
		printf("\n");
	}
	if (!any)
		printf("\nIOMMU groups: none (no device is probed by an IOMMU driver)\n");
}

/* Count the endpoints and their BARs, to size the tables. */
static void topo_count(unsigned int *clients, unsigned int *bars)
{
	struct pci_dev *pdev;
	int bar;

	*clients = 0;
	*bars = 0;
	for_each_pci_dev(pdev) {
		if (pci_is_bridge(pdev))
			continue;
		(*clients)++;
		for (bar = 0; bar < PCI_STD_NUM_BARS; bar++)
			*bars += pci_resource_len(pdev, bar) != 0;
	}
}

/*
 * The provider of each BAR of @pdev, appended to @t->prov; valid while
 * @t->clients holds @pdev.
 */
static int topo_add_providers(struct topo *t, struct pci_dev *pdev)
{
	struct p2pdma_provider *p;
	int bar;

	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		if (!pci_resource_len(pdev, bar))
			continue;
		p = pcim_p2pdma_provider(pdev, bar);
		if (IS_ERR(p))
			return PTR_ERR(p);
		t->prov[t->nr_prov++] = p;
	}
	return 0;
}

static int topo_collect(struct topo *t)
{
	unsigned int nr_clients, nr_bars;
	struct pci_dev *pdev;
	int ret;

	topo_count(&nr_clients, &nr_bars);
	t->clients = kcalloc(nr_clients ?: 1, sizeof(*t->clients), GFP_KERNEL);
	t->prov = kcalloc(nr_bars ?: 1, sizeof(*t->prov), GFP_KERNEL);
	if (!t->clients || !t->prov)
		return -ENOMEM;
	for_each_pci_dev(pdev) {
		if (pci_is_bridge(pdev))
			continue;
		t->clients[t->nr_clients++] = pci_dev_get(pdev);
		ret = topo_add_providers(t, pdev);
		if (ret) {
			pci_dev_put(pdev);	/* the loop's, kept by return */
			return ret;
		}
	}
	return 0;
}

static void topo_release(struct topo *t)
{
	while (t->nr_clients)
		pci_dev_put(t->clients[--t->nr_clients]);
	t->nr_prov = 0;
	kfree(t->prov);
	kfree(t->clients);
	t->prov = NULL;
	t->clients = NULL;
	t->nr_clients = 0;
}

static const char *topo_short_type(enum pci_p2pdma_map_type type)
{
	switch (type) {
	case PCI_P2PDMA_MAP_BUS_ADDR:
		return "bus";
	case PCI_P2PDMA_MAP_THRU_HOST_BRIDGE:
		return "host";
	default:
		return "-";
	}
}

static void topo_print_matrix(const struct topo *t)
{
	unsigned int i, j;
	char label[32];

	printf("\nP2P map types (rows: provider, columns: client):\n%14s", "");
	for (j = 0; j < t->nr_clients; j++)
		printf(" %8s", t->clients[j]->name);
	printf("\n");
	for (i = 0; i < t->nr_prov; i++) {
		snprintf(label, sizeof(label), "%s BAR%d",
			 t->prov[i]->owner->name, t->prov[i]->bar);
		printf("%-14s", label);
		for (j = 0; j < t->nr_clients; j++)
			printf(" %8s", topo_short_type(pci_p2pdma_map_type(
					t->prov[i], &t->clients[j]->dev)));
		printf("\n");
	}
	printf("  bus: by bus address, below the root complex (no IOMMU)\n"
	       "  host: through the host bridge (IOMMU-mapped like RAM)\n"
	       "  -: not supported\n"
	       "  Every BAR of every endpoint is a row: any can be P2P memory.\n");
}

/* @pdev's first provider (the answer is the same for all its BARs). */
static struct p2pdma_provider *topo_dev_prov(const struct topo *t,
					     const struct pci_dev *pdev)
{
	unsigned int i;

	for (i = 0; i < t->nr_prov; i++)
		if (t->prov[i]->owner == pdev)
			return t->prov[i];
	return NULL;
}

/* How @client reaches @owner's BARs; not supported if it has none. */
static enum pci_p2pdma_map_type topo_dev_type(const struct topo *t,
					      struct pci_dev *owner,
					      struct pci_dev *client)
{
	struct p2pdma_provider *p = topo_dev_prov(t, owner);

	return p ? pci_p2pdma_map_type(p, &client->dev) :
		   PCI_P2PDMA_MAP_NOT_SUPPORTED;
}

static void topo_print_dot(const struct topo *t)
{
	struct pci_host_bridge *host;
	struct pci_dev *pdev;
	unsigned int i, j;
	char acs[64];

	printf("digraph physr {\n\tnode [shape=box, fontname=\"monospace\"];\n");
	for_each_pci_host_bridge(host) {
		printf("\t\"%s\" [label=\"%s\\nhost bridge\\n", host->name,
		       host->name);
		if (host->iommu_unit >= 0)
			printf("IOMMU unit %d\"];\n", host->iommu_unit);
		else
			printf("no IOMMU\"];\n");
	}
	for_each_pci_dev(pdev) {
		printf("\t\"%s\" [label=\"%02x:%02x.%u %s\\n%s", pdev->name,
		       pdev->busnr, PCI_SLOT(pdev->devfn), PCI_FUNC(pdev->devfn),
		       pdev->name, topo_type_name(pdev));
		if (pdev->acs_cap)
			printf("\\nACS %s", topo_acs(pdev, acs, sizeof(acs)));
		printf("\"%s];\n", pci_is_bridge(pdev) ? "" : ", style=rounded");
		printf("\t\"%s\" -> \"%s\";\n",
		       pdev->bridge ? pdev->bridge->name : pdev->host->name,
		       pdev->name);
	}
	/*
	 * P2P-capable pairs of endpoints, client -> provider (the direction
	 * the client's DMA goes); one two-headed edge when both directions
	 * agree.  The map type depends on the devices, not on which BAR.
	 */
	for (i = 0; i < t->nr_clients; i++) {
		for (j = 0; j < t->nr_clients; j++) {
			enum pci_p2pdma_map_type type, back;

			if (i == j)
				continue;
			type = topo_dev_type(t, t->clients[j], t->clients[i]);
			back = topo_dev_type(t, t->clients[i], t->clients[j]);
			if (type == PCI_P2PDMA_MAP_NOT_SUPPORTED ||
			    (type == back && j < i))
				continue;
			printf("\t\"%s\" -> \"%s\" [style=dashed, constraint=false, "
			       "dir=%s, color=%s, label=\"%s\"];\n",
			       t->clients[i]->name, t->clients[j]->name,
			       type == back ? "both" : "forward",
			       type == PCI_P2PDMA_MAP_BUS_ADDR ? "darkgreen" :
			       "orange", pci_p2pdma_map_type_name(type));
		}
	}
	printf("}\n");
}

static void topo_usage(FILE *f)
{
	fprintf(f,
		"usage: physr topo [--dot]\n"
		"\n"
		"Boots the default machine and prints its PCI fabric as the kernel\n"
		"enumerated it: host bridges, ports and endpoints with requester\n"
		"IDs, BARs with CPU and bus addresses, ACS controls (+ on, - off),\n"
		"IOMMU groups, and how each endpoint reaches each other's BAR\n"
		"(P2P map type).  --dot prints a Graphviz digraph instead; dashed\n"
		"edges are P2P-capable pairs, from client to provider.\n");
}

/**
 * topo_main() - the `physr topo` command
 * @argc: argument count, argv[0] being "topo"
 * @argv: arguments
 *
 * Return: the process exit status.
 */
int topo_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dot", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct topo t = { 0 };
	bool dot = false;
	int opt, ret;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "dh", opts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			dot = true;
			break;
		case 'h':
			topo_usage(stdout);
			return 0;
		default:
			topo_usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		topo_usage(stderr);
		return 2;
	}

	ret = machine_boot(NULL);
	if (ret) {
		fprintf(stderr, "physr topo: cannot boot the machine: %s\n",
			strerror(-ret));
		return 1;
	}
	ret = topo_collect(&t);
	if (!ret) {
		if (dot) {
			topo_print_dot(&t);
		} else {
			topo_print_tree();
			topo_print_groups();
			topo_print_matrix(&t);
		}
	}
	topo_release(&t);
	machine_shutdown();
	if (ret) {
		fprintf(stderr, "physr topo: %s\n", strerror(-ret));
		return 1;
	}
	return 0;
}
