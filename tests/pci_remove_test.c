// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of PCI device lifetime and removal (drivers/pci/probe.c) and of
 * what removal does to P2P providers and DMA mappings
 * (drivers/pci/p2pdma.c, kernel/dma/mapping.c), end to end on the
 * default board:
 *
 *  - removal takes a device (and what is below a port) off the bus:
 *    lookups and iteration skip it, a second removal does nothing, the
 *    struct stays valid while referenced and goes at the last put;
 *  - the IOMMU core releases it: its DMA through its old domain faults
 *    while its group's other devices go on;
 *  - the DMA sanitizer reports what a removed device left mapped;
 *  - P2P: removing GPU0 while the NIC (by bus address) and GPU1 (through
 *    the host bridge) have its BAR mapped is reported, the mappings keep
 *    working and keep the structs, the last unmap frees them; new
 *    mappings of its memory fail with -ENODEV on every path;
 *  - the same with the machine's hot-unplug, before the kernel's removal
 *    (surprise) or after it (orderly): DMA through the mappings then
 *    fails in the machine, the CPU reads all ones, nothing is freed under
 *    the mappings and their unmaps free it all;
 *  - a mapping holds one provider reference per run, not per range, and
 *    a map that fails, at any allocation, holds none;
 *  - removals are serialised: a port removed while its child is being
 *    removed by another thread waits, and still goes after the child.
 *
 * Each case boots its own machine (removal cannot be undone) with DMA
 * default domains, or without IOMMU for the direct path; the shutdown is
 * the case's first deferred action, so it runs after every other.
 */
#include <pthread.h>
#include <linux/completion.h>
#include <linux/jiffies.h>
#include <asm/io.h>

#include "tests/dma_test.h"

static void pci_remove_shutdown(void *arg __always_unused)
{
	dma_test_shutdown();
}

static int pci_remove_boot(struct kunit *test, struct pci_test_board *tb,
			   unsigned int domain_type)
{
	int ret = dma_test_boot(tb, domain_type);

	if (ret)
		return ret;
	ret = kunit_add_action_or_reset(test, pci_remove_shutdown, NULL);
	if (ret)
		return ret;
	return dma_test_init(test);
}

static int pci_remove_init_iommu(struct kunit *test)
{
	return pci_remove_boot(test, NULL, IOMMU_DOMAIN_DMA);
}

static int pci_remove_init_direct(struct kunit *test)
{
	struct pci_test_board *tb = kunit_kzalloc(test, sizeof(*tb), GFP_KERNEL);

	if (!tb)
		return -ENOMEM;
	pci_test_board_default(tb);
	pci_test_board_no_iommu(tb);
	return pci_remove_boot(test, tb, IOMMU_DOMAIN_IDENTITY);
}

static struct p2pdma_provider_stats pci_remove_stats(struct p2pdma_provider *p)
{
	struct p2pdma_provider_stats st;

	p2pdma_provider_get_stats(p, &st);
	return st;
}

/* How many devices are on the bus. */
static unsigned int pci_remove_count(void)
{
	struct pci_dev *pdev;
	unsigned int n = 0;

	for_each_pci_dev(pdev)
		n++;
	return n;
}

/* ---- the bus ------------------------------------------------------------ */

static void pci_remove_leaf(struct kunit *test)
{
	struct pci_dev *gpu1 = pci_test_dev(test, "gpu1");
	struct pci_dev *rpb = pci_test_dev(test, "rpB");
	unsigned int n = pci_remove_count(), refs = kref_read(&rpb->kref);
	struct p2pdma_provider *gpu0 = dma_test_p2p_provider(test, 2);
	struct pci_dev *pdev;

	KUNIT_EXPECT_TRUE(test, pci_dev_is_added(gpu1));
	KUNIT_EXPECT_TRUE(test, dev_is_pci(&gpu1->dev));
	KUNIT_EXPECT_EQ(test, pci_p2pdma_map_type(gpu0, &gpu1->dev),
			PCI_P2PDMA_MAP_THRU_HOST_BRIDGE);	/* now cached */
	pci_stop_and_remove_bus_device(gpu1);
	/*
	 * The cached answer went stale, and the recomputed one is the
	 * topology's still: a map asking again between its passes must not
	 * see its client's path change under it.
	 */
	KUNIT_EXPECT_EQ(test, pci_p2pdma_map_type(gpu0, &gpu1->dev),
			PCI_P2PDMA_MAP_THRU_HOST_BRIDGE);

	KUNIT_EXPECT_FALSE(test, pci_dev_is_added(gpu1));
	/* A type test: the struct is a PCI function's as long as it lives. */
	KUNIT_EXPECT_TRUE(test, dev_is_pci(&gpu1->dev));
	KUNIT_EXPECT_NULL(test, pci_get_by_name("gpu1"));
	KUNIT_EXPECT_NULL(test, pci_get_by_name("0000:05:00.0 gpu1"));
	KUNIT_EXPECT_EQ(test, pci_remove_count(), n - 1);
	for_each_pci_dev(pdev)
		KUNIT_EXPECT_PTR_NE(test, pdev, gpu1);
	/* Its port stays; the struct is ours until the case ends. */
	KUNIT_EXPECT_TRUE(test, pci_dev_is_added(rpb));
	KUNIT_EXPECT_STREQ(test, gpu1->name, "gpu1");
	KUNIT_EXPECT_PTR_EQ(test, gpu1->bridge, rpb);
	KUNIT_EXPECT_EQ(test, kref_read(&gpu1->kref), 1U);
	KUNIT_EXPECT_EQ(test, kref_read(&rpb->kref), refs);

	/* Again: nothing happens. */
	pci_stop_and_remove_bus_device(gpu1);
	pci_stop_and_remove_bus_device(NULL);
	KUNIT_EXPECT_EQ(test, pci_remove_count(), n - 1);
	KUNIT_EXPECT_EQ(test, kref_read(&gpu1->kref), 1U);
}

/* A port goes with everything below it, deepest first. */
static void pci_remove_subtree(struct kunit *test)
{
	static const char * const below[] = {
		"sw0-up", "sw0-dp0", "nic", "sw0-dp1", "gpu0",
	};
	struct pci_dev *rpa = pci_test_dev(test, "rpA");
	struct pci_dev *up = pci_test_dev(test, "sw0-up");
	unsigned int i, n = pci_remove_count();

	pci_stop_and_remove_bus_device(up);
	for (i = 0; i < ARRAY_SIZE(below); i++)
		KUNIT_EXPECT_NULL_MSG(test, pci_get_by_name(below[i]), "%s",
				      below[i]);
	KUNIT_EXPECT_EQ(test, pci_remove_count(), n - ARRAY_SIZE(below));
	KUNIT_EXPECT_TRUE(test, pci_dev_is_added(rpa));
	KUNIT_EXPECT_NOT_NULL(test, pci_test_dev(test, "gpu1"));
	/* Only our reference is left: the children let go of theirs. */
	KUNIT_EXPECT_EQ(test, kref_read(&up->kref), 1U);
}

/**
 * struct pci_remove_race - two removers and the bus events they cause
 * @nb: hears the bus events, in order
 * @held: the child, whose BUS_NOTIFY_DEL_DEVICE waits for @release
 * @in_removal: @held's removal reached its notifier
 * @release: let @held's removal go on
 * @port_done: the second remover, of @port, returned
 * @port: the port above @held
 * @events: the device of each event, in order
 * @actions: the BUS_NOTIFY_* of each event
 * @nr: events heard
 */
struct pci_remove_race {
	struct notifier_block nb;
	struct pci_dev *held;
	struct completion in_removal;
	struct completion release;
	struct completion port_done;
	struct pci_dev *port;
	const struct device *events[16];
	unsigned long actions[16];
	unsigned int nr;
};

static int pci_remove_race_event(struct notifier_block *nb,
				 unsigned long action, void *data)
{
	struct pci_remove_race *r = container_of(nb, struct pci_remove_race,
						 nb);
	unsigned int i = __atomic_fetch_add(&r->nr, 1, __ATOMIC_ACQ_REL);

	if (i < ARRAY_SIZE(r->events)) {
		r->events[i] = data;
		r->actions[i] = action;
	}
	if (data == &r->held->dev && action == BUS_NOTIFY_DEL_DEVICE) {
		complete(&r->in_removal);
		wait_for_completion(&r->release);
	}
	return NOTIFY_OK;
}

static void *pci_remove_race_child(void *arg)
{
	struct pci_remove_race *r = arg;

	pci_stop_and_remove_bus_device(r->held);
	return NULL;
}

static void *pci_remove_race_port(void *arg)
{
	struct pci_remove_race *r = arg;

	pci_stop_and_remove_bus_device(r->port);
	complete(&r->port_done);
	return NULL;
}

/* Where @dev's event @action is in @r's record; -1 if it never came. */
static int pci_remove_race_find(const struct pci_remove_race *r,
				const struct pci_dev *pdev,
				unsigned long action)
{
	unsigned int i;

	for (i = 0; i < min_t(unsigned int, r->nr, ARRAY_SIZE(r->events)); i++)
		if (r->events[i] == &pdev->dev && r->actions[i] == action)
			return i;
	return -1;
}

/*
 * GPU0's removal is held in its bus notifier while another thread removes
 * the port above it (sw0-dp1).  The port's removal waits for GPU0's to be
 * done and goes after it: it returns only once GPU0 is removed, and the
 * port's events come after all of GPU0's.
 */
static void pci_remove_concurrent(struct kunit *test)
{
	struct pci_remove_race *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	pthread_t child, port;
	int gpu_removed, port_del;

	KUNIT_ASSERT_NOT_NULL(test, r);
	r->held = pci_test_dev(test, "gpu0");
	r->port = pci_test_dev(test, "sw0-dp1");
	init_completion(&r->in_removal);
	init_completion(&r->release);
	init_completion(&r->port_done);
	r->nb.notifier_call = pci_remove_race_event;
	KUNIT_ASSERT_EQ(test, bus_register_notifier(&pci_bus_type, &r->nb), 0);

	KUNIT_ASSERT_EQ(test, pthread_create(&child, NULL,
					     pci_remove_race_child, r), 0);
	wait_for_completion(&r->in_removal);
	KUNIT_ASSERT_EQ(test, pthread_create(&port, NULL,
					     pci_remove_race_port, r), 0);
	/*
	 * Unserialised, the port's removal finds no child left on the bus
	 * and finishes now; serialised, it cannot finish before release.
	 */
	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&r->port_done,
							  msecs_to_jiffies(200)),
			0UL);
	complete(&r->release);
	pthread_join(child, NULL);
	pthread_join(port, NULL);
	bus_unregister_notifier(&pci_bus_type, &r->nb);

	gpu_removed = pci_remove_race_find(r, r->held,
					   BUS_NOTIFY_REMOVED_DEVICE);
	port_del = pci_remove_race_find(r, r->port, BUS_NOTIFY_DEL_DEVICE);
	KUNIT_EXPECT_GE(test, gpu_removed, 0);
	KUNIT_EXPECT_GT(test, port_del, gpu_removed);
	KUNIT_EXPECT_EQ(test, r->nr, 4U);
	KUNIT_EXPECT_FALSE(test, pci_dev_is_added(r->port));
	KUNIT_EXPECT_FALSE(test, pci_dev_is_added(r->held));
}

/* Iteration goes on past a device removed under it. */
static void pci_remove_during_iteration(struct kunit *test)
{
	static const char * const want[] = {
		"rpA", "sw0-up", "rpB", "gpu1", "rpC", "sata",
	};
	struct pci_dev *pdev;
	unsigned int i = 0;

	for_each_pci_dev(pdev) {
		KUNIT_ASSERT_LT(test, i, ARRAY_SIZE(want));
		KUNIT_EXPECT_STREQ(test, pdev->name, want[i]);
		i++;
		/* The body holds @pdev: removing it, or its port, is fine. */
		if (!strcmp(pdev->name, "sw0-up") || !strcmp(pdev->name, "gpu1"))
			pci_stop_and_remove_bus_device(pdev);
	}
	KUNIT_EXPECT_EQ(test, i, ARRAY_SIZE(want));
}

/*
 * Released from the IOMMU: the NIC's DMA through its group's domain,
 * which GPU0 still uses, faults once the NIC is gone, and GPU0's works.
 */
static void pci_remove_iommu_released(struct kunit *test)
{
	struct device *nic = &pci_test_dev(test, "nic")->dev;
	struct device *gpu0 = &pci_test_dev(test, "gpu0")->dev;
	struct dma_test_buf *b;
	struct physr_list *list = dma_test_list(test);
	struct dma_map_state st;
	u8 got[64], *want;
	dma_addr_t iova;

	KUNIT_ASSERT_PTR_EQ(test, iommu_get_default_domain(nic),
			    iommu_get_default_domain(gpu0));
	b = dma_test_buf(test, SZ_4K, MM_LAYOUT_PAGE_4K, GFP_KERNEL, 3);
	KUNIT_ASSERT_EQ(test, physr_list_append(list,
			page_to_phys(b->mb->pages[0]), SZ_4K, GFP_KERNEL), 0);
	want = dma_test_alloc(test, SZ_4K);
	KUNIT_ASSERT_EQ(test, dma_test_cpu_list_io(list, want, false), 0);
	KUNIT_ASSERT_EQ(test, dma_map_physr(gpu0, list, DMA_TO_DEVICE, 0, &st),
			0);
	iova = dma_list_first_addr(&st.dma);
	/* One group, one domain: the NIC reaches GPU0's IOVA too. */
	KUNIT_EXPECT_EQ(test, sim_dma_read(nic->rid, iova, got, sizeof(got)), 0);
	KUNIT_EXPECT_MEMEQ(test, got, want, sizeof(got));

	pci_stop_and_remove_bus_device(to_pci_dev(nic));
	KUNIT_EXPECT_NULL(test, nic->iommu);
	KUNIT_EXPECT_NULL(test, nic->iommu_group);
	KUNIT_EXPECT_EQ(test, sim_dma_read(nic->rid, iova, got, sizeof(got)),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, iommu_poll_faults(), 1U);
	memset(got, 0, sizeof(got));
	KUNIT_EXPECT_EQ(test, sim_dma_read(gpu0->rid, iova, got, sizeof(got)),
			0);
	KUNIT_EXPECT_MEMEQ(test, got, want, sizeof(got));
	dma_unmap_physr(gpu0, &st, DMA_TO_DEVICE, 0);
}

/* ---- P2P memory of a removed device -------------------------------------- */

/*
 * A page of RAM and 64 KiB of GPU0's BAR2, mapped by the NIC (bus
 * address) and GPU1 (through the host bridge): GPU0 is removed under the
 * mappings.  The case holds no reference on GPU0: the mappings are what
 * keeps its struct, and the last unmap frees it.
 */
static void pci_remove_while_mapped(struct kunit *test)
{
	struct device *nic = &pci_test_dev(test, "nic")->dev;
	struct device *gpu1 = &pci_test_dev(test, "gpu1")->dev;
	struct pci_dev *dp1 = pci_test_dev(test, "sw0-dp1");
	struct dma_map_state st_nic, st_gpu1;
	struct p2pdma_provider_stats ps;
	struct p2pdma_provider *p;
	struct physr_list *list;
	struct pci_dev *gpu0;
	unsigned int dp1_refs;
	u64 len = SZ_4K + SZ_64K;
	dma_addr_t iova;
	u8 *src, *dst;

	gpu0 = pci_get_by_name("gpu0");
	KUNIT_ASSERT_NOT_NULL(test, gpu0);
	p = pcim_p2pdma_provider(gpu0, 2);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p);
	list = dma_test_ram_p2p_list(test, p, SZ_1M, SZ_64K, 5);
	KUNIT_ASSERT_EQ(test, dma_map_physr(nic, list, DMA_BIDIRECTIONAL, 0,
					    &st_nic), 0);
	KUNIT_ASSERT_EQ(test, dma_map_physr(gpu1, list, DMA_BIDIRECTIONAL, 0,
					    &st_gpu1), 0);
	KUNIT_EXPECT_EQ(test, pci_remove_stats(p).mappings, 2U);
	dp1_refs = kref_read(&dp1->kref);

	/* Removed while mapped: reported, retired, nothing freed. */
	pci_dev_put(gpu0);
	pci_stop_and_remove_bus_device(gpu0);
	ps = pci_remove_stats(p);
	KUNIT_EXPECT_TRUE(test, ps.retired);
	KUNIT_EXPECT_EQ(test, ps.mappings_at_removal, 2U);
	KUNIT_EXPECT_EQ(test, ps.mappings, 2U);
	KUNIT_EXPECT_FALSE(test, pci_dev_is_added(p->owner));
	KUNIT_EXPECT_PTR_EQ(test, p->owner, gpu0);
	KUNIT_EXPECT_TRUE(test, p2pdma_provider_retired(p));
	/* The topology did not change for the mappings in flight. */
	KUNIT_EXPECT_EQ(test, pci_p2pdma_map_type(p, gpu1),
			PCI_P2PDMA_MAP_THRU_HOST_BRIDGE);

	/* The machine still has GPU0: the live mappings move real bytes. */
	src = dma_test_alloc(test, len);
	dst = dma_test_alloc(test, len);
	dma_test_fill(src, len, 7);
	KUNIT_EXPECT_EQ(test, dma_test_dev_io(nic, &st_nic.dma, src, true), 0);
	KUNIT_EXPECT_EQ(test, dma_test_cpu_list_io(list, dst, false), 0);
	KUNIT_EXPECT_MEMEQ(test, dst, src, len);
	memset(dst, 0, len);
	KUNIT_EXPECT_EQ(test, dma_test_dev_io(gpu1, &st_gpu1.dma, dst, false),
			0);
	KUNIT_EXPECT_MEMEQ(test, dst, src, len);

	/* The unmaps work; the last frees GPU0, which lets go of its port. */
	iova = dma_list_first_addr(&st_gpu1.dma);
	dma_unmap_physr(nic, &st_nic, DMA_BIDIRECTIONAL, 0);
	KUNIT_EXPECT_EQ(test, pci_remove_stats(p).mappings, 1U);
	KUNIT_EXPECT_EQ(test, kref_read(&dp1->kref), dp1_refs);
	dma_unmap_physr(gpu1, &st_gpu1, DMA_BIDIRECTIONAL, 0);
	KUNIT_EXPECT_EQ(test, kref_read(&dp1->kref), dp1_refs - 1);
	/* GPU1's IOVA for the BAR is gone with the mapping. */
	KUNIT_EXPECT_EQ(test, sim_dma_read(gpu1->rid, iova + SZ_4K, dst, SZ_4K),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, iommu_poll_faults(), 1U);
	dma_test_expect_reports(test, DMA_DEBUG_ACCESS_UNMAPPED, 1, NULL);
}

/* The same on the direct path: only the NIC, by bus address. */
static void pci_remove_while_mapped_direct(struct kunit *test)
{
	struct device *nic = &pci_test_dev(test, "nic")->dev;
	struct pci_dev *dp1 = pci_test_dev(test, "sw0-dp1");
	struct p2pdma_provider *p;
	struct physr_list *list;
	struct dma_map_state st;
	struct pci_dev *gpu0;
	unsigned int dp1_refs;
	u8 src[256], dst[256];

	gpu0 = pci_get_by_name("gpu0");
	KUNIT_ASSERT_NOT_NULL(test, gpu0);
	p = pcim_p2pdma_provider(gpu0, 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p);
	list = dma_test_list(test);
	KUNIT_ASSERT_EQ(test, physr_list_append_p2p(list, p, p->base + SZ_64K,
						    sizeof(src), GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, dma_map_physr(nic, list, DMA_FROM_DEVICE, 0, &st),
			0);
	dp1_refs = kref_read(&dp1->kref);
	pci_dev_put(gpu0);
	pci_stop_and_remove_bus_device(gpu0);
	KUNIT_EXPECT_EQ(test, pci_remove_stats(p).mappings_at_removal, 1U);

	dma_test_fill(src, sizeof(src), 9);
	KUNIT_EXPECT_EQ(test, dma_test_dev_io(nic, &st.dma, src, true), 0);
	KUNIT_EXPECT_EQ(test, dma_test_cpu_list_io(list, dst, false), 0);
	KUNIT_EXPECT_MEMEQ(test, dst, src, sizeof(src));
	dma_unmap_physr(nic, &st, DMA_FROM_DEVICE, 0);
	KUNIT_EXPECT_EQ(test, kref_read(&dp1->kref), dp1_refs - 1);
}

/*
 * After removal, whoever still holds GPU0 holds valid providers whose
 * memory no one may map any more: every path says -ENODEV, leaves the
 * state unmapped and holds nothing, and so does the IOVA API.
 */
static void pci_remove_new_map_fails(struct kunit *test)
{
	static const char * const clients[] = { "nic", "gpu1", "sata" };
	struct pci_dev *gpu0 = pci_test_dev(test, "gpu0");
	struct p2pdma_provider *p = pcim_p2pdma_provider(gpu0, 2);
	struct p2pdma_provider *live;
	struct physr_list *list, *mixed;
	struct dma_iova_state iova;
	struct dma_map_state st;
	struct device *gpu1;
	unsigned int i;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p);
	live = pcim_p2pdma_provider(pci_test_dev(test, "gpu1"), 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, live);
	list = dma_test_ram_p2p_list(test, p, 0, SZ_64K, 11);
	/* A run of a live provider first: a map failing after it. */
	mixed = dma_test_list(test);
	KUNIT_ASSERT_EQ(test, physr_list_append_p2p(mixed, live, live->base,
						    SZ_4K, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append_p2p(mixed, p, p->base, SZ_4K,
						    GFP_KERNEL), 0);

	pci_stop_and_remove_bus_device(gpu0);
	KUNIT_EXPECT_EQ(test, pci_remove_stats(p).mappings_at_removal, 0U);
	KUNIT_EXPECT_PTR_EQ(test, pcim_p2pdma_provider(gpu0, 2),
			    ERR_PTR(-ENODEV));
	for (i = 0; i < ARRAY_SIZE(clients); i++) {
		struct device *dev = dma_test_dev(test, clients[i]);

		KUNIT_EXPECT_EQ_MSG(test, dma_map_physr(dev, list,
				DMA_TO_DEVICE, 0, &st), -ENODEV, "%s",
				clients[i]);
		KUNIT_EXPECT_FALSE(test, dma_map_state_mapped(&st));
		KUNIT_EXPECT_EQ_MSG(test, dma_map_physr(dev, mixed,
				DMA_TO_DEVICE, 0, &st), -ENODEV, "%s",
				clients[i]);
	}
	KUNIT_EXPECT_TRUE(test, p2pdma_provider_retired(p));
	KUNIT_EXPECT_FALSE(test, p2pdma_provider_retired(live));
	KUNIT_EXPECT_EQ(test, pci_remove_stats(p).mappings, 0U);
	KUNIT_EXPECT_EQ(test, pci_remove_stats(live).mappings, 0U);

	/* The IOVA API refuses it too (where there is one). */
	gpu1 = dma_test_dev(test, "gpu1");
	if (dma_iova_try_alloc(gpu1, &iova, p->base, SZ_4K)) {
		struct physr_view v;

		KUNIT_ASSERT_EQ(test, physr_list_slice(mixed, SZ_4K, SZ_4K, &v),
				0);
		KUNIT_EXPECT_EQ(test, dma_iova_link_physr(gpu1, &iova, &v, 0,
				DMA_TO_DEVICE, 0), -ENODEV);
		dma_iova_free(gpu1, &iova);
	}
	/* The list itself is still the caller's to destroy (deferred). */
}

/*
 * A device removed with mappings of its own still live (its driver's
 * bug): the sanitizer reports them, as upstream's does when a driver
 * unbinds; the driver, still holding the device, may unmap afterwards.
 */
static void pci_remove_client_leak_reported(struct kunit *test)
{
	struct pci_dev *sata = pci_test_dev(test, "sata");
	struct physr_list *list = dma_test_list(test);
	struct dma_debug_report rep;
	struct dma_test_buf *b;
	struct dma_map_state st;

	b = dma_test_buf(test, SZ_8K, MM_LAYOUT_PAGE_4K, GFP_KERNEL, 4);
	KUNIT_ASSERT_EQ(test, physr_list_append(list,
			page_to_phys(b->mb->pages[0]), SZ_4K, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, dma_map_physr(&sata->dev, list, DMA_TO_DEVICE, 0,
					    &st), 0);
	pci_stop_and_remove_bus_device(sata);
	dma_test_expect_reports(test, DMA_DEBUG_LEAK, 1, &rep);
	KUNIT_EXPECT_PTR_EQ(test, rep.dev, &sata->dev);
	dma_unmap_physr(&sata->dev, &st, DMA_TO_DEVICE, 0);
	KUNIT_EXPECT_EQ(test, dma_debug_nr_live(&sata->dev), 0UL);
}

/* ---- removal and the machine's hot-unplug ------------------------------ */

/* The DMA address of byte @off of a mapping, or 0 if it is not there. */
static dma_addr_t pci_remove_dma_addr(const struct dma_list *dl, u64 off)
{
	struct dma_list_iter di;
	struct dma_range r;

	dma_list_for_each(dl, &di, &r) {
		if (off < r.len)
			return r.addr + off;
		off -= r.len;
	}
	return 0;
}

/*
 * GPU0's BAR2 mapped by the NIC (bus address) and GPU1 (through the host
 * bridge), 4 KiB of RAM first: the mapping of the BAR's first page is
 * byte 4 KiB of each.  Returns the provider; the case holds no reference
 * on GPU0 (*@gpu0 is for pointer comparisons only).
 */
static struct p2pdma_provider *
pci_remove_map_gpu0(struct kunit *test, struct physr_list **list,
		    struct dma_map_state *st_nic, struct dma_map_state *st_gpu1,
		    struct pci_dev **gpu0)
{
	struct device *nic = dma_test_dev(test, "nic");
	struct device *gpu1 = dma_test_dev(test, "gpu1");
	struct p2pdma_provider *p;

	*gpu0 = pci_get_by_name("gpu0");
	KUNIT_ASSERT_NOT_NULL(test, *gpu0);
	p = pcim_p2pdma_provider(*gpu0, 2);
	pci_dev_put(*gpu0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p);
	*list = dma_test_ram_p2p_list(test, p, 0, SZ_64K, 11);
	KUNIT_ASSERT_EQ(test, dma_map_physr(nic, *list, DMA_BIDIRECTIONAL, 0,
					    st_nic), 0);
	KUNIT_ASSERT_EQ(test, dma_map_physr(gpu1, *list, DMA_BIDIRECTIONAL, 0,
					    st_gpu1), 0);
	return p;
}

/*
 * What the NIC and GPU1 see of the BAR page they have mapped, once the
 * machine has lost GPU0: their writes reach nothing (the NIC's bus
 * address is no peer's any more, so it climbs to the IOMMU, which has no
 * translation for it; GPU1's IOVA translates to an address nothing
 * decodes), the CPU reads all ones where the BAR was, and the RAM page
 * of the same mappings still works.
 */
static void pci_remove_expect_gone(struct kunit *test,
				   struct p2pdma_provider *p,
				   struct dma_map_state *st_nic,
				   struct dma_map_state *st_gpu1)
{
	struct device *nic = dma_test_dev(test, "nic");
	struct device *gpu1 = dma_test_dev(test, "gpu1");
	dma_addr_t nic_bar = pci_remove_dma_addr(&st_nic->dma, SZ_4K);
	dma_addr_t gpu1_bar = pci_remove_dma_addr(&st_gpu1->dma, SZ_4K);
	struct sim_dma_error err;
	void __iomem *io;
	u8 buf[64];

	KUNIT_ASSERT_NE(test, nic_bar, 0ULL);
	KUNIT_ASSERT_NE(test, gpu1_bar, 0ULL);
	memset(buf, 0x5a, sizeof(buf));
	KUNIT_EXPECT_EQ(test, sim_dma_write(nic->rid, nic_bar, buf,
					    sizeof(buf)), -EFAULT);
	sim_dma_last_error(&err);
	KUNIT_EXPECT_EQ(test, err.reason, SIM_DMA_ERR_IOMMU);
	KUNIT_EXPECT_EQ(test, iommu_poll_faults(), 1U);
	KUNIT_EXPECT_EQ(test, sim_dma_write(gpu1->rid, gpu1_bar, buf,
					    sizeof(buf)), -EIO);
	sim_dma_last_error(&err);
	KUNIT_EXPECT_EQ(test, err.reason, SIM_DMA_ERR_NO_TARGET);
	KUNIT_EXPECT_EQ(test, err.addr, gpu1_bar);

	io = ioremap(p->base, SZ_4K);
	KUNIT_ASSERT_NOT_NULL(test, io);
	KUNIT_EXPECT_EQ(test, readl(io), 0xffffffffU);
	iounmap(io);

	KUNIT_EXPECT_EQ(test, sim_dma_write(nic->rid,
			pci_remove_dma_addr(&st_nic->dma, 0), buf, sizeof(buf)),
			0);
	KUNIT_EXPECT_EQ(test, sim_dma_write(gpu1->rid,
			pci_remove_dma_addr(&st_gpu1->dma, 0), buf,
			sizeof(buf)), 0);
}

/*
 * Unmap both and check that the last unmap let GPU0's struct go (it
 * releases its reference on the port above it).
 */
static void pci_remove_unmap_gpu0(struct kunit *test,
				  struct dma_map_state *st_nic,
				  struct dma_map_state *st_gpu1)
{
	struct pci_dev *dp1 = pci_test_dev(test, "sw0-dp1");
	unsigned int dp1_refs = kref_read(&dp1->kref);

	dma_unmap_physr(dma_test_dev(test, "nic"), st_nic, DMA_BIDIRECTIONAL,
			0);
	KUNIT_EXPECT_EQ(test, kref_read(&dp1->kref), dp1_refs);
	dma_unmap_physr(dma_test_dev(test, "gpu1"), st_gpu1, DMA_BIDIRECTIONAL,
			0);
	KUNIT_EXPECT_EQ(test, kref_read(&dp1->kref), dp1_refs - 1);
}

/*
 * Surprise removal: the machine loses GPU0 (link down) while its BAR is
 * mapped, then the kernel removes the device.  The mappings outlive both
 * and keep the kernel's structs; DMA through them fails in the machine
 * instead of landing anywhere; the unmaps afterwards free everything.
 */
static void pci_remove_surprise_unplug(struct kunit *test)
{
	struct dma_map_state st_nic, st_gpu1;
	struct p2pdma_provider_stats ps;
	struct p2pdma_provider *p;
	struct physr_list *list;
	struct pci_dev *gpu0;

	p = pci_remove_map_gpu0(test, &list, &st_nic, &st_gpu1, &gpu0);
	KUNIT_ASSERT_EQ(test, sim_pci_unplug("gpu0"), 0);
	pci_remove_expect_gone(test, p, &st_nic, &st_gpu1);
	KUNIT_EXPECT_EQ(test, sim_dma_read(gpu0->dev.rid, 0, &ps, 1), -ENODEV);

	pci_stop_and_remove_bus_device(gpu0);
	ps = pci_remove_stats(p);
	KUNIT_EXPECT_TRUE(test, ps.retired);
	KUNIT_EXPECT_EQ(test, ps.mappings_at_removal, 2U);
	KUNIT_EXPECT_EQ(test, pci_get_by_name("gpu0"), NULL);
	pci_remove_unmap_gpu0(test, &st_nic, &st_gpu1);
}

/*
 * Orderly removal: the kernel removes GPU0 while its BAR is mapped (the
 * mappings still move bytes: the device is there), then the slot powers
 * off.  From then on the same mappings reach nothing, and the unmaps
 * free what removal could not.
 */
static void pci_remove_then_unplug(struct kunit *test)
{
	struct dma_map_state st_nic, st_gpu1;
	struct p2pdma_provider *p;
	struct physr_list *list;
	struct pci_dev *gpu0;
	u8 src[64], dst[64];

	p = pci_remove_map_gpu0(test, &list, &st_nic, &st_gpu1, &gpu0);
	pci_stop_and_remove_bus_device(gpu0);
	KUNIT_EXPECT_EQ(test, pci_remove_stats(p).mappings_at_removal, 2U);

	dma_test_fill(src, sizeof(src), 3);
	KUNIT_EXPECT_EQ(test, sim_dma_write(dma_test_dev(test, "nic")->rid,
			pci_remove_dma_addr(&st_nic.dma, SZ_4K), src,
			sizeof(src)), 0);
	KUNIT_EXPECT_EQ(test, sim_dma_read(dma_test_dev(test, "gpu1")->rid,
			pci_remove_dma_addr(&st_gpu1.dma, SZ_4K), dst,
			sizeof(dst)), 0);
	KUNIT_EXPECT_MEMEQ(test, dst, src, sizeof(src));

	KUNIT_ASSERT_EQ(test, sim_pci_unplug("gpu0"), 0);
	pci_remove_expect_gone(test, p, &st_nic, &st_gpu1);
	pci_remove_unmap_gpu0(test, &st_nic, &st_gpu1);
}

/* ---- references per run ------------------------------------------------ */

/*
 * One reference per run of a provider: ranges of RAM between runs of the
 * same provider do not end it, another provider does.
 */
static void pci_remove_refs_per_run(struct kunit *test)
{
	struct device *nic = dma_test_dev(test, "nic");
	struct p2pdma_provider *a = dma_test_p2p_provider(test, 2);
	struct p2pdma_provider *b;
	struct physr_list *many = dma_test_list(test), *abab;
	struct dma_test_buf *ram;
	struct dma_map_state st;
	unsigned int i;

	b = pcim_p2pdma_provider(pci_test_dev(test, "gpu1"), 2);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b);
	ram = dma_test_buf(test, 64 * SZ_4K, MM_LAYOUT_PAGE_4K, GFP_KERNEL, 1);
	/* 64 ranges of A, each followed by a page of RAM. */
	for (i = 0; i < 64; i++) {
		KUNIT_ASSERT_EQ(test, physr_list_append_p2p(many, a,
				a->base + i * SZ_8K, SZ_4K, GFP_KERNEL), 0);
		KUNIT_ASSERT_EQ(test, physr_list_append(many,
				page_to_phys(ram->mb->pages[i]), SZ_4K,
				GFP_KERNEL), 0);
	}
	KUNIT_ASSERT_EQ(test, dma_map_physr(nic, many, DMA_TO_DEVICE, 0, &st),
			0);
	KUNIT_EXPECT_EQ(test, pci_remove_stats(a).mappings, 1U);
	dma_unmap_physr(nic, &st, DMA_TO_DEVICE, 0);
	KUNIT_EXPECT_EQ(test, pci_remove_stats(a).mappings, 0U);

	/* A, B, A: two runs of A. */
	abab = dma_test_list(test);
	KUNIT_ASSERT_EQ(test, physr_list_append_p2p(abab, a, a->base, SZ_4K,
						    GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append_p2p(abab, b, b->base, SZ_4K,
						    GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append_p2p(abab, a, a->base + SZ_8K,
						    SZ_4K, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, dma_map_physr(nic, abab, DMA_TO_DEVICE, 0, &st),
			0);
	KUNIT_EXPECT_EQ(test, pci_remove_stats(a).mappings, 2U);
	KUNIT_EXPECT_EQ(test, pci_remove_stats(b).mappings, 1U);
	dma_unmap_physr(nic, &st, DMA_TO_DEVICE, 0);
	KUNIT_EXPECT_EQ(test, pci_remove_stats(a).mappings, 0U);
	KUNIT_EXPECT_EQ(test, pci_remove_stats(b).mappings, 0U);
}

/* The providers of pci_remove_fail_nth()'s list, for its check. */
static struct p2pdma_provider *pci_remove_fail_a, *pci_remove_fail_b;

/* After a failed round: unwound as every map must be, no provider held. */
static bool pci_remove_fail_check(struct kunit *test, void *arg)
{
	unsigned int held = pci_remove_stats(pci_remove_fail_a).mappings +
			    pci_remove_stats(pci_remove_fail_b).mappings;

	KUNIT_EXPECT_EQ(test, held, 0U);
	return dma_test_fail_check(test, arg) && !held;
}

/*
 * Maps of A, RAM, B, RAM, A with their allocations failing one by one
 * (GPU1's through the IOMMU; the NIC's, with bus addresses, a DMA list of
 * its own): each failure puts back every reference it took.
 */
static void pci_remove_fail_nth(struct kunit *test)
{
	static const char * const clients[] = { "gpu1", "nic" };
	struct p2pdma_provider *a, *b;
	struct dma_test_fail c;
	struct dma_test_buf *ram;
	struct physr_list *list;
	unsigned int i;

	a = dma_test_p2p_provider(test, 2);
	b = pcim_p2pdma_provider(pci_test_dev(test, "gpu1"), 2);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b);
	pci_remove_fail_a = a;
	pci_remove_fail_b = b;
	list = dma_test_list(test);
	ram = dma_test_buf(test, 2 * SZ_4K, MM_LAYOUT_PAGE_4K, GFP_KERNEL, 2);
	KUNIT_ASSERT_EQ(test, physr_list_append_p2p(list, a, a->base, SZ_4K,
						    GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(list,
			page_to_phys(ram->mb->pages[0]), SZ_4K, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append_p2p(list, b, b->base, SZ_4K,
						    GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append(list,
			page_to_phys(ram->mb->pages[1]), SZ_4K, GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, physr_list_append_p2p(list, a, a->base + SZ_8K,
						    SZ_4K, GFP_KERNEL), 0);

	for (i = 0; i < ARRAY_SIZE(clients); i++) {
		dma_test_fail_init(&c, dma_test_dev(test, clients[i]), list);
		c.dir = DMA_TO_DEVICE;
		dma_test_fail_warm(test, &c);
		dma_test_fail_nth(test, &c, pci_remove_fail_check);
		KUNIT_ASSERT_TRUE(test, dma_map_state_mapped(&c.st));
		KUNIT_EXPECT_EQ(test, pci_remove_stats(a).mappings, 2U);
		KUNIT_EXPECT_EQ(test, pci_remove_stats(b).mappings, 1U);
		dma_unmap_physr(c.dev, &c.st, c.dir, 0);
		KUNIT_EXPECT_EQ(test, pci_remove_stats(a).mappings, 0U);
		KUNIT_EXPECT_EQ(test, pci_remove_stats(b).mappings, 0U);
	}
}

/* ---- physr_list_append_p2p() ------------------------------------------- */

/* A P2P range must be inside its provider's BAR. */
static void pci_remove_append_outside_bar(struct kunit *test)
{
	struct p2pdma_provider *p = dma_test_p2p_provider(test, 0);
	struct physr_list *list = dma_test_list(test);
	phys_addr_t end = p->base + p->size;
	const struct {
		const char *what;
		phys_addr_t addr;
		u64 len;
	} bad[] = {
		{ "below", p->base - SZ_4K, SZ_4K },
		{ "above", end, SZ_4K },
		{ "straddling the start", p->base - 1, 2 },
		{ "straddling the end", end - SZ_4K, SZ_8K },
		{ "wrapping", U64_MAX - SZ_4K + 1, SZ_8K },
		{ "the whole BAR and a byte", p->base, p->size + 1 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_EQ_MSG(test, physr_list_append_p2p(list, p,
				bad[i].addr, bad[i].len, GFP_KERNEL), -EINVAL,
				"%s", bad[i].what);
		KUNIT_EXPECT_TRUE(test, physr_list_empty(list));
	}
	/* The edges themselves are fine; RAM needs no provider. */
	KUNIT_EXPECT_EQ(test, physr_list_append_p2p(list, p, p->base, 1,
						    GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, physr_list_append_p2p(list, p, end - 1, 1,
						    GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, physr_list_append_p2p(list, p, p->base, p->size,
						    GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, physr_list_append_p2p(list, NULL, end, SZ_4K,
						    GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, physr_list_nr_ranges(list), 4ULL);
}

static struct kunit_case pci_remove_iommu_cases[] = {
	KUNIT_CASE(pci_remove_leaf),
	KUNIT_CASE(pci_remove_subtree),
	KUNIT_CASE(pci_remove_concurrent),
	KUNIT_CASE(pci_remove_during_iteration),
	KUNIT_CASE(pci_remove_iommu_released),
	KUNIT_CASE(pci_remove_while_mapped),
	KUNIT_CASE(pci_remove_surprise_unplug),
	KUNIT_CASE(pci_remove_then_unplug),
	KUNIT_CASE(pci_remove_new_map_fails),
	KUNIT_CASE(pci_remove_refs_per_run),
	KUNIT_CASE(pci_remove_fail_nth),
	KUNIT_CASE(pci_remove_append_outside_bar),
	{}
};

static struct kunit_suite pci_remove_iommu_suite = {
	.name = "pci_remove",
	.init = pci_remove_init_iommu,
	.exit = dma_test_exit,
	.test_cases = pci_remove_iommu_cases,
};
kunit_test_suite(pci_remove_iommu_suite);

static struct kunit_case pci_remove_direct_cases[] = {
	KUNIT_CASE(pci_remove_while_mapped_direct),
	KUNIT_CASE(pci_remove_client_leak_reported),
	KUNIT_CASE(pci_remove_new_map_fails),
	KUNIT_CASE(pci_remove_refs_per_run),
	KUNIT_CASE(pci_remove_fail_nth),
	{}
};

static struct kunit_suite pci_remove_direct_suite = {
	.name = "pci_remove_direct",
	.init = pci_remove_init_direct,
	.exit = dma_test_exit,
	.test_cases = pci_remove_direct_cases,
};
kunit_test_suite(pci_remove_direct_suite);
