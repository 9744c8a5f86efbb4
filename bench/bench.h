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
 * @counters: exact counters of the case
 */
struct bench_result {
	const char *name;
	const char *baseline;
	const char *baseline_how;
	u64 median_ns;
	u64 baseline_median_ns;
	u64 cpu_ns;
	u64 baseline_cpu_ns;
	unsigned int runs;
	unsigned int nr_counters;
	struct bench_counter counters[BENCH_MAX_COUNTERS];
};

/**
 * struct bench_config - how a whole bench run is done
 * @quick: small sizes and few runs, for CI
 * @runs: timed runs per operation
 * @bytes: buffer size the cases work on
 */
struct bench_config {
	bool quick;
	unsigned int runs;
	u64 bytes;
};

/**
 * struct bench_case - one benchmark case
 * @name: name as printed and matched by a filter
 * @run: measure; fills @res and returns 0 or a negative errno
 */
struct bench_case {
	const char *name;
	int (*run)(const struct bench_config *cfg, struct bench_result *res);
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

int bench_dma_boot(unsigned int type);
void bench_dma_restore(void);
int bench_sg_iommu_map(struct device *dev, struct sgb_table *t,
		       dma_addr_t *iova, u64 *iova_len);
int bench_sg_iommu_unmap(struct device *dev, struct sgb_table *t,
			 u64 iova_len);

int bench_main(int argc, char **argv);

#endif /* _PHYSR_BENCH_H */
