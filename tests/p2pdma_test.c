// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of P2PDMA (drivers/pci/p2pdma.c): providers and their bus
 * addresses, the map type of every provider/client pair of the default
 * machine and why, how ACS redirect, the host bridge allowlist and a
 * second host bridge change it, and the per-pair cache (consistency,
 * computed once per pair, invalidation, eviction, concurrent use).
 *
 * Both suites' cases boot their own machine (providers and their struct
 * pages live as long as the device) and leave the allowlist as they found
 * it.  The p2pdma_pages suite covers pci_p2pdma_add_resource(): struct
 * pages for pieces of BARs (mm/memmap.c's ZONE_DEVICE pages), owned by
 * the BAR's provider, freed when the device is removed.
 */
#include <pthread.h>
#include <sys/mman.h>

#include <kunit/fail_nth.h>
#include <kunit/test.h>
#include <linux/err.h>
#include <linux/fault-inject.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/pci-p2pdma.h>
#include <linux/physr.h>
#include <linux/sizes.h>

#include "arch/sim/boot.h"
#include "sim/dma.h"
#include "sim/sim.h"
#include "tests/pci_boards.h"

/* The model of the machines' host bridges (see sim/board_default.c). */
#define HB_VENDOR	0x5ca1
#define HB_DEVICE	0x0100

#define BUS	PCI_P2PDMA_MAP_BUS_ADDR
#define HOST	PCI_P2PDMA_MAP_THRU_HOST_BRIDGE
#define NONE	PCI_P2PDMA_MAP_NOT_SUPPORTED

static void p2pdma_test_exit(struct kunit *test __always_unused)
{
	pci_p2pdma_allowlist_add(HB_VENDOR, HB_DEVICE);
	machine_shutdown();
}

/* The provider of @name's BAR @bar; the case holds @name until it ends. */
static struct p2pdma_provider *p2pdma_get(struct kunit *test, const char *name,
					  int bar)
{
	struct p2pdma_provider *p;

	p = pcim_p2pdma_provider(pci_test_dev(test, name), bar);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p);
	return p;
}

static enum pci_p2pdma_map_type p2pdma_type(struct p2pdma_provider *p,
					    const char *client)
{
	struct pci_dev *pdev = pci_get_by_name(client);
	enum pci_p2pdma_map_type type = PCI_P2PDMA_MAP_UNKNOWN;

	if (pdev)
		type = pci_p2pdma_map_type(p, &pdev->dev);
	pci_dev_put(pdev);
	return type;
}

struct p2pdma_pair {
	const char *provider;
	int bar;
	const char *client;
	enum pci_p2pdma_map_type want;
	const char *why;
};

static void p2pdma_check_pairs(struct kunit *test,
			       const struct p2pdma_pair *pairs, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct p2pdma_provider *p = p2pdma_get(test, pairs[i].provider,
						       pairs[i].bar);

		KUNIT_EXPECT_EQ_MSG(test, p2pdma_type(p, pairs[i].client),
				    pairs[i].want, "%s BAR%d <- %s: %s",
				    pairs[i].provider, pairs[i].bar,
				    pairs[i].client, pairs[i].why);
	}
}

static void p2pdma_default_matrix(struct kunit *test)
{
	static const struct p2pdma_pair pairs[] = {
		{ "nic", 0, "nic", BUS, "a device reaches its own BAR" },
		{ "nic", 0, "gpu0", BUS, "one switch, its ports do not redirect" },
		{ "gpu0", 2, "nic", BUS, "one switch, its ports do not redirect" },
		{ "gpu0", 0, "nic", BUS, "any BAR of the peer" },
		{ "gpu0", 2, "gpu0", BUS, "a device reaches its own BAR" },
		{ "nic", 0, "gpu1", HOST, "different root ports, hb0 allowlisted" },
		{ "gpu0", 2, "gpu1", HOST, "different root ports, hb0 allowlisted" },
		{ "gpu1", 2, "gpu0", HOST, "different root ports, hb0 allowlisted" },
		{ "gpu1", 2, "nic", HOST, "different root ports, hb0 allowlisted" },
		{ "gpu1", 2, "gpu1", BUS, "a device reaches its own BAR" },
		{ "gpu1", 2, "sata", HOST, "different root ports, hb0 allowlisted" },
		{ "sata", 5, "nic", HOST, "different root ports, hb0 allowlisted" },
		{ "sata", 5, "gpu0", HOST, "different root ports, hb0 allowlisted" },
		{ "sata", 5, "gpu1", HOST, "different root ports, hb0 allowlisted" },
		{ "nic", 0, "sata", HOST, "different root ports, hb0 allowlisted" },
		{ "gpu0", 2, "sata", HOST, "different root ports, hb0 allowlisted" },
	};

	KUNIT_ASSERT_EQ(test, machine_boot(NULL), 0);
	p2pdma_check_pairs(test, pairs, ARRAY_SIZE(pairs));
}

/* Off the allowlist, the host bridge is not trusted; switches still are. */
static void p2pdma_allowlist(struct kunit *test)
{
	struct p2pdma_provider *gpu0, *gpu1, *nic;
	struct pci_host_bridge *host;

	KUNIT_ASSERT_EQ(test, machine_boot(NULL), 0);
	host = pci_get_next_host_bridge(NULL);
	KUNIT_EXPECT_EQ(test, host->vendor, HB_VENDOR);
	KUNIT_EXPECT_EQ(test, host->device, HB_DEVICE);
	KUNIT_EXPECT_TRUE(test, pci_p2pdma_host_bridge_allowed(host));
	gpu0 = p2pdma_get(test, "gpu0", 2);
	gpu1 = p2pdma_get(test, "gpu1", 2);
	nic = p2pdma_get(test, "nic", 0);
	KUNIT_EXPECT_EQ(test, p2pdma_type(gpu0, "gpu1"), HOST);	/* cached */
	KUNIT_EXPECT_EQ(test, p2pdma_type(nic, "gpu0"), BUS);

	KUNIT_ASSERT_EQ(test, pci_p2pdma_allowlist_remove(HB_VENDOR, HB_DEVICE), 0);
	KUNIT_EXPECT_EQ(test, pci_p2pdma_allowlist_remove(HB_VENDOR, HB_DEVICE),
			-ENOENT);
	KUNIT_EXPECT_FALSE(test, pci_p2pdma_host_bridge_allowed(host));
	KUNIT_EXPECT_EQ(test, p2pdma_type(gpu0, "gpu1"), NONE);
	KUNIT_EXPECT_EQ(test, p2pdma_type(gpu1, "gpu0"), NONE);
	KUNIT_EXPECT_EQ(test, p2pdma_type(nic, "sata"), NONE);
	KUNIT_EXPECT_EQ(test, p2pdma_type(nic, "gpu0"), BUS);
	KUNIT_EXPECT_EQ(test, p2pdma_type(gpu0, "nic"), BUS);

	/* Other models do not help. */
	KUNIT_EXPECT_EQ(test, pci_p2pdma_allowlist_add(HB_VENDOR, 0x0bad), 0);
	KUNIT_EXPECT_EQ(test, p2pdma_type(gpu0, "gpu1"), NONE);
	KUNIT_EXPECT_EQ(test, pci_p2pdma_allowlist_remove(HB_VENDOR, 0x0bad), 0);

	KUNIT_ASSERT_EQ(test, pci_p2pdma_allowlist_add(HB_VENDOR, HB_DEVICE), 0);
	KUNIT_EXPECT_EQ(test, pci_p2pdma_allowlist_add(HB_VENDOR, HB_DEVICE),
			-EEXIST);
	KUNIT_EXPECT_EQ(test, p2pdma_type(gpu0, "gpu1"), HOST);
	KUNIT_EXPECT_EQ(test, p2pdma_type(nic, "sata"), HOST);
}

static void p2pdma_allowlist_full(struct kunit *test)
{
	unsigned int i, added = 0;
	int ret;

	for (i = 1; i <= 16; i++) {
		ret = pci_p2pdma_allowlist_add(0x1234, i);
		if (ret)
			break;
		added++;
	}
	KUNIT_EXPECT_EQ(test, ret, -ENOSPC);
	KUNIT_EXPECT_GT(test, added, 0U);
	for (i = 1; i <= added; i++)
		KUNIT_EXPECT_EQ(test, pci_p2pdma_allowlist_remove(0x1234, i), 0);
}

struct p2pdma_acs_case {
	const char *desc;
	const char *port;
	u16 ctrl;
	enum pci_p2pdma_map_type want;
};

static const struct p2pdma_acs_case p2pdma_acs_cases[] = {
	{ "Request Redirect on the NIC's port", "sw0-dp0", PCI_ACS_RR, HOST },
	{ "Completion Redirect on GPU0's port", "sw0-dp1", PCI_ACS_CR, HOST },
	{ "Egress Control on GPU0's port", "sw0-dp1", PCI_ACS_EC, HOST },
	{ "Source Validation and Upstream Forwarding only", "sw0-dp0",
	  PCI_ACS_SV | PCI_ACS_UF, BUS },
	{ "redirect above the switch does not matter", "rpA", 0, BUS },
};

KUNIT_ARRAY_PARAM_DESC(p2pdma_acs, p2pdma_acs_cases, desc);

/* ACS on the switch's downstream ports turns bus-addr into host bridge. */
static void p2pdma_acs_redirect(struct kunit *test)
{
	const struct p2pdma_acs_case *c = test->param_value;
	struct pci_test_board *tb = kunit_kzalloc(test, sizeof(*tb), GFP_KERNEL);
	struct p2pdma_provider *nic, *gpu0;

	KUNIT_ASSERT_NOT_NULL(test, tb);
	pci_test_board_default(tb);
	pci_test_node(tb, c->port)->acs_ctrl = c->ctrl;
	KUNIT_ASSERT_EQ(test, machine_boot(&tb->cfg), 0);
	nic = p2pdma_get(test, "nic", 0);
	gpu0 = p2pdma_get(test, "gpu0", 2);
	KUNIT_EXPECT_EQ(test, p2pdma_type(nic, "gpu0"), c->want);
	KUNIT_EXPECT_EQ(test, p2pdma_type(gpu0, "nic"), c->want);
	/* Still everyone reaches their own BAR, and GPU1 is unaffected. */
	KUNIT_EXPECT_EQ(test, p2pdma_type(nic, "nic"), BUS);
	KUNIT_EXPECT_EQ(test, p2pdma_type(gpu0, "gpu1"), HOST);
}

/* Two host bridges: nothing crosses between them, allowlisted or not. */
static void p2pdma_two_host_bridges(struct kunit *test)
{
	static const struct p2pdma_pair pairs[] = {
		{ "gpu2", 2, "gpu0", NONE, "different host bridges" },
		{ "gpu0", 2, "gpu2", NONE, "different host bridges" },
		{ "gpu2", 2, "nic2", BUS, "below hb1's switch" },
		{ "nic2", 0, "gpu2", BUS, "below hb1's switch" },
		{ "gpu2", 2, "gpu3", HOST, "hb1's root ports, allowlisted" },
		{ "gpu0", 2, "gpu1", HOST, "hb0 as before" },
	};
	struct pci_test_board *tb = kunit_kzalloc(test, sizeof(*tb), GFP_KERNEL);
	int hb, rp, up, dp;

	KUNIT_ASSERT_NOT_NULL(test, tb);
	pci_test_board_default(tb);
	hb = pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "hb1", .type = SIM_PCI_HOST_BRIDGE, .parent = -1,
		.vendor = HB_VENDOR, .device = HB_DEVICE, .bus = 0x40,
		.iommu_unit = 0, .p2p_forward = true });
	rp = pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "rp1", .type = SIM_PCI_ROOT_PORT, .parent = hb });
	up = pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "sw1-up", .type = SIM_PCI_SWITCH_UP, .parent = rp });
	dp = pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "sw1-dp0", .type = SIM_PCI_SWITCH_DOWN, .parent = up });
	pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "nic2", .type = SIM_PCI_ENDPOINT, .parent = dp,
		.bar[0] = { SZ_64K, 0 } });
	dp = pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "sw1-dp1", .type = SIM_PCI_SWITCH_DOWN, .parent = up });
	pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "gpu2", .type = SIM_PCI_ENDPOINT, .parent = dp,
		.bar[2] = { SZ_1G, SIM_PCI_BAR_64 | SIM_PCI_BAR_PREFETCH } });
	rp = pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "rp2", .type = SIM_PCI_ROOT_PORT, .parent = hb });
	pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "gpu3", .type = SIM_PCI_ENDPOINT, .parent = rp,
		.bar[2] = { SZ_1G, SIM_PCI_BAR_64 | SIM_PCI_BAR_PREFETCH } });
	KUNIT_ASSERT_EQ(test, machine_boot(&tb->cfg), 0);
	p2pdma_check_pairs(test, pairs, ARRAY_SIZE(pairs));
}

/* Functions of one device reach each other inside it, unless redirected. */
static void p2pdma_multifunction(struct kunit *test)
{
	static const struct p2pdma_pair pairs[] = {
		{ "f0", 0, "f1", HOST, "f0 redirects" },
		{ "f1", 0, "f0", HOST, "f0 redirects" },
		{ "f1", 0, "f2", BUS, "no redirect between f1 and f2" },
		{ "f2", 0, "f1", BUS, "no redirect between f1 and f2" },
		{ "f2", 0, "gpu1", HOST, "another root port" },
	};
	struct pci_test_board *tb = kunit_kzalloc(test, sizeof(*tb), GFP_KERNEL);
	int rp;

	KUNIT_ASSERT_NOT_NULL(test, tb);
	pci_test_board_default(tb);
	rp = pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "rpD", .type = SIM_PCI_ROOT_PORT, .parent = 0,
		.acs_cap = PCI_ACS_RR, .acs_ctrl = PCI_ACS_RR });
	pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "f0", .type = SIM_PCI_ENDPOINT, .parent = rp,
		.acs_cap = PCI_ACS_RR, .acs_ctrl = PCI_ACS_RR,
		.bar[0] = { SZ_64K, 0 } });
	pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "f1", .type = SIM_PCI_ENDPOINT, .parent = rp,
		.bar[0] = { SZ_64K, 0 } });
	pci_test_add(tb, &(struct sim_pci_node_desc){
		.name = "f2", .type = SIM_PCI_ENDPOINT, .parent = rp,
		.bar[0] = { SZ_64K, 0 } });
	KUNIT_ASSERT_EQ(test, machine_boot(&tb->cfg), 0);
	p2pdma_check_pairs(test, pairs, ARRAY_SIZE(pairs));
}

/* One provider per BAR, covering all of it, the same on every call. */
static void p2pdma_provider_basics(struct kunit *test)
{
	struct p2pdma_provider *p, *p0;
	struct pci_dev *gpu0, *nic;

	KUNIT_ASSERT_EQ(test, machine_boot(NULL), 0);
	gpu0 = pci_test_dev(test, "gpu0");
	nic = pci_test_dev(test, "nic");

	p = p2pdma_get(test, "gpu0", 2);
	KUNIT_EXPECT_PTR_EQ(test, p->owner, gpu0);
	KUNIT_EXPECT_EQ(test, p->bar, 2);
	KUNIT_EXPECT_EQ(test, p->base, 64 * GiB);
	KUNIT_EXPECT_EQ(test, p->size, SZ_16G);
	KUNIT_EXPECT_EQ(test, p->bus_offset, 32 * GiB);
	KUNIT_EXPECT_EQ(test, p2pdma_bus_addr(p, 64 * GiB + 5), 32 * GiB + 5);
	KUNIT_EXPECT_EQ(test, p2pdma_bus_addr(p, p->base),
			pci_bus_address(gpu0, 2));
	KUNIT_EXPECT_TRUE(test, p2pdma_provider_contains(p, 80 * GiB - 1, 1));
	KUNIT_EXPECT_FALSE(test, p2pdma_provider_contains(p, 80 * GiB - 1, 2));
	KUNIT_EXPECT_FALSE(test, p2pdma_provider_contains(p, 64 * GiB - 1, 2));
	KUNIT_EXPECT_FALSE(test, p2pdma_provider_contains(p, 64 * GiB, 0));
	KUNIT_EXPECT_FALSE(test, p2pdma_provider_contains(p, U64_MAX, 2));

	/* The same object every time; each BAR its own. */
	KUNIT_EXPECT_PTR_EQ(test, pcim_p2pdma_provider(gpu0, 2), p);
	p0 = p2pdma_get(test, "gpu0", 0);
	KUNIT_EXPECT_PTR_NE(test, p0, p);
	KUNIT_EXPECT_EQ(test, p0->bar, 0);
	KUNIT_EXPECT_EQ(test, p0->size, (u64)SZ_16M);
	KUNIT_EXPECT_PTR_EQ(test, pcim_p2pdma_provider(gpu0, 0), p0);

	/* A 32-bit BAR, where bus == CPU. */
	p = pcim_p2pdma_provider(nic, 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p);
	KUNIT_EXPECT_EQ(test, p->base, pci_resource_start(nic, 0));
	KUNIT_EXPECT_EQ(test, p->size, (u64)SZ_128K);
	KUNIT_EXPECT_EQ(test, p->bus_offset, 0ULL);
}

static void p2pdma_provider_errors(struct kunit *test)
{
	static const struct {
		const char *name;
		int bar;
	} bad[] = {
		{ NULL, 0 },			/* no device */
		{ "gpu0", -1 },
		{ "gpu0", PCI_STD_NUM_BARS },
		{ "gpu0", 1 },			/* not implemented */
		{ "rpA", 0 },			/* ports have none */
	};
	unsigned int i;

	KUNIT_ASSERT_EQ(test, machine_boot(NULL), 0);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct pci_dev *pdev = bad[i].name ?
				       pci_test_dev(test, bad[i].name) : NULL;

		KUNIT_EXPECT_PTR_EQ_MSG(test, pcim_p2pdma_provider(pdev,
				bad[i].bar), ERR_PTR(-EINVAL), "case %u", i);
	}
	/* Nothing was made for the device's good BARs either. */
	KUNIT_EXPECT_NULL(test, pci_test_dev(test, "gpu0")->p2pdma);
}

static int p2pdma_create_op(void *ctx)
{
	struct p2pdma_provider **p = ctx;
	struct pci_dev *gpu1 = pci_get_by_name("gpu1");

	*p = pcim_p2pdma_provider(gpu1, 2);
	pci_dev_put(gpu1);
	return PTR_ERR_OR_ZERO(*p);
}

/* A failed first use leaves the device without P2P state. */
static bool p2pdma_create_check(struct kunit *test, void *ctx __always_unused)
{
	KUNIT_EXPECT_NULL(test, pci_test_dev(test, "gpu1")->p2pdma);
	return !pci_test_dev(test, "gpu1")->p2pdma;
}

/* The first use allocates once; a failure leaves nothing and no state. */
static void p2pdma_provider_fail_nth(struct kunit *test)
{
	struct pci_dev *gpu1;
	struct p2pdma_provider *p = NULL;

	KUNIT_ASSERT_EQ(test, machine_boot(NULL), 0);
	gpu1 = pci_test_dev(test, "gpu1");
	KUNIT_EXPECT_EQ(test, kunit_fail_nth_check(test, p2pdma_create_op,
						   p2pdma_create_check, &p), 1);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p);
	KUNIT_EXPECT_PTR_EQ(test, p->owner, gpu1);
	KUNIT_EXPECT_EQ(test, p2pdma_type(p, "gpu0"), HOST);
	/* Made: later calls, for any BAR, allocate nothing. */
	KUNIT_EXPECT_EQ(test, kunit_fail_nth(test, p2pdma_create_op, &p), 0);
	fail_nth_set(1);
	KUNIT_EXPECT_NOT_ERR_OR_NULL(test, pcim_p2pdma_provider(gpu1, 0));
	KUNIT_EXPECT_FALSE(test, fail_nth_triggered());
	fail_nth_set(0);
}

#define P2PDMA_FIRST_USE_THREADS	8

struct p2pdma_first_use {
	struct pci_dev *gpu1;
	int go;
	struct p2pdma_provider *got[P2PDMA_FIRST_USE_THREADS];
};

struct p2pdma_first_use_arg {
	struct p2pdma_first_use *fu;
	unsigned int id;
};

static void *p2pdma_first_use_fn(void *arg)
{
	struct p2pdma_first_use_arg *a = arg;
	struct p2pdma_first_use *fu = a->fu;

	while (!__atomic_load_n(&fu->go, __ATOMIC_ACQUIRE))
		;
	fu->got[a->id] = pcim_p2pdma_provider(fu->gpu1, a->id % 2 ? 2 : 0);
	return NULL;
}

/* Concurrent first calls agree on one object per BAR, allocated once. */
static void p2pdma_provider_first_use_race(struct kunit *test)
{
	struct p2pdma_first_use_arg args[P2PDMA_FIRST_USE_THREADS];
	pthread_t threads[P2PDMA_FIRST_USE_THREADS];
	struct p2pdma_first_use fu = { 0 };
	struct alloc_stats a0, a1;
	unsigned int round, i;

	KUNIT_ASSERT_EQ(test, machine_boot(NULL), 0);
	fu.gpu1 = pci_test_dev(test, "gpu1");
	for (round = 0; round < 20; round++) {
		/* A fresh device state each round: reboot the machine. */
		if (round) {
			machine_shutdown();
			KUNIT_ASSERT_EQ(test, machine_boot(NULL), 0);
			fu.gpu1 = pci_test_dev(test, "gpu1");
		}
		__atomic_store_n(&fu.go, 0, __ATOMIC_RELEASE);
		alloc_stats_get(&a0);
		for (i = 0; i < ARRAY_SIZE(threads); i++) {
			args[i] = (struct p2pdma_first_use_arg){ &fu, i };
			KUNIT_ASSERT_EQ(test, pthread_create(&threads[i], NULL,
					p2pdma_first_use_fn, &args[i]), 0);
		}
		__atomic_store_n(&fu.go, 1, __ATOMIC_RELEASE);
		for (i = 0; i < ARRAY_SIZE(threads); i++)
			pthread_join(threads[i], NULL);
		alloc_stats_get(&a1);

		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, fu.got[0]);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, fu.got[1]);
		for (i = 0; i < ARRAY_SIZE(threads); i++)
			KUNIT_EXPECT_PTR_EQ_MSG(test, fu.got[i], fu.got[i % 2],
						"round %u thread %u", round, i);
		KUNIT_EXPECT_PTR_EQ(test, fu.got[0], pcim_p2pdma_provider(fu.gpu1, 0));
		KUNIT_EXPECT_EQ(test, fu.got[1]->bar, 2);
		/* One state kept; the losers' were freed. */
		KUNIT_EXPECT_EQ_MSG(test, a1.live_allocs - a0.live_allocs, 1ULL,
				    "round %u", round);
	}
}

/* A device that is not PCI cannot take part; the cache holds many clients. */
static void p2pdma_cache_clients(struct kunit *test)
{
	struct device *fake = kunit_kcalloc(test, 40, sizeof(*fake), GFP_KERNEL);
	struct p2pdma_provider *gpu0;
	unsigned int round, i;

	KUNIT_ASSERT_NOT_NULL(test, fake);
	KUNIT_ASSERT_EQ(test, machine_boot(NULL), 0);
	gpu0 = p2pdma_get(test, "gpu0", 2);

	/* More clients than cache entries, twice over: answers stay right. */
	for (round = 0; round < 3; round++) {
		for (i = 0; i < 40; i++)
			KUNIT_EXPECT_EQ(test, pci_p2pdma_map_type(gpu0, &fake[i]),
					NONE);
		KUNIT_EXPECT_EQ(test, p2pdma_type(gpu0, "nic"), BUS);
		KUNIT_EXPECT_EQ(test, p2pdma_type(gpu0, "gpu1"), HOST);
		KUNIT_EXPECT_EQ(test, p2pdma_type(gpu0, "gpu1"), HOST);
		KUNIT_EXPECT_EQ(test, p2pdma_type(gpu0, "sata"), HOST);
	}
}

static struct p2pdma_provider_stats p2pdma_stats(struct p2pdma_provider *p)
{
	struct p2pdma_provider_stats st;

	p2pdma_provider_get_stats(p, &st);
	return st;
}

#define EXPECT_STATS(test, p, l, c) do {				\
	struct p2pdma_provider_stats __st = p2pdma_stats(p);		\
									\
	KUNIT_EXPECT_EQ(test, __st.lookups, (u64)(l));			\
	KUNIT_EXPECT_EQ(test, __st.calcs, (u64)(c));			\
} while (0)

/* Look (gpu0, nic) and (gpu0, gpu1) up @n times each. */
static void p2pdma_lookup_pair(struct kunit *test, struct p2pdma_provider *gpu0,
			       unsigned int n, enum pci_p2pdma_map_type gpu1)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ(test, p2pdma_type(gpu0, "nic"), BUS);
		KUNIT_EXPECT_EQ(test, p2pdma_type(gpu0, "gpu1"), gpu1);
	}
}

/*
 * A pair's answer is computed once, cached per provider, and computed
 * again only after the allowlist changed.
 */
static void p2pdma_cache_computes_once(struct kunit *test)
{
	struct p2pdma_provider *gpu0, *gpu0_bar0;

	KUNIT_ASSERT_EQ(test, machine_boot(NULL), 0);
	gpu0 = p2pdma_get(test, "gpu0", 2);
	gpu0_bar0 = p2pdma_get(test, "gpu0", 0);
	EXPECT_STATS(test, gpu0, 0, 0);

	p2pdma_lookup_pair(test, gpu0, 10, HOST);
	EXPECT_STATS(test, gpu0, 20, 2);
	/* Another provider has a cache of its own, even of the same device. */
	KUNIT_EXPECT_EQ(test, p2pdma_type(gpu0_bar0, "nic"), BUS);
	KUNIT_EXPECT_EQ(test, p2pdma_type(gpu0_bar0, "nic"), BUS);
	EXPECT_STATS(test, gpu0_bar0, 2, 1);
	EXPECT_STATS(test, gpu0, 20, 2);

	/* A failed change of the allowlist changes nothing. */
	KUNIT_EXPECT_EQ(test, pci_p2pdma_allowlist_add(HB_VENDOR, HB_DEVICE),
			-EEXIST);
	KUNIT_EXPECT_EQ(test, pci_p2pdma_allowlist_remove(HB_VENDOR, 0x0bad),
			-ENOENT);
	p2pdma_lookup_pair(test, gpu0, 5, HOST);
	EXPECT_STATS(test, gpu0, 30, 2);

	/* Each change recomputes each pair once, whatever the answer. */
	KUNIT_ASSERT_EQ(test, pci_p2pdma_allowlist_remove(HB_VENDOR, HB_DEVICE),
			0);
	p2pdma_lookup_pair(test, gpu0, 5, NONE);
	EXPECT_STATS(test, gpu0, 40, 4);
	KUNIT_ASSERT_EQ(test, pci_p2pdma_allowlist_add(HB_VENDOR, HB_DEVICE), 0);
	p2pdma_lookup_pair(test, gpu0, 5, HOST);
	EXPECT_STATS(test, gpu0, 50, 6);
	KUNIT_EXPECT_EQ(test, p2pdma_type(gpu0_bar0, "nic"), BUS);
	EXPECT_STATS(test, gpu0_bar0, 3, 2);
}

/* The cache holds 16 clients: the 16 most recent stay, older are redone. */
static void p2pdma_cache_evicts(struct kunit *test)
{
	struct device *fake = kunit_kcalloc(test, 17, sizeof(*fake), GFP_KERNEL);
	struct p2pdma_provider *gpu0;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, fake);
	KUNIT_ASSERT_EQ(test, machine_boot(NULL), 0);
	gpu0 = p2pdma_get(test, "gpu0", 2);
	for (i = 0; i < 16; i++)
		KUNIT_EXPECT_EQ(test, pci_p2pdma_map_type(gpu0, &fake[i]), NONE);
	for (i = 0; i < 16; i++)
		KUNIT_EXPECT_EQ(test, pci_p2pdma_map_type(gpu0, &fake[i]), NONE);
	EXPECT_STATS(test, gpu0, 32, 16);
	KUNIT_EXPECT_EQ(test, pci_p2pdma_map_type(gpu0, &fake[16]), NONE);
	for (i = 1; i < 17; i++)
		KUNIT_EXPECT_EQ(test, pci_p2pdma_map_type(gpu0, &fake[i]), NONE);
	EXPECT_STATS(test, gpu0, 49, 17);
	KUNIT_EXPECT_EQ(test, pci_p2pdma_map_type(gpu0, &fake[0]), NONE);
	EXPECT_STATS(test, gpu0, 50, 18);
}

struct p2pdma_race {
	struct p2pdma_provider *gpu0;
	struct device *nic, *gpu1;
	bool stop;
	unsigned long bad;
	unsigned long lookups;
};

static void *p2pdma_race_reader(void *arg)
{
	struct p2pdma_race *r = arg;
	unsigned long bad = 0, n = 0;
	enum pci_p2pdma_map_type t;

	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE) || n < 1000) {
		t = pci_p2pdma_map_type(r->gpu0, r->gpu1);
		bad += t != HOST && t != NONE;
		bad += pci_p2pdma_map_type(r->gpu0, r->nic) != BUS;
		n++;
	}
	__atomic_add_fetch(&r->bad, bad, __ATOMIC_RELAXED);
	__atomic_add_fetch(&r->lookups, n, __ATOMIC_RELAXED);
	return NULL;
}

/* Lookups racing with allowlist changes see only answers that were true. */
static void p2pdma_cache_concurrent(struct kunit *test)
{
	struct p2pdma_race r = { 0 };
	pthread_t threads[4];
	unsigned int i;

	KUNIT_ASSERT_EQ(test, machine_boot(NULL), 0);
	r.gpu0 = p2pdma_get(test, "gpu0", 2);
	r.nic = &pci_test_dev(test, "nic")->dev;
	r.gpu1 = &pci_test_dev(test, "gpu1")->dev;
	for (i = 0; i < ARRAY_SIZE(threads); i++)
		KUNIT_ASSERT_EQ(test, pthread_create(&threads[i], NULL,
						     p2pdma_race_reader, &r), 0);
	for (i = 0; i < 200; i++) {
		KUNIT_EXPECT_EQ(test, pci_p2pdma_allowlist_remove(HB_VENDOR,
								  HB_DEVICE), 0);
		KUNIT_EXPECT_EQ(test, pci_p2pdma_allowlist_add(HB_VENDOR,
							       HB_DEVICE), 0);
	}
	__atomic_store_n(&r.stop, true, __ATOMIC_RELEASE);
	for (i = 0; i < ARRAY_SIZE(threads); i++)
		pthread_join(threads[i], NULL);

	KUNIT_EXPECT_EQ(test, r.bad, 0UL);
	KUNIT_EXPECT_GE(test, r.lookups, 4000UL);
	/* Settled: the allowlist holds hb0 again, and the cache agrees. */
	KUNIT_EXPECT_EQ(test, pci_p2pdma_map_type(r.gpu0, r.gpu1), HOST);
}

static struct kunit_case p2pdma_cases[] = {
	KUNIT_CASE(p2pdma_default_matrix),
	KUNIT_CASE(p2pdma_allowlist),
	KUNIT_CASE(p2pdma_allowlist_full),
	KUNIT_CASE_PARAM(p2pdma_acs_redirect, p2pdma_acs_gen_params),
	KUNIT_CASE(p2pdma_two_host_bridges),
	KUNIT_CASE(p2pdma_multifunction),
	KUNIT_CASE(p2pdma_provider_basics),
	KUNIT_CASE(p2pdma_provider_errors),
	KUNIT_CASE(p2pdma_provider_fail_nth),
	KUNIT_CASE(p2pdma_provider_first_use_race),
	KUNIT_CASE(p2pdma_cache_clients),
	KUNIT_CASE(p2pdma_cache_computes_once),
	KUNIT_CASE(p2pdma_cache_evicts),
	KUNIT_CASE(p2pdma_cache_concurrent),
	{}
};

static struct kunit_suite p2pdma_suite = {
	.name = "p2pdma",
	.exit = p2pdma_test_exit,
	.test_cases = p2pdma_cases,
};
kunit_test_suite(p2pdma_suite);

/* ---- struct pages for pieces of BARs ----------------------------------- */

/*
 * The pages live until their device is removed, so each case boots a
 * machine of its own (the p2pdma suite's exit shuts it down).
 */
static int p2pdma_pages_init(struct kunit *test __always_unused)
{
	return machine_boot(NULL);
}

/* Struct pages for @size bytes at @offset in @name's BAR @bar. */
static struct p2pdma_provider *p2pdma_add_pages(struct kunit *test,
						const char *name, int bar,
						u64 offset, u64 size)
{
	struct pci_dev *pdev = pci_test_dev(test, name);

	KUNIT_ASSERT_EQ(test, pci_p2pdma_add_resource(pdev, bar, size, offset),
			0);
	return p2pdma_get(test, name, bar);
}

/* Host bytes backing the memmap of the PFNs of [@phys, @phys + @size). */
static u64 memmap_resident(struct kunit *test, phys_addr_t phys, u64 size)
{
	size_t len = PHYS_PFN(size) * sizeof(struct page);
	unsigned char *vec = kunit_kzalloc(test, len / PAGE_SIZE, GFP_KERNEL);
	u64 resident = 0;
	size_t i;

	KUNIT_ASSERT_NOT_NULL(test, vec);
	KUNIT_ASSERT_EQ(test, mincore(pfn_to_page(PHYS_PFN(phys)), len, vec), 0);
	for (i = 0; i < len / PAGE_SIZE; i++)
		resident += (vec[i] & 1) * PAGE_SIZE;
	kunit_kfree(test, vec);
	return resident;
}

/* Every page of [@phys, +@size) is a P2P page of @p, and nothing else. */
static void expect_provider_pages(struct kunit *test, struct p2pdma_provider *p,
				  phys_addr_t phys, u64 size)
{
	unsigned long pfn, bad = 0;

	/* All of its memmap is there, and written: fail, do not fault. */
	KUNIT_ASSERT_EQ(test, memmap_resident(test, phys, size),
			PHYS_PFN(size) * sizeof(struct page));
	for (pfn = PHYS_PFN(phys); pfn < PHYS_PFN(phys + size); pfn++) {
		struct page *page = pfn_to_page(pfn);

		bad += page_to_pfn(page) != pfn;
		bad += page_to_phys(page) != PFN_PHYS(pfn);
		bad += !is_zone_device_page(page) || !is_pci_p2pdma_page(page);
		bad += page_pgmap(page)->type != MEMORY_DEVICE_PCI_P2PDMA;
		bad += page_pgmap(page) != page_pgmap(pfn_to_page(PHYS_PFN(phys)));
		bad += pci_p2pdma_page_provider(page) != p;
		bad += page_ref_count(page) != 0 || PageCompound(page);
		bad += pfn_valid(pfn);
	}
	KUNIT_EXPECT_EQ_MSG(test, bad, 0UL, "%s BAR%d at %#llx", p->owner->name,
			    p->bar, (unsigned long long)phys);
}

/* A RAM page is not a device page, and its neighbours' memmap is intact. */
static void expect_ram_page(struct kunit *test, unsigned long pfn)
{
	struct page *page = pfn_to_page(pfn);

	KUNIT_EXPECT_TRUE(test, pfn_valid(pfn));
	KUNIT_EXPECT_PTR_EQ(test, page, vmemmap + pfn);
	KUNIT_EXPECT_EQ(test, page_to_pfn(page), pfn);
	KUNIT_EXPECT_FALSE(test, is_zone_device_page(page));
	KUNIT_EXPECT_FALSE(test, is_pci_p2pdma_page(page));
	KUNIT_EXPECT_NULL(test, pci_p2pdma_page_provider(page));
}

/*
 * Pieces of GPU0's 64-bit BAR (memmap above max_pfn) and of its 32-bit BAR
 * (in the RAM hole below 4 GiB, whose memmap exists since boot).
 */
static void p2pdma_pages_basics(struct kunit *test)
{
	const unsigned long ram_top = PHYS_PFN(3 * GiB) - 1;
	struct page ram_before[2], ram_page_copy;
	struct p2pdma_provider *hi, *lo;
	struct mm_page_stats st0, st1;
	phys_addr_t hi_at, lo_at;
	struct page *ram;

	ram = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ram);
	ram_before[0] = *pfn_to_page(ram_top);
	ram_before[1] = *pfn_to_page(PHYS_PFN(4 * GiB));
	ram_page_copy = *ram;
	mm_page_stats(&st0);

	hi = p2pdma_add_pages(test, "gpu0", 2, GiB, SZ_4M);
	lo = p2pdma_add_pages(test, "gpu0", 0, SZ_2M, SZ_2M);
	hi_at = hi->base + GiB;
	lo_at = lo->base + SZ_2M;
	/* The pages' provider is the BAR's. */
	KUNIT_EXPECT_PTR_EQ(test, hi, pcim_p2pdma_provider(hi->owner, 2));
	KUNIT_EXPECT_EQ(test, hi_at, 65 * GiB);
	KUNIT_EXPECT_EQ(test, p2pdma_bus_addr(hi, hi_at), 33 * GiB);
	KUNIT_EXPECT_EQ(test, lo_at, 0xc1200000ULL);
	KUNIT_EXPECT_GT(test, PHYS_PFN(hi_at), max_pfn);
	KUNIT_EXPECT_LT(test, PHYS_PFN(lo_at), max_pfn);
	KUNIT_EXPECT_EQ(test, nr_device_pages(), (SZ_4M + SZ_2M) / PAGE_SIZE);
	expect_provider_pages(test, hi, hi_at, SZ_4M);
	expect_provider_pages(test, lo, lo_at, SZ_2M);
	KUNIT_EXPECT_PTR_NE(test, page_pgmap(pfn_to_page(PHYS_PFN(hi_at))),
			    page_pgmap(pfn_to_page(PHYS_PFN(lo_at))));
	/* Around the piece in the hole: memmap that nobody owns. */
	KUNIT_EXPECT_FALSE(test, is_zone_device_page(pfn_to_page(
				PHYS_PFN(lo_at) - 1)));
	KUNIT_EXPECT_FALSE(test, is_zone_device_page(pfn_to_page(
				PHYS_PFN(lo_at + SZ_2M))));

	/* RAM: its pages, the allocator and the RAM map are untouched. */
	expect_ram_page(test, page_to_pfn(ram));
	expect_ram_page(test, ram_top);
	expect_ram_page(test, PHYS_PFN(4 * GiB));
	KUNIT_EXPECT_MEMEQ(test, pfn_to_page(ram_top), &ram_before[0],
			   sizeof(struct page));
	KUNIT_EXPECT_MEMEQ(test, pfn_to_page(PHYS_PFN(4 * GiB)), &ram_before[1],
			   sizeof(struct page));
	KUNIT_EXPECT_MEMEQ(test, ram, &ram_page_copy, sizeof(struct page));
	mm_page_stats(&st1);
	KUNIT_EXPECT_EQ(test, st1.free_pages, st0.free_pages);
	KUNIT_EXPECT_EQ(test, st1.allocated_pages, st0.allocated_pages);
	KUNIT_EXPECT_EQ(test, st1.managed_pages, st0.managed_pages);

	/* Pages do not change how devices reach the memory. */
	KUNIT_EXPECT_EQ(test, p2pdma_type(hi, "nic"), BUS);
	KUNIT_EXPECT_EQ(test, p2pdma_type(lo, "gpu1"), HOST);
	__free_page(ram);
}

/* Removing the device frees its struct pages and their host memory. */
static void p2pdma_pages_freed(struct kunit *test)
{
	struct pci_dev *gpu0 = pci_test_dev(test, "gpu0");
	static const struct { int bar; u64 offset, size; } pieces[] = {
		{ 2, 3 * GiB, SZ_64M },		/* above max_pfn */
		{ 0, SZ_8M, SZ_8M },		/* in the hole below 4 GiB */
	};
	struct p2pdma_provider *p;
	unsigned int i;
	u64 pages = 0;

	for (i = 0; i < ARRAY_SIZE(pieces); i++) {
		phys_addr_t base = pci_resource_start(gpu0, pieces[i].bar) +
				   pieces[i].offset;
		u64 memmap = PHYS_PFN(pieces[i].size) * sizeof(struct page);

		KUNIT_EXPECT_EQ(test, memmap_resident(test, base,
						      pieces[i].size), 0ULL);
		p = p2pdma_add_pages(test, "gpu0", pieces[i].bar,
				     pieces[i].offset, pieces[i].size);
		pages += PHYS_PFN(pieces[i].size);
		KUNIT_EXPECT_EQ(test, memmap_resident(test, base,
						      pieces[i].size), memmap);
		KUNIT_EXPECT_EQ(test, nr_device_pages(), pages);
		expect_provider_pages(test, p, base, pieces[i].size);
	}

	pci_stop_and_remove_bus_device(gpu0);
	KUNIT_EXPECT_EQ(test, nr_device_pages(), 0UL);
	for (i = 0; i < ARRAY_SIZE(pieces); i++)
		KUNIT_EXPECT_EQ(test, memmap_resident(test,
				pci_resource_start(gpu0, pieces[i].bar) +
				pieces[i].offset, pieces[i].size), 0ULL);
	/* What stays readable (the hole's memmap) reads as no page at all. */
	KUNIT_EXPECT_FALSE(test, is_zone_device_page(pfn_to_page(
			PHYS_PFN(pci_resource_start(gpu0, 0) + SZ_8M))));
	/* And a removed device gets no more. */
	KUNIT_EXPECT_EQ(test, pci_p2pdma_add_resource(gpu0, 2, SZ_2M, 0),
			-ENODEV);
	KUNIT_EXPECT_EQ(test, nr_device_pages(), 0UL);
}

static void p2pdma_pages_errors(struct kunit *test)
{
	struct pci_dev *gpu0 = pci_test_dev(test, "gpu0");
	struct pci_dev *nic = pci_test_dev(test, "nic");
	struct dev_pagemap pgmap = { 0 };
	struct p2pdma_provider *p;

	/* Not whole 2 MiB subsections; a BAR too small for one. */
	KUNIT_EXPECT_EQ(test, pci_p2pdma_add_resource(gpu0, 2, SZ_2M, SZ_4K),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, pci_p2pdma_add_resource(gpu0, 2, SZ_2M + SZ_4K,
						      0), -EINVAL);
	KUNIT_EXPECT_EQ(test, pci_p2pdma_add_resource(nic, 0, 0, 0), -EINVAL);
	/* What pcim_p2pdma_provider() refuses, and pieces not in the BAR. */
	KUNIT_EXPECT_EQ(test, pci_p2pdma_add_resource(gpu0, 1, 0, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, pci_p2pdma_add_resource(NULL, 0, 0, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, pci_p2pdma_add_resource(gpu0, 0, SZ_32M, 0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, pci_p2pdma_add_resource(gpu0, 0, 0, SZ_16M),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, pci_p2pdma_add_resource(gpu0, 0, SZ_4M,
						      U64_MAX - SZ_2M + 1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, nr_device_pages(), 0UL);

	/* A page has one pagemap: overlaps are refused, neighbours are not. */
	p = p2pdma_add_pages(test, "gpu0", 2, SZ_4M, SZ_4M);
	KUNIT_EXPECT_EQ(test, pci_p2pdma_add_resource(gpu0, 2, SZ_4M, SZ_4M),
			-EBUSY);
	KUNIT_EXPECT_EQ(test, pci_p2pdma_add_resource(gpu0, 2, SZ_4M, SZ_2M),
			-EBUSY);
	KUNIT_EXPECT_EQ(test, pci_p2pdma_add_resource(gpu0, 2, SZ_2M,
						      SZ_4M + SZ_2M), -EBUSY);
	p2pdma_add_pages(test, "gpu0", 2, SZ_8M, SZ_2M);
	p2pdma_add_pages(test, "gpu0", 2, SZ_2M, SZ_2M);
	KUNIT_EXPECT_EQ(test, nr_device_pages(), 4 * SZ_2M / PAGE_SIZE);
	expect_provider_pages(test, p, p->base + SZ_4M, SZ_4M);

	/* The memmap itself: never over RAM, no type, beyond 46 bits. */
	pgmap.start = 4 * GiB;
	pgmap.size = SZ_2M;
	KUNIT_EXPECT_EQ(test, memremap_pages(&pgmap), -EINVAL);
	pgmap.type = MEMORY_DEVICE_PCI_P2PDMA;
	KUNIT_EXPECT_EQ(test, memremap_pages(&pgmap), -EBUSY);
	pgmap.start = 3 * GiB - SZ_2M;
	pgmap.size = SZ_4M;			/* RAM's last 2 MiB, and the hole */
	KUNIT_EXPECT_EQ(test, memremap_pages(&pgmap), -EBUSY);
	pgmap.start = SIM_PHYS_ADDR_LIMIT - SZ_2M;
	pgmap.size = SZ_4M;
	KUNIT_EXPECT_EQ(test, memremap_pages(&pgmap), -EINVAL);
	pgmap.start = U64_MAX - SZ_2M + 1;
	pgmap.size = SZ_2M;
	KUNIT_EXPECT_EQ(test, memremap_pages(&pgmap), -EINVAL);
	/* The last subsection of the address space is fine. */
	pgmap.start = SIM_PHYS_ADDR_LIMIT - SZ_2M;
	pgmap.size = SZ_2M;
	KUNIT_ASSERT_EQ(test, memremap_pages(&pgmap), 0);
	KUNIT_EXPECT_PTR_EQ(test, page_pgmap(pfn_to_page(PHYS_PFN(pgmap.start))),
			    &pgmap);
	KUNIT_EXPECT_EQ(test, nr_device_pages(),
			4 * SZ_2M / PAGE_SIZE + PAGES_PER_SUBSECTION);
	memunmap_pages(&pgmap);
	KUNIT_EXPECT_EQ(test, nr_device_pages(), 4 * SZ_2M / PAGE_SIZE);
}

static int p2pdma_pages_add_op(void *ctx)
{
	struct pci_dev *gpu1 = ctx;

	return pci_p2pdma_add_resource(gpu1, 2, SZ_8M, SZ_1G);
}

/*
 * The pagemap's allocation may fail: nothing is left.  (The provider's
 * state, which a first pci_p2pdma_add_resource() makes too, stays once
 * made, so it is made first; p2pdma_provider_fail_nth covers it.)
 */
static void p2pdma_pages_fail_nth(struct kunit *test)
{
	struct pci_dev *gpu1 = pci_test_dev(test, "gpu1");
	struct p2pdma_provider *p = p2pdma_get(test, "gpu1", 2);

	KUNIT_EXPECT_EQ(test, kunit_fail_nth(test, p2pdma_pages_add_op, gpu1),
			1);
	KUNIT_EXPECT_EQ(test, nr_device_pages(), SZ_8M / PAGE_SIZE);
	expect_provider_pages(test, p, p->base + SZ_1G, SZ_8M);
}

/* The pages describe the BAR's real bytes: a peer writes one, we read it. */
static void p2pdma_pages_dma(struct kunit *test)
{
	struct p2pdma_provider *p = p2pdma_add_pages(test, "gpu0", 2, 0, SZ_2M);
	struct page *page = pfn_to_page(PHYS_PFN(p->base) + 7);
	struct pci_dev *nic = pci_test_dev(test, "nic");
	u8 src[256], dst[256];
	unsigned int i;

	for (i = 0; i < sizeof(src); i++)
		src[i] = i * 7 + 1;
	KUNIT_ASSERT_EQ(test, pci_p2pdma_map_type(pci_p2pdma_page_provider(page),
						  &nic->dev), BUS);
	KUNIT_ASSERT_EQ(test, sim_dma_write(nic->dev.rid,
			p2pdma_bus_addr(p, page_to_phys(page)) + 100, src,
			sizeof(src)), 0);
	KUNIT_ASSERT_EQ(test, sim_cpu_read(p->base + 7 * PAGE_SIZE + 100, dst,
					   sizeof(dst)), 0);
	KUNIT_EXPECT_MEMEQ(test, dst, src, sizeof(src));
}

/* What physr_list_from_pages() must make of a mixed page array. */
struct p2pdma_from_pages {
	struct p2pdma_provider *a, *b;
	struct page *pages[7];
	struct physr_list list;
};

/*
 * The last two pages of @a (GPU0's BAR2), the first two of @b (GPU1's
 * BAR2, which follows it in the physical address space), two consecutive
 * RAM pages, then a page inside @a, less 100 bytes at the front and 50 at
 * the end.
 */
static int p2pdma_from_pages_op(void *ctx)
{
	struct p2pdma_from_pages *c = ctx;

	return physr_list_from_pages(&c->list, c->pages, 7, 100,
				     7 * PAGE_SIZE - 150, GFP_KERNEL);
}

/* The four ranges, each with its provider: never merged across one. */
static void expect_from_pages(struct kunit *test, struct p2pdma_from_pages *c)
{
	const struct {
		phys_addr_t addr;
		u64 len;
		struct p2pdma_provider *provider;
	} want[] = {
		{ page_to_phys(c->pages[0]) + 100, 2 * PAGE_SIZE - 100, c->a },
		{ page_to_phys(c->pages[2]), 2 * PAGE_SIZE, c->b },
		{ page_to_phys(c->pages[4]), 2 * PAGE_SIZE, NULL },
		{ page_to_phys(c->pages[6]), PAGE_SIZE - 50, c->a },
	};
	struct physr_iter it;
	struct physr r;
	unsigned int n = 0;

	KUNIT_EXPECT_EQ(test, physr_list_nr_ranges(&c->list), 4ULL);
	physr_for_each(&c->list, &it, &r) {
		if (n >= ARRAY_SIZE(want))
			break;
		KUNIT_EXPECT_EQ_MSG(test, r.addr, want[n].addr, "range %u", n);
		KUNIT_EXPECT_EQ_MSG(test, r.len, want[n].len, "range %u", n);
		KUNIT_EXPECT_PTR_EQ_MSG(test, physr_iter_provider(&it),
					want[n].provider, "range %u", n);
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, 4U);
}

/*
 * A page array of P2P pages and RAM becomes a list whose ranges carry
 * their providers, split where the provider changes even when the memory
 * is physically contiguous (two devices' BARs back to back).
 */
static void p2pdma_pages_from_pages(struct kunit *test)
{
	struct p2pdma_from_pages c = { .list = PHYSR_LIST_INIT };
	unsigned long a_last;
	struct page *ram;
	int rounds;

	c.a = p2pdma_add_pages(test, "gpu0", 2, SZ_16G - SZ_2M, SZ_2M);
	c.b = p2pdma_add_pages(test, "gpu1", 2, 0, SZ_2M);
	ram = alloc_pages(GFP_KERNEL, 1);
	KUNIT_ASSERT_NOT_NULL(test, ram);
	split_page(ram, 1);
	a_last = PHYS_PFN(c.a->base + c.a->size) - 1;
	KUNIT_ASSERT_EQ(test, a_last + 1, PHYS_PFN(c.b->base));
	c.pages[0] = pfn_to_page(a_last - 1);
	c.pages[1] = pfn_to_page(a_last);
	c.pages[2] = pfn_to_page(PHYS_PFN(c.b->base));
	c.pages[3] = pfn_to_page(PHYS_PFN(c.b->base) + 1);
	c.pages[4] = ram;
	c.pages[5] = ram + 1;
	c.pages[6] = pfn_to_page(a_last - 5);

	rounds = kunit_fail_nth(test, p2pdma_from_pages_op, &c);
	KUNIT_EXPECT_GT(test, rounds, 1);
	expect_from_pages(test, &c);
	physr_list_destroy(&c.list);

	/* A NULL page among device pages is refused, the list untouched. */
	c.pages[3] = NULL;
	KUNIT_EXPECT_EQ(test, p2pdma_from_pages_op(&c), -EINVAL);
	KUNIT_EXPECT_TRUE(test, physr_list_empty(&c.list));
	KUNIT_EXPECT_EQ(test, physr_list_heap_bytes(&c.list), (size_t)0);
	__free_page(ram);
	__free_page(ram + 1);
}

/* [@addr, +@len) of @provider is range @n of @list. */
static void expect_range(struct kunit *test, const struct physr_list *list,
			 unsigned int n, phys_addr_t addr, u64 len,
			 struct p2pdma_provider *provider)
{
	struct physr_iter it;
	struct physr r;
	unsigned int i = 0;

	physr_for_each(list, &it, &r)
		if (i++ == n)
			break;
	KUNIT_ASSERT_EQ_MSG(test, i, n + 1, "no range %u", n);
	KUNIT_EXPECT_EQ_MSG(test, r.addr, addr, "range %u", n);
	KUNIT_EXPECT_EQ_MSG(test, r.len, len, "range %u", n);
	KUNIT_EXPECT_PTR_EQ_MSG(test, physr_iter_provider(&it), provider,
				"range %u", n);
}

#define CROSS_PAGES	700	/* more than a subsection's 512 */

/*
 * Long runs of physically consecutive pages that cross pagemap
 * boundaries mid-run: the last 700 pages of GPU0's BAR2 straight into the
 * first 700 of GPU1's (each side crossing a subsection inside its own
 * pagemap too), and the last pages of the RAM hole below 4 GiB straight
 * into a pagemap there.  Ranges end exactly where the provider changes,
 * and only there.  Then a page in the middle of a subsection is made to
 * look like another pagemap's: the list does not change, since
 * physr_list_from_pages() reads one struct page per subsection.
 */
static void p2pdma_pages_from_pages_cross(struct kunit *test)
{
	struct p2pdma_provider *a, *b, *lo, fake = { .base = 0, .size = U64_MAX };
	struct pci_p2pdma_pagemap fake_pm = {
		.pgmap.type = MEMORY_DEVICE_PCI_P2PDMA,
		.mem = &fake,
	};
	struct physr_list list = PHYSR_LIST_INIT;
	unsigned long a_end, lo_pfn, i;
	struct page **pages, saved, *mid;

	a = p2pdma_add_pages(test, "gpu0", 2, SZ_16G - SZ_4M, SZ_4M);
	b = p2pdma_add_pages(test, "gpu1", 2, 0, SZ_4M);
	lo = p2pdma_add_pages(test, "gpu0", 0, SZ_2M, SZ_2M);
	a_end = PHYS_PFN(a->base + a->size);
	lo_pfn = PHYS_PFN(lo->base + SZ_2M);
	KUNIT_ASSERT_EQ(test, a_end, PHYS_PFN(b->base));
	KUNIT_ASSERT_FALSE(test, pfn_valid(lo_pfn - 1));	/* the hole */
	pages = kunit_kcalloc(test, 2 * CROSS_PAGES, sizeof(*pages),
			      GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);

	for (i = 0; i < 2 * CROSS_PAGES; i++)
		pages[i] = pfn_to_page(a_end - CROSS_PAGES + i);
	KUNIT_ASSERT_EQ(test, physr_list_from_pages(&list, pages,
			2 * CROSS_PAGES, 0, 2 * CROSS_PAGES * PAGE_SIZE,
			GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, physr_list_nr_ranges(&list), 2ULL);
	expect_range(test, &list, 0, PFN_PHYS(a_end - CROSS_PAGES),
		     CROSS_PAGES * PAGE_SIZE, a);
	expect_range(test, &list, 1, b->base, CROSS_PAGES * PAGE_SIZE, b);
	physr_list_destroy(&list);

	/* Three hole pages, then four of the pagemap; from the second page. */
	for (i = 0; i < 7; i++)
		pages[i] = pfn_to_page(lo_pfn - 3 + i);
	KUNIT_ASSERT_EQ(test, physr_list_from_pages(&list, pages, 7, PAGE_SIZE,
						    6 * PAGE_SIZE, GFP_KERNEL),
			0);
	KUNIT_EXPECT_EQ(test, physr_list_nr_ranges(&list), 2ULL);
	expect_range(test, &list, 0, PFN_PHYS(lo_pfn - 2), 2 * PAGE_SIZE, NULL);
	expect_range(test, &list, 1, PFN_PHYS(lo_pfn), 4 * PAGE_SIZE, lo);
	physr_list_destroy(&list);

	/* Not read: a page of a's that is no subsection's first. */
	for (i = 0; i < 2 * CROSS_PAGES; i++)
		pages[i] = pfn_to_page(a_end - CROSS_PAGES + i);
	mid = pfn_to_page(a_end - 3);
	saved = *mid;
	mid->pgmap = &fake_pm.pgmap;
	KUNIT_EXPECT_EQ(test, physr_list_from_pages(&list, pages,
			2 * CROSS_PAGES, 0, 2 * CROSS_PAGES * PAGE_SIZE,
			GFP_KERNEL), 0);
	*mid = saved;
	KUNIT_EXPECT_EQ(test, physr_list_nr_ranges(&list), 2ULL);
	expect_range(test, &list, 0, PFN_PHYS(a_end - CROSS_PAGES),
		     CROSS_PAGES * PAGE_SIZE, a);
	physr_list_destroy(&list);
}

#define PAGES_THREADS	4
#define PAGES_PIECES	4

struct p2pdma_pages_thread {
	pthread_t thread;
	struct pci_dev *gpu1;
	unsigned int id;
	unsigned int errors;
};

/*
 * Each thread gives pieces of its own 16 MiB of GPU1's BAR2 pages, the
 * first of them racing the others to make GPU1's providers.
 */
static void *p2pdma_pages_thread_fn(void *arg)
{
	struct p2pdma_pages_thread *t = arg;
	unsigned int i;

	for (i = 0; i < PAGES_PIECES; i++) {
		u64 offset = (u64)t->id * SZ_16M + i * SZ_4M;
		struct p2pdma_provider *p;
		struct page *page;

		if (pci_p2pdma_add_resource(t->gpu1, 2, SZ_2M, offset)) {
			t->errors++;
			continue;
		}
		p = pcim_p2pdma_provider(t->gpu1, 2);
		page = pfn_to_page(PHYS_PFN(p->base + offset + SZ_2M) - 1);
		t->errors += pci_p2pdma_page_provider(page) != p;
		t->errors += page_to_phys(page) !=
			     p->base + offset + SZ_2M - PAGE_SIZE;
	}
	return NULL;
}

static void p2pdma_pages_threads(struct kunit *test)
{
	struct p2pdma_pages_thread t[PAGES_THREADS];
	struct pci_dev *gpu1 = pci_test_dev(test, "gpu1");
	unsigned int i;

	for (i = 0; i < PAGES_THREADS; i++) {
		t[i] = (struct p2pdma_pages_thread){ .gpu1 = gpu1, .id = i };
		KUNIT_ASSERT_EQ(test, pthread_create(&t[i].thread, NULL,
				p2pdma_pages_thread_fn, &t[i]), 0);
	}
	for (i = 0; i < PAGES_THREADS; i++) {
		pthread_join(t[i].thread, NULL);
		KUNIT_EXPECT_EQ(test, t[i].errors, 0U);
	}
	KUNIT_EXPECT_EQ(test, nr_device_pages(),
			PAGES_THREADS * PAGES_PIECES * SZ_2M / PAGE_SIZE);
	pci_stop_and_remove_bus_device(gpu1);
	KUNIT_EXPECT_EQ(test, nr_device_pages(), 0UL);
	KUNIT_EXPECT_EQ(test, memmap_resident(test,
			pci_resource_start(gpu1, 2), SZ_64M), 0ULL);
}

static struct kunit_case p2pdma_pages_cases[] = {
	KUNIT_CASE(p2pdma_pages_basics),
	KUNIT_CASE(p2pdma_pages_freed),
	KUNIT_CASE(p2pdma_pages_errors),
	KUNIT_CASE(p2pdma_pages_fail_nth),
	KUNIT_CASE(p2pdma_pages_dma),
	KUNIT_CASE(p2pdma_pages_from_pages),
	KUNIT_CASE(p2pdma_pages_from_pages_cross),
	KUNIT_CASE(p2pdma_pages_threads),
	{}
};

static struct kunit_suite p2pdma_pages_suite = {
	.name = "p2pdma_pages",
	.init = p2pdma_pages_init,
	.exit = p2pdma_test_exit,
	.test_cases = p2pdma_pages_cases,
};
kunit_test_suite(p2pdma_pages_suite);
