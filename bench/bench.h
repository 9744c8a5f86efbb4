/* SPDX-License-Identifier: GPL-2.0 */
/*
 * physr bench: the benchmark harness.
 *
 * A case measures one operation of ours and, where one exists, the same
 * operation done the scatterlist way, in the same run: the two are timed in
 * alternation (ours, baseline, ours, ...) so that noise on this small
 * machine hits both alike, and each reports the median of its runs.  Cases
 * also report counters (bytes held, ranges, page-table writes, ...), which
 * are exact rather than timed.
 */
#ifndef _PHYSR_BENCH_H
#define _PHYSR_BENCH_H

#include <linux/types.h>

#define BENCH_MAX_COUNTERS	12

struct bench_counter {
	const char *key;
	u64 value;
};

/**
 * struct bench_result - what one case reports
 * @name: case name, e.g. "build/4k"
 * @baseline: the baseline's name, or NULL when the case has none
 * @baseline_how: how the baseline was built, printed with the table
 * @median_ns: median wall-clock time of our operation
 * @baseline_median_ns: median wall-clock time of the baseline (when
 *	@baseline is set)
 * @cpu_ns: median thread CPU time of our operation
 * @baseline_cpu_ns: median thread CPU time of the baseline
 * @runs: timed runs of each
 * @size_bytes: the buffer size the case ran at (bench_config.bytes)
 * @counters: exact counters of the case
 * @how: room for a @baseline_how the case composes
 */
struct bench_result {
	const char *name;
	u64 size_bytes;
	const char *baseline;
	const char *baseline_how;
	u64 median_ns;
	u64 baseline_median_ns;
	u64 cpu_ns;
	u64 baseline_cpu_ns;
	unsigned int runs;
	unsigned int nr_counters;
	struct bench_counter counters[BENCH_MAX_COUNTERS];
	char how[768];
};

/**
 * struct bench_config - how a whole bench run is done
 * @quick: small sizes and few runs, for CI
 * @runs: timed runs per operation
 * @bytes: buffer size the cases work on
 * @pgmap: the case runs in the /pgmap configuration (BENCH_PGMAP): the
 *	machine has a P2PDMA provider with struct pages, and the baselines
 *	are built as with CONFIG_PCI_P2PDMA=y
 */
struct bench_config {
	bool quick;
	unsigned int runs;
	u64 bytes;
	bool pgmap;
};

/*
 * The two machine configurations a case whose cost may depend on struct
 * pages runs in (docs/design-notes.md, "Benchmarks"):
 *
 *   <case>         no device pagemap exists; the baselines are built as
 *                  Debian's 6.12 config (CONFIG_ZONE_DEVICE=y,
 *                  CONFIG_PCI_P2PDMA unset: no P2P check per entry)
 *   <case>/pgmap   BENCH_PGMAP_BYTES of gpu0's BAR2 have struct pages
 *                  (pci_p2pdma_add_resource()); the baselines' P2P checks
 *                  are compiled in, as with CONFIG_PCI_P2PDMA=y
 */
#define BENCH_PGMAP		0x1u
#define BENCH_PGMAP_DEV		"gpu0"
#define BENCH_PGMAP_BAR		2
#define BENCH_PGMAP_BYTES	(64ULL << 20)

/**
 * struct bench_case - one benchmark case
 * @name: name as printed and matched by a filter
 * @run: measure; fills @res and returns 0 or a negative errno
 * @flags: BENCH_PGMAP to run in the /pgmap configuration
 */
struct bench_case {
	const char *name;
	int (*run)(const struct bench_config *cfg, struct bench_result *res);
	unsigned int flags;
};

/**
 * struct bench_op - an operation to time
 * @run: the timed part
 * @reset: untimed clean-up after each run (may be NULL), e.g. freeing
 *	what @run built so that every run starts alike
 * @arg: passed to both
 */
struct bench_op {
	void (*run)(void *arg);
	void (*reset)(void *arg);
	void *arg;
};

u64 bench_now_ns(void);
u64 bench_cpu_now_ns(void);
u64 bench_median(u64 *samples, unsigned int n);
unsigned int bench_reps(u64 warm_ns);
u64 bench_sample(void (*run)(void *arg), void *arg, unsigned int reps,
		 u64 *cpu_ns);
void bench_time(const struct bench_config *cfg, struct bench_result *res,
		const struct bench_op *ours, const struct bench_op *baseline);
void bench_counter(struct bench_result *res, const char *key, u64 value);

/* The cases, one array per file in bench/, listed in bench.c. */
extern const struct bench_case bench_build_cases[];
extern const struct bench_case bench_pin_cases[];
extern const struct bench_case bench_iommu_cases[];
extern const struct bench_case bench_dma_cases[];
extern const struct bench_case bench_dmabuf_cases[];
extern const struct bench_case bench_vfio_cases[];

/*
 * bench/bench_dma.c's pieces the DMA-buf cases share: the machine they
 * run on, their four devices, and the scatterlist baseline's IOMMU path.
 */
struct device;
struct sgb_table;

#define BENCH_DMA_NR_FOUR	4
extern const char *const bench_dma_four[BENCH_DMA_NR_FOUR];

int bench_machine_boot(const struct bench_config *cfg);
int bench_dma_boot(const struct bench_config *cfg, unsigned int type);
void bench_dma_restore(const struct bench_config *cfg);
int bench_sg_iommu_map(struct device *dev, struct sgb_table *t, bool p2pdma,
		       dma_addr_t *iova, u64 *iova_len);
int bench_sg_iommu_unmap(struct device *dev, struct sgb_table *t,
			 u64 iova_len);

int bench_plot(const char *dir, const struct bench_result *res, unsigned int n);
int bench_main(int argc, char **argv);

#endif /* _PHYSR_BENCH_H */
